//! Writing a forecast run ([`crate::model::forecast::Run`]): one folder, whole or not at all.
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `forecast.csv` | series × year forecast | the other dimensions' codes, `year`, `mean`, `lo_L`, `hi_L` for each level `L`, `method`, `value` (the observed value of a hold-out year, else empty) |
//! | `scores.csv` (with a hold-out) | series | the codes, `method`, `intervals`, `first`, `last` (years used), `n` (hold-out values), `scale`, `mase`, `mase_no_change`, `coverage_L` for each level |
//! | `charts/forecast_<codes>.png`, `.svg` | series | the years used, the forecast, its bands and the hold-out |

use super::atomic::{self, OutDir, PublishError};
use super::charts::{self, Band, ChartError, Drawn, ForecastFan, Labels};
use super::results::{Data, Wide};
use crate::model::forecast::{Run, SeriesForecast};
use std::collections::BTreeSet;

/// A level as it stands in a column name: `80`, `97.5`.
pub fn level_name(l: f64) -> String {
    format!("{l}")
}

/// The codes of every series, one column per dimension.
fn key_columns(run: &Run, rows: &[(&SeriesForecast, usize)]) -> Vec<(String, Data)> {
    run.dims
        .iter()
        .enumerate()
        .map(|(d, id)| {
            (
                id.clone(),
                Data::Text(rows.iter().map(|(s, _)| s.series.key[d].clone()).collect()),
            )
        })
        .collect()
}

/// `forecast.csv`: a row per series and year forecast.
pub fn table(run: &Run) -> Wide {
    let rows: Vec<(&SeriesForecast, usize)> = run
        .series
        .iter()
        .flat_map(|s| (0..s.rows.len()).map(move |i| (s, i)))
        .collect();
    let mut cols = key_columns(run, &rows);
    cols.push((
        "year".into(),
        Data::Text(
            rows.iter()
                .map(|(s, i)| s.rows[*i].year.to_string())
                .collect(),
        ),
    ));
    cols.push((
        "mean".into(),
        Data::Num(rows.iter().map(|(s, i)| Some(s.rows[*i].mean)).collect()),
    ));
    for (l, level) in run.levels.iter().enumerate() {
        for (side, name) in [(0, "lo"), (1, "hi")] {
            cols.push((
                format!("{name}_{}", level_name(*level)),
                Data::Num(
                    rows.iter()
                        .map(|(s, i)| {
                            let b = s.rows[*i].bounds[l];
                            Some(if side == 0 { b.0 } else { b.1 })
                        })
                        .collect(),
                ),
            ));
        }
    }
    cols.push((
        "method".into(),
        Data::Text(rows.iter().map(|(s, _)| s.model.clone()).collect()),
    ));
    cols.push((
        "value".into(),
        Data::Num(rows.iter().map(|(s, i)| s.rows[*i].observed).collect()),
    ));
    Wide { cols }
}

/// `scores.csv`: a row per scored series; `None` when no series has a hold-out value.
pub fn scores(run: &Run) -> Option<Wide> {
    let rows: Vec<(&SeriesForecast, usize)> = run
        .series
        .iter()
        .filter(|s| s.score.is_some())
        .map(|s| (s, 0))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let sc = |f: &dyn Fn(&crate::model::forecast::Score) -> f64| {
        Data::Num(rows.iter().map(|(s, _)| s.score.as_ref().map(f)).collect())
    };
    let text = |f: &dyn Fn(&SeriesForecast) -> String| {
        Data::Text(rows.iter().map(|(s, _)| f(s)).collect())
    };
    let mut cols = key_columns(run, &rows);
    cols.push(("method".into(), text(&|s| s.model.clone())));
    cols.push(("intervals".into(), text(&|s| s.intervals.to_string())));
    cols.push(("first".into(), text(&|s| s.series.first.to_string())));
    cols.push(("last".into(), text(&|s| s.series.last().to_string())));
    cols.push(("n".into(), sc(&|x| x.n as f64)));
    cols.push(("scale".into(), sc(&|x| x.scale)));
    cols.push(("mase".into(), sc(&|x| x.mase)));
    cols.push(("mase_no_change".into(), sc(&|x| x.no_change)));
    for (l, level) in run.levels.iter().enumerate() {
        cols.push((
            format!("coverage_{}", level_name(*level)),
            sc(&|x| x.inside[l] as f64 / x.n as f64),
        ));
    }
    Some(Wide { cols })
}

/// A file stem from a series' codes: letters, digits, `-` and `_` kept, anything else `_`.
fn stem(key: &[String]) -> String {
    let s: String = key
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "forecast_{}",
        if s.is_empty() { "series".into() } else { s }
    )
}

