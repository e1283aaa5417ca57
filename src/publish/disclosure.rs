//! Disclosure control for published tables of counts of persons.
//!
//! A table is a grid of counts with its row totals, column totals and grand total, all published.
//!
//! - **Primary suppression**: a cell with `0 < n ≤ max_n` persons is suppressed (default 3, as in
//!   Statistics Norway's GaussSuppression and R's sdcTable; a profile for 5; and the ONS "10-5" rule,
//!   which suppresses counts under 10 and rounds the rest to the nearest 5). True zeros are
//!   published.
//! - **Secondary suppression**: in every relation (a row with its total, a column with its total,
//!   the totals with the grand total) a single suppressed cell could be worked out by subtraction,
//!   so a second one is suppressed; and where exactly two are suppressed and one of them holds one
//!   person, that person could subtract themself and learn the other, so a third is suppressed (the
//!   smallest non-zero published cell of the relation; ties: the first). Then, for as long as the
//!   exact check below finds a cell too exposed, one more cell is suppressed ([`suppress`]).
//! - The **exact check** ([`exposures`]) gives every suppressed cell the smallest and largest value
//!   it can take in any table of non-negative integers consistent with what is published, for an
//!   outsider and for each respondent alone in a suppressed one-person cell, who knows their own
//!   count. A cell passes when it is not pinned, its interval does not lie inside `[1, max_n]`, and
//!   for a true value `t` of `1..=max_n` the interval reaches `t + max_n` above and
//!   `max(1, t − max_n)` below (tau-Argus's protection interval for the frequency rule). The grid's
//!   relations are a network, so these bounds are exact (maximum flow; the integer bounds equal the
//!   linear ones). The tests check them again with an independent integer-programming solver over
//!   every table the report folder publishes.
//! - [`recoverable`] is the older, weaker attacker (it solves one unknown at a time); kept as a
//!   second view in the tests.
//!
//! Derived figures (FTE, shares) of a suppressed count are suppressed with it: apply the same mask;
//! under ONS 10-5 they are rounded like the counts ([`Profile::publish_derived`]).

/// A disclosure rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Suppress `0 < n ≤ max_n`.
    Threshold(u32),
    /// ONS "10-5": suppress `0 < n < 10`, round published counts to the nearest 5.
    Ons10And5,
    /// No protection, for internal use only (`--disclosure none`): nothing is suppressed, and every
    /// file written under it says "not for publication" in its name. Never the default.
    Unprotected,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::Threshold(3)
    }
}

impl TryFrom<&str> for Profile {
    type Error = String;

    /// `3`, `5`, `threshold:N`, `ons-10-5`, `none`.
    fn try_from(s: &str) -> Result<Self, String> {
        let l = s.trim().to_lowercase();
        match l.as_str() {
            "ons-10-5" | "ons" | "10-5" => Ok(Profile::Ons10And5),
            "none" => Ok(Profile::Unprotected),
            _ => {
                let n = l.strip_prefix("threshold:").unwrap_or(&l);
                n.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .map(Profile::Threshold)
                    .ok_or_else(|| format!("unknown disclosure profile {s:?}; expected 3, 5, threshold:N, ons-10-5 or none (unprotected, not for publication)"))
            }
        }
    }
}

impl Profile {
    /// Whether the primary rule suppresses a count of `n`.
    pub fn primary(self, n: f64) -> bool {
        match self {
            Profile::Threshold(m) => n > 0.0 && n <= m as f64,
            Profile::Ons10And5 => n > 0.0 && n < 10.0,
            Profile::Unprotected => false,
        }
    }

    /// The published value of an unsuppressed count.
    pub fn publish(self, n: f64) -> f64 {
        match self {
            Profile::Threshold(_) | Profile::Unprotected => n,
            Profile::Ons10And5 => (n / 5.0).round() * 5.0,
        }
    }

    /// A count as published: `None` where the primary rule suppresses it, else [`Profile::publish`].
    pub fn shown(self, n: f64) -> Option<f64> {
        (!self.primary(n)).then(|| self.publish(n))
    }

