//! An attacker that solves: for every suppressed count in a report folder, the smallest and largest
//! value it can take over all tables of non-negative integers consistent with everything the folder
//! publishes, found by integer programming (`good_lp` over the pure-Rust `microlp` solver) and
//! independent of hwf's own protection code (which bounds cells by maximum flow).
//!
//! What the attacker knows, read back from the folder's files, never from hwf's memory:
//! - `tables/employed_base_year.csv`: persons and FTE by profession × county × sex with every
//!   margin (Sweden = the sum of the counties, both sexes = the sum of the sexes). Under ONS 10-5
//!   a published count `v` is any integer that rounds to it and is not suppressed (`v − 2 … v + 2`,
//!   at least 10), a published FTE anything within 2.5 of it.
//! - FTE ≤ persons in every cell, FTE ≥ 0; a layer is part of its profession (specialist physicians
//!   are physicians, specialist nurses and midwives are nurses), so cell by cell its persons are at
//!   most the parent's.
//! - `tables/backtest.csv`: every published outcome (Sweden's FTE in the base-table year is the
//!   table's grand total FTE).
//! - Suppressed cells hold at least one person when the table publishes all its true zeros.
//! - For a respondent alone in a suppressed one-person cell: their own count.
//!
//! - `tables/describe_ages.csv` and `tables/describe_licences.csv`: employed persons by age band
//!   with their national total, and licences issued by licence year × country of education with
//!   both margins; each attacked as a table of its own (the age table's total is the national
//!   total above, and no national split by age can narrow a county cell).
//!
//! The rest of the folder must not publish the register's counts at all: the history rows of
//! `projection/results.csv`, the base year's licensed and the first projected year's exits in
//! `projection/flows.csv` (they give the base year back exactly), and the base year's licensed in
//! `projection/bands.csv`; that is checked directly.
//!
//! The truth comes from `data/default/employed.px` read by hwf's PX reader (the reader, not the
//! report code).

mod common;
use common::px_sums;
use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, constraint,
    microlp, variable,
};
use hwf::publish::disclosure::{CountTable, Profile, suppress};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const UNBOUNDED: f64 = 1e7;

