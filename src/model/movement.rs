//! Movement between counties as an age-specific flow: each county's deviation from the national
//! exit rates by ten-year age group, shrunk toward none by its precision.
//!
//! The register counts licensed persons by county, so a person who moves from Jämtland to
//! Stockholm leaves Jämtland's stock and enters Stockholm's without a licence being issued: in the
//! cohort identity behind the exit rates (see [`super::supply`]) a move is an exit from one county
//! and a re-entry into another. The national rates pool the counties, where moves cancel. People
//! move mostly at 25–35 and hardly after 50, so one factor per county on the national rates (which
//! peak at retirement) would put the movement at the wrong ages; here each county has an additive
//! deviation per age group, which also carries any other difference in leaving (a county whose
//! staff retire later). A negative deviation is net movement into the county.
//!
//! # Formula
//!
//! For one profession, county `c` and age group `g` (20–29, 30–39, …, 60–69, 70–73; both sexes), over
//! the exit window's year pairs `y`:
//!
//! ```text
//! n_cy   persons at risk (licensed in the county at the group's ages, year y)
//! r_cy   = O_cy − X_cy   observed net exits less the exits expected at the national rates
//! d_c    = Σ_y r_cy / N_c,   N_c = Σ_y n_cy          the county's raw deviation
//! v_c    = φ / N_c                                   its sampling variance
//! φ      = Σ_c Σ_y (r_cy − d_c·n_cy)² / n_cy / Σ_c (k_c − 1)
//! ```
//!
//! `φ` is the dispersion of the yearly figures around each county's own deviation, per person at
//! risk (the variance of a count of moves grows with the persons who could move), pooled over the
//! counties (`k_c` of their year pairs have persons at risk). Without two such year pairs in any
//! county it is `Σ |r_cy| / Σ n_cy` (a count's variance as its size). The spread of the true
//! deviations, `τ²`, is the DerSimonian–Laird moment estimate over the `C` counties with `N_c > 0`,
//! as in [`super::anchor`]: with `w_c = 1/v_c`, `d̄ = Σ w_c d_c / Σ w_c` and
//! `Q = Σ w_c (d_c − d̄)²`,
//!
//! ```text
//! τ² = max(0, (Q − (C − 1)) / (Σ w_c − Σ w_c² / Σ w_c))
//! B_c = τ² / (τ² + v_c)
//! m_c = B_c·d_c + δ,   δ = Σ_c N_c·(1 − B_c)·d_c / Σ_c N_c
//! ```
//!
//! `δ` puts the shrunk deviations back on the window's national total (`Σ N_c·m_c = Σ N_c·d_c`,
//! about 0: the national rates come from the same counts), so that in the window the counties'
//! moves add up to what the nation saw. In the projection, county `c`'s rate at age `a` in a group
//! `g` is `x[s,a] + m_cg` (at most 1); the age the stock leaves at, 74, keeps rate 1. Net moves are
//! reported as a flow of their own (`moved_in`, the persons a county gained; negative where it
//! lost), apart from the exits. They are rates on each county's own stock, so over a projection
//! they need not add up to 0 nationally: the sum is published with them.

use super::inputs::NA;
use serde::{Deserialize, Serialize};

/// How counties' exits differ from the nation's (`supply.county_exits_by`, with
/// `supply.county_exits` on).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CountyExits {
    /// One factor per county on the national rates: its observed over its expected exits.
    Level,
    /// A deviation per county and ten-year age group added to the national rates, shrunk by its
    /// precision (see the module's formula): movement between counties at the ages people move
    /// (the default).
    #[default]
    Age,
}

/// Ages per group. Ten: on both synthetic worlds five-year groups scored worse in
/// `examples/county_moves` (the counties' totals and their age structure: 27 of its 36 figures
/// worse, 6 equal, 3 better by at most 0.01 points), their figures being noisier for about the
/// same information on where people move.
pub const GROUP_WIDTH: usize = 10;

/// Age groups with a deviation: the ages 20–73 (the last age leaves whole).
pub const GROUPS: usize = (NA - 1).div_ceil(GROUP_WIDTH);

/// The group of age index `a` (age `20 + a`), `None` for the last age.
pub fn group_of(a: usize) -> Option<usize> {
    (a < NA - 1).then_some(a / GROUP_WIDTH)
}

/// The first and last age (in years) of group `g`.
pub fn group_ages(g: usize) -> (usize, usize) {
    let lo = 20 + g * GROUP_WIDTH;
    (lo, (lo + GROUP_WIDTH - 1).min(20 + NA - 2))
}

/// One county and age group over the exit window: per year pair, (persons at risk, observed net
/// exits, exits expected at the national rates).
pub type Cell = Vec<(f64, f64, f64)>;

