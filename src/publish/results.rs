//! Writing a projection: tidy result tables (CSV and Parquet), the required intake, UKÄ's
//! short-term graduate forecast, the estimated parameters, the effective scenario and a provenance
//! manifest, into one folder that appears whole or not at all.
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `results.csv/.parquet` | profession × county × sector × year (county `00` = Sweden, the sum of the counties; `scope` in a run with a `[scope]`, the sum of its counties) | phase, status, employed, supply_fte, demand_fte, gap_fte, ratio, balance; observed years have status `suppressed` and no employed or supply_fte |
//! | `flows.csv/.parquet` | profession × county × year, the base year and the projected years | licensed (empty in the base year), inflow_se, inflow_eu, inflow_tc, exits, moved_in (net movement into the county with `supply.county_exits_by = "age"`, else empty: the moves are inside the exits; exits and moved_in empty in the base year and the first projected year) |
//! | `county_exits.csv` (with `supply.county_exits_by = "age"`) | profession × county × age group | each county's deviation from the national exit rates (net moves out; negative: in), its raw value over the exit window and the weight of its own figure |
//! | `layers.csv` (with specialist layers) | layer × county (and the total) × projected year | the layer's licensed persons, its parent's (`parent`), the parent's persons without the layer's competence, and the persons the bound took out of the layer (empty in the first projected year) |
//! | `specialties.csv` (with `supply.specialists`) | layer × specialty group (physicians' specialties, nurses' specialisations) × county (and the total) × projected year | the group's specialists (they add up to the layer's), its demand (base-year balance, the group's service area's growth), the gap, and the year's Swedish certificates in the group |
//! | `st.csv` (with `supply.st_starts`) | layer × specialty group × health-care region × year from the starts' first year to the horizon | the training starts — ST for physicians, the specialist-nurse programme's beginners for nurses — (status `observed`, then `assumed`: the mean of the last `supply.st_starts_window` years times `supply.st_starts_change`) and the persons in training (the starts of the last training length) |
//! | `training_stages.csv` (with `supply.st_starts`) | parent × layer × health-care region (and the total) × projected year | the parent's licensed persons (physicians, nurses), the layer's (specialists), the parent's other layers' (midwives), the persons in training and those in none of these (without a specialist's competence, not in training) |
//! | `st_required.csv` (with `supply.st_starts`, national runs) | layer × specialty group × health-care region, then the group for the nation (the sum) | today's ST starts; required ST starts a year from `balance.intake_from` (floored at 0, with the flag), the rule's value and its parts; the completion share; the target year's specialists without new starts and demand |
//! | `specialties_bands.csv` (with draws and a specialists table) | layer × specialty group × projected year, nationally | the mean and percentiles of the group's specialists over the draws: each draw's licensed persons of a county divided by the point projection's composition there |
//! | `st_sensitivity.csv` (with `st_required.csv`) | layer × specialty group × health-care region (then the nation) × setting | the required ST starts (before and after the floor) with the target in each year of the balance window alone, and with the base year's imbalance at −5 %, 0, +5 % of its specialists |
//! | `intake.csv` | profession with a Swedish programme | today's beginners; required beginners a year (floored at 0, with the flag), its unfloored value and parts (replacement, expansion, closing the gap), rule and window; target-year supply and demand; capacity and the gap left at capacity; with `balance.max_change` the limit, the constant intake without it, the year the path reaches its level and whether it is the fastest path the limit allows; with `balance.substitutable` the group, the share of the group's intake and the profession's own target-year gap |
//! | `intake_regions.csv` (with `supply.destinations`, national runs) | profession with a Swedish programme × health-care region | the region's beginners today; its part of the national required intake (the parts add up to `intake.csv`'s figure), the national figure split by today's beginners instead, the region's share of the national figure; the share of its graduates' licences that stay in its own counties and the licence years the destination shares rest on (empty for a region without the programme); with draws, the percentiles of its part (`required_p10` …: each draw's national figure split as the point figure is) |
//! | `intake_path.csv` (with `balance.max_change`) | profession × year from `intake_from` to the horizon | beginners on the path under the largest change a year, national supply, demand and gap with them |
//! | `intake_sensitivity.csv` | profession × setting | the required intake exact in each year of the window alone, and with a base-year imbalance of −5 %, 0, +5 % |
//! | `graduates_forecast.csv` | programme × health-care region × year (base+1 … base+3) | graduates; whether the cohorts' beginners are observed or assumed |
//! | `parameters.csv` | profession × sex × age | exit rate; certification rate (a layer certified from its parent, `supply.layer_feed = "rate"`; else empty); employment share and FTE per employed by sector |
//! | `county_levels.csv` | profession × county × sector | each county's factor on the national employment share and on FTE per licensed person (`supply.county_levels`), and the weight of its own figure |
//! | `municipalities.csv` (with the scenario's `[municipal]` tables) | municipality × profession × year, the base year to the horizon | name, county, status (`suppressed`: the disclosure rule hides the municipality's small count, or it would give one away), supply, demand and gap in FTE of municipal health care ([`crate::model::municipal`]) |
//! | `demand_services.csv` (demand by service area) | profession × service area | the share of the profession's base-year FTE in the area (staffing matrix, over the cells it covers) and the area's demographic index at the horizon for the profession's counties and sectors (before care-use trend, factors and substitution) |
//! | `trends.csv` | input × profession × sector × year, for each input that follows a trend | method, level, factor (admissions, foreign licences EU/TC, employment share, FTE per employed, care use) |
//! | `bands.csv/.parquet` (with draws) | profession × county × variable × year | mean and the percentiles (`p10`, `p50`, `p90`, …) of licensed, supply_fte, demand_fte, gap_fte; probability of shortage; licensed in the base year (the register's count) empty |
//! | `intake_bands.csv` (with draws) | profession with a programme | the required intake's point value and percentiles (each draw floored at 0, as the point value) |
//!
//! Counts of persons observed in the register are published only in the report's
//! disclosure-controlled base-year table ([`super::report::disclosed`]); the rows above that would
//! repeat them, or let them be worked out, are left empty.

use super::atomic::{self, PublishError};
use super::disclosure::{self, Profile};
use crate::model::inputs::{AGE_MIN, NA, SEXES};
use crate::model::montecarlo::Variable;
use crate::model::movement;
use crate::model::municipal::Municipal;
use crate::model::scope::Region;
use crate::model::{Phase, Projection};
use polars::prelude::*;
use serde_json::json;
use std::path::Path;

/// A column of a wide output table.
pub enum Data {
    /// Text.
    Text(Vec<String>),
    /// Numbers, `None` where there is none.
    Num(Vec<Option<f64>>),
}

/// A wide table: named columns of equal length.
pub struct Wide {
    /// The columns.
    pub cols: Vec<(String, Data)>,
}

