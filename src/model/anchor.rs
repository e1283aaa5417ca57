//! Local anchoring: each county's own level of the employment share and of FTE per licensed
//! person, shrunk toward the national rates by its precision.
//!
//! The employment share and FTE per employed person are estimated by profession, sector, sex and
//! age, pooled over the counties (see [`super::supply`]). A county whose principals employ more of
//! their licensed persons in private care than the nation does (Stockholm), or fewer in
//! municipal care, would lose that mix at the seam between its last observed year and the first
//! modelled one. So each county keeps a level per sector, estimated from its own employment
//! window and shrunk toward the national rate as far as its figures are noisy: a large county
//! keeps its own mix, a county with a handful of persons in a sector mostly takes the nation's.
//!
//! # Formula
//!
//! For one profession and sector, over the employment window's years `y` and the counties `c`:
//!
//! ```text
//! X_cy = Σ_{s,a} L[y,c,s,a]·r[s,a]        expected at the national rate r (the employment share
//!                                          for persons employed; share × FTE per employed for FTE)
//! O_cy                                     observed (employed persons; FTE)
//! y_c  = ln((O_c + ½) / (X_c + ½))         O_c = Σ_y O_cy, X_c = Σ_y X_cy
//! v_c  = φ / X_c                           sampling variance of y_c
//! φ    = Σ_c Σ_y (O_cy − ρ_c·X_cy)² / (ρ_c·X_cy) / Σ_c (n_c − 1),   ρ_c = O_c / X_c
//! ```
//!
//! `φ` is the dispersion of the yearly figures around each county's own level (Pearson's, as for
//! quasi-Poisson counts: 1 for Poisson counts, less for binomial ones, more where years vary
//! more), pooled over the counties with any observed in the window (`n_c` of their years have
//! `X_cy > 0`); 1 when no county has two such years. The spread of the true
//! county levels, `τ²`, is the DerSimonian–Laird moment estimate over the `C` counties with
//! `X_c > 0`: with `w_c = 1/v_c`, `ȳ = Σ w_c y_c / Σ w_c` and `Q = Σ w_c (y_c − ȳ)²`,
//!
//! ```text
//! τ² = max(0, (Q − (C − 1)) / (Σ w_c − Σ w_c² / Σ w_c))
//! B_c = τ² / (τ² + v_c)                    the weight of the county's own figure
//! f_c = N·exp(B_c·y_c)                     N = Σ_c O_c / Σ_c X_c·exp(B_c·y_c)
//! ```
//!
//! `N` keeps the counties' window total at the observed national total, so the nation's level is
//! the pooled rate's. A county without licensed persons in the window keeps the national rate
//! (`f = 1`), as does every county when fewer than two have any.
//!
//! [`Anchoring::Observed`] takes `B_c = 1` (each county's own window ratio); [`Anchoring::National`]
//! takes `f_c = 1` (the national rates everywhere, hwf's model before local anchoring).

use serde::{Deserialize, Serialize};

/// How county levels of the employment share and FTE are set (`supply.county_levels`).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Anchoring {
    /// Each county's own level, shrunk toward the national rate by its precision (the default).
    #[default]
    Shrunk,
    /// Each county's own level over the employment window, unshrunk.
    Observed,
    /// The national rates in every county.
    National,
}

impl Anchoring {
    /// The scenario's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Anchoring::Shrunk => "shrunk",
            Anchoring::Observed => "observed",
            Anchoring::National => "national",
        }
    }
}

/// One county's figures for one sector over the employment window: per year, (expected at the
/// national rate, observed).
pub type Window = Vec<(f64, f64)>;

/// The level found for each county of one profession, sector and measure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shrunk {
    /// The factor on the national rate, by county.
    pub factor: Vec<f64>,
    /// The weight `B_c` of the county's own figure, by county (0 where the national rate is kept).
    pub weight: Vec<f64>,
    /// The spread of the true county levels, `τ²` (log scale).
    pub tau2: f64,
    /// The dispersion of the yearly ratios, `φ`.
    pub phi: f64,
}

/// The levels of one profession: `[c][k]` factors on the employment share and on FTE per licensed
/// person, and their weights.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Levels {
    /// How they were set.
    pub anchoring: Anchoring,
    /// Factor on the employment share, `[c][k]`.
    pub employment: Vec<f64>,
    /// Factor on FTE per licensed person, `[c][k]`.
    pub fte: Vec<f64>,
    /// Weight of the county's own employment figure, `[c][k]`.
    pub employment_weight: Vec<f64>,
    /// Weight of the county's own FTE figure, `[c][k]`.
    pub fte_weight: Vec<f64>,
}

impl Levels {
    /// Every county at the national rates (factor 1, weight 0), `anchoring` national.
    pub fn at_national_rates(nc: usize, nk: usize) -> Levels {
        Levels {
            anchoring: Anchoring::National,
            employment: vec![1.0; nc * nk],
            fte: vec![1.0; nc * nk],
            employment_weight: vec![0.0; nc * nk],
            fte_weight: vec![0.0; nc * nk],
        }
    }
}

