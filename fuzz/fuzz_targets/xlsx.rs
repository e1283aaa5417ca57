//! Feeds arbitrary bytes to the xlsx reader: it may return an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hwf::ingest::xlsx::read(std::path::Path::new("fuzz.xlsx"), data, None);
});