/// The deviations of one profession's counties from the national exit rates, by age group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Movement {
    /// Number of counties.
    pub nc: usize,
    /// The deviation used, `m_cg`, `[c][g]` (added to the national rate; negative: net moves in).
    pub rate: Vec<f64>,
    /// The county's raw deviation `d_c` over the window, `[c][g]` (0 without persons at risk).
    pub raw: Vec<f64>,
    /// The weight `B_c` of the county's own figure, `[c][g]`.
    pub weight: Vec<f64>,
    /// Persons at risk over the window, `N_c`, `[c][g]`.
    pub at_risk: Vec<f64>,
    /// The spread of the true deviations, `τ²`, by group.
    pub tau2: Vec<f64>,
    /// The dispersion of the yearly figures, `φ`, by group.
    pub phi: Vec<f64>,
}

impl Movement {
    /// No deviation anywhere (the national rates in every county, or one factor per county).
    pub fn none(nc: usize) -> Movement {
        Movement {
            nc,
            rate: vec![0.0; nc * GROUPS],
            raw: vec![0.0; nc * GROUPS],
            weight: vec![0.0; nc * GROUPS],
            at_risk: vec![0.0; nc * GROUPS],
            tau2: vec![0.0; GROUPS],
            phi: vec![0.0; GROUPS],
        }
    }

    /// The deviation added to the national exit rate of county `c` at age index `a` (0 at the
    /// last age, and in a movement of no counties).
    pub fn at(&self, c: usize, a: usize) -> f64 {
        match group_of(a) {
            Some(g) if c < self.nc => self.rate[c * GROUPS + g],
            _ => 0.0,
        }
    }

    /// The deviations by single-year age, `[c][a]` (0 at the last age).
    pub fn by_age(&self) -> Vec<f64> {
        (0..self.nc)
            .flat_map(|c| (0..NA).map(move |a| (c, a)))
            .map(|(c, a)| self.at(c, a))
            .collect()
    }

    /// Whether any county deviates.
    pub fn is_none(&self) -> bool {
        self.rate.iter().all(|m| *m == 0.0)
    }
}

/// Each county's figures by age group, `[c][g]`, from the exit window's year pairs: `pairs[y]`
/// holds (persons at risk, net exits) by county, sex and age `[c][s][a]`, `exit` the national
/// rates `[s][a]`. A cell with nobody at risk is left out: persons appearing there are entries the
/// national rates do not count either.
pub fn cells(pairs: &[Vec<(f64, f64)>], exit: &[f64], nc: usize) -> Vec<Vec<Cell>> {
    let mut cells: Vec<Vec<Cell>> = vec![vec![Vec::new(); GROUPS]; nc];
    for pair in pairs {
        for (c, county) in cells.iter_mut().enumerate() {
            let mut sums = [(0.0, 0.0, 0.0); GROUPS];
            for sx in 0..2 {
                for a in 0..NA {
                    let Some(g) = group_of(a) else {
                        continue;
                    };
                    let (at_risk, net) = pair[(c * 2 + sx) * NA + a];
                    if at_risk <= 0.0 {
                        continue;
                    }
                    sums[g].0 += at_risk;
                    sums[g].1 += net;
                    sums[g].2 += at_risk * exit[sx * NA + a];
                }
            }
            for (cell, v) in county.iter_mut().zip(sums) {
                cell.push(v);
            }
        }
    }
    cells
}

/// Estimates the deviations (see the module's formula) from `cells[c][g]`.
pub fn estimate(cells: &[Vec<Cell>]) -> Movement {
    let nc = cells.len();
    let mut out = Movement::none(nc);
    for g in 0..GROUPS {
        let column: Vec<&Cell> = cells.iter().map(|c| &c[g]).collect();
        let group = estimate_group(&column);
        for c in 0..nc {
            let i = c * GROUPS + g;
            out.rate[i] = group.rate[c];
            out.raw[i] = group.raw[c];
            out.weight[i] = group.weight[c];
            out.at_risk[i] = group.at_risk[c];
        }
        out.tau2[g] = group.tau2;
        out.phi[g] = group.phi;
    }
    out
}

/// One age group's figures, by county.
struct Group {
    rate: Vec<f64>,
    raw: Vec<f64>,
    weight: Vec<f64>,
    at_risk: Vec<f64>,
    tau2: f64,
    phi: f64,
}

