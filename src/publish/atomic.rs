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

/// Builds a folder of outputs in a temporary sibling folder, then moves it into place: a run that
/// fails leaves the previous folder (if any) as it was and no partial one.
///
/// # Errors
///
/// [`PublishError::Io`] when the parent folder is not writable or `build` fails.
pub fn write_dir(
    target: &Path,
    build: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), PublishError> {
    let io = |source| PublishError::Io {
        path: target.to_path_buf(),
        source,
    };
    let tmp = temp_name(target);
    let old = target.with_file_name(format!(
        ".{}.old-{}",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let result = std::fs::create_dir(&tmp).and_then(|_| build(&tmp));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(io(e));
    }
    let had_old = target.exists();
    if had_old {
        std::fs::rename(target, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            io(e)
        })?;
    }
    if let Err(e) = std::fs::rename(&tmp, target) {
        if had_old {
            let _ = std::fs::rename(&old, target);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(io(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
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

    #[test]
    fn a_folder_appears_whole_or_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        write_dir(&out, |d| std::fs::write(d.join("a.txt"), "1")).unwrap();
        let e = write_dir(&out, |d| {
            std::fs::write(d.join("a.txt"), "2")?;
            Err(std::io::Error::other("encoder failed"))
        });
        assert!(e.is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "1");
        write_dir(&out, |d| std::fs::write(d.join("b.txt"), "3")).unwrap();
        assert!(!out.join("a.txt").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
