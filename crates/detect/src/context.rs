//! Context keywords: words near a candidate that raise or lower its score.
//!
//! Every keyword of every class goes into the scanner's one Aho-Corasick
//! automaton (ASCII case-insensitive). Hits are kept, sorted by position, in
//! the per-scan scratch space, and recognizers ask "is there a keyword of
//! class K within N bytes before this candidate?" with a binary search, so
//! context costs nothing per candidate beyond a few comparisons.
//!
//! To add a class: add a variant to [`Kw`] (at most 64) and its words to
//! [`Kw::words`]. Words are matched whole (ASCII word boundaries on both
//! sides), case-insensitively; multi-word phrases are fine.

/// A class of context keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Kw {
    Ssn,
    Itin,
    TaxId,
    Card,
    CardNegative,
    Iban,
    Account,
    Routing,
    Passport,
    DriverLicense,
    Mrn,
    Patient,
    Npi,
    Nhs,
    Phone,
    Fax,
    Email,
    Dob,
    Date,
    Ip,
    Mac,
    Address,
    Crypto,
    Name,
    Secret,
    Password,
    Order,
    Version,
    Example,
    /// Trigger words of the prompt-injection recognizer (it analyses a
    /// text only when one of these, or an obfuscation cue, is present).
    Injection,
}