fn hwf(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_hwf"))
        .args(args)
        .output()
        .expect("run hwf");
    assert!(
        out.status.success(),
        "hwf {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// True employed persons by profession → county (in file order) → sex, in `year`.
fn truth(year: &str) -> (Vec<String>, BTreeMap<String, Vec<[f64; 2]>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/default/employed.px");
    let t = hwf::ingest::read_table(&path).unwrap();
    let dim = |names: &[&str]| {
        t.dims
            .iter()
            .position(|d| names.contains(&d.id.as_str()))
            .unwrap_or_else(|| {
                panic!(
                    "{names:?} in {:?}",
                    t.dims.iter().map(|d| &d.id).collect::<Vec<_>>()
                )
            })
    };
    let (dp, dc, ds, dy, dk) = (
        dim(&["yrke", "profession"]),
        dim(&["län", "county"]),
        dim(&["kön", "sex"]),
        dim(&["år", "year"]),
        dim(&["tabellinnehåll", "contents"]),
    );
    let counties: Vec<String> = t.dims[dc]
        .categories
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let mut out: BTreeMap<String, Vec<[f64; 2]>> = BTreeMap::new();
    for r in 0..t.len() {
        if t.code(dy, r) != year || t.code(dk, r) != "EMP" {
            continue;
        }
        let p = t.code(dp, r).to_string();
        let c = counties.iter().position(|x| x == t.code(dc, r)).unwrap();
        let s: usize = t.code(ds, r).parse::<usize>().unwrap() - 1;
        let e = out
            .entry(p)
            .or_insert_with(|| vec![[0.0; 2]; counties.len()]);
        e[c][s] += t.value(r).unwrap_or(0.0);
    }
    (counties, out)
}

/// One published row of the base-year table.
#[derive(Clone, Debug)]
struct Row {
    prof: String,
    county: String,
    sex: String,
    suppressed: bool,
    persons: Option<f64>,
    fte: Option<f64>,
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

fn base_table(dir: &Path) -> (String, Vec<Row>) {
    let (head, rows) = read_csv(&dir.join("tables/employed_base_year.csv"));
    let year = head[4].trim_start_matches("employed_persons_").to_string();
    let rows = rows
        .into_iter()
        .map(|f| Row {
            prof: f[0].clone(),
            county: f[1].clone(),
            sex: f[2].clone(),
            suppressed: f[3] == "suppressed",
            persons: f[4].parse().ok(),
            fte: f[5].parse().ok(),
        })
        .collect();
    (year, rows)
}

/// The interval an attacker finds, and the true value it is after.
#[derive(Debug, Clone, Copy)]
struct Found {
    value: f64,
    low: f64,
    high: f64,
    /// What the published zeros alone already tell: the number of non-zero inner cells the cell
    /// is made of (each at least 1) when every zero is published, else 0.
    floor: f64,
}

fn fails(f: &Found, max_n: f64) -> Option<&'static str> {
    let t = f.value;
    if f.high - f.low < 0.5 {
        return Some("pinned exactly");
    }
    if f.low >= 1.0 && f.high <= max_n {
        return Some("interval inside [1, max_n]");
    }
    if (1.0..=max_n).contains(&t)
        && (f.high < t + max_n || f.low > (t - max_n).max(1.0).max(f.floor))
    {
        return Some("protection interval too narrow");
    }
    None
}

/// A cell of the base-year table as a sum of inner cells: (profession index in the group, counties,
/// sexes).
#[derive(Clone, Debug)]
struct Cell {
    prof: usize,
    counties: Vec<usize>,
    sexes: Vec<usize>,
}

/// The attacker's integer program for one group of linked professions.
struct Model<'a> {
    profile: Profile,
    n_counties: usize,
    /// Per profession in the group: its rows of the base-year table.
    rows: Vec<Vec<&'a Row>>,
    /// `(child, parent)` layers inside the group.
    layers: Vec<(usize, usize)>,
    /// Published national FTE outcomes: (profession index, value).
    national_fte: Vec<(usize, f64)>,
    /// Whether the profession's table publishes all its true zeros.
    zeros_published: Vec<bool>,
}

impl Model<'_> {
    fn cell(&self, row: &Row, p: usize, counties: &[String]) -> Cell {
        let c: Vec<usize> = if row.county == "00" {
            (0..self.n_counties).collect()
        } else {
            vec![counties.iter().position(|x| *x == row.county).unwrap()]
        };
        let s: Vec<usize> = match row.sex.as_str() {
            "1+2" => vec![0, 1],
            x => vec![x.parse::<usize>().unwrap() - 1],
        };
        Cell {
            prof: p,
            counties: c,
            sexes: s,
        }
    }

    /// Min and max of `target` with `fixed` cells pinned to a value (the respondent's own).
    fn bounds(
        &self,
        counties: &[String],
        target: &Cell,
        fixed: Option<(&Cell, f64)>,
    ) -> (f64, f64) {
        let lo = self.solve(counties, target, fixed, false);
        let hi = self.solve(counties, target, fixed, true);
        (lo, hi)
    }

    fn solve(
        &self,
        counties: &[String],
        target: &Cell,
        fixed: Option<(&Cell, f64)>,
        max: bool,
    ) -> f64 {
        let np = self.rows.len();
        let nc = self.n_counties;
        let mut vars = ProblemVariables::new();
        let at = |p: usize, c: usize, s: usize| (p * nc + c) * 2 + s;
        let x: Vec<Variable> = (0..np * nc * 2)
            .map(|_| vars.add(variable().integer().min(0).max(UNBOUNDED)))
            .collect();
        let f: Vec<Variable> = (0..np * nc * 2)
            .map(|_| vars.add(variable().min(0).max(UNBOUNDED)))
            .collect();
        let sum = |v: &[Variable], cell: &Cell| -> Expression {
            let mut e = Expression::from(0.0);
            for &c in &cell.counties {
                for &s in &cell.sexes {
                    e += v[at(cell.prof, c, s)];
                }
            }
            e
        };
        let objective = sum(&x, target);
        let mut m = if max {
            vars.maximise(objective.clone()).using(microlp)
        } else {
            vars.minimise(objective.clone()).using(microlp)
        };
        for i in 0..np * nc * 2 {
            m = m.with(constraint!(f[i] <= x[i]));
        }
        for &(child, parent) in &self.layers {
            for c in 0..nc {
                for s in 0..2 {
                    m = m.with(constraint!(x[at(child, c, s)] <= x[at(parent, c, s)]));
                }
            }
        }
        for (p, rows) in self.rows.iter().enumerate() {
            for row in rows {
                let cell = self.cell(row, p, counties);
                let ex = sum(&x, &cell);
                if row.suppressed {
                    if self.zeros_published[p] {
                        m = m.with(constraint!(ex >= 1.0));
                    }
                    continue;
                }
                let v = row.persons.unwrap();
                let (lo, hi) = self.profile.published_range(v);
                m = m.with(constraint!(ex.clone() >= lo));
                m = m.with(constraint!(ex <= hi));
                let fv = row.fte.unwrap();
                let slack = match self.profile {
                    Profile::Ons10And5 => 2.5,
                    _ => 1e-6,
                };
                let ef = sum(&f, &cell);
                m = m.with(constraint!(ef.clone() >= fv - slack));
                m = m.with(constraint!(ef <= fv + slack));
            }
        }
        for &(p, v) in &self.national_fte {
            let all = Cell {
                prof: p,
                counties: (0..nc).collect(),
                sexes: vec![0, 1],
            };
            let slack = match self.profile {
                Profile::Ons10And5 => 2.5,
                _ => 1e-6,
            };
            let ef = sum(&f, &all);
            m = m.with(constraint!(ef.clone() >= v - slack));
            m = m.with(constraint!(ef <= v + slack));
        }
        if let Some((cell, v)) = fixed {
            let ex = sum(&x, cell);
            m = m.with(constraint!(ex.clone() >= v));
            m = m.with(constraint!(ex <= v));
        }
        match m.solve() {
            Ok(sol) => {
                let v = sol.eval(&objective).round();
                if max && v >= UNBOUNDED / 2.0 {
                    f64::INFINITY
                } else {
                    v
                }
            }
            Err(ResolutionError::Unbounded) if max => f64::INFINITY,
            Err(e) => panic!(
                "the attacker's program has no solution ({e:?}): the folder contradicts itself"
            ),
        }
    }
}

