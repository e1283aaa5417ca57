//! One report per principal (issue 16): `hwf report --county`, `--region`, `--all-counties`, run as
//! a process on the embedded default data. Every figure is checked against the national run's own
//! `projection/results.csv`, read here independently (summed over sectors, and over counties for a
//! region), never against hwf's memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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

fn ok(args: &[&str]) {
    let (code, out, err) = hwf(args);
    assert_eq!(code, 0, "hwf {args:?}\n{out}\n{err}");
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// `(profession, county, year)` → (supply, demand) summed over sectors, from results.csv.
type Results = BTreeMap<(String, String, String), (f64, f64)>;

fn read_results(path: &Path) -> Results {
    let mut r = csv::Reader::from_path(path).expect("results.csv");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("no {n}"))
    };
    let (pc, cc, yc, sc, dc) = (
        col("profession"),
        col("county"),
        col("year"),
        col("supply_fte"),
        col("demand_fte"),
    );
    let mut out = Results::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        let (Ok(sup), Ok(dem)) = (rec[sc].parse::<f64>(), rec[dc].parse::<f64>()) else {
            continue; // history rows: withheld supply, no demand
        };
        let e = out
            .entry((
                rec[pc].to_string(),
                rec[cc].to_string(),
                rec[yc].to_string(),
            ))
            .or_insert((0.0, 0.0));
        e.0 += sup;
        e.1 += dem;
    }
    out
}

/// A county report's `tables/years.csv`: `(profession, year)` → (supply, demand, gap, balance).
fn read_years(path: &Path) -> BTreeMap<(String, String), (f64, f64, f64, String)> {
    let mut r = csv::Reader::from_path(path).expect("years.csv");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("no {n}"))
    };
    let c = [
        col("profession"),
        col("year"),
        col("supply_fte"),
        col("demand_fte"),
        col("gap_fte"),
        col("balance"),
    ];
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            let f = |i: usize| rec[c[i]].parse::<f64>().expect("number");
            (
                (rec[c[0]].to_string(), rec[c[1]].to_string()),
                (f(2), f(3), f(4), rec[c[5]].to_string()),
            )
        })
        .collect()
}

/// A whole number as the reports print it: thousands separated by U+202F, U+2212 for minus.
fn printed(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if n < 0 { format!("−{out}") } else { out }
}

/// Equal up to the files' six decimals (results.csv rounds each sector's row, years.csv the sum).
fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-5, "{what}: {a} against {b}");
}

const PLAN_YEARS: [&str; 4] = ["2023", "2030", "2035", "2040"];

/// The national report (with funding), whose `projection/results.csv` every test reads.
fn national(dir: &Path) -> (PathBuf, Results) {
    let out = dir.join("national");
    ok(&[
        "report",
        "--quiet",
        "--lang",
        "en",
        "--funding",
        "data/allocation/funding_streams.csv",
        "--out",
        s(&out),
    ]);
    let results = read_results(&out.join("projection/results.csv"));
    (out, results)
}

fn professions() -> Vec<(String, String, String, bool)> {
    let mut r = csv::Reader::from_path("data/codes/professions.csv").expect("professions.csv");
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            (
                rec[0].to_string(),
                rec[1].to_string(),
                rec[2].to_string(),
                rec[4].is_empty(),
            )
        })
        .collect()
}