fn fmt(v: f64) -> String {
    // Six decimals are far below a person or an FTE and keep files small and stable.
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A number to a reader's precision: one decimal from 10 up (persons and FTE), three below
/// (shares, rates), trailing zeros dropped.
pub fn fmt_reader(v: f64) -> String {
    let s = if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The Swedish words of the tables' column names, part by part (`supply_fte_2040` →
/// `tillgång_heltidsekv_2040`); a part not listed (a year, a percentile, a code) stays.
const SWEDISH_PARTS: &[(&str, &str)] = &[
    ("profession", "yrke"),
    ("county", "län"),
    ("sector", "regi"),
    ("principal", "huvudman"),
    ("year", "år"),
    ("years", "år"),
    ("phase", "fas"),
    ("employed", "sysselsatta"),
    ("persons", "personer"),
    ("supply", "tillgång"),
    ("demand", "efterfrågan"),
    ("fte", "heltidsekv"),
    ("ratio", "kvot"),
    ("balance", "balans"),
    ("shortage", "brist"),
    ("surplus", "överskott"),
    ("probability", "sannolikhet"),
    ("share", "andel"),
    ("weighted", "viktad"),
    ("answered", "svarat"),
    ("asked", "tillfrågade"),
    ("no", "ej"),
    ("answer", "svar"),
    ("covered", "täckt"),
    ("assessment", "bedömning"),
    ("judged", "bedömt"),
    ("model", "modellens"),
    ("change", "förändring"),
    ("points", "procentenheter"),
    ("percent", "procent"),
    ("beginners", "nybörjare"),
    ("required", "behövda"),
    ("from", "från"),
    ("intake", "antagning"),
    ("per", "per"),
    ("sex", "kön"),
    ("base", "bas"),
    ("horizon", "horisont"),
    ("measure", "mått"),
    ("predicted", "prognos"),
    ("actual", "utfall"),
    ("error", "fel"),
    ("band", "band"),
    ("low", "låg"),
    ("high", "hög"),
    ("inside", "inom"),
    ("method", "metod"),
    ("level", "nivå"),
    ("cells", "celler"),
    ("coverage", "täckning"),
    ("interval", "intervall"),
    ("score", "poäng"),
    ("crps", "crps"),
    ("pit", "pit"),
    ("licensed", "legitimerade"),
    ("inflow", "inflöde"),
    ("exits", "lämnar"),
    ("moved", "flyttade"),
    ("in", "in"),
    ("today", "i_dag"),
    ("age", "ålder"),
    ("population", "befolkning"),
    ("median", "median"),
    ("licences", "legitimationer"),
    ("sweden", "sverige"),
    ("eea", "ees"),
    ("third", "tredje"),
    ("country", "land"),
    ("foreign", "utländsk"),
    ("place", "plats"),
    ("education", "utbildning"),
];

/// A column name in Swedish, part by part (`SWEDISH_PARTS`).
pub fn swedish_header(name: &str) -> String {
    name.split('_')
        .map(|part| {
            SWEDISH_PARTS
                .iter()
                .find(|(en, _)| *en == part)
                .map_or(part, |(_, sv)| *sv)
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// The words the tables' text cells use, in Swedish (labels, phases, statuses, sexes, measures
/// and methods); codes and anything else stay as they are.
pub fn swedish_word(word: &str) -> &str {
    match word {
        "shortage" => "brist",
        "balance" => "balans",
        "surplus" => "överskott",
        "observed" => "observerad",
        "nowcast" => "nuläge",
        "projection" => "framskrivning",
        "estimated" => "skattad",
        "suppressed" => "skyddad",
        "true" => "ja",
        "false" => "nej",
        "men" => "män",
        "women" => "kvinnor",
        "all" => "alla",
        "licensed" => "legitimerade",
        "fte" => "heltidsekv",
        "national" => "riket",
        "county" => "län",
        "no_change" => "oförändrad",
        "linear_trend" => "linjär_trend",
        "sweden" => "sverige",
        "eu_eea" => "eu_ees",
        "third_country" => "tredje_land",
        _ => word,
    }
}

/// `v` rounded to `d` decimals.
fn rounded(v: f64, d: i32) -> f64 {
    let m = 10f64.powi(d);
    (v * m).round() / m
}

impl Wide {
    /// A table of named text columns followed by named number columns.
    fn from_columns(text: Vec<(&str, Vec<String>)>, nums: Vec<(&str, Vec<Option<f64>>)>) -> Wide {
        let text = text
            .into_iter()
            .map(|(name, v)| (name.to_string(), Data::Text(v)));
        let nums = nums
            .into_iter()
            .map(|(name, v)| (name.to_string(), Data::Num(v)));
        Wide {
            cols: text.chain(nums).collect(),
        }
    }

    fn len(&self) -> usize {
        self.cols.first().map_or(0, |(_, d)| match d {
            Data::Text(v) => v.len(),
            Data::Num(v) => v.len(),
        })
    }

    /// CSV bytes (UTF-8, `,`, decimal point).
    pub fn csv(&self) -> Vec<u8> {
        self.csv_with(b',', false)
    }

    /// CSV bytes the way Swedish Excel opens them, in Swedish: byte-order mark, `;`, decimal
    /// comma, Swedish column names and words ([`swedish_header`], [`swedish_word`]; codes and file
    /// names stay as they are), and numbers to a reader's precision ([`fmt_reader`]).
    pub fn csv_swedish(&self) -> Vec<u8> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        out.extend(self.csv_with(b';', true));
        out
    }

    fn csv_with(&self, delimiter: u8, swedish: bool) -> Vec<u8> {
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(self.cols.iter().map(|(n, _)| {
            if swedish {
                swedish_header(n)
            } else {
                n.clone()
            }
        }));
        for r in 0..self.len() {
            let rec: Vec<String> = self
                .cols
                .iter()
                .map(|(_, d)| match d {
                    Data::Text(v) if swedish => swedish_word(&v[r]).to_string(),
                    Data::Text(v) => v[r].clone(),
                    Data::Num(v) if swedish => {
                        v[r].map(fmt_reader).unwrap_or_default().replace('.', ",")
                    }
                    Data::Num(v) => v[r].map(fmt).unwrap_or_default(),
                })
                .collect();
            let _ = w.write_record(&rec);
        }
        w.into_inner().unwrap_or_default()
    }

    /// Parquet bytes.
    ///
    /// # Errors
    ///
    /// The encoder's error.
    pub fn parquet(&self) -> PolarsResult<Vec<u8>> {
        let cols: Vec<Column> = self
            .cols
            .iter()
            .map(|(n, d)| match d {
                Data::Text(v) => Column::new(n.as_str().into(), v.clone()),
                Data::Num(v) => Column::new(n.as_str().into(), v.clone()),
            })
            .collect();
        let mut df = DataFrame::new(self.len(), cols)?;
        let mut buf = Vec::new();
        ParquetWriter::new(&mut buf).finish(&mut df)?;
        Ok(buf)
    }
}

/// The results table: profession × county × sector × year, observed years withheld.
pub fn results_table(pr: &Projection) -> Wide {
    results_table_with(pr, true)
}

/// The results table; with `protect` the observed years' counts are withheld (status
/// `suppressed`), without it (`--disclosure none`, not for publication) they are printed.
pub fn results_table_with(pr: &Projection, protect: bool) -> Wide {
    let g = &pr.inputs.grid;
    let (mut prof, mut county, mut sector, mut year, mut phase, mut status) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let (mut emp, mut sup, mut dem, mut gap, mut ratio, mut label) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for p in 0..g.np() {
        for r in pr.regions() {
            let code = pr.region_code(r);
            for k in 0..g.nk() {
                for (ti, &y) in pr.years.iter().enumerate() {
                    let (e, s, d) = pr.sector_figures(ti, p, r, k);
                    prof.push(g.professions[p].clone());
                    county.push(code.clone());
                    sector.push(g.sectors[k].clone());
                    year.push(y.to_string());
                    phase.push(pr.phases[ti].as_str().to_string());
                    // Observed years are counts of persons from the register: they are published
                    // once, in the report's disclosure-controlled base-year table, and not here
                    // (issue 14: these rows gave away every suppressed cell of that table).
                    let phase_observed = pr.phases[ti] == Phase::Observed;
                    let observed = protect && phase_observed;
                    status.push(
                        match (phase_observed, observed) {
                            (true, true) => "suppressed",
                            (true, false) => "observed",
                            _ => "estimated",
                        }
                        .to_string(),
                    );
                    emp.push((!observed).then_some(e));
                    sup.push((!observed).then_some(s));
                    dem.push(d);
                    gap.push(d.map(|d| s - d));
                    ratio.push(d.filter(|d| *d > 0.0).map(|d| s / d));
                    label.push(d.map(|d| pr.label(s, d).to_string()).unwrap_or_default());
                }
            }
        }
    }
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("county".into(), Data::Text(county)),
            ("sector".into(), Data::Text(sector)),
            ("year".into(), Data::Text(year)),
            ("phase".into(), Data::Text(phase)),
            ("status".into(), Data::Text(status)),
            ("employed".into(), Data::Num(emp)),
            ("supply_fte".into(), Data::Num(sup)),
            ("demand_fte".into(), Data::Num(dem)),
            ("gap_fte".into(), Data::Num(gap)),
            ("ratio".into(), Data::Num(ratio)),
            ("balance".into(), Data::Text(label)),
        ],
    }
}

/// The flows table: profession × county × year, the register's base year withheld.
pub fn flows_table(pr: &Projection) -> Wide {
    flows_table_with(pr, true)
}

/// The flows table; with `protect` the base year's licensed and the first projected year's exits
/// are withheld.
pub fn flows_table_with(pr: &Projection, protect: bool) -> Wide {
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); 6];
    // Moves are a flow of their own only by age group; otherwise they are inside the exits.
    let separated = pr.moves_by_age();
    for (p, path) in pr.paths.iter().enumerate() {
        for c in 0..g.nc() {
            for (ti, &y) in path.years.iter().enumerate() {
                let sum = |v: &[f64]| county_sum(v, per, ti, c);
                cols[0].push(g.professions[p].clone());
                cols[1].push(g.counties[c].clone());
                cols[2].push(y.to_string());
                // The base year's licensed are the register's count of persons, and the first
                // projected year's exits and moves would give them back (licensed in the base
                // year = licensed a year later + exits − moved in − inflows, exactly): all are
                // withheld.
                nums[0].push((!protect || ti > 0).then(|| sum(&path.licensed)));
                nums[1].push(Some(sum(&path.inflow[0])));
                nums[2].push(Some(sum(&path.inflow[1])));
                nums[3].push(Some(sum(&path.inflow[2])));
                nums[4].push((!protect || ti > 1).then(|| sum(&path.exits)));
                nums[5].push((separated && (!protect || ti > 1)).then(|| sum(&path.moved)));
            }
        }
    }
    let mut it = cols.into_iter();
    let mut nt = nums.into_iter();
    Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(it.next().unwrap_or_default()),
            ),
            ("county".into(), Data::Text(it.next().unwrap_or_default())),
            ("year".into(), Data::Text(it.next().unwrap_or_default())),
            ("licensed".into(), Data::Num(nt.next().unwrap_or_default())),
            ("inflow_se".into(), Data::Num(nt.next().unwrap_or_default())),
            ("inflow_eu".into(), Data::Num(nt.next().unwrap_or_default())),
            ("inflow_tc".into(), Data::Num(nt.next().unwrap_or_default())),
            ("exits".into(), Data::Num(nt.next().unwrap_or_default())),
            ("moved_in".into(), Data::Num(nt.next().unwrap_or_default())),
        ],
    }
}

