//! The simulator: configuration, start and shutdown, and test hooks into its state.
//!
//! ```no_run
//! use kalshi_simulator::{Simulator, SimulatorConfig};
//!
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT/trade-api/v2
//! sim.shutdown(); // or just drop it
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Served under [`BASE_PATH`], every request authenticated (see [`SimulatorConfig`]) except
//! the public market data reads (see "Authentication"). Every answer carries a `Date` header
//! from the exchange clock (skew included).
//!
//! The same pipeline also runs without a socket: [`Simulator::handle`] answers an
//! `http::Request<Vec<u8>>` in process, on a started simulator or on one built with
//! [`Simulator::in_process`] (no socket, no thread: cheap enough for one per fuzz input).
//!
//! Orders and portfolio (see "Exchange semantics" below):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/portfolio/events/orders` | 201 `{order_id, client_order_id?, fill_count, remaining_count, average_fill_price?, average_fee_paid?, ts_ms}` |
//! | `DELETE` | `/portfolio/events/orders?subaccount` | 204, no body: every resting order of the key (of one subaccount if given) canceled |
//! | `DELETE` | `/portfolio/events/orders/{id}?subaccount&exchange_index&market_ticker` | 200 `{order_id, client_order_id?, reduced_by, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/{id}/amend?subaccount` | 200 `{order_id, client_order_id?, remaining_count, fill_count, average_fill_price?, average_fee_paid?, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/{id}/decrease?subaccount` | 200 `{order_id, client_order_id?, remaining_count, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/batched` | 201 `{orders: [create answer, or {client_order_id, error}]}` |
//! | `DELETE` | `/portfolio/events/orders/batched` | 200 `{orders: [{order_id, client_order_id, reduced_by, ts_ms}, or {order_id, reduced_by: "0.00", error}]}` |
//! | `GET` | `/portfolio/orders?ticker&event_ticker&status&min_ts&max_ts&subaccount&exchange_index&limit&cursor` | 200 `{orders: [Order], cursor}` (newest first, `cursor` `""` on the last page) |
//! | `GET` | `/portfolio/orders/{id}` | 200 `{order: Order}` |
//! | `GET` | `/portfolio/orders/{id}/queue_position` | 200 `{queue_position_fp}` |
//! | `GET` | `/portfolio/orders/queue_positions?market_tickers&event_ticker&subaccount` | 200 `{queue_positions: [{order_id, market_ticker, queue_position_fp}]}` |
//! | `GET` | `/portfolio/balance?subaccount&exchange_index` | 200 `{balance, balance_dollars, portfolio_value, updated_ts, balance_breakdown}` |
//! | `GET` | `/portfolio/positions?ticker&event_ticker&count_filter&subaccount&exchange_index&limit&cursor` | 200 `{market_positions, event_positions, cursor}` |
//! | `GET` | `/portfolio/fills?ticker&order_id&min_ts&max_ts&subaccount&exchange_index&limit&cursor` | 200 `{fills: [Fill], cursor}` (newest first) |
//! | `POST`, `DELETE` | `/portfolio/orders`, `/portfolio/orders/batched`, `/portfolio/orders/{id}`, `.../{id}/amend`, `.../{id}/decrease` | 400 `deprecated_v1_order_endpoint` |
//!
//! Subaccounts, settlements and funding (see "Portfolio semantics" below):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/portfolio/subaccounts` | 201 `{subaccount_number}` |
//! | `POST` | `/portfolio/subaccounts/transfer` | 200 `{}` |
//! | `GET` | `/portfolio/subaccounts/transfers?limit&cursor` | 200 `{transfers: [{transfer_id, from_subaccount, to_subaccount, amount_cents, created_ts, exchange_index}], cursor}` |
//! | `GET` | `/portfolio/subaccounts/balances` | 200 `{subaccount_balances: [{subaccount_number, exchange_index, balance, updated_ts}]}` |
//! | `GET` | `/portfolio/subaccounts/netting` | 200 `{netting_configs: [{subaccount_number, enabled, exchange_index}]}` |
//! | `PUT` | `/portfolio/subaccounts/netting` | 200 `{}` |
//! | `POST` | `/portfolio/subaccounts/positions/transfer` | 200 `{position_transfer_id}` |
//! | `PUT` | `/portfolio/subaccounts/settlement-advance-lock` | 200 `{settlement_advance_state}` |
//! | `DELETE` | `/portfolio/subaccounts/settlement-advance-lock` | 200 `{}` |
//! | `GET` | `/portfolio/settlements?ticker&event_ticker&min_ts&max_ts&subaccount&limit&cursor` | 200 `{settlements: [Settlement], cursor}` (newest first) |
//! | `GET` | `/historical/cutoff` | 200 `{market_settled_ts, trades_created_ts, orders_updated_ts, market_positions_last_updated_ts}` |
//! | `GET` | `/portfolio/deposits?limit&cursor`, `/portfolio/withdrawals?limit&cursor` | 200 `{deposits` / `withdrawals: [{id, status, type, amount_cents, fee_cents, created_ts, finalized_ts}], cursor}` |
//! | `GET` | `/portfolio/summary/total_resting_order_value` | 200 `{total_resting_order_value, resting_order_value_breakdown}` |
//! | `GET`, `POST` | `/portfolio/target_balance_allocation` | 200 `{allocations: [{exchange_index, percent}]}`, 200 `{}` |
//! | `POST` | `/portfolio/intra_exchange_instance_transfer` | 200 `{transfer_id}` |
//! | `GET` | `/portfolio/intra_exchange_instance_transfers?limit&cursor` | 200 `{transfers: [IntraExchangeInstanceTransfer], cursor?}` (no `cursor` on the last page, as documented) |
//! | `GET` | `/portfolio/intra_exchange_instance_transfers/{transfer_id}` | 200 `{transfer}` |
//!
//! Their error codes: `invalid_parameters` (400), `insufficient_balance` (400),
//! `insufficient_position` (400), `subaccount_not_found` (400), `subaccount_limit_reached`
//! (400), `duplicate_client_transfer_id` (409, nothing moved), `subaccount_locked` (409 on a
//! second lock), `not_found` (404, unknown intra-exchange transfer). Orders on a settled
//! market answer 400 `market_closed`, orders from a locked subaccount 400 `subaccount_locked`.
//!
//! Order error codes: `invalid_parameters` (400, malformed or out-of-range input, off-tick
//! price, wrong shard), `insufficient_balance` (400), `post_only_cross` (400),
//! `order_group_triggered` (400), `order_not_resting` (400, amend or queue position of an
//! order that is no longer working), `reduce_only_would_increase_position` (400),
//! `market_not_found` (404), `not_found` (404, unknown order or order group),
//! `duplicate_client_order_id` (409, nothing created). Rate limiting answers 429
//! `{"error": "too many requests"}` (see [`RateLimits`]).
//!
//! Order groups:
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/portfolio/order_groups/create` | 201 `{"order_group_id", "subaccount", "exchange_index"}` |
//! | `GET` | `/portfolio/order_groups?subaccount=N` | 200 `{"order_groups": [{"id", "contracts_limit_fp", "is_auto_cancel_enabled", "exchange_index"}]}` |
//! | `GET` | `/portfolio/order_groups/{id}?subaccount=N` | 200 `{"is_auto_cancel_enabled", "contracts_limit_fp", "orders", "exchange_index"}` |
//! | `DELETE` | `/portfolio/order_groups/{id}?subaccount=N&exchange_index=M` | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/reset` (same query) | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/trigger` (same query) | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/limit` (same query) | 200 `{}` |
//!
//! Market data, catalog and exchange (see "Market data semantics" below; `*` marks the public
//! reads, served without a signature):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/markets?limit&cursor&event_ticker&series_ticker&tickers&status&min_created_ts&max_created_ts&min_updated_ts&min_close_ts&max_close_ts&min_settled_ts&max_settled_ts&mve_filter` * | 200 `{markets: [Market], cursor}` (by ticker) |
//! | `GET` | `/markets/{ticker}` * | 200 `{market: Market}` |
//! | `GET` | `/markets/{ticker}/orderbook?depth` | 200 `{orderbook_fp: {yes_dollars, no_dollars}}` |
//! | `GET` | `/markets/orderbooks?tickers=A&tickers=B` | 200 `{orderbooks: [{ticker, orderbook_fp}]}` |
//! | `GET` | `/markets/trades?ticker&min_ts&max_ts&is_block_trade&limit&cursor` * | 200 `{trades: [Trade], cursor}` (newest first) |
//! | `GET` | `/series/{series}/markets/{ticker}/candlesticks?start_ts&end_ts&period_interval&include_latest_before_start` * | 200 `{ticker, candlesticks}` |
//! | `GET` | `/markets/candlesticks?market_tickers&start_ts&end_ts&period_interval&include_latest_before_start` * | 200 `{markets: [{market_ticker, candlesticks}]}` |
//! | `GET` | `/series/{series}/events/{ticker}/candlesticks?start_ts&end_ts&period_interval` * | 200 `{market_tickers, market_candlesticks, adjusted_end_ts}` |
//! | `GET` | `/series?category&tags&include_volume&include_product_metadata&min_updated_ts` * | 200 `{series: [Series]}` |
//! | `GET` | `/series/{series_ticker}?include_volume` * | 200 `{series: Series}` |
//! | `GET` | `/events?limit&cursor&with_nested_markets&with_milestones&status&series_ticker&tickers&min_close_ts&min_updated_ts` * | 200 `{events: [Event], cursor}` (by ticker) |
//! | `GET` | `/events/{event_ticker}?with_nested_markets` * | 200 `{event: Event, markets}` |
//! | `GET` | `/events/{event_ticker}/metadata` * | 200 `{image_url, market_details, settlement_sources, competition}` |
//! | `GET` | `/exchange/status` * | 200 `{exchange_active, trading_active, intra_exchange_transfers_active, exchange_estimated_resume_time, exchange_index_statuses}` |
//! | `GET` | `/exchange/schedule` * | 200 `{schedule: {standard_hours, maintenance_windows}}` |
//! | `GET` | `/exchange/user_data_timestamp` * | 200 `{as_of_time}` |
//! | `GET` | `/series/fee_changes?series_ticker&show_historical` * | 200 `{series_fee_change_arr}` |
//! | `GET` | `/events/fee_changes?event_ticker&limit&cursor` * | 200 `{event_fee_changes, cursor}` |
//! | `GET` | `/events/multivariate?limit&cursor&series_ticker&collection_ticker&with_nested_markets` | 200 `{events: [Event], cursor}` (by ticker) |
//! | `GET` | `/series/{series}/events/{ticker}/forecast_percentile_history?percentiles&start_ts&end_ts&period_interval` | 200 `{forecast_history: [{event_ticker, end_period_ts, period_interval, percentile_points}]}` |
//!
//! Historical data (see "Historical data semantics" below; `*` marks the public reads):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/historical/markets?limit&cursor&tickers&event_ticker&series_ticker&mve_filter` * | 200 `{markets: [Market], cursor}` (by ticker) |
//! | `GET` | `/historical/markets/{ticker}` * | 200 `{market: Market}` |
//! | `GET` | `/historical/markets/{ticker}/candlesticks?start_ts&end_ts&period_interval` * | 200 `{ticker, candlesticks: [{end_period_ts, yes_bid, yes_ask, price, volume, open_interest}]}` |
//! | `GET` | `/historical/trades?ticker&min_ts&max_ts&is_block_trade&limit&cursor` * | 200 `{trades: [Trade], cursor}` (newest first) |
//! | `GET` | `/historical/fills?ticker&max_ts&limit&cursor` | 200 `{fills: [Fill], cursor}` (newest first) |
//! | `GET` | `/historical/orders?ticker&max_ts&limit&cursor` | 200 `{orders: [Order], cursor}` (newest first) |
//! | `GET` | `/historical/positions?ticker&event_ticker&limit&cursor` | 200 `{market_positions, event_positions, cursor}` (by ticker) |
//!
//! Multivariate event collections, reference data and FCM (see "Tail semantics" below; all
//! signed):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/multivariate_event_collections?status&associated_event_ticker&series_ticker&limit&cursor` | 200 `{multivariate_contracts, cursor}` (by ticker) |
//! | `GET` | `/multivariate_event_collections/{collection_ticker}` | 200 `{multivariate_contract}` |
//! | `POST` | `/multivariate_event_collections/{collection_ticker}` | 200 `{event_ticker, market_ticker, market?}` |
//! | `GET` | `/milestones?limit&minimum_start_date&category&competition&source_id&type&related_event_ticker&cursor&min_updated_ts` | 200 `{milestones, cursor}` (by id) |
//! | `GET` | `/milestones/{milestone_id}` | 200 `{milestone}` |
//! | `GET` | `/structured_targets?ids&type&competition&page_size&cursor` | 200 `{structured_targets, cursor}` (by id) |
//! | `GET` | `/structured_targets/{structured_target_id}` | 200 `{structured_target}` |
//! | `GET` | `/search/filters_by_sport` | 200 `{filters_by_sports, sport_ordering}` |
//! | `GET` | `/search/tags_by_categories` | 200 `{tags_by_categories}` (the series' categories and tags) |
//! | `GET` | `/incentive_programs?status&type&incentive_description&limit&cursor` | 200 `{incentive_programs, next_cursor}` (by id) |
//! | `GET` | `/live_data/batch?milestone_ids&include_player_stats` | 200 `{live_datas}` |
//! | `GET` | `/live_data/milestone/{milestone_id}?include_player_stats`, `/live_data/{type}/milestone/{milestone_id}?include_player_stats` | 200 `{live_data}` |
//! | `GET` | `/live_data/milestone/{milestone_id}/game_stats` | 200 `{pbp}` |
//! | `GET` | `/live_data/events/{event_ticker}?range` | 200 `{live_data}` |
//! | `GET` | `/live_data/weather/{city}?from&to&last_sec&detailed` | 200 `{city, config_version, units, timeseries}` |
//! | `GET` | `/live_data/weather/{city}/calibrations` | 200 `{city, units, calibrations}` |
//! | `POST`, `GET` | `/fcm/subtraders` | 201 `{subtrader_id}`, 200 `{subtraders}` |
//! | `GET`, `PUT` | `/fcm/subtraders/blocked_categories` | 200 `{categories}` |
//! | `GET`, `PUT`, `DELETE` | `/fcm/subtraders/event_contract_daily_cap` | 200 `{subtrader_id, limit, executed_utilization, resting_order_utilization, pending_order_utilization, cap_date}`, 200 `{}`, 200 `{}` |
//! | `GET` | `/fcm/orders?subtrader_id&...`, `/fcm/positions?subtrader_id&...` | 200 as `GET /portfolio/orders`, `/portfolio/positions` |
//! | `GET` | `/fcm/fills?min_ts&max_ts&cursor` | 200 `{fills: [FcmFill], cursor}` (newest first) |
//! | `POST` | `/fcm/positions/transfers` | 201 `{position_transfer_id}` |
//!
//! Communications: RFQs, quotes and block-trade proposals between users (keys of different
//! accounts); a confirmed quote or accepted proposal trades through the engine's books (an
//! accepted proposal's trade is the simulator's only block trade, `is_block_trade` true; the
//! semantics and error codes: the `communications` module's docs, in the source):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/communications/id` | 200 `{communications_id}` |
//! | `GET` | `/communications/rfqs?cursor&event_ticker&market_ticker&subaccount&limit&status&creator_user_id&user_filter` | 200 `{rfqs: [RFQ], cursor}` (newest first) |
//! | `POST` | `/communications/rfqs` | 201 `{id}`; 409 `rfq_already_exists` |
//! | `GET`, `DELETE` | `/communications/rfqs/{rfq_id}` | 200 `{rfq}`, 204 |
//! | `GET` | `/communications/quotes?cursor&min_ts&max_ts&limit&status&quote_creator_user_id&user_filter&rfq_user_filter&rfq_creator_user_id&rfq_creator_subtrader_id&rfq_id` | 200 `{quotes: [Quote], cursor}` (newest first, the caller's and those on its RFQs) |
//! | `POST` | `/communications/quotes` | 201 `{id}` |
//! | `GET`, `DELETE` | `/communications/rfqs/{rfq_id}/quotes/{quote_id}`, deprecated `/communications/quotes/{quote_id}` | 200 `{quote}`, 204 |
//! | `PUT` | `.../quotes/{quote_id}/accept` (both forms) | 204: accepted by the RFQ's creator |
//! | `PUT` | `.../quotes/{quote_id}/confirm` (both forms) | 204: confirmed by the quoter and executed at once (fills, positions, balances); 404 `quote_not_accepted` for a second confirm |
//! | `GET` | `/communications/block-trade-proposals?cursor&market_ticker&limit&status` | 200 `{block_trade_proposals, cursor}` (newest first) |
//! | `POST` | `/communications/block-trade-proposals` | 201 `{block_trade_proposal_id}` |
//! | `POST` | `/communications/block-trade-proposals/{block_trade_proposal_id}/accept` | 204: executed |
//!
//! Market data error codes: `invalid_parameters` (400: an unknown `status`, a `limit` out of
//! range, incompatible `GET /markets` timestamp filters, a candlestick range over 10,000
//! candlesticks), `market_not_found` (404), `not_found` (404, unknown event or series).
//!
//! Errors answer the documented `ErrorResponse` body `{"code", "message", "details", "service"}`
//! with codes `invalid_parameters` (400), `unauthorized` (401), `not_found` (404),
//! `method_not_allowed` (405), `payload_too_large` (413) and `internal_error` (500);
//! [`SimulatorConfig::with_error_shape`] switches to the nested `{"error": {...}}` or the bare
//! `{"error": "message"}` shape ([`ErrorShape`]).
//!
//! # Authentication
//!
//! Every request, including one to an unknown route, must carry `KALSHI-ACCESS-KEY` (a key
//! registered in the [`SimulatorConfig`]), `KALSHI-ACCESS-TIMESTAMP` (decimal milliseconds within
//! the configured window of the exchange time; values below 10^11 are refused as seconds) and
//! `KALSHI-ACCESS-SIGNATURE` (base64 RSA-PSS, SHA-256, salt 32, over `timestamp + METHOD + path`
//! with the path exactly as sent, percent-encoding intact, without the query). Each header must
//! appear once. Failures are 401 with `details` naming the failed check.
//!
//! The reads Kalshi documents as public (the `GET`s marked `*` in the market data and historical
//! tables; the order book reads, multivariate events and the forecast history are signed) are
//! also served to a request that carries no
//! `KALSHI-ACCESS-*` header at all, as an anonymous caller; one that carries any of them is
//! checked as above (a bad signature is a 401 there too). Anonymous requests share one rate
//! limit bucket.
//!
//! # Streams
//!
//! The WebSocket API is served on the same port at [`STREAM_PATH`] (`/trade-api/ws/v2`,
//! [`Simulator::stream_url`]): a `GET` upgrade signed exactly like a REST request (timestamp +
//! `GET` + `/trade-api/ws/v2`, same keys, same timestamp window); a failed check is the same
//! 401 as on REST, before any upgrade; a signed request that is not a WebSocket upgrade is a
//! 400. Commands are JSON text frames `{"id", "cmd", "params"}`; answers echo a non-zero `id`
//! (0 counts as none, as documented).
//!
//! | command | params | answer |
//! |---|---|---|
//! | `subscribe` | `channels`, `market_ticker` / `market_tickers` (or `market_id(s)` where the channel takes them), `send_initial_snapshot`, `skip_ticker_ack`, `use_yes_price`, `shard_factor`, `shard_key` | one `{"type": "subscribed", "msg": {"channel", "sid"}}` per channel; then an `orderbook_snapshot` per market (orderbook_delta), the current `ticker` per market (ticker with `send_initial_snapshot`) |
//! | `unsubscribe` | `sids` | one `{"sid", "seq", "type": "unsubscribed"}` per sid |
//! | `list_subscriptions` | none | `{"type": "ok", "msg": [{"channel", "sid"}]}` |
//! | `update_subscription` | `sid` or `sids` (exactly one), `action` `add_markets` / `delete_markets` with `market_ticker(s)` | `{"sid", "seq", "type": "ok", "msg": {"market_tickers": [all]}}` (no `msg` with `skip_ticker_ack`); added orderbook markets get their snapshot |
//! | `update_subscription` | `action` `get_snapshot`, `market_tickers` (orderbook_delta only) | an `orderbook_snapshot` per market, the subscription unchanged |
//!
//! Refusals are `{"id", "type": "error", "msg": {"code", "msg"}}` with the documented codes: 1
//! (not JSON, or a field of the wrong type), 2 (no `params`), 3 (no or empty `channels`), 4 (no
//! `sids`), 5 (no or unknown `cmd`), 6 (the session already has that channel), 7 (unknown
//! sid), 8 (unknown channel, `multivariate` included: removed), 11 (both `market_ticker` and
//! `market_tickers`, an empty list, a market id where the channel takes none, `delete_markets`
//! on a subscription to every market), 12 (not exactly one sid), 13 (unknown action, an action
//! the channel does not support), 14 (orderbook_delta, add/delete markets or get_snapshot
//! without markets), 15 (no `action`), 16 (unknown market, with `market_ticker`), 19 to 22
//! (communications sharding). A refused command changes nothing.
//!
//! | channel | pushed from the engine | `seq` |
//! |---|---|---|
//! | `orderbook_delta` | `orderbook_snapshot` (`yes_dollars_fp`, `no_dollars_fp`: `[price, count]` by ascending price, a key left out when its side is empty), then one `orderbook_delta` per changed level (`price_dollars`, `delta_fp`, `side`, `ts`, `ts_ms`; `client_order_id` and `subaccount` (non-zero) only to the account whose order caused it) | yes |
//! | `ticker` | when a market's best bid or ask, their sizes, or its trades change | no |
//! | `trade` | every execution | no |
//! | `fill` | every fill of the account's orders (`trade_id` is the REST fill's `trade_id`; `post_position_fp` right after the fill) | no |
//! | `user_orders` | every created or changed order of the account, in its state after the request | no |
//! | `market_positions` | the account's positions changed by fills or a settlement | no |
//! | `order_group_updates` | `created`, `triggered`, `reset`, `deleted`, `limit_updated` (with `contracts_limit_fp` for created and limit_updated, `ts_ms`) of the account's groups | yes |
//! | `market_lifecycle_v2` | `created` (a new market, with `event_lifecycle` for a new event), `deactivated` / `activated` ([`Simulator::set_market_status`] to and from inactive), `close_date_updated` (set to closed), `determined` and `settled` ([`Simulator::settle_market`]); time-based opening and closing send nothing, as documented | no |
//! | `communications` | `rfq_created`, `rfq_deleted` (deleted or replaced) to every subscriber; `quote_created`, `quote_accepted`, `quote_executed` to the quoter and the RFQ's creator, each with its own `subaccount` (and, on `quote_executed`, its own `order_id`) | no |
//! | `multivariate_market_lifecycle`, `cfbenchmarks_value`, `pyth_value` | accepted, nothing is pushed (the simulator has none of these) | |
//!
//! Prices and counts are the fixed-point strings only (the integer fields were removed from
//! the WebSocket payloads in March 2026). No-side book levels are in NO prices (`1 - p` of
//! the YES ask at `p`), or in YES prices with `use_yes_price`. Private channels carry only the
//! connection's account (all its keys and subaccounts). Every message that carries `seq` uses
//! the subscription's next one, snapshots included, so a subscription's seqs go 1, 2, 3, ...;
//! `ok` and `unsubscribed` carry the seq of the last message sent on the subscription (0 if
//! none) without using one up. Pushes are cut when the engine's lock is released: one REST
//! request, one test hook or one command is one batch, and a snapshot is exactly the book the
//! following deltas apply to. Order expirations and market closes on the clock are noticed at
//! the next request or ping.
//!
//! The server pings every connection every 10 s with body `heartbeat`
//! ([`SimulatorConfig::with_stream_ping_interval`]) and answers client pings with pongs.
//! A connection that does not read is given a bounded queue
//! ([`SimulatorConfig::with_stream_queue_capacity`], [`DEFAULT_STREAM_QUEUE_CAPACITY`]
//! messages, beyond what the socket buffers hold); when it is full the server gives up on the
//! connection: it stops queueing, sends what was already on its way, then error 25
//! `Subscription buffer overflow` and a close frame with code 1008 (policy violation), and
//! waits up to 10 s for the close handshake before dropping the connection. Nothing is
//! buffered without bound and nothing is silently skipped.
//!
//! Stream faults, on demand:
//!
//! | hook | effect |
//! |---|---|
//! | [`Simulator::drop_next_stream_message`] | the next engine push on every current subscription to the channel is not sent; its `seq` is used up (a gap) |
//! | [`Simulator::duplicate_next_stream_message`] | the next engine push on every current subscription to the channel is sent twice, same `seq` |
//! | [`Simulator::disconnect_streams`] | every connection (of one key) is dropped without a close frame |
//! | [`Simulator::set_streams_silent`] | no pings and no pushes (their `seq`s used up), connections kept open, commands still answered |
//! | [`SimulatorConfig::with_stream_queue_capacity`] | a small queue makes a slow consumer overflow sooner |
//!
//! [`Simulator::stream_connections`] and [`Simulator::stream_subscriptions`] show what is open.
//!
//! # Exchange semantics (the simulator's reading of the spec)
//!
//! - Markets: [`DEFAULT_MARKETS`] unless configured ([`SimulatorConfig::with_market`]); each
//!   has a price tick (off-tick prices are a 400), a shard, and optionally whole contracts
//!   only. Unknown tickers are 404 `market_not_found`.
//! - One price-time-priority book per market in the V2 single-book shape: `bid` buys YES at
//!   `price`, `ask` sells YES at `price` (buys NO at `1 - price`). Prices are integer
//!   ten-thousandths of a dollar, counts integer hundredths, money integer micro-dollars;
//!   nothing is a float. A taker crosses resting makers at the **maker's** price, best price
//!   first, oldest first within a price. The create answer's `average_fill_price` is the
//!   volume-weighted YES price, rounded to the nearest micro-dollar.
//! - `good_till_canceled` rests the remainder (until `expiration_time`, Unix seconds, if
//!   given); `immediate_or_cancel` cancels it; `fill_or_kill` fills completely or is
//!   canceled with nothing filled. All three answer 201 and create an order (a killed order
//!   is `canceled`). `post_only` that would cross is refused (400 `post_only_cross`, no order).
//!   `reduce_only` caps the count at the opposite position (400 if there is none).
//! - Self-trade prevention between orders of the same API key (any subaccounts, unless
//!   [`SimulatorConfig::with_self_trade_prevention_per_subaccount`]): `taker_at_cross` stops
//!   and cancels the taker's remainder (earlier fills stand), `maker` cancels the resting
//!   maker and keeps matching.
//! - Money: every subaccount of every key starts with the configured balance (default
//!   $10,000). An order reserves its full cost at its limit price (`p` per contract for a bid,
//!   `1 - p` for an ask) or is refused with 400 `insufficient_balance`; fills charge the
//!   maker's price; cancels release the rest. `balance` is the available cash in cents
//!   (rounded down), `balance_dollars` the same exactly; trading cash is on shard 0 (see
//!   "Portfolio semantics").
//!   Fees are zero. A subaccount holding YES and NO of one market settles the pairs at $1
//!   each at once (`position_fp` is YES minus NO; realized P&L moves accordingly).
//! - `client_order_id` is unique per API key over every order ever created (any status,
//!   any subaccount, including ids replaced by an amend's `updated_client_order_id`): a
//!   duplicate is 409 `duplicate_client_order_id` and creates nothing. Omitted or empty means
//!   none.
//! - Cancel all (`DELETE /portfolio/events/orders`) cancels every order resting at that moment,
//!   of every market and shard of the key, or of one subaccount with `subaccount`, each like a
//!   single cancel. The exchange says orders placed during the minute after the request may be
//!   canceled too; the simulator does not do that: later orders rest as usual.
//! - Cancel and decrease of an order that is no longer working succeed with nothing to do
//!   (`reduced_by`/`remaining_count` `"0.00"`); amend of one is 400 `order_not_resting`. An
//!   amend's `count` is the new total (filled + resting); a new price or a larger size loses
//!   time priority (and may trade at once), a smaller size keeps it. Write lookups use the
//!   query's `subaccount` (default 0); reads search every subaccount of the key.
//! - Lists are newest first (positions: by ticker); the cursor is opaque, `""` on the last
//!   page; `limit` is 1 to 1000 (default 100). Queue positions count the contracts ahead at
//!   the order's own price level.
//! - Rate limits (off by default, [`SimulatorConfig::with_rate_limits`]): per account, Read
//!   bucket for `GET`, Write bucket for the rest, 10 tokens a request, 10 per order for a batch
//!   create and 2 per order for a batch cancel, 30 for the usage-level upgrade (others with
//!   [`SimulatorConfig::with_endpoint_cost`]), continuous refill on the exchange clock; a
//!   request the bucket cannot cover changes nothing and gets 429
//!   `{"error": "too many requests"}`. `GET /account/limits` and `GET /account/endpoint_costs`
//!   answer exactly these budgets and costs.
//! - API keys: keys created or generated through the API belong to the account of the key that
//!   made them and sign for it; a deleted key's next request is a 401 (see the `api_keys`
//!   module).
//! - Faults on demand: [`Simulator::faults`].
//! - Pauses and market statuses: during a trading pause ([`Simulator::set_trading_active`])
//!   creates and amends are refused with 400 `trading_paused` and cancels and decreases work;
//!   during an exchange pause ([`Simulator::set_exchange_active`]) every order write is
//!   refused with 400 `exchange_paused`; a pause cancels the resting orders placed with
//!   `cancel_order_on_pause`. A market that is not `active` ([`MarketStatus`]) refuses creates
//!   and amends with 400 `market_inactive`; one past its close (by its `close_time` on the
//!   clock or by [`Simulator::set_market_status`]) refuses every order write with it and has
//!   its resting orders canceled, and an `inactive` market reactivated cancels them too, as
//!   Kalshi's market lifecycle guide says. The docs name `MARKET_INACTIVE` for writes after
//!   the close; they name no code for pauses, so `trading_paused` and `exchange_paused` are
//!   the simulator's choice (400, like the other refusals, so that clients do not retry).
//!
//! # Market data semantics (the simulator's reading of the spec)
//!
//! - Catalog: markets from the configuration ([`MarketConfig`]: status, titles, open, close
//!   and expiration times, event) and [`Simulator::add_market`]; events and series configured
//!   ([`SimulatorConfig::with_event`], [`SimulatorConfig::with_series`],
//!   [`Simulator::add_event`], [`Simulator::add_series`]) or derived from the tickers (event:
//!   the market ticker up to its last `-`; series: the event ticker up to its first `-`).
//!   By default a market opens at [`DEFAULT_OPEN_TIME_MS`] and closes at
//!   [`DEFAULT_CLOSE_TIME_MS`]; the reported `status` is the configured one moved by the
//!   clock (`initialized` before `open_time`, `closed` from `close_time`). `status` filters map
//!   as documented: `unopened` = initialized, `open` = active, `paused` = inactive, `closed` =
//!   closed, determined, disputed or amended, `settled` = finalized.
//! - A market's `yes_bid`/`yes_ask` prices and sizes are the live book's best levels
//!   (`"0.0000"`, `"1.0000"` and size `"0.00"` for an empty side), `no_bid = 1 - yes_ask`,
//!   `no_ask = 1 - yes_bid`; `last_price`, `volume`, `volume_24h` and `open_interest` come
//!   from the trades; the `previous_*` fields are the values of 24 hours ago. A market settled
//!   with [`Simulator::settle_market`] reports `status` `finalized` (the `settled` filter),
//!   its `result`, `settlement_ts` and `settlement_value_dollars` (the YES payout). Not
//!   simulated: `expiration_value` `""`, `settlement_timer_seconds` 0, strikes, fees
//!   (`fee_type`/`fee_multiplier` are informational), block trades, product metadata. Combo
//!   markets are those of multivariate events (`mve_filter`); `with_milestones` lists the
//!   configured milestones related to the page's events ([`ReferenceData`]).
//! - Multivariate events: none unless declared ([`EventConfig::multivariate`] names the
//!   collection); a declared one is listed by `GET /events/multivariate` (by ticker, `limit` 1
//!   to 200, `series_ticker` or `collection_ticker`, not both) and no longer by `GET /events`,
//!   as documented. `GET /events/{ticker}` still finds it.
//! - Forecast percentile history: the markets carry no strikes, so their prices imply no
//!   distribution; the values are the test's ([`Simulator::record_forecast`]), laid out per
//!   period like candlesticks (see the `forecast` module).
//! - Order books are the live books, levels `[price, count]` as `"0.5600"`, `"10.00"`:
//!   `yes_dollars` the bids, `no_dollars` the asks at `1 - price`, each sorted by price
//!   ascending (best bid last), as Kalshi's "Orderbook Responses" guide shows (the API
//!   reference says "best to worst"; the guide's example and its "highest bid is the last
//!   element" are followed). `depth` N keeps the N best levels of each side.
//! - Trades: one per execution (a taker against one maker at the maker's price):
//!   `taker_book_side` is the taker's side, `taker_outcome_side`/`taker_side` `yes` for a bid
//!   and `no` for an ask.
//! - Candlesticks: periods of `period_interval` minutes (1, 60 or 1440; any for the batch
//!   read) ending at multiples of the period in Unix seconds; a period holds the trades after
//!   the previous end up to its own. Every period from the one holding `start_ts` to the one
//!   holding `min(end_ts, now)` is returned, at most 10,000 a request. `price`: open, high,
//!   low, close and the volume-weighted mean of the trade prices (null without trades),
//!   `previous_dollars` the last price before the period; `min_dollars`/`max_dollars` are
//!   always null. `volume_fp` sums the trades, `open_interest_fp` is the open interest at the
//!   period's end, `yes_bid`/`yes_ask` the open, high, low and close of the best bid and ask
//!   of the book over the period.
//!
//! # Historical data semantics (the simulator's reading of the spec)
//!
//! Kalshi's "Historical Data" guide partitions data at the cutoff timestamps of
//! `GET /historical/cutoff` ([`Simulator::set_historical_cutoff`]; the epoch by default, so
//! nothing is historical). A record strictly before its cutoff is served by the historical
//! endpoints and no longer by the live ones; every record is on exactly one side, computed on
//! each read, so moving the cutoff (either way) moves records at once:
//!
//! - markets settled ([`Simulator::settle_market`]) before `market_settled_ts`, with their
//!   candlesticks: gone from `GET /markets`, `/markets/{ticker}` (404), the markets of
//!   `GET /events` / `/events/{ticker}` and the live candlesticks (404); served by
//!   `GET /historical/markets`, `/historical/markets/{ticker}` and its candlesticks (a market
//!   not archived is a 404 there). Events and series are never partitioned.
//! - trades and fills executed before `trades_created_ts`: from `GET /markets/trades` and
//!   `/portfolio/fills` to `GET /historical/trades` and `/historical/fills`.
//! - orders canceled or executed and last updated before `orders_updated_ts`: from
//!   `GET /portfolio/orders` to `GET /historical/orders` (resting orders never move;
//!   `GET /portfolio/orders/{id}` finds every order).
//! - positions of an event whose markets are all settled, the last before
//!   `market_positions_last_updated_ts`: from `GET /portfolio/positions` to
//!   `GET /historical/positions` (per whole event, as documented).
//!
//! The historical lists have the documented filters and cursors (see the `historical`
//! module); fills and orders cover every subaccount of the account (the endpoints take no
//! `subaccount`), positions the primary subaccount. Historical candlesticks are the live
//! ones in their own schema (no `_dollars`/`_fp` suffixes, no `min`/`max`).
//!
//! # Portfolio semantics (the simulator's reading of the spec)
//!
//! - Subaccounts: the primary (0) always exists; `POST /portfolio/subaccounts` creates the
//!   lowest unused number from 1 (400 `subaccount_limit_reached` past 63) with no cash, to be
//!   funded by a transfer. A numbered subaccount used without being created (an order, a test
//!   hook) also exists, with the starting balance, as before.
//! - Shards: trading cash lives on shard 0 whatever the market's shard (every order reserves
//!   and pays from it, settlements credit it); cash on shards 1 and up is moved only by
//!   transfers (a subaccount transfer's `exchange_index`, an intra-exchange-instance
//!   transfer's shards, whose `amount` is in centicents) and read by the balance endpoints.
//!   Transfers apply at once (`status` `complete`); `margined` instances are not simulated.
//! - Cash transfers move available (unreserved) cash only; a refused transfer (more than
//!   available, unknown or equal subaccounts, a non-UUID `client_transfer_id`) moves nothing.
//!   A `client_transfer_id` that already moved money is a 409, as the Subaccounts guide says.
//! - Position transfers move whole YES or NO contracts of a shard-0 market at `price` (the
//!   YES price; NO is valued `1 - price`): the source realizes value minus cost basis, the
//!   destination's cost basis is the value; no cash moves.
//! - Netting (on by default) is the engine's settling of YES+NO pairs at $1; turned off, a
//!   subaccount keeps both sides; turned on again, the pairs held settle at once.
//! - The settlement-advance lock (shard 0 only) cancels the subaccount's resting orders and
//!   refuses its orders until unlocked; the simulator has no settlement advances, so unlocking
//!   always succeeds.
//! - Settlement ([`Simulator::settle_market`]): resting orders in the market are canceled,
//!   every position is paid (YES: the result's YES value, NO: the rest of the dollar; rounded
//!   down to whole cents, the sub-cent rest of a scalar payout is the `fee_cost`) into the
//!   holder's cash, one settlement is recorded per account, subaccount and market, and the
//!   market takes no more orders.
//! - Deposits and withdrawals exist only through [`Simulator::record_deposit`] and
//!   [`Simulator::record_withdrawal`] (applied at once, moving the primary's cash). The target
//!   balance allocation is validated and stored, but nothing rebalances. The historical
//!   cutoff is the epoch unless [`Simulator::set_historical_cutoff`] moves it (see "Historical
//!   data semantics").
//!
//! # Tail semantics (the simulator's reading of the spec and the SDK)
//!
//! - Multivariate event collections come from the configuration
//!   ([`SimulatorConfig::with_collection`], [`CollectionConfig`]); their `status` follows the
//!   clock (`unopened`, `open`, `closed`). Creating a market in an open collection checks the
//!   legs (markets of its associated events, `yes` only where the event is yes-only, no market
//!   twice, the total and per-event sizes; the order ignored unless `is_ordered`) and lists, the
//!   first time, a multivariate event `{collection}-{HASH}` in the collection's series with one
//!   market `{event}-1` (`mve_collection_ticker`, `mve_selected_legs`; it closes with the
//!   collection) that trades like any market; the same selection later answers the same
//!   tickers. The create documents no 404: an unknown collection is a 400 there (a 404 on
//!   `GET`).
//! - Milestones, structured targets, sport filters, incentive programs and live data are the
//!   records of [`ReferenceData`] (one of each by default, tied to the default markets),
//!   filtered on their own fields; tags by categories come from the series. Unknown ids,
//!   events and cities are 404 `not_found`.
//! - FCM endpoints answer only accounts configured with [`SimulatorConfig::with_fcm_member`];
//!   others get 403 `forbidden`. A subtrader `{fcm}_{suffix}` is created through the API or
//!   bound to an API key with [`SimulatorConfig::with_fcm_subtrader`], whose account's orders,
//!   fills and positions are then the subtrader's. Blocked categories and daily caps are
//!   stored and reported, not enforced. A position transfer moves a position held by the
//!   source to the target subtrader (the FCM is its own error account) at the given YES price,
//!   the target paying the FCM; more than the source holds is refused (409), where the exchange
//!   would flip the position.
//!
//! # Order-group semantics (the simulator's reading of the spec)
//!
//! - Limits are 1 to 1,000,000 contracts, kept as integer hundredths; `contracts_limit` and
//!   `contracts_limit_fp` (0 to 2 decimals) may both be given only if equal. Responses always
//!   show two decimals (`"10.00"`).
//! - `is_auto_cancel_enabled` is `true` while a group is active and `false` while it is
//!   triggered. The spec only says "whether auto-cancel is enabled"; this mapping is the
//!   simulator's interpretation.
//! - A group triggers when its 15-second rolling volume (fills of its orders, maker or taker,
//!   plus [`Simulator::record_fill`]) exceeds its limit, when its limit is updated below the
//!   rolling volume, or on `PUT .../trigger`; triggering cancels the group's working orders,
//!   and new orders in it get 400 `order_group_triggered` until `PUT .../reset` clears the
//!   trigger and the volume. Deleting a group cancels its working orders.
//! - Groups belong to one account (API key), one subaccount and one exchange shard. Delete,
//!   reset, trigger and limit look the group up in the query's `subaccount` (default 0) and
//!   `exchange_index` (default 0) and answer 404 elsewhere ("order groups do not function
//!   across exchange instances"). The two `GET`s search every subaccount when `subaccount` is
//!   omitted, and every shard.
//! - Unknown body fields and query parameters are ignored and `null` counts as absent; a query
//!   parameter given twice, a field of the wrong type, or a float where an integer is expected
//!   (`10.0`, `1e3`) is a 400.

