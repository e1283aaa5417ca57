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
    let w = Words::of(pr, sp.layer);
    let _ = writeln!(
        o,
        "<h3>{}</h3><p>{}</p>",
        w.title.pick(lang),
        match lang {
            Lang::Sv => format!(
                "{} delas på {}: i basåret som i specialisttabellen ({}), därefter behåller varje årskull sin sammansättning och årets nya {} fördelas på grupperna efter {} en utbildningstid tidigare. Efterfrågan är gruppens specialister i basåret, framskriven med sitt verksamhetsområdes befolkning (specialties.csv; metod i docs/MODEL.md 4.3.1).{}",
                w.persons.0,
                w.groups.0,
                sp.table_year,
                w.certificates.0,
                w.starts.0,
                if whole {
                    format!(
                        " Behövda {}: det antal om året från {} som för gruppen till efterfrågan {}{} (st_required.csv; känsligheten för målåret och för basårets obalans i st_sensitivity.csv).",
                        w.need.0,
                        sc.balance.intake_from,
                        window_sv,
                        q.map_or(String::new(), |q| format!(
                            ", med {} % av dem som slutar med {}",
                            num(100.0 * q, 0, lang),
                            w.certificate.0
                        ))
                    )
                } else {
                    String::new()
                },
            ),
            Lang::En => format!(
                "{} are divided over {}: in the base year as in the specialists table ({}), then each cohort keeps its composition and the year's new {} are divided over the groups by {} one training length earlier. Demand is the group's specialists in the base year, projected with its service area's population (specialties.csv; method in docs/MODEL.md 4.3.1).{}",
                w.persons.1,
                w.groups.1,
                sp.table_year,
                w.certificates.1,
                w.starts.1,
                if whole {
                    format!(
                        " Required {}: the number a year from {} that brings the group to its demand {}{} (st_required.csv; its sensitivity to the target year and to the base-year imbalance in st_sensitivity.csv).",
                        w.need.1,
                        sc.balance.intake_from,
                        window_en,
                        q.map_or(String::new(), |q| format!(
                            ", with {} % of them ending in a {}",
                            num(100.0 * q, 0, lang),
                            w.certificate.1
                        ))
                    )
                } else {
                    String::new()
                },
            ),
        }
    );
    let mut head = vec![
        w.group.pick(lang).to_string(),
        format!("{} {target}", tr(lang, "Specialister", "Specialists")),
        format!("{} {target}", tr(lang, "Efterfrågan", "Demand")),
        tr(lang, "Skillnad", "Difference").to_string(),
    ];
    // The groups' bands are the run's total (docs/MODEL.md 10): shown in a report for all its
    // counties, between the outer percentiles.
    let band = pr
        .bands
        .as_ref()
        .filter(|b| counties.len() == nc && b.percentiles.len() > 1)
        .and_then(|b| Some((b, b.years.iter().position(|&y| y == target)?)));
    if let Some((b, _)) = band {
        let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
        head.push(format!(
            "{} {target} P{}–P{}",
            tr(lang, "Specialister", "Specialists"),
            num(lo, 0, lang),
            num(hi, 0, lang)
        ));
    }
    if whole {
        head.push(format!(
            "{} {}",
            w.today.pick(lang),
            tr(lang, "i dag", "today")
        ));
        head.push(format!(
            "{} {}",
            w.required.pick(lang),
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
        if let Some((b, bi)) = band {
            let nq = b.percentiles.len();
            let cell = b
                .groups
                .iter()
                .find(|x| x.profession == sp.layer && x.group == gi)
                .map_or("–".into(), |x| {
                    format!(
                        "{} – {}",
                        num(x.quantiles[bi * nq], 0, lang),
                        num(x.quantiles[bi * nq + nq - 1], 0, lang)
                    )
                });
            let _ = write!(o, "<td>{cell}</td>");
        }
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

/// The words a specialist layer's section is written in, `(Swedish, English)`: specialist
/// physicians train in ST posts, specialist nurses in a programme; another layer is named by its
/// code list names.
struct Words {
    title: Pair,
    persons: Pair,
    groups: Pair,
    group: Pair,
    certificate: Pair,
    certificates: Pair,
    starts: Pair,
    need: Pair,
    today: Pair,
    required: Pair,
}

/// A text in Swedish and English.
struct Pair(String, String);

impl Pair {
    fn pick(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.0,
            Lang::En => &self.1,
        }
    }
}

impl Words {
    fn of(pr: &Projection, layer: usize) -> Words {
        let pair = |sv: &str, en: &str| Pair(sv.to_string(), en.to_string());
        let code = &pr.inputs.grid.professions[layer];
        match code.as_str() {
            "SPL" => Words {
                title: pair(
                    "Specialistläkare efter specialitet",
                    "Specialist physicians by specialty",
                ),
                persons: pair("Specialistläkarna", "Specialist physicians"),
                groups: pair("specialitetsgrupper", "specialty groups"),
                group: pair("Specialitet", "Specialty"),
                certificate: pair("specialistbevis", "certificate"),
                certificates: pair("specialistbevis", "certificates"),
                starts: pair("ST-starterna", "the ST starts"),
                need: pair("ST-starter", "ST starts"),
                today: pair("ST-starter", "ST starts"),
                required: pair(
                    "Behövda ST-starter om året från",
                    "Required ST starts a year from",
                ),
            },
            "SSSK" => Words {
                title: pair(
                    "Specialistsjuksköterskor efter inriktning",
                    "Specialist nurses by specialisation",
                ),
                persons: pair("Specialistsjuksköterskorna", "Specialist nurses"),
                groups: pair("inriktningar", "specialisations"),
                group: pair("Inriktning", "Specialisation"),
                certificate: pair("examen", "degree"),
                certificates: pair("examina", "degrees"),
                starts: pair(
                    "nybörjarna på specialistsjuksköterskeprogrammet",
                    "the beginners of the specialist-nurse programme",
                ),
                need: pair("nybörjare", "beginners"),
                today: pair("Nybörjare", "Beginners"),
                required: pair(
                    "Behövda nybörjare om året från",
                    "Required beginners a year from",
                ),
            },
            _ => {
                let names = crate::codes::CodeLists::get().profession(code);
                let (sv, en) = names.map_or((code.clone(), code.clone()), |p| {
                    (p.name_sv.clone(), p.name_en.clone())
                });
                Words {
                    title: Pair(
                        format!("{sv} efter specialitetsgrupp"),
                        format!("{en} by specialty group"),
                    ),
                    persons: Pair(sv.clone(), en.clone()),
                    groups: pair("specialitetsgrupper", "specialty groups"),
                    group: pair("Specialitetsgrupp", "Specialty group"),
                    certificate: pair("specialistbevis", "certificate"),
                    certificates: pair("specialistbevis", "certificates"),
                    starts: pair("starterna av utbildningen", "the training starts"),
                    need: pair("starter", "starts"),
                    today: pair("Starter", "Starts"),
                    required: pair(
                        "Behövda starter om året från",
                        "Required starts a year from",
                    ),
                }
            }
        }
    }
}
