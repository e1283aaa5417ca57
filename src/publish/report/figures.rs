//! The charts of one profession (supply and demand with its bands, the gap per county, the age
//! pyramid, the flows), for the whole run or for a part of its counties ([`Part`]), and the sums
//! over a part's counties they are drawn from.

use super::html::{area_name, chart_source, county_name, prof_name, tr};
use crate::model::Projection;
use crate::model::inputs::{AGE_MIN, NA};
use crate::model::scope::Region;
use crate::publish::charts::{self, Drawn, Labels};
use crate::publish::disclosure::{self, Profile};
use crate::table::Lang;

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
    let grid = disclosure::CountTable::with_margins(base.len(), 2, &inner);
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
        band_region: pr.bands.as_ref().map(|_| Region::Total),
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
    /// The bands' county or total whose fan the supply-and-demand chart draws (none: no fan).
    pub band_region: Option<Region>,
    /// Whether to draw the gap per county, ranked.
    pub ranked: bool,
    /// The base-year bars of the age pyramid as they may be drawn; `None`: the counties' sums under
    /// the profile ([`pyramid_base`]).
    pub pyramid_base: Option<Vec<(f64, f64)>>,
}

/// Supply and demand (FTE, all sectors) of profession `p` in results year index `ti`, summed over
/// `counties` in the order [`Projection::total_fte`] sums (so over all counties it is the same number).
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
    let caption = chart_source(
        lang,
        &format!("{} {}", tr(lang, "scenario", "scenario"), sc.name),
        synthetic,
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
        let band = |var: crate::model::montecarlo::Variable| -> Vec<(i32, f64, f64)> {
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
            supply: band(crate::model::montecarlo::Variable::Supply),
            demand: band(crate::model::montecarlo::Variable::Demand),
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
    // Where moves between counties are a flow of their own, the line is what leaves the part's
    // stock net of them (moves within the part cancel); otherwise the moves are in the exits.
    let moves = pr.moves_by_age();
    let exits: Vec<f64> = (1..path.years.len())
        .map(|ti| {
            let at = ti * per..(ti + 1) * per;
            let out = part_sum(&path.exits[at.clone()], part.counties);
            if moves {
                out - part_sum(&path.moved[at], part.counties)
            } else {
                out
            }
        })
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
                if moves {
                    tr(
                        lang,
                        "Lämnar legitimationsbeståndet (netto, flyttningar mellan län inräknade)",
                        "Leaving the licence stock (net, moves between counties included)",
                    )
                } else {
                    tr(
                        lang,
                        "Lämnar legitimationsbeståndet (netto)",
                        "Leaving the licence stock (net)",
                    )
                }
                .into(),
            ],
        },
        &years,
        &inflows,
        &exits,
    )?);
    Ok(out)
}
