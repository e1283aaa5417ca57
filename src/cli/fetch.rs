//! `hwf fetch`: tables from a PxWeb server, each saved with the request that made it.

use super::CliError;
use super::args::FetchArgs;
use hwf::ingest;
use std::process::ExitCode;

/// `VAR=VALUE` of `--select` and `--codelist`.
fn var_value<'a>(opt: &str, s: &'a str) -> Result<(&'a str, &'a str), String> {
    match s.split_once('=') {
        Some((v, rest)) if !v.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((v.trim(), rest.trim()))
        }
        _ => Err(format!(
            "{opt} {s:?}: expected VARIABLE=VALUES, e.g. Region=01,03"
        )),
    }
}

/// `hwf fetch`: a search, the tables of a sources file, or one table.
pub fn fetch(a: FetchArgs) -> Result<ExitCode, CliError> {
    use hwf::ingest::fetch::{self, client};
    if a.timeout == 0 {
        return Err("--timeout 0: expected seconds, 1 or more".into());
    }
    let limits = ingest::Limits::from_env();
    let mut http = client::Client::new(client::ClientOptions {
        cache: if a.no_cache {
            None
        } else {
            a.cache.or_else(client::ClientOptions::default_cache)
        },
        refresh: a.refresh,
        timeout: std::time::Duration::from_secs(a.timeout),
        max_bytes: limits.max_input_bytes,
    });
    let api = a.api.trim_end_matches('/').to_string();
    if let Some(text) = a.search {
        if a.protocol.unwrap_or_else(|| fetch::Protocol::of_api(&api)) == fetch::Protocol::V1 {
            return Err(format!(
                "--search lists tables through PxWebApi 2's /tables; {api} speaks v1, whose tables are browsed by their path"
            ).into());
        }
        let (cards, total) = fetch::search(
            &api,
            &a.lang,
            &text,
            50,
            &mut http,
            &mut fetch::Configs::default(),
        )?;
        for c in &cards {
            println!("{}", c.line());
        }
        eprintln!("{} of {total} table(s) listed", cards.len());
        return Ok(ExitCode::SUCCESS);
    }
    let jobs = match a.sources {
        Some(path) => fetch::read_sources(&path)?,
        None => {
            let via = a.via;
            let mut select = Vec::new();
            for s in &a.select {
                let (v, items) = var_value("--select", s)?;
                select.push((v.to_string(), fetch::split_items(items)));
            }
            let mut codelists = Vec::new();
            for s in &a.codelist {
                let (v, id) = var_value("--codelist", s)?;
                codelists.push((v.to_string(), id.to_string()));
            }
            let (Some(table), Some(out)) = (a.table, a.out) else {
                return Err("a table id and --out FILE are needed (or --sources FILE)".into());
            };
            let protocol = a.protocol.unwrap_or_else(|| fetch::Protocol::of_api(&api));
            vec![(
                fetch::Query {
                    api,
                    protocol,
                    table,
                    lang: a.lang,
                    select,
                    codelists,
                    via,
                },
                out,
            )]
        }
    };
    fetch::run(&jobs, &mut http, &limits, &mut |line| eprintln!("{line}"))?;
    Ok(ExitCode::SUCCESS)
}
