//! The required intake: the constant number of beginners a year, from `balance.intake_from` on,
//! that brings national supply to demand over a window of years, and what it is made of.
//!
//! # Formula
//!
//! Supply in year `t` is linear in a constant annual intake `A` (every flow of the model is linear
//! in the stock): `S_t(A) = S_t(0) + A · g_t`, where `S_t(0)` is supply with no beginners from
//! `intake_from` on (today's students still graduate) and `g_t` the FTE in year `t` that one
//! beginner a year adds. With demand `D_t`, the rule (`balance.intake_rule`) chooses `A` over the
//! window `W` of `balance.window_years` years ending in `balance.target_year`:
//!
//! | rule | `A` |
//! |---|---|
//! | `target_year` | `(D_T − S_T(0)) / g_T`: exact in the target year alone (a knife-edge: the whole gap lands on the cohorts licensed just before `T`) |
//! | `from_year` | `max_{t∈W} (D_t − S_t(0)) / g_t`: supply at least demand in every year of the window |
//! | `least_squares` (default) | `Σ_W g_t (D_t − S_t(0)) / Σ_W g_t²`: the constant intake closest to demand over the window |
//!
//! Each rule is linear in the differences: `A = Σ_t w_t (D_t − S_t(0))` with weights `w_t`
//! (`1/g_T` at `T`; `1/g_b` at the binding year `b`; `g_t / Σ g²`). Writing
//! `D_t − S_t(0) = (D_t − D_0) + (D_0 − S_0) + (S_0 − S_t(0))` splits `A` exactly into
//!
//! - **expansion** `Σ w_t (D_t − D_0)`: demand growth since the base year `0`;
//! - **gap** `Σ w_t (D_0 − S_0)`: closing the base year's imbalance (left out, with demand
//!   lowered by it in every year, when `balance.close_gap = false`);
//! - **replacement** `Σ w_t (S_0 − S_t(0))`: supply lost to exits from the licence stock and from
//!   employment, net of the graduates already in education and of licences from abroad.
//!
//! A negative `A` (supply above demand without any beginners) is published as 0 with a flag; the
//! unfloored value is kept beside it. The Monte Carlo applies the same rule and floor to every draw.
//!
//! # Substitutable professions
//!
//! Professions the scenario declares substitutable (`balance.substitutable`, e.g. pharmacists and
//! prescriptionists) are solved as one: the group's intake `A_G` is split over its members by fixed
//! shares `σ_m` (their beginners in the base year over the group's), so the group's supply is
//! `Σ_m S^m_t(0) + A_G · Σ_m σ_m g^m_t` and the rule above runs on the group's summed supply and
//! demand. Member `m` is given `σ_m · A_G` and the parts `σ_m ·` the group's; its own gap at that
//! intake is reported beside it. The split keeps today's mix of places: the group's need says how
//! many, not which programme should grow (no agency publishes a substitution model that would).
//!
//! # A largest change a year
//!
//! With `balance.max_change = { CODE = n }` beginners cannot jump to `A` in `intake_from`: the
//! required intake is a path `a_y` that starts from today's beginners `a_today` (the base year's)
//! and moves toward a level `L` by at most `n` a year, then holds it:
//! `a_y = a_today + clamp(L − a_today, −n·k_y, n·k_y)` with `k_y = y − intake_from + 1`. Supply is
//! linear in the beginners of each year, `S_t = S_t(0) + Σ_y G_{t,y} a_y` (`G_{t,y}`: FTE in year `t`
//! per beginner in year `y` alone), so `S_t` is piecewise linear and non-decreasing in `L`, with
//! breaks where a year's clamp starts or stops binding. The level `L` is chosen by the same rule
//! over the same window as the constant intake (least squares: the `L` with the least squared gap;
//! `from_year`: the least `L` with supply at least demand in every window year; `target_year`: the
//! `L` exact in the target year), each solved exactly piece by piece ([`path_level`]).
//!
//! Why this family of paths, not the unconstrained optimum of the rule under the change limit: the
//! optimum under `|a_y − a_{y−1}| ≤ n` overshoots and then cuts places again (to make up for the
//! early cohorts), which is not advice an education authority can act on; "raise by at most `n` a
//! year to `L`, then hold" is a decision, has one number to publish and to band, and without a
//! limit (`n → ∞`) it is the constant intake. `L` is above the constant `A` when intake has to
//! rise (the cohorts that come too slowly are made up for by later ones) and the path reaches `L`
//! in year `intake_from + ⌈|L − a_today| / n⌉ − 1`. When the limit binds all the way (least
//! squares would move further than it allows, or no level meets `from_year` or `target_year`),
//! the level is the one the fastest path reaches in the last year whose beginners reach the
//! window, flagged `fastest`; the gap it leaves is published year by year.

