//! The agenda: what is due at a later instant — a scenario's rings and steps, a caller's
//! scripted step, a request `faults.latencyMs` holds, a bot's own wait — in one list, so that
//! the clock stops at each and what is due at one instant runs in a fixed order.

use super::super::scenario::{CallerAction, ScriptedRequest};
use super::{GraphSim, HttpRequest, IncomingCall, Routed};
use crate::model::ids::{canonical_id, ResourceIds};

/// Something due at `at`; `seq` keeps the order things were scheduled in at one instant.
pub(super) struct Agendum {
    pub(super) at: u64,
    pub(super) seq: u64,
    pub(super) due: Due,
}

pub(super) enum Due {
    Ring {
        call: IncomingCall,
        script: Option<usize>,
    },
    /// The caller of `calls[call]` acts (a script's step, when `script` says which).
    Caller {
        call: usize,
        action: CallerAction,
        script: Option<usize>,
    },
    /// The caller of the scenario's `calls[call]` acts.
    Named {
        call: usize,
        action: CallerAction,
    },
    /// A request of the scenario, sent as the bot sent it.
    Scripted(ScriptedRequest),
    /// A request `faults.latencyMs` held: answered now (its answer kept under `ticket` when
    /// somebody waits for it).
    Held {
        request: HttpRequest,
        ticket: Option<u64>,
    },
    /// A bot's own wait (`graph.sleep`) ends.
    Wake {
        ticket: u64,
    },
}

impl Due {
    /// A step the scenario set (not the service, not a caller's script).
    fn is_scenario_step(&self) -> bool {
        match self {
            Due::Ring { .. } | Due::Named { .. } | Due::Scripted(_) => true,
            Due::Caller { .. } | Due::Held { .. } | Due::Wake { .. } => false,
        }
    }
}

impl GraphSim {
    /// Puts `due` on the agenda at `at`, after what is there for that instant. What the
    /// service itself set for an instant (an answer held, a script's step) comes before the
    /// scenario's steps of that instant: a driver acts once time has moved there.
    pub(super) fn schedule(&mut self, at: u64, due: Due) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = |a: &Agendum| (a.at, a.due.is_scenario_step(), a.seq);
        let new = Agendum { at, seq, due };
        let place = self.agenda.partition_point(|a| key(a) < key(&new));
        self.agenda.insert(place, new);
    }

    /// Runs what is due on the agenda now, including what that schedules for now.
    pub(super) fn run_agenda(&mut self) {
        while self.agenda.first().is_some_and(|a| a.at <= self.now) {
            let Agendum { due, .. } = self.agenda.remove(0);
            match due {
                Due::Ring { call, script } => {
                    // A ring the scenario reader accepted; a duplicate call id is skipped.
                    if let (Ok(index), Some(script)) = (self.incoming_call(&call), script) {
                        self.attach(script, index);
                    }
                }
                Due::Caller { call, action, script } => {
                    // The next step is armed first: it hears what this one causes (the stop
                    // tone that ends a record, for `{"on": "recorded"}`).
                    if let Some(script) = script {
                        self.advance_script(script);
                    }
                    // A caller's step on a call that has ended is skipped: the caller is gone.
                    let _ = self.act(call, &action);
                }
                Due::Named { call, action } => {
                    // The call at this place of the scenario's `calls`; one that has not begun
                    // has no caller to act yet: the step is skipped.
                    if let Some(index) = self.scripts.get(call).and_then(|s| s.call) {
                        let _ = self.act(index, &action);
                    }
                }
                Due::Scripted(ScriptedRequest { method, path, headers, body }) => {
                    let url = format!("{}{path}", self.config.call.origin);
                    let request = HttpRequest::new(method, url, headers, body);
                    let _ = self.send(&request, false);
                }
                Due::Held { request, ticket } => {
                    let answer = self.answer(&request);
                    if let Some(ticket) = ticket {
                        self.answers.push((ticket, answer));
                    }
                }
                Due::Wake { ticket } => self.woken.push(ticket),
            }
        }
    }

    /// The answers of held requests that are due, with their tickets, in the order given.
    pub fn take_answers(&mut self) -> Vec<(u64, Routed)> {
        std::mem::take(&mut self.answers)
    }

    /// A wait of the bot's own in virtual time (Retry-After, a keepAlive timer): its ticket
    /// comes out of `take_woken` once the clock reaches `at`, which counts as a timer.
    pub fn wake_at(&mut self, at: u64) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.schedule(at.max(self.now), Due::Wake { ticket });
        ticket
    }

    /// The waits that have ended, in order.
    pub fn take_woken(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.woken)
    }

    /// Whether any request can be held (`faults.latencyMs` is set).
    pub fn may_hold_requests(&self) -> bool {
        self.config.faults.latency_ms.is_some()
    }

    /// Whether requests held by `faults.latencyMs` wait for the clock.
    pub fn holds_requests(&self) -> bool {
        self.agenda.iter().any(|a| matches!(a.due, Due::Held { ticket: Some(_), .. }))
    }

    /// Whether requests about call `call` (a canonical id) or about no call are held.
    pub fn holds_requests_about(&self, call: &str) -> bool {
        self.agenda.iter().any(|a| match &a.due {
            Due::Held { request, ticket: Some(_) } => {
                ResourceIds::parse(&request.url).is_none_or(|ids| canonical_id(&ids.call_id) == call)
            }
            _ => false,
        })
    }
}
