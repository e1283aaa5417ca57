//! Distributing money by key, and checking a published distribution.
//!
//! # Formula
//!
//! For recipients `i = 1..n`, indicators `j` with weights `w_j` (summing to 1) and values `x_ij`:
//!
//! ```text
//! share_ij = x_ij / Σ_i x_ij
//! amount_i = floor + (total − n · floor) · Σ_j w_j · share_ij
//! ```
//!
//! With a cap, recipients whose amount would pass it get the cap and the rest is shared again among
//! the others by the same key, until no amount passes it. Amounts are then rounded to whole kronor by
//! the **largest remainder** method so that they add up to the total exactly: every amount is rounded
//! down, and the kronor left over go one each to the recipients with the largest fractional parts;
//! equal fractional parts are broken by recipient code, lowest first.
//!
//! The amounts are computed in `f64`, which holds every whole number up to 2^53 exactly: a total
//! above [`MAX_EXACT_TOTAL`] (9,007,199,254,740,992 kr) is refused, and every sum of kronor is
//! checked (no wrap-around); the amounts are verified to add up to the total.
//!
//! A recipient without a value in an indicator's year takes the value of the indicator's stand-in
//! year, and the result says so; without a stand-in that is an error.

pub mod audit;
pub mod funding;
pub mod output;
pub mod spec;

pub use spec::{AllocationError, Indicator, Spec};

use crate::codes::CodeLists;
use std::cmp::Ordering;

/// The largest total hwf distributes and sums exactly: 2^53 kronor, the largest range in which `f64`
/// (in which the key's shares are computed) holds every whole number.
pub const MAX_EXACT_TOTAL: u64 = 1 << 53;

/// One recipient: a municipality or a county.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    /// SCB code.
    pub code: String,
    /// Swedish name.
    pub name: String,
    /// County code (the recipient's own code for counties).
    pub county: String,
}

/// The recipients of a code list: `municipalities` (290) or `counties` (21).
///
/// # Errors
///
/// [`AllocationError::Spec`] for any other name.
pub fn recipients(kind: &str) -> Result<Vec<Recipient>, AllocationError> {
    let c = CodeLists::get();
    match kind {
        "municipalities" | "kommuner" => Ok(c
            .municipalities
            .iter()
            .map(|m| Recipient {
                code: m.code.clone(),
                name: m.name_sv.clone(),
                county: m.county.clone(),
            })
            .collect()),
        "counties" | "län" => Ok(c
            .counties
            .iter()
            .map(|k| Recipient {
                code: k.code.clone(),
                name: k.name_sv.clone(),
                county: k.code.clone(),
            })
            .collect()),
        other => Err(AllocationError::Spec {
            key: "recipients".into(),
            found: format!("{other:?}"),
            expected: "\"municipalities\" or \"counties\"".into(),
        }),
    }
}

/// The value one indicator gave one recipient.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorValue {
    /// The value.
    pub value: f64,
    /// The year it is from.
    pub year: String,
    /// Whether the stand-in year was used.
    pub stand_in: bool,
}

/// One line of the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The recipient.
    pub recipient: Recipient,
    /// Per indicator, in spec order.
    pub values: Vec<IndicatorValue>,
    /// `Σ_j w_j · share_ij`.
    pub key_share: f64,
    /// The amount before rounding.
    pub exact: f64,
    /// The amount in whole kronor.
    pub amount: u64,
    /// Whether the cap bound.
    pub capped: bool,
}

/// A computed allocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// The lines, in the order of the code list.
    pub lines: Vec<Line>,
    /// The total distributed (the sum of the amounts, exactly).
    pub total: u64,
    /// The floor.
    pub floor: u64,
    /// The indicator names, in spec order.
    pub indicators: Vec<String>,
}

impl Allocation {
    /// One line for people (`hwf allocate --spec`): how many recipients, the kronor in all (the
    /// amounts' sum), the floor, and how many recipients used a stand-in year for an indicator.
    pub fn summary(&self) -> String {
        let sum: u64 = self.lines.iter().map(|l| l.amount).sum();
        let stand = self
            .lines
            .iter()
            .filter(|l| l.values.iter().any(|v| v.stand_in))
            .count();
        format!(
            "{} recipients, {} kr in all (floor {} kr each); {stand} used a stand-in year",
            self.lines.len(),
            sum,
            self.floor
        )
    }
}

