//! What an [`OperationTracker`](super::Tracker) remembers, as plain JSON a stateless bot keeps
//! in Redis or a database. Everything in it is order-independent: statuses only move forward,
//! sets are kept sorted, so the same notifications in any order leave the same state.

use serde::{Serialize, Serializer};

use crate::contract::pointer::escape_token;
use crate::error::Error;
use crate::model::OperationKind;
use crate::validate::json::MAX_PAYLOAD_BYTES;
use graph_ivr_json::tree::{Map, Value};

/// The shape written by this version; a state of any other shape is refused, not misread.
pub const STATE_FORMAT: &str = "graph-ivr.tracker/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackerState {
    pub format: String,
    /// In the order the bot sent them.
    pub operations: Vec<TrackedOperation>,
    /// Sorted by canonical call id.
    pub calls: Vec<TrackedCall>,
}

impl Default for TrackerState {
    fn default() -> Self {
        TrackerState { format: STATE_FORMAT.to_owned(), operations: Vec::new(), calls: Vec::new() }
    }
}

impl TrackerState {
    /// Reads a state written by `toJSON`: its `format` first (so a newer shape is named as
    /// such), then every field (an unknown one is refused), then the invariants the reducer
    /// relies on. Errors name the JSON Pointer of what is wrong.
    pub fn from_json(text: &str) -> Result<TrackerState, Error> {
        if text.len() > MAX_PAYLOAD_BYTES {
            return Err(Error::invalid_argument(
                "",
                format!("the state cannot be read: it is {} bytes; the limit is {MAX_PAYLOAD_BYTES}", text.len()),
            ));
        }
        let value = match graph_ivr_json::read(text) {
            Ok(parsed) => parsed.value,
            Err(why) => return Err(Error::invalid_argument("", format!("the state cannot be read: {why}"))),
        };
        let Value::Object(root) = &value else {
            return Err(Error::invalid_argument("", "a tracker state is the object toJSON() returned"));
        };
        match root.get("format") {
            Some(Value::String(format)) if format == STATE_FORMAT => {}
            Some(Value::String(format)) => {
                return Err(Error::invalid_argument(
                    "/format",
                    format!("the state has format {format:?}; this graph-ivr reads {STATE_FORMAT:?} (was it written by another version?)"),
                ))
            }
            _ => {
                return Err(Error::invalid_argument(
                    "/format",
                    format!("a tracker state has format {STATE_FORMAT:?}; this object has none"),
                ))
            }
        }
        let r = Reader { path: String::new() };
        r.only(root, &["format", "operations", "calls"])?;
        let mut operations = Vec::new();
        for (r, v) in r.items(root, "operations")? {
            operations.push(TrackedOperation::read(&r, r.object(v)?)?);
        }
        let mut calls = Vec::new();
        for (r, v) in r.items(root, "calls")? {
            calls.push(TrackedCall::read(&r, r.object(v)?)?);
        }
        let state = TrackerState { format: STATE_FORMAT.to_owned(), operations, calls };
        state.check()?;
        Ok(state)
    }

    fn check(&self) -> Result<(), Error> {
        for (i, op) in self.operations.iter().enumerate() {
            if op.call_id.is_empty() {
                return Err(Error::invalid_argument(format!("/operations/{i}/callId"), "an operation needs a callId"));
            }
        }
        for (i, call) in self.calls.iter().enumerate() {
            if !call.tones.windows(2).all(|w| w[0] < w[1]) {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/tones"),
                    "tone sequence ids must be sorted and distinct",
                ));
            }
            if !call.seen.windows(2).all(|w| w[0] < w[1]) {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/seen"),
                    "seen keys must be sorted and distinct",
                ));
            }
            if i > 0 && self.calls[i - 1].call_id >= call.call_id {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/callId"),
                    "calls must be sorted by id, each once",
                ));
            }
        }
        Ok(())
    }
}

/// One media operation the bot sent, and what is known of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackedOperation {
    /// As the bot's request wrote it.
    pub call_id: String,
    /// From the action's response or the first notification that named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_context: Option<String>,
    #[serde(serialize_with = "action_name")]
    pub operation: OperationKind,
    pub status: TrackedStatus,
    /// As the last notification (or the response) carried it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_info: Option<serde_json::Value>,
    /// `classifyResult` of `resultInfo`: `completed`, `maxRecordDurationReached`, `canceled`, `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The HTTP status of an action Graph refused (no operation was created).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recording_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recording_access_token: Option<String>,
}

/// Where an operation stands. Statuses only move forward (see [`TrackedStatus::rank`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TrackedStatus {
    /// Sent; nothing heard back yet.
    Sent,
    NotStarted,
    Running,
    Completed,
    Failed,
    /// The call ended while it was open, and no outcome ever came (a hung-up record can do
    /// this: microsoft-graph-comms-samples #376).
    Orphaned,
}

impl TrackedStatus {
    /// The order statuses advance in. An outcome that arrives after the call ended still wins
    /// over `orphaned`, so the final state does not depend on arrival order.
    pub fn rank(self) -> u8 {
        match self {
            TrackedStatus::Sent => 0,
            TrackedStatus::NotStarted => 1,
            TrackedStatus::Running => 2,
            TrackedStatus::Orphaned => 3,
            TrackedStatus::Completed | TrackedStatus::Failed => 4,
        }
    }

    /// Sent, not started or running: an outcome is still to come.
    pub fn is_open(self) -> bool {
        self.rank() < TrackedStatus::Orphaned.rank()
    }
}

