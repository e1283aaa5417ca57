//! Specialty groups within a specialist layer, with specialist training (ST) as their pipeline.
//!
//! The specialists table (`supply.specialists`: specialists by specialty group, county, sex, age
//! and year) divides a layer — specialist physicians, `SPL` — into the groups of
//! `data/codes/specialties.csv`; the ST starts (`supply.st_starts`: starts by group, health-care
//! region and year) say which groups the coming certificates fall in. The layer's own projection
//! ([`super::supply::project_with`]) stays what it is: how many physicians certify each year and
//! how many specialists stay. This module divides it.
//!
//! # The projection by group
//!
//! With `L[t, j]` the layer's persons in cell `j = (c, s, a)`, `I_SE`, `I_EU`, `I_TC` its
//! certificates (inflows) and `carried = max(0, L[t, j] − I[t, j])` the persons carried from the
//! cell a year younger a year before:
//!
//! ```text
//! ρ[t, j]     = carried[t, j] / L[t − 1, j − 1]            (0 where that cell is empty)
//! G_g[b, j]   = L[b, j] · n_g[b, j] / Σ_h n_h[b, j]         the table's shares in the base year
//! G_g[t, j]   = ρ[t, j] · G_g[t − 1, j − 1]
//!             + f[t, j] · (I_SE[t, j] · w_g[t, r(c), s] + (I_EU + I_TC)[t, j] · μ_g[s, a])
//! w_g[t, r, s] ∝ ST_g[t − D_g, r] · τ_g[s]                  (normalised over the groups)
//! ```
//!
//! `f = min(1, L / I)` where the bound within the parent cut the cell below its inflow. So
//! `Σ_g G_g[t, j] = L[t, j]` in every cell and year: each group is within its layer, and the layer
//! within its parent, by construction. `D_g` is the group's training length (`training_years`,
//! rounded to whole years), `ST` the starts — observed up to the table's last year, then the mean
//! of the last `supply.st_starts_window` years times `supply.st_starts_change` — and `τ_g[s]` the
//! group's tilt by sex among the base year's specialists under 45 (a group with more men among its
//! young specialists certifies more men). Without ST starts, `w_g` is the base year's composition of
//! the specialists under 45 by sex. Foreign-trained specialists take the base year's national
//! composition of their sex and age (`μ_g[s, a]`). A cell the table has no specialists in takes the
//! national composition of its sex and age, then the nation's.
//!
//! # Demand by group
//!
//! Base-year balance (SCB's rule: demand equals today's specialists), then the layer's demand
//! growth in the county with its demographic part replaced by the group's service area's
//! ([`super::services`]; `service` in the code list: general practice follows primary care,
//! psychiatry psychiatry, the others specialised somatic care):
//! `D_g[t, c] = G_g[b, c] · (D[t, c] / D[b, c]) · (I_svc(g)[t, c] / I[t, c])`, with `D` the layer's
//! demanded FTE and `I` its FTE-weighted demographic index. Without demand by service area the last
//! factor is 1.
//!
//! # Required ST starts
//!
//! Per group and health-care region (national runs with ST starts): the constant number of ST
//! starts a year from `balance.intake_from` that brings the group's specialists in the region to its
//! demand over the balance window by `balance.intake_rule` ([`super::intake::decompose`]). Supply
//! without new starts `S0[t]` carries the base year's specialists and the certificates of the
//! starts made before `intake_from` (`q · ST`); one start a year more adds `q` certificates a year
//! from `intake_from + D_g`, placed over the region's counties, sexes and ages as the layer's
//! projected Swedish certificates of that year (tilted by `τ_g`) and carried with `ρ`. `q` is the
//! share of ST starts that end in a certificate: the layer's Swedish certificates over the starts
//! `D_g` years before, over the last [`COMPLETION_YEARS`] years both tables cover. The figure is
//! floored at zero (flagged), and the nation's is the sum of its regions'.

use super::ModelError;
use super::demand::DemandPath;
use super::inputs::{Inputs, NA};
use super::intake::{self, Parts, Year};
use super::scenario::Scenario;
use super::supply::Trajectory;
use crate::codes::Specialty;

/// Years of Swedish certificates and lagged ST starts the completion share is estimated from.
pub const COMPLETION_YEARS: usize = 5;

/// Ages under this are the "young" specialists whose composition by sex tilts new certificates.
const YOUNG_BELOW: u32 = 45;

/// The specialists table and the ST starts, gathered onto a run's grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// The specialists table's file.
    pub file: String,
    /// The ST starts table's file, when the scenario names one.
    pub st_file: Option<String>,
    /// The layer the groups divide (its index among the run's professions).
    pub layer: usize,
    /// The groups, in the code list's order (those of the layer).
    pub groups: Vec<Specialty>,
    /// Years of the specialists table (ascending).
    pub years: Vec<i32>,
    /// Specialists, `[year][group][c][s][a]` over single workforce ages (a table in age bands is
    /// ungrouped to single years on reading).
    pub counts: Vec<f64>,
    /// Years of the ST starts (ascending; empty without the table).
    pub st_years: Vec<i32>,
    /// ST starts, `[year][group][health-care region]` over [`Inputs::hc_regions`].
    pub starts: Vec<f64>,
}

