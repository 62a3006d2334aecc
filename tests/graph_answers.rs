//! How the simulated Graph answers in time and in shape: `faults.latencyMs`, keepAlive's
//! 45 minutes, the request ids of every answer, and what a call's end does to its operations.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::graph::*;
use graph_ivr::model::result_info::{classify_result, ResultOutcome};
use graph_ivr::sim::{CallerAction, IncomingCall, Routed, Submitted};
use serde_json::{json, Value};

fn ring(g: &mut graph_ivr::sim::GraphSim, id: &str) {
    g.incoming_call(&IncomingCall::new(BOT).call_id(id)).unwrap();
}

fn established(g: &mut graph_ivr::sim::GraphSim, id: &str) {
    ring(g, id);
    assert_eq!(post(g, &format!("{GRAPH}/communications/calls/{id}/answer"), answer_body()).status, 202);
    g.advance(500).unwrap();
    g.take_deliveries();
}

#[test]
fn with_latency_graph_answers_later_and_what_the_request_causes_starts_then() {
    let mut g = graph(json!({ "seed": 2, "faults": { "latencyMs": { "min": 300, "max": 300 } } }));
    ring(&mut g, "c");
    g.take_deliveries();
    let answer = request(
        "POST",
        &format!("{GRAPH}/communications/calls/c/answer"),
        &[("content-type", "application/json")],
        &answer_body().to_string(),
    );
    let Submitted::Later { ticket, at } = g.submit(&answer) else { panic!("held") };
    assert_eq!(at, 300);
    assert_eq!(g.next_timeout(), Some(300));
    g.advance(299).unwrap();
    assert!(g.take_answers().is_empty() && g.take_deliveries().is_empty(), "nothing yet: not answered");
    assert_eq!(g.calls()[0].status().name(), "incoming");
    g.advance(1).unwrap();
    let answers = g.take_answers();
    assert_eq!(answers.len(), 1);
    let (got, Routed::Answer(response)) = &answers[0] else { panic!("an answer") };
    assert_eq!((*got, response.status), (ticket, 202));
    let deliveries = g.take_deliveries();
    assert_eq!(states(&deliveries), [pair("updated", Some("establishing"))]);
    assert_eq!(deliveries[0].at, 300, "establishing starts when Graph answered");
    // GETs are held too; a download is not Graph's.
    let get = request("GET", &format!("{GRAPH}/communications/calls/c"), &[], "");
    assert!(matches!(g.submit(&get), Submitted::Later { at: 600, .. }));
}

#[test]
fn latency_is_drawn_per_request_within_its_range_and_replays_per_seed() {
    let draws = |seed: u64| {
        let mut g = graph(json!({ "seed": seed, "faults": { "latencyMs": { "min": 100, "max": 900 } } }));
        (0..30)
            .map(|i| {
                let get = request("GET", &format!("{GRAPH}/communications/calls/x{i}"), &[], "");
                match g.submit(&get) {
                    Submitted::Later { at, .. } => at,
                    Submitted::Answered(_) => 0,
                }
            })
            .collect::<Vec<u64>>()
    };
    let first = draws(9);
    assert!(first.iter().all(|at| (100..=900).contains(at)), "{first:?}");
    assert!(first.iter().any(|at| *at != first[0]), "drawn, not fixed");
    assert_eq!(draws(9), first);
}

#[test]
fn a_call_without_keep_alive_ends_after_45_minutes_and_keep_alive_then_answers_404() {
    const MINUTE: u64 = 60_000;
    let mut g = graph(json!({ "seed": 3 }));
    established(&mut g, "c");
    let keep_alive = format!("{GRAPH}/communications/calls/c/keepAlive");
    g.advance(30 * MINUTE).unwrap();
    assert_eq!(post(&mut g, &keep_alive, json!({})).status, 200, "kept alive at 30 min");
    g.advance(44 * MINUTE).unwrap();
    assert!(g.take_deliveries().is_empty(), "45 minutes count from the last keepAlive");
    assert_eq!(g.calls()[0].status().name(), "established");
    g.advance(MINUTE).unwrap();
    let ended = g.take_deliveries();
    assert_eq!(states(&ended), [pair("deleted", Some("terminated"))]);
    let body: Value = serde_json::from_str(&ended[0].body).unwrap();
    let result = &body["value"][0]["resourceData"]["resultInfo"];
    assert_eq!((result["code"].clone(), result["subcode"].clone()), (json!(408), json!(8537)));
    assert_eq!(ended[0].at, 500 + 30 * MINUTE + 45 * MINUTE);
    assert_eq!(post(&mut g, &keep_alive, json!({})).status, 404);
}

