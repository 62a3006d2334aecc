//! The simulator on its virtual clock, through the same Rust API the wasm layer wraps.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use graph_ivr::http::HttpRequest;
use graph_ivr::input::Input;
use graph_ivr::model::{ApiVersion, OperationKind};
use graph_ivr::request::*;
use graph_ivr::sim::{Delivery, HttpResponse, Profile, SimConfig, Simulator};
use graph_ivr::validate::{
    validate_notifications, validate_operation_response, Mode, NotificationOptions, ResponseOptions,
};
use serde_json::{json, Value};

fn sim(config: SimConfig) -> Simulator {
    Simulator::new(config)
}

fn send(
    sim: &mut Simulator,
    build: fn(&Input) -> Result<GraphRequest, graph_ivr::Error>,
    options: Value,
) -> (HttpResponse, Value) {
    let mut options = options;
    options["callId"] = sim.call_id().into();
    if sim.config().version == ApiVersion::Beta {
        options["version"] = "beta".into();
    }
    let request = build(&Input::from_json(&options)).expect("valid options");
    let response = sim.handle(&HttpRequest::from(&request));
    let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response, body)
}

/// The resourceData of a delivery's single notification, as JSON.
fn data(delivery: &Delivery) -> Value {
    let v: Value = serde_json::from_str(&delivery.body).expect("JSON");
    v["value"][0]["resourceData"].clone()
}

fn assert_all_valid(deliveries: &[Delivery]) {
    for d in deliveries {
        let report =
            validate_notifications(&d.body, NotificationOptions { mode: Mode::Strict, version: Some(ApiVersion::V1) });
        assert!(report.valid, "{}\n{:?}", d.body, report.issues);
    }
}

/// The seed scenario: a prompt and a record queued, tones subscribed, a cancel: two 8508
/// notifications, and a tone after the cancel still arrives.
#[test]
fn cancel_fails_running_and_queued_but_not_the_tone_subscription() {
    let mut s = sim(SimConfig { seed: 7, ..SimConfig::default() });
    let (play, play_body) = send(
        &mut s,
        build_play_prompt,
        json!({"prompts": ["https://cdn.contoso.com/welcome.wav"], "clientContext": "welcome"}),
    );
    assert_eq!(play.status, 200);
    assert_eq!(play_body["status"], "running");
    let (_, record_body) =
        send(&mut s, build_record_response, json!({"maxRecordDurationInSeconds": 10, "clientContext": "voicemail"}));
    assert_eq!(record_body["status"], "running");
    assert_eq!(record_body["recordingLocation"], Value::Null);
    let (_, tone_body) = send(&mut s, build_subscribe_to_tone, json!({}));
    assert_eq!(tone_body["status"], "completed");
    s.advance(1_000).unwrap();
    assert!(s.drain_deliveries().is_empty(), "nothing ends during the first second");

    let (cancel, cancel_body) = send(&mut s, build_cancel_media_processing, json!({"clientContext": "stop"}));
    assert_eq!((cancel.status, cancel_body["status"].as_str()), (200, Some("completed")));
    let canceled = s.drain_deliveries();
    assert_eq!(canceled.len(), 2);
    assert_all_valid(&canceled);
    let (first, second) = (data(&canceled[0]), data(&canceled[1]));
    assert_eq!(first["clientContext"], "welcome");
    assert_eq!(first["status"], "failed");
    assert_eq!(
        first["resultInfo"],
        json!({"@odata.type": "#microsoft.graph.resultInfo", "code": 400, "subcode": 8508, "message": "Action failed, the operation was cancelled."})
    );
    assert_eq!(second["clientContext"], "voicemail");
    assert_eq!(second["@odata.type"], "#microsoft.graph.recordOperation");
    assert_eq!(second["completionReason"], "operationCanceled");
    assert_eq!((second["recordingLocation"].as_str(), second["recordingAccessToken"].as_str()), (Some(""), Some("")));
    assert!(s.snapshot().running.is_none() && s.snapshot().queue.is_empty());

    s.press_tone("#").unwrap();
    let tones = s.drain_deliveries();
    assert_eq!(tones.len(), 1, "subscribeToTone survives the cancel");
    assert_eq!(data(&tones[0])["toneInfo"]["tone"], "pound");
    assert_eq!(data(&tones[0])["toneInfo"]["sequenceId"], 1);
    // A later request starts on an empty queue.
    send(&mut s, build_play_prompt, json!({"prompts": ["https://cdn.contoso.com/again.wav"]}));
    assert_eq!(s.snapshot().running.map(|r| r.operation.operation), Some("playPrompt"));
}

