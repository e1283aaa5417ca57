//! Scenarios: every parameter of a projection, as TOML, with inheritance and provenance.
//!
//! A scenario file may name a parent (`inherits = "base.toml"`, relative to the file; or
//! `"default"`, the embedded default scenario) and override a few keys; tables merge key by key.
//! The effective scenario (every default filled in) is what the manifest records, and
//! `hwf scenario show` prints each value with the file it came from.
//!
//! Checking follows linfa's pattern: the parsed [`Scenario`] is checked once into a value the model
//! can trust; a rate outside its range, an unknown key, a horizon before the base year or an input
//! whose checksum no longer matches is an error naming the key or file.

use super::ModelError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The embedded default scenario.
pub const DEFAULT: &str = include_str!("../../data/scenarios/default.toml");

/// One input file: where, and its SHA-256 (hex) when pinned.
///
/// An `[inputs]` entry that names a file replaces the parent's entry whole: a checksum the parent
/// pinned for its own file is not inherited. `sha256` is optional (the manifest records the
/// checksum of what was read either way).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// A path (relative to the scenario file) or `embedded:NAME` for the default data.
    pub file: String,
    /// The expected SHA-256 of the file's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// What to do with cells that hold no number (`..`, suppressed): `"error"` (the default: all
    /// of them listed in one message, grouped) or `"impute"` (filled from the table's own totals,
    /// status estimated; see [`super::impute`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// Employed: where FTE per employed person comes from when the table has persons only (or
    /// instead of the table's own FTE): `"embedded"` or a table. Only on `inputs.employed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fte: Option<Supplement>,
    /// Employed: where the split of persons over sectors comes from when the table has no sector
    /// dimension (or instead of the table's own): `"embedded"` or a table. Only on
    /// `inputs.employed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sectors: Option<Supplement>,
    /// The scenario file that pinned `sha256` (filled in by [`load`]; not a key).
    #[serde(skip)]
    pub pinned_by: Option<String>,
}

/// Where a piece the employed table lacks comes from: `inputs.employed.fte` (FTE per employed
/// person) and `inputs.employed.sectors` (the split of persons over sectors).
///
/// `"embedded"` is the embedded profile: the ratios of the embedded `employed.px` by profession,
/// sector, sex and age, pooled over its counties and years. A table (`{ file = "…", sha256 =
/// "…" }`) gives the ratios over the dimensions it has (see [`super::inputs::Employ`]).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Supplement {
    /// A word: `"embedded"` (checked by [`Scenario::check`]).
    Word(String),
    /// A table.
    File(SupplementFile),
}

