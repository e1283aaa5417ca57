//! The `hwf` command: a thin layer over the library that turns its typed errors into messages for
//! people and exit codes for scripts (0 fine, 1 validation errors, 2 bad input or usage).

use clap::{Parser, Subcommand};
use hwf::ingest::{self, read_table};
use hwf::publish::atomic::OutDir;
use hwf::publish::tables::{self, TableFormat};
use hwf::table::{Lang, Role, Status, Table};
use hwf::validate::{self, Finding, Options, Severity, TableKind};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Health-care workforce statistics and forecasting.
#[derive(Parser)]
#[command(name = "hwf", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert any readable table (.px, .json, .csv, .xlsx, .parquet) to tidy CSV, Parquet or xlsx.
    Convert {
        /// The input file.
        input: PathBuf,
        /// The output file; its extension (.csv, .parquet, .xlsx) picks the format.
        output: PathBuf,
        /// Write CSV the way Swedish Excel opens it: byte-order mark, ';' and decimal comma.
        #[arg(long)]
        swedish: bool,
        /// The sheet to read from an xlsx input (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
        /// tell it (a pipe such as <(…), a name without extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<ingest::Format>,
    },
    /// Show a table's dimensions, their sizes and codes, its value range and counts by status.
    Inspect {
        /// The file to inspect.
        file: PathBuf,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// The sheet to read from an xlsx input (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// How many codes to list per dimension (all with --json).
        #[arg(long, default_value_t = 12)]
        codes: usize,
        /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
        /// tell it (a pipe such as <(…), a name without extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<ingest::Format>,
    },
    /// Check tables against the code lists and the rules of their kind; with no path, the embedded
    /// default data. A folder means every table in it.
    Validate {
        /// Files or folders to check.
        paths: Vec<PathBuf>,
        /// The tables' kind (licensed, employed, licences_issued, population, admissions, care_use,
        /// balance, other); by default told from the file name.
        #[arg(long)]
        kind: Option<String>,
        /// Accepted years, as FROM-TO.
        #[arg(long, default_value = "1900-2100")]
        years: String,
        /// Relative tolerance for totals against the sum of their parts, on top of rounding (e.g. 0.01).
        #[arg(long, default_value_t = 0.0)]
        total_tolerance: f64,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// The format of the files named (px, json, csv, xlsx, parquet) where their names and
        /// first bytes do not tell it; a folder's files are told by their extensions.
        #[arg(long, value_parser = parse_format)]
        format: Option<ingest::Format>,
    },
    /// Distribute money by key (`--spec FILE`), audit a published distribution, or summarise funding
    /// streams.
    #[command(args_conflicts_with_subcommands = true)]
    Allocate {
        /// The allocation spec (TOML).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The output folder.
        #[arg(long, default_value = "out/allocation")]
        out: PathBuf,
        #[command(flatten)]
        keep: KeepArgs,
        #[command(subcommand)]
        action: Option<AllocateAction>,
    },
    /// Project supply, demand, gaps and the required intake, and write the results.
    Project {
        /// The scenario (TOML); by default the embedded default scenario.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The output folder.
        #[arg(long, default_value = "out/projection")]
        out: PathBuf,
        #[command(flatten)]
        keep: KeepArgs,
        #[command(flatten)]
        mc: McArgs,
    },
    /// The main job: project, then write charts, the HTML report, tables with disclosure control and
    /// the projection's files into one folder.
    Report {
        /// The scenario (TOML); by default the embedded default scenario.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The output folder (replaced whole when the report is done); by default out/report, or
        /// out/county-CODE, out/region-CODE, out/counties with the options below.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        keep: KeepArgs,
        /// Write one county's report (its code or name, as in data/codes/counties.csv) from the
        /// national run, instead of the national report.
        #[arg(long, conflicts_with_all = ["region", "all_counties", "compare", "backtest"])]
        county: Option<String>,
        /// Write one health-care region's report (its code or name, as in
        /// data/codes/healthcare_regions.csv) from the national run.
        #[arg(long, conflicts_with_all = ["all_counties", "compare", "backtest"])]
        region: Option<String>,
        /// Write one report per county (a folder each, named by its code) and an index.html.
        #[arg(long, conflicts_with_all = ["compare", "backtest"])]
        all_counties: bool,
        /// The report's language: sv or en.
        #[arg(long, default_value = "sv")]
        lang: String,
        /// Disclosure rule for counts of persons: 3, 5, threshold:N or ons-10-5.
        #[arg(long, default_value = "3")]
        disclosure: String,
        /// No progress messages.
        #[arg(long)]
        quiet: bool,
        /// Another scenario to set beside the main one (repeatable).
        #[arg(long)]
        compare: Vec<PathBuf>,
        /// Funding streams (CSV, see `hwf allocate funding`) to show per county beside the gap.
        #[arg(long)]
        funding: Option<PathBuf>,
        /// Backtest base years to include (comma-separated), scored at horizons 1, 3, 5 and 10.
        #[arg(long, value_delimiter = ',')]
        backtest: Vec<i32>,
        #[command(flatten)]
        mc: McArgs,
    },
    /// Rerun the projection from earlier base years with the data that existed then, and score it
    /// against what happened.
    Backtest {
        /// Base years, comma-separated (e.g. 2015,2017).
        #[arg(long, value_delimiter = ',', required = true)]
        from: Vec<i32>,
        /// Horizons in years, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,3,5,10")]
        horizons: Vec<i32>,
        /// The scenario whose parameters the reruns use; by default the embedded default.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The output folder (backtest.csv, backtest_summary.csv).
        #[arg(long, default_value = "out/backtest")]
        out: PathBuf,
        #[command(flatten)]
        keep: KeepArgs,
        #[command(flatten)]
        mc: McArgs,
    },
    /// Forecast every yearly series of a table with prediction intervals; with --last, score the
    /// forecast against the years held out.
    Forecast {
        /// Any table hwf reads with a year dimension (or `embedded:NAME`); each combination of the
        /// other dimensions' codes is one series.
        file: PathBuf,
        /// auto (the ETS model with the lowest AICc), linear, damped, or an ETS code (ANN, AAN,
        /// AAdN, MNN, MAN, MAdN, MMN, MMdN, AMN, AMdN).
        #[arg(long, default_value = "auto")]
        method: String,
        /// The first year used (e.g. the year a break in series starts the comparable stretch).
        #[arg(long)]
        from: Option<i32>,
        /// The last year used; later observed values are held out and scored.
        #[arg(long)]
        last: Option<i32>,
        /// The last year forecast (default: the table's last year with --last, else 10 years on).
        #[arg(long)]
        until: Option<i32>,
        /// Interval levels in percent, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "80,95")]
        levels: Vec<f64>,
        /// Seed of the simulated intervals (models with a multiplicative error or trend).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Sample paths of the simulated intervals.
        #[arg(long, default_value_t = hwf::model::forecast::DEFAULT_PATHS)]
        paths: usize,
        /// The sheet to read from an xlsx input (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
        /// tell it (a pipe such as <(…), a name without extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<ingest::Format>,
        /// The output folder (forecast.csv, scores.csv, charts/).
        #[arg(long, default_value = "out/forecast")]
        out: PathBuf,
        #[command(flatten)]
        keep: KeepArgs,
    },
    /// Fetch tables from SCB's statistical database (PxWebApi 2) or another PxWeb server, each
    /// saved with the request that made it (FILE.source.json beside FILE).
    Fetch(FetchArgs),
    /// Aggregate person-level register extracts (Parquet or CSV: person-years, licences, students)
    /// to the input tables the model reads, with a report of every row not counted and why.
    Aggregate {
        /// The spec (TOML) naming the extracts and their columns (docs/register.md).
        #[arg(long)]
        spec: PathBuf,
        /// The output folder: the tables, aggregate_report.txt and .json, and scenario.toml naming
        /// the tables as inputs.
        #[arg(long, default_value = "out/register")]
        out: PathBuf,
        #[command(flatten)]
        keep: KeepArgs,
    },
    /// Make a seeded SYNTHETIC person-level register consistent with the default data
    /// (persons, licences, education extracts and their spec), for trying and timing `aggregate`.
    SynthRegister {
        /// The output folder.
        #[arg(long, default_value = "out/synthetic-register")]
        out: PathBuf,
        /// Multiply every count of the default data by this (1: the default data, 5.2 M person-years).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The seed.
        #[arg(long, default_value_t = 2023)]
        seed: u64,
        /// Only this county (code; repeatable).
        #[arg(long)]
        county: Vec<String>,
        /// Write CSV instead of Parquet.
        #[arg(long)]
        csv: bool,
        /// Add a known set of faulty rows (what aggregate's report must then list).
        #[arg(long)]
        dirty: bool,
        #[command(flatten)]
        keep: KeepArgs,
    },
    /// Scenarios: `hwf scenario show [FILE]` prints the effective parameters and where each came from.
    Scenario {
        #[command(subcommand)]
        action: ScenarioAction,
    },
    /// List a code list: counties, regions, municipalities, sectors or professions.
    Codes {
        /// Which list.
        list: String,
    },
}

