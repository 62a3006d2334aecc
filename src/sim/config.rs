//! How simulated calls are set up: seed, call id, contract version, prompt play times, the
//! output profile, where callbacks go and which faults to inject. Read from JS-shaped options
//! with the same path-precise refusals as builders; `CallSimulator` and `GraphSimulator` share
//! every option they have in common.

use std::collections::{BTreeMap, BTreeSet};

use crate::contract::pointer::escape_token;
use crate::contract::rules::{check_base_url, check_call_id, check_callback_uri};
use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};
use crate::model::ApiVersion;

use super::inferred::{
    DEFAULT_CALLBACK_URI, DEFAULT_PROMPT_MS, DEFAULT_RETRY_AFTER_SECONDS, MAX_PROMPT_MS, SERVER_ERROR_STATUSES,
};

/// Which traffic the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// The docs' examples: `@odata.id`, `@odata.etag`, uppercase hyphen-less GUIDs in paths.
    #[default]
    Docs,
    /// Live traffic (REALWORLD.md): legacy `resource` beside `resourceUrl`, lowercase hyphenated
    /// GUIDs, `id` in `resourceData`, `completionReason` and `resultInfo` always, echoed prompts,
    /// `established` sent twice, and no final record notification on hang-up.
    Observed,
}

/// The setup of one simulated call.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// The call's id; by default a GUID drawn from the seed.
    pub call_id: Option<String>,
    pub version: ApiVersion,
    /// Play time of each prompt uri, in milliseconds.
    pub prompt_durations_ms: BTreeMap<String, u64>,
    pub default_prompt_ms: u64,
    pub profile: Profile,
    /// Reproduce the live-traffic loss of a running record's final notification on hang-up.
    pub drop_final_record_notification: bool,
    /// Prompt uris the media service cannot fetch: operations playing them fail when they start.
    pub failing_prompts: BTreeSet<String>,
    /// Where the call's notifications are POSTed.
    pub callback_uri: String,
    /// The Graph origin the call's `fetch` answers for (`https://graph.microsoft.com`).
    pub origin: String,
    /// Where recordings are downloaded from: `{recordings_url}/{id}` (the docs' example host by
    /// default; an emulator puts them on its own origin).
    pub recordings_url: String,
    /// The virtual time the call starts at (a `GraphSimulator`'s clock when it rang).
    pub start_ms: u64,
    /// Send `established` before `establishing` ("may arrive out of order", the docs say).
    pub out_of_order: bool,
    /// End the call when it has had no `keepAlive` for this long (a `GraphSimulator`'s calls:
    /// 45 minutes, the keepAlive page).
    pub keep_alive_ms: Option<u64>,
    /// The bot's application id, the target of an incoming call (the docs' placeholder when
    /// `None`).
    pub app_id: Option<String>,
    /// The bot's tenant: an incoming call's caller and target belong to it.
    pub tenant_id: Option<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 0,
            call_id: None,
            version: ApiVersion::V1,
            prompt_durations_ms: BTreeMap::new(),
            default_prompt_ms: DEFAULT_PROMPT_MS,
            profile: Profile::Docs,
            drop_final_record_notification: false,
            failing_prompts: BTreeSet::new(),
            callback_uri: DEFAULT_CALLBACK_URI.to_owned(),
            origin: crate::contract::limits::DEFAULT_BASE_URL.to_owned(),
            recordings_url: DEFAULT_RECORDINGS_URL.to_owned(),
            start_ms: 0,
            out_of_order: false,
            keep_alive_ms: None,
            app_id: None,
            tenant_id: None,
        }
    }
}

