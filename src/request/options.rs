//! Builder options: read from a JS-shaped [`Input`], checked rule by rule, each refusal naming
//! the option's JSON Pointer path. The typed results are what `build` turns into requests.

use crate::error::Error;
use crate::input::{Input, Shown};
use crate::model::{ApiVersion, OperationKind};
use crate::validate::pointer::escape_token;

use super::limits::*;
use super::rules;

/// Where a request goes and how it is authorized: the options every builder shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub call_id: String,
    pub version: ApiVersion,
    /// An http(s) origin without trailing slash.
    pub base_url: String,
    pub access_token: Option<String>,
}

const TARGET_KEYS: [&str; 4] = ["callId", "version", "baseUrl", "accessToken"];

#[derive(Debug, Clone, PartialEq)]
pub struct CancelMediaProcessingOptions {
    pub target: Target,
    pub client_context: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubscribeToToneOptions {
    pub target: Target,
    pub client_context: Option<String>,
}

/// One prompt to play: a `.wav` uri and the optional cache key.
#[derive(Debug, Clone, PartialEq)]
pub struct PromptSpec {
    pub uri: String,
    pub resource_id: Option<String>,
    /// beta `mediaPrompt.loop` (Int32), only from the wire shape.
    pub r#loop: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlayPromptOptions {
    pub target: Target,
    pub prompts: Vec<PromptSpec>,
    pub client_context: Option<String>,
    /// beta only: loop the prompts until canceled.
    pub r#loop: Option<bool>,
}

/// recordResponse; `None` means "not sent": the service default applies (see `limits`).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordResponseOptions {
    pub target: Target,
    pub prompts: Vec<PromptSpec>,
    pub barge_in_allowed: Option<bool>,
    pub initial_silence_timeout_in_seconds: Option<u32>,
    pub max_silence_timeout_in_seconds: Option<u32>,
    pub max_record_duration_in_seconds: Option<u32>,
    pub play_beep: Option<bool>,
    pub stop_tones: Option<Vec<char>>,
    /// beta only.
    pub stream_while_recording: Option<bool>,
    pub client_context: Option<String>,
}

impl CancelMediaProcessingOptions {
    pub fn from_input(input: &Input) -> Result<Self, Error> {
        let target = read_target(input, OperationKind::CancelMediaProcessing)?;
        Ok(CancelMediaProcessingOptions { target, client_context: client_context(input)? })
    }
}

impl SubscribeToToneOptions {
    pub fn from_input(input: &Input) -> Result<Self, Error> {
        let target = read_target(input, OperationKind::SubscribeToTone)?;
        Ok(SubscribeToToneOptions { target, client_context: client_context(input)? })
    }
}

