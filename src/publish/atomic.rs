//! Writing outputs whole or not at all, and never over what hwf did not write.
//!
//! A single file goes to a temporary name beside the target and is renamed into place. A folder of
//! outputs is built in a temporary sibling folder and then swapped with the old one in one step
//! (on Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames a moment apart, the old folder
//! first moved aside), so a run killed at any moment leaves the previous complete folder, or none,
//! never a mix.
//!
//! Every folder hwf writes carries a marker, [`MARKER`], listing the entries it wrote. hwf replaces
//! only such a folder, or an empty one. It refuses:
//!
//! - a path that is a file or a symbolic link;
//! - the current directory or one of its parents (the folder the shell stands in);
//! - a folder holding anything hwf did not write, naming what it found: a user's files, or another
//!   command's output (a report never wipes the allocation written beside it).
//!
//! With [`OutDir::keep_others`] (the CLI's `--into-existing`) hwf writes into such a folder entry by
//! entry, replacing only the entries its marker lists and refusing before it writes anything if a
//! name it would write belongs to someone else. That mode cannot be atomic as a whole.
//!
//! Temporary and swapped-out folders of runs that were killed (`.NAME.tmp-PID`, `.NAME.old-PID`
//! whose process is gone) are removed by the next run that writes `NAME`, when they carry the
//! marker (or are empty).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The file in every output folder hwf writes: which program wrote it and the entries it wrote.
pub const MARKER: &str = ".hwf-output.json";

/// The marker while it is being written.
const MARKER_PART: &str = ".hwf-output.json.part";

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
    /// The output folder's path names something hwf must not replace; nothing was written.
    #[error("{path}: {reason}; nothing was written")]
    Refused {
        /// The target as given.
        path: PathBuf,
        /// Why, and what to do instead.
        reason: Refusal,
    },
}

/// Why an output folder was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The path is a file (or anything but a folder).
    #[error(
        "is a file, not a folder; expected a new folder or one hwf wrote (choose another --out)"
    )]
    NotAFolder,
    /// The path is a symbolic link.
    #[error(
        "is a symbolic link; hwf does not replace links (give the folder it points to, or another --out)"
    )]
    SymbolicLink,
    /// The path is the current directory or one of its parents.
    #[error(
        "is the current directory or one of its parents; hwf replaces its output folder whole, so it must be a folder below where you stand (e.g. --out out/report)"
    )]
    HoldsCurrentDirectory,
    /// The path has no parent folder to build beside (`/`).
    #[error("has no parent folder; expected a folder below it")]
    NoParent,
    /// The folder holds entries hwf did not write.
    #[error(
        "holds {} hwf did not write ({}{}); hwf replaces only folders it wrote itself (they carry {MARKER}). Choose another --out, move them away, or add --into-existing to write beside them without touching them",
        if .entries.len() == 1 { "an entry" } else { "entries" },
        .entries.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
        if .entries.len() > 5 { format!(", … {} in all", .entries.len()) } else { String::new() }
    )]
    Foreign {
        /// The entries (names directly in the folder) hwf did not write, sorted.
        entries: Vec<String>,
    },
    /// With `--into-existing`: an entry hwf would write has the name of an entry it did not write.
    #[error(
        "already holds {} that hwf did not write and would overwrite ({}); move {} away or choose another --out",
        if .entries.len() == 1 { "an entry" } else { "entries" },
        .entries.join(", "),
        if .entries.len() == 1 { "it" } else { "them" }
    )]
    WouldOverwrite {
        /// The clashing names, sorted.
        entries: Vec<String>,
    },
    /// The nearest existing folder above the target cannot be written to.
    #[error("cannot be created: {above} is not a writable folder")]
    NotWritable {
        /// The nearest existing ancestor.
        above: PathBuf,
    },
}

/// An output folder and how hwf may treat what is already there.
#[derive(Clone, Debug)]
pub struct OutDir {
    path: PathBuf,
    keep_others: bool,
}

impl OutDir {
    /// An output folder that hwf creates, or replaces when it wrote it (see the module docs).
    pub fn new(path: impl Into<PathBuf>) -> OutDir {
        OutDir {
            path: path.into(),
            keep_others: false,
        }
    }

