//! Calibration of probabilistic forecasts: do the bands hold what they promise?
//!
//! A backtest with Monte Carlo draws ([`super::backtest::backtest_with`]) gives, for every scored
//! cell (base year, horizon, profession, county or the nation, measure), the outcome and the
//! forecast's quantiles on a fixed grid ([`GRID`]: the 5th to the 95th percentile in steps of 5),
//! for hwf and for two naive forecasts:
//!
//! - **no change**: the last observed value, with a random walk's interval (`±z·s·√h`, `s` the
//!   root mean square of the series' one-step changes);
//! - **linear trend**: ordinary least squares on the last [`TREND_YEARS`] observed years, with the
//!   regression's prediction interval (Student's t with `n − 2` degrees of freedom).
//!
//! The normal and t quantiles are [`super::forecast`]'s.
//!
//! From these, per group (method × level × measure × horizon, and over all horizons):
//!
//! - **coverage** of the P10–P90 band (nominal 80 %), with its standard error clustered by base
//!   year ([`clustered_se`]): the cells of one rerun share its base year's shocks (every county
//!   and profession meets the same year), so they are far from independent, and a binomial
//!   standard error over the cells would claim a precision the backtest does not have;
//! - the **interval score** of that band (Gneiting & Raftery 2007, eq. 43: width plus `2/α` times
//!   the distance by which the outcome falls outside, `α = 0.2`), in percent of the outcome so
//!   that counties of any size weigh alike;
//! - the **CRPS**, approximated from the 19 quantiles as twice the mean quantile (pinball) score
//!   (Gneiting & Raftery 2007, eq. 31; Laio & Tamea 2007), also in percent of the outcome;
//! - the **PIT histogram**: where the outcome falls among the quantiles, in 20 bins of 5 %
//!   (a flat histogram at 5 % per bin is calibration; a U shape is bands too narrow).

use super::forecast::{normal_quantile, t_quantile};

/// Percentiles of the calibration grid: 5, 10, …, 95.
pub const GRID: [f64; 19] = [
    5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0,
    85.0, 90.0, 95.0,
];

/// Position of P10 and P90 in [`GRID`].
const P10: usize = 1;
const P90: usize = 17;

/// Years of history the linear-trend forecast is fitted to (at most).
pub const TREND_YEARS: usize = 10;

/// The methods compared, in output order.
pub const METHODS: [&str; 3] = ["hwf", "no_change", "linear_trend"];

/// One forecast of one cell: the outcome and each method's quantiles on [`GRID`].
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Base year of the rerun.
    pub base_year: i32,
    /// Years ahead.
    pub horizon: i32,
    /// Profession code.
    pub profession: String,
    /// `true` for the nation, `false` for a county.
    pub national: bool,
    /// `licensed` or `fte`.
    pub measure: &'static str,
    /// The outcome.
    pub actual: f64,
    /// Quantiles on [`GRID`] per method of [`METHODS`] (`None` where a naive forecast has too
    /// little history).
    pub quantiles: [Option<Vec<f64>>; 3],
}

/// The no-change forecast `h` steps after the last value of `history` (oldest first, one value a
/// year): the last value with a driftless random walk's normal quantiles. `None` with fewer than
/// three years.
pub fn no_change(history: &[f64], h: usize) -> Option<Vec<f64>> {
    if history.len() < 3 {
        return None;
    }
    let d2: f64 = history.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
    let s = (d2 / (history.len() - 1) as f64).sqrt() * (h as f64).sqrt();
    let last = history[history.len() - 1];
    Some(
        GRID.iter()
            .map(|&q| last + s * normal_quantile(q / 100.0))
            .collect(),
    )
}

/// The linear-trend forecast `h` steps after the last of `history`'s last [`TREND_YEARS`] values:
/// the least-squares line with its prediction interval's t quantiles. `None` with fewer than four
/// years.
pub fn linear_trend(history: &[f64], h: usize) -> Option<Vec<f64>> {
    let y = &history[history.len().saturating_sub(TREND_YEARS)..];
    let n = y.len();
    if n < 4 {
        return None;
    }
    let nf = n as f64;
    let xbar = (nf - 1.0) / 2.0;
    let ybar = y.iter().sum::<f64>() / nf;
    let sxx: f64 = (0..n).map(|i| (i as f64 - xbar).powi(2)).sum();
    let sxy: f64 = y
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64 - xbar) * (v - ybar))
        .sum();
    let b = sxy / sxx;
    let a = ybar - b * xbar;
    let sse: f64 = y
        .iter()
        .enumerate()
        .map(|(i, v)| (v - a - b * i as f64).powi(2))
        .sum();
    let s = (sse / (nf - 2.0)).sqrt();
    let x0 = (n - 1 + h) as f64;
    let point = a + b * x0;
    let se = s * (1.0 + 1.0 / nf + (x0 - xbar).powi(2) / sxx).sqrt();
    Some(
        GRID.iter()
            .map(|&q| point + se * t_quantile(q / 100.0, nf - 2.0))
            .collect(),
    )
}