/// Faults a bot must survive, seeded and off by default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// Notifications of one call due at the same instant share one POST, as live Graph does.
    pub batch: bool,
    /// Every Nth POST is delivered twice (`0`: never).
    pub duplicate: u64,
    /// Action and lifecycle requests answered `429 Too Many Requests`.
    pub throttle: Option<Throttle>,
    /// Action and lifecycle requests answered with a 5xx, without effect.
    pub server_errors: Option<ServerErrors>,
    /// The share (0 to 1) of notifications never delivered; the calls' state moves on anyway.
    pub drop_notifications: f64,
    /// The notification that says a call ended is never delivered.
    pub drop_terminated: bool,
    /// Each callback POST is delayed by this many virtual ms (`[min, max]`, drawn per
    /// notification); a call's notifications keep their order unless `outOfOrder`.
    pub delivery_delay_ms: Option<(u64, u64)>,
    /// Graph answers each request this many virtual ms later (`[min, max]`, drawn per
    /// request); what the request causes starts when it is answered.
    pub latency_ms: Option<(u64, u64)>,
}

/// `faults.throttle`: a share of the requests that change something is refused with `429` and
/// `Retry-After`; until that has passed (virtual time) every such request is refused again.
#[derive(Debug, Clone, PartialEq)]
pub struct Throttle {
    /// From 0 to 1.
    pub rate: f64,
    pub retry_after_seconds: u64,
}

/// `faults.serverErrors`: a share of the requests that change something fails with one of
/// `statuses` (500, 502, 503, 504) and has no effect.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerErrors {
    /// From 0 to 1.
    pub rate: f64,
    pub statuses: Vec<u16>,
}

/// The setup of a `GraphSimulator`: what every call shares, and the faults.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphConfig {
    /// The template of each call's setup (its seed is the graph's; each call draws its own).
    pub call: SimConfig,
    pub faults: Faults,
    /// Refuse requests without `Authorization: Bearer <token>` (401), as Graph does.
    pub require_bearer: bool,
}

impl Default for GraphConfig {
    /// Graph as documented: its calls end after 45 minutes without a `keepAlive`.
    fn default() -> Self {
        let call = SimConfig { keep_alive_ms: Some(super::inferred::KEEP_ALIVE_MS), ..SimConfig::default() };
        GraphConfig { call, faults: Faults::default(), require_bearer: false }
    }
}

const CALL_KEYS: [&str; 13] = [
    "seed",
    "appId",
    "tenantId",
    "callId",
    "version",
    "promptDurationsMs",
    "defaultPromptMs",
    "profile",
    "dropFinalRecordNotification",
    "failingPrompts",
    "callbackUri",
    "baseUrl",
    "recordingsUrl",
];

pub(super) const GRAPH_KEYS: [&str; 12] = [
    "seed",
    "appId",
    "tenantId",
    "requireBearer",
    "profile",
    "version",
    "baseUrl",
    "recordingsUrl",
    "promptDurationsMs",
    "defaultPromptMs",
    "failingPrompts",
    "faults",
];

/// The host of the docs' `recordingLocation` example.
const DEFAULT_RECORDINGS_URL: &str = "https://file.location";

const FAULT_KEYS: [&str; 11] = [
    "deliveryDelayMs",
    "latencyMs",
    "keepAlive",
    "batch",
    "duplicate",
    "dropFinalRecordNotification",
    "outOfOrder",
    "throttle",
    "serverErrors",
    "dropNotifications",
    "dropTerminated",
];
const THROTTLE_KEYS: [&str; 2] = ["rate", "retryAfterSeconds"];
const SERVER_ERROR_KEYS: [&str; 2] = ["rate", "statuses"];

/// The largest integer JavaScript numbers hold exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

impl SimConfig {
    /// `new CallSimulator(options)`.
    pub fn from_input(input: &Input) -> Result<SimConfig, Error> {
        let mut config = SimConfig::default();
        let given = entries(input, &CALL_KEYS, "CallSimulator", "")?;
        let drop_given = given.iter().any(|(k, _)| *k == "dropFinalRecordNotification");
        for (key, value) in given {
            match key {
                "callId" => {
                    let Input::String(id) = value else {
                        return Err(Error::invalid_argument(
                            "/callId",
                            format!("callId must be a string, got {}", value.type_name()),
                        ));
                    };
                    check_call_id(id).map_err(|why| Error::invalid_argument("/callId", why))?;
                    config.call_id = Some(id.clone());
                }
                "dropFinalRecordNotification" => {
                    config.drop_final_record_notification = flag(value, "/dropFinalRecordNotification")?
                }
                "callbackUri" => config.callback_uri = callback_uri(value, "/callbackUri")?,
                _ => config.shared(key, value, "")?,
            }
        }
        config.observed_defaults(drop_given);
        Ok(config)
    }

