//! What the check of a Parquet file's declarations (footer and every page header, before polars
//! reads the file) costs beside reading it.
//!
//! `cargo run --release --example parquet_guard -- FILE.parquet [REPEATS]` times, REPEATS times
//! each (21 by default), interleaved, [`hwf::ingest::parquet::check_declarations`] alone and
//! [`hwf::ingest::parquet::read_with`] (which runs the check, then polars, then hwf's grid), and
//! prints the medians and the ratio of a guarded read to an unguarded one,
//! `read / (read − check)`.
use hwf::ingest::{Limits, parquet};
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .ok_or("usage: parquet_guard FILE.parquet [REPEATS]")?,
    );
    let repeats: usize = args.next().map_or(Ok(21), |s| s.parse())?;
    let bytes = std::fs::read(&path)?;
    let limits = Limits::default();
    let rows = parquet::read_with(&path, &bytes, &limits)?.len();
    let (mut check, mut read) = (Vec::new(), Vec::new());
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        parquet::check_declarations(&path, &bytes, &limits)?;
        check.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let n = parquet::read_with(&path, &bytes, &limits)?.len();
        read.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(n, rows);
    }
    let (c, r) = (median(check), median(read));
    println!(
        "{}: {} bytes, {rows} rows; check {c:.3} ms, read with the check {r:.1} ms (medians of {}); guarded/unguarded {:.4}",
        path.display(),
        bytes.len(),
        repeats.max(1),
        r / (r - c)
    );
    Ok(())
}
