//! When the bot is idle: what `graph.run` waits for after it delivers a callback, answers a
//! held request or starts, so that the bot's reactions land at the instant they answer. In
//! process there is one bot; behind the emulator, one per call.

use js_sys::{Function, Reflect};

use super::delivery::{bot_per_call_key, next_turn, timer_turn, timers_pending};
use super::fetch::Activity;
use crate::sim::GraphSim;

/// Event-loop turns without a new `fetch` after which the bot counts as idle.
const QUIET_TURNS: u32 = 3;
/// At most this many turns are waited for the bot per delivery (a bot that polls forever).
const MAX_SETTLE_TURNS: u32 = 10_000;

/// Who sends the requests the driver waits for.
#[derive(Clone, Copy)]
pub enum Bots {
    /// One bot (in process): every request is its reaction.
    One,
    /// A bot per call (the emulator, where many bots send requests at once and none waits on
    /// another's): after a callback, its call's requests in flight (or those about no call).
    PerCall,
}

impl Bots {
    /// What `deliver` says (the emulator's sets `graph-ivr.botPerCall`).
    pub fn of(deliver: &Function) -> Bots {
        match Reflect::get(deliver, &bot_per_call_key()) {
            Ok(value) if value.is_truthy() => Bots::PerCall,
            _ => Bots::One,
        }
    }

    /// Whose reactions to wait for after something happened to `call` (`None`: to no call in
    /// particular, such as time moving).
    pub fn scope(self, call: Option<&str>) -> Scope<'_> {
        match (self, call) {
            (Bots::One, _) => Scope::Bot,
            (Bots::PerCall, Some(call)) => Scope::Call(call),
            (Bots::PerCall, None) => Scope::Nobody,
        }
    }
}

/// Whose reactions the driver waits for.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    /// The one bot's: nothing in flight, and no new request for a few turns.
    Bot,
    /// One call's bot: its requests in flight about that call (or about none) answered. New
    /// ones do not hold time: over HTTP, a bot may send about its call all the while, and its
    /// reaction to a callback comes after its answer, later than a few turns.
    Call(&'a str),
    /// Nobody's: each bot's requests are taken as they come.
    Nobody,
}

impl Scope<'_> {
    /// Whether Graph holds a request this scope's bot may be waiting on inside a callback: the
    /// clock then moves on to its answer (Graph does not stop while a bot thinks). For a call's
    /// bot, only its own requests (or those about no call) count: another bot's held request
    /// does not move the clock for it.
    pub fn holds_requests(self, graph: &GraphSim) -> bool {
        match self {
            Scope::Call(call) => graph.holds_requests_about(call),
            Scope::Bot | Scope::Nobody => graph.holds_requests(),
        }
    }
}

/// Waits until the bot in `scope` is idle.
pub async fn settle(activity: &Activity, scope: Scope<'_>) {
    match scope {
        Scope::Bot => settle_bot(activity).await,
        Scope::Call(call) => {
            for _ in 0..MAX_SETTLE_TURNS {
                if activity.pending_of(call) == 0 {
                    return;
                }
                next_turn().await;
            }
        }
        Scope::Nobody => {}
    }
}

/// Waits until the one bot is idle: nothing in flight and no new `fetch` for a few turns, the
/// last of them a timer's when a timer is pending (a bot that puts its work off with
/// `setTimeout(…, 0)` is waited for; one with none pending costs no timer's millisecond).
async fn settle_bot(activity: &Activity) {
    let mut quiet = 0;
    let mut seen = activity.started.get();
    for _ in 0..MAX_SETTLE_TURNS {
        // The last quiet turn is a timer's when one is pending (the bot's deferred work).
        if quiet + 1 >= QUIET_TURNS && timers_pending() {
            timer_turn().await;
        } else {
            next_turn().await;
        }
        let started = activity.started.get();
        if activity.pending() == 0 && started == seen {
            quiet += 1;
            if quiet >= QUIET_TURNS {
                return;
            }
        } else {
            quiet = 0;
            seen = started;
        }
    }
}
