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
use super::scenario::{Law, Laws};
use super::supply::TrendModel;
use super::variates;
use super::{ModelError, Projection};
use rand_core::Rng;
use rand_pcg::Pcg64;
use rayon::prelude::*;

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
        /// Programme length in whole years.
        programme_lag: i32,
        /// Licence lag: whole years, and the fraction licensed one year later.
        licence_lag: (i32, f64),
        /// Observed graduates (national) by year (ascending), for graduation years up to the base year.
        observed_graduates: Vec<(i32, f64)>,
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
    /// A constant annual number of Swedish licences.
    Mean(f64),
}

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
    /// FTE per licensed person over all sectors in the projection years (a retirement shift
    /// applied), each region at its own level, `[r][s][a]`.
    pub w: Vec<f64>,
    /// Profile of Swedish licences, `[r][s][a]` (sums to 1 or 0).
    pub se_profile: Vec<f64>,
    /// Mean annual foreign licences, EU/EEA and third country, `[r][s][a]`.
    pub foreign: [Vec<f64>; 2],
    /// Point trend of foreign licences by years ahead (empty: none).
    pub foreign_trend: [Vec<f64>; 2],
    /// Trend models of foreign licences.
    pub foreign_model: [Option<TrendModel>; 2],
    /// Swedish licences.
    pub pipeline: Pipeline,
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
    /// already hold it (see [`Kernel::model_drifts`]; zero: none).
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

/// Quantiles of one profession's required intake over the draws.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeBand {
    /// Profession index.
    pub profession: usize,
    /// Quantiles, in the order of [`Bands::percentiles`].
    pub quantiles: Vec<f64>,
    /// Share of draws in which no constant intake reaches the target (never expected, kept honest).
    pub unreachable: f64,
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
    nq: usize,
}

impl Bands {
    /// Number of regions including the nation.
    pub fn nr(&self) -> usize {
        self.regions.len() + 1
    }

    /// The quantiles of a variable.
    pub fn q(&self, p: usize, var: usize, region: usize, ti: usize) -> &[f64] {
        let i =
            (((p * VARIABLES.len() + var) * self.nr() + region) * self.years.len() + ti) * self.nq;
        &self.quantiles[i..i + self.nq]
    }

    /// The mean of a variable.
    pub fn mean_of(&self, p: usize, var: usize, region: usize, ti: usize) -> f64 {
        self.mean[((p * VARIABLES.len() + var) * self.nr() + region) * self.years.len() + ti]
    }

    /// The probability that supply falls short of demand beyond the tolerance.
    pub fn shortage_of(&self, p: usize, region: usize, ti: usize) -> f64 {
        self.shortage[(p * self.nr() + region) * self.years.len() + ti]
    }

    /// Index of the nation among the regions.
    pub fn national(&self) -> usize {
        self.regions.len()
    }
}

/// The `q`-th percentile of sorted values, linear between order statistics (Hyndman & Fan type 7,
/// numpy's and R's default).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

const SPLIT: u64 = 0x9E37_79B9_7F4A_7C15;

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(SPLIT);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of draw `draw` for purpose `who` (a profession index, or [`DEMAND_STREAM`]).
pub fn stream(seed: u64, draw: u64, who: u64) -> Pcg64 {
    let a = splitmix(seed);
    let b = splitmix(a ^ splitmix(draw.wrapping_mul(SPLIT) ^ who));
    Pcg64::new(
        (u128::from(a) << 64) | u128::from(b),
        (u128::from(draw) << 32) | u128::from(who),
    )
}

/// The stream purpose of the demand factors, shared by all professions of a draw.
pub const DEMAND_STREAM: u64 = u32::MAX as u64;
/// Offset of the per-profession imbalance streams.
const IMBALANCE_STREAM: u64 = 1 << 20;
/// Offset of the per-profession process-variation streams.
const PROCESS_STREAM: u64 = 2 << 20;
/// The stream purpose of the population error, shared by all professions of a draw.
const POPULATION_STREAM: u64 = u32::MAX as u64 - 1;

/// Draws of the probe run that measures how much of the model's own error the other sources of
/// variation already hold ([`Kernel::model_drifts`]).
pub const PROBE_DRAWS: usize = 200;

/// The probe run's seed (fixed: the probe is part of the estimate, not of the draws).
const PROBE_SEED: u64 = 0x006d_6f64_656c;

/// The value of year `y` in a list sorted by year.
fn by_year<T>(v: &[(i32, T)], y: i32) -> Option<&T> {
    v.binary_search_by_key(&y, |x| x.0).ok().map(|i| &v[i].1)
}

/// A standard normal variate ([`variates::standard_normal`]: the same bits on every machine).
fn normal<R: Rng>(rng: &mut R) -> f64 {
    variates::standard_normal(rng)
}

/// A rate drawn around `point` from `k` events among `n` at risk: `point · u / E[u]` with
/// `u ~ Beta(α + w·k, β + w·(n − k))` (counts clipped to `0 ≤ k ≤ n`), cut at 1. A degenerate
/// distribution (a zero shape) gives the point.
pub fn draw_rate<R: Rng>(point: f64, counts: (f64, f64), law: Law, rng: &mut R) -> f64 {
    RateLaw::new(point, counts, law, true).draw(rng)
}

/// Whether `Beta(a, b)` is a proper distribution (both shapes positive and finite).
fn beta_shapes(a: f64, b: f64) -> bool {
    a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()
}

/// A rate's law made ready to draw (the shapes worked out once per run, not once per draw): an exit
/// rate (`cap`, see [`draw_rate`]) or a completion rate, which is not cut at 1 (graduates can
/// outnumber a region's beginners when students move) and keeps its point where there are no
/// beginners to count.
#[derive(Clone, Debug)]
enum RateLaw {
    /// Always this value.
    Point(f64),
    /// `point · u · (a + b) / a`, `u ~ Beta(a, b)`, cut at 1 when `cap`.
    Beta {
        point: f64,
        a: f64,
        b: f64,
        cap: bool,
    },
}

impl RateLaw {
    /// The law of an exit rate (`cap`: cut at 1) or of a completion rate; counts are clipped to
    /// `0 ≤ k ≤ n`, and a degenerate distribution or a law other than beta gives the point.
    fn new(point: f64, (k, n): (f64, f64), law: Law, cap: bool) -> RateLaw {
        if point <= 0.0 || (!cap && n <= 0.0) {
            return RateLaw::Point(point);
        }
        let n = n.max(0.0);
        let k = k.clamp(0.0, n);
        let fixed = RateLaw::Point(if cap { point.min(1.0) } else { point });
        let Law::Beta {
            weight,
            alpha,
            beta,
        } = law
        else {
            return fixed;
        };
        let (a, b) = (alpha + weight * k, beta + weight * (n - k));
        if beta_shapes(a, b) {
            RateLaw::Beta { point, a, b, cap }
        } else {
            fixed
        }
    }

    /// One draw.
    #[inline]
    fn draw<R: Rng>(&self, rng: &mut R) -> f64 {
        match self {
            RateLaw::Point(p) => *p,
            RateLaw::Beta { point, a, b, cap } => {
                let r = point * variates::beta(*a, *b, rng) * (a + b) / a;
                if *cap { r.min(1.0) } else { r }
            }
        }
    }
}

/// A multiplier with mean 1 for an inflow level.
pub fn draw_factor<R: Rng>(law: Law, rng: &mut R) -> f64 {
    match law {
        Law::Normal { sd } => (1.0 + sd * normal(rng)).max(0.0),
        Law::LogNormal { sd } => libm::exp(sd * normal(rng) - 0.5 * sd * sd),
        _ => 1.0,
    }
}

