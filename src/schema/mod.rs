//! JSON Schemas of the wire types, derived from the serde model with schemars (the structs
//! derive `JsonSchema`; this file gives enums their vocabularies, checked values their rules
//! and the open types their unions), and the files `schema/*.json` shipped in the package.
//! Built for the schema generator and its tests only, never into the .wasm.

mod scenario;

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::contract::limits::{
    CLIENT_CONTEXT_MAX, PROMPT_URI_MAX, STOP_TONE_KEYS, TIMER_SECONDS_MAX, TIMER_SECONDS_MIN,
};
use crate::contract::{ClientContext, ContextOnly, PlayPrompt, Prompt, RecordResponse, StopTone, TimerSeconds};
use crate::json_schema::require;
use crate::model::call::CALL_TYPE;
use crate::model::enums::{
    CallState, ChangeType, MediaState, OperationStatus, PlayPromptCompletionReason, RecordCompletionReason,
};
use crate::model::operation::COMMS_OPERATION_TYPE;
use crate::model::{CallResource, CommsNotifications, CommsOperation, MediaPrompt, OperationKind, ResourceData, Tone};

/// An enum the validator holds to its vocabulary: any other value is an error.
macro_rules! closed_enum {
    ($($name:ident),+) => {$(
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "enum": $name::KNOWN })
            }
        }
    )+};
}

/// An evolvable enum (Graph adds members): its known values, and any other string.
macro_rules! open_enum {
    ($($name:ident),+) => {$(
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "anyOf": [{ "type": "string", "enum": $name::KNOWN }, { "type": "string" }] })
            }
        }
    )+};
}

closed_enum!(OperationStatus, ChangeType, Tone);
open_enum!(CallState, MediaState, PlayPromptCompletionReason, RecordCompletionReason);

impl JsonSchema for ClientContext {
    fn schema_name() -> Cow<'static, str> {
        "ClientContext".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Echoed in every notification of the operation (at most 256 UTF-16 units).",
            "type": "string",
            "maxLength": CLIENT_CONTEXT_MAX,
        })
    }
}

impl JsonSchema for TimerSeconds {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "TimerSeconds".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": TIMER_SECONDS_MIN, "maximum": TIMER_SECONDS_MAX })
    }
}

impl JsonSchema for StopTone {
    fn schema_name() -> Cow<'static, str> {
        "DtmfKey".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let keys: Vec<String> = STOP_TONE_KEYS.chars().map(String::from).collect();
        json_schema!({ "description": "A DTMF key.", "type": "string", "enum": keys })
    }
}

/// `check_prompt_uri` as a pattern: an http(s) scheme in any case, a host, and no whitespace or
/// control characters anywhere.
const PROMPT_URI_PATTERN: &str =
    "^[hH][tT][tT][pP][sS]?://[^/?#\\s\\x00-\\x1f\\x7f-\\x9f]+[^\\s\\x00-\\x1f\\x7f-\\x9f]*$";

impl JsonSchema for Prompt {
    fn schema_name() -> Cow<'static, str> {
        "MediaPrompt".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // What the builders write is the model's mediaPrompt, its discriminator required, with
        // the rules the body reader holds a request's prompt to (`contract::body`).
        let mut schema = MediaPrompt::json_schema(generator);
        require(&mut schema, "@odata.type");
        if let Some(Value::Object(props)) = schema.get_mut("properties") {
            if let Some(Value::Object(looped)) = props.get_mut("loop") {
                looped.insert("minimum".into(), json!(0));
            }
        }
        let info = generator.definitions_mut().get_mut("MediaInfo").and_then(|info| info.get_mut("properties"));
        if let Some(Value::Object(props)) = info {
            props.insert(
                "uri".into(),
                json!({
                    "type": "string",
                    "description": "An absolute http(s) URL with a host, without whitespace or control characters (\"Currently supports only Wave file (.wav) format, single-channel, 16-bit, 16 kHz\").",
                    "pattern": PROMPT_URI_PATTERN,
                    "maxLength": PROMPT_URI_MAX,
                }),
            );
            props.insert(
                "resourceId".into(),
                json!({
                    "type": ["string", "null"],
                    "description": "When given, the service caches the prompt under this key (not empty: inferred).",
                    "minLength": 1,
                }),
            );
        }
        schema
    }
}

/// The operation subtypes: the fields of `CommsOperation` with each subtype's discriminator,
/// and `recordingLocation`/`completionReason` only where that subtype declares them.
pub struct OperationUnion;

