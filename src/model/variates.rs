//! Random variates that are the same bits on every machine: uniform, standard normal, Gamma and
//! Beta, from any stream of 64-bit words (hwf uses PCG-64, see `montecarlo::stream`).
//!
//! Only IEEE arithmetic, `sqrt` (correctly rounded everywhere) and the pure-Rust `libm` functions
//! are used, never the platform's C library, so a seed gives the same draws on any machine.
//!
//! # Formula
//!
//! - uniform: the top 53 bits of a word, `(w >> 11) · 2⁻⁵³` in `[0, 1)`;
//! - standard normal: the ziggurat of Marsaglia & Tsang (2000, *J. Stat. Softw.* 5:8) with 256
//!   layers (`r = 3.654152885361009`, layer area `v = 0.00492867323399`), the tail beyond `r` by
//!   Marsaglia's exponential method;
//! - Gamma(`k`, 1): Marsaglia & Tsang (2000, *ACM TOMS* 26:363): `d = k − 1/3`, `c = 1/√(9d)`,
//!   `x ~ N(0, 1)`, `v = (1 + c·x)³`, accept `d·v` when `v > 0` and
//!   `u < 1 − 0.0331·x⁴` or `ln u < x²/2 + d·(1 − v + ln v)`; for `k < 1`, `Gamma(k + 1)·u^(1/k)`;
//! - Beta(`a`, `b`): `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.

use rand_core::Rng;
use std::sync::OnceLock;

/// Layers of the ziggurat.
const LAYERS: usize = 256;
/// Where the base layer's tail starts.
const R: f64 = 3.654_152_885_361_009;
/// The area of each layer.
const V: f64 = 0.004_928_673_233_99;

/// The ziggurat's layer edges `x[i]` (`x[0] = V/f(R)`, `x[1] = R`, decreasing to `x[256] = 0`)
/// and the density at each, `f(x) = exp(−x²/2)`.
struct Ziggurat {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

fn density(x: f64) -> f64 {
    libm::exp(-0.5 * x * x)
}

fn ziggurat() -> &'static Ziggurat {
    static Z: OnceLock<Ziggurat> = OnceLock::new();
    Z.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / density(R);
        x[1] = R;
        for i in 2..LAYERS {
            x[i] = (-2.0 * libm::log(V / x[i - 1] + density(x[i - 1]))).sqrt();
        }
        x[LAYERS] = 0.0;
        let mut f = [0.0; LAYERS + 1];
        for i in 0..=LAYERS {
            f[i] = density(x[i]);
        }
        Ziggurat { x, f }
    })
}

