//! `hwf aggregate` and `hwf synth-register`: person-level register extracts, aggregated or made.

use super::CliError;
use super::args::{AggregateArgs, SynthRegisterArgs};
use hwf::publish::tables::{self, TableFormat};
use std::process::ExitCode;

/// `hwf aggregate`: the tables, the report and a scenario naming them, in one output folder.
pub fn aggregate(a: AggregateArgs) -> Result<ExitCode, CliError> {
    let out = a.keep.out(a.out)?;
    use hwf::ingest::register;
    let spec = register::Spec::read(&a.spec)?;
    let format = spec.table_format()?;
    let done = register::aggregate(&spec)?;
    let ext = match format {
        TableFormat::Parquet => "parquet",
        TableFormat::Xlsx => "xlsx",
        _ => "csv",
    };
    let mut files = Vec::new();
    for (name, t) in &done.tables {
        let file = format!("{name}.{ext}");
        let bytes = tables::encode(t, &out.path().join(&file), format)?;
        files.push((file, bytes));
    }
    let text = done.report_text();
    let json = serde_json::to_string_pretty(&done.report_json())?;
    let scenario = done.scenario(ext);
    hwf::publish::atomic::write_dir(&out, |tmp| {
        for (f, b) in &files {
            std::fs::write(tmp.join(f), b)?;
        }
        std::fs::write(tmp.join("aggregate_report.txt"), &text)?;
        std::fs::write(tmp.join("aggregate_report.json"), format!("{json}\n"))?;
        std::fs::write(tmp.join("scenario.toml"), &scenario)?;
        Ok(())
    })?;
    print!("{text}");
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}

/// `hwf synth-register`: a SYNTHETIC register written into one output folder.
pub fn synth_register(a: SynthRegisterArgs) -> Result<ExitCode, CliError> {
    let out = a.keep.out(a.out)?;
    let o = hwf::ingest::register::synth::Options {
        scale: a.scale,
        seed: a.seed,
        counties: a.county,
        csv: a.csv,
        dirty: a.dirty,
    };
    let mut summary = None;
    hwf::publish::atomic::write_dir(&out, |tmp| {
        let s = hwf::ingest::register::synth::write(tmp, &o)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        summary = Some(s);
        Ok(())
    })?;
    if let Some(s) = summary {
        eprintln!(
            "SYNTHETIC register: {} person-years, {} licences, {} student events{}",
            s.rows[0],
            s.rows[1],
            s.rows[2],
            if s.excess_employed > 0 {
                format!(
                    " ({} employed beyond the licensed of their cell made licensed too)",
                    s.excess_employed
                )
            } else {
                String::new()
            }
        );
    }
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}
