//! Scenarios as data: one JSON format for who calls, what each caller does and when, what Graph
//! does wrong, and (for a call driven by hand) what the bot sent. A test, the emulator, the demo
//! page and a failure report all read it (`GraphSimulator.fromScenario`) and `graph.scenario()`
//! writes it; `schema/scenario.schema.json` describes it.
//!
//! ```json
//! { "seed": 7, "faults": { "throttle": { "rate": 0.1 } },
//!   "calls": [{ "callbackUri": "https://bot.example/calls",
//!               "steps": [{ "on": "prompt", "uri": "https://bot.example/menu.wav", "pressTone": "2" },
//!                         { "on": "recording", "after": 2000, "pressTone": "#" }] }] }
//! ```
//!
//! A call's steps at an instant (`at`) run then, in ms after the call began; its steps on an
//! event (`on`, then `after` ms) run in order, each listening once the one before it has run
//! (the second `{"on": "prompt"}` is the second prompt). The top-level `steps`
//! are at instants of the simulator's clock, run in their order at one instant; they are what
//! `graph.scenario()` writes, caller actions naming their `call` and the bot's own `request`s.

use serde_json::{json, Map, Value};

use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};

use super::config::{callback_uri, whole_number, GraphConfig, IncomingCall, GRAPH_KEYS, MAX_SAFE_INTEGER};
use super::event::EventKind;
use crate::contract::rules::check_call_id;

/// A parsed scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The simulator's options as given (what `scenario()` writes back).
    pub options: Map<String, Value>,
    pub config: GraphConfig,
    pub calls: Vec<ScenarioCall>,
    /// Steps at instants of the simulator's clock, in order.
    pub steps: Vec<TimedStep>,
    /// How long it lasts on the simulator's clock: how far a player (the demo page) runs it.
    /// `from_scenario` does not move the clock by itself.
    pub duration_ms: Option<u64>,
}

/// A call of the scenario and its caller's script.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioCall {
    pub origin: CallOrigin,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CallOrigin {
    /// A caller rings the bot at `at` (the simulator's clock).
    Incoming { at: u64, call: IncomingCall },
    /// The next call the bot places (`POST /communications/calls`) that no earlier outbound
    /// entry took.
    Outbound,
}

/// One step of a caller's script.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub when: When,
    pub action: CallerAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// Milliseconds after the call began.
    At(u64),
    /// `after` ms after the event (of a prompt with this `uri`, when given).
    On { event: EventKind, uri: Option<String>, after: u64 },
}

/// What a caller does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerAction {
    PressTone(String),
    StartSpeaking,
    StopSpeaking,
    HangUp,
}

/// A step at an instant of the simulator's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedStep {
    pub at: u64,
    pub what: Timed,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Timed {
    /// `calls[call]` (incoming) rings now, not at its own `at`.
    Ring { call: usize },
    /// The caller of `calls[call]` acts.
    Caller { call: usize, action: CallerAction },
    /// The bot's request, as it sent it.
    Request(ScriptedRequest),
}

/// A request the bot sent, replayed on the simulator's own origin.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedRequest {
    pub method: String,
    /// From the origin on: `/v1.0/communications/calls/…/playPrompt`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// What a scenario holds beside `GraphSimulator`'s options.
const SCENARIO_KEYS: [&str; 3] = ["calls", "steps", "durationMs"];
const CALL_KEYS: [&str; 6] = ["callbackUri", "callId", "from", "at", "outbound", "steps"];
const ACTION_KEYS: [&str; 4] = ["pressTone", "startSpeaking", "stopSpeaking", "hangUp"];
const STEP_KEYS: [&str; 8] = ["at", "on", "uri", "after", "pressTone", "startSpeaking", "stopSpeaking", "hangUp"];
const TIMED_KEYS: [&str; 8] = ["at", "ring", "call", "request", "pressTone", "startSpeaking", "stopSpeaking", "hangUp"];
const REQUEST_KEYS: [&str; 5] = ["method", "path", "headers", "body", "bodyText"];

impl Scenario {
    /// `GraphSimulator.fromScenario(scenario)`: every refusal names the JSON Pointer of its
    /// problem.
    pub fn from_input(input: &Input) -> Result<Scenario, Error> {
        Scenario::read(input, "a scenario", true)
    }

