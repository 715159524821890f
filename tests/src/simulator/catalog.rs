//! The catalog: series, events and markets, as `GET /series`, `/events` and `/markets` show
//! them.
//!
//! - Markets come from the configuration ([`MarketConfig`]) and
//!   [`Simulator::add_market`](super::Simulator::add_market). Their events and series are
//!   configured ([`EventConfig`], [`SeriesConfig`]) or derived: a market's event is its ticker
//!   up to the last `-` (or [`MarketConfig::event`]), an event's series its ticker up to the
//!   first `-` (or [`EventConfig::series`]); a derived event or series has its ticker as title
//!   and the defaults of [`EventConfig::new`] / [`SeriesConfig::new`].
//! - A market's prices, sizes, volume and open interest come from the engine: `yes_bid_*` and
//!   `yes_ask_*` are the best levels of the live book (`"0.0000"`/`"1.0000"` and size
//!   `"0.00"` when a side is empty), `no_bid_dollars` is `1 - yes_ask`, `no_ask_dollars`
//!   `1 - yes_bid`; `last_price_dollars` the last trade (`"0.0000"` before any), `volume_fp`
//!   every contract traded, `volume_24h_fp` those of the last 24 hours, `open_interest_fp` the
//!   YES contracts held; the `previous_*` fields are the same values as of 24 hours ago.
//!   `status` is the configured status combined with the clock ([`MarketStatus`]), and
//!   `finalized` once settled ([`Simulator::settle_market`](super::Simulator::settle_market)),
//!   with the settlement's `result`, `settlement_ts` and `settlement_value_dollars`.
//! - Lists are sorted by ticker; the cursor is opaque and `""` on the last page.

use std::collections::BTreeMap;

use http::Method;
use serde_json::{Value, json};

use super::clock::rfc3339_ms;
use super::engine::market_not_found;
use super::errors::ApiError;
use super::fixed_point::{Count, PRICE_SCALE, dollars};
use super::markets::{Market, MarketConfig, MarketStatus, series_of};
use super::request::RequestCtx;
use super::router::{Reply, Route};
use super::state::Exchange;

/// The catalog routes, relative to the base path (all public: no signature needed).
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::public(Method::GET, "/markets", markets),
        Route::public(Method::GET, "/markets/{ticker}", market),
        Route::public(Method::GET, "/events", events),
        // Signed on Kalshi (it documents a 401).
        Route::new(Method::GET, "/events/multivariate", multivariate_events),
        Route::public(Method::GET, "/events/{event_ticker}", event),
        Route::public(
            Method::GET,
            "/events/{event_ticker}/metadata",
            event_metadata,
        ),
        Route::public(Method::GET, "/series", series_list),
        Route::public(Method::GET, "/series/{series_ticker}", series),
    ]
}

/// A series, as `GET /series` shows it.
///
/// ```
/// use kalshi_simulator::SeriesConfig;
/// let s = SeriesConfig::new("KXRAIN").title("Rain in NYC").category("Climate").tags(["Weather"]);
/// assert_eq!(s.frequency, "daily");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SeriesConfig {
    /// The series ticker.
    pub ticker: String,
    /// `title` (default: the ticker).
    pub title: String,
    /// `category` (default: empty).
    pub category: String,
    /// `frequency` (default `"daily"`).
    pub frequency: String,
    /// `tags` (default: none).
    pub tags: Vec<String>,
    /// `fee_type` (default `"quadratic"`).
    pub fee_type: String,
    /// `fee_multiplier` (default 1). Informational: the simulator charges no fees.
    pub fee_multiplier: f64,
    /// `contract_url` (default: empty).
    pub contract_url: String,
    /// `contract_terms_url` (default: empty).
    pub contract_terms_url: String,
    /// `settlement_sources`: (name, url) pairs (default: none).
    pub settlement_sources: Vec<(String, String)>,
    /// `last_updated_ts`, ms since the epoch (default: the markets' default creation time).
    pub updated_ms: u64,
}

impl SeriesConfig {
    /// A series titled after its ticker, daily, quadratic fees, no category or tags.
    pub fn new(ticker: impl Into<String>) -> Self {
        let ticker = ticker.into();
        SeriesConfig {
            title: ticker.clone(),
            ticker,
            category: String::new(),
            frequency: "daily".to_owned(),
            tags: Vec::new(),
            fee_type: "quadratic".to_owned(),
            fee_multiplier: 1.0,
            contract_url: String::new(),
            contract_terms_url: String::new(),
            settlement_sources: Vec::new(),
            updated_ms: super::markets::DEFAULT_OPEN_TIME_MS,
        }
    }

