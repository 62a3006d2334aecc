//! Every file of the docs' fixtures, classified: what it is, and the exact outcome of its
//! validator in strict and in tolerant mode (validity, then errors and warnings as
//! `code@path`). The known doc defects of CONTRACT.md §13 show up here as the issues they are:
//! the beta playPrompt body that is not JSON, the cancel example's Location/body id mismatch
//! (a warning), the legacy beta shapes accepted only in tolerant mode, the comms-samples
//! payload that is not JSON, the templates that are not instances.

mod common;

use common::classify::{kind_of, validate_fixture, Kind, Outcome};
use graph_ivr::validate::{validate_notifications, Mode, NotificationOptions};

type Expect = Option<(bool, &'static [&'static str], &'static [&'static str])>;

#[rustfmt::skip]
const TABLE: &[(&str, Kind, Expect, Expect)] = &[
    ("beta-legacy.playprompt.notification.completed.json", Kind::Notification,
        Some((false, &["legacyProperty@/value/0/resource"], &[])),
        Some((true, &[], &["legacyProperty@/value/0/resource"]))),
    ("beta-legacy.playprompt.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta-legacy.playprompt.request.http", Kind::Request,
        Some((false, &["legacyPath@/url", "invalidJson@/body"], &[])),
        Some((false, &["invalidJson@/body"], &["legacyPath@/url"]))),
    ("beta-legacy.playprompt.request.json", Kind::Request,
        Some((false, &["legacyPath@/url", "invalidJson@/body"], &[])),
        Some((false, &["invalidJson@/body"], &["legacyPath@/url"]))),
    ("beta-legacy.playprompt.response.http", Kind::Response,
        Some((false, &["legacyPath@/headers/Location"], &["contentType@/headers"])),
        Some((true, &[], &["legacyPath@/headers/Location", "contentType@/headers"]))),
    ("beta-legacy.playprompt.response.json", Kind::Response,
        Some((false, &["legacyPath@/headers/Location"], &["contentType@/headers"])),
        Some((true, &[], &["legacyPath@/headers/Location", "contentType@/headers"]))),
    ("beta-legacy.record.notification.completed.json", Kind::Notification,
        Some((false, &["missingODataType@/@odata.type", "missingODataType@/value/0/@odata.type", "legacyProperty@/value/0/resource", "legacyProperty@/value/0/resourceData/recordResourceLocation", "legacyProperty@/value/0/resourceData/recordResourceAccessToken"], &[])),
        Some((true, &[], &["missingODataType@/@odata.type", "missingODataType@/value/0/@odata.type", "legacyProperty@/value/0/resource", "legacyProperty@/value/0/resourceData/recordResourceLocation", "legacyProperty@/value/0/resourceData/recordResourceAccessToken"]))),
    ("beta-legacy.record.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta-legacy.record.request.http", Kind::Request,
        Some((false, &["legacyPath@/url", "unknownAction@/url", "unknownParameter@/body/recordingFormat", "outOfRange@/body/maxRecordDurationInSeconds", "outOfRange@/body/stopTones/1"], &[])),
        Some((false, &["unknownAction@/url", "unknownParameter@/body/recordingFormat", "outOfRange@/body/maxRecordDurationInSeconds", "outOfRange@/body/stopTones/1"], &["legacyPath@/url"]))),
    ("beta-legacy.record.request.json", Kind::Request,
        Some((false, &["legacyPath@/url", "unknownAction@/url", "unknownParameter@/body/recordingFormat", "outOfRange@/body/maxRecordDurationInSeconds", "outOfRange@/body/stopTones/1"], &[])),
        Some((false, &["unknownAction@/url", "unknownParameter@/body/recordingFormat", "outOfRange@/body/maxRecordDurationInSeconds", "outOfRange@/body/stopTones/1"], &["legacyPath@/url"]))),
    ("beta-legacy.record.response.http", Kind::Response,
        Some((false, &["legacyPath@/headers/Location"], &["httpStatus@/status"])),
        Some((true, &[], &["httpStatus@/status", "legacyPath@/headers/Location"]))),
    ("beta-legacy.resource.playpromptoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("beta-legacy.subscribetotone.notification.completed.json", Kind::Notification,
        Some((false, &["missingODataType@/@odata.type", "missingODataType@/value/0/@odata.type", "legacyProperty@/value/0/resource", "unexpectedODataType@/value/0/resourceData/@odata.type"], &[])),
        Some((true, &[], &["missingODataType@/@odata.type", "missingODataType@/value/0/@odata.type", "legacyProperty@/value/0/resource", "unexpectedODataType@/value/0/resourceData/@odata.type"]))),
    ("beta-legacy.subscribetotone.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta-legacy.subscribetotone.request.http", Kind::Request,
        Some((false, &["legacyPath@/url"], &[])),
        Some((true, &[], &["legacyPath@/url"]))),
    ("beta-legacy.subscribetotone.request.json", Kind::Request,
        Some((false, &["legacyPath@/url"], &[])),
        Some((true, &[], &["legacyPath@/url"]))),
    ("beta-legacy.subscribetotone.response.http", Kind::Response,
        Some((false, &["legacyPath@/headers/Location"], &["httpStatus@/status"])),
        Some((true, &[], &["httpStatus@/status", "legacyPath@/headers/Location"]))),
    ("beta.cancelmediaprocessing.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta.cancelmediaprocessing.notification.record-canceled.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.cancelmediaprocessing.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.cancelmediaprocessing.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.cancelmediaprocessing.response.http", Kind::Response,
        Some((true, &[], &["idMismatch@/body/id"])),
        Some((true, &[], &["idMismatch@/body/id"]))),
    ("beta.cancelmediaprocessing.response.json", Kind::Response,
        Some((true, &[], &["idMismatch@/body/id"])),
        Some((true, &[], &["idMismatch@/body/id"]))),
    ("beta.keepalive.request.http", Kind::NotApplicable,
        None,
        None),
    ("beta.keepalive.response.http", Kind::NotApplicable,
        None,
        None),
    ("beta.playprompt.notification.completed.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.playprompt.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta.playprompt.request.http", Kind::Request,
        Some((false, &["invalidJson@/body"], &[])),
        Some((false, &["invalidJson@/body"], &[]))),
    ("beta.playprompt.request.json", Kind::Request,
        Some((false, &["invalidJson@/body"], &[])),
        Some((false, &["invalidJson@/body"], &[]))),
    ("beta.playprompt.response.http", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("beta.playprompt.response.json", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("beta.record.download.request.http", Kind::NotApplicable,
        None,
        None),
    ("beta.record.download.response.http", Kind::NotApplicable,
        None,
        None),
    ("beta.record.notification.completed.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.record.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta.record.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.record.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.record.response.http", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("beta.record.response.json", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("beta.resource.call.json", Kind::Template,
        None,
        None),
    ("beta.resource.cancelmediaprocessingoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("beta.resource.commsnotification.json", Kind::Template,
        Some((false, &["unexpectedODataType@/@odata.type", "missingProperty@/value"], &[])),
        Some((false, &["unexpectedODataType@/@odata.type", "missingProperty@/value"], &[]))),
    ("beta.resource.commsnotifications.json", Kind::Template,
        Some((false, &["missingODataType@/@odata.type", "missingProperty@/value/0/changeType", "missingProperty@/value/0/resourceUrl", "missingProperty@/value/0/resourceData"], &[])),
        Some((false, &["missingProperty@/value/0/changeType", "missingProperty@/value/0/resourceUrl", "missingProperty@/value/0/resourceData"], &["missingODataType@/@odata.type"]))),
    ("beta.resource.commsoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "unexpectedODataType@/body/resultInfo/@odata.type", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unexpectedODataType@/body/resultInfo/@odata.type"]))),
    ("beta.resource.mediainfo.json", Kind::Template,
        None,
        None),
    ("beta.resource.mediaprompt.example.json", Kind::Template,
        None,
        None),
    ("beta.resource.mediaprompt.json", Kind::Template,
        None,
        None),
    ("beta.resource.playpromptoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("beta.resource.prompt.json", Kind::Template,
        None,
        None),
    ("beta.resource.recordoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("beta.resource.resultinfo.json", Kind::Template,
        None,
        None),
    ("beta.resource.subscribetotoneoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("beta.resource.toneinfo.json", Kind::Template,
        None,
        None),
    ("beta.subscribetotone.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("beta.subscribetotone.notification.tone.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.subscribetotone.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.subscribetotone.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("beta.subscribetotone.response.http", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("beta.subscribetotone.response.json", Kind::Response,
        Some((true, &[], &["contentType@/headers"])),
        Some((true, &[], &["contentType@/headers"]))),
    ("cancelmediaprocessing.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("cancelmediaprocessing.notification.record-canceled.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("cancelmediaprocessing.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("cancelmediaprocessing.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("cancelmediaprocessing.response.http", Kind::Response,
        Some((true, &[], &["idMismatch@/body/id"])),
        Some((true, &[], &["idMismatch@/body/id"]))),
    ("cancelmediaprocessing.response.json", Kind::Response,
        Some((true, &[], &["idMismatch@/body/id"])),
        Some((true, &[], &["idMismatch@/body/id"]))),
    ("keepalive.request.http", Kind::NotApplicable,
        None,
        None),
    ("keepalive.response.http", Kind::NotApplicable,
        None,
        None),
    ("playprompt.notification.completed.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("playprompt.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("playprompt.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("playprompt.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("playprompt.response.http", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("playprompt.response.json", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("record.download.request.http", Kind::NotApplicable,
        None,
        None),
    ("record.download.response.http", Kind::NotApplicable,
        None,
        None),
    ("record.notification.completed.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("record.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("record.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("record.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("record.response.http", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("record.response.json", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("resource.call.json", Kind::Template,
        None,
        None),
    ("resource.cancelmediaprocessingoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("resource.commsnotification.json", Kind::Template,
        Some((false, &["unexpectedODataType@/@odata.type", "missingProperty@/value"], &[])),
        Some((false, &["unexpectedODataType@/@odata.type", "missingProperty@/value"], &[]))),
    ("resource.commsnotifications.json", Kind::Template,
        Some((false, &["missingODataType@/@odata.type", "missingProperty@/value/0/changeType", "missingProperty@/value/0/resourceUrl", "missingProperty@/value/0/resourceData"], &[])),
        Some((false, &["missingProperty@/value/0/changeType", "missingProperty@/value/0/resourceUrl", "missingProperty@/value/0/resourceData"], &["missingODataType@/@odata.type"]))),
    ("resource.commsoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "unexpectedODataType@/body/resultInfo/@odata.type", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unexpectedODataType@/body/resultInfo/@odata.type"]))),
    ("resource.mediainfo.json", Kind::Template,
        None,
        None),
    ("resource.mediaprompt.json", Kind::Template,
        None,
        None),
    ("resource.playpromptoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("resource.recordoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &[])),
        Some((false, &["unknownEnumValue@/body/status", "missingProperty@/body/resultInfo/code", "missingProperty@/body/resultInfo/subcode"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("resource.resultinfo.json", Kind::Template,
        None,
        None),
    ("resource.subscribetotoneoperation.json", Kind::Template,
        Some((false, &["missingLocation@/headers", "missingODataType@/body/@odata.type", "unknownEnumValue@/body/status"], &[])),
        Some((false, &["unknownEnumValue@/body/status"], &["missingLocation@/headers", "missingODataType@/body/@odata.type"]))),
    ("resource.toneinfo.json", Kind::Template,
        None,
        None),
    ("samples.calling-notification.legacy.txt", Kind::Notification,
        Some((false, &["invalidJson@"], &[])),
        Some((false, &["invalidJson@"], &[]))),
    ("subscribetotone.notification.envelope.http", Kind::NotApplicable,
        None,
        None),
    ("subscribetotone.notification.tone.json", Kind::Notification,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("subscribetotone.request.http", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("subscribetotone.request.json", Kind::Request,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("subscribetotone.response.http", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
    ("subscribetotone.response.json", Kind::Response,
        Some((true, &[], &[])),
        Some((true, &[], &[]))),
];

fn matches(outcome: &Option<Outcome>, expect: &Expect) -> bool {
    match (outcome, expect) {
        (None, None) => true,
        (Some(o), Some((valid, errors, warnings))) => {
            o.valid == *valid && o.errors == *errors && o.warnings == *warnings
        }
        _ => false,
    }
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
    let rows: Vec<&str> = TABLE.iter().map(|r| r.0).collect();
    assert_eq!(rows, names, "the table must list every fixture file once, in name order");
}

#[test]
fn every_fixture_classifies_as_expected_in_both_modes() {
    let Some(dir) = common::fixtures_dir() else { return };
    let mut failures = Vec::new();
    for (name, kind, strict, tolerant) in TABLE {
        assert_eq!(kind_of(name), *kind, "{name}");
        for (mode, expect) in [(Mode::Strict, strict), (Mode::Tolerant, tolerant)] {
            let outcome = validate_fixture(&dir, name, mode);
            if !matches(&outcome, expect) {
                failures.push(format!("{name} {mode:?}: got {outcome:?}, expected {expect:?}"));
            }
        }
        if *kind == Kind::Template {
            let text = common::fixture(&dir, name);
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
    for (name, kind, strict, _) in TABLE {
        if *kind != Kind::Notification || !matches!(strict, Some((true, _, _))) {
            continue;
        }
        let text = common::fixture(&dir, name);
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
    for (name, kind, _, _) in TABLE {
        if !matches!(kind, Kind::Notification | Kind::Template) {
            continue;
        }
        let text = common::fixture(&dir, name);
        for mode in [Mode::Strict, Mode::Tolerant] {
            let checked =
                graph_ivr::validate::check_notifications(&text, NotificationOptions { mode, ..Default::default() });
            if let Some(value) = checked.value {
                with_value += 1;
                let typed = serde_json::from_value::<graph_ivr::model::CommsNotifications>(value);
                assert!(typed.is_ok(), "{name} {mode:?}: {typed:?}");
            }
        }
    }
    assert!(with_value >= 20, "{with_value}");
}
