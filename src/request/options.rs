//! Builder options: read from a JS-shaped [`Input`] into the typed [`MediaRequest`], checked
//! rule by rule; the first refusal stops the build and names the option's JSON Pointer path.

use crate::contract::limits::*;
use crate::contract::pointer::At;
use crate::contract::{
    AccessToken, Action, BaseUrl, CallId, ClientContext, ContextOnly, MediaRequest, PlayPrompt, Prompt, PromptUri,
    RecordResponse, StopTone, TimerSeconds,
};
use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};
use crate::model::prompt::MEDIA_PROMPT_TYPE;
use crate::model::{ApiVersion, OperationKind};

/// What a builder was asked for: the typed request, where it goes and how it is authorized.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOptions {
    pub request: MediaRequest,
    pub base_url: BaseUrl,
    pub access_token: Option<AccessToken>,
}

const TARGET_KEYS: [&str; 4] = ["callId", "version", "baseUrl", "accessToken"];

impl BuildOptions {
    /// Reads the options of the builder of `kind`.
    pub fn from_input(input: &Input, kind: OperationKind) -> Result<BuildOptions, Error> {
        let (declared, beta) = parameters(kind);
        let known: Vec<&str> = TARGET_KEYS.iter().chain(declared).chain(beta).copied().collect();
        Dictionary::options("this builder", &known).read(input, "", true)?;
        let call_id = match input.get("callId") {
            Input::String(id) => checked(CallId::try_from(id.as_str()), &At::Root.key("callId"))?,
            absent if absent.is_absent() => return Err(Error::invalid_argument("/callId", "callId is required")),
            other => return Err(wrong_type(&At::Root.key("callId"), "a string", other)),
        };
        let version = match input.get("version") {
            absent if absent.is_absent() => ApiVersion::V1,
            Input::String(v) => ApiVersion::from_segment(v).ok_or_else(|| {
                Error::invalid_argument("/version", format!("version must be 'v1.0' or 'beta', got {v:?}"))
            })?,
            other => return Err(wrong_type(&At::Root.key("version"), "'v1.0' or 'beta'", other)),
        };
        let base_url = match input.get("baseUrl") {
            absent if absent.is_absent() => BaseUrl::graph(),
            Input::String(url) => checked(BaseUrl::try_from(url.as_str()), &At::Root.key("baseUrl"))?,
            other => return Err(wrong_type(&At::Root.key("baseUrl"), "a string", other)),
        };
        let access_token = optional(input, "accessToken", |value, at| match value {
            Input::String(token) => checked(AccessToken::try_from(token.as_str()), at),
            other => Err(wrong_type(at, "a string", other)),
        })?;
        let reader = Reader { input, version, action: kind.action() };
        let action = match kind {
            OperationKind::CancelMediaProcessing => Action::CancelMediaProcessing(reader.context_only()?),
            OperationKind::SubscribeToTone => Action::SubscribeToTone(reader.context_only()?),
            OperationKind::PlayPrompt => Action::PlayPrompt(reader.play_prompt()?),
            OperationKind::RecordResponse => Action::RecordResponse(reader.record_response()?),
        };
        let request =
            MediaRequest::new(version, call_id, action).map_err(|(path, why)| Error::invalid_argument(path, why.0))?;
        Ok(BuildOptions { request, base_url, access_token })
    }
}

/// Reads one action's own options.
struct Reader<'a> {
    input: &'a Input,
    version: ApiVersion,
    action: &'static str,
}

