use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use crate::Label;

/// The broad class of a finding, which is what compliance policies usually
/// act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Category {
    /// Personal data: names, contact details, government identifiers.
    Pii,
    /// Health data: medical record numbers, provider and NHS numbers.
    Phi,
    /// Payment data: card numbers, bank accounts, IBANs, wallet addresses.
    Pci,
    /// Credentials: API keys, tokens, passwords, private keys.
    Secret,
    /// Prompt-injection attempts.
    Injection,
    /// Anything a user-defined rule reports.
    Custom,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 6] = [
        Category::Pii,
        Category::Phi,
        Category::Pci,
        Category::Secret,
        Category::Injection,
        Category::Custom,
    ];

    /// The lower-case name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pii => "pii",
            Category::Phi => "phi",
            Category::Pci => "pci",
            Category::Secret => "secret",
            Category::Injection => "injection",
            Category::Custom => "custom",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category name that is not one of `pii, phi, pci, secret, injection, custom`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown category {name:?} (expected one of pii, phi, pci, secret, injection, custom)")]
pub struct ParseCategoryError {
    /// The name that did not parse.
    pub name: String,
}

impl FromStr for Category {
    type Err = ParseCategoryError;
    fn from_str(s: &str) -> Result<Category, ParseCategoryError> {
        let t = s.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(t))
            .or_else(|| match t.to_ascii_lowercase().as_str() {
                "secrets" => Some(Category::Secret),
                "prompt_injection" | "prompt-injection" => Some(Category::Injection),
                _ => None,
            })
            .ok_or_else(|| ParseCategoryError { name: s.to_owned() })
    }
}