/// The projection by specialty group.
#[derive(Clone, Debug, PartialEq)]
pub struct Specialties {
    /// The layer divided (its index among the run's professions).
    pub layer: usize,
    /// The groups.
    pub groups: Vec<Specialty>,
    /// The specialists table's year the base-year composition is taken from (the latest up to the
    /// base year).
    pub table_year: i32,
    /// Years, the base year to the horizon (the layer's path's).
    pub years: Vec<i32>,
    /// Specialists, `[year][group][c][s][a]`: they add up to the layer's cells.
    pub cells: Vec<f64>,
    /// Demand (persons), `[year][group][c]`.
    pub demand: Vec<f64>,
    /// Swedish certificates, `[year][group][c]` (0 in the base year).
    pub certificates: Vec<f64>,
    /// Years of the ST starts series, its first observed year to the horizon (empty without ST
    /// starts).
    pub st_years: Vec<i32>,
    /// Whether each year of `st_years` is observed (the table's, up to the base year); the
    /// others are assumed.
    pub st_observed: Vec<bool>,
    /// ST starts, `[st year][group][health-care region]`.
    pub starts: Vec<f64>,
    /// Persons in ST, `[year][group][health-care region]`: the starts of the last `D_g` years
    /// (NaN where the series does not reach back that far).
    pub in_training: Vec<f64>,
    /// The share of ST starts that end in a certificate and the certificate years it rests on.
    pub completion: Option<(f64, Vec<i32>)>,
    /// Required ST starts per group and health-care region, then per group for the nation (national
    /// runs with ST starts; empty otherwise).
    pub required: Vec<RequiredSt>,
}

/// The ST starts a group needs in one health-care region (or the nation).
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredSt {
    /// The group's index in [`Specialties::groups`].
    pub group: usize,
    /// The health-care region's index in [`Inputs::hc_regions`]; `None` for the nation.
    pub region: Option<usize>,
    /// ST starts today: the mean of the last `supply.st_starts_window` observed years.
    pub today: f64,
    /// Required starts a year from `balance.intake_from`, floored at 0; `None` when no number of
    /// starts reaches the window.
    pub required: Option<f64>,
    /// The rule's value before the floor.
    pub unfloored: Option<f64>,
    /// Replacement, expansion and gap (see [`super::intake::Parts`]).
    pub parts: Option<Parts>,
    /// Specialists in the target year without new starts from `intake_from`.
    pub supply_without: f64,
    /// Demand in the target year.
    pub demand: f64,
    /// The rule's value (before the floor) with the target in each year of the balance window
    /// alone (`intake_rule = "target_year"` for that year), as [`super::RequiredIntake`] has it.
    pub by_target_year: Vec<(i32, Option<f64>)>,
    /// The rule's value (before the floor) with the base year's demand set to its specialists
    /// times `1 + i`, for each `i` of [`super::IMBALANCE_SENSITIVITY`] (the same share on
    /// demand in every year).
    pub by_imbalance: Vec<(f64, Option<f64>)>,
}

impl RequiredSt {
    /// Whether the rule's value was below zero and the published figure is 0.
    pub fn floored(&self) -> bool {
        self.unfloored.is_some_and(|u| u < 0.0)
    }
}

impl Specialties {
    /// Number of groups.
    pub fn ng(&self) -> usize {
        self.groups.len()
    }

    /// Specialists of group `g` in county `c` in year index `ti`.
    pub fn county(&self, ti: usize, g: usize, c: usize, nc: usize) -> f64 {
        let per = nc * 2 * NA;
        let at = (ti * self.ng() + g) * per + c * 2 * NA;
        self.cells[at..at + 2 * NA].iter().sum()
    }
}

/// Per cell of a layer's path: the share of the cell a year younger a year before that is carried
/// into it (`ρ`), and the factor on the year's inflows (`f`, below 1 where the bound cut the cell
/// below them), `[year][c][s][a]` (year 0, the base year, unused).
fn retention(path: &Trajectory, per: usize) -> (Vec<f64>, Vec<f64>) {
    let ny = path.years.len();
    let mut rho = vec![0.0; ny * per];
    let mut f = vec![1.0; ny * per];
    for ti in 1..ny {
        for j in 0..per {
            let at = ti * per + j;
            let inflow = path.inflow[0][at] + path.inflow[1][at] + path.inflow[2][at];
            let l = path.licensed[at];
            let prev = if j % NA == 0 {
                0.0
            } else {
                path.licensed[(ti - 1) * per + j - 1]
            };
            if prev > 0.0 {
                rho[at] = (l - inflow).max(0.0) / prev;
            }
            if inflow > l && inflow > 0.0 {
                f[at] = l.max(0.0) / inflow;
            }
        }
    }
    (rho, f)
}

/// Carries a cell array one year on: `out[j] = ρ[t, j] · x[j − 1]` (nothing at the youngest age).
fn carry(x: &[f64], rho: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|j| if j % NA == 0 { 0.0 } else { rho[j] * x[j - 1] })
        .collect()
}

