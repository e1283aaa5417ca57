//! The projection model: supply, demand, balance and required intake (see `docs/MODEL.md`).
//!
//! [`run`] takes a checked [`scenario::Scenario`], reads its inputs (verifying pinned checksums),
//! estimates every rate from the history, projects each profession, and returns a [`Projection`]
//! that [`crate::publish::results`] writes out.

pub mod anchor;
pub mod backtest;
pub mod calibration;
pub mod contract;
pub mod demand;
pub mod destinations;
pub mod ets;
pub mod forecast;
pub mod impute;
pub mod inputs;
pub mod intake;
pub mod levers;
pub mod montecarlo;
pub mod movement;
pub mod municipal;
mod required;
pub mod scenario;
pub mod scope;
pub mod services;
pub mod specialties;
pub mod supply;
pub mod survey;
pub mod synthetic;
pub mod trend;
pub mod ungroup;
pub mod variates;
pub mod variation;

use crate::ingest::{IngestError, read_bytes};
use crate::table::Table;
use crate::validate;
use inputs::{Inputs, NA, Tables};
use scenario::Scenario;
use std::path::Path;
use supply::{Intake, Params};

/// What can stop a projection.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A scenario value, key or file is wrong.
    #[error("{file}: {}{message}", if key.is_empty() { String::new() } else { format!("`{key}`: ") })]
    Scenario {
        /// The scenario file (or input file).
        file: String,
        /// The dotted key, when one is at fault.
        key: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An input table lacks what the model needs.
    #[error("{file}: {message}")]
    Input {
        /// The table.
        file: String,
        /// What is missing.
        message: String,
    },
    /// An input's series cannot follow the trend a scenario key asks for: a year missing, too
    /// short for the method, a value the method cannot take. Gaps are never filled.
    #[error("{input}: `{key}`: {message}")]
    Trend {
        /// The scenario key naming the method (`supply.employment_trend`, …).
        key: String,
        /// The input file the series comes from.
        input: String,
        /// The year at fault: the missing year, the year of a bad value, or the first year of a
        /// series too short.
        year: Option<i32>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An input could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// Cells without a number could not be imputed (`missing = "impute"`).
    #[error(transparent)]
    Impute(#[from] impute::ImputeError),
    /// A run would need more memory than hwf allows itself; refused before any is reserved.
    #[error(
        "{what}: would need {} MB of memory, more than the {} MB hwf allows itself; {hint}",
        .needed / 1_000_000,
        .limit / 1_000_000
    )]
    TooLarge {
        /// What would have been allocated (`--draws 100000 over 21 regions`, …).
        what: String,
        /// Bytes it would take.
        needed: u64,
        /// Bytes allowed.
        limit: u64,
        /// What to do instead.
        hint: String,
    },
    /// Inputs fail validation for their kind (as `hwf validate --kind KIND` reports them): every
    /// error of every input, at once.
    #[error("{} error(s) in the inputs; nothing was projected:\n  {}", findings.len(), findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Invalid {
        /// The error findings, input by input.
        findings: Vec<crate::validate::Finding>,
    },
    /// Inputs the model cannot use as they are: rows it cannot place, age bands, codes or cells
    /// missing, cells without a number. Every problem of every input, at once.
    #[error("{} problem(s) with the inputs; nothing was projected:\n  {}", problems.len(), problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Contract {
        /// The problems, input by input.
        problems: Vec<contract::Problem>,
    },
    /// The projection came out empty, all zero or not a number where it must not: never written.
    #[error("the projection is {what} for {}; the inputs cannot be what the model needs", professions.join(", "))]
    Degenerate {
        /// What is wrong (`empty`, `zero in the base year`, `not a number`).
        what: String,
        /// The professions affected (`all` when there are none).
        professions: Vec<String>,
    },
}

impl ModelError {
    /// A trend error with its message prefixed by whose series it was (`profession SSK`,
    /// `sector R`); any other error unchanged.
    pub fn for_series(self, whose: &str) -> ModelError {
        match self {
            ModelError::Trend {
                key,
                input,
                year,
                message,
            } => ModelError::Trend {
                key,
                input,
                year,
                message: format!("{whose}: {message}"),
            },
            e => e,
        }
    }
}

/// Where a figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Observed in the register.
    Observed,
    /// Estimated for the years employment data lag behind (licences × employment share).
    Nowcast,
    /// Projected.
    Projection,
}

impl Phase {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Observed => "observed",
            Phase::Nowcast => "nowcast",
            Phase::Projection => "projection",
        }
    }
}

/// An input as used: name, SHA-256.
#[derive(Clone, Debug, PartialEq)]
pub struct UsedInput {
    /// Scenario key (`licensed`, …).
    pub key: String,
    /// File name (`data/default/licensed.px` for embedded ones).
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Whether the table says it is synthetic.
    pub synthetic: bool,
    /// Why it counts as synthetic (`embedded`, `the table says so`, `same content as the embedded
    /// licensed.px`); empty when it is not.
    pub synthetic_why: String,
    /// Rows left out on purpose (totals of other rows, ages above 74), and dimensions summed over.
    pub notes: Vec<Note>,
    /// Cells without a number imputed from the table's totals (`missing = "impute"`; see
    /// [`impute`]); 0 without.
    pub imputed: usize,
    /// Cells (rows of the tidy table) read from the file.
    pub cells: usize,
    /// Where `hwf fetch` took the file from (its record, `FILE.source.json`), when the record
    /// describes the file as it is.
    pub fetched: Option<crate::ingest::fetch::Source>,
}

/// The record `hwf fetch` left beside an input file, when it describes the file as read (same
/// SHA-256), and a note when a record is there but the file has changed since.
fn fetched_record(file: &str, sum: &str) -> (Option<crate::ingest::fetch::Source>, Option<Note>) {
    if file.starts_with(crate::defaults::DIR) {
        return (None, None);
    }
    let Some(rec) = crate::ingest::fetch::read_record(Path::new(file)) else {
        return (None, None);
    };
    if rec.output.as_ref().is_some_and(|o| o.sha256 == sum) {
        return (Some(rec), None);
    }
    let name = crate::ingest::fetch::record_path(Path::new(file))
        .display()
        .to_string();
    (
        None,
        Some(Note::new(
            format!("changed since hwf fetch wrote it: {name} describes another file"),
            format!("ändrad sedan hwf fetch skrev den: {name} beskriver en annan fil"),
        )),
    )
}

/// A note on what happened to an input on its way into the model (rows left out, dimensions
/// summed, ages ungrouped, cells imputed), in both languages of the report. The manifest and the
/// console give the English; [`Note::text`] the report's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// In English.
    pub en: String,
    /// In Swedish.
    pub sv: String,
}

impl Note {
    /// A note in English and Swedish.
    pub fn new(en: impl Into<String>, sv: impl Into<String>) -> Note {
        Note {
            en: en.into(),
            sv: sv.into(),
        }
    }

    /// The note in `lang`.
    pub fn text(&self, lang: crate::table::Lang) -> &str {
        match lang {
            crate::table::Lang::Sv => &self.sv,
            crate::table::Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.en)
    }
}

/// The note an input carries when its ages came in bands and were ungrouped to single years
/// ([`ungroup::ungroup_ages`]); see [`Projection::ages_ungrouped`].
pub const UNGROUPED_NOTE: &str = "ages given in bands were ungrouped to single years by the penalized composite link model (Rizzi, Gampe & Eilers 2015; band totals kept, cells estimated)";

