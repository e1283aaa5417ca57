//! ETS fit speed and log-likelihoods on the peer-reference series (tests/ets.rs's set, read from
//! tests/fixtures/timeseries/ets_peer_statsmodels.json as the tests read it): for each series, every
//! model it admits fitted once (log-likelihood to 10 decimals, parameters), then the time per fit
//! and the time of `ets::auto` (all models, AICc), each the mean over repetitions lasting at least
//! 0.3 s. `scripts/bench-ets` runs it beside statsmodels: `cargo run --release --example ets_bench`.
use hwf::model::ets::{self, ErrorKind, Spec, TrendKind};
use serde_json::Value;
use std::path::Path;
use std::time::Instant;

/// The second column of a fixture CSV (header skipped), summed in blocks of `block` values.
fn column(file: &str, block: usize) -> Vec<f64> {
    let text = std::fs::read_to_string(Path::new("tests/fixtures/timeseries").join(file))
        .expect("a fixture series");
    let v: Vec<f64> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').nth(1).unwrap().trim().parse().unwrap())
        .collect();
    v.chunks(block).map(|c| c.iter().sum()).collect()
}

/// Mean seconds per call of `f`, repeated until 0.3 s have passed (at least 3 calls).
fn time(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut reps = 0;
    while reps < 3 || start.elapsed().as_secs_f64() < 0.3 {
        f();
        reps += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(reps)
}

fn admits(spec: Spec, y: &[f64]) -> bool {
    y.iter().all(|v| *v > 0.0)
        || (spec.error == ErrorKind::Additive && spec.trend != TrendKind::Multiplicative)
}

fn main() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/timeseries/ets_peer_statsmodels.json")
            .expect("the peer reference"),
    )
    .unwrap();
    let only = std::env::args().nth(1);
    let fit = |s: &Spec, y: &[f64]| s.fit(y);
    for (name, entry) in doc["series"].as_object().unwrap() {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let y = column(
            entry["file"].as_str().unwrap(),
            entry["sum_blocks_of"].as_u64().unwrap() as usize,
        );
        let specs: Vec<Spec> = ets::all_specs()
            .into_iter()
            .filter(|s| admits(*s, &y))
            .collect();
        for s in &specs {
            match fit(s, &y) {
                Ok(f) => println!(
                    "fit\t{name}\t{s}\t{:.10}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}",
                    f.loglik, f.params.alpha, f.params.beta, f.params.phi, f.params.l0, f.params.b0,
                ),
                Err(e) => println!("fit\t{name}\t{s}\terror\t{e}"),
            }
        }
        let per_fit = time(|| {
            for s in &specs {
                std::hint::black_box(fit(s, &y).ok());
            }
        }) / specs.len() as f64;
        let auto = time(|| {
            std::hint::black_box(ets::auto(&y).ok());
        });
        println!(
            "time\t{name}\t{}\t{}\t{:.4}\t{:.4}",
            y.len(),
            specs.len(),
            per_fit * 1e3,
            auto * 1e3
        );
    }
}
