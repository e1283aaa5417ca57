//! The report's closing sections: the data sources (every input, its checksum, what happened to
//! it, where it was fetched from) and the run manifest.

use super::html::{esc, input_name, num, tr};
use crate::model::Projection;
use crate::publish::results;
use crate::table::Lang;
use std::fmt::Write as _;

/// The report's data-sources section on its own, as HTML (every input with its file, checksum and whether it is synthetic).
pub fn sources_html(pr: &Projection, lang: Lang) -> String {
    let mut o = String::new();
    sources(&mut o, pr, lang);
    o
}

/// The data sources: every input with its file, whether it is synthetic, the cells read and its
/// SHA-256, what happened to it on its way into the model, and where `hwf fetch` took it from.
pub(crate) fn sources(o: &mut String, pr: &Projection, lang: Lang) {
    let _ = writeln!(
        o,
        "<h2 id=\"sources\">{}</h2><div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        tr(lang, "Datakällor", "Data sources"),
        tr(lang, "Indata", "Input"),
        tr(lang, "Fil", "File"),
        tr(lang, "Syntetisk", "Synthetic"),
        tr(lang, "Celler", "Cells")
    );
    for u in &pr.used {
        let _ = writeln!(
            o,
            "<tr><td>{} (<code>{}</code>)</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&input_name(&u.key, lang)),
            esc(&u.key),
            esc(&u.file),
            if u.synthetic {
                tr(lang, "ja", "yes")
            } else {
                tr(lang, "nej", "no")
            },
            num(u.cells as f64, 0, lang),
            u.sha256
        );
    }
    let _ = writeln!(
        o,
        "</table></div><p><small>{}</small></p>",
        tr(
            lang,
            "Celler: antal värden (rader i den långa tabellen) som lästes ur filen. SHA-256: filens kontrollsumma; en ändrad fil ger en annan.",
            "Cells: values (rows of the tidy table) read from the file. SHA-256: the file's checksum; a changed file gives another."
        )
    );
    // Inputs taken from a statistics API by `hwf fetch`: the table, the server and when.
    let fetched: Vec<&crate::model::UsedInput> =
        pr.used.iter().filter(|u| u.fetched.is_some()).collect();
    if !fetched.is_empty() {
        let _ = writeln!(o, "<ul>");
        for u in fetched {
            let Some(f) = &u.fetched else { continue };
            let when = f.retrieved();
            let _ = writeln!(
                o,
                "<li><b>{}</b>: {} <code>{}</code> ({}) {} <code>{}</code>, {} {} {}</li>",
                esc(&input_name(&u.key, lang)),
                tr(lang, "tabell", "table"),
                esc(&f.table),
                esc(&f.label),
                tr(lang, "hämtad från", "fetched from"),
                esc(&f.api),
                esc(when.get(..10).unwrap_or(when)),
                tr(
                    lang,
                    "med hwf fetch; anropen står i",
                    "by hwf fetch; the calls are in"
                ),
                esc(&format!("{}.source.json", u.file)),
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    // What happened to an input on its way into the model (ages ungrouped from bands, totals and
    // ages outside the model left out), said where the sources are.
    let noted: Vec<&crate::model::UsedInput> =
        pr.used.iter().filter(|u| !u.notes.is_empty()).collect();
    if !noted.is_empty() {
        let _ = writeln!(o, "<ul>");
        for u in noted {
            for n in &u.notes {
                let _ = writeln!(
                    o,
                    "<li><b>{}</b>: {}</li>",
                    esc(&input_name(&u.key, lang)),
                    esc(n.text(lang))
                );
            }
        }
        let _ = writeln!(o, "</ul>");
    }
}

/// The run manifest as a person reads it: the engine and its revision, the scenario, seed and draws,
/// and every other file of the folder with its size and SHA-256 (the inputs are under the data
/// sources; `manifest.json` holds the same and the page's own checksum).
pub(super) fn manifest_section(
    o: &mut String,
    pr: &Projection,
    outputs: &[(String, &[u8])],
    lang: Lang,
) {
    use sha2::{Digest, Sha256};
    let sc = &pr.scenario;
    let _ = writeln!(
        o,
        "<h2 id=\"manifest\">{}</h2><table>",
        tr(lang, "Körningsmanifest", "Run manifest")
    );
    let draws = match &pr.bands {
        Some(b) => format!(
            "{} {} ({} {})",
            num(b.draws as f64, 0, lang),
            tr(lang, "dragningar", "draws"),
            tr(lang, "frö", "seed"),
            b.seed
        ),
        None => tr(lang, "inga", "none").to_string(),
    };
    let rows = [
        (
            tr(lang, "Program", "Engine"),
            format!("hwf {}", env!("CARGO_PKG_VERSION")),
        ),
        (
            tr(lang, "Git-revision", "Git revision"),
            results::git_revision().to_string(),
        ),
        (tr(lang, "Scenario", "Scenario"), sc.name.clone()),
        (tr(lang, "Frö", "Seed"), sc.seed.to_string()),
        (tr(lang, "Monte Carlo", "Monte Carlo"), draws),
        (
            tr(lang, "Indata", "Inputs"),
            format!(
                "{} ({})",
                num(pr.used.len() as f64, 0, lang),
                tr(lang, "se Datakällor", "see Data sources")
            ),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n");
    if outputs.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p>",
            tr(
                lang,
                "Filerna som skrevs och deras kontrollsummor står i manifest.json.",
                "The files written and their checksums are in manifest.json."
            )
        );
        return;
    }
    let _ = writeln!(
        o,
        "<details><summary>{} ({})</summary><div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        tr(lang, "Filer i mappen", "Files in the folder"),
        num(outputs.len() as f64 + 2.0, 0, lang),
        tr(lang, "Fil", "File"),
        tr(lang, "Byte", "Bytes")
    );
    for (n, b) in outputs {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(n),
            num(b.len() as f64, 0, lang),
            crate::model::scenario::hex(&Sha256::digest(b))
        );
    }
    let _ = writeln!(
        o,
        "</table></div></details><p><small>{}</small></p>",
        tr(
            lang,
            "Därtill den här sidan (report.html) och manifest.json, som listar alla filer med samma kontrollsummor, sidans egen medräknad, och hela scenariot.",
            "Besides these, this page (report.html) and manifest.json, which lists every file with the same checksums, this page's own included, and the whole scenario."
        )
    );
}
