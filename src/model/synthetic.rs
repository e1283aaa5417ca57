//! Which inputs are synthetic: the embedded default data, tables that say so, and the embedded
//! tables passed through `hwf convert` (CSV, xlsx, Parquet) and fed back, recognised by a content
//! fingerprint when the format carries no word of it.
//!
//! The fingerprint of a table is independent of its format and row order: the number of rows and
//! the wrapping sum of a 64-bit FNV-1a hash of each row, written as its dimensions (named by what
//! they stand for, else their id) with their codes, the value and the status. A cut of an embedded
//! table (one county's rows, written to CSV) is recognised row by row: every row's hash is one of
//! the embedded table's ([`part_of_embedded`]; the embedded rows are hashed only when an input has
//! the same dimensions as that table, once per process).

use super::scenario::InputFile;
use crate::table::Table;
use crate::validate::Concept;
use std::sync::OnceLock;

/// A table's content fingerprint: rows, and the sum of the rows' hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Number of rows.
    pub rows: usize,
    /// Wrapping sum of the row hashes.
    pub sum: u64,
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The names of a table's dimensions as the fingerprint knows them (what they stand for, else
/// their id), sorted: two tables can share rows only when these are the same.
pub fn signature(t: &Table) -> Vec<String> {
    let mut names: Vec<String> = t.dims.iter().map(dim_name).collect();
    names.sort();
    names
}

fn dim_name(dim: &crate::table::Dimension) -> String {
    Concept::of(dim).map_or_else(|| dim.id.trim().to_lowercase(), |c| format!("{c:?}"))
}

/// The fingerprint of a table's content (see the module text).
pub fn fingerprint(t: &Table) -> Fingerprint {
    let sum = row_hashes(t)
        .into_iter()
        .fold(0u64, |a, h| a.wrapping_add(h));
    Fingerprint { rows: t.len(), sum }
}

/// The hash of each row (see the module text): the same for a row of a relabelled copy, in any
/// format and row order.
pub fn row_hashes(t: &Table) -> Vec<u64> {
    // Dimensions in a fixed order, by name.
    let mut dims: Vec<(String, usize)> = t
        .dims
        .iter()
        .enumerate()
        .map(|(d, dim)| (dim_name(dim), d))
        .collect();
    dims.sort();
    let prefix: Vec<u64> = dims
        .iter()
        .map(|(n, _)| fnv(n.as_bytes(), 0xcbf2_9ce4_8422_2325))
        .collect();
    // Each category by the code it stands for, so that a relabelled copy (`Sjuksköterskor`,
    // `Jämtlands län`, `män`, `34 år`) is the same content.
    let canon: Vec<Vec<String>> = t
        .dims
        .iter()
        .map(|dim| {
            let concept = Concept::of(dim);
            dim.categories
                .iter()
                .map(|c| match concept {
                    Some(Concept::Age) => match crate::codes::age(&c.code) {
                        // `100` and `100+ år` are the population's last class either way.
                        Some(crate::codes::Age::Single(a))
                        | Some(crate::codes::Age::OpenTop(a)) => a.to_string(),
                        _ => c.code.trim().to_string(),
                    },
                    Some(k) => match crate::validate::resolve(k, c) {
                        crate::codes::Lookup::Code(code) => code,
                        _ => c.code.trim().to_string(),
                    },
                    None => c.code.trim().to_string(),
                })
                .collect()
        })
        .collect();
    (0..t.len())
        .map(|r| {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for ((_, d), p) in dims.iter().zip(&prefix) {
                h = fnv(&p.to_le_bytes(), h);
                h = fnv(canon[*d][t.keys[*d][r] as usize].as_bytes(), h);
                h = fnv(b"\x1f", h);
            }
            h = match t.value(r) {
                Some(v) => fnv(&(v + 0.0).to_bits().to_le_bytes(), h),
                None => fnv(b"-", h),
            };
            fnv(t.status[r].as_str().as_bytes(), h)
        })
        .collect()
}

/// The fingerprints of the embedded tables, by file name (computed once).
fn embedded() -> &'static [(String, Fingerprint)] {
    static FP: OnceLock<Vec<(String, Fingerprint)>> = OnceLock::new();
    FP.get_or_init(|| {
        crate::defaults::FILES
            .iter()
            .filter_map(|(n, _)| {
                crate::defaults::table(n)
                    .ok()
                    .map(|t| (n.to_string(), fingerprint(&t)))
            })
            .collect()
    })
}

