//! The code lists in `data/codes/`, compiled into the binary: counties, health-care regions,
//! municipalities, sectors and professions, with Swedish and English labels.
//!
//! Join on codes, never on labels: `Habo` (0643) and `Håbo` (0305) are two municipalities.
//!
//! Tables as agencies publish them name categories by label (`Sjuksköterskor`, `Jämtlands län`,
//! `män`, `34 år`): [`CodeLists::lookup`] turns every spelling the agencies print (normalised for
//! case, spacing and punctuation; singular and plural; Swedish and English; `23 Jämtlands län`)
//! into the code, recognises totals, and for anything else names the nearest official names.
//! Extra spellings beyond the code lists' own names are in `data/codes/aliases.csv`.

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

/// A municipality code no longer in use (`data/codes/former_municipalities.csv`): tables of
/// earlier years carry it.
#[derive(Clone, Debug, PartialEq)]
pub struct FormerMunicipality {
    /// Four-digit SCB code as it was; the first two digits are the county's then.
    pub code: String,
    /// Swedish name.
    pub name_sv: String,
    /// The county it belonged to.
    pub county: String,
    /// The last year the code was in use.
    pub last_year: i32,
    /// Today's code of the same municipality.
    pub successor: String,
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

/// A change of a programme's length or licence route for the cohorts admitted from a year on
/// (`data/codes/programme_rules.csv`): the physician programme's 2021 reform, for one.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgrammeRule {
    /// The profession whose programme changes.
    pub profession: String,
    /// First admission year (cohort) the rule applies to.
    pub first_cohort: i32,
    /// Share of the first cohort's beginners under the rule (those admitted after the change
    /// within the year); the rest stay with the rule before.
    pub first_cohort_share: f64,
    /// Programme length for these cohorts, in years.
    pub programme_years: f64,
    /// Years from degree to licence for these cohorts.
    pub licence_lag_years: f64,
    /// Where the rule is laid down.
    pub source: String,
}

/// A specialty group of a specialist layer (`data/codes/specialties.csv`): specialist physicians
/// by the specialty of their certificate, grouped where single specialties are too thin to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct Specialty {
    /// The code (`ALM`, `KIR`, …).
    pub code: String,
    /// Swedish name.
    pub name_sv: String,
    /// English name.
    pub name_en: String,
    /// The layer the group is part of (`SPL`).
    pub layer: String,
    /// Years from the start of specialist training (ST) to the certificate.
    pub training_years: f64,
    /// The service area whose demand the group follows (`data/codes/services.csv`).
    pub service: String,
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
    /// Municipality codes no longer in use since the county reform of 1998.
    pub former_municipalities: Vec<FormerMunicipality>,
    /// Region-run, municipality-run, private.
    pub sectors: Vec<Named>,
    /// The service areas demand is driven by (primary care, specialised somatic care, psychiatry,
    /// maternity care, dental care, municipal health care).
    pub services: Vec<Named>,
    /// The 22 licensed professions and the specialist layers.
    pub professions: Vec<Profession>,
    /// The specialty groups of the specialist layers.
    pub specialties: Vec<Specialty>,
    /// Changes of programme length or licence route by cohort, in order of profession and year.
    pub programme_rules: Vec<ProgrammeRule>,
    /// Every accepted spelling per list.
    vocabularies: Vec<Vocabulary>,
}

/// A code list that published labels are looked up in ([`CodeLists::lookup`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum List {
    /// Professions and specialist layers (`SSK`, `Sjuksköterskor`, `Nurses`).
    Professions,
    /// Counties (`23`, `Jämtlands län`, `Jämtland`, `Region Jämtland Härjedalen`, `Jämtland County`).
    Counties,
    /// Municipalities (`0114`, `Upplands Väsby`, `0114 Upplands Väsby`).
    Municipalities,
    /// Sectors (`R`, `Regional regi`, `Region`, `Kommun`, `Privat`).
    Sectors,
    /// Health-care regions (`N`, `Norra`, `Norra sjukvårdsregionen`).
    HealthcareRegions,
    /// Sex (`1`/`2`, `män`/`kvinnor`, `M`/`K`, `men`/`women`).
    Sexes,
    /// Country of education of a licence (`SE`, `EU`, `TC`; `Sverige`, `EU/EES`, `Tredje land`).
    Origins,
    /// The principals' balance assessments (`brist`, `balans`, `överskott`).
    Assessments,
    /// Service areas (`PV`, `Primärvård`, `Primary care`, `MOD`, `Mödra- och förlossningsvård`).
    Services,
    /// Specialty groups (`KIR`, `Kirurgiska specialiteter`, `Surgical specialties`).
    Specialties,
}

