//! The passes over one profession's rows: arrays padded to whole eight-lane blocks, the row
//! operations (portable, and AVX2 where the processor has it: the same operations in the same
//! order), the forward pass and the adjoint.

use super::*;

/// Lanes the passes run over per row: the ages and one more (the slot a cohort leaving the last
/// age would move into, always 0), rounded up to whole accumulators.
pub(super) const U: usize = (NA + 1).next_multiple_of(L);
/// Row stride of the padded arrays: room for the forward pass's one-slot offset and the adjoint's
/// read one age ahead, with zeros.
pub(super) const S: usize = U + 8;

/// One profession's fixed arrays laid out for the passes: rows of [`S`] lanes (ages first, then
/// zeros), so that every row is whole vectors and no pass needs a tail.
#[derive(Clone, Debug, Default)]
pub(super) struct Padded {
    /// Base-year stock `[r][s]` rows.
    pub(super) l0: Vec<f64>,
    /// Profile of Swedish licences.
    pub(super) prof: Vec<f64>,
    /// Mean foreign licences, EU/EEA and third country.
    pub(super) f: [Vec<f64>; 2],
    /// FTE weights, one row per sex.
    pub(super) w: Vec<f64>,
    /// The sum of the profile of Swedish licences (1, or 0 without licences).
    pub(super) prof_total: f64,
    /// The first and last age with a non-zero profile, by row (`None`: none).
    pub(super) prof_span: Vec<Option<(usize, usize)>>,
    /// Exit rates' laws `[s][a]`: `None` where the age shares the draw of the age before (ages
    /// pooled for the estimate hold one rate's worth of information) or is the last (its rate is
    /// 1 by definition).
    pub(super) exit_laws: Vec<Option<RateLaw>>,
    /// Completion rates' laws by health-care region.
    pub(super) completion_laws: Vec<RateLaw>,
}

/// The first and last lane of each padded row that is not zero.
pub(super) fn spans(v: &[f64]) -> Vec<Option<(usize, usize)>> {
    v.chunks_exact(S)
        .map(|r| {
            let lo = r.iter().position(|x| *x != 0.0)?;
            let hi = r.iter().rposition(|x| *x != 0.0)?;
            Some((lo, hi))
        })
        .collect()
}

/// `v`'s rows of [`NA`] ages as rows of [`S`] lanes.
pub(super) fn pad_rows(v: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; v.len() / NA * S];
    for (o, i) in out.chunks_exact_mut(S).zip(v.chunks_exact(NA)) {
        o[..NA].copy_from_slice(i);
    }
    out
}

impl Padded {
    pub(super) fn new(k: &ProfKernel, laws: Laws) -> Padded {
        let exit_laws = (0..2 * NA)
            .map(|j| {
                let pooled = j % NA > 0
                    && k.exit[j] == k.exit[j - 1]
                    && k.exit_counts[j] == k.exit_counts[j - 1];
                (j % NA != NA - 1 && !pooled)
                    .then(|| RateLaw::new(k.exit[j], k.exit_counts[j], laws.exit, true))
            })
            .collect();
        let completion_laws = match &k.pipeline {
            Pipeline::Programme {
                completion, counts, ..
            } => completion
                .iter()
                .enumerate()
                .map(|(r, &c)| {
                    let n = counts.get(r).copied().unwrap_or((0.0, 0.0));
                    RateLaw::new(c, n, laws.completion, false)
                })
                .collect(),
            _ => Vec::new(),
        };
        let prof = pad_rows(&k.se_profile);
        Padded {
            l0: pad_rows(&k.l0),
            prof_span: spans(&prof),
            prof,
            f: [pad_rows(&k.foreign[0]), pad_rows(&k.foreign[1])],
            w: pad_rows(&k.w),
            prof_total: k.se_profile.iter().sum(),
            exit_laws,
            completion_laws,
        }
    }
}