/// Runs the attacker over a report folder; returns (suppressed cells, attacks tried, failures).
fn attack(dir: &Path, profile: Profile) -> (usize, usize, Vec<String>) {
    let (year, rows) = base_table(dir);
    let (counties, truth) = truth(&year);
    let max_n = profile.max_n() as f64;
    // The rest of the folder publishes none of the register's counts.
    let (head, results) = read_csv(&dir.join("projection/results.csv"));
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (ph, emp, sup, st) = (
        col("phase"),
        col("employed"),
        col("supply_fte"),
        col("status"),
    );
    let mut history = 0;
    for r in &results {
        if r[ph] == "observed" {
            assert!(
                r[emp].is_empty() && r[sup].is_empty() && r[st] == "suppressed",
                "{r:?}"
            );
            history += 1;
        }
    }
    assert!(history > 0, "the results have history rows");
    let (head, flows) = read_csv(&dir.join("projection/flows.csv"));
    let (yc, lc, xc) = (
        head.iter().position(|h| h == "year").unwrap(),
        head.iter().position(|h| h == "licensed").unwrap(),
        head.iter().position(|h| h == "exits").unwrap(),
    );
    let first: i32 = flows
        .iter()
        .map(|r| r[yc].parse::<i32>().unwrap())
        .min()
        .unwrap();
    for r in &flows {
        let y: i32 = r[yc].parse().unwrap();
        if y == first {
            assert!(r[lc].is_empty(), "base-year licensed published: {r:?}");
        }
        if y <= first + 1 {
            assert!(
                r[xc].is_empty(),
                "exits that give the base year back: {r:?}"
            );
        }
    }
    if dir.join("projection/bands.csv").exists() {
        let (head, bands) = read_csv(&dir.join("projection/bands.csv"));
        let (vc, yc, mc) = (
            head.iter().position(|h| h == "variable").unwrap(),
            head.iter().position(|h| h == "year").unwrap(),
            head.iter().position(|h| h == "mean").unwrap(),
        );
        for r in &bands {
            if r[vc] == "licensed" && r[yc].parse::<i32>().unwrap() == first {
                assert!(r[mc..].iter().all(|x| x.is_empty()), "{r:?}");
            }
        }
    }
    // The HTML's county tables show the same cells' FTE with the same status (printed whole).
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let mut shown = 0;
    for prof in rows
        .iter()
        .map(|r| &r.prof)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let start = html.find(&format!("<h2 id=\"p-{prof}\">")).unwrap();
        let section = &html[start..start + html[start..].find("</section>").unwrap()];
        let table = &section[section.rfind("<table>").unwrap()..];
        let cells: Vec<&str> = table
            .split("<tr><td>")
            .skip(1)
            .map(|tr| tr.split("</td><td>").nth(1).unwrap())
            .collect();
        let totals: Vec<&Row> = rows
            .iter()
            .filter(|r| r.prof == *prof && r.sex == "1+2")
            .collect();
        assert_eq!(cells.len(), totals.len(), "{prof}");
        for (c, r) in cells.iter().zip(totals) {
            match r.fte {
                None => assert_eq!(*c, "..", "{prof} {}", r.county),
                Some(v) => {
                    let n: f64 = c.replace('\u{202f}', "").parse().unwrap();
                    assert!((n - v).abs() <= 0.5, "{prof} {}: {n} against {v}", r.county);
                }
            }
            shown += 1;
        }
    }
    assert!(shown > 0);
    let mut national_fte: BTreeMap<String, f64> = BTreeMap::new();
    if dir.join("tables/backtest.csv").exists() {
        let (head, bt) = read_csv(&dir.join("tables/backtest.csv"));
        let col = |n: &str| head.iter().position(|h| h == n).unwrap();
        let (b, h, p, c, m, a) = (
            col("base_year"),
            col("horizon"),
            col("profession"),
            col("county"),
            col("measure"),
            col("actual"),
        );
        for r in &bt {
            if r[c] != "00" {
                assert!(r[a].is_empty(), "a county's outcome published: {r:?}");
                continue;
            }
            let y = r[b].parse::<i32>().unwrap() + r[h].parse::<i32>().unwrap();
            if r[m] == "fte" && y.to_string() == year && !r[a].is_empty() {
                national_fte.insert(r[p].clone(), r[a].parse().unwrap());
            }
        }
    }
    // Groups of linked professions: a layer with its parent.
    let lists = hwf::codes::CodeLists::get();
    let profs: Vec<String> = {
        let mut v: Vec<String> = rows.iter().map(|r| r.prof.clone()).collect();
        v.dedup();
        v
    };
    let parent = |p: &str| lists.profession(p).and_then(|x| x.layer_of.clone());
    let root = |p: &str| parent(p).unwrap_or_else(|| p.to_string());
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &profs {
        groups.entry(root(p)).or_default().push(p.clone());
    }
    let (mut suppressed, mut tried, mut failures) = (0, 0, Vec::new());
    for members in groups.values() {
        let idx = |p: &str| members.iter().position(|m| m == p);
        let group_rows: Vec<Vec<&Row>> = members
            .iter()
            .map(|m| rows.iter().filter(|r| r.prof == *m).collect())
            .collect();
        let layers: Vec<(usize, usize)> = members
            .iter()
            .enumerate()
            .filter_map(|(i, m)| parent(m).and_then(|q| idx(&q)).map(|j| (i, j)))
            .filter(|&(i, j)| {
                // Only a fact if it holds: the synthetic data keep every layer inside its parent.
                (0..counties.len())
                    .all(|c| (0..2).all(|s| truth[&members[i]][c][s] <= truth[&members[j]][c][s]))
            })
            .collect();
        let true_of = |p: usize, cell: &Cell| -> f64 {
            cell.counties
                .iter()
                .flat_map(|&c| cell.sexes.iter().map(move |&s| (c, s)))
                .map(|(c, s)| truth[&members[p]][c][s])
                .sum()
        };
        let nonzero_of = |p: usize, cell: &Cell| -> f64 {
            cell.counties
                .iter()
                .flat_map(|&c| cell.sexes.iter().map(move |&s| (c, s)))
                .filter(|&(c, s)| truth[&members[p]][c][s] > 0.0)
                .count() as f64
        };
        let zeros_published: Vec<bool> = members
            .iter()
            .enumerate()
            .map(|(p, _)| {
                group_rows[p].iter().all(|r| {
                    !r.suppressed || {
                        let m = Model {
                            profile,
                            n_counties: counties.len(),
                            rows: vec![],
                            layers: vec![],
                            national_fte: vec![],
                            zeros_published: vec![],
                        };
                        true_of(p, &m.cell(r, p, &counties)) > 0.0
                    }
                })
            })
            .collect();
        let model = Model {
            profile,
            n_counties: counties.len(),
            rows: group_rows.clone(),
            layers,
            national_fte: members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| national_fte.get(m).map(|v| (i, *v)))
                .collect(),
            zeros_published,
        };
        // The published cells agree with the truth (within the rounding).
        for (p, rs) in group_rows.iter().enumerate() {
            for r in rs {
                let t = true_of(p, &model.cell(r, p, &counties));
                match r.persons {
                    Some(v) => {
                        let (lo, hi) = profile.published_range(v);
                        assert!(lo <= t && t <= hi, "{r:?} but true {t}");
                        assert!(!profile.primary(t), "{r:?}: a small count published");
                    }
                    None => assert!(r.suppressed && r.fte.is_none(), "{r:?}"),
                }
            }
        }
        for (p, rs) in group_rows.iter().enumerate() {
            let hidden: Vec<(&Row, Cell, f64)> = rs
                .iter()
                .filter(|r| r.suppressed)
                .map(|r| {
                    let c = model.cell(r, p, &counties);
                    let t = true_of(p, &c);
                    (*r, c, t)
                })
                .collect();
            suppressed += hidden.len();
            // The outsider.
            for (r, c, t) in &hidden {
                let (low, high) = model.bounds(&counties, c, None);
                tried += 1;
                let floor = if model.zeros_published[p] {
                    nonzero_of(p, c)
                } else {
                    0.0
                };
                let f = Found {
                    value: *t,
                    low,
                    high,
                    floor,
                };
                if let Some(why) = fails(&f, max_n) {
                    failures.push(format!(
                        "{profile:?} {} {} {}: {why} {f:?}",
                        r.prof, r.county, r.sex
                    ));
                }
            }
            // Each respondent alone in an inner one-person cell, who subtracts themself.
            for (own_row, own, t_own) in &hidden {
                if *t_own != 1.0 || own.counties.len() != 1 || own.sexes.len() != 1 {
                    continue;
                }
                for (r, c, t) in &hidden {
                    if std::ptr::eq(*r, *own_row) {
                        continue;
                    }
                    let contains =
                        c.counties.contains(&own.counties[0]) && c.sexes.contains(&own.sexes[0]);
                    let less = if contains { 1.0 } else { 0.0 };
                    if t - less == 0.0 {
                        continue;
                    }
                    let (low, high) = model.bounds(&counties, c, Some((own, 1.0)));
                    tried += 1;
                    let floor = if model.zeros_published[p] {
                        nonzero_of(p, c) - less
                    } else {
                        0.0
                    };
                    let f = Found {
                        value: t - less,
                        low: low - less,
                        high: high - less,
                        floor,
                    };
                    if let Some(why) = fails(&f, max_n) {
                        failures.push(format!(
                            "{profile:?} {} {} {} seen by the one person in {} {} {}: {why} {f:?}",
                            r.prof, r.county, r.sex, own_row.prof, own_row.county, own_row.sex
                        ));
                    }
                }
            }
            // ONS 10-5: no published count can be worked out exactly behind its rounding.
            if profile == Profile::Ons10And5 {
                for r in rs.iter().filter(|r| r.persons.is_some_and(|v| v > 0.0)) {
                    let c = model.cell(r, p, &counties);
                    let (low, high) = model.bounds(&counties, &c, None);
                    tried += 1;
                    if high - low < 0.5 {
                        failures.push(format!(
                            "{} {} {}: rounding undone, exactly {low}",
                            r.prof, r.county, r.sex
                        ));
                    }
                }
            }
        }
        let _ = idx;
    }
    let (s, n, f) = attack_describe(dir, profile);
    (suppressed + s, tried + n, [failures, f].concat())
}

