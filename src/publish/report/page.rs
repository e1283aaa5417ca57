//! The HTML page: its head and banners, and the page itself from the title through the summary,
//! the survey, the workforce today and one section per profession to the extras, the method, the
//! data sources and the run manifest.

use super::backtest::backtest_section;
use super::calibration::calibration_section;
use super::disclosed::Disclosed;
use super::funding::funding_section;
use super::html::{esc, figure, label_word, num, prof_name, tr};
use super::layers::{layers_section, layers_toc};
use super::manifest::{manifest_section, sources};
use super::profession::{band_cells, band_headings, county_table, gap_band, intake_paragraph};
use super::scenarios::scenarios_section;
use super::services::{services_heading, services_section};
use super::{Extra, Options, SideCharts};
use crate::model::Projection;
use crate::publish::charts::Drawn;
use crate::publish::method::method;
use crate::publish::survey::{survey_heading, survey_section};
use crate::table::Lang;
use std::fmt::Write as _;

/// The HTML report.
pub fn html(pr: &Projection, opts: &Options, d: &Disclosed, charts: &[Vec<Drawn>]) -> String {
    html_with(pr, Extra::default(), SideCharts::default(), opts, d, charts)
}

/// The HTML report, with the extras (other scenarios, funding) when given.
pub fn html_with(
    pr: &Projection,
    extra: Extra<'_>,
    side: SideCharts<'_>,
    opts: &Options,
    d: &Disclosed,
    charts: &[Vec<Drawn>],
) -> String {
    let others = extra.others;
    let lang = opts.lang;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let h = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    let area = pr.area();
    let mut title = format!(
        "{} {}–{}",
        tr(
            lang,
            "Tillgång och efterfrågan på legitimerad hälso- och sjukvårdspersonal",
            "Supply and demand of licensed health-care personnel"
        ),
        sc.base_year,
        sc.horizon
    );
    if !area.whole {
        title = format!("{title}: {}", area.name(lang == Lang::Sv));
    }
    let mut o = page_start(pr, opts, &title);
    let _ = writeln!(
        o,
        "<p>{} <b>{}</b>. {} {}, {} {}.</p>",
        tr(lang, "Scenario:", "Scenario:"),
        esc(&sc.name),
        tr(lang, "Basår", "Base year"),
        sc.base_year,
        tr(lang, "framskrivning till", "projected to"),
        sc.horizon
    );
    if !area.whole {
        let _ = writeln!(
            o,
            "<p id=\"scope\"><b>{}</b> {} ({} {}). {}</p>",
            tr(lang, "Omfattning:", "Coverage:"),
            esc(&area.name(lang == Lang::Sv)),
            tr(lang, "län", "counties"),
            area.counties.join(", "),
            tr(
                lang,
                "Rapporten gäller bara dessa län; summaraderna är deras summa, inte riket. Hur flöden över gränsen behandlas står under Metod och antaganden.",
                "The report covers these counties only; the total rows are their sum, not Sweden. How flows across the border are treated is under Method and assumptions."
            )
        );
    }
    // The explorer beside the page, when the folder has one.
    if let Some(name) = side.explorer {
        let _ = writeln!(
            o,
            "<p id=\"explorer\"><a href=\"{}\">{}</a> {}</p>",
            esc(name),
            tr(lang, "Utforska prognosen", "Explore the projection"),
            tr(
                lang,
                "– välj yrke och län och se tillgång, efterfrågan och osäkerhetsband år för år.",
                "– pick a profession and a county and see supply, demand and the bands year by year."
            )
        );
    }
    // Table of contents.
    let _ = write!(
        o,
        "<nav><h2 style=\"border:none\">{}</h2><ol>",
        tr(lang, "Innehåll", "Contents")
    );
    let _ = write!(
        o,
        "<li><a href=\"#summary\">{}</a></li>",
        tr(lang, "Sammanfattning", "Summary")
    );
    for p in 0..g.np() {
        let _ = write!(
            o,
            "<li><a href=\"#p-{0}\">{1}</a></li>",
            g.professions[p],
            esc(&prof_name(&g.professions[p], lang))
        );
    }
    let _ = write!(
        o,
        "<li><a href=\"#survey\">{}</a></li>",
        survey_heading(lang)
    );
    let _ = write!(
        o,
        "<li><a href=\"#describe\">{}</a></li>",
        crate::publish::describe::heading(lang)
    );
    if pr.inputs.services.is_some() {
        let _ = write!(
            o,
            "<li><a href=\"#services\">{}</a></li>",
            services_heading(lang)
        );
    }
    layers_toc(&mut o, pr, lang);
    let _ = writeln!(
        o,
        "<li><a href=\"#method\">{}</a></li><li><a href=\"#sources\">{}</a></li><li><a href=\"#manifest\">{}</a></li></ol></nav>",
        tr(lang, "Metod och antaganden", "Method and assumptions"),
        tr(lang, "Datakällor", "Data sources"),
        tr(lang, "Körningsmanifest", "Run manifest")
    );
    // Summary.
    let _ = writeln!(
        o,
        "<h2 id=\"summary\">{}</h2><table><tr><th>{}</th><th>{} {}</th><th>{} {}</th><th>{} {}</th><th>{} {}</th><th>{} {}</th><th>{} {}</th><th>{}</th></tr>",
        tr(lang, "Sammanfattning", "Summary"),
        tr(lang, "Yrke", "Profession"),
        tr(lang, "Balansläge", "Balance"),
        sc.horizon,
        tr(lang, "Tillgång", "Supply"),
        sc.horizon,
        tr(lang, "Efterfrågan", "Demand"),
        sc.horizon,
        tr(lang, "Gap", "Gap"),
        sc.horizon,
        tr(lang, "Nybörjare", "Beginners"),
        sc.base_year,
        tr(lang, "Behövs från", "Needed from"),
        sc.balance.intake_from,
        tr(lang, "Förändring", "Change")
    );
    // With bands, the gap's band and the probability of shortage follow each row.
    let band_head = band_headings(pr, sc.horizon, lang);
    if !band_head.is_empty() {
        // The header row above ends in `</tr>`: the two headings go before it.
        o.truncate(o.trim_end().len() - "</tr>".len());
        let _ = writeln!(o, "{band_head}</tr>");
    }
    for p in 0..g.np() {
        let (s, dd) = pr.total_fte(h, p);
        let dd = dd.unwrap_or(f64::NAN);
        let l = pr.label(s, dd);
        let intake = pr.intake.iter().find(|r| r.profession == p);
        let (today, req, ch) = match intake {
            Some(r) => (
                num(r.today, 0, lang),
                r.required
                    .map(|q| num(q.max(0.0), 0, lang))
                    .unwrap_or_else(|| "–".into()),
                r.required
                    .filter(|_| r.today > 0.0)
                    .map(|q| {
                        format!(
                            "{}{} %",
                            if q >= r.today { "+" } else { "−" },
                            num((100.0 * (q / r.today - 1.0)).abs(), 0, lang)
                        )
                    })
                    .unwrap_or_else(|| "–".into()),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#p-{}\">{}</a></td><td class=\"{l}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{today}</td><td>{req}</td><td>{ch}</td>{}</tr>",
            g.professions[p],
            esc(&prof_name(&g.professions[p], lang)),
            label_word(l, lang),
            num(s, 0, lang),
            num(dd, 0, lang),
            num(s - dd, 0, lang),
            band_cells(pr, p, None, lang),
        );
    }
    let caption = tr(
        lang,
        "Tillgång och efterfrågan i heltidsekvivalenter, hela riket, all regi (region, kommun, privat). Behövt antal nybörjare: det konstanta årliga antal som bäst ger balans under målperioden; ett negativt behov visas som 0. Specialistläkare, specialistsjuksköterskor och barnmorskor är delmängder av läkare respektive sjuksköterskor.",
        "Supply and demand in full-time equivalents, all of Sweden, all sectors. Beginners needed: the constant annual number that comes closest to balance over the target window; a negative need is shown as 0. Specialist physicians, specialist nurses and midwives are subsets of physicians and nurses.",
    );
    let caption = if area.whole {
        caption.to_string()
    } else {
        // A scope: its counties, and beginners in the health-care regions that hold them.
        caption
            .replace(
                tr(lang, "hela riket", "all of Sweden"),
                &area.name(lang == Lang::Sv),
            )
            .replace(
                tr(lang, "Behövt antal nybörjare:", "Beginners needed:"),
                &format!(
                    "{} ({}):",
                    tr(lang, "Behövt antal nybörjare", "Beginners needed"),
                    tr(
                        lang,
                        "nybörjare i sjukvårdsregionerna som länen hör till, om avgränsningen behåller sin andel av deras legitimationer",
                        "beginners in the health-care regions that hold the counties, if the scope keeps its share of their licences"
                    )
                ),
            )
    };
    let caption = match &pr.bands {
        Some(b) => {
            let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
            let (lo_s, hi_s) = (num(lo, 0, lang), num(hi, 0, lang));
            let inside = num(hi - lo, 0, lang);
            let sentence = match lang {
                Lang::Sv => format!(
                    " Gap P{lo_s}–P{hi_s}: det intervall som gapet hamnar inom med {inside} % sannolikhet (i {inside} av 100 simulerade framtider), givet modellens antaganden. Sannolikhet för brist: andelen simulerade framtider där efterfrågan överstiger tillgången."
                ),
                Lang::En => format!(
                    " Gap P{lo_s}–P{hi_s}: the range the gap falls in with {inside} % probability (in {inside} of 100 simulated futures), given the model's assumptions. Probability of shortage: the share of simulated futures in which demand exceeds supply."
                ),
            };
            format!("{caption}{sentence}")
        }
        None => caption,
    };
    let _ = writeln!(o, "</table><p><small>{caption}</small></p>");
    survey_section(&mut o, pr, &pr.survey(), side.survey, lang);
    crate::publish::describe::section(&mut o, pr, &d.described, lang);
    let everywhere: Vec<usize> = (0..g.nc()).collect();
    let nation = if pr.area().whole {
        tr(lang, "riket", "Sweden").to_string()
    } else {
        pr.area().name(lang == Lang::Sv)
    };
    services_section(&mut o, pr, &everywhere, &nation, lang);
    layers_section(&mut o, pr, &everywhere, &nation, lang);
    // One section per profession.
    for p in 0..g.np() {
        let code = &g.professions[p];
        let (s, dd) = pr.total_fte(h, p);
        let dd = dd.unwrap_or(f64::NAN);
        let _ = writeln!(
            o,
            "<section><h2 id=\"p-{code}\">{}</h2>",
            esc(&prof_name(code, lang))
        );
        let _ = writeln!(
            o,
            "<p>{} {}: {} {} {}, {} {} ({}).</p>",
            tr(lang, "År", "In"),
            sc.horizon,
            tr(lang, "tillgång", "supply"),
            num(s, 0, lang),
            tr(lang, "heltidsekvivalenter", "full-time equivalents"),
            tr(lang, "efterfrågan", "demand"),
            num(dd, 0, lang),
            label_word(pr.label(s, dd), lang)
        );
        if let Some(b) = &pr.bands {
            let (gap_lo, gap_hi, shortage) = gap_band(b, p, crate::model::scope::Region::Total);
            let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
            let _ = writeln!(
                o,
                "<p><strong>{} {}: {} %</strong> ({} {} {}). {} P{lo}–P{hi}: {} {} {}.</p>",
                tr(lang, "Sannolikhet för brist", "Probability of shortage in"),
                sc.horizon,
                num(100.0 * shortage, 0, lang),
                tr(lang, "andel av", "share of"),
                b.draws,
                tr(lang, "Monte Carlo-dragningar", "Monte Carlo draws"),
                tr(lang, "Gapet", "The gap"),
                num(gap_lo, 0, lang),
                tr(lang, "till", "to"),
                num(gap_hi, 0, lang)
            );
        }
        if let Some(r) = pr.intake.iter().find(|r| r.profession == p) {
            intake_paragraph(&mut o, pr, r, lang);
        }
        for ch in charts.get(p).into_iter().flatten() {
            figure(&mut o, ch, lang);
            o.push('\n');
        }
        county_table(&mut o, pr, p, d, opts);
        o.push_str("</section>\n");
    }
    if !others.is_empty() {
        scenarios_section(&mut o, pr, others, side.comparison, lang);
    }
    if let Some(streams) = extra.funding {
        funding_section(&mut o, pr, streams, lang);
    }
    if let Some(scores) = extra.backtest {
        backtest_section(
            &mut o,
            scores,
            [side.backtest, side.backtest_professions],
            lang,
            d,
        );
        calibration_section(&mut o, scores, side.calibration, lang);
    }
    method(&mut o, pr, opts, d);
    sources(&mut o, pr, lang);
    manifest_section(&mut o, pr, side.outputs, lang);
    o.push_str("</body></html>\n");
    o
}

/// The start of a report page: the document head with its style sheet, the title, and the banners
/// (not for publication; synthetic data) the run calls for.
pub(crate) fn page_start(pr: &Projection, opts: &Options, title: &str) -> String {
    let lang = opts.lang;
    let synthetic = pr.used.iter().any(|u| u.synthetic);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>\
body{{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:70rem;margin:1.5rem auto;padding:0 1rem;color:#1d1d1d;line-height:1.45}}\
h1{{font-size:1.7rem}}h2{{border-top:2px solid #1f6fb2;padding-top:.6rem;margin-top:2.4rem}}\
table{{border-collapse:collapse;margin:.8rem 0;font-size:.92rem;display:block;max-width:100%;overflow-x:auto}}th,td{{padding:.25rem .55rem;border-bottom:1px solid #ddd;text-align:right}}\
th{{background:#f2f5f8}}td:first-child,th:first-child{{text-align:left}}\
.shortage{{color:#c0392b;font-weight:bold}}.surplus{{color:#2a7d72}}.balance{{color:#555}}\
.banner{{background:#fff4d6;border:1px solid #e0b84a;padding:.6rem .9rem;margin:1rem 0}}\
figure{{margin:1rem 0;overflow-x:auto}}figure svg{{max-width:100%;height:auto}}figcaption{{font-size:.85rem;color:#555}}\
figure .narrow{{display:none}}.chart-title{{font-weight:bold;margin:.3rem 0}}.chart-caption{{font-size:.85rem;color:#555;margin:.2rem 0}}\
nav ol{{columns:2}}.scroll{{overflow-x:auto}}code{{overflow-wrap:anywhere}}pre{{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem}}\
@media (max-width:50rem){{body{{margin:.8rem auto;padding:0 .6rem}}h1{{font-size:1.3rem}}nav ol{{columns:1}}figure svg{{max-width:none;width:60rem}}\
figure.two .wide{{display:none}}figure.two .narrow{{display:block}}figure.two .narrow svg{{max-width:100%;width:100%}}}}\
@media print{{nav{{display:none}}h2{{page-break-before:always}}figure{{page-break-inside:avoid}}body{{max-width:none}}table{{display:table}}figure svg{{max-width:100%;width:auto}}figure.two .wide{{display:block}}figure.two .narrow{{display:none}}}}\
</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        esc(title),
        esc(title)
    );
    if !opts.disclosure.protects() {
        let _ = writeln!(
            o,
            "<p class=\"banner\"><b>{}</b></p>",
            tr(
                lang,
                "INTE FÖR PUBLICERING: körd utan röjandekontroll (--disclosure none); innehåller registrets antal personer i alla celler.",
                "NOT FOR PUBLICATION: run without disclosure control (--disclosure none); holds the register's counts of persons in every cell."
            )
        );
    }
    let synthetic_keys: Vec<&str> = pr
        .used
        .iter()
        .filter(|u| u.synthetic)
        .map(|u| u.key.as_str())
        .collect();
    if synthetic && synthetic_keys.len() == pr.used.len() {
        let _ = writeln!(
            o,
            "<p class=\"banner\">{}</p>",
            tr(
                lang,
                "<b>Syntetiska data.</b> Rapporten bygger på hwf:s inbyggda, syntetiska standarddata (kalibrerade mot offentliga aggregat). Siffrorna visar hur modellen arbetar – de är inte statistik om Sverige.",
                "<b>Synthetic data.</b> This report is built on hwf's embedded synthetic default data (calibrated to public aggregates). The figures show how the model works; they are not statistics about Sweden."
            )
        );
    } else if synthetic {
        let _ = writeln!(
            o,
            "<p class=\"banner\">{} <b>{}</b>. {}</p>",
            tr(
                lang,
                "<b>Delvis syntetiska data.</b> Dessa indata är hwf:s inbyggda, syntetiska standarddata (kalibrerade mot offentliga aggregat), inte observationer:",
                "<b>Partly synthetic data.</b> These inputs are hwf's embedded synthetic default data (calibrated to public aggregates), not observations:"
            ),
            esc(&synthetic_keys.join(", ")),
            tr(
                lang,
                "Siffror som bygger på dem visar hur modellen arbetar – de är inte statistik om Sverige.",
                "Figures that rest on them show how the model works; they are not statistics about Sweden."
            )
        );
    }
    o
}
