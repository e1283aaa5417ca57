//! `hwf report`: charts, a self-contained HTML report (Swedish or English), tables with disclosure
//! control, and the projection's own outputs, in one folder that appears whole or not at all.
//!
//! Layout of the folder:
//!
//! ```text
//! report.html                     one file; charts inlined as SVG; no request leaves it
//! explorer.html                   pick a profession and a county: supply, demand, bands, table
//! charts/<chart>_<prof>.png|svg   supply_demand, gap_by_county, age_pyramid, flows
//! tables/<table>.csv              plain UTF-8; <table>_sv.csv Swedish Excel style; <table>.parquet
//! tables/hwf_tables.xlsx          one sheet per table
//! projection/                     results, flows, intake, graduates, parameters, scenario, manifest
//! ```
//!
//! Base-year counts of persons go through [`super::disclosure`] (and so do the descriptive tables'
//! own counts, [`super::describe`]), and the register's counts appear nowhere else in the folder (the projection's history rows, the base year's licensed and the
//! backtest's county outcomes are left empty; see [`published_actual`]); projections are not
//! counts of persons and are published as they are.
//!
//! The writer's files, one per part of the folder and the page:
//!
//! - `mod.rs`: the options, [`write()`] (the charts, the tables and the folder) and the names of the
//!   files of a folder written without disclosure control;
//! - `page.rs`: the page itself ([`html_with`]), its head and banners;
//! - `profession.rs`: a profession's section: the county table, the band cells, the required intake;
//! - `scenarios.rs`, `funding.rs`, `backtest.rs`, `calibration.rs`: the sections of the extras, with
//!   their charts and tables;
//! - `manifest.rs`: the data sources and the run manifest;
//! - `disclosed.rs`: the disclosure-controlled base-year table and the report's tables;
//! - `figures.rs`: the charts of a profession for the run's counties or a part of them;
//! - `html.rs`: small helpers: translation, escaping, numbers, names, inline figures.

mod backtest;
mod calibration;
mod disclosed;
mod figures;
mod funding;
mod html;
mod layers;
mod manifest;
mod page;
mod profession;
mod scenarios;
mod services;

pub use backtest::{
    backtest_chart, backtest_panel_data, backtest_panels, backtest_summary_table,
    backtest_summary_table_with, backtest_table, backtest_table_with, backtest_text,
    published_actual, published_national, write_backtest,
};
pub use calibration::{calibration_chart, calibration_table, calibration_text};
pub use disclosed::{Disclosed, disclosed, tables};
pub(crate) use figures::{Part, part_charts, part_sum, part_sums, pyramid_bars};
pub use figures::{profession_charts, profession_charts_with, pyramid_base};
pub(crate) use funding::{base_population, population_in, shortages};
pub(crate) use html::{
    county_name, esc, figure, figure_svg, header_row, label_word, num, prof_name, rate_text,
    region_name, service_name, signed, tr,
};
pub(crate) use layers::{layers_section, layers_toc};
pub(crate) use manifest::sources;
pub use manifest::sources_html;
pub(crate) use page::page_start;
pub use page::{html, html_with};
pub(crate) use profession::{plan_years, published_supply, region_intake_band};
pub use scenarios::comparison_chart;
pub(crate) use services::{services_heading, services_section};

use super::atomic::{self, PublishError};
use super::charts::{self, Drawn};
use super::disclosure::Profile;
use super::results;
use super::survey::{survey_chart, survey_tables};
use crate::model::Projection;
use crate::table::Lang;

/// How to build the report.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Language of the HTML and the charts.
    pub lang: Lang,
    /// Disclosure rule for counts of persons.
    pub disclosure: Profile,
}

/// What a report may show beside the main projection.
#[derive(Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Further scenarios, set side by side with the main one.
    pub others: &'a [Projection],
    /// Funding streams, shown per county and inhabitant beside the projected gap.
    pub funding: Option<&'a [crate::allocate::funding::Stream]>,
    /// Backtest scores, shown as a table and a chart of forecast against actual.
    pub backtest: Option<&'a [crate::model::backtest::Score]>,
}