mod account;
mod api_keys;
mod auth;
mod body;
mod catalog;
mod clock;
mod collections;
mod communications;
mod engine;
mod errors;
mod exchange_info;
mod faults;
mod fcm;
mod fixed_point;
mod forecast;
mod funding;
mod historical;
mod http;
mod market_data;
mod markets;
mod order_groups;
mod orders;
mod portfolio;
mod rate_limit;
mod reference;
mod request;
mod router;
mod settlement;
mod snapshots;
mod state;
mod stream;
mod subaccounts;

#[cfg(test)]
mod account_tests;
#[cfg(test)]
mod communications_tests;
#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod historical_tests;
#[cfg(test)]
mod in_process_tests;
#[cfg(test)]
mod market_tests;
#[cfg(test)]
mod portfolio_tests;
#[cfg(test)]
mod shape_check;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tail_tests;
#[cfg(test)]
mod test_client;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kalshi_core::auth::VerifyingKey;
use tokio::sync::oneshot;

pub use api_keys::throwaway_key_pair;
pub use catalog::{EventConfig, SeriesConfig};
pub use clock::{Clock, ManualClock, SystemClock};
pub use collections::{CollectionConfig, CollectionEvent};
pub use errors::ErrorShape;
pub use faults::{Fault, FaultRule, Faults, InjectedFault, RandomFaults};
pub use markets::{
    DEFAULT_CLOSE_TIME_MS, DEFAULT_MARKET, DEFAULT_MARKETS, DEFAULT_OPEN_TIME_MS, MarketConfig,
    MarketStatus,
};
pub use order_groups::OrderGroupSnapshot;
pub use rate_limit::{RateLimitTier, RateLimits};
pub use reference::{DEFAULT_MILESTONE_ID, DEFAULT_WEATHER_CITY, ReferenceData};
pub use settlement::{HistoricalCutoff, SettlementResult};
pub use snapshots::{BookSnapshot, FillSnapshot, OrderSnapshot, PositionSnapshot, TradeSnapshot};
pub use stream::{DEFAULT_STREAM_PING_INTERVAL, DEFAULT_STREAM_QUEUE_CAPACITY, STREAM_PATH};

