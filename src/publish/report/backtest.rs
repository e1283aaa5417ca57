//! The backtest in the report: the outcomes as they may be published, the backtest and summary
//! tables, the charts of forecast against outcome (all professions, and one panel each) and the
//! report's section.

use super::disclosed::Disclosed;
use super::html::{chart_source, esc, figure, num, prof_name, tr};
use crate::codes::CodeLists;
use crate::model::Projection;
use crate::publish::atomic::{self, PublishError};
use crate::publish::charts::{self, Drawn, Labels};
use crate::publish::disclosure::Profile;
use crate::publish::results::{Data, Wide};
use crate::table::Lang;
use std::fmt::Write as _;

/// The outcome of a backtest score as it may be published, or `None`.
///
/// An outcome is an observed count of persons (licensed) or the FTE of one (employed), so it goes
/// through the same rule as the base-year table: a county's outcome is never published (it would be
/// a second, unprotected table of the register beside the protected one); Sweden's is published
/// unless it is small (`1..=max_n` persons, or an FTE of at most `max_n`, which only a small count
/// can have), or it is the FTE of a base-year national total that the base-year table suppresses;
/// under ONS 10-5 it is rounded to 5.
pub fn published_actual(
    s: &crate::model::backtest::Score,
    profile: Profile,
    base: Option<&Disclosed>,
) -> Option<f64> {
    if !profile.protects() {
        return Some(s.actual);
    }
    if !s.is_total() {
        return None;
    }
    let a = s.actual;
    if s.measure == "licensed" {
        return profile.shown(a);
    }
    if a > 0.0 && a <= profile.max_n() as f64 {
        return None;
    }
    let hidden_in_base = base.is_some_and(|d| {
        d.year == s.base_year + s.horizon
            && d.professions
                .iter()
                .position(|c| *c == s.profession)
                .is_some_and(|p| {
                    let (grid, mask) = &d.grids[p];
                    mask[grid.at(grid.rows, grid.cols)]
                })
    });
    (!hidden_in_base).then(|| profile.publish_derived(a))
}

/// The backtest scores as a table, under the default disclosure rule.
pub fn backtest_table(scores: &[crate::model::backtest::Score]) -> Wide {
    backtest_table_with(scores, Profile::default(), None)
}

/// The backtest scores as a table: the forecast and its band for every profession and county; the
/// outcome, the error and whether the outcome fell inside the band only where the outcome may be
/// published ([`published_actual`]), computed from the published outcome.
pub fn backtest_table_with(
    scores: &[crate::model::backtest::Score],
    profile: Profile,
    base: Option<&Disclosed>,
) -> Wide {
    let actual: Vec<Option<f64>> = scores
        .iter()
        .map(|s| published_actual(s, profile, base))
        .collect();
    Wide {
        cols: vec![
            (
                "base_year".into(),
                Data::Text(scores.iter().map(|s| s.base_year.to_string()).collect()),
            ),
            (
                "horizon".into(),
                Data::Text(scores.iter().map(|s| s.horizon.to_string()).collect()),
            ),
            (
                "profession".into(),
                Data::Text(scores.iter().map(|s| s.profession.clone()).collect()),
            ),
            (
                "county".into(),
                Data::Text(scores.iter().map(|s| s.county.clone()).collect()),
            ),
            (
                "measure".into(),
                Data::Text(scores.iter().map(|s| s.measure.to_string()).collect()),
            ),
            (
                "predicted".into(),
                Data::Num(scores.iter().map(|s| Some(s.predicted)).collect()),
            ),
            ("actual".into(), Data::Num(actual.clone())),
            (
                "error_percent".into(),
                Data::Num(
                    scores
                        .iter()
                        .zip(&actual)
                        .map(|(s, a)| {
                            a.filter(|a| *a != 0.0)
                                .map(|a| 100.0 * (s.predicted - a) / a)
                        })
                        .collect(),
                ),
            ),
            (
                "band_low".into(),
                Data::Num(scores.iter().map(|s| s.band.map(|b| b.0)).collect()),
            ),
            (
                "band_high".into(),
                Data::Num(scores.iter().map(|s| s.band.map(|b| b.1)).collect()),
            ),
            (
                "inside_band".into(),
                Data::Text(
                    scores
                        .iter()
                        .zip(&actual)
                        .map(|(s, a)| {
                            s.band
                                .zip(*a)
                                .map(|((lo, hi), a)| (lo <= a && a <= hi).to_string())
                                .unwrap_or_default()
                        })
                        .collect(),
                ),
            ),
        ],
    }
}