    /// Live Graph does not send a hung-up record's final notification (REALWORLD.md): the
    /// observed profile drops it unless the option says otherwise.
    fn observed_defaults(&mut self, drop_given: bool) {
        if self.profile == Profile::Observed && !drop_given {
            self.drop_final_record_notification = true;
        }
    }

    /// An option both simulators take.
    fn shared(&mut self, key: &str, value: &Input, base: &str) -> Result<(), Error> {
        let path = format!("{base}/{}", escape_token(key));
        match key {
            "seed" => self.seed = whole_number(value, &path, 0, MAX_SAFE_INTEGER)?,
            "version" => {
                self.version = match value {
                    Input::String(v) => ApiVersion::from_segment(v),
                    _ => None,
                }
                .ok_or_else(|| {
                    Error::invalid_argument(&path, format!("version must be 'v1.0' or 'beta', got {}", Shown(value)))
                })?
            }
            "profile" => {
                self.profile = match value {
                    Input::String(p) if p == "docs" => Profile::Docs,
                    Input::String(p) if p == "observed" => Profile::Observed,
                    other => {
                        return Err(Error::invalid_argument(
                            &path,
                            format!("profile must be 'docs' or 'observed', got {}", Shown(other)),
                        ))
                    }
                };
            }
            "baseUrl" => {
                let Input::String(url) = value else {
                    return Err(Error::invalid_argument(
                        &path,
                        format!("baseUrl must be a string, got {}", value.type_name()),
                    ));
                };
                self.origin = check_base_url(url).map_err(|why| Error::invalid_argument(&path, why))?;
            }
            "recordingsUrl" => {
                self.recordings_url = callback_uri(value, &path)?.trim_end_matches('/').to_owned();
            }
            "appId" | "tenantId" => {
                let id = match value {
                    Input::String(id) if !id.is_empty() => id.clone(),
                    other => {
                        return Err(Error::invalid_argument(
                            &path,
                            format!("{key} is an id string, got {}", Shown(other)),
                        ))
                    }
                };
                if key == "appId" {
                    self.app_id = Some(id);
                } else {
                    self.tenant_id = Some(id);
                }
            }
            "defaultPromptMs" => self.default_prompt_ms = whole_number(value, &path, 1, MAX_PROMPT_MS)?,
            "promptDurationsMs" => {
                let Input::Object(entries) = value else {
                    return Err(Error::invalid_argument(
                        &path,
                        format!("promptDurationsMs must be an object of uri → milliseconds, got {}", value.type_name()),
                    ));
                };
                for (uri, ms) in entries {
                    let at = format!("{path}/{}", escape_token(uri));
                    self.prompt_durations_ms.insert(uri.clone(), whole_number(ms, &at, 1, MAX_PROMPT_MS)?);
                }
            }
            "failingPrompts" => {
                let Input::Array(items) = value else {
                    return Err(Error::invalid_argument(
                        &path,
                        format!("failingPrompts must be an array of prompt uris, got {}", value.type_name()),
                    ));
                };
                for (i, uri) in items.iter().enumerate() {
                    let Input::String(uri) = uri else {
                        return Err(Error::invalid_argument(
                            format!("{path}/{i}"),
                            format!("a failing prompt is a uri string, got {}", uri.type_name()),
                        ));
                    };
                    self.failing_prompts.insert(uri.clone());
                }
            }
            // `entries` only lets known keys through.
            _ => {}
        }
        Ok(())
    }
}

