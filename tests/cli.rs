//! Integration tests: the readers on real third-party files (values checked by hand against the
//! files and against published totals), round trips through every writer, the catalogue of
//! malformed inputs, and `hwf` run as a process.

use hwf::ingest::{read_bytes, read_table};
use hwf::publish::tables::{self, TableFormat};
use hwf::table::{Lang, Role, Status, Table};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn read(rel: &str) -> Table {
    read_table(&fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hwf(args: &[&str]) -> (i32, String, String) {
    hwf_in(&std::env::current_dir().expect("current directory"), args)
}

/// The row with these codes, one per dimension in order.
fn cell(t: &Table, codes: &[&str]) -> usize {
    (0..t.len())
        .find(|&r| codes.iter().enumerate().all(|(d, c)| t.code(d, r) == *c))
        .unwrap_or_else(|| panic!("no cell {codes:?}"))
}

fn sum_where(t: &Table, dim: usize, code: &str) -> f64 {
    (0..t.len())
        .filter(|&r| t.code(dim, r) == code)
        .filter_map(|r| t.value(r))
        .sum()
}

// ---------------------------------------------------------------------------------------------
// PX

#[test]
fn scb_population_by_county_matches_the_file_and_the_published_total() {
    // Autopen__BE0101N1.px: STUB region (21), HEADING period (2) × sex (2); 84 cells.
    let t = read("px/Autopen__BE0101N1.px");
    assert_eq!(t.len(), 84);
    assert_eq!(
        t.dims.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["region", "period", "sex"]
    );
    assert_eq!(t.dims[0].role, Role::Geo); // MAP("region")
    assert_eq!(t.dims[1].role, Role::Time); // TIMEVAL
    assert_eq!(
        t.dims[0].categories[2].label_en.as_deref(),
        Some("04 Södermanland county")
    );
    // First DATA row: 961146 988370 977799 1003464 (2007 men, 2007 women, 2008 men, 2008 women).
    assert_eq!(t.value(cell(&t, &["01", "2007", "1"])), Some(961146.0));
    assert_eq!(t.value(cell(&t, &["01", "2008", "2"])), Some(1003464.0));
    assert_eq!(t.value(cell(&t, &["03", "2008", "2"])), Some(164802.0));
    // SCB: Sweden's population on 31 December 2008 was 9 256 347.
    assert_eq!(sum_where(&t, 1, "2008"), 9_256_347.0);
    assert_eq!(t.meta.table_id.as_deref(), Some("BE0101N1"));
}

#[test]
fn dot_symbols_and_nil_keep_their_meaning() {
    // DATASYMBOL1 "n.a.", 2 "unknown", 3 "hidden", 4 "secret", 5 "classified", 6 "not used".
    let t = read("px/NPM__BE0101F1nildotsymbols.px");
    assert_eq!(t.len(), 4 * 3 * 4);
    // Row 1 (region 00, age 20): "-" "." ".." "..."
    let st: Vec<Status> = (0..4).map(|r| t.status[r]).collect();
    assert_eq!(
        st,
        [
            Status::Zero,
            Status::Missing,
            Status::Missing,
            Status::Suppressed
        ]
    );
    assert_eq!(t.value(0), Some(0.0));
    assert_eq!(t.symbol(3), Some("..."));
    // Row 4 (region 01, age 20): "." ".." "..." "...." — the last is DATASYMBOL4 "secret".
    assert_eq!(t.status[15], Status::Suppressed);
    // Row 6 (region 01, age 22): 924 "......" 672 906 — DATASYMBOL6 "not used" is missing.
    assert_eq!(t.status[21], Status::Missing);
    assert_eq!(t.value(22), Some(672.0));
    // CONTVARIABLE "type" is the metric dimension, with its units.
    let ty = t.dim_index("type").unwrap();
    assert_eq!(t.dims[ty].role, Role::Metric);
    assert_eq!(t.dims[ty].categories[0].unit.as_deref(), Some("number"));
    // No suppressed or missing cell has a number.
    assert!((0..t.len()).all(|r| t.status[r].has_value() || t.values[r].is_nan()));
}

#[test]
fn a_big_latin1_population_table_reads_whole() {
    // Population__BE0101A1.px: region × marital status × age × sex × year.
    let t = read("px/Population__BE0101A1.px");
    let product: usize = t.dims.iter().map(|d| d.len()).product();
    assert_eq!(t.len(), product);
    assert!(t.dims.iter().any(|d| {
        d.categories
            .iter()
            .any(|c| c.label(hwf::table::Lang::Sv).contains('ö'))
    }));
}

#[test]
fn every_real_px_fixture_parses_or_fails_as_its_authors_meant() {
    let dir = fixture("px");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = read_table(&p);
        if name.starts_with("error__fatal") {
            let msg = r.expect_err(&name).to_string();
            assert!(msg.contains(&name), "{msg}");
        } else {
            let t = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            let product: usize = t.dims.iter().map(|d| d.len()).product();
            assert_eq!(t.len(), product, "{name}");
            n += 1;
        }
    }
    assert!(n >= 18, "{n}");
}

#[test]
fn the_fatal_examples_say_what_is_missing() {
    let e = read_table(&fixture("px/error__fatal__BE0101F1missingData.px"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("DATA keyword is missing"), "{e}");
    let e = read_table(&fixture("px/error__fatal__BE0101F1missingStubHeading.px"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("STUB and HEADING is missing"), "{e}");
}

#[test]
fn a_file_that_lies_about_its_code_page_is_read_as_what_it_is() {
    // 1001.px declares iso-8859-15 but its bytes are UTF-8.
    let t = read("px/1001.px");
    assert!(
        t.meta.warnings.iter().any(|w| w.contains("UTF-8")),
        "{:?}",
        t.meta.warnings
    );
    let all: String = t
        .dims
        .iter()
        .flat_map(|d| {
            d.categories
                .iter()
                .map(|c| c.label(hwf::table::Lang::Sv).to_string())
        })
        .collect();
    assert!(!all.contains('Ã'), "mojibake in {all}");
}

// ---------------------------------------------------------------------------------------------
// JSON-stat

#[test]
fn oecd_sample_values_and_sparse_statuses() {
    // oecd.json: concept(1) × area(36) × year(12) = 432 values; status {"10": "e", ...}.
    let t = read("jsonstat/oecd.json");
    assert_eq!(t.len(), 432);
    assert_eq!(t.dims[1].categories[0].code, "AU");
    assert_eq!(t.value(0), Some(5.943826289));
    assert_eq!((t.code(1, 10), t.code(2, 10)), ("AU", "2013"));
    assert_eq!(t.status[10], Status::Estimated);
    assert_eq!(t.status[9], Status::Observed);
    assert_eq!(t.dims[2].role, Role::Time);
}

#[test]
fn socialstyrelsen_bundle_in_json_stat_1() {
    // statswe.json: deaths from circulatory disease in Norrbotten, a JSON-stat 1.x bundle.
    let t = read("jsonstat/statswe.json");
    let product: usize = t.dims.iter().map(|d| d.len()).product();
    assert_eq!(t.len(), product);
    let age = t.dim_index("Alder").unwrap();
    assert_eq!(t.dims[age].len(), 20);
    assert_eq!(t.dims[age].categories[19].code, "90+");
    assert_eq!(t.dims[age].label_sv.as_deref(), Some("ålder"));
    let region = t.dim_index("Region").unwrap();
    assert_eq!(
        t.dims[region].categories[0].label_sv.as_deref(),
        Some("25 Norrbottens län")
    );
}

#[test]
fn collections_and_string_values_are_refused_clearly() {
    let e = read_table(&fixture("jsonstat/collection.json"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("$.class") && e.contains("collection"), "{e}");
    // order.json's values are labels like "A1B1C1", not numbers.
    let e = read_table(&fixture("jsonstat/order.json"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("$.value[0]") && e.contains("A1B1C1"), "{e}");
}

#[test]
fn other_official_samples_read_to_their_declared_size() {
    for f in ["canada", "galicia", "us-unr", "hierarchy", "cantabria"] {
        let t = read(&format!("jsonstat/{f}.json"));
        let product: usize = t.dims.iter().map(|d| d.len()).product();
        assert_eq!(t.len(), product, "{f}");
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn scb_csv_export_with_footer() {
    // SCB BE0101N1, 31 Dec 2018: 290 municipalities; Sweden 10 230 185 (SCB's national total).
    let t = read("csv/ericsjolund_Projekt1_scb_BE0101N1_2018.csv");
    assert_eq!(t.len(), 290);
    assert_eq!(t.dims[0].categories[0].code, "0114");
    assert_eq!(
        t.dims[0].categories[0].label_sv.as_deref(),
        Some("Upplands Väsby")
    );
    assert_eq!(t.value(0), Some(45543.0));
    assert_eq!(t.values.iter().sum::<f64>(), 10_230_185.0);
    assert!(t.meta.notes.iter().any(|n| n.contains("BE0101N1")));
    // Every municipality code is in the code list.
    let (code, out, _) = hwf(&[
        "validate",
        fixture("csv/ericsjolund_Projekt1_scb_BE0101N1_2018.csv")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn wide_csv_with_prefixed_years() {
    // odectra: k_ID;kommun;ar_1950;…;ar_2019 — 290 × 70 cells; 2019 sums to 10 327 589.
    let t = read("csv/odectra_popu-sweden_folkmangd_1950_2019.csv");
    let y = t.dim_index("year").unwrap();
    assert_eq!(t.dims[y].len(), 70);
    assert_eq!(t.len(), 290 * 70);
    assert_eq!(sum_where(&t, y, "2019"), 10_327_589.0);
    assert_eq!(sum_where(&t, y, "2018"), 10_230_185.0);
}

// ---------------------------------------------------------------------------------------------
// Round trips

fn assert_same(a: &Table, b: &Table, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: rows");
    assert_eq!(a.dims.len(), b.dims.len(), "{what}: dims");
    for d in 0..a.dims.len() {
        assert_eq!(a.dims[d].id, b.dims[d].id, "{what}");
        for (x, y) in a.dims[d].categories.iter().zip(&b.dims[d].categories) {
            // Labels that only repeat the code are not written, so compare effective labels.
            for lang in [Lang::Sv, Lang::En] {
                assert_eq!((&x.code, x.label(lang)), (&y.code, y.label(lang)), "{what}");
            }
        }
    }
    for r in 0..a.len() {
        for d in 0..a.dims.len() {
            assert_eq!(a.code(d, r), b.code(d, r), "{what}: row {r}");
        }
        assert_eq!(a.status[r], b.status[r], "{what}: row {r}");
        assert_eq!(
            a.value(r).map(f64::to_bits),
            b.value(r).map(f64::to_bits),
            "{what}: row {r}"
        );
        assert_eq!(a.symbol(r), b.symbol(r), "{what}: row {r}");
    }
}

#[test]
fn round_trips_keep_every_value_status_label_and_symbol() {
    let dir = tempfile::tempdir().unwrap();
    for src in [
        "px/NPM__BE0101F1nildotsymbols.px",
        "px/multilanguage__BE0101F1langensvfiolikacelln.px",
        "px/percent__ENdecround1.px",
        "jsonstat/oecd.json",
        "csv/ericsjolund_Projekt1_scb_BE0101N1_2018.csv",
    ] {
        let t = read(src);
        for (ext, fmt) in [
            ("csv", TableFormat::Csv),
            ("se.csv", TableFormat::CsvSwedish),
            ("parquet", TableFormat::Parquet),
            ("xlsx", TableFormat::Xlsx),
        ] {
            let out = dir.path().join(format!("t.{ext}"));
            tables::write(&t, &out, fmt).unwrap();
            let back = read_table(&out).unwrap_or_else(|e| panic!("{src} as {ext}: {e}"));
            assert_same(&t, &back, &format!("{src} via {ext}"));
        }
    }
}

#[test]
fn writers_are_deterministic() {
    let t = read("jsonstat/oecd.json");
    for fmt in [TableFormat::Csv, TableFormat::Parquet, TableFormat::Xlsx] {
        let a = match fmt {
            TableFormat::Csv => tables::csv_bytes(&t, b',', false, false),
            TableFormat::Parquet => tables::parquet_bytes(&t).unwrap(),
            _ => tables::xlsx_bytes(&t).unwrap(),
        };
        let b = match fmt {
            TableFormat::Csv => tables::csv_bytes(&t, b',', false, false),
            TableFormat::Parquet => tables::parquet_bytes(&t).unwrap(),
            _ => tables::xlsx_bytes(&t).unwrap(),
        };
        assert_eq!(a, b, "{fmt:?}");
    }
}

#[test]
fn swedish_excel_csv_has_bom_semicolons_and_decimal_commas() {
    let t = read("jsonstat/oecd.json");
    let b = tables::csv_bytes(&t, b';', true, true);
    assert!(b.starts_with(b"\xEF\xBB\xBFconcept;"));
    let s = String::from_utf8(b).unwrap();
    assert!(s.contains(";5,943826289;observed"), "{}", &s[..300]);
}

// ---------------------------------------------------------------------------------------------
// Malformed inputs

#[test]
fn every_malformed_file_gives_its_catalogued_error() {
    let cat = std::fs::read_to_string(fixture("malformed/CATALOGUE.md")).unwrap();
    let mut n = 0;
    for line in cat.lines().filter(|l| l.starts_with("| `")) {
        let cols: Vec<&str> = line.split(" | ").collect();
        let file = cols[0].trim_start_matches("| ").trim_matches('`');
        let want = cols[1].trim_end_matches(" |").trim_matches('`');
        let path = fixture(&format!("malformed/{file}"));
        let (code, out, err) = hwf(&["inspect", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{file}: {out}");
        assert!(err.contains(want), "{file}: wanted {want:?}, got {err:?}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        n += 1;
    }
    assert!(n >= 12, "{n} catalogue rows");
}

#[test]
fn merged_header_cells_in_xlsx_are_an_error_at_the_cell() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Blad1").unwrap();
    ws.merge_range(0, 1, 0, 2, "Folkmängd", &Format::new())
        .unwrap();
    ws.write_string(0, 0, "län").unwrap();
    ws.write_string(1, 0, "01").unwrap();
    ws.write_number(1, 1, 5.0).unwrap();
    ws.write_number(1, 2, 6.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let e = read_bytes(Path::new("m.xlsx"), &bytes)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("m.xlsx:Blad1!B1: a header cell merged over columns B–C"),
        "{e}"
    );
}

#[test]
fn xlsx_with_title_rows_and_numbers() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Legitimerade sjuksköterskor")
        .unwrap();
    for (c, h) in ["län", "2021", "2022"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "01").unwrap();
    ws.write_number(3, 1, 100.0).unwrap();
    ws.write_string(3, 2, "..").unwrap();
    ws.write_string(4, 0, "03").unwrap();
    ws.write_number(4, 1, 7.5).unwrap();
    ws.write_number(4, 2, 8.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = read_bytes(Path::new("w.xlsx"), &bytes).unwrap();
    assert_eq!(
        t.meta.title_sv.as_deref(),
        Some("Legitimerade sjuksköterskor")
    );
    assert_eq!(t.len(), 4);
    assert_eq!(t.dims[1].id, "year");
    assert_eq!(t.status[1], Status::Missing);
    assert_eq!(t.value(2), Some(7.5));
    assert_eq!(t.lines, vec![4, 4, 5, 5]);
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn convert_writes_tidy_csv_and_refuses_unknown_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pop.csv");
    let src = fixture("px/Autopen__BE0101N1.px");
    let (code, _, err) = hwf(&["convert", src.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("region,region_en,period,sex,sex_en,value,status")
    );
    assert_eq!(
        lines.next(),
        Some("01,01 Stockholm county,2007,1,men,961146,observed")
    );
    let bad = dir.path().join("pop.doc");
    let (code, _, err) = hwf(&["convert", src.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("pop.doc") && err.contains(".parquet"), "{err}");
    assert!(!bad.exists());
    // An output folder that does not exist: an error, and nothing left behind.
    let nowhere = dir.path().join("no/such/dir/x.csv");
    let (code, _, err) = hwf(&["convert", src.to_str().unwrap(), nowhere.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
}

#[test]
fn inspect_json_counts_statuses() {
    let src = fixture("px/NPM__BE0101F1nildotsymbols.px");
    let (code, out, err) = hwf(&["inspect", "--json", src.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cells"], 48);
    let s = &v["status"];
    let total: u64 = ["observed", "missing", "zero", "suppressed", "estimated"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 48);
    // Counted by hand from DATA: "-" appears 8 times; "." and ".." twice each and "......" once (5);
    // "..." twice and "...." once (3).
    assert_eq!(s["zero"], 8);
    assert_eq!(s["missing"], 5);
    assert_eq!(s["suppressed"], 3);
    assert_eq!(v["dimensions"][0]["codes"][2]["code"], "0114");
}

#[test]
fn validate_reports_all_findings_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("licensed_bad.csv");
    std::fs::write(
        &f,
        "yrke;län;kön;ålder;år;antal\nSSK;01;2;34;2020;5\nSSK;02;2;34;2020;5\nXYZ;01;2;34;2020;-1\nSSK;01;2;34;2020;6\nSSK;01;2;130;2020;1\n",
    )
    .unwrap();
    let (code, out, _) = hwf(&["validate", "--kind", "licensed", f.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    for want in [
        "licensed_bad.csv:3: error [unknown-code]: län the code \"02\" (a county code abolished in 1997–98)",
        "licensed_bad.csv:4: error [unknown-code]: yrke the code \"XYZ\"",
        "licensed_bad.csv:4: error [negative]: the value -1",
        "licensed_bad.csv:5: error [duplicate-key]",
        "(first at 2)",
        "licensed_bad.csv:6: error [age]: ålder the impossible age \"130\"",
        "5 error(s)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let (code, out, _) = hwf(&["validate", "--json", f.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"], 5);
}

#[test]
fn the_embedded_default_data_validates() {
    let (code, out, err) = hwf(&["validate"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("13 file(s) checked: 0 error(s)"), "{out}");
}

#[test]
fn code_lists_on_the_command_line() {
    let (code, out, _) = hwf(&["codes", "municipalities"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 290);
    let (code, out, _) = hwf(&["codes", "professions"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines()
            .filter(|l| l.ends_with("\tlicensed")
                || l.contains("\tlayer of SSK") && l.starts_with("BMO"))
            .count(),
        22
    );
    let (code, _, err) = hwf(&["codes", "planets"]);
    assert_eq!(code, 2);
    // clap's message lists the lists (and `--help` does too).
    assert!(
        err.contains("invalid value 'planets'")
            && err.contains(
                "counties, regions, municipalities, sectors, services, specialties, professions"
            ),
        "{err}"
    );
    let (code, out, _) = hwf(&["codes", "verksamhetsområden"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 6);
    assert!(out.starts_with("PV\tPrimärvård\tPrimary care\n"), "{out}");
    let (code, out, _) = hwf(&["codes", "specialiteter"]);
    assert_eq!(code, 0);
    // Six specialty groups of specialist physicians, eight specialisations of specialist nurses.
    assert_eq!(out.lines().count(), 14);
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("\tlayer of SSSK"))
            .count(),
        8
    );
    assert!(
        out.lines()
            .any(|l| l
                .starts_with("KIR\tKirurgiska specialiteter\tSurgical specialties\tlayer of SPL")),
        "{out}"
    );
    // Every option with a fixed set of values is refused by clap before any work, naming the
    // values it takes.
    for (args, values) in [
        (vec!["report", "--lang", "fi"], "[possible values: sv, en]"),
        (
            vec!["validate", "--kind", "popluation", "x.csv"],
            "[possible values: licensed, employed, licences_issued,",
        ),
        (
            vec![
                "fetch",
                "--api",
                "http://127.0.0.1:9",
                "--protocol",
                "v3",
                "--search",
                "x",
            ],
            "[possible values: v2, v1]",
        ),
        (
            vec![
                "fetch",
                "T",
                "--api",
                "http://127.0.0.1:9",
                "--via",
                "csv",
                "--out",
                "x.csv",
            ],
            "[possible values: json-stat2, px]",
        ),
    ] {
        let (code, _, err) = hwf(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(values), "{args:?}: {err}");
    }
    // Aliases and case as before: a hyphen for an underscore, a capital letter.
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/default/licences_issued.px");
    let (code, out, err) = hwf(&["validate", "--kind", "Licences-Issued", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
}

// ---------------------------------------------------------------------------------------------
// Allocation (seed 003: 30 MSEK to 290 municipalities, 35 000 kr minimum)

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

#[test]
fn the_seed_appendix_parses_to_290_rows_and_30_million() {
    let rows =
        hwf::allocate::audit::read_published(&data("allocation/seed003_appendix.csv")).unwrap();
    assert_eq!(rows.len(), 290);
    assert_eq!(rows.iter().map(|r| r.2).sum::<u64>(), 30_000_000);
    assert!(rows.iter().all(|r| r.2 >= 35_000));
    let codes = hwf::codes::CodeLists::get();
    assert!(
        rows.iter()
            .all(|r| codes.municipality(&r.0).is_some_and(|m| m.name_sv == r.1))
    );
    // The appendix is in Swedish alphabetical order, which hwf's sort key reproduces.
    let mut sorted: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    sorted.sort_by_key(|n| hwf::allocate::swedish_sort_key(n));
    assert_eq!(
        sorted,
        rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>()
    );
    let text = std::fs::read_to_string(data("allocation/seed003_appendix.csv")).unwrap();
    assert_eq!(text.lines().filter(|l| l.ends_with(",yes")).count(), 16);
}

#[test]
fn allocating_by_population_alone_adds_up_and_keeps_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("alloc");
    let spec = data("allocation/seed003.toml");
    let (code, stdout, err) = hwf(&[
        "allocate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("290 recipients, 30000000 kr"), "{stdout}");
    let rows = hwf::allocate::audit::read_published(&out.join("allocation.csv")).unwrap();
    assert_eq!(rows.iter().map(|r| r.2).sum::<u64>(), 30_000_000);
    assert!(rows.iter().all(|r| r.2 >= 35_000));
    // Stockholm (0180), 974 073 of 10 327 589 inhabitants on 31 Dec 2019:
    // 35 000 + 19 850 000 × 974 073 / 10 327 589 = 1 907 203.58 → 1 907 203 or 1 907 204.
    let sthlm = rows.iter().find(|r| r.0 == "0180").unwrap().2;
    assert!((1_907_203..=1_907_204).contains(&sthlm), "{sthlm}");
    let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
    // The summary has its county section, and the only address in it is the SVG namespace
    // (a name, not a request).
    assert!(html.contains("Belopp per invånare och län"));
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(out.join("allocation.xlsx").exists() && out.join("allocation_sv.csv").exists());
    // The Swedish CSV: Swedish column names, words and decimal commas, and the same amounts when
    // read back as a published allocation.
    let sv = std::fs::read_to_string(out.join("allocation_sv.csv")).unwrap();
    let head = sv.lines().next().unwrap();
    assert!(
        head.starts_with(
            "\u{feff}kod;namn;län;belopp_kr;golv_kr;rörligt_kr;nyckelandel;tak_nått;ersättningsvärde;"
        ),
        "{head}"
    );
    assert!(head.ends_with("_år"), "{head}");
    let cells: Vec<&str> = sv.lines().skip(1).flat_map(|l| l.split(';')).collect();
    assert!(!cells.iter().any(|c| *c == "yes" || *c == "no"));
    assert!(cells.contains(&"nej"));
    assert!(
        !cells.iter().any(|c| c.starts_with("0.")),
        "a decimal point"
    );
    assert!(
        cells.iter().any(|c| c.starts_with("0,")),
        "no decimal comma"
    );
    let back = hwf::allocate::audit::read_published(&out.join("allocation_sv.csv")).unwrap();
    assert_eq!(back, rows);
}

#[test]
fn auditing_the_seed_appendix_against_population() {
    // Worked out separately (Python, from the same two files): with the population of 31 Dec 2019 as
    // the available indicator, every implied share of the care indicator is non-negative up to a
    // population weight of 0.535154204…, bound by Håbo (0305); at 0.5 the smallest is 0.000149323.
    let rows =
        hwf::allocate::audit::read_published(&data("allocation/seed003_appendix.csv")).unwrap();
    let pop = read_table(&data("allocation/population_municipality.csv")).unwrap();
    let mut map = std::collections::HashMap::new();
    for r in 0..pop.len() {
        if pop.code(1, r) == "2019" {
            map.insert(pop.code(0, r).to_string(), pop.value(r).unwrap());
        }
    }
    let a = hwf::allocate::audit::audit(&rows, &map, 30_000_000, 35_000, Some(0.5)).unwrap();
    assert!(
        (a.w_max - 0.535_154_204_148_970_7).abs() < 1e-9,
        "{}",
        a.w_max
    );
    assert_eq!(a.binding(1)[0].code, "0305");
    let min_q = a
        .lines
        .iter()
        .filter_map(|l| l.implied_share)
        .fold(f64::INFINITY, f64::min);
    assert!(
        (min_q - 0.000_149_322_811_704_362_9).abs() < 1e-12,
        "{min_q}"
    );
    assert!(a.consistent());
    // Implied shares sum to 1 by construction.
    let s: f64 = a.lines.iter().filter_map(|l| l.implied_share).sum();
    assert!((s - 1.0).abs() < 1e-9);
    // At a population weight of 0.6 the published table needs a negative share: inconsistent.
    let b = hwf::allocate::audit::audit(&rows, &map, 30_000_000, 35_000, Some(0.6)).unwrap();
    assert!(!b.consistent());
    let (code, out, _) = hwf(&[
        "allocate",
        "audit",
        "--published",
        data("allocation/seed003_appendix.csv").to_str().unwrap(),
        "--total",
        "30000000",
        "--floor",
        "35000",
        "--indicator",
        data("allocation/population_municipality.csv")
            .to_str()
            .unwrap(),
        "--year",
        "2019",
        "--weight",
        "0.6",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("w_max = 0.5352") && out.contains("0305 Håbo") && out.contains("INCONSISTENT"),
        "{out}"
    );
}

#[test]
fn allocation_specs_that_cannot_work_say_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        data("allocation/population_municipality.csv"),
        dir.path().join("pop.csv"),
    )
    .unwrap();
    let run = |toml: &str| {
        let p = dir.path().join("spec.toml");
        std::fs::write(&p, toml).unwrap();
        let out = dir.path().join("out");
        hwf(&[
            "allocate",
            "--spec",
            p.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let base = "total = 30000000\nrecipients = \"municipalities\"\nfloor = 35000\n\n[[indicator]]\nname = \"pop\"\ntable = \"pop.csv\"\nyear = \"2019\"\nweight = 1.0\n";
    let (code, _, err) = run(&base.replace("weight = 1.0", "weight = 0.8"));
    assert_eq!(code, 2);
    assert!(err.contains("sum to 0.8"), "{err}");
    let (_, _, err) = run(&base.replace("total = 30000000", "total = 10000000"));
    assert!(
        err.contains("total 10000000 is below 290 × floor 35000 = 10150000"),
        "{err}"
    );
    let (_, _, err) = run(&base.replace("floor = 35000", "floor = 35000\nminimum = 1"));
    assert!(err.contains("unknown field `minimum`"), "{err}");
    let (_, _, err) = run(&base.replace("\"2019\"", "\"2020\""));
    assert!(
        err.contains("no value for 2020 and no stand_in_year"),
        "{err}"
    );
    // A name that matches no municipality, with the nearest one.
    std::fs::write(
        dir.path().join("pop.csv"),
        "kommun,år,folkmängd\nGoteborg,2019,5\n",
    )
    .unwrap();
    let (_, _, err) = run(base);
    assert!(
        err.contains("Goteborg") && err.contains("nearest: 1480 Göteborg"),
        "{err}"
    );
    // A negative indicator value.
    let mut rows = String::from("kommun,år,folkmängd\n");
    for m in &hwf::codes::CodeLists::get().municipalities {
        rows.push_str(&format!(
            "{},2019,{}\n",
            m.code,
            if m.code == "0114" { -5 } else { 100 }
        ));
    }
    std::fs::write(dir.path().join("pop.csv"), rows).unwrap();
    let (_, _, err) = run(base);
    assert!(err.contains("recipient 0114: the value -5"), "{err}");
}

#[test]
fn funding_streams_per_county() {
    let (code, out, err) = hwf(&[
        "allocate",
        "funding",
        data("allocation/funding_streams.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // Jämtland (23) in 2020: 113 MSEK plus its population share of Mellersta Norrland's 11 MSEK a year.
    let line = out.lines().find(|l| l.starts_with("23\t2020\t")).unwrap();
    let kr: f64 = line.split('\t').nth(2).unwrap().parse().unwrap();
    assert!(kr > 113e6 && kr < 113e6 + 11e6, "{line}");
    assert!(
        out.contains("national streams not earmarked for a county: 1580000000 kr"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// hwf report

#[test]
fn the_report_folder_has_everything_and_bad_runs_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, err) = hwf(&["report", "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "--quiet printed {err}");
    assert!(stdout.contains("report.html"));
    let charts = std::fs::read_dir(out.join("charts")).unwrap().count();
    assert_eq!(
        charts,
        24 * 4 * 2 + 2,
        "four charts per profession and the survey grid, PNG and SVG"
    );
    for f in [
        "summary.csv",
        "summary_sv.csv",
        "summary.parquet",
        "employed_base_year.csv",
        "counties_horizon.parquet",
        "survey.csv",
        "survey_judgement_sv.csv",
        "hwf_tables.xlsx",
    ] {
        assert!(out.join("tables").join(f).exists(), "{f}");
    }
    for f in [
        "results.parquet",
        "flows.csv",
        "intake.csv",
        "manifest.json",
        "scenario.toml",
    ] {
        assert!(out.join("projection").join(f).exists(), "{f}");
    }
    // The workbook has a sheet per table, readable by hwf's own xlsx reader.
    let summary = hwf::ingest::xlsx::read(
        &out.join("tables/hwf_tables.xlsx"),
        &std::fs::read(out.join("tables/hwf_tables.xlsx")).unwrap(),
        Some("summary"),
    )
    .unwrap();
    assert!(summary.len() >= 24 * 7, "{}", summary.len());
    // The Swedish report's workbook speaks Swedish, as its `_sv.csv` files do.
    let ids: Vec<&str> = summary.dims.iter().map(|d| d.id.as_str()).collect();
    assert!(ids.contains(&"yrke"), "{ids:?}");
    assert!(!ids.contains(&"profession"), "{ids:?}");
    let swedish = std::fs::read(out.join("tables/summary_sv.csv")).unwrap();
    assert!(swedish.starts_with(b"\xEF\xBB\xBFyrke;balans_2040;tillg\xC3\xA5ng_heltidsekv_2040;"));
    // Every Swedish CSV is Swedish: no English part in a column name, no English word in a cell,
    // decimal commas with at most three decimals.
    let english = [
        "profession",
        "county",
        "supply",
        "demand",
        "fte",
        "balance",
        "shortage",
        "surplus",
        "share",
        "year",
        "principal",
        "answered",
        "asked",
        "observed",
        "suppressed",
        "true",
        "false",
        "beginners",
        "required",
        "probability",
        "weighted",
        "assessment",
        "judged",
        "sex",
    ];
    let mut n = 0;
    for e in std::fs::read_dir(out.join("tables")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("_sv.csv") {
            continue;
        }
        n += 1;
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut lines = text.lines();
        for part in lines.next().unwrap().split([';', '_']) {
            assert!(
                !english.contains(&part),
                "{name}: English column part {part:?}"
            );
        }
        for line in lines {
            for cell in line.split(';') {
                assert!(!english.contains(&cell), "{name}: English word {cell:?}");
                if let Some((_, frac)) = cell.split_once(',') {
                    assert!(
                        frac.len() <= 3 && frac.chars().all(|c| c.is_ascii_digit()),
                        "{name}: {cell:?}"
                    );
                }
                assert!(
                    !cell.contains('.') || cell.parse::<f64>().is_err(),
                    "{name}: decimal point in {cell:?}"
                );
            }
        }
    }
    assert!(n >= 5, "{n} Swedish CSVs");
    // The folder's manifest lists every file in it (but itself and hwf's own marker) with the
    // SHA-256 of the bytes on disk; the page's manifest table lists the same checksums.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let listed: std::collections::BTreeMap<String, String> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["file"].as_str().unwrap().to_string(),
                o["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut on_disk = std::collections::BTreeMap::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if name == "manifest.json" || name == ".hwf-output.json" {
                continue;
            }
            use sha2::Digest;
            let sum: String = sha2::Sha256::digest(std::fs::read(&path).unwrap())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            on_disk.insert(name, sum);
        }
    }
    assert_eq!(listed, on_disk);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = &html[html.find("id=\"manifest\"").unwrap()..];
    for (name, sum) in &on_disk {
        if name != "report.html" {
            assert!(
                table.contains(&format!("<td>{name}</td>")) && table.contains(sum.as_str()),
                "{name} not in the page's manifest"
            );
        }
    }
    // Progress is shown without --quiet.
    let (_, _, err) = hwf(&["report", "--out", dir.path().join("o2").to_str().unwrap()]);
    assert!(
        err.contains("charts 24/24") && err.contains("done"),
        "{err}"
    );
    // A scenario that fails its checks: an error naming the key, and the earlier report untouched.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "inherits = \"default\"\nhorizon = 2000\n").unwrap();
    let before = std::fs::read(out.join("report.html")).unwrap();
    let (code, _, err) = hwf(&[
        "report",
        "--scenario",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("`horizon`"), "{err}");
    assert_eq!(std::fs::read(out.join("report.html")).unwrap(), before);
    // An output folder that cannot be made (its parent is a file): an error, and no stray folders.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let (code, _, err) = hwf(&[
        "report",
        "--out",
        blocker.join("out").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a writable folder"), "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains(".tmp-") && !n.contains(".old-")),
        "{names:?}"
    );
    let (code, _, err) = hwf(&[
        "report",
        "--lang",
        "fi",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--lang"), "{err}");
    let (code, _, err) = hwf(&[
        "report",
        "--disclosure",
        "zero",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("disclosure profile"), "{err}");
}

#[test]
fn backtest_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt");
    let (code, stdout, err) = hwf(&[
        "backtest",
        "--from",
        "2016,2018",
        "--horizons",
        "1,3,10",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("from 2016, horizons [10] reach past the data"),
        "{err}"
    );
    assert!(stdout.contains("2018     3      fte SSK"), "{stdout}");
    let text = std::fs::read_to_string(out.join("backtest_summary.csv")).unwrap();
    assert!(text.starts_with("base_year,horizon,measure,profession,national_error_percent,county_mape_percent,county_bias_percent"));
    assert!(out.join("backtest.csv").exists());
    let (code, _, err) = hwf(&["backtest", "--from", "2005", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("backtest from 2005") && err.contains("no licence data"),
        "{err}"
    );
}

#[test]
fn monte_carlo_from_the_command_line_is_the_same_on_one_or_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, name: &str| {
        let out = dir.path().join(name);
        let (code, stdout, stderr) = hwf(&[
            "project",
            "--draws",
            "40",
            "--seed",
            "99",
            "--quantiles",
            "5,50,95",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("P(shortage)") && stdout.contains("gap P5–P95 (40 draws)"));
        out
    };
    let a = run("1", "a");
    let b = run("2", "b");
    for f in [
        "bands.csv",
        "bands.parquet",
        "intake_bands.csv",
        "results.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let bands = std::fs::read_to_string(a.join("bands.csv")).unwrap();
    assert!(
        bands.starts_with("profession,county,variable,year,mean,p5,p50,p95,probability_shortage\n")
    );
    // 24 professions × 22 areas × 4 variables × 18 years, and a header.
    assert_eq!(bands.lines().count(), 1 + 24 * 22 * 4 * 18);
    let manifest = std::fs::read_to_string(a.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"draws\": 40") && manifest.contains("\"seed\": 99"));
}

#[test]
fn monte_carlo_options_that_cannot_work_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = out.to_str().unwrap();
    for (args, want) in [
        (
            vec!["project", "--draws", "0", "--out", o],
            "--draws 0: expected one draw or more",
        ),
        (
            vec![
                "project",
                "--draws",
                "5",
                "--quantiles",
                "10,101",
                "--out",
                o,
            ],
            "--quantiles: 101; expected percentiles from 0 to 100",
        ),
        (
            vec!["project", "--draws", "5", "--quantiles=-1", "--out", o],
            "--quantiles: -1",
        ),
        (vec!["report", "--draws", "0", "--out", o], "--draws 0"),
    ] {
        let (code, _, stderr) = hwf(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
        assert!(!out.exists(), "nothing is written on an error");
        // Refused before any work: no scenario read, nothing projected.
        assert!(
            !stderr.contains("projecting") && !stderr.contains("reading the scenario"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_reader_that_stops_early_ends_hwf_quietly() {
    // `hwf codes municipalities | head -1`: the pipe closes before hwf has written its lines.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hwf"))
        .args(["codes", "municipalities"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run hwf");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for hwf");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Output folders: hwf replaces only what it wrote

/// Runs hwf in `cwd`.
fn hwf_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hwf"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run hwf");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_users_folder_file_and_working_directory_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let spec = data("allocation/seed003.toml");
    let spec = spec.to_str().unwrap();
    // A folder with the user's thesis in it: refused, named, untouched, for every command.
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("thesis.docx"), "my thesis").unwrap();
    let ds = d.to_str().unwrap();
    for args in [
        vec!["allocate", "--spec", spec, "--out", ds],
        vec!["project", "--out", ds],
        vec!["report", "--out", ds, "--quiet"],
        vec!["backtest", "--from", "2015", "--out", ds],
    ] {
        let (code, _, err) = hwf(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("thesis.docx") && err.contains("hwf did not write"),
            "{args:?}: {err}"
        );
        assert_eq!(listing(&d), ["thesis.docx"]);
        assert_eq!(
            std::fs::read_to_string(d.join("thesis.docx")).unwrap(),
            "my thesis"
        );
    }
    // With --into-existing hwf writes beside it, and a second run replaces only its own files.
    let (code, _, err) = hwf(&["allocate", "--spec", spec, "--out", ds, "--into-existing"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        listing(&d),
        [
            ".hwf-output.json",
            "allocation.csv",
            "allocation.xlsx",
            "allocation_sv.csv",
            "summary.html",
            "thesis.docx"
        ]
    );
    let (code, _, err) = hwf(&["allocate", "--spec", spec, "--out", ds, "--into-existing"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("thesis.docx")).unwrap(),
        "my thesis"
    );
    // A file is not turned into a folder.
    let f = dir.path().join("afile.txt");
    std::fs::write(&f, "x").unwrap();
    let (code, _, err) = hwf(&["project", "--out", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("is a file"), "{err}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "x");
    // The folder the shell stands in, and its parents, even when hwf wrote them.
    let (code, _, _) = hwf(&[
        "allocate",
        "--spec",
        spec,
        "--out",
        dir.path().join("mine").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let mine = dir.path().join("mine");
    for out in [".", "..", mine.to_str().unwrap()] {
        let (code, _, err) = hwf_in(&mine, &["allocate", "--spec", spec, "--out", out]);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains("current directory"), "{out}: {err}");
    }
    assert!(mine.join("allocation.csv").exists());
    // `/` is refused before any work (it used to fail after the whole run).
    let (code, _, err) = hwf(&["project", "--out", "/"]);
    assert_eq!(code, 2);
    assert!(err.contains("no parent folder"), "{err}");
}

#[test]
fn the_default_outputs_of_the_commands_lie_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let spec = data("allocation/seed003.toml");
    let spec = spec.to_str().unwrap();
    let (code, _, err) = hwf_in(dir.path(), &["allocate", "--spec", spec]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = hwf_in(dir.path(), &["project"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = hwf_in(dir.path(), &["allocate", "--spec", spec]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    assert_eq!(listing(&out), ["allocation", "projection"]);
    assert!(out.join("projection/results.csv").exists());
    // `out` itself holds two outputs of other runs: a report there is refused, naming them.
    let (code, _, err) = hwf_in(dir.path(), &["report", "--out", "out", "--quiet"]);
    assert_eq!(code, 2);
    assert!(err.contains("allocation, projection"), "{err}");
    assert!(out.join("allocation/allocation.csv").exists());
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_folder_or_the_new_one() {
    // Allocations are quick, so a run can be killed at many points of its life: while reading,
    // computing, building the temporary folder and swapping it in. After each kill the folder is
    // either the complete earlier output or the complete new one (both are the same bytes here),
    // and the next run removes what the killed one left.
    let dir = tempfile::tempdir().unwrap();
    let spec = data("allocation/seed003.toml");
    let out = dir.path().join("alloc");
    let args = [
        "allocate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let t0 = std::time::Instant::now();
    assert_eq!(hwf(&args).0, 0);
    let span = t0.elapsed().as_micros() as u64;
    let want: Vec<(String, Vec<u8>)> = listing(&out)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(out.join(&n)).unwrap()))
        .collect();
    assert_eq!(want.len(), 5, "four outputs and the marker");
    // Kill points spread over one run's duration by a fixed linear congruential sequence.
    let mut x: u64 = 12345;
    for _ in 0..40 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = (x >> 33) % (span + span / 4 + 1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_hwf"))
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(delay));
        let _ = child.kill();
        let _ = child.wait();
        // The target holds exactly the complete output.
        let got: Vec<(String, Vec<u8>)> = listing(&out)
            .into_iter()
            .map(|n| (n.clone(), std::fs::read(out.join(&n)).unwrap()))
            .collect();
        assert_eq!(got, want, "after a kill at {delay} µs");
    }
    // Whatever the killed runs left beside it (.alloc.tmp-PID, .alloc.old-PID) goes with the next run.
    assert_eq!(hwf(&args).0, 0);
    assert_eq!(listing(dir.path()), ["alloc"]);
}

/// A scenario file in `dir` inheriting the default with `body` appended.
fn scenario_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("inherits = \"default\"\n{body}")).unwrap();
    path
}

#[test]
fn project_and_report_of_a_health_care_region() {
    // [scope] by a health-care region's name: Norra is Västernorrland, Jämtland, Västerbotten and
    // Norrbotten (data/codes/counties.csv). The embedded tables cover the whole country; the
    // other counties' rows are left out.
    let dir = tempfile::tempdir().unwrap();
    let sc = scenario_file(
        dir.path(),
        "norra.toml",
        "name = \"norra\"\n[scope]\ncounties = [\"Norra\"]\n",
    );
    let out = dir.path().join("proj");
    let (code, stdout, err) = hwf(&[
        "project",
        "--scenario",
        sc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains(
            "scope: North health-care region (counties 22, 23, 24, 25) (the figures are these counties' sum, not Sweden)"
        ),
        "{stdout}"
    );
    assert!(err.contains("counties outside the scope"), "{err}");
    // results.csv: the four counties and the scope's total row, which is their sum.
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (prof, county, year, sup) = (
        col("profession"),
        col("county"),
        col("year"),
        col("supply_fte"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut codes: Vec<&str> = rows.iter().map(|r| r[county]).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes, ["22", "23", "24", "25", "scope"]);
    let supply = |c: &str| -> f64 {
        rows.iter()
            .filter(|r| r[prof] == "SSK" && r[year] == "2040" && r[county] == c)
            .map(|r| r[sup].parse::<f64>().unwrap())
            .sum()
    };
    let parts: f64 = ["22", "23", "24", "25"].iter().map(|c| supply(c)).sum();
    let total = supply("scope");
    assert!(
        total > 0.0 && (total - parts).abs() < 1e-3,
        "{total} vs {parts}"
    );
    // The console's SSK line is the scope's total.
    let line = stdout.lines().find(|l| l.starts_with("SSK ")).unwrap();
    let printed: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!((printed - total).abs() <= 0.5, "{line} vs {total}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"total_code\": \"scope\""), "{manifest}");

    // The report says what it covers, in its title and summary, and how the border is treated.
    let rep = dir.path().join("rep");
    let (code, _, err) = hwf(&[
        "report",
        "--scenario",
        sc.to_str().unwrap(),
        "--out",
        rep.to_str().unwrap(),
        "--lang",
        "en",
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(
        html.contains(
            "<h1>Supply and demand of licensed health-care personnel 2023–2040: North health-care region (counties 22, 23, 24, 25)</h1>"
        ),
        "title"
    );
    assert!(html.contains("<b>Coverage:</b> North health-care region"));
    assert!(html.contains("Supply and demand in full-time equivalents, North health-care region"));
    assert!(html.contains("Flows across the border"));
    assert!(
        html.contains("pooled over the scope&#39;s counties")
            || html.contains("pooled over the scope's counties")
    );
    assert!(!html.contains("all of Sweden"));
    assert!(!html.contains("<td>Sweden</td>"));
    assert!(html.contains("<td>Total</td>"));
    assert!(html.contains("<td>Jämtland County</td>"));
    assert!(!html.contains("<td>Stockholm County</td>"));
    // Comparing with a national scenario is refused: the gaps would not be of the same area.
    let (code, _, err) = hwf(&[
        "report",
        "--scenario",
        sc.to_str().unwrap(),
        "--compare",
        scenario_file(dir.path(), "nat.toml", "name = \"nat\"\n")
            .to_str()
            .unwrap(),
        "--out",
        dir.path().join("cmp").to_str().unwrap(),
        "--quiet",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("expected scenarios of the same [scope]"),
        "{err}"
    );
}

#[test]
fn one_county_of_licensed_data_needs_a_scope_and_runs_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let lic = fixture("published/licensed_one_county.csv");
    let inputs = format!(
        "[inputs]\nlicensed = {{ file = {:?} }}\n",
        lic.display().to_string()
    );
    let plain = scenario_file(dir.path(), "plain.toml", &inputs);
    let (code, stdout, err) = hwf(&[
        "project",
        "--scenario",
        plain.to_str().unwrap(),
        "--out",
        dir.path().join("a").to_str().unwrap(),
    ]);
    assert_ne!(code, 0, "{stdout}");
    assert!(err.contains("counties 01–22, 24, 25 missing"), "{err}");
    assert!(err.contains("[scope] counties = [\"23\"]"), "{err}");
    assert!(!dir.path().join("a").exists());
    let scoped = scenario_file(
        dir.path(),
        "scoped.toml",
        &format!("[scope]\ncounties = [\"Jämtlands län\"]\n{inputs}"),
    );
    let (code, stdout, err) = hwf(&[
        "project",
        "--scenario",
        scoped.to_str().unwrap(),
        "--out",
        dir.path().join("b").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("scope: Jämtland County (23)"), "{stdout}");
    let profs: Vec<&str> = stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.chars().all(|c| c.is_ascii_uppercase()))
        .collect();
    assert_eq!(profs, ["LAK", "SSK"], "{stdout}");
}
