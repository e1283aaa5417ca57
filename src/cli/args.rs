//! The command line as clap reads it: every command, its options and their help text. No work is
//! done here; each command's options go to its handler (one module of `cli` each) as they are.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use hwf::codes::List;
use hwf::ingest;
use hwf::ingest::fetch::{Protocol, Via};
use hwf::publish::disclosure::Profile;
use hwf::table::Lang;
use hwf::validate::TableKind;
use std::path::PathBuf;

/// Health-care workforce statistics and forecasting.
#[derive(clap::Parser)]
#[command(name = "hwf", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// The help text of each command is its variant's doc comment, not its options struct's (clap
// applies the variant's last), so the structs' doc comments say what they are for the code.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Convert any readable table (.px, .json, .csv, .xlsx, .parquet) to tidy CSV, Parquet or xlsx.
    Convert(ConvertArgs),
    /// Show a table's dimensions, their sizes and codes, its value range and counts by status.
    Inspect(InspectArgs),
    /// Check tables against the code lists and the rules of their kind; with no path, the embedded
    /// default data. A folder means every table in it.
    Validate(ValidateArgs),
    /// Distribute money by key (`--spec FILE`), audit a published distribution, or summarise funding
    /// streams.
    #[command(args_conflicts_with_subcommands = true)]
    Allocate(AllocateArgs),
    /// Project supply, demand, gaps and the required intake, and write the results.
    Project(ProjectArgs),
    /// The main job: project, then write charts, the HTML report, tables with disclosure control and
    /// the projection's files into one folder.
    Report(ReportArgs),
    /// Rerun the projection from earlier base years with the data that existed then, and score it
    /// against what happened.
    Backtest(BacktestArgs),
    /// Forecast every yearly series of a table with prediction intervals; with --last, score the
    /// forecast against the years held out.
    Forecast(ForecastArgs),
    /// Fetch tables from SCB's statistical database (PxWebApi 2) or another PxWeb server, each
    /// saved with the request that made it (FILE.source.json beside FILE).
    Fetch(FetchArgs),
    /// Aggregate person-level register extracts (Parquet or CSV: person-years, licences, students)
    /// to the input tables the model reads, with a report of every row not counted and why.
    Aggregate(AggregateArgs),
    /// Make a seeded SYNTHETIC person-level register consistent with the default data
    /// (persons, licences, education extracts and their spec), for trying and timing `aggregate`.
    SynthRegister(SynthRegisterArgs),
    /// Scenarios: `hwf scenario show [FILE]` prints the effective parameters and where each came from.
    Scenario {
        #[command(subcommand)]
        action: ScenarioAction,
    },
    /// List a code list: counties, regions, municipalities, sectors, services, specialties or
    /// professions.
    Codes {
        /// Which list.
        #[arg(value_parser = list_value())]
        list: List,
    },
}

/// The options of `hwf convert`.
#[derive(clap::Args)]
pub struct ConvertArgs {
    /// The input file.
    pub input: PathBuf,
    /// The output file; its extension (.csv, .parquet, .xlsx) picks the format.
    pub output: PathBuf,
    /// Write CSV the way Swedish Excel opens it: byte-order mark, ';' and decimal comma.
    #[arg(long)]
    pub swedish: bool,
    /// The sheet to read from an xlsx input (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
    /// tell it (a pipe such as <(…), a name without extension).
    #[arg(long, value_parser = parse_format)]
    pub format: Option<ingest::Format>,
}

/// The options of `hwf inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The file to inspect.
    pub file: PathBuf,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// The sheet to read from an xlsx input (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// How many codes to list per dimension (all with --json).
    #[arg(long, default_value_t = 12)]
    pub codes: usize,
    /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
    /// tell it (a pipe such as <(…), a name without extension).
    #[arg(long, value_parser = parse_format)]
    pub format: Option<ingest::Format>,
}

