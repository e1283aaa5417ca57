//! Writing outputs whole or not at all: a temporary file (or folder) beside the target, then a rename.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An output that could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// The file or folder could not be written; nothing was left under its name.
    #[error("{path}: cannot write ({source})")]
    Io {
        /// The target.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An encoder (Parquet, xlsx, PNG) failed.
    #[error("{path}: cannot encode {what} ({message})")]
    Encode {
        /// The target.
        path: PathBuf,
        /// Which encoder.
        what: String,
        /// What it said.
        message: String,
    },
    /// The output's kind cannot be told from its name.
    #[error(
        "{path}: cannot tell the output format from the extension; expected .csv, .parquet or .xlsx"
    )]
    UnknownFormat {
        /// The target.
        path: PathBuf,
    },
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
///
/// # Errors
///
/// [`PublishError::Io`] when the folder is not writable or the disk is full; the temporary file is
/// removed and `path` is left as it was.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    let tmp = temp_name(path);
    let io = |source| PublishError::Io {
        path: path.to_path_buf(),
        source,
    };
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("x.csv");
        let e = write(&target, b"a").unwrap_err();
        assert!(e.to_string().contains("cannot write"), "{e}");
        assert!(!target.exists());
        let ok = dir.path().join("y.csv");
        write(&ok, b"abc").unwrap();
        assert_eq!(std::fs::read(&ok).unwrap(), b"abc");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
