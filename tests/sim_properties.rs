//! Property tests of the simulator over random scenarios (requests, caller actions, clock
//! moves): every accepted operation ends exactly once; queued operations end in submission
//! order (barge-in aside); subscribeToTone is never canceled; tone sequence ids strictly
//! increase; every notification passes strict validation; the same seed replays byte for byte.

use std::collections::HashMap;

use graph_ivr::http::HttpRequest;
use graph_ivr::input::Input;
use graph_ivr::model::ApiVersion;
use graph_ivr::request::*;
use graph_ivr::sim::{Profile, SimConfig, Simulator};
use graph_ivr::validate::{validate_notifications, Mode, NotificationOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Step {
    Play { prompts: usize, looping: bool },
    Record { prompt: bool, barge_in: bool, initial: u32, silence: u32, max: u32, beep: bool, stop: Vec<char> },
    Subscribe,
    Cancel,
    Advance(u64),
    Tone(char),
    Speak,
    Quiet,
    HangUp,
    Malformed,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1usize..4, any::<bool>()).prop_map(|(prompts, looping)| Step::Play { prompts, looping }),
        3 => (any::<bool>(), prop::bool::weighted(0.2), 1u32..6, 1u32..6, 1u32..8, any::<bool>(), prop::collection::vec(prop::sample::select(vec!['#', '*', '1', 'A']), 0..3))
            .prop_map(|(prompt, barge_in, initial, silence, max, beep, stop)| Step::Record { prompt, barge_in, initial, silence, max, beep, stop }),
        1 => Just(Step::Subscribe),
        1 => Just(Step::Cancel),
        4 => prop_oneof![0u64..50, 0u64..4_000, 0u64..20_000].prop_map(Step::Advance),
        2 => prop::sample::select(vec!['0', '1', '5', '#', '*', 'A', 'D']).prop_map(Step::Tone),
        1 => Just(Step::Speak),
        1 => Just(Step::Quiet),
        1 => prop::bool::weighted(0.05).prop_map(|h| if h { Step::HangUp } else { Step::Advance(1) }),
        1 => Just(Step::Malformed),
    ]
}

#[derive(Debug, Clone)]
struct Scenario {
    seed: u64,
    profile: Profile,
    version: ApiVersion,
    lossy: bool,
    /// The second prompt uri cannot be fetched.
    failing: bool,
    steps: Vec<Step>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let flags = (any::<bool>(), any::<bool>(), prop::bool::weighted(0.2), prop::bool::weighted(0.2));
    (any::<u64>(), flags, prop::collection::vec(step(), 0..40)).prop_map(
        |(seed, (observed, beta, lossy, failing), steps)| Scenario {
            seed: seed % (1 << 53),
            profile: if observed { Profile::Observed } else { Profile::Docs },
            version: if beta { ApiVersion::Beta } else { ApiVersion::V1 },
            lossy,
            failing,
            steps,
        },
    )
}

/// What a run did: the transcript (for replay) and what the invariants need.
struct Run {
    transcript: Vec<String>,
    /// Accepted play/record ops: id → (submission index, barge-in).
    accepted: HashMap<String, (usize, bool)>,
    subscriptions: Vec<String>,
    /// Terminal notifications: operation id, in delivery order.
    terminal: Vec<String>,
    tone_sequence_ids: Vec<i64>,
    tones_pressed_while_subscribed: usize,
    lost: Option<String>,
    invalid: Vec<String>,
}

fn send(
    sim: &mut Simulator,
    s: &Scenario,
    build: fn(&Input) -> Result<GraphRequest, graph_ivr::Error>,
    mut options: Value,
) -> (u16, Value, String) {
    options["callId"] = sim.call_id().into();
    if s.version == ApiVersion::Beta {
        options["version"] = "beta".into();
    }
    let request = build(&Input::from_json(&options)).expect("the scenario only builds valid requests");
    let response = sim.handle(&HttpRequest::from(&request));
    let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, body, response.body)
}