/// The options of `hwf validate`.
#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Files or folders to check.
    pub paths: Vec<PathBuf>,
    /// The tables' kind; by default told from the file name.
    #[arg(long, value_parser = kind_value(), ignore_case = true)]
    pub kind: Option<TableKind>,
    /// Accepted years, as FROM-TO.
    #[arg(long, default_value = "1900-2100")]
    pub years: String,
    /// Relative tolerance for totals against the sum of their parts, on top of rounding (e.g. 0.01).
    #[arg(long, default_value_t = 0.0)]
    pub total_tolerance: f64,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// The format of the files named (px, json, csv, xlsx, parquet) where their names and
    /// first bytes do not tell it; a folder's files are told by their extensions.
    #[arg(long, value_parser = parse_format)]
    pub format: Option<ingest::Format>,
}

/// The options of `hwf allocate`.
#[derive(clap::Args)]
pub struct AllocateArgs {
    /// The allocation spec (TOML).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "out/allocation")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keep: KeepArgs,
    #[command(subcommand)]
    pub action: Option<AllocateAction>,
}

/// The options of `hwf project`.
#[derive(clap::Args)]
pub struct ProjectArgs {
    /// The scenario (TOML); by default the embedded default scenario.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "out/projection")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keep: KeepArgs,
    #[command(flatten)]
    pub mc: McArgs,
}

/// The options of `hwf report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// The scenario (TOML); by default the embedded default scenario.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// The output folder (replaced whole when the report is done); by default out/report, or
    /// out/county-CODE, out/region-CODE, out/counties with the options below.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub keep: KeepArgs,
    /// Write one county's report (its code or name, as in data/codes/counties.csv) from the
    /// national run, instead of the national report.
    #[arg(long, conflicts_with_all = ["region", "all_counties", "compare", "backtest"])]
    pub county: Option<String>,
    /// Write one health-care region's report (its code or name, as in
    /// data/codes/healthcare_regions.csv) from the national run.
    #[arg(long, conflicts_with_all = ["all_counties", "compare", "backtest"])]
    pub region: Option<String>,
    /// Write one report per county (a folder each, named by its code) and an index.html.
    #[arg(long, conflicts_with_all = ["compare", "backtest"])]
    pub all_counties: bool,
    /// The report's language.
    #[arg(long, default_value = "sv", value_parser = lang_value(), ignore_case = true)]
    pub lang: Lang,
    /// Disclosure rule for counts of persons: 3, 5, threshold:N or ons-10-5.
    #[arg(long, default_value = "3", value_parser = disclosure_value)]
    pub disclosure: Profile,
    /// No progress messages.
    #[arg(long)]
    pub quiet: bool,
    /// Another scenario to set beside the main one (repeatable).
    #[arg(long)]
    pub compare: Vec<PathBuf>,
    /// Funding streams (CSV, see `hwf allocate funding`) to show per county beside the gap.
    #[arg(long)]
    pub funding: Option<PathBuf>,
    /// Backtest base years to include (comma-separated), scored at horizons 1, 3, 5 and 10.
    #[arg(long, value_delimiter = ',')]
    pub backtest: Vec<i32>,
    #[command(flatten)]
    pub mc: McArgs,
}

/// The options of `hwf backtest`.
#[derive(clap::Args)]
pub struct BacktestArgs {
    /// Base years, comma-separated (e.g. 2015,2017).
    #[arg(long, value_delimiter = ',', required = true)]
    pub from: Vec<i32>,
    /// Horizons in years, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,3,5,10")]
    pub horizons: Vec<i32>,
    /// The scenario whose parameters the reruns use; by default the embedded default.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// The output folder (backtest.csv, backtest_summary.csv).
    #[arg(long, default_value = "out/backtest")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keep: KeepArgs,
    #[command(flatten)]
    pub mc: McArgs,
}