use self::http::Shared;
use api_keys::KeyRegistry;
use auth::Authenticator;
use fixed_point::cents;
use rate_limit::{Buckets, CostTable};
use router::Router;
use state::{Exchange, SubaccountId};

/// The path prefix every endpoint lives under, as on the real exchange.
pub const BASE_PATH: &str = "/trade-api/v2";
/// How far a request timestamp may be from the exchange time by default: ±30 s.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(30);
/// The largest request body accepted by default (1 MiB); larger ones get a 413.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// How many exchange shards the simulator runs by default (`exchange_index` 0 to 3).
pub const DEFAULT_EXCHANGE_SHARDS: u32 = 4;
/// The cash every subaccount starts with by default: $10,000, in cents.
pub const DEFAULT_STARTING_BALANCE_CENTS: u64 = 1_000_000;

/// How to run a [`Simulator`].
///
/// [`SimulatorConfig::default()`] registers the demo key ([`DEMO_KEY_ID`](crate::DEMO_KEY_ID)),
/// accepts timestamps within ±30 s of the system clock, listens on a free port of 127.0.0.1,
/// caps bodies at 1 MiB, runs 4 exchange shards, lists the [`DEFAULT_MARKETS`], starts every
/// subaccount with $10,000, does not rate-limit, injects no faults and answers errors in the
/// documented flat shape ([`ErrorShape::Flat`]).
/// [`SimulatorConfig::empty()`] is the same without any key.
///
/// ```
/// use kalshi_simulator::{MarketConfig, RateLimitTier, SimulatorConfig};
/// let config = SimulatorConfig::default()
///     .with_market("KXRAIN-26JUN01-T2")
///     .with_market(MarketConfig::new("KXSNOW-26JAN01-T5").tick_size(1))
///     .with_starting_balance_cents(50_000)
///     .with_rate_limits(RateLimitTier::Basic);
/// assert_eq!(config.markets().count(), 5);
/// ```
#[derive(Clone)]
pub struct SimulatorConfig {
    keys: HashMap<String, VerifyingKey>,
    timestamp_window: Duration,
    clock: Arc<dyn Clock>,
    clock_skew_ms: i64,
    port: u16,
    body_limit: usize,
    exchange_shards: u32,
    markets: Vec<MarketConfig>,
    starting_balance_cents: u64,
    rate_limits: Option<RateLimits>,
    costs: CostTable,
    random_faults: Option<RandomFaults>,
    stp_per_subaccount: bool,
    error_shape: ErrorShape,
    series: Vec<SeriesConfig>,
    events: Vec<EventConfig>,
    fee_changes: catalog::FeeChanges,
    maintenance_windows: Vec<(u64, u64)>,
    stream: stream::StreamSettings,
    collections: Vec<CollectionConfig>,
    reference: ReferenceData,
    fcm_members: Vec<String>,
    fcm_subtraders: Vec<(String, String, String)>,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self::empty().with_key(crate::DEMO_KEY_ID, crate::demo_verifying_key())
    }
}

