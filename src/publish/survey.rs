//! The report's section on the principals' survey (*Huvudmännens bedömningar*): the answers per
//! profession and principal type, non-response, today's assessment and the horizon judged against
//! it, the county × profession grid, and the tables `survey` and `survey_judgement`.

use super::charts::{self, Drawn};
use super::report::{county_name, esc, figure, label_word, num, part_sums, prof_name, tr};
use super::results::{Data, Wide};
use crate::model::Projection;
use crate::table::Lang;
use std::fmt::Write as _;

/// The survey section's heading (and its entry in the contents).
pub(crate) fn survey_heading(lang: Lang) -> &'static str {
    tr(
        lang,
        "Huvudmännens bedömningar",
        "The principals' assessments",
    )
}

/// County codes north to south, by the latitude of the county seat (the survey grid's rows).
const NORTH_TO_SOUTH: [&str; 21] = [
    "25", "24", "23", "22", "21", "20", "03", "19", "17", "01", "18", "04", "05", "06", "14", "09",
    "07", "13", "08", "10", "12",
];

/// The principal type that answers for sector code `k` (regions, municipalities, private providers).
fn principal_word(code: &str, lang: Lang) -> &'static str {
    match code {
        "R" => tr(lang, "Regioner", "Regions"),
        "K" => tr(lang, "Kommuner", "Municipalities"),
        _ => tr(lang, "Privata vårdgivare", "Private providers"),
    }
}

/// The grid's counties in north-to-south order (counties the list does not know last, by code).
fn counties_north_to_south(g: &crate::model::inputs::Classification) -> Vec<usize> {
    let rank = |code: &str| {
        NORTH_TO_SOUTH
            .iter()
            .position(|c| *c == code)
            .unwrap_or(NORTH_TO_SOUTH.len())
    };
    let mut order: Vec<usize> = (0..g.nc()).collect();
    order.sort_by_key(|&c| (rank(&g.counties[c]), g.counties[c].clone()));
    order
}

/// The survey grid: counties (north to south) × professions, each cell today's assessment with the
/// principal types combined (FTE-weighted shares); `None` when nobody answered about anything.
pub fn survey_chart(
    pr: &Projection,
    survey: &crate::model::survey::Survey,
    lang: Lang,
) -> Result<Option<Drawn>, charts::ChartError> {
    if survey.is_empty() {
        return Ok(None);
    }
    let g = &pr.inputs.grid;
    let rows: Vec<charts::GridRow> = counties_north_to_south(g)
        .into_iter()
        .map(|c| charts::GridRow {
            label: crate::codes::county_short(&county_name(&g.counties[c], lang)),
            cells: (0..g.np())
                .map(|p| {
                    let s = survey.today_shares_of(p, Some(c));
                    s[0].is_finite().then_some(s)
                })
                .collect(),
        })
        .collect();
    let synthetic = pr.used.iter().any(|u| u.key == "balance" && u.synthetic);
    let l = charts::Labels {
        title: format!(
            "{} {}",
            tr(
                lang,
                "Huvudmännens bedömning per län och yrke,",
                "The principals' assessment by county and profession,"
            ),
            pr.scenario.base_year
        ),
        caption: format!(
            "{}{}",
            tr(
                lang,
                "Län från norr till söder; färgen blandar svaren efter andel (årsarbetarviktad). Källa: huvudmännens bedömningar",
                "Counties north to south; the colour mixes the answers by share (weighted by FTE). Source: the principals' assessments"
            ),
            if synthetic {
                tr(lang, " (syntetiska data)", " (synthetic data)")
            } else {
                ""
            }
        ),
        x: String::new(),
        y: String::new(),
        series: vec![
            tr(lang, "brist", "shortage").into(),
            tr(lang, "balans", "balance").into(),
            tr(lang, "överskott", "surplus").into(),
            tr(lang, "inget svar, ej tillfrågad", "no answer, not asked").into(),
        ],
    };
    charts::answer_grid("survey_counties", &l, &g.professions, &rows).map(Some)
}