/// An additive shift (a growth rate or an imbalance).
pub fn draw_shift<R: Rng>(law: Law, rng: &mut R) -> f64 {
    match law {
        Law::Normal { sd } => sd * normal(rng),
        _ => 0.0,
    }
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

/// The band of one profession's required intake from its draws (NaN: unreachable).
fn band_of(p: usize, draws: Vec<f64>, percentiles: &[f64]) -> IntakeBand {
    let n = draws.len();
    let mut req: Vec<f64> = draws.into_iter().filter(|x| x.is_finite()).collect();
    let unreachable = 1.0 - req.len() as f64 / n as f64;
    req.sort_unstable_by(f64::total_cmp);
    IntakeBand {
        profession: p,
        quantiles: percentiles.iter().map(|&q| percentile(&req, q)).collect(),
        unreachable,
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
        let (np, nc, nk) = (g.np(), g.nc(), g.nk());
        let cells = g.cells();
        let years: Vec<i32> = (sc.base_year..=sc.horizon).collect();
        let ny = years.len();
        let base_i = inp
            .licence_years
            .iter()
            .position(|&y| y == sc.base_year)
            .unwrap_or(0);
        let base_ti = proj
            .years
            .iter()
            .position(|&y| y == sc.base_year)
            .unwrap_or(0);
        let nr = inp.hc_regions.len();
        let ay = &inp.admission_years;
        let factor_names: Vec<&String> = sc.demand.factors.keys().collect();
        let mut profs = Vec::with_capacity(np);
        let vars: Vec<super::variation::Variation> = (0..np)
            .map(|p| {
                if laws.process == Law::Estimated
                    || laws.ratio == Law::Estimated
                    || laws.foreign == Law::Estimated
                {
                    super::variation::estimate(inp, sc, p, &proj.params[p])
                } else {
                    super::variation::Variation::default()
                }
            })
            .collect();
        // Random trends shared in law by every profession, pooled from their histories.
        let stock_drift = super::variation::pooled_trend(vars.iter().map(|v| v.stock_slope));
        let ratio_drift = super::variation::pooled_trend(vars.iter().map(|v| v.ratio_slope));
        // Years from the last employment year up to the base year to the base year itself.
        let employment_lag = inp
            .employment_years
            .iter()
            .rev()
            .find(|&&y| y <= sc.base_year)
            .map_or(0, |&y| sc.base_year - y);
        let foreign_drift =
            [0, 1].map(|o| super::variation::pooled_trend(vars.iter().map(|v| v.foreign_slope[o])));
        // The model's own error, from reruns from earlier base years.
        let model_slopes = if laws.model == Law::Estimated {
            super::backtest::model_slopes(proj).0
        } else {
            vec![[None, None]; np]
        };
        for (p, var) in vars.iter().enumerate() {
            let prm = &proj.params[p];
            // An employment or FTE trend drawn as paths carries the national year variation.
            let drawn_paths = (laws.employment == Law::Trend && prm.employment_model.is_some())
                || (laws.fte == Law::Trend && prm.fte_model.is_some());
            let mut l0 = vec![0.0; nc * 2 * NA];
            for c in 0..nc {
                for s in 0..2 {
                    for a in 0..NA {
                        l0[(c * 2 + s) * NA + a] = inp.licensed[base_i * cells + g.idx(p, c, s, a)];
                    }
                }
            }
            // The weights of the projection years (the base year's FTE is given).
            let (employment, fte) = prm.county_profiles(true);
            let mut w = vec![0.0; nc * 2 * NA];
            for c in 0..nc {
                let w = &mut w[c * 2 * NA..(c + 1) * 2 * NA];
                for k in 0..nk {
                    let at = (c * nk + k) * 2 * NA..(c * nk + k + 1) * 2 * NA;
                    for (w, (e, h)) in w
                        .iter_mut()
                        .zip(employment[at.clone()].iter().zip(&fte[at]))
                    {
                        *w += e * h;
                    }
                }
            }
            let pipeline = if let Some(c) = &prm.completion {
                let grads = |y: usize| (0..nr).map(|r| inp.graduates[(y * np + p) * nr + r]).sum();
                let begs = |y: usize| -> Vec<f64> {
                    (0..nr)
                        .map(|r| inp.beginners[(y * np + p) * nr + r])
                        .collect()
                };
                let upto: Vec<usize> = (0..ay.len()).filter(|&y| ay[y] <= sc.base_year).collect();
                Pipeline::Programme {
                    completion: c.clone(),
                    counts: prm.completion_counts.clone(),
                    share: prm.licensed_share,
                    programme_lag: prm.programme_lag as i32,
                    licence_lag: (prm.licence_lag.0 as i32, prm.licence_lag.1),
                    observed_graduates: upto.iter().map(|&y| (ay[y], grads(y))).collect(),
                    observed_beginners: upto.iter().map(|&y| (ay[y], begs(y))).collect(),
                    basis: upto.last().map_or_else(|| vec![0.0; nr], |&y| begs(y)),
                    trend: prm.admissions_trend.clone(),
                    model: prm.admissions_model.clone().map(Box::new),
                    change: prm.admissions_change.iter().map(|c| 1.0 + c).collect(),
                }
            } else if let Some((parent, lag, share)) = prm.layer {
                Pipeline::Layer {
                    parent,
                    lag: lag as i32,
                    share,
                    observed: inp
                        .licence_years
                        .iter()
                        .map(|&y| (y, super::supply::observed_se(inp, parent, y)))
                        .collect(),
                }
            } else {
                Pipeline::Mean(prm.se_mean)
            };
            let mut demand_a = vec![0.0; nc * ny];
            let mut demand_b = vec![0.0; nc * ny];
            for c in 0..nc {
                for ti in 0..ny {
                    for k in 0..nk {
                        let i = (p * nc + c) * nk + k;
                        let base_fte = proj.supply[proj.at(base_ti, p, c, k)];
                        let index = proj.demand.index[(ti * nc + c) * nk + k]
                            * proj
                                .demand
                                .care_use
                                .get(ti * nk + k)
                                .copied()
                                .unwrap_or(1.0);
                        demand_a[c * ny + ti] +=
                            base_fte * (1.0 + proj.demand.imbalance[i]) * index;
                        demand_b[c * ny + ti] += base_fte * index;
                    }
                }
            }
            let demand_fixed = sc.demand.density.contains_key(&g.professions[p]).then(|| {
                let mut d = vec![0.0; nc * ny];
                for c in 0..nc {
                    for ti in 0..ny {
                        d[c * ny + ti] = (0..nk)
                            .map(|k| proj.demand.fte[ti * np * nc * nk + (p * nc + c) * nk + k])
                            .sum();
                    }
                }
                d
            });
            let code = &g.professions[p];
            let growth = factor_names
                .iter()
                .map(|f| {
                    let per = &sc.demand.factors[*f];
                    per.get(code)
                        .or_else(|| per.get("*"))
                        .copied()
                        .unwrap_or(0.0)
                })
                .collect();
            let base = (0..nc)
                .map(|c| {
                    let fte: f64 = (0..nk)
                        .map(|k| proj.supply[proj.at(base_ti, p, c, k)])
                        .sum();
                    let lic: f64 = l0[c * 2 * NA..(c + 1) * 2 * NA].iter().sum();
                    (fte, lic)
                })
                .collect();
            profs.push(ProfKernel {
                l0,
                exit: prm.exit.clone(),
                exit_counts: prm.exit_counts.clone(),
                region_exit: prm.county_exit.clone(),
                w,
                se_profile: prm.se_profile.clone(),
                foreign: prm.foreign.clone(),
                foreign_trend: prm.foreign_trend.clone(),
                foreign_model: prm.foreign_model.clone(),
                pipeline,
                demand_a,
                demand_b,
                demand_fixed,
                growth,
                base,
                employment_trend: years
                    .iter()
                    .enumerate()
                    .map(|(ti, &y)| {
                        if ti == 0 {
                            1.0
                        } else {
                            prm.employment_factor(y)
                        }
                    })
                    .collect(),
                fte_trend: years
                    .iter()
                    .enumerate()
                    .map(|(ti, &y)| if ti == 0 { 1.0 } else { prm.fte_factor(y) })
                    .collect(),
                ratio_models: [prm.employment_model.clone(), prm.fte_model.clone()],
                ratio_lead: usize::try_from(sc.base_year + 1 - prm.ratio_trend_from).unwrap_or(0),
                employment_cap: prm.employment_cap,
                process: (0..nc)
                    .map(|c| match (laws.process, var.turnover.get(c)) {
                        (Law::Estimated, Some(t)) => (var.dispersion * t).sqrt(),
                        _ => 0.0,
                    })
                    .collect(),
                national_scale: if laws.process == Law::Estimated && var.dispersion > 0.0 {
                    (var.national_dispersion / var.dispersion).sqrt()
                } else {
                    1.0
                },
                drift: (0..nc)
                    .map(|c| match (laws.process, var.drift.get(c)) {
                        (Law::Estimated, Some(&x)) => x,
                        _ => 0.0,
                    })
                    .collect(),
                ratio_sd: if laws.ratio == Law::Estimated {
                    (var.ratio_between, var.ratio_within)
                } else {
                    (0.0, 0.0)
                },
                ratio_national: if laws.ratio == Law::Estimated
                    && var.ratio_years > 1
                    && !drawn_paths
                {
                    (
                        var.ratio_national / (var.ratio_years as f64).sqrt(),
                        var.ratio_national,
                    )
                } else {
                    (0.0, 0.0)
                },
                stock_trend: if laws.process == Law::Estimated && var.window_transitions > 0 {
                    (stock_drift, (var.window_transitions as f64 - 1.0) / 2.0)
                } else {
                    (0.0, 0.0)
                },
                ratio_trend: if laws.ratio == Law::Estimated && var.ratio_years > 0 && !drawn_paths
                {
                    // From the employment window's middle: its last year lags the base year.
                    (
                        ratio_drift,
                        (var.ratio_years as f64 - 1.0) / 2.0 + f64::from(employment_lag),
                    )
                } else {
                    (0.0, 0.0)
                },
                model_drift: (0.0, 0.0),
                foreign_drift: if laws.foreign == Law::Estimated {
                    let n = sc.supply.inflow_window.clamp(1, var.foreign_years.max(1));
                    (foreign_drift, (n as f64 - 1.0) / 2.0)
                } else {
                    ([0.0; 2], 0.0)
                },
                foreign_sd: var.foreign.map(|sd| {
                    if laws.foreign == Law::Estimated {
                        let n = sc.supply.inflow_window.clamp(1, var.foreign_years.max(1));
                        (sd / (n as f64).sqrt(), sd)
                    } else {
                        (0.0, 0.0)
                    }
                }),
            });
        }
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
        let probe = self.run_with(PROBE_DRAWS, PROBE_SEED, &[10.0, 90.0], false)?;
        let nation = self.regions.len();
        let z = 2.0 * 1.281_551_565_545;
        let reach = (self.years.len() - 1).min(super::backtest::MODEL_BASES as usize);
        // The slope variance profession p's band of variable `var` already holds.
        let held = |p: usize, var: usize| {
            let (mut num, mut den) = (0.0, 0.0);
            for h in 1..=reach {
                let q = probe.q(p, var, nation, h);
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
                let excess = |s: &super::backtest::Slope, var: usize, less: f64| {
                    s.map_or(0.0, |(b, se2)| {
                        (b * b - se2 - held(p, var) - less).clamp(0.0, cap)
                    })
                };
                let stock = excess(lic, 0, 0.0);
                (stock.sqrt(), excess(fte, 1, stock).sqrt())
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
                process: parts.iter().map(|&(r, _)| k.process[r]).collect(),
                drift: parts.iter().map(|&(r, _)| k.drift[r]).collect(),
                se_profile: per_region(&k.se_profile, 2 * NA),
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

    /// The length of one draw's record.
    fn rec_len(&self) -> usize {
        record_len(self.regions.len(), self.years.len()) + self.tail_len()
    }

    /// Swedish licences per beginner of one intake year, with the draw's completion rates, and the
    /// year-index offset of intake year 0's licences and the fraction licensed a year later:
    /// `(licences, (offset, fraction))`.
    fn pulse_licences(&self, p: usize, s: &Scratch) -> (f64, (usize, f64)) {
        let Pipeline::Programme {
            share,
            programme_lag,
            licence_lag,
            basis,
            ..
        } = &self.profs[p].pipeline
        else {
            return (0.0, (0, 0.0));
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
                s.completion[r] * split
            })
            .sum();
        let offset = self.intake_from - self.years[0] + programme_lag + licence_lag.0;
        (share * c, (offset.max(0) as usize, licence_lag.1))
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
    /// No draws, or a percentile outside 0–100.
    pub fn run(&self, draws: usize, seed: u64, percentiles: &[f64]) -> Result<Bands, ModelError> {
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
        percentiles: &[f64],
        by_region: bool,
    ) -> Result<Bands, ModelError> {
        if draws == 0 {
            return Err(ModelError::Scenario {
                file: "command line".into(),
                key: "draws".into(),
                message: "0; expected one draw or more".into(),
            });
        }
        super::scenario::check_quantiles(percentiles).map_err(|message| ModelError::Scenario {
            file: "command line".into(),
            key: "quantiles".into(),
            message,
        })?;
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
        let mut intake = Vec::new();
        // National Swedish licences per draw of each profession a layer needs.
        let mut se_paths: Vec<Option<Vec<f64>>> = vec![None; np];
        // Each unit member's draws of its window and responses (see [`Kernel::units`]).
        let mut tails: Vec<Option<Vec<f64>>> = vec![None; np];
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
            let parent = match &self.profs[p].pipeline {
                Pipeline::Layer { parent, .. } => se_paths[*parent].as_deref(),
                _ => None,
            };
            out.fill(|d, s, slot| {
                let parent_se = parent.map(|v| &v[d * ny..(d + 1) * ny]);
                let pop = population
                    .as_deref()
                    .map(|f| &f[d * cells..(d + 1) * cells]);
                self.draw(p, d as u64, seed, parent_se, pop, &pad, s, slot);
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
            self.reduce(
                p,
                &out,
                percentiles,
                by_region,
                &mut quantiles,
                &mut mean,
                &mut shortage,
            );
            if self.in_unit(p) {
                let at = record_len(nr, ny);
                let len = self.tail_len();
                let mut v = Vec::with_capacity(draws * len);
                for d in 0..draws {
                    v.extend((at..at + len).map(|i| out.value(i, d)));
                }
                tails[p] = Some(v);
            } else if matches!(self.profs[p].pipeline, Pipeline::Programme { .. }) {
                let req: Vec<f64> = out.draws_of(req_at).collect();
                intake.push(band_of(p, req, percentiles));
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
                intake.push(band_of(p, r, percentiles));
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
            nq,
        })
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

    /// Demand of profession `q` in draw `d` before shifts, `[r][t]`, into `out`.
    fn demand_before_shifts(&self, q: usize, d: u64, seed: u64, eps: &[f64], out: &mut Vec<f64>) {
        let k = &self.profs[q];
        let ny = self.years.len();
        let mut rng = stream(seed, d, IMBALANCE_STREAM + q as u64);
        let delta = draw_shift(self.laws.imbalance, &mut rng);
        out.clear();
        out.resize(k.demand_a.len(), 0.0);
        let step: f64 = k.growth.iter().zip(eps).map(|(r, e)| 1.0 + r + e).product();
        let mut g = vec![1.0; ny];
        for ti in 1..ny {
            g[ti] = g[ti - 1] * step;
        }
        for (i, o) in out.iter_mut().enumerate() {
            let ti = i % ny;
            *o = (k.demand_a[i] + delta * k.demand_b[i]) * g[ti];
        }
    }

    /// Demand of profession `p` in draw `d`, `[r][t]`, after shifts and density targets, times
    /// the population error's factors (`population`: the draw's, made once for all professions by
    /// [`Kernel::population_factors`]; `None`: made here).
    fn demand(&self, p: usize, d: u64, seed: u64, population: Option<&[f64]>, s: &mut Scratch) {
        let apply = |demand: &mut [f64]| match population {
            Some(f) => demand.iter_mut().zip(f).for_each(|(x, f)| *x *= f),
            None => self.population_error(d, seed, demand),
        };
        let mut rng = stream(seed, d, DEMAND_STREAM);
        let nf = self.profs[p].growth.len();
        let eps: Vec<f64> = (0..nf)
            .map(|_| draw_shift(self.laws.growth, &mut rng))
            .collect();
        if let Some(fixed) = &self.profs[p].demand_fixed {
            s.demand.clear();
            s.demand.extend_from_slice(fixed);
            apply(&mut s.demand);
            return;
        }
        let mut demand = std::mem::take(&mut s.demand);
        self.demand_before_shifts(p, d, seed, &eps, &mut demand);
        if self.shifts.iter().any(|x| x.from == p || x.to == p) {
            // The professions the shifts touch, each from its own draw.
            let mut involved: Vec<usize> =
                self.shifts.iter().flat_map(|x| [x.from, x.to]).collect();
            involved.sort_unstable();
            involved.dedup();
            let mut vals: Vec<Vec<f64>> = involved
                .iter()
                .map(|&q| {
                    let mut v = Vec::new();
                    self.demand_before_shifts(q, d, seed, &eps, &mut v);
                    v
                })
                .collect();
            let ny = self.years.len();
            for sh in &self.shifts {
                let fi = involved.iter().position(|&q| q == sh.from).unwrap_or(0);
                let ti_ = involved.iter().position(|&q| q == sh.to).unwrap_or(0);
                for i in 0..vals[fi].len() {
                    let m = vals[fi][i] * sh.moved[i % ny];
                    vals[fi][i] -= m;
                    vals[ti_][i] += m;
                }
            }
            if let Some(i) = involved.iter().position(|&q| q == p) {
                demand.clone_from(&vals[i]);
            }
        }
        apply(&mut demand);
        s.demand = demand;
    }

    /// The population projection's error in draw `d`: each region's demand `[r][t]` times
    /// `exp(σ·(z_1 + … + z_t))`, a random walk from the base year with its own standard normal
    /// steps per region, the same for every profession of the draw.
    fn population_error(&self, d: u64, seed: u64, demand: &mut [f64]) {
        if self.population_sd == 0.0 {
            return;
        }
        let mut f = vec![0.0; demand.len()];
        self.population_factors(d, seed, &mut f);
        demand.iter_mut().zip(&f).for_each(|(x, f)| *x *= f);
    }

    /// The population error's factors of draw `d`, `[r][t]` (1 in the base year): what
    /// [`Kernel::population_error`] multiplies demand by. `out` holds regions × years.
    fn population_factors(&self, d: u64, seed: u64, out: &mut [f64]) {
        let (sd, ny) = (self.population_sd, self.years.len());
        let mut rng = stream(seed, d, POPULATION_STREAM);
        for row in out.chunks_exact_mut(ny) {
            let mut walk = 0.0;
            row[0] = 1.0;
            for x in row.iter_mut().skip(1) {
                walk += sd * normal(&mut rng);
                *x = libm::exp(walk);
            }
        }
    }

    /// Swedish licences by year index for draw parameters already in `s` (completion, admissions),
    /// and for the required intake the unit response and the baseline's post-`intake_from` part.
    fn swedish(&self, p: usize, parent_se: Option<&[f64]>, s: &mut Scratch) {
        let ny = self.years.len();
        let base = self.years[0];
        s.se.clear();
        s.se.resize(ny, 0.0);
        s.se_unit.clear();
        s.se_unit.resize(ny, 0.0);
        s.se_post.clear();
        s.se_post.resize(ny, 0.0);
        match &self.profs[p].pipeline {
            Pipeline::Mean(m) => s.se[1..].iter_mut().for_each(|x| *x = *m),
            Pipeline::Layer {
                lag,
                share,
                observed,
                ..
            } => {
                for ti in 1..ny {
                    let from = self.years[ti] - lag;
                    let v = if from > base {
                        parent_se.map_or(0.0, |v| v[(from - base) as usize])
                    } else {
                        by_year(observed, from).copied().unwrap_or(0.0)
                    };
                    s.se[ti] = share * v;
                }
            }
            Pipeline::Programme {
                share,
                programme_lag,
                licence_lag,
                observed_graduates,
                observed_beginners,
                basis,
                change,
                ..
            } => {
                let total: f64 = basis.iter().sum();
                let nreg = basis.len();
                // Graduates of year y: (baseline, unit intake, baseline from intake_from on).
                let grads = |y: i32| -> (f64, f64, f64) {
                    if y <= base {
                        let g = by_year(observed_graduates, y).copied().unwrap_or(0.0);
                        return (g, 0.0, 0.0);
                    }
                    let x = y - programme_lag;
                    let (mut g, mut u, mut post) = (0.0, 0.0, 0.0);
                    let observed = (x <= base)
                        .then(|| by_year(observed_beginners, x))
                        .flatten();
                    for r in 0..nreg {
                        let b = match observed {
                            Some(v) => v[r],
                            None => {
                                let ahead = (x - base) as usize;
                                let tr = s.adm.get(ahead.wrapping_sub(1)).copied().unwrap_or(1.0);
                                basis[r] * tr * change[r]
                            }
                        };
                        g += s.completion[r] * b;
                        if observed.is_none() && x >= self.intake_from {
                            let split = if total > 0.0 {
                                basis[r] / total
                            } else {
                                1.0 / nreg as f64
                            };
                            u += s.completion[r] * split;
                            post += s.completion[r] * b;
                        }
                    }
                    (g, u, post)
                };
                let (l0, f) = *licence_lag;
                for ti in 1..ny {
                    let t = self.years[ti];
                    let a = grads(t - l0);
                    let b = grads(t - l0 - 1);
                    s.se[ti] = share * ((1.0 - f) * a.0 + f * b.0);
                    s.se_unit[ti] = share * ((1.0 - f) * a.1 + f * b.1);
                    s.se_post[ti] = share * ((1.0 - f) * a.2 + f * b.2);
                }
            }
        }
    }

    /// Draws profession `p`'s supply parameters of draw `d` into the scratch: exit rates,
    /// survival per cell, completion rates, admissions and foreign-licence factors.
    fn sample_into(&self, p: usize, d: u64, seed: u64, pad: &Padded, s: &mut Scratch) {
        let k = &self.profs[p];
        let nr = self.regions.len();
        let ny = self.years.len();
        let laws = self.laws;
        let mut rng = stream(seed, d, p as u64);
        // Exit rates: ages pooled for the estimate (the same rate from the same counts as the
        // age before) hold one rate's worth of information and share its draw; the last age's
        // rate is 1 by definition.
        s.exit.clear();
        for j in 0..2 * NA {
            let rate = match &pad.exit_laws[j] {
                Some(law) => law.draw(&mut rng),
                None if j % NA == NA - 1 => k.exit[j],
                None => s.exit[j - 1],
            };
            s.exit.push(rate);
        }
        // Survival laid out for the passes (see `Rows::surv`): lane `a + 1` holds age `a`'s.
        s.surv.clear();
        s.surv.resize(nr * 2 * S, 0.0);
        for (i, row) in s.surv.chunks_exact_mut(S).enumerate() {
            let q = k.region_exit[i / 2];
            let exit = &s.exit[(i % 2) * NA..(i % 2 + 1) * NA - 1];
            for (to, x) in row[1..NA].iter_mut().zip(exit) {
                *to = 1.0 - (x * q).min(1.0);
            }
        }
        // Completion and admissions.
        s.completion.clear();
        s.adm.clear();
        if let Pipeline::Programme {
            completion,
            trend,
            model,
            ..
        } = &k.pipeline
        {
            debug_assert_eq!(completion.len(), pad.completion_laws.len());
            for law in &pad.completion_laws {
                s.completion.push(law.draw(&mut rng));
            }
            match (laws.admissions, model) {
                (Law::Trend, Some(m)) => {
                    let path = m.fit.simulate(ny - 1, || normal(&mut rng));
                    s.adm.extend(m.factors(&path));
                }
                _ => s.adm.extend_from_slice(trend),
            }
        }
        // Foreign licences: a factor per year ahead and origin.
        for o in 0..2 {
            let f = &mut s.f[o];
            f.clear();
            match (laws.foreign, &k.foreign_model[o]) {
                (Law::Trend, Some(m)) => {
                    let path = m.fit.simulate(ny - 1, || normal(&mut rng));
                    f.extend(m.factors(&path));
                }
                (Law::Estimated, _) => {
                    let (level_sd, year_sd) = k.foreign_sd[o];
                    let (drift, lead) = (k.foreign_drift.0[o], k.foreign_drift.1);
                    let level = libm::exp(level_sd * normal(&mut rng) - 0.5 * level_sd * level_sd);
                    let omega = drift * normal(&mut rng);
                    for i in 0..ny - 1 {
                        // Year index i + 1: the trend from the window's middle, mean kept at 1.
                        let at = i as f64 + 1.0 + lead;
                        let (trend, var) =
                            (omega * at, year_sd * year_sd + drift * drift * at * at);
                        let year = libm::exp(year_sd * normal(&mut rng) + trend - 0.5 * var);
                        f.push(level * year * k.foreign_trend[o].get(i).copied().unwrap_or(1.0));
                    }
                }
                (law, _) => {
                    let level = draw_factor(law, &mut rng);
                    f.extend(
                        (0..ny - 1)
                            .map(|i| level * k.foreign_trend[o].get(i).copied().unwrap_or(1.0)),
                    );
                }
            }
        }
        // Employment share and FTE per employed: factors by year index (the base year's is 1). A
        // path runs from the last fitted employment year, through the nowcast years, to the horizon.
        for (i, law) in [laws.employment, laws.fte].into_iter().enumerate() {
            let (out, point, cap) = if i == 0 {
                (&mut s.emp, &k.employment_trend, k.employment_cap)
            } else {
                (&mut s.fte, &k.fte_trend, f64::INFINITY)
            };
            out.clear();
            match (law, &k.ratio_models[i]) {
                (Law::Trend, Some(m)) => {
                    let lead = k.ratio_lead;
                    let path = m.fit.simulate(lead + ny - 1, || normal(&mut rng));
                    out.push(1.0);
                    out.extend(m.factors(&path[lead..]).into_iter().map(|f| f.min(cap)));
                }
                _ => out.extend_from_slice(point),
            }
        }
    }

    /// Draws profession `p`'s process variation of draw `d` into the scratch (from its own
    /// stream, so the other parameters' draws are the same with or without it): the stocks'
    /// standard normal steps `[r][t]`, then the FTE ratio's log factors `[r][t]`
    /// (`σ_between·η_r + σ_within·ξ_{r,t}`, centred each year on the regions' FTE-weighted mean; 0 in the base year). Both stay empty when the scenario
    /// or the history gives none.
    fn variation_into(&self, p: usize, d: u64, seed: u64, s: &mut Scratch) {
        let k = &self.profs[p];
        let (nr, ny) = (self.regions.len(), self.years.len());
        s.steps.clear();
        s.ratio.clear();
        s.trend.clear();
        let process = k.process.iter().chain(&k.drift).any(|&x| x > 0.0);
        let (between, within) = k.ratio_sd;
        let (level, yearly) = k.ratio_national;
        let (ratio_drift, ratio_lead) = k.ratio_trend;
        let (stock_drift, stock_lead) = k.stock_trend;
        let ratio = [between, within, level, yearly, ratio_drift]
            .iter()
            .any(|&x| x > 0.0);
        let (model_stock, model_ratio) = k.model_drift;
        if !process && !ratio && stock_drift == 0.0 && model_stock == 0.0 && model_ratio == 0.0 {
            return;
        }
        let mut rng = stream(seed, d, PROCESS_STREAM + p as u64);
        if process {
            // Year index 0 holds the region's lasting drift `drift[r]·η_r`; the others the
            // year's standard normal step.
            s.steps.resize(nr * ny, 0.0);
            for r in 0..nr {
                s.steps[r * ny] = k.drift[r] * normal(&mut rng);
                for ti in 1..ny {
                    s.steps[r * ny + ti] = normal(&mut rng);
                }
            }
            // Each year's steps combined so that their national sum has the national residuals'
            // variance: the part along the regions' weights scaled by √(φ_nat/φ).
            let gamma = 1.0 - k.national_scale;
            if gamma != 0.0 {
                s.weights.clear();
                s.weights
                    .extend((0..nr).map(|r| k.process[r] * k.base[r].1.max(0.0).sqrt()));
                let weight = &s.weights;
                let ss: f64 = weight.iter().map(|w| w * w).sum();
                if ss > 0.0 {
                    for ti in 1..ny {
                        let dot: f64 = (0..nr).map(|r| weight[r] * s.steps[r * ny + ti]).sum();
                        for r in 0..nr {
                            s.steps[r * ny + ti] -= gamma * weight[r] * dot / ss;
                        }
                    }
                }
            }
        }
        if ratio {
            s.ratio.resize(nr * ny, 0.0);
            for r in 0..nr {
                let lasting = between * normal(&mut rng);
                for ti in 1..ny {
                    s.ratio[r * ny + ti] = lasting + within * normal(&mut rng);
                }
            }
            // The deviations are measured around the national pattern, which the national
            // employment and FTE ratios already carry: each year's are centred on their
            // FTE-weighted mean, so that they move FTE between regions, not the nation's total.
            let total: f64 = k.base.iter().map(|b| b.0.max(0.0)).sum();
            if nr > 1 && total > 0.0 {
                for ti in 1..ny {
                    let mean: f64 = (0..nr)
                        .map(|r| k.base[r].0.max(0.0) * s.ratio[r * ny + ti])
                        .sum::<f64>()
                        / total;
                    for r in 0..nr {
                        s.ratio[r * ny + ti] -= mean;
                    }
                }
            }
            // The nation's own year effect, shared by every region.
            let lasting = level * normal(&mut rng);
            for ti in 1..ny {
                let common = lasting + yearly * normal(&mut rng);
                for r in 0..nr {
                    s.ratio[r * ny + ti] += common;
                }
            }
            // A random trend of the nation's FTE per licensed person, from the window's middle.
            if ratio_drift > 0.0 {
                let omega = ratio_drift * normal(&mut rng);
                for ti in 1..ny {
                    let t = omega * (ti as f64 + ratio_lead);
                    for r in 0..nr {
                        s.ratio[r * ny + ti] += t;
                    }
                }
            }
        }
        // A random trend of the national stock's growth: its log factor by year index.
        if stock_drift > 0.0 {
            let omega = stock_drift * normal(&mut rng);
            s.trend.resize(ny, 0.0);
            for ti in 1..ny {
                s.trend[ti] = s.trend[ti - 1] + omega * (ti as f64 + stock_lead);
            }
        }
        // The model's own error: a random drift of the national stock, on the same log factors,
        // and one of the nation's FTE per licensed person, on every region's FTE factors.
        if model_stock > 0.0 {
            let omega = model_stock * normal(&mut rng);
            s.trend.resize(ny, 0.0);
            for ti in 1..ny {
                s.trend[ti] += omega * ti as f64;
            }
        }
        if model_ratio > 0.0 {
            let omega = model_ratio * normal(&mut rng);
            s.ratio.resize(nr * ny, 0.0);
            for r in 0..nr {
                for ti in 1..ny {
                    s.ratio[r * ny + ti] += omega * ti as f64;
                }
            }
        }
    }

    /// The parameters draw `d` takes for profession `p` (what a second implementation needs to
    /// reproduce the draw): exit rates `[s][a]`, completion rates by health-care region, admissions
    /// factors and EU/EEA and third-country licence factors by years ahead, the imbalance shift, and
    /// the growth factors' shifts.
    pub fn sample(&self, p: usize, d: u64, seed: u64) -> Sample {
        let mut s = Scratch::default();
        let pad = Padded::new(&self.profs[p], self.laws);
        self.sample_into(p, d, seed, &pad, &mut s);
        let mut rng = stream(seed, d, IMBALANCE_STREAM + p as u64);
        let imbalance = draw_shift(self.laws.imbalance, &mut rng);
        let mut rng = stream(seed, d, DEMAND_STREAM);
        let growth = (0..self.profs[p].growth.len())
            .map(|_| draw_shift(self.laws.growth, &mut rng))
            .collect();
        self.variation_into(p, d, seed, &mut s);
        Sample {
            exit: s.exit,
            completion: s.completion,
            admissions: s.adm,
            foreign: s.f,
            imbalance,
            growth,
            employment: s.emp,
            fte: s.fte,
            steps: s.steps,
            ratio: s.ratio,
            trend: s.trend,
            population: {
                let mut v = vec![1.0; self.regions.len() * self.years.len()];
                self.population_error(d, seed, &mut v);
                if self.population_sd == 0.0 {
                    Vec::new()
                } else {
                    v.iter().map(|x| x.ln()).collect()
                }
            },
        }
    }

    /// One draw's record of profession `p`: `[licensed, supply, demand][region + nation][year]`,
    /// the required intake, then the national Swedish licences by year.
    pub fn record(&self, p: usize, d: u64, seed: u64, parent_se: Option<&[f64]>) -> Vec<f64> {
        let mut slot = vec![0.0; self.rec_len()];
        let pad = Padded::new(&self.profs[p], self.laws);
        self.draw(
            p,
            d,
            seed,
            parent_se,
            None,
            &pad,
            &mut Scratch::default(),
            &mut slot,
        );
        slot
    }

    /// Swedish licences of profession `p` by year index as an affine function of the completion
    /// rates at the point admissions: `(constant, coefficient [year][region])` for the baseline, the
    /// unit-intake response and the baseline's part from `intake_from` on (coefficients only).
    pub fn swedish_coefficients(&self, p: usize) -> [(Vec<f64>, Vec<f64>); 3] {
        let ny = self.years.len();
        if let Pipeline::Programme {
            completion, trend, ..
        } = &self.profs[p].pipeline
        {
            let mut s = Scratch {
                adm: trend.clone(),
                ..Scratch::default()
            };
            let nreg = completion.len();
            let mut out: [(Vec<f64>, Vec<f64>); 3] = Default::default();
            s.completion = vec![0.0; nreg];
            self.swedish(p, None, &mut s);
            out[0].0 = s.se.clone();
            out[1].0 = s.se_unit.clone();
            out[2].0 = s.se_post.clone();
            for o in &mut out {
                o.1 = vec![0.0; ny * nreg];
            }
            for r in 0..nreg {
                s.completion = (0..nreg).map(|x| f64::from(u8::from(x == r))).collect();
                self.swedish(p, None, &mut s);
                for ti in 0..ny {
                    out[0].1[ti * nreg + r] = s.se[ti] - out[0].0[ti];
                    out[1].1[ti * nreg + r] = s.se_unit[ti] - out[1].0[ti];
                    out[2].1[ti * nreg + r] = s.se_post[ti] - out[2].0[ti];
                }
            }
            return out;
        }
        let mut s = Scratch::default();
        self.swedish(p, None, &mut s);
        [
            (s.se, Vec::new()),
            (vec![0.0; ny], Vec::new()),
            (vec![0.0; ny], Vec::new()),
        ]
    }

    /// One draw of one profession, into `slot` (see [`record_len`]); `population`: the draw's
    /// population factors when made beforehand.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        p: usize,
        d: u64,
        seed: u64,
        parent_se: Option<&[f64]>,
        population: Option<&[f64]>,
        pad: &Padded,
        s: &mut Scratch,
        slot: &mut [f64],
    ) {
        let k = &self.profs[p];
        let nr = self.regions.len();
        let ny = self.years.len();
        self.sample_into(p, d, seed, pad, s);
        self.swedish(p, parent_se, s);
        self.variation_into(p, d, seed, s);
        // Forward: stocks, FTE and licensed persons by region.
        let (lic_at, sup_at, dem_at) = (0, (nr + 1) * ny, 2 * (nr + 1) * ny);
        let constant_foreign = ny > 1
            && s.f[0].iter().all(|x| *x == s.f[0][0])
            && s.f[1].iter().all(|x| *x == s.f[1][0]);
        if constant_foreign {
            let (fe, ft) = (s.f[0][0], s.f[1][0]);
            s.fixed.clear();
            s.fixed
                .extend(pad.f[0].iter().zip(&pad.f[1]).map(|(a, b)| fe * a + ft * b));
        }
        {
            let (lic, rest) = slot[lic_at..].split_at_mut(sup_at - lic_at);
            let sup = &mut rest[..nr * ny];
            let lic = &mut lic[..nr * ny];
            for r in 0..nr {
                sup[r * ny] = k.base[r].0;
                lic[r * ny] = k.base[r].1;
            }
            forward(
                &Rows {
                    fixed: constant_foreign.then_some(&s.fixed[..]),
                    pad,
                    surv: &s.surv,
                    se: &s.se,
                    fe: &s.f[0],
                    ft: &s.f[1],
                    process: (!s.steps.is_empty()).then_some((&k.process[..], &s.steps[..])),
                },
                lic,
                sup,
            );
            // The national stock's random trend, on every region's licensed persons and FTE.
            if !s.trend.is_empty() {
                for ti in 1..ny {
                    let f = libm::exp(s.trend[ti]);
                    for r in 0..nr {
                        lic[r * ny + ti] *= f;
                        sup[r * ny + ti] *= f;
                    }
                }
            }
            // Each region's FTE per licensed person strays from the national pattern.
            if !s.ratio.is_empty() {
                for (x, f) in sup.iter_mut().zip(&s.ratio) {
                    if *f != 0.0 {
                        *x *= libm::exp(*f);
                    }
                }
            }
            // The employment-share and FTE trends scale every region's supply in their year.
            if s.emp.iter().chain(&s.fte).any(|&f| f != 1.0) {
                for r in 0..nr {
                    for ti in 1..ny {
                        sup[r * ny + ti] *= s.emp[ti] * s.fte[ti];
                    }
                }
            }
        }
        // Demand.
        self.demand(p, d, seed, population, s);
        slot[dem_at..dem_at + nr * ny].copy_from_slice(&s.demand);
        // National sums.
        for v in 0..3 {
            let at = v * (nr + 1) * ny;
            for ti in 0..ny {
                slot[at + nr * ny + ti] = (0..nr).map(|r| slot[at + r * ny + ti]).sum();
            }
        }
        // Required intake by the adjoint: for each year T of the window, g[t] = national FTE in T
        // per licence entering (with the Swedish profile) in year t; then the scenario's rule over
        // the window, floored at 0 as the published figure is.
        let req_at = 3 * (nr + 1) * ny;
        slot[req_at] = f64::NAN;
        if matches!(k.pipeline, Pipeline::Programme { .. }) {
            s.window.clear();
            // Survival, the entry profile and the FTE weights do not change with the year, so the
            // FTE in year T per licence entering in year t depends on T − t alone: one adjoint
            // pass from the window's last year gives every target's (the same operations, so the
            // same bits, as a pass from each target).
            let last = self.window.iter().copied().max().unwrap_or(0);
            s.h.clear();
            s.h.resize(ny, 0.0);
            adjoint(&s.surv, pad, last, &mut s.h);
            let tail = self.in_unit(p).then(|| self.pulse_licences(p, s));
            let (tail_at, nw, npulse) = (record_len(nr, ny), self.window.len(), self.pulses());
            for (w, &target) in self.window.iter().enumerate() {
                s.v.clear();
                s.v.resize(ny, 0.0);
                let shift = last - target;
                for ti in 1..=target {
                    s.v[ti] = s.h[ti + shift];
                }
                // FTE per licence in the target year carries that year's trend factors.
                let ratio = s.emp[target] * s.fte[target];
                if ratio != 1.0 {
                    s.v.iter_mut().for_each(|g| *g *= ratio);
                }
                let (mut s0, mut slope) = (slot[sup_at + nr * ny + target], 0.0);
                for ti in (1..=target).rev() {
                    let g = s.v[ti];
                    s0 -= s.se_post[ti] * g;
                    slope += s.se_unit[ti] * g;
                }
                // A unit member records the window year and its response to each intake year.
                if let Some((lic, (offset, f))) = &tail {
                    let at = tail_at + 3 * w;
                    slot[at] = s0;
                    slot[at + 1] = slope;
                    slot[at + 2] = slot[dem_at + nr * ny + target];
                    for y in 0..npulse {
                        let ti = y + offset;
                        let v = |i: usize| if i <= target { s.v[i] } else { 0.0 };
                        slot[tail_at + 3 * nw + 2 + w * npulse + y] =
                            lic * ((1.0 - f) * v(ti) + f * v(ti + 1));
                    }
                }
                s.window.push(super::intake::Year {
                    s0,
                    slope,
                    demand: slot[dem_at + nr * ny + target],
                });
            }
            if tail.is_some() {
                slot[tail_at + 3 * nw] = slot[sup_at + nr * ny];
                slot[tail_at + 3 * nw + 1] = slot[dem_at + nr * ny];
            }
            let parts = super::intake::decompose(
                self.rule,
                &s.window,
                slot[sup_at + nr * ny],
                slot[dem_at + nr * ny],
                self.close_gap,
            );
            if let Some(a) = parts.map(|x| x.total()).filter(|a| a.is_finite()) {
                slot[req_at] = a.max(0.0);
            }
        }
        // National Swedish licences, for layers.
        for ti in 0..ny {
            slot[req_at + 1 + ti] = s.se[ti] * pad.prof_total;
        }
    }
}

/// Lanes the passes run over per row: the ages and one more (the slot a cohort leaving the last
/// age would move into, always 0), rounded up to whole accumulators.
const U: usize = (NA + 1).next_multiple_of(L);
/// Row stride of the padded arrays: room for the forward pass's one-slot offset and the adjoint's
/// read one age ahead, with zeros.
const S: usize = U + 8;

/// One profession's fixed arrays laid out for the passes: rows of [`S`] lanes (ages first, then
/// zeros), so that every row is whole vectors and no pass needs a tail.
#[derive(Clone, Debug, Default)]
struct Padded {
    /// Base-year stock `[r][s]` rows.
    l0: Vec<f64>,
    /// Profile of Swedish licences.
    prof: Vec<f64>,
    /// Mean foreign licences, EU/EEA and third country.
    f: [Vec<f64>; 2],
    /// FTE weights, one row per sex.
    w: Vec<f64>,
    /// The sum of the profile of Swedish licences (1, or 0 without licences).
    prof_total: f64,
    /// The first and last age with a non-zero profile, by row (`None`: none).
    prof_span: Vec<Option<(usize, usize)>>,
    /// Exit rates' laws `[s][a]`: `None` where the age shares the draw of the age before (ages
    /// pooled for the estimate hold one rate's worth of information) or is the last (its rate is
    /// 1 by definition).
    exit_laws: Vec<Option<RateLaw>>,
    /// Completion rates' laws by health-care region.
    completion_laws: Vec<RateLaw>,
}

/// The first and last lane of each padded row that is not zero.
fn spans(v: &[f64]) -> Vec<Option<(usize, usize)>> {
    v.chunks_exact(S)
        .map(|r| {
            let lo = r.iter().position(|x| *x != 0.0)?;
            let hi = r.iter().rposition(|x| *x != 0.0)?;
            Some((lo, hi))
        })
        .collect()
}

/// `v`'s rows of [`NA`] ages as rows of [`S`] lanes.
fn pad_rows(v: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; v.len() / NA * S];
    for (o, i) in out.chunks_exact_mut(S).zip(v.chunks_exact(NA)) {
        o[..NA].copy_from_slice(i);
    }
    out
}

impl Padded {
    fn new(k: &ProfKernel, laws: Laws) -> Padded {
        let exit_laws = (0..2 * NA)
            .map(|j| {
                let pooled = j % NA > 0
                    && k.exit[j] == k.exit[j - 1]
                    && k.exit_counts[j] == k.exit_counts[j - 1];
                (j % NA != NA - 1 && !pooled)
                    .then(|| RateLaw::new(k.exit[j], k.exit_counts[j], laws.exit, true))
            })
            .collect();
        let completion_laws = match &k.pipeline {
            Pipeline::Programme {
                completion, counts, ..
            } => completion
                .iter()
                .enumerate()
                .map(|(r, &c)| {
                    let n = counts.get(r).copied().unwrap_or((0.0, 0.0));
                    RateLaw::new(c, n, laws.completion, false)
                })
                .collect(),
            _ => Vec::new(),
        };
        let prof = pad_rows(&k.se_profile);
        Padded {
            l0: pad_rows(&k.l0),
            prof_span: spans(&prof),
            prof,
            f: [pad_rows(&k.foreign[0]), pad_rows(&k.foreign[1])],
            w: pad_rows(&k.w),
            prof_total: k.se_profile.iter().sum(),
            exit_laws,
            completion_laws,
        }
    }
}

/// One profession's arrays for the forward pass (rows of [`S`] lanes, see [`Padded`]), and the
/// draw's survival, Swedish licences by year and foreign factors by years ahead.
struct Rows<'a> {
    /// `fe·f0 + ft·f1` when the foreign factors are the same every year (then `fe`, `ft` are not
    /// read): one stream instead of two.
    fixed: Option<&'a [f64]>,
    pad: &'a Padded,
    /// Survival into each lane from the lane before: `surv[j]` is the share of age `j − 1` that
    /// stays a year (0 in lane 0 and past the last age).
    surv: &'a [f64],
    se: &'a [f64],
    fe: &'a [f64],
    ft: &'a [f64],
    /// Process variation: `√(φ·τ)` by region and the standard normal steps `[r][t]`.
    process: Option<(&'a [f64], &'a [f64])>,
}

/// Row `i` of a padded array.
#[inline(always)]
fn row(v: &[f64], i: usize) -> &[f64; S] {
    v[i * S..(i + 1) * S].try_into().expect("a padded row")
}

/// Lanes of the accumulators (two four-lane vectors, or one eight-lane vector).
const L: usize = 8;

/// An accumulator's lanes added in a fixed order.
#[inline(always)]
fn total(acc: &[f64; L]) -> f64 {
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

/// The two row operations of the passes. Both implementations do the same operations in the same
/// order per lane (a multiply and an add are never fused), so they give the same bits.
trait RowOps {
    /// One row one year on: `cur[1 + j] = prev[j]·surv[j] + (se·prof[j] + fx[j])` (the state sits
    /// one lane right of its ages, so lane 0 of `prev` is the empty age before the first), adding
    /// the new persons and their FTE into the accumulators.
    ///
    /// # Safety
    ///
    /// The implementation's instructions must be present.
    #[allow(clippy::too_many_arguments)]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    );

    /// One row one year back over the accumulator-wide blocks `blocks` of lanes:
    /// `new[a] = surv[a + 1]·old[a + 1]` (when `shift`; `surv[a + 1]` is the survival of age `a`),
    /// then `acc += new·prof` lane by lane.
    ///
    /// # Safety
    ///
    /// As [`RowOps::step`].
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    );
}

/// Plain Rust, vectorised as the compiler sees fit.
struct Portable;

impl RowOps for Portable {
    #[inline(always)]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    ) {
        for v in 0..U / L {
            for l in 0..L {
                let j = L * v + l;
                let x = prev[j] * surv[j] + (se * prof[j] + fx[j]);
                cur[1 + j] = x;
                acc[0][l] += x;
                acc[1][l] += x * w[j];
            }
        }
    }

    #[inline(always)]
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    ) {
        for v in blocks {
            for l in 0..L {
                let j = L * v + l;
                if shift {
                    new[j] = surv[j + 1] * old[j + 1];
                }
                acc[l] += new[j] * prof[j];
            }
        }
    }
}

/// AVX2: eight lanes as two four-lane vectors, accumulators in registers.
#[cfg(target_arch = "x86_64")]
struct Avx2;

#[cfg(target_arch = "x86_64")]
impl RowOps for Avx2 {
    #[target_feature(enable = "avx2")]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    ) {
        use std::arch::x86_64::*;
        // SAFETY: every load and store is inside a row of S ≥ U + 1 lanes.
        unsafe {
            let (p, c, s, pr, f, ww) = (
                prev.as_ptr(),
                cur.as_mut_ptr(),
                surv.as_ptr(),
                prof.as_ptr(),
                fx.as_ptr(),
                w.as_ptr(),
            );
            let sev = _mm256_set1_pd(se);
            let mut l = [
                _mm256_loadu_pd(acc[0].as_ptr()),
                _mm256_loadu_pd(acc[0].as_ptr().add(4)),
            ];
            let mut e = [
                _mm256_loadu_pd(acc[1].as_ptr()),
                _mm256_loadu_pd(acc[1].as_ptr().add(4)),
            ];
            for v in 0..U / L {
                for h in 0..2 {
                    let j = L * v + 4 * h;
                    let stay = _mm256_mul_pd(_mm256_loadu_pd(p.add(j)), _mm256_loadu_pd(s.add(j)));
                    let new = _mm256_add_pd(
                        _mm256_mul_pd(sev, _mm256_loadu_pd(pr.add(j))),
                        _mm256_loadu_pd(f.add(j)),
                    );
                    let x = _mm256_add_pd(stay, new);
                    _mm256_storeu_pd(c.add(1 + j), x);
                    l[h] = _mm256_add_pd(l[h], x);
                    e[h] = _mm256_add_pd(e[h], _mm256_mul_pd(x, _mm256_loadu_pd(ww.add(j))));
                }
            }
            _mm256_storeu_pd(acc[0].as_mut_ptr(), l[0]);
            _mm256_storeu_pd(acc[0].as_mut_ptr().add(4), l[1]);
            _mm256_storeu_pd(acc[1].as_mut_ptr(), e[0]);
            _mm256_storeu_pd(acc[1].as_mut_ptr().add(4), e[1]);
        }
    }

    #[target_feature(enable = "avx2")]
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    ) {
        use std::arch::x86_64::*;
        assert!(blocks.end <= U / L);
        // SAFETY: every load and store is inside a row of S ≥ U + 1 lanes (blocks end by U / L).
        unsafe {
            let (o, n, s, pr) = (old.as_ptr(), new.as_mut_ptr(), surv.as_ptr(), prof.as_ptr());
            let mut a = [
                _mm256_loadu_pd(acc.as_ptr()),
                _mm256_loadu_pd(acc.as_ptr().add(4)),
            ];
            for v in blocks {
                for h in 0..2 {
                    let j = L * v + 4 * h;
                    let x = if shift {
                        let x = _mm256_mul_pd(
                            _mm256_loadu_pd(s.add(j + 1)),
                            _mm256_loadu_pd(o.add(j + 1)),
                        );
                        _mm256_storeu_pd(n.add(j), x);
                        x
                    } else {
                        _mm256_loadu_pd(n.add(j))
                    };
                    a[h] = _mm256_add_pd(a[h], _mm256_mul_pd(x, _mm256_loadu_pd(pr.add(j))));
                }
            }
            _mm256_storeu_pd(acc.as_mut_ptr(), a[0]);
            _mm256_storeu_pd(acc.as_mut_ptr().add(4), a[1]);
        }
    }
}

