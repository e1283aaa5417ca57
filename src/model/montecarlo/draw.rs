//! One draw of one profession: its demand, Swedish licences, sampled parameters, process
//! variation and the passes that record it.

use super::*;

impl Kernel {
    /// Demand of profession `q` in draw `d` before shifts, `[r][t]`, into `out`.
    pub(super) fn demand_before_shifts(
        &self,
        q: usize,
        d: u64,
        seed: u64,
        eps: &[f64],
        out: &mut Vec<f64>,
    ) {
        let k = &self.profs[q];
        let ny = self.years.len();
        let mut rng = stream(seed, d, IMBALANCE_STREAM + q as u64);
        let delta = draw_shift(self.laws.imbalance, &mut rng);
        out.clear();
        out.resize(k.demand_a.len(), 0.0);
        let step: f64 = k.growth.iter().zip(eps).map(|(r, e)| 1.0 + r + e).product();
        let mut g = vec![1.0; ny];
        for ti in 1..ny {
            g[ti] = g[ti - 1] * step;
        }
        for (i, o) in out.iter_mut().enumerate() {
            let ti = i % ny;
            *o = (k.demand_a[i] + delta * k.demand_b[i]) * g[ti];
        }
    }

    /// Demand of profession `p` in draw `d`, `[r][t]`, after shifts and density targets, times
    /// the population error's factors (`population`: the draw's, made once for all professions by
    /// [`Kernel::population_factors`]; `None`: made here).
    pub(super) fn demand(
        &self,
        p: usize,
        d: u64,
        seed: u64,
        population: Option<&[f64]>,
        s: &mut Scratch,
    ) {
        let apply = |demand: &mut [f64]| match population {
            Some(f) => demand.iter_mut().zip(f).for_each(|(x, f)| *x *= f),
            None => self.population_error(d, seed, demand),
        };
        let mut rng = stream(seed, d, DEMAND_STREAM);
        let nf = self.profs[p].growth.len();
        let eps: Vec<f64> = (0..nf)
            .map(|_| draw_shift(self.laws.growth, &mut rng))
            .collect();
        if let Some(fixed) = &self.profs[p].demand_fixed {
            s.demand.clear();
            s.demand.extend_from_slice(fixed);
            apply(&mut s.demand);
            return;
        }
        let mut demand = std::mem::take(&mut s.demand);
        self.demand_before_shifts(p, d, seed, &eps, &mut demand);
        if self.shifts.iter().any(|x| x.from == p || x.to == p) {
            // The professions the shifts touch, each from its own draw.
            let mut involved: Vec<usize> =
                self.shifts.iter().flat_map(|x| [x.from, x.to]).collect();
            involved.sort_unstable();
            involved.dedup();
            let mut vals: Vec<Vec<f64>> = involved
                .iter()
                .map(|&q| {
                    let mut v = Vec::new();
                    self.demand_before_shifts(q, d, seed, &eps, &mut v);
                    v
                })
                .collect();
            let ny = self.years.len();
            for sh in &self.shifts {
                let fi = involved.iter().position(|&q| q == sh.from).unwrap_or(0);
                let ti_ = involved.iter().position(|&q| q == sh.to).unwrap_or(0);
                for i in 0..vals[fi].len() {
                    let m = vals[fi][i] * sh.moved[i % ny];
                    vals[fi][i] -= m;
                    vals[ti_][i] += m;
                }
            }
            if let Some(i) = involved.iter().position(|&q| q == p) {
                demand.clone_from(&vals[i]);
            }
        }
        apply(&mut demand);
        s.demand = demand;
    }

    /// The population projection's error in draw `d`: each region's demand `[r][t]` times
    /// `exp(σ·(z_1 + … + z_t))`, a random walk from the base year with its own standard normal
    /// steps per region, the same for every profession of the draw.
    pub(super) fn population_error(&self, d: u64, seed: u64, demand: &mut [f64]) {
        if self.population_sd == 0.0 {
            return;
        }
        let mut f = vec![0.0; demand.len()];
        self.population_factors(d, seed, &mut f);
        demand.iter_mut().zip(&f).for_each(|(x, f)| *x *= f);
    }

    /// The population error's factors of draw `d`, `[r][t]` (1 in the base year): what
    /// [`Kernel::population_error`] multiplies demand by. `out` holds regions × years.
    pub(super) fn population_factors(&self, d: u64, seed: u64, out: &mut [f64]) {
        let (sd, ny) = (self.population_sd, self.years.len());
        let mut rng = stream(seed, d, POPULATION_STREAM);
        for row in out.chunks_exact_mut(ny) {
            let mut walk = 0.0;
            row[0] = 1.0;
            for x in row.iter_mut().skip(1) {
                walk += sd * normal(&mut rng);
                *x = libm::exp(walk);
            }
        }
    }