/// A uniform variate in `[0, 1)`.
#[inline]
pub fn uniform<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform variate in `(0, 1]` (safe to take the logarithm of).
#[inline]
fn uniform_open<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal variate (see the module's formula).
pub fn standard_normal<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    let z = ziggurat();
    loop {
        let w = rng.next_u64();
        let i = (w & 0xff) as usize;
        let negative = w & 0x100 != 0;
        // 53 bits of the rest: a uniform in [0, 1).
        let u = (w >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = u * z.x[i];
        let signed = |v: f64| if negative { -v } else { v };
        if x < z.x[i + 1] {
            return signed(x);
        }
        if i == 0 {
            // The tail beyond R.
            loop {
                let t = -libm::log(uniform_open(rng)) / R;
                let y = -libm::log(uniform_open(rng));
                if 2.0 * y > t * t {
                    return signed(R + t);
                }
            }
        }
        // The wedge between layers i and i + 1.
        if z.f[i] + uniform(rng) * (z.f[i + 1] - z.f[i]) < density(x) {
            return signed(x);
        }
    }
}

/// A Gamma(`shape`, 1) variate, `shape > 0` (see the module's formula).
pub fn gamma<G: Rng + ?Sized>(shape: f64, rng: &mut G) -> f64 {
    if shape < 1.0 {
        let g = gamma(shape + 1.0, rng);
        return g * libm::pow(uniform_open(rng), 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = uniform_open(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// A Beta(`a`, `b`) variate, `a, b > 0` (see the module's formula).
pub fn beta<G: Rng + ?Sized>(a: f64, b: f64, rng: &mut G) -> f64 {
    let x = gamma(a, rng);
    let y = gamma(b, rng);
    x / (x + y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;
    use rand_pcg::Pcg64;

    fn moments(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        (m, var)
    }

    #[test]
    fn the_ziggurat_covers_the_density() {
        let z = ziggurat();
        // The layers close at the top: the last edge before 0 is small and the areas add up.
        assert!(
            z.x[LAYERS - 1] > 0.0 && z.x[LAYERS - 1] < 0.3,
            "{}",
            z.x[LAYERS - 1]
        );
        // 256 layers of area V cover the area under exp(−x²/2) on x ≥ 0, √(π/2), with a little
        // to spare (the layers' corners stick out).
        let area = (std::f64::consts::PI / 2.0).sqrt();
        let cover = LAYERS as f64 * V;
        assert!(cover > area && cover < 1.01 * area, "{cover} vs {area}");
    }

    #[test]
    fn normals_follow_the_normal_distribution() {
        let mut rng = Pcg64::seed_from_u64(7);
        let n = 200_000;
        let mut v: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let (m, var) = moments(&v);
        assert!(m.abs() < 4.0 / (n as f64).sqrt(), "mean {m}");
        assert!((var - 1.0).abs() < 0.015, "variance {var}");
        // Kolmogorov–Smirnov against Φ: D below the 1 % critical value 1.63/√n.
        v.sort_unstable_by(f64::total_cmp);
        let d = v
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let cdf = 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
                (cdf - i as f64 / n as f64)
                    .abs()
                    .max((cdf - (i + 1) as f64 / n as f64).abs())
            })
            .fold(0.0, f64::max);
        assert!(d < 1.63 / (n as f64).sqrt(), "KS D = {d}");
        // The tail beyond 3: 2·(1 − Φ(3)) = 0.0026998.
        let tail = v.iter().filter(|x| x.abs() > 3.0).count() as f64 / n as f64;
        assert!((tail - 0.0026998).abs() < 0.0006, "tail {tail}");
    }

    #[test]
    fn gamma_and_beta_have_their_moments() {
        let mut rng = Pcg64::seed_from_u64(11);
        let n = 100_000;
        for k in [0.3, 1.0, 2.5, 40.0] {
            let v: Vec<f64> = (0..n).map(|_| gamma(k, &mut rng)).collect();
            let (m, var) = moments(&v);
            assert!((m / k - 1.0).abs() < 0.02, "gamma({k}) mean {m}");
            assert!((var / k - 1.0).abs() < 0.05, "gamma({k}) variance {var}");
        }
        for (a, b) in [(0.5, 0.5), (30.5, 970.5), (3.0, 1.5)] {
            let v: Vec<f64> = (0..n).map(|_| beta(a, b, &mut rng)).collect();
            let (m, var) = moments(&v);
            let (em, ev) = (a / (a + b), a * b / ((a + b).powi(2) * (a + b + 1.0)));
            assert!(
                (m / em - 1.0).abs() < 0.02,
                "beta({a}, {b}) mean {m} vs {em}"
            );
            assert!(
                (var / ev - 1.0).abs() < 0.05,
                "beta({a}, {b}) variance {var} vs {ev}"
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_bits() {
        // The draws are a function of the stream alone: no state kept between calls (such as a
        // cached second normal) and the ziggurat's table built once, whichever call builds it.
        let mut a = Pcg64::seed_from_u64(3);
        let mut b = Pcg64::seed_from_u64(3);
        for _ in 0..1000 {
            assert_eq!(
                beta(2.5, 7.0, &mut a).to_bits(),
                beta(2.5, 7.0, &mut b).to_bits()
            );
        }
    }
}