/// The descriptive tables' own counts (`tables/describe_ages`: a column of age bands with its
/// total; `tables/describe_licences`: licence years × countries of education with both margins),
/// each rebuilt from the truth and the folder's statuses and attacked as a grid of its own. The
/// age table's total is the national total of `employed_base_year`, and a national split by age
/// cannot narrow a county cell (any county table and any age table with the same total fit
/// together: a transport problem with equal totals has a non-negative integer solution), so each
/// is attacked alone. Returns (suppressed cells, attacks, failures).
fn attack_describe(dir: &Path, profile: Profile) -> (usize, usize, Vec<String>) {
    let (mut suppressed, mut tried, mut failures) = (0, 0, Vec::new());
    let get = |m: &BTreeMap<Vec<String>, f64>, k: [&str; 3]| -> f64 {
        *m.get(&k.map(str::to_string).to_vec()).unwrap_or(&0.0)
    };
    // Age bands.
    let (head, rows) = read_csv(&dir.join("tables/describe_ages.csv"));
    let col = |h: &[String], n: &str| h.iter().position(|x| x.starts_with(n)).unwrap();
    let (pc, ac, sc, vc) = (
        col(&head, "profession"),
        col(&head, "age"),
        col(&head, "status"),
        col(&head, "employed_persons_"),
    );
    let year = head[vc].trim_start_matches("employed_persons_").to_string();
    let ages = px_sums(
        "data/default/employed.px",
        &["profession", "age", "year"],
        &[("year", &year), ("contents", "EMP")],
    );
    let mut grids: Vec<(String, CountTable, Vec<Vec<String>>)> = Vec::new();
    let mut profs: Vec<String> = rows.iter().map(|r| r[pc].clone()).collect();
    profs.dedup();
    for prof in &profs {
        let mine: Vec<Vec<String>> = rows.iter().filter(|r| r[pc] == *prof).cloned().collect();
        let bands: Vec<f64> = mine[..mine.len() - 1]
            .iter()
            .map(|r| {
                let (a, b) = r[ac].split_once('-').unwrap();
                let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
                (a..=b)
                    .map(|x| get(&ages, [prof, &x.to_string(), &year]))
                    .sum()
            })
            .collect();
        // The extended grid's cells (r, 0) and their copy (r, 1) are the same row of the file.
        let shown: Vec<Vec<String>> = mine.iter().flat_map(|r| [r.clone(), r.clone()]).collect();
        grids.push((
            format!("describe_ages {prof}"),
            CountTable::with_margins(bands.len(), 1, &bands),
            shown,
        ));
    }
    let ages_cols = (sc, vc);
    // Licences issued.
    let (head, rows) = read_csv(&dir.join("tables/describe_licences.csv"));
    let (pc, yc) = (col(&head, "profession"), col(&head, "year"));
    let lic_cols = (col(&head, "status"), col(&head, "licences"));
    let issued = px_sums(
        "data/default/licences_issued.px",
        &["profession", "year", "education_country"],
        &[],
    );
    let mut profs: Vec<String> = rows.iter().map(|r| r[pc].clone()).collect();
    profs.dedup();
    let first = grids.len();
    for prof in &profs {
        let mine: Vec<Vec<String>> = rows.iter().filter(|r| r[pc] == *prof).cloned().collect();
        let mut years: Vec<String> = mine.iter().map(|r| r[yc].clone()).collect();
        years.dedup();
        let years = &years[..years.len() - 1]; // the last is the span's sum
        let inner: Vec<f64> = years
            .iter()
            .flat_map(|y| ["SE", "EU", "TC"].map(|o| get(&issued, [prof, y, o])))
            .collect();
        grids.push((
            format!("describe_licences {prof}"),
            CountTable::with_margins(years.len(), 3, &inner),
            mine,
        ));
    }
    for (i, (what, g, shown)) in grids.iter().enumerate() {
        let (sc, vc) = if i < first { ages_cols } else { lic_cols };
        assert_eq!(shown.len(), g.values.len(), "{what}");
        let s: Vec<bool> = shown.iter().map(|r| r[sc] == "suppressed").collect();
        for (r, &v) in shown.iter().zip(&g.values) {
            if r[sc] == "suppressed" {
                assert!(r[vc].is_empty(), "{what}: {r:?}");
            } else {
                let (lo, hi) = profile.published_range(r[vc].parse().unwrap());
                assert!(lo <= v && v <= hi, "{what}: {r:?} but true {v}");
                assert!(
                    !profile.primary(v),
                    "{what}: {r:?}: a small count published"
                );
            }
        }
        suppressed += s.iter().filter(|&&x| x).count();
        let (n, f) = attack_grid(g, &s, profile);
        tried += n;
        failures.extend(f.into_iter().map(|f| format!("{what}: {f}")));
    }
    (suppressed, tried, failures)
}

