//! The command line: clap's definitions ([`args`]), one handler per command (or per group of small
//! ones), and [`CliError`], which turns the library's typed errors into the message printed. The
//! handlers only read options, call the library and print; what they print beyond a line or two is
//! rendered by the library.

pub mod allocate;
pub mod args;
pub mod backtest;
pub mod error;
pub mod fetch;
pub mod forecast;
pub mod lists;
pub mod project;
pub mod register;
pub mod report;
pub mod tables;
pub mod validate;

pub use error::CliError;

use args::{KeepArgs, McArgs};
use hwf::ingest;
use hwf::publish::atomic::OutDir;
use hwf::table::Table;
use std::path::{Path, PathBuf};

/// The most draws a run takes (the memory they need is checked as well, before any is drawn).
const MAX_DRAWS: usize = 1_000_000;
/// The most worker threads a run starts.
const MAX_THREADS: usize = 1024;

/// A table named on the command line: a file (`--sheet` and `--format` as given) or
/// `embedded:NAME`, one of the embedded default tables (marked synthetic).
fn read(
    path: &Path,
    sheet: Option<&str>,
    format: Option<ingest::Format>,
) -> Result<Table, CliError> {
    if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("embedded:")) {
        return Ok(hwf::defaults::table(name)?);
    }
    if sheet.is_some() && format.is_some_and(|f| f != ingest::Format::Xlsx) {
        return Err("--sheet is for xlsx inputs; --format names another format".into());
    }
    if let Some(s) = sheet {
        let limits = ingest::Limits::from_env();
        let bytes = ingest::read_capped(path, &limits, true)?;
        return Ok(ingest::xlsx::read_with(path, &bytes, Some(s), &limits)?);
    }
    Ok(ingest::read_table_as(
        path,
        format,
        &ingest::Limits::from_env(),
    )?)
}

impl KeepArgs {
    /// The output folder, checked before any work is done.
    fn out(self, path: PathBuf) -> Result<OutDir, CliError> {
        let out = OutDir::new(path).keep_others(self.into_existing);
        out.check()?;
        Ok(out)
    }
}

impl McArgs {
    /// Checks the options that do not depend on the scenario.
    fn check(&self) -> Result<(), CliError> {
        if self.draws == Some(0) {
            return Err(
                "--draws 0: expected one draw or more (leave --draws out for a point projection)"
                    .into(),
            );
        }
        if let Some(d) = self.draws.filter(|&d| d > MAX_DRAWS) {
            return Err(format!(
                "--draws {d}: more than hwf takes ({MAX_DRAWS}); bands settle long before (1,000 draws are the default's order)"
            ).into());
        }
        if let Some(t) = self.threads.filter(|&t| t > MAX_THREADS) {
            return Err(format!(
                "--threads {t}: more than hwf starts ({MAX_THREADS}); this machine has {} cores",
                std::thread::available_parallelism().map_or(1, |n| n.get())
            )
            .into());
        }
        self.percentiles()?;
        if self.threads == Some(0) {
            return Err("--threads 0: expected one thread or more".into());
        }
        Ok(())
    }

    /// Runs `f` on `--threads` workers (all cores without it).
    fn in_pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T, CliError> {
        match self.threads {
            Some(n) => Ok(rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| format!("--threads {n}: {e}"))?
                .install(f)),
            None => Ok(f()),
        }
    }

    /// Draws for a backtest: the band is the lowest and highest percentile asked for.
    fn backtest_draws(
        &self,
        sc: &hwf::model::scenario::Scenario,
    ) -> Result<Option<hwf::model::backtest::Draws>, CliError> {
        self.check()?;
        let (lo, hi) = self
            .percentiles()?
            .as_ref()
            .unwrap_or(&sc.uncertainty.quantiles)
            .edges();
        Ok(self
            .draws
            .or(sc.uncertainty.draws)
            .map(|draws| hwf::model::backtest::Draws {
                draws,
                seed: self.seed.unwrap_or(sc.seed),
                band: (lo, hi),
            }))
    }

    /// Checks the options and runs the draws when asked for.
    fn apply(&self, pr: &mut hwf::model::Projection) -> Result<(), CliError> {
        self.check()?;
        let Some(draws) = self.draws.or(pr.scenario.uncertainty.draws) else {
            return Ok(());
        };
        let q = self.percentiles()?;
        Ok(self.in_pool(|| pr.simulate(draws, self.seed, q.as_ref()))??)
    }

    /// `--quantiles`, checked.
    fn percentiles(&self) -> Result<Option<hwf::model::scenario::Percentiles>, CliError> {
        Ok(self
            .quantiles
            .clone()
            .map(hwf::model::scenario::Percentiles::new)
            .transpose()
            .map_err(|e| format!("--quantiles: {e}"))?)
    }
}

/// The input contract's notes: rows left out on purpose (totals, ages above 74), on stderr.
fn print_notes(pr: &hwf::model::Projection) {
    for u in &pr.used {
        for n in &u.notes {
            eprintln!("note: {}: {n}", u.file);
        }
    }
}
