//! What `examples/ets_bench` and `examples/ets_augurs` share: the peer-reference series as
//! `tests/ets.rs` reads them, and the timing loop.
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

/// The series of `tests/fixtures/timeseries/ets_peer_statsmodels.json`, by name, in its order.
pub fn series() -> Vec<(String, Vec<f64>)> {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/timeseries/ets_peer_statsmodels.json")
            .expect("the peer reference"),
    )
    .unwrap();
    doc["series"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, entry)| {
            let y = column(
                entry["file"].as_str().unwrap(),
                entry["sum_blocks_of"].as_u64().unwrap() as usize,
            );
            (name.clone(), y)
        })
        .collect()
}

/// Mean seconds per call of `f`, repeated until 0.3 s have passed (at least 3 calls).
pub fn time(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut reps = 0;
    while reps < 3 || start.elapsed().as_secs_f64() < 0.3 {
        f();
        reps += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(reps)
}
