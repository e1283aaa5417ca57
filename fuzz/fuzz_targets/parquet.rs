//! Feeds arbitrary bytes to hwf as a `.parquet` file, through the reader the CLI uses, then validates
//! what it accepts and reads it back from hwf's own CSV (see `common::read`): it may return an
//! error, never panic, abort, hang or allocate without bound.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| common::read("fuzz.parquet", data));
