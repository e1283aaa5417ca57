//! A seeded synthetic person-level register, consistent with the embedded default data.
//!
//! Every person-year, licence and student event of [`write()`]'s extracts is made from a cell of the
//! embedded tables, so that `hwf aggregate` on them gives those tables back (at `scale` 1 exactly,
//! for the counties asked): a test of the aggregation against numbers it did not make, and data of
//! any size for its benchmark. Where the default data hold more employed persons in a cell than
//! licensed ones (a synthetic table need not nest), the extra employed are made as persons with the
//! licence too, and counted in [`Summary::excess_employed`].
//!
//! Person ids are pseudonyms: a bijective mixing of the person's cohort and rank, so they are
//! unique, stable from year to year within a cohort, and tell nothing by their order. The
//! specialist layers (specialist physicians, specialist nurses, midwives) share the ids of their
//! parent profession's persons, as they would in the licence register. The licence and education
//! extracts have ids of their own (not linked to the person-year extract).

use super::{AGES, Reason};
use crate::codes::CodeLists;
use crate::table::Table;
use polars::prelude::*;
use rand_core::Rng;
use rand_pcg::Pcg64;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to make.
#[derive(Clone, Debug)]
pub struct Options {
    /// Each count of the default data is multiplied by this (1 = the default data's size).
    pub scale: f64,
    /// The seed of the rounding of scaled counts, the dates and the countries of education.
    pub seed: u64,
    /// Only these counties (codes); all when empty. The education extract then holds the
    /// health-care regions the counties belong to.
    pub counties: Vec<String>,
    /// Write CSV instead of Parquet.
    pub csv: bool,
    /// Add a known set of faulty rows (see [`DIRT`]), for tests of the drop report.
    pub dirty: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            scale: 1.0,
            seed: 2023,
            counties: Vec::new(),
            csv: false,
            dirty: false,
        }
    }
}

/// The faulty rows `dirty` adds, by extract and reason, with their number: what the drop report of
/// `hwf aggregate` must then show.
pub const DIRT: [(&str, &str, u64); 10] = [
    ("persons", "no person id", 3),
    ("persons", "impossible age", 2),
    ("persons", "repeated record", 4),
    ("persons", "conflicting records", 2),
    ("persons", "unknown profession", 2),
    ("persons", "outside ages", 1),
    ("persons", "impossible FTE", 1),
    ("licences", "repeated record", 2),
    ("licences", "unreadable date", 1),
    ("education", "other event", 1),
];

/// The reason in [`Reason`] terms of a [`DIRT`] entry.
pub fn dirt_reason(what: &str) -> Reason {
    match what {
        "no person id" => Reason::MissingId,
        "impossible age" => Reason::ImpossibleAge,
        "repeated record" => Reason::Duplicate,
        "conflicting records" => Reason::Conflicting,
        "unknown profession" => Reason::UnknownCode("profession".into(), "XYZ".into()),
        "outside ages" => Reason::OutsideAges,
        "impossible FTE" => Reason::ImpossibleFte,
        "unreadable date" => Reason::UnreadableDate,
        _ => Reason::OtherEvent("avbrott".into()),
    }
}

/// What was made.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Rows of the person-year, licence and education extracts.
    pub rows: [u64; 3],
    /// The files written (names in the folder), the spec last.
    pub files: Vec<String>,
    /// Employed persons beyond the licensed ones of their cell, made as licensed persons too.
    pub excess_employed: u64,
}

impl Summary {
    /// The line `hwf synth-register` prints: the rows of each extract, and the employed persons
    /// made licensed where there were any.
    pub fn text(&self) -> String {
        format!(
            "SYNTHETIC register: {} person-years, {} licences, {} student events{}",
            self.rows[0],
            self.rows[1],
            self.rows[2],
            if self.excess_employed > 0 {
                format!(
                    " ({} employed beyond the licensed of their cell made licensed too)",
                    self.excess_employed
                )
            } else {
                String::new()
            }
        )
    }
}

/// Errors of the generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// An embedded table could not be read (a bug: the test suite reads them all).
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    /// An option is out of range.
    #[error("{0}")]
    Option(String),
    /// A file could not be written.
    #[error("{path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// The output folder could not be made, or must not be replaced.
    #[error(transparent)]
    Publish(#[from] crate::publish::atomic::PublishError),
}

