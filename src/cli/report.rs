//! `hwf report`: the national report, one county's or region's, or one per county.

use super::args::ReportArgs;
use super::{CliError, print_notes};
use hwf::publish::atomic::OutDir;
use std::path::PathBuf;
use std::process::ExitCode;

/// `hwf report`: whose report, checked before any work, then the report.
pub fn run(a: ReportArgs) -> Result<ExitCode, CliError> {
    let who = Who::of(a.county.as_deref(), a.region.as_deref(), a.all_counties)?;
    let out = a
        .keep
        .out(a.out.clone().unwrap_or_else(|| who.default_out()))?;
    report(&a, &who, out)
}

/// Whose report `hwf report` writes.
enum Who {
    /// The national report (the run's whole area).
    National,
    /// One county's or health-care region's.
    One(hwf::publish::principal::Principal),
    /// One per county, with an index.
    AllCounties,
}

impl Who {
    /// From the options, checked before any work.
    fn of(county: Option<&str>, region: Option<&str>, all: bool) -> Result<Who, CliError> {
        use hwf::publish::principal::Principal;
        Ok(match (county, region) {
            (Some(c), _) => Who::One(Principal::county(c)?),
            (_, Some(r)) => Who::One(Principal::region(r)?),
            _ if all => Who::AllCounties,
            _ => Who::National,
        })
    }

    /// The output folder when `--out` is not given.
    fn default_out(&self) -> PathBuf {
        use hwf::publish::principal::Kind;
        match self {
            Who::National => PathBuf::from("out/report"),
            Who::One(p) if p.kind == Kind::County => {
                PathBuf::from(format!("out/county-{}", p.code))
            }
            Who::One(p) => PathBuf::from(format!("out/region-{}", p.code)),
            Who::AllCounties => PathBuf::from("out/counties"),
        }
    }
}

/// The report of `who` into `out`, with the options of `a`.
fn report(a: &ReportArgs, who: &Who, out: OutDir) -> Result<ExitCode, CliError> {
    let ReportArgs {
        scenario,
        lang,
        disclosure,
        quiet,
        compare,
        funding,
        backtest,
        mc,
        ..
    } = a;
    let quiet = *quiet;
    let (lang, profile) = (*lang, *disclosure);
    // The draws' options before any work.
    mc.check()?;
    let start = std::time::Instant::now();
    let mut progress = |what: &str| {
        if !quiet {
            eprintln!("[{:5.1} s] {what}", start.elapsed().as_secs_f64());
        }
    };
    progress("reading the scenario");
    let (sc, _, _) = hwf::model::scenario::load(scenario.as_deref())?;
    if let Who::One(principal) = who {
        let area =
            hwf::model::scope::Area::of(sc.scope.as_ref()).map_err(|(k, m)| format!("{k}: {m}"))?;
        principal.check_in(&area)?;
    }
    // Read before any projection, so that a bad funding file is refused in milliseconds.
    let streams = funding
        .as_deref()
        .map(hwf::allocate::funding::read)
        .transpose()?;
    progress(&format!(
        "reading the inputs and projecting {} to {}",
        sc.name, sc.horizon
    ));
    let mut pr = hwf::model::run(&sc)?;
    if !quiet {
        print_notes(&pr);
    }
    if mc.draws.or(sc.uncertainty.draws).is_some() {
        progress("Monte Carlo draws");
    }
    mc.apply(&mut pr)?;
    let mut others = Vec::new();
    for file in compare {
        let (other, _, _) = hwf::model::scenario::load(Some(file))?;
        progress(&format!(
            "projecting the comparison scenario {}",
            other.name
        ));
        let other = hwf::model::run(&other)?;
        if other.area() != pr.area() {
            return Err(format!(
                "--compare {}: covers {}, the report covers {}; expected scenarios of the same [scope]",
                file.display(),
                other.area().name(false),
                pr.area().name(false)
            ).into());
        }
        others.push(other);
    }
    let opts = hwf::publish::report::Options {
        lang,
        disclosure: profile,
    };
    match who {
        Who::National => {}
        Who::One(principal) => {
            let idx = principal.indices(&pr)?;
            progress(&format!("the report of {}", principal.name(lang)));
            hwf::publish::principal::write(&pr, principal, &idx, streams.as_deref(), &opts, &out)?;
            progress("done");
            println!("wrote {}", out.path().join("report.html").display());
            return Ok(ExitCode::SUCCESS);
        }
        Who::AllCounties => {
            progress("one report per county");
            hwf::publish::principal::write_all(&pr, streams.as_deref(), &opts, &out)?;
            progress("done");
            println!("wrote {}", out.path().join("index.html").display());
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut scores = Vec::new();
    let draws = mc.backtest_draws(&sc)?;
    for &b in backtest {
        progress(&format!("backtest from {b}"));
        scores.extend(
            mc.in_pool(|| hwf::model::backtest::backtest_with(&pr, b, &[1, 3, 5, 10], draws))?
                .map_err(|e| format!("backtest from {b}: {e}"))?,
        );
    }
    let extra = hwf::publish::report::Extra {
        others: &others,
        funding: streams.as_deref(),
        backtest: (!backtest.is_empty()).then_some(scores.as_slice()),
    };
    hwf::publish::report::write(&pr, extra, &opts, &out, &mut progress)?;
    progress("done");
    println!("wrote {}", out.path().join("report.html").display());
    Ok(ExitCode::SUCCESS)
}
