//! Checksums and structural validators, usable by name from custom rules.
//!
//! Each validator takes the matched text and ignores the separators its
//! format allows (spaces, dashes, dots), so `4111-1111-1111-1111` and
//! `4111111111111111` validate alike.

pub(crate) mod aba;
pub(crate) mod base58;
pub(crate) mod bech32;
pub(crate) mod date;
pub(crate) mod eip55;
pub(crate) mod github;
pub(crate) mod iban;
pub(crate) mod ip;
pub(crate) mod luhn;
pub(crate) mod nhs;
pub(crate) mod npi;
pub(crate) mod ssn;

/// A validator a custom rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validator {
    /// Luhn mod-10 over the digits (payment cards, IMEIs, …).
    Luhn,
    /// ABA routing transit number (3-7-1 weights).
    Aba,
    /// Issuable US SSN (not a published sample).
    Ssn,
    /// US ITIN (9XX with an ITIN group).
    Itin,
    /// US NPI (Luhn over `80840` + digits).
    Npi,
    /// UK NHS number (mod 11).
    Nhs,
    /// IBAN: country length table and mod-97.
    Iban,
    /// Base58Check (double SHA-256 checksum).
    Base58Check,
    /// Bech32 / Bech32m checksum.
    Bech32,
    /// Ethereum address; a mixed-case one must match its EIP-55 checksum.
    Eip55,
    /// Dotted-quad IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
    /// A numeric calendar date (ISO, US or European order).
    Date,
}

impl Validator {
    /// Every accepted name.
    pub(crate) const NAMES: &'static [&'static str] = &[
        "luhn",
        "aba",
        "ssn",
        "itin",
        "npi",
        "nhs",
        "iban",
        "base58check",
        "bech32",
        "eip55",
        "ipv4",
        "ipv6",
        "date",
    ];

    /// Looks a validator up by name (case-insensitive, `-`/`_` alike).
    pub(crate) fn by_name(name: &str) -> Option<Validator> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "luhn" => Some(Validator::Luhn),
            "aba" => Some(Validator::Aba),
            "ssn" => Some(Validator::Ssn),
            "itin" => Some(Validator::Itin),
            "npi" => Some(Validator::Npi),
            "nhs" => Some(Validator::Nhs),
            "iban" => Some(Validator::Iban),
            "base58check" => Some(Validator::Base58Check),
            "bech32" => Some(Validator::Bech32),
            "eip55" => Some(Validator::Eip55),
            "ipv4" => Some(Validator::Ipv4),
            "ipv6" => Some(Validator::Ipv6),
            "date" => Some(Validator::Date),
            _ => None,
        }
    }

    /// Whether `value` passes.
    pub(crate) fn check(self, value: &str) -> bool {
        match self {
            Validator::Luhn => luhn::is_valid_str(value),
            Validator::Aba => aba::is_valid_str(value),
            Validator::Ssn => ssn::is_valid_ssn_str(value),
            Validator::Itin => ssn::is_valid_itin_str(value),
            Validator::Npi => npi::is_valid_str(value),
            Validator::Nhs => nhs::is_valid_str(value),
            Validator::Iban => iban::is_valid_str(value),
            Validator::Base58Check => base58::is_valid_check(value.trim()),
            Validator::Bech32 => bech32::is_valid_str(value.trim()),
            Validator::Eip55 => eip55::is_valid_str(value),
            Validator::Ipv4 => ip::is_ipv4(value.trim()),
            Validator::Ipv6 => ip::is_ipv6(value.trim()),
            Validator::Date => date::is_valid_str(value),
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
