//! The report's small helpers: the translation of a phrase, HTML escaping, numbers as the page
//! writes them, the names of professions, counties, the run's area and inputs, and inline figures.

use crate::codes::CodeLists;
use crate::model::Projection;
use crate::publish::charts;
use crate::publish::survey::survey_heading;
use crate::table::Lang;
use std::fmt::Write as _;

pub(crate) fn tr(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// A report chart's caption: "Source: hwf", then `detail` if any, then the synthetic-data warning
/// when any input was the embedded synthetic data (every chart says it, so a chart copied out of
/// the report keeps it).
pub(crate) fn chart_source(lang: Lang, detail: &str, synthetic: bool) -> String {
    let mut s = format!("{}: hwf", tr(lang, "Källa", "Source"));
    if !detail.is_empty() {
        s.push_str(", ");
        s.push_str(detail);
    }
    if synthetic {
        s.push_str(tr(
            lang,
            " — syntetiska data, inte statistik om Sverige",
            " — synthetic data, not statistics about Sweden",
        ));
    }
    s
}

/// A table's header row: one `<th>` per heading (already escaped or plain text), in `<tr>`.
pub(crate) fn header_row(headings: &[&str]) -> String {
    let mut o = String::from("<tr>");
    for h in headings {
        o.push_str("<th>");
        o.push_str(h);
        o.push_str("</th>");
    }
    o.push_str("</tr>");
    o
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number with thousands groups separated by a narrow no-break space, U+202F (and a decimal
/// comma in Swedish).
pub(crate) fn num(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(if lang == Lang::Sv { ',' } else { '.' });
        out.push_str(frac);
    }
    if v < 0.0
        && !out
            .trim_start_matches(['0', '\u{202f}', ',', '.'])
            .is_empty()
    {
        format!("−{out}")
    } else {
        out
    }
}

/// A rate per 100 000 inhabitants for the page: one decimal below 100, whole numbers from there.
pub(crate) fn rate_text(v: f64, lang: Lang) -> String {
    num(v, if v < 100.0 { 1 } else { 0 }, lang)
}

/// A service area's name in the report's language (its code when the code list lacks it).
pub(crate) fn service_name(code: &str, lang: Lang) -> String {
    CodeLists::get()
        .services
        .iter()
        .find(|n| n.code == code)
        .map_or_else(
            || code.to_string(),
            |n| match lang {
                Lang::Sv => n.name_sv.clone(),
                Lang::En => n.name_en.clone(),
            },
        )
}

/// A profession's name in the report's language (its code when the code list lacks it).
pub(crate) fn prof_name(code: &str, lang: Lang) -> String {
    CodeLists::get()
        .profession(code)
        .map(|p| {
            if lang == Lang::Sv {
                p.name_sv.clone()
            } else {
                p.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub(crate) fn county_name(code: &str, lang: Lang) -> String {
    CodeLists::get()
        .county(code)
        .map(|c| {
            if lang == Lang::Sv {
                c.name_sv.clone()
            } else {
                c.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

/// A health-care region's name in `lang` (`Norra`, `North`), or its code when the list lacks it.
pub(crate) fn region_name(code: &str, lang: Lang) -> String {
    CodeLists::get()
        .healthcare_regions
        .iter()
        .find(|x| x.code == code)
        .map(|x| {
            if lang == Lang::Sv {
                x.name_sv.clone()
            } else {
                x.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

/// What the run covers, as the report names it: `riket`/`Sweden`, or the `[scope]`'s counties.
pub(super) fn area_name(pr: &Projection, lang: Lang) -> String {
    pr.area().name(lang == Lang::Sv)
}

pub(crate) fn label_word(l: &str, lang: Lang) -> &'static str {
    match l {
        "shortage" => tr(lang, "brist", "shortage"),
        "surplus" => tr(lang, "överskott", "surplus"),
        _ => tr(lang, "balans", "balance"),
    }
}

/// A signed number with `decimals` decimals in the report's language (`+0,50`, `−2`).
pub(crate) fn signed(v: f64, decimals: usize, lang: Lang) -> String {
    let t = num(v.abs(), decimals, lang);
    if v < 0.0 && t.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{t}")
    } else {
        format!("+{t}")
    }
}

/// An input's name in the report's language (the scenario key as given for any other).
pub(crate) fn input_name(key: &str, lang: Lang) -> String {
    match key {
        "licensed" => tr(lang, "Legitimerade", "Licensed persons").into(),
        "employed" => tr(lang, "Sysselsatta", "Employed persons").into(),
        "employed.fte" => tr(
            lang,
            "Sysselsatta: heltidsekvivalenter",
            "Employed persons: full-time equivalents",
        )
        .into(),
        "employed.sectors" => tr(lang, "Sysselsatta: regi", "Employed persons: sectors").into(),
        "licences_issued" => tr(lang, "Utfärdade legitimationer", "Licences issued").into(),
        "population" => tr(lang, "Befolkning", "Population").into(),
        "population_projection" => tr(lang, "Befolkningsprognos", "Population projection").into(),
        "admissions" => tr(lang, "Nybörjare och examinerade", "Beginners and graduates").into(),
        "care_use" => tr(lang, "Vårdkonsumtion", "Care use").into(),
        "balance" => survey_heading(lang).into(),
        "demand.births" => tr(lang, "Levande födda", "Live births").into(),
        other => other.into(),
    }
}

/// An inline chart with a caption naming its files.
pub(crate) fn figure(o: &mut String, ch: &charts::Drawn, lang: Lang) {
    let files = format!("charts/{n}.png, charts/{n}.svg", n = esc(&ch.name));
    figure_with(o, ch, lang, &files);
}

/// An inline chart whose caption names its SVG file only (reports that write no PNG).
pub(crate) fn figure_svg(o: &mut String, ch: &charts::Drawn, lang: Lang) {
    let files = format!("charts/{}.svg", esc(&ch.name));
    figure_with(o, ch, lang, &files);
}

/// A chart in the page: its wide drawing, and where it has one its narrow drawing with the title
/// and caption set as text around it (the style shows one of the two by the screen's width, and
/// the wide one in print); then the files it was written to.
fn figure_with(o: &mut String, ch: &charts::Drawn, lang: Lang, files: &str) {
    let _ = match &ch.narrow {
        Some(narrow) => write!(
            o,
            "<figure class=\"two\"><div class=\"wide\">{}</div><div class=\"narrow\">\
             <p class=\"chart-title\">{}</p>{}<p class=\"chart-caption\">{}</p></div>",
            inline_svg(&ch.svg),
            esc(&ch.title),
            inline_svg(narrow),
            esc(&ch.caption)
        ),
        None => write!(o, "<figure>{}", inline_svg(&ch.svg)),
    };
    let _ = write!(
        o,
        "<figcaption>{}: {files}</figcaption></figure>",
        tr(lang, "Som fil", "As a file")
    );
}

/// A chart's SVG as the page inlines it: from `<svg` on (no XML declaration), without plotters'
/// `opacity="1"` on every element (the default) and with its font sizes to two decimals
/// (`14.516129032258064` → `14.52`), about a tenth of the page. The files in `charts/` keep the
/// SVG as drawn.
fn inline_svg(svg: &str) -> String {
    const SIZE: &str = "font-size=\"";
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let svg = svg.replace(" opacity=\"1\"", "");
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(i) = rest.find(SIZE) {
        let from = i + SIZE.len();
        let len = rest[from..].find('"').unwrap_or(0);
        out.push_str(&rest[..from]);
        let value = &rest[from..from + len];
        match value.parse::<f64>() {
            Ok(v) => {
                let t = format!("{v:.2}");
                out.push_str(t.trim_end_matches('0').trim_end_matches('.'));
            }
            Err(_) => out.push_str(value),
        }
        rest = &rest[from + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::inline_svg;

    #[test]
    fn an_inline_svg_drops_default_opacity_and_long_font_sizes_only() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"9\"><text x=\"1\" font-size=\"14.516129032258064\" \
                   opacity=\"1\" fill=\"#000\">a</text><rect opacity=\"0.5\" font-size=\"12\"/>\
                   <text font-size=\"9.999\">b</text></svg>";
        assert_eq!(
            inline_svg(svg),
            "<svg width=\"9\"><text x=\"1\" font-size=\"14.52\" fill=\"#000\">a</text>\
             <rect opacity=\"0.5\" font-size=\"12\"/><text font-size=\"10\">b</text></svg>"
        );
    }
}
