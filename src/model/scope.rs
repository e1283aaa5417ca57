//! Part of the country: a scenario's `[scope]`, the counties a run covers.
//!
//! ```toml
//! [scope]
//! counties = ["23"]                 # one county (code or name: "Jämtlands län", "Jämtland")
//! # counties = ["Norra"]            # a health-care region: its counties (22, 23, 24, 25)
//! # counties = ["01", "09"]         # several, in any mix
//! ```
//!
//! Without `[scope]` a run covers the whole country (the 21 counties) and nothing changes. With
//! one, the model's county axis is the scope's counties and its health-care-region axis the
//! regions that hold them ([`Area`]): inputs need cover only those (a table of the whole country
//! is fine too; rows of other counties and regions are left out, and the run's notes say so), and
//! an input that lacks a county or region of the scope is an error listing what is missing.
//!
//! Flows across the scope's border (`docs/MODEL.md`, section 2.1):
//!
//! - **Movement between counties** has no flow of its own in the model: exit rates are net
//!   outflows from the register of each county. In a scoped run they are estimated from the
//!   scope's own register, so a nurse who moves out counts as an exit and one who moves in as a
//!   re-entry; the scope's past net movement continues. (In a national run, the same movement
//!   enters through the county scale of the national exit rates.)
//! - **Education by health-care region**: the scope's Swedish licences follow the graduates of
//!   the regions that hold its counties, through a licensed share ℓ estimated from the scope's
//!   own licences over those graduates. ℓ is the scope's share of the regions' graduates (times
//!   the national licensing rate), so graduates are apportioned by the scope's observed share of
//!   their licences, and a constant share cancels; the required intake is the regions' beginners
//!   a year that would close the scope's gap if the scope kept that share.
//! - **Employment share, FTE per employed person and their trends, care-use trend, foreign
//!   licences' trend**: pooled over (national series become series of) the scope's counties.

use crate::codes::{CodeLists, List, Lookup};
use serde::{Deserialize, Serialize};

/// The `[scope]` of a scenario, as written.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Counties (codes or names) and health-care regions (codes or names, standing for their
    /// counties).
    pub counties: Vec<String>,
}

/// The code of the total row of a scoped run's outputs (a national run's is [`NATION`]).
pub const SCOPE_TOTAL: &str = "scope";

/// The code of the total row of a national run's outputs: `00`, Sweden (as SCB codes the whole
/// country).
pub const NATION: &str = "00";

/// One area of a run's outputs: a county of the run (its position on the run's county axis), or
/// the total over the run's counties — Sweden in a national run, the scope in a scoped one.
///
/// Tables list the counties first and their total after them ([`Region::counties_then_total`]); arrays that hold
/// both (the Monte Carlo bands) keep the total after the counties ([`Region::index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// The county at this position of the run's county axis.
    County(usize),
    /// The total over the run's counties.
    Total,
}

impl Region {
    /// The run's `nc` counties, then their total: the order of the county tables hwf writes.
    pub fn counties_then_total(nc: usize) -> impl Iterator<Item = Region> + Clone {
        (0..nc)
            .map(Region::County)
            .chain(std::iter::once(Region::Total))
    }

    /// The total over the run's `nc` counties, then the counties: the order of the bands table
    /// and the explorer.
    pub fn total_then_counties(nc: usize) -> impl Iterator<Item = Region> + Clone {
        std::iter::once(Region::Total).chain((0..nc).map(Region::County))
    }

    /// The positions of the counties this area adds up: its own, or all `nc`.
    pub fn counties(self, nc: usize) -> std::ops::Range<usize> {
        match self {
            Region::County(c) => c..c + 1,
            Region::Total => 0..nc,
        }
    }

    /// The position of this area in an array of `nc` counties followed by their total.
    pub fn index(self, nc: usize) -> usize {
        match self {
            Region::County(c) => c,
            Region::Total => nc,
        }
    }
}

