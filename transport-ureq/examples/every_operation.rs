//! Every current operation of the API (122), at least once, in a workflow that makes sense on a
//! real exchange: read the exchange and its markets, trade far from the market and cancel, run
//! an order group's lifecycle, read the portfolio, move cash and a position to a new subaccount
//! and back, manage API keys, read the account's limits and the historical data; create a combo
//! market in a multivariate collection and trade it, read milestones, structured targets,
//! search filters, incentive programs and live data, run the FCM endpoints over one subtrader,
//! and the RFQ workflow and a block trade with a second user.
//!
//! ```text
//! cargo run -p kalshi-transport-ureq --example every_operation
//! ```
//!
//! It prints `ok OPERATION` or `FAIL OPERATION: reason` for each operation (the operation id
//! of the inventory, `kalshi_core::spec::OPERATIONS_JSON`; an operation called several times
//! passes only if every call did), then `N passed, M failed`, and exits non-zero on any
//! failure. A current trading (or covered tail) operation of the inventory that the run did not
//! call is a failure too (`FAIL X: not called`), so the example cannot silently fall behind the API.
//! Every optional parameter of every operation is sent in at least one call (the
//! `collection_ticker` of `GetMultivariateEvents` when a listed multivariate market names its
//! collection; a `note:` line says when none did).
//!
//! Without credentials it starts the local exchange simulator in-process, signs with the
//! bundled demo key and prepares what a real account would have: a counterparty's book and
//! trades, fills, two settled markets, deposits and withdrawals, and a historical cutoff after
//! the first trades; its multivariate collection, the default reference data (milestone, live
//! data, weather index, ...) and FCM member access for the demo key, whose subtrader trades as
//! the counterparty. To run against a real exchange, set the variables of
//! `kalshi_core::config::EnvConfig` (see `order_group_lifecycle.rs`): `KALSHI_API_KEY_ID`,
//! `KALSHI_PRIVATE_KEY_PATH` or `KALSHI_PRIVATE_KEY`, and `KALSHI_ENV` (`demo` by default) or
//! `KALSHI_BASE_URL`. Use a demo account (production needs
//! `EVERY_OPERATION_ALLOW_PRODUCTION=1` as well). What the run does there:
//!
//! - Orders: bids of 1 to 3 contracts at $0.01 or $0.02 on an open market whose best bid is at
//!   least $0.10, post-only, expiring after ten minutes; every order it creates is canceled at
//!   the end, also after a failure. `CancelAllOrders` is sent for the new subaccount only, so
//!   orders of your own are never touched.
//! - RFQs: it creates RFQs of 1 contract (one with `replace_existing`, replacing an open RFQ
//!   of yours on the market) and deletes them; nobody's quote is accepted, so nothing trades.
//!   The steps that need a second user (quoting, accepting, confirming, block trades) are sent
//!   so that the exchange refuses them. On the simulator the bundled second key quotes and
//!   confirms: two RFQ trades and a block trade of 1 contract each.
//! - It creates one subaccount (the API cannot delete subaccounts), moves $1.00 and, if the
//!   primary holds a position, 1 contract of it there and back.
//! - Netting and the target balance allocation are changed and restored; the new subaccount is
//!   locked for settlement advance and unlocked.
//! - It moves $1.00 from shard 0 to another shard and back when the exchange lists one with
//!   transfers active.
//! - It generates one API key and creates one from a fresh public key (scope `read`, its
//!   private half discarded at once) and deletes both.
//! - `UpgradeAccountApiUsageLevel` grants the account the Advanced usage level (permanent, as
//!   the docs say; it raises rate limits and allows subaccounts).
//! - It creates (or resolves) one combo market of two legs in an open multivariate collection
//!   and places and cancels a far bid on it.
//! - With FCM member access: it creates one subtrader (two if the first listed one has a daily
//!   cap; subtraders cannot be deleted), blocks and unblocks the `Sports` category of the first
//!   listed subtrader, sets its daily cap to $250 and restores it, and moves one contract of its
//!   position to the error account's subtrader `{account}_ERR` (refused unless Kalshi enabled
//!   transfers for the FCM). Without it, each FCM endpoint is called once for its 403.
//!
//! Where a real account cannot do something (no second shard, no position to move, an
//! endpoint for FCM members), the operation is still called and the exchange's documented
//! refusal counts as a pass, printed with the reason; on the simulator every call must succeed.

use std::process::ExitCode;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kalshi_core::account::{
    GetAccountApiLimits, GetAccountApiUsageLevelVolumeProgress, GetAccountEndpointCosts,
    GetPerpsAccountApiLimits, UpgradeAccountApiUsageLevel,
};
use kalshi_core::api_keys::{ApiKeyScope, CreateApiKey, DeleteApiKey, GenerateApiKey, GetApiKeys};
use kalshi_core::communications::{
    AcceptBlockTradeProposal, AcceptQuote, AcceptRFQQuote, ConfirmQuote, ConfirmRFQQuote,
    CreateQuote, CreateRFQ, DeleteQuote, DeleteRFQ, DeleteRFQQuote, GetBlockTradeProposals,
    GetCommunicationsID, GetQuote, GetQuotes, GetRFQ, GetRFQQuote, GetRFQs, ProposeBlockTrade,
    QuoteStatus, RfqStatus, UserFilter,
};
use kalshi_core::config::EnvConfig;
use kalshi_core::enums::{
    BookSide, ExchangeInstance, OrderStatus, OutcomeSide, SelfTradePreventionType, TimeInForce,
};
use kalshi_core::events::{
    EventStatus, GetEvent, GetEventFeeChanges, GetEventForecastPercentilesHistory,
    GetEventMetadata, GetEvents, GetMarketCandlesticksByEvent, GetMultivariateEvents,
};
use kalshi_core::exchange::{
    GetExchangeSchedule, GetExchangeStatus, GetSeriesFeeChanges, GetUserDataTimestamp,
};
use kalshi_core::fcm::{
    CreateFcmPositionTransfer, CreateFcmSubtrader, DeleteFcmEventContractDailyCap, GetFCMOrders,
    GetFCMPositions, GetFcmEventContractDailyCap, GetFcmFills, GetFcmSubtraderBlockedCategories,
    ListFcmSubtraders, SettlementStatusFilter, UpdateFcmEventContractDailyCap,
    UpdateFcmSubtraderBlockedCategories,
};
use kalshi_core::historical::{
    GetFillsHistorical, GetHistoricalCutoff, GetHistoricalMarket, GetHistoricalMarkets,
    GetHistoricalOrders, GetHistoricalPositions, GetMarketCandlesticksHistorical,
    GetTradesHistorical,
};
use kalshi_core::incentive_programs::{
    GetIncentivePrograms, IncentiveStatusFilter, IncentiveTypeFilter,
};
use kalshi_core::live_data::{
    GetEventLiveData, GetGameStats, GetLiveData, GetLiveDataByMilestone, GetLiveDatas,
    GetWeatherIndex, GetWeatherIndexCalibrations,
};
use kalshi_core::market::{
    BatchGetMarketCandlesticks, GetMarket, GetMarketCandlesticks, GetMarketOrderbook,
    GetMarketOrderbooks, GetMarkets, GetSeries, GetSeriesList, GetTrades, Market,
    MarketStatusFilter, MveFilter,
};
use kalshi_core::milestone::{GetMilestone, GetMilestones};
use kalshi_core::multivariate::{
    CollectionStatus, CreateMarketInMultivariateEventCollection, GetMultivariateEventCollection,
    GetMultivariateEventCollections, TickerPair,
};
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::orders::{
    AmendOrder, BatchCancelOrder, BatchCancelOrders, BatchCreateOrders, CancelAllOrders,
    CancelOrder, CreateOrder, DecreaseOrder, GetOrder, GetOrderQueuePosition,
    GetOrderQueuePositions, GetOrders, new_client_order_id,
};
use kalshi_core::pagination::Paginated;
use kalshi_core::portfolio::{
    ApplySubaccountPositionTransfer, ApplySubaccountTransfer, CreateSubaccount, GetBalance,
    GetDeposits, GetFills, GetIntraExchangeInstanceTransfer, GetIntraExchangeInstanceTransfers,
    GetPortfolioRestingOrderTotalValue, GetPositions, GetSettlements, GetSubaccountBalances,
    GetSubaccountNetting, GetSubaccountTransfers, GetTargetBalanceAllocation, GetWithdrawals,
    IntraExchangeInstanceTransfer, LockSubaccountForSettlementAdvance, MarketPosition,
    SetTargetBalanceAllocation, TargetBalanceAllocation, UnlockSubaccountForSettlementAdvance,
    UpdateSubaccountNetting, new_client_transfer_id,
};
use kalshi_core::search::{GetFiltersForSports, GetTagsForSeriesCategories};
use kalshi_core::structured_targets::{GetStructuredTarget, GetStructuredTargets};
use kalshi_core::{
    Client, Credentials, Environment, ExchangeIndex, FixedPointCount, FixedPointDollars, Operation,
};
use kalshi_simulator::{
    CollectionConfig, DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, EventConfig,
    HistoricalCutoff, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM, SECOND_PUBLIC_KEY_PEM, SeriesConfig,
    SettlementResult, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Error};

