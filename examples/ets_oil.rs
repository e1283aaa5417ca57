//! Fits every non-seasonal ETS model to the fpp2 oil series and prints log-likelihood and AICc
//! beside R's, and the time per fit: `cargo run --release --example ets_oil`.
use hwf::model::ets;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/timeseries/fpp2_oil_1965_2013.csv".into());
    let text = std::fs::read_to_string(&path).expect("the oil series");
    let y: Vec<f64> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse().ok())
        .collect();
    let reps = 20;
    let start = Instant::now();
    let mut fits = Vec::new();
    for _ in 0..reps {
        fits = ets::all_specs()
            .into_iter()
            .filter_map(|s| s.fit(&y).ok())
            .collect();
    }
    let per_fit = start.elapsed().as_secs_f64() / (reps * fits.len()) as f64;
    for f in &fits {
        println!(
            "{:<14} loglik {:>12.5}  AICc {:>10.3}  alpha {:.5} beta {:.5} phi {:.5}",
            f.spec.to_string(),
            f.loglik,
            f.aicc(),
            f.params.alpha,
            f.params.beta,
            f.params.phi
        );
    }
    println!(
        "hwf ets: {:.3} ms per fit ({} models × {reps} repetitions)",
        per_fit * 1e3,
        fits.len()
    );
}
