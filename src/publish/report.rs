//! `hwf report`: charts, a self-contained HTML report (Swedish or English), tables with disclosure
//! control, and the projection's own outputs, in one folder that appears whole or not at all.
//!
//! Layout of the folder:
//!
//! ```text
//! report.html                     one file; charts inlined as SVG; no request leaves it
//! explorer.html                   pick a profession and a county: supply, demand, bands, table
//! charts/<chart>_<prof>.png|svg   supply_demand, gap_by_county, age_pyramid, flows
//! tables/<table>.csv              plain UTF-8; <table>_sv.csv Swedish Excel style; <table>.parquet
//! tables/hwf_tables.xlsx          one sheet per table
//! projection/                     results, flows, intake, graduates, parameters, scenario, manifest
//! ```
//!
//! Base-year counts of persons go through [`super::disclosure`] (and so do the descriptive tables'
//! own counts, [`super::describe`]), and the register's counts appear nowhere else in the folder (the projection's history rows, the base year's licensed and the
//! backtest's county outcomes are left empty; see [`published_actual`]); projections are not
//! counts of persons and are published as they are.

use super::atomic::{self, PublishError};
use super::charts::{self, Drawn, Labels};
use super::disclosure::{self, Profile};
use super::method::method;
use super::results::{self, Data, Wide};
use super::survey::{survey_chart, survey_heading, survey_section, survey_tables};
use crate::codes::CodeLists;
use crate::model::inputs::{AGE_MIN, NA};
use crate::model::{Phase, Projection, RequiredIntake};
use crate::table::Lang;
use std::fmt::Write as _;

/// How to build the report.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Language of the HTML and the charts.
    pub lang: Lang,
    /// Disclosure rule for counts of persons.
    pub disclosure: Profile,
}

pub(crate) fn tr(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
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

/// What the run covers, as the report names it: `riket`/`Sweden`, or the `[scope]`'s counties.
fn area_name(pr: &Projection, lang: Lang) -> String {
    pr.area().name(lang == Lang::Sv)
}

pub(crate) fn label_word(l: &str, lang: Lang) -> &'static str {
    match l {
        "shortage" => tr(lang, "brist", "shortage"),
        "surplus" => tr(lang, "överskott", "surplus"),
        _ => tr(lang, "balans", "balance"),
    }
}

/// The disclosure-controlled base-year table: employed persons by profession × county × sex in the
/// last observed employment year, with its margins; and the FTE of the same cells under the same mask.
pub struct Disclosed {
    /// The year.
    pub year: i32,
    /// The rule applied.
    pub profile: Profile,
    /// Profession codes, in the order of `grids`.
    pub professions: Vec<String>,
    /// Per profession: the extended grid of persons (counties × sexes, with margins) and its mask.
    pub grids: Vec<(disclosure::Grid, Vec<bool>)>,
    /// FTE on the same extended grids.
    pub fte: Vec<Vec<f64>>,
    /// The descriptive figures (the workforce today), protected under the same rule and against
    /// these tables ([`super::describe::describe`]).
    pub described: super::describe::Described,
}

/// Builds the disclosure-controlled base-year tables.
pub fn disclosed(pr: &Projection, profile: Profile) -> Disclosed {
    let g = &pr.inputs.grid;
    let inp = &pr.inputs;
    let yi = inp.employment_years.len() - 1;
    let year = inp.employment_years[yi];
    let cells = g.cells();
    let mut grids = Vec::new();
    let mut fte = Vec::new();
    for p in 0..g.np() {
        let mut persons = vec![0.0; g.nc() * 2];
        let mut f = vec![0.0; g.nc() * 2];
        for c in 0..g.nc() {
            for sx in 0..2 {
                for k in 0..g.nk() {
                    for a in 0..NA {
                        let i = (yi * g.nk() + k) * cells + g.idx(p, c, sx, a);
                        persons[c * 2 + sx] += inp.employed[i];
                        f[c * 2 + sx] += inp.fte[i];
                    }
                }
            }
        }
        let grid = disclosure::Grid::with_margins(g.nc(), 2, &persons);
        let f = disclosure::Grid::with_margins(g.nc(), 2, &f).values;
        let mask = disclosure::suppress_linked(&grid, Some(&f), profile);
        fte.push(f);
        grids.push((grid, mask));
    }
    let mut d = Disclosed {
        year,
        profile,
        professions: g.professions.clone(),
        grids,
        fte,
        described: Default::default(),
    };
    d.described = super::describe::describe(pr, &d);
    d
}

