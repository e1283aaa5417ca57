//! `hwf aggregate` (issue 17 item 2): person-level register extracts to the input tables.
//!
//! Two kinds of check, neither against numbers the aggregation made itself:
//! - a hand-made extract, as a Swedish register export is shaped (`;`, decimal comma, the register's
//!   own column names, a municipality for the county, `K` for women, plural profession names),
//!   with every count and every dropped row worked out by hand below;
//! - the synthetic register made from the embedded default data, which must aggregate back to the
//!   embedded tables cell for cell, with exactly the faulty rows it was given reported, and on which
//!   the model must give the same results as on the embedded tables.

use hwf::ingest::register::{self, Reason, Spec, synth};
use hwf::table::Table;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn hwf(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_hwf"))
        .args(args)
        .output()
        .expect("run hwf");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The value of the cell with these codes (one per dimension, in order).
fn cell(t: &Table, codes: &[&str]) -> Option<f64> {
    cell_in(t, &t.lookup(), codes)
}

/// As [`cell`], with the table's index built once.
fn cell_in(t: &Table, index: &hwf::table::KeyIndex, codes: &[&str]) -> Option<f64> {
    let key: Vec<u32> = t
        .dims
        .iter()
        .zip(codes)
        .map(|(d, c)| d.position(c).map(|i| i as u32))
        .collect::<Option<_>>()?;
    t.value(index.get(&key)?)
}

fn table<'a>(a: &'a register::Aggregated, name: &str) -> &'a Table {
    &a.tables
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no table {name}"))
        .1
}

fn sum(t: &Table) -> f64 {
    (0..t.len()).filter_map(|r| t.value(r)).sum()
}

const PERSONS: &str = "\
LopNr;Ar;FodelseAr;Kon;Kommun;Yrke;Huvudman;Hte
1;2022;1980;2;2380;Sjuksköterskor;Region;0,8
1;2022;1980;2;2380;SSSK;Region;0,8
2;2022;1990;1;23;SSK;;
2;2022;1990;1;23;SSK;;
3;2022;1975;K;2380;SSK;Kommun;1,0
3;2023;1975;K;2380;SSK;Kommun;1,0
4;2022;1960;1;23;SSK;Region;0,5
4;2022;1960;1;01;SSK;Region;0,5
;2022;1970;1;23;SSK;;
5;2022;2030;1;23;SSK;;
6;2022;1940;1;23;SSK;;
7;2022;1980;1;23;Undersköterska;;
8;2022;1980;1;23;SSK;Region;
";