/// Computes the allocation from checked inputs: the indicator values per recipient (in recipient
/// order) and the weights.
///
/// # Errors
///
/// A total above [`MAX_EXACT_TOTAL`], a total smaller than `n · floor` (or an `n · floor` that does not
/// fit in 64 bits), a cap below the floor or too small to reach the total, weights that do not sum to
/// 1, a negative value, or an indicator that sums to zero.
pub fn compute(
    recipients: &[Recipient],
    values: &[Vec<IndicatorValue>],
    weights: &[f64],
    names: &[String],
    total: u64,
    floor: u64,
    cap: Option<u64>,
) -> Result<Allocation, AllocationError> {
    let n = recipients.len() as u64;
    if n == 0 {
        return Err(AllocationError::Spec {
            key: "recipients".into(),
            found: "none".into(),
            expected: "at least one recipient".into(),
        });
    }
    if total > MAX_EXACT_TOTAL {
        return Err(AllocationError::Spec {
            key: "total".into(),
            found: format!("{total}"),
            expected: format!(
                "at most {MAX_EXACT_TOTAL} kr (2^53), the largest total hwf can sum exactly"
            ),
        });
    }
    let needed = n
        .checked_mul(floor)
        .ok_or_else(|| AllocationError::Overflow {
            what: "the floors (recipients × floor)".into(),
            found: format!("{n} × {floor}"),
            expected: format!("a floor of at most {} kr for {n} recipients", total / n),
        })?;
    if total < needed {
        return Err(AllocationError::TotalBelowFloors {
            total,
            n,
            floor,
            needed,
        });
    }
    if let Some(c) = cap {
        if c < floor {
            return Err(AllocationError::Spec {
                key: "cap".into(),
                found: format!("{c}"),
                expected: format!("a cap of at least the floor ({floor})"),
            });
        }
        if c.saturating_mul(n) < total {
            return Err(AllocationError::Spec {
                key: "cap".into(),
                found: format!("{c} × {n} recipients = {}", c.saturating_mul(n)),
                expected: format!("a cap high enough to pay out the total {total}"),
            });
        }
    }
    let wsum: f64 = weights.iter().sum();
    if weights.iter().any(|w| !(0.0..=1.0).contains(w)) || (wsum - 1.0).abs() > 1e-9 {
        return Err(AllocationError::Weights {
            weights: names.iter().cloned().zip(weights.iter().copied()).collect(),
            sum: wsum,
        });
    }
    let mut key = vec![0.0; recipients.len()];
    for (j, name) in names.iter().enumerate() {
        let sum: f64 = values.iter().map(|v| v[j].value).sum();
        for (i, v) in values.iter().enumerate() {
            if v[j].value < 0.0 || !v[j].value.is_finite() {
                return Err(AllocationError::Indicator {
                    indicator: name.clone(),
                    recipient: recipients[i].code.clone(),
                    found: format!("the value {}", v[j].value),
                    expected: "a value of zero or more".into(),
                });
            }
        }
        if sum <= 0.0 {
            return Err(AllocationError::Indicator {
                indicator: name.clone(),
                recipient: "all".into(),
                found: "a sum of zero".into(),
                expected: "some recipient with a positive value".into(),
            });
        }
        for (i, v) in values.iter().enumerate() {
            key[i] += weights[j] * v[j].value / sum;
        }
    }
    // Water-filling under the cap: fix capped recipients, share the rest again by the key.
    let mut capped = vec![false; recipients.len()];
    let mut exact = vec![0.0; recipients.len()];
    loop {
        let free_key: f64 = (0..key.len()).filter(|&i| !capped[i]).map(|i| key[i]).sum();
        let n_free = capped.iter().filter(|c| !**c).count() as f64;
        let fixed: f64 = capped.iter().filter(|c| **c).count() as f64 * cap.unwrap_or(0) as f64;
        let pool = total as f64 - fixed - n_free * floor as f64;
        let mut changed = false;
        for i in 0..key.len() {
            if capped[i] {
                exact[i] = cap.unwrap_or(0) as f64;
                continue;
            }
            let share = if free_key > 0.0 {
                key[i] / free_key
            } else {
                1.0 / n_free
            };
            exact[i] = floor as f64 + pool * share;
            if let Some(c) = cap
                && exact[i] > c as f64
            {
                capped[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let amounts = largest_remainder(&exact, recipients, total);
    let paid = amounts
        .iter()
        .try_fold(0u64, |acc, &a| acc.checked_add(a))
        .filter(|&p| p == total)
        .ok_or_else(|| AllocationError::Overflow {
            what: "the sum of the amounts".into(),
            found: format!("amounts that do not add up to the total {total}"),
            expected: format!("a total of at most {MAX_EXACT_TOTAL} kr"),
        })?;
    debug_assert_eq!(paid, total);
    let lines = recipients
        .iter()
        .enumerate()
        .map(|(i, r)| Line {
            recipient: r.clone(),
            values: values[i].clone(),
            key_share: key[i],
            exact: exact[i],
            amount: amounts[i],
            capped: capped[i],
        })
        .collect();
    Ok(Allocation {
        lines,
        total,
        floor,
        indicators: names.to_vec(),
    })
}

/// Rounds `exact` to whole units that add up to `total`: all down, then one more each to the largest
/// fractional parts, ties by recipient code (lowest first). When rounding in `f64` has left the
/// rounded-down amounts above the total (possible only near 2^53), one unit each is taken back from
/// the smallest fractional parts. Sums are taken in 128 bits, so nothing wraps.
pub fn largest_remainder(exact: &[f64], recipients: &[Recipient], total: u64) -> Vec<u64> {
    // `as` saturates: NaN and negatives become 0, values past u64::MAX become u64::MAX.
    let mut out: Vec<u64> = exact.iter().map(|x| x.max(0.0).floor() as u64).collect();
    if out.is_empty() {
        return out;
    }
    let given: u128 = out.iter().map(|&a| u128::from(a)).sum();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.partial_cmp(&fa)
            .unwrap_or(Ordering::Equal)
            .then_with(|| recipients[a].code.cmp(&recipients[b].code))
    });
    let n = out.len() as u128;
    if given <= u128::from(total) {
        let left = u128::from(total) - given;
        for (k, &i) in order.iter().enumerate() {
            let more = left / n + u128::from((k as u128) < left % n);
            out[i] = out[i].saturating_add(u64::try_from(more).unwrap_or(u64::MAX));
        }
    } else {
        let mut excess = given - u128::from(total);
        while excess > 0 {
            let nonzero: Vec<usize> = order
                .iter()
                .rev()
                .copied()
                .filter(|&i| out[i] > 0)
                .collect();
            if nonzero.is_empty() {
                break;
            }
            let per = excess / nonzero.len() as u128;
            if per == 0 {
                for &i in nonzero.iter().take(excess as usize) {
                    out[i] -= 1;
                }
                break;
            }
            for &i in &nonzero {
                let take = per.min(u128::from(out[i]));
                out[i] -= take as u64;
                excess -= take;
            }
        }
    }
    out
}

/// A sort key that orders Swedish names the way the decision's appendix does: Latin letters first,
/// then å, ä, ö; case, spaces and hyphens after the letters.
pub fn swedish_sort_key(name: &str) -> Vec<(u32, u32)> {
    name.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let primary = match lower {
                'a'..='z' => lower as u32,
                'å' => 'z' as u32 + 1,
                'ä' | 'æ' => 'z' as u32 + 2,
                'ö' | 'ø' => 'z' as u32 + 3,
                'é' | 'è' => 'e' as u32,
                'ü' => 'y' as u32,
                ' ' => 1,
                '-' => 2,
                other => other as u32 + 1000,
            };
            (primary, u32::from(c.is_uppercase()))
        })
        .collect()
}

