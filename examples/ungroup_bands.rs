//! How far ungrouping age bands moves the default run: the embedded tables' single-year ages are
//! summed to 5- and 10-year bands, ungrouped again with the PCLM (`hwf::model::ungroup`), and
//! (1) the ungrouped tables are compared with the originals, (2) the model is run on them and its
//! 2040 supply and demand per profession, nationally and per county, are compared with the
//! single-year run (with the professions furthest from it, and demand in the base year too: the
//! nowcast from the last employment year, where a banded employed table shows first). Exits with an error when a bound is exceeded (national 1 %; 3 % per county
//! for cells of at least 100 FTE, the largest difference in FTE shown for the smaller ones).
//! Each case is run twice: as a run does it (`Inputs::gather` knows the tables' bands: a banded
//! register with single-year licences follows cohorts, banded licences with a single-year
//! register pool exit rates over their bands; see [`hwf::model::inputs::follow_cohorts`]), and,
//! as a baseline measured in the same run, with the ungrouped single years used as they are.
//!
//! With a population table banded, a third run takes the single-year population aged 0 as a table
//! of births (`demand.births`), which then drives the care use at age 0 (maternity care).
//!
//! `cargo run --release --example ungroup_bands [-- WIDTH [TABLE …]]`: bands of WIDTH years only
//! (5 and 10 by default), and only the named tables banded (`licensed.px`, `employed.px`,
//! `licences_issued.px`, `population.px`, `population_projection.px`; all five by default), to
//! see which table moves the run.
//!
//! Care use per person is a rate, not a count, and stays in single years; the other five tables
//! with ages (licensed, employed, licences issued, population and its projection) are banded.
use hwf::defaults;
use hwf::model::inputs::{Inputs, Tables};
use hwf::model::ungroup::{self, Band, Options};
use hwf::model::{self, Projection, scenario};
use hwf::table::Table;
use hwf::validate::Concept;
use std::collections::HashMap;
use std::error::Error;

/// Bands of `width` years from `from` to `to` (the last one shorter where needed).
fn bands(width: u32, from: u32, to: u32) -> Vec<Band> {
    (from..=to)
        .step_by(width as usize)
        .map(|lo| Band {
            lo,
            hi: (lo + width - 1).min(to),
        })
        .collect()
}

fn age_dim(t: &Table) -> Result<usize, Box<dyn Error>> {
    t.dims
        .iter()
        .position(|d| Concept::of(d) == Some(Concept::Age))
        .ok_or_else(|| format!("{}: no age dimension", t.meta.origin).into())
}

/// Σ|ungrouped − original| / Σ original over all cells, and the same over the national totals
/// by age (summed over every other dimension): the share of persons put in another year.
fn table_difference(orig: &Table, new: &Table) -> Result<(f64, f64), Box<dyn Error>> {
    let ad = age_dim(orig)?;
    let key = |t: &Table, r: usize| -> Vec<String> {
        (0..t.dims.len())
            .map(|d| t.code(d, r).to_string())
            .collect()
    };
    let mut want: HashMap<Vec<String>, f64> = HashMap::new();
    let mut by_age: HashMap<String, (f64, f64)> = HashMap::new();
    for r in 0..orig.len() {
        let v = orig.value(r).unwrap_or(0.0);
        want.insert(key(orig, r), v);
        by_age.entry(orig.code(ad, r).to_string()).or_default().0 += v;
    }
    let (mut diff, mut total) = (0.0, 0.0);
    for r in 0..new.len() {
        let k = key(new, r);
        let w = *want
            .get(&k)
            .ok_or_else(|| format!("{}: no original cell for {k:?}", new.meta.origin))?;
        let v = new.value(r).unwrap_or(0.0);
        diff += (v - w).abs();
        total += w;
        by_age.entry(new.code(ad, r).to_string()).or_default().1 += v;
    }
    let national: f64 = by_age.values().map(|(o, n)| (n - o).abs()).sum::<f64>()
        / by_age.values().map(|(o, _)| o).sum::<f64>();
    Ok((diff / total, national))
}

/// Max and median of relative differences; the number of cells with a zero reference skipped.
fn stats(pairs: &[(f64, f64)]) -> (f64, f64, usize) {
    let mut rel: Vec<f64> = pairs
        .iter()
        .filter(|(a, _)| *a > 0.0)
        .map(|(a, b)| (b - a).abs() / a)
        .collect();
    rel.sort_by(f64::total_cmp);
    let max = rel.last().copied().unwrap_or(0.0);
    let median = if rel.is_empty() {
        0.0
    } else if rel.len() % 2 == 1 {
        rel[rel.len() / 2]
    } else {
        (rel[rel.len() / 2 - 1] + rel[rel.len() / 2]) / 2.0
    };
    (max, median, pairs.len() - rel.len())
}

