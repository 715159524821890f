//! Requests of the exchange operations from arbitrary field values: refused before signing,
//! naming a field the documented rules refuse, or signed over exactly the path sent, with
//! query parameters decoding back to the caller's values (see [`super::requests`]).

use http::Method;
use proptest::option;
use proptest::prelude::*;

use super::requests::{Expect, Piece, check, config, query_string};
use crate::exchange::{
    GetExchangeSchedule, GetExchangeStatus, GetSeriesFeeChanges, GetUserDataTimestamp,
};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn get_series_fee_changes(ts in any::<u64>(), series in option::of(query_string()),
                              historical in option::of(any::<bool>())) {
        let op = GetSeriesFeeChanges { series_ticker: series.clone(), show_historical: historical };
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/series/fee_changes")])
            .query("series_ticker", series)
            .query("show_historical", historical);
        check(&op, ts, expect)?;
    }

    #[test]
    fn parameterless_reads(ts in any::<u64>(), which in 0..3u8) {
        let get = |path| Expect::new(Method::GET, vec![Piece::Lit(path)]);
        match which {
            0 => check(&GetExchangeStatus::new(), ts, get("/exchange/status"))?,
            1 => check(&GetExchangeSchedule::new(), ts, get("/exchange/schedule"))?,
            _ => check(&GetUserDataTimestamp::new(), ts, get("/exchange/user_data_timestamp"))?,
        }
    }
}
