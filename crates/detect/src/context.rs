//! Context keywords: words near a candidate that raise or lower its score.
//!
//! Every keyword of every class goes into one byte trie (ASCII
//! case-insensitive), walked from word starts only. Recognizers ask "is there a keyword of class K within
//! N bytes before this candidate?"; the first question about a region scans
//! that region and remembers the hits, so text without candidates is never
//! scanned for context at all and no byte is scanned twice.
//!
//! To add a class: add a variant to [`Kw`] (at most 64) and its words to
//! [`Kw::words`]. Words are matched whole (no alphanumeric character glued
//! to either side), case-insensitively; multi-word phrases are fine. Every
//! word must start with an ASCII letter or digit.

use std::cell::RefCell;

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
    Score,
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
        Kw::Score,
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
                "socialsecuritynumber",
                "ssnumber",
                "ssn_number",
                "social_security",
                "social_security_number",
                "socialsecurity",
            ],
            Kw::Itin => &["itin", "individual taxpayer", "taxpayer identification"],
            Kw::TaxId => &[
                "tax id",
                "taxpayer id",
                "tin",
                "tax identification",
                "tax_id",
                "taxid",
                "tax_number",
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
                "creditcard",
                "credit_card",
                "cc_number",
                "ccnumber",
                "card_num",
                "cardno",
                "pan_number",
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
                "konto",
                "kontonummer",
                "compte",
                "numéro de compte",
                "cuenta",
                "número de cuenta",
                "conto corrente",
                "accountnumber",
                "accountno",
                "acctno",
                "acct_no",
                "acct_num",
                "bankaccount",
                "bank_account",
                "account_no",
                "accountnum",
            ],
            Kw::Routing => &[
                "routing",
                "aba",
                "routing number",
                "rtn",
                "transit",
                "aba_routing",
                "routing_number",
                "routingnumber",
                "routing_no",
                "abanumber",
                "blz",
                "bankleitzahl",
                "sort code",
                "sort_code",
                "sortcode",
                "bsb",
                "ifsc",
            ],
            Kw::Passport => &[
                "passport",
                "passport no",
                "passport number",
                "passport_number",
                "travel document",
                "reisepass",
                "passeport",
                "pasaporte",
                "passaporto",
                "passport #",
                "passportnumber",
                "passportno",
                "passport_no",
                "passport_num",
                "reisepassnummer",
                "passnummer",
                "pass-nr",
                "numéro de passeport",
                "número de pasaporte",
                "passaporte",
                "paspoort",
                "paspoortnummer",
                "paszport",
                "numero di passaporto",
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
                "dl_number",
                "dl number",
                "dl no",
                "licence number",
                "license #",
                "führerschein",
                "führerscheinnummer",
                "führerschein-nr",
                "fuehrerschein",
                "patente",
                "patente di guida",
                "carteira de motorista",
                "carta de condução",
                "rijbewijs",
                "rijbewijsnummer",
                "prawo jazdy",
                "körkort",
                "licencia",
                "permiso de conducir",
                "permis de conduire",
                "licencia de conducir",
                "driver lic",
                "operator license",
                "dln",
                "driverlicense",
                "driverslicense",
                "driverlicensenumber",
                "licensenumber",
                "dlnumber",
                "dl_no",
                "dl_num",
                "license_number",
                "licence_no",
                "drivers_license_number",
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
                "medical record no",
                "mrn_number",
                "record no",
                "hospital no",
                "patient no",
                "patient number",
                "med rec",
                "medical record #",
                "record #",
                "mrn no",
                "medicalrecordnumber",
                "mrnumber",
                "mrn_no",
                "chart_no",
                "patientid",
                "patientnumber",
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
            Kw::Npi => &[
                "npi",
                "national provider",
                "provider id",
                "prescriber",
                "npinumber",
                "npi_number",
                "provider_npi",
            ],
            Kw::Nhs => &[
                "nhs",
                "nhs number",
                "nhs no",
                "nhs_number",
                "health service",
                "nhsnumber",
                "nhsno",
                "nhs_no",
            ],
            Kw::Phone => &[
                "phone",
                "tel",
                "telephone",
                "my number",
                "mon numéro",
                "mon numero",
                "mi número",
                "mi numero",
                "meu número",
                "meu numero",
                "il mio numero",
                "meine nummer",
                // "call me" in other languages
                "appelez-moi",
                "appelle-moi",
                "rappelez-moi",
                "llámame",
                "llamame",
                "llámeme",
                "llameme",
                "ligue para",
                "ligue-me",
                "me ligue",
                "chiamami",
                "chiamatemi",
                "ruf mich",
                "rufen sie mich",
                "bel me",
                "bel mij",
                "ring mig",
                "ring meg",
                "zadzwoń",
                "zadzwon",
                // "reach me" in other languages
                "erreichen",
                "erreichbar",
                "joindre",
                "joignable",
                "contattarmi",
                "contactarme",
                "bereikbaar",
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
                "called",
                "calling",
                "phone no",
                "mob",
                "cell phone",
                "telefon",
                "téléphone",
                "tél",
                "teléfono",
                "telefono",
                "telefone",
                "handy",
                "móvil",
                "movil",
                "portable",
                "cellphone",
                "tel no",
                "phone #",
                "phonenumber",
                "phones",
                "phoneno",
                "phone_no",
                "mobilenumber",
                "mobile_number",
                "mobilephone",
                "homephone",
                "workphone",
                "cellnumber",
                "telephonenumber",
                "tel_no",
                "msisdn",
                "mobil",
                "mobilnummer",
                "telefonnummer",
                "handynummer",
                "rufnummer",
                "cellulare",
                "celular",
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
                "geburtsdatum",
                "geboren",
                "geb.",
                "date de naissance",
                "né le",
                "née le",
                "fecha de nacimiento",
                "nacido",
                "nacida",
                "data di nascita",
                "nato il",
                "nata il",
                "data de nascimento",
                "nasceu",
                "geboortedatum",
                "geboren op",
            ],
            Kw::Date => &[
                "date",
                "on",
                "since",
                "until",
                "visit",
                "updated",
                "created",
                "expires",
                "issued",
                "dated",
                "due",
                "appointment",
                "admitted",
                "admission",
                "discharged",
                "discharge",
                "seen",
                "signed",
                "effective",
                "scheduled",
                "deadline",
                "datum",
                "termin",
                "am",
                "vom",
                "fecha",
                "data",
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
                "bitcoin", "btc", "wallet", "crypto", "send", "address", "payout", "ethereum",
                "eth", "metamask", "usdt", "usdc", "erc20", "erc-20",
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
                // Health-plan identifiers, no bank accounts (`Health plan
                // beneficiary number: …`).
                "plan beneficiary",
                "member",
                "subscriber",
                "policy",
                "claim",
            ],
            Kw::Version => &["version", "v", "ver", "release", "build", "oid"],
            Kw::Example => &["example", "sample", "test", "dummy", "fake", "placeholder"],
            Kw::Score => &[
                "score", "scores", "scored", "rating", "ratings", "rated", "votes", "grade",
                "grades",
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

    /// Intersection.
    pub(crate) const fn intersect(self, other: KwSet) -> KwSet {
        KwSet(self.0 & other.0)
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

/// The keyword matcher: every word of every class in one byte trie, ASCII
/// case-insensitive, with the classes of each word.
///
/// Keywords only count as whole words (no alphanumeric character glued to
/// either side), so a match can only start where a word starts. Walking the
/// trie from each word start finds exactly the matches an overlapping
/// Aho-Corasick search filtered by word bounds would, but touches a few
/// bytes per word instead of running an automaton over every byte.
pub(crate) struct KeywordMatcher {
    /// Byte -> transition column; 0 for bytes no keyword contains. ASCII
    /// upper- and lower-case letters share a column.
    class: [u8; 256],
    /// The child of the root for each byte (either case), as in `next`.
    root: [u16; 256],
    /// Number of columns per trie node.
    stride: usize,
    /// `next[node * stride + class]`: the child node, 0 for none (the root,
    /// node 0, is nobody's child), with [`TERM`] set if a keyword ends there.
    next: Vec<u16>,
    /// Classes of the keyword ending at each node (empty for none).
    term: Vec<KwSet>,
    /// Number of distinct keywords.
    words: usize,
    /// Length of the longest keyword, so window scans can overlap enough.
    max_len: usize,
    /// The trie turned into one automaton over every byte (see
    /// [`WordStartDfa`]); `None` if it would be too large, and the trie is
    /// walked from each word start instead.
    dfa: Option<WordStartDfa>,
}

impl KeywordMatcher {
    pub(crate) fn new() -> Result<KeywordMatcher, aho_corasick::BuildError> {
        let (words, classes) = Self::patterns();
        let max_len = words.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut class = [0u8; 256];
        let mut ncls = 1usize;
        for w in &words {
            for &b in w.as_bytes() {
                let lo = usize::from(b.to_ascii_lowercase());
                if class[lo] == 0 {
                    // Fewer than 256 distinct bytes: the column fits a u8.
                    class[lo] = u8::try_from(ncls).unwrap_or(u8::MAX);
                    ncls += 1;
                }
                class[usize::from(b.to_ascii_uppercase())] = class[lo];
            }
        }
        let stride = ncls;
        let mut next: Vec<u16> = vec![0; stride];
        let mut term: Vec<KwSet> = vec![KwSet::EMPTY];
        for (w, &set) in words.iter().zip(&classes) {
            let mut node = 0usize;
            for &b in w.as_bytes() {
                let slot = node * stride + usize::from(class[usize::from(b)]);
                let child = next.get(slot).copied().unwrap_or(0);
                node = if child != 0 {
                    usize::from(child)
                } else {
                    let id = term.len();
                    term.push(KwSet::EMPTY);
                    next.resize(next.len() + stride, 0);
                    if let Some(x) = next.get_mut(slot) {
                        *x = u16::try_from(id).unwrap_or(0);
                    }
                    id
                };
            }
            if let Some(t) = term.get_mut(node) {
                *t = t.union(set);
            }
        }
        // Flag the children where a keyword ends; fewer than 2^15 nodes.
        if term.len() >= usize::from(TERM) {
            return Ok(KeywordMatcher::disabled());
        }
        for x in next.iter_mut() {
            if term
                .get(usize::from(*x))
                .is_some_and(|t| *t != KwSet::EMPTY)
            {
                *x |= TERM;
            }
        }
        let mut root = [0u16; 256];
        for (b, r) in root.iter_mut().enumerate() {
            let col = usize::from(class.get(b).copied().unwrap_or(0));
            *r = next.get(col).copied().unwrap_or(0);
        }
        let mut m = KeywordMatcher {
            class,
            root,
            stride,
            next,
            term,
            words: words.len(),
            max_len,
            dfa: None,
        };
        m.dfa = WordStartDfa::new(&m);
        Ok(m)
    }

    /// Every distinct keyword with its classes (a word in several classes
    /// is one pattern with several bits).
    fn patterns() -> (Vec<&'static str>, Vec<KwSet>) {
        let mut words: Vec<&'static str> = Vec::new();
        let mut classes: Vec<KwSet> = Vec::new();
        for kw in Kw::ALL {
            for w in kw.words() {
                if let Some(i) = words.iter().position(|x| x == w) {
                    if let Some(c) = classes.get_mut(i) {
                        *c = c.union(KwSet::of(&[*kw]));
                    }
                } else {
                    words.push(w);
                    classes.push(KwSet::of(&[*kw]));
                }
            }
        }
        (words, classes)
    }

    /// A matcher that finds nothing.
    pub(crate) fn disabled() -> KeywordMatcher {
        KeywordMatcher {
            class: [0; 256],
            root: [0; 256],
            stride: 1,
            next: vec![0],
            term: vec![KwSet::EMPTY],
            words: 0,
            max_len: 0,
            dfa: None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.words
    }

    /// Calls `emit(start, end, classes)` for every whole-word keyword
    /// occurrence starting within `from..to`, each once, in no particular
    /// order (the automaton walks a long region in lanes).
    fn scan(&self, text: &str, from: usize, to: usize, mut emit: impl FnMut(usize, usize, KwSet)) {
        match &self.dfa {
            Some(dfa) => dfa.scan(self, text, from, to, &mut emit),
            None => self.scan_trie(text, from, to, emit),
        }
    }

    /// [`KeywordMatcher::scan`] by walking the trie from each word start,
    /// reporting in (start, end) order.
    ///
    /// Every keyword starts with an ASCII letter or digit (a test checks),
    /// so only word starts need a trie walk: eight ASCII bytes at a time,
    /// a word-start mask is computed with a few integer operations.
    fn scan_trie(
        &self,
        text: &str,
        from: usize,
        to: usize,
        mut emit: impl FnMut(usize, usize, KwSet),
    ) {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const fn splat(b: u8) -> u64 {
            0x0101_0101_0101_0101u64 * b as u64
        }
        let bytes = text.as_bytes();
        let to = to.min(bytes.len());
        let mut i = from.min(to);
        while i < to && !text.is_char_boundary(i) {
            i += 1;
        }
        let mut prev = crate::text::char_before(text, i).is_some_and(char::is_alphanumeric);
        while i < to {
            if let Some(chunk) = bytes.get(i..i + 8).filter(|_| i + 8 <= to) {
                let mut arr = [0u8; 8];
                arr.copy_from_slice(chunk);
                let x = u64::from_le_bytes(arr);
                if x & HIGH == 0 {
                    // Bytes are below 0x80: no carry crosses a byte.
                    let digit = x.wrapping_add(splat(0x80 - b'0'))
                        & !x.wrapping_add(splat(0x80 - b'9' - 1));
                    let y = x | splat(0x20);
                    let letter = y.wrapping_add(splat(0x80 - b'a'))
                        & !y.wrapping_add(splat(0x80 - b'z' - 1));
                    let alnum = (digit | letter) & HIGH;
                    let mut starts = alnum & !((alnum << 8) | (u64::from(prev) << 7));
                    while starts != 0 {
                        let p = i + (starts.trailing_zeros() / 8) as usize;
                        starts &= starts - 1;
                        if bytes
                            .get(p)
                            .is_some_and(|&b| self.root[usize::from(b)] != 0)
                        {
                            self.walk(text, p, &mut emit);
                        }
                    }
                    prev = alnum >> 63 != 0;
                    i += 8;
                    continue;
                }
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if b < 0x80 {
                if !prev && self.root[usize::from(b)] != 0 {
                    self.walk(text, i, &mut emit);
                }
                prev = b.is_ascii_alphanumeric();
                i += 1;
            } else {
                let c = crate::text::char_at(text, i);
                prev = c.is_some_and(char::is_alphanumeric);
                i += c.map_or(1, char::len_utf8);
            }
        }
    }

    /// Reports the keywords that start at `start` and end at a word bound.
    #[inline(always)]
    fn walk(&self, text: &str, start: usize, emit: &mut impl FnMut(usize, usize, KwSet)) {
        let bytes = text.as_bytes();
        let Some(&b0) = bytes.get(start) else {
            return;
        };
        let mut node = self.root[usize::from(b0)];
        let mut j = start + 1;
        while node != 0 {
            let next_byte = bytes.get(j).copied();
            if node & TERM != 0 {
                let glued = match next_byte {
                    None => false,
                    Some(n) if n < 0x80 => n.is_ascii_alphanumeric(),
                    Some(_) => crate::text::char_at(text, j).is_some_and(char::is_alphanumeric),
                };
                if !glued {
                    let set = self.term.get(usize::from(node & !TERM)).copied();
                    emit(start, j, set.unwrap_or(KwSet::EMPTY));
                }
            }
            let Some(b) = next_byte else {
                break;
            };
            // Column 0 (bytes no keyword contains) never has a child.
            let slot =
                usize::from(node & !TERM) * self.stride + usize::from(self.class[usize::from(b)]);
            node = self.next.get(slot).copied().unwrap_or(0);
            j += 1;
        }
    }
}

/// The keyword trie as a DFA over every byte of a region.
///
/// Walking the trie from each word start costs a few table loads per word
/// plus the word-start bookkeeping, about 20 instructions per byte of prose
/// once a region holds candidates everywhere (PII-dense text asks about
/// nearly every byte). This automaton runs all those walks at once: a state
/// is the set of trie nodes of the walks still alive, plus whether a walk
/// may start at the next byte (the previous byte was not an ASCII letter or
/// digit). Its table is built once by subset construction from the trie
/// and costs one load per byte.
///
/// Exactness: ASCII bytes are classified exactly; after a non-ASCII byte a
/// walk may start, and a keyword found that way is kept only if the
/// character before it is not alphanumeric, as the trie scan decides. A
/// keyword is kept only if no alphanumeric character follows it, exactly as
/// in [`KeywordMatcher::walk`].
#[derive(Debug)]
struct WordStartDfa {
    /// Byte -> class: the trie's column, split by whether the byte is an
    /// ASCII letter or digit.
    class: [u8; 256],
    /// Premultiplied transitions, padded to a power of two (see [`step`]).
    /// A transition out of a state that ends at least one keyword, on a
    /// byte that is not an ASCII letter or digit, carries [`MATCH`] (above
    /// every index, so [`step`]'s mask drops it): a keyword followed by an
    /// ASCII letter or digit is glued to it and never reported, so the scan
    /// stops only where a keyword may end a word.
    trans: Vec<u32>,
    /// Per match state (`(sid & !MATCH) / stride`, match states first):
    /// its range of `ends`.
    match_ranges: Vec<(u32, u32)>,
    /// (keyword length, classes) of each keyword a match state ends,
    /// longer first.
    ends: Vec<(u32, KwSet)>,
    stride: u32,
    /// No walk alive, a walk may start at the next byte.
    boundary: u32,
    /// No walk alive, inside a word (no walk may start at the next byte).
    in_word: u32,
}

/// More automaton states than this and the trie is walked instead.
const MAX_DFA_STATES: usize = 1 << 14;

impl WordStartDfa {
    fn new(m: &KeywordMatcher) -> Option<WordStartDfa> {
        use std::collections::HashMap;
        // Depth of every trie node (the length of the keyword ending there).
        let nodes = m.term.len();
        let mut depth = vec![0u32; nodes];
        let mut queue = vec![0usize];
        let mut qi = 0;
        while let Some(&n) = queue.get(qi) {
            qi += 1;
            for c in 1..m.stride {
                let child = usize::from(m.next.get(n * m.stride + c).copied().unwrap_or(0) & !TERM);
                if child != 0 {
                    depth[child] = depth[n] + 1;
                    queue.push(child);
                }
            }
        }
        // Byte classes: (trie column, ASCII alphanumeric).
        let mut class = [0u8; 256];
        let mut reps: Vec<u8> = Vec::new();
        let mut seen: HashMap<(u8, bool), u8> = HashMap::new();
        for b in 0..=255u8 {
            let key = (m.class[usize::from(b)], b.is_ascii_alphanumeric());
            let c = match seen.get(&key) {
                Some(&c) => c,
                None => {
                    let c = u8::try_from(reps.len()).ok()?;
                    seen.insert(key, c);
                    reps.push(b);
                    c
                }
            };
            class[usize::from(b)] = c;
        }
        let ncls = reps.len();
        // Subset construction. A state: (may start, sorted live nodes).
        type Key = (bool, Vec<u16>);
        let mut ids: HashMap<Key, usize> = HashMap::new();
        let mut states: Vec<Key> = Vec::new();
        let mut rows: Vec<Vec<usize>> = Vec::new();
        for k in [(true, Vec::new()), (false, Vec::new())] {
            ids.insert(k.clone(), states.len());
            states.push(k);
        }
        let mut si = 0;
        while let Some((may_start, live)) = states.get(si).cloned() {
            si += 1;
            let mut row = Vec::with_capacity(ncls);
            for &b in &reps {
                let col = usize::from(m.class[usize::from(b)]);
                let mut set: Vec<u16> = Vec::new();
                if col != 0 {
                    for &n in &live {
                        let child = m.next.get(usize::from(n) * m.stride + col).copied();
                        let child = child.unwrap_or(0) & !TERM;
                        if child != 0 {
                            set.push(child);
                        }
                    }
                    if may_start && b.is_ascii_alphanumeric() {
                        let child = m.root[usize::from(b)] & !TERM;
                        if child != 0 {
                            set.push(child);
                        }
                    }
                }
                set.sort_unstable();
                set.dedup();
                let key = (!b.is_ascii_alphanumeric(), set);
                let id = match ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        if states.len() >= MAX_DFA_STATES {
                            return None;
                        }
                        ids.insert(key.clone(), states.len());
                        states.push(key);
                        states.len() - 1
                    }
                };
                row.push(id);
            }
            rows.push(row);
        }
        // Match states first; then the two empty states keep their order.
        let ends_of = |live: &[u16]| -> Vec<(u32, u16)> {
            let mut v: Vec<(u32, u16)> = live
                .iter()
                .filter(|&&n| {
                    m.term
                        .get(usize::from(n))
                        .is_some_and(|t| *t != KwSet::EMPTY)
                })
                .map(|&n| (depth[usize::from(n)], n))
                .collect();
            v.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
            v
        };
        let is_match: Vec<bool> = states.iter().map(|(_, l)| !ends_of(l).is_empty()).collect();
        let mut order: Vec<usize> = (0..states.len()).filter(|&i| is_match[i]).collect();
        let n_match = order.len();
        order.extend((0..states.len()).filter(|&i| !is_match[i]));
        let stride = u32::try_from(ncls).ok()?;
        let mut renumber = vec![0u32; states.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old] = u32::try_from(new).ok()?.checked_mul(stride)?;
        }
        let mut trans = Vec::with_capacity(states.len() * ncls);
        let mut match_ranges = Vec::with_capacity(n_match);
        let mut ends = Vec::new();
        for &old in &order {
            for (&to, &rep) in rows[old].iter().zip(&reps) {
                // Leaving a match state on a byte that cannot continue a
                // word: its keywords may end a word here.
                let tag = if is_match[old] && !rep.is_ascii_alphanumeric() {
                    MATCH
                } else {
                    0
                };
                trans.push(renumber[to] | tag);
            }
            if is_match[old] {
                let from = u32::try_from(ends.len()).ok()?;
                ends.extend(ends_of(&states[old].1).into_iter().map(|(len, node)| {
                    let set = m.term.get(usize::from(node)).copied();
                    (len, set.unwrap_or(KwSet::EMPTY))
                }));
                match_ranges.push((from, u32::try_from(ends.len()).ok()?));
            }
        }
        trans.resize(trans.len().next_power_of_two(), 0);
        // The tag must lie above every index for the mask to drop it.
        if trans.len() > MATCH as usize {
            return None;
        }
        Some(WordStartDfa {
            class,
            trans,
            match_ranges,
            ends,
            stride,
            boundary: renumber[0],
            in_word: renumber[1],
        })
    }

    /// [`KeywordMatcher::scan`] with the automaton: a long region in
    /// [`LANES`] parts walked in lockstep (see [`run3`]), a short one whole.
    fn scan(
        &self,
        m: &KeywordMatcher,
        text: &str,
        from: usize,
        to: usize,
        emit: &mut impl FnMut(usize, usize, KwSet),
    ) {
        self.scan_split(m, text, from, to, LANE_MIN, emit);
    }

    /// [`WordStartDfa::scan`], splitting regions of at least [`LANES`] ×
    /// `min_lane` bytes (tests make the lanes tiny).
    fn scan_split(
        &self,
        m: &KeywordMatcher,
        text: &str,
        from: usize,
        to: usize,
        min_lane: usize,
        emit: &mut impl FnMut(usize, usize, KwSet),
    ) {
        let to = to.min(text.len());
        let i = next_boundary(text, from.min(to));
        if i >= to {
            return;
        }
        let part = (to - i) / LANES;
        if part < min_lane.max(1) {
            let sid = self.start_at(text, i);
            self.finish(m, text, (i, to), i, sid, emit);
            return;
        }
        // Lane `k` reports the keywords starting in its part, as a scan of
        // that part alone would: together, those of `i..to`.
        let b1 = next_boundary(text, i + part).min(to);
        let b2 = next_boundary(text, i + 2 * part).clamp(b1, to);
        let parts = [(i, b1), (b1, b2), (b2, to)];
        let mut at = parts.map(|(s, _)| s);
        let mut sids = parts.map(|(s, _)| self.start_at(text, s));
        let common = parts.iter().map(|&(s, e)| e - s).min().unwrap_or(0);
        let bytes = text.as_bytes();
        let mut done = 0;
        while done < common {
            let lane = |k: usize| {
                let a = at.get(k).copied().unwrap_or(0);
                bytes.get(a..a + (common - done)).unwrap_or_default()
            };
            let (read, before, now) =
                run3(&self.trans, &self.class, [lane(0), lane(1), lane(2)], sids);
            done += read;
            for k in 0..LANES {
                let (Some(a), Some(&(lo, hi)), Some(&b), Some(&n)) =
                    (at.get_mut(k), parts.get(k), before.get(k), now.get(k))
                else {
                    continue;
                };
                *a += read;
                if n & MATCH != 0 {
                    // `before` ends keywords just before the byte read last.
                    self.report(text, b, *a - 1, lo, hi, emit);
                }
                if let Some(sid) = sids.get_mut(k) {
                    *sid = n & !MATCH;
                }
            }
        }
        for ((&range, &a), &sid) in parts.iter().zip(&at).zip(&sids) {
            self.finish(m, text, range, a, sid, emit);
        }
    }

    /// The state a walk over a region starting at `i` starts in: a keyword
    /// may start at `i` unless an alphanumeric character ends before it.
    fn start_at(&self, text: &str, i: usize) -> u32 {
        if crate::text::char_before(text, i).is_some_and(char::is_alphanumeric) {
            self.in_word
        } else {
            self.boundary
        }
    }

    /// Goes on with a walk over the region `lo..to`, now at `at` in state
    /// `sid`, to its end; then as far past it as a keyword starting in the
    /// region may run.
    fn finish(
        &self,
        m: &KeywordMatcher,
        text: &str,
        (lo, to): (usize, usize),
        mut at: usize,
        mut sid: u32,
        emit: &mut impl FnMut(usize, usize, KwSet),
    ) {
        let bytes = text.as_bytes();
        // Keywords starting in `lo..to`, which may end up to the longest
        // keyword's length further on.
        while at < to {
            let rest = bytes.get(at..to).unwrap_or_default();
            let (read, before, now) = run(&self.trans, &self.class, rest, sid);
            at += read;
            sid = now & !MATCH;
            if now & MATCH != 0 {
                // `before` ends keywords just before the byte read last.
                self.report(text, before, at - 1, lo, to, emit);
            }
        }
        let tail_end = to.saturating_add(m.max_len).min(bytes.len());
        for (k, &b) in bytes
            .get(to..tail_end)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if sid == self.boundary || sid == self.in_word {
                break; // no walk alive, and none may start past `to`
            }
            let now = step(&self.trans, &self.class, sid, b);
            if now & MATCH != 0 {
                self.report(text, sid, to + k, lo, to, emit);
            }
            sid = now & !MATCH;
        }
        // No byte follows the text's end: its keywords end a word there
        // (`report` ignores a state that ends none; after a break above
        // `sid` ends none).
        if tail_end == bytes.len() {
            self.report(text, sid, bytes.len(), lo, to, emit);
        }
    }

    /// Emits the whole-word keywords that state `sid` ends at `end` (none
    /// if it is not a match state) and that start in `lo..hi`.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn report(
        &self,
        text: &str,
        sid: u32,
        end: usize,
        lo: usize,
        hi: usize,
        emit: &mut impl FnMut(usize, usize, KwSet),
    ) {
        let bytes = text.as_bytes();
        let glued = match bytes.get(end) {
            None => false,
            Some(&n) if n < 0x80 => n.is_ascii_alphanumeric(),
            Some(_) => crate::text::char_at(text, end).is_some_and(char::is_alphanumeric),
        };
        if glued {
            return;
        }
        let state = ((sid & !MATCH) / self.stride.max(1)) as usize;
        let Some(&(a, b)) = self.match_ranges.get(state) else {
            return;
        };
        for &(len, set) in self.ends.get(a as usize..b as usize).unwrap_or_default() {
            let start = end.saturating_sub(len as usize);
            if start < lo || start >= hi {
                continue;
            }
            // After a non-ASCII byte a walk starts provisionally.
            if start > 0
                && bytes.get(start - 1).is_some_and(|&p| p >= 0x80)
                && crate::text::char_before(text, start).is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            emit(start, end, set);
        }
    }
}

