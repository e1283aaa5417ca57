//! `hwf fetch`: tables from a PxWebApi 2 server (SCB's statistical database, and the other hosts
//! that run PxWeb), saved with the request that made them.
//!
//! One fetch reads the API's `/config` (the most cells per call, the calls per time window), the
//! table's metadata (with any code lists asked for), resolves the selection against it locally
//! (unknown variables and codes are errors naming the table, before any data call), splits a
//! selection larger than `maxDataCells` into calls that each fit, makes them under the rate limit,
//! reads each answer with hwf's own readers and joins them into one [`Table`], checking that every
//! cell asked for came back once. [`save`] writes the table (CSV, Parquet or xlsx, from the
//! extension) and beside it `FILE.source.json`: the API, the resolved selection, every call's URL,
//! body, time of retrieval and SHA-256, and the SHA-256 of the file written, so that a scenario's
//! `[inputs]` can name the file and the run's manifest can trace its numbers to the requests.
//!
//! The client ([`client`]) keeps answers in a cache keyed by the request, so fetching again calls
//! nothing unless asked (`--refresh`).

pub mod client;

use crate::ingest::{self, Limits};
use crate::publish::atomic::{self, PublishError};
use crate::publish::tables::{self, TableFormat};
use crate::table::{Dimension, Status, Table};
use client::{Call, Client};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// SCB's PxWebApi 2, the default `--api`.
pub const SCB_API: &str = "https://statistikdatabasen.scb.se/api/v2";

/// What can go wrong in a fetch. Every message names the table (or what was asked for) and the
/// request.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status (after retries, for 429 and 502–504).
    #[error("{what}: the server answered {status} {} to {method} {url}{}{}", reason(*status), if detail.is_empty() { String::new() } else { format!(": {detail}") }, if *tries > 1 { format!(" (after {tries} tries)") } else { String::new() })]
    Status {
        /// The table or listing asked for.
        what: String,
        /// `GET` or `POST`.
        method: &'static str,
        /// The request's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's own words (problem document or the start of the body).
        detail: String,
        /// Calls made for this request.
        tries: u32,
    },
    /// The call did not complete: unreachable, timed out, cut short, too large.
    #[error("{what}: {url}: {message}")]
    Transport {
        /// The table or listing asked for.
        what: String,
        /// The request's URL.
        url: String,
        /// What happened.
        message: String,
    },
    /// The answer is not what the API promises (not JSON, not JSON-stat, cells missing).
    #[error("{what}: the answer to {url} {message}")]
    Answer {
        /// The table asked for.
        what: String,
        /// The request's URL.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// The selection does not fit the table's metadata.
    #[error("{table}: {message}")]
    Selection {
        /// The table.
        table: String,
        /// What does not fit.
        message: String,
    },
    /// The cache folder cannot be written (reported as a warning by [`run`]; the fetch goes on).
    #[error("cache {}: {message}", path.display())]
    Cache {
        /// The cache folder.
        path: PathBuf,
        /// The underlying error.
        message: String,
    },
    /// A sources file is unreadable or wrong.
    #[error("{}: {message}", path.display())]
    Sources {
        /// The sources file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The output cannot be written, or must not be replaced.
    #[error("{}: {message}", path.display())]
    Output {
        /// The output file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Writing failed.
    #[error(transparent)]
    Publish(#[from] PublishError),
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The format the data calls ask for; both are read by hwf's own readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Via {
    /// JSON-stat 2.0 (the API's default).
    #[default]
    #[serde(rename = "json-stat2")]
    JsonStat2,
    /// PC-Axis.
    #[serde(rename = "px")]
    Px,
}

impl Via {
    /// The API's `outputFormat` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::JsonStat2 => "json-stat2",
            Via::Px => "px",
        }
    }

    /// From the API's `outputFormat` value.
    pub fn parse(s: &str) -> Option<Via> {
        match s.to_ascii_lowercase().as_str() {
            "json-stat2" | "jsonstat2" | "json-stat" => Some(Via::JsonStat2),
            "px" => Some(Via::Px),
            _ => None,
        }
    }
}

/// The server's protocol: PxWebApi 2 (SCB's statistical database since 2025), or the PxWeb API v1
/// that Statistics Norway, Statistics Finland, Statistics Greenland and SCB's older service speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Protocol {
    /// PxWebApi 2: `/config`, `/tables/{id}/metadata`, `POST /tables/{id}/data`.
    #[default]
    #[serde(rename = "v2")]
    V2,
    /// PxWeb API v1: `?config`, `GET` the table's path for its variables, `POST` a query to it.
    #[serde(rename = "v1")]
    V1,
}

impl Protocol {
    /// The protocol an API root speaks by its path: `/v1/` (SCB's `OV0104/v1/doris`) and
    /// `/api/v0/` (Statistics Norway) are v1; anything else is taken as PxWebApi 2.
    pub fn of_api(api: &str) -> Protocol {
        if api.contains("/v1/") || api.contains("/api/v0/") || api.ends_with("/v1") {
            Protocol::V1
        } else {
            Protocol::V2
        }
    }

    /// From `v1`/`v2`.
    pub fn parse(s: &str) -> Option<Protocol> {
        match s.to_ascii_lowercase().as_str() {
            "v1" | "1" => Some(Protocol::V1),
            "v2" | "2" => Some(Protocol::V2),
            _ => None,
        }
    }
}

/// The most data calls one table may take: a selection that the server's `maxDataCells` would cut
/// into more is refused before the first (narrow it, or fetch it in parts).
pub const MAX_CALLS: u64 = 10_000;
/// The longest rate window hwf keeps, in seconds, whatever `/config` says (SCB's is 10 s): a window
/// of a day would make a fetch of two calls wait a day.
pub const MAX_WINDOW_SECS: u64 = 300;

/// Limits assumed for a v1 server that does not answer `?config`: conservative, below every
/// published v1 limit seen (SCB 150 000 cells and 30 calls per 10 s).
pub const V1_ASSUMED: (u64, u64, u64) = (50_000, 10, 10);

