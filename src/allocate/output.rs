//! Writing an allocation: a tidy CSV (plain and Swedish Excel style), an xlsx workbook, and a short
//! self-contained HTML summary (amount per inhabitant by county, the floor's effect), all into one
//! folder that appears whole or not at all.

use super::{Allocation, Line};
use crate::codes::CodeLists;
use crate::publish::atomic::{self, PublishError};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const HEADER: [&str; 9] = [
    "code",
    "name",
    "county",
    "amount_kr",
    "floor_kr",
    "variable_kr",
    "key_share",
    "capped",
    "stand_in",
];

/// [`HEADER`] in Swedish, for `allocation_sv.csv` and the workbook (names that
/// [`super::audit::read_published`] reads back: `kod`, `namn`, `belopp_kr`).
const HEADER_SV: [&str; 9] = [
    "kod",
    "namn",
    "län",
    "belopp_kr",
    "golv_kr",
    "rörligt_kr",
    "nyckelandel",
    "tak_nått",
    "ersättningsvärde",
];

fn row(a: &Allocation, l: &Line, swedish: bool) -> Vec<String> {
    let comma = |s: String| if swedish { s.replace('.', ",") } else { s };
    let num = |x: f64| comma(format!("{x:.10}"));
    let (yes, no) = if swedish {
        ("ja", "nej")
    } else {
        ("yes", "no")
    };
    let stand_ins: Vec<String> = a
        .indicators
        .iter()
        .zip(&l.values)
        .filter(|(_, v)| v.stand_in)
        .map(|(n, v)| format!("{n} {}", v.year))
        .collect();
    let mut r = vec![
        l.recipient.code.clone(),
        l.recipient.name.clone(),
        l.recipient.county.clone(),
        l.amount.to_string(),
        a.floor.min(l.amount).to_string(),
        l.amount.saturating_sub(a.floor).to_string(),
        num(l.key_share),
        if l.capped { yes } else { no }.to_string(),
        stand_ins.join("; "),
    ];
    for v in &l.values {
        r.push(comma(crate::ingest::grid::format_number(v.value)));
        r.push(v.year.clone());
    }
    r
}

fn header(a: &Allocation, swedish: bool) -> Vec<String> {
    let names = if swedish { &HEADER_SV } else { &HEADER };
    let mut h: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    for n in &a.indicators {
        h.push(n.clone());
        h.push(format!("{n}_{}", if swedish { "år" } else { "year" }));
    }
    h
}

/// The allocation as CSV bytes, in the appendix's order: plain (English column names, `,`,
/// decimal point) or, with `swedish`, as Swedish Excel opens it (byte-order mark, `;`, decimal
/// comma, Swedish column names and ja/nej).
pub fn csv_bytes(a: &Allocation, swedish: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if swedish {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(if swedish { b';' } else { b',' })
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let _ = w.write_record(header(a, swedish));
    for l in a.in_appendix_order() {
        let _ = w.write_record(row(a, l, swedish));
    }
    w.into_inner().unwrap_or_default()
}

/// The allocation as an xlsx workbook (sheet `fördelning`).
///
/// # Errors
///
/// The encoder's error.
pub fn xlsx_bytes(a: &Allocation) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let ws = wb.add_worksheet();
    ws.set_name("fördelning")?;
    let bold = Format::new().set_bold();
    for (c, h) in header(a, true).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, l) in a.in_appendix_order().into_iter().enumerate() {
        // Numbers are written as numbers (parsed from the plain row), words in Swedish.
        let plain = row(a, l, false);
        let words = row(a, l, true);
        for (c, (v, w)) in plain.iter().zip(&words).enumerate() {
            let (rr, cc) = (r as u32 + 1, c as u16);
            // Amounts and indicator values as numbers; codes stay text (leading zeros).
            let numeric =
                matches!(c, 3..=6) || (c >= HEADER.len() && (c - HEADER.len()).is_multiple_of(2));
            match v.parse::<f64>() {
                Ok(x) if numeric => ws.write_number(rr, cc, x)?,
                _ => ws.write_string(rr, cc, w)?,
            };
        }
    }
    wb.save_to_buffer()
}

