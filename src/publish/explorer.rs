//! `explorer.html`: one self-contained page beside the report where a planner picks a profession
//! and a county (or the nation) and sees supply, demand and their P10–P90 bands over the years,
//! with the figures in a table below.
//!
//! The page holds its data (the projection's modelled years, summed over sectors: the figures of
//! `results.csv` and `bands.csv`, never an observed register count) as JSON and draws the chart
//! as SVG in the browser: no request leaves the file, and the selects are native form controls,
//! so the page works by keyboard and with a screen reader. The selection is kept in the address
//! (`explorer.html#SSK/23`), so a planner can send a link to a view.

use super::report::{county_name, esc, prof_name, tr};
use crate::model::montecarlo::Variable;
use crate::model::scope::Region;
use crate::model::{Phase, Projection};
use crate::table::Lang;
use serde_json::{Value, json};

/// One figure to a reader's precision: a tenth below 100, whole from there (JSON `null` where
/// there is none).
fn tenth(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() && x.abs() < 100.0 => json!((x * 10.0).round() / 10.0),
        Some(x) if x.is_finite() => json!(x.round() as i64),
        _ => Value::Null,
    }
}

/// The explorer's data: the main run's professions and areas (the run's total first, then its
/// counties) with their names, and one entry per scenario (the main run first, then those compared
/// with it) with its name, years (the modelled ones, from the first nowcast year to the horizon),
/// base year, band percentiles and per profession and area the series `s` (supply FTE), `d` (demand FTE), `g` (the gap, supply less
/// demand, from the unrounded figures) and, with draws, `sl`/`sh`
/// and `dl`/`dh` (the lowest and highest percentile of supply and demand) and `p` (the probability
/// of shortage, in percent).
pub fn data(pr: &Projection, others: &[Projection], lang: Lang) -> Value {
    let g = &pr.inputs.grid;
    let total = pr.area().total_code();
    let total_name = {
        let n = pr.area().name(lang == Lang::Sv);
        let mut c = n.chars();
        c.next()
            .map_or(n.clone(), |f| f.to_uppercase().chain(c).collect())
    };
    let areas: Vec<Value> = std::iter::once(json!([total, total_name]))
        .chain(g.counties.iter().map(|c| json!([c, county_name(c, lang)])))
        .collect();
    let professions: Vec<Value> = g
        .professions
        .iter()
        .map(|p| json!([p, prof_name(p, lang)]))
        .collect();
    let scenarios: Vec<Value> = std::iter::once(pr)
        .chain(others)
        .map(scenario_data)
        .collect();
    json!({
        "professions": professions,
        "areas": areas,
        "scenarios": scenarios,
    })
}

/// One scenario's entry in [`data`].
fn scenario_data(pr: &Projection) -> Value {
    let g = &pr.inputs.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let years: Vec<usize> = (0..pr.years.len())
        .filter(|&ti| pr.phases[ti] != Phase::Observed)
        .collect();
    let bands = pr.bands.as_ref();
    // Where each of the page's years sits among the bands' years, found once.
    let band_years: Vec<Option<usize>> = years
        .iter()
        .map(|&ti| bands.and_then(|b| b.years.iter().position(|&y| y == pr.years[ti])))
        .collect();
    let mut series = serde_json::Map::new();
    for (p, code) in g.professions.iter().enumerate() {
        let mut by_area = serde_json::Map::new();
        // The total (every county) first, then the counties.
        for area in Region::total_then_counties(nc) {
            let sum = |f: &dyn Fn(usize, usize) -> Option<f64>| -> Option<f64> {
                let mut t = 0.0;
                for c in area.counties(nc) {
                    for k in 0..nk {
                        t += f(c, k)?;
                    }
                }
                Some(t)
            };
            let s: Vec<Value> = years
                .iter()
                .map(|&ti| tenth(sum(&|c, k| Some(pr.supply[pr.at(ti, p, c, k)]))))
                .collect();
            let d: Vec<Value> = years
                .iter()
                .map(|&ti| tenth(sum(&|c, k| pr.demand_at(ti, p, c, k))))
                .collect();
            let gap: Vec<Value> = years
                .iter()
                .map(|&ti| {
                    tenth(sum(&|c, k| {
                        Some(pr.supply[pr.at(ti, p, c, k)] - pr.demand_at(ti, p, c, k)?)
                    }))
                })
                .collect();
            let mut o = serde_json::Map::new();
            o.insert("s".into(), Value::Array(s));
            o.insert("d".into(), Value::Array(d));
            o.insert("g".into(), Value::Array(gap));
            if let Some(b) = bands {
                let q = |var: Variable, last: bool| -> Vec<Value> {
                    band_years
                        .iter()
                        .map(|at| {
                            tenth(at.map(|bi| {
                                let q = b.q(p, var, area, bi);
                                if last { q[q.len() - 1] } else { q[0] }
                            }))
                        })
                        .collect()
                };
                o.insert("sl".into(), Value::Array(q(Variable::Supply, false)));
                o.insert("sh".into(), Value::Array(q(Variable::Supply, true)));
                o.insert("dl".into(), Value::Array(q(Variable::Demand, false)));
                o.insert("dh".into(), Value::Array(q(Variable::Demand, true)));
                o.insert(
                    "p".into(),
                    Value::Array(
                        years
                            .iter()
                            .zip(&band_years)
                            .map(|(&ti, at)| {
                                let v = at
                                    .filter(|_| pr.years[ti] > pr.scenario.base_year)
                                    .map(|bi| 100.0 * b.shortage_of(p, area, bi));
                                match v {
                                    Some(x) => json!(x.round()),
                                    None => Value::Null,
                                }
                            })
                            .collect(),
                    ),
                );
            }
            by_area.insert(pr.region_code(area), Value::Object(o));
        }
        series.insert(code.clone(), Value::Object(by_area));
    }
    let percentiles = bands.map(|b| {
        let p = &b.percentiles;
        json!([p[0], p[p.len() - 1]])
    });
    json!({
        "name": pr.scenario.name,
        "years": years.iter().map(|&ti| pr.years[ti]).collect::<Vec<i32>>(),
        "base": pr.scenario.base_year,
        "percentiles": percentiles,
        "series": series,
    })
}

