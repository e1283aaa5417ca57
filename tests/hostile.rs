//! Hostile input (issue 20): memory bombs refused from their declared sizes, nothing wrong accepted,
//! messages a person can act on. Every file of `tests/fixtures/malformed/CATALOGUE.md` is run through
//! `hwf` as a process (and must leave nothing written); the typed errors are checked through the
//! library with the default limits.

use hwf::allocate::AllocationError;
use hwf::ingest::limits::Limit;
use hwf::ingest::{IngestError, Limits, Location, read_table_with};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn malformed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/malformed")
        .join(name)
}

fn hwf_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hwf"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run hwf");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// As [`hwf_env`], but the child is killed and the test fails if it has not finished within
/// `secs` seconds (for inputs that could leave a reader waiting, such as FIFOs).
fn hwf_deadline(args: &[&str], env: &[(&str, &str)], secs: u64) -> (i32, String, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hwf"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run hwf");
    // Drain both pipes on their own threads so that a chatty child never blocks on a full pipe.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for hwf") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hwf {args:?} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        out.join().unwrap(),
        err.join().unwrap(),
    )
}

fn read_err(name: &str) -> IngestError {
    match read_table_with(&malformed(name), &Limits::default()) {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => e,
    }
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hwf-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---------------------------------------------------------------------------------------------
// The catalogue, through the binary.

/// One row of the catalogue: the command (with `{}` for the file, `{data}` for `data/`, leading
/// `NAME=value` words as environment), the file, and text the error must contain.
struct Row {
    env: Vec<(String, String)>,
    args: Vec<String>,
    file: String,
    want: String,
}

fn catalogue() -> Vec<Row> {
    let text = std::fs::read_to_string(malformed("CATALOGUE.md")).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cols: Vec<&str> = line
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim())
            .collect();
        let tick = |s: &str| s.trim_matches('`').to_string();
        let (command, file, want) = match cols.as_slice() {
            [f, w] if f.starts_with('`') => ("inspect {}".to_string(), tick(f), tick(w)),
            [c, f, w] if f.starts_with('`') && !c.starts_with('`') => {
                (c.to_string(), tick(f), tick(w))
            }
            _ => continue,
        };
        let path = malformed(&file);
        let mut env = Vec::new();
        let mut args = Vec::new();
        for word in command.split_whitespace() {
            match word.split_once('=') {
                Some((k, v)) if args.is_empty() && k.starts_with("HWF_") => {
                    env.push((k.to_string(), v.to_string()))
                }
                _ => args.push(
                    word.replace("{}", path.to_str().unwrap())
                        .replace("{data}", data.to_str().unwrap()),
                ),
            }
        }
        rows.push(Row {
            env,
            args,
            file,
            want,
        });
    }
    rows
}

#[test]
fn every_catalogue_entry_is_a_located_error_with_nothing_written() {
    let rows = catalogue();
    assert!(rows.len() >= 45, "{} catalogue rows", rows.len());
    let out = scratch("catalogue");
    for row in &rows {
        let env: Vec<(&str, &str)> = row
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
        let t = Instant::now();
        let (code, stdout, err) = hwf_env(&args, &env);
        let took = t.elapsed();
        let all = format!("{stdout}{err}");
        assert!(code == 1 || code == 2, "{}: exit {code}: {all}", row.file);
        assert!(
            all.contains(&row.want),
            "{}: wanted {:?}, got {all:?}",
            row.file,
            row.want
        );
        assert!(!all.contains("panicked"), "{}: {all}", row.file);
        assert!(
            all.contains(&row.file),
            "{}: the message does not name the file: {all}",
            row.file
        );
        // Refusals come before the expensive work (generous, for a loaded machine).
        assert!(took < Duration::from_secs(20), "{}: {took:?}", row.file);
        // Nothing written: converting a file that cannot be read leaves no output.
        if args.first() == Some(&"inspect") {
            let target = out.join(format!("{}.csv", row.file));
            let (code, _, _) = hwf_env(&["convert", args[1], target.to_str().unwrap()], &env);
            assert_eq!(code, 2, "{}", row.file);
            assert!(!target.exists(), "{}: convert wrote {target:?}", row.file);
        }
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "something was written"
    );
    let _ = std::fs::remove_dir_all(out);
}

