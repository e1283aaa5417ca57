//! Which inputs are synthetic: the embedded default data, tables that say so, and the embedded
//! tables passed through `hwf convert` (CSV, xlsx, Parquet) and fed back, recognised by a content
//! fingerprint when the format carries no word of it.
//!
//! The fingerprint of a table is independent of its format and row order: the number of rows and
//! the wrapping sum of a 64-bit FNV-1a hash of each row, written as its dimensions (named by what
//! they stand for, else their id) with their codes, the value and the status.

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

/// The fingerprint of a table's content (see the module text).
pub fn fingerprint(t: &Table) -> Fingerprint {
    // Dimensions in a fixed order, by name.
    let mut dims: Vec<(String, usize)> = t
        .dims
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            let name =
                Concept::of(dim).map_or_else(|| dim.id.trim().to_lowercase(), |c| format!("{c:?}"));
            (name, d)
        })
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
    let mut sum = 0u64;
    for r in 0..t.len() {
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
        h = fnv(t.status[r].as_str().as_bytes(), h);
        sum = sum.wrapping_add(h);
    }
    Fingerprint { rows: t.len(), sum }
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

/// Why an input counts as synthetic, or an empty string when it does not: it is embedded, it says
/// so (a PX `SOURCE`/`NOTE`, a `meta` sheet, a note), or its content is an embedded table's.
pub fn recognise(f: &InputFile, t: &Table) -> String {
    if f.file.starts_with("embedded:") {
        return "embedded default data".into();
    }
    if t.meta.synthetic {
        return "the table says it is synthetic".into();
    }
    match same_as_embedded(t) {
        Some(n) => format!("same content as the embedded {n}"),
        None => String::new(),
    }
}
