//! Scenarios as data: a caller's script on the call's events, a hand-driven session written by
//! `scenario()` and replayed byte for byte, and bad scenarios refused by the JSON Pointer of
//! their problem.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::graph::*;
use graph_ivr::input::Input;
use graph_ivr::sim::{CallerAction, Delivery, GraphSim, IncomingCall, Scenario};
use serde_json::{json, Value};

fn load(scenario: Value) -> GraphSim {
    GraphSim::from_scenario(Scenario::from_input(&Input::from_json(&scenario)).unwrap())
}

fn refusal(scenario: Value) -> (String, String) {
    let error = Scenario::from_input(&Input::from_json(&scenario)).unwrap_err();
    (error.path, error.message)
}

/// Everything delivered until `until`, with its instant.
fn play(g: &mut GraphSim, until: u64) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = g.take_deliveries().into_iter().map(|d| (d.at, d.body)).collect();
    g.advance(until - g.now()).unwrap();
    out.extend(g.take_deliveries().into_iter().map(|d: Delivery| (d.at, d.body)));
    out
}

fn tones(deliveries: &[(u64, String)]) -> Vec<(u64, String)> {
    deliveries
        .iter()
        .filter_map(|(at, body)| {
            let value: Value = serde_json::from_str(body).unwrap();
            let tone = value["value"][0]["resourceData"]["toneInfo"]["tone"].as_str()?.to_owned();
            Some((*at, tone))
        })
        .collect()
}

#[test]
fn a_callers_script_waits_for_the_calls_events() {
    let menu = "https://bot.example/menu.wav";
    let mut g = load(json!({
        "seed": 4,
        "promptDurationsMs": { menu: 4000 },
        "calls": [{ "callbackUri": BOT, "callId": "c", "steps": [
            { "on": "prompt", "uri": menu, "after": 1500, "pressTone": "2" },
            { "on": "recording", "after": 2000, "pressTone": "#" },
            { "at": 60000, "hangUp": true }
        ] }]
    }));
    assert_eq!(g.calls().len(), 1, "the call rang at 0");
    post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body());
    g.advance(500).unwrap();
    post(&mut g, &format!("{GRAPH}/communications/calls/c/subscribeToTone"), json!({}));
    g.advance(1000).unwrap();
    post(
        &mut g,
        &format!("{GRAPH}/communications/calls/c/playPrompt"),
        json!({ "prompts": [{ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "@odata.type": "#microsoft.graph.mediaInfo", "uri": menu } }] }),
    );
    let record = json!({ "playBeep": true, "stopTones": ["#"], "maxRecordDurationInSeconds": 30 });
    post(&mut g, &format!("{GRAPH}/communications/calls/c/recordResponse"), record);
    let all = play(&mut g, 70_000);
    // The menu starts at 1500: "2" at 3000. It ends at 5500, the beep lasts 500 ms, recording
    // starts at 6000: "#" at 8000, which stops the record.
    assert_eq!(tones(&all), [(3000, "tone2".to_owned()), (8000, "pound".to_owned())]);
    let states = states(&g.take_deliveries());
    assert!(states.is_empty(), "{states:?}");
    assert_eq!(g.calls()[0].status().name(), "terminated", "hung up at 60 s after the call began");
}

#[test]
fn a_hand_driven_session_is_written_and_replays_byte_for_byte() {
    let mut g = load(
        json!({ "seed": 21, "profile": "observed", "faults": { "dropNotifications": 0.2, "latencyMs": { "min": 0, "max": 50 } } }),
    );
    g.incoming_call(&IncomingCall::new(BOT).call_id("one")).unwrap();
    g.incoming_call(&IncomingCall::new(BOT)).unwrap();
    let mut original = Vec::new();
    // As `fetch` sends them: held by latency, answered as the clock moves.
    for id in ["one", g.calls()[1].call_id().to_owned().as_str()] {
        g.submit(&request(
            "POST",
            &format!("{GRAPH}/communications/calls/{id}/answer"),
            &[("client-request-id", "r1")],
            &answer_body().to_string(),
        ));
    }
    original.extend(play(&mut g, 600));
    g.submit(&request(
        "POST",
        &format!("{GRAPH}/communications/calls/one/subscribeToTone"),
        &[("Authorization", "Bearer secret")],
        "{}",
    ));
    g.act(0, &CallerAction::PressTone("5".into())).unwrap();
    g.submit(&request(
        "POST",
        &format!("{GRAPH}/communications/calls/one/recordResponse"),
        &[],
        "{\"playBeep\": false}",
    ));
    g.act(0, &CallerAction::StartSpeaking).unwrap();
    original.extend(play(&mut g, 3_000));
    g.act(0, &CallerAction::StopSpeaking).unwrap();
    g.act(1, &CallerAction::HangUp).unwrap();
    original.extend(play(&mut g, 10_000));

    let written = g.scenario(true).unwrap();
    assert!(!written.to_string().contains("secret"), "no credentials in a saved scenario");
    assert!(
        written.to_string().contains("Bearer redacted"),
        "the token is there, redacted: it replays with requireBearer"
    );
    assert_eq!(written["calls"], json!([{ "callbackUri": BOT, "callId": "one" }, { "callbackUri": BOT }]));
    let mut replayed = load(written.clone());
    assert_eq!(play(&mut replayed, 10_000), original);
    assert_eq!(replayed.scenario(true).unwrap(), written, "and writes itself back the same");
    let without = g.scenario(false).unwrap();
    assert!(without["steps"].as_array().unwrap().iter().all(|s| s.get("request").is_none()));
}

