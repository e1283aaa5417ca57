//! Specialists by specialty group and specialist training (ST): the groups within their layer in
//! every cell and year, the base year's composition against the published table read by hand,
//! the required ST starts' regions adding up to the nation, one county, and inputs that must be
//! refused.

use hwf::model::inputs::NA;
use hwf::model::scenario::{self, Scenario};
use hwf::model::{Projection, run};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn default_scenario() -> Scenario {
    scenario::load(None).unwrap().0
}

fn default_run() -> &'static Projection {
    static P: OnceLock<Projection> = OnceLock::new();
    P.get_or_init(|| run(&default_scenario()).unwrap())
}

/// In every county, sex, age and year each layer's groups add up to the layer (SPL, SSSK), and the
/// layer is within its parent (LAK, SSK); no group is negative anywhere.
fn assert_within_layer_and_parent(pr: &Projection) {
    let layers: Vec<&str> = pr
        .specialties
        .iter()
        .map(|sp| pr.inputs.grid.professions[sp.layer].as_str())
        .collect();
    assert_eq!(
        layers,
        ["SPL", "SSSK"],
        "the default specialists divide both layers"
    );
    for sp in &pr.specialties {
        let g = &pr.inputs.grid;
        let per = g.nc() * 2 * NA;
        let ng = sp.ng();
        let layer = &pr.paths[sp.layer];
        let parent = &pr.paths[pr.params[sp.layer].parent.expect("a layer")];
        assert_eq!(sp.years, layer.years);
        for ti in 0..sp.years.len() {
            for j in 0..per {
                let l = layer.licensed[ti * per + j];
                let mut sum = 0.0;
                for gi in 0..ng {
                    let v = sp.cells[(ti * ng + gi) * per + j];
                    assert!(
                        v >= -1e-9,
                        "group {gi} negative in year {ti}, cell {j}: {v}"
                    );
                    sum += v;
                }
                assert!(
                    (sum - l).abs() <= 1e-9 * l.max(1.0),
                    "year {}, cell {j}: groups {sum}, layer {l}",
                    sp.years[ti]
                );
                assert!(sum <= parent.licensed[ti * per + j] + 1e-9);
            }
        }
    }
}

/// The default run's entry for layer `code`.
fn layer<'a>(pr: &'a Projection, code: &str) -> &'a hwf::model::specialties::Specialties {
    let p = pr.inputs.grid.prof(code).unwrap();
    pr.specialties.iter().find(|s| s.layer == p).unwrap()
}

#[test]
fn the_groups_add_up_to_their_layer_and_stay_within_its_parent_in_every_cell_and_year() {
    assert_within_layer_and_parent(default_run());
}

/// `data/default/specialists.csv` read by hand: specialists by group in `year`, all counties.
fn table_by_group(year: &str) -> BTreeMap<String, f64> {
    let text = std::fs::read_to_string("data/default/specialists.csv").unwrap();
    let mut out = BTreeMap::new();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f[4] == year {
            *out.entry(f[0].to_string()).or_insert(0.0) += f[5].trim().parse::<f64>().unwrap();
        }
    }
    out
}

#[test]
fn the_base_year_composition_is_the_tables() {
    // The base year's layer is the register's SPL; each group's share of a cell is the table's
    // (its bands ungrouped to single ages). Summed over the nation each group must come back to
    // the table's count within the ungrouping's smoothing: the single ages of one group and of
    // the layer are shaped separately.
    let pr = default_run();
    let nc = pr.inputs.grid.nc();
    let by_hand = table_by_group("2023");
    let mut seen = 0;
    for sp in &pr.specialties {
        assert_eq!(sp.table_year, 2023);
        for (gi, grp) in sp.groups.iter().enumerate() {
            let model: f64 = (0..nc).map(|c| sp.county(0, gi, c, nc)).sum();
            let table = by_hand[&grp.code];
            assert!(
                (model / table - 1.0).abs() < 0.01,
                "{}: model {model}, table {table}",
                grp.code
            );
            seen += 1;
        }
    }
    // Six groups of specialist physicians, eight specialisations of specialist nurses.
    assert_eq!((seen, by_hand.len()), (14, 14));
}