/// What a run covers: counties and the health-care regions that hold them, in code-list order.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// County codes.
    pub counties: Vec<String>,
    /// Health-care region codes of those counties.
    pub regions: Vec<String>,
    /// Whether this is the whole country (no `[scope]`).
    pub whole: bool,
}

impl Area {
    /// The whole country: every county and region of the code lists.
    pub fn whole() -> Area {
        let l = CodeLists::get();
        Area {
            counties: l.counties.iter().map(|c| c.code.clone()).collect(),
            regions: l
                .healthcare_regions
                .iter()
                .map(|r| r.code.clone())
                .collect(),
            whole: true,
        }
    }

    /// The area of a scenario's scope, or the whole country without one.
    ///
    /// # Errors
    ///
    /// As [`Scope::area`].
    pub fn of(scope: Option<&Scope>) -> Result<Area, (String, String)> {
        scope.map_or_else(|| Ok(Area::whole()), Scope::area)
    }

    /// The code of the outputs' total row: `00` (Sweden) for the whole country, [`SCOPE_TOTAL`]
    /// for a scope.
    pub fn total_code(&self) -> &'static str {
        if self.whole { NATION } else { SCOPE_TOTAL }
    }

    /// The health-care region whose counties are exactly the scope's, if there is one.
    pub fn region(&self) -> Option<&'static crate::codes::Named> {
        let l = CodeLists::get();
        l.healthcare_regions.iter().find(|r| {
            let of: Vec<&str> = l
                .counties
                .iter()
                .filter(|c| c.healthcare_region == r.code)
                .map(|c| c.code.as_str())
                .collect();
            of == self.counties.iter().map(String::as_str).collect::<Vec<_>>()
        })
    }

    /// A name for what the run covers: `riket`/`Sweden`; a county's name; a health-care region
    /// with its counties' codes; or the counties' names.
    pub fn name(&self, swedish: bool) -> String {
        let l = CodeLists::get();
        if self.whole {
            return if swedish { "riket" } else { "Sweden" }.into();
        }
        if let Some(r) = self.region() {
            return if swedish {
                format!(
                    "sjukvårdsregion {} (län {})",
                    r.name_sv,
                    self.counties.join(", ")
                )
            } else {
                format!(
                    "{} health-care region (counties {})",
                    r.name_en,
                    self.counties.join(", ")
                )
            };
        }
        let names: Vec<String> = self
            .counties
            .iter()
            .map(|c| {
                l.county(c).map_or_else(
                    || c.clone(),
                    |x| format!("{} ({c})", if swedish { &x.name_sv } else { &x.name_en }),
                )
            })
            .collect();
        names.join(", ")
    }
}

