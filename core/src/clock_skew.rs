//! Learning how far the local clock is from the exchange's, and correcting signed timestamps.
//!
//! A trading host whose clock drifts gets 401s for every request, because the signed
//! timestamp falls outside the exchange's window. [`ClockSkew`] bounds the offset from what
//! responses reveal: the `Date` header (one-second resolution) and matching-engine `ts_ms`
//! values (millisecond resolution). Each observation says the offset lies in an interval; the
//! estimator keeps the intersection, so it tightens as answers come in, and starts over if the
//! intervals stop overlapping (a clock was stepped).

use crate::Timestamp;

/// Offsets smaller than this are not worth correcting or reporting (milliseconds).
pub const NEGLIGIBLE_SKEW_MS: i64 = 1_000;

/// An estimate of `exchange clock − local clock`.
///
/// ```
/// use kalshi_core::clock_skew::ClockSkew;
/// use kalshi_core::Timestamp;
/// let mut skew = ClockSkew::new();
/// // Sent at local 1_000_000, answered at local 1_000_040; the exchange stamped 1_005_020.
/// skew.observe_server_ms(1_005_020, Timestamp::from_millis(1_000_000), Timestamp::from_millis(1_000_040));
/// assert_eq!(skew.offset_ms(), Some(5_000));
/// assert_eq!(skew.correct(Timestamp::from_millis(2_000_000)), Timestamp::from_millis(2_005_000));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClockSkew {
    bounds: Option<(i64, i64)>,
}

