//! The call's own lifecycle (LIFECYCLE.md): incoming → answered (establishing → established) or
//! rejected; the bot's `DELETE` (terminating → terminated); `GET`; `keepAlive`; the 15-second
//! answer timeout. What the docs leave open is in `inferred`.

use graph_ivr_json::tree;
use serde_json::{json, Map};

use crate::model::{CallState, ChangeType, OperationKind, ResultInfo};

use super::inferred;
use super::output::error_response;
use super::{HttpResponse, Simulator};

/// Where the call is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    /// Ringing at the bot: it must answer, reject or redirect before `deadline`.
    Incoming {
        deadline: u64,
    },
    /// Answered (or created by the bot); `established` at `at`.
    Establishing {
        at: u64,
    },
    Established,
    Terminated,
}

impl CallStatus {
    pub fn name(self) -> &'static str {
        match self {
            CallStatus::Incoming { .. } => "incoming",
            CallStatus::Establishing { .. } => "establishing",
            CallStatus::Established => "established",
            CallStatus::Terminated => "terminated",
        }
    }

    /// The lifecycle timer, if one is armed.
    pub fn timer(self) -> Option<u64> {
        match self {
            CallStatus::Incoming { deadline } => Some(deadline),
            CallStatus::Establishing { at } => Some(at),
            CallStatus::Established | CallStatus::Terminated => None,
        }
    }
}

/// Who placed the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        }
    }
}

impl Simulator {
    pub fn status(&self) -> CallStatus {
        self.status
    }

    /// Rings the bot: the `created` notification of an incoming call (LIFECYCLE.md §4).
    pub(super) fn ring(&mut self, from: Option<&str>) {
        self.status = CallStatus::Incoming { deadline: self.now + inferred::ANSWER_TIMEOUT_MS };
        let caller = from.unwrap_or(inferred::DEFAULT_CALLER);
        let mut extra = Map::new();
        extra.insert("direction".into(), "incoming".into());
        // The caller is a user of the bot's tenant; the target, the bot's application.
        let app_id = self.config.app_id.as_deref().unwrap_or(inferred::BOT_ID);
        let mut user = json!({ "displayName": caller, "id": inferred::CALLER_ID });
        if let Some(tenant) = &self.config.tenant_id {
            user["tenantId"] = tenant.clone().into();
            extra.insert("tenantId".into(), tenant.clone().into());
        }
        extra.insert(
            "source".into(),
            json!({ "identity": { "user": user }, "region": "westus", "languageId": "en-US" }),
        );
        extra.insert(
            "targets".into(),
            json!([{ "identity": { "application": { "displayName": "Bot", "id": app_id } } }]),
        );
        extra.insert("requestedModalities".into(), json!(["audio"]));
        self.push_call_notification(ChangeType::Created, Some(CallState::Incoming), None, extra);
    }

    /// `establishing` now, `established` after `after_ms`.
    pub(super) fn establish(&mut self, after_ms: u64) {
        self.status = CallStatus::Establishing { at: self.now + after_ms };
        if !self.config.out_of_order {
            self.push_call_notification(ChangeType::Updated, Some(CallState::Establishing), None, Map::new());
        }
    }

    /// Fires the lifecycle timer due now.
    pub(super) fn fire_lifecycle_timer(&mut self) {
        match self.status {
            CallStatus::Incoming { .. } => {
                // inferred: the docs' end-reason 408/1106 for a call nobody answered in time.
                self.terminate(Some(inferred::answer_timed_out()));
            }
            CallStatus::Establishing { .. } => {
                self.status = CallStatus::Established;
                self.event(self.now, super::EventKind::Established, None);
                self.push_call_notification(ChangeType::Updated, Some(CallState::Established), None, Map::new());
                if self.config.out_of_order {
                    // The current docs: establishing/established "may arrive out of order".
                    self.push_call_notification(ChangeType::Updated, Some(CallState::Establishing), None, Map::new());
                }
                if self.config.profile == super::Profile::Observed {
                    // Live traffic sends `established` again once media flows (REALWORLD.md).
                    let mut extra = Map::new();
                    extra.insert(
                        "mediaState".into(),
                        json!({ "@odata.type": crate::model::call::CALL_MEDIA_STATE_TYPE, "audio": "active" }),
                    );
                    self.push_call_notification(ChangeType::Updated, Some(CallState::Established), None, extra);
                }
            }
            CallStatus::Established | CallStatus::Terminated => {}
        }
    }

    /// `POST …/calls/{id}/answer`: 202, then establishing and established.
    pub(super) fn answer(&mut self, body: &tree::Map<'_>) -> HttpResponse {
        if self.status == CallStatus::Terminated {
            return self.ended();
        }
        if !matches!(self.status, CallStatus::Incoming { .. }) {
            return not_incoming(self.status);
        }
        if !body.contains_key("mediaConfig") {
            return error_response(400, "BadRequest", "answer requires mediaConfig (appHosted or serviceHosted).");
        }
        if let Some(uri) = body.get("callbackUri") {
            let Some(uri) = uri.as_str() else {
                return error_response(400, "BadRequest", "callbackUri must be a string.");
            };
            if let Err(why) = crate::contract::rules::check_callback_uri(uri) {
                return error_response(400, "BadRequest", &why);
            }
            self.callback_uri = uri.to_owned();
        }
        self.establish(inferred::ANSWER_ESTABLISH_MS);
        accepted()
    }