#[test]
fn the_required_st_starts_of_the_regions_add_up_to_the_nation_and_none_is_negative() {
    let pr = default_run();
    let nr = pr.inputs.hc_regions.len();
    for sp in &pr.specialties {
        assert_eq!(sp.required.len(), sp.ng() * (nr + 1));
        let (q, years) = sp.completion.clone().expect("completion from the starts");
        // The generator's completion is 0.92 of the ST starts six years before, and 0.80 of the
        // specialist-nurse programme's beginners a year before (with their noise).
        assert!((0.7..0.98).contains(&q), "completion {q}");
        assert_eq!(years, vec![2019, 2020, 2021, 2022, 2023]);
        for gi in 0..sp.ng() {
            let regions: Vec<_> = sp
                .required
                .iter()
                .filter(|r| r.group == gi && r.region.is_some())
                .collect();
            let nation = sp
                .required
                .iter()
                .find(|r| r.group == gi && r.region.is_none())
                .unwrap();
            assert_eq!(regions.len(), nr);
            let sum = |f: &dyn Fn(&hwf::model::specialties::RequiredSt) -> f64| -> f64 {
                regions.iter().map(|r| f(r)).sum()
            };
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            assert!(close(
                nation.required.unwrap(),
                sum(&|r| r.required.unwrap())
            ));
            assert!(close(nation.today, sum(&|r| r.today)));
            assert!(close(nation.demand, sum(&|r| r.demand)));
            for r in &regions {
                let p = r.parts.unwrap();
                assert!(r.required.unwrap() >= 0.0);
                assert!(close(
                    r.unfloored.unwrap(),
                    p.replacement + p.expansion + p.gap
                ));
                // Base-year balance: no gap to close.
                assert_eq!(p.gap, 0.0);
            }
        }
    }
}

#[test]
fn today_s_st_starts_are_the_mean_of_the_tables_last_three_years() {
    // By hand from data/default/st_starts.csv: general practice in Stockholm–Gotland (SG).
    let text = std::fs::read_to_string("data/default/st_starts.csv").unwrap();
    let mut v = Vec::new();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f[0] == "ALM" && f[1] == "SG" && ["2021", "2022", "2023"].contains(&f[2]) {
            v.push(f[3].trim().parse::<f64>().unwrap());
        }
    }
    assert_eq!(v.len(), 3);
    let pr = default_run();
    let sp = pr.specialties.first().unwrap();
    let sg = pr.inputs.hc_regions.iter().position(|r| r == "SG").unwrap();
    let alm = sp.groups.iter().position(|g| g.code == "ALM").unwrap();
    let row = sp
        .required
        .iter()
        .find(|r| r.group == alm && r.region == Some(sg))
        .unwrap();
    assert!((row.today - v.iter().sum::<f64>() / 3.0).abs() < 1e-9);
}

#[test]
fn more_st_starts_in_a_group_give_it_a_larger_share_of_the_same_layer() {
    let base = default_run();
    let mut sc = default_scenario();
    sc.supply.st_starts_change = BTreeMap::from([("PSYK".to_string(), 2.0)]);
    let pr = run(&sc).unwrap();
    let (a, b) = (
        base.specialties.first().unwrap(),
        pr.specialties.first().unwrap(),
    );
    let nc = pr.inputs.grid.nc();
    let psyk = a.groups.iter().position(|g| g.code == "PSYK").unwrap();
    let last = a.years.len() - 1;
    let total = |s: &hwf::model::specialties::Specialties, gi: usize| -> f64 {
        (0..nc).map(|c| s.county(last, gi, c, nc)).sum()
    };
    // Psychiatry's starts from 2024 certify from 2030 (six years of training): it gains, the
    // others lose, and the layer is the same.
    assert!(total(b, psyk) > total(a, psyk) * 1.1);
    let layer = |s: &hwf::model::specialties::Specialties| -> f64 {
        (0..s.ng()).map(|gi| total(s, gi)).sum()
    };
    assert!((layer(a) - layer(b)).abs() < 1e-6 * layer(a));
    // Before the first doubled starts can certify nothing changes.
    let y2029 = a.years.iter().position(|&y| y == 2029).unwrap();
    for c in 0..nc {
        assert_eq!(a.county(y2029, psyk, c, nc), b.county(y2029, psyk, c, nc));
    }
    assert_within_layer_and_parent(&pr);
}

