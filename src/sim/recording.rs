//! Recordings: what a completed recordResponse left at its `recordingLocation`, served to a
//! `GET` with `Authorization: Bearer <recordingAccessToken>` (CONTRACT.md §4) as a RIFF/WAVE
//! file whose length is the recorded time, in the format prompts must have ("single-channel,
//! 16-bit, 16 kHz"): silence, since the simulated caller's voice has no sound.

use serde_json::{Map, Value};

use super::date::http_date;
use super::inferred::{EPOCH_MS, RECORDING_TTL_MS};
use super::output::error_response;
use super::HttpResponse;

const SAMPLE_RATE: u32 = 16_000;
const BYTES_PER_SAMPLE: u32 = 2;
/// At most 2 minutes can be recorded (call-record); the file is bounded accordingly.
const MAX_RECORDED_MS: u64 = 10 * 60_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    location: String,
    token: String,
    recorded_ms: u64,
}

/// What a download got.
#[derive(Debug, Clone, PartialEq)]
pub enum Download {
    /// 200 with these headers and the WAVE bytes.
    File { headers: Map<String, Value>, bytes: Vec<u8> },
    /// 401 or 404, with an OData error body.
    Refused(HttpResponse),
}

impl Recording {
    pub fn new(location: &str, token: &str, recorded_ms: u64) -> Recording {
        Recording {
            location: location.to_owned(),
            token: token.to_owned(),
            recorded_ms: recorded_ms.min(MAX_RECORDED_MS),
        }
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    /// Answers a `GET` of the location: the file, 401 without the right bearer token, 404 once
    /// the recording expired (some minutes after the call ended).
    pub fn download(&self, authorization: Option<&str>, now: u64, ended_at: Option<u64>) -> Download {
        if ended_at.is_some_and(|ended| now >= ended + RECORDING_TTL_MS) {
            return Download::Refused(error_response(
                404,
                "ItemNotFound",
                "The recording has expired: it is discarded shortly after the call ends.",
            ));
        }
        let token = authorization.and_then(|a| a.strip_prefix("Bearer ").or_else(|| a.strip_prefix("bearer ")));
        if token != Some(self.token.as_str()) {
            return Download::Refused(error_response(
                401,
                "Unauthorized",
                "A recording is downloaded with Authorization: Bearer <recordingAccessToken>.",
            ));
        }
        let mut headers = Map::new();
        headers.insert("Transfer-Encoding".into(), "chunked".into());
        headers.insert("Date".into(), http_date(EPOCH_MS + now).into());
        headers.insert("Content-Type".into(), "application/octet-stream".into());
        Download::File { headers, bytes: wave(self.recorded_ms) }
    }
}

/// A mono 16-bit 16 kHz PCM RIFF/WAVE file of `ms` milliseconds of silence.
pub fn wave(ms: u64) -> Vec<u8> {
    let samples = (ms * u64::from(SAMPLE_RATE) / 1000) as u32;
    let data_len = samples * BYTES_PER_SAMPLE;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * BYTES_PER_SAMPLE).to_le_bytes()); // byte rate
    out.extend_from_slice(&(BYTES_PER_SAMPLE as u16).to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.resize(44 + data_len as usize, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wave_file_as_long_as_the_recording() {
        let file = wave(1500);
        assert_eq!(&file[..4], b"RIFF");
        assert_eq!(&file[8..16], b"WAVEfmt ");
        assert_eq!(file.len(), 44 + 1500 * 32);
        assert_eq!(u32::from_le_bytes([file[40], file[41], file[42], file[43]]), 1500 * 32);
    }

    #[test]
    fn tokens_and_expiry() {
        let recording = Recording::new("https://file.location/x", "t0k", 1000);
        assert!(matches!(recording.download(Some("Bearer t0k"), 5, None), Download::File { .. }));
        assert!(matches!(recording.download(Some("Bearer nope"), 5, None), Download::Refused(r) if r.status == 401));
        assert!(matches!(recording.download(None, 5, None), Download::Refused(r) if r.status == 401));
        let expired = recording.download(Some("Bearer t0k"), RECORDING_TTL_MS + 10, Some(10));
        assert!(matches!(expired, Download::Refused(r) if r.status == 404));
    }
}