impl Reader<'_> {
    fn client_context(&self) -> Result<Option<ClientContext>, Error> {
        optional(self.input, "clientContext", |value, at| match value {
            Input::String(text) => checked(ClientContext::try_from(text.as_str()), at),
            other => Err(wrong_type(at, "a string", other)),
        })
    }

    fn context_only(&self) -> Result<ContextOnly, Error> {
        Ok(ContextOnly { client_context: self.client_context()? })
    }

    fn play_prompt(&self) -> Result<PlayPrompt, Error> {
        let prompts = self.prompts(true)?;
        let mut play = checked(PlayPrompt::new(prompts), &At::Root.key("prompts"))?;
        play.r#loop = self.beta_only("loop")?.map(|v| read_bool(v, &At::Root.key("loop"))).transpose()?;
        play.client_context = self.client_context()?;
        Ok(play)
    }

    fn record_response(&self) -> Result<RecordResponse, Error> {
        let prompts = match self.input.get("prompts") {
            absent if absent.is_absent() => Vec::new(),
            _ => self.prompts(false)?,
        };
        let mut record = checked(RecordResponse::new(prompts), &At::Root.key("prompts"))?;
        record.stream_while_recording = self
            .beta_only("streamWhileRecording")?
            .map(|v| read_bool(v, &At::Root.key("streamWhileRecording")))
            .transpose()?;
        record.barge_in_allowed = optional(self.input, "bargeInAllowed", read_bool)?;
        record.initial_silence_timeout_in_seconds =
            optional(self.input, "initialSilenceTimeoutInSeconds", read_seconds)?;
        record.max_silence_timeout_in_seconds = optional(self.input, "maxSilenceTimeoutInSeconds", read_seconds)?;
        record.max_record_duration_in_seconds = optional(self.input, "maxRecordDurationInSeconds", read_seconds)?;
        record.play_beep = optional(self.input, "playBeep", read_bool)?;
        record.stop_tones = optional(self.input, "stopTones", read_stop_tones)?;
        record.client_context = self.client_context()?;
        Ok(record)
    }

    /// A beta-only option: refused under v1.0 with a message that says so.
    fn beta_only(&self, key: &str) -> Result<Option<&Input>, Error> {
        match self.input.get(key) {
            absent if absent.is_absent() => Ok(None),
            _ if self.version != ApiVersion::Beta => Err(Error::invalid_argument(
                format!("/{key}"),
                format!("{key} is a beta-only parameter of {}; set version: 'beta' to send it", self.action),
            )),
            given => Ok(Some(given)),
        }
    }

    fn prompts(&self, required: bool) -> Result<Vec<Prompt>, Error> {
        let items = match self.input.get("prompts") {
            Input::Array(items) => items,
            absent if absent.is_absent() && required => {
                return Err(Error::invalid_argument("/prompts", format!("prompts is required by {}", self.action)))
            }
            other => return Err(wrong_type(&At::Root.key("prompts"), "an array of prompts", other)),
        };
        // The count is checked before any prompt is read, so the first refusal is the count's.
        let (min, max) = if required { (PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX) } else { (0, RECORD_PROMPTS_MAX) };
        if !(min..=max).contains(&items.len()) {
            let range = if min == 0 { format!("at most {max}") } else { format!("{min} to {max}") };
            return Err(Error::invalid_argument(
                "/prompts",
                format!("{} takes {range} prompts, got {}", self.action, items.len()),
            ));
        }
        let prompts = At::Root.key("prompts");
        items.iter().enumerate().map(|(i, item)| self.prompt(item, &prompts.index(i))).collect()
    }

    /// A prompt is a bare uri, `{uri, resourceId?}`, or the wire `mediaPrompt` shape.
    fn prompt(&self, item: &Input, at: &At) -> Result<Prompt, Error> {
        match item {
            Input::String(uri) => Ok(Prompt::new(checked(PromptUri::try_from(uri.as_str()), at)?)),
            Input::Object(entries) if entries.iter().any(|(k, _)| k == "mediaInfo" || k == "@odata.type") => {
                allow_keys(entries, at, &["@odata.type", "mediaInfo", "loop"])?;
                match item.get("@odata.type") {
                    absent if absent.is_absent() => {}
                    Input::String(t) if t == MEDIA_PROMPT_TYPE => {}
                    other => {
                        return Err(Error::invalid_argument(
                            at.key("@odata.type").pointer(),
                            format!("a prompt's @odata.type must be \"{MEDIA_PROMPT_TYPE}\", got {}", Shown(other)),
                        ))
                    }
                }
                let media_at = at.key("mediaInfo");
                let media = item.get("mediaInfo");
                let Input::Object(media_entries) = media else {
                    return Err(wrong_type(&media_at, "a mediaInfo object", media));
                };
                allow_keys(media_entries, &media_at, &["@odata.type", "uri", "resourceId"])?;
                match media.get("@odata.type") {
                    absent if absent.is_absent() => {}
                    Input::String(t) if t == crate::model::prompt::MEDIA_INFO_TYPE => {}
                    other => {
                        return Err(Error::invalid_argument(
                            media_at.key("@odata.type").pointer(),
                            format!(
                                "mediaInfo's @odata.type must be \"{}\", got {}",
                                crate::model::prompt::MEDIA_INFO_TYPE,
                                Shown(other)
                            ),
                        ))
                    }
                }
                let mut prompt = read_uri_and_resource(media, &media_at)?;
                prompt.r#loop = match item.get("loop") {
                    absent if absent.is_absent() => None,
                    _ if self.version != ApiVersion::Beta => {
                        return Err(Error::invalid_argument(
                            at.key("loop").pointer(),
                            "mediaPrompt.loop is beta-only; set version: 'beta' to send it",
                        ))
                    }
                    Input::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= i32::MAX as f64 => Some(*n as i32),
                    other => return Err(wrong_type(&at.key("loop"), "a whole number ≥ 0", other)),
                };
                Ok(prompt)
            }
            Input::Object(entries) => {
                allow_keys(entries, at, &["uri", "resourceId"])?;
                read_uri_and_resource(item, at)
            }
            other => Err(wrong_type(at, "a uri string or a {uri, resourceId} object", other)),
        }
    }
}