impl List {
    /// All lists.
    pub const ALL: [List; 10] = [
        List::Professions,
        List::Counties,
        List::Municipalities,
        List::Sectors,
        List::HealthcareRegions,
        List::Sexes,
        List::Origins,
        List::Assessments,
        List::Services,
        List::Specialties,
    ];

    /// The list `hwf codes NAME` prints: counties (län), regions (healthcare_regions),
    /// municipalities (kommuner), sectors, services (verksamhetsområden) or professions (yrken);
    /// `None` for any other name.
    pub fn printed(name: &str) -> Option<List> {
        Some(match name {
            "counties" | "län" => List::Counties,
            "regions" | "healthcare_regions" => List::HealthcareRegions,
            "municipalities" | "kommuner" => List::Municipalities,
            "sectors" => List::Sectors,
            "services" | "verksamhetsområden" => List::Services,
            "specialties" | "specialiteter" => List::Specialties,
            "professions" | "yrken" => List::Professions,
            _ => return None,
        })
    }

    /// What a message says the list expects, pointing to `hwf codes …` where the list is printed.
    pub fn expected(self) -> &'static str {
        match self {
            List::Professions => {
                "a profession code or name, singular or plural (see `hwf codes professions`)"
            }
            List::Counties => {
                "a county code (01, 03–10, 12–14, 17–25) or name (Jämtlands län, Jämtland, Region Jämtland Härjedalen), a municipality code or 00 for Sweden (see `hwf codes counties`)"
            }
            List::Municipalities => {
                "a municipality code or name, e.g. 0114 or Upplands Väsby (see `hwf codes municipalities`)"
            }
            List::Sectors => {
                "a sector: R (Region), K (Kommun) or P (Privat) (see `hwf codes sectors`)"
            }
            List::HealthcareRegions => {
                "a health-care region code or name (see `hwf codes regions`)"
            }
            List::Sexes => "1 or män/men/M, 2 or kvinnor/women/K/F, or a total (1+2, totalt)",
            List::Origins => {
                "a country of education: SE (Sverige), EU (EU/EES) or TC (tredje land)"
            }
            List::Assessments => "an assessment: brist, balans or överskott",
            List::Services => {
                "a service area: PV, SOM, PSYK, MOD, TV or KHS, or its name (see `hwf codes services`)"
            }
            List::Specialties => {
                "a specialty group: ALM, INT, KIR, PSYK, BARN or OVR (physicians), DSK, ANE, IVA, OPS, PSV, BUV, MKV or OVS (nurses), or its name (see `hwf codes specialties`)"
            }
        }
    }

    fn key(self) -> &'static str {
        match self {
            List::Professions => "professions",
            List::Counties => "counties",
            List::Municipalities => "municipalities",
            List::Sectors => "sectors",
            List::HealthcareRegions => "healthcare_regions",
            List::Sexes => "sexes",
            List::Origins => "origins",
            List::Assessments => "assessments",
            List::Services => "services",
            List::Specialties => "specialties",
        }
    }
}

/// What a published label stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// This code of the list.
    Code(String),
    /// A total over the list (`tot`, `totalt`, `1+2`, `Riket`, `00`, `samtliga`).
    Total,
    /// Not a spelling of any code: the nearest official names (`Jämtlands län (23)`), best first;
    /// several when the label is ambiguous (`Habo`/`Håbo` without their diacritics).
    Unknown {
        /// The nearest official names with their codes (empty when nothing is near).
        nearest: Vec<String>,
    },
}

/// Every accepted spelling of one list, normalised.
#[derive(Debug)]
struct Vocabulary {
    list: List,
    /// normalised spelling → code.
    exact: HashMap<String, String>,
    /// folded spelling → codes (several where diacritics alone tell names apart).
    folded: HashMap<String, Vec<String>>,
    /// code → official name shown in suggestions.
    official: Vec<(String, String)>,
}

impl Vocabulary {
    fn new(list: List) -> Self {
        Vocabulary {
            list,
            exact: HashMap::new(),
            folded: HashMap::new(),
            official: Vec::new(),
        }
    }

