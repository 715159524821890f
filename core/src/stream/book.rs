//! A market's order book kept from the stream: a snapshot, then deltas, in exact fixed point.
//!
//! Each side (bids for YES, bids for NO) is a vector of levels sorted by price: a book has tens
//! of levels, so a binary search and a short move beat a tree, and the best bid is the last
//! element. A level exists exactly while its count is above zero. A delta that would take a
//! level below zero, a side this client does not know, or a price outside `(0, 1)` means the
//! book no longer matches the exchange's: [`BookError`], after which the book must be rebuilt
//! from a new snapshot (the session does this by itself).
//!
//! ```
//! use kalshi_core::stream::LocalOrderbook;
//! use kalshi_core::enums::OutcomeSide;
//!
//! let mut book = LocalOrderbook::new("FED-23DEC-T3.00");
//! book.apply_delta(OutcomeSide::Yes, "0.4200".parse()?, "10.00".parse()?)?;
//! book.apply_delta(OutcomeSide::No, "0.5500".parse()?, "4.00".parse()?)?;
//! assert_eq!(book.best_yes_bid().unwrap().price.to_string(), "0.4200");
//! assert_eq!(book.best_yes_ask().unwrap().price.to_string(), "0.4500"); // 1 - best NO bid
//! book.apply_delta(OutcomeSide::Yes, "0.4200".parse()?, "-10.00".parse()?)?; // level gone
//! assert_eq!(book.best_yes_bid(), None);
//! // Taking a level below zero is a desync, not a negative level.
//! assert!(book.apply_delta(OutcomeSide::No, "0.5500".parse()?, "-5.00".parse()?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use super::message::{OrderbookDelta, OrderbookSnapshot};
use crate::enums::OutcomeSide;
use crate::market::{Orderbook, PriceLevel};
use crate::{FixedPointCount, FixedPointDollars};

/// Why a snapshot or delta could not be applied: the local book is no longer the exchange's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BookError {
    /// A delta would take a level below zero (or removes a level that is not there).
    NegativeLevel {
        /// The side.
        side: OutcomeSide,
        /// The price.
        price: FixedPointDollars,
        /// The count resting before the delta.
        had: FixedPointCount,
        /// The delta.
        delta: FixedPointCount,
    },
    /// A price outside `(0, 1)` dollars.
    PriceOutOfRange(FixedPointDollars),
    /// A side other than `yes` or `no`.
    UnknownSide(String),
    /// A snapshot level with a count of zero or less, or a price twice on one side.
    BadSnapshotLevel {
        /// The side.
        side: OutcomeSide,
        /// The level.
        level: PriceLevel,
    },
    /// The message is for another market.
    WrongMarket {
        /// This book's market.
        book: String,
        /// The message's market.
        message: String,
    },
    /// A count overflowed the fixed-point range.
    Overflow,
}

impl fmt::Display for BookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookError::NegativeLevel {
                side,
                price,
                had,
                delta,
            } => write!(
                f,
                "delta {delta} at {side} {price} would leave {had} + {delta} < 0 contracts"
            ),
            BookError::PriceOutOfRange(p) => write!(f, "price {p} is outside (0, 1)"),
            BookError::UnknownSide(s) => write!(f, "unknown book side `{s}`"),
            BookError::BadSnapshotLevel { side, level } => write!(
                f,
                "snapshot level {side} {} x {} is not a positive, unique level",
                level.price, level.count
            ),
            BookError::WrongMarket { book, message } => {
                write!(f, "message for `{message}` applied to the book of `{book}`")
            }
            BookError::Overflow => write!(f, "a count overflowed"),
        }
    }
}

impl std::error::Error for BookError {}

/// One side's levels, ascending by price, every count above zero.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Side(Vec<(FixedPointDollars, FixedPointCount)>);

impl Side {
    fn apply(
        &mut self,
        side: &OutcomeSide,
        price: FixedPointDollars,
        delta: FixedPointCount,
    ) -> Result<(), BookError> {
        match self.0.binary_search_by_key(&price, |l| l.0) {
            Ok(i) => {
                let had = self.0[i].1;
                let now = had
                    .hundredths()
                    .checked_add(delta.hundredths())
                    .ok_or(BookError::Overflow)?;
                match now {
                    n if n > 0 => self.0[i].1 = FixedPointCount::from_hundredths(n),
                    0 => {
                        self.0.remove(i);
                    }
                    _ => {
                        return Err(BookError::NegativeLevel {
                            side: side.clone(),
                            price,
                            had,
                            delta,
                        });
                    }
                }
            }
            Err(i) => match delta.hundredths() {
                d if d > 0 => self.0.insert(i, (price, delta)),
                0 => {}
                _ => {
                    return Err(BookError::NegativeLevel {
                        side: side.clone(),
                        price,
                        had: FixedPointCount::ZERO,
                        delta,
                    });
                }
            },
        }
        Ok(())
    }

    fn from_levels(side: OutcomeSide, levels: &[PriceLevel]) -> Result<Side, BookError> {
        let mut v: Vec<_> = Vec::with_capacity(levels.len());
        for l in levels {
            check_price(l.price)?;
            if l.count.hundredths() <= 0 {
                return Err(BookError::BadSnapshotLevel { side, level: *l });
            }
            v.push((l.price, l.count));
        }
        v.sort_unstable_by_key(|l| l.0);
        if let Some(w) = v.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(BookError::BadSnapshotLevel {
                side,
                level: PriceLevel::new(w[1].0, w[1].1),
            });
        }
        Ok(Side(v))
    }

    fn best(&self) -> Option<PriceLevel> {
        self.0.last().map(|&(p, c)| PriceLevel::new(p, c))
    }

    fn best_first(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.0.iter().rev().map(|&(p, c)| PriceLevel::new(p, c))
    }
}