/// The embedded table with the same content as `t`, if any.
pub fn same_as_embedded(t: &Table) -> Option<String> {
    // Only a table with as many rows as an embedded one can be one (the embedded fingerprints
    // are computed only then).
    if !crate::defaults::ROWS.contains(&t.len()) {
        return None;
    }
    let fp = fingerprint(t);
    embedded()
        .iter()
        .find(|(_, f)| *f == fp)
        .map(|(n, _)| n.clone())
}

/// The signatures ([`signature`]) of the embedded tables, in the order of
/// [`crate::defaults::FILES`] (checked against the tables by a test): which embedded table an
/// input can be a part of is known without reading any.
const SIGNATURES: [&[&str]; crate::defaults::FILES.len()] = [
    &["Age", "County", "Profession", "Sex", "Year"],
    &[
        "Age",
        "Contents",
        "County",
        "Profession",
        "Sector",
        "Sex",
        "Year",
    ],
    &["Age", "County", "Origin", "Profession", "Sex", "Year"],
    &["Age", "County", "Sex", "Year"],
    &["Age", "County", "Sex", "Year"],
    &["HealthcareRegion", "Profession", "Year", "uppgift"],
    &["Age", "Sector", "Sex"],
    &["Assessment", "County", "Profession", "Sector", "Year"],
    &["Age", "Service", "Sex"],
    &["County", "Profession", "Sector", "Service"],
    &["County", "HealthcareRegion", "Profession", "Year"],
    &["Age", "County", "Sex", "Specialty", "Year"],
    &["HealthcareRegion", "Specialty", "Year"],
];

/// The sorted row hashes of embedded table `i` (of [`crate::defaults::FILES`]), computed the
/// first time an input could be a part of it.
fn rows_of_embedded(i: usize) -> &'static [u64] {
    static ROWS: [OnceLock<Vec<u64>>; crate::defaults::FILES.len()] =
        [const { OnceLock::new() }; crate::defaults::FILES.len()];
    ROWS[i].get_or_init(|| {
        let mut h = crate::defaults::table(crate::defaults::FILES[i].0)
            .map(|t| row_hashes(&t))
            .unwrap_or_default();
        h.sort_unstable();
        h
    })
}

/// The embedded table that every row of `t` is a row of (a cut of it: one county, some
/// professions, some years, relabelled or not, in any format), with the number of rows of `t`
/// and of the embedded table; `None` when a row of `t` is no embedded row, or every row is zero
/// or empty (a table of zeros says nothing of where its numbers came from).
pub fn part_of_embedded(t: &Table) -> Option<(String, usize, usize)> {
    if t.is_empty() || !(0..t.len()).any(|r| t.value(r).is_some_and(|v| v != 0.0)) {
        return None;
    }
    let sig = signature(t);
    let hashes = row_hashes(t);
    crate::defaults::FILES
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            SIGNATURES[*i]
                .iter()
                .copied()
                .eq(sig.iter().map(String::as_str))
                && t.len() <= crate::defaults::ROWS[*i]
        })
        .find(|(i, _)| {
            let rows = rows_of_embedded(*i);
            hashes.iter().all(|h| rows.binary_search(h).is_ok())
        })
        .map(|(i, (n, _))| (n.to_string(), t.len(), crate::defaults::ROWS[i]))
}

/// Why an input counts as synthetic, or an empty string when it does not: it is embedded, it says
/// so (a PX `SOURCE`/`NOTE`, a `meta` sheet, a note), or its content is an embedded table's, or
/// a part of one (every row a row of it).
pub fn recognise(f: &InputFile, t: &Table) -> String {
    if f.file.starts_with("embedded:") {
        return "embedded default data".into();
    }
    if t.meta.synthetic {
        return "the table says it is synthetic".into();
    }
    if let Some(n) = same_as_embedded(t) {
        return format!("same content as the embedded {n}");
    }
    match part_of_embedded(t) {
        Some((n, k, all)) => format!("rows of the embedded {n} ({k} of its {all} rows)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signatures_are_the_embedded_tables() {
        for (i, (name, _)) in crate::defaults::FILES.iter().enumerate() {
            let t = crate::defaults::table(name).unwrap();
            let sig = signature(&t);
            assert_eq!(
                SIGNATURES[i].to_vec(),
                sig.iter().map(String::as_str).collect::<Vec<_>>(),
                "{name}"
            );
        }
    }
}
