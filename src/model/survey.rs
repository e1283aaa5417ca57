//! The principals' survey: each region's and municipality's (and, where asked, private
//! provider's) assessment of shortage, balance or surplus per profession, as Socialstyrelsen's
//! planning support collects it, summarised per county and for the nation.
//!
//! The survey labels the base year; it does not move demand (base-year demand equals the employed
//! FTE unless a scenario quantifies an imbalance, see `[demand.imbalance]`). What it adds:
//!
//! - **Counts and non-response.** Per profession, county and principal type, the answers per
//!   assessment and the principals that did not answer: one region per county; the county's
//!   municipalities (from the code list); private providers have no register of who was asked, so
//!   their non-response is unknown. A principal type is *asked* about a profession when any county's
//!   principals of that type answered for it; a county without answers is then non-response, never
//!   "balance".
//! - **Weighting.** A share among the principals that answered counts the smallest municipality as
//!   much as Göteborg. The weighted shares give each county's answers the weight of the
//!   profession's employed FTE of that principal type in the county in the base year; within a
//!   county, the municipalities that answered stand for all of its municipalities (non-response at
//!   random within the county, the only assumption counts per county allow). `covered` is the share
//!   of the FTE in counties with at least one answer.
//! - **Today's assessment** of a county or the nation combines the principal types the same way (FTE
//!   weights) and takes the answer with the largest weighted share (a tie goes to balance).
//! - **The horizon judged against today** ([`judge`]): the model's change of balance from the base
//!   year to the horizon moves today's assessment one step (shortage → balance → surplus) when it
//!   exceeds the balance tolerance, SCB's way of reading a projection next to a current assessment.

use super::inputs::Classification;
use crate::codes::CodeLists;

/// An assessment: the survey's three answers, in [`super::inputs::ASSESSMENTS`]' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `brist`.
    Shortage,
    /// `balans`.
    Balance,
    /// `överskott`.
    Surplus,
}

impl Level {
    /// The level at index `i` of [`super::inputs::ASSESSMENTS`].
    pub fn from_index(i: usize) -> Option<Level> {
        [Level::Shortage, Level::Balance, Level::Surplus]
            .get(i)
            .copied()
    }

    /// The model's word (`shortage`, `balance`, `surplus`), as [`super::Projection::label`] gives.
    pub fn word(self) -> &'static str {
        match self {
            Level::Shortage => "shortage",
            Level::Balance => "balance",
            Level::Surplus => "surplus",
        }
    }

    fn step(self, by: i32) -> Level {
        let i = (self as i32 + by).clamp(0, 2);
        Level::from_index(i as usize).unwrap_or(self)
    }
}

/// The answers of one principal type about one profession in one county or the nation.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Answers per assessment (shortage, balance, surplus).
    pub counts: [f64; 3],
    /// Principals that answered.
    pub answered: f64,
    /// Principals asked (regions, municipalities), `None` where no list says who was asked
    /// (private providers) or the type was not asked about the profession.
    pub asked: Option<f64>,
    /// Shares of the answers, each principal counting once (`NaN` without answers).
    pub shares: [f64; 3],
    /// Shares with each county's answers weighted by its base-year FTE (`NaN` without answers or
    /// FTE).
    pub weighted: [f64; 3],
    /// Share of the base-year FTE in counties with answers (`NaN` where there is no FTE).
    pub covered: f64,
}

impl Group {
    /// Principals asked that did not answer (`None` where who was asked is unknown).
    pub fn non_response(&self) -> Option<f64> {
        self.asked.map(|a| (a - self.answered).max(0.0))
    }
}

/// The survey summarised: per profession × principal type, per county and for the nation.
#[derive(Clone, Debug)]
pub struct Survey {
    /// Whether principals of type `k` were asked about profession `p` (`[p][k]`).
    pub asked: Vec<bool>,
    /// Per county, `[p][c][k]`.
    pub counties: Vec<Group>,
    /// The nation, `[p][k]`.
    pub nation: Vec<Group>,
    /// Today's assessment combining the principal types, `[p][c]` and the nation last
    /// (`[p][nc]`); `None` without answers.
    pub today: Vec<Option<Level>>,
    /// The FTE-weighted shares behind `today`, same layout.
    pub today_shares: Vec<[f64; 3]>,
    /// The base-year FTE weights, `[p][c][k]`.
    weights: Vec<f64>,
    grid: (usize, usize, usize),
}

