//! Feeds arbitrary text to the funding-stream parser (`hwf report --funding`, `hwf funding`) and
//! spreads what it accepts over the 21 counties and its years: it may return an error, never panic,
//! and never allocate for an absurd period.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(streams) = hwf::allocate::funding::parse(std::path::Path::new("fuzz.csv"), text)
        && let Ok(counties) = hwf::allocate::recipients("counties")
    {
        let pop: std::collections::BTreeMap<String, f64> = counties
            .into_iter()
            .enumerate()
            .map(|(i, c)| (c.code, 1000.0 * (i + 1) as f64))
            .collect();
        let _ = hwf::allocate::funding::per_county_year(&streams, &pop);
    }
});
