//! The random streams and the laws a draw takes its parameters from: per-draw PCG-64 streams
//! keyed by seed, draw and purpose; rates from Beta laws of the register's counts; factors and
//! shifts.

use super::*;

pub(super) const SPLIT: u64 = 0x9E37_79B9_7F4A_7C15;

pub(super) fn splitmix(mut z: u64) -> u64 {
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
pub(super) const IMBALANCE_STREAM: u64 = 1 << 20;
/// Offset of the per-profession process-variation streams.
pub(super) const PROCESS_STREAM: u64 = 2 << 20;
/// The stream purpose of the population error, shared by all professions of a draw.
pub(super) const POPULATION_STREAM: u64 = u32::MAX as u64 - 1;

/// A standard normal variate ([`variates::standard_normal`]: the same bits on every machine).
pub(super) fn normal<R: Rng>(rng: &mut R) -> f64 {
    variates::standard_normal(rng)
}

/// A rate drawn around `point` from `k` events among `n` at risk: `point · u / E[u]` with
/// `u ~ Beta(α + w·k, β + w·(n − k))` (counts clipped to `0 ≤ k ≤ n`), cut at 1. A degenerate
/// distribution (a zero shape) gives the point.
pub fn draw_rate<R: Rng>(point: f64, counts: (f64, f64), law: Law, rng: &mut R) -> f64 {
    RateLaw::new(point, counts, law, true).draw(rng)
}

/// Whether `Beta(a, b)` is a proper distribution (both shapes positive and finite).
pub(super) fn beta_shapes(a: f64, b: f64) -> bool {
    a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()
}

/// A rate's law made ready to draw (the shapes worked out once per run, not once per draw): an exit
/// rate (`cap`, see [`draw_rate`]) or a completion rate, which is not cut at 1 (graduates can
/// outnumber a region's beginners when students move) and keeps its point where there are no
/// beginners to count.
#[derive(Clone, Debug)]
pub(super) enum RateLaw {
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
    pub(super) fn new(point: f64, (k, n): (f64, f64), law: Law, cap: bool) -> RateLaw {
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
    pub(super) fn draw<R: Rng>(&self, rng: &mut R) -> f64 {
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
