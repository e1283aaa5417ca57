//! One report per principal: `hwf report --county 23`, `--region Norra`, `--all-counties`.
//!
//! A county's (or health-care region's) report is written from the national run, with the national
//! report's machinery ([`super::report`]: page head and banners, number formatting, the charts of
//! a profession for a set of counties, the data sources; [`super::atomic`] for the folder):
//!
//! ```text
//! report.html                     the county's report, one file, charts inlined as SVG
//! charts/<chart>_<prof>.svg       supply_demand, age_pyramid, flows (a region: also gap_by_county)
//! tables/years.csv                profession × year: supply, demand, gap (FTE), probability of
//!                                 shortage, per 1 000 inhabitants beside the nation's
//! tables/years_sv.csv             the same, Swedish Excel style
//! ```
//!
//! `--all-counties` writes one such folder per county (named by its code, `01` … `25`) and an
//! `index.html` linking them, with a summary table.
//!
//! Disclosure control applies as in the national report. The register's counts of persons in a
//! county report are the base-year FTE and persons of [`super::report::disclosed`] (the same cells
//! and the same mask as the national table) and the base-year bars of the age pyramid: each band
//! × sex over the counties, with the national bar as its known total, is protected under the run's
//! profile ([`county_pyramids`], [`protect_relation`]), so that the 21 county pyramids together
//! give away no suppressed bar; a region's bar is drawn only when every county bar it sums is
//! published (it then tells nothing new). Supply, demand and flows are projections and are published as they are; the register's
//! own years of supply are withheld as `projection/results` withholds them.

use super::atomic::{self, PublishError};
use super::charts::Drawn;
use super::disclosure::Profile;
use super::report::{
    self, Disclosed, Options, Part, county_name, esc, header_row, label_word, num, prof_name, tr,
};
use super::results::{Data, Wide};
use super::survey;
use crate::codes::{CodeLists, List, Lookup};
use crate::model::Projection;
use crate::model::inputs::NA;
use crate::model::scope::Region;
use crate::table::Lang;
use std::fmt::Write as _;

/// Whose report: a county or a health-care region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A county (län; its region is the principal of its health care).
    County,
    /// A health-care region (sjukvårdsregion): several counties.
    Region,
}

/// A principal a report is written for: a county or a health-care region, with its counties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// County or region.
    pub kind: Kind,
    /// Its code (`23`, `N`).
    pub code: String,
    /// The county codes it covers, in code-list order.
    pub counties: Vec<String>,
}

/// A principal that cannot be reported on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrincipalError {
    /// Not a county (or health-care region) of the code lists.
    #[error(
        "--{flag} {given:?}: not a {what}{}; expected a code or name from data/codes/{file}",
        if .nearest.is_empty() { String::new() } else { format!(" (nearest: {})", .nearest.join(" or ")) }
    )]
    Unknown {
        /// The option (`county`, `region`).
        flag: &'static str,
        /// What was given.
        given: String,
        /// What it should have been (`county`, `health-care region`).
        what: &'static str,
        /// The code list's file (`counties.csv`).
        file: &'static str,
        /// The nearest official names with their codes.
        nearest: Vec<String>,
    },
    /// The principal's counties are not all in the run (a run with a `[scope]`).
    #[error(
        "--{flag} {given:?}: the run covers {area}, not county {missing}; expected a principal inside the scenario's [scope], or a national run"
    )]
    OutsideRun {
        /// The option.
        flag: &'static str,
        /// What was given.
        given: String,
        /// The first county of the principal the run lacks.
        missing: String,
        /// What the run covers.
        area: String,
    },
}

impl Principal {
    /// The county `text` names: its code (`23`) or its name (`Jämtlands län`, `Jämtland`), as in
    /// `data/codes/counties.csv`.
    ///
    /// # Errors
    ///
    /// [`PrincipalError::Unknown`] with the nearest names.
    pub fn county(text: &str) -> Result<Principal, PrincipalError> {
        match CodeLists::get().lookup(List::Counties, text) {
            Lookup::Code(code) => Ok(Principal {
                kind: Kind::County,
                counties: vec![code.clone()],
                code,
            }),
            Lookup::Total => Err(unknown("county", text, Vec::new())),
            Lookup::Unknown { nearest } => Err(unknown("county", text, nearest)),
        }
    }

    /// The health-care region `text` names: its code (`N`) or name (`Norra`), as in
    /// `data/codes/healthcare_regions.csv`.
    ///
    /// # Errors
    ///
    /// [`PrincipalError::Unknown`] with the nearest names.
    pub fn region(text: &str) -> Result<Principal, PrincipalError> {
        let l = CodeLists::get();
        match l.lookup(List::HealthcareRegions, text) {
            Lookup::Code(code) => Ok(Principal {
                kind: Kind::Region,
                counties: l
                    .counties
                    .iter()
                    .filter(|c| c.healthcare_region == code)
                    .map(|c| c.code.clone())
                    .collect(),
                code,
            }),
            Lookup::Total => Err(unknown("region", text, Vec::new())),
            Lookup::Unknown { nearest } => Err(unknown("region", text, nearest)),
        }
    }

    /// Every county of the run, in its order.
    pub fn all_counties(pr: &Projection) -> Vec<Principal> {
        pr.inputs
            .grid
            .counties
            .iter()
            .map(|c| Principal {
                kind: Kind::County,
                code: c.clone(),
                counties: vec![c.clone()],
            })
            .collect()
    }

    /// The principal's name: `Jämtlands län`; `Sjukvårdsregion Norra`.
    pub fn name(&self, lang: Lang) -> String {
        match self.kind {
            Kind::County => county_name(&self.code, lang),
            Kind::Region => {
                let l = CodeLists::get();
                let r = l.healthcare_regions.iter().find(|r| r.code == self.code);
                match (r, lang) {
                    (Some(r), Lang::Sv) => format!("Sjukvårdsregion {}", r.name_sv),
                    (Some(r), Lang::En) => format!("{} health-care region", r.name_en),
                    (None, _) => self.code.clone(),
                }
            }
        }
    }

    /// The principal's counties as indices into the run's counties.
    ///
    /// # Errors
    ///
    /// [`PrincipalError::OutsideRun`] when the run (a `[scope]`) lacks one of them.
    pub fn indices(&self, pr: &Projection) -> Result<Vec<usize>, PrincipalError> {
        let g = &pr.inputs.grid;
        self.counties
            .iter()
            .map(|code| {
                g.counties.iter().position(|c| c == code).ok_or_else(|| {
                    PrincipalError::OutsideRun {
                        flag: self.flag(),
                        given: self.code.clone(),
                        missing: code.clone(),
                        area: pr.area().name(false),
                    }
                })
            })
            .collect()
    }

    /// Checks, before a run, that the area a scenario covers holds the principal's counties.
    ///
    /// # Errors
    ///
    /// [`PrincipalError::OutsideRun`] naming the first county the area lacks.
    pub fn check_in(&self, area: &crate::model::scope::Area) -> Result<(), PrincipalError> {
        match self.counties.iter().find(|c| !area.counties.contains(c)) {
            None => Ok(()),
            Some(missing) => Err(PrincipalError::OutsideRun {
                flag: self.flag(),
                given: self.code.clone(),
                missing: missing.clone(),
                area: area.name(false),
            }),
        }
    }

    fn flag(&self) -> &'static str {
        match self.kind {
            Kind::County => "county",
            Kind::Region => "region",
        }
    }
}

fn unknown(flag: &'static str, given: &str, nearest: Vec<String>) -> PrincipalError {
    let (what, file) = if flag == "county" {
        ("county", "counties.csv")
    } else {
        ("health-care region", "healthcare_regions.csv")
    };
    PrincipalError::Unknown {
        flag,
        given: given.to_string(),
        what,
        file,
        nearest,
    }
}

