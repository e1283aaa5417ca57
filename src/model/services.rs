//! Demand per service area: each profession's demand as the sum over the services it staffs.
//!
//! # Formula
//!
//! ```text
//! I_s[t,c]   = Σ_{x,a} P[t,c,x,a] · u_s[x,a] / Σ_{x,a} P[t0,c,x,a] · u_s[x,a]
//! σ[p,c,k,s] = F[p,c,k,s] / Σ_s' F[p,c,k,s']
//! I[t,p,c,k] = Σ_s σ[p,c,k,s] · I_s[t,c]
//! ```
//!
//! `u_s` is the care use per person of service area `s` by sex and age (`demand.service_use`); a
//! service driven by births has its use at age 0 alone, so that its index is the ratio of the
//! population aged 0 at the end of the year (the births of the year less the few who died or moved
//! out before 31 December), or of the births themselves where the scenario gives a table of them
//! (`demand.births`; see [`super::demand::weighted_population`]). `F` is the staffing matrix (`demand.staffing`): FTE by profession,
//! sector and service area, per county where the table has counties. A profession × county ×
//! sector the staffing matrix gives no FTE for keeps its sector's care-use index (and the run
//! says which, [`Services::unstaffed`]). The index replaces the sector's demographic index in
//! [`super::demand::project`]; everything else of demand (imbalance, care-use trend, named
//! factors, substitution, density) is applied to it as before.

use super::inputs::{Inputs, POP_AGES};

/// The service areas' care use and the staffing matrix, as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Services {
    /// Service codes (the code list's order; those the care-use table has).
    pub codes: Vec<String>,
    /// Care use per person, `[service][sex][age 0..=100]`.
    pub profile: Vec<f64>,
    /// Staffing FTE, `[p][c][k][service]` over the run's grid.
    pub fte: Vec<f64>,
    /// Whether the staffing matrix has a county dimension (else each county has the national
    /// mix, and `fte` holds the national figures in every county).
    pub by_county: bool,
}

impl Services {
    /// Number of service areas.
    pub fn ns(&self) -> usize {
        self.codes.len()
    }

    /// The same with the counties' staffing summed into one (a national projection).
    pub fn summed_to_nation(&self, np: usize, nc: usize, nk: usize) -> Services {
        let ns = self.ns();
        let mut fte = vec![0.0; np * nk * ns];
        for p in 0..np {
            for c in 0..nc {
                for r in 0..nk * ns {
                    fte[p * nk * ns + r] += self.fte[(p * nc + c) * nk * ns + r];
                }
            }
        }
        Services {
            codes: self.codes.clone(),
            profile: self.profile.clone(),
            fte,
            by_county: self.by_county,
        }
    }

    /// The shares of profession `p`'s FTE in county `c` and sector `k` over the service areas,
    /// `None` where the staffing matrix has no FTE there.
    pub fn mix(&self, p: usize, c: usize, k: usize, nc: usize, nk: usize) -> Option<Vec<f64>> {
        let ns = self.ns();
        let at = ((p * nc + c) * nk + k) * ns;
        let row = &self.fte[at..at + ns];
        let total: f64 = row.iter().sum();
        (total > 0.0).then(|| row.iter().map(|x| x / total).collect())
    }

    /// The index of each service area, `[year][c][service]` over `years` (see the module's
    /// formula); 1 for a service without use in a county's base year, NaN for a year without
    /// population.
    pub fn index(&self, inp: &Inputs, years: &[i32], base: i32) -> Vec<f64> {
        super::demand::population_index(inp, years, base, &self.profile)
    }

    /// The index of each service area for the counties `counties` (indices of the run's grid)
    /// together in year `t`: their population weighted by the area's care use, over the same in
    /// `base`; 1 where the base has no use, NaN for a year without population.
    pub fn index_in(&self, inp: &Inputs, counties: &[usize], t: i32, base: i32) -> Vec<f64> {
        let ns = self.ns();
        let block = 2 * POP_AGES;
        let weighted = |year: i32, s: usize| -> f64 {
            let w = &self.profile[s * block..(s + 1) * block];
            counties
                .iter()
                .map(|&c| super::demand::weighted_population(inp, year, c, w))
                .sum()
        };
        (0..ns)
            .map(|s| {
                let b = weighted(base, s);
                if b > 0.0 { weighted(t, s) / b } else { 1.0 }
            })
            .collect()
    }

    /// The profession × county × sector cells with employed FTE in `base_fte` (`[p][c][k]`) that
    /// the staffing matrix gives no FTE for, as `(p, c, k)`.
    pub fn unstaffed(&self, base_fte: &[f64], np: usize, nc: usize, nk: usize) -> Vec<[usize; 3]> {
        let mut out = Vec::new();
        for p in 0..np {
            for c in 0..nc {
                for k in 0..nk {
                    if base_fte[(p * nc + c) * nk + k] > 0.0 && self.mix(p, c, k, nc, nk).is_none()
                    {
                        out.push([p, c, k]);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_services() -> Services {
        // One profession, two counties, one sector, two services.
        Services {
            codes: vec!["A".into(), "B".into()],
            profile: vec![0.0; 2 * 2 * POP_AGES],
            fte: vec![30.0, 10.0, 0.0, 0.0],
            by_county: true,
        }
    }

    #[test]
    fn the_mix_is_the_staffing_share_and_none_without_staff() {
        let s = two_services();
        assert_eq!(s.mix(0, 0, 0, 2, 1), Some(vec![0.75, 0.25]));
        assert_eq!(s.mix(0, 1, 0, 2, 1), None);
        assert_eq!(s.unstaffed(&[40.0, 5.0], 1, 2, 1), vec![[0, 1, 0]]);
        assert!(s.unstaffed(&[40.0, 0.0], 1, 2, 1).is_empty());
    }

    #[test]
    fn the_national_staffing_sums_the_counties() {
        let mut s = two_services();
        s.fte = vec![30.0, 10.0, 5.0, 15.0];
        let n = s.summed_to_nation(1, 2, 1);
        assert_eq!(n.fte, vec![35.0, 25.0]);
        assert_eq!(n.mix(0, 0, 0, 1, 1), Some(vec![35.0 / 60.0, 25.0 / 60.0]));
    }
}
