//! Feeds arbitrary bytes to the scenario loader (TOML, inheritance, checks) through a file, since
//! the loader reads files: it may return an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("hwf-fuzz-scenario-{}.toml", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = hwf::model::scenario::load(Some(&path));
    }
});
