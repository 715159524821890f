//! Multivariate event collections: the collections combo markets are made from
//! ([`CollectionConfig`], [`SimulatorConfig::with_collection`](super::SimulatorConfig::with_collection)),
//! and the combo markets created (or resolved) from a selection of their legs.
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/multivariate_event_collections?status&associated_event_ticker&series_ticker&limit&cursor` | 200 `{multivariate_contracts: [MultivariateEventCollection], cursor}` (by ticker) |
//! | `GET` | `/multivariate_event_collections/{collection_ticker}` | 200 `{multivariate_contract}` |
//! | `POST` | `/multivariate_event_collections/{collection_ticker}` | 200 `{event_ticker, market_ticker, market?}` |
//!
//! - `status` is the collection's at the exchange time: `unopened` before its open date, `open`
//!   until its close date, `closed` from then on. `limit` is 1 to 200 (default 100).
//! - A create names 1 or more `selected_markets` (`event_ticker`, `market_ticker`, `side`): each
//!   a listed market of its event, the event one of the collection's associated events, `no`
//!   only where the event is not yes-only, no market twice, per-event and total counts within
//!   the sizes. A collection that is not `is_ordered` ignores the order of the legs. The first
//!   create of a selection lists a new event (`{collection}-{HASH}`, multivariate, in the
//!   collection's series, listed by `GET /events/multivariate`) with one market
//!   (`{event}-1`, open and closing with the collection, `mve_collection_ticker` and
//!   `mve_selected_legs` set) that trades like any other; the same selection again answers the
//!   same tickers. `with_market_payload: true` adds the market.
//! - Refusals: an unknown collection is a 404 on `GET` and a 400 `invalid_parameters` on
//!   `POST` (the create documents no 404), as is a collection that is not open, an invalid
//!   selection, or a body that is not the documented shape.

use std::collections::BTreeMap;

use http::Method;
use serde_json::{Map, Value, json};

use super::catalog::{EventConfig, key_cursor, market_json, page, read_key_cursor};
use super::clock::rfc3339_ms;
use super::errors::ApiError;
use super::markets::{DEFAULT_CLOSE_TIME_MS, DEFAULT_OPEN_TIME_MS, MarketConfig};
use super::request::{RequestCtx, bool_field, str_field};
use super::router::{Reply, Route};
use super::state::Exchange;

/// The collection routes, relative to the base path (signed, as documented).
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/multivariate_event_collections", list),
        Route::new(
            Method::GET,
            "/multivariate_event_collections/{collection_ticker}",
            get,
        ),
        Route::new(
            Method::POST,
            "/multivariate_event_collections/{collection_ticker}",
            create,
        ),
    ]
}

/// One associated event of a collection: its markets may be legs of the collection's combos.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CollectionEvent {
    /// The event ticker.
    pub ticker: String,
    /// `is_yes_only`: only the `yes` side of its markets may be selected (default `false`).
    pub is_yes_only: bool,
    /// `size_min`: the fewest of its markets in a selection (default: none, `null`).
    pub size_min: Option<u32>,
    /// `size_max`: the most of its markets in a selection (default: none, `null`).
    pub size_max: Option<u32>,
}

impl CollectionEvent {
    /// An event whose markets may be selected on either side, any number of them.
    pub fn new(ticker: impl Into<String>) -> Self {
        CollectionEvent {
            ticker: ticker.into(),
            is_yes_only: false,
            size_min: None,
            size_max: None,
        }
    }

    /// Allows only the `yes` side.
    pub fn yes_only(mut self) -> Self {
        self.is_yes_only = true;
        self
    }

    /// Bounds how many of its markets a selection takes (inclusive; `None`: no bound).
    pub fn sizes(mut self, min: Option<u32>, max: Option<u32>) -> Self {
        self.size_min = min;
        self.size_max = max;
        self
    }
}

impl From<&str> for CollectionEvent {
    fn from(ticker: &str) -> Self {
        CollectionEvent::new(ticker)
    }
}

/// A multivariate event collection, as `GET /multivariate_event_collections` shows it.
///
/// ```
/// use kalshi_simulator::{CollectionConfig, CollectionEvent};
/// let c = CollectionConfig::new("KXMVETEST", "KXMVETEST")
///     .title("Test combos")
///     .event("KXTEST-26DEC31")
///     .event(CollectionEvent::new("KXSUBPENNY-26DEC31").yes_only())
///     .sizes(1, 2);
/// assert_eq!(c.associated_events.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CollectionConfig {
    /// `collection_ticker`.
    pub collection_ticker: String,
    /// `series_ticker`: the series of the combo events it creates.
    pub series_ticker: String,
    /// `title` (default: the ticker).
    pub title: String,
    /// `description` (default: empty).
    pub description: String,
    /// `functional_description` (default: empty).
    pub functional_description: String,
    /// `open_date`, ms since the epoch (default [`DEFAULT_OPEN_TIME_MS`]).
    pub open_ms: u64,
    /// `close_date`, ms since the epoch (default [`DEFAULT_CLOSE_TIME_MS`]); also the close of
    /// its combo markets.
    pub close_ms: u64,
    /// `associated_events` (and `associated_event_tickers`).
    pub associated_events: Vec<CollectionEvent>,
    /// `is_ordered` (default `false`).
    pub is_ordered: bool,
    /// `size_min` (default 1).
    pub size_min: u32,
    /// `size_max` (default 10).
    pub size_max: u32,
}