#[test]
fn an_outbound_entry_scripts_the_call_the_bot_places() {
    let mut g = load(
        json!({ "calls": [{ "outbound": true, "steps": [{ "on": "established", "after": 1000, "hangUp": true }] }] }),
    );
    let placed = post(&mut g, &format!("{GRAPH}/communications/calls"), json!({ "callbackUri": BOT }));
    assert_eq!(placed.status, 201);
    g.advance(2_999).unwrap();
    assert_eq!(g.calls()[0].status().name(), "established");
    g.advance(1).unwrap();
    assert_eq!(g.calls()[0].status().name(), "terminated", "established at 2000, hung up 1000 later");
}

#[test]
fn bad_scenarios_are_refused_with_the_pointer_of_the_problem() {
    let cases = [
        (json!({ "calls": {} }), "/calls"),
        (json!({ "calls": [{}] }), "/calls/0/callbackUri"),
        (json!({ "calls": [{ "callbackUri": "ftp://x" }] }), "/calls/0/callbackUri"),
        (json!({ "calls": [{ "outbound": true, "callbackUri": BOT }] }), "/calls/0/callbackUri"),
        (json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "pressTone": "1" }] }] }), "/calls/0/steps/0"),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "at": -1, "pressTone": "1" }] }] }),
            "/calls/0/steps/0/at",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "at": 1, "pressTone": "11" }] }] }),
            "/calls/0/steps/0/pressTone",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "at": 1, "pressTone": "1", "hangUp": true }] }] }),
            "/calls/0/steps/0/hangUp",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "on": "beep", "uri": "x", "hangUp": true }] }] }),
            "/calls/0/steps/0/uri",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "at": 1, "after": 2, "hangUp": true }] }] }),
            "/calls/0/steps/0/after",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "on": "ringing", "hangUp": true }] }] }),
            "/calls/0/steps/0/on",
        ),
        (
            json!({ "calls": [{ "callbackUri": BOT, "steps": [{ "at": 1, "hangUp": false }] }] }),
            "/calls/0/steps/0/hangUp",
        ),
        (json!({ "calls": [{ "callbackUri": BOT, "stepz": [] }] }), "/calls/0/stepz"),
        (json!({ "steps": [{ "at": 0, "call": 0, "hangUp": true }] }), "/steps/0/call"),
        (json!({ "steps": [{ "at": 0, "request": { "method": "POST", "path": "v1.0/x" } }] }), "/steps/0/request/path"),
        (
            json!({ "steps": [{ "at": 0, "request": { "method": "GET", "path": "/x", "body": {}, "bodyText": "" } }] }),
            "/steps/0/request/bodyText",
        ),
        (json!({ "faults": { "latencyMs": { "min": 5, "max": 1 } } }), "/faults/latencyMs/max"),
        (json!({ "seed": 1.5 }), "/seed"),
        (json!({ "sed": 1 }), "/sed"),
    ];
    for (scenario, path) in cases {
        let (got, message) = refusal(scenario.clone());
        assert_eq!(got, path, "{scenario}: {message}");
    }
}

#[test]
fn steps_at_instants_keep_their_time_wherever_they_stand_and_steps_on_events_take_turns() {
    let menu = "https://bot.example/menu.wav";
    let mut g = load(json!({
        "promptDurationsMs": { menu: 2000 },
        "calls": [{ "callbackUri": BOT, "callId": "c", "steps": [
            { "at": 9000, "pressTone": "9" },
            { "on": "prompt", "uri": menu, "after": 100, "pressTone": "1" },
            { "on": "prompt", "uri": menu, "after": 100, "pressTone": "2" }
        ] }]
    }));
    post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body());
    g.advance(500).unwrap();
    post(&mut g, &format!("{GRAPH}/communications/calls/c/subscribeToTone"), json!({}));
    let prompt = json!({ "prompts": [{ "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "@odata.type": "#microsoft.graph.mediaInfo", "uri": menu } }] });
    post(&mut g, &format!("{GRAPH}/communications/calls/c/playPrompt"), prompt.clone());
    post(&mut g, &format!("{GRAPH}/communications/calls/c/playPrompt"), prompt);
    let all = play(&mut g, 10_000);
    // The menu plays at 500 and again at 2500: one key each; the 9 at its own instant.
    assert_eq!(tones(&all), [(600, "tone1".to_owned()), (2600, "tone2".to_owned()), (9000, "tone9".to_owned())]);
}

#[test]
fn a_session_past_the_recording_limit_refuses_a_scenario_rather_than_writing_one_short() {
    use graph_ivr::sim::MAX_RECORDED_REQUESTS;
    let mut g = load(json!({ "seed": 4 }));
    g.incoming_call(&IncomingCall::new(BOT).call_id("long")).unwrap();
    let tone = request("POST", &format!("{GRAPH}/communications/calls/long/subscribeToTone"), &[], "{}");
    for _ in 0..MAX_RECORDED_REQUESTS {
        g.submit(&tone);
    }
    g.take_deliveries();
    assert!(g.scenario(true).is_ok(), "the limit itself is kept");
    g.submit(&tone);
    let refused = g.scenario(true).unwrap_err();
    assert_eq!(refused.code, graph_ivr::ErrorCode::InvalidState);
    assert!(refused.message.contains("more than 100000 requests"), "{}", refused.message);
    // Without the bot's requests it is still written, and a reset starts a new session.
    let without = g.scenario(false).unwrap();
    assert_eq!(without["calls"], json!([{ "callbackUri": BOT, "callId": "long" }]));
    g.reset_to(Scenario::from_input(&Input::from_json(&json!({ "seed": 4 }))).unwrap());
    assert!(g.scenario(true).is_ok());
}