/// [`UNGROUPED_NOTE`] in both languages.
pub fn ungrouped_note() -> Note {
    Note::new(
        UNGROUPED_NOTE,
        "åldrar angivna i åldersgrupper har fördelats på ettårsåldrar med den penaliserade kompositlänkmodellen (Rizzi, Gampe & Eilers 2015; gruppernas summor behållna, cellerna skattade)",
    )
}

/// Required intake for one profession (see [`intake`] for the rule and its parts).
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredIntake {
    /// Profession index.
    pub profession: usize,
    /// Beginners in the base year, nationally.
    pub today: f64,
    /// The constant annual beginners from `intake_from` that the scenario's rule asks for over the
    /// window, floored at 0: the figure to publish. `None` when intake cannot reach the window
    /// (programme plus licence lag).
    pub required: Option<f64>,
    /// The rule's value before the floor (negative when supply exceeds demand with no beginners).
    pub unfloored: Option<f64>,
    /// What the unfloored value is made of.
    pub parts: Option<intake::Parts>,
    /// Supply in the target year at today's intake (national FTE).
    pub supply_at_today: f64,
    /// Demand in the target year (national FTE).
    pub demand: f64,
    /// The scenario's education capacity for the profession, if it states one.
    pub capacity: Option<f64>,
    /// With a capacity below the required intake: supply minus demand in the target year with
    /// beginners at capacity (national FTE, negative: the shortage that remains).
    pub gap_at_capacity: Option<f64>,
    /// Sensitivity to the window: the intake exact in each year of the window alone (unfloored),
    /// `(year, intake)`.
    pub by_target_year: Vec<(i32, Option<f64>)>,
    /// Sensitivity to the base-year imbalance: the intake (unfloored) when base-year demand is
    /// supply × (1 + i) and demand keeps its path relative to it, `(i, intake)`.
    pub by_imbalance: Vec<(f64, Option<f64>)>,
    /// The index of its group in `balance.substitutable`, when it is solved with others.
    pub group: Option<usize>,
    /// Its share of its group's intake (1 alone): its beginners in the base year over the group's.
    pub share: f64,
    /// In a group: its own supply minus its own demand in the target year at its share of the
    /// group's intake (national FTE).
    pub own_gap: Option<f64>,
    /// With a largest change a year in its unit: the path its beginners take.
    pub path: Option<IntakePath>,
    /// The required intake split over the health-care regions where the scenario names where
    /// their graduates went (`supply.destinations`, national runs): one entry per region of the
    /// run, adding up to `required`; empty otherwise, and for a layer or a profession no region
    /// trains today (see [`destinations`]).
    pub regions: Vec<destinations::RegionalIntake>,
}

/// A required intake under a largest change a year (`balance.max_change`, see [`intake`]).
#[derive(Clone, Debug, PartialEq)]
pub struct IntakePath {
    /// The profession's largest change a year (`None`: a group member without a limit of its own).
    pub max_change: Option<f64>,
    /// Whether the limit binds all the way: the level is the fastest path's (see
    /// [`intake::Level::fastest`]).
    pub fastest: bool,
    /// The first year the path holds its level.
    pub reached: i32,
    /// The constant intake the rule asks for without the limit (unfloored; the profession's share).
    pub constant: Option<f64>,
    /// Years from `intake_from` to the horizon.
    pub years: Vec<i32>,
    /// Beginners in each year on the path (never negative: the level is floored at 0).
    pub beginners: Vec<f64>,
    /// National supply FTE in each year with the path's beginners.
    pub supply: Vec<f64>,
    /// National demand FTE in each year.
    pub demand: Vec<f64>,
}

impl RequiredIntake {
    /// Whether the published figure is the floor (the rule asked for fewer than 0 beginners).
    pub fn floored(&self) -> bool {
        self.unfloored.is_some_and(|a| a < 0.0)
    }
}

/// The base-year imbalances of the sensitivity in [`RequiredIntake::by_imbalance`].
pub const IMBALANCE_SENSITIVITY: [f64; 3] = [-0.05, 0.0, 0.05];

/// A full projection.
#[derive(Clone, Debug)]
pub struct Projection {
    /// The effective scenario.
    pub scenario: Scenario,
    /// The inputs as arrays.
    pub inputs: Inputs,
    /// Inputs used, with checksums.
    pub used: Vec<UsedInput>,
    /// Estimated parameters per profession.
    pub params: Vec<Params>,
    /// Projected paths per profession (base year to horizon).
    pub paths: Vec<supply::Trajectory>,
    /// Demand.
    pub demand: demand::DemandPath,
    /// The care-use trend behind `demand.care_use` (empty without one).
    pub care_use_trend: demand::CareUseTrend,
    /// Years of the results (first employment year to horizon).
    pub years: Vec<i32>,
    /// Phase per year.
    pub phases: Vec<Phase>,
    /// Employed persons, `[year][p][c][k]`.
    pub employed: Vec<f64>,
    /// Supply FTE, `[year][p][c][k]`.
    pub supply: Vec<f64>,
    /// Required intake per profession with a programme.
    pub intake: Vec<RequiredIntake>,
    /// The specialist layers by specialty group, with their training starts, one per layer the
    /// scenario's specialists table divides (`supply.specialists`; see [`specialties`]); empty
    /// without the table.
    pub specialties: Vec<specialties::Specialties>,
    /// Monte Carlo bands, when draws were asked for ([`Projection::simulate`]).
    pub bands: Option<montecarlo::Bands>,
    /// Municipal health care per municipality, when the scenario names the municipal tables
    /// ([`municipal`]).
    pub municipal: Option<municipal::Municipal>,
}

/// The kind of table each input key holds (what [`validate::check`] checks it as).
pub fn kind_of(key: &str) -> validate::TableKind {
    use validate::TableKind;
    match key {
        "licensed" => TableKind::Licensed,
        "employed" => TableKind::Employed,
        "licences_issued" => TableKind::LicencesIssued,
        "population" | "population_projection" => TableKind::Population,
        "admissions" => TableKind::Admissions,
        "care_use" => TableKind::CareUse,
        "balance" => TableKind::Balance,
        "demand.service_use" => TableKind::ServiceUse,
        "demand.staffing" => TableKind::Staffing,
        "supply.destinations" => TableKind::Destinations,
        "supply.specialists" => TableKind::Specialists,
        "supply.st_starts" => TableKind::StStarts,
        "demand.births" => TableKind::Births,
        _ => TableKind::Other,
    }
}

/// The scenario keys of the inputs, in the order of [`scenario::InputFiles`].
pub const INPUT_KEYS: [&str; 8] = [
    "licensed",
    "employed",
    "licences_issued",
    "population",
    "population_projection",
    "admissions",
    "care_use",
    "balance",
];

