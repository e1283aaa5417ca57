//! The planning support's descriptive tables: what the workforce looks like today, from the same
//! inputs the projection reads (issue 22, item 7).
//!
//! ```text
//! tables/describe_professions   per profession: employed persons and FTE, per 100 000 inhabitants,
//!                               median age, shares aged 60–74 and 67–74, licences by country of
//!                               education over the last five licence years, beginners per place
//! tables/describe_counties      per profession × county: employed persons and FTE, population,
//!                               both per 100 000 inhabitants
//! tables/describe_ages          per profession × age band: employed persons and share
//! tables/describe_licences      per profession × licence year × country of education: licences
//! ```
//!
//! Every figure is a count of persons or derived from one, so each goes through disclosure
//! control ([`super::disclosure`]) and none adds to what an attacker of `employed_base_year` knows:
//! - the county figures are that table's own published cells (both sexes), divided by the
//!   population (public); a withheld count withholds its rates;
//! - the age bands are a national table of their own, protected as one (bands and their total);
//!   its total is the national total `employed_base_year` publishes, and when either table withholds
//!   it the whole age table is withheld. A national split by age cannot narrow the county cells:
//!   any county × sex table agrees with any age × sex table of the same sex totals (a transport
//!   problem with equal totals always has a non-negative integer solution), so the two tables
//!   together say nothing about a county cell that the county table alone does not;
//! - shares and the median age are published only where the counts they come from are;
//! - licences issued are a table of years × countries of education with its margins, protected as
//!   one; the five-year sums are its margins.
//!
//! Ages are the workforce ages hwf models, 20–74 (persons above 74 are left out on reading). When
//! the employed table gave ages in bands, single years are the ungrouping's estimates, and the age
//! figures carry the status `estimated`.

use super::disclosure::{self, Profile};
use super::report::{Disclosed, esc, num, population_in, prof_name, rate_text, tr};
use super::results::{Data, Wide};
use crate::model::Projection;
use crate::model::inputs::{AGE_MIN, NA};
use crate::table::Lang;
use std::fmt::Write as _;

/// The age bands of the age table, first and last year inclusive: ten-year bands, then 60–66
/// (before the pension age the planning support uses) and 67–74.
pub const AGE_BANDS: [(u32, u32); 6] = [(20, 29), (30, 39), (40, 49), (50, 59), (60, 66), (67, 74)];

/// How many licence years (the latest up to the base year) the licence table covers.
pub const LICENCE_YEARS: usize = 5;

/// The countries of education of licences issued, as the table names them (the order of
/// [`crate::model::inputs::Inputs::issued`]'s origins).
const ORIGINS: [&str; 3] = ["sweden", "eu_eea", "third_country"];

/// One profession's descriptive figures, as published (`None` = withheld or not available).
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// Employed persons in the employment year, Sweden (or the scope).
    pub employed: Option<f64>,
    /// Their FTE.
    pub fte: Option<f64>,
    /// Employed persons per age band of [`AGE_BANDS`], then the total.
    pub bands: Vec<Option<f64>>,
    /// Median age of the employed (persons spread evenly over each year of age).
    pub median_age: Option<f64>,
    /// Licences issued per licence year of [`Described::licence_years`] and then the sum over them;
    /// each row by country of education (`ORIGINS`) and then all.
    pub licences: Vec<[Option<f64>; 4]>,
}

impl Facts {
    /// The share (per cent) of the employed in the bands `from..` of [`AGE_BANDS`]: their sum, or
    /// the total less the bands before them when only those are all published (the sum of
    /// withheld cells that make up a published total less published cells is public anyway);
    /// `None` when neither side is whole or the total is withheld.
    pub fn share_from(&self, from: usize) -> Option<f64> {
        let total = self.bands.last().copied().flatten()?;
        let n = AGE_BANDS.len();
        let part: Option<f64> = self.bands[from..n].iter().copied().sum();
        let before: Option<f64> = self.bands[..from].iter().copied().sum();
        let part = part.or_else(|| before.map(|b| total - b))?;
        (total > 0.0).then(|| 100.0 * part / total)
    }