fn check_price(price: FixedPointDollars) -> Result<(), BookError> {
    if price > FixedPointDollars::ZERO && price < FixedPointDollars::ONE {
        Ok(())
    } else {
        Err(BookError::PriceOutOfRange(price))
    }
}

/// A market's order book built from the stream (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOrderbook {
    market_ticker: String,
    yes: Side,
    no: Side,
}

impl LocalOrderbook {
    /// An empty book for `market_ticker`.
    pub fn new(market_ticker: impl Into<String>) -> Self {
        LocalOrderbook {
            market_ticker: market_ticker.into(),
            yes: Side::default(),
            no: Side::default(),
        }
    }

    /// The book a snapshot describes; refuses a snapshot with a zero or negative count, a
    /// price twice on one side, or a price outside `(0, 1)`.
    pub fn from_snapshot(snapshot: &OrderbookSnapshot) -> Result<Self, BookError> {
        Ok(LocalOrderbook {
            market_ticker: snapshot.market_ticker.clone(),
            yes: Side::from_levels(OutcomeSide::Yes, &snapshot.yes_dollars_fp)?,
            no: Side::from_levels(OutcomeSide::No, &snapshot.no_dollars_fp)?,
        })
    }

    /// Replaces the whole book with a snapshot of the same market (unchanged on error).
    pub fn apply_snapshot(&mut self, snapshot: &OrderbookSnapshot) -> Result<(), BookError> {
        self.check_market(&snapshot.market_ticker)?;
        *self = LocalOrderbook::from_snapshot(snapshot)?;
        Ok(())
    }

    /// Applies an `orderbook_delta` of this market (unchanged on error).
    pub fn apply(&mut self, delta: &OrderbookDelta) -> Result<(), BookError> {
        self.check_market(&delta.market_ticker)?;
        self.apply_delta(delta.side.clone(), delta.price_dollars, delta.delta_fp)
    }

    /// Adds `delta` contracts at `price` on `side`: the level appears when it was absent, and
    /// disappears exactly when its count reaches zero. Unchanged on error.
    pub fn apply_delta(
        &mut self,
        side: OutcomeSide,
        price: FixedPointDollars,
        delta: FixedPointCount,
    ) -> Result<(), BookError> {
        check_price(price)?;
        match side {
            OutcomeSide::Yes => self.yes.apply(&side, price, delta),
            OutcomeSide::No => self.no.apply(&side, price, delta),
            OutcomeSide::Unknown(s) => Err(BookError::UnknownSide(s)),
        }
    }

    fn check_market(&self, ticker: &str) -> Result<(), BookError> {
        if ticker == self.market_ticker {
            Ok(())
        } else {
            Err(BookError::WrongMarket {
                book: self.market_ticker.clone(),
                message: ticker.to_owned(),
            })
        }
    }

    /// The market.
    pub fn market_ticker(&self) -> &str {
        &self.market_ticker
    }

    /// The best (highest) YES bid.
    pub fn best_yes_bid(&self) -> Option<PriceLevel> {
        self.yes.best()
    }

    /// The best (highest) NO bid.
    pub fn best_no_bid(&self) -> Option<PriceLevel> {
        self.no.best()
    }

    /// The best YES ask: `1 -` the best NO bid, with its count.
    pub fn best_yes_ask(&self) -> Option<PriceLevel> {
        self.no.best().map(PriceLevel::opposite)
    }

    /// The best NO ask: `1 -` the best YES bid, with its count.
    pub fn best_no_ask(&self) -> Option<PriceLevel> {
        self.yes.best().map(PriceLevel::opposite)
    }

    /// Bids for YES, best (highest) first.
    pub fn yes_bids(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.yes.best_first()
    }

    /// Bids for NO, best (highest) first.
    pub fn no_bids(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.no.best_first()
    }

    /// The number of price levels on a side (0 for an unknown side).
    pub fn depth(&self, side: &OutcomeSide) -> usize {
        match side {
            OutcomeSide::Yes => self.yes.0.len(),
            OutcomeSide::No => self.no.0.len(),
            OutcomeSide::Unknown(_) => 0,
        }
    }

    /// True when neither side has a level.
    pub fn is_empty(&self) -> bool {
        self.yes.0.is_empty() && self.no.0.is_empty()
    }

    /// The book in the REST shape ([`Orderbook`], levels ascending as the guide shows them),
    /// e.g. to compare with `GetMarketOrderbook`.
    pub fn to_orderbook(&self) -> Orderbook {
        let side = |s: &Side| s.0.iter().map(|&(p, c)| PriceLevel::new(p, c)).collect();
        Orderbook {
            yes_dollars: side(&self.yes),
            no_dollars: side(&self.no),
        }
    }

    /// True when `rest` (a REST order book, full depth, in any level order) holds exactly
    /// these levels.
    pub fn matches(&self, rest: &Orderbook) -> bool {
        fn same(mine: &Side, theirs: &[PriceLevel]) -> bool {
            let mut t: Vec<_> = theirs.iter().map(|l| (l.price, l.count)).collect();
            t.sort_unstable_by_key(|l| l.0);
            mine.0 == t
        }
        same(&self.yes, &rest.yes_dollars) && same(&self.no, &rest.no_dollars)
    }
}

#[cfg(test)]
mod tests;