/// The page: the data of `pr` and of the scenarios compared with it (`others`, picked from a third
/// menu), the controls, and the script that draws the chart and fills the table.
pub fn html(pr: &Projection, others: &[Projection], lang: Lang) -> String {
    let synthetic = pr.used.iter().any(|u| u.synthetic);
    // `</` cannot end the script element from inside the data (no name holds it, but a user's
    // code list could).
    let data = data(pr, others, lang).to_string().replace("</", "<\\/");
    let words = json!({
        "supply": tr(lang, "Tillgång", "Supply"),
        "demand": tr(lang, "Efterfrågan", "Demand"),
        "gap": tr(lang, "Gap", "Gap"),
        "year": tr(lang, "År", "Year"),
        "band": tr(lang, "P{lo}–P{hi}", "P{lo}–P{hi}"),
        "short": tr(lang, "Sannolikhet för brist, %", "Probability of shortage, %"),
        "fte": tr(lang, "heltidsekvivalenter", "full-time equivalents"),
        "caption": tr(
            lang,
            "{prof}, {area}: tillgång och efterfrågan i heltidsekvivalenter, alla regiformer",
            "{prof}, {area}: supply and demand in full-time equivalents, all sectors"
        ),
        "nowcast": tr(lang, "skattat nuläge", "nowcast"),
        "missing": tr(lang, "Finns inte i det här scenariot.", "Not in this scenario."),
        "locale": tr(lang, "sv-SE", "en-GB"),
    })
    .to_string();
    let title = tr(lang, "Utforska prognosen", "Explore the projection");
    let banner = if synthetic {
        format!(
            "<p class=\"warn\">{}</p>",
            tr(
                lang,
                "Syntetiska data: siffrorna visar hur hwf fungerar, inte läget i Sverige.",
                "Synthetic data: the figures show how hwf works, not the state of Sweden."
            )
        )
    } else {
        String::new()
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="{lang_code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — hwf</title>
<style>
body {{ font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 0.8rem; max-width: 60rem; color: #1a1a1a; }}
h1 {{ font-size: 1.4rem; }}
.warn {{ background: #fff3cd; border: 1px solid #e0c36a; padding: 0.4rem 0.6rem; }}
form {{ display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; margin: 0.8rem 0; }}
label {{ display: flex; flex-direction: column; font-weight: 600; }}
select {{ font: inherit; padding: 0.3rem; min-width: 14rem; max-width: 100%; }}
figure {{ margin: 0.5rem 0; }}
svg {{ width: 100%; height: 300px; display: block; }}
.tbl {{ overflow-x: auto; }}
table {{ border-collapse: collapse; font-variant-numeric: tabular-nums; }}
th, td {{ padding: 0.2rem 0.6rem; text-align: right; border-bottom: 1px solid #ddd; }}
th:first-child, td:first-child {{ text-align: left; }}
.cap {{ font-weight: 600; margin: 0.8rem 0 0.3rem; }}
.key {{ font-size: 0.95rem; }}
.key span {{ display: inline-block; width: 1.2rem; height: 0.25rem; vertical-align: middle; margin: 0 0.3rem 0 0.8rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
{banner}
<form id="pick" onsubmit="return false">
<label for="prof">{prof_label}<select id="prof"></select></label>
<label for="area">{area_label}<select id="area"></select></label>
<label for="scen" id="scen-label">{scen_label}<select id="scen"></select></label>
</form>
<p class="key" id="key"></p>
<figure><svg id="chart" viewBox="0 0 640 300" role="img" aria-labelledby="chart-title"><title id="chart-title"></title></svg></figure>
<p id="cap" class="cap"></p>
<div class="tbl"><table id="tab" aria-labelledby="cap"><thead></thead><tbody></tbody></table></div>
<p><small>{note}</small></p>
<script id="data" type="application/json">{data}</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const W = {words};
const $ = (id) => document.getElementById(id);
const fmt = (v) => v === null ? "–" : v.toLocaleString(W.locale, {{ maximumFractionDigits: Math.abs(v) < 10 ? 1 : 0 }});
function fill(sel, items) {{
  for (const [code, name] of items) {{
    const o = document.createElement("option");
    o.value = code; o.textContent = name;
    sel.appendChild(o);
  }}
}}
fill($("prof"), D.professions);
fill($("area"), D.areas);
fill($("scen"), D.scenarios.map((x, i) => [String(i), x.name]));
if (D.scenarios.length < 2) $("scen-label").hidden = true;
const SVG = "http://www.w3.org/2000/svg";
function el(name, attrs, text) {{
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}}
function niceStep(span) {{
  const raw = span / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}}
function draw(prof, area) {{
  const S = D.scenarios[+$("scen").value] || D.scenarios[0];
  const s = S.series[prof] && S.series[prof][area], ys = S.years, n = ys.length;
  const svg = $("chart");
  while (svg.lastChild && svg.lastChild.nodeName !== "title") svg.removeChild(svg.lastChild);
  const profName = D.professions.find((p) => p[0] === prof)[1];
  const areaName = D.areas.find((a) => a[0] === area)[1];
  let cap = W.caption.replace("{{prof}}", profName).replace("{{area}}", areaName);
  if (D.scenarios.length > 1) cap += " (" + S.name + ")";
  if (!s) {{
    $("chart-title").textContent = cap;
    $("cap").textContent = cap + ": " + W.missing;
    $("key").textContent = "";
    $("tab").tHead.innerHTML = "";
    $("tab").tBodies[0].innerHTML = "";
    return;
  }}
  $("chart-title").textContent = cap;
  $("cap").textContent = cap;
  const vals = [].concat(s.s, s.d, s.sl || [], s.sh || [], s.dl || [], s.dh || []).filter((v) => v !== null);
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (!(hi > lo)) {{ hi = lo + 1; }}
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step) * step; hi = Math.ceil(hi / step) * step;
  // Drawn at the size it is shown (one unit a pixel), so text keeps its size on a phone.
  const full = Math.max(280, Math.round(svg.getBoundingClientRect().width) || 640);
  svg.setAttribute("viewBox", "0 0 " + full + " 300");
  const L = 64, R = 16, T = 12, B = 30, w = full - L - R, h = 300 - T - B;
  const x = (i) => L + (n === 1 ? w / 2 : i * w / (n - 1));
  const y = (v) => T + h - (v - lo) / (hi - lo) * h;
  for (let v = lo; v <= hi + step / 2; v += step) {{
    svg.appendChild(el("line", {{ x1: L, x2: L + w, y1: y(v), y2: y(v), stroke: "#e3e3e3" }}));
    svg.appendChild(el("text", {{ x: L - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 12 }}, fmt(v)));
  }}
  const every = n > 12 || full < 500 ? 5 : 1;
  ys.forEach((yr, i) => {{
    if (yr % every === 0 || i === 0 || i === n - 1)
      svg.appendChild(el("text", {{ x: x(i), y: 300 - 10, "text-anchor": "middle", "font-size": 12 }}, String(yr)));
  }});
  const path = (arr) => arr.map((v, i) => v === null ? null : [x(i), y(v)]).filter((p) => p)
    .map((p, i) => (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1)).join("");
  const area_ = (a, b) => {{
    const pts = [];
    a.forEach((v, i) => {{ if (v !== null && b[i] !== null) pts.push(i); }});
    if (!pts.length) return "";
    return pts.map((i, k) => (k ? "L" : "M") + x(i).toFixed(1) + " " + y(a[i]).toFixed(1)).join("")
      + pts.slice().reverse().map((i) => "L" + x(i).toFixed(1) + " " + y(b[i]).toFixed(1)).join("") + "Z";
  }};
  if (s.sl) {{
    svg.appendChild(el("path", {{ d: area_(s.sl, s.sh), fill: "#1f77b4", "fill-opacity": 0.18 }}));
    svg.appendChild(el("path", {{ d: area_(s.dl, s.dh), fill: "#d62728", "fill-opacity": 0.15 }}));
  }}
  svg.appendChild(el("path", {{ d: path(s.s), fill: "none", stroke: "#1f77b4", "stroke-width": 2.5 }}));
  svg.appendChild(el("path", {{ d: path(s.d), fill: "none", stroke: "#d62728", "stroke-width": 2.5, "stroke-dasharray": "7 4" }}));
  const bi = ys.indexOf(S.base);
  if (bi >= 0) svg.appendChild(el("line", {{ x1: x(bi), x2: x(bi), y1: T, y2: T + h, stroke: "#999", "stroke-dasharray": "2 3" }}));
  const band = S.percentiles ? W.band.replace("{{lo}}", S.percentiles[0]).replace("{{hi}}", S.percentiles[1]) : "";
  $("key").innerHTML = "";
  const key = $("key");
  for (const [c, t, dash] of [["#1f77b4", W.supply, ""], ["#d62728", W.demand, "dashed"]]) {{
    const sw = document.createElement("span");
    sw.style.background = c; if (dash) sw.style.background = "repeating-linear-gradient(90deg," + c + " 0 7px, transparent 7px 11px)";
    key.appendChild(sw); key.appendChild(document.createTextNode(t + (band ? " (" + band + ")" : "")));
  }}
  const head = [W.year, W.supply, W.demand, W.gap];
  if (s.sl) head.push(W.supply + " " + band, W.demand + " " + band, W.short);
  $("tab").tHead.innerHTML = "<tr>" + head.map((t) => "<th scope=\"col\">" + t + "</th>").join("") + "</tr>";
  const body = $("tab").tBodies[0];
  body.innerHTML = "";
  ys.forEach((yr, i) => {{
    const cells = [yr < S.base ? yr + " (" + W.nowcast + ")" : String(yr), fmt(s.s[i]), fmt(s.d[i]), fmt(s.g[i])];
    if (s.sl) cells.push(
      s.sl[i] === null ? "–" : fmt(s.sl[i]) + "–" + fmt(s.sh[i]),
      s.dl[i] === null ? "–" : fmt(s.dl[i]) + "–" + fmt(s.dh[i]),
      s.p[i] === null ? "–" : fmt(s.p[i]));
    const tr = document.createElement("tr");
    tr.dataset.year = yr;
    cells.forEach((c, k) => {{
      const td = document.createElement(k ? "td" : "th");
      if (!k) td.scope = "row";
      td.textContent = c;
      tr.appendChild(td);
    }});
    body.appendChild(tr);
  }});
}}
function show() {{
  draw($("prof").value, $("area").value);
  const sc = $("scen").value === "0" ? "" : "/" + $("scen").value;
  history.replaceState(null, "", "#" + $("prof").value + "/" + $("area").value + sc);
}}
const want = decodeURIComponent(location.hash.slice(1)).split("/");
if (D.professions.some((p) => p[0] === want[0])) $("prof").value = want[0];
if (D.areas.some((a) => a[0] === want[1])) $("area").value = want[1];
if (D.scenarios[+want[2]]) $("scen").value = want[2];
$("prof").addEventListener("change", show);
$("area").addEventListener("change", show);
$("scen").addEventListener("change", show);
window.addEventListener("resize", () => draw($("prof").value, $("area").value));
draw($("prof").value, $("area").value);
</script>
</body>
</html>
"##,
        lang_code = tr(lang, "sv", "en"),
        title = esc(title),
        banner = banner,
        prof_label = tr(lang, "Yrke", "Profession"),
        area_label = tr(lang, "Län", "County"),
        scen_label = tr(lang, "Scenario", "Scenario"),
        note = tr(
            lang,
            "Modellens år (skattat nuläge och prognos), summerat över regiformer: samma tal som results.csv och bands.csv. Registrets observerade antal visas inte här.",
            "The model's years (nowcast and projection), summed over sectors: the figures of results.csv and bands.csv. The register's observed counts are not shown here."
        ),
        data = data,
        words = words,
    )
}