    /// The share (per cent) of licences from foreign education (EU/EEA and third countries) over
    /// the licence years: their sum, or all less Swedish education when only that is published;
    /// `None` when neither can be had.
    pub fn foreign_share(&self) -> Option<f64> {
        let sum = self.licences.last()?;
        let all = sum[3]?;
        let foreign = sum[1]
            .zip(sum[2])
            .map(|(eu, tc)| eu + tc)
            .or_else(|| sum[0].map(|se| all - se))?;
        (all > 0.0).then(|| 100.0 * foreign / all)
    }
}

/// The descriptive figures of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Described {
    /// The employment year the workforce figures describe (the last with employment data).
    pub year: i32,
    /// The licence years the licence figures cover.
    pub licence_years: Vec<i32>,
    /// Whether the employed table's ages were ungrouped from bands (age figures estimated).
    pub ages_estimated: bool,
    /// Per profession, in the grid's order.
    pub professions: Vec<Facts>,
}

/// The median of counts by single year of age from [`AGE_MIN`], each year's persons spread evenly
/// over it (`[a, a + 1)`); `None` without anyone.
pub fn median_age(counts: &[f64]) -> Option<f64> {
    let total: f64 = counts.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let half = total / 2.0;
    let mut below = 0.0;
    for (a, &n) in counts.iter().enumerate() {
        if n > 0.0 && below + n >= half {
            return Some(AGE_MIN as f64 + a as f64 + (half - below) / n);
        }
        below += n;
    }
    None
}

/// Persons in a one-column table of parts and their total, disclosure-controlled: the published
/// parts, then the total (`None` where withheld). Counts are rounded to whole persons first.
fn protect_parts(parts: &[f64], profile: Profile) -> Vec<Option<f64>> {
    let inner: Vec<f64> = parts.iter().map(|v| v.round()).collect();
    let grid = disclosure::CountTable::with_margins(inner.len(), 1, &inner);
    let mask = disclosure::suppress(&grid, profile);
    (0..=inner.len())
        .map(|r| {
            let i = grid.at(r, 0);
            (!mask[i]).then(|| profile.publish(grid.values[i]))
        })
        .collect()
}

/// The descriptive figures of `pr`, protected as `d` (the base-year tables) is; built once with
/// the base-year tables ([`super::report::disclosed`]) and held there as `d.described`.
pub fn describe(pr: &Projection, d: &Disclosed) -> Described {
    let inp = &pr.inputs;
    let g = &inp.grid;
    let profile = d.profile;
    let yi = inp.employment_years.len() - 1;
    let cells = g.cells();
    // The last licence years up to the base year, as indices into the licence arrays.
    let upto = inp
        .licence_years
        .iter()
        .filter(|&&y| y <= pr.scenario.base_year)
        .count();
    let licence_idx: Vec<usize> = (upto.saturating_sub(LICENCE_YEARS)..upto).collect();
    let licence_years: Vec<i32> = licence_idx.iter().map(|&i| inp.licence_years[i]).collect();
    let mut professions = Vec::new();
    for p in 0..g.np() {
        let (grid, mask) = &d.grids[p];
        let total = grid.at(grid.rows, grid.cols);
        let employed = (!mask[total]).then(|| profile.publish(grid.values[total]));
        let fte = (!mask[total]).then(|| profile.publish_derived(d.fte[p][total]));
        // Employed persons by single year of age, all counties, sexes and sectors.
        let mut ages = vec![0.0; NA];
        for k in 0..g.nk() {
            for c in 0..g.nc() {
                for s in 0..2 {
                    let at = (yi * g.nk() + k) * cells + g.idx(p, c, s, 0);
                    for (a, n) in ages.iter_mut().enumerate() {
                        *n += inp.employed[at + a];
                    }
                }
            }
        }
        let parts: Vec<f64> = AGE_BANDS
            .iter()
            .map(|&(lo, hi)| {
                ages[(lo - AGE_MIN) as usize..=(hi - AGE_MIN) as usize]
                    .iter()
                    .sum()
            })
            .collect();
        let mut bands = protect_parts(&parts, profile);
        // The age table stands only where both it and `employed_base_year` publish the total.
        if employed.is_none() || bands.last().copied().flatten().is_none() {
            bands = vec![None; AGE_BANDS.len() + 1];
        }
        let median_age = bands
            .last()
            .copied()
            .flatten()
            .and_then(|_| median_age(&ages));
        // Licences issued, national, by licence year × country of education.
        let mut inner = Vec::new();
        for &li in &licence_idx {
            for o in 0..3 {
                let mut n = 0.0;
                for c in 0..g.nc() {
                    for s in 0..2 {
                        let at = (li * 3 + o) * cells + g.idx(p, c, s, 0);
                        n += inp.issued[at..at + NA].iter().sum::<f64>();
                    }
                }
                inner.push(n.round());
            }
        }
        let lgrid = disclosure::CountTable::with_margins(licence_years.len(), 3, &inner);
        let lmask = disclosure::suppress(&lgrid, profile);
        let licences = (0..=licence_years.len())
            .map(|r| {
                let mut row = [None; 4];
                for (o, v) in row.iter_mut().enumerate() {
                    let i = lgrid.at(r, o);
                    *v = (!lmask[i]).then(|| profile.publish(lgrid.values[i]));
                }
                row
            })
            .collect();
        professions.push(Facts {
            employed,
            fte,
            bands,
            median_age,
            licences,
        });
    }
    Described {
        year: d.year,
        licence_years,
        ages_estimated: pr.ages_ungrouped("employed"),
        professions,
    }
}