    /// Also allow a folder holding entries hwf did not write: hwf then writes beside them, entry by
    /// entry, and never touches them.
    pub fn keep_others(mut self, yes: bool) -> OutDir {
        self.keep_others = yes;
        self
    }

    /// The folder's path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks, before any work, that the folder may be written: what [`write_dir`] would refuse is
    /// refused here, so a long run never ends in a refusal. Clashes of names under
    /// [`OutDir::keep_others`] are known only when the outputs are, and are checked again then.
    ///
    /// # Errors
    ///
    /// [`PublishError::Refused`] with the [`Refusal`]; [`PublishError::Io`] when the folder cannot be
    /// read.
    pub fn check(&self) -> Result<(), PublishError> {
        self.state().map(|_| ())
    }

    fn refused(&self, reason: Refusal) -> PublishError {
        PublishError::Refused {
            path: self.path.clone(),
            reason,
        }
    }

    fn io(&self, source: std::io::Error) -> PublishError {
        PublishError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// What is at the target now, refusing what must not be replaced.
    fn state(&self) -> Result<State, PublishError> {
        let target = &self.path;
        if target.file_name().is_none() || target.parent().is_none() {
            // `/`, `..`, `foo/..`: no name of their own to build beside.
            return Err(if target.parent().is_none() {
                self.refused(Refusal::NoParent)
            } else {
                self.refused(Refusal::HoldsCurrentDirectory)
            });
        }
        let meta = match std::fs::symlink_metadata(target) {
            Ok(m) => m,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                let above = nearest_existing(target);
                if !writable_dir(&above) {
                    return Err(self.refused(Refusal::NotWritable { above }));
                }
                return Ok(State::Absent);
            }
            Err(e) => return Err(self.io(e)),
        };
        if meta.file_type().is_symlink() {
            return Err(self.refused(Refusal::SymbolicLink));
        }
        if !meta.is_dir() {
            return Err(self.refused(Refusal::NotAFolder));
        }
        if holds_current_dir(target) {
            return Err(self.refused(Refusal::HoldsCurrentDirectory));
        }
        let listed = read_marker(target);
        let mut foreign = Vec::new();
        let mut any = false;
        for e in std::fs::read_dir(target).map_err(|e| self.io(e))? {
            let name = e.map_err(|e| self.io(e))?.file_name();
            let name = name.to_string_lossy().into_owned();
            any = true;
            if name == MARKER {
                continue;
            }
            if !listed.as_ref().is_some_and(|l| l.contains(&name)) {
                foreign.push(name);
            }
        }
        foreign.sort();
        if foreign.is_empty() {
            if any {
                Ok(State::Ours)
            } else {
                Ok(State::Empty)
            }
        } else if self.keep_others {
            Ok(State::Shared {
                ours: listed.unwrap_or_default(),
                foreign,
            })
        } else {
            Err(self.refused(Refusal::Foreign { entries: foreign }))
        }
    }
}

/// What is at an output folder's path.
enum State {
    /// Nothing.
    Absent,
    /// An empty folder.
    Empty,
    /// A folder hwf wrote, holding nothing else.
    Ours,
    /// A folder holding others' entries (allowed by [`OutDir::keep_others`]).
    Shared {
        /// The entries hwf's marker lists.
        ours: Vec<String>,
        /// The others, sorted.
        foreign: Vec<String>,
    },
}

/// The entries an output folder's marker lists, or `None` when it has no readable marker.
fn read_marker(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    if v.get("written_by")?.as_str()? != "hwf" {
        return None;
    }
    Some(
        v.get("entries")?
            .as_array()?
            .iter()
            .filter_map(|e| e.as_str().map(str::to_string))
            .collect(),
    )
}

/// Writes the marker listing `entries` into `dir`.
fn write_marker(dir: &Path, entries: &[String]) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "written_by": "hwf",
        "version": env!("CARGO_PKG_VERSION"),
        "note": "hwf replaces this folder only while it holds nothing but the entries listed here",
        "entries": entries,
    }))
    .map_err(std::io::Error::other)?;
    // Through a temporary name, so a marker is never seen half-written.
    let part = dir.join(MARKER_PART);
    std::fs::write(&part, text + "\n")?;
    std::fs::rename(part, dir.join(MARKER))
}