impl GraphConfig {
    /// `new GraphSimulator(options)`.
    pub fn from_input(input: &Input) -> Result<GraphConfig, Error> {
        let mut config = GraphConfig::default();
        let mut drop_given = false;
        for (key, value) in entries(input, &GRAPH_KEYS, "GraphSimulator", "")? {
            if key == "requireBearer" {
                config.require_bearer = flag(value, "/requireBearer")?;
                continue;
            }
            if key != "faults" {
                config.call.shared(key, value, "")?;
                continue;
            }
            for (fault, value) in entries(value, &FAULT_KEYS, "faults", "/faults")? {
                let path = format!("/faults/{fault}");
                match fault {
                    "batch" => config.faults.batch = flag(value, &path)?,
                    "duplicate" => config.faults.duplicate = whole_number(value, &path, 0, MAX_SAFE_INTEGER)?,
                    // Per-call faults live in the calls' own setup.
                    "outOfOrder" => config.call.out_of_order = flag(value, &path)?,
                    "throttle" => config.faults.throttle = Some(Throttle::from_input(value, &path)?),
                    "serverErrors" => config.faults.server_errors = Some(ServerErrors::from_input(value, &path)?),
                    "dropNotifications" => config.faults.drop_notifications = rate(value, &path)?,
                    "dropTerminated" => config.faults.drop_terminated = flag(value, &path)?,
                    "deliveryDelayMs" => config.faults.delivery_delay_ms = Some(delay_range(value, &path)?),
                    "latencyMs" => config.faults.latency_ms = Some(delay_range(value, &path)?),
                    // Enforced unless turned off (a demo left open, a bot without keepAlive yet).
                    "keepAlive" => {
                        config.call.keep_alive_ms = flag(value, &path)?.then_some(super::inferred::KEEP_ALIVE_MS)
                    }
                    _ => {
                        drop_given = true;
                        config.call.drop_final_record_notification = flag(value, &path)?;
                    }
                }
            }
        }
        config.call.observed_defaults(drop_given);
        Ok(config)
    }
}

impl Throttle {
    fn from_input(input: &Input, path: &str) -> Result<Throttle, Error> {
        let given = Dictionary::options("throttle", &THROTTLE_KEYS).read(input, path, true)?;
        let rate = rate(given.get("rate"), &format!("{path}/rate"))?;
        let retry_after_seconds = given
            .optional("retryAfterSeconds", |v| whole_number(v, &format!("{path}/retryAfterSeconds"), 1, 3_600))?
            .unwrap_or(DEFAULT_RETRY_AFTER_SECONDS);
        Ok(Throttle { rate, retry_after_seconds })
    }
}

impl ServerErrors {
    fn from_input(input: &Input, path: &str) -> Result<ServerErrors, Error> {
        let given = Dictionary::options("serverErrors", &SERVER_ERROR_KEYS).read(input, path, true)?;
        let rate = rate(given.get("rate"), &format!("{path}/rate"))?;
        let at = format!("{path}/statuses");
        let statuses = match given.get("statuses") {
            absent if absent.is_absent() => SERVER_ERROR_STATUSES.to_vec(),
            Input::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Input::Number(n) if SERVER_ERROR_STATUSES.iter().any(|s| f64::from(*s) == *n) => Ok(*n as u16),
                    other => Err(Error::invalid_argument(
                        format!("{at}/{i}"),
                        format!("a server error status is one of 500, 502, 503, 504, got {}", Shown(other)),
                    )),
                })
                .collect::<Result<_, _>>()?,
            other => {
                return Err(Error::invalid_argument(
                    at,
                    format!("statuses is a non-empty array of 500, 502, 503, 504, got {}", Shown(other)),
                ))
            }
        };
        Ok(ServerErrors { rate, statuses })
    }
}

/// `{min, max}` virtual milliseconds, `min <= max`, at most an hour.
fn delay_range(input: &Input, path: &str) -> Result<(u64, u64), Error> {
    let given = Dictionary::options("a delay", &["min", "max"]).read(input, path, true)?;
    let bound = |key: &str| whole_number(given.get(key), &format!("{path}/{key}"), 0, 3_600_000);
    let (min, max) = (bound("min")?, bound("max")?);
    if min > max {
        return Err(Error::invalid_argument(format!("{path}/max"), format!("max ({max}) is below min ({min})")));
    }
    Ok((min, max))
}

