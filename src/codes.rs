//! The code lists in `data/codes/`, compiled into the binary: counties, health-care regions,
//! municipalities, sectors and professions, with Swedish and English labels.
//!
//! Join on codes, never on labels: `Habo` (0643) and `Håbo` (0305) are two municipalities.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One county (län).
#[derive(Clone, Debug, PartialEq)]
pub struct County {
    /// Two-digit SCB code (`01`, `03`–`10`, `12`–`14`, `17`–`25`).
    pub code: String,
    /// Swedish name (`Stockholms län`).
    pub name_sv: String,
    /// English name (`Stockholm County`).
    pub name_en: String,
    /// Code of its health-care region (see [`CodeLists::healthcare_regions`]).
    pub healthcare_region: String,
}

/// One municipality (kommun).
#[derive(Clone, Debug, PartialEq)]
pub struct Municipality {
    /// Four-digit SCB code; the first two digits are the county's.
    pub code: String,
    /// Official Swedish name.
    pub name_sv: String,
    /// County code.
    pub county: String,
}

/// One profession or specialist layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Profession {
    /// hwf's code (`SSK`, `LAK`, …).
    pub code: String,
    /// Swedish name.
    pub name_sv: String,
    /// English name.
    pub name_en: String,
    /// Whether it is one of the 22 licensed professions (legitimationsyrken).
    pub licensed: bool,
    /// For a layer (specialist physicians, specialist nurses, midwives), the profession it is a subset of.
    pub layer_of: Option<String>,
    /// Nominal length of the Swedish programme, in years.
    pub programme_years: f64,
    /// Years from degree to licence (internship, supervised practice).
    pub licence_lag_years: f64,
}

/// A code with Swedish and English names (health-care regions, sectors).
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// The code.
    pub code: String,
    /// Swedish name.
    pub name_sv: String,
    /// English name.
    pub name_en: String,
}

/// All code lists.
#[derive(Debug)]
pub struct CodeLists {
    /// The 21 counties in code order.
    pub counties: Vec<County>,
    /// The 6 health-care regions.
    pub healthcare_regions: Vec<Named>,
    /// The 290 municipalities in code order.
    pub municipalities: Vec<Municipality>,
    /// Region-run, municipality-run, private.
    pub sectors: Vec<Named>,
    /// The 22 licensed professions and the specialist layers.
    pub professions: Vec<Profession>,
}

const COUNTIES: &str = include_str!("../data/codes/counties.csv");
const REGIONS: &str = include_str!("../data/codes/healthcare_regions.csv");
const MUNICIPALITIES: &str = include_str!("../data/codes/municipalities.csv");
const SECTORS: &str = include_str!("../data/codes/sectors.csv");
const PROFESSIONS: &str = include_str!("../data/codes/professions.csv");

/// Rows of a small embedded CSV as maps from column name to field.
fn rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = ::csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().cloned().unwrap_or_default();
    rdr.records()
        .filter_map(Result::ok)
        .map(|r| {
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn field(r: &HashMap<String, String>, k: &str) -> String {
    r.get(k).cloned().unwrap_or_default()
}

impl CodeLists {
    /// The embedded code lists (parsed once).
    pub fn get() -> &'static CodeLists {
        static LISTS: OnceLock<CodeLists> = OnceLock::new();
        LISTS.get_or_init(|| {
            let named = |text| {
                rows(text)
                    .iter()
                    .map(|r| Named {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                    })
                    .collect()
            };
            CodeLists {
                counties: rows(COUNTIES)
                    .iter()
                    .map(|r| County {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                        healthcare_region: field(r, "healthcare_region"),
                    })
                    .collect(),
                healthcare_regions: named(REGIONS),
                municipalities: rows(MUNICIPALITIES)
                    .iter()
                    .map(|r| Municipality {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        county: field(r, "county"),
                    })
                    .collect(),
                sectors: named(SECTORS),
                professions: rows(PROFESSIONS)
                    .iter()
                    .map(|r| Profession {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                        licensed: field(r, "licensed") == "yes",
                        layer_of: Some(field(r, "layer_of")).filter(|s| !s.is_empty()),
                        programme_years: field(r, "programme_years").parse().unwrap_or(0.0),
                        licence_lag_years: field(r, "licence_lag_years").parse().unwrap_or(0.0),
                    })
                    .collect(),
            }
        })
    }

    /// The county with this code.
    pub fn county(&self, code: &str) -> Option<&County> {
        self.counties.iter().find(|c| c.code == code)
    }

    /// The municipality with this code.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The profession or layer with this code.
    pub fn profession(&self, code: &str) -> Option<&Profession> {
        self.professions.iter().find(|p| p.code == code)
    }

    /// The municipality with exactly this Swedish name.
    pub fn municipality_by_name(&self, name: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.name_sv == name)
    }

    /// The municipality names closest to `name` (by edit distance), best first, for "did you mean".
    pub fn nearest_municipalities(&self, name: &str, n: usize) -> Vec<&Municipality> {
        let mut scored: Vec<(usize, &Municipality)> = self
            .municipalities
            .iter()
            .map(|m| {
                (
                    edit_distance(&m.name_sv.to_lowercase(), &name.to_lowercase()),
                    m,
                )
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.code.cmp(&b.1.code)));
        scored.into_iter().take(n).map(|(_, m)| m).collect()
    }
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_have_their_published_sizes() {
        let c = CodeLists::get();
        assert_eq!(c.counties.len(), 21);
        let codes: Vec<&str> = c.counties.iter().map(|c| c.code.as_str()).collect();
        assert!(!codes.contains(&"02") && !codes.contains(&"11"));
        assert_eq!(c.healthcare_regions.len(), 6);
        assert_eq!(c.municipalities.len(), 290);
        assert_eq!(c.professions.iter().filter(|p| p.licensed).count(), 22);
        assert_eq!(c.sectors.len(), 3);
        // Every county has municipalities and a known health-care region.
        for county in &c.counties {
            assert!(c.municipalities.iter().any(|m| m.county == county.code));
            assert!(
                c.healthcare_regions
                    .iter()
                    .any(|r| r.code == county.healthcare_region)
            );
        }
        for m in &c.municipalities {
            assert_eq!(&m.code[..2], m.county);
        }
        assert_eq!(c.municipality("0305").unwrap().name_sv, "Håbo");
        assert_eq!(c.municipality("0643").unwrap().name_sv, "Habo");
        assert_eq!(
            c.profession("SPL").unwrap().layer_of.as_deref(),
            Some("LAK")
        );
    }

    #[test]
    fn nearest_names_for_typos() {
        let c = CodeLists::get();
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(c.nearest_municipalities("Goteborg", 1)[0].code, "1480");
        assert_eq!(
            c.nearest_municipalities("Malung Sälen", 1)[0].name_sv,
            "Malung-Sälen"
        );
    }
}
