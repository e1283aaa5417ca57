//! The report's method section (*Metod och antaganden*), written from the scenario that was run:
//! supply, demand, balance, the required intake, the levers, uncertainty, scope and disclosure, each
//! with the keys that set it.

use super::disclosure::Profile;
use super::report::{Disclosed, Options, esc, label_word, num, prof_name, region_name, signed, tr};
use crate::codes::CodeLists;
use crate::model::intake::Rule;
use crate::model::scenario::Trend;
use crate::model::supply::LayerFeed;
use crate::model::{Phase, Projection};
use crate::table::Lang;
use std::fmt::Write as _;

pub(crate) fn method(o: &mut String, pr: &Projection, opts: &Options, d: &Disclosed) {
    let lang = opts.lang;
    let mut items = base_items(pr, opts, d);
    layers_item(&mut items, pr, lang);
    let area = pr.area();
    if !area.whole {
        scope_items(&mut items, pr, lang);
    }
    intake_items(&mut items, pr, lang);
    waves_and_imputed(&mut items, pr, lang);
    employment_item(&mut items, pr, lang);
    municipal_item(&mut items, pr, lang);
    uncertainty_items(&mut items, pr, lang);
    let _ = write!(
        o,
        "<h2 id=\"method\">{}</h2><ul>",
        tr(lang, "Metod och antaganden", "Method and assumptions")
    );
    for i in items {
        // A command the text names is code, in either language.
        let line = esc(&i).replace("hwf backtest --draws", "<code>hwf backtest --draws</code>");
        let _ = write!(o, "<li>{line}</li>");
    }
    o.push_str("</ul>\n");
}

