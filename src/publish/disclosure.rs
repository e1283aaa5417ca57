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
//!   person, that person could subtract themself and learn the other, so a third is suppressed. The
//!   cell added is the smallest non-zero published cell of the relation (ties: the first), which
//!   keeps the loss small; the rules are applied until nothing changes, and then, for as long as the
//!   attacker check below can still pin a cell, one more cell next to it is suppressed.
//! - An **attacker check** ([`recoverable`]) works out, from the published cells and the relations,
//!   every suppressed cell that can be pinned: repeatedly solving any relation with one unknown, and
//!   again from the point of view of each one-person cell, who knows their own count.
//!
//! Derived figures (FTE, shares) of a suppressed count are suppressed with it: apply the same mask.

/// A disclosure rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Suppress `0 < n ≤ max_n`.
    Threshold(u32),
    /// ONS "10-5": suppress `0 < n < 10`, round published counts to the nearest 5.
    Ons10And5,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::Threshold(3)
    }
}

impl TryFrom<&str> for Profile {
    type Error = String;

    /// `3`, `5`, `threshold:N`, `ons-10-5`.
    fn try_from(s: &str) -> Result<Self, String> {
        let l = s.trim().to_lowercase();
        match l.as_str() {
            "ons-10-5" | "ons" | "10-5" => Ok(Profile::Ons10And5),
            _ => {
                let n = l.strip_prefix("threshold:").unwrap_or(&l);
                n.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .map(Profile::Threshold)
                    .ok_or_else(|| format!("unknown disclosure profile {s:?}; expected 3, 5, threshold:N or ons-10-5"))
            }
        }
    }
}

impl Profile {
    fn primary(self, n: f64) -> bool {
        match self {
            Profile::Threshold(m) => n > 0.0 && n <= m as f64,
            Profile::Ons10And5 => n > 0.0 && n < 10.0,
        }
    }

    /// The published value of an unsuppressed count.
    pub fn publish(self, n: f64) -> f64 {
        match self {
            Profile::Threshold(_) => n,
            Profile::Ons10And5 => (n / 5.0).round() * 5.0,
        }
    }
}

/// A table of counts extended with its margins: `(rows + 1) × (cols + 1)`, the last row and column
/// holding the totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Inner rows.
    pub rows: usize,
    /// Inner columns.
    pub cols: usize,
    /// Values, row-major over the extended grid.
    pub values: Vec<f64>,
}

impl Grid {
    /// Builds the extended grid from inner counts (row-major), adding the margins.
    pub fn with_margins(rows: usize, cols: usize, inner: &[f64]) -> Grid {
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
        Grid { rows, cols, values }
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
/// The relation rules above are applied until stable; then the attacker check runs, and while it
/// can still pin a cell, the smallest published cell of the tightest relation through that cell is
/// suppressed too and the rules run again. The loop ends because every round suppresses one more
/// cell, and a table with everything suppressed pins nothing.
pub fn suppress(g: &Grid, profile: Profile) -> Vec<bool> {
    let mut s: Vec<bool> = g.values.iter().map(|&v| profile.primary(v)).collect();
    let rels = g.relations();
    let smallest = |s: &[bool], rel: &[usize]| {
        rel.iter()
            .copied()
            .filter(|&i| !s[i] && g.values[i] > 0.0)
            .min_by(|&a, &b| g.values[a].total_cmp(&g.values[b]).then(a.cmp(&b)))
    };
    loop {
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
        let pinned = recoverable(g, &s);
        let Some(&cell) = pinned.first() else {
            return s;
        };
        let pick = rels
            .iter()
            .filter(|rel| rel.contains(&cell))
            .filter_map(|rel| {
                smallest(&s, rel).map(|i| (rel.iter().filter(|&&j| s[j]).count(), g.values[i], i))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        match pick {
            Some((_, _, i)) => s[i] = true,
            // Nothing left to suppress around the pinned cell: suppress every non-zero cell.
            None => {
                for (i, v) in g.values.iter().enumerate() {
                    if *v > 0.0 {
                        s[i] = true;
                    }
                }
                return s;
            }
        }
    }
}

/// The suppressed cells an attacker can pin from the published cells and the relations: by
/// repeatedly solving relations with one unknown, first as an outsider, then as each one-person
/// cell, who knows their own count.
pub fn recoverable(g: &Grid, suppressed: &[bool]) -> Vec<usize> {
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
        let g = Grid::with_margins(3, 3, &inner);
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
        let g = Grid::with_margins(3, 3, &inner);
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
            let g = Grid::with_margins(rows, cols, &inner);
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
    fn zeros_are_published_and_profiles_parse() {
        let g = Grid::with_margins(1, 2, &[0.0, 7.0]);
        assert!(suppress(&g, Profile::default()).iter().all(|s| !s));
        assert_eq!(Profile::try_from("5"), Ok(Profile::Threshold(5)));
        assert_eq!(Profile::try_from("ons-10-5"), Ok(Profile::Ons10And5));
        assert!(Profile::try_from("zero").is_err());
        assert_eq!(Profile::Ons10And5.publish(12.0), 10.0);
        assert_eq!(Profile::Ons10And5.publish(13.0), 15.0);
    }
}
