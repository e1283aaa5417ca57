//! Monte Carlo: uncertainty bands on supply, demand, gap and required intake.
//!
//! Each draw takes every uncertain parameter from the distribution the scenario declares
//! (`[uncertainty]`, see [`super::scenario::Dist`]) and reruns the projection with them:
//!
//! - exit rates by profession, sex and age, and completion rates by profession and health-care
//!   region, from Beta distributions of the register's own counts (events among persons at risk);
//! - the level of licences on foreign education (per profession and origin), or a path simulated
//!   from the fitted trend model;
//! - admissions, when the scenario draws them from their trend model;
//! - the employment share and FTE per employed person, when the scenario draws them from their
//!   trend models (a path per profession; supply FTE of every region scales by the year's factor);
//! - each named demand growth factor's annual rate (one draw shared by every profession);
//! - the base-year imbalance (one shift per profession);
//! - process variation (see [`super::variation`]): each region's stock takes a normal step a year,
//!   with the variance its gross flows and the history's dispersion give, and each region's FTE
//!   per licensed person a lasting and a yearly deviation from the national pattern.
//!
//! The base year is observed and does not vary. The required intake of each draw is exact: supply
//! in the target year is linear in a constant intake, and the response to one beginner a year is
//! computed by an adjoint pass (survival backwards from the target year), so no second projection
//! is needed.
//!
//! # Determinism
//!
//! Draw `d` of profession `p` takes its random numbers from its own PCG-64 stream, keyed by the
//! scenario's seed, `d` and `p` (the demand factors from a stream keyed by the seed and `d` alone).
//! Draws are independent of which thread computes them and every reduction over draws runs in draw
//! order, so results are byte-identical for any number of threads. They are the same on every
//! machine too: the variates come from [`super::variates`] (IEEE arithmetic, `sqrt` and the
//! pure-Rust `libm`, never the platform's C library), and the vector passes do the same operations
//! in the same order as the portable ones.
//!
//! # Layout
//!
//! The kernel works on one profession at a time with arrays `[region][sex][age]`, ages contiguous
//! and padded to whole eight-lane blocks (56 lanes; the stock of one profession is 21 × 2 × 56
//! values, 18 KB: it stays in the first-level cache). A block of three regions runs through all
//! its years before the next starts, the new stock, licensed persons and FTE in one pass over each
//! row (AVX2 where the processor has it, chosen at run time; the portable rows do the same
//! operations in the same order, so the bits do not depend on the processor). The adjoint follows
//! only the ages that can still reach the ages new licences enter at.
//!
//! Draws run in parallel (rayon) inside each profession, in chunks of 32 per task; professions
//! follow in dependency order so that a specialist layer sees its parent's draw. Each worker owns
//! a scratch set and a chunk buffer kept for the whole run (nothing is allocated per draw, year or
//! cell); a chunk's records are turned around in the worker's cache so that each recorded value's
//! draws lie side by side. Percentiles are exact: the draws of a cell are counted into value
//! buckets and only the buckets that hold the needed order statistics are sorted.
//!
//! Ages pooled for an exit-rate estimate (too few at risk at each age alone) share one draw: they
//! hold one rate's worth of information.

// The passes index lanes, rows and ages by number on purpose: the same index runs through several
// arrays, and the order of the sums is part of the result.
#![allow(clippy::needless_range_loop)]

use super::inputs::NA;
use super::scenario::{Law, Laws, Percentiles};
use super::scope::Region;
use super::supply::TrendModel;
use super::variates;
use super::{ModelError, Projection};
use rand_core::Rng;
use rand_pcg::Pcg64;
use rayon::prelude::*;

mod build;
mod draw;
mod laws;
mod quantiles;
mod rows;
#[cfg(test)]
mod tests;

use laws::*;
pub use laws::{DEMAND_STREAM, draw_factor, draw_rate, draw_shift, stream};
pub use quantiles::percentile;
use quantiles::*;
use rows::*;

/// How a profession's Swedish licences arise in the kernel.
#[derive(Clone, Debug, PartialEq)]
pub enum Pipeline {
    /// A programme: beginners by region × completion → graduates → licences.
    Programme {
        /// Completion rate by health-care region (point estimate).
        completion: Vec<f64>,
        /// Counts behind each completion rate: (graduates, beginners).
        counts: Vec<(f64, f64)>,
        /// Share of graduates licensed.
        share: f64,
        /// The ways from admission to licence by cohort ([`super::supply::Route`]).
        routes: Vec<super::supply::Route>,
        /// Observed graduates (national) by year (ascending) and route, for graduation years up
        /// to the base year ([`super::supply::route_split`]).
        observed_graduates: Vec<(i32, Vec<f64>)>,
        /// Observed beginners by year and region, up to the base year.
        observed_beginners: Vec<(i32, Vec<f64>)>,
        /// The base year's beginners by region (the basis of future admissions).
        basis: Vec<f64>,
        /// Point factor on admissions by years ahead (trend), empty for none.
        trend: Vec<f64>,
        /// The trend's model, for simulated paths.
        model: Option<Box<TrendModel>>,
        /// `1 +` the relative change of admissions after the base year, by health-care region
        /// ([`super::supply::Params::admissions_change`]).
        change: Vec<f64>,
    },
    /// A specialist layer fed by its parent's Swedish licences `lag` years earlier.
    Layer {
        /// Parent profession index.
        parent: usize,
        /// Training time in whole years.
        lag: i32,
        /// Share of the parent's licences that become certificates.
        share: f64,
        /// The parent's observed Swedish licences by year (ascending).
        observed: Vec<(i32, f64)>,
    },
    /// A specialist layer certified from its parent's persons without the layer's competence
    /// (`supply.layer_feed = "rate"`): `rates[s][a]` of those a year younger a year before; the
    /// parent is [`ProfKernel::bound`], whose cells of the same draw the certificates come from.
    Certified {
        /// Certification rates `[s][a]` ([`super::supply::Params::certification`]).
        rates: Vec<f64>,
        /// With `supply.layer_feed = "st"`: the point projection's factor on each region's
        /// certificates by the rate, `[year][region]`
        /// ([`super::supply::Trajectory::certification_scale`]), kept in every draw, so that a draw's
        /// certificates follow the ST starts and vary with its pool of physicians without the
        /// competence; empty otherwise.
        scale: Vec<f64>,
    },
    /// A constant annual number of Swedish licences.
    Mean(f64),
}

/// What a profession's draws need to split their required intake over the health-care regions
/// as the point projection splits its own ([`super::destinations::split`]): each draw's county
/// window from the draw's adjoint, the columns from its completion rates.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionSplit {
    /// The health-care regions with beginners today (indices among the run's), the split's
    /// columns in order.
    pub hosts: Vec<usize>,
    /// Today's beginners by health-care region (the weights of the mean completion rate).
    pub today: Vec<f64>,
    /// Each host's destination shares by county, `[host][c]`.
    pub to_county: Vec<Vec<f64>>,
    /// Each county's part of the entry profile [`ProfKernel::se_profile`] (its `b_c`, see
    /// [`ProfKernel::se_route`]): a county's rows of the adjoint, divided by it, are per licence
    /// entering the county.
    pub entry: Vec<f64>,
}