#[test]
fn a_register_export_aggregates_as_worked_by_hand() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("personer.csv"), PERSONS).expect("write");
    std::fs::write(
        dir.path().join("spec.toml"),
        "[persons]\nfile = \"personer.csv\"\nseparator = \";\"\n\
         columns = { person_id = \"LopNr\", year = \"Ar\", birth_year = \"FodelseAr\", sex = \"Kon\", county = \"Kommun\", profession = \"Yrke\", sector = \"Huvudman\", fte = \"Hte\" }\n",
    )
    .expect("spec");
    let spec = Spec::read(&dir.path().join("spec.toml")).expect("spec reads");
    let a = register::aggregate(&spec).expect("aggregates");
    let r = &a.report[0];
    // 13 rows: persons 1 (SSK and SSSK), 2 (once, repeated), 3 (2022 and 2023) are counted.
    assert_eq!(r.rows, 13);
    assert_eq!(r.counted, 5);
    let want: BTreeMap<Reason, u64> = [
        (Reason::Duplicate, 1),
        (Reason::Conflicting, 2),
        (Reason::MissingId, 1),
        (Reason::ImpossibleAge, 1),
        (Reason::OutsideAges, 1),
        (
            Reason::UnknownCode("profession".into(), "Undersköterska".into()),
            1,
        ),
        (Reason::ImpossibleFte, 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(r.dropped, want, "{}", a.report_text());
    assert_eq!(r.years, Some((2022, 2023)));
    assert_eq!(r.areas, vec!["23".to_string()]);
    assert_eq!(r.empty_areas.len(), 20);

    let lic = table(&a, "licensed");
    assert_eq!(sum(lic), 5.0);
    assert_eq!(cell(lic, &["SSK", "23", "2", "42", "2022"]), Some(1.0));
    assert_eq!(cell(lic, &["SSSK", "23", "2", "42", "2022"]), Some(1.0));
    assert_eq!(cell(lic, &["SSK", "23", "1", "32", "2022"]), Some(1.0));
    assert_eq!(cell(lic, &["SSK", "23", "2", "47", "2022"]), Some(1.0));
    assert_eq!(cell(lic, &["SSK", "23", "2", "48", "2023"]), Some(1.0));
    assert_eq!(cell(lic, &["SSK", "01", "1", "62", "2022"]), Some(0.0));
    // Every cell is there, as a register's count: 24 professions, 21 counties, 2 sexes, 55 ages, 2 years.
    assert_eq!(lic.len(), 24 * 21 * 2 * 55 * 2);

    let emp = table(&a, "employed");
    assert_eq!(
        cell(emp, &["SSK", "23", "R", "2", "42", "EMP", "2022"]),
        Some(1.0)
    );
    assert_eq!(
        cell(emp, &["SSK", "23", "R", "2", "42", "FTE", "2022"]),
        Some(0.8)
    );
    assert_eq!(
        cell(emp, &["SSK", "23", "K", "2", "48", "FTE", "2023"]),
        Some(1.0)
    );
    let (persons, fte) = (0..emp.len()).fold((0.0, 0.0), |(p, f), i| {
        let v = emp.value(i).unwrap_or(0.0);
        if emp.code(5, i) == "EMP" {
            (p + v, f)
        } else {
            (p, f + v)
        }
    });
    assert_eq!((persons, (fte * 100.0_f64).round() / 100.0), (4.0, 3.6));
    // The scenario scopes a one-county register to its county.
    assert!(a.scenario("parquet").contains("counties = [\"23\"]"));
}

#[test]
fn a_missing_column_is_named_with_what_the_file_has() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("p.csv"), "id,year\n1,2022\n").expect("write");
    std::fs::write(
        dir.path().join("spec.toml"),
        "[persons]\nfile = \"p.csv\"\n",
    )
    .expect("spec");
    let spec = Spec::read(&dir.path().join("spec.toml")).expect("spec reads");
    let e = register::aggregate(&spec).expect_err("refused").to_string();
    assert!(
        e.contains("p.csv") && e.contains("\"person_id\"") && e.contains("id, year"),
        "{e}"
    );
    // An unknown role in the spec is named too.
    std::fs::write(
        dir.path().join("spec.toml"),
        "[persons]\nfile = \"p.csv\"\ncolumns = { personnummer = \"id\" }\n",
    )
    .expect("spec");
    let e = Spec::read(&dir.path().join("spec.toml"))
        .expect_err("refused")
        .to_string();
    assert!(e.contains("personnummer") && e.contains("person_id"), "{e}");
}

