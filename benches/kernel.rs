//! The Monte Carlo kernel: 1,000 draws on the full cube (22 professions × 21 counties × 2 sexes ×
//! 55 ages × 20 projected years), a STREAM-like triad for the machine's memory bandwidth and the
//! same triad in first-level cache (the bound that applies: the kernel's blocks stay in that
//! cache) in the same run, and the scaling table (draws; national, 21 counties, 290
//! municipalities).
//!
//! `cargo bench --bench kernel` prints the figures; `-- --export DIR` also writes the kernel's
//! inputs, draw 0's parameters and draw 0's results as `.npy` files for the numpy baseline
//! (`benches/kernel_numpy.py`); `scripts/bench-kernel` runs both and prints the comparison. Under
//! `cargo test --benches` it runs a few draws once, so it keeps compiling and working.

use hwf::model::inputs::NA;
use hwf::model::montecarlo::{Kernel, Pipeline};
use hwf::model::scenario::{self, Law};
use hwf::model::{run, scenario::Scenario};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

mod common;
use common::best_of;

/// The benchmark scenario: the default, projected 20 years (2024–2043).
fn scenario_20() -> Scenario {
    let mut sc = scenario::load(None).expect("the default scenario").0;
    sc.horizon = sc.base_year + 20;
    sc
}

/// STREAM's triad `a = b + s·c` over arrays of `n` doubles on all threads; bytes per second
/// (24 bytes per element, as STREAM counts them), best of `reps`.
fn triad(n: usize, reps: usize) -> f64 {
    let b = vec![1.0f64; n];
    let c = vec![2.0f64; n];
    let mut a = vec![0.0f64; n];
    let chunk = 1 << 15;
    let t = best_of(reps, || {
        a.par_chunks_mut(chunk)
            .zip(b.par_chunks(chunk))
            .zip(c.par_chunks(chunk))
            .for_each(|((a, b), c)| {
                for i in 0..a.len() {
                    a[i] = b[i] + 3.0 * c[i];
                }
            });
        a[n / 2]
    });
    24.0 * n as f64 / t
}

/// The same triad on every thread over arrays that stay in first-level cache (3 × `n` doubles per
/// thread, `n` = 1,536: 36 KiB of this machine's 48 KiB per core), repeated `sweeps` times: the
/// bandwidth the kernel can reach at best, since it runs blocks of three counties through all
/// their years in first-level cache. Bytes per second over all threads, best of `reps`.
fn triad_in_cache(n: usize, sweeps: usize, reps: usize) -> f64 {
    let threads = rayon::current_num_threads();
    let t = best_of(reps, || {
        (0..threads)
            .into_par_iter()
            .map(|_| {
                let b = vec![1.0f64; n];
                let c = vec![2.0f64; n];
                let mut a = vec![0.0f64; n];
                for k in 0..sweeps {
                    let s = std::hint::black_box(3.0 + k as f64 * 1e-9);
                    for ((x, y), z) in a.iter_mut().zip(&b).zip(&c) {
                        *x = y + s * z;
                    }
                    std::hint::black_box(&mut a);
                }
                a[n / 2]
            })
            .sum::<f64>()
    });
    24.0 * (n * sweeps * threads) as f64 / t
}

/// Bytes the kernel's passes stream per draw, counting each array access once per cell and year:
/// forward 6 arrays (stock in and out, survival, Swedish profile, foreign licences, FTE weights;
/// 7 when the foreign factors vary by year and the two origins are read apart), adjoint 4 (value
/// in and out, survival, profile; one pass from the intake window's last year) over the ages it follows (those that reach the ages new licences
/// enter at, see `model::montecarlo`) for professions with a programme.
fn bytes_per_draw(k: &Kernel) -> f64 {
    let cells = (k.regions.len() * 2 * NA) as f64;
    let steps = (k.years.len() - 1) as f64;
    let constant_foreign = !matches!(k.laws.foreign, Law::Trend | Law::Estimated);
    k.profs
        .iter()
        .map(|p| {
            let mut adjoint = 0.0;
            if matches!(p.pipeline, Pipeline::Programme { .. }) {
                for row in p.se_profile.chunks_exact(NA) {
                    let lo = row.iter().position(|x| *x != 0.0);
                    let hi = row.iter().rposition(|x| *x != 0.0);
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        // One pass, from the window's last year, serves every target.
                        let last = k.window.iter().copied().max().unwrap_or(0);
                        for t in 1..=last {
                            adjoint += 32.0 * ((hi + t).min(NA) - lo) as f64;
                        }
                    }
                }
            }
            let per_cell = if constant_foreign && p.foreign_trend.iter().all(Vec::is_empty) {
                48.0
            } else {
                56.0
            };
            per_cell * cells * steps + adjoint
        })
        .sum()
}