/// The most health-care regions with a programme whose draws are split (the exact split tries
/// every subset of them, in every draw).
pub const MAX_SPLIT_HOSTS: usize = 8;

/// One profession's fixed inputs to the kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfKernel {
    /// Base-year stock, `[r][s][a]`.
    pub l0: Vec<f64>,
    /// Exit rates (point), `[s][a]`.
    pub exit: Vec<f64>,
    /// Exit counts (events, persons at risk), `[s][a]`.
    pub exit_counts: Vec<(f64, f64)>,
    /// Regional scaling of exit rates, `[r]`.
    pub region_exit: Vec<f64>,
    /// Each region's deviation from the scaled exit rates by age, `[r][a]` (net movement between
    /// counties; see [`crate::model::movement`]).
    pub region_move: Vec<f64>,
    /// FTE per licensed person over all sectors in the projection years (a retirement shift
    /// applied), each region at its own level, `[r][s][a]`.
    pub w: Vec<f64>,
    /// Profile of Swedish licences, `[r][s][a]` (sums to 1 or 0).
    pub se_profile: Vec<f64>,
    /// With destinations routing ([`super::supply::Params::route`]): each region's factor on the
    /// year's Swedish licences against `se_profile`, `[r][t]`, so that region `r` takes
    /// `se[t]·se_route[r][t]` times its profile rows, as the point projection routes the year's
    /// graduates; empty without routing (the profile every year).
    pub se_route: Vec<f64>,
    /// With destinations routing: where one more Swedish licence enters, each region's weight on
    /// its `se_profile` rows, `[r]` (the adjoint's; see [`super::destinations::Routing::margin`]);
    /// empty without routing.
    pub se_margin: Vec<f64>,
    /// With destinations routing and admissions changed unequally over the regions: where a
    /// licence of the baseline's beginners from `intake_from` on enters, as `se_margin` (what the
    /// required intake takes off the baseline's supply); empty when they enter by `se_margin`.
    pub se_post_margin: Vec<f64>,
    /// With destinations routing and a split of the point projection's required intake: what the
    /// draws split theirs by (`None`: the band is national only).
    pub regional: Option<RegionSplit>,
    /// Mean annual foreign licences, EU/EEA and third country, `[r][s][a]`.
    pub foreign: [Vec<f64>; 2],
    /// Point trend of foreign licences by years ahead (empty: none).
    pub foreign_trend: [Vec<f64>; 2],
    /// Trend models of foreign licences.
    pub foreign_model: [Option<TrendModel>; 2],
    /// Swedish licences.
    pub pipeline: Pipeline,
    /// The profession whose cells bound this one's in every draw and year (a layer's parent:
    /// physicians for specialist physicians; `None` for a profession that is no layer).
    pub bound: Option<usize>,
    /// For the layer the specialists table divides: the point projection's share of each
    /// specialty group in each region's layer, `[year][group][region]` (0 where the region holds
    /// none), that divides each draw's licensed persons into the groups' bands; `None` otherwise.
    pub groups: Option<GroupShares>,
    /// Demand without the imbalance shift, `[r][t]`: `Σ_k FTE₀·(1 + u)·I[t]`.
    pub demand_a: Vec<f64>,
    /// Demand per unit of imbalance shift, `[r][t]`: `Σ_k FTE₀·I[t]`.
    pub demand_b: Vec<f64>,
    /// Fixed demand `[r][t]` (a density target), replacing the utilisation model.
    pub demand_fixed: Option<Vec<f64>>,
    /// Annual rates of the named growth factors (scenario order).
    pub growth: Vec<f64>,
    /// Observed base-year supply FTE and licensed persons by region.
    pub base: Vec<(f64, f64)>,
    /// Point factor on the employment share by year index (1 at the base year and without a
    /// trend), already capped at `employment_cap`.
    pub employment_trend: Vec<f64>,
    /// Point factor on FTE per employed person by year index (1 without a trend).
    pub fte_trend: Vec<f64>,
    /// The employment-share and FTE trend models (for simulated paths).
    pub ratio_models: [Option<TrendModel>; 2],
    /// Steps from the ratio trends' last fitted year to the base year (paths are simulated from
    /// there; the base year's supply is the projection's).
    pub ratio_lead: usize,
    /// Largest factor an employment share may take (no share above 1).
    pub employment_cap: f64,
    /// Process variation of each region's stock, `[r]`: `√(φ·τ_r)`, so that a year's step has
    /// standard deviation `process[r]·√L_r` (zero: none; see [`super::variation`]).
    pub process: Vec<f64>,
    /// How the regions' yearly steps combine nationally: `1 − γ = √(φ_nat/φ)`, with the steps
    /// `z_r − γ·s_r·Σ_j s_j z_j / Σ_j s_j²` (`s_r = process[r]·√L_r` at the base year), so that
    /// their sum has the national residuals' variance (1: independent regions).
    pub national_scale: f64,
    /// Lasting drift of each region's stock, `[r]`: the relative standard deviation of a year's
    /// drift left by the estimation error of the region's own rates (zero: none).
    pub drift: Vec<f64>,
    /// Standard deviations of ln(FTE per licensed person) around the national pattern: the lasting
    /// region effect and the year-to-year variation (zero: none).
    pub ratio_sd: (f64, f64),
    /// Standard deviations of the national year effect on ln(FTE per licensed person) that every
    /// region shares: the window level's error, drawn once per draw, and a year's, drawn each
    /// year (zero: none, also when the employment or FTE trend draws its own paths).
    pub ratio_national: (f64, f64),
    /// A random trend of the national stock's yearly growth, shared by every region: its standard
    /// deviation a year (pooled over professions, see [`super::variation::pooled_trend`]) and
    /// the years from the middle of the exit-rate window to the base year. In a draw the stock in
    /// year index `t` carries the log factor `δ·ω·Σ_{u=1..t}(u + lead)`, `ω ~ N(0, 1)`.
    pub stock_trend: (f64, f64),
    /// A random trend of national FTE per licensed person: standard deviation a year and lead
    /// (from the middle of the employment window, whose last year may lag the base year); the log
    /// factor `δ·ω·(t + lead)` in year `t`.
    pub ratio_trend: (f64, f64),
    /// With foreign licences `estimated`, per origin (EU/EEA, third country): the standard
    /// deviations of the log factor on the inflow window's mean, the window level's error (once
    /// per draw) and a year's (each year), from [`super::variation::Variation::foreign`]; the
    /// factor is `exp(σ_l·ζ + σ_y·ξ_t − (σ_l² + σ_y²)/2)`, mean 1 (zero: none).
    pub foreign_sd: [(f64, f64); 2],
    /// With foreign licences `estimated`, per origin: the standard deviation a year of a random
    /// trend of the log factor (pooled over professions, see
    /// [`super::variation::Variation::foreign_slope`]), and the years from the inflow window's
    /// middle to the base year; the log factor gains `δ·ω·(t + lead)` in year index `t`.
    pub foreign_drift: ([f64; 2], f64),
    /// The model's own error: the standard deviations a year of a random drift of the national
    /// licensed persons (and so of FTE), and of the nation's FTE per licensed person beyond it,
    /// each the log factor `δ·ω·t` in year index `t` with `ω ~ N(0, 1)`, from reruns from
    /// earlier base years ([`super::backtest::model_slopes`]) where the other sources do not
    /// already hold it (see `Kernel::model_drifts`; zero: none).
    pub model_drift: (f64, f64),
}