use serde::{Deserialize, Serialize};

/// How the required intake is chosen over the window (`balance.intake_rule`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Supply equals demand in the target year alone.
    TargetYear,
    /// Supply at least demand in every year of the window.
    FromYear,
    /// The constant intake closest to demand over the window (least squares).
    #[default]
    LeastSquares,
}

impl Rule {
    /// The rule's name as written in a scenario.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::TargetYear => "target_year",
            Rule::FromYear => "from_year",
            Rule::LeastSquares => "least_squares",
        }
    }
}

/// National supply and demand in one year of the window, and supply's response to intake.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Year {
    /// Supply with no beginners from `intake_from` on (FTE).
    pub s0: f64,
    /// FTE that one beginner a year from `intake_from` on adds in this year.
    pub slope: f64,
    /// Demand (FTE).
    pub demand: f64,
}

/// Below this response per beginner a year (FTE) a year cannot be reached by intake.
const REACH: f64 = 1e-9;

/// The rule's weights `w_t` over the window (see the module docs): `A = Σ w_t (D_t − S_t(0))`.
/// `None` when intake cannot reach the window (no year responds), or, for `from_year`, when a year
/// that no intake reaches has a shortage.
pub fn weights(rule: Rule, window: &[Year]) -> Option<Vec<f64>> {
    let mut w = vec![0.0; window.len()];
    match rule {
        Rule::TargetYear => {
            let last = window.len().checked_sub(1)?;
            if window[last].slope <= REACH {
                return None;
            }
            w[last] = 1.0 / window[last].slope;
        }
        Rule::FromYear => {
            let mut best: Option<(usize, f64)> = None;
            for (i, y) in window.iter().enumerate() {
                if y.slope <= REACH {
                    if y.demand > y.s0 {
                        return None;
                    }
                    continue;
                }
                let a = (y.demand - y.s0) / y.slope;
                if best.is_none_or(|(_, b)| a > b) {
                    best = Some((i, a));
                }
            }
            let (i, _) = best?;
            w[i] = 1.0 / window[i].slope;
        }
        Rule::LeastSquares => {
            let ss: f64 = window.iter().map(|y| y.slope * y.slope).sum();
            if ss <= REACH * REACH {
                return None;
            }
            for (wi, y) in w.iter_mut().zip(window) {
                *wi = y.slope / ss;
            }
        }
    }
    Some(w)
}

/// The required intake by `rule` (unfloored), or `None` when it cannot be reached.
pub fn solve(rule: Rule, window: &[Year]) -> Option<f64> {
    let w = weights(rule, window)?;
    Some(
        w.iter()
            .zip(window)
            .map(|(w, y)| w * (y.demand - y.s0))
            .sum(),
    )
}

/// What the required intake is made of, in beginners a year: the three parts add up to the
/// unfloored intake.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parts {
    /// Demand growth since the base year.
    pub expansion: f64,
    /// Closing the base year's imbalance (0 when the scenario keeps it).
    pub gap: f64,
    /// Exits, net of the graduates already in education and of licences from abroad.
    pub replacement: f64,
}

impl Parts {
    /// The intake they add up to.
    pub fn total(&self) -> f64 {
        self.expansion + self.gap + self.replacement
    }
}