/// Per 100 000 inhabitants of `pop` (`None` without a count or a population).
fn per_100k(n: Option<f64>, pop: f64) -> Option<f64> {
    n.filter(|_| pop > 0.0).map(|n| 1e5 * n / pop)
}

/// The four descriptive tables (see the module's documentation).
pub fn tables(pr: &Projection, d: &Disclosed) -> Vec<(&'static str, Wide)> {
    let x = &d.described;
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let profile = d.profile;
    let pop = population_in(pr, x.year);
    let national_pop: f64 = pop.values().sum();
    let total_code = pr.area().total_code();
    let span = match (x.licence_years.first(), x.licence_years.last()) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => String::new(),
    };
    let y = x.year;
    // Per profession.
    let mut num_cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); 13];
    for (p, f) in x.professions.iter().enumerate() {
        let sum = f.licences.last().copied().unwrap_or([None; 4]);
        let beginners = pr
            .intake
            .iter()
            .find(|r| r.profession == p)
            .map(|r| r.today);
        let row = [
            f.employed,
            f.fte,
            per_100k(f.employed, national_pop),
            per_100k(f.fte, national_pop),
            f.median_age.map(|m| (m * 10.0).round() / 10.0),
            f.share_from(4),
            f.share_from(5),
            sum[0],
            sum[1],
            sum[2],
            f.foreign_share(),
            beginners,
            beginners_per_place(pr, p),
        ];
        for (col, v) in num_cols.iter_mut().zip(row) {
            col.push(v);
        }
    }
    let names = [
        format!("employed_persons_{y}"),
        format!("employed_fte_{y}"),
        "employed_per_100000".into(),
        "fte_per_100000".into(),
        "median_age".into(),
        "share_60_74_percent".into(),
        "share_67_74_percent".into(),
        format!("licences_sweden_{span}"),
        format!("licences_eu_eea_{span}"),
        format!("licences_third_country_{span}"),
        "foreign_share_percent".into(),
        format!("beginners_{}", sc.base_year),
        "beginners_per_place".into(),
    ];
    let mut cols = vec![("profession".to_string(), Data::Text(g.professions.clone()))];
    cols.extend(names.into_iter().zip(num_cols.into_iter().map(Data::Num)));
    let professions = Wide { cols };
    // Per profession × county (the county table's own cells, both sexes).
    let (mut prof, mut county, mut status) = (Vec::new(), Vec::new(), Vec::new());
    let (mut people, mut persons, mut fte, mut persons_rate, mut fte_rate) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in 0..g.np() {
        let (grid, mask) = &d.grids[p];
        for c in 0..=grid.rows {
            let i = grid.at(c, grid.cols);
            let (code, n) = if c == grid.rows {
                (total_code.to_string(), national_pop)
            } else {
                let code = g.counties[c].clone();
                let n = pop.get(&code).copied().unwrap_or(0.0);
                (code, n)
            };
            let pe = (!mask[i]).then(|| profile.publish(grid.values[i]));
            let fe = (!mask[i]).then(|| profile.publish_derived(d.fte[p][i]));
            prof.push(g.professions[p].clone());
            county.push(code);
            status.push(if mask[i] { "suppressed" } else { "observed" }.to_string());
            people.push(Some(n));
            persons.push(pe);
            fte.push(fe);
            persons_rate.push(per_100k(pe, n));
            fte_rate.push(per_100k(fe, n));
        }
    }
    let counties = Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("county".into(), Data::Text(county)),
            ("status".into(), Data::Text(status)),
            (format!("population_{y}"), Data::Num(people)),
            (format!("employed_persons_{y}"), Data::Num(persons)),
            (format!("employed_fte_{y}"), Data::Num(fte)),
            ("employed_per_100000".into(), Data::Num(persons_rate)),
            ("fte_per_100000".into(), Data::Num(fte_rate)),
        ],
    };
    // Per profession × age band.
    let labels: Vec<String> = AGE_BANDS
        .iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .chain(std::iter::once(format!(
            "{}-{}",
            AGE_BANDS[0].0,
            AGE_BANDS[AGE_BANDS.len() - 1].1
        )))
        .collect();
    let (mut prof, mut age, mut status, mut count, mut share) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (p, f) in x.professions.iter().enumerate() {
        let total = f.bands.last().copied().flatten();
        for (b, label) in labels.iter().enumerate() {
            prof.push(g.professions[p].clone());
            age.push(label.clone());
            status.push(
                match f.bands[b] {
                    None => "suppressed",
                    Some(_) if x.ages_estimated => "estimated",
                    Some(_) => "observed",
                }
                .to_string(),
            );
            count.push(f.bands[b]);
            share.push(
                f.bands[b]
                    .zip(total)
                    .filter(|(_, t)| *t > 0.0)
                    .map(|(n, t)| 100.0 * n / t),
            );
        }
    }
    let ages = Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("age".into(), Data::Text(age)),
            ("status".into(), Data::Text(status)),
            (format!("employed_persons_{y}"), Data::Num(count)),
            ("share_percent".into(), Data::Num(share)),
        ],
    };
    // Per profession × licence year × country of education.
    let (mut prof, mut year, mut origin, mut status, mut count) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (p, f) in x.professions.iter().enumerate() {
        for (r, row) in f.licences.iter().enumerate() {
            let label = x
                .licence_years
                .get(r)
                .map_or_else(|| span.clone(), |y| y.to_string());
            for (o, val) in row.iter().enumerate() {
                prof.push(g.professions[p].clone());
                year.push(label.clone());
                origin.push(ORIGINS.get(o).copied().unwrap_or("all").to_string());
                status.push(
                    if val.is_some() {
                        "observed"
                    } else {
                        "suppressed"
                    }
                    .to_string(),
                );
                count.push(*val);
            }
        }
    }
    let licences = Wide {
        cols: vec![
            ("profession".into(), Data::Text(prof)),
            ("year".into(), Data::Text(year)),
            ("education".into(), Data::Text(origin)),
            ("status".into(), Data::Text(status)),
            ("licences".into(), Data::Num(count)),
        ],
    };
    vec![
        ("describe_professions", professions),
        ("describe_counties", counties),
        ("describe_ages", ages),
        ("describe_licences", licences),
    ]
}