impl Survey {
    /// County `c`'s group for profession `p`, principal type `k`.
    pub fn county(&self, p: usize, c: usize, k: usize) -> &Group {
        let (_, nc, nk) = self.grid;
        &self.counties[(p * nc + c) * nk + k]
    }

    /// The nation's group for profession `p`, principal type `k`.
    pub fn national(&self, p: usize, k: usize) -> &Group {
        &self.nation[p * self.grid.2 + k]
    }

    /// Today's assessment of profession `p` in county `c` (`None`: the nation).
    pub fn today_of(&self, p: usize, c: Option<usize>) -> Option<Level> {
        let nc = self.grid.1;
        self.today[p * (nc + 1) + c.unwrap_or(nc)]
    }

    /// The FTE-weighted shares behind [`Survey::today_of`].
    pub fn today_shares_of(&self, p: usize, c: Option<usize>) -> [f64; 3] {
        let nc = self.grid.1;
        self.today_shares[p * (nc + 1) + c.unwrap_or(nc)]
    }

    /// Today's assessment of profession `p` in a set of counties (their answers of every principal
    /// type weighted by FTE, as for one county): the shares and the answer with the largest share.
    pub fn today_in(&self, p: usize, counties: &[usize]) -> ([f64; 3], Option<Level>) {
        let (_, nc, nk) = self.grid;
        let s = combine(counties.iter().flat_map(|&c| {
            (0..nk).map(move |k| {
                let i = (p * nc + c) * nk + k;
                (
                    self.weights.get(i).copied().unwrap_or(0.0),
                    self.counties[i].shares,
                )
            })
        }));
        (s, plurality(&s))
    }

    /// Whether anybody answered about anything.
    pub fn is_empty(&self) -> bool {
        !self.asked.iter().any(|&a| a)
    }
}

/// The number of principals of sector `code` in county `county` that a survey asks: one region,
/// the county's municipalities; `None` for private providers (or an unknown sector).
pub fn principals(code: &str, county: &str) -> Option<f64> {
    match code {
        "R" => Some(1.0),
        "K" => Some(
            CodeLists::get()
                .municipalities
                .iter()
                .filter(|m| m.county == county)
                .count() as f64,
        ),
        _ => None,
    }
}

fn shares_of(counts: &[f64; 3]) -> [f64; 3] {
    let n: f64 = counts.iter().sum();
    if n > 0.0 {
        counts.map(|x| x / n)
    } else {
        [f64::NAN; 3]
    }
}

/// Combines `(weight, shares)` pairs: the weighted mean of the shares (`NaN` when no pair has a
/// positive weight and answers).
fn combine(parts: impl Iterator<Item = (f64, [f64; 3])>) -> [f64; 3] {
    let mut sum = [0.0; 3];
    let mut w = 0.0;
    for (wi, s) in parts {
        if wi > 0.0 && s[0].is_finite() {
            w += wi;
            for a in 0..3 {
                sum[a] += wi * s[a];
            }
        }
    }
    if w > 0.0 {
        sum.map(|x| x / w)
    } else {
        [f64::NAN; 3]
    }
}

/// The answer with the largest share; a tie goes to balance, then to shortage.
pub fn plurality(shares: &[f64; 3]) -> Option<Level> {
    if !shares[0].is_finite() {
        return None;
    }
    let order = [1, 0, 2];
    let best = order
        .iter()
        .copied()
        .fold(1, |b, a| if shares[a] > shares[b] { a } else { b });
    Level::from_index(best)
}