/// The items every report has: supply, education, foreign licences, employment, demand, balance,
/// the required intake's rule and disclosure control.
fn base_items(pr: &Projection, opts: &Options, d: &Disclosed) -> Vec<String> {
    let lang = opts.lang;
    let sc = &pr.scenario;
    let s = &sc.supply;
    let last_emp = pr
        .inputs
        .employment_years
        .last()
        .copied()
        .unwrap_or(sc.base_year);
    let nowcast: Vec<String> = pr
        .years
        .iter()
        .zip(&pr.phases)
        .filter(|(_, ph)| **ph == Phase::Nowcast)
        .map(|(y, _)| y.to_string())
        .collect();
    let imbalance: Vec<String> = sc
        .demand
        .imbalance
        .iter()
        .map(|(k, v)| {
            let word = crate::model::inputs::ASSESSMENTS
                .iter()
                .position(|a| a == k)
                .and_then(crate::model::survey::Level::from_index)
                .map_or(k.as_str(), |l| label_word(l.word(), lang));
            format!("{word} {} %", signed(100.0 * v, 0, lang))
        })
        .collect();
    let factors: Vec<String> = sc
        .demand
        .factors
        .iter()
        .flat_map(|(f, per)| {
            per.iter().map(move |(p, v)| {
                let who = if p == "*" {
                    tr(lang, "alla yrken", "all professions").to_string()
                } else {
                    p.clone()
                };
                format!(
                    "{} ({who}) {} %",
                    factor_word(f, lang),
                    signed(100.0 * v, 2, lang)
                )
            })
        })
        .collect();
    let subs: Vec<String> = sc
        .demand
        .substitution
        .iter()
        .map(|x| {
            format!(
                "{} → {} {} %",
                x.from,
                x.to,
                num(100.0 * x.share_per_year, 2, lang)
            )
        })
        .collect();
    let dens: Vec<String> = sc
        .demand
        .density
        .iter()
        .map(|(p, v)| format!("{p}: {}", num(*v, 2, lang)))
        .collect();
    let none = tr(lang, "inga", "none");
    let or_none = |v: &[String]| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(", ")
        }
    };
    let disclosure = match opts.disclosure {
        Profile::Threshold(n) => format!(
            "{} {n}",
            tr(lang, "personer, tröskel", "persons, threshold")
        ),
        Profile::Ons10And5 => "ONS 10-5".to_string(),
        Profile::Unprotected => tr(
            lang,
            "ingen – intern körning, inte för publicering",
            "none – internal run, not for publication",
        )
        .to_string(),
    };
    let suppressed: usize = d
        .grids
        .iter()
        .map(|(_, m)| m.iter().filter(|x| **x).count())
        .sum();
    let items: Vec<String> = match lang {
        Lang::Sv => vec![
            format!(
                "Tillgång: kohortmodell per yrke, län, kön och ettårsålder 20–74. Avgångsintensiteter skattas ur legitimationsregistret för de senaste {} årsparen, sammanvägda över län; åldrar med färre än {} personer i risk slås ihop med grannåldrar. {}",
                s.exit_window,
                s.min_exposure,
                if pr.moves_by_age() {
                    "Varje län har en egen avvikelse från rikets avgångsintensitet per tioårig åldersgrupp, krympt mot ingen avvikelse efter hur säker den är: flyttningar mellan län hamnar i de åldrar där människor flyttar (mest 25–35 år) och redovisas som ett eget flöde (moved_in i flows.csv, avvikelserna i county_exits.csv). En negativ nettoavgång (fler som kommer tillbaka än som lämnar) behålls."
                } else if s.county_exits {
                    "Varje läns nivå skalas med kvoten mellan observerade och förväntade avgångar (fångar nettoflyttningar mellan län)."
                } else {
                    ""
                }
            ),
            format!(
                "Utbildning: nybörjare per sjukvårdsregion × examensfrekvens (snitt över {} kullar) → examinerade efter programlängden → legitimationer (andel och fördröjning skattade ur historiken). Antagningen efter basåret: basårets nivå, trend {}, {} %.",
                s.completion_window,
                trend_word(s.admissions_trend, lang),
                signed(100.0 * s.admissions_change, 0, lang)
            ),
            format!(
                "Utländsk utbildning: genomsnittet för de senaste {} åren, trend {}, EU/EES × {}, tredje land × {}.",
                s.inflow_window,
                trend_word(s.foreign_trend, lang),
                num(s.foreign_eu_factor, 2, lang),
                num(s.foreign_tc_factor, 2, lang)
            ),
            format!(
                "Sysselsättning och heltidsekvivalenter per anställd efter regi (region, kommun, privat), kön och ålder: genomsnitt för de {} senaste åren med sysselsättningsdata (till och med {last_emp}). Åren {} är nuläget skattat ur legitimationer × sysselsättningsandel (status skattad). Trend för sysselsättningsandelen {} och för heltidsekvivalenter per anställd {}: riksserien (sysselsatta/legitimerade, heltidsekvivalenter/sysselsatta) skattas med metoden och dess prognos i förhållande till nivån under perioden skalar alla celler år för år, också nulägesåren; faktorn för sysselsättningsandelen begränsas så att ingen andel överstiger 1. {}",
                s.employment_window,
                nowcast.join(", "),
                trend_word(s.employment_trend, lang),
                trend_word(s.fte_trend, lang),
                county_levels_text(s.county_levels, lang)
            ),
            format!(
                "Efterfrågan: basårets heltidsekvivalenter × (1 + basårets obalans efter huvudmännens bedömning: {}) × demografiskt index ({}) × trend för vårdkonsumtionen {} (åldersstandardiserad till basårets befolkning) × faktorer ({}). Uppgiftsväxling mellan yrken: {}. Behovsbaserad täthet (heltidsekvivalenter per 1 000 invånare): {}.",
                imbalance.join(", "),
                index_text(pr, lang),
                trend_word(sc.demand.care_use_trend, lang),
                or_none(&factors),
                or_none(&subs),
                or_none(&dens)
            ),
            format!(
                "Balans: tillgång inom ±{:.0} % av efterfrågan räknas som balans. Behövd antagning: det konstanta årliga antal nybörjare från {} som {} åren {}–{} (tillgången är linjär i antagningen, så värdet är exakt). Det delas upp i ersättning (avgångar, netto efter dem som redan utbildas och legitimationer från utlandet), expansion (efterfrågans ökning sedan basåret) och {}. Ett negativt behov publiceras som 0 och markeras; känsligheten för målåret och för basårets obalans (−5, 0, +5 %) finns i intake_sensitivity.csv.",
                100.0 * sc.balance.tolerance,
                sc.balance.intake_from,
                match sc.balance.intake_rule {
                    Rule::TargetYear => "ger balans i riket det sista av",
                    Rule::FromYear => "ger minst balans i riket vart och ett av",
                    Rule::LeastSquares => "kommer närmast balans i riket (minsta kvadrat) under",
                },
                sc.balance.window_start(),
                sc.balance.target_year,
                if sc.balance.close_gap {
                    "att stänga basårets gap"
                } else {
                    "inget för basårets gap (det behålls)"
                }
            ),
            format!(
                "Röjandekontroll: observerade antal personer ({}) med 0 < n ≤ tröskeln undertrycks, och sekundärt så att ingen undertryckt cell kan avgränsas närmare än skyddsintervallet ur rad-, kolumn- och totalsummor (inte heller av den som själv utgör en ensam person i en cell); {} celler undertryckta. Heltidsekvivalenter följer sina antal (ONS 10-5: också de avrundade till 5). Registrets antal publiceras bara i denna tabell: historikens rader i projection/results och basårets legitimerade i projection/flows lämnas tomma, liksom länens utfall i efterhandsprövningen. Framskrivningar är inte antal personer och publiceras som de är.",
                disclosure, suppressed
            ),
        ],
        Lang::En => vec![
            format!(
                "Supply: a cohort model per profession, county, sex and single-year age 20–74. Exit rates are estimated from the licence register over the last {} year pairs, pooled over counties; ages with fewer than {} persons at risk are pooled with their neighbours. {}",
                s.exit_window,
                s.min_exposure,
                if pr.moves_by_age() {
                    "Each county has its own deviation from the national exit rates per ten-year age group, shrunk toward none by its precision: movement between counties falls at the ages people move (mostly 25–35) and is reported as a flow of its own (moved_in in flows.csv, the deviations in county_exits.csv). A negative net exit rate (more returning than leaving) is kept."
                } else if s.county_exits {
                    "Each county's level is scaled by its observed over expected exits (which carries net movement between counties)."
                } else {
                    ""
                }
            ),
            format!(
                "Education: beginners per health-care region × completion rate (mean of {} cohorts) → graduates a programme length later → licences (share and lag estimated from the history). Admissions after the base year: the base year's level, trend {}, {} %.",
                s.completion_window,
                trend_word(s.admissions_trend, lang),
                signed(100.0 * s.admissions_change, 0, lang)
            ),
            format!(
                "Foreign education: the mean of the last {} years, trend {}, EU/EEA × {}, third country × {}.",
                s.inflow_window,
                trend_word(s.foreign_trend, lang),
                num(s.foreign_eu_factor, 2, lang),
                num(s.foreign_tc_factor, 2, lang)
            ),
            format!(
                "Employment share and FTE per employed person by sector, sex and age: mean of the last {} employment years (up to {last_emp}). The years {} are nowcast from licences × employment share (status estimated). Employment-share trend {}, FTE-per-employed trend {}: the national series (employed/licensed, FTE/employed) is fitted with the method, and its forecast over the level in those years scales every cell year by year, nowcast years included; the employment factor is capped so that no share exceeds 1. {}",
                s.employment_window,
                nowcast.join(", "),
                trend_word(s.employment_trend, lang),
                trend_word(s.fte_trend, lang),
                county_levels_text(s.county_levels, lang)
            ),
            format!(
                "Demand: base-year FTE × (1 + the principals' assessment: {}) × a demographic index ({}) × care-use trend {} (age-standardised to the base-year population) × factors ({}). Substitution between professions: {}. Needs-based density (FTE per 1,000 inhabitants): {}.",
                imbalance.join(", "),
                index_text(pr, lang),
                trend_word(sc.demand.care_use_trend, lang),
                or_none(&factors),
                or_none(&subs),
                or_none(&dens)
            ),
            format!(
                "Balance: supply within ±{:.0} % of demand is balance. Required intake: the constant annual beginners from {} that {} the years {}–{} (supply is linear in intake, so the value is exact). It is split into replacement (exits, net of those already in education and of licences from abroad), expansion (demand growth since the base year) and {}. A negative need is published as 0 and flagged; its sensitivity to the target year and to the base-year imbalance (−5, 0, +5 %) is in intake_sensitivity.csv.",
                100.0 * sc.balance.tolerance,
                sc.balance.intake_from,
                match sc.balance.intake_rule {
                    Rule::TargetYear => "bring national supply to demand in the last of",
                    Rule::FromYear => "keep national supply at least at demand in each of",
                    Rule::LeastSquares =>
                        "bring national supply closest to demand (least squares) over",
                },
                sc.balance.window_start(),
                sc.balance.target_year,
                if sc.balance.close_gap {
                    "closing the base year's gap"
                } else {
                    "nothing for the base year's gap (it is kept)"
                }
            ),
            format!(
                "Disclosure control: observed counts of persons ({}) with 0 < n ≤ the threshold are suppressed, and further cells so that no suppressed cell can be narrowed below its protection interval from the row, column and grand totals (not even by a person who is alone in a cell); {} cells suppressed. FTE follow their counts (under ONS 10-5 rounded to 5 as well). The register's counts are published in this table only: the history rows of projection/results and the base-year licensed of projection/flows are left empty, and so are the counties' outcomes in the backtest. Projections are not counts of persons and are published as they are.",
                disclosure, suppressed
            ),
        ],
    };
    items
}

