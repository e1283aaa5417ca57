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
}