macro_rules! entity_types {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $cat:ident, [$($alias:literal),*]; )*) => {
        /// What kind of value a finding is.
        ///
        /// Built-in names follow Presidio's (`EMAIL_ADDRESS`, `US_SSN`, …) so
        /// that findings can be compared with it; serde uses exactly those
        /// strings and also accepts common other spellings (`EMAIL`, `SSN`,
        /// …, case-insensitive). Any other upper-case name is a
        /// [`EntityType::Custom`] type declared by a user rule; whether it is
        /// *known* depends on the configuration, which validates it.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum EntityType {
            $( $(#[$doc])* $variant, )*
            /// A user-defined type (the name of a custom rule's type).
            Custom(Label),
        }

        impl EntityType {
            /// Every built-in type.
            pub const BUILTIN: &'static [EntityType] = &[$(EntityType::$variant),*];

            /// The canonical (Presidio-compatible) name.
            pub fn as_str(&self) -> &str {
                match self {
                    $(EntityType::$variant => $name,)*
                    EntityType::Custom(name) => name.as_str(),
                }
            }

            /// The category a type belongs to. Custom types default to
            /// [`Category::Custom`]; a custom rule may report its findings
            /// under another category.
            pub fn category(&self) -> Category {
                match self {
                    $(EntityType::$variant => Category::$cat,)*
                    EntityType::Custom(_) => Category::Custom,
                }
            }

            /// The position of a built-in type in [`EntityType::BUILTIN`]
            /// (stable within a release; handy for bit sets), `None` for
            /// custom types.
            pub fn builtin_index(&self) -> Option<usize> {
                let mut i = 0usize;
                $(
                    if matches!(self, EntityType::$variant) {
                        return Some(i);
                    }
                    i += 1;
                )*
                let _ = i;
                None
            }

            /// Parses a built-in name or alias (case-insensitive, `-` or
            /// space accepted for `_`). Returns `None` for anything else.
            pub fn parse_builtin(s: &str) -> Option<EntityType> {
                let norm: String = s
                    .trim()
                    .chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_uppercase() })
                    .collect();
                match norm.as_str() {
                    $($name $(| $alias)* => Some(EntityType::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

entity_types! {
    /// A person's name.
    Person = "PERSON", Pii, ["NAME", "PER", "PERSON_NAME"];
    /// An e-mail address.
    EmailAddress = "EMAIL_ADDRESS", Pii, ["EMAIL", "E_MAIL", "MAIL"];
    /// A telephone number.
    PhoneNumber = "PHONE_NUMBER", Pii, ["PHONE", "TELEPHONE", "PHONE_NO", "MOBILE"];
    /// A US Social Security number.
    UsSsn = "US_SSN", Pii, ["SSN", "SOCIAL_SECURITY_NUMBER"];
    /// A US Individual Taxpayer Identification Number.
    UsItin = "US_ITIN", Pii, ["ITIN"];
    /// A payment card number (PAN).
    CreditCard = "CREDIT_CARD", Pci, ["CARD", "CREDIT_CARD_NUMBER", "CC", "PAN", "CARD_NUMBER"];
    /// An International Bank Account Number.
    IbanCode = "IBAN_CODE", Pci, ["IBAN"];
    /// An IPv4 or IPv6 address.
    IpAddress = "IP_ADDRESS", Pii, ["IP", "IPV4", "IPV6"];
    /// A MAC (hardware) address.
    MacAddress = "MAC_ADDRESS", Pii, ["MAC"];
    /// A URL.
    Url = "URL", Pii, ["URI", "LINK"];
    /// An absolute calendar date or date-time.
    DateTime = "DATE_TIME", Pii, ["DATE", "DATETIME", "TIMESTAMP", "DOB", "DATE_OF_BIRTH"];
    /// A street address, city, region or country.
    Location = "LOCATION", Pii, ["ADDRESS", "LOC", "GPE", "STREET_ADDRESS"];
    /// A US bank account number.
    UsBankNumber = "US_BANK_NUMBER", Pci, ["BANK_ACCOUNT", "US_BANK_ACCOUNT", "BANK_NUMBER", "ACCOUNT_NUMBER"];
    /// A US driver's licence number.
    UsDriverLicense = "US_DRIVER_LICENSE", Pii, ["DRIVER_LICENSE", "DRIVERS_LICENSE", "DRIVER_LICENCE", "US_DRIVER_LICENCE"];
    /// A US passport number.
    UsPassport = "US_PASSPORT", Pii, ["PASSPORT"];
    /// A medical record number.
    MedicalRecordNumber = "MEDICAL_RECORD_NUMBER", Phi, ["MRN", "MEDICAL_RECORD"];
    /// A US National Provider Identifier.
    Npi = "NPI", Phi, ["US_NPI"];
    /// A UK NHS number.
    UkNhs = "UK_NHS", Phi, ["NHS", "NHS_NUMBER"];
    /// A cryptocurrency (bitcoin) address.
    Crypto = "CRYPTO", Pci, ["CRYPTO_WALLET", "BITCOIN", "BTC", "WALLET"];
    /// A credential: API key, token, password, private key.
    Secret = "SECRET", Secret, ["API_KEY", "CREDENTIAL", "TOKEN", "PASSWORD", "SECRETS"];
    /// A prompt-injection attempt.
    PromptInjection = "PROMPT_INJECTION", Injection, ["INJECTION", "JAILBREAK"];
}

impl EntityType {
    /// A custom type with the given name.
    pub fn custom(name: impl Into<Label>) -> EntityType {
        EntityType::Custom(name.into())
    }

    /// Whether this is a built-in type.
    pub fn is_builtin(&self) -> bool {
        !matches!(self, EntityType::Custom(_))
    }
}

impl fmt::Debug for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parsing never fails for a well-formed name: built-in names and aliases
/// map to their type, anything else of the form `[A-Za-z][A-Za-z0-9_]*`
/// becomes [`EntityType::Custom`] (upper-cased). Whether a custom name is
/// declared is for the configuration to validate.
impl FromStr for EntityType {
    type Err = ParseEntityTypeError;
    fn from_str(s: &str) -> Result<EntityType, ParseEntityTypeError> {
        if let Some(t) = EntityType::parse_builtin(s) {
            return Ok(t);
        }
        let t = s.trim();
        let mut chars = t.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if well_formed {
            Ok(EntityType::Custom(Label::new_shared(
                t.to_ascii_uppercase(),
            )))
        } else {
            Err(ParseEntityTypeError { name: s.to_owned() })
        }
    }
}

/// An entity type name that is not of the form `[A-Za-z][A-Za-z0-9_]*`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid entity type name {name:?}: expected letters, digits and underscores")]
pub struct ParseEntityTypeError {
    /// The name that did not parse.
    pub name: String,
}

impl Serialize for EntityType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntityType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<EntityType, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in EntityType::BUILTIN {
            let json = serde_json::to_string(t).expect("serializes");
            let back: EntityType = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(&back, t);
            assert_eq!(EntityType::parse_builtin(t.as_str()).as_ref(), Some(t));
        }
        assert_eq!(EntityType::BUILTIN.len(), 21);
        for (i, t) in EntityType::BUILTIN.iter().enumerate() {
            assert_eq!(t.builtin_index(), Some(i));
        }
        assert_eq!(EntityType::custom("X").builtin_index(), None);
    }

    #[test]
    fn aliases() {
        let cases = [
            ("EMAIL", EntityType::EmailAddress),
            ("ssn", EntityType::UsSsn),
            ("credit-card", EntityType::CreditCard),
            ("iban", EntityType::IbanCode),
            ("MRN", EntityType::MedicalRecordNumber),
            ("nhs number", EntityType::UkNhs),
            ("api_key", EntityType::Secret),
        ];
        for (name, want) in cases {
            let got: EntityType = serde_json::from_str(&format!("{name:?}")).expect("alias parses");
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn custom_and_invalid_names() {
        let t: EntityType = "employee_id".parse().expect("well formed");
        assert_eq!(t, EntityType::custom("EMPLOYEE_ID"));
        assert_eq!(t.category(), Category::Custom);
        assert!(!t.is_builtin());
        assert!("9lives".parse::<EntityType>().is_err());
        assert!("has space!".parse::<EntityType>().is_err());
    }

    #[test]
    fn categories() {
        assert_eq!(EntityType::CreditCard.category(), Category::Pci);
        assert_eq!(EntityType::Npi.category(), Category::Phi);
        assert_eq!(EntityType::Secret.category(), Category::Secret);
        assert_eq!(EntityType::PromptInjection.category(), Category::Injection);
        assert_eq!("PII".parse::<Category>(), Ok(Category::Pii));
        assert!("payments".parse::<Category>().is_err());
        let c: Category = serde_json::from_str("\"phi\"").expect("parses");
        assert_eq!(c, Category::Phi);
    }
}