/// Every cell of the embedded table `name` in the counties (dimension `area`) of `keep` equals the
/// aggregated table's cell with the same codes; returns the number of cells compared.
fn same_cells(name: &str, embedded: &Table, agg: &Table, area: &str, keep: &[&str]) -> usize {
    let ai = embedded
        .dims
        .iter()
        .position(|d| {
            d.id == area || d.label_en.as_deref() == Some(area) || d.id.eq_ignore_ascii_case(area)
        })
        .unwrap_or_else(|| panic!("{name}: no {area}"));
    let mut n = 0;
    let mut wrong = Vec::new();
    let index = agg.lookup();
    for r in 0..embedded.len() {
        if !keep.contains(&embedded.code(ai, r))
            || (0..embedded.dims.len()).any(|d| embedded.code(d, r) == "examensfrekvens")
        {
            // (The completion rate is a published ratio, not a count: the model computes its own.)
            continue;
        }
        let Some(v) = embedded.value(r) else { continue };
        let codes: Vec<&str> = (0..embedded.dims.len())
            .map(|d| embedded.code(d, r))
            .collect();
        let Some(got) = cell_in(agg, &index, &codes) else {
            // The aggregation leaves out programmes no one studies and years no one was counted in.
            assert_eq!(
                v, 0.0,
                "{name} {codes:?}: {v} in the embedded table, no cell aggregated"
            );
            continue;
        };
        n += 1;
        if got != v {
            wrong.push(format!("{codes:?}: embedded {v}, aggregated {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} cells differ, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    n
}

#[test]
fn the_synthetic_register_aggregates_back_to_the_default_data() {
    let dir = tempfile::tempdir().expect("temp");
    let o = synth::Options {
        counties: vec!["23".into()],
        dirty: true,
        ..Default::default()
    };
    let made = synth::write(dir.path(), &o).expect("synthetic register");
    assert_eq!(
        made.excess_employed, 0,
        "the default data nest employed in licensed"
    );
    let spec = Spec::read(&dir.path().join("spec.toml")).expect("spec reads");
    let a = register::aggregate(&spec).expect("aggregates");
    // Every row accounted for, and exactly the faulty rows that were put in reported.
    for (r, rows) in a.report.iter().zip(made.rows) {
        assert_eq!(r.rows, rows, "{}", r.name);
        assert_eq!(
            r.rows,
            r.counted + r.dropped.values().sum::<u64>(),
            "{}",
            r.name
        );
        let want: BTreeMap<Reason, u64> = synth::DIRT
            .iter()
            .filter(|d| d.0 == r.name)
            .map(|d| (synth::dirt_reason(d.1), d.2))
            .collect();
        assert_eq!(r.dropped, want, "{}: {}", r.name, a.report_text());
    }
    let n = same_cells(
        "licensed",
        &hwf::defaults::table("licensed.px").expect("embedded"),
        table(&a, "licensed"),
        "county",
        &["23"],
    );
    assert_eq!(n, 24 * 2 * 55 * 14);
    same_cells(
        "employed",
        &hwf::defaults::table("employed.px").expect("embedded"),
        table(&a, "employed"),
        "county",
        &["23"],
    );
    same_cells(
        "licences_issued",
        &hwf::defaults::table("licences_issued.px").expect("embedded"),
        table(&a, "licences_issued"),
        "county",
        &["23"],
    );
    same_cells(
        "admissions",
        &hwf::defaults::table("admissions.csv").expect("embedded"),
        table(&a, "admissions"),
        "Sjukvårdsregion",
        &["N"],
    );
    // Tables of a synthetic register say so, and keep saying so through Parquet (whose key-value
    // metadata now carry hwf's titles, notes and mark).
    let t = table(&a, "admissions");
    assert!(t.meta.synthetic);
    let path = Path::new("admissions.parquet");
    let bytes = hwf::publish::tables::encode(t, path, hwf::publish::tables::TableFormat::Parquet)
        .expect("encode");
    let back = hwf::ingest::parquet::read(path, &bytes).expect("read back");
    assert!(back.meta.synthetic);
    assert_eq!(back.meta.title_en, t.meta.title_en);
    assert!(
        back.meta
            .title_en
            .as_deref()
            .is_some_and(|s| s.starts_with("SYNTHETIC DATA: ")),
        "{:?}",
        back.meta.title_en
    );
    assert_eq!(back.meta.notes, t.meta.notes);
    assert_eq!(back.len(), t.len());
}

#[test]
fn the_model_runs_on_aggregated_tables_as_on_the_published_ones() {
    let dir = tempfile::tempdir().expect("temp");
    let reg = dir.path().join("register");
    let (code, out, err) = hwf(&["synth-register", "--county", "23", "--out", s(&reg)]);
    assert_eq!(code, 0, "{out}\n{err}");
    // A refused option is the generator's own message, and nothing is left behind.
    let bad = dir.path().join("bad");
    let (code, _, err) = hwf(&["synth-register", "--scale", "0", "--out", s(&bad)]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: scale 0: expected a number above 0"),
        "{err}"
    );
    assert!(!bad.exists());
    let agg = dir.path().join("tables");
    let (code, out, err) = hwf(&[
        "aggregate",
        "--spec",
        s(&reg.join("spec.toml")),
        "--out",
        s(&agg),
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("rows counted:"), "{out}");
    for f in [
        "licensed.parquet",
        "employed.parquet",
        "licences_issued.parquet",
        "admissions.parquet",
        "aggregate_report.txt",
        "aggregate_report.json",
        "scenario.toml",
    ] {
        assert!(agg.join(f).is_file(), "{f}");
    }
    let (code, out, err) = hwf(&["validate", s(&agg)]);
    assert_eq!(code, 0, "validate\n{out}\n{err}");
    // The same scope on the embedded tables: the results must be the same numbers.
    let embedded = dir.path().join("embedded.toml");
    std::fs::write(
        &embedded,
        "inherits = \"default\"\nname = \"register\"\n[scope]\ncounties = [\"23\"]\n",
    )
    .expect("scenario");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (scenario, out_dir) in [(agg.join("scenario.toml"), &a), (embedded, &b)] {
        let (code, out, err) = hwf(&["project", "--scenario", s(&scenario), "--out", s(out_dir)]);
        assert_eq!(code, 0, "project {}\n{out}\n{err}", scenario.display());
        // Every aggregated input is synthetic, and the run says so of each.
        let said = format!("{out}{err}");
        if out_dir == &a {
            for input in [
                "licensed (the table says it is synthetic)",
                "employed (the table says it is synthetic)",
                "licences_issued (the table says it is synthetic)",
                "admissions (the table says it is synthetic)",
            ] {
                assert!(said.contains(input), "{input}\n{said}");
            }
        }
    }
    let ra = std::fs::read_to_string(a.join("results.csv")).expect("results a");
    let rb = std::fs::read_to_string(b.join("results.csv")).expect("results b");
    assert!(ra.lines().count() > 100);
    assert!(
        ra == rb,
        "results differ between aggregated and embedded tables"
    );
}
