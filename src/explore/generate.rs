//! The scenario of one run: an incoming call at `callbackUri` whose caller acts at instants and
//! on the call's events (during a prompt, at the beep, while recording, right after
//! `established`), with Graph's faults drawn — all from `(seed, run)` alone, so that any run can
//! be replayed by its index.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde_json::{json, Map, Value};

use super::options::{fault_settings, ExploreOptions};
use crate::sim::MAX_SAFE_INTEGER;

/// The events a generated step may wait for, and how often (per 20).
const EVENTS: [(&str, u64); 6] =
    [("established", 3), ("prompt", 5), ("beep", 2), ("recording", 5), ("played", 3), ("recorded", 2)];

/// The scenario of run `run`, with its call ringing at `callback_uri`.
pub fn scenario_of_run(options: &ExploreOptions, run: u64, callback_uri: &str) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ run);
    let mut scenario = options.simulator.clone();
    scenario.insert("seed".into(), (rng.next_u64() & MAX_SAFE_INTEGER).into());
    let mut faults = Map::new();
    for (name, share) in &options.faults {
        if unit(&mut rng) < *share {
            faults.insert(name.clone(), fault_settings(name));
        }
    }
    if !faults.is_empty() {
        scenario.insert("faults".into(), Value::Object(faults));
    }
    let calls: Vec<Value> = (0..options.caller.calls)
        .map(|_| json!({ "callbackUri": callback_uri, "steps": caller_steps(options, &mut rng) }))
        .collect();
    scenario.insert("calls".into(), Value::Array(calls));
    Value::Object(scenario)
}

fn caller_steps(options: &ExploreOptions, rng: &mut ChaCha8Rng) -> Vec<Value> {
    let bounds = &options.caller;
    let count = if bounds.max_steps == 0 { 0 } else { rng.next_u64() % (bounds.max_steps + 1) };
    let mut steps = Vec::new();
    for _ in 0..count {
        let mut step = when(rng, bounds.horizon_ms);
        let roll = unit(rng);
        if roll < bounds.speech / 2.0 {
            step.insert("startSpeaking".into(), true.into());
        } else if roll < bounds.speech {
            step.insert("stopSpeaking".into(), true.into());
        } else {
            let key = bounds.keys[(rng.next_u64() % bounds.keys.len() as u64) as usize];
            step.insert("pressTone".into(), key.to_string().into());
        }
        steps.push(Value::Object(step));
    }
    if unit(rng) < bounds.hang_up {
        let mut step = when(rng, bounds.horizon_ms);
        step.insert("hangUp".into(), true.into());
        steps.push(Value::Object(step));
    }
    steps
}

/// An instant within the horizon, or an event with a delay.
fn when(rng: &mut ChaCha8Rng, horizon_ms: u64) -> Map<String, Value> {
    let mut step = Map::new();
    if rng.next_u64() % 3 == 0 {
        step.insert("at".into(), (rng.next_u64() % horizon_ms).into());
        return step;
    }
    let total: u64 = EVENTS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.next_u64() % total;
    let event = EVENTS.iter().find(|(_, w)| {
        let hit = pick < *w;
        pick = pick.saturating_sub(*w);
        hit
    });
    step.insert("on".into(), event.map_or("established", |(e, _)| e).into());
    let after = match rng.next_u64() % 4 {
        0 => 0,
        1 => rng.next_u64() % 500,
        _ => rng.next_u64() % 4_000,
    };
    if after > 0 {
        step.insert("after".into(), after.into());
    }
    step
}

/// A number in `[0, 1)`.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}