/// Base-year beginners per education place, where the scenario states a capacity
/// (`balance.capacity`) for profession `p`.
fn beginners_per_place(pr: &Projection, p: usize) -> Option<f64> {
    let places = pr
        .scenario
        .balance
        .capacity
        .get(&pr.inputs.grid.professions[p])
        .copied()
        .filter(|&c| c > 0.0)?;
    pr.intake
        .iter()
        .find(|r| r.profession == p)
        .map(|r| r.today / places)
}

/// A share in per cent for the page, or `..` when withheld.
fn cell(v: Option<f64>, decimals: usize, lang: Lang) -> String {
    v.map_or_else(|| "..".into(), |v| num(v, decimals, lang))
}

/// The heading of the report's section of descriptive figures.
pub fn heading(lang: Lang) -> &'static str {
    tr(lang, "Personalen i dag", "The workforce today")
}

/// The report's section of descriptive figures (id `describe`): one row per profession.
pub fn section(o: &mut String, pr: &Projection, x: &Described, lang: Lang) {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let pop: f64 = population_in(pr, x.year).values().sum();
    let span = match (x.licence_years.first(), x.licence_years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    };
    let places = !sc.balance.capacity.is_empty();
    let _ = writeln!(o, "<section><h2 id=\"describe\">{}</h2>", heading(lang));
    let _ = write!(
        o,
        "<div class=\"scroll\"><table><tr><th rowspan=\"2\">{}</th><th rowspan=\"2\">{} {}</th><th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th><th colspan=\"4\">{} {span}</th>{}</tr>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        tr(lang, "Yrke", "Profession"),
        tr(lang, "Anställda", "Employed"),
        x.year,
        tr(lang, "per 100 000 invånare", "per 100,000 inhabitants"),
        tr(lang, "Medianålder", "Median age"),
        tr(lang, "Andel 60–74 år", "Aged 60–74"),
        tr(lang, "Andel 67–74 år", "Aged 67–74"),
        tr(lang, "Legitimationer", "Licences"),
        if places {
            format!(
                "<th rowspan=\"2\">{}</th>",
                tr(lang, "Nybörjare per plats", "Beginners per place")
            )
        } else {
            String::new()
        },
        tr(lang, "svensk utbildning", "Swedish education"),
        tr(lang, "EU/EES", "EU/EEA"),
        tr(lang, "övriga länder", "other countries"),
        tr(lang, "andel utländsk", "share foreign"),
    );
    for (p, f) in x.professions.iter().enumerate() {
        let code = &g.professions[p];
        let sum = f.licences.last().copied().unwrap_or([None; 4]);
        let pct =
            |v: Option<f64>| v.map_or_else(|| "..".into(), |v| format!("{} %", num(v, 1, lang)));
        let per_place = if places {
            format!(
                "<td>{}</td>",
                beginners_per_place(pr, p).map_or_else(|| "–".into(), |v| num(v, 2, lang))
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#p-{code}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{per_place}</tr>",
            esc(&prof_name(code, lang)),
            cell(f.employed, 0, lang),
            per_100k(f.employed, pop).map_or_else(|| "..".into(), |v| rate_text(v, lang)),
            cell(f.median_age, 1, lang),
            pct(f.share_from(4)),
            pct(f.share_from(5)),
            cell(sum[0], 0, lang),
            cell(sum[1], 0, lang),
            cell(sum[2], 0, lang),
            pct(f.foreign_share()),
        );
    }
    let estimated = if x.ages_estimated {
        tr(
            lang,
            " Åldrarna kom i åldersgrupper och är fördelade på ettårsåldrar av modellen: medianålder och andelar är skattningar.",
            " Ages came in age bands and were spread over single years by the model: median age and shares are estimates.",
        )
    } else {
        ""
    };
    let places_note = if places {
        tr(
            lang,
            " Nybörjare per plats: basårets nybörjare delat med scenariots utbildningskapacitet (balance.capacity).",
            " Beginners per place: the base year's beginners over the scenario's education capacity (balance.capacity).",
        )
    } else {
        ""
    };
    let area = pr.area();
    let (where_sv, where_en) = if area.whole {
        ("i alla län".to_string(), "in all counties".to_string())
    } else {
        (
            format!("i {}", area.name(true)),
            format!("in {}", area.name(false)),
        )
    };
    let _ = writeln!(
        o,
        "</table></div><p><small>{}{estimated}{places_note}</small></p></section>",
        match lang {
            Lang::Sv => format!(
                "Anställda personer {y} {where_sv} och all regi, 20–74 år, och legitimationer utfärdade {span} efter land där utbildningen gavs, ur samma tabeller som framskrivningen. \"..\" = uppgiften skyddas av röjandekontroll (åldersgrupperna och legitimationerna är egna tabeller med sina summor; en andel visas bara där antalen bakom den går att räkna ut ur det som visas). Per 100 000 invånare: befolkningen {y}. Per län: tabellen describe_counties; åldersgrupper: describe_ages; legitimationer per år: describe_licences.",
                y = x.year
            ),
            Lang::En => format!(
                "Employed persons in {y} {where_en}, all sectors, aged 20–74, and licences issued {span} by country of education, from the tables the projection reads. \"..\" = withheld by disclosure control (age bands and licences are tables of their own with their totals; a share is shown only where the counts behind it follow from what is shown). Per 100,000 inhabitants: the population in {y}. By county: table describe_counties; age bands: describe_ages; licences by year: describe_licences.",
                y = x.year
            ),
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_age_spreads_each_year_of_age_evenly() {
        // Ten persons: 4 aged 20, 6 aged 22. Half is 5: the 4 at 20 fill [20, 21), nobody is 21,
        // and the fifth person is the first sixth of age 22: 22 + 1/6.
        let mut counts = vec![0.0; NA];
        counts[0] = 4.0;
        counts[2] = 6.0;
        let m = median_age(&counts).unwrap();
        assert!((m - (22.0 + 1.0 / 6.0)).abs() < 1e-12, "{m}");
        // One year of age alone: its middle.
        let mut one = vec![0.0; NA];
        one[10] = 7.0;
        assert_eq!(median_age(&one), Some(30.5));
        assert_eq!(median_age(&vec![0.0; NA]), None);
    }

    #[test]
    fn a_small_band_is_withheld_with_a_second_one_and_the_total_stays() {
        // 100, 2 and 50 persons: the 2 is suppressed under the rule of 3, and so must a second
        // band be (else total − the others gives it back); the total is published.
        let got = protect_parts(&[100.0, 2.0, 50.0], Profile::Threshold(3));
        assert_eq!(got[1], None);
        assert_eq!(got.iter().filter(|v| v.is_none()).count(), 2, "{got:?}");
        assert_eq!(got[3], Some(152.0));
        // Nothing small: everything published, rounded to whole persons.
        let got = protect_parts(&[10.4, 20.0, 30.0], Profile::Threshold(3));
        assert_eq!(got, vec![Some(10.0), Some(20.0), Some(30.0), Some(60.0)]);
    }

    #[test]
    fn shares_need_every_count_behind_them() {
        let f = Facts {
            employed: Some(100.0),
            fte: Some(90.0),
            bands: vec![
                Some(10.0),
                Some(20.0),
                Some(30.0),
                Some(20.0),
                Some(15.0),
                Some(5.0),
                Some(100.0),
            ],
            median_age: Some(45.0),
            licences: vec![[Some(6.0), Some(3.0), Some(1.0), Some(10.0)]],
        };
        assert_eq!(f.share_from(4), Some(20.0));
        assert_eq!(f.share_from(5), Some(5.0));
        assert_eq!(f.foreign_share(), Some(40.0));
        let mut g = f.clone();
        g.bands[5] = None;
        g.licences[0][2] = None;
        // 67–74 withheld: the shares from 60 and from 67 are the total less the bands below,
        // which are all published (100 − 80 = 20, 100 − 95 = 5 persons).
        assert_eq!(g.share_from(4), Some(20.0));
        assert_eq!(g.share_from(5), Some(5.0));
        // 30–39 withheld too: from 60 neither side is whole; from 30 the total less 20–29 is.
        g.bands[1] = None;
        assert_eq!(g.share_from(4), None);
        assert_eq!(g.share_from(1), Some(90.0));
        // Third countries withheld: foreign is all less Swedish education, 10 − 6.
        assert_eq!(g.foreign_share(), Some(40.0));
        g.licences[0][0] = None;
        assert_eq!(g.foreign_share(), None);
    }
}
