//! What every reader target does with its input, so that the targets differ only in the file name
//! (which picks the reader, as the CLI's `read_table` does).

use hwf::ingest::{self, Limits};
use hwf::validate::{self, Options, TableKind};
use std::path::Path;

/// Reads `data` as the file `name` through [`ingest::read_bytes_with`] (the entry `hwf inspect`,
/// `validate` and `convert` reach after [`ingest::read_capped`]) under the default limits. Whatever it
/// returns, it must not panic, abort, hang or allocate beyond the fuzzer's memory limit. A table it
/// accepts must then
///
/// - pass through `hwf validate`'s checks (generic, and as a licensed-persons table) without panicking;
/// - read back from hwf's own tidy CSV (what `hwf convert` writes) as the same cells: the same
///   dimensions, and per row the same codes, value and status. A table hwf accepts but cannot read
///   back from its own output is a fault (issue 20: "`convert` then writes files hwf itself rejects").
///   Ids and codes are compared without surrounding white space: the CSV reader trims cells, so a PX
///   variable `"sexo "` comes back as `sexo` (a known normalisation, not a loss).
pub fn read(name: &str, data: &[u8]) {
    let Ok(t) = ingest::read_bytes_with(Path::new(name), data, &Limits::default()) else {
        return;
    };
    for kind in [TableKind::Other, TableKind::Licensed] {
        let _ = validate::check(
            &t,
            &Options {
                kind,
                ..Options::default()
            },
        );
    }
    let csv = hwf::publish::tables::csv_bytes(&t, b',', false, false);
    let back = match ingest::csv::read(Path::new("roundtrip.csv"), &csv) {
        Ok(back) => back,
        Err(e) => panic!("hwf accepted {name} but cannot read its own CSV of it: {e}"),
    };
    assert_eq!(back.len(), t.len(), "rows after the CSV round trip");
    let ids = |t: &hwf::table::Table| {
        t.dims
            .iter()
            .map(|d| d.id.trim().to_string())
            .collect::<Vec<_>>()
    };
    let (mut a, mut b) = (ids(&t), ids(&back));
    a.sort();
    b.sort();
    assert_eq!(a, b, "dimensions after the CSV round trip");
    let map: Vec<usize> = t
        .dims
        .iter()
        .map(|d| back.dim_index(d.id.trim()).expect("same ids"))
        .collect();
    for row in 0..t.len() {
        for (d, &bd) in map.iter().enumerate() {
            assert_eq!(
                t.code(d, row).trim(),
                back.code(bd, row).trim(),
                "code of dimension {} in row {row} after the CSV round trip",
                t.dims[d].id
            );
        }
        assert_eq!(t.status[row], back.status[row], "status of row {row}");
        let (x, y) = (t.values[row], back.values[row]);
        assert!(
            x == y || (x.is_nan() && y.is_nan()),
            "value of row {row} after the CSV round trip: {x} became {y}"
        );
    }
}
