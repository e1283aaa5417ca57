//! The scenarios side by side: the chart of the national gap per profession in each scenario's
//! horizon year, and the report's section with the gaps and each further scenario's settings.

use super::html::{area_name, chart_source, esc, figure, num, prof_name, tr};
use crate::model::Projection;
use crate::publish::charts::{self, Drawn, Labels};
use crate::table::Lang;
use std::fmt::Write as _;

/// The scenarios-side-by-side chart: the national gap in each scenario's horizon year, per profession.
pub fn comparison_chart(all: &[&Projection], lang: Lang) -> Result<Drawn, charts::ChartError> {
    let pr = all[0];
    let g = &pr.inputs.grid;
    let categories: Vec<String> = g.professions.iter().map(|p| prof_name(p, lang)).collect();
    let series: Vec<Vec<f64>> = all
        .iter()
        .map(|x| {
            let h = x
                .years
                .iter()
                .position(|&y| y == x.scenario.horizon)
                .unwrap_or(0);
            (0..g.np())
                .map(|p| {
                    let (s, d) = x.total_fte(h, p);
                    s - d.unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    let synthetic = all.iter().any(|x| x.used.iter().any(|u| u.synthetic));
    charts::grouped_bars(
        "scenarios_gap",
        &Labels {
            title: if pr.area().whole {
                tr(
                    lang,
                    "Gap i riket per yrke och scenario, slutåret",
                    "National gap by profession and scenario, horizon year",
                )
                .into()
            } else {
                format!(
                    "{}, {}",
                    tr(
                        lang,
                        "Gap per yrke och scenario, slutåret",
                        "Gap by profession and scenario, horizon year"
                    ),
                    area_name(pr, lang)
                )
            },
            caption: chart_source(lang, "", synthetic),
            x: tr(
                lang,
                "Tillgång − efterfrågan, heltidsekvivalenter",
                "Supply − demand, full-time equivalents",
            )
            .into(),
            y: String::new(),
            series: all
                .iter()
                .map(|x| format!("{} ({})", x.scenario.name, x.scenario.horizon))
                .collect(),
        },
        &categories,
        &series,
    )
}

pub(super) fn scenarios_section(
    o: &mut String,
    pr: &Projection,
    others: &[Projection],
    chart: Option<&Drawn>,
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let all: Vec<&Projection> = std::iter::once(pr).chain(others.iter()).collect();
    let _ = write!(
        o,
        "<section><h2 id=\"scenarios\">{}</h2>",
        tr(lang, "Scenarier sida vid sida", "Scenarios side by side")
    );
    if let Some(ch) = chart {
        figure(o, ch, lang);
    }
    let _ = write!(o, "<table><tr><th>{}</th>", tr(lang, "Yrke", "Profession"));
    for x in &all {
        let _ = write!(
            o,
            "<th>{} {}, {}</th>",
            tr(lang, "Gap", "Gap"),
            x.scenario.horizon,
            esc(&x.scenario.name)
        );
    }
    o.push_str("</tr>");
    for p in 0..g.np() {
        let _ = write!(
            o,
            "<tr><td>{}</td>",
            esc(&prof_name(&g.professions[p], lang))
        );
        for x in &all {
            let h = x
                .years
                .iter()
                .position(|&y| y == x.scenario.horizon)
                .unwrap_or(0);
            let (s, d) = x.total_fte(h, p);
            let d = d.unwrap_or(f64::NAN);
            let _ = write!(
                o,
                "<td class=\"{}\">{}</td>",
                x.label(s, d),
                num(s - d, 0, lang)
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>");
    for x in others {
        let _ = write!(
            o,
            "<h3>{}</h3><pre>{}</pre>",
            esc(&x.scenario.name),
            esc(&x.scenario.to_toml())
        );
    }
    o.push_str("</section>\n");
}
