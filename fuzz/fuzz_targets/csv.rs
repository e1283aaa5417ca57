//! Feeds arbitrary bytes to the csv reader: it may return an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hwf::ingest::csv::read(std::path::Path::new("fuzz.csv"), data);
});