    /// Sets `title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets `category`.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = category.into();
        self
    }

    /// Sets `frequency`.
    pub fn frequency(mut self, frequency: impl Into<String>) -> Self {
        self.frequency = frequency.into();
        self
    }

    /// Sets `tags`.
    pub fn tags<T: Into<String>>(mut self, tags: impl IntoIterator<Item = T>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `fee_type` and `fee_multiplier`.
    pub fn fees(mut self, fee_type: impl Into<String>, fee_multiplier: f64) -> Self {
        self.fee_type = fee_type.into();
        self.fee_multiplier = fee_multiplier;
        self
    }

    /// Adds a settlement source.
    pub fn settlement_source(mut self, name: impl Into<String>, url: impl Into<String>) -> Self {
        self.settlement_sources.push((name.into(), url.into()));
        self
    }
}

/// An event, as `GET /events` shows it, and its metadata (`GET /events/{ticker}/metadata`).
///
/// ```
/// use kalshi_simulator::EventConfig;
/// let e = EventConfig::new("KXRAIN-26JUN01").title("Rain on June 1").mutually_exclusive(true);
/// assert_eq!(e.series_ticker(), "KXRAIN");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventConfig {
    /// The event ticker.
    pub event_ticker: String,
    /// The series, if not the one derived from the ticker (see
    /// [`series_ticker`](Self::series_ticker)).
    pub series: Option<String>,
    /// `title` (default: the ticker).
    pub title: String,
    /// `sub_title` (default: empty).
    pub sub_title: String,
    /// `mutually_exclusive` (default `false`).
    pub mutually_exclusive: bool,
    /// `collateral_return_type` (default `"binary"`).
    pub collateral_return_type: String,
    /// `strike_date`, ms since the epoch (default: none, `null`).
    pub strike_date_ms: Option<u64>,
    /// The metadata's `image_url` (default: empty).
    pub image_url: String,
    /// The metadata's `competition` (default: none, `null`).
    pub competition: Option<String>,
    /// `settlement_sources` of the event and its metadata: (name, url) pairs (default: none).
    pub settlement_sources: Vec<(String, String)>,
    /// `last_updated_ts`, ms since the epoch (default: the markets' default creation time).
    pub updated_ms: u64,
    /// The multivariate event collection the event was created from (default: none). A
    /// multivariate event is listed by `GET /events/multivariate`, not by `GET /events`.
    pub collection_ticker: Option<String>,
}

impl EventConfig {
    /// An event titled after its ticker, in the series derived from it, not mutually
    /// exclusive.
    pub fn new(event_ticker: impl Into<String>) -> Self {
        let event_ticker = event_ticker.into();
        EventConfig {
            title: event_ticker.clone(),
            event_ticker,
            series: None,
            sub_title: String::new(),
            mutually_exclusive: false,
            collateral_return_type: "binary".to_owned(),
            strike_date_ms: None,
            image_url: String::new(),
            competition: None,
            settlement_sources: Vec::new(),
            updated_ms: super::markets::DEFAULT_OPEN_TIME_MS,
            collection_ticker: None,
        }
    }

    /// Makes the event a multivariate (combo) event of the collection `collection_ticker`.
    pub fn multivariate(mut self, collection_ticker: impl Into<String>) -> Self {
        self.collection_ticker = Some(collection_ticker.into());
        self
    }

    /// Puts the event in the series `series_ticker` instead of the one derived from its ticker.
    pub fn series(mut self, series_ticker: impl Into<String>) -> Self {
        self.series = Some(series_ticker.into());
        self
    }

    /// Sets `title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets `sub_title`.
    pub fn sub_title(mut self, sub_title: impl Into<String>) -> Self {
        self.sub_title = sub_title.into();
        self
    }

    /// Sets `mutually_exclusive`.
    pub fn mutually_exclusive(mut self, exclusive: bool) -> Self {
        self.mutually_exclusive = exclusive;
        self
    }

    /// Sets `strike_date` (ms since the epoch).
    pub fn strike_date_ms(mut self, ms: u64) -> Self {
        self.strike_date_ms = Some(ms);
        self
    }

    /// Sets the metadata's `image_url`.
    pub fn image_url(mut self, url: impl Into<String>) -> Self {
        self.image_url = url.into();
        self
    }

    /// Sets the metadata's `competition`.
    pub fn competition(mut self, competition: impl Into<String>) -> Self {
        self.competition = Some(competition.into());
        self
    }

    /// Adds a settlement source.
    pub fn settlement_source(mut self, name: impl Into<String>, url: impl Into<String>) -> Self {
        self.settlement_sources.push((name.into(), url.into()));
        self
    }

    /// The series ticker: the one set with [`series`](Self::series), else the event ticker up
    /// to its first `-`.
    pub fn series_ticker(&self) -> &str {
        self.series
            .as_deref()
            .unwrap_or_else(|| series_of(&self.event_ticker))
    }
}

