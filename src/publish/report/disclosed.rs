//! The disclosure-controlled base-year table ([`Disclosed`]) and the report's tables built on it:
//! the summary per profession, the base-year persons and FTE, the horizon balance per county.

use super::profession::gap_band;
use crate::model::Projection;
use crate::model::inputs::NA;
use crate::model::scope::Region;
use crate::publish::disclosure::{self, Profile};
use crate::publish::results::{Data, Wide};

/// The disclosure-controlled base-year table: employed persons by profession × county × sex in the
/// last observed employment year, with its margins; and the FTE of the same cells under the same mask.
pub struct Disclosed {
    /// The year.
    pub year: i32,
    /// The rule applied.
    pub profile: Profile,
    /// Profession codes, in the order of `grids`.
    pub professions: Vec<String>,
    /// Per profession: the extended grid of persons (counties × sexes, with margins) and its mask.
    pub grids: Vec<(disclosure::CountTable, Vec<bool>)>,
    /// FTE on the same extended grids.
    pub fte: Vec<Vec<f64>>,
    /// The descriptive figures (the workforce today), protected under the same rule and against
    /// these tables ([`crate::publish::describe::describe`]).
    pub described: crate::publish::describe::Described,
}

/// Builds the disclosure-controlled base-year tables.
pub fn disclosed(pr: &Projection, profile: Profile) -> Disclosed {
    let g = &pr.inputs.grid;
    let inp = &pr.inputs;
    let yi = inp.employment_years.len() - 1;
    let year = inp.employment_years[yi];
    let cells = g.cells();
    let mut grids = Vec::new();
    let mut fte = Vec::new();
    for p in 0..g.np() {
        let mut persons = vec![0.0; g.nc() * 2];
        let mut f = vec![0.0; g.nc() * 2];
        for c in 0..g.nc() {
            for sx in 0..2 {
                for k in 0..g.nk() {
                    for a in 0..NA {
                        let i = (yi * g.nk() + k) * cells + g.idx(p, c, sx, a);
                        persons[c * 2 + sx] += inp.employed[i];
                        f[c * 2 + sx] += inp.fte[i];
                    }
                }
            }
        }
        let grid = disclosure::CountTable::with_margins(g.nc(), 2, &persons);
        let f = disclosure::CountTable::with_margins(g.nc(), 2, &f).values;
        let mask = disclosure::suppress_linked(&grid, Some(&f), profile);
        fte.push(f);
        grids.push((grid, mask));
    }
    let mut d = Disclosed {
        year,
        profile,
        professions: g.professions.clone(),
        grids,
        fte,
        described: Default::default(),
    };
    d.described = crate::publish::describe::describe(pr, &d);
    d
}

