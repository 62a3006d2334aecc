//! The builders' refusals in Rust, without a wasm build: every documented limit and every
//! bound of graph-ivr's own at its exact boundary (the last allowed value passes, the first
//! refused one fails, with its path), and the "did you mean" hints.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use graph_ivr::contract::limits::*;
use graph_ivr::input::Input;
use graph_ivr::request::{build_cancel_media_processing, build_play_prompt, build_record_response, GraphRequest};
use graph_ivr::Error;
use serde_json::{json, Value};

const CALL: &str = "57dab8b1-894c-409a-b240-bd8beae78896";

fn play(options: Value) -> Result<GraphRequest, Error> {
    build_play_prompt(&Input::from_json(&options))
}

fn record(options: Value) -> Result<GraphRequest, Error> {
    build_record_response(&Input::from_json(&options))
}

fn cancel(options: Value) -> Result<GraphRequest, Error> {
    build_cancel_media_processing(&Input::from_json(&options))
}

/// The path of the refusal, or `"built"`.
fn refused_at(result: Result<GraphRequest, Error>) -> String {
    match result {
        Ok(_) => "built".to_owned(),
        Err(e) => {
            assert_eq!(e.code.as_str(), "invalidArgument", "{e}");
            e.path
        }
    }
}

fn message(result: Result<GraphRequest, Error>) -> String {
    result.err().map(|e| e.message).unwrap_or_default()
}

fn uri_of_len(len: usize) -> String {
    let base = "https://cdn.example/";
    format!("{base}{}", "a".repeat(len - base.len()))
}

#[test]
fn call_id_is_bounded_at_1024_bytes() {
    assert_eq!(refused_at(cancel(json!({ "callId": "x".repeat(CALL_ID_MAX) }))), "built");
    assert_eq!(refused_at(cancel(json!({ "callId": "x".repeat(CALL_ID_MAX + 1) }))), "/callId");
    // Bytes, not characters: 512 two-byte characters are the last allowed.
    assert_eq!(refused_at(cancel(json!({ "callId": "é".repeat(CALL_ID_MAX / 2) }))), "built");
    assert_eq!(refused_at(cancel(json!({ "callId": format!("{}x", "é".repeat(CALL_ID_MAX / 2)) }))), "/callId");
    for bad in ["", ".", "..", "a\u{7}b"] {
        assert_eq!(refused_at(cancel(json!({ "callId": bad }))), "/callId", "{bad:?}");
    }
    assert_eq!(refused_at(cancel(json!({}))), "/callId");
    assert_eq!(refused_at(cancel(json!({ "callId": 7 }))), "/callId");
}

#[test]
fn access_token_is_bounded_at_16_kib() {
    let with = |token: String| cancel(json!({ "callId": CALL, "accessToken": token }));
    let built = with("t".repeat(ACCESS_TOKEN_MAX));
    assert_eq!(
        built.as_ref().map(|r| r.headers["Authorization"].as_str().map(str::len)).ok().flatten(),
        Some(ACCESS_TOKEN_MAX + "Bearer ".len())
    );
    assert_eq!(refused_at(with("t".repeat(ACCESS_TOKEN_MAX + 1))), "/accessToken");
    assert_eq!(refused_at(with("Bearer abc".into())), "/accessToken");
    assert_eq!(refused_at(with("a\r\nX-Evil: 1".into())), "/accessToken");
    assert_eq!(refused_at(with(String::new())), "/accessToken");
}

#[test]
fn prompt_uri_is_bounded_at_8192_bytes() {
    let with = |uri: String| play(json!({ "callId": CALL, "prompts": [uri] }));
    assert_eq!(refused_at(with(uri_of_len(PROMPT_URI_MAX))), "built");
    assert_eq!(refused_at(with(uri_of_len(PROMPT_URI_MAX + 1))), "/prompts/0");
    assert_eq!(refused_at(with("ftp://a/b.wav".into())), "/prompts/0");
    assert_eq!(refused_at(with("https:///b.wav".into())), "/prompts/0");
    let nested = play(json!({ "callId": CALL, "prompts": [{ "mediaInfo": { "uri": "https://a/b c.wav" } }] }));
    assert_eq!(refused_at(nested), "/prompts/0/mediaInfo/uri");
}

#[test]
fn client_context_is_bounded_at_256_utf16_units() {
    let with = |context: String| cancel(json!({ "callId": CALL, "clientContext": context }));
    assert_eq!(refused_at(with("c".repeat(CLIENT_CONTEXT_MAX))), "built");
    assert_eq!(refused_at(with("c".repeat(CLIENT_CONTEXT_MAX + 1))), "/clientContext");
    assert_eq!(refused_at(with("😀".repeat(CLIENT_CONTEXT_MAX / 2))), "built");
    assert_eq!(refused_at(with(format!("{}c", "😀".repeat(CLIENT_CONTEXT_MAX / 2)))), "/clientContext");
}