/// One profession's arrays for the forward pass (rows of [`S`] lanes, see [`Padded`]), and the
/// draw's survival, Swedish licences by year and foreign factors by years ahead.
pub(super) struct Rows<'a> {
    /// `fe·f0 + ft·f1` when the foreign factors are the same every year (then `fe`, `ft` are not
    /// read): one stream instead of two.
    pub(super) fixed: Option<&'a [f64]>,
    pub(super) pad: &'a Padded,
    /// Survival into each lane from the lane before: `surv[j]` is the share of age `j − 1` that
    /// stays a year (0 in lane 0 and past the last age).
    pub(super) surv: &'a [f64],
    pub(super) se: &'a [f64],
    /// Each region's factor on the year's Swedish licences against its profile, `[r][t]`
    /// ([`super::ProfKernel::se_route`]; empty: 1).
    pub(super) route: &'a [f64],
    pub(super) fe: &'a [f64],
    pub(super) ft: &'a [f64],
    /// Process variation: `√(φ·τ)` by region and the standard normal steps `[r][t]`.
    pub(super) process: Option<(&'a [f64], &'a [f64])>,
}

/// Row `i` of a padded array.
#[inline(always)]
pub(super) fn row(v: &[f64], i: usize) -> &[f64; S] {
    v[i * S..(i + 1) * S].try_into().expect("a padded row")
}

/// Lanes of the accumulators (two four-lane vectors, or one eight-lane vector).
pub(super) const L: usize = 8;

/// An accumulator's lanes added in a fixed order.
#[inline(always)]
pub(super) fn total(acc: &[f64; L]) -> f64 {
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

/// The two row operations of the passes. Both implementations do the same operations in the same
/// order per lane (a multiply and an add are never fused), so they give the same bits.
pub(super) trait RowOps {
    /// One row one year on: `cur[1 + j] = prev[j]·surv[j] + (se·prof[j] + fx[j])` (the state sits
    /// one lane right of its ages, so lane 0 of `prev` is the empty age before the first), adding
    /// the new persons and their FTE into the accumulators.
    ///
    /// # Safety
    ///
    /// The implementation's instructions must be present.
    #[allow(clippy::too_many_arguments)]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    );

    /// One row one year back over the accumulator-wide blocks `blocks` of lanes:
    /// `new[a] = surv[a + 1]·old[a + 1]` (when `shift`; `surv[a + 1]` is the survival of age `a`),
    /// then `acc += new·prof` lane by lane.
    ///
    /// # Safety
    ///
    /// As [`RowOps::step`].
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    );
}

/// Plain Rust, vectorised as the compiler sees fit.
pub(super) struct Portable;

impl RowOps for Portable {
    #[inline(always)]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    ) {
        for v in 0..U / L {
            for l in 0..L {
                let j = L * v + l;
                let x = prev[j] * surv[j] + (se * prof[j] + fx[j]);
                cur[1 + j] = x;
                acc[0][l] += x;
                acc[1][l] += x * w[j];
            }
        }
    }

    #[inline(always)]
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    ) {
        for v in blocks {
            for l in 0..L {
                let j = L * v + l;
                if shift {
                    new[j] = surv[j + 1] * old[j + 1];
                }
                acc[l] += new[j] * prof[j];
            }
        }
    }
}

/// AVX2: eight lanes as two four-lane vectors, accumulators in registers.
#[cfg(target_arch = "x86_64")]
pub(super) struct Avx2;