/// Specialist layers, each within its parent (when the projection has any), as the fourth item.
/// Municipal health care per municipality, when the scenario names its tables.
fn municipal_item(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let (Some(mu), Some(tb)) = (&pr.municipal, &pr.inputs.municipal) else {
        return;
    };
    items.push(match lang {
        Lang::Sv => format!(
            "Kommunal hälso- och sjukvård per kommun ({n} kommuner, {f} och {pf}): kommunens tillgång följer dess anställda efter ålder {y} — varje åldersgrupp behåller sin andel av länets kommunala regi när den åldras, yngre årskullar får kommunens andel av länets yrke — gånger länets framskrivna heltidsekvivalenter i kommunal regi efter ålder; efterfrågan är basårets tillgång, som växer med kommunens egen befolkning vägd med yrkets vårdkonsumtion och med länets övriga faktorer. Kommunernas tillgång summerar till länets; tabellen projection/municipalities.csv döljer kommuner med få anställda.",
            n = mu.municipalities.len(),
            f = tb.employed_file,
            pf = tb.population_file,
            y = mu.year
        ),
        Lang::En => format!(
            "Municipal health care per municipality ({n} municipalities, {f} and {pf}): a municipality's supply follows its employed by age in {y} — each age band keeps its share of the county's municipal sector as it ages, younger cohorts take the municipality's share of the county's profession — times the county's projected municipal-sector FTE by age; demand is the base year's supply, growing with the municipality's own population weighted by the profession's care use and with the county's other factors. The municipalities' supply adds up to the county's; projection/municipalities.csv hides municipalities with few employed.",
            n = mu.municipalities.len(),
            f = tb.employed_file,
            pf = tb.population_file,
            y = mu.year
        ),
    });
}

fn layers_item(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let s = &pr.scenario.supply;
    // Specialist layers, each within its parent (when the projection has any).
    let g = &pr.inputs.grid;
    let layers: Vec<String> = pr
        .params
        .iter()
        .enumerate()
        .filter_map(|(p, prm)| {
            Some(format!(
                "{} ⊂ {}",
                prof_name(&g.professions[p], lang),
                prof_name(&g.professions[prm.parent?], lang)
            ))
        })
        .collect();
    if !layers.is_empty() {
        let cut: f64 = pr.paths.iter().map(|x| x.capped.iter().sum::<f64>()).sum();
        let feed = match s.layer_feed {
            LayerFeed::Rate => tr(
                lang,
                "Specialistläkarnas bevis kommer ur läkarna utan specialistkompetens: en andel per kön och ålder av dem som var ett år yngre året före (skattad över de senaste åren, sammanvägd över län), så att varje kulls specialister kommer ur dess egna läkare.",
                "Specialist physicians' certificates come from the physicians without a specialist's competence: a rate per sex and age of those a year younger the year before (estimated over recent years, pooled over counties), so that each cohort's specialists come from its own physicians.",
            ),
            LayerFeed::St => tr(
                lang,
                "Specialistläkarnas bevis följer ST-starterna: varje sjukvårdsregions bevis ett år är andelen ST som slutar med bevis gånger regionens starter en utbildningstid tidigare, summerat över specialitetsgrupperna, och fördelas över regionens län, kön och åldrar som andelen per kön och ålder av läkarna utan specialistkompetens skulle fördela dem.",
                "Specialist physicians' certificates follow the ST starts: each health-care region's certificates in a year are the share of ST that ends in a certificate times the region's starts a training length before, summed over the specialty groups, and are placed over the region's counties, sexes and ages as the rate per sex and age on the physicians without a specialist's competence would place them.",
            ),
            LayerFeed::Share => tr(
                lang,
                "Specialistläkarnas bevis är en andel av läkarnas svenska legitimationer en utbildningstid tidigare, fördelade som de senaste bevisen.",
                "Specialist physicians' certificates are a share of physicians' Swedish licences a training time earlier, spread as recent certificates were.",
            ),
        };
        items.insert(
            3.min(items.len()),
            format!(
                "{} ({}): {} {} {}. {feed}",
                tr(lang, "Specialistskikt", "Specialist layers"),
                layers.join(", "),
                tr(
                    lang,
                    "ett skikt har i inget år och ingen cell (län × kön × ålder) fler personer än sitt yrke, varken i framskrivningen eller i någon dragning. De som flödena skulle föra över yrkets antal i cellen räknas som avgångar ur skiktet:",
                    "in no year and no cell (county × sex × age) does a layer hold more persons than its profession, in the projection or in any draw. Those the flows would take beyond the profession's persons in the cell are counted as exits from the layer:",
                ),
                num(cut, 0, lang),
                tr(lang, "personer över alla år", "persons over all years"),
            ),
        );
    }
}

