//! Municipal health care per municipality (`[municipal]`, `data/scenarios/municipal.toml`): a
//! county of one municipality is its county; the municipalities' supply adds up to their county's
//! municipal sector; one municipality's supply and demand worked out by hand from the two tables;
//! a file of one municipality gives the same figures for it; the published table's disclosure
//! control; and tables that must be refused.

use hwf::model::inputs::{AGE_MIN, NA};
use hwf::model::scenario::{self, Scenario};
use hwf::model::{Projection, run};
use hwf::table::Table;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn municipal_scenario() -> Scenario {
    scenario::load(Some(&root().join("data/scenarios/municipal.toml")))
        .unwrap()
        .0
}

fn municipal_run() -> &'static Projection {
    static P: OnceLock<Projection> = OnceLock::new();
    P.get_or_init(|| run(&municipal_scenario()).unwrap())
}

/// The county-level figures of profession `p`, county `c`, the municipal sector, in year `y`:
/// (supply, demand).
fn county_k(pr: &Projection, p: usize, c: usize, y: i32) -> (f64, f64) {
    let g = &pr.inputs.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let k = g.sectors.iter().position(|s| s == "K").unwrap();
    let per = g.np() * nc * nk;
    let i = (p * nc + c) * nk + k;
    let ti = pr.years.iter().position(|&x| x == y).unwrap();
    let di = (y - pr.scenario.base_year) as usize;
    (pr.supply[ti * per + i], pr.demand.fte[di * per + i])
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_county_of_one_municipality_is_its_county() {
    // Gotland (09) is one municipality (0980): its staff are all of the county's municipal staff
    // and its population all of the county's, so its figures are the county's in every year.
    let pr = municipal_run();
    let mu = pr.municipal.as_ref().expect("municipal figures");
    let m = mu.municipalities.iter().position(|x| x == "0980").unwrap();
    let c = pr
        .inputs
        .grid
        .counties
        .iter()
        .position(|x| x == "09")
        .unwrap();
    assert_eq!(mu.county[m], c);
    for (pl, &p) in mu.professions.iter().enumerate() {
        for (ti, &y) in mu.years.iter().enumerate() {
            let (s, d) = county_k(pr, p, c, y);
            let at = mu.at(m, pl, ti);
            assert!(
                close(mu.supply[at], s, 1e-9),
                "{p} {y}: supply {} vs county {s}",
                mu.supply[at]
            );
            assert!(
                close(mu.demand[at], d, 1e-9),
                "{p} {y}: demand {} vs county {d}",
                mu.demand[at]
            );
        }
    }
}

#[test]
fn the_municipalities_supply_adds_up_to_their_county() {
    // The default's municipal table covers every municipality and adds up to the employed
    // table's municipal sector, so the shares of each county's municipalities add up to one.
    let pr = municipal_run();
    let mu = pr.municipal.as_ref().unwrap();
    assert_eq!(mu.municipalities.len(), 290);
    assert_eq!(
        mu.year, 2021,
        "the last employment year up to the base year"
    );
    let npl = mu.professions.len();
    for c in 0..pr.inputs.grid.nc() {
        for (pl, &p) in mu.professions.iter().enumerate() {
            for (ti, &y) in mu.years.iter().enumerate() {
                let sum: f64 = (0..mu.municipalities.len())
                    .filter(|&m| mu.county[m] == c)
                    .map(|m| mu.supply[mu.at(m, pl, ti)])
                    .sum();
                let (s, _) = county_k(pr, p, c, y);
                assert!(close(sum, s, 1e-9), "county {c} {p} {y}: {sum} vs {s}");
            }
        }
        assert!(npl >= 5);
    }
}

/// The rows of the municipal employed CSV, read as text: (municipality, profession, sex 0/1,
/// first age, last age) → persons.
fn employed_text(path: &Path) -> BTreeMap<(String, String, usize, usize, usize), f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().skip(2) {
        let f: Vec<&str> = line.trim().split(';').collect();
        let (lo, hi) = f[3].split_once('-').unwrap();
        out.insert(
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].parse::<usize>().unwrap() - 1,
                lo.parse().unwrap(),
                hi.parse().unwrap(),
            ),
            f[5].parse().unwrap(),
        );
    }
    out
}

