//! Feeds arbitrary text to the allocation spec parser: it may return an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hwf::allocate::spec::Spec::parse(std::path::Path::new("fuzz.toml"), text);
    }
});