/// Runs a projection.
///
/// # Errors
///
/// Unreadable or changed inputs, inputs that lack what the model needs, a profession the scenario
/// names that the data lack, and a base year the data do not cover.
pub fn run(sc: &Scenario) -> Result<Projection, ModelError> {
    let i = &sc.inputs;
    let files = [
        &i.licensed,
        &i.employed,
        &i.licences_issued,
        &i.population,
        &i.population_projection,
        &i.admissions,
        &i.care_use,
        &i.balance,
    ];
    // The scenario's table of rates, read first: a bad row stops the run before any input is.
    let rates = read_rates(sc)?;
    let mut tables = Vec::new();
    let mut used = Vec::new();
    let mut findings = Vec::new();
    let mut ungrouped_notes = Vec::new();
    for (key, f) in INPUT_KEYS.iter().zip(files) {
        let (t, u, notes, found) = read_main_input(key, f)?;
        ungrouped_notes.push(notes);
        findings.extend(found);
        used.push(u);
        tables.push(t);
    }
    // The tables that supply pieces of the employed input (`inputs.employed.fte`, `.sectors`).
    let mut pieces: Vec<(&str, Table, bool)> = Vec::new();
    for (piece, supp) in [("fte", &i.employed.fte), ("sectors", &i.employed.sectors)] {
        let Some(supp) = supp else { continue };
        let (t, u, found) = read_piece(piece, supp)?;
        findings.extend(found);
        // The employed input's entry says where its piece came from.
        used[1].notes.push(u.notes[0].clone());
        used.push(u);
        pieces.push((piece, t, supp.is_embedded()));
    }
    // Demand per service area: the care use by service and the staffing matrix.
    let mut service_tables: Vec<(Table, usize)> = Vec::new();
    if sc.demand.by_service() {
        for (key, f) in [
            ("demand.service_use", &sc.demand.service_use),
            ("demand.staffing", &sc.demand.staffing),
        ] {
            let Some(f) = f else { continue };
            service_tables.push(read_supplement(key, f, &mut used, &mut findings)?);
        }
    }
    let optional = read_optional(sc, &mut used, &mut findings)?;
    if !findings.is_empty() {
        return Err(ModelError::Invalid { findings });
    }
    let area =
        scope::Area::of(sc.scope.as_ref()).map_err(|(key, message)| ModelError::Scenario {
            file: "scenario".into(),
            key,
            message,
        })?;
    let profile = |want: &str| {
        pieces
            .iter()
            .find(|(p, _, _)| *p == want)
            .map(|(_, table, embedded)| inputs::Profile {
                table,
                national: *embedded,
            })
    };
    let eight: &[Table; 8] = tables
        .as_slice()
        .try_into()
        .map_err(|_| ModelError::Input {
            file: "scenario".into(),
            message: format!("{} inputs read; the model reads eight", tables.len()),
        })?;
    let (mut inp, notes) = Inputs::gather_with(
        &Tables::in_key_order(eight),
        &area,
        &inputs::Employ {
            fte: profile("fte"),
            sectors: profile("sectors"),
        },
    )?;
    // Notes of the gather, after those on where the employed input's pieces came from.
    let origins = tables.iter().chain(pieces.iter().map(|(_, t, _)| t));
    for (u, t) in used.iter_mut().zip(origins) {
        u.notes.extend(
            notes
                .iter()
                .filter(|(f, _)| *f == t.meta.origin)
                .map(|(_, n)| n.clone()),
        );
    }
    for (u, n) in used.iter_mut().zip(ungrouped_notes) {
        u.notes.extend(n);
    }
    if sc.supply.moves_by_age() && !inp.moves_by_age(&sc.supply) {
        used[0].notes.push(Note::new(
            "each county's exits differ from the nation's by one factor (as supply.county_exits_by = \"level\"), not by age group: with the register or the licences issued in age bands, a county's figures by single age carry the ungrouping's shapes, which would read as moves between counties",
            "varje läns avgångar skiljer sig från rikets med en faktor (som supply.county_exits_by = \"level\"), inte per åldersgrupp: när registret eller de utfärdade legitimationerna kom i åldersgrupper bär länets siffror per ettårsålder fördelningens former, som skulle läsas som flyttningar mellan län",
        ));
    }
    attach_optional(sc, &area, &mut inp, service_tables, optional, &mut used)?;
    if let Some((ov, u)) = rates {
        inp.overrides = ov;
        used.push(u);
    }
    project(sc, inp, used)
}

/// The scenario's table of rates that replace estimated ones (`supply.rates`), with its manifest
/// entry; `None` without one.
fn read_rates(sc: &Scenario) -> Result<Option<(levers::Overrides, UsedInput)>, ModelError> {
    let Some(r) = &sc.supply.rates else {
        return Ok(None);
    };
    let (name, bytes, sum) = scenario::input_bytes("supply.rates", &r.input_file())?;
    let ov = levers::read_overrides(&name, &bytes)?;
    let used = UsedInput {
        key: "supply.rates".into(),
        file: name,
        sha256: sum,
        synthetic: false,
        synthetic_why: String::new(),
        notes: vec![Note::new(
            format!(
                "{} row(s) replacing estimated rates (`supply.rates`)",
                ov.rows.len()
            ),
            format!(
                "{} rad(er) som ersätter skattade värden (`supply.rates`)",
                ov.rows.len()
            ),
        )],
        imputed: 0,
        cells: ov.rows.len(),
        fetched: None,
    };
    Ok(Some((ov, used)))
}

/// Reads the input `key` (one of [`INPUT_KEYS`]): cells without a number imputed where the scenario
/// says so, ages in bands ungrouped (care use's excepted), and checked against its kind's
/// contract. Gives the table, its manifest entry, the notes on what was done to it (which follow
/// the gather's notes) and the contract's findings.
fn read_main_input(
    key: &str,
    f: &scenario::InputFile,
) -> Result<(Table, UsedInput, Vec<Note>, Vec<validate::Finding>), ModelError> {
    let (mut t, mut u) = read_input(key, f)?;
    let name = u.file.clone();
    // Cells without a number, imputed from the table's own totals when the scenario says so
    // (before any ungrouping, so that bands are filled from their totals first).
    let mut extra: Vec<Note> = std::mem::take(&mut u.notes);
    if f.missing.as_deref().map(str::trim) == Some("impute") {
        let (filled, info) = impute::impute(&t)?;
        if info.cells > 0 {
            t = filled;
            u.imputed = info.cells;
            extra.push(info.note());
        }
    }
    // Ages in bands (as the statistical databases publish them) become single years by the
    // penalized composite link model; care use is a rate, not a count, and is not ungrouped
    // (the contract refuses its bands).
    let mut ungrouped = None;
    if key != "care_use" && ungroup::has_age_bands(&t) {
        let opts = if key.starts_with("population") {
            ungroup::Options::default()
        } else {
            ungroup::Options::workforce()
        };
        t = ungroup::ungroup_ages(&t, &opts).map_err(|e| ModelError::Input {
            file: name.clone(),
            message: e.to_string(),
        })?;
        ungrouped = Some(ungrouped_note());
    }
    extra.extend(ungrouped);
    // Employment as the agencies publish it (persons only): FTE and the sector split may come
    // from scenario keys, and the contract says which key when they do not.
    let supplied = if key == "employed" {
        vec![validate::Concept::Sector, validate::Concept::Contents]
    } else {
        Vec::new()
    };
    let found = errors(&t, kind_of(key), supplied);
    u.cells = t.len();
    Ok((t, u, extra, found))
}

/// The scenario's optional tables, each with its manifest entry's index: where each region's
/// graduates went (the split of the required intake over the regions), the specialists by
/// specialty group and the ST starts that feed the groups, and live births (the care use at age
/// 0, maternity care).
struct Optional {
    destinations: Option<(Table, usize)>,
    specialists: Option<(Table, usize)>,
    st_starts: Option<(Table, usize)>,
    births: Option<(Table, usize)>,
    municipal: Option<[(Table, usize); 2]>,
}

/// Reads the scenario's [`Optional`] tables (manifest entries into `used`, the contract's findings
/// into `findings`).
fn read_optional(
    sc: &Scenario,
    used: &mut Vec<UsedInput>,
    findings: &mut Vec<validate::Finding>,
) -> Result<Optional, ModelError> {
    let mut read = |key: &str, f: &Option<scenario::SupplementFile>| {
        f.as_ref()
            .map(|f| read_supplement(key, f, used, findings))
            .transpose()
    };
    Ok(Optional {
        destinations: read("supply.destinations", &sc.supply.destinations)?,
        specialists: read("supply.specialists", &sc.supply.specialists)?,
        st_starts: read("supply.st_starts", &sc.supply.st_starts)?,
        births: read("demand.births", &sc.demand.births)?,
        municipal: match (&sc.municipal.employed, &sc.municipal.population) {
            (Some(e), Some(p)) => Some([
                read_supplement("municipal.employed", e, used, findings)?,
                read_supplement("municipal.population", p, used, findings)?,
            ]),
            _ => None,
        },
    })
}

