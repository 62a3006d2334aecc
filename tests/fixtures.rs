//! Every file of the docs' fixtures, classified (the table is data: `tests/fixtures.tsv`): what
//! it is, and the exact outcome of its validator in strict and in tolerant mode (validity, then
//! errors and warnings as `code@path`). The known doc defects of CONTRACT.md §13 show up here as the issues they are:
//! the beta playPrompt body that is not JSON, the cancel example's Location/body id mismatch
//! (a warning), the legacy beta shapes accepted only in tolerant mode, the comms-samples
//! payload that is not JSON, the templates that are not instances.

mod common;

use common::classify::{kind_of, validate_fixture, Kind, Outcome};
use graph_ivr::validate::{validate_notifications, Mode, NotificationOptions};

/// One line of `tests/fixtures.tsv`.
struct Row {
    name: String,
    kind: Kind,
    strict: Option<Outcome>,
    tolerant: Option<Outcome>,
}

/// The verdict table: data beside this test, one line a fixture.
fn table() -> Vec<Row> {
    let text = include_str!("fixtures.tsv");
    let list = |cell: &str| -> Vec<String> {
        if cell == "-" {
            Vec::new()
        } else {
            cell.split(' ').map(str::to_owned).collect()
        }
    };
    let outcome = |verdict: &str, errors: &str, warnings: &str| match verdict {
        "-" => None,
        "valid" | "invalid" => {
            Some(Outcome { valid: verdict == "valid", errors: list(errors), warnings: list(warnings) })
        }
        other => panic!("fixtures.tsv: verdict {other:?} is not valid, invalid or -"),
    };
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 8, "fixtures.tsv: 8 tab-separated cells in {line:?}");
            let kind = match cells[1] {
                "Notification" => Kind::Notification,
                "Request" => Kind::Request,
                "Response" => Kind::Response,
                "Template" => Kind::Template,
                "NotApplicable" => Kind::NotApplicable,
                other => panic!("fixtures.tsv: unknown kind {other:?}"),
            };
            Row {
                name: cells[0].to_owned(),
                kind,
                strict: outcome(cells[2], cells[3], cells[4]),
                tolerant: outcome(cells[5], cells[6], cells[7]),
            }
        })
        .collect()
}

#[test]
fn every_fixture_has_exactly_one_row() {
    let Some(dir) = common::fixtures_dir() else { return };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "index.md")
        .collect();
    names.sort();
    let rows: Vec<String> = table().into_iter().map(|r| r.name).collect();
    assert_eq!(rows, names, "the table must list every fixture file once, in name order");
}

#[test]
fn every_fixture_classifies_as_expected_in_both_modes() {
    let Some(dir) = common::fixtures_dir() else { return };
    let mut failures = Vec::new();
    for Row { name, kind, strict, tolerant } in table() {
        assert_eq!(kind_of(&name), kind, "{name}");
        for (mode, expect) in [(Mode::Strict, strict), (Mode::Tolerant, tolerant)] {
            let outcome = validate_fixture(&dir, &name, mode);
            if outcome != expect {
                failures.push(format!("{name} {mode:?}: got {outcome:?}, expected {expect:?}"));
            }
        }
        if kind == Kind::Template {
            let text = common::fixture(&dir, &name);
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "template {name} is JSON");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A valid notification comes back as `value` with nothing lost: re-serialized, it is the
/// same JSON as the payload (key order aside).
#[test]
fn valid_notifications_round_trip_without_loss() {
    let Some(dir) = common::fixtures_dir() else { return };
    let mut checked = 0;
    for Row { name, kind, strict, .. } in table() {
        if kind != Kind::Notification || !strict.is_some_and(|o| o.valid) {
            continue;
        }
        let text = common::fixture(&dir, &name);
        let report = validate_notifications(&text, NotificationOptions::default());
        let value = report.value.expect("a valid payload has a value");
        let original: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(serde_json::to_value(&value).expect("serializable"), original, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 8, "the four v1.0 and four beta notification fixtures");
}

/// The fast path of the JS API decides whether a `value` exists without building the typed
/// model; it must never claim a value the typed model cannot read.
#[test]
fn a_checked_value_always_reads_as_the_typed_model() {
    let Some(dir) = common::fixtures_dir() else { return };
    let mut with_value = 0;
    for Row { name, kind, .. } in table() {
        if !matches!(kind, Kind::Notification | Kind::Template) {
            continue;
        }
        let text = common::fixture(&dir, &name);
        for mode in [Mode::Strict, Mode::Tolerant] {
            let checked =
                graph_ivr::validate::check_notifications(&text, NotificationOptions { mode, ..Default::default() });
            if let Some(value) = checked.value {
                with_value += 1;
                let typed = serde_json::from_value::<graph_ivr::model::CommsNotifications>(value.to_json());
                assert!(typed.is_ok(), "{name} {mode:?}: {typed:?}");
            }
        }
    }
    assert!(with_value >= 20, "{with_value}");
}