    /// Swedish licences by year index for draw parameters already in `s` (completion, admissions),
    /// and for the required intake the unit response and the baseline's post-`intake_from` part.
    pub(super) fn swedish(&self, p: usize, parent_se: Option<&[f64]>, s: &mut Scratch) {
        let ny = self.years.len();
        let base = self.years[0];
        s.se.clear();
        s.se.resize(ny, 0.0);
        s.se_unit.clear();
        s.se_unit.resize(ny, 0.0);
        s.se_post.clear();
        s.se_post.resize(ny, 0.0);
        match &self.profs[p].pipeline {
            Pipeline::Mean(m) => s.se[1..].iter_mut().for_each(|x| *x = *m),
            // Certificates come from the parent's cells in the forward pass ([`Bound`]).
            Pipeline::Certified { .. } => {}
            Pipeline::Layer {
                lag,
                share,
                observed,
                ..
            } => {
                for ti in 1..ny {
                    let from = self.years[ti] - lag;
                    let v = if from > base {
                        parent_se.map_or(0.0, |v| v[(from - base) as usize])
                    } else {
                        by_year(observed, from).copied().unwrap_or(0.0)
                    };
                    s.se[ti] = share * v;
                }
            }
            Pipeline::Programme {
                share,
                routes,
                observed_graduates,
                observed_beginners,
                basis,
                change,
                ..
            } => {
                let total: f64 = basis.iter().sum();
                let nreg = basis.len();
                // Graduates of year y on route i: (baseline, unit intake, baseline from
                // intake_from on).
                let grads = |i: usize, y: i32| -> (f64, f64, f64) {
                    if y <= base {
                        let g = by_year(observed_graduates, y).map_or(0.0, |g| g[i]);
                        return (g, 0.0, 0.0);
                    }
                    let x = y - routes[i].programme_lag as i32;
                    let w = crate::model::supply::Route::share(routes, i, x);
                    if w == 0.0 {
                        return (0.0, 0.0, 0.0);
                    }
                    let (mut g, mut u, mut post) = (0.0, 0.0, 0.0);
                    let observed = (x <= base)
                        .then(|| by_year(observed_beginners, x))
                        .flatten();
                    for r in 0..nreg {
                        let b = match observed {
                            Some(v) => v[r],
                            None => {
                                let ahead = (x - base) as usize;
                                let tr = s.adm.get(ahead.wrapping_sub(1)).copied().unwrap_or(1.0);
                                basis[r] * tr * change[r]
                            }
                        };
                        g += s.completion[r] * b * w;
                        if observed.is_none() && x >= self.intake_from {
                            let split = if total > 0.0 {
                                basis[r] / total
                            } else {
                                1.0 / nreg as f64
                            };
                            u += s.completion[r] * split * w;
                            post += s.completion[r] * b * w;
                        }
                    }
                    (g, u, post)
                };
                for ti in 1..ny {
                    let t = self.years[ti];
                    let (mut se, mut unit, mut post) = (0.0, 0.0, 0.0);
                    for (i, route) in routes.iter().enumerate() {
                        let (l0, f) = route.licence_lag;
                        let a = grads(i, t - l0 as i32);
                        let b = grads(i, t - l0 as i32 - 1);
                        se += (1.0 - f) * a.0 + f * b.0;
                        unit += (1.0 - f) * a.1 + f * b.1;
                        post += (1.0 - f) * a.2 + f * b.2;
                    }
                    s.se[ti] = share * se;
                    s.se_unit[ti] = share * unit;
                    s.se_post[ti] = share * post;
                }
            }
        }
    }

    /// Draws profession `p`'s supply parameters of draw `d` into the scratch: exit rates,
    /// survival per cell, completion rates, admissions and foreign-licence factors.
    pub(super) fn sample_into(&self, p: usize, d: u64, seed: u64, pad: &Padded, s: &mut Scratch) {
        self.sample_stocks_into(p, d, seed, pad, s, true);
    }

