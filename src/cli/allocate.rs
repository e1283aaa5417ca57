//! `hwf allocate`: distribute money by key, audit a published distribution, summarise funding.

use super::CliError;
use super::args::{AllocateAction, AllocateArgs};
use std::process::ExitCode;

/// `hwf allocate`: a distribution by spec, an audit of a published one, or a funding summary.
pub fn allocate(a: AllocateArgs) -> Result<ExitCode, CliError> {
    use hwf::allocate::{audit, funding, output, spec::Spec};
    let AllocateArgs {
        spec,
        out,
        keep,
        action,
    } = a;
    match action {
        None => {
            let path = spec.ok_or("name the allocation spec: hwf allocate --spec FILE")?;
            let out = keep.out(out)?;
            let s = Spec::load(&path)?;
            let a = s.run().map_err(|e| format!("{}: {e}", path.display()))?;
            output::write(&a, &s.title, &out)?;
            let sum: u64 = a.lines.iter().map(|l| l.amount).sum();
            let stand = a
                .lines
                .iter()
                .filter(|l| l.values.iter().any(|v| v.stand_in))
                .count();
            println!(
                "{} recipients, {} kr in all (floor {} kr each); {stand} used a stand-in year",
                a.lines.len(),
                sum,
                a.floor
            );
            println!(
                "wrote {}/allocation.csv, allocation_sv.csv, allocation.xlsx, summary.html",
                out.path().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(AllocateAction::Audit {
            published,
            total,
            floor,
            indicator,
            year,
            weight,
            csv,
        }) => {
            let a = audit::audit_files(&published, total, floor, &indicator, year, weight)?;
            println!(
                "published: {} recipients, {} kr (stated total {} kr{})",
                a.lines.len(),
                a.published_total,
                a.total,
                if a.published_total == a.total {
                    ", equal"
                } else {
                    ", DIFFERENT"
                }
            );
            if !a.below_floor.is_empty() {
                println!(
                    "paid below the floor of {} kr: {}",
                    a.floor,
                    a.below_floor.join(", ")
                );
            }
            println!(
                "every implied share of the unavailable indicator is non-negative for a weight of the available one up to w_max = {:.4}",
                a.w_max
            );
            println!("recipients that bind the range (lowest variable share / indicator share):");
            for l in a.binding(5) {
                println!(
                    "  {} {:<20} amount {:>9}  variable share {:.6}  indicator share {:.6}  ratio {:.4}",
                    l.code, l.name, l.amount, l.variable_share, l.indicator_share, l.ratio
                );
            }
            if let Some(w) = a.weight {
                let min = a
                    .lines
                    .iter()
                    .filter_map(|l| l.implied_share.map(|q| (q, l)))
                    .min_by(|x, y| x.0.total_cmp(&y.0));
                if let Some((q, l)) = min {
                    println!(
                        "at weight {w}: smallest implied share {q:.6} ({} {})",
                        l.code, l.name
                    );
                }
                println!(
                    "{}",
                    if a.consistent() {
                        "consistent with the stated key"
                    } else {
                        "INCONSISTENT: the stated key would need a negative share"
                    }
                );
            }
            if let Some(path) = csv {
                let bytes = a.csv_bytes();
                hwf::publish::atomic::write(&path, &bytes)?;
                println!("wrote {}", path.display());
            }
            Ok(if a.consistent() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(AllocateAction::Funding { file }) => {
            let streams = funding::read(&file)?;
            let (last, pop) = funding::default_population()?;
            let m = funding::per_county_year(&streams, &pop);
            let national = funding::national(&streams);
            println!(
                "county\tyear\tkronor\tkronor per inhabitant ({last} population, synthetic default data)"
            );
            for ((c, y), v) in &m {
                let p = pop.get(c).copied().unwrap_or(f64::NAN);
                println!("{c}\t{y}\t{v:.0}\t{:.2}", v / p);
            }
            println!("national streams not earmarked for a county: {national:.0} kr");
            Ok(ExitCode::SUCCESS)
        }
    }
}