#[test]
fn prompt_counts_at_their_boundaries() {
    let prompts = |n: usize| vec![Value::from("https://a/p.wav"); n];
    assert_eq!(refused_at(play(json!({ "callId": CALL, "prompts": prompts(PLAY_PROMPTS_MIN) }))), "built");
    assert_eq!(refused_at(play(json!({ "callId": CALL, "prompts": prompts(PLAY_PROMPTS_MAX) }))), "built");
    assert_eq!(refused_at(play(json!({ "callId": CALL, "prompts": prompts(PLAY_PROMPTS_MAX + 1) }))), "/prompts");
    assert_eq!(refused_at(play(json!({ "callId": CALL, "prompts": prompts(0) }))), "/prompts");
    assert_eq!(refused_at(play(json!({ "callId": CALL }))), "/prompts");
    assert_eq!(refused_at(record(json!({ "callId": CALL, "prompts": prompts(RECORD_PROMPTS_MAX) }))), "built");
    assert_eq!(refused_at(record(json!({ "callId": CALL, "prompts": prompts(RECORD_PROMPTS_MAX + 1) }))), "/prompts");
    assert_eq!(
        message(play(json!({ "callId": CALL, "prompts": prompts(21) }))),
        "playPrompt takes 1 to 20 prompts, got 21"
    );
}