/// The `n` relative differences furthest from 0, with their names, as `name +x.xx %`.
fn furthest(mut items: Vec<(f64, String)>, n: usize, decimals: usize) -> String {
    items.sort_by(|x, y| y.0.abs().total_cmp(&x.0.abs()));
    items
        .iter()
        .take(n)
        .map(|(d, w)| format!("{w} {:+.decimals$} %", 100.0 * d))
        .collect::<Vec<_>>()
        .join(", ")
}

/// County cells below this many FTE in the single-year run are not judged in percent.
const MIN_FTE: f64 = 100.0;

/// The pairs whose single-year value is at least [`MIN_FTE`], and the others.
fn split(pairs: &[(f64, f64)]) -> (Pairs, Pairs) {
    pairs.iter().partition(|(a, _)| *a >= MIN_FTE)
}

/// The largest absolute difference of a pair.
fn largest(pairs: &[(f64, f64)]) -> f64 {
    pairs.iter().map(|(a, b)| (b - a).abs()).fold(0.0, f64::max)
}

/// (national, per county) pairs of (single-year, banded) supply and demand in `year`.
type Pairs = Vec<(f64, f64)>;

fn compare_runs(a: &Projection, b: &Projection, year: i32) -> Result<[Pairs; 4], Box<dyn Error>> {
    let ti = a
        .years
        .iter()
        .position(|&y| y == year)
        .ok_or("the year is not in the run")?;
    let g = &a.inputs.grid;
    let (mut ns, mut nd, mut cs, mut cd) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in 0..g.np() {
        let (sa, da) = a.total_fte(ti, p);
        let (sb, db) = b.total_fte(ti, p);
        ns.push((sa, sb));
        nd.push((da.unwrap_or(0.0), db.unwrap_or(0.0)));
        for c in 0..g.nc() {
            let (mut s, mut d) = ((0.0, 0.0), (0.0, 0.0));
            for k in 0..g.nk() {
                s.0 += a.supply[a.at(ti, p, c, k)];
                s.1 += b.supply[b.at(ti, p, c, k)];
                d.0 += a.demand_at(ti, p, c, k).unwrap_or(0.0);
                d.1 += b.demand_at(ti, p, c, k).unwrap_or(0.0);
            }
            cs.push(s);
            cd.push(d);
        }
    }
    Ok([ns, nd, cs, cd])
}

