//! Tests of the kernel's parts: laws, streams, passes and percentiles.

use super::*;

#[test]
fn selection_gives_the_percentiles_of_a_sort() {
    let mut rng = stream(9, 9, 9);
    for n in [1usize, 2, 7, 100, 1001] {
        let v: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let mut sorted = v.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        let qs = [0.0, 2.5, 10.0, 50.0, 90.0, 97.5, 100.0];
        let want: Vec<f64> = qs.iter().map(|&q| percentile(&sorted, q)).collect();
        let mut keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
        assert_eq!(percentiles_of(&mut keys, &qs), want, "{n}");
        assert_eq!(percentiles_by_buckets(&v, &qs), want, "{n}");
        let mut sorted_keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
        sorted_keys.sort_unstable();
        let back: Vec<f64> = sorted_keys.into_iter().map(from_order_key).collect();
        assert!(
            back.iter()
                .zip(&sorted)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
    }
    let v = [1.0, 2.0, 3.0, 4.0];
    let acc: [f64; L] = std::array::from_fn(|l| l as f64);
    assert_eq!(total(&acc), 28.0);
    // The forward pass equals the recurrence written out, two regions × two sexes, 3 years.
    let n = 2 * 2 * NA;
    let rnd = |rng: &mut Pcg64| -> Vec<f64> { (0..n).map(|_| normal(rng).abs()).collect() };
    let (l0, mut surv, prof, f0, f1) = (
        rnd(&mut rng),
        rnd(&mut rng),
        rnd(&mut rng),
        rnd(&mut rng),
        rnd(&mut rng),
    );
    for row in 0..4 {
        surv[row * NA + NA - 1] = 0.0;
    }
    // FTE weights per region and sex, different in each region.
    let w: Vec<f64> = (0..n).map(|i| 0.5 + i as f64 / 1000.0).collect();
    let (se, fe, ft) = (vec![0.0, 2.0, 5.0], vec![3.0, 1.0], vec![4.0, 0.5]);
    let (mut lic, mut sup) = (vec![0.0; 6], vec![0.0; 6]);
    let pad = Padded {
        l0: pad_rows(&l0),
        prof_span: spans(&pad_rows(&prof)),
        prof: pad_rows(&prof),
        f: [pad_rows(&f0), pad_rows(&f1)],
        w: pad_rows(&w),
        prof_total: prof.iter().sum(),
        ..Padded::default()
    };
    // Survival shifted one lane right, as `sample_into` lays it out.
    let mut survs = vec![0.0; 4 * S];
    for r in 0..4 {
        survs[r * S + 1..r * S + 1 + NA].copy_from_slice(&surv[r * NA..(r + 1) * NA]);
    }
    // Each region's factor on the year's Swedish licences, `[r][t]` (destinations routing).
    let route = vec![1.0, 0.5, 2.0, 1.0, 1.5, 0.25];
    let x = Rows {
        fixed: None,
        pad: &pad,
        surv: &survs,
        se: &se,
        route: &route,
        fe: &fe,
        ft: &ft,
        process: None,
    };
    forward(&x, &mut lic, &mut sup, &mut ());
    let mut prev = l0.clone();
    for ti in 1..3 {
        let cur: Vec<f64> = (0..n)
            .map(|j| {
                let stay = if j % NA == 0 {
                    0.0
                } else {
                    prev[j - 1] * surv[j - 1]
                };
                let r = j / (2 * NA);
                stay + se[ti] * route[r * 3 + ti] * prof[j]
                    + fe[ti - 1] * f0[j]
                    + ft[ti - 1] * f1[j]
            })
            .collect();
        for r in 0..2 {
            let part = &cur[r * 2 * NA..(r + 1) * 2 * NA];
            let l: f64 = part.iter().sum();
            let f: f64 = part.iter().zip(&w[r * 2 * NA..]).map(|(c, w)| c * w).sum();
            assert!((lic[r * 3 + ti] - l).abs() < 1e-9 * l, "{ti} {r}");
            assert!((sup[r * 3 + ti] - f).abs() < 1e-9 * f, "{ti} {r}");
        }
        prev = cur;
    }
    // The adjoint: g[t]·1 licence = FTE in the target year, by pushing a unit profile forward;
    // with margins, each region's part of the profile weighed by its margin.
    let fte = |v: &[f64]| -> f64 { (0..n).map(|j| v[j] * w[j]).sum() };
    for margin in [vec![], vec![0.3, 1.7]] {
        let weight = |j: usize| margin.get(j / (2 * NA)).copied().unwrap_or(1.0);
        let entry: Vec<f64> = (0..n).map(|j| prof[j] * weight(j)).collect();
        let mut g = vec![0.0; 3];
        let mut by_region = vec![0.0; 2 * 3];
        adjoint(&survs, &pad, &margin, 2, &mut g, &mut by_region);
        // A licence entering in year 1 with the profile, one year on.
        let unit: Vec<f64> = (0..n)
            .map(|j| {
                if j % NA == 0 {
                    0.0
                } else {
                    entry[j - 1] * surv[j - 1]
                }
            })
            .collect();
        assert!((g[1] - fte(&unit)).abs() < 1e-9 * g[1]);
        assert!((g[2] - fte(&entry)).abs() < 1e-9 * g[2]);
        // Each region's rows unweighted: a licence entering by that region's part of the
        // profile, one year on and in the target year; weighed by the margins they sum to g.
        for r in 0..2 {
            let part = |v: &[f64]| -> f64 {
                (r * 2 * NA..(r + 1) * 2 * NA)
                    .map(|j| v[j] * w[j] / weight(j))
                    .sum()
            };
            assert!((by_region[r * 3 + 1] - part(&unit)).abs() < 1e-9 * by_region[r * 3 + 1]);
            assert!((by_region[r * 3 + 2] - part(&entry)).abs() < 1e-9 * by_region[r * 3 + 2]);
        }
        for t in 1..3 {
            let sum: f64 = (0..2)
                .map(|r| margin.get(r).copied().unwrap_or(1.0) * by_region[r * 3 + t])
                .sum();
            assert!((sum - g[t]).abs() < 1e-12 * g[t]);
        }
    }
    let mut keys: Vec<u64> = v.iter().map(|&x| order_key(x)).collect();
    assert_eq!(percentiles_of(&mut keys, &[50.0]), vec![2.5]);
    assert!(order_key(-0.0) < order_key(0.0) && order_key(-1.0) < order_key(-0.5));
}

#[test]
fn both_row_implementations_and_the_shortened_adjoint_give_the_same_bits() {
    let mut rng = stream(3, 1, 4);
    let regions = 5;
    let rows = 2 * regions;
    let rnd =
        |rng: &mut Pcg64, n: usize| -> Vec<f64> { (0..n).map(|_| normal(rng).abs()).collect() };
    let (l0, f0, f1, fixed) = (
        rnd(&mut rng, rows * NA),
        rnd(&mut rng, rows * NA),
        rnd(&mut rng, rows * NA),
        pad_rows(&rnd(&mut rng, rows * NA)),
    );
    // A profile on young ages only (as Swedish licences are), none at all in one row.
    let mut prof = vec![0.0; rows * NA];
    for r in 0..rows - 1 {
        for a in 2 + r..14 + 2 * r {
            prof[r * NA + a] = normal(&mut rng).abs();
        }
    }
    let w = pad_rows(&rnd(&mut rng, rows * NA));
    let mut survs = vec![0.0; rows * S];
    for r in 0..rows {
        for a in 1..NA {
            survs[r * S + a] = 0.9 + 0.1 * normal(&mut rng).abs().min(1.0);
        }
    }
    let pad = Padded {
        l0: pad_rows(&l0),
        prof_span: spans(&pad_rows(&prof)),
        prof: pad_rows(&prof),
        f: [pad_rows(&f0), pad_rows(&f1)],
        w,
        prof_total: prof.iter().sum(),
        ..Padded::default()
    };
    assert_eq!(pad.prof_span[rows - 1], None);
    assert_eq!(pad.prof_span[0], Some((2, 13)));
    let ny = 18;
    let se: Vec<f64> = (0..ny).map(|t| t as f64).collect();
    let fe: Vec<f64> = (0..ny).map(|t| 1.0 + 0.1 * t as f64).collect();
    let ft: Vec<f64> = (0..ny).map(|t| 2.0 - 0.1 * t as f64).collect();
    // Routing factors `[r][t]` and margins `[r]`, or none.
    let routed: Vec<f64> = (0..regions * ny)
        .map(|i| 0.5 + (i % 7) as f64 / 5.0)
        .collect();
    let margins: Vec<f64> = (0..regions).map(|r| 0.6 + r as f64 / 4.0).collect();
    let run = |fixed: Option<&[f64]>, wide: Width, route: &[f64], margin: &[f64]| {
        let x = Rows {
            fixed,
            pad: &pad,
            surv: &survs,
            se: &se,
            route,
            fe: &fe,
            ft: &ft,
            process: None,
        };
        let (mut lic, mut sup) = (vec![0.0; regions * ny], vec![0.0; regions * ny]);
        let (mut g, mut by) = (vec![0.0; ny], vec![0.0; regions * ny]);
        #[cfg(target_arch = "x86_64")]
        if wide == Width::Avx2 {
            // SAFETY: only called when AVX2 is present.
            unsafe {
                forward_avx2(&x, &mut lic, &mut sup, &mut ());
                adjoint_avx2(&survs, &pad, margin, ny - 1, &mut g, &mut by);
            }
            return (lic, sup, g, by);
        }
        forward_body::<Portable, ()>(&x, &mut lic, &mut sup, &mut ());
        adjoint_body::<Portable>(&survs, &pad, margin, ny - 1, &mut g, &mut by);
        (lic, sup, g, by)
    };
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let present = match width() {
        Width::Avx2 => vec![Width::Avx2],
        Width::Portable => vec![],
    };
    let ways = [(&[][..], &[][..]), (&routed[..], &margins[..])];
    for (fixed, (route, margin)) in [None, Some(&fixed[..])]
        .into_iter()
        .flat_map(|f| ways.iter().map(move |w| (f, *w)))
    {
        let a = run(fixed, Width::Portable, route, margin);
        assert!(a.0.iter().all(|x| x.is_finite()) && a.2[1] > 0.0);
        for &w in &present {
            let b = run(fixed, w, route, margin);
            assert_eq!(bits(&a.0), bits(&b.0), "{w:?}");
            assert_eq!(bits(&a.1), bits(&b.1), "{w:?}");
            assert_eq!(bits(&a.2), bits(&b.2), "{w:?}");
            assert_eq!(bits(&a.3), bits(&b.3), "{w:?}");
        }
    }
    // The adjoint over every lane of every row gives the same bits as the shortened one.
    let mut g_short = vec![0.0; ny];
    adjoint_body::<Portable>(&survs, &pad, &margins, ny - 1, &mut g_short, &mut []);
    let full = Padded {
        prof_span: vec![Some((0, U - 1)); rows],
        ..pad.clone()
    };
    let mut g_full = vec![0.0; ny];
    adjoint_body::<Portable>(&survs, &full, &margins, ny - 1, &mut g_full, &mut []);
    assert_eq!(bits(&g_short), bits(&g_full));
}

#[test]
fn bucket_percentiles_equal_a_sort_on_awkward_draws() {
    let mut rng = stream(5, 5, 5);
    let qs = [10.0, 50.0, 90.0, 0.0, 100.0, 2.5, 97.5];
    let shapes: Vec<Vec<f64>> = vec![
        // Around zero (a gap near balance), heavy tails, many ties, a far outlier, sorted.
        (0..1000).map(|_| normal(&mut rng) * 300.0 - 20.0).collect(),
        (0..1000).map(|_| normal(&mut rng).powi(5)).collect(),
        (0..1000).map(|i| (i % 7) as f64).collect(),
        (0..1000)
            .map(|i| if i == 500 { 1e12 } else { normal(&mut rng) })
            .collect(),
        (0..999).map(|i| i as f64 * 0.5).collect(),
        (0..1000)
            .map(|i| if i % 2 == 0 { -0.0 } else { 0.0 })
            .collect(),
    ];
    for (k, v) in shapes.iter().enumerate() {
        let mut sorted = v.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        let want: Vec<f64> = qs.iter().map(|&q| percentile(&sorted, q)).collect();
        let got = percentiles_by_buckets(v, &qs);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want), "shape {k}");
    }
}

