//! The embedded default data set (`data/default/`): a calibrated **synthetic** Sweden, base year 2023,
//! stored in the formats its publishers use so that a default run goes through the real readers.
//!
//! The files are compiled into the binary, so `hwf` runs from any folder. They are made by
//! `scripts/gen_default_data.py` (seeded); `data/default/README.md` names the public aggregates they
//! are calibrated to. Every table read from here is marked synthetic.

use crate::ingest::{IngestError, read_bytes};
use crate::table::Table;
use std::path::Path;

/// The folder the files come from, as named in messages.
pub const DIR: &str = "data/default";

/// The manifest (`data/default/manifest.toml`): file names, formats, titles, checksums.
pub const MANIFEST: &str = include_str!("../data/default/manifest.toml");

/// The embedded files: name and bytes, in manifest order.
pub const FILES: [(&str, &[u8]); 13] = [
    ("licensed.px", include_bytes!("../data/default/licensed.px")),
    ("employed.px", include_bytes!("../data/default/employed.px")),
    (
        "licences_issued.px",
        include_bytes!("../data/default/licences_issued.px"),
    ),
    (
        "population.px",
        include_bytes!("../data/default/population.px"),
    ),
    (
        "population_projection.px",
        include_bytes!("../data/default/population_projection.px"),
    ),
    (
        "admissions.csv",
        include_bytes!("../data/default/admissions.csv"),
    ),
    (
        "care_use.csv",
        include_bytes!("../data/default/care_use.csv"),
    ),
    ("balance.csv", include_bytes!("../data/default/balance.csv")),
    (
        "service_use.csv",
        include_bytes!("../data/default/service_use.csv"),
    ),
    (
        "staffing.csv",
        include_bytes!("../data/default/staffing.csv"),
    ),
    (
        "destinations.csv",
        include_bytes!("../data/default/destinations.csv"),
    ),
    (
        "specialists.csv",
        include_bytes!("../data/default/specialists.csv"),
    ),
    (
        "st_starts.csv",
        include_bytes!("../data/default/st_starts.csv"),
    ),
];

/// The number of rows (cells) of each embedded table once read, in the order of [`FILES`] (a test
/// reads every file and compares): a table with another count cannot be one of them.
pub const ROWS: [usize; 13] = [
    776_160, 3_991_680, 2_328_480, 59_388, 93_324, 6_156, 606, 636, 1_212, 2_713, 16_765, 41_160,
    1_680,
];

/// The bytes of one embedded file.
pub fn bytes(name: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Reads one embedded file into a table marked synthetic.
///
/// # Errors
///
/// [`IngestError::Missing`] for a name that is not embedded, and any reader error (which would be a
/// bug in the generator: the test suite reads every file).
pub fn table(name: &str) -> Result<Table, IngestError> {
    let path = Path::new(DIR).join(name);
    let b = bytes(name).ok_or_else(|| {
        IngestError::missing(
            &path,
            crate::ingest::Location::File,
            format!("the embedded file {name:?}"),
            format!("one of {:?}", FILES.map(|f| f.0)),
        )
    })?;
    let mut t = read_bytes(&path, b)?;
    t.meta.synthetic = true;
    Ok(t)
}

/// The eight embedded tables the model reads, in the order of [`crate::model::INPUT_KEYS`]
/// (the first eight of [`FILES`]), for [`crate::model::inputs::Tables::in_key_order`].
///
/// # Errors
///
/// As [`table`].
pub fn input_tables() -> Result<[Table; 8], IngestError> {
    let mut out = Vec::with_capacity(8);
    for (name, _) in &FILES[..8] {
        out.push(table(name)?);
    }
    Ok(out
        .try_into()
        .unwrap_or_else(|_| unreachable!("eight names give eight tables")))
}

/// Every embedded table, by name.
pub fn tables() -> Vec<(String, Result<Table, IngestError>)> {
    FILES
        .iter()
        .map(|(n, _)| (format!("{DIR}/{n}"), table(n)))
        .collect()
}
