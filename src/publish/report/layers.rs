//! The report's section on specialist layers: each layer beside its profession (specialist
//! physicians among physicians, specialist nurses and midwives among nurses), and the persons of
//! the profession without the layer's competence (`layers.csv` has them by county and year).

use super::html::{esc, header_row, num, prof_name, tr};
use crate::model::Projection;
use crate::model::inputs::NA;
use crate::publish::results::county_sum;
use crate::table::Lang;
use std::fmt::Write as _;

/// The heading of the section.
fn layers_heading(lang: Lang) -> &'static str {
    tr(
        lang,
        "Specialister inom sina yrken",
        "Specialists within their professions",
    )
}

/// The section's entry in a page's table of contents, when the run has layers.
pub(crate) fn layers_toc(o: &mut String, pr: &Projection, lang: Lang) {
    if pr.params.iter().any(|x| x.parent.is_some()) {
        let _ = write!(
            o,
            "<li><a href=\"#layers\">{}</a></li>",
            layers_heading(lang)
        );
    }
}

/// Licensed persons of profession `p`'s path in the counties `counties` in year index `ti` (of
/// the path).
fn licensed_in(pr: &Projection, p: usize, ti: usize, counties: &[usize]) -> f64 {
    let per = pr.inputs.grid.nc() * 2 * NA;
    counties
        .iter()
        .map(|&c| county_sum(&pr.paths[p].licensed, per, ti, c))
        .sum()
}

/// The section for the counties `counties` (indices of the run's grid), `place` naming them:
/// for each layer, its licensed persons and its profession's in the first projected year, the
/// target year and the horizon, the profession's persons without the layer's competence and the
/// layer's share of the profession. Nothing when the run has no layers.
pub(crate) fn layers_section(
    o: &mut String,
    pr: &Projection,
    counties: &[usize],
    place: &str,
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let layers: Vec<(usize, usize)> = pr
        .params
        .iter()
        .enumerate()
        .filter_map(|(p, prm)| prm.parent.map(|q| (p, q)))
        .collect();
    if layers.is_empty() {
        return;
    }
    // The paths' years run from the base year; the base year's count is the register's, which
    // the report does not repeat here (the profession sections and the disclosed tables have it).
    let mut years: Vec<i32> = vec![sc.base_year + 1, sc.balance.target_year, sc.horizon];
    years.retain(|&y| y > sc.base_year && y <= sc.horizon);
    years.dedup();
    let _ = writeln!(
        o,
        "<section><h2 id=\"layers\">{}</h2>",
        layers_heading(lang)
    );
    let _ = writeln!(
        o,
        "<p>{}</p>",
        match lang {
            Lang::Sv => format!(
                "Specialistläkare är läkare, specialistsjuksköterskor och barnmorskor är sjuksköterskor: varje specialistgrupp hålls inom sitt yrke i varje län, kön och ålder och varje år. Yrkets personer utan specialistkompetensen är skillnaden (per län och år i layers.csv). Legitimerade ({}), framskrivning.",
                esc(place)
            ),
            Lang::En => format!(
                "Specialist physicians are physicians; specialist nurses and midwives are nurses: each specialist group is held within its profession in every county, sex and age and every year. The profession's persons without the specialist competence are the difference (by county and year in layers.csv). Licensed persons ({}), projected.",
                esc(place)
            ),
        }
    );
    let _ = writeln!(
        o,
        "<div class=\"scroll\"><table>{}",
        header_row(&[
            tr(lang, "Specialistgrupp", "Specialist group"),
            tr(lang, "År", "Year"),
            tr(lang, "Legitimerade i gruppen", "Licensed in the group"),
            tr(lang, "Legitimerade i yrket", "Licensed in the profession"),
            tr(
                lang,
                "Yrket utan specialistkompetensen",
                "The profession without the competence"
            ),
            tr(lang, "Gruppens andel av yrket", "The group's share"),
        ])
    );
    for &(p, q) in &layers {
        for &y in &years {
            let ti = (y - sc.base_year) as usize;
            let (l, pl) = (
                licensed_in(pr, p, ti, counties),
                licensed_in(pr, q, ti, counties),
            );
            let share = if pl > 0.0 {
                format!("{} %", num(100.0 * l / pl, 1, lang))
            } else {
                "–".into()
            };
            let _ = writeln!(
                o,
                "<tr><td>{} ({})</td><td>{y}</td><td>{}</td><td>{}</td><td>{}</td><td>{share}</td></tr>",
                esc(&prof_name(&g.professions[p], lang)),
                esc(&prof_name(&g.professions[q], lang)),
                num(l, 0, lang),
                num(pl, 0, lang),
                num((pl - l).max(0.0), 0, lang),
            );
        }
    }
    let _ = writeln!(o, "</table></div>");
    for sp in &pr.specialties {
        specialties_table(o, pr, sp, counties, lang);
    }
    let _ = writeln!(o, "</section>");
}

