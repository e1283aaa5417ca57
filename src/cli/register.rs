//! `hwf aggregate` and `hwf synth-register`: person-level register extracts, aggregated or made.

use super::CliError;
use super::args::{AggregateArgs, SynthRegisterArgs};
use std::process::ExitCode;

/// `hwf aggregate`: the tables, the report and a scenario naming them, in one output folder.
pub fn aggregate(a: AggregateArgs) -> Result<ExitCode, CliError> {
    let out = a.keep.out(a.out)?;
    let spec = hwf::ingest::register::Spec::read(&a.spec)?;
    let format = spec.table_format()?;
    let done = hwf::ingest::register::aggregate(&spec)?;
    done.write(format, &out)?;
    print!("{}", done.report_text());
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
    let s = hwf::ingest::register::synth::write_folder(&out, &o)?;
    eprintln!("{}", s.text());
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}
