//! `scenario.schema.json`: the scenario format that `sim::scenario` reads, written out by hand
//! from the reader's rules (tests hold the two to each other: every scenario the schema takes
//! is read, and every refusal of the reader is one of the schema's).

use serde_json::{json, Value};

use crate::contract::limits::{PROMPT_URI_MAX, STOP_TONE_KEYS};
use crate::sim::inferred::{MAX_PROMPT_MS, SERVER_ERROR_STATUSES};
use crate::sim::{EventKind, MAX_SAFE_INTEGER};

pub fn scenario() -> Value {
    let ms = json!({ "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER });
    let rate = json!({ "type": "number", "minimum": 0, "maximum": 1 });
    let range = json!({
        "type": "object",
        "properties": { "min": { "type": "integer", "minimum": 0, "maximum": 3_600_000 },
                        "max": { "type": "integer", "minimum": 0, "maximum": 3_600_000 } },
        "required": ["min", "max"],
        "additionalProperties": false
    });
    let tone = json!({ "description": "A DTMF key.", "type": "string", "enum": STOP_TONE_KEYS.chars().map(String::from).collect::<Vec<_>>() });
    let events: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
    let action = |extra: Value| {
        let mut one_of = Vec::new();
        for key in ["pressTone", "startSpeaking", "stopSpeaking", "hangUp"] {
            one_of.push(json!({ "required": [key] }));
        }
        let mut properties = json!({
            "pressTone": { "description": "The caller presses this key.", "$ref": "#/definitions/DtmfKey" },
            "startSpeaking": { "const": true }, "stopSpeaking": { "const": true }, "hangUp": { "const": true }
        });
        if let (Some(map), Value::Object(extra)) = (properties.as_object_mut(), extra) {
            map.extend(extra);
        }
        (properties, one_of)
    };
    let (step_properties, step_one_of) = action(json!({
        "at": { "description": "Milliseconds after the call began.", "$ref": "#/definitions/Milliseconds" },
        "on": { "description": "An event of the call: the step runs `after` ms after it.", "type": "string", "enum": events },
        "uri": { "description": "With on: \"prompt\": the prompt's uri.", "type": "string", "minLength": 1, "maxLength": PROMPT_URI_MAX },
        "after": { "$ref": "#/definitions/Milliseconds" }
    }));
    let (timed_properties, timed_one_of) = action(json!({
        "at": { "description": "Milliseconds on the simulator's clock.", "$ref": "#/definitions/Milliseconds" },
        "call": { "description": "The index of the call in calls.", "type": "integer", "minimum": 0 },
        "ring": { "description": "The index in calls of the incoming call that rings now (not at its own at).", "type": "integer", "minimum": 0 },
        "request": { "$ref": "#/definitions/ScenarioRequest" }
    }));
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Scenario",
        "description": "Who calls, what each caller does and when, what Graph does wrong, and what the bot sent by hand: what GraphSimulator.fromScenario reads and graph.scenario() writes.",
        "type": "object",
        "properties": {
            "seed": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER },
            "appId": { "description": "The bot's application id: the target of an incoming call.", "type": "string", "minLength": 1 },
            "tenantId": { "description": "The bot's tenant: an incoming call's caller and the call belong to it.", "type": "string", "minLength": 1 },
            "requireBearer": { "description": "Graph answers a request without Authorization: Bearer <token> 401 InvalidAuthenticationToken.", "type": "boolean" },
            "profile": { "type": "string", "enum": ["docs", "observed"] },
            "version": { "type": "string", "enum": ["v1.0", "beta"] },
            "baseUrl": { "type": "string" },
            "recordingsUrl": { "type": "string" },
            "promptDurationsMs": { "type": "object", "additionalProperties": { "type": "integer", "minimum": 1, "maximum": MAX_PROMPT_MS } },
            "defaultPromptMs": { "type": "integer", "minimum": 1, "maximum": MAX_PROMPT_MS },
            "failingPrompts": { "type": "array", "items": { "type": "string" } },
            "faults": {
                "type": "object",
                "properties": {
                    "batch": { "type": "boolean" },
                    "duplicate": { "description": "Every Nth POST is delivered twice.", "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER },
                    "dropFinalRecordNotification": { "type": "boolean" },
                    "outOfOrder": { "type": "boolean" },
                    "throttle": {
                        "type": "object",
                        "properties": { "rate": rate, "retryAfterSeconds": { "type": "integer", "minimum": 1, "maximum": 3600 } },
                        "required": ["rate"], "additionalProperties": false
                    },
                    "serverErrors": {
                        "type": "object",
                        "properties": { "rate": rate, "statuses": { "type": "array", "minItems": 1, "items": { "enum": SERVER_ERROR_STATUSES } } },
                        "required": ["rate"], "additionalProperties": false
                    },
                    "dropNotifications": rate,
                    "dropTerminated": { "type": "boolean" },
                    "deliveryDelayMs": range,
                    "latencyMs": range,
                    "keepAlive": { "description": "false: calls do not end after 45 minutes without keepAlive.", "type": "boolean" }
                },
                "additionalProperties": false
            },
            "calls": { "type": "array", "items": { "$ref": "#/definitions/ScenarioCall" } },
            "durationMs": { "description": "How long it lasts on the simulator's clock (graph.scenario() writes the clock's time): how far a player such as the demo page runs it.", "$ref": "#/definitions/Milliseconds" },
            "steps": {
                "description": "Steps at instants of the simulator's clock, in order: callers' actions (naming their call) and the bot's requests.",
                "type": "array", "items": { "$ref": "#/definitions/ScenarioTimedStep" }
            }
        },
        "additionalProperties": false,
        "definitions": {
            "Milliseconds": ms,
            "DtmfKey": tone,
            "ScenarioCall": {
                "description": "An incoming call (callbackUri), or the next call the bot places (outbound), with its caller's steps.",
                "type": "object",
                "properties": {
                    "callbackUri": { "type": "string" },
                    "callId": { "type": "string" },
                    "from": { "type": "string" },
                    "at": { "description": "When it rings, on the simulator's clock.", "$ref": "#/definitions/Milliseconds" },
                    "outbound": { "type": "boolean" },
                    "steps": { "type": "array", "items": { "$ref": "#/definitions/ScenarioStep" } }
                },
                "additionalProperties": false,
                "oneOf": [
                    { "required": ["callbackUri"], "not": { "required": ["outbound"], "properties": { "outbound": { "const": true } } } },
                    { "required": ["outbound"], "properties": { "outbound": { "const": true } },
                      "not": { "anyOf": [{ "required": ["callbackUri"] }, { "required": ["callId"] }, { "required": ["from"] }, { "required": ["at"] }] } }
                ]
            },
            "ScenarioStep": {
                "description": "One thing the caller does: at an instant (at, ms after the call began), or on an event of the call (on, uri, after; the steps on events run in order, each listening once the one before it has run).",
                "type": "object",
                "properties": step_properties,
                "additionalProperties": false,
                "allOf": [
                    { "oneOf": step_one_of },
                    { "oneOf": [
                        { "required": ["at"], "not": { "anyOf": [{ "required": ["on"] }, { "required": ["after"] }, { "required": ["uri"] }] } },
                        { "required": ["on"], "not": { "required": ["at"] } }
                    ] },
                    { "if": { "required": ["uri"] }, "then": { "properties": { "on": { "const": "prompt" } } } }
                ]
            },
            "ScenarioTimedStep": {
                "type": "object",
                "properties": timed_properties,
                "required": ["at"],
                "additionalProperties": false,
                "oneOf": [
                    { "required": ["ring"], "not": { "anyOf": [{ "required": ["call"] }, { "required": ["request"] }, { "anyOf": timed_one_of.clone() }] } },
                    { "required": ["request"], "not": { "anyOf": [{ "required": ["call"] }, { "required": ["ring"] }, { "anyOf": timed_one_of.clone() }] } },
                    { "required": ["call"], "not": { "anyOf": [{ "required": ["request"] }, { "required": ["ring"] }] }, "oneOf": timed_one_of }
                ]
            },
            "ScenarioRequest": {
                "description": "A request the bot sent, replayed on the simulator's own origin (Authorization left out).",
                "type": "object",
                "properties": {
                    "method": { "type": "string" },
                    "path": { "type": "string", "pattern": "^/" },
                    "headers": { "type": "object", "additionalProperties": { "type": "string" } },
                    "body": { "description": "A JSON body." },
                    "bodyText": { "description": "A body that is not JSON, as text.", "type": "string" }
                },
                "required": ["method", "path"],
                "additionalProperties": false,
                "not": { "required": ["body", "bodyText"] }
            }
        }
    })
}
