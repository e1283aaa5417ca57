//! The required intake of every profession with a programme (see [`super::intake`] for the
//! formula): its window taken from the point projection (supply with no beginners, the response
//! to one beginner a year, demand), solved per unit (a group of substitutable professions, or one
//! profession alone), with the sensitivities to the target year and the base-year imbalance, and
//! the path under a largest change a year.

use super::demand::DemandPath;
use super::destinations;
use super::inputs::Inputs;
use super::scenario::Scenario;
use super::supply::{self, Intake, Params};
use super::{IMBALANCE_SENSITIVITY, IntakePath, ModelError, RequiredIntake, intake};
use std::ops::RangeInclusive;

/// One profession's required-intake inputs, before the units are solved.
struct Raw {
    /// Profession index.
    p: usize,
    /// Supply without beginners, its slope and demand, over the window.
    window: Vec<intake::Year>,
    /// National supply and demand in the base year.
    s_base: f64,
    d_base: f64,
    /// Beginners in the base year.
    today: f64,
    /// Supply with no beginners from `intake_from` on (for a layer, without its parent's bound:
    /// the base of the responses to beginners).
    p0: supply::Trajectory,
    /// National FTE with no beginners from `intake_from` on, by year index: `p0`'s, and for a
    /// layer the bound's effect on the baseline added (see [`supply::Trajectory::capped`]).
    s0: Vec<f64>,
    /// By county over the window, with the destinations table: demand minus supply with no
    /// beginners (a layer's with its bound's effect added, as `s0`), and the response to one
    /// beginner a year.
    county: Option<destinations::CountyWindow>,
}

/// What every profession's required intake is worked out from: the point projection and its
/// demand, and the window's year indices.
struct Context<'a> {
    inp: &'a Inputs,
    sc: &'a Scenario,
    params: &'a [Params],
    paths: &'a [supply::Trajectory],
    demand: &'a DemandPath,
    /// The target year's index among the projection's years (the base year 0).
    target_ti: usize,
    /// The window's year indices.
    window_ti: RangeInclusive<usize>,
}

impl Context<'_> {
    /// National demand FTE of profession `p` in year index `ti`.
    fn nat_demand(&self, p: usize, ti: usize) -> f64 {
        let g = &self.inp.grid;
        let (nc, nk) = (g.nc(), g.nk());
        let per = g.np() * nc * nk;
        (0..nc * nk)
            .map(|i| self.demand.fte[ti * per + p * nc * nk + i])
            .sum()
    }

    /// Demand FTE of profession `p` in county `c` in year index `ti`, over the sectors.
    fn county_demand(&self, p: usize, c: usize, ti: usize) -> f64 {
        let g = &self.inp.grid;
        let (nc, nk) = (g.nc(), g.nk());
        let at = ti * g.np() * nc * nk + (p * nc + c) * nk;
        self.demand.fte[at..at + nk].iter().sum()
    }
}

/// The required intakes of the professions with a programme, by profession index, from the
/// point projection's `paths` (one per profession, parents' bounds in force) and `demand`.
///
/// # Errors
///
/// [`ModelError::Scenario`] when `balance.max_change` or `balance.substitutable` names a
/// profession without a programme of its own.
pub(super) fn required_intakes(
    inp: &Inputs,
    sc: &Scenario,
    params: &[Params],
    paths: &[supply::Trajectory],
    demand: &DemandPath,
) -> Result<Vec<RequiredIntake>, ModelError> {
    // Required intake: supply is linear in a constant intake A, S_t(A) = S_t(0) + A·(S_t(1) − S_t(0)).
    let target_ti = (sc.balance.target_year - sc.base_year) as usize;
    let cx = Context {
        inp,
        sc,
        params,
        paths,
        demand,
        target_ti,
        window_ti: (sc.balance.window_start().max(sc.base_year + 1) - sc.base_year) as usize
            ..=target_ti,
    };
    let raw = raw_windows(&cx);
    let units = units(&cx, &raw)?;
    let mut required: Vec<RequiredIntake> = units
        .iter()
        .flat_map(|(group, members)| solve_unit(&cx, *group, members, &raw))
        .collect();
    required.sort_by_key(|r| r.profession);
    if let Some(d) = &inp.destinations {
        let region_of = inp.county_regions();
        for r in &mut required {
            r.regions = by_region(&cx, d, &region_of, &raw, r)?;
        }
    }
    Ok(required)
}

