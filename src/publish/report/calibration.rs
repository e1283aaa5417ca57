//! Whether the bands hold: the calibration table of a backtest with draws, the chart of the P10–P90
//! band's coverage by horizon, and the report's calibration section.

use super::html::{chart_source, figure, num, tr};
use crate::publish::charts::{self, Drawn, Labels};
use crate::publish::results::{Data, Wide};
use crate::table::Lang;
use std::fmt::Write as _;

/// The calibration table of a backtest with draws ([`crate::model::calibration::table`]): per
/// method, level, measure and horizon (`all` for every horizon), the cells scored, the coverage of
/// the P10–P90 band, the mean interval score and CRPS in percent of the outcome, and the PIT
/// histogram's 20 bins (`pit_00_05` … `pit_95_100`, shares of the outcomes).
pub fn calibration_table(rows: &[crate::model::calibration::Row]) -> Wide {
    let text = |f: &dyn Fn(&crate::model::calibration::Row) -> String| {
        Data::Text(rows.iter().map(f).collect())
    };
    let num = |f: &dyn Fn(&crate::model::calibration::Row) -> f64| {
        Data::Num(rows.iter().map(|r| Some(f(r))).collect())
    };
    let mut cols = vec![
        ("method".into(), text(&|r| r.method.to_string())),
        ("level".into(), text(&|r| r.level.to_string())),
        ("measure".into(), text(&|r| r.measure.to_string())),
        (
            "horizon".into(),
            text(&|r| r.horizon.map_or("all".into(), |h| h.to_string())),
        ),
        ("cells".into(), num(&|r| r.n as f64)),
        ("coverage_p10_p90".into(), num(&|r| r.coverage)),
        (
            "coverage_se_by_base_year".into(),
            Data::Num(rows.iter().map(|r| r.coverage_se).collect()),
        ),
        ("interval_score_percent".into(), num(&|r| r.interval_score)),
        ("crps_percent".into(), num(&|r| r.crps)),
    ];
    for b in 0..=crate::model::calibration::GRID.len() {
        cols.push((
            format!("pit_{:02}_{:02}", 5 * b, 5 * (b + 1)),
            num(&|r| r.pit[b]),
        ));
    }
    Wide { cols }
}

/// The calibration chart: the share of outcomes inside hwf's P10–P90 band by horizon, for the
/// nation and the counties (both measures), with the nominal 80 % drawn; `synthetic` when the
/// backtest ran on the embedded synthetic data (the caption says so).
pub fn calibration_chart(
    rows: &[crate::model::calibration::Row],
    lang: Lang,
    synthetic: bool,
) -> Result<Drawn, charts::ChartError> {
    let series = |level: &str| -> Vec<(i32, f64)> {
        rows.iter()
            .filter(|r| r.method == "hwf" && r.level == level && r.measure == "all")
            .filter_map(|r| Some((r.horizon?, 100.0 * r.coverage)))
            .collect()
    };
    let (nation, counties) = (series("national"), series("county"));
    let nominal: Vec<(i32, f64)> = nation
        .iter()
        .chain(&counties)
        .map(|p| (p.0, 80.0))
        .collect::<std::collections::BTreeMap<i32, f64>>()
        .into_iter()
        .collect();
    let lines: Vec<charts::Line> = vec![
        (
            tr(lang, "Riket", "Sweden").into(),
            nation,
            charts::SUPPLY,
            false,
        ),
        (
            tr(lang, "Län", "Counties").into(),
            counties,
            charts::DEMAND,
            false,
        ),
        (
            tr(lang, "Utlovat: 80 %", "Nominal: 80 %").into(),
            nominal,
            charts::SCENARIOS[2],
            true,
        ),
    ];
    charts::lines(
        "backtest_coverage",
        &Labels {
            title: tr(
                lang,
                "Andel utfall inom bandet P10–P90, efter prognoshorisont",
                "Share of outcomes inside the P10–P90 band, by horizon",
            )
            .into(),
            caption: chart_source(
                lang,
                tr(
                    lang,
                    "efterhandsprövning, legitimerade och årsarbetare",
                    "backtest, licensed persons and FTE",
                ),
                synthetic,
            ),
            x: tr(lang, "År framåt", "Years ahead").into(),
            y: tr(lang, "Procent", "Percent").into(),
            series: vec![],
        },
        &lines,
    )
}

