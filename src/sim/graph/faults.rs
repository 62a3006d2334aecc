//! Graph's own failures: requests refused (throttling, server errors) without effect, drawn on
//! a stream of their own; what a lost or late notification was; a batch of one cause's
//! notifications. Each fault's source or *inferred* status is in `sim::inferred`.

use rand_core::RngCore;

use super::super::inferred::DEFAULT_RETRY_AFTER_SECONDS;
use super::{error_response, Delivery, FaultView, GraphSim, HttpAnswer};

/// Graph's OData error answer of a fault, with `Retry-After` when there is one.
pub(super) fn fault_response(status: u16, message: &str, retry_after_seconds: Option<u64>) -> HttpAnswer {
    let mut response = error_response(status, super::super::inferred::fault_error_code(status), message);
    if let Some(seconds) = retry_after_seconds {
        response.headers.insert("Retry-After".into(), seconds.to_string().into());
    }
    response.into()
}

/// What a notification says, in a few words: `call terminated`, `playPrompt completed`.
pub(super) fn said(delivery: &Delivery) -> String {
    let Some(item) = delivery.value.value.first() else { return "a notification".to_owned() };
    match &item.resource_data {
        Some(data) => match (data.as_call(), data.as_operation()) {
            (Some(call), _) if call.tone_info.as_ref().is_some_and(Option::is_some) => "a tone".to_owned(),
            (Some(call), _) => match call.state.clone().flatten() {
                Some(state) => format!("call {}", state.as_str()),
                None => "a call update".to_owned(),
            },
            (_, Some(op)) => {
                let kind = op.kind().map_or("operation", |k| k.action());
                format!("{kind} {}", op.status.as_str())
            }
            _ => "a notification".to_owned(),
        },
        None => "a notification".to_owned(),
    }
}

/// One POST for the notifications of one instant (what one cause made for one call).
pub(super) fn batched(deliveries: Vec<Delivery>) -> Vec<Delivery> {
    let mut posts: Vec<Delivery> = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        match posts.last_mut() {
            Some(last) if last.call_id == delivery.call_id && last.at == delivery.at => {
                last.value.value.extend(delivery.value.value);
                last.body = serde_json::to_string(&last.value).unwrap_or_default();
            }
            _ => posts.push(delivery),
        }
    }
    posts
}

/// Whether `delivery` says its call ended (a `deleted` notification of the call itself).
pub(super) fn ends_call(delivery: &Delivery) -> bool {
    delivery.value.value.iter().any(|n| {
        n.change_type == crate::model::ChangeType::Deleted
            && n.resource_data.as_ref().is_some_and(|d| d.as_call().is_some())
    })
}

impl GraphSim {
    /// The answer of `faults.throttle` or `faults.serverErrors` for a request that would change
    /// something, when one of them refuses it (the request then has no effect).
    pub(super) fn refused_by_fault(&mut self) -> Option<HttpAnswer> {
        if let Some(throttle) = self.config.faults.throttle.clone() {
            if self.now >= self.throttled_until && self.draw() < throttle.rate {
                self.throttled_until = self.now + throttle.retry_after_seconds * 1_000;
            }
            if self.now < self.throttled_until {
                let seconds = (self.throttled_until - self.now).div_ceil(1_000);
                let message = format!("Too many requests. Retry after {seconds} seconds.");
                return Some(fault_response(429, &message, Some(seconds)));
            }
        }
        if let Some(errors) = self.config.faults.server_errors.clone() {
            if self.draw() < errors.rate {
                let status = errors.statuses[(self.fault_rng.next_u64() % errors.statuses.len() as u64) as usize];
                let retry_after = (status == 503).then_some(DEFAULT_RETRY_AFTER_SECONDS);
                let message = format!("The service failed the request ({status}); it had no effect.");
                return Some(fault_response(status, &message, retry_after));
            }
        }
        None
    }

    /// A number in `[0, 1)` from the faults' stream.
    pub(super) fn draw(&mut self) -> f64 {
        (self.fault_rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(super) fn note(&mut self, call_id: &str, at: u64, kind: &'static str, detail: String) {
        self.fault_notes.push((call_id.to_owned(), FaultView { at, kind, detail }));
    }
}
