//! The simulated Graph service on a virtual clock, sans-IO: the call lifecycle, recordings,
//! what is not simulated, and the faults. Every notification must pass strict validation.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::graph::*;
use graph_ivr::input::Input;
use graph_ivr::request::{build_record_response, build_subscribe_to_tone};
use graph_ivr::sim::{Body, CallerAction, GraphConfig, HttpRequest, IncomingCall, Routed};
use serde_json::{json, Value};

#[test]
fn an_incoming_call_is_answered_then_the_bot_hangs_up() {
    let mut g = graph(json!({ "seed": 1 }));
    let index = g.incoming_call(&IncomingCall::new(BOT).call_id("call-1")).map_err(|e| e.to_string());
    assert_eq!(index, Ok(0));
    let created = g.take_deliveries();
    assert_eq!(states(&created), [pair("created", Some("incoming"))]);
    assert_eq!((created[0].url.as_str(), created[0].call_id.as_str()), (BOT, "call-1"));
    assert_eq!(created[0].headers["Content-Type"], "application/json");

    let answered = post(&mut g, &format!("{GRAPH}/communications/calls/call-1/answer"), answer_body());
    assert_eq!((answered.status, answered.body), (202, Body::Text(String::new())));
    assert_eq!(states(&g.take_deliveries()), [pair("updated", Some("establishing"))]);
    assert_eq!(g.next_timeout(), Some(500));
    g.advance(500).map_err(|e| e.to_string()).unwrap_or_default();
    assert_eq!(states(&g.take_deliveries()), [pair("updated", Some("established"))]);

    let got = send(&mut g, "GET", &format!("{GRAPH}/communications/calls/call-1"), &[], "");
    let Body::Text(text) = got.body else { panic!("a JSON call") };
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap_or_default()["state"], "established");
    assert_eq!(send(&mut g, "POST", &format!("{GRAPH}/communications/calls/call-1/keepAlive"), &[], "").status, 200);

    let deleted = send(&mut g, "DELETE", &format!("{GRAPH}/communications/calls/call-1"), &[], "");
    assert_eq!(deleted.status, 204);
    assert_eq!(
        states(&g.take_deliveries()),
        [pair("updated", Some("terminating")), pair("deleted", Some("terminated"))]
    );
    assert_eq!(send(&mut g, "POST", &format!("{GRAPH}/communications/calls/call-1/keepAlive"), &[], "").status, 404);
}

#[test]
fn reject_and_the_answer_timeout() {
    let mut g = graph(json!({}));
    g.incoming_call(&IncomingCall::new(BOT).call_id("a")).map_err(|e| e.to_string()).unwrap_or_default();
    g.incoming_call(&IncomingCall::new(BOT).call_id("b")).map_err(|e| e.to_string()).unwrap_or_default();
    g.take_deliveries();
    assert_eq!(
        post(&mut g, &format!("{GRAPH}/communications/calls/a/reject"), json!({ "reason": "busy" })).status,
        202
    );
    let rejected = g.take_deliveries();
    assert_eq!(states(&rejected), [pair("deleted", None)]);
    // Answering a rejected call: it has ended.
    assert_eq!(post(&mut g, &format!("{GRAPH}/communications/calls/a/answer"), answer_body()).status, 404);
    g.advance(14_999).map_err(|e| e.to_string()).unwrap_or_default();
    assert!(g.take_deliveries().is_empty());
    g.advance(1).map_err(|e| e.to_string()).unwrap_or_default();
    let timed_out = g.take_deliveries();
    assert_eq!(states(&timed_out), [pair("deleted", Some("terminated"))]);
    assert_eq!(
        timed_out[0].value.value[0]
            .resource_data
            .as_ref()
            .and_then(|d| d.as_call())
            .and_then(|c| c.result_info.clone().flatten())
            .map(|r| (r.code, r.subcode)),
        Some((408, 1106))
    );
}

