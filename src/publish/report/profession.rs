//! The parts of a profession's section: the county table in the years planners plan for, the band
//! cells of the summary and county tables, and the paragraph on the required intake.

use super::Options;
use super::disclosed::Disclosed;
use super::figures::part_sums;
use super::funding::population_in;
use super::html::{county_name, esc, num, rate_text, region_name, tr};
use crate::model::scope::Region;
use crate::model::{Phase, Projection, RequiredIntake};
use crate::publish::disclosure::Profile;
use crate::table::Lang;
use std::fmt::Write as _;

/// The years a planner plans for: the base year, 2030, 2035 and the horizon, those inside the
/// projection (base year to horizon), ascending, each once; as indices into `pr.years`.
pub(crate) fn plan_years(pr: &Projection) -> Vec<usize> {
    let sc = &pr.scenario;
    let mut years: Vec<i32> = [sc.base_year, 2030, 2035, sc.horizon]
        .into_iter()
        .filter(|y| (sc.base_year..=sc.horizon).contains(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .filter_map(|y| pr.years.iter().position(|&x| x == y))
        .collect()
}

/// Supply of a results year as it may be published: `None` for a year of the register (phase
/// observed) under disclosure control, as `projection/results` withholds it.
pub(crate) fn published_supply(
    pr: &Projection,
    ti: usize,
    supply: f64,
    profile: Profile,
) -> Option<f64> {
    (pr.phases[ti] != Phase::Observed || !profile.protects()).then_some(supply)
}

/// The county table of profession `p`: the register's FTE in the last employment year
/// (disclosure-controlled, the cells of `tables/employed_base_year`), then supply, demand and gap in
/// FTE in the years planners plan for ([`plan_years`]), and the bands of the horizon.
pub(super) fn county_table(
    o: &mut String,
    pr: &Projection,
    p: usize,
    d: &Disclosed,
    opts: &Options,
) {
    let lang = opts.lang;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let area = pr.area();
    let years = plan_years(pr);
    let n = years.len();
    let (grid, mask) = &d.grids[p];
    let _ = write!(
        o,
        "<table><tr><th rowspan=\"2\">{}</th><th rowspan=\"2\">{} {}</th><th rowspan=\"2\">{}</th><th colspan=\"{n}\">{}</th><th colspan=\"{n}\">{}</th><th colspan=\"{n}\">{}</th>{}</tr>\n<tr>",
        tr(lang, "Län", "County"),
        tr(lang, "Anställda", "Employed"),
        d.year,
        tr(lang, "per 100 000 inv.", "per 100,000 inhabitants"),
        tr(lang, "Tillgång", "Supply"),
        tr(lang, "Efterfrågan", "Demand"),
        tr(lang, "Gap", "Gap"),
        band_headings(pr, sc.horizon, lang).replace("<th>", "<th rowspan=\"2\">")
    );
    for _ in 0..3 {
        for &ti in &years {
            let _ = write!(o, "<th>{}</th>", pr.years[ti]);
        }
    }
    o.push_str("</tr>\n");
    let pop = population_in(pr, d.year);
    for r in pr.regions() {
        let cell = grid.at(r.index(g.nc()), 2);
        let people: f64 = match r {
            Region::Total => pop.values().sum(),
            Region::County(c) => pop.get(&g.counties[c]).copied().unwrap_or(0.0),
        };
        let (emp, per) = if mask[cell] {
            ("..".to_string(), "..".to_string())
        } else {
            let f = opts.disclosure.publish_derived(d.fte[p][cell]);
            let per = if people > 0.0 {
                rate_text(1e5 * f / people, lang)
            } else {
                "–".into()
            };
            (num(f, 0, lang), per)
        };
        let range: Vec<usize> = r.counties(g.nc()).collect();
        let name = match r {
            Region::Total if area.whole => tr(lang, "Riket", "Sweden").to_string(),
            Region::Total => tr(lang, "Summa", "Total").to_string(),
            Region::County(c) => county_name(&g.counties[c], lang),
        };
        let (mut sup, mut dem, mut gap) = (String::new(), String::new(), String::new());
        for &ti in &years {
            let (s, dd) = part_sums(pr, ti, p, &range);
            let dd = dd.unwrap_or(f64::NAN);
            match published_supply(pr, ti, s, opts.disclosure) {
                Some(s) => {
                    let _ = write!(sup, "<td>{}</td>", num(s, 0, lang));
                    let _ = write!(
                        gap,
                        "<td class=\"{}\">{}</td>",
                        pr.label(s, dd),
                        num(s - dd, 0, lang)
                    );
                }
                None => {
                    sup.push_str("<td>..</td>");
                    gap.push_str("<td>..</td>");
                }
            }
            let _ = write!(dem, "<td>{}</td>", num(dd, 0, lang));
        }
        let county = match r {
            Region::County(c) => Some(g.counties[c].as_str()),
            Region::Total => None,
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{emp}</td><td>{per}</td>{sup}{dem}{gap}{}</tr>",
            esc(&name),
            band_cells(pr, p, county, lang)
        );
    }
    let _ = writeln!(
        o,
        "</table><p><small>{}</small></p>",
        tr(
            lang,
            "Alla värden är heltidsekvivalenter. Anställda: registrets heltidsekvivalenter det senaste året med sysselsättningsdata (samma celler som tabellen employed_base_year), också per 100 000 invånare det året; \"..\" = uppgiften skyddas av röjandekontroll. Tillgång, efterfrågan och gap: framskrivna heltidsekvivalenter i basåret, 2030, 2035 och slutåret.",
            "All figures are full-time equivalents. Employed: the register's FTE in the last year with employment data (the cells of the table employed_base_year), also per 100,000 inhabitants that year; \"..\" = withheld by disclosure control. Supply, demand and gap: projected FTE in the base year, 2030, 2035 and the horizon."
        )
    );
}

/// The headings of the band columns of the summary and county tables (empty without bands): the
/// gap's band between the outer percentiles and the probability of shortage, in the horizon year.
pub(super) fn band_headings(pr: &Projection, horizon: i32, lang: Lang) -> String {
    let Some(b) = &pr.bands else {
        return String::new();
    };
    let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
    format!(
        "<th>{} {horizon} P{lo}–P{hi}</th><th>{} {horizon}</th>",
        tr(lang, "Gap", "Gap"),
        tr(lang, "Sannolikhet för brist", "Probability of shortage")
    )
}

/// The band cells of profession `p` in `county` (`None`: the nation or the scope's total) in the
/// horizon year: the gap between the outer percentiles and the share of draws with a shortage
/// (empty without bands).
pub(super) fn band_cells(pr: &Projection, p: usize, county: Option<&str>, lang: Lang) -> String {
    let Some(b) = &pr.bands else {
        return String::new();
    };
    let region = match county {
        None => Some(Region::Total),
        Some(code) => b.region_of(code),
    };
    let Some(r) = region else {
        return "<td>–</td><td>–</td>".into();
    };
    let (lo, hi, shortage) = gap_band(b, p, r);
    format!(
        "<td>{} {} {}</td><td>{} %</td>",
        num(lo, 0, lang),
        tr(lang, "till", "to"),
        num(hi, 0, lang),
        num(100.0 * shortage, 0, lang)
    )
}

/// Profession `p`'s gap in `r` (a county of the bands, or their total) in the bands' last year:
/// the outer percentiles and the probability of shortage.
pub(crate) fn gap_band(
    b: &crate::model::montecarlo::Bands,
    p: usize,
    r: Region,
) -> (f64, f64, f64) {
    let last = b.years.len() - 1;
    let gap = b.q(p, crate::model::montecarlo::Variable::Gap, r, last);
    (gap[0], gap[gap.len() - 1], b.shortage_of(p, r, last))
}

/// One paragraph on a profession's required intake: the figure, its parts, its band, and how it
/// moves with the target year.
pub(super) fn intake_paragraph(o: &mut String, pr: &Projection, r: &RequiredIntake, lang: Lang) {
    let b = &pr.scenario.balance;
    let Some(req) = r.required else {
        let _ = writeln!(
            o,
            "<p>{}</p>",
            tr(
                lang,
                "Behövd antagning: kan inte nå målperioden (utbildning och legitimation tar längre tid).",
                "Required intake: cannot reach the target window (education and licensing take longer)."
            )
        );
        return;
    };
    let _ = write!(
        o,
        "<p><strong>{} {}–{}: {} {}</strong>",
        tr(lang, "Behövd antagning", "Required intake"),
        b.window_start(),
        b.target_year,
        num(req, 0, lang),
        tr(lang, "nybörjare per år", "beginners a year"),
    );
    if r.floored() {
        let _ = write!(
            o,
            " ({} {})",
            tr(
                lang,
                "tillgången räcker utan nya nybörjare; beräknat behov",
                "supply suffices without new beginners; computed need"
            ),
            num(r.unfloored.unwrap_or(0.0), 0, lang)
        );
    }
    if let Some(x) = &r.path {
        intake_path_sentence(o, pr, r, x, lang);
    }
    if let Some(gi) = r.group {
        let _ = write!(
            o,
            ". {} {} ({} {} %); {} {}: {} {}",
            tr(lang, "Löst gemensamt med", "Solved jointly with"),
            b.substitutable[gi].join("+"),
            tr(lang, "andel", "share"),
            num(100.0 * r.share, 0, lang),
            tr(
                lang,
                "egen tillgång minus efterfrågan",
                "own supply minus demand"
            ),
            b.target_year,
            num(r.own_gap.unwrap_or(f64::NAN), 0, lang),
            tr(lang, "årsarbetare", "FTE"),
        );
    }
    if let Some(x) = r.parts {
        let _ = write!(
            o,
            ". {}: {} {}, {} {}, {} {}",
            if r.path.is_some() {
                tr(
                    lang,
                    "Det konstanta behovet utan gräns består av",
                    "The constant need without the limit is made of",
                )
            } else {
                tr(lang, "Varav", "Of which")
            },
            tr(lang, "ersättning", "replacement"),
            num(x.replacement, 0, lang),
            tr(lang, "expansion", "expansion"),
            num(x.expansion, 0, lang),
            tr(lang, "basårets gap", "the base year's gap"),
            num(x.gap, 0, lang),
        );
    }
    if let Some(ib) = pr.bands.as_ref().and_then(|bd| {
        bd.intake
            .iter()
            .find(|i| i.profession == r.profession)
            .map(|i| (bd, i))
    }) {
        let (bd, i) = ib;
        let (lo, hi) = (bd.percentiles[0], bd.percentiles[bd.percentiles.len() - 1]);
        if let (Some(a), Some(z)) = (i.quantiles.first(), i.quantiles.last())
            && a.is_finite()
            && z.is_finite()
        {
            let _ = write!(
                o,
                ". P{lo}–P{hi}: {} {} {}",
                num(*a, 0, lang),
                tr(lang, "till", "to"),
                num(*z, 0, lang)
            );
        }
    }
    let years: Vec<String> = r
        .by_target_year
        .iter()
        .map(|(y, a)| {
            format!(
                "{y}: {}",
                a.map_or_else(|| "–".to_string(), |a| num(a.max(0.0), 0, lang))
            )
        })
        .collect();
    if years.len() > 1 {
        let _ = write!(
            o,
            ". {} {}",
            tr(
                lang,
                "Exakt balans i ett enda år skulle kräva",
                "Exact balance in a single year would need"
            ),
            years.join(", ")
        );
    }
    regions_sentence(o, pr, r, lang);
    o.push_str(".</p>\n");
}

/// The outer band of health-care region `r`'s part of profession `p`'s required intake, as
/// `"P10–P90 a–b"` (empty without draws or a split).
pub(crate) fn region_intake_band(pr: &Projection, p: usize, r: usize, lang: Lang) -> String {
    let Some(b) = &pr.bands else {
        return String::new();
    };
    let Some(q) = b
        .intake
        .iter()
        .find(|i| i.profession == p)
        .and_then(|i| i.regions.get(r))
    else {
        return String::new();
    };
    match (
        q.first(),
        q.last(),
        b.percentiles.first(),
        b.percentiles.last(),
    ) {
        (Some(a), Some(z), Some(lo), Some(hi)) if a.is_finite() && z.is_finite() => {
            format!("P{lo}–P{hi} {}–{}", num(*a, 0, lang), num(*z, 0, lang))
        }
        _ => String::new(),
    }
}

/// The required intake by health-care region (with `supply.destinations`): each region with the
/// programme, its part of the national figure, its band with draws, and its beginners today.
fn regions_sentence(o: &mut String, pr: &Projection, r: &RequiredIntake, lang: Lang) {
    let parts: Vec<String> = r
        .regions
        .iter()
        .filter(|x| x.today > 0.0)
        .map(|x| {
            let band = region_intake_band(pr, r.profession, x.region, lang);
            format!(
                "{} {} ({}{} {})",
                esc(&region_name(&pr.inputs.hc_regions[x.region], lang)),
                num(x.required, 0, lang),
                if band.is_empty() {
                    String::new()
                } else {
                    format!("{band}; ")
                },
                tr(lang, "i dag", "today"),
                num(x.today, 0, lang)
            )
        })
        .collect();
    if parts.is_empty() {
        return;
    }
    let _ = write!(
        o,
        ". {}: {}",
        tr(
            lang,
            "Per sjukvårdsregion, efter var regionens utbildade tar legitimation och var det saknas personal",
            "By health-care region, from where each region's graduates take their licences and where staff are short"
        ),
        parts.join(", ")
    );
}

/// The path under a largest change a year: from today's beginners to the level, the year it is
/// reached, and the largest shortage the path leaves in the window.
fn intake_path_sentence(
    o: &mut String,
    pr: &Projection,
    r: &RequiredIntake,
    x: &crate::model::IntakePath,
    lang: Lang,
) {
    let b = &pr.scenario.balance;
    let _ = write!(
        o,
        ". {} {}: {} {}; {} {} {}",
        tr(lang, "Högst ändring per år", "Largest change a year"),
        x.max_change
            .map_or_else(|| "–".to_string(), |n| num(n, 0, lang)),
        tr(lang, "från dagens", "from today's"),
        num(r.today, 0, lang),
        tr(lang, "nivån nås år", "the level is reached in"),
        x.reached,
        x.constant.map_or_else(String::new, |c| format!(
            "({} {})",
            tr(lang, "konstant utan gräns", "constant without the limit"),
            num(c.max(0.0), 0, lang)
        )),
    );
    if x.fastest {
        let _ = write!(
            o,
            "; {}",
            tr(
                lang,
                "gränsen binder hela vägen: detta är den snabbaste vägen den tillåter",
                "the limit binds all the way: this is the fastest path it allows"
            )
        );
    }
    let worst = x
        .years
        .iter()
        .zip(x.supply.iter().zip(&x.demand))
        .filter(|(t, _)| **t >= b.window_start() && **t <= b.target_year)
        .map(|(t, (s, d))| (*t, s - d))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((t, gap)) = worst.filter(|w| w.1 < 0.0) {
        let _ = write!(
            o,
            "; {} {}–{} {} {} {} ({t})",
            tr(lang, "åren", "in"),
            b.window_start(),
            b.target_year,
            tr(
                lang,
                "saknas ändå som mest",
                "supply still falls short by up to"
            ),
            num(-gap, 0, lang),
            tr(lang, "årsarbetare", "FTE"),
        );
    }
}