/// A demand shift between professions, as the kernel applies it.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// Giving profession.
    pub from: usize,
    /// Taking profession.
    pub to: usize,
    /// Cumulative share moved by year index.
    pub moved: Vec<f64>,
}

/// Everything the kernel needs: fixed inputs per profession and the run's dimensions.
#[derive(Clone, Debug, PartialEq)]
pub struct Kernel {
    /// Profession codes.
    pub professions: Vec<String>,
    /// Region codes (counties, or one national region, or municipalities).
    pub regions: Vec<String>,
    /// Years, base year first.
    pub years: Vec<i32>,
    /// Per profession.
    pub profs: Vec<ProfKernel>,
    /// Demand shifts, applied in order.
    pub shifts: Vec<Shift>,
    /// Balance tolerance (shortage when supply < demand · (1 − tolerance)).
    pub tolerance: f64,
    /// Year indices of the required intake's window (`balance.window_years` up to the target year).
    pub window: Vec<usize>,
    /// The required intake's rule over the window.
    pub rule: super::intake::Rule,
    /// Whether the required intake closes the base year's imbalance.
    pub close_gap: bool,
    /// First year of the constant intake.
    pub intake_from: i32,
    /// The units whose required intake is not one profession's constant alone: groups of
    /// substitutable professions and professions with a largest change a year (empty by default).
    /// Their draws record the window and the response to each intake year, and are solved after
    /// all professions' draws, as the point projection solves them.
    pub units: Vec<Unit>,
    /// The distributions.
    pub laws: Laws,
    /// Standard deviation of a year's step in the random walk of each region's ln population
    /// (the population projection's error; zero: none).
    pub population_sd: f64,
}

/// Professions whose required intake is solved together or as a path (see [`super::intake`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Member profession indices.
    pub members: Vec<usize>,
    /// Their shares of the unit's intake.
    pub shares: Vec<f64>,
    /// Their beginners in the base year.
    pub today: Vec<f64>,
    /// Their largest change a year (`None`: no limit).
    pub max_change: Vec<Option<f64>>,
}

/// Variables that get bands.
pub const VARIABLES: [&str; 4] = ["licensed", "supply", "demand", "gap"];

/// A variable that gets bands: where it sits in [`Bands`]' arrays is [`Variable::index`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variable {
    /// Licensed persons.
    Licensed,
    /// Supply in FTE.
    Supply,
    /// Demand in FTE.
    Demand,
    /// Supply less demand in FTE.
    Gap,
}

impl Variable {
    /// All four, in the order of [`VARIABLES`] and of the arrays.
    pub const ALL: [Variable; 4] = [
        Variable::Licensed,
        Variable::Supply,
        Variable::Demand,
        Variable::Gap,
    ];

    /// Its position in [`Bands`]' arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in [`VARIABLES`].
    pub fn name(self) -> &'static str {
        VARIABLES[self.index()]
    }
}

/// Quantiles of one profession's required intake over the draws.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeBand {
    /// Profession index.
    pub profession: usize,
    /// Quantiles, in the order of [`Bands::percentiles`].
    pub quantiles: Vec<f64>,
    /// Share of draws in which no constant intake reaches the target (never expected, kept honest).
    pub unreachable: f64,
    /// Quantiles of each health-care region's part, `[region][q]` (regions as the run's; a region
    /// without the programme holds 0): each draw's figure split as the point projection splits
    /// its own, over the draws whose figure is reachable. Empty without a split.
    pub regions: Vec<Vec<f64>>,
}

/// The point projection's composition of a layer by specialty group, by region and year
/// ([`ProfKernel::groups`]).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupShares {
    /// Number of groups.
    pub ng: usize,
    /// Each group's share of the region's layer, `[year][group][region]`.
    pub shares: Vec<f64>,
}

/// The band of one specialty group's licensed persons, nationally, by year.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupBand {
    /// The layer's profession index.
    pub profession: usize,
    /// The group's index among the specialties' groups.
    pub group: usize,
    /// Mean over the draws, by year index.
    pub mean: Vec<f64>,
    /// Quantiles `[year][q]`, in the order of [`Bands::percentiles`].
    pub quantiles: Vec<f64>,
}

/// Each specialty group's national band from a layer's draws: in every draw and year, the sum over
/// the regions of the region's licensed persons times the group's point share there
/// (`lic[d][r][t]`, `[draw][region][year]`).
fn group_bands(
    p: usize,
    gs: &GroupShares,
    lic: &[f64],
    (draws, nr, ny): (usize, usize, usize),
    percentiles: &[f64],
) -> Vec<GroupBand> {
    (0..gs.ng)
        .map(|g| {
            let mut mean = vec![0.0; ny];
            let mut quantiles = Vec::with_capacity(ny * percentiles.len());
            for ti in 0..ny {
                let mut v: Vec<f64> = (0..draws)
                    .map(|d| {
                        (0..nr)
                            .map(|r| {
                                gs.shares[(ti * gs.ng + g) * nr + r] * lic[(d * nr + r) * ny + ti]
                            })
                            .sum::<f64>()
                    })
                    .collect();
                mean[ti] = v.iter().sum::<f64>() / draws as f64;
                v.sort_unstable_by(f64::total_cmp);
                quantiles.extend(percentiles.iter().map(|&q| percentile(&v, q)));
            }
            GroupBand {
                profession: p,
                group: g,
                mean,
                quantiles,
            }
        })
        .collect()
}

/// The Monte Carlo result.
#[derive(Clone, Debug, PartialEq)]
pub struct Bands {
    /// Number of draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// Percentiles reported (0–100).
    pub percentiles: Vec<f64>,
    /// Years, base year first.
    pub years: Vec<i32>,
    /// Region codes; one more region, the nation, follows them in every array.
    pub regions: Vec<String>,
    /// Quantiles `[p][variable][region][year][q]` (variables as [`VARIABLES`]).
    pub quantiles: Vec<f64>,
    /// Means `[p][variable][region][year]`.
    pub mean: Vec<f64>,
    /// Probability of shortage `[p][region][year]`.
    pub shortage: Vec<f64>,
    /// Required intake per profession with a programme.
    pub intake: Vec<IntakeBand>,
    /// The bands of the specialty groups' licensed persons, nationally (with a specialists table;
    /// empty otherwise): each draw's licensed persons of a region divided by the point
    /// projection's composition there.
    pub groups: Vec<GroupBand>,
    nq: usize,
}

impl Bands {
    /// Number of regions including the nation.
    pub fn nr(&self) -> usize {
        self.regions.len() + 1
    }