/// Normalises `v` to shares (unchanged when it sums to zero).
fn shares(v: &mut [f64]) -> bool {
    let t: f64 = v.iter().sum();
    if t > 0.0 {
        v.iter_mut().for_each(|x| *x /= t);
    }
    t > 0.0
}

/// What the base-year table says: the composition per cell, by sex and age nationally, overall,
/// and the tilt by sex of the young.
struct Composition {
    /// `[g][c][s][a]` shares (NaN where the cell has no specialists).
    cell: Vec<f64>,
    /// Cells of one group (`c × s × a`).
    per: usize,
    /// `[g][s][a]` national shares by sex and age.
    national: Vec<f64>,
    /// `[g]` overall.
    overall: Vec<f64>,
    /// `[g][s]`: the group's share among the young of sex `s` over its share among all the young.
    tilt: Vec<[f64; 2]>,
    /// `[g]`: the group's share among the young.
    young: Vec<f64>,
}

impl Composition {
    fn of(input: &Input, yi: usize, nc: usize) -> Composition {
        let ng = input.groups.len();
        let per = nc * 2 * NA;
        let n = |g: usize, j: usize| input.counts[(yi * ng + g) * per + j];
        let mut cell = vec![f64::NAN; ng * per];
        for j in 0..per {
            let mut v: Vec<f64> = (0..ng).map(|g| n(g, j)).collect();
            if shares(&mut v) {
                for (g, x) in v.into_iter().enumerate() {
                    cell[g * per + j] = x;
                }
            }
        }
        let nk = 2 * NA;
        let mut national = vec![0.0; ng * nk];
        let mut overall = vec![0.0; ng];
        let mut young = vec![[0.0; 2]; ng];
        for g in 0..ng {
            for c in 0..nc {
                for k in 0..nk {
                    let x = n(g, c * nk + k);
                    national[g * nk + k] += x;
                    overall[g] += x;
                    if ((k % NA) as u32) + super::inputs::AGE_MIN < YOUNG_BELOW {
                        young[g][k / NA] += x;
                    }
                }
            }
        }
        for k in 0..nk {
            let mut v: Vec<f64> = (0..ng).map(|g| national[g * nk + k]).collect();
            shares(&mut v);
            for (g, x) in v.into_iter().enumerate() {
                national[g * nk + k] = x;
            }
        }
        shares(&mut overall);
        let by_sex: [f64; 2] = [0, 1].map(|s| (0..ng).map(|g| young[g][s]).sum());
        let all: f64 = by_sex.iter().sum();
        let young_share: Vec<f64> = (0..ng)
            .map(|g| {
                if all > 0.0 {
                    (young[g][0] + young[g][1]) / all
                } else {
                    overall[g]
                }
            })
            .collect();
        let tilt = (0..ng)
            .map(|g| {
                [0, 1].map(|s| {
                    if by_sex[s] > 0.0 && young_share[g] > 0.0 {
                        young[g][s] / by_sex[s] / young_share[g]
                    } else {
                        1.0
                    }
                })
            })
            .collect();
        Composition {
            cell,
            per,
            national,
            overall,
            tilt,
            young: young_share,
        }
    }

    /// The composition of cell `j` (`k` its sex-and-age index): its own, else the nation's for its
    /// sex and age, else the nation's.
    fn at(&self, g: usize, j: usize, k: usize) -> f64 {
        let own = self.cell[g * self.per + j];
        if own.is_nan() {
            self.national_at(g, k)
        } else {
            own
        }
    }

    /// The nation's composition for sex-and-age index `k`, else the nation's overall.
    fn national_at(&self, g: usize, k: usize) -> f64 {
        let ng = self.overall.len();
        let nk = 2 * NA;
        if (0..ng).any(|h| self.national[h * nk + k] > 0.0) {
            self.national[g * nk + k]
        } else {
            self.overall[g]
        }
    }
}

/// The ST starts series from the table's first year to the horizon, `[year][g][r]`, and whether
/// each year is observed: the table's years up to the base year (a run from an earlier base year,
/// a backtest, does not see later starts); every other year the mean of the last `window` observed
/// years, times the group's change after the base year.
fn starts_series(input: &Input, sc: &Scenario, nr: usize) -> (Vec<i32>, Vec<f64>, Vec<bool>) {
    let ng = input.groups.len();
    let block = ng * nr;
    let observed: Vec<usize> = (0..input.st_years.len())
        .filter(|&i| input.st_years[i] <= sc.base_year)
        .collect();
    let (Some(&i0), Some(&i1)) = (observed.first(), observed.last()) else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let years: Vec<i32> = (input.st_years[i0]..=sc.horizon.max(input.st_years[i1])).collect();
    let window = (sc.supply.st_starts_window.max(1) as usize).min(observed.len());
    let recent = &observed[observed.len() - window..];
    let mut out = vec![0.0; years.len() * block];
    let mut seen = vec![false; years.len()];
    for (yi, &y) in years.iter().enumerate() {
        let at = observed.iter().copied().find(|&i| input.st_years[i] == y);
        seen[yi] = at.is_some();
        for g in 0..ng {
            for r in 0..nr {
                let v = match at {
                    Some(oi) => input.starts[oi * block + g * nr + r],
                    None => {
                        let mean = recent
                            .iter()
                            .map(|&oi| input.starts[oi * block + g * nr + r])
                            .sum::<f64>()
                            / window as f64;
                        if y > sc.base_year {
                            mean * sc.supply.st_change(&input.groups[g].code)
                        } else {
                            mean
                        }
                    }
                };
                out[yi * block + g * nr + r] = v;
            }
        }
    }
    (years, out, seen)
}