/// One table to fetch.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The API's root (e.g. [`SCB_API`]), without a trailing `/`.
    pub api: String,
    /// The server's protocol.
    pub protocol: Protocol,
    /// The table's id (`TAB638`), or on a v1 server its path below the root
    /// (`HE/HE0110/HE0110A/SamForvInk1`, `07221`).
    pub table: String,
    /// The language of labels (`sv`, `en`).
    pub lang: String,
    /// Per variable, the items selected: codes, `*` (all), `PREFIX*`, `from(CODE)`, `to(CODE)`,
    /// `range(CODE,CODE)`. Variables left out are eliminated where the table allows it, else taken
    /// whole.
    pub select: Vec<(String, Vec<String>)>,
    /// Per variable, a code list (value set or aggregation) to apply.
    pub codelists: Vec<(String, String)>,
    /// The format of the data calls.
    pub via: Via,
}

/// Splits a selection text (`01,03,from(2015)`) at the commas outside parentheses.
pub fn split_items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// The API's limits as `/config` states them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiConfig {
    /// The API's version.
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    /// The most cells one data call may return.
    #[serde(rename = "maxDataCells")]
    pub max_data_cells: u64,
    /// The most calls in one time window.
    #[serde(rename = "maxCallsPerTimeWindow")]
    pub max_calls: u64,
    /// The time window, in seconds.
    #[serde(rename = "timeWindow")]
    pub time_window: u64,
}

/// A variable of a table as its metadata describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// Its code (`Region`).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its values' codes, in the table's order.
    pub codes: Vec<String>,
    /// Whether the table may be asked for without it (summed over it or at its total).
    pub elimination: bool,
}

/// A table's metadata: its variables in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    /// The table's label.
    pub label: String,
    /// Its variables.
    pub variables: Vec<Variable>,
}

/// Reads the JSON-stat 2.0 metadata document of PxWebApi 2 (`/tables/{id}/metadata`).
///
/// # Errors
///
/// A message saying what is missing, for [`FetchError::Answer`].
pub fn parse_metadata(bytes: &[u8]) -> Result<Metadata, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| not_json(bytes, &e))?;
    let ids = v
        .get("id")
        .and_then(Value::as_array)
        .ok_or("is not JSON-stat metadata: no \"id\" array")?;
    let dims = v
        .get("dimension")
        .and_then(Value::as_object)
        .ok_or("is not JSON-stat metadata: no \"dimension\" object")?;
    let mut variables = Vec::new();
    for id in ids {
        let id = id.as_str().ok_or("has a non-text dimension id")?;
        let d = dims
            .get(id)
            .ok_or_else(|| format!("names dimension {id:?} in \"id\" but does not describe it"))?;
        let index = d.pointer("/category/index");
        let codes: Vec<String> = match index {
            Some(Value::Array(a)) => a
                .iter()
                .map(|c| c.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| format!("has a non-text code in dimension {id:?}"))?,
            Some(Value::Object(o)) => {
                let mut pairs: Vec<(u64, String)> = Vec::with_capacity(o.len());
                for (code, pos) in o {
                    let p = pos.as_u64().ok_or_else(|| {
                        format!("gives code {code:?} of dimension {id:?} a position that is not a whole number")
                    })?;
                    pairs.push((p, code.clone()));
                }
                pairs.sort();
                if pairs.iter().enumerate().any(|(i, (p, _))| *p != i as u64) {
                    return Err(format!(
                        "gives dimension {id:?} positions that are not 0, 1, 2, …"
                    ));
                }
                pairs.into_iter().map(|(_, c)| c).collect()
            }
            // A dimension with one category may give only its label.
            _ => match d.pointer("/category/label").and_then(Value::as_object) {
                Some(l) if l.len() == 1 => l.keys().cloned().collect(),
                _ => return Err(format!("gives no category index for dimension {id:?}")),
            },
        };
        variables.push(Variable {
            id: id.to_string(),
            label: d
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_string(),
            codes,
            elimination: d
                .pointer("/extension/elimination")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        });
    }
    Ok(Metadata {
        label: v
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        variables,
    })
}

/// Reads a PxWeb API v1 table description (`GET` on the table's path): its title and variables.
///
/// # Errors
///
/// A message saying what is missing, for [`FetchError::Answer`].
pub fn parse_metadata_v1(bytes: &[u8]) -> Result<Metadata, String> {
    #[derive(Deserialize)]
    struct V1Table {
        #[serde(default)]
        title: String,
        variables: Vec<V1Variable>,
    }
    #[derive(Deserialize)]
    struct V1Variable {
        code: String,
        #[serde(default)]
        text: String,
        values: Vec<String>,
        #[serde(default)]
        elimination: bool,
    }
    let t: V1Table = serde_json::from_slice(bytes).map_err(|e| {
        if serde_json::from_slice::<Value>(bytes).is_ok() {
            format!("is not a PxWeb v1 table description ({e})")
        } else {
            not_json(bytes, &e)
        }
    })?;
    Ok(Metadata {
        label: t.title,
        variables: t
            .variables
            .into_iter()
            .map(|v| Variable {
                label: if v.text.is_empty() {
                    v.code.clone()
                } else {
                    v.text
                },
                id: v.code,
                codes: v.values,
                elimination: v.elimination,
            })
            .collect(),
    })
}

/// A message for a body that should have been JSON and is not.
fn not_json(bytes: &[u8], e: &serde_json::Error) -> String {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if bytes.is_empty() {
        "is empty where JSON was expected".into()
    } else {
        format!("is not JSON ({e}); it starts {start:?}")
    }
}

