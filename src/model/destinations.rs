//! The required intake by health-care region of education: where each region's graduates go to
//! work, and the split of the national required intake over the regions that closes the counties'
//! gaps best.
//!
//! # Where graduates go
//!
//! The destinations table (`supply.destinations`) counts licences on Swedish education by
//! profession, the health-care region `r` of the university, the county `c` of residence at the
//! licence and the year. For profession `p` and region `r`, the destination shares are
//!
//! ```text
//! M[r, c] = n[r, c] / Σ_c' n[r, c']
//! ```
//!
//! over the profession's licence years up to the base year (its one-off years left out): the
//! latest `inflow_window` of them, widened back a year at a time while the region's licences there
//! are fewer than [`MIN_LICENCES`] (a share of 5 % is then known to about ±2 points).
//!
//! # In the projection
//!
//! Without the table, new Swedish licences settle by one national profile over county, sex and
//! age (the licences of the inflow window), `s_c·q_c[s, a]` with `s_c` the county's share. With
//! it ([`Routing`], a national run, a profession with a programme, a layer's included), the licences
//! of year `t` settle by the graduates behind them, region by region:
//!
//! ```text
//! σ_c(t) = Σ_r G_r(t)·M[r, c] / Σ_r G_r(t),     se[t, c, s, a] = se[t]·σ_c(t)·q_c[s, a]
//! ```
//!
//! where `G_r(t)` are region `r`'s graduates of the years the licence lag reaches back to
//! (observed up to the base year, its completion rate times its beginners after), and `q_c` the
//! county's own sex and age profile over the inflow window (the nation's where the county had
//! none). A region the table has no licence of settles by `s_c`. So a change of one region's
//! admissions moves the counties its graduates settle in, and each observed cohort reaches the
//! counties its own region's graduates went to. The national number of licences is unchanged.
//!
//! # The split
//!
//! A national beginner a year adds `R_c(t)` FTE to county `c` in year `t` (the response the
//! required intake is solved from), settling by the margin `m_c = σ_c` of today's beginners times
//! the regions' completion rates ([`Routing::margin`]). One licence settling in county `c`
//! therefore adds `k_c(t) = R_c(t) / m_c`; a beginner in region `r` graduates at the region's
//! completion rate `c_r` against the nation's `C̄ = Σ_r b_r c_r` (with `b_r` the regions' shares of
//! today's beginners), and settles by `M[r, ·]`:
//!
//! ```text
//! u[r, c](t) = (c_r / C̄) · M[r, c] · k_c(t)
//! ```
//!
//! With the national required intake `A` (the published figure, floored at 0), the regions'
//! beginners `x_r` minimise the counties' squared gaps over the rule's window,
//!
//! ```text
//! min Σ_{t ∈ window} Σ_c (Σ_r x_r u[r, c](t) − g_c(t))²    subject to   Σ_r x_r = A,  x_r ≥ 0,
//! ```
//!
//! where `g_c(t)` is county `c`'s demand minus its supply with no beginners, and only regions with
//! beginners today take part (a region without the programme gets none). A county no region's
//! beginners reach (`m_c = 0`) keeps `u[r, c] = 0`: its gap stays in the sum as it is. The
//! constraint makes the
//! regions add up to the nation's need exactly; the least squares puts the beginners where their
//! graduates settle in the counties short of staff. The problem is small (at most [`MAX_REGIONS`]
//! regions), so it is solved exactly: the equality-constrained least squares with every region
//! free when it is non-negative, else on every set of regions left free, the best solution that
//! is non-negative kept ([`least_squares_normal`]).

use super::ModelError;
use super::inputs::NA;

/// The fewest licences a region's destination shares rest on, widening the years back until
/// reached (or the table's first year).
pub const MIN_LICENCES: f64 = 100.0;

/// The most health-care regions the exact split solves (it tries every subset of them).
pub const MAX_REGIONS: usize = 16;

/// The destinations table on the run's grid: licences by `[year][profession][region][county]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Destinations {
    /// The file the table was read from (for messages).
    pub file: String,
    /// The table's years, ascending.
    pub years: Vec<i32>,
    /// Licences, `[y][p][r][c]`.
    pub counts: Vec<f64>,
    /// Professions, regions and counties of the grid.
    pub np: usize,
    /// Number of health-care regions.
    pub nr: usize,
    /// Number of counties.
    pub nc: usize,
}