/// Regions the passes take at a time: their arrays stay in the first-level cache across all
/// their years.
const BLOCK: usize = 3;

/// The forward pass, a block of regions at a time (a cohort never leaves its region and sex, so a
/// block runs through all its years before the next starts). Licensed persons and FTE go into
/// `lic` and `sup` (`[r][year]`, year 0 left alone).
#[inline(always)]
fn forward_body<O: RowOps>(x: &Rows<'_>, lic: &mut [f64], sup: &mut [f64]) {
    let ny = x.se.len();
    let regions = x.pad.l0.len() / (2 * S);
    // Two state buffers used in turn; lane 0 of every row stays 0.
    let mut bufs = [[[0.0; S]; 2 * BLOCK]; 2];
    let mut inflow = [0.0; S];
    for first in (0..regions).step_by(BLOCK) {
        let nb = BLOCK.min(regions - first);
        for i in 0..2 * nb {
            bufs[0][i] = [0.0; S];
            bufs[0][i][1..1 + NA].copy_from_slice(&row(&x.pad.l0, 2 * first + i)[..NA]);
        }
        for ti in 1..ny {
            let se = x.se[ti];
            let [b0, b1] = &mut bufs;
            let (p, c) = if ti % 2 == 1 { (&*b0, b1) } else { (&*b1, b0) };
            for rb in 0..nb {
                let r = first + rb;
                let mut acc = [[0.0; L]; 2];
                for sx in 0..2 {
                    let (i, at) = (2 * rb + sx, 2 * r + sx);
                    let fx = match x.fixed {
                        Some(fixed) => row(fixed, at),
                        None => {
                            let (fe, ft) = (x.fe[ti - 1], x.ft[ti - 1]);
                            let (f0, f1) = (row(&x.pad.f[0], at), row(&x.pad.f[1], at));
                            for j in 0..U {
                                inflow[j] = fe * f0[j] + ft * f1[j];
                            }
                            &inflow
                        }
                    };
                    // SAFETY: the caller checked O's instructions.
                    unsafe {
                        O::step(
                            &p[i],
                            &mut c[i],
                            row(x.surv, at),
                            row(&x.pad.prof, at),
                            fx,
                            row(&x.pad.w, at),
                            se,
                            &mut acc,
                        );
                    }
                }
                let (mut l, mut f) = (total(&acc[0]), total(&acc[1]));
                // Process variation: a step of standard deviation √(φ·τ·L), applied to the
                // region's whole stock (every sex and age in proportion).
                if let Some((k, z)) = x.process
                    && l > 0.0
                {
                    let m = (1.0 + k[r] * z[r * ny + ti] / l.sqrt() + z[r * ny]).max(0.0);
                    for i in 2 * rb..2 * rb + 2 {
                        c[i].iter_mut().for_each(|v| *v *= m);
                    }
                    l *= m;
                    f *= m;
                }
                lic[r * ny + ti] = l;
                sup[r * ny + ti] = f;
            }
        }
    }
}

