//! Checksums and structural validators, usable by name from custom rules.
//!
//! Each validator takes the matched text and ignores the separators its
//! format allows (spaces, dashes, dots), so `4111-1111-1111-1111` and
//! `4111111111111111` validate alike.

pub(crate) mod github;
pub(crate) mod luhn;

/// A validator a custom rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validator {
    /// Luhn mod-10 over the digits (payment cards, IMEIs, …).
    Luhn,
}

impl Validator {
    /// Every accepted name.
    pub(crate) const NAMES: &'static [&'static str] = &["luhn"];

    /// Looks a validator up by name (case-insensitive, `-`/`_` alike).
    pub(crate) fn by_name(name: &str) -> Option<Validator> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "luhn" => Some(Validator::Luhn),
            _ => None,
        }
    }

    /// Whether `value` passes.
    pub(crate) fn check(self, value: &str) -> bool {
        match self {
            Validator::Luhn => luhn::is_valid_str(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves() {
        for n in Validator::NAMES {
            assert!(Validator::by_name(n).is_some(), "{n}");
        }
        assert!(Validator::by_name("nope").is_none());
    }
}