/// The report's calibration part: what the band promises in plain words, how often it held in the
/// backtest by horizon (nation and counties), and its interval score against two naive forecasts.
pub(super) fn calibration_section(
    o: &mut String,
    scores: &[crate::model::backtest::Score],
    chart: Option<&Drawn>,
    lang: Lang,
) {
    let rows = crate::model::calibration::table(&crate::model::backtest::cases(scores));
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<section><h3 id=\"calibration\">{}</h3><p>{}</p>",
        tr(lang, "Håller osäkerhetsbanden?", "Do the bands hold?"),
        tr(
            lang,
            "Bandet P10–P90 är det intervall som prognosen ger 80 % sannolikhet: i 8 fall av 10 bör utfallet hamna inom det. Tabellen visar hur ofta det gjorde det när modellen kördes från tidigare basår. Intervallpoängen (bredd plus straff för utfall utanför, i procent av utfallet; lägre är bättre) jämförs med två enkla prognoser: oförändrat värde och linjär trend. Medelfelet räknas per basår: cellerna från en och samma omkörning delar det årets störningar och är inte oberoende.",
            "The P10–P90 band is the range the forecast gives an 80 % probability: in 8 cases out of 10 the outcome should fall inside it. The table shows how often it did when the model was rerun from earlier base years. The interval score (width plus a penalty for outcomes outside, in percent of the outcome; lower is better) is compared with two naive forecasts: no change and a linear trend. The standard error is taken over base years: the cells of one rerun share that year's shocks and are not independent."
        )
    );
    if let Some(ch) = chart {
        figure(o, ch, lang);
    }
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        tr(lang, "Nivå", "Level"),
        tr(lang, "År framåt", "Years ahead"),
        tr(lang, "Celler", "Cells"),
        tr(
            lang,
            "Inom bandet, % (± medelfel)",
            "Inside the band, % (± standard error)"
        ),
        tr(lang, "Intervallpoäng hwf", "Interval score hwf"),
        tr(lang, "Oförändrat", "No change"),
        tr(lang, "Linjär trend", "Linear trend"),
    );
    let find = |m: &str, level: &str, h: Option<i32>| {
        rows.iter()
            .find(|r| r.method == m && r.level == level && r.measure == "all" && r.horizon == h)
    };
    for r in rows
        .iter()
        .filter(|r| r.method == "hwf" && r.measure == "all")
    {
        let naive = |m: &str| {
            find(m, r.level, r.horizon)
                .map_or("–".to_string(), |x| num(x.interval_score, 2, lang))
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if r.level == "national" {
                tr(lang, "Riket", "Sweden")
            } else {
                tr(lang, "Län", "Counties")
            },
            r.horizon
                .map_or(tr(lang, "alla", "all").to_string(), |h| h.to_string()),
            r.n,
            match r.coverage_se {
                Some(se) => format!(
                    "{} ± {}",
                    num(100.0 * r.coverage, 0, lang),
                    num(100.0 * se, 0, lang)
                ),
                None => num(100.0 * r.coverage, 0, lang),
            },
            num(r.interval_score, 2, lang),
            naive("no_change"),
            naive("linear_trend"),
        );
    }
    let _ = writeln!(
        o,
        "</table><p><small>{}</small></p></section>",
        tr(
            lang,
            "Banden omfattar osäkerheten i skattade parametrar (avgångar, examensgrad, efterfrågans tillväxt, balansläget), utländska legitimationers årliga variation och trend, den årliga slumpvariationen i varje läns bestånd och i årsarbetare per legitimerad (länets och rikets), och befolkningsprognosens fel per län, allt skattat ur historiken. De omfattar inte plötsliga reformer, nivåskiften utan motstycke i historiken (som när antalet nya legitimationer för ett yrke fördubblas), eller ändrade definitioner. Alla mått per metod, nivå och horisont finns i tables/calibration.csv.",
            "The bands include the uncertainty of the estimated parameters (exits, completion, demand growth, the base-year balance), the yearly variation and trend of licences on foreign education, the yearly random variation of each county's stock and of FTE per licensed person (the county's and the nation's), and the population projection's error by county, all estimated from the history. They do not include sudden reforms, shifts in level without precedent in the history (such as a profession's new licences doubling), or changed definitions. Every score per method, level and horizon is in tables/calibration.csv."
        )
    );
}

/// The calibration table for people (`hwf backtest`): P10–P90 coverage by horizon for the nation
/// and the counties (both measures), and the interval score of hwf against the naive forecasts;
/// empty without rows.
pub fn calibration_text(rows: &[crate::model::calibration::Row]) -> String {
    let mut s = String::new();
    if rows.is_empty() {
        return s;
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "calibration (P10–P90 band, nominal 80 %, ± its standard error clustered by base year; interval score and CRPS in % of the outcome)"
    );
    let _ = writeln!(
        s,
        "{:<9} {:>7} {:>6} {:>9} {:>6} {:>9} {:>9} {:>12} {:>12}",
        "level",
        "horizon",
        "cells",
        "inside%",
        "±se",
        "IS hwf",
        "CRPS hwf",
        "IS no-chg",
        "IS trend"
    );
    let find = |m: &str, level: &str, h: Option<i32>| {
        rows.iter()
            .find(|r| r.method == m && r.level == level && r.measure == "all" && r.horizon == h)
    };
    let mut horizons: Vec<Option<i32>> = rows.iter().map(|r| r.horizon).collect();
    horizons.sort_unstable();
    horizons.dedup();
    for level in ["national", "county"] {
        for &h in horizons.iter().skip(1).chain(std::iter::once(&None)) {
            let Some(own) = find("hwf", level, h) else {
                continue;
            };
            let naive = |m: &str| {
                find(m, level, h).map_or("–".to_string(), |r| format!("{:.2}", r.interval_score))
            };
            let _ = writeln!(
                s,
                "{:<9} {:>7} {:>6} {:>9.1} {:>6} {:>9.2} {:>9.2} {:>12} {:>12}",
                level,
                h.map_or("all".to_string(), |h| h.to_string()),
                own.n,
                100.0 * own.coverage,
                own.coverage_se
                    .map_or("–".to_string(), |s| format!("{:.1}", 100.0 * s)),
                own.interval_score,
                own.crps,
                naive("no_change"),
                naive("linear_trend"),
            );
        }
    }
    s
}
