//! Fuzz target: see tests/common/fuzz_checks.rs for the invariants it checks.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::scenario(data));