#[cfg(target_arch = "x86_64")]
impl RowOps for Avx2 {
    #[target_feature(enable = "avx2")]
    unsafe fn step(
        prev: &[f64; S],
        cur: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        fx: &[f64; S],
        w: &[f64; S],
        se: f64,
        acc: &mut [[f64; L]; 2],
    ) {
        use std::arch::x86_64::*;
        // SAFETY: every load and store is inside a row of S ≥ U + 1 lanes.
        unsafe {
            let (p, c, s, pr, f, ww) = (
                prev.as_ptr(),
                cur.as_mut_ptr(),
                surv.as_ptr(),
                prof.as_ptr(),
                fx.as_ptr(),
                w.as_ptr(),
            );
            let sev = _mm256_set1_pd(se);
            let mut l = [
                _mm256_loadu_pd(acc[0].as_ptr()),
                _mm256_loadu_pd(acc[0].as_ptr().add(4)),
            ];
            let mut e = [
                _mm256_loadu_pd(acc[1].as_ptr()),
                _mm256_loadu_pd(acc[1].as_ptr().add(4)),
            ];
            for v in 0..U / L {
                for h in 0..2 {
                    let j = L * v + 4 * h;
                    let stay = _mm256_mul_pd(_mm256_loadu_pd(p.add(j)), _mm256_loadu_pd(s.add(j)));
                    let new = _mm256_add_pd(
                        _mm256_mul_pd(sev, _mm256_loadu_pd(pr.add(j))),
                        _mm256_loadu_pd(f.add(j)),
                    );
                    let x = _mm256_add_pd(stay, new);
                    _mm256_storeu_pd(c.add(1 + j), x);
                    l[h] = _mm256_add_pd(l[h], x);
                    e[h] = _mm256_add_pd(e[h], _mm256_mul_pd(x, _mm256_loadu_pd(ww.add(j))));
                }
            }
            _mm256_storeu_pd(acc[0].as_mut_ptr(), l[0]);
            _mm256_storeu_pd(acc[0].as_mut_ptr().add(4), l[1]);
            _mm256_storeu_pd(acc[1].as_mut_ptr(), e[0]);
            _mm256_storeu_pd(acc[1].as_mut_ptr().add(4), e[1]);
        }
    }

    #[target_feature(enable = "avx2")]
    unsafe fn back(
        old: &[f64; S],
        new: &mut [f64; S],
        surv: &[f64; S],
        prof: &[f64; S],
        shift: bool,
        blocks: std::ops::Range<usize>,
        acc: &mut [f64; L],
    ) {
        use std::arch::x86_64::*;
        assert!(blocks.end <= U / L);
        // SAFETY: every load and store is inside a row of S ≥ U + 1 lanes (blocks end by U / L).
        unsafe {
            let (o, n, s, pr) = (old.as_ptr(), new.as_mut_ptr(), surv.as_ptr(), prof.as_ptr());
            let mut a = [
                _mm256_loadu_pd(acc.as_ptr()),
                _mm256_loadu_pd(acc.as_ptr().add(4)),
            ];
            for v in blocks {
                for h in 0..2 {
                    let j = L * v + 4 * h;
                    let x = if shift {
                        let x = _mm256_mul_pd(
                            _mm256_loadu_pd(s.add(j + 1)),
                            _mm256_loadu_pd(o.add(j + 1)),
                        );
                        _mm256_storeu_pd(n.add(j), x);
                        x
                    } else {
                        _mm256_loadu_pd(n.add(j))
                    };
                    a[h] = _mm256_add_pd(a[h], _mm256_mul_pd(x, _mm256_loadu_pd(pr.add(j))));
                }
            }
            _mm256_storeu_pd(acc.as_mut_ptr(), a[0]);
            _mm256_storeu_pd(acc.as_mut_ptr().add(4), a[1]);
        }
    }
}

/// What the forward pass does with a region's state after each year's step and process variation:
/// its two rows (one per sex, a cohort's age `a` in lane `a + 1`) and the region's sums of licensed
/// persons and FTE, which it may change together.
pub(super) trait Cells {
    /// New persons of region `r` in year index `ti` that depend on the state: `prev` the region's
    /// rows of the year before, `cur` this year's after the step (before process variation).
    /// Whether it added any (the region's sums are then added again from the rows).
    #[inline(always)]
    fn inflow(&mut self, r: usize, ti: usize, prev: &[[f64; S]], cur: &mut [[f64; S]]) -> bool {
        let _ = (r, ti, prev, cur);
        false
    }

    /// Region `r`'s rows in year index `ti`, and its sums `(licensed, FTE)`.
    fn year(&mut self, r: usize, ti: usize, rows: &mut [[f64; S]], sums: (&mut f64, &mut f64));
}