/// Runs the automaton over `bytes` from (untagged) `sid` until it takes a
/// transition tagged [`MATCH`] or the bytes end; returns the bytes read, the
/// state before the last byte and the state after it (tagged if the run
/// stopped on a tag; with no byte read, both are `sid`). Out of line, so
/// that reporting does not make the loop spill registers.
#[inline(never)]
fn run(trans: &[u32], class: &[u8; 256], bytes: &[u8], mut sid: u32) -> (usize, u32, u32) {
    // Never true; tells the compiler the masked index is in bounds.
    if trans.is_empty() {
        return (bytes.len(), sid, sid);
    }
    // Four bytes per tag check (one branch instead of four); on a match
    // state among them, the first one is returned.
    let mut chunks = bytes.chunks_exact(4);
    let mut k = 0;
    for c in &mut chunks {
        let &[b0, b1, b2, b3] = c else {
            break;
        };
        let s0 = step(trans, class, sid, b0);
        let s1 = step(trans, class, s0, b1);
        let s2 = step(trans, class, s1, b2);
        let s3 = step(trans, class, s2, b3);
        if (s0 | s1 | s2 | s3) & MATCH != 0 {
            return if s0 & MATCH != 0 {
                (k + 1, sid, s0)
            } else if s1 & MATCH != 0 {
                (k + 2, s0, s1)
            } else if s2 & MATCH != 0 {
                (k + 3, s1, s2)
            } else {
                (k + 4, s2, s3)
            };
        }
        sid = s3;
        k += 4;
    }
    let mut before = sid;
    for &b in chunks.remainder() {
        before = sid;
        sid = step(trans, class, sid, b);
        k += 1;
        if sid & MATCH != 0 {
            return (k, before, sid);
        }
    }
    (bytes.len(), before, sid)
}