fn report(dir: &Path, profile: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("r{}", profile.replace(':', "_")));
    let mut args = vec![
        "report",
        "--quiet",
        "--disclosure",
        profile,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    hwf(&args);
    out
}

#[test]
fn the_attacker_finds_nothing_in_the_default_report_under_every_profile() {
    let dir = tempfile::tempdir().unwrap();
    for (name, profile) in [
        ("3", Profile::Threshold(3)),
        ("5", Profile::Threshold(5)),
        ("ons-10-5", Profile::Ons10And5),
    ] {
        let out = report(dir.path(), name, &[]);
        let (suppressed, tried, failures) = attack(&out, profile);
        eprintln!(
            "{name}: {suppressed} suppressed cells, {tried} attacks, {} failures",
            failures.len()
        );
        assert!(suppressed > 20, "{name}: only {suppressed} suppressed");
        assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
    }
}

#[test]
fn without_disclosure_control_every_file_says_not_for_publication() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path(), "none", &[]);
    fn walk(d: &Path, n: &mut usize) {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), n);
            } else {
                let name = e.file_name().to_string_lossy().into_owned();
                if name == hwf::publish::atomic::MARKER {
                    continue; // hwf's record of what it wrote (see publish::atomic), not an output
                }
                assert!(
                    name.starts_with("NOT_FOR_PUBLICATION_"),
                    "{}",
                    e.path().display()
                );
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(&out, &mut n);
    assert!(n > 100, "{n}");
    // The register's history is there, as observed.
    let (head, rows) = read_csv(&out.join("projection/NOT_FOR_PUBLICATION_results.csv"));
    let (ph, emp) = (
        head.iter().position(|h| h == "phase").unwrap(),
        head.iter().position(|h| h == "employed").unwrap(),
    );
    assert!(
        rows.iter()
            .any(|r| r[ph] == "observed" && !r[emp].is_empty())
    );
    let html = std::fs::read_to_string(out.join("NOT_FOR_PUBLICATION_report.html")).unwrap();
    assert!(html.contains("NOT FOR PUBLICATION") || html.contains("INTE FÖR PUBLICERING"));
}