    /// The quantiles of a variable in a county of the run or their total.
    pub fn q(&self, p: usize, var: Variable, region: Region, ti: usize) -> &[f64] {
        let i = (((p * VARIABLES.len() + var.index()) * self.nr() + self.at(region))
            * self.years.len()
            + ti)
            * self.nq;
        &self.quantiles[i..i + self.nq]
    }

    /// The mean of a variable.
    pub fn mean_of(&self, p: usize, var: Variable, region: Region, ti: usize) -> f64 {
        self.mean[((p * VARIABLES.len() + var.index()) * self.nr() + self.at(region))
            * self.years.len()
            + ti]
    }

    /// The probability that supply falls short of demand beyond the tolerance.
    pub fn shortage_of(&self, p: usize, region: Region, ti: usize) -> f64 {
        self.shortage[(p * self.nr() + self.at(region)) * self.years.len() + ti]
    }

    /// The county with this code among the bands' regions, if it is one.
    pub fn region_of(&self, code: &str) -> Option<Region> {
        self.regions
            .iter()
            .position(|r| r == code)
            .map(Region::County)
    }

    /// The position of `region` in the arrays (the counties, then their total).
    fn at(&self, region: Region) -> usize {
        region.index(self.regions.len())
    }
}

/// Draws of the probe run that measures how much of the model's own error the other sources of
/// variation already hold (`Kernel::model_drifts`).
pub const PROBE_DRAWS: usize = 200;

/// The probe run's seed (fixed: the probe is part of the estimate, not of the draws).
const PROBE_SEED: u64 = 0x006d_6f64_656c;

/// The value of year `y` in a list sorted by year.
fn by_year<T>(v: &[(i32, T)], y: i32) -> Option<&T> {
    v.binary_search_by_key(&y, |x| x.0).ok().map(|i| &v[i].1)
}

/// The random parameters of one draw of one profession (see [`Kernel::sample`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Exit rates `[s][a]`.
    pub exit: Vec<f64>,
    /// Completion rates by health-care region.
    pub completion: Vec<f64>,
    /// Admissions factors by years ahead (empty: 1).
    pub admissions: Vec<f64>,
    /// EU/EEA and third-country licence factors by years ahead.
    pub foreign: [Vec<f64>; 2],
    /// Shift of the base-year imbalance.
    pub imbalance: f64,
    /// Shifts of the named growth factors' annual rates.
    pub growth: Vec<f64>,
    /// Employment-share factors by year index (base year first, 1).
    pub employment: Vec<f64>,
    /// FTE-per-employed factors by year index (base year first, 1).
    pub fte: Vec<f64>,
    /// Process variation: the stocks' standard normal steps `[r][t]` (year index 0 holds the
    /// region's lasting drift a year, `drift[r]·η_r`), empty without process variation.
    pub steps: Vec<f64>,
    /// Process variation: the FTE ratio's log factors `[r][t]` (year index 0 is 0), empty without.
    pub ratio: Vec<f64>,
    /// The national stock's random trend: log factors on licensed persons and FTE by year index
    /// (year index 0 is 0), empty without.
    pub trend: Vec<f64>,
    /// The population error's log factors on demand `[r][t]` (year index 0 is 0), empty without.
    pub population: Vec<f64>,
}

/// Per-worker buffers, reused across draws.
#[derive(Clone, Debug, Default)]
struct Scratch {
    surv: Vec<f64>,
    exit: Vec<f64>,
    v: Vec<f64>,
    se: Vec<f64>,
    se_unit: Vec<f64>,
    se_post: Vec<f64>,
    f: [Vec<f64>; 2],
    adm: Vec<f64>,
    completion: Vec<f64>,
    demand: Vec<f64>,
    fixed: Vec<f64>,
    emp: Vec<f64>,
    fte: Vec<f64>,
    window: Vec<super::intake::Year>,
    /// Process variation: standard normal steps `[r][t]` of the stocks, then the FTE ratio's
    /// log factors `[r][t]`.
    steps: Vec<f64>,
    ratio: Vec<f64>,
    /// The regions' weights in the national part of the process steps.
    weights: Vec<f64>,
    /// The national stock's random trend: log factors by year index (empty without).
    trend: Vec<f64>,
    /// The adjoint from the intake window's last year (FTE then per licence entering, by year).
    h: Vec<f64>,
    /// The same for a licence of the baseline's beginners from `intake_from` on, where they
    /// settle otherwise ([`ProfKernel::se_post_margin`]; empty otherwise).
    h_post: Vec<f64>,
    /// With a split over the health-care regions: the adjoint's rows by county, unweighted,
    /// `[c][t]` (empty otherwise).
    h_county: Vec<f64>,
    /// A unit member's licences per beginner of each intake year, by route: (intake year index,
    /// licences, year index of the licences, fraction licensed a year later).
    pulse: Vec<(usize, f64, usize, f64)>,
    /// A layer's bound: its parent's cells by year (see [`rows::Keep`]), the factor on them by
    /// year index, and the parent's sums (not used).
    cells: Vec<f64>,
    scale: Vec<f64>,
    sums: Vec<f64>,
}

/// What one draw of one profession records: `[region + nation][year]` licensed, supply and demand,
/// then the required intake (floored at 0; NaN when unreachable or without a programme), then the national Swedish
/// licences by year (for layers).
fn record_len(nr: usize, ny: usize) -> usize {
    3 * (nr + 1) * ny + 1 + ny
}

/// The units of a projection's required intake that are not one profession's constant alone.
fn units_of(proj: &Projection) -> Vec<Unit> {
    let b = &proj.scenario.balance;
    let g = &proj.inputs.grid;
    let unit = |rs: Vec<&super::RequiredIntake>| Unit {
        members: rs.iter().map(|r| r.profession).collect(),
        shares: rs.iter().map(|r| r.share).collect(),
        today: rs.iter().map(|r| r.today).collect(),
        max_change: rs
            .iter()
            .map(|r| b.max_change.get(&g.professions[r.profession]).copied())
            .collect(),
    };
    let mut units: Vec<Unit> = (0..b.substitutable.len())
        .map(|gi| unit(proj.intake.iter().filter(|r| r.group == Some(gi)).collect()))
        .filter(|u| !u.members.is_empty())
        .collect();
    units.extend(
        proj.intake
            .iter()
            .filter(|r| r.group.is_none() && r.path.is_some())
            .map(|r| unit(vec![r])),
    );
    units
}

/// The band of one profession's required intake from its draws (NaN: unreachable), with its
/// regions' bands (`[region][q]`, see [`IntakeBand::regions`]).
fn band_of(p: usize, draws: Vec<f64>, percentiles: &[f64], regions: Vec<Vec<f64>>) -> IntakeBand {
    let n = draws.len();
    let mut req: Vec<f64> = draws.into_iter().filter(|x| x.is_finite()).collect();
    let unreachable = 1.0 - req.len() as f64 / n as f64;
    req.sort_unstable_by(f64::total_cmp);
    IntakeBand {
        profession: p,
        quantiles: percentiles.iter().map(|&q| percentile(&req, q)).collect(),
        unreachable,
        regions,
    }
}