impl Kw {
    /// Every class, in declaration order.
    pub(crate) const ALL: &'static [Kw] = &[
        Kw::Ssn,
        Kw::Itin,
        Kw::TaxId,
        Kw::Card,
        Kw::CardNegative,
        Kw::Iban,
        Kw::Account,
        Kw::Routing,
        Kw::Passport,
        Kw::DriverLicense,
        Kw::Mrn,
        Kw::Patient,
        Kw::Npi,
        Kw::Nhs,
        Kw::Phone,
        Kw::Fax,
        Kw::Email,
        Kw::Dob,
        Kw::Date,
        Kw::Ip,
        Kw::Mac,
        Kw::Address,
        Kw::Crypto,
        Kw::Name,
        Kw::Secret,
        Kw::Password,
        Kw::Order,
        Kw::Version,
        Kw::Example,
        Kw::Injection,
    ];

    /// The words of this class (lower-case).
    pub(crate) fn words(self) -> &'static [&'static str] {
        match self {
            Kw::Ssn => &[
                "ssn",
                "ssns",
                "social security",
                "social-security",
                "soc sec",
                "ss#",
                "ss #",
                "ssa",
            ],
            Kw::Itin => &["itin", "individual taxpayer", "taxpayer identification"],
            Kw::TaxId => &[
                "tax id",
                "taxpayer id",
                "tin",
                "tax identification",
                "ein",
                "1099",
                "w-9",
                "w9",
                "w-2",
            ],
            Kw::Card => &[
                "card",
                "credit card",
                "debit card",
                "cc",
                "pan",
                "visa",
                "mastercard",
                "amex",
                "american express",
                "discover",
                "jcb",
                "diners",
                "card number",
                "card_number",
                "cardnumber",
                "card no",
                "payment",
                "charged",
                "billing",
            ],
            Kw::CardNegative => &[
                "ending in",
                "last 4",
                "last four",
                "ends in",
                "exp",
                "expiry",
                "cvv",
                "cvc",
            ],
            Kw::Iban => &["iban", "bic", "swift", "sepa", "bank transfer", "wire"],
            Kw::Account => &[
                "account",
                "acct",
                "acc",
                "a/c",
                "account number",
                "account no",
                "account_number",
                "bank account",
                "checking",
                "savings",
                "direct deposit",
                "deposit",
                "beneficiary",
            ],
            Kw::Routing => &[
                "routing",
                "aba",
                "routing number",
                "rtn",
                "transit",
                "aba_routing",
                "routing_number",
            ],
            Kw::Passport => &[
                "passport",
                "passport no",
                "passport number",
                "passport_number",
                "travel document",
            ],
            Kw::DriverLicense => &[
                "driver license",
                "driver's license",
                "drivers license",
                "driver licence",
                "driving licence",
                "driver_license",
                "drivers_license",
                "license",
                "licence",
                "dl",
                "dl#",
                "lic",
                "license number",
                "license no",
            ],
            Kw::Mrn => &[
                "mrn",
                "medical record",
                "medical record number",
                "medical_record_number",
                "record number",
                "chart",
                "chart number",
                "patient id",
                "patient_id",
                "hospital number",
                "mr#",
                "mr #",
            ],
            Kw::Patient => &[
                "patient",
                "pt",
                "diagnosis",
                "dx",
                "admitted",
                "discharged",
                "clinic",
                "hospital",
                "prescribed",
                "medication",
                "physician",
                "provider",
            ],
            Kw::Npi => &["npi", "national provider", "provider id", "prescriber"],
            Kw::Nhs => &[
                "nhs",
                "nhs number",
                "nhs no",
                "nhs_number",
                "health service",
            ],
            Kw::Phone => &[
                "phone",
                "tel",
                "telephone",
                "mobile",
                "cell",
                "call",
                "text",
                "sms",
                "whatsapp",
                "contact",
                "reach me",
                "ph",
                "phone number",
                "phone_number",
                "landline",
            ],
            Kw::Fax => &["fax"],
            Kw::Email => &["email", "e-mail", "mail", "contact"],
            Kw::Dob => &[
                "dob",
                "date of birth",
                "birth",
                "born",
                "birthday",
                "d.o.b",
                "birthdate",
                "date_of_birth",
            ],
            Kw::Date => &[
                "date", "on", "since", "until", "visit", "updated", "created", "expires", "issued",
            ],
            Kw::Ip => &[
                "ip",
                "ip address",
                "ipv4",
                "ipv6",
                "host",
                "server",
                "client",
                "remote_addr",
                "addr",
            ],
            Kw::Mac => &[
                "mac",
                "mac address",
                "hwaddr",
                "ether",
                "bssid",
                "hardware address",
            ],
            Kw::Address => &[
                "address",
                "addr",
                "street",
                "mailing",
                "shipping",
                "billing address",
                "home",
                "residence",
                "located",
                "lives",
                "office",
                "city",
                "ship to",
            ],
            Kw::Crypto => &[
                "bitcoin", "btc", "wallet", "crypto", "send", "address", "payout",
            ],
            Kw::Name => &[
                "name",
                "my name is",
                "i am",
                "i'm",
                "patient",
                "customer",
                "client",
                "signed",
                "sincerely",
                "regards",
                "thanks",
                "from",
                "to",
                "dear",
                "hi",
                "hello",
                "mr",
                "mrs",
                "ms",
                "dr",
                "contact",
                "employee",
                "user",
                "applicant",
                "contractor",
                "payee",
            ],
            Kw::Secret => &[
                "secret",
                "token",
                "api key",
                "api_key",
                "apikey",
                "access key",
                "access_key",
                "private key",
                "auth",
                "authorization",
                "bearer",
                "credential",
                "credentials",
            ],
            Kw::Password => &["password", "passwd", "pwd", "pass", "passphrase"],
            Kw::Order => &[
                "order",
                "order number",
                "ticket",
                "tracking",
                "invoice",
                "ref",
                "reference",
                "confirmation",
                "case",
                "po",
                "sku",
                "isbn",
                "build",
                "id",
            ],
            Kw::Version => &["version", "v", "ver", "release", "build", "oid"],
            Kw::Example => &["example", "sample", "test", "dummy", "fake", "placeholder"],
            Kw::Injection => &[
                "ignore",
                "ignoring",
                "disregard",
                "forget",
                "instructions",
                "instruction",
                "rules",
                "directives",
                "guidelines",
                "programming",
                "prompt",
                "prompts",
                "system",
                "jailbreak",
                "jailbroken",
                "pretend",
                "dan",
                "developer",
                "grandmother",
                "grandma",
                "unrestricted",
                "uncensored",
                "unfiltered",
                "override",
                "overrides",
                "base64",
                "decode",
                "rot13",
                "inst",
                "sys",
                "im_start",
                "im_end",
                "endoftext",
                "eot_id",
                "llm",
                "language model",
                "assistant",
                "assistants",
                "character",
                "restrictions",
                "verbatim",
                "repeat",
                "reveal",
                "hidden",
                "configuration",
                "told",
                "above",
                "end_of_document",
                "ai",
                "chatbot",
                "ignora",
                "ignoriere",
                "ignorieren",
                "ignorez",
                "ignorer",
                "oublie",
                "oubliez",
                "olvida",
                "olvide",
                "vergiss",
                "dimentica",
                "esqueça",
                "esqueca",
                "negeer",
                "instrucciones",
                "anweisungen",
                "istruzioni",
                "instruções",
                "instrucoes",
                "reglas",
                "règles",
                "regeln",
                "regole",
                "regras",
                "consignes",
                "eres",
                "bist",
                "sei",
                "maintenant",
                "ahora",
                "jetzt",
                "agora",
                "systemprompt",
                "sistema",
                "système",
                "systeme",
                "mode",
                "modus",
                "modo",
                "rule",
                "directive",
                "policy",
                "policies",
                "model",
                "models",
                "conversation",
                "messages",
                "output",
                "persona",
                "roleplay",
                "role-play",
                "filters",
                "guardrails",
                "obey",
                "pwned",
                "admin",
                "administrator",
                "dev",
                "grandpa",
                "terminal",
                "chatgpt",
                "gpt",
                "claude",
                "gemini",
                "copilot",
                "bard",
                "hypothetically",
                "ia",
                "ki",
                "restrizioni",
                "restricoes",
                "restrições",
                "einschränkungen",
                "beschränkungen",
                "filtri",
                "filtros",
                "filtres",
                "censura",
                "censure",
                "constraints",
                "moral",
                "ethical",
                "unethical",
                "censorship",
                "confidential",
                "first message",
                "this message",
                "start_of_turn",
                "end_of_turn",
                "start_header_id",
                "begin_of_text",
            ],
        }
    }

    /// The bit of this class in a [`KwSet`].
    pub(crate) const fn bit(self) -> u64 {
        1u64 << (self as u8)
    }
}