// By hand rather than `untagged`, so that a value of another kind says what is expected instead
// of serde's "data did not match any variant"; a table's own errors (an unknown key, `file`
// missing) come through as they are.
impl<'de> Deserialize<'de> for Supplement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Supplement;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "\"embedded\" or a table { file = \"…\", sha256 = \"…\" } (sha256 optional)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Supplement, E> {
                Ok(Supplement::Word(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Supplement, A::Error> {
                SupplementFile::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(Supplement::File)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// The scenario's own tables besides `[inputs]`, as (section, key): a file named there replaces
/// the parent scenario's entry, and its path is relative to the scenario that names it.
const SUPPLEMENTS: [(&str, &str); 9] = [
    ("supply", "rates"),
    ("supply", "destinations"),
    ("supply", "specialists"),
    ("supply", "st_starts"),
    ("demand", "service_use"),
    ("demand", "staffing"),
    ("demand", "births"),
    ("municipal", "employed"),
    ("municipal", "population"),
];

/// A table that supplies a piece of the employed input (see [`Supplement`]).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SupplementFile {
    /// A path (relative to the scenario file) or `embedded:NAME`.
    pub file: String,
    /// The expected SHA-256 of the file's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The scenario file that pinned `sha256` (filled in by [`load`]; not a key).
    #[serde(skip)]
    pub pinned_by: Option<String>,
}

impl SupplementFile {
    /// The input entry that reads this table, for [`input_bytes`].
    pub fn input_file(&self) -> InputFile {
        InputFile {
            file: self.file.clone(),
            sha256: self.sha256.clone(),
            pinned_by: self.pinned_by.clone(),
            ..InputFile::default()
        }
    }
}

/// The word that names the embedded profile in [`Supplement::Word`].
pub const EMBEDDED_PROFILE: &str = "embedded";

impl Supplement {
    /// The input entry that reads this supplement (the embedded `employed.px` for
    /// `"embedded"`), for [`input_bytes`].
    pub fn input_file(&self) -> InputFile {
        match self {
            Supplement::Word(_) => InputFile {
                file: "embedded:employed.px".into(),
                ..InputFile::default()
            },
            Supplement::File(f) => f.input_file(),
        }
    }

    /// Whether this is the embedded profile (`"embedded"`).
    pub fn is_embedded(&self) -> bool {
        matches!(self, Supplement::Word(_))
    }
}

/// The input tables of a projection.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InputFiles {
    /// Licensed persons.
    pub licensed: InputFile,
    /// Employed persons and FTE.
    pub employed: InputFile,
    /// Licences issued.
    pub licences_issued: InputFile,
    /// Population history.
    pub population: InputFile,
    /// Population projection.
    pub population_projection: InputFile,
    /// Admissions and graduates.
    pub admissions: InputFile,
    /// Care use by age and sex.
    pub care_use: InputFile,
    /// Balance assessments.
    pub balance: InputFile,
}

impl InputFiles {
    /// The entries with their keys, in the order of [`super::INPUT_KEYS`].
    pub fn entries(&self) -> [(&'static str, &InputFile); 8] {
        [
            ("licensed", &self.licensed),
            ("employed", &self.employed),
            ("licences_issued", &self.licences_issued),
            ("population", &self.population),
            ("population_projection", &self.population_projection),
            ("admissions", &self.admissions),
            ("care_use", &self.care_use),
            ("balance", &self.balance),
        ]
    }

    /// The entries with their keys, mutable.
    pub fn entries_mut(&mut self) -> [(&'static str, &mut InputFile); 8] {
        [
            ("licensed", &mut self.licensed),
            ("employed", &mut self.employed),
            ("licences_issued", &mut self.licences_issued),
            ("population", &mut self.population),
            ("population_projection", &mut self.population_projection),
            ("admissions", &mut self.admissions),
            ("care_use", &mut self.care_use),
            ("balance", &mut self.balance),
        ]
    }
}

impl Supply {
    /// The multiplier on group `code`'s continued ST starts (`st_starts_change`: its own entry,
    /// else `"*"`, else 1).
    pub fn st_change(&self, code: &str) -> f64 {
        self.st_starts_change
            .get(code)
            .or_else(|| self.st_starts_change.get("*"))
            .copied()
            .unwrap_or(1.0)
    }

    /// Whether counties' exits differ by age group, so that movement between counties is a flow
    /// of its own (`county_exits` on, `county_exits_by = "age"`).
    pub fn moves_by_age(&self) -> bool {
        self.county_exits && self.county_exits_by == super::movement::CountyExits::Age
    }
}

/// Supply parameters.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Supply {
    /// Number of most recent year-to-year transitions the exit rates are estimated from.
    pub exit_window: usize,
    /// Persons at risk an exit rate needs; smaller cells pool neighbouring ages until they have it.
    pub min_exposure: f64,
    /// Number of most recent employment years the employment shares and FTE are averaged over.
    pub employment_window: usize,
    /// Number of most recent years the inflows (foreign licences, licence age profiles) average over.
    pub inflow_window: usize,
    /// Number of most recent cohorts the completion rate averages over.
    pub completion_window: usize,
    /// Multiplier on licences issued on EU/EEA education.
    pub foreign_eu_factor: f64,
    /// Multiplier on licences issued on third-country education.
    pub foreign_tc_factor: f64,
    /// Relative change of every programme's annual admissions after the base year (0.1 = +10 %).
    pub admissions_change: f64,
    /// Whether county-specific exit levels (which include net movement between counties) are used.
    pub county_exits: bool,
    /// How a county's exits differ from the nation's when `county_exits` is on: `"age"` (a
    /// deviation per ten-year age group, which puts movement between counties at the ages people
    /// move; see [`super::movement`]; the default) or `"level"` (one factor on the national
    /// rates, its observed over its expected exits).
    #[serde(default)]
    pub county_exits_by: super::movement::CountyExits,
    /// Each county's level of the employment share and of FTE per licensed person: `"shrunk"` (its
    /// own level over `employment_window`, shrunk toward the national rate by its precision; the
    /// default), `"observed"` (its own level, unshrunk) or `"national"` (the national rates in
    /// every county). See [`super::anchor`].
    #[serde(default)]
    pub county_levels: super::anchor::Anchoring,
    /// How a specialist layer without a programme of its own (specialist physicians) is fed:
    /// `"rate"` (a certification rate per sex and age on the parent's persons without the
    /// layer's competence; the default), `"st"` (the certificates the ST starts of
    /// `supply.st_starts` make, placed as the rate would place them) or `"share"` (a share of the
    /// parent's Swedish licences a training time earlier). See [`super::supply::LayerFeed`].
    #[serde(default)]
    pub layer_feed: super::supply::LayerFeed,
    /// How admissions continue after the base year: `"none"` (the base year's level), `"auto"` (the
    /// linear trend or ETS model with the lowest AICc on each programme's national beginners),
    /// `"linear"`, `"damped"` or an ETS model (`"AAN"`, `"AAdN"`, …); see [`Trend`].
    #[serde(default)]
    pub admissions_trend: Trend,
    /// How licences on foreign education continue: `"none"` (their recent mean), or a method (see
    /// [`Trend`]) fitted to each profession's national EU/EEA and third-country licences.
    #[serde(default)]
    pub foreign_trend: Trend,
    /// How the employment share continues: `"none"` (its level over `employment_window`), or a
    /// method (see [`Trend`]) fitted to each profession's national share `employed / licensed` over
    /// the employment years up to the base year. The forecast over that level scales every sex,
    /// age and sector, capped each year so that no share exceeds 1.
    #[serde(default)]
    pub employment_trend: Trend,
    /// How FTE per employed person continues: `"none"` or a method fitted to each profession's
    /// national `FTE / employed`, applied as [`Supply::employment_trend`] is (without a cap).
    #[serde(default)]
    pub fte_trend: Trend,
    /// Licence years of a one-off wave per profession code (a new licence's transitional
    /// provisions, as for health and medical care counsellors 2019–2021): left out of every inflow
    /// window of that profession (Swedish and foreign licences, their age profiles, the share of
    /// graduates licensed, a layer's share), which take the most recent years outside the wave
    /// instead. Exits are still estimated over those years (the wave enters the stock it leaves).
    #[serde(default)]
    pub one_off_years: BTreeMap<String, Vec<i32>>,
    /// Relative change of admissions after the base year by programme (profession code) and
    /// health-care region (code), `"*"` for all: `{ SSK = { "*" = 0.1 }, LAK = { N = 0.2 } }`.
    /// The most specific entry wins (programme and region, programme, region, both `"*"`), then
    /// [`Supply::admissions_change`]; see [`super::levers::admissions_change`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub admissions: BTreeMap<String, BTreeMap<String, f64>>,
    /// Multipliers on licences issued on foreign education by profession (code or `"*"`) and
    /// origin: `{ SSK = { eu = 1.2, tc = 0.8 } }`; an origin not given keeps
    /// [`Supply::foreign_eu_factor`] / [`Supply::foreign_tc_factor`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign: BTreeMap<String, OriginFactors>,
    /// Years by which the employment profile (share employed and FTE per employed person, every
    /// sector) from age [`super::levers::RETIREMENT_FROM`] on moves to older ages in the projection
    /// years, by profession (code or `"*"`); negative moves it younger. See
    /// [`super::levers::shift_profile`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub retirement_shift: BTreeMap<String, f64>,
    /// A table of estimated rates replaced by the analyst's values (exit rates, employment shares,
    /// FTE per employed person, completion rates, shares licensed); see
    /// [`super::levers::read_overrides`] for its columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<SupplementFile>,
    /// Where the Swedish licences of each health-care region's graduates went: licences on
    /// Swedish education by profession, health-care region of education, county and year. With
    /// it, a national run splits each required intake over the health-care regions (see
    /// [`super::destinations`]); without it, the required intake is national only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destinations: Option<SupplementFile>,
    /// Specialists by specialty group (`data/codes/specialties.csv`), county, sex, age and year:
    /// with it, the layer the groups belong to is divided over them (see
    /// [`super::specialties`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialists: Option<SupplementFile>,
    /// Specialist training (ST) starts by specialty group, health-care region and year: which
    /// groups the coming certificates fall in, and (national runs) the required ST starts. Needs
    /// `specialists`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub st_starts: Option<SupplementFile>,
    /// Observed years of ST starts whose mean continues after the table's last year.
    #[serde(default = "three")]
    pub st_starts_window: u32,
    /// Multiplier on the continued ST starts after the base year, by specialty group code (`"*"`:
    /// every group).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub st_starts_change: BTreeMap<String, f64>,
}

/// Multipliers on licences issued on foreign education for one profession (see
/// [`Supply::foreign`]).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OriginFactors {
    /// EU/EEA education.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu: Option<f64>,
    /// Third-country education.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<f64>,
}

/// A trend method named in a scenario (see [`super::trend`]).
///
/// Spellings (case-insensitive, surrounding blanks ignored): `"none"` or `""`; `"auto"`;
/// `"linear"`; `"damped"`, an alias of the damped Holt model `"AAdN"`; or an ETS model in R's
/// letters (`"ANN"`, `"AAN"`, `"AAdN"`, `"MAN"`, `"MMdN"`, …).
///
/// A scenario holds the method checked: a spelling hwf does not know is an error when the scenario
/// is read, naming its key, and a written scenario names the method canonically (`"damped"` as
/// `"AAdN"`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Trend {
    /// Keep the base level.
    #[default]
    None,
    /// Choose among the linear trend and every ETS model by AICc.
    Auto,
    /// A linear trend `a + b·year`, fitted by OLS.
    Linear,
    /// This ETS model.
    Ets(super::ets::Spec),
}

impl Trend {
    /// The method as a scenario names it: `none`, `auto`, `linear` or an ETS model in R's letters
    /// (`AAdN`); [`Trend::try_from`] reads it back.
    pub fn code(&self) -> String {
        match self {
            Trend::None => "none".into(),
            Trend::Auto => "auto".into(),
            Trend::Linear => "linear".into(),
            Trend::Ets(spec) => spec.code(),
        }
    }
}

