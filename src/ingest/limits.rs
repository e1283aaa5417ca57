//! The resource limits every reader checks before it reserves memory.
//!
//! A file declares sizes (a PX cube's VALUES × KEYS, a JSON-stat `size`, a sheet's cell range, a zip
//! entry's uncompressed size); hwf checks each against the bytes actually present and against these
//! limits **before** allocating, so that a few kilobytes cannot ask for gigabytes. A refusal is an
//! [`IngestError::TooLarge`](super::IngestError::TooLarge) naming the file, the place, the size that
//! would have been needed and the limit.
//!
//! | limit | default | environment variable |
//! |---|---|---|
//! | cells in one table | 50,000,000 | `HWF_MAX_CELLS` |
//! | bytes read from one input | 1 GiB | `HWF_MAX_INPUT_BYTES` |
//! | bytes in one CSV line | 1 MiB | `HWF_MAX_LINE_BYTES` |
//! | cells of a sparse cube per cell written (PX `KEYS`, JSON-stat sparse `value`) | 100 | `HWF_MAX_SPARSE_EXPANSION` |
//! | uncompressed bytes of one xlsx part (a sheet of a million rows that hwf writes is about 370 MB) | 1 GiB | `HWF_MAX_XLSX_PART_BYTES` |
//! | uncompressed bytes of a whole xlsx | 1 GiB | `HWF_MAX_XLSX_BYTES` |
//! | compression ratio of an xlsx part or a Parquet page over 1 MiB | 200 | `HWF_MAX_ZIP_RATIO` |
//! | uncompressed bytes of a Parquet file's pages (from their headers) | 1 GiB | `HWF_MAX_PARQUET_BYTES` |
//! | cells of a worksheet's used range (a million rows of hwf's own widest tables is about 14 M) | 20,000,000 | `HWF_MAX_SHEET_CELLS` |
//! | shared strings of a workbook | 10,000,000 | `HWF_MAX_SHARED_STRINGS` |
//!
//! A sparse cube below 1,000,000 cells is always accepted, however few cells it writes.

/// Limits on what one input may make hwf allocate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Cells (rows of the tidy table) in one table.
    pub max_cells: u64,
    /// Bytes read from one input (also the cap on inputs that are not regular files).
    pub max_input_bytes: u64,
    /// Bytes in one line of a CSV file.
    pub max_line_bytes: u64,
    /// Cells of a sparse cube per cell the file writes (above [`SPARSE_FREE_CELLS`]).
    pub max_sparse_expansion: u64,
    /// Uncompressed bytes of one part (zip entry) of an xlsx file.
    pub max_xlsx_part_bytes: u64,
    /// Uncompressed bytes of all parts of an xlsx file.
    pub max_xlsx_bytes: u64,
    /// Uncompressed / compressed size of an xlsx part, or a Parquet page, larger than 1 MiB.
    pub max_zip_ratio: u64,
    /// Cells in the bounding box of a worksheet's filled cells.
    pub max_sheet_cells: u64,
    /// Strings in a workbook's shared-string table.
    pub max_shared_strings: u64,
    /// Uncompressed bytes of all pages of a Parquet file, as their headers declare them.
    pub max_parquet_bytes: u64,
}

/// Which of the [`Limits`] a refusal is about: its unit and the environment variable that raises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_cells`].
    MaxCells,
    /// [`Limits::max_input_bytes`].
    MaxInputBytes,
    /// [`Limits::max_line_bytes`].
    MaxLineBytes,
    /// [`Limits::max_sparse_expansion`].
    MaxSparseExpansion,
    /// [`Limits::max_xlsx_part_bytes`].
    MaxXlsxPartBytes,
    /// [`Limits::max_xlsx_bytes`].
    MaxXlsxBytes,
    /// [`Limits::max_zip_ratio`].
    MaxZipRatio,
    /// [`Limits::max_sheet_cells`].
    MaxSheetCells,
    /// [`Limits::max_shared_strings`].
    MaxSharedStrings,
    /// [`Limits::max_parquet_bytes`].
    MaxParquetBytes,
}

