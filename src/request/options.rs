//! Builder options: read from a JS-shaped [`Input`] into the typed [`MediaRequest`]. Where the
//! request goes (call, version, base URL, token) is read here; the action's parameters by the
//! one reader of action bodies, which `validateRequest` uses too. The first refusal is thrown,
//! with the option's JSON Pointer path.

use graph_ivr_json::tree::Value;

use crate::contract::check::Checker;
use crate::contract::issue::{Mode, Severity};
use crate::contract::limits::parameters;
use crate::contract::pointer::At;
use crate::contract::{AccessToken, Action, BaseUrl, CallId, Dialect, MediaRequest};
use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};
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
        let action = read_action(input, kind, version)?;
        let request =
            MediaRequest::new(version, call_id, action).map_err(|(path, why)| Error::invalid_argument(path, why.0))?;
        Ok(BuildOptions { request, base_url, access_token })
    }
}

/// The action's parameters: the options but where the request goes, read by the one reader of
/// action bodies (`contract::body`, as `validateRequest` reads a body), its first error thrown.
fn read_action(input: &Input, kind: OperationKind, version: ApiVersion) -> Result<Action, Error> {
    let Input::Object(entries) = input else {
        return Err(Error::invalid_argument("", "options must be an object"));
    };
    let parameters =
        Input::Object(entries.iter().filter(|(key, _)| !TARGET_KEYS.contains(&key.as_str())).cloned().collect());
    let Value::Object(mut body) = parameters.to_tree("")? else {
        return Err(Error::invalid_state("internal: the parameters are not an object"));
    };
    // Tolerant: a variant the validators tolerate (a prompt without its @odata.type) is fine
    // in options; every error is a refusal.
    let mut checker = Checker::new(Mode::Tolerant);
    let action = checker.action_body(&mut body, &At::Root, kind, version, Dialect::Options);
    if let Some(issue) = checker.issues.iter().find(|issue| issue.severity == Severity::Error) {
        let error = Error::invalid_argument(issue.path.clone(), issue.message.clone());
        return Err(match &issue.hint {
            Some(hint) => error.with_hint(hint.clone()),
            None => error,
        });
    }
    action.ok_or_else(|| Error::invalid_state("internal: the parameters passed every check but could not be read"))
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

fn wrong_type(at: &At, expected: &str, got: &Input) -> Error {
    let path = at.pointer();
    let name = if path.is_empty() { "options" } else { &path[1..] };
    let message = format!("{name} must be {expected}, got {}", Shown(got));
    Error::invalid_argument(path, message)
}