/// Inhabitants per county from the indicator named like a population (`population`, `befolkning`,
/// `folkmängd`), if there is one.
fn population_by_county(a: &Allocation) -> Option<BTreeMap<String, f64>> {
    let j = a.indicators.iter().position(|n| {
        let n = n.to_lowercase();
        n.contains("population") || n.contains("befolkning") || n.contains("folkmängd")
    })?;
    let mut m = BTreeMap::new();
    for l in &a.lines {
        *m.entry(l.recipient.county.clone()).or_insert(0.0) += l.values[j].value;
    }
    Some(m)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn kr(x: f64) -> String {
    // Swedish grouping with a narrow no-break space.
    let n = x.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if n < 0 { format!("−{out}") } else { out }
}

/// A self-contained HTML summary in Swedish.
pub fn summary_html(a: &Allocation, title: &str) -> String {
    let n = a.lines.len();
    let floors = a.floor as f64 * n as f64;
    // The floor's effect: against a purely proportional split of the whole total by the same key.
    let mut effect: Vec<(f64, &Line)> = a
        .lines
        .iter()
        .map(|l| (l.amount as f64 - a.total as f64 * l.key_share, l))
        .collect();
    effect.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(x.1.recipient.code.cmp(&y.1.recipient.code))
    });
    let gainers = effect.iter().filter(|e| e.0 > 0.0).count();
    let stand_ins = a
        .lines
        .iter()
        .filter(|l| l.values.iter().any(|v| v.stand_in))
        .count();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{t}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}}\
         table{{border-collapse:collapse;margin:1rem 0}}td,th{{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:right}}\
         td:first-child,th:first-child{{text-align:left}}.bar{{fill:#1f6fb2}}caption{{text-align:left;font-weight:bold}}\
         @media print{{body{{margin:0}}}}</style></head><body><h1>{t}</h1>",
        t = esc(if title.is_empty() {
            "Fördelning av medel"
        } else {
            title
        })
    );
    let _ = write!(
        h,
        "<p>Totalt <b>{} kr</b> till {n} mottagare; minimibelopp {} kr (sammanlagt {} kr, {:.1} % av totalen). \
         Fördelningsnyckel: {}. Belopp avrundade till hela kronor med största-resten-metoden så att summan blir exakt totalen.</p>",
        kr(a.total as f64),
        kr(a.floor as f64),
        kr(floors),
        100.0 * floors / a.total as f64,
        esc(&a.indicators.join(", ")),
    );
    if stand_ins > 0 {
        let _ = write!(
            h,
            "<p>{stand_ins} mottagare saknade uppgift för det valda året; ett ersättningsår har använts (se kolumnen <code>stand_in</code>).</p>"
        );
    }
    let _ = write!(
        h,
        "<h2>Minimibeloppets effekt</h2><p>Jämfört med en rent proportionell fördelning av hela summan efter samma nyckel \
         får {gainers} av {n} mottagare mer tack vare minimibeloppet. Störst effekt:</p><table><tr><th>Mottagare</th><th>Belopp, kr</th><th>Utan minimibelopp, kr</th><th>Skillnad, kr</th></tr>"
    );
    for (d, l) in effect.iter().take(8) {
        let _ = write!(
            h,
            "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>+{}</td></tr>",
            esc(&l.recipient.code),
            esc(&l.recipient.name),
            kr(l.amount as f64),
            kr(a.total as f64 * l.key_share),
            kr(*d)
        );
    }
    h.push_str("</table>");
    if let Some(pop) = population_by_county(a) {
        let mut money: BTreeMap<String, f64> = BTreeMap::new();
        for l in &a.lines {
            *money.entry(l.recipient.county.clone()).or_insert(0.0) += l.amount as f64;
        }
        let rows: Vec<(String, f64, f64)> = money
            .iter()
            .map(|(c, m)| {
                let name = CodeLists::get()
                    .county(c)
                    .map(|k| k.name_sv.clone())
                    .unwrap_or_else(|| c.clone());
                (name, *m, m / pop.get(c).copied().unwrap_or(f64::NAN))
            })
            .collect();
        let max = rows.iter().map(|r| r.2).fold(0.0, f64::max);
        let bar_h = 18.0;
        let width = 560.0;
        let _ = write!(
            h,
            "<h2>Belopp per invånare och län</h2><svg role=\"img\" aria-label=\"Belopp per invånare och län\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">",
            w = width + 220.0,
            ht = bar_h * rows.len() as f64 + 24.0
        );
        for (i, (name, _, per)) in rows.iter().enumerate() {
            let y = i as f64 * bar_h;
            let len = if max > 0.0 { width * per / max } else { 0.0 };
            let _ = write!(
                h,
                "<text x=\"0\" y=\"{ty}\">{}</text><rect class=\"bar\" x=\"170\" y=\"{y}\" width=\"{len:.1}\" height=\"{bh}\"/><text x=\"{tx:.1}\" y=\"{ty}\">{:.2}</text>",
                esc(name),
                per,
                ty = y + 13.0,
                bh = bar_h - 4.0,
                tx = 175.0 + len
            );
        }
        let _ = write!(
            h,
            "<text x=\"170\" y=\"{}\">kronor per invånare</text></svg>",
            bar_h * rows.len() as f64 + 18.0
        );
        h.push_str("<table><caption>Per län</caption><tr><th>Län</th><th>Belopp, kr</th><th>Kr per invånare</th></tr>");
        for (name, m, per) in &rows {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{per:.2}</td></tr>",
                esc(name),
                kr(*m)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<p><small>Skapad av hwf. Hela tabellen finns i allocation.csv och allocation.xlsx.</small></p></body></html>\n");
    h
}

/// Writes `allocation.csv`, `allocation_sv.csv`, `allocation.xlsx` and `summary.html` into `dir`,
/// building them in a temporary folder first.
///
/// # Errors
///
/// [`PublishError`] when the folder cannot be written or an encoder fails.
pub fn write(a: &Allocation, title: &str, out: &atomic::OutDir) -> Result<(), PublishError> {
    let dir = out.path();
    let xlsx = xlsx_bytes(a).map_err(|e| PublishError::Encode {
        path: dir.join("allocation.xlsx"),
        what: "xlsx".into(),
        message: e.to_string(),
    })?;
    atomic::write_dir(out, |tmp| {
        std::fs::write(tmp.join("allocation.csv"), csv_bytes(a, false))?;
        std::fs::write(tmp.join("allocation_sv.csv"), csv_bytes(a, true))?;
        std::fs::write(tmp.join("allocation.xlsx"), &xlsx)?;
        std::fs::write(tmp.join("summary.html"), summary_html(a, title))?;
        Ok(())
    })
}