/// Lanes of a long keyword scan (see [`WordStartDfa::scan`]).
const LANES: usize = 3;

/// Regions shorter than [`LANES`] times this are scanned in one lane.
const LANE_MIN: usize = 64;

/// [`run`] over three lanes of equal length in lockstep, so that the
/// lanes' table loads overlap instead of waiting on each other: until a
/// transition of any lane is tagged [`MATCH`] or the lanes end. Returns the
/// bytes read (the same in every lane), and per lane the state before the
/// last byte and the one after it (tagged where the walk stopped on a tag).
#[inline(never)]
fn run3(
    trans: &[u32],
    class: &[u8; 256],
    lanes: [&[u8]; LANES],
    sids: [u32; LANES],
) -> (usize, [u32; LANES], [u32; LANES]) {
    let [h0, h1, h2] = lanes;
    let [mut s0, mut s1, mut s2] = sids;
    let mut k = 0;
    for ((&b0, &b1), &b2) in h0.iter().zip(h1).zip(h2) {
        let before = [s0, s1, s2];
        s0 = step(trans, class, s0, b0);
        s1 = step(trans, class, s1, b1);
        s2 = step(trans, class, s2, b2);
        k += 1;
        if (s0 | s1 | s2) & MATCH != 0 {
            return (k, before, [s0, s1, s2]);
        }
    }
    (k, [s0, s1, s2], [s0, s1, s2])
}