/// One scheduled series fee change (`GET /series/fee_changes`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SeriesFeeChange {
    pub(crate) id: String,
    pub(crate) series_ticker: String,
    pub(crate) fee_type: String,
    pub(crate) fee_multiplier: f64,
    pub(crate) scheduled_ms: u64,
}

/// One scheduled event fee override (`GET /events/fee_changes`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EventFeeChange {
    pub(crate) id: String,
    pub(crate) event_ticker: String,
    pub(crate) fee_type_override: Option<String>,
    pub(crate) fee_multiplier_override: Option<f64>,
    pub(crate) scheduled_ms: u64,
}

/// The configured fee changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FeeChanges {
    pub(crate) series: Vec<SeriesFeeChange>,
    pub(crate) events: Vec<EventFeeChange>,
}

// ---------------------------------------------------------------------------------------------
// Views

impl Exchange {
    /// Every event: the configured ones and those of the listed markets, by ticker.
    pub(crate) fn event_views(&self) -> BTreeMap<String, EventConfig> {
        let mut all = self.events.clone();
        for m in self.markets.values() {
            let e = m.cfg.event_ticker();
            if !all.contains_key(e) {
                all.insert(e.to_owned(), EventConfig::new(e));
            }
        }
        all
    }

    /// Every series: the configured ones and those of every event, by ticker.
    pub(crate) fn series_views(&self) -> BTreeMap<String, SeriesConfig> {
        let mut all = self.series.clone();
        for e in self.event_views().values() {
            let s = e.series_ticker();
            if !all.contains_key(s) {
                all.insert(s.to_owned(), SeriesConfig::new(s));
            }
        }
        all
    }

    /// The series of a market (through its event).
    pub(crate) fn series_of_market(&self, cfg: &MarketConfig) -> String {
        let e = cfg.event_ticker();
        self.events
            .get(e)
            .map_or_else(|| series_of(e), EventConfig::series_ticker)
            .to_owned()
    }

    /// The markets of an event, by ticker.
    pub(crate) fn markets_of_event<'a>(
        &'a self,
        event_ticker: &'a str,
    ) -> impl Iterator<Item = &'a Market> + 'a {
        self.markets
            .values()
            .filter(move |m| m.cfg.event_ticker() == event_ticker)
    }

    /// The markets of an event still in the live data set (not archived by the historical
    /// cutoff), by ticker.
    pub(crate) fn live_markets_of_event<'a>(
        &'a self,
        event_ticker: &'a str,
    ) -> impl Iterator<Item = &'a Market> + 'a {
        self.markets_of_event(event_ticker)
            .filter(|m| !self.market_archived(&m.cfg.ticker))
    }
}

/// What the trades of one market add up to at some instant.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TradeStats {
    pub(crate) last_price: Option<u32>,
    pub(crate) volume: Count,
    pub(crate) volume_24h: Count,
    pub(crate) open_interest: Count,
    pub(crate) last_ms: u64,
}

const DAY_MS: u64 = 86_400_000;

/// The trade statistics of `ticker` as of `at_ms` (trades after it are ignored).
pub(crate) fn trade_stats(ex: &Exchange, ticker: &str, at_ms: u64) -> TradeStats {
    let mut s = TradeStats::default();
    for t in ex
        .trades
        .iter()
        .filter(|t| t.ticker == ticker && t.ts_ms <= at_ms)
    {
        s.last_price = Some(t.price.get());
        s.volume = s.volume.saturating_add(t.count);
        if t.ts_ms + DAY_MS > at_ms {
            s.volume_24h = s.volume_24h.saturating_add(t.count);
        }
        s.open_interest = t.open_interest;
        s.last_ms = t.ts_ms;
    }
    s
}

/// `0.XXXX` for a price in ten-thousandths (`1.0000` for the full scale).
pub(crate) fn price_str(p: u32) -> String {
    format!("{}.{:04}", p / PRICE_SCALE, p % PRICE_SCALE)
}

/// The resting contracts at one price level of a side.
pub(crate) fn level_size(ex: &Exchange, m: &Market, bid: bool, price: u32) -> Count {
    let side = if bid { &m.bids } else { &m.asks };
    side.get(&price)
        .into_iter()
        .flatten()
        .filter_map(|id| ex.orders.get(id))
        .fold(Count::ZERO, |a, o| a.saturating_add(o.remaining))
}

/// The `price_level_structure` name of a uniform tick.
fn price_level_structure(tick: u32) -> String {
    match tick {
        100 => "linear_cent".to_owned(),
        10 => "deci_cent".to_owned(),
        50 => "center_half_edge_half_cent".to_owned(),
        20 => "center_quint_edge_quint_cent".to_owned(),
        1 => "center_centi_edge_centi_cent".to_owned(),
        t => format!("uniform_{t}_ten_thousandths"),
    }
}