#[test]
fn a_call_the_bot_places_establishes_at_its_callback() {
    let mut g = graph(json!({ "profile": "observed" }));
    let created = post(
        &mut g,
        &format!("{GRAPH}/communications/calls"),
        json!({ "callbackUri": BOT, "targets": [], "requestedModalities": ["audio"], "mediaConfig": {} }),
    );
    assert_eq!(created.status, 201);
    let location = created.headers["Location"].as_str().unwrap_or_default().to_owned();
    assert!(location.starts_with(&format!("{GRAPH}/communications/calls/")), "{location}");
    assert_eq!(states(&g.take_deliveries()), [pair("updated", Some("establishing"))]);
    g.advance(2_000).map_err(|e| e.to_string()).unwrap_or_default();
    // Live traffic sends established twice, the second with mediaState.
    let established = g.take_deliveries();
    assert_eq!(states(&established), [pair("updated", Some("established")), pair("updated", Some("established"))]);
    assert!(established[1].body.contains("mediaState"));
    assert_eq!(post(&mut g, &format!("{GRAPH}/communications/calls"), json!({ "targets": [] })).status, 400);
}

#[test]
fn a_recording_downloads_with_its_token_until_it_expires() {
    let mut g = graph(json!({}));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body());
    g.advance(500).map_err(|e| e.to_string()).unwrap_or_default();
    g.take_deliveries();
    let options = json!({ "callId": "c", "maxRecordDurationInSeconds": 3, "playBeep": false });
    let request =
        build_record_response(&Input::from_json(&options)).map_err(|e| e.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(post(&mut g, &request.url, serde_json::from_str(&request.body).unwrap_or_default()).status, 200);
    g.act(0, &CallerAction::StartSpeaking).map_err(|e| e.to_string()).unwrap_or_default();
    g.advance(3_000).map_err(|e| e.to_string()).unwrap_or_default();
    let done = g.take_deliveries();
    let op = done.iter().find_map(|d| d.value.value[0].resource_data.as_ref()?.as_operation().cloned());
    let op = op.unwrap_or_else(|| panic!("a record notification in {done:?}"));
    let location = op.recording_location.clone().flatten().unwrap_or_default();
    let token = op.recording_access_token.clone().flatten().unwrap_or_default();
    let bearer = format!("Bearer {token}");
    let got = send(&mut g, "GET", &location, &[("Authorization", &bearer)], "");
    assert_eq!(got.status, 200);
    assert_eq!(got.headers["Content-Type"], "application/octet-stream");
    let Body::Bytes(bytes) = got.body else { panic!("a file") };
    assert_eq!((&bytes[..4], bytes.len()), (&b"RIFF"[..], 44 + 3 * 32_000));
    assert_eq!(send(&mut g, "GET", &location, &[("Authorization", "Bearer wrong")], "").status, 401);
    assert_eq!(send(&mut g, "GET", &location, &[], "").status, 401);
    g.act(0, &CallerAction::HangUp).map_err(|e| e.to_string()).unwrap_or_default();
    g.advance(5 * 60_000).map_err(|e| e.to_string()).unwrap_or_default();
    assert_eq!(send(&mut g, "GET", &location, &[("Authorization", &bearer)], "").status, 404);
}

#[test]
fn what_is_not_simulated_answers_501_and_other_hosts_are_not_ours() {
    let mut g = graph(json!({}));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    for (method, url) in [
        ("POST", format!("{GRAPH}/communications/calls/c/transfer")),
        ("POST", format!("{GRAPH}/communications/calls/c/redirect")),
        ("GET", format!("{GRAPH}/communications/calls/c/participants")),
        ("GET", format!("{GRAPH}/me")),
    ] {
        let answer = send(&mut g, method, &url, &[], "{}");
        assert_eq!(answer.status, 501, "{method} {url}");
        let Body::Text(text) = answer.body else { panic!("JSON") };
        assert!(text.contains("\"NotImplemented\"") && text.contains("graph-ivr does not simulate"), "{text}");
    }
    assert_eq!(send(&mut g, "GET", &format!("{GRAPH}/communications/calls/nope"), &[], "").status, 404);
    // A simulated path with the wrong method: 405, not 400.
    for (method, url) in [
        ("PUT", format!("{GRAPH}/communications/calls/c")),
        ("GET", format!("{GRAPH}/communications/calls/c/answer")),
        ("GET", format!("{GRAPH}/communications/calls/c/playPrompt")),
    ] {
        assert_eq!(send(&mut g, method, &url, &[], "").status, 405, "{method} {url}");
    }
    // answer takes the same callbackUri rule as the options do.
    let bad_callback = json!({ "callbackUri": "ftp://bot/cb", "mediaConfig": {} });
    assert_eq!(post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), bad_callback).status, 400);
    let request = HttpRequest::new("GET", "https://example.com/x", vec![], "");
    assert_eq!(g.http(&request), Routed::ForeignHost("example.com".into()));
    // Media actions need an established call.
    let subscribe = build_subscribe_to_tone(&Input::from_json(&json!({ "callId": "c" })))
        .map_err(|e| e.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(post(&mut g, &subscribe.url, json!({})).status, 400);
}

