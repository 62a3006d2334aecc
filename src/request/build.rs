//! Typed options → the exact HTTP request. Bodies carry only what the caller set, in the key
//! order of the docs' examples; no service default is invented on the wire.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{MediaPrompt, OperationKind};

use super::options::*;
use super::rules::encode_segment;

/// An HTTP request, shaped so that `fetch(req.url, req)` sends it as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphRequest {
    pub method: &'static str,
    pub url: String,
    /// Header names as Graph's docs print them; insertion-ordered.
    pub headers: Map<String, Value>,
    pub body: String,
    /// The action's name: `cancelMediaProcessing`, `playPrompt`, …
    pub operation: &'static str,
    /// POSTing an action twice does it twice: never retry blindly.
    pub idempotent: bool,
}

impl GraphRequest {
    fn post(target: &Target, kind: OperationKind, body: Map<String, Value>) -> GraphRequest {
        let url = format!(
            "{}/{}/communications/calls/{}/{}",
            target.base_url,
            target.version.as_str(),
            encode_segment(&target.call_id),
            kind.action()
        );
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), "application/json".into());
        if let Some(token) = &target.access_token {
            headers.insert("Authorization".into(), format!("Bearer {token}").into());
        }
        GraphRequest {
            method: "POST",
            url,
            headers,
            body: Value::Object(body).to_string(),
            operation: kind.action(),
            idempotent: false,
        }
    }
}

fn put<T: Into<Value>>(body: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        body.insert(key.to_owned(), value.into());
    }
}

fn prompts_value(prompts: &[PromptSpec]) -> Value {
    Value::Array(
        prompts
            .iter()
            .map(|p| {
                let mut prompt = MediaPrompt::new(&p.uri, p.resource_id.as_deref());
                prompt.r#loop = p.r#loop;
                serde_json::to_value(prompt).unwrap_or(Value::Null)
            })
            .collect(),
    )
}

impl CancelMediaProcessingOptions {
    pub fn build(&self) -> GraphRequest {
        let mut body = Map::new();
        put(&mut body, "clientContext", self.client_context.clone());
        GraphRequest::post(&self.target, OperationKind::CancelMediaProcessing, body)
    }
}

impl SubscribeToToneOptions {
    pub fn build(&self) -> GraphRequest {
        let mut body = Map::new();
        put(&mut body, "clientContext", self.client_context.clone());
        GraphRequest::post(&self.target, OperationKind::SubscribeToTone, body)
    }
}

impl PlayPromptOptions {
    pub fn build(&self) -> GraphRequest {
        let mut body = Map::new();
        put(&mut body, "clientContext", self.client_context.clone());
        body.insert("prompts".into(), prompts_value(&self.prompts));
        put(&mut body, "loop", self.r#loop);
        GraphRequest::post(&self.target, OperationKind::PlayPrompt, body)
    }
}

impl RecordResponseOptions {
    pub fn build(&self) -> GraphRequest {
        let mut body = Map::new();
        put(&mut body, "bargeInAllowed", self.barge_in_allowed);
        put(&mut body, "clientContext", self.client_context.clone());
        if !self.prompts.is_empty() {
            body.insert("prompts".into(), prompts_value(&self.prompts));
        }
        put(&mut body, "maxRecordDurationInSeconds", self.max_record_duration_in_seconds);
        put(&mut body, "initialSilenceTimeoutInSeconds", self.initial_silence_timeout_in_seconds);
        put(&mut body, "maxSilenceTimeoutInSeconds", self.max_silence_timeout_in_seconds);
        put(&mut body, "playBeep", self.play_beep);
        put(&mut body, "streamWhileRecording", self.stream_while_recording);
        if let Some(tones) = &self.stop_tones {
            body.insert("stopTones".into(), tones.iter().map(|c| Value::String(c.to_string())).collect());
        }
        GraphRequest::post(&self.target, OperationKind::RecordResponse, body)
    }
}