/// The training length of a group in whole years.
fn lag(s: &Specialty) -> i32 {
    s.training_years.round().max(0.0) as i32
}

/// The Swedish certificates the ST starts make, for the layer they feed (`supply.layer_feed =
/// "st"`, [`super::supply::LayerFeed::St`]).
#[derive(Clone, Debug, PartialEq)]
pub struct StFeed {
    /// The share of ST starts that end in a certificate (see [`Specialties::completion`]).
    pub q: f64,
    /// The certificate years the share rests on.
    pub q_years: Vec<i32>,
    /// Years the certificates are given for: the year after the base year to the horizon.
    pub years: Vec<i32>,
    /// Certificates, `[year][health-care region]`: `q·Σ_g ST_g[t − D_g, r]`.
    pub totals: Vec<f64>,
    /// Each county's health-care region (index among [`Inputs::hc_regions`]).
    pub regions: Vec<Option<usize>>,
}

impl StFeed {
    /// Number of health-care regions.
    fn nr(&self) -> usize {
        self.totals.len() / self.years.len().max(1)
    }

    /// The certificates of year `t` in region `r` (`None` outside [`StFeed::years`]).
    pub fn total(&self, t: i32, r: usize) -> Option<f64> {
        let ti = self.years.iter().position(|&y| y == t)?;
        self.totals.get(ti * self.nr() + r).copied()
    }

    /// The factor on each county's certificates by the rate in year `t` (`by_rate`, by county):
    /// its region's certificates from the starts over the region's by the rate; 1 where the
    /// region's rate certifies no one, the county has no region, or `t` is not a feed year.
    pub fn scale(&self, t: i32, by_rate: &[f64]) -> Vec<f64> {
        let nr = self.nr();
        let mut sum = vec![0.0; nr];
        for (x, r) in by_rate.iter().zip(&self.regions) {
            if let Some(r) = r {
                sum[*r] += x;
            }
        }
        self.regions
            .iter()
            .map(|r| match (r, r.and_then(|r| self.total(t, r))) {
                (Some(r), Some(total)) if sum[*r] > 0.0 => total / sum[*r],
                _ => 1.0,
            })
            .collect()
    }
}

/// The certificates the ST starts make for layer `p` (`supply.layer_feed = "st"`): `None` when
/// the specialists table divides another layer (that one is fed by the rate).
///
/// # Errors
///
/// [`ModelError::Scenario`] without a specialists table and ST starts, in a run that holds part
/// of a health-care region (the starts are the whole region's), without a completion share (no
/// certificate year whose starts the table has), or when the starts do not reach back a training
/// length before the first projected year.
pub fn st_feed(inp: &Inputs, sc: &Scenario, p: usize) -> Result<Option<StFeed>, ModelError> {
    let layer = &inp.grid.professions[p];
    let err = |key: &str, message: String| ModelError::Scenario {
        file: "scenario".into(),
        key: key.into(),
        message,
    };
    if inp.specialists.is_empty() {
        return Err(err(
            "supply.layer_feed",
            format!(
                "\"st\" certifies {layer} from the specialist-training starts, and this run has no specialists table and ST starts to take them from; name supply.specialists and supply.st_starts (the embedded ones describe only the embedded register), or use \"rate\""
            ),
        ));
    }
    let Some(input) = inp.specialists.iter().find(|s| s.layer == p) else {
        return Ok(None);
    };
    let st_file = input.st_file.clone().unwrap_or_default();
    let nr = inp.hc_regions.len();
    let lists = crate::codes::CodeLists::get();
    for code in &inp.hc_regions {
        let all: Vec<&str> = lists
            .counties
            .iter()
            .filter(|c| c.healthcare_region == *code)
            .map(|c| c.code.as_str())
            .collect();
        let held = all
            .iter()
            .filter(|c| inp.grid.counties.iter().any(|x| x == *c))
            .count();
        if held < all.len() {
            return Err(err(
                "supply.layer_feed",
                format!(
                    "\"st\" places each health-care region's certificates from its ST starts over its counties, and this run holds {held} of the {} counties of region {code}; scope the run to whole health-care regions, or use \"rate\"",
                    all.len()
                ),
            ));
        }
    }
    let (st_years, starts, st_observed) = starts_series(input, sc, nr);
    if st_years.is_empty() {
        return Err(err(
            "supply.st_starts",
            format!(
                "\"st\" (supply.layer_feed) needs ST starts up to the base year {}; {} has {}",
                sc.base_year,
                if st_file.is_empty() {
                    "the run"
                } else {
                    &st_file
                },
                super::years_text(&input.st_years)
            ),
        ));
    }
    let Some((q, q_years)) =
        completion(inp, input, (&st_years, &starts, &st_observed), sc.base_year)
    else {
        return Err(err(
            "supply.st_starts",
            format!(
                "\"st\" (supply.layer_feed) needs the share of ST starts that end in a certificate: {layer}'s Swedish certificates over the starts a training length before, in a register year up to {}; {st_file} and the register share no such year (starts {}–{}, register {:?})",
                sc.base_year,
                st_years[0],
                st_years[st_years.len() - 1],
                inp.licence_years
            ),
        ));
    };
    let ng = input.groups.len();
    let years: Vec<i32> = (sc.base_year + 1..=sc.horizon).collect();
    let mut totals = vec![0.0; years.len() * nr];
    for (ti, &t) in years.iter().enumerate() {
        for (gi, group) in input.groups.iter().enumerate() {
            let from = t - lag(group);
            let Some(i) = st_years.iter().position(|&y| y == from) else {
                return Err(err(
                    "supply.st_starts",
                    format!(
                        "\"st\" (supply.layer_feed) certifies {t}'s {} specialists from the ST starts of {from} ({} years of training), and {st_file} begins in {}; expected starts from {} on",
                        group.code,
                        lag(group),
                        st_years[0],
                        sc.base_year + 1 - lag(group)
                    ),
                ));
            };
            for r in 0..nr {
                totals[ti * nr + r] += q * starts[(i * ng + gi) * nr + r];
            }
        }
    }
    Ok(Some(StFeed {
        q,
        q_years,
        years,
        totals,
        regions: inp.county_regions(),
    }))
}

