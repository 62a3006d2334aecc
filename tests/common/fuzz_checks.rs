//! The invariants the fuzz targets check, shared with the regression tests that replay every
//! input the fuzzer ever found (fuzz/regressions/). Each function panics on a violation.

use arbitrary::{Arbitrary, Unstructured};
use graph_ivr::http::HttpRequest;
use graph_ivr::input::Input;
use graph_ivr::model::{ApiVersion, CommsNotifications, OperationKind};
use graph_ivr::request::*;
use graph_ivr::sim::{IncomingCall, Profile, SimConfig, Simulator};
use graph_ivr::validate::*;

fn assert_report_consistent<T>(report: &Report<T>) {
    assert_eq!(report.valid, !report.issues.iter().any(|i| i.severity == Severity::Error));
    for issue in &report.issues {
        assert!(issue.path.is_empty() || issue.path.starts_with('/'), "path {:?}", issue.path);
        assert!(!issue.message.is_empty());
    }
}

/// Arbitrary bytes as a notification payload, in both modes.
pub fn notifications(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for mode in [Mode::Strict, Mode::Tolerant] {
        let options = NotificationOptions { mode, ..Default::default() };
        let checked = check_notifications(&text, options);
        if let Some(value) = checked.value.clone() {
            let typed = serde_json::from_value::<CommsNotifications>(value.to_json());
            assert!(typed.is_ok(), "a checked value must read as the typed model: {typed:?}");
        }
        let report = validate_notifications(&text, options);
        assert_report_consistent(&report);
        assert_eq!(report.value.is_some(), checked.value.is_some());
    }
}

/// Splits `START\nName: value…\n\nbody` (the docs' .http format) into its parts.
fn http(text: &str) -> (String, Input, String) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let start = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), Input::String(v.trim().to_owned())))
        .collect();
    (start, Input::Object(headers), body.to_owned())
}

/// Arbitrary bytes as an HTTP response to each action.
pub fn response(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (start, headers, body) = http(&text);
    let status = start.split(' ').nth(1).and_then(|s| s.parse::<f64>().ok()).unwrap_or(200.0);
    let input = Input::Object(vec![
        ("status".into(), Input::Number(status)),
        ("headers".into(), headers),
        ("body".into(), Input::String(body)),
    ]);
    for operation in OperationKind::ALL.map(Some).into_iter().chain([None]) {
        for mode in [Mode::Strict, Mode::Tolerant] {
            let options = ResponseOptions {
                operation,
                call_id: graph_ivr::contract::CallId::try_from("57dab8b1-894c-409a-b240-bd8beae78896").ok(),
                mode,
            };
            assert_report_consistent(&validate_operation_response(&input, &options));
        }
    }
}

/// Arbitrary bytes as an HTTP request, validated and handed to a simulator.
pub fn request(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (start, headers, body) = http(&text);
    let (method, url) = start.split_once(' ').unwrap_or(("POST", &start));
    let input = Input::Object(vec![
        ("method".into(), Input::String(method.to_owned())),
        ("url".into(), Input::String(url.to_owned())),
        ("headers".into(), headers),
        ("body".into(), Input::String(body)),
    ]);
    for mode in [Mode::Strict, Mode::Tolerant] {
        assert_report_consistent(&validate_request(&input, mode));
    }
    let mut sim = Simulator::new(SimConfig {
        call_id: Some("57dab8b1-894c-409a-b240-bd8beae78896".into()),
        ..SimConfig::default()
    });
    let response = sim.handle_input(&input);
    assert!(matches!(response.status, 200 | 400 | 404), "{}", response.status);
    sim.advance(100_000).expect("in range");
    for delivery in sim.drain_deliveries() {
        assert!(validate_notifications(&delivery.body, NotificationOptions::default()).valid, "{}", delivery.body);
    }
}

#[derive(Debug, Arbitrary)]
enum Action {
    Play { prompts: u8, looping: bool, context: Option<String> },
    Record { prompt: bool, barge_in: bool, timers: [u8; 3], beep: Option<bool>, stop: Vec<u8> },
    Subscribe,
    Cancel,
    Advance(u32),
    Tone(u8),
    Speak,
    Quiet,
    HangUp,
    Raw { action: u8, body: String },
}

