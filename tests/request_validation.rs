//! `validateRequest` at the same boundaries the builders enforce (it reports where they refuse),
//! and the typed request it produces: the same one the builders make.

use graph_ivr::contract::limits::*;
use graph_ivr::input::Input;
use graph_ivr::request::build_record_response;
use graph_ivr::validate::{validate_request, Mode};
use serde_json::{json, Value};

const CALL: &str = "57dab8b1-894c-409a-b240-bd8beae78896";

fn request(action: &str, body: Value) -> Input {
    Input::from_json(&json!({
        "method": "POST",
        "url": format!("https://graph.microsoft.com/v1.0/communications/calls/{CALL}/{action}"),
        "headers": { "Content-Type": "application/json" },
        "body": body.to_string(),
    }))
}

/// `code@path` of every error.
fn errors(input: &Input) -> Vec<String> {
    let report = validate_request(input, Mode::Strict);
    assert_eq!(report.valid, report.value.is_some(), "a typed value exactly when valid: {:?}", report.issues);
    report.issues.iter().map(|i| format!("{}@{}", i.code.as_str(), i.path)).collect()
}

#[test]
fn limits_at_their_boundaries() {
    let timer = |s: i64| errors(&request("recordResponse", json!({ "maxSilenceTimeoutInSeconds": s })));
    assert!(timer(TIMER_SECONDS_MIN).is_empty());
    assert!(timer(TIMER_SECONDS_MAX).is_empty());
    assert_eq!(timer(TIMER_SECONDS_MAX + 1), ["outOfRange@/body/maxSilenceTimeoutInSeconds"]);
    assert_eq!(timer(TIMER_SECONDS_MIN - 1), ["outOfRange@/body/maxSilenceTimeoutInSeconds"]);

    let context = |n: usize| errors(&request("subscribeToTone", json!({ "clientContext": "c".repeat(n) })));
    assert!(context(CLIENT_CONTEXT_MAX).is_empty());
    assert_eq!(context(CLIENT_CONTEXT_MAX + 1), ["outOfRange@/body/clientContext"]);

    let prompt = json!({ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "uri": "https://a/p.wav" } });
    let prompts = |n: usize| errors(&request("playPrompt", json!({ "prompts": vec![prompt.clone(); n] })));
    assert!(prompts(PLAY_PROMPTS_MAX).is_empty());
    assert_eq!(prompts(PLAY_PROMPTS_MAX + 1), ["outOfRange@/body/prompts"]);
    assert_eq!(prompts(0), ["outOfRange@/body/prompts"]);

    let base = "https://a/";
    let uri = |len: usize| {
        let uri = format!("{base}{}", "u".repeat(len - base.len()));
        let body =
            json!({ "prompts": [{ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "uri": uri } }] });
        errors(&request("playPrompt", body))
    };
    assert!(uri(PROMPT_URI_MAX).is_empty());
    assert_eq!(uri(PROMPT_URI_MAX + 1), ["invalidUrl@/body/prompts/0/mediaInfo/uri"]);
}

#[test]
fn every_fault_is_reported_and_no_value_is_made_from_a_faulty_body() {
    let body = json!({
        "prompts": [{ "mediaInfo": { "uri": "ftp://x" } }, 5],
        "stopTones": ["a", 3],
        "playBeep": "yes",
        "maxRecordDurationInSeconds": 0,
    });
    assert_eq!(
        errors(&request("recordResponse", body)),
        [
            "outOfRange@/body/prompts",
            "missingODataType@/body/prompts/0/@odata.type",
            "invalidUrl@/body/prompts/0/mediaInfo/uri",
            "wrongType@/body/prompts/1",
            "wrongType@/body/playBeep",
            "outOfRange@/body/maxRecordDurationInSeconds",
            "outOfRange@/body/stopTones/0",
            "wrongType@/body/stopTones/1",
        ]
    );
}

#[test]
fn the_validated_request_is_the_one_the_builder_made() {
    let options = json!({
        "callId": CALL,
        "prompts": [{ "uri": "https://a/p.wav", "resourceId": "r" }],
        "bargeInAllowed": true,
        "stopTones": ["#", "1"],
        "maxRecordDurationInSeconds": 30,
        "clientContext": "voicemail",
    });
    let built = build_record_response(&Input::from_json(&options)).map_err(|e| e.to_string());
    let Ok(built) = built else { panic!("{built:?}") };
    let as_input = serde_json::to_value(&built).map(|v| Input::from_json(&v)).map_err(|e| e.to_string());
    let report = validate_request(&as_input.unwrap_or(Input::Undefined), Mode::Strict);
    let parsed = report.value.map(|p| serde_json::to_value(&p).unwrap_or_default());
    assert_eq!(
        parsed,
        Some(json!({
            "version": "v1.0",
            "callId": CALL,
            "operation": "recordResponse",
            "body": serde_json::from_str::<Value>(&built.body).unwrap_or_default(),
        }))
    );
}

#[test]
fn unknown_prompt_properties_are_kept_not_dropped() {
    let body = json!({ "prompts": [{
        "@odata.type": "#microsoft.graph.mediaPrompt",
        "mediaInfo": { "uri": "https://a/p.wav", "x-cache": 1 },
        "x-note": "kept",
    }] });
    let report = validate_request(&request("playPrompt", body), Mode::Strict);
    let value = report.value.map(|p| serde_json::to_value(&p).unwrap_or_default()).unwrap_or_default();
    assert_eq!(value.pointer("/body/prompts/0/x-note"), Some(&json!("kept")));
    assert_eq!(value.pointer("/body/prompts/0/mediaInfo/x-cache"), Some(&json!(1)));
}