impl Serialize for Trend {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Trend {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Trend::try_from(s.as_str()).map_err(|e| {
            serde::de::Error::custom(format!(
                "{s:?}: {e}; or \"none\", \"auto\", \"linear\" or \"damped\""
            ))
        })
    }
}

impl TryFrom<&str> for Trend {
    type Error = String;

    fn try_from(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "" => Ok(Trend::None),
            "auto" => Ok(Trend::Auto),
            "linear" => Ok(Trend::Linear),
            "damped" => super::ets::Spec::try_from("AAdN").map(Trend::Ets),
            _ => super::ets::Spec::try_from(s).map(Trend::Ets),
        }
    }
}

/// A shift of demand from one profession to another, netting to zero in FTE.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Substitution {
    /// The profession that hands over tasks.
    pub from: String,
    /// The profession that takes them.
    pub to: String,
    /// Share of the giver's demand moved each year (compounding).
    pub share_per_year: f64,
}

/// Demand parameters.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Base-year imbalance per assessment: the share by which the principals' answer says demand
    /// exceeds (positive) or falls short of (negative) the employed FTE.
    pub imbalance: BTreeMap<String, f64>,
    /// Named annual growth factors: factor → (profession code or `*`) → annual rate.
    pub factors: BTreeMap<String, BTreeMap<String, f64>>,
    /// Task shifts between professions.
    #[serde(default)]
    pub substitution: Vec<Substitution>,
    /// Needs-based alternative: profession → FTE per 1,000 inhabitants (replaces the
    /// utilisation-based demand for that profession).
    #[serde(default)]
    pub density: BTreeMap<String, f64>,
    /// How care use per person continues: `"none"` (the base year's profile throughout) or a method
    /// (see [`Trend`]) fitted per sector to the age-standardised mean care use, when the care-use
    /// table has a year dimension.
    #[serde(default)]
    pub care_use_trend: Trend,
    /// Care use per person by service area, sex and age: with [`Demand::staffing`], demand is
    /// driven per service area (see [`super::services`]); without both, per sector by `care_use`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_use: Option<SupplementFile>,
    /// The staffing matrix: FTE by profession, sector and service area (and county), whose shares
    /// weight each profession's service areas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<SupplementFile>,
    /// Live births by county and year, covering the base year to the horizon (history and
    /// projection in one table): where given, care use at age 0 (maternity care's whole use)
    /// weights the year's births instead of the population aged 0 at the end of the year, which a
    /// population in age bands gives only as the ungrouping's share of its youngest band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub births: Option<SupplementFile>,
    /// What drives demand: the service areas (when both tables are given, the default) or the
    /// sectors' care use (`"sector"`, also for a scenario that inherits the tables).
    #[serde(default)]
    pub by: DemandBy,
}

/// What drives demand ([`Demand::by`]).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DemandBy {
    /// The service areas when `service_use` and `staffing` are both given, else the sectors.
    #[default]
    Auto,
    /// The sectors' care use (`care_use`), one profile per sector for every profession.
    Sector,
    /// The service areas (`service_use` and `staffing` required).
    Service,
}

impl Demand {
    /// Whether demand is driven by service area (see [`DemandBy`]).
    pub fn by_service(&self) -> bool {
        let tables = self.service_use.is_some() && self.staffing.is_some();
        match self.by {
            DemandBy::Auto | DemandBy::Service => tables,
            DemandBy::Sector => false,
        }
    }
}

/// Balance labels and the required-intake question.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Balance {
    /// Supply within this relative distance of demand is "balance".
    pub tolerance: f64,
    /// First year of the constant annual intake the required-intake calculation solves for.
    pub intake_from: i32,
    /// The last year of the window over which supply is to meet demand.
    pub target_year: i32,
    /// How the required intake is chosen over the window (see [`super::intake`]).
    #[serde(default)]
    pub intake_rule: super::intake::Rule,
    /// The window's length in years, ending in the target year; by default 1 (the target year
    /// alone).
    #[serde(default = "one")]
    pub window_years: u32,
    /// Whether the required intake also closes the base year's imbalance (otherwise it keeps it).
    #[serde(default = "yes")]
    pub close_gap: bool,
    /// Education capacity: the most beginners a year per profession code; a required intake above
    /// it is flagged, with the shortfall that remains at capacity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, f64>,
    /// The largest change of a profession's beginners from one year to the next, per profession
    /// code: its required intake becomes a path from today's beginners toward a level (see
    /// [`super::intake::path_level`]). Absent: the constant intake jumps in `intake_from`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub max_change: BTreeMap<String, f64>,
    /// Groups of professions whose intakes are solved together: the group's summed supply meets
    /// its summed demand by the rule, the group's intake split over its members in proportion to
    /// their beginners in the base year (see [`super::intake`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitutable: Vec<Vec<String>>,
}

fn yes() -> bool {
    true
}

fn three() -> u32 {
    3
}

fn one() -> u32 {
    1
}

impl Balance {
    /// The first year of the required intake's window.
    pub fn window_start(&self) -> i32 {
        let n = i32::try_from(self.window_years).unwrap_or(i32::MAX);
        self.target_year.saturating_sub(n.saturating_sub(1))
    }
}

/// A scenario as written (before checks).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name shown in outputs.
    pub name: String,
    /// A parent scenario (resolved away in the effective scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherits: Option<String>,
    /// Last year of observed licence data; the projection starts after it.
    pub base_year: i32,
    /// Last projected year.
    pub horizon: i32,
    /// Seed for anything random (Monte Carlo).
    pub seed: u64,
    /// Input tables.
    pub inputs: InputFiles,
    /// Supply parameters.
    pub supply: Supply,
    /// Demand parameters.
    pub demand: Demand,
    /// Balance parameters.
    pub balance: Balance,
    /// The distribution of every uncertain parameter (Monte Carlo).
    pub uncertainty: Uncertainty,
    /// Part of the country: the counties (or health-care regions) the run covers; absent, the
    /// whole country (see [`super::scope`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<super::scope::Scope>,
    /// Municipal health care per municipality: the two tables it needs (see [`super::municipal`]);
    /// absent, no municipal figures.
    #[serde(default, skip_serializing_if = "Municipal::is_empty")]
    pub municipal: Municipal,
}

/// The scenario's `[municipal]` section: the tables of municipal health care per municipality.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Municipal {
    /// Persons employed in municipal health care by municipality, profession, sex, age and year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employed: Option<SupplementFile>,
    /// Population by municipality, sex, age and year, the base year to the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<SupplementFile>,
}

impl Municipal {
    /// Whether the section names no table.
    pub fn is_empty(&self) -> bool {
        self.employed.is_none() && self.population.is_none()
    }
}

/// A probability distribution declared for one uncertain parameter.
///
/// `dist` names the family; the other keys are its parameters:
///
/// - `"fixed"`: the point estimate in every draw;
/// - `"beta"`: a rate drawn from the register's own counts, `Beta(alpha + weight·k, beta +
///   weight·(n − k))` for `k` events among `n` at risk, rescaled so that the draws centre on the
///   point estimate; `weight` below 1 widens the distribution (overdispersion), `alpha`/`beta` are
///   prior counts;
/// - `"normal"`: the point value plus `Normal(0, sd)` (a multiplier `Normal(1, sd)`, cut at zero,
///   for inflows);
/// - `"lognormal"`: a multiplier `exp(Normal(−sd²/2, sd))` with mean 1;
/// - `"trend"`: paths simulated from the model (ETS or linear) the scenario's trend fitted (its
///   prediction distribution; see [`super::trend`]);
/// - `"estimated"`: variation measured in the history (process variation, see
///   [`super::variation`]).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dist {
    /// The family: `fixed`, `beta`, `normal`, `lognormal`, `trend` or `estimated`.
    pub dist: String,
    /// beta: multiplier on the observed counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// beta: prior count of events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// beta: prior count of non-events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<f64>,
    /// normal, lognormal: standard deviation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
}

