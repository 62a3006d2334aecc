//! Replays every input kept in fuzz/regressions/<target>/ (crashes the fuzzer found, once
//! fixed) and every docs fixture through the fuzz targets' invariants, on stable Rust.

mod common;

use std::path::PathBuf;

use common::fuzz_checks;

/// Replays every kept input of `target`; the folder must exist (an absent one would replay
/// nothing and pass). `.gitkeep` only keeps the folder in git.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} must exist (see fuzz/regressions/README.md): {e}", dir.display()));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.file_name().is_some_and(|name| name == ".gitkeep") {
            continue;
        }
        let data = std::fs::read(&path).expect("readable regression input");
        check(&data);
        count += 1;
    }
    count
}

#[test]
fn kept_fuzz_inputs_still_pass() {
    replay("validate_notifications", fuzz_checks::notifications);
    replay("validate_operation_response", fuzz_checks::response);
    replay("validate_request", fuzz_checks::request);
    replay("simulator", fuzz_checks::simulator);
    replay("graph_http", fuzz_checks::graph_http);
    replay("scenario", fuzz_checks::scenario);
    replay("tracker", fuzz_checks::tracker);
    replay("verify_token", fuzz_checks::verify_token);
}

#[test]
fn every_fixture_passes_the_fuzz_invariants() {
    let Some(dir) = common::fixtures_dir() else { return };
    for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let data = std::fs::read(entry.path()).expect("readable");
        fuzz_checks::notifications(&data);
        fuzz_checks::response(&data);
        fuzz_checks::request(&data);
        fuzz_checks::simulator(&data);
        fuzz_checks::graph_http(&data);
        fuzz_checks::tracker(&data);
        fuzz_checks::verify_token(&data);
    }
}