    /// `new GraphSimulator(options)`: the options are a scenario's (without calls, nothing
    /// happens until the bot or a test acts), or `{scenario}` alone.
    pub fn from_options(input: &Input) -> Result<Scenario, Error> {
        let scenario = input.get("scenario");
        if scenario.is_absent() {
            return Scenario::read(input, "GraphSimulator", false);
        }
        if let Input::Object(entries) = input {
            if let Some((key, _)) = entries.iter().find(|(k, v)| k != "scenario" && !v.is_absent()) {
                return Err(Error::invalid_argument(
                    format!("/{}", graph_ivr_json::escape_token(key)),
                    format!(
                        "{key} goes inside the scenario: new GraphSimulator({{scenario}}) takes the scenario alone"
                    ),
                ));
            }
        }
        Scenario::from_input(scenario).map_err(|e| e.under("/scenario"))
    }

    fn read(input: &Input, taker: &str, required: bool) -> Result<Scenario, Error> {
        let mut keys: Vec<&str> = GRAPH_KEYS.iter().chain(&SCENARIO_KEYS).copied().collect();
        if taker == "GraphSimulator" {
            keys.push("scenario");
        }
        let given = Dictionary::options(taker, &keys).read(input, "", required)?;
        let options: Vec<(String, Input)> = given
            .given()
            .filter(|(key, _)| GRAPH_KEYS.contains(key))
            .map(|(key, value)| (key.to_owned(), value.clone()))
            .collect();
        let config = GraphConfig::from_input(&Input::Object(options.clone()))?;
        let options = options.iter().filter_map(|(key, value)| Some((key.clone(), json_of(value)?))).collect();
        let mut calls = Vec::new();
        for (i, call) in items(given.get("calls"), "/calls")?.iter().enumerate() {
            calls.push(read_call(call, &format!("/calls/{i}"))?);
        }
        let mut steps = Vec::new();
        for (i, step) in items(given.get("steps"), "/steps")?.iter().enumerate() {
            steps.push(read_timed(step, &format!("/steps/{i}"), &calls)?);
        }
        let duration_ms = given.optional("durationMs", |v| whole_number(v, "/durationMs", 0, MAX_SAFE_INTEGER))?;
        Ok(Scenario { options, config, calls, steps, duration_ms })
    }

    /// The scenario as JSON, in the format `from_input` reads.
    pub fn to_json(&self) -> Value {
        let Scenario { options, config: _, calls, steps, duration_ms } = self;
        let mut out = options.clone();
        out.insert("calls".into(), calls.iter().map(ScenarioCall::to_json).collect());
        if !steps.is_empty() {
            out.insert("steps".into(), steps.iter().map(TimedStep::to_json).collect());
        }
        if let Some(ms) = duration_ms {
            out.insert("durationMs".into(), (*ms).into());
        }
        Value::Object(out)
    }
}

impl ScenarioCall {
    fn to_json(&self) -> Value {
        let ScenarioCall { origin, steps } = self;
        let mut out = Map::new();
        match origin {
            CallOrigin::Incoming { at, call } => {
                let IncomingCall { callback_uri, call_id, from } = call;
                if *at > 0 {
                    out.insert("at".into(), (*at).into());
                }
                out.insert("callbackUri".into(), callback_uri.clone().into());
                if let Some(id) = call_id {
                    out.insert("callId".into(), id.clone().into());
                }
                if let Some(from) = from {
                    out.insert("from".into(), from.clone().into());
                }
            }
            CallOrigin::Outbound => {
                out.insert("outbound".into(), true.into());
            }
        }
        if !steps.is_empty() {
            out.insert("steps".into(), steps.iter().map(Step::to_json).collect());
        }
        Value::Object(out)
    }
}

impl Step {
    fn to_json(&self) -> Value {
        let Step { when, action } = self;
        let mut out = Map::new();
        match when {
            When::At(at) => {
                out.insert("at".into(), (*at).into());
            }
            When::On { event, uri, after } => {
                out.insert("on".into(), event.name().into());
                if let Some(uri) = uri {
                    out.insert("uri".into(), uri.clone().into());
                }
                if *after > 0 {
                    out.insert("after".into(), (*after).into());
                }
            }
        }
        action.write(&mut out);
        Value::Object(out)
    }
}

