//! Cursor pagination, sans-IO: from one page's answer, the request for the next.

use crate::operation::Operation;

/// A list operation whose answers carry a cursor to the next page.
pub trait Paginated: Operation + Clone {
    /// One listed item.
    type Item;

    /// The cursor of the next page, or `None` on the last page.
    fn next_cursor(output: &Self::Output) -> Option<&str>;

    /// Points the operation at a page.
    fn set_cursor(&mut self, cursor: String);

    /// The items of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Walks every page of a [`Paginated`] operation. The caller sends [`Pages::next_op`] and
/// hands the answer to [`Pages::on_page`], until `next_op` is `None`.
///
/// Stops if the exchange repeats a cursor, so a misbehaving server cannot loop it forever.
///
/// ```
/// use kalshi_core::orders::{GetOrders, GetOrdersResponse};
/// use kalshi_core::pagination::Pages;
/// let mut pages = Pages::new(GetOrders::new().limit(2));
/// assert!(pages.next_op().unwrap().cursor.is_none());
/// let page: GetOrdersResponse = serde_json::from_str(r#"{"orders":[],"cursor":"abc"}"#).unwrap();
/// pages.on_page(page);
/// assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("abc"));
/// let last: GetOrdersResponse = serde_json::from_str(r#"{"orders":[],"cursor":""}"#).unwrap();
/// pages.on_page(last);
/// assert!(pages.next_op().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Pages<O: Paginated> {
    next: Option<O>,
    seen: std::collections::HashSet<String>,
}

impl<O: Paginated> Pages<O> {
    /// Starts at `first` (its cursor, if any, is where the walk starts).
    pub fn new(first: O) -> Self {
        Pages {
            next: Some(first),
            seen: Default::default(),
        }
    }

    /// The operation to send next, or `None` when every page has been read.
    pub fn next_op(&self) -> Option<&O> {
        self.next.as_ref()
    }

    /// Takes a page's answer and returns its items; prepares the next page.
    pub fn on_page(&mut self, output: O::Output) -> Vec<O::Item> {
        let next_cursor = O::next_cursor(&output)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        self.next = match (self.next.take(), next_cursor) {
            (Some(mut op), Some(c)) if self.seen.insert(c.clone()) => {
                op.set_cursor(c);
                Some(op)
            }
            _ => None,
        };
        O::into_items(output)
    }
}