/// The sorted names directly in `dir`, without the marker.
fn entries_of(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let n = e?.file_name().to_string_lossy().into_owned();
        if n != MARKER && n != MARKER_PART {
            v.push(n);
        }
    }
    v.sort();
    Ok(v)
}

/// Removes a folder hwf wrote, its marker last, so that a run killed while removing it leaves a
/// folder the next run still recognises as hwf's.
fn remove_ours(dir: &Path) -> std::io::Result<()> {
    for name in entries_of(dir)? {
        let p = dir.join(name);
        if std::fs::symlink_metadata(&p)?.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    let _ = std::fs::remove_file(dir.join(MARKER_PART));
    let _ = std::fs::remove_file(dir.join(MARKER));
    std::fs::remove_dir(dir)
}

fn nearest_existing(p: &Path) -> PathBuf {
    let mut cur = p.to_path_buf();
    loop {
        match cur.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => {
                if parent.exists() {
                    return parent.to_path_buf();
                }
                cur = parent.to_path_buf();
            }
            _ => return PathBuf::from("."),
        }
    }
}

#[cfg(unix)]
fn writable_dir(p: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    if !p.is_dir() {
        return false;
    }
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable_dir(p: &Path) -> bool {
    p.is_dir()
        && !std::fs::metadata(p)
            .map(|m| m.permissions().readonly())
            .unwrap_or(true)
}

/// Whether the current directory is `dir` or lies inside it.
fn holds_current_dir(dir: &Path) -> bool {
    let (Ok(cwd), Ok(d)) = (
        std::env::current_dir().and_then(|c| c.canonicalize()),
        dir.canonicalize(),
    ) else {
        return false;
    };
    cwd.starts_with(d)
}

fn sibling(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{kind}-{pid}"))
}

fn temp_name(path: &Path) -> PathBuf {
    sibling(path, "tmp", std::process::id())
}

/// Whether a process with this id is running (where that can be told; otherwise `true`, so that
/// nothing of a live run is removed).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Removes what killed runs left beside `target`: `.NAME.tmp-PID` and `.NAME.old-PID` whose process
/// is gone, when they are hwf's (a marker inside, or an empty folder, or for a single file's
/// temporary file, its name). Returns the paths removed.
pub fn remove_stale(target: &Path) -> Vec<PathBuf> {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(rd) = std::fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let pid = rest
            .strip_prefix("tmp-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if alive(pid) {
            continue;
        }
        let p = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let gone = if meta.is_dir() {
            // hwf's: a marker (even one cut short by the kill), or nothing at all.
            let ours = p.join(MARKER).is_file() || entries_of(&p).is_ok_and(|e| e.is_empty());
            ours && remove_ours(&p).is_ok()
        } else if meta.is_file() && rest.starts_with("tmp-") {
            std::fs::remove_file(&p).is_ok()
        } else {
            false
        };
        if gone {
            removed.push(p);
        }
    }
    removed.sort();
    removed
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
    remove_stale(path);
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

/// Swaps two existing paths in one step where the platform can (Linux); `Ok(false)` where it
/// cannot, and nothing was changed.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths for the duration of the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // The file system or kernel cannot exchange: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Builds a folder of outputs in a temporary sibling folder, then puts it in place of `out`'s path:
/// a run that fails leaves the previous folder (if any) as it was and no partial one, and nothing hwf
/// did not write is ever removed (see the module docs).
///
/// # Errors
///
/// [`PublishError::Refused`] when the path must not be replaced (checked again here, as
/// [`OutDir::check`] does, and before `build` runs); [`PublishError::Io`] when the parent folder is
/// not writable or `build` fails.
pub fn write_dir(
    out: &OutDir,
    build: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), PublishError> {
    let target = out.path();
    let state = out.state()?;
    let io = |source| PublishError::Io {
        path: target.to_path_buf(),
        source,
    };
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    remove_stale(target);
    let tmp = temp_name(target);
    let result = std::fs::create_dir(&tmp)
        .and_then(|_| write_marker(&tmp, &[]))
        .and_then(|_| build(&tmp))
        .and_then(|_| {
            let entries = entries_of(&tmp)?;
            write_marker(&tmp, &entries)?;
            Ok(entries)
        });
    let entries = match result {
        Ok(e) => e,
        Err(e) => {
            let _ = remove_ours(&tmp);
            return Err(io(e));
        }
    };
    let placed = match state {
        State::Absent => std::fs::rename(&tmp, target).map_err(io),
        State::Empty | State::Ours => swap_in(target, &tmp).map_err(io),
        State::Shared { ours, foreign } => merge_in(out, &tmp, &entries, &ours, &foreign),
    };
    if placed.is_err() {
        let _ = remove_ours(&tmp);
    }
    placed
}

/// Puts the built folder `tmp` in place of the existing folder `target` and removes the old one.
fn swap_in(target: &Path, tmp: &Path) -> std::io::Result<()> {
    if exchange(target, tmp)? {
        // `tmp` now holds the old folder.
        return remove_ours(tmp);
    }
    let old = sibling(target, "old", std::process::id());
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(tmp, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    remove_ours(&old)
}

/// Moves the built entries into a folder that holds others' entries, one by one: the entries hwf
/// wrote before are replaced (or removed when this run does not write them), the others are never
/// touched, and a name clash with one of them is refused before anything moves.
fn merge_in(
    out: &OutDir,
    tmp: &Path,
    entries: &[String],
    ours: &[String],
    foreign: &[String],
) -> Result<(), PublishError> {
    let target = out.path();
    let io = |source| PublishError::Io {
        path: target.to_path_buf(),
        source,
    };
    let clash: Vec<String> = entries
        .iter()
        .filter(|e| foreign.binary_search(e).is_ok())
        .cloned()
        .collect();
    if !clash.is_empty() {
        return Err(out.refused(Refusal::WouldOverwrite { entries: clash }));
    }
    let trash = sibling(target, "old", std::process::id());
    std::fs::create_dir(&trash).map_err(io)?;
    write_marker(&trash, ours).map_err(io)?;
    for name in ours {
        let from = target.join(name);
        if std::fs::symlink_metadata(&from).is_ok() {
            std::fs::rename(&from, trash.join(name)).map_err(io)?;
        }
    }
    for name in entries {
        std::fs::rename(tmp.join(name), target.join(name)).map_err(io)?;
    }
    write_marker(tmp, entries).map_err(io)?;
    std::fs::rename(tmp.join(MARKER), target.join(MARKER)).map_err(io)?;
    let _ = remove_ours(&trash);
    std::fs::remove_dir(tmp).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn refusal(e: PublishError) -> Refusal {
        match e {
            PublishError::Refused { reason, .. } => reason,
            e => panic!("expected a refusal, got {e}"),
        }
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("x.csv");
        let e = write(&target, b"a").unwrap_err();
        assert!(matches!(e, PublishError::Io { .. }), "{e}");
        assert!(!target.exists());
        let ok = dir.path().join("y.csv");
        write(&ok, b"abc").unwrap();
        assert_eq!(std::fs::read(&ok).unwrap(), b"abc");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_appears_whole_or_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::new(dir.path().join("report"));
        write_dir(&out, |d| std::fs::write(d.join("a.txt"), "1")).unwrap();
        assert_eq!(read_marker(out.path()).unwrap(), vec!["a.txt".to_string()]);
        let e = write_dir(&out, |d| {
            std::fs::write(d.join("a.txt"), "2")?;
            Err(std::io::Error::other("encoder failed"))
        });
        assert!(e.is_err());
        assert_eq!(
            std::fs::read_to_string(out.path().join("a.txt")).unwrap(),
            "1"
        );
        write_dir(&out, |d| std::fs::write(d.join("b.txt"), "3")).unwrap();
        assert!(!out.path().join("a.txt").exists());
        assert_eq!(names(out.path()), vec![MARKER, "b.txt"]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_with_a_users_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("thesis.docx"), "x").unwrap();
        let out = OutDir::new(&d);
        let r = refusal(out.check().unwrap_err());
        assert_eq!(
            r,
            Refusal::Foreign {
                entries: vec!["thesis.docx".into()]
            }
        );
        let mut built = false;
        let e = write_dir(&out, |_| {
            built = true;
            Ok(())
        });
        assert!(e.is_err() && !built);
        assert_eq!(names(&d), vec!["thesis.docx"]);
        // A file dropped later into a folder hwf wrote is someone else's too.
        let o = OutDir::new(dir.path().join("o"));
        write_dir(&o, |t| std::fs::write(t.join("report.html"), "r")).unwrap();
        std::fs::write(o.path().join("notes.txt"), "mine").unwrap();
        let r = refusal(write_dir(&o, |_| Ok(())).unwrap_err());
        assert_eq!(
            r,
            Refusal::Foreign {
                entries: vec!["notes.txt".into()]
            }
        );
        assert_eq!(
            std::fs::read_to_string(o.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn into_existing_writes_beside_others_and_replaces_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("thesis.docx"), "x").unwrap();
        let out = OutDir::new(&d).keep_others(true);
        write_dir(&out, |t| {
            std::fs::write(t.join("a.csv"), "1")?;
            std::fs::write(t.join("b.csv"), "1")
        })
        .unwrap();
        assert_eq!(names(&d), vec![MARKER, "a.csv", "b.csv", "thesis.docx"]);
        // A second run replaces a.csv, removes b.csv (hwf's, not written now), keeps the thesis.
        write_dir(&out, |t| std::fs::write(t.join("a.csv"), "2")).unwrap();
        assert_eq!(names(&d), vec![MARKER, "a.csv", "thesis.docx"]);
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(d.join("thesis.docx")).unwrap(), "x");
        // An output named like the user's file is refused before anything moves.
        let r = refusal(
            write_dir(&out, |t| {
                std::fs::write(t.join("thesis.docx"), "overwritten")
            })
            .unwrap_err(),
        );
        assert_eq!(
            r,
            Refusal::WouldOverwrite {
                entries: vec!["thesis.docx".into()]
            }
        );
        assert_eq!(std::fs::read_to_string(d.join("thesis.docx")).unwrap(), "x");
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "2");
        assert_eq!(names(dir.path()), vec!["d"]);
    }

    #[test]
    fn files_links_and_the_current_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("afile.txt");
        std::fs::write(&f, "x").unwrap();
        assert_eq!(
            refusal(OutDir::new(&f).check().unwrap_err()),
            Refusal::NotAFolder
        );
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "x");
        #[cfg(unix)]
        {
            let l = dir.path().join("link");
            std::os::unix::fs::symlink(dir.path(), &l).unwrap();
            assert_eq!(
                refusal(OutDir::new(&l).check().unwrap_err()),
                Refusal::SymbolicLink
            );
        }
        assert_eq!(
            refusal(OutDir::new("/").check().unwrap_err()),
            Refusal::NoParent
        );
        assert_eq!(
            refusal(OutDir::new("..").check().unwrap_err()),
            Refusal::HoldsCurrentDirectory
        );
        let cwd = std::env::current_dir().unwrap();
        // An empty folder would be replaceable, but not the one the process stands in.
        assert_eq!(
            refusal(OutDir::new(&cwd).keep_others(true).check().unwrap_err()),
            Refusal::HoldsCurrentDirectory
        );
        assert_eq!(
            refusal(OutDir::new(cwd.parent().unwrap()).check().unwrap_err()),
            Refusal::HoldsCurrentDirectory
        );
    }

    #[test]
    fn an_empty_folder_is_replaced_and_leftovers_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::new(dir.path().join("r"));
        std::fs::create_dir(out.path()).unwrap();
        // Leftovers of a run whose process is gone (no process has id u32::MAX - 1 here) …
        let dead = u32::MAX - 1;
        let stale_tmp = sibling(out.path(), "tmp", dead);
        std::fs::create_dir(&stale_tmp).unwrap();
        write_marker(&stale_tmp, &[]).unwrap();
        std::fs::write(stale_tmp.join("half.csv"), "1").unwrap();
        let stale_old = sibling(out.path(), "old", dead);
        std::fs::create_dir(&stale_old).unwrap();
        // … and one that is not hwf's: a folder with a user's file and no marker stays.
        let not_ours = sibling(out.path(), "old", dead - 1);
        std::fs::create_dir(&not_ours).unwrap();
        std::fs::write(not_ours.join("keep.txt"), "k").unwrap();
        write_dir(&out, |t| std::fs::write(t.join("a.txt"), "1")).unwrap();
        let mut want = vec![
            "r".to_string(),
            not_ours.file_name().unwrap().to_string_lossy().into_owned(),
        ];
        want.sort();
        assert_eq!(names(dir.path()), want);
        assert_eq!(names(out.path()), vec![MARKER, "a.txt"]);
    }
}