/// A checked [`Dist`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Law {
    /// The point estimate.
    Fixed,
    /// Beta from counts: weight, prior events, prior non-events.
    Beta {
        /// Multiplier on the counts.
        weight: f64,
        /// Prior events.
        alpha: f64,
        /// Prior non-events.
        beta: f64,
    },
    /// Additive normal noise (a multiplier around 1 for inflows).
    Normal {
        /// Standard deviation.
        sd: f64,
    },
    /// A log-normal multiplier with mean 1.
    LogNormal {
        /// Standard deviation of the logarithm.
        sd: f64,
    },
    /// The trend model's simulated paths.
    Trend,
    /// Variation estimated from the history (see [`super::variation`]).
    Estimated,
}

impl Dist {
    /// Checks the declaration against the families `allowed` for the parameter at `key`.
    ///
    /// # Errors
    ///
    /// A message naming the key: an unknown or disallowed family, a missing parameter, a negative
    /// count or weight, a negative or non-finite standard deviation.
    pub fn law(&self, key: &str, allowed: &[&str]) -> Result<Law, (String, String)> {
        let name = self.dist.trim().to_ascii_lowercase();
        if !allowed.contains(&name.as_str()) {
            return Err((
                format!("{key}.dist"),
                format!("{:?}; expected one of {allowed:?}", self.dist),
            ));
        }
        let stray = |keys: &[(&str, bool)]| {
            keys.iter().find(|(_, set)| *set).map(|(k, _)| {
                (
                    format!("{key}.{k}"),
                    format!("is not a parameter of {name}"),
                )
            })
        };
        let sd = |d: &Dist| -> Result<f64, (String, String)> {
            match d.sd {
                Some(v) if v.is_finite() && v >= 0.0 => Ok(v),
                Some(v) => Err((
                    format!("{key}.sd"),
                    format!("{v}; expected a standard deviation of zero or more"),
                )),
                None => Err((
                    format!("{key}.sd"),
                    format!("missing; {name} needs a standard deviation"),
                )),
            }
        };
        match name.as_str() {
            "fixed" | "trend" | "estimated" => {
                if let Some(e) = stray(&[
                    ("weight", self.weight.is_some()),
                    ("alpha", self.alpha.is_some()),
                    ("beta", self.beta.is_some()),
                    ("sd", self.sd.is_some()),
                ]) {
                    return Err(e);
                }
                Ok(match name.as_str() {
                    "fixed" => Law::Fixed,
                    "trend" => Law::Trend,
                    _ => Law::Estimated,
                })
            }
            "beta" => {
                if let Some(e) = stray(&[("sd", self.sd.is_some())]) {
                    return Err(e);
                }
                let count = |k: &str, v: Option<f64>, default: f64| match v {
                    None => Ok(default),
                    Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
                    Some(x) => Err((
                        format!("{key}.{k}"),
                        format!("{x}; a beta distribution's counts cannot be negative"),
                    )),
                };
                Ok(Law::Beta {
                    weight: count("weight", self.weight, 1.0)?,
                    alpha: count("alpha", self.alpha, 0.5)?,
                    beta: count("beta", self.beta, 0.5)?,
                })
            }
            "normal" | "lognormal" => {
                if let Some(e) = stray(&[
                    ("weight", self.weight.is_some()),
                    ("alpha", self.alpha.is_some()),
                    ("beta", self.beta.is_some()),
                ]) {
                    return Err(e);
                }
                let sd = sd(self)?;
                Ok(if name == "normal" {
                    Law::Normal { sd }
                } else {
                    Law::LogNormal { sd }
                })
            }
            _ => Err((format!("{key}.dist"), format!("{:?} is unknown", self.dist))),
        }
    }
}

/// The uncertain parameters and their distributions.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Percentiles reported (0–100), e.g. `[10, 50, 90]`.
    pub quantiles: Percentiles,
    /// Draws when the command line does not say (absent: a point projection only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<usize>,
    /// Exit rates (`fixed` or `beta` from exits and persons at risk).
    pub exit: Dist,
    /// Completion rates (`fixed` or `beta` from graduates and beginners).
    pub completion: Dist,
    /// Licences on foreign education (`fixed`, `normal`, `lognormal`: one level per draw,
    /// profession and origin; `trend` with `supply.foreign_trend`: a path; `estimated`: the
    /// window level's error and each year's variation, from the history's yearly spread, see
    /// [`super::variation::Variation::foreign`]).
    pub foreign: Dist,
    /// Admissions after the base year (`fixed`, or `trend` with `supply.admissions_trend`).
    pub admissions: Dist,
    /// Each named demand factor's annual rate (`fixed` or `normal`): one draw per factor, shared by
    /// every profession, so professions move together.
    pub growth: Dist,
    /// Base-year imbalance (`fixed` or `normal`): one shift per profession and draw.
    pub imbalance: Dist,
    /// Employment share (`fixed`, or `trend` with `supply.employment_trend`): a path per
    /// profession and draw.
    #[serde(default = "fixed")]
    pub employment: Dist,
    /// FTE per employed person (`fixed`, or `trend` with `supply.fte_trend`).
    #[serde(default = "fixed")]
    pub fte: Dist,
    /// Care use per person (`fixed` only; its trend enters at the point forecast).
    #[serde(default = "fixed")]
    pub care_use: Dist,
    /// Year-to-year variation of each county's stock beyond the rates (`fixed`: none;
    /// `estimated`: from the history's one-step residuals, see [`super::variation`]).
    #[serde(default = "estimated")]
    pub process: Dist,
    /// County variation of FTE per licensed person around the national pattern (`fixed` or
    /// `estimated`, see [`super::variation`]).
    #[serde(default = "estimated")]
    pub ratio: Dist,
    /// The population projection's error by county (`fixed` or `estimated` from the history's
    /// year-to-year growth variation, see [`super::variation::population_sd`]): a random walk on
    /// each county's demand, shared by every profession.
    #[serde(default = "estimated")]
    pub population: Dist,
    /// The model's own error beyond the other sources (`fixed`: none, the default; `estimated`:
    /// random drifts of each profession's national licensed persons and FTE, from reruns of the
    /// projection from earlier base years where the other sources do not already hold them, see
    /// [`super::backtest::model_slopes`]).
    #[serde(default = "fixed")]
    pub model: Dist,
}

fn estimated() -> Dist {
    Dist {
        dist: "estimated".into(),
        ..fixed()
    }
}

fn fixed() -> Dist {
    Dist {
        dist: "fixed".into(),
        weight: None,
        alpha: None,
        beta: None,
        sd: None,
    }
}

