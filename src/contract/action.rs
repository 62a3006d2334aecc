//! The one typed media request: which action, on which call, with checked options. Builders
//! make it (stopping at the first refusal), `validateRequest` makes it (collecting every
//! issue) and the simulator consumes it; nothing downstream reads a raw JSON body again.
//! Its body serializes in the key order of the docs' examples, with only what was set.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::model::prompt::{MEDIA_INFO_TYPE, MEDIA_PROMPT_TYPE};
use crate::model::{ApiVersion, OperationKind};

use super::limits::{PLAY_PROMPTS_MAX, PLAY_PROMPTS_MIN, RECORD_PROMPTS_MAX};
use super::values::{CallId, ClientContext, PromptUri, Refused, StopTone, TimerSeconds};

/// A media action addressed to a call. Made only by [`MediaRequest::new`], which refuses
/// beta-only parameters under v1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRequest {
    version: ApiVersion,
    call_id: CallId,
    action: Action,
}

/// The four actions and their typed parameters.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Action {
    CancelMediaProcessing(ContextOnly),
    SubscribeToTone(ContextOnly),
    PlayPrompt(PlayPrompt),
    RecordResponse(RecordResponse),
}

/// The body of cancelMediaProcessing and subscribeToTone.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::request_body))]
#[non_exhaustive]
pub struct ContextOnly {
    #[serde(rename = "clientContext", skip_serializing_if = "Option::is_none")]
    pub client_context: Option<ClientContext>,
}

/// The body of playPrompt: 1 to 20 prompts, played in order (`PlayPrompt::new` checks the count).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::request_body))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PlayPrompt {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_context: Option<ClientContext>,
    /// 1 to 20 prompts, played in order.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(length(min = PLAY_PROMPTS_MIN, max = PLAY_PROMPTS_MAX)))]
    pub(super) prompts: Vec<Prompt>,
    /// beta only: loop the prompts until canceled (no completion notification).
    #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
    pub r#loop: Option<bool>,
}

/// The body of recordResponse. What is not sent takes the service default (`contract::limits`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::request_body))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecordResponse {
    /// Service default false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barge_in_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_context: Option<ClientContext>,
    /// At most one prompt, played before the beep.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(length(max = RECORD_PROMPTS_MAX)))]
    pub(super) prompts: Vec<Prompt>,
    /// Whole seconds 1–120; service default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_record_duration_in_seconds: Option<TimerSeconds>,
    /// Whole seconds 1–120; service default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_silence_timeout_in_seconds: Option<TimerSeconds>,
    /// Whole seconds 1–120; service default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_silence_timeout_in_seconds: Option<TimerSeconds>,
    /// Service default true (the docs; the OpenAPI says false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_beep: Option<bool>,
    /// beta only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_while_recording: Option<bool>,
    /// DTMF keys that end the recording: '0'-'9', '*', '#', 'A'-'D'.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_tones: Option<Vec<StopTone>>,
}

/// One prompt to play: a `.wav` uri, the optional cache key, beta's `loop`, and any other
/// property a client sent (Graph types are open; nothing is dropped).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Prompt {
    pub uri: PromptUri,
    pub resource_id: Option<String>,
    /// beta `mediaPrompt.loop` (Int32).
    pub r#loop: Option<i32>,
    /// Unknown properties of the `mediaPrompt`, in arrival order.
    pub extra: Map<String, Value>,
    /// Unknown properties of its `mediaInfo`.
    pub media_extra: Map<String, Value>,
}