/// County `c`'s sum over sex and age in year index `ti` of a path's cells (`per` cells a year).
pub(crate) fn county_sum(v: &[f64], per: usize, ti: usize, c: usize) -> f64 {
    v[ti * per + c * 2 * NA..ti * per + (c + 1) * 2 * NA]
        .iter()
        .sum()
}

/// Each specialist layer beside its parent (a layer: a profession whose code-list entry has
/// `layer_of`), by county and projected year: the layer's licensed persons, the parent's, the
/// parent's persons without the layer's competence (physicians without a specialist's, nurses
/// without a specialist nurse's or a midwife's), and the persons the bound took out of the layer
/// that year (see [`crate::model::supply::Trajectory::capped`]; empty in the first projected year, as
/// the exits in `flows.csv`, since with the year's other flows they would give back the register's
/// count of the base year); after the counties, their total (`00`, Sweden, or the scope's total
/// code). Empty (no rows) when the projection has no layers.
pub fn layers_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    let mut text: [Vec<String>; 4] = Default::default();
    let mut nums: [Vec<Option<f64>>; 4] = Default::default();
    for (p, prm) in pr.params.iter().enumerate() {
        let Some(q) = prm.parent else { continue };
        let (layer, parent) = (&pr.paths[p], &pr.paths[q]);
        // The counties, then their total (the nation, or the scope).
        for r in pr.regions() {
            let code = pr.region_code(r);
            for (ti, &y) in layer.years.iter().enumerate().skip(1) {
                let sum = |v: &[f64]| match r {
                    Region::County(c) => county_sum(v, per, ti, c),
                    Region::Total => v[ti * per..(ti + 1) * per].iter().sum(),
                };
                text[0].push(g.professions[p].clone());
                text[1].push(g.professions[q].clone());
                text[2].push(code.clone());
                text[3].push(y.to_string());
                let (l, pl) = (sum(&layer.licensed), sum(&parent.licensed));
                nums[0].push(Some(l));
                nums[1].push(Some(pl));
                nums[2].push(Some(pl - l));
                nums[3].push((ti > 1).then(|| sum(&layer.capped)));
            }
        }
    }
    let [profession, parent, county, year] = text;
    let [licensed, parent_licensed, without, left] = nums;
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(profession)),
            ("parent".into(), Data::Text(parent)),
            ("county".into(), Data::Text(county)),
            ("year".into(), Data::Text(year)),
            ("licensed".into(), Data::Num(licensed)),
            ("parent_licensed".into(), Data::Num(parent_licensed)),
            ("parent_without_layer".into(), Data::Num(without)),
            ("left_at_bound".into(), Data::Num(left)),
        ],
    }
}

/// The specialist layer by specialty group (`supply.specialists`), by county (and the total) and
/// projected year: the group's specialists, its demand and the gap, and the Swedish certificates
/// the year gave it. The base year's specialists (the register's count) are not repeated.
pub fn specialties_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let nc = g.nc();
    let mut text: [Vec<String>; 4] = Default::default();
    let mut nums: [Vec<Option<f64>>; 4] = Default::default();
    for sp in &pr.specialties {
        let ng = sp.ng();
        for (gi, grp) in sp.groups.iter().enumerate() {
            for r in pr.regions() {
                let code = pr.region_code(r);
                for (ti, &y) in sp.years.iter().enumerate().skip(1) {
                    let at = |v: &[f64]| -> f64 {
                        r.counties(nc).map(|k| v[(ti * ng + gi) * nc + k]).sum()
                    };
                    let have: f64 = r.counties(nc).map(|k| sp.county(ti, gi, k, nc)).sum();
                    let want = at(&sp.demand);
                    text[0].push(g.professions[sp.layer].clone());
                    text[1].push(grp.code.clone());
                    text[2].push(code.clone());
                    text[3].push(y.to_string());
                    nums[0].push(Some(have));
                    nums[1].push(Some(want));
                    nums[2].push(Some(have - want));
                    nums[3].push(Some(at(&sp.certificates)));
                }
            }
        }
    }
    let [layer, group, county, year] = text;
    let [have, want, gap, certificates] = nums;
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(layer)),
            ("specialty".into(), Data::Text(group)),
            ("county".into(), Data::Text(county)),
            ("year".into(), Data::Text(year)),
            ("specialists".into(), Data::Num(have)),
            ("demand".into(), Data::Num(want)),
            ("gap".into(), Data::Num(gap)),
            ("certificates_se".into(), Data::Num(certificates)),
        ],
    }
}

/// Specialist training by specialty group and health-care region, year by year from the ST starts'
/// first year to the horizon: the starts (observed, then assumed) and the persons in training.
pub fn st_table(pr: &Projection) -> Wide {
    let nr = pr.inputs.hc_regions.len();
    let mut text: [Vec<String>; 5] = Default::default();
    let mut nums: [Vec<Option<f64>>; 2] = Default::default();
    for sp in &pr.specialties {
        let ng = sp.ng();
        for (gi, grp) in sp.groups.iter().enumerate() {
            for r in 0..nr {
                for (&y, &seen) in sp.st_years.iter().zip(&sp.st_observed) {
                    text[0].push(pr.inputs.grid.professions[sp.layer].clone());
                    text[1].push(grp.code.clone());
                    text[2].push(pr.inputs.hc_regions[r].clone());
                    text[3].push(y.to_string());
                    text[4].push(if seen { "observed" } else { "assumed" }.into());
                    nums[0].push(sp.start(y, gi, r, nr));
                    nums[1].push(
                        sp.years
                            .iter()
                            .position(|&t| t == y)
                            .map(|ti| sp.in_training[(ti * ng + gi) * nr + r])
                            .filter(|v| v.is_finite()),
                    );
                }
            }
        }
    }
    let [layer, group, region, year, status] = text;
    let [starts, training] = nums;
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(layer)),
            ("specialty".into(), Data::Text(group)),
            ("healthcare_region".into(), Data::Text(region)),
            ("year".into(), Data::Text(year)),
            ("status".into(), Data::Text(status)),
            ("st_starts".into(), Data::Num(starts)),
            ("in_training".into(), Data::Num(training)),
        ],
    }
}

/// A specialist layer's parent by stage of training, per health-care region (then the total) and
/// projected year: the parent's licensed persons (physicians, nurses), the layer's (specialists),
/// the parent's other layers' (midwives, for the nurses), the persons in training (the starts of
/// the last training length, all groups) and those in none of these — physicians and nurses
/// without a specialist's competence, not in training. Only for layers whose starts reach back a
/// training length; the base year (the register's count) is not repeated.
pub fn training_stages_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let (nc, nr) = (g.nc(), pr.inputs.hc_regions.len());
    let per = nc * 2 * NA;
    let region_of = pr.inputs.county_regions();
    let mut text: [Vec<String>; 4] = Default::default();
    let mut nums: [Vec<Option<f64>>; 5] = Default::default();
    let with_parent = pr
        .specialties
        .iter()
        .filter(|sp| !sp.st_years.is_empty())
        .filter_map(|sp| pr.params[sp.layer].parent.map(|q| (sp, q)));
    for (sp, q) in with_parent {
        let ng = sp.ng();
        let (layer, parent) = (&pr.paths[sp.layer], &pr.paths[q]);
        let others: Vec<usize> = (0..g.np())
            .filter(|&o| o != sp.layer && pr.params[o].parent == Some(q))
            .collect();
        for r in 0..=nr {
            let counties: Vec<usize> = (0..nc)
                .filter(|&c| r == nr || region_of[c] == Some(r))
                .collect();
            for (ti, &y) in sp.years.iter().enumerate().skip(1) {
                let training: f64 = (0..ng)
                    .flat_map(|gi| {
                        (0..nr)
                            .filter(move |&x| r == nr || x == r)
                            .map(move |x| sp.in_training[(ti * ng + gi) * nr + x])
                    })
                    .sum();
                if !training.is_finite() {
                    continue;
                }
                let sum = |v: &[f64]| -> f64 {
                    counties.iter().map(|&c| county_sum(v, per, ti, c)).sum()
                };
                let (pl, l) = (sum(&parent.licensed), sum(&layer.licensed));
                let other: f64 = others.iter().map(|&o| sum(&pr.paths[o].licensed)).sum();
                text[0].push(g.professions[q].clone());
                text[1].push(g.professions[sp.layer].clone());
                text[2].push(if r == nr {
                    pr.area().total_code().to_string()
                } else {
                    pr.inputs.hc_regions[r].clone()
                });
                text[3].push(y.to_string());
                nums[0].push(Some(pl));
                nums[1].push(Some(l));
                nums[2].push(Some(other));
                nums[3].push(Some(training));
                nums[4].push(Some(pl - l - other - training));
            }
        }
    }
    let [parent, layer, region, year] = text;
    let [parent_licensed, specialists, other, training, neither] = nums;
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(parent)),
            ("layer".into(), Data::Text(layer)),
            ("healthcare_region".into(), Data::Text(region)),
            ("year".into(), Data::Text(year)),
            ("licensed".into(), Data::Num(parent_licensed)),
            ("specialists".into(), Data::Num(specialists)),
            ("other_layers".into(), Data::Num(other)),
            ("in_training".into(), Data::Num(training)),
            ("neither".into(), Data::Num(neither)),
        ],
    }
}

