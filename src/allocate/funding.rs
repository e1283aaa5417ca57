//! Funding streams for regional competence-supply work: a small table format and a per-county view.
//!
//! The format is a CSV with a header `source,recipient,area,period_start,period_end,amount_sek,purpose`:
//! `recipient` is a county code (`23`), `00` for all of Sweden, or empty when the money goes to a
//! programme area (`area`, e.g. `Mellersta Norrland`, which the per-county view spreads over the
//! area's counties by population). `data/allocation/funding_streams.csv` holds the figures in the
//! government's answer on financing regional competence-supply work (seed 000).

use super::spec::AllocationError;
use crate::codes::CodeLists;
use std::collections::BTreeMap;
use std::path::Path;

/// One funding stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    /// Who pays (`Regeringen, anslag 1:1 Regionala tillväxtåtgärder`).
    pub source: String,
    /// County code, `00` for Sweden, or empty.
    pub recipient: String,
    /// Programme area (ESF/ERUF area) when there is no single county.
    pub area: String,
    /// First year.
    pub period_start: i32,
    /// Last year.
    pub period_end: i32,
    /// Amount in kronor over the whole period.
    pub amount_sek: f64,
    /// What it is for.
    pub purpose: String,
}

/// Programme areas (the ESF and regional-fund areas) and their counties.
pub const AREAS: &[(&str, &[&str])] = &[
    ("Övre Norrland", &["24", "25"]),
    ("Mellersta Norrland", &["22", "23"]),
    ("Norra Mellansverige", &["17", "20", "21"]),
    ("Östra Mellansverige", &["03", "04", "05", "18", "19"]),
    ("Stockholm", &["01"]),
    ("Västsverige", &["13", "14"]),
    ("Småland och öarna", &["06", "07", "08", "09"]),
    ("Sydsverige", &["10", "12"]),
];

/// Years a funding period may start and end in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Reads a funding-stream CSV (at most [`Limits::max_input_bytes`](crate::ingest::Limits), and only
/// from an input whose first bytes are text).
///
/// # Errors
///
/// [`AllocationError::Ingest`] for a file that cannot be read or is too large, and everything
/// [`parse`] reports.
pub fn read(path: &Path) -> Result<Vec<Stream>, AllocationError> {
    let text = super::read_text(path)?;
    parse(path, &text)
}