impl SimulatorConfig {
    /// A configuration with no registered key (every request gets a 401 until keys are added).
    pub fn empty() -> Self {
        SimulatorConfig {
            keys: HashMap::new(),
            timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
            clock: Arc::new(SystemClock),
            clock_skew_ms: 0,
            port: 0,
            body_limit: DEFAULT_BODY_LIMIT,
            exchange_shards: DEFAULT_EXCHANGE_SHARDS,
            markets: markets::default_markets(),
            starting_balance_cents: DEFAULT_STARTING_BALANCE_CENTS,
            rate_limits: None,
            costs: CostTable::default(),
            random_faults: None,
            stp_per_subaccount: false,
            error_shape: ErrorShape::Flat,
            series: Vec::new(),
            events: Vec::new(),
            fee_changes: catalog::FeeChanges::default(),
            maintenance_windows: Vec::new(),
            stream: stream::StreamSettings::default(),
            collections: Vec::new(),
            reference: ReferenceData::default(),
            fcm_members: Vec::new(),
            fcm_subtraders: Vec::new(),
        }
    }

    /// Lists a multivariate event collection (`GET /multivariate_event_collections`); one with
    /// the same ticker is replaced. Combo markets are created from it through
    /// `POST /multivariate_event_collections/{collection_ticker}` (see [`CollectionConfig`]).
    pub fn with_collection(mut self, collection: CollectionConfig) -> Self {
        self.collections
            .retain(|c| c.collection_ticker != collection.collection_ticker);
        self.collections.push(collection);
        self
    }

