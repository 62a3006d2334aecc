//! The one reader of an action's parameters, for builders and `validateRequest` alike: it
//! checks every rule of the contract, collects every fault as an issue at its JSON Pointer, and
//! reads what passes into the typed [`Action`]. `validateRequest` reports the issues; a builder
//! throws the first error. Builder options are the same parameters in a friendlier dialect
//! (prompts may be a bare uri or `{uri, resourceId}`, and their typos are refused).

use graph_ivr_json::tree::{Map, Value};

use crate::input::Dictionary;
use crate::model::prompt::{MEDIA_INFO_TYPE, MEDIA_PROMPT_TYPE};
use crate::model::{ApiVersion, OperationKind};

use super::action::{check_count, Action, ContextOnly, PlayPrompt, Prompt, RecordResponse};
use super::check::{Checker, Field};
use super::issue::{json_type, shown, IssueCode};
use super::limits::{
    parameters, CLIENT_CONTEXT_MAX, PLAY_PROMPTS_MAX, PLAY_PROMPTS_MIN, RECORD_PROMPTS_MAX, TIMER_SECONDS_MAX,
    TIMER_SECONDS_MIN,
};
use super::pointer::At;
use super::values::{ClientContext, PromptUri, StopTone, TimerSeconds};

/// Who hands the parameters over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A builder's options: prompts may be shorthand, unknown properties of a prompt are typos.
    Options,
    /// A request's JSON body: the wire shape, open to properties Graph may add.
    Request,
}

impl Dialect {
    /// How a beta-only parameter is asked for.
    fn beta_advice(self) -> &'static str {
        match self {
            Dialect::Options => "set version: 'beta' to send it",
            Dialect::Request => "this request targets v1.0",
        }
    }
}

/// The properties a shorthand prompt (`{uri, resourceId}`) may have.
const SHORTHAND_PROMPT: Dictionary<'static> = Dictionary::properties("a prompt", &["uri", "resourceId"]);
const MEDIA_PROMPT_KEYS: [&str; 3] = ["@odata.type", "mediaInfo", "loop"];
const MEDIA_INFO_KEYS: [&str; 3] = ["@odata.type", "uri", "resourceId"];

