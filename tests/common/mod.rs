//! Shared helpers of the integration tests: where the docs' fixtures are.

#![allow(dead_code)]

use std::path::PathBuf;

/// The fixtures folder: `$GRAPH_IVR_FIXTURES`, else `../shared/contract/fixtures`. `None` (and a
/// note on stderr) when it is absent — except under `CI=true`, where that is a failure.
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GRAPH_IVR_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/contract/fixtures"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("fixtures folder {} is missing; CI must run beside ../shared", dir.display());
    }
    eprintln!("note: fixtures folder {} not found; skipping fixture tests", dir.display());
    None
}

/// The contract folder (`fixtures/`' parent, which holds `lifecycle/` too), found as
/// [`fixtures_dir`] finds its fixtures.
pub fn contract_dir() -> Option<PathBuf> {
    fixtures_dir().and_then(|dir| dir.parent().map(PathBuf::from))
}

pub fn fixture(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// Splits an `.http` fixture into (start line, headers, body).
pub fn split_http(text: &str) -> (String, Vec<(String, String)>, String) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let start = lines.next().unwrap_or_default().to_owned();
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    (start, headers, body.to_owned())
}
pub mod classify;
pub mod fuzz_checks;
pub mod graph;
pub mod schema_strategy;
