//! The report's section on demand by service area: each profession's demand growth, the share of
//! its FTE in each service area (the staffing matrix) and each area's index to the horizon.

use super::html::{esc, num, prof_name, service_name, tr};
use crate::model::Projection;
use crate::table::Lang;
use std::fmt::Write as _;

/// The least staffing FTE (in the counties of the page, summed over sectors) behind a published
/// share: a smaller part of a county's profession could point to a few persons.
pub(crate) const MIN_FTE_SHOWN: f64 = 10.0;

/// The heading of the section.
pub(crate) fn services_heading(lang: Lang) -> &'static str {
    tr(
        lang,
        "Efterfrågan per verksamhetsområde",
        "Demand by service area",
    )
}

/// The section for the counties `counties` (indices of the run's grid; every county for the
/// national report), `place` naming them; nothing when demand is driven by sector.
pub(crate) fn services_section(
    o: &mut String,
    pr: &Projection,
    counties: &[usize],
    place: &str,
    lang: Lang,
) {
    let Some(sv) = &pr.inputs.services else {
        return;
    };
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let (nc, nk, ns) = (g.nc(), g.nk(), sv.ns());
    let demand = |ti: usize, p: usize| -> Option<f64> {
        counties
            .iter()
            .flat_map(|&c| (0..nk).map(move |k| (c, k)))
            .map(|(c, k)| pr.demand_at(ti, p, c, k))
            .sum()
    };
    let Some(t0) = pr.years.iter().position(|&y| y == sc.base_year) else {
        return;
    };
    let h = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(t0);
    let index = sv.index_in(&pr.inputs, counties, sc.horizon, sc.base_year);
    let _ = writeln!(
        o,
        "<section><h2 id=\"services\">{}</h2>",
        services_heading(lang)
    );
    let _ = writeln!(
        o,
        "<p>{}</p>",
        match lang {
            Lang::Sv => format!(
                "Varje yrkes efterfrågan följer befolkningen i de verksamhetsområden yrket arbetar i, vägd med vårdkonsumtionen per person efter kön och ålder inom området, och med yrkets andel heltidsekvivalenter i varje område per län och regi (bemanningstabellen). Mödra- och förlossningsvården följer antalet födda. Tabellen visar yrkenas andelar ({}) {}, efterfrågan {}–{} och varje områdes index (befolkningens förändring vägd med områdets vårdkonsumtion, före trend och faktorer).",
                esc(place),
                sc.base_year,
                sc.base_year,
                sc.horizon
            ),
            Lang::En => format!(
                "Each profession's demand follows the population of the service areas it works in, weighted by care use per person by sex and age within the area, and by the profession's share of FTE in each area per county and sector (the staffing matrix). Maternity care follows births. The table shows the professions' shares ({}) in {}, demand {}–{} and each area's index (the population's change weighted by the area's care use, before trend and factors).",
                esc(place),
                sc.base_year,
                sc.base_year,
                sc.horizon
            ),
        }
    );
    let _ = write!(
        o,
        "<div class=\"scroll\"><table><tr><th>{}</th><th>{} {}–{}</th>",
        tr(lang, "Yrke", "Profession"),
        tr(lang, "Efterfrågan", "Demand"),
        sc.base_year,
        sc.horizon
    );
    for code in &sv.codes {
        let _ = write!(o, "<th>{}</th>", esc(&service_name(code, lang)));
    }
    o.push_str("</tr>\n");
    let _ = write!(
        o,
        "<tr><td><em>{} {}</em></td><td></td>",
        tr(lang, "Områdets index", "The area's index"),
        sc.horizon
    );
    for x in &index {
        let _ = write!(o, "<td>×{}</td>", num(*x, 3, lang));
    }
    o.push_str("</tr>\n");
    for p in 0..g.np() {
        let mut fte = vec![0.0; ns];
        let mut staffed = vec![0.0; ns];
        for &c in counties {
            for k in 0..nk {
                let at = ((p * nc + c) * nk + k) * ns;
                for (v, x) in staffed.iter_mut().enumerate() {
                    *x += sv.fte[at + v];
                }
                if let Some(mix) = sv.mix(p, c, k, nc, nk) {
                    let base = pr.supply[pr.at(t0, p, c, k)];
                    for (v, share) in mix.iter().enumerate() {
                        fte[v] += base * share;
                    }
                }
            }
        }
        let total: f64 = fte.iter().sum();
        let growth = demand(t0, p)
            .zip(demand(h, p))
            .filter(|(a, _)| *a > 0.0)
            .map(|(a, b)| b / a);
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td>",
            esc(&prof_name(&g.professions[p], lang)),
            growth.map_or_else(|| "..".into(), |x| format!("×{}", num(x, 3, lang)))
        );
        for (f, staff) in fte.iter().zip(&staffed) {
            let cell = if total <= 0.0 || *f <= 0.0 {
                "–".into()
            } else if *staff < MIN_FTE_SHOWN {
                "..".into()
            } else {
                format!("{} %", num(100.0 * f / total, 0, lang))
            };
            let _ = write!(o, "<td>{cell}</td>");
        }
        o.push_str("</tr>\n");
    }
    let n = pr
        .demand
        .unstaffed
        .iter()
        .filter(|[_, c, _]| counties.contains(c))
        .count();
    let unstaffed = match (n, lang) {
        (0, _) => String::new(),
        (_, Lang::Sv) => format!(
            " {n} kombinationer av yrke, län och regi saknar bemanningsuppgift och följer regins vårdkonsumtion."
        ),
        (_, Lang::En) => format!(
            " {n} profession × county × sector combinations have no staffing and follow their sector's care use."
        ),
    };
    let _ = writeln!(
        o,
        "</table></div><p><small>{}{unstaffed}</small></p></section>",
        match lang {
            Lang::Sv => format!(
                "Efterfrågan {}–{}: efterfrågan i heltidsekvivalenter ({}), med trend och faktorer. Andelar: yrkets heltidsekvivalenter {} per område enligt bemanningstabellen; .. där färre än {MIN_FTE_SHOWN} heltidsekvivalenter står bakom andelen (den kunde peka ut några få personer).",
                sc.base_year,
                sc.horizon,
                esc(place),
                sc.base_year
            ),
            Lang::En => format!(
                "Demand {}–{}: demand in FTE ({}), with trend and factors. Shares: the profession's FTE in {} by area from the staffing matrix; .. where fewer than {MIN_FTE_SHOWN} FTE stand behind the share (it could point to a few persons).",
                sc.base_year,
                sc.horizon,
                esc(place),
                sc.base_year
            ),
        }
    );
}
