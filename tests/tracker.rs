//! The operation tracker against the simulator's own traffic: in order, shuffled, repeated,
//! with a hang-up that leaves a record without an outcome, and against the docs' fixtures.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use graph_ivr::input::Input;
use graph_ivr::request::*;
use graph_ivr::sim::{Delivery, Profile, SimConfig, Simulator};
use graph_ivr::track::{TrackedStatus, Tracker, TrackerEvent, TrackerState};
use graph_ivr::validate::{validate_request, Mode};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Sends a built request to the simulator and tells the tracker, with the response.
fn send(
    sim: &mut Simulator,
    tracker: &mut Tracker,
    build: fn(&Input) -> Result<GraphRequest, graph_ivr::Error>,
    options: Value,
) -> Vec<TrackerEvent> {
    let mut options = options;
    options["callId"] = sim.call_id().into();
    let request = Input::from_json(&serde_json::to_value(build(&Input::from_json(&options)).unwrap()).unwrap());
    let response = sim.handle_input(&request);
    let response = Input::from_json(&json!({
        "status": response.status,
        "headers": response.headers,
        "body": response.body,
    }));
    let parsed = validate_request(&request, Mode::Strict).value.expect("a valid request");
    tracker.sent(&parsed.request, Some(&response))
}

fn kinds(events: &[TrackerEvent]) -> Vec<&'static str> {
    events.iter().map(TrackerEvent::kind).collect()
}

/// A call with every kind of outcome: a prompt that completes, a record stopped by `#`, tones,
/// then a queued prompt and record canceled, then a hang-up.
fn scenario(profile: Profile) -> (Tracker, Vec<Delivery>) {
    let drop_final_record_notification = profile == Profile::Observed;
    let mut sim =
        Simulator::new(SimConfig { seed: 3, profile, drop_final_record_notification, ..SimConfig::default() });
    let mut tracker = Tracker::new();
    let mut deliveries = Vec::new();
    send(&mut sim, &mut tracker, build_subscribe_to_tone, json!({"clientContext": "tones"}));
    send(
        &mut sim,
        &mut tracker,
        build_play_prompt,
        json!({"prompts": ["https://cdn.contoso.com/a.wav"], "clientContext": "welcome"}),
    );
    send(&mut sim, &mut tracker, build_record_response, json!({"stopTones": ["#"], "clientContext": "message"}));
    sim.advance(5000).unwrap();
    sim.press_tone("1").unwrap();
    sim.press_tone("#").unwrap();
    deliveries.extend(sim.drain_deliveries());
    send(
        &mut sim,
        &mut tracker,
        build_play_prompt,
        json!({"prompts": ["https://cdn.contoso.com/b.wav"], "clientContext": "menu"}),
    );
    send(&mut sim, &mut tracker, build_record_response, json!({"clientContext": "second"}));
    send(&mut sim, &mut tracker, build_cancel_media_processing, json!({}));
    sim.advance(0).unwrap();
    deliveries.extend(sim.drain_deliveries());
    send(
        &mut sim,
        &mut tracker,
        build_record_response,
        json!({"clientContext": "last", "maxRecordDurationInSeconds": 60}),
    );
    sim.advance(2000).unwrap();
    sim.hang_up().unwrap();
    deliveries.extend(sim.drain_deliveries());
    (tracker, deliveries)
}

fn feed(tracker: &mut Tracker, deliveries: &[Delivery]) -> Vec<TrackerEvent> {
    deliveries.iter().flat_map(|d| tracker.received(&d.body)).collect()
}

