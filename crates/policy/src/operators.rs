//! Operators: how a sensitive value is rewritten.
//!
//! | operator | output for `jane@corp.com` (type `EMAIL_ADDRESS`) | reversible |
//! | --- | --- | --- |
//! | `replace` | `<EMAIL_ADDRESS>` | no |
//! | `redact` | (nothing) | no |
//! | `mask` | `****@****.***` (mask char, keep first/last *n* characters, separators kept) | no |
//! | `hash` | `<EMAIL_ADDRESS:9f86d081884c7d65…>` (HMAC-SHA-256, keyed, stable per key) | no |
//! | `encrypt` | `<EMAIL_ADDRESS:enc:…>` (AES-256-GCM, random nonce) | with the key ([`Anonymizer::decrypt`]) |
//! | `pseudonymize` | `<EMAIL_ADDRESS_1>` (numbered per conversation) | yes ([`Vault::restore`]) |

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use deepsentinel_core::{EntityType, Span};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::OperatorError;
use crate::vault::Vault;

fn star() -> char {
    '*'
}

fn sixteen() -> usize {
    16
}

/// How a value is rewritten; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum OperatorSpec {
    /// `<TYPE>`.
    Replace,
    /// Removes the value.
    Redact,
    /// Replaces letters and digits by `char`, keeping the first
    /// `keep_first` and the last `keep_last` of them; every other character
    /// (separators such as spaces, dashes, `@`, `.`) is kept.
    Mask {
        /// The mask character.
        #[serde(default = "star")]
        char: char,
        /// Letters/digits kept at the start.
        #[serde(default)]
        keep_first: usize,
        /// Letters/digits kept at the end (4 shows a card's last four).
        #[serde(default)]
        keep_last: usize,
    },
    /// `<TYPE:hex>`: the first `bytes` bytes of HMAC-SHA-256 under the
    /// configured key, hex-encoded.
    Hash {
        /// Digest bytes kept (4 to 32).
        #[serde(default = "sixteen")]
        bytes: usize,
    },
    /// `<TYPE:enc:base64url>`: AES-256-GCM under the configured key, with a
    /// random 96-bit nonce prepended.
    Encrypt,
    /// `<TYPE_n>`: a numbered placeholder, the same value always getting
    /// the same one within a conversation ([`Vault`]).
    Pseudonymize,
}

impl OperatorSpec {
    /// The operator's name in policy files.
    pub fn name(&self) -> &'static str {
        match self {
            OperatorSpec::Replace => "replace",
            OperatorSpec::Redact => "redact",
            OperatorSpec::Mask { .. } => "mask",
            OperatorSpec::Hash { .. } => "hash",
            OperatorSpec::Encrypt => "encrypt",
            OperatorSpec::Pseudonymize => "pseudonymize",
        }
    }

    /// Parses a bare operator name with its defaults (`mask` keeps the last
    /// four characters), as the CLI's `--operator` takes it.
    pub fn parse(name: &str) -> Option<OperatorSpec> {
        Some(match name {
            "replace" => OperatorSpec::Replace,
            "redact" => OperatorSpec::Redact,
            "mask" => OperatorSpec::Mask {
                char: '*',
                keep_first: 0,
                keep_last: 4,
            },
            "hash" => OperatorSpec::Hash { bytes: 16 },
            "encrypt" => OperatorSpec::Encrypt,
            "pseudonymize" => OperatorSpec::Pseudonymize,
            _ => return None,
        })
    }

    /// Checks the operator's parameters.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            OperatorSpec::Hash { bytes } if !(4..=32).contains(bytes) => {
                Err(format!("hash bytes must be in 4..=32, got {bytes}"))
            }
            OperatorSpec::Mask { char, .. } if char.is_alphanumeric() => Err(format!(
                "mask char `{char}` is a letter or digit: masked text would look like data"
            )),
            _ => Ok(()),
        }
    }

    /// Whether the original can be recovered from the output.
    pub fn is_reversible(&self) -> bool {
        matches!(self, OperatorSpec::Encrypt | OperatorSpec::Pseudonymize)
    }
}

impl fmt::Display for OperatorSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperatorSpec::Mask {
                char,
                keep_first,
                keep_last,
            } => write!(
                f,
                "mask('{char}', keep first {keep_first}, last {keep_last})"
            ),
            OperatorSpec::Hash { bytes } => write!(f, "hash({bytes} bytes)"),
            other => f.write_str(other.name()),
        }
    }
}