#[test]
fn faults_batch_duplicate_and_out_of_order() {
    let mut g = graph(json!({ "faults": { "batch": true, "outOfOrder": true } }));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    g.take_deliveries();
    post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body());
    assert!(g.take_deliveries().is_empty(), "establishing is held back");
    g.advance(500).map_err(|e| e.to_string()).unwrap_or_default();
    let batched = g.take_deliveries();
    assert_eq!(batched.len(), 1, "one POST");
    let items: Vec<Option<String>> = batched[0]
        .value
        .value
        .iter()
        .map(|n| {
            n.resource_data
                .as_ref()
                .and_then(|d| d.as_call())
                .and_then(|c| c.state.clone().flatten())
                .map(|s| s.as_str().to_owned())
        })
        .collect();
    assert_eq!(items, [Some("established".to_owned()), Some("establishing".to_owned())]);

    let mut g = graph(json!({ "seed": 3, "faults": { "duplicate": 2 } }));
    for i in 0..6 {
        g.incoming_call(&IncomingCall::new(BOT).call_id(format!("c{i}")))
            .map_err(|e| e.to_string())
            .unwrap_or_default();
    }
    let posts = g.take_deliveries();
    assert_eq!(posts.len(), 9, "every 2nd of 6 POSTs twice");
    let again = {
        let mut g = graph(json!({ "seed": 3, "faults": { "duplicate": 2 } }));
        for i in 0..6 {
            g.incoming_call(&IncomingCall::new(BOT).call_id(format!("c{i}")))
                .map_err(|e| e.to_string())
                .unwrap_or_default();
        }
        g.take_deliveries()
    };
    assert_eq!(posts, again, "deterministic per seed");
}

#[test]
fn options_are_refused_by_path() {
    for (options, path) in [
        (json!({ "faults": { "batch": 1 } }), "/faults/batch"),
        (json!({ "faults": { "dupe": 1 } }), "/faults/dupe"),
        (json!({ "baseUrl": "ftp://x" }), "/baseUrl"),
        (json!({ "callId": "x" }), "/callId"),
    ] {
        let refused = GraphConfig::from_input(&Input::from_json(&options)).err().map(|e| e.path);
        assert_eq!(refused.as_deref(), Some(path), "{options}");
    }
    let mut g = graph(json!({}));
    assert!(g.incoming_call(&IncomingCall::new("not a url")).is_err());
    assert!(g.incoming_call(&IncomingCall::new(BOT).call_id("dup")).is_ok());
    assert!(g.incoming_call(&IncomingCall::new(BOT).call_id("DUP")).is_ok(), "ids that are not GUIDs compare exactly");
    assert!(g.incoming_call(&IncomingCall::new(BOT).call_id("dup")).is_err());
}

#[test]
fn a_throttled_request_has_no_effect_and_its_retries_before_retry_after_are_throttled_too() {
    let mut g = graph(json!({ "seed": 5, "faults": { "throttle": { "rate": 1, "retryAfterSeconds": 7 } } }));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    let created = g.take_deliveries();
    assert_eq!(states(&created), vec![pair("created", Some("incoming"))]);
    let answer_url = format!("{GRAPH}/communications/calls/c/answer");
    let refused = post(&mut g, &answer_url, answer_body());
    assert_eq!(refused.status, 429);
    assert_eq!(refused.headers.get("Retry-After"), Some(&json!("7")));
    assert_eq!(body_text(&refused)["error"]["code"], "activityLimitReached");
    // No effect: nothing to deliver, and the call is still incoming.
    g.advance(3_000).map_err(|e| e.to_string()).unwrap_or_default();
    assert!(g.take_deliveries().is_empty());
    let call = send(&mut g, "GET", &format!("{GRAPH}/communications/calls/c"), &[], "");
    assert_eq!((call.status, body_text(&call)["state"].clone()), (200, json!("incoming")), "GET is not throttled");
    // A retry before Retry-After has passed is refused again, with what is left of it.
    let again = post(&mut g, &answer_url, answer_body());
    assert_eq!((again.status, again.headers.get("Retry-After")), (429, Some(&json!("4"))));
}

