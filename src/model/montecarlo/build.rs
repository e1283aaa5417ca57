//! How [`Kernel::new`] lays out one profession's fixed inputs ([`ProfKernel`]) from the point
//! projection: the base-year stock and FTE weights, the pipeline of Swedish licences, demand's
//! rows, and the parts of the process variation that the scenario's laws switch on.

use super::*;

/// [`ProfKernel::foreign_drift`]: the random trends a year (EU/EEA, third country) and their lead.
type ForeignDrift = ([f64; 2], f64);

/// What every profession's layout shares: the projection, the scenario's laws, the years and the
/// random trends pooled over professions.
pub(super) struct Context<'a> {
    /// The point projection.
    proj: &'a Projection,
    /// The scenario's checked distributions.
    laws: Laws,
    /// The kernel's years, base year first.
    years: &'a [i32],
    /// The base year's index among the licence years.
    base_i: usize,
    /// The base year's index among the projection's years.
    base_ti: usize,
    /// The named demand growth factors, in the kernel's order.
    factor_names: Vec<&'a String>,
    /// The pooled random trend of the national stock's growth ([`ProfKernel::stock_trend`]).
    stock_drift: f64,
    /// The pooled random trend of national FTE per licensed person ([`ProfKernel::ratio_trend`]).
    ratio_drift: f64,
    /// The pooled random trends of foreign licences, EU/EEA and third country.
    foreign_drift: [f64; 2],
    /// Years from the last employment year (the latest up to the base year) to the base year.
    employment_lag: i32,
}

impl<'a> Context<'a> {
    /// The context of `proj`'s kernel over `years` (base year first), and every profession's
    /// process variation estimated from its history (none where the laws fix it).
    pub(super) fn new(
        proj: &'a Projection,
        laws: Laws,
        years: &'a [i32],
    ) -> (Self, Vec<crate::model::variation::Variation>) {
        let (sc, inp) = (&proj.scenario, &proj.inputs);
        let np = inp.grid.np();
        let base_i = inp
            .licence_years
            .iter()
            .position(|&y| y == sc.base_year)
            .unwrap_or(0);
        let base_ti = proj
            .years
            .iter()
            .position(|&y| y == sc.base_year)
            .unwrap_or(0);
        let factor_names: Vec<&String> = sc.demand.factors.keys().collect();
        let vars: Vec<crate::model::variation::Variation> = (0..np)
            .map(|p| {
                if laws.process == Law::Estimated
                    || laws.ratio == Law::Estimated
                    || laws.foreign == Law::Estimated
                {
                    crate::model::variation::estimate(inp, sc, p, &proj.params[p])
                } else {
                    crate::model::variation::Variation::default()
                }
            })
            .collect();
        // Random trends shared in law by every profession, pooled from their histories.
        let stock_drift = crate::model::variation::pooled_trend(vars.iter().map(|v| v.stock_slope));
        let ratio_drift = crate::model::variation::pooled_trend(vars.iter().map(|v| v.ratio_slope));
        // Years from the last employment year (the latest up to the base year) to the base year.
        let employment_lag = inp
            .employment_years
            .iter()
            .rev()
            .find(|&&y| y <= sc.base_year)
            .map_or(0, |&y| sc.base_year - y);
        let foreign_drift = [0, 1].map(|o| {
            crate::model::variation::pooled_trend(vars.iter().map(|v| v.foreign_slope[o]))
        });
        (
            Context {
                proj,
                laws,
                years,
                base_i,
                base_ti,
                factor_names,
                stock_drift,
                ratio_drift,
                foreign_drift,
                employment_lag,
            },
            vars,
        )
    }
}

