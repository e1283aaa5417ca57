//! Funding beside shortages: the counties' population, the professions in shortage among a set of
//! counties, and the report's funding section.

use super::figures::part_sums;
use super::html::{county_name, esc, num, prof_name, tr};
use crate::model::Projection;
use crate::table::Lang;
use std::fmt::Write as _;

/// The population of each county of the run in the base year (all ages), by county code: what
/// funding per inhabitant and the comparisons per 1 000 inhabitants divide by.
pub(crate) fn base_population(pr: &Projection) -> std::collections::BTreeMap<String, f64> {
    population_in(pr, pr.scenario.base_year)
}

/// The population of each county of the run in `year` (all ages; the latest year the inputs hold
/// when they stop before it), by county code.
pub(crate) fn population_in(pr: &Projection, year: i32) -> std::collections::BTreeMap<String, f64> {
    use crate::model::inputs::POP_AGES;
    let g = &pr.inputs.grid;
    let inp = &pr.inputs;
    let py = inp
        .population_years
        .iter()
        .position(|&y| y == year)
        .unwrap_or_else(|| {
            if year > pr.scenario.base_year {
                inp.population_years.len().saturating_sub(1)
            } else {
                0
            }
        });
    (0..g.nc())
        .map(|c| {
            let start = (py * g.nc() + c) * 2 * POP_AGES;
            (
                g.counties[c].clone(),
                inp.population[start..start + 2 * POP_AGES].iter().sum(),
            )
        })
        .collect()
}

/// The professions in shortage in the horizon year among `counties` (sum of supply and demand over
/// them), each on its own, most short first: `(profession index, gap in FTE)`. Never summed over
/// professions: a surplus of one profession does not make up for a shortage of another.
pub(crate) fn shortages(pr: &Projection, counties: &[usize]) -> Vec<(usize, f64)> {
    let g = &pr.inputs.grid;
    let h = pr
        .years
        .iter()
        .position(|&y| y == pr.scenario.horizon)
        .unwrap_or(0);
    let mut out: Vec<(usize, f64)> = (0..g.np())
        .filter_map(|p| {
            let (s, d) = part_sums(pr, h, p, counties);
            let d = d?;
            (pr.label(s, d) == "shortage").then_some((p, s - d))
        })
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    out
}

/// One cell listing shortages: `Sjuksköterskor −190 (−0,72 per 1 000 inv.)`, separated by line
/// breaks; `–` when there is none.
pub(crate) fn shortage_list(
    pr: &Projection,
    list: &[(usize, f64)],
    people: f64,
    lang: Lang,
) -> String {
    if list.is_empty() {
        return "–".into();
    }
    let g = &pr.inputs.grid;
    list.iter()
        .map(|&(p, gap)| {
            format!(
                "{} {} ({} {})",
                esc(&prof_name(&g.professions[p], lang)),
                num(gap, 0, lang),
                num(1000.0 * gap / people, 2, lang),
                tr(lang, "per 1 000 inv.", "per 1,000 inh.")
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Funding per county and inhabitant beside the county's shortages in the horizon year, each
/// profession on its own (a surplus of one profession is never netted against a shortage of
/// another), for the latest year the streams cover.
pub(super) fn funding_section(
    o: &mut String,
    pr: &Projection,
    streams: &[crate::allocate::funding::Stream],
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let pop = base_population(pr);
    let money = crate::allocate::funding::per_county_year(streams, &pop);
    let Some(year) = money.keys().map(|k| k.1).max() else {
        return;
    };
    let _ = write!(
        o,
        "<section><h2 id=\"funding\">{}</h2><p>{}</p><table><tr><th>{}</th><th>{} {year}, kr</th><th>{}</th><th>{} {}</th></tr>",
        tr(lang, "Finansiering per län", "Funding by county"),
        tr(
            lang,
            "Medel för regionalt kompetensförsörjningsarbete som når länet (programområdenas medel fördelade efter folkmängd; nationella medel utan länsfördelning ingår inte), bredvid länets brist per yrke i slutåret. Varje yrke står för sig: ett överskott i ett yrke tar inte ut en brist i ett annat, så bristerna summeras inte.",
            "Money for regional competence-supply work reaching the county (programme areas' money spread by population; national money not earmarked for a county is left out), beside the county's shortage per profession in the horizon year. Each profession stands on its own: a surplus in one does not cancel a shortage in another, so the shortages are not summed."
        ),
        tr(lang, "Län", "County"),
        tr(lang, "Medel", "Funding"),
        tr(lang, "Kr per invånare", "Kronor per inhabitant"),
        tr(lang, "Yrken med brist", "Professions in shortage"),
        sc.horizon,
    );
    for c in 0..g.nc() {
        let code = &g.counties[c];
        let m = money.get(&(code.clone(), year)).copied().unwrap_or(0.0);
        let people = pop.get(code).copied().unwrap_or(f64::NAN);
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&county_name(code, lang)),
            num(m, 0, lang),
            num(m / people, 2, lang),
            shortage_list(pr, &shortages(pr, &[c]), people, lang)
        );
    }
    o.push_str("</table></section>\n");
}