/// Gathers the tables of demand per service area (`service_tables`: the care use by service and
/// the staffing matrix) and the [`Optional`] ones onto the run's classification, into `inp`; their
/// notes go to the manifest entries they speak of.
fn attach_optional(
    sc: &Scenario,
    area: &scope::Area,
    inp: &mut Inputs,
    service_tables: Vec<(Table, usize)>,
    opt: Optional,
    used: &mut [UsedInput],
) -> Result<(), ModelError> {
    if let [(use_t, use_at), (staff_t, staff_at)] = service_tables.as_slice() {
        let (services, notes) = inputs::gather_services(use_t, staff_t, &inp.grid)?;
        for (file, n) in notes {
            let at = if file == staff_t.meta.origin {
                *staff_at
            } else {
                *use_at
            };
            used[at].notes.push(n);
        }
        inp.services = Some(services);
    }
    if let Some((t, at)) = opt.destinations {
        if area.whole {
            let (d, notes) = inputs::gather_destinations(&t, &inp.grid, &inp.hc_regions)?;
            used[at].notes.extend(notes.into_iter().map(|(_, n)| n));
            inp.destinations = Some(d);
        } else {
            used[at].notes.push(Note::new(
                "not used: the required intake is split over the health-care regions in a national run only (a scoped run's required intake is already its regions' beginners)",
                "används inte: den behövda antagningen fördelas på sjukvårdsregionerna bara i en körning för riket (en avgränsad körnings behövda antagning är redan dess regioners nybörjare)",
            ));
        }
    }
    if let Some((t, at)) = opt.specialists {
        divide_specialists(sc, inp, (t, at), opt.st_starts.as_ref(), used)?;
    }
    if let Some((t, at)) = opt.births {
        let (b, notes) = inputs::gather_births(&t, &inp.grid)?;
        used[at].notes.extend(notes.into_iter().map(|(_, n)| n));
        inp.births = Some(b);
    }
    if let Some([(e, e_at), (p, p_at)]) = opt.municipal {
        let tables = municipal::gather(&e, &p, inp, sc.base_year, sc.horizon)?;
        used[e_at]
            .notes
            .extend(tables.notes.iter().map(|n| Note::new(n, n)));
        used[p_at]
            .notes
            .extend(tables.population_notes.iter().map(|n| Note::new(n, n)));
        inp.municipal = Some(tables);
    }
    Ok(())
}

/// Divides the specialists of each layer the specialists table `t` (read into manifest entry `at`)
/// holds by specialty group, fed by the ST starts table where there is one (`st_starts`, with its
/// entry); the embedded table is not used with a licence register of one's own (noted). Notes go
/// to the manifest entries of the tables they speak of.
fn divide_specialists(
    sc: &Scenario,
    inp: &mut Inputs,
    (mut t, at): (Table, usize),
    st_starts: Option<&(Table, usize)>,
    used: &mut [UsedInput],
) -> Result<(), ModelError> {
    let embedded = sc
        .supply
        .specialists
        .as_ref()
        .is_some_and(|f| f.file.starts_with("embedded:"));
    let absent = inputs::specialty_layers(&t)
        .into_iter()
        .find(|l| inp.grid.prof(l).is_none());
    // The embedded table describes the embedded register's specialists: with a register of
    // one's own it would divide someone else's layer by the synthetic one's composition.
    let own_register = !sc.inputs.licensed.file.starts_with("embedded:");
    if embedded && (own_register || absent.is_some()) {
        let note = Note::new(
            "not used: the embedded specialists and ST starts describe the embedded licence register, and this run has a register of its own; name tables of its own (supply.specialists, supply.st_starts) to divide its specialists by specialty",
            "används inte: de inbäddade specialisterna och ST-starterna beskriver det inbäddade legitimationsregistret, och denna körning har ett eget; ange egna tabeller (supply.specialists, supply.st_starts) för att dela dess specialister efter specialitet",
        );
        used[at].notes.push(note.clone());
        if let Some((_, j)) = st_starts {
            used[*j].notes.push(note);
        }
    } else {
        if ungroup::has_age_bands(&t) {
            t = ungroup::ungroup_ages(&t, &ungroup::Options::workforce()).map_err(|e| {
                ModelError::Input {
                    file: t.meta.origin.clone(),
                    message: e.to_string(),
                }
            })?;
            used[at].notes.push(ungrouped_note());
        }
        let st = st_starts.map(|(t, _)| t);
        let (input, notes) = inputs::gather_specialists(&t, st, &inp.grid, &inp.hc_regions)?;
        for (file, n) in notes {
            let i = match st_starts {
                Some((s, j)) if s.meta.origin == file => *j,
                _ => at,
            };
            used[i].notes.push(n);
        }
        inp.specialists = input;
    }
    Ok(())
}

/// Reads the table that supplies a piece (`fte` or `sectors`) of the employed input, its ages
/// ungrouped where they come in bands, checked as an employed table that need hold apart only its
/// own piece. Its manifest entry's first note says where the piece came from. Gives the table, the
/// entry and the contract's findings.
fn read_piece(
    piece: &str,
    supp: &scenario::Supplement,
) -> Result<(Table, UsedInput, Vec<validate::Finding>), ModelError> {
    let key = format!("employed.{piece}");
    let (mut t, mut u) = read_input(&key, &supp.input_file())?;
    let mut notes: Vec<Note> = std::mem::take(&mut u.notes);
    if ungroup::has_age_bands(&t) {
        t = ungroup::ungroup_ages(&t, &ungroup::Options::workforce()).map_err(|e| {
            ModelError::Input {
                file: u.file.clone(),
                message: e.to_string(),
            }
        })?;
        notes.push(ungrouped_note());
    }
    // A profile holds apart what it has: only its own key's dimension is required.
    let need = if piece == "fte" {
        validate::Concept::Contents
    } else {
        validate::Concept::Sector
    };
    let supplied = validate::TableKind::Employed
        .required()
        .iter()
        .copied()
        .filter(|c| *c != need)
        .collect();
    let found = errors(&t, validate::TableKind::Employed, supplied);
    notes.insert(0, employ_note(piece, supp.is_embedded(), &t));
    u.notes = notes;
    u.cells = t.len();
    Ok((t, u, found))
}

/// A table's years for a message: `2023`, `2010–2023` (first to last, ascending years), or
/// `no years`.
pub(crate) fn years_text(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(z)) if a == z => a.to_string(),
        (Some(a), Some(z)) => format!("{a}–{z}"),
        _ => "no years".into(),
    }
}

/// Reads the input `key` from `f` (checking its pinned checksum), marks it synthetic where it is,
/// and describes it for the manifest (`notes`: whether a fetched file changed since its fetch;
/// `cells`: the table's rows as read).
fn read_input(key: &str, f: &scenario::InputFile) -> Result<(Table, UsedInput), ModelError> {
    let (name, bytes, sum) = scenario::input_bytes(key, f)?;
    let mut t = read_bytes(Path::new(&name), &bytes)?;
    let why = synthetic::recognise(f, &t);
    t.meta.synthetic = !why.is_empty();
    let (fetched, changed) = fetched_record(&name, &sum);
    let used = UsedInput {
        key: key.to_string(),
        file: name,
        sha256: sum,
        synthetic: t.meta.synthetic,
        synthetic_why: why,
        notes: changed.into_iter().collect(),
        imputed: 0,
        cells: t.len(),
        fetched,
    };
    Ok((t, used))
}

