//! Identifiers. Each kind of thing has its own id type so that a tail can never be passed where a crew id is
//! expected.

use std::fmt;

/// A three-letter IATA airport code (`EWR`), stored inline.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AirportCode([u8; 3]);

impl AirportCode {
    /// Three ASCII capital letters or digits, else `None`.
    pub fn new(code: &str) -> Option<AirportCode> {
        let b = code.as_bytes();
        if b.len() == 3
            && b.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            Some(AirportCode([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("AirportCode holds ASCII only")
    }
}

impl fmt::Display for AirportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AirportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AirportCode({})", self.as_str())
    }
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(text: impl Into<String>) -> $name {
                $name(text.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// An aircraft registration (`N14228`).
    TailId
);
text_id!(
    /// A crew member's employee id.
    CrewId
);
text_id!(
    /// An airline designator (`UA`, `B6`).
    CarrierCode
);
text_id!(
    /// An aircraft type as the fleet plan names it (`AIRBUS A320-232`).
    TypeCode
);

macro_rules! number_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

number_id!(
    /// A leg (one flight from one airport to the next), unique within a schedule.
    LegId
);
number_id!(
    /// A pairing (a sequence of duties from a crew base back to it), unique within a schedule.
    PairingId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airport_codes_are_three_capitals_or_digits() {
        assert_eq!(AirportCode::new("EWR").unwrap().as_str(), "EWR");
        assert!(AirportCode::new("04G").is_some());
        for bad in ["ewr", "EW", "EWRX", "", "E-R"] {
            assert!(AirportCode::new(bad).is_none(), "{bad}");
        }
    }
}