/// A market as the API shows it, at exchange time `now_ms`.
pub(crate) fn market_json(ex: &Exchange, m: &Market, now_ms: u64) -> Value {
    let c = &m.cfg;
    let (bid, ask) = m.top();
    let stats = trade_stats(ex, &c.ticker, now_ms);
    let day_ago = now_ms.saturating_sub(DAY_MS);
    let previous = trade_stats(ex, &c.ticker, day_ago);
    let (prev_bid, prev_ask) = m.top_at(day_ago);
    let status = status_now(ex, m, now_ms);
    let settled_as = ex.ledger.settled.get(&c.ticker);
    let bid_size = bid.map_or(Count::ZERO, |p| level_size(ex, m, true, p));
    let ask_size = ask.map_or(Count::ZERO, |p| level_size(ex, m, false, p));
    let latest_expiration = c.latest_expiration_ms.unwrap_or(c.close_ms);
    let settled_ms = settled_ms(ex, m, now_ms);
    let mut v = json!({
        "ticker": c.ticker,
        "event_ticker": c.event_ticker(),
        "market_type": "binary",
        "title": c.title,
        "subtitle": c.subtitle,
        "yes_sub_title": c.yes_sub_title,
        "no_sub_title": c.no_sub_title,
        "created_time": rfc3339_ms(c.created_ms),
        "updated_time": rfc3339_ms(m.updated_ms.max(c.created_ms)),
        "open_time": rfc3339_ms(c.open_ms),
        "close_time": rfc3339_ms(c.close_ms),
        "expiration_time": rfc3339_ms(latest_expiration),
        "latest_expiration_time": rfc3339_ms(latest_expiration),
        "expected_expiration_time": c.expected_expiration_ms.map(rfc3339_ms),
        "settlement_timer_seconds": 0,
        "settlement_ts": settled_ms.map(rfc3339_ms),
        "status": status.as_str(),
        "result": settled_as.map_or("", |s| s.result.name()),
        "can_close_early": c.can_close_early,
        "expiration_value": "",
        "exchange_index": c.exchange_index,
        "is_provisional": false,
    });
    let engine = json!({
        "notional_value_dollars": "1.0000",
        "yes_bid_dollars": price_str(bid.unwrap_or(0)),
        "yes_bid_size_fp": bid_size.to_fp(),
        "yes_ask_dollars": price_str(ask.unwrap_or(PRICE_SCALE)),
        "yes_ask_size_fp": ask_size.to_fp(),
        "no_bid_dollars": price_str(PRICE_SCALE - ask.unwrap_or(PRICE_SCALE)),
        "no_ask_dollars": price_str(PRICE_SCALE - bid.unwrap_or(0)),
        "last_price_dollars": price_str(stats.last_price.unwrap_or(0)),
        "previous_price_dollars": price_str(previous.last_price.unwrap_or(0)),
        "previous_yes_bid_dollars": price_str(prev_bid.unwrap_or(0)),
        "previous_yes_ask_dollars": price_str(prev_ask.unwrap_or(PRICE_SCALE)),
        "volume_fp": stats.volume.to_fp(),
        "volume_24h_fp": stats.volume_24h.to_fp(),
        "open_interest_fp": stats.open_interest.to_fp(),
        "rules_primary": c.rules_primary,
        "rules_secondary": c.rules_secondary,
        "price_level_structure": price_level_structure(c.tick_size),
        "price_ranges": [{
            "start": "0.0000",
            "end": "1.0000",
            "step": price_str(c.tick_size.min(PRICE_SCALE)),
        }],
    });
    if let (Value::Object(all), Value::Object(more)) = (&mut v, engine) {
        all.extend(more);
    }
    if let Some(s) = settled_as {
        v["settlement_value_dollars"] =
            json!(dollars(i64::from(s.result.yes_payout_cents()) * 10_000));
    }
    // A market of a multivariate event names its collection; one created through the
    // collection also its legs.
    if let Some(collection) = ex
        .events
        .get(c.event_ticker())
        .and_then(|e| e.collection_ticker.as_deref())
    {
        v["mve_collection_ticker"] = json!(collection);
    }
    if let Some(legs) = ex.collections.legs.get(&c.ticker) {
        v["mve_selected_legs"] = super::collections::legs_json(legs);
    }
    v
}

/// Whether a market is a combo market (its event is multivariate).
fn is_combo(ex: &Exchange, cfg: &MarketConfig) -> bool {
    ex.events
        .get(cfg.event_ticker())
        .is_some_and(|e| e.collection_ticker.is_some())
}