#[derive(Debug, Arbitrary)]
struct Scenario {
    seed: u64,
    observed: bool,
    beta: bool,
    lossy: bool,
    actions: Vec<Action>,
}

fn run(s: &Scenario) -> Vec<String> {
    let version = if s.beta { ApiVersion::Beta } else { ApiVersion::V1 };
    let config = SimConfig {
        seed: s.seed % (1 << 53),
        profile: if s.observed { Profile::Observed } else { Profile::Docs },
        version,
        drop_final_record_notification: s.lossy,
        ..SimConfig::default()
    };
    let mut sim = Simulator::new(config);
    let call_id = sim.call_id().to_owned();
    let mut out = Vec::new();
    let send = |sim: &mut Simulator,
                build: fn(&Input) -> Result<GraphRequest, graph_ivr::Error>,
                mut options: serde_json::Value,
                out: &mut Vec<String>| {
        options["callId"] = call_id.clone().into();
        options["version"] = version.as_str().into();
        // Options the builders refuse are part of the search space: they must refuse cleanly.
        if let Ok(request) = build(&Input::from_json(&options)) {
            let response = sim.handle(&HttpRequest::from(&request));
            out.push(format!("{} {}", response.status, response.body));
        }
    };
    for action in s.actions.iter().take(200) {
        match action {
            Action::Play { prompts, looping, context } => {
                let uris: Vec<String> = (0..*prompts % 22).map(|i| format!("https://a.example/{i}.wav")).collect();
                send(
                    &mut sim,
                    build_play_prompt,
                    serde_json::json!({"prompts": uris, "loop": looping.then_some(true), "clientContext": context}),
                    &mut out,
                );
            }
            Action::Record { prompt, barge_in, timers, beep, stop } => {
                let stop: Vec<String> = stop.iter().take(4).map(|b| char::from(*b).to_string()).collect();
                let options = serde_json::json!({
                    "prompts": if *prompt { vec!["https://a.example/q.wav"] } else { vec![] },
                    "bargeInAllowed": barge_in,
                    "initialSilenceTimeoutInSeconds": timers[0] % 125,
                    "maxSilenceTimeoutInSeconds": timers[1] % 125,
                    "maxRecordDurationInSeconds": timers[2] % 125,
                    "playBeep": beep,
                    "stopTones": stop,
                });
                send(&mut sim, build_record_response, options, &mut out);
            }
            Action::Subscribe => send(&mut sim, build_subscribe_to_tone, serde_json::json!({}), &mut out),
            Action::Cancel => send(&mut sim, build_cancel_media_processing, serde_json::json!({}), &mut out),
            Action::Advance(ms) => sim.advance(u64::from(*ms)).expect("in range"),
            Action::Tone(key) => {
                let _ = sim.press_tone(&char::from(*key).to_string());
            }
            Action::Speak => {
                let _ = sim.start_speaking();
            }
            Action::Quiet => {
                let _ = sim.stop_speaking();
            }
            Action::HangUp => {
                let _ = sim.hang_up();
            }
            Action::Raw { action, body } => {
                let name = [
                    "playPrompt",
                    "recordResponse",
                    "subscribeToTone",
                    "cancelMediaProcessing",
                    "PlayPrompt",
                    "keepAlive",
                ][*action as usize % 6];
                let request = Input::Object(vec![
                    ("method".into(), Input::String("POST".into())),
                    (
                        "url".into(),
                        Input::String(format!(
                            "https://graph.microsoft.com/{}/communications/calls/{call_id}/{name}",
                            version.as_str()
                        )),
                    ),
                    (
                        "headers".into(),
                        Input::Object(vec![("Content-Type".into(), Input::String("application/json".into()))]),
                    ),
                    ("body".into(), Input::String(body.clone())),
                ]);
                let response = sim.handle_input(&request);
                out.push(format!("{} {}", response.status, response.body));
            }
        }
        for delivery in sim.drain_deliveries() {
            let report = validate_notifications(&delivery.body, NotificationOptions::default());
            assert!(report.valid, "{}\n{:?}", delivery.body, report.issues);
            out.push(format!("{} {}", delivery.at, delivery.body));
        }
        let snapshot = sim.snapshot();
        assert_eq!(snapshot.now, sim.now());
        if let Some(next) = sim.next_timeout() {
            assert!(next >= sim.now(), "a timer in the past");
        }
    }
    out
}