    /// [`Kernel::sample_into`]; without `ratios` the employment-share and FTE factors, which come
    /// last from the stream and do not touch the stocks, are left out (a parent's cells drawn for
    /// its layer need only the stocks).
    fn sample_stocks_into(
        &self,
        p: usize,
        d: u64,
        seed: u64,
        pad: &Padded,
        s: &mut Scratch,
        ratios: bool,
    ) {
        let k = &self.profs[p];
        let nr = self.regions.len();
        let ny = self.years.len();
        let laws = self.laws;
        let mut rng = stream(seed, d, p as u64);
        // Exit rates: ages pooled for the estimate (the same rate from the same counts as the
        // age before) hold one rate's worth of information and share its draw; the last age's
        // rate is 1 by definition.
        s.exit.clear();
        for j in 0..2 * NA {
            let rate = match &pad.exit_laws[j] {
                Some(law) => law.draw(&mut rng),
                None if j % NA == NA - 1 => k.exit[j],
                None => s.exit[j - 1],
            };
            s.exit.push(rate);
        }
        // Survival laid out for the passes (see `Rows::surv`): lane `a + 1` holds age `a`'s.
        s.surv.clear();
        s.surv.resize(nr * 2 * S, 0.0);
        for (i, row) in s.surv.chunks_exact_mut(S).enumerate() {
            let q = k.region_exit[i / 2];
            let exit = &s.exit[(i % 2) * NA..(i % 2 + 1) * NA - 1];
            let moves = &k.region_move[(i / 2) * NA..(i / 2 + 1) * NA - 1];
            for ((to, x), m) in row[1..NA].iter_mut().zip(exit).zip(moves) {
                *to = 1.0 - ((x * q).min(1.0) + m).min(1.0);
            }
        }
        // Completion and admissions.
        s.completion.clear();
        s.adm.clear();
        if let Pipeline::Programme {
            completion,
            trend,
            model,
            ..
        } = &k.pipeline
        {
            debug_assert_eq!(completion.len(), pad.completion_laws.len());
            for law in &pad.completion_laws {
                s.completion.push(law.draw(&mut rng));
            }
            match (laws.admissions, model) {
                (Law::Trend, Some(m)) => {
                    let path = m.fit.simulate(ny - 1, || normal(&mut rng));
                    s.adm.extend(m.factors(&path));
                }
                _ => s.adm.extend_from_slice(trend),
            }
        }
        // Foreign licences: a factor per year ahead and origin.
        for o in 0..2 {
            let f = &mut s.f[o];
            f.clear();
            match (laws.foreign, &k.foreign_model[o]) {
                (Law::Trend, Some(m)) => {
                    let path = m.fit.simulate(ny - 1, || normal(&mut rng));
                    f.extend(m.factors(&path));
                }
                (Law::Estimated, _) => {
                    let (level_sd, year_sd) = k.foreign_sd[o];
                    let (drift, lead) = (k.foreign_drift.0[o], k.foreign_drift.1);
                    let level = libm::exp(level_sd * normal(&mut rng) - 0.5 * level_sd * level_sd);
                    let omega = drift * normal(&mut rng);
                    for i in 0..ny - 1 {
                        // Year index i + 1: the trend from the window's middle, mean kept at 1.
                        let at = i as f64 + 1.0 + lead;
                        let (trend, var) =
                            (omega * at, year_sd * year_sd + drift * drift * at * at);
                        let year = libm::exp(year_sd * normal(&mut rng) + trend - 0.5 * var);
                        f.push(level * year * k.foreign_trend[o].get(i).copied().unwrap_or(1.0));
                    }
                }
                (law, _) => {
                    let level = draw_factor(law, &mut rng);
                    f.extend(
                        (0..ny - 1)
                            .map(|i| level * k.foreign_trend[o].get(i).copied().unwrap_or(1.0)),
                    );
                }
            }
        }
        if !ratios {
            return;
        }
        // Employment share and FTE per employed: factors by year index (the base year's is 1). A
        // path runs from the last fitted employment year, through the nowcast years, to the horizon.
        for (i, law) in [laws.employment, laws.fte].into_iter().enumerate() {
            let (out, point, cap) = if i == 0 {
                (&mut s.emp, &k.employment_trend, k.employment_cap)
            } else {
                (&mut s.fte, &k.fte_trend, f64::INFINITY)
            };
            out.clear();
            match (law, &k.ratio_models[i]) {
                (Law::Trend, Some(m)) => {
                    let lead = k.ratio_lead;
                    let path = m.fit.simulate(lead + ny - 1, || normal(&mut rng));
                    out.push(1.0);
                    out.extend(m.factors(&path[lead..]).into_iter().map(|f| f.min(cap)));
                }
                _ => out.extend_from_slice(point),
            }
        }
    }