#[test]
fn county_region_and_all_county_reports_equal_the_national_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (nat, results) = national(dir.path());
    let profs = professions();

    // --- One county, by name: every figure of its table is results.csv's, summed over sectors.
    let county = dir.path().join("jamtland");
    ok(&[
        "report",
        "--quiet",
        "--lang",
        "en",
        "--county",
        "Jämtlands län",
        "--funding",
        "data/allocation/funding_streams.csv",
        "--out",
        s(&county),
    ]);
    let years = read_years(&county.join("tables/years.csv"));
    assert_eq!(years.len(), profs.len() * PLAN_YEARS.len());
    for (code, ..) in &profs {
        for y in PLAN_YEARS {
            let (rs, rd) = results[&(code.clone(), "23".into(), y.into())];
            let (ys, yd, yg, _) = &years[&(code.clone(), y.into())];
            close(*ys, rs, &format!("{code} {y} supply"));
            close(*yd, rd, &format!("{code} {y} demand"));
            close(*yg, rs - rd, &format!("{code} {y} gap"));
        }
    }
    let html = std::fs::read_to_string(county.join("report.html")).expect("report.html");
    assert!(html.contains("<title>Supply and demand of licensed health-care personnel 2023–2040: Jämtland County</title>"));
    // Nurses in 2040, as the row of the section's table prints them.
    let (rs, rd) = results[&("SSK".into(), "23".into(), "2040".into())];
    let row = format!(
        "<tr><td>2040</td><td>{}</td><td>{}</td><td class=",
        printed(rs),
        printed(rd)
    );
    assert!(html.contains(&row), "no row {row}");
    // The flows of nurses in 2040 as flows.csv has them for the county, moves between counties a
    // column of their own (the default's deviations by age group).
    let flows = std::fs::read_to_string(nat.join("projection/flows.csv")).expect("flows.csv");
    let f: Vec<f64> = flows
        .lines()
        .find(|l| l.starts_with("SSK,23,2040,"))
        .expect("SSK 23 2040")
        .split(',')
        .skip(4)
        .map(|v| v.parse().expect("a number"))
        .collect();
    assert!(f[4] != 0.0, "Jämtland's nurses move: {f:?}");
    let row = format!(
        "<tr><td>2040</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        printed(f[0]),
        printed(f[1]),
        printed(f[2]),
        printed(f[3]),
        printed(f[4]),
        printed(f[0] + f[1] + f[2] - f[3] + f[4])
    );
    assert!(html.contains(&row), "no flows row {row}");
    assert!(html.contains("<th>Moving in from other counties (net)</th>"));
    // English throughout: none of the Swedish table words.
    for word in ["Tillgång", "Efterfrågan", "Län<", "Yrke", "brist"] {
        assert!(
            !html.contains(word),
            "Swedish {word:?} in the English report"
        );
    }

    // --- The principals' answers in Jämtland, counted from data/default/balance.csv and the code
    // list's municipalities: the region's answer and the eight municipalities', none missing.
    let survey = &html[html.find("id=\"survey\"").expect("survey section")..];
    let survey = &survey[..survey.find("</table>").expect("end of table")];
    let balance = std::fs::read_to_string("data/default/balance.csv").unwrap();
    let count = |k: &str, a: &str| -> u32 {
        balance
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1] == "23" && f[2] == "SSK" && f[3] == k && f[4] == a)
                    .then(|| f[5].parse::<u32>().unwrap())
            })
            .sum()
    };
    let municipalities = std::fs::read_to_string("data/codes/municipalities.csv")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("23"))
        .count() as u32;
    let k: Vec<u32> = ["brist", "balans", "överskott"]
        .iter()
        .map(|a| count("K", a))
        .collect();
    let r: Vec<u32> = ["brist", "balans", "överskott"]
        .iter()
        .map(|a| count("R", a))
        .collect();
    let cells = format!(
        "<td>{} / {} / {}</td><td>0</td><td>{} / {} / {}</td><td>{}</td>",
        r[0],
        r[1],
        r[2],
        k[0],
        k[1],
        k[2],
        municipalities - k.iter().sum::<u32>()
    );
    let row = &survey[survey.find("href=\"#p-SSK\"").expect("nurses' row")..];
    assert!(
        row[..row.find("</tr>").unwrap()].contains(&cells),
        "no {cells} in {row}"
    );

    // --- Funding beside each shortage, never netted: the county has professions in shortage
    // and in surplus in 2040 (worked out from results.csv), each shortage stands on its own, no
    // surplus is listed, and the net sum over the professions appears nowhere.
    let funding = &html[html.find("id=\"funding\"").expect("funding section")..];
    let funding = &funding[..funding.find("</section>").expect("end of section")];
    let (mut short, mut surplus, mut net) = (Vec::new(), Vec::new(), 0.0);
    for (code, _, en, top) in &profs {
        let (s, d) = results[&(code.clone(), "23".into(), "2040".into())];
        // Balance is ±3 % of demand in the default scenario.
        if s < 0.97 * d {
            short.push((en.clone(), s - d));
        } else if s > 1.03 * d {
            surplus.push(en.clone());
        }
        if *top {
            net += s - d;
        }
    }
    assert!(
        !short.is_empty() && !surplus.is_empty(),
        "{short:?} {surplus:?}"
    );
    for (en, gap) in &short {
        let cell = format!(
            "<tr><td>{en}</td><td class=\"shortage\">{}</td>",
            printed(*gap)
        );
        assert!(funding.contains(&cell), "no {cell}");
    }
    for en in &surplus {
        assert!(!funding.contains(&format!("<td>{en}</td>")), "{en} listed");
    }
    assert!(
        !funding.contains(&format!(">{}<", printed(net))),
        "net {net} shown"
    );
    // The national funding table lists the same shortages in Jämtland's row, none netted.
    let nhtml = std::fs::read_to_string(nat.join("report.html")).expect("national report");
    let nf = &nhtml[nhtml.find("id=\"funding\"").expect("national funding")..];
    let jrow = &nf[nf.find("<td>Jämtland County</td>").expect("Jämtland's row")..];
    let jrow = &jrow[..jrow.find("</tr>").expect("row end")];
    for (en, gap) in &short {
        assert!(
            jrow.contains(&format!("{en} {}", printed(*gap))),
            "{en} in {jrow}"
        );
    }
    assert!(
        !jrow.contains(&format!(">{}<", printed(net))),
        "net in {jrow}"
    );

    // --- Item 5: the national county tables are FTE throughout, in the four planning years.
    let ssk = &nhtml[nhtml.find("id=\"p-SSK\"").expect("nurses")..];
    let ssk = &ssk[..ssk.find("</section>").expect("end")];
    let years_row: String = (0..3)
        .flat_map(|_| PLAN_YEARS.iter().map(|y| format!("<th>{y}</th>")))
        .collect();
    assert!(ssk.contains(&years_row), "years row");
    let jrow = &ssk[ssk.find("<td>Jämtland County</td>").expect("Jämtland")..];
    let jrow = &jrow[..jrow.find("</tr>").expect("row end")];
    let supplies: String = PLAN_YEARS
        .iter()
        .map(|y| {
            format!(
                "<td>{}</td>",
                printed(results[&("SSK".into(), "23".into(), (*y).into())].0)
            )
        })
        .collect();
    assert!(jrow.contains(&supplies), "{supplies} in {jrow}");
    assert!(ssk.contains("All figures are full-time equivalents."));

    // --- A health-care region: the sum of its counties (22–25), each from results.csv.
    let region = dir.path().join("norra");
    ok(&[
        "report",
        "--quiet",
        "--region",
        "Norra",
        "--out",
        s(&region),
    ]);
    let ry = read_years(&region.join("tables/years.csv"));
    for (code, ..) in &profs {
        for y in PLAN_YEARS {
            let (mut ss, mut dd) = (0.0, 0.0);
            for c in ["22", "23", "24", "25"] {
                let (a, b) = results[&(code.clone(), c.into(), y.into())];
                ss += a;
                dd += b;
            }
            let (ys, yd, ..) = &ry[&(code.clone(), y.into())];
            close(*ys, ss, &format!("Norra {code} {y} supply"));
            close(*yd, dd, &format!("Norra {code} {y} demand"));
        }
    }
    let rhtml = std::fs::read_to_string(region.join("report.html")).expect("region report");
    assert!(rhtml.contains("Sjukvårdsregion Norra"));
    // The region's own part of each required intake is intake_regions.csv's row for N.
    let mut r = csv::Reader::from_path(nat.join("projection/intake_regions.csv")).expect("csv");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|x| x.starts_with(n)).expect(n);
    let (pc, rc, tc, qc) = (
        col("profession"),
        col("healthcare_region"),
        col("beginners_"),
        col("required_beginners_from_"),
    );
    let mut seen = 0;
    for rec in r.records() {
        let rec = rec.expect("row");
        let today: f64 = rec[tc].parse().expect("today");
        if &rec[rc] != "N" || today <= 0.0 {
            continue;
        }
        let part: f64 = rec[qc].parse().expect("part");
        let id = format!("id=\"p-{}\"", &rec[pc]);
        let section = &rhtml[rhtml.find(&id).expect("section")..];
        let section = &section[..section.find("</section>").expect("end")];
        let want = format!(
            "Regionens egna utbildningar: {}</strong> nybörjare per år (i dag {}",
            printed(part),
            printed(today)
        );
        assert!(section.contains(&want), "{want} in {}", &rec[pc]);
        seen += 1;
    }
    assert!(seen >= 15, "{seen} professions trained in Norra");
    assert!(region.join("charts/gap_by_county_SSK.svg").exists());

    // --- Every county: 21 folders and the index, nothing else; and the same figures.
    let all = dir.path().join("counties");
    ok(&["report", "--quiet", "--all-counties", "--out", s(&all)]);
    let mut names: Vec<String> = std::fs::read_dir(&all)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = [
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
        "20", "21", "22", "23", "24", "25",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    expected.push(".hwf-output.json".into());
    expected.push("index.html".into());
    expected.sort();
    assert_eq!(names, expected);
    let index = std::fs::read_to_string(all.join("index.html")).expect("index");
    for c in &expected[..] {
        if c.len() == 2 {
            assert!(
                index.contains(&format!("href=\"{c}/report.html\"")),
                "link {c}"
            );
            let mut inside: Vec<String> = std::fs::read_dir(all.join(c))
                .expect("county folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            inside.sort();
            assert_eq!(inside, ["charts", "report.html", "tables"], "{c}");
        }
    }
    // The county written alone and among all is the same report.
    let alone = std::fs::read(county.join("tables/years.csv")).expect("alone");
    let jy = read_years(&all.join("23/tables/years.csv"));
    assert_eq!(jy, read_years(&county.join("tables/years.csv")));
    assert!(!alone.is_empty());

    // --- The folder rules hold: a file hwf did not write makes it refuse, and stays.
    std::fs::write(all.join("notes.txt"), "mine").expect("user file");
    let (code, _, err) = hwf(&["report", "--quiet", "--all-counties", "--out", s(&all)]);
    assert_ne!(code, 0);
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(all.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_principal_that_is_not_one_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x");
    let (code, _, err) = hwf(&["report", "--county", "Jamtlnd", "--out", s(&out)]);
    assert_ne!(code, 0);
    assert!(err.contains("--county \"Jamtlnd\": not a county"), "{err}");
    assert!(err.contains("Jämtlands län (23)"), "{err}");
    let (code, _, err) = hwf(&["report", "--region", "99", "--out", s(&out)]);
    assert_ne!(code, 0);
    assert!(err.contains("healthcare_regions.csv"), "{err}");
    assert!(!out.exists());
}
