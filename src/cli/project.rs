//! `hwf project`: supply, demand, gaps and the required intake, written out.

use super::args::ProjectArgs;
use super::{CliError, print_notes};
use std::process::ExitCode;

/// `hwf project`: the projection's files, and its balance at the horizon on the console.
pub fn project(a: ProjectArgs) -> Result<ExitCode, CliError> {
    let ProjectArgs {
        scenario,
        out,
        keep,
        mc,
    } = a;
    let out = keep.out(out)?;
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref())?;
    eprintln!(
        "projecting scenario {:?}: base year {}, horizon {}",
        sc.name, sc.base_year, sc.horizon
    );
    let mut pr = hwf::model::run(&sc)?;
    print_notes(&pr);
    mc.apply(&mut pr)?;
    hwf::publish::results::write(&pr, &out)?;
    let out = out.path();
    let g = &pr.inputs.grid;
    let ti = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    let bands = pr.bands.as_ref();
    let band_head = bands.map_or(String::new(), |b| {
        let q = &b.percentiles;
        format!(
            "  gap P{}–P{} ({} draws)   P(shortage)",
            q[0],
            q[q.len() - 1],
            b.draws
        )
    });
    let area = pr.area();
    if !area.whole {
        println!(
            "scope: {} (the figures are these counties' sum, not Sweden)",
            area.name(false)
        );
    }
    println!(
        "{:<6} {:>10} {:>10} {:>9}  balance {}{band_head}",
        "prof", "supply", "demand", "gap", sc.horizon
    );
    for p in 0..g.np() {
        let (s, d) = pr.national(ti, p);
        let d = d.unwrap_or(f64::NAN);
        let band = bands.map_or(String::new(), |b| {
            let last = b.years.len() - 1;
            let q = b.q(p, 3, b.national(), last);
            format!(
                "  {:>9.0} … {:<9.0} {:>5.0} %",
                q[0],
                q[q.len() - 1],
                100.0 * b.shortage_of(p, b.national(), last)
            )
        });
        println!(
            "{:<6} {:>10.0} {:>10.0} {:>9.0}  {:<8}{band}",
            g.professions[p],
            s,
            d,
            s - d,
            pr.label(s, d)
        );
    }
    if let Some(line) = pr.synthetic_summary() {
        println!("{line}");
    }
    if let Some(line) = pr.imputed_summary() {
        println!("{line}");
    }
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}