/// The required ST starts per specialty group and health-care region, then per group for the
/// nation (the sum of its regions): today's starts, the required starts a year from
/// `balance.intake_from` (floored at 0, with the flag), the rule's value and its parts, the
/// completion share, and the target year's specialists without new starts and demand.
pub fn st_required_table(pr: &Projection) -> Wide {
    let b = &pr.scenario.balance;
    let mut text: [Vec<String>; 4] = Default::default();
    let mut cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); 9];
    for sp in &pr.specialties {
        let q = sp.completion.as_ref().map(|c| c.0);
        for r in &sp.required {
            text[0].push(pr.inputs.grid.professions[sp.layer].clone());
            text[1].push(sp.groups[r.group].code.clone());
            text[2].push(r.region.map_or_else(
                || pr.area().total_code().to_string(),
                |i| pr.inputs.hc_regions[i].clone(),
            ));
            text[3].push(r.floored().to_string());
            for (i, v) in [
                Some(r.today),
                r.required,
                r.unfloored,
                r.parts.map(|p| p.replacement),
                r.parts.map(|p| p.expansion),
                r.parts.map(|p| p.gap),
                q,
                Some(r.supply_without),
                Some(r.demand),
            ]
            .into_iter()
            .enumerate()
            {
                cols[i].push(v);
            }
        }
    }
    let [layer, group, region, floored] = text;
    let mut it = cols.into_iter();
    let mut next = || Data::Num(it.next().unwrap_or_default());
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(layer)),
            ("specialty".into(), Data::Text(group)),
            ("healthcare_region".into(), Data::Text(region)),
            ("st_starts_today".into(), next()),
            (format!("required_st_starts_from_{}", b.intake_from), next()),
            ("floored".into(), Data::Text(floored)),
            ("unfloored".into(), next()),
            ("replacement".into(), next()),
            ("expansion".into(), next()),
            ("gap".into(), next()),
            ("completion".into(), next()),
            (
                format!("specialists_without_new_starts_{}", b.target_year),
                next(),
            ),
            (format!("demand_{}", b.target_year), next()),
        ],
    }
}

/// The required-intake table: the published figure (floored at 0, with the flag), the rule's
/// value before the floor and its parts (replacement, expansion, closing today's gap), the rule and
/// window, target-year supply and demand, and the capacity check.
pub fn intake_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let b = &pr.scenario.balance;
    let mut prof = Vec::new();
    let mut floored = Vec::new();
    let mut cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); 10];
    for r in &pr.intake {
        prof.push(g.professions[r.profession].clone());
        floored.push(r.floored().to_string());
        let parts = r.parts;
        for (i, v) in [
            Some(r.today),
            r.required,
            r.required
                .filter(|_| r.today > 0.0)
                .map(|q| 100.0 * (q / r.today - 1.0)),
            r.unfloored,
            parts.map(|x| x.replacement),
            parts.map(|x| x.expansion),
            parts.map(|x| x.gap),
            Some(r.supply_at_today),
            Some(r.demand),
            r.gap_at_capacity,
        ]
        .into_iter()
        .enumerate()
        {
            cols[i].push(v);
        }
    }
    let n = prof.len();
    let mut it = cols.into_iter();
    let mut next = || Data::Num(it.next().unwrap_or_default());
    let window = format!("{}-{}", b.window_start(), b.target_year);
    let mut wide = Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            (format!("beginners_{}", pr.scenario.base_year), next()),
            (format!("required_beginners_from_{}", b.intake_from), next()),
            ("change_percent".into(), next()),
            ("floored_at_zero".into(), Data::Text(floored)),
            ("required_unfloored".into(), next()),
            ("part_replacement".into(), next()),
            ("part_expansion".into(), next()),
            ("part_closing_gap".into(), next()),
            (
                "rule".into(),
                Data::Text(vec![b.intake_rule.as_str().to_string(); n]),
            ),
            ("window".into(), Data::Text(vec![window; n])),
            (
                format!("supply_fte_{}_at_todays_intake", b.target_year),
                next(),
            ),
            (format!("demand_fte_{}", b.target_year), next()),
            (
                "capacity".into(),
                Data::Num(pr.intake.iter().map(|r| r.capacity).collect()),
            ),
            (format!("gap_fte_{}_at_capacity", b.target_year), next()),
        ],
    };
    let out = |v: Vec<Option<f64>>| Data::Num(v);
    if !b.max_change.is_empty() {
        // Under a largest change a year the figure is the path's level; the parts stay those of
        // the constant intake without the limit, given beside it.
        let paths: Vec<Option<&crate::model::IntakePath>> =
            pr.intake.iter().map(|r| r.path.as_ref()).collect();
        wide.cols.extend([
            (
                "max_change".into(),
                out(paths.iter().map(|x| x.and_then(|x| x.max_change)).collect()),
            ),
            (
                "constant_without_limit".into(),
                out(paths.iter().map(|x| x.and_then(|x| x.constant)).collect()),
            ),
            (
                "level_reached_year".into(),
                out(paths
                    .iter()
                    .map(|x| x.map(|x| f64::from(x.reached)))
                    .collect()),
            ),
            (
                "fastest_path".into(),
                Data::Text(
                    paths
                        .iter()
                        .map(|x| x.map_or(String::new(), |x| x.fastest.to_string()))
                        .collect(),
                ),
            ),
        ]);
    }
    if !b.substitutable.is_empty() {
        wide.cols.extend([
            (
                "substitutable_group".into(),
                Data::Text(
                    pr.intake
                        .iter()
                        .map(|r| {
                            r.group
                                .map_or(String::new(), |i| b.substitutable[i].join("+"))
                        })
                        .collect(),
                ),
            ),
            (
                "share_of_group".into(),
                out(pr.intake.iter().map(|r| r.group.map(|_| r.share)).collect()),
            ),
            (
                format!("own_gap_fte_{}", b.target_year),
                out(pr.intake.iter().map(|r| r.own_gap).collect()),
            ),
        ]);
    }
    wide
}

/// The required intake by health-care region: each region's part of the national figure (see
/// [`crate::model::destinations`]), beside the split by today's beginners.
pub fn intake_regions_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let b = &pr.scenario.balance;
    let (mut prof, mut region, mut years) = (Vec::new(), Vec::new(), Vec::new());
    let mut cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); 5];
    // With draws, each region's band of its part.
    let percentiles = pr.bands.as_ref().map_or(&[][..], |b| &b.percentiles[..]);
    let mut qs: Vec<Vec<Option<f64>>> = vec![Vec::new(); percentiles.len()];
    for r in &pr.intake {
        let band = pr.bands.as_ref().and_then(|b| {
            b.intake
                .iter()
                .find(|i| i.profession == r.profession && !i.regions.is_empty())
        });
        for x in &r.regions {
            for (i, q) in qs.iter_mut().enumerate() {
                q.push(
                    band.and_then(|b| b.regions.get(x.region))
                        .and_then(|v| v.get(i))
                        .copied()
                        .filter(|v| v.is_finite()),
                );
            }
            prof.push(g.professions[r.profession].clone());
            region.push(pr.inputs.hc_regions[x.region].clone());
            years.push(
                x.shares
                    .as_ref()
                    .map_or_else(String::new, |s| format!("{}-{}", s.years.0, s.years.1)),
            );
            let national = r.required.unwrap_or(0.0);
            for (i, v) in [
                Some(x.today),
                Some(x.required),
                Some(x.at_todays_shares),
                (national > 0.0).then(|| 100.0 * x.required / national),
                x.stay.map(|s| 100.0 * s),
            ]
            .into_iter()
            .enumerate()
            {
                cols[i].push(v);
            }
        }
    }
    let mut it = cols.into_iter();
    let mut next = || Data::Num(it.next().unwrap_or_default());
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("healthcare_region".into(), Data::Text(region)),
            (format!("beginners_{}", pr.scenario.base_year), next()),
            (format!("required_beginners_from_{}", b.intake_from), next()),
            ("at_todays_shares".into(), next()),
            ("share_of_national_percent".into(), next()),
            ("licences_staying_in_region_percent".into(), next()),
            ("destination_years".into(), Data::Text(years)),
        ]
        .into_iter()
        .chain(
            percentile_columns(percentiles, qs)
                .into_iter()
                .map(|(name, data)| (format!("required_{name}"), data)),
        )
        .collect(),
    }
}