    /// Draws profession `p`'s process variation of draw `d` into the scratch (from its own
    /// stream, so the other parameters' draws are the same with or without it): the stocks'
    /// standard normal steps `[r][t]`, then the FTE ratio's log factors `[r][t]`
    /// (`σ_between·η_r + σ_within·ξ_{r,t}`, centred each year on the regions' FTE-weighted mean; 0 in the base year). Both stay empty when the scenario
    /// or the history gives none.
    pub(super) fn variation_into(&self, p: usize, d: u64, seed: u64, s: &mut Scratch) {
        let k = &self.profs[p];
        let (nr, ny) = (self.regions.len(), self.years.len());
        s.steps.clear();
        s.ratio.clear();
        s.trend.clear();
        let process = k.process.iter().chain(&k.drift).any(|&x| x > 0.0);
        let (between, within) = k.ratio_sd;
        let (level, yearly) = k.ratio_national;
        let (ratio_drift, ratio_lead) = k.ratio_trend;
        let (stock_drift, stock_lead) = k.stock_trend;
        let ratio = [between, within, level, yearly, ratio_drift]
            .iter()
            .any(|&x| x > 0.0);
        let (model_stock, model_ratio) = k.model_drift;
        if !process && !ratio && stock_drift == 0.0 && model_stock == 0.0 && model_ratio == 0.0 {
            return;
        }
        let mut rng = stream(seed, d, PROCESS_STREAM + p as u64);
        if process {
            // Year index 0 holds the region's lasting drift `drift[r]·η_r`; the others the
            // year's standard normal step.
            s.steps.resize(nr * ny, 0.0);
            for r in 0..nr {
                s.steps[r * ny] = k.drift[r] * normal(&mut rng);
                for ti in 1..ny {
                    s.steps[r * ny + ti] = normal(&mut rng);
                }
            }
            // Each year's steps combined so that their national sum has the national residuals'
            // variance: the part along the regions' weights scaled by √(φ_nat/φ).
            let gamma = 1.0 - k.national_scale;
            if gamma != 0.0 {
                s.weights.clear();
                s.weights
                    .extend((0..nr).map(|r| k.process[r] * k.base[r].1.max(0.0).sqrt()));
                let weight = &s.weights;
                let ss: f64 = weight.iter().map(|w| w * w).sum();
                if ss > 0.0 {
                    for ti in 1..ny {
                        let dot: f64 = (0..nr).map(|r| weight[r] * s.steps[r * ny + ti]).sum();
                        for r in 0..nr {
                            s.steps[r * ny + ti] -= gamma * weight[r] * dot / ss;
                        }
                    }
                }
            }
        }
        if ratio {
            s.ratio.resize(nr * ny, 0.0);
            for r in 0..nr {
                let lasting = between * normal(&mut rng);
                for ti in 1..ny {
                    s.ratio[r * ny + ti] = lasting + within * normal(&mut rng);
                }
            }
            // The deviations are measured around the national pattern, which the national
            // employment and FTE ratios already carry: each year's are centred on their
            // FTE-weighted mean, so that they move FTE between regions, not the nation's total.
            let total: f64 = k.base.iter().map(|b| b.0.max(0.0)).sum();
            if nr > 1 && total > 0.0 {
                for ti in 1..ny {
                    let mean: f64 = (0..nr)
                        .map(|r| k.base[r].0.max(0.0) * s.ratio[r * ny + ti])
                        .sum::<f64>()
                        / total;
                    for r in 0..nr {
                        s.ratio[r * ny + ti] -= mean;
                    }
                }
            }
            // The nation's own year effect, shared by every region.
            let lasting = level * normal(&mut rng);
            for ti in 1..ny {
                let common = lasting + yearly * normal(&mut rng);
                for r in 0..nr {
                    s.ratio[r * ny + ti] += common;
                }
            }
            // A random trend of the nation's FTE per licensed person, from the window's middle.
            if ratio_drift > 0.0 {
                let omega = ratio_drift * normal(&mut rng);
                for ti in 1..ny {
                    let t = omega * (ti as f64 + ratio_lead);
                    for r in 0..nr {
                        s.ratio[r * ny + ti] += t;
                    }
                }
            }
        }
        // A random trend of the national stock's growth: its log factor by year index.
        if stock_drift > 0.0 {
            let omega = stock_drift * normal(&mut rng);
            s.trend.resize(ny, 0.0);
            for ti in 1..ny {
                s.trend[ti] = s.trend[ti - 1] + omega * (ti as f64 + stock_lead);
            }
        }
        // The model's own error: a random drift of the national stock, on the same log factors,
        // and one of the nation's FTE per licensed person, on every region's FTE factors.
        if model_stock > 0.0 {
            let omega = model_stock * normal(&mut rng);
            s.trend.resize(ny, 0.0);
            for ti in 1..ny {
                s.trend[ti] += omega * ti as f64;
            }
        }
        if model_ratio > 0.0 {
            let omega = model_ratio * normal(&mut rng);
            s.ratio.resize(nr * ny, 0.0);
            for r in 0..nr {
                for ti in 1..ny {
                    s.ratio[r * ny + ti] += omega * ti as f64;
                }
            }
        }
    }