#[test]
fn percentiles_follow_type_seven() {
    // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = [1.3, 2.5, 3.7]
    let v = [1.0, 2.0, 3.0, 4.0];
    for (q, want) in [
        (10.0, 1.3),
        (50.0, 2.5),
        (90.0, 3.7),
        (0.0, 1.0),
        (100.0, 4.0),
    ] {
        assert!((percentile(&v, q) - want).abs() < 1e-12, "{q}");
    }
    assert!(percentile(&[], 50.0).is_nan());
}

#[test]
fn beta_rates_centre_on_the_point_with_the_binomial_spread() {
    // 30 exits among 1,000 at risk: draws have mean 0.03 and sd ≈ √(p(1−p)/n) = 0.0054.
    let law = Law::Beta {
        weight: 1.0,
        alpha: 0.5,
        beta: 0.5,
    };
    let mut rng = stream(7, 0, 0);
    let n = 40_000;
    let v: Vec<f64> = (0..n)
        .map(|_| draw_rate(0.03, (30.0, 1000.0), law, &mut rng))
        .collect();
    let m = v.iter().sum::<f64>() / n as f64;
    let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let want_sd = (0.03f64 * 0.97 / 1000.0).sqrt();
    assert!(
        (m - 0.03).abs() < 4.0 * want_sd / (n as f64).sqrt(),
        "mean {m}"
    );
    assert!((sd / want_sd - 1.0).abs() < 0.03, "sd {sd} vs {want_sd}");
    // Weight 0.25 (overdispersion) doubles the spread.
    let wide = Law::Beta {
        weight: 0.25,
        alpha: 0.5,
        beta: 0.5,
    };
    let v: Vec<f64> = (0..n)
        .map(|_| draw_rate(0.03, (30.0, 1000.0), wide, &mut rng))
        .collect();
    let m = v.iter().sum::<f64>() / n as f64;
    let sd2 = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    assert!((sd2 / sd - 2.0).abs() < 0.1, "{sd2} vs {sd}");
    // Fixed gives the point.
    assert_eq!(draw_rate(0.03, (30.0, 1000.0), Law::Fixed, &mut rng), 0.03);
}