/// The required intake with its parts, from the window and the base year's national supply `s_base`
/// and demand `d_base`. With `close_gap` false the base year's gap `d_base − s_base` is taken out
/// of demand in every year of the window before solving.
pub fn decompose(
    rule: Rule,
    window: &[Year],
    s_base: f64,
    d_base: f64,
    close_gap: bool,
) -> Option<Parts> {
    let gap0 = if close_gap { d_base - s_base } else { 0.0 };
    let shifted: Vec<Year> = window
        .iter()
        .map(|y| Year {
            demand: y.demand - (d_base - s_base) + gap0,
            ..*y
        })
        .collect();
    let w = weights(rule, &shifted)?;
    let mut p = Parts {
        expansion: 0.0,
        gap: 0.0,
        replacement: 0.0,
    };
    for (w, y) in w.iter().zip(window) {
        p.expansion += w * (y.demand - d_base);
        p.gap += w * gap0;
        p.replacement += w * (s_base - y.s0);
    }
    Some(p)
}

/// One profession in a path solve ([`path_level`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Beginners in the base year: where the path starts.
    pub today: f64,
    /// The largest change of its beginners from one year to the next (`None`: no limit).
    pub max_change: Option<f64>,
    /// Its share of the group's level (1 for a profession alone).
    pub share: f64,
    /// `response[w][y]`: national FTE in window year `w` per beginner in intake year `y` alone
    /// (`y = 0` is `intake_from`).
    pub response: Vec<Vec<f64>>,
}

impl Member {
    /// Beginners in intake year `y` (0 = `intake_from`) on the path toward the group's level
    /// `level`: from today toward `share · level`, by at most `max_change` a year.
    pub fn beginners(&self, level: f64, y: usize) -> f64 {
        let goal = self.share * level;
        match self.max_change {
            None => goal,
            Some(n) => {
                let k = n * (y as f64 + 1.0);
                self.today + (goal - self.today).clamp(-k, k)
            }
        }
    }

    /// The intake year (0 = `intake_from`) from which the path holds `share · level`.
    pub fn reached(&self, level: f64) -> usize {
        match self.max_change {
            None => 0,
            Some(n) => {
                let steps = ((self.share * level - self.today).abs() / n - 1e-9).ceil();
                (steps.max(1.0) - 1.0) as usize
            }
        }
    }

    /// The levels at which one of its years' clamps starts or stops binding, among the intake
    /// years that reach the window.
    fn breaks(&self, out: &mut Vec<f64>) {
        let Some(n) = self.max_change else { return };
        if self.share <= 0.0 {
            return;
        }
        let ny = self.response.first().map_or(0, Vec::len);
        for y in 0..ny {
            if self.response.iter().all(|r| r[y] == 0.0) {
                continue;
            }
            let k = n * (y as f64 + 1.0);
            out.push((self.today - k) / self.share);
            out.push((self.today + k) / self.share);
        }
    }
}

/// The group's response in window year `w` to the level `level`: FTE its members' paths add.
pub fn path_response(members: &[Member], level: f64, w: usize) -> f64 {
    members
        .iter()
        .map(|m| {
            m.response[w]
                .iter()
                .enumerate()
                .map(|(y, g)| g * m.beginners(level, y))
                .sum::<f64>()
        })
        .sum()
}

/// A piece `[lo, hi]` of levels with each window year's affine response `(α_w, β_w)`.
type Piece = (f64, f64, Vec<(f64, f64)>);

/// The level of a path solve: the group's level `L`, and whether the limit binds all the way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    /// The group's level (unfloored): its members move toward `share · level`.
    pub level: f64,
    /// True when the level is the fastest path's (the highest or lowest break): least squares
    /// would move further than the limit allows, or no level meets `from_year` or `target_year`.
    pub fastest: bool,
}