/// The first char boundary of `text` at or after `i` (its length if none).
fn next_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// The state after `sid` reads `b`. `trans` has a power-of-two length, so
/// the mask keeps every index in range without a bounds check (every real
/// index is below the length, so the mask only drops a [`MATCH`] tag).
#[inline(always)]
fn step(trans: &[u32], class: &[u8; 256], sid: u32, b: u8) -> u32 {
    let at = sid as usize + usize::from(class[usize::from(b)]);
    trans[at & trans.len().wrapping_sub(1)]
}

/// Tag of a [`WordStartDfa`] transition: it leaves a state that ends a
/// keyword, on a byte that cannot continue a word.
const MATCH: u32 = 1 << 31;

/// Flag of a trie node id (in [`KeywordMatcher::next`] and `root`): a
/// keyword ends at that node.
const TERM: u16 = 0x8000;

/// How far past a query's end a keyword scan goes on (see
/// [`Keywords::ensure`]); doubled, up to [`MAX_AHEAD`], while each scan
/// starts where the last one ended (dense text asks about every byte).
const AHEAD: usize = 256;
const MAX_AHEAD: usize = 16 << 10;

/// Keyword hits of one text, found lazily.
///
/// Most text has no candidate at all, so scanning all of it for context
/// words would be wasted work. Instead each query scans only the window it
/// needs, and remembers what it scanned and found: windows of neighbouring
/// candidates overlap, and every byte is scanned at most once per text.
pub(crate) struct Keywords<'a> {
    text: &'a str,
    matcher: &'a KeywordMatcher,
    state: RefCell<&'a mut KeywordCache>,
}

