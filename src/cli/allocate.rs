//! `hwf allocate`: distribute money by key, audit a published distribution, summarise funding.

use super::CliError;
use super::args::{AllocateAction, AllocateArgs};
use hwf::allocate::{audit, funding, output, spec::Spec};
use std::process::ExitCode;

/// `hwf allocate`: a distribution by spec, an audit of a published one, or a funding summary.
pub fn allocate(a: AllocateArgs) -> Result<ExitCode, CliError> {
    match a.action {
        None => {
            let path = a
                .spec
                .ok_or("name the allocation spec: hwf allocate --spec FILE")?;
            let out = a.keep.out(a.out)?;
            let s = Spec::load(&path)?;
            let alloc = s.run().map_err(|e| format!("{}: {e}", path.display()))?;
            output::write(&alloc, &s.title, &out)?;
            println!("{}", alloc.summary());
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
            let au = audit::audit_files(&published, total, floor, &indicator, year, weight)?;
            print!("{}", au.text());
            if let Some(path) = csv {
                hwf::publish::atomic::write(&path, &au.csv_bytes())?;
                println!("wrote {}", path.display());
            }
            Ok(if au.consistent() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(AllocateAction::Funding { file }) => {
            let streams = funding::read(&file)?;
            print!("{}", funding::summary(&streams)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}