/// The options of `hwf forecast`.
#[derive(clap::Args)]
pub struct ForecastArgs {
    /// Any table hwf reads with a year dimension (or `embedded:NAME`); each combination of the
    /// other dimensions' codes is one series.
    pub file: PathBuf,
    /// auto (the ETS model with the lowest AICc), linear, damped, or an ETS code (ANN, AAN,
    /// AAdN, MNN, MAN, MAdN, MMN, MMdN, AMN, AMdN).
    #[arg(long, default_value = "auto")]
    pub method: String,
    /// The first year used (e.g. the year a break in series starts the comparable stretch).
    #[arg(long)]
    pub from: Option<i32>,
    /// The last year used; later observed values are held out and scored.
    #[arg(long)]
    pub last: Option<i32>,
    /// The last year forecast (default: the table's last year with --last, else 10 years on).
    #[arg(long)]
    pub until: Option<i32>,
    /// Interval levels in percent, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "80,95")]
    pub levels: Vec<f64>,
    /// Seed of the simulated intervals (models with a multiplicative error or trend).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Sample paths of the simulated intervals.
    #[arg(long, default_value_t = hwf::model::forecast::DEFAULT_PATHS)]
    pub paths: usize,
    /// The sheet to read from an xlsx input (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The input's format (px, json, csv, xlsx, parquet) where its name and first bytes do not
    /// tell it (a pipe such as <(…), a name without extension).
    #[arg(long, value_parser = parse_format)]
    pub format: Option<ingest::Format>,
    /// The output folder (forecast.csv, scores.csv, charts/).
    #[arg(long, default_value = "out/forecast")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keep: KeepArgs,
}

/// The options of `hwf aggregate`.
#[derive(clap::Args)]
pub struct AggregateArgs {
    /// The spec (TOML) naming the extracts and their columns (docs/register.md).
    #[arg(long)]
    pub spec: PathBuf,
    /// The output folder: the tables, aggregate_report.txt and .json, and scenario.toml naming
    /// the tables as inputs.
    #[arg(long, default_value = "out/register")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keep: KeepArgs,
}

/// The options of `hwf synth-register`.
#[derive(clap::Args)]
pub struct SynthRegisterArgs {
    /// The output folder.
    #[arg(long, default_value = "out/synthetic-register")]
    pub out: PathBuf,
    /// Multiply every count of the default data by this (1: the default data, 5.2 M person-years).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// The seed.
    #[arg(long, default_value_t = 2023)]
    pub seed: u64,
    /// Only this county (code; repeatable).
    #[arg(long)]
    pub county: Vec<String>,
    /// Write CSV instead of Parquet.
    #[arg(long)]
    pub csv: bool,
    /// Add a known set of faulty rows (what aggregate's report must then list).
    #[arg(long)]
    pub dirty: bool,
    #[command(flatten)]
    pub keep: KeepArgs,
}

/// How an output folder that already holds others' files is treated.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct KeepArgs {
    /// Write into an existing folder that holds files hwf did not write, beside them and without
    /// touching them (by default such a folder is refused; hwf replaces only folders it wrote).
    #[arg(long)]
    pub into_existing: bool,
}

/// Monte Carlo options shared by `project`, `report` and `backtest`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct McArgs {
    /// Monte Carlo draws (uncertainty bands); by default the scenario's `uncertainty.draws`, or
    /// none (a point projection).
    #[arg(long)]
    pub draws: Option<usize>,
    /// Seed of the draws; by default the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Percentiles to report, comma-separated (0–100); by default the scenario's (10,50,90).
    #[arg(long, value_delimiter = ',')]
    pub quantiles: Option<Vec<f64>>,
    /// Worker threads for the draws (results are the same for any number); by default all cores.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// What `hwf allocate` does besides distributing by a spec.