/// The status a market reports at `now_ms`: [`Finalized`](MarketStatus::Finalized) once
/// settled ([`Simulator::settle_market`](super::Simulator::settle_market)), else its
/// configured status combined with the clock.
pub(crate) fn status_now(ex: &Exchange, m: &Market, now_ms: u64) -> MarketStatus {
    if ex.ledger.settled.contains_key(&m.cfg.ticker) {
        MarketStatus::Finalized
    } else {
        m.cfg.status_at(now_ms)
    }
}

/// When a market settled: the settlement's time, or for a market configured as finalized, its
/// last update; `None` while it is not settled.
fn settled_ms(ex: &Exchange, m: &Market, now_ms: u64) -> Option<u64> {
    match ex.ledger.settled.get(&m.cfg.ticker) {
        Some(s) => Some(s.settled_ms),
        None => (m.cfg.status_at(now_ms) == MarketStatus::Finalized).then_some(m.updated_ms),
    }
}

fn sources_json(sources: &[(String, String)]) -> Value {
    sources
        .iter()
        .map(|(name, url)| json!({"name": name, "url": url}))
        .collect()
}

/// An event as the API shows it; `markets` adds the nested `markets` field.
fn event_json(ex: &Exchange, e: &EventConfig, markets: Option<Vec<Value>>) -> Value {
    let series = ex.series_views();
    let category = series
        .get(e.series_ticker())
        .map_or(String::new(), |s| s.category.clone());
    let exchange_index = ex
        .markets_of_event(&e.event_ticker)
        .next()
        .map_or(0, |m| m.cfg.exchange_index);
    let mut v = json!({
        "event_ticker": e.event_ticker,
        "series_ticker": e.series_ticker(),
        "title": e.title,
        "sub_title": e.sub_title,
        "mutually_exclusive": e.mutually_exclusive,
        "collateral_return_type": e.collateral_return_type,
        "available_on_brokers": false,
        "category": category,
        "exchange_index": exchange_index,
        "settlement_sources": sources_json(&e.settlement_sources),
        "strike_date": e.strike_date_ms.map(rfc3339_ms),
        "last_updated_ts": rfc3339_ms(e.updated_ms),
    });
    if let Some(m) = markets {
        v["markets"] = Value::Array(m);
    }
    v
}

fn series_json(ex: &Exchange, s: &SeriesConfig, include_volume: bool, now_ms: u64) -> Value {
    let mut v = json!({
        "ticker": s.ticker,
        "title": s.title,
        "category": s.category,
        "frequency": s.frequency,
        "tags": s.tags,
        "fee_type": s.fee_type,
        "fee_multiplier": s.fee_multiplier,
        "contract_url": s.contract_url,
        "contract_terms_url": s.contract_terms_url,
        "settlement_sources": sources_json(&s.settlement_sources),
        "additional_prohibitions": [],
        "last_updated_ts": rfc3339_ms(s.updated_ms),
    });
    if include_volume {
        let volume = ex
            .markets
            .values()
            .filter(|m| ex.series_of_market(&m.cfg) == s.ticker)
            .map(|m| trade_stats(ex, &m.cfg.ticker, now_ms).volume)
            .fold(Count::ZERO, Count::saturating_add);
        v["volume_fp"] = json!(volume.to_fp());
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Query helpers

/// An optional boolean query parameter (`true` / `false`).
pub(crate) fn query_bool(ctx: &RequestCtx, name: &str) -> Result<Option<bool>, ApiError> {
    match ctx.query_str(name)? {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            Err(ApiError::invalid_parameters(format!(
                "`{name}` must be true or false, got `{shown}`"
            )))
        }
    }
}

/// A `limit` of `0..=max` where 0 and absent mean `default`.
pub(crate) fn limit_upto(ctx: &RequestCtx, max: i64, default: usize) -> Result<usize, ApiError> {
    match ctx.query.int("limit")? {
        None | Some(0) => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v as usize),
        Some(v) => Err(ApiError::invalid_parameters(format!(
            "`limit` must be between 0 and {max}, got {v}"
        ))),
    }
}

/// A comma-separated list parameter, trimmed, empty items dropped.
pub(crate) fn query_list<'a>(
    ctx: &'a RequestCtx,
    name: &str,
) -> Result<Option<Vec<&'a str>>, ApiError> {
    Ok(ctx.query_str(name)?.map(|v| {
        v.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }))
}