/// Turns a value's refusal into an `invalidArgument` error at `at`.
fn checked<T>(result: Result<T, crate::contract::Refused>, at: &At) -> Result<T, Error> {
    result.map_err(|why| Error::invalid_argument(at.pointer(), why.0))
}

/// Reads `key` with `read` when it is given (`undefined` and `null` mean "not given").
fn optional<T>(input: &Input, key: &str, read: impl Fn(&Input, &At) -> Result<T, Error>) -> Result<Option<T>, Error> {
    match input.get(key) {
        absent if absent.is_absent() => Ok(None),
        given => read(given, &At::Root.key(key)).map(Some),
    }
}

fn read_bool(value: &Input, at: &At) -> Result<bool, Error> {
    match value {
        Input::Bool(b) => Ok(*b),
        other => Err(wrong_type(at, "a boolean", other)),
    }
}

/// A recordResponse timer: whole seconds from 1 to 120.
fn read_seconds(value: &Input, at: &At) -> Result<TimerSeconds, Error> {
    let Input::Number(n) = value else {
        return Err(wrong_type(at, "a whole number of seconds", value));
    };
    TimerSeconds::try_from(*n).map_err(|_| {
        let path = at.pointer();
        let message = format!(
            "{} must be a whole number of seconds from {TIMER_SECONDS_MIN} to {TIMER_SECONDS_MAX}, got {}",
            &path[1..],
            Shown(value)
        );
        Error::invalid_argument(path, message)
    })
}

fn read_stop_tones(value: &Input, at: &At) -> Result<Vec<StopTone>, Error> {
    let Input::Array(items) = value else {
        return Err(wrong_type(at, "an array of DTMF characters", value));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Input::String(text) => checked(StopTone::try_from(text.as_str()), &at.index(i)),
            other => Err(wrong_type(&at.index(i), "a DTMF character", other)),
        })
        .collect()
}

fn read_uri_and_resource(object: &Input, at: &At) -> Result<Prompt, Error> {
    let uri_at = at.key("uri");
    let uri = match object.get("uri") {
        Input::String(uri) => checked(PromptUri::try_from(uri.as_str()), &uri_at)?,
        absent if absent.is_absent() => return Err(Error::invalid_argument(uri_at.pointer(), "a prompt needs a uri")),
        other => return Err(wrong_type(&uri_at, "a string", other)),
    };
    let resource_at = at.key("resourceId");
    let resource_id = match object.get("resourceId") {
        absent if absent.is_absent() => None,
        Input::String(id) if !id.is_empty() => Some(id.clone()),
        Input::String(_) => return Err(Error::invalid_argument(resource_at.pointer(), "resourceId must not be empty")),
        other => return Err(wrong_type(&resource_at, "a string", other)),
    };
    let mut prompt = Prompt::new(uri);
    prompt.resource_id = resource_id;
    Ok(prompt)
}

fn allow_keys(entries: &[(String, Input)], at: &At, allowed: &[&str]) -> Result<(), Error> {
    let (dictionary, base) = (Dictionary::properties("a prompt", allowed), at.pointer());
    let unknown = dictionary.unknown(entries, &base).next();
    unknown.map_or(Ok(()), |unknown| Err(unknown.into_error()))
}

fn wrong_type(at: &At, expected: &str, got: &Input) -> Error {
    let path = at.pointer();
    let name = if path.is_empty() { "options" } else { &path[1..] };
    let message = format!("{name} must be {expected}, got {}", Shown(got));
    Error::invalid_argument(path, message)
}