impl Checker {
    /// Checks the parameters of `kind` in `body` (at `at`) and reads them into the typed action:
    /// `None` when any fault is an error (every fault is reported either way).
    pub fn action_body(
        &mut self,
        body: &mut Map<'_>,
        at: &At<'_>,
        kind: OperationKind,
        version: ApiVersion,
        dialect: Dialect,
    ) -> Option<Action> {
        let errors_before = self.issues.error_count();
        let (declared, beta_only) = parameters(kind);
        let allowed = |key: &str| declared.contains(&key) || (beta_only.contains(&key) && version == ApiVersion::Beta);
        let refused: Vec<String> = body.keys().filter(|key| !allowed(key)).map(str::to_owned).collect();
        for key in &refused {
            let message = if beta_only.contains(&key.as_str()) {
                format!("{key} is a beta-only parameter of {}; {}", kind.action(), dialect.beta_advice())
            } else {
                format!(
                    "{} does not declare a parameter {key:?}; it takes {}",
                    kind.action(),
                    declared.iter().chain(beta_only).copied().collect::<Vec<_>>().join(", ")
                )
            };
            self.issues.error(&at.key(key).pointer(), IssueCode::UnknownParameter, message).actual(key.as_str());
        }
        let client_context = self.client_context(body, at);
        let action = match kind {
            OperationKind::CancelMediaProcessing => {
                Some(Action::CancelMediaProcessing(ContextOnly { client_context: client_context? }))
            }
            OperationKind::SubscribeToTone => {
                Some(Action::SubscribeToTone(ContextOnly { client_context: client_context? }))
            }
            // Struct literals: a new parameter does not compile until it is read here.
            OperationKind::PlayPrompt => {
                let prompts = self.prompts(body, at, kind, true, version, dialect);
                let r#loop = self.boolean(body, at, Field::optional("loop").nullable());
                Some(Action::PlayPrompt(PlayPrompt { client_context: client_context?, prompts: prompts?, r#loop }))
            }
            OperationKind::RecordResponse => {
                let prompts = match body.get("prompts") {
                    None | Some(Value::Null) => Some(Vec::new()),
                    Some(_) => self.prompts(body, at, kind, false, version, dialect),
                };
                let flag = |checker: &mut Checker, key| checker.boolean(body, at, Field::optional(key).nullable());
                let barge_in_allowed = flag(self, "bargeInAllowed");
                let play_beep = flag(self, "playBeep");
                let stream_while_recording = flag(self, "streamWhileRecording");
                let initial = self.timer(body, at, "initialSilenceTimeoutInSeconds");
                let max_silence = self.timer(body, at, "maxSilenceTimeoutInSeconds");
                let max_duration = self.timer(body, at, "maxRecordDurationInSeconds");
                let stop_tones = self.stop_tones(body, at);
                Some(Action::RecordResponse(RecordResponse {
                    barge_in_allowed,
                    client_context: client_context?,
                    prompts: prompts?,
                    max_record_duration_in_seconds: max_duration?,
                    initial_silence_timeout_in_seconds: initial?,
                    max_silence_timeout_in_seconds: max_silence?,
                    play_beep,
                    stream_while_recording,
                    stop_tones: stop_tones?,
                }))
            }
        };
        // The typed action is what the checks let through: any error leaves it out.
        action.filter(|_| self.issues.error_count() == errors_before)
    }

    /// `clientContext`: `Some(None)` when absent, `None` when it is unreadable.
    fn client_context(&mut self, body: &Map<'_>, at: &At<'_>) -> Option<Option<ClientContext>> {
        let errors = self.issues.error_count();
        let Some(text) = self.string(body, at, Field::optional("clientContext").nullable()) else {
            return (self.issues.error_count() == errors).then_some(None);
        };
        match ClientContext::try_from(text) {
            Ok(context) => Some(Some(context)),
            Err(why) => {
                let path = at.key("clientContext").pointer();
                self.issues.error(&path, IssueCode::OutOfRange, why.0).expected(CLIENT_CONTEXT_MAX);
                None
            }
        }
    }

    /// A recordResponse timer, whole seconds within the documented range: `Some(None)` when
    /// absent, `None` when it is unreadable.
    fn timer(&mut self, body: &Map<'_>, at: &At<'_>, key: &str) -> Option<Option<TimerSeconds>> {
        let value = match body.get(key) {
            None | Some(Value::Null) => return Some(None),
            Some(value) => value,
        };
        let path = at.key(key).pointer();
        let Value::Number(n) = value else {
            let actual = json_type(value);
            let message = format!("{key} must be a whole number of seconds, got {}", shown(value));
            self.issues.error(&path, IssueCode::WrongType, message).expected("integer").actual(actual);
            return None;
        };
        match n.as_i64().and_then(|seconds| TimerSeconds::try_from(seconds).ok()) {
            Some(seconds) => Some(Some(seconds)),
            None => {
                self.issues
                    .error(
                        &path,
                        IssueCode::OutOfRange,
                        format!(
                            "{key} must be a whole number of seconds from {TIMER_SECONDS_MIN} to {TIMER_SECONDS_MAX}, got {n}"
                        ),
                    )
                    .expected(TIMER_SECONDS_MAX)
                    .actual(serde_json::Value::Number(n.clone()));
                None
            }
        }
    }

    fn prompts(
        &mut self,
        body: &mut Map<'_>,
        at: &At<'_>,
        kind: OperationKind,
        required: bool,
        version: ApiVersion,
        dialect: Dialect,
    ) -> Option<Vec<Prompt>> {
        let path = at.key("prompts");
        let Some(prompts) = body.get_mut("prompts") else {
            self.issues
                .error(&path.pointer(), IssueCode::MissingProperty, format!("prompts is required by {}", kind.action()))
                .expected("prompts");
            return None;
        };
        let Value::Array(items) = prompts else {
            let actual = json_type(prompts);
            let message = format!("prompts must be an array of prompts, got {}", shown(prompts));
            self.issues.error(&path.pointer(), IssueCode::WrongType, message).expected("array").actual(actual);
            return None;
        };
        let (min, max) = if required { (PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX) } else { (0, RECORD_PROMPTS_MAX) };
        if let Err(why) = check_count(kind.action(), items.len(), min, max) {
            self.issues.error(&path.pointer(), IssueCode::OutOfRange, why.0).expected(max).actual(items.len());
        }
        let mut typed = Vec::with_capacity(items.len());
        for (i, item) in items.iter_mut().enumerate() {
            // Every prompt is checked, even after one failed, so that every fault is reported.
            typed.push(self.prompt(item, &path.index(i), version, dialect));
        }
        typed.into_iter().collect()
    }

    fn prompt(&mut self, item: &mut Value<'_>, at: &At<'_>, version: ApiVersion, dialect: Dialect) -> Option<Prompt> {
        let wire = |obj: &Map<'_>| obj.get("mediaInfo").is_some() || obj.get("@odata.type").is_some();
        match (dialect, &*item) {
            (Dialect::Options, Value::String(uri)) => self.prompt_uri(uri, at).map(Prompt::new),
            (Dialect::Options, Value::Object(obj)) if !wire(obj) => self.shorthand_prompt(obj, at),
            (Dialect::Options, Value::Object(_)) | (Dialect::Request, _) => {
                self.media_prompt(item, at, version, dialect)
            }
            (Dialect::Options, other) => {
                let actual = json_type(other);
                self.issues
                    .error(
                        &at.pointer(),
                        IssueCode::WrongType,
                        format!("a prompt must be a uri string or a {{uri, resourceId}} object, got {}", shown(other)),
                    )
                    .expected("string or object")
                    .actual(actual);
                None
            }
        }
    }

    /// `{uri, resourceId?}`, a builder's shorthand for a mediaPrompt.
    fn shorthand_prompt(&mut self, obj: &Map<'_>, at: &At<'_>) -> Option<Prompt> {
        let readable = self.refuse_unknown(obj, at, &SHORTHAND_PROMPT);
        let uri = self.uri(obj, at);
        let resource_id = self.resource_id(obj, at);
        let prompt = Prompt::new(uri?);
        readable.then_some(Prompt { resource_id: resource_id?, ..prompt })
    }

    /// The wire `mediaPrompt`.
    fn media_prompt(
        &mut self,
        item: &mut Value<'_>,
        at: &At<'_>,
        version: ApiVersion,
        dialect: Dialect,
    ) -> Option<Prompt> {
        let prompt = self.object(item, at, "a prompt")?;
        let mut readable = true;
        if dialect == Dialect::Options {
            readable &= self.refuse_unknown(prompt, at, &Dictionary::properties("a mediaPrompt", &MEDIA_PROMPT_KEYS));
        }
        self.odata_type(prompt, at, &[MEDIA_PROMPT_TYPE], Some(MEDIA_PROMPT_TYPE));
        let mut r#loop = None;
        if prompt.contains_key("loop") && version != ApiVersion::Beta {
            let message = format!("mediaPrompt.loop is beta-only; {}", dialect.beta_advice());
            self.issues.error(&at.key("loop").pointer(), IssueCode::UnknownParameter, message).actual("loop");
        } else {
            r#loop = self.integer(prompt, at, Field::optional("loop").nullable(), 0..=i32::MAX as i64);
        }
        let media_at = at.key("mediaInfo");
        let Some(media) = prompt.get_mut("mediaInfo") else {
            self.missing(at, "mediaInfo", "a mediaPrompt");
            return None;
        };
        let media = self.object(media, &media_at, "mediaInfo")?;
        if dialect == Dialect::Options {
            readable &= self.refuse_unknown(media, &media_at, &Dictionary::properties("mediaInfo", &MEDIA_INFO_KEYS));
        }
        self.odata_type(media, &media_at, &[MEDIA_INFO_TYPE], None);
        let uri = self.uri(media, &media_at);
        let resource_id = self.resource_id(media, &media_at);
        let media_extra = others(media, &MEDIA_INFO_KEYS);
        // A struct literal: a new field of a prompt does not compile until it is read here.
        let typed = Prompt {
            uri: uri?,
            resource_id: resource_id?,
            r#loop: r#loop.map(|n| n as i32),
            extra: others(prompt, &MEDIA_PROMPT_KEYS),
            media_extra,
        };
        readable.then_some(typed)
    }

    /// The `uri` a prompt needs.
    fn uri(&mut self, obj: &Map<'_>, at: &At<'_>) -> Option<PromptUri> {
        if obj.get("uri").is_none() {
            self.issues
                .error(&at.key("uri").pointer(), IssueCode::MissingProperty, "a prompt needs a uri")
                .expected("uri");
            self.untyped = true;
            return None;
        }
        let uri = self.string(obj, at, Field::required("uri"))?;
        self.prompt_uri(uri, &at.key("uri"))
    }

    fn prompt_uri(&mut self, uri: &str, at: &At<'_>) -> Option<PromptUri> {
        match PromptUri::try_from(uri) {
            Ok(uri) => Some(uri),
            Err(why) => {
                self.issues.error(&at.pointer(), IssueCode::InvalidUrl, why.0).actual(uri);
                None
            }
        }
    }

    /// `resourceId`: `Some(None)` when absent, `None` when it is unreadable. A cache key, so
    /// not empty (inferred: an empty key caches nothing; the docs only say it is a string).
    fn resource_id(&mut self, obj: &Map<'_>, at: &At<'_>) -> Option<Option<String>> {
        let errors = self.issues.error_count();
        match self.string(obj, at, Field::optional("resourceId").nullable()) {
            Some("") => {
                self.issues.error(
                    &at.key("resourceId").pointer(),
                    IssueCode::OutOfRange,
                    "resourceId must not be empty",
                );
                None
            }
            Some(id) => Some(Some(id.to_owned())),
            None => (self.issues.error_count() == errors).then_some(None),
        }
    }

    /// Reports each property of `obj` the dictionary does not know; whether there was none.
    fn refuse_unknown(&mut self, obj: &Map<'_>, at: &At<'_>, dictionary: &Dictionary<'_>) -> bool {
        let base = at.pointer();
        let mut none = true;
        for key in obj.keys() {
            if dictionary.keys.contains(&key) {
                continue;
            }
            none = false;
            let unknown = dictionary.unknown_key(key, &base);
            let issue = self.issues.error(&unknown.path, IssueCode::UnknownParameter, unknown.message).actual(key);
            if let Some(hint) = unknown.hint {
                issue.hint(hint);
            }
        }
        none
    }

    /// `stopTones`: `Some(None)` when absent, `None` when unreadable.
    fn stop_tones(&mut self, body: &Map<'_>, at: &At<'_>) -> Option<Option<Vec<StopTone>>> {
        let path = at.key("stopTones");
        match body.get("stopTones") {
            None | Some(Value::Null) => Some(None),
            Some(Value::Array(items)) => {
                let mut tones = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let at = path.index(i).pointer();
                    match item {
                        Value::String(s) => match StopTone::try_from(&**s) {
                            Ok(tone) => tones.push(Some(tone)),
                            Err(why) => {
                                self.issues.error(&at, IssueCode::OutOfRange, why.0).actual(&**s);
                                tones.push(None);
                            }
                        },
                        other => {
                            let actual = json_type(other);
                            let message = format!("a stop tone must be a DTMF character, got {}", shown(other));
                            self.issues.error(&at, IssueCode::WrongType, message).expected("string").actual(actual);
                            tones.push(None);
                        }
                    }
                }
                tones.into_iter().collect::<Option<Vec<_>>>().map(Some)
            }
            Some(other) => {
                let actual = json_type(other);
                let message = format!("stopTones must be an array of DTMF characters, got {}", shown(other));
                self.issues.error(&path.pointer(), IssueCode::WrongType, message).expected("array").actual(actual);
                None
            }
        }
    }
}

/// The properties of `obj` other than `known`, in arrival order (kept, never dropped).
fn others(obj: &Map<'_>, known: &[&str]) -> serde_json::Map<String, serde_json::Value> {
    obj.iter().filter(|(k, _)| !known.contains(k)).map(|(k, v)| (k.to_owned(), v.to_json())).collect()
}