impl CollectionConfig {
    /// An unordered collection of 1 to 10 legs, open from [`DEFAULT_OPEN_TIME_MS`] to
    /// [`DEFAULT_CLOSE_TIME_MS`], with no associated event yet.
    pub fn new(collection_ticker: impl Into<String>, series_ticker: impl Into<String>) -> Self {
        let collection_ticker = collection_ticker.into();
        CollectionConfig {
            title: collection_ticker.clone(),
            collection_ticker,
            series_ticker: series_ticker.into(),
            description: String::new(),
            functional_description: String::new(),
            open_ms: DEFAULT_OPEN_TIME_MS,
            close_ms: DEFAULT_CLOSE_TIME_MS,
            associated_events: Vec::new(),
            is_ordered: false,
            size_min: 1,
            size_max: 10,
        }
    }

    /// Adds an associated event (a ticker, or a [`CollectionEvent`]).
    pub fn event(mut self, event: impl Into<CollectionEvent>) -> Self {
        self.associated_events.push(event.into());
        self
    }

    /// Sets `title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets `description` and `functional_description`.
    pub fn description(
        mut self,
        description: impl Into<String>,
        functional: impl Into<String>,
    ) -> Self {
        self.description = description.into();
        self.functional_description = functional.into();
        self
    }

    /// Sets `open_date` and `close_date` (ms since the epoch).
    pub fn dates_ms(mut self, open_ms: u64, close_ms: u64) -> Self {
        self.open_ms = open_ms;
        self.close_ms = close_ms;
        self
    }

    /// Sets `is_ordered`.
    pub fn ordered(mut self, ordered: bool) -> Self {
        self.is_ordered = ordered;
        self
    }

    /// Sets `size_min` and `size_max` (inclusive).
    pub fn sizes(mut self, min: u32, max: u32) -> Self {
        self.size_min = min;
        self.size_max = max;
        self
    }

    fn status_at(&self, now_ms: u64) -> &'static str {
        if now_ms < self.open_ms {
            "unopened"
        } else if now_ms < self.close_ms {
            "open"
        } else {
            "closed"
        }
    }
}

/// One selected leg of a combo market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leg {
    pub(crate) event_ticker: String,
    pub(crate) market_ticker: String,
    pub(crate) yes: bool,
}

/// The collections and the combo markets created from them.
#[derive(Debug, Default)]
pub(crate) struct Collections {
    /// Configured collections by ticker.
    pub(crate) configs: BTreeMap<String, CollectionConfig>,
    /// The combo market of each selection (collection + legs, normalized).
    by_selection: BTreeMap<String, (String, String)>,
    /// The legs of each combo market, by market ticker.
    pub(crate) legs: BTreeMap<String, Vec<Leg>>,
}

/// The `mve_selected_legs` of a combo market.
pub(crate) fn legs_json(legs: &[Leg]) -> Value {
    legs.iter()
        .map(|l| {
            json!({
                "event_ticker": l.event_ticker,
                "market_ticker": l.market_ticker,
                "side": if l.yes { "yes" } else { "no" },
                "yes_settlement_value_dollars": null,
            })
        })
        .collect()
}

