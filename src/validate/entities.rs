//! Checks of the entities inside payloads: commsOperation (and subtypes), resultInfo, call
//! updates and toneInfo. Notification and response validation both use these.

use crate::contract::limits::CLIENT_CONTEXT_MAX;
use crate::contract::pointer::At;
use crate::contract::rules::utf16_len;
use crate::model::call::{CALL_MEDIA_STATE_TYPE, TONE_INFO_TYPE};
use crate::model::operation::COMMS_OPERATION_TYPE;
use crate::model::result_info::RESULT_INFO_TYPE;
use crate::model::*;

use super::check::{Checker, Evolvable, Field};
use super::issue::IssueCode;
use super::tree::{Map, Value};

const INT32: (i64, i64) = (i32::MIN as i64, i32::MAX as i64);

/// Every operation `@odata.type` this library knows, the base type last.
pub fn operation_types() -> Vec<&'static str> {
    let mut types: Vec<&str> = OperationKind::ALL.iter().map(|k| k.odata_type()).collect();
    types.push(COMMS_OPERATION_TYPE);
    types
}

impl Checker {
    /// A commsOperation object whose `@odata.type` was already checked to be `odata_type`;
    /// `declared` says whether the payload wrote it (rather than the position implying it).
    pub fn operation(&mut self, obj: &mut Map<'_>, path: &At<'_>, odata_type: Option<&str>, declared: bool) {
        if declared && odata_type == Some(COMMS_OPERATION_TYPE) {
            self.issues
                .tolerated(
                    &path.key("@odata.type").pointer(),
                    IssueCode::UnexpectedODataType,
                    "the operation is typed as the base #microsoft.graph.commsOperation, not its subtype",
                )
                .actual(COMMS_OPERATION_TYPE)
                .hint(
                    "older services and the legacy beta docs send the base type; the subtype follows from the request",
                );
        }
        let kind = odata_type.and_then(OperationKind::from_odata_type);
        for key in ["@odata.id", "@odata.etag", "id"] {
            self.string(obj, path, Field::optional(key));
        }
        if let Some(context) = self.string(obj, path, Field::optional("clientContext").nullable()) {
            let len = utf16_len(context);
            if len > CLIENT_CONTEXT_MAX {
                self.issues
                    .error(
                        &path.key("clientContext").pointer(),
                        IssueCode::OutOfRange,
                        format!("clientContext has {len} characters; the limit is {CLIENT_CONTEXT_MAX}"),
                    )
                    .expected(CLIENT_CONTEXT_MAX)
                    .actual(len);
            }
        }
        self.enumeration(obj, path, Field::required("status"), OperationStatus::KNOWN, Evolvable::No);
        self.nullable_result_info(obj, path);
        if matches!(kind, Some(OperationKind::RecordResponse) | None) {
            self.legacy_rename(obj, path, "recordResourceLocation", "recordingLocation");
            self.legacy_rename(obj, path, "recordResourceAccessToken", "recordingAccessToken");
        }
        if kind == Some(OperationKind::RecordResponse) {
            self.string(obj, path, Field::optional("recordingLocation").nullable());
            self.string(obj, path, Field::optional("recordingAccessToken").nullable());
        }
        let reasons = match kind {
            Some(OperationKind::RecordResponse) => Some(RecordCompletionReason::KNOWN),
            Some(OperationKind::PlayPrompt) => Some(PlayPromptCompletionReason::KNOWN),
            _ => None,
        };
        match (reasons, self.version) {
            // v1.0 declares no completionReason: there it is a dynamic property (the v1.0 cancel
            // example sends one), kept as it arrived and not checked against beta's enums.
            (Some(_), Some(ApiVersion::V1)) => {}
            // Even under beta an unknown reason is only a warning: the enums grow.
            (Some(known), _) => {
                self.enumeration(obj, path, Field::optional("completionReason").nullable(), known, Evolvable::Yes);
            }
            (None, _) => {
                self.string(obj, path, Field::optional("completionReason").nullable());
            }
        }
    }

    /// A pre-July-2019 property name: tolerated when the current name is absent, and copied to
    /// it (the old property stays too, nothing is dropped).
    fn legacy_rename(&mut self, obj: &mut Map<'_>, path: &At<'_>, old: &str, new: &str) {
        if obj.contains_key(new) {
            return;
        }
        if let Some(value) = obj.get(old).cloned() {
            self.issues
                .tolerated(
                    &path.key(old).pointer(),
                    IssueCode::LegacyProperty,
                    format!("{old} is the pre-2019 name of {new}"),
                )
                .expected(new)
                .actual(old)
                .hint(format!("read {new}; tolerant mode copies the value there"));
            obj.insert(new.to_owned(), value);
            self.changed = true;
        }
    }

    fn nullable_result_info(&mut self, obj: &mut Map<'_>, path: &At<'_>) {
        let at = path.key("resultInfo");
        match obj.get_mut("resultInfo") {
            None | Some(Value::Null) => {}
            Some(value) => self.result_info(value, &at),
        }
    }

    pub fn result_info(&mut self, value: &mut Value<'_>, path: &At<'_>) {
        let Some(obj) = self.object(value, path, "resultInfo") else { return };
        self.odata_type(obj, path, &[RESULT_INFO_TYPE], None);
        self.integer(obj, path, Field::required("code"), INT32.0..=INT32.1);
        self.integer(obj, path, Field::required("subcode"), INT32.0..=INT32.1);
        self.string(obj, path, Field::optional("message").nullable());
    }

    /// A (partial) call in a notification: state, toneInfo, resultInfo, mediaState.
    pub fn call(&mut self, obj: &mut Map<'_>, path: &At<'_>) {
        self.string(obj, path, Field::optional("id"));
        self.enumeration(obj, path, Field::optional("state").nullable(), CallState::KNOWN, Evolvable::Yes);
        self.nullable_result_info(obj, path);
        if let Some(media) = obj.get_mut("mediaState").filter(|v| !v.is_null()) {
            let at = path.key("mediaState");
            if let Some(media) = self.object(media, &at, "mediaState") {
                self.odata_type(media, &at, &[CALL_MEDIA_STATE_TYPE], None);
                self.enumeration(media, &at, Field::optional("audio").nullable(), MediaState::KNOWN, Evolvable::Yes);
            }
        }
        if let Some(tone) = obj.get_mut("toneInfo").filter(|v| !v.is_null()) {
            let at = path.key("toneInfo");
            if let Some(tone) = self.object(tone, &at, "toneInfo") {
                self.odata_type(tone, &at, &[TONE_INFO_TYPE], None);
                self.integer(tone, &at, Field::required("sequenceId"), i64::MIN..=i64::MAX);
                self.enumeration(tone, &at, Field::required("tone"), Tone::KNOWN, Evolvable::No);
            }
        }
    }
}
