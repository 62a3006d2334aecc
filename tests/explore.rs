//! The explorer's plan: each run's scenario comes from the seed and the run's index alone, stays
//! within the caller's bounds and the faults allowed, and is a scenario the simulator reads.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use graph_ivr::explore::{scenario_of_run, smaller, ExploreOptions};
use graph_ivr::input::Input;
use graph_ivr::sim::Scenario;
use serde_json::{json, Value};

fn options(value: Value) -> ExploreOptions {
    ExploreOptions::from_input(&Input::from_json(&value)).unwrap()
}

#[test]
fn each_run_is_its_seed_and_index_and_reads_as_a_scenario() {
    let plan = options(json!({ "seed": 9, "faults": true, "caller": { "keys": "12#", "maxSteps": 3, "calls": 2 } }));
    let mut faults_seen = 0;
    for run in 0..300 {
        let scenario = scenario_of_run(&plan, run, "https://bot.example/cb");
        assert_eq!(scenario, scenario_of_run(&plan, run, "https://bot.example/cb"), "run {run} replays");
        Scenario::from_input(&Input::from_json(&scenario)).unwrap_or_else(|e| panic!("run {run}: {e:?}: {scenario}"));
        let calls = scenario["calls"].as_array().unwrap();
        assert_eq!(calls.len(), 2);
        for call in calls {
            let steps = call["steps"].as_array().unwrap();
            assert!(steps.len() <= 4, "at most maxSteps and a hang-up: {steps:?}");
            for step in steps {
                if let Some(key) = step["pressTone"].as_str() {
                    assert!("12#".contains(key), "{key}");
                }
                if let Some(at) = step["at"].as_u64() {
                    assert!(at < 30_000);
                }
            }
        }
        if scenario.get("faults").is_some() {
            faults_seen += 1;
        }
    }
    assert!(faults_seen > 100, "faults drawn in many runs: {faults_seen}");
    assert_ne!(
        scenario_of_run(&plan, 0, "https://bot.example/cb"),
        scenario_of_run(&plan, 1, "https://bot.example/cb")
    );
    let none = options(json!({ "seed": 9 }));
    assert!((0..100).all(|run| scenario_of_run(&none, run, "https://b.example/cb").get("faults").is_none()));
}

#[test]
fn only_the_faults_allowed_are_drawn_and_shrinking_takes_them_away() {
    let plan = options(json!({ "faults": { "batch": 1, "throttle": false } }));
    for run in 0..20 {
        let scenario = scenario_of_run(&plan, run, "https://bot.example/cb");
        assert_eq!(scenario["faults"], json!({ "batch": true }));
        assert!(smaller(&scenario)[0].get("faults").is_none());
    }
}

#[test]
fn options_are_refused_by_path() {
    for (value, path) in [
        (json!({ "runs": 0 }), "/runs"),
        (json!({ "caller": { "keys": "" } }), "/caller/keys"),
        (json!({ "caller": { "speech": -1 } }), "/caller/speech"),
        (json!({ "caller": { "calls": 0 } }), "/caller/calls"),
        (json!({ "faults": "all" }), "/faults"),
        (json!({ "faults": { "dropTerminated": 2 } }), "/faults/dropTerminated"),
        (json!({ "simulator": { "faults": {} } }), "/simulator/faults"),
        (json!({ "simulator": { "defaultPromptMs": 0 } }), "/simulator/defaultPromptMs"),
    ] {
        let refused = ExploreOptions::from_input(&Input::from_json(&value)).unwrap_err();
        assert_eq!(refused.path, path, "{value}: {}", refused.message);
    }
}