impl ClockSkew {
    /// No observation yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn observe_interval(&mut self, lo: i64, hi: i64) {
        self.bounds = match self.bounds {
            Some((a, b)) if lo.max(a) <= hi.min(b) => Some((lo.max(a), hi.min(b))),
            _ => Some((lo, hi)),
        };
    }

    /// Records a server timestamp in milliseconds (e.g. `ts_ms`) taken while the request was
    /// in flight between local times `sent` and `received`.
    pub fn observe_server_ms(&mut self, server_ms: i64, sent: Timestamp, received: Timestamp) {
        let (s, r) = (sent.as_millis() as i64, received.as_millis() as i64);
        if r < s {
            return;
        }
        self.observe_interval(server_ms - r, server_ms - s);
    }

    /// Records an HTTP `Date` header value (IMF-fixdate, one-second resolution). Values that
    /// do not parse are ignored.
    pub fn observe_date_header(&mut self, date: &str, sent: Timestamp, received: Timestamp) {
        let Some(server_s) = parse_http_date(date) else {
            return;
        };
        let (s, r) = (sent.as_millis() as i64, received.as_millis() as i64);
        if r < s {
            return;
        }
        let server_ms = server_s * 1000;
        // The server's clock read somewhere in [server_ms, server_ms + 999] while local time
        // was somewhere in [s, r].
        self.observe_interval(server_ms - r, server_ms + 999 - s);
    }

    /// Records what a response reveals: its `Date` header.
    pub fn observe_response<B>(
        &mut self,
        response: &http::Response<B>,
        sent: Timestamp,
        received: Timestamp,
    ) {
        if let Some(date) = response
            .headers()
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
        {
            self.observe_date_header(date, sent, received);
        }
    }

    /// The best estimate of `exchange − local` in milliseconds, if anything was observed.
    pub fn offset_ms(&self) -> Option<i64> {
        self.bounds.map(|(lo, hi)| lo + (hi - lo) / 2)
    }

    /// The offset when it is large enough to matter (at least [`NEGLIGIBLE_SKEW_MS`] even at
    /// the near end of its uncertainty).
    pub fn significant_offset_ms(&self) -> Option<i64> {
        let (lo, hi) = self.bounds?;
        if lo >= NEGLIGIBLE_SKEW_MS || hi <= -NEGLIGIBLE_SKEW_MS {
            self.offset_ms()
        } else {
            None
        }
    }

    /// `local` moved onto the exchange's clock (unchanged when nothing is known).
    pub fn correct(&self, local: Timestamp) -> Timestamp {
        match self.offset_ms() {
            Some(off) => {
                Timestamp::from_millis((local.as_millis() as i64).saturating_add(off).max(0) as u64)
            }
            None => local,
        }
    }

    /// Whether a 401 is worth one more attempt, signed on the corrected clock: the request was
    /// signed with the correction `signed_with_offset_ms` (0 for the uncorrected local clock),
    /// and what is known now puts the offset at least [`NEGLIGIBLE_SKEW_MS`] away from it, so
    /// the signed timestamp was that far off the exchange's clock. A 401 executes nothing, so
    /// the repeat is safe for every operation, creates included; transports make it once.
    ///
    /// ```
    /// use kalshi_core::clock_skew::ClockSkew;
    /// use kalshi_core::{ApiError, BoundedBody, Error, Timestamp};
    /// let unauthorized = Error::Unauthorized(Box::new(ApiError {
    ///     status: http::StatusCode::UNAUTHORIZED,
    ///     error: None,
    ///     body: BoundedBody::new(b"{}"),
    ///     clock_skew_ms: None,
    /// }));
    /// let mut skew = ClockSkew::new();
    /// // The 401 came with a Date 90 s ahead of the local clock.
    /// skew.observe_server_ms(1_000_090_000, Timestamp::from_millis(1_000_000_000), Timestamp::from_millis(1_000_000_020));
    /// assert!(skew.explains_unauthorized(&unauthorized, 0));
    /// // Signed with that correction already: the clock is not the cause.
    /// assert!(!skew.explains_unauthorized(&unauthorized, 90_000));
    /// ```
    pub fn explains_unauthorized(&self, error: &crate::Error, signed_with_offset_ms: i64) -> bool {
        let (crate::Error::Unauthorized(_), Some((lo, hi))) = (error, self.bounds) else {
            return false;
        };
        // Even the end of the interval nearest to the offset used is this far from it.
        lo.saturating_sub(signed_with_offset_ms) >= NEGLIGIBLE_SKEW_MS
            || signed_with_offset_ms.saturating_sub(hi) >= NEGLIGIBLE_SKEW_MS
    }

    /// Adds the observed offset to a 401 error when it is significant, so the error says the
    /// clock is the likely cause.
    pub fn annotate(&self, error: &mut crate::Error) {
        if let (crate::Error::Unauthorized(api), Some(off)) = (error, self.significant_offset_ms())
        {
            api.clock_skew_ms = Some(off);
        }
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds. Only that exact
/// shape is accepted: two-digit day, hour, minute and second, four-digit year, no signs.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    let [
        _,
        _,
        _,
        _,
        _,
        d1,
        d2,
        b' ',
        m1,
        m2,
        m3,
        b' ',
        y1,
        y2,
        y3,
        y4,
        b' ',
        h1,
        h2,
        b':',
        mi1,
        mi2,
        b':',
        s1,
        s2,
        ..,
    ] = *b
    else {
        return None;
    };
    let num = |digits: &[u8]| -> Option<i64> {
        digits.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let day = num(&[d1, d2])?;
    let year = num(&[y1, y2, y3, y4])?;
    let (h, m, sec) = (num(&[h1, h2])?, num(&[mi1, mi2])?, num(&[s1, s2])?);
    let month = match &[m1, m2, m3] {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 || year < 1970 {
        return None;
    }
    // Days from civil (proleptic Gregorian), Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(ms: u64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn unauthorized() -> crate::Error {
        crate::Error::Unauthorized(Box::new(crate::ApiError {
            status: http::StatusCode::UNAUTHORIZED,
            error: None,
            body: crate::BoundedBody::new(b""),
            clock_skew_ms: None,
        }))
    }

    #[test]
    fn a_401_is_explained_only_by_an_offset_far_from_the_one_signed_with() {
        let mut skew = ClockSkew::new();
        assert!(
            !skew.explains_unauthorized(&unauthorized(), 0),
            "nothing known"
        );
        // Exchange 90 s ahead, known to within the request's 20 ms.
        skew.observe_server_ms(1_090_000, ts(1_000_000), ts(1_000_020));
        assert!(skew.explains_unauthorized(&unauthorized(), 0));
        assert!(
            skew.explains_unauthorized(&unauthorized(), 180_000),
            "over-corrected"
        );
        assert!(
            !skew.explains_unauthorized(&unauthorized(), 90_000),
            "already corrected"
        );
        assert!(
            !skew.explains_unauthorized(&unauthorized(), 89_500),
            "within a second"
        );
        let not_found = crate::Error::NotFound(Box::new(crate::ApiError {
            status: http::StatusCode::NOT_FOUND,
            error: None,
            body: crate::BoundedBody::new(b""),
            clock_skew_ms: None,
        }));
        assert!(!skew.explains_unauthorized(&not_found, 0), "not a 401");

        // A Date header leaves a second of doubt: an interval that reaches within a second of
        // the offset used does not explain the 401.
        let mut coarse = ClockSkew::new();
        coarse.observe_date_header("Thu, 01 Jan 1970 00:00:01 GMT", ts(0), ts(10));
        // The offset is somewhere in [990, 1999] ms.
        assert!(!coarse.explains_unauthorized(&unauthorized(), 0));
        assert!(coarse.explains_unauthorized(&unauthorized(), -1_000));
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Wed, 25 Nov 2026 03:55:28 GMT"),
            Some(1_795_578_928)
        );
        for bad in [
            "",
            "garbage",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            // Found by fuzzing: a signed field used to be read as a negative number.
            "Th5, 01 Jan 1970 00:-8:00 GMT",
            "Thu, +1 Jan 1970 00:00:00 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMTX",
            "Thu, 01 Jan 1969 00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_headers_narrow_the_offset() {
        let mut s = ClockSkew::new();
        // Exchange 30 s ahead; the local request takes 20 ms.
        let local = 1_795_578_928_000u64;
        s.observe_date_header(
            "Wed, 25 Nov 2026 03:55:58 GMT",
            ts(local + 400),
            ts(local + 420),
        );
        let off = s.offset_ms().unwrap();
        assert!((29_000..=31_000).contains(&off), "{off}");
        assert_eq!(s.significant_offset_ms(), Some(off));
        let mut e = crate::Error::Unauthorized(Box::new(crate::ApiError {
            status: http::StatusCode::UNAUTHORIZED,
            error: None,
            body: crate::BoundedBody::new(b""),
            clock_skew_ms: None,
        }));
        s.annotate(&mut e);
        assert!(e.to_string().contains("behind the exchange"), "{e}");
    }

    #[test]
    fn small_offsets_are_not_significant_and_steps_restart() {
        let mut s = ClockSkew::new();
        s.observe_server_ms(1_000_100, ts(1_000_000), ts(1_000_200));
        assert_eq!(s.significant_offset_ms(), None);
        // The local clock is stepped by an hour: the intervals no longer overlap.
        s.observe_server_ms(1_000_100, ts(4_600_000), ts(4_600_010));
        assert!(s.offset_ms().unwrap() < -3_500_000);
    }

    proptest! {
        #[test]
        fn the_true_offset_stays_inside_the_bounds(offset in -100_000_000i64..100_000_000, rtts in prop::collection::vec((0u64..500, 0u64..500), 1..20)) {
            let mut s = ClockSkew::new();
            let mut local = 1_700_000_000_000u64;
            for (rtt, at) in rtts {
                let server_seen = local as i64 + (at.min(rtt)) as i64 + offset;
                s.observe_server_ms(server_seen, ts(local), ts(local + rtt));
                let (lo, hi) = s.bounds.unwrap();
                prop_assert!(lo <= offset && offset <= hi);
                local += 1_000;
            }
        }

        #[test]
        fn date_parsing_never_panics(x in "\\PC{0,40}") {
            let _ = parse_http_date(&x);
        }
    }
}