/// How an output folder that already holds others' files is treated.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
struct KeepArgs {
    /// Write into an existing folder that holds files hwf did not write, beside them and without
    /// touching them (by default such a folder is refused; hwf replaces only folders it wrote).
    #[arg(long)]
    into_existing: bool,
}

impl KeepArgs {
    /// The output folder, checked before any work is done.
    fn out(self, path: PathBuf) -> Result<OutDir, String> {
        let out = OutDir::new(path).keep_others(self.into_existing);
        out.check().map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// The most draws a run takes (the memory they need is checked as well, before any is drawn).
const MAX_DRAWS: usize = 1_000_000;
/// The longest backtest horizon, in years.
const MAX_HORIZON: i32 = 100;
/// The most worker threads a run starts.
const MAX_THREADS: usize = 1024;

/// Monte Carlo options shared by `project`, `report` and `backtest`.
#[derive(clap::Args, Clone, Debug, Default)]
struct McArgs {
    /// Monte Carlo draws (uncertainty bands); by default the scenario's `uncertainty.draws`, or
    /// none (a point projection).
    #[arg(long)]
    draws: Option<usize>,
    /// Seed of the draws; by default the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Percentiles to report, comma-separated (0–100); by default the scenario's (10,50,90).
    #[arg(long, value_delimiter = ',')]
    quantiles: Option<Vec<f64>>,
    /// Worker threads for the draws (results are the same for any number); by default all cores.
    #[arg(long)]
    threads: Option<usize>,
}

impl McArgs {
    /// Checks the options that do not depend on the scenario.
    fn check(&self) -> Result<(), String> {
        if self.draws == Some(0) {
            return Err(
                "--draws 0: expected one draw or more (leave --draws out for a point projection)"
                    .into(),
            );
        }
        if let Some(d) = self.draws.filter(|&d| d > MAX_DRAWS) {
            return Err(format!(
                "--draws {d}: more than hwf takes ({MAX_DRAWS}); bands settle long before (1,000 draws are the default's order)"
            ));
        }
        if let Some(t) = self.threads.filter(|&t| t > MAX_THREADS) {
            return Err(format!(
                "--threads {t}: more than hwf starts ({MAX_THREADS}); this machine has {} cores",
                std::thread::available_parallelism().map_or(1, |n| n.get())
            ));
        }
        if let Some(q) = &self.quantiles {
            hwf::model::scenario::check_quantiles(q).map_err(|e| format!("--quantiles: {e}"))?;
        }
        if self.threads == Some(0) {
            return Err("--threads 0: expected one thread or more".into());
        }
        Ok(())
    }

    /// Runs `f` on `--threads` workers (all cores without it).
    fn in_pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T, String> {
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
    ) -> Result<Option<hwf::model::backtest::Draws>, String> {
        self.check()?;
        let q = self
            .quantiles
            .clone()
            .unwrap_or_else(|| sc.uncertainty.quantiles.clone());
        let lo = q.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = q.iter().copied().fold(f64::NEG_INFINITY, f64::max);
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
    fn apply(&self, pr: &mut hwf::model::Projection) -> Result<(), String> {
        self.check()?;
        let Some(draws) = self.draws.or(pr.scenario.uncertainty.draws) else {
            return Ok(());
        };
        self.in_pool(|| pr.simulate(draws, self.seed, self.quantiles.as_deref()))?
            .map_err(|e| e.to_string())
    }
}

#[derive(Subcommand)]
enum AllocateAction {
    /// Work out what a published distribution implies about a key that cannot be seen.
    Audit {
        /// The published amounts (CSV with a code and an amount column).
        #[arg(long)]
        published: PathBuf,
        /// The stated total, in kronor.
        #[arg(long)]
        total: u64,
        /// The stated floor per recipient, in kronor.
        #[arg(long)]
        floor: u64,
        /// The available indicator: any table with recipient codes (and a year dimension).
        #[arg(long)]
        indicator: PathBuf,
        /// The year of the indicator to use.
        #[arg(long)]
        year: Option<String>,
        /// The weight of the available indicator to evaluate (the rest is the unavailable one's).
        #[arg(long)]
        weight: Option<f64>,
        /// Write the per-recipient audit to this CSV file.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Summarise funding streams per county and year (kronor, and kronor per inhabitant).
    Funding {
        /// The funding-stream CSV.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ScenarioAction {
    /// Print the effective scenario, each value with the file it came from.
    Show {
        /// The scenario file; by default the embedded default.
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // A reader that stops early (`hwf codes municipalities | head`) closes the pipe: end quietly,
    // as command-line tools do, instead of panicking in `println!`.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// `--format`'s value.
fn parse_format(s: &str) -> Result<ingest::Format, String> {
    ingest::Format::parse(s).ok_or_else(|| {
        let names: Vec<&str> = ingest::Format::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?}: expected one of {}", names.join(", "))
    })
}

fn read(path: &Path, sheet: Option<&str>, format: Option<ingest::Format>) -> Result<Table, String> {
    // `embedded:NAME`: one of the embedded default tables (marked synthetic).
    if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("embedded:")) {
        return hwf::defaults::table(name).map_err(|e| e.to_string());
    }
    if sheet.is_some() && format.is_some_and(|f| f != ingest::Format::Xlsx) {
        return Err("--sheet is for xlsx inputs; --format names another format".into());
    }
    if let Some(s) = sheet {
        let limits = ingest::Limits::from_env();
        let bytes = ingest::read_capped(path, &limits, true).map_err(|e| e.to_string())?;
        return ingest::xlsx::read_with(path, &bytes, Some(s), &limits).map_err(|e| e.to_string());
    }
    ingest::read_table_as(path, format, &ingest::Limits::from_env()).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Forecast {
            file,
            method,
            from,
            last,
            until,
            levels,
            seed,
            paths,
            sheet,
            format,
            out,
            keep,
        } => {
            use hwf::model::forecast;
            let opts = forecast::Options {
                method: forecast::Method::try_from(method.as_str())
                    .map_err(|e| format!("--method: {e}"))?,
                from,
                last,
                until,
                levels,
                seed,
                paths,
            };
            opts.check().map_err(|e| e.to_string())?;
            let out = keep.out(out)?;
            let table = read(&file, sheet.as_deref(), format)?;
            for w in &table.meta.warnings {
                eprintln!("warning: {}: {w}", file.display());
            }
            let run = forecast::run(&table, &opts).map_err(|e| e.to_string())?;
            hwf::publish::forecast::write(&run, &out).map_err(|e| e.to_string())?;
            print!("{}", hwf::publish::forecast::summary(&run));
            println!("wrote {}", out.path().display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Fetch(args) => fetch(args),
        Command::Aggregate { spec, out, keep } => aggregate(&spec, keep.out(out)?),
        Command::SynthRegister {
            out,
            scale,
            seed,
            county,
            csv,
            dirty,
            keep,
        } => {
            let out = keep.out(out)?;
            let o = hwf::ingest::register::synth::Options {
                scale,
                seed,
                counties: county,
                csv,
                dirty,
            };
            let mut summary = None;
            hwf::publish::atomic::write_dir(&out, |tmp| {
                let s = hwf::ingest::register::synth::write(tmp, &o)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                summary = Some(s);
                Ok(())
            })
            .map_err(|e| e.to_string())?;
            if let Some(s) = summary {
                eprintln!(
                    "SYNTHETIC register: {} person-years, {} licences, {} student events{}",
                    s.rows[0],
                    s.rows[1],
                    s.rows[2],
                    if s.excess_employed > 0 {
                        format!(
                            " ({} employed beyond the licensed of their cell made licensed too)",
                            s.excess_employed
                        )
                    } else {
                        String::new()
                    }
                );
            }
            println!("wrote {}", out.path().display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Convert {
            input,
            output,
            swedish,
            sheet,
            format,
        } => {
            let table = read(&input, sheet.as_deref(), format)?;
            let format = match TableFormat::from_path(&output) {
                Some(TableFormat::Csv) if swedish => TableFormat::CsvSwedish,
                Some(f) => f,
                None => {
                    return Err(format!(
                        "{}: cannot tell the output format from the extension; expected .csv, .parquet or .xlsx",
                        output.display()
                    ));
                }
            };
            tables::write(&table, &output, format).map_err(|e| e.to_string())?;
            for w in &table.meta.warnings {
                eprintln!("warning: {}: {w}", input.display());
            }
            eprintln!("wrote {} ({} rows)", output.display(), table.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect {
            file,
            json,
            sheet,
            codes,
            format,
        } => {
            let t = read(&file, sheet.as_deref(), format)?;
            // A file `hwf fetch` wrote: where from, and whether it is still as fetched.
            let fetched = hwf::ingest::fetch::record_of(&file);
            if json {
                let mut j = inspect_json(&t);
                if let Some((rec, same, when)) = &fetched {
                    j["fetched"] = json!({"table": rec.table, "api": rec.api, "retrieved": when,
                                          "unchanged": same});
                }
                println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
            } else {
                print!("{}", inspect_text(&t, codes));
                if let Some((rec, same, when)) = &fetched {
                    println!(
                        "fetched:    table {} from {} ({when}){}",
                        rec.table,
                        rec.api,
                        if *same {
                            ""
                        } else {
                            "; the file has changed since (its record describes another)"
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate {
            paths,
            kind,
            years,
            total_tolerance,
            json,
            format,
        } => {
            let kind = kind.map(|k| TableKind::try_from(k.as_str())).transpose()?;
            let years = parse_years(&years)?;
            if !(0.0..1.0).contains(&total_tolerance) {
                return Err(format!(
                    "--total-tolerance {total_tolerance}: expected a relative tolerance from 0 up to 1"
                ));
            }
            let base = Options {
                kind: TableKind::Other,
                years,
                total_tolerance,
                ..Options::default()
            };
            let mut findings: Vec<Finding> = Vec::new();
            let mut checked = 0usize;
            let tables = collect_tables(&paths, format)?;
            for (name, result) in tables {
                checked += 1;
                match result {
                    Ok(t) => {
                        let opts = Options {
                            kind: kind.unwrap_or_else(|| TableKind::from_file_name(&name)),
                            ..base.clone()
                        };
                        findings.extend(validate::check(&t, &opts));
                    }
                    // A file with several read errors lists them all, one finding each.
                    Err(e) => findings.extend(e.lines().map(|line| Finding {
                        severity: Severity::Error,
                        check: "read",
                        file: name.clone(),
                        place: String::new(),
                        found: line.to_string(),
                        expected: "a readable table".into(),
                    })),
                }
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = findings.len() - errors;
            if json {
                let list: Vec<_> = findings
                    .iter()
                    .map(|f| {
                        json!({"severity": f.severity.as_str(), "check": f.check, "file": f.file,
                               "place": f.place, "found": f.found, "expected": f.expected})
                    })
                    .collect();
                let doc = json!({"files": checked, "errors": errors, "warnings": warnings, "findings": list});
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                if errors > 0 {
                    println!("Errors:");
                    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
                        println!("  {f}");
                    }
                }
                if warnings > 0 {
                    println!("Warnings:");
                    for f in findings.iter().filter(|f| f.severity == Severity::Warning) {
                        println!("  {f}");
                    }
                }
                println!("{checked} file(s) checked: {errors} error(s), {warnings} warning(s)");
            }
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Allocate {
            spec,
            out,
            keep,
            action,
        } => allocate(spec, out, keep, action),
        Command::Project {
            scenario,
            out,
            keep,
            mc,
        } => project(scenario, keep.out(out)?, &mc),
        Command::Backtest {
            from,
            horizons,
            scenario,
            out,
            keep,
            mc,
        } => backtest(&from, &horizons, scenario, keep.out(out)?, &mc),
        Command::Report {
            scenario,
            out,
            keep,
            county,
            region,
            all_counties,
            lang,
            disclosure,
            quiet,
            compare,
            funding,
            backtest,
            mc,
        } => {
            let who = Who::of(county.as_deref(), region.as_deref(), all_counties)?;
            let out = out.unwrap_or_else(|| who.default_out());
            report(
                &mc,
                scenario,
                keep.out(out)?,
                &who,
                &lang,
                &disclosure,
                quiet,
                &compare,
                funding.as_deref(),
                &backtest,
            )
        }
        Command::Scenario {
            action: ScenarioAction::Show { file },
        } => {
            let (sc, prov, _) =
                hwf::model::scenario::load(file.as_deref()).map_err(|e| e.to_string())?;
            let flat = flatten(&toml::Value::try_from(&sc).map_err(|e| e.to_string())?, "");
            let width = flat.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in flat {
                let from = prov
                    .iter()
                    .filter(|(p, _)| k == **p || k.starts_with(&format!("{p}.")))
                    .max_by_key(|(p, _)| p.len())
                    .map(|(_, s)| s.as_str())
                    .unwrap_or("embedded default");
                println!("{k:<width$} = {v}    # {from}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Codes { list } => {
            let c = hwf::codes::CodeLists::get();
            let rows: Vec<String> = match list.as_str() {
                "counties" | "län" => c
                    .counties
                    .iter()
                    .map(|x| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            x.code, x.name_sv, x.name_en, x.healthcare_region
                        )
                    })
                    .collect(),
                "regions" | "healthcare_regions" => c
                    .healthcare_regions
                    .iter()
                    .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
                    .collect(),
                "municipalities" | "kommuner" => c
                    .municipalities
                    .iter()
                    .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.county))
                    .collect(),
                "sectors" => c
                    .sectors
                    .iter()
                    .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
                    .collect(),
                "professions" | "yrken" => c
                    .professions
                    .iter()
                    .map(|x| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            x.code,
                            x.name_sv,
                            x.name_en,
                            match (&x.layer_of, x.licensed) {
                                (Some(p), _) => format!("layer of {p}"),
                                (None, true) => "licensed".into(),
                                (None, false) => String::new(),
                            }
                        )
                    })
                    .collect(),
                other => {
                    return Err(format!(
                        "unknown code list {other:?}; expected counties, regions, municipalities, sectors or professions"
                    ));
                }
            };
            for r in rows {
                println!("{r}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("--years {s:?}: expected FROM-TO, e.g. 1990-2060"))?;
    let a: i32 = a
        .trim()
        .parse()
        .map_err(|_| format!("--years {s:?}: {a:?} is not a year"))?;
    let b: i32 = b
        .trim()
        .parse()
        .map_err(|_| format!("--years {s:?}: {b:?} is not a year"))?;
    if a > b {
        return Err(format!("--years {s:?}: FROM is after TO"));
    }
    Ok((a, b))
}

/// The tables named on the command line (folders expanded), or the embedded default data.
/// A table to check, by name, or why it could not be read.
type Named = (String, Result<Table, String>);

fn collect_tables(paths: &[PathBuf], format: Option<ingest::Format>) -> Result<Vec<Named>, String> {
    if paths.is_empty() {
        return Ok(hwf::defaults::tables()
            .into_iter()
            .map(|(name, r)| (name, r.map_err(|e| e.to_string())))
            .collect());
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // hwf's own records describe tables or folders; they are not tables: a fetch's
                // `FILE.source.json`, an output folder's marker, aggregate's report.
                .filter(|f| {
                    !f.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.ends_with(".source.json")
                            || n == hwf::publish::atomic::MARKER
                            || n == "aggregate_report.json"
                    })
                })
                .filter(|f| {
                    f.extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_ascii_lowercase)
                        .is_some_and(|e| {
                            matches!(e.as_str(), "px" | "json" | "csv" | "xlsx" | "parquet")
                        })
                })
                .collect();
            files.sort();
            for f in files {
                out.push((
                    f.display().to_string(),
                    read_table(&f).map_err(|e| e.to_string()),
                ));
            }
        } else {
            out.push((
                p.display().to_string(),
                ingest::read_table_as(p, format, &ingest::Limits::from_env())
                    .map_err(|e| e.to_string()),
            ));
        }
    }
    Ok(out)
}

fn role_name(r: Role) -> &'static str {
    r.as_str()
}

fn inspect_text(t: &Table, max_codes: usize) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let m = &t.meta;
    let _ = writeln!(
        s,
        "{} ({}){}",
        m.origin,
        m.format,
        if m.synthetic {
            " — SYNTHETIC DATA"
        } else {
            ""
        }
    );
    if let Some(x) = &m.title_sv {
        let _ = writeln!(s, "title (sv): {x}");
    }
    if let Some(x) = &m.title_en {
        let _ = writeln!(s, "title (en): {x}");
    }
    if let Some(x) = &m.table_id {
        let _ = writeln!(s, "table id:   {x}");
    }
    if let Some(x) = &m.source {
        let _ = writeln!(s, "source:     {x}");
    }
    if let Some(x) = m.unit.as_ref().or(m.measure.as_ref()) {
        let _ = writeln!(s, "unit:       {x}");
    }
    let _ = writeln!(s, "cells:      {}", t.len());
    let _ = writeln!(s, "dimensions: {}", t.dims.len());
    for d in &t.dims {
        let label = d
            .label_sv
            .as_ref()
            .or(d.label_en.as_ref())
            .filter(|l| **l != d.id);
        let _ = write!(s, "  {}", d.id);
        if let Some(l) = label {
            let _ = write!(s, " ({l})");
        }
        if d.role != Role::Other {
            let _ = write!(s, " [{}]", role_name(d.role));
        }
        let _ = writeln!(s, ": {} categories", d.len());
        let shown: Vec<String> = d
            .categories
            .iter()
            .take(max_codes)
            .map(|c| {
                let l = c.label(Lang::Sv);
                if l == c.code {
                    c.code.clone()
                } else {
                    format!("{} {l}", c.code)
                }
            })
            .collect();
        let more = if d.len() > max_codes {
            format!(", … ({} more)", d.len() - max_codes)
        } else {
            String::new()
        };
        let _ = writeln!(s, "    {}{more}", shown.join(", "));
    }
    match t.value_range() {
        Some((lo, hi)) => {
            let _ = writeln!(s, "values:     {lo} … {hi}");
        }
        None => {
            let _ = writeln!(s, "values:     none");
        }
    }
    let counts: Vec<String> = t
        .status_counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{st} {n}"))
        .collect();
    let _ = writeln!(s, "status:     {}", counts.join(", "));
    if !m.symbol_names.is_empty() {
        let _ = writeln!(
            s,
            "symbols:    {}",
            m.symbol_names
                .iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for n in &m.notes {
        let _ = writeln!(s, "note:       {n}");
    }
    for w in &m.warnings {
        let _ = writeln!(s, "warning:    {w}");
    }
    s
}

fn inspect_json(t: &Table) -> serde_json::Value {
    let m = &t.meta;
    let dims: Vec<_> = t
        .dims
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "label_sv": d.label_sv, "label_en": d.label_en, "role": d.role.as_str(),
                "size": d.len(),
                "codes": d.categories.iter().map(|c| json!({"code": c.code, "label_sv": c.label_sv,
                    "label_en": c.label_en, "unit": c.unit})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let status: serde_json::Map<String, serde_json::Value> = Status::ALL
        .iter()
        .zip(t.status_counts())
        .map(|(s, (_, n))| (s.as_str().to_string(), json!(n)))
        .collect();
    let range = t.value_range();
    json!({
        "file": m.origin, "format": m.format, "synthetic": m.synthetic,
        "title_sv": m.title_sv, "title_en": m.title_en, "table_id": m.table_id, "source": m.source,
        "unit": m.unit, "measure": m.measure, "decimals": m.decimals, "updated": m.updated,
        "cells": t.len(), "dimensions": dims,
        "value_min": range.map(|r| r.0), "value_max": range.map(|r| r.1),
        "status": status, "symbols": m.symbol_names, "notes": m.notes, "warnings": m.warnings,
    })
}

fn allocate(
    spec: Option<PathBuf>,
    out: PathBuf,
    keep: KeepArgs,
    action: Option<AllocateAction>,
) -> Result<ExitCode, String> {
    use hwf::allocate::{audit, funding, output, spec::Spec};
    match action {
        None => {
            let path = spec.ok_or("name the allocation spec: hwf allocate --spec FILE")?;
            let out = keep.out(out)?;
            let s = Spec::load(&path).map_err(|e| e.to_string())?;
            let a = s.run().map_err(|e| format!("{}: {e}", path.display()))?;
            output::write(&a, &s.title, &out).map_err(|e| e.to_string())?;
            let sum: u64 = a.lines.iter().map(|l| l.amount).sum();
            let stand = a
                .lines
                .iter()
                .filter(|l| l.values.iter().any(|v| v.stand_in))
                .count();
            println!(
                "{} recipients, {} kr in all (floor {} kr each); {stand} used a stand-in year",
                a.lines.len(),
                sum,
                a.floor
            );
            println!(
                "wrote {}/allocation.csv, allocation_sv.csv, allocation.xlsx, summary.html",
                out.path().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(AllocateAction::Audit {
            published,
            total,
            floor,
            indicator,
            year,
            weight,
            csv,
        }) => {
            let a = audit::audit_files(&published, total, floor, &indicator, year, weight)
                .map_err(|e| e.to_string())?;
            println!(
                "published: {} recipients, {} kr (stated total {} kr{})",
                a.lines.len(),
                a.published_total,
                a.total,
                if a.published_total == a.total {
                    ", equal"
                } else {
                    ", DIFFERENT"
                }
            );
            if !a.below_floor.is_empty() {
                println!(
                    "paid below the floor of {} kr: {}",
                    a.floor,
                    a.below_floor.join(", ")
                );
            }
            println!(
                "every implied share of the unavailable indicator is non-negative for a weight of the available one up to w_max = {:.4}",
                a.w_max
            );
            println!("recipients that bind the range (lowest variable share / indicator share):");
            for l in a.binding(5) {
                println!(
                    "  {} {:<20} amount {:>9}  variable share {:.6}  indicator share {:.6}  ratio {:.4}",
                    l.code, l.name, l.amount, l.variable_share, l.indicator_share, l.ratio
                );
            }
            if let Some(w) = a.weight {
                let min = a
                    .lines
                    .iter()
                    .filter_map(|l| l.implied_share.map(|q| (q, l)))
                    .min_by(|x, y| x.0.total_cmp(&y.0));
                if let Some((q, l)) = min {
                    println!(
                        "at weight {w}: smallest implied share {q:.6} ({} {})",
                        l.code, l.name
                    );
                }
                println!(
                    "{}",
                    if a.consistent() {
                        "consistent with the stated key"
                    } else {
                        "INCONSISTENT: the stated key would need a negative share"
                    }
                );
            }
            if let Some(path) = csv {
                let bytes = a.csv_bytes();
                hwf::publish::atomic::write(&path, &bytes).map_err(|e| e.to_string())?;
                println!("wrote {}", path.display());
            }
            Ok(if a.consistent() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(AllocateAction::Funding { file }) => {
            let streams = funding::read(&file).map_err(|e| e.to_string())?;
            let (last, pop) = funding::default_population().map_err(|e| e.to_string())?;
            let m = funding::per_county_year(&streams, &pop);
            let national = funding::national(&streams);
            println!(
                "county\tyear\tkronor\tkronor per inhabitant ({last} population, synthetic default data)"
            );
            for ((c, y), v) in &m {
                let p = pop.get(c).copied().unwrap_or(f64::NAN);
                println!("{c}\t{y}\t{v:.0}\t{:.2}", v / p);
            }
            println!("national streams not earmarked for a county: {national:.0} kr");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn flatten(v: &toml::Value, prefix: &str) -> Vec<(String, String)> {
    match v {
        toml::Value::Table(t) => t
            .iter()
            .flat_map(|(k, x)| {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(x, &key)
            })
            .collect(),
        other => vec![(prefix.to_string(), other.to_string())],
    }
}

fn project(scenario: Option<PathBuf>, out: OutDir, mc: &McArgs) -> Result<ExitCode, String> {
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref()).map_err(|e| e.to_string())?;
    eprintln!(
        "projecting scenario {:?}: base year {}, horizon {}",
        sc.name, sc.base_year, sc.horizon
    );
    let mut pr = hwf::model::run(&sc).map_err(|e| e.to_string())?;
    print_notes(&pr);
    mc.apply(&mut pr)?;
    hwf::publish::results::write(&pr, &out).map_err(|e| e.to_string())?;
    let out = out.path();
    let g = &pr.inputs.grid;
    let ti = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    let bands = pr.bands.as_ref();
    let band_head = bands.map_or(String::new(), |b| {
        let q = &b.percentiles;
        format!(
            "  gap P{}–P{} ({} draws)   P(shortage)",
            q[0],
            q[q.len() - 1],
            b.draws
        )
    });
    let area = pr.area();
    if !area.whole {
        println!(
            "scope: {} (the figures are these counties' sum, not Sweden)",
            area.name(false)
        );
    }
    println!(
        "{:<6} {:>10} {:>10} {:>9}  balance {}{band_head}",
        "prof", "supply", "demand", "gap", sc.horizon
    );
    for p in 0..g.np() {
        let (s, d) = pr.national(ti, p);
        let d = d.unwrap_or(f64::NAN);
        let band = bands.map_or(String::new(), |b| {
            let last = b.years.len() - 1;
            let q = b.q(p, 3, b.national(), last);
            format!(
                "  {:>9.0} … {:<9.0} {:>5.0} %",
                q[0],
                q[q.len() - 1],
                100.0 * b.shortage_of(p, b.national(), last)
            )
        });
        println!(
            "{:<6} {:>10.0} {:>10.0} {:>9.0}  {:<8}{band}",
            g.professions[p],
            s,
            d,
            s - d,
            pr.label(s, d)
        );
    }
    if let Some(line) = pr.synthetic_summary() {
        println!("{line}");
    }
    if let Some(line) = pr.imputed_summary() {
        println!("{line}");
    }
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// The input contract's notes: rows left out on purpose (totals, ages above 74), on stderr.
fn print_notes(pr: &hwf::model::Projection) {
    for u in &pr.used {
        for n in &u.notes {
            eprintln!("note: {}: {n}", u.file);
        }
    }
}

/// Whose report `hwf report` writes.
enum Who {
    /// The national report (the run's whole area).
    National,
    /// One county's or health-care region's.
    One(hwf::publish::principal::Principal),
    /// One per county, with an index.
    AllCounties,
}

impl Who {
    /// From the options, checked before any work.
    fn of(county: Option<&str>, region: Option<&str>, all: bool) -> Result<Who, String> {
        use hwf::publish::principal::Principal;
        Ok(match (county, region) {
            (Some(c), _) => Who::One(Principal::county(c).map_err(|e| e.to_string())?),
            (_, Some(r)) => Who::One(Principal::region(r).map_err(|e| e.to_string())?),
            _ if all => Who::AllCounties,
            _ => Who::National,
        })
    }

    /// The output folder when `--out` is not given.
    fn default_out(&self) -> PathBuf {
        use hwf::publish::principal::Kind;
        match self {
            Who::National => PathBuf::from("out/report"),
            Who::One(p) if p.kind == Kind::County => {
                PathBuf::from(format!("out/county-{}", p.code))
            }
            Who::One(p) => PathBuf::from(format!("out/region-{}", p.code)),
            Who::AllCounties => PathBuf::from("out/counties"),
        }
    }
}

#[allow(clippy::too_many_arguments)] // one argument per command-line option
fn report(
    mc: &McArgs,
    scenario: Option<PathBuf>,
    out: OutDir,
    who: &Who,
    lang: &str,
    disclosure: &str,
    quiet: bool,
    compare: &[PathBuf],
    funding: Option<&Path>,
    backtest: &[i32],
) -> Result<ExitCode, String> {
    let lang =
        Lang::from_code(lang).ok_or_else(|| format!("--lang {lang:?}: expected sv or en"))?;
    let profile = hwf::publish::disclosure::Profile::try_from(disclosure)
        .map_err(|e| format!("--disclosure: {e}"))?;
    let start = std::time::Instant::now();
    let mut progress = |what: &str| {
        if !quiet {
            eprintln!("[{:5.1} s] {what}", start.elapsed().as_secs_f64());
        }
    };
    progress("reading the scenario");
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref()).map_err(|e| e.to_string())?;
    if let Who::One(principal) = who {
        let area =
            hwf::model::scope::Area::of(sc.scope.as_ref()).map_err(|(k, m)| format!("{k}: {m}"))?;
        principal.check_in(&area).map_err(|e| e.to_string())?;
    }
    // Read before any projection, so that a bad funding file is refused in milliseconds.
    let streams = funding
        .map(hwf::allocate::funding::read)
        .transpose()
        .map_err(|e| e.to_string())?;
    progress(&format!(
        "reading the inputs and projecting {} to {}",
        sc.name, sc.horizon
    ));
    let mut pr = hwf::model::run(&sc).map_err(|e| e.to_string())?;
    if !quiet {
        print_notes(&pr);
    }
    if mc.draws.or(sc.uncertainty.draws).is_some() {
        progress("Monte Carlo draws");
    }
    mc.apply(&mut pr)?;
    let mut others = Vec::new();
    for file in compare {
        let (other, _, _) = hwf::model::scenario::load(Some(file)).map_err(|e| e.to_string())?;
        progress(&format!(
            "projecting the comparison scenario {}",
            other.name
        ));
        let other = hwf::model::run(&other).map_err(|e| e.to_string())?;
        if other.area() != pr.area() {
            return Err(format!(
                "--compare {}: covers {}, the report covers {}; expected scenarios of the same [scope]",
                file.display(),
                other.area().name(false),
                pr.area().name(false)
            ));
        }
        others.push(other);
    }
    let opts = hwf::publish::report::Options {
        lang,
        disclosure: profile,
    };
    match who {
        Who::National => {}
        Who::One(principal) => {
            let idx = principal.indices(&pr).map_err(|e| e.to_string())?;
            progress(&format!("the report of {}", principal.name(lang)));
            hwf::publish::principal::write(&pr, principal, &idx, streams.as_deref(), &opts, &out)
                .map_err(|e| e.to_string())?;
            progress("done");
            println!("wrote {}", out.path().join("report.html").display());
            return Ok(ExitCode::SUCCESS);
        }
        Who::AllCounties => {
            progress("one report per county");
            hwf::publish::principal::write_all(&pr, streams.as_deref(), &opts, &out)
                .map_err(|e| e.to_string())?;
            progress("done");
            println!("wrote {}", out.path().join("index.html").display());
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut scores = Vec::new();
    let draws = mc.backtest_draws(&sc)?;
    for &b in backtest {
        progress(&format!("backtest from {b}"));
        scores.extend(
            mc.in_pool(|| hwf::model::backtest::backtest_with(&pr, b, &[1, 3, 5, 10], draws))?
                .map_err(|e| format!("backtest from {b}: {e}"))?,
        );
    }
    let extra = hwf::publish::report::Extra {
        others: &others,
        funding: streams.as_deref(),
        backtest: (!backtest.is_empty()).then_some(scores.as_slice()),
    };
    hwf::publish::report::write(&pr, extra, &opts, &out, &mut progress)
        .map_err(|e| e.to_string())?;
    progress("done");
    println!("wrote {}", out.path().join("report.html").display());
    Ok(ExitCode::SUCCESS)
}

fn backtest(
    from: &[i32],
    horizons: &[i32],
    scenario: Option<PathBuf>,
    out: OutDir,
    mc: &McArgs,
) -> Result<ExitCode, String> {
    use hwf::model::backtest;
    if let Some(h) = horizons.iter().find(|h| !(1..=MAX_HORIZON).contains(*h)) {
        return Err(format!(
            "--horizons: {h} is not a horizon; expected whole years from 1 to {MAX_HORIZON}"
        ));
    }
    if let Some(b) = from.iter().find(|b| !(1900..=2100).contains(*b)) {
        return Err(format!(
            "--from: {b} is not a base year; expected a year of the data (1900–2100)"
        ));
    }
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref()).map_err(|e| e.to_string())?;
    let draws = mc.backtest_draws(&sc)?;
    let full = hwf::model::run(&sc).map_err(|e| e.to_string())?;
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
    })
    .map_err(|e| e.to_string())?;
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

/// The options of `hwf fetch`.
#[derive(clap::Args)]
struct FetchArgs {
    /// The table's id (e.g. TAB638).
    #[arg(required_unless_present_any = ["sources", "search"])]
    table: Option<String>,
    /// The API's root.
    #[arg(long, default_value = hwf::ingest::fetch::SCB_API)]
    api: String,
    /// Values of a variable, as VAR=ITEM,ITEM (repeatable). Items: codes, * (all), PREFIX*,
    /// from(CODE), to(CODE), range(FIRST,LAST). Variables not named are left out where the
    /// table allows it (summed), else taken whole.
    #[arg(long)]
    select: Vec<String>,
    /// A code list (value set or aggregation) for a variable, as VAR=ID (repeatable).
    #[arg(long)]
    codelist: Vec<String>,
    /// The language of labels (sv or en).
    #[arg(long, default_value = "sv")]
    lang: String,
    /// The output file; its extension (.csv, .parquet, .xlsx) picks the format.
    #[arg(long, required_unless_present_any = ["sources", "search"])]
    out: Option<PathBuf>,
    /// The format asked of the server: json-stat2 or px.
    #[arg(long, default_value = "json-stat2")]
    via: String,
    /// The server's protocol: v2 (PxWebApi 2) or v1 (the PxWeb API of Statistics Norway, Finland
    /// and Greenland, and SCB's older service; TABLE is then the table's path below --api). By
    /// default v1 where --api has /v1/ or /api/v0/ in its path, else v2.
    #[arg(long)]
    protocol: Option<String>,
    /// A sources file (TOML) naming the tables to fetch and where to save them.
    #[arg(long, conflicts_with_all = ["table", "select", "codelist", "out", "search"])]
    sources: Option<PathBuf>,
    /// List the tables whose text matches (id, label, periods, last update).
    #[arg(long, conflicts_with_all = ["table", "select", "codelist", "out"])]
    search: Option<String>,
    /// The folder of cached answers (default $HWF_CACHE, else ~/.cache/hwf/fetch).
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Keep no cache.
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,
    /// Call the server even for answers the cache holds (and keep the new ones).
    #[arg(long)]
    refresh: bool,
    /// The longest one call may take, in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// `hwf aggregate`: the tables, the report and a scenario naming them, in one output folder.
fn aggregate(spec: &Path, out: OutDir) -> Result<ExitCode, String> {
    use hwf::ingest::register;
    let spec = register::Spec::read(spec).map_err(|e| e.to_string())?;
    let format = spec.table_format()?;
    let done = register::aggregate(&spec).map_err(|e| e.to_string())?;
    let ext = match format {
        TableFormat::Parquet => "parquet",
        TableFormat::Xlsx => "xlsx",
        _ => "csv",
    };
    let mut files = Vec::new();
    for (name, t) in &done.tables {
        let file = format!("{name}.{ext}");
        let bytes =
            tables::encode(t, &out.path().join(&file), format).map_err(|e| e.to_string())?;
        files.push((file, bytes));
    }
    let text = done.report_text();
    let json = serde_json::to_string_pretty(&done.report_json()).map_err(|e| e.to_string())?;
    let scenario = done.scenario(ext);
    hwf::publish::atomic::write_dir(&out, |tmp| {
        for (f, b) in &files {
            std::fs::write(tmp.join(f), b)?;
        }
        std::fs::write(tmp.join("aggregate_report.txt"), &text)?;
        std::fs::write(tmp.join("aggregate_report.json"), format!("{json}\n"))?;
        std::fs::write(tmp.join("scenario.toml"), &scenario)?;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    print!("{text}");
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}

/// `VAR=VALUE` of `--select` and `--codelist`.
fn var_value<'a>(opt: &str, s: &'a str) -> Result<(&'a str, &'a str), String> {
    match s.split_once('=') {
        Some((v, rest)) if !v.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((v.trim(), rest.trim()))
        }
        _ => Err(format!(
            "{opt} {s:?}: expected VARIABLE=VALUES, e.g. Region=01,03"
        )),
    }
}

fn fetch(a: FetchArgs) -> Result<ExitCode, String> {
    use hwf::ingest::fetch::{self, client};
    if a.timeout == 0 {
        return Err("--timeout 0: expected seconds, 1 or more".into());
    }
    let limits = ingest::Limits::from_env();
    let mut http = client::Client::new(client::ClientOptions {
        cache: if a.no_cache {
            None
        } else {
            a.cache.or_else(client::ClientOptions::default_cache)
        },
        refresh: a.refresh,
        timeout: std::time::Duration::from_secs(a.timeout),
        max_bytes: limits.max_input_bytes,
    });
    let api = a.api.trim_end_matches('/').to_string();
    if let Some(text) = a.search {
        let v1 = match &a.protocol {
            Some(p) => fetch::Protocol::parse(p) == Some(fetch::Protocol::V1),
            None => fetch::Protocol::of_api(&api) == fetch::Protocol::V1,
        };
        if v1 {
            return Err(format!(
                "--search lists tables through PxWebApi 2's /tables; {api} speaks v1, whose tables are browsed by their path"
            ));
        }
        let (cards, total) = fetch::search(
            &api,
            &a.lang,
            &text,
            50,
            &mut http,
            &mut fetch::Configs::default(),
        )
        .map_err(|e| e.to_string())?;
        for c in &cards {
            println!(
                "{}\t{}\t{}–{}\t{}",
                c.id,
                c.label,
                c.first_period.as_deref().unwrap_or(""),
                c.last_period.as_deref().unwrap_or(""),
                c.updated.as_deref().unwrap_or("")
            );
        }
        eprintln!("{} of {total} table(s) listed", cards.len());
        return Ok(ExitCode::SUCCESS);
    }
    let jobs = match a.sources {
        Some(path) => fetch::read_sources(&path).map_err(|e| e.to_string())?,
        None => {
            let via = fetch::Via::parse(&a.via)
                .ok_or_else(|| format!("--via {:?}: expected json-stat2 or px", a.via))?;
            let mut select = Vec::new();
            for s in &a.select {
                let (v, items) = var_value("--select", s)?;
                select.push((v.to_string(), fetch::split_items(items)));
            }
            let mut codelists = Vec::new();
            for s in &a.codelist {
                let (v, id) = var_value("--codelist", s)?;
                codelists.push((v.to_string(), id.to_string()));
            }
            let (Some(table), Some(out)) = (a.table, a.out) else {
                return Err("a table id and --out FILE are needed (or --sources FILE)".into());
            };
            let protocol = match &a.protocol {
                None => fetch::Protocol::of_api(&api),
                Some(p) => fetch::Protocol::parse(p)
                    .ok_or_else(|| format!("--protocol {p:?}: expected v1 or v2"))?,
            };
            vec![(
                fetch::Query {
                    api,
                    protocol,
                    table,
                    lang: a.lang,
                    select,
                    codelists,
                    via,
                },
                out,
            )]
        }
    };
    fetch::run(&jobs, &mut http, &limits, &mut |line| eprintln!("{line}"))
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
