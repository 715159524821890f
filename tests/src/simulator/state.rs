//! The exchange's state: markets with their books, every order and fill, the API keys, and
//! accounts (one per configured API key, shared by the keys created through the API) holding
//! subaccounts `0..=63`, each with its balance, positions and order groups.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use super::api_keys::KeyRegistry;
use super::catalog::{EventConfig, FeeChanges, SeriesConfig};
use super::engine::{Fill, Order};
use super::errors::ApiError;
use super::market_data::Trade;
use super::markets::{Market, MarketConfig};
use super::order_groups::OrderGroupBook;
use super::portfolio::Position;
use super::subaccounts::Ledger;

/// The highest subaccount number (0 is the primary account, 1 to 63 are numbered ones).
pub(crate) const MAX_SUBACCOUNT: u8 = 63;

/// A validated subaccount number, `0..=63`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct SubaccountId(u8);

impl SubaccountId {
    /// The primary subaccount, 0.
    pub(crate) const PRIMARY: SubaccountId = SubaccountId(0);

    /// Validates a subaccount number from a request; `field` names it in the error.
    pub(crate) fn from_request(value: i128, field: &str) -> Result<SubaccountId, ApiError> {
        match u8::try_from(value) {
            Ok(v) if v <= MAX_SUBACCOUNT => Ok(SubaccountId(v)),
            _ => Err(ApiError::invalid_parameters(format!(
                "`{field}` must be between 0 and {MAX_SUBACCOUNT}, got {value}"
            ))),
        }
    }

    /// Validates a subaccount number from the library API.
    pub(crate) fn new(value: u8) -> Option<SubaccountId> {
        (value <= MAX_SUBACCOUNT).then_some(SubaccountId(value))
    }

    /// The number.
    pub(crate) fn get(self) -> u8 {
        self.0
    }
}

/// One subaccount's books.
#[derive(Debug, Default)]
pub(crate) struct Subaccount {
    /// The subaccount's order groups.
    pub(crate) order_groups: OrderGroupBook,
    /// Cash in micro-dollars.
    pub(crate) cash: i64,
    /// Cash held by this subaccount's resting orders, in micro-dollars.
    pub(crate) reserved: i64,
    /// Positions by market ticker (present once the subaccount traded the market).
    pub(crate) positions: BTreeMap<String, Position>,
    /// Exchange time of the last balance change (0: never changed).
    pub(crate) balance_updated_ms: u64,
}

impl Subaccount {
    /// A subaccount holding `cash` micro-dollars.
    pub(crate) fn with_cash(cash: i64) -> Self {
        Subaccount {
            cash,
            ..Default::default()
        }
    }

    /// Cash not held by resting orders, in micro-dollars.
    pub(crate) fn available(&self) -> i64 {
        self.cash.saturating_sub(self.reserved)
    }
}

/// One account (one API key): its subaccounts, created on first use.
#[derive(Debug, Default)]
pub(crate) struct Account {
    subaccounts: BTreeMap<SubaccountId, Subaccount>,
    /// The cash each new subaccount starts with, in micro-dollars.
    starting_cash: i64,
    /// Every client order id the account ever used, to its order id.
    pub(crate) client_order_ids: HashMap<String, String>,
    /// Successful order-group creates.
    pub(crate) order_group_creates: u64,
    /// Whether `POST /account/api_usage_level/upgrade` granted the Advanced level.
    pub(crate) advanced_grant: bool,
}

impl Account {
    /// An account whose subaccounts start with `starting_cash` micro-dollars.
    pub(crate) fn new(starting_cash: i64) -> Self {
        Account {
            starting_cash,
            ..Default::default()
        }
    }

    /// The subaccount, created (with the starting cash) if it was never used.
    pub(crate) fn subaccount_mut(&mut self, id: SubaccountId) -> &mut Subaccount {
        let cash = self.starting_cash;
        self.subaccounts
            .entry(id)
            .or_insert_with(|| Subaccount::with_cash(cash))
    }

    /// The subaccount, if it was ever used.
    pub(crate) fn find_subaccount(&self, id: SubaccountId) -> Option<&Subaccount> {
        self.subaccounts.get(&id)
    }

    /// The cash a subaccount that was never used would hold, in micro-dollars.
    pub(crate) fn starting_cash(&self) -> i64 {
        self.starting_cash
    }

    /// Every used subaccount, in number order.
    pub(crate) fn subaccounts(&self) -> impl Iterator<Item = (SubaccountId, &Subaccount)> {
        self.subaccounts.iter().map(|(id, s)| (*id, s))
    }

