//! Auditing a published distribution: what its amounts imply about a key that cannot be seen.
//!
//! # Formula
//!
//! With published amounts `a_i`, floor `f`, total `T` and `n` recipients, the variable part is
//! `v_i = a_i − f` and the **variable share** `s_i = v_i / Σ v`. If the key is `w · p_i + (1 − w) ·
//! q_i`, with `p_i` an available indicator's share (population) and `q_i` an unavailable one's
//! (persons receiving municipal health care), then
//!
//! ```text
//! q_i(w) = (s_i − w · p_i) / (1 − w)
//! ```
//!
//! Every `q_i` is non-negative exactly when `w ≤ w_max = min_i s_i / p_i`: a weight above `w_max`
//! (or a recipient paid less than the floor, which makes `s_i < 0`) means the table cannot come from
//! the stated key. The recipients with the lowest `s_i / p_i` bind the range.

use super::spec::AllocationError;
use crate::codes::CodeLists;
use std::collections::HashMap;
use std::path::Path;

/// One recipient in an audit.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The published amount.
    pub amount: u64,
    /// `s_i`, the share of the variable part.
    pub variable_share: f64,
    /// `p_i`, the available indicator's share.
    pub indicator_share: f64,
    /// `s_i / p_i`.
    pub ratio: f64,
    /// `q_i(w)` at the weight asked for, if one was.
    pub implied_share: Option<f64>,
}

/// The result of an audit.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    /// The published amounts' sum.
    pub published_total: u64,
    /// The stated total.
    pub total: u64,
    /// The floor.
    pub floor: u64,
    /// Per recipient, in published order.
    pub lines: Vec<AuditLine>,
    /// Largest weight of the available indicator for which every implied share is non-negative.
    pub w_max: f64,
    /// The weight asked about, if any.
    pub weight: Option<f64>,
    /// Recipients paid below the floor (codes).
    pub below_floor: Vec<String>,
}

impl Audit {
    /// The `k` recipients that bind `w_max`, lowest ratio first.
    pub fn binding(&self, k: usize) -> Vec<&AuditLine> {
        let mut v: Vec<&AuditLine> = self.lines.iter().collect();
        v.sort_by(|a, b| a.ratio.total_cmp(&b.ratio).then(a.code.cmp(&b.code)));
        v.truncate(k);
        v
    }

    /// Whether the published table can come from the key at the weight asked about.
    pub fn consistent(&self) -> bool {
        self.below_floor.is_empty()
            && self.published_total == self.total
            && self.weight.is_none_or(|w| w <= self.w_max + 1e-12)
    }
}

/// Reads published amounts: a CSV with a code column (`code`, `kod`, `kommunkod`) and an amount
/// column (`amount_kr`, `amount`, `belopp`).
///
/// # Errors
///
/// [`AllocationError::Ingest`] for an unreadable or too large file, [`AllocationError::File`] for
/// missing columns, and [`AllocationError::Row`] with the line for an amount that is not a whole
/// number, a code not in the code list, or a recipient listed twice.
pub fn read_published(path: &Path) -> Result<Vec<(String, String, u64)>, AllocationError> {
    let text = super::read_text(path)?;
    parse_published(path, &text)
}