/// The principal types (sector indices) asked about at least one profession.
pub(crate) fn asked_types(
    g: &crate::model::inputs::Classification,
    survey: &crate::model::survey::Survey,
) -> Vec<usize> {
    let nk = g.nk();
    (0..nk)
        .filter(|&k| (0..g.np()).any(|p| survey.asked[p * nk + k]))
        .collect()
}

/// The survey tables' last three headings (today's assessment, the change of balance, the judged
/// position), each with the attribute `attr`, and the row's end.
pub(crate) fn judgement_heads(
    sc: &crate::model::scenario::Scenario,
    lang: Lang,
    attr: &str,
) -> String {
    format!(
        "<th{attr}>{} {}</th><th{attr}>{} {}–{}</th><th{attr}>{} {}</th></tr>",
        tr(lang, "Bedömning", "Assessment"),
        sc.base_year,
        tr(lang, "Balansens förändring", "Change of balance"),
        sc.base_year,
        sc.horizon,
        tr(lang, "Bedömt läge", "Judged position"),
        sc.horizon
    )
}

/// The cells under [`judgement_heads`] and the row's end (dashes without a judgement).
pub(crate) fn judgement_cells(
    j: Option<(
        crate::model::survey::Level,
        f64,
        crate::model::survey::Level,
    )>,
    lang: Lang,
) -> String {
    match j {
        Some((today, change, judged)) => format!(
            "<td class=\"{}\">{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
            today.word(),
            label_word(today.word(), lang),
            change_points(change, lang),
            judged.word(),
            label_word(judged.word(), lang)
        ),
        None => "<td>–</td><td>–</td><td>–</td></tr>".into(),
    }
}

/// A change of a ratio in signed whole percentage points (`+8 procentenheter`, `−1 point`).
pub(crate) fn change_points(change: f64, lang: Lang) -> String {
    let v = (100.0 * change).abs();
    format!(
        "{}{} {}",
        if change >= 0.0 { "+" } else { "−" },
        num(v, 0, lang),
        if v.round() == 1.0 {
            tr(lang, "procentenhet", "point")
        } else {
            tr(lang, "procentenheter", "points")
        }
    )
}

/// A share as a whole percentage (`–` where there is none).
fn percent(v: f64, lang: Lang) -> String {
    if v.is_finite() {
        format!("{} %", num(100.0 * v, 0, lang))
    } else {
        "–".into()
    }
}