/// The most memory the draws of one profession may take (their records, kept until the
/// percentiles are known): 4 GiB.
pub const MAX_RECORD_BYTES: u64 = 4 << 30;

/// Draws per chunk of [`Records`]: a chunk's records stay in the second-level cache while they
/// are turned around (a multiple of four: the means' lanes).
const CHUNK: usize = 32;

/// Every draw's record of one profession, laid out `[chunk][value][draw in chunk]`: the draws of
/// one recorded value lie in a few contiguous runs, in draw order. Each chunk is computed by one
/// worker and turned around in its cache, so no pass strides across all draws.
struct Records {
    data: Vec<f64>,
    rec: usize,
    draws: usize,
    /// One scratch set and chunk buffer per worker thread, kept across professions (rayon's
    /// per-split initialisers would allocate them again for every split).
    work: Vec<std::sync::Mutex<(Scratch, Vec<f64>)>>,
}

impl Records {
    fn new(draws: usize, rec: usize) -> Records {
        Records {
            data: vec![0.0; draws.div_ceil(CHUNK) * CHUNK * rec],
            rec,
            draws,
            work: (0..rayon::current_num_threads())
                .map(|_| std::sync::Mutex::new((Scratch::default(), vec![0.0; CHUNK * rec])))
                .collect(),
        }
    }

    /// Draws in chunk `c`.
    fn len_of(&self, c: usize) -> usize {
        CHUNK.min(self.draws - c * CHUNK)
    }

    /// Runs `draw(d, scratch, record)` for every draw, in parallel by chunk.
    fn fill(&mut self, draw: impl Fn(usize, &mut Scratch, &mut [f64]) + Sync) {
        let (rec, draws, work) = (self.rec, self.draws, &self.work);
        self.data
            .par_chunks_mut(CHUNK * rec)
            .enumerate()
            .for_each(|(c, chunk)| {
                let worker = rayon::current_thread_index().unwrap_or(0) % work.len();
                let mut guard = work[worker].lock().unwrap_or_else(|e| e.into_inner());
                let (s, local) = &mut *guard;
                let n = CHUNK.min(draws - c * CHUNK);
                for k in 0..n {
                    draw(c * CHUNK + k, s, &mut local[k * rec..(k + 1) * rec]);
                }
                // Eight recorded values at a time: one cache line of each draw's record.
                for i0 in (0..rec).step_by(8) {
                    let w = 8.min(rec - i0);
                    for k in 0..n {
                        let from = &local[k * rec + i0..k * rec + i0 + w];
                        for (ii, x) in from.iter().enumerate() {
                            chunk[(i0 + ii) * n + k] = *x;
                        }
                    }
                }
            });
    }

    /// Chunk `c`'s draws of the `count` recorded values from `i` on: `count` runs of
    /// [`Records::len_of`] draws.
    fn block(&self, c: usize, i: usize, count: usize) -> &[f64] {
        let n = self.len_of(c);
        let at = c * CHUNK * self.rec + i * n;
        &self.data[at..at + count * n]
    }

    /// The draws of recorded value `i`, in draw order.
    fn draws_of(&self, i: usize) -> impl Iterator<Item = f64> {
        (0..self.draws.div_ceil(CHUNK)).flat_map(move |c| self.block(c, i, 1).iter().copied())
    }

    /// Recorded value `i` of draw `d`.
    fn value(&self, i: usize, d: usize) -> f64 {
        let c = d / CHUNK;
        self.data[c * CHUNK * self.rec + i * self.len_of(c) + d % CHUNK]
    }
}

impl Kernel {
    /// The kernel of a projection (its regions are the projection's counties, or one region for a
    /// national projection).
    ///
    /// # Errors
    ///
    /// A distribution the scenario declares wrongly.
    pub fn new(proj: &Projection) -> Result<Kernel, ModelError> {
        let sc = &proj.scenario;
        let laws = sc
            .uncertainty
            .laws()
            .map_err(|(key, message)| ModelError::Scenario {
                file: "scenario".into(),
                key,
                message,
            })?;
        let inp = &proj.inputs;
        let g = &inp.grid;
        let np = g.np();
        let years: Vec<i32> = (sc.base_year..=sc.horizon).collect();
        let (ctx, vars) = build::Context::new(proj, laws, &years);
        // The model's own error, from reruns from earlier base years.
        let model_slopes = if laws.model == Law::Estimated {
            super::backtest::model_slopes(proj).0
        } else {
            vec![[None, None]; np]
        };
        let profs: Vec<ProfKernel> = vars
            .iter()
            .enumerate()
            .map(|(p, var)| ctx.prof_kernel(p, var))
            .collect();
        let shifts = sc
            .demand
            .substitution
            .iter()
            .filter_map(|s| {
                Some(Shift {
                    from: g.prof(&s.from)?,
                    to: g.prof(&s.to)?,
                    moved: years
                        .iter()
                        .map(|&t| 1.0 - (1.0 - s.share_per_year).powi(t - sc.base_year))
                        .collect(),
                })
            })
            .collect();
        let mut kernel = Kernel {
            professions: g.professions.clone(),
            regions: g.counties.clone(),
            window: ((sc.balance.window_start().max(sc.base_year + 1) - sc.base_year) as usize
                ..=(sc.balance.target_year - sc.base_year) as usize)
                .collect(),
            rule: sc.balance.intake_rule,
            close_gap: sc.balance.close_gap,
            intake_from: sc.balance.intake_from,
            units: units_of(proj),
            years,
            profs,
            shifts,
            tolerance: sc.balance.tolerance,
            laws,
            population_sd: if laws.population == Law::Estimated {
                super::variation::population_sd(inp, sc.base_year, 10)
            } else {
                0.0
            },
        };
        if model_slopes.iter().flatten().any(Option::is_some) {
            let drifts = kernel.model_drifts(&model_slopes)?;
            for (k, d) in kernel.profs.iter_mut().zip(drifts) {
                k.model_drift = d;
            }
        }
        Ok(kernel)
    }

    /// The model's own error where the bands do not already hold it, per profession: for the
    /// nation's licensed persons, the squared error slope of the reruns less its standard error,
    /// less the slope variance that the kernel's bands without it already give (`c` in the fit
    /// `V(h) ≈ c·h²` of the band's log variance at `h` = 1 to [`super::backtest::MODEL_BASES`]
    /// years ahead, the variance read from the P10–P90 band of [`PROBE_DRAWS`] draws); for FTE,
    /// the same with the FTE band, less the licensed drift just found (which FTE carries too).
    /// Standard deviations a year, each at most [`super::variation::MAX_DRIFT`].
    fn model_drifts(
        &self,
        slopes: &[[super::backtest::Slope; 2]],
    ) -> Result<Vec<(f64, f64)>, ModelError> {
        let probe = self.run_with(PROBE_DRAWS, PROBE_SEED, &Percentiles::p10_p90(), false)?;
        let z = 2.0 * 1.281_551_565_545;
        let reach = (self.years.len() - 1).min(super::backtest::MODEL_BASES as usize);
        // The slope variance profession p's band of variable `var` already holds.
        let held = |p: usize, var: Variable| {
            let (mut num, mut den) = (0.0, 0.0);
            for h in 1..=reach {
                let q = probe.q(p, var, Region::Total, h);
                if q[0] > 0.0 && q[1] > 0.0 {
                    let sd = (q[1] / q[0]).ln() / z;
                    let h2 = (h * h) as f64;
                    num += h2 * sd * sd;
                    den += h2 * h2;
                }
            }
            if den > 0.0 { num / den } else { 0.0 }
        };
        let cap = super::variation::MAX_DRIFT * super::variation::MAX_DRIFT;
        Ok(slopes
            .iter()
            .enumerate()
            .map(|(p, [lic, fte])| {
                let excess = |s: &super::backtest::Slope, var: Variable, less: f64| {
                    s.map_or(0.0, |(b, se2)| {
                        (b * b - se2 - held(p, var) - less).clamp(0.0, cap)
                    })
                };
                let stock = excess(lic, Variable::Licensed, 0.0);
                (stock.sqrt(), excess(fte, Variable::Supply, stock).sqrt())
            })
            .collect())
    }

