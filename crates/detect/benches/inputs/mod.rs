//! Deterministic benchmark inputs, shared by `benches/scan.rs` (criterion)
//! and `cargo xtask bench` (which includes this file with `#[path]`), so
//! both measure the same texts.
//!
//! Two kinds of text, ASCII only so a length in bytes is exact:
//! - *clean*: English-like support-ticket prose with no sensitive value
//!   (numbers and ordinary punctuation included, so shapes still fire);
//! - *dense*: the same prose with a synthetic sensitive value every eight
//!   words or so — e-mail addresses, phone numbers, SSNs, Luhn-valid card
//!   numbers, IBANs, IP addresses, API-key-like tokens, dates — about one
//!   value per 60 bytes.
//!
//! Everything is derived from a seed with SplitMix64: no I/O, no clock.
#![allow(dead_code)] // each includer uses a different subset

/// A small deterministic PRNG (SplitMix64).
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn digits(&mut self, out: &mut String, n: usize) {
        for _ in 0..n {
            out.push(char::from(b'0' + self.below(10) as u8));
        }
    }
}

const WORDS: &[&str] = &[
    "the",
    "customer",
    "reported",
    "that",
    "their",
    "order",
    "was",
    "delayed",
    "and",
    "asked",
    "for",
    "a",
    "refund",
    "we",
    "checked",
    "system",
    "logs",
    "found",
    "an",
    "error",
    "in",
    "payment",
    "service",
    "after",
    "release",
    "team",
    "will",
    "follow",
    "up",
    "with",
    "update",
    "please",
    "confirm",
    "account",
    "settings",
    "before",
    "next",
    "billing",
    "cycle",
    "support",
    "ticket",
    "escalated",
    "to",
    "engineering",
    "because",
    "issue",
    "affects",
    "several",
    "users",
    "on",
    "mobile",
    "app",
    "version",
    "3",
    "12",
    "build",
    "is",
    "stable",
    "now",
    "thanks",
    "meeting",
    "notes",
    "summary",
    "project",
    "deadline",
    "moved",
    "Friday",
    "review",
    "draft",
    "document",
    "shared",
    "folder",
    "contains",
    "latest",
    "figures",
    "quarter",
    "revenue",
    "grew",
    "percent",
    "compared",
    "last",
    "year",
    "model",
    "prompt",
    "response",
    "latency",
    "improved",
];

const FIRST: &[&str] = &[
    "jane", "john", "maria", "wei", "olga", "ahmed", "lucas", "emma",
];
const LAST: &[&str] = &[
    "doe", "smith", "garcia", "chen", "ivanova", "khan", "moreau", "brown",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "corp.example",
];
/// Luhn-valid test card numbers (documentation values).
const CARDS: &[&str] = &[
    "4111 1111 1111 1111",
    "5555-5555-5555-4444",
    "378282246310005",
    "6011111111111117",
    "4012888888881881",
];
const IBANS: &[&str] = &[
    "GB82 WEST 1234 5698 7654 32",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
];

/// Appends one synthetic sensitive value.
fn push_value(rng: &mut Rng, out: &mut String) {
    match rng.below(9) {
        0 | 1 => {
            out.push_str(rng.pick(FIRST));
            out.push('.');
            out.push_str(rng.pick(LAST));
            out.push('@');
            out.push_str(rng.pick(DOMAINS));
        }
        2 => {
            out.push_str("+1 (555) ");
            rng.digits(out, 3);
            out.push('-');
            rng.digits(out, 4);
        }
        3 => {
            out.push_str("SSN ");
            out.push_str(&format!("{:03}", 100 + rng.below(600)));
            out.push('-');
            out.push_str(&format!("{:02}", 10 + rng.below(89)));
            out.push('-');
            out.push_str(&format!("{:04}", 1000 + rng.below(8999)));
        }
        4 => {
            out.push_str("card ");
            out.push_str(rng.pick(CARDS));
        }
        5 => {
            out.push_str("IBAN ");
            out.push_str(rng.pick(IBANS));
        }
        6 => {
            out.push_str(&format!(
                "{}.{}.{}.{}",
                10 + rng.below(200),
                rng.below(256),
                rng.below(256),
                1 + rng.below(254)
            ));
        }
        7 => {
            out.push_str("AKIA");
            const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            for _ in 0..16 {
                out.push(char::from(B32[rng.below(32) as usize]));
            }
        }
        _ => {
            out.push_str(&format!(
                "born 19{:02}-{:02}-{:02}",
                50 + rng.below(50),
                1 + rng.below(12),
                1 + rng.below(28)
            ));
        }
    }
}

fn generate(len: usize, seed: u64, dense: bool) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(len + 64);
    let mut words_in_sentence = 0;
    while out.len() < len {
        if dense && rng.below(8) == 0 {
            push_value(&mut rng, &mut out);
        } else {
            let w = rng.pick(WORDS);
            if words_in_sentence == 0 {
                let mut cs = w.chars();
                if let Some(c) = cs.next() {
                    out.push(c.to_ascii_uppercase());
                    out.push_str(cs.as_str());
                }
            } else {
                out.push_str(w);
            }
        }
        words_in_sentence += 1;
        if words_in_sentence > 6 && rng.below(6) == 0 {
            out.push_str(if rng.below(10) == 0 { ".\n" } else { ". " });
            words_in_sentence = 0;
        } else {
            out.push(' ');
        }
    }
    out.truncate(len);
    out
}

/// `len` bytes of prose without sensitive values.
pub(crate) fn clean(len: usize, seed: u64) -> String {
    generate(len, seed, false)
}

/// `len` bytes of prose with a sensitive value every eight words or so.
pub(crate) fn dense(len: usize, seed: u64) -> String {
    generate(len, seed, true)
}

/// The inputs every benchmark reports on: (name, text).
pub(crate) fn standard() -> Vec<(&'static str, String)> {
    vec![
        ("2 KB clean", clean(2 << 10, 1)),
        ("2 KB dense", dense(2 << 10, 2)),
        ("1 MB clean", clean(1 << 20, 3)),
        ("1 MB dense", dense(1 << 20, 4)),
    ]
}