/// A cursor that names the last key of the previous page: `prefix` + the key in hex.
pub(crate) fn key_cursor(prefix: char, key: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// Reads a [`key_cursor`]; absent or empty is the first page.
pub(crate) fn read_key_cursor(ctx: &RequestCtx, prefix: char) -> Result<Option<String>, ApiError> {
    let Some(c) = ctx.query_str("cursor")? else {
        return Ok(None);
    };
    let bad = || {
        let shown: String = c.chars().take(40).collect();
        ApiError::invalid_parameters(format!(
            "`cursor` `{shown}` is not a cursor this list returned"
        ))
    };
    let hex = c.strip_prefix(prefix).ok_or_else(bad)?;
    if hex.is_empty() || hex.len() % 2 != 0 || !hex.is_ascii() {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    String::from_utf8(bytes).map(Some).map_err(|_| bad())
}

/// Takes one page of `items` (already after the cursor): the page and the next cursor.
pub(crate) fn page<T>(
    items: impl Iterator<Item = T>,
    limit: usize,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, String) {
    let mut items = items.peekable();
    let mut out = Vec::new();
    while out.len() < limit {
        match items.next() {
            Some(i) => out.push(i),
            None => break,
        }
    }
    let cursor = match (items.peek().is_some(), out.last()) {
        (true, Some(last)) => key(last),
        _ => String::new(),
    };
    (out, cursor)
}

/// Unix seconds of a millisecond time.
fn secs(ms: u64) -> i64 {
    i64::try_from(ms / 1000).unwrap_or(i64::MAX)
}

/// The `status` filter of `GET /markets` / `GET /events`.
fn status_filter(ctx: &RequestCtx, allowed: &[&str]) -> Result<Option<&'static str>, ApiError> {
    let Some(s) = ctx.query_str("status")? else {
        return Ok(None);
    };
    let known = ["unopened", "open", "paused", "closed", "settled"];
    match known.into_iter().find(|k| *k == s && allowed.contains(k)) {
        Some(k) => Ok(Some(k)),
        None => {
            let shown: String = s.chars().take(40).collect();
            Err(ApiError::invalid_parameters(format!(
                "`status` must be one of {}, got `{shown}`",
                allowed.join(", ")
            )))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `GET /markets`
fn markets(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = limit_upto(ctx, 1000, 100)?;
    let after = read_key_cursor(ctx, 'm')?;
    let event = ctx.query_str("event_ticker")?;
    let series = ctx.query_str("series_ticker")?;
    let tickers = query_list(ctx, "tickers")?;
    let status = status_filter(ctx, &["unopened", "open", "paused", "closed", "settled"])?;
    let q = |n: &str| ctx.query.int(n);
    let (min_created, max_created) = (q("min_created_ts")?, q("max_created_ts")?);
    let min_updated = q("min_updated_ts")?;
    let (min_close, max_close) = (q("min_close_ts")?, q("max_close_ts")?);
    let (min_settled, max_settled) = (q("min_settled_ts")?, q("max_settled_ts")?);
    let mve = match ctx.query_str("mve_filter")? {
        None => None,
        Some(v @ ("only" | "exclude")) => Some(v),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`mve_filter` must be only or exclude, got `{shown}`"
            )));
        }
    };
    // The documented compatibility table: one timestamp family, with the statuses it allows.
    let families = [
        (
            min_created.is_some() || max_created.is_some(),
            &["unopened", "open"][..],
            "min_created_ts/max_created_ts",
        ),
        (
            min_close.is_some() || max_close.is_some(),
            &["closed"][..],
            "min_close_ts/max_close_ts",
        ),
        (
            min_settled.is_some() || max_settled.is_some(),
            &["settled"][..],
            "min_settled_ts/max_settled_ts",
        ),
        (min_updated.is_some(), &[][..], "min_updated_ts"),
    ];
    let used: Vec<_> = families.iter().filter(|f| f.0).collect();
    if used.len() > 1 {
        return Err(ApiError::invalid_parameters(
            "timestamp filters of different families (created, close, settled, updated) cannot be combined",
        ));
    }
    if let (Some(f), Some(s)) = (used.first(), status) {
        if !f.1.contains(&s) {
            return Err(ApiError::invalid_parameters(format!(
                "`status` {s} cannot be combined with {}",
                f.2
            )));
        }
    }
    if min_updated.is_some()
        && (event.is_some() || tickers.is_some() || mve.is_some_and(|m| m != "exclude"))
    {
        return Err(ApiError::invalid_parameters(
            "`min_updated_ts` combines only with `series_ticker` and `mve_filter=exclude`",
        ));
    }
    let now = ctx.now_ms;
    let in_range = |ms: u64, min: Option<i64>, max: Option<i64>| {
        let s = secs(ms);
        min.is_none_or(|m| s >= m) && max.is_none_or(|m| s <= m)
    };
    let matching = ex
        .markets
        .values()
        .filter(|m| after.as_deref().is_none_or(|a| m.cfg.ticker.as_str() > a))
        .filter(|m| event.is_none_or(|e| e == m.cfg.event_ticker()))
        .filter(|m| series.is_none_or(|s| s == ex.series_of_market(&m.cfg)))
        .filter(|m| {
            tickers
                .as_ref()
                .is_none_or(|t| t.contains(&m.cfg.ticker.as_str()))
        })
        // Settled markets archived before the historical cutoff move to `/historical/markets`.
        .filter(|m| !ex.market_archived(&m.cfg.ticker))
        .filter(|m| status.is_none_or(|s| status_now(ex, m, now).filter_name() == s))
        .filter(|m| in_range(m.cfg.created_ms, min_created, max_created))
        .filter(|m| in_range(m.cfg.close_ms, min_close, max_close))
        .filter(|m| in_range(m.updated_ms.max(m.cfg.created_ms), min_updated, None))
        .filter(|m| {
            (min_settled.is_none() && max_settled.is_none())
                || settled_ms(ex, m, now).is_some_and(|t| in_range(t, min_settled, max_settled))
        })
        // Combo markets: those of a multivariate event.
        .filter(|m| match mve {
            Some("only") => is_combo(ex, &m.cfg),
            Some(_) => !is_combo(ex, &m.cfg),
            None => true,
        });
    let (page, cursor) = page(matching, limit, |m| key_cursor('m', &m.cfg.ticker));
    let items: Vec<Value> = page.iter().map(|m| market_json(ex, m, now)).collect();
    Ok(Reply::ok(json!({"markets": items, "cursor": cursor})))
}