/// One region's destination shares and the years they rest on.
#[derive(Clone, Debug, PartialEq)]
pub struct Shares {
    /// `M[r, c]` over the counties (sums to 1).
    pub to_county: Vec<f64>,
    /// First and last licence year used.
    pub years: (i32, i32),
    /// Licences the shares rest on.
    pub licences: f64,
}

impl Destinations {
    fn at(&self, y: usize, p: usize, r: usize, c: usize) -> f64 {
        self.counts[((y * self.np + p) * self.nr + r) * self.nc + c]
    }

    /// Region `r`'s destination shares for profession `p`: the latest `window` years up to
    /// `base` not in `one_off`, widened back until at least [`MIN_LICENCES`]; `None` when the
    /// table has no licence of the region's graduates in any such year.
    pub fn shares(
        &self,
        p: usize,
        r: usize,
        base: i32,
        window: usize,
        one_off: &[i32],
    ) -> Option<Shares> {
        let mut to_county = vec![0.0; self.nc];
        let mut used: Vec<i32> = Vec::new();
        let eligible = (0..self.years.len())
            .rev()
            .filter(|&y| self.years[y] <= base && !one_off.contains(&self.years[y]));
        for y in eligible {
            let total: f64 = to_county.iter().sum();
            if used.len() >= window.max(1) && total >= MIN_LICENCES {
                break;
            }
            for (c, v) in to_county.iter_mut().enumerate() {
                *v += self.at(y, p, r, c);
            }
            used.push(self.years[y]);
        }
        let licences: f64 = to_county.iter().sum();
        if licences <= 0.0 {
            return None;
        }
        to_county.iter_mut().for_each(|v| *v /= licences);
        Some(Shares {
            to_county,
            years: (*used.last()?, *used.first()?),
            licences,
        })
    }
}

/// Where one profession's new Swedish licences settle in the projection: each region's graduates
/// by its destination shares (see the module doc, "In the projection").
#[derive(Clone, Debug, PartialEq)]
pub struct Routing {
    /// Destination shares by region (`None` where the table has none for the region: its
    /// graduates settle by the national profile's county shares).
    pub shares: Vec<Option<Shares>>,
    /// The national profile's county shares `s_c` (sum to 1).
    pub national: Vec<f64>,
    /// Each county's new licences by sex and age, `[c][s][a]` (sums to 1 in every county: the
    /// county's own over the inflow window, the nation's where the county had none).
    pub within: Vec<f64>,
}

impl Routing {
    /// The routing of profession `p` from the destinations table and the national profile of new
    /// Swedish licences `se_profile` (`[c][s][a]`, any positive total): `None` when no region has
    /// destination licences in the years [`Destinations::shares`] takes, or the profile is empty.
    pub fn new(
        d: &Destinations,
        p: usize,
        base: i32,
        window: usize,
        one_off: &[i32],
        se_profile: &[f64],
    ) -> Option<Routing> {
        let per = 2 * NA;
        let nc = se_profile.len() / per;
        let shares: Vec<Option<Shares>> = (0..d.nr)
            .map(|r| d.shares(p, r, base, window, one_off))
            .collect();
        let county: Vec<f64> = (0..nc)
            .map(|c| se_profile[c * per..(c + 1) * per].iter().sum())
            .collect();
        let total: f64 = county.iter().sum();
        if shares.iter().all(Option::is_none) || total <= 0.0 {
            return None;
        }
        let national = county.iter().map(|v| v / total).collect();
        let mut nation = vec![0.0; per];
        for c in 0..nc {
            for (n, v) in nation.iter_mut().zip(&se_profile[c * per..(c + 1) * per]) {
                *n += v;
            }
        }
        nation.iter_mut().for_each(|n| *n /= total);
        let within = (0..nc)
            .flat_map(|c| {
                let own = &se_profile[c * per..(c + 1) * per];
                let sc = county[c];
                own.iter()
                    .zip(&nation)
                    .map(move |(v, n)| if sc > 0.0 { v / sc } else { *n })
            })
            .collect();
        Some(Routing {
            shares,
            national,
            within,
        })
    }