/// The required intake's paths under a largest change a year: profession × year from
/// `intake_from` to the horizon, with the beginners on the path and national supply, demand and
/// gap with them. Empty without `balance.max_change`.
pub fn intake_path_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let (mut prof, mut year) = (Vec::new(), Vec::new());
    let mut cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); 4];
    for r in &pr.intake {
        let Some(x) = &r.path else { continue };
        for (i, &t) in x.years.iter().enumerate() {
            prof.push(g.professions[r.profession].clone());
            year.push(t.to_string());
            cols[0].push(Some(x.beginners[i]));
            cols[1].push(Some(x.supply[i]));
            cols[2].push(Some(x.demand[i]));
            cols[3].push(Some(x.supply[i] - x.demand[i]));
        }
    }
    let mut it = cols.into_iter();
    let mut next = || Data::Num(it.next().unwrap_or_default());
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("year".into(), Data::Text(year)),
            ("beginners".into(), next()),
            ("supply_fte".into(), next()),
            ("demand_fte".into(), next()),
            ("gap_fte".into(), next()),
        ],
    }
}

/// The required intake's sensitivity: exact in each year of the window alone (the knife-edge the
/// window rule avoids), and with the base year's imbalance set to −5 %, 0 and +5 % of supply.
pub fn intake_sensitivity_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let (mut prof, mut kind, mut setting) = (Vec::new(), Vec::new(), Vec::new());
    let (mut unfloored, mut required) = (Vec::new(), Vec::new());
    let mut push = |p: usize, k: &str, s: String, a: Option<f64>| {
        prof.push(g.professions[p].clone());
        kind.push(k.to_string());
        setting.push(s);
        unfloored.push(a);
        required.push(a.map(|a| a.max(0.0)));
    };
    for r in &pr.intake {
        for (y, a) in &r.by_target_year {
            push(r.profession, "target_year", y.to_string(), *a);
        }
        for (i, a) in &r.by_imbalance {
            push(r.profession, "base_year_imbalance", fmt(*i), *a);
        }
    }
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("sensitivity".into(), Data::Text(kind)),
            ("setting".into(), Data::Text(setting)),
            ("required_unfloored".into(), Data::Num(unfloored)),
            ("required".into(), Data::Num(required)),
        ],
    }
}

/// The required ST starts' sensitivity, per specialty group × health-care region (then the
/// nation): with the target in each year of the balance window alone, and with the base year's
/// imbalance set to −5 %, 0 and +5 % of its specialists (as [`intake_sensitivity_table`] for the
/// required intake). Empty without required ST starts.
pub fn st_sensitivity_table(pr: &Projection) -> Wide {
    let mut text: [Vec<String>; 5] = Default::default();
    let (mut unfloored, mut required) = (Vec::new(), Vec::new());
    for sp in &pr.specialties {
        for r in &sp.required {
            let region = r.region.map_or_else(
                || pr.area().total_code().to_string(),
                |i| pr.inputs.hc_regions[i].clone(),
            );
            let settings = r
                .by_target_year
                .iter()
                .map(|(y, a)| ("target_year", y.to_string(), *a))
                .chain(
                    r.by_imbalance
                        .iter()
                        .map(|(i, a)| ("base_year_imbalance", fmt(*i), *a)),
                );
            for (kind, setting, a) in settings {
                text[0].push(pr.inputs.grid.professions[sp.layer].clone());
                text[1].push(sp.groups[r.group].code.clone());
                text[2].push(region.clone());
                text[3].push(kind.to_string());
                text[4].push(setting);
                unfloored.push(a);
                required.push(a.map(|a| a.max(0.0)));
            }
        }
    }
    let [layer, group, region, kind, setting] = text;
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(layer)),
            ("specialty".into(), Data::Text(group)),
            ("healthcare_region".into(), Data::Text(region)),
            ("sensitivity".into(), Data::Text(kind)),
            ("setting".into(), Data::Text(setting)),
            ("required_unfloored".into(), Data::Num(unfloored)),
            ("required".into(), Data::Num(required)),
        ],
    }
}

/// The specialty groups' bands, nationally, by projected year: the mean and the percentiles of
/// each group's specialists over the draws (each draw's licensed persons of a county divided by
/// the point projection's composition there). The base year (the register's count) is left out.
pub fn specialties_bands_table(pr: &Projection) -> Wide {
    let Some(b) = &pr.bands else {
        return Wide { cols: Vec::new() };
    };
    let g = &pr.inputs.grid;
    let mut text: [Vec<String>; 2] = Default::default();
    let mut year = Vec::new();
    let mut mean = Vec::new();
    let mut qs: Vec<Vec<Option<f64>>> = vec![Vec::new(); b.percentiles.len()];
    for gb in &b.groups {
        let Some(sp) = pr.specialties.iter().find(|s| s.layer == gb.profession) else {
            continue;
        };
        for (ti, y) in b.years.iter().enumerate().skip(1) {
            text[0].push(g.professions[gb.profession].clone());
            text[1].push(sp.groups[gb.group].code.clone());
            year.push(y.to_string());
            mean.push(Some(gb.mean[ti]));
            let nq = b.percentiles.len();
            for (q, col) in qs.iter_mut().enumerate() {
                col.push(Some(gb.quantiles[ti * nq + q]));
            }
        }
    }
    let [prof, group] = text;
    let mut cols = vec![
        ("profession".into(), Data::Text(prof)),
        ("specialty".into(), Data::Text(group)),
        ("year".into(), Data::Text(year)),
        ("mean".into(), Data::Num(mean)),
    ];
    cols.extend(percentile_columns(&b.percentiles, qs));
    Wide { cols }
}

/// One column per percentile, named `p10`, `p2.5`, ….
fn percentile_columns(percentiles: &[f64], values: Vec<Vec<Option<f64>>>) -> Vec<(String, Data)> {
    percentiles
        .iter()
        .zip(values)
        .map(|(q, v)| (format!("p{}", fmt(*q)), Data::Num(v)))
        .collect()
}

/// The Monte Carlo bands: profession × county (`00` = Sweden) × variable × year, with the mean,
/// the percentiles and (on the gap's rows) the probability of shortage; the base year's licensed
/// withheld. Empty without draws.
pub fn bands_table(pr: &Projection) -> Wide {
    bands_table_with(pr, true)
}

/// The Monte Carlo bands; with `protect` the base year's licensed are withheld.
pub fn bands_table_with(pr: &Projection, protect: bool) -> Wide {
    let Some(b) = &pr.bands else {
        return Wide { cols: Vec::new() };
    };
    let g = &pr.inputs.grid;
    let names = ["licensed", "supply_fte", "demand_fte", "gap_fte"];
    let (mut prof, mut county, mut var, mut year) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut mean = Vec::new();
    let mut qs: Vec<Vec<Option<f64>>> = vec![Vec::new(); b.percentiles.len()];
    let mut short = Vec::new();
    for p in 0..g.np() {
        for r in Region::total_then_counties(b.regions.len()) {
            let code = match r {
                Region::County(c) => b.regions[c].clone(),
                Region::Total => pr.region_code(r),
            };
            for (v, name) in Variable::ALL.into_iter().zip(names) {
                for (ti, &y) in b.years.iter().enumerate() {
                    prof.push(g.professions[p].clone());
                    county.push(code.clone());
                    var.push((*name).to_string());
                    year.push(y.to_string());
                    // Licensed in the base year is the register's count, the same in every draw.
                    let observed = protect && v == Variable::Licensed && ti == 0;
                    mean.push((!observed).then(|| b.mean_of(p, v, r, ti)));
                    for (i, x) in b.q(p, v, r, ti).iter().enumerate() {
                        qs[i].push((!observed).then_some(*x));
                    }
                    short.push((v == Variable::Gap).then(|| b.shortage_of(p, r, ti)));
                }
            }
        }
    }
    let mut cols = vec![
        ("profession".into(), Data::Text(prof)),
        ("county".into(), Data::Text(county)),
        ("variable".into(), Data::Text(var)),
        ("year".into(), Data::Text(year)),
        ("mean".into(), Data::Num(mean)),
    ];
    cols.extend(percentile_columns(&b.percentiles, qs));
    cols.push(("probability_shortage".into(), Data::Num(short)));
    Wide { cols }
}

