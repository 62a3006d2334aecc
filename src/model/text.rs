//! The JSON text of the notifications and operations the simulator sends, written by hand:
//! byte for byte what the serde derives of these types write (`tests/model_text.rs` holds
//! every simulated delivery and every docs fixture to it). The derives serialize through
//! serde's `flatten` machinery (for `extra`), compiled for size in the `.wasm`: producing each
//! delivery's body that way was a third of the simulator's time.

use graph_ivr_json::write::{write_json, write_string};
use serde_json::{Map, Value};

use super::call::{CallMediaState, CallResource};
use super::notification::{CommsNotification, CommsNotifications, ResourceData};
use super::operation::CommsOperation;
use super::result_info::ResultInfo;
use super::tone::ToneInfo;

/// `notifications` as JSON text.
pub fn notifications_text(notifications: &CommsNotifications) -> String {
    let mut out = String::with_capacity(768);
    let mut o = Object::open(&mut out);
    o.optional_text("@odata.type", notifications.odata_type.as_deref());
    o.key("value");
    o.out.push('[');
    for (i, item) in notifications.value.iter().enumerate() {
        if i > 0 {
            o.out.push(',');
        }
        notification(o.out, item);
    }
    o.out.push(']');
    o.close(&notifications.extra);
    out
}

/// `operation` as JSON text.
pub fn operation_text(operation: &CommsOperation) -> String {
    let mut out = String::with_capacity(512);
    self::operation(&mut out, operation);
    out
}

fn notification(out: &mut String, n: &CommsNotification) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", n.odata_type.as_deref());
    o.text("changeType", n.change_type.as_str());
    o.optional_text("resource", n.resource.as_deref());
    o.text("resourceUrl", &n.resource_url);
    if let Some(data) = &n.resource_data {
        o.key("resourceData");
        match data {
            ResourceData::Operation(op) => operation(o.out, op),
            ResourceData::Call(call) => self::call(o.out, call),
            ResourceData::Collection(items) => {
                o.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        o.out.push(',');
                    }
                    write_json(o.out, item);
                }
                o.out.push(']');
            }
            ResourceData::Other(value) => write_json(o.out, value),
        }
    }
    o.close(&n.extra);
}

fn operation(out: &mut String, op: &CommsOperation) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", op.odata_type.as_deref());
    o.optional_text("@odata.id", op.odata_id.as_deref());
    o.optional_text("@odata.etag", op.odata_etag.as_deref());
    o.optional_text("id", op.id.as_deref());
    o.nullable_text("clientContext", &op.client_context);
    o.text("status", op.status.as_str());
    o.nullable("resultInfo", &op.result_info, result_info);
    o.nullable_text("recordingLocation", &op.recording_location);
    o.nullable_text("recordingAccessToken", &op.recording_access_token);
    o.nullable_text("completionReason", &op.completion_reason);
    o.close(&op.extra);
}

fn call(out: &mut String, call: &CallResource) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", call.odata_type.as_deref());
    o.optional_text("@odata.id", call.odata_id.as_deref());
    o.optional_text("id", call.id.as_deref());
    o.nullable("state", &call.state, |out, state| write_string(out, state.as_str()));
    o.nullable("resultInfo", &call.result_info, result_info);
    o.nullable("mediaState", &call.media_state, media_state);
    o.nullable("toneInfo", &call.tone_info, tone_info);
    o.close(&call.extra);
}

fn result_info(out: &mut String, info: &ResultInfo) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", info.odata_type.as_deref());
    o.key("code");
    o.out.push_str(&info.code.to_string());
    o.key("subcode");
    o.out.push_str(&info.subcode.to_string());
    o.nullable_text("message", &info.message);
    o.close(&info.extra);
}

fn media_state(out: &mut String, state: &CallMediaState) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", state.odata_type.as_deref());
    o.nullable("audio", &state.audio, |out, audio| write_string(out, audio.as_str()));
    o.close(&state.extra);
}

fn tone_info(out: &mut String, tone: &ToneInfo) {
    let mut o = Object::open(out);
    o.optional_text("@odata.type", tone.odata_type.as_deref());
    o.key("sequenceId");
    o.out.push_str(&tone.sequence_id.to_string());
    o.text("tone", tone.tone.as_str());
    o.close(&tone.extra);
}

/// An object being written: its members as serde writes a struct with `skip_serializing_if =
/// "Option::is_none"` fields and a flattened `extra` last.
struct Object<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(self.out, key);
        self.out.push(':');
    }

    fn text(&mut self, key: &str, value: &str) {
        self.key(key);
        write_string(self.out, value);
    }

    fn optional_text(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.text(key, value);
        }
    }

    /// Absent when `None`, `null` when `Some(None)`.
    fn nullable<T>(&mut self, key: &str, value: &Option<Option<T>>, write: impl Fn(&mut String, &T)) {
        match value {
            None => {}
            Some(None) => {
                self.key(key);
                self.out.push_str("null");
            }
            Some(Some(value)) => {
                self.key(key);
                write(self.out, value);
            }
        }
    }

    fn nullable_text(&mut self, key: &str, value: &Option<Option<String>>) {
        self.nullable(key, value, |out, text| write_string(out, text));
    }

    fn close(mut self, extra: &Map<String, Value>) {
        for (key, value) in extra {
            self.key(key);
            write_json(self.out, value);
        }
        self.out.push('}');
    }
}