/// The national error of a summary row as it may be published: from Sweden's published outcome
/// ([`published_actual`]), `None` where that is withheld.
pub fn published_national(
    s: &crate::model::backtest::Summary,
    scores: &[crate::model::backtest::Score],
    profile: Profile,
    base: Option<&Disclosed>,
) -> Option<f64> {
    let n = scores.iter().find(|x| {
        x.is_total()
            && x.base_year == s.base_year
            && x.horizon == s.horizon
            && x.measure == s.measure
            && x.profession == s.profession
    })?;
    published_actual(n, profile, base)
        .filter(|a| *a != 0.0)
        .map(|a| 100.0 * (n.predicted - a) / a)
}

/// The backtest summary under the default disclosure rule.
pub fn backtest_summary_table(
    summary: &[crate::model::backtest::Summary],
    scores: &[crate::model::backtest::Score],
) -> Wide {
    backtest_summary_table_with(summary, scores, Profile::default(), None)
}

/// The backtest summary: per base year, horizon, measure and profession, the national error (from
/// the published outcome, see [`published_national`]) and the counties' MAPE, bias and band
/// coverage (aggregates over the counties; no county's outcome can be read from them).
pub fn backtest_summary_table_with(
    summary: &[crate::model::backtest::Summary],
    scores: &[crate::model::backtest::Score],
    profile: Profile,
    base: Option<&Disclosed>,
) -> Wide {
    Wide {
        cols: vec![
            (
                "base_year".into(),
                Data::Text(summary.iter().map(|s| s.base_year.to_string()).collect()),
            ),
            (
                "horizon".into(),
                Data::Text(summary.iter().map(|s| s.horizon.to_string()).collect()),
            ),
            (
                "measure".into(),
                Data::Text(summary.iter().map(|s| s.measure.to_string()).collect()),
            ),
            (
                "profession".into(),
                Data::Text(summary.iter().map(|s| s.profession.clone()).collect()),
            ),
            (
                "national_error_percent".into(),
                Data::Num(
                    summary
                        .iter()
                        .map(|s| {
                            published_national(s, scores, profile, base).filter(|x| x.is_finite())
                        })
                        .collect(),
                ),
            ),
            (
                "county_mape_percent".into(),
                Data::Num(summary.iter().map(|s| Some(s.mape)).collect()),
            ),
            (
                "county_bias_percent".into(),
                Data::Num(summary.iter().map(|s| Some(s.bias)).collect()),
            ),
            (
                "county_coverage_percent".into(),
                Data::Num(
                    summary
                        .iter()
                        .map(|s| s.coverage.map(|c| 100.0 * c))
                        .collect(),
                ),
            ),
        ],
    }
}

/// The backtest chart: licensed persons in all licensed professions (layers not counted twice),
/// Sweden, as registered and as forecast from each backtest base year.
pub fn backtest_chart(
    pr: &Projection,
    scores: &[crate::model::backtest::Score],
    lang: Lang,
) -> Result<Drawn, charts::ChartError> {
    use std::collections::BTreeMap;
    let lists = CodeLists::get();
    let counted = |p: &str| lists.profession(p).is_some_and(|x| x.layer_of.is_none());
    let inp = &pr.inputs;
    let g = &inp.grid;
    let actual: Vec<(i32, f64)> = inp
        .licence_years
        .iter()
        .enumerate()
        .map(|(y, &year)| {
            let total: f64 = (0..g.np())
                .filter(|&p| counted(&g.professions[p]))
                .map(|p| inp.national_licensed(p, y))
                .sum();
            (year, total)
        })
        .collect();
    let mut by_base: BTreeMap<i32, BTreeMap<i32, f64>> = BTreeMap::new();
    for s in scores
        .iter()
        .filter(|s| s.is_total() && s.measure == "licensed" && counted(&s.profession))
    {
        *by_base
            .entry(s.base_year)
            .or_default()
            .entry(s.base_year + s.horizon)
            .or_insert(0.0) += s.predicted;
    }
    let mut lines: Vec<charts::Line> = vec![(
        tr(lang, "Registrerat", "Registered").into(),
        actual.clone(),
        charts::SUPPLY,
        false,
    )];
    for (i, (base, pts)) in by_base.iter().enumerate() {
        let start = actual.iter().find(|p| p.0 == *base).copied();
        let mut v: Vec<(i32, f64)> = start.into_iter().collect();
        v.extend(pts.iter().map(|(y, x)| (*y, *x)));
        lines.push((
            format!("{} {base}", tr(lang, "Prognos från", "Forecast from")),
            v,
            charts::SCENARIOS[(i + 1) % charts::SCENARIOS.len()],
            true,
        ));
    }
    charts::lines(
        "backtest_licensed",
        &Labels {
            title: tr(
                lang,
                "Efterhandsprövning: legitimerade i riket, prognos mot utfall",
                "Backtest: licensed in Sweden, forecast against outcome",
            )
            .into(),
            caption: chart_source(lang, "", pr.used.iter().any(|u| u.synthetic)),
            x: tr(lang, "År", "Year").into(),
            y: tr(lang, "Personer", "Persons").into(),
            series: vec![],
        },
        &lines,
    )
}