/// The required intake's percentiles over the draws, beside its point value.
pub fn intake_bands_table(pr: &Projection) -> Wide {
    let Some(b) = &pr.bands else {
        return Wide { cols: Vec::new() };
    };
    let g = &pr.inputs.grid;
    let mut prof = Vec::new();
    let mut point = Vec::new();
    let mut qs: Vec<Vec<Option<f64>>> = vec![Vec::new(); b.percentiles.len()];
    let mut unreachable = Vec::new();
    for ib in &b.intake {
        prof.push(g.professions[ib.profession].clone());
        point.push(
            pr.intake
                .iter()
                .find(|r| r.profession == ib.profession)
                .and_then(|r| r.required),
        );
        for (i, x) in ib.quantiles.iter().enumerate() {
            qs[i].push(x.is_finite().then_some(*x));
        }
        unreachable.push(Some(ib.unreachable));
    }
    let mut cols = vec![
        ("profession".into(), Data::Text(prof)),
        ("required_point".into(), Data::Num(point)),
    ];
    cols.extend(percentile_columns(&b.percentiles, qs));
    cols.push(("share_unreachable".into(), Data::Num(unreachable)));
    Wide { cols }
}

/// UKÄ's short-term graduate forecast.
pub fn graduates_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let f = pr.graduate_forecast();
    Wide {
        cols: vec![
            (
                "programme".into(),
                Data::Text(f.iter().map(|x| g.professions[x.0].clone()).collect()),
            ),
            (
                "healthcare_region".into(),
                Data::Text(
                    f.iter()
                        .map(|x| pr.inputs.hc_regions[x.1].clone())
                        .collect(),
                ),
            ),
            (
                "year".into(),
                Data::Text(f.iter().map(|x| x.2.to_string()).collect()),
            ),
            (
                "graduates".into(),
                Data::Num(f.iter().map(|x| Some(x.3)).collect()),
            ),
            (
                "beginners".into(),
                Data::Text(
                    f.iter()
                        .map(|x| if x.4 { "observed" } else { "assumed" }.to_string())
                        .collect(),
                ),
            ),
        ],
    }
}

/// The estimated parameters by profession, sex and age.
pub fn parameters_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); 1 + 2 * g.nk()];
    let mut certification = Vec::new();
    for (p, prm) in pr.params.iter().enumerate() {
        for (sx, sex) in SEXES.iter().enumerate() {
            for a in 0..NA {
                text[0].push(g.professions[p].clone());
                text[1].push(sex.to_string());
                text[2].push((AGE_MIN as usize + a).to_string());
                nums[0].push(Some(prm.exit[sx * NA + a]));
                certification.push(prm.certification.get(sx * NA + a).copied());
                for k in 0..g.nk() {
                    nums[1 + k].push(Some(prm.employment[(k * 2 + sx) * NA + a]));
                    nums[1 + g.nk() + k].push(Some(prm.fte[(k * 2 + sx) * NA + a]));
                }
            }
        }
    }
    let mut cols: Vec<(String, Data)> = vec![
        (
            "profession".into(),
            Data::Text(std::mem::take(&mut text[0])),
        ),
        ("sex".into(), Data::Text(std::mem::take(&mut text[1]))),
        ("age".into(), Data::Text(std::mem::take(&mut text[2]))),
        ("exit_rate".into(), Data::Num(std::mem::take(&mut nums[0]))),
        ("certification_rate".into(), Data::Num(certification)),
    ];
    for k in 0..g.nk() {
        cols.push((
            format!("employment_share_{}", g.sectors[k]),
            Data::Num(std::mem::take(&mut nums[1 + k])),
        ));
    }
    for k in 0..g.nk() {
        cols.push((
            format!("fte_per_employed_{}", g.sectors[k]),
            Data::Num(std::mem::take(&mut nums[1 + g.nk() + k])),
        ));
    }
    Wide { cols }
}

/// Each county's level of the employment share and of FTE per licensed person relative to the
/// national rates (`supply.county_levels`), by profession, county and sector, with the weight of
/// the county's own figure. Factors are rounded to three decimals and weights to two: they are
/// ratios of the county's own counts over the employment window, and rounded they cannot be turned
/// back into a county's count of employed persons.
pub fn county_levels_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let mut text: [Vec<String>; 3] = Default::default();
    let mut nums: [Vec<Option<f64>>; 4] = Default::default();
    for (p, prm) in pr.params.iter().enumerate() {
        let l = &prm.county_levels;
        for c in 0..nc {
            for k in 0..nk {
                let i = c * nk + k;
                text[0].push(g.professions[p].clone());
                text[1].push(g.counties[c].clone());
                text[2].push(g.sectors[k].clone());
                nums[0].push(Some(rounded(l.employment[i], 3)));
                nums[1].push(Some(rounded(l.employment_weight[i], 2)));
                nums[2].push(Some(rounded(l.fte[i], 3)));
                nums[3].push(Some(rounded(l.fte_weight[i], 2)));
            }
        }
    }
    let [profession, county, sector] = text;
    let [employment, employment_weight, fte, fte_weight] = nums;
    Wide::from_columns(
        vec![
            ("profession", profession),
            ("county", county),
            ("sector", sector),
        ],
        vec![
            ("employment_factor", employment),
            ("employment_weight", employment_weight),
            ("fte_factor", fte),
            ("fte_weight", fte_weight),
        ],
    )
}

/// Each county's deviation from the national exit rates by age group
/// (`supply.county_exits_by = "age"`, see [`crate::model::movement`]): `deviation`, the rate added
/// to the national one in the projection (net moves out of the county a year per person at risk;
/// negative: net moves in), `raw_deviation`, the county's own figure over the exit window, and
/// `weight`, the weight of its own figure. Rates are rounded to four decimals and weights to two,
/// as [`county_levels_table`]'s.
pub fn county_exits_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let mut text: [Vec<String>; 3] = Default::default();
    let mut nums: [Vec<Option<f64>>; 3] = Default::default();
    for (p, prm) in pr.params.iter().enumerate() {
        let m = &prm.movement;
        for c in 0..m.nc {
            for grp in 0..movement::GROUPS {
                let i = c * movement::GROUPS + grp;
                let (lo, hi) = movement::group_ages(grp);
                text[0].push(g.professions[p].clone());
                text[1].push(g.counties[c].clone());
                text[2].push(format!("{lo}-{hi}"));
                nums[0].push(Some(rounded(m.rate[i], 4)));
                nums[1].push(Some(rounded(m.raw[i], 4)));
                nums[2].push(Some(rounded(m.weight[i], 2)));
            }
        }
    }
    let [profession, county, age] = text;
    let [deviation, raw, weight] = nums;
    Wide::from_columns(
        vec![("profession", profession), ("county", county), ("age", age)],
        vec![
            ("deviation", deviation),
            ("raw_deviation", raw),
            ("weight", weight),
        ],
    )
}

/// Demand by service area, per profession × service area (empty without service areas):
/// `fte_share`, the share of the profession's base-year FTE the staffing matrix puts in the area
/// (over the profession × county × sector cells it covers), and `index_horizon`, the area's
/// demographic index at the horizon weighted by that FTE over the counties and sectors (the growth
/// of the profession's demand in the area before care-use trend, factors and substitution).
pub fn demand_services_table(pr: &Projection) -> Wide {
    let g = &pr.inputs.grid;
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    let (mut profession, mut service) = (Vec::new(), Vec::new());
    let (mut share, mut index) = (Vec::new(), Vec::new());
    if let Some(sv) = &pr.inputs.services {
        let ns = sv.ns();
        let t0 = pr
            .years
            .iter()
            .position(|&y| y == pr.scenario.base_year)
            .unwrap_or(0);
        let last = pr.demand.years.len().saturating_sub(1);
        for p in 0..np {
            let mut base = vec![0.0; ns];
            let mut later = vec![0.0; ns];
            for c in 0..nc {
                for k in 0..nk {
                    let Some(mix) = sv.mix(p, c, k, nc, nk) else {
                        continue;
                    };
                    let fte = pr.supply[pr.at(t0, p, c, k)];
                    for (v, s) in mix.iter().enumerate() {
                        base[v] += fte * s;
                        later[v] += fte * s * pr.demand.service_index[(last * nc + c) * ns + v];
                    }
                }
            }
            let total: f64 = base.iter().sum();
            for v in (0..ns).filter(|&v| base[v] > 0.0) {
                profession.push(g.professions[p].clone());
                service.push(sv.codes[v].clone());
                share.push(Some(rounded(base[v] / total, 3)));
                index.push(Some(rounded(later[v] / base[v], 4)));
            }
        }
    }
    Wide {
        cols: vec![
            ("profession".into(), Data::Text(profession)),
            ("service".into(), Data::Text(service)),
            ("fte_share".into(), Data::Num(share)),
            ("index_horizon".into(), Data::Num(index)),
        ],
    }
}