/// The required intake's limits and groups, the levers and the programme rules, when the scenario
/// sets them.
fn intake_items(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let sc = &pr.scenario;
    // The required intake's limits and groups, when the scenario sets them.
    let b = &sc.balance;
    let per_profession = |m: &std::collections::BTreeMap<String, f64>| -> String {
        m.iter()
            .map(|(p, n)| format!("{} {}", prof_name(p, lang), num(*n, 0, lang)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let groups: Vec<String> = b.substitutable.iter().map(|g| g.join("+")).collect();
    let limits: Vec<String> = [
        (
            !b.max_change.is_empty(),
            tr(
                lang,
                "högsta ändring av nybörjarna per år, så att behovet blir en bana från dagens nivå",
                "the largest change of beginners a year, which makes the need a path from today's level",
            ),
            "balance.max_change",
            per_profession(&b.max_change),
        ),
        (
            !groups.is_empty(),
            tr(
                lang,
                "yrken som löses gemensamt – gruppens tillgång ska möta gruppens efterfrågan, och gruppens behov delas efter dagens nybörjare",
                "professions solved jointly – the group's supply is to meet the group's demand, and its need is split by today's beginners",
            ),
            "balance.substitutable",
            groups.join("; "),
        ),
        (
            !b.capacity.is_empty(),
            tr(
                lang,
                "utbildningsplatser per år; ett behov över dem markeras",
                "education places a year; a need above them is flagged",
            ),
            "balance.capacity",
            per_profession(&b.capacity),
        ),
    ]
    .into_iter()
    .filter(|(set, ..)| *set)
    .map(|(_, what, key, values)| format!("{what} ({key}): {values}"))
    .collect();
    if !limits.is_empty() {
        items.push(format!(
            "{} {}.",
            tr(
                lang,
                "Behövd antagning med villkor:",
                "Required intake with conditions:"
            ),
            limits.join("; ")
        ));
    }
    if let Some(text) = regions_text(pr, lang) {
        items.push(text);
    }
    if let Some(text) = levers_text(pr, lang) {
        items.push(text);
    }
    if let Some(text) = programme_rules_text(pr, lang) {
        items.push(text);
    }
}

/// How the required intake is split over the health-care regions (`supply.destinations`), when it
/// is: the table, the years its shares rest on and the rule.
fn regions_text(pr: &Projection, lang: Lang) -> Option<String> {
    let with: Vec<_> = pr
        .intake
        .iter()
        .flat_map(|r| r.regions.iter().filter_map(|x| x.shares.as_ref()))
        .collect();
    let first = with.iter().map(|s| s.years.0).min()?;
    let last = with.iter().map(|s| s.years.1).max()?;
    let file = pr
        .used
        .iter()
        .find(|u| u.key == "supply.destinations")
        .map_or("", |u| u.file.as_str());
    Some(format!(
        "{} ({}, supply.destinations, {first}–{last}). {}",
        tr(
            lang,
            "Behövd antagning per sjukvårdsregion: var varje regions utbildade tog legitimation, per län",
            "Required intake by health-care region: where each region's graduates took their licences, by county"
        ),
        file,
        tr(
            lang,
            "Regionernas nybörjare summerar exakt till rikets behov och läggs där deras utbildade bosätter sig i län som saknar personal: minsta kvadratsumma av länens gap över målperioden, ingen region under 0 och bara regioner som har utbildningen i dag (intake_regions.csv). Andelarna vilar på de senaste åren i inflödesfönstret, bakåt tills regionen har minst 100 legitimationer. Samma andelar fördelar i projektionen varje års nya svenska legitimationer på länen efter de utbildade bakom dem, region för region (rikets antal oförändrat); osäkerhetsbanden fördelar dragningarnas legitimationer på samma sätt och delar varje dragnings behov på regionerna efter dragningens egna län, så att varje region får ett band (percentiler i intake_regions.csv).",
            "The regions' beginners add up exactly to the national need and are placed where their graduates settle in counties short of staff: the least sum of squares of the counties' gaps over the target window, no region below 0 and only regions with the programme today (intake_regions.csv). The shares rest on the latest years of the inflow window, back until the region has at least 100 licences. The same shares send each year's new Swedish licences in the projection to the counties by the graduates behind them, region by region (the nation's number unchanged); the uncertainty bands route their draws' licences the same way and split each draw's need over the regions by the draw's own counties, so that each region gets a band (percentiles in intake_regions.csv)."
        )
    ))
}

/// One-off waves of licences and inputs with imputed cells, when there are any.
fn waves_and_imputed(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let s = &pr.scenario.supply;
    let waves: Vec<String> = s
        .one_off_years
        .iter()
        .filter(|(_, ys)| !ys.is_empty())
        .map(|(p, ys)| {
            let ys: Vec<String> = ys.iter().map(i32::to_string).collect();
            format!("{} {}", prof_name(p, lang), ys.join(", "))
        })
        .collect();
    if !waves.is_empty() {
        items.push(format!(
            "{} {}. {}",
            tr(
                lang,
                "Engångsvågor av legitimationer (supply.one_off_years):",
                "One-off waves of licences (supply.one_off_years):"
            ),
            waves.join("; "),
            tr(
                lang,
                "De åren lämnas utanför yrkets inflödesfönster (svenska och utländska legitimationer, deras åldersprofiler, andelen examinerade som legitimeras); fönstren tar i stället de senaste åren utanför vågen och åren då legitimationen fanns. Avgångarna skattas fortfarande över dem.",
                "Those years are left out of the profession's inflow windows (Swedish and foreign licences, their age profiles, the share of graduates licensed); the windows take the latest years outside the wave and in which the licence existed instead. Exits are still estimated over them."
            )
        ));
    }
    let imputed: Vec<String> = pr
        .used
        .iter()
        .filter(|u| u.imputed > 0)
        .map(|u| format!("{} ({})", u.key, u.imputed))
        .collect();
    if !imputed.is_empty() {
        items.push(format!(
            "{} {}. {}",
            tr(
                lang,
                "Celler utan värde (\"..\", skyddade) imputerade ur tabellens egna summor (missing = \"impute\"):",
                "Cells without a number (\"..\", suppressed) imputed from the table's own totals (missing = \"impute\"):"
            ),
            imputed.join(", "),
            tr(
                lang,
                "Varje summa minus dess kända delar fördelas på dess saknade celler i proportion till samma cell i resten av landet (jämnt där den är 0) och räknas om tills alla summor stämmer (iterativ proportionell anpassning); cellerna har status skattad.",
                "Each total less its known parts is spread over its missing cells in proportion to the same cell in the rest of the country (evenly where that is 0), raked until every total holds (iterative proportional fitting); the cells have status estimated."
            )
        ));
    }
}

/// Employment as published: which source supplied FTE and the sector split.
fn employment_item(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    // Employment as published: which source supplied FTE and the sector split.
    let pieces: Vec<&str> = pr
        .used
        .iter()
        .filter(|u| u.key.starts_with("employed."))
        .filter_map(|u| u.notes.first().map(|n| n.text(lang)))
        .collect();
    if !pieces.is_empty() {
        items.push(format!(
            "{} {}.",
            tr(
                lang,
                "Sysselsatta enligt publicerad statistik (personer) kompletterade enligt scenariot:",
                "Employed persons as published, completed as the scenario says:"
            ),
            pieces.join("; ")
        ));
    }
}

/// The Monte Carlo's laws and what the bands leave out (with draws).
fn uncertainty_items(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let sc = &pr.scenario;
    if let Some(b) = &pr.bands {
        let u = &sc.uncertainty;
        let d = |x: &crate::model::scenario::Dist| dist_word(x, lang);
        items.push(format!(
            "{} {} {} ({} {}; P{}): {} {}; {} {}; {} {}; {} {}; {} {}; {} {}.",
            tr(
                lang,
                "Osäkerhet: Monte Carlo med",
                "Uncertainty: Monte Carlo with"
            ),
            b.draws,
            tr(lang, "dragningar", "draws"),
            tr(lang, "frö", "seed"),
            b.seed,
            b.percentiles
                .iter()
                .map(|q| q.to_string())
                .collect::<Vec<_>>()
                .join("/P"),
            tr(lang, "avgångsrisker", "exit rates"),
            d(&u.exit),
            tr(lang, "examensandelar", "completion rates"),
            d(&u.completion),
            tr(lang, "utländska legitimationer", "foreign licences"),
            d(&u.foreign),
            tr(lang, "antagning", "admissions"),
            d(&u.admissions),
            tr(
                lang,
                "efterfrågans tillväxtfaktorer",
                "demand growth factors"
            ),
            d(&u.growth),
            tr(lang, "obalans i basåret", "base-year imbalance"),
            d(&u.imbalance),
        ));
        items.push(format!(
            "{}: {} {}; {} {}; {} {}; {} {}.",
            tr(
                lang,
                "Slumpvariation skattad ur historiken",
                "Random variation estimated from the history"
            ),
            tr(
                lang,
                "länens bestånd år för år",
                "the counties' stocks year by year"
            ),
            d(&u.process),
            tr(
                lang,
                "årsarbetare per legitimerad (län och riket)",
                "FTE per licensed person (counties and nation)"
            ),
            d(&u.ratio),
            tr(
                lang,
                "befolkningsprognosens fel per län",
                "the population projection's error by county"
            ),
            d(&u.population),
            tr(
                lang,
                "modellens eget fel, ur omkörningar från tidigare basår",
                "the model's own error, from reruns from earlier base years"
            ),
            d(&u.model),
        ));
        items.push(
            tr(
                lang,
                "Osäkerhetsbanden omfattar inte plötsliga reformer, ändrade definitioner eller nivåskiften utan motstycke i historiken; hur väl de har hållit mäts med hwf backtest --draws (avsnittet om backtest när det finns med).",
                "The bands do not include sudden reforms, changed definitions or shifts in level without precedent in the history; how well they have held is measured by hwf backtest --draws (the backtest section, when included).",
            )
            .to_string(),
        );
    }
}

/// The method text of a run with a `[scope]`: what "national" means in it, and how flows across
/// the scope's border are treated (`src/model/scope.rs`, `docs/MODEL.md` section 2.1).
pub(crate) fn scope_items(items: &mut Vec<String>, pr: &Projection, lang: Lang) {
    let area = pr.area();
    let regions: Vec<String> = area.regions.iter().map(|r| region_name(r, lang)).collect();
    // The items above speak of the nation; in a scoped run their pools and series are the scope's.
    let words: &[(&str, &str)] = match lang {
        Lang::Sv => &[
            (
                "sammanvägda över län",
                "sammanvägda över avgränsningens län",
            ),
            ("riksserien", "avgränsningens serie"),
            ("i riket", "i avgränsningen"),
        ],
        Lang::En => &[
            ("pooled over counties", "pooled over the scope's counties"),
            ("the national series", "the scope's series"),
            ("national supply", "the scope's supply"),
        ],
    };
    for i in items.iter_mut() {
        for (a, b) in words {
            *i = i.replace(a, b);
        }
    }
    items.insert(
        0,
        match lang {
            Lang::Sv => format!(
                "Avgränsning: körningen omfattar {} (län {}); indata behöver bara täcka dessa län, och antagningen de sjukvårdsregioner som länen hör till ({}). Flöden över gränsen: modellen har inga flyttströmmar mellan län; avgångsintensiteterna skattas ur avgränsningens eget register och är nettoutflöden, så att den som flyttar ut räknas som avgång och den som flyttar in som återinträde – avgränsningens tidigare nettoflyttning antas fortsätta. Svenska legitimationer följer de examinerade i regionerna {} genom en andel som skattas ur avgränsningens egna legitimationer i förhållande till regionernas examinerade: regionernas utbildning fördelas efter avgränsningens observerade andel av legitimationerna, och behövd antagning är regionernas nybörjare per år som skulle stänga avgränsningens gap om andelen består. Sysselsättningsandel, heltidsekvivalenter per anställd och trender skattas ur avgränsningens län. Summaraderna (kod {}) är avgränsningens summa, inte riket.",
                area.name(true),
                area.counties.join(", "),
                regions.join(", "),
                regions.join(", "),
                area.total_code()
            ),
            Lang::En => format!(
                "Scope: the run covers {} (counties {}); inputs need cover only these counties, and admissions the health-care regions that hold them ({}). Flows across the border: the model has no flows of movers between counties; exit rates are estimated from the scope's own register and are net outflows, so a person who moves out counts as an exit and one who moves in as a re-entry — the scope's past net movement is assumed to continue. Swedish licences follow the graduates of {} through a share estimated from the scope's own licences over the regions' graduates: the regions' education is apportioned by the scope's observed share of the licences, and the required intake is the regions' beginners a year that would close the scope's gap if that share holds. Employment share, FTE per employed person and the trends are estimated from the scope's counties. The total rows (code {}) are the scope's sum, not Sweden.",
                area.name(false),
                area.counties.join(", "),
                regions.join(", "),
                regions.join(", "),
                area.total_code()
            ),
        },
    );
}

/// The method text's sentence on the scenario's levers (`supply.admissions`, `supply.foreign`,
/// `supply.retirement_shift`, `supply.rates`), each with its key; `None` when none is used.
pub fn levers_text(pr: &Projection, lang: Lang) -> Option<String> {
    let s = &pr.scenario.supply;
    let who = |p: &str| {
        if p == "*" {
            tr(lang, "alla yrken", "every profession").to_string()
        } else {
            prof_name(p, lang)
        }
    };
    let pct = |v: f64| format!("{} %", signed(100.0 * v, 0, lang));
    let mut parts: Vec<String> = Vec::new();
    // One lever: what it changes, its key, and its values joined.
    let part =
        |what: &str, key: &str, by: Vec<String>| format!("{what} ({key}): {}", by.join("; "));
    if !s.admissions.is_empty() {
        let by: Vec<String> = s
            .admissions
            .iter()
            .map(|(p, m)| {
                let regions: Vec<String> = m
                    .iter()
                    .map(|(r, v)| {
                        let r = if r == "*" {
                            tr(lang, "alla regioner", "every region").to_string()
                        } else {
                            r.clone()
                        };
                        format!("{r} {}", pct(*v))
                    })
                    .collect();
                format!("{}: {}", who(p), regions.join(", "))
            })
            .collect();
        parts.push(part(
            tr(
                lang,
                "antagningen efter basåret per program och sjukvårdsregion",
                "admissions after the base year by programme and health-care region",
            ),
            "supply.admissions",
            by,
        ));
    }
    if !s.foreign.is_empty() {
        let by: Vec<String> = s
            .foreign
            .iter()
            .map(|(p, f)| {
                let o: Vec<String> = [
                    (tr(lang, "EU/EES", "EU/EEA"), f.eu),
                    (tr(lang, "tredje land", "third country"), f.tc),
                ]
                .into_iter()
                .filter_map(|(o, v)| v.map(|v| format!("{o} × {}", num(v, 2, lang))))
                .collect();
                format!("{}: {}", who(p), o.join(", "))
            })
            .collect();
        parts.push(part(
            tr(
                lang,
                "legitimationer på utländsk utbildning per yrke",
                "licences on foreign education by profession",
            ),
            "supply.foreign",
            by,
        ));
    }
    if !s.retirement_shift.is_empty() {
        let by: Vec<String> = s
            .retirement_shift
            .iter()
            .map(|(p, v)| {
                format!(
                    "{} {} {}",
                    who(p),
                    signed(*v, 1, lang),
                    tr(lang, "år", "years")
                )
            })
            .collect();
        parts.push(format!(
            "{} {} {} (supply.retirement_shift): {}",
            tr(
                lang,
                "sysselsättningsandel och heltidsekvivalenter per anställd från",
                "the employment share and FTE per employed person from age"
            ),
            crate::model::levers::RETIREMENT_FROM,
            tr(
                lang,
                "års ålder förskjutna mot högre åldrar under framskrivningsåren (basåret som skattat)",
                "moved to older ages in the projection years (the base year as estimated)"
            ),
            by.join(", ")
        ));
    }
    let ov = &pr.inputs.overrides;
    if !ov.rows.is_empty() {
        let mut names: Vec<&str> = ov.rows.iter().map(|r| r.parameter.name()).collect();
        names.sort_unstable();
        names.dedup();
        parts.push(format!(
            "{} {} (supply.rates): {} {} ({})",
            tr(
                lang,
                "skattade värden ersatta ur tabellen",
                "estimates replaced from the table"
            ),
            ov.file,
            ov.rows.len(),
            tr(lang, "rader", "rows"),
            names.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{} {}.",
            tr(lang, "Scenariots reglage:", "The scenario's levers:"),
            parts.join("; ")
        )
    })
}

/// A trend method as the report names it: `ingen`/`none`, `automatisk (AICc)`, `linjär`, … or
/// the ETS model's letters.
pub(crate) fn trend_word(method: Trend, lang: Lang) -> String {
    match method {
        Trend::None => tr(lang, "ingen", "none").into(),
        Trend::Auto => tr(lang, "automatisk (lägst AICc)", "automatic (lowest AICc)").into(),
        Trend::Linear => tr(lang, "linjär", "linear").into(),
        Trend::Ets(spec) if spec.code() == "AAdN" => {
            tr(lang, "dämpad (ETS AAdN)", "damped (ETS AAdN)").into()
        }
        Trend::Ets(spec) => format!("ETS {}", spec.code()),
    }
}

/// A named demand factor: the default scenario's keys in the report's language, any other key as
/// the scenario names it.
pub(crate) fn factor_word(key: &str, lang: Lang) -> String {
    match key {
        "epidemiology" => tr(lang, "epidemiologi", "epidemiology").into(),
        "socio_cultural" => tr(lang, "sociokulturella faktorer", "socio-cultural factors").into(),
        "technology" => tr(lang, "medicinsk teknik", "medical technology").into(),
        "efficiency" => tr(lang, "effektivisering", "efficiency").into(),
        "working_hours" => tr(lang, "arbetstid", "working hours").into(),
        other => other.into(),
    }
}

/// An uncertainty distribution as the method text names it (`beta (vikt 1; α 0,5; β 0,5)`).
pub(crate) fn dist_word(x: &crate::model::scenario::Dist, lang: Lang) -> String {
    let family = match x.dist.as_str() {
        "fixed" => tr(
            lang,
            "fast (punktskattningen)",
            "fixed (the point estimate)",
        ),
        "estimated" => tr(lang, "skattad ur historiken", "estimated from the history"),
        "normal" => tr(lang, "normalfördelning", "normal"),
        "lognormal" => tr(lang, "lognormalfördelning", "lognormal"),
        "beta" => tr(lang, "betafördelning", "beta"),
        "trend" => tr(
            lang,
            "trendens prognosfördelning",
            "the trend's forecast distribution",
        ),
        other => return other.to_string(),
    };
    let params: Vec<String> = [
        (tr(lang, "vikt", "weight"), x.weight),
        ("α", x.alpha),
        ("β", x.beta),
        (tr(lang, "standardavvikelse", "sd"), x.sd),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.map(|v| {
            let t = num(v, 3, lang);
            let t = if t.contains([',', '.']) {
                t.trim_end_matches('0')
                    .trim_end_matches([',', '.'])
                    .to_string()
            } else {
                t
            };
            format!("{k} {t}")
        })
    })
    .collect();
    if params.is_empty() {
        family.to_string()
    } else {
        format!("{family} ({})", params.join("; "))
    }
}

/// The method sentence on each county's own level of the employment share and FTE
/// (`supply.county_levels`).
fn county_levels_text(a: crate::model::anchor::Anchoring, lang: Lang) -> &'static str {
    use crate::model::anchor::Anchoring;
    match (a, lang) {
        (Anchoring::Shrunk, Lang::Sv) => {
            "Varje län behåller sin egen nivå per regi under samma period, krympt mot rikets efter hur säker den är (ett litet län med få personer i en regi får i stort sett rikets nivå, ett stort län sin egen); faktorerna finns i county_levels.csv."
        }
        (Anchoring::Shrunk, Lang::En) => {
            "Each county keeps its own level per sector over the same years, shrunk toward the nation's by its precision (a small county with few persons in a sector gets about the nation's level, a large county its own); the factors are in county_levels.csv."
        }
        (Anchoring::Observed, Lang::Sv) => {
            "Varje län behåller sin egen observerade nivå per regi under samma period (utan krympning); faktorerna finns i county_levels.csv."
        }
        (Anchoring::Observed, Lang::En) => {
            "Each county keeps its own observed level per sector over the same years (unshrunk); the factors are in county_levels.csv."
        }
        (Anchoring::National, Lang::Sv) => {
            "Andelarna är rikets i varje län; länen skiljer sig bara genom sitt bestånd."
        }
        (Anchoring::National, Lang::En) => {
            "The shares are the nation's in every county; the counties differ through their stock only."
        }
    }
}

/// The dated programme rules in force for the run's professions with a programme
/// (`data/codes/programme_rules.csv`), each with the rule before it.
fn programme_rules_text(pr: &Projection, lang: Lang) -> Option<String> {
    let lists = CodeLists::get();
    let years = |y: f64| num(y, 1, lang).replace(",0", "").replace(".0", "");
    let rules: Vec<String> = pr
        .inputs
        .grid
        .professions
        .iter()
        .zip(&pr.params)
        .filter(|(_, prm)| prm.completion.is_some() && prm.routes.len() > 1)
        .filter_map(|(code, _)| {
            let prof = lists.profession(code)?;
            let mut before = (prof.programme_years, prof.licence_lag_years);
            let parts: Vec<String> = lists
                .programme_rules(code)
                .iter()
                .map(|r| {
                    let (from, of, yrs, was) = match lang {
                        Lang::Sv => ("kullar från", "av", "år", "före"),
                        Lang::En => ("cohorts from", "of", "years", "before"),
                    };
                    let text = format!(
                        "{from} {} ({} % {of} {}) {} {yrs}, {} ({was}: {} {yrs}, {})",
                        r.first_cohort,
                        num(100.0 * r.first_cohort_share, 0, lang),
                        r.first_cohort,
                        years(r.programme_years),
                        lag_words(r.licence_lag_years, lang),
                        years(before.0),
                        lag_words(before.1, lang),
                    );
                    before = (r.programme_years, r.licence_lag_years);
                    text
                })
                .collect();
            Some(format!("{}: {}", prof_name(code, lang), parts.join("; ")))
        })
        .collect();
    if rules.is_empty() {
        return None;
    }
    Some(format!(
        "{} {}. {}",
        tr(
            lang,
            "Programregler per kull (data/codes/programme_rules.csv):",
            "Programme rules by cohort (data/codes/programme_rules.csv):"
        ),
        rules.join("; "),
        tr(
            lang,
            "Varje kull följer sin regel från antagning till legitimation; examensfrekvens och andel legitimerade skattas ur historiken och gäller alla kullar, så när två regler möts (kullar som legitimeras samma år) kommer fler legitimationer under några år.",
            "Each cohort follows its own rule from admission to licence; the completion rate and share licensed are estimated from the history and hold for every cohort, so where two rules meet (cohorts licensed in the same year) more licences arrive for a few years."
        )
    ))
}

/// A licence lag in words (`legitimation vid examen` / `licence at the degree` for none).
fn lag_words(lag: f64, lang: Lang) -> String {
    if lag == 0.0 {
        tr(lang, "legitimation vid examen", "licence at the degree").to_string()
    } else {
        let y = num(lag, 1, lang);
        match lang {
            Lang::Sv => format!("legitimation {y} år efter examen"),
            Lang::En => format!("licence {y} years after the degree"),
        }
    }
}

/// What the demand's demographic index is: per sector, or per service area weighted by the staffing
/// matrix (with the cells that have no staffing and keep their sector's index).
fn index_text(pr: &Projection, lang: Lang) -> String {
    // What the care use at age 0 weights: the births table's births, or the population aged 0.
    let births = match (&pr.inputs.births, lang) {
        (Some(b), Lang::Sv) => format!("antalet födda enligt {}", b.file),
        (Some(b), Lang::En) => format!("births as in {}", b.file),
        (None, Lang::Sv) => "antalet födda, befolkningen 0 år vid årets slut".into(),
        (None, Lang::En) => "births, the population aged 0 at the end of the year".into(),
    };
    let maternity = match (&pr.inputs.births, lang) {
        (Some(_), Lang::Sv) => {
            format!(
                "mödra- och förlossningsvården, och all vårdkonsumtion vid 0 år, följer {births}"
            )
        }
        (Some(_), Lang::En) => {
            format!("maternity care, and all care use at age 0, follows {births}")
        }
        (None, Lang::Sv) => format!("mödra- och förlossningsvården följer {births}"),
        (None, Lang::En) => format!("maternity care follows {births}"),
    };
    let Some(sv) = &pr.inputs.services else {
        return match (lang, &pr.inputs.births) {
            (Lang::Sv, None) => "befolkningsframskrivning × vårdkonsumtion efter ålder och kön per regi, basårets profil".into(),
            (Lang::En, None) => "population projection × care use by age and sex, per sector, the base year's profile".into(),
            (Lang::Sv, Some(_)) => format!("befolkningsframskrivning × vårdkonsumtion efter ålder och kön per regi, basårets profil (vårdkonsumtionen vid 0 år följer {births})"),
            (Lang::En, Some(_)) => format!("population projection × care use by age and sex, per sector, the base year's profile (care use at age 0 follows {births})"),
        };
    };
    let names: Vec<String> = sv
        .codes
        .iter()
        .map(|c| super::report::service_name(c, lang).to_lowercase())
        .collect();
    let n = pr.demand.unstaffed.len();
    match lang {
        Lang::Sv => format!(
            "per verksamhetsområde ({}): befolkningsframskrivning × vårdkonsumtion efter ålder och kön inom området ({maternity}), vägt per yrke, län och regi med yrkets andel heltidsekvivalenter i området enligt bemanningstabellen{}",
            names.join(", "),
            if n == 0 {
                String::new()
            } else {
                format!(
                    "; {n} kombinationer av yrke, län och regi utan bemanningsuppgift följer regins vårdkonsumtion"
                )
            }
        ),
        Lang::En => format!(
            "per service area ({}): population projection × care use by age and sex in the area ({maternity}), weighted per profession, county and sector by the profession's share of FTE in the area from the staffing matrix{}",
            names.join(", "),
            if n == 0 {
                String::new()
            } else {
                format!(
                    "; {n} profession × county × sector combinations without staffing follow their sector's care use"
                )
            }
        ),
    }
}