#[test]
fn the_attacker_finds_nothing_in_a_report_with_backtest_and_draws() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(
        dir.path(),
        "3",
        &["--backtest", "2015,2018", "--draws", "40"],
    );
    assert!(out.join("tables/backtest.csv").exists());
    assert!(out.join("projection/bands.csv").exists());
    let (suppressed, tried, failures) = attack(&out, Profile::Threshold(3));
    eprintln!("backtest+draws: {suppressed} suppressed cells, {tried} attacks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Bounds of one cell of a plain grid with margins by integer programming, for the random tables.
fn grid_bounds(
    g: &CountTable,
    s: &[bool],
    profile: Profile,
    e: usize,
    own: Option<usize>,
) -> (f64, f64) {
    let w = g.cols + 1;
    let zeros_published = !g.values.iter().zip(s).any(|(&v, &h)| h && v == 0.0);
    let run = |max: bool| {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = (0..g.rows * g.cols)
            .map(|_| vars.add(variable().integer().min(0).max(UNBOUNDED)))
            .collect();
        let expr = |i: usize| -> Expression {
            let (r, c) = (i / w, i % w);
            let rs: Vec<usize> = if r == g.rows {
                (0..g.rows).collect()
            } else {
                vec![r]
            };
            let cs: Vec<usize> = if c == g.cols {
                (0..g.cols).collect()
            } else {
                vec![c]
            };
            let mut e = Expression::from(0.0);
            for &r in &rs {
                for &c in &cs {
                    e += x[r * g.cols + c];
                }
            }
            e
        };
        let obj = expr(e);
        let mut m = if max {
            vars.maximise(obj.clone()).using(microlp)
        } else {
            vars.minimise(obj.clone()).using(microlp)
        };
        for (i, (&v, &hidden)) in g.values.iter().zip(s).enumerate() {
            if Some(i) == own {
                m = m.with(constraint!(expr(i) == 1.0));
            } else if hidden {
                if zeros_published {
                    m = m.with(constraint!(expr(i) >= 1.0));
                }
            } else {
                let (lo, hi) = profile.published_range(profile.publish(v));
                m = m.with(constraint!(expr(i) >= lo));
                m = m.with(constraint!(expr(i) <= hi));
            }
        }
        match m.solve() {
            Ok(sol) => {
                let v = sol.eval(&obj).round();
                if max && v >= UNBOUNDED / 2.0 {
                    f64::INFINITY
                } else {
                    v
                }
            }
            Err(ResolutionError::Unbounded) if max => f64::INFINITY,
            Err(e) => panic!("{e:?}"),
        }
    };
    (run(false), run(true))
}

/// Attacks every suppressed cell of a plain grid with margins (`s`: the suppression pattern over
/// its extended cells) by integer programming, as an outsider and as each respondent alone in an
/// inner one-person cell, and checks the bounds against hwf's own maximum-flow bounds; returns the
/// attacks made and the cells whose interval fails the protection.
fn attack_grid(g: &CountTable, s: &[bool], profile: Profile) -> (usize, Vec<String>) {
    let (rows, cols) = (g.rows, g.cols);
    let w = cols + 1;
    let inner: Vec<f64> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| g.values[r * w + c])
        .collect();
    let max_n = profile.max_n() as f64;
    let (mut checked, mut failures) = (0, Vec::new());
    let hidden: Vec<usize> = (0..s.len()).filter(|&i| s[i]).collect();
    let singles: Vec<usize> = hidden
        .iter()
        .copied()
        .filter(|&i| g.values[i] == 1.0 && i / w < rows && i % w < cols)
        .collect();
    for who in std::iter::once(None).chain(singles.iter().copied().map(Some)) {
        for &e in &hidden {
            if Some(e) == who {
                continue;
            }
            let (low, high) = grid_bounds(g, s, profile, e, who);
            // The same bounds as hwf's maximum-flow computation.
            let flow = hwf::publish::disclosure::exposure_of(g, s, profile, e, who);
            let less = match who {
                Some(o) => {
                    let (r, c, or, oc) = (e / w, e % w, o / w, o % w);
                    let t = (c == cols && (r == or || r == rows))
                        || (r == rows && (c == oc || c == cols));
                    if t { 1.0 } else { 0.0 }
                }
                None => 0.0,
            };
            if let Some(fl) = flow
                && (fl.low, fl.high) != (low - less, high - less)
            {
                failures.push(format!(
                    "{profile:?} cell {e}: flow bounds {:?} against {:?}",
                    (fl.low, fl.high),
                    (low - less, high - less)
                ));
            }
            let t = g.values[e] - less;
            if t == 0.0 && less > 0.0 {
                continue;
            }
            let (rr, cc) = (e / w, e % w);
            let nonzero = (0..rows)
                .filter(|&r| rr == rows || r == rr)
                .flat_map(|r| {
                    (0..cols)
                        .filter(move |&c| cc == cols || c == cc)
                        .map(move |c| (r, c))
                })
                .filter(|&(r, c)| inner[r * cols + c] > 0.0)
                .count() as f64;
            let zeros_published = !(0..s.len()).any(|i| s[i] && g.values[i] == 0.0);
            let floor = if zeros_published { nonzero - less } else { 0.0 };
            let f = Found {
                value: t,
                low: low - less,
                high: high - less,
                floor,
            };
            if let Some(why) = fails(&f, max_n) {
                failures.push(format!("{profile:?} cell {e} by {who:?}: {why} {f:?}"));
            }
            checked += 1;
        }
    }
    (checked, failures)
}