    /// Region `r`'s county shares: its destination shares, or the national profile's.
    pub fn row(&self, r: usize) -> &[f64] {
        self.shares[r]
            .as_ref()
            .map_or(&self.national, |s| &s.to_county)
    }

    /// The county shares of licences on the graduates `by_region` (weights by region; the
    /// national profile's shares when they are all zero).
    ///
    /// # Formula
    ///
    /// `σ_c = Σ_r g_r·M[r, c] / Σ_r g_r`.
    pub fn to_counties(&self, by_region: &[f64]) -> Vec<f64> {
        let total: f64 = by_region.iter().sum();
        if total <= 0.0 {
            return self.national.clone();
        }
        let mut out = vec![0.0; self.national.len()];
        for (r, &g) in by_region.iter().enumerate() {
            if g == 0.0 {
                continue;
            }
            for (o, m) in out.iter_mut().zip(self.row(r)) {
                *o += g / total * m;
            }
        }
        out
    }

    /// Where one more national beginner's licence settles when beginners are split by `today`
    /// and graduate at `completion`: [`Routing::to_counties`] on `today[r]·completion[r]`.
    pub fn margin(&self, today: &[f64], completion: &[f64]) -> Vec<f64> {
        let w: Vec<f64> = today.iter().zip(completion).map(|(b, c)| b * c).collect();
        self.to_counties(&w)
    }
}

/// One profession's county window for the split: by window year and county, demand minus supply
/// with no beginners (`gap`) and the response to one national beginner a year (`response`).
#[derive(Clone, Debug, PartialEq)]
pub struct CountyWindow {
    /// `g_c(t)`, `[t][c]`.
    pub gap: Vec<Vec<f64>>,
    /// `R_c(t)`, `[t][c]`.
    pub response: Vec<Vec<f64>>,
}

/// A profession's required intake in one health-care region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionalIntake {
    /// Index into the run's health-care regions.
    pub region: usize,
    /// The region's beginners in the base year (the last admission year up to it, as a constant
    /// intake splits; see [`crate::model::supply::intake_basis`]).
    pub today: f64,
    /// The region's share of the national required intake by the split.
    pub required: f64,
    /// The national required intake split by today's beginners (the split without destinations).
    pub at_todays_shares: f64,
    /// The region's destination shares (`None` for a region without beginners today).
    pub shares: Option<Shares>,
    /// The share of its graduates' licences that stay in the region's own counties.
    pub stay: Option<f64>,
}

/// What the split of one profession needs besides its county window.
pub struct Split<'a> {
    /// Today's beginners by region.
    pub today: &'a [f64],
    /// Completion rates by region.
    pub completion: &'a [f64],
    /// Where one more national beginner's licence settles, by county (the projection's
    /// [`Routing::margin`]; sums to 1).
    pub per_county: Vec<f64>,
    /// Destination shares by region (`None` where the table has none).
    pub shares: Vec<Option<Shares>>,
    /// The county of each region: `region_of[c]` is the index of county `c`'s region.
    pub region_of: &'a [Option<usize>],
}

