//! Feeds arbitrary bytes to the jsonstat reader: it may return an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hwf::ingest::jsonstat::read(std::path::Path::new("fuzz.jsonstat"), data);
});