/// Divides the layer's path over the groups, with their demand, persons in training and, in a
/// national run with ST starts, the required ST starts (see the module docs).
///
/// # Errors
///
/// [`ModelError::Input`] when the specialists table has no year up to the base year.
pub fn project(
    inp: &Inputs,
    sc: &Scenario,
    input: &Input,
    path: &Trajectory,
    demand: &DemandPath,
    whole: bool,
) -> Result<Specialties, ModelError> {
    let g = &inp.grid;
    let (nc, nk, np) = (g.nc(), g.nk(), g.np());
    let per = nc * 2 * NA;
    let ng = input.groups.len();
    let nr = inp.hc_regions.len();
    let Some(yi) = input.years.iter().rposition(|&y| y <= sc.base_year) else {
        return Err(ModelError::Input {
            file: input.file.clone(),
            message: format!(
                "no year up to the base year {} (supply.specialists); the table has {}; expected the base year's specialists by group, or an earlier year's",
                sc.base_year,
                super::years_text(&input.years)
            ),
        });
    };
    let comp = Composition::of(input, yi, nc);
    let (rho, f) = retention(path, per);
    let regions = inp.county_regions();
    let (st_years, starts, st_observed) = starts_series(input, sc, nr);
    let start = |y: i32, gi: usize, r: usize| -> Option<f64> {
        let i = st_years.iter().position(|&x| x == y)?;
        Some(starts[(i * ng + gi) * nr + r])
    };
    // The groups' weights among the year's Swedish certificates in region `r` (before the tilt):
    // the starts a training length before, where the series has them for every group, else the
    // base year's composition of the young.
    let weights = |y: i32, r: Option<usize>| -> Vec<f64> {
        r.and_then(|r| {
            (0..ng)
                .map(|gi| start(y - lag(&input.groups[gi]), gi, r))
                .collect::<Option<Vec<f64>>>()
        })
        .unwrap_or_else(|| comp.young.clone())
    };
    let years = path.years.clone();
    let ny = years.len();
    let mut cells = vec![0.0; ny * ng * per];
    let mut certificates = vec![0.0; ny * ng * nc];
    for j in 0..per {
        let k = j % (2 * NA);
        for gi in 0..ng {
            cells[gi * per + j] = path.licensed[j] * comp.at(gi, j, k);
        }
    }
    for (ti, &t) in years.iter().enumerate().skip(1) {
        for c in 0..nc {
            let base = weights(t, regions[c]);
            let w: [Vec<f64>; 2] = [0, 1].map(|s| {
                let mut v: Vec<f64> = (0..ng).map(|gi| base[gi] * comp.tilt[gi][s]).collect();
                if !shares(&mut v) {
                    v = comp.young.clone();
                }
                v
            });
            for (s, ws) in w.iter().enumerate() {
                for a in 0..NA {
                    let j = (c * 2 + s) * NA + a;
                    let at = ti * per + j;
                    let se = path.inflow[0][at] * f[at];
                    let foreign = (path.inflow[1][at] + path.inflow[2][at]) * f[at];
                    for gi in 0..ng {
                        let carried = if a == 0 {
                            0.0
                        } else {
                            rho[at] * cells[((ti - 1) * ng + gi) * per + j - 1]
                        };
                        let new_se = se * ws[gi];
                        cells[(ti * ng + gi) * per + j] =
                            carried + new_se + foreign * comp.national_at(gi, s * NA + a);
                        certificates[(ti * ng + gi) * nc + c] += new_se;
                    }
                }
            }
        }
    }
    let demand_g = group_demand(inp, input, demand, &cells, ny, np, nk);
    let mut in_training = vec![f64::NAN; ny * ng * nr];
    for (ti, &t) in years.iter().enumerate() {
        for gi in 0..ng {
            let d = lag(&input.groups[gi]).max(1);
            for r in 0..nr {
                let sum: Option<f64> = (t - d + 1..=t).map(|y| start(y, gi, r)).sum();
                if let Some(v) = sum {
                    in_training[(ti * ng + gi) * nr + r] = v;
                }
            }
        }
    }
    let completion = completion(inp, input, (&st_years, &starts, &st_observed), sc.base_year);
    let mut out = Specialties {
        layer: input.layer,
        groups: input.groups.clone(),
        table_year: input.years[yi],
        years,
        cells,
        demand: demand_g,
        certificates,
        st_years,
        st_observed,
        starts,
        in_training,
        completion,
        required: Vec::new(),
    };
    if whole && let Some((q, _)) = out.completion.clone() {
        out.required = required_starts(inp, sc, path, &out, q, (&rho, &regions, &comp.tilt));
    }
    Ok(out)
}