    /// The subaccount, mutably, if it was ever used (lookups must not create it).
    pub(crate) fn find_subaccount_mut(&mut self, id: SubaccountId) -> Option<&mut Subaccount> {
        self.subaccounts.get_mut(&id)
    }
}

/// The cash each subaccount starts with by default: $10,000, in micro-dollars.
pub(crate) const DEFAULT_STARTING_CASH: i64 = 10_000 * 1_000_000;

/// The whole exchange.
#[derive(Debug)]
pub(crate) struct Exchange {
    /// Accounts by account id (a configured key's id is its account's id).
    pub(crate) accounts: HashMap<String, Account>,
    /// Every API key, and the account each belongs to.
    pub(crate) keys: KeyRegistry,
    /// How many exchange shards exist (valid `exchange_index` values are `0..shards`).
    pub(crate) exchange_shards: u32,
    ids: IdGenerator,
    next_seq: u64,
    /// The cash each new subaccount starts with, in micro-dollars.
    pub(crate) starting_cash: i64,
    /// Markets by ticker.
    pub(crate) markets: BTreeMap<String, Market>,
    /// Every order ever accepted, by order id.
    pub(crate) orders: HashMap<String, Order>,
    /// Every fill, oldest first (one per side of each trade).
    pub(crate) fills: Vec<Fill>,
    /// Resting orders with an expiration: (expiration ms, order id).
    pub(crate) expiring: BTreeSet<(u64, String)>,
    /// Self-trade prevention only within one subaccount (else within the whole account).
    pub(crate) stp_per_subaccount: bool,
    /// Transfers, settlements, deposits, withdrawals and the subaccount settings beyond the
    /// engine's books (see [`Ledger`]).
    pub(crate) ledger: Ledger,
    /// Configured series by ticker (others are derived from the events).
    pub(crate) series: BTreeMap<String, SeriesConfig>,
    /// Configured events by ticker (others are derived from the markets).
    pub(crate) events: BTreeMap<String, EventConfig>,
    /// Every trade (one per execution), oldest first.
    pub(crate) trades: Vec<Trade>,
    /// Whether trading is active (off: a trading pause, creates and amends are refused).
    pub(crate) trading_active: bool,
    /// Whether the exchange is active (off: an exchange pause, every order write is refused).
    pub(crate) exchange_active: bool,
    /// The scheduled fee changes and maintenance windows.
    pub(crate) fee_changes: FeeChanges,
    /// Scheduled maintenance windows: (start ms, end ms).
    pub(crate) maintenance_windows: Vec<(u64, u64)>,
    /// The recorded event forecasts, oldest first.
    pub(crate) forecasts: Vec<super::forecast::ForecastPoint>,
    /// The stream connections and their subscriptions (see the `stream` module).
    pub(crate) streams: super::stream::Hub,
    /// Multivariate event collections and the combo markets created from them.
    pub(crate) collections: super::collections::Collections,
    /// Milestones, structured targets, search filters, incentive programs and live data.
    pub(crate) reference: super::reference::ReferenceData,
    /// FCM members, their subtraders and settings.
    pub(crate) fcm: super::fcm::FcmBook,
    /// RFQs, quotes and block-trade proposals (see the `communications` module).
    pub(crate) comms: super::communications::Communications,
}

impl Exchange {
    /// An empty exchange with `exchange_shards` shards, no markets, and the default starting
    /// cash.
    pub(crate) fn new(exchange_shards: u32) -> Self {
        Exchange {
            accounts: HashMap::new(),
            keys: KeyRegistry::default(),
            exchange_shards,
            ids: IdGenerator::new(),
            next_seq: 0,
            starting_cash: DEFAULT_STARTING_CASH,
            markets: BTreeMap::new(),
            orders: HashMap::new(),
            fills: Vec::new(),
            expiring: BTreeSet::new(),
            stp_per_subaccount: false,
            ledger: Ledger::default(),
            series: BTreeMap::new(),
            events: BTreeMap::new(),
            trades: Vec::new(),
            trading_active: true,
            exchange_active: true,
            fee_changes: FeeChanges::default(),
            maintenance_windows: Vec::new(),
            forecasts: Vec::new(),
            streams: super::stream::Hub::default(),
            collections: Default::default(),
            reference: Default::default(),
            fcm: Default::default(),
            comms: Default::default(),
        }
    }

    /// Lists a market (replacing one with the same ticker, book included: the resting orders
    /// of a replaced market are canceled).
    pub(crate) fn add_market(&mut self, cfg: MarketConfig, now_ms: u64) {
        if self.markets.contains_key(&cfg.ticker) {
            self.cancel_market_orders(&cfg.ticker, |_| true, now_ms);
        }
        self.markets.insert(cfg.ticker.clone(), Market::new(cfg));
    }

