//! Exact percentiles over the draws: type 7 on sorted values, and by value buckets where only
//! the buckets that hold the needed order statistics are sorted.

/// The `q`-th percentile of sorted values, linear between order statistics (Hyndman & Fan type 7,
/// numpy's and R's default).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Buckets of [`percentiles_by_buckets`].
pub(super) const BUCKETS: usize = 2048;

/// The percentiles (type 7, as [`percentile`]) of `vals`, exact, without a full sort or repeated
/// partitions: one pass counts the values into [`BUCKETS`] equal-width buckets between the least
/// and the greatest, the counts locate the bucket of each order statistic needed, a second pass
/// gathers those few buckets' values, and only they are sorted. Falls back to selection
/// ([`percentiles_of`]) when a value is not finite or a needed bucket holds many values.
pub(super) fn percentiles_by_buckets(vals: &[f64], percentiles: &[f64]) -> Vec<f64> {
    let n = vals.len();
    let fallback = || {
        let mut keys: Vec<u64> = vals.iter().map(|&x| order_key(x)).collect();
        percentiles_of(&mut keys, percentiles)
    };
    if n < 64 {
        return fallback();
    }
    // Least and greatest over four lanes, and whether any value is NaN.
    let (mut lo, mut hi, mut nan) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4], false);
    let (quads, rest) = vals.as_chunks::<4>();
    for q in quads {
        for l in 0..4 {
            lo[l] = if q[l] < lo[l] { q[l] } else { lo[l] };
            hi[l] = if q[l] > hi[l] { q[l] } else { hi[l] };
            nan |= q[l].is_nan();
        }
    }
    for &x in rest {
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
        nan |= x.is_nan();
    }
    let lo = lo.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = hi.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let scale = (BUCKETS - 1) as f64 / (hi - lo);
    if nan || !lo.is_finite() || !hi.is_finite() || lo == hi || !scale.is_finite() {
        // Not all finite; every draw the same (an observed year); or a spread too small to
        // bucket.
        return fallback();
    }
    // (x − lo)·scale lies in [0, BUCKETS − 1] for every value (all finite, lo ≤ x ≤ hi; the
    // product rounds to at most BUCKETS − 1 as (hi − lo)·scale does), so the conversion cannot
    // overflow.
    let bucket = |x: f64| -> usize {
        let v = ((x - lo) * scale).min((BUCKETS - 1) as f64);
        // SAFETY: v is finite and within 0 ..= BUCKETS − 1 (see above).
        unsafe { v.to_int_unchecked::<u32>() as usize }
    };
    let mut counts = [0u32; BUCKETS];
    for &x in vals {
        counts[bucket(x)] += 1;
    }
    // Order statistics needed: the lower and upper one of each percentile.
    let position = |q: f64| {
        let h = (n - 1) as f64 * q / 100.0;
        (h, h.floor() as usize)
    };
    let mut ranks: Vec<usize> = percentiles
        .iter()
        .flat_map(|&q| {
            let r = position(q).1;
            [r, (r + 1).min(n - 1)]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    // The bucket of each rank and the count below that bucket.
    let mut at = Vec::with_capacity(ranks.len());
    let (mut b, mut below) = (0, 0usize);
    for &r in &ranks {
        while below + counts[b] as usize <= r {
            below += counts[b] as usize;
            b += 1;
        }
        at.push((b, below));
    }
    let mut targets: Vec<usize> = at.iter().map(|x| x.0).collect();
    targets.dedup();
    if targets.len() >= usize::from(u8::MAX) || targets.iter().any(|&t| counts[t] > 256) {
        return fallback();
    }
    let mut bands: Vec<Vec<f64>> = targets
        .iter()
        .map(|&t| Vec::with_capacity(counts[t] as usize))
        .collect();
    // The band of each bucket (u8::MAX: not needed).
    let mut band_of = [u8::MAX; BUCKETS];
    for (i, &t) in targets.iter().enumerate() {
        band_of[t] = i as u8;
    }
    for &x in vals {
        let i = band_of[bucket(x)];
        if i != u8::MAX {
            bands[usize::from(i)].push(x);
        }
    }
    for band in &mut bands {
        band.sort_unstable_by(f64::total_cmp);
    }
    let stat = |r: usize| {
        let i = ranks.binary_search(&r).unwrap_or(0);
        let (b, below) = at[i];
        let t = targets.iter().position(|&t| t == b).unwrap_or(0);
        bands[t][r - below]
    };
    percentiles
        .iter()
        .map(|&q| {
            let (h, r) = position(q);
            let (a, b) = (stat(r), stat((r + 1).min(n - 1)));
            a + (h - r as f64) * (b - a)
        })
        .collect()
}

/// `x` as an unsigned integer in the same order as [`f64::total_cmp`] (integers compare faster).
#[inline(always)]
pub(super) fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The inverse of [`order_key`].
#[inline(always)]
pub(super) fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The percentiles (type 7, as [`percentile`]) of the values whose [`order_key`]s are `buf`, by
/// selection rather than a full sort (`buf` is reordered): the lower order statistic of each
/// percentile is selected within the part right of the previous one, the upper one is the least
/// value right of it.
pub(super) fn percentiles_of(buf: &mut [u64], percentiles: &[f64]) -> Vec<f64> {
    let n = buf.len();
    if n == 0 {
        return vec![f64::NAN; percentiles.len()];
    }
    let position = |q: f64| {
        let h = (n - 1) as f64 * q / 100.0;
        (h, h.floor() as usize)
    };
    let mut ranks: Vec<usize> = percentiles.iter().map(|&q| position(q).1).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut pairs = Vec::with_capacity(ranks.len());
    if buf.iter().all(|&k| k == buf[0]) {
        // Every draw the same (an observed year): nothing to select.
        let v = from_order_key(buf[0]);
        pairs.resize(ranks.len(), (v, v));
    }
    let mut start = 0;
    for &r in ranks.iter().skip(pairs.len()) {
        buf[start..].select_nth_unstable(r - start);
        let hi = buf[r + 1..].iter().min().copied().unwrap_or(buf[r]);
        pairs.push((from_order_key(buf[r]), from_order_key(hi)));
        start = r + 1;
    }
    percentiles
        .iter()
        .map(|&q| {
            let (h, lo) = position(q);
            let (a, b) = pairs[ranks.binary_search(&lo).unwrap_or(0)];
            a + (h - lo as f64) * (b - a)
        })
        .collect()
}