    /// The parameters draw `d` takes for profession `p` (what a second implementation needs to
    /// reproduce the draw): exit rates `[s][a]`, completion rates by health-care region, admissions
    /// factors and EU/EEA and third-country licence factors by years ahead, the imbalance shift, and
    /// the growth factors' shifts.
    pub fn sample(&self, p: usize, d: u64, seed: u64) -> Sample {
        let mut s = Scratch::default();
        let pad = Padded::new(&self.profs[p], self.laws);
        self.sample_into(p, d, seed, &pad, &mut s);
        let mut rng = stream(seed, d, IMBALANCE_STREAM + p as u64);
        let imbalance = draw_shift(self.laws.imbalance, &mut rng);
        let mut rng = stream(seed, d, DEMAND_STREAM);
        let growth = (0..self.profs[p].growth.len())
            .map(|_| draw_shift(self.laws.growth, &mut rng))
            .collect();
        self.variation_into(p, d, seed, &mut s);
        Sample {
            exit: s.exit,
            completion: s.completion,
            admissions: s.adm,
            foreign: s.f,
            imbalance,
            growth,
            employment: s.emp,
            fte: s.fte,
            steps: s.steps,
            ratio: s.ratio,
            trend: s.trend,
            population: {
                let mut v = vec![1.0; self.regions.len() * self.years.len()];
                self.population_error(d, seed, &mut v);
                if self.population_sd == 0.0 {
                    Vec::new()
                } else {
                    v.iter().map(|x| x.ln()).collect()
                }
            },
        }
    }

    /// One draw's record of profession `p`: `[licensed, supply, demand][region + nation][year]`,
    /// the required intake, then the national Swedish licences by year.
    pub fn record(&self, p: usize, d: u64, seed: u64, parent_se: Option<&[f64]>) -> Vec<f64> {
        let mut slot = vec![0.0; self.rec_len()];
        let pad = Padded::new(&self.profs[p], self.laws);
        let parent_pad = self.profs[p]
            .bound
            .map(|q| Padded::new(&self.profs[q], self.laws));
        self.draw(
            p,
            d,
            seed,
            parent_se,
            None,
            &pad,
            parent_pad.as_ref(),
            &mut Scratch::default(),
            &mut slot,
        );
        // What a unit member or a split records after the licences is the run's own.
        slot.truncate(record_len(self.regions.len(), self.years.len()));
        slot
    }

    /// Swedish licences of profession `p` by year index as an affine function of the completion
    /// rates at the point admissions: `(constant, coefficient [year][region])` for the baseline, the
    /// unit-intake response and the baseline's part from `intake_from` on (coefficients only).
    pub fn swedish_coefficients(&self, p: usize) -> [(Vec<f64>, Vec<f64>); 3] {
        let ny = self.years.len();
        if let Pipeline::Programme {
            completion, trend, ..
        } = &self.profs[p].pipeline
        {
            let mut s = Scratch {
                adm: trend.clone(),
                ..Scratch::default()
            };
            let nreg = completion.len();
            let mut out: [(Vec<f64>, Vec<f64>); 3] = Default::default();
            s.completion = vec![0.0; nreg];
            self.swedish(p, None, &mut s);
            out[0].0 = s.se.clone();
            out[1].0 = s.se_unit.clone();
            out[2].0 = s.se_post.clone();
            for o in &mut out {
                o.1 = vec![0.0; ny * nreg];
            }
            for r in 0..nreg {
                s.completion = (0..nreg).map(|x| f64::from(u8::from(x == r))).collect();
                self.swedish(p, None, &mut s);
                for ti in 0..ny {
                    out[0].1[ti * nreg + r] = s.se[ti] - out[0].0[ti];
                    out[1].1[ti * nreg + r] = s.se_unit[ti] - out[1].0[ti];
                    out[2].1[ti * nreg + r] = s.se_post[ti] - out[2].0[ti];
                }
            }
            return out;
        }
        let mut s = Scratch::default();
        self.swedish(p, None, &mut s);
        [
            (s.se, Vec::new()),
            (vec![0.0; ny], Vec::new()),
            (vec![0.0; ny], Vec::new()),
        ]
    }

