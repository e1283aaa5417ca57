//! Monte Carlo: the kernel against the point projection, determinism across threads, the shape of
//! the bands, and the trend models' simulated paths.

use hwf::model::inputs::NA;
use hwf::model::montecarlo::{Bands, Kernel, VARIABLES};
use hwf::model::scenario::{self, Dist, Scenario};
use hwf::model::{Projection, run};
use std::sync::OnceLock;

fn fixed() -> Dist {
    Dist {
        dist: "fixed".into(),
        weight: None,
        alpha: None,
        beta: None,
        sd: None,
    }
}

/// The default scenario with a substitution, a density target and trends, every law fixed.
fn all_fixed() -> Scenario {
    let mut sc = scenario::load(None).unwrap().0;
    let u = &mut sc.uncertainty;
    for d in [
        &mut u.exit,
        &mut u.completion,
        &mut u.foreign,
        &mut u.admissions,
        &mut u.growth,
        &mut u.imbalance,
    ] {
        *d = fixed();
    }
    sc.demand.substitution.push(scenario::Substitution {
        from: "LAK".into(),
        to: "SSK".into(),
        share_per_year: 0.01,
    });
    sc.demand.density.insert("BMA".into(), 1.2);
    sc.demand
        .factors
        .get_mut("technology")
        .unwrap()
        .insert("*".into(), 0.004);
    sc.supply.admissions_trend = "AAdN".into();
    sc.supply.foreign_trend = "auto".into();
    sc.supply.admissions_change = 0.05;
    sc
}

fn default_run() -> &'static Projection {
    static P: OnceLock<Projection> = OnceLock::new();
    P.get_or_init(|| run(&scenario::load(None).unwrap().0).unwrap())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn fixed_distributions_reproduce_the_point_projection() {
    let sc = all_fixed();
    let proj = run(&sc).unwrap();
    let kernel = Kernel::new(&proj).unwrap();
    let bands = kernel.run(3, sc.seed, &[10.0, 50.0, 90.0]).unwrap();
    let g = &proj.inputs.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let first = proj.years.iter().position(|&y| y == sc.base_year).unwrap();
    let mut checked = 0;
    for p in 0..g.np() {
        for (ti, _) in bands.years.iter().enumerate() {
            let pti = first + ti;
            let mut nat = (0.0, 0.0);
            for c in 0..nc {
                let s: f64 = (0..nk).map(|k| proj.supply[proj.at(pti, p, c, k)]).sum();
                let d: f64 = (0..nk).map(|k| proj.demand_at(pti, p, c, k).unwrap()).sum();
                nat.0 += s;
                nat.1 += d;
                for (var, want) in [(1, s), (2, d), (3, s - d)] {
                    for &q in bands.q(p, var, c, ti) {
                        assert!(
                            close(q, want),
                            "{} {} county {c} {}: {q} vs {want}",
                            g.professions[p],
                            VARIABLES[var],
                            bands.years[ti]
                        );
                    }
                }
                if ti > 0 {
                    let per = nc * 2 * NA;
                    let lic: f64 = proj.paths[p].licensed
                        [ti * per + c * 2 * NA..ti * per + (c + 1) * 2 * NA]
                        .iter()
                        .sum();
                    assert!(close(bands.q(p, 0, c, ti)[1], lic));
                }
                checked += 1;
            }
            assert!(close(bands.q(p, 1, bands.national(), ti)[0], nat.0));
            assert!(close(bands.q(p, 2, bands.national(), ti)[2], nat.1));
        }
    }
    assert!(checked > 20 * 21 * 17);
    // The required intake, by the adjoint, equals the point projection's (two runs, one division).
    assert!(!proj.intake.is_empty());
    for want in &proj.intake {
        let band = bands
            .intake
            .iter()
            .find(|b| b.profession == want.profession)
            .unwrap();
        let r = want.required.unwrap();
        for &q in &band.quantiles {
            assert!(
                close(q, r),
                "{}: {q} vs {r}",
                g.professions[want.profession]
            );
        }
        assert_eq!(band.unreachable, 0.0);
    }
}