/// Per-scan memory of [`Keywords`]: hits found so far (sorted by start) and
/// the byte ranges already scanned (sorted, disjoint).
#[derive(Debug, Default)]
pub(crate) struct KeywordCache {
    /// Hits by the block of text they start in (`start / BLOCK`), each
    /// block's sorted by (start, end). Regions are filled in whatever order
    /// candidates ask for them (anchors, then shapes, each in text order),
    /// so a hit is inserted among few others, and a range query reads one
    /// or two short sorted runs. The vectors are kept across scans.
    blocks: Vec<Vec<KeywordHit>>,
    /// Blocks that may hold hits (the rest are empty).
    used: usize,
    covered: Vec<(usize, usize)>,
    /// How far the next scan goes past its query (see [`AHEAD`]).
    ahead: usize,
}

/// Bytes of text per block of [`KeywordCache::blocks`].
const BLOCK: usize = 512;

impl KeywordCache {
    pub(crate) fn clear(&mut self) {
        for b in self.blocks.iter_mut().take(self.used) {
            b.clear();
        }
        self.used = 0;
        self.covered.clear();
        self.ahead = AHEAD;
    }

    /// Makes room for hits starting before `end` (one call per scanned
    /// range, so [`KeywordCache::insert`] need not check).
    fn reserve_blocks(&mut self, end: usize) {
        let n = end.saturating_sub(1) / BLOCK + 1;
        if self.blocks.len() < n {
            self.blocks.resize_with(n, Vec::new);
        }
        self.used = self.used.max(n);
    }