impl TimedStep {
    pub fn to_json(&self) -> Value {
        let TimedStep { at, what } = self;
        let mut out = Map::new();
        out.insert("at".into(), (*at).into());
        match what {
            Timed::Ring { call } => {
                out.insert("ring".into(), (*call).into());
            }
            Timed::Caller { call, action } => {
                out.insert("call".into(), (*call).into());
                action.write(&mut out);
            }
            Timed::Request(request) => {
                out.insert("request".into(), request.to_json());
            }
        }
        Value::Object(out)
    }
}

impl CallerAction {
    fn write(&self, out: &mut Map<String, Value>) {
        let (key, value) = match self {
            CallerAction::PressTone(tone) => ("pressTone", Value::from(tone.clone())),
            CallerAction::StartSpeaking => ("startSpeaking", true.into()),
            CallerAction::StopSpeaking => ("stopSpeaking", true.into()),
            CallerAction::HangUp => ("hangUp", true.into()),
        };
        out.insert(key.into(), value);
    }
}

impl ScriptedRequest {
    /// A request as the bot sent it. `Authorization` is left out: a scenario is saved and
    /// shared, and the simulator does not read the token.
    pub fn new(method: &str, path: &str, headers: &[(String, String)], body: &str) -> ScriptedRequest {
        // A saved scenario keeps no credentials: the bot's token is written `Bearer redacted`,
        // which replays as it was answered (a token present, `requireBearer` satisfied).
        let headers = super::journal::redacted(headers);
        ScriptedRequest { method: method.to_owned(), path: path.to_owned(), headers, body: body.to_owned() }
    }

    fn to_json(&self) -> Value {
        let ScriptedRequest { method, path, headers, body } = self;
        let mut out = Map::new();
        out.insert("method".into(), method.clone().into());
        out.insert("path".into(), path.clone().into());
        if !headers.is_empty() {
            let headers: Map<String, Value> = headers.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
            out.insert("headers".into(), headers.into());
        }
        // A JSON body is written as JSON when that gives its text back exactly; else as text.
        match graph_ivr_json::read(body).map(|parsed| parsed.value.to_json()) {
            _ if body.is_empty() => {}
            Ok(value) if serde_json::to_string(&value).is_ok_and(|text| text == *body) => {
                out.insert("body".into(), value);
            }
            _ => {
                out.insert("bodyText".into(), body.clone().into());
            }
        }
        Value::Object(out)
    }
}

/// The JSON value of an option as given (`undefined` left out, as JSON.stringify does).
fn json_of(input: &Input) -> Option<Value> {
    Some(match input {
        Input::Undefined | Input::Other(_) => return None,
        Input::Null => Value::Null,
        Input::Bool(b) => (*b).into(),
        Input::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 => json!(*n as i64),
        Input::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Input::String(s) => s.clone().into(),
        Input::Array(items) => items.iter().filter_map(json_of).collect(),
        Input::Object(entries) => {
            Value::Object(entries.iter().filter_map(|(k, v)| Some((k.clone(), json_of(v)?))).collect())
        }
    })
}

fn read_call(input: &Input, path: &str) -> Result<ScenarioCall, Error> {
    let given = Dictionary::properties("a scenario's call", &CALL_KEYS).read(input, path, true)?;
    let outbound = match given.get("outbound") {
        absent if absent.is_absent() => false,
        Input::Bool(b) => *b,
        other => {
            return Err(Error::invalid_argument(
                format!("{path}/outbound"),
                format!("outbound must be a boolean, got {}", Shown(other)),
            ))
        }
    };
    let origin = if outbound {
        if let Some(key) = ["callbackUri", "callId", "from", "at"].into_iter().find(|k| !given.get(k).is_absent()) {
            return Err(Error::invalid_argument(
                format!("{path}/{key}"),
                format!("{key} is for an incoming call; an outbound call is the bot's, placed by its own request"),
            ));
        }
        CallOrigin::Outbound
    } else {
        let at = given.optional("at", |v| whole_number(v, &format!("{path}/at"), 0, MAX_SAFE_INTEGER))?.unwrap_or(0);
        let mut ring = Vec::new();
        for key in ["callbackUri", "callId", "from"] {
            if !given.get(key).is_absent() {
                ring.push((key.to_owned(), given.get(key).clone()));
            }
        }
        let call = IncomingCall::from_input(&Input::Object(ring)).map_err(|e| e.under(path))?;
        // What ringing checks, checked now: a scenario is refused whole, before it plays.
        callback_uri(given.get("callbackUri"), &format!("{path}/callbackUri"))?;
        if let Some(id) = &call.call_id {
            check_call_id(id).map_err(|why| Error::invalid_argument(format!("{path}/callId"), why))?;
        }
        CallOrigin::Incoming { at, call }
    };
    let mut steps = Vec::new();
    for (i, step) in items(given.get("steps"), &format!("{path}/steps"))?.iter().enumerate() {
        steps.push(read_step(step, &format!("{path}/steps/{i}"))?);
    }
    Ok(ScenarioCall { origin, steps })
}