/// Each group's demand in persons, `[year][g][c]` (see the module docs).
fn group_demand(
    inp: &Inputs,
    input: &Input,
    demand: &DemandPath,
    cells: &[f64],
    ny: usize,
    np: usize,
    nk: usize,
) -> Vec<f64> {
    let nc = inp.grid.nc();
    let per = nc * 2 * NA;
    let ng = input.groups.len();
    let p = input.layer;
    let services = inp.services.as_ref();
    let ns = services.map_or(0, |s| s.ns());
    let mut out = vec![0.0; ny * ng * nc];
    for c in 0..nc {
        let fte = |ti: usize, k: usize| demand.fte[((ti * np + p) * nc + c) * nk + k];
        let d0: f64 = (0..nk).map(|k| fte(0, k)).sum();
        for ti in 0..ny {
            let d: f64 = (0..nk).map(|k| fte(ti, k)).sum();
            let growth = if d0 > 0.0 { d / d0 } else { 1.0 };
            // The layer's own demographic index, weighted by its base-year demand by sector.
            let own = if d0 > 0.0 {
                (0..nk)
                    .map(|k| demand.index[((ti * np + p) * nc + c) * nk + k] * fte(0, k))
                    .sum::<f64>()
                    / d0
            } else {
                1.0
            };
            for gi in 0..ng {
                let svc = services
                    .and_then(|s| s.codes.iter().position(|x| *x == input.groups[gi].service));
                let ratio = match svc {
                    Some(si) if !demand.service_index.is_empty() && own > 0.0 => {
                        demand.service_index[(ti * nc + c) * ns + si] / own
                    }
                    _ => 1.0,
                };
                let at = gi * per + c * 2 * NA;
                let base: f64 = cells[at..at + 2 * NA].iter().sum();
                out[(ti * ng + gi) * nc + c] = base * growth * ratio;
            }
        }
    }
    out
}

/// The share of ST starts that end in a certificate: the layer's Swedish certificates over the
/// starts `D_g` years before, summed over the last [`COMPLETION_YEARS`] certificate years up to
/// the base year that both tables cover.
fn completion(
    inp: &Inputs,
    input: &Input,
    (st_years, starts, observed): (&[i32], &[f64], &[bool]),
    base: i32,
) -> Option<(f64, Vec<i32>)> {
    let ng = input.groups.len();
    let nr = inp.hc_regions.len();
    let observed_at = |y: i32| {
        st_years
            .iter()
            .position(|&v| v == y)
            .filter(|&i| observed[i])
    };
    let mut years = Vec::new();
    let (mut num, mut den) = (0.0, 0.0);
    for &y in inp.licence_years.iter().rev().filter(|&&y| y <= base) {
        if years.len() == COMPLETION_YEARS {
            break;
        }
        let at: Option<Vec<usize>> = input
            .groups
            .iter()
            .map(|s| observed_at(y - lag(s)))
            .collect();
        let Some(at) = at else { continue };
        num += super::supply::observed_se(inp, input.layer, y);
        den += at
            .iter()
            .enumerate()
            .map(|(gi, &i)| (0..nr).map(|r| starts[(i * ng + gi) * nr + r]).sum::<f64>())
            .sum::<f64>();
        years.push(y);
    }
    years.reverse();
    (den > 0.0 && num > 0.0).then_some((num / den, years))
}