#[test]
fn the_attacker_finds_nothing_in_random_tables_and_agrees_with_the_flow_bounds() {
    // The random tables of the disclosure unit tests' kind (a seeded xorshift, mostly small
    // counts), under all three profiles.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let mut checked = 0;
    for case in 0..60 {
        let rows = 2 + next(6) as usize;
        let cols = 2 + next(3) as usize;
        let inner: Vec<f64> = (0..rows * cols)
            .map(|_| match next(4) {
                0 => 0.0,
                1 => 1.0 + next(9) as f64,
                _ => next(60) as f64,
            })
            .collect();
        let g = CountTable::with_margins(rows, cols, &inner);
        for profile in [
            Profile::Threshold(3),
            Profile::Threshold(5),
            Profile::Ons10And5,
        ] {
            let s = suppress(&g, profile);
            let (n, failures) = attack_grid(&g, &s, profile);
            assert!(
                failures.is_empty(),
                "case {case}: {}\n{inner:?}",
                failures.join("\n")
            );
            checked += n;
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn the_age_pyramids_small_bars_are_not_drawn() {
    // Men and women per 5-year band; the 2 men aged 70–74 are a primary cell, and a second men's
    // bar must go with them (the men's total is the sum of the bars). The bars that stay are the
    // counts as they are, under ONS 10-5 rounded to 5.
    let base = [(30.0, 50.0), (40.0, 60.0), (25.0, 45.0), (2.0, 12.0)];
    let shown = hwf::publish::report::pyramid_base(&base, Profile::Threshold(3));
    assert!(shown[3].0.is_nan());
    let hidden = shown
        .iter()
        .flat_map(|b| [b.0, b.1])
        .filter(|x| x.is_nan())
        .count();
    assert!(hidden >= 2, "{shown:?}");
    for (b, s) in base.iter().zip(&shown) {
        for (v, x) in [(b.0, s.0), (b.1, s.1)] {
            assert!(x.is_nan() || x == v, "{v} shown as {x}");
        }
    }
    let ons = hwf::publish::report::pyramid_base(&base, Profile::Ons10And5);
    assert_eq!(ons[0], (30.0, 50.0));
    assert!(ons[3].0.is_nan());
    assert!(ons.iter().all(|b| b.0.is_nan() || b.0 % 5.0 == 0.0));
}
