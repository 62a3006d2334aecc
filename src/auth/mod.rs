//! Callback authentication, pure: reading a callback's `Authorization: Bearer <JWT>`, choosing
//! its key from a JWKS, and checking its claims the way Graph's callbacks must be checked
//! (microsoft-graph-comms-samples' `AuthenticationProvider`; CONTRACT.md "Token on callback").
//! The RS256 signature itself is checked by the platform's WebCrypto in the wasm layer, between
//! [`prepare`] and [`check_claims`]; signing (`createCallbackSigner`) builds its tokens here.

mod claims;
mod jwt;
mod options;

pub use claims::{check_claims, ClaimRules, DEFAULT_CLOCK_SKEW_SECONDS, GRAPH_ISSUERS, TENANT_CLAIM};
pub use jwt::{encode_segment, modulus_bits, prepare, signing_input, Prepared, MAX_TOKEN_BYTES, MIN_RSA_BITS};
pub use options::{SignerOptions, VerifyOptions, DEFAULT_AUDIENCE, DEFAULT_JWKS_URI, DEFAULT_TENANT};

/// Why a token is refused: one reason out of a fixed list (stable: bots branch on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenFailure {
    /// No `Authorization` header, or an empty one.
    Missing,
    /// Not `Bearer <three base64url segments of JSON>`, over 16 KiB, or a claim of the wrong type.
    Malformed,
    /// Anything but RS256 (`none`, `HS256` with the public key as secret, …).
    UnsupportedAlgorithm,
    /// No `kid`, no key with that `kid` in the JWKS, or a key that is not a usable RSA key.
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    IssuerMismatch,
    AudienceMismatch,
    TenantMismatch,
}

impl TokenFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenFailure::Missing => "missing",
            TokenFailure::Malformed => "malformed",
            TokenFailure::UnsupportedAlgorithm => "unsupportedAlgorithm",
            TokenFailure::UnknownKey => "unknownKey",
            TokenFailure::BadSignature => "badSignature",
            TokenFailure::Expired => "expired",
            TokenFailure::NotYetValid => "notYetValid",
            TokenFailure::IssuerMismatch => "issuerMismatch",
            TokenFailure::AudienceMismatch => "audienceMismatch",
            TokenFailure::TenantMismatch => "tenantMismatch",
        }
    }
}

/// A refused token: the reason, and words for a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: TokenFailure,
    pub message: String,
}

impl Refusal {
    pub fn new(reason: TokenFailure, message: impl Into<String>) -> Refusal {
        Refusal { reason, message: message.into() }
    }
}