/// A fault's rate: a number from 0 to 1.
fn rate(value: &Input, path: &str) -> Result<f64, Error> {
    match value {
        Input::Number(n) if (0.0..=1.0).contains(n) => Ok(*n),
        other => Err(Error::invalid_argument(
            path,
            format!("{} must be a number from 0 to 1, got {}", &path[1..], Shown(other)),
        )),
    }
}

/// The given (not undefined or null) entries of an options object, refusing unknown keys.
fn entries<'i>(input: &'i Input, known: &[&str], what: &str, base: &str) -> Result<Vec<(&'i str, &'i Input)>, Error> {
    Ok(Dictionary::options(what, known).read(input, base, false)?.given().collect())
}

fn flag(value: &Input, path: &str) -> Result<bool, Error> {
    match value {
        Input::Bool(b) => Ok(*b),
        other => {
            Err(Error::invalid_argument(path, format!("{} must be a boolean, got {}", &path[1..], other.type_name())))
        }
    }
}

/// A callback URL option (see `rules::check_callback_uri`).
pub fn callback_uri(value: &Input, path: &str) -> Result<String, Error> {
    match value {
        Input::String(uri) => {
            check_callback_uri(uri).map(|()| uri.clone()).map_err(|why| Error::invalid_argument(path, why))
        }
        other => Err(Error::invalid_argument(path, format!("{} must be a string, got {}", &path[1..], Shown(other)))),
    }
}

/// The virtual time `ms` after `now`, refused when it would pass what a JS number holds exactly.
pub fn time_after(now: u64, ms: u64) -> Result<u64, Error> {
    now.checked_add(ms).filter(|t| *t <= MAX_SAFE_INTEGER).ok_or_else(|| {
        Error::invalid_argument(
            "/ms",
            format!("advancing {ms} ms from {now} would pass the largest representable time"),
        )
    })
}

/// A whole number within `min..=max`, refused with the path and the value otherwise.
pub fn whole_number(value: &Input, path: &str, min: u64, max: u64) -> Result<u64, Error> {
    match value {
        Input::Number(n) if n.is_finite() && n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64 => Ok(*n as u64),
        other => Err(Error::invalid_argument(
            path,
            format!("{} must be a whole number from {min} to {max}, got {}", &path[1..], Shown(other)),
        )),
    }
}

/// The options of `graph.incomingCall()`: who rings, and where the bot hears of it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IncomingCall {
    pub callback_uri: String,
    pub call_id: Option<String>,
    pub from: Option<String>,
}

const INCOMING_CALL_KEYS: [&str; 3] = ["callbackUri", "callId", "from"];

impl IncomingCall {
    pub fn new(callback_uri: impl Into<String>) -> IncomingCall {
        IncomingCall { callback_uri: callback_uri.into(), call_id: None, from: None }
    }

    pub fn call_id(mut self, id: impl Into<String>) -> IncomingCall {
        self.call_id = Some(id.into());
        self
    }

    /// `graph.incomingCall(options)`.
    pub fn from_input(input: &Input) -> Result<IncomingCall, Error> {
        let options = Dictionary::options("incomingCall", &INCOMING_CALL_KEYS).read(input, "", true)?;
        let text = |key: &str| {
            options.optional(key, |value| match value {
                Input::String(s) => Ok(s.clone()),
                other => Err(Error::invalid_argument(
                    format!("/{key}"),
                    format!("{key} must be a string, got {}", other.type_name()),
                )),
            })
        };
        let callback_uri = text("callbackUri")?.ok_or_else(|| {
            Error::invalid_argument(
                "/callbackUri",
                "callbackUri is required: where the bot receives the call's notifications",
            )
        })?;
        Ok(IncomingCall { callback_uri, call_id: text("callId")?, from: text("from")? })
    }
}