#[test]
fn in_order_every_outcome_is_told_once() {
    let (mut tracker, deliveries) = scenario(Profile::Docs);
    let events = feed(&mut tracker, &deliveries);
    let count = |kind: &str| kinds(&events).iter().filter(|k| **k == kind).count();
    assert_eq!(count("tone"), 2, "{:?}", kinds(&events));
    assert_eq!(count("canceled"), 2, "the queued prompt and record end 400/8508: {:?}", kinds(&events));
    assert_eq!(count("unmatched"), 0, "{events:#?}");
    assert_eq!(count("duplicate"), 0);
    let tones: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            TrackerEvent::Tone(t) => Some((t.key, t.sequence_id, t.gap, t.late)),
            _ => None,
        })
        .collect();
    assert_eq!(tones, vec![(Some('1'), 1, 0, false), (Some('#'), 2, 0, false)]);
    let ops = &tracker.state().operations;
    let by_context = |c: &str| ops.iter().find(|o| o.client_context.as_deref() == Some(c)).unwrap();
    assert_eq!(by_context("welcome").status, TrackedStatus::Completed);
    assert_eq!(by_context("message").status, TrackedStatus::Completed);
    assert!(by_context("message").recording_location.is_some(), "{:?}", by_context("message"));
    assert_eq!(by_context("menu").outcome.as_deref(), Some("canceled"));
    assert_eq!(by_context("second").status, TrackedStatus::Failed);
    // The docs profile reports the record a hang-up ends.
    assert!(!by_context("last").status.is_open(), "{:?}", by_context("last"));
    assert!(tracker.pending(None).is_empty(), "{:?}", tracker.pending(None));
}

