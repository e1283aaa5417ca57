//! ETS fit speed and log-likelihoods on the peer-reference series (tests/ets.rs's set, read from
//! tests/fixtures/timeseries/ets_peer_statsmodels.json as the tests read it): for each series, every
//! model it admits fitted once (log-likelihood to 10 decimals, parameters), then the time per fit
//! and the time of `ets::auto` (all models, AICc), each the mean over repetitions lasting at least
//! 0.3 s. `scripts/bench-ets` runs it beside statsmodels: `cargo run --release --example ets_bench`.
use hwf::model::ets::{self, ErrorKind, Spec, TrendKind};

#[path = "ets_series/mod.rs"]
mod ets_series;
use ets_series::{series, time};

fn admits(spec: Spec, y: &[f64]) -> bool {
    y.iter().all(|v| *v > 0.0)
        || (spec.error == ErrorKind::Additive && spec.trend != TrendKind::Multiplicative)
}

fn main() {
    let only = std::env::args().nth(1);
    let fit = |s: &Spec, y: &[f64]| s.fit(y);
    for (name, y) in series() {
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
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