/// The checked distributions of a scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Laws {
    /// Exit rates.
    pub exit: Law,
    /// Completion rates.
    pub completion: Law,
    /// Foreign licences.
    pub foreign: Law,
    /// Admissions.
    pub admissions: Law,
    /// Demand growth factors.
    pub growth: Law,
    /// Base-year imbalance.
    pub imbalance: Law,
    /// Employment share.
    pub employment: Law,
    /// FTE per employed person.
    pub fte: Law,
    /// Care use per person.
    pub care_use: Law,
    /// County stocks' process variation.
    pub process: Law,
    /// County FTE-per-licensed variation.
    pub ratio: Law,
    /// County population projection error.
    pub population: Law,
    /// The model's own error, from reruns.
    pub model: Law,
}

impl Uncertainty {
    /// The checked distributions.
    ///
    /// # Errors
    ///
    /// `(key, message)` for the first declaration that is wrong.
    pub fn laws(&self) -> Result<Laws, (String, String)> {
        let u = "uncertainty";
        Ok(Laws {
            exit: self.exit.law(&format!("{u}.exit"), &["fixed", "beta"])?,
            completion: self
                .completion
                .law(&format!("{u}.completion"), &["fixed", "beta"])?,
            foreign: self.foreign.law(
                &format!("{u}.foreign"),
                &["fixed", "normal", "lognormal", "trend", "estimated"],
            )?,
            admissions: self
                .admissions
                .law(&format!("{u}.admissions"), &["fixed", "trend"])?,
            growth: self
                .growth
                .law(&format!("{u}.growth"), &["fixed", "normal"])?,
            imbalance: self
                .imbalance
                .law(&format!("{u}.imbalance"), &["fixed", "normal"])?,
            employment: self
                .employment
                .law(&format!("{u}.employment"), &["fixed", "trend"])?,
            fte: self.fte.law(&format!("{u}.fte"), &["fixed", "trend"])?,
            care_use: self.care_use.law(&format!("{u}.care_use"), &["fixed"])?,
            process: self
                .process
                .law(&format!("{u}.process"), &["fixed", "estimated"])?,
            ratio: self
                .ratio
                .law(&format!("{u}.ratio"), &["fixed", "estimated"])?,
            population: self
                .population
                .law(&format!("{u}.population"), &["fixed", "estimated"])?,
            model: self
                .model
                .law(&format!("{u}.model"), &["fixed", "estimated"])?,
        })
    }
}

/// Percentiles to report (0–100), checked when made: at least one, each within 0–100, in
/// increasing order and each once (the first and last are a band's edges). A scenario's
/// `uncertainty.quantiles` and `--quantiles` are read into one, so the Monte Carlo kernel
/// ([`super::montecarlo::Kernel::run`]) never sees an unchecked list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Percentiles(Vec<f64>);

impl Percentiles {
    /// Checks `q` (see the type).
    ///
    /// # Errors
    ///
    /// A message naming the first percentile out of order or outside 0–100, or saying there is
    /// none.
    pub fn new(q: Vec<f64>) -> Result<Percentiles, String> {
        if q.is_empty() {
            return Err("no percentiles; expected one or more from 0 to 100".into());
        }
        if let Some(w) = q.windows(2).find(|w| w[0] >= w[1]) {
            return Err(format!(
                "{} then {}; expected percentiles in increasing order, each once",
                w[0], w[1]
            ));
        }
        match q.iter().find(|v| !(0.0..=100.0).contains(*v)) {
            Some(v) => Err(format!("{v}; expected percentiles from 0 to 100")),
            None => Ok(Percentiles(q)),
        }
    }

    /// The 10th and 90th percentiles (a P10–P90 band's edges alone).
    pub fn p10_p90() -> Percentiles {
        Percentiles(vec![10.0, 90.0])
    }

    /// The band's edges: the lowest and the highest percentile.
    pub fn edges(&self) -> (f64, f64) {
        (self.0[0], self.0[self.0.len() - 1])
    }
}

impl std::ops::Deref for Percentiles {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Percentiles {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Percentiles::new(Vec::<f64>::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Where each effective value came from: dotted key → file (`embedded default` for the default).
pub type Provenance = BTreeMap<String, String>;

fn merge(
    base: &mut toml::Table,
    over: &toml::Table,
    source: &str,
    prov: &mut Provenance,
    prefix: &str,
) {
    for (k, v) in over {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        // A distribution that names its family replaces the parent's whole declaration (its
        // parameters belong to the family); an input that names a file replaces the parent's
        // entry, whose checksum belongs to the parent's file.
        let replaces = (prefix == "uncertainty" && v.get("dist").is_some())
            || ((prefix == "inputs"
                || prefix.starts_with("inputs.")
                || SUPPLEMENTS.iter().any(|(s, k)| key == format!("{s}.{k}")))
                && v.get("file").is_some());
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !replaces => {
                merge(b, o, source, prov, &key)
            }
            _ => {
                base.insert(k.clone(), v.clone());
                record(v, source, prov, &key);
            }
        }
    }
}

fn record(v: &toml::Value, source: &str, prov: &mut Provenance, key: &str) {
    prov.retain(|k, _| k != key && !k.starts_with(&format!("{key}.")));
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                record(x, source, prov, &format!("{key}.{k}"));
            }
        }
        _ => {
            prov.insert(key.to_string(), source.to_string());
        }
    }
}

/// Most scenario files in one `inherits` chain.
pub const MAX_INHERITS: usize = 16;