/// The survey section: per profession, each principal type's answers, non-response and weighted
/// share of shortage; today's assessment; the model's change of balance to the horizon and the
/// horizon judged against today.
pub(crate) fn survey_section(
    o: &mut String,
    pr: &Projection,
    survey: &crate::model::survey::Survey,
    chart: Option<&Drawn>,
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let _ = writeln!(o, "<h2 id=\"survey\">{}</h2>", survey_heading(lang));
    if survey.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p>",
            tr(
                lang,
                "Underlaget har inga bedömningar från huvudmännen.",
                "The inputs hold no assessments by the principals."
            )
        );
        return;
    }
    let nk = g.nk();
    let types = asked_types(g, survey);
    let _ = write!(
        o,
        "<div class=\"scroll\"><table><tr><th rowspan=\"2\">{}</th>",
        tr(lang, "Yrke", "Profession")
    );
    for &k in &types {
        let _ = write!(
            o,
            "<th colspan=\"3\">{}</th>",
            principal_word(&g.sectors[k], lang)
        );
    }
    let _ = writeln!(o, "{}<tr>", judgement_heads(sc, lang, " rowspan=\"2\""));
    for _ in &types {
        let _ = write!(
            o,
            "<th>{}</th><th>{}</th><th>{}</th>",
            tr(
                lang,
                "brist / balans / överskott",
                "shortage / balance / surplus"
            ),
            tr(lang, "ej svar", "no answer"),
            tr(lang, "andel brist, viktad", "share shortage, weighted")
        );
    }
    o.push_str("</tr>\n");
    for p in 0..g.np() {
        let _ = write!(
            o,
            "<tr><td>{}</td>",
            esc(&prof_name(&g.professions[p], lang))
        );
        for &k in &types {
            let x = survey.national(p, k);
            if survey.asked[p * nk + k] {
                let _ = write!(
                    o,
                    "<td>{} / {} / {}</td><td>{}</td><td>{}</td>",
                    num(x.counts[0], 0, lang),
                    num(x.counts[1], 0, lang),
                    num(x.counts[2], 0, lang),
                    x.non_response()
                        .map_or_else(|| "–".into(), |n| num(n, 0, lang)),
                    percent(x.weighted[0], lang)
                );
            } else {
                o.push_str("<td>–</td><td>–</td><td>–</td>");
            }
        }
        let _ = writeln!(
            o,
            "{}",
            judgement_cells(pr.judgement(survey, p, None), lang)
        );
    }
    o.push_str("</table></div>\n");
    let fte_note = types
        .iter()
        .filter(|&&k| g.sectors[k] == "K")
        .map(|&k| {
            let covered: Vec<f64> = (0..g.np())
                .filter(|&p| survey.asked[p * nk + k])
                .map(|p| survey.national(p, k).covered)
                .filter(|v| v.is_finite())
                .collect();
            covered.iter().copied().fold(f64::INFINITY, f64::min)
        })
        .next()
        .filter(|v| v.is_finite());
    let private_asked = types.iter().any(|&k| g.sectors[k] == "P");
    let caption = match lang {
        Lang::Sv => format!(
            "Svaren räknas per huvudman: en region per län, länets kommuner. Andel brist, viktad: varje läns svar vägs med yrkets årsarbetare hos huvudmannatypen i länet {base}; i ett län står de kommuner som svarat för alla länets kommuner. Ej svar: tillfrågade huvudmän utan svar – de räknas inte som balans. Bedömning {base}: det svar som har störst viktad andel när alla huvudmannatyper läggs samman. Balansens förändring: modellens tillgång genom efterfrågan {h} minus samma kvot {base} (i procentenheter). Bedömt läge {h} (SCB:s sätt att läsa en prognos): dagens bedömning flyttas ett steg mot överskott när förändringen överstiger +{tol} procentenheter, ett steg mot brist när den understiger −{tol}, annars står den kvar. Bedömningarna påverkar inte efterfrågan i basåret, som är lika med de sysselsattas årsarbetare.{cov}{private}",
            base = sc.base_year,
            h = sc.horizon,
            tol = num(100.0 * sc.balance.tolerance, 0, lang),
            cov = fte_note
                .map(|v| format!(
                    " Län med kommunsvar har minst {} av kommunernas årsarbetare i varje tillfrågat yrke.",
                    percent(v, lang)
                ))
                .unwrap_or_default(),
            private = if private_asked {
                ""
            } else {
                " Privata vårdgivare har inga svar i underlaget."
            }
        ),
        Lang::En => format!(
            "Answers are counted per principal: one region per county, the county's municipalities. Share shortage, weighted: each county's answers weigh by the profession's FTE with that principal type in the county in {base}; within a county the municipalities that answered stand for all of them. No answer: principals asked who did not answer, never counted as balance. Assessment {base}: the answer with the largest weighted share, all principal types together. Change of balance: the model's supply over demand in {h} minus the same ratio in {base} (percentage points). Judged position {h} (SCB's way of reading a projection): today's assessment moves one step toward surplus when the change exceeds +{tol} points, one step toward shortage below −{tol}, and otherwise stays. The assessments do not move base-year demand, which equals the employed FTE.{cov}{private}",
            base = sc.base_year,
            h = sc.horizon,
            tol = num(100.0 * sc.balance.tolerance, 0, lang),
            cov = fte_note
                .map(|v| format!(
                    " Counties with municipal answers hold at least {} of the municipalities' FTE in every profession asked.",
                    percent(v, lang)
                ))
                .unwrap_or_default(),
            private = if private_asked {
                ""
            } else {
                " Private providers have no answers in the inputs."
            }
        ),
    };
    let _ = writeln!(o, "<p><small>{}</small></p>", esc(&caption));
    if let Some(ch) = chart {
        figure(o, ch, lang);
        o.push('\n');
    }
}