fn scripted_run(seed: u64, profile: Profile, version: ApiVersion) -> Vec<String> {
    let mut s = sim(SimConfig { seed, profile, version, ..SimConfig::default() });
    let mut out = Vec::new();
    let (r, _) =
        send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav", "https://a.example/2.wav"]}));
    out.push(r.body);
    let (r, _) =
        send(&mut s, build_record_response, json!({"prompts": ["https://a.example/q.wav"], "stopTones": ["#"]}));
    out.push(r.body);
    send(&mut s, build_subscribe_to_tone, json!({}));
    s.advance(7_000).unwrap();
    s.start_speaking().unwrap();
    s.advance(500).unwrap();
    s.press_tone("#").unwrap();
    send(&mut s, build_record_response, json!({"maxRecordDurationInSeconds": 3, "playBeep": false}));
    s.advance(10_000).unwrap();
    s.hang_up().unwrap();
    out.extend(s.drain_deliveries().into_iter().map(|d| format!("{} {}", d.at, d.body)));
    out
}

#[test]
fn same_seed_same_bytes_in_every_profile() {
    for profile in [Profile::Docs, Profile::Observed] {
        for version in [ApiVersion::V1, ApiVersion::Beta] {
            let a = scripted_run(11, profile, version);
            assert_eq!(a, scripted_run(11, profile, version));
            assert_ne!(a, scripted_run(12, profile, version), "another seed draws other ids");
        }
    }
}

#[test]
fn every_notification_of_every_profile_validates_strictly() {
    for profile in [Profile::Docs, Profile::Observed] {
        for version in [ApiVersion::V1, ApiVersion::Beta] {
            let mut s = sim(SimConfig { seed: 3, profile, version, ..SimConfig::default() });
            send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"]}));
            send(&mut s, build_record_response, json!({"stopTones": ["1"]}));
            send(&mut s, build_subscribe_to_tone, json!({}));
            s.advance(3_600).unwrap();
            s.start_speaking().unwrap();
            s.stop_speaking().unwrap();
            s.advance(60_000).unwrap();
            send(&mut s, build_record_response, json!({}));
            s.press_tone("1").unwrap();
            s.hang_up().unwrap();
            let all = s.drain_deliveries();
            assert!(all.len() >= 5, "{profile:?} {version:?}: {}", all.len());
            assert_all_valid(&all);
        }
    }
}

#[test]
fn responses_validate_against_their_action_and_call() {
    let mut s = sim(SimConfig::default());
    for (build, kind, options) in [
        (
            build_play_prompt as fn(&Input) -> _,
            OperationKind::PlayPrompt,
            json!({"prompts": ["https://a.example/1.wav"]}),
        ),
        (build_record_response, OperationKind::RecordResponse, json!({})),
        (build_subscribe_to_tone, OperationKind::SubscribeToTone, json!({})),
        (build_cancel_media_processing, OperationKind::CancelMediaProcessing, json!({})),
    ] {
        let (response, _) = send(&mut s, build, options);
        let input = Input::from_json(&serde_json::to_value(&response).unwrap());
        let report = validate_operation_response(
            &input,
            &ResponseOptions {
                operation: Some(kind),
                call_id: graph_ivr::contract::CallId::try_from(s.call_id()).ok(),
                mode: Mode::Strict,
            },
        );
        assert!(report.valid && report.issues.is_empty(), "{kind:?}: {:?}", report.issues);
    }
}

#[test]
fn play_prompt_completes_after_the_sum_of_its_prompts() {
    let durations = [("https://a.example/1.wav".to_owned(), 1_200), ("https://a.example/2.wav".to_owned(), 800)];
    let mut s = sim(SimConfig { prompt_durations_ms: durations.into_iter().collect(), ..SimConfig::default() });
    send(
        &mut s,
        build_play_prompt,
        json!({"prompts": ["https://a.example/1.wav", "https://a.example/2.wav"], "clientContext": "c"}),
    );
    assert_eq!(s.next_timeout(), Some(2_000));
    s.advance(1_999).unwrap();
    assert!(s.drain_deliveries().is_empty());
    s.advance(1).unwrap();
    let done = s.drain_deliveries();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].at, 2_000);
    let d = data(&done[0]);
    assert_eq!(d["status"], "completed");
    assert_eq!((d["resultInfo"]["code"].as_i64(), d["resultInfo"]["subcode"].as_i64()), (Some(200), Some(0)));
    assert!(d.get("completionReason").is_none(), "v1.0 docs profile: as the v1.0 example");
}

