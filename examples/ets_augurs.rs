//! augurs-ets (the Rust ETS peer, a dev-dependency for this bench only) timed on the series and
//! models of `examples/ets_bench`: per series, every non-seasonal model the series admits fitted
//! by augurs' `Unfit::fit` (the mean time per fit), and the same models fitted one after another
//! with the lowest AICc chosen (as `ets::auto` does). Prints `time` lines in ets_bench's format
//! (the model count is the number augurs fitted) and one `fit` line per model with augurs'
//! log-likelihood. `scripts/bench-ets` runs it: `cargo run --release --example ets_augurs`.
use augurs_ets::model::{ErrorComponent, ModelType, SeasonalComponent, TrendComponent, Unfit};

#[path = "ets_series/mod.rs"]
mod ets_series;
use ets_series::{series, time};

fn main() {
    for (name, y) in series() {
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