/// The base-year bars of the age pyramids of every county, per profession, as they may be drawn:
/// `[p][county][band] = (men, women)`, a suppressed bar `NaN`.
///
/// What the bars publish: each bar is the register's licensed persons of one county, 5-year band
/// and sex, and the only relation among them is that a band and sex summed over the counties is the
/// national bar of the national report (no county totals are published; the attacker is assumed to
/// know every national bar, even one the national report withholds). So each band × sex is one
/// relation, protected on its own by [`protect_relation`]; published bars are rounded as the
/// profile rounds counts.
pub fn county_pyramids(pr: &Projection, profile: Profile) -> Vec<Vec<Vec<(f64, f64)>>> {
    let g = &pr.inputs.grid;
    let nb = NA.div_ceil(5);
    (0..g.np())
        .map(|p| {
            // [county][band] (men, women); the register's counts are whole persons.
            let bars: Vec<Vec<(f64, f64)>> = (0..g.nc())
                .map(|c| {
                    report::pyramid_bars(pr, p, &[c], 0)
                        .into_iter()
                        .map(|(m, w)| (m.round(), w.round()))
                        .collect()
                })
                .collect();
            let mut out = vec![vec![(f64::NAN, f64::NAN); nb]; g.nc()];
            for b in 0..nb {
                for sx in 0..2 {
                    let pick = |x: &(f64, f64)| if sx == 0 { x.0 } else { x.1 };
                    let values: Vec<f64> = bars.iter().map(|c| pick(&c[b])).collect();
                    let hidden = protect_relation(&values, profile);
                    for c in 0..g.nc() {
                        let v = if hidden[c] {
                            f64::NAN
                        } else {
                            profile.publish(values[c])
                        };
                        if sx == 0 {
                            out[c][b].0 = v;
                        } else {
                            out[c][b].1 = v;
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Which cells of one relation (counts whose total the attacker knows) to suppress under
/// `profile`: the primary cells (`0 < n ≤ max_n`), then the smallest non-zero published cell, one
/// at a time, until every suppressed cell keeps its protection interval; when no published non-zero
/// cell is left and one is still exposed, every cell (zeros too).
///
/// With zeros published, a suppressed cell holds at least one person, so for `k` suppressed cells
/// whose sum is `S` (the total less the published cells) each lies in `[1, S − (k − 1)]`, also for a
/// respondent alone in a one-person cell (who learns nothing more than `≥ 1` about the others). As
/// in [`super::disclosure`], a cell of `t ≤ max_n` persons is protected when `S − (k − 1) ≥ t +
/// max_n` (the lower end, 1, is never above `max(1, t − max_n)`), and a larger one is never pinned
/// nor inside `[1, max_n]`. Rounding (ONS 10-5) is ignored, which only protects more.
pub fn protect_relation(values: &[f64], profile: Profile) -> Vec<bool> {
    let mut s: Vec<bool> = values.iter().map(|&v| profile.primary(v)).collect();
    if !profile.protects() {
        return s;
    }
    let max_n = f64::from(profile.max_n());
    loop {
        let k = s.iter().filter(|x| **x).count();
        if k == 0 {
            return s;
        }
        let sum: f64 = (0..values.len()).filter(|&i| s[i]).map(|i| values[i]).sum();
        let upper = sum - (k as f64 - 1.0);
        // A cell above the threshold is not sensitive: its interval [1, upper] already reaches
        // past max_n (upper ≥ its own value); a small one must reach t + max_n.
        let exposed =
            (0..values.len()).any(|i| s[i] && values[i] <= max_n && upper < values[i] + max_n);
        if !exposed {
            return s;
        }
        let next = (0..values.len())
            .filter(|&i| !s[i] && values[i] > 0.0)
            .min_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
        match next {
            Some(i) => s[i] = true,
            None => return vec![true; values.len()],
        }
    }
}

/// The bars of `counties` summed: a bar is drawn only when every county's bar is.
fn summed_bars(bars: &[Vec<(f64, f64)>], counties: &[usize]) -> Vec<(f64, f64)> {
    let nb = bars.first().map_or(0, Vec::len);
    (0..nb)
        .map(|b| {
            counties.iter().fold((0.0, 0.0), |acc, &c| {
                (acc.0 + bars[c][b].0, acc.1 + bars[c][b].1)
            })
        })
        .collect()
}

/// Everything the county reports of one run share: the disclosure-controlled base-year table and
/// the county pyramids (computed once for `--all-counties`).
pub struct Shared {
    /// The base-year table of the national report.
    pub disclosed: Disclosed,
    /// [`county_pyramids`].
    pub pyramids: Vec<Vec<Vec<(f64, f64)>>>,
    /// The principals' survey ([`Projection::survey`]).
    pub survey: crate::model::survey::Survey,
}

impl Shared {
    /// Computes what the reports of `pr` share under `profile`.
    pub fn new(pr: &Projection, profile: Profile) -> Shared {
        Shared {
            disclosed: report::disclosed(pr, profile),
            pyramids: county_pyramids(pr, profile),
            survey: pr.survey(),
        }
    }
}

/// One principal's report in memory: the page, the charts and the tables.
pub struct Built {
    /// The principal.
    pub principal: Principal,
    /// `report.html`.
    pub page: String,
    /// The charts, per profession.
    pub charts: Vec<Drawn>,
    /// `tables/years.csv` ([`years_table`]).
    pub years: Wide,
    /// One line per profession for the index page: (profession, gap in the horizon year, label).
    pub summary: Vec<(usize, f64, &'static str)>,
    /// `tables/municipalities.csv`: the principal's rows of
    /// [`super::results::municipal_table`], with the scenario's `[municipal]` tables.
    pub municipal: Option<Wide>,
}

/// Builds the report of `who`.
///
/// # Errors
///
/// [`PublishError::Encode`] when a chart cannot be drawn.
pub fn build(
    pr: &Projection,
    who: &Principal,
    idx: &[usize],
    funding: Option<&[crate::allocate::funding::Stream]>,
    opts: &Options,
    shared: &Shared,
) -> Result<Built, PublishError> {
    let g = &pr.inputs.grid;
    let lang = opts.lang;
    let band_region = match (&pr.bands, who.kind) {
        (Some(b), Kind::County) => b.region_of(&who.code),
        _ => None,
    };
    let mut charts = Vec::new();
    let mut per_prof = Vec::new();
    for p in 0..g.np() {
        let part = Part {
            counties: idx,
            name: who.name(lang),
            band_region,
            ranked: who.kind == Kind::Region,
            pyramid_base: Some(summed_bars(&shared.pyramids[p], idx)),
        };
        let drawn =
            super::charts::svg_only(|| report::part_charts(pr, p, lang, opts.disclosure, &part))
                .map_err(|e| PublishError::Encode {
                    path: "charts".into(),
                    what: "chart".into(),
                    message: e.to_string(),
                })?;
        per_prof.push(drawn);
    }
    let page = page(pr, who, idx, funding, opts, shared, band_region, &per_prof);
    for d in per_prof {
        charts.extend(d);
    }
    let h = pr
        .years
        .iter()
        .position(|&y| y == pr.scenario.horizon)
        .unwrap_or(0);
    let summary = (0..g.np())
        .map(|p| {
            let (s, d) = report::part_sums(pr, h, p, idx);
            let d = d.unwrap_or(f64::NAN);
            (p, s - d, pr.label(s, d))
        })
        .collect();
    Ok(Built {
        principal: who.clone(),
        page,
        charts,
        years: years_table(pr, idx, band_region, opts.disclosure),
        summary,
        municipal: super::results::municipal_table_in(pr, opts.disclosure, Some(idx)),
    })
}

/// Inhabitants of `counties` (all ages) in `year`.
fn people(pr: &Projection, counties: &[usize], year: i32) -> f64 {
    let pop = report::population_in(pr, year);
    let g = &pr.inputs.grid;
    counties
        .iter()
        .map(|&c| pop.get(&g.counties[c]).copied().unwrap_or(f64::NAN))
        .sum()
}
/// The probability of shortage of profession `p` in `year` in `r` (a county of the bands).
/// The probability of shortage of profession `p` in `year` in the bands' region `r`.
fn shortage_probability(pr: &Projection, p: usize, r: Option<Region>, year: i32) -> Option<f64> {
    let b = pr.bands.as_ref()?;
    let ti = b.years.iter().position(|&y| y == year)?;
    Some(b.shortage_of(p, r?, ti)).filter(|x| x.is_finite())
}

/// The principal's table: profession × planning year (the base year, 2030, 2035 and the horizon):
/// supply, demand and gap in FTE, the balance, the probability of shortage (a county's, with
/// draws), and supply and demand per 1 000 inhabitants beside the run's total (Sweden, or the
/// scope).
pub fn years_table(
    pr: &Projection,
    idx: &[usize],
    band_region: Option<Region>,
    profile: Profile,
) -> Wide {
    let g = &pr.inputs.grid;
    let all: Vec<usize> = (0..g.nc()).collect();
    let years = report::plan_years(pr);
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut v: Vec<Vec<Option<f64>>> = vec![Vec::new(); 8];
    for p in 0..g.np() {
        for &ti in &years {
            let y = pr.years[ti];
            let (s, d) = report::part_sums(pr, ti, p, idx);
            let (sn, dn) = report::part_sums(pr, ti, p, &all);
            let s = report::published_supply(pr, ti, s, profile);
            let sn = report::published_supply(pr, ti, sn, profile);
            let (here, nation) = (people(pr, idx, y), people(pr, &all, y));
            text[0].push(g.professions[p].clone());
            text[1].push(y.to_string());
            text[2].push(
                s.zip(d)
                    .map(|(s, d)| pr.label(s, d).to_string())
                    .unwrap_or_default(),
            );
            v[0].push(s);
            v[1].push(d);
            v[2].push(s.zip(d).map(|(s, d)| s - d));
            v[3].push(shortage_probability(pr, p, band_region, y));
            v[4].push(s.map(|s| 1000.0 * s / here));
            v[5].push(d.map(|d| 1000.0 * d / here));
            v[6].push(sn.map(|s| 1000.0 * s / nation));
            v[7].push(dn.map(|d| 1000.0 * d / nation));
        }
    }
    let total = pr.area().total_code();
    let mut t = text.into_iter();
    let mut n = v.into_iter();
    let mut num_col = |name: String| (name, Data::Num(n.next().unwrap_or_default()));
    let mut cols = vec![
        (
            "profession".into(),
            Data::Text(t.next().unwrap_or_default()),
        ),
        ("year".into(), Data::Text(t.next().unwrap_or_default())),
        ("balance".into(), Data::Text(t.next().unwrap_or_default())),
    ];
    for name in [
        "supply_fte".to_string(),
        "demand_fte".into(),
        "gap_fte".into(),
        "shortage_probability".into(),
        "supply_fte_per_1000".into(),
        "demand_fte_per_1000".into(),
        format!("supply_fte_per_1000_{total}"),
        format!("demand_fte_per_1000_{total}"),
    ] {
        cols.push(num_col(name));
    }
    Wide { cols }
}

/// The required intake's share of `counties`: the share of the nation's licences from Swedish
/// education that the projection gives them over the required intake's window, and the required
/// intake times that share.
fn intake_share(pr: &Projection, p: usize, idx: &[usize]) -> Option<(f64, Option<f64>)> {
    let r = pr.intake.iter().find(|r| r.profession == p)?;
    let b = &pr.scenario.balance;
    let path = &pr.paths[p];
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    let all: Vec<usize> = (0..g.nc()).collect();
    let (mut here, mut nation) = (0.0, 0.0);
    for (ti, &y) in path.years.iter().enumerate() {
        if y >= b.window_start() && y <= b.target_year {
            let block = &path.inflow[0][ti * per..(ti + 1) * per];
            here += report::part_sum(block, idx);
            nation += report::part_sum(block, &all);
        }
    }
    (nation > 0.0).then(|| {
        let share = here / nation;
        (share, r.required.map(|q| q * share))
    })
}

#[allow(clippy::too_many_arguments)] // the parts of one page, computed once by `build`
fn page(
    pr: &Projection,
    who: &Principal,
    idx: &[usize],
    funding: Option<&[crate::allocate::funding::Stream]>,
    opts: &Options,
    shared: &Shared,
    band_region: Option<Region>,
    charts: &[Vec<Drawn>],
) -> String {
    let lang = opts.lang;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let name = who.name(lang);
    let title = page_title(sc, lang, &name);
    let mut o = report::page_start(pr, opts, &title);
    let nation = if pr.area().whole {
        tr(lang, "riket", "Sweden").to_string()
    } else {
        pr.area().name(lang == Lang::Sv)
    };
    let counties: Vec<String> = idx
        .iter()
        .map(|&c| format!("{} ({})", county_name(&g.counties[c], lang), g.counties[c]))
        .collect();
    let _ = writeln!(
        o,
        "<p>{} <b>{}</b>. {} {}, {} {}. {}: {}. {}</p>",
        tr(lang, "Scenario:", "Scenario:"),
        esc(&sc.name),
        tr(lang, "Basår", "Base year"),
        sc.base_year,
        tr(lang, "framskrivning till", "projected to"),
        sc.horizon,
        tr(lang, "Län", "Counties"),
        esc(&counties.join(", ")),
        match lang {
            Lang::Sv => format!(
                "Rapporten är ett utdrag ur den nationella körningen ({}): samma framskrivning, de här länens rader. Tillgång, efterfrågan och gap är heltidsekvivalenter i alla tabeller.",
                esc(&nation)
            ),
            Lang::En => format!(
                "The report is an extract of the national run ({}): the same projection, the rows of these counties. Supply, demand and gap are full-time equivalents in every table.",
                esc(&nation)
            ),
        }
    );
    let years = report::plan_years(pr);
    // Contents.
    let _ = write!(
        o,
        "<nav><h2 style=\"border:none\">{}</h2><ol><li><a href=\"#summary\">{}</a></li>",
        tr(lang, "Innehåll", "Contents"),
        tr(lang, "Sammanfattning", "Summary")
    );
    for code in &g.professions {
        let _ = write!(
            o,
            "<li><a href=\"#p-{code}\">{}</a></li>",
            esc(&prof_name(code, lang))
        );
    }
    if !shared.survey.is_empty() {
        let _ = write!(
            o,
            "<li><a href=\"#survey\">{}</a></li>",
            survey::survey_heading(lang)
        );
    }
    if has_municipalities(pr, idx) {
        let _ = write!(
            o,
            "<li><a href=\"#municipal\">{}</a></li>",
            municipal_heading(lang)
        );
    }
    if pr.inputs.services.is_some() {
        let _ = write!(
            o,
            "<li><a href=\"#services\">{}</a></li>",
            report::services_heading(lang)
        );
    }
    report::layers_toc(&mut o, pr, lang);
    if funding.is_some() {
        let _ = write!(
            o,
            "<li><a href=\"#funding\">{}</a></li>",
            tr(lang, "Finansiering", "Funding")
        );
    }
    let _ = writeln!(
        o,
        "<li><a href=\"#sources\">{}</a></li></ol></nav>",
        own_heading(lang, idx.len() > 1)
    );
    summary(&mut o, pr, idx, band_region, &years, opts);
    survey(&mut o, pr, idx, &shared.survey, lang);
    municipal_section(&mut o, pr, idx, opts);
    report::services_section(&mut o, pr, idx, &name, lang);
    report::layers_section(&mut o, pr, idx, &name, lang);
    for (p, drawn) in charts.iter().enumerate() {
        let at = At {
            p,
            idx,
            band_region,
            years: &years,
            hc_region: (who.kind == Kind::Region)
                .then(|| pr.inputs.hc_regions.iter().position(|r| *r == who.code))
                .flatten(),
        };
        profession(&mut o, pr, &at, opts, drawn, &nation);
    }
    if let Some(streams) = funding {
        funding_section(&mut o, pr, who, idx, streams, lang);
    }
    own_data(&mut o, pr, idx, opts, shared, lang);
    report::sources(&mut o, pr, lang);
    o.push_str("</body></html>\n");
    o
}

/// The summary: per profession the gap in each planning year, the balance and the probability of
/// shortage in the horizon year.
fn summary(
    o: &mut String,
    pr: &Projection,
    idx: &[usize],
    band_region: Option<Region>,
    years: &[usize],
    opts: &Options,
) {
    let lang = opts.lang;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let _ = write!(
        o,
        "<h2 id=\"summary\">{}</h2><table><tr><th>{}</th>",
        tr(lang, "Sammanfattning", "Summary"),
        tr(lang, "Yrke", "Profession")
    );
    for &ti in years {
        let _ = write!(o, "<th>{} {}</th>", tr(lang, "Gap", "Gap"), pr.years[ti]);
    }
    let _ = writeln!(
        o,
        "<th>{} {}</th><th>{} {}</th></tr>",
        tr(lang, "Balansläge", "Balance"),
        sc.horizon,
        tr(lang, "Sannolikhet för brist", "Probability of shortage"),
        sc.horizon
    );
    for p in 0..g.np() {
        let code = &g.professions[p];
        let _ = write!(
            o,
            "<tr><td><a href=\"#p-{code}\">{}</a></td>",
            esc(&prof_name(code, lang))
        );
        let mut last = "balance";
        for &ti in years {
            let (s, d) = report::part_sums(pr, ti, p, idx);
            let d = d.unwrap_or(f64::NAN);
            match report::published_supply(pr, ti, s, opts.disclosure) {
                Some(s) => {
                    last = pr.label(s, d);
                    let _ = write!(o, "<td class=\"{last}\">{}</td>", num(s - d, 0, lang));
                }
                None => o.push_str("<td>..</td>"),
            }
        }
        let prob = shortage_probability(pr, p, band_region, sc.horizon).map_or_else(
            || "–".to_string(),
            |x| format!("{} %", num(100.0 * x, 0, lang)),
        );
        let _ = writeln!(
            o,
            "<td class=\"{last}\">{}</td><td>{prob}</td></tr>",
            label_word(last, lang)
        );
    }
    let note = if band_region.is_none() && pr.bands.is_some() {
        tr(
            lang,
            " Sannolikheten för brist räknas per län (ur samma dragningar som länets gap); för en sjukvårdsregion finns den i länens rapporter.",
            " The probability of shortage is computed per county (from the same draws as the county's gap); for a health-care region it is in its counties' reports.",
        )
    } else {
        ""
    };
    let no_draws = if pr.bands.is_none() {
        tr(
            lang,
            " Sannolikhet för brist kräver Monte Carlo-dragningar (--draws).",
            " The probability of shortage needs Monte Carlo draws (--draws).",
        )
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "</table><p><small>{}{note}{no_draws}</small></p>",
        tr(
            lang,
            "Gap = tillgång − efterfrågan i heltidsekvivalenter, all regi (region, kommun, privat); negativt är brist.",
            "Gap = supply − demand in full-time equivalents, all sectors (region, municipality, private); negative is a shortage."
        )
    );
}

/// The principals' answers in the counties `idx`: per profession the regions' and the
/// municipalities' answers and non-response, today's assessment, the change of balance and the
/// horizon judged against today.
fn survey(
    o: &mut String,
    pr: &Projection,
    idx: &[usize],
    survey: &crate::model::survey::Survey,
    lang: Lang,
) {
    if survey.is_empty() {
        return;
    }
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let nk = g.nk();
    let types = survey::asked_types(g, survey);
    let _ = write!(
        o,
        "<h2 id=\"survey\">{}</h2><div class=\"scroll\"><table><tr><th>{}</th>",
        survey::survey_heading(lang),
        tr(lang, "Yrke", "Profession")
    );
    for &k in &types {
        let who = match g.sectors[k].as_str() {
            "R" if idx.len() == 1 => tr(lang, "Regionen", "The region"),
            "R" => tr(lang, "Regionerna", "The regions"),
            "K" => tr(lang, "Kommunerna", "The municipalities"),
            _ => tr(lang, "Privata vårdgivare", "Private providers"),
        };
        let _ = write!(
            o,
            "<th>{who}: {}</th><th>{}</th>",
            tr(
                lang,
                "brist / balans / överskott",
                "shortage / balance / surplus"
            ),
            tr(lang, "ej svar", "no answer")
        );
    }
    let _ = writeln!(o, "{}", survey::judgement_heads(sc, lang, ""));
    for p in 0..g.np() {
        if !types.iter().any(|&k| survey.asked[p * nk + k]) {
            continue;
        }
        let _ = write!(
            o,
            "<tr><td><a href=\"#p-{}\">{}</a></td>",
            g.professions[p],
            esc(&prof_name(&g.professions[p], lang))
        );
        for &k in &types {
            if !survey.asked[p * nk + k] {
                o.push_str("<td>–</td><td>–</td>");
                continue;
            }
            let mut counts = [0.0; 3];
            let mut missing = Some(0.0);
            for &c in idx {
                let x = survey.county(p, c, k);
                for (t, v) in counts.iter_mut().zip(x.counts) {
                    *t += v;
                }
                missing = missing.zip(x.non_response()).map(|(a, b)| a + b);
            }
            let _ = write!(
                o,
                "<td>{} / {} / {}</td><td>{}</td>",
                num(counts[0], 0, lang),
                num(counts[1], 0, lang),
                num(counts[2], 0, lang),
                missing.map_or_else(|| "–".into(), |n| num(n, 0, lang))
            );
        }
        let _ = writeln!(
            o,
            "{}",
            survey::judgement_cells(pr.judgement_in(survey, p, idx), lang)
        );
    }
    let _ = writeln!(
        o,
        "</table></div><p><small>{}</small></p>",
        match lang {
            Lang::Sv => format!(
                "Huvudmännens svar i enkäten {base}: regionens och länets kommuners. Ej svar: tillfrågade som inte svarat (räknas inte som balans). Bedömning {base}: det svar som har störst andel när varje huvudmannatyps svar vägs med yrkets årsarbetare hos den. Bedömt läge {h}: dagens bedömning flyttas ett steg mot överskott eller brist när modellens tillgång genom efterfrågan ändras mer än ±{tol} procentenheter till {h} (SCB:s sätt att läsa en prognos). Svaren ändrar inte efterfrågan i basåret.",
                base = sc.base_year,
                h = sc.horizon,
                tol = num(100.0 * sc.balance.tolerance, 0, lang)
            ),
            Lang::En => format!(
                "The principals' answers in the {base} survey: the region's and the county's municipalities'. No answer: asked but did not answer (never counted as balance). Assessment {base}: the answer with the largest share when each principal type's answers weigh by the profession's FTE with it. Judged position {h}: today's assessment moves one step toward surplus or shortage when the model's supply over demand changes by more than ±{tol} points to {h} (SCB's way of reading a projection). The answers do not change base-year demand.",
                base = sc.base_year,
                h = sc.horizon,
                tol = num(100.0 * sc.balance.tolerance, 0, lang)
            ),
        }
    );
}

/// Whether the run has municipal figures for a municipality of `idx`.
fn has_municipalities(pr: &Projection, idx: &[usize]) -> bool {
    pr.municipal
        .as_ref()
        .is_some_and(|mu| mu.county.iter().any(|c| idx.contains(c)))
}

fn municipal_heading(lang: Lang) -> &'static str {
    tr(
        lang,
        "Kommunal hälso- och sjukvård per kommun",
        "Municipal health care per municipality",
    )
}

/// Municipal health care per municipality (the scenario's `[municipal]` tables): per profession
/// the principal's municipalities' supply in the base year and the horizon, demand, gap and
/// balance in the horizon, and the counties' municipal sector as the model projects it; the
/// municipalities the disclosure rule hides ([`super::results::municipal_hidden`]) shown as "..".
fn municipal_section(o: &mut String, pr: &Projection, idx: &[usize], opts: &Options) {
    let Some(mu) = pr
        .municipal
        .as_ref()
        .filter(|_| has_municipalities(pr, idx))
    else {
        return;
    };
    let (lang, g, sc) = (opts.lang, &pr.inputs.grid, &pr.scenario);
    let hidden = super::results::municipal_hidden(mu, g.nc(), opts.disclosure);
    let _ = writeln!(
        o,
        "<h2 id=\"municipal\">{}</h2><p>{}</p>",
        municipal_heading(lang),
        match lang {
            Lang::Sv => format!(
                "Kommunernas egen personal i hälso- och sjukvården (regi K), per kommun: tillgången följer kommunens personal efter ålder {y} (en årskull behåller sin andel av länets när den åldras; yngre årskullar får kommunens andel av länets yrke), efterfrågan kommunens egen befolkning vägd med yrkets vårdkonsumtion, från basåret {base} då efterfrågan är lika med tillgången. Kommunernas tillgång summerar till länets kommunala regi; efterfrågan skiljer sig från länets med hur kommunernas befolkning åldras. \"..\" = kommunen döljs av röjandekontrollen (få anställda {y}, eller en kommun som annars kunde räknas fram ur länets summa). Heltidsekvivalenter.",
                y = mu.year,
                base = sc.base_year
            ),
            Lang::En => format!(
                "The municipalities' own health-care staff (provider form K), per municipality: supply follows the municipality's staff by age in {y} (a cohort keeps its share of the county's as it ages; younger cohorts take the municipality's share of the county's profession), demand the municipality's own population weighted by the profession's care use, from the base year {base}, when demand equals supply. The municipalities' supply adds up to the county's municipal sector; demand differs from the county's as the municipalities' populations age. \"..\" = hidden by disclosure control (few employed in {y}, or a municipality that could otherwise be worked out from the county's sum). Full-time equivalents.",
                y = mu.year,
                base = sc.base_year
            ),
        }
    );
    let heads = [
        tr(lang, "Kommun", "Municipality").to_string(),
        format!("{} {}", tr(lang, "Tillgång", "Supply"), sc.base_year),
        format!("{} {}", tr(lang, "Tillgång", "Supply"), sc.horizon),
        format!("{} {}", tr(lang, "Efterfrågan", "Demand"), sc.horizon),
        format!("{} {}", tr(lang, "Gap", "Gap"), sc.horizon),
        format!("{} {}", tr(lang, "Läge", "Balance"), sc.horizon),
    ];
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    for (pl, &p) in mu.professions.iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3>{}</h3><div class=\"scroll\"><table>{}",
            esc(&prof_name(&g.professions[p], lang)),
            header_row(&heads)
        );
        municipal_rows(o, pr, idx, (pl, p), &hidden, lang);
        o.push_str("</table></div>\n");
    }
}

/// One municipal row: supply in the base year and the horizon, demand, gap and balance in the
/// horizon ("–" for the balance where both are under half an FTE: nothing to judge).
fn municipal_row(
    o: &mut String,
    pr: &Projection,
    name: &str,
    (s_b, s_h, d_h): (f64, f64, f64),
    lang: Lang,
) {
    let _ = writeln!(
        o,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        name,
        num(s_b, 0, lang),
        num(s_h, 0, lang),
        num(d_h, 0, lang),
        num(s_h - d_h, 0, lang),
        if s_h.max(d_h) < 0.5 {
            "–"
        } else {
            label_word(pr.label(s_h, d_h), lang)
        }
    );
}

/// The rows of profession `p` (position `pl` among the municipal professions): each municipality
/// of `idx` (".." where `hidden`), then the counties' municipal sector as the model projects it.
fn municipal_rows(
    o: &mut String,
    pr: &Projection,
    idx: &[usize],
    (pl, p): (usize, usize),
    hidden: &[bool],
    lang: Lang,
) {
    let Some(mu) = pr.municipal.as_ref() else {
        return;
    };
    let (g, sc) = (&pr.inputs.grid, &pr.scenario);
    let (npl, h) = (mu.professions.len(), mu.years.len() - 1);
    for (m, code) in mu.municipalities.iter().enumerate() {
        if !idx.contains(&mu.county[m]) {
            continue;
        }
        let name = CodeLists::get()
            .municipality(code)
            .map_or_else(|| code.clone(), |x| x.name_sv.clone());
        if hidden[m * npl + pl] {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>..</td><td>..</td><td>..</td><td>..</td><td>..</td></tr>",
                esc(&name)
            );
            continue;
        }
        let v = |x: &[f64], ti: usize| x[mu.at(m, pl, ti)];
        let figures = (v(&mu.supply, 0), v(&mu.supply, h), v(&mu.demand, h));
        municipal_row(o, pr, &esc(&name), figures, lang);
    }
    let Some(k) = g
        .sectors
        .iter()
        .position(|s| s == crate::model::municipal::SECTOR)
    else {
        return;
    };
    let (nc, nk) = (g.nc(), g.nk());
    let per = g.np() * nc * nk;
    let at = |v: &[f64], ti: usize| -> f64 {
        idx.iter()
            .map(|&c| v[ti * per + (p * nc + c) * nk + k])
            .sum()
    };
    let ti = |y: i32| pr.years.iter().position(|&x| x == y).unwrap_or(0);
    let name = format!(
        "<b>{}</b>",
        match idx.len() {
            1 => tr(
                lang,
                "Länets kommunala regi (modellen)",
                "The county's municipal sector (the model)"
            ),
            _ => tr(
                lang,
                "Länens kommunala regi (modellen)",
                "The counties' municipal sector (the model)"
            ),
        }
    );
    let figures = (
        at(&pr.supply, ti(sc.base_year)),
        at(&pr.supply, ti(sc.horizon)),
        at(&pr.demand.fte, h),
    );
    municipal_row(o, pr, &name, figures, lang);
}

/// One profession's section: its years table (with the comparison per 1 000 inhabitants), the
/// required intake's share, inflows and exits, and the charts.
/// Where a profession's section looks: the profession, the principal's counties, its bands'
/// region, the planning years.
struct At<'a> {
    p: usize,
    idx: &'a [usize],
    band_region: Option<Region>,
    years: &'a [usize],
    /// For a health-care region's page: its index among the run's regions (its own part of the
    /// required intake, with `supply.destinations`).
    hc_region: Option<usize>,
}

fn profession(
    o: &mut String,
    pr: &Projection,
    at: &At<'_>,
    opts: &Options,
    charts: &[Drawn],
    nation: &str,
) {
    let At {
        p,
        idx,
        band_region,
        years,
        hc_region,
    } = *at;
    let lang = opts.lang;
    let g = &pr.inputs.grid;
    let code = &g.professions[p];
    let all: Vec<usize> = (0..g.nc()).collect();
    let _ = writeln!(
        o,
        "<section><h2 id=\"p-{code}\">{}</h2>",
        esc(&prof_name(code, lang))
    );
    let _ = writeln!(
        o,
        "<table>{}",
        header_row(&[
            tr(lang, "År", "Year"),
            tr(lang, "Tillgång", "Supply"),
            tr(lang, "Efterfrågan", "Demand"),
            tr(lang, "Gap", "Gap"),
            tr(lang, "Balansläge", "Balance"),
            tr(lang, "Sannolikhet för brist", "Probability of shortage"),
            tr(lang, "Tillgång per 1 000 inv.", "Supply per 1,000 inh."),
            &format!(
                "{} ({})",
                tr(lang, "Tillgång per 1 000 inv.", "Supply per 1,000 inh."),
                esc(nation)
            ),
            tr(lang, "Efterfrågan per 1 000 inv.", "Demand per 1,000 inh."),
            &format!(
                "{} ({})",
                tr(lang, "Efterfrågan per 1 000 inv.", "Demand per 1,000 inh."),
                esc(nation)
            ),
        ])
    );
    for &ti in years {
        let y = pr.years[ti];
        let (s, d) = report::part_sums(pr, ti, p, idx);
        let (sn, dn) = report::part_sums(pr, ti, p, &all);
        let (d, dn) = (d.unwrap_or(f64::NAN), dn.unwrap_or(f64::NAN));
        let (here, people_n) = (people(pr, idx, y), people(pr, &all, y));
        let prob = shortage_probability(pr, p, band_region, y).map_or_else(
            || "–".to_string(),
            |x| format!("{} %", num(100.0 * x, 0, lang)),
        );
        let shown = report::published_supply(pr, ti, s, opts.disclosure);
        let (sup, gap, label, sup_k, sup_nk) = match shown {
            Some(s) => (
                num(s, 0, lang),
                num(s - d, 0, lang),
                pr.label(s, d),
                num(1000.0 * s / here, 2, lang),
                num(1000.0 * sn / people_n, 2, lang),
            ),
            None => (
                "..".into(),
                "..".into(),
                "balance",
                "..".into(),
                "..".into(),
            ),
        };
        let _ = writeln!(
            o,
            "<tr><td>{y}</td><td>{sup}</td><td>{}</td><td class=\"{label}\">{gap}</td><td class=\"{label}\">{}</td><td>{prob}</td><td>{sup_k}</td><td>{sup_nk}</td><td>{}</td><td>{}</td></tr>",
            num(d, 0, lang),
            if shown.is_some() {
                label_word(label, lang)
            } else {
                ".."
            },
            num(1000.0 * d / here, 2, lang),
            num(1000.0 * dn / people_n, 2, lang),
        );
    }
    o.push_str("</table>\n");
    intake(o, pr, p, idx, lang);
    if let Some(r) = hc_region {
        own_programmes(o, pr, p, r, lang);
    }
    flows(o, pr, p, idx, years, lang);
    for ch in charts {
        report::figure_svg(o, ch, lang);
        o.push('\n');
    }
    o.push_str("</section>\n");
}

/// The principal's share of the required intake, and how it is split.
fn intake(o: &mut String, pr: &Projection, p: usize, idx: &[usize], lang: Lang) {
    let Some((share, part)) = intake_share(pr, p, idx) else {
        return;
    };
    let b = &pr.scenario.balance;
    let required = pr
        .intake
        .iter()
        .find(|r| r.profession == p)
        .and_then(|r| r.required);
    let _ = writeln!(
        o,
        "<p><strong>{} {}–{}: {}</strong> {} {} ({} {} %). {}</p>",
        tr(
            lang,
            "Andel av behövd antagning",
            "Share of the required intake"
        ),
        b.window_start(),
        b.target_year,
        part.map_or_else(|| "–".to_string(), |x| num(x, 0, lang)),
        tr(
            lang,
            "nybörjare per år av rikets",
            "beginners a year of the nation's"
        ),
        required.map_or_else(|| "–".to_string(), |x| num(x, 0, lang)),
        tr(lang, "andel", "share"),
        num(100.0 * share, 1, lang),
        tr(
            lang,
            "Fördelningen: rikets behövda antagning gånger länets andel av legitimationerna från svensk utbildning som framskrivningen ger länet under målperioden (så som utbildningen i dag fördelar sig på länen).",
            "The split: the nation's required intake times the county's share of the licences from Swedish education that the projection gives it over the target window (as education spreads over the counties today)."
        )
    );
}

/// A health-care region's own part of the required intake, by where its graduates settle
/// ([`crate::model::destinations`]), beside its beginners today.
fn own_programmes(o: &mut String, pr: &Projection, p: usize, r: usize, lang: Lang) {
    let Some(x) = pr
        .intake
        .iter()
        .find(|i| i.profession == p)
        .and_then(|i| i.regions.iter().find(|x| x.region == r))
    else {
        return;
    };
    if x.today <= 0.0 {
        return;
    }
    let band = report::region_intake_band(pr, p, r, lang);
    let _ = writeln!(
        o,
        "<p><strong>{} {}</strong> {} ({}{} {}; {} % {}). {}</p>",
        tr(
            lang,
            "Regionens egna utbildningar:",
            "The region's own programmes:"
        ),
        num(x.required, 0, lang),
        tr(lang, "nybörjare per år", "beginners a year"),
        if band.is_empty() {
            String::new()
        } else {
            format!("{band}; ")
        },
        tr(lang, "i dag", "today"),
        num(x.today, 0, lang),
        num(100.0 * x.stay.unwrap_or(0.0), 0, lang),
        tr(
            lang,
            "av regionens utbildade tar legitimation i regionen",
            "of the region's graduates take their licence in the region"
        ),
        tr(
            lang,
            "Rikets behov fördelat på sjukvårdsregionerna efter var deras utbildade bosätter sig och var det saknas personal (summan är rikets behov). Andelen gäller regionens egna utbildade; regionens län får också nya legitimerade från andra regioners utbildningar.",
            "The nation's need split over the health-care regions by where their graduates settle and where staff are short (they add up to the nation's). The share is of the region's own graduates; the region's counties also receive new licensees from other regions' programmes."
        )
    );
}

/// Inflows by origin and exits in the planning years after the first projected one (the first
/// projected year's exits would give back the register's base-year count, as `projection/flows`
/// says).
fn flows(o: &mut String, pr: &Projection, p: usize, idx: &[usize], years: &[usize], lang: Lang) {
    let path = &pr.paths[p];
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    let rows: Vec<(i32, usize)> = years
        .iter()
        .map(|&ti| pr.years[ti])
        .filter(|&y| y > pr.scenario.base_year + 1)
        .filter_map(|y| path.years.iter().position(|&x| x == y).map(|t| (y, t)))
        .collect();
    if rows.is_empty() {
        return;
    }
    // Moves between counties are a column of their own where the scenario separates them.
    let moves = pr.moves_by_age();
    let mut head = vec![
        tr(lang, "År", "Year"),
        tr(lang, "Svensk utbildning", "Swedish education"),
        tr(lang, "EU/EES", "EU/EEA"),
        tr(lang, "Tredje land", "Third country"),
        tr(
            lang,
            "Lämnar legitimationsbeståndet (netto)",
            "Leaving the licence stock (net)",
        ),
    ];
    if moves {
        head.push(tr(
            lang,
            "Flyttar in från andra län (netto)",
            "Moving in from other counties (net)",
        ));
    }
    head.push(tr(lang, "Netto", "Net"));
    let _ = writeln!(o, "<table>{}", header_row(&head));
    for (y, t) in rows {
        let s = |v: &[f64]| report::part_sum(&v[t * per..(t + 1) * per], idx);
        let (se, eu, tc, ex, mv) = (
            s(&path.inflow[0]),
            s(&path.inflow[1]),
            s(&path.inflow[2]),
            s(&path.exits),
            s(&path.moved),
        );
        let moved = if moves {
            format!("<td>{}</td>", num(mv, 0, lang))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "<tr><td>{y}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{moved}<td>{}</td></tr>",
            num(se, 0, lang),
            num(eu, 0, lang),
            num(tc, 0, lang),
            num(ex, 0, lang),
            num(se + eu + tc - ex + mv, 0, lang)
        );
    }
    let note = if moves {
        tr(
            lang,
            "Inflöden: nya legitimerade efter utbildningens ursprung. Lämnar legitimationsbeståndet: legitimerade bosatta i länet som dör, utvandrar, förlorar legitimationen eller fyller 75, minus dem som kommer tillbaka, efter rikets avgångsintensiteter – ett nettoflöde ur registret, inte pensionsavgångar ur arbete (vem som arbetar följer av sysselsättningsandelen). Flyttar in från andra län: de som flyttar in minus de som flyttar ut (negativt: länet förlorar), efter länets egen avvikelse från riket per åldersgrupp (county_exits.csv). Personer per år, framskrivna.",
            "Inflows: new licensed persons by where they were educated. Leaving the licence stock: licensed persons living in the county who die, emigrate, lose the licence or turn 75, less those who come back, at the national exit rates – a net flow out of the register, not retirements from work (who works follows from the employment share). Moving in from other counties: those moving in less those moving out (negative: the county loses), from the county's own deviation from the nation by age group (county_exits.csv). Persons a year, projected.",
        )
    } else {
        tr(
            lang,
            "Inflöden: nya legitimerade efter utbildningens ursprung. Lämnar legitimationsbeståndet: legitimerade bosatta i länet som dör, utvandrar, förlorar legitimationen, fyller 75 eller flyttar till ett annat län, minus dem som kommer tillbaka eller flyttar in – ett nettoflöde ur registret, inte pensionsavgångar ur arbete (vem som arbetar följer av sysselsättningsandelen). Personer per år, framskrivna.",
            "Inflows: new licensed persons by where they were educated. Leaving the licence stock: licensed persons living in the county who die, emigrate, lose the licence, turn 75 or move to another county, less those who come back or move in – a net flow out of the register, not retirements from work (who works follows from the employment share). Persons a year, projected.",
        )
    };
    let _ = writeln!(o, "</table><p><small>{note}</small></p>");
}

/// Funding reaching the principal beside its shortages, each profession on its own: never summed
/// over professions, so a surplus of one cannot cancel a shortage of another.
fn funding_section(
    o: &mut String,
    pr: &Projection,
    who: &Principal,
    idx: &[usize],
    streams: &[crate::allocate::funding::Stream],
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let pop = report::base_population(pr);
    let money = crate::allocate::funding::per_county_year(streams, &pop);
    let Some(year) = money.keys().map(|k| k.1).max() else {
        return;
    };
    let m: f64 = idx
        .iter()
        .map(|&c| {
            money
                .get(&(g.counties[c].clone(), year))
                .copied()
                .unwrap_or(0.0)
        })
        .sum();
    let inhabitants: f64 = idx
        .iter()
        .map(|&c| pop.get(&g.counties[c]).copied().unwrap_or(f64::NAN))
        .sum();
    let _ = writeln!(
        o,
        "<section><h2 id=\"funding\">{}</h2><p>{} {year}: <b>{} kr</b> ({} {}). {}</p>",
        tr(lang, "Finansiering", "Funding"),
        match who.kind {
            Kind::County => tr(lang, "Medel som når länet", "Money reaching the county in"),
            Kind::Region => tr(
                lang,
                "Medel som når regionens län",
                "Money reaching the region's counties in"
            ),
        },
        num(m, 0, lang),
        num(m / inhabitants, 2, lang),
        tr(lang, "kr per invånare", "kronor per inhabitant"),
        tr(
            lang,
            "Programområdenas medel fördelade efter folkmängd; nationella medel utan länsfördelning ingår inte. Bredvid står bristen per yrke i slutåret: varje yrke för sig, eftersom ett överskott i ett yrke inte tar ut en brist i ett annat.",
            "Programme areas' money spread by population; national money not earmarked for a county is left out. Beside it, the shortage per profession in the horizon year: each profession on its own, since a surplus in one does not cancel a shortage in another."
        )
    );
    let _ = writeln!(
        o,
        "<table><tr><th>{}</th><th>{} {}</th><th>{}</th><th>{}</th></tr>",
        tr(lang, "Yrke", "Profession"),
        tr(lang, "Gap", "Gap"),
        sc.horizon,
        tr(lang, "Gap per 1 000 inv.", "Gap per 1,000 inh."),
        tr(
            lang,
            "Medel per heltidsekvivalent som saknas, kr",
            "Funding per missing FTE, kr"
        )
    );
    let list = report::shortages(pr, idx);
    if list.is_empty() {
        let _ = writeln!(
            o,
            "<tr><td colspan=\"4\">{}</td></tr>",
            tr(
                lang,
                "Inget yrke har brist.",
                "No profession is in shortage."
            )
        );
    }
    for (p, gap) in list {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"shortage\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&prof_name(&g.professions[p], lang)),
            num(gap, 0, lang),
            num(1000.0 * gap / inhabitants, 2, lang),
            num(m / -gap, 0, lang)
        );
    }
    o.push_str("</table></section>\n");
}

/// The county's own data: the register's employed persons and FTE in the last employment year
/// (the cells, and the mask, of the national base-year table), and its inhabitants.
fn own_data(
    o: &mut String,
    pr: &Projection,
    idx: &[usize],
    opts: &Options,
    shared: &Shared,
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let d = &shared.disclosed;
    let sc = &pr.scenario;
    let _ = writeln!(
        o,
        "<h2 id=\"own\">{}</h2><p>{}</p>",
        own_heading(lang, idx.len() > 1),
        match (lang, idx.len() > 1) {
            (Lang::Sv, false) =>
                "Länets rader i indata: registrets anställda (personer och heltidsekvivalenter) det senaste året med sysselsättningsdata, också per 100 000 invånare det året bredvid riket, under samma röjandekontroll som i den nationella rapporten (\"..\" = skyddad uppgift), och länets folkmängd i basåret och slutåret. Indatafilerna, som täcker alla län, står under Datakällor.",
            (Lang::Sv, true) =>
                "Länens rader i indata: registrets anställda (personer och heltidsekvivalenter) det senaste året med sysselsättningsdata, också per 100 000 invånare det året bredvid riket, under samma röjandekontroll som i den nationella rapporten (\"..\" = skyddad uppgift), och länens folkmängd i basåret och slutåret. Indatafilerna, som täcker alla län, står under Datakällor.",
            (Lang::En, false) =>
                "The county's rows of the inputs: the register's employed (persons and full-time equivalents) in the last year with employment data, also per 100,000 inhabitants that year beside Sweden, under the same disclosure control as in the national report (\"..\" = withheld), and the county's inhabitants in the base year and the horizon. The input files, which cover every county, are listed under Data sources.",
            (Lang::En, true) =>
                "The counties' rows of the inputs: the register's employed (persons and full-time equivalents) in the last year with employment data, also per 100,000 inhabitants that year beside Sweden, under the same disclosure control as in the national report (\"..\" = withheld), and the counties' inhabitants in the base year and the horizon. The input files, which cover every county, are listed under Data sources.",
        }
    );
    let _ = write!(o, "<table><tr><th>{}</th>", tr(lang, "Yrke", "Profession"));
    let per = tr(lang, "per 100 000 invånare", "per 100,000 inhabitants");
    for &c in idx {
        let name = esc(&county_name(&g.counties[c], lang));
        let _ = write!(
            o,
            "<th>{name} {}, {}</th><th>{name} {}, {}</th><th>{name}, {per}</th>",
            d.year,
            tr(lang, "personer", "persons"),
            d.year,
            tr(lang, "heltidsekvivalenter", "FTE"),
        );
    }
    let _ = writeln!(o, "<th>{}, {per}</th></tr>", tr(lang, "Riket", "Sweden"));
    // Persons per 100 000 inhabitants in the employment year, from the published cells only.
    let pop = report::population_in(pr, d.year);
    let nation: f64 = pop.values().sum();
    let rate = |persons: f64, people: f64| {
        if people > 0.0 {
            report::rate_text(1e5 * persons / people, lang)
        } else {
            "–".into()
        }
    };
    for p in 0..g.np() {
        let (grid, mask) = &d.grids[p];
        let _ = write!(
            o,
            "<tr><td>{}</td>",
            esc(&prof_name(&g.professions[p], lang))
        );
        for &c in idx {
            let cell = grid.at(c, 2);
            if mask[cell] {
                o.push_str("<td>..</td><td>..</td><td>..</td>");
            } else {
                let persons = opts.disclosure.publish(grid.values[cell]);
                let people = pop.get(&g.counties[c]).copied().unwrap_or(0.0);
                let _ = write!(
                    o,
                    "<td>{}</td><td>{}</td><td>{}</td>",
                    num(persons, 0, lang),
                    num(opts.disclosure.publish_derived(d.fte[p][cell]), 0, lang),
                    rate(persons, people)
                );
            }
        }
        let all = grid.at(grid.rows, 2);
        if mask[all] {
            o.push_str("<td>..</td></tr>\n");
        } else {
            let _ = writeln!(
                o,
                "<td>{}</td></tr>",
                rate(opts.disclosure.publish(grid.values[all]), nation)
            );
        }
    }
    o.push_str("</table>\n");
    let _ = writeln!(
        o,
        "<p>{} {}: {}; {}: {}.</p>",
        tr(lang, "Invånare", "Inhabitants"),
        sc.base_year,
        num(people(pr, idx, sc.base_year), 0, lang),
        sc.horizon,
        num(people(pr, idx, sc.horizon), 0, lang),
    );
}

/// The files of one principal's folder, relative to it.
fn files(b: &Built) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("report.html".to_string(), b.page.clone().into_bytes())];
    // SVG only: a PNG of each chart would make the 21 folders twelve times larger (the page
    // inlines the SVG, which prints and scales).
    for ch in &b.charts {
        out.push((
            format!("charts/{}.svg", ch.name),
            ch.svg.clone().into_bytes(),
        ));
    }
    out.push(("tables/years.csv".into(), b.years.csv()));
    out.push(("tables/years_sv.csv".into(), b.years.csv_swedish()));
    if let Some(m) = &b.municipal {
        out.push(("tables/municipalities.csv".into(), m.csv()));
        out.push(("tables/municipalities_sv.csv".into(), m.csv_swedish()));
    }
    out
}