impl Prompt {
    pub fn new(uri: PromptUri) -> Prompt {
        Prompt { uri, resource_id: None, r#loop: None, extra: Map::new(), media_extra: Map::new() }
    }
}

impl Serialize for Prompt {
    /// The wire `mediaPrompt`, both discriminators written (the docs' playPrompt example).
    /// Destructured whole: a new field does not compile until it is written.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct MediaInfo<'a>(&'a PromptUri, &'a Option<String>, &'a Map<String, Value>);
        impl Serialize for MediaInfo<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let MediaInfo(uri, resource_id, extra) = *self;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("@odata.type", MEDIA_INFO_TYPE)?;
                map.serialize_entry("uri", uri)?;
                if let Some(id) = resource_id {
                    map.serialize_entry("resourceId", id)?;
                }
                for (k, v) in extra {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
        let Prompt { uri, resource_id, r#loop, extra, media_extra } = self;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("@odata.type", MEDIA_PROMPT_TYPE)?;
        map.serialize_entry("mediaInfo", &MediaInfo(uri, resource_id, media_extra))?;
        if let Some(n) = r#loop {
            map.serialize_entry("loop", n)?;
        }
        for (k, v) in extra {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl PlayPrompt {
    pub fn new(prompts: Vec<Prompt>) -> Result<PlayPrompt, Refused> {
        check_count("playPrompt", prompts.len(), PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX)?;
        Ok(PlayPrompt { client_context: None, prompts, r#loop: None })
    }

    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }
}

impl RecordResponse {
    pub fn new(prompts: Vec<Prompt>) -> Result<RecordResponse, Refused> {
        check_count("recordResponse", prompts.len(), 0, RECORD_PROMPTS_MAX)?;
        Ok(RecordResponse { prompts, ..RecordResponse::default() })
    }

    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }
}

/// A count of prompts within `min..=max`, refused in words a caller reads.
pub(super) fn check_count(action: &str, given: usize, min: usize, max: usize) -> Result<(), Refused> {
    if (min..=max).contains(&given) {
        return Ok(());
    }
    let range = if min == 0 { format!("at most {max}") } else { format!("{min} to {max}") };
    Err(Refused(format!("{action} takes {range} prompts, got {given}")))
}

impl Action {
    pub fn kind(&self) -> OperationKind {
        match self {
            Action::CancelMediaProcessing(_) => OperationKind::CancelMediaProcessing,
            Action::SubscribeToTone(_) => OperationKind::SubscribeToTone,
            Action::PlayPrompt(_) => OperationKind::PlayPrompt,
            Action::RecordResponse(_) => OperationKind::RecordResponse,
        }
    }

    pub fn client_context(&self) -> Option<&ClientContext> {
        match self {
            Action::CancelMediaProcessing(o) | Action::SubscribeToTone(o) => o.client_context.as_ref(),
            Action::PlayPrompt(o) => o.client_context.as_ref(),
            Action::RecordResponse(o) => o.client_context.as_ref(),
        }
    }

    /// The prompts the action plays, in order (none for cancel and subscribe).
    pub fn prompts(&self) -> &[Prompt] {
        match self {
            Action::PlayPrompt(o) => o.prompts(),
            Action::RecordResponse(o) => o.prompts(),
            Action::CancelMediaProcessing(_) | Action::SubscribeToTone(_) => &[],
        }
    }

    /// The first beta-only parameter set, as its JSON Pointer under the body.
    pub fn beta_only_parameter(&self) -> Option<String> {
        let prompt_loop =
            |prompts: &[Prompt]| prompts.iter().position(|p| p.r#loop.is_some()).map(|i| format!("/prompts/{i}/loop"));
        match self {
            Action::PlayPrompt(o) if o.r#loop.is_some() => Some("/loop".into()),
            Action::RecordResponse(o) if o.stream_while_recording.is_some() => Some("/streamWhileRecording".into()),
            other => prompt_loop(other.prompts()),
        }
    }
}

impl Serialize for Action {
    /// The action's body object.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Action::CancelMediaProcessing(o) | Action::SubscribeToTone(o) => o.serialize(s),
            Action::PlayPrompt(o) => o.serialize(s),
            Action::RecordResponse(o) => o.serialize(s),
        }
    }
}

impl MediaRequest {
    /// Joins the parts, refusing a beta-only parameter under v1.0 (the path of the first one,
    /// under the body, comes with the refusal).
    pub fn new(version: ApiVersion, call_id: CallId, action: Action) -> Result<MediaRequest, (String, Refused)> {
        if version == ApiVersion::V1 {
            if let Some(path) = action.beta_only_parameter() {
                let name = path.rsplit('/').next().unwrap_or_default().to_owned();
                return Err((
                    path,
                    Refused(format!(
                        "{name} is a beta-only parameter of {}; this request targets v1.0",
                        action.kind().action()
                    )),
                ));
            }
        }
        Ok(MediaRequest { version, call_id, action })
    }

    pub fn version(&self) -> ApiVersion {
        self.version
    }

    pub fn call_id(&self) -> &CallId {
        &self.call_id
    }

    pub fn action(&self) -> &Action {
        &self.action
    }

    pub fn kind(&self) -> OperationKind {
        self.action.kind()
    }

    /// The URL path after the origin: `/v1.0/communications/calls/{id}/{action}`.
    pub fn path(&self) -> String {
        let (version, call, action) = (self.version.as_str(), self.call_id.path_segment(), self.kind().action());
        let mut path = String::with_capacity(version.len() + call.len() + action.len() + 24);
        for part in ["/", version, "/communications/calls/", &call, "/", action] {
            path.push_str(part);
        }
        path
    }
}

impl Serialize for MediaRequest {
    /// `validateRequest`'s value: `{version, callId, operation, body}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("MediaRequest", 4)?;
        st.serialize_field("version", self.version.as_str())?;
        st.serialize_field("callId", &self.call_id)?;
        st.serialize_field("operation", self.kind().action())?;
        st.serialize_field("body", &self.action)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(uri: &str) -> Prompt {
        Prompt::new(PromptUri::try_from(uri).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn prompt_counts_at_their_boundaries() {
        assert!(PlayPrompt::new(vec![]).is_err());
        assert!(PlayPrompt::new(vec![prompt("https://a/x.wav"); PLAY_PROMPTS_MAX]).is_ok());
        assert!(PlayPrompt::new(vec![prompt("https://a/x.wav"); PLAY_PROMPTS_MAX + 1]).is_err());
        assert!(RecordResponse::new(vec![]).is_ok());
        assert!(RecordResponse::new(vec![prompt("https://a/x.wav")]).is_ok());
        assert!(RecordResponse::new(vec![prompt("https://a/x.wav"); 2]).is_err());
    }

    #[test]
    fn body_in_docs_order_with_both_discriminators() -> Result<(), Refused> {
        let mut play = PlayPrompt::new(vec![prompt("https://cdn.contoso.com/beep.wav")])?;
        play.client_context = Some(ClientContext::try_from("ctx")?);
        assert_eq!(
            serde_json::to_string(&Action::PlayPrompt(play)).unwrap_or_default(),
            r##"{"clientContext":"ctx","prompts":[{"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"@odata.type":"#microsoft.graph.mediaInfo","uri":"https://cdn.contoso.com/beep.wav"}}]}"##
        );
        Ok(())
    }

    #[test]
    fn beta_parameters_refused_under_v1() -> Result<(), Refused> {
        let call = CallId::try_from("c1")?;
        let mut play = PlayPrompt::new(vec![prompt("https://a/x.wav")])?;
        play.r#loop = Some(true);
        let refused = MediaRequest::new(ApiVersion::V1, call.clone(), Action::PlayPrompt(play.clone()));
        assert_eq!(refused.map_err(|(path, _)| path), Err("/loop".to_owned()));
        assert!(MediaRequest::new(ApiVersion::Beta, call, Action::PlayPrompt(play)).is_ok());
        Ok(())
    }
}