#[test]
fn prepared_rate_laws_draw_the_scaled_beta_written_out() {
    let law = Law::Beta {
        weight: 0.7,
        alpha: 0.5,
        beta: 0.5,
    };
    let cases = [
        (0.03, (30.0, 1000.0)),
        (0.9, (95.0, 100.0)),
        (0.0, (0.0, 10.0)),
        (0.2, (-3.0, 10.0)),
        (0.5, (12.0, 0.0)),
        (1.4, (140.0, 100.0)),
    ];
    // The law written out: counts clipped, `point · u · (a + b) / a` with `u ~ Beta(a, b)`
    // (cut at 1 for an exit rate), the point where there is nothing to draw from.
    let by_hand = |point: f64, (k, n): (f64, f64), l: Law, cap: bool, rng: &mut Pcg64| {
        let Law::Beta {
            weight,
            alpha,
            beta,
        } = l
        else {
            return if cap && point > 0.0 {
                point.min(1.0)
            } else {
                point
            };
        };
        if point <= 0.0 || (!cap && n <= 0.0) {
            return point;
        }
        let n = n.max(0.0);
        let k = k.clamp(0.0, n);
        let (a, b) = (alpha + weight * k, beta + weight * (n - k));
        let r = point * variates::beta(a, b, rng) * (a + b) / a;
        if cap { r.min(1.0) } else { r }
    };
    for (point, counts) in cases {
        for l in [law, Law::Fixed] {
            for (cap, seed) in [(true, 1), (false, 4)] {
                let (mut r1, mut r2) = (stream(seed, 2, 3), stream(seed, 2, 3));
                let prepared = RateLaw::new(point, counts, l, cap);
                assert_eq!(
                    prepared.draw(&mut r1).to_bits(),
                    by_hand(point, counts, l, cap, &mut r2).to_bits()
                );
                // The same number of random numbers taken.
                assert_eq!(r1.next_u64(), r2.next_u64());
            }
            let mut r = stream(7, 8, 9);
            let mut r2 = stream(7, 8, 9);
            assert_eq!(
                draw_rate(point, counts, l, &mut r).to_bits(),
                RateLaw::new(point, counts, l, true).draw(&mut r2).to_bits()
            );
        }
    }
}

#[test]
fn lognormal_factors_have_mean_one() {
    let mut rng = stream(1, 2, 3);
    let n = 40_000;
    let law = Law::LogNormal { sd: 0.2 };
    let m = (0..n).map(|_| draw_factor(law, &mut rng)).sum::<f64>() / n as f64;
    // sd of the mean: √(e^{0.04} − 1)/√n ≈ 0.001
    assert!((m - 1.0).abs() < 0.005, "{m}");
}

#[test]
fn streams_differ_by_draw_and_purpose_and_repeat_by_seed() {
    let first = |seed, d, w| stream(seed, d, w).next_u64();
    assert_eq!(first(1, 2, 3), first(1, 2, 3));
    assert_ne!(first(1, 2, 3), first(1, 3, 3));
    assert_ne!(first(1, 2, 3), first(1, 2, 4));
    assert_ne!(first(1, 2, 3), first(2, 2, 3));
}