#[test]
fn throttling_at_a_rate_lets_requests_through_once_retry_after_has_passed() {
    let mut g = graph(json!({ "seed": 11, "faults": { "throttle": { "rate": 0.5, "retryAfterSeconds": 2 } } }));
    let (mut throttled, mut answered) = (0, 0);
    for i in 0..40 {
        let id = format!("c{i}");
        g.incoming_call(&IncomingCall::new(BOT).call_id(&id)).map_err(|e| e.to_string()).unwrap_or_default();
        let url = format!("{GRAPH}/communications/calls/{id}/answer");
        loop {
            let answer = post(&mut g, &url, answer_body());
            if answer.status == 202 {
                answered += 1;
                break;
            }
            assert_eq!(answer.status, 429);
            throttled += 1;
            let wait: u64 =
                answer.headers.get("Retry-After").and_then(Value::as_str).unwrap_or("0").parse().unwrap_or(0);
            // One millisecond early is still throttled; on time, the request is drawn again.
            g.advance(wait * 1_000 - 1).map_err(|e| e.to_string()).unwrap_or_default();
            assert_eq!(post(&mut g, &url, answer_body()).status, 429);
            throttled += 1;
            g.advance(1).map_err(|e| e.to_string()).unwrap_or_default();
        }
    }
    assert_eq!(answered, 40);
    assert!(throttled >= 20, "rate 0.5 throttled {throttled} times");
    // Every call was answered exactly once: one establishing and one established each.
    g.advance(1_000).map_err(|e| e.to_string()).unwrap_or_default();
    let states = states(&g.take_deliveries());
    let established = states.iter().filter(|s| s.1.as_deref() == Some("established")).count();
    assert_eq!(established, 40);
}

#[test]
fn server_errors_have_no_effect_and_503_says_when_to_retry() {
    for (status, code, retry_after) in [(503, "serviceNotAvailable", Some("5")), (500, "generalException", None)] {
        let mut g = graph(json!({ "seed": 2, "faults": { "serverErrors": { "rate": 1, "statuses": [status] } } }));
        g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
        g.take_deliveries();
        let failed = post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body());
        assert_eq!(failed.status, status);
        assert_eq!(body_text(&failed)["error"]["code"], code);
        assert_eq!(failed.headers.get("Retry-After").and_then(Value::as_str), retry_after);
        g.advance(5_000).map_err(|e| e.to_string()).unwrap_or_default();
        assert!(states(&g.take_deliveries()).iter().all(|s| s.1.as_deref() != Some("established")));
    }
}

#[test]
fn request_faults_are_refused_with_the_path_of_what_is_wrong() {
    for (faults, path) in [
        (json!({ "throttle": { "rate": 2 } }), "/faults/throttle/rate"),
        (json!({ "throttle": {} }), "/faults/throttle/rate"),
        (json!({ "throttle": { "rate": 0.1, "retryAfterSeconds": 0 } }), "/faults/throttle/retryAfterSeconds"),
        (json!({ "serverErrors": { "rate": 0.1, "statuses": [404] } }), "/faults/serverErrors/statuses/0"),
        (json!({ "serverErrors": { "rate": 0.1, "statuses": [] } }), "/faults/serverErrors/statuses"),
        (json!({ "serverErrors": { "rate": 0.1, "status": [500] } }), "/faults/serverErrors/status"),
    ] {
        let refused = GraphConfig::from_input(&Input::from_json(&json!({ "faults": faults }))).err();
        assert_eq!(refused.map(|e| e.path), Some(path.to_owned()), "{faults}");
    }
}