#[test]
fn one_county_has_its_groups_without_a_national_st_solve() {
    let mut sc = default_scenario();
    sc.scope = Some(hwf::model::scope::Scope {
        counties: vec!["23".into()],
    });
    let pr = run(&sc).unwrap();
    assert_within_layer_and_parent(&pr);
    let sp = pr.specialties.first().unwrap();
    assert_eq!(pr.inputs.grid.counties, vec!["23".to_string()]);
    assert!(sp.required.is_empty());
    assert!(sp.demand.iter().all(|d| d.is_finite() && *d >= 0.0));
}

/// The default scenario with `supply.specialists` from `text` written to `name`: the error.
fn specialists_error(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let mut sc = default_scenario();
    sc.supply.specialists = Some(scenario::SupplementFile {
        file: file.to_string_lossy().into_owned(),
        ..Default::default()
    });
    sc.supply.st_starts = None;
    run(&sc).unwrap_err().to_string()
}

#[test]
fn an_unknown_specialty_names_the_file_the_line_and_what_was_expected() {
    let e = specialists_error(
        "spec.csv",
        "specialitet;län;kön;ålder;år;specialistläkare\nKIR;01;1;45-54;2023;10\nÖGON;01;1;45-54;2023;3\n",
    );
    assert!(
        e.contains("spec.csv") && e.contains("ÖGON") && e.contains("specialty group"),
        "{e}"
    );
}

#[test]
fn a_specialists_table_without_a_county_of_the_run_is_refused() {
    let mut text = String::from("specialitet;län;kön;ålder;år;specialistläkare\n");
    for c in ["01", "03"] {
        for s in ["1", "2"] {
            text.push_str(&format!("KIR;{c};{s};45-54;2023;10\n"));
        }
    }
    let e = specialists_error("two_counties.csv", &text);
    assert!(e.contains("two_counties.csv") && e.contains("04"), "{e}");
}

#[test]
fn st_starts_without_the_specialists_name_the_key() {
    let mut sc = default_scenario();
    sc.supply.specialists = None;
    let e = sc.check("scenario.toml").unwrap_err().to_string();
    assert!(
        e.contains("supply.st_starts") && e.contains("supply.specialists"),
        "{e}"
    );
}

#[test]
fn an_unknown_group_in_st_starts_change_names_the_key() {
    let mut sc = default_scenario();
    sc.supply.st_starts_change = BTreeMap::from([("EYE".to_string(), 1.5)]);
    let e = sc.check("scenario.toml").unwrap_err().to_string();
    assert!(
        e.contains("supply.st_starts_change.EYE") && e.contains("ALM"),
        "{e}"
    );
}

#[test]
fn persons_in_st_are_the_starts_of_the_last_six_years_and_the_stages_add_up() {
    // By hand from data/default/st_starts.csv: Stockholm–Gotland in 2025 has in ST the starts of
    // 2020–2025, all physicians' groups: 2020–2023 observed, 2024 and 2025 the mean of 2021–2023;
    // in the specialist-nurse programme (one year) the beginners of 2025, the mean of 2021–2023.
    let text = std::fs::read_to_string("data/default/st_starts.csv").unwrap();
    let (mut physicians, mut nurses): (BTreeMap<i32, f64>, BTreeMap<i32, f64>) = Default::default();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f[1] == "SG" {
            let to = if PHYSICIANS.contains(&f[0]) {
                &mut physicians
            } else {
                &mut nurses
            };
            *to.entry(f[2].parse().unwrap()).or_insert(0.0) += f[3].trim().parse::<f64>().unwrap();
        }
    }
    let mean = |m: &BTreeMap<i32, f64>| (m[&2021] + m[&2022] + m[&2023]) / 3.0;
    let want_st: f64 = (2020..=2023).map(|y| physicians[&y]).sum::<f64>() + 2.0 * mean(&physicians);
    let want_programme = mean(&nurses);
    let pr = default_run();
    let csv = String::from_utf8(hwf::publish::results::training_stages_table(pr).csv()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "profession,layer,healthcare_region,year,licensed,specialists,other_layers,in_training,neither"
        )
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let num = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
    let row = |layer: &str, region: &str, year: &str| {
        rows.iter()
            .find(|r| r[1] == layer && r[2] == region && r[3] == year)
            .unwrap_or_else(|| panic!("{layer} {region} {year}"))
    };
    let sg = row("SPL", "SG", "2025");
    assert!(
        (num(sg, 7) - want_st).abs() < 1e-3,
        "{} vs {want_st}",
        num(sg, 7)
    );
    let sg = row("SSSK", "SG", "2025");
    assert!(
        (num(sg, 7) - want_programme).abs() < 1e-3,
        "{} vs {want_programme}",
        num(sg, 7)
    );
    // The nurses' other layer is the midwives (BMO), from their own path; the physicians have
    // none.
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    let bmo = &pr.paths[g.prof("BMO").unwrap()];
    let ti = bmo.years.iter().position(|&y| y == 2040).unwrap();
    let midwives: f64 = bmo.licensed[ti * per..(ti + 1) * per].iter().sum();
    assert!((num(row("SSSK", "00", "2040"), 6) - midwives).abs() < 1e-3 * midwives);
    assert_eq!(num(row("SPL", "00", "2040"), 6), 0.0);
    // Every row: the parent = specialists + other layers + in training + neither; the nation the
    // sum of its regions.
    for r in &rows {
        // (each figure written to six decimals)
        let rest = num(r, 4) - num(r, 5) - num(r, 6) - num(r, 7) - num(r, 8);
        assert!(rest.abs() < 1e-5, "{r:?}");
        assert!(num(r, 8) > 0.0, "{r:?}");
    }
    for layer in ["SPL", "SSSK"] {
        for y in ["2025", "2040"] {
            let nation = row(layer, "00", y);
            for i in 4..9 {
                let sum: f64 = rows
                    .iter()
                    .filter(|r| r[1] == layer && r[2] != "00" && r[3] == y)
                    .map(|r| num(r, i))
                    .sum();
                assert!((num(nation, i) - sum).abs() < 1e-3 * sum.abs().max(1.0));
            }
        }
    }
}