    /// The account for `key_id`, created empty on first use.
    pub(crate) fn account_mut(&mut self, key_id: &str) -> &mut Account {
        let cash = self.starting_cash;
        self.accounts
            .entry(key_id.to_owned())
            .or_insert_with(|| Account::new(cash))
    }

    /// The account for `key_id`, mutably, if it ever did anything (lookups must not create it).
    pub(crate) fn find_account_mut(&mut self, key_id: &str) -> Option<&mut Account> {
        self.accounts.get_mut(key_id)
    }

    /// The account for `key_id`, if it ever did anything.
    pub(crate) fn account(&self, key_id: &str) -> Option<&Account> {
        self.accounts.get(key_id)
    }

    /// A strictly increasing sequence number (creation order of objects).
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// A fresh UUID-shaped identifier.
    pub(crate) fn new_id(&mut self) -> String {
        self.ids.next_id()
    }

    /// Validates an `exchange_index` from a request.
    pub(crate) fn exchange_index(&self, value: i128, field: &str) -> Result<u32, ApiError> {
        match u32::try_from(value) {
            Ok(v) if v < self.exchange_shards => Ok(v),
            _ => Err(ApiError::invalid_parameters(format!(
                "`{field}` must be between 0 and {} (the simulator runs {} exchange shard(s)), got {value}",
                self.exchange_shards.saturating_sub(1),
                self.exchange_shards
            ))),
        }
    }
}

/// Generates UUID-v4-shaped identifiers from a splitmix64 stream seeded per simulator.
#[derive(Debug)]
struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    fn new() -> Self {
        static INSTANCES: AtomicU64 = AtomicU64::new(0);
        let seed = super::clock::system_now_ms()
            ^ u64::from(std::process::id()).rotate_left(32)
            ^ INSTANCES
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_mul(0xA076_1D64_78BD_642F);
        IdGenerator { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_id(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let v = (u128::from(hi) << 64) | u128::from(lo);
        // Set the version (4) and variant (10xx) bits like a random UUID.
        let v = (v & !(0xF << 76)) | (0x4 << 76);
        let v = (v & !(0x3 << 62)) | (0x2 << 62);
        let hex = format!("{v:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_look_like_uuids_and_do_not_repeat() {
        let mut ex = Exchange::new(1);
        let mut seen = HashSet::new();
        for _ in 0..1000 {
            let id = ex.new_id();
            assert_eq!(id.len(), 36);
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(
                matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{id}"
            );
            assert!(seen.insert(id));
        }
        // Two exchanges started in the same millisecond still differ.
        assert_ne!(Exchange::new(1).new_id(), Exchange::new(1).new_id());
    }

    #[test]
    fn subaccount_bounds() {
        assert_eq!(
            SubaccountId::from_request(0, "s").unwrap(),
            SubaccountId::PRIMARY
        );
        assert_eq!(SubaccountId::from_request(63, "s").unwrap().get(), 63);
        for bad in [-1, 64, 256, i128::from(u64::MAX) + 1] {
            let e = SubaccountId::from_request(bad, "subaccount").unwrap_err();
            assert!(e.details.contains("between 0 and 63"), "{e:?}");
        }
        assert!(SubaccountId::new(64).is_none());
    }

    #[test]
    fn exchange_index_bounds() {
        let ex = Exchange::new(4);
        assert_eq!(ex.exchange_index(3, "exchange_index").unwrap(), 3);
        assert!(ex.exchange_index(4, "exchange_index").is_err());
        assert!(ex.exchange_index(-1, "exchange_index").is_err());
    }

    #[test]
    fn accounts_and_subaccounts_are_created_lazily() {
        let mut ex = Exchange::new(1);
        assert!(ex.account("k").is_none());
        let acct = ex.account_mut("k");
        assert!(acct.find_subaccount_mut(SubaccountId::PRIMARY).is_none());
        acct.subaccount_mut(SubaccountId::new(5).unwrap());
        acct.subaccount_mut(SubaccountId::PRIMARY);
        let ids: Vec<u8> = acct.subaccounts().map(|(id, _)| id.get()).collect();
        assert_eq!(ids, [0, 5]);
        assert!(
            acct.find_subaccount_mut(SubaccountId::new(6).unwrap())
                .is_none()
        );
        assert!(ex.find_account_mut("other").is_none());
        assert!(ex.next_seq() < ex.next_seq());
    }
}
