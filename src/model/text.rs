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
    // Every writer destructures its struct whole: a new field does not compile until it is written.
    let CommsNotifications { odata_type, value, extra } = notifications;
    let mut o = Members::open(&mut out);
    o.text("@odata.type", odata_type.as_deref());
    o.key("value");
    write_list(o.out, '[', ']', value.iter(), notification);
    o.close(extra);
    out
}

/// `operation` as JSON text.
pub fn operation_text(operation: &CommsOperation) -> String {
    let mut out = String::with_capacity(512);
    self::operation(&mut out, operation);
    out
}

fn notification(out: &mut String, n: &CommsNotification) {
    let CommsNotification { odata_type, change_type, resource, resource_url, resource_data, extra } = n;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    o.text("changeType", Some(change_type.as_str()));
    o.text("resource", resource.as_deref());
    o.text("resourceUrl", Some(resource_url));
    if let Some(data) = resource_data {
        o.key("resourceData");
        match data {
            ResourceData::Operation(op) => operation(o.out, op),
            ResourceData::Call(call) => self::call(o.out, call),
            ResourceData::Collection(items) => write_list(o.out, '[', ']', items.iter(), write_json),
            ResourceData::Other(value) => write_json(o.out, value),
        }
    }
    o.close(extra);
}

fn operation(out: &mut String, op: &CommsOperation) {
    let CommsOperation {
        odata_type,
        odata_id,
        odata_etag,
        id,
        client_context,
        status,
        result_info: result,
        recording_location,
        recording_access_token,
        completion_reason,
        extra,
    } = op;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    o.text("@odata.id", odata_id.as_deref());
    o.text("@odata.etag", odata_etag.as_deref());
    o.text("id", id.as_deref());
    nullable_text(&mut o, "clientContext", client_context);
    o.text("status", Some(status.as_str()));
    nullable(&mut o, "resultInfo", result, result_info);
    nullable_text(&mut o, "recordingLocation", recording_location);
    nullable_text(&mut o, "recordingAccessToken", recording_access_token);
    nullable_text(&mut o, "completionReason", completion_reason);
    o.close(extra);
}

fn call(out: &mut String, call: &CallResource) {
    let CallResource {
        odata_type,
        odata_id,
        id,
        state,
        result_info: result,
        media_state: media,
        tone_info: tone,
        extra,
    } = call;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    o.text("@odata.id", odata_id.as_deref());
    o.text("id", id.as_deref());
    nullable(&mut o, "state", state, |out, state| write_string(out, state.as_str()));
    nullable(&mut o, "resultInfo", result, result_info);
    nullable(&mut o, "mediaState", media, media_state);
    nullable(&mut o, "toneInfo", tone, tone_info);
    o.close(extra);
}

fn result_info(out: &mut String, info: &ResultInfo) {
    let ResultInfo { odata_type, code, subcode, message, extra } = info;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    o.key("code");
    o.out.push_str(&code.to_string());
    o.key("subcode");
    o.out.push_str(&subcode.to_string());
    nullable_text(&mut o, "message", message);
    o.close(extra);
}

fn media_state(out: &mut String, state: &CallMediaState) {
    let CallMediaState { odata_type, audio, extra } = state;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    nullable(&mut o, "audio", audio, |out, audio| write_string(out, audio.as_str()));
    o.close(extra);
}

fn tone_info(out: &mut String, info: &ToneInfo) {
    let ToneInfo { odata_type, sequence_id, tone, extra } = info;
    let mut o = Members::open(out);
    o.text("@odata.type", odata_type.as_deref());
    o.key("sequenceId");
    o.out.push_str(&sequence_id.to_string());
    o.text("tone", Some(tone.as_str()));
    o.close(extra);
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