    /// Records a hit, replacing an equal one ([`KeywordCache::reserve_blocks`]
    /// must cover its start).
    #[inline]
    fn insert(&mut self, h: KeywordHit) {
        let Some(v) = self.blocks.get_mut(h.start / BLOCK) else {
            return;
        };
        let key = (h.start, h.end);
        // Hits mostly arrive in order: check the end first.
        if v.last().is_none_or(|l| (l.start, l.end) < key) {
            v.push(h);
            return;
        }
        match v.binary_search_by(|x| (x.start, x.end).cmp(&key)) {
            Ok(i) => {
                if let Some(x) = v.get_mut(i) {
                    *x = h;
                }
            }
            Err(i) => v.insert(i, h),
        }
    }

    /// The hits starting within `lo..hi`, sorted by (start, end).
    fn range(&self, lo: usize, hi: usize) -> impl Iterator<Item = &KeywordHit> {
        let last = hi.saturating_sub(1) / BLOCK;
        let first = if lo < hi { lo / BLOCK } else { last + 1 };
        let blocks = self
            .blocks
            .get(first.min(self.used)..(last + 1).min(self.used))
            .unwrap_or(&[]);
        blocks.iter().flat_map(move |v| {
            let a = v.partition_point(|h| h.start < lo);
            let b = v.partition_point(|h| h.start < hi);
            v.get(a..b.max(a)).unwrap_or(&[]).iter()
        })
    }
}

