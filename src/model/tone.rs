//! DTMF tones. Two vocabularies name the same keys (CONTRACT.md §13.24): `stopTones` on
//! recordResponse are DTMF characters (`"#"`, `"1"`), `toneInfo.tone` uses enum names
//! (`pound`, `tone1`). This file is the one mapping between them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire_enum::wire_enum;

wire_enum! {
    /// `tone` enum: the key the caller pressed, as `toneInfo.tone` names it.
    Tone {
        Tone0 = "tone0", Tone1 = "tone1", Tone2 = "tone2", Tone3 = "tone3", Tone4 = "tone4",
        Tone5 = "tone5", Tone6 = "tone6", Tone7 = "tone7", Tone8 = "tone8", Tone9 = "tone9",
        Star = "star", Pound = "pound", A = "a", B = "b", C = "c", D = "d", Flash = "flash",
    }
}

/// The DTMF characters a caller can press, in `Tone` order (flash has no character).
pub const DTMF_KEYS: &str = "0123456789*#ABCD";

impl Tone {
    /// The tone of a DTMF character: `'0'`–`'9'`, `'*'`, `'#'`, `'A'`–`'D'` (also lowercase).
    pub fn from_dtmf(key: char) -> Option<Tone> {
        let tone = match key.to_ascii_uppercase() {
            '0' => Tone::Tone0,
            '1' => Tone::Tone1,
            '2' => Tone::Tone2,
            '3' => Tone::Tone3,
            '4' => Tone::Tone4,
            '5' => Tone::Tone5,
            '6' => Tone::Tone6,
            '7' => Tone::Tone7,
            '8' => Tone::Tone8,
            '9' => Tone::Tone9,
            '*' => Tone::Star,
            '#' => Tone::Pound,
            'A' => Tone::A,
            'B' => Tone::B,
            'C' => Tone::C,
            'D' => Tone::D,
            _ => return None,
        };
        Some(tone)
    }

    /// The DTMF character of a tone (`None` for `flash` and unknown tones).
    pub fn dtmf(&self) -> Option<char> {
        let index = Tone::KNOWN.iter().position(|name| *name == self.as_str())?;
        DTMF_KEYS.chars().nth(index)
    }
}

/// `toneInfo`: one DTMF event on a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ToneInfo {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_type: Option<String>,
    /// "An incremental identifier used for ordering DTMF events" (Int64).
    pub sequence_id: i64,
    pub tone: Tone,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