#[test]
fn queued_operations_start_in_submission_order() {
    let mut s = sim(SimConfig { default_prompt_ms: 1_000, ..SimConfig::default() });
    for context in ["a", "b", "c"] {
        send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/x.wav"], "clientContext": context}));
    }
    s.advance(3_000).unwrap();
    let done: Vec<(u64, Value)> =
        s.drain_deliveries().iter().map(|d| (d.at, data(d)["clientContext"].clone())).collect();
    assert_eq!(done, vec![(1_000, json!("a")), (2_000, json!("b")), (3_000, json!("c"))]);
}

#[test]
fn record_without_speech_fails_on_initial_silence() {
    let mut s = sim(SimConfig::default());
    send(&mut s, build_record_response, json!({"initialSilenceTimeoutInSeconds": 2, "maxRecordDurationInSeconds": 10}));
    // Beep (500 ms, inferred) then 2 s of silence.
    s.advance(2_499).unwrap();
    assert!(s.drain_deliveries().is_empty());
    s.advance(1).unwrap();
    let d = data(&s.drain_deliveries()[0]);
    assert_eq!(d["status"], "failed");
    assert_eq!(d["completionReason"], "initialSilenceTimeout");
    assert_eq!(d["recordingLocation"], "");
}

#[test]
fn record_ends_after_max_silence_once_the_caller_spoke() {
    let mut s = sim(SimConfig::default());
    send(
        &mut s,
        build_record_response,
        json!({"playBeep": false, "maxSilenceTimeoutInSeconds": 2, "maxRecordDurationInSeconds": 30}),
    );
    s.advance(1_000).unwrap();
    s.start_speaking().unwrap();
    s.advance(4_000).unwrap();
    s.stop_speaking().unwrap();
    s.advance(1_999).unwrap();
    assert!(s.drain_deliveries().is_empty());
    s.advance(1).unwrap();
    let done = s.drain_deliveries();
    assert_eq!(done[0].at, 7_000);
    let d = data(&done[0]);
    assert_eq!(d["status"], "completed");
    assert!(d["recordingLocation"].as_str().is_some_and(|l| l.starts_with("https://")));
    assert!(d["recordingAccessToken"].as_str().is_some_and(|t| !t.is_empty()));
}

#[test]
fn record_is_capped_by_max_duration_with_8515() {
    let mut s = sim(SimConfig::default());
    send(&mut s, build_record_response, json!({"playBeep": false, "maxRecordDurationInSeconds": 3}));
    s.start_speaking().unwrap();
    s.advance(3_000).unwrap();
    let d = data(&s.drain_deliveries()[0]);
    assert_eq!((d["resultInfo"]["code"].as_i64(), d["resultInfo"]["subcode"].as_i64()), (Some(200), Some(8515)));
}

#[test]
fn a_stop_tone_ends_the_record_only_while_recording() {
    let mut s = sim(SimConfig { version: ApiVersion::Beta, ..SimConfig::default() });
    send(
        &mut s,
        build_record_response,
        json!({"prompts": ["https://a.example/q.wav"], "stopTones": ["#"], "maxRecordDurationInSeconds": 60}),
    );
    s.press_tone("#").unwrap(); // during the prompt: ignored (inferred)
    assert!(s.drain_deliveries().is_empty());
    s.advance(3_500).unwrap(); // prompt 3 s + beep 0.5 s
    s.press_tone("2").unwrap(); // not a stop tone
    s.press_tone("#").unwrap();
    let done = s.drain_deliveries();
    assert_eq!(done.len(), 1);
    let d = data(&done[0]);
    assert_eq!((d["status"].as_str(), d["completionReason"].as_str()), (Some("completed"), Some("stopToneDetected")));
    assert!(d.get("resultInfo").is_none(), "beta docs: completions carry completionReason, not resultInfo");
}

#[test]
fn beta_loop_never_completes_until_canceled() {
    let mut s = sim(SimConfig { version: ApiVersion::Beta, ..SimConfig::default() });
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"], "loop": true}));
    s.advance(1_000_000_000).unwrap();
    assert!(s.drain_deliveries().is_empty());
    send(&mut s, build_cancel_media_processing, json!({}));
    let d = data(&s.drain_deliveries()[0]);
    assert_eq!(d["completionReason"], "mediaOperationCanceled");
}

#[test]
fn barge_in_cancels_the_running_operation_and_runs_first() {
    let mut s = sim(SimConfig::default());
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"], "clientContext": "running"}));
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/2.wav"], "clientContext": "queued"}));
    send(&mut s, build_record_response, json!({"bargeInAllowed": true, "clientContext": "barger"}));
    let canceled = s.drain_deliveries();
    assert_eq!(canceled.len(), 1);
    assert_eq!(data(&canceled[0])["clientContext"], "running");
    let snap = s.snapshot();
    assert_eq!(snap.running.map(|r| r.operation.client_context), Some(Some("barger".to_owned())));
    assert_eq!(snap.queue.len(), 1);
}