/// Reads the scenario's own table `key` (`demand.staffing`, `supply.destinations`, …) from `f`,
/// adds its validation errors for its kind to `findings` and its description to `used`: the
/// table and its index in `used`.
fn read_supplement(
    key: &str,
    f: &scenario::SupplementFile,
    used: &mut Vec<UsedInput>,
    findings: &mut Vec<validate::Finding>,
) -> Result<(Table, usize), ModelError> {
    let (t, u) = read_input(key, &f.input_file())?;
    findings.extend(errors(&t, kind_of(key), Vec::new()));
    used.push(u);
    Ok((t, used.len() - 1))
}

/// The errors [`validate::check`] finds in an input read as `kind`, with the dimensions the
/// scenario supplies another way (`supplied`).
fn errors(
    t: &Table,
    kind: validate::TableKind,
    supplied: Vec<validate::Concept>,
) -> Vec<validate::Finding> {
    validate::check(
        t,
        &validate::Options {
            kind,
            supplied,
            ..Default::default()
        },
    )
    .into_iter()
    .filter(|x| x.severity == validate::Severity::Error)
    .collect()
}

/// What the method text and the manifest say about a piece of the employed input that a scenario
/// key supplies (`piece` `fte` or `sectors`), from `t` (the embedded profile when `embedded`).
pub fn employ_note(piece: &str, embedded: bool, t: &Table) -> Note {
    let (what, what_sv) = if piece == "fte" {
        (
            "FTE per employed person (FTE/employed)",
            "heltidsekvivalenter per anställd (heltidsekvivalenter/anställda)",
        )
    } else {
        (
            "the split of employed persons over sectors (persons by sector over all sectors)",
            "fördelningen av anställda på regi (personer per regi av alla)",
        )
    };
    let key = format!("inputs.employed.{piece}");
    let origin = &t.meta.origin;
    if embedded {
        return Note::new(
            format!(
                "{what} from the embedded profile (`{key} = \"embedded\"`: {origin}, by profession, sector, sex and age, pooled over its counties and years; synthetic)"
            ),
            format!(
                "{what_sv} från den inbyggda profilen (`{key} = \"embedded\"`: {origin}, per yrke, regi, kön och ålder, sammanvägd över dess län och år; syntetisk)"
            ),
        );
    }
    use validate::Concept;
    let held: Vec<(&str, &str)> = [
        (Concept::Profession, "profession", "yrke"),
        (Concept::County, "county", "län"),
        (Concept::Sector, "sector", "regi"),
        (Concept::Sex, "sex", "kön"),
        (Concept::Age, "age", "ålder"),
    ]
    .iter()
    .filter(|(c, ..)| t.dims.iter().any(|d| Concept::of(d) == Some(*c)))
    .map(|(_, en, sv)| (*en, *sv))
    .collect();
    let (by, by_sv) = if held.is_empty() {
        (
            "nothing (one ratio for every cell)".to_string(),
            "ingenting (en kvot för varje cell)".to_string(),
        )
    } else {
        (
            held.iter().map(|h| h.0).collect::<Vec<_>>().join(", "),
            held.iter().map(|h| h.1).collect::<Vec<_>>().join(", "),
        )
    };
    Note::new(
        format!(
            "{what} from the table {origin} (`{key}`), by {by}, pooled over its years and any other dimension"
        ),
        format!(
            "{what_sv} från tabellen {origin} (`{key}`), per {by_sv}, sammanvägd över dess år och andra dimensioner"
        ),
    )
}