impl Allocation {
    /// The lines in the appendix's order (Swedish alphabetical by name).
    pub fn in_appendix_order(&self) -> Vec<&Line> {
        let mut v: Vec<&Line> = self.lines.iter().collect();
        v.sort_by_key(|l| swedish_sort_key(&l.recipient.name));
        v
    }
}

/// A UTF-8 text file of the allocation commands (published amounts, funding streams), read with
/// hwf's input size cap.
///
/// # Errors
///
/// [`AllocationError::Ingest`] for a file that cannot be read or is too large, and
/// [`AllocationError::File`] for bytes that are not UTF-8 (naming the first one).
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, AllocationError> {
    let bytes = crate::ingest::read_capped(path, &crate::ingest::Limits::from_env(), true)?;
    String::from_utf8(bytes).map_err(|e| AllocationError::File {
        path: path.to_path_buf(),
        message: format!(
            "byte {} is not UTF-8; expected UTF-8 text",
            e.utf8_error().valid_up_to()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(codes: &[&str]) -> Vec<Recipient> {
        codes
            .iter()
            .map(|c| Recipient {
                code: c.to_string(),
                name: c.to_string(),
                county: String::new(),
            })
            .collect()
    }

    /// An observed 2019 value.
    fn iv(value: f64) -> IndicatorValue {
        IndicatorValue {
            value,
            year: "2019".into(),
            stand_in: false,
        }
    }

    fn vals(xs: &[f64]) -> Vec<Vec<IndicatorValue>> {
        xs.iter().map(|&v| vec![iv(v)]).collect()
    }

    #[test]
    fn four_municipalities_by_hand() {
        // Total 1,000,000; floor 100,000 for 4 → 600,000 to share by population 10/20/30/40 (of 100):
        // 100,000 + 60,000 = 160,000; 220,000; 280,000; 340,000.
        let r = rec(&["A", "B", "C", "D"]);
        let a = compute(
            &r,
            &vals(&[10.0, 20.0, 30.0, 40.0]),
            &[1.0],
            &["pop".into()],
            1_000_000,
            100_000,
            None,
        )
        .unwrap();
        let got: Vec<u64> = a.lines.iter().map(|l| l.amount).collect();
        assert_eq!(got, vec![160_000, 220_000, 280_000, 340_000]);
    }

    #[test]
    fn two_indicators_weighted() {
        // Total 100, floor 0. pop shares 1/4, 3/4; care shares 1/2, 1/2; weights 0.5 each:
        // A = 100·(0.125 + 0.25) = 37.5, B = 62.5 → rounded 37 + 63? Fractions tie at .5: code A first.
        let r = rec(&["A", "B"]);
        let v = vec![vec![iv(1.0), iv(5.0)], vec![iv(3.0), iv(5.0)]];
        let a = compute(
            &r,
            &v,
            &[0.5, 0.5],
            &["pop".into(), "care".into()],
            100,
            0,
            None,
        )
        .unwrap();
        assert_eq!(a.lines[0].exact, 37.5);
        assert_eq!((a.lines[0].amount, a.lines[1].amount), (38, 62));
        // More weight on population moves money to B, which has more people.
        let b = compute(
            &r,
            &v,
            &[0.8, 0.2],
            &["pop".into(), "care".into()],
            100,
            0,
            None,
        )
        .unwrap();
        assert!(b.lines[1].amount > a.lines[1].amount);
    }

    #[test]
    fn rounding_adds_up_on_awkward_cases() {
        // All equal: 100 kr over 3 → 33.33… each; the one leftover krona goes to the lowest code.
        let r = rec(&["C", "A", "B"]);
        let a = compute(
            &r,
            &vals(&[1.0, 1.0, 1.0]),
            &[1.0],
            &["x".into()],
            100,
            0,
            None,
        )
        .unwrap();
        let got: Vec<u64> = a.lines.iter().map(|l| l.amount).collect();
        assert_eq!(got, vec![33, 34, 33]);
        // Many ties: 10 recipients, 7 kr → seven get 1 (codes 0..6), three get 0.
        let codes: Vec<String> = (0..10).map(|i| format!("{i:02}")).collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let a = compute(
            &rec(&refs),
            &vals(&[1.0; 10]),
            &[1.0],
            &["x".into()],
            7,
            0,
            None,
        )
        .unwrap();
        let got: Vec<u64> = a.lines.iter().map(|l| l.amount).collect();
        assert_eq!(got, vec![1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
        // Uneven shares over a prime total.
        let a = compute(
            &rec(&["A", "B", "C"]),
            &vals(&[1.0, 2.0, 4.0]),
            &[1.0],
            &["x".into()],
            1_000_003,
            17,
            None,
        )
        .unwrap();
        assert_eq!(a.lines.iter().map(|l| l.amount).sum::<u64>(), 1_000_003);
        assert!(a.lines.iter().all(|l| l.amount >= 17));
    }

    #[test]
    fn a_cap_sends_the_excess_to_the_others() {
        // 1000 over shares 1/2/7 (of 10) with cap 500: C would get 700 → 500; the 500 left go to A and
        // B as 1:2 → 166.67 and 333.33 → 167 and 333.
        let a = compute(
            &rec(&["A", "B", "C"]),
            &vals(&[1.0, 2.0, 7.0]),
            &[1.0],
            &["x".into()],
            1000,
            0,
            Some(500),
        )
        .unwrap();
        let got: Vec<u64> = a.lines.iter().map(|l| l.amount).collect();
        assert_eq!(got, vec![167, 333, 500]);
        assert!(a.lines[2].capped);
    }

    #[test]
    fn bad_inputs_are_named() {
        let r = rec(&["A", "B"]);
        let e = compute(&r, &vals(&[1.0, 1.0]), &[1.0], &["x".into()], 100, 60, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("total 100 is below 2 × floor 60 = 120"),
            "{e}"
        );
        let e = compute(&r, &vals(&[1.0, -1.0]), &[1.0], &["x".into()], 100, 0, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("indicator x, recipient B: the value -1"),
            "{e}"
        );
        let e = compute(&r, &vals(&[1.0, 1.0]), &[0.7], &["x".into()], 100, 0, None).unwrap_err();
        assert!(e.to_string().contains("sum to 0.7"), "{e}");
    }

    #[test]
    fn totals_are_checked_and_summed_exactly() {
        let r = rec(&["1", "2", "3"]);
        let names = vec!["x".to_string()];
        // 2^53 over three equal shares: 3002399751580330.67 each; the amounts must add up exactly.
        let a = compute(
            &r,
            &vals(&[1.0, 1.0, 1.0]),
            &[1.0],
            &names,
            MAX_EXACT_TOTAL,
            0,
            None,
        )
        .unwrap();
        let sum: u128 = a.lines.iter().map(|l| u128::from(l.amount)).sum();
        assert_eq!(sum, u128::from(MAX_EXACT_TOTAL));
        let most = a.lines.iter().map(|l| l.amount).max().unwrap();
        let least = a.lines.iter().map(|l| l.amount).min().unwrap();
        assert!(most - least <= 2, "{most} {least}");
        // Above 2^53 (10^18, or 2^64 − 1 with the floor as large): refused with the key.
        for total in [MAX_EXACT_TOTAL + 1, 1_000_000_000_000_000_000, u64::MAX] {
            let e = compute(
                &r,
                &vals(&[1.0, 1.0, 1.0]),
                &[1.0],
                &names,
                total,
                total,
                None,
            )
            .unwrap_err();
            assert!(
                matches!(&e, AllocationError::Spec { key, .. } if key == "total"),
                "{e}"
            );
        }
        // recipients × floor past 64 bits: an overflow error, not a wrapped check.
        let e = compute(
            &r,
            &vals(&[1.0, 1.0, 1.0]),
            &[1.0],
            &names,
            MAX_EXACT_TOTAL,
            u64::MAX / 2,
            None,
        )
        .unwrap_err();
        assert!(matches!(e, AllocationError::Overflow { .. }), "{e}");
        // Rounded-down amounts above the total give units back from the smallest fractions.
        assert_eq!(largest_remainder(&[5.9, 5.1, 0.0], &r, 10), vec![5, 5, 0]);
        assert_eq!(largest_remainder(&[5.9, 5.1, 0.0], &r, 9), vec![5, 4, 0]);
        assert_eq!(largest_remainder(&[5.9, 5.1, 0.0], &r, 12), vec![6, 6, 0]);
    }

    #[test]
    fn swedish_order() {
        let mut names = vec![
            "Örebro",
            "Åre",
            "Ale",
            "Älmhult",
            "Upplands-Bro",
            "Upplands Väsby",
            "Vallentuna",
        ];
        names.sort_by_key(|n| swedish_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Ale",
                "Upplands Väsby",
                "Upplands-Bro",
                "Vallentuna",
                "Åre",
                "Älmhult",
                "Örebro"
            ]
        );
    }
}