#[test]
fn supply_and_demand_of_one_municipality_by_hand() {
    // Kiruna (2584), nurses: each age in year t carries the share its cohort's band held of the
    // county's municipal nurses in 2021 (worked out here from the CSV's text and the employed
    // input), times the county's municipal nurses' FTE at that age in t.
    let pr = municipal_run();
    let mu = pr.municipal.as_ref().unwrap();
    let g = &pr.inputs.grid;
    let (m_code, p_code) = ("2584", "SSK");
    let m = mu.municipalities.iter().position(|x| x == m_code).unwrap();
    let p = g.prof(p_code).unwrap();
    let pl = mu.professions.iter().position(|&x| x == p).unwrap();
    let c = g.counties.iter().position(|x| x == "25").unwrap();
    let k = g.sectors.iter().position(|s| s == "K").unwrap();
    let rows = employed_text(&root().join("data/default/municipal_employed.csv"));
    let e_i = pr
        .inputs
        .employment_years
        .iter()
        .position(|&y| y == 2021)
        .unwrap();
    let county_emp = |x: usize, a: usize| {
        pr.inputs.employed[(e_i * g.nk() + k) * g.cells() + g.idx(p, c, x, a - AGE_MIN as usize)]
    };
    let mut share: BTreeMap<(usize, usize), f64> = BTreeMap::new(); // (sex, age) → share
    let (mut own_all, mut county_all) = (0.0, 0.0);
    for ((mm, pp, x, lo, hi), v) in &rows {
        if mm != m_code || pp != p_code {
            continue;
        }
        let county: f64 = (*lo..=*hi).map(|a| county_emp(*x, a)).sum();
        own_all += v;
        county_all += county;
        for a in *lo..=*hi {
            share.insert((*x, a), if county > 0.0 { v / county } else { f64::NAN });
        }
    }
    let sigma = own_all / county_all;
    for y in [2023, 2030, 2040] {
        let f = pr.fte_by_age(p, c, k, y);
        let mut s = 0.0;
        for x in 0..2 {
            for i in 0..NA {
                let a0 = (AGE_MIN as i32 + i as i32) - (y - 2021);
                let sh = match share.get(&(x, a0.max(0) as usize)) {
                    Some(v) if a0 >= AGE_MIN as i32 && v.is_finite() => *v,
                    _ => sigma,
                };
                s += sh * f[x * NA + i];
            }
        }
        let ti = (y - 2023) as usize;
        let got = mu.supply[mu.at(m, pl, ti)];
        assert!(close(got, s, 1e-12), "{y}: {got} vs by hand {s}");
    }
    // Demand: base-year supply at the county's ratio (1: no base-year imbalance), grown by Kiruna's
    // own population weighted by nurses' mix of service areas in the county's municipal sector,
    // times the county's other factors (none in the default scenario, so D_c(t) / D_c(b) equals
    // the county's index).
    let pop =
        hwf::ingest::read_table(&root().join("data/default/municipal_population.px")).unwrap();
    let sv = pr.inputs.services.as_ref().unwrap();
    let mix = sv.mix(p, c, k, g.nc(), g.nk()).unwrap();
    let weighted = |t: i32, v: usize| {
        weighted_by_hand(&pop, pr, m_code, c, t, &sv.profile[v * 202..(v + 1) * 202])
    };
    let base = mu.supply[mu.at(m, pl, 0)];
    for y in [2030, 2040] {
        let index: f64 = mix
            .iter()
            .enumerate()
            .map(|(v, w)| {
                if *w > 0.0 {
                    w * weighted(y, v) / weighted(2023, v)
                } else {
                    0.0
                }
            })
            .sum();
        let (_, d_b) = county_k(pr, p, c, 2023);
        let (_, d_t) = county_k(pr, p, c, y);
        let per = g.np() * g.nc() * g.nk();
        let i_t = pr.demand.index[(y - 2023) as usize * per + (p * g.nc() + c) * g.nk() + k];
        let want = base * index * (d_t / d_b / i_t);
        let got = mu.demand[mu.at(m, pl, (y - 2023) as usize)];
        assert!(
            close(got, want, 1e-9),
            "{y}: demand {got} vs by hand {want}"
        );
        assert!(
            (d_t / d_b / i_t - 1.0).abs() < 1e-12,
            "no other factor in the default"
        );
    }
}

