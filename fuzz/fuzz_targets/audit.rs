//! Feeds arbitrary text to the published-amounts parser of `hwf allocate audit`, then checks its
//! coverage and audits it against a made-up indicator (every recipient's code → a value from 1 to 11),
//! with the stated total the sum of the amounts and the floor the smallest: it may return an error,
//! never panic.
#![no_main]
use hwf::allocate::audit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(published) = audit::parse_published(std::path::Path::new("fuzz.csv"), text) else {
        return;
    };
    if audit::check_coverage(&published).is_err() {
        return;
    }
    let indicator: std::collections::HashMap<String, f64> = published
        .iter()
        .enumerate()
        .map(|(i, p)| (p.0.clone(), ((i * 7) % 11 + 1) as f64))
        .collect();
    let total = published.iter().fold(0u64, |s, p| s.saturating_add(p.2));
    let floor = published.iter().map(|p| p.2).min().unwrap_or(0);
    let _ = audit::audit(&published, &indicator, total, floor, None);
});