/// A specialist layer by specialty group (`supply.specialists`), for the counties `counties`:
/// each group's specialists and demand in the target year and the gap; in a report for the
/// whole run, today's ST starts and the required ST starts a year (nationally, the sum of the
/// health-care regions').
fn specialties_table(
    o: &mut String,
    pr: &Projection,
    sp: &crate::model::specialties::Specialties,
    counties: &[usize],
    lang: Lang,
) {
    let sc = &pr.scenario;
    let nc = pr.inputs.grid.nc();
    let target = sc.balance.target_year;
    let Some(ti) = sp.years.iter().position(|&y| y == target) else {
        return;
    };
    let whole = counties.len() == nc && !sp.required.is_empty();
    // The balance window the required starts are solved over, as the required intake's.
    let first = (target - sc.balance.window_years.max(1) as i32 + 1).max(sc.base_year + 1);
    let (window_sv, window_en) = if first < target {
        (
            format!(
                "under {first}–{target} ({})",
                sc.balance.intake_rule.as_str()
            ),
            format!(
                "over {first}–{target} ({})",
                sc.balance.intake_rule.as_str()
            ),
        )
    } else {
        (format!("år {target}"), format!("in {target}"))
    };
    let q = sp.completion.as_ref().map(|c| c.0);
    let _ = writeln!(
        o,
        "<h3>{}</h3><p>{}</p>",
        tr(
            lang,
            "Specialistläkare efter specialitet",
            "Specialist physicians by specialty"
        ),
        match lang {
            Lang::Sv => format!(
                "Specialistläkarna delas på specialitetsgrupper: i basåret som i specialisttabellen ({}), därefter behåller varje årskull sin sammansättning och årets nya specialistbevis fördelas på grupperna efter ST-starterna en utbildningstid tidigare. Efterfrågan är gruppens specialister i basåret, framskriven med sitt verksamhetsområdes befolkning (specialties.csv; metod i docs/MODEL.md 4.3.1).{}",
                sp.table_year,
                if whole {
                    format!(
                        " Behövda ST-starter: det antal starter om året från {} som för gruppen till efterfrågan {}{} (st_required.csv; känsligheten för målåret och för basårets obalans i st_sensitivity.csv).",
                        sc.balance.intake_from,
                        window_sv,
                        q.map_or(String::new(), |q| format!(
                            ", med {} % av starterna som slutar med specialistbevis",
                            num(100.0 * q, 0, lang)
                        ))
                    )
                } else {
                    String::new()
                },
            ),
            Lang::En => format!(
                "Specialist physicians are divided over specialty groups: in the base year as in the specialists table ({}), then each cohort keeps its composition and the year's new certificates are divided over the groups by the ST starts one training length earlier. Demand is the group's specialists in the base year, projected with its service area's population (specialties.csv; method in docs/MODEL.md 4.3.1).{}",
                sp.table_year,
                if whole {
                    format!(
                        " Required ST starts: the starts a year from {} that bring the group to its demand {}{} (st_required.csv; their sensitivity to the target year and to the base-year imbalance in st_sensitivity.csv).",
                        sc.balance.intake_from,
                        window_en,
                        q.map_or(String::new(), |q| format!(
                            ", with {} % of the starts ending in a certificate",
                            num(100.0 * q, 0, lang)
                        ))
                    )
                } else {
                    String::new()
                },
            ),
        }
    );
    let mut head = vec![
        tr(lang, "Specialitet", "Specialty").to_string(),
        format!("{} {target}", tr(lang, "Specialister", "Specialists")),
        format!("{} {target}", tr(lang, "Efterfrågan", "Demand")),
        tr(lang, "Skillnad", "Difference").to_string(),
    ];
    if whole {
        head.push(tr(lang, "ST-starter i dag", "ST starts today").to_string());
        head.push(format!(
            "{} {}",
            tr(
                lang,
                "Behövda ST-starter om året från",
                "Required ST starts a year from"
            ),
            sc.balance.intake_from
        ));
    }
    let heads: Vec<&str> = head.iter().map(String::as_str).collect();
    let _ = writeln!(o, "<div class=\"scroll\"><table>{}", header_row(&heads));
    for (gi, grp) in sp.groups.iter().enumerate() {
        let have: f64 = counties.iter().map(|&c| sp.county(ti, gi, c, nc)).sum();
        let want: f64 = counties
            .iter()
            .map(|&c| sp.demand[(ti * sp.ng() + gi) * nc + c])
            .sum();
        let name = match lang {
            Lang::Sv => &grp.name_sv,
            Lang::En => &grp.name_en,
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(name),
            num(have, 0, lang),
            num(want, 0, lang),
            num(have - want, 0, lang)
        );
        if whole {
            let row = sp
                .required
                .iter()
                .find(|r| r.group == gi && r.region.is_none());
            let _ = write!(
                o,
                "<td>{}</td><td>{}</td>",
                row.map_or("–".into(), |r| num(r.today, 0, lang)),
                row.and_then(|r| r.required)
                    .map_or("–".into(), |v| num(v, 0, lang)),
            );
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</table></div>");
}