/// The level of the path (see the module docs) that the rule chooses over the window, where
/// `need[w]` is demand less supply without beginners (`D_t − S_t(0)`) in window year `w`. Each
/// piece between two breaks is affine in `L`, so each rule is solved exactly on each piece.
/// `None` when no year of the window responds to the level.
pub fn path_level(rule: Rule, need: &[f64], members: &[Member]) -> Option<Level> {
    let nw = need.len();
    let mut breaks = Vec::new();
    for m in members {
        m.breaks(&mut breaks);
    }
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    // Pieces [lo, hi] with their affine response α_w + β_w L.
    let mut edges: Vec<f64> = vec![f64::NEG_INFINITY];
    edges.extend(&breaks);
    edges.push(f64::INFINITY);
    let pieces: Vec<Piece> = edges
        .windows(2)
        .map(|e| {
            let (lo, hi) = (e[0], e[1]);
            let mid = match (lo.is_finite(), hi.is_finite()) {
                (true, true) => 0.5 * (lo + hi),
                (true, false) => lo + 1.0,
                (false, true) => hi - 1.0,
                (false, false) => 0.0,
            };
            let ab = (0..nw)
                .map(|w| {
                    let beta: f64 = members
                        .iter()
                        .map(|m| {
                            let free = |y: usize| match m.max_change {
                                None => true,
                                Some(n) => (m.share * mid - m.today).abs() < n * (y as f64 + 1.0),
                            };
                            m.response[w]
                                .iter()
                                .enumerate()
                                .filter(|(y, _)| free(*y))
                                .map(|(_, g)| g * m.share)
                                .sum::<f64>()
                        })
                        .sum();
                    (path_response(members, mid, w) - beta * mid, beta)
                })
                .collect();
            (lo, hi, ab)
        })
        .collect();
    if pieces
        .iter()
        .all(|(_, _, ab)| ab.iter().all(|(_, b)| *b <= REACH))
    {
        return None;
    }
    // The least level at which year w's response reaches need[w] (None: never).
    let least = |w: usize| -> Option<f64> {
        pieces.iter().find_map(|(lo, hi, ab)| {
            let (a, b) = ab[w];
            if b <= REACH {
                return (lo.is_finite() && a >= need[w]).then_some(*lo);
            }
            let l = (need[w] - a) / b;
            (l <= *hi).then_some(l.max(*lo))
        })
    };
    // The fastest path: the highest break (or the least when the window needs fewer).
    let top = breaks.last().copied();
    let outer = |l: f64| {
        breaks
            .first()
            .zip(breaks.last())
            .is_some_and(|(lo, hi)| l <= *lo || l >= *hi)
    };
    match rule {
        Rule::TargetYear | Rule::FromYear => {
            let years: Vec<usize> = if rule == Rule::TargetYear {
                vec![nw - 1]
            } else {
                (0..nw).collect()
            };
            let mut level = f64::NEG_INFINITY;
            for w in years {
                match least(w) {
                    Some(l) => level = level.max(l),
                    None => {
                        return Some(Level {
                            level: top?,
                            fastest: true,
                        });
                    }
                }
            }
            if level == f64::NEG_INFINITY {
                level = breaks.first().copied()?;
            }
            Some(Level {
                level,
                fastest: outer(level),
            })
        }
        Rule::LeastSquares => {
            let mut best: Option<(f64, f64)> = None;
            for (lo, hi, ab) in &pieces {
                let (mut num, mut den) = (0.0, 0.0);
                for (w, (a, b)) in ab.iter().enumerate() {
                    num += b * (need[w] - a);
                    den += b * b;
                }
                let l = if den > REACH * REACH {
                    (num / den).clamp(*lo, *hi)
                } else if lo.is_finite() {
                    *lo
                } else {
                    *hi
                };
                if !l.is_finite() {
                    continue;
                }
                let f: f64 = ab
                    .iter()
                    .enumerate()
                    .map(|(w, (a, b))| (need[w] - a - b * l).powi(2))
                    .sum();
                if best.is_none_or(|(_, bf)| f < bf * (1.0 - 1e-12) - 1e-12) {
                    best = Some((l, f));
                }
            }
            best.map(|(level, _)| Level {
                level,
                fastest: outer(level),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s0: f64, slope: f64, demand: f64) -> Year {
        Year { s0, slope, demand }
    }

    #[test]
    fn the_three_rules_by_hand() {
        // Two window years. Year 1: 100 short, 2 FTE per beginner → 50. Year 2: 300 short, 5 → 60.
        let w = [y(900.0, 2.0, 1000.0), y(900.0, 5.0, 1200.0)];
        assert_eq!(solve(Rule::TargetYear, &w), Some(60.0));
        assert_eq!(solve(Rule::FromYear, &w), Some(60.0));
        // Least squares: (2·100 + 5·300) / (4 + 25) = 1700/29.
        let ls = solve(Rule::LeastSquares, &w).unwrap();
        assert!((ls - 1700.0 / 29.0).abs() < 1e-12);
        // from_year binds at the worse year even when it is not the last.
        let w2 = [y(900.0, 2.0, 1200.0), y(900.0, 5.0, 1200.0)];
        assert_eq!(solve(Rule::FromYear, &w2), Some(150.0));
        assert_eq!(solve(Rule::TargetYear, &w2), Some(60.0));
        // A year no intake reaches: fine when it has no shortage, unreachable when it has one.
        let w3 = [y(1000.0, 0.0, 900.0), y(900.0, 5.0, 1200.0)];
        assert_eq!(solve(Rule::FromYear, &w3), Some(60.0));
        let w4 = [y(800.0, 0.0, 900.0), y(900.0, 5.0, 1200.0)];
        assert_eq!(solve(Rule::FromYear, &w4), None);
        assert_eq!(solve(Rule::LeastSquares, &[y(1.0, 0.0, 2.0)]), None);
    }

    #[test]
    fn the_parts_add_up_and_keeping_the_gap_removes_it() {
        // Base year: supply 1000, demand 1050 (a gap of 50).
        // Window: supply without beginners falls to 900 and 850; demand grows to 1150 and 1250.
        let w = [y(900.0, 2.0, 1150.0), y(850.0, 4.0, 1250.0)];
        for rule in [Rule::TargetYear, Rule::FromYear, Rule::LeastSquares] {
            let p = decompose(rule, &w, 1000.0, 1050.0, true).unwrap();
            let a = solve(rule, &w).unwrap();
            assert!((p.total() - a).abs() < 1e-9, "{rule:?}");
        }
        // Target year by hand: expansion (1250−1050)/4 = 50, gap 50/4 = 12.5, replacement
        // (1000−850)/4 = 37.5; in all (1250−850)/4 = 100.
        let p = decompose(Rule::TargetYear, &w, 1000.0, 1050.0, true).unwrap();
        assert_eq!((p.expansion, p.gap, p.replacement), (50.0, 12.5, 37.5));
        let kept = decompose(Rule::TargetYear, &w, 1000.0, 1050.0, false).unwrap();
        assert_eq!(
            (kept.expansion, kept.gap, kept.replacement),
            (50.0, 0.0, 37.5)
        );
    }

    fn member(today: f64, n: Option<f64>, share: f64, response: Vec<Vec<f64>>) -> Member {
        Member {
            today,
            max_change: n,
            share,
            response,
        }
    }

    #[test]
    fn a_path_under_a_largest_change_by_hand() {
        // One window year; a beginner in each of the intake years 0, 1, 2 adds 1 FTE there; 60
        // FTE are needed. Without a limit: 3A = 60, A = 20.
        let m = member(10.0, Some(5.0), 1.0, vec![vec![1.0, 1.0, 1.0]]);
        // From 10 by at most 5 a year: a_0 ≤ 15, a_1 ≤ 20, a_2 ≤ 25. For L in [20, 25] the path
        // is (15, 20, L): 35 + L = 60 gives L = 25, reached in year 2 (⌈15/5⌉ − 1).
        let l = path_level(Rule::TargetYear, &[60.0], std::slice::from_ref(&m)).unwrap();
        assert_eq!(
            l,
            Level {
                level: 25.0,
                fastest: true
            }
        );
        assert_eq!(m.reached(25.0), 2);
        assert_eq!(
            (0..3).map(|y| m.beginners(25.0, y)).collect::<Vec<_>>(),
            vec![15.0, 20.0, 25.0]
        );
        // 25 is the highest break: the limit binds all the way. 61 is more than the fastest path
        // delivers (60): the level is the fastest path's, 25, flagged the same.
        let l = path_level(Rule::TargetYear, &[61.0], std::slice::from_ref(&m)).unwrap();
        assert_eq!(
            l,
            Level {
                level: 25.0,
                fastest: true
            }
        );
        // Downward: 24 needed (8 a year without a limit); from 10 by 5 a year the path is
        // (5, 0, 0) at L ≤ 0 and (L, L, L) for L in [5, 15]: 3L = 24 → L = 8, reached in year 0.
        let l = path_level(Rule::TargetYear, &[24.0], std::slice::from_ref(&m)).unwrap();
        assert!((l.level - 8.0).abs() < 1e-12 && !l.fastest);
        // Without a limit the path is the constant intake.
        let free = member(10.0, None, 1.0, vec![vec![1.0, 1.0, 1.0]]);
        let l = path_level(Rule::TargetYear, &[60.0], &[free]).unwrap();
        assert!((l.level - 20.0).abs() < 1e-12);
    }

    #[test]
    fn least_squares_and_from_year_paths_by_hand() {
        // Two window years: the first sees intake year 0 alone (1 FTE per beginner), the second
        // sees years 0, 1, 2 (1 FTE each); needs 12 and 45. Without a limit the constant is
        // (1·12 + 3·45) / (1 + 9) = 14.7.
        let r = vec![vec![1.0, 0.0, 0.0], vec![1.0, 1.0, 1.0]];
        let free = member(5.0, None, 1.0, r.clone());
        let l = path_level(Rule::LeastSquares, &[12.0, 45.0], &[free]).unwrap();
        assert!((l.level - 14.7).abs() < 1e-12);
        // From 5 by at most 5 a year (a_0 ≤ 10, a_1 ≤ 15, a_2 ≤ 20), piece by piece:
        //   L ∈ [0, 10]:  (L, L, L), best at 10: (12 − 10)² + (45 − 30)² = 229;
        //   L ∈ [10, 15]: (10, L, L), 10 + 2L → L = 17.5, clamped to 15: 2² + 5² = 29;
        //   L ∈ [15, 20]: (10, 15, L), 25 + L → L = 20: 2² + 0² = 4;
        //   L ≥ 20:       (10, 15, 20), 4 as well: the least such level, 20, is kept.
        let m = member(5.0, Some(5.0), 1.0, r.clone());
        let l = path_level(Rule::LeastSquares, &[12.0, 45.0], std::slice::from_ref(&m)).unwrap();
        assert!((l.level - 20.0).abs() < 1e-12 && l.fastest, "{l:?}");
        assert_eq!(m.reached(20.0), 2);
        assert!((path_response(std::slice::from_ref(&m), 20.0, 1) - 45.0).abs() < 1e-12);
        // from_year: the first year needs a_0 ≥ 12 but a_0 ≤ 10: no level meets it; the fastest
        // path's level is 20 (5 + 3·5), flagged.
        let l = path_level(Rule::FromYear, &[12.0, 45.0], std::slice::from_ref(&m)).unwrap();
        assert_eq!(
            l,
            Level {
                level: 20.0,
                fastest: true
            }
        );
        // Needs 8 and 40: a_0 ≥ 8 holds from L = 8; 40 = 25 + L at L = 15 (piece [15, 20]):
        // the binding year is the second, L = 15.
        let l = path_level(Rule::FromYear, &[8.0, 40.0], &[m]).unwrap();
        assert!((l.level - 15.0).abs() < 1e-12 && !l.fastest, "{l:?}");
    }

    #[test]
    fn a_group_shares_its_level() {
        // Two members, 30 and 10 beginners today (shares 0.75 and 0.25); one window year where a
        // beginner of the first adds 2 FTE, of the second 4. The group needs 500 FTE:
        // A_G (0.75·2 + 0.25·4) = 2.5 A_G = 500 → A_G = 200: 150 and 50 beginners.
        let a = member(30.0, None, 0.75, vec![vec![2.0]]);
        let b = member(10.0, None, 0.25, vec![vec![4.0]]);
        let l = path_level(Rule::TargetYear, &[500.0], &[a.clone(), b.clone()]).unwrap();
        assert!((l.level - 200.0).abs() < 1e-12);
        assert_eq!(
            (a.beginners(l.level, 0), b.beginners(l.level, 0)),
            (150.0, 50.0)
        );
        // The constant rule on the group's sums agrees: slope 0.75·2 + 0.25·4.
        let g = solve(Rule::TargetYear, &[y(1000.0, 2.5, 1500.0)]).unwrap();
        assert!((g - 200.0).abs() < 1e-12);
    }
}