fn collection_json(c: &CollectionConfig) -> Value {
    let events: Vec<Value> = c
        .associated_events
        .iter()
        .map(|e| {
            json!({
                "ticker": e.ticker,
                "is_yes_only": e.is_yes_only,
                "size_min": e.size_min,
                "size_max": e.size_max,
                "active_quoters": [],
            })
        })
        .collect();
    let tickers: Vec<&str> = c
        .associated_events
        .iter()
        .map(|e| e.ticker.as_str())
        .collect();
    json!({
        "collection_ticker": c.collection_ticker,
        "series_ticker": c.series_ticker,
        "exchange_index": 0,
        "title": c.title,
        "description": c.description,
        "open_date": rfc3339_ms(c.open_ms),
        "close_date": rfc3339_ms(c.close_ms),
        "associated_events": events,
        "associated_event_tickers": tickers,
        "is_ordered": c.is_ordered,
        "is_single_market_per_event": !c.associated_events.is_empty()
            && c.associated_events.iter().all(|e| e.size_max == Some(1)),
        "is_all_yes": !c.associated_events.is_empty()
            && c.associated_events.iter().all(|e| e.is_yes_only),
        "size_min": c.size_min,
        "size_max": c.size_max,
        "functional_description": c.functional_description,
    })
}

/// `GET /multivariate_event_collections`
fn list(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = match ctx.query.int("limit")? {
        None => 100,
        Some(v @ 1..=200) => v as usize,
        Some(v) => {
            return Err(ApiError::invalid_parameters(format!(
                "`limit` must be between 1 and 200, got {v}"
            )));
        }
    };
    let after = read_key_cursor(ctx, 'c')?;
    let status = match ctx.query_str("status")? {
        None => None,
        Some(s @ ("unopened" | "open" | "closed")) => Some(s),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`status` must be unopened, open or closed, got `{shown}`"
            )));
        }
    };
    let event = ctx.query_str("associated_event_ticker")?;
    let series = ctx.query_str("series_ticker")?;
    let now = ctx.now_ms;
    let matching = ex
        .collections
        .configs
        .values()
        .filter(|c| {
            after
                .as_deref()
                .is_none_or(|a| c.collection_ticker.as_str() > a)
        })
        .filter(|c| status.is_none_or(|s| s == c.status_at(now)))
        .filter(|c| event.is_none_or(|e| c.associated_events.iter().any(|x| x.ticker == e)))
        .filter(|c| series.is_none_or(|s| s == c.series_ticker));
    let (page, cursor) = page(matching, limit, |c| key_cursor('c', &c.collection_ticker));
    let items: Vec<Value> = page.iter().map(|c| collection_json(c)).collect();
    Ok(Reply::ok(
        json!({"multivariate_contracts": items, "cursor": cursor}),
    ))
}

fn no_collection(ticker: &str) -> String {
    let shown: String = ticker.chars().take(100).collect();
    format!("the simulator lists no multivariate event collection `{shown}`")
}

/// `GET /multivariate_event_collections/{collection_ticker}`
fn get(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("collection_ticker")?;
    let c = ex
        .collections
        .configs
        .get(ticker)
        .ok_or_else(|| ApiError::not_found("collection not found", no_collection(ticker)))?;
    Ok(Reply::ok(
        json!({"multivariate_contract": collection_json(c)}),
    ))
}