impl PlayPromptOptions {
    pub fn from_input(input: &Input) -> Result<Self, Error> {
        let target = read_target(input, OperationKind::PlayPrompt)?;
        let prompts =
            read_prompts(input.get("prompts"), PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX, target.version, "playPrompt")?;
        let r#loop =
            beta_only(input, "loop", target.version, "playPrompt")?.map(|v| read_bool(v, "/loop")).transpose()?;
        Ok(PlayPromptOptions { client_context: client_context(input)?, target, prompts, r#loop })
    }
}

impl RecordResponseOptions {
    pub fn from_input(input: &Input) -> Result<Self, Error> {
        let target = read_target(input, OperationKind::RecordResponse)?;
        let prompts = match input.get("prompts") {
            absent if absent.is_absent() => Vec::new(),
            given => read_prompts(given, 0, RECORD_PROMPTS_MAX, target.version, "recordResponse")?,
        };
        let stream_while_recording = beta_only(input, "streamWhileRecording", target.version, "recordResponse")?
            .map(|v| read_bool(v, "/streamWhileRecording"))
            .transpose()?;
        Ok(RecordResponseOptions {
            prompts,
            barge_in_allowed: optional(input, "bargeInAllowed", read_bool)?,
            initial_silence_timeout_in_seconds: optional(input, "initialSilenceTimeoutInSeconds", read_seconds)?,
            max_silence_timeout_in_seconds: optional(input, "maxSilenceTimeoutInSeconds", read_seconds)?,
            max_record_duration_in_seconds: optional(input, "maxRecordDurationInSeconds", read_seconds)?,
            play_beep: optional(input, "playBeep", read_bool)?,
            stop_tones: optional(input, "stopTones", read_stop_tones)?,
            stream_while_recording,
            client_context: client_context(input)?,
            target,
        })
    }
}

/// Reads the shared options and refuses any key that neither they nor the action's parameters
/// name (beta-only parameters are refused under v1.0 by `beta_only`).
fn read_target(input: &Input, kind: OperationKind) -> Result<Target, Error> {
    let (declared, beta) = parameters(kind);
    let own_keys: Vec<&str> = declared.iter().chain(beta).copied().collect();
    let Input::Object(entries) = input else {
        return Err(Error::invalid_argument("", format!("options must be an object, got {}", input.type_name())));
    };
    for (key, _) in entries {
        if !TARGET_KEYS.contains(&key.as_str()) && !own_keys.contains(&key.as_str()) {
            let known: Vec<&str> = TARGET_KEYS.iter().chain(&own_keys).copied().collect();
            return Err(Error::invalid_argument(
                format!("/{}", escape_token(key)),
                format!("unknown option {key:?}; this builder takes {}", known.join(", ")),
            ));
        }
    }
    let call_id = match input.get("callId") {
        Input::String(id) => {
            rules::check_call_id(id).map_err(|why| Error::invalid_argument("/callId", why))?;
            id.clone()
        }
        absent if absent.is_absent() => return Err(Error::invalid_argument("/callId", "callId is required")),
        other => return Err(wrong_type("/callId", "a string", other)),
    };
    let version = match input.get("version") {
        absent if absent.is_absent() => ApiVersion::V1,
        Input::String(v) => ApiVersion::from_segment(v).ok_or_else(|| {
            Error::invalid_argument("/version", format!("version must be 'v1.0' or 'beta', got {v:?}"))
        })?,
        other => return Err(wrong_type("/version", "'v1.0' or 'beta'", other)),
    };
    let base_url = match input.get("baseUrl") {
        absent if absent.is_absent() => DEFAULT_BASE_URL.to_owned(),
        Input::String(url) => rules::check_base_url(url).map_err(|why| Error::invalid_argument("/baseUrl", why))?,
        other => return Err(wrong_type("/baseUrl", "a string", other)),
    };
    let access_token = optional(input, "accessToken", |value, path| match value {
        Input::String(token) => {
            rules::check_access_token(token).map_err(|why| Error::invalid_argument(path, why))?;
            Ok(token.clone())
        }
        other => Err(wrong_type(path, "a string", other)),
    })?;
    Ok(Target { call_id, version, base_url, access_token })
}

fn client_context(input: &Input) -> Result<Option<String>, Error> {
    optional(input, "clientContext", |value, path| match value {
        Input::String(text) => {
            rules::check_client_context(text).map_err(|why| Error::invalid_argument(path, why))?;
            Ok(text.clone())
        }
        other => Err(wrong_type(path, "a string", other)),
    })
}

/// Reads `key` with `read` when it is given (`undefined` and `null` mean "not given").
fn optional<T>(input: &Input, key: &str, read: impl Fn(&Input, &str) -> Result<T, Error>) -> Result<Option<T>, Error> {
    match input.get(key) {
        absent if absent.is_absent() => Ok(None),
        given => read(given, &format!("/{key}")).map(Some),
    }
}

/// A beta-only option: refused under v1.0 with a message that says so.
fn beta_only<'a>(input: &'a Input, key: &str, version: ApiVersion, action: &str) -> Result<Option<&'a Input>, Error> {
    match input.get(key) {
        absent if absent.is_absent() => Ok(None),
        _ if version != ApiVersion::Beta => Err(Error::invalid_argument(
            format!("/{key}"),
            format!("{key} is a beta-only parameter of {action}; set version: 'beta' to send it"),
        )),
        given => Ok(Some(given)),
    }
}

fn read_bool(value: &Input, path: &str) -> Result<bool, Error> {
    match value {
        Input::Bool(b) => Ok(*b),
        other => Err(wrong_type(path, "a boolean", other)),
    }
}

/// A recordResponse timer: whole seconds from 1 to 120.
fn read_seconds(value: &Input, path: &str) -> Result<u32, Error> {
    let Input::Number(n) = value else {
        return Err(wrong_type(path, "a whole number of seconds", value));
    };
    let n = *n;
    if !n.is_finite() || n.fract() != 0.0 || n < TIMER_SECONDS_MIN as f64 || n > TIMER_SECONDS_MAX as f64 {
        return Err(Error::invalid_argument(
            path,
            format!(
                "{} must be a whole number of seconds from {TIMER_SECONDS_MIN} to {TIMER_SECONDS_MAX}, got {}",
                &path[1..],
                Shown(value)
            ),
        ));
    }
    Ok(n as u32)
}

fn read_stop_tones(value: &Input, path: &str) -> Result<Vec<char>, Error> {
    let Input::Array(items) = value else {
        return Err(wrong_type(path, "an array of DTMF characters", value));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item_path = format!("{path}/{i}");
            let Input::String(text) = item else {
                return Err(wrong_type(&item_path, "a DTMF character", item));
            };
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(key), None) if STOP_TONE_KEYS.contains(key) => Ok(key),
                _ => {
                    let hint = if text.len() == 1 && STOP_TONE_KEYS.contains(&text.to_ascii_uppercase()) {
                        format!(" (did you mean {:?}?)", text.to_ascii_uppercase())
                    } else {
                        String::new()
                    };
                    Err(Error::invalid_argument(
                        item_path,
                        format!("a stop tone is one DTMF character of 0-9 * # A-D, got {text:?}{hint}"),
                    ))
                }
            }
        })
        .collect()
}

