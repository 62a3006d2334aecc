//! What a validator reports: issues with a JSON Pointer path, a stable code and a severity,
//! and a report that says whether the payload is valid and hands back the normalized value.

use serde::Serialize;
use serde_json::Value;

/// Whether deviations that live traffic is known to have are errors or warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Every deviation from the contract is an error.
    #[default]
    Strict,
    /// Known real-world variants (REALWORLD.md) are accepted as warnings and normalized.
    Tolerant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! issue_codes {
    ($($variant:ident = $wire:literal : $doc:literal,)+) => {
        /// Stable issue codes. The README lists each with the line given here.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum IssueCode { $($variant,)+ }

        impl IssueCode {
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $(IssueCode::$variant => $wire,)+ }
            }

            /// One line on what the code means.
            pub fn describe(self) -> &'static str {
                match self { $(IssueCode::$variant => $doc,)+ }
            }
        }
    };
}

issue_codes! {
    InvalidJson = "invalidJson": "The text is not JSON (the message gives line and column).",
    PayloadTooLarge = "payloadTooLarge": "The payload is over 1 MiB; it is not parsed.",
    NestingTooDeep = "nestingTooDeep": "Objects and arrays nest deeper than 64 levels; it is not parsed.",
    DuplicateKey = "duplicateKey": "An object has the same key twice; the last one wins, as in `JSON.parse` (warning in tolerant mode).",
    WrongType = "wrongType": "A value has the wrong JSON type (`expected` and `actual` name both).",
    MissingProperty = "missingProperty": "A required property is absent.",
    MissingODataType = "missingODataType": "`@odata.type` is absent where the contract requires the discriminator.",
    UnexpectedODataType = "unexpectedODataType": "`@odata.type` names a different type than this position or operation allows.",
    UnknownEnumValue = "unknownEnumValue": "A string is not a value of its enum (error for closed enums, warning for evolvable ones).",
    EnumCasing = "enumCasing": "An enum value in the wrong case, such as PascalCase `Completed` (tolerated in tolerant mode).",
    OutOfRange = "outOfRange": "A number or length is outside its documented range.",
    LegacyProperty = "legacyProperty": "A pre-2020 property name (`resource`, `recordResourceLocation`) stands where the current one is missing.",
    LegacyPath = "legacyPath": "A path uses the deprecated `/app/calls/` root instead of `/communications/calls/`.",
    LegacyFormat = "legacyFormat": "The POST is in the pre-Graph callback format (`callState`, `participants`, no `value`): answer `204 No Content` to receive it again in Graph format.",
    InvalidResourceUrl = "invalidResourceUrl": "`resourceUrl` is not a path under `/communications/calls/{id}`.",
    ResourceMismatch = "resourceMismatch": "`resourceUrl`, `@odata.id` and `id` name different resources (GUIDs compared canonically).",
    HttpStatus = "httpStatus": "The HTTP status is not the documented success status (a non-2xx is an error).",
    OperationFailed = "operationFailed": "The operation came back `failed`: no notification will follow for it.",
    UnexpectedStatus = "unexpectedStatus": "The operation status is not the one this action answers with.",
    MissingLocation = "missingLocation": "The response has no `Location` header for the operation.",
    InvalidLocation = "invalidLocation": "`Location` is not the absolute URL of an operation of a call.",
    CallIdMismatch = "callIdMismatch": "The call id in a URL is not the call the request was sent for.",
    IdMismatch = "idMismatch": "The operation id in `Location` differs from the body's `id` (a known defect of the cancel example).",
    ContentType = "contentType": "`Content-Type` is missing or not `application/json` for a JSON body.",
    InvalidMethod = "invalidMethod": "A media action is not sent with POST.",
    InvalidUrl = "invalidUrl": "The URL is not `https://{host}/{v1.0|beta}/communications/calls/{id}/{action}`.",
    UnknownAction = "unknownAction": "The last URL segment is not one of the four actions in its exact camelCase spelling.",
    UnknownParameter = "unknownParameter": "The body has a parameter the action does not declare (or one that only beta declares).",
    UnsupportedInput = "unsupportedInput": "The argument or an option cannot be read at all (a BigInt, a throwing getter, an unknown option such as `/options/version`).",
    Internal = "internal": "A payload passed every check but graph-ivr could not build its typed model: a bug of graph-ivr, please report it.",
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Issue {
    /// JSON Pointer into the validated value; `""` is the root.
    pub path: String,
    #[serde(serialize_with = "code_as_str")]
    pub code: IssueCode,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

fn code_as_str<S: serde::Serializer>(code: &IssueCode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

impl Issue {
    pub fn expected(&mut self, value: impl Into<Value>) -> &mut Self {
        self.expected = Some(value.into());
        self
    }

    pub fn actual(&mut self, value: impl Into<Value>) -> &mut Self {
        self.actual = Some(value.into());
        self
    }

    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The issues of one validation, collected in document order.
#[derive(Debug, Default)]
pub struct Issues {
    pub mode: Mode,
    list: Vec<Issue>,
}

impl Issues {
    pub fn new(mode: Mode) -> Self {
        Issues { mode, list: Vec::new() }
    }

    pub fn push(&mut self, severity: Severity, path: &str, code: IssueCode, message: impl Into<String>) -> &mut Issue {
        self.list.push(Issue {
            path: path.to_owned(),
            code,
            severity,
            message: message.into(),
            expected: None,
            actual: None,
            hint: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    pub fn error(&mut self, path: &str, code: IssueCode, message: impl Into<String>) -> &mut Issue {
        self.push(Severity::Error, path, code, message)
    }

    pub fn warning(&mut self, path: &str, code: IssueCode, message: impl Into<String>) -> &mut Issue {
        self.push(Severity::Warning, path, code, message)
    }

    /// A known real-world deviation: an error in strict mode, a warning in tolerant mode.
    pub fn tolerated(&mut self, path: &str, code: IssueCode, message: impl Into<String>) -> &mut Issue {
        let severity = match self.mode {
            Mode::Strict => Severity::Error,
            Mode::Tolerant => Severity::Warning,
        };
        self.push(severity, path, code, message)
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|i| i.severity == Severity::Error).count()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|i| i.severity == Severity::Error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Issue> {
        self.list.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_vec(self) -> Vec<Issue> {
        self.list
    }
}

/// The outcome of a validation. `value` is the typed, normalized payload, present whenever it
/// could be read (even with errors, as far as it could).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report<T> {
    pub valid: bool,
    pub issues: Vec<Issue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
}

impl<T> Report<T> {
    pub fn new(issues: Issues, value: Option<T>) -> Self {
        Report { valid: !issues.has_errors(), issues: issues.into_vec(), value }
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.issues.iter().map(|i| i.code.as_str()).collect()
    }
}

/// The JSON type name of a value, for `actual` and messages.
pub fn json_type(value: &graph_ivr_json::tree::Value) -> &'static str {
    use graph_ivr_json::tree::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as a message shows it: a scalar as written (a string quoted and cut at 60
/// characters), a container by its type.
pub fn shown(value: &graph_ivr_json::tree::Value) -> String {
    use graph_ivr_json::tree::Value;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => crate::input::quoted(s),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