/// Municipality `code`'s population in `t` weighted by `w` (`[sex][age 0..=100]`), each band's
/// persons spread over its ages as county `c`'s population of the year is.
fn weighted_by_hand(pop: &Table, pr: &Projection, code: &str, c: usize, t: i32, w: &[f64]) -> f64 {
    use hwf::validate::Concept;
    let d = |c: Concept| {
        pop.dims
            .iter()
            .position(|x| Concept::of(x) == Some(c))
            .unwrap()
    };
    let (dm, ds, da, dy) = (
        d(Concept::Municipality),
        d(Concept::Sex),
        d(Concept::Age),
        d(Concept::Year),
    );
    let nc = pr.inputs.grid.nc();
    let yc = pr
        .inputs
        .population_years
        .iter()
        .position(|&y| y == t)
        .unwrap();
    let mut sum = 0.0;
    for r in 0..pop.len() {
        if pop.code(dm, r) != code || pop.code(dy, r) != t.to_string() {
            continue;
        }
        let x: usize = pop.code(ds, r).parse::<usize>().unwrap() - 1;
        let band = pop.code(da, r);
        let (lo, hi): (usize, usize) = match band.strip_suffix('+') {
            Some(lo) => (lo.parse().unwrap(), 100),
            None => {
                let (a, b) = band.split_once('-').unwrap();
                (a.parse().unwrap(), b.parse().unwrap())
            }
        };
        let county = &pr.inputs.population[((yc * nc + c) * 2 + x) * 101..][..101];
        let persons: f64 = (lo..=hi).map(|a| county[a]).sum();
        let use_: f64 = (lo..=hi).map(|a| county[a] * w[x * 101 + a]).sum();
        sum += pop.value(r).unwrap() * use_ / persons;
    }
    sum
}