    /// The forward pass of profession `p` with the draw's parameters in `s`: licensed persons and
    /// FTE by region into `lic` and `sup` (`[r][t]`, the base year observed), before the national
    /// stock's trend and the FTE factors; `cells` sees each region's state every year.
    fn stocks<C: Cells>(
        &self,
        p: usize,
        pad: &Padded,
        s: &mut Scratch,
        lic: &mut [f64],
        sup: &mut [f64],
        cells: &mut C,
    ) {
        let k = &self.profs[p];
        let ny = self.years.len();
        let constant_foreign = ny > 1
            && s.f[0].iter().all(|x| *x == s.f[0][0])
            && s.f[1].iter().all(|x| *x == s.f[1][0]);
        if constant_foreign {
            let (fe, ft) = (s.f[0][0], s.f[1][0]);
            s.fixed.clear();
            s.fixed
                .extend(pad.f[0].iter().zip(&pad.f[1]).map(|(a, b)| fe * a + ft * b));
        }
        for (r, base) in k.base.iter().enumerate() {
            sup[r * ny] = base.0;
            lic[r * ny] = base.1;
        }
        forward(
            &Rows {
                fixed: constant_foreign.then_some(&s.fixed[..]),
                pad,
                surv: &s.surv,
                se: &s.se,
                route: &k.se_route,
                fe: &s.f[0],
                ft: &s.f[1],
                process: (!s.steps.is_empty()).then_some((&k.process[..], &s.steps[..])),
            },
            lic,
            sup,
            cells,
        );
    }

    /// Draw `d` of parent `q`'s cells by year into `s.cells` (see [`Keep`]), and into `s.scale`
    /// the factor its national stock trend puts on them by year index (1 without one): what
    /// bounds a layer of `q` in the same draw. Leaves the rest of the scratch to be overwritten.
    fn parent_cells(&self, q: usize, d: u64, seed: u64, pad: &Padded, s: &mut Scratch) {
        let (nr, ny) = (self.regions.len(), self.years.len());
        self.sample_stocks_into(q, d, seed, pad, s, false);
        self.swedish(q, None, s);
        self.variation_into(q, d, seed, s);
        let mut kept = std::mem::take(&mut s.cells);
        kept.clear();
        kept.resize(ny * nr * 2 * S, 0.0);
        let mut sums = std::mem::take(&mut s.sums);
        sums.clear();
        sums.resize(2 * nr * ny, 0.0);
        let (lic, sup) = sums.split_at_mut(nr * ny);
        self.stocks(
            q,
            pad,
            s,
            lic,
            sup,
            &mut Keep {
                out: &mut kept,
                regions: nr,
            },
        );
        // Year 0: the base-year stock, in the passes' layout (age `a` in lane `a + 1`).
        for (i, row) in kept[..nr * 2 * S].chunks_exact_mut(S).enumerate() {
            row[1..1 + NA].copy_from_slice(&pad.l0[i * S..i * S + NA]);
        }
        s.scale.clear();
        s.scale
            .extend((0..ny).map(|ti| s.trend.get(ti).map_or(1.0, |t| libm::exp(*t))));
        (s.cells, s.sums) = (kept, sums);
    }

    /// One draw's normal equations of the split over the health-care regions (see
    /// [`super::destinations`]'s module doc), into `out` (`UᵀU` row by row, then `Uᵀg`): for each
    /// window year `T` and county `c`, the gap `g_c(T)` = demand − (supply − the baseline's
    /// licences from `intake_from` on, by the adjoint's county rows), and the columns
    /// `u[r, c](T) = (c_r / C̄)·M[r, c]·k_c(T)` with `k_c(T)` the FTE in `T` of one beginner a
    /// year's licences settling in county `c` (its rows of the adjoint over its part of the entry
    /// profile). The same quantities as the point projection's [`super::destinations::split`],
    /// from the draw's parameters.
    #[allow(clippy::too_many_arguments)]
    fn county_normal(
        &self,
        k: &ProfKernel,
        rs: &RegionSplit,
        s: &Scratch,
        sup: &[f64],
        dem: &[f64],
        last: usize,
        out: &mut [f64],
    ) {
        let (nc, ny, n) = (self.regions.len(), self.years.len(), rs.hosts.len());
        out.fill(0.0);
        let Some(weight) =
            crate::model::destinations::host_weights(&rs.today, &s.completion, &rs.hosts)
        else {
            return;
        };
        let post = if k.se_post_margin.is_empty() {
            &k.se_margin
        } else {
            &k.se_post_margin
        };
        let mut u = [0.0; MAX_SPLIT_HOSTS];
        for &target in &self.window {
            let shift = last - target;
            let ratio = s.emp[target] * s.fte[target];
            for c in 0..nc {
                // A county no beginner's licence reaches adds nothing to either side.
                if k.se_margin[c] <= 0.0 || rs.entry[c] <= 0.0 {
                    continue;
                }
                let h = &s.h_county[c * ny..(c + 1) * ny];
                let (mut unit, mut off) = (0.0, 0.0);
                for ti in 1..=target {
                    unit += s.se_unit[ti] * h[ti + shift];
                    off += s.se_post[ti] * h[ti + shift];
                }
                let gap = dem[c * ny + target] - (sup[c * ny + target] - post[c] * off * ratio);
                let per_licence = unit * ratio / rs.entry[c];
                for j in 0..n {
                    u[j] = weight[j] * rs.to_county[j][c] * per_licence;
                }
                for i in 0..n {
                    for j in i..n {
                        out[i * n + j] += u[i] * u[j];
                    }
                    out[n * n + i] += u[i] * gap;
                }
            }
        }
        // The lower triangle from the upper.
        for i in 0..n {
            for j in 0..i {
                out[i * n + j] = out[j * n + i];
            }
        }
    }