/// The population aged 0 (both sexes) of `inp` per county and year, as a table of births.
fn births_aged_0(inp: &Inputs) -> hwf::model::inputs::Births {
    use hwf::model::inputs::POP_AGES;
    let nc = inp.grid.nc();
    let counts = (0..inp.population_years.len() * nc)
        .map(|i| inp.population[i * 2 * POP_AGES] + inp.population[i * 2 * POP_AGES + POP_AGES])
        .collect();
    hwf::model::inputs::Births {
        file: "the single-year population aged 0".into(),
        years: inp.population_years.clone(),
        counts,
        nc,
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    // One factor per county on the exit rates in every run: a run with a banded register or
    // banded licences takes it in place of the default's deviations by age group
    // (`Inputs::moves_by_age`), so the comparison measures the ungrouping alone (README,
    // "Movement between counties", measures the two ways against each other).
    let (mut sc, _, _) = scenario::load(None)?;
    sc.supply.county_exits_by = hwf::model::movement::CountyExits::Level;
    let base = model::run(&sc)?;
    let names: Vec<&str> = defaults::FILES[..8].iter().map(|f| f.0).collect();
    let tables: Vec<Table> = defaults::input_tables()?.into();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let widths: Vec<u32> = match args.first() {
        Some(w) => vec![w.parse()?],
        None => vec![5, 10],
    };
    let banded_tables: Vec<&str> = if args.len() > 1 {
        args[1..].iter().map(String::as_str).collect()
    } else {
        names[..5].to_vec()
    };
    let mut failed = Vec::new();
    for width in widths {
        let work = bands(width, 20, 74);
        // 0-4 … 95-99 (0-9 … 90-99) and the open 100+.
        let pop: Vec<Band> = bands(width, 0, 99)
            .into_iter()
            .chain([Band { lo: 100, hi: 100 }])
            .collect();
        let start = std::time::Instant::now();
        let mut new = tables.clone();
        println!("{width}-year bands");
        for i in (0..5).filter(|&i| banded_tables.contains(&names[i])) {
            let (b, opts, open) = if i < 3 {
                (&work, Options::workforce(), false)
            } else {
                (&pop, Options::default(), true)
            };
            let banded = ungroup::group_ages(&tables[i], b, open)?;
            new[i] = ungroup::ungroup_ages(&banded, &opts)?;
            let (share, worst) = table_difference(&tables[i], &new[i])?;
            println!(
                "  {:<26} {:>9} cells: Σ|ungrouped − original| / Σ original: cells {:.2} %, national by age {:.2} %",
                names[i],
                new[i].len(),
                100.0 * share,
                100.0 * worst
            );
        }
        let gather = |t: &[Table]| -> Result<Inputs, Box<dyn Error>> {
            Ok(Inputs::gather(&Tables::in_key_order(t.try_into()?))?)
        };
        // The run's own method (the register followed by cohorts, or exits pooled over the
        // licences' bands, as `Inputs::gather` decides from the tables' bands), and as a baseline
        // in the same run the ungrouped single years used as they are (the bands forgotten).
        let mut plain = new.clone();
        for t in &mut plain {
            t.meta.age_bands.clear();
        }
        let mut variants = vec![
            ("single years as ungrouped", gather(&plain)?, false),
            ("from the bands", gather(&new)?, true),
        ];
        // With a population in bands, the population aged 0 that drives maternity care is the
        // ungrouping's share of the youngest band; a table of births (`demand.births`) replaces
        // it. Measured here with the single-year run's population aged 0 as the births.
        if banded_tables.iter().any(|t| t.starts_with("population")) {
            let mut inp = gather(&new)?;
            inp.births = Some(births_aged_0(&base.inputs));
            variants.push(("from the bands, with births", inp, false));
        }
        for (label, mut inp, judged) in variants {
            // The service-area tables and the destinations of graduates have no ages: the run
            // keeps the base run's, so that demand is by service area and new licences are
            // routed by where graduates settle on both sides.
            inp.services = base.inputs.services.clone();
            inp.destinations = base.inputs.destinations.clone();
            let run = model::project(&sc, inp, base.used.clone())?;
            println!(
                "  [{label}] ungrouping and run: {:.1} s",
                start.elapsed().as_secs_f64()
            );
            let [ns, nd, cs, cd] = compare_runs(&base, &run, 2040)?;
            let g = &base.inputs.grid;
            let [_, nd0, _, _] = compare_runs(&base, &run, sc.base_year)?;
            // Each profession's national relative difference, the furthest five printed.
            for (what, pairs) in [
                ("2040 supply", &ns),
                ("2040 demand", &nd),
                ("base-year demand", &nd0),
            ] {
                let relative: Vec<(f64, String)> = pairs
                    .iter()
                    .zip(&g.professions)
                    .map(|((a, b), p)| ((b - a) / a, p.clone()))
                    .collect();
                println!(
                    "  [{label}] {what}, national, furthest: {}",
                    furthest(relative, 5, 2)
                );
            }
            let county: Vec<(f64, String)> = cs
                .iter()
                .enumerate()
                .filter(|(_, (a, _))| *a >= MIN_FTE)
                .map(|(i, (a, b))| {
                    let (p, c) = (i / g.nc(), i % g.nc());
                    (
                        (b - a) / a,
                        format!("{} {} ({a:.0} → {b:.0})", g.professions[p], g.counties[c]),
                    )
                })
                .collect();
            println!(
                "  [{label}] 2040 supply, per county (≥ {MIN_FTE} FTE), furthest: {}",
                furthest(county, 4, 1)
            );
            // Counties: cells of at least MIN_FTE in the single-year run are judged; for the
            // smaller ones (a handful of persons, where a percentage says little) the largest
            // difference in FTE is shown.
            let (big_s, small_s) = split(&cs);
            let (big_d, small_d) = split(&cd);
            println!(
                "  [{label}] counties under {MIN_FTE} FTE: supply {} cells, largest difference {:.1} FTE; demand {} cells, {:.1} FTE",
                small_s.len(),
                largest(&small_s),
                small_d.len(),
                largest(&small_d)
            );
            for (what, pairs, bound) in [
                ("2040 supply, national", &ns, 0.01),
                ("2040 demand, national", &nd, 0.01),
                ("2040 supply, per county", &big_s, 0.03),
                ("2040 demand, per county", &big_d, 0.03),
            ] {
                let (max, median, skipped) = stats(pairs);
                println!(
                    "  [{label}] {what:<24} max {:.3} %  median {:.3} %  ({} cells{})",
                    100.0 * max,
                    100.0 * median,
                    pairs.len() - skipped,
                    if skipped > 0 {
                        format!(", {skipped} with 0 in the single-year run left out")
                    } else {
                        String::new()
                    }
                );
                if judged && max > bound {
                    failed.push(format!(
                        "{width}-year bands: {what}: {:.3} % > {}",
                        100.0 * max,
                        100.0 * bound
                    ));
                }
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; ").into())
    }
}