/// Key material. `Debug` never shows it.
#[derive(Clone, Default)]
pub struct Keys {
    hmac: Option<Vec<u8>>,
    aes: Option<[u8; 32]>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("hmac", &self.hmac.as_ref().map(|_| "<set>"))
            .field("aes", &self.aes.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl Keys {
    /// No keys: `hash` and `encrypt` fail with a typed error.
    pub fn none() -> Keys {
        Keys::default()
    }

    /// Fresh random keys for this process: hashes are stable and encrypted
    /// values decrypt only while it runs.
    pub fn ephemeral() -> Result<Keys, OperatorError> {
        let mut h = vec![0u8; 32];
        let mut a = [0u8; 32];
        getrandom::fill(&mut h).map_err(|e| OperatorError::Random(e.to_string()))?;
        getrandom::fill(&mut a).map_err(|e| OperatorError::Random(e.to_string()))?;
        Ok(Keys {
            hmac: Some(h),
            aes: Some(a),
        })
    }

    /// Sets the HMAC key (at least 16 bytes).
    pub fn with_hmac_key(mut self, key: &[u8]) -> Result<Keys, OperatorError> {
        if key.len() < 16 {
            return Err(OperatorError::KeyLength {
                which: "HMAC",
                expected: 16,
                got: key.len(),
            });
        }
        self.hmac = Some(key.to_vec());
        Ok(self)
    }

    /// Sets the AES-256 key (exactly 32 bytes).
    pub fn with_aes_key(mut self, key: &[u8]) -> Result<Keys, OperatorError> {
        let k: [u8; 32] = key.try_into().map_err(|_| OperatorError::KeyLength {
            which: "AES-256",
            expected: 32,
            got: key.len(),
        })?;
        self.aes = Some(k);
        Ok(self)
    }

    /// Decodes a key given as 64 hex digits or base64 (standard or URL-safe).
    pub fn decode_key(which: &'static str, s: &str) -> Result<Vec<u8>, OperatorError> {
        let s = s.trim();
        if s.len() % 2 == 0 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return (0..s.len())
                .step_by(2)
                .map(|i| {
                    s.get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or(OperatorError::KeyEncoding {
                            which,
                            encoding: "hex",
                        })
                })
                .collect();
        }
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .or_else(|_| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')))
            .map_err(|_| OperatorError::KeyEncoding {
                which,
                encoding: "hex or base64",
            })
    }
}

/// One value to rewrite: where, what type, how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rewrite {
    /// The value's span in the text.
    pub span: Span,
    /// Its type (names the placeholder).
    pub entity_type: EntityType,
    /// The operator.
    pub operator: OperatorSpec,
}

/// Applies operators to text. Cheap to clone; holds the keys.
#[derive(Debug, Clone, Default)]
pub struct Anonymizer {
    keys: Keys,
}

impl Anonymizer {
    /// An anonymizer with these keys.
    pub fn new(keys: Keys) -> Anonymizer {
        Anonymizer { keys }
    }

    /// The rewritten form of one `value` of type `t`.
    pub fn operate(
        &self,
        op: &OperatorSpec,
        t: &EntityType,
        value: &str,
        vault: &mut Vault,
    ) -> Result<String, OperatorError> {
        Ok(match op {
            OperatorSpec::Replace => format!("<{t}>"),
            OperatorSpec::Redact => String::new(),
            OperatorSpec::Mask {
                char,
                keep_first,
                keep_last,
            } => mask(value, *char, *keep_first, *keep_last),
            OperatorSpec::Hash { bytes } => {
                let key = self
                    .keys
                    .hmac
                    .as_ref()
                    .ok_or(OperatorError::MissingHmacKey)?;
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
                    .map_err(|_| OperatorError::MissingHmacKey)?;
                mac.update(t.as_str().as_bytes());
                mac.update(&[0]);
                mac.update(value.as_bytes());
                let digest = mac.finalize().into_bytes();
                let n = (*bytes).clamp(4, 32);
                let mut out = format!("<{t}:");
                for b in digest.iter().take(n) {
                    out.push_str(&format!("{b:02x}"));
                }
                out.push('>');
                out
            }
            OperatorSpec::Encrypt => {
                let key = self.keys.aes.as_ref().ok_or(OperatorError::MissingAesKey)?;
                let cipher = Aes256Gcm::new(key.into());
                let mut nonce = [0u8; 12];
                getrandom::fill(&mut nonce).map_err(|e| OperatorError::Random(e.to_string()))?;
                let ct = cipher
                    .encrypt(Nonce::from_slice(&nonce), value.as_bytes())
                    .map_err(|_| OperatorError::Random("AES-GCM encryption failed".into()))?;
                let mut blob = nonce.to_vec();
                blob.extend_from_slice(&ct);
                format!("<{t}:enc:{}>", URL_SAFE_NO_PAD.encode(blob))
            }
            OperatorSpec::Pseudonymize => vault.placeholder(t, value),
        })
    }