fn main() -> ExitCode {
    let target = match Target::from_env() {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    println!("{}", target.description);
    println!();

    let mut run = Runner::new(&target.client, target.simulator.is_none());
    let mut cleanup = Cleanup::default();
    let mut ctx = Context::default();
    exchange(&mut run, &mut ctx);
    market_data(&mut run, &mut ctx);
    events(&mut run, &ctx);
    orders(&mut run, &ctx, &mut cleanup);
    order_groups(&mut run, &ctx, &mut cleanup);
    // After orders (the upgrade needs one placed through the API), before subaccounts (their
    // creation needs the Advanced level).
    account(&mut run);
    portfolio(&mut run, &ctx);
    subaccounts(&mut run, &ctx, &mut cleanup);
    funding(&mut run, &ctx, &mut cleanup);
    api_keys(&mut run, &mut cleanup);
    historical(&mut run, &ctx);
    tail(&mut run, &ctx, &mut cleanup);
    communications(&mut run, &ctx, target.simulator.as_ref());
    // Whatever a failed step left behind: orders, the group, keys, settings, money.
    for failure in cleanup.run(&target.client) {
        run.record("cleanup", Err(failure));
    }

    if run.report() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// What the steps learn and later steps use.
#[derive(Default)]
struct Context {
    /// Shards with intra-exchange transfers active (from the exchange status).
    transfer_shards: Vec<u32>,
    /// The market the run trades on, far from its best bid.
    market: Option<Market>,
    series_ticker: String,
}

impl Context {
    fn ticker(&self) -> Option<&str> {
        self.market.as_ref().map(|m| m.ticker.as_str())
    }
}

/// The price of every order the run places: far below the market (see `market_data`).
const FAR_PRICE_CENTS: i64 = 1;
/// Orders expire after this many seconds even if the run dies before cleaning up.
const ORDER_LIFETIME_SECS: i64 = 600;
/// Cash moved to the new subaccount and back, in cents.
const TRANSFER_CENTS: i64 = 100;

/// Unix seconds now.
fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn count(contracts: i64) -> FixedPointCount {
    FixedPointCount::from_whole(contracts)
}

fn cents(cents: i64) -> FixedPointDollars {
    FixedPointDollars::from_cents(cents)
}

/// A resting bid for `contracts` at `cents`, far from the market: post-only (it never takes),
/// and expiring on its own.
fn far_bid(ticker: &str, contracts: i64, price_cents: i64) -> CreateOrder {
    CreateOrder::new(ticker, BookSide::Bid, count(contracts), cents(price_cents))
        .post_only(true)
        .expiration_time(now_secs() + ORDER_LIFETIME_SECS)
}

// --- The exchange -----------------------------------------------------------------------------

fn exchange(run: &mut Runner, ctx: &mut Context) {
    if let Some(status) = run.call(&GetExchangeStatus::new()) {
        run.check(GetExchangeStatus::NAME, status.trading_active, || {
            "trading is not active: the order steps will fail".to_owned()
        });
        ctx.transfer_shards = status
            .exchange_index_statuses
            .iter()
            .filter(|s| s.intra_exchange_transfers_active)
            .filter_map(|s| s.exchange_index.as_shard())
            .collect();
    }
    run.call(&GetExchangeSchedule::new());
    run.call(&GetUserDataTimestamp::new());
}

// --- Markets, series, order books, trades, candlesticks --------------------------------------

fn market_data(run: &mut Runner, ctx: &mut Context) -> Option<()> {
    // An open market of shard 0 (where order groups and position transfers are) whose best bid
    // is at least $0.10: a bid at $0.01 there is far from it. Else the one with the highest
    // bid, said in a note.
    let open = run.call(
        &GetMarkets::new()
            .status(MarketStatusFilter::Open)
            .mve_filter(MveFilter::Exclude)
            .limit(200),
    )?;
    let far_enough = cents(10);
    let candidates = open
        .markets
        .iter()
        .filter(|m| m.exchange_index.unwrap_or_default() == ExchangeIndex::default());
    let market = candidates
        .clone()
        .find(|m| m.yes_bid_dollars >= far_enough)
        .or_else(|| candidates.max_by_key(|m| m.yes_bid_dollars))
        .cloned();
    run.check(GetMarkets::NAME, market.is_some(), || {
        "no open market of shard 0 listed".to_owned()
    });
    let market = market?;
    if market.yes_bid_dollars < far_enough {
        run.note(&format!(
            "no open market has a bid of $0.10 or more: the orders go to {} (best bid {})",
            market.ticker, market.yes_bid_dollars
        ));
    }
    let ticker = market.ticker.clone();
    let event = market.event_ticker.clone();
    // Another market, for the requests that take several.
    let other = open
        .markets
        .iter()
        .find(|m| m.ticker != ticker)
        .map_or_else(|| ticker.clone(), |m| m.ticker.clone());
    let now = now_secs();

    // The other filters of the list, and a second page through the cursor.
    run.list(GetMarkets::new().event_ticker(&event).limit(1), 2);
    run.call(
        &GetMarkets::new()
            .tickers([ticker.as_str(), other.as_str()])
            .min_close_ts(now)
            .max_close_ts(now + 100 * 365 * 86_400),
    );
    run.call(
        &GetMarkets::new()
            .status(MarketStatusFilter::Open)
            .min_created_ts(0)
            .max_created_ts(now),
    );
    run.call(
        &GetMarkets::new()
            .status(MarketStatusFilter::Settled)
            .min_settled_ts(now - 365 * 86_400)
            .max_settled_ts(now),
    );
    run.call(&GetMarket::new(&ticker));

    run.call(&GetMarketOrderbook::new(&ticker).depth(5));
    run.call(&GetMarketOrderbooks::new([ticker.as_str(), other.as_str()]));

    run.list(GetTrades::new().ticker(&ticker).limit(1), 2);
    run.call(
        &GetTrades::new()
            .ticker(&ticker)
            .min_ts(now - 86_400)
            .max_ts(now + 60)
            .is_block_trade(false),
    );

    // The series, through the market's event.
    let event_answer = run.call(&GetEvent::new(&event).with_nested_markets(true))?;
    let series_ticker = event_answer.event.series_ticker;
    run.call(
        &GetMarkets::new()
            .series_ticker(&series_ticker)
            .min_updated_ts(now - 30 * 86_400)
            .mve_filter(MveFilter::Exclude),
    );
    // Series like this one: of its category, with its first tag.
    if let Some(series) = run.call(&GetSeries::new(&series_ticker).include_volume(true)) {
        let series = series.series;
        let mut like = GetSeriesList::new().category(&series.category);
        if let Some(tag) = series.tags.first() {
            like = like.tags(tag);
        }
        run.call(&like);
    }
    run.call(
        &GetSeriesList::new()
            .include_product_metadata(true)
            .include_volume(true)
            .min_updated_ts(now - 365 * 86_400),
    );
    run.call(
        &GetSeriesFeeChanges::new()
            .series_ticker(&series_ticker)
            .show_historical(true),
    );

    // Hourly candlesticks of the last day.
    run.call(
        &GetMarketCandlesticks::new(&series_ticker, &ticker, now - 86_400, now, 60)
            .include_latest_before_start(true),
    );
    run.call(
        &BatchGetMarketCandlesticks::new([ticker.as_str(), other.as_str()], now - 86_400, now, 60)
            .include_latest_before_start(true),
    );
    run.call(&GetMarketCandlesticksByEvent::new(
        &series_ticker,
        &event,
        now - 86_400,
        now,
        60,
    ));

    ctx.series_ticker = series_ticker;
    ctx.market = Some(market);
    Some(())
}

// --- Events -----------------------------------------------------------------------------------

fn events(run: &mut Runner, ctx: &Context) -> Option<()> {
    let market = ctx.market.as_ref()?;
    let event = market.event_ticker.as_str();
    let series = ctx.series_ticker.as_str();
    let now = now_secs();

    run.list(
        GetEvents::new()
            .status(EventStatus::Open)
            .with_nested_markets(true)
            .with_milestones(true)
            .limit(1),
        2,
    );
    run.call(
        &GetEvents::new()
            .series_ticker(series)
            .tickers(event)
            .min_close_ts(now),
    );
    run.call(&GetEvents::new().min_updated_ts(now - 30 * 86_400));
    run.call(&GetEventMetadata::new(event));
    run.list(GetEventFeeChanges::new().limit(1), 2);
    run.call(&GetEventFeeChanges::new().event_ticker(event));
    run.refusable(
        &GetEventForecastPercentilesHistory::new(
            series,
            event,
            vec![2500, 5000, 7500],
            now - 86_400,
            now,
            60,
        ),
        // The docs name only 400 for a request they refuse.
        |e| {
            (e.status().map(|s| s.as_u16()) == Some(400))
                .then(|| format!("the event {event} may have no numerical forecast"))
        },
    );

    // Multivariate (combo) events: by series, and by the collection of one of their markets.
    let combos = run.list(
        GetMultivariateEvents::new()
            .with_nested_markets(true)
            .limit(1),
        2,
    )?;
    let combo_series = combos.first().map_or(series, |e| e.series_ticker.as_str());
    run.call(&GetMultivariateEvents::new().series_ticker(combo_series));
    let collection = combos
        .iter()
        .flat_map(|e| &e.markets)
        .find_map(|m| m.mve_collection_ticker.clone());
    match collection {
        Some(collection) => {
            run.call(&GetMultivariateEvents::new().collection_ticker(collection));
        }
        None => run.note("no multivariate market listed: collection_ticker not sent"),
    }
    Some(())
}

// --- Orders -----------------------------------------------------------------------------------

fn orders(run: &mut Runner, ctx: &Context, cleanup: &mut Cleanup) -> Option<()> {
    let market = ctx.market.clone()?;
    let ticker = market.ticker.as_str();
    let event = market.event_ticker.as_str();
    let shard = market.exchange_index.unwrap_or_default();
    let started = now_secs();

    // One bid with every option, placed exactly once (place_order resolves lost answers).
    let first = far_bid(ticker, 1, FAR_PRICE_CENTS)
        .time_in_force(TimeInForce::GoodTillCanceled)
        .self_trade_prevention_type(SelfTradePreventionType::Maker)
        .cancel_order_on_pause(true)
        .reduce_only(false)
        .subaccount(0)
        .exchange_index(ExchangeIndex::AUTO_ROUTE);
    let id = run.place(&first, cleanup)?;
    if let Some(order) = run.call(&GetOrder::new(&id)) {
        run.check(
            GetOrder::NAME,
            order.order.status == OrderStatus::Resting,
            || format!("the new order {id} is {}", order.order.status),
        );
    }

    // Amend it to 3 contracts at $0.02 (a new client order id), then decrease it by 1 and to 1.
    let mut amend = AmendOrder::new(&id, ticker, BookSide::Bid, cents(2), count(3))
        .subaccount(0)
        .client_order_ids(&first.client_order_id, new_client_order_id());
    amend.exchange_index = Some(shard);
    run.call(&amend);
    let mut decrease = DecreaseOrder::reduce_by(&id, count(1)).subaccount(0);
    decrease.exchange_index = Some(ExchangeIndex::AUTO_ROUTE);
    decrease.market_ticker = Some(ticker.to_owned());
    run.call(&decrease);
    if let Some(left) = run.call(&DecreaseOrder::reduce_to(&id, count(1))) {
        run.check(
            DecreaseOrder::NAME,
            left.remaining_count == count(1),
            || format!("{} contracts left, expected 1", left.remaining_count),
        );
    }

    run.call(&GetOrderQueuePosition::new(&id));
    let mut by_market = GetOrderQueuePositions::for_markets([ticker]);
    by_market.subaccount = Some(0);
    run.call(&by_market);
    let mut by_event = GetOrderQueuePositions::default();
    by_event.event_ticker = Some(event.to_owned());
    run.call(&by_event);

    // Two more in one batch, listed page by page, then canceled in one batch.
    let batch = vec![
        far_bid(ticker, 1, FAR_PRICE_CENTS),
        far_bid(ticker, 2, FAR_PRICE_CENTS),
    ];
    let created = run.call(&BatchCreateOrders::new(batch))?;
    let batch_ids: Vec<String> = created
        .orders
        .iter()
        .filter_map(|o| o.order_id.clone())
        .collect();
    for id in &batch_ids {
        cleanup.orders.push((id.clone(), 0));
    }
    run.check(BatchCreateOrders::NAME, batch_ids.len() == 2, || {
        format!(
            "{} of 2 orders created: {:?}",
            batch_ids.len(),
            created.orders
        )
    });
    if let Some(resting) = run.list(
        GetOrders::new().ticker(ticker).status("resting").limit(1),
        3,
    ) {
        run.check(GetOrders::NAME, resting.len() == 3, || {
            format!("{} resting orders listed, expected 3", resting.len())
        });
    }
    run.call(
        &GetOrders::new()
            .event_ticker(event)
            .min_ts(started - 60)
            .max_ts(now_secs() + 60)
            .subaccount(0)
            .exchange_index(shard),
    );
    let mut cancels: Vec<BatchCancelOrder> = batch_ids.iter().map(BatchCancelOrder::new).collect();
    if let Some(first) = cancels.first_mut() {
        *first = BatchCancelOrder::new(&first.order_id).subaccount(0);
        first.exchange_index = Some(ExchangeIndex::AUTO_ROUTE);
        first.market_ticker = Some(ticker.to_owned());
    }
    run.call(&BatchCancelOrders::new(cancels));

    // The first order last, by id.
    run.call(
        &CancelOrder::new(&id)
            .subaccount(0)
            .exchange_index(ExchangeIndex::AUTO_ROUTE)
            .market_ticker(ticker),
    );
    Some(())
}

// --- Order groups -----------------------------------------------------------------------------

fn order_groups(run: &mut Runner, ctx: &Context, cleanup: &mut Cleanup) -> Option<()> {
    let ticker = ctx.ticker()?;
    let group = run.call(
        &CreateOrderGroup::new(10)
            .contracts_limit_fp(count(10))
            .subaccount(0)
            .exchange_index(0),
    )?;
    let id = group.order_group_id;
    cleanup.order_group = Some(id.clone());

    if let Some(list) = run.call(&GetOrderGroups::new().subaccount(0)) {
        run.check(
            GetOrderGroups::NAME,
            list.order_groups.iter().any(|g| g.id == id),
            || format!("the group {id} is not listed"),
        );
    }
    run.call(&GetOrderGroup::new(&id).subaccount(0));

    // An order in the group; triggering the group cancels it.
    let order = run.place(
        &far_bid(ticker, 1, FAR_PRICE_CENTS).order_group_id(&id),
        cleanup,
    );
    run.call(
        &UpdateOrderGroupLimit::new(&id, 20)
            .contracts_limit_fp(count(20))
            .subaccount(0)
            .exchange_index(0),
    );
    run.call(&TriggerOrderGroup::new(&id).subaccount(0).exchange_index(0));
    if let Some(order) = order.and_then(|order| run.call(&GetOrder::new(order))) {
        run.check(
            TriggerOrderGroup::NAME,
            order.order.status == OrderStatus::Canceled,
            || {
                format!(
                    "the group's order is {} after the trigger",
                    order.order.status
                )
            },
        );
    }
    run.call(&ResetOrderGroup::new(&id));
    if run
        .call(&DeleteOrderGroup::new(&id).subaccount(0).exchange_index(0))
        .is_some()
    {
        cleanup.order_group = None;
    }
    Some(())
}

// --- Portfolio reads --------------------------------------------------------------------------

fn portfolio(run: &mut Runner, ctx: &Context) -> Option<()> {
    let market = ctx.market.as_ref()?;
    let now = now_secs();
    run.call(&GetBalance::new());
    run.call(&GetBalance::new().subaccount(0).exchange_index(0));

    run.list(GetPositions::new().count_filter("position").limit(1), 2);
    run.call(
        &GetPositions::new()
            .ticker(&market.ticker)
            .event_ticker(&market.event_ticker)
            .subaccount(0)
            .exchange_index(0),
    );

    let fills = run.list(GetFills::new().subaccount(0).exchange_index(0).limit(1), 2)?;
    let mut by_order = GetFills::new()
        .ticker(&market.ticker)
        .min_ts(now - 86_400)
        .max_ts(now + 60);
    if let Some(fill) = fills.first() {
        by_order = by_order.ticker(&fill.ticker).order_id(&fill.order_id);
    } else {
        by_order = by_order.order_id("00000000-0000-0000-0000-000000000000");
    }
    run.call(&by_order);

    let settlements = run.list(GetSettlements::new().limit(1), 2)?;
    let (ticker, event) = settlements.first().map_or(
        (market.ticker.as_str(), market.event_ticker.as_str()),
        |s| (s.ticker.as_str(), s.event_ticker.as_str()),
    );
    run.call(
        &GetSettlements::new()
            .ticker(ticker)
            .event_ticker(event)
            .min_ts(0)
            .max_ts(now + 60)
            .subaccount(0),
    );

    // Only for FCM members, the docs say; others may be refused.
    run.refusable(&GetPortfolioRestingOrderTotalValue::new(), |e| {
        matches!(e.status().map(|s| s.as_u16()), Some(403))
            .then(|| "the endpoint is for FCM members only".to_owned())
    });
    run.list(GetDeposits::new().limit(1), 2);
    run.list(GetWithdrawals::new().limit(1), 2);
    Some(())
}

// --- Subaccounts: create, move cash and a position there and back, netting, the lock ----------

fn subaccounts(run: &mut Runner, ctx: &Context, cleanup: &mut Cleanup) -> Option<()> {
    let ticker = ctx.ticker()?.to_owned();
    let n = run
        .call(&CreateSubaccount::new().exchange_index(0))?
        .subaccount_number;
    run.call(&GetSubaccountBalances::new());

    // $1.00 there (the new subaccount has no cash of its own).
    run.call(&ApplySubaccountTransfer::new(0, n, TRANSFER_CENTS).exchange_index(0))?;
    cleanup.cash_in = Some((n, TRANSFER_CENTS));

    // An order of the subaccount, canceled by a cancel-all of that subaccount only.
    let order = run.place(&far_bid(&ticker, 1, FAR_PRICE_CENTS).subaccount(n), cleanup);
    if let Some(order) = order {
        run.call(&CancelAllOrders::new().subaccount(n));
        if let Some(after) = run.call(&GetOrder::new(&order)) {
            run.check(
                CancelAllOrders::NAME,
                after.order.status == OrderStatus::Canceled,
                || {
                    format!(
                        "the subaccount's order is {} after cancel-all",
                        after.order.status
                    )
                },
            );
        }
    }

    // One contract of a position of the primary there and back, at about its average cost
    // (the transfer price becomes the cost basis).
    let positions = run.call(&GetPositions::new().subaccount(0))?;
    let held = positions.market_positions.iter().find(|p| {
        p.position_fp != FixedPointCount::ZERO && p.exchange_index == ExchangeIndex::default()
    });
    let (market, side) = match held {
        Some(p) if p.position_fp > FixedPointCount::ZERO => (p.ticker.clone(), OutcomeSide::Yes),
        Some(p) => (p.ticker.clone(), OutcomeSide::No),
        None => (ticker.clone(), OutcomeSide::Yes),
    };
    let price = held.map_or(cents(50), |p| yes_price_of(p, &side));
    let there = ApplySubaccountPositionTransfer::new(0, n, &market, side.clone(), 1, price);
    let moved = run.refusable(&there, |e| {
        (held.is_none() && e.status().map(|s| s.as_u16()) == Some(400))
            .then(|| "the primary subaccount holds no position to move".to_owned())
    });
    if moved.is_some() && held.is_some() {
        let back = ApplySubaccountPositionTransfer::new(n, 0, &market, side, 1, price)
            .client_transfer_id(new_client_transfer_id());
        cleanup.position_in = Some(back.clone());
        if run.call(&back).is_some() {
            cleanup.position_in = None;
        }
    }

    // Netting of the new subaccount: flipped, then restored.
    let netting = run.call(&GetSubaccountNetting::new())?;
    let enabled = netting
        .netting_configs
        .iter()
        .find(|c| c.subaccount_number == n)
        .is_none_or(|c| c.enabled);
    run.call(&UpdateSubaccountNetting::new(n, !enabled))?;
    cleanup.netting = Some((n, enabled));
    if run
        .call(&UpdateSubaccountNetting::new(n, enabled))
        .is_some()
    {
        cleanup.netting = None;
    }

    // The settlement-advance lock (it would cancel the subaccount's orders: there are none).
    run.call(&LockSubaccountForSettlementAdvance::new(n).exchange_index(0))?;
    cleanup.locked = Some(n);
    if run
        .call(&UnlockSubaccountForSettlementAdvance::new(n).exchange_index(0))
        .is_some()
    {
        cleanup.locked = None;
    }

    // The cash back, and the transfers listed.
    if run
        .call(&ApplySubaccountTransfer::new(n, 0, TRANSFER_CENTS))
        .is_some()
    {
        cleanup.cash_in = None;
    }
    run.list(GetSubaccountTransfers::new().limit(1), 2);
    Some(())
}

/// The YES price (whole cents, $0.01 to $0.99) of a position's average cost per contract.
fn yes_price_of(position: &MarketPosition, side: &OutcomeSide) -> FixedPointDollars {
    let contracts = position.position_fp.hundredths().abs();
    let cost = position
        .market_exposure_dollars
        .map_or(0, FixedPointDollars::micros);
    // micro-dollars per contract, then cents, rounded.
    let average_cents = match contracts {
        0 => 50,
        n => (cost * 100 / n + 5_000) / 10_000,
    };
    let yes_cents = match side {
        OutcomeSide::No => 100 - average_cents,
        _ => average_cents,
    };
    cents(yes_cents.clamp(1, 99))
}

// --- Target balance allocation, transfers between shards -------------------------------------

fn funding(run: &mut Runner, ctx: &Context, cleanup: &mut Cleanup) -> Option<()> {
    // The allocation: set to all on shard 0, then restored (an empty list turns it off).
    if let Some(original) = run.call(&GetTargetBalanceAllocation::new()) {
        let all_on_first = vec![TargetBalanceAllocation::new(0u32, 100)];
        if run
            .call(&SetTargetBalanceAllocation::new(all_on_first))
            .is_some()
        {
            cleanup.allocation = Some(original.allocations.clone());
            if run
                .call(&SetTargetBalanceAllocation::new(original.allocations))
                .is_some()
            {
                cleanup.allocation = None;
            }
        }
    }

    // $1.00 (10,000 centicents) from shard 0 to another shard and back, when one is open to
    // transfers; else the exchange must refuse.
    let amount = 10_000;
    let other = ctx.transfer_shards.iter().copied().find(|&s| s != 0);
    let there = |from: u32, to: u32| {
        IntraExchangeInstanceTransfer::new(
            ExchangeInstance::EventContract,
            ExchangeInstance::EventContract,
            amount,
        )
        .source_exchange_shard(from)
        .destination_exchange_shard(to)
        .source_subaccount(0)
        .destination_subaccount(0)
    };
    let to = other.unwrap_or(1);
    let sent = run.refusable(&there(0, to), |e| {
        (other.is_none() && matches!(e.status().map(|s| s.as_u16()), Some(400 | 403)))
            .then(|| "the exchange lists no second shard open to transfers".to_owned())
    });
    let sent = sent.filter(|_| other.is_some());
    if sent.is_some() {
        cleanup.intra_back = Some(there(to, 0));
        if run.call(&there(to, 0)).is_some() {
            cleanup.intra_back = None;
        }
    }
    let listed = run.list(GetIntraExchangeInstanceTransfers::new().limit(1), 2)?;
    // Ours, or any listed; with none, an id that does not exist must be a 404.
    let id = sent
        .map(|s| s.transfer_id)
        .or_else(|| listed.first().map(|t| t.transfer_id.clone()));
    let none = id.is_none();
    run.refusable(
        &GetIntraExchangeInstanceTransfer::new(
            id.unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".to_owned()),
        ),
        |e| {
            (none && e.status().map(|s| s.as_u16()) == Some(404))
                .then(|| "the account has no transfer to read".to_owned())
        },
    );
    Some(())
}

// --- Account: limits, costs, usage level ------------------------------------------------------

fn account(run: &mut Runner) {
    run.call(&GetAccountApiLimits::new());
    run.call(&GetPerpsAccountApiLimits::new());
    run.call(&GetAccountEndpointCosts::new());
    run.call(&GetAccountApiUsageLevelVolumeProgress::new());
    // The run placed orders through the API, which is what the upgrade needs.
    run.refusable(&UpgradeAccountApiUsageLevel::new(), |e| {
        (e.status().map(|s| s.as_u16()) == Some(403))
            .then(|| "no API-created order among the account's last 100".to_owned())
    });
}

// --- API keys ---------------------------------------------------------------------------------

fn api_keys(run: &mut Runner, cleanup: &mut Cleanup) -> Option<()> {
    let generated = run.call(
        &GenerateApiKey::new("every-operation generated")
            .scopes(vec![ApiKeyScope::Read])
            .subaccount(0),
    );
    if let Some(key) = &generated {
        cleanup.api_keys.push(key.api_key_id.clone());
    }
    // A key from a public key whose private half is dropped here, unused.
    let created = match kalshi_simulator::throwaway_key_pair() {
        Ok((_private, public)) => run.call(
            &CreateApiKey::new("every-operation created", public)
                .scopes(vec![ApiKeyScope::Read])
                .subaccount(0),
        ),
        Err(e) => {
            run.record(CreateApiKey::NAME, Err(format!("no key pair: {e}")));
            None
        }
    };
    if let Some(key) = &created {
        cleanup.api_keys.push(key.api_key_id.clone());
    }

    let listed = run.call(&GetApiKeys::new())?;
    for id in cleanup.api_keys.clone() {
        run.check(
            GetApiKeys::NAME,
            listed.api_keys.iter().any(|k| k.api_key_id == id),
            || format!("the new key {id} is not listed"),
        );
        if run.call(&DeleteApiKey::new(&id)).is_some() {
            cleanup.api_keys.retain(|k| *k != id);
        }
    }
    Some(())
}

// --- Historical data --------------------------------------------------------------------------

fn historical(run: &mut Runner, ctx: &Context) -> Option<()> {
    let before = run
        .call(&GetHistoricalCutoff::new())
        .map_or(now_secs(), |cutoff| cutoff.trades_created_ts.as_second());
    let markets = run.list(GetHistoricalMarkets::new().limit(1), 2);
    run.call(
        &GetHistoricalMarkets::new()
            .series_ticker(&ctx.series_ticker)
            .mve_filter(MveFilter::Exclude),
    );
    let Some(market) = markets.unwrap_or_default().into_iter().next() else {
        // Still one call each, on the live market (which the exchange may not know here).
        run.note(
            "no historical market listed: the per-market historical reads ask for the live market",
        );
        let market = ctx.market.as_ref()?;
        run.call(&GetHistoricalMarket::new(&market.ticker));
        let now = now_secs();
        run.call(&GetMarketCandlesticksHistorical::new(
            &market.ticker,
            now - 86_400,
            now,
            60,
        ));
        return historical_of(run, &market.ticker, &market.event_ticker, before);
    };
    run.call(&GetHistoricalMarkets::new().tickers([market.ticker.as_str()]));
    run.call(&GetHistoricalMarkets::new().event_ticker(&market.event_ticker));
    run.call(&GetHistoricalMarket::new(&market.ticker));

    // Hourly candlesticks of the week before it settled.
    let end = market
        .settlement_ts
        .unwrap_or(market.close_time)
        .as_second()
        .min(now_secs());
    run.call(&GetMarketCandlesticksHistorical::new(
        &market.ticker,
        end - 7 * 86_400,
        end,
        60,
    ));
    historical_of(run, &market.ticker, &market.event_ticker, before)
}

/// The historical trades, fills, orders and positions: pages, and those of one market.
fn historical_of(run: &mut Runner, ticker: &str, event: &str, before: i64) -> Option<()> {
    run.list(GetTradesHistorical::new().limit(1), 2);
    run.call(
        &GetTradesHistorical::new()
            .ticker(ticker)
            .min_ts(before - 365 * 86_400)
            .max_ts(before)
            .is_block_trade(false),
    );
    run.list(GetFillsHistorical::new().limit(1), 2);
    run.call(&GetFillsHistorical::new().ticker(ticker).max_ts(before));
    run.list(GetHistoricalOrders::new().limit(1), 2);
    run.call(&GetHistoricalOrders::new().ticker(ticker).max_ts(before));
    run.list(GetHistoricalPositions::new().limit(1), 2);
    run.call(
        &GetHistoricalPositions::new()
            .ticker(ticker)
            .event_ticker(event),
    );
    Some(())
}

// --- Tail: multivariate collections, milestones, targets, search, incentives, live data, FCM -

/// The operations of the tail areas other than communications: a combo market created in a
/// multivariate collection and traded, the reference data (milestones and their live data,
/// structured targets, search filters, incentive programs, event live data and the weather
/// index), and the FCM endpoints over one subtrader.
fn tail(run: &mut Runner, ctx: &Context, cleanup: &mut Cleanup) {
    multivariate(run, cleanup);
    reference_data(run, ctx);
    fcm(run, cleanup);
}

fn multivariate(run: &mut Runner, cleanup: &mut Cleanup) -> Option<()> {
    let collections = run.list(GetMultivariateEventCollections::new().limit(1), 2)?;
    // An open collection with two associated events that have markets.
    let open = run.call(
        &GetMultivariateEventCollections::new()
            .status(CollectionStatus::Open)
            .limit(200),
    )?;
    let Some(collection) = open
        .multivariate_contracts
        .into_iter()
        .find(|c| c.associated_events.len() >= 2)
    else {
        run.note("no open collection with two events: no combo market created");
        return Some(());
    };
    let first_event = collection.associated_events[0].ticker.clone();
    run.call(
        &GetMultivariateEventCollections::new()
            .associated_event_ticker(&first_event)
            .series_ticker(&collection.series_ticker),
    );
    let ticker = collections
        .first()
        .map_or(collection.collection_ticker.as_str(), |c| {
            c.collection_ticker.as_str()
        })
        .to_owned();
    run.call(&GetMultivariateEventCollection::new(ticker));

    let mut legs = Vec::new();
    for event in collection.associated_events.iter().take(2) {
        let markets = run.call(
            &GetMarkets::new()
                .event_ticker(&event.ticker)
                .status(MarketStatusFilter::Open)
                .limit(1),
        )?;
        let market = markets.markets.first()?;
        legs.push(TickerPair::new(
            &event.ticker,
            &market.ticker,
            OutcomeSide::Yes,
        ));
    }
    let create =
        CreateMarketInMultivariateEventCollection::new(&collection.collection_ticker, legs);
    let created = run.call(&create.clone().with_market_payload(true))?;
    // The same legs again: the same market.
    if let Some(again) = run.call(&create) {
        run.check(
            CreateMarketInMultivariateEventCollection::NAME,
            again.market_ticker == created.market_ticker,
            || {
                format!(
                    "the same legs gave {} and {}",
                    created.market_ticker, again.market_ticker
                )
            },
        );
    }
    // The combo market trades: a far bid, canceled.
    let id = run.place(
        &far_bid(&created.market_ticker, 1, FAR_PRICE_CENTS),
        cleanup,
    )?;
    run.call(&CancelOrder::new(&id));
    Some(())
}

/// A 404 for data the exchange does not have for this milestone, event or city.
fn no_data(e: &Error) -> Option<String> {
    (e.status().map(|s| s.as_u16()) == Some(404)).then(|| "no such live data".to_owned())
}

fn reference_data(run: &mut Runner, ctx: &Context) -> Option<()> {
    let now = now_secs();
    // Milestones: two pages, then every filter with the values of the first.
    let milestones = run.list(GetMilestones::new(1), 2)?;
    let milestone = milestones.first().cloned();
    if let Some(m) = &milestone {
        let mut filtered = GetMilestones::new(10)
            .minimum_start_date(m.start_date)
            .category(&m.category)
            .milestone_type(&m.milestone_type)
            .min_updated_ts(m.last_updated_ts.as_second() - 1);
        if let Some(source) = &m.source_id {
            filtered = filtered.source_id(source);
        }
        if let Some(event) = m.related_event_tickers.first() {
            filtered = filtered.related_event_ticker(event);
        }
        if let Some(competition) = m.details.get("competition").and_then(|c| c.as_str()) {
            filtered = filtered.competition(competition);
        }
        run.call(&filtered);
        run.call(&GetMilestone::new(&m.id));
        run.refusable(
            &GetLiveDataByMilestone::new(&m.id).include_player_stats(true),
            no_data,
        );
        run.refusable(
            &GetLiveData::new(&m.milestone_type, &m.id).include_player_stats(false),
            no_data,
        );
        run.call(&GetLiveDatas::new([m.id.as_str()]).include_player_stats(true));
        run.refusable(&GetGameStats::new(&m.id), no_data);
    } else {
        run.note("no milestone listed: the milestone and live data reads were not called");
    }

    // Structured targets: two pages, then the filters and one target.
    let targets = run.list(GetStructuredTargets::new().page_size(1), 2)?;
    if let Some(t) = targets.first() {
        let mut filtered = GetStructuredTargets::new();
        if let Some(id) = &t.id {
            filtered.ids = vec![id.clone()];
            run.call(&GetStructuredTarget::new(id));
        }
        if let Some(kind) = &t.target_type {
            filtered = filtered.target_type(kind);
        }
        let competition = t.details.as_ref().and_then(|d| {
            ["league", "conference", "division", "tour"]
                .iter()
                .find_map(|f| d.get(*f).and_then(|v| v.as_str()))
        });
        if let Some(competition) = competition {
            filtered = filtered.competition(competition);
        }
        run.call(&filtered);
    }

    run.call(&GetFiltersForSports::new());
    run.call(&GetTagsForSeriesCategories::new());

    let programs = run.list(GetIncentivePrograms::new().limit(1), 2)?;
    let mut filtered = GetIncentivePrograms::new()
        .status(IncentiveStatusFilter::All)
        .incentive_type(IncentiveTypeFilter::All);
    if let Some(p) = programs.first() {
        filtered = filtered.incentive_description(&p.incentive_description);
    }
    run.call(&filtered);

    // Event live data for the run's event, and the weather index of one city.
    if let Some(market) = &ctx.market {
        run.refusable(&GetEventLiveData::new(&market.event_ticker), no_data);
        run.refusable(
            &GetEventLiveData::new(&market.event_ticker).range("1d"),
            no_data,
        );
    }
    let city = "miami";
    let to = now * 1000;
    run.refusable(
        &GetWeatherIndex::new(city).window(to - 3_600_000, to),
        no_data,
    );
    run.refusable(&GetWeatherIndex::new(city).to(to).detailed(true), no_data);
    run.refusable(&GetWeatherIndex::new(city).last_sec(3_600), no_data);
    run.refusable(&GetWeatherIndexCalibrations::new(city), no_data);
    Some(())
}

/// A 403: the key is not an FCM member (or a position transfer refused by the exchange).
fn not_fcm(e: &Error) -> Option<String> {
    match e.status().map(|s| s.as_u16()) {
        Some(403) => Some("the key has no FCM member access".to_owned()),
        _ => None,
    }
}

fn fcm(run: &mut Runner, cleanup: &mut Cleanup) -> Option<()> {
    let listed = run.refusable(&ListFcmSubtraders::new(), not_fcm);
    // A new subtrader (permanent on a real exchange, as subtraders cannot be deleted).
    let suffix = format!("EO{}", now_secs() % 100_000_000);
    let created = run.refusable(&CreateFcmSubtrader::new(&suffix), not_fcm);
    // The first subtrader listed (it may have a history), else the new one.
    let subtrader = listed
        .and_then(|l| l.subtraders.into_iter().next().map(|s| s.subtrader_id))
        .or_else(|| created.map(|c| c.subtrader_id));
    let Some(subtrader) = subtrader else {
        // Not a member: each call is still made once, for its refusal.
        let s = "none";
        run.refusable(&GetFcmSubtraderBlockedCategories::new(s), not_fcm);
        run.refusable(
            &UpdateFcmSubtraderBlockedCategories::block(s, "Sports"),
            not_fcm,
        );
        run.refusable(&GetFcmEventContractDailyCap::new(s), not_fcm);
        run.refusable(&UpdateFcmEventContractDailyCap::new(s, cents(100)), not_fcm);
        run.refusable(&DeleteFcmEventContractDailyCap::new(s), not_fcm);
        run.refusable(&GetFCMOrders::new(s), not_fcm);
        run.refusable(&GetFCMPositions::new(s), not_fcm);
        run.refusable(&GetFcmFills::new(), not_fcm);
        run.refusable(
            &CreateFcmPositionTransfer::new(s, s, "none", 100, 0),
            not_fcm,
        );
        return None;
    };

    // Block a category and unblock it.
    let category = "Sports".to_owned();
    let before = run.call(&GetFcmSubtraderBlockedCategories::new(&subtrader))?;
    if !before.categories.contains(&category) {
        cleanup.fcm_category = Some((subtrader.clone(), category.clone()));
        run.call(&UpdateFcmSubtraderBlockedCategories::block(
            &subtrader, &category,
        ));
        if run
            .call(&UpdateFcmSubtraderBlockedCategories::unblock(
                &subtrader, &category,
            ))
            .is_some()
        {
            cleanup.fcm_category = None;
        }
    }

    // The daily cap: set, read, and restored (deleted if there was none; the first read is
    // not counted, as a subtrader without a cap answers it 404).
    let had = run
        .client
        .execute(&GetFcmEventContractDailyCap::new(&subtrader))
        .ok()
        .map(|c| c.limit);
    cleanup.fcm_cap = Some((subtrader.clone(), had));
    run.call(&UpdateFcmEventContractDailyCap::new(
        &subtrader,
        cents(25_000),
    ));
    run.call(&GetFcmEventContractDailyCap::new(&subtrader));
    let restored = match had {
        Some(limit) => run
            .call(&UpdateFcmEventContractDailyCap::new(&subtrader, limit))
            .map(drop),
        None => run
            .call(&DeleteFcmEventContractDailyCap::new(&subtrader))
            .map(drop),
    };
    if restored.is_some() {
        cleanup.fcm_cap = None;
    }
    if had.is_some() {
        // The delete, on a new subtrader: a cap set and deleted.
        if let Some(spare) = run.call(&CreateFcmSubtrader::new(format!("{suffix}C"))) {
            let spare = spare.subtrader_id;
            run.call(&UpdateFcmEventContractDailyCap::new(&spare, cents(100)));
            run.call(&DeleteFcmEventContractDailyCap::new(&spare));
        }
    }

    // The subtrader's orders, positions and fills: two pages each, then every filter.
    let now = now_secs();
    let orders = run.list(GetFCMOrders::new(&subtrader).limit(1), 2)?;
    let mut filtered = GetFCMOrders::new(&subtrader)
        .min_ts(now - 30 * 86_400)
        .max_ts(now + 60)
        .status(OrderStatus::Executed);
    if let Some(o) = orders.first() {
        filtered = filtered
            .ticker(&o.ticker)
            .event_ticker(market_event(&o.ticker));
    }
    run.call(&filtered);
    let positions = run.list(GetFCMPositions::new(&subtrader).limit(1), 2)?;
    let mut filtered = GetFCMPositions::new(&subtrader)
        .count_filter("position")
        .settlement_status(SettlementStatusFilter::Unsettled);
    if let Some(p) = positions.first() {
        filtered = filtered
            .ticker(&p.ticker)
            .event_ticker(market_event(&p.ticker));
    }
    run.call(&filtered);
    if let Some(page) = run.call(&GetFcmFills::new()) {
        match page.cursor.filter(|c| !c.is_empty()) {
            Some(cursor) => {
                run.call(&GetFcmFills::new().cursor(cursor));
            }
            None => run.note("one page of FCM fills: GetFcmFills's cursor not sent"),
        }
    }
    run.call(
        &GetFcmFills::new()
            .min_ts(now - 30 * 86_400)
            .max_ts(now + 60),
    );

    // Move one contract of the subtrader's position to the error account's subtrader.
    let held = positions
        .iter()
        .chain(
            &run.call(&GetFCMPositions::new(&subtrader).count_filter("position"))?
                .market_positions,
        )
        .find(|p| p.position_fp != FixedPointCount::ZERO)
        .cloned();
    let Some(held) = held else {
        run.note("the subtrader holds no position: CreateFcmPositionTransfer not called");
        return Some(());
    };
    let one = if held.position_fp > FixedPointCount::ZERO {
        100
    } else {
        -100
    };
    let error_subtrader = format!("{}_ERR", subtrader.split('_').next().unwrap_or(&subtrader));
    run.refusable(
        &CreateFcmPositionTransfer::new(&subtrader, &error_subtrader, &held.ticker, one, 5_000),
        |e| match e.status().map(|s| s.as_u16()) {
            Some(400 | 403 | 409) => {
                Some("position transfers are not enabled for this FCM".to_owned())
            }
            _ => None,
        },
    );
    Some(())
}

/// The event of a market ticker (up to its last `-`).
fn market_event(ticker: &str) -> &str {
    ticker.rsplit_once('-').map_or(ticker, |(e, _)| e)
}

// --- Communications: RFQs, quotes, block trades ------------------------------------------------

/// The RFQ workflow and block-trade proposals. On the simulator the bundled second key is the
/// counterparty: it quotes the demo account's RFQs and confirms them (two trades of a few
/// contracts), and accepts a block trade proposed to it. Against a real exchange (one key, no
/// counterparty) the run creates RFQs of 1 contract (never accepted; deleted at the end, also
/// after a failure), and the steps that need another user are called so that the exchange
/// refuses them (its own RFQ quoted, made-up quote and proposal ids): a documented refusal
/// passes there.
fn communications(run: &mut Runner, ctx: &Context, simulator: Option<&Simulator>) {
    let counterparty = simulator.and_then(|sim| {
        let environment = Environment::custom(&sim.base_url()).ok()?;
        let credentials = Credentials::from_pem(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM).ok()?;
        Some(BlockingClient::new(Client::new(environment, credentials)))
    });
    let mut rfqs = Vec::new();
    let mut users = Users::default();
    rfq_steps(run, ctx, counterparty.as_ref(), &mut rfqs, &mut users);
    block_trade_steps(run, ctx, counterparty.as_ref(), &users);
    // Whatever RFQ a failed step left open.
    for id in rfqs {
        let open = run
            .client
            .execute(&GetRFQ::new(&id))
            .is_ok_and(|r| r.rfq.status == RfqStatus::Open);
        if open {
            if let Err(e) = run.client.execute(&DeleteRFQ::new(&id)) {
                run.record("cleanup", Err(format!("delete RFQ {id}: {}", describe(&e))));
            }
        }
    }
}

/// The user ids the RFQ steps learn: ours (an RFQ's creator sees it) and the counterparty's (a
/// quoter sees it on its quote).
#[derive(Default)]
struct Users {
    me: Option<String>,
    them: Option<String>,
}

/// Executes `op` as `client` (the counterparty), recorded like [`Runner::call`].
fn call_as<O: Operation>(run: &mut Runner, client: &BlockingClient, op: &O) -> Option<O::Output> {
    let result = client.execute(op);
    run.record(O::NAME, result.as_ref().map(|_| ()).map_err(describe));
    result.ok()
}

/// A refusal the docs name for a request on something the caller cannot act on.
fn refused_as_expected(e: &Error, why: &str) -> Option<String> {
    matches!(e.status().map(|s| s.as_u16()), Some(400 | 403 | 404 | 409)).then(|| why.to_owned())
}

fn rfq_steps(
    run: &mut Runner,
    ctx: &Context,
    counterparty: Option<&BlockingClient>,
    rfqs: &mut Vec<String>,
    users: &mut Users,
) -> Option<()> {
    let market = ctx.market.as_ref()?;
    let ticker = market.ticker.as_str();
    let event = market.event_ticker.as_str();
    run.call(&GetCommunicationsID::new());

    // An RFQ by count (both count fields), replacing any open RFQ of ours on the market.
    let created = run.call(
        &CreateRFQ::new(ticker, count(1), false)
            .contracts(1)
            .replace_existing(true)
            .subaccount(0),
    )?;
    rfqs.push(created.id.clone());
    let rfq = run.call(&GetRFQ::new(&created.id))?.rfq;
    let me = rfq.creator_user_id.clone().unwrap_or_default();
    users.me = Some(me.clone());
    run.list(GetRFQs::new().limit(1), 2);
    run.call(
        &GetRFQs::new()
            .event_ticker(event)
            .market_ticker(ticker)
            .subaccount(0)
            .status(RfqStatus::Open)
            .user_filter(UserFilter::SelfOnly),
    );
    run.call(&GetRFQs::new().creator_user_id(&me));
    run.note("CreateRFQ: subtrader_id (FCM members only) not sent");

    let Some(cp) = counterparty else {
        // One key: quote our own RFQ (refused), act on a quote that does not exist (404).
        let id = created.id.as_str();
        let own = CreateQuote::new(id, cents(1), cents(1), false)
            .post_only(true)
            .subaccount(0);
        run.refusable(&own, |e| {
            refused_as_expected(e, "an RFQ is quoted by other users")
        });
        let none = "00000000-0000-4000-8000-000000000000";
        let why = |e: &Error| refused_as_expected(e, "no quote without a counterparty");
        run.refusable(&GetRFQQuote::new(id, none), why);
        run.refusable(&GetQuote::new(none), why);
        run.refusable(&AcceptRFQQuote::new(id, none, OutcomeSide::Yes), why);
        run.refusable(&AcceptQuote::new(none, OutcomeSide::Yes), why);
        run.refusable(&ConfirmRFQQuote::new(id, none), why);
        run.refusable(&ConfirmQuote::new(none), why);
        run.refusable(&DeleteRFQQuote::new(id, none), why);
        run.refusable(&DeleteQuote::new(none), why);
        quote_lists(run, id, &me);
        run.call(&DeleteRFQ::new(id));
        return Some(());
    };

    // The counterparty quotes and withdraws twice (both delete forms), then quotes again.
    let id = created.id.as_str();
    let quote = |run: &mut Runner| {
        let q = CreateQuote::new(id, cents(45), cents(50), false)
            .post_only(false)
            .subaccount(0);
        call_as(run, cp, &q).map(|q| q.id)
    };
    let first = quote(run)?;
    let theirs = call_as(run, cp, &GetRFQQuote::new(id, &first))?.quote;
    let them = theirs.creator_user_id.unwrap_or_default();
    users.them = Some(them.clone());
    call_as(run, cp, &DeleteRFQQuote::new(id, &first));
    let second = quote(run)?;
    call_as(run, cp, &DeleteQuote::new(&second));
    let third = quote(run)?;
    run.call(&GetQuote::new(&third));
    quote_lists(run, id, &me);
    run.call(&GetQuotes::new().quote_creator_user_id(&them));

    // We buy 1 YES at the YES bid; the counterparty confirms and the trade executes.
    run.call(&AcceptRFQQuote::new(id, &third, OutcomeSide::Yes));
    call_as(run, cp, &ConfirmRFQQuote::new(id, &third));
    if let Some(q) = run.call(&GetRFQQuote::new(id, &third)) {
        run.check(
            GetRFQQuote::NAME,
            q.quote.status == QuoteStatus::Executed,
            || format!("the confirmed quote is {}", q.quote.status),
        );
    }

    // An RFQ by cost (both cost fields, $0.50), through the deprecated accept and confirm.
    let by_cost =
        CreateRFQ::with_target_cost(ticker, cents(50), false).target_cost_centi_cents(5_000);
    let rfq = run.call(&by_cost)?.id;
    rfqs.push(rfq.clone());
    let q = CreateQuote::new(&rfq, cents(45), cents(50), false);
    let q = call_as(run, cp, &q)?.id;
    run.call(&AcceptQuote::new(&q, OutcomeSide::No));
    call_as(run, cp, &ConfirmQuote::new(&q));

    // An RFQ deleted by its creator.
    let last = run.call(&CreateRFQ::new(ticker, count(1), false))?.id;
    rfqs.push(last.clone());
    run.call(&DeleteRFQ::new(&last));
    Some(())
}

/// The quote list with every filter.
fn quote_lists(run: &mut Runner, rfq_id: &str, me: &str) {
    let now = now_secs();
    run.list(
        GetQuotes::new()
            .rfq_user_filter(UserFilter::SelfOnly)
            .limit(1),
        2,
    );
    run.call(
        &GetQuotes::new()
            .rfq_id(rfq_id)
            .status(QuoteStatus::Open)
            .min_ts(now - 3_600)
            .max_ts(now + 3_600)
            .rfq_creator_user_id(me),
    );
    run.call(&GetQuotes::new().user_filter(UserFilter::SelfOnly));
    run.refusable(&GetQuotes::new().rfq_creator_subtrader_id("none"), |e| {
        refused_as_expected(e, "rfq_creator_subtrader_id is for FCM members")
    });
}

fn block_trade_steps(
    run: &mut Runner,
    ctx: &Context,
    counterparty: Option<&BlockingClient>,
    users: &Users,
) -> Option<()> {
    let ticker = ctx.ticker()?;
    run.list(GetBlockTradeProposals::new().limit(1), 2);
    run.call(
        &GetBlockTradeProposals::new()
            .market_ticker(ticker)
            .status("pending"),
    );
    run.note(
        "ProposeBlockTrade, AcceptBlockTradeProposal: subtrader ids (FCM members only) not sent",
    );
    let expires =
        kalshi_core::jiff::Timestamp::now() + kalshi_core::jiff::SignedDuration::from_secs(600);
    let Some(cp) = counterparty else {
        // One key: propose a trade with a user that does not exist (refused; never with
        // ourselves, which might trade), accept a made-up proposal.
        let me = users.me.clone().unwrap_or_default();
        let nobody = "00000000-0000-4000-8000-000000000000";
        let propose =
            ProposeBlockTrade::new(&me, nobody, ticker, 100, 100, OutcomeSide::Yes, expires)
                .buyer_subaccount(0)
                .seller_subaccount(0);
        run.refusable(&propose, |e| {
            refused_as_expected(
                e,
                "the seller is no user: a block trade needs a counterparty",
            )
        });
        let accept =
            AcceptBlockTradeProposal::new("00000000-0000-4000-8000-000000000000").subaccount(0);
        run.refusable(&accept, |e| {
            refused_as_expected(e, "no proposal without a counterparty")
        });
        return Some(());
    };
    // We buy 1 YES at $0.45 from the counterparty, which accepts.
    let (me, them) = (users.me.as_deref()?, users.them.as_deref()?);
    let propose = ProposeBlockTrade::new(me, them, ticker, 4_500, 100, OutcomeSide::Yes, expires)
        .buyer_subaccount(0)
        .seller_subaccount(0);
    let id = run.call(&propose)?.block_trade_proposal_id;
    call_as(run, cp, &AcceptBlockTradeProposal::new(&id).subaccount(0));
    if let Some(list) = run.call(&GetBlockTradeProposals::new().status("executed")) {
        run.check(
            AcceptBlockTradeProposal::NAME,
            list.block_trade_proposals.iter().any(|p| p.id == id),
            || format!("the accepted proposal {id} is not listed as executed"),
        );
    }
    Some(())
}

// --- The runner: calls, records and reports ---------------------------------------------------

/// Executes operations and records, per operation, whether every call passed.
struct Runner<'c> {
    client: &'c BlockingClient,
    /// Against a real exchange a documented refusal may pass ([`Runner::refusable`]).
    real_exchange: bool,
    /// Per operation, in the order of their first call: the first failure, if any.
    results: Vec<(String, Option<String>)>,
    /// Things worth saying next to the results (refusals accepted, parameters not sent).
    notes: Vec<String>,
}

impl<'c> Runner<'c> {
    fn new(client: &'c BlockingClient, real_exchange: bool) -> Self {
        Runner {
            client,
            real_exchange,
            results: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Records one call of `name`; the first failure is the one reported.
    fn record(&mut self, name: &str, outcome: Result<(), String>) {
        match self.results.iter_mut().find(|(n, _)| n == name) {
            Some((_, failure)) => {
                if failure.is_none() {
                    *failure = outcome.err();
                }
            }
            None => self.results.push((name.to_owned(), outcome.err())),
        }
    }

    /// Fails `name` with `why` unless `ok` (a check on an answer).
    fn check(&mut self, name: &'static str, ok: bool, why: impl FnOnce() -> String) {
        if !ok {
            self.record(name, Err(why()));
        }
    }

    fn note(&mut self, note: &str) {
        self.notes.push(note.to_owned());
    }

    /// Executes `op`; its answer, or `None` after recording the failure.
    fn call<O: Operation>(&mut self, op: &O) -> Option<O::Output> {
        let result = self.client.execute(op);
        self.record(O::NAME, result.as_ref().map(|_| ()).map_err(describe));
        result.ok()
    }

    /// Executes `op`; against a real exchange an error that `justified` explains (a refusal
    /// the docs name, for a reason the run knows) passes, with the reason noted.
    fn refusable<O: Operation>(
        &mut self,
        op: &O,
        justified: impl FnOnce(&Error) -> Option<String>,
    ) -> Option<O::Output> {
        match self.client.execute(op) {
            Ok(output) => {
                self.record(O::NAME, Ok(()));
                Some(output)
            }
            Err(e) => {
                match justified(&e).filter(|_| self.real_exchange) {
                    Some(reason) => {
                        self.record(O::NAME, Ok(()));
                        self.notes
                            .push(format!("{}: refused as expected ({reason}): {e}", O::NAME));
                    }
                    None => self.record(O::NAME, Err(describe(&e))),
                }
                None
            }
        }
    }

    /// The first `max_items` items of a list, a page of `limit` at a time
    /// ([`BlockingClient::iter_all`]): with `limit(1)`, the second item comes through the
    /// cursor.
    fn list<O: Paginated>(&mut self, first: O, max_items: usize) -> Option<Vec<O::Item>> {
        let items: Result<Vec<_>, _> = self.client.iter_all(first).take(max_items).collect();
        self.record(O::NAME, items.as_ref().map(|_| ()).map_err(describe));
        items.ok()
    }

    /// Places an order exactly once ([`BlockingClient::place_order`]) and remembers it for the
    /// cleanup; its id.
    fn place(&mut self, op: &CreateOrder, cleanup: &mut Cleanup) -> Option<String> {
        let result = self.client.place_order(op);
        self.record(
            CreateOrder::NAME,
            result.as_ref().map(|_| ()).map_err(describe),
        );
        let id = result.ok()?.order_id().to_owned();
        cleanup
            .orders
            .push((id.clone(), op.subaccount.unwrap_or(0)));
        Some(id)
    }

    /// Prints a line per operation, then `N passed, M failed`; true if nothing failed. A current
    /// operation of the inventory that was never called is a failure.
    fn report(mut self) -> bool {
        for name in current_operations() {
            if !self.results.iter().any(|(n, _)| *n == name) {
                self.results.push((name, Some("not called".to_owned())));
            }
        }
        for note in &self.notes {
            println!("note: {note}");
        }
        let mut failed = 0;
        for (name, failure) in &self.results {
            match failure {
                None => println!("ok {name}"),
                Some(why) => {
                    failed += 1;
                    println!("FAIL {name}: {why}");
                }
            }
        }
        println!("{} passed, {failed} failed", self.results.len() - failed);
        failed == 0
    }
}

/// An error on one line (with the exchange's code and message when it sent them).
fn describe(e: &Error) -> String {
    e.to_string().replace('\n', " ")
}

/// Every current operation of the inventory, trading and tail tiers
/// (`kalshi_core::spec::OPERATIONS_JSON`).
fn current_operations() -> Vec<String> {
    let inventory: serde_json::Value = serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON)
        .expect("the inventory bundled with kalshi-core is JSON");
    let operations = inventory["operations"].as_array().into_iter().flatten();
    operations
        .filter(|op| op["status"] == "current")
        .filter_map(|op| op["operation_id"].as_str().map(str::to_owned))
        .collect()
}

// --- Cleanup ----------------------------------------------------------------------------------

/// What the run created or changed and has not undone yet (the steps undo their own; this is
/// for a step that failed half-way).
#[derive(Default)]
struct Cleanup {
    /// Every order created, with its subaccount: canceled if still resting.
    orders: Vec<(String, u32)>,
    order_group: Option<String>,
    api_keys: Vec<String>,
    /// A subaccount locked for settlement advance.
    locked: Option<u32>,
    /// A subaccount's netting and its original setting.
    netting: Option<(u32, bool)>,
    /// The original target balance allocation.
    allocation: Option<Vec<TargetBalanceAllocation>>,
    /// Cash (cents) moved to a subaccount.
    cash_in: Option<(u32, i64)>,
    /// The transfer that brings a moved position back.
    position_in: Option<ApplySubaccountPositionTransfer>,
    /// The transfer that brings cash back from another shard.
    intra_back: Option<IntraExchangeInstanceTransfer>,
    /// A category blocked for an FCM subtrader: (subtrader, category).
    fcm_category: Option<(String, String)>,
    /// An FCM subtrader's daily cap changed, and the one it had (none: delete).
    fcm_cap: Option<(String, Option<FixedPointDollars>)>,
}

impl Cleanup {
    /// Undoes what is left; what could not be undone.
    fn run(self, client: &BlockingClient) -> Vec<String> {
        let mut failures = Vec::new();
        let mut undo = |what: String, result: Result<(), Error>| {
            if let Err(e) = result {
                failures.push(format!("{what}: {}", describe(&e)));
            }
        };
        for (id, subaccount) in &self.orders {
            let resting = client
                .execute(&GetOrder::new(id))
                .is_ok_and(|o| o.order.status == OrderStatus::Resting);
            if resting {
                let cancel = CancelOrder::new(id).subaccount(*subaccount);
                undo(
                    format!("cancel order {id}"),
                    client.execute(&cancel).map(drop),
                );
            }
        }
        if let Some(id) = self.order_group {
            let delete = DeleteOrderGroup::new(&id);
            undo(
                format!("delete order group {id}"),
                client.execute(&delete).map(drop),
            );
        }
        for id in self.api_keys {
            let delete = DeleteApiKey::new(&id);
            undo(
                format!("delete API key {id}"),
                client.execute(&delete).map(drop),
            );
        }
        if let Some(n) = self.locked {
            let unlock = UnlockSubaccountForSettlementAdvance::new(n);
            undo(
                format!("unlock subaccount {n}"),
                client.execute(&unlock).map(drop),
            );
        }
        if let Some((n, enabled)) = self.netting {
            let restore = UpdateSubaccountNetting::new(n, enabled);
            undo(
                format!("restore netting of {n}"),
                client.execute(&restore).map(drop),
            );
        }
        if let Some(allocations) = self.allocation {
            let restore = SetTargetBalanceAllocation::new(allocations);
            undo(
                "restore the target balance allocation".to_owned(),
                client.execute(&restore).map(drop),
            );
        }
        if let Some(back) = self.position_in {
            undo(
                "move the position back".to_owned(),
                client.execute(&back).map(drop),
            );
        }
        if let Some((n, amount)) = self.cash_in {
            let back = ApplySubaccountTransfer::new(n, 0, amount);
            undo(
                format!("move ${amount} cents back from {n}"),
                client.execute(&back).map(drop),
            );
        }
        if let Some(back) = self.intra_back {
            undo(
                "move the cash back between shards".to_owned(),
                client.execute(&back).map(drop),
            );
        }
        if let Some((subtrader, category)) = self.fcm_category {
            let unblock = UpdateFcmSubtraderBlockedCategories::unblock(&subtrader, &category);
            undo(
                format!("unblock {category} for {subtrader}"),
                client.execute(&unblock).map(drop),
            );
        }
        if let Some((subtrader, cap)) = self.fcm_cap {
            let restored = match cap {
                Some(limit) => client
                    .execute(&UpdateFcmEventContractDailyCap::new(&subtrader, limit))
                    .map(drop),
                None => client
                    .execute(&DeleteFcmEventContractDailyCap::new(&subtrader))
                    .map(drop),
            };
            undo(format!("restore the daily cap of {subtrader}"), restored);
        }
        failures
    }
}

// --- Where it runs ----------------------------------------------------------------------------

/// Where the example runs, read from the environment (as in `order_group_lifecycle.rs`).
struct Target {
    client: BlockingClient,
    /// One line saying where requests go.
    description: String,
    /// The in-process simulator, kept alive for the run (`None` against a real exchange).
    simulator: Option<Simulator>,
}

/// Set to run against production anyway.
const ALLOW_PRODUCTION: &str = "EVERY_OPERATION_ALLOW_PRODUCTION";

/// Two markets of the simulator's default event that the counterparty and the demo account
/// trade in and that then settle.
const SETTLED_MARKETS: [&str; 2] = ["KXTEST-26DEC31-T70", "KXTEST-26DEC31-T80"];
/// A multivariate (combo) event on the simulator, its collection and its one market.
const COMBO_EVENT: &str = "KXCOMBO-26DEC31";
const COMBO_COLLECTION: &str = "KXCOMBOCOLL";
const COMBO_MARKET: &str = "KXCOMBO-26DEC31-T1";
/// The event and series of the simulator's default markets.
const EVENT: &str = "KXTEST-26DEC31";
const SERIES: &str = "KXTEST";
/// Another market of the default event, where the demo account holds a position too.
const SECOND_MARKET: &str = "KXTEST-26DEC31-T60";

impl Target {
    /// A real exchange with `KALSHI_*` credentials; the simulator with none of them.
    fn from_env() -> Result<Target, String> {
        match EnvConfig::from_env_optional().map_err(|e| e.to_string())? {
            Some(config) => {
                for warning in config.warnings() {
                    eprintln!("warning: {warning}");
                }
                let production = matches!(
                    config.environment(),
                    Environment::Production | Environment::ProductionShared
                );
                if production && std::env::var_os(ALLOW_PRODUCTION).is_none() {
                    return Err(format!(
                        "this is PRODUCTION: the run places and cancels orders, creates a \
                         subaccount and moves money; use a demo account, or set \
                         {ALLOW_PRODUCTION}=1"
                    ));
                }
                let description = format!(
                    "Target: {}, signing as API key `{}`.",
                    config.environment().base_url(),
                    config.credentials().key_id()
                );
                Ok(Target {
                    client: BlockingClient::new(config.into_client()),
                    description,
                    simulator: None,
                })
            }
            None => Self::simulator(),
        }
    }

    fn simulator() -> Result<Target, String> {
        let mut config = SimulatorConfig::default()
            .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)
            .map_err(|e| format!("the bundled second key: {e}"))?;
        for ticker in SETTLED_MARKETS {
            config = config.with_market(ticker);
        }
        // A multivariate (combo) event of a collection, with one market, so that the
        // multivariate listing has something to filter by collection.
        config = config
            .with_event(EventConfig::new(COMBO_EVENT).multivariate(COMBO_COLLECTION))
            .with_market(COMBO_MARKET);
        // The collection itself, whose combo markets join the default event with the sub-penny
        // one; the demo account is an FCM member whose subtrader trades as the counterparty.
        config = config
            .with_collection(
                CollectionConfig::new(COMBO_COLLECTION, "KXCOMBO")
                    .title("Test combos")
                    .event(EVENT)
                    .event("KXSUBPENNY-26DEC31")
                    .sizes(2, 2),
            )
            .with_fcm_subtrader(DEMO_KEY_ID, "CP", SECOND_KEY_ID);
        // A described series with fee changes of its own and of its event.
        let soon_ms = (now_secs().unsigned_abs() + 7 * 86_400) * 1000;
        config = config
            .with_series(
                SeriesConfig::new(SERIES)
                    .title("Test values")
                    .category("Economics")
                    .tags(["Test", "Daily"]),
            )
            .with_series_fee_change(SERIES, "quadratic", 0.07, soon_ms)
            .with_event_fee_change(EVENT, Some("quadratic"), Some(0.035), soon_ms)
            .with_event_fee_change(EVENT, None, None, soon_ms + 86_400_000);
        let simulator = Simulator::start(config)
            .map_err(|e| format!("cannot start the local simulator: {e}"))?;
        let base_url = simulator.base_url();
        let connect = |key_id: &str, pem: &str| -> Result<BlockingClient, String> {
            let environment =
                Environment::custom(&base_url).map_err(|e| format!("simulator base URL: {e}"))?;
            let credentials =
                Credentials::from_pem(key_id, pem).map_err(|e| format!("a bundled key: {e}"))?;
            Ok(BlockingClient::new(Client::new(environment, credentials)))
        };
        let client = connect(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
        let counterparty = connect(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?;
        prepare(&simulator, &client, &counterparty).map_err(|e| format!("preparing: {e}"))?;
        Ok(Target {
            client,
            description: format!(
                "Target: the built-in local simulator at {base_url}, signing with the bundled demo \
                 key `{DEMO_KEY_ID}`.\n(Set KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH or \
                 KALSHI_PRIVATE_KEY, and optionally KALSHI_ENV or KALSHI_BASE_URL, to run against \
                 a real exchange.)"
            ),
            simulator: Some(simulator),
        })
    }
}

/// Gives the simulator's demo account what a real one has: trades with a counterparty (fills,
/// positions), two settled markets, deposits and withdrawals, data past a historical cutoff,
/// and a book with a bid of $0.40 and an ask of $0.60 on the default market.
fn prepare(
    sim: &Simulator,
    demo: &BlockingClient,
    counterparty: &BlockingClient,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    // The demo account buys `contracts` YES from the counterparty at `price_cents`.
    let trade = |ticker: &str, contracts: i64, price_cents: i64| -> Result<(), String> {
        let ask = CreateOrder::new(ticker, BookSide::Ask, count(contracts), cents(price_cents));
        counterparty.place_order(&ask).map_err(|e| fail(&e))?;
        let bid = CreateOrder::new(ticker, BookSide::Bid, count(contracts), cents(price_cents))
            .time_in_force(TimeInForce::ImmediateOrCancel);
        demo.place_order(&bid).map_err(|e| fail(&e))?;
        Ok(())
    };
    for ticker in SETTLED_MARKETS {
        trade(ticker, 2, 55)?;
        trade(ticker, 1, 56)?;
        sim.settle_market(ticker, SettlementResult::Yes)
            .map_err(|e| fail(&e))?;
    }
    trade(DEFAULT_MARKET, 2, 50)?;
    for cents in [50_000, 25_000] {
        sim.record_deposit(DEMO_KEY_ID, cents)
            .map_err(|e| fail(&e))?;
    }
    for cents in [10_000, 5_000] {
        sim.record_withdrawal(DEMO_KEY_ID, cents)
            .map_err(|e| fail(&e))?;
    }
    // Everything so far is historical; the trades below are live.
    thread::sleep(Duration::from_millis(2));
    sim.set_historical_cutoff(HistoricalCutoff::at(sim.now_ms()));
    thread::sleep(Duration::from_millis(2));
    trade(DEFAULT_MARKET, 3, 52)?;
    trade(DEFAULT_MARKET, 1, 53)?;
    trade(SECOND_MARKET, 2, 30)?;
    for (side, price_cents) in [(BookSide::Bid, 40), (BookSide::Ask, 60)] {
        let quote = CreateOrder::new(DEFAULT_MARKET, side, count(5), cents(price_cents));
        counterparty.place_order(&quote).map_err(|e| fail(&e))?;
    }
    Ok(())
}