impl Context<'_> {
    /// Profession `p`'s fixed inputs, with its estimated process variation `var`.
    pub(super) fn prof_kernel(
        &self,
        p: usize,
        var: &crate::model::variation::Variation,
    ) -> ProfKernel {
        let (proj, laws) = (self.proj, self.laws);
        let prm = &proj.params[p];
        // An employment or FTE trend drawn as paths carries the national year variation.
        let drawn_paths = (laws.employment == Law::Trend && prm.employment_model.is_some())
            || (laws.fte == Law::Trend && prm.fte_model.is_some());
        let l0 = self.base_stock(p);
        let (demand_a, demand_b) = self.demand_rows(p);
        let base = self.base(p, &l0);
        let Entry {
            profile: se_profile,
            route: se_route,
            margin: se_margin,
            post: se_post_margin,
        } = routed_entry(proj, p).unwrap_or_else(|| Entry {
            profile: prm.se_profile.clone(),
            ..Entry::default()
        });
        let regional = region_split(proj, p, &se_profile, &se_margin);
        let (foreign_drift, foreign_sd) = self.foreign_variation(var);
        let [ratio_sd, ratio_national, ratio_trend] = self.ratio_variation(var, drawn_paths);
        ProfKernel {
            l0,
            exit: prm.exit.clone(),
            exit_counts: prm.exit_counts.clone(),
            region_exit: prm.county_exit.clone(),
            region_move: prm.movement.by_age(),
            w: fte_weights(prm, proj.inputs.grid.nc(), proj.inputs.grid.nk()),
            se_profile,
            se_route,
            se_margin,
            se_post_margin,
            regional,
            foreign: prm.foreign.clone(),
            foreign_trend: prm.foreign_trend.clone(),
            foreign_model: prm.foreign_model.clone(),
            pipeline: self.pipeline(p),
            bound: prm.parent,
            groups: self.group_shares(p),
            demand_a,
            demand_b,
            demand_fixed: self.demand_fixed(p),
            growth: self.growth(p),
            base,
            employment_trend: self.year_factors(|y| prm.employment_factor(y)),
            fte_trend: self.year_factors(|y| prm.fte_factor(y)),
            ratio_models: [prm.employment_model.clone(), prm.fte_model.clone()],
            ratio_lead: usize::try_from(proj.scenario.base_year + 1 - prm.ratio_trend_from)
                .unwrap_or(0),
            employment_cap: prm.employment_cap,
            process: self.process(var),
            national_scale: if laws.process == Law::Estimated && var.dispersion > 0.0 {
                (var.national_dispersion / var.dispersion).sqrt()
            } else {
                1.0
            },
            drift: (0..proj.inputs.grid.nc())
                .map(|c| match (laws.process, var.drift.get(c)) {
                    (Law::Estimated, Some(&x)) => x,
                    _ => 0.0,
                })
                .collect(),
            ratio_sd,
            ratio_national,
            stock_trend: if laws.process == Law::Estimated && var.window_transitions > 0 {
                (
                    self.stock_drift,
                    (var.window_transitions as f64 - 1.0) / 2.0,
                )
            } else {
                (0.0, 0.0)
            },
            ratio_trend,
            model_drift: (0.0, 0.0),
            foreign_drift,
            foreign_sd,
        }
    }

    /// Profession `p`'s licensed persons in the base year, `[c][s][a]`.
    fn base_stock(&self, p: usize) -> Vec<f64> {
        let inp = &self.proj.inputs;
        let g = &inp.grid;
        let (nc, cells) = (g.nc(), g.cells());
        let mut l0 = vec![0.0; nc * 2 * NA];
        for c in 0..nc {
            for s in 0..2 {
                for a in 0..NA {
                    l0[(c * 2 + s) * NA + a] =
                        inp.licensed[self.base_i * cells + g.idx(p, c, s, a)];
                }
            }
        }
        l0
    }

    /// For the layer the specialists table divides: each group's share of each county's layer in
    /// the point projection, `[year][group][county]` over the kernel's years ([`GroupShares`]).
    fn group_shares(&self, p: usize) -> Option<GroupShares> {
        let sp = self.proj.specialties.iter().find(|s| s.layer == p)?;
        let nc = self.proj.inputs.grid.nc();
        let ng = sp.ng();
        let mut shares = vec![0.0; self.years.len() * ng * nc];
        for (ti, y) in self.years.iter().enumerate() {
            let si = sp.years.iter().position(|v| v == y)?;
            for c in 0..nc {
                let total: f64 = (0..ng).map(|g| sp.county(si, g, c, nc)).sum();
                if total > 0.0 {
                    for g in 0..ng {
                        shares[(ti * ng + g) * nc + c] = sp.county(si, g, c, nc) / total;
                    }
                }
            }
        }
        Some(GroupShares { ng, shares })
    }

    /// How profession `p`'s Swedish licences arise: its programme (completion, routes, observed
    /// graduates and beginners, the admissions basis and trend), a specialist layer certified
    /// from its parent's persons or fed by its parent's licences, or a constant number.
    fn pipeline(&self, p: usize) -> Pipeline {
        let (proj, sc) = (self.proj, &self.proj.scenario);
        let inp = &proj.inputs;
        let prm = &proj.params[p];
        let (np, nr, ay) = (inp.grid.np(), inp.hc_regions.len(), &inp.admission_years);
        if let Some(c) = &prm.completion {
            let grads = |y: usize| -> Vec<f64> {
                let g: f64 = (0..nr).map(|r| inp.graduates[(y * np + p) * nr + r]).sum();
                crate::model::supply::route_split(inp, p, &prm.routes, ay[y])
                    .into_iter()
                    .map(|w| g * w)
                    .collect()
            };
            let begs = |y: usize| -> Vec<f64> {
                (0..nr)
                    .map(|r| inp.beginners[(y * np + p) * nr + r])
                    .collect()
            };
            let upto: Vec<usize> = (0..ay.len()).filter(|&y| ay[y] <= sc.base_year).collect();
            Pipeline::Programme {
                completion: c.clone(),
                counts: prm.completion_counts.clone(),
                share: prm.licensed_share,
                routes: prm.routes.clone(),
                observed_graduates: upto.iter().map(|&y| (ay[y], grads(y))).collect(),
                observed_beginners: upto.iter().map(|&y| (ay[y], begs(y))).collect(),
                basis: upto.last().map_or_else(|| vec![0.0; nr], |&y| begs(y)),
                trend: prm.admissions_trend.clone(),
                model: prm.admissions_model.clone().map(Box::new),
                change: prm.admissions_change.iter().map(|c| 1.0 + c).collect(),
            }
        } else if !prm.certification.is_empty() && prm.parent.is_some() {
            Pipeline::Certified {
                rates: prm.certification.clone(),
                scale: proj.paths[p].certification_scale.clone(),
            }
        } else if let Some((parent, lag, share)) = prm.layer {
            Pipeline::Layer {
                parent,
                lag: lag as i32,
                share,
                observed: inp
                    .licence_years
                    .iter()
                    .map(|&y| (y, crate::model::supply::observed_se(inp, parent, y)))
                    .collect(),
            }
        } else {
            Pipeline::Mean(prm.se_mean)
        }
    }

    /// Profession `p`'s demand by county and year before the draw's shifts, `[c][t]`: the
    /// base-year FTE with the imbalance times the demand index (`demand_a`), and without it
    /// (`demand_b`, the imbalance's coefficient).
    fn demand_rows(&self, p: usize) -> (Vec<f64>, Vec<f64>) {
        let proj = self.proj;
        let g = &proj.inputs.grid;
        let (np, nc, nk, ny) = (g.np(), g.nc(), g.nk(), self.years.len());
        let base_ti = self.base_ti;
        let mut demand_a = vec![0.0; nc * ny];
        let mut demand_b = vec![0.0; nc * ny];
        for c in 0..nc {
            for ti in 0..ny {
                for k in 0..nk {
                    let i = (p * nc + c) * nk + k;
                    let base_fte = proj.supply[proj.at(base_ti, p, c, k)];
                    let index = proj.demand.index[((ti * np + p) * nc + c) * nk + k]
                        * proj
                            .demand
                            .care_use
                            .get(ti * nk + k)
                            .copied()
                            .unwrap_or(1.0);
                    demand_a[c * ny + ti] += base_fte * (1.0 + proj.demand.imbalance[i]) * index;
                    demand_b[c * ny + ti] += base_fte * index;
                }
            }
        }
        (demand_a, demand_b)
    }

    /// Profession `p`'s demand fixed by a density (`demand.density`), `[c][t]`: the point
    /// projection's, the same in every draw.
    fn demand_fixed(&self, p: usize) -> Option<Vec<f64>> {
        let (proj, sc) = (self.proj, &self.proj.scenario);
        let g = &proj.inputs.grid;
        let (np, nc, nk, ny) = (g.np(), g.nc(), g.nk(), self.years.len());
        sc.demand.density.contains_key(&g.professions[p]).then(|| {
            let mut d = vec![0.0; nc * ny];
            for c in 0..nc {
                for ti in 0..ny {
                    d[c * ny + ti] = (0..nk)
                        .map(|k| proj.demand.fte[ti * np * nc * nk + (p * nc + c) * nk + k])
                        .sum();
                }
            }
            d
        })
    }

    /// Profession `p`'s annual rate of each named demand growth factor (its own, else `"*"`'s).
    fn growth(&self, p: usize) -> Vec<f64> {
        let sc = &self.proj.scenario;
        let g = &self.proj.inputs.grid;
        let code = &g.professions[p];
        self.factor_names
            .iter()
            .map(|f| {
                let per = &sc.demand.factors[*f];
                per.get(code)
                    .or_else(|| per.get("*"))
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect()
    }

    /// Profession `p`'s base-year FTE and licensed persons by county.
    fn base(&self, p: usize, l0: &[f64]) -> Vec<(f64, f64)> {
        let proj = self.proj;
        let (nc, nk) = (proj.inputs.grid.nc(), proj.inputs.grid.nk());
        let base_ti = self.base_ti;
        (0..nc)
            .map(|c| {
                let fte: f64 = (0..nk)
                    .map(|k| proj.supply[proj.at(base_ti, p, c, k)])
                    .sum();
                let lic: f64 = l0[c * 2 * NA..(c + 1) * 2 * NA].iter().sum();
                (fte, lic)
            })
            .collect()
    }

    /// A factor by year (1 in the base year, `factor(year)` after it).
    fn year_factors(&self, factor: impl Fn(i32) -> f64) -> Vec<f64> {
        self.years
            .iter()
            .enumerate()
            .map(|(ti, &y)| if ti == 0 { 1.0 } else { factor(y) })
            .collect()
    }

    /// With the FTE ratio `estimated`: [`ProfKernel::ratio_sd`], [`ProfKernel::ratio_national`]
    /// and [`ProfKernel::ratio_trend`] (the national parts zero when the employment or FTE trend
    /// draws its own paths, `drawn_paths`, which carry the national variation).
    fn ratio_variation(
        &self,
        var: &crate::model::variation::Variation,
        drawn_paths: bool,
    ) -> [(f64, f64); 3] {
        let laws = self.laws;
        [
            if laws.ratio == Law::Estimated {
                (var.ratio_between, var.ratio_within)
            } else {
                (0.0, 0.0)
            },
            if laws.ratio == Law::Estimated && var.ratio_years > 1 && !drawn_paths {
                (
                    var.ratio_national / (var.ratio_years as f64).sqrt(),
                    var.ratio_national,
                )
            } else {
                (0.0, 0.0)
            },
            if laws.ratio == Law::Estimated && var.ratio_years > 0 && !drawn_paths {
                // From the employment window's middle: its last year lags the base year.
                (
                    self.ratio_drift,
                    (var.ratio_years as f64 - 1.0) / 2.0 + f64::from(self.employment_lag),
                )
            } else {
                (0.0, 0.0)
            },
        ]
    }

    /// The standard deviation factor of each region's yearly stock step, `√(φ·τ_c)` (zero where
    /// the process law is fixed or the region has no turnover).
    fn process(&self, var: &crate::model::variation::Variation) -> Vec<f64> {
        (0..self.proj.inputs.grid.nc())
            .map(|c| match (self.laws.process, var.turnover.get(c)) {
                (Law::Estimated, Some(t)) => (var.dispersion * t).sqrt(),
                _ => 0.0,
            })
            .collect()
    }

    /// With foreign licences `estimated`: the pooled random trends and their lead from the inflow
    /// window's middle ([`ProfKernel::foreign_drift`]), and per origin the window level's and a
    /// year's standard deviations ([`ProfKernel::foreign_sd`]); zero otherwise.
    fn foreign_variation(
        &self,
        var: &crate::model::variation::Variation,
    ) -> (ForeignDrift, [(f64, f64); 2]) {
        if self.laws.foreign != Law::Estimated {
            return (([0.0; 2], 0.0), [(0.0, 0.0); 2]);
        }
        let n = self
            .proj
            .scenario
            .supply
            .inflow_window
            .clamp(1, var.foreign_years.max(1));
        (
            (self.foreign_drift, (n as f64 - 1.0) / 2.0),
            var.foreign.map(|sd| (sd / (n as f64).sqrt(), sd)),
        )
    }
}

/// FTE per licensed person by region, sex and age in the projection years, `[c][s][a]`: the sum
/// over sectors of the employment share times FTE per employed person (the base year's FTE is
/// given).
fn fte_weights(prm: &crate::model::supply::Params, nc: usize, nk: usize) -> Vec<f64> {
    let (employment, fte) = prm.county_profiles(true);
    let mut w = vec![0.0; nc * 2 * NA];
    for c in 0..nc {
        let w = &mut w[c * 2 * NA..(c + 1) * 2 * NA];
        for k in 0..nk {
            let at = (c * nk + k) * 2 * NA..(c * nk + k + 1) * 2 * NA;
            for (w, (e, h)) in w
                .iter_mut()
                .zip(employment[at.clone()].iter().zip(&fte[at]))
            {
                *w += e * h;
            }
        }
    }
    w
}

/// The kernel's entry of Swedish licences under destinations routing ([`routed_entry`]).
#[derive(Default)]
struct Entry {
    /// The fixed profile `[r][s][a]`.
    profile: Vec<f64>,
    /// Each region's factor on it by year, `[r][t]`.
    route: Vec<f64>,
    /// Where one more licence enters, each region's weight, `[r]`.
    margin: Vec<f64>,
    /// Where a licence of the baseline's beginners from `intake_from` on enters, `[r]` (empty:
    /// as `margin`).
    post: Vec<f64>,
}

/// The split of profession `p`'s draws over the health-care regions: the point projection's
/// hosts and shares, the county parts of the entry profile; `None` without a regional split,
/// without routing, or with more than [`MAX_SPLIT_HOSTS`] regions with the programme.
fn region_split(
    proj: &Projection,
    p: usize,
    se_profile: &[f64],
    se_margin: &[f64],
) -> Option<RegionSplit> {
    let regions = &proj.intake.iter().find(|r| r.profession == p)?.regions;
    let nc = proj.inputs.grid.nc();
    if regions.is_empty() || se_margin.len() != nc {
        return None;
    }
    let hosts: Vec<usize> = regions
        .iter()
        .filter(|x| x.today > 0.0 && x.shares.is_some())
        .map(|x| x.region)
        .collect();
    if hosts.is_empty() || hosts.len() > MAX_SPLIT_HOSTS {
        return None;
    }
    let mut today = vec![0.0; proj.inputs.hc_regions.len()];
    for x in regions {
        today[x.region] = x.today;
    }
    let to_county = hosts
        .iter()
        .map(|&r| {
            regions
                .iter()
                .find(|x| x.region == r)
                .and_then(|x| x.shares.as_ref())
                .map_or_else(|| vec![0.0; nc], |sh| sh.to_county.clone())
        })
        .collect();
    let entry = (0..nc)
        .map(|c| se_profile[c * 2 * NA..(c + 1) * 2 * NA].iter().sum())
        .collect();
    Some(RegionSplit {
        hosts,
        today,
        to_county,
        entry,
    })
}

/// The kernel's entry of Swedish licences for profession `p` under destinations routing
/// ([`crate::model::supply::Params::route`]); `None` without routing.
///
/// The point projection's licences of year `t` settle by the county shares `σ_c(t)` its path
/// holds (the regions' graduates of the year by their destinations), each county's within its
/// sex and age profile `q_c`; one more beginner's licence (split over the regions by today's
/// beginners) settles by the margin `m_c`, and a licence of the baseline's beginners after the
/// base year by `π_c` (today's beginners times each region's change of admissions; `m_c` when
/// the changes are equal). The profile is `b_c·q_c` with `b_c ∝ Σ_t σ_c(t) + m_c + π_c`
/// (positive wherever any is), the factors `σ_c(t)/b_c`, `m_c/b_c` and `π_c/b_c`: a draw's
/// licences `se[t]` then settle as the point projection's do, and the adjoint enters a licence
/// where the point projection's required intake does.
fn routed_entry(proj: &Projection, p: usize) -> Option<Entry> {
    let (inp, sc, prm) = (&proj.inputs, &proj.scenario, &proj.params[p]);
    let (rt, completion) = (prm.route.as_ref()?, prm.completion.as_ref()?);
    let path = &proj.paths[p];
    let nc = inp.grid.nc();
    let per = nc * 2 * NA;
    let ny = path.years.len();
    // σ_c(t) for t ≥ 1 from the path's Swedish licences.
    let mut sigma = vec![0.0; nc * ny];
    for ti in 1..ny {
        let total = crate::model::supply::path_se(path, ti);
        for c in 0..nc {
            sigma[c * ny + ti] = if total > 0.0 {
                path.inflow[0][ti * per + c * 2 * NA..ti * per + (c + 1) * 2 * NA]
                    .iter()
                    .sum::<f64>()
                    / total
            } else {
                rt.national[c]
            };
        }
    }
    let today = crate::model::supply::intake_basis(inp, sc, p);
    let margin = rt.margin(&today, completion);
    let changed: Vec<f64> = today
        .iter()
        .zip(&prm.admissions_change)
        .map(|(b, d)| b * (1.0 + d))
        .collect();
    let unequal = prm
        .admissions_change
        .iter()
        .any(|d| *d != prm.admissions_change[0]);
    let post = if unequal {
        rt.margin(&changed, completion)
    } else {
        Vec::new()
    };
    let mut base: Vec<f64> = (0..nc)
        .map(|c| {
            sigma[c * ny..(c + 1) * ny].iter().sum::<f64>()
                + margin[c]
                + post.get(c).copied().unwrap_or(0.0)
        })
        .collect();
    let sum: f64 = base.iter().sum();
    if sum <= 0.0 {
        return None;
    }
    base.iter_mut().for_each(|b| *b /= sum);
    let ratio = |v: f64, c: usize| if base[c] > 0.0 { v / base[c] } else { 0.0 };
    Some(Entry {
        profile: (0..per)
            .map(|j| base[j / (2 * NA)] * rt.within[j])
            .collect(),
        route: (0..nc * ny)
            .map(|i| {
                if i % ny == 0 {
                    1.0
                } else {
                    ratio(sigma[i], i / ny)
                }
            })
            .collect(),
        margin: (0..nc).map(|c| ratio(margin[c], c)).collect(),
        post: post.iter().enumerate().map(|(c, &v)| ratio(v, c)).collect(),
    })
}