#[test]
fn a_hang_up_orphans_the_record_live_graph_never_reports() {
    let (mut tracker, deliveries) = scenario(Profile::Observed);
    assert!(tracker.pending(None).iter().any(|op| op.client_context.as_deref() == Some("last")));
    let events = feed(&mut tracker, &deliveries);
    let orphaned: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            TrackerEvent::Orphaned(op) => Some(op.client_context.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(orphaned, vec![Some("last".to_owned())], "{:?}", kinds(&events));
    assert!(tracker.pending(None).is_empty());
    assert!(tracker.state().calls[0].ended);
}

#[test]
fn repeats_are_duplicates_and_change_nothing() {
    let (mut tracker, deliveries) = scenario(Profile::Docs);
    feed(&mut tracker, &deliveries);
    let after = tracker.state().clone();
    let again = feed(&mut tracker, &deliveries);
    assert!(again.iter().all(|e| e.kind() == "duplicate"), "{:?}", kinds(&again));
    assert_eq!(again.len(), deliveries.iter().map(|d| d.value.value.len()).sum::<usize>());
    assert_eq!(tracker.state(), &after);
}

#[test]
fn the_state_round_trips_through_json_and_refuses_other_shapes() {
    let (mut tracker, deliveries) = scenario(Profile::Observed);
    feed(&mut tracker, &deliveries[..deliveries.len() / 2]);
    let text = serde_json::to_string(tracker.state()).unwrap();
    let mut restored = Tracker::from_state(TrackerState::from_json(&text).unwrap());
    assert_eq!(restored, tracker);
    assert_eq!(
        feed(&mut restored, &deliveries[deliveries.len() / 2..]),
        feed(&mut tracker, &deliveries[deliveries.len() / 2..])
    );

    let newer = text.replace("graph-ivr.tracker/1", "graph-ivr.tracker/2");
    let err = TrackerState::from_json(&newer).unwrap_err();
    assert_eq!(err.path, "/format");
    assert!(err.message.contains("graph-ivr.tracker/2"), "{}", err.message);
    for bad in ["[]", "{}", "not json", r#"{"format":"graph-ivr.tracker/1"}"#] {
        assert!(TrackerState::from_json(bad).is_err(), "{bad}");
    }
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["operations"][0]["status"] = "done".into();
    assert_eq!(TrackerState::from_json(&value.to_string()).unwrap_err().path, "/operations/0/status");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["calls"][0]["tones"] = json!([2, 1]);
    assert_eq!(TrackerState::from_json(&value.to_string()).unwrap_err().path, "/calls/0/tones");
}

#[test]
fn docs_fixtures_without_a_request_are_unmatched_and_with_one_are_matched() {
    let Some(dir) = common::fixtures_dir() else { return };
    let text = common::fixture(&dir, "cancelmediaprocessing.notification.record-canceled.json");
    let mut tracker = Tracker::new();
    let events = tracker.received(&text);
    assert_eq!(kinds(&events), vec!["unmatched"]);
    let TrackerEvent::Unmatched(why) = &events[0] else { unreachable!() };
    assert_eq!(why.reason, "otherCall");

    // The bot sent the record the docs' notification is about (its clientContext and call).
    let payload: Value = serde_json::from_str(&text).unwrap();
    let data = &payload["value"][0]["resourceData"];
    let url = payload["value"][0]["resourceUrl"].as_str().unwrap();
    let call_id = url.split('/').nth(3).unwrap();
    let request = build_record_response(&Input::from_json(&json!({
        "callId": call_id, "clientContext": data["clientContext"],
    })))
    .unwrap();
    let parsed =
        validate_request(&Input::from_json(&serde_json::to_value(request).unwrap()), Mode::Strict).value.unwrap();
    let mut tracker = Tracker::new();
    tracker.sent(&parsed.request, None);
    let events = tracker.received(&text);
    assert_eq!(kinds(&events), vec!["canceled"], "{events:#?}");
    assert_eq!(tracker.state().operations[0].operation_id.as_deref(), data["id"].as_str());
}

#[test]
fn malformed_items_are_reported_and_the_rest_applied() {
    let (mut tracker, deliveries) = scenario(Profile::Docs);
    let mut batch: Value = serde_json::from_str(&deliveries[0].body).unwrap();
    let good = batch["value"][0].clone();
    batch["value"] = json!([{"changeType": "updated"}, good]);
    let events = tracker.received(&batch.to_string());
    assert_eq!(events[0].kind(), "unmatched");
    let TrackerEvent::Unmatched(why) = &events[0] else { unreachable!() };
    assert_eq!((why.reason, why.index), ("malformed", Some(0)));
    assert!(!why.issues.is_empty());
    assert_ne!(events[1].kind(), "unmatched");
    let events = tracker.received("{not json");
    assert_eq!(kinds(&events), vec!["unmatched"]);
}

/// The deliveries, plus a `running` notification for each operation that ends (live Graph
/// sends them for long operations): news that must never undo an outcome that came first.
fn with_running(deliveries: &[Delivery]) -> Vec<String> {
    let mut bodies: Vec<String> = deliveries.iter().map(|d| d.body.clone()).collect();
    for d in deliveries {
        let mut payload: Value = serde_json::from_str(&d.body).unwrap();
        let item = &mut payload["value"][0];
        if item["resourceUrl"].as_str().is_some_and(|u| u.contains("/operations/")) {
            item["changeType"] = "updated".into();
            item["resourceData"]["status"] = "running".into();
            item["resourceData"].as_object_mut().unwrap().remove("resultInfo");
            bodies.push(payload.to_string());
        }
    }
    bodies
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any order and any repetition of the same deliveries leaves the same state.
    #[test]
    fn any_order_and_repetition_gives_the_same_state(
        order in Just((0..40usize).collect::<Vec<_>>()).prop_shuffle(),
        repeats in proptest::collection::vec(0..40usize, 0..10),
        observed in any::<bool>(),
    ) {
        let profile = if observed { Profile::Observed } else { Profile::Docs };
        let (mut expected, deliveries) = scenario(profile);
        let mut shuffled = scenario(profile).0;
        let bodies = with_running(&deliveries);
        for body in &bodies {
            expected.received(body);
        }
        let n = bodies.len();
        prop_assert!(n <= 40, "{n} deliveries");
        let mut sequence: Vec<&String> = order.iter().filter(|i| **i < n).map(|i| &bodies[*i]).collect();
        for r in &repeats {
            sequence.insert(r % (sequence.len() + 1), &bodies[r % n]);
        }
        for body in sequence {
            shuffled.received(body);
        }
        prop_assert_eq!(shuffled.state(), expected.state());
    }
}

#[test]
fn a_stored_state_over_the_payload_limit_is_refused_unread() {
    let huge = format!("{{\"format\":\"x\",\"pad\":\"{}\"}}", "a".repeat(1024 * 1024));
    let refused = TrackerState::from_json(&huge).unwrap_err();
    assert_eq!(refused.path, "");
    assert!(refused.message.contains("limit"), "{}", refused.message);
}