#[test]
fn a_dropped_end_of_call_is_never_delivered_but_keep_alive_tells_the_truth() {
    let mut g = graph(json!({ "seed": 4, "faults": { "dropTerminated": true } }));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    assert_eq!(post(&mut g, &format!("{GRAPH}/communications/calls/c/answer"), answer_body()).status, 202);
    g.advance(1_000).map_err(|e| e.to_string()).unwrap_or_default();
    g.take_deliveries();
    let keep_alive = format!("{GRAPH}/communications/calls/c/keepAlive");
    assert_eq!(post(&mut g, &keep_alive, json!({})).status, 200);
    g.act(0, &CallerAction::HangUp).map_err(|e| e.to_string()).unwrap_or_default();
    g.advance(1_000).map_err(|e| e.to_string()).unwrap_or_default();
    let after = states(&g.take_deliveries());
    assert!(after.iter().all(|(change, _)| change != "deleted"), "{after:?}");
    assert_eq!(post(&mut g, &keep_alive, json!({})).status, 404, "keepAlive says the call ended");
}

#[test]
fn dropped_notifications_are_a_seeded_share_and_the_call_moves_on_without_them() {
    let run = |rate: f64| {
        let mut g = graph(json!({ "seed": 8, "faults": { "dropNotifications": rate } }));
        for i in 0..20 {
            let id = format!("c{i}");
            g.incoming_call(&IncomingCall::new(BOT).call_id(&id)).map_err(|e| e.to_string()).unwrap_or_default();
            post(&mut g, &format!("{GRAPH}/communications/calls/{id}/answer"), answer_body());
        }
        g.advance(1_000).map_err(|e| e.to_string()).unwrap_or_default();
        let delivered: Vec<String> = g.take_deliveries().into_iter().map(|d| d.body).collect();
        let states: Vec<String> = g.calls().iter().map(|c| c.status().name().to_owned()).collect();
        (delivered, states)
    };
    let (all, states_all) = run(0.0);
    let (some, states_some) = run(0.5);
    let (none, states_none) = run(1.0);
    assert_eq!(all.len(), 60, "created, establishing and established of 20 calls");
    assert!(none.is_empty());
    assert!(some.len() > 10 && some.len() < 50, "{} of 60 delivered", some.len());
    assert!(some.iter().all(|body| all.contains(body)), "what is delivered is unchanged");
    assert_eq!(run(0.5).0, some, "the same seed drops the same notifications");
    assert_eq!((&states_some, &states_none), (&states_all, &states_all), "the calls moved on regardless");
}

#[test]
fn delayed_callbacks_arrive_later_in_virtual_time_each_call_in_order_calls_interleaved() {
    let mut g = graph(json!({ "seed": 12, "faults": { "deliveryDelayMs": { "min": 200, "max": 800 } } }));
    g.incoming_call(&IncomingCall::new(BOT).call_id("c")).map_err(|e| e.to_string()).unwrap_or_default();
    assert!(g.take_deliveries().is_empty(), "the created notification is not due yet");
    let due = g.next_timeout().unwrap_or_default();
    assert!((200..=800).contains(&due), "due at {due}");
    g.advance(800).map_err(|e| e.to_string()).unwrap_or_default();
    let created = g.take_deliveries();
    assert_eq!((created.len(), created[0].at), (1, due));

    for i in 0..8 {
        let id = format!("d{i}");
        g.incoming_call(&IncomingCall::new(BOT).call_id(&id)).map_err(|e| e.to_string()).unwrap_or_default();
        post(&mut g, &format!("{GRAPH}/communications/calls/{id}/answer"), answer_body());
    }
    let mut taken = Vec::new();
    for _ in 0..40 {
        g.advance(100).map_err(|e| e.to_string()).unwrap_or_default();
        taken.extend(g.take_deliveries());
    }
    assert_eq!(taken.len(), 8 * 3, "created, establishing and established of each call");
    assert!(taken.windows(2).all(|w| w[0].at <= w[1].at), "delivered in virtual time order");
    for i in 0..8 {
        let id = format!("d{i}");
        let own: Vec<_> = taken.iter().filter(|d| d.call_id == id).cloned().collect();
        assert_eq!(
            states(&own),
            vec![
                pair("created", Some("incoming")),
                pair("updated", Some("establishing")),
                pair("updated", Some("established"))
            ]
        );
    }
    let first_of_each: Vec<&str> = taken.iter().map(|d| d.call_id.as_str()).collect();
    assert_ne!(first_of_each[..8], ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"], "calls interleave");
}