/// Parses published amounts held in memory; `path` names the file in messages.
///
/// # Errors
///
/// As [`read_published`].
pub fn parse_published(
    path: &Path,
    text: &str,
) -> Result<Vec<(String, String, u64)>, AllocationError> {
    let err = |message: String| AllocationError::File {
        path: path.to_path_buf(),
        message,
    };
    let row = |line: usize, column: &str, found: String, expected: &str| AllocationError::Row {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        found,
        expected: expected.to_string(),
    };
    let text = text.trim_start_matches('\u{feff}');
    let delim = crate::ingest::csv::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let code_col = col(&["code", "kod", "kommunkod", "länskod"]).ok_or_else(|| {
        err(format!(
            "no code column among {headers:?}; expected code, kod or kommunkod"
        ))
    })?;
    let amount_col = col(&["amount_kr", "amount", "belopp", "belopp_kr"]).ok_or_else(|| {
        err(format!(
            "no amount column among {headers:?}; expected amount_kr, amount or belopp"
        ))
    })?;
    let name_col = col(&["name", "namn", "kommun"]);
    let codes = CodeLists::get();
    let mut out = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(format!("line {line}: {e}")))?;
        let code = rec.get(code_col).unwrap_or("").trim().to_string();
        let raw = rec.get(amount_col).unwrap_or("").trim();
        let amount: u64 = raw
            .replace([' ', '\u{a0}'], "")
            .trim_end_matches("kr")
            .parse()
            .map_err(|_| {
                row(
                    line,
                    &headers[amount_col],
                    format!("{:?}", crate::ingest::error::excerpt(raw)),
                    "whole kronor",
                )
            })?;
        let name = match name_col.and_then(|c| rec.get(c)) {
            Some(n) => n.trim().to_string(),
            None => codes
                .municipality(&code)
                .map(|m| m.name_sv.clone())
                .unwrap_or_default(),
        };
        if codes.municipality(&code).is_none() && codes.county(&code).is_none() {
            return Err(row(
                line,
                &headers[code_col],
                format!("{:?}", crate::ingest::error::excerpt(&code)),
                "a municipality or county code",
            ));
        }
        if let Some(first) = first_line.insert(code.clone(), line) {
            return Err(row(
                line,
                &headers[code_col],
                format!("{code:?} a second time (first at line {first})"),
                "each recipient once (a recipient split over two rows changes every share)",
            ));
        }
        out.push((code, name, amount));
    }
    Ok(out)
}

/// Checks that a published table lists every recipient of its kind (all municipalities, or all
/// counties), naming the ones it leaves out: the shares of a partial table cannot be set against
/// the key's.
///
/// # Errors
///
/// [`AllocationError::Degenerate`] naming the missing recipients (the first ten, and how many).
pub fn check_coverage(published: &[(String, String, u64)]) -> Result<(), AllocationError> {
    let codes = CodeLists::get();
    let municipal = published.iter().any(|p| codes.municipality(&p.0).is_some());
    let all: Vec<(String, String)> = if municipal {
        codes
            .municipalities
            .iter()
            .map(|m| (m.code.clone(), m.name_sv.clone()))
            .collect()
    } else {
        codes
            .counties
            .iter()
            .map(|c| (c.code.clone(), c.name_sv.clone()))
            .collect()
    };
    let listed: std::collections::HashSet<&str> = published.iter().map(|p| p.0.as_str()).collect();
    let missing: Vec<String> = all
        .iter()
        .filter(|(c, _)| !listed.contains(c.as_str()))
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let kind = if municipal {
        "municipalities"
    } else {
        "counties"
    };
    let shown = missing
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if missing.len() > 10 {
        format!(" and {} more", missing.len() - 10)
    } else {
        String::new()
    };
    Err(AllocationError::Degenerate {
        found: format!(
            "the published table lists {} of the {} {kind}; missing: {shown}{more}",
            all.len() - missing.len(),
            all.len()
        ),
        cannot: format!(
            "the variable shares of a partial table cannot be set against the key's, so w_max \
             cannot be inferred; expected every one of the {kind} once"
        ),
    })
}