    fn official(&mut self, code: &str, name: &str) {
        self.official.push((code.to_string(), name.to_string()));
        self.add(code, code);
        self.add(code, name);
    }

    fn add(&mut self, code: &str, spelling: &str) {
        let n = normalise(spelling);
        if n.is_empty() {
            return;
        }
        self.exact
            .entry(n.clone())
            .or_insert_with(|| code.to_string());
        let codes = self.folded.entry(fold(&n)).or_default();
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_string());
        }
    }

    fn display(&self, code: &str) -> String {
        match self.official.iter().find(|(c, _)| c == code) {
            Some((c, n)) if c != n => format!("{n} ({c})"),
            _ => code.to_string(),
        }
    }

    fn lookup(&self, text: &str) -> Lookup {
        let n = normalise(text);
        let f = fold(&n);
        if let Some(code) = self.exact.get(&n) {
            // A bare name that only its diacritics tell from another (Habo, Håbo) is ambiguous
            // when written without them; a code, or the name with its own diacritics, is not.
            let same_fold = self.folded.get(&f).map_or(0, Vec::len);
            if same_fold <= 1 || n != f || code.eq_ignore_ascii_case(text.trim()) {
                return Lookup::Code(code.clone());
            }
            return Lookup::Unknown {
                nearest: self.folded[&f].iter().map(|c| self.display(c)).collect(),
            };
        }
        // `23 Jämtlands län`, `0114 Upplands Väsby`: a code followed by its name.
        if let Some((head, rest)) = text.trim().split_once(char::is_whitespace)
            && let Some(code) = self
                .official
                .iter()
                .map(|(c, _)| c)
                .find(|c| c.eq_ignore_ascii_case(head))
        {
            return match self.exact.get(&normalise(rest)) {
                Some(c) if c == code => Lookup::Code(code.clone()),
                _ => Lookup::Unknown {
                    nearest: vec![self.display(code)],
                },
            };
        }
        if is_total_label(text) {
            return Lookup::Total;
        }
        if let Some(codes) = self.folded.get(&f) {
            return Lookup::Unknown {
                nearest: codes.iter().map(|c| self.display(c)).collect(),
            };
        }
        // Codes are not spelt: a near miss among digits (02 for 01) says nothing.
        if !f.chars().any(char::is_alphabetic) {
            return Lookup::Unknown {
                nearest: Vec::new(),
            };
        }
        let mut best: Vec<(usize, &String)> = self
            .folded
            .iter()
            .flat_map(|(k, codes)| {
                let f = &f;
                codes.iter().map(move |c| (edit_distance(k, f), c))
            })
            .collect();
        best.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let limit = (f.chars().count() / 4).max(2);
        let Some(&(d0, _)) = best.first() else {
            return Lookup::Unknown {
                nearest: Vec::new(),
            };
        };
        let mut nearest: Vec<String> = Vec::new();
        for (d, c) in best
            .into_iter()
            .take_while(|(d, _)| *d == d0 && d0 <= limit)
        {
            let _ = d;
            let shown = self.display(c);
            if !nearest.contains(&shown) {
                nearest.push(shown);
            }
        }
        nearest.truncate(3);
        Lookup::Unknown { nearest }
    }
}

/// A label lower-cased, with punctuation (`-`, `/`, `.`, `,`, `+`, quotes, brackets) turned into
/// blanks and runs of blanks made one: `Hälso- och sjukvårdskurator` → `hälso och sjukvårdskurator`.
pub fn normalise(s: &str) -> String {
    let mapped: String = s
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`normalise`]d, with the Nordic and accented letters folded to plain ones (`jämtlands län` →
/// `jamtlands lan`): what a file written without diacritics would say.
pub fn fold(s: &str) -> String {
    normalise(s)
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'æ' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ì' => 'i',
            c => c,
        })
        .collect()
}

