//! Builder options: read from a JS-shaped [`Input`] into the typed [`MediaRequest`]. Where the
//! request goes (call, version, base URL, token) is read here; the action's parameters by the
//! one reader of action bodies, which `validateRequest` uses too. The first refusal is thrown,
//! with the option's JSON Pointer path.

use graph_ivr_json::tree::{Map, Value};

use crate::contract::check::Checker;
use crate::contract::issue::{json_type, shown, Mode, Severity};
use crate::contract::limits::parameters;
use crate::contract::pointer::At;
use crate::contract::{AccessToken, Action, BaseUrl, CallId, Dialect, MediaRequest};
use crate::error::Error;
use crate::input::{Dictionary, Input};
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
    /// Reads the options of the builder of `kind`, as JS handed them over.
    pub fn from_input(input: &Input, kind: OperationKind) -> Result<BuildOptions, Error> {
        let Input::Object(entries) = input else {
            return Err(Error::invalid_argument("", format!("options must be an object, got {}", input.type_name())));
        };
        refuse_unknown(entries.iter().map(|(key, _)| key.as_str()), kind)?;
        let Value::Object(options) = input.to_tree("")? else {
            return Err(Error::invalid_state("internal: an object's tree is not an object"));
        };
        BuildOptions::from_tree(options, kind)
    }

    /// Reads options given as JSON text (what the package entry's fast path hands over).
    pub fn from_json_text(text: &str, kind: OperationKind) -> Result<BuildOptions, Error> {
        let parsed = graph_ivr_json::read(text)
            .map_err(|e| Error::invalid_argument("", format!("options are not JSON: {e}")))?;
        let Value::Object(options) = parsed.value else {
            return Err(Error::invalid_argument(
                "",
                format!("options must be an object, got {}", json_type(&parsed.value)),
            ));
        };
        refuse_unknown(options.keys(), kind)?;
        BuildOptions::from_tree(options, kind)
    }

    /// Where the request goes, then the action's parameters: the rest of the options, read by
    /// the one reader of action bodies (`contract::body`, as `validateRequest` reads a body).
    fn from_tree(mut options: Map<'_>, kind: OperationKind) -> Result<BuildOptions, Error> {
        let call_id = match options.remove("callId") {
            Some(Value::String(id)) => checked(CallId::try_from(&*id), "/callId")?,
            None | Some(Value::Null) => return Err(Error::invalid_argument("/callId", "callId is required")),
            Some(other) => return Err(wrong_type("callId", "a string", &other)),
        };
        let version = match options.remove("version") {
            None | Some(Value::Null) => ApiVersion::V1,
            Some(Value::String(v)) => ApiVersion::from_segment(&v).ok_or_else(|| {
                Error::invalid_argument("/version", format!("version must be 'v1.0' or 'beta', got {v:?}"))
            })?,
            Some(other) => return Err(wrong_type("version", "'v1.0' or 'beta'", &other)),
        };
        let base_url = match options.remove("baseUrl") {
            None | Some(Value::Null) => BaseUrl::graph(),
            Some(Value::String(url)) => checked(BaseUrl::try_from(&*url), "/baseUrl")?,
            Some(other) => return Err(wrong_type("baseUrl", "a string", &other)),
        };
        let access_token = match options.remove("accessToken") {
            None | Some(Value::Null) => None,
            Some(Value::String(token)) => Some(checked(AccessToken::try_from(&*token), "/accessToken")?),
            Some(other) => return Err(wrong_type("accessToken", "a string", &other)),
        };
        let action = read_action(&mut options, kind, version)?;
        let request =
            MediaRequest::new(version, call_id, action).map_err(|(path, why)| Error::invalid_argument(path, why.0))?;
        Ok(BuildOptions { request, base_url, access_token })
    }
}

/// Refuses the first key no option of the builder of `kind` has (with a "did you mean").
fn refuse_unknown<'k>(mut keys: impl Iterator<Item = &'k str>, kind: OperationKind) -> Result<(), Error> {
    let (declared, beta) = parameters(kind);
    let known = |key: &str| TARGET_KEYS.contains(&key) || declared.contains(&key) || beta.contains(&key);
    let Some(key) = keys.find(|key| !known(key)) else { return Ok(()) };
    let all: Vec<&str> = TARGET_KEYS.iter().chain(declared).chain(beta).copied().collect();
    Err(Dictionary::options("this builder", &all).unknown_key(key, "").into_error())
}

/// The action's parameters, its first error thrown.
fn read_action(body: &mut Map<'_>, kind: OperationKind, version: ApiVersion) -> Result<Action, Error> {
    // Tolerant: a variant the validators tolerate (a prompt without its @odata.type) is fine
    // in options; every error is a refusal.
    let mut checker = Checker::new(Mode::Tolerant);
    let action = checker.action_body(body, &At::Root, kind, version, Dialect::Options);
    if let Some(issue) = checker.issues.iter().find(|issue| issue.severity == Severity::Error) {
        let error = Error::invalid_argument(issue.path.clone(), issue.message.clone());
        return Err(match &issue.hint {
            Some(hint) => error.with_hint(hint.clone()),
            None => error,
        });
    }
    action.ok_or_else(|| Error::invalid_state("internal: the parameters passed every check but could not be read"))
}

/// Turns a value's refusal into an `invalidArgument` error at `path`.
fn checked<T>(result: Result<T, crate::contract::Refused>, path: &str) -> Result<T, Error> {
    result.map_err(|why| Error::invalid_argument(path, why.0))
}

fn wrong_type(key: &str, expected: &str, got: &Value<'_>) -> Error {
    Error::invalid_argument(format!("/{key}"), format!("{key} must be {expected}, got {}", shown(got)))
}