impl JsonSchema for OperationUnion {
    fn schema_name() -> Cow<'static, str> {
        "CommsOperation".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let fields = CommsOperation::json_schema(generator);
        let play_reason = generator.subschema_for::<PlayPromptCompletionReason>();
        let record_reason = generator.subschema_for::<RecordCompletionReason>();
        let mut refs = Vec::new();
        let subtypes = OperationKind::ALL.iter().map(|k| (subtype_name(*k), k.odata_type(), Some(*k)));
        for (name, odata_type, kind) in subtypes.chain([("CommsOperationBase", COMMS_OPERATION_TYPE, None)]) {
            let mut schema = fields.clone();
            let props = schema.ensure_object().entry("properties").or_insert_with(|| json!({}));
            let Value::Object(props) = props else { continue };
            props.insert("@odata.type".into(), json!({ "type": "string", "const": odata_type }));
            if kind != Some(OperationKind::RecordResponse) {
                props.remove("recordingLocation");
                props.remove("recordingAccessToken");
            }
            let reason = match kind {
                Some(OperationKind::PlayPrompt) => Some(&play_reason),
                Some(OperationKind::RecordResponse) => Some(&record_reason),
                _ => None,
            };
            match reason {
                Some(reason) => {
                    props.insert("completionReason".into(), json!({ "anyOf": [reason, { "type": "null" }] }));
                }
                None => {
                    props.remove("completionReason");
                }
            }
            require(&mut schema, "@odata.type");
            let description = format!("`{odata_type}`");
            schema.insert("description".into(), description.into());
            generator.definitions_mut().insert(name.into(), schema.to_value());
            refs.push(json!({ "$ref": format!("#/definitions/{name}") }));
        }
        json_schema!({
            "description": "A commsOperation: one of the four subtypes, or the base type older services send.",
            "oneOf": refs,
        })
    }
}

fn subtype_name(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::CancelMediaProcessing => "CancelMediaProcessingOperation",
        OperationKind::PlayPrompt => "PlayPromptOperation",
        OperationKind::RecordResponse => "RecordOperation",
        OperationKind::SubscribeToTone => "SubscribeToToneOperation",
    }
}

impl JsonSchema for ResourceData {
    fn schema_name() -> Cow<'static, str> {
        "ResourceData".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let operation = generator.subschema_for::<OperationUnion>();
        let call = generator.subschema_for::<CallResource>();
        let mut known: Vec<&str> = OperationKind::ALL.iter().map(|k| k.odata_type()).collect();
        known.extend([COMMS_OPERATION_TYPE, CALL_TYPE]);
        json_schema!({
            "description": "An operation, the call, a collection of entities (participant updates), or an entity of another type, kept as it came.",
            "anyOf": [
                operation,
                call,
                { "type": "array", "items": true },
                {
                    "type": "object",
                    "required": ["@odata.type"],
                    "properties": { "@odata.type": { "type": "string", "not": { "enum": known } } },
                    "additionalProperties": true,
                },
            ],
        })
    }
}

/// The files of `schema/`: name and JSON Schema (draft-07, which ajv reads by default).
pub fn files() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    let mut add = |name: &str, schema: Schema| files.push((format!("{name}.schema.json"), finish(schema.to_value())));
    add("commsNotifications", generator().into_root_schema_for::<CommsNotifications>());
    add("commsOperation", generator().into_root_schema_for::<OperationUnion>());
    add("call", generator().into_root_schema_for::<CallResource>());
    add("cancelMediaProcessing.request", generator().into_root_schema_for::<ContextOnly>());
    add("subscribeToTone.request", generator().into_root_schema_for::<ContextOnly>());
    add("playPrompt.request", generator().into_root_schema_for::<PlayPrompt>());
    add("recordResponse.request", generator().into_root_schema_for::<RecordResponse>());
    files.push(("scenario.schema.json".into(), scenario::scenario()));
    files
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft07().into_generator()
}

/// Numeric formats become bounds (ajv knows no `int32`); the root's title is the file's type.
fn finish(mut value: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(format)) = map.get("format") {
                    let bounds: Option<(i64, i64)> = match format.as_str() {
                        "int32" => Some((i32::MIN.into(), i32::MAX.into())),
                        "uint8" => Some((0, 255)),
                        _ => None,
                    };
                    map.remove("format");
                    if let Some((min, max)) = bounds {
                        map.entry("minimum").or_insert(min.into());
                        map.entry("maximum").or_insert(max.into());
                    }
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    if let Value::Object(map) = &mut value {
        let mut ordered = Map::new();
        for key in ["$schema", "title", "description"] {
            if let Some(v) = map.remove(key) {
                ordered.insert(key.into(), v);
            }
        }
        ordered.append(map);
        value = Value::Object(ordered);
    }
    value
}