/// The interval score of the central `1 − alpha` interval `[lo, hi]` for outcome `y`.
pub fn interval_score(lo: f64, hi: f64, y: f64, alpha: f64) -> f64 {
    (hi - lo) + 2.0 / alpha * ((lo - y).max(0.0) + (y - hi).max(0.0))
}

/// The CRPS approximated from quantiles `q` at levels `GRID/100`: twice the mean pinball loss.
pub fn crps(q: &[f64], y: f64) -> f64 {
    let sum: f64 = q
        .iter()
        .zip(GRID)
        .map(|(&x, level)| {
            let tau = level / 100.0;
            let ind = if y < x { 1.0 } else { 0.0 };
            (ind - tau) * (x - y)
        })
        .sum();
    2.0 * sum / q.len() as f64
}

/// The PIT bin of outcome `y` among quantiles `q` on [`GRID`]: how many quantiles lie below it
/// (0–19, i.e. 20 bins of 5 %).
pub fn pit_bin(q: &[f64], y: f64) -> usize {
    q.iter().filter(|&&x| x < y).count()
}

/// One row of the calibration table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Forecasting method (see [`METHODS`]).
    pub method: &'static str,
    /// `national` or `county`.
    pub level: &'static str,
    /// `licensed`, `fte` or `all`.
    pub measure: &'static str,
    /// Years ahead, `None` for all horizons together.
    pub horizon: Option<i32>,
    /// Scored cells.
    pub n: usize,
    /// Share of outcomes inside the P10–P90 band.
    pub coverage: f64,
    /// The coverage's standard error clustered by base year ([`clustered_se`]); `None` with
    /// fewer than two base years.
    pub coverage_se: Option<f64>,
    /// Mean interval score of the P10–P90 band, in percent of the outcome.
    pub interval_score: f64,
    /// Mean CRPS, in percent of the outcome.
    pub crps: f64,
    /// PIT histogram: shares of outcomes in the 20 bins of 5 %.
    pub pit: Vec<f64>,
}

/// The calibration table: for each method, level (nation, counties), measure (each, and all) and
/// horizon (each, and all), the coverage, mean interval score, mean CRPS and PIT histogram. Cells
/// with a zero outcome are left out (their relative scores are undefined).
pub fn table(cases: &[Case]) -> Vec<Row> {
    let mut horizons: Vec<i32> = cases.iter().map(|c| c.horizon).collect();
    horizons.sort_unstable();
    horizons.dedup();
    let mut out = Vec::new();
    for (m, method) in METHODS.iter().enumerate() {
        for (national, level) in [(true, "national"), (false, "county")] {
            for measure in ["licensed", "fte", "all"] {
                for h in std::iter::once(None).chain(horizons.iter().map(|&h| Some(h))) {
                    let mut n = 0usize;
                    let (mut inside, mut is, mut cr) = (0usize, 0.0, 0.0);
                    let mut hits: Vec<(i32, bool)> = Vec::new();
                    let mut pit = vec![0usize; GRID.len() + 1];
                    for c in cases.iter().filter(|c| {
                        c.national == national
                            && (measure == "all" || c.measure == measure)
                            && h.is_none_or(|h| c.horizon == h)
                            && c.actual != 0.0
                    }) {
                        let Some(q) = &c.quantiles[m] else { continue };
                        let y = c.actual;
                        n += 1;
                        let hit = q[P10] <= y && y <= q[P90];
                        inside += usize::from(hit);
                        hits.push((c.base_year, hit));
                        is += 100.0 * interval_score(q[P10], q[P90], y, 0.2) / y.abs();
                        cr += 100.0 * crps(q, y) / y.abs();
                        pit[pit_bin(q, y)] += 1;
                    }
                    if n == 0 {
                        continue;
                    }
                    let nf = n as f64;
                    out.push(Row {
                        method,
                        level,
                        measure,
                        horizon: h,
                        n,
                        coverage: inside as f64 / nf,
                        coverage_se: clustered_se(&hits),
                        interval_score: is / nf,
                        crps: cr / nf,
                        pit: pit.iter().map(|&k| k as f64 / nf).collect(),
                    });
                }
            }
        }
    }
    out
}