/// One profession's required intake split over the health-care regions by where their graduates
/// went ([`destinations::split`]); empty without a published figure.
fn by_region(
    cx: &Context<'_>,
    d: &destinations::Destinations,
    region_of: &[Option<usize>],
    raw: &[Raw],
    r: &RequiredIntake,
) -> Result<Vec<destinations::RegionalIntake>, ModelError> {
    let (inp, sc, p) = (cx.inp, cx.sc, r.profession);
    let (Some(total), Some(w), Some(completion)) = (
        r.required,
        raw.iter()
            .find(|x| x.p == p)
            .and_then(|x| x.county.as_ref()),
        cx.params[p].completion.as_ref(),
    ) else {
        return Ok(Vec::new());
    };
    let code = &inp.grid.professions[p];
    // Today's beginners as a constant intake splits over the regions (the last admission year
    // up to the base year).
    let today = supply::intake_basis(inp, sc, p);
    // The projection routes the licences by these shares; without any, the split names the
    // region that lacks them.
    let route = cx.params[p].route.as_ref();
    let split = destinations::Split {
        today: &today,
        completion,
        per_county: route.map_or_else(Vec::new, |rt| rt.margin(&today, completion)),
        shares: route.map_or_else(|| vec![None; inp.hc_regions.len()], |rt| rt.shares.clone()),
        region_of,
    };
    destinations::split(&d.file, code, &inp.hc_regions, &split, w, total)
}

/// Each profession with a programme: its window (supply with no beginners, the response to one
/// beginner a year, demand), its base year and today's beginners.
fn raw_windows(cx: &Context<'_>) -> Vec<Raw> {
    let (inp, sc, params, paths) = (cx.inp, cx.sc, cx.params, cx.paths);
    let np = inp.grid.np();
    let window_ti = cx.window_ti.clone();
    let nat_demand = |p: usize, ti: usize| cx.nat_demand(p, ti);
    // Each profession with a programme: its window, base year and today's beginners.
    let mut raw: Vec<Raw> = Vec::new();
    for p in 0..np {
        if params[p].completion.is_none() {
            continue;
        }
        let at = |a: f64| {
            supply::project(
                inp,
                sc,
                p,
                &params[p],
                Intake::Constant {
                    from: sc.balance.intake_from,
                    per_year: a,
                },
            )
        };
        let (p0, p1) = (at(0.0), at(1.0));
        // A layer within its parent: the cells where the bound binds are few and hold few
        // persons, so the response to beginners is the unbounded projection's (linear in them)
        // and the level the bounded baseline's, as in the Monte Carlo kernel's adjoint.
        let fte =
            |path: &supply::Trajectory, ti: usize| supply::national_fte(inp, path, &params[p], ti);
        let unbounded = params[p]
            .parent
            .map(|_| supply::project(inp, sc, p, &params[p], Intake::Baseline));
        let s0: Vec<f64> = (0..p0.years.len())
            .map(|ti| match &unbounded {
                Some(u) => fte(&p0, ti) + (fte(&paths[p], ti) - fte(u, ti)),
                None => fte(&p0, ti),
            })
            .collect();
        let window: Vec<intake::Year> = window_ti
            .clone()
            .map(|ti| intake::Year {
                s0: s0[ti],
                slope: fte(&p1, ti) - fte(&p0, ti),
                demand: nat_demand(p, ti),
            })
            .collect();
        let county = inp.destinations.is_some().then(|| {
            let nc = inp.grid.nc();
            let mut w = destinations::CountyWindow {
                gap: Vec::new(),
                response: Vec::new(),
            };
            let county_fte = |path: &supply::Trajectory, ti: usize| {
                supply::county_fte(inp, path, &params[p], ti)
            };
            for ti in window_ti.clone() {
                // The response: the unbounded paths' (linear in the beginners). A layer's level
                // the bounded baseline's, county by county, as nationally.
                let none = county_fte(&p0, ti);
                let s1 = county_fte(&p1, ti);
                w.response.push((0..nc).map(|c| s1[c] - none[c]).collect());
                let mut s0 = none;
                if let Some(u) = &unbounded {
                    let (bounded, free) = (county_fte(&paths[p], ti), county_fte(u, ti));
                    for c in 0..nc {
                        s0[c] += bounded[c] - free[c];
                    }
                }
                w.gap.push(
                    (0..nc)
                        .map(|c| cx.county_demand(p, c, ti) - s0[c])
                        .collect(),
                );
            }
            w
        });
        raw.push(Raw {
            p,
            window,
            county,
            s_base: supply::national_fte(inp, &paths[p], &params[p], 0),
            d_base: nat_demand(p, 0),
            today: supply::beginners(inp, sc, p, &params[p], sc.base_year, Intake::Baseline)
                .iter()
                .sum(),
            p0,
            s0,
        });
    }
    raw
}

/// A unit solved together: the index of its group of substitutable professions (`None` for a
/// profession alone) and its members (indices into the professions' [`Raw`] windows).
type Unit = (Option<usize>, Vec<usize>);