    /// `POST …/calls/{id}/reject`: 202, then one `deleted` item without a state.
    pub(super) fn reject(&mut self, body: &tree::Map<'_>) -> HttpResponse {
        if self.status == CallStatus::Terminated {
            return self.ended();
        }
        if !matches!(self.status, CallStatus::Incoming { .. }) {
            return not_incoming(self.status);
        }
        match body.get("reason").and_then(tree::Value::as_str).map(str::to_ascii_lowercase).as_deref() {
            None | Some("none" | "busy" | "forbidden") => {}
            Some(_) => {
                return error_response(400, "BadRequest", "reason must be one of none, busy, forbidden.");
            }
        }
        self.status = CallStatus::Terminated;
        self.ended_at = Some(self.now);
        let delivery = self.call_reference_notification(ChangeType::Deleted);
        self.outbox.push_back(delivery);
        accepted()
    }

    /// `DELETE …/calls/{id}`: 204, then terminating, the operations' ends, and terminated.
    pub(super) fn hang_up_by_bot(&mut self) -> HttpResponse {
        if self.status == CallStatus::Terminated {
            return self.ended();
        }
        self.push_call_notification(ChangeType::Updated, Some(CallState::Terminating), None, Map::new());
        self.terminate(Some(inferred::ended_by_bot()));
        HttpResponse { status: 204, headers: Map::new(), body: String::new() }
    }

    /// `POST …/calls/{id}/keepAlive`: 200, or 404 once the call has ended (documented).
    pub(super) fn keep_alive(&mut self) -> HttpResponse {
        if self.status == CallStatus::Terminated {
            return self.ended();
        }
        self.alive_since = self.now;
        HttpResponse { status: 200, headers: Map::new(), body: String::new() }
    }

    /// `GET …/calls/{id}`: the call object.
    pub(super) fn get_call(&self) -> HttpResponse {
        if self.status == CallStatus::Terminated {
            return self.ended();
        }
        let call = json!({
            "@odata.type": crate::model::call::CALL_TYPE,
            "state": self.status.name(),
            "direction": self.direction.as_str(),
            "callbackUri": self.callback_uri,
            "requestedModalities": ["audio"],
            "id": self.lower(&self.call_id),
        });
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), "application/json".into());
        HttpResponse { status: 200, headers, body: call.to_string() }
    }

    /// The call object a `POST /communications/calls` answers with (201).
    pub(super) fn created_call(&mut self, location: String) -> HttpResponse {
        let call = json!({
            "@odata.type": crate::model::call::CALL_TYPE,
            "state": "establishing",
            "direction": "outgoing",
            "callbackUri": self.callback_uri,
            "callChainId": self.new_id(),
            "requestedModalities": ["audio"],
            "myParticipantId": self.new_id(),
            "id": self.lower(&self.call_id),
        });
        let mut headers = Map::new();
        headers.insert("Location".into(), location.into());
        headers.insert("Content-Type".into(), "application/json".into());
        HttpResponse { status: 201, headers, body: call.to_string() }
    }

    /// Ends the call: outstanding operations end as a hang-up ends them, then the call is
    /// `deleted` with state `terminated` (and `result`, when given).
    pub(super) fn terminate(&mut self, result: Option<ResultInfo>) {
        if let Some(running) = self.running.take() {
            let lost = running.op.kind == OperationKind::RecordResponse && self.config.drop_final_record_notification;
            if !lost {
                let delivery = self.operation_notification(&running.op, &inferred::hung_up(running.op.kind));
                self.outbox.push_back(delivery);
            }
        }
        while let Some(op) = self.queue.pop_front() {
            let delivery = self.operation_notification(&op, &inferred::hung_up(op.kind));
            self.outbox.push_back(delivery);
        }
        self.status = CallStatus::Terminated;
        self.ended_at = Some(self.now);
        self.speaking = false;
        self.push_call_notification(ChangeType::Deleted, Some(CallState::Terminated), result, Map::new());
    }

    fn ended(&self) -> HttpResponse {
        error_response(404, "ItemNotFound", &format!("Call {} has ended.", self.call_id))
    }
}

fn accepted() -> HttpResponse {
    HttpResponse { status: 202, headers: Map::new(), body: String::new() }
}

/// *Inferred*: answering or rejecting a call that is not ringing. The docs name no error.
fn not_incoming(status: CallStatus) -> HttpResponse {
    error_response(
        400,
        "BadRequest",
        &format!("The call is {}; only an incoming call can be answered or rejected.", status.name()),
    )
}