#[test]
fn keep_alive_enforcement_can_be_turned_off() {
    let mut g = graph(json!({ "faults": { "keepAlive": false } }));
    established(&mut g, "c");
    g.advance(5 * 3_600_000).unwrap();
    assert_eq!(g.calls()[0].status().name(), "established");
    let refused = graph_ivr::sim::GraphConfig::from_input(&graph_ivr::input::Input::from_json(
        &json!({ "faults": { "keepAlive": "yes" } }),
    ));
    assert_eq!(refused.map_err(|e| e.path), Err("/faults/keepAlive".to_owned()));
}

#[test]
fn every_answer_carries_request_ids_and_an_error_says_them_in_its_inner_error() {
    let mut g = graph(json!({ "seed": 1 }));
    established(&mut g, "c");
    let url = format!("{GRAPH}/communications/calls/c/keepAlive");
    let echoed = send(&mut g, "POST", &url, &[("client-request-id", "bot-42")], "");
    assert_eq!(echoed.headers["client-request-id"], "bot-42", "the bot's id is echoed");
    let request_id = echoed.headers["request-id"].as_str().unwrap().to_owned();
    assert_eq!(request_id.len(), 36);
    let own = send(&mut g, "POST", &url, &[], "");
    assert_eq!(own.headers["client-request-id"], own.headers["request-id"], "none sent: Graph's own");
    assert_ne!(own.headers["request-id"], json!(request_id), "one id per answer");

    let missing = send(&mut g, "GET", &format!("{GRAPH}/communications/calls/nope"), &[("Client-Request-Id", "x")], "");
    let error = &body_text(&missing)["error"];
    assert_eq!(error["code"], "ItemNotFound");
    let inner = &error["innerError"];
    assert_eq!(inner["request-id"], missing.headers["request-id"]);
    assert_eq!(inner["client-request-id"], "x");
    assert_eq!(inner["date"], "2019-01-17T01:46:37", "virtual time (500 ms) from the docs' date");
    let throttled = graph(json!({ "faults": { "throttle": { "rate": 1 } } })).http(&request(
        "POST",
        &format!("{GRAPH}/communications/calls"),
        &[],
        "{}",
    ));
    let Routed::Answer(throttled) = throttled else { panic!("an answer") };
    assert_eq!(throttled.status, 429);
    assert!(body_text(&throttled)["error"]["innerError"]["request-id"].is_string(), "faults too");
}

#[test]
fn a_hang_up_during_a_record_is_the_calls_end_in_both_profiles_never_a_failure_of_the_bot() {
    for profile in ["docs", "observed"] {
        let mut g = graph(json!({ "seed": 6, "profile": profile }));
        established(&mut g, "c");
        let record = json!({ "maxRecordDurationInSeconds": 30, "playBeep": false });
        assert_eq!(post(&mut g, &format!("{GRAPH}/communications/calls/c/recordResponse"), record).status, 200);
        g.advance(1_000).unwrap();
        g.act(0, &CallerAction::HangUp).unwrap();
        let ends: Vec<Value> = g
            .take_deliveries()
            .iter()
            .flat_map(|d| serde_json::from_str::<Value>(&d.body).unwrap()["value"].as_array().unwrap().clone())
            .collect();
        let call_end = ends.iter().find(|n| n["resourceData"]["state"] == "terminated").unwrap();
        assert_eq!(call_end["resourceData"]["resultInfo"]["subcode"], 5002, "{profile}: the caller left");
        let record_end = ends.iter().find(|n| n["resourceData"]["@odata.type"] == "#microsoft.graph.recordOperation");
        match profile {
            // Live traffic: no final record notification (comms-samples #376).
            "observed" => assert!(record_end.is_none(), "{record_end:?}"),
            _ => {
                let info = &record_end.unwrap()["resourceData"]["resultInfo"];
                let outcome = classify_result(info["code"].as_i64().unwrap(), info["subcode"].as_i64().unwrap());
                assert_eq!(outcome, ResultOutcome::CallEnded);
            }
        }
    }
}
