//! Feeds arbitrary text to the allocation spec parser (`hwf allocate --spec`), and computes an
//! allocation from each spec it accepts with made-up indicator values (the tables a spec names are not
//! read: the fuzzer would only reach files of the machine). It may return an error, never panic; an
//! allocation it returns pays exactly the total, every recipient at least the floor and at most the cap.
#![no_main]
use hwf::allocate::{self, IndicatorValue, spec::Spec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = Spec::parse(std::path::Path::new("fuzz.toml"), text) else {
        return;
    };
    let Ok(recips) = allocate::recipients(&spec.recipients) else {
        return;
    };
    // Indicator values between 1 and 11, varying by recipient and indicator.
    let values: Vec<Vec<IndicatorValue>> = (0..recips.len())
        .map(|i| {
            (0..spec.indicators.len())
                .map(|j| IndicatorValue {
                    value: ((i * 7 + j * 3) % 11 + 1) as f64,
                    year: "2024".into(),
                    stand_in: false,
                })
                .collect()
        })
        .collect();
    let weights: Vec<f64> = spec.indicators.iter().map(|i| i.weight).collect();
    let names: Vec<String> = spec.indicators.iter().map(|i| i.name.clone()).collect();
    if let Ok(a) = allocate::compute(
        &recips, &values, &weights, &names, spec.total, spec.floor, spec.cap,
    ) {
        let sum: u128 = a.lines.iter().map(|l| u128::from(l.amount)).sum();
        assert_eq!(sum, u128::from(spec.total), "the amounts sum to the total");
        for l in &a.lines {
            assert!(
                l.amount >= spec.floor,
                "{} below the floor",
                l.recipient.code
            );
            if let Some(cap) = spec.cap {
                assert!(l.amount <= cap, "{} above the cap", l.recipient.code);
            }
        }
    }
});