/// The trend factors of every input that follows a trend: `input` (`admissions`, `foreign_eu`,
/// `foreign_tc`, `employment_share`, `fte_per_employed`, `care_use`), `profession` (`*` for care
/// use), `sector` (`*` for the supply inputs), the fitted `method`, the `level` the factor is
/// relative to, `year` and `factor`.
pub fn trends_table(pr: &Projection) -> Wide {
    use crate::model::trend::TrendModel;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 5];
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); 2];
    let mut push = |input: &str,
                    prof: &str,
                    sector: &str,
                    m: &Option<TrendModel>,
                    from: i32,
                    factors: &[f64]| {
        let Some(m) = m else { return };
        for (i, f) in factors.iter().enumerate() {
            text[0].push(input.into());
            text[1].push(prof.into());
            text[2].push(sector.into());
            text[3].push(m.fit.name());
            text[4].push((from + i as i32).to_string());
            nums[0].push(Some(m.level));
            nums[1].push(Some(*f));
        }
    };
    let next = sc.base_year + 1;
    for (p, prm) in pr.params.iter().enumerate() {
        let code = &g.professions[p];
        push(
            "admissions",
            code,
            "*",
            &prm.admissions_model,
            next,
            &prm.admissions_trend,
        );
        push(
            "foreign_eu",
            code,
            "*",
            &prm.foreign_model[0],
            next,
            &prm.foreign_trend[0],
        );
        push(
            "foreign_tc",
            code,
            "*",
            &prm.foreign_model[1],
            next,
            &prm.foreign_trend[1],
        );
        push(
            "employment_share",
            code,
            "*",
            &prm.employment_model,
            prm.ratio_trend_from,
            &prm.employment_trend,
        );
        push(
            "fte_per_employed",
            code,
            "*",
            &prm.fte_model,
            prm.ratio_trend_from,
            &prm.fte_trend,
        );
    }
    let cu = &pr.care_use_trend;
    let nk = g.nk();
    for (k, m) in cu.models.iter().enumerate() {
        let f: Vec<f64> = (0..cu.factors.len() / nk.max(1))
            .map(|ti| cu.factors[ti * nk + k])
            .collect();
        push("care_use", "*", &g.sectors[k], m, sc.base_year, &f);
    }
    let names = ["input", "profession", "sector", "method", "year"];
    let mut cols: Vec<(String, Data)> = names
        .iter()
        .zip(text)
        .map(|(n, t)| (n.to_string(), Data::Text(t)))
        .collect();
    let factor = nums.pop().unwrap_or_default();
    let level = nums.pop().unwrap_or_default();
    cols.insert(4, ("level".into(), Data::Num(level)));
    cols.push(("factor".into(), Data::Num(factor)));
    Wide { cols }
}

/// The git revision the binary was built from (or `unknown`).
pub fn git_revision() -> &'static str {
    option_env!("HWF_GIT_REV").unwrap_or("unknown")
}

/// The provenance manifest.
pub fn manifest(pr: &Projection, files: &[(&str, &[u8])]) -> serde_json::Value {
    use sha2::{Digest, Sha256};
    let scenario = serde_json::to_value(&pr.scenario).unwrap_or_default();
    let area = pr.area();
    let mut m = json!({
        "engine": "hwf",
        "version": env!("CARGO_PKG_VERSION"),
        "git_revision": git_revision(),
        "scenario": scenario,
        "seed": pr.scenario.seed,
        "monte_carlo": pr.bands.as_ref().map(|b| json!({"draws": b.draws, "seed": b.seed, "percentiles": b.percentiles})),
        "synthetic_inputs": pr.used.iter().any(|u| u.synthetic),
        "inputs": pr.used.iter().map(|u| {
            let mut v = json!({"key": u.key, "file": u.file, "sha256": u.sha256, "synthetic": u.synthetic});
            // Why an input that is no embedded file counts as synthetic, and rows left out.
            if u.synthetic && !u.file.starts_with(crate::defaults::DIR) {
                v["synthetic_because"] = json!(u.synthetic_why);
            }
            if !u.notes.is_empty() {
                v["notes"] = json!(u.notes);
            }
            if u.imputed > 0 {
                v["imputed_cells"] = json!(u.imputed);
            }
            // The requests that made a fetched file (`hwf fetch`'s record of it).
            if let Some(f) = &u.fetched {
                v["fetched"] = serde_json::to_value(f).unwrap_or_default();
            }
            v
        }).collect::<Vec<_>>(),
        "outputs": files.iter().map(|(n, b)| json!({"file": n, "sha256": crate::model::scenario::hex(&Sha256::digest(b))})).collect::<Vec<_>>(),
    });
    // Part of the country: which counties and regions, and the total row's code.
    if !area.whole {
        m["scope"] = json!({
            "counties": area.counties,
            "healthcare_regions": area.regions,
            "total_code": area.total_code(),
            "name": area.name(false),
        });
    }
    m
}

/// One xlsx workbook with a sheet per table (numbers as numbers, empty cells where there is none;
/// sheets named as the tables' files). With `swedish`, column names and text cells are in Swedish
/// as in the `_sv.csv` files ([`swedish_header`], [`swedish_word`]); numbers keep their precision.
///
/// # Errors
///
/// The encoder's error (e.g. a sheet name over 31 characters).
pub fn workbook(
    tables: &[(&str, Wide)],
    swedish: bool,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let bold = Format::new().set_bold();
    for (name, t) in tables {
        let ws = wb.add_worksheet();
        ws.set_name(*name)?;
        for (c, (h, d)) in t.cols.iter().enumerate() {
            let c = c as u16;
            let h = if swedish {
                swedish_header(h)
            } else {
                h.clone()
            };
            ws.write_string_with_format(0, c, &h, &bold)?;
            match d {
                Data::Text(v) => {
                    for (r, x) in v.iter().enumerate() {
                        let x = if swedish { swedish_word(x) } else { x };
                        ws.write_string(r as u32 + 1, c, x)?;
                    }
                }
                Data::Num(v) => {
                    for (r, x) in v.iter().enumerate() {
                        if let Some(x) = x {
                            ws.write_number(r as u32 + 1, c, *x)?;
                        }
                    }
                }
            }
        }
    }
    wb.save_to_buffer()
}

/// The files of a projection, by name, with the register's counts withheld.
///
/// # Errors
///
/// A Parquet encoder error, as text.
pub fn files(pr: &Projection) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    files_with(pr, true)
}

/// The files of a projection, by name; `protect` as in [`results_table_with`].
///
/// # Errors
///
/// A Parquet encoder error, as text.
pub fn files_with(pr: &Projection, protect: bool) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let profile = if protect {
        Profile::default()
    } else {
        Profile::Unprotected
    };
    files_under(pr, profile)
}

/// The files of a projection, by name, the register's counts withheld unless `profile` is
/// [`Profile::Unprotected`], and the municipal table under `profile`'s rule.
///
/// # Errors
///
/// A Parquet encoder error, as text.
pub fn files_under(
    pr: &Projection,
    profile: Profile,
) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let protect = profile.protects();
    let results = results_table_with(pr, protect);
    let flows = flows_table_with(pr, protect);
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("results.csv", results.csv()),
        (
            "results.parquet",
            results.parquet().map_err(|e| e.to_string())?,
        ),
        ("flows.csv", flows.csv()),
        ("flows.parquet", flows.parquet().map_err(|e| e.to_string())?),
        ("intake.csv", intake_table(pr).csv()),
        ("intake_sensitivity.csv", intake_sensitivity_table(pr).csv()),
    ];
    if pr.intake.iter().any(|r| !r.regions.is_empty()) {
        files.push(("intake_regions.csv", intake_regions_table(pr).csv()));
    }
    if pr.intake.iter().any(|r| r.path.is_some()) {
        files.push(("intake_path.csv", intake_path_table(pr).csv()));
    }
    files.extend([
        ("graduates_forecast.csv", graduates_table(pr).csv()),
        ("parameters.csv", parameters_table(pr).csv()),
        ("county_levels.csv", county_levels_table(pr).csv()),
    ]);
    if pr.moves_by_age() {
        files.push(("county_exits.csv", county_exits_table(pr).csv()));
    }
    if pr.params.iter().any(|p| p.parent.is_some()) {
        files.push(("layers.csv", layers_table(pr).csv()));
    }
    if pr.inputs.services.is_some() {
        files.push(("demand_services.csv", demand_services_table(pr).csv()));
    }
    let sps = &pr.specialties;
    if !sps.is_empty() {
        files.push(("specialties.csv", specialties_table(pr).csv()));
    }
    if sps.iter().any(|sp| !sp.st_years.is_empty()) {
        files.push(("st.csv", st_table(pr).csv()));
        files.push(("training_stages.csv", training_stages_table(pr).csv()));
    }
    if sps.iter().any(|sp| !sp.required.is_empty()) {
        files.push(("st_required.csv", st_required_table(pr).csv()));
        files.push(("st_sensitivity.csv", st_sensitivity_table(pr).csv()));
    }
    if let Some(t) = municipal_table(pr, profile) {
        files.push(("municipalities.csv", t.csv()));
    }
    files.extend([
        ("trends.csv", trends_table(pr).csv()),
        ("scenario.toml", pr.scenario.to_toml().into_bytes()),
    ]);
    if pr.bands.is_some() {
        let bands = bands_table_with(pr, protect);
        files.push(("bands.csv", bands.csv()));
        files.push(("bands.parquet", bands.parquet().map_err(|e| e.to_string())?));
        files.push(("intake_bands.csv", intake_bands_table(pr).csv()));
        if pr.bands.as_ref().is_some_and(|b| !b.groups.is_empty()) {
            files.push(("specialties_bands.csv", specialties_bands_table(pr).csv()));
        }
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let m = serde_json::to_vec_pretty(&manifest(pr, &refs)).unwrap_or_default();
    files.push(("manifest.json", m));
    Ok(files)
}