/// Shrinks the counties' levels of one profession, sector and measure (see the module's formula).
/// `windows[c]` holds county `c`'s (expected, observed) per window year.
pub fn shrink(windows: &[Window], anchoring: Anchoring) -> Shrunk {
    let nc = windows.len();
    let ones = Shrunk {
        factor: vec![1.0; nc],
        weight: vec![0.0; nc],
        tau2: 0.0,
        phi: 0.0,
    };
    let totals: Vec<(f64, f64)> = windows
        .iter()
        .map(|w| w.iter().fold((0.0, 0.0), |(x, o), v| (x + v.0, o + v.1)))
        .collect();
    let present: Vec<usize> = (0..nc).filter(|&c| totals[c].0 > 0.0).collect();
    if anchoring == Anchoring::National || present.len() < 2 {
        return ones;
    }
    let y: Vec<f64> = totals
        .iter()
        .map(|&(x, o)| ((o.max(0.0) + 0.5) / (x + 0.5)).ln())
        .collect();
    // φ: the yearly figures around each county's own level.
    let (mut num, mut df) = (0.0, 0usize);
    for &c in &present {
        let rho = totals[c].1.max(0.0) / totals[c].0;
        let years: Vec<&(f64, f64)> = windows[c].iter().filter(|v| v.0 > 0.0).collect();
        if years.len() < 2 || rho <= 0.0 {
            continue;
        }
        for &&(x, o) in &years {
            let m = rho * x;
            num += (o - m) * (o - m) / m;
        }
        df += years.len() - 1;
    }
    let phi = if df > 0 { num / df as f64 } else { 1.0 };
    // Each county's own figure in full: unshrunk, or when the yearly ratios do not vary at all.
    let own = |c: usize| if totals[c].0 > 0.0 { 1.0 } else { 0.0 };
    let (tau2, weight): (f64, Vec<f64>) = if anchoring == Anchoring::Observed || phi <= 0.0 {
        (0.0, (0..nc).map(own).collect())
    } else {
        let w: Vec<f64> = present.iter().map(|&c| totals[c].0 / phi).collect();
        let sw: f64 = w.iter().sum();
        let sw2: f64 = w.iter().map(|w| w * w).sum();
        let mean = present.iter().zip(&w).map(|(&c, w)| w * y[c]).sum::<f64>() / sw;
        let q: f64 = present
            .iter()
            .zip(&w)
            .map(|(&c, w)| w * (y[c] - mean) * (y[c] - mean))
            .sum();
        let tau2 = ((q - (present.len() - 1) as f64) / (sw - sw2 / sw)).max(0.0);
        let b = (0..nc)
            .map(|c| {
                if totals[c].0 > 0.0 {
                    tau2 / (tau2 + phi / totals[c].0)
                } else {
                    0.0
                }
            })
            .collect();
        (tau2, b)
    };
    // The factors, normalised to the observed national total.
    let raw: Vec<f64> = (0..nc).map(|c| (weight[c] * y[c]).exp()).collect();
    let observed: f64 = totals.iter().map(|t| t.1.max(0.0)).sum();
    let expected: f64 = (0..nc).map(|c| totals[c].0 * raw[c]).sum();
    let n = if expected > 0.0 && observed > 0.0 {
        observed / expected
    } else {
        1.0
    };
    Shrunk {
        factor: (0..nc)
            .map(|c| if totals[c].0 > 0.0 { n * raw[c] } else { 1.0 })
            .collect(),
        weight,
        tau2,
        phi,
    }
}

