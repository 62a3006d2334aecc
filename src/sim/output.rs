//! What the simulated service writes: responses to actions and the notifications it POSTs,
//! in the shape of the chosen profile (docs or observed) and contract version.

use serde_json::{json, Map, Value};

use crate::model::call::{CallResource, TONE_INFO_TYPE};
use crate::model::ids::{format_id, GuidStyle};
use crate::model::notification::{COMMS_NOTIFICATIONS_TYPE, COMMS_NOTIFICATION_TYPE};
use crate::model::*;

use super::{Delivery, HttpResponse, MediaOp, Outcome, Profile, Simulator};

/// A Graph OData error response: `{"error":{"code","message"}}`.
pub fn error_response(status: u16, code: &str, message: &str) -> HttpResponse {
    let mut headers = Map::new();
    headers.insert("Content-Type".into(), "application/json".into());
    HttpResponse { status, headers, body: json!({ "error": { "code": code, "message": message } }).to_string() }
}

impl Simulator {
    pub(super) fn lower(&self, id: &str) -> String {
        format_id(id, GuidStyle::LowerHyphenated)
    }

    /// An id as the profile writes it in resource paths.
    fn path_id(&self, id: &str) -> String {
        match self.config.profile {
            Profile::Docs => format_id(id, GuidStyle::UpperSimple),
            Profile::Observed => self.lower(id),
        }
    }

    fn call_path(&self, root: &str, style_for_path: bool) -> String {
        let id = if style_for_path { self.path_id(&self.call_id) } else { self.lower(&self.call_id) };
        format!("{root}/calls/{}", crate::contract::rules::encode_segment(&id))
    }

    fn operation_path(&self, root: &str, op_id: &str) -> String {
        format!(
            "{}/operations/{}",
            self.call_path(root, true),
            crate::contract::rules::encode_segment(&self.path_id(op_id))
        )
    }

    fn next_etag(&mut self) -> String {
        self.etag += 1;
        format!("W/\"{}\"", self.etag)
    }

    /// The 200 OK answer to an action: `Location` and the operation in its first state.
    pub(super) fn operation_response(
        &mut self,
        kind: OperationKind,
        id: &str,
        context: Option<&str>,
        origin: &str,
    ) -> HttpResponse {
        let beta = self.config.version == ApiVersion::Beta;
        let status = if kind.is_queued() { OperationStatus::Running } else { OperationStatus::Completed };
        let mut op = CommsOperation::new(kind, status);
        op.id = Some(id.to_owned());
        op.client_context = context.map(|c| Some(c.to_owned()));
        match kind {
            OperationKind::RecordResponse => {
                op.result_info = Some(None);
                op.recording_location = Some(None);
                if beta {
                    op.completion_reason = Some(None);
                }
            }
            OperationKind::SubscribeToTone if beta => op.result_info = Some(None),
            _ => {}
        }
        let location = format!(
            "{origin}/{}/communications/calls/{}/operations/{}",
            self.config.version.as_str(),
            crate::contract::rules::encode_segment(&self.lower(&self.call_id)),
            crate::contract::rules::encode_segment(id)
        );
        let mut headers = Map::new();
        headers.insert("Location".into(), location.into());
        headers.insert("Content-Type".into(), "application/json".into());
        HttpResponse { status: 200, headers, body: serde_json::to_string(&op).unwrap_or_default() }
    }

    /// The `deleted` notification that ends an operation without a recording.
    pub(super) fn operation_notification(&mut self, op: &MediaOp, outcome: &Outcome) -> Delivery {
        self.operation_notification_recorded(op, outcome, 0)
    }

    /// The `deleted` notification that ends an operation; a record with a recording of
    /// `recorded_ms` makes it downloadable at its `recordingLocation`.
    pub(super) fn operation_notification_recorded(
        &mut self,
        op: &MediaOp,
        outcome: &Outcome,
        recorded_ms: u64,
    ) -> Delivery {
        let profile = self.config.profile;
        let beta = self.config.version == ApiVersion::Beta;
        let is_record = op.kind == OperationKind::RecordResponse;
        let failed = outcome.status == OperationStatus::Failed;
        // Which of resultInfo / completionReason each profile carries (CONTRACT.md §3, §4, §12).
        // v1.0 docs: a record says why it ended whatever the end (the cancel example shows the
        // reason; its completion example, which omits it, would leave a stop tone and a cancel
        // told apart by one and not the other); a playPrompt has no such property in v1.0.
        let (with_result, with_reason) = match (profile, beta) {
            (Profile::Observed, _) => (true, true),
            (Profile::Docs, false) => (true, is_record),
            (Profile::Docs, true) => (failed, true),
        };
        let resource_url = self.operation_path("/communications", &op.id);
        let mut data = CommsOperation::new(op.kind, outcome.status.clone());
        if profile == Profile::Docs {
            data.odata_id = Some(resource_url.clone());
            data.odata_etag = Some(self.next_etag());
        }
        data.id = Some(self.lower(&op.id));
        data.client_context = op.client_context.clone().map(Some);
        if with_result {
            data.result_info = Some(Some(outcome.result_info.clone()));
        }
        if is_record {
            let (location, token) = if outcome.has_recording {
                let file = self.new_id();
                let location = format!("{}/{file}", self.config.recordings_url);
                let token = format!("{:016x}{:016x}", self.rng_u64(), self.rng_u64());
                self.recordings.push(super::Recording::new(&location, &token, recorded_ms));
                (location, token)
            } else {
                // A failed record has no usable location: the docs' cancel example shows "".
                (String::new(), String::new())
            };
            data.recording_location = Some(Some(location));
            data.recording_access_token = Some(Some(token));
        }
        if with_reason {
            data.completion_reason = Some(Some(outcome.completion_reason.as_str().to_owned()));
        }
        if profile == Profile::Observed && !op.prompts.is_empty() {
            let prompts = op.prompts.iter().filter_map(|p| serde_json::to_value(p).ok()).collect();
            data.extra.insert("prompts".into(), Value::Array(prompts));
        }
        let resource = (profile == Profile::Observed).then(|| self.operation_path("/app", &op.id));
        self.deliver(ChangeType::Deleted, resource, resource_url, ResourceData::Operation(data))
    }