/// Region `r`'s sums of licensed persons and FTE from its two rows (FTE with the weights `w`).
fn sums_of(rows: &[[f64; S]], w: &[f64], r: usize) -> (f64, f64) {
    let (mut l, mut f) = (0.0, 0.0);
    for (sx, cells) in rows.iter().enumerate() {
        let w = row(w, 2 * r + sx);
        for j in 0..U {
            l += cells[1 + j];
            f += cells[1 + j] * w[j];
        }
    }
    (l, f)
}

/// Nothing: the pass as it is.
impl Cells for () {
    #[inline(always)]
    fn year(&mut self, _: usize, _: usize, _: &mut [[f64; S]], _: (&mut f64, &mut f64)) {}
}

/// Keeps every region's rows of every year: `out[(ti·regions + r)·2 + sex]` rows of [`S`] lanes
/// (the parent's cells, which bound a layer's).
pub(super) struct Keep<'a> {
    pub(super) out: &'a mut [f64],
    pub(super) regions: usize,
}

impl Cells for Keep<'_> {
    fn year(&mut self, r: usize, ti: usize, rows: &mut [[f64; S]], _: (&mut f64, &mut f64)) {
        let at = (ti * self.regions + r) * 2 * S;
        for (o, row) in self.out[at..at + 2 * S]
            .chunks_exact_mut(S)
            .zip(rows.iter())
        {
            o.copy_from_slice(row);
        }
    }
}

/// Holds a layer within its parent: each lane at most the parent's kept cell ([`Keep`]) times
/// `scale[ti]`; where a lane is cut, the region's sums are added again from its rows (FTE with the
/// weights `w`), so that a draw the bound never touches keeps its bits. With certification rates
/// (`rates[s][a]`, [`Pipeline::Certified`]) it also adds each year's certificates: the rate of
/// age `a` times the parent's persons aged `a − 1` the year before (times that year's scale)
/// less the layer's own, at least 0, times the region's factor of the year where the layer is fed
/// by the ST starts (the second slice, `[year][region]`; empty otherwise).
pub(super) struct Bound<'a> {
    pub(super) parent: &'a [f64],
    pub(super) scale: &'a [f64],
    pub(super) w: &'a [f64],
    pub(super) regions: usize,
    pub(super) rates: Option<(&'a [f64], &'a [f64])>,
}

impl Cells for Bound<'_> {
    fn inflow(&mut self, r: usize, ti: usize, prev: &[[f64; S]], cur: &mut [[f64; S]]) -> bool {
        let Some((rates, st)) = self.rates else {
            return false;
        };
        let at = ((ti - 1) * self.regions + r) * 2 * S;
        let scale = self.scale[ti - 1];
        let k = st.get(ti * self.regions + r).copied();
        let parent = &self.parent[at..at + 2 * S];
        for (sx, (cur, prev)) in cur.iter_mut().zip(prev).enumerate() {
            let parent = &parent[sx * S..(sx + 1) * S];
            // Lane `a` of the year before holds age `a − 1`; age `a` is lane `a + 1` now.
            for a in 1..NA {
                let without = parent[a] * scale - prev[a];
                if without > 0.0 {
                    let by_rate = rates[sx * NA + a] * without;
                    cur[1 + a] += match k {
                        Some(k) => by_rate * k,
                        None => by_rate,
                    };
                }
            }
        }
        true
    }

    fn year(&mut self, r: usize, ti: usize, rows: &mut [[f64; S]], sums: (&mut f64, &mut f64)) {
        let at = (ti * self.regions + r) * 2 * S;
        let scale = self.scale[ti];
        let mut cut = false;
        for (row, parent) in rows
            .iter_mut()
            .zip(self.parent[at..at + 2 * S].chunks_exact(S))
        {
            for (x, p) in row.iter_mut().zip(parent) {
                let most = p * scale;
                if *x > most {
                    *x = most;
                    cut = true;
                }
            }
        }
        if cut {
            (*sums.0, *sums.1) = sums_of(rows, self.w, r);
        }
    }
}