/// The mixing of a packed cohort and rank into a pseudonymous id: a bijection of 48-bit integers
/// (odd multipliers and xor-shifts), so distinct packed values give distinct ids.
fn pseudonym(packed: u64) -> i64 {
    const M: u64 = (1 << 48) - 1;
    let mut x = packed & M;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) & M;
    x ^= x >> 24;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9) & M;
    x ^= x >> 21;
    x as i64
}

/// `v × scale`, rounded up with probability equal to the fraction (exact at scale 1).
fn scaled(v: f64, scale: f64, rng: &mut Pcg64) -> u64 {
    let x = v.max(0.0) * scale;
    let f = x.floor();
    let frac = x - f;
    let up = frac > 0.0 && uniform(rng) < frac;
    f as u64 + u64::from(up)
}

fn uniform(rng: &mut Pcg64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Cells of an embedded table by their codes, in the order of `dims`.
fn cells(t: &Table, dims: &[&str]) -> Vec<(Vec<String>, f64)> {
    let idx: Vec<usize> = dims
        .iter()
        .map(|d| {
            t.dims
                .iter()
                .position(|x| {
                    x.label_en.as_deref() == Some(d)
                        || x.id.eq_ignore_ascii_case(d)
                        || crate::validate::Concept::try_from(*d)
                            .is_ok_and(|c| crate::validate::Concept::of(x) == Some(c))
                })
                .unwrap_or_else(|| panic!("embedded table {} has no dimension {d}", t.meta.origin))
        })
        .collect();
    (0..t.len())
        .filter_map(|r| {
            let v = t.value(r)?;
            Some((idx.iter().map(|&d| t.code(d, r).to_string()).collect(), v))
        })
        .collect()
}

/// One person-year row: id, year, birth year, sex, county, profession, sector, FTE.
type Row = (
    Option<i64>,
    i32,
    i32,
    i32,
    String,
    String,
    Option<String>,
    Option<f64>,
);

/// Columns of the person-year extract under construction.
#[derive(Default)]
struct Persons {
    id: Vec<Option<i64>>,
    year: Vec<i32>,
    birth: Vec<i32>,
    sex: Vec<i32>,
    county: Vec<String>,
    prof: Vec<String>,
    sector: Vec<Option<String>>,
    fte: Vec<Option<f64>>,
}

impl Persons {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: Option<i64>,
        year: i32,
        birth: i32,
        sex: i32,
        county: &str,
        prof: &str,
        sector: Option<&str>,
        fte: Option<f64>,
    ) {
        self.id.push(id);
        self.year.push(year);
        self.birth.push(birth);
        self.sex.push(sex);
        self.county.push(county.into());
        self.prof.push(prof.into());
        self.sector.push(sector.map(str::to_string));
        self.fte.push(fte);
    }

    fn len(&self) -> usize {
        self.id.len()
    }

    fn row(&self, i: usize) -> Row {
        (
            self.id[i],
            self.year[i],
            self.birth[i],
            self.sex[i],
            self.county[i].clone(),
            self.prof[i].clone(),
            self.sector[i].clone(),
            self.fte[i],
        )
    }

    fn frame(self) -> PolarsResult<DataFrame> {
        let n = self.len();
        DataFrame::new(
            n,
            vec![
                Column::new("person_id".into(), self.id),
                Column::new("year".into(), self.year),
                Column::new("birth_year".into(), self.birth),
                Column::new("sex".into(), self.sex),
                Column::new("county".into(), self.county),
                Column::new("profession".into(), self.prof),
                Column::new("sector".into(), self.sector),
                Column::new("fte".into(), self.fte),
            ],
        )
    }
}

/// A file of batches, Parquet or CSV.
enum Sink {
    Parquet(Box<polars::io::parquet::write::BatchedWriter<std::fs::File>>),
    Csv(std::fs::File, bool),
}

impl Sink {
    fn create(path: &Path, csv: bool, schema: &Schema) -> Result<Sink, SynthError> {
        let f = std::fs::File::create(path).map_err(|e| write_err(path, e))?;
        Ok(if csv {
            Sink::Csv(f, true)
        } else {
            Sink::Parquet(Box::new(
                ParquetWriter::new(f)
                    .batched(schema)
                    .map_err(|e| write_err(path, e))?,
            ))
        })
    }