/// Audits published amounts against an available indicator (code → value).
///
/// # Errors
///
/// [`AllocationError::Degenerate`] for a recipient listed twice, a table that leaves recipients out
/// (see [`check_coverage`]) or one where every recipient got the floor (no variable part: nothing
/// about the key can be inferred); [`AllocationError::Overflow`] for amounts whose sum does not fit;
/// [`AllocationError::Indicator`] for a recipient without an indicator value or with a zero one.
pub fn audit(
    published: &[(String, String, u64)],
    indicator: &HashMap<String, f64>,
    total: u64,
    floor: u64,
    weight: Option<f64>,
) -> Result<Audit, AllocationError> {
    if let Some(w) = weight
        && !(0.0..1.0).contains(&w)
    {
        return Err(AllocationError::Spec {
            key: "weight".into(),
            found: format!("{w}"),
            expected: "a weight of the available indicator from 0 up to (not including) 1".into(),
        });
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (k, p) in published.iter().enumerate() {
        if let Some(first) = seen.insert(p.0.as_str(), k) {
            return Err(AllocationError::Degenerate {
                found: format!(
                    "the recipient {} {} twice (rows {} and {} of the published amounts)",
                    p.0,
                    p.1,
                    first + 1,
                    k + 1
                ),
                cannot: "its share of the variable part is ambiguous, and so is every ratio; \
                         expected each recipient once"
                    .into(),
            });
        }
    }
    check_coverage(published)?;
    let published_total = published
        .iter()
        .try_fold(0u64, |acc, p| acc.checked_add(p.2))
        .ok_or_else(|| AllocationError::Overflow {
            what: "the published amounts' sum".into(),
            found: format!("{} amounts whose sum passes 2^64 − 1", published.len()),
            expected: format!("amounts summing to at most {} kr", super::MAX_EXACT_TOTAL),
        })?;
    let v_sum: f64 = published.iter().map(|p| p.2 as f64 - floor as f64).sum();
    if published.iter().all(|p| p.2 == floor) || v_sum <= 0.0 {
        return Err(AllocationError::Degenerate {
            found: if published.iter().all(|p| p.2 == floor) {
                format!(
                    "every one of the {} recipients was paid the floor of {floor} kr",
                    published.len()
                )
            } else {
                format!("the amounts above the floor of {floor} kr sum to {v_sum} kr")
            },
            cannot: "with no variable part the amounts say nothing about the key: the variable \
                     shares, w_max and the implied shares cannot be inferred"
                .into(),
        });
    }
    let mut p_sum = 0.0;
    for (code, name, _) in published {
        let x = indicator
            .get(code)
            .copied()
            .ok_or_else(|| AllocationError::Indicator {
                indicator: "available indicator".into(),
                recipient: format!("{code} {name}"),
                found: "no value".into(),
                expected: "a value for every recipient of the published table".into(),
            })?;
        if x <= 0.0 {
            return Err(AllocationError::Indicator {
                indicator: "available indicator".into(),
                recipient: format!("{code} {name}"),
                found: format!("the value {x}"),
                expected: "a positive value".into(),
            });
        }
        p_sum += x;
    }
    let lines: Vec<AuditLine> = published
        .iter()
        .map(|(code, name, amount)| {
            let s = (*amount as f64 - floor as f64) / v_sum;
            let p = indicator[code] / p_sum;
            AuditLine {
                code: code.clone(),
                name: name.clone(),
                amount: *amount,
                variable_share: s,
                indicator_share: p,
                ratio: s / p,
                implied_share: weight.map(|w| (s - w * p) / (1.0 - w)),
            }
        })
        .collect();
    let w_max = lines
        .iter()
        .map(|l| l.ratio)
        .fold(f64::INFINITY, f64::min)
        .min(1.0);
    let below_floor = published
        .iter()
        .filter(|p| p.2 < floor)
        .map(|p| p.0.clone())
        .collect();
    Ok(Audit {
        published_total,
        total,
        floor,
        lines,
        w_max,
        weight,
        below_floor,
    })
}

/// What `hwf allocate audit` runs: the published amounts (`published`, checked to cover every
/// recipient of their kind) against an indicator table (`indicator`, of the recipients the published
/// table names; `year` picks its year), with the stated total and floor and, where given, the
/// weight of the available indicator to evaluate.
///
/// # Errors
///
/// The published file's and the indicator table's read errors; [`check_coverage`]'s and [`audit`]'s,
/// named by the published file.
pub fn audit_files(
    published: &Path,
    total: u64,
    floor: u64,
    indicator: &Path,
    year: Option<String>,
    weight: Option<f64>,
) -> Result<Audit, AllocationError> {
    let at = |e: AllocationError| AllocationError::File {
        path: published.to_path_buf(),
        message: e.to_string(),
    };
    let pubd = read_published(published)?;
    // Before the indicator is read: a partial table is the table's fault, not the indicator's.
    check_coverage(&pubd).map_err(at)?;
    let t = crate::ingest::read_table(indicator)?;
    let recips: Vec<super::Recipient> = super::recipients("municipalities")?
        .into_iter()
        .chain(super::recipients("counties")?)
        .filter(|r| pubd.iter().any(|p| p.0 == r.code))
        .collect();
    let ind = super::Indicator {
        name: "indicator".into(),
        table: indicator.to_path_buf(),
        year,
        stand_in_year: None,
        weight: 1.0,
    };
    let vals = super::spec::indicator_values(&t, &ind, &recips)?;
    let map: HashMap<String, f64> = recips
        .iter()
        .zip(&vals)
        .map(|(r, v)| (r.code.clone(), v.value))
        .collect();
    audit(&pubd, &map, total, floor, weight).map_err(at)
}

impl Audit {
    /// The audit per recipient as CSV: code, name, amount, the variable and indicator shares, their
    /// ratio and the implied share of the unavailable indicator (at the weight evaluated; empty
    /// without one), shares to ten decimals.
    pub fn csv_bytes(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "code",
            "name",
            "amount_kr",
            "variable_share",
            "indicator_share",
            "ratio",
            "implied_share",
        ]);
        for l in &self.lines {
            let _ = w.write_record([
                l.code.clone(),
                l.name.clone(),
                l.amount.to_string(),
                format!("{:.10}", l.variable_share),
                format!("{:.10}", l.indicator_share),
                format!("{:.10}", l.ratio),
                l.implied_share
                    .map(|q| format!("{q:.10}"))
                    .unwrap_or_default(),
            ]);
        }
        w.into_inner().unwrap_or_default()
    }

    /// The audit for people (`hwf allocate audit`): the published and stated totals, recipients
    /// paid below the floor, `w_max` and the five recipients that bind it, and at the weight
    /// evaluated the smallest implied share and whether the stated key is consistent.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "published: {} recipients, {} kr (stated total {} kr{})",
            self.lines.len(),
            self.published_total,
            self.total,
            if self.published_total == self.total {
                ", equal"
            } else {
                ", DIFFERENT"
            }
        );
        if !self.below_floor.is_empty() {
            let _ = writeln!(
                s,
                "paid below the floor of {} kr: {}",
                self.floor,
                self.below_floor.join(", ")
            );
        }
        let _ = writeln!(
            s,
            "every implied share of the unavailable indicator is non-negative for a weight of the available one up to w_max = {:.4}",
            self.w_max
        );
        let _ = writeln!(
            s,
            "recipients that bind the range (lowest variable share / indicator share):"
        );
        for l in self.binding(5) {
            let _ = writeln!(
                s,
                "  {} {:<20} amount {:>9}  variable share {:.6}  indicator share {:.6}  ratio {:.4}",
                l.code, l.name, l.amount, l.variable_share, l.indicator_share, l.ratio
            );
        }
        if let Some(w) = self.weight {
            let min = self
                .lines
                .iter()
                .filter_map(|l| l.implied_share.map(|q| (q, l)))
                .min_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((q, l)) = min {
                let _ = writeln!(
                    s,
                    "at weight {w}: smallest implied share {q:.6} ({} {})",
                    l.code, l.name
                );
            }
            let _ = writeln!(
                s,
                "{}",
                if self.consistent() {
                    "consistent with the stated key"
                } else {
                    "INCONSISTENT: the stated key would need a negative share"
                }
            );
        }
        s
    }
}