/// Most bytes of one scenario file (a scenario is a page of TOML; `/dev/zero` is not).
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// Reads a scenario file, never more than [`MAX_SCENARIO_BYTES`] (also from a FIFO or a device).
fn read_scenario_text(p: &Path) -> Result<String, ModelError> {
    let err = |message: String| ModelError::Scenario {
        file: p.display().to_string(),
        key: String::new(),
        message,
    };
    let limits = crate::ingest::Limits {
        max_input_bytes: MAX_SCENARIO_BYTES,
        ..crate::ingest::Limits::default()
    };
    let bytes = crate::ingest::read_capped(p, &limits, false).map_err(|e| match e {
        crate::ingest::IngestError::Io { source, .. } => err(source.to_string()),
        other => err(other.to_string()),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "byte {} is not UTF-8; expected a TOML text in UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn parse_table(text: &str, source: &str) -> Result<toml::Table, ModelError> {
    text.parse::<toml::Table>()
        .map_err(|e| ModelError::Scenario {
            file: source.to_string(),
            key: String::new(),
            message: e.to_string().trim_end().replace('\n', " "),
        })
}

/// The name a scenario file that sets no `name` goes by: its file name without `.toml`. `None`
/// for the embedded default and for a file that names its scenario.
fn file_name_as_scenario_name(
    (source, table, _): &(String, toml::Table, PathBuf),
) -> Option<String> {
    if source == "embedded default" || table.contains_key("name") {
        return None;
    }
    let path = Path::new(source);
    let stem = path.file_stem().unwrap_or(path.as_os_str());
    Some(stem.to_string_lossy().into_owned())
}

/// Loads a scenario file (or the embedded default with `None`), resolving inheritance.
///
/// # Errors
///
/// [`ModelError::Scenario`] for an unreadable file, bad TOML, an inheritance cycle, an unknown or
/// missing key, and every check of [`Scenario::check`].
pub fn load(path: Option<&Path>) -> Result<(Scenario, Provenance, PathBuf), ModelError> {
    let mut chain: Vec<(String, toml::Table, PathBuf)> = Vec::new();
    let mut next: Option<PathBuf> = path.map(Path::to_path_buf);
    loop {
        let Some(p) = next.take() else {
            chain.push((
                "embedded default".into(),
                parse_table(DEFAULT, "embedded default")?,
                PathBuf::new(),
            ));
            break;
        };
        if chain.iter().any(|(s, _, _)| *s == p.display().to_string()) {
            return Err(ModelError::Scenario {
                file: p.display().to_string(),
                key: "inherits".into(),
                message: "an inheritance cycle".into(),
            });
        }
        if chain.len() > MAX_INHERITS {
            return Err(ModelError::Scenario {
                file: p.display().to_string(),
                key: "inherits".into(),
                message: format!(
                    "a chain of more than {MAX_INHERITS} scenario files (no cycle); expected at \
                     most {MAX_INHERITS}"
                ),
            });
        }
        let text = read_scenario_text(&p)?;
        let t = parse_table(&text, &p.display().to_string())?;
        let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
        next = match t.get("inherits").and_then(|v| v.as_str()) {
            Some("default") | None => None,
            Some(parent) => Some(base.join(parent)),
        };
        chain.push((p.display().to_string(), t, base));
    }
    let mut prov = Provenance::new();
    let mut merged = toml::Table::new();
    let mut base_dir = PathBuf::new();
    for (source, t, dir) in chain.iter().rev() {
        // Relative input paths are taken from the folder of the file that names them.
        let mut t = t.clone();
        let relative = |f: &mut String| {
            if !f.starts_with("embedded:") && Path::new(f.as_str()).is_relative() {
                *f = dir.join(&*f).display().to_string();
            }
        };
        if let Some(toml::Value::Table(inputs)) = t.get_mut("inputs") {
            for (_, v) in inputs.iter_mut() {
                if let Some(toml::Value::String(f)) = v.get_mut("file") {
                    relative(f);
                }
                // The tables that supply pieces of the employed input (`fte`, `sectors`).
                for piece in ["fte", "sectors"] {
                    if let Some(toml::Value::String(f)) =
                        v.get_mut(piece).and_then(|x| x.get_mut("file"))
                    {
                        relative(f);
                    }
                }
            }
        }
        // The scenario's own tables likewise.
        for (section, key) in SUPPLEMENTS {
            if let Some(toml::Value::String(f)) = t
                .get_mut(section)
                .and_then(|s| s.get_mut(key))
                .and_then(|r| r.get_mut("file"))
            {
                relative(f);
            }
        }
        merge(&mut merged, &t, source, &mut prov, "");
        base_dir = dir.clone();
    }
    merged.remove("inherits");
    prov.remove("inherits");
    let leaf = chain.first().map(|c| c.0.clone()).unwrap_or_default();
    // A file that names no scenario is called by its file name: a variant of a named scenario is
    // another scenario, and a planner's file of own inputs is not "default".
    if let Some(stem) = file_name_as_scenario_name(&chain[0]) {
        merged.insert("name".into(), toml::Value::String(stem));
        prov.insert("name".into(), format!("{leaf} (its file name)"));
    }
    let mut scenario: Scenario =
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| ModelError::Scenario {
                file: leaf.clone(),
                key: String::new(),
                message: e.to_string().trim_end().replace('\n', " "),
            })?;
    for (key, f) in scenario.inputs.entries_mut() {
        if f.sha256.is_some() {
            f.pinned_by = prov.get(&format!("inputs.{key}.sha256")).cloned();
        }
        for (piece, s) in [("fte", &mut f.fte), ("sectors", &mut f.sectors)] {
            if let Some(Supplement::File(s)) = s
                && s.sha256.is_some()
            {
                s.pinned_by = prov.get(&format!("inputs.{key}.{piece}.sha256")).cloned();
            }
        }
    }
    for (key, table) in [
        ("supply.rates", &mut scenario.supply.rates),
        ("supply.destinations", &mut scenario.supply.destinations),
        ("supply.specialists", &mut scenario.supply.specialists),
        ("supply.st_starts", &mut scenario.supply.st_starts),
        ("demand.service_use", &mut scenario.demand.service_use),
        ("demand.staffing", &mut scenario.demand.staffing),
        ("demand.births", &mut scenario.demand.births),
        ("municipal.employed", &mut scenario.municipal.employed),
        ("municipal.population", &mut scenario.municipal.population),
    ] {
        if let Some(r) = table
            && r.sha256.is_some()
        {
            r.pinned_by = prov.get(&format!("{key}.sha256")).cloned();
        }
    }
    scenario.check(&leaf)?;
    Ok((scenario, prov, base_dir))
}

/// A scenario key and what is wrong with it (see [`Scenario::check`]).
type Bad = (String, String);

/// The error of a key.
fn bad<T>(key: &str, message: String) -> Result<T, Bad> {
    Err((key.to_string(), message))
}

impl Scenario {
    /// Checks ranges and relations.
    ///
    /// # Errors
    ///
    /// [`ModelError::Scenario`] naming the key and what was expected.
    pub fn check(&self, source: &str) -> Result<(), ModelError> {
        self.check_frame()
            .and_then(|()| self.check_municipal())
            .and_then(|()| self.check_supply())
            .and_then(|()| self.check_demand())
            .and_then(|()| self.check_uncertainty())
            .and_then(|()| self.check_balance())
            .map_err(|(key, message)| ModelError::Scenario {
                file: source.to_string(),
                key,
                message,
            })
    }

    /// The two municipal tables, both or neither.
    fn check_municipal(&self) -> Result<(), Bad> {
        match (&self.municipal.employed, &self.municipal.population) {
            (Some(_), None) => bad(
                "municipal.population",
                "missing; `municipal.employed` needs each municipality's population by sex and age from the base year to the horizon".into(),
            ),
            (None, Some(_)) => bad(
                "municipal.employed",
                "missing; `municipal.population` is used only with the persons employed in municipal health care by municipality".into(),
            ),
            _ => Ok(()),
        }
    }

    /// The horizon, the demand tables that go together, the inputs' pieces and the scope.
    fn check_frame(&self) -> Result<(), Bad> {
        if self.horizon <= self.base_year {
            return bad(
                "horizon",
                format!(
                    "{} is not after base_year {}; expected a later year",
                    self.horizon, self.base_year
                ),
            );
        }
        if self.horizon > self.base_year + 60 {
            return bad(
                "horizon",
                format!("{} is more than 60 years after the base year", self.horizon),
            );
        }
        match (
            &self.demand.service_use,
            &self.demand.staffing,
            self.demand.by,
        ) {
            (Some(_), None, DemandBy::Auto | DemandBy::Service) => {
                return bad(
                    "demand.staffing",
                    "missing: care use by service area (`demand.service_use`) needs the staffing matrix that weights it per profession; expected `staffing = { file = \"…\" }` (or `by = \"sector\"`)".into(),
                );
            }
            (None, Some(_), DemandBy::Auto | DemandBy::Service) => {
                return bad(
                    "demand.service_use",
                    "missing: the staffing matrix (`demand.staffing`) needs the care use per service area it weights; expected `service_use = { file = \"…\" }` (or `by = \"sector\"`)".into(),
                );
            }
            (None, None, DemandBy::Service) => {
                return bad(
                    "demand.by",
                    "\"service\" needs `demand.service_use` and `demand.staffing`; expected both tables, or \"sector\"".into(),
                );
            }
            _ => {}
        }
        for (key, f) in self.inputs.entries() {
            for (piece, s) in [("fte", &f.fte), ("sectors", &f.sectors)] {
                let Some(s) = s else { continue };
                if key != "employed" {
                    return bad(
                        &format!("inputs.{key}.{piece}"),
                        "a key of the employed input only; expected it under [inputs.employed]"
                            .into(),
                    );
                }
                if let Supplement::Word(w) = s
                    && w.trim() != EMBEDDED_PROFILE
                {
                    return bad(
                        &format!("inputs.{key}.{piece}"),
                        format!(
                            "{w:?}; expected \"embedded\" (the embedded profile) or a table, {{ file = \"…\" }}"
                        ),
                    );
                }
            }
            match f.missing.as_deref().map(str::trim) {
                None | Some("error") => {}
                Some("impute") if key == "care_use" => {
                    return bad(
                        &format!("inputs.{key}.missing"),
                        "\"impute\" fills counts from the table's totals, and care use is a rate per person, not a count; expected \"error\"".into(),
                    );
                }
                Some("impute") => {}
                Some(other) => {
                    return bad(
                        &format!("inputs.{key}.missing"),
                        format!(
                            "{other:?}; expected \"error\" (cells without a number stop the run, all listed at once) or \"impute\" (filled from the table's totals, status estimated)"
                        ),
                    );
                }
            }
        }
        if let Err((key, message)) = super::scope::Area::of(self.scope.as_ref()) {
            return bad(&key, message);
        }
        Ok(())
    }

    /// The `[supply]` section: windows, factors, trend methods, one-off years, levers.
    fn check_supply(&self) -> Result<(), Bad> {
        let s = &self.supply;
        for (k, v) in [
            ("supply.exit_window", s.exit_window),
            ("supply.employment_window", s.employment_window),
            ("supply.inflow_window", s.inflow_window),
            ("supply.completion_window", s.completion_window),
        ] {
            if v == 0 || v > 30 {
                return bad(k, format!("{v}; expected a window of 1 to 30 years"));
            }
        }
        if s.st_starts_window == 0 || s.st_starts_window > 30 {
            return bad(
                "supply.st_starts_window",
                format!("{}; expected a window of 1 to 30 years", s.st_starts_window),
            );
        }
        if s.st_starts.is_some() && s.specialists.is_none() {
            return bad(
                "supply.st_starts",
                "given without supply.specialists; the ST starts divide the specialists the specialists table gives by group, so name that table too".into(),
            );
        }
        let groups = &crate::codes::CodeLists::get().specialties;
        for (code, v) in &s.st_starts_change {
            if code != "*" && !groups.iter().any(|g| g.code == *code) {
                return bad(
                    &format!("supply.st_starts_change.{code}"),
                    format!(
                        "no specialty group {code:?}; expected \"*\" or one of {}",
                        groups
                            .iter()
                            .map(|g| g.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if !(0.0..=10.0).contains(v) {
                return bad(
                    &format!("supply.st_starts_change.{code}"),
                    format!("{v}; expected a multiplier from 0 to 10"),
                );
            }
        }
        if s.min_exposure.is_nan() || s.min_exposure < 0.0 {
            return bad(
                "supply.min_exposure",
                format!("{}; expected zero or more persons", s.min_exposure),
            );
        }
        for (k, v) in [
            ("supply.foreign_eu_factor", s.foreign_eu_factor),
            ("supply.foreign_tc_factor", s.foreign_tc_factor),
        ] {
            if !(0.0..=10.0).contains(&v) {
                return bad(k, format!("{v}; expected a multiplier from 0 to 10"));
            }
        }
        // A wave is a fact about a licence, declared once for every dataset: a profession the
        // data lack is passed over, a code no list knows is an error.
        if let Some(p) = s
            .one_off_years
            .keys()
            .find(|p| crate::codes::CodeLists::get().profession(p).is_none())
        {
            return bad(
                &format!("supply.one_off_years.{p}"),
                "an unknown profession code; expected one of the code list's (see `hwf codes professions`)"
                    .to_string(),
            );
        }
        if let Some((p, y)) = s.one_off_years.iter().find_map(|(p, ys)| {
            ys.iter()
                .find(|y| !(1900..=self.base_year).contains(*y))
                .map(|y| (p, y))
        }) {
            return bad(
                &format!("supply.one_off_years.{p}"),
                format!(
                    "{y}; expected licence years from 1900 up to the base year {}",
                    self.base_year
                ),
            );
        }
        if let Err((key, message)) = super::levers::check(s) {
            return bad(&key, message);
        }
        if !(-1.0..=10.0).contains(&s.admissions_change) {
            return bad(
                "supply.admissions_change",
                format!(
                    "{}; expected a relative change from −1 (none) up",
                    s.admissions_change
                ),
            );
        }
        Ok(())
    }

    /// The `[demand]` section: imbalance, factors, substitution, density.
    fn check_demand(&self) -> Result<(), Bad> {
        for (k, v) in &self.demand.imbalance {
            if !super::inputs::ASSESSMENTS.contains(&k.as_str()) {
                return bad(
                    &format!("demand.imbalance.{k}"),
                    format!(
                        "an unknown assessment; expected one of {:?}",
                        super::inputs::ASSESSMENTS
                    ),
                );
            }
            if !(-0.9..=0.9).contains(v) {
                return bad(
                    &format!("demand.imbalance.{k}"),
                    format!("{v}; expected a share from −0.9 to 0.9"),
                );
            }
        }
        for (f, per) in &self.demand.factors {
            for (p, v) in per {
                if !(-0.5..=0.5).contains(v) {
                    return bad(
                        &format!("demand.factors.{f}.{p}"),
                        format!("{v}; expected an annual rate from −0.5 to 0.5"),
                    );
                }
            }
        }
        for (i, sub) in self.demand.substitution.iter().enumerate() {
            if !(0.0..1.0).contains(&sub.share_per_year) {
                return bad(
                    &format!("demand.substitution[{i}].share_per_year"),
                    format!("{}; expected a share from 0 up to 1", sub.share_per_year),
                );
            }
            if sub.from == sub.to {
                return bad(
                    &format!("demand.substitution[{i}]"),
                    format!(
                        "from and to are both {}; expected two professions",
                        sub.from
                    ),
                );
            }
        }
        for (p, v) in &self.demand.density {
            if !(*v >= 0.0 && *v < 1000.0) {
                return bad(
                    &format!("demand.density.{p}"),
                    format!("{v}; expected FTE per 1,000 inhabitants from 0 to 1000"),
                );
            }
        }
        Ok(())
    }

    /// The `[uncertainty]` section: percentiles, draws, laws and what each needs.
    fn check_uncertainty(&self) -> Result<(), Bad> {
        let s = &self.supply;
        let u = &self.uncertainty;
        if u.draws == Some(0) {
            return bad(
                "uncertainty.draws",
                "0; expected one draw or more (leave the key out for a point projection)".into(),
            );
        }
        let laws = match u.laws() {
            Ok(l) => l,
            Err((k, m)) => return bad(&k, m),
        };
        for (law, trend, key, needs) in [
            (
                laws.foreign,
                &s.foreign_trend,
                "uncertainty.foreign.dist",
                "supply.foreign_trend",
            ),
            (
                laws.admissions,
                &s.admissions_trend,
                "uncertainty.admissions.dist",
                "supply.admissions_trend",
            ),
            (
                laws.employment,
                &s.employment_trend,
                "uncertainty.employment.dist",
                "supply.employment_trend",
            ),
            (
                laws.fte,
                &s.fte_trend,
                "uncertainty.fte.dist",
                "supply.fte_trend",
            ),
        ] {
            if law == Law::Trend && *trend == Trend::None {
                return bad(
                    key,
                    format!("\"trend\" needs a trend model; {needs} is \"none\""),
                );
            }
        }
        Ok(())
    }

    /// The `[balance]` section: tolerance, target year, intake window, capacity, limits, groups.
    fn check_balance(&self) -> Result<(), Bad> {
        let b = &self.balance;
        if !(0.0..0.5).contains(&b.tolerance) {
            return bad(
                "balance.tolerance",
                format!(
                    "{}; expected a relative tolerance from 0 up to 0.5",
                    b.tolerance
                ),
            );
        }
        if b.target_year <= self.base_year || b.target_year > self.horizon {
            return bad(
                "balance.target_year",
                format!(
                    "{}; expected a year after the base year and no later than the horizon {}",
                    b.target_year, self.horizon
                ),
            );
        }
        if b.intake_from <= self.base_year || b.intake_from > b.target_year {
            return bad(
                "balance.intake_from",
                format!(
                    "{}; expected a year after the base year and no later than the target year",
                    b.intake_from
                ),
            );
        }
        if b.window_years == 0 || b.window_start() <= self.base_year {
            return bad(
                "balance.window_years",
                format!(
                    "{}; expected 1 to {} years (the window ends in the target year {} and starts after the base year {})",
                    b.window_years,
                    b.target_year - self.base_year,
                    b.target_year,
                    self.base_year
                ),
            );
        }
        if let Some((p, c)) = b.capacity.iter().find(|(_, c)| !c.is_finite() || **c < 0.0) {
            return bad(
                &format!("balance.capacity.{p}"),
                format!("{c}; expected a number of beginners a year, 0 or more"),
            );
        }
        if let Some((p, n)) = b
            .max_change
            .iter()
            .find(|(_, n)| !n.is_finite() || **n <= 0.0)
        {
            return bad(
                &format!("balance.max_change.{p}"),
                format!("{n}; expected a largest change of beginners a year above 0"),
            );
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, group) in b.substitutable.iter().enumerate() {
            if group.len() < 2 {
                return bad(
                    &format!("balance.substitutable[{i}]"),
                    format!("{group:?}; expected a group of two or more profession codes"),
                );
            }
            for code in group {
                if let Some(j) = seen.insert(code, i) {
                    return bad(
                        &format!("balance.substitutable[{i}]"),
                        format!(
                            "\"{code}\" is already in balance.substitutable[{j}]; expected each profession in one group at most"
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Every profession code the scenario names (factors, substitution, density).
    pub fn professions_named(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (f, per) in &self.demand.factors {
            for p in per.keys().filter(|p| *p != "*") {
                out.push((format!("demand.factors.{f}.{p}"), p.clone()));
            }
        }
        for (i, s) in self.demand.substitution.iter().enumerate() {
            out.push((format!("demand.substitution[{i}].from"), s.from.clone()));
            out.push((format!("demand.substitution[{i}].to"), s.to.clone()));
        }
        for p in self.demand.density.keys() {
            out.push((format!("demand.density.{p}"), p.clone()));
        }
        for p in self.balance.capacity.keys() {
            out.push((format!("balance.capacity.{p}"), p.clone()));
        }
        for p in self.balance.max_change.keys() {
            out.push((format!("balance.max_change.{p}"), p.clone()));
        }
        for (i, group) in self.balance.substitutable.iter().enumerate() {
            for p in group {
                out.push((format!("balance.substitutable[{i}]"), p.clone()));
            }
        }
        let s = &self.supply;
        let keys = s
            .admissions
            .keys()
            .map(|p| ("admissions", p))
            .chain(s.foreign.keys().map(|p| ("foreign", p)))
            .chain(s.retirement_shift.keys().map(|p| ("retirement_shift", p)));
        for (lever, p) in keys.filter(|(_, p)| *p != "*") {
            out.push((format!("supply.{lever}.{p}"), p.clone()));
        }
        out
    }

    /// The effective scenario as pretty TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// The bytes of an input, and its checksum, verifying a pinned one. `key` is the input's key
/// under `[inputs]` (`licensed`, `employed.fte`) or a scenario key of its own (`supply.rates`), as
/// messages name it.
///
/// # Errors
///
/// [`ModelError::Scenario`] for an unreadable file or a checksum that no longer matches.
pub fn input_bytes(key: &str, f: &InputFile) -> Result<(String, Vec<u8>, String), ModelError> {
    // Inputs are keyed under `[inputs]`; a scenario's own tables (`supply.rates`) by their key.
    let dotted = if key.starts_with("supply.") || key.starts_with("demand.") {
        key.to_string()
    } else {
        format!("inputs.{key}")
    };
    let (name, bytes) = match f.file.strip_prefix("embedded:") {
        Some(n) => (
            format!("{}/{n}", crate::defaults::DIR),
            crate::defaults::bytes(n)
                .ok_or_else(|| ModelError::Scenario {
                    file: f.file.clone(),
                    key: format!("{dotted}.file"),
                    message: format!(
                        "no embedded file {n:?}; expected one of {:?}",
                        crate::defaults::FILES.map(|x| x.0)
                    ),
                })?
                .to_vec(),
        ),
        None => (
            f.file.clone(),
            std::fs::read(&f.file).map_err(|e| ModelError::Scenario {
                file: f.file.clone(),
                key: format!("{dotted}.file"),
                message: e.to_string(),
            })?,
        ),
    };
    let sum = hex(&Sha256::digest(&bytes));
    if let Some(want) = &f.sha256
        && !want.eq_ignore_ascii_case(&sum)
    {
        let by = match f.pinned_by.as_deref() {
            Some("embedded default") => "the embedded default scenario".to_string(),
            Some(p) => format!("the scenario {p}"),
            None => "the scenario".to_string(),
        };
        return Err(ModelError::Scenario {
            file: name,
            key: format!("{dotted}.sha256"),
            message: format!(
                "the file's SHA-256 is {sum}, but {by} pins {want}: the input has changed (remove `sha256` or set it to the new checksum)"
            ),
        });
    }
    Ok((name, bytes, sum))
}

/// Lower-case hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The effective scenario for people (`hwf scenario show`): a line per value, as `dotted.key =
/// value`, keys aligned, each followed by the file it came from (the longest key of `prov` that
/// is the value's key or a table above it; `embedded default` where none is).
///
/// # Errors
///
/// When the scenario cannot be written as TOML.
pub fn show(sc: &Scenario, prov: &Provenance) -> Result<String, toml::ser::Error> {
    use std::fmt::Write as _;
    let flat = flatten(&toml::Value::try_from(sc)?, "");
    let width = flat.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (k, v) in flat {
        let from = prov
            .iter()
            .filter(|(p, _)| k == **p || k.starts_with(&format!("{p}.")))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, s)| s.as_str())
            .unwrap_or("embedded default");
        let _ = writeln!(s, "{k:<width$} = {v}    # {from}");
    }
    Ok(s)
}

/// Every value below `v` with its dotted key, tables in their order.
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