    fn write(&mut self, path: &Path, mut df: DataFrame) -> Result<(), SynthError> {
        match self {
            Sink::Parquet(w) => w.write_batch(&df).map_err(|e| write_err(path, e)),
            Sink::Csv(f, header) => {
                let r = CsvWriter::new(&mut *f)
                    .include_header(*header)
                    .finish(&mut df);
                *header = false;
                r.map_err(|e| write_err(path, e))
            }
        }
    }

    fn finish(self, path: &Path) -> Result<(), SynthError> {
        match self {
            Sink::Parquet(w) => w.finish().map(|_| ()).map_err(|e| write_err(path, e)),
            Sink::Csv(f, _) => f.sync_all().map_err(|e| write_err(path, e)),
        }
    }
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> SynthError {
    SynthError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// [`write()`] into an output folder that appears whole or not at all
/// ([`crate::publish::atomic::write_dir`]).
///
/// # Errors
///
/// As [`write()`] (the register's own error, not wrapped), and [`SynthError::Publish`] when the
/// folder must not be replaced or cannot be made.
pub fn write_folder(
    out: &crate::publish::atomic::OutDir,
    o: &Options,
) -> Result<Summary, SynthError> {
    let mut done = None;
    let mut failed = None;
    let placed = crate::publish::atomic::write_dir(out, |tmp| match write(tmp, o) {
        Ok(s) => {
            done = Some(s);
            Ok(())
        }
        Err(e) => {
            let message = e.to_string();
            failed = Some(e);
            Err(std::io::Error::other(message))
        }
    });
    match (placed, failed, done) {
        (_, Some(e), _) => Err(e),
        (Err(e), None, _) => Err(e.into()),
        (Ok(()), None, Some(s)) => Ok(s),
        (Ok(()), None, None) => Err(SynthError::Option(
            "the register was not written (no summary)".into(),
        )),
    }
}

/// Writes the three extracts and a spec file for `hwf aggregate` into `dir` (which must exist).
///
/// # Errors
///
/// [`SynthError::Option`] for a scale that is not positive and finite or an unknown county;
/// [`SynthError::Write`] when a file cannot be written.
pub fn write(dir: &Path, o: &Options) -> Result<Summary, SynthError> {
    if !(o.scale.is_finite() && o.scale > 0.0 && o.scale <= 1000.0) {
        return Err(SynthError::Option(format!(
            "scale {}: expected a number above 0 and at most 1000",
            o.scale
        )));
    }
    let lists = CodeLists::get();
    for c in &o.counties {
        if lists.county(c).is_none() {
            return Err(SynthError::Option(format!(
                "county {c:?}: expected a county code (see `hwf codes counties`)"
            )));
        }
    }
    let wanted = |c: &str| o.counties.is_empty() || o.counties.iter().any(|x| x == c);
    let regions: Vec<String> = lists
        .counties
        .iter()
        .filter(|c| wanted(&c.code))
        .map(|c| c.healthcare_region.clone())
        .collect();
    let ext = if o.csv { "csv" } else { "parquet" };
    let mut rng = Pcg64::new(
        0xcafe_f00d_d15e_a5e5_u128 ^ u128::from(o.seed),
        0xa02b_db9e_7b5c_8f7d_u128,
    );
    let mut summary = Summary::default();
    let prof_index: HashMap<&str, usize> = lists
        .professions
        .iter()
        .enumerate()
        .map(|(i, p)| (p.code.as_str(), i))
        .collect();
    // The parent of a specialist layer: its persons carry the parent's ids.
    let parent = |p: &str| -> usize {
        let q = &lists.professions[prof_index[p]];
        prof_index[q.layer_of.as_deref().unwrap_or(p)]
    };
    let county_index = |c: &str| lists.counties.iter().position(|x| x.code == c).unwrap_or(0);

    // --- persons: licensed persons, of whom the employed ones by sector.
    let licensed = crate::defaults::table("licensed.px")?;
    let employed = crate::defaults::table("employed.px")?;
    type Cell = (String, String, String, u32, i32);
    let mut emp: HashMap<Cell, [f64; 6]> = HashMap::new();
    for (k, v) in cells(
        &employed,
        &[
            "profession",
            "county",
            "sector",
            "sex",
            "age",
            "contents",
            "year",
        ],
    ) {
        if !wanted(&k[1]) {
            continue;
        }
        let cell = (
            k[0].clone(),
            k[1].clone(),
            k[3].clone(),
            k[4].parse().unwrap_or(0),
            k[6].parse().unwrap_or(0),
        );
        let h = ["R", "K", "P"].iter().position(|s| *s == k[2]).unwrap_or(0);
        let m = usize::from(k[5] == "FTE");
        emp.entry(cell).or_default()[h + 3 * m] += v;
    }
    let mut lic: Vec<(Cell, f64)> =
        cells(&licensed, &["profession", "county", "sex", "age", "year"])
            .into_iter()
            .filter(|(k, _)| wanted(&k[1]))
            .map(|(k, v)| {
                (
                    (
                        k[0].clone(),
                        k[1].clone(),
                        k[2].clone(),
                        k[3].parse().unwrap_or(0),
                        k[4].parse().unwrap_or(0),
                    ),
                    v,
                )
            })
            .collect();
    lic.sort_by(|a, b| (a.0.4, &a.0).cmp(&(b.0.4, &b.0)));
    let path = dir.join(format!("persons.{ext}"));
    let schema = Persons::default()
        .frame()
        .map_err(|e| write_err(&path, e))?
        .schema()
        .as_ref()
        .clone();
    let mut sink = Sink::create(&path, o.csv, &schema)?;
    let mut batch = Persons::default();
    let mut sample: Vec<Row> = Vec::new();
    for (i, ((p, c, s, a, y), v)) in lic.iter().enumerate() {
        let e = emp
            .get(&(p.clone(), c.clone(), s.clone(), *a, *y))
            .copied()
            .unwrap_or_default();
        let counts: Vec<u64> = (0..3).map(|h| scaled(e[h], o.scale, &mut rng)).collect();
        let n_emp: u64 = counts.iter().sum();
        let n = scaled(*v, o.scale, &mut rng);
        if n_emp > n {
            summary.excess_employed += n_emp - n;
        }
        let n = n.max(n_emp);
        let birth = y - *a as i32;
        let sex: i32 = s.parse().unwrap_or(1);
        let base = (parent(p) as u64) << 41
            | (county_index(c) as u64) << 36
            | ((sex - 1) as u64) << 35
            | ((birth - 1880).clamp(0, 255) as u64) << 27;
        let mut k = 0u64;
        for h in 0..3 {
            // The sector's FTE in hundredths, spread as evenly as it goes over its persons.
            let hundredths = (e[h + 3] * o.scale * 100.0).round() as u64;
            let m = counts[h];
            for j in 0..m {
                // (m > 0 inside this loop.)
                let f = hundredths / m + u64::from(j < hundredths % m);
                batch.push(
                    Some(pseudonym(base | k)),
                    *y,
                    birth,
                    sex,
                    c,
                    p,
                    Some(["R", "K", "P"][h]),
                    Some(f as f64 / 100.0),
                );
                k += 1;
            }
        }
        while k < n {
            batch.push(Some(pseudonym(base | k)), *y, birth, sex, c, p, None, None);
            k += 1;
        }
        if sample.len() < 4 && n_emp > 0 {
            sample.push(batch.row(batch.len() - n as usize));
        }
        let last = i + 1 == lic.len();
        let last_of_year = last || lic[i + 1].0.4 != *y;
        if last_of_year || batch.len() >= 1 << 20 {
            if o.dirty && last {
                dirt_persons(&mut batch, &sample);
            }
            summary.rows[0] += batch.len() as u64;
            let df = std::mem::take(&mut batch)
                .frame()
                .map_err(|e| write_err(&path, e))?;
            sink.write(&path, df)?;
        }
    }
    sink.finish(&path)?;
    summary.files.push(format!("persons.{ext}"));

    // --- licences: one row per licence issued.
    let issued = crate::defaults::table("licences_issued.px")?;
    let countries: [&[&str]; 3] = [
        &["SE"],
        &["DE", "PL", "FI", "DK", "RO", "GR", "LT", "NO", "HU", "IT"],
        &["IR", "SY", "UA", "IQ", "RS", "BA", "IN", "US", "RU", "TR"],
    ];
    let mut rows: Vec<Licence> = Vec::new();
    let mut rank: HashMap<(usize, usize, i32, i32), u64> = HashMap::new();
    let mut issued_cells = cells(
        &issued,
        &[
            "profession",
            "county",
            "education_country",
            "sex",
            "age",
            "year",
        ],
    );
    issued_cells.retain(|(k, _)| wanted(&k[1]));
    for (k, v) in issued_cells {
        let n = scaled(v, o.scale, &mut rng);
        let (y, a): (i32, i32) = (k[5].parse().unwrap_or(0), k[4].parse().unwrap_or(0));
        let sex: i32 = k[3].parse().unwrap_or(1);
        let origin = ["SE", "EU", "TC"]
            .iter()
            .position(|x| *x == k[2])
            .unwrap_or(2);
        let (p, c) = (prof_index[k[0].as_str()], county_index(&k[1]));
        for _ in 0..n {
            let r = rank.entry((p, c, sex, y - a)).or_default();
            let id = pseudonym(
                1 << 46
                    | (p as u64) << 41
                    | (c as u64) << 36
                    | ((sex - 1) as u64) << 35
                    | ((y - a - 1880).clamp(0, 255) as u64) << 27
                    | *r,
            );
            *r += 1;
            let month = 1 + (rng.next_u64() % 12) as u32;
            let day = 1 + (rng.next_u64() % 28) as u32;
            let list = countries[origin];
            let country = list[(rng.next_u64() % list.len() as u64) as usize];
            rows.push(Licence {
                id: Some(id),
                prof: k[0].clone(),
                date: format!("{y}-{month:02}-{day:02}"),
                birth: y - a,
                sex,
                county: k[1].clone(),
                country: country.to_string(),
            });
        }
    }
    if o.dirty && rows.len() >= 2 {
        // Two licences registered again a year later (counted once), one date unreadable.
        for i in 0..2 {
            let mut r = rows[i].clone();
            let y: i32 = r.date[..4].parse().unwrap_or(2000) + 1;
            r.date = format!("{y}{}", &r.date[4..]);
            rows.push(r);
        }
        let mut r = rows[2].clone();
        r.id = Some(pseudonym(3 << 46));
        r.date = "okänt".into();
        rows.push(r);
    }
    summary.rows[1] = rows.len() as u64;
    let path = dir.join(format!("licences.{ext}"));
    write_one(
        &path,
        o.csv,
        vec![
            column("person_id", rows.iter().map(|r| r.id)),
            column("profession", rows.iter().map(|r| r.prof.as_str())),
            column("licence_date", rows.iter().map(|r| r.date.as_str())),
            column("birth_year", rows.iter().map(|r| r.birth)),
            column("sex", rows.iter().map(|r| r.sex)),
            column("county", rows.iter().map(|r| r.county.as_str())),
            column("education_country", rows.iter().map(|r| r.country.as_str())),
        ],
    )?;
    summary.files.push(format!("licences.{ext}"));

    // --- education: one row per beginning and per degree.
    let admissions = crate::defaults::table("admissions.csv")?;
    let mut events: Vec<Event> = Vec::new();
    let region_index = |r: &str| {
        lists
            .healthcare_regions
            .iter()
            .position(|x| x.code == r)
            .unwrap_or(0)
    };
    for (k, v) in cells(
        &admissions,
        &["profession", "healthcare_region", "uppgift", "year"],
    ) {
        if !regions.contains(&k[1]) {
            continue;
        }
        let event = match k[2].as_str() {
            "nybörjare" => 0u64,
            "examinerade" => 1,
            _ => continue,
        };
        let y: i32 = k[3].parse().unwrap_or(0);
        let n = scaled(v, o.scale, &mut rng);
        for j in 0..n {
            events.push(Event {
                id: Some(pseudonym(
                    2 << 46
                        | (prof_index[k[0].as_str()] as u64) << 41
                        | (region_index(&k[1]) as u64) << 38
                        | ((y - 1900).clamp(0, 255) as u64) << 30
                        | event << 29
                        | j,
                )),
                programme: k[0].clone(),
                region: k[1].clone(),
                year: y,
                event: if event == 0 {
                    "nybörjare"
                } else {
                    "examinerad"
                },
            });
        }
    }
    if o.dirty
        && let Some(first) = events.first().cloned()
    {
        events.push(Event {
            id: Some(pseudonym(3 << 46 | 1)),
            event: "avbrott",
            ..first
        });
    }
    summary.rows[2] = events.len() as u64;
    let path = dir.join(format!("education.{ext}"));
    write_one(
        &path,
        o.csv,
        vec![
            column("person_id", events.iter().map(|r| r.id)),
            column("programme", events.iter().map(|r| r.programme.as_str())),
            column("region", events.iter().map(|r| r.region.as_str())),
            column("year", events.iter().map(|r| r.year)),
            column("event", events.iter().map(|r| r.event)),
        ],
    )?;
    summary.files.push(format!("education.{ext}"));

    let spec = format!(
        "# hwf aggregate spec for a SYNTHETIC register made by `hwf synth-register` (seed {}, scale {}).\n\
         # The columns have hwf's names; name a real extract's own under [persons.columns] etc.\n\
         format = \"parquet\"\nsynthetic = true\n\n[persons]\nfile = \"persons.{ext}\"\n\n[licences]\nfile = \"licences.{ext}\"\n\n[education]\nfile = \"education.{ext}\"\n",
        o.seed, o.scale
    );
    let path = dir.join("spec.toml");
    std::fs::write(&path, spec).map_err(|e| write_err(&path, e))?;
    summary.files.push("spec.toml".into());
    Ok(summary)
}

/// One licence: id, profession, date, birth year, sex, county, country of education.
#[derive(Clone)]
struct Licence {
    id: Option<i64>,
    prof: String,
    date: String,
    birth: i32,
    sex: i32,
    county: String,
    country: String,
}

/// One student event: id, programme, health-care region, year, event.
#[derive(Clone)]
struct Event {
    id: Option<i64>,
    programme: String,
    region: String,
    year: i32,
    event: &'static str,
}

/// A named column of values.
fn column<T, I>(name: &str, values: I) -> Column
where
    I: Iterator<Item = T>,
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), values.collect::<Vec<T>>())
}

