//! `new BotExplorer(options)`: what may be generated — the caller's bounds, which of Graph's
//! faults may be drawn and how likely, the simulator's own options — read with the same
//! path-precise refusals as every other option.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};
use crate::sim::{whole_number, Scenario, MAX_SAFE_INTEGER};

/// What the explorer generates, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct ExploreOptions {
    pub seed: u64,
    pub runs: u64,
    pub caller: CallerBounds,
    /// Each fault that may be drawn, with the share of runs that get it.
    pub faults: Vec<(String, f64)>,
    /// The simulator's options every run shares (profile, version, prompt play times).
    pub simulator: Map<String, Value>,
}

/// The bounds of a generated caller.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerBounds {
    /// The keys it may press.
    pub keys: Vec<char>,
    /// At most this many steps.
    pub max_steps: u64,
    /// Its steps at instants fall within this many ms of the call's start.
    pub horizon_ms: u64,
    /// The share of callers that hang up (as their last step).
    pub hang_up: f64,
    /// The share of steps that start or stop speech.
    pub speech: f64,
    /// How many calls ring at once in a run.
    pub calls: u64,
}

impl Default for CallerBounds {
    fn default() -> Self {
        CallerBounds {
            keys: "0123456789*#".chars().collect(),
            max_steps: 4,
            horizon_ms: 30_000,
            hang_up: 0.4,
            speech: 0.3,
            calls: 1,
        }
    }
}

/// The faults a run may be given.
pub const FAULTS: [&str; 9] = [
    "throttle",
    "serverErrors",
    "latencyMs",
    "deliveryDelayMs",
    "dropNotifications",
    "dropTerminated",
    "duplicate",
    "batch",
    "outOfOrder",
];

/// The settings a fault is drawn with: Graph at its worst within what a bot must survive (a
/// share of requests, a few seconds).
pub fn fault_settings(name: &str) -> Value {
    match name {
        "throttle" => serde_json::json!({ "rate": 0.2, "retryAfterSeconds": 2 }),
        "serverErrors" => serde_json::json!({ "rate": 0.1, "statuses": [503] }),
        "latencyMs" => serde_json::json!({ "min": 50, "max": 800 }),
        "deliveryDelayMs" => serde_json::json!({ "min": 50, "max": 1500 }),
        "dropNotifications" => serde_json::json!(0.1),
        "duplicate" => serde_json::json!(3),
        _ => Value::Bool(true),
    }
}

/// The share of runs a fault named with `true` is drawn in.
const DEFAULT_FAULT_SHARE: f64 = 0.3;

const KEYS: [&str; 5] = ["seed", "runs", "caller", "faults", "simulator"];
const CALLER_KEYS: [&str; 6] = ["keys", "maxSteps", "horizonMs", "hangUp", "speech", "calls"];
/// What a run's simulator may be given: not its seed (each run draws one) nor its faults (drawn).
const SIMULATOR_KEYS: [&str; 7] =
    ["profile", "version", "promptDurationsMs", "defaultPromptMs", "failingPrompts", "baseUrl", "recordingsUrl"];

impl ExploreOptions {
    /// The explorer's own options out of `new BotExplorer(options)` (the driver's — callbackUri,
    /// deliver, invariants, onProgress — are read by the driver and left out before this).
    pub fn from_input(input: &Input) -> Result<ExploreOptions, Error> {
        let given = Dictionary::options("BotExplorer", &KEYS).read(input, "", false)?;
        let seed = given.optional("seed", |v| whole_number(v, "/seed", 0, MAX_SAFE_INTEGER))?.unwrap_or(0);
        let runs = given.optional("runs", |v| whole_number(v, "/runs", 1, 1_000_000))?.unwrap_or(100);
        let caller = CallerBounds::from_input(given.get("caller"))?;
        let faults = faults(given.get("faults"))?;
        let simulator = match given.get("simulator") {
            absent if absent.is_absent() => Map::new(),
            value => {
                let options = Dictionary::properties("the explorer's simulator", &SIMULATOR_KEYS).read(
                    value,
                    "/simulator",
                    true,
                )?;
                let entries: Vec<(String, Input)> = options.given().map(|(k, v)| (k.to_owned(), v.clone())).collect();
                // Checked as a GraphSimulator checks them, at their place under /simulator.
                Scenario::from_input(&Input::Object(entries)).map_err(|e| e.under("/simulator"))?.options
            }
        };
        Ok(ExploreOptions { seed, runs, caller, faults, simulator })
    }
}

impl CallerBounds {
    fn from_input(input: &Input) -> Result<CallerBounds, Error> {
        let mut bounds = CallerBounds::default();
        let given = Dictionary::properties("caller", &CALLER_KEYS).read(input, "/caller", false)?;
        if let Some(keys) = given.optional("keys", |v| match v {
            Input::String(keys)
                if !keys.is_empty() && keys.chars().all(|c| crate::model::Tone::from_dtmf(c).is_some()) =>
            {
                Ok(keys.chars().collect::<Vec<char>>())
            }
            other => Err(Error::invalid_argument(
                "/caller/keys",
                format!("keys is a string of DTMF keys (0-9 * # A-D), got {}", Shown(other)),
            )),
        })? {
            bounds.keys = keys;
        }
        if let Some(n) = given.optional("maxSteps", |v| whole_number(v, "/caller/maxSteps", 0, 50))? {
            bounds.max_steps = n;
        }
        if let Some(ms) = given.optional("horizonMs", |v| whole_number(v, "/caller/horizonMs", 1, 3_600_000))? {
            bounds.horizon_ms = ms;
        }
        if let Some(share) = given.optional("hangUp", |v| share(v, "/caller/hangUp"))? {
            bounds.hang_up = share;
        }
        if let Some(share) = given.optional("speech", |v| share(v, "/caller/speech"))? {
            bounds.speech = share;
        }
        if let Some(calls) = given.optional("calls", |v| whole_number(v, "/caller/calls", 1, 20))? {
            bounds.calls = calls;
        }
        Ok(bounds)
    }
}

/// `faults`: `true` (every fault, each in a share of runs), or `{name: true | share}`.
fn faults(input: &Input) -> Result<Vec<(String, f64)>, Error> {
    let every = || FAULTS.iter().map(|name| ((*name).to_owned(), DEFAULT_FAULT_SHARE)).collect();
    match input {
        absent if absent.is_absent() => Ok(Vec::new()),
        Input::Bool(true) => Ok(every()),
        Input::Bool(false) => Ok(Vec::new()),
        Input::Object(_) => {
            let given = Dictionary::properties("faults", &FAULTS).read(input, "/faults", true)?;
            let mut out = Vec::new();
            for (name, value) in given.given() {
                let path = format!("/faults/{name}");
                let drawn = match value {
                    Input::Bool(true) => DEFAULT_FAULT_SHARE,
                    Input::Bool(false) => continue,
                    other => share(other, &path)?,
                };
                out.push((name.to_owned(), drawn));
            }
            Ok(out)
        }
        other => Err(Error::invalid_argument(
            "/faults",
            format!("faults is true (every fault of Graph) or {{name: true | share of runs}}, got {}", Shown(other)),
        )),
    }
}

/// A share: a number from 0 to 1.
fn share(value: &Input, path: &str) -> Result<f64, Error> {
    match value {
        Input::Number(n) if (0.0..=1.0).contains(n) => Ok(*n),
        other => {
            Err(Error::invalid_argument(path, format!("{} is a share from 0 to 1, got {}", &path[1..], Shown(other))))
        }
    }
}