/// Profession `code`'s licences (certificates, degrees) on Swedish education in the register's
/// `years`, all counties, sexes and ages.
fn swedish_issued(pr: &Projection, code: &str, years: std::ops::RangeInclusive<i32>) -> f64 {
    let g = &pr.inputs.grid;
    let per = g.nc() * 2 * NA;
    years
        .map(|y| {
            let yi = pr
                .inputs
                .licence_years
                .iter()
                .position(|&v| v == y)
                .unwrap();
            // `issued` is [year][origin][p][c][s][a]; origin 0 is Swedish education.
            let at = yi * 3 * g.cells() + g.idx(g.prof(code).unwrap(), 0, 0, 0);
            pr.inputs.issued[at..at + per].iter().sum::<f64>()
        })
        .sum()
}

/// The specialist nurses' completion share by hand: SSSK's Swedish degrees 2019–2023 in the
/// register over the programme's beginners a year before, all specialisations and regions.
#[test]
fn the_nurses_completion_is_their_degrees_over_the_beginners_a_year_before() {
    let pr = default_run();
    let degrees = swedish_issued(pr, "SSSK", 2019..=2023);
    let began: f64 = st_table()
        .iter()
        .filter(|((grp, _, y), _)| !PHYSICIANS.contains(&grp.as_str()) && (2018..=2022).contains(y))
        .map(|(_, v)| v)
        .sum();
    let (q, years) = layer(pr, "SSSK").completion.clone().unwrap();
    assert_eq!(years, vec![2019, 2020, 2021, 2022, 2023]);
    assert!(
        (q - degrees / began).abs() < 1e-12,
        "{q} vs {}",
        degrees / began
    );
}