    /// Whether the profile protects anything (every profile but [`Profile::Unprotected`]).
    pub fn protects(self) -> bool {
        self != Profile::Unprotected
    }

    /// The largest count the primary rule suppresses: `n` for [`Profile::Threshold`], 9 for ONS 10-5.
    pub fn max_n(self) -> u32 {
        match self {
            Profile::Threshold(m) => m,
            Profile::Ons10And5 => 9,
            Profile::Unprotected => 0,
        }
    }

    /// The published value of an FTE (or other figure derived from a count) whose count is
    /// published: as it is under a threshold rule; rounded to the nearest 5 under ONS 10-5, since
    /// an unrounded FTE beside a rounded count would narrow the count (FTE ≤ persons).
    pub fn publish_derived(self, x: f64) -> f64 {
        match self {
            Profile::Threshold(_) | Profile::Unprotected => x,
            Profile::Ons10And5 => (x / 5.0).round() * 5.0,
        }
    }

    /// What an attacker knows of a published count `v`: the integers it can be. Exact under a
    /// threshold rule; under ONS 10-5 the integers that round to `v` and are not suppressed
    /// (0 is a true zero; otherwise at least 10).
    pub fn published_range(self, v: f64) -> (f64, f64) {
        match self {
            Profile::Threshold(_) | Profile::Unprotected => (v, v),
            Profile::Ons10And5 if v == 0.0 => (0.0, 0.0),
            Profile::Ons10And5 => ((v - 2.0).max(10.0), v + 2.0),
        }
    }
}

/// A table of counts extended with its margins: `(rows + 1) × (cols + 1)`, the last row and column
/// holding the totals.
#[derive(Clone, Debug, PartialEq)]
pub struct CountTable {
    /// Inner rows.
    pub rows: usize,
    /// Inner columns.
    pub cols: usize,
    /// Values, row-major over the extended grid.
    pub values: Vec<f64>,
}

impl CountTable {
    /// Builds the extended grid from inner counts (row-major), adding the margins.
    pub fn with_margins(rows: usize, cols: usize, inner: &[f64]) -> CountTable {
        let w = cols + 1;
        let mut values = vec![0.0; (rows + 1) * w];
        for r in 0..rows {
            for c in 0..cols {
                let v = inner[r * cols + c];
                values[r * w + c] = v;
                values[r * w + cols] += v;
                values[rows * w + c] += v;
                values[rows * w + cols] += v;
            }
        }
        CountTable { rows, cols, values }
    }

    /// Index of a cell of the extended grid.
    pub fn at(&self, r: usize, c: usize) -> usize {
        r * (self.cols + 1) + c
    }

    /// The relations: each a list of cell indices whose last entry is the total of the others.
    pub fn relations(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for r in 0..=self.rows {
            out.push((0..=self.cols).map(|c| self.at(r, c)).collect());
        }
        for c in 0..=self.cols {
            out.push((0..=self.rows).map(|r| self.at(r, c)).collect());
        }
        out
    }
}

/// Suppression pattern for a grid: `true` = suppressed.
///
/// First the relation rules above are applied until stable. Then the exact check
/// ([`exposures`]) runs, and while any suppressed cell is exposed, one more cell is suppressed: the
/// published cell that most reduces the first exposed cell's shortfall (its row and column first,
/// then anywhere in the table; ties go to non-zero cells, then the smallest, then the first). A true
/// zero can be the cell chosen: a county total made of two suppressed one-person cells is at least 2
/// while every zero is published, and only once a zero is hidden can the attacker no longer assume
/// that a suppressed cell holds anyone. Where no single cell reduces the shortfall, the smallest
/// non-zero published cell in the exposed cell's row or column is suppressed, so that a later round
/// can. The loop ends because every round suppresses one more cell, and a table with everything
/// suppressed exposes nothing.
pub fn suppress(g: &CountTable, profile: Profile) -> Vec<bool> {
    suppress_linked(g, None, profile)
}