    /// `text` with every rewrite applied. Rewrites must not overlap; they
    /// are applied in span order. Placeholder-shaped text already in `text`
    /// is reserved in `vault` first, so restoring never turns a user's own
    /// `<PERSON_1>` into somebody's name.
    pub fn apply(
        &self,
        text: &str,
        rewrites: &[Rewrite],
        vault: &mut Vault,
    ) -> Result<String, OperatorError> {
        vault.reserve_existing(text);
        let mut order: Vec<usize> = (0..rewrites.len()).collect();
        order.sort_by_key(|&i| (rewrites[i].span.start(), rewrites[i].span.end()));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for i in order {
            let r = &rewrites[i];
            let (s, e) = (r.span.start(), r.span.end());
            let bad = || OperatorError::BadSpan {
                index: i,
                start: s,
                end: e,
                len: text.len(),
            };
            let value = text.get(s..e).ok_or_else(bad)?;
            if s < at {
                // Overlaps the previous rewrite: that one already covers it.
                continue;
            }
            out.push_str(text.get(at..s).ok_or_else(bad)?);
            out.push_str(&self.operate(&r.operator, &r.entity_type, value, vault)?);
            at = e;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Ok(out)
    }

    /// `text` with every `<TYPE:enc:…>` token this key produced decrypted.
    /// A token that does not decrypt is an error naming its offset.
    pub fn decrypt(&self, text: &str) -> Result<String, OperatorError> {
        let key = self.keys.aes.as_ref().ok_or(OperatorError::MissingAesKey)?;
        let cipher = Aes256Gcm::new(key.into());
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        let mut search = 0;
        while let Some(rel) = text.get(search..).and_then(|t| t.find(":enc:")) {
            let mark = search + rel;
            search = mark + 5;
            let Some(open) = text.get(..mark).and_then(|t| t.rfind('<')) else {
                continue;
            };
            if open < at || !is_type_name(text.get(open + 1..mark).unwrap_or("")) {
                continue;
            }
            let Some(close) = text.get(search..).and_then(|t| t.find('>')) else {
                continue;
            };
            let payload = text.get(search..search + close).unwrap_or("");
            if payload.is_empty()
                || !payload
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                continue;
            }
            let err = OperatorError::Decrypt { offset: open };
            let blob = URL_SAFE_NO_PAD.decode(payload).map_err(|_| err.clone())?;
            if blob.len() < 12 + 16 {
                return Err(err);
            }
            let (nonce, ct) = blob.split_at(12);
            let plain = cipher
                .decrypt(Nonce::from_slice(nonce), ct)
                .map_err(|_| err.clone())?;
            let plain = String::from_utf8(plain).map_err(|_| err)?;
            out.push_str(text.get(at..open).unwrap_or(""));
            out.push_str(&plain);
            at = search + close + 1;
            search = at;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Ok(out)
    }
}

/// Whether `s` is a type name as placeholders spell it (`PERSON`,
/// `EMAIL_ADDRESS`, a custom `EMPLOYEE_ID`).
pub(crate) fn is_type_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

/// Masks letters and digits of `value` with `ch`, keeping the first
/// `first` and last `last` of them and every other character. A value too
/// short to keep that many while hiding at least one character is masked
/// whole: masking never reveals an entire value.
pub fn mask(value: &str, ch: char, first: usize, last: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let (first, last) = if first.saturating_add(last) >= total {
        (0, 0)
    } else {
        (first, last)
    };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= first || seen > total.saturating_sub(last) {
                c
            } else {
                ch
            }
        })
        .collect()
}