fn read_step(input: &Input, path: &str) -> Result<Step, Error> {
    let given = Dictionary::properties("a caller's step", &STEP_KEYS).read(input, path, true)?;
    let at = given.optional("at", |v| whole_number(v, &format!("{path}/at"), 0, MAX_SAFE_INTEGER))?;
    let on = given.optional("on", |v| {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
        match v {
            Input::String(name) => EventKind::from_name(name),
            _ => None,
        }
        .ok_or_else(|| {
            Error::invalid_argument(
                format!("{path}/on"),
                format!("on names an event of the call: {}, got {}", names.join(", "), Shown(v)),
            )
        })
    })?;
    let after = given.optional("after", |v| whole_number(v, &format!("{path}/after"), 0, MAX_SAFE_INTEGER))?;
    let uri = given.optional("uri", |v| match v {
        Input::String(uri) if !uri.is_empty() => Ok(uri.clone()),
        other => {
            Err(Error::invalid_argument(format!("{path}/uri"), format!("uri is a prompt's uri, got {}", Shown(other))))
        }
    })?;
    let when = match (at, on) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid_argument(
                format!("{path}/on"),
                "a step waits for an instant (at) or an event (on), not both",
            ))
        }
        (Some(at), None) => {
            if let Some(key) = ["after", "uri"].into_iter().find(|k| !given.get(k).is_absent()) {
                return Err(Error::invalid_argument(format!("{path}/{key}"), format!("{key} goes with on, not at")));
            }
            When::At(at)
        }
        (None, Some(event)) => {
            if uri.is_some() && event != EventKind::Prompt {
                return Err(Error::invalid_argument(format!("{path}/uri"), "uri goes with on: \"prompt\" only"));
            }
            When::On { event, uri, after: after.unwrap_or(0) }
        }
        (None, None) => {
            return Err(Error::invalid_argument(
                path,
                "a step needs at (ms after the call began) or on (an event of the call)",
            ))
        }
    };
    Ok(Step { when, action: read_action(&given_pairs(input), path)? })
}

fn read_timed(input: &Input, path: &str, calls: &[ScenarioCall]) -> Result<TimedStep, Error> {
    let given = Dictionary::properties("a scenario's step", &TIMED_KEYS).read(input, path, true)?;
    let at = whole_number(given.get("at"), &format!("{path}/at"), 0, MAX_SAFE_INTEGER)?;
    let call_at = |key: &str| {
        let call = whole_number(given.get(key), &format!("{path}/{key}"), 0, MAX_SAFE_INTEGER)? as usize;
        match calls.get(call) {
            Some(found) => Ok((call, found)),
            None => Err(Error::invalid_argument(
                format!("{path}/{key}"),
                format!("call {call} is not in calls (it has {})", calls.len()),
            )),
        }
    };
    if !given.get("ring").is_absent() {
        if let Some((key, _)) = given.given().find(|(k, _)| !["at", "ring"].contains(k)) {
            return Err(Error::invalid_argument(format!("{path}/{key}"), "a ring step rings a call, nothing more"));
        }
        let (call, found) = call_at("ring")?;
        if found.origin == CallOrigin::Outbound {
            return Err(Error::invalid_argument(
                format!("{path}/ring"),
                format!("call {call} is outbound: the bot places it, no caller rings"),
            ));
        }
        return Ok(TimedStep { at, what: Timed::Ring { call } });
    }
    let what = match given.get("request") {
        absent if absent.is_absent() => {
            let (call, _) = call_at("call")?;
            Timed::Caller { call, action: read_action(&given_pairs(input), path)? }
        }
        request => {
            if let Some(key) = ["call"].iter().chain(ACTION_KEYS.iter()).find(|k| !given.get(k).is_absent()) {
                return Err(Error::invalid_argument(
                    format!("{path}/{key}"),
                    "a step is the bot's request or a caller's action, not both",
                ));
            }
            Timed::Request(read_request(request, &format!("{path}/request"))?)
        }
    };
    Ok(TimedStep { at, what })
}