/// [`suppress`] for a grid of persons published beside the FTE of its cells (`fte`, the same
/// extended layout): the attacker also knows every published FTE and that a cell's persons are at
/// least its FTE, so a hidden cell whose FTE can be bounded from below holds at least that many
/// persons ([`exposures_linked`]).
pub fn suppress_linked(g: &CountTable, fte: Option<&[f64]>, profile: Profile) -> Vec<bool> {
    let mut s: Vec<bool> = g.values.iter().map(|&v| profile.primary(v)).collect();
    let rels = g.relations();
    let smallest = |s: &[bool], rel: &[usize]| {
        rel.iter()
            .copied()
            .filter(|&i| !s[i] && g.values[i] > 0.0)
            .min_by(|&a, &b| g.values[a].total_cmp(&g.values[b]).then(a.cmp(&b)))
    };
    loop {
        let mut changed = false;
        for rel in &rels {
            let hidden: Vec<usize> = rel.iter().copied().filter(|&i| s[i]).collect();
            let need = match hidden.len() {
                1 => true,
                2 => hidden.iter().any(|&i| g.values[i] == 1.0),
                _ => false,
            };
            if need && let Some(i) = smallest(&s, rel) {
                s[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let w = g.cols + 1;
    loop {
        let Some(target) = exposures_linked(g, fte, &s, profile).into_iter().next() else {
            return s;
        };
        let before = target.shortfall(profile);
        let (tr, tc) = (target.cell / w, target.cell % w);
        let open: Vec<usize> = (0..s.len()).filter(|&i| !s[i]).collect();
        if open.is_empty() {
            return s;
        }
        let near: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| i / w == tr || i % w == tc)
            .collect();
        let score = |cands: &[usize]| {
            cands
                .iter()
                .map(|&i| {
                    let mut t = s.clone();
                    t[i] = true;
                    let after =
                        exposure_linked(g, fte, &t, profile, target.cell, target.respondent)
                            .map_or(0.0, |e| e.shortfall(profile));
                    (after, g.values[i] == 0.0, g.values[i], i)
                })
                .min_by(|a, b| {
                    a.0.total_cmp(&b.0)
                        .then(a.1.cmp(&b.1))
                        .then(a.2.total_cmp(&b.2))
                        .then(a.3.cmp(&b.3))
                })
        };
        let pick = match score(&near) {
            Some(best) if best.0 < before => best.3,
            near_best => match score(&open) {
                Some(best) if best.0 < before => best.3,
                // Nothing closes it in one step: widen the relations around the cell (the
                // smallest non-zero neighbour), so that the next round can.
                _ => near
                    .iter()
                    .copied()
                    .filter(|&i| g.values[i] > 0.0)
                    .min_by(|&a, &b| g.values[a].total_cmp(&g.values[b]).then(a.cmp(&b)))
                    .or(near_best.map(|b| b.3))
                    .unwrap_or(open[0]),
            },
        };
        s[pick] = true;
    }
}

/// What an attacker can learn about one suppressed cell: the smallest and largest value it can take
/// in any table of non-negative integers that agrees with everything published.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exposure {
    /// The cell (index into [`CountTable::values`]).
    pub cell: usize,
    /// The one-person cell whose respondent attacks (knowing their own count), or `None` for an
    /// outsider.
    pub respondent: Option<usize>,
    /// The true count the attacker is after: the cell's value, less the respondent's own 1 when
    /// the cell is a total that contains them.
    pub value: f64,
    /// The smallest value it can take (on the same footing as `value`).
    pub low: f64,
    /// The largest value it can take; infinite when nothing bounds it.
    pub high: f64,
    /// The least it can be known to hold before anything but the zeros is published: the number
    /// of non-zero inner cells it is made of when every true zero is published (each holds at least
    /// one person), else 0; less the respondent's own cell where it contains it.
    pub floor: f64,
}

impl Exposure {
    /// Whether the interval fails the protection asked of it: a cell pinned exactly; an interval
    /// inside `[1, max_n]`; or, for a true value `t` in `1..=max_n`, an interval that does not
    /// reach `t + max_n` above and `max(1, t − max_n)` below (tau-Argus's protection interval for
    /// the frequency rule). The lower end is never asked below [`Exposure::floor`]: a county
    /// total of one man and one woman is at least 2 as soon as the zeros are published, and no
    /// suppression can hide that.
    pub fn fails(&self, profile: Profile) -> bool {
        self.shortfall(profile) > 0.0
    }

    /// How far the interval falls short of its protection (0 when protected).
    pub fn shortfall(&self, profile: Profile) -> f64 {
        let m = profile.max_n() as f64;
        let t = self.value;
        let exact = if self.high - self.low < 0.5 { 1.0 } else { 0.0 };
        if t >= 1.0 && t <= m {
            let up = (t + m - self.high).max(0.0);
            let down = (self.low - (t - m).max(1.0).max(self.floor)).max(0.0);
            exact + up + down
        } else {
            exact
                + if self.low >= 1.0 && self.high <= m {
                    1.0
                } else {
                    0.0
                }
        }
    }
}

/// Every suppressed cell that an attacker, an outsider or a respondent alone in a suppressed
/// one-person cell, can narrow beyond its protection ([`Exposure::fails`]), in cell order, the
/// outsider first.
///
/// The attacker knows every published cell (under ONS 10-5 only the integers that round to it),
/// the relations of the grid, that counts are non-negative integers, and, when every true zero of
/// the grid is published, that each suppressed cell holds at least one person. The grid's relations
/// form a network (each cell an edge between its row and its column, margins with the opposite
/// sign), so the bounds are found exactly by maximum flow, and they are the integer bounds.
pub fn exposures(g: &CountTable, suppressed: &[bool], profile: Profile) -> Vec<Exposure> {
    exposures_linked(g, None, suppressed, profile)
}

/// [`exposures`] with the FTE of the cells published beside the persons (`fte`, the same extended
/// layout; the FTE of a suppressed cell suppressed with it, the others published as
/// [`Profile::publish_derived`] gives them). The FTE grid's own relations bound each hidden cell's
/// FTE from below (maximum flow again, over real numbers), and since FTE ≤ persons, its persons
/// are at least that, rounded up. This is a one-way pass (persons do not bound FTE back), so the
/// tests' integer programs over both grids together remain the final check.
pub fn exposures_linked(
    g: &CountTable,
    fte: Option<&[f64]>,
    suppressed: &[bool],
    profile: Profile,
) -> Vec<Exposure> {
    let mut out = Vec::new();
    let cells: Vec<usize> = (0..g.values.len()).filter(|&i| suppressed[i]).collect();
    let w = g.cols + 1;
    let respondents = std::iter::once(None).chain(
        cells
            .iter()
            .copied()
            .filter(|&i| g.values[i] == 1.0 && i / w < g.rows && i % w < g.cols)
            .map(Some),
    );
    for who in respondents {
        let (b, zeros_published) = knowledge(g, fte, suppressed, profile, who);
        for &e in &cells {
            if let Some(x) = expose(g, &b, zeros_published, e, who)
                && x.fails(profile)
            {
                out.push(x);
            }
        }
    }
    out
}

/// The exposure of one cell to one attacker, whether it fails or not (`None` for the respondent's
/// own cell and for a total that holds nobody but them).
pub fn exposure_of(
    g: &CountTable,
    suppressed: &[bool],
    profile: Profile,
    cell: usize,
    respondent: Option<usize>,
) -> Option<Exposure> {
    exposure_linked(g, None, suppressed, profile, cell, respondent)
}

/// [`exposure_of`] with the FTE published beside the persons, as in [`exposures_linked`].
pub fn exposure_linked(
    g: &CountTable,
    fte: Option<&[f64]>,
    suppressed: &[bool],
    profile: Profile,
    cell: usize,
    respondent: Option<usize>,
) -> Option<Exposure> {
    let (b, zeros_published) = knowledge(g, fte, suppressed, profile, respondent);
    expose(g, &b, zeros_published, cell, respondent)
}

/// The bounds the attacker knows for every cell, and whether every true zero is published.
fn knowledge(
    g: &CountTable,
    fte: Option<&[f64]>,
    suppressed: &[bool],
    profile: Profile,
    respondent: Option<usize>,
) -> (Vec<(f64, f64)>, bool) {
    let zeros_hidden = g
        .values
        .iter()
        .zip(suppressed)
        .any(|(&v, &s)| s && v == 0.0);
    let floor = if zeros_hidden { 0.0 } else { 1.0 };
    let mut b: Vec<(f64, f64)> = g
        .values
        .iter()
        .zip(suppressed)
        .map(|(&v, &s)| {
            if s {
                (floor, f64::INFINITY)
            } else {
                profile.published_range(profile.publish(v))
            }
        })
        .collect();
    if let Some(f) = fte {
        let fg = CountTable {
            rows: g.rows,
            cols: g.cols,
            values: f.to_vec(),
        };
        let fb: Vec<(f64, f64)> = f
            .iter()
            .zip(suppressed)
            .map(|(&x, &s)| {
                if s {
                    (0.0, f64::INFINITY)
                } else {
                    let u = profile.publish_derived(x);
                    match profile {
                        Profile::Ons10And5 => ((u - 2.5).max(0.0), u + 2.5),
                        _ => (u, u),
                    }
                }
            })
            .collect();
        for (i, &s) in suppressed.iter().enumerate() {
            if s {
                let (least, _) = bounds_of(&fg, &fb, i);
                b[i].0 = b[i].0.max((least - 1e-6).ceil());
            }
        }
    }
    if let Some(o) = respondent {
        b[o] = (1.0, 1.0);
    }
    (b, !zeros_hidden)
}

fn expose(
    g: &CountTable,
    b: &[(f64, f64)],
    zeros_published: bool,
    e: usize,
    respondent: Option<usize>,
) -> Option<Exposure> {
    let w = g.cols + 1;
    let own = match respondent {
        Some(o) if o == e => return None,
        Some(o) => {
            let (r, c, or, oc) = (e / w, e % w, o / w, o % w);
            let row_total = c == g.cols && (r == or || r == g.rows);
            let col_total = r == g.rows && (c == oc || c == g.cols);
            if row_total || col_total { 1.0 } else { 0.0 }
        }
        None => 0.0,
    };
    let value = g.values[e] - own;
    if own > 0.0 && value == 0.0 {
        return None;
    }
    let (low, high) = bounds_of(g, b, e);
    let (r, c) = (e / w, e % w);
    let rows: Vec<usize> = if r == g.rows {
        (0..g.rows).collect()
    } else {
        vec![r]
    };
    let cols: Vec<usize> = if c == g.cols {
        (0..g.cols).collect()
    } else {
        vec![c]
    };
    let nonzero = rows
        .iter()
        .flat_map(|&r| cols.iter().map(move |&c| (r, c)))
        .filter(|&(r, c)| g.values[g.at(r, c)] > 0.0)
        .count() as f64;
    let floor = if zeros_published { nonzero - own } else { 0.0 };
    Some(Exposure {
        cell: e,
        respondent,
        value,
        low: low - own,
        high: high - own,
        floor,
    })
}

/// Sign of a cell in the network: inner cells and the grand total +1, margins −1. With it every row
/// and column of the extended grid sums to zero.
fn sign(g: &CountTable, i: usize) -> f64 {
    let w = g.cols + 1;
    let (r, c) = (i / w, i % w);
    if (r == g.rows) == (c == g.cols) {
        1.0
    } else {
        -1.0
    }
}

/// Stands for "unbounded" in the flow network.
const UNBOUNDED: f64 = 1e12;

/// The smallest and largest value of cell `e` over all tables within the bounds `b` that satisfy
/// the relations: the true table is one such, and every other differs from it by a circulation in
/// the network of rows and columns, so the cell can rise (fall) by as much flow as can return
/// around it through the other cells' slack.
fn bounds_of(g: &CountTable, b: &[(f64, f64)], e: usize) -> (f64, f64) {
    let w = g.cols + 1;
    let n = g.rows + 1 + w;
    let node = |i: usize| (i / w, g.rows + 1 + i % w);
    let mut cap = vec![0.0; n * n];
    for (i, (&t, &(lo, hi))) in g.values.iter().zip(b).enumerate() {
        if i == e {
            continue;
        }
        let up = if hi.is_finite() { hi - t } else { UNBOUNDED };
        let down = t - lo;
        let (fwd, bwd) = if sign(g, i) > 0.0 {
            (up, down)
        } else {
            (down, up)
        };
        let (u, v) = node(i);
        cap[u * n + v] += fwd.max(0.0);
        cap[v * n + u] += bwd.max(0.0);
    }
    let (u, v) = node(e);
    let rise_y = max_flow(cap.clone(), n, v, u);
    let fall_y = max_flow(cap, n, u, v);
    let (rise, fall) = if sign(g, e) > 0.0 {
        (rise_y, fall_y)
    } else {
        (fall_y, rise_y)
    };
    let t = g.values[e];
    let high = if rise >= UNBOUNDED / 2.0 {
        b[e].1
    } else {
        (t + rise).min(b[e].1)
    };
    ((t - fall).max(b[e].0), high)
}

/// Edmonds–Karp on a dense capacity matrix; stops once the flow counts as unbounded.
fn max_flow(mut cap: Vec<f64>, n: usize, s: usize, t: usize) -> f64 {
    let mut flow = 0.0;
    let mut prev = vec![usize::MAX; n];
    let mut queue = Vec::with_capacity(n);
    while flow < UNBOUNDED / 2.0 {
        prev.iter_mut().for_each(|p| *p = usize::MAX);
        prev[s] = s;
        queue.clear();
        queue.push(s);
        let mut head = 0;
        while head < queue.len() && prev[t] == usize::MAX {
            let u = queue[head];
            head += 1;
            for v in 0..n {
                if prev[v] == usize::MAX && cap[u * n + v] > 0.0 {
                    prev[v] = u;
                    queue.push(v);
                }
            }
        }
        if prev[t] == usize::MAX {
            break;
        }
        let mut push = f64::INFINITY;
        let mut v = t;
        while v != s {
            let u = prev[v];
            push = push.min(cap[u * n + v]);
            v = u;
        }
        let mut v = t;
        while v != s {
            let u = prev[v];
            cap[u * n + v] -= push;
            cap[v * n + u] += push;
            v = u;
        }
        flow += push;
    }
    flow
}

/// The suppressed cells an attacker can pin from the published cells and the relations: by
/// repeatedly solving relations with one unknown, first as an outsider, then as each one-person
/// cell, who knows their own count.
pub fn recoverable(g: &CountTable, suppressed: &[bool]) -> Vec<usize> {
    let rels = g.relations();
    let solve = |mut known: Vec<bool>| -> Vec<bool> {
        loop {
            let mut changed = false;
            for rel in &rels {
                let unknown: Vec<usize> = rel.iter().copied().filter(|&i| !known[i]).collect();
                if unknown.len() == 1 {
                    known[unknown[0]] = true;
                    changed = true;
                }
            }
            if !changed {
                return known;
            }
        }
    };
    let outsider: Vec<bool> = suppressed.iter().map(|s| !s).collect();
    let mut pinned: Vec<usize> = solve(outsider.clone())
        .iter()
        .enumerate()
        .filter(|&(i, &k)| k && suppressed[i])
        .map(|(i, _)| i)
        .collect();
    let w = g.cols + 1;
    for (own, _) in g
        .values
        .iter()
        .enumerate()
        .filter(|&(i, &v)| suppressed[i] && v == 1.0 && i / w < g.rows && i % w < g.cols)
    {
        let (orow, ocol) = (own / w, own % w);
        let mut start = outsider.clone();
        start[own] = true;
        for (i, &k) in solve(start).iter().enumerate() {
            // A total that holds only this one person (it contains their cell and its value is 1)
            // tells them nothing about anyone else.
            let (r, c) = (i / w, i % w);
            let is_total = r == g.rows || c == g.cols;
            let contains_own = is_total && (r == orow || r == g.rows) && (c == ocol || c == g.cols);
            let trivial = contains_own && g.values[i] == 1.0;
            if k && suppressed[i] && i != own && !trivial && !pinned.contains(&i) {
                pinned.push(i);
            }
        }
    }
    pinned.sort_unstable();
    pinned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_small_cell_in_a_row_takes_a_partner_in_its_row_and_column() {
        // 3×3 with a single 2: primary; its row and column each need a second suppression, and the
        // partners' own row/column then need theirs (the classic four-cell rectangle).
        let inner = [2.0, 10.0, 20.0, 15.0, 30.0, 40.0, 25.0, 35.0, 45.0];
        let g = CountTable::with_margins(3, 3, &inner);
        let s = suppress(&g, Profile::default());
        let hidden: Vec<usize> = (0..s.len()).filter(|&i| s[i]).collect();
        assert_eq!(hidden, vec![g.at(0, 0), g.at(0, 1), g.at(1, 0), g.at(1, 1)]);
        assert!(recoverable(&g, &s).is_empty());
        // Without secondary suppression the 2 is recovered from its row total.
        let only_primary: Vec<bool> = (0..s.len()).map(|i| i == g.at(0, 0)).collect();
        assert_eq!(recoverable(&g, &only_primary), vec![g.at(0, 0)]);
    }

    #[test]
    fn a_singleton_cannot_subtract_itself_to_find_its_partner() {
        // Row 0 holds 1 and 2 (both primary); the person in the 1 knows the row total minus the
        // published 50 is 3, and so that the other cell is 2.
        let inner = [1.0, 2.0, 50.0, 30.0, 30.0, 30.0, 40.0, 40.0, 40.0];
        let g = CountTable::with_margins(3, 3, &inner);
        let primary: Vec<bool> = g
            .values
            .iter()
            .map(|&v| Profile::default().primary(v))
            .collect();
        assert!(recoverable(&g, &primary).contains(&g.at(0, 1)));
        let s = suppress(&g, Profile::default());
        assert!(s[g.at(0, 2)], "a third cell in the singleton's row");
        assert!(recoverable(&g, &s).is_empty());
    }

    #[test]
    fn no_random_table_leaks_a_small_cell() {
        // 300 random tables (a seeded xorshift), mostly small counts: after suppression no published
        // inner cell is small, and the attacker pins none of the suppressed cells.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for case in 0..300 {
            let rows = 2 + next(6) as usize;
            let cols = 2 + next(4) as usize;
            let inner: Vec<f64> = (0..rows * cols)
                .map(|_| match next(4) {
                    0 => 0.0,
                    1 => 1.0 + next(3) as f64,
                    _ => next(60) as f64,
                })
                .collect();
            let g = CountTable::with_margins(rows, cols, &inner);
            for profile in [Profile::Threshold(3), Profile::Threshold(5)] {
                let s = suppress(&g, profile);
                for r in 0..rows {
                    for c in 0..cols {
                        let i = g.at(r, c);
                        assert!(
                            s[i] || !profile.primary(g.values[i]),
                            "case {case}: small cell published"
                        );
                    }
                }
                let pinned = recoverable(&g, &s);
                assert!(
                    pinned.is_empty(),
                    "case {case}: {pinned:?} recoverable in {inner:?}"
                );
            }
        }
    }

    #[test]
    fn three_hidden_singletons_under_a_published_total_are_pinned_and_then_protected() {
        // Issue 14's pharmacy technicians: men 1, 1, 1 in three counties beside large women's
        // cells, the men's national total published. Suppressing each singleton with its row
        // partner satisfies the relation rules, but the three hidden men's cells sum to exactly 3,
        // each at least 1: every one is 1. The one-at-a-time attacker misses it; the exact check
        // does not.
        let inner = [
            1.0, 40.0, 1.0, 35.0, 1.0, 50.0, 60.0, 80.0, 70.0, 90.0, 66.0, 75.0,
        ];
        let g = CountTable::with_margins(6, 2, &inner);
        let mut pattern = vec![false; g.values.len()];
        for r in 0..3 {
            // The singleton, its row partner, and a third cell so that the singleton cannot
            // subtract themself from the row total (the relation rules' pattern).
            pattern[g.at(r, 0)] = true;
            pattern[g.at(r, 1)] = true;
            pattern[g.at(r, 2)] = true;
        }
        assert!(recoverable(&g, &pattern).is_empty());
        let seen = exposures(&g, &pattern, Profile::default());
        let men: Vec<&Exposure> = seen
            .iter()
            .filter(|e| e.respondent.is_none() && e.cell % 3 == 0)
            .collect();
        assert_eq!(men.len(), 3, "{seen:?}");
        assert!(men.iter().all(|e| e.low == 1.0 && e.high == 1.0), "{men:?}");
        let s = suppress(&g, Profile::default());
        assert!(exposures(&g, &s, Profile::default()).is_empty());
        assert!(recoverable(&g, &s).is_empty());
    }

    #[test]
    fn the_flow_bounds_match_a_hand_worked_rectangle() {
        // 2×2 with margins, the four inner cells suppressed, margins published:
        //   [a b | 5]   a + b = 5, c + d = 14, a + c = 7, b + d = 12, all ≥ 1:
        //   [c d | 14]  b = 5 − a ≥ 1 gives a ≤ 4, c = 7 − a ≥ 1 gives a ≤ 6, d = 7 + a;
        //   [7 12| 19]  so a ∈ [1, 4] and d ∈ [8, 11].
        let g = CountTable::with_margins(2, 2, &[2.0, 3.0, 5.0, 9.0]);
        let mut s = vec![false; g.values.len()];
        for (r, c) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            s[g.at(r, c)] = true;
        }
        let a = exposure_of(&g, &s, Profile::default(), g.at(0, 0), None).unwrap();
        assert_eq!((a.low, a.high), (1.0, 4.0));
        let d = exposure_of(&g, &s, Profile::default(), g.at(1, 1), None).unwrap();
        assert_eq!((d.low, d.high), (8.0, 11.0));
        // a = 2 needs [1, 5]: 4 < 2 + 3, too narrow.
        assert!(a.fails(Profile::default()));
        // Under ONS 10-5 a published 15 is any of 13..=17, a published 10 any of 10..=12 (9 and
        // below are suppressed).
        assert_eq!(Profile::Ons10And5.published_range(15.0), (13.0, 17.0));
        assert_eq!(Profile::Ons10And5.published_range(10.0), (10.0, 12.0));
    }

    #[test]
    fn no_random_table_is_exposed_to_the_exact_check() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for case in 0..200 {
            let rows = 2 + next(6) as usize;
            let cols = 2 + next(3) as usize;
            let inner: Vec<f64> = (0..rows * cols)
                .map(|_| match next(4) {
                    0 => 0.0,
                    1 => 1.0 + next(9) as f64,
                    _ => next(60) as f64,
                })
                .collect();
            let g = CountTable::with_margins(rows, cols, &inner);
            for profile in [
                Profile::Threshold(3),
                Profile::Threshold(5),
                Profile::Ons10And5,
            ] {
                let s = suppress(&g, profile);
                let left = exposures(&g, &s, profile);
                assert!(
                    left.is_empty(),
                    "case {case} {profile:?}: {left:?} in {inner:?}"
                );
                for (i, &v) in g.values.iter().enumerate() {
                    assert!(s[i] || !profile.primary(v), "case {case}: {v} published");
                }
            }
        }
    }

    #[test]
    fn zeros_are_published_and_profiles_parse() {
        let g = CountTable::with_margins(1, 2, &[0.0, 7.0]);
        assert!(suppress(&g, Profile::default()).iter().all(|s| !s));
        assert_eq!(Profile::try_from("5"), Ok(Profile::Threshold(5)));
        assert_eq!(Profile::try_from("ons-10-5"), Ok(Profile::Ons10And5));
        assert!(Profile::try_from("zero").is_err());
        assert_eq!(Profile::try_from("none"), Ok(Profile::Unprotected));
        assert!(!Profile::default().eq(&Profile::Unprotected));
        assert_eq!(Profile::Ons10And5.publish(12.0), 10.0);
        assert_eq!(Profile::Ons10And5.publish(13.0), 15.0);
    }
}