/// The positions `items` select among `var`'s codes, in the table's order, each once.
///
/// # Errors
///
/// A message naming the item that selects nothing or is not understood.
pub fn resolve(var: &Variable, items: &[String]) -> Result<Vec<usize>, String> {
    let pos = |code: &str| -> Result<usize, String> {
        if let Some(p) = var.codes.iter().position(|c| c == code) {
            return Ok(p);
        }
        let folded: Vec<usize> = (0..var.codes.len())
            .filter(|&i| var.codes[i].eq_ignore_ascii_case(code))
            .collect();
        if let [p] = folded[..] {
            return Ok(p);
        }
        let shown: Vec<&str> = var.codes.iter().take(12).map(String::as_str).collect();
        Err(format!(
            "variable {} has no value {code:?}; its values are {}{} ({} in all)",
            var.id,
            shown.join(", "),
            if var.codes.len() > shown.len() {
                ", …"
            } else {
                ""
            },
            var.codes.len()
        ))
    };
    let mut chosen = vec![false; var.codes.len()];
    for item in items {
        let item = item.trim();
        let call = |name: &str| -> Option<&str> {
            let rest = item.get(..name.len())?;
            if !rest.eq_ignore_ascii_case(name) {
                return None;
            }
            item[name.len()..]
                .trim()
                .strip_prefix('(')?
                .strip_suffix(')')
                .map(str::trim)
        };
        let range: Vec<usize> = if item == "*" {
            (0..var.codes.len()).collect()
        } else if let Some(a) = call("from") {
            (pos(a)?..var.codes.len()).collect()
        } else if let Some(b) = call("to") {
            (0..=pos(b)?).collect()
        } else if let Some(args) = call("range") {
            let (a, b) = args
                .split_once(',')
                .ok_or_else(|| format!("{item:?}: expected range(FIRST,LAST)"))?;
            let (a, b) = (pos(a.trim())?, pos(b.trim())?);
            if a > b {
                return Err(format!(
                    "{item:?}: {} comes after {} in variable {}",
                    var.codes[a], var.codes[b], var.id
                ));
            }
            (a..=b).collect()
        } else if let Some(prefix) = item.strip_suffix('*') {
            let r: Vec<usize> = (0..var.codes.len())
                .filter(|&i| var.codes[i].starts_with(prefix))
                .collect();
            if r.is_empty() {
                return Err(format!("{item:?} matches no value of variable {}", var.id));
            }
            r
        } else {
            vec![pos(item)?]
        };
        for i in range {
            chosen[i] = true;
        }
    }
    let out: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i]).collect();
    if out.is_empty() {
        return Err(format!("nothing is selected for variable {}", var.id));
    }
    Ok(out)
}

/// The selection for one variable as sent: its code, code list and value codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Selected {
    /// The variable's code.
    #[serde(rename = "variableCode")]
    pub variable: String,
    /// The code list applied, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub codelist: Option<String>,
    /// The values selected.
    #[serde(rename = "valueCodes")]
    pub values: Vec<String>,
}

/// The selection resolved against the metadata: the variables asked for (eliminated ones left out)
/// with their codes.
///
/// # Errors
///
/// [`FetchError::Selection`] for a variable the table lacks, a code list on a variable not
/// selected, or an item that selects nothing.
pub fn plan(q: &Query, meta: &Metadata) -> Result<Vec<Selected>, FetchError> {
    let sel_err = |message: String| FetchError::Selection {
        table: q.table.clone(),
        message,
    };
    let find = |name: &str| -> Result<usize, FetchError> {
        meta.variables
            .iter()
            .position(|v| v.id == name)
            .or_else(|| {
                meta.variables
                    .iter()
                    .position(|v| v.id.eq_ignore_ascii_case(name))
            })
            .ok_or_else(|| {
                let ids: Vec<&str> = meta.variables.iter().map(|v| v.id.as_str()).collect();
                sel_err(format!(
                    "the table has no variable {name:?}; its variables are {}",
                    ids.join(", ")
                ))
            })
    };
    let mut items: Vec<Option<&Vec<String>>> = vec![None; meta.variables.len()];
    for (name, list) in &q.select {
        let i = find(name)?;
        if items[i].is_some() {
            return Err(sel_err(format!(
                "variable {} is selected twice",
                meta.variables[i].id
            )));
        }
        items[i] = Some(list);
    }
    let mut lists: Vec<Option<String>> = vec![None; meta.variables.len()];
    for (name, id) in &q.codelists {
        lists[find(name)?] = Some(id.clone());
    }
    let mut out = Vec::new();
    for (i, var) in meta.variables.iter().enumerate() {
        let positions = match items[i] {
            Some(list) => resolve(var, list).map_err(sel_err)?,
            None if var.elimination => {
                if lists[i].is_some() {
                    return Err(sel_err(format!(
                        "a code list is given for variable {} but no values are selected (add --select {}=*)",
                        var.id, var.id
                    )));
                }
                continue;
            }
            None => (0..var.codes.len()).collect(),
        };
        out.push(Selected {
            variable: var.id.clone(),
            codelist: lists[i].clone(),
            values: positions.iter().map(|&p| var.codes[p].clone()).collect(),
        });
    }
    if out.is_empty() {
        let ids: Vec<&str> = meta.variables.iter().map(|v| v.id.as_str()).collect();
        return Err(sel_err(format!(
            "nothing is selected and every variable may be left out, which leaves no table; select values of one or more of {}",
            ids.join(", ")
        )));
    }
    Ok(out)
}

/// Splits a selection into selections of at most `max_cells` cells each (the product of their value
/// counts), in row-major order: the largest variables are split first, and a variable is split only
/// when the others together still exceed the limit.
pub fn split(sel: &[Selected], max_cells: u64) -> Vec<Vec<Selected>> {
    let chunk = chunks(sel, max_cells);
    // The calls: the Cartesian product of every variable's chunks, first variable outermost.
    let pieces: Vec<Vec<&[String]>> = sel
        .iter()
        .zip(&chunk)
        .map(|(s, &c)| s.values.chunks(c.max(1)).collect())
        .collect();
    let mut calls = Vec::new();
    let mut idx = vec![0usize; sel.len()];
    loop {
        calls.push(
            sel.iter()
                .enumerate()
                .map(|(v, s)| Selected {
                    variable: s.variable.clone(),
                    codelist: s.codelist.clone(),
                    values: pieces[v][idx[v]].to_vec(),
                })
                .collect(),
        );
        let mut v = sel.len();
        loop {
            if v == 0 {
                return calls;
            }
            v -= 1;
            idx[v] += 1;
            if idx[v] < pieces[v].len() {
                break;
            }
            idx[v] = 0;
        }
    }
}