#[test]
fn hang_up_ends_everything_and_later_requests_get_404() {
    let mut s = sim(SimConfig::default());
    send(&mut s, build_record_response, json!({}));
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"]}));
    s.hang_up().unwrap();
    let all = s.drain_deliveries();
    assert_eq!(all.len(), 3);
    assert_all_valid(&all);
    let call = data(&all[2]);
    assert_eq!(call["state"], "terminated");
    let (after, body) = send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"]}));
    assert_eq!(after.status, 404);
    assert_eq!(body["error"]["code"], "ItemNotFound");
    assert_eq!(s.press_tone("1").unwrap_err().code, graph_ivr::ErrorCode::InvalidState);
}

#[test]
fn hang_up_can_lose_the_final_record_notification() {
    let mut s = sim(SimConfig { drop_final_record_notification: true, ..SimConfig::default() });
    send(&mut s, build_record_response, json!({}));
    s.hang_up().unwrap();
    let all = s.drain_deliveries();
    assert_eq!(all.len(), 1, "only the call's own deleted notification");
}

#[test]
fn malformed_and_misaddressed_requests_get_odata_errors() {
    let mut s = sim(SimConfig::default());
    let bad = Input::from_json(
        &json!({"method": "POST", "url": format!("https://graph.microsoft.com/v1.0/communications/calls/{}/playPrompt", s.call_id()), "headers": {"Content-Type": "application/json"}, "body": "{\"prompts\": []}"}),
    );
    let response = s.handle_input(&bad);
    assert_eq!(response.status, 400);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["error"]["code"], "BadRequest");
    assert!(body["error"]["message"].as_str().unwrap().contains("/body/prompts"));
    let elsewhere = Input::from_json(
        &json!({"method": "POST", "url": "https://graph.microsoft.com/v1.0/communications/calls/other/subscribeToTone", "body": ""}),
    );
    assert_eq!(s.handle_input(&elsewhere).status, 404);
}

#[test]
fn observed_profile_looks_like_live_traffic() {
    let mut s = sim(SimConfig { profile: Profile::Observed, ..SimConfig::default() });
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/1.wav"]}));
    s.advance(3_000).unwrap();
    let delivery = &s.drain_deliveries()[0];
    let v: Value = serde_json::from_str(&delivery.body).unwrap();
    let n = &v["value"][0];
    let id = s.call_id().to_owned();
    assert!(n["resource"].as_str().unwrap().starts_with(&format!("/app/calls/{id}/operations/")));
    assert!(n["resourceUrl"].as_str().unwrap().starts_with(&format!("/communications/calls/{id}/operations/")));
    let d = &n["resourceData"];
    assert!(d.get("@odata.id").is_none() && d.get("@odata.etag").is_none());
    assert_eq!(d["completionReason"], "completedSuccessfully");
    assert_eq!(d["prompts"][0]["mediaInfo"]["uri"], "https://a.example/1.wav");
}

#[test]
fn advancing_past_the_representable_range_is_refused() {
    let mut s = sim(SimConfig::default());
    assert!(s.advance(u64::MAX).is_err());
    assert_eq!(s.now(), 0);
}

#[test]
fn a_prompt_that_cannot_be_fetched_fails_its_operation_when_it_starts() {
    let failing = ["https://a.example/missing.wav".to_owned()].into_iter().collect();
    let mut s = sim(SimConfig { failing_prompts: failing, version: ApiVersion::Beta, ..SimConfig::default() });
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/ok.wav"], "clientContext": "first"}));
    send(
        &mut s,
        build_record_response,
        json!({"prompts": ["https://a.example/missing.wav"], "clientContext": "record"}),
    );
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/missing.wav"], "clientContext": "play"}));
    send(&mut s, build_play_prompt, json!({"prompts": ["https://a.example/ok.wav"], "clientContext": "last"}));
    assert!(s.drain_deliveries().is_empty(), "nothing fails before it would start");
    s.advance(3_000).unwrap();
    let done = s.drain_deliveries();
    assert_all_valid(&done);
    let seen: Vec<(u64, String, String, String)> = done
        .iter()
        .map(|d| {
            let v = data(d);
            (
                d.at,
                v["clientContext"].as_str().unwrap_or_default().to_owned(),
                v["status"].as_str().unwrap_or_default().to_owned(),
                v["completionReason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (3_000, "first".into(), "completed".into(), "completedSuccessfully".into()),
            (3_000, "record".into(), "failed".into(), "playPromptFailed".into()),
            (3_000, "play".into(), "failed".into(), "unknown".into()),
        ]
    );
    assert_eq!(s.snapshot().running.map(|r| r.operation.client_context), Some(Some("last".to_owned())));
}