/// Writes `files` into a new folder and a scenario there inheriting the municipal one with
/// `[municipal]` lines `section`; returns the scenario's path (the folder is kept for the run).
fn variant(name: &str, section: &str, files: &[(&str, Vec<u8>)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hwf-municipal-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (f, bytes) in files {
        std::fs::write(dir.join(f), bytes).unwrap();
    }
    let sc = dir.join("scenario.toml");
    std::fs::write(
        &sc,
        format!(
            "inherits = {:?}\nname = \"{name}\"\n\n[municipal]\n{section}\n",
            root()
                .join("data/scenarios/municipal.toml")
                .display()
                .to_string()
        ),
    )
    .unwrap();
    sc
}

fn employed_lines(keep: impl Fn(&str) -> bool) -> Vec<u8> {
    let text = std::fs::read_to_string(root().join("data/default/municipal_employed.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i < 2 || keep(line) {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

/// The municipal employed CSV with the value of the row starting `prefix` replaced by `value`.
fn with_value(prefix: &str, value: &str) -> Vec<u8> {
    let t = String::from_utf8(employed_lines(|_| true)).unwrap();
    let at = t.find(prefix).unwrap() + prefix.len();
    let end = at + t[at..].find('\r').unwrap();
    format!("{}{value}{}", &t[..at], &t[end..]).into_bytes()
}

fn run_file(sc: &Path) -> Result<Projection, String> {
    let s = scenario::load(Some(sc)).map_err(|e| e.to_string())?.0;
    run(&s).map_err(|e| e.to_string())
}

#[test]
fn a_file_of_one_municipality_gives_its_figures_alone() {
    // A planner with only their own municipality's table gets the same figures for it: shares
    // are taken of the county's employed input, and demand of the municipality's own population.
    let sc = variant(
        "one",
        "employed = { file = \"one.csv\" }",
        &[("one.csv", employed_lines(|l| l.starts_with("1280;")))],
    );
    let one = run_file(&sc).unwrap();
    std::fs::remove_dir_all(sc.parent().unwrap()).unwrap();
    let mu1 = one.municipal.as_ref().unwrap();
    assert_eq!(mu1.municipalities, ["1280"]);
    let mu = municipal_run().municipal.as_ref().unwrap();
    let m = mu.municipalities.iter().position(|x| x == "1280").unwrap();
    for pl in 0..mu.professions.len() {
        for ti in 0..mu.years.len() {
            assert_eq!(mu1.supply[mu1.at(0, pl, ti)], mu.supply[mu.at(m, pl, ti)]);
            assert_eq!(mu1.demand[mu1.at(0, pl, ti)], mu.demand[mu.at(m, pl, ti)]);
        }
    }
}

#[test]
fn a_table_shaped_as_scb_publishes_reads_the_same() {
    // SCB's shape: a `region` dimension holding the nation and the county beside the
    // municipalities (as `2584 Kiruna`), ages as `20-24 år`, a sector dimension with every
    // provider form, and totals over the sexes; tab-separated, decimal point.
    let text = std::fs::read_to_string(root().join("data/default/municipal_employed.csv")).unwrap();
    let mut out = String::from("region\tyrke\tregi\tkön\tålder\tår\tanställda\n");
    // (region, profession, sex or "totalt", age) → persons.
    let mut totals: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for line in text.lines().skip(2) {
        let f: Vec<&str> = line.trim().split(';').collect();
        if !f[0].starts_with("25") {
            continue;
        }
        let name = hwf::codes::CodeLists::get()
            .municipality(f[0])
            .unwrap()
            .name_sv
            .clone();
        let v: f64 = f[5].parse().unwrap();
        for (sector, x) in [("K", v), ("R", 7.0)] {
            out.push_str(&format!(
                "{} {name}\t{}\t{sector}\t{}\t{} år\t{}\t{x}\n",
                f[0], f[1], f[2], f[3], f[4]
            ));
        }
        for (region, sex) in [
            ("25 Norrbottens län".to_string(), f[2]),
            ("00 Riket".to_string(), f[2]),
            (format!("{} {name}", f[0]), "totalt"),
        ] {
            let key = (region, f[1].to_string(), sex.to_string(), f[3].to_string());
            *totals.entry(key).or_default() += v;
        }
    }
    for ((region, prof, sex, age), v) in &totals {
        out.push_str(&format!(
            "{region}\t{prof}\tK\t{sex}\t{age} år\t2021\t{v}\n"
        ));
    }
    let sc = variant(
        "scb",
        "employed = { file = \"scb.tsv\" }",
        &[("scb.tsv", out.into_bytes())],
    );
    let pr = run_file(&sc).unwrap();
    let used = pr
        .used
        .iter()
        .find(|u| u.key == "municipal.employed")
        .unwrap();
    let notes: Vec<&str> = used.notes.iter().map(|n| n.en.as_str()).collect();
    std::fs::remove_dir_all(sc.parent().unwrap()).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n
                .contains("2 categories of \"region\" that are the nation, a county or a total")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("rows of totals over sex or age left out")),
        "{notes:?}"
    );
    let mu1 = pr.municipal.as_ref().unwrap();
    assert_eq!(mu1.municipalities.len(), 14, "Norrbotten's municipalities");
    let mu = municipal_run().municipal.as_ref().unwrap();
    for (m1, code) in mu1.municipalities.iter().enumerate() {
        let m = mu.municipalities.iter().position(|x| x == code).unwrap();
        for pl in 0..mu.professions.len() {
            for ti in 0..mu.years.len() {
                assert_eq!(mu1.supply[mu1.at(m1, pl, ti)], mu.supply[mu.at(m, pl, ti)]);
                assert_eq!(mu1.demand[mu1.at(m1, pl, ti)], mu.demand[mu.at(m, pl, ti)]);
            }
        }
    }
}

#[test]
fn tables_that_must_be_refused() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "gap",
            employed_lines(|l| !l.starts_with("0114;SSK;2;45-49")),
            "no row for municipality 0114, profession SSK, sex 2, ages 45–49",
        ),
        (
            "dots",
            with_value("0114;SSK;2;45-49;2021;", ".."),
            "line 118: no number (..)",
        ),
        (
            "unknown",
            {
                let t = String::from_utf8(employed_lines(|_| true)).unwrap();
                t.replacen("\r\n0114;", "\r\n0199;", 1).into_bytes()
            },
            "0199",
        ),
        (
            "too_many",
            with_value("0180;SSK;2;45-49;2021;", "100000"),
            "more than the",
        ),
        (
            "overlap",
            {
                let t = String::from_utf8(employed_lines(|_| true)).unwrap();
                t.replace(";65-74;", ";60-74;").into_bytes()
            },
            "overlap",
        ),
    ];
    for (name, bytes, want) in cases {
        let sc = variant(name, "employed = { file = \"e.csv\" }", &[("e.csv", bytes)]);
        let e = run_file(&sc)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(
            e.contains("e.csv"),
            "{name}: the message names the file: {e}"
        );
        assert!(e.contains(want), "{name}: expected {want:?} in {e}");
        std::fs::remove_dir_all(sc.parent().unwrap()).unwrap();
    }
    // One table without the other is a scenario error naming the missing key.
    let dir = std::env::temp_dir().join(format!("hwf-municipal-half-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sc = dir.join("s.toml");
    std::fs::write(
        &sc,
        format!(
            "name = \"half\"\n[municipal]\nemployed = {{ file = {:?} }}\n",
            root()
                .join("data/default/municipal_employed.csv")
                .display()
                .to_string()
        ),
    )
    .unwrap();
    let e = scenario::load(Some(&sc)).err().unwrap().to_string();
    assert!(e.contains("municipal.population"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_published_table_hides_small_counts_and_what_would_give_them_away() {
    let pr = municipal_run();
    let mu = pr.municipal.as_ref().unwrap();
    let npl = mu.professions.len();
    for (profile, n) in [("3", 3.0), ("5", 5.0)] {
        let profile = hwf::publish::disclosure::Profile::try_from(profile).unwrap();
        let t = hwf::publish::results::municipal_table(pr, profile).unwrap();
        let csv = String::from_utf8(t.csv()).unwrap();
        let mut hidden: BTreeMap<(String, String), bool> = BTreeMap::new();
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let h = f[5] == "suppressed";
            assert_eq!(
                h,
                f[6].is_empty() && f[7].is_empty() && f[8].is_empty(),
                "{line}"
            );
            hidden.insert((f[0].to_string(), f[3].to_string()), h);
        }
        let mut per_county: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (m, code) in mu.municipalities.iter().enumerate() {
            for (pl, &p) in mu.professions.iter().enumerate() {
                let e = mu.employed[m * npl + pl];
                let h = hidden[&(code.clone(), pr.inputs.grid.professions[p].clone())];
                if e > 0.0 && e <= n {
                    assert!(h, "{code}: {e} persons published under threshold {n}");
                }
                if h {
                    *per_county.entry((mu.county[m], pl)).or_default() += 1;
                }
            }
        }
        // A lone hidden municipality would be its county's sum less the others.
        for ((c, pl), k) in per_county {
            let others = (0..mu.municipalities.len())
                .filter(|&m| mu.county[m] == c)
                .count();
            assert!(
                k != 1 || others == 1,
                "county {c}, profession {pl}: one municipality hidden alone"
            );
        }
    }
}

#[test]
fn a_backtest_of_the_municipal_scenario_scores_the_counties() {
    // The reruns from earlier base years leave the municipal tables out (they describe the base
    // year's municipalities), so the backtest runs as the default's does.
    let out = std::env::temp_dir().join(format!("hwf-municipal-backtest-{}", std::process::id()));
    let sc = root().join("data/scenarios/municipal.toml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_hwf"))
        .args([
            "backtest",
            "--from",
            "2018",
            "--horizons",
            "1,3",
            "--scenario",
        ])
        .arg(&sc)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(out.join("backtest.csv").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}