/// `GET /markets/{ticker}`
fn market(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("ticker")?;
    let m = ex
        .markets
        .get(ticker)
        .filter(|m| !ex.market_archived(&m.cfg.ticker))
        .ok_or_else(|| market_not_found(ticker))?;
    Ok(Reply::ok(json!({"market": market_json(ex, m, ctx.now_ms)})))
}

/// `GET /events`
fn events(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = match ctx.query.int("limit")? {
        None => 100,
        Some(v @ 1..=200) => v as usize,
        Some(v) => {
            return Err(ApiError::invalid_parameters(format!(
                "`limit` must be between 1 and 200, got {v}"
            )));
        }
    };
    let after = read_key_cursor(ctx, 'e')?;
    let nested = query_bool(ctx, "with_nested_markets")?.unwrap_or(false);
    let milestones = query_bool(ctx, "with_milestones")?.unwrap_or(false);
    let status = status_filter(ctx, &["unopened", "open", "closed", "settled"])?;
    let series = ctx.query_str("series_ticker")?;
    let tickers = query_list(ctx, "tickers")?;
    let min_close = ctx.query.int("min_close_ts")?;
    let min_updated = ctx.query.int("min_updated_ts")?;
    let now = ctx.now_ms;
    let views = ex.event_views();
    let matching = views
        .values()
        // Multivariate events are listed by `GET /events/multivariate` only.
        .filter(|e| e.collection_ticker.is_none())
        .filter(|e| after.as_deref().is_none_or(|a| e.event_ticker.as_str() > a))
        .filter(|e| series.is_none_or(|s| s == e.series_ticker()))
        .filter(|e| {
            tickers
                .as_ref()
                .is_none_or(|t| t.contains(&e.event_ticker.as_str()))
        })
        .filter(|e| {
            // Matches on the child markets: any market with the status.
            status.is_none_or(|s| {
                ex.markets_of_event(&e.event_ticker)
                    .any(|m| status_now(ex, m, now).filter_name() == s)
            })
        })
        .filter(|e| {
            min_close.is_none_or(|t| {
                ex.markets_of_event(&e.event_ticker)
                    .any(|m| secs(m.cfg.close_ms) >= t)
            })
        })
        .filter(|e| min_updated.is_none_or(|t| secs(e.updated_ms) >= t));
    let (page, cursor) = page(matching, limit, |e| key_cursor('e', &e.event_ticker));
    let items: Vec<Value> = page
        .iter()
        .map(|e| {
            let markets = nested.then(|| {
                ex.live_markets_of_event(&e.event_ticker)
                    .map(|m| market_json(ex, m, now))
                    .collect()
            });
            event_json(ex, e, markets)
        })
        .collect();
    let mut body = json!({"events": items, "cursor": cursor});
    if milestones {
        // The configured milestones related to an event of the page.
        let related: Vec<&Value> = ex
            .reference
            .milestones
            .iter()
            .filter(|m| {
                m["related_event_tickers"].as_array().is_some_and(|r| {
                    r.iter()
                        .any(|t| page.iter().any(|e| *t == e.event_ticker.as_str()))
                })
            })
            .collect();
        body["milestones"] = json!(related);
    }
    Ok(Reply::ok(body))
}