/// What is known of one call: whether it ended, the tones heard, and the keys of the
/// notifications already applied (how a repeat is told from news).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackedCall {
    /// Canonical (a GUID lowercase and hyphenated).
    pub call_id: String,
    pub ended: bool,
    /// `toneInfo.sequenceId`s heard, sorted.
    pub tones: Vec<i64>,
    /// Keys of applied notifications, sorted.
    pub seen: Vec<String>,
}

/// `OperationKind` as its action name (`playPrompt`).
fn action_name<S: Serializer>(kind: &OperationKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.action())
}

impl TrackedStatus {
    fn from_name(name: &str) -> Option<TrackedStatus> {
        Some(match name {
            "sent" => TrackedStatus::Sent,
            "notStarted" => TrackedStatus::NotStarted,
            "running" => TrackedStatus::Running,
            "completed" => TrackedStatus::Completed,
            "failed" => TrackedStatus::Failed,
            "orphaned" => TrackedStatus::Orphaned,
            _ => return None,
        })
    }
}

impl TrackedOperation {
    fn read(r: &Reader, op: &Map<'_>) -> Result<TrackedOperation, Error> {
        r.only(
            op,
            &[
                "callId",
                "operationId",
                "clientContext",
                "operation",
                "status",
                "resultInfo",
                "outcome",
                "httpStatus",
                "completionReason",
                "recordingLocation",
                "recordingAccessToken",
            ],
        )?;
        let name = r.text(op, "operation")?;
        let operation = OperationKind::from_action(&name)
            .ok_or_else(|| r.wrong("operation", format!("{name:?} is not one of the four media actions")))?;
        let status = r.text(op, "status")?;
        let status = TrackedStatus::from_name(&status)
            .ok_or_else(|| r.wrong("status", format!("{status:?} is not a tracked status")))?;
        let result_info = match op.get("resultInfo") {
            None => None,
            Some(v @ Value::Object(_)) => Some(v.to_json()),
            Some(_) => return Err(r.wrong("resultInfo", "resultInfo must be an object")),
        };
        let http_status = match op.get("httpStatus") {
            None => None,
            Some(Value::Number(n)) => Some(
                n.as_u64()
                    .filter(|n| *n <= 999)
                    .ok_or_else(|| r.wrong("httpStatus", "httpStatus must be an HTTP status"))? as u16,
            ),
            Some(_) => return Err(r.wrong("httpStatus", "httpStatus must be a number")),
        };
        Ok(TrackedOperation {
            call_id: r.text(op, "callId")?,
            operation_id: r.optional_text(op, "operationId")?,
            client_context: r.optional_text(op, "clientContext")?,
            operation,
            status,
            result_info,
            outcome: r.optional_text(op, "outcome")?,
            http_status,
            completion_reason: r.optional_text(op, "completionReason")?,
            recording_location: r.optional_text(op, "recordingLocation")?,
            recording_access_token: r.optional_text(op, "recordingAccessToken")?,
        })
    }
}

impl TrackedCall {
    fn read(r: &Reader, call: &Map<'_>) -> Result<TrackedCall, Error> {
        r.only(call, &["callId", "ended", "tones", "seen"])?;
        let ended = match call.get("ended") {
            Some(Value::Bool(b)) => *b,
            _ => return Err(r.wrong("ended", "ended must be true or false")),
        };
        let mut tones = Vec::new();
        for (r, v) in r.items(call, "tones")? {
            match v {
                Value::Number(n) if n.as_i64().is_some() => tones.push(n.as_i64().unwrap_or_default()),
                _ => return Err(r.wrong("", "a sequence id is a whole number")),
            }
        }
        let mut seen = Vec::new();
        for (r, v) in r.items(call, "seen")? {
            match v {
                Value::String(s) => seen.push(s.to_string()),
                _ => return Err(r.wrong("", "a seen key is a string")),
            }
        }
        Ok(TrackedCall { call_id: r.text(call, "callId")?, ended, tones, seen })
    }
}

/// Reads a state's objects, naming the JSON Pointer of whatever it refuses.
struct Reader {
    path: String,
}

impl Reader {
    fn at(&self, key: &str) -> String {
        if key.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.path, escape_token(key))
        }
    }

    fn wrong(&self, key: &str, why: impl Into<String>) -> Error {
        Error::invalid_argument(self.at(key), format!("the state is not one toJSON() wrote: {}", why.into()))
    }

    fn only(&self, map: &Map<'_>, known: &[&str]) -> Result<(), Error> {
        match map.keys().find(|k| !known.contains(k)) {
            Some(key) => Err(self.wrong(key, format!("unknown field {key:?}"))),
            None => Ok(()),
        }
    }

    fn object<'m, 'a>(&self, value: &'m Value<'a>) -> Result<&'m Map<'a>, Error> {
        match value {
            Value::Object(map) => Ok(map),
            _ => Err(self.wrong("", "expected an object")),
        }
    }

    fn text(&self, map: &Map<'_>, key: &str) -> Result<String, Error> {
        self.optional_text(map, key)?.ok_or_else(|| self.wrong(key, format!("{key} is required")))
    }

    fn optional_text(&self, map: &Map<'_>, key: &str) -> Result<Option<String>, Error> {
        match map.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(self.wrong(key, format!("{key} must be a string"))),
        }
    }

    /// The entries of an array property, each with a reader at its own path.
    fn items<'m, 'a>(&self, map: &'m Map<'a>, key: &str) -> Result<Vec<(Reader, &'m Value<'a>)>, Error> {
        let Some(Value::Array(items)) = map.get(key) else {
            return Err(self.wrong(key, format!("{key} must be an array")));
        };
        let base = self.at(key);
        Ok(items.iter().enumerate().map(|(i, v)| (Reader { path: format!("{base}/{i}") }, v)).collect())
    }
}