#[test]
fn more_beginners_in_a_specialisation_give_it_a_larger_share_of_the_same_nurses_a_year_later() {
    // The specialist nurses' number follows the programme's beginners (admissions.csv); the
    // specialisations' beginners divide the degrees. Medical or surgical care's beginners doubled
    // from 2024 take a larger share of the degrees from 2025 (one year of training), not before,
    // and the layer is the same.
    let base = default_run();
    let mut sc = default_scenario();
    sc.supply.st_starts_change = BTreeMap::from([("MKV".to_string(), 2.0)]);
    let pr = run(&sc).unwrap();
    let (a, b) = (layer(base, "SSSK"), layer(&pr, "SSSK"));
    let nc = pr.inputs.grid.nc();
    let mkv = a.groups.iter().position(|g| g.code == "MKV").unwrap();
    let at = |y: i32| a.years.iter().position(|&v| v == y).unwrap();
    let certs = |s: &hwf::model::specialties::Specialties, ti: usize| -> f64 {
        (0..nc)
            .map(|c| s.certificates[(ti * s.ng() + mkv) * nc + c])
            .sum()
    };
    assert_eq!(certs(a, at(2024)), certs(b, at(2024)));
    assert!(certs(b, at(2025)) > 1.5 * certs(a, at(2025)));
    let total = |s: &hwf::model::specialties::Specialties, ti: usize| -> f64 {
        (0..s.ng())
            .flat_map(|gi| (0..nc).map(move |c| (gi, c)))
            .map(|(gi, c)| s.county(ti, gi, c, nc))
            .sum()
    };
    let last = a.years.len() - 1;
    assert!((total(a, last) - total(b, last)).abs() < 1e-6 * total(a, last));
    let group = |s: &hwf::model::specialties::Specialties| -> f64 {
        (0..nc).map(|c| s.county(last, mkv, c, nc)).sum()
    };
    assert!(group(b) > group(a) * 1.2, "{} vs {}", group(b), group(a));
    // The physicians' groups are untouched.
    assert_eq!(layer(base, "SPL").cells, layer(&pr, "SPL").cells);
    assert_within_layer_and_parent(&pr);
}

#[test]
fn a_run_from_an_earlier_base_year_does_not_see_later_st_starts() {
    // A backtest from 2018: the starts of 2019–2023 are in the table but not yet observed then.
    let mut sc = default_scenario();
    sc.base_year = 2018;
    sc.balance.intake_from = 2020;
    let pr = run(&sc).unwrap();
    let sp = pr.specialties.first().unwrap();
    assert_eq!(sp.table_year, 2018);
    let seen: Vec<i32> = sp
        .st_years
        .iter()
        .zip(&sp.st_observed)
        .filter(|(_, o)| **o)
        .map(|(y, _)| *y)
        .collect();
    assert_eq!(seen.last(), Some(&2018));
    // 2019 is the mean of 2016–2018 (by hand from the table), not the table's 2019.
    let text = std::fs::read_to_string("data/default/st_starts.csv").unwrap();
    let mut kir_sg: BTreeMap<i32, f64> = BTreeMap::new();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f[0] == "KIR" && f[1] == "SG" {
            kir_sg.insert(f[2].parse().unwrap(), f[3].trim().parse().unwrap());
        }
    }
    let mean = (kir_sg[&2016] + kir_sg[&2017] + kir_sg[&2018]) / 3.0;
    let nr = pr.inputs.hc_regions.len();
    let sg = pr.inputs.hc_regions.iter().position(|r| r == "SG").unwrap();
    let kir = sp.groups.iter().position(|g| g.code == "KIR").unwrap();
    assert!((sp.start(2019, kir, sg, nr).unwrap() - mean).abs() < 1e-9);
    assert_ne!(sp.start(2019, kir, sg, nr).unwrap(), kir_sg[&2019]);
    // The completion share rests on certificate years up to 2018 only.
    let (_, years) = sp.completion.clone().unwrap();
    assert_eq!(years.last(), Some(&2018));
    assert_within_layer_and_parent(&pr);
}

#[test]
fn a_specialists_table_without_a_year_up_to_the_base_year_is_an_error_naming_it() {
    let mut text = String::from("specialitet;län;kön;ålder;år;specialistläkare\n");
    for c in hwf::codes::CodeLists::get().counties.iter() {
        for s in ["1", "2"] {
            text.push_str(&format!("KIR;{};{s};45-54;2030;10\n", c.code));
        }
    }
    let e = specialists_error("future.csv", &text);
    assert!(
        e.contains("future.csv") && e.contains("base year 2023") && e.contains("2030"),
        "{e}"
    );
}

/// The specialist physicians' groups (the nurses' specialisations are the other rows of the
/// default tables).
const PHYSICIANS: [&str; 6] = ["ALM", "INT", "KIR", "PSYK", "BARN", "OVR"];

/// `data/default/st_starts.csv` read by hand: starts by (group, region, year).
fn st_table() -> BTreeMap<(String, String, i32), f64> {
    let text = std::fs::read_to_string("data/default/st_starts.csv").unwrap();
    let mut out = BTreeMap::new();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        out.insert(
            (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap()),
            f[3].trim().parse::<f64>().unwrap(),
        );
    }
    out
}