/// The cursor half of a list operation, written once for every list: the `limit` and `cursor`
/// builder methods and the [`Paginated`] impl, for an operation struct with `limit: Option<u32>`
/// and `cursor: Option<String>` fields whose answer has `cursor: Option<String>` and a `Vec` of
/// items.
///
/// `cursor_list!(GetOrders => GetOrdersResponse.orders: Order);`
///
/// Lists that name these otherwise say so in brackets: the page-size field (`page_size`) and the
/// answer's cursor field (`next_cursor`), or only the cursor field for a list without a page
/// size:
///
/// `cursor_list!(GetStructuredTargets [limit: page_size, next: cursor] => ...);`
/// `cursor_list!(GetFcmFills [next: cursor] => GetFcmFillsResponse.fills: FcmFill);`
macro_rules! cursor_list {
    ($op:ident => $resp:ident . $items:ident : $item:ty) => {
        $crate::pagination::cursor_list!($op [limit: limit, next: cursor] => $resp.$items: $item);
    };
    ($op:ident [limit: $limit:ident, next: $next:ident] => $resp:ident . $items:ident : $item:ty) => {
        impl $op {
            /// Page size (the operation's docs give its bounds; checked before signing).
            pub fn $limit(mut self, $limit: u32) -> Self {
                self.$limit = Some($limit);
                self
            }
        }

        $crate::pagination::cursor_list!($op [next: $next] => $resp.$items: $item);
    };
    ($op:ident [next: $next:ident] => $resp:ident . $items:ident : $item:ty) => {
        impl $op {
            /// Starts at this cursor, from a previous page's answer.
            pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
                self.cursor = Some(cursor.into());
                self
            }
        }

        impl $crate::pagination::Paginated for $op {
            type Item = $item;

            fn next_cursor(output: &$resp) -> Option<&str> {
                output.$next.as_deref()
            }

            fn set_cursor(&mut self, cursor: String) {
                self.cursor = Some(cursor);
            }

            fn into_items(output: $resp) -> Vec<$item> {
                output.$items
            }
        }
    };
}
pub(crate) use cursor_list;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Paginated;
    use crate::{
        communications, events, fcm, historical, incentive_programs, market, milestone,
        multivariate, orders, portfolio, structured_targets,
    };

    fn paged<O: Paginated>() -> &'static str {
        O::NAME
    }

    /// Every list the crate can walk with [`Pages`](super::Pages): add a new cursor list here.
    fn paginated() -> BTreeSet<&'static str> {
        BTreeSet::from([
            paged::<market::GetMarkets>(),
            paged::<market::GetTrades>(),
            paged::<events::GetEvents>(),
            paged::<events::GetMultivariateEvents>(),
            paged::<events::GetEventFeeChanges>(),
            paged::<historical::GetHistoricalMarkets>(),
            paged::<historical::GetTradesHistorical>(),
            paged::<historical::GetFillsHistorical>(),
            paged::<historical::GetHistoricalOrders>(),
            paged::<historical::GetHistoricalPositions>(),
            paged::<orders::GetOrders>(),
            paged::<portfolio::GetFills>(),
            paged::<portfolio::GetPositions>(),
            paged::<portfolio::GetSettlements>(),
            paged::<portfolio::GetDeposits>(),
            paged::<portfolio::GetWithdrawals>(),
            paged::<portfolio::GetSubaccountTransfers>(),
            paged::<portfolio::GetIntraExchangeInstanceTransfers>(),
        ])
    }

    /// The tail-tier cursor lists the crate can walk, of the areas in [`TAIL_AREAS`].
    fn paginated_tail() -> BTreeSet<&'static str> {
        BTreeSet::from([
            paged::<communications::GetBlockTradeProposals>(),
            paged::<communications::GetQuotes>(),
            paged::<communications::GetRFQs>(),
            paged::<fcm::GetFcmFills>(),
            paged::<fcm::GetFCMOrders>(),
            paged::<fcm::GetFCMPositions>(),
            paged::<incentive_programs::GetIncentivePrograms>(),
            paged::<milestone::GetMilestones>(),
            paged::<multivariate::GetMultivariateEventCollections>(),
            paged::<structured_targets::GetStructuredTargets>(),
        ])
    }

    /// The tail-tier areas (the inventory's names) whose cursor lists are checked.
    const TAIL_AREAS: &[&str] = &[
        "communications",
        "fcm",
        "incentive-programs",
        "live-data",
        "milestone",
        "multivariate",
        "search",
        "structured-targets",
    ];

    /// The current operations of the inventory that take a `cursor` query parameter, of the
    /// trading tier, or of the tail tier in [`TAIL_AREAS`].
    fn cursor_lists(tail: bool) -> BTreeSet<String> {
        let inventory: serde_json::Value =
            serde_json::from_str(crate::spec::OPERATIONS_JSON).unwrap();
        let operations = inventory["operations"].as_array().unwrap();
        let takes_cursor = |op: &serde_json::Value| {
            op["parameters"].as_array().is_some_and(|params| {
                params
                    .iter()
                    .any(|p| p["in"] == "query" && p["name"] == "cursor")
            })
        };
        operations
            .iter()
            .filter(|op| op["status"] == "current")
            .filter(|op| {
                if tail {
                    op["tier"] == "tail" && TAIL_AREAS.iter().any(|a| op["area"] == *a)
                } else {
                    op["tier"] == "trading"
                }
            })
            .filter(|op| takes_cursor(op))
            .map(|op| op["operation_id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Every cursor list of the API can be walked page by page (`iter_all`, `stream_all`,
    /// [`Pages`](super::Pages)), and nothing else claims to be one.
    #[test]
    fn every_cursor_list_is_paginated() {
        let inventory = cursor_lists(false);
        let paginated: BTreeSet<String> = paginated().into_iter().map(str::to_owned).collect();
        assert!(inventory.len() >= 18, "the inventory lost its cursor lists");
        let missing: Vec<_> = inventory.difference(&paginated).collect();
        let extra: Vec<_> = paginated.difference(&inventory).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "cursor lists without a Paginated impl (or not listed in this test): {missing:?}; \
             listed here but not a current trading cursor list: {extra:?}"
        );
    }

    /// The same for the tail tier's areas in [`TAIL_AREAS`].
    #[test]
    fn every_tail_cursor_list_is_paginated() {
        let inventory = cursor_lists(true);
        let paginated: BTreeSet<String> = paginated_tail().into_iter().map(str::to_owned).collect();
        assert!(inventory.len() >= 7, "the inventory lost tail cursor lists");
        assert_eq!(inventory, paginated);
    }
}