/// The backtest per profession: one small chart each (licensed persons in Sweden as registered,
/// and as forecast from each backtest base year), on a common year axis with each its own value
/// axis. A registered total the disclosure rule would suppress is left out of its line (as
/// [`published_actual`] leaves it out of the tables); `None` without national licensed scores.
pub fn backtest_panels(
    pr: &Projection,
    scores: &[crate::model::backtest::Score],
    lang: Lang,
    profile: Profile,
) -> Result<Option<Drawn>, charts::ChartError> {
    let panels = backtest_panel_data(pr, scores, lang, profile);
    if panels.is_empty() {
        return Ok(None);
    }
    charts::small_multiples(
        "backtest_professions",
        &Labels {
            title: tr(
                lang,
                "Efterhandsprövning per yrke: legitimerade i riket, prognos mot utfall",
                "Backtest by profession: licensed in Sweden, forecast against outcome",
            )
            .into(),
            caption: format!(
                "{}. {}",
                chart_source(lang, "", pr.used.iter().any(|u| u.synthetic)),
                tr(
                    lang,
                    "Varje yrke har sin egen skala.",
                    "Each profession has its own scale."
                )
            ),
            x: tr(lang, "År", "Year").into(),
            y: tr(lang, "Personer", "Persons").into(),
            series: vec![],
        },
        &panels,
    )
    .map(Some)
}

/// The panels of [`backtest_panels`], in the order of the professions: per profession with
/// national licensed scores, the registered line from the first base year on (from the first
/// year with licensed persons; a total the profile suppresses left out, a published one rounded
/// as the profile rounds), and per base year with licensed persons the forecast from the
/// registered value of that year.
pub fn backtest_panel_data(
    pr: &Projection,
    scores: &[crate::model::backtest::Score],
    lang: Lang,
    profile: Profile,
) -> Vec<charts::Panel> {
    use std::collections::BTreeMap;
    let inp = &pr.inputs;
    let g = &inp.grid;
    let mut by_prof: BTreeMap<usize, BTreeMap<i32, Vec<(i32, f64)>>> = BTreeMap::new();
    for s in scores
        .iter()
        .filter(|s| s.is_total() && s.measure == "licensed")
    {
        let Some(p) = g.prof(&s.profession) else {
            continue;
        };
        by_prof
            .entry(p)
            .or_default()
            .entry(s.base_year)
            .or_default()
            .push((s.base_year + s.horizon, s.predicted));
    }
    let first = by_prof
        .values()
        .flat_map(|b| b.keys().copied())
        .min()
        .unwrap_or(0);
    let bases: Vec<i32> = by_prof
        .values()
        .flat_map(|b| b.keys().copied())
        .collect::<std::collections::BTreeSet<i32>>()
        .into_iter()
        .collect();
    let registered =
        |p: usize, y: usize| -> Option<f64> { profile.shown(inp.national_licensed(p, y)) };
    let mut panels = Vec::new();
    for (&p, forecasts) in &by_prof {
        let actual: Vec<(i32, f64)> = inp
            .licence_years
            .iter()
            .enumerate()
            .filter(|&(_, &year)| year >= first)
            .filter_map(|(y, &year)| registered(p, y).map(|v| (year, v)))
            // No line for the years before the licence existed.
            .skip_while(|q| q.1 == 0.0)
            .collect();
        let mut lines: Vec<charts::Line> = vec![(
            tr(lang, "Registrerat", "Registered").into(),
            actual.clone(),
            charts::SUPPLY,
            false,
        )];
        for (base, pts) in forecasts {
            // A profession without licensed persons at a base year was not forecast from it.
            let Some(start) = actual.iter().find(|q| q.0 == *base && q.1 > 0.0) else {
                continue;
            };
            let i = bases.iter().position(|b| b == base).unwrap_or(0);
            let mut v = vec![*start];
            let mut pts = pts.clone();
            pts.sort_by_key(|q| q.0);
            v.extend(pts);
            lines.push((
                format!("{} {base}", tr(lang, "Prognos från", "Forecast from")),
                v,
                charts::SCENARIOS[(i + 1) % charts::SCENARIOS.len()],
                true,
            ));
        }
        panels.push(charts::Panel {
            title: prof_name(&g.professions[p], lang),
            lines,
        });
    }
    panels
}