/// County profiles `[c][k][s][a]` from national ones `[k][s][a]` (`per` = sexes × ages) and the
/// levels: the employment share times its factor (each sex and age's shares over the sectors
/// scaled down to 1 where they would pass it), and FTE per employed person such that FTE per
/// licensed person is the national one times the FTE factor.
pub fn county_profiles(
    employment: &[f64],
    fte: &[f64],
    levels: &Levels,
    nc: usize,
    nk: usize,
    per: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut e = Vec::with_capacity(nc * nk * per);
    let mut h = Vec::with_capacity(nc * nk * per);
    for c in 0..nc {
        for k in 0..nk {
            let (fe, ff) = (levels.employment[c * nk + k], levels.fte[c * nk + k]);
            for j in 0..per {
                e.push(employment[k * per + j] * fe);
                h.push(if fe > 0.0 {
                    fte[k * per + j] * ff / fe
                } else {
                    fte[k * per + j]
                });
            }
        }
        if levels.anchoring == Anchoring::National {
            continue;
        }
        // No sex and age employed above its licensed persons.
        let at = c * nk * per;
        for j in 0..per {
            let sum: f64 = (0..nk).map(|k| e[at + k * per + j]).sum();
            if sum > 1.0 {
                for k in 0..nk {
                    e[at + k * per + j] /= sum;
                }
            }
        }
    }
    (e, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dersimonian_laird_by_hand() {
        // Three counties, two years each. County 0: expected 100 + 100, observed 110 + 130;
        // county 1: 400 + 400, 380 + 420; county 2: 50 + 50, 40 + 40.
        let w = vec![
            vec![(100.0, 110.0), (100.0, 130.0)],
            vec![(400.0, 380.0), (400.0, 420.0)],
            vec![(50.0, 40.0), (50.0, 40.0)],
        ];
        let s = shrink(&w, Anchoring::Shrunk);
        // By hand (the module's formula).
        let lr = |x: f64, o: f64| ((o + 0.5) / (x + 0.5)).ln();
        let y = [lr(200.0, 240.0), lr(800.0, 800.0), lr(100.0, 80.0)];
        // Pearson: county 0 at its level 1.2 expects 120 a year (110, 130: 100/120 each); county 1
        // at 1 expects 400 (380, 420: 400/400 each); county 2 at 0.8 expects 40 (40, 40: 0).
        let phi = (2.0 * 100.0 / 120.0 + 2.0 * 400.0 / 400.0) / 3.0;
        assert!((s.phi - phi).abs() < 1e-12, "{} vs {phi}", s.phi);
        let wts = [200.0 / phi, 800.0 / phi, 100.0 / phi];
        let sw: f64 = wts.iter().sum();
        let mean = (wts[0] * y[0] + wts[1] * y[1] + wts[2] * y[2]) / sw;
        let q: f64 = (0..3).map(|c| wts[c] * (y[c] - mean).powi(2)).sum();
        let tau2 = (q - 2.0) / (sw - wts.iter().map(|w| w * w).sum::<f64>() / sw);
        assert!(tau2 > 0.0);
        assert!((s.tau2 - tau2).abs() < 1e-12);
        let b: Vec<f64> = [200.0, 800.0, 100.0]
            .iter()
            .map(|x| tau2 / (tau2 + phi / x))
            .collect();
        let raw: Vec<f64> = (0..3).map(|c| (b[c] * y[c]).exp()).collect();
        let n = 1120.0 / (200.0 * raw[0] + 800.0 * raw[1] + 100.0 * raw[2]);
        for c in 0..3 {
            assert!((s.weight[c] - b[c]).abs() < 1e-12);
            assert!((s.factor[c] - n * raw[c]).abs() < 1e-12);
        }
        // The counties' window total is the observed one.
        let total: f64 = [200.0, 800.0, 100.0]
            .iter()
            .zip(&s.factor)
            .map(|(x, f)| x * f)
            .sum();
        assert!((total - 1120.0).abs() < 1e-9);
        // The noisier county is shrunk more: county 2 (100 expected) keeps less of its own figure
        // than county 0 (200).
        assert!(s.weight[2] < s.weight[0] && s.weight[0] < s.weight[1]);
    }

    #[test]
    fn counties_at_the_national_rate_keep_it() {
        // Every county observed at its expectation up to noise below Poisson: τ² = 0, so every
        // factor is the national total's (1).
        let w = vec![
            vec![(100.0, 101.0), (100.0, 99.0)],
            vec![(300.0, 302.0), (300.0, 298.0)],
        ];
        let s = shrink(&w, Anchoring::Shrunk);
        assert_eq!(s.tau2, 0.0);
        for f in &s.factor {
            assert!((f - 1.0).abs() < 1e-12, "{f}");
        }
    }

    #[test]
    fn observed_and_national_by_hand() {
        let w = vec![vec![(100.0, 150.0)], vec![(100.0, 50.0)], vec![(0.0, 0.0)]];
        let o = shrink(&w, Anchoring::Observed);
        // One year: φ = 1; weights 1; the factors are the ratios (with ½) normalised to 200/200.
        let r = [(150.5f64 / 100.5), (50.5f64 / 100.5)];
        let n = 200.0 / (100.0 * r[0] + 100.0 * r[1]);
        assert!((o.factor[0] - n * r[0]).abs() < 1e-12);
        assert!((o.factor[1] - n * r[1]).abs() < 1e-12);
        assert_eq!(o.factor[2], 1.0);
        assert_eq!(o.phi, 1.0);
        let nat = shrink(&w, Anchoring::National);
        assert_eq!(nat.factor, vec![1.0; 3]);
    }

    #[test]
    fn profiles_keep_fte_per_licensed_and_shares_within_one() {
        // One county, two sectors, one sex-age cell: shares 0.6 and 0.3, FTE per employed 0.9, 0.8.
        let levels = Levels {
            anchoring: Anchoring::Shrunk,
            employment: vec![1.5, 1.0],
            fte: vec![1.2, 1.0],
            employment_weight: vec![1.0, 1.0],
            fte_weight: vec![1.0, 1.0],
        };
        let (e, h) = county_profiles(&[0.6, 0.3], &[0.9, 0.8], &levels, 1, 2, 1);
        // 0.9 and 0.3 sum to 1.2: both scaled to sum 1.
        assert!((e[0] - 0.9 / 1.2).abs() < 1e-12 && (e[1] - 0.3 / 1.2).abs() < 1e-12);
        // FTE per employed: 0.9·1.2/1.5 = 0.72 (FTE per licensed before the cap 0.6·0.9·1.2).
        assert!((h[0] - 0.72).abs() < 1e-12 && (h[1] - 0.8).abs() < 1e-12);
    }
}