/// The units solved together: each group of substitutable professions (indices into `raw`, with
/// the group's index), then each other profession alone.
///
/// # Errors
///
/// [`ModelError::Scenario`] when `balance.max_change` or `balance.substitutable` names a
/// profession without a programme of its own.
fn units(cx: &Context<'_>, raw: &[Raw]) -> Result<Vec<Unit>, ModelError> {
    let b = &cx.sc.balance;
    let g = &cx.inp.grid;
    if let Some(code) = b
        .max_change
        .keys()
        .find(|c| !raw.iter().any(|r| g.professions[r.p] == **c))
    {
        return Err(ModelError::Scenario {
            file: "scenario".into(),
            key: format!("balance.max_change.{code}"),
            message: format!(
                "{code:?} has no programme of its own (no beginners in admissions); expected a profession with a required intake"
            ),
        });
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut grouped = vec![false; raw.len()];
    for (gi, codes) in b.substitutable.iter().enumerate() {
        let mut members = Vec::new();
        for code in codes {
            let Some(i) = raw.iter().position(|r| g.professions[r.p] == *code) else {
                return Err(ModelError::Scenario {
                    file: "scenario".into(),
                    key: format!("balance.substitutable[{gi}]"),
                    message: format!(
                        "{code:?} has no programme of its own (no beginners in admissions); expected professions with a required intake"
                    ),
                });
            };
            grouped[i] = true;
            members.push(i);
        }
        units.push((Some(gi), members));
    }
    units.extend(
        (0..raw.len())
            .filter(|&i| !grouped[i])
            .map(|i| (None, vec![i])),
    );
    Ok(units)
}

/// The required intakes of one unit's members: the unit's rule over its summed window, split by
/// today's beginners, with the sensitivities and, under a largest change a year, the path.
fn solve_unit(
    cx: &Context<'_>,
    group: Option<usize>,
    members: &[usize],
    raw: &[Raw],
) -> Vec<RequiredIntake> {
    let (inp, sc, params, paths) = (cx.inp, cx.sc, cx.params, cx.paths);
    let (b, g) = (&sc.balance, &inp.grid);
    let (target_ti, window_ti) = (cx.target_ti, cx.window_ti.clone());
    let nat_demand = |p: usize, ti: usize| cx.nat_demand(p, ti);
    let mut required = Vec::with_capacity(members.len());
    // Shares of the group's intake: today's beginners (equal shares when there are none).
    let total_today: f64 = members.iter().map(|&i| raw[i].today).sum();
    let shares: Vec<f64> = members
        .iter()
        .map(|&i| {
            if members.len() == 1 {
                1.0
            } else if total_today > 0.0 {
                raw[i].today / total_today
            } else {
                1.0 / members.len() as f64
            }
        })
        .collect();
    // The unit's window: summed supply and demand, its slope per beginner of the unit.
    let (window, s_base, d_base) = if members.len() == 1 {
        let r = &raw[members[0]];
        (r.window.clone(), r.s_base, r.d_base)
    } else {
        let window = (0..raw[members[0]].window.len())
            .map(|w| intake::Year {
                s0: members.iter().map(|&i| raw[i].window[w].s0).sum(),
                slope: members
                    .iter()
                    .zip(&shares)
                    .map(|(&i, sh)| sh * raw[i].window[w].slope)
                    .sum(),
                demand: members.iter().map(|&i| raw[i].window[w].demand).sum(),
            })
            .collect::<Vec<_>>();
        (
            window,
            members.iter().map(|&i| raw[i].s_base).sum(),
            members.iter().map(|&i| raw[i].d_base).sum(),
        )
    };
    let parts = intake::decompose(b.intake_rule, &window, s_base, d_base, b.close_gap);
    let constant = parts.map(|x| x.total());
    let by_target_year: Vec<(i32, Option<f64>)> = window_ti
        .clone()
        .zip(&window)
        .map(|(ti, y)| {
            (
                sc.base_year + ti as i32,
                intake::solve(intake::Rule::TargetYear, std::slice::from_ref(y)),
            )
        })
        .collect();
    let by_imbalance: Vec<(f64, Option<f64>)> = IMBALANCE_SENSITIVITY
        .iter()
        .map(|&i| {
            // Demand rescaled so that the base year's is supply × (1 + i).
            let f = if d_base > 0.0 {
                s_base * (1.0 + i) / d_base
            } else {
                f64::NAN
            };
            let scaled: Vec<intake::Year> = window
                .iter()
                .map(|y| intake::Year {
                    demand: y.demand * f,
                    ..*y
                })
                .collect();
            let parts = intake::decompose(b.intake_rule, &scaled, s_base, d_base * f, b.close_gap);
            (i, parts.map(|x| x.total()).filter(|a| a.is_finite()))
        })
        .collect();
    // A largest change a year: the level of the path (see [`intake`]) replaces the constant.
    let limited = members
        .iter()
        .any(|&i| b.max_change.contains_key(&g.professions[raw[i].p]));
    let path = if limited {
        let (from, horizon) = (b.intake_from, sc.horizon);
        let pulses: Vec<i32> = (from..=horizon).collect();
        // Response `[ti][y]` of national FTE to one beginner in intake year y alone.
        let responses: Vec<Vec<Vec<f64>>> = members
            .iter()
            .map(|&i| {
                let r = &raw[i];
                let base: Vec<f64> = (0..=target_ti.max((horizon - sc.base_year) as usize))
                    .map(|ti| supply::national_fte(inp, &r.p0, &params[r.p], ti))
                    .collect();
                let mut resp = vec![vec![0.0; pulses.len()]; base.len()];
                for (y, &year) in pulses.iter().enumerate() {
                    let one = supply::project(
                        inp,
                        sc,
                        r.p,
                        &params[r.p],
                        Intake::Pulse {
                            from,
                            year,
                            per_year: 1.0,
                        },
                    );
                    for (ti, row) in resp.iter_mut().enumerate() {
                        row[y] = supply::national_fte(inp, &one, &params[r.p], ti) - base[ti];
                    }
                }
                resp
            })
            .collect();
        let solve_members: Vec<intake::Member> = members
            .iter()
            .zip(&shares)
            .zip(&responses)
            .map(|((&i, &share), resp)| intake::Member {
                today: raw[i].today,
                max_change: b.max_change.get(&g.professions[raw[i].p]).copied(),
                share,
                // Intake years up to the target year (later ones cannot reach the window),
                // as the Monte Carlo kernel has them.
                response: window_ti
                    .clone()
                    .map(|ti| resp[ti][..=(b.target_year - from) as usize].to_vec())
                    .collect(),
            })
            .collect();
        // What the rule must close in each window year (the base-year gap kept when asked).
        let keep = if b.close_gap { 0.0 } else { d_base - s_base };
        let need: Vec<f64> = window.iter().map(|y| y.demand - keep - y.s0).collect();
        intake::path_level(b.intake_rule, &need, &solve_members)
            .map(|l| (l, solve_members, responses))
    } else {
        None
    };
    let level = match &path {
        Some((l, ..)) => Some(l.level),
        None if limited => None,
        None => constant,
    };
    for (m, (&i, &share)) in members.iter().zip(&shares).enumerate() {
        let r = &raw[i];
        let p = r.p;
        let unfloored = level.map(|a| share * a);
        let last = r.window[r.window.len() - 1];
        let capacity = b.capacity.get(&g.professions[p]).copied();
        let gap_at_capacity = capacity
            .filter(|c| unfloored.is_some_and(|a| a > *c))
            .map(|c| last.s0 + c * last.slope - last.demand);
        let member_path = path.as_ref().map(|(l, sm, resp)| {
            let floored = l.level.max(0.0);
            let years: Vec<i32> = (b.intake_from..=sc.horizon).collect();
            let beginners: Vec<f64> = (0..years.len())
                .map(|y| sm[m].beginners(floored, y))
                .collect();
            let supply: Vec<f64> = years
                .iter()
                .map(|&t| {
                    let ti = (t - sc.base_year) as usize;
                    r.s0[ti]
                        + resp[m][ti]
                            .iter()
                            .zip(&beginners)
                            .map(|(g, a)| g * a)
                            .sum::<f64>()
                })
                .collect();
            IntakePath {
                max_change: sm[m].max_change,
                fastest: l.fastest,
                reached: b.intake_from + sm[m].reached(floored) as i32,
                constant: constant.map(|a| share * a),
                demand: years
                    .iter()
                    .map(|&t| nat_demand(p, (t - sc.base_year) as usize))
                    .collect(),
                years,
                beginners,
                supply,
            }
        });
        let own_gap = group.map(|_| match &member_path {
            Some(mp) => {
                let k = (b.target_year - b.intake_from) as usize;
                mp.supply[k] - mp.demand[k]
            }
            None => last.s0 + unfloored.map_or(0.0, |a| a.max(0.0)) * last.slope - last.demand,
        });
        let scale = |x: Option<f64>| x.map(|a| share * a);
        required.push(RequiredIntake {
            profession: p,
            today: r.today,
            required: unfloored.map(|a| a.max(0.0)),
            unfloored,
            parts: parts.map(|x| intake::Parts {
                expansion: share * x.expansion,
                gap: share * x.gap,
                replacement: share * x.replacement,
            }),
            supply_at_today: supply::national_fte(inp, &paths[p], &params[p], target_ti),
            demand: last.demand,
            capacity,
            gap_at_capacity,
            by_target_year: by_target_year.iter().map(|&(t, a)| (t, scale(a))).collect(),
            by_imbalance: by_imbalance.iter().map(|&(i, a)| (i, scale(a))).collect(),
            group,
            share,
            own_gap,
            path: member_path,
            regions: Vec::new(),
        });
    }
    required
}
