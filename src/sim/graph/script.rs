//! Scenarios on a simulated Graph: set up and scripted by one (`from_scenario`: rings, the
//! callers' steps on instants and on the calls' events, the bot's requests), and what was done
//! written back as one (`scenario`).

use serde_json::Value;

use super::super::scenario::{CallOrigin, Scenario, ScenarioCall, ScriptedRequest, Step, Timed, TimedStep, When};
use super::{target, Due, GraphSim, HttpRequest, Route};
use crate::error::Error;

/// The bot's requests a session keeps for `scenario()`: enough for any test or exploration
/// run, while an emulator under hours of load keeps a bounded record (the journal keeps the
/// latest entries for looking at).
pub const MAX_RECORDED_REQUESTS: usize = 100_000;

/// A caller's steps on the call's events, run in order: the step at `next` listens from
/// `armed_at` on (its steps at instants are on the agenda from the start).
pub(super) struct Script {
    pub(super) call: Option<usize>,
    pub(super) steps: Vec<Step>,
    pub(super) next: usize,
    pub(super) armed_at: u64,
    /// The current step is on the agenda already.
    pub(super) scheduled: bool,
}

impl GraphSim {
    /// A simulator set up and scripted by `scenario`; what is due at once has happened.
    pub fn from_scenario(scenario: Scenario) -> GraphSim {
        let Scenario { options, config, calls, steps, duration_ms: _ } = scenario;
        let mut graph = GraphSim::new(config);
        graph.options = options;
        let rung: Vec<usize> =
            steps.iter().filter_map(|s| if let Timed::Ring { call } = s.what { Some(call) } else { None }).collect();
        let mut incoming = Vec::new();
        for (index, ScenarioCall { origin, steps }) in calls.into_iter().enumerate() {
            graph.scripts.push(Script { call: None, steps, next: 0, armed_at: 0, scheduled: false });
            match origin {
                CallOrigin::Incoming { at, call } => {
                    // At one instant, a call rings before the steps (which may act on it),
                    // unless a ring step says exactly when.
                    if !rung.contains(&index) {
                        graph.schedule(at, Due::Ring { call: call.clone(), script: Some(index) });
                    }
                    incoming.push((index, call));
                }
                CallOrigin::Outbound => graph.outbound.push_back(index),
            }
        }
        for TimedStep { at, what } in steps {
            let due = match what {
                Timed::Ring { call } => match incoming.iter().find(|(index, _)| *index == call) {
                    Some((_, ring)) => Due::Ring { call: ring.clone(), script: Some(call) },
                    None => continue,
                },
                Timed::Caller { call, action } => Due::Named { call, action },
                Timed::Request(request) => Due::Scripted(request),
            };
            graph.schedule(at, due);
        }
        graph.move_all(0);
        graph
    }

    /// What was done so far as a scenario: the options as given, the calls and, in order, what
    /// their callers did and (with `requests`) what the bot sent. Replayed by `from_scenario`,
    /// it gives the same notifications, byte for byte; so it is refused, with `requests`, once
    /// the bot sent more than the session keeps (a long load test), rather than written short.
    pub fn scenario(&self, requests: bool) -> Result<Value, Error> {
        if requests && self.requests_unrecorded {
            return Err(Error::invalid_state(format!(
                "the bot sent more than {MAX_RECORDED_REQUESTS} requests since the simulator started or was reset: a scenario keeps the first {MAX_RECORDED_REQUESTS} only, so it cannot replay this one (scenario({{requests: false}}) writes the calls and their callers; reset starts a new session)"
            )));
        }
        let mut options = self.options.clone();
        // Written out, so that an emulator (which serves recordings itself) writes the same
        // recording locations.
        options.insert("recordingsUrl".into(), self.config.call.recordings_url.clone().into());
        let calls = self.done_calls.iter().map(|origin| ScenarioCall { origin: origin.clone(), steps: Vec::new() });
        let steps = self.done_steps.iter().filter(|s| requests || !matches!(s.what, Timed::Request(_)));
        Ok(Scenario {
            options,
            config: self.config.clone(),
            calls: calls.collect(),
            steps: steps.cloned().collect(),
            duration_ms: Some(self.now),
        }
        .to_json())
    }

    /// Gives script `script` its call: its steps at instants go on the agenda, and the first
    /// of its steps on events starts listening.
    pub(super) fn attach(&mut self, script: usize, call: usize) {
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.call = Some(call);
        if let Some(listened) = self.calls.get_mut(call) {
            listened.listen();
        }
        let timed: Vec<(u64, super::super::scenario::CallerAction)> = s
            .steps
            .iter()
            .filter_map(|step| match step.when {
                When::At(at) => Some((at, step.action.clone())),
                When::On { .. } => None,
            })
            .collect();
        s.steps.retain(|step| matches!(step.when, When::On { .. }));
        s.next = 0;
        let start = self.calls.get(call).map_or(self.now, |c| c.config().start_ms);
        for (at, action) in timed {
            self.schedule((start + at).max(self.now), Due::Caller { call, action, script: None });
        }
        self.arm(script);
    }

    /// The step after the one that ran.
    pub(super) fn advance_script(&mut self, script: usize) {
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.next += 1;
        self.arm(script);
    }

    /// The current step of `script` (one on an event) listens from now on.
    pub(super) fn arm(&mut self, script: usize) {
        let now = self.now;
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.armed_at = now;
        s.scheduled = false;
    }

    /// Schedules the steps that waited for an event of call `index` that just happened.
    pub(super) fn on_events(&mut self, index: usize) {
        let events = match self.calls.get_mut(index) {
            Some(call) => call.drain_events(),
            None => return,
        };
        if events.is_empty() || self.scripts.is_empty() {
            return;
        }
        for script in 0..self.scripts.len() {
            let s = &self.scripts[script];
            if s.call != Some(index) || s.scheduled {
                continue;
            }
            let Some(Step { when: When::On { event, uri, after }, action }) = s.steps.get(s.next) else { continue };
            let heard = events.iter().find(|e| {
                e.kind == *event && e.at >= s.armed_at && uri.as_ref().is_none_or(|u| e.uri.as_ref() == Some(u))
            });
            if let Some(heard) = heard {
                let (at, action) = (heard.at + after, action.clone());
                self.scripts[script].scheduled = true;
                self.schedule(at, Due::Caller { call: index, action, script: Some(script) });
            }
        }
    }

    /// Keeps a request to Graph's calls for `scenario()` (the first `MAX_RECORDED_REQUESTS`
    /// of a session); whether it is one.
    pub(super) fn record(&mut self, request: &HttpRequest) -> bool {
        let origin = &self.config.call.origin;
        if !matches!(target(request, origin), Ok(Route::Calls { .. } | Route::Call { .. })) {
            return false;
        }
        if self.recorded_requests >= MAX_RECORDED_REQUESTS {
            self.requests_unrecorded = true;
            return true;
        }
        self.recorded_requests += 1;
        let path = request.url.get(origin.len()..).unwrap_or_default();
        let scripted = ScriptedRequest::new(&request.method, path, &request.headers, &request.body);
        self.done_steps.push(TimedStep { at: self.now, what: Timed::Request(scripted) });
        true
    }
}