    /// The same kernel with each region split into parts: `parts[i] = (region, share)` makes new
    /// region `i` hold `share` of the stock, inflows and demand of `region`, with its exit level.
    /// Used to measure how the kernel scales with the number of regions (290 municipalities).
    pub fn split(&self, parts: &[(usize, f64)], codes: Vec<String>) -> Kernel {
        let ny = self.years.len();
        let per_region = |v: &[f64], width: usize| -> Vec<f64> {
            let mut out = Vec::with_capacity(parts.len() * width);
            for &(r, share) in parts {
                out.extend(v[r * width..(r + 1) * width].iter().map(|x| x * share));
            }
            out
        };
        let profs = self
            .profs
            .iter()
            .map(|k| ProfKernel {
                l0: per_region(&k.l0, 2 * NA),
                // A part keeps its region's FTE per licensed person.
                w: parts
                    .iter()
                    .flat_map(|&(r, _)| k.w[r * 2 * NA..(r + 1) * 2 * NA].iter().copied())
                    .collect(),
                region_exit: parts.iter().map(|&(r, _)| k.region_exit[r]).collect(),
                region_move: parts
                    .iter()
                    .flat_map(|&(r, _)| k.region_move[r * NA..(r + 1) * NA].iter().copied())
                    .collect(),
                process: parts.iter().map(|&(r, _)| k.process[r]).collect(),
                drift: parts.iter().map(|&(r, _)| k.drift[r]).collect(),
                se_profile: per_region(&k.se_profile, 2 * NA),
                // A part keeps its region's routing factors and margin.
                se_route: if k.se_route.is_empty() {
                    Vec::new()
                } else {
                    parts
                        .iter()
                        .flat_map(|&(r, _)| k.se_route[r * ny..(r + 1) * ny].iter().copied())
                        .collect()
                },
                se_margin: parts
                    .iter()
                    .filter_map(|&(r, _)| k.se_margin.get(r).copied())
                    .collect(),
                se_post_margin: parts
                    .iter()
                    .filter_map(|&(r, _)| k.se_post_margin.get(r).copied())
                    .collect(),
                // The parts are no counties the destinations know, nor the specialists table.
                regional: None,
                groups: None,
                foreign: [
                    per_region(&k.foreign[0], 2 * NA),
                    per_region(&k.foreign[1], 2 * NA),
                ],
                demand_a: per_region(&k.demand_a, ny),
                demand_b: per_region(&k.demand_b, ny),
                demand_fixed: k.demand_fixed.as_ref().map(|d| per_region(d, ny)),
                base: parts
                    .iter()
                    .map(|&(r, s)| (k.base[r].0 * s, k.base[r].1 * s))
                    .collect(),
                ..k.clone()
            })
            .collect();
        Kernel {
            regions: codes,
            profs,
            ..self.clone()
        }
    }