/// Arbitrary bytes as a simulator scenario: every notification valid, replay byte-identical.
pub fn simulator(data: &[u8]) {
    let Ok(scenario) = Scenario::arbitrary(&mut Unstructured::new(data)) else { return };
    let first = run(&scenario);
    assert_eq!(first, run(&scenario), "same seed and inputs must give the same bytes");
}

/// Arbitrary bytes as HTTP requests to a simulated Graph service with calls in every state
/// (`METHOD URL` on the first line, headers, a blank line, the body): it answers each with a
/// Graph status or names a foreign host, never panics, and keeps its clock and queue sound.
pub fn graph_http(data: &[u8]) {
    use graph_ivr::sim::{GraphConfig, GraphSim, Routed};
    let text = String::from_utf8_lossy(data);
    let (start, headers, body) = http(&text);
    let (method, url) = start.split_once(' ').unwrap_or(("POST", start.as_str()));
    let url = url.split(' ').next().unwrap_or_default().to_owned();
    let headers = match headers {
        Input::Object(entries) => {
            entries.into_iter().map(|(k, v)| (k, if let Input::String(s) = v { s } else { String::new() })).collect()
        }
        _ => Vec::new(),
    };
    let request = HttpRequest::new(method, url, headers, body);
    // Each profile with the delivery faults, and once with Graph's own failures too (a refused
    // request answers 429 or a 5xx and changes nothing; lost notifications are never invalid).
    let failing = serde_json::json!({
        "batch": true, "throttle": { "rate": 0.3 }, "serverErrors": { "rate": 0.3 }, "dropNotifications": 0.3,
        "deliveryDelayMs": { "min": 0, "max": 2000 },
    });
    for (profile, faults) in [
        ("docs", serde_json::json!({ "batch": true, "duplicate": 3 })),
        ("observed", serde_json::json!({ "batch": true, "duplicate": 3 })),
        ("docs", failing),
    ] {
        let options = Input::from_json(&serde_json::json!({ "profile": profile, "faults": faults }));
        let mut graph = GraphSim::new(GraphConfig::from_input(&options).expect("valid options"));
        for id in ["57dab8b1-894c-409a-b240-bd8beae78896", "c2", "c3"] {
            graph.incoming_call(&IncomingCall::new("https://bot.example/cb").call_id(id)).expect("a new call");
        }
        // c2 answered and established, c3 rejected: every lifecycle state is there.
        let answer = |id: &str| {
            let url = format!("https://graph.microsoft.com/v1.0/communications/calls/{id}/answer");
            HttpRequest::new("POST", url, vec![], r#"{"mediaConfig":{}}"#)
        };
        graph.http(&answer("c2"));
        let mut reject = answer("c3");
        reject.url = reject.url.replace("answer", "reject");
        graph.http(&reject);
        graph.advance(1000).expect("time moves");
        for _ in 0..2 {
            match graph.http(&request) {
                Routed::Answer(answer) => assert!(
                    matches!(answer.status, 200 | 201 | 202 | 204 | 400 | 401 | 404 | 405 | 429 | 500..=504),
                    "status {}",
                    answer.status
                ),
                Routed::ForeignHost(host) => assert!(!host.is_empty() || request.url.is_empty()),
            }
        }
        graph.advance(20_000).expect("time moves");
        for delivery in graph.take_deliveries() {
            let report = validate_notifications(&delivery.body, NotificationOptions::default());
            assert!(report.valid, "{}: {:?}", delivery.body, report.issues);
        }
    }
}

/// Arbitrary bytes as a scenario (JSON): refused with an error whose path is a JSON Pointer,
/// or played without a panic or a hang, every notification valid, and the scenario it writes
/// back replaying the same notifications.
pub fn scenario(data: &[u8]) {
    use graph_ivr::sim::{GraphSim, Scenario};
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let scenario = match Scenario::from_input(&Input::from_json(&json)) {
        Ok(scenario) => scenario,
        Err(error) => {
            assert!(error.path.is_empty() || error.path.starts_with('/'), "path {:?}", error.path);
            return;
        }
    };
    // A bounded play: an hour of virtual time at most (keepAlive ends every call within it).
    let until = scenario.duration_ms.unwrap_or(0).min(3_600_000);
    let play = |mut graph: GraphSim| {
        let mut bodies: Vec<String> = graph.take_deliveries().into_iter().map(|d| d.body).collect();
        graph.advance(until.saturating_sub(graph.now())).expect("time moves");
        bodies.extend(graph.take_deliveries().into_iter().map(|d| d.body));
        (bodies, graph)
    };
    let (bodies, graph) = play(GraphSim::from_scenario(scenario));
    for body in &bodies {
        let report = validate_notifications(body, NotificationOptions::default());
        assert!(report.valid, "{body}: {:?}", report.issues);
    }
    let written = graph.scenario(true).expect("a session within the recording limit");
    let again = Scenario::from_input(&Input::from_json(&written)).expect("a written scenario reads back");
    assert_eq!(play(GraphSim::from_scenario(again)).0, bodies, "the written scenario replays the same bytes");
}

/// Arbitrary bytes as a stored tracker state and as callback POSTs (NUL-separated): a state is
/// refused with an error or reads back unchanged; applying a POST again changes nothing.
pub fn tracker(data: &[u8]) {
    use graph_ivr::track::{Tracker, TrackerState};
    let text = String::from_utf8_lossy(data);
    if let Ok(state) = TrackerState::from_json(&text) {
        let written = serde_json::to_string(&state).expect("a state serializes");
        assert_eq!(TrackerState::from_json(&written).expect("a written state reads back"), state);
    }
    let mut tracker = Tracker::new();
    for part in text.split('\0') {
        tracker.received(part);
        let once = tracker.state().clone();
        let again = tracker.received(part);
        assert_eq!(tracker.state(), &once, "a repeated POST changed the state: {again:?}");
    }
    let written = serde_json::to_string(tracker.state()).expect("a state serializes");
    assert_eq!(&TrackerState::from_json(&written).expect("the tracker's state reads back"), tracker.state());
}

/// Arbitrary bytes as an `Authorization` header and a JWKS (split at the first NUL): reading
/// never panics, a refusal has a reason and words, and claims are only checked once read.
pub fn verify_token(data: &[u8]) {
    use graph_ivr::auth::{check_claims, prepare, ClaimRules, GRAPH_ISSUERS, MAX_TOKEN_BYTES};
    let text = String::from_utf8_lossy(data);
    let (authorization, jwks) = text.split_once('\0').unwrap_or((&text, ""));
    let jwks: serde_json::Value = serde_json::from_str(jwks).unwrap_or_else(|_| serde_json::json!({ "keys": [] }));
    match prepare(Some(authorization), &jwks) {
        Ok(prepared) => {
            assert!(authorization.len() <= MAX_TOKEN_BYTES);
            assert!(!prepared.signature.is_empty());
            assert_eq!(prepared.key.get("kty").and_then(|k| k.as_str()), Some("RSA"));
            let rules = ClaimRules {
                audience: "app".into(),
                issuers: GRAPH_ISSUERS.iter().map(|s| s.to_string()).collect(),
                tenant_id: Some("t".into()),
                now: 1e9,
                clock_skew_seconds: 300.0,
            };
            if let Err(refusal) = check_claims(&prepared.claims, &rules) {
                assert!(!refusal.message.is_empty());
            }
        }
        Err(refusal) => assert!(!refusal.message.is_empty() && !refusal.reason.as_str().is_empty()),
    }
}
