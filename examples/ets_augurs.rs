//! augurs-ets (the Rust ETS peer, a dev-dependency for this bench only) timed on the series and
//! models of `examples/ets_bench`: per series, every non-seasonal model the series admits fitted
//! by augurs' `Unfit::fit` (the mean time per fit), and the same models fitted one after another
//! with the lowest AICc chosen (as `ets::auto` does). Prints `time` lines in ets_bench's format
//! (the model count is the number augurs fitted) and one `fit` line per model with augurs'
//! log-likelihood. `scripts/bench-ets` runs it: `cargo run --release --example ets_augurs`.
use augurs_ets::model::{ErrorComponent, ModelType, SeasonalComponent, TrendComponent, Unfit};
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

fn main() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/timeseries/ets_peer_statsmodels.json")
            .expect("the peer reference"),
    )
    .unwrap();
    for (name, entry) in doc["series"].as_object().unwrap() {
        let y = column(
            entry["file"].as_str().unwrap(),
            entry["sum_blocks_of"].as_u64().unwrap() as usize,
        );
        let positive = y.iter().all(|v| *v > 0.0);
        // hwf's models in ets::all_specs order, those the series admits.
        let mut models = Vec::new();
        for error in [ErrorComponent::Additive, ErrorComponent::Multiplicative] {
            for (trend, damped) in [
                (TrendComponent::None, false),
                (TrendComponent::Additive, false),
                (TrendComponent::Additive, true),
                (TrendComponent::Multiplicative, false),
                (TrendComponent::Multiplicative, true),
            ] {
                let multiplicative = error == ErrorComponent::Multiplicative
                    || trend == TrendComponent::Multiplicative;
                if positive || !multiplicative {
                    models.push((error, trend, damped));
                }
            }
        }
        let fit = |(error, trend, damped): (ErrorComponent, TrendComponent, bool)| {
            Unfit::new(ModelType {
                error,
                trend,
                season: SeasonalComponent::None,
            })
            .damped(damped)
            .fit(&y)
        };
        let mut fitted = 0;
        for &m in &models {
            match fit(m) {
                Ok(f) => {
                    fitted += 1;
                    println!(
                        "fit\t{name}\t{}{}\t{:.10}",
                        f.model_type(),
                        if m.2 { " damped" } else { "" },
                        f.log_likelihood()
                    );
                }
                Err(e) => println!("fit\t{name}\t{:?}\terror\t{e}", m),
            }
        }
        let per_fit = time(|| {
            for &m in &models {
                std::hint::black_box(fit(m).ok());
            }
        }) / models.len() as f64;
        let auto = time(|| {
            let best = models
                .iter()
                .filter_map(|&m| fit(m).ok())
                .min_by(|a, b| a.aicc().total_cmp(&b.aicc()));
            std::hint::black_box(best);
        });
        println!(
            "time\t{name}\t{}\t{fitted}\t{:.4}\t{:.4}",
            y.len(),
            per_fit * 1e3,
            auto * 1e3
        );
    }
}