/// How many calls [`split`] makes of a selection, without making them.
pub fn calls_for(sel: &[Selected], max_cells: u64) -> u128 {
    sel.iter()
        .zip(chunks(sel, max_cells))
        .map(|(s, c)| s.values.len().div_ceil(c.max(1)) as u128)
        .product()
}

/// The chunk length of each variable in [`split`] (its whole length where it is not split).
fn chunks(sel: &[Selected], max_cells: u64) -> Vec<usize> {
    let max_cells = max_cells.max(1) as u128;
    let n: Vec<u128> = sel.iter().map(|s| s.values.len() as u128).collect();
    // Chunk size per variable (its whole length where it is not split).
    let mut chunk: Vec<usize> = sel.iter().map(|s| s.values.len()).collect();
    let mut order: Vec<usize> = (0..sel.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(n[i]));
    let mut rest: u128 = n.iter().product();
    for &i in &order {
        if rest <= max_cells {
            break;
        }
        let others = rest / n[i].max(1);
        if others <= max_cells {
            chunk[i] = ((max_cells / others.max(1)) as usize).max(1);
            break;
        }
        chunk[i] = 1;
        rest = others;
    }
    chunk
}

/// A fetched table with its record.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The table, joined from all calls.
    pub table: Table,
    /// Where it came from.
    pub source: Source,
}

/// The record of a fetch, written beside its output as `FILE.source.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The program and version that fetched it.
    pub fetched_by: String,
    /// The API's root.
    pub api: String,
    /// The server's protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// The table's id.
    pub table: String,
    /// The table's label as the metadata gives it.
    pub label: String,
    /// The language of labels.
    pub lang: String,
    /// The data calls' format.
    pub via: Via,
    /// The selection as asked for (variable → items).
    pub asked: BTreeMap<String, Vec<String>>,
    /// The selection as resolved and sent (eliminated variables left out).
    pub selection: Vec<Selected>,
    /// The API's limits at the time.
    pub config: ApiConfig,
    /// Cells in the table.
    pub cells: u64,
    /// When the publisher last updated the table, as its answer says.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub updated: Option<String>,
    /// The publisher's notes on the table (e.g. SCB's on the cell-key method: totals need not be
    /// the sums of their parts from 2025), which no CSV can carry.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Every call: configuration, metadata and data.
    pub calls: Vec<Call>,
    /// The file written and its SHA-256 (filled in by [`save`]).
    #[serde(default)]
    pub output: Option<Output>,
}

impl Source {
    /// When the last answer behind the table was received from the server (RFC 3339; empty for a
    /// record without calls).
    pub fn retrieved(&self) -> &str {
        self.calls
            .iter()
            .map(|c| c.retrieved.as_str())
            .max()
            .unwrap_or_default()
    }
}

/// A file written by [`save`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Its name (relative to the record's folder).
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// Percent-encodes a URL query component (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An API's configuration, read once per API root per run.
#[derive(Default)]
pub struct Configs {
    known: HashMap<String, (ApiConfig, Option<Call>)>,
}

impl Configs {
    /// The configuration of `api` (calling `/config`, or `?config` on a v1 server, the first
    /// time), and the client kept to its rate limit. A v1 server that does not answer `?config`
    /// gets [`V1_ASSUMED`] (no call recorded).
    ///
    /// # Errors
    ///
    /// As [`Client::call`], and [`FetchError::Answer`] for a `/config` without the limits.
    pub fn of(
        &mut self,
        api: &str,
        protocol: Protocol,
        client: &mut Client,
    ) -> Result<(ApiConfig, Option<Call>), FetchError> {
        if let Some(c) = self.known.get(api) {
            client.limit_rate(
                c.0.max_calls as usize,
                Duration::from_secs(c.0.time_window.min(MAX_WINDOW_SECS)),
            );
            return Ok(c.clone());
        }
        let what = "the API's configuration";
        let found = match protocol {
            Protocol::V2 => {
                let url = format!("{api}/config");
                let a = client.get(what, &url)?;
                let cfg: ApiConfig =
                    serde_json::from_slice(&a.body).map_err(|e| FetchError::Answer {
                        what: what.into(),
                        url: url.clone(),
                        message: if serde_json::from_slice::<Value>(&a.body).is_ok() {
                            format!("lacks the limits a PxWebApi 2 /config states ({e})")
                        } else {
                            not_json(&a.body, &e)
                        },
                    })?;
                (cfg, Some(a.call))
            }
            Protocol::V1 => {
                #[derive(Deserialize)]
                struct V1Config {
                    #[serde(rename = "maxValues")]
                    max_values: u64,
                    #[serde(rename = "maxCalls")]
                    max_calls: u64,
                    #[serde(rename = "timeWindow")]
                    time_window: u64,
                }
                let url = format!("{api}/?config");
                let read = client
                    .get(what, &url)
                    .ok()
                    .and_then(|a| Some((serde_json::from_slice::<V1Config>(&a.body).ok()?, a)));
                match read {
                    Some((c, a)) => (
                        ApiConfig {
                            api_version: "1".into(),
                            max_data_cells: c.max_values,
                            max_calls: c.max_calls,
                            time_window: c.time_window,
                        },
                        Some(a.call),
                    ),
                    None => (
                        ApiConfig {
                            api_version: "1 (no ?config answer: limits assumed)".into(),
                            max_data_cells: V1_ASSUMED.0,
                            max_calls: V1_ASSUMED.1,
                            time_window: V1_ASSUMED.2,
                        },
                        None,
                    ),
                }
            }
        };
        client.limit_rate(
            found.0.max_calls as usize,
            Duration::from_secs(found.0.time_window.min(MAX_WINDOW_SECS)),
        );
        self.known.insert(api.to_string(), found.clone());
        Ok(found)
    }
}