/// The default scenario with specialist physicians certified from the ST starts.
fn st_fed() -> Scenario {
    let mut sc = default_scenario();
    sc.supply.layer_feed = hwf::model::supply::LayerFeed::St;
    sc
}

/// Each health-care region's Swedish certificates of SPL in year index `ti` of `pr`'s path (the
/// flows' inflow, before the bound within physicians).
fn region_certificates(pr: &Projection, ti: usize) -> BTreeMap<String, f64> {
    let g = &pr.inputs.grid;
    let spl = g.prof("SPL").unwrap();
    let per = g.nc() * 2 * NA;
    let lists = hwf::codes::CodeLists::get();
    let mut out = BTreeMap::new();
    for (c, code) in g.counties.iter().enumerate() {
        let r = lists.county(code).unwrap().healthcare_region.clone();
        let at = ti * per + c * 2 * NA;
        *out.entry(r).or_insert(0.0) +=
            pr.paths[spl].inflow[0][at..at + 2 * NA].iter().sum::<f64>();
    }
    out
}

#[test]
fn fed_by_st_each_region_certifies_q_times_its_starts_six_years_before() {
    let pr = run(&st_fed()).unwrap();
    let g = &pr.inputs.grid;
    let spl = g.prof("SPL").unwrap();
    let st = st_table();
    // q by hand: SPL's Swedish certificates 2019–2023 in the register over the starts six years
    // before (every group trains six years), all groups and regions.
    let certified = swedish_issued(&pr, "SPL", 2019..=2023);
    let started: f64 = st
        .iter()
        .filter(|((g, _, y), _)| PHYSICIANS.contains(&g.as_str()) && (2013..=2017).contains(y))
        .map(|(_, v)| v)
        .sum();
    let q = certified / started;
    let feed = pr.params[spl].st_feed.as_ref().expect("SPL is fed by ST");
    assert!((feed.q - q).abs() < 1e-12, "{} vs {q}", feed.q);
    assert!(q > 0.8 && q < 1.0, "{q}");
    // Every region and year: the certificates are q times the starts six years before, those
    // observed up to 2023 and after it the mean of 2021–2023.
    let start = |grp: &str, r: &str, y: i32| -> f64 {
        if y <= 2023 {
            st[&(grp.to_string(), r.to_string(), y)]
        } else {
            (2021..=2023)
                .map(|v| st[&(grp.to_string(), r.to_string(), v)])
                .sum::<f64>()
                / 3.0
        }
    };
    for (ti, &t) in pr.paths[spl].years.iter().enumerate().skip(1) {
        for (r, got) in region_certificates(&pr, ti) {
            let want: f64 = PHYSICIANS.iter().map(|grp| q * start(grp, &r, t - 6)).sum();
            assert!(
                (got - want).abs() < 1e-9 * want,
                "{t} {r}: {got} certificates, {want} from the starts"
            );
        }
    }
    assert_within_layer_and_parent(&pr);
}

#[test]
fn fed_by_st_more_starts_give_more_specialists_six_years_later() {
    let base = run(&st_fed()).unwrap();
    let mut sc = st_fed();
    sc.supply.st_starts_change = BTreeMap::from([("KIR".to_string(), 1.2)]);
    let pr = run(&sc).unwrap();
    let spl = pr.inputs.grid.prof("SPL").unwrap();
    let q = pr.params[spl].st_feed.as_ref().unwrap().q;
    let st = st_table();
    let kir_today: f64 = st
        .iter()
        .filter(|((g, _, y), _)| g == "KIR" && (2021..=2023).contains(y))
        .map(|(_, v)| v)
        .sum::<f64>()
        / 3.0;
    let total = |p: &Projection, y: i32| -> f64 {
        let ti = p.paths[spl].years.iter().position(|&v| v == y).unwrap();
        region_certificates(p, ti).values().sum()
    };
    // The first raised starts (2024) certify in 2030: 20 % of today's surgical starts, times q,
    // more certificates that year, none more before.
    assert!((total(&pr, 2029) - total(&base, 2029)).abs() < 1e-9 * total(&base, 2029));
    let more = total(&pr, 2030) - total(&base, 2030);
    assert!(
        (more - 0.2 * q * kir_today).abs() < 1e-6 * more,
        "{more} vs {}",
        0.2 * q * kir_today
    );
    // The layer grows (unlike with the rate's feed, where starts only divide it), within
    // physicians in every cell.
    let licensed = |p: &Projection| -> f64 {
        let per = p.inputs.grid.nc() * 2 * NA;
        let last = p.paths[spl].years.len() - 1;
        p.paths[spl].licensed[last * per..].iter().sum()
    };
    assert!(licensed(&pr) > licensed(&base) + 5.0 * 0.2 * q * kir_today);
    assert_within_layer_and_parent(&pr);
}