fn run(s: &Scenario) -> Run {
    let mut sim = Simulator::new(SimConfig {
        seed: s.seed,
        profile: s.profile,
        version: s.version,
        drop_final_record_notification: s.lossy,
        // One of the prompt uris the scenario plays cannot be fetched: its operations fail
        // when they would start, and must still end exactly once, in order.
        failing_prompts: if s.failing { ["https://a.example/1.wav".to_owned()].into() } else { Default::default() },
        ..SimConfig::default()
    });
    let mut r = Run {
        transcript: Vec::new(),
        accepted: HashMap::new(),
        subscriptions: Vec::new(),
        terminal: Vec::new(),
        tone_sequence_ids: Vec::new(),
        tones_pressed_while_subscribed: 0,
        lost: None,
        invalid: Vec::new(),
    };
    let mut live = true;
    let steps = s.steps.iter().cloned().chain(std::iter::once(Step::HangUp));
    for (index, step) in steps.enumerate() {
        match step {
            Step::Play { prompts, looping } => {
                let uris: Vec<String> = (0..prompts).map(|i| format!("https://a.example/{i}.wav")).collect();
                let mut options = json!({"prompts": uris});
                if looping && s.version == ApiVersion::Beta {
                    options["loop"] = true.into();
                }
                let (status, body, text) = send(&mut sim, s, build_play_prompt, options);
                r.transcript.push(text);
                if status == 200 {
                    r.accepted.insert(body["id"].as_str().unwrap_or_default().to_owned(), (index, false));
                }
            }
            Step::Record { prompt, barge_in, initial, silence, max, beep, stop } => {
                let mut options = json!({"bargeInAllowed": barge_in, "initialSilenceTimeoutInSeconds": initial, "maxSilenceTimeoutInSeconds": silence, "maxRecordDurationInSeconds": max, "playBeep": beep, "stopTones": stop.iter().map(|c| c.to_string()).collect::<Vec<_>>()});
                if prompt {
                    options["prompts"] = json!(["https://a.example/q.wav"]);
                }
                let (status, body, text) = send(&mut sim, s, build_record_response, options);
                r.transcript.push(text);
                if status == 200 {
                    r.accepted.insert(body["id"].as_str().unwrap_or_default().to_owned(), (index, barge_in));
                }
            }
            Step::Subscribe => {
                let (status, body, text) = send(&mut sim, s, build_subscribe_to_tone, json!({}));
                r.transcript.push(text);
                if status == 200 {
                    r.subscriptions.push(body["id"].as_str().unwrap_or_default().to_owned());
                }
            }
            Step::Cancel => {
                let (_, _, text) = send(&mut sim, s, build_cancel_media_processing, json!({}));
                r.transcript.push(text);
            }
            Step::Advance(ms) => sim.advance(ms).expect("in range"),
            Step::Tone(key) => {
                let pressed = sim.press_tone(&key.to_string()).is_ok();
                if pressed && !r.subscriptions.is_empty() {
                    r.tones_pressed_while_subscribed += 1;
                }
                assert_eq!(pressed, live);
            }
            Step::Speak => assert_eq!(sim.start_speaking().is_ok(), live),
            Step::Quiet => assert_eq!(sim.stop_speaking().is_ok(), live),
            Step::HangUp => {
                if live {
                    let running = sim.snapshot().running;
                    if s.lossy {
                        r.lost =
                            running.filter(|op| op.operation.operation == "recordResponse").map(|op| op.operation.id);
                    }
                    sim.hang_up().expect("live call");
                    live = false;
                } else {
                    assert!(sim.hang_up().is_err());
                }
            }
            Step::Malformed => {
                let bad = json!({"method": "POST", "url": format!("https://graph.microsoft.com/v1.0/communications/calls/{}/playPrompt", sim.call_id()), "body": "{\"prompts\": [1]}"});
                let response = sim.handle_input(&Input::from_json(&bad));
                assert_eq!(response.status, 400, "malformed comes before not-found");
                r.transcript.push(response.body);
            }
        }
        for delivery in sim.drain_deliveries() {
            let report = validate_notifications(
                &delivery.body,
                NotificationOptions { mode: Mode::Strict, version: Some(ApiVersion::V1) },
            );
            if !report.valid {
                r.invalid.push(format!("{}: {:?}", delivery.body, report.issues));
            }
            // The body is the typed value's JSON, and it reads back as that value.
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&delivery.body).ok(),
                serde_json::to_value(&delivery.value).ok()
            );
            let item = &delivery.value.value[0];
            if let Some(op) = item.resource_data.as_ref().and_then(|d| d.as_operation()) {
                assert!(op.status.is_terminal());
                r.terminal.push(op.id.clone().unwrap_or_default());
            }
            if let Some(tone) =
                item.resource_data.as_ref().and_then(|d| d.as_call()).and_then(|c| c.tone_info.clone().flatten())
            {
                r.tone_sequence_ids.push(tone.sequence_id);
            }
            r.transcript.push(format!("{} {}", delivery.at, delivery.body));
        }
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn simulator_invariants(s in scenario()) {
        let r = run(&s);
        prop_assert!(r.invalid.is_empty(), "invalid notifications: {:?}", r.invalid);
        // Exactly one terminal notification per accepted operation (the lost one: none).
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for id in &r.terminal {
            *counts.entry(id.as_str()).or_default() += 1;
        }
        for id in r.accepted.keys() {
            let expected = if r.lost.as_deref() == Some(id.as_str()) { 0 } else { 1 };
            prop_assert_eq!(counts.get(id.as_str()).copied().unwrap_or(0), expected, "operation {}", id);
        }
        prop_assert_eq!(counts.len(), r.terminal.len(), "no operation ends twice");
        // subscribeToTone is never ended by a notification.
        for id in &r.subscriptions {
            prop_assert!(!counts.contains_key(id.as_str()), "subscribeToTone {} was ended", id);
        }
        // Non-barge-in operations end in submission order.
        let order: Vec<usize> = r.terminal.iter().filter_map(|id| r.accepted.get(id)).filter(|(_, barge)| !barge).map(|(i, _)| *i).collect();
        prop_assert!(order.windows(2).all(|w| w[0] < w[1]), "end order {:?}", order);
        // Every key pressed while subscribed is notified, with strictly increasing sequence ids.
        prop_assert_eq!(r.tone_sequence_ids.len(), r.tones_pressed_while_subscribed);
        prop_assert!(r.tone_sequence_ids.windows(2).all(|w| w[0] < w[1]));
        // Same seed, same inputs: byte-identical.
        prop_assert_eq!(&run(&s).transcript, &r.transcript);
    }
}