/// Whether a label is one of the total categories publishers use (`tot`, `totalt`, `1+2`,
/// `samtliga`, `Riket`, `00`, `båda könen`, `alla åldrar`, SCB's `TotSa` and `totalt, samtliga
/// åldrar`, …).
pub fn is_total_label(s: &str) -> bool {
    let raw = s.trim().to_lowercase();
    // `TotSa`/`TotSA`: SCB's API codes for all sexes and all ages.
    if matches!(raw.as_str(), "1+2" | "00" | "t" | "totsa") {
        return true;
    }
    let n = normalise(s);
    // SCB's labels of totals: `totalt, samtliga åldrar`, `totalt, samtliga män och kvinnor`.
    if n.starts_with("totalt samtliga ") {
        return true;
    }
    matches!(
        n.as_str(),
        "tot"
            | "totalt"
            | "total"
            | "totals"
            | "samtliga"
            | "alla"
            | "all"
            | "riket"
            | "hela riket"
            | "sverige"
            | "sweden"
            | "båda könen"
            | "both sexes"
            | "män och kvinnor"
            | "men and women"
            | "alla åldrar"
            | "samtliga åldrar"
            | "totalt alla åldrar"
            | "all ages"
            | "samtliga yrken"
            | "alla yrken"
            | "all professions"
            | "samtliga län"
            | "alla län"
            | "all counties"
            | "samtliga regioner"
            | "samtliga huvudmän"
            | "samtliga sektorer"
            | "all sectors"
    )
}

/// A published age category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    /// One year of age (`34`, `34 år`).
    Single(u32),
    /// This age and older (`100+`, `100+ år`, `95 år och äldre`).
    OpenTop(u32),
    /// A band of ages, inclusive (`20-24`, `20–24 år`; `-29` is 0–29).
    Band(u32, u32),
    /// All ages (`totalt`, `tot`, `alla åldrar`).
    Total,
}

/// The age a published category stands for; `None` when it is none (`abc`, `24-20`, `130`).
pub fn age(text: &str) -> Option<Age> {
    if is_total_label(text) {
        return Some(Age::Total);
    }
    let mut c = text.trim().to_lowercase().replace(['–', '—', '−'], "-");
    for suffix in [
        " år och äldre",
        " och äldre",
        " years and over",
        " years and older",
        " and over",
        " and older",
        " år",
        " years",
        " year",
        " åring",
    ] {
        if let Some(s) = c.strip_suffix(suffix) {
            let older =
                suffix.contains("äldre") || suffix.contains("over") || suffix.contains("older");
            c = if older {
                format!("{}+", s.trim())
            } else {
                s.trim().to_string()
            };
            break;
        }
    }
    let c = c.trim_end_matches(" år").trim().to_string();
    let num = |s: &str| -> Option<u32> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|a| *a <= 120)
    };
    if let Some(lo) = c
        .strip_suffix('+')
        .or_else(|| c.strip_suffix('-').filter(|s| !s.is_empty()))
    {
        return num(lo).map(Age::OpenTop);
    }
    if let Some(hi) = c.strip_prefix('-') {
        return num(hi).map(|b| Age::Band(0, b));
    }
    if let Some((a, b)) = c.split_once('-') {
        let (a, b) = (num(a)?, num(b)?);
        return match a.cmp(&b) {
            std::cmp::Ordering::Less => Some(Age::Band(a, b)),
            std::cmp::Ordering::Equal => Some(Age::Single(a)),
            std::cmp::Ordering::Greater => None,
        };
    }
    num(&c).map(Age::Single)
}

const COUNTIES: &str = include_str!("../data/codes/counties.csv");
const REGIONS: &str = include_str!("../data/codes/healthcare_regions.csv");
const MUNICIPALITIES: &str = include_str!("../data/codes/municipalities.csv");
const FORMER_MUNICIPALITIES: &str = include_str!("../data/codes/former_municipalities.csv");
const SECTORS: &str = include_str!("../data/codes/sectors.csv");
const SERVICES: &str = include_str!("../data/codes/services.csv");
const SPECIALTIES: &str = include_str!("../data/codes/specialties.csv");
const PROFESSIONS: &str = include_str!("../data/codes/professions.csv");
const ALIASES: &str = include_str!("../data/codes/aliases.csv");
const PROGRAMME_RULES: &str = include_str!("../data/codes/programme_rules.csv");

/// Rows of a small embedded CSV as maps from column name to field, each with its line (key
/// `LINE`). The lists are compiled in and every test loads them, so a malformed row stops at once
/// (naming the list and line) instead of being skipped.
fn rows(list: &str, text: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = ::csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().cloned().unwrap_or_default();
    rdr.records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("embedded code list {list}: {e}"));
            let line = r.position().map_or(0, |p| p.line());
            let mut m: HashMap<String, String> = headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            m.insert(LINE.into(), format!("{list}, line {line}"));
            m
        })
        .collect()
}

/// The key under which [`rows`] keeps where a row came from.
const LINE: &str = "\u{0}line";