/// Projects from gathered inputs (what [`run`] does after reading the files).
///
/// # Errors
///
/// A profession the scenario names that the data lack, or a base year or horizon the data do not
/// cover.
pub fn project(
    sc: &Scenario,
    mut inp: Inputs,
    used: Vec<UsedInput>,
) -> Result<Projection, ModelError> {
    let g = inp.grid.clone();
    if let Some(s) = &sc.scope {
        let area = s.area().map_err(|(key, message)| ModelError::Scenario {
            file: "scenario".into(),
            key,
            message,
        })?;
        if g.counties != area.counties || inp.hc_regions != area.regions {
            return Err(ModelError::Scenario {
                file: "scenario".into(),
                key: "scope.counties".into(),
                message: format!(
                    "the inputs were gathered for counties {:?}, the scope is {:?}; gather them with `Inputs::gather_in` and the scope's area",
                    g.counties, area.counties
                ),
            });
        }
    }
    for (key, code) in sc.professions_named() {
        if g.prof(&code).is_none() {
            return Err(ModelError::Scenario {
                file: "scenario".into(),
                key,
                message: format!(
                    "the profession {code:?} is not in the data; expected one of {:?}",
                    g.professions
                ),
            });
        }
    }
    // A row of the table of rates that names a profession the data lack would change nothing.
    if let Some(r) = inp
        .overrides
        .rows
        .iter()
        .find(|r| r.profession.as_deref().is_some_and(|p| g.prof(p).is_none()))
    {
        return Err(ModelError::Input {
            file: inp.overrides.file.clone(),
            message: format!(
                "line {}: the profession {:?} is not in the data; expected one of {:?}",
                r.line,
                r.profession.as_deref().unwrap_or_default(),
                g.professions
            ),
        });
    }
    // Admissions change only where there are admissions: a region of the run, a programme.
    for (p, by) in &sc.supply.admissions {
        for r in by.keys().filter(|r| *r != "*") {
            if !inp.hc_regions.contains(r) {
                return Err(ModelError::Scenario {
                    file: "scenario".into(),
                    key: format!("supply.admissions.{p}.{r}"),
                    message: format!(
                        "the health-care region {r:?} is not in this run; it has {:?}",
                        inp.hc_regions
                    ),
                });
            }
        }
    }
    let Some(base_i) = inp.licence_years.iter().position(|&y| y == sc.base_year) else {
        return Err(ModelError::Input {
            file: used.first().map(|u| u.file.clone()).unwrap_or_default(),
            message: format!(
                "no licence data for the base year {}; the register has {:?}",
                sc.base_year, inp.licence_years
            ),
        });
    };
    if !inp.population_years.contains(&sc.horizon) {
        return Err(ModelError::Input {
            file: used.get(4).map(|u| u.file.clone()).unwrap_or_default(),
            message: format!(
                "no population for the horizon {}; the projection reaches {:?}",
                sc.horizon,
                inp.population_years.last()
            ),
        });
    }
    if let Some(b) = &inp.births {
        let lack = b.missing(sc.base_year, sc.horizon);
        if !lack.is_empty() {
            let years: Vec<String> = (sc.base_year..=sc.horizon).map(|y| y.to_string()).collect();
            let missing: Vec<bool> = (sc.base_year..=sc.horizon)
                .map(|y| lack.contains(&y))
                .collect();
            return Err(ModelError::Input {
                file: b.file.clone(),
                message: format!(
                    "no births for {} (demand.births); the births drive the care use at age 0 (maternity care) from the base year {} to the horizon {}, and the table has {}; expected every year of them, history and projection (SCB's population projection publishes projected births)",
                    contract::runs(&years, &missing).join(", "),
                    sc.base_year,
                    sc.horizon,
                    years_text(&b.years)
                ),
            });
        }
    }
    if inp.employment_years.is_empty() {
        return Err(ModelError::Input {
            file: used.get(1).map(|u| u.file.clone()).unwrap_or_default(),
            message: "no employment years".into(),
        });
    }
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    // A care-use table with years: demand weights with the base year's profile (the latest up to it).
    let care_file = used
        .get(6)
        .map_or_else(|| sc.inputs.care_use.file.clone(), |u| u.file.clone());
    if !inp.care_use_years.is_empty() {
        let Some(i) = inp.care_use_years.iter().rposition(|&y| y <= sc.base_year) else {
            return Err(ModelError::Input {
                file: care_file,
                message: format!(
                    "no care-use year up to the base year {}; the table has {:?}",
                    sc.base_year, inp.care_use_years
                ),
            });
        };
        let block = nk * 2 * inputs::POP_AGES;
        inp.care_use = inp.care_use_history[i * block..(i + 1) * block].to_vec();
    }
    let care_trend = demand::care_use_trend(&inp, sc, &care_file)?;
    let params: Vec<Params> = (0..np)
        .map(|p| supply::estimate(&inp, sc, p))
        .collect::<Result<_, _>>()?;
    if let Some(p) = sc
        .supply
        .admissions
        .keys()
        .find(|p| g.prof(p).is_some_and(|pi| params[pi].completion.is_none()))
    {
        return Err(ModelError::Scenario {
            file: "scenario".into(),
            key: format!("supply.admissions.{p}"),
            message: format!(
                "{p} has no programme of its own in the data (no beginners), so its admissions cannot change"
            ),
        });
    }
    // Parents first: a layer takes its parent's path (its feed of licences, and its bound).
    let mut paths: Vec<Option<supply::Trajectory>> = vec![None; np];
    for p in supply::parents_first(&params) {
        let parent = params[p].parent.and_then(|q| paths[q].clone());
        paths[p] = Some(supply::project_with(
            &inp,
            sc,
            p,
            &params[p],
            Intake::Baseline,
            parent.as_ref(),
        ));
    }
    let paths: Vec<supply::Trajectory> = paths.into_iter().map(Option::unwrap_or_default).collect();

    // Results years: the first employment year to the horizon.
    let first = inp.employment_years[0];
    let last_emp = *inp.employment_years.last().unwrap_or(&first);
    let years: Vec<i32> = (first..=sc.horizon).collect();
    let phases: Vec<Phase> = years
        .iter()
        .map(|&y| {
            // A year the employment data lack (a gap) is estimated, never taken from another year.
            if y <= last_emp && y <= sc.base_year && inp.employment_years.contains(&y) {
                Phase::Observed
            } else if y <= sc.base_year {
                Phase::Nowcast
            } else {
                Phase::Projection
            }
        })
        .collect();
    let (employed, supply_fte) =
        results_by_year(&inp, sc, &params, &paths, &years, &phases, base_i);
    let base_ti = (sc.base_year - first) as usize;
    let per = np * nc * nk;
    let base_fte = &supply_fte[base_ti * per..(base_ti + 1) * per];
    let demand = demand::project(&inp, sc, base_fte, &care_trend.factors);

    let required = required::required_intakes(&inp, sc, &params, &paths, &demand)?;
    check_results(&inp, sc, &years, &supply_fte, &demand, (base_i, base_ti))?;
    let intake = required;
    let specialties = inp
        .specialists
        .iter()
        .map(|s| specialties::project(&inp, sc, s, &paths[s.layer], &demand, sc.scope.is_none()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut pr = Projection {
        scenario: sc.clone(),
        inputs: inp,
        used,
        params,
        paths,
        demand,
        care_use_trend: care_trend,
        years,
        phases,
        employed,
        supply: supply_fte,
        intake,
        specialties,
        bands: None,
        municipal: None,
    };
    pr.municipal = municipal::project(&pr)?;
    Ok(pr)
}

/// Employed persons and FTE supply `[year][p][c][k]` over `years`: observed in the employment
/// years, else the licensed persons (the register's in a nowcast year, the path's in a projected
/// one) times each county's employment share and FTE per employed person, with their trends.
/// `base_i` is the base year's index among the licence years.
fn results_by_year(
    inp: &Inputs,
    sc: &Scenario,
    params: &[Params],
    paths: &[supply::Trajectory],
    years: &[i32],
    phases: &[Phase],
    base_i: usize,
) -> (Vec<f64>, Vec<f64>) {
    let g = &inp.grid;
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    let per = np * nc * nk;
    let mut employed = vec![0.0; years.len() * per];
    let mut supply_fte = vec![0.0; years.len() * per];
    for (ti, &y) in years.iter().enumerate() {
        let at = YearAt::new(inp, sc, y, phases[ti], base_i);
        for p in 0..np {
            let cells = CellsOf::new(inp, &params[p], &paths[p], &at);
            for c in 0..nc {
                for k in 0..nk {
                    let o = ti * per + (p * nc + c) * nk + k;
                    for sx in 0..2 {
                        for a in 0..NA {
                            let (e, f) = cells.get(p, c, k, sx, a);
                            employed[o] += e;
                            supply_fte[o] += f;
                        }
                    }
                }
            }
        }
    }
    (employed, supply_fte)
}

/// Where a results year stands in each source: its phase, and its index among the employment
/// years, the licence years and the projected path's years.
struct YearAt {
    y: i32,
    phase: Phase,
    emp_i: usize,
    lic_i: usize,
    path_i: usize,
}

impl YearAt {
    /// Year `y` of phase `phase`; `base_i` is the base year's index among the licence years.
    fn new(inp: &Inputs, sc: &Scenario, y: i32, phase: Phase, base_i: usize) -> YearAt {
        YearAt {
            y,
            phase,
            emp_i: inp
                .employment_years
                .iter()
                .position(|&x| x == y)
                .unwrap_or(0),
            lic_i: inp
                .licence_years
                .iter()
                .position(|&x| x == y)
                .unwrap_or(base_i),
            path_i: usize::try_from(y - sc.base_year).unwrap_or(0),
        }
    }
}

/// One profession's employed persons and FTE by cell in one results year: observed in an
/// employment year, else the licensed persons (the register's in a nowcast year, the path's in a
/// projected one) times the county's employment share and FTE per employed person, with their
/// trends.
struct CellsOf<'a> {
    inp: &'a Inputs,
    path: &'a supply::Trajectory,
    at: &'a YearAt,
    factors: (f64, f64),
    employment: &'a [f64],
    fte: &'a [f64],
}

impl<'a> CellsOf<'a> {
    fn new(
        inp: &'a Inputs,
        prm: &'a Params,
        path: &'a supply::Trajectory,
        at: &'a YearAt,
    ) -> CellsOf<'a> {
        // The trends of the employment share and FTE per employed person (1 without them).
        let factors = (prm.employment_factor(at.y), prm.fte_factor(at.y));
        let (employment, fte) = prm.county_profiles(at.phase == Phase::Projection);
        CellsOf {
            inp,
            path,
            at,
            factors,
            employment,
            fte,
        }
    }

    /// Employed persons and FTE of profession `p` in county `c`, sector `k`, sex `sx`, age `a`.
    #[inline]
    fn get(&self, p: usize, c: usize, k: usize, sx: usize, a: usize) -> (f64, f64) {
        let (inp, g, at) = (self.inp, &self.inp.grid, self.at);
        let (nc, nk, cells) = (g.nc(), g.nk(), g.cells());
        if at.phase == Phase::Observed {
            let i = (at.emp_i * nk + k) * cells + g.idx(p, c, sx, a);
            return (inp.employed[i], inp.fte[i]);
        }
        let l = if at.phase == Phase::Nowcast {
            inp.licensed[at.lic_i * cells + g.idx(p, c, sx, a)]
        } else {
            self.path.licensed[at.path_i * nc * 2 * NA + (c * 2 + sx) * NA + a]
        };
        let j = ((c * nk + k) * 2 + sx) * NA + a;
        let (fe, fh) = self.factors;
        (
            l * self.employment[j] * fe,
            l * self.employment[j] * fe * self.fte[j] * fh,
        )
    }
}