/// Municipal health care per municipality ([`crate::model::municipal`]): municipality × profession
/// × year from the base year to the horizon, supply, demand and gap in FTE (two decimals) and
/// `status`. A municipality whose employed persons in the profession the disclosure rule
/// suppresses (and the further municipalities the rule must hide with it, so that the county's
/// sum does not give it away) has status `suppressed` and no figures: its projection would repeat
/// the register's small count. `None` without the municipal tables.
pub fn municipal_table(pr: &Projection, profile: Profile) -> Option<Wide> {
    municipal_table_in(pr, profile, None)
}

/// [`municipal_table`] for the municipalities of `counties` (indices of the run's county axis)
/// alone, or of every county (`None`); the disclosure rule runs over each whole county as there.
pub fn municipal_table_in(
    pr: &Projection,
    profile: Profile,
    counties: Option<&[usize]>,
) -> Option<Wide> {
    let mu = pr.municipal.as_ref()?;
    let g = &pr.inputs.grid;
    let codes = crate::codes::CodeLists::get();
    let npl = mu.professions.len();
    let hidden = municipal_hidden(mu, g.nc(), profile);
    let mut text: [Vec<String>; 5] = Default::default();
    let mut nums: [Vec<Option<f64>>; 3] = Default::default();
    let mut status = Vec::new();
    for (m, code) in mu.municipalities.iter().enumerate() {
        if counties.is_some_and(|cs| !cs.contains(&mu.county[m])) {
            continue;
        }
        let name = codes
            .municipality(code)
            .map_or_else(String::new, |x| x.name_sv.clone());
        for (pl, &p) in mu.professions.iter().enumerate() {
            let hide = hidden[m * npl + pl];
            for (ti, y) in mu.years.iter().enumerate() {
                status.push(if hide { "suppressed" } else { "published" }.to_string());
                let at = mu.at(m, pl, ti);
                text[0].push(code.clone());
                text[1].push(name.clone());
                text[2].push(g.counties[mu.county[m]].clone());
                text[3].push(g.professions[p].clone());
                text[4].push(y.to_string());
                let (s, d) = (mu.supply[at], mu.demand[at]);
                let shown = |v: f64| (!hide).then(|| rounded(v, 2));
                nums[0].push(shown(s));
                nums[1].push(shown(d));
                nums[2].push(shown(s - d));
            }
        }
    }
    let [municipality, name, county, profession, year] = text;
    let [supply, demand, gap] = nums;
    Some(Wide::from_columns(
        vec![
            ("municipality", municipality),
            ("municipality_name", name),
            ("county", county),
            ("profession", profession),
            ("year", year),
            ("status", status),
        ],
        vec![
            ("supply_fte", supply),
            ("demand_fte", demand),
            ("gap_fte", gap),
        ],
    ))
}

/// The (municipality, profession) pairs the municipal table hides under `profile`, `[m][profession]`:
/// per county and profession, the municipalities its employed persons need hidden (the primary
/// rule, then those that would give a hidden one away from the county's total).
pub fn municipal_hidden(mu: &Municipal, nc: usize, profile: Profile) -> Vec<bool> {
    let npl = mu.professions.len();
    let mut hidden = vec![false; mu.municipalities.len() * npl];
    for c in 0..nc {
        let ms: Vec<usize> = (0..mu.municipalities.len())
            .filter(|&m| mu.county[m] == c)
            .collect();
        for pl in 0..npl {
            let counts: Vec<f64> = ms.iter().map(|&m| mu.employed[m * npl + pl]).collect();
            for (r, h) in hidden_municipalities(&counts, profile)
                .into_iter()
                .enumerate()
            {
                hidden[ms[r] * npl + pl] = h;
            }
        }
    }
    hidden
}

/// Which of a county's municipalities (their employed persons `counts` in one profession) the
/// municipal table hides under `profile`: those the primary rule suppresses, then, while an
/// attacker who knows the county's total ([`disclosure::exposures`], the total taken as published:
/// the county's own figures are) can still narrow a hidden one beyond its protection, the smallest
/// published municipality with staff (a published zero only when none is left).
fn hidden_municipalities(counts: &[f64], profile: Profile) -> Vec<bool> {
    let n = counts.len();
    let grid = disclosure::CountTable::with_margins(n, 1, counts);
    let mut s = vec![false; grid.values.len()];
    let hide = |s: &mut Vec<bool>, r: usize| {
        s[grid.at(r, 0)] = true;
        s[grid.at(r, 1)] = true;
    };
    for (r, &x) in counts.iter().enumerate() {
        if profile.primary(x) {
            hide(&mut s, r);
        }
    }
    while s.iter().any(|&h| h)
        && disclosure::exposures(&grid, &s, profile)
            .iter()
            .any(|e| e.fails(profile))
    {
        let open = |r: &usize| !s[grid.at(*r, 0)];
        let pick = (0..n)
            .filter(|r| open(r) && counts[*r] > 0.0)
            .min_by(|a, b| counts[*a].total_cmp(&counts[*b]).then(a.cmp(b)))
            .or_else(|| (0..n).find(open));
        match pick {
            Some(r) => hide(&mut s, r),
            None => break,
        }
    }
    (0..n).map(|r| s[grid.at(r, 0)]).collect()
}

/// Writes the projection's files into a new folder `dir` inside a folder being built (not atomic on
/// its own; [`write()`] and the report wrap it); `protect` as in [`results_table_with`].
///
/// # Errors
///
/// I/O errors, and an encoder error as `io::Error`.
pub fn write_into(pr: &Projection, dir: &Path, protect: bool) -> std::io::Result<()> {
    let files = files_with(pr, protect).map_err(std::io::Error::other)?;
    std::fs::create_dir_all(dir)?;
    for (n, b) in &files {
        std::fs::write(dir.join(n), b)?;
    }
    Ok(())
}

/// Writes every output of a projection into `dir`, whole or not at all.
///
/// # Errors
///
/// [`PublishError`] when the folder cannot be written or Parquet encoding fails.
pub fn write(pr: &Projection, out: &atomic::OutDir) -> Result<(), PublishError> {
    let files = files(pr).map_err(|message| PublishError::Encode {
        path: out.path().to_path_buf(),
        what: "Parquet".into(),
        message,
    })?;
    atomic::write_dir(out, |tmp| {
        for (n, b) in &files {
            std::fs::write(tmp.join(n), b)?;
        }
        Ok(())
    })
}

/// The projection at its horizon for people (`hwf project`): the scope when the run covers part of
/// Sweden, then per profession supply, demand, gap and the balance label, with the gap's band and
/// the probability of shortage when there were draws; then the lines on synthetic and imputed
/// inputs, where there are any.
pub fn balance_text(pr: &Projection) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let horizon = pr.scenario.horizon;
    let g = &pr.inputs.grid;
    let ti = pr.years.iter().position(|&y| y == horizon).unwrap_or(0);
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
        let _ = writeln!(
            s,
            "scope: {} (the figures are these counties' sum, not Sweden)",
            area.name(false)
        );
    }
    let _ = writeln!(
        s,
        "{:<6} {:>10} {:>10} {:>9}  balance {horizon}{band_head}",
        "prof", "supply", "demand", "gap"
    );
    for p in 0..g.np() {
        let (supply, demand) = pr.total_fte(ti, p);
        let demand = demand.unwrap_or(f64::NAN);
        let band = bands.map_or(String::new(), |b| {
            let last = b.years.len() - 1;
            let q = b.q(p, Variable::Gap, Region::Total, last);
            format!(
                "  {:>9.0} … {:<9.0} {:>5.0} %",
                q[0],
                q[q.len() - 1],
                100.0 * b.shortage_of(p, Region::Total, last)
            )
        });
        let _ = writeln!(
            s,
            "{:<6} {:>10.0} {:>10.0} {:>9.0}  {:<8}{band}",
            g.professions[p],
            supply,
            demand,
            supply - demand,
            pr.label(supply, demand)
        );
    }
    for line in [pr.synthetic_summary(), pr.imputed_summary()]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(s, "{line}");
    }
    s
}