// ---------------------------------------------------------------------------------------------
// Bounded resources: typed refusals with the size that would have been needed.

#[test]
fn px_cubes_are_refused_from_their_declared_size() {
    match read_err("px_keys_bomb.px") {
        IngestError::TooLarge {
            needed,
            limit,
            exceeded,
            location: Location::Line(l),
            ..
        } => {
            assert_eq!(
                (needed, limit, exceeded),
                (399_000_000, 50_000_000, Limit::MaxCells)
            );
            assert_eq!(l, 10);
        }
        e => panic!("{e}"),
    }
    match read_err("px_keys_sparse.px") {
        IngestError::TooLarge {
            needed,
            limit,
            exceeded,
            ..
        } => {
            // 100 × 100 × 1000 cells from one KEYS row of 1000: at most 1000 × 100, or 1 M.
            assert_eq!(
                (needed, limit, exceeded),
                (10_000_000, 1_000_000, Limit::MaxSparseExpansion)
            );
        }
        e => panic!("{e}"),
    }
    match read_err("px_dense_overstated.px") {
        IngestError::Overstated {
            declared, present, ..
        } => {
            assert_eq!(declared, 2_000_000);
            assert!(present.contains("room for at most 4 cells"), "{present}");
        }
        e => panic!("{e}"),
    }
    // Raising the limit is what the message says: the sparse cube is then read (10 M cells would be
    // too slow for a test; a raised expansion on the small cube is enough to show the switch).
    let raised = Limits {
        max_sparse_expansion: 10_000,
        ..Limits::default()
    };
    let t = read_table_with(&malformed("px_keys_sparse.px"), &raised).unwrap();
    assert_eq!(t.len(), 10_000_000);
    assert_eq!(t.value(999), Some(1.0));
    assert_eq!(t.value(1000), Some(0.0));
}

#[test]
fn jsonstat_cubes_are_refused_from_their_declared_size() {
    match read_err("jsonstat_sparse_bomb.json") {
        IngestError::TooLarge {
            needed,
            exceeded,
            location: Location::Path(p),
            ..
        } => assert_eq!(
            (needed, exceeded, p.as_str()),
            (51_000_000, Limit::MaxCells, "$.size")
        ),
        e => panic!("{e}"),
    }
    match read_err("jsonstat_sparse_expansion.json") {
        IngestError::TooLarge {
            needed, exceeded, ..
        } => assert_eq!((needed, exceeded), (1_001_000, Limit::MaxSparseExpansion)),
        e => panic!("{e}"),
    }
}

#[test]
fn xlsx_packages_are_checked_before_calamine_reads_them() {
    match read_err("xlsx_far_cell.xlsx") {
        IngestError::TooLarge {
            needed, exceeded, ..
        } => assert_eq!(
            (needed, exceeded),
            (1_048_576 * 16_384, Limit::MaxSheetCells)
        ),
        e => panic!("{e}"),
    }
    match read_err("xlsx_zip_bomb.xlsx") {
        IngestError::TooLarge {
            exceeded, location, ..
        } => {
            assert_eq!(exceeded, Limit::MaxZipRatio);
            assert_eq!(location, Location::Path("xl/worksheets/sheet1.xml".into()));
        }
        e => panic!("{e}"),
    }
    match read_err("xlsx_huge_declared.xlsx") {
        IngestError::TooLarge {
            needed, exceeded, ..
        } => assert_eq!((needed, exceeded), (2 << 30, Limit::MaxXlsxPartBytes)),
        e => panic!("{e}"),
    }
    match read_err("xlsx_size_lies.xlsx") {
        IngestError::Overstated { declared, .. } => assert_eq!(declared, 1000),
        e => panic!("{e}"),
    }
}

#[test]
fn long_csv_lines_are_refused_before_splitting() {
    let limits = Limits {
        max_line_bytes: 64,
        ..Limits::default()
    };
    match read_table_with(&malformed("csv_long_line.csv"), &limits) {
        Err(IngestError::TooLarge {
            needed,
            location: Location::Line(3),
            ..
        }) => assert_eq!(needed, 205),
        other => panic!("{other:?}"),
    }
}