/// The standard error of a share of hits, clustered by their group (here the base year): with
/// `p̂ = Σ y_i / n` and each group's sum of residuals `e_g = Σ_{i∈g} (y_i − p̂)`,
/// `SE² = G/(G − 1) · Σ_g e_g² / n²` over the `G` groups (the sandwich estimator with the usual
/// small-sample factor; Cameron & Miller 2015, eq. 11). `None` with fewer than two groups, where
/// the backtest says nothing about how the share varies between years.
pub fn clustered_se(hits: &[(i32, bool)]) -> Option<f64> {
    let n = hits.len() as f64;
    if hits.is_empty() {
        return None;
    }
    let p = hits.iter().filter(|h| h.1).count() as f64 / n;
    let mut groups: Vec<(i32, f64)> = Vec::new();
    for &(g, hit) in hits {
        let e = f64::from(u8::from(hit)) - p;
        match groups.iter_mut().find(|x| x.0 == g) {
            Some(x) => x.1 += e,
            None => groups.push((g, e)),
        }
    }
    let ng = groups.len() as f64;
    (groups.len() >= 2).then(|| {
        let sum: f64 = groups.iter().map(|g| g.1 * g.1).sum();
        (ng / (ng - 1.0) * sum / (n * n)).sqrt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clustered_standard_error_by_hand() {
        // Two base years: 2015 with 3 hits of 4, 2016 with 1 of 4. p̂ = 0.5; residual sums
        // 3·0.5 − 1·0.5 = 1 and 1·0.5 − 3·0.5 = −1; SE² = 2/1 · (1 + 1) / 64 = 1/16.
        let mut hits = Vec::new();
        for (year, k) in [(2015, 3), (2016, 1)] {
            for i in 0..4 {
                hits.push((year, i < k));
            }
        }
        assert!((clustered_se(&hits).unwrap() - 0.25).abs() < 1e-15);
        // Every year alike: no spread between years, SE 0, whatever the binomial error.
        let even: Vec<(i32, bool)> = (0..8).map(|i| (2015 + i / 4, i % 2 == 0)).collect();
        assert_eq!(clustered_se(&even), Some(0.0));
        // One base year: nothing to say.
        assert_eq!(clustered_se(&hits[..4]), None);
    }

    #[test]
    fn scores_by_hand() {
        // Width 20, outcome 5 below the lower edge: 20 + 2/0.2·5 = 70.
        assert_eq!(interval_score(100.0, 120.0, 95.0, 0.2), 70.0);
        assert_eq!(interval_score(100.0, 120.0, 110.0, 0.2), 20.0);
        // Every quantile at the outcome: no loss.
        let q: Vec<f64> = GRID.iter().map(|_| 7.0).collect();
        assert_eq!(crps(&q, 7.0), 0.0);
        // A point forecast 2 off: CRPS of a point is the absolute error; the pinball mean over
        // levels 0.05…0.95 of (1 − τ)·2 is 2·0.5, times 2 is 2.
        assert!((crps(&q, 5.0) - 2.0).abs() < 1e-12);
        assert_eq!(pit_bin(&GRID, 52.0), 10);
        assert_eq!(pit_bin(&GRID, 1.0), 0);
        assert_eq!(pit_bin(&GRID, 99.0), 19);
    }

    #[test]
    fn naive_forecasts_by_hand() {
        // Changes +2, −2, +2: root mean square 2; two steps ahead s = 2·√2; the median is the last.
        let q = no_change(&[10.0, 12.0, 10.0, 12.0], 2).unwrap();
        assert_eq!(q[9], 12.0);
        let z90 = normal_quantile(0.9);
        assert!((q[17] - (12.0 + 2.0 * 2f64.sqrt() * z90)).abs() < 1e-12);
        // An exact line: the trend's interval has zero width and continues the line.
        let q = linear_trend(&[1.0, 3.0, 5.0, 7.0, 9.0], 3).unwrap();
        assert!(q.iter().all(|x| (x - 15.0).abs() < 1e-9));
        assert!(no_change(&[1.0, 2.0], 1).is_none());
        assert!(linear_trend(&[1.0, 2.0, 3.0], 1).is_none());
    }

    #[test]
    fn a_calibrated_forecast_covers_eighty_percent() {
        // Outcomes spread evenly over the quantiles of a fixed forecast: each PIT bin gets 5 %,
        // and the P10–P90 band holds 16 of 20 outcomes.
        let q: Vec<f64> = GRID.to_vec();
        let cases: Vec<Case> = (0..20)
            .map(|i| Case {
                base_year: 2015,
                horizon: 1,
                profession: "SSK".into(),
                national: false,
                measure: "licensed",
                actual: 2.5 + 5.0 * i as f64,
                quantiles: [Some(q.clone()), None, None],
            })
            .collect();
        let t = table(&cases);
        let all = t
            .iter()
            .find(|r| r.method == "hwf" && r.measure == "all" && r.horizon.is_none())
            .unwrap();
        assert_eq!(all.n, 20);
        assert_eq!(all.coverage, 0.8);
        assert!(all.pit.iter().all(|&x| (x - 0.05).abs() < 1e-12));
    }
}