/// What [`write()`] makes before the page: the charts beside the per-profession ones (inlined by
/// [`html_with`]) and the other files of the folder (listed in its run manifest).
#[derive(Clone, Copy, Default)]
pub struct SideCharts<'a> {
    /// Scenarios side by side.
    pub comparison: Option<&'a Drawn>,
    /// Backtest: forecast against outcome.
    pub backtest: Option<&'a Drawn>,
    /// Backtest: forecast against outcome, one panel per profession ([`backtest_panels`]).
    pub backtest_professions: Option<&'a Drawn>,
    /// Backtest: coverage of the P10–P90 band against the horizon.
    pub calibration: Option<&'a Drawn>,
    /// The principals' assessments by county and profession ([`survey_chart`]).
    pub survey: Option<&'a Drawn>,
    /// The folder's other files as [`write()`] writes them (path in the folder, bytes), listed with
    /// their SHA-256 in the run manifest; empty: the manifest refers to `manifest.json`.
    pub outputs: &'a [(String, &'a [u8])],
    /// The name of the folder's explorer page ([`super::explorer`]), linked from the top of the
    /// report; `None` when the folder has none.
    pub explorer: Option<&'a str>,
}

/// The explorer page's name in a report folder (before [`published_path`]).
const EXPLORER: &str = "explorer.html";

/// The prefix of every file's name in a folder written without disclosure control.
pub const NOT_FOR_PUBLICATION: &str = "NOT_FOR_PUBLICATION_";

/// Renames every file under `dir` (recursively) to carry [`NOT_FOR_PUBLICATION`] in its name.
pub(crate) fn mark_not_for_publication(dir: &std::path::Path) -> std::io::Result<()> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type()?.is_dir() {
            mark_not_for_publication(&path)?;
        } else {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == atomic::MARKER {
                // hwf's own record of what it wrote, not an output.
                continue;
            }
            std::fs::rename(&path, dir.join(format!("{NOT_FOR_PUBLICATION}{name}")))?;
        }
    }
    Ok(())
}