fn put(dir: &std::path::Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

/// Writes the report of `who` into `out` (replaced whole, as every hwf folder).
///
/// # Errors
///
/// [`PublishError`] when a chart cannot be drawn or the folder cannot be written (nothing is left
/// half-written).
pub fn write(
    pr: &Projection,
    who: &Principal,
    idx: &[usize],
    funding: Option<&[crate::allocate::funding::Stream]>,
    opts: &Options,
    out: &atomic::OutDir,
) -> Result<(), PublishError> {
    let shared = Shared::new(pr, opts.disclosure);
    let built = build(pr, who, idx, funding, opts, &shared)?;
    let files = files(&built);
    atomic::write_dir(out, |tmp| {
        put(tmp, &files)?;
        if !opts.disclosure.protects() {
            report::mark_not_for_publication(tmp)?;
        }
        Ok(())
    })
}

/// Writes one report per county of the run into `out/<code>/` and `out/index.html` linking them,
/// with a summary table; the reports are built in parallel.
///
/// # Errors
///
/// As [`write()`].
pub fn write_all(
    pr: &Projection,
    funding: Option<&[crate::allocate::funding::Stream]>,
    opts: &Options,
    out: &atomic::OutDir,
) -> Result<(), PublishError> {
    use rayon::prelude::*;
    let shared = Shared::new(pr, opts.disclosure);
    let all = Principal::all_counties(pr);
    let built: Vec<Built> = all
        .par_iter()
        .enumerate()
        .map(|(c, who)| build(pr, who, &[c], funding, opts, &shared))
        .collect::<Result<_, _>>()?;
    let index = index_page(pr, &built, opts);
    let mut folders = Vec::new();
    for b in &built {
        folders.push((b.principal.code.clone(), files(b)));
    }
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("index.html"), &index)?;
        for (code, files) in &folders {
            let dir = tmp.join(code);
            std::fs::create_dir(&dir)?;
            put(&dir, files)?;
        }
        if !opts.disclosure.protects() {
            report::mark_not_for_publication(tmp)?;
        }
        Ok(())
    })
}