#[test]
fn fed_by_st_a_run_with_part_of_a_health_care_region_is_refused() {
    let mut sc = st_fed();
    sc.scope = Some(hwf::model::scope::Scope {
        counties: vec!["23".into()],
    });
    let e = run(&sc).unwrap_err().to_string();
    assert!(
        e.contains("supply.layer_feed") && e.contains("1 of the 4 counties") && e.contains("N"),
        "{e}"
    );
    // The whole region (Norra: 22, 23, 24, 25) is certified from its own starts.
    sc.scope = Some(hwf::model::scope::Scope {
        counties: ["22", "23", "24", "25"].map(String::from).to_vec(),
    });
    let pr = run(&sc).unwrap();
    assert_eq!(pr.inputs.hc_regions, vec!["N".to_string()]);
    assert_within_layer_and_parent(&pr);
}

#[test]
fn fed_by_st_without_st_starts_names_the_key() {
    let mut sc = st_fed();
    sc.supply.specialists = None;
    sc.supply.st_starts = None;
    let e = run(&sc).unwrap_err().to_string();
    assert!(
        e.contains("supply.layer_feed") && e.contains("supply.st_starts"),
        "{e}"
    );
}

#[test]
fn the_st_lever_example_adds_specialists_in_psychiatry_only() {
    // data/scenarios/st_lever.toml: fed by ST, psychiatry's starts × 1.5 from 2024.
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/st_lever.toml");
    let (sc, _, _) = scenario::load(Some(&file)).unwrap();
    assert_eq!(sc.supply.layer_feed, hwf::model::supply::LayerFeed::St);
    let pr = run(&sc).unwrap();
    let base = run(&st_fed()).unwrap();
    let (a, b) = (
        base.specialties.first().unwrap(),
        pr.specialties.first().unwrap(),
    );
    let nc = pr.inputs.grid.nc();
    let last = a.years.len() - 1;
    let total = |s: &hwf::model::specialties::Specialties, gi: usize| -> f64 {
        (0..nc).map(|c| s.county(last, gi, c, nc)).sum()
    };
    let psyk = a.groups.iter().position(|g| g.code == "PSYK").unwrap();
    let gain: f64 = (0..a.ng()).map(|gi| total(b, gi) - total(a, gi)).sum();
    // Half of 2021–2023's mean psychiatry starts (148) more a year certify from 2030: at most
    // 11 years of them by 2040 (times q < 1, less exits).
    let today: f64 = st_table()
        .iter()
        .filter(|((g, _, y), _)| g == "PSYK" && (2021..=2023).contains(y))
        .map(|(_, v)| v)
        .sum::<f64>()
        / 3.0;
    let extra = 0.5 * today * 11.0;
    assert!(gain > 0.7 * extra && gain < extra, "{gain}");
    assert!(total(b, psyk) - total(a, psyk) > 0.95 * gain);
    assert_within_layer_and_parent(&pr);
}