    /// The `updated` notification on the call that carries one DTMF tone.
    pub(super) fn tone_notification(&mut self, sequence_id: i64, tone: &Tone) -> Delivery {
        let mut call = CallResource::new();
        call.state = Some(Some(CallState::Established));
        call.tone_info = Some(Some(ToneInfo {
            odata_type: Some(TONE_INFO_TYPE.to_owned()),
            sequence_id,
            tone: tone.clone(),
            extra: Map::new(),
        }));
        let resource = (self.config.profile == Profile::Observed).then(|| self.call_path("/app", false));
        let resource_url = self.call_path("/communications", false);
        self.deliver(ChangeType::Updated, resource, resource_url, ResourceData::Call(call))
    }

    /// A state change of the call itself, as the docs' lifecycle examples write it (with
    /// `@odata.id` and `@odata.etag` in the docs profile).
    pub(super) fn push_call_notification(
        &mut self,
        change: ChangeType,
        state: Option<CallState>,
        result: Option<ResultInfo>,
        extra: Map<String, Value>,
    ) {
        // The docs' answer and incoming examples carry `@odata.id`/`@odata.etag` and uppercase
        // ids; their hang-up examples neither (lowercase ids).
        let annotated = self.config.profile == Profile::Docs
            && change != ChangeType::Deleted
            && state != Some(CallState::Terminating);
        let mut call = CallResource::new();
        let resource_url = self.call_path("/communications", annotated);
        if annotated {
            call.odata_id = Some(resource_url.clone());
            call.extra.insert("@odata.etag".into(), self.next_etag().into());
        }
        call.state = state.map(Some);
        call.result_info = result.map(Some);
        call.extra.extend(extra);
        let resource = (self.config.profile == Profile::Observed).then(|| self.call_path("/app", false));
        let delivery = self.deliver(change, resource, resource_url, ResourceData::Call(call));
        self.outbox.push_back(delivery);
    }

    /// The `deleted` item of a rejected call: `@odata.type` and `@odata.id` only (call-reject).
    pub(super) fn call_reference_notification(&mut self, change: ChangeType) -> Delivery {
        let resource_url = self.call_path("/communications", false);
        let mut call = CallResource::new();
        call.odata_id = Some(resource_url.clone());
        let resource = (self.config.profile == Profile::Observed).then(|| self.call_path("/app", false));
        self.deliver(change, resource, resource_url, ResourceData::Call(call))
    }

    /// The headers of a live callback POST.
    fn callback_headers() -> Map<String, Value> {
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), "application/json".into());
        headers.insert("User-Agent".into(), super::inferred::CALLBACK_USER_AGENT.into());
        headers
    }

    fn deliver(
        &mut self,
        change: ChangeType,
        resource: Option<String>,
        resource_url: String,
        data: ResourceData,
    ) -> Delivery {
        let value = CommsNotifications {
            odata_type: Some(COMMS_NOTIFICATIONS_TYPE.to_owned()),
            value: vec![CommsNotification {
                odata_type: Some(COMMS_NOTIFICATION_TYPE.to_owned()),
                change_type: change,
                resource,
                resource_url,
                resource_data: Some(data),
                extra: Map::new(),
            }],
            extra: Map::new(),
        };
        let body = serde_json::to_string(&value).unwrap_or_default();
        Delivery {
            at: self.now,
            call_id: self.lower(&self.call_id),
            url: self.callback_uri.clone(),
            headers: Self::callback_headers(),
            body,
            value,
        }
    }

    fn rng_u64(&mut self) -> u64 {
        rand_core::RngCore::next_u64(&mut self.rng)
    }
}