    /// Sets the milestones, structured targets, search filters, incentive programs and live
    /// data the simulator serves (default: [`ReferenceData::default()`], one of each).
    pub fn with_reference_data(mut self, data: ReferenceData) -> Self {
        self.reference = data;
        self
    }

    /// Gives the account of the key `key_id` FCM member access: the `/fcm/...` endpoints
    /// answer it (every other account gets 403 `forbidden` there).
    pub fn with_fcm_member(mut self, key_id: impl Into<String>) -> Self {
        let key_id = key_id.into();
        if !self.fcm_members.contains(&key_id) {
            self.fcm_members.push(key_id);
        }
        self
    }

    /// Adds the subtrader `{fcm_key_id}_{suffix}` to the FCM member `fcm_key_id` (made a
    /// member if it is not yet), bound to the key `trader_key_id`: the orders, fills and
    /// positions of that key's account are the subtrader's in `GET /fcm/orders`,
    /// `/fcm/positions` and `/fcm/fills`.
    pub fn with_fcm_subtrader(
        self,
        fcm_key_id: impl Into<String>,
        suffix: impl Into<String>,
        trader_key_id: impl Into<String>,
    ) -> Self {
        let fcm = fcm_key_id.into();
        let mut this = self.with_fcm_member(fcm.clone());
        this.fcm_subtraders
            .push((fcm, suffix.into(), trader_key_id.into()));
        this
    }

    /// Describes a series (`GET /series`); one with the same ticker is replaced. Series that
    /// are not configured are derived from the events with [`SeriesConfig::new`]'s defaults.
    pub fn with_series(mut self, series: SeriesConfig) -> Self {
        self.series.retain(|s| s.ticker != series.ticker);
        self.series.push(series);
        self
    }

    /// Describes an event (`GET /events`); one with the same ticker is replaced. Events that
    /// are not configured are derived from the markets with [`EventConfig::new`]'s defaults;
    /// an event may also have no market.
    pub fn with_event(mut self, event: EventConfig) -> Self {
        self.events.retain(|e| e.event_ticker != event.event_ticker);
        self.events.push(event);
        self
    }

    /// Schedules a series fee change (`GET /series/fee_changes`) at `scheduled_ms` (ms since
    /// the epoch). Informational: the simulator charges no fees.
    pub fn with_series_fee_change(
        mut self,
        series_ticker: impl Into<String>,
        fee_type: impl Into<String>,
        fee_multiplier: f64,
        scheduled_ms: u64,
    ) -> Self {
        let id = format!("series-fee-change-{}", self.fee_changes.series.len() + 1);
        self.fee_changes.series.push(catalog::SeriesFeeChange {
            id,
            series_ticker: series_ticker.into(),
            fee_type: fee_type.into(),
            fee_multiplier,
            scheduled_ms,
        });
        self
    }

    /// Schedules an event fee override (`GET /events/fee_changes`) at `scheduled_ms`; `None`
    /// clears the override. Informational: the simulator charges no fees.
    pub fn with_event_fee_change(
        mut self,
        event_ticker: impl Into<String>,
        fee_type_override: Option<&str>,
        fee_multiplier_override: Option<f64>,
        scheduled_ms: u64,
    ) -> Self {
        let id = format!("event-fee-change-{}", self.fee_changes.events.len() + 1);
        self.fee_changes.events.push(catalog::EventFeeChange {
            id,
            event_ticker: event_ticker.into(),
            fee_type_override: fee_type_override.map(str::to_owned),
            fee_multiplier_override,
            scheduled_ms,
        });
        self
    }

    /// Lists a maintenance window (`GET /exchange/schedule`), from `start_ms` to `end_ms` (ms
    /// since the epoch). Informational: pause the exchange with
    /// [`Simulator::set_trading_active`] or [`Simulator::set_exchange_active`].
    pub fn with_maintenance_window(mut self, start_ms: u64, end_ms: u64) -> Self {
        self.maintenance_windows.push((start_ms, end_ms));
        self
    }