/// Splits the national required intake `total` over the regions (see the module's doc).
///
/// # Errors
///
/// [`ModelError::Input`] naming `file` when a region with beginners today has no destination
/// licences in the table, and [`ModelError::Scenario`] beyond [`MAX_REGIONS`] regions.
pub fn split(
    file: &str,
    profession: &str,
    regions: &[String],
    s: &Split<'_>,
    w: &CountyWindow,
    total: f64,
) -> Result<Vec<RegionalIntake>, ModelError> {
    let nr = s.today.len();
    let nc = s.region_of.len();
    let today_sum: f64 = s.today.iter().sum();
    let hosts: Vec<usize> = (0..nr).filter(|&r| s.today[r] > 0.0).collect();
    if hosts.is_empty() {
        // No region has the programme today: nothing to split (the profession has no row).
        return Ok(Vec::new());
    }
    if let Some(&r) = hosts.iter().find(|&&r| s.shares[r].is_none()) {
        return Err(ModelError::Input {
            file: file.into(),
            message: format!(
                "no licence of {profession} on education in health-care region {:?} in any year up to the base year, but the region has {} beginners in the base year; expected the licences its graduates took, by county",
                regions[r], s.today[r]
            ),
        });
    }
    if hosts.len() > MAX_REGIONS {
        return Err(ModelError::Scenario {
            file: "scenario".into(),
            key: "supply.destinations".into(),
            message: format!(
                "{} health-care regions with a programme of {profession}; the split of the required intake solves at most {MAX_REGIONS}",
                hosts.len()
            ),
        });
    }
    let per_county = &s.per_county;
    let weight = host_weights(s.today, s.completion, &hosts);
    // Columns u[r, c](t) over the observations (t, c), for the hosts.
    let rows = w.gap.len() * nc;
    let mut u = vec![vec![0.0; rows]; hosts.len()];
    let mut g = vec![0.0; rows];
    for (t, (gap, resp)) in w.gap.iter().zip(&w.response).enumerate() {
        for c in 0..nc {
            g[t * nc + c] = gap[c];
            let share = per_county.get(c).copied().unwrap_or(0.0);
            let Some(weight) = weight.as_ref().filter(|_| share > 0.0) else {
                continue;
            };
            let k = resp[c] / share;
            for (j, &r) in hosts.iter().enumerate() {
                let m = s.shares[r].as_ref().map_or(0.0, |sh| sh.to_county[c]);
                u[j][t * nc + c] = weight[j] * m * k;
            }
        }
    }
    let x = if total > 0.0 {
        constrained_least_squares(&u, &g, total)
    } else {
        vec![0.0; hosts.len()]
    };
    Ok((0..nr)
        .map(|r| {
            let j = hosts.iter().position(|&h| h == r);
            let shares = s.shares[r].clone().filter(|_| j.is_some());
            let stay = shares.as_ref().map(|sh| {
                (0..nc)
                    .filter(|&c| s.region_of[c] == Some(r))
                    .map(|c| sh.to_county[c])
                    .sum()
            });
            RegionalIntake {
                region: r,
                today: s.today[r],
                required: j.map_or(0.0, |j| x[j]),
                at_todays_shares: if today_sum > 0.0 {
                    total * s.today[r] / today_sum
                } else {
                    0.0
                },
                shares,
                stay,
            }
        })
        .collect())
}

/// Each host region's completion rate over the nation's, `c_r / C̄` with `C̄ = Σ_r b_r c_r` over
/// the hosts (`b_r` their shares of today's beginners `today`): what a beginner in the region
/// yields in licences against one of the nation's. `None` when `C̄ ≤ 0`.
pub fn host_weights(today: &[f64], completion: &[f64], hosts: &[usize]) -> Option<Vec<f64>> {
    let total: f64 = today.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mean: f64 = hosts
        .iter()
        .map(|&r| today[r] / total * completion[r])
        .sum();
    (mean > 0.0).then(|| hosts.iter().map(|&r| completion[r] / mean).collect())
}

/// `argmin ‖U x − g‖²` subject to `Σ x = total` and `x ≥ 0` (`total ≥ 0`), where `u[j]` is column
/// `j` of `U`: [`least_squares_normal`] on `UᵀU` and `Uᵀg`.
pub fn constrained_least_squares(u: &[Vec<f64>], g: &[f64], total: f64) -> Vec<f64> {
    let (gram, ug) = normal_equations(u, g);
    least_squares_normal(&gram, &ug, total)
}

/// `UᵀU` (`n × n`, row by row) and `Uᵀg` of the columns `u[j]`.
pub fn normal_equations(u: &[Vec<f64>], g: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let n = u.len();
    let gram = (0..n * n).map(|k| dot(&u[k / n], &u[k % n])).collect();
    (gram, (0..n).map(|i| dot(&u[i], g)).collect())
}