fn estimate_group(cells: &[&Cell]) -> Group {
    let nc = cells.len();
    let n: Vec<f64> = cells
        .iter()
        .map(|c| c.iter().map(|v| v.0.max(0.0)).sum())
        .collect();
    let r: Vec<f64> = cells
        .iter()
        .map(|c| c.iter().map(|v| v.1 - v.2).sum())
        .collect();
    let raw: Vec<f64> = (0..nc)
        .map(|c| if n[c] > 0.0 { r[c] / n[c] } else { 0.0 })
        .collect();
    let present: Vec<usize> = (0..nc).filter(|&c| n[c] > 0.0).collect();
    let mut out = Group {
        rate: vec![0.0; nc],
        raw: raw.clone(),
        weight: vec![0.0; nc],
        at_risk: n.clone(),
        tau2: 0.0,
        phi: 0.0,
    };
    if present.len() < 2 {
        return out;
    }
    // φ: the yearly figures around each county's own deviation, per person at risk.
    let (mut num, mut df) = (0.0, 0usize);
    for &c in &present {
        let years: Vec<&(f64, f64, f64)> = cells[c].iter().filter(|v| v.0 > 0.0).collect();
        if years.len() < 2 {
            continue;
        }
        for &&(at, o, x) in &years {
            let e = o - x - raw[c] * at;
            num += e * e / at;
        }
        df += years.len() - 1;
    }
    let phi = if df > 0 {
        num / df as f64
    } else {
        present.iter().map(|&c| r[c].abs()).sum::<f64>()
            / present.iter().map(|&c| n[c]).sum::<f64>()
    };
    out.phi = phi;
    // τ² and the weights; with no yearly variation at all each county's figure is taken whole.
    if phi <= 0.0 {
        for &c in &present {
            out.weight[c] = 1.0;
        }
    } else {
        let w: Vec<f64> = present.iter().map(|&c| n[c] / phi).collect();
        let sw: f64 = w.iter().sum();
        let sw2: f64 = w.iter().map(|w| w * w).sum();
        let mean = present
            .iter()
            .zip(&w)
            .map(|(&c, w)| w * raw[c])
            .sum::<f64>()
            / sw;
        let q: f64 = present
            .iter()
            .zip(&w)
            .map(|(&c, w)| w * (raw[c] - mean) * (raw[c] - mean))
            .sum();
        let tau2 = ((q - (present.len() - 1) as f64) / (sw - sw2 / sw)).max(0.0);
        out.tau2 = tau2;
        for &c in &present {
            out.weight[c] = if tau2 > 0.0 {
                tau2 / (tau2 + phi / n[c])
            } else {
                0.0
            };
        }
    }
    // Back on the window's national total.
    let total: f64 = present.iter().map(|&c| n[c]).sum();
    let delta = present
        .iter()
        .map(|&c| n[c] * (1.0 - out.weight[c]) * raw[c])
        .sum::<f64>()
        / total;
    for ((m, b), d) in out.rate.iter_mut().zip(&out.weight).zip(&raw) {
        *m = b * d + delta;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_tile_the_ages_before_the_last() {
        assert_eq!(GROUPS, 6);
        assert_eq!(group_of(0), Some(0));
        assert_eq!(group_of(9), Some(0));
        assert_eq!(group_of(10), Some(1));
        assert_eq!(group_of(NA - 2), Some(5));
        assert_eq!(group_of(NA - 1), None);
        assert_eq!(group_ages(0), (20, 29));
        assert_eq!(group_ages(5), (70, 73));
    }

    #[test]
    fn a_hand_worked_group() {
        // Two counties, two year pairs, 1 000 at risk each year: county 0 loses 100 then 120 net
        // of the national rate (which expects none), county 1 gains them.
        let cells = [
            vec![(1000.0, 100.0, 0.0), (1000.0, 120.0, 0.0)],
            vec![(1000.0, -100.0, 0.0), (1000.0, -120.0, 0.0)],
        ];
        let g = estimate_group(&[&cells[0], &cells[1]]);
        // d = ±220/2000 = ±0.11; yearly residuals ∓10 and ±10: φ = 4·100/1000 / 2 = 0.2.
        assert!((g.raw[0] - 0.11).abs() < 1e-15 && (g.raw[1] + 0.11).abs() < 1e-15);
        assert!((g.phi - 0.2).abs() < 1e-15);
        // v = 0.2/2000 = 1e-4, w = 10 000 each, Q = 2·10 000·0.11² = 242,
        // τ² = (242 − 1)/(20 000 − 10 000) = 0.0241, B = 0.0241/0.0242; δ = 0 by symmetry.
        assert!((g.tau2 - 0.0241).abs() < 1e-12);
        let b = 0.0241 / 0.0242;
        assert!((g.weight[0] - b).abs() < 1e-12 && (g.weight[1] - b).abs() < 1e-12);
        assert!((g.rate[0] - 0.11 * b).abs() < 1e-12);
        assert!((g.rate[1] + 0.11 * b).abs() < 1e-12);
        // An uneven pair: δ puts the shrunk deviations back on the total (Σ N·m = Σ N·d).
        let cells = [
            vec![(3000.0, 300.0, 60.0), (3000.0, 330.0, 60.0)],
            vec![(500.0, 0.0, 10.0), (500.0, 20.0, 10.0)],
            vec![(800.0, -40.0, 16.0), (800.0, -20.0, 16.0)],
        ];
        let g = estimate_group(&[&cells[0], &cells[1], &cells[2]]);
        let n = [6000.0, 1000.0, 1600.0];
        let total: f64 = (0..3).map(|c| n[c] * g.raw[c]).sum();
        let shrunk: f64 = (0..3).map(|c| n[c] * g.rate[c]).sum();
        assert!((total - shrunk).abs() < 1e-9, "{total} {shrunk}");
        assert!(g.weight.iter().all(|&b| (0.0..=1.0).contains(&b)));
    }

    #[test]
    fn one_county_or_none_at_risk_has_no_deviation() {
        let one = vec![vec![vec![(100.0, 5.0, 2.0)]; GROUPS]];
        assert!(estimate(&one).is_none());
        let empty: Vec<Vec<Cell>> = vec![vec![Vec::new(); GROUPS]; 3];
        assert!(estimate(&empty).is_none());
    }
}
