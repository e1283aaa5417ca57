//! The commands that print what hwf holds: `hwf scenario show` and `hwf codes`.

use super::CliError;
use super::args::ScenarioAction;
use std::path::Path;
use std::process::ExitCode;

/// `hwf scenario`.
pub fn scenario(action: ScenarioAction) -> Result<ExitCode, CliError> {
    match action {
        ScenarioAction::Show { file } => show(file.as_deref()),
    }
}

/// `hwf scenario show`: the effective scenario, each value with the file it came from.
fn show(file: Option<&Path>) -> Result<ExitCode, CliError> {
    let (sc, prov, _) = hwf::model::scenario::load(file)?;
    let flat = flatten(&toml::Value::try_from(&sc)?, "");
    let width = flat.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in flat {
        let from = prov
            .iter()
            .filter(|(p, _)| k == **p || k.starts_with(&format!("{p}.")))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, s)| s.as_str())
            .unwrap_or("embedded default");
        println!("{k:<width$} = {v}    # {from}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `hwf codes LIST`: one code list, a line per code, its fields separated by tabs.
pub fn codes(list: &str) -> Result<ExitCode, CliError> {
    let c = hwf::codes::CodeLists::get();
    let rows: Vec<String> = match list {
        "counties" | "län" => c
            .counties
            .iter()
            .map(|x| {
                format!(
                    "{}\t{}\t{}\t{}",
                    x.code, x.name_sv, x.name_en, x.healthcare_region
                )
            })
            .collect(),
        "regions" | "healthcare_regions" => c
            .healthcare_regions
            .iter()
            .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
            .collect(),
        "municipalities" | "kommuner" => c
            .municipalities
            .iter()
            .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.county))
            .collect(),
        "sectors" => c
            .sectors
            .iter()
            .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
            .collect(),
        "professions" | "yrken" => c
            .professions
            .iter()
            .map(|x| {
                format!(
                    "{}\t{}\t{}\t{}",
                    x.code,
                    x.name_sv,
                    x.name_en,
                    match (&x.layer_of, x.licensed) {
                        (Some(p), _) => format!("layer of {p}"),
                        (None, true) => "licensed".into(),
                        (None, false) => String::new(),
                    }
                )
            })
            .collect(),
        other => {
            return Err(format!(
                "unknown code list {other:?}; expected counties, regions, municipalities, sectors or professions"
            )
            .into());
        }
    };
    for r in rows {
        println!("{r}");
    }
    Ok(ExitCode::SUCCESS)
}

fn flatten(v: &toml::Value, prefix: &str) -> Vec<(String, String)> {
    match v {
        toml::Value::Table(t) => t
            .iter()
            .flat_map(|(k, x)| {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(x, &key)
            })
            .collect(),
        other => vec![(prefix.to_string(), other.to_string())],
    }
}