    /// Professions in an order where a layer follows its parent.
    fn order(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.profs.len())
            .filter(|&p| !matches!(self.profs[p].pipeline, Pipeline::Layer { .. }))
            .collect();
        v.extend(
            (0..self.profs.len())
                .filter(|&p| matches!(self.profs[p].pipeline, Pipeline::Layer { .. })),
        );
        v
    }

    /// Whether profession `p` is in one of [`Kernel::units`].
    fn in_unit(&self, p: usize) -> bool {
        self.units.iter().any(|u| u.members.contains(&p))
    }

    /// Intake years that can reach the window: `intake_from` to the window's last year.
    fn pulses(&self) -> usize {
        let last = self.window.iter().copied().max().unwrap_or(0);
        (self.years[0] + last as i32 - self.intake_from + 1).max(0) as usize
    }

    /// Values a unit member's record holds after the licences (0 without units): per window year
    /// supply without beginners, slope and demand; base-year supply and demand; then per window
    /// year the FTE response to one beginner in each intake year alone.
    fn tail_len(&self) -> usize {
        if self.units.is_empty() {
            return 0;
        }
        let nw = self.window.len();
        3 * nw + 2 + nw * self.pulses()
    }

    /// Values a record holds after the tail for the split over the health-care regions (0 when
    /// no profession is split): the normal equations `UᵀU` (`n × n`, row by row) and `Uᵀg`
    /// (`n`) of [`super::destinations::least_squares_normal`], for `n` the most hosts of any
    /// profession (a profession with fewer uses the first `n_p² + n_p`).
    fn split_len(&self) -> usize {
        let n = self
            .profs
            .iter()
            .filter_map(|k| k.regional.as_ref().map(|x| x.hosts.len()))
            .max()
            .unwrap_or(0);
        n * n + n
    }

    /// The length of one draw's record.
    fn rec_len(&self) -> usize {
        record_len(self.regions.len(), self.years.len()) + self.tail_len() + self.split_len()
    }

    /// Swedish licences per beginner of each intake year (from `intake_from`, [`Self::pulses`]
    /// of them), with the draw's completion rates, over the routes the cohort takes, into `out`:
    /// `(intake year index, licences, year index of the licences, fraction licensed a year later)`
    /// in order of intake year.
    fn pulse_licences(
        &self,
        p: usize,
        completion: &[f64],
        out: &mut Vec<(usize, f64, usize, f64)>,
    ) {
        out.clear();
        let Pipeline::Programme {
            share,
            routes,
            basis,
            ..
        } = &self.profs[p].pipeline
        else {
            return;
        };
        let total: f64 = basis.iter().sum();
        let n = basis.len();
        let c: f64 = (0..n)
            .map(|r| {
                let split = if total > 0.0 {
                    basis[r] / total
                } else {
                    1.0 / n as f64
                };
                completion[r] * split
            })
            .sum();
        let lic = share * c;
        for y in 0..self.pulses() {
            let cohort = self.intake_from + y as i32;
            for (i, route) in routes.iter().enumerate() {
                let w = super::supply::Route::share(routes, i, cohort);
                let at = cohort - self.years[0]
                    + route.programme_lag as i32
                    + route.licence_lag.0 as i32;
                if w > 0.0 {
                    out.push((y, lic * w, at.max(0) as usize, route.licence_lag.1));
                }
            }
        }
    }

    /// One draw's required intakes of a unit's members (floored at 0; NaN when unreachable), from
    /// their recorded windows and responses, by the rule the point projection applies.
    pub fn unit_intakes(&self, u: &Unit, rows: &[&[f64]]) -> Vec<f64> {
        let nw = self.window.len();
        let npulse = self.pulses();
        let nan = vec![f64::NAN; u.members.len()];
        if rows.iter().any(|r| r.len() < 3 * nw + 2 + nw * npulse) {
            return nan;
        }
        let window: Vec<super::intake::Year> = (0..nw)
            .map(|w| super::intake::Year {
                s0: rows.iter().map(|r| r[3 * w]).sum(),
                slope: rows
                    .iter()
                    .zip(&u.shares)
                    .map(|(r, sh)| sh * r[3 * w + 1])
                    .sum(),
                demand: rows.iter().map(|r| r[3 * w + 2]).sum(),
            })
            .collect();
        let s_base: f64 = rows.iter().map(|r| r[3 * nw]).sum();
        let d_base: f64 = rows.iter().map(|r| r[3 * nw + 1]).sum();
        let level = if u.max_change.iter().any(Option::is_some) {
            let members: Vec<super::intake::Member> = (0..u.members.len())
                .map(|m| super::intake::Member {
                    today: u.today[m],
                    max_change: u.max_change[m],
                    share: u.shares[m],
                    response: (0..nw)
                        .map(|w| {
                            let at = 3 * nw + 2 + w * npulse;
                            rows[m][at..at + npulse].to_vec()
                        })
                        .collect(),
                })
                .collect();
            let keep = if self.close_gap { 0.0 } else { d_base - s_base };
            let need: Vec<f64> = window.iter().map(|y| y.demand - keep - y.s0).collect();
            super::intake::path_level(self.rule, &need, &members).map(|l| l.level)
        } else {
            super::intake::decompose(self.rule, &window, s_base, d_base, self.close_gap)
                .map(|x| x.total())
        };
        match level.filter(|a| a.is_finite()) {
            Some(a) => u.shares.iter().map(|sh| (sh * a).max(0.0)).collect(),
            None => nan,
        }
    }

    /// Runs `draws` draws and reduces them to bands.
    ///
    /// # Errors
    ///
    /// No draws.
    pub fn run(
        &self,
        draws: usize,
        seed: u64,
        percentiles: &Percentiles,
    ) -> Result<Bands, ModelError> {
        self.run_with(draws, seed, percentiles, true)
    }

    /// [`Kernel::run`]; with `by_region` false only the national figures are reduced (the
    /// benchmark's large cubes).
    ///
    /// # Errors
    ///
    /// As [`Kernel::run`].
    pub fn run_with(
        &self,
        draws: usize,
        seed: u64,
        percentiles: &Percentiles,
        by_region: bool,
    ) -> Result<Bands, ModelError> {
        if draws == 0 {
            return Err(ModelError::Scenario {
                file: "command line".into(),
                key: "draws".into(),
                message: "0; expected one draw or more".into(),
            });
        }
        let nr = self.regions.len();
        let ny = self.years.len();
        let np = self.profs.len();
        let nq = percentiles.len();
        let rec = self.rec_len();
        let req_at = 3 * (nr + 1) * ny;
        let needed = (draws.div_ceil(CHUNK) * CHUNK) as u64 * rec as u64 * 8;
        if needed > MAX_RECORD_BYTES {
            return Err(ModelError::TooLarge {
                what: format!("{draws} draws over {nr} regions and {ny} years"),
                needed,
                limit: MAX_RECORD_BYTES,
                hint: format!(
                    "use at most {} draws here",
                    MAX_RECORD_BYTES / (rec as u64 * 8) / CHUNK as u64 * CHUNK as u64
                ),
            });
        }
        let nv = VARIABLES.len();
        let mut quantiles = vec![f64::NAN; np * nv * (nr + 1) * ny * nq];
        let mut mean = vec![f64::NAN; np * nv * (nr + 1) * ny];
        let mut shortage = vec![f64::NAN; np * (nr + 1) * ny];
        // National Swedish licences per draw of each profession a layer needs.
        let mut se_paths: Vec<Option<Vec<f64>>> = vec![None; np];
        // Each unit member's draws of its window and responses (see [`Kernel::units`]).
        let mut tails: Vec<Option<Vec<f64>>> = vec![None; np];
        // Each unit member's draws of its normal equations (see [`Kernel::split_len`]), kept
        // until its unit is solved; another profession's are used as soon as they are drawn.
        let mut normals: Vec<Option<Vec<f64>>> = vec![None; np];
        let mut intake = Vec::new();
        let mut groups = Vec::new();
        let mut out = Records::new(draws, rec);
        // The population error is the same for every profession of a draw: its factors are made
        // once per draw (no more memory than a third of the records).
        let cells = nr * ny;
        let population: Option<Vec<f64>> = (self.population_sd != 0.0).then(|| {
            let mut f = vec![0.0; draws * cells];
            f.par_chunks_mut(cells)
                .enumerate()
                .for_each(|(d, row)| self.population_factors(d as u64, seed, row));
            f
        });
        for p in self.order() {
            let pad = Padded::new(&self.profs[p], self.laws);
            let parent_pad = self.profs[p]
                .bound
                .map(|q| Padded::new(&self.profs[q], self.laws));
            let parent = match &self.profs[p].pipeline {
                Pipeline::Layer { parent, .. } => se_paths[*parent].as_deref(),
                _ => None,
            };
            out.fill(|d, s, slot| {
                let parent_se = parent.map(|v| &v[d * ny..(d + 1) * ny]);
                let pop = population
                    .as_deref()
                    .map(|f| &f[d * cells..(d + 1) * cells]);
                self.draw(
                    p,
                    d as u64,
                    seed,
                    parent_se,
                    pop,
                    &pad,
                    parent_pad.as_ref(),
                    s,
                    slot,
                );
            });
            if self
                .profs
                .iter()
                .any(|k| matches!(k.pipeline, Pipeline::Layer { parent, .. } if parent == p))
            {
                let mut v = Vec::with_capacity(draws * ny);
                for d in 0..draws {
                    v.extend((req_at + 1..req_at + 1 + ny).map(|i| out.value(i, d)));
                }
                se_paths[p] = Some(v);
            }
            if let Some(gs) = &self.profs[p].groups {
                // Licensed persons by region and year (the record's first section), draw by draw.
                let mut lic = Vec::with_capacity(draws * nr * ny);
                for d in 0..draws {
                    lic.extend((0..nr * ny).map(|i| out.value(i, d)));
                }
                groups.extend(group_bands(p, gs, &lic, (draws, nr, ny), percentiles));
            }
            self.reduce(
                p,
                &out,
                percentiles,
                by_region,
                &mut quantiles,
                &mut mean,
                &mut shortage,
            );
            let section = |at: usize, len: usize| {
                let mut v = Vec::with_capacity(draws * len);
                for d in 0..draws {
                    v.extend((at..at + len).map(|i| out.value(i, d)));
                }
                v
            };
            let normal = self.profs[p].regional.as_ref().map(|rs| {
                let n = rs.hosts.len();
                section(record_len(nr, ny) + self.tail_len(), n * n + n)
            });
            if self.in_unit(p) {
                tails[p] = Some(section(record_len(nr, ny), self.tail_len()));
                normals[p] = normal;
            } else if matches!(self.profs[p].pipeline, Pipeline::Programme { .. }) {
                let req: Vec<f64> = out.draws_of(req_at).collect();
                let regions = self.region_bands(p, &req, normal.as_deref(), percentiles);
                intake.push(band_of(p, req, percentiles, regions));
            }
        }
        // The units solved together or as paths, draw by draw, from their members' records.
        let len = self.tail_len();
        for u in &self.units {
            let mut req = vec![Vec::with_capacity(draws); u.members.len()];
            for d in 0..draws {
                let rows: Vec<&[f64]> = u
                    .members
                    .iter()
                    .map(|&m| {
                        tails[m]
                            .as_deref()
                            .map_or(&[][..], |v| &v[d * len..(d + 1) * len])
                    })
                    .collect();
                for (i, a) in self.unit_intakes(u, &rows).into_iter().enumerate() {
                    req[i].push(a);
                }
            }
            for (&p, r) in u.members.iter().zip(req) {
                let regions = self.region_bands(p, &r, normals[p].take().as_deref(), percentiles);
                intake.push(band_of(p, r, percentiles, regions));
            }
        }
        intake.sort_by_key(|b| b.profession);
        Ok(Bands {
            draws,
            seed,
            percentiles: percentiles.to_vec(),
            years: self.years.clone(),
            regions: self.regions.clone(),
            quantiles,
            mean,
            shortage,
            intake,
            groups,
            nq,
        })
    }

    /// The quantiles of each health-care region's part of profession `p`'s required intake,
    /// `[region][q]`: each draw's figure `req[d]` split by the draw's normal equations
    /// ([`super::destinations::least_squares_normal`], as the point projection's split; 0 for
    /// every region when the figure is 0), over the draws whose figure is reachable. Empty
    /// without a split.
    fn region_bands(
        &self,
        p: usize,
        req: &[f64],
        normal: Option<&[f64]>,
        percentiles: &[f64],
    ) -> Vec<Vec<f64>> {
        let (Some(rs), Some(normal)) = (&self.profs[p].regional, normal) else {
            return Vec::new();
        };
        let n = rs.hosts.len();
        let len = n * n + n;
        let split: Vec<Option<Vec<f64>>> = req
            .par_iter()
            .enumerate()
            .map(|(d, &total)| {
                if !total.is_finite() {
                    return None;
                }
                if total <= 0.0 {
                    return Some(vec![0.0; n]);
                }
                let x = &normal[d * len..(d + 1) * len];
                Some(super::destinations::least_squares_normal(
                    &x[..n * n],
                    &x[n * n..],
                    total,
                ))
            })
            .collect();
        (0..rs.today.len())
            .map(|r| {
                let j = rs.hosts.iter().position(|&h| h == r);
                let mut v: Vec<f64> = split
                    .iter()
                    .flatten()
                    .map(|x| j.map_or(0.0, |j| x[j]))
                    .collect();
                v.sort_unstable_by(f64::total_cmp);
                percentiles.iter().map(|&q| percentile(&v, q)).collect()
            })
            .collect()
    }

    /// Reduces one profession's draws to quantiles, means and shortage probabilities.
    #[allow(clippy::too_many_arguments)]
    fn reduce(
        &self,
        p: usize,
        out: &Records,
        percentiles: &[f64],
        by_region: bool,
        quantiles: &mut [f64],
        mean: &mut [f64],
        shortage: &mut [f64],
    ) {
        let nr = self.regions.len();
        let ny = self.years.len();
        let nq = percentiles.len();
        let nv = VARIABLES.len();
        let draws = out.draws;
        let at = |var: usize, r: usize, ti: usize| (var * (nr + 1) + r) * ny + ti;
        let regions: Vec<usize> = if by_region {
            (0..=nr).collect()
        } else {
            vec![nr]
        };
        // One task per variable and region: its years lie side by side in every chunk, so the
        // task reads one contiguous block per chunk. Each cell is reduced in draw order.
        let groups: Vec<(usize, usize)> = (0..nv)
            .flat_map(|v| regions.iter().map(move |&r| (v, r)))
            .collect();
        let chunks = draws.div_ceil(CHUNK);
        let tolerance = self.tolerance;
        // Per group: (percentiles, mean) by year, and shortage counts by year (gap only).
        type Reduced = (Vec<(Vec<f64>, f64)>, Vec<usize>);
        let reduced: Vec<Reduced> = groups
            .par_iter()
            .map_init(
                || vec![Vec::with_capacity(draws); ny],
                |bufs: &mut Vec<Vec<f64>>, &(v, r)| {
                    bufs.iter_mut().for_each(Vec::clear);
                    let mut short = vec![0; if v == 3 { ny } else { 0 }];
                    // Sums over four lanes (draw `d` into lane `d mod 4`; chunks hold whole
                    // multiples of four draws).
                    let mut sums = vec![[0.0; 4]; ny];
                    for c in 0..chunks {
                        let n = out.len_of(c);
                        if v == 3 {
                            let sup = out.block(c, at(1, r, 0), ny);
                            let dem = out.block(c, at(2, r, 0), ny);
                            for ti in 0..ny {
                                let run = ti * n..(ti + 1) * n;
                                for (k, (&s, &d)) in
                                    sup[run.clone()].iter().zip(&dem[run]).enumerate()
                                {
                                    sums[ti][k % 4] += s - d;
                                    bufs[ti].push(s - d);
                                    short[ti] += usize::from(d > 0.0 && s < d * (1.0 - tolerance));
                                }
                            }
                        } else {
                            let block = out.block(c, at(v, r, 0), ny);
                            for (ti, run) in block.chunks_exact(n).enumerate() {
                                for (k, &x) in run.iter().enumerate() {
                                    sums[ti][k % 4] += x;
                                }
                                bufs[ti].extend_from_slice(run);
                            }
                        }
                    }
                    let cells = bufs
                        .iter_mut()
                        .zip(&sums)
                        .map(|(buf, l)| {
                            let sum = (l[0] + l[1]) + (l[2] + l[3]);
                            (percentiles_by_buckets(buf, percentiles), sum / draws as f64)
                        })
                        .collect();
                    (cells, short)
                },
            )
            .collect();
        for (&(v, r), (cells, short)) in groups.iter().zip(reduced) {
            for (ti, (q, m)) in cells.into_iter().enumerate() {
                let i = ((p * nv + v) * (nr + 1) + r) * ny + ti;
                quantiles[i * nq..(i + 1) * nq].copy_from_slice(&q);
                mean[i] = m;
            }
            for (ti, n) in short.into_iter().enumerate() {
                shortage[(p * (nr + 1) + r) * ny + ti] = n as f64 / draws as f64;
            }
        }
    }
}
