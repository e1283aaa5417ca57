//! How the two ways of letting a county's exits differ from the nation's (`supply.county_exits_by`)
//! forecast each county's licensed persons and their ages, scored against the register.
//!
//! For each data set (the embedded default, and the second world of `data/world2/`, whose
//! generator moves licensed persons between counties at 20–40 with a push from rural counties and
//! a growing rate) and each base year, the inputs are cut to what was known then
//! ([`hwf::model::backtest::as_of`]) and projected with `"level"` (one factor per county on the
//! national rates) and with `"age"` (a deviation per county and five-year age group, see
//! [`hwf::model::movement`]); every profession's licensed persons per county are compared with the
//! register at each horizon it covers:
//!
//! - `county MAPE`: the mean over professions and counties of |projected − observed| / observed of
//!   the county's licensed persons (counties with at least 50 observed);
//! - `age WAPE`: Σ |projected − observed| / Σ observed over county × ten-year age group (20–29, …,
//!   60–74) cells: whether the county's age structure is right, which sets its exits and FTE later.
//!
//! `cargo run --release --example county_moves [-- BASE_YEAR …]` (default 2013 2015).
use hwf::model::backtest::as_of;
use hwf::model::inputs::NA;
use hwf::model::movement::CountyExits;
use hwf::model::{self, Projection, scenario};
use std::error::Error;
use std::path::Path;

/// Ten-year groups of the age index (20–29, …, 60–74).
fn decade(a: usize) -> usize {
    (a / 10).min(4)
}

/// Licensed persons of profession `p` in county `c` by ten-year group, from a `[c][s][a]` slice.
fn groups(v: &[f64], c: usize) -> [f64; 5] {
    let mut out = [0.0; 5];
    for sx in 0..2 {
        for a in 0..NA {
            out[decade(a)] += v[(c * 2 + sx) * NA + a];
        }
    }
    out
}

/// (county MAPE %, age WAPE %, counties scored) of a rerun against the register at year index `h`.
fn score(full: &Projection, pr: &Projection, h: usize) -> (f64, f64, usize) {
    let g = &full.inputs.grid;
    let (nc, cells) = (g.nc(), g.cells());
    let year = pr.scenario.base_year + h as i32;
    let Some(yi) = full.inputs.licence_years.iter().position(|&y| y == year) else {
        return (f64::NAN, f64::NAN, 0);
    };
    let (mut ape, mut n, mut abs, mut tot) = (0.0, 0usize, 0.0, 0.0);
    for p in 0..g.np() {
        let per = nc * 2 * NA;
        let proj = &pr.paths[p].licensed[h * per..(h + 1) * per];
        let obs: Vec<f64> = (0..nc)
            .flat_map(|c| (0..2).flat_map(move |sx| (0..NA).map(move |a| (c, sx, a))))
            .map(|(c, sx, a)| full.inputs.licensed[yi * cells + g.idx(p, c, sx, a)])
            .collect();
        for c in 0..nc {
            let (gp, go) = (groups(proj, c), groups(&obs, c));
            let (sp, so): (f64, f64) = (gp.iter().sum(), go.iter().sum());
            if so >= 50.0 {
                ape += (sp - so).abs() / so;
                n += 1;
            }
            for k in 0..5 {
                abs += (gp[k] - go[k]).abs();
                tot += go[k];
            }
        }
    }
    (100.0 * ape / n as f64, 100.0 * abs / tot, n)
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<i32> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let bases = if args.is_empty() {
        vec![2013, 2015]
    } else {
        args
    };
    let sets = [
        ("default", None),
        ("world2", Some(Path::new("data/scenarios/world2.toml"))),
    ];
    println!(
        "data     base  h  level: county MAPE  age WAPE   age: county MAPE  age WAPE   (counties)"
    );
    for (name, file) in sets {
        let (sc, _, _) = scenario::load(file)?;
        let full = model::run(&sc)?;
        let lag = sc.base_year
            - full
                .inputs
                .employment_years
                .last()
                .copied()
                .unwrap_or(sc.base_year);
        let last = *full.inputs.licence_years.last().unwrap_or(&sc.base_year);
        for &base in &bases {
            let years = last - base;
            let mut runs = Vec::new();
            for by in [CountyExits::Level, CountyExits::Age] {
                let mut s = sc.clone();
                s.base_year = base;
                s.horizon = last;
                s.balance.target_year = last;
                s.balance.intake_from = base + 1;
                s.balance.window_years = s.balance.window_years.min(years.max(1) as u32);
                s.supply.county_exits = true;
                s.supply.county_exits_by = by;
                runs.push(model::project(
                    &s,
                    as_of(&full.inputs, base, lag)?,
                    Vec::new(),
                )?);
            }
            for h in [1, 3, 5, 8, 10].into_iter().filter(|&h| h <= years) {
                let (a, b) = (
                    score(&full, &runs[0], h as usize),
                    score(&full, &runs[1], h as usize),
                );
                println!(
                    "{name:8} {base} {h:2}  {:>18.2} {:>9.2}   {:>16.2} {:>9.2}   ({})",
                    a.0, a.1, b.0, b.1, a.2
                );
            }
        }
    }
    Ok(())
}
