//! Helpers shared by integration tests (each test file that uses them declares `mod common;`).

use std::path::Path;

/// Sums of a default PX table's values by the codes of the dimensions `by` (ids as hwf reads
/// them), over the rows with the codes `only` names (dimension id, code).
pub fn px_sums(
    file: &str,
    by: &[&str],
    only: &[(&str, &str)],
) -> std::collections::BTreeMap<Vec<String>, f64> {
    let t = hwf::ingest::read_table(&Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for r in 0..t.len() {
        let code = |id: &str| {
            let d = t.dims.iter().position(|d| d.id == id).unwrap();
            t.code(d, r).to_string()
        };
        if only.iter().all(|(d, v)| code(d) == *v) {
            let k: Vec<String> = by.iter().map(|d| code(d)).collect();
            *out.entry(k).or_insert(0.0) += t.value(r).unwrap_or(0.0);
        }
    }
    out
}