/// Fetches one table: configuration, metadata, the data in as many calls as the API's cell limit
/// needs, joined into one table.
///
/// # Errors
///
/// Every [`FetchError`] but [`FetchError::Sources`] and [`FetchError::Output`].
pub fn fetch(
    q: &Query,
    client: &mut Client,
    configs: &mut Configs,
    limits: &Limits,
) -> Result<Fetched, FetchError> {
    let what = format!("table {}", q.table);
    let (config, config_call) = configs.of(&q.api, q.protocol, client)?;
    let mut calls: Vec<Call> = config_call.into_iter().collect();
    // A v1 table is a path below the root; each segment is encoded, the slashes kept.
    let v1_url = || {
        let path: Vec<String> = q.table.split('/').map(encode).collect();
        format!("{}/{}", q.api, path.join("/"))
    };
    let url = match q.protocol {
        Protocol::V2 => {
            let mut url = format!(
                "{}/tables/{}/metadata?lang={}",
                q.api,
                encode(&q.table),
                encode(&q.lang)
            );
            for (var, list) in &q.codelists {
                url.push_str(&format!("&codelist[{}]={}", encode(var), encode(list)));
            }
            url
        }
        Protocol::V1 => {
            if let Some((var, _)) = q.codelists.first() {
                return Err(FetchError::Selection {
                    table: q.table.clone(),
                    message: format!(
                        "--codelist {var}: code lists are a PxWebApi 2 feature; on a v1 server select the codes"
                    ),
                });
            }
            v1_url()
        }
    };
    let a = client.get(&what, &url)?;
    let parsed = match q.protocol {
        Protocol::V2 => parse_metadata(&a.body),
        Protocol::V1 => parse_metadata_v1(&a.body),
    };
    let meta = parsed.map_err(|message| FetchError::Answer {
        what: what.clone(),
        url: url.clone(),
        message,
    })?;
    calls.push(a.call);
    let selection = plan(q, &meta)?;
    let cells: u128 = selection.iter().map(|s| s.values.len() as u128).product();
    if cells > limits.max_cells as u128 {
        return Err(FetchError::Selection {
            table: q.table.clone(),
            message: format!(
                "the selection has {cells} cells, more than hwf reads into one table ({}; HWF_MAX_CELLS raises it)",
                limits.max_cells
            ),
        });
    }
    let data_url = match q.protocol {
        Protocol::V2 => format!(
            "{}/tables/{}/data?lang={}&outputFormat={}",
            q.api,
            encode(&q.table),
            encode(&q.lang),
            q.via.as_str()
        ),
        Protocol::V1 => v1_url(),
    };
    let name = PathBuf::from(format!(
        "{}.{}",
        q.table,
        match q.via {
            Via::JsonStat2 => "json",
            Via::Px => "px",
        }
    ));
    let max_cells = config.max_data_cells.max(1);
    let calls_needed = calls_for(&selection, max_cells);
    if calls_needed > MAX_CALLS as u128 {
        return Err(FetchError::Selection {
            table: q.table.clone(),
            message: format!(
                "the selection has {cells} cells, which the server's limit of {max_cells} cells per call makes {calls_needed} calls, more than hwf makes for one table ({MAX_CALLS}); narrow the selection or fetch it in parts"
            ),
        });
    }
    let mut parts = Vec::new();
    for part in split(&selection, max_cells) {
        let body = match q.protocol {
            Protocol::V2 => serde_json::json!({ "selection": part }),
            Protocol::V1 => serde_json::json!({
                "query": part.iter().map(|s| serde_json::json!({
                    "code": s.variable,
                    "selection": {"filter": "item", "values": s.values},
                })).collect::<Vec<_>>(),
                "response": {"format": q.via.as_str()},
            }),
        }
        .to_string();
        let a = client.post(&what, &data_url, &body)?;
        let answer_err = |message: String| FetchError::Answer {
            what: what.clone(),
            url: data_url.clone(),
            message,
        };
        // Read once; only an answer that fails is asked whether it is JSON at all (an HTML page
        // from a proxy, say), for a message about that instead of the reader's.
        let t = ingest::read_bytes_with(&name, &a.body, limits).map_err(|e| {
            match serde_json::from_slice::<serde::de::IgnoredAny>(&a.body) {
                Err(j) if q.via == Via::JsonStat2 => answer_err(not_json(&a.body, &j)),
                _ => answer_err(format!("cannot be read: {e}")),
            }
        })?;
        let want: u128 = part.iter().map(|s| s.values.len() as u128).product();
        if t.len() as u128 != want {
            return Err(answer_err(format!(
                "has {} cells where the selection asks for {want}",
                t.len()
            )));
        }
        calls.push(a.call);
        parts.push(t);
    }
    let table = join(parts).map_err(|message| FetchError::Answer {
        what: what.clone(),
        url: data_url.clone(),
        message,
    })?;
    Ok(Fetched {
        source: Source {
            fetched_by: concat!("hwf ", env!("CARGO_PKG_VERSION")).into(),
            api: q.api.clone(),
            protocol: q.protocol,
            table: q.table.clone(),
            label: meta.label,
            lang: q.lang.clone(),
            via: q.via,
            asked: q.select.iter().cloned().collect(),
            selection,
            config,
            cells: table.len() as u64,
            updated: table.meta.updated.clone(),
            notes: table.meta.notes.clone(),
            calls,
            output: None,
        },
        table,
    })
}