/// One chart per series, named `forecast_<codes>` (made unique with `_2`, `_3` … where two
/// series' codes differ only in characters a file name cannot hold).
///
/// # Errors
///
/// A chart that cannot be drawn.
pub fn charts(run: &Run) -> Result<Vec<Drawn>, ChartError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(run.series.len());
    for s in &run.series {
        let base = stem(&s.series.key);
        let mut name = base.clone();
        let mut k = 1;
        while !seen.insert(name.clone()) {
            k += 1;
            name = format!("{base}_{k}");
        }
        let levels: Vec<String> = run
            .levels
            .iter()
            .map(|l| format!("{} %", level_name(*l)))
            .collect();
        let file = std::path::Path::new(&run.file)
            .file_name()
            .map_or(run.file.clone(), |f| f.to_string_lossy().into_owned());
        let mut caption = format!(
            "{file} · {}, fitted {}–{} · {} intervals, {}",
            s.model,
            s.series.first,
            s.series.last(),
            levels.join(", "),
            s.intervals
        );
        if let Some(sc) = &s.score {
            caption.push_str(&format!(
                " · hold-out MASE {:.2} (no change {:.2})",
                sc.mase, sc.no_change
            ));
        }
        if run.synthetic {
            caption.push_str(" · synthetic data");
        }
        let labels = Labels {
            title: if s.series.title.is_empty() {
                s.series.name.clone()
            } else {
                s.series.title.clone()
            },
            caption,
            x: "year".into(),
            y: "value".into(),
            series: vec![
                "observed (fitted)".into(),
                format!("forecast ({})", s.model),
                "observed (held out)".into(),
            ],
        };
        let fan = ForecastFan {
            history: s
                .series
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (s.series.first + i as i32, *v))
                .collect(),
            mean: s.rows.iter().map(|r| (r.year, r.mean)).collect(),
            bands: (0..run.levels.len())
                .rev()
                .map(|l| Band {
                    label: format!("{} % interval", level_name(run.levels[l])),
                    points: s
                        .rows
                        .iter()
                        .map(|r| (r.year, r.bounds[l].0, r.bounds[l].1))
                        .collect(),
                })
                .collect(),
            held_out: s
                .rows
                .iter()
                .filter_map(|r| r.observed.map(|o| (r.year, o)))
                .collect(),
        };
        out.push(charts::forecast_fan(&name, &labels, &fan)?);
    }
    Ok(out)
}

/// Writes `forecast.csv`, `scores.csv` (with a hold-out) and the charts into `out`, whole or not
/// at all.
///
/// # Errors
///
/// [`PublishError::Encode`] when a chart cannot be drawn (nothing is written then);
/// [`PublishError::Io`] or [`PublishError::Refused`] from the folder.
pub fn write(run: &Run, out: &OutDir) -> Result<(), PublishError> {
    let drawn = charts(run).map_err(|e| PublishError::Encode {
        path: out.path().join("charts").join(format!("{}.png", e.name)),
        what: "chart".into(),
        message: e.message,
    })?;
    let forecast = table(run).csv();
    let scores = scores(run).map(|w| w.csv());
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("forecast.csv"), &forecast)?;
        if let Some(s) = &scores {
            std::fs::write(tmp.join("scores.csv"), s)?;
        }
        let dir = tmp.join("charts");
        std::fs::create_dir(&dir)?;
        for d in &drawn {
            std::fs::write(dir.join(format!("{}.png", d.name)), &d.png)?;
            std::fs::write(dir.join(format!("{}.svg", d.name)), &d.svg)?;
        }
        Ok(())
    })
}

/// The console summary: a line per series (model, years used, the last year's forecast and
/// widest interval, and with a hold-out its scores), then the pooled scores.
pub fn summary(run: &Run) -> String {
    let mut out = String::new();
    let widest = run.levels.len().saturating_sub(1);
    let wl = run
        .levels
        .get(widest)
        .map_or(String::new(), |l| level_name(*l));
    let scored = run.series.iter().any(|s| s.score.is_some());
    let name_w = run
        .series
        .iter()
        .map(|s| s.series.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    out.push_str(&format!(
        "{:<name_w$}  {:<12} {:>9}  {:>6} {:>12} {:>25}",
        "series",
        "model",
        "used",
        "year",
        "forecast",
        format!("{wl} % interval")
    ));
    if scored {
        out.push_str(&format!(" {:>3} {:>6} {:>9}", "n", "MASE", "no-change"));
        for l in &run.levels {
            out.push_str(&format!(" {:>7}", format!("in {}%", level_name(*l))));
        }
    }
    out.push('\n');
    for s in &run.series {
        let Some(r) = s.rows.last() else { continue };
        let (lo, hi) = r
            .bounds
            .get(widest)
            .copied()
            .unwrap_or((f64::NAN, f64::NAN));
        out.push_str(&format!(
            "{:<name_w$}  {:<12} {:>9}  {:>6} {:>12.2} {:>25}",
            s.series.name,
            s.model,
            format!("{}–{}", s.series.first, s.series.last()),
            r.year,
            r.mean,
            format!("[{lo:.2}, {hi:.2}]")
        ));
        if let Some(sc) = &s.score {
            out.push_str(&format!(
                " {:>3} {:>6.2} {:>9.2}",
                sc.n, sc.mase, sc.no_change
            ));
            for k in &sc.inside {
                out.push_str(&format!(" {:>7}", format!("{k}/{}", sc.n)));
            }
        }
        out.push('\n');
    }
    if let Some(p) = run.pooled() {
        out.push_str(&format!(
            "hold-out: {} series, {} values; MASE mean {:.2} (median {:.2}), no-change forecast {:.2}; inside the intervals: {}\n",
            p.series,
            p.values,
            p.mean_mase,
            p.median_mase,
            p.mean_no_change,
            run.levels
                .iter()
                .zip(&p.coverage)
                .map(|(l, c)| format!("{} % → {:.1} %", level_name(*l), 100.0 * c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if run.synthetic {
        out.push_str("(synthetic data: the figures show how hwf works, not the state of Sweden)\n");
    }
    out
}