/// Regions the passes take at a time: their arrays stay in the first-level cache across all
/// their years.
pub(super) const BLOCK: usize = 3;

/// The forward pass, a block of regions at a time (a cohort never leaves its region and sex, so a
/// block runs through all its years before the next starts). Licensed persons and FTE go into
/// `lic` and `sup` (`[r][year]`, year 0 left alone).
#[inline(always)]
pub(super) fn forward_body<O: RowOps, C: Cells>(
    x: &Rows<'_>,
    lic: &mut [f64],
    sup: &mut [f64],
    cells: &mut C,
) {
    let ny = x.se.len();
    let regions = x.pad.l0.len() / (2 * S);
    // Two state buffers used in turn; lane 0 of every row stays 0.
    let mut bufs = [[[0.0; S]; 2 * BLOCK]; 2];
    let mut inflow = [0.0; S];
    for first in (0..regions).step_by(BLOCK) {
        let nb = BLOCK.min(regions - first);
        for i in 0..2 * nb {
            bufs[0][i] = [0.0; S];
            bufs[0][i][1..1 + NA].copy_from_slice(&row(&x.pad.l0, 2 * first + i)[..NA]);
        }
        for ti in 1..ny {
            let se = x.se[ti];
            let [b0, b1] = &mut bufs;
            let (p, c) = if ti % 2 == 1 { (&*b0, b1) } else { (&*b1, b0) };
            for rb in 0..nb {
                let r = first + rb;
                let se = match x.route.get(r * ny + ti) {
                    Some(f) => se * f,
                    None => se,
                };
                let mut acc = [[0.0; L]; 2];
                for sx in 0..2 {
                    let (i, at) = (2 * rb + sx, 2 * r + sx);
                    let fx = match x.fixed {
                        Some(fixed) => row(fixed, at),
                        None => {
                            let (fe, ft) = (x.fe[ti - 1], x.ft[ti - 1]);
                            let (f0, f1) = (row(&x.pad.f[0], at), row(&x.pad.f[1], at));
                            for j in 0..U {
                                inflow[j] = fe * f0[j] + ft * f1[j];
                            }
                            &inflow
                        }
                    };
                    // SAFETY: the caller checked O's instructions.
                    unsafe {
                        O::step(
                            &p[i],
                            &mut c[i],
                            row(x.surv, at),
                            row(&x.pad.prof, at),
                            fx,
                            row(&x.pad.w, at),
                            se,
                            &mut acc,
                        );
                    }
                }
                let (mut l, mut f) = (total(&acc[0]), total(&acc[1]));
                let rows = 2 * rb..2 * rb + 2;
                if cells.inflow(r, ti, &p[rows.clone()], &mut c[rows]) {
                    (l, f) = sums_of(&c[2 * rb..2 * rb + 2], &x.pad.w, r);
                }
                // Process variation: a step of standard deviation √(φ·τ·L), applied to the
                // region's whole stock (every sex and age in proportion).
                if let Some((k, z)) = x.process
                    && l > 0.0
                {
                    let m = (1.0 + k[r] * z[r * ny + ti] / l.sqrt() + z[r * ny]).max(0.0);
                    for i in 2 * rb..2 * rb + 2 {
                        c[i].iter_mut().for_each(|v| *v *= m);
                    }
                    l *= m;
                    f *= m;
                }
                cells.year(r, ti, &mut c[2 * rb..2 * rb + 2], (&mut l, &mut f));
                lic[r * ny + ti] = l;
                sup[r * ny + ti] = f;
            }
        }
    }
}