impl<'a> Keywords<'a> {
    pub(crate) fn new(
        text: &'a str,
        matcher: &'a KeywordMatcher,
        cache: &'a mut KeywordCache,
    ) -> Keywords<'a> {
        cache.clear();
        Keywords {
            text,
            matcher,
            state: RefCell::new(cache),
        }
    }

    /// Makes sure every keyword lying within `lo..hi` has been found.
    fn ensure(&self, lo: usize, hi: usize) {
        let hi = hi.min(self.text.len());
        if lo >= hi || self.matcher.words == 0 {
            return;
        }
        let mut st = self.state.borrow_mut();
        let st = &mut **st;
        let mut pos = lo;
        while pos < hi {
            // The first gap of `pos..hi` not yet covered.
            let i = st.covered.partition_point(|&(_, e)| e <= pos);
            if let Some(&(_, e)) = st.covered.get(i).filter(|&&(s, _)| s <= pos) {
                pos = e;
                continue;
            }
            // Queries mostly move forward through the text, so a gap is
            // filled a little past what was asked (up to the next covered
            // range): neighbouring candidates then find their windows
            // covered, and one scan replaces many short ones. Gaps that
            // go on from the last covered range go further each time.
            let touches_prev = i > 0 && st.covered.get(i - 1).is_some_and(|&(_, e)| e >= pos);
            st.ahead = if touches_prev {
                st.ahead.saturating_mul(2).clamp(AHEAD, MAX_AHEAD)
            } else {
                AHEAD
            };
            let mut ge = hi.saturating_add(st.ahead).min(self.text.len());
            if let Some(&(s, _)) = st.covered.get(i) {
                ge = ge.min(s);
            }
            let gs = pos;
            pos = ge;
            // Keywords starting inside the gap (they may run past its end).
            st.reserve_blocks(ge);
            self.matcher.scan(self.text, gs, ge, |start, end, classes| {
                st.insert(KeywordHit {
                    classes,
                    start,
                    end,
                });
            });
            // Record the gap as covered, merging with touching neighbours
            // (only they can touch: the list is disjoint and sorted).
            let touches_next = st.covered.get(i).is_some_and(|&(s, _)| s <= ge);
            match (touches_prev, touches_next) {
                (true, true) => {
                    let next_end = st.covered.get(i).map_or(ge, |&(_, e)| e);
                    if let Some(prev) = st.covered.get_mut(i - 1) {
                        prev.1 = next_end;
                    }
                    st.covered.remove(i);
                }
                (true, false) => {
                    if let Some(prev) = st.covered.get_mut(i - 1) {
                        prev.1 = ge;
                    }
                }
                (false, true) => {
                    if let Some(next) = st.covered.get_mut(i) {
                        next.0 = gs;
                    }
                }
                (false, false) => st.covered.insert(i, (gs, ge)),
            }
        }
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
        let lo = pos.saturating_sub(window + self.matcher.max_len);
        self.ensure(lo, pos);
        let st = self.state.borrow();
        let mut best: Option<(KeywordHit, usize)> = None;
        for h in st.range(lo, pos) {
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
        self.ensure(pos, pos.saturating_add(window).saturating_add(1));
        let st = self.state.borrow();
        for h in st.range(pos, pos.saturating_add(window).saturating_add(1)) {
            if h.start - pos > window {
                break;
            }
            if (h.classes.0 & set.0) != 0 {
                return Some((*h, h.start - pos));
            }
        }
        None
    }

    /// Calls `f` with the hits that start within `lo..hi` (sorted by start),
    /// scanning that range first if needed.
    pub(crate) fn with_range<R>(
        &self,
        lo: usize,
        hi: usize,
        f: impl FnOnce(&mut dyn Iterator<Item = &KeywordHit>) -> R,
    ) -> R {
        self.ensure(lo, hi);
        let st = self.state.borrow();
        let mut it = st.range(lo, hi);
        f(&mut it)
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
        let m = KeywordMatcher::new().expect("keywords compile");
        let text = "SSN: 123 and then account 42";
        let mut cache = KeywordCache::default();
        let k = Keywords::new(text, &m, &mut cache);
        assert_eq!(
            k.before(5, 4, KwSet::of(&[Kw::Ssn])).map(|(_, d)| d),
            Some(2)
        );
        assert!(k.before(5, 1, KwSet::of(&[Kw::Ssn])).is_none());
        assert!(k.before(5, 10, KwSet::of(&[Kw::Account])).is_none());
        assert_eq!(
            k.after(10, 10, KwSet::of(&[Kw::Account])).map(|(_, d)| d),
            Some(8)
        );
        assert!(k.near(26, 28, 5, KwSet::of(&[Kw::Account])));
        let n = k.with_range(0, text.len(), |hits| hits.count());
        assert!(n >= 2);
        assert_eq!(k.with_range(6, 9, |hits| hits.count()), 0);
        // Whole words only.
        let text = "assn: 1 unaccountable 2";
        let mut cache = KeywordCache::default();
        let k = Keywords::new(text, &m, &mut cache);
        assert!(k.before(6, 6, KwSet::of(&[Kw::Ssn])).is_none());
        assert!(k.before(22, 20, KwSet::of(&[Kw::Account])).is_none());
    }

    /// `lazy` and `full` (scanned whole) answer alike at `pos`.
    fn same_answers(
        lazy: &Keywords<'_>,
        full: &Keywords<'_>,
        pos: usize,
        window: usize,
        set: KwSet,
    ) {
        let (l, f) = (lazy.before(pos, window, set), full.before(pos, window, set));
        assert_eq!(l, f, "before {pos} {set:?}");
        let (l, f) = (lazy.after(pos, window, set), full.after(pos, window, set));
        assert_eq!(l, f, "after {pos} {set:?}");
    }

    /// Queries moving forward through dense text make each scan go further
    /// ahead (and split into lanes); what they find stays a full scan's.
    #[test]
    fn growing_scans_match_full_scan() {
        let m = KeywordMatcher::new().expect("keywords compile");
        let unit = "Patient DOB 01/02/1990, MRN 1234567; card 4111 1111 1111 1111 \
                    exp 12/29 cvv 123, phone +1 555 0100, email a@b.example; \
                    Größe ssn 078-05-1120 account 99 routing 12. ";
        let text = unit.repeat(200);
        let mut full = KeywordCache::default();
        let kf = Keywords::new(&text, &m, &mut full);
        kf.ensure(0, text.len());
        let mut lazy = KeywordCache::default();
        let kl = Keywords::new(&text, &m, &mut lazy);
        let set = KwSet(u64::MAX);
        let mut pos = 0;
        let mut step = 0;
        while pos < text.len() {
            same_answers(&kl, &kf, pos, 40, set);
            step = (step * 7 + 13) % 97;
            pos += 20 + step;
        }
        assert!(lazy.ahead > AHEAD, "scans went further ahead");
        assert_eq!(lazy.covered.len(), 1, "{:?}", lazy.covered);
        let all =
            |c: &KeywordCache| -> Vec<KeywordHit> { c.range(0, text.len()).copied().collect() };
        assert_eq!(all(&lazy), all(&full));
    }

    #[test]
    fn lazy_scan_matches_full_scan() {
        let m = KeywordMatcher::new().expect("keywords compile");
        let text = "patient DOB 01/02/1990, MRN 1234567, account 99, routing 12; ssn 1 passport x";
        // Query in a scattered order; every answer must equal a full scan's.
        let mut full = KeywordCache::default();
        let kf = Keywords::new(text, &m, &mut full);
        kf.ensure(0, text.len());
        let mut lazy = KeywordCache::default();
        let kl = Keywords::new(text, &m, &mut lazy);
        for &pos in &[60usize, 5, 30, 77, 0, 45, 12] {
            for kw in Kw::ALL {
                same_answers(&kl, &kf, pos, 25, KwSet::of(&[*kw]));
            }
        }
    }

    /// The keyword automaton and the trie walk (its fallback) each find
    /// exactly what an overlapping Aho-Corasick search over every keyword,
    /// filtered by word bounds, finds.
    #[test]
    fn trie_matches_aho_corasick() {
        let m = KeywordMatcher::new().expect("keywords compile");
        assert!(m.dfa.is_some(), "the built-in keywords fit the automaton");
        let (words, classes) = KeywordMatcher::patterns();
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&words)
            .expect("ac");
        let pieces: &[&str] = &[
            " ", "  ", "\n", ":", "#", "-", "_", ".", "/", "'", "é", "É", "ß", "日", "1", "42",
            "x", "A", "Z9", "\u{a0}", "ü",
        ];
        let mut rng = crate::testrand::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut rnd = |n: usize| rng.below(n);
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..rnd(40) {
                if rnd(3) == 0 {
                    text.push_str(pieces[rnd(pieces.len())]);
                } else {
                    let w = words[rnd(words.len())];
                    let w: String = w
                        .chars()
                        .map(|c| {
                            if rnd(2) == 0 {
                                c.to_ascii_uppercase()
                            } else {
                                c
                            }
                        })
                        .collect();
                    let cut = rnd(w.len() + 3).min(w.len());
                    let w = if text.is_char_boundary(0) && w.is_char_boundary(cut) && rnd(4) == 0 {
                        &w[..cut]
                    } else {
                        &w[..]
                    };
                    text.push_str(w);
                }
            }
            let mut want = Vec::new();
            for h in ac.find_overlapping_iter(&text) {
                if crate::text::is_alnum_bounded(&text, h.start(), h.end()) {
                    want.push((h.start(), h.end(), classes[h.pattern().as_usize()]));
                }
            }
            want.sort_by_key(|&(s, e, _)| (s, e));
            // The automaton reports by end: compare as sorted lists.
            let mut got = Vec::new();
            m.scan(&text, 0, text.len(), |s, e, c| got.push((s, e, c)));
            got.sort_by_key(|&(s, e, _)| (s, e));
            assert_eq!(got, want, "{text:?}");
            let mut trie = Vec::new();
            m.scan_trie(&text, 0, text.len(), |s, e, c| trie.push((s, e, c)));
            assert_eq!(trie, want, "trie walk {text:?}");
            // A scan of a sub-range sees the words starting inside it.
            let (a, b) = (rnd(text.len() + 1), rnd(text.len() + 1));
            let (a, b) = (a.min(b), a.max(b));
            let mut part = Vec::new();
            m.scan(&text, a, b, |s, e, c| part.push((s, e, c)));
            part.sort_by_key(|&(s, e, _)| (s, e));
            let sub: Vec<_> = want
                .iter()
                .copied()
                .filter(|&(s, _, _)| s >= a && s < b)
                .collect();
            assert_eq!(part, sub, "{text:?} {a}..{b}");
            let mut part = Vec::new();
            m.scan_trie(&text, a, b, |s, e, c| part.push((s, e, c)));
            assert_eq!(part, sub, "trie walk {text:?} {a}..{b}");
            // Split into lockstep lanes (tiny ones, so that lane edges fall
            // inside keywords, inside multi-byte characters and at the ends
            // of keywords), whole and in part.
            let dfa = m.dfa.as_ref().expect("automaton");
            for min_lane in [1, 2, 3, 7] {
                for (lo, hi, want) in [(0, text.len(), &want), (a, b, &sub)] {
                    let mut got = Vec::new();
                    dfa.scan_split(&m, &text, lo, hi, min_lane, &mut |s, e, c| {
                        got.push((s, e, c))
                    });
                    got.sort_by_key(|&(s, e, _)| (s, e));
                    assert_eq!(&got, want, "lanes of {min_lane} {text:?} {lo}..{hi}");
                }
            }
        }
    }

    #[test]
    fn words_start_with_ascii() {
        let (words, _) = KeywordMatcher::patterns();
        for w in words {
            assert!(
                w.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric),
                "{w}"
            );
        }
    }
}
