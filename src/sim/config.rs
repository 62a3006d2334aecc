//! How a simulated call is set up: seed, call id, contract version, prompt play times and the
//! output profile. Read from JS-shaped options with the same path-precise refusals as builders.

use std::collections::{BTreeMap, BTreeSet};

use crate::contract::pointer::escape_token;
use crate::contract::rules::check_call_id;
use crate::error::Error;
use crate::input::{Input, Shown};
use crate::model::ApiVersion;

use super::inferred::{DEFAULT_PROMPT_MS, MAX_PROMPT_MS};

/// Which traffic the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// The docs' examples: `@odata.id`, `@odata.etag`, uppercase hyphen-less GUIDs in paths.
    #[default]
    Docs,
    /// Live traffic (REALWORLD.md): legacy `resource` beside `resourceUrl`, lowercase hyphenated
    /// GUIDs, `id` in `resourceData`, `completionReason` and `resultInfo` always, echoed prompts.
    Observed,
}

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
        }
    }
}

const KEYS: [&str; 8] = [
    "seed",
    "callId",
    "version",
    "promptDurationsMs",
    "defaultPromptMs",
    "profile",
    "dropFinalRecordNotification",
    "failingPrompts",
];

/// The largest integer JavaScript numbers hold exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

impl SimConfig {
    pub fn from_input(input: &Input) -> Result<SimConfig, Error> {
        let mut config = SimConfig::default();
        let entries = match input {
            absent if absent.is_absent() => return Ok(config),
            Input::Object(entries) => entries,
            other => {
                return Err(Error::invalid_argument(
                    "",
                    format!("options must be an object, got {}", other.type_name()),
                ))
            }
        };
        if let Some((key, _)) = entries.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
            return Err(Error::invalid_argument(
                format!("/{}", escape_token(key)),
                format!("unknown option {key:?}; CallSimulator takes {}", KEYS.join(", ")),
            ));
        }
        if let Some(seed) = given(input, "seed") {
            config.seed = whole_number(seed, "/seed", 0, MAX_SAFE_INTEGER)?;
        }
        if let Some(id) = given(input, "callId") {
            let Input::String(id) = id else {
                return Err(Error::invalid_argument(
                    "/callId",
                    format!("callId must be a string, got {}", id.type_name()),
                ));
            };
            check_call_id(id).map_err(|why| Error::invalid_argument("/callId", why))?;
            config.call_id = Some(id.clone());
        }
        if let Some(version) = given(input, "version") {
            config.version = match version {
                Input::String(v) => ApiVersion::from_segment(v),
                _ => None,
            }
            .ok_or_else(|| {
                Error::invalid_argument("/version", format!("version must be 'v1.0' or 'beta', got {}", Shown(version)))
            })?;
        }
        if let Some(profile) = given(input, "profile") {
            config.profile = match profile {
                Input::String(p) if p == "docs" => Profile::Docs,
                Input::String(p) if p == "observed" => Profile::Observed,
                other => {
                    return Err(Error::invalid_argument(
                        "/profile",
                        format!("profile must be 'docs' or 'observed', got {}", Shown(other)),
                    ))
                }
            };
        }
        if let Some(ms) = given(input, "defaultPromptMs") {
            config.default_prompt_ms = whole_number(ms, "/defaultPromptMs", 1, MAX_PROMPT_MS)?;
        }
        if let Some(durations) = given(input, "promptDurationsMs") {
            let Input::Object(entries) = durations else {
                return Err(Error::invalid_argument(
                    "/promptDurationsMs",
                    format!("promptDurationsMs must be an object of uri → milliseconds, got {}", durations.type_name()),
                ));
            };
            for (uri, ms) in entries {
                let path = format!("/promptDurationsMs/{}", escape_token(uri));
                config.prompt_durations_ms.insert(uri.clone(), whole_number(ms, &path, 1, MAX_PROMPT_MS)?);
            }
        }
        if let Some(flag) = given(input, "dropFinalRecordNotification") {
            let Input::Bool(flag) = flag else {
                return Err(Error::invalid_argument(
                    "/dropFinalRecordNotification",
                    format!("dropFinalRecordNotification must be a boolean, got {}", flag.type_name()),
                ));
            };
            config.drop_final_record_notification = *flag;
        }
        if let Some(uris) = given(input, "failingPrompts") {
            let Input::Array(items) = uris else {
                return Err(Error::invalid_argument(
                    "/failingPrompts",
                    format!("failingPrompts must be an array of prompt uris, got {}", uris.type_name()),
                ));
            };
            for (i, uri) in items.iter().enumerate() {
                let Input::String(uri) = uri else {
                    return Err(Error::invalid_argument(
                        format!("/failingPrompts/{i}"),
                        format!("a failing prompt is a uri string, got {}", uri.type_name()),
                    ));
                };
                config.failing_prompts.insert(uri.clone());
            }
        }
        Ok(config)
    }
}

fn given<'a>(input: &'a Input, key: &str) -> Option<&'a Input> {
    Some(input.get(key)).filter(|v| !v.is_absent())
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