/// Municipalities as parts of the counties, by population (latest year in the allocation data).
fn municipalities(k: &Kernel) -> (Vec<(usize, f64)>, Vec<String>) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/allocation/population_municipality.csv"),
    )
    .expect("population by municipality");
    let mut pop: std::collections::BTreeMap<String, (i32, f64)> = Default::default();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (code, year, n) = (f[0], f[1].parse().unwrap_or(0), f[2].parse().unwrap_or(0.0));
        let e = pop.entry(code.to_string()).or_insert((0, 0.0));
        if year >= e.0 {
            *e = (year, n);
        }
    }
    let mut county_total = vec![0.0; k.regions.len()];
    let mut rows = Vec::new();
    for (code, (_, n)) in &pop {
        if let Some(c) = k.regions.iter().position(|r| code.starts_with(r.as_str())) {
            county_total[c] += n;
            rows.push((c, *n, code.clone()));
        }
    }
    let parts = rows
        .iter()
        .map(|(c, n, _)| (*c, n / county_total[*c]))
        .collect();
    (parts, rows.into_iter().map(|r| r.2).collect())
}

fn npy(dir: &Path, name: &str, shape: &[usize], data: &[f64]) {
    assert_eq!(shape.iter().product::<usize>(), data.len(), "{name}");
    let dims: Vec<String> = shape.iter().map(|d| format!("{d},")).collect();
    let mut header = format!(
        "{{'descr': '<f8', 'fortran_order': False, 'shape': ({}), }}",
        dims.join(" ")
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut f = std::fs::File::create(dir.join(format!("{name}.npy"))).expect("create npy");
    f.write_all(b"\x93NUMPY\x01\x00").unwrap();
    f.write_all(&(header.len() as u16).to_le_bytes()).unwrap();
    f.write_all(header.as_bytes()).unwrap();
    for v in data {
        f.write_all(&v.to_le_bytes()).unwrap();
    }
}

fn law_json(l: Law) -> String {
    match l {
        Law::Fixed => r#"{"dist": "fixed"}"#.into(),
        Law::Beta {
            weight,
            alpha,
            beta,
        } => format!(r#"{{"dist": "beta", "weight": {weight}, "alpha": {alpha}, "beta": {beta}}}"#),
        Law::Normal { sd } => format!(r#"{{"dist": "normal", "sd": {sd}}}"#),
        Law::LogNormal { sd } => format!(r#"{{"dist": "lognormal", "sd": {sd}}}"#),
        Law::Trend => r#"{"dist": "trend"}"#.into(),
        Law::Estimated => r#"{"dist": "estimated"}"#.into(),
    }
}

/// Writes what the numpy baseline needs, draw 0's parameters and draw 0's results.
fn export(k: &Kernel, seed: u64, dir: &Path) {
    std::fs::create_dir_all(dir).expect("export folder");
    let np = k.profs.len();
    let nr = k.regions.len();
    let ny = k.years.len();
    let nreg = k
        .profs
        .iter()
        .find_map(|p| match &p.pipeline {
            Pipeline::Programme { completion, .. } => Some(completion.len()),
            _ => None,
        })
        .unwrap_or(0);
    let nf = k.profs[0].growth.len();
    let cat = |f: &dyn Fn(usize) -> Vec<f64>| -> Vec<f64> { (0..np).flat_map(f).collect() };
    let cells = nr * 2 * NA;
    npy(dir, "l0", &[np, cells], &cat(&|p| k.profs[p].l0.clone()));
    npy(
        dir,
        "exit",
        &[np, 2 * NA],
        &cat(&|p| k.profs[p].exit.clone()),
    );
    npy(
        dir,
        "exit_k",
        &[np, 2 * NA],
        &cat(&|p| k.profs[p].exit_counts.iter().map(|c| c.0).collect()),
    );
    npy(
        dir,
        "exit_n",
        &[np, 2 * NA],
        &cat(&|p| k.profs[p].exit_counts.iter().map(|c| c.1).collect()),
    );
    npy(
        dir,
        "region_exit",
        &[np, nr],
        &cat(&|p| k.profs[p].region_exit.clone()),
    );
    npy(
        dir,
        "certification",
        &[np, 2 * NA],
        &cat(&|p| match &k.profs[p].pipeline {
            Pipeline::Certified { rates, scale } => {
                // The peer knows the rate feed only (the default scenario's), not the ST starts'.
                assert!(scale.is_empty(), "the numpy peer has no ST-fed layer");
                rates.clone()
            }
            _ => vec![0.0; 2 * NA],
        }),
    );
    npy(
        dir,
        "region_move",
        &[np, nr * NA],
        &cat(&|p| k.profs[p].region_move.clone()),
    );
    npy(
        dir,
        "w",
        &[np, nr * 2 * NA],
        &cat(&|p| k.profs[p].w.clone()),
    );
    npy(
        dir,
        "process",
        &[np, nr],
        &cat(&|p| k.profs[p].process.clone()),
    );
    npy(dir, "drift", &[np, nr], &cat(&|p| k.profs[p].drift.clone()));
    npy(
        dir,
        "ratio_sd",
        &[np, 8],
        &cat(&|p| {
            let (b, w) = k.profs[p].ratio_sd;
            let (l, y) = k.profs[p].ratio_national;
            let (rd, rl) = k.profs[p].ratio_trend;
            let (sd, sl) = k.profs[p].stock_trend;
            vec![b, w, l, y, rd, rl, sd, sl]
        }),
    );
    npy(
        dir,
        "foreign_sd",
        &[np, 7],
        &cat(&|p| {
            let [(le, ye), (lt, yt)] = k.profs[p].foreign_sd;
            let ([de, dt], lead) = k.profs[p].foreign_drift;
            vec![le, ye, lt, yt, de, dt, lead]
        }),
    );
    npy(
        dir,
        "se_profile",
        &[np, cells],
        &cat(&|p| k.profs[p].se_profile.clone()),
    );
    npy(
        dir,
        "se_route",
        &[np, nr, ny],
        &cat(&|p| {
            let r = &k.profs[p].se_route;
            if r.is_empty() {
                vec![1.0; nr * ny]
            } else {
                r.clone()
            }
        }),
    );
    npy(
        dir,
        "se_margin",
        &[np, nr],
        &cat(&|p| {
            let m = &k.profs[p].se_margin;
            if m.is_empty() {
                vec![1.0; nr]
            } else {
                m.clone()
            }
        }),
    );
    npy(
        dir,
        "se_post_margin",
        &[np, nr],
        &cat(&|p| {
            let k = &k.profs[p];
            match (k.se_post_margin.is_empty(), k.se_margin.is_empty()) {
                (false, _) => k.se_post_margin.clone(),
                (true, false) => k.se_margin.clone(),
                (true, true) => vec![1.0; nr],
            }
        }),
    );
    npy(
        dir,
        "foreign0",
        &[np, cells],
        &cat(&|p| k.profs[p].foreign[0].clone()),
    );
    npy(
        dir,
        "foreign1",
        &[np, cells],
        &cat(&|p| k.profs[p].foreign[1].clone()),
    );
    npy(
        dir,
        "demand_a",
        &[np, nr, ny],
        &cat(&|p| k.profs[p].demand_a.clone()),
    );
    npy(
        dir,
        "demand_b",
        &[np, nr, ny],
        &cat(&|p| k.profs[p].demand_b.clone()),
    );
    npy(
        dir,
        "growth",
        &[np, nf],
        &cat(&|p| k.profs[p].growth.clone()),
    );
    npy(
        dir,
        "base_fte",
        &[np, nr],
        &cat(&|p| k.profs[p].base.iter().map(|b| b.0).collect()),
    );
    npy(
        dir,
        "base_lic",
        &[np, nr],
        &cat(&|p| k.profs[p].base.iter().map(|b| b.1).collect()),
    );
    let programme = |p: usize| match &k.profs[p].pipeline {
        Pipeline::Programme {
            completion, counts, ..
        } => Some((completion.clone(), counts.clone())),
        _ => None,
    };
    npy(
        dir,
        "completion",
        &[np, nreg],
        &cat(&|p| programme(p).map_or(vec![0.0; nreg], |x| x.0)),
    );
    npy(
        dir,
        "completion_k",
        &[np, nreg],
        &cat(&|p| programme(p).map_or(vec![0.0; nreg], |x| x.1.iter().map(|c| c.0).collect())),
    );
    npy(
        dir,
        "completion_n",
        &[np, nreg],
        &cat(&|p| programme(p).map_or(vec![0.0; nreg], |x| x.1.iter().map(|c| c.1).collect())),
    );
    let coefs: Vec<_> = (0..np).map(|p| k.swedish_coefficients(p)).collect();
    for (i, name) in ["se", "unit", "post"].iter().enumerate() {
        npy(
            dir,
            &format!("{name}_const"),
            &[np, ny],
            &cat(&|p| coefs[p][i].0.clone()),
        );
        npy(
            dir,
            &format!("{name}_coef"),
            &[np, ny, nreg],
            &cat(&|p| {
                let c = &coefs[p][i].1;
                if c.is_empty() {
                    vec![0.0; ny * nreg]
                } else {
                    c.clone()
                }
            }),
        );
    }
    // Draw 0.
    let samples: Vec<_> = (0..np).map(|p| k.sample(p, 0, seed)).collect();
    for s in &samples {
        assert!(
            s.admissions.is_empty(),
            "the baseline assumes admissions without a trend"
        );
    }
    npy(
        dir,
        "d0_exit",
        &[np, 2 * NA],
        &cat(&|p| samples[p].exit.clone()),
    );
    npy(
        dir,
        "d0_completion",
        &[np, nreg],
        &cat(&|p| {
            let c = &samples[p].completion;
            if c.is_empty() {
                vec![0.0; nreg]
            } else {
                c.clone()
            }
        }),
    );
    npy(
        dir,
        "d0_foreign",
        &[np, 2, ny - 1],
        &cat(&|p| samples[p].foreign.concat()),
    );
    npy(
        dir,
        "d0_imbalance",
        &[np],
        &cat(&|p| vec![samples[p].imbalance]),
    );
    npy(dir, "d0_growth", &[nf], &samples[0].growth);
    // Process variation and the population error (zeros where the draw has none).
    let or_zeros = |v: &Vec<f64>| {
        if v.is_empty() {
            vec![0.0; nr * ny]
        } else {
            v.clone()
        }
    };
    npy(
        dir,
        "d0_steps",
        &[np, nr, ny],
        &cat(&|p| or_zeros(&samples[p].steps)),
    );
    npy(
        dir,
        "d0_ratio",
        &[np, nr, ny],
        &cat(&|p| or_zeros(&samples[p].ratio)),
    );
    npy(
        dir,
        "d0_trend",
        &[np, ny],
        &cat(&|p| {
            if samples[p].trend.is_empty() {
                vec![0.0; ny]
            } else {
                samples[p].trend.clone()
            }
        }),
    );
    npy(
        dir,
        "d0_population",
        &[nr, ny],
        &or_zeros(&samples[0].population),
    );
    let mut records: Vec<Vec<f64>> = vec![Vec::new(); np];
    let mut order: Vec<usize> = (0..np)
        .filter(|&p| !matches!(k.profs[p].pipeline, Pipeline::Layer { .. }))
        .collect();
    order.extend((0..np).filter(|&p| matches!(k.profs[p].pipeline, Pipeline::Layer { .. })));
    for &p in &order {
        let parent = match &k.profs[p].pipeline {
            Pipeline::Layer { parent, .. } => {
                let r = &records[*parent];
                Some(r[r.len() - ny..].to_vec())
            }
            _ => None,
        };
        records[p] = k.record(p, 0, seed, parent.as_deref());
    }
    let rec = records[0].len();
    npy(dir, "d0_record", &[np, rec], &records.concat());
    let kinds: Vec<String> = k
        .profs
        .iter()
        .map(|p| {
            let kind = match &p.pipeline {
                Pipeline::Programme { .. } => r#""kind": "programme""#.to_string(),
                Pipeline::Layer {
                    parent, lag, share, ..
                } => format!(
                    r#""kind": "layer", "parent": {parent}, "lag": {lag}, "share": {share}"#
                ),
                Pipeline::Certified { .. } => r#""kind": "certified""#.to_string(),
                Pipeline::Mean(_) => r#""kind": "mean""#.to_string(),
            };
            let bound = p.bound.map_or("null".to_string(), |q| q.to_string());
            format!(r#"{{{kind}, "bound": {bound}}}"#)
        })
        .collect();
    assert!(k.shifts.is_empty() && k.profs.iter().all(|p| p.demand_fixed.is_none()));
    let meta = format!(
        r#"{{"np": {np}, "nr": {nr}, "na": {NA}, "ny": {ny}, "nreg": {nreg}, "nf": {nf}, "window": {window:?}, "rule": "{rule}", "close_gap": {close_gap}, "tolerance": {tol}, "population_sd": {population_sd}, "seed": {seed}, "years": {years:?}, "pipelines": [{kinds}], "laws": {{"exit": {exit}, "completion": {completion}, "foreign": {foreign}, "growth": {growth}, "imbalance": {imbalance}}}}}"#,
        window = k.window,
        rule = k.rule.as_str(),
        close_gap = k.close_gap,
        tol = k.tolerance,
        population_sd = k.population_sd,
        years = k.years,
        kinds = kinds.join(", "),
        exit = law_json(k.laws.exit),
        completion = law_json(k.laws.completion),
        foreign = law_json(k.laws.foreign),
        growth = law_json(k.laws.growth),
        imbalance = law_json(k.laws.imbalance),
    );
    std::fs::write(dir.join("meta.json"), meta).expect("meta.json");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench = args.iter().any(|a| a == "--bench");
    let export_dir = args
        .iter()
        .position(|a| a == "--export")
        .and_then(|i| args.get(i + 1));
    let sc = scenario_20();
    let proj = run(&sc).expect("default run");
    let kernel = Kernel::new(&proj).expect("kernel");
    let q = hwf::model::scenario::Percentiles::new(vec![10.0, 50.0, 90.0]).expect("percentiles");
    if let Some(dir) = export_dir {
        export(&kernel, sc.seed, Path::new(dir));
    }
    if !bench {
        let b = kernel.run(4, sc.seed, &q).expect("draws");
        assert_eq!(b.draws, 4);
        let national = proj.inputs.summed_to_nation();
        let nat = hwf::model::project(&sc, national, vec![]).expect("national");
        Kernel::new(&nat)
            .expect("kernel")
            .run(2, 1, &q)
            .expect("national draws");
        println!("kernel: ran 4 draws (test mode; `cargo bench --bench kernel` measures)");
        return;
    }
    let threads = rayon::current_num_threads();
    let _ = kernel.run(20, sc.seed, &q); // warm up
    let reps = 3;
    let t1000 = best_of(reps, || kernel.run(1000, sc.seed, &q).expect("draws"));
    // The same kernel without the variation estimated from the history (process, ratio and
    // population laws fixed): what that variation costs, measured beside it.
    let mut plain = kernel.clone();
    plain.profs.iter_mut().for_each(|k| {
        k.process.iter_mut().for_each(|x| *x = 0.0);
        k.drift.iter_mut().for_each(|x| *x = 0.0);
        k.ratio_sd = (0.0, 0.0);
        k.ratio_national = (0.0, 0.0);
        k.ratio_trend = (0.0, 0.0);
        k.stock_trend = (0.0, 0.0);
        k.foreign_sd = [(0.0, 0.0); 2];
        k.foreign_drift = ([0.0; 2], 0.0);
    });
    plain.population_sd = 0.0;
    let _ = plain.run(20, sc.seed, &q);
    let t_plain = best_of(reps, || plain.run(1000, sc.seed, &q).expect("draws"));
    // The same kernel without the split of the required intake over the health-care regions
    // (the county rows of the adjoint, the normal equations and each draw's solve).
    let mut national_only = kernel.clone();
    national_only
        .profs
        .iter_mut()
        .for_each(|k| k.regional = None);
    let _ = national_only.run(20, sc.seed, &q);
    let t_national = best_of(reps, || {
        national_only.run(1000, sc.seed, &q).expect("draws")
    });
    let bw = triad(1 << 24, 5);
    let bytes = 1000.0 * bytes_per_draw(&kernel);
    let roofline = bytes / bw;
    let l1 = triad_in_cache(1536, 200_000, 5);
    let cache_bound = bytes / l1;
    println!(
        "cube: {} professions × {} regions × 2 sexes × {NA} ages × {} years; {threads} threads",
        kernel.profs.len(),
        kernel.regions.len(),
        kernel.years.len() - 1
    );
    println!(
        "triad: {:.2} GB/s (a = b + s·c, 3 × 128 MiB, best of 5)",
        bw / 1e9
    );
    println!(
        "kernel streams {:.1} GB for 1000 draws: at the triad's bandwidth {roofline:.3} s",
        bytes / 1e9
    );
    println!("rust_1000_draws_s={t1000:.4}");
    println!(
        "without the estimated variation: {t_plain:.4} s ({:.2}× the time with it)",
        t_plain / t1000
    );
    println!(
        "without the regions' intake bands: {t_national:.4} s ({:.2}× the time with them)",
        t_national / t1000
    );
    println!(
        "triad in first-level cache: {:.1} GB/s (3 × 12 KiB per thread); the kernel's bytes at that bandwidth {cache_bound:.3} s",
        l1 / 1e9
    );
    println!("roofline_percent={:.1}", 100.0 * roofline / t1000);
    println!("cache_bound_percent={:.1}", 100.0 * cache_bound / t1000);
    if args.iter().any(|a| a == "--no-scaling") {
        return;
    }
    println!("\nscaling, 21 counties (full run: draws, quantiles by county):");
    println!("  draws   seconds   per draw (ms)");
    for n in [10usize, 100, 1000, 10_000] {
        let r = if n >= 10_000 { 1 } else { reps };
        let t = best_of(r, || kernel.run(n, sc.seed, &q).expect("draws"));
        println!("  {n:>6} {t:>9.3} {:>12.3}", 1e3 * t / n as f64);
    }
    let national = proj.inputs.summed_to_nation();
    let nat = Kernel::new(&hwf::model::project(&sc, national, vec![]).expect("national"))
        .expect("kernel");
    let (parts, codes) = municipalities(&kernel);
    let muni = kernel.split(&parts, codes);
    println!("\nscaling, 1000 draws (national figures reduced):");
    println!("  regions   seconds   per region and draw (µs)");
    for (name, k) in [("1", &nat), ("21", &kernel), ("290", &muni)] {
        let t = best_of(reps, || {
            k.run_with(1000, sc.seed, &q, false).expect("draws")
        });
        println!(
            "  {name:>7} {t:>9.3} {:>14.3}",
            1e6 * t / (1000.0 * k.regions.len() as f64)
        );
    }
}