/// The adjoint: `v` starts as the FTE weights in the target year and steps back,
/// `v[a] ← surv(a)·v[a+1]`; `g[t] += Σ v·profile` is the target year's FTE per Swedish licence
/// entering in year `t`. Each row runs through all its years at once.
///
/// Only the ages that reach the profile's are followed: `g[t]` needs `v` where the profile is not
/// zero (`[lo, hi]`), and the step back to `t − 1` needs `v[t]` one age further, so year `t` needs
/// the ages `[lo, hi + t − 1]`. The blocks of lanes left out hold stale (finite, non-negative)
/// values that only ever meet a zero profile, so the sums are the same bits as over every lane.
#[inline(always)]
fn adjoint_body<O: RowOps>(surv: &[f64], pad: &Padded, target: usize, g: &mut [f64]) {
    let rows = surv.len() / S;
    let mut v = [[0.0; S]; 2];
    for i in 0..rows {
        let Some((lo, hi)) = pad.prof_span[i] else {
            continue;
        };
        let (survs, prof) = (row(surv, i), row(&pad.prof, i));
        v[0] = *row(&pad.w, i);
        for ti in (1..=target).rev() {
            let [a, b] = &mut v;
            let (old, new) = if (target - ti) % 2 == 1 {
                (&*a, b)
            } else {
                (&*b, a)
            };
            let blocks = lo / L..(hi + ti).div_ceil(L).min(U / L);
            let mut acc = [0.0; L];
            // SAFETY: the caller checked O's instructions.
            unsafe { O::back(old, new, survs, prof, ti < target, blocks, &mut acc) };
            g[ti] += total(&acc);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn forward_avx2(x: &Rows<'_>, lic: &mut [f64], sup: &mut [f64]) {
    forward_body::<Avx2>(x, lic, sup);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn adjoint_avx2(surv: &[f64], pad: &Padded, target: usize, g: &mut [f64]) {
    adjoint_body::<Avx2>(surv, pad, target, g);
}

/// The widest vector instructions the processor has, checked once. They change the speed, not
/// the bits: every implementation runs the same operations per lane in the same order (Rust never
/// fuses a multiply and an add on its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// Plain Rust.
    Portable,
    /// AVX2 (AVX-512 was tried: on this project's machines, with their 256-bit data paths, it was
    /// slower).
    Avx2,
}

fn width() -> Width {
    #[cfg(target_arch = "x86_64")]
    {
        static W: std::sync::OnceLock<Width> = std::sync::OnceLock::new();
        *W.get_or_init(|| {
            if std::arch::is_x86_feature_detected!("avx2") {
                Width::Avx2
            } else {
                Width::Portable
            }
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Width::Portable
    }
}

fn forward(x: &Rows<'_>, lic: &mut [f64], sup: &mut [f64]) {
    match width() {
        // SAFETY: AVX2 is present (checked at run time).
        #[cfg(target_arch = "x86_64")]
        Width::Avx2 => unsafe { forward_avx2(x, lic, sup) },
        _ => forward_body::<Portable>(x, lic, sup),
    }
}

fn adjoint(surv: &[f64], pad: &Padded, target: usize, g: &mut [f64]) {
    match width() {
        // SAFETY: AVX2 is present (checked at run time).
        #[cfg(target_arch = "x86_64")]
        Width::Avx2 => unsafe { adjoint_avx2(surv, pad, target, g) },
        _ => adjoint_body::<Portable>(surv, pad, target, g),
    }
}

/// Buckets of [`percentiles_by_buckets`].
const BUCKETS: usize = 2048;

/// The percentiles (type 7, as [`percentile`]) of `vals`, exact, without a full sort or repeated
/// partitions: one pass counts the values into [`BUCKETS`] equal-width buckets between the least
/// and the greatest, the counts locate the bucket of each order statistic needed, a second pass
/// gathers those few buckets' values, and only they are sorted. Falls back to selection
/// ([`percentiles_of`]) when a value is not finite or a needed bucket holds many values.
fn percentiles_by_buckets(vals: &[f64], percentiles: &[f64]) -> Vec<f64> {
    let n = vals.len();
    let fallback = || {
        let mut keys: Vec<u64> = vals.iter().map(|&x| order_key(x)).collect();
        percentiles_of(&mut keys, percentiles)
    };
    if n < 64 {
        return fallback();
    }
    // Least and greatest over four lanes, and whether any value is NaN.
    let (mut lo, mut hi, mut nan) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4], false);
    let (quads, rest) = vals.as_chunks::<4>();
    for q in quads {
        for l in 0..4 {
            lo[l] = if q[l] < lo[l] { q[l] } else { lo[l] };
            hi[l] = if q[l] > hi[l] { q[l] } else { hi[l] };
            nan |= q[l].is_nan();
        }
    }
    for &x in rest {
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
        nan |= x.is_nan();
    }
    let lo = lo.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = hi.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let scale = (BUCKETS - 1) as f64 / (hi - lo);
    if nan || !lo.is_finite() || !hi.is_finite() || lo == hi || !scale.is_finite() {
        // Not all finite; every draw the same (an observed year); or a spread too small to
        // bucket.
        return fallback();
    }
    // (x − lo)·scale lies in [0, BUCKETS − 1] for every value (all finite, lo ≤ x ≤ hi; the
    // product rounds to at most BUCKETS − 1 as (hi − lo)·scale does), so the conversion cannot
    // overflow.
    let bucket = |x: f64| -> usize {
        let v = ((x - lo) * scale).min((BUCKETS - 1) as f64);
        // SAFETY: v is finite and within 0 ..= BUCKETS − 1 (see above).
        unsafe { v.to_int_unchecked::<u32>() as usize }
    };
    let mut counts = [0u32; BUCKETS];
    for &x in vals {
        counts[bucket(x)] += 1;
    }
    // Order statistics needed: the lower and upper one of each percentile.
    let position = |q: f64| {
        let h = (n - 1) as f64 * q / 100.0;
        (h, h.floor() as usize)
    };
    let mut ranks: Vec<usize> = percentiles
        .iter()
        .flat_map(|&q| {
            let r = position(q).1;
            [r, (r + 1).min(n - 1)]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    // The bucket of each rank and the count below that bucket.
    let mut at = Vec::with_capacity(ranks.len());
    let (mut b, mut below) = (0, 0usize);
    for &r in &ranks {
        while below + counts[b] as usize <= r {
            below += counts[b] as usize;
            b += 1;
        }
        at.push((b, below));
    }
    let mut targets: Vec<usize> = at.iter().map(|x| x.0).collect();
    targets.dedup();
    if targets.len() >= usize::from(u8::MAX) || targets.iter().any(|&t| counts[t] > 256) {
        return fallback();
    }
    let mut bands: Vec<Vec<f64>> = targets
        .iter()
        .map(|&t| Vec::with_capacity(counts[t] as usize))
        .collect();
    // The band of each bucket (u8::MAX: not needed).
    let mut band_of = [u8::MAX; BUCKETS];
    for (i, &t) in targets.iter().enumerate() {
        band_of[t] = i as u8;
    }
    for &x in vals {
        let i = band_of[bucket(x)];
        if i != u8::MAX {
            bands[usize::from(i)].push(x);
        }
    }
    for band in &mut bands {
        band.sort_unstable_by(f64::total_cmp);
    }
    let stat = |r: usize| {
        let i = ranks.binary_search(&r).unwrap_or(0);
        let (b, below) = at[i];
        let t = targets.iter().position(|&t| t == b).unwrap_or(0);
        bands[t][r - below]
    };
    percentiles
        .iter()
        .map(|&q| {
            let (h, r) = position(q);
            let (a, b) = (stat(r), stat((r + 1).min(n - 1)));
            a + (h - r as f64) * (b - a)
        })
        .collect()
}

/// `x` as an unsigned integer in the same order as [`f64::total_cmp`] (integers compare faster).
#[inline(always)]
fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The inverse of [`order_key`].
#[inline(always)]
fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The percentiles (type 7, as [`percentile`]) of the values whose [`order_key`]s are `buf`, by
/// selection rather than a full sort (`buf` is reordered): the lower order statistic of each
/// percentile is selected within the part right of the previous one, the upper one is the least
/// value right of it.
fn percentiles_of(buf: &mut [u64], percentiles: &[f64]) -> Vec<f64> {
    let n = buf.len();
    if n == 0 {
        return vec![f64::NAN; percentiles.len()];
    }
    let position = |q: f64| {
        let h = (n - 1) as f64 * q / 100.0;
        (h, h.floor() as usize)
    };
    let mut ranks: Vec<usize> = percentiles.iter().map(|&q| position(q).1).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut pairs = Vec::with_capacity(ranks.len());
    if buf.iter().all(|&k| k == buf[0]) {
        // Every draw the same (an observed year): nothing to select.
        let v = from_order_key(buf[0]);
        pairs.resize(ranks.len(), (v, v));
    }
    let mut start = 0;
    for &r in ranks.iter().skip(pairs.len()) {
        buf[start..].select_nth_unstable(r - start);
        let hi = buf[r + 1..].iter().min().copied().unwrap_or(buf[r]);
        pairs.push((from_order_key(buf[r]), from_order_key(hi)));
        start = r + 1;
    }
    percentiles
        .iter()
        .map(|&q| {
            let (h, lo) = position(q);
            let (a, b) = pairs[ranks.binary_search(&lo).unwrap_or(0)];
            a + (h - lo as f64) * (b - a)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_gives_the_percentiles_of_a_sort() {
        let mut rng = stream(9, 9, 9);
        for n in [1usize, 2, 7, 100, 1001] {
            let v: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
            let mut sorted = v.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let qs = [0.0, 2.5, 10.0, 50.0, 90.0, 97.5, 100.0];
            let want: Vec<f64> = qs.iter().map(|&q| percentile(&sorted, q)).collect();
            let mut keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
            assert_eq!(percentiles_of(&mut keys, &qs), want, "{n}");
            assert_eq!(percentiles_by_buckets(&v, &qs), want, "{n}");
            let mut sorted_keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
            sorted_keys.sort_unstable();
            let back: Vec<f64> = sorted_keys.into_iter().map(from_order_key).collect();
            assert!(
                back.iter()
                    .zip(&sorted)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            );
        }
        let v = [1.0, 2.0, 3.0, 4.0];
        let acc: [f64; L] = std::array::from_fn(|l| l as f64);
        assert_eq!(total(&acc), 28.0);
        // The forward pass equals the recurrence written out, two regions × two sexes, 3 years.
        let n = 2 * 2 * NA;
        let rnd = |rng: &mut Pcg64| -> Vec<f64> { (0..n).map(|_| normal(rng).abs()).collect() };
        let (l0, mut surv, prof, f0, f1) = (
            rnd(&mut rng),
            rnd(&mut rng),
            rnd(&mut rng),
            rnd(&mut rng),
            rnd(&mut rng),
        );
        for row in 0..4 {
            surv[row * NA + NA - 1] = 0.0;
        }
        // FTE weights per region and sex, different in each region.
        let w: Vec<f64> = (0..n).map(|i| 0.5 + i as f64 / 1000.0).collect();
        let (se, fe, ft) = (vec![0.0, 2.0, 5.0], vec![3.0, 1.0], vec![4.0, 0.5]);
        let (mut lic, mut sup) = (vec![0.0; 6], vec![0.0; 6]);
        let pad = Padded {
            l0: pad_rows(&l0),
            prof_span: spans(&pad_rows(&prof)),
            prof: pad_rows(&prof),
            f: [pad_rows(&f0), pad_rows(&f1)],
            w: pad_rows(&w),
            prof_total: prof.iter().sum(),
            ..Padded::default()
        };
        // Survival shifted one lane right, as `sample_into` lays it out.
        let mut survs = vec![0.0; 4 * S];
        for r in 0..4 {
            survs[r * S + 1..r * S + 1 + NA].copy_from_slice(&surv[r * NA..(r + 1) * NA]);
        }
        let x = Rows {
            fixed: None,
            pad: &pad,
            surv: &survs,
            se: &se,
            fe: &fe,
            ft: &ft,
            process: None,
        };
        forward(&x, &mut lic, &mut sup);
        let mut prev = l0.clone();
        for ti in 1..3 {
            let cur: Vec<f64> = (0..n)
                .map(|j| {
                    let stay = if j % NA == 0 {
                        0.0
                    } else {
                        prev[j - 1] * surv[j - 1]
                    };
                    stay + se[ti] * prof[j] + fe[ti - 1] * f0[j] + ft[ti - 1] * f1[j]
                })
                .collect();
            for r in 0..2 {
                let part = &cur[r * 2 * NA..(r + 1) * 2 * NA];
                let l: f64 = part.iter().sum();
                let f: f64 = part.iter().zip(&w[r * 2 * NA..]).map(|(c, w)| c * w).sum();
                assert!((lic[r * 3 + ti] - l).abs() < 1e-9 * l, "{ti} {r}");
                assert!((sup[r * 3 + ti] - f).abs() < 1e-9 * f, "{ti} {r}");
            }
            prev = cur;
        }
        // The adjoint: g[t]·1 licence = FTE in the target year, by pushing a unit profile forward.
        let mut g = vec![0.0; 3];
        adjoint(&survs, &pad, 2, &mut g);
        // A licence entering in year 1 with the profile, one year on.
        let unit: Vec<f64> = (0..n)
            .map(|j| {
                if j % NA == 0 {
                    0.0
                } else {
                    prof[j - 1] * surv[j - 1]
                }
            })
            .collect();
        let fte = |v: &[f64]| -> f64 { (0..n).map(|j| v[j] * w[j]).sum() };
        assert!((g[1] - fte(&unit)).abs() < 1e-9 * g[1]);
        assert!((g[2] - fte(&prof)).abs() < 1e-9 * g[2]);
        let mut keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
        assert_eq!(percentiles_of(&mut keys, &[50.0]), vec![2.5]);
        assert!(order_key(-0.0) < order_key(0.0) && order_key(-1.0) < order_key(-0.5));
    }

    #[test]
    fn both_row_implementations_and_the_shortened_adjoint_give_the_same_bits() {
        let mut rng = stream(3, 1, 4);
        let regions = 5;
        let rows = 2 * regions;
        let rnd =
            |rng: &mut Pcg64, n: usize| -> Vec<f64> { (0..n).map(|_| normal(rng).abs()).collect() };
        let (l0, f0, f1, fixed) = (
            rnd(&mut rng, rows * NA),
            rnd(&mut rng, rows * NA),
            rnd(&mut rng, rows * NA),
            pad_rows(&rnd(&mut rng, rows * NA)),
        );
        // A profile on young ages only (as Swedish licences are), none at all in one row.
        let mut prof = vec![0.0; rows * NA];
        for r in 0..rows - 1 {
            for a in 2 + r..14 + 2 * r {
                prof[r * NA + a] = normal(&mut rng).abs();
            }
        }
        let w = pad_rows(&rnd(&mut rng, rows * NA));
        let mut survs = vec![0.0; rows * S];
        for r in 0..rows {
            for a in 1..NA {
                survs[r * S + a] = 0.9 + 0.1 * normal(&mut rng).abs().min(1.0);
            }
        }
        let pad = Padded {
            l0: pad_rows(&l0),
            prof_span: spans(&pad_rows(&prof)),
            prof: pad_rows(&prof),
            f: [pad_rows(&f0), pad_rows(&f1)],
            w,
            prof_total: prof.iter().sum(),
            ..Padded::default()
        };
        assert_eq!(pad.prof_span[rows - 1], None);
        assert_eq!(pad.prof_span[0], Some((2, 13)));
        let ny = 18;
        let se: Vec<f64> = (0..ny).map(|t| t as f64).collect();
        let fe: Vec<f64> = (0..ny).map(|t| 1.0 + 0.1 * t as f64).collect();
        let ft: Vec<f64> = (0..ny).map(|t| 2.0 - 0.1 * t as f64).collect();
        let run = |fixed: Option<&[f64]>, wide: Width| {
            let x = Rows {
                fixed,
                pad: &pad,
                surv: &survs,
                se: &se,
                fe: &fe,
                ft: &ft,
                process: None,
            };
            let (mut lic, mut sup) = (vec![0.0; regions * ny], vec![0.0; regions * ny]);
            let mut g = vec![0.0; ny];
            #[cfg(target_arch = "x86_64")]
            if wide == Width::Avx2 {
                // SAFETY: only called when AVX2 is present.
                unsafe {
                    forward_avx2(&x, &mut lic, &mut sup);
                    adjoint_avx2(&survs, &pad, ny - 1, &mut g);
                }
                return (lic, sup, g);
            }
            forward_body::<Portable>(&x, &mut lic, &mut sup);
            adjoint_body::<Portable>(&survs, &pad, ny - 1, &mut g);
            (lic, sup, g)
        };
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let present = match width() {
            Width::Avx2 => vec![Width::Avx2],
            Width::Portable => vec![],
        };
        for fixed in [None, Some(&fixed[..])] {
            let a = run(fixed, Width::Portable);
            assert!(a.0.iter().all(|x| x.is_finite()) && a.2[1] > 0.0);
            for &w in &present {
                let b = run(fixed, w);
                assert_eq!(bits(&a.0), bits(&b.0), "{w:?}");
                assert_eq!(bits(&a.1), bits(&b.1), "{w:?}");
                assert_eq!(bits(&a.2), bits(&b.2), "{w:?}");
            }
        }
        // The adjoint over every lane of every row gives the same bits as the shortened one.
        let mut g_short = vec![0.0; ny];
        adjoint_body::<Portable>(&survs, &pad, ny - 1, &mut g_short);
        let full = Padded {
            prof_span: vec![Some((0, U - 1)); rows],
            ..pad.clone()
        };
        let mut g_full = vec![0.0; ny];
        adjoint_body::<Portable>(&survs, &full, ny - 1, &mut g_full);
        assert_eq!(bits(&g_short), bits(&g_full));
    }

    #[test]
    fn bucket_percentiles_equal_a_sort_on_awkward_draws() {
        let mut rng = stream(5, 5, 5);
        let qs = [10.0, 50.0, 90.0, 0.0, 100.0, 2.5, 97.5];
        let shapes: Vec<Vec<f64>> = vec![
            // Around zero (a gap near balance), heavy tails, many ties, a far outlier, sorted.
            (0..1000).map(|_| normal(&mut rng) * 300.0 - 20.0).collect(),
            (0..1000).map(|_| normal(&mut rng).powi(5)).collect(),
            (0..1000).map(|i| (i % 7) as f64).collect(),
            (0..1000)
                .map(|i| if i == 500 { 1e12 } else { normal(&mut rng) })
                .collect(),
            (0..999).map(|i| i as f64 * 0.5).collect(),
            (0..1000)
                .map(|i| if i % 2 == 0 { -0.0 } else { 0.0 })
                .collect(),
        ];
        for (k, v) in shapes.iter().enumerate() {
            let mut sorted = v.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let want: Vec<f64> = qs.iter().map(|&q| percentile(&sorted, q)).collect();
            let got = percentiles_by_buckets(v, &qs);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "shape {k}");
        }
    }

    #[test]
    fn percentiles_follow_type_seven() {
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = [1.3, 2.5, 3.7]
        let v = [1.0, 2.0, 3.0, 4.0];
        for (q, want) in [
            (10.0, 1.3),
            (50.0, 2.5),
            (90.0, 3.7),
            (0.0, 1.0),
            (100.0, 4.0),
        ] {
            assert!((percentile(&v, q) - want).abs() < 1e-12, "{q}");
        }
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn beta_rates_centre_on_the_point_with_the_binomial_spread() {
        // 30 exits among 1,000 at risk: draws have mean 0.03 and sd ≈ √(p(1−p)/n) = 0.0054.
        let law = Law::Beta {
            weight: 1.0,
            alpha: 0.5,
            beta: 0.5,
        };
        let mut rng = stream(7, 0, 0);
        let n = 40_000;
        let v: Vec<f64> = (0..n)
            .map(|_| draw_rate(0.03, (30.0, 1000.0), law, &mut rng))
            .collect();
        let m = v.iter().sum::<f64>() / n as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let want_sd = (0.03f64 * 0.97 / 1000.0).sqrt();
        assert!(
            (m - 0.03).abs() < 4.0 * want_sd / (n as f64).sqrt(),
            "mean {m}"
        );
        assert!((sd / want_sd - 1.0).abs() < 0.03, "sd {sd} vs {want_sd}");
        // Weight 0.25 (overdispersion) doubles the spread.
        let wide = Law::Beta {
            weight: 0.25,
            alpha: 0.5,
            beta: 0.5,
        };
        let v: Vec<f64> = (0..n)
            .map(|_| draw_rate(0.03, (30.0, 1000.0), wide, &mut rng))
            .collect();
        let m = v.iter().sum::<f64>() / n as f64;
        let sd2 = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!((sd2 / sd - 2.0).abs() < 0.1, "{sd2} vs {sd}");
        // Fixed gives the point.
        assert_eq!(draw_rate(0.03, (30.0, 1000.0), Law::Fixed, &mut rng), 0.03);
    }

    #[test]
    fn prepared_rate_laws_draw_the_scaled_beta_written_out() {
        let law = Law::Beta {
            weight: 0.7,
            alpha: 0.5,
            beta: 0.5,
        };
        let cases = [
            (0.03, (30.0, 1000.0)),
            (0.9, (95.0, 100.0)),
            (0.0, (0.0, 10.0)),
            (0.2, (-3.0, 10.0)),
            (0.5, (12.0, 0.0)),
            (1.4, (140.0, 100.0)),
        ];
        // The law written out: counts clipped, `point · u · (a + b) / a` with `u ~ Beta(a, b)`
        // (cut at 1 for an exit rate), the point where there is nothing to draw from.
        let by_hand = |point: f64, (k, n): (f64, f64), l: Law, cap: bool, rng: &mut Pcg64| {
            let Law::Beta {
                weight,
                alpha,
                beta,
            } = l
            else {
                return if cap && point > 0.0 {
                    point.min(1.0)
                } else {
                    point
                };
            };
            if point <= 0.0 || (!cap && n <= 0.0) {
                return point;
            }
            let n = n.max(0.0);
            let k = k.clamp(0.0, n);
            let (a, b) = (alpha + weight * k, beta + weight * (n - k));
            let r = point * variates::beta(a, b, rng) * (a + b) / a;
            if cap { r.min(1.0) } else { r }
        };
        for (point, counts) in cases {
            for l in [law, Law::Fixed] {
                for (cap, seed) in [(true, 1), (false, 4)] {
                    let (mut r1, mut r2) = (stream(seed, 2, 3), stream(seed, 2, 3));
                    let prepared = RateLaw::new(point, counts, l, cap);
                    assert_eq!(
                        prepared.draw(&mut r1).to_bits(),
                        by_hand(point, counts, l, cap, &mut r2).to_bits()
                    );
                    // The same number of random numbers taken.
                    assert_eq!(r1.next_u64(), r2.next_u64());
                }
                let mut r = stream(7, 8, 9);
                let mut r2 = stream(7, 8, 9);
                assert_eq!(
                    draw_rate(point, counts, l, &mut r).to_bits(),
                    RateLaw::new(point, counts, l, true).draw(&mut r2).to_bits()
                );
            }
        }
    }

    #[test]
    fn lognormal_factors_have_mean_one() {
        let mut rng = stream(1, 2, 3);
        let n = 40_000;
        let law = Law::LogNormal { sd: 0.2 };
        let m = (0..n).map(|_| draw_factor(law, &mut rng)).sum::<f64>() / n as f64;
        // sd of the mean: √(e^{0.04} − 1)/√n ≈ 0.001
        assert!((m - 1.0).abs() < 0.005, "{m}");
    }

    #[test]
    fn streams_differ_by_draw_and_purpose_and_repeat_by_seed() {
        let first = |seed, d, w| stream(seed, d, w).next_u64();
        assert_eq!(first(1, 2, 3), first(1, 2, 3));
        assert_ne!(first(1, 2, 3), first(1, 3, 3));
        assert_ne!(first(1, 2, 3), first(1, 2, 4));
        assert_ne!(first(1, 2, 3), first(2, 2, 3));
    }
}