#[test]
fn the_required_st_starts_sensitivity_agrees_with_the_solve_and_is_linear_in_the_imbalance() {
    let check = |pr: &Projection| {
        let sp = pr.specialties.first().unwrap();
        let nr = pr.inputs.hc_regions.len();
        assert_eq!(sp.required.len(), sp.ng() * (nr + 1));
        for r in &sp.required {
            // The window 2036–2040, one solve per year.
            let years: Vec<i32> = r.by_target_year.iter().map(|x| x.0).collect();
            assert_eq!(years, (2036..=2040).collect::<Vec<_>>());
            let at = |i: f64| r.by_imbalance.iter().find(|x| x.0 == i).unwrap().1.unwrap();
            // No imbalance is the published solve; demand is linear in 1 + i, so is the figure.
            assert!((at(0.0) - r.unfloored.unwrap()).abs() < 1e-9 * at(0.0).abs().max(1.0));
            let (lo, hi) = (at(0.0) - at(-0.05), at(0.05) - at(0.0));
            assert!((lo - hi).abs() < 1e-6 * lo.abs().max(1.0), "{lo} vs {hi}");
            assert!(hi > 0.0, "more demand needs more starts: {hi}");
        }
        // The nation is the sum of its regions in every setting.
        for gi in 0..sp.ng() {
            let rows: Vec<_> = sp.required.iter().filter(|r| r.group == gi).collect();
            let nation = rows.iter().find(|r| r.region.is_none()).unwrap();
            for k in 0..nation.by_target_year.len() {
                let sum: f64 = rows
                    .iter()
                    .filter(|r| r.region.is_some())
                    .map(|r| r.by_target_year[k].1.unwrap())
                    .sum();
                let n = nation.by_target_year[k].1.unwrap();
                assert!((sum - n).abs() < 1e-9 * n.abs().max(1.0));
            }
        }
    };
    check(default_run());
    // With the target year's rule, the published solve is the sensitivity's 2040 entry.
    let mut sc = default_scenario();
    sc.balance.intake_rule = hwf::model::intake::Rule::TargetYear;
    let pr = run(&sc).unwrap();
    check(&pr);
    for r in &pr.specialties.first().unwrap().required {
        let last = r.by_target_year.last().unwrap();
        assert_eq!(last.0, 2040);
        assert!(
            (last.1.unwrap() - r.unfloored.unwrap()).abs() < 1e-9 * last.1.unwrap().abs().max(1.0)
        );
    }
}

/// A specialist-nurse table as a user would download it: only the nurses, the specialisation
/// named in Swedish in a column called `Inriktning`, and the programme's beginners likewise. The
/// run divides the nurses as the default run does and leaves the physicians undivided.
#[test]
fn a_nurses_only_table_with_swedish_names_divides_the_nurses_alone() {
    let names = [
        ("DSK", "Distriktssköterska"),
        ("ANE", "Anestesisjukvård"),
        ("IVA", "Intensivvård"),
        ("OPS", "Operationssjukvård"),
        ("PSV", "Psykiatrisk vård"),
        ("BUV", "Vård av barn och ungdomar"),
        ("MKV", "Medicinsk eller kirurgisk vård"),
        ("OVS", "Övriga inriktningar"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let rename = |from: &str, header: &str, to: &str| {
        let text = std::fs::read_to_string(from).unwrap();
        let mut out = format!("{header}\n");
        for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
            let (code, rest) = line.split_once(';').unwrap();
            if let Some((_, name)) = names.iter().find(|(c, _)| *c == code) {
                out.push_str(&format!("{name};{rest}\n"));
            }
        }
        let path = dir.path().join(to);
        std::fs::write(&path, out).unwrap();
        Some(scenario::SupplementFile {
            file: path.to_string_lossy().into_owned(),
            ..Default::default()
        })
    };
    let mut sc = default_scenario();
    sc.supply.specialists = rename(
        "data/default/specialists.csv",
        "Inriktning;Län;Kön;Ålder;År;Antal",
        "sjukskoterskor.csv",
    );
    sc.supply.st_starts = rename(
        "data/default/st_starts.csv",
        "Inriktning;Sjukvårdsregion;År;Nybörjare",
        "nyborjare.csv",
    );
    let pr = run(&sc).unwrap();
    assert_eq!(pr.specialties.len(), 1);
    let (mine, default) = (layer(&pr, "SSSK"), layer(default_run(), "SSSK"));
    assert_eq!(mine.ng(), 8);
    assert_eq!(mine.cells, default.cells);
    assert_eq!(mine.required, default.required);
    // With the embedded starts (physicians' and nurses') the physicians' starts have nothing to
    // feed, and the run says so on the starts table rather than dropping them in silence.
    sc.supply.st_starts = default_scenario().supply.st_starts;
    let pr = run(&sc).unwrap();
    assert_eq!(layer(&pr, "SSSK").required, default.required);
    let starts = pr
        .used
        .iter()
        .find(|u| u.key == "supply.st_starts")
        .unwrap();
    assert!(
        starts.notes.iter().any(|n| n
            .en
            .contains("the starts of ALM, INT, KIR, PSYK, BARN, OVR not used")),
        "{:?}",
        starts.notes
    );
}