#[test]
fn timers_are_whole_seconds_from_1_to_120() {
    for key in ["initialSilenceTimeoutInSeconds", "maxSilenceTimeoutInSeconds", "maxRecordDurationInSeconds"] {
        let with = |seconds: Value| record(json!({ "callId": CALL, key: seconds }));
        let path = format!("/{key}");
        assert_eq!(refused_at(with(json!(TIMER_SECONDS_MIN))), "built", "{key}");
        assert_eq!(refused_at(with(json!(TIMER_SECONDS_MAX))), "built", "{key}");
        assert_eq!(refused_at(with(json!(TIMER_SECONDS_MIN - 1))), path, "{key}");
        assert_eq!(refused_at(with(json!(TIMER_SECONDS_MAX + 1))), path, "{key}");
        assert_eq!(refused_at(with(json!(1.5))), path, "{key}");
        assert_eq!(refused_at(with(json!("5"))), path, "{key}");
    }
    let built = record(json!({ "callId": CALL, "maxRecordDurationInSeconds": 120 }));
    assert_eq!(built.map(|r| r.body).ok().as_deref(), Some(r#"{"maxRecordDurationInSeconds":120}"#));
}

#[test]
fn stop_tones_are_dtmf_keys_with_a_hint_for_lowercase() {
    let with = |tones: Value| record(json!({ "callId": CALL, "stopTones": tones }));
    assert_eq!(refused_at(with(json!(["0", "9", "*", "#", "A", "D"]))), "built");
    assert_eq!(refused_at(with(json!(["#", "a"]))), "/stopTones/1");
    assert_eq!(
        message(with(json!(["a"]))),
        "a stop tone is one DTMF character of 0-9 * # A-D, got \"a\" (did you mean \"A\"?)"
    );
    assert!(!message(with(json!(["E"]))).contains("did you mean"));
    assert_eq!(refused_at(with(json!(["##"]))), "/stopTones/0");
    assert_eq!(refused_at(with(json!([1]))), "/stopTones/0");
    assert_eq!(refused_at(with(json!("#"))), "/stopTones");
}

#[test]
fn unknown_options_and_beta_only_ones_are_named() {
    let refused = cancel(json!({ "callId": CALL, "clientContxt": "x" }));
    assert_eq!(
        refused.as_ref().err().map(|e| (e.path.as_str(), e.message.starts_with("unknown option \"clientContxt\""))),
        Some(("/clientContxt", true))
    );
    assert_eq!(refused_at(play(json!({ "callId": CALL, "prompts": ["https://a/p.wav"], "loop": true }))), "/loop");
    assert_eq!(
        refused_at(play(json!({ "callId": CALL, "version": "beta", "prompts": ["https://a/p.wav"], "loop": true }))),
        "built"
    );
    assert_eq!(refused_at(record(json!({ "callId": CALL, "streamWhileRecording": true }))), "/streamWhileRecording");
    let media_prompt = json!({ "callId": CALL, "prompts": [{ "mediaInfo": { "uri": "https://a/p.wav" }, "loop": 2 }] });
    assert_eq!(refused_at(play(media_prompt)), "/prompts/0/loop");
    let wrong_type = json!({ "callId": CALL, "prompts": [{ "mediaInfo": { "@odata.type": "#microsoft.graph.prompt", "uri": "https://a/p.wav" } }] });
    assert_eq!(refused_at(play(wrong_type)), "/prompts/0/mediaInfo/@odata.type");
    assert_eq!(refused_at(cancel(json!({ "callId": CALL, "version": "v2" }))), "/version");
    assert_eq!(refused_at(cancel(json!({ "callId": CALL, "baseUrl": "https://x/v1.0" }))), "/baseUrl");
    assert_eq!(refused_at(cancel(json!([CALL]))), "");
}

#[test]
fn the_body_is_written_directly_in_docs_order() {
    let built = record(json!({
        "callId": CALL,
        "stopTones": ["#"],
        "playBeep": false,
        "clientContext": "c",
        "bargeInAllowed": true,
        "prompts": [{ "uri": "https://a/p.wav", "resourceId": "r" }],
    }));
    assert_eq!(
        built.map(|r| r.body).ok().as_deref(),
        Some(
            r##"{"bargeInAllowed":true,"clientContext":"c","prompts":[{"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"@odata.type":"#microsoft.graph.mediaInfo","uri":"https://a/p.wav","resourceId":"r"}}],"playBeep":false,"stopTones":["#"]}"##
        )
    );
}

mod bodies {
    //! The JSON Schema the package ships for each action's body, the one body reader and the
    //! builders agree: every body the schema accepts (generated from `schema/*.json`, not by a
    //! strategy written beside the reader) passes `validateRequest`, reads back as itself, and
    //! a builder given it as options builds exactly that body.
    use super::common::schema_strategy::from_schema;
    use super::CALL;
    use graph_ivr::input::Input;
    use graph_ivr::model::OperationKind;
    use graph_ivr::request::BuildOptions;
    use graph_ivr::validate::{validate_request, Mode};
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn schema(kind: OperationKind) -> Value {
        let path = format!("{}/schema/{}.request.schema.json", env!("CARGO_MANIFEST_DIR"), kind.action());
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
    }

    fn bodies() -> impl Strategy<Value = (OperationKind, Value)> {
        let kinds =
            OperationKind::ALL.map(|kind| from_schema(&schema(kind)).prop_map(move |body| (kind, body)).boxed());
        prop::strategy::Union::new(kinds)
    }

    /// The body as the reader reads it: `null` members are absent, so is recordResponse's
    /// empty list of prompts (its default), and a mediaInfo's discriminator (optional on the
    /// wire) is written.
    fn as_read(body: &Value) -> Value {
        match body {
            Value::Object(map) => {
                let absent = |k: &str, v: &Value| v.is_null() || (k == "prompts" && v == &json!([]));
                let mut out: serde_json::Map<String, Value> =
                    map.iter().filter(|(k, v)| !absent(k, v)).map(|(k, v)| (k.clone(), as_read(v))).collect();
                if let Some(Value::Object(info)) = out.get_mut("mediaInfo") {
                    info.entry("@odata.type").or_insert_with(|| json!("#microsoft.graph.mediaInfo"));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(as_read).collect()),
            other => other.clone(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn the_schema_the_reader_and_the_builders_agree((kind, body) in bodies()) {
            // beta: the schemas list beta's parameters too.
            let url = format!("https://graph.microsoft.com/beta/communications/calls/{CALL}/{}", kind.action());
            let request = json!({ "method": "POST", "url": url, "headers": { "Content-Type": "application/json" }, "body": body.to_string() });
            let report = validate_request(&Input::from_json(&request), Mode::Strict);
            prop_assert!(report.valid, "{:?} {}", report.issues, body);
            let parsed = report.value.unwrap();
            let written = serde_json::to_value(parsed.request.action()).unwrap();
            prop_assert_eq!(&written, &as_read(&body));

            let mut options = body.clone();
            options["callId"] = json!(CALL);
            options["version"] = json!("beta");
            let built = BuildOptions::from_input(&Input::from_json(&options), kind).map(|b| b.build());
            let built = built.map_err(|e| format!("{} at {}", e.message, e.path));
            prop_assert_eq!(built.map(|b| b.body), Ok(serde_json::to_string(parsed.request.action()).unwrap()));
        }
    }
}

#[test]
fn an_object_with_methods_is_refused_where_it_stands_as_json_stringify_reads_it() {
    use graph_ivr::request::build_subscribe_to_tone;
    let method = || Input::Other("function");
    let with =
        |entries: Vec<(&str, Input)>| Input::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    // callId: {toString() {…}} — what a lying Proxy hands over too: refused at /callId, as the
    // entry's fast path (JSON.stringify drops the method) refuses it.
    let refused = build_subscribe_to_tone(&with(vec![("callId", with(vec![("toString", method())]))])).unwrap_err();
    assert_eq!(
        (refused.path.as_str(), refused.message.as_str()),
        ("/callId", "callId must be a string, got an object")
    );
    // A function given as an option is a mistake of the caller's: refused, not left out.
    let refused =
        build_subscribe_to_tone(&with(vec![("callId", Input::String(CALL.into())), ("clientContext", method())]));
    assert_eq!(refused.map_err(|e| e.path), Err("/clientContext".to_owned()));
}