/// Reads and checks the `selected_markets` of a create against the collection.
fn selection(
    ex: &Exchange,
    c: &CollectionConfig,
    body: &Map<String, Value>,
) -> Result<Vec<Leg>, ApiError> {
    let items = match body.get("selected_markets") {
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(ApiError::invalid_json(
                "`selected_markets` must be an array",
            ));
        }
        None => {
            return Err(ApiError::invalid_parameters(
                "`selected_markets` is required",
            ));
        }
    };
    let mut legs: Vec<Leg> = Vec::new();
    for item in items {
        let obj = item.as_object().ok_or_else(|| {
            ApiError::invalid_json("each of `selected_markets` must be an object")
        })?;
        let field = |name: &str| -> Result<String, ApiError> {
            str_field(obj, name)?
                .map(str::to_owned)
                .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
        };
        let (event_ticker, market_ticker) = (field("event_ticker")?, field("market_ticker")?);
        let yes = match field("side")?.as_str() {
            "yes" => true,
            "no" => false,
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ApiError::invalid_parameters(format!(
                    "`side` must be yes or no, got `{shown}`"
                )));
            }
        };
        let shown: String = market_ticker.chars().take(100).collect();
        let assoc = c
            .associated_events
            .iter()
            .find(|e| e.ticker == event_ticker)
            .ok_or_else(|| {
                ApiError::invalid_parameters(format!(
                    "event `{}` is not associated with the collection",
                    event_ticker.chars().take(100).collect::<String>()
                ))
            })?;
        let m = ex.markets.get(&market_ticker).ok_or_else(|| {
            ApiError::invalid_parameters(format!("the simulator lists no market `{shown}`"))
        })?;
        if m.cfg.event_ticker() != event_ticker {
            return Err(ApiError::invalid_parameters(format!(
                "market `{shown}` is not a market of the event it is given with"
            )));
        }
        if !yes && assoc.is_yes_only {
            return Err(ApiError::invalid_parameters(format!(
                "only the yes side of the markets of `{}` may be selected",
                assoc.ticker
            )));
        }
        if legs.iter().any(|l| l.market_ticker == market_ticker) {
            return Err(ApiError::invalid_parameters(format!(
                "market `{shown}` is selected twice"
            )));
        }
        legs.push(Leg {
            event_ticker,
            market_ticker,
            yes,
        });
    }
    let n = u32::try_from(legs.len()).unwrap_or(u32::MAX);
    if n < c.size_min.max(1) || n > c.size_max {
        return Err(ApiError::invalid_parameters(format!(
            "the collection takes {} to {} markets, got {n}",
            c.size_min.max(1),
            c.size_max
        )));
    }
    for e in &c.associated_events {
        let k = u32::try_from(legs.iter().filter(|l| l.event_ticker == e.ticker).count())
            .unwrap_or(u32::MAX);
        if k > 0 && (e.size_min.is_some_and(|m| k < m) || e.size_max.is_some_and(|m| k > m)) {
            return Err(ApiError::invalid_parameters(format!(
                "the collection takes {} to {} markets of `{}`, got {k}",
                e.size_min.unwrap_or(0),
                e.size_max.map_or("any".to_owned(), |m| m.to_string()),
                e.ticker
            )));
        }
    }
    if !c.is_ordered {
        legs.sort_by(|a, b| a.market_ticker.cmp(&b.market_ticker));
    }
    Ok(legs)
}

/// FNV-1a, 64 bits: a stable name for a selection.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `POST /multivariate_event_collections/{collection_ticker}`
fn create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("collection_ticker")?;
    let body = ctx.required_json_object()?;
    let with_payload = bool_field(&body, "with_market_payload")?.unwrap_or(false);
    let c = ex
        .collections
        .configs
        .get(ticker)
        .cloned()
        .ok_or_else(|| ApiError::invalid_parameters(no_collection(ticker)))?;
    let status = c.status_at(ctx.now_ms);
    if status != "open" {
        return Err(ApiError::invalid_parameters(format!(
            "the collection `{}` is {status}",
            c.collection_ticker
        )));
    }
    let legs = selection(ex, &c, &body)?;
    let key: String = std::iter::once(c.collection_ticker.clone())
        .chain(
            legs.iter()
                .map(|l| format!("{}:{}", l.market_ticker, if l.yes { "yes" } else { "no" })),
        )
        .collect::<Vec<_>>()
        .join("|");
    let (event_ticker, market_ticker) = match ex.collections.by_selection.get(&key) {
        Some(found) => found.clone(),
        None => {
            let event = format!("{}-{:010X}", c.collection_ticker, fnv1a(&key) >> 24);
            let market = format!("{event}-1");
            let title: Vec<String> = legs
                .iter()
                .map(|l| format!("{} {}", if l.yes { "yes" } else { "no" }, l.market_ticker))
                .collect();
            ex.events.insert(
                event.clone(),
                EventConfig::new(&event)
                    .series(&c.series_ticker)
                    .title(&c.title)
                    .multivariate(&c.collection_ticker),
            );
            let cfg = MarketConfig::new(&market)
                .event(&event)
                .title(title.join(", "))
                .created_time_ms(ctx.now_ms)
                .open_time_ms(c.open_ms)
                .close_time_ms(c.close_ms);
            ex.add_market(cfg, ctx.now_ms);
            ex.collections.legs.insert(market.clone(), legs);
            ex.collections
                .by_selection
                .insert(key, (event.clone(), market.clone()));
            (event, market)
        }
    };
    let mut out = json!({"event_ticker": event_ticker, "market_ticker": market_ticker});
    if with_payload {
        if let Some(m) = ex.markets.get(&market_ticker) {
            out["market"] = market_json(ex, m, ctx.now_ms);
        }
    }
    Ok(Reply::ok(out))
}