/// The heading of the section with the principal's own data: one county's, or a region's counties'.
fn own_heading(lang: Lang, many: bool) -> &'static str {
    match (lang, many) {
        (Lang::Sv, false) => "Länets data och källor",
        (Lang::Sv, true) => "Länens data och källor",
        (Lang::En, false) => "The county's data and sources",
        (Lang::En, true) => "The counties' data and sources",
    }
}

/// The title of a page of reports per principal: the national report's, then `what`.
fn page_title(sc: &crate::model::scenario::Scenario, lang: Lang, what: &str) -> String {
    format!(
        "{} {}–{}: {what}",
        tr(
            lang,
            "Tillgång och efterfrågan på legitimerad hälso- och sjukvårdspersonal",
            "Supply and demand of licensed health-care personnel"
        ),
        sc.base_year,
        sc.horizon,
    )
}

/// The index of `--all-counties`: a link to each county's report, and per county the number of
/// professions in shortage in the horizon year and the largest shortage.
fn index_page(pr: &Projection, built: &[Built], opts: &Options) -> String {
    let lang = opts.lang;
    let sc = &pr.scenario;
    let g = &pr.inputs.grid;
    let title = page_title(sc, lang, tr(lang, "rapporter per län", "reports by county"));
    let prefix = if opts.disclosure.protects() {
        ""
    } else {
        report::NOT_FOR_PUBLICATION
    };
    let mut o = report::page_start(pr, opts, &title);
    let _ = writeln!(
        o,
        "<p>{} <b>{}</b>. {}</p><table><tr><th>{}</th><th>{} {}</th><th>{} {}</th><th>{} {}</th></tr>",
        tr(lang, "Scenario:", "Scenario:"),
        esc(&sc.name),
        tr(
            lang,
            "En rapport per län ur samma nationella körning. Gap i heltidsekvivalenter.",
            "One report per county from the same national run. Gaps in full-time equivalents."
        ),
        tr(lang, "Län", "County"),
        tr(lang, "Yrken med brist", "Professions in shortage"),
        sc.horizon,
        tr(lang, "Störst brist", "Largest shortage"),
        sc.horizon,
        tr(lang, "Yrken med överskott", "Professions in surplus"),
        sc.horizon
    );
    for b in built {
        let short = b.summary.iter().filter(|x| x.2 == "shortage").count();
        let surplus = b.summary.iter().filter(|x| x.2 == "surplus").count();
        let worst = b
            .summary
            .iter()
            .filter(|x| x.2 == "shortage")
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or_else(
                || "–".to_string(),
                |&(p, gap, _)| {
                    format!(
                        "{} {}",
                        esc(&prof_name(&g.professions[p], lang)),
                        num(gap, 0, lang)
                    )
                },
            );
        let _ = writeln!(
            o,
            "<tr><td><a href=\"{code}/{prefix}report.html\">{}</a></td><td>{short}</td><td class=\"shortage\">{worst}</td><td>{surplus}</td></tr>",
            esc(&b.principal.name(lang)),
            code = b.principal.code,
        );
    }
    o.push_str("</table>\n</body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counties_and_regions_by_code_or_name() {
        assert_eq!(Principal::county("23").unwrap().counties, ["23"]);
        assert_eq!(Principal::county("Jämtlands län").unwrap().code, "23");
        let r = Principal::region("Norra").unwrap();
        assert_eq!(r.counties, ["22", "23", "24", "25"]);
        assert_eq!(Principal::region(&r.code).unwrap(), r);
        match Principal::county("Jamtlnd") {
            Err(PrincipalError::Unknown { flag, .. }) => assert_eq!(flag, "county"),
            other => panic!("expected Unknown, got {other:?}"),
        }
        assert!(matches!(
            Principal::region("Atlantis"),
            Err(PrincipalError::Unknown { flag: "region", .. })
        ));
    }

    #[test]
    fn one_relation_is_protected_as_worked_by_hand() {
        // Threshold 3. The 1 is primary; alone it is its relation's remainder, so the smallest
        // published non-zero cell, 5, joins it: S = 6, k = 2, each in [1, 5], and 5 ≥ 1 + 3.
        let v = [1.0, 0.0, 5.0, 7.0, 20.0];
        assert_eq!(
            protect_relation(&v, Profile::Threshold(3)),
            [true, false, true, false, false]
        );
        // Two primaries 2 and 3: S = 5, k = 2, upper 4 < 3 + 3; the 4 joins: S = 9, k = 3,
        // upper 7 ≥ 6.
        assert_eq!(
            protect_relation(&[2.0, 3.0, 4.0, 50.0], Profile::Threshold(3)),
            [true, true, true, false]
        );
        // Nothing small: nothing hidden.
        assert_eq!(
            protect_relation(&[0.0, 4.0, 9.0], Profile::Threshold(3)),
            [false; 3]
        );
        // A primary cell with nothing to hide it behind: the whole relation is withheld.
        assert_eq!(
            protect_relation(&[0.0, 2.0], Profile::Threshold(3)),
            [true; 2]
        );
        assert_eq!(
            protect_relation(&[1.0, 2.0], Profile::Unprotected),
            [false; 2]
        );
    }

    #[test]
    fn a_region_bar_is_drawn_only_when_all_its_county_bars_are() {
        let bars = vec![vec![(2.0, f64::NAN)], vec![(3.0, 4.0)]];
        let s = summed_bars(&bars, &[0, 1]);
        assert_eq!(s[0].0, 5.0);
        assert!(s[0].1.is_nan());
    }
}