/// `argmin xᵀG x − 2 bᵀx` (that is `‖U x − g‖²` with `G = UᵀU` given row by row in `gram`,
/// `b = Uᵀg` in `ug`) subject to `Σ x = total` and `x ≥ 0` (`total ≥ 0`), for at most
/// [`MAX_REGIONS`] columns (any beyond them stay 0): the equality-constrained solution with every
/// column free when it is non-negative (no point is better: it is the optimum without the signs'
/// bounds); otherwise that solution on every non-empty set of free columns, the best non-negative
/// one kept (ties to the first found). Columns left out are 0. A set of one column always solves
/// (`x_j = total`), so there is a solution whenever there is a column; with none, the result is
/// empty.
pub fn least_squares_normal(gram: &[f64], ug: &[f64], total: f64) -> Vec<f64> {
    let stride = ug.len();
    let n = stride.min(MAX_REGIONS);
    let objective = |x: &[f64]| {
        (0..n)
            .map(|i| {
                x[i] * ((0..n).map(|j| gram[i * stride + j] * x[j]).sum::<f64>() - 2.0 * ug[i])
            })
            .sum::<f64>()
    };
    let scale = total.abs().max(1.0);
    // The solution on the free columns `set`, when it exists and is non-negative.
    let on = |set: u32| -> Option<Vec<f64>> {
        let mut free = [0usize; MAX_REGIONS];
        let mut m = 0;
        for j in (0..n).filter(|&j| set & (1 << j) != 0) {
            free[m] = j;
            m += 1;
        }
        // KKT system: [UᵀU 1; 1ᵀ 0] [x; λ] = [Uᵀg; total].
        let mut a = [[0.0; MAX_REGIONS + 2]; MAX_REGIONS + 1];
        for i in 0..m {
            for j in 0..m {
                a[i][j] = gram[free[i] * stride + free[j]];
            }
            a[i][m] = 1.0;
            a[i][m + 1] = ug[free[i]];
        }
        a[m][..m].fill(1.0);
        a[m][m + 1] = total;
        let sol = solve(&mut a, m + 1)?;
        if sol[..m].iter().any(|&v| v < -1e-9 * scale) {
            return None;
        }
        let mut x = vec![0.0; stride];
        for i in 0..m {
            x[free[i]] = sol[i].max(0.0);
        }
        Some(x)
    };
    if n == 0 {
        return vec![0.0; stride];
    }
    let all = (1u32 << n) - 1;
    if let Some(x) = on(all) {
        return x;
    }
    let mut best: Option<(f64, Vec<f64>)> = None;
    for set in 1..all {
        let Some(x) = on(set) else { continue };
        let f = objective(&x);
        if best.as_ref().is_none_or(|(b, _)| f < *b) {
            best = Some((f, x));
        }
    }
    best.map_or_else(|| vec![0.0; stride], |(_, x)| x)
}