/// Writes the whole report folder, with the extras (further scenarios side by side, funding) when given,
/// reporting progress through `progress`.
///
/// # Errors
///
/// [`PublishError`] when a chart or encoder fails or the folder cannot be written; nothing is left
/// half-written.
pub fn write(
    pr: &Projection,
    extra: Extra<'_>,
    opts: &Options,
    out: &atomic::OutDir,
    progress: &mut dyn FnMut(&str),
) -> Result<(), PublishError> {
    let dir = out.path();
    let g = &pr.inputs.grid;
    let d = disclosed(pr, opts.disclosure);
    let mut all = Vec::new();
    let chart_err = |e: charts::ChartError| PublishError::Encode {
        path: dir.join("charts"),
        what: "chart".into(),
        message: e.to_string(),
    };
    for p in 0..g.np() {
        progress(&format!(
            "charts {}/{} ({})",
            p + 1,
            g.np(),
            g.professions[p]
        ));
        all.push(profession_charts_with(pr, p, opts.lang, opts.disclosure).map_err(chart_err)?);
    }
    let others = extra.others;
    let comparison = if others.is_empty() {
        None
    } else {
        progress("scenarios side by side");
        let refs: Vec<&Projection> = std::iter::once(pr).chain(others.iter()).collect();
        Some(comparison_chart(&refs, opts.lang).map_err(chart_err)?)
    };
    let bt_chart = match extra.backtest {
        Some(scores) => Some(backtest_chart(pr, scores, opts.lang).map_err(chart_err)?),
        None => None,
    };
    let bt_panels = match extra.backtest {
        Some(scores) => {
            backtest_panels(pr, scores, opts.lang, opts.disclosure).map_err(chart_err)?
        }
        None => None,
    };
    let calibration = extra.backtest.map_or_else(Vec::new, |scores| {
        crate::model::calibration::table(&crate::model::backtest::cases(scores))
    });
    let cal_chart = if calibration.is_empty() {
        None
    } else {
        Some(
            calibration_chart(&calibration, opts.lang, pr.used.iter().any(|u| u.synthetic))
                .map_err(chart_err)?,
        )
    };
    let survey = pr.survey();
    let survey_chart = survey_chart(pr, &survey, opts.lang).map_err(chart_err)?;
    progress("tables");
    let mut tabs = tables(pr, &d, opts.disclosure);
    tabs.extend(survey_tables(pr, &survey));
    tabs.extend(super::describe::tables(pr, &d));
    if let Some(scores) = extra.backtest {
        tabs.push((
            "backtest",
            backtest_table_with(scores, opts.disclosure, Some(&d)),
        ));
        if !calibration.is_empty() {
            tabs.push(("calibration", calibration_table(&calibration)));
        }
    }
    let enc = |e: String| PublishError::Encode {
        path: dir.join("tables"),
        what: "table".into(),
        message: e,
    };
    let mut table_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, t) in &tabs {
        table_files.push((format!("{name}.csv"), t.csv()));
        table_files.push((format!("{name}_sv.csv"), t.csv_swedish()));
        table_files.push((
            format!("{name}.parquet"),
            t.parquet().map_err(|e| enc(e.to_string()))?,
        ));
    }
    table_files.push((
        "hwf_tables.xlsx".into(),
        results::workbook(&tabs, opts.lang == Lang::Sv).map_err(|e| enc(e.to_string()))?,
    ));
    let projection =
        results::files_under(pr, opts.disclosure).map_err(|message| PublishError::Encode {
            path: dir.join("projection"),
            what: "Parquet".into(),
            message,
        })?;
    // Every file but the page itself, by its path in the folder, in the order they are written.
    let side_charts: Vec<&Drawn> = all
        .iter()
        .flatten()
        .chain(comparison.iter())
        .chain(bt_chart.iter())
        .chain(bt_panels.iter())
        .chain(cal_chart.iter())
        .chain(survey_chart.iter())
        .collect();
    let explorer = super::explorer::html(pr, extra.others, opts.lang);
    let mut files: Vec<(String, &[u8])> = vec![(EXPLORER.into(), explorer.as_bytes())];
    for ch in &side_charts {
        files.push((format!("charts/{}.svg", ch.name), ch.svg.as_bytes()));
        files.push((format!("charts/{}.png", ch.name), &ch.png));
    }
    for (n, b) in &table_files {
        files.push((format!("tables/{n}"), b));
    }
    for (n, b) in &projection {
        files.push((format!("projection/{n}"), b));
    }
    let protect = opts.disclosure.protects();
    let explorer_name = published_path(EXPLORER, protect);
    let listed: Vec<(String, &[u8])> = files
        .iter()
        .map(|(n, b)| (published_path(n, protect), *b))
        .collect();
    progress("HTML report");
    let side = SideCharts {
        comparison: comparison.as_ref(),
        backtest: bt_chart.as_ref(),
        backtest_professions: bt_panels.as_ref(),
        calibration: cal_chart.as_ref(),
        survey: survey_chart.as_ref(),
        outputs: &listed,
        explorer: Some(&explorer_name),
    };
    let page = html_with(pr, extra, side, opts, &d, &all);
    // The folder's manifest: every file, the page included.
    let mut all_files: Vec<(&str, &[u8])> = listed.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let page_name = published_path("report.html", protect);
    all_files.push((&page_name, page.as_bytes()));
    let manifest =
        serde_json::to_vec_pretty(&results::manifest(pr, &all_files)).unwrap_or_default();
    progress("writing the folder");
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("report.html"), &page)?;
        for sub in ["charts", "tables", "projection"] {
            std::fs::create_dir(tmp.join(sub))?;
        }
        for (n, b) in &files {
            std::fs::write(tmp.join(n), b)?;
        }
        std::fs::write(tmp.join("manifest.json"), &manifest)?;
        if !protect {
            mark_not_for_publication(tmp)?;
        }
        Ok(())
    })
}

/// A file's path in the folder as published: unchanged, or with [`NOT_FOR_PUBLICATION`] before its
/// name when the folder is written without disclosure control ([`mark_not_for_publication`]).
fn published_path(path: &str, protect: bool) -> String {
    if protect {
        return path.to_string();
    }
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/{NOT_FOR_PUBLICATION}{name}"),
        None => format!("{NOT_FOR_PUBLICATION}{path}"),
    }
}