pub(super) fn backtest_section(
    o: &mut String,
    scores: &[crate::model::backtest::Score],
    charts: [Option<&Drawn>; 2],
    lang: Lang,
    base: &Disclosed,
) {
    let summary = crate::model::backtest::summarise(scores);
    let _ = write!(
        o,
        "<section><h2 id=\"backtest\">{}</h2><p>{}</p>",
        tr(lang, "Efterhandsprövning", "Backtest"),
        tr(
            lang,
            "Modellen körd från tidigare basår med enbart de uppgifter som fanns då, jämförd med registret. Fel i procent: (prognos − utfall)/utfall. MAPE och snedvridning över länen.",
            "The model rerun from earlier base years with only the data that existed then, compared with the register. Errors in percent: (forecast − outcome)/outcome. MAPE and bias over the counties."
        )
    );
    for ch in charts.into_iter().flatten() {
        figure(o, ch, lang);
    }
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>MAPE, %</th><th>{}</th><th>{}</th></tr>",
        tr(lang, "Basår", "Base year"),
        tr(lang, "Horisont", "Horizon"),
        tr(lang, "Mått", "Measure"),
        tr(lang, "Yrke", "Profession"),
        tr(lang, "Fel riket, %", "National error, %"),
        tr(lang, "Snedvridning, %", "Bias, %"),
        tr(lang, "Län inom bandet, %", "Counties inside the band, %")
    );
    for s in summary.iter().filter(|s| {
        matches!(
            s.profession.as_str(),
            "SSK" | "LAK" | "SSSK" | "SPL" | "PSY" | "FYS"
        )
    }) {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            s.base_year,
            s.horizon,
            s.measure,
            esc(&prof_name(&s.profession, lang)),
            published_national(s, scores, base.profile, Some(base))
                .map_or("..".to_string(), |x| num(x, 1, lang)),
            num(s.mape, 1, lang),
            num(s.bias, 1, lang),
            s.coverage
                .map_or("–".to_string(), |c| num(100.0 * c, 0, lang))
        );
    }
    let _ = writeln!(
        o,
        "</table><p><small>{}</small></p></section>",
        tr(
            lang,
            "Ett urval yrken; alla yrken och län finns i tables/backtest.csv.",
            "A selection of professions; every profession and county is in tables/backtest.csv."
        )
    );
}

/// The files of `hwf backtest`, written into `out` whole: `backtest.csv` (every score),
/// `backtest_summary.csv` (the summary beside it) and, where any case could be scored,
/// `calibration.csv`.
///
/// # Errors
///
/// As [`atomic::write_dir`].
pub fn write_backtest(
    scores: &[crate::model::backtest::Score],
    summary: &[crate::model::backtest::Summary],
    calibration: &[crate::model::calibration::Row],
    out: &atomic::OutDir,
) -> Result<(), PublishError> {
    let a = backtest_table(scores).csv();
    let b = backtest_summary_table(summary, scores).csv();
    let c = (!calibration.is_empty()).then(|| super::calibration_table(calibration).csv());
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("backtest.csv"), &a)?;
        std::fs::write(tmp.join("backtest_summary.csv"), &b)?;
        if let Some(c) = &c {
            std::fs::write(tmp.join("calibration.csv"), c)?;
        }
        Ok(())
    })
}

/// The backtest for people (`hwf backtest`): the summary, a line per base year, horizon, measure
/// and profession, then the calibration table ([`super::calibration_text`]).
pub fn backtest_text(
    summary: &[crate::model::backtest::Summary],
    calibration: &[crate::model::calibration::Row],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<5} {:>4} {:>8} {:<6} {:>9} {:>9} {:>9} {:>9}",
        "base", "h", "measure", "prof", "national%", "MAPE%", "bias%", "inside%"
    );
    for x in summary {
        let _ = writeln!(
            s,
            "{:<5} {:>4} {:>8} {:<6} {:>9.2} {:>9.2} {:>9.2} {:>9}",
            x.base_year,
            x.horizon,
            x.measure,
            x.profession,
            x.national,
            x.mape,
            x.bias,
            x.coverage
                .map_or("–".to_string(), |c| format!("{:.0}", 100.0 * c))
        );
    }
    s.push_str(&super::calibration_text(calibration));
    s
}
