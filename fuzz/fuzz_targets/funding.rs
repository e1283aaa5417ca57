//! Feeds arbitrary text to the funding-stream parser and spreads what it accepts over counties and
//! years: it may return an error, never panic, and never allocate for an absurd period.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(streams) = hwf::allocate::funding::parse(std::path::Path::new("fuzz.csv"), text)
    {
        let pop: std::collections::BTreeMap<String, f64> =
            [("22".to_string(), 1.0), ("23".to_string(), 2.0)].into();
        let _ = hwf::allocate::funding::per_county_year(&streams, &pop);
    }
});
