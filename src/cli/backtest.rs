//! `hwf backtest`: the projection rerun from earlier base years and scored.

use super::CliError;
use super::args::{BacktestArgs, McArgs};
use hwf::publish::atomic::OutDir;
use std::path::PathBuf;
use std::process::ExitCode;

/// The longest backtest horizon, in years.
const MAX_HORIZON: i32 = 100;

/// `hwf backtest`: the scores' files, and their summary on the console.
pub fn run(a: BacktestArgs) -> Result<ExitCode, CliError> {
    backtest(&a.from, &a.horizons, a.scenario, a.keep.out(a.out)?, &a.mc)
}

fn backtest(
    from: &[i32],
    horizons: &[i32],
    scenario: Option<PathBuf>,
    out: OutDir,
    mc: &McArgs,
) -> Result<ExitCode, CliError> {
    use hwf::model::backtest;
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
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref())?;
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
    let wide_scores = hwf::publish::report::backtest_table(&scores);
    let wide_summary = hwf::publish::report::backtest_summary_table(&summary, &scores);
    let (a, b) = (wide_scores.csv(), wide_summary.csv());
    let calibration = hwf::model::calibration::table(&backtest::cases(&scores));
    let c = (!calibration.is_empty())
        .then(|| hwf::publish::report::calibration_table(&calibration).csv());
    hwf::publish::atomic::write_dir(&out, |tmp| {
        std::fs::write(tmp.join("backtest.csv"), &a)?;
        std::fs::write(tmp.join("backtest_summary.csv"), &b)?;
        if let Some(c) = &c {
            std::fs::write(tmp.join("calibration.csv"), c)?;
        }
        Ok(())
    })?;
    println!(
        "{:<5} {:>4} {:>8} {:<6} {:>9} {:>9} {:>9} {:>9}",
        "base", "h", "measure", "prof", "national%", "MAPE%", "bias%", "inside%"
    );
    for s in &summary {
        println!(
            "{:<5} {:>4} {:>8} {:<6} {:>9.2} {:>9.2} {:>9.2} {:>9}",
            s.base_year,
            s.horizon,
            s.measure,
            s.profession,
            s.national,
            s.mape,
            s.bias,
            s.coverage
                .map_or("–".to_string(), |c| format!("{:.0}", 100.0 * c))
        );
    }
    print_calibration(&calibration);
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}

/// The calibration table on the console: P10–P90 coverage by horizon for the nation and the
/// counties (both measures), and the interval score of hwf against the naive forecasts.
fn print_calibration(rows: &[hwf::model::calibration::Row]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!(
        "calibration (P10–P90 band, nominal 80 %, ± its standard error clustered by base year; interval score and CRPS in % of the outcome)"
    );
    println!(
        "{:<9} {:>7} {:>6} {:>9} {:>6} {:>9} {:>9} {:>12} {:>12}",
        "level",
        "horizon",
        "cells",
        "inside%",
        "±se",
        "IS hwf",
        "CRPS hwf",
        "IS no-chg",
        "IS trend"
    );
    let find = |m: &str, level: &str, h: Option<i32>| {
        rows.iter()
            .find(|r| r.method == m && r.level == level && r.measure == "all" && r.horizon == h)
    };
    let mut horizons: Vec<Option<i32>> = rows.iter().map(|r| r.horizon).collect();
    horizons.sort_unstable();
    horizons.dedup();
    for level in ["national", "county"] {
        for &h in horizons.iter().skip(1).chain(std::iter::once(&None)) {
            let Some(own) = find("hwf", level, h) else {
                continue;
            };
            let naive = |m: &str| {
                find(m, level, h).map_or("–".to_string(), |r| format!("{:.2}", r.interval_score))
            };
            println!(
                "{:<9} {:>7} {:>6} {:>9.1} {:>6} {:>9.2} {:>9.2} {:>12} {:>12}",
                level,
                h.map_or("all".to_string(), |h| h.to_string()),
                own.n,
                100.0 * own.coverage,
                own.coverage_se
                    .map_or("–".to_string(), |s| format!("{:.1}", 100.0 * s)),
                own.interval_score,
                own.crps,
                naive("no_change"),
                naive("linear_trend"),
            );
        }
    }
}
