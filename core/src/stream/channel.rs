//! The stream's channels, named as the API names them.

crate::enums::string_enum! {
    /// A channel of the WebSocket API (the `channels` of a `subscribe` command, the `channel`
    /// of a `subscribed` answer). Unknown names are kept, so a channel added by the exchange
    /// can be subscribed and listed before this client knows it.
    ///
    /// Private channels (the key's own data, or data that needs an authenticated session):
    /// `orderbook_delta`, `fill`, `market_positions`, `communications`, `order_group_updates`,
    /// `user_orders`. Public market data: `ticker`, `trade`, `market_lifecycle_v2`,
    /// `multivariate_market_lifecycle`, and the price feeds `cfbenchmarks_value`, `pyth_value`.
    /// Every connection is authenticated either way.
    ///
    /// The messages each channel sends ([`StreamMessage`](super::StreamMessage) variants):
    ///
    /// | channel | message `type`s |
    /// |---|---|
    /// | `orderbook_delta` | `orderbook_snapshot`, `orderbook_delta` |
    /// | `ticker` | `ticker` |
    /// | `trade` | `trade` |
    /// | `fill` | `fill` |
    /// | `market_positions` | `market_position` |
    /// | `market_lifecycle_v2` | `market_lifecycle_v2`, `event_lifecycle` (and `event_fee_update`, untyped) |
    /// | `multivariate_market_lifecycle` | `multivariate_market_lifecycle`, `event_lifecycle` |
    /// | `communications` | `rfq_created`, `rfq_deleted`, `quote_created`, `quote_accepted`, `quote_executed` |
    /// | `order_group_updates` | `order_group_updates` (with `seq`) |
    /// | `user_orders` | `user_order` |
    /// | `cfbenchmarks_value` | `cfbenchmarks_value` (and `cfbenchmarks_value_indexlist`, untyped) |
    /// | `pyth_value` | its values (untyped: `Unknown`) |
    Channel {
        /// Order book snapshots and deltas (`orderbook_snapshot`, `orderbook_delta`), with
        /// sequence numbers.
        OrderbookDelta = "orderbook_delta",
        /// Price, volume and open interest of markets (`ticker`).
        Ticker = "ticker",
        /// Public trades (`trade`).
        Trade = "trade",
        /// The key's own fills (`fill`).
        Fill = "fill",
        /// The key's positions per market (`market_position`).
        MarketPositions = "market_positions",
        /// Market and event lifecycle (`market_lifecycle_v2`, `event_lifecycle`).
        MarketLifecycleV2 = "market_lifecycle_v2",
        /// Lifecycle of multivariate (combo, `KXMVE*`) markets (`multivariate_market_lifecycle`,
        /// `event_lifecycle`).
        MultivariateMarketLifecycle = "multivariate_market_lifecycle",
        /// RFQs and quotes (`rfq_created`, `quote_created`, ...).
        Communications = "communications",
        /// The key's order groups (`order_group_updates`).
        OrderGroupUpdates = "order_group_updates",
        /// The key's orders (`user_order`).
        UserOrders = "user_orders",
        /// CF Benchmarks index values.
        CfbenchmarksValue = "cfbenchmarks_value",
        /// Pyth price updates.
        PythValue = "pyth_value",
    }
}

impl Channel {
    /// True for the channels whose data messages the spec numbers with a `seq`
    /// (`orderbook_delta`, `order_group_updates`). The session does not need this: it checks
    /// the `seq` of whatever message carries one.
    pub fn is_sequenced(&self) -> bool {
        matches!(self, Channel::OrderbookDelta | Channel::OrderGroupUpdates)
    }
}

#[cfg(test)]
mod tests {
    use super::Channel;

    #[test]
    fn the_spec_numbers_books_and_order_groups() {
        assert!(Channel::OrderbookDelta.is_sequenced());
        assert!(Channel::OrderGroupUpdates.is_sequenced());
        for c in [
            Channel::Ticker,
            Channel::Trade,
            Channel::Fill,
            Channel::UserOrders,
        ] {
            assert!(!c.is_sequenced(), "{c}");
        }
    }
}