#[derive(clap::Subcommand)]
pub enum AllocateAction {
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

/// What `hwf scenario` does.
#[derive(clap::Subcommand)]
pub enum ScenarioAction {
    /// Print the effective scenario, each value with the file it came from.
    Show {
        /// The scenario file; by default the embedded default.
        file: Option<PathBuf>,
    },
}

/// The options of `hwf fetch`.
#[derive(clap::Args)]
pub struct FetchArgs {
    /// The table's id (e.g. TAB638).
    #[arg(required_unless_present_any = ["sources", "search"])]
    pub table: Option<String>,
    /// The API's root.
    #[arg(long, default_value = hwf::ingest::fetch::SCB_API)]
    pub api: String,
    /// Values of a variable, as VAR=ITEM,ITEM (repeatable). Items: codes, * (all), PREFIX*,
    /// from(CODE), to(CODE), range(FIRST,LAST). Variables not named are left out where the
    /// table allows it (summed), else taken whole.
    #[arg(long)]
    pub select: Vec<String>,
    /// A code list (value set or aggregation) for a variable, as VAR=ID (repeatable).
    #[arg(long)]
    pub codelist: Vec<String>,
    /// The language of labels (sv or en).
    #[arg(long, default_value = "sv")]
    pub lang: String,
    /// The output file; its extension (.csv, .parquet, .xlsx) picks the format.
    #[arg(long, required_unless_present_any = ["sources", "search"])]
    pub out: Option<PathBuf>,
    /// The format asked of the server.
    #[arg(long, default_value = "json-stat2", value_parser = via_value(), ignore_case = true)]
    pub via: Via,
    /// The server's protocol: v2 (PxWebApi 2) or v1 (the PxWeb API of Statistics Norway, Finland
    /// and Greenland, and SCB's older service; TABLE is then the table's path below --api). By
    /// default v1 where --api has /v1/ or /api/v0/ in its path, else v2.
    #[arg(long, value_parser = protocol_value(), ignore_case = true)]
    pub protocol: Option<Protocol>,
    /// A sources file (TOML) naming the tables to fetch and where to save them.
    #[arg(long, conflicts_with_all = ["table", "select", "codelist", "out", "search"])]
    pub sources: Option<PathBuf>,
    /// List the tables whose text matches (id, label, periods, last update).
    #[arg(long, conflicts_with_all = ["table", "select", "codelist", "out"])]
    pub search: Option<String>,
    /// The folder of cached answers (default $HWF_CACHE, else ~/.cache/hwf/fetch).
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Keep no cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
    /// Call the server even for answers the cache holds (and keep the new ones).
    #[arg(long)]
    pub refresh: bool,
    /// The longest one call may take, in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

/// `--format`'s value.
fn parse_format(s: &str) -> Result<ingest::Format, String> {
    ingest::Format::parse(s).ok_or_else(|| {
        let names: Vec<&str> = ingest::Format::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?}: expected one of {}", names.join(", "))
    })
}

/// `--lang` of a report: `sv` or `en`, listed in the help and in clap's message for another value.
fn lang_value() -> impl TypedValueParser<Value = Lang> {
    PossibleValuesParser::new(["sv", "en"])
        .map(|s| Lang::from_code(&s.to_lowercase()).unwrap_or_default())
}

/// `--disclosure`: the library's profile, its message for a value it does not know.
fn disclosure_value(s: &str) -> Result<Profile, String> {
    Profile::try_from(s)
}

/// `--kind`: the table kinds, listed (`licences-issued` for `licences_issued` too).
fn kind_value() -> impl TypedValueParser<Value = TableKind> {
    PossibleValuesParser::new(TableKind::ALL.map(|k| {
        let v = PossibleValue::new(k.as_str());
        match k {
            TableKind::LicencesIssued => v.alias("licences-issued"),
            TableKind::CareUse => v.alias("care-use"),
            TableKind::ServiceUse => v.alias("service-use"),
            _ => v,
        }
    }))
    .map(|s| TableKind::try_from(s.as_str()).unwrap_or(TableKind::Other))
}

/// `--via`: the formats a PxWeb server answers in.
fn via_value() -> impl TypedValueParser<Value = Via> {
    PossibleValuesParser::new([
        PossibleValue::new("json-stat2").aliases(["jsonstat2", "json-stat"]),
        PossibleValue::new("px"),
    ])
    .map(|s| Via::parse(&s).unwrap_or_default())
}

/// `--protocol`: PxWebApi 2 or the PxWeb API v1.
fn protocol_value() -> impl TypedValueParser<Value = Protocol> {
    PossibleValuesParser::new([
        PossibleValue::new("v2").alias("2"),
        PossibleValue::new("v1").alias("1"),
    ])
    .map(|s| Protocol::parse(&s).unwrap_or_default())
}

/// `hwf codes LIST`: the printed lists under their names, Swedish names as aliases.
fn list_value() -> impl TypedValueParser<Value = List> {
    PossibleValuesParser::new([
        PossibleValue::new("counties").alias("län"),
        PossibleValue::new("regions").alias("healthcare_regions"),
        PossibleValue::new("municipalities").alias("kommuner"),
        PossibleValue::new("sectors"),
        PossibleValue::new("services").alias("verksamhetsområden"),
        PossibleValue::new("specialties").alias("specialiteter"),
        PossibleValue::new("professions").alias("yrken"),
    ])
    .map(|s| List::printed(&s).unwrap_or(List::Professions))
}