    /// Sets how often the stream endpoint pings each connection (default
    /// [`DEFAULT_STREAM_PING_INTERVAL`], 10 s as on Kalshi; a test of dead-connection
    /// detection may want less).
    pub fn with_stream_ping_interval(mut self, interval: Duration) -> Self {
        self.stream.ping_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// Sets how many messages may wait for a stream connection that does not read (default
    /// [`DEFAULT_STREAM_QUEUE_CAPACITY`]) before the server gives up on it: error 25
    /// `Subscription buffer overflow`, then close code 1008 (see "Streams").
    pub fn with_stream_queue_capacity(mut self, messages: usize) -> Self {
        self.stream.queue_capacity = messages.max(1);
        self
    }

    /// Applies self-trade prevention only between orders of the same subaccount, so the
    /// subaccounts of one API key can trade with each other. By default it applies across the
    /// whole account ("the same user").
    pub fn with_self_trade_prevention_per_subaccount(mut self) -> Self {
        self.stp_per_subaccount = true;
        self
    }

    /// Lists a market (a ticker, or a [`MarketConfig`]); one with the same ticker is replaced.
    pub fn with_market(mut self, market: impl Into<MarketConfig>) -> Self {
        let market = market.into();
        self.markets.retain(|m| m.ticker != market.ticker);
        self.markets.push(market);
        self
    }

    /// Removes every market, the default ones included (add some back with
    /// [`with_market`](Self::with_market)).
    pub fn without_markets(mut self) -> Self {
        self.markets.clear();
        self
    }

    /// Sets the cash every subaccount of every account starts with, in cents.
    pub fn with_starting_balance_cents(mut self, cents: u64) -> Self {
        self.starting_balance_cents = cents;
        self
    }

    /// Turns token-bucket rate limiting on: a tier ([`RateLimitTier`]) or custom
    /// [`RateLimits`]. Buckets are per account (a configured key and the keys it created
    /// through the API share them) and refill on the simulator clock.
    pub fn with_rate_limits(mut self, limits: impl Into<RateLimits>) -> Self {
        self.rate_limits = Some(limits.into());
        self
    }

    /// Charges `cost` tokens (instead of the default 10) for `method path`, a path template
    /// relative to the base path (`/portfolio/events/orders/{order_id}`; the `/trade-api/v2`
    /// prefix may be included); `GET /account/endpoint_costs` lists it. A cost of 10 puts the
    /// endpoint back to the default. For the batch endpoint the cost is per order.
    pub fn with_endpoint_cost(mut self, method: ::http::Method, path: &str, cost: u64) -> Self {
        self.costs.set(method, path, cost);
        self
    }

    /// Turns the random fault mode on from the start (see [`Faults::set_random`]).
    pub fn with_random_faults(mut self, random: RandomFaults) -> Self {
        self.random_faults = Some(random);
        self
    }

    /// Sets the JSON shape of error answers: the documented flat `ErrorResponse` (the
    /// default), or the nested or bare shapes a client must also read (see [`ErrorShape`]).
    pub fn with_error_shape(mut self, shape: ErrorShape) -> Self {
        self.error_shape = shape;
        self
    }

    /// The JSON shape of error answers.
    pub fn error_shape(&self) -> ErrorShape {
        self.error_shape
    }

    /// The listed markets.
    pub fn markets(&self) -> impl Iterator<Item = &MarketConfig> {
        self.markets.iter()
    }

    /// Registers (or replaces) an API key: requests signed by `key_id` are verified with `key`.
    /// Each key id is its own account with its own subaccounts and order groups; keys it
    /// creates or generates through `POST /api_keys` and `POST /api_keys/generate` join that
    /// account.
    pub fn with_key(mut self, key_id: impl Into<String>, key: VerifyingKey) -> Self {
        self.keys.insert(key_id.into(), key);
        self
    }

    /// Registers an API key from a PEM public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1
    /// `BEGIN RSA PUBLIC KEY`).
    pub fn with_key_pem(
        self,
        key_id: impl Into<String>,
        public_key_pem: &str,
    ) -> Result<Self, kalshi_core::Error> {
        Ok(self.with_key(key_id, VerifyingKey::from_pem(public_key_pem)?))
    }

    /// Sets how far (either way) a request timestamp may be from the exchange time.
    pub fn with_timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// Sets the clock (the default is [`SystemClock`]). Pass a clone of a [`ManualClock`] to
    /// control time from the test.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sets a fixed offset added to the clock: the exchange time is `clock + skew_ms`.
    /// A positive skew puts the exchange ahead of the clock. It can be changed while running
    /// with [`Simulator::set_clock_skew_ms`].
    pub fn with_clock_skew_ms(mut self, skew_ms: i64) -> Self {
        self.clock_skew_ms = skew_ms;
        self
    }

    /// Sets the port on 127.0.0.1 to listen on (0, the default, picks a free one).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the largest request body accepted (larger ones get a 413).
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets how many exchange shards exist: valid `exchange_index` values are `0..shards`.
    pub fn with_exchange_shards(mut self, shards: u32) -> Self {
        self.exchange_shards = shards;
        self
    }

    /// The registered key ids, in no particular order.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// The accepted timestamp window.
    pub fn timestamp_window(&self) -> Duration {
        self.timestamp_window
    }
}

impl fmt::Debug for SimulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.key_ids().collect();
        keys.sort_unstable();
        f.debug_struct("SimulatorConfig")
            .field("keys", &keys)
            .field("timestamp_window", &self.timestamp_window)
            .field("clock_skew_ms", &self.clock_skew_ms)
            .field("port", &self.port)
            .field("body_limit", &self.body_limit)
            .field("exchange_shards", &self.exchange_shards)
            .field("markets", &self.markets)
            .field("starting_balance_cents", &self.starting_balance_cents)
            .field("rate_limits", &self.rate_limits)
            .field("costs", &self.costs)
            .field("random_faults", &self.random_faults)
            .field("stp_per_subaccount", &self.stp_per_subaccount)
            .field("error_shape", &self.error_shape)
            .field("series", &self.series)
            .field("events", &self.events)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

/// A test hook was misused (unknown group, bad subaccount, malformed count, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookError(String);

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HookError {}

/// A running simulator, serving on 127.0.0.1 from its own thread (a single-threaded tokio
/// runtime), or an in-process one ([`Simulator::in_process`]) that only answers
/// [`Simulator::handle`].
///
/// Dropping it, or calling [`shutdown`](Simulator::shutdown), stops the server and closes
/// every connection.
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown_tx: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1 on the configured port (a free one by default) and starts serving in
    /// the background. Fails if the socket or the runtime cannot be set up, or (with
    /// `InvalidInput`) if a market is on a shard that does not exist.
    pub fn start(config: SimulatorConfig) -> io::Result<Simulator> {
        let port = config.port;
        let shared = Arc::new(Self::build(config)?);
        let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("kalshi-simulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => http::serve(listener, serving, shutdown_rx).await,
                        Err(e) => eprintln!("kalshi-simulator: cannot listen: {e}"),
                    }
                });
                // Dropping the runtime here cancels every connection task.
            })?;
        Ok(Simulator {
            addr,
            shared,
            shutdown_tx: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// A simulator that does not listen: no socket is bound, no thread or runtime is started,
    /// and the configured port is ignored. Requests go through [`handle`](Self::handle); the
    /// test hooks and snapshots ([`orders`](Self::orders), [`faults`](Self::faults),
    /// [`set_rate_limits`](Self::set_rate_limits), [`now_ms`](Self::now_ms), ...) work as on a
    /// started one. [`addr`](Self::addr) is `127.0.0.1:0` and [`base_url`](Self::base_url)
    /// names it: nothing serves there. [`shutdown`](Self::shutdown) and drop have nothing to
    /// stop.
    ///
    /// Cheap enough to build one per test case (or per fuzz input). Fails (with
    /// `InvalidInput`) only if a market is on a shard that does not exist.
    ///
    /// ```
    /// use kalshi_simulator::{Simulator, SimulatorConfig};
    /// let sim = Simulator::in_process(SimulatorConfig::default())?;
    /// assert_eq!(sim.addr().port(), 0);
    /// assert!(sim.orders("demo-key").is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn in_process(config: SimulatorConfig) -> io::Result<Simulator> {
        Ok(Simulator {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
            shared: Arc::new(Self::build(config)?),
            shutdown_tx: None,
            thread: None,
        })
    }

    /// The state every request is served from, built from a checked configuration.
    fn build(config: SimulatorConfig) -> io::Result<Shared> {
        if let Some(m) = config
            .markets
            .iter()
            .find(|m| m.exchange_index >= config.exchange_shards)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "market `{}` is on exchange index {}, but the simulator runs {} shard(s)",
                    m.ticker, m.exchange_index, config.exchange_shards
                ),
            ));
        }
        let mut exchange = Exchange::new(config.exchange_shards);
        exchange.starting_cash = i64::try_from(config.starting_balance_cents)
            .unwrap_or(i64::MAX)
            .saturating_mul(10_000);
        for m in config.markets {
            exchange.add_market(m, 0);
        }
        for s in config.series {
            exchange.series.insert(s.ticker.clone(), s);
        }
        for e in config.events {
            exchange.events.insert(e.event_ticker.clone(), e);
        }
        exchange.fee_changes = config.fee_changes;
        exchange.maintenance_windows = config.maintenance_windows;
        exchange.stp_per_subaccount = config.stp_per_subaccount;
        for c in config.collections {
            exchange
                .collections
                .configs
                .insert(c.collection_ticker.clone(), c);
        }
        exchange.reference = config.reference;
        exchange.fcm.members.extend(config.fcm_members);
        for (fcm, suffix, trader) in &config.fcm_subtraders {
            exchange.fcm.add_subtrader(fcm, suffix, Some(trader));
        }
        exchange.keys = KeyRegistry::configured(config.keys);
        let faults = Faults::default();
        faults.set_random(config.random_faults);
        let window_ms = u64::try_from(config.timestamp_window.as_millis()).unwrap_or(u64::MAX);
        Ok(Shared {
            auth: Authenticator::new(window_ms),
            clock: config.clock,
            skew_ms: AtomicI64::new(config.clock_skew_ms),
            body_limit: config.body_limit,
            router: Router::exchange(),
            exchange: Mutex::new(exchange),
            faults,
            buckets: Mutex::new(config.rate_limits.map(Buckets::new)),
            costs: Arc::new(config.costs),
            error_shape: config.error_shape,
            stream: config.stream,
        })
    }

    /// Answers one request in process, without a socket: exactly what the simulator answers
    /// the same request arriving over HTTP/1.1 (status, headers, body; minus what hyper adds
    /// on the wire, such as `Content-Length`), through the same pipeline: the body limit (413
    /// above [`SimulatorConfig::with_body_limit`]), fault injection, authentication, rate
    /// limiting, routing, the handler, and the `Date` header from the exchange clock. Works on
    /// a started simulator (interleaved with socket requests, on the same state) and on an
    /// [`in_process`](Self::in_process) one.
    ///
    /// The request's URI is read like a request line's target: its path (under
    /// [`BASE_PATH`], percent-encoding intact, what the signature covers) and query; a scheme
    /// and authority, if any, are ignored. The HTTP version and framing headers
    /// (`Content-Length`, `Transfer-Encoding`) play no part: the body is the `Vec` as given.
    ///
    /// Of the injected faults only those that answer in place of the exchange apply here
    /// ([`Fault::ServerError`], [`Fault::TooManyRequests`], [`Fault::ProxyBadGateway`]); drops,
    /// delays and truncated bodies only apply over the socket: a queued rule with one of them
    /// does not match requests sent through `handle` (it stays queued), and a random roll that
    /// lands on one injects nothing (see [`Fault::needs_connection`]).
    ///
    /// ```
    /// use kalshi_core::auth::{Credentials, HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE,
    ///     HEADER_ACCESS_TIMESTAMP};
    /// use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, ManualClock, Simulator,
    ///     SimulatorConfig};
    ///
    /// let clock = ManualClock::new(1_795_578_928_000);
    /// let sim = Simulator::in_process(SimulatorConfig::default().with_clock(clock))?;
    /// let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
    /// let path = "/trade-api/v2/portfolio/balance";
    /// let ts = sim.now_ms();
    /// let request = http::Request::get(format!("{path}?subaccount=0"))
    ///     .header(HEADER_ACCESS_KEY, DEMO_KEY_ID)
    ///     .header(HEADER_ACCESS_TIMESTAMP, ts.to_string())
    ///     .header(HEADER_ACCESS_SIGNATURE, creds.sign(ts, "GET", path)?)
    ///     .body(Vec::new())?;
    ///
    /// let response = sim.handle(request);
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.headers()["date"], "Wed, 25 Nov 2026 03:55:28 GMT");
    /// let body: serde_json::Value = serde_json::from_slice(response.body())?;
    /// assert_eq!(body["balance"], 1_000_000);
    ///
    /// // Unsigned: 401, as over the socket.
    /// let unsigned = http::Request::get(path).body(Vec::new())?;
    /// assert_eq!(sim.handle(unsigned).status(), 401);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle(&self, request: ::http::Request<Vec<u8>>) -> ::http::Response<Vec<u8>> {
        let (parts, body) = request.into_parts();
        let request = ::http::Request::from_parts(parts, bytes::Bytes::from(body));
        let (head, mut body) = http::handle_in_process(&self.shared, request).into_parts();
        ::http::Response::from_parts(head, Vec::from(body.take_bytes()))
    }

    /// The address the simulator listens on (`127.0.0.1:0` for an
    /// [`in_process`](Self::in_process) one, which does not listen).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to point a client at: `http://127.0.0.1:PORT/trade-api/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// The exchange time in milliseconds: the configured clock plus the skew. Sign requests
    /// with a timestamp near this one.
    pub fn now_ms(&self) -> u64 {
        self.shared.now_ms()
    }

    /// The current skew of the exchange clock, in milliseconds.
    pub fn clock_skew_ms(&self) -> i64 {
        self.shared.skew_ms.load(Ordering::SeqCst)
    }

    /// Changes the skew of the exchange clock (the exchange time becomes `clock + skew_ms`),
    /// for example to simulate an exchange clock that drifts away from the client's.
    pub fn set_clock_skew_ms(&self, skew_ms: i64) {
        self.shared.skew_ms.store(skew_ms, Ordering::SeqCst);
    }

    /// Every order group of the account `key_id`, in creation order (empty for an unknown key).
    pub fn order_groups(&self, key_id: &str) -> Vec<OrderGroupSnapshot> {
        let now = self.now_ms();
        order_groups::snapshots(&self.shared.exchange(), key_id, now)
    }

    /// Creates an order group directly, with an id of the test's choosing (any characters,
    /// e.g. `"a/b c?%"`, to exercise percent-encoding), on exchange shard 0.
    ///
    /// `contracts_limit_fp` is a fixed-point count such as `"10"` or `"2.50"` (1 to 1,000,000).
    pub fn insert_order_group(
        &self,
        key_id: &str,
        subaccount: u8,
        order_group_id: &str,
        contracts_limit_fp: &str,
    ) -> Result<(), HookError> {
        order_groups::insert(
            &mut self.shared.exchange(),
            key_id,
            subaccount,
            order_group_id,
            contracts_limit_fp,
        )
        .map_err(HookError)
    }

    /// Adds `contracts_fp` contracts (e.g. `"3"`, `"0.50"`) to an order group's rolling volume
    /// at the current exchange time, as a fill of one of its orders does, without a trade. The
    /// group triggers (cancelling its working orders) when its 15-second rolling volume
    /// exceeds its limit. Returns whether the group is triggered afterwards.
    pub fn record_fill(
        &self,
        key_id: &str,
        subaccount: u8,
        order_group_id: &str,
        contracts_fp: &str,
    ) -> Result<bool, HookError> {
        let now = self.now_ms();
        order_groups::record_fill(
            &mut self.shared.exchange(),
            key_id,
            subaccount,
            order_group_id,
            contracts_fp,
            now,
        )
        .map_err(HookError)
    }

    /// The account an API key signs for: a configured key's own id, or for a key created or
    /// generated through the API, the account of the key that made it; `None` for a key that
    /// is not (or no longer) registered. The snapshots ([`orders`](Self::orders),
    /// [`balance_cents`](Self::balance_cents), ...) take this account id.
    pub fn account_of_key(&self, key_id: &str) -> Option<String> {
        self.shared
            .exchange()
            .keys
            .account_of(key_id)
            .map(str::to_owned)
    }

    /// The fault-injection controls.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Turns rate limiting on with fresh (full) buckets, or off with `None`.
    pub fn set_rate_limits(&self, limits: Option<RateLimits>) {
        *self.shared.buckets() = limits.map(Buckets::new);
    }

    /// Whole tokens left in `key_id`'s (Read, Write) buckets, or `None` when rate limiting
    /// is off.
    pub fn rate_limit_tokens(&self, key_id: &str) -> Option<(u64, u64)> {
        let now = self.now_ms();
        self.shared
            .buckets()
            .as_ref()
            .map(|b| b.tokens(key_id, now))
    }

    /// The exchange state as of now: orders whose expiration passed are canceled first.
    fn exchange_now(&self) -> http::ExchangeGuard<'_> {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        ex.expire_orders(now);
        ex
    }

    /// Every order of the account `key_id`, in creation order (empty for an unknown key).
    pub fn orders(&self, key_id: &str) -> Vec<OrderSnapshot> {
        let ex = self.exchange_now();
        let mut orders: Vec<_> = ex.orders.values().filter(|o| o.account == key_id).collect();
        orders.sort_by_key(|o| o.seq);
        orders.into_iter().map(OrderSnapshot::of).collect()
    }

    /// How many orders of the account `key_id` carry `client_order_id` (for "every intended
    /// order exists exactly once").
    pub fn orders_with_client_order_id(&self, key_id: &str, client_order_id: &str) -> usize {
        self.exchange_now()
            .orders
            .values()
            .filter(|o| o.account == key_id)
            .filter(|o| o.client_order_id.as_deref() == Some(client_order_id))
            .count()
    }

    /// Every fill of the account `key_id`, oldest first.
    pub fn fills(&self, key_id: &str) -> Vec<FillSnapshot> {
        self.exchange_now()
            .fills
            .iter()
            .filter(|f| f.account == key_id)
            .map(FillSnapshot::of)
            .collect()
    }

    /// Every position of the account `key_id` (markets it traded), by subaccount then ticker.
    pub fn positions(&self, key_id: &str) -> Vec<PositionSnapshot> {
        let ex = self.exchange_now();
        ex.account(key_id)
            .into_iter()
            .flat_map(|a| a.subaccounts())
            .flat_map(|(sid, s)| {
                s.positions
                    .iter()
                    .map(move |(t, p)| PositionSnapshot::of(sid.get(), t, p))
            })
            .collect()
    }

    /// The available balance (cash minus what resting orders hold) of a subaccount, in cents,
    /// rounded down. A subaccount that never traded has the starting balance.
    pub fn balance_cents(&self, key_id: &str, subaccount: u8) -> i64 {
        let ex = self.exchange_now();
        let micros = match (ex.account(key_id), SubaccountId::new(subaccount)) {
            (Some(a), Some(sid)) => a
                .find_subaccount(sid)
                .map_or(a.starting_cash(), |s| s.available()),
            _ => ex.starting_cash,
        };
        cents(micros)
    }

    /// Sets a subaccount's cash to `cents` (what resting orders hold stays held).
    pub fn set_balance_cents(
        &self,
        key_id: &str,
        subaccount: u8,
        cents: i64,
    ) -> Result<(), HookError> {
        let sid = SubaccountId::new(subaccount)
            .ok_or_else(|| HookError(format!("subaccount {subaccount} is outside 0..=63")))?;
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        let s = ex.account_mut(key_id).subaccount_mut(sid);
        s.cash = cents.saturating_mul(10_000);
        s.balance_updated_ms = now;
        Ok(())
    }

    /// How many order groups the account `key_id` created through the API (successful
    /// `POST /portfolio/order_groups/create` requests; for "no create was repeated").
    pub fn order_group_creates(&self, key_id: &str) -> u64 {
        self.shared
            .exchange()
            .account(key_id)
            .map_or(0, |a| a.order_group_creates)
    }

    /// Settles the market `ticker` with `result` at the current exchange time: cancels its
    /// resting orders, pays every position out (each YES contract the result's YES value,
    /// each NO contract the rest of the dollar, to the holding subaccount's cash), records
    /// one settlement per account, subaccount and market for `GET /portfolio/settlements`,
    /// and refuses later orders in the market (400 `market_closed`). Returns the cents paid
    /// out in all. Fails for an unknown or already settled market, or a scalar value above
    /// 100 cents.
    ///
    /// ```
    /// use kalshi_simulator::{DEFAULT_MARKET, SettlementResult, Simulator, SimulatorConfig};
    /// let sim = Simulator::in_process(SimulatorConfig::default())?;
    /// assert_eq!(sim.settle_market(DEFAULT_MARKET, SettlementResult::Yes)?, 0);
    /// assert_eq!(sim.settlement_result(DEFAULT_MARKET), Some(SettlementResult::Yes));
    /// assert!(sim.settle_market(DEFAULT_MARKET, SettlementResult::No).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn settle_market(&self, ticker: &str, result: SettlementResult) -> Result<i64, HookError> {
        let now = self.now_ms();
        self.exchange_now()
            .settle_market(ticker, result, now)
            .map_err(HookError)
    }

    /// How the market `ticker` settled, or `None` while it is open (or unknown).
    pub fn settlement_result(&self, ticker: &str) -> Option<SettlementResult> {
        self.shared
            .exchange()
            .ledger
            .settled
            .get(ticker)
            .map(|s| s.result)
    }

    /// Sets what `GET /historical/cutoff` answers (the default: the Unix epoch for all four
    /// timestamps).
    pub fn set_historical_cutoff(&self, cutoff: HistoricalCutoff) {
        self.shared.exchange().ledger.historical_cutoff = cutoff;
    }

    /// Records the forecast of the event `event_ticker` at `percentile` (0 to 9999) at the
    /// current exchange time, for `GET /series/{series}/events/{ticker}/forecast_percentile_history`
    /// (`numerical_forecast` and `raw_numerical_forecast` `value`, `formatted_forecast`
    /// `formatted`). Fails for an unknown event or a percentile above 9999.
    ///
    /// ```
    /// use kalshi_simulator::{Simulator, SimulatorConfig};
    /// let sim = Simulator::in_process(SimulatorConfig::default().with_market("KXHIGH-26JUN01-T80"))?;
    /// sim.record_forecast("KXHIGH-26JUN01", 5000, 81.5, "81.5°")?;
    /// assert!(sim.record_forecast("KXNONE-1", 5000, 1.0, "1").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_forecast(
        &self,
        event_ticker: &str,
        percentile: u16,
        value: f64,
        formatted: &str,
    ) -> Result<(), HookError> {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        if percentile > 9999 {
            return Err(HookError(format!(
                "a percentile is 0 to 9999, got {percentile}"
            )));
        }
        if !ex.event_views().contains_key(event_ticker) {
            return Err(HookError(format!("no event `{event_ticker}`")));
        }
        ex.forecasts.push(forecast::ForecastPoint {
            event_ticker: event_ticker.to_owned(),
            percentile,
            numerical: value,
            formatted: formatted.to_owned(),
            ts_ms: now,
        });
        Ok(())
    }

    /// Records an applied deposit of `amount_cents` into the account `key_id` (its primary
    /// subaccount's cash) at the current exchange time, listed by `GET /portfolio/deposits`.
    /// Returns the deposit's id. Fails for an amount that is not positive.
    pub fn record_deposit(&self, key_id: &str, amount_cents: i64) -> Result<String, HookError> {
        let now = self.now_ms();
        funding::record_cash_movement(&mut self.exchange_now(), key_id, true, amount_cents, now)
            .map_err(HookError)
    }

    /// Records an applied withdrawal of `amount_cents` from the account `key_id` (its primary
    /// subaccount's available cash) at the current exchange time, listed by
    /// `GET /portfolio/withdrawals`. Returns the withdrawal's id. Fails for an amount that is
    /// not positive or more than the available cash.
    pub fn record_withdrawal(&self, key_id: &str, amount_cents: i64) -> Result<String, HookError> {
        let now = self.now_ms();
        funding::record_cash_movement(&mut self.exchange_now(), key_id, false, amount_cents, now)
            .map_err(HookError)
    }

    /// Every trade (one per execution, in every market), oldest first.
    pub fn trades(&self) -> Vec<TradeSnapshot> {
        self.exchange_now()
            .trades
            .iter()
            .map(TradeSnapshot::of)
            .collect()
    }

    /// A market's book, best levels first, or `None` for an unknown ticker.
    pub fn book(&self, ticker: &str) -> Option<BookSnapshot> {
        BookSnapshot::of(&self.exchange_now(), ticker)
    }

    /// The listed market tickers, sorted.
    pub fn markets(&self) -> Vec<String> {
        self.shared.exchange().markets.keys().cloned().collect()
    }

    /// Lists a market while running (a ticker or a [`MarketConfig`]). One with the same
    /// ticker is replaced: its resting orders are canceled and its book starts empty (its
    /// trades stay). Fails if the market is on a shard that does not exist.
    pub fn add_market(&self, market: impl Into<MarketConfig>) -> Result<(), HookError> {
        let market = market.into();
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        if market.exchange_index >= ex.exchange_shards {
            return Err(HookError(format!(
                "market `{}` is on exchange index {}, but the simulator runs {} shard(s)",
                market.ticker, market.exchange_index, ex.exchange_shards
            )));
        }
        ex.add_market(market, now);
        ex.note_quotes(now);
        Ok(())
    }

    /// Describes an event while running (replacing one with the same ticker).
    pub fn add_event(&self, event: EventConfig) {
        let mut ex = self.shared.exchange();
        ex.events.insert(event.event_ticker.clone(), event);
    }

    /// Describes a series while running (replacing one with the same ticker).
    pub fn add_series(&self, series: SeriesConfig) {
        let mut ex = self.shared.exchange();
        ex.series.insert(series.ticker.clone(), series);
    }

    /// Lists a multivariate event collection while running (replacing one with the same
    /// ticker; the combo markets already created from it stay).
    pub fn add_collection(&self, collection: CollectionConfig) {
        let mut ex = self.shared.exchange();
        ex.collections
            .configs
            .insert(collection.collection_ticker.clone(), collection);
    }

    /// Replaces the milestones, structured targets, search filters, incentive programs and
    /// live data the simulator serves (for example to move a game's score or add a weather
    /// index minute while a test runs).
    pub fn set_reference_data(&self, data: ReferenceData) {
        self.shared.exchange().reference = data;
    }

    /// The market tickers of the combo markets created from multivariate collections, sorted.
    pub fn combo_markets(&self) -> Vec<String> {
        self.shared
            .exchange()
            .collections
            .legs
            .keys()
            .cloned()
            .collect()
    }

    /// Changes a market's configured status (see [`MarketStatus`] for what the clock adds).
    /// A market that goes past its close has its resting orders canceled; an
    /// [`Inactive`](MarketStatus::Inactive) market reactivated to
    /// [`Active`](MarketStatus::Active) too, as the exchange does.
    pub fn set_market_status(&self, ticker: &str, status: MarketStatus) -> Result<(), HookError> {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        let m = ex
            .markets
            .get_mut(ticker)
            .ok_or_else(|| HookError(format!("no market `{ticker}`")))?;
        let was = m.cfg.status_at(now);
        m.cfg.status = status;
        m.updated_ms = now;
        if !m.cfg.status_at(now).is_past_close() {
            m.swept = false;
        }
        let reactivated =
            was == MarketStatus::Inactive && m.cfg.status_at(now) == MarketStatus::Active;
        if reactivated {
            ex.cancel_market_orders(ticker, |_| true, now);
        }
        ex.expire_orders(now);
        Ok(())
    }

    /// The status a market reports now (`None` for an unknown ticker):
    /// [`Finalized`](MarketStatus::Finalized) once [settled](Self::settle_market).
    pub fn market_status(&self, ticker: &str) -> Option<MarketStatus> {
        let now = self.now_ms();
        let ex = self.shared.exchange();
        ex.markets
            .get(ticker)
            .map(|m| catalog::status_now(&ex, m, now))
    }

    /// Starts (`false`) or ends (`true`) a trading pause: while paused, order creates and
    /// amends are refused with 400 `trading_paused` (cancels and decreases still work) and
    /// `GET /exchange/status` reports `trading_active: false`. Pausing cancels the resting
    /// orders placed with `cancel_order_on_pause`.
    pub fn set_trading_active(&self, active: bool) {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        let pausing = ex.trading_active && !active && ex.exchange_active;
        ex.trading_active = active;
        if pausing {
            cancel_on_pause(&mut ex, now);
        }
    }

    /// Starts (`false`) or ends (`true`) an exchange pause: while paused, every order write
    /// (create, amend, decrease, cancel) is refused with 400 `exchange_paused` and
    /// `GET /exchange/status` reports `exchange_active: false` and `trading_active: false`.
    /// Pausing cancels the resting orders placed with `cancel_order_on_pause`.
    pub fn set_exchange_active(&self, active: bool) {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        let pausing = ex.exchange_active && !active && ex.trading_active;
        ex.exchange_active = active;
        if pausing {
            cancel_on_pause(&mut ex, now);
        }
    }

    /// The URL of the stream endpoint: `ws://127.0.0.1:PORT/trade-api/ws/v2`.
    pub fn stream_url(&self) -> String {
        format!("ws://{}{STREAM_PATH}", self.addr)
    }

    /// How many stream connections are open.
    pub fn stream_connections(&self) -> usize {
        self.shared.exchange().streams.conns().count()
    }

    /// The channels each open stream connection of `key_id` is subscribed to, as
    /// `(sid, channel)` pairs by connection (oldest connection first).
    pub fn stream_subscriptions(&self, key_id: &str) -> Vec<Vec<(u64, String)>> {
        self.shared
            .exchange()
            .streams
            .conns()
            .filter(|c| c.key_id == key_id)
            .map(|c| {
                c.subs
                    .values()
                    .map(|s| (s.sid, s.channel.as_str().to_owned()))
                    .collect()
            })
            .collect()
    }

    /// Stream fault: the next message the engine pushes on every current subscription to
    /// `channel` (e.g. `"orderbook_delta"`) is not sent; on a channel with sequence numbers
    /// its `seq` is used up, so the client sees a gap. Command answers and snapshots sent in
    /// answer to a command are not affected. Returns how many subscriptions were armed;
    /// fails for an unknown channel.
    pub fn drop_next_stream_message(&self, channel: &str) -> Result<usize, HookError> {
        let ch = stream::Channel::parse(channel)
            .ok_or_else(|| HookError(format!("no stream channel `{channel}`")))?;
        Ok(self.shared.exchange().streams.arm(ch, true))
    }

    /// Stream fault: the next message the engine pushes on every current subscription to
    /// `channel` is sent twice (same `seq`). Returns how many subscriptions were armed; fails
    /// for an unknown channel.
    pub fn duplicate_next_stream_message(&self, channel: &str) -> Result<usize, HookError> {
        let ch = stream::Channel::parse(channel)
            .ok_or_else(|| HookError(format!("no stream channel `{channel}`")))?;
        Ok(self.shared.exchange().streams.arm(ch, false))
    }

    /// Stream fault: drops every open stream connection (only those of `key_id`, if given)
    /// at once, without a close frame, as a network failure would. The client must
    /// reconnect and subscribe again. Returns how many were dropped.
    pub fn disconnect_streams(&self, key_id: Option<&str>) -> usize {
        self.shared.exchange().streams.disconnect(key_id)
    }

    /// Stream fault: while `true`, the server sends no pings and pushes nothing on any
    /// connection (the pushes are lost, their `seq`s used up) but keeps every connection
    /// open and still answers commands; a client must notice the silence by itself.
    pub fn set_streams_silent(&self, silent: bool) {
        self.shared
            .exchange()
            .streams
            .silent
            .store(silent, Ordering::SeqCst);
    }

    /// Stops serving, closes every connection and waits for the server thread to end (for an
    /// [`in_process`](Self::in_process) simulator: just drops it).
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown_tx.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Cancels every resting order placed with `cancel_order_on_pause` (a pause begins).
fn cancel_on_pause(ex: &mut Exchange, now_ms: u64) {
    let tickers: Vec<String> = ex.markets.keys().cloned().collect();
    for t in tickers {
        ex.cancel_market_orders(&t, |o| o.cancel_on_pause, now_ms);
    }
    ex.note_quotes(now_ms);
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .field("in_process", &self.thread.is_none())
            .finish_non_exhaustive()
    }
}