impl Projection {
    /// Profession `p`'s FTE in county `c` and sector `k` in year `y` (base year to horizon) by sex
    /// and age, `[sex][age]` over the workforce ages, as [`Projection::supply`] sums them.
    pub fn fte_by_age(&self, p: usize, c: usize, k: usize, y: i32) -> Vec<f64> {
        let base_i = self
            .inputs
            .licence_years
            .iter()
            .position(|&x| x == self.scenario.base_year)
            .unwrap_or(0);
        let ti = self.years.iter().position(|&x| x == y).unwrap_or(0);
        let at = YearAt::new(&self.inputs, &self.scenario, y, self.phases[ti], base_i);
        let cells = CellsOf::new(&self.inputs, &self.params[p], &self.paths[p], &at);
        (0..2 * NA)
            .map(|i| cells.get(p, c, k, i / NA, i % NA).1)
            .collect()
    }
}

/// Never a result that is empty, zero where the base year has people, or not a number: the
/// checks of [`project`] on national supply (`supply_fte`, `[year][p][c][k]` over `years`) and
/// demand, with `base_i` the base year's index among the licence years and `base_ti` among
/// `years`.
///
/// # Errors
///
/// [`ModelError::Degenerate`] naming the professions.
fn check_results(
    inp: &Inputs,
    sc: &Scenario,
    years: &[i32],
    supply_fte: &[f64],
    demand: &demand::DemandPath,
    (base_i, base_ti): (usize, usize),
) -> Result<(), ModelError> {
    let g = &inp.grid;
    let (np, nc, nk, cells) = (g.np(), g.nc(), g.nk(), g.cells());
    let per = np * nc * nk;
    if np == 0 {
        return Err(ModelError::Degenerate {
            what: "empty (no profession)".into(),
            professions: vec!["all".into()],
        });
    }
    let national = |v: &[f64], ti: usize, p: usize| -> f64 {
        (0..nc * nk).map(|i| v[ti * per + p * nc * nk + i]).sum()
    };
    let not_finite: Vec<String> = (0..np)
        .filter(|&p| {
            (0..years.len()).any(|ti| !national(supply_fte, ti, p).is_finite())
                || (0..demand.fte.len() / per.max(1))
                    .any(|ti| !national(&demand.fte, ti, p).is_finite())
        })
        .map(|p| g.professions[p].clone())
        .collect();
    if !not_finite.is_empty() {
        return Err(ModelError::Degenerate {
            what: "not a number".into(),
            professions: not_finite,
        });
    }
    // A profession with licensed persons in the base year but no supply or demand there (a
    // profession the register did not license yet, as HSK before 2019, is zero rightly).
    let licensed_base = |p: usize| -> f64 {
        (0..nc)
            .flat_map(|c| (0..2).flat_map(move |sx| (0..NA).map(move |a| (c, sx, a))))
            .map(|(c, sx, a)| inp.licensed[base_i * cells + g.idx(p, c, sx, a)])
            .sum()
    };
    let zero: Vec<String> = (0..np)
        .filter(|&p| {
            licensed_base(p) > 0.0
                && (national(supply_fte, base_ti, p) <= 0.0 || national(&demand.fte, 0, p) <= 0.0)
        })
        .map(|p| g.professions[p].clone())
        .collect();
    let all_zero = (0..np).all(|p| national(supply_fte, base_ti, p) <= 0.0);
    if !zero.is_empty() || all_zero {
        return Err(ModelError::Degenerate {
            what: format!(
                "zero (supply or demand) in the base year {} although the register has licensed persons",
                sc.base_year
            ),
            professions: if zero.is_empty() {
                g.professions.clone()
            } else {
                zero
            },
        });
    }
    Ok(())
}

impl Projection {
    /// Whether the run's counties' exits differ by age group, their moves a flow of their own
    /// (see [`Inputs::moves_by_age`]).
    pub fn moves_by_age(&self) -> bool {
        self.inputs.moves_by_age(&self.scenario.supply)
    }

    /// What the run covers: the whole country, or the scenario's `[scope]`.
    pub fn area(&self) -> scope::Area {
        self.scenario
            .scope
            .as_ref()
            .and_then(|s| s.area().ok())
            .unwrap_or_else(scope::Area::whole)
    }

    /// Whether the input under `key` gave its ages in bands, ungrouped to single years on reading
    /// (its single-year figures are then estimates).
    pub fn ages_ungrouped(&self, key: &str) -> bool {
        self.used
            .iter()
            .any(|u| u.key == key && u.notes.iter().any(|n| n.en == UNGROUPED_NOTE))
    }

