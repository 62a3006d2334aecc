//! The JSON text of the notifications and operations the simulator sends, written by hand:
//! byte for byte what the serde derives of these types write (`tests/model_text.rs` holds every
//! docs fixture to it, `tests/sim_properties.rs` every simulated delivery). The derives
//! serialize through serde's `flatten` machinery (for `extra`), compiled for size in the
//! `.wasm`: that was a third of the time of a call that produces deliveries.

use graph_ivr_json::write::{write_json, write_list, write_string, Members};

use super::call::{CallMediaState, CallResource};
use super::notification::{CommsNotification, CommsNotifications, ResourceData};
use super::operation::CommsOperation;
use super::result_info::ResultInfo;
use super::tone::ToneInfo;

/// `notifications` as JSON text.
pub fn notifications_text(notifications: &CommsNotifications) -> String {
    let mut out = String::with_capacity(768);
    let mut o = Members::open(&mut out);
    o.text("@odata.type", notifications.odata_type.as_deref());
    o.key("value");
    write_list(o.out, '[', ']', notifications.value.iter(), notification);
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
    let mut o = Members::open(out);
    o.text("@odata.type", n.odata_type.as_deref());
    o.text("changeType", Some(n.change_type.as_str()));
    o.text("resource", n.resource.as_deref());
    o.text("resourceUrl", Some(&n.resource_url));
    if let Some(data) = &n.resource_data {
        o.key("resourceData");
        match data {
            ResourceData::Operation(op) => operation(o.out, op),
            ResourceData::Call(call) => self::call(o.out, call),
            ResourceData::Collection(items) => write_list(o.out, '[', ']', items.iter(), write_json),
            ResourceData::Other(value) => write_json(o.out, value),
        }
    }
    o.close(&n.extra);
}

fn operation(out: &mut String, op: &CommsOperation) {
    let mut o = Members::open(out);
    o.text("@odata.type", op.odata_type.as_deref());
    o.text("@odata.id", op.odata_id.as_deref());
    o.text("@odata.etag", op.odata_etag.as_deref());
    o.text("id", op.id.as_deref());
    nullable_text(&mut o, "clientContext", &op.client_context);
    o.text("status", Some(op.status.as_str()));
    nullable(&mut o, "resultInfo", &op.result_info, result_info);
    nullable_text(&mut o, "recordingLocation", &op.recording_location);
    nullable_text(&mut o, "recordingAccessToken", &op.recording_access_token);
    nullable_text(&mut o, "completionReason", &op.completion_reason);
    o.close(&op.extra);
}

fn call(out: &mut String, call: &CallResource) {
    let mut o = Members::open(out);
    o.text("@odata.type", call.odata_type.as_deref());
    o.text("@odata.id", call.odata_id.as_deref());
    o.text("id", call.id.as_deref());
    nullable(&mut o, "state", &call.state, |out, state| write_string(out, state.as_str()));
    nullable(&mut o, "resultInfo", &call.result_info, result_info);
    nullable(&mut o, "mediaState", &call.media_state, media_state);
    nullable(&mut o, "toneInfo", &call.tone_info, tone_info);
    o.close(&call.extra);
}

fn result_info(out: &mut String, info: &ResultInfo) {
    let mut o = Members::open(out);
    o.text("@odata.type", info.odata_type.as_deref());
    o.key("code");
    o.out.push_str(&info.code.to_string());
    o.key("subcode");
    o.out.push_str(&info.subcode.to_string());
    nullable_text(&mut o, "message", &info.message);
    o.close(&info.extra);
}

fn media_state(out: &mut String, state: &CallMediaState) {
    let mut o = Members::open(out);
    o.text("@odata.type", state.odata_type.as_deref());
    nullable(&mut o, "audio", &state.audio, |out, audio| write_string(out, audio.as_str()));
    o.close(&state.extra);
}

fn tone_info(out: &mut String, tone: &ToneInfo) {
    let mut o = Members::open(out);
    o.text("@odata.type", tone.odata_type.as_deref());
    o.key("sequenceId");
    o.out.push_str(&tone.sequence_id.to_string());
    o.text("tone", Some(tone.tone.as_str()));
    o.close(&tone.extra);
}

/// `Some(None)` as `null`, `Some(Some(v))` by `write`, `None` left out: serde's
/// `Option<Option<T>>` with `skip_serializing_if = "Option::is_none"`.
fn nullable<T>(o: &mut Members<'_>, key: &str, value: &Option<Option<T>>, write: impl Fn(&mut String, &T)) {
    match value {
        None => {}
        Some(None) => o.raw(key, Some("null")),
        Some(Some(value)) => {
            o.key(key);
            write(o.out, value);
        }
    }
}

fn nullable_text(o: &mut Members<'_>, key: &str, value: &Option<Option<String>>) {
    nullable(o, key, value, |out, text| write_string(out, text));
}
