//! The plain timing loop used where criterion does not fit (percentiles, the one-table peer
//! comparison): batches of calls, each timed with `Instant`, reported as the median (and
//! spread) of the per-call time over the batches.

use std::time::{Duration, Instant};

/// Summary of a timing: per-call nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median over the samples.
    pub median_ns: f64,
    /// Fastest sample.
    pub min_ns: f64,
    /// Slowest sample.
    pub max_ns: f64,
    /// How many samples.
    pub samples: usize,
    /// Calls per sample.
    pub batch: u64,
}

impl Summary {
    /// Median in microseconds.
    pub fn median_us(&self) -> f64 {
        self.median_ns / 1e3
    }
}

/// The `p`-th percentile (0..=100) of sorted values, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of unsorted values.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Times `f`: warms up, picks a batch size so one batch lasts about `per_sample`, then takes
/// `samples` batches.
pub fn measure<F: FnMut()>(per_sample: Duration, samples: usize, mut f: F) -> Summary {
    // Warm-up and calibration.
    let mut batch: u64 = 1;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        let e = t.elapsed();
        if e >= per_sample / 4 || batch >= 1 << 30 {
            let per_call = e.as_secs_f64() / batch as f64;
            batch = ((per_sample.as_secs_f64() / per_call.max(1e-9)) as u64).max(1);
            break;
        }
        batch *= 2;
    }
    let mut per_call = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        per_call.push(t.elapsed().as_nanos() as f64 / batch as f64);
    }
    let mut sorted = per_call.clone();
    sorted.sort_by(f64::total_cmp);
    Summary {
        median_ns: median(&per_call),
        min_ns: sorted[0],
        max_ns: sorted[sorted.len() - 1],
        samples,
        batch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_medians() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn measure_counts_the_calls_it_reports() {
        let mut calls = 0u64;
        let s = measure(Duration::from_micros(200), 3, || calls += 1);
        assert_eq!(s.samples, 3);
        assert!(calls >= 3 * s.batch);
    }
}
