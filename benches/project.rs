//! Wall time of the projection on the default data: all 21 counties against Sweden as one region,
//! as a ratio measured in the same run. `cargo bench --bench project` (release); under
//! `cargo test --benches` it runs each case once, so it keeps compiling and working.

use hwf::model::{project, run, scenario};

mod common;
use common::best_of;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let reps = if bench { 5 } else { 1 };
    let (sc, _, _) = scenario::load(None).expect("the default scenario");
    let t_read = best_of(1, || run(&sc).expect("default run"));
    let full = run(&sc).expect("default run");
    let counties = full.inputs.clone();
    let national = counties.summed_to_nation();
    let t_counties = best_of(reps, || {
        project(&sc, counties.clone(), vec![]).expect("21 counties")
    });
    let t_national = best_of(reps, || {
        project(&sc, national.clone(), vec![]).expect("national")
    });
    let (np, years) = (counties.grid.np(), sc.horizon - sc.base_year);
    println!("projection of {np} professions × 2 sexes × 55 ages, {years} years (best of {reps}):");
    println!("  read + gather + project (21 counties): {t_read:8.3} s");
    println!("  project, national (1 region):          {t_national:8.3} s");
    println!("  project, 21 counties:                  {t_counties:8.3} s");
    println!(
        "project: 21 counties take {:.1}× the national time (cube 21× larger)",
        t_counties / t_national
    );
}