impl Limit {
    /// The environment variable that sets this limit.
    pub fn env_var(self) -> &'static str {
        match self {
            Limit::MaxCells => "HWF_MAX_CELLS",
            Limit::MaxInputBytes => "HWF_MAX_INPUT_BYTES",
            Limit::MaxLineBytes => "HWF_MAX_LINE_BYTES",
            Limit::MaxSparseExpansion => "HWF_MAX_SPARSE_EXPANSION",
            Limit::MaxXlsxPartBytes => "HWF_MAX_XLSX_PART_BYTES",
            Limit::MaxXlsxBytes => "HWF_MAX_XLSX_BYTES",
            Limit::MaxZipRatio => "HWF_MAX_ZIP_RATIO",
            Limit::MaxSheetCells => "HWF_MAX_SHEET_CELLS",
            Limit::MaxSharedStrings => "HWF_MAX_SHARED_STRINGS",
            Limit::MaxParquetBytes => "HWF_MAX_PARQUET_BYTES",
        }
    }

    /// What the sizes it bounds count.
    pub fn unit(self) -> &'static str {
        match self {
            Limit::MaxCells | Limit::MaxSparseExpansion | Limit::MaxSheetCells => "cells",
            Limit::MaxSharedStrings => "strings",
            _ => "bytes",
        }
    }
}

/// A sparse cube this small is accepted whatever its expansion.
pub const SPARSE_FREE_CELLS: u64 = 1_000_000;

/// Parts (and Parquet pages) smaller than this are not held to [`Limits::max_zip_ratio`].
pub const RATIO_FREE_BYTES: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_cells: 50_000_000,
            max_input_bytes: 1 << 30,
            max_line_bytes: 1 << 20,
            max_sparse_expansion: 100,
            max_xlsx_part_bytes: 1 << 30,
            max_xlsx_bytes: 1 << 30,
            max_zip_ratio: 200,
            max_sheet_cells: 20_000_000,
            max_shared_strings: 10_000_000,
            max_parquet_bytes: 1 << 30,
        }
    }
}

impl Limits {
    /// The defaults, each raised or lowered by its `HWF_MAX_…` environment variable when that holds a
    /// whole number (see the module's table); other values are ignored.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// As [`Limits::from_env`], with the variables looked up by `get`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut l = Limits::default();
        let fields: [(&str, &mut u64); 10] = [
            ("HWF_MAX_CELLS", &mut l.max_cells),
            ("HWF_MAX_INPUT_BYTES", &mut l.max_input_bytes),
            ("HWF_MAX_LINE_BYTES", &mut l.max_line_bytes),
            ("HWF_MAX_SPARSE_EXPANSION", &mut l.max_sparse_expansion),
            ("HWF_MAX_XLSX_PART_BYTES", &mut l.max_xlsx_part_bytes),
            ("HWF_MAX_XLSX_BYTES", &mut l.max_xlsx_bytes),
            ("HWF_MAX_ZIP_RATIO", &mut l.max_zip_ratio),
            ("HWF_MAX_SHEET_CELLS", &mut l.max_sheet_cells),
            ("HWF_MAX_SHARED_STRINGS", &mut l.max_shared_strings),
            ("HWF_MAX_PARQUET_BYTES", &mut l.max_parquet_bytes),
        ];
        for (name, slot) in fields {
            if let Some(v) = get(name).and_then(|v| v.trim().replace('_', "").parse::<u64>().ok()) {
                *slot = v;
            }
        }
        l
    }

    /// Whether a sparse cube of `total` cells that writes `present` of them is within the limits.
    pub fn sparse_ok(&self, total: u64, present: u64) -> bool {
        total <= SPARSE_FREE_CELLS
            || total <= present.max(1).saturating_mul(self.max_sparse_expansion)
    }
}

/// The product of declared sizes, or `None` when it does not fit in 64 bits.
pub fn checked_product(sizes: &[usize]) -> Option<u64> {
    sizes
        .iter()
        .try_fold(1u64, |acc, &n| acc.checked_mul(n as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_raises_a_limit_and_ignores_garbage() {
        let l = Limits::from_lookup(|k| match k {
            "HWF_MAX_CELLS" => Some("200_000_000".into()),
            "HWF_MAX_LINE_BYTES" => Some("lots".into()),
            _ => None,
        });
        assert_eq!(l.max_cells, 200_000_000);
        assert_eq!(l.max_line_bytes, 1 << 20);
        assert_eq!(l.max_input_bytes, 1 << 30);
    }

    #[test]
    fn sparse_cubes_are_bounded_by_what_they_write() {
        let l = Limits::default();
        assert!(l.sparse_ok(999_999, 1));
        assert!(l.sparse_ok(10_000_000, 100_000));
        assert!(!l.sparse_ok(10_000_001, 100_000));
        assert_eq!(checked_product(&[1000, 1000, 399]), Some(399_000_000));
        assert_eq!(checked_product(&[usize::MAX, 2]), None);
    }
}