    /// One draw of one profession, into `slot` (see [`record_len`]); `population`: the draw's
    /// population factors when made beforehand.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn draw(
        &self,
        p: usize,
        d: u64,
        seed: u64,
        parent_se: Option<&[f64]>,
        population: Option<&[f64]>,
        pad: &Padded,
        parent_pad: Option<&Padded>,
        s: &mut Scratch,
        slot: &mut [f64],
    ) {
        let k = &self.profs[p];
        let nr = self.regions.len();
        let ny = self.years.len();
        // A layer's bound: its parent's cells in the same draw (the parent's own parameters,
        // streams and passes, so the same bits as the parent's record).
        let bounded = match (k.bound, parent_pad) {
            (Some(q), Some(qpad)) => {
                self.parent_cells(q, d, seed, qpad, s);
                true
            }
            _ => false,
        };
        self.sample_into(p, d, seed, pad, s);
        self.swedish(p, parent_se, s);
        self.variation_into(p, d, seed, s);
        if bounded && !s.trend.is_empty() {
            for (b, t) in s.scale.iter_mut().zip(&s.trend) {
                *b /= libm::exp(*t);
            }
        }
        // Forward: stocks, FTE and licensed persons by region.
        let (lic_at, sup_at, dem_at) = (0, (nr + 1) * ny, 2 * (nr + 1) * ny);
        {
            let (lic, rest) = slot[lic_at..].split_at_mut(sup_at - lic_at);
            let sup = &mut rest[..nr * ny];
            let lic = &mut lic[..nr * ny];
            if bounded {
                let (parent, scale) = (std::mem::take(&mut s.cells), std::mem::take(&mut s.scale));
                let mut bound = Bound {
                    parent: &parent,
                    scale: &scale,
                    w: &pad.w,
                    regions: nr,
                    rates: match &k.pipeline {
                        Pipeline::Certified { rates, scale } => Some((&rates[..], &scale[..])),
                        _ => None,
                    },
                };
                self.stocks(p, pad, s, lic, sup, &mut bound);
                (s.cells, s.scale) = (parent, scale);
            } else {
                self.stocks(p, pad, s, lic, sup, &mut ());
            }
            // The national stock's random trend, on every region's licensed persons and FTE.
            if !s.trend.is_empty() {
                for ti in 1..ny {
                    let f = libm::exp(s.trend[ti]);
                    for r in 0..nr {
                        lic[r * ny + ti] *= f;
                        sup[r * ny + ti] *= f;
                    }
                }
            }
            // Each region's FTE per licensed person strays from the national pattern.
            if !s.ratio.is_empty() {
                for (x, f) in sup.iter_mut().zip(&s.ratio) {
                    if *f != 0.0 {
                        *x *= libm::exp(*f);
                    }
                }
            }
            // The employment-share and FTE trends scale every region's supply in their year.
            if s.emp.iter().chain(&s.fte).any(|&f| f != 1.0) {
                for r in 0..nr {
                    for ti in 1..ny {
                        sup[r * ny + ti] *= s.emp[ti] * s.fte[ti];
                    }
                }
            }
        }
        // Demand.
        self.demand(p, d, seed, population, s);
        slot[dem_at..dem_at + nr * ny].copy_from_slice(&s.demand);
        // National sums.
        for v in 0..3 {
            let at = v * (nr + 1) * ny;
            for ti in 0..ny {
                slot[at + nr * ny + ti] = (0..nr).map(|r| slot[at + r * ny + ti]).sum();
            }
        }
        // Required intake by the adjoint: for each year T of the window, g[t] = national FTE in T
        // per licence entering (with the Swedish profile) in year t; then the scenario's rule over
        // the window, floored at 0 as the published figure is.
        let req_at = 3 * (nr + 1) * ny;
        slot[req_at] = f64::NAN;
        if matches!(k.pipeline, Pipeline::Programme { .. }) {
            s.window.clear();
            // Survival, the entry profile and the FTE weights do not change with the year, so the
            // FTE in year T per licence entering in year t depends on T − t alone: one adjoint
            // pass from the window's last year gives every target's (the same operations, so the
            // same bits, as a pass from each target).
            let last = self.window.iter().copied().max().unwrap_or(0);
            s.h.clear();
            s.h.resize(ny, 0.0);
            s.h_county.clear();
            if k.regional.is_some() {
                s.h_county.resize(nr * ny, 0.0);
            }
            adjoint(&s.surv, pad, &k.se_margin, last, &mut s.h, &mut s.h_county);
            s.h_post.clear();
            if !k.se_post_margin.is_empty() {
                s.h_post.resize(ny, 0.0);
                adjoint(
                    &s.surv,
                    pad,
                    &k.se_post_margin,
                    last,
                    &mut s.h_post,
                    &mut [],
                );
            }
            let tail = self.in_unit(p);
            if tail {
                self.pulse_licences(p, &s.completion, &mut s.pulse);
            }
            let (tail_at, nw, npulse) = (record_len(nr, ny), self.window.len(), self.pulses());
            for (w, &target) in self.window.iter().enumerate() {
                s.v.clear();
                s.v.resize(ny, 0.0);
                let shift = last - target;
                for ti in 1..=target {
                    s.v[ti] = s.h[ti + shift];
                }
                // FTE per licence in the target year carries that year's trend factors.
                let ratio = s.emp[target] * s.fte[target];
                if ratio != 1.0 {
                    s.v.iter_mut().for_each(|g| *g *= ratio);
                }
                let (mut s0, mut slope) = (slot[sup_at + nr * ny + target], 0.0);
                for ti in (1..=target).rev() {
                    let g = s.v[ti];
                    // The baseline's licences from intake_from on enter where they settle.
                    let g_post = match s.h_post.get(ti + shift) {
                        Some(h) if ratio != 1.0 => h * ratio,
                        Some(h) => *h,
                        None => g,
                    };
                    s0 -= s.se_post[ti] * g_post;
                    slope += s.se_unit[ti] * g;
                }
                // A unit member records the window year and its response to each intake year.
                if tail {
                    let at = tail_at + 3 * w;
                    slot[at] = s0;
                    slot[at + 1] = slope;
                    slot[at + 2] = slot[dem_at + nr * ny + target];
                    let v = |i: usize| if i <= target { s.v[i] } else { 0.0 };
                    let responses = &mut slot[tail_at + 3 * nw + 2 + w * npulse..][..npulse];
                    responses.fill(0.0);
                    for &(y, lic, ti, f) in &s.pulse {
                        responses[y] += lic * ((1.0 - f) * v(ti) + f * v(ti + 1));
                    }
                }
                s.window.push(crate::model::intake::Year {
                    s0,
                    slope,
                    demand: slot[dem_at + nr * ny + target],
                });
            }
            if tail {
                slot[tail_at + 3 * nw] = slot[sup_at + nr * ny];
                slot[tail_at + 3 * nw + 1] = slot[dem_at + nr * ny];
            }
            if let Some(rs) = &k.regional {
                let at = tail_at + self.tail_len();
                let n = rs.hosts.len();
                let (sup, dem) = (
                    &slot[sup_at..sup_at + nr * ny],
                    &slot[dem_at..dem_at + nr * ny],
                );
                let mut normal = [0.0; MAX_SPLIT_HOSTS * (MAX_SPLIT_HOSTS + 1)];
                self.county_normal(k, rs, s, sup, dem, last, &mut normal[..n * n + n]);
                slot[at..at + n * n + n].copy_from_slice(&normal[..n * n + n]);
            }
            let parts = crate::model::intake::decompose(
                self.rule,
                &s.window,
                slot[sup_at + nr * ny],
                slot[dem_at + nr * ny],
                self.close_gap,
            );
            if let Some(a) = parts.map(|x| x.total()).filter(|a| a.is_finite()) {
                slot[req_at] = a.max(0.0);
            }
        }
        // National Swedish licences, for layers.
        for ti in 0..ny {
            slot[req_at + 1 + ti] = s.se[ti] * pad.prof_total;
        }
    }
}