/// Joins the tables of several calls into one: categories in order of first appearance, cells in
/// row-major order of the joined dimensions, as one call for the whole selection would give them.
///
/// # Errors
///
/// Tables with different dimensions, or a cell given twice.
pub fn join(mut parts: Vec<Table>) -> Result<Table, String> {
    if parts.len() == 1 {
        return Ok(parts.pop().expect("one part"));
    }
    let Some(first) = parts.first() else {
        return Err("has no data".into());
    };
    let ids: Vec<String> = first.dims.iter().map(|d| d.id.clone()).collect();
    let mut dims: Vec<Dimension> = first
        .dims
        .iter()
        .map(|d| Dimension {
            categories: Vec::new(),
            ..d.clone()
        })
        .collect();
    let mut meta = first.meta.clone();
    let mut index: Vec<HashMap<String, u32>> = vec![HashMap::new(); dims.len()];
    // Rows as (joined keys, value, status, symbol text).
    let mut rows: Vec<(Vec<u32>, f64, Status, Option<String>)> = Vec::new();
    for (n, t) in parts.iter().enumerate() {
        let these: Vec<&str> = t.dims.iter().map(|d| d.id.as_str()).collect();
        if these != ids {
            return Err(format!(
                "of call {} has dimensions {} where the first call's are {}",
                n + 1,
                these.join(", "),
                ids.join(", ")
            ));
        }
        for w in &t.meta.warnings {
            if !meta.warnings.contains(w) {
                meta.warnings.push(w.clone());
            }
        }
        let map: Vec<Vec<u32>> = t
            .dims
            .iter()
            .enumerate()
            .map(|(d, dim)| {
                dim.categories
                    .iter()
                    .map(|c| {
                        *index[d].entry(c.code.clone()).or_insert_with(|| {
                            dims[d].categories.push(c.clone());
                            (dims[d].categories.len() - 1) as u32
                        })
                    })
                    .collect()
            })
            .collect();
        for r in 0..t.len() {
            let keys = (0..t.dims.len())
                .map(|d| map[d][t.keys[d][r] as usize])
                .collect();
            rows.push((
                keys,
                t.values[r],
                t.status[r],
                t.symbol(r).map(str::to_string),
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        let place: Vec<String> = w[0]
            .0
            .iter()
            .enumerate()
            .map(|(d, &k)| format!("{}={}", ids[d], dims[d].categories[k as usize].code))
            .collect();
        return Err(format!("gives cell {} twice", place.join(", ")));
    }
    meta.symbol_names.clear();
    let mut out = Table::new(meta, dims);
    out.reserve(rows.len());
    for (keys, value, status, symbol) in rows {
        let s = match symbol {
            Some(name) => out
                .intern_symbol(&name)
                .ok_or_else(|| "has more distinct status symbols than hwf keeps".to_string())?,
            None => 0,
        };
        out.push(&keys, value, status, s);
    }
    Ok(out)
}

/// The record file beside an output: `FILE.source.json`.
pub fn record_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".source.json");
    out.with_file_name(name)
}

/// Reads the record beside `file`, when there is one.
pub fn read_record(file: &Path) -> Option<Source> {
    let bytes = std::fs::read(record_path(file)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The record beside `file`, whether it describes the file as it is (same SHA-256), and when the
/// last answer behind it was retrieved.
pub fn record_of(file: &Path) -> Option<(Source, bool, String)> {
    use sha2::Digest;
    let rec = read_record(file)?;
    let bytes = std::fs::read(file).ok()?;
    let sum = crate::model::scenario::hex(&sha2::Sha256::digest(&bytes));
    let same = rec.output.as_ref().is_some_and(|o| o.sha256 == sum);
    let when = rec.retrieved().to_string();
    Some((rec, same, when))
}

/// Checks that `out` may be written: a new file, or one an earlier fetch wrote (its record beside
/// it). hwf does not replace a file it did not write.
///
/// # Errors
///
/// [`FetchError::Output`] for an unknown extension or a file of the user's.
pub fn check_output(out: &Path) -> Result<TableFormat, FetchError> {
    let format = TableFormat::from_path(out).ok_or_else(|| FetchError::Output {
        path: out.to_path_buf(),
        message:
            "cannot tell the output format from the extension; expected .csv, .parquet or .xlsx"
                .into(),
    })?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && parent.exists()
        && !parent.is_dir()
    {
        return Err(FetchError::Output {
            path: out.to_path_buf(),
            message: format!("{} is not a folder", parent.display()),
        });
    }
    if out.exists() && read_record(out).is_none() {
        return Err(FetchError::Output {
            path: out.to_path_buf(),
            message: format!(
                "exists and was not written by hwf fetch (no {} beside it); hwf does not replace it: choose another name or move it",
                record_path(out)
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            ),
        });
    }
    Ok(format)
}

/// Writes the table to `out` (format from the extension, its folder made when missing) and its
/// record beside it; either both are written or neither is changed.
///
/// # Errors
///
/// [`FetchError::Output`] as [`check_output`]; [`FetchError::Publish`] when a file cannot be
/// written.
pub fn save(f: &Fetched, out: &Path) -> Result<Source, FetchError> {
    let format = check_output(out)?;
    let bytes = tables::encode(&f.table, out, format)?;
    use sha2::Digest;
    let mut source = f.source.clone();
    source.output = Some(Output {
        file: out
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        sha256: crate::model::scenario::hex(&sha2::Sha256::digest(&bytes)),
    });
    let record = serde_json::to_vec_pretty(&source).expect("a record serialises");
    // A folder the sources file names (`fetched/population.csv`) is made when it is not there.
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| FetchError::Output {
            path: out.to_path_buf(),
            message: format!("cannot make the folder {}: {e}", parent.display()),
        })?;
    }
    let rec_path = record_path(out);
    let old_record = std::fs::read(&rec_path).ok();
    atomic::write(&rec_path, &record)?;
    if let Err(e) = atomic::write(out, &bytes) {
        // Put the record back as it was: it must describe the file beside it.
        match old_record {
            Some(old) => {
                let _ = atomic::write(&rec_path, &old);
            }
            None => {
                let _ = std::fs::remove_file(&rec_path);
            }
        }
        return Err(e.into());
    }
    Ok(source)
}

/// Fetches every table and then writes them: every output is checked before the first call, and
/// nothing is written until every table is in (so a failed set leaves the folder as it was; its
/// answers stay in the cache for the next try). `say` hears a line per table fetched (cells, calls)
/// and per file written, and the readers' warnings.
///
/// # Errors
///
/// The first [`FetchError`] of any table or output.
pub fn run(
    jobs: &[(Query, PathBuf)],
    client: &mut Client,
    limits: &Limits,
    say: &mut dyn FnMut(String),
) -> Result<Vec<Source>, FetchError> {
    for (_, out) in jobs {
        check_output(out)?;
    }
    let mut configs = Configs::default();
    let mut got = Vec::new();
    for (q, out) in jobs {
        let before = client.network_calls;
        let f = fetch(q, client, &mut configs, limits)?;
        let data_calls = f.source.calls.iter().filter(|c| c.method == "POST").count();
        say(format!(
            "{}: {} cell(s) in {data_calls} data call(s) of at most {} cells; {} call(s) to the server, the rest from the cache",
            q.table,
            f.table.len(),
            f.source.config.max_data_cells,
            client.network_calls - before
        ));
        for w in &f.table.meta.warnings {
            say(format!("warning: {}: {w}", q.table));
        }
        got.push((f, out));
    }
    if let Some(why) = client.cache_trouble.take() {
        say(format!(
            "warning: answers not kept in the cache ({why}); the next fetch asks the server again"
        ));
    }
    let mut written = Vec::new();
    for (f, out) in got {
        let source = save(&f, out)?;
        say(format!(
            "wrote {} ({} rows) and {}",
            out.display(),
            source.cells,
            record_path(out).display()
        ));
        written.push(source);
    }
    Ok(written)
}

/// A sources file: the tables an annual forecast takes from the APIs, each with its output file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    api: Option<String>,
    protocol: Option<String>,
    lang: Option<String>,
    via: Option<String>,
    #[serde(rename = "table", default)]
    tables: Vec<SourceTable>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceTable {
    id: String,
    out: PathBuf,
    api: Option<String>,
    protocol: Option<String>,
    lang: Option<String>,
    via: Option<String>,
    #[serde(default)]
    select: toml::Table,
    #[serde(default)]
    codelist: BTreeMap<String, String>,
}

/// Reads a sources file into queries and their output paths (relative to the file's folder).
///
/// # Errors
///
/// [`FetchError::Sources`] naming the file and the table entry.
pub fn read_sources(path: &Path) -> Result<Vec<(Query, PathBuf)>, FetchError> {
    let err = |message: String| FetchError::Sources {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let file: SourcesFile = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    if file.tables.is_empty() {
        return Err(err(
            "names no tables; expected one or more [[table]] entries with id and out".into(),
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    let mut out = Vec::new();
    for (n, t) in file.tables.into_iter().enumerate() {
        let at = format!("[[table]] {} ({})", n + 1, t.id);
        let via_text = t.via.or(file.via.clone());
        let via = match via_text.as_deref() {
            None => Via::default(),
            Some(v) => Via::parse(v).ok_or_else(|| {
                err(format!(
                    "{at}: via = {v:?}; expected \"json-stat2\" or \"px\""
                ))
            })?,
        };
        let mut select = Vec::new();
        for (var, v) in t.select {
            let items = match v {
                toml::Value::String(s) => split_items(&s),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|x| match x {
                        toml::Value::String(s) => Ok(s.trim().to_string()),
                        toml::Value::Integer(i) => Ok(i.to_string()),
                        other => Err(err(format!(
                            "{at}: select.{var} holds {other}; expected codes as text"
                        ))),
                    })
                    .collect::<Result<_, _>>()?,
                other => {
                    return Err(err(format!(
                        "{at}: select.{var} = {other}; expected a text (\"01,03\", \"*\") or a list of codes"
                    )));
                }
            };
            select.push((var, items));
        }
        let target = dir.join(&t.out);
        if let Some(other) = seen.insert(target.clone(), at.clone()) {
            return Err(err(format!(
                "{at}: out = {:?} is also the output of {other}",
                t.out.display().to_string()
            )));
        }
        let api = t
            .api
            .or(file.api.clone())
            .unwrap_or_else(|| SCB_API.to_string())
            .trim_end_matches('/')
            .to_string();
        let protocol = match t.protocol.or(file.protocol.clone()) {
            None => Protocol::of_api(&api),
            Some(p) => Protocol::parse(&p)
                .ok_or_else(|| err(format!("{at}: protocol = {p:?}; expected \"v1\" or \"v2\"")))?,
        };
        out.push((
            Query {
                api,
                protocol,
                table: t.id,
                lang: t.lang.or(file.lang.clone()).unwrap_or_else(|| "sv".into()),
                select,
                codelists: t.codelist.into_iter().collect(),
                via,
            },
            target,
        ));
    }
    Ok(out)
}

/// One table of a listing (`/tables`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TableCard {
    /// Its id.
    pub id: String,
    /// Its label.
    #[serde(default)]
    pub label: String,
    /// First period.
    #[serde(rename = "firstPeriod", default)]
    pub first_period: Option<String>,
    /// Last period.
    #[serde(rename = "lastPeriod", default)]
    pub last_period: Option<String>,
    /// Last update.
    #[serde(default)]
    pub updated: Option<String>,
}

impl TableCard {
    /// The card as `hwf fetch --search` lists it: id, label, first–last period and last update,
    /// separated by tabs (empty where the server gives none).
    pub fn line(&self) -> String {
        format!(
            "{}\t{}\t{}–{}\t{}",
            self.id,
            self.label,
            self.first_period.as_deref().unwrap_or(""),
            self.last_period.as_deref().unwrap_or(""),
            self.updated.as_deref().unwrap_or("")
        )
    }
}

/// Lists the tables matching `query` (all pages, up to `max_pages`), as `/tables` pages them.
/// Returns the cards and the total the server reports.
///
/// # Errors
///
/// As [`Client::call`]; [`FetchError::Answer`] for a page that is not a table listing.
pub fn search(
    api: &str,
    lang: &str,
    query: &str,
    max_pages: u64,
    client: &mut Client,
    configs: &mut Configs,
) -> Result<(Vec<TableCard>, u64), FetchError> {
    configs.of(api, Protocol::V2, client)?;
    let what = format!("tables matching {query:?}");
    let mut cards = Vec::new();
    let mut page = 1u64;
    loop {
        let url = format!(
            "{api}/tables?lang={}&query={}&pageSize=100&pageNumber={page}",
            encode(lang),
            encode(query)
        );
        let a = client.get(&what, &url)?;
        #[derive(Deserialize)]
        struct Page {
            tables: Vec<TableCard>,
            page: Paging,
        }
        #[derive(Deserialize)]
        struct Paging {
            #[serde(rename = "totalPages")]
            total_pages: u64,
            #[serde(rename = "totalElements")]
            total: u64,
        }
        let p: Page = serde_json::from_slice(&a.body).map_err(|e| FetchError::Answer {
            what: what.clone(),
            url: url.clone(),
            message: format!("is not a table listing ({e})"),
        })?;
        cards.extend(p.tables);
        if page >= p.page.total_pages || page >= max_pages {
            return Ok((cards, p.page.total));
        }
        page += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(id: &str, codes: &[&str]) -> Variable {
        Variable {
            id: id.into(),
            label: id.into(),
            codes: codes.iter().map(|c| c.to_string()).collect(),
            elimination: false,
        }
    }

    fn sel(var: &str, n: usize) -> Selected {
        Selected {
            variable: var.into(),
            codelist: None,
            values: (0..n).map(|i| i.to_string()).collect(),
        }
    }

    #[test]
    fn a_query_that_selects_nothing_is_refused() {
        let mut v = var("Kon", &["1", "2"]);
        v.elimination = true;
        let meta = Metadata {
            label: String::new(),
            variables: vec![v],
        };
        let q = Query {
            api: "http://x".into(),
            protocol: Protocol::V2,
            table: "T".into(),
            lang: "sv".into(),
            select: Vec::new(),
            codelists: Vec::new(),
            via: Via::JsonStat2,
        };
        let e = plan(&q, &meta).unwrap_err().to_string();
        assert!(e.contains("nothing is selected"), "{e}");
    }

    #[test]
    fn items_split_at_commas_outside_parentheses() {
        assert_eq!(
            split_items(" 01, 03 ,range(2015, 2020),, *"),
            ["01", "03", "range(2015, 2020)", "*"]
        );
    }

    #[test]
    fn selections_resolve_in_the_tables_order() {
        let tid = var("Tid", &["2019", "2020", "2021", "2022", "2023"]);
        let r = |s: &str| resolve(&tid, &split_items(s));
        assert_eq!(r("2022,2020").unwrap(), [1, 3]);
        assert_eq!(r("from(2021)").unwrap(), [2, 3, 4]);
        assert_eq!(r("TO(2020)").unwrap(), [0, 1]);
        assert_eq!(r("range(2020,2022),2019").unwrap(), [0, 1, 2, 3]);
        assert_eq!(r("202*").unwrap(), [1, 2, 3, 4]);
        assert_eq!(r("*").unwrap().len(), 5);
        assert!(
            r("range(2022,2020)")
                .unwrap_err()
                .contains("2022 comes after 2020")
        );
        assert!(r("1999").unwrap_err().contains("has no value \"1999\""));
        assert!(r("19*").unwrap_err().contains("matches no value"));
        // Codes differing only in case are found when the match is unique (PxWeb binds so).
        let kon = var("Kon", &["TotSa", "1", "2"]);
        assert_eq!(resolve(&kon, &["totsa".into()]).unwrap(), [0]);
    }

    #[test]
    fn large_selections_split_below_the_cell_limit() {
        // 21 × 11 × 3 × 1 × 4 = 2 772 cells at 1 000 a call: the 21 split in sevens (7 × 132 =
        // 924), three calls.
        let s = [
            sel("R", 21),
            sel("A", 11),
            sel("K", 3),
            sel("C", 1),
            sel("T", 4),
        ];
        let calls = split(&s, 1000);
        assert_eq!(calls.len(), 3);
        assert!(
            calls
                .iter()
                .all(|c| c[0].values.len() == 7 && c[1].values.len() == 11)
        );
        // At 100 a call: the 21 one at a time and the 11 in pieces of 8 and 3 (8 × 12 = 96): 42 calls.
        let calls = split(&s, 100);
        assert_eq!(calls.len(), 42);
        let cells: usize = calls
            .iter()
            .map(|c| c.iter().map(|v| v.values.len()).product::<usize>())
            .sum();
        assert_eq!(cells, 2772);
        assert!(
            calls
                .iter()
                .all(|c| c.iter().map(|v| v.values.len()).product::<usize>() <= 100)
        );
        // Row-major: the first variable changes slowest.
        assert_eq!(calls[0][0].values, ["0"]);
        assert_eq!(calls[1][0].values, ["0"]);
        assert_eq!(calls[2][0].values, ["1"]);
        // A selection within the limit is one call.
        assert_eq!(split(&s, 2772).len(), 1);
        // The count without the calls.
        for max in [1, 7, 100, 1000, 2772, 5000] {
            assert_eq!(calls_for(&s, max), split(&s, max).len() as u128, "{max}");
        }
    }

    #[test]
    fn parts_join_in_row_major_order_and_cells_given_twice_are_refused() {
        let part = |a: &[&str], b: &[&str], start: f64| {
            let mut t = Table::new(
                crate::table::TableMeta::default(),
                vec![
                    Dimension::from_codes("a", a.to_vec()),
                    Dimension::from_codes("b", b.to_vec()),
                ],
            );
            let mut v = start;
            for i in 0..a.len() as u32 {
                for j in 0..b.len() as u32 {
                    t.push(&[i, j], v, Status::Observed, 0);
                    v += 1.0;
                }
            }
            t
        };
        // Split on the second variable: the joined table interleaves them again.
        let t = join(vec![
            part(&["x", "y"], &["1"], 10.0),
            part(&["x", "y"], &["2"], 20.0),
        ])
        .unwrap();
        let got: Vec<(String, String, f64)> = (0..t.len())
            .map(|r| (t.code(0, r).into(), t.code(1, r).into(), t.values[r]))
            .collect();
        assert_eq!(
            got,
            [
                ("x".into(), "1".into(), 10.0),
                ("x".into(), "2".into(), 20.0),
                ("y".into(), "1".into(), 11.0),
                ("y".into(), "2".into(), 21.0)
            ]
        );
        let e = join(vec![part(&["x"], &["1"], 1.0), part(&["x"], &["1"], 2.0)]).unwrap_err();
        assert_eq!(e, "gives cell a=x, b=1 twice");
    }
}