#[test]
fn dev_zero_and_fifos_are_read_with_a_cap() {
    let t = Instant::now();
    let (code, _, err) = hwf_env(&["inspect", "/dev/zero"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("not a regular file") && err.contains("all NUL bytes"),
        "{err}"
    );
    assert!(t.elapsed() < Duration::from_secs(20));
    // The same through the xlsx sheet option, which reads the workbook itself.
    let (code, _, err) = hwf_deadline(&["inspect", "/dev/zero", "--sheet", "Blad1"], &[], 60);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("all NUL bytes"), "{err}");
    // A FIFO named like a CSV that streams more than the cap.
    let dir = scratch("fifo");
    let fifo = dir.join("stream.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available: FIFO case skipped");
        return;
    }
    // A small table through a FIFO (as `hwf inspect <(curl …)` gives): read once, whole. The
    // writer closes right after writing; a reader that opened the FIFO twice would wait for ever
    // for a second writer (seen as an intermittent hang before the input was opened once).
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) {
            let _ = f.write_all(b"kommun;antal\n0114;5\n0115;7\n");
        }
    });
    let (code, out, err) = hwf_deadline(&["inspect", fifo.to_str().unwrap()], &[], 60);
    let _ = writer.join();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cells:      2\n"), "{out}");
    // A FIFO that streams more than the cap.
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) {
            let _ = f.write_all(b"kommun;antal\n");
            for _ in 0..100_000 {
                if f.write_all(b"0114;5\n").is_err() {
                    break;
                }
            }
        }
    });
    let (code, _, err) = hwf_deadline(
        &["inspect", fifo.to_str().unwrap()],
        &[("HWF_MAX_INPUT_BYTES", "10000")],
        60,
    );
    let _ = writer.join();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "reading the input (not a regular file) would need 10001 bytes, over the limit of 10000"
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A pipe as `hwf inspect <(cat x.csv)` gives it (`/dev/fd/63`: no extension) holding CSV, which has
/// no signature: refused with a word on `--format`, read with it; `--format` is no way around the
/// cap on a stream of NUL bytes.
#[test]
fn a_pipe_without_a_name_is_read_in_the_format_named() {
    let dir = scratch("format");
    let fifo = dir.join("63");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("mkfifo not available: case skipped");
        return;
    }
    let write = |fifo: PathBuf| {
        std::thread::spawn(move || {
            use std::io::Write;
            if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) {
                let _ = f.write_all(b"kommun;antal\n0114;5\n0115;7\n0117;9\n");
            }
        })
    };
    let f = fifo.to_str().unwrap();
    let writer = write(fifo.clone());
    let (code, _, err) = hwf_deadline(&["inspect", f], &[], 60);
    let _ = writer.join();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("or the format named with --format"), "{err}");
    let writer = write(fifo.clone());
    let (code, out, err) = hwf_deadline(&["inspect", "--format", "csv", f], &[], 60);
    let _ = writer.join();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cells:      3\n"), "{out}");
    let writer = write(fifo.clone());
    let (code, _, err) = hwf_deadline(&["validate", "--format", "csv", f], &[], 60);
    let _ = writer.join();
    assert!(err.is_empty() && code != 2, "{code} {err}");
    let (code, _, err) = hwf_deadline(&["inspect", "--format", "csv", "/dev/zero"], &[], 60);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("all NUL bytes"), "{err}");
    let (code, _, err) = hwf_deadline(&["inspect", "--format", "ods", f], &[], 60);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("expected one of px, json, csv, xlsx, parquet"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// Nothing wrong accepted.

#[test]
fn duplicates_in_px_and_jsonstat_are_errors_at_their_place() {
    let line = |name: &str| match read_err(name) {
        IngestError::Syntax {
            location: Location::Line(l),
            found,
            ..
        } => (l, found),
        e => panic!("{name}: {e}"),
    };
    assert_eq!(
        line("px_values_twice.px"),
        (6, "VALUES(\"län\") a second time (first at line 5)".into())
    );
    assert_eq!(
        line("px_stub_repeated.px"),
        (3, "the variable \"län\" twice (in STUB and STUB)".into())
    );
    assert_eq!(line("px_variable_code_twice.px").0, 8);
    let path = |name: &str| match read_err(name) {
        IngestError::Syntax {
            location: Location::Path(p),
            ..
        } => p,
        e => panic!("{name}: {e}"),
    };
    assert_eq!(path("jsonstat_duplicate_id.json"), "$.id[1]");
    assert_eq!(
        path("jsonstat_duplicate_category.json"),
        "$.dimension.län.category.index[1]"
    );
    assert_eq!(path("jsonstat_negative_size.json"), "$.size[0]");
}

#[test]
fn tlist_ranges_are_checked_and_blamed_on_timeval() {
    for (name, want) in [
        ("px_tlist_overflow.px", "the start \"2147483647\""),
        (
            "px_tlist_reversed.px",
            "the reversed range \"2021\"-\"2019\"",
        ),
    ] {
        match read_err(name) {
            IngestError::Syntax {
                location: Location::Line(6),
                found,
                ..
            } => {
                assert!(found.starts_with("TIMEVAL(\"år\"): "), "{found}");
                assert!(found.contains(want), "{found}");
            }
            e => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn numbers_are_read_in_the_files_locale_or_refused_at_the_cell() {
    match read_err("csv_thousands_point.csv") {
        IngestError::Number {
            location: Location::LineCol(2, 2),
            found,
            expected,
            ..
        } => {
            assert_eq!(found, "1.500");
            assert!(expected.contains("fifteen hundred"), "{expected}");
        }
        e => panic!("{e}"),
    }
    match read_err("xlsx_date_value.xlsx") {
        IngestError::Syntax {
            location: Location::Cell { row: 2, col: 1, .. },
            found,
            ..
        } => assert_eq!(
            found,
            "a date-formatted cell (2020-01-01) in a value column"
        ),
        e => panic!("{e}"),
    }
    match read_err("csv_nan_inf.csv") {
        IngestError::Several {
            errors, more: 0, ..
        } => {
            let at: Vec<(Location, String)> = errors
                .into_iter()
                .map(|e| match e {
                    IngestError::Number {
                        location, found, ..
                    } => (location, found),
                    e => panic!("{e}"),
                })
                .collect();
            assert_eq!(
                at,
                vec![
                    (Location::LineCol(2, 2), "nan".to_string()),
                    (Location::LineCol(4, 2), "inf".to_string()),
                    (Location::LineCol(5, 2), "1e400".to_string()),
                ]
            );
        }
        e => panic!("{e}"),
    }
}

/// A small deterministic generator (64-bit LCG, Knuth's constants) for the mutants.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn mutated_parquet_written_by_hwf_never_panics() {
    let dir = scratch("parquet");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/px/Autopen__BE0101N1.px");
    let pq = dir.join("population.parquet");
    let (code, _, err) = hwf_env(
        &["convert", src.to_str().unwrap(), pq.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let good = std::fs::read(&pq).unwrap();
    assert_eq!(hwf::ingest::parquet::read(&pq, &good).unwrap().len(), 84);
    let mut rng = Lcg(20);
    let (mut errors, mut guarded) = (0, 0);
    for m in 0..200 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.next() % 3 {
            let at = (rng.next() as usize) % bytes.len();
            bytes[at] ^= 1 + (rng.next() % 255) as u8;
        }
        let path = PathBuf::from(format!("mutant{m}.parquet"));
        let outcome =
            std::panic::catch_unwind(|| hwf::ingest::parquet::read(&path, &bytes).map(|t| t.len()));
        match outcome {
            Err(_) => panic!("mutant {m} panicked through the guard"),
            Ok(Err(e)) => {
                errors += 1;
                let msg = e.to_string();
                assert!(msg.starts_with(&format!("mutant{m}.parquet")), "{msg}");
                if msg.contains("aborted reading it with a panic") {
                    guarded += 1;
                }
                if std::env::var("HWF_SHOW_MUTANTS").is_ok() {
                    eprintln!("{msg}");
                }
            }
            Ok(Ok(_)) => {}
        }
    }
    eprintln!("200 mutants: {errors} errors, {guarded} of them panics caught at the boundary");
    // With this seed 1 mutant still makes the library panic past hwf's check of the declared sizes,
    // in what it decodes (44: an assertion in its decoding of page data): the panic guard is
    // exercised. (Before hwf's Parquet files carried their table's metadata, the same seed hit two
    // such mutants among 155 errors; the file is longer now, so the mutations land elsewhere.)
    // Mutant 102 of the older file, which made the library panic before the check existed, is
    // refused by it (tests/fixtures/malformed/parquet_damaged.parquet).
    assert_eq!(guarded, 1);
    assert_eq!(errors, 150);
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// Messages a person can act on.

#[test]
fn messages_quote_short_excerpts_and_name_encodings() {
    let e = read_err("csv_long_token.csv").to_string();
    assert!(e.len() < 400, "{} bytes: {e}", e.len());
    assert!(e.contains("(5000 bytes in all)"), "{e}");
    let e = read_err("csv_utf16_no_bom.csv").to_string();
    assert!(
        e.contains("UTF-16 text (little-endian) without a byte-order mark"),
        "{e}"
    );
    let e = read_err("csv_bom_not_utf8.csv").to_string();
    assert!(e.contains("as the byte-order mark"), "{e}");
    assert!(!e.contains("declare the code page"), "{e}");
    match read_err("csv_nul.csv") {
        IngestError::Encoding {
            location: Location::LineCol(3, 6),
            ..
        } => {}
        e => panic!("{e}"),
    }
}

#[test]
fn validate_lists_every_read_error_of_every_file() {
    let dir = scratch("validate");
    let good = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv/derived_kommun_folkmangd_2018_2019.csv");
    std::fs::copy(&good, dir.join("a_good.csv")).unwrap();
    for f in [
        "csv_nan_inf.csv",
        "px_bad_cells.px",
        "px_keys_bomb.px",
        "xlsx_zip_bomb.xlsx",
    ] {
        std::fs::copy(malformed(f), dir.join(f)).unwrap();
    }
    let (code, out, err) = hwf_env(&["validate", dir.to_str().unwrap()], &[]);
    assert_eq!(code, 1, "{out}{err}");
    for want in [
        "csv_nan_inf.csv:2:2: cannot read \"nan\"",
        "csv_nan_inf.csv:4:2: cannot read \"inf\"",
        "csv_nan_inf.csv:5:2: cannot read \"1e400\"",
        "px_bad_cells.px:8: cannot read \"abc\"",
        "px_bad_cells.px:9: cannot read \"1e400\"",
        "px_bad_cells.px:10: cannot read \"x\"",
        "px_keys_bomb.px:10: the cube STUB × HEADING = 1000 × 1000 × 399",
        "HWF_MAX_ZIP_RATIO",
        "5 file(s) checked",
    ] {
        assert!(out.contains(want), "wanted {want:?} in {out}");
    }
    // The good file's own findings are there too (it is checked, not hidden by the others).
    assert!(!out.contains("a_good.csv: error [read]"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// Allocation inputs (the parsers the fuzz targets drive).

#[test]
fn funding_and_spec_parsers_refuse_absurd_values_early() {
    let t = Instant::now();
    let e = hwf::allocate::funding::read(&malformed("funding_period_huge.csv")).unwrap_err();
    assert!(
        matches!(&e, AllocationError::Row { line: 2, column, .. } if column == "period_start"),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(5));
    let e = hwf::allocate::funding::read(&malformed("funding_fractional_years.csv")).unwrap_err();
    assert!(e.to_string().contains("\"2020.7\""), "{e}");
    let e = hwf::allocate::spec::Spec::load(&malformed("spec_total_too_large.toml")).unwrap_err();
    assert!(matches!(e, AllocationError::File { .. }), "{e}");
    assert!(e.to_string().contains("9007199254740992"), "{e}");
    // What the fuzz targets call, on garbage: errors, never panics.
    for junk in [
        "",
        "\u{0}",
        "total = -1",
        "[[indicator]]\nweight = nan",
        "x,y\n1,2",
    ] {
        assert!(hwf::allocate::spec::Spec::parse(Path::new("j.toml"), junk).is_err());
        assert!(hwf::allocate::funding::parse(Path::new("j.csv"), junk).is_err());
    }
    let dir = scratch("scenario");
    let sc = dir.join("s.toml");
    std::fs::write(&sc, "inherits = \"s.toml\"\n").unwrap();
    let e = hwf::model::scenario::load(Some(&sc)).unwrap_err();
    assert!(e.to_string().contains("cycle"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audits_refuse_tables_they_cannot_read_a_key_from() {
    let e =
        hwf::allocate::audit::read_published(&malformed("audit_split_recipient.csv")).unwrap_err();
    assert!(
        matches!(&e, AllocationError::Row { line: 4, found, .. } if found.contains("first at line 3")),
        "{e}"
    );
    let rows = hwf::allocate::audit::read_published(&malformed("audit_all_at_floor.csv")).unwrap();
    let pop: std::collections::HashMap<String, f64> =
        rows.iter().map(|r| (r.0.clone(), 1.0)).collect();
    let e = hwf::allocate::audit::audit(&rows, &pop, 290 * 35_000, 35_000, Some(0.5)).unwrap_err();
    assert!(
        matches!(&e, AllocationError::Degenerate { found, .. }
            if found == "every one of the 290 recipients was paid the floor of 35000 kr"),
        "{e}"
    );
    let rows =
        hwf::allocate::audit::read_published(&malformed("audit_missing_recipients.csv")).unwrap();
    let e = hwf::allocate::audit::check_coverage(&rows).unwrap_err();
    match &e {
        AllocationError::Degenerate { found, .. } => {
            assert!(
                found.starts_with("the published table lists 280 of the 290 municipalities; missing: 0604 Aneby, 0764 Alvesta, 1440 Ale, 1489 Alingsås"),
                "{found}"
            );
        }
        e => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Control characters in strings hwf writes again.

/// A JSON-stat dataset of one dimension `id` with categories `code` and `02` (the first labelled
/// `label`), whose first cell has the status `status`.
fn jsonstat_with(id: &str, code: &str, label: &str, status: &str) -> Vec<u8> {
    let mut labels = serde_json::Map::new();
    labels.insert(code.into(), label.into());
    labels.insert("02".into(), "b".into());
    let mut dimension = serde_json::Map::new();
    dimension.insert(
        id.into(),
        serde_json::json!({"label": "region", "category": {"index": [code, "02"], "label": labels}}),
    );
    serde_json::to_vec(&serde_json::json!({
        "version": "2.0", "class": "dataset", "label": "t", "id": [id], "size": [2],
        "dimension": dimension, "value": [1, 2], "status": [status, "e"]
    }))
    .unwrap()
}

#[test]
fn control_characters_are_refused_where_they_stand() {
    match read_err("jsonstat_nul_label.json") {
        IngestError::Syntax {
            location: Location::Path(p),
            found,
            ..
        } => {
            assert_eq!(p, "$.dimension.kommun.category.label.0114");
            assert_eq!(
                found,
                "a NUL (U+0000) at character 11 of the category label \"Upplands V\u{fffd}sby\""
            );
        }
        e => panic!("{e}"),
    }
    match read_err("xlsx_nul_cell.xlsx") {
        IngestError::Syntax {
            location: Location::Cell { row: 2, col: 0, .. },
            found,
            ..
        } => assert_eq!(
            found,
            "a NUL (U+0000) at character 3 of the cell \"01\u{fffd}15\""
        ),
        e => panic!("{e}"),
    }
    let limits = Limits::default();
    // Every C0 control (U+0000–U+001F) inside an id, a code, a label or a status symbol of a
    // JSON-stat file, and inside a code cell of an xlsx sheet, is refused at its place. DEL and the
    // C1 controls, which hwf's CSV carries, are read and come back from it unchanged.
    for c in (0u32..0x20).chain([0x7f, 0x85, 0x9f]) {
        let ch = char::from_u32(c).unwrap();
        let odd = format!("a{ch}b");
        let cases = [
            (jsonstat_with(&odd, "01", "x", ""), "$.id[0]".to_string()),
            (
                jsonstat_with("r", &odd, "x", ""),
                "$.dimension.r.category.index[0]".to_string(),
            ),
            (
                jsonstat_with("r", "01", &odd, ""),
                "$.dimension.r.category.label.01".to_string(),
            ),
            (
                jsonstat_with("r", "01", "x", &odd),
                "$.status[0]".to_string(),
            ),
        ];
        for (bytes, at) in cases {
            let got = hwf::ingest::read_bytes_with(Path::new("t.json"), &bytes, &limits);
            if c < 0x20 {
                match got {
                    Err(IngestError::Syntax {
                        location: Location::Path(p),
                        found,
                        ..
                    }) => {
                        assert_eq!(p, at, "U+{c:04X}");
                        assert!(
                            found.contains(&format!("(U+{c:04X}) at character 2 of ")),
                            "{found}"
                        );
                    }
                    other => panic!("U+{c:04X} at {at}: {other:?}"),
                }
            } else {
                let t = got.unwrap_or_else(|e| panic!("U+{c:04X} at {at}: {e}"));
                let csv = hwf::publish::tables::csv_bytes(&t, b',', false, false);
                let back = hwf::ingest::csv::read(Path::new("back.csv"), &csv)
                    .unwrap_or_else(|e| panic!("U+{c:04X} at {at}: {e}"));
                assert_eq!(back.dims[0].id, t.dims[0].id);
                assert_eq!(back.dims[0].categories, t.dims[0].categories, "U+{c:04X}");
                assert_eq!(back.symbol(0), t.symbol(0), "U+{c:04X}");
            }
        }
        // xlsx, written as Excel writes such text (rust_xlsxwriter escapes controls as _xHHHH_).
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "kommun").unwrap();
        sheet.write_string(0, 1, "antal").unwrap();
        sheet.write_string(1, 0, "0114").unwrap();
        sheet.write_number(1, 1, 5).unwrap();
        sheet.write_string(2, 0, format!("01{ch}15")).unwrap();
        sheet.write_number(2, 1, 6).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let got = hwf::ingest::read_bytes_with(Path::new("t.xlsx"), &bytes, &limits);
        if c < 0x20 {
            match got {
                Err(IngestError::Syntax {
                    location: Location::Cell { row: 2, col: 0, .. },
                    found,
                    ..
                }) => assert!(
                    found.contains(&format!("(U+{c:04X}) at character 3 of the cell")),
                    "{found}"
                ),
                other => panic!("xlsx U+{c:04X}: {other:?}"),
            }
        } else {
            let t = got.unwrap_or_else(|e| panic!("xlsx U+{c:04X}: {e}"));
            assert_eq!(t.dims[0].categories[1].code, format!("01{ch}15"));
        }
    }
}

#[test]
fn status_symbols_beyond_the_limit_are_errors_at_their_cell() {
    // 300 distinct symbols: the 256th is refused where it stands (it wrapped to a wrong index
    // past 65 535 before, after a search that grew with the file).
    let mut csv = String::from("kod,value,status,symbol\n");
    for k in 0..300 {
        csv.push_str(&format!("A{k},,missing,s{k}\n"));
    }
    let limits = Limits::default();
    match hwf::ingest::read_bytes_with(Path::new("many.csv"), csv.as_bytes(), &limits) {
        Err(IngestError::Syntax {
            location: Location::LineCol(257, 4),
            found,
            ..
        }) => assert!(
            found.contains("\"s255\"") && found.contains("255 distinct"),
            "{found}"
        ),
        other => panic!("{other:?}"),
    }
    let index: Vec<String> = (0..300).map(|k| format!("\"c{k}\"")).collect();
    let status: Vec<String> = (0..300).map(|k| format!("\"s{k}\"")).collect();
    let json = format!(
        r#"{{"version":"2.0","class":"dataset","id":["kod"],"size":[300],
        "dimension":{{"kod":{{"category":{{"index":[{}]}}}}}},
        "value":[{}],"status":[{}]}}"#,
        index.join(","),
        vec!["null"; 300].join(","),
        status.join(",")
    );
    match hwf::ingest::read_bytes_with(Path::new("many.json"), json.as_bytes(), &limits) {
        Err(IngestError::Syntax {
            location: Location::Path(p),
            ..
        }) => assert_eq!(p, "$.status[255]"),
        other => panic!("{other:?}"),
    }
}