/// A set of keyword classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct KwSet(u64);

impl KwSet {
    /// The empty set.
    pub(crate) const EMPTY: KwSet = KwSet(0);

    /// A set of the given classes.
    pub(crate) const fn of(kws: &[Kw]) -> KwSet {
        let mut bits = 0u64;
        let mut i = 0;
        while i < kws.len() {
            bits |= kws[i].bit();
            i += 1;
        }
        KwSet(bits)
    }

    /// Whether `kw` is in the set.
    pub(crate) const fn contains(self, kw: Kw) -> bool {
        self.0 & kw.bit() != 0
    }

    /// Union.
    pub(crate) const fn union(self, other: KwSet) -> KwSet {
        KwSet(self.0 | other.0)
    }
}

/// One keyword occurrence in the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeywordHit {
    /// Its classes (one word may belong to several, e.g. "contact").
    pub(crate) classes: KwSet,
    /// Byte offsets of the word.
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The keyword hits of one text, sorted by start. Queries are binary
/// searches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keywords<'a> {
    hits: &'a [KeywordHit],
}

impl<'a> Keywords<'a> {
    pub(crate) fn new(hits: &'a [KeywordHit]) -> Keywords<'a> {
        Keywords { hits }
    }

    /// All hits (sorted by start).
    pub(crate) fn all(&self) -> &'a [KeywordHit] {
        self.hits
    }

    /// The nearest hit of a class in `set` that ends at or before `pos` and
    /// no more than `window` bytes before it. Returns the hit and the
    /// distance in bytes from its end to `pos`.
    pub(crate) fn before(
        &self,
        pos: usize,
        window: usize,
        set: KwSet,
    ) -> Option<(KeywordHit, usize)> {
        let lo = pos.saturating_sub(window + 64);
        let first = self.hits.partition_point(|h| h.start < lo);
        let mut best: Option<(KeywordHit, usize)> = None;
        for h in &self.hits[first..] {
            if h.start >= pos {
                break;
            }
            if h.end <= pos && pos - h.end <= window && (h.classes.0 & set.0) != 0 {
                let d = pos - h.end;
                if best.is_none_or(|(_, bd)| d <= bd) {
                    best = Some((*h, d));
                }
            }
        }
        best
    }

    /// The nearest hit of a class in `set` that starts at or after `pos` and
    /// no more than `window` bytes after it.
    pub(crate) fn after(
        &self,
        pos: usize,
        window: usize,
        set: KwSet,
    ) -> Option<(KeywordHit, usize)> {
        let first = self.hits.partition_point(|h| h.start < pos);
        for h in &self.hits[first..] {
            if h.start - pos > window {
                break;
            }
            if (h.classes.0 & set.0) != 0 {
                return Some((*h, h.start - pos));
            }
        }
        None
    }

    /// Whether a hit of a class in `set` lies within `window` bytes before
    /// `start` or after `end`.
    pub(crate) fn near(&self, start: usize, end: usize, window: usize, set: KwSet) -> bool {
        self.before(start, window, set).is_some() || self.after(end, window, set).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_class_once() {
        for (i, kw) in Kw::ALL.iter().enumerate() {
            assert_eq!(*kw as usize, i, "{kw:?} out of order in Kw::ALL");
            for w in kw.words() {
                assert_eq!(*w, w.to_lowercase(), "{w} must be lower-case");
            }
        }
        assert!(Kw::ALL.len() <= 64);
    }

    #[test]
    fn before_and_after() {
        let hits = [
            KeywordHit {
                classes: KwSet::of(&[Kw::Ssn]),
                start: 0,
                end: 3,
            },
            KeywordHit {
                classes: KwSet::of(&[Kw::Account]),
                start: 20,
                end: 27,
            },
        ];
        let k = Keywords::new(&hits);
        assert_eq!(
            k.before(5, 4, KwSet::of(&[Kw::Ssn])).map(|(_, d)| d),
            Some(2)
        );
        assert!(k.before(5, 1, KwSet::of(&[Kw::Ssn])).is_none());
        assert!(k.before(5, 10, KwSet::of(&[Kw::Account])).is_none());
        assert_eq!(
            k.after(10, 10, KwSet::of(&[Kw::Account])).map(|(_, d)| d),
            Some(10)
        );
        assert!(k.near(10, 15, 5, KwSet::of(&[Kw::Account])));
    }
}
