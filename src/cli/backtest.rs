//! `hwf backtest`: the projection rerun from earlier base years and scored.

use super::CliError;
use super::args::BacktestArgs;
use hwf::model::backtest;
use hwf::publish::report::{backtest_text, write_backtest};
use std::process::ExitCode;

/// The longest backtest horizon, in years.
const MAX_HORIZON: i32 = 100;

/// `hwf backtest`: the scores' files, and their summary on the console.
pub fn run(a: BacktestArgs) -> Result<ExitCode, CliError> {
    let (from, horizons, mc) = (&a.from, &a.horizons, &a.mc);
    let out = a.keep.out(a.out)?;
    if let Some(h) = horizons.iter().find(|h| !(1..=MAX_HORIZON).contains(*h)) {
        return Err(format!(
            "--horizons: {h} is not a horizon; expected whole years from 1 to {MAX_HORIZON}"
        )
        .into());
    }
    if let Some(b) = from.iter().find(|b| !(1900..=2100).contains(*b)) {
        return Err(format!(
            "--from: {b} is not a base year; expected a year of the data (1900–2100)"
        )
        .into());
    }
    let (sc, _, _) = hwf::model::scenario::load(a.scenario.as_deref())?;
    let draws = mc.backtest_draws(&sc)?;
    let full = hwf::model::run(&sc)?;
    let mut scores = Vec::new();
    for &b in from {
        let s = mc
            .in_pool(|| backtest::backtest_with(&full, b, horizons, draws))?
            .map_err(|e| format!("backtest from {b}: {e}"))?;
        let done: std::collections::BTreeSet<i32> = s.iter().map(|x| x.horizon).collect();
        let skipped: Vec<i32> = horizons
            .iter()
            .copied()
            .filter(|h| !done.contains(h))
            .collect();
        if !skipped.is_empty() {
            eprintln!(
                "note: from {b}, horizons {skipped:?} reach past the data and are not scored"
            );
        }
        scores.extend(s);
    }
    let summary = backtest::summarise(&scores);
    let calibration = hwf::model::calibration::table(&backtest::cases(&scores));
    write_backtest(&scores, &summary, &calibration, &out)?;
    print!("{}", backtest_text(&summary, &calibration));
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}