/// The report's tables.
pub fn tables(pr: &Projection, d: &Disclosed, profile: Profile) -> Vec<(&'static str, Wide)> {
    let g = &pr.inputs.grid;
    let sc = &pr.scenario;
    let h = pr.years.iter().position(|&y| y == sc.horizon).unwrap_or(0);
    // Summary per profession.
    let mut s_text: Vec<Vec<String>> = vec![Vec::new(); 2];
    let mut s_num: Vec<Vec<Option<f64>>> = vec![Vec::new(); 7];
    for p in 0..g.np() {
        let (sup, dem) = pr.total_fte(h, p);
        let dem = dem.unwrap_or(f64::NAN);
        let intake = pr.intake.iter().find(|r| r.profession == p);
        s_text[0].push(g.professions[p].clone());
        s_text[1].push(pr.label(sup, dem).to_string());
        s_num[0].push(Some(sup));
        s_num[1].push(Some(dem));
        s_num[2].push(Some(sup - dem));
        s_num[3].push((dem > 0.0).then(|| sup / dem));
        s_num[4].push(intake.map(|r| r.today));
        s_num[5].push(intake.and_then(|r| r.required));
        s_num[6].push(intake.and_then(|r| {
            r.required
                .filter(|_| r.today > 0.0)
                .map(|q| 100.0 * (q / r.today - 1.0))
        }));
    }
    let mut it = s_num.into_iter();
    let mut n = || Data::Num(it.next().unwrap_or_default());
    let mut tx = s_text.into_iter();
    let mut summary = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(tx.next().unwrap_or_default()),
            ),
            (
                format!("balance_{}", sc.horizon),
                Data::Text(tx.next().unwrap_or_default()),
            ),
            (format!("supply_fte_{}", sc.horizon), n()),
            (format!("demand_fte_{}", sc.horizon), n()),
            (format!("gap_fte_{}", sc.horizon), n()),
            (format!("ratio_{}", sc.horizon), n()),
            (format!("beginners_{}", sc.base_year), n()),
            (
                format!("required_beginners_from_{}", sc.balance.intake_from),
                n(),
            ),
            ("intake_change_percent".into(), n()),
        ],
    };
    let national: Vec<Option<Region>> = vec![pr.bands.as_ref().map(|_| Region::Total); g.np()];
    summary.cols.extend(band_columns(
        pr,
        &(0..g.np()).collect::<Vec<_>>(),
        &national,
    ));
    // Base-year persons and FTE, disclosure-controlled.
    let total = pr.area().total_code();
    let mut t: Vec<Vec<String>> = vec![Vec::new(); 4];
    let mut v: Vec<Vec<Option<f64>>> = vec![Vec::new(); 2];
    for (p, (grid, mask)) in d.grids.iter().enumerate() {
        for r in 0..=grid.rows {
            for c in 0..=grid.cols {
                let i = grid.at(r, c);
                t[0].push(g.professions[p].clone());
                t[1].push(if r == grid.rows {
                    total.into()
                } else {
                    g.counties[r].clone()
                });
                t[2].push(if c == grid.cols {
                    "1+2".into()
                } else {
                    (c + 1).to_string()
                });
                t[3].push(if mask[i] {
                    "suppressed".into()
                } else {
                    "observed".into()
                });
                v[0].push((!mask[i]).then(|| profile.publish(grid.values[i])));
                v[1].push((!mask[i]).then(|| profile.publish_derived(d.fte[p][i])));
            }
        }
    }
    let mut tt = t.into_iter();
    let mut vv = v.into_iter();
    let employed = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(tt.next().unwrap_or_default()),
            ),
            ("county".into(), Data::Text(tt.next().unwrap_or_default())),
            ("sex".into(), Data::Text(tt.next().unwrap_or_default())),
            ("status".into(), Data::Text(tt.next().unwrap_or_default())),
            (
                format!("employed_persons_{}", d.year),
                Data::Num(vv.next().unwrap_or_default()),
            ),
            (
                format!("employed_fte_{}", d.year),
                Data::Num(vv.next().unwrap_or_default()),
            ),
        ],
    };
    // Horizon balance per profession and county.
    let mut ct: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut cv: Vec<Vec<Option<f64>>> = vec![Vec::new(); 3];
    for p in 0..g.np() {
        for c in 0..g.nc() {
            let (mut s, mut dd) = (0.0, 0.0);
            for k in 0..g.nk() {
                s += pr.supply[pr.at(h, p, c, k)];
                dd += pr.demand_at(h, p, c, k).unwrap_or(0.0);
            }
            ct[0].push(g.professions[p].clone());
            ct[1].push(g.counties[c].clone());
            ct[2].push(pr.label(s, dd).to_string());
            cv[0].push(Some(s));
            cv[1].push(Some(dd));
            cv[2].push(Some(s - dd));
        }
    }
    let mut ci = ct.into_iter();
    let mut cn = cv.into_iter();
    let rows: Vec<(usize, Option<Region>)> = (0..g.np())
        .flat_map(|p| {
            (0..g.nc()).map(move |c| {
                let r = pr.bands.as_ref().and_then(|b| b.region_of(&g.counties[c]));
                (p, r)
            })
        })
        .collect();
    let (row_profs, row_regions): (Vec<usize>, Vec<Option<Region>>) = rows.into_iter().unzip();
    let mut counties = Wide {
        cols: vec![
            (
                "profession".into(),
                Data::Text(ci.next().unwrap_or_default()),
            ),
            ("county".into(), Data::Text(ci.next().unwrap_or_default())),
            (
                format!("balance_{}", sc.horizon),
                Data::Text(ci.next().unwrap_or_default()),
            ),
            (
                format!("supply_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
            (
                format!("demand_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
            (
                format!("gap_fte_{}", sc.horizon),
                Data::Num(cn.next().unwrap_or_default()),
            ),
        ],
    };
    counties
        .cols
        .extend(band_columns(pr, &row_profs, &row_regions));
    vec![
        ("summary", summary),
        ("employed_base_year", employed),
        ("counties_horizon", counties),
    ]
}

/// The band columns of a table whose rows are (profession, band region) pairs, in the horizon
/// year: the gap at the outer percentiles and the probability of shortage (none without bands; an
/// empty cell for a row whose region the bands lack).
fn band_columns(
    pr: &Projection,
    profs: &[usize],
    regions: &[Option<Region>],
) -> Vec<(String, Data)> {
    let Some(b) = &pr.bands else {
        return Vec::new();
    };
    let last = b.years.len() - 1;
    let year = b.years[last];
    let (lo, hi) = (b.percentiles[0], b.percentiles[b.percentiles.len() - 1]);
    let cell = |i: usize, f: &dyn Fn(usize, Region) -> f64| -> Option<f64> {
        regions[i].map(|r| f(profs[i], r)).filter(|x| x.is_finite())
    };
    let column = |f: &dyn Fn(usize, Region) -> f64| -> Data {
        Data::Num((0..profs.len()).map(|i| cell(i, f)).collect())
    };
    vec![
        (
            format!("gap_fte_{year}_p{lo}"),
            column(&|p, r| gap_band(b, p, r).0),
        ),
        (
            format!("gap_fte_{year}_p{hi}"),
            column(&|p, r| gap_band(b, p, r).1),
        ),
        (
            format!("shortage_probability_{year}"),
            column(&|p, r| gap_band(b, p, r).2),
        ),
    ]
}
