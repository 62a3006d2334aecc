//! Shrinking: the scenarios one step smaller than a failing one — a fault less, a call less, a
//! caller's step less, a step earlier — largest cuts first. The driver keeps the first that
//! still fails the same invariant and asks again, until none does or its budget is spent.

use serde_json::{Map, Value};

/// The scenarios one step smaller than `scenario`, in the order worth trying.
pub fn smaller(scenario: &Value) -> Vec<Value> {
    let Value::Object(base) = scenario else { return Vec::new() };
    let mut out = Vec::new();
    // Every fault out, then each one.
    if let Some(Value::Object(faults)) = base.get("faults") {
        let mut without = base.clone();
        without.remove("faults");
        out.push(Value::Object(without));
        if faults.len() > 1 {
            for name in faults.keys() {
                let mut fewer = faults.clone();
                fewer.remove(name);
                let mut candidate = base.clone();
                candidate.insert("faults".into(), Value::Object(fewer));
                out.push(Value::Object(candidate));
            }
        }
    }
    let calls = match base.get("calls") {
        Some(Value::Array(calls)) => calls.clone(),
        _ => Vec::new(),
    };
    // A call less (a scenario of several calls).
    if calls.len() > 1 {
        for index in 0..calls.len() {
            let mut fewer = calls.clone();
            fewer.remove(index);
            out.push(with_calls(base, fewer));
        }
    }
    // A caller's step less, then a step sooner.
    for (index, call) in calls.iter().enumerate() {
        let Some(Value::Array(steps)) = call.get("steps") else { continue };
        for at in 0..steps.len() {
            let mut fewer = steps.clone();
            fewer.remove(at);
            out.push(with_steps(base, &calls, index, fewer));
        }
        for at in 0..steps.len() {
            for key in ["at", "after"] {
                let Some(ms) = steps[at].get(key).and_then(Value::as_u64).filter(|ms| *ms > 0) else { continue };
                let mut sooner = steps.clone();
                if let Some(Value::Object(step)) = sooner.get_mut(at) {
                    step.insert(key.into(), (ms / 2).into());
                }
                out.push(with_steps(base, &calls, index, sooner));
            }
        }
    }
    out
}

fn with_calls(base: &Map<String, Value>, calls: Vec<Value>) -> Value {
    let mut candidate = base.clone();
    candidate.insert("calls".into(), Value::Array(calls));
    Value::Object(candidate)
}

fn with_steps(base: &Map<String, Value>, calls: &[Value], index: usize, steps: Vec<Value>) -> Value {
    let mut calls = calls.to_vec();
    if let Some(Value::Object(call)) = calls.get_mut(index) {
        if steps.is_empty() {
            call.remove("steps");
        } else {
            call.insert("steps".into(), Value::Array(steps));
        }
    }
    with_calls(base, calls)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn smaller_scenarios_drop_faults_steps_and_time() {
        let scenario = json!({
            "seed": 1,
            "faults": { "batch": true, "duplicate": 3 },
            "calls": [{ "callbackUri": "https://bot.example/cb", "steps": [{ "at": 800, "pressTone": "1" }, { "on": "beep", "hangUp": true }] }]
        });
        let candidates = smaller(&scenario);
        assert_eq!(candidates[0].get("faults"), None, "every fault out first");
        assert_eq!(candidates[1]["faults"], json!({ "duplicate": 3 }));
        assert_eq!(candidates[2]["faults"], json!({ "batch": true }));
        assert_eq!(candidates[3]["calls"][0]["steps"], json!([{ "on": "beep", "hangUp": true }]));
        assert_eq!(candidates[4]["calls"][0]["steps"], json!([{ "at": 800, "pressTone": "1" }]));
        assert_eq!(candidates[5]["calls"][0]["steps"][0]["at"], 400);
        assert_eq!(candidates.len(), 6);
        let bare = json!({ "calls": [{ "callbackUri": "https://bot.example/cb" }] });
        assert!(smaller(&bare).is_empty(), "nothing left to take away");
    }
}