/// The adjoint: `v` starts as the FTE weights in the target year and steps back,
/// `v[a] ← surv(a)·v[a+1]`; `g[t] += Σ v·profile` is the target year's FTE per Swedish licence
/// entering in year `t`. Each row runs through all its years at once.
///
/// Only the ages that reach the profile's are followed: `g[t]` needs `v` where the profile is not
/// zero (`[lo, hi]`), and the step back to `t − 1` needs `v[t]` one age further, so year `t` needs
/// the ages `[lo, hi + t − 1]`. The blocks of lanes left out hold stale (finite, non-negative)
/// values that only ever meet a zero profile, so the sums are the same bits as over every lane.
///
/// `margin` weighs each region's rows (`[r]`, [`super::ProfKernel::se_margin`]; empty: 1): where
/// one more licence enters, against the profile. `by_region` (`[r][t]`, empty: none) receives each
/// region's rows unweighted: the FTE in the target year of a licence entering by the region's
/// part of the profile (the split of the required intake over the health-care regions).
#[inline(always)]
pub(super) fn adjoint_body<O: RowOps>(
    surv: &[f64],
    pad: &Padded,
    margin: &[f64],
    target: usize,
    g: &mut [f64],
    by_region: &mut [f64],
) {
    let ny = g.len();
    let rows = surv.len() / S;
    let mut v = [[0.0; S]; 2];
    for i in 0..rows {
        let Some((lo, hi)) = pad.prof_span[i] else {
            continue;
        };
        let (survs, prof) = (row(surv, i), row(&pad.prof, i));
        let weight = margin.get(i / 2).copied();
        v[0] = *row(&pad.w, i);
        for ti in (1..=target).rev() {
            let [a, b] = &mut v;
            let (old, new) = if (target - ti) % 2 == 1 {
                (&*a, b)
            } else {
                (&*b, a)
            };
            let blocks = lo / L..(hi + ti).div_ceil(L).min(U / L);
            let mut acc = [0.0; L];
            // SAFETY: the caller checked O's instructions.
            unsafe { O::back(old, new, survs, prof, ti < target, blocks, &mut acc) };
            let sum = total(&acc);
            g[ti] += match weight {
                Some(m) => m * sum,
                None => sum,
            };
            if let Some(x) = by_region.get_mut((i / 2) * ny + ti) {
                *x += sum;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) fn forward_avx2<C: Cells>(
    x: &Rows<'_>,
    lic: &mut [f64],
    sup: &mut [f64],
    cells: &mut C,
) {
    forward_body::<Avx2, C>(x, lic, sup, cells);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) fn adjoint_avx2(
    surv: &[f64],
    pad: &Padded,
    margin: &[f64],
    target: usize,
    g: &mut [f64],
    by_region: &mut [f64],
) {
    adjoint_body::<Avx2>(surv, pad, margin, target, g, by_region);
}

/// The widest vector instructions the processor has, checked once. They change the speed, not
/// the bits: every implementation runs the same operations per lane in the same order (Rust never
/// fuses a multiply and an add on its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Width {
    /// Plain Rust.
    Portable,
    /// AVX2 (AVX-512 was tried: on this project's machines, with their 256-bit data paths, it was
    /// slower).
    Avx2,
}

pub(super) fn width() -> Width {
    #[cfg(target_arch = "x86_64")]
    {
        static W: std::sync::OnceLock<Width> = std::sync::OnceLock::new();
        *W.get_or_init(|| {
            if std::arch::is_x86_feature_detected!("avx2") {
                Width::Avx2
            } else {
                Width::Portable
            }
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Width::Portable
    }
}

pub(super) fn forward<C: Cells>(x: &Rows<'_>, lic: &mut [f64], sup: &mut [f64], cells: &mut C) {
    match width() {
        // SAFETY: AVX2 is present (checked at run time).
        #[cfg(target_arch = "x86_64")]
        Width::Avx2 => unsafe { forward_avx2(x, lic, sup, cells) },
        _ => forward_body::<Portable, C>(x, lic, sup, cells),
    }
}

pub(super) fn adjoint(
    surv: &[f64],
    pad: &Padded,
    margin: &[f64],
    target: usize,
    g: &mut [f64],
    by_region: &mut [f64],
) {
    match width() {
        // SAFETY: AVX2 is present (checked at run time).
        #[cfg(target_arch = "x86_64")]
        Width::Avx2 => unsafe { adjoint_avx2(surv, pad, margin, target, g, by_region) },
        _ => adjoint_body::<Portable>(surv, pad, margin, target, g, by_region),
    }
}