fn field(r: &HashMap<String, String>, k: &str) -> String {
    r.get(k).cloned().unwrap_or_default()
}

/// A number of an embedded code list: a blank field is `default`; anything else must parse (a
/// typo such as `0,5` stops at once, naming the list, line and column, rather than reading as the
/// default).
fn number<T: std::str::FromStr>(r: &HashMap<String, String>, k: &str, default: T) -> T {
    let text = field(r, k);
    if text.trim().is_empty() {
        return default;
    }
    text.trim().parse().unwrap_or_else(|_| {
        panic!(
            "embedded code list {}, column {k}: {text:?} is not a number",
            field(r, LINE)
        )
    })
}

impl CodeLists {
    /// A list as `hwf codes` prints it, a line per code, fields tab-separated: the code, the
    /// Swedish and English names, and a county's health-care region, a municipality's county
    /// (instead of the English name) or a profession's kind (`licensed`, `layer of P`). Empty for
    /// the lists without a file of their own (sexes, origins, assessments).
    pub fn listing(&self, list: List) -> String {
        let rows: Vec<String> = match list {
            List::Counties => self
                .counties
                .iter()
                .map(|x| {
                    format!(
                        "{}\t{}\t{}\t{}",
                        x.code, x.name_sv, x.name_en, x.healthcare_region
                    )
                })
                .collect(),
            List::HealthcareRegions => self
                .healthcare_regions
                .iter()
                .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
                .collect(),
            List::Municipalities => self
                .municipalities
                .iter()
                .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.county))
                .collect(),
            List::Sectors => self
                .sectors
                .iter()
                .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
                .collect(),
            List::Services => self
                .services
                .iter()
                .map(|x| format!("{}\t{}\t{}", x.code, x.name_sv, x.name_en))
                .collect(),
            List::Professions => self
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
            List::Specialties => self
                .specialties
                .iter()
                .map(|x| {
                    let years = if x.training_years == 1.0 {
                        "year"
                    } else {
                        "years"
                    };
                    format!(
                        "{}\t{}\t{}\tlayer of {}, {} {years} of training, {}",
                        x.code, x.name_sv, x.name_en, x.layer, x.training_years, x.service
                    )
                })
                .collect(),
            List::Sexes | List::Origins | List::Assessments => Vec::new(),
        };
        rows.iter().map(|r| format!("{r}\n")).collect()
    }

    /// The embedded code lists (parsed once).
    pub fn get() -> &'static CodeLists {
        static LISTS: OnceLock<CodeLists> = OnceLock::new();
        LISTS.get_or_init(|| {
            let named = |list, text| {
                rows(list, text)
                    .iter()
                    .map(|r| Named {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                    })
                    .collect()
            };
            let mut lists = CodeLists {
                counties: rows("counties.csv", COUNTIES)
                    .iter()
                    .map(|r| County {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                        healthcare_region: field(r, "healthcare_region"),
                    })
                    .collect(),
                healthcare_regions: named("healthcare_regions.csv", REGIONS),
                municipalities: rows("municipalities.csv", MUNICIPALITIES)
                    .iter()
                    .map(|r| Municipality {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        county: field(r, "county"),
                    })
                    .collect(),
                former_municipalities: rows("former_municipalities.csv", FORMER_MUNICIPALITIES)
                    .iter()
                    .map(|r| FormerMunicipality {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        county: field(r, "county"),
                        last_year: number(r, "last_year", 0),
                        successor: field(r, "successor"),
                    })
                    .collect(),
                sectors: named("sectors.csv", SECTORS),
                services: named("services.csv", SERVICES),
                professions: rows("professions.csv", PROFESSIONS)
                    .iter()
                    .map(|r| Profession {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                        licensed: field(r, "licensed") == "yes",
                        layer_of: Some(field(r, "layer_of")).filter(|s| !s.is_empty()),
                        programme_years: number(r, "programme_years", 0.0),
                        licence_lag_years: number(r, "licence_lag_years", 0.0),
                    })
                    .collect(),
                specialties: rows("specialties.csv", SPECIALTIES)
                    .iter()
                    .map(|r| Specialty {
                        code: field(r, "code"),
                        name_sv: field(r, "name_sv"),
                        name_en: field(r, "name_en"),
                        layer: field(r, "layer"),
                        training_years: number(r, "training_years", 0.0),
                        service: field(r, "service"),
                    })
                    .collect(),
                programme_rules: rows("programme_rules.csv", PROGRAMME_RULES)
                    .iter()
                    .map(|r| ProgrammeRule {
                        profession: field(r, "profession"),
                        first_cohort: number(r, "first_cohort", i32::MAX),
                        first_cohort_share: number(r, "first_cohort_share", 1.0),
                        programme_years: number(r, "programme_years", 0.0),
                        licence_lag_years: number(r, "licence_lag_years", 0.0),
                        source: field(r, "source"),
                    })
                    .collect(),
                vocabularies: Vec::new(),
            };
            lists.vocabularies = vocabularies(&lists);
            lists
        })
    }

    /// The code a published label stands for in `list` (see [`Lookup`]).
    pub fn lookup(&self, list: List, text: &str) -> Lookup {
        match self.vocabularies.iter().find(|v| v.list == list) {
            Some(v) => v.lookup(text),
            None => Lookup::Unknown {
                nearest: Vec::new(),
            },
        }
    }

    /// The county with this code.
    pub fn county(&self, code: &str) -> Option<&County> {
        self.counties.iter().find(|c| c.code == code)
    }

    /// The municipality with this code.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The former municipality with this code (see [`FormerMunicipality`]).
    pub fn former_municipality(&self, code: &str) -> Option<&FormerMunicipality> {
        self.former_municipalities.iter().find(|m| m.code == code)
    }

    /// The profession or layer with this code.
    pub fn profession(&self, code: &str) -> Option<&Profession> {
        self.professions.iter().find(|p| p.code == code)
    }

    /// The programme rules of a profession, in order of their first cohort.
    pub fn programme_rules(&self, code: &str) -> Vec<&ProgrammeRule> {
        let mut rules: Vec<&ProgrammeRule> = self
            .programme_rules
            .iter()
            .filter(|r| r.profession == code)
            .collect();
        rules.sort_by_key(|r| r.first_cohort);
        rules
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

/// A county's short name: `Jämtlands län` → `Jämtland`, `Uppsala län` → `Uppsala`,
/// `Stockholm County` → `Stockholm`.
pub fn county_short(name: &str) -> String {
    if let Some(s) = name.strip_suffix(" län") {
        let s = s.trim();
        // The genitive s (Jämtlands, Västra Götalands), but not a name's own (Kalmar has none).
        return s.strip_suffix('s').unwrap_or(s).to_string();
    }
    name.strip_suffix(" County")
        .unwrap_or(name)
        .trim()
        .to_string()
}

fn vocabularies(c: &CodeLists) -> Vec<Vocabulary> {
    let mut out: Vec<Vocabulary> = List::ALL.iter().map(|l| Vocabulary::new(*l)).collect();
    let at = |l: List| List::ALL.iter().position(|x| *x == l).unwrap_or(0);
    {
        let v = &mut out[at(List::Professions)];
        for p in &c.professions {
            v.official(&p.code, &p.name_sv);
            v.add(&p.code, &p.name_en);
        }
    }
    {
        let regions = rows("counties.csv", COUNTIES);
        let v = &mut out[at(List::Counties)];
        for k in &c.counties {
            v.official(&k.code, &k.name_sv);
            v.add(&k.code, &k.name_en);
            let short = county_short(&k.name_sv);
            v.add(&k.code, &short);
            v.add(&k.code, &format!("Region {short}"));
            v.add(&k.code, &county_short(&k.name_en));
            if let Some(r) = regions.iter().find(|r| field(r, "code") == k.code) {
                v.add(&k.code, &field(r, "region_name_sv"));
            }
        }
    }
    {
        let v = &mut out[at(List::Municipalities)];
        for m in &c.municipalities {
            v.official(&m.code, &m.name_sv);
            v.add(&m.code, &format!("{} kommun", m.name_sv));
        }
    }
    for (list, named) in [
        (List::Sectors, &c.sectors),
        (List::HealthcareRegions, &c.healthcare_regions),
        (List::Services, &c.services),
    ] {
        let v = &mut out[at(list)];
        for n in named {
            v.official(&n.code, &n.name_sv);
            v.add(&n.code, &n.name_en);
        }
    }
    {
        let v = &mut out[at(List::Specialties)];
        for n in &c.specialties {
            v.official(&n.code, &n.name_sv);
            v.add(&n.code, &n.name_en);
        }
    }
    {
        let v = &mut out[at(List::Sexes)];
        v.official("1", "män");
        v.official("2", "kvinnor");
        for s in ["man", "m", "men", "male", "males", "pojkar"] {
            v.add("1", s);
        }
        for s in [
            "kvinna", "k", "f", "women", "woman", "female", "females", "flickor",
        ] {
            v.add("2", s);
        }
    }
    {
        let v = &mut out[at(List::Origins)];
        v.official("SE", "Sverige");
        v.official("EU", "EU/EES");
        v.official("TC", "tredje land");
    }
    {
        let v = &mut out[at(List::Assessments)];
        for a in ["brist", "balans", "överskott"] {
            v.official(a, a);
        }
    }
    for r in rows("aliases.csv", ALIASES) {
        let list = field(&r, "list");
        if let Some(l) = List::ALL.iter().find(|l| l.key() == list) {
            out[at(*l)].add(&field(&r, "code"), &field(&r, "alias"));
        }
    }
    out
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
    fn the_printed_lists_by_their_names_a_line_per_code() {
        let c = CodeLists::get();
        assert_eq!(List::printed("län"), Some(List::Counties));
        assert_eq!(List::printed("yrken"), Some(List::Professions));
        assert_eq!(List::printed("sexes"), None);
        let counties = c.listing(List::Counties);
        assert_eq!(counties.lines().count(), c.counties.len());
        assert!(
            counties.lines().all(|l| l.split('\t').count() == 4),
            "{counties}"
        );
        assert!(counties.contains("23\tJämtlands län\t"), "{counties}");
        assert_eq!(c.listing(List::Sexes), "");
    }

    #[test]
    fn programme_rules_name_a_programme_and_follow_each_other() {
        let c = CodeLists::get();
        assert!(!c.programme_rules.is_empty());
        for r in &c.programme_rules {
            let p = c.profession(&r.profession).expect("a known profession");
            assert!(p.programme_years > 0.0, "{r:?}");
            assert!((1900..2100).contains(&r.first_cohort), "{r:?}");
            assert!(
                r.first_cohort_share > 0.0 && r.first_cohort_share <= 1.0,
                "{r:?}"
            );
            assert!(
                r.programme_years > 0.0 && r.licence_lag_years >= 0.0,
                "{r:?}"
            );
            assert!(!r.source.is_empty(), "{r:?}");
            let mine = c.programme_rules(&r.profession);
            assert!(
                mine.windows(2)
                    .all(|w| w[0].first_cohort < w[1].first_cohort)
            );
        }
        // The physicians' reform: six years and the licence at the degree from the autumn of 2021.
        let lak = c.programme_rules("LAK");
        assert_eq!(
            (
                lak[0].first_cohort,
                lak[0].programme_years,
                lak[0].licence_lag_years
            ),
            (2021, 6.0, 0.0)
        );
    }

    #[test]
    fn a_code_list_number_is_blank_for_its_default_or_a_number() {
        let r = &rows("rules.csv", "profession,share\nSSK,0.5\nLAK,\n")[..];
        assert_eq!(number(&r[0], "share", 1.0), 0.5);
        assert_eq!(number(&r[1], "share", 1.0), 1.0);
    }

    #[test]
    #[should_panic(expected = "rules.csv, line 3, column share: \"0,5\" is not a number")]
    fn a_typo_in_a_code_list_number_stops_naming_list_line_and_column() {
        let r = rows("rules.csv", "profession,share\nSSK,0.5\nLAK,\"0,5\"\n");
        number(&r[1], "share", 1.0);
    }

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
        // A layer's parent is a profession of its own, never a layer (the projection and the
        // Monte Carlo kernel bound a layer by its parent's cells, parents first).
        let layers: Vec<(&str, &str)> = c
            .professions
            .iter()
            .filter_map(|p| Some((p.code.as_str(), p.layer_of.as_deref()?)))
            .collect();
        assert_eq!(layers, [("BMO", "SSK"), ("SPL", "LAK"), ("SSSK", "SSK")]);
        for (_, parent) in layers {
            assert!(c.profession(parent).unwrap().layer_of.is_none(), "{parent}");
        }
    }

    #[test]
    fn published_labels_find_their_codes() {
        let c = CodeLists::get();
        let code = |l, t: &str| match c.lookup(l, t) {
            Lookup::Code(x) => x,
            other => panic!("{t:?}: {other:?}"),
        };
        for t in [
            "Sjuksköterska",
            "Sjuksköterskor",
            "SJUKSKÖTERSKOR",
            " sjuksköterskor ",
            "Nurses",
            "SSK",
        ] {
            assert_eq!(code(List::Professions, t), "SSK", "{t}");
        }
        assert_eq!(code(List::Professions, "Läkare"), "LAK");
        assert_eq!(code(List::Professions, "Barnmorskor"), "BMO");
        assert_eq!(code(List::Professions, "Röntgensjuksköterskor"), "RSK");
        assert_eq!(
            code(List::Professions, "Hälso- och sjukvårdskuratorer"),
            "HSK"
        );
        for t in [
            "23",
            "Jämtlands län",
            "Jämtland",
            "Region Jämtland Härjedalen",
            "23 Jämtlands län",
            "Jämtland County",
        ] {
            assert_eq!(code(List::Counties, t), "23", "{t}");
        }
        assert_eq!(code(List::Counties, "Västra Götalands län"), "14");
        assert_eq!(code(List::Counties, "Västra Götalandsregionen"), "14");
        assert_eq!(code(List::Counties, "Uppsala"), "03");
        assert_eq!(code(List::Municipalities, "0114 Upplands Väsby"), "0114");
        assert_eq!(code(List::Municipalities, "Upplands Väsby"), "0114");
        assert_eq!(code(List::Municipalities, "Håbo"), "0305");
        for (t, want) in [
            ("1", "1"),
            ("män", "1"),
            ("Män", "1"),
            ("M", "1"),
            ("men", "1"),
            ("2", "2"),
            ("kvinnor", "2"),
            ("K", "2"),
            ("women", "2"),
        ] {
            assert_eq!(code(List::Sexes, t), want, "{t}");
        }
        assert_eq!(code(List::Sectors, "Region"), "R");
        assert_eq!(code(List::Sectors, "Kommun"), "K");
        assert_eq!(code(List::Sectors, "Privat"), "P");
        assert_eq!(code(List::Origins, "EU/EES"), "EU");
        assert_eq!(code(List::Origins, "Tredje land"), "TC");
        assert_eq!(c.lookup(List::Sexes, "1+2"), Lookup::Total);
        assert_eq!(c.lookup(List::Counties, "Riket"), Lookup::Total);
    }

    #[test]
    fn near_misses_name_the_official_names() {
        let c = CodeLists::get();
        assert_eq!(
            c.lookup(List::Counties, "Jamtlands lan"),
            Lookup::Unknown {
                nearest: vec!["Jämtlands län (23)".into()]
            }
        );
        // Without diacritics Habo may be Håbo as well: both are named.
        assert_eq!(
            c.lookup(List::Municipalities, "Habo"),
            Lookup::Unknown {
                nearest: vec!["Håbo (0305)".into(), "Habo (0643)".into()]
            }
        );
        assert_eq!(
            c.lookup(List::Professions, "Sjukskoterska"),
            Lookup::Unknown {
                nearest: vec!["Sjuksköterska (SSK)".into()]
            }
        );
        assert_eq!(
            c.lookup(List::Professions, "Sjuksköterskorr"),
            Lookup::Unknown {
                nearest: vec!["Sjuksköterska (SSK)".into()]
            }
        );
        // Codes are not spelt.
        assert_eq!(
            c.lookup(List::Counties, "02"),
            Lookup::Unknown { nearest: vec![] }
        );
        assert_eq!(
            c.lookup(List::Counties, "24 Jämtlands län"),
            Lookup::Unknown {
                nearest: vec!["Västerbottens län (24)".into()]
            }
        );
    }

    #[test]
    fn ages_as_published() {
        assert_eq!(age("34"), Some(Age::Single(34)));
        assert_eq!(age("34 år"), Some(Age::Single(34)));
        assert_eq!(age("100+ år"), Some(Age::OpenTop(100)));
        assert_eq!(age("95 år och äldre"), Some(Age::OpenTop(95)));
        assert_eq!(age("65+"), Some(Age::OpenTop(65)));
        assert_eq!(age("20-24"), Some(Age::Band(20, 24)));
        assert_eq!(age("20–24 år"), Some(Age::Band(20, 24)));
        assert_eq!(age("-29"), Some(Age::Band(0, 29)));
        assert_eq!(age("totalt"), Some(Age::Total));
        assert_eq!(age("24-20"), None);
        assert_eq!(age("130"), None);
        assert_eq!(age("abc"), None);
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