fn bits(b: &Bands) -> Vec<u64> {
    b.quantiles
        .iter()
        .chain(&b.mean)
        .chain(&b.shortage)
        .chain(b.intake.iter().flat_map(|i| &i.quantiles))
        .map(|x| x.to_bits())
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bits_on_one_or_two_threads() {
    let proj = default_run();
    let kernel = Kernel::new(proj).unwrap();
    let on = |threads: usize, seed: u64| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| kernel.run(24, seed, &[5.0, 50.0, 95.0]).unwrap())
    };
    let one = on(1, 11);
    let two = on(2, 11);
    assert_eq!(bits(&one), bits(&two));
    assert_ne!(bits(&one), bits(&on(2, 12)));
}

#[test]
fn bands_are_ordered_start_at_the_observed_base_and_widen() {
    let proj = default_run();
    let kernel = Kernel::new(proj).unwrap();
    let b = kernel.run(200, 5, &[10.0, 50.0, 90.0]).unwrap();
    let nat = b.national();
    let last = b.years.len() - 1;
    for p in 0..kernel.professions.len() {
        for var in 0..VARIABLES.len() {
            for r in 0..b.nr() {
                for ti in 0..b.years.len() {
                    let q = b.q(p, var, r, ti);
                    assert!(q[0] <= q[1] && q[1] <= q[2], "{q:?}");
                }
            }
        }
        // No uncertainty in the observed base year; supply uncertainty grows with the horizon.
        let base = b.q(p, 1, nat, 0);
        assert_eq!(base[0], base[2]);
        let width = |ti| {
            let q = b.q(p, 1, nat, ti);
            q[2] - q[0]
        };
        assert!(width(last) > width(1), "{}", kernel.professions[p]);
        for r in 0..b.nr() {
            let pr = b.shortage_of(p, r, last);
            assert!((0.0..=1.0).contains(&pr));
        }
    }
    // A shortage in nine draws of ten or more means the gap's P90 is below zero, and vice versa
    // for a shortage in one draw of ten or fewer (the tolerance only widens the balance band).
    for p in 0..kernel.professions.len() {
        let gap = b.q(p, 3, nat, last);
        if b.shortage_of(p, nat, last) >= 0.9 {
            assert!(gap[2] < 0.0);
        }
        if gap[0] > 0.0 {
            assert!(b.shortage_of(p, nat, last) <= 0.1);
        }
    }
    // Required intake bands bracket the point estimate.
    for ri in &proj.intake {
        let band = b
            .intake
            .iter()
            .find(|x| x.profession == ri.profession)
            .unwrap();
        let r = ri.required.unwrap();
        assert!(
            band.quantiles[0] < r && r < band.quantiles[2],
            "{band:?} vs {r}"
        );
    }
}

#[test]
fn simulated_ets_paths_average_to_the_point_forecast() {
    use hwf::model::ets::Spec;
    // A linear trend with noise; AAN's simulated paths have the point forecast as their mean and
    // σ as the one-step spread.
    let y: Vec<f64> = (0..30)
        .map(|t| 100.0 + 2.0 * t as f64 + if t % 3 == 0 { 1.5 } else { -0.8 })
        .collect();
    let fit = Spec::try_from("AAN").unwrap().fit(&y).unwrap();
    let point = fit.forecast(5);
    let mut rng = hwf::model::montecarlo::stream(3, 0, 0);
    let n = 20_000;
    let mut sum = [0.0; 5];
    let mut sq = 0.0;
    for _ in 0..n {
        let path = fit.simulate(5, || {
            rand_distr::Distribution::<f64>::sample(&rand_distr::StandardNormal, &mut rng)
        });
        for h in 0..5 {
            sum[h] += path[h];
        }
        sq += (path[0] - point[0]).powi(2);
    }
    let sigma = fit.sigma2.sqrt();
    for h in 0..5 {
        let m = sum[h] / n as f64;
        assert!((m - point[h]).abs() < 5.0 * sigma * (1.0 + h as f64) / (n as f64).sqrt());
    }
    let sd1 = (sq / n as f64).sqrt();
    assert!((sd1 / sigma - 1.0).abs() < 0.03, "{sd1} vs {sigma}");
}
