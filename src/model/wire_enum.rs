//! `wire_enum!`: string enums of the Graph wire format that never fail on a value they do not
//! know. Graph adds enum members over time (`unknownFutureValue` is its own admission), so an
//! unknown value is kept verbatim in `Unknown` and written back unchanged.

/// Declares an enum with its exact camelCase wire names plus an `Unknown(String)` variant.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($variant,)+
            /// A value this version of graph-ivr does not know, kept as it arrived.
            Unknown(String),
        }

        impl $name {
            /// Every known wire value, in metadata order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value exactly as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Exact, case-sensitive parse; anything else becomes `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// The known value that equals `value` ignoring ASCII case (`Completed` → `completed`).
            pub fn from_wire_ignore_case(value: &str) -> Option<Self> {
                $(if value.eq_ignore_ascii_case($wire) { return Some($name::$variant); })+
                None
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::from_wire(&text))
            }
        }
    };
}

pub(crate) use wire_enum;