/// Summarises the survey: `balance` are the answers `[p][c][k][assessment]` (as
/// [`super::inputs::Inputs::balance`]), `fte` the base-year FTE `[p][c][k]`.
pub fn summarise(grid: &Classification, balance: &[f64], fte: &[f64]) -> Survey {
    let (np, nc, nk) = (grid.np(), grid.nc(), grid.nk());
    let counts_at = |p: usize, c: usize, k: usize| -> [f64; 3] {
        let i = ((p * nc + c) * nk + k) * 3;
        match balance.get(i..i + 3) {
            Some(s) => [s[0], s[1], s[2]],
            None => [0.0; 3],
        }
    };
    let fte_at =
        |p: usize, c: usize, k: usize| fte.get((p * nc + c) * nk + k).copied().unwrap_or(0.0);
    let mut asked = vec![false; np * nk];
    for p in 0..np {
        for k in 0..nk {
            asked[p * nk + k] = (0..nc).any(|c| counts_at(p, c, k).iter().sum::<f64>() > 0.0);
        }
    }
    let mut counties = Vec::with_capacity(np * nc * nk);
    let mut nation = Vec::with_capacity(np * nk);
    for p in 0..np {
        for c in 0..nc {
            for k in 0..nk {
                let counts = counts_at(p, c, k);
                let answered: f64 = counts.iter().sum();
                let shares = shares_of(&counts);
                let w = fte_at(p, c, k);
                counties.push(Group {
                    counts,
                    answered,
                    asked: if asked[p * nk + k] {
                        principals(&grid.sectors[k], &grid.counties[c])
                    } else {
                        None
                    },
                    shares,
                    weighted: if w > 0.0 { shares } else { [f64::NAN; 3] },
                    covered: if w > 0.0 {
                        if answered > 0.0 { 1.0 } else { 0.0 }
                    } else {
                        f64::NAN
                    },
                });
            }
        }
        for k in 0..nk {
            let cs = (0..nc).map(|c| &counties[(p * nc + c) * nk + k]);
            let mut counts = [0.0; 3];
            for g in cs.clone() {
                for (t, x) in counts.iter_mut().zip(g.counts) {
                    *t += x;
                }
            }
            let answered = counts.iter().sum();
            let asked_n = if asked[p * nk + k] {
                cs.clone().map(|g| g.asked).sum::<Option<f64>>()
            } else {
                None
            };
            let total_w: f64 = (0..nc).map(|c| fte_at(p, c, k)).sum();
            let covered_w: f64 = (0..nc)
                .filter(|&c| counties[(p * nc + c) * nk + k].answered > 0.0)
                .map(|c| fte_at(p, c, k))
                .sum();
            nation.push(Group {
                counts,
                answered,
                asked: asked_n,
                shares: shares_of(&counts),
                weighted: combine(
                    (0..nc).map(|c| (fte_at(p, c, k), counties[(p * nc + c) * nk + k].shares)),
                ),
                covered: if total_w > 0.0 {
                    covered_w / total_w
                } else {
                    f64::NAN
                },
            });
        }
    }
    let mut survey = Survey {
        asked,
        counties,
        nation,
        today: Vec::with_capacity(np * (nc + 1)),
        today_shares: Vec::with_capacity(np * (nc + 1)),
        weights: (0..np * nc * nk)
            .map(|i| fte.get(i).copied().unwrap_or(0.0))
            .collect(),
        grid: (np, nc, nk),
    };
    let all: Vec<usize> = (0..nc).collect();
    for p in 0..np {
        for c in (0..nc).map(Some).chain(std::iter::once(None)) {
            let (s, l) = c.map_or_else(|| survey.today_in(p, &all), |c| survey.today_in(p, &[c]));
            survey.today_shares.push(s);
            survey.today.push(l);
        }
    }
    survey
}

/// The horizon judged against today (SCB's rule): `change` is the model's change of balance from
/// the base year to the horizon, `(S/D)_horizon − (S/D)_base`; beyond `± tolerance` it moves today's
/// assessment one step toward surplus (supply grows faster than demand) or toward shortage.
pub fn judge(today: Level, change: f64, tolerance: f64) -> Level {
    if change > tolerance {
        today.step(1)
    } else if change < -tolerance {
        today.step(-1)
    } else {
        today
    }
}

/// The change of balance `(S/D)_to − (S/D)_from` (`NaN` where a demand is not positive).
pub fn balance_change(s_from: f64, d_from: f64, s_to: f64, d_to: f64) -> f64 {
    if d_from > 0.0 && d_to > 0.0 {
        s_to / d_to - s_from / d_from
    } else {
        f64::NAN
    }
}