/// The required ST starts per group and region, then per group for the nation.
fn required_starts(
    inp: &Inputs,
    sc: &Scenario,
    path: &Trajectory,
    sp: &Specialties,
    q: f64,
    (rho, regions, tilts): (&[f64], &[Option<usize>], &[[f64; 2]]),
) -> Vec<RequiredSt> {
    let nc = inp.grid.nc();
    let per = nc * 2 * NA;
    let ng = sp.ng();
    let nr = inp.hc_regions.len();
    let b = &sc.balance;
    let from = b.intake_from;
    let lo = (b.target_year - b.window_years.max(1) as i32 + 1).max(sc.base_year + 1);
    let window_years: Vec<usize> = sp
        .years
        .iter()
        .enumerate()
        .filter(|(_, y)| **y >= lo && **y <= b.target_year)
        .map(|(i, _)| i)
        .collect();
    let window_len = sc.supply.st_starts_window.max(1) as usize;
    let mut out = Vec::new();
    let mut national: Vec<RequiredSt> = Vec::new();
    for (gi, &tilt) in tilts.iter().enumerate().take(ng) {
        let d = lag(&sp.groups[gi]);
        let mut sum = RequiredSt {
            group: gi,
            region: None,
            today: 0.0,
            required: Some(0.0),
            unfloored: Some(0.0),
            parts: Some(Parts {
                expansion: 0.0,
                gap: 0.0,
                replacement: 0.0,
            }),
            supply_without: 0.0,
            demand: 0.0,
            by_target_year: window_years
                .iter()
                .map(|&i| (sp.years[i], Some(0.0)))
                .collect(),
            by_imbalance: super::IMBALANCE_SENSITIVITY
                .iter()
                .map(|&i| (i, Some(0.0)))
                .collect(),
        };
        for r in 0..nr {
            let in_r: Vec<bool> = (0..per).map(|j| regions[j / (2 * NA)] == Some(r)).collect();
            let demand: Vec<f64> = (0..sp.years.len())
                .map(|ti| {
                    (0..nc)
                        .filter(|&c| regions[c] == Some(r))
                        .map(|c| sp.demand[(ti * ng + gi) * nc + c])
                        .sum()
                })
                .collect();
            let starts: Vec<f64> = sp
                .years
                .iter()
                .map(|&t| sp.start(t - d, gi, r, nr).unwrap_or(0.0))
                .collect();
            let unit = Unit {
                q,
                first_chosen: from + d,
                tilt,
            };
            let base_cells: Vec<f64> = (0..per)
                .map(|j| if in_r[j] { sp.cells[gi * per + j] } else { 0.0 })
                .collect();
            let rows = window_rows(path, rho, &in_r, &base_cells, &starts, &demand, unit);
            let base = rows.first().map_or(0.0, |y| y.demand);
            let window: Vec<Year> = window_years.iter().map(|&i| rows[i]).collect();
            let parts = intake::decompose(b.intake_rule, &window, base, base, b.close_gap);
            let unfloored = parts.map(|p| p.total());
            let today = sp.today(gi, r, nr, window_len);
            let last = window_years.last().map(|&i| rows[i]);
            let by_target_year = window_years
                .iter()
                .map(|&i| {
                    let one = std::slice::from_ref(&rows[i]);
                    (sp.years[i], intake::solve(intake::Rule::TargetYear, one))
                })
                .collect();
            let by_imbalance = super::IMBALANCE_SENSITIVITY
                .iter()
                .map(|&i| {
                    let scaled: Vec<Year> = window
                        .iter()
                        .map(|y| Year {
                            demand: y.demand * (1.0 + i),
                            ..*y
                        })
                        .collect();
                    let d_base = base * (1.0 + i);
                    let parts =
                        intake::decompose(b.intake_rule, &scaled, base, d_base, b.close_gap);
                    (i, parts.map(|p| p.total()))
                })
                .collect();
            let row = RequiredSt {
                group: gi,
                region: Some(r),
                today,
                required: unfloored.map(|u| u.max(0.0)),
                unfloored,
                parts,
                supply_without: last.map_or(0.0, |y| y.s0),
                demand: last.map_or(0.0, |y| y.demand),
                by_target_year,
                by_imbalance,
            };
            sum.today += row.today;
            sum.required = sum.required.zip(row.required).map(|(a, b)| a + b);
            sum.unfloored = sum.unfloored.zip(row.unfloored).map(|(a, b)| a + b);
            sum.parts = sum.parts.zip(row.parts).map(|(a, b)| Parts {
                expansion: a.expansion + b.expansion,
                gap: a.gap + b.gap,
                replacement: a.replacement + b.replacement,
            });
            sum.supply_without += row.supply_without;
            sum.demand += row.demand;
            for (s, x) in sum.by_target_year.iter_mut().zip(&row.by_target_year) {
                s.1 = s.1.zip(x.1).map(|(a, b)| a + b);
            }
            for (s, x) in sum.by_imbalance.iter_mut().zip(&row.by_imbalance) {
                s.1 = s.1.zip(x.1).map(|(a, b)| a + b);
            }
            out.push(row);
        }
        national.push(sum);
    }
    out.extend(national);
    out
}

/// How one ST start becomes specialists: the completion share, the first certificate year whose
/// starts the solve chooses (`balance.intake_from + D`; earlier certificates come from the given
/// starts), and the group's tilt by sex.
#[derive(Clone, Copy, Debug)]
struct Unit {
    q: f64,
    first_chosen: i32,
    tilt: [f64; 2],
}