/// Solves the augmented system in the first `m` rows and `m + 1` columns of `a` by Gaussian
/// elimination with partial pivoting (in place); `None` when it is singular.
fn solve(
    a: &mut [[f64; MAX_REGIONS + 2]; MAX_REGIONS + 1],
    m: usize,
) -> Option<[f64; MAX_REGIONS + 1]> {
    let size = a[..m]
        .iter()
        .flat_map(|r| r[..m].iter())
        .fold(0.0f64, |s, v| s.max(v.abs()));
    for col in 0..m {
        let piv = (col..m).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() <= 1e-12 * size.max(1.0) {
            return None;
        }
        a.swap(col, piv);
        let pivot = a[col];
        for (row, r) in a[..m].iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot[col];
                if f != 0.0 {
                    for (v, p) in r[col..=m].iter_mut().zip(&pivot[col..=m]) {
                        *v -= f * p;
                    }
                }
            }
        }
    }
    let mut x = [0.0; MAX_REGIONS + 1];
    for i in 0..m {
        x[i] = a[i][m] / a[i][i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_by_hand() {
        // Two regions, two counties, one year. Region 0's graduates all settle in county 0,
        // region 1's all in county 1; one beginner adds 1 FTE where it settles. Gaps 30 and 10,
        // total 40: x = (30, 10), exact.
        let u = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
        let x = constrained_least_squares(&u, &[30.0, 10.0], 40.0);
        assert!(
            (x[0] - 30.0).abs() < 1e-9 && (x[1] - 10.0).abs() < 1e-9,
            "{x:?}"
        );
        // Total 20 below the gaps' 40: the squares of the misses are equal at the optimum,
        // x0 − 30 = x1 − 10 with x0 + x1 = 20: x = (20, 0).
        let x = constrained_least_squares(&u, &[30.0, 10.0], 20.0);
        assert!((x[0] - 20.0).abs() < 1e-9 && x[1].abs() < 1e-9, "{x:?}");
        // A surplus in county 1 (gap −10), total 10: unconstrained x0 − 30 = x1 + 10 gives
        // x1 = −15 (x0 = 25); at the bound x1 = 0, x0 = 10 (misses 20² + 10² = 500, against
        // 30² + 20² = 1 300 with x1 = 10 alone).
        let x = constrained_least_squares(&u, &[30.0, -10.0], 10.0);
        assert!((x[0] - 10.0).abs() < 1e-9 && x[1] == 0.0, "{x:?}");
        // Half of region 0's graduates settle in county 1: u0 = (0.5, 0.5), u1 = (0, 1);
        // gaps (10, 30), total 40: x0 = 20 fills county 0 (0.5 · 20 = 10), county 1 gets
        // 10 + x1 = 30 with x1 = 20.
        let u = vec![vec![0.5, 0.5], vec![0.0, 1.0]];
        let x = constrained_least_squares(&u, &[10.0, 30.0], 40.0);
        assert!(
            (x[0] - 20.0).abs() < 1e-9 && (x[1] - 20.0).abs() < 1e-9,
            "{x:?}"
        );
    }

    /// Euclidean projection onto `{x ≥ 0, Σ x = total}` (sort and threshold).
    fn onto_simplex(v: &[f64], total: f64) -> Vec<f64> {
        let mut u = v.to_vec();
        u.sort_by(|a, b| b.total_cmp(a));
        let (mut sum, mut theta) = (0.0, 0.0);
        for (i, &x) in u.iter().enumerate() {
            sum += x;
            let t = (sum - total) / (i + 1) as f64;
            if x - t > 0.0 {
                theta = t;
            }
        }
        v.iter().map(|&x| (x - theta).max(0.0)).collect()
    }

    #[test]
    fn the_exact_split_agrees_with_projected_gradient_descent() {
        // A second method on made-up problems: 2–6 regions, 8 observations, non-negative
        // settle patterns, gaps of either sign. Projected gradient descent on the simplex
        // converges to the same optimum (the problem is convex); the objectives must agree.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..20 {
            let n = 2 + case % 5;
            let rows = 8;
            let u: Vec<Vec<f64>> = (0..n)
                .map(|_| (0..rows).map(|_| next()).collect())
                .collect();
            let g: Vec<f64> = (0..rows).map(|_| 100.0 * (next() - 0.3)).collect();
            let total = 50.0 + 100.0 * next();
            let f = |x: &[f64]| -> f64 {
                (0..rows)
                    .map(|k| ((0..n).map(|j| u[j][k] * x[j]).sum::<f64>() - g[k]).powi(2))
                    .sum()
            };
            let exact = constrained_least_squares(&u, &g, total);
            assert!((exact.iter().sum::<f64>() - total).abs() < 1e-9 * total);
            assert!(exact.iter().all(|&x| x >= 0.0));
            // Step 1/L with L = 2·trace(UᵀU) ≥ the gradient's Lipschitz constant.
            let l: f64 = 2.0 * u.iter().flatten().map(|v| v * v).sum::<f64>();
            let mut x = vec![total / n as f64; n];
            for _ in 0..40_000 {
                let r: Vec<f64> = (0..rows)
                    .map(|k| (0..n).map(|j| u[j][k] * x[j]).sum::<f64>() - g[k])
                    .collect();
                let step: Vec<f64> = (0..n)
                    .map(|j| x[j] - 2.0 * (0..rows).map(|k| u[j][k] * r[k]).sum::<f64>() / l)
                    .collect();
                x = onto_simplex(&step, total);
            }
            let (fe, fg) = (f(&exact), f(&x));
            assert!(
                fe <= fg + 1e-6 * fg.max(1.0),
                "case {case}: exact {fe}, descent {fg}"
            );
            assert!(
                fg - fe <= 1e-4 * fg.max(1.0),
                "case {case}: exact {fe}, descent {fg}"
            );
        }
    }

    #[test]
    fn routing_by_hand() {
        // Two regions, three counties, one year. Region 0's 200 licences: 150, 50, 0; region 1
        // has none. The national profile: county shares 0.5, 0.3, 0.2.
        let d = Destinations {
            file: String::new(),
            years: vec![2023],
            counts: vec![150.0, 50.0, 0.0, 0.0, 0.0, 0.0],
            np: 1,
            nr: 2,
            nc: 3,
        };
        let per = 2 * NA;
        let mut profile = vec![0.0; 3 * per];
        profile[3] = 0.2; // county 0, men, age index 3
        profile[NA + 5] = 0.3; // county 0, women, age index 5
        profile[per + 3] = 0.3; // county 1, men, age index 3
        profile[2 * per + 3] = 0.05; // county 2, men, 3: a sliver
        profile[2 * per + NA + 5] = 0.15; // county 2, women, 5
        let rt = Routing::new(&d, 0, 2023, 1, &[], &profile).expect("routed");
        assert!(rt.shares[1].is_none());
        assert_eq!(rt.row(0), &[0.75, 0.25, 0.0]);
        assert_eq!(rt.row(1), &rt.national[..]);
        for (a, b) in rt.national.iter().zip([0.5, 0.3, 0.2]) {
            assert!((a - b).abs() < 1e-12);
        }
        // Within county 0: men 3 at 0.2/0.5, women 5 at 0.3/0.5.
        assert!((rt.within[3] - 0.4).abs() < 1e-12 && (rt.within[NA + 5] - 0.6).abs() < 1e-12);
        assert!((rt.within[2 * per + NA + 5] - 0.75).abs() < 1e-12);
        // Graduates 30 in region 0 and 10 in region 1: σ = (30·M₀ + 10·s)/40.
        let sigma = rt.to_counties(&[30.0, 10.0]);
        let want = [
            (30.0 * 0.75 + 10.0 * 0.5) / 40.0,
            (30.0 * 0.25 + 10.0 * 0.3) / 40.0,
            (10.0 * 0.2) / 40.0,
        ];
        for (a, b) in sigma.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert_eq!(rt.to_counties(&[0.0, 0.0]), rt.national);
        // The margin: today's beginners 100 and 50 at completion 0.8 and 0.6 → weights 80, 30.
        let m = rt.margin(&[100.0, 50.0], &[0.8, 0.6]);
        assert!((m[0] - (80.0 * 0.75 + 30.0 * 0.5) / 110.0).abs() < 1e-12);
        // A county without licences of its own in the profile takes the nation's sex and age
        // profile: here county 1 (men 3: 0.2 of 0.7 nationally).
        let mut no_own = profile.clone();
        no_own[per + 3] = 0.0;
        let rt2 = Routing::new(&d, 0, 2023, 1, &[], &no_own).expect("routed");
        assert_eq!(rt2.national[1], 0.0);
        assert!((rt2.within[per + 3] - 0.25 / 0.7).abs() < 1e-12);
        assert!((rt2.within[per + NA + 5] - 0.45 / 0.7).abs() < 1e-12);
        // No licence of the profession in the table: no routing.
        let none = Destinations {
            counts: vec![0.0; 6],
            ..d
        };
        assert!(Routing::new(&none, 0, 2023, 1, &[], &profile).is_none());
    }

    #[test]
    fn shares_widen_back_until_enough_licences() {
        // One profession, one region, two counties, years 2019–2023 with 30 licences a year
        // (20 to county 0, 10 to county 1) and 2021 one-off. Window 2: 2023, 2022 (60), then
        // 2020 (90: 2021 skipped), then 2019 (120 ≥ 100).
        let years: Vec<i32> = (2019..=2023).collect();
        let counts: Vec<f64> = years.iter().flat_map(|_| [20.0, 10.0]).collect();
        let d = Destinations {
            file: String::new(),
            years,
            counts,
            np: 1,
            nr: 1,
            nc: 2,
        };
        let s = d.shares(0, 0, 2023, 2, &[2021]).expect("shares");
        assert_eq!(s.years, (2019, 2023));
        assert_eq!(s.licences, 120.0);
        assert!((s.to_county[0] - 2.0 / 3.0).abs() < 1e-12);
        // Base year 2020: 2020, 2019 only (60), all there is.
        let s = d.shares(0, 0, 2020, 2, &[2021]).expect("shares");
        assert_eq!((s.years, s.licences), ((2019, 2020), 60.0));
        assert!(d.shares(0, 0, 2018, 2, &[]).is_none());
    }
}