/// The report's tables.
pub fn tables(pr: &Projection, d: &Disclosed, profile: Profile) -> Vec<(&'static str, Wide)> {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let h = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    // Summary per profession.
    let mut s_text: Vec<Vec<String>> = vec![Vec::new(); 2];
    let mut s_num: Vec<Vec<Option<f64>>> = vec![Vec::new(); 7];
    for p in 0..g.np() {
        let (sup, dem) = pr.national(h, p);
        let dem = dem.unwrap_or(f64::NAN);
        let intake = pr.intake.iter().find(|r| r.profession == p);
        s_text[0].push(g.professions[p].clone());
        s_text[1].push(pr.label(sup, dem).to_string());
        s_num[0].push(Some(sup));
        s_num[1].push(Some(dem));
        s_num[2].push(Some(sup - dem));
        s_num[3].push((dem > 0.0).then(|| sup / dem));
        s_num[4].push(intake.map(|r| r.today));
        s_num[5].push(intake.and_then(|r| r.required));
        s_num[6].push(intake.and_then(|r| {
            r.required
                .filter(|_| r.today > 0.0)
                .map(|q| 100.0 * (q / r.today - 1.0))
        }));
    }
    let mut it = s_num.into_iter();
    let mut n = || Data::Num(it.next().unwrap_or_default());
    let mut tx = s_text.into_iter();
    let mut summary = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(tx.next().unwrap_or_default()),
            ),
            (
                format!("balance_{}", sc.horizon),
                Data::Text(tx.next().unwrap_or_default()),
            ),
            (format!("supply_fte_{}", sc.horizon), n()),
            (format!("demand_fte_{}", sc.horizon), n()),
            (format!("gap_fte_{}", sc.horizon), n()),
            (format!("ratio_{}", sc.horizon), n()),
            (format!("beginners_{}", sc.base_year), n()),
            (
                format!("required_beginners_from_{}", sc.balance.intake_from),
                n(),
            ),
            ("intake_change_percent".into(), n()),
        ],
    };
    let national: Vec<Option<usize>> = vec![pr.bands.as_ref().map(|b| b.national()); g.np()];
    summary.cols.extend(band_columns(
        pr,
        &(0..g.np()).collect::<Vec<_>>(),
        &national,
    ));
    // Base-year persons and FTE, disclosure-controlled.
    let total = pr.area().total_code();
    let mut t: Vec<Vec<String>> = vec![Vec::new(); 4];
    let mut v: Vec<Vec<Option<f64>>> = vec![Vec::new(); 2];
    for (p, (grid, mask)) in d.grids.iter().enumerate() {
        for r in 0..=grid.rows {
            for c in 0..=grid.cols {
                let i = grid.at(r, c);
                t[0].push(g.professions[p].clone());
                t[1].push(if r == grid.rows {
                    total.into()
                } else {
                    g.counties[r].clone()
                });
                t[2].push(if c == grid.cols {
                    "1+2".into()
                } else {
                    (c + 1).to_string()
                });
                t[3].push(if mask[i] {
                    "suppressed".into()
                } else {
                    "observed".into()
                });
                v[0].push((!mask[i]).then(|| profile.publish(grid.values[i])));
                v[1].push((!mask[i]).then(|| profile.publish_derived(d.fte[p][i])));
            }
        }
    }
    let mut tt = t.into_iter();
    let mut vv = v.into_iter();
    let employed = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(tt.next().unwrap_or_default()),
            ),
            ("county".into(), Data::Text(tt.next().unwrap_or_default())),
            ("sex".into(), Data::Text(tt.next().unwrap_or_default())),
            ("status".into(), Data::Text(tt.next().unwrap_or_default())),
            (
                format!("employed_persons_{}", d.year),
                Data::Num(vv.next().unwrap_or_default()),
            ),
            (
                format!("employed_fte_{}", d.year),
                Data::Num(vv.next().unwrap_or_default()),
            ),
        ],
    };
    // Horizon balance per profession and county.
    let mut ct: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut cv: Vec<Vec<Option<f64>>> = vec![Vec::new(); 3];
    for p in 0..g.np() {
        for c in 0..g.nc() {
            let (mut s, mut dd) = (0.0, 0.0);
            for k in 0..g.nk() {
                s += pr.supply[pr.at(h, p, c, k)];
                dd += pr.demand_at(h, p, c, k).unwrap_or(0.0);
            }
            ct[0].push(g.professions[p].clone());
            ct[1].push(g.counties[c].clone());
            ct[2].push(pr.label(s, dd).to_string());
            cv[0].push(Some(s));
            cv[1].push(Some(dd));
            cv[2].push(Some(s - dd));
        }
    }
    let mut ci = ct.into_iter();
    let mut cn = cv.into_iter();
    let rows: Vec<(usize, Option<usize>)> = (0..g.np())
        .flat_map(|p| {
            (0..g.nc()).map(move |c| {
                let r = pr
                    .bands
                    .as_ref()
                    .and_then(|b| b.regions.iter().position(|x| *x == g.counties[c]));
                (p, r)
            })
        })
        .collect();
    let (row_profs, row_regions): (Vec<usize>, Vec<Option<usize>>) = rows.into_iter().unzip();
    let mut counties = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(ci.next().unwrap_or_default()),
            ),
            ("county".into(), Data::Text(ci.next().unwrap_or_default())),
            (
                format!("balance_{}", sc.horizon),
                Data::Text(ci.next().unwrap_or_default()),
            ),
            (
                format!("supply_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
            (
                format!("demand_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
            (
                format!("gap_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
        ],
    };
    counties
        .cols
        .extend(band_columns(pr, &row_profs, &row_regions));
    vec![
        ("summary", summary),
        ("employed_base_year", employed),
        ("counties_horizon", counties),
    ]
}

/// The band columns of a table whose rows are (profession, band region) pairs, in the horizon
/// year: the gap at the outer percentiles and the probability of shortage (none without bands; an
/// empty cell for a row whose region the bands lack).
fn band_columns(
    pr: &Projection,
    profs: &[usize],
    regions: &[Option<usize>],
) -> Vec<(String, Data)> {
    let Some(b) = &pr.bands else {
        return Vec::new();
    };
    let last = b.years.len() - 1;
    let year = b.years[last];
    let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
    let cell = |i: usize, f: &dyn Fn(usize, usize) -> f64| -> Option<f64> {
        regions[i].map(|r| f(profs[i], r)).filter(|x| x.is_finite())
    };
    let column = |f: &dyn Fn(usize, usize) -> f64| -> Data {
        Data::Num((0..profs.len()).map(|i| cell(i, f)).collect())
    };
    vec![
        (
            format!("gap_fte_{year}_p{lo}"),
            column(&|p, r| gap_band(b, p, r).0),
        ),
        (
            format!("gap_fte_{year}_p{hi}"),
            column(&|p, r| gap_band(b, p, r).1),
        ),
        (
            format!("shortage_probability_{year}"),
            column(&|p, r| gap_band(b, p, r).2),
        ),
    ]
}

/// The charts of one profession.
pub fn profession_charts(
    pr: &Projection,
    p: usize,
    lang: Lang,
) -> Result<Vec<Drawn>, charts::ChartError> {
    profession_charts_with(pr, p, lang, Profile::default())
}

/// The base-year age pyramid's bars (men, women) per 5-year band as they may be drawn: the
/// register's licensed persons by band × sex (with the sexes' and bands' totals as margins) under
/// `profile`; a suppressed bar is `NaN` (not drawn), the others are rounded as the profile rounds
/// counts.
pub fn pyramid_base(base: &[(f64, f64)], profile: Profile) -> Vec<(f64, f64)> {
    let inner: Vec<f64> = base.iter().flat_map(|&(m, w)| [m, w]).collect();
    // The register's counts are whole persons; sums over ages can carry float noise.
    let inner: Vec<f64> = inner.iter().map(|v| v.round()).collect();
    let grid = disclosure::Grid::with_margins(base.len(), 2, &inner);
    let mask = disclosure::suppress(&grid, profile);
    let shown = |r: usize, c: usize| {
        let i = grid.at(r, c);
        if mask[i] {
            f64::NAN
        } else {
            profile.publish(grid.values[i])
        }
    };
    (0..base.len())
        .map(|r| (shown(r, 0), shown(r, 1)))
        .collect()
}

/// The charts of one profession, the age pyramid's base-year bars under `profile`
/// ([`pyramid_base`]).
pub fn profession_charts_with(
    pr: &Projection,
    p: usize,
    lang: Lang,
    profile: Profile,
) -> Result<Vec<Drawn>, charts::ChartError> {
    let all: Vec<usize> = (0..pr.inputs.grid.nc()).collect();
    let part = Part {
        counties: &all,
        name: area_name(pr, lang),
        band_region: pr.bands.as_ref().map(|b| b.national()),
        ranked: true,
        pyramid_base: None,
    };
    part_charts(pr, p, lang, profile, &part)
}

/// The counties a report speaks of: all of the run's (the national report) or one principal's.
pub(crate) struct Part<'a> {
    /// Indices into the run's counties, ascending.
    pub counties: &'a [usize],
    /// What the charts' titles call them.
    pub name: String,
    /// The bands' region whose fan the supply-and-demand chart draws (none: no fan).
    pub band_region: Option<usize>,
    /// Whether to draw the gap per county, ranked.
    pub ranked: bool,
    /// The base-year bars of the age pyramid as they may be drawn; `None`: the counties' sums under
    /// the profile ([`pyramid_base`]).
    pub pyramid_base: Option<Vec<(f64, f64)>>,
}

/// Supply and demand (FTE, all sectors) of profession `p` in results year index `ti`, summed over
/// `counties` in the order [`Projection::national`] sums (so over all counties it is the same number).
pub(crate) fn part_sums(
    pr: &Projection,
    ti: usize,
    p: usize,
    counties: &[usize],
) -> (f64, Option<f64>) {
    let g = &pr.inputs.grid;
    let mut s = 0.0;
    let mut d = Some(0.0);
    for &c in counties {
        for k in 0..g.nk() {
            s += pr.supply[pr.at(ti, p, c, k)];
            d = d.zip(pr.demand_at(ti, p, c, k)).map(|(a, b)| a + b);
        }
    }
    (s, d)
}

/// The licensed persons of profession `p` in `counties` by 5-year age band, (men, women), in the
/// path's year index `ti` (0: the base year).
pub(crate) fn pyramid_bars(
    pr: &Projection,
    p: usize,
    counties: &[usize],
    ti: usize,
) -> Vec<(f64, f64)> {
    let g = &pr.inputs.grid;
    let path = &pr.paths[p];
    let per = g.nc() * 2 * NA;
    let mut out = vec![(0.0, 0.0); NA.div_ceil(5)];
    for &c in counties {
        for sx in 0..2 {
            for a in 0..NA {
                let v = path.licensed[ti * per + (c * 2 + sx) * NA + a];
                if sx == 0 {
                    out[a / 5].0 += v;
                } else {
                    out[a / 5].1 += v;
                }
            }
        }
    }
    out
}

/// The sum of one year's block `[c][s][a]` of a path's array over `counties`, in the order of
/// the block (over all counties: the block's sum).
pub(crate) fn part_sum(block: &[f64], counties: &[usize]) -> f64 {
    let per = 2 * NA;
    counties
        .iter()
        .flat_map(|&c| &block[c * per..(c + 1) * per])
        .sum()
}

/// The charts of profession `p` for the counties of `part`.
pub(crate) fn part_charts(
    pr: &Projection,
    p: usize,
    lang: Lang,
    profile: Profile,
    part: &Part<'_>,
) -> Result<Vec<Drawn>, charts::ChartError> {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let code = &g.professions[p];
    let name = prof_name(code, lang);
    let synthetic = pr.used.iter().any(|u| u.synthetic);
    let caption = format!(
        "{}: hwf, {} {}{}",
        tr(lang, "Källa", "Source"),
        tr(lang, "scenario", "scenario"),
        sc.name,
        if synthetic {
            tr(
                lang,
                " — syntetiska data, inte statistik om Sverige",
                " — synthetic data, not statistics about Sweden",
            )
        } else {
            ""
        }
    );
    let mut out = Vec::new();
    // Years before the licence existed (no one held it, as HSK before 2019) are not drawn as 0.
    let sums = |ti: usize| part_sums(pr, ti, p, part.counties);
    let first = (0..pr.years.len())
        .position(|ti| sums(ti).0 > 0.0)
        .unwrap_or(0);
    let supply: Vec<(i32, f64)> = (first..pr.years.len())
        .map(|ti| (pr.years[ti], sums(ti).0))
        .collect();
    let demand: Vec<(i32, f64)> = (0..pr.years.len())
        .filter_map(|ti| sums(ti).1.map(|d| (pr.years[ti], d)))
        .collect();
    let fan = pr.bands.as_ref().zip(part.band_region).map(|(b, region)| {
        let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
        let band = |var: usize| -> Vec<(i32, f64, f64)> {
            b.years
                .iter()
                .enumerate()
                .map(|(ti, &y)| {
                    let q = b.q(p, var, region, ti);
                    (y, q[0], q[q.len() - 1])
                })
                .collect()
        };
        charts::Fan {
            supply: band(1),
            demand: band(2),
            labels: [
                format!("{} P{lo}–P{hi}", tr(lang, "Tillgång", "Supply")),
                format!("{} P{lo}–P{hi}", tr(lang, "Efterfrågan", "Demand")),
            ],
        }
    });
    out.push(charts::supply_demand(
        &format!("supply_demand_{code}"),
        &Labels {
            title: format!(
                "{name}: {}, {}",
                tr(lang, "tillgång och efterfrågan", "supply and demand"),
                part.name
            ),
            caption: caption.clone(),
            x: tr(lang, "År", "Year").into(),
            y: tr(lang, "Heltidsekvivalenter", "Full-time equivalents").into(),
            series: vec![
                tr(
                    lang,
                    "Tillgång (streckad: skattad/framskriven)",
                    "Supply (dashed: estimated/projected)",
                )
                .into(),
                tr(lang, "Efterfrågan", "Demand").into(),
            ],
        },
        &supply,
        &demand,
        sc.base_year,
        pr.inputs
            .employment_years
            .last()
            .copied()
            .unwrap_or(sc.base_year),
        fan.as_ref(),
    )?);
    let h = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    let bars: Vec<(String, f64)> = part
        .counties
        .iter()
        .map(|&c| {
            let gap: f64 = (0..g.nk())
                .map(|k| pr.supply[pr.at(h, p, c, k)] - pr.demand_at(h, p, c, k).unwrap_or(0.0))
                .sum();
            (county_name(&g.counties[c], lang), gap)
        })
        .collect();
    if part.ranked {
        out.push(charts::ranked_bars(
            &format!("gap_by_county_{code}"),
            &Labels {
                title: format!(
                    "{name}: {} {}",
                    tr(lang, "gap per län", "gap by county"),
                    sc.horizon
                ),
                caption: caption.clone(),
                x: tr(
                    lang,
                    "Tillgång − efterfrågan, heltidsekvivalenter",
                    "Supply − demand, full-time equivalents",
                )
                .into(),
                y: String::new(),
                series: vec![],
            },
            &bars,
        )?);
    }
    // Age pyramid in 5-year bands: licensed persons, base year against the horizon.
    let path = &pr.paths[p];
    let per = g.nc() * 2 * NA;
    let last = path.years.len() - 1;
    let nb = NA.div_ceil(5);
    let mut bands = Vec::new();
    for b in 0..nb {
        let lo = AGE_MIN as usize + 5 * b;
        bands.push(format!(
            "{}–{}",
            lo,
            (lo + 4).min(AGE_MIN as usize + NA - 1)
        ));
    }
    let hor = pyramid_bars(pr, p, part.counties, last);
    let base = match &part.pyramid_base {
        Some(b) => b.clone(),
        None => pyramid_base(&pyramid_bars(pr, p, part.counties, 0), profile),
    };
    let withheld = base.iter().any(|b| b.0.is_nan() || b.1.is_nan());
    out.push(charts::pyramid(
        &format!("age_pyramid_{code}"),
        &Labels {
            title: format!(
                "{name}: {} {} {} {}",
                tr(lang, "legitimerade efter ålder", "licensed by age"),
                sc.base_year,
                tr(lang, "och", "and"),
                sc.horizon
            ),
            caption: if withheld {
                format!(
                    "{caption}; {}",
                    tr(
                        lang,
                        "staplar som skyddas av röjandekontroll ritas inte",
                        "bars withheld by disclosure control are not drawn"
                    )
                )
            } else {
                caption.clone()
            },
            x: tr(
                lang,
                "Personer (män till vänster, kvinnor till höger)",
                "Persons (men left, women right)",
            )
            .into(),
            y: tr(lang, "Ålder", "Age").into(),
            series: vec![
                format!("{} {}", tr(lang, "Män", "Men"), sc.base_year),
                format!("{} {}", tr(lang, "Kvinnor", "Women"), sc.base_year),
                format!("{} {}", tr(lang, "Båda", "Both"), sc.horizon),
            ],
        },
        &bands,
        &base,
        &hor,
    )?);
    let years: Vec<i32> = path.years[1..].to_vec();
    let inflows: Vec<[f64; 3]> = (1..path.years.len())
        .map(|ti| {
            let s = |v: &[f64]| part_sum(&v[ti * per..(ti + 1) * per], part.counties);
            [s(&path.inflow[0]), s(&path.inflow[1]), s(&path.inflow[2])]
        })
        .collect();
    let exits: Vec<f64> = (1..path.years.len())
        .map(|ti| part_sum(&path.exits[ti * per..(ti + 1) * per], part.counties))
        .collect();
    out.push(charts::flows(
        &format!("flows_{code}"),
        &Labels {
            title: format!(
                "{name}: {}",
                tr(
                    lang,
                    "inflöden och utflöden per år",
                    "inflows and outflows per year"
                )
            ),
            caption,
            x: tr(lang, "År", "Year").into(),
            y: tr(lang, "Personer per år", "Persons per year").into(),
            series: vec![
                tr(lang, "Svensk utbildning", "Swedish education").into(),
                tr(lang, "EU/EES", "EU/EEA").into(),
                tr(lang, "Tredje land", "Third country").into(),
                tr(
                    lang,
                    "Lämnar legitimationsbeståndet (netto)",
                    "Leaving the licence stock (net)",
                )
                .into(),
            ],
        },
        &years,
        &inflows,
        &exits,
    )?);
    Ok(out)
}

/// The scenarios-side-by-side chart: the national gap in each scenario's horizon year, per profession.
pub fn comparison_chart(all: &[&Projection], lang: Lang) -> Result<Drawn, charts::ChartError> {
    let pr = all[0];
    let g = &pr.inputs.grid;
    let categories: Vec<String> = g.professions.iter().map(|p| prof_name(p, lang)).collect();
    let series: Vec<Vec<f64>> = all
        .iter()
        .map(|x| {
            let h = x
                .years
                .iter()
                .position(|&y| y == x.scenario.horizon)
                .unwrap_or(0);
            (0..g.np())
                .map(|p| {
                    let (s, d) = x.national(h, p);
                    s - d.unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    let synthetic = all.iter().any(|x| x.used.iter().any(|u| u.synthetic));
    charts::grouped_bars(
        "scenarios_gap",
        &Labels {
            title: if pr.area().whole {
                tr(
                    lang,
                    "Gap i riket per yrke och scenario, slutåret",
                    "National gap by profession and scenario, horizon year",
                )
                .into()
            } else {
                format!(
                    "{}, {}",
                    tr(
                        lang,
                        "Gap per yrke och scenario, slutåret",
                        "Gap by profession and scenario, horizon year"
                    ),
                    area_name(pr, lang)
                )
            },
            caption: format!(
                "{}: hwf{}",
                tr(lang, "Källa", "Source"),
                if synthetic {
                    tr(
                        lang,
                        " — syntetiska data, inte statistik om Sverige",
                        " — synthetic data, not statistics about Sweden",
                    )
                } else {
                    ""
                }
            ),
            x: tr(
                lang,
                "Tillgång − efterfrågan, heltidsekvivalenter",
                "Supply − demand, full-time equivalents",
            )
            .into(),
            y: String::new(),
            series: all
                .iter()
                .map(|x| format!("{} ({})", x.scenario.name, x.scenario.horizon))
                .collect(),
        },
        &categories,
        &series,
    )
}

/// What a report may show beside the main projection.
#[derive(Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Further scenarios, set side by side with the main one.
    pub others: &'a [Projection],
    /// Funding streams, shown per county and inhabitant beside the projected gap.
    pub funding: Option<&'a [crate::allocate::funding::Stream]>,
    /// Backtest scores, shown as a table and a chart of forecast against actual.
    pub backtest: Option<&'a [crate::model::backtest::Score]>,
}

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
        return (!profile.primary(a)).then(|| profile.publish(a));
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
                .map(|p| {
                    (0..g.nc() * 2 * NA)
                        .map(|i| inp.licensed[y * g.cells() + g.idx(p, 0, 0, 0) + i])
                        .sum::<f64>()
                })
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
            caption: format!(
                "{}: hwf{}",
                tr(lang, "Källa", "Source"),
                if pr.used.iter().any(|u| u.synthetic) {
                    tr(lang, " — syntetiska data", " — synthetic data")
                } else {
                    ""
                }
            ),
            x: tr(lang, "År", "Year").into(),
            y: tr(lang, "Personer", "Persons").into(),
            series: vec![],
        },
        &lines,
    )
}

fn backtest_section(
    o: &mut String,
    scores: &[crate::model::backtest::Score],
    chart: Option<&Drawn>,
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
    if let Some(ch) = chart {
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

/// The calibration chart: the share of outcomes inside hwf's P10–P90 band by horizon, for the
/// nation and the counties (both measures), with the nominal 80 % drawn.
pub fn calibration_chart(
    rows: &[crate::model::calibration::Row],
    lang: Lang,
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
            caption: format!(
                "{}: hwf, {}",
                tr(lang, "Källa", "Source"),
                tr(
                    lang,
                    "efterhandsprövning, legitimerade och årsarbetare",
                    "backtest, licensed persons and FTE"
                )
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
fn calibration_section(
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
fn county_table(o: &mut String, pr: &Projection, p: usize, d: &Disclosed, opts: &Options) {
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
    for c in 0..=g.nc() {
        let cell = grid.at(c, 2);
        let people: f64 = if c == g.nc() {
            pop.values().sum()
        } else {
            pop.get(&g.counties[c]).copied().unwrap_or(0.0)
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
        let range: Vec<usize> = if c == g.nc() {
            (0..g.nc()).collect()
        } else {
            vec![c]
        };
        let name = if c == g.nc() && area.whole {
            tr(lang, "Riket", "Sweden").to_string()
        } else if c == g.nc() {
            tr(lang, "Summa", "Total").to_string()
        } else {
            county_name(&g.counties[c], lang)
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
        let county = (c < g.nc()).then(|| g.counties[c].as_str());
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
fn band_headings(pr: &Projection, horizon: i32, lang: Lang) -> String {
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
fn band_cells(pr: &Projection, p: usize, county: Option<&str>, lang: Lang) -> String {
    let Some(b) = &pr.bands else {
        return String::new();
    };
    let region = match county {
        None => Some(b.national()),
        Some(code) => b.regions.iter().position(|r| r == code),
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

/// Profession `p`'s gap in band region `r` in the bands' last year: the outer percentiles and
/// the probability of shortage.
pub(crate) fn gap_band(b: &crate::model::montecarlo::Bands, p: usize, r: usize) -> (f64, f64, f64) {
    let last = b.years.len() - 1;
    let gap = b.q(p, 3, r, last);
    (gap[0], gap[gap.len() - 1], b.shortage_of(p, r, last))
}

/// What [`write`] makes before the page: the charts beside the per-profession ones (inlined by
/// [`html_with`]) and the other files of the folder (listed in its run manifest).
#[derive(Clone, Copy, Default)]
pub struct SideCharts<'a> {
    /// Scenarios side by side.
    pub comparison: Option<&'a Drawn>,
    /// Backtest: forecast against outcome.
    pub backtest: Option<&'a Drawn>,
    /// Backtest: coverage of the P10–P90 band against the horizon.
    pub calibration: Option<&'a Drawn>,
    /// The principals' assessments by county and profession ([`survey_chart`]).
    pub survey: Option<&'a Drawn>,
    /// The folder's other files as [`write`] writes them (path in the folder, bytes), listed with
    /// their SHA-256 in the run manifest; empty: the manifest refers to `manifest.json`.
    pub outputs: &'a [(String, &'a [u8])],
    /// The name of the folder's explorer page ([`super::explorer`]), linked from the top of the
    /// report; `None` when the folder has none.
    pub explorer: Option<&'a str>,
}

/// The explorer page's name in a report folder (before [`published_path`]).
const EXPLORER: &str = "explorer.html";

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
        super::describe::heading(lang)
    );
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
        let (s, dd) = pr.national(h, p);
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
    super::describe::section(&mut o, pr, &d.described, lang);
    // One section per profession.
    for p in 0..g.np() {
        let code = &g.professions[p];
        let (s, dd) = pr.national(h, p);
        let dd = dd.unwrap_or(f64::NAN);
        let _ = writeln!(
            o,
            "<section><h2 id=\"p-{code}\">{}</h2>",
            esc(&prof_name(code, lang))
        );
        let _ = writeln!(
            o,
            "<p>{} {}: {} {} {}, {} {} {} ({}).</p>",
            tr(lang, "År", "In"),
            sc.horizon,
            tr(lang, "tillgång", "supply"),
            num(s, 0, lang),
            tr(lang, "heltidsekvivalenter", "full-time equivalents"),
            tr(lang, "efterfrågan", "demand"),
            num(dd, 0, lang),
            tr(lang, "", ""),
            label_word(pr.label(s, dd), lang)
        );
        if let Some(b) = &pr.bands {
            let (gap_lo, gap_hi, shortage) = gap_band(b, p, b.national());
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
        backtest_section(&mut o, scores, side.backtest, lang, d);
        calibration_section(&mut o, scores, side.calibration, lang);
    }
    method(&mut o, pr, opts, d);
    sources(&mut o, pr, lang);
    manifest_section(&mut o, pr, side.outputs, lang);
    o.push_str("</body></html>\n");
    o
}

/// The report's data-sources section on its own, as HTML (see [`sources`]).
pub fn sources_html(pr: &Projection, lang: Lang) -> String {
    let mut o = String::new();
    sources(&mut o, pr, lang);
    o
}

/// The data sources: every input with its file, whether it is synthetic, the cells read and its
/// SHA-256, what happened to it on its way into the model, and where `hwf fetch` took it from.
pub(crate) fn sources(o: &mut String, pr: &Projection, lang: Lang) {
    let _ = writeln!(
        o,
        "<h2 id=\"sources\">{}</h2><div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        tr(lang, "Datakällor", "Data sources"),
        tr(lang, "Indata", "Input"),
        tr(lang, "Fil", "File"),
        tr(lang, "Syntetisk", "Synthetic"),
        tr(lang, "Celler", "Cells")
    );
    for u in &pr.used {
        let _ = writeln!(
            o,
            "<tr><td>{} (<code>{}</code>)</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&input_name(&u.key, lang)),
            esc(&u.key),
            esc(&u.file),
            if u.synthetic {
                tr(lang, "ja", "yes")
            } else {
                tr(lang, "nej", "no")
            },
            num(u.cells as f64, 0, lang),
            u.sha256
        );
    }
    let _ = writeln!(
        o,
        "</table></div><p><small>{}</small></p>",
        tr(
            lang,
            "Celler: antal värden (rader i den långa tabellen) som lästes ur filen. SHA-256: filens kontrollsumma; en ändrad fil ger en annan.",
            "Cells: values (rows of the tidy table) read from the file. SHA-256: the file's checksum; a changed file gives another."
        )
    );
    // Inputs taken from a statistics API by `hwf fetch`: the table, the server and when.
    let fetched: Vec<&crate::model::UsedInput> =
        pr.used.iter().filter(|u| u.fetched.is_some()).collect();
    if !fetched.is_empty() {
        let _ = writeln!(o, "<ul>");
        for u in fetched {
            let Some(f) = &u.fetched else { continue };
            let when = f.retrieved();
            let _ = writeln!(
                o,
                "<li><b>{}</b>: {} <code>{}</code> ({}) {} <code>{}</code>, {} {} {}</li>",
                esc(&input_name(&u.key, lang)),
                tr(lang, "tabell", "table"),
                esc(&f.table),
                esc(&f.label),
                tr(lang, "hämtad från", "fetched from"),
                esc(&f.api),
                esc(when.get(..10).unwrap_or(when)),
                tr(
                    lang,
                    "med hwf fetch; anropen står i",
                    "by hwf fetch; the calls are in"
                ),
                esc(&format!("{}.source.json", u.file)),
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    // What happened to an input on its way into the model (ages ungrouped from bands, totals and
    // ages outside the model left out), said where the sources are.
    let noted: Vec<&crate::model::UsedInput> =
        pr.used.iter().filter(|u| !u.notes.is_empty()).collect();
    if !noted.is_empty() {
        let _ = writeln!(o, "<ul>");
        for u in noted {
            for n in &u.notes {
                let _ = writeln!(
                    o,
                    "<li><b>{}</b>: {}</li>",
                    esc(&input_name(&u.key, lang)),
                    esc(n.text(lang))
                );
            }
        }
        let _ = writeln!(o, "</ul>");
    }
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
nav ol{{columns:2}}.scroll{{overflow-x:auto}}code{{overflow-wrap:anywhere}}pre{{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem}}\
@media (max-width:50rem){{body{{margin:.8rem auto;padding:0 .6rem}}h1{{font-size:1.3rem}}nav ol{{columns:1}}figure svg{{max-width:none;width:60rem}}}}\
@media print{{nav{{display:none}}h2{{page-break-before:always}}figure{{page-break-inside:avoid}}body{{max-width:none}}table{{display:table}}figure svg{{max-width:100%;width:auto}}}}\
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

fn scenarios_section(
    o: &mut String,
    pr: &Projection,
    others: &[Projection],
    chart: Option<&Drawn>,
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let all: Vec<&Projection> = std::iter::once(pr).chain(others.iter()).collect();
    let _ = write!(
        o,
        "<section><h2 id=\"scenarios\">{}</h2>",
        tr(lang, "Scenarier sida vid sida", "Scenarios side by side")
    );
    if let Some(ch) = chart {
        figure(o, ch, lang);
    }
    let _ = write!(o, "<table><tr><th>{}</th>", tr(lang, "Yrke", "Profession"));
    for x in &all {
        let _ = write!(
            o,
            "<th>{} {}, {}</th>",
            tr(lang, "Gap", "Gap"),
            x.scenario.horizon,
            esc(&x.scenario.name)
        );
    }
    o.push_str("</tr>");
    for p in 0..g.np() {
        let _ = write!(
            o,
            "<tr><td>{}</td>",
            esc(&prof_name(&g.professions[p], lang))
        );
        for x in &all {
            let h = x
                .years
                .iter()
                .position(|&y| y == x.scenario.horizon)
                .unwrap_or(0);
            let (s, d) = x.national(h, p);
            let d = d.unwrap_or(f64::NAN);
            let _ = write!(
                o,
                "<td class=\"{}\">{}</td>",
                x.label(s, d),
                num(s - d, 0, lang)
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>");
    for x in others {
        let _ = write!(
            o,
            "<h3>{}</h3><pre>{}</pre>",
            esc(&x.scenario.name),
            esc(&x.scenario.to_toml())
        );
    }
    o.push_str("</section>\n");
}

/// The population of each county of the run in the base year (all ages), by county code: what
/// funding per inhabitant and the comparisons per 1 000 inhabitants divide by.
pub(crate) fn base_population(pr: &Projection) -> std::collections::BTreeMap<String, f64> {
    population_in(pr, pr.scenario.base_year)
}

/// The population of each county of the run in `year` (all ages; the latest year the inputs hold
/// when they stop before it), by county code.
pub(crate) fn population_in(pr: &Projection, year: i32) -> std::collections::BTreeMap<String, f64> {
    use crate::model::inputs::POP_AGES;
    let g = &pr.inputs.grid;
    let inp = &pr.inputs;
    let py = inp
        .population_years
        .iter()
        .position(|&y| y == year)
        .unwrap_or_else(|| {
            if year > pr.scenario.base_year {
                inp.population_years.len().saturating_sub(1)
            } else {
                0
            }
        });
    (0..g.nc())
        .map(|c| {
            let start = (py * g.nc() + c) * 2 * POP_AGES;
            (
                g.counties[c].clone(),
                inp.population[start..start + 2 * POP_AGES].iter().sum(),
            )
        })
        .collect()
}

/// The professions in shortage in the horizon year among `counties` (sum of supply and demand over
/// them), each on its own, most short first: `(profession index, gap in FTE)`. Never summed over
/// professions: a surplus of one profession does not make up for a shortage of another.
pub(crate) fn shortages(pr: &Projection, counties: &[usize]) -> Vec<(usize, f64)> {
    let g = &pr.inputs.grid;
    let h = pr
        .years
        .iter()
        .position(|&y| y == pr.scenario.horizon)
        .unwrap_or(0);
    let mut out: Vec<(usize, f64)> = (0..g.np())
        .filter_map(|p| {
            let (s, d) = part_sums(pr, h, p, counties);
            let d = d?;
            (pr.label(s, d) == "shortage").then_some((p, s - d))
        })
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    out
}

/// One cell listing shortages: `Sjuksköterskor −190 (−0,72 per 1 000 inv.)`, separated by line
/// breaks; `–` when there is none.
pub(crate) fn shortage_list(
    pr: &Projection,
    list: &[(usize, f64)],
    people: f64,
    lang: Lang,
) -> String {
    if list.is_empty() {
        return "–".into();
    }
    let g = &pr.inputs.grid;
    list.iter()
        .map(|&(p, gap)| {
            format!(
                "{} {} ({} {})",
                esc(&prof_name(&g.professions[p], lang)),
                num(gap, 0, lang),
                num(1000.0 * gap / people, 2, lang),
                tr(lang, "per 1 000 inv.", "per 1,000 inh.")
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Funding per county and inhabitant beside the county's shortages in the horizon year, each
/// profession on its own (a surplus of one profession is never netted against a shortage of
/// another), for the latest year the streams cover.
fn funding_section(
    o: &mut String,
    pr: &Projection,
    streams: &[crate::allocate::funding::Stream],
    lang: Lang,
) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let pop = base_population(pr);
    let money = crate::allocate::funding::per_county_year(streams, &pop);
    let Some(year) = money.keys().map(|k| k.1).max() else {
        return;
    };
    let _ = write!(
        o,
        "<section><h2 id=\"funding\">{}</h2><p>{}</p><table><tr><th>{}</th><th>{} {year}, kr</th><th>{}</th><th>{} {}</th></tr>",
        tr(lang, "Finansiering per län", "Funding by county"),
        tr(
            lang,
            "Medel för regionalt kompetensförsörjningsarbete som når länet (programområdenas medel fördelade efter folkmängd; nationella medel utan länsfördelning ingår inte), bredvid länets brist per yrke i slutåret. Varje yrke står för sig: ett överskott i ett yrke tar inte ut en brist i ett annat, så bristerna summeras inte.",
            "Money for regional competence-supply work reaching the county (programme areas' money spread by population; national money not earmarked for a county is left out), beside the county's shortage per profession in the horizon year. Each profession stands on its own: a surplus in one does not cancel a shortage in another, so the shortages are not summed."
        ),
        tr(lang, "Län", "County"),
        tr(lang, "Medel", "Funding"),
        tr(lang, "Kr per invånare", "Kronor per inhabitant"),
        tr(lang, "Yrken med brist", "Professions in shortage"),
        sc.horizon,
    );
    for c in 0..g.nc() {
        let code = &g.counties[c];
        let m = money.get(&(code.clone(), year)).copied().unwrap_or(0.0);
        let people = pop.get(code).copied().unwrap_or(f64::NAN);
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&county_name(code, lang)),
            num(m, 0, lang),
            num(m / people, 2, lang),
            shortage_list(pr, &shortages(pr, &[c]), people, lang)
        );
    }
    o.push_str("</table></section>\n");
}

/// An inline chart with a caption naming its files.
pub(crate) fn figure(o: &mut String, ch: &charts::Drawn, lang: Lang) {
    let _ = write!(
        o,
        "<figure>{}<figcaption>{}: charts/{n}.png, charts/{n}.svg</figcaption></figure>",
        strip_xml_decl(&ch.svg),
        tr(lang, "Som fil", "As a file"),
        n = esc(&ch.name)
    );
}

/// An inline chart whose caption names its SVG file only (reports that write no PNG).
pub(crate) fn figure_svg(o: &mut String, ch: &charts::Drawn, lang: Lang) {
    let _ = write!(
        o,
        "<figure>{}<figcaption>{}: charts/{n}.svg</figcaption></figure>",
        strip_xml_decl(&ch.svg),
        tr(lang, "Som fil", "As a file"),
        n = esc(&ch.name)
    );
}

fn strip_xml_decl(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The prefix of every file's name in a folder written without disclosure control.
pub const NOT_FOR_PUBLICATION: &str = "NOT_FOR_PUBLICATION_";

/// Renames every file under `dir` (recursively) to carry [`NOT_FOR_PUBLICATION`] in its name.
pub(crate) fn mark_not_for_publication(dir: &std::path::Path) -> std::io::Result<()> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type()?.is_dir() {
            mark_not_for_publication(&path)?;
        } else {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == atomic::MARKER {
                // hwf's own record of what it wrote, not an output.
                continue;
            }
            std::fs::rename(&path, dir.join(format!("{NOT_FOR_PUBLICATION}{name}")))?;
        }
    }
    Ok(())
}

/// Writes the whole report folder, with the extras (further scenarios side by side, funding) when given,
/// reporting progress through `progress`.
///
/// # Errors
///
/// [`PublishError`] when a chart or encoder fails or the folder cannot be written; nothing is left
/// half-written.
pub fn write(
    pr: &Projection,
    extra: Extra<'_>,
    opts: &Options,
    out: &atomic::OutDir,
    progress: &mut dyn FnMut(&str),
) -> Result<(), PublishError> {
    let dir = out.path();
    let g = &pr.inputs.grid;
    let d = disclosed(pr, opts.disclosure);
    let mut all = Vec::new();
    let chart_err = |e: charts::ChartError| PublishError::Encode {
        path: dir.join("charts"),
        what: "chart".into(),
        message: e.to_string(),
    };
    for p in 0..g.np() {
        progress(&format!(
            "charts {}/{} ({})",
            p + 1,
            g.np(),
            g.professions[p]
        ));
        all.push(profession_charts_with(pr, p, opts.lang, opts.disclosure).map_err(chart_err)?);
    }
    let others = extra.others;
    let comparison = if others.is_empty() {
        None
    } else {
        progress("scenarios side by side");
        let refs: Vec<&Projection> = std::iter::once(pr).chain(others.iter()).collect();
        Some(comparison_chart(&refs, opts.lang).map_err(chart_err)?)
    };
    let bt_chart = match extra.backtest {
        Some(scores) => Some(backtest_chart(pr, scores, opts.lang).map_err(chart_err)?),
        None => None,
    };
    let calibration = extra.backtest.map_or_else(Vec::new, |scores| {
        crate::model::calibration::table(&crate::model::backtest::cases(scores))
    });
    let cal_chart = if calibration.is_empty() {
        None
    } else {
        Some(calibration_chart(&calibration, opts.lang).map_err(chart_err)?)
    };
    let survey = pr.survey();
    let survey_chart = survey_chart(pr, &survey, opts.lang).map_err(chart_err)?;
    progress("tables");
    let mut tabs = tables(pr, &d, opts.disclosure);
    tabs.extend(survey_tables(pr, &survey));
    tabs.extend(super::describe::tables(pr, &d));
    if let Some(scores) = extra.backtest {
        tabs.push((
            "backtest",
            backtest_table_with(scores, opts.disclosure, Some(&d)),
        ));
        if !calibration.is_empty() {
            tabs.push(("calibration", calibration_table(&calibration)));
        }
    }
    let enc = |e: String| PublishError::Encode {
        path: dir.join("tables"),
        what: "table".into(),
        message: e,
    };
    let mut table_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, t) in &tabs {
        table_files.push((format!("{name}.csv"), t.csv()));
        table_files.push((format!("{name}_sv.csv"), t.csv_swedish()));
        table_files.push((
            format!("{name}.parquet"),
            t.parquet().map_err(|e| enc(e.to_string()))?,
        ));
    }
    table_files.push((
        "hwf_tables.xlsx".into(),
        results::workbook(&tabs, opts.lang == Lang::Sv).map_err(|e| enc(e.to_string()))?,
    ));
    let projection = results::files_with(pr, opts.disclosure.protects()).map_err(|message| {
        PublishError::Encode {
            path: dir.join("projection"),
            what: "Parquet".into(),
            message,
        }
    })?;
    // Every file but the page itself, by its path in the folder, in the order they are written.
    let side_charts: Vec<&Drawn> = all
        .iter()
        .flatten()
        .chain(comparison.iter())
        .chain(bt_chart.iter())
        .chain(cal_chart.iter())
        .chain(survey_chart.iter())
        .collect();
    let explorer = super::explorer::html(pr, extra.others, opts.lang);
    let mut files: Vec<(String, &[u8])> = vec![(EXPLORER.into(), explorer.as_bytes())];
    for ch in &side_charts {
        files.push((format!("charts/{}.svg", ch.name), ch.svg.as_bytes()));
        files.push((format!("charts/{}.png", ch.name), &ch.png));
    }
    for (n, b) in &table_files {
        files.push((format!("tables/{n}"), b));
    }
    for (n, b) in &projection {
        files.push((format!("projection/{n}"), b));
    }
    let protect = opts.disclosure.protects();
    let explorer_name = published_path(EXPLORER, protect);
    let listed: Vec<(String, &[u8])> = files
        .iter()
        .map(|(n, b)| (published_path(n, protect), *b))
        .collect();
    progress("HTML report");
    let side = SideCharts {
        comparison: comparison.as_ref(),
        backtest: bt_chart.as_ref(),
        calibration: cal_chart.as_ref(),
        survey: survey_chart.as_ref(),
        outputs: &listed,
        explorer: Some(&explorer_name),
    };
    let page = html_with(pr, extra, side, opts, &d, &all);
    // The folder's manifest: every file, the page included.
    let mut all_files: Vec<(&str, &[u8])> = listed.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let page_name = published_path("report.html", protect);
    all_files.push((&page_name, page.as_bytes()));
    let manifest =
        serde_json::to_vec_pretty(&results::manifest(pr, &all_files)).unwrap_or_default();
    progress("writing the folder");
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("report.html"), &page)?;
        for sub in ["charts", "tables", "projection"] {
            std::fs::create_dir(tmp.join(sub))?;
        }
        for (n, b) in &files {
            std::fs::write(tmp.join(n), b)?;
        }
        std::fs::write(tmp.join("manifest.json"), &manifest)?;
        if !protect {
            mark_not_for_publication(tmp)?;
        }
        Ok(())
    })
}

/// The run manifest as a person reads it: the engine and its revision, the scenario, seed and draws,
/// and every other file of the folder with its size and SHA-256 (the inputs are under the data
/// sources; `manifest.json` holds the same and the page's own checksum).
fn manifest_section(o: &mut String, pr: &Projection, outputs: &[(String, &[u8])], lang: Lang) {
    use sha2::{Digest, Sha256};
    let sc = &pr.scenario;
    let _ = writeln!(
        o,
        "<h2 id=\"manifest\">{}</h2><table>",
        tr(lang, "Körningsmanifest", "Run manifest")
    );
    let draws = match &pr.bands {
        Some(b) => format!(
            "{} {} ({} {})",
            num(b.draws as f64, 0, lang),
            tr(lang, "dragningar", "draws"),
            tr(lang, "frö", "seed"),
            b.seed
        ),
        None => tr(lang, "inga", "none").to_string(),
    };
    let rows = [
        (
            tr(lang, "Program", "Engine"),
            format!("hwf {}", env!("CARGO_PKG_VERSION")),
        ),
        (
            tr(lang, "Git-revision", "Git revision"),
            results::git_revision().to_string(),
        ),
        (tr(lang, "Scenario", "Scenario"), sc.name.clone()),
        (tr(lang, "Frö", "Seed"), sc.seed.to_string()),
        (tr(lang, "Monte Carlo", "Monte Carlo"), draws),
        (
            tr(lang, "Indata", "Inputs"),
            format!(
                "{} ({})",
                num(pr.used.len() as f64, 0, lang),
                tr(lang, "se Datakällor", "see Data sources")
            ),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n");
    if outputs.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p>",
            tr(
                lang,
                "Filerna som skrevs och deras kontrollsummor står i manifest.json.",
                "The files written and their checksums are in manifest.json."
            )
        );
        return;
    }
    let _ = writeln!(
        o,
        "<details><summary>{} ({})</summary><div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        tr(lang, "Filer i mappen", "Files in the folder"),
        num(outputs.len() as f64 + 2.0, 0, lang),
        tr(lang, "Fil", "File"),
        tr(lang, "Byte", "Bytes")
    );
    for (n, b) in outputs {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(n),
            num(b.len() as f64, 0, lang),
            crate::model::scenario::hex(&Sha256::digest(b))
        );
    }
    let _ = writeln!(
        o,
        "</table></div></details><p><small>{}</small></p>",
        tr(
            lang,
            "Därtill den här sidan (report.html) och manifest.json, som listar alla filer med samma kontrollsummor, sidans egen medräknad, och hela scenariot.",
            "Besides these, this page (report.html) and manifest.json, which lists every file with the same checksums, this page's own included, and the whole scenario."
        )
    );
}

/// A file's path in the folder as published: unchanged, or with [`NOT_FOR_PUBLICATION`] before its
/// name when the folder is written without disclosure control ([`mark_not_for_publication`]).
fn published_path(path: &str, protect: bool) -> String {
    if protect {
        return path.to_string();
    }
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/{NOT_FOR_PUBLICATION}{name}"),
        None => format!("{NOT_FOR_PUBLICATION}{path}"),
    }
}

/// One paragraph on a profession's required intake: the figure, its parts, its band, and how it
/// moves with the target year.
fn intake_paragraph(o: &mut String, pr: &Projection, r: &RequiredIntake, lang: Lang) {
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
    o.push_str(".</p>\n");
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
        other => other.into(),
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