fn read_prompts(
    value: &Input,
    min: usize,
    max: usize,
    version: ApiVersion,
    action: &str,
) -> Result<Vec<PromptSpec>, Error> {
    let items = match value {
        Input::Array(items) => items,
        absent if absent.is_absent() => {
            return Err(Error::invalid_argument("/prompts", format!("prompts is required by {action}")))
        }
        other => return Err(wrong_type("/prompts", "an array of prompts", other)),
    };
    if items.len() < min || items.len() > max {
        let range = if min == 0 { format!("at most {max}") } else { format!("{min} to {max}") };
        return Err(Error::invalid_argument(
            "/prompts",
            format!("{action} takes {range} prompts, got {}", items.len()),
        ));
    }
    items.iter().enumerate().map(|(i, item)| read_prompt(item, &format!("/prompts/{i}"), version)).collect()
}

/// A prompt is a bare uri, `{uri, resourceId?}`, or the wire `mediaPrompt` shape.
fn read_prompt(item: &Input, path: &str, version: ApiVersion) -> Result<PromptSpec, Error> {
    match item {
        Input::String(uri) => {
            rules::check_prompt_uri(uri).map_err(|why| Error::invalid_argument(path, why))?;
            Ok(PromptSpec { uri: uri.clone(), resource_id: None, r#loop: None })
        }
        Input::Object(entries) if entries.iter().any(|(k, _)| k == "mediaInfo" || k == "@odata.type") => {
            allow_keys(entries, path, &["@odata.type", "mediaInfo", "loop"])?;
            match item.get("@odata.type") {
                absent if absent.is_absent() => {}
                Input::String(t) if t == crate::model::prompt::MEDIA_PROMPT_TYPE => {}
                other => {
                    return Err(Error::invalid_argument(
                        format!("{path}/@odata.type"),
                        format!(
                            "a prompt's @odata.type must be \"#microsoft.graph.mediaPrompt\", got {}",
                            Shown(other)
                        ),
                    ))
                }
            }
            let media_path = format!("{path}/mediaInfo");
            let media = item.get("mediaInfo");
            let Input::Object(media_entries) = media else {
                return Err(wrong_type(&media_path, "a mediaInfo object", media));
            };
            allow_keys(media_entries, &media_path, &["@odata.type", "uri", "resourceId"])?;
            let mut spec = read_uri_and_resource(media, &media_path)?;
            spec.r#loop = match item.get("loop") {
                absent if absent.is_absent() => None,
                _ if version != ApiVersion::Beta => {
                    return Err(Error::invalid_argument(
                        format!("{path}/loop"),
                        "mediaPrompt.loop is beta-only; set version: 'beta' to send it",
                    ))
                }
                Input::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= i32::MAX as f64 => Some(*n as i32),
                other => return Err(wrong_type(&format!("{path}/loop"), "a whole number ≥ 0", other)),
            };
            Ok(spec)
        }
        Input::Object(entries) => {
            allow_keys(entries, path, &["uri", "resourceId"])?;
            read_uri_and_resource(item, path)
        }
        other => Err(wrong_type(path, "a uri string or a {uri, resourceId} object", other)),
    }
}

fn read_uri_and_resource(object: &Input, path: &str) -> Result<PromptSpec, Error> {
    let uri_path = format!("{path}/uri");
    let uri = match object.get("uri") {
        Input::String(uri) => {
            rules::check_prompt_uri(uri).map_err(|why| Error::invalid_argument(&uri_path, why))?;
            uri.clone()
        }
        absent if absent.is_absent() => return Err(Error::invalid_argument(uri_path, "a prompt needs a uri")),
        other => return Err(wrong_type(&uri_path, "a string", other)),
    };
    let resource_id = optional(object, "resourceId", |value, key_path| match value {
        Input::String(id) if !id.is_empty() => Ok(id.clone()),
        Input::String(_) => Err(Error::invalid_argument(format!("{path}{key_path}"), "resourceId must not be empty")),
        other => Err(wrong_type(&format!("{path}{key_path}"), "a string", other)),
    })?;
    Ok(PromptSpec { uri, resource_id, r#loop: None })
}

fn allow_keys(entries: &[(String, Input)], path: &str, allowed: &[&str]) -> Result<(), Error> {
    match entries.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        Some((key, _)) => Err(Error::invalid_argument(
            format!("{path}/{}", escape_token(key)),
            format!("unknown property {key:?}; expected {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn wrong_type(path: &str, expected: &str, got: &Input) -> Error {
    let name = if path.is_empty() { "options" } else { &path[1..] };
    Error::invalid_argument(path, format!("{name} must be {expected}, got {}", Shown(got)))
}