    /// One line for the console counting the cells imputed from the tables' totals
    /// (`missing = "impute"`), per input, or `None` when none was.
    pub fn imputed_summary(&self) -> Option<String> {
        let parts: Vec<String> = self
            .used
            .iter()
            .filter(|u| u.imputed > 0)
            .map(|u| format!("{} {}", u.key, u.imputed))
            .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "(cells without a number imputed from the tables' totals, status estimated: {})",
                parts.join(", ")
            )
        })
    }

    /// One line for the console naming the synthetic inputs, or `None` when none is: the
    /// embedded default data as a whole, or exactly which inputs (and why: embedded, marked,
    /// or the same content as an embedded table).
    pub fn synthetic_summary(&self) -> Option<String> {
        let syn: Vec<&UsedInput> = self.used.iter().filter(|u| u.synthetic).collect();
        if syn.is_empty() {
            return None;
        }
        if syn.len() == self.used.len()
            && syn.iter().all(|u| u.file.starts_with(crate::defaults::DIR))
        {
            return Some(
                "(synthetic default data: the figures show how hwf works, not the state of Sweden)"
                    .into(),
            );
        }
        Some(format!(
            "(synthetic inputs: {}: figures that rest on them show how hwf works, not the state of Sweden)",
            syn.iter()
                .map(|u| format!("{} ({})", u.key, u.synthetic_why))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    /// Runs `draws` Monte Carlo draws with the scenario's distributions and seed (or `seed`), and
    /// keeps the bands at `percentiles` (or the scenario's).
    ///
    /// # Errors
    ///
    /// No draws, or a distribution the scenario declares wrongly.
    pub fn simulate(
        &mut self,
        draws: usize,
        seed: Option<u64>,
        percentiles: Option<&scenario::Percentiles>,
    ) -> Result<(), ModelError> {
        let kernel = montecarlo::Kernel::new(self)?;
        let q = percentiles.unwrap_or(&self.scenario.uncertainty.quantiles);
        let seed = seed.unwrap_or(self.scenario.seed);
        self.bands = Some(kernel.run(draws, seed, q)?);
        Ok(())
    }

    /// Index of `[year][p][c][k]`.
    pub fn at(&self, ti: usize, p: usize, c: usize, k: usize) -> usize {
        let g = &self.inputs.grid;
        ti * g.np() * g.nc() * g.nk() + (p * g.nc() + c) * g.nk() + k
    }

    /// Demand for results year index `ti` (None before the base year).
    pub fn demand_at(&self, ti: usize, p: usize, c: usize, k: usize) -> Option<f64> {
        let y = self.years[ti];
        let di = usize::try_from(y - self.scenario.base_year).ok()?;
        let g = &self.inputs.grid;
        Some(self.demand.fte[di * g.np() * g.nc() * g.nk() + (p * g.nc() + c) * g.nk() + k])
    }

    /// The run's counties, then their total: the areas of the county tables (see
    /// [`scope::Region`]).
    pub fn regions(&self) -> impl Iterator<Item = scope::Region> + Clone {
        scope::Region::counties_then_total(self.inputs.grid.nc())
    }

    /// The code an output row of `region` carries: the county's, or the total's
    /// ([`scope::Area::total_code`]: `00` for Sweden, `scope` for a scoped run).
    pub fn region_code(&self, region: scope::Region) -> String {
        match region {
            scope::Region::County(c) => self.inputs.grid.counties[c].clone(),
            scope::Region::Total => self.area().total_code().to_string(),
        }
    }

    /// Employed persons' FTE, supply and demand (FTE) of profession `p` in sector `k` and results
    /// year index `ti`, in one county or summed over the run's counties.
    pub fn sector_figures(
        &self,
        ti: usize,
        p: usize,
        region: scope::Region,
        k: usize,
    ) -> (f64, f64, Option<f64>) {
        match region {
            scope::Region::County(c) => (
                self.employed[self.at(ti, p, c, k)],
                self.supply[self.at(ti, p, c, k)],
                self.demand_at(ti, p, c, k),
            ),
            scope::Region::Total => {
                let (mut e, mut s, mut d) = (0.0, 0.0, Some(0.0));
                for c in 0..self.inputs.grid.nc() {
                    e += self.employed[self.at(ti, p, c, k)];
                    s += self.supply[self.at(ti, p, c, k)];
                    d = d.zip(self.demand_at(ti, p, c, k)).map(|(a, b)| a + b);
                }
                (e, s, d)
            }
        }
    }

    /// Supply and demand (FTE, all sectors) of profession `p` in results year index `ti`, summed over
    /// the run's counties (Sweden, or the scope).
    pub fn total_fte(&self, ti: usize, p: usize) -> (f64, Option<f64>) {
        let g = &self.inputs.grid;
        let mut s = 0.0;
        let mut d = Some(0.0);
        for c in 0..g.nc() {
            for k in 0..g.nk() {
                s += self.supply[self.at(ti, p, c, k)];
                d = d.zip(self.demand_at(ti, p, c, k)).map(|(a, b)| a + b);
            }
        }
        (s, d)
    }

    /// The principals' survey summarised, each county's answers weighted by its base-year FTE
    /// (see [`survey`]).
    pub fn survey(&self) -> survey::Survey {
        let g = &self.inputs.grid;
        let per = g.np() * g.nc() * g.nk();
        let fte = self
            .years
            .iter()
            .position(|&y| y == self.scenario.base_year)
            .map_or_else(
                || vec![0.0; per],
                |ti| self.supply[ti * per..(ti + 1) * per].to_vec(),
            );
        survey::summarise(g, &self.inputs.balance, &fte)
    }

    /// Today's assessment of profession `p` (county `c`, or the nation), the model's change of
    /// balance from the base year to the horizon, and the horizon judged against today
    /// ([`survey::judge`]); `None` where nobody answered or demand is zero.
    pub fn judgement(
        &self,
        survey: &survey::Survey,
        p: usize,
        c: Option<usize>,
    ) -> Option<(survey::Level, f64, survey::Level)> {
        match c {
            Some(c) => self.judgement_in(survey, p, &[c]),
            None => {
                let all: Vec<usize> = (0..self.inputs.grid.nc()).collect();
                self.judgement_in(survey, p, &all)
            }
        }
    }

    /// [`Projection::judgement`] for a set of counties (a health-care region, a scope): their
    /// answers, and their summed supply and demand.
    pub fn judgement_in(
        &self,
        survey: &survey::Survey,
        p: usize,
        counties: &[usize],
    ) -> Option<(survey::Level, f64, survey::Level)> {
        let today = survey.today_in(p, counties).1?;
        let t0 = self
            .years
            .iter()
            .position(|&y| y == self.scenario.base_year)?;
        let th = self
            .years
            .iter()
            .position(|&y| y == self.scenario.horizon)?;
        let at = |ti: usize| -> (f64, f64) {
            let mut s = 0.0;
            let mut d = 0.0;
            for &c in counties {
                for k in 0..self.inputs.grid.nk() {
                    s += self.supply[self.at(ti, p, c, k)];
                    d += self.demand_at(ti, p, c, k).unwrap_or(f64::NAN);
                }
            }
            (s, d)
        };
        let ((s0, d0), (sh, dh)) = (at(t0), at(th));
        let change = survey::balance_change(s0, d0, sh, dh);
        change.is_finite().then(|| {
            (
                today,
                change,
                survey::judge(today, change, self.scenario.balance.tolerance),
            )
        })
    }

    /// The balance label for a supply/demand ratio.
    pub fn label(&self, supply: f64, demand: f64) -> &'static str {
        let tol = self.scenario.balance.tolerance;
        if demand <= 0.0 {
            return if supply > 0.0 { "surplus" } else { "balance" };
        }
        let r = supply / demand;
        if r < 1.0 - tol {
            "shortage"
        } else if r > 1.0 + tol {
            "surplus"
        } else {
            "balance"
        }
    }

    /// UKÄ's short-term graduate forecast: `(profession, health-care region, year, graduates,
    /// observed)` for the three years after the base year, from beginners × the historical
    /// completion rate; `observed` is false where a cohort behind the year was admitted after the
    /// base year (a programme shorter than the horizon), so its beginners are assumed.
    pub fn graduate_forecast(&self) -> Vec<(usize, usize, i32, f64, bool)> {
        let inp = &self.inputs;
        let sc = &self.scenario;
        let mut out = Vec::new();
        for (p, prm) in self.params.iter().enumerate() {
            if prm.completion.is_none() {
                continue;
            }
            for dy in 1..=3 {
                let t = sc.base_year + dy;
                let g = supply::graduates_by_region(inp, sc, p, prm, t, Intake::Baseline);
                let observed = prm.routes.iter().enumerate().all(|(i, route)| {
                    let x = t - route.programme_lag as i32;
                    supply::Route::share(&prm.routes, i, x) == 0.0
                        || (x <= sc.base_year && inp.admission_years.contains(&x))
                });
                for (r, g) in g.into_iter().enumerate() {
                    out.push((p, r, t, g, observed));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetch_record_counts_only_for_the_file_it_describes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pop.csv");
        std::fs::write(&file, "a,value\n1,2\n").unwrap();
        let name = file.display().to_string();
        let record = |sha: &str| {
            let rec = serde_json::json!({
                "fetched_by": "hwf", "api": "http://x/api/v2", "table": "T1", "label": "", "lang": "sv",
                "via": "json-stat2", "asked": {}, "selection": [], "cells": 1, "calls": [],
                "config": {"apiVersion": "2", "maxDataCells": 1, "maxCallsPerTimeWindow": 1, "timeWindow": 1},
                "output": {"file": "pop.csv", "sha256": sha}
            });
            std::fs::write(
                crate::ingest::fetch::record_path(&file),
                serde_json::to_vec(&rec).unwrap(),
            )
            .unwrap();
        };
        assert_eq!(fetched_record(&name, "abc"), (None, None));
        record("abc");
        let (rec, note) = fetched_record(&name, "abc");
        assert_eq!(rec.unwrap().table, "T1");
        assert!(note.is_none());
        // The file was edited after the fetch: the record no longer describes it.
        let (rec, note) = fetched_record(&name, "def");
        assert!(rec.is_none());
        assert!(
            note.unwrap()
                .en
                .starts_with("changed since hwf fetch wrote it")
        );
    }
}
