//! Property test of the simulated Graph under its faults, over 10,000 random sessions (calls
//! ringing, the bot's requests as `fetch` sends them, callers acting, the clock moving, with
//! throttling, 5xx, latency, lost, late, batched and duplicated callbacks drawn too): a refused
//! request changes nothing; every call ends exactly once (told at most once, exactly once when
//! nothing is lost); no operation ends twice; a call's callbacks keep their order unless
//! `outOfOrder`; every notification is valid; the same seed replays byte for byte, and so does
//! the scenario the session writes.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::collections::HashMap;

use common::graph::{answer_body, request, BOT, GRAPH};
use graph_ivr::input::Input;
use graph_ivr::sim::{CallerAction, GraphSim, HttpAnswer, IncomingCall, Routed, Scenario, Submitted};
use graph_ivr::validate::{validate_notifications, Mode, NotificationOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Step {
    Ring,
    Bot { call: usize, action: &'static str },
    Caller { call: usize, action: CallerAction },
    Advance(u64),
}

fn step() -> impl Strategy<Value = Step> {
    let bot = prop::sample::select(vec![
        "answer",
        "playPrompt",
        "recordResponse",
        "subscribeToTone",
        "cancelMediaProcessing",
        "keepAlive",
        "delete",
        "get",
    ]);
    let caller = prop_oneof![
        prop::sample::select(vec!["1", "#", "5"]).prop_map(|t| CallerAction::PressTone(t.to_owned())),
        Just(CallerAction::StartSpeaking),
        Just(CallerAction::StopSpeaking),
        prop::bool::weighted(0.1).prop_map(|h| if h { CallerAction::HangUp } else { CallerAction::StopSpeaking }),
    ];
    prop_oneof![
        1 => Just(Step::Ring),
        6 => (0usize..3, bot).prop_map(|(call, action)| Step::Bot { call, action }),
        3 => (0usize..3, caller).prop_map(|(call, action)| Step::Caller { call, action }),
        4 => prop_oneof![0u64..60, 0u64..3_000, 0u64..20_000].prop_map(Step::Advance),
    ]
}

#[derive(Debug, Clone)]
struct Session {
    options: Value,
    steps: Vec<Step>,
}

fn session() -> impl Strategy<Value = Session> {
    let rate = prop_oneof![3 => Just(0.0), 1 => Just(0.3)];
    let range =
        prop_oneof![2 => Just(None), 1 => (0u64..300).prop_map(|min| Some(json!({ "min": min, "max": min + 400 })))];
    let faults = (
        rate.clone(),
        rate.clone(),
        rate,
        prop::bool::weighted(0.2),
        range.clone(),
        range,
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0u64, 0, 3]),
    );
    (any::<u64>(), any::<bool>(), faults, prop::collection::vec(step(), 0..30)).prop_map(
        |(seed, observed, (throttle, errors, drop, drop_terminated, delay, latency, out_of_order, batch, duplicate), steps)| {
            let mut faults = json!({ "dropNotifications": drop, "dropTerminated": drop_terminated, "outOfOrder": out_of_order, "batch": batch, "duplicate": duplicate });
            if throttle > 0.0 {
                faults["throttle"] = json!({ "rate": throttle, "retryAfterSeconds": 2 });
            }
            if errors > 0.0 {
                faults["serverErrors"] = json!({ "rate": errors });
            }
            if let Some(delay) = delay {
                faults["deliveryDelayMs"] = delay;
            }
            if let Some(latency) = latency {
                faults["latencyMs"] = latency;
            }
            let profile = if observed { "observed" } else { "docs" };
            Session { options: json!({ "seed": seed % (1 << 53), "profile": profile, "faults": faults }), steps }
        },
    )
}

/// What a session did: every delivery `(at, callId, body)` in order, and what the invariants need.
#[derive(Default)]
struct Run {
    deliveries: Vec<(u64, String, String)>,
    /// Refused requests answered at once that changed something.
    effects_of_refusals: Vec<String>,
    accepted_ops: Vec<String>,
    scenario: Value,
}

fn body_of(request: &str, call: &str) -> String {
    match request {
        "answer" => answer_body().to_string(),
        "playPrompt" => json!({ "prompts": [{ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "@odata.type": "#microsoft.graph.mediaInfo", "uri": format!("https://a.example/{call}.wav") } }] }).to_string(),
        "recordResponse" => json!({ "maxRecordDurationInSeconds": 5, "stopTones": ["#"], "initialSilenceTimeoutInSeconds": 2 }).to_string(),
        _ => "{}".to_owned(),
    }
}

fn accepted(run: &mut Run, answer: &HttpAnswer) {
    if answer.status == 200 {
        if let graph_ivr::sim::Body::Text(text) = &answer.body {
            if let Some(id) = serde_json::from_str::<Value>(text).ok().and_then(|v| v["id"].as_str().map(str::to_owned))
            {
                run.accepted_ops.push(id);
            }
        }
    }
}

/// The state a refused request must not change: every call's snapshot and what is due.
fn state(g: &GraphSim) -> String {
    let calls: Vec<String> = g.calls().iter().map(|c| format!("{:?}", c.snapshot())).collect();
    format!("{calls:?} {:?}", g.next_timer())
}