/// Parses a funding-stream CSV held in memory; `path` names it in messages.
///
/// # Errors
///
/// [`AllocationError::File`] for a missing column; [`AllocationError::Row`] with the line for a bad
/// number, a year that is not a whole year in [`YEARS`] (`2020.7` is an error, not 2020), a period
/// that ends before it starts, a negative amount, an unknown county code or an unknown programme
/// area.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Stream>, AllocationError> {
    let err = |message: String| AllocationError::File {
        path: path.to_path_buf(),
        message,
    };
    let row = |line: usize, column: &str, found: String, expected: String| AllocationError::Row {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        found,
        expected,
    };
    let mut rdr = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let need = [
        "source",
        "recipient",
        "area",
        "period_start",
        "period_end",
        "amount_sek",
        "purpose",
    ];
    let idx: Vec<usize> = need
        .iter()
        .map(|n| {
            headers.iter().position(|h| h == n).ok_or_else(|| {
                err(format!(
                    "no column {n:?}; expected the columns {}",
                    need.join(",")
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let codes = CodeLists::get();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(format!("line {line}: {e}")))?;
        let f = |k: usize| rec.get(idx[k]).unwrap_or("").trim().to_string();
        let quoted = |k: usize| format!("{:?}", crate::ingest::error::excerpt(&f(k)));
        let year = |k: usize| -> Result<i32, AllocationError> {
            f(k).parse::<i32>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| {
                    row(
                        line,
                        need[k],
                        quoted(k),
                        format!(
                            "a whole year from {} to {} (a period runs over whole years)",
                            YEARS.start(),
                            YEARS.end()
                        ),
                    )
                })
        };
        let period_start = year(3)?;
        let period_end = year(4)?;
        let amount_sek = f(5)
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| {
                row(
                    line,
                    need[5],
                    quoted(5),
                    "an amount of kronor, zero or more".into(),
                )
            })?;
        let s = Stream {
            source: f(0),
            recipient: f(1),
            area: f(2),
            period_start,
            period_end,
            amount_sek,
            purpose: f(6),
        };
        if s.period_end < s.period_start {
            return Err(row(
                line,
                "period_end",
                format!("the period {}–{}", s.period_start, s.period_end),
                "an end no earlier than the start".into(),
            ));
        }
        if !s.recipient.is_empty() && s.recipient != "00" && codes.county(&s.recipient).is_none() {
            return Err(row(
                line,
                "recipient",
                quoted(1),
                "a county code or 00".into(),
            ));
        }
        if s.recipient.is_empty() && !AREAS.iter().any(|(a, _)| *a == s.area) {
            return Err(row(
                line,
                "area",
                quoted(2),
                format!(
                    "a county code in recipient or one of {}",
                    AREAS.iter().map(|a| a.0).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        out.push(s);
    }
    Ok(out)
}

/// Money per county and year, in kronor: each stream spread evenly over its years, an area's stream
/// over its counties by population (`population`: county code → inhabitants). National streams
/// (`00`) are left out: they are not earmarked for a county.
pub fn per_county_year(
    streams: &[Stream],
    population: &BTreeMap<String, f64>,
) -> BTreeMap<(String, i32), f64> {
    let mut out = BTreeMap::new();
    for s in streams {
        let years = (s.period_end - s.period_start + 1) as f64;
        let targets: Vec<(String, f64)> = if s.recipient.is_empty() {
            let counties = AREAS
                .iter()
                .find(|(a, _)| *a == s.area)
                .map(|a| a.1)
                .unwrap_or(&[]);
            let pop: f64 = counties
                .iter()
                .map(|c| population.get(*c).copied().unwrap_or(0.0))
                .sum();
            counties
                .iter()
                .map(|c| {
                    (
                        c.to_string(),
                        if pop > 0.0 {
                            population.get(*c).copied().unwrap_or(0.0) / pop
                        } else {
                            0.0
                        },
                    )
                })
                .collect()
        } else if s.recipient == "00" {
            Vec::new()
        } else {
            vec![(s.recipient.clone(), 1.0)]
        };
        for y in s.period_start..=s.period_end {
            for (c, share) in &targets {
                *out.entry((c.clone(), y)).or_insert(0.0) += s.amount_sek * share / years;
            }
        }
    }
    out
}

/// The embedded default population by county in its last year: (that year, county code →
/// inhabitants), for the per-inhabitant view of `hwf allocate funding`.
///
/// # Errors
///
/// [`AllocationError::File`] if the embedded table lacks a county or year dimension.
pub fn default_population() -> Result<(String, BTreeMap<String, f64>), AllocationError> {
    let missing = |what: &str| AllocationError::File {
        path: "embedded:population.px".into(),
        message: format!("the default population has no {what} dimension"),
    };
    let t = crate::defaults::table("population.px")?;
    let county = t.dim_index("county").ok_or_else(|| missing("county"))?;
    let year = t.dim_index("year").ok_or_else(|| missing("year"))?;
    let last = t.dims[year]
        .categories
        .last()
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let mut pop = BTreeMap::new();
    for r in 0..t.len() {
        if t.code(year, r) == last
            && let Some(v) = t.value(r)
        {
            *pop.entry(t.code(county, r).to_string()).or_insert(0.0) += v;
        }
    }
    Ok((last, pop))
}

/// The kronor of the national streams (`00`), which no county view holds.
pub fn national(streams: &[Stream]) -> f64 {
    streams
        .iter()
        .filter(|s| s.recipient == "00")
        .map(|s| s.amount_sek)
        .sum()
}

/// The funding streams for people (`hwf allocate funding`): kronor per county and year, and per
/// inhabitant of the embedded default population's last year, a line each, tab-separated under a
/// header; then the national streams, which no county holds.
///
/// # Errors
///
/// As [`default_population`].
pub fn summary(streams: &[Stream]) -> Result<String, AllocationError> {
    use std::fmt::Write as _;
    let (last, pop) = default_population()?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "county\tyear\tkronor\tkronor per inhabitant ({last} population, synthetic default data)"
    );
    for ((c, y), v) in &per_county_year(streams, &pop) {
        let p = pop.get(c).copied().unwrap_or(f64::NAN);
        let _ = writeln!(s, "{c}\t{y}\t{v:.0}\t{:.2}", v / p);
    }
    let _ = writeln!(
        s,
        "national streams not earmarked for a county: {:.0} kr",
        national(streams)
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "source,recipient,area,period_start,period_end,amount_sek,purpose\n";

    #[test]
    fn periods_are_whole_years_in_range_checked_early() {
        let p = Path::new("f.csv");
        let e = parse(p, &format!("{HEAD}a,23,,0,4000000000,1,x\n")).unwrap_err();
        assert!(
            matches!(&e, AllocationError::Row { line: 2, column, .. } if column == "period_start"),
            "{e}"
        );
        let e = parse(p, &format!("{HEAD}a,23,,2020,4000000000,1,x\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.csv:2: period_end \"4000000000\"; expected a whole year from 1900 to 2100 (a period runs over whole years)"
        );
        let e = parse(p, &format!("{HEAD}a,23,,2020.7,2021.2,1,x\n")).unwrap_err();
        assert!(e.to_string().contains("\"2020.7\""), "{e}");
        let e = parse(p, &format!("{HEAD}a,23,,2021,2020,1,x\n")).unwrap_err();
        assert!(matches!(e, AllocationError::Row { line: 2, .. }), "{e}");
        let ok = parse(p, &format!("{HEAD}a,23,,2020,2021,10,x\n")).unwrap();
        assert_eq!((ok[0].period_start, ok[0].period_end), (2020, 2021));
    }

    #[test]
    fn areas_cover_every_county_once() {
        let mut all: Vec<&str> = AREAS.iter().flat_map(|a| a.1.iter().copied()).collect();
        all.sort();
        let counties: Vec<&str> = CodeLists::get()
            .counties
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(all, counties);
    }

    #[test]
    fn streams_spread_over_years_and_counties() {
        let s = vec![
            Stream {
                source: "ESF".into(),
                recipient: String::new(),
                area: "Mellersta Norrland".into(),
                period_start: 2014,
                period_end: 2020,
                amount_sek: 77e6,
                purpose: "x".into(),
            },
            Stream {
                source: "1:1".into(),
                recipient: "23".into(),
                area: String::new(),
                period_start: 2020,
                period_end: 2020,
                amount_sek: 113e6,
                purpose: "y".into(),
            },
        ];
        let pop: BTreeMap<String, f64> =
            [("22".to_string(), 300.0), ("23".to_string(), 100.0)].into();
        let m = per_county_year(&s, &pop);
        // ESF: 77 M over 7 years = 11 M a year; Jämtland has 1/4 of the area's people: 2.75 M.
        assert!((m[&("23".to_string(), 2014)] - 2.75e6).abs() < 1e-6);
        assert!((m[&("22".to_string(), 2014)] - 8.25e6).abs() < 1e-6);
        assert!((m[&("23".to_string(), 2020)] - (2.75e6 + 113e6)).abs() < 1e-6);
    }
}