/// The items of an array (absent: none), or a refusal at `path`.
fn items<'i>(value: &'i Input, path: &str) -> Result<&'i [Input], Error> {
    match value {
        Input::Array(items) => Ok(items),
        absent if absent.is_absent() => Ok(&[]),
        other => Err(Error::invalid_argument(
            path,
            format!("{} must be an array, got {}", path.rsplit('/').next().unwrap_or(path), other.type_name()),
        )),
    }
}

/// The given members of an object (the dictionary has checked the keys).
fn given_pairs(input: &Input) -> Vec<(&str, &Input)> {
    match input {
        Input::Object(entries) => {
            entries.iter().filter(|(_, v)| !v.is_absent()).map(|(k, v)| (k.as_str(), v)).collect()
        }
        _ => Vec::new(),
    }
}

/// Exactly one caller action among the members.
fn read_action(members: &[(&str, &Input)], path: &str) -> Result<CallerAction, Error> {
    let actions: Vec<&(&str, &Input)> = members.iter().filter(|(k, _)| ACTION_KEYS.contains(k)).collect();
    let [(key, value)] = actions.as_slice() else {
        let at = actions.get(1).map_or_else(|| path.to_owned(), |(k, _)| format!("{path}/{k}"));
        return Err(Error::invalid_argument(at, format!("a step does one thing: one of {}", ACTION_KEYS.join(", "))));
    };
    let at = format!("{path}/{key}");
    match (*key, value) {
        ("pressTone", Input::String(tone))
            if tone.chars().count() == 1
                && crate::model::Tone::from_dtmf(tone.chars().next().unwrap_or(' ')).is_some() =>
        {
            Ok(CallerAction::PressTone(tone.clone()))
        }
        ("pressTone", other) => {
            Err(Error::invalid_argument(at, format!("pressTone is one DTMF key of 0-9 * # A-D, got {}", Shown(other))))
        }
        (_, Input::Bool(true)) => Ok(match *key {
            "startSpeaking" => CallerAction::StartSpeaking,
            "stopSpeaking" => CallerAction::StopSpeaking,
            _ => CallerAction::HangUp,
        }),
        (_, other) => Err(Error::invalid_argument(at, format!("{key} is true when given, got {}", Shown(other)))),
    }
}

fn read_request(input: &Input, path: &str) -> Result<ScriptedRequest, Error> {
    let given = Dictionary::properties("a scenario's request", &REQUEST_KEYS).read(input, path, true)?;
    let text = |key: &str| match given.get(key) {
        Input::String(s) => Ok(s.clone()),
        other => Err(Error::invalid_argument(
            format!("{path}/{key}"),
            format!("{key} must be a string, got {}", Shown(other)),
        )),
    };
    let method = text("method")?;
    let request_path = text("path")?;
    if !request_path.starts_with('/') {
        return Err(Error::invalid_argument(
            format!("{path}/path"),
            "path starts with / (the origin is the simulator's own)",
        ));
    }
    let headers = crate::http::string_headers(given.get("headers"), &format!("{path}/headers"))?;
    let body = match (given.get("body"), given.get("bodyText")) {
        (body, text) if body.is_absent() && text.is_absent() => String::new(),
        (body, text) if body.is_absent() => match text {
            Input::String(s) => s.clone(),
            other => {
                return Err(Error::invalid_argument(
                    format!("{path}/bodyText"),
                    format!("bodyText must be a string, got {}", Shown(other)),
                ))
            }
        },
        (body, text) if text.is_absent() => json_of(body).map(|v| v.to_string()).unwrap_or_default(),
        _ => {
            return Err(Error::invalid_argument(format!("{path}/bodyText"), "a request has body or bodyText, not both"))
        }
    };
    Ok(ScriptedRequest { method, path: request_path, headers, body })
}
