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
    let _ = writeln!(o, "</table></div></section>");
}