fn play(options: &Value, steps: &[Step]) -> Run {
    let scenario = Scenario::from_input(&Input::from_json(options)).unwrap();
    let mut g = GraphSim::from_scenario(scenario);
    let mut run = Run::default();
    let take = |g: &mut GraphSim, run: &mut Run| {
        for (_, routed) in g.take_answers() {
            if let Routed::Answer(answer) = routed {
                accepted(run, &answer);
            }
        }
        for d in g.take_deliveries() {
            run.deliveries.push((d.at, d.call_id, d.body));
        }
    };
    let steps = steps.iter().cloned().chain([Step::Ring, Step::Advance(50 * 60_000)]);
    for step in steps {
        match step {
            Step::Ring => {
                g.incoming_call(&IncomingCall::new(BOT)).unwrap();
            }
            Step::Bot { call, action } => {
                let Some(id) = g.calls().get(call).map(|c| c.call_id().to_owned()) else { continue };
                let (method, url) = match action {
                    "delete" => ("DELETE", format!("{GRAPH}/communications/calls/{id}")),
                    "get" => ("GET", format!("{GRAPH}/communications/calls/{id}")),
                    _ => ("POST", format!("{GRAPH}/communications/calls/{id}/{action}")),
                };
                let before = state(&g);
                let sent = request(method, &url, &[("content-type", "application/json")], &body_of(action, &id));
                if let Submitted::Answered(Routed::Answer(answer)) = g.submit(&sent) {
                    if matches!(answer.status, 429 | 500 | 502 | 503 | 504) && state(&g) != before {
                        run.effects_of_refusals.push(format!("{method} {url} answered {}", answer.status));
                    }
                    accepted(&mut run, &answer);
                }
            }
            Step::Caller { call, action } => {
                if call < g.calls().len() {
                    let _ = g.act(call, &action);
                }
            }
            Step::Advance(ms) => g.advance(ms).unwrap(),
        }
        take(&mut g, &mut run);
    }
    // Held requests answered and every call over (keepAlive's 45 minutes end the rest).
    assert!(!g.holds_requests());
    assert!(g.calls().iter().all(|c| c.status().name() == "terminated"));
    run.scenario = g.scenario(true).unwrap();
    run
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn graph_invariants_hold_under_faults(s in session()) {
        let run = play(&s.options, &s.steps);
        prop_assert!(run.effects_of_refusals.is_empty(), "{:?}", run.effects_of_refusals);
        let faults = &s.options["faults"];
        let lossy = faults["dropNotifications"].as_f64() > Some(0.0) || faults["dropTerminated"] == true;
        let out_of_order = faults["outOfOrder"] == true;
        let mut ends: HashMap<String, Vec<String>> = HashMap::new();
        let mut op_ends: HashMap<String, Vec<String>> = HashMap::new();
        let mut last_at: HashMap<&str, u64> = HashMap::new();
        for (at, call, body) in &run.deliveries {
            let report = validate_notifications(body, NotificationOptions { mode: Mode::Strict, version: None });
            prop_assert!(report.valid, "{}: {:?}", body, report.issues);
            if !out_of_order {
                let last = last_at.entry(call.as_str()).or_default();
                prop_assert!(*at >= *last, "call {} went back in time", call);
                *last = *at;
            }
            let value: Value = serde_json::from_str(body).unwrap();
            for item in value["value"].as_array().unwrap() {
                let data = &item["resourceData"];
                if data["state"] == "terminated" {
                    ends.entry(call.clone()).or_default().push(body.clone());
                }
                if data["status"] == "completed" || data["status"] == "failed" {
                    let id = item["resourceUrl"].as_str().unwrap().rsplit('/').next().unwrap().to_ascii_lowercase();
                    op_ends.entry(id).or_default().push(body.clone());
                }
            }
        }
        let calls: Vec<&Value> = run.scenario["calls"].as_array().unwrap().iter().collect();
        let mut told = 0;
        for told_ends in ends.values() {
            // A duplicated POST is the same bytes; two different ends would be two ends.
            let mut distinct = told_ends.clone();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), 1, "a call ended twice: {:?}", told_ends);
            told += 1;
        }
        if !lossy {
            prop_assert_eq!(told, calls.len(), "every call's end is told");
        }
        for (id, told_ends) in &op_ends {
            let mut distinct = told_ends.clone();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), 1, "operation {} ended twice", id);
        }
        // Same seed, same inputs; and the scenario it wrote, replayed with no bot at all.
        let again = play(&s.options, &s.steps);
        prop_assert_eq!(&again.deliveries, &run.deliveries);
        let mut replayed = GraphSim::from_scenario(Scenario::from_input(&Input::from_json(&run.scenario)).unwrap());
        let mut bodies: Vec<(u64, String, String)> = replayed.take_deliveries().into_iter().map(|d| (d.at, d.call_id, d.body)).collect();
        let end = run.deliveries.last().map_or(0, |d| d.0);
        replayed.advance(end.max(50 * 60_000)).unwrap();
        bodies.extend(replayed.take_deliveries().into_iter().map(|d| (d.at, d.call_id, d.body)));
        prop_assert_eq!(&bodies, &run.deliveries);
    }
}