/// Writes one frame of `columns` to `path`, Parquet or CSV.
fn write_one(path: &Path, csv: bool, columns: Vec<Column>) -> Result<(), SynthError> {
    let n = columns.first().map_or(0, Column::len);
    let df = DataFrame::new(n, columns).map_err(|e| write_err(path, e))?;
    let mut sink = Sink::create(path, csv, df.schema())?;
    sink.write(path, df)?;
    sink.finish(path)
}

/// Appends [`DIRT`]'s faulty person-year rows to the last batch; `sample` are rows of employed
/// persons to repeat.
fn dirt_persons(b: &mut Persons, sample: &[Row]) {
    let Some((_, y, birth, sex, county, prof, _, _)) = sample.first().cloned() else {
        return;
    };
    // Ids the cohorts cannot give (tag 3).
    let fresh = |k: u64| Some(pseudonym(3 << 46 | 16 | k));
    for _ in 0..3 {
        b.push(None, y, birth, sex, &county, &prof, None, None);
    }
    for k in 0..2 {
        b.push(fresh(k), y, y + 5, sex, &county, &prof, None, None);
    }
    for (id, y, birth, sex, county, prof, sector, fte) in sample.iter().take(4) {
        b.push(*id, *y, *birth, *sex, county, prof, sector.as_deref(), *fte);
    }
    let other = if county == "01" { "03" } else { "01" };
    b.push(fresh(2), y, birth, sex, &county, &prof, None, None);
    b.push(fresh(2), y, birth, sex, other, &prof, None, None);
    for k in 3..5 {
        b.push(fresh(k), y, birth, sex, &county, "XYZ", None, None);
    }
    b.push(
        fresh(5),
        y,
        y - (AGES.1 + 6),
        sex,
        &county,
        &prof,
        None,
        None,
    );
    b.push(fresh(6), y, birth, sex, &county, &prof, Some("R"), None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for p in 0..24u64 {
            for k in 0..2000u64 {
                assert!(seen.insert(pseudonym(p << 41 | k)));
            }
        }
    }

    #[test]
    fn scaling_is_exact_at_one() {
        let mut rng = Pcg64::new(1, 1);
        assert_eq!(scaled(17.0, 1.0, &mut rng), 17);
        let total: u64 = (0..10_000).map(|_| scaled(1.0, 0.25, &mut rng)).sum();
        assert!((2300..2700).contains(&total), "{total}");
    }
}