impl Scope {
    /// The counties the scope stands for (each entry a county or a health-care region, by code or
    /// name), in code-list order, each once, and the regions that hold them.
    ///
    /// # Errors
    ///
    /// `(key, message)`: an empty list, or an entry that is neither a county nor a health-care
    /// region (with the nearest names).
    pub fn area(&self) -> Result<Area, (String, String)> {
        let l = CodeLists::get();
        if self.counties.is_empty() {
            return Err((
                "scope.counties".into(),
                "an empty list; expected county codes or names (\"23\", \"Jämtlands län\") or health-care regions (\"Norra\"), or no [scope] for the whole country".into(),
            ));
        }
        let mut keep = vec![false; l.counties.len()];
        for (i, entry) in self.counties.iter().enumerate() {
            let key = format!("scope.counties[{i}]");
            match l.lookup(List::Counties, entry) {
                Lookup::Code(c) => {
                    if let Some(k) = l.counties.iter().position(|x| x.code == c) {
                        keep[k] = true;
                    }
                    continue;
                }
                Lookup::Total => {
                    return Err((
                        key,
                        format!(
                            "{entry:?} is the whole country; leave [scope] out for a national run"
                        ),
                    ));
                }
                Lookup::Unknown { .. } => {}
            }
            match l.lookup(List::HealthcareRegions, entry) {
                Lookup::Code(r) => {
                    for (k, c) in l.counties.iter().enumerate() {
                        if c.healthcare_region == r {
                            keep[k] = true;
                        }
                    }
                }
                _ => {
                    let mut nearest = match l.lookup(List::Counties, entry) {
                        Lookup::Unknown { nearest } => nearest,
                        _ => Vec::new(),
                    };
                    if let Lookup::Unknown { nearest: n } = l.lookup(List::HealthcareRegions, entry)
                    {
                        nearest.extend(n);
                    }
                    let near = if nearest.is_empty() {
                        String::new()
                    } else {
                        format!(" (nearest: {})", nearest.join(" or "))
                    };
                    return Err((
                        key,
                        format!(
                            "{entry:?} is neither a county nor a health-care region{near}; expected a county code or name (see `hwf codes counties`) or a health-care region (see `hwf codes regions`)"
                        ),
                    ));
                }
            }
        }
        let counties: Vec<String> = l
            .counties
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.code.clone())
            .collect();
        let regions: Vec<String> = l
            .healthcare_regions
            .iter()
            .filter(|r| {
                l.counties
                    .iter()
                    .zip(&keep)
                    .any(|(c, k)| *k && c.healthcare_region == r.code)
            })
            .map(|r| r.code.clone())
            .collect();
        Ok(Area {
            whole: counties.len() == l.counties.len(),
            counties,
            regions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(v: &[&str]) -> Result<Area, (String, String)> {
        Scope {
            counties: v.iter().map(|s| s.to_string()).collect(),
        }
        .area()
    }

    #[test]
    fn counties_and_regions_by_code_or_name() {
        let a = area(&["Jämtlands län"]).unwrap();
        assert_eq!(a.counties, ["23"]);
        assert_eq!(a.regions, ["N"]);
        assert!(!a.whole);
        assert_eq!(a.total_code(), "scope");
        assert_eq!(a.name(true), "Jämtlands län (23)");
        // Norra: Västernorrland, Jämtland, Västerbotten, Norrbotten (data/codes/counties.csv).
        let n = area(&["Norra"]).unwrap();
        assert_eq!(n.counties, ["22", "23", "24", "25"]);
        assert_eq!(n.regions, ["N"]);
        assert_eq!(n.region().map(|r| r.code.as_str()), Some("N"));
        assert_eq!(
            n.name(false),
            "North health-care region (counties 22, 23, 24, 25)"
        );
        // A mix, in code-list order, each once.
        let m = area(&["25", "01", "Stockholms län"]).unwrap();
        assert_eq!(m.counties, ["01", "25"]);
        assert_eq!(m.regions, ["SG", "N"]);
        assert_eq!(
            m.name(false),
            "Stockholm County (01), Norrbotten County (25)"
        );
    }

    #[test]
    fn every_region_is_the_whole_country() {
        let regions: Vec<&str> = CodeLists::get()
            .healthcare_regions
            .iter()
            .map(|r| r.code.as_str())
            .collect();
        let a = area(&regions).unwrap();
        assert!(a.whole);
        assert_eq!(a, Area::whole());
        assert_eq!(a.total_code(), "00");
    }

    #[test]
    fn bad_entries_name_the_key_and_the_nearest() {
        let (key, msg) = area(&["23", "Jamtlands lan x"]).unwrap_err();
        assert_eq!(key, "scope.counties[1]");
        assert!(
            msg.contains("neither a county nor a health-care region"),
            "{msg}"
        );
        let (key, msg) = area(&[]).unwrap_err();
        assert_eq!(key, "scope.counties");
        assert!(msg.contains("empty"), "{msg}");
        let (key, _) = area(&["Riket"]).unwrap_err();
        assert_eq!(key, "scope.counties[0]");
    }
}