/// The survey as tidy tables: `survey` (answers per profession × county or the whole × principal
/// type) and `survey_judgement` (today's assessment, the change of balance and the horizon judged
/// against today, per profession × county or the whole).
pub fn survey_tables(
    pr: &Projection,
    survey: &crate::model::survey::Survey,
) -> Vec<(&'static str, Wide)> {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    let all: Vec<usize> = (0..nc).collect();
    let total = pr.area().total_code();
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); 12];
    let fin = |v: f64| v.is_finite().then_some(v);
    for p in 0..np {
        for k in 0..nk {
            if !survey.asked[p * nk + k] {
                continue;
            }
            let rows = (0..nc)
                .map(|c| (g.counties[c].clone(), survey.county(p, c, k)))
                .chain(std::iter::once((total.to_string(), survey.national(p, k))));
            for (area, x) in rows {
                text[0].push(g.professions[p].clone());
                text[1].push(area);
                text[2].push(g.sectors[k].clone());
                for (col, v) in nums.iter_mut().zip(x.counts) {
                    col.push(Some(v));
                }
                nums[3].push(Some(x.answered));
                nums[4].push(x.asked);
                nums[5].push(x.non_response());
                for a in 0..3 {
                    nums[6 + a].push(fin(x.shares[a]));
                }
                nums[9].push(fin(x.weighted[0]));
                nums[10].push(fin(x.weighted[2]));
                nums[11].push(fin(x.covered));
            }
        }
    }
    let mut tx = text.into_iter();
    let mut nx = nums.into_iter();
    let mut t = || Data::Text(tx.next().unwrap_or_default());
    let mut n = || Data::Num(nx.next().unwrap_or_default());
    let answers = Wide {
        cols: vec![
            ("profession".into(), t()),
            ("county".into(), t()),
            ("principal".into(), t()),
            ("shortage".into(), n()),
            ("balance".into(), n()),
            ("surplus".into(), n()),
            ("answered".into(), n()),
            ("asked".into(), n()),
            ("no_answer".into(), n()),
            ("share_shortage".into(), n()),
            ("share_balance".into(), n()),
            ("share_surplus".into(), n()),
            ("share_shortage_fte_weighted".into(), n()),
            ("share_surplus_fte_weighted".into(), n()),
            ("fte_covered".into(), n()),
        ],
    };
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 5];
    let mut nums: Vec<Vec<Option<f64>>> = vec![Vec::new(); 4];
    for p in 0..np {
        for c in (0..nc).map(Some).chain(std::iter::once(None)) {
            let Some((today, change, judged)) = pr.judgement(survey, p, c) else {
                continue;
            };
            let s = survey.today_shares_of(p, c);
            text[0].push(g.professions[p].clone());
            text[1].push(c.map_or_else(|| total.to_string(), |c| g.counties[c].clone()));
            text[2].push(today.word().into());
            text[3].push(judged.word().into());
            let th = pr.years.iter().position(|&y| y == sc.horizon);
            let label = th.map_or_else(String::new, |th| {
                let (s, d) = part_sums(pr, th, p, &c.map_or_else(|| all.clone(), |c| vec![c]));
                pr.label(s, d.unwrap_or(f64::NAN)).to_string()
            });
            text[4].push(label);
            for a in 0..3 {
                nums[a].push(fin(s[a]));
            }
            nums[3].push(Some(100.0 * change));
        }
    }
    let mut tx = text.into_iter();
    let mut nx = nums.into_iter();
    let mut t = || Data::Text(tx.next().unwrap_or_default());
    let mut n = || Data::Num(nx.next().unwrap_or_default());
    let (c0, c1, c2, c3, c4) = (t(), t(), t(), t(), t());
    let judgement = Wide {
        cols: vec![
            ("profession".into(), c0),
            ("county".into(), c1),
            (format!("assessment_{}", sc.base_year), c2),
            ("share_shortage_fte_weighted".into(), n()),
            ("share_balance_fte_weighted".into(), n()),
            ("share_surplus_fte_weighted".into(), n()),
            (
                format!("balance_change_points_{}_{}", sc.base_year, sc.horizon),
                n(),
            ),
            (format!("judged_{}", sc.horizon), c3),
            (format!("model_balance_{}", sc.horizon), c4),
        ],
    };
    vec![("survey", answers), ("survey_judgement", judgement)]
}