/// `GET /events/multivariate?limit&cursor&series_ticker&collection_ticker&with_nested_markets`:
/// the events declared multivariate ([`EventConfig::multivariate`]), by ticker.
fn multivariate_events(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = match ctx.query.int("limit")? {
        None => 100,
        Some(v @ 1..=200) => v as usize,
        Some(v) => {
            return Err(ApiError::invalid_parameters(format!(
                "`limit` must be between 1 and 200, got {v}"
            )));
        }
    };
    let after = read_key_cursor(ctx, 'v')?;
    let series = ctx.query_str("series_ticker")?;
    let collection = ctx.query_str("collection_ticker")?;
    if series.is_some() && collection.is_some() {
        return Err(ApiError::invalid_parameters(
            "`collection_ticker` cannot be used together with `series_ticker`",
        ));
    }
    let nested = query_bool(ctx, "with_nested_markets")?.unwrap_or(false);
    let now = ctx.now_ms;
    let views = ex.event_views();
    let matching = views
        .values()
        .filter(|e| e.collection_ticker.is_some())
        .filter(|e| after.as_deref().is_none_or(|a| e.event_ticker.as_str() > a))
        .filter(|e| series.is_none_or(|s| s == e.series_ticker()))
        .filter(|e| collection.is_none_or(|c| Some(c) == e.collection_ticker.as_deref()));
    let (page, cursor) = page(matching, limit, |e| key_cursor('v', &e.event_ticker));
    let items: Vec<Value> = page
        .iter()
        .map(|e| {
            let markets = nested.then(|| {
                ex.live_markets_of_event(&e.event_ticker)
                    .map(|m| market_json(ex, m, now))
                    .collect()
            });
            event_json(ex, e, markets)
        })
        .collect();
    Ok(Reply::ok(json!({"events": items, "cursor": cursor})))
}

/// The event `event_ticker` (configured or derived from a market), or a 404.
pub(crate) fn find_event(ex: &Exchange, event_ticker: &str) -> Result<EventConfig, ApiError> {
    ex.event_views().remove(event_ticker).ok_or_else(|| {
        let shown: String = event_ticker.chars().take(100).collect();
        ApiError::not_found(
            "event not found",
            format!("the simulator lists no event `{shown}`"),
        )
    })
}

/// `GET /events/{event_ticker}`: the markets nested in the event with
/// `with_nested_markets=true`, else in the top-level `markets` (which is then empty).
fn event(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let e = find_event(ex, ctx.param("event_ticker")?)?;
    let nested = query_bool(ctx, "with_nested_markets")?.unwrap_or(false);
    let markets: Vec<Value> = ex
        .live_markets_of_event(&e.event_ticker)
        .map(|m| market_json(ex, m, ctx.now_ms))
        .collect();
    let body = if nested {
        json!({"event": event_json(ex, &e, Some(markets)), "markets": []})
    } else {
        json!({"event": event_json(ex, &e, None), "markets": markets})
    };
    Ok(Reply::ok(body))
}

/// `GET /events/{event_ticker}/metadata`
fn event_metadata(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let e = find_event(ex, ctx.param("event_ticker")?)?;
    let details: Vec<Value> = ex
        .markets_of_event(&e.event_ticker)
        .map(|m| json!({"market_ticker": m.cfg.ticker, "image_url": "", "color_code": ""}))
        .collect();
    Ok(Reply::ok(json!({
        "image_url": e.image_url,
        "market_details": details,
        "settlement_sources": sources_json(&e.settlement_sources),
        "competition": e.competition,
    })))
}

/// `GET /series`
fn series_list(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let category = ctx.query_str("category")?;
    let tags = query_list(ctx, "tags")?;
    query_bool(ctx, "include_product_metadata")?;
    let include_volume = query_bool(ctx, "include_volume")?.unwrap_or(false);
    let min_updated = ctx.query.int("min_updated_ts")?;
    let items: Vec<Value> = ex
        .series_views()
        .values()
        .filter(|s| category.is_none_or(|c| c == s.category))
        .filter(|s| {
            tags.as_ref()
                .is_none_or(|t| s.tags.iter().any(|x| t.contains(&x.as_str())))
        })
        .filter(|s| min_updated.is_none_or(|t| secs(s.updated_ms) >= t))
        .map(|s| series_json(ex, s, include_volume, ctx.now_ms))
        .collect();
    Ok(Reply::ok(json!({ "series": items })))
}

/// `GET /series/{series_ticker}`
fn series(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("series_ticker")?;
    let include_volume = query_bool(ctx, "include_volume")?.unwrap_or(false);
    let s = ex.series_views().remove(ticker).ok_or_else(|| {
        let shown: String = ticker.chars().take(100).collect();
        ApiError::not_found(
            "series not found",
            format!("the simulator lists no series `{shown}`"),
        )
    })?;
    Ok(Reply::ok(
        json!({"series": series_json(ex, &s, include_volume, ctx.now_ms)}),
    ))
}