/// The window rows of the required-starts solve over the path's years: supply without new starts
/// (`base_cells` carried with `ρ`, plus `q ·` the given starts `D` years before, `starts[ti]`,
/// in certificate years before `unit.first_chosen`), the response to one start a year (`q` a year
/// from then on), each placed as the path's Swedish certificates of the year within `in_r`
/// (tilted by sex), and `demand[ti]`.
fn window_rows(
    path: &Trajectory,
    rho: &[f64],
    in_r: &[bool],
    base_cells: &[f64],
    starts: &[f64],
    demand: &[f64],
    unit: Unit,
) -> Vec<Year> {
    let per = in_r.len();
    let mut s0 = base_cells.to_vec();
    let mut x = vec![0.0; per];
    let mut rows = Vec::with_capacity(path.years.len());
    for (ti, &t) in path.years.iter().enumerate() {
        if ti > 0 {
            let at = ti * per;
            s0 = carry(&s0, &rho[at..at + per]);
            x = carry(&x, &rho[at..at + per]);
            let mut place: Vec<f64> = (0..per)
                .map(|j| {
                    if in_r[j] {
                        path.inflow[0][at + j] * unit.tilt[(j / NA) % 2]
                    } else {
                        0.0
                    }
                })
                .collect();
            if shares(&mut place) {
                if t < unit.first_chosen {
                    for j in 0..per {
                        s0[j] += unit.q * starts[ti] * place[j];
                    }
                } else {
                    for j in 0..per {
                        x[j] += unit.q * place[j];
                    }
                }
            }
        }
        rows.push(Year {
            s0: s0.iter().sum(),
            slope: x.iter().sum(),
            demand: demand[ti],
        });
    }
    rows
}

impl Specialties {
    /// ST starts of group `g` in region `r` in year `y` (observed or assumed), if the series has it.
    pub fn start(&self, y: i32, g: usize, r: usize, nr: usize) -> Option<f64> {
        let i = self.st_years.iter().position(|&x| x == y)?;
        Some(self.starts[(i * self.ng() + g) * nr + r])
    }

    /// The mean ST starts of the last `window` observed years of group `g` in region `r`.
    pub fn today(&self, g: usize, r: usize, nr: usize, window: usize) -> f64 {
        let obs: Vec<i32> = self
            .st_years
            .iter()
            .zip(&self.st_observed)
            .filter(|(_, o)| **o)
            .map(|(y, _)| *y)
            .collect();
        let take = window.min(obs.len()).max(1);
        obs[obs.len().saturating_sub(take)..]
            .iter()
            .filter_map(|&y| self.start(y, g, r, nr))
            .sum::<f64>()
            / take as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One county, no exits (`ρ = 1`): 100 specialists aged 40 in the base year 2023, the layer's
    /// Swedish certificates all at age 35, ten ST starts every year, completion 0.9, training six
    /// years, starts chosen from 2025 (so certificates chosen from 2031), demand 200. By hand:
    /// without new starts the group has 100 + 0.9 · 10 for each certificate year 2024–2030 = 163
    /// from 2030 on; one start a year more adds 0.9 a year from 2031, 9.0 by 2040; the target-year
    /// rule needs (200 − 163) / 9 = 4.111 starts a year.
    #[test]
    fn window_rows_by_hand() {
        let per = 2 * NA;
        let years: Vec<i32> = (2023..=2040).collect();
        let ny = years.len();
        let mut inflow = [
            vec![0.0; ny * per],
            vec![0.0; ny * per],
            vec![0.0; ny * per],
        ];
        for ti in 1..ny {
            inflow[0][ti * per + 15] = 1.0;
        }
        let path = Trajectory {
            years,
            inflow,
            ..Default::default()
        };
        let rho = vec![1.0; ny * per];
        let mut base = vec![0.0; per];
        base[20] = 100.0;
        let unit = Unit {
            q: 0.9,
            first_chosen: 2031,
            tilt: [1.0, 1.0],
        };
        let rows = window_rows(
            &path,
            &rho,
            &[true; 2 * NA],
            &base,
            &vec![10.0; ny],
            &vec![200.0; ny],
            unit,
        );
        let at = |y: i32| rows[(y - 2023) as usize];
        assert!((at(2023).s0 - 100.0).abs() < 1e-9);
        assert!((at(2026).s0 - 127.0).abs() < 1e-9);
        assert!((at(2030).s0 - 163.0).abs() < 1e-9);
        assert!((at(2040).s0 - 163.0).abs() < 1e-9);
        assert_eq!(at(2030).slope, 0.0);
        assert!((at(2031).slope - 0.9).abs() < 1e-9);
        assert!((at(2040).slope - 9.0).abs() < 1e-9);
        let x = intake::solve(intake::Rule::TargetYear, &[at(2040)]).expect("reachable");
        assert!((x - 37.0 / 9.0).abs() < 1e-9, "{x}");
        // The oldest age is carried out: a specialist aged 74 is gone a year later.
        let mut old = vec![0.0; per];
        old[NA - 1] = 5.0;
        let next = carry(&old, &rho[per..2 * per]);
        assert_eq!(next.iter().sum::<f64>(), 0.0);
    }
}
