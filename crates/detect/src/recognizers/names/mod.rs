//! PERSON and LOCATION: gazetteers (US Census names, GeoNames places) plus
//! capitalisation, titles and context, and a street-address grammar.
//!
//! Shapes:
//! * street addresses (`prio::ADDRESS`): one LOCATION span for the whole
//!   address, see [`address`];
//! * one capitalised token (found by a chunked scan in `finish`, not a
//!   regex shape): the handler only acts on the
//!   first token of a *run* (capitalised words, initials, titles and
//!   particles separated by single spaces) and classifies the whole run.
//!   One-token shapes keep the global regex from hiding other modules'
//!   matches (dates like `March 3, 2024`) behind a long word sequence.
//!
//! Anchors: the words of a name's slot (`name`, `payee`, `Dr`, `Dear`,
//! `my name is`, …) for names in lower case or all capitals, see [`slot`].

mod address;
mod gazetteer;
mod slot;

use deepsentinel_core::EntityType;

use crate::engine::{Anchor, Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;

use gazetteer::{CITY_LARGE, Gazetteer, REGION_COUNTRY};

pub(crate) struct Names {
    g: &'static Gazetteer,
}

impl Names {
    pub(crate) fn new() -> Names {
        Names {
            g: Gazetteer::get(),
        }
    }
}

const SH_US_ADDR: u32 = 0;
const SH_US_ADDR_WEAK: u32 = 1;
const SH_WORD: u32 = 3;

const AN_STREET_PREFIX: u32 = 1;
/// Anchor ids from here on are slot words: `AN_SLOT + ` the index of their
/// [`slot::Slot`].
const AN_SLOT: u32 = 16;

/// Words right before a run that make it a person (lower-case).
const PERSON_CTX: &[&str] = &[
    "name",
    "names",
    "full_name",
    "fullname",
    "first_name",
    "last_name",
    "firstname",
    "lastname",
    "patient",
    "pt",
    "patient_name",
    "customer",
    "customer_name",
    "client",
    "dear",
    "hi",
    "hello",
    "hey",
    "thanks",
    "thank you",
    "regards",
    "sincerely",
    "cheers",
    "best",
    "signed",
    "from",
    "attending",
    "applicant",
    "payee",
    "beneficiary",
    "employee",
    "member",
    "driver",
    "provider",
    "spouse",
    "landlord",
    "tenant",
    "contact",
    "contractor",
    "traveler",
    "traveller",
    "passenger",
    "guest",
    "user",
    "author",
    "owner",
    "cardholder",
    "holder",
    "manager",
    "physician",
    "nurse",
    "doctor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "sir",
    "madam",
    "witness",
    "by",
    "cc",
    "attn",
    "recipient",
    "sender",
    "insured",
    "subscriber",
    "guarantor",
    "parent",
    "guardian",
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "partner",
    "colleague",
    "friend",
    "boss",
    "neighbor",
    "neighbour",
    "roommate",
    "student",
    "candidate",
    "agent",
    "rep",
    "representative",
    "technician",
    "caller",
    "is",
    "am",
    "i'm",
    "for",
    "to",
    "with",
    "welcome",
    "onboarding",
    "enrollment",
    "details",
    "referred",
    "consultant",
    "assignee",
    "reporter",
    "approver",
    "requester",
    "requestor",
    "emp",
    "staff",
    "teacher",
    "coach",
    "counsel",
    "attorney",
    "lawyer",
    "pcp",
    "gp",
    "surgeon",
    "therapist",
    "pharmacist",
    "dentist",
    "worker",
    "vendor",
    "seller",
    "buyer",
    "borrower",
    "lender",
    "debtor",
    "creditor",
    "herr",
    "frau",
    "mme",
    "mlle",
    "sig",
    "sra",
    "srta",
    "dott",
    "pan",
    "pani",
    "shri",
    "smt",
    "dhr",
    "mevr",
    "señor",
    "señora",
    "llamo",
    "appelle",
    "chiamo",
    "chamo",
    "heiße",
    "heisse",
    "nazywam",
    "signora",
    "signor",
    "monsieur",
    "madame",
];

/// Context words that are weak alone (a run after them must look like a
/// name by itself: a gazetteer hit in it).
const WEAK_CTX: &[&str] = &[
    "is", "am", "for", "to", "with", "by", "from", "best", "details", "welcome", "cc",
];

/// Titles stripped from a run (lower-case, without the dot).
const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "fr",
    "capt",
    "col",
    "gen",
    "lt",
    "sgt",
    "herr",
    "frau",
    "mme",
    "mlle",
    "m",
    "sig",
    "sr",
    "sra",
    "srta",
    "dott",
    "pan",
    "pani",
    "shri",
    "smt",
    "dhr",
    "mevr",
    "doctor",
    "nurse",
    "judge",
    "hon",
];

/// Abbreviations that keep a run going after their dot (`St. Louis`).
const DOT_ABBREV: &[&str] = &["st", "ste", "mt", "ft", "pt", "jr", "sr"];

/// Name particles allowed in lower case between capitalised parts.
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "del", "della", "dos", "das", "do", "du", "la",
    "le", "ten", "ter", "bin", "ben", "al", "el", "y", "zu", "vom", "af",
];

/// The longest particle, in bytes: longer words need no lookup.
const MAX_PARTICLE: usize = {
    let mut m = 0;
    let mut i = 0;
    while i < PARTICLES.len() {
        if PARTICLES[i].len() > m {
            m = PARTICLES[i].len();
        }
        i += 1;
    }
    m
};

/// The particles packed like the gazetteer packs a word (little-endian,
/// zero above), in a 64-slot open-addressing set (0: empty) built at
/// compile time.
const PARTICLE_SET: [u64; 64] = {
    let mut set = [0u64; 64];
    let mut i = 0;
    while i < PARTICLES.len() {
        let b = PARTICLES[i].as_bytes();
        let mut x = 0u64;
        let mut j = 0;
        while j < b.len() {
            x |= (b[j] as u64) << (8 * j);
            j += 1;
        }
        let mut h = particle_slot(x);
        while set[h] != 0 {
            h = (h + 1) & 63;
        }
        set[h] = x;
        i += 1;
    }
    set
};

/// The home slot of packed particle candidate `x` in [`PARTICLE_SET`].
const fn particle_slot(x: u64) -> usize {
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
}

/// `in_list(F_PARTICLE, s)`, answered without the gazetteer for words of
/// ASCII letters (the particles are short lower-case ASCII words, so such
/// a word is one if its lower-cased packing is in [`PARTICLE_SET`]).
fn is_particle(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 8 || !b.iter().all(u8::is_ascii_alphabetic) {
        return in_list(F_PARTICLE, s);
    }
    particle_letters(b)
}

/// [`is_particle`] for a word of ASCII letters (any case).
#[inline]
fn particle_letters(b: &[u8]) -> bool {
    if b.len() > MAX_PARTICLE || b.is_empty() {
        return false;
    }
    // Letters only: setting bit 5 of each byte lower-cases it.
    let x = gazetteer::pack_le(b) | (0x2020_2020_2020_2020 & (u64::MAX >> (64 - 8 * b.len())));
    let mut h = particle_slot(x);
    for _ in 0..PARTICLE_SET.len() {
        match PARTICLE_SET.get(h) {
            Some(&k) if k == x => return true,
            Some(&0) | None => return false,
            Some(_) => h = (h + 1) & 63,
        }
    }
    false
}

/// Words right before a place that make a city a LOCATION.
const PLACE_CTX: &[&str] = &[
    "in",
    "at",
    "from",
    "near",
    "to",
    "city",
    "town",
    "birth",
    "birthplace",
    "born",
    "lives",
    "located",
    "visiting",
    "traveling",
    "travelling",
    "moved",
    "based",
    "office",
    "headquarters",
    "hq",
    "location",
    "destination",
    "origin",
    "address",
    "adresse",
    "anschrift",
    "dirección",
    "direccion",
    "indirizzo",
    "endereço",
    "adres",
    "via",
    "around",
    "outside",
    "downtown",
    "of",
    "country",
    "province",
    "county",
    // de / fr / es / it / pt / nl / pl
    "aus",
    "nach",
    "wohne",
    "wohnt",
    "à",
    "habite",
    "en",
    "desde",
    "vivo",
    "vive",
    "em",
    "abito",
    "abita",
    "woon",
    "woont",
    "te",
    "mieszkam",
];

const F_ABBREV: u16 = 1;
const F_COLUMN: u16 = 1 << 1;
const F_PARTICLE: u16 = 1 << 2;
const F_PERSON: u16 = 1 << 3;
const F_PLACE: u16 = 1 << 4;
const F_TITLE: u16 = 1 << 5;
const F_WEAK: u16 = 1 << 6;
const F_FIELD: u16 = 1 << 7;
const F_PLACE_COL: u16 = 1 << 8;
const F_COPULA: u16 = 1 << 9;
const F_NAME_HEAD: u16 = 1 << 10;
const F_I_AM: u16 = 1 << 11;
const F_I_AM_ALONE: u16 = 1 << 12;
const F_I_PRONOUN: u16 = 1 << 13;
const F_ARTICLE: u16 = 1 << 14;

/// Copulas of `my name is` in several languages.
const COPULAS: &[&str] = &[
    "is", "am", "ist", "heet", "est", "es", "é", "è", "się", "jest",
];

/// Words before a copula that make the next words a name (`name is`).
const NAME_HEADS: &[&str] = &[
    "name", "i", "naam", "nom", "nombre", "nome", "nazywam", "imię",
];

/// German articles and possessives: the capitalised word after one is a
/// noun (`Meine Kollegin Anna Schmidt`).
const GERMAN_ARTICLES: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "mein",
    "meine", "meinen", "meinem", "meiner", "dein", "deine", "sein", "seine", "seinem", "ihr",
    "ihre", "ihrem", "ihren", "unser", "unsere", "unserem", "unseren", "euer", "eure",
];

/// "I am" in languages other than English (`ik ben`, `je suis`, `sono`,
/// `soy`): a weak context, so the run after it must look like a name by
/// itself (`Ich bin Lehrer` is not one). Kept out of [`PERSON_CTX`]: a
/// context word inside a run is dropped from it, and `Ben`, `Bin` and
/// `Sou` also start names.
const I_AM: &[&str] = &[
    "ben", "bin", "suis", "sono", "soy", "sou", "jestem", "heet", "heter", "hedder", "heiter",
];

/// Pronouns a word of [`I_AM`] needs before it in languages that write
/// them (`ik ben`, `ich bin`, `je suis`); `sono`, `soy`, `sou` and
/// `jestem` stand alone.
const I_AM_ALONE: &[&str] = &["sono", "soy", "sou", "jestem"];

/// Greetings that open a self-introduction (`Hi, this is Sian.`); the
/// last word of the greeting is what is matched (`Buenos días`).
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "morning",
    "afternoon",
    "evening",
    "hoi",
    "hallo",
    "hola",
    "olá",
    "ola",
    "oi",
    "buongiorno",
    "buonasera",
    "ciao",
    "salve",
    "bonjour",
    "bonsoir",
    "salut",
    "días",
    "dias",
    "dia",
    "tag",
    "dag",
    "hej",
    "moin",
    "servus",
    "cześć",
];

/// Whether `w` reads as a word describing a person rather than naming
/// one: a nationality, faith or condition (`Canadian`, `Jewish`,
/// `Diabetic`, `Vegetarian`) by its ending, or one of the few such words
/// no ending gives away. Only asked of words no name list holds.
fn describes_someone(w: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ian", "ean", "ese", "ish", "ic", "ous", "ful", "less", "ive", "able", "ible", "ed", "ing",
        "ist", "ant", "ical", "can", "ite",
    ];
    const WORDS: &[&str] = &[
        "american",
        "german",
        "cuban",
        "afghan",
        "arab",
        "asian",
        "dutch",
        "french",
        "greek",
        "swiss",
        "czech",
        "slovak",
        "thai",
        "turk",
        "hindu",
        "sikh",
        "muslim",
        "mormon",
        "latino",
        "latina",
        "latinx",
        "filipino",
        "filipina",
        "pakistani",
        "iraqi",
        "israeli",
        "saudi",
        "somali",
        "nepali",
        "bengali",
        "kazakh",
        "uzbek",
        "vegan",
        "gay",
        "bi",
        "trans",
        "queer",
        "deaf",
        "blind",
        "pregnant",
    ];
    let b = w.as_bytes();
    let ends = |e: &str| {
        b.len() > e.len() + 2
            && b.get(b.len() - e.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(e.as_bytes()))
    };
    ENDINGS.iter().any(|e| ends(e)) || WORDS.iter().any(|x| w.eq_ignore_ascii_case(x))
}

/// Whether a name ending at `pos` ends its clause: the text ends, or a
/// stop, comma, `!`, `?`, `;`, `)` or a line break follows.
fn clause_end(t: &str, pos: usize) -> bool {
    matches!(
        t.as_bytes().get(pos),
        None | Some(b'.' | b',' | b'!' | b'?' | b';' | b'\n' | b'\r' | b')')
    )
}

/// Imperatives that open a request (see `Names::opens_request`).
const OPENS_REQUEST: &[&str] = &[
    "keep",
    "please",
    "make",
    "rewrite",
    "summarize",
    "summarise",
    "translate",
    "reply",
    "thanks",
];

/// "I" before a word of [`I_AM`].
const I_PRONOUNS: &[&str] = &["ik", "ich", "je", "jag", "jeg", "ja"];

/// Record keys (JSON, XML, YAML, key=value) whose value is a name, beyond
/// the table headers of [`NAME_COLUMNS`].
const NAME_FIELDS: &[&str] = &[
    "first",
    "last",
    "given",
    "family",
    "middle",
    "middle_name",
    "middlename",
    "givenname",
    "familyname",
    "given_names",
    "first_names",
    "surnames",
    "prenom",
    "prénom",
    "apellido",
    "apellidos",
    "sobrenome",
    "achternaam",
    "voornaam",
];

/// The small word lists above and their flags, indexed with the gazetteer
/// (one table, one lookup per word).
pub(super) fn word_lists() -> [(&'static [&'static str], u16); 16] {
    [
        (DOT_ABBREV, F_ABBREV),
        (NAME_COLUMNS, F_COLUMN),
        (PARTICLES, F_PARTICLE),
        (PERSON_CTX, F_PERSON),
        (PLACE_CTX, F_PLACE),
        (TITLES, F_TITLE),
        (WEAK_CTX, F_WEAK),
        (NAME_COLUMNS, F_FIELD),
        (NAME_FIELDS, F_FIELD),
        (PLACE_COLUMNS, F_PLACE_COL),
        (COPULAS, F_COPULA),
        (NAME_HEADS, F_NAME_HEAD),
        (I_AM, F_I_AM),
        (I_AM_ALONE, F_I_AM_ALONE),
        (I_PRONOUNS, F_I_PRONOUN),
        (GERMAN_ARTICLES, F_ARTICLE),
    ]
}

/// Whether `s` (any case) is in the list behind `flag`. No allocation.
fn in_list(flag: u16, s: &str) -> bool {
    if s.len() > 24 {
        return false;
    }
    Gazetteer::get().list_flags(s) & flag != 0
}

/// Keys of records that describe a thing: a service, container, CI step,
/// package or product (lower case).
const THING_KEYS: &[&str] = &[
    "port",
    "ports",
    "image",
    "uses",
    "run",
    "with",
    "steps",
    "version",
    "host",
    "hostname",
    "url",
    "uri",
    "endpoint",
    "path",
    "repo",
    "repository",
    "kind",
    "apiversion",
    "namespace",
    "replicas",
    "containers",
    "command",
    "entrypoint",
    "driver",
    "engine",
    "database",
    "schema",
    "bucket",
    "sku",
    "price",
    "quantity",
    "module",
    "package",
    "dependencies",
    "scripts",
    "license",
    "protocol",
    "volumes",
    "mountpath",
    "runs-on",
    "targetport",
    "selector",
];

/// Keys of records that describe a person (lower case).
const PERSON_KEYS: &[&str] = &[
    "email",
    "phone",
    "mobile",
    "dob",
    "birth_date",
    "birthdate",
    "date_of_birth",
    "ssn",
    "age",
    "gender",
    "address",
    "patient",
    "mrn",
    "customer",
    "contact",
    "first_name",
    "last_name",
    "given_name",
    "family_name",
    "surname",
];

/// Whether the record around `pos` (up to 200 bytes either side) has a
/// key of a thing's record and none of a person's.
fn thing_record(t: &str, pos: usize) -> bool {
    record_kind(t, pos) == Some(false)
}

/// What the keys of the record around `pos` (up to 200 bytes either side)
/// say it describes: `Some(true)` a person (a key of [`PERSON_KEYS`]),
/// `Some(false)` a thing (a key of [`THING_KEYS`] and none of a
/// person's), `None` neither.
fn record_kind(t: &str, pos: usize) -> Option<bool> {
    let b = t.as_bytes();
    let lo = pos.saturating_sub(200);
    let hi = (pos + 200).min(b.len());
    let mut thing = false;
    let mut i = lo;
    while i < hi {
        let start = i;
        while i < hi
            && b.get(i)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            i += 1;
        }
        if i > start {
            let key_end = i;
            let mut j = i;
            if matches!(b.get(j), Some(b'"' | b'\'')) {
                j += 1;
            }
            while matches!(b.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            let before = start.checked_sub(1).and_then(|k| b.get(k));
            let is_key = matches!(b.get(j), Some(b':' | b'='))
                || (before == Some(&b'<') && b.get(key_end) == Some(&b'>'));
            if is_key && let Ok(k) = std::str::from_utf8(b.get(start..key_end).unwrap_or_default())
            {
                let k = k.to_ascii_lowercase();
                if PERSON_KEYS.contains(&k.as_str()) {
                    return Some(true);
                }
                thing |= THING_KEYS.contains(&k.as_str());
            }
        } else {
            i += 1;
        }
    }
    thing.then_some(false)
}

/// Keys that only a program's item has: a container, a CI step, a job.
const ITEM_OF_A_THING_KEYS: &[&str] = &[
    "image",
    "imagepullpolicy",
    "uses",
    "run",
    "command",
    "entrypoint",
    "args",
    "script",
    "shell",
    "volumemounts",
    "containerport",
];

/// Whether the value at `start..end` is the whole value of a YAML sequence
/// item's `name` key (`  - name: Worker`) whose next key, on the next line
/// and aligned with `name`, is one of [`ITEM_OF_A_THING_KEYS`] (`image:`):
/// a container or a CI step. The caller asks it of one-word values only: a
/// full name with an `image:` may be a team page's member.
fn yaml_item_of_a_thing(t: &str, start: usize, end: usize) -> bool {
    let b = t.as_bytes();
    let head = b
        .get(text::line_start(b, start, start)..start)
        .unwrap_or_default();
    let indent = head.iter().take_while(|&&c| c == b' ').count();
    let Some(rest) = head.get(indent..) else {
        return false;
    };
    // `- name:` then spaces up to the value.
    let Some(after_key) = rest.strip_prefix(b"- name:") else {
        return false;
    };
    if after_key.is_empty() || !after_key.iter().all(|&c| c == b' ') {
        return false;
    }
    let key_col = indent + 2;
    // Only spaces after the value, to the end of its line.
    let mut i = end;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b'\r') {
        i += 1;
    }
    if b.get(i) != Some(&b'\n') {
        return false;
    }
    let next = i + 1;
    let spaces = b
        .get(next..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c == b' ')
        .count();
    if spaces != key_col {
        return false;
    }
    let k0 = next + spaces;
    let klen = b
        .get(k0..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c.is_ascii_alphabetic())
        .count();
    b.get(k0 + klen) == Some(&b':')
        && std::str::from_utf8(b.get(k0..k0 + klen).unwrap_or_default()).is_ok_and(|k| {
            ITEM_OF_A_THING_KEYS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(k))
        })
}

/// A token of a run.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct Tok {
    start: usize,
    end: usize,
    /// Starts with an upper-case letter.
    cap: bool,
    /// All letters upper-case (and more than one).
    upper: bool,
    /// Ends with a dot that belongs to it (initial / abbreviation).
    dot: bool,
}

/// Whether a run token is all caps (`Some(true)`) or capitalised
/// (`Some(false)`); initials and one-letter tokens fit either (`None`).
fn case_class(tok: &Tok) -> Option<bool> {
    if tok.dot || !tok.cap || tok.end.saturating_sub(tok.start) < 2 {
        return None;
    }
    Some(tok.upper)
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '\'' | '’' | '-') || (!c.is_ascii() && text::is_word_char(c))
}

/// Reads a word token starting at `pos` (letters, apostrophes, hyphens).
///
/// A word of ASCII letters, `'` and `-` that an ASCII byte (or the end)
/// ends is read here without decoding; anything else is
/// [`read_tok_general`]'s (same result).
fn read_tok(t: &str, pos: usize) -> Option<Tok> {
    let b = t.as_bytes();
    let Some(&c0) = b.get(pos) else {
        return read_tok_general(t, pos);
    };
    if !c0.is_ascii_alphabetic() {
        return read_tok_general(t, pos);
    }
    let mut end = pos + 1;
    let mut lower = c0.is_ascii_lowercase();
    let mut letters = 1usize;
    loop {
        match b.get(end) {
            Some(&c) if c.is_ascii_alphabetic() => {
                letters += 1;
                lower |= c.is_ascii_lowercase();
            }
            Some(b'\'' | b'-') => {}
            Some(&c) if !c.is_ascii() => return read_tok_general(t, pos),
            _ => break,
        }
        end += 1;
    }
    // A possessive `'s` (at least two letters before it) and trailing
    // apostrophes / hyphens are not part of the name.
    if end - pos >= 4 && b.get(end - 2..end) == Some(b"'s".as_slice()) {
        end -= 2;
    }
    while end > pos && matches!(b.get(end - 1), Some(b'\'' | b'-')) {
        end -= 1;
    }
    let cap = c0.is_ascii_uppercase();
    let dot = cap && b.get(end) == Some(&b'.') && takes_dot(t.get(pos..end).unwrap_or(""));
    Some(Tok {
        start: pos,
        end,
        cap,
        upper: !lower && letters > 1,
        dot,
    })
}

/// [`read_tok`] for any text: ASCII bytes first, then chars.
fn read_tok_general(t: &str, pos: usize) -> Option<Tok> {
    t.get(pos..)?;
    let mut end = pos;
    let mut first: Option<char> = None;
    let mut upper = true;
    let mut letters = 0usize;
    // ASCII bytes first, without decoding; the char loop takes over at
    // the first non-ASCII byte (a char boundary: only ASCII precedes it).
    let b = t.as_bytes();
    let mut ended = false;
    while let Some(&c) = b.get(end) {
        if !c.is_ascii() {
            break;
        }
        let letter = c.is_ascii_alphabetic();
        if !(letter || c == b'\'' || c == b'-') {
            ended = true;
            break;
        }
        if first.is_none() {
            if !letter {
                return None;
            }
            first = Some(char::from(c));
        }
        if letter {
            letters += 1;
            if c.is_ascii_lowercase() {
                upper = false;
            }
        }
        end += 1;
    }
    let from = end;
    let rest = if ended { "" } else { t.get(from..)? };
    for (i, c) in rest.char_indices() {
        if !is_name_char(c) {
            break;
        }
        if first.is_none() {
            if !c.is_alphabetic() {
                return None;
            }
            first = Some(c);
        }
        if c.is_alphabetic() {
            letters += 1;
            if c.is_lowercase() {
                upper = false;
            }
        }
        end = from + i + c.len_utf8();
    }
    let first = first?;
    // Trailing apostrophes / hyphens and a possessive `'s` are not part
    // of the name.
    if let Some(w) = t.get(pos..end) {
        if let Some(x) = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            if x.chars().count() >= 2 {
                end = pos + x.len();
            }
        }
    }
    while end > pos {
        match t.as_bytes().get(end - 1) {
            Some(b'\'') | Some(b'-') => end -= 1,
            _ => break,
        }
    }
    let word = t.get(pos..end).unwrap_or("");
    let dot = t.as_bytes().get(end) == Some(&b'.') && first.is_uppercase() && takes_dot(word);
    Some(Tok {
        start: pos,
        end,
        cap: first.is_uppercase(),
        upper: upper && letters > 1,
        dot,
    })
}

/// Whether a dot after `word` belongs to it: an initial (`J.`), a title
/// (`Dr.`) or an abbreviation (`St.`).
fn takes_dot(word: &str) -> bool {
    let mut chars = word.chars();
    (chars.next().is_some() && chars.next().is_none()) || in_list(F_TITLE | F_ABBREV, word)
}

/// Whether a dotted token keeps the run going (`A.`, `Dr.`, `St.`).
fn dot_continues(t: &str, tok: &Tok) -> bool {
    tok.cap && takes_dot(t.get(tok.start..tok.end).unwrap_or(""))
}

/// Whether the text at `end` glues the run to code or a token
/// (`PASSWORD=`, `Willow!8887`, `Harbor&9`, `x_y`, `Client(`).
fn glued_right(t: &str, end: usize) -> bool {
    let Some(c) = text::char_at(t, end) else {
        return false;
    };
    if c.is_whitespace() {
        return false;
    }
    if c.is_ascii_digit() || u8::try_from(c).is_ok_and(|c| GLUE.contains(&c)) {
        return true;
    }
    // An identifier's prefix (`EMP-123456`, `INV-2024`).
    if c == '-' {
        return text::char_at(t, end + 1).is_some_and(|d| d.is_ascii_digit());
    }
    // `.!?:` glued to a following alphanumeric (`Harbor.com`, `x!9`);
    // `,` and `;` are table delimiters.
    if matches!(c, '.' | '!' | '?' | ':') {
        return text::char_at(t, end + 1).is_some_and(char::is_alphanumeric);
    }
    false
}

/// `OpenAI`, `PayPal`: an upper-case letter after three lower-case ones.
fn camel(w: &str) -> bool {
    let mut lower_run = 0;
    for c in w.chars() {
        if c.is_uppercase() {
            if lower_run >= 3 {
                return true;
            }
            lower_run = 0;
        } else if c.is_lowercase() {
            lower_run += 1;
        } else {
            lower_run = 0;
        }
    }
    false
}

/// Column headers that hold person names.
const NAME_COLUMNS: &[&str] = &[
    "name",
    "full_name",
    "fullname",
    "full name",
    "first_name",
    "last_name",
    "first name",
    "last name",
    "firstname",
    "lastname",
    "given_name",
    "family_name",
    "surname",
    "forename",
    "display_name",
    "display name",
    "patient",
    "patient_name",
    "patient name",
    "customer",
    "customer_name",
    "customer name",
    "employee",
    "employee_name",
    "employee name",
    "contact",
    "contact_name",
    "contact name",
    "person",
    "owner",
    "member",
    "holder",
    "cardholder",
    "card_holder",
    "beneficiary",
    "payee",
    "applicant",
    "driver",
    "provider",
    "physician",
    "doctor",
    "author",
    "client",
    "client_name",
    "tenant",
    "guest",
    "traveler",
    "passenger",
    "student",
    "candidate",
    "recipient",
    "sender",
    "spouse",
    "emergency_contact",
    "nombre",
    "nom",
    "vorname",
    "nachname",
    "nome",
    "cognome",
    "naam",
    "imię",
    "nazwisko",
    "jméno",
];

/// How far the table and SQL column look-ups look for line ends (keeps
/// them linear on huge single-line inputs).
const MAX_LINE: usize = 1024;

/// The bounds of the line around `pos` if it is at most [`MAX_LINE`]
/// bytes long.
fn short_line(t: &str, pos: usize) -> Option<(usize, usize)> {
    const MAX: usize = MAX_LINE;
    let b = t.as_bytes();
    let lo = pos.saturating_sub(MAX);
    let hi = (pos + MAX).min(b.len());
    let start = match memchr::memrchr(b'\n', b.get(lo..pos)?) {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let end = match memchr::memchr(b'\n', b.get(pos..hi)?) {
        Some(i) => pos + i,
        None if hi == b.len() => hi,
        None => return None,
    };
    Some((start, end))
}

/// Whether `pos` starts a cell of a delimited table (CSV, TSV, Markdown)
/// whose header names that column as a person-name column.
fn table_name_column(t: &str, pos: usize) -> bool {
    table_header(t, pos).is_some_and(|h| in_list(F_COLUMN, h))
}

/// A chat transcript speaker: `[14:42] Ottavio: …`, the run right after a
/// bracketed time and followed by `: `.
fn chat_speaker(t: &str, start: usize, end: usize) -> bool {
    let b = t.as_bytes();
    if b.get(end) != Some(&b':') || b.get(end + 1) != Some(&b' ') {
        return false;
    }
    if start < 7 || b.get(start - 1) != Some(&b' ') || b.get(start - 2) != Some(&b']') {
        return false;
    }
    let close = start - 2;
    let mut i = close;
    let mut colons = 0;
    while i > 0 && close - i <= 24 {
        match b.get(i - 1) {
            Some(b'[') => {
                return colons > 0 && (i < 2 || matches!(b.get(i - 2), Some(b'\n' | b'\r')));
            }
            Some(b':') => colons += 1,
            Some(c) if c.is_ascii_digit() || matches!(c, b' ' | b'-' | b'/' | b'.' | b'T') => {}
            _ => return false,
        }
        i -= 1;
    }
    false
}

/// Whether a number stands right before `start` (`3 `, `3. `) or right
/// after `end` (` 2024`), one space (after an optional full stop) apart.
fn beside_number(t: &str, start: usize, end: usize) -> bool {
    let b = t.as_bytes();
    let before = match start.checked_sub(1).and_then(|i| b.get(i)) {
        Some(b' ') => {
            let p = start - 1;
            let p = if p > 0 && b.get(p - 1) == Some(&b'.') {
                p - 1
            } else {
                p
            };
            p > 0 && b.get(p - 1).is_some_and(u8::is_ascii_digit)
        }
        _ => false,
    };
    let after = b.get(end) == Some(&b' ') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    before || after
}

/// The start of up to three lower-case name particles that end right
/// before `pos` (`van den ` before `Berg`), if any.
fn leading_particles(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut p = pos;
    for _ in 0..3 {
        if p < 2 || b.get(p - 1) != Some(&b' ') {
            break;
        }
        let e = p - 1;
        let mut s = e;
        while s > 0 && e - s < 4 && b.get(s - 1).is_some_and(u8::is_ascii_lowercase) {
            s -= 1;
        }
        if s == e
            || b.get(s.wrapping_sub(1))
                .is_some_and(u8::is_ascii_alphanumeric)
            || !is_particle(t.get(s..e).unwrap_or(""))
        {
            break;
        }
        p = s;
    }
    (p < pos).then_some(p)
}

/// Column headers that hold places.
const PLACE_COLUMNS: &[&str] = &[
    "address",
    "home_address",
    "mailing_address",
    "street_address",
    "adresse",
    "anschrift",
    "wohnort",
    "dirección",
    "direccion",
    "indirizzo",
    "endereço",
    "endereco",
    "adres",
    "residence",
    "city",
    "town",
    "country",
    "location",
    "place",
    "birthplace",
    "place_of_birth",
    "ciudad",
    "ville",
    "stadt",
    "ort",
    "città",
    "citta",
    "cidade",
    "stad",
    "miasto",
    "pays",
    "land",
    "país",
    "pais",
    "paese",
    "kraj",
];

/// Cheap pre-check of [`table_header`]: whether `pos` may start a cell
/// (line start or right after a delimiter, allowing spaces and a quote).
/// On bytes: every character involved is ASCII.
fn starts_cell(t: &str, pos: usize) -> bool {
    let b = t.as_bytes();
    let mut j = if t.is_char_boundary(pos) { pos } else { 0 };
    while j > 0 && matches!(b.get(j - 1), Some(b' ' | b'"')) {
        j -= 1;
    }
    j == 0 || matches!(b.get(j - 1), Some(b',' | b'\t' | b'|' | b';' | b'\n'))
}

/// The header cell of the table column that a cell starting at `pos` is in
/// (for a value of an SQL `INSERT … (cols) VALUES (…)`: its column).
fn table_header(t: &str, pos: usize) -> Option<&str> {
    if let Some((f0, f1)) = crate::text::sql_column(t.as_bytes(), pos, MAX_LINE) {
        return t
            .get(f0..f1)
            .map(|c| c.trim().trim_matches(['"', '`', '\'', '[', ']']));
    }
    if !starts_cell(t, pos) {
        return None;
    }
    let (ls, le) = short_line(t, pos)?;
    let line = t.get(ls..le)?;
    let delim = char::from(crate::text::row_delimiter(line.as_bytes())?);
    let prefix = t.get(ls..pos)?;
    let p = prefix.trim_end_matches([' ', '"']);
    if !(p.is_empty() || p.ends_with(delim)) {
        return None;
    }
    let d = delim as u8;
    let col = crate::text::field_index(line.as_bytes(), pos.saturating_sub(ls), d);
    let ncells = crate::text::field_separators(line.as_bytes(), d);
    // Walk up to the first line of the block of lines with the same shape.
    let mut header: Option<&str> = None;
    let mut end = ls;
    for _ in 0..64 {
        if end == 0 {
            break;
        }
        let Some((ps, pe)) = short_line(t, end - 1) else {
            break;
        };
        let Some(prev) = t.get(ps..pe) else { break };
        let n = crate::text::field_separators(prev.as_bytes(), d);
        if n == 0 || n.abs_diff(ncells) > 1 {
            break;
        }
        header = Some(prev);
        end = ps;
    }
    let h = header?;
    let h = h.trim_start_matches(['|', ' ']);
    let col = if delim == '|' && line.trim_start().starts_with('|') {
        col.saturating_sub(1)
    } else {
        col
    };
    let (cs, ce) = crate::text::field_range(h.as_bytes(), col, d)?;
    let cell = h.get(cs..ce)?;
    Some(cell.trim().trim_matches(['"', '*', '`']))
}

/// The rules by which `finish` skips a capitalised word without reading
/// its run (see [`Names::skip_rule`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Skip {
    /// A common word that is not a given name, alone.
    Common,
    /// A sentence-initial word that no list knows.
    SentenceStart,
    /// One word before a lower-case one or a number, no place, no context
    /// ([`Names::lone_word_without_context`]).
    NoContext,
    /// A word of ASCII letters glued to a digit or a [`GLUE`] byte.
    Glued,
    /// Two such words, the second glued ([`Names::glued_pair`]).
    GluedPair,
}

/// Whether a word after `c` is part of a token (`iPhone`, `4ON`, `x_Y`,
/// `a@Example`), so `handle_run` rejects it.
fn glued_left(c: char) -> bool {
    text::is_word_char(c) || matches!(c, '@' | '-' | '/' | '\\' | '.' | '=' | '+' | '$' | '%')
}

/// Whether `hit` starts inside a token: an ASCII byte before it that
/// [`glued_left`] (and `try_hl7` finds no `|` there). Asked only where the
/// cheaper rules do not skip.
fn mid_token(t: &str, hit: Hit) -> bool {
    hit.start > 0
        && t.as_bytes()
            .get(hit.start - 1)
            .is_some_and(|&c| c.is_ascii() && glued_left(char::from(c)))
        && !kv_value(t, hit.start)
}

/// Whether `pos` starts the value of a `key=value` pair whose key names a
/// person or place field (`name=Ana`, `?city=Lyon&`, `location=Peru`): a
/// key of letters, `_`, `-` or `.` after the start of the text, a space,
/// `&`, `?`, `;`, `,` or a quote.
fn kv_value(t: &str, pos: usize) -> bool {
    let b = t.as_bytes();
    if pos < 2 || b.get(pos - 1) != Some(&b'=') {
        return false;
    }
    let end = pos - 1;
    let mut s = end;
    while s > 0
        && end - s <= 24
        && b.get(s - 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-' | b'.'))
    {
        s -= 1;
    }
    if s == end
        || end - s > 24
        || (s > 0
            && !b.get(s - 1).is_some_and(|&c| {
                c.is_ascii_whitespace() || matches!(c, b'&' | b'?' | b';' | b',' | b'"' | b'\'')
            }))
    {
        return false;
    }
    // `home_address`, `patient.city`: the last part names the field.
    let key = t.get(s..end).unwrap_or("");
    let last = key.rsplit(['.', '-']).next().unwrap_or(key);
    [key, last]
        .iter()
        .any(|k| in_list(F_FIELD | F_PLACE_COL, k))
}

/// Bytes after a run that `glued_right` takes for code (besides digits).
const GLUE: &[u8] = b"@_=(&$%#+/\\[{~";

/// Up to this many tokens per run.
const MAX_RUN: usize = 8;

impl Names {
    /// Collects the run starting at `start` into `toks`; returns its length.
    fn collect_run(&self, t: &str, start: usize, toks: &mut [Tok; MAX_RUN]) -> usize {
        let mut n = 0usize;
        let mut pos = start;
        while n < MAX_RUN {
            let Some(tok) = read_tok(t, pos) else { break };
            if tok.end == tok.start {
                break;
            }
            let s = t.get(tok.start..tok.end).unwrap_or("");
            if !tok.cap {
                // A particle only between capitalised tokens.
                if n == 0 || !is_particle(s) {
                    break;
                }
                // Followed (through at most two more particles) by a capital.
                let mut after = tok.end;
                let mut ok = false;
                for _ in 0..3 {
                    if t.as_bytes().get(after) != Some(&b' ') {
                        break;
                    }
                    let Some(x) = read_tok(t, after + 1) else {
                        break;
                    };
                    if x.cap {
                        ok = true;
                        break;
                    }
                    if !is_particle(t.get(x.start..x.end).unwrap_or("")) {
                        break;
                    }
                    after = x.end;
                }
                if !ok {
                    break;
                }
            }
            // `Margaret Thompson IBAN`, `NASA Margaret Thompson`: an
            // all-caps word next to capitalised ones is a code or heading,
            // not part of the name; the run ends (or, seen from the next
            // word, a new one starts: see `continues_run`).
            if let (Some(class), Some(last)) = (
                case_class(&tok),
                toks.get(..n)
                    .and_then(|r| r.iter().rev().find_map(case_class)),
            ) {
                if class != last {
                    break;
                }
            }
            if let Some(slot) = toks.get_mut(n) {
                *slot = tok;
            }
            n += 1;
            let mut next = tok.end;
            if tok.dot {
                if !dot_continues(t, &tok) {
                    break;
                }
                next += 1;
            }
            if t.as_bytes().get(next) != Some(&b' ') {
                break;
            }
            next += 1;
            if !text::char_at(t, next).is_some_and(|c| c.is_alphabetic()) {
                break;
            }
            pos = next;
        }
        n
    }

    /// A cheap early exit, equivalent to the fast path of `handle_run`: the
    /// word is a common word that is not a given name (`The`, `However`)
    /// and nothing can extend it into a run (the next word is lower-case
    /// and not a particle, or no word follows), and no `.`, `,` or `^`
    /// follows it (abbreviations, `Last, First`, HL7). Most capitalised
    /// words in prose end here without reading the run.
    fn lone_common_word(&self, t: &str, hit: Hit) -> bool {
        self.skip_rule(t, hit).is_some() || mid_token(t, hit)
    }

    /// Which rule of [`Names::lone_common_word`] skips `hit`, if any.
    #[inline]
    fn skip_rule(&self, t: &str, hit: Hit) -> Option<Skip> {
        let b = t.as_bytes();
        // `name=Ana&…`: a record value, glued on both sides.
        if kv_value(t, hit.start) {
            return None;
        }
        // What follows after one space: a lower-case word (not a
        // particle), or a digit; either way the run is this one word.
        let mut before_lower = false;
        let mut before_digit = false;
        match b.get(hit.end) {
            // `^`: HL7; a quote or `<`: a whole record value.
            Some(b'.' | b',' | b'^' | b'"' | b'\'' | b'<') => return None,
            Some(b' ') => match b.get(hit.end + 1) {
                Some(c) if c.is_ascii_lowercase() => {
                    let next = hit.end + 1;
                    let e = ascii_letters_end(b, next);
                    if b.get(next..e).is_some_and(particle_letters) {
                        return None;
                    }
                    before_lower = true;
                }
                Some(c) if c.is_ascii_digit() => before_digit = true,
                Some(c) if c.is_ascii_uppercase() => {
                    return self.glued_pair(b, hit).then_some(Skip::GluedPair);
                }
                _ => return None,
            },
            // `Client(`, `PASSWORD=`, `AKIA4…`: a word of ASCII letters
            // glued to code is one token, rejected by `glued_right`.
            Some(&c)
                if (c.is_ascii_digit() || GLUE.contains(&c))
                    && b.get(hit.start..hit.end)
                        .is_some_and(|w| w.iter().all(u8::is_ascii_alphabetic)) =>
            {
                return Some(Skip::Glued);
            }
            _ => {}
        }
        let w = t.get(hit.start..hit.end).unwrap_or("");
        let f = self.g.facts(w);
        if f.common && !f.given {
            return Some(Skip::Common);
        }
        if before_digit {
            return self
                .lone_word_without_context(t, hit, f, true)
                .then_some(Skip::NoContext);
        }
        // A sentence-initial word (after `. `, `! ` or `? ` on the same
        // line) that no list knows cannot start a name or place: without
        // a context word before it, a name needs a listed given name, and
        // the sentence end rules out such a context word.
        // (Asked last: the dot's word is looked up in the lists.)
        let sentence_start = || {
            hit.start >= 2
                && b.get(hit.start - 1) == Some(&b' ')
                && match b.get(hit.start - 2) {
                    Some(b'!' | b'?') => true,
                    // Not the dot of a title, an abbreviation or an initial
                    // (`Dr. Akia`, `prof. Akia`, `J. Okafor`).
                    Some(b'.') => {
                        let end = hit.start - 2;
                        let mut s = end;
                        while s > 0 && b.get(s - 1).is_some_and(u8::is_ascii_alphabetic) {
                            s -= 1;
                        }
                        let word = t.get(s..end).unwrap_or("");
                        word.is_empty() || !takes_dot(word)
                    }
                    _ => false,
                }
        };
        let unknown = |w: &str, f: gazetteer::WordFacts| {
            // `in_list`: the facts hold the small lists' flags.
            let listed =
                w.len() <= 24 && f.lists & (F_TITLE | F_PERSON | F_PLACE | F_PARTICLE) != 0;
            // The run handler reads a country code (`USA`) for what it is.
            let code = (2..=3).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_uppercase());
            !(f.given || f.surname || f.place || listed || code)
        };
        // The run handler reads a possessive's stem (`Maria's`): the stem
        // must be unknown too; any other apostrophe goes to the handler.
        let plain = || match w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s")) {
            Some(stem) => !stem.contains(['\'', '\u{2019}']) && unknown(stem, self.g.facts(stem)),
            None => !w.contains(['\'', '\u{2019}']),
        };
        if unknown(w, f) && sentence_start() && plain() {
            return Some(Skip::SentenceStart);
        }
        (before_lower && self.lone_word_without_context(t, hit, f, false))
            .then_some(Skip::NoContext)
    }

    /// `IBAN GB82…`, `Ref AB12`: the word `hit` and the next one, both of
    /// ASCII letters, one space apart and of compatible case classes (so
    /// `collect_run` joins them), the second glued to code (a digit or a
    /// [`GLUE`] byte, so the run ends there): `handle_run` rejects the run
    /// as glued on the right.
    #[inline(never)]
    fn glued_pair(&self, b: &[u8], hit: Hit) -> bool {
        let next = hit.end + 1;
        let e = ascii_letters_end(b, next);
        let (Some(w1), Some(w2)) = (b.get(hit.start..hit.end), b.get(next..e)) else {
            return false;
        };
        // `case_class` of a token of ASCII letters without a dot.
        let class = |w: &[u8]| (w.len() >= 2).then(|| w.iter().all(u8::is_ascii_uppercase));
        b.get(e)
            .is_some_and(|&c| c.is_ascii_digit() || GLUE.contains(&c))
            && w1.iter().all(u8::is_ascii_alphabetic)
            && w2.first().is_some_and(u8::is_ascii_uppercase)
            && match (class(w1), class(w2)) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
    }

    /// Whether `handle_run` finds nothing for the capitalised word `hit`
    /// (facts `f`) that a space and a lower-case word other than a particle
    /// or (`numbered`) a digit follow (so the run is this one word),
    /// decided without reading the run: a word of two or more ASCII letters
    /// that no list knows as a given name that is not also a common word
    /// (`In`, `Found`, `Stable`, `SSN`) is not a person without context: no
    /// particles before it, no context word before it (the same
    /// [`Names::context`]) and no table header naming a person or place
    /// column. Nor is it a place: before a number `try_place` never finds
    /// one (`March 8`) and the word must not end a compound street name
    /// (`Hauptstraße 5`); before a word, no list may know it as a place and
    /// it must not be a code of up to three capitals such as `USA`.
    #[inline]
    fn lone_word_without_context(
        &self,
        t: &str,
        hit: Hit,
        f: gazetteer::WordFacts,
        numbered: bool,
    ) -> bool {
        let Some(w) = t.as_bytes().get(hit.start..hit.end) else {
            return false;
        };
        if w.len() < 2 || !w.iter().all(u8::is_ascii_alphabetic) || (f.given && !f.common) {
            return false;
        }
        if numbered {
            if address::compound_street(t, hit.start, hit.end).is_some() {
                return false;
            }
        } else if (w.len() <= 3 && !w.iter().any(u8::is_ascii_lowercase))
            || f.city != 0
            || f.region != 0
        {
            return false;
        }
        leading_particles(t, hit.start).is_none()
            && !table_header(t, hit.start).is_some_and(|h| in_list(F_COLUMN | F_PLACE_COL, h))
            && self.context(t, hit.start) == (0, false)
    }

    /// Whether the token ending right before `start` (one space away) is
    /// part of the same run (so an earlier call handled this token).
    fn continues_run(&self, t: &str, start: usize) -> bool {
        if start < 2 || t.as_bytes().get(start - 1) != Some(&b' ') {
            return false;
        }
        let mut end = start - 1;
        let dotted = t.as_bytes().get(end - 1) == Some(&b'.');
        if dotted {
            end -= 1;
        }
        let Some(prev) = t.get(..end) else {
            return false;
        };
        let wstart = prev
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_name_char(c))
            .last()
            .map_or(end, |(i, _)| i);
        let Some(w) = t.get(wstart..end) else {
            return false;
        };
        let Some(c0) = w.chars().next() else {
            return false;
        };
        if !c0.is_alphabetic() {
            return false;
        }
        if dotted {
            return c0.is_uppercase() && takes_dot(w);
        }
        if c0.is_uppercase() {
            // Mixed case classes do not form one run (see `collect_run`).
            let prev_tok = read_tok(t, wstart);
            let this_tok = read_tok(t, start);
            if let (Some(a), Some(b)) = (
                prev_tok.as_ref().and_then(case_class),
                this_tok.as_ref().and_then(case_class),
            ) {
                return a == b;
            }
            return true;
        }
        // A particle continues only if a capitalised token precedes it.
        is_particle(w) && self.continues_run(t, wstart)
    }

    /// Whether the number at `pos` numbers a part of a work or a plan
    /// (`Chapter 3 The Way of Kings`, `Season 2 The Green`), not a house.
    /// (Not `No.` or `Unit`: `No. 10 Downing Street`, `Unit 5 Main St`.)
    fn numbered_part(t: &str, pos: usize) -> bool {
        const PARTS: &[&str] = &[
            "chapter", "season", "episode", "part", "book", "volume", "vol", "track", "step",
            "stage", "act", "scene", "page", "lesson", "module", "section", "round", "week", "day",
        ];
        Self::prev_word(t, pos).is_some_and(|(s, e)| {
            t.get(s..e)
                .is_some_and(|w| PARTS.iter().any(|p| w.eq_ignore_ascii_case(p)))
        })
    }

    /// The word before `pos`, skipping separators (`: " = , -` and at most
    /// one line break). Returns its range.
    fn prev_word(t: &str, pos: usize) -> Option<(usize, usize)> {
        let b = t.as_bytes();
        let mut i = pos;
        let mut newlines = 0;
        while i > 0 {
            let c = *b.get(i - 1)?;
            match c {
                b' ' | b'\t' | b':' | b'"' | b'\'' | b'=' | b',' | b'(' | b'[' | b'{' | b'|'
                | b'-' | b'>' | b'*' => i -= 1,
                b'\r' => i -= 1,
                b'\n' => {
                    newlines += 1;
                    if newlines > 1 {
                        return None;
                    }
                    i -= 1;
                }
                _ => break,
            }
            if pos - i > 8 {
                return None;
            }
        }
        // skip an en/em dash
        let head = t.get(..i)?;
        // (Nothing to trim before an ASCII byte other than a space.)
        let head = match head.as_bytes().last() {
            Some(&c) if c.is_ascii() && c != b' ' => head,
            _ => head.trim_end_matches(['–', '—', ' ']),
        };
        let end = head.len();
        let in_word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == '.';
        // ASCII bytes without decoding; the char walk takes over at the
        // first non-ASCII byte (the end of a char: only ASCII follows it).
        let hb = head.as_bytes();
        let mut start = end;
        while let Some(&c) = start.checked_sub(1).and_then(|j| hb.get(j)) {
            if !c.is_ascii() {
                start = head
                    .get(..start)
                    .unwrap_or("")
                    .char_indices()
                    .rev()
                    .take_while(|&(_, c)| in_word(c))
                    .last()
                    .map_or(start, |(i, _)| i);
                break;
            }
            if !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'\'' | b'.')) {
                break;
            }
            start -= 1;
        }
        if start == end {
            return None;
        }
        Some((start, end))
    }

    /// Whether `raw` (ending at `e`, the value starting at `pos`) is a
    /// record key whose value is a name.
    fn field_key(t: &str, raw: &str, e: usize, pos: usize) -> bool {
        t.get(e..pos).is_some_and(|gap| {
            let gap = gap.as_bytes();
            gap.iter().any(|c| matches!(c, b':' | b'=' | b'>'))
                && (gap.iter().any(|c| matches!(c, b'"' | b'\'' | b'>' | b'='))
                    || raw.as_bytes().first().is_some_and(u8::is_ascii_lowercase))
        }) && in_list(F_FIELD, raw)
    }

    /// Whether the value at `pos` is that of a bare `name` key
    /// (`"name": "…"`, `name=…`, `<name>…`). Services, products, CI
    /// steps and files have names as often as people do.
    fn generic_name_key(t: &str, pos: usize) -> bool {
        Self::prev_word(t, pos).is_some_and(|(s, e)| {
            let raw = t.get(s..e).unwrap_or("");
            raw.eq_ignore_ascii_case("name") && Self::field_key(t, raw, e, pos)
        })
    }

    /// A whole quoted or marked-up record value that is one common word
    /// known as a name (`"family_name":"Brown"`, `<Given>Will</Given>`).
    fn common_name_value(&self, t: &str, k: &Tok) -> bool {
        let b = t.as_bytes();
        if !matches!(b.get(k.end), Some(b'"' | b'\'' | b'<'))
            || !matches!(b.get(k.start.wrapping_sub(1)), Some(b'"' | b'\'' | b'>'))
        {
            return false;
        }
        let w = Self::word(t, k);
        if !(self.name_shaped(t, k) && (self.g.is_surname(w) || self.g.is_given(w))) {
            return false;
        }
        let Some((s, e)) = Self::prev_word(t, k.start) else {
            return false;
        };
        Self::field_key(t, t.get(s..e).unwrap_or(""), e, k.start)
    }

    /// The context class of the word before `pos`: 2 strong person, 1 weak
    /// person, 0 none. Also reports whether it is a place preposition.
    fn context(&self, t: &str, pos: usize) -> (u8, bool) {
        let Some((s, e)) = Self::prev_word(t, pos) else {
            return (0, false);
        };
        let raw = t.get(s..e).unwrap_or("");
        // A record field holding a name (`"first": "Ana"`,
        // `<Given>Ana</Given>`, `family_name=Silva`): the key is followed
        // by `:`, `=` or `>` before the value.
        // A capitalised key needs a quote or markup (`First: Install
        // Docker` is prose); a lower-case one may be YAML (`first: Ana`).
        if Self::field_key(t, raw, e, pos) {
            return (2, false);
        }
        let w = raw.trim_end_matches('.');
        let dotted = w.len() != raw.len();
        // `je m'appelle`, `il s'appelle`: the word after an elision.
        let w = w.rsplit('\'').next().unwrap_or(w);
        let lists = if w.len() > 24 {
            0
        } else {
            self.g.facts(w).lists
        };
        if dotted && lists & (F_TITLE | F_ABBREV) == 0 {
            // `… the client. Mark the box`: a sentence boundary.
            return (0, false);
        }
        // `mein Name ist`, `o meu nome é`, `nazywam się`: a copula after a
        // word for "name" (or "I").
        if lists & F_COPULA != 0
            && let Some((s2, e2)) = Self::prev_word(t, s)
            && in_list(F_NAME_HEAD, t.get(s2..e2).unwrap_or(""))
        {
            return (2, false);
        }
        // `ik ben`, `je suis`, `sono`: weak, whatever the name.
        if lists & F_I_AM != 0 {
            let alone = lists & F_I_AM_ALONE != 0;
            let pronoun = Self::prev_word(t, s)
                .is_some_and(|(s2, e2)| in_list(F_I_PRONOUN, t.get(s2..e2).unwrap_or("")));
            if alone || pronoun {
                return (1, false);
            }
        }
        // A place field's key (`home_address='Lima'`, `<Wohnort>Graz`,
        // `Adresse ist …`).
        let place = lists & F_PLACE != 0 || Self::place_key_at(t, (s, e), pos, lists);
        if lists & F_PERSON != 0 {
            let strength = if lists & F_WEAK != 0 { 1 } else { 2 };
            // "thank you", "my name is": look one further for "name is".
            if (w.eq_ignore_ascii_case("is") || w.eq_ignore_ascii_case("am"))
                && let Some((s2, e2)) = Self::prev_word(t, s)
            {
                let w2 = t.get(s2..e2).unwrap_or("");
                if w2.eq_ignore_ascii_case("name") || w2.eq_ignore_ascii_case("i") {
                    return (2, false);
                }
            }
            return (strength, place);
        }
        (0, place)
    }

    /// Whether the word before `pos` is a place field's key followed by
    /// `:`, `=`, `>` or `|` (`"city": "…`, `Wohnort=…`, `<city>…`, a
    /// Markdown key/value row `| City | …`), or a copula after one
    /// (`Meine Adresse ist …`, `mi dirección es …`).
    fn place_key(t: &str, pos: usize) -> bool {
        let Some((s, e)) = Self::prev_word(t, pos) else {
            return false;
        };
        let w = t.get(s..e).unwrap_or("");
        let lists = if w.len() > 24 {
            0
        } else {
            Gazetteer::get().list_flags(w)
        };
        Self::place_key_at(t, (s, e), pos, lists)
    }

    /// [`Names::place_key`] for the word `s..e` before `pos`, whose list
    /// flags are `lists`.
    fn place_key_at(t: &str, (s, e): (usize, usize), pos: usize, lists: u16) -> bool {
        if lists & F_PLACE_COL != 0 {
            return t
                .get(e..pos)
                .is_some_and(|gap| gap.bytes().any(|c| matches!(c, b':' | b'=' | b'>' | b'|')));
        }
        lists & F_COPULA != 0
            && t.get(e..pos) == Some(" ")
            && Self::prev_word(t, s)
                .is_some_and(|(s2, e2)| in_list(F_PLACE_COL, t.get(s2..e2).unwrap_or("")))
    }

    /// A run that is a place field's whole value (`"city": "Port Chad"`,
    /// `city=Mariafurt`, a `City` column's cell): a place, listed or
    /// not. Listed single words are left to the gazetteer's rules; a value
    /// of common words only (`Location: Remote`) is none.
    fn place_value(
        &self,
        t: &str,
        run: &[Tok],
        rf: &[gazetteer::WordFacts],
        out: &mut Out<'_>,
    ) -> bool {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            return false;
        };
        if run.len() > 4 || (run.len() == 1 && rf.first().is_some_and(|f| f.place)) {
            return false;
        }
        let shaped = run
            .iter()
            .zip(rf)
            .all(|(k, f)| self.name_shaped(t, k) && f.lists & (F_TITLE | F_PERSON) == 0);
        if !shaped || rf.iter().take(run.len()).all(|f| f.common && !f.given) {
            return false;
        }
        // The value ends the field, maybe after a state (`Thomasfurt, SD`).
        let b = t.as_bytes();
        let end = address::state_tail(t, last.end).unwrap_or(last.end);
        let mut e = end;
        while matches!(b.get(e), Some(b' ' | b'\t')) {
            e += 1;
        }
        let ends = match b.get(e) {
            None | Some(b'"' | b'<' | b',' | b'&' | b'|' | b';' | b')' | b'\n' | b'\r') => true,
            // A closing quote, not a possessive (`Location: Mark's desk`).
            Some(b'\'') => !b.get(e + 1).is_some_and(u8::is_ascii_alphabetic),
            // The end of a sentence (`Meine Adresse ist Mariafurt.`).
            Some(b'.' | b'!' | b'?') => b.get(e + 1).is_none_or(|c| c.is_ascii_whitespace()),
            _ => false,
        };
        if !ends {
            return false;
        }
        out.push(
            t,
            PendingFinding::new(EntityType::Location, first.start, end, 0.6, "place-field")
                .subtype("city"),
        );
        true
    }

    fn word<'t>(t: &'t str, k: &Tok) -> &'t str {
        t.get(k.start..k.end).unwrap_or("")
    }

    /// Name-shaped: a capitalised word (or all caps), letters only, >= 2.
    fn name_shaped(&self, t: &str, k: &Tok) -> bool {
        let w = Self::word(t, k);
        k.cap && !k.dot && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
    }

    fn handle_run(&self, t: &str, hit: Hit, out: &mut Out<'_>) {
        if self.continues_run(t, hit.start) {
            return;
        }
        // `name=Ana` (logfmt, query strings) is a value, `x=Foo` code.
        let kv = kv_value(t, hit.start);
        if !kv && text::char_before(t, hit.start).is_some_and(glued_left) {
            return;
        }
        let mut toks = [Tok::default(); MAX_RUN];
        let n = self.collect_run(t, hit.start, &mut toks);
        let Some(run) = toks.get(..n) else { return };
        if run.is_empty() {
            return;
        }
        // Glued to a path/identifier/email on the right: not prose.
        let run_end = run.last().map_or(hit.end, |k| k.end);
        if glued_right(t, run_end) && !(kv && t.as_bytes().get(run_end) == Some(&b'&')) {
            return;
        }
        // `dr. van den Berg`, `<Family>van Dijk`, `Anouk,de Boer`: a surname
        // that starts with lower-case particles after a strong context.
        if let Some(ps) = leading_particles(t, hit.start) {
            let (s, _) = self.context(t, ps);
            if s == 2 || table_name_column(t, ps) {
                let mut end = 0;
                for k in run {
                    let w = Self::word(t, k);
                    if !self.name_shaped(t, k) || self.g.is_common(w) {
                        break;
                    }
                    end = k.end;
                }
                if end > 0 {
                    // `van Boven, Alexander`: the given name after a comma.
                    if let Some(k) = run.iter().find(|k| k.end == end)
                        && let Some((e, _)) =
                            self.last_first(t, k, gazetteer::WordFacts::default(), 2, false)
                    {
                        end = e;
                    }
                    out.push(
                        t,
                        PendingFinding::new(EntityType::Person, ps, end, 0.85, "person-particle"),
                    );
                }
                return;
            }
        }
        // Each run word is looked up once for all that follows.
        let mut facts = [gazetteer::WordFacts::default(); MAX_RUN];
        for (f, k) in facts.iter_mut().zip(run) {
            *f = self.g.facts(Self::word(t, k));
        }
        let rf = facts.get(..n).unwrap_or(&[]);
        // Fast path: a lone common word (`The`, `However`) is nothing.
        if let [only] = run
            && !only.dot
            && let Some(&f) = rf.first()
            && f.common
            && !f.given
            && t.as_bytes().get(only.end) != Some(&b',')
        {
            if self.common_name_value(t, only) {
                out.push(
                    t,
                    PendingFinding::new(EntityType::Person, only.start, only.end, 0.8, "person"),
                );
            }
            return;
        }
        if let Some(last) = run.last()
            && let Some((s, e)) = address::compound_street(t, last.start, last.end)
                .map(|e| (last.start, e))
                .or_else(|| {
                    address::worded_street(t, hit.start, last.start, last.end)
                        .map(|e| (hit.start, e))
                })
        {
            out.push(
                t,
                PendingFinding::new(EntityType::Location, s, e, 0.85, "address")
                    .subtype("street_address"),
            );
            return;
        }
        let (mut strength, mut place) = self.context(t, hit.start);
        // Weak: `[09:15] Build: passed` has the same shape.
        if strength < 1 && !place && chat_speaker(t, hit.start, run_end) {
            strength = 1;
        }
        // The value of a place field (a key or a column header).
        let mut place_field = false;
        if strength < 2
            && let Some(h) = table_header(t, hit.start)
        {
            if in_list(F_COLUMN, h) {
                strength = 2;
                place = false;
            } else if in_list(F_PLACE_COL, h) {
                place = true;
                place_field = true;
            }
        }
        if self.whole_run_place(t, run, strength, place, out) {
            return;
        }
        if place
            && (place_field || Self::place_key(t, hit.start))
            && self.place_value(t, run, rf, out)
        {
            return;
        }
        let is_initial = |k: &Tok| k.dot && k.cap && Self::word(t, k).chars().count() == 1;
        // Strip leading titles / context / common words (an initial such
        // as `A.` is not the article).
        let mut i = 0usize;
        let mut titled = false;
        while let Some(k) = run.get(i) {
            let w = Self::word(t, k);
            let f = rf.get(i).copied().unwrap_or_default();
            // The small lists hold no word over 24 bytes (see `in_list`).
            let lists = if w.len() > 24 { 0 } else { f.lists };
            // `Sr.` is also seniority (`Sr. Data Engineer`): a title only
            // before a listed name that is not a common word.
            let seniority = w.eq_ignore_ascii_case("sr")
                && !rf
                    .get(i + 1)
                    .is_some_and(|f| (f.given || f.surname) && !f.common);
            if lists & F_TITLE != 0 && (k.dot || run.get(i + 1).is_some()) && !seniority {
                titled = true;
                strength = 2;
                i += 1;
                continue;
            }
            // `Bonjour M. Lefebvre`, `Hallo Herr Becker`: the greeting is
            // no part of the name, and a weak context for it. (`Hi` and
            // `Hello` are context words, below. `Dag`, `Ola`, `Dia` and
            // `Tag` are also given names or words: `Dag Nilsen`, `Ola
            // Nordmann`; as greetings they come in pairs, `Goedendag`,
            // `Bom dia`, `Guten Tag`.)
            if i == 0
                && !k.dot
                && run.get(1).is_some()
                && !f.given
                && lists & F_PERSON == 0
                && GREETINGS.iter().any(|g| w.eq_ignore_ascii_case(g))
                && !["dag", "ola", "dia", "tag"]
                    .iter()
                    .any(|g| w.eq_ignore_ascii_case(g))
            {
                strength = strength.max(1);
                i += 1;
                continue;
            }
            // `Ik ben Anna de Vries`: a sentence-initial "I am" is no part
            // of the name, though `ben` and `bin` are name particles.
            if lists & F_I_PRONOUN != 0
                && rf.get(i + 1).is_some_and(|f| f.lists & F_I_AM != 0)
                && run.get(i + 2).is_some()
            {
                strength = strength.max(1);
                i += 2;
                continue;
            }
            // `Sono Marco.`: a sentence-initial "I am" is no part of the name.
            let is_ctx = lists & F_PERSON != 0 || lists & F_I_AM_ALONE != 0;
            if run.get(i + 1).is_some() && (is_ctx || (f.common && !f.given && !is_initial(k))) {
                // A context word inside the run ("Customer Pietro Baracca").
                if is_ctx {
                    strength = if lists & (F_WEAK | F_I_AM) != 0 {
                        strength.max(1)
                    } else {
                        2
                    };
                } else {
                    strength = 0;
                }
                place = lists & F_PLACE != 0;
                i += 1;
                continue;
            }
            // `Meine Kollegin Anna Schmidt`, `Unser Kunde Peter Müller`:
            // two or more capitalised words that are no given name (German
            // nouns, product names; the census lists `Unser` and `Kunde` as
            // surnames) before a given name and a surname are no part of
            // the name. One such word stays (`Luiz Felipe Nunes`: an
            // unlisted given name).
            let strippable = |j: usize| {
                run.get(j).zip(rf.get(j)).is_some_and(|(k, f)| {
                    let listed = Self::word(t, k).len() <= 24 && f.lists & !F_ARTICLE != 0;
                    k.cap && !k.dot && !(f.given || f.place || listed)
                })
            };
            let named = |j: usize, given: bool| {
                run.get(j).is_some_and(|k| k.cap && !k.dot)
                    && rf
                        .get(j)
                        .is_some_and(|f| if given { f.given } else { f.surname })
            };
            let mut n_strip = 0;
            while strippable(i + n_strip) {
                n_strip += 1;
            }
            // One such word after a German article or possessive (`Meine
            // Kollegin`, `Der Kunde`) is a noun too.
            let article = |j: usize| {
                run.get(j)
                    .zip(rf.get(j))
                    .is_some_and(|(k, f)| Self::word(t, k).len() <= 24 && f.lists & F_ARTICLE != 0)
            };
            // The article itself (`Der Patient Jonas Weber`).
            // (After a strong context the run is the name: `me llamo Einer
            // Jeppesen`.)
            if strength < 2 && article(i) && !f.given && run.get(i + 1).is_some_and(|k| k.cap) {
                i += 1;
                continue;
            }
            let after_article = i > 0 && article(i - 1);
            if strength < 2
                && (n_strip >= 2 || (n_strip == 1 && after_article))
                && named(i + n_strip, true)
                && named(i + n_strip + 1, false)
            {
                strength = 0;
                place = false;
                i += n_strip;
                continue;
            }
            break;
        }
        let Some(core) = run.get(i..) else { return };
        let core_facts = rf.get(i..).unwrap_or(&[]);
        if core.is_empty() {
            return;
        }
        // Leading initials (`J. Smith`, `J. R. R. Tolkien`): part of the
        // span, but the words after them are what is judged.
        let mut initials = 0usize;
        while core.get(initials).is_some_and(is_initial) {
            initials += 1;
        }
        if !core.get(initials).is_some_and(|k| k.cap && !k.dot) {
            initials = 0;
        }
        // `Wood, Helen`, `Boyer, Danny`: a surname alone in its run, then
        // the given name after the comma (the surname may be a common word
        // when the context says a name comes).
        if initials == 0
            && let [l] = core
            && let Some((end, score)) = self.last_first(
                t,
                l,
                core_facts.first().copied().unwrap_or_default(),
                strength,
                place,
            )
        {
            out.push(
                t,
                PendingFinding::new(EntityType::Person, l.start, end, score, "person-last-first"),
            );
            return;
        }
        let initials_start = core.first().map(|k| k.start).filter(|_| initials > 0);
        let core = core.get(initials..).unwrap_or(&[]);
        let core_facts = core_facts.get(initials..).unwrap_or(&[]);
        // Cut the core at the first common / non-name token.
        let mut m = 0usize;
        while let Some(k) = core.get(m) {
            let w = Self::word(t, k);
            if k.dot && w.chars().count() == 1 && m > 0 {
                m += 1;
                continue;
            }
            if !k.cap && (m > 0 || core.len() > 1) {
                m += 1; // particle
                continue;
            }
            // Common words end the name, unless a surname after a given
            // name (`James White`).
            let f = core_facts.get(m).copied().unwrap_or_default();
            // An imperative opening the next sentence ends it even then
            // (`Denver Keep it short`).
            let stop = f.common
                && !f.given
                && (!(f.surname
                    && core_facts
                        .get(..m)
                        .is_some_and(|ps| ps.iter().any(|p| p.given)))
                    || (m > 0 && Self::opens_request(t, k)));
            if !self.name_shaped(t, k) || stop {
                break;
            }
            m += 1;
        }
        // `Washington Post`, `Hope Springs Hotel`: a name or place followed
        // by more capitalised words is part of a longer proper name; without
        // context it is neither a person nor a place.
        // (Unless that word is an imperative opening the next sentence
        // with its stop left out: `… - Miami Keep it short please.`)
        if strength == 0
            && !place
            && core
                .get(m)
                .is_some_and(|k| k.cap && !k.dot && !Self::opens_request(t, k))
        {
            return;
        }
        // Drop leading particles unless a title or strong context precedes.
        let mut lead = 0usize;
        if !(titled || strength == 2) {
            while core.get(lead).is_some_and(|k| !k.cap) {
                lead += 1;
            }
        }
        let core = core.get(lead..).unwrap_or(&[]);
        let core_facts = core_facts.get(lead..).unwrap_or(&[]);
        let m = m.saturating_sub(lead);
        let Some(core) = core.get(..m) else { return };
        // Drop trailing particles / initials.
        let mut m = core.len();
        while m > 0 && core.get(m - 1).is_some_and(|k| !k.cap || k.dot) {
            m -= 1;
        }
        let Some(core) = core.get(..m) else { return };
        let core_facts = core_facts.get(..m).unwrap_or(&[]);
        let (Some(first), Some(last)) = (core.first(), core.last()) else {
            return;
        };
        let span = (first.start, last.end);
        let Some(span_text) = t.get(span.0..span.1) else {
            return;
        };
        if let Some(from) = initials_start {
            // A person's initials: no place is written that way.
            self.try_person(
                t,
                core,
                core_facts,
                (from, span.1),
                strength,
                titled,
                initials,
                out,
            );
            return;
        }

        // --- places ---
        // A one-word span: its facts are known.
        let one = match core_facts {
            [f] => Some(*f),
            _ => None,
        };
        if let Some(done) = self.try_place(t, span, span_text, one, strength, place, titled, out)
            && done
        {
            return;
        }

        // --- persons ---
        self.try_person(t, core, core_facts, span, strength, titled, 0, out);
    }

    /// A place name that spans the run from its start (`New Orleans`,
    /// `St. Louis`, `Salt Lake City`), possibly after leading common words.
    fn whole_run_place(
        &self,
        t: &str,
        run: &[Tok],
        strength: u8,
        place: bool,
        out: &mut Out<'_>,
    ) -> bool {
        if run.len() < 2 {
            return false;
        }
        for j in 0..run.len().min(3) {
            let Some(a) = run.get(j) else { break };
            if j > 0 {
                // Only skip leading common / context words.
                let Some(p) = run.get(j - 1) else { break };
                let w = Self::word(t, p);
                if !(self.g.is_common(w) || in_list(F_PERSON, w) || in_list(F_PLACE, w)) {
                    break;
                }
            }
            let mut e = run.len();
            while e > j + 1 {
                let Some(b) = run.get(e - 1) else { break };
                let Some(s) = t.get(a.start..b.end) else {
                    break;
                };
                if self.g.city(s) > 0 || self.g.region(s) > 0 {
                    let pl = place
                        || (j > 0
                            && run
                                .get(j - 1)
                                .is_some_and(|p| in_list(F_PLACE, Self::word(t, p))));
                    let st = if j > 0 { 0 } else { strength };
                    return self
                        .try_place(t, (a.start, b.end), s, None, st, pl, false, out)
                        .unwrap_or(false);
                }
                e -= 1;
            }
        }
        false
    }

    #[allow(clippy::too_many_arguments)]
    fn try_place(
        &self,
        t: &str,
        span: (usize, usize),
        s: &str,
        one: Option<gazetteer::WordFacts>,
        strength: u8,
        place: bool,
        titled: bool,
        out: &mut Out<'_>,
    ) -> Option<bool> {
        if titled {
            return Some(false);
        }
        // `March 8, 1961`: a word followed by a number is not a place.
        let nb = t.as_bytes();
        if nb.get(span.1) == Some(&b' ') && nb.get(span.1 + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        // Short all-caps tokens (`EA`, `MAC`) are codes, not places, except
        // a few country abbreviations.
        if s.len() <= 3 && !s.chars().any(char::is_lowercase) {
            if matches!(s, "USA" | "UK" | "UAE") {
                out.push(
                    t,
                    PendingFinding::new(EntityType::Location, span.0, span.1, 0.7, "country")
                        .subtype("country"),
                );
                return Some(true);
            }
            return None;
        }
        // `one`: the facts of `s` when it is one run word.
        let (city, region) = match one {
            Some(f) => (f.city, f.region),
            None => (self.g.city(s), self.g.region(s)),
        };
        // `City, ST` / `City, ST 12345`.
        let after = t.get(span.1..).unwrap_or("");
        let ab = after.as_bytes();
        if ab.len() >= 4 && ab.first() == Some(&b',') && ab.get(1) == Some(&b' ') {
            if let Some(end) = address::state_tail(t, span.1) {
                let with_zip = end > span.1 + 4;
                // MD / PA / DO after a name are degrees, not states.
                if city > 0 || with_zip || (place && strength < 2) {
                    out.push(
                        t,
                        PendingFinding::new(EntityType::Location, span.0, end, 0.85, "city-state")
                            .subtype("city"),
                    );
                    return Some(true);
                }
            }
            // `City, Country`.
            if city > 0 {
                let rest = after.get(2..).unwrap_or("");
                let wend = rest
                    .char_indices()
                    .find(|&(_, c)| !(c.is_alphabetic() || c == ' '))
                    .map_or(rest.len(), |(i, _)| i);
                // Longest prefix of up to four words that is a country.
                let mut best = 0;
                let mut words = 0;
                let cand = rest.get(..wend).unwrap_or("");
                for (i, c) in cand.char_indices().chain(std::iter::once((wend, ' '))) {
                    if c == ' ' && i > 0 {
                        if self.g.region(rest.get(..i).unwrap_or("")) == REGION_COUNTRY {
                            best = i;
                        }
                        words += 1;
                        if words >= 4 {
                            break;
                        }
                    }
                }
                if best > 0 {
                    out.push(
                        t,
                        PendingFinding::new(
                            EntityType::Location,
                            span.0,
                            span.1 + 2 + best,
                            0.85,
                            "city-country",
                        )
                        .subtype("city"),
                    );
                    return Some(true);
                }
            }
        }
        if strength == 2 && !place {
            return Some(false);
        }
        let ambiguous = || {
            if let Some(f) = one {
                return f.common || f.given;
            }
            let mut words = s.split(' ');
            let one = words.next().unwrap_or("");
            words.next().is_none() && (self.g.is_common(one) || self.g.is_given(one))
        };
        if region == REGION_COUNTRY && (place || !ambiguous()) {
            out.push(
                t,
                PendingFinding::new(EntityType::Location, span.0, span.1, 0.8, "country")
                    .subtype("country"),
            );
            return Some(true);
        }
        if city > 0 && (place || (city == CITY_LARGE && s.len() >= 4 && !ambiguous())) {
            let score = if place { 0.8 } else { 0.7 };
            out.push(
                t,
                PendingFinding::new(EntityType::Location, span.0, span.1, score, "city")
                    .subtype("city"),
            );
            return Some(true);
        }
        // `this is Cheyenne`, `sono Lucas`: a given name that is also a
        // small town, after a person context, is the person.
        if strength == 1
            && !place
            && one.is_some_and(|f| f.given && !f.common && f.city < CITY_LARGE && f.region == 0)
        {
            return Some(false);
        }
        if city > 0 || region > 0 {
            // A known place with no context: neither place nor person.
            return Some(strength != 2 || place);
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn try_person(
        &self,
        t: &str,
        core: &[Tok],
        core_facts: &[gazetteer::WordFacts],
        span: (usize, usize),
        strength: u8,
        titled: bool,
        initials: usize,
        out: &mut Out<'_>,
    ) {
        let caps: usize = core.iter().filter(|k| k.cap && !k.dot).count();
        if caps == 0 || caps > 4 {
            return;
        }
        let Some(first) = core.first() else {
            return;
        };
        let fw = Self::word(t, first);
        // A month name beside a number is a date's month (`3. Juli 2024`,
        // `14 Julio`), not a given name, unless the context says name.
        if core.len() == 1
            && strength < 2
            && !titled
            && beside_number(t, span.0, span.1)
            && crate::validate::date::month_from_name(fw).is_some()
        {
            return;
        }
        let g = self.g;
        // Each word was looked up once for all lists (`handle_run`).
        let facts = core_facts;
        let ff = facts.first().copied().unwrap_or_default();
        let lf = facts.last().copied().unwrap_or_default();
        let f_given = ff.given;
        let f_common = ff.common;
        let l_sur = lf.surname;
        let l_common = lf.common;
        let any_known = core
            .iter()
            .zip(facts)
            .any(|(k, f)| k.cap && (f.given || f.surname));
        let no_place = facts.iter().all(|f| f.city < CITY_LARGE && f.region == 0);
        // A bare `name` key says little (`"name": "Redis", "port": 6379`,
        // `- name: Checkout` before `uses:`): a value that no list knows
        // as a name (or knows only as a common word) is a thing's when
        // the record's other keys are a thing's.
        if strength == 2
            && !titled
            && Self::generic_name_key(t, span.0)
            && (core.len() == 1 && yaml_item_of_a_thing(t, span.0, span.1)
                || !core
                    .iter()
                    .zip(facts)
                    .any(|(k, f)| k.cap && (f.given || f.surname) && !f.common)
                    && thing_record(t, span.0))
        {
            return;
        }
        // `Per your request`, `Per Johnson, the date moved`: the given
        // name Per is the preposition unless a strong context says name.
        if strength < 2 && !titled && fw.eq_ignore_ascii_case("per") {
            return;
        }
        // `down Rua Augusta`, `on Calle Mayor`: a street-type word before
        // capitalised words names a street, not a person.
        if core.len() >= 2 && strength < 2 && !titled && address::street_prefix_word(fw) {
            return;
        }
        if caps == 1 && first.upper && (strength < 2 || fw.chars().count() < 3) {
            return;
        }
        if caps == 1 && fw.chars().count() < 3 && strength < 2 {
            return;
        }
        if core.iter().any(|k| camel(Self::word(t, k))) {
            return;
        }
        if t.as_bytes().get(span.1) == Some(&b'(') {
            return;
        }
        if strength < 2
            && core
                .iter()
                .any(|k| k.upper && Self::word(t, k).chars().count() < 3)
        {
            return;
        }
        // All-caps runs need list support (headings are often all caps).
        if core.iter().any(|k| k.upper) && !(f_given && l_sur) && strength < 2 {
            return;
        }
        // `I am Canadian`, `I'm Diabetic`, `this is Hungarian`: after an
        // English self-introduction, one word no list knows as a name that
        // is a common word or shaped like an English adjective describes
        // the writer. (Not `ik ben Clément`, `soy Cezary`: other
        // languages' names end the same way.)
        if caps == 1
            && core.len() == 1
            && !titled
            && !ff.given
            && !ff.surname
            && Self::prev_word(t, span.0).is_some_and(|(s, e)| {
                let w = t.get(s..e).unwrap_or("");
                ["am", "i'm", "i’m", "im", "is", "it's", "its"]
                    .iter()
                    .any(|x| w.eq_ignore_ascii_case(x))
            })
            && self.self_intro(t, span.0).is_some()
            && (f_common || describes_someone(fw))
        {
            return;
        }
        // `Hi, this is Sian.`, `Hoi, ik ben Jim.`, `hey its Mark,`: one
        // word that ends the clause after a greeted self-introduction (a
        // context of its own) is the writer's name,
        // listed or not (and even when it is also a word). A place or a
        // word that is only a word (`Hi, this is Support.`) is not.
        let greeted_intro = caps == 1
            && core.len() == 1
            && strength < 2
            && !titled
            && !first.upper
            && no_place
            && (f_given || !f_common)
            && clause_end(t, span.1)
            && self.name_shaped(t, first)
            && self.self_intro(t, span.0) == Some(true);
        let score = if strength == 2 || titled {
            0.85
        } else if caps >= 2 && f_given && !f_common && (!l_common || l_sur) {
            0.8
        } else if caps >= 2 && f_given && f_common && l_sur && !l_common {
            0.7
        } else if caps >= 2 && !f_common && !l_common && any_known && strength == 1 {
            0.75
        } else if caps >= 2 && !f_common && !l_common && ff.surname && l_sur {
            0.65
        } else if (2..=3).contains(&caps) && strength == 1 && !f_common && !l_common && no_place {
            0.6
        } else if caps == 2 && !f_common && !l_common && l_sur && no_place && !first.upper {
            0.55
        } else if let [_, last] = core
            && f_given
            && f_common
            && !lf.given
            && !l_common
            && no_place
            && !first.upper
            && !last.upper
            && Self::word(t, last).bytes().any(|b| !b.is_ascii())
            // `Will Ørsted agree?`: a modal verb opens a question.
            && !["will", "may"].iter().any(|m| fw.eq_ignore_ascii_case(m))
        {
            // A given name that is also a word (`Jean`, `Jan`, `Tom`)
            // before a surname the census lists cannot hold (`Lefèvre`,
            // `Dvořák`): no English word it could start is spelt so.
            0.6
        } else if caps == 1
            && l_sur
            && !l_common
            && no_place
            && !first.upper
            && (initials >= 2 || (initials == 1 && strength == 1))
        {
            // Initials before a known surname: `A. B. Jones`, or one
            // initial after a weak context. `J. Crew` alone is not enough.
            0.7
        } else if caps == 1 && f_given && !f_common && !ff.surname && strength == 1 {
            0.65
        } else if caps == 1 && f_given && !f_common && strength == 1 {
            0.6
        } else if caps == 1 && f_given && !f_common && ff.city == 0 {
            0.55
        } else if greeted_intro {
            0.6
        } else {
            return;
        };
        if caps == 1 && f_common && strength < 2 && !greeted_intro {
            return;
        }
        let mut end = span.1;
        let mut rule = "person";
        // `Last, First` / `LAST, FIRST`.
        if caps == 1 {
            let after = t.get(span.1..).unwrap_or("");
            if after.starts_with(", ")
                && let Some(k) = read_tok(t, span.1 + 2)
                && k.cap
                && (k.upper == first.upper)
            {
                let w = Self::word(t, &k);
                // After a strong context (`Contact: MOREAU, CÉLINE`) any
                // name-shaped given name that ends the run will do.
                let ends = !(t.as_bytes().get(k.end) == Some(&b' ')
                    && read_tok(t, k.end + 1).is_some_and(|x| x.cap && !x.dot));
                let known = g.is_given(w) && (g.is_surname(fw) || strength == 2);
                let strong = strength == 2 && ends && self.name_shaped(t, &k);
                if !g.is_common(w) && (known || strong) {
                    end = k.end;
                    // `Smith, Jane A.`
                    if t.as_bytes().get(end) == Some(&b' ')
                        && let Some(m) = read_tok(t, end + 1)
                        && m.dot
                        && m.end == end + 2
                    {
                        end = m.end + 1;
                    }
                    rule = "person-last-first";
                }
            }
        }
        out.push(
            t,
            PendingFinding::new(EntityType::Person, span.0, end, score, rule),
        );
    }

    /// `Last, First` from a one-word run `l` (facts `lf`) followed by `, `
    /// and a given name that ends the name (`Smith, Jane A.` keeps the
    /// initial): the end of the name and its score. Without a strong
    /// context the given name must be listed and no common word, and the
    /// surname no given name, common word or large city; with no context
    /// at all the surname must be listed too. So `However, Helen` and
    /// `Jordan, Helen and Mike` stay apart.
    fn last_first(
        &self,
        t: &str,
        l: &Tok,
        lf: gazetteer::WordFacts,
        strength: u8,
        place: bool,
    ) -> Option<(usize, f32)> {
        let b = t.as_bytes();
        if l.dot || b.get(l.end) != Some(&b',') || b.get(l.end + 1) != Some(&b' ') {
            return None;
        }
        if !self.name_shaped(t, l) || camel(Self::word(t, l)) {
            return None;
        }
        let k = read_tok(t, l.end + 2)?;
        if k.dot || k.upper != l.upper || !self.name_shaped(t, &k) || camel(Self::word(t, &k)) {
            return None;
        }
        let kf = self.g.facts(Self::word(t, &k));
        // After a place word (`from`, `in`) only a listed surname that
        // names no large place, then a listed given name, is a name
        // (`From: Walker, Susan`; `from Denver, Colorado` stays a place).
        if place
            && !(lf.surname
                && !lf.given
                && !lf.common
                && lf.city < CITY_LARGE
                && lf.region == 0
                && kf.given
                && !kf.common
                && !kf.place)
        {
            return None;
        }
        let mut end = k.end;
        if b.get(end) == Some(&b' ')
            && let Some(m) = read_tok(t, end + 1)
        {
            if m.dot && m.cap && m.end == end + 2 {
                end = m.end + 1;
            } else if m.cap {
                // More capitalised words: a longer name or a title.
                return None;
            }
        }
        if glued_right(t, end) {
            return None;
        }
        // `Smith, Johnson and Brown`, `Smith, Johnson, Brown`: a list.
        let rest = t.get(end..).unwrap_or("");
        let next = rest
            .strip_prefix(", ")
            .or_else(|| rest.strip_prefix(" and "))
            .or_else(|| rest.strip_prefix(" & "))
            .or_else(|| rest.strip_prefix(" or "));
        if next.is_some_and(|n| n.chars().next().is_some_and(char::is_uppercase)) {
            return None;
        }
        let given = kf.given && !kf.common;
        // After a person context (`this is Gonçalves, Luana`) the surname
        // need not be in the list, only no other kind of known word.
        let surname = !lf.given
            && !lf.common
            && lf.city < CITY_LARGE
            && (lf.surname || (strength == 1 && lf.city == 0 && lf.region == 0));
        // After a strong context, a given name that is also a word (`Jan`,
        // `May`) when it ends the line or field (`Patient: Kowalski, Jan`).
        let ends_field = matches!(
            b.get(end),
            None | Some(b'\n' | b'\r' | b'"' | b'\t' | b'|' | b';' | b'<' | b')')
        );
        let score = if strength == 2
            && (given
                || (!kf.common && !kf.place && !kf.surname)
                || (kf.given && kf.common && ends_field))
        {
            0.85
        } else if (given || self.intro_pair(t, l, &k, kf, strength))
            && surname
            && !(l.upper && strength < 1)
        {
            if strength == 1 { 0.8 } else { 0.7 }
        } else {
            return None;
        };
        Some((end, score))
    }

    /// After a self-introduction (`this is`, `I am`, `sono`, `ik ben`),
    /// whether an unlisted given name `k` (facts `kf`) after `l, ` still
    /// makes `l, k` a name: when the pair ends the clause
    /// (`…, this is Andersson, Petter.`). Other weak contexts list
    /// companies (`with Nestlé, Danone`), and a clause that reads on is
    /// no introduction (`is Citroën, Peugeot second`).
    fn intro_pair(
        &self,
        t: &str,
        l: &Tok,
        k: &Tok,
        kf: gazetteer::WordFacts,
        strength: u8,
    ) -> bool {
        strength == 1
            && (!kf.common || kf.given)
            && !kf.place
            && clause_end(t, k.end)
            && self.self_intro(t, l.start).is_some()
    }

    /// Whether the words before `pos` introduce the writer: `this is`,
    /// `it's`, `I am`, `I'm`, or a word of [`I_AM`] (after its pronoun
    /// where the language writes one). `Some(true)` when a greeting opens
    /// the introduction (`Hi, this is`, `Buongiorno, sono`).
    fn self_intro(&self, t: &str, pos: usize) -> Option<bool> {
        let word = |(s, e): (usize, usize)| t.get(s..e).unwrap_or("");
        let (s, e) = Self::prev_word(t, pos)?;
        let w = word((s, e));
        let lists = if w.len() > 24 {
            0
        } else {
            self.g.facts(w).lists
        };
        let head = if ["i'm", "im", "it's", "its"]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x))
        {
            s
        } else if w.eq_ignore_ascii_case("is") || w.eq_ignore_ascii_case("am") {
            let p = Self::prev_word(t, s)?;
            let pw = word(p);
            let ok = if w.eq_ignore_ascii_case("is") {
                pw.eq_ignore_ascii_case("this") || pw.eq_ignore_ascii_case("it")
            } else {
                pw.eq_ignore_ascii_case("i")
            };
            if !ok {
                return None;
            }
            p.0
        } else if lists & F_I_AM_ALONE != 0 {
            s
        } else if lists & F_I_AM != 0 {
            let p = Self::prev_word(t, s)?;
            if !in_list(F_I_PRONOUN, word(p)) {
                return None;
            }
            p.0
        } else {
            return None;
        };
        Some(Self::prev_word(t, head).is_some_and(|p| {
            let g = word(p);
            GREETINGS.iter().any(|x| g.eq_ignore_ascii_case(x))
        }))
    }

    /// Whether `k` is an imperative that opens a request (`Keep`,
    /// `Please`, `Make`), followed by a lower-case word or the end: the
    /// start of a new sentence, not part of a longer proper name.
    fn opens_request(t: &str, k: &Tok) -> bool {
        let w = Self::word(t, k);
        OPENS_REQUEST.iter().any(|x| w.eq_ignore_ascii_case(x))
            && match t.get(k.end..).map(|r| r.trim_start_matches(' ')) {
                None | Some("") => true,
                Some(r) => r
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase() || matches!(c, '.' | '!' | ',' | '\n')),
            }
    }

    /// HL7 `LAST^FIRST^M`: the family and given name components.
    fn try_hl7(&self, t: &str, hit: Hit, out: &mut Out<'_>) -> bool {
        if t.as_bytes().get(hit.end) != Some(&b'^') {
            return false;
        }
        if t.as_bytes().get(hit.start.wrapping_sub(1)) != Some(&b'|') {
            return true;
        }
        let Some(k) = read_tok(t, hit.end + 1) else {
            return true;
        };
        // `ADT^A01` (message type / trigger event) is no name: the given
        // name is a whole component of two letters or more.
        if !k.cap
            || !self.name_shaped(t, &k)
            || !matches!(
                t.as_bytes().get(k.end),
                None | Some(b'^' | b'|' | b'\r' | b'\n' | b'~')
            )
        {
            return true;
        }
        out.push(
            t,
            PendingFinding::new(EntityType::Person, hit.start, k.end, 0.8, "person-hl7"),
        );
        true
    }
}

impl Module for Names {
    fn name(&self) -> &'static str {
        "names"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::Person, EntityType::Location]
    }

    fn shapes(&self) -> Vec<Shape> {
        // Capitalised words are not a shape: in prose they would be most
        // of the regex's matches, each paying for a reverse search. They
        // are found by `finish` instead (see `capitalised_words`).
        vec![
            Shape::new(SH_US_ADDR, prio::ADDRESS, address::us_pattern()),
            Shape::new(SH_US_ADDR_WEAK, prio::ADDRESS, address::us_weak_pattern()),
        ]
    }

    fn finish(&self, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        if !out.wants(&EntityType::Person) && !out.wants(&EntityType::Location) {
            return;
        }
        let t = ctx.text;
        capitalised_words(t, ctx.shape_spans, &mut |hit| {
            if self.lone_common_word(t, hit) {
                return;
            }
            self.on_shape(SH_WORD, hit, ctx, out);
        });
    }

    fn anchors(&self) -> Vec<Anchor> {
        let mut v: Vec<Anchor> = slot::Slot::anchors()
            .map(|(id, w)| Anchor::new(AN_SLOT + id, w))
            .collect();
        for p in address::PREFIXES {
            v.push(Anchor::new(AN_STREET_PREFIX, *p));
        }
        v
    }

    fn on_anchor(&self, anchor: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        if ctx.depth > 0 {
            return;
        }
        if anchor == AN_STREET_PREFIX {
            if let Some((s, e)) = address::prefixed_street(ctx.text, hit.start, hit.end) {
                out.push(
                    ctx.text,
                    PendingFinding::new(EntityType::Location, s, e, 0.85, "address")
                        .subtype("street_address"),
                );
            }
            return;
        }
        if !out.wants(&EntityType::Person) {
            return;
        }
        if let Some(kind) = anchor.checked_sub(AN_SLOT).and_then(slot::Slot::of) {
            self.on_slot(kind, hit, ctx.text, out);
        }
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        // Names inside decoded views (base64 JWT payloads, …) would be
        // mapped back onto the whole encoded token: not a name span.
        if ctx.depth > 0 {
            return;
        }
        let t = ctx.text;
        match shape {
            SH_US_ADDR => {
                if text::char_before(t, hit.start).is_some_and(text::is_word_char)
                    || text::char_at(t, hit.end).is_some_and(char::is_alphanumeric)
                    || Self::numbered_part(t, hit.start)
                {
                    return;
                }
                let g = self.g;
                let street = address::street_end(t, hit.start, hit.end);
                let end = address::english_tail(t, street, &|c| g.city(c) > 0);
                // All in capitals (`123 MAIN ST`), shouted prose reads the
                // same (`3 QUESTIONS ABOUT THE WAY`): such a street needs a
                // city, state or ZIP after it, or a place word before it.
                if end == street
                    && t.get(hit.start..street)
                        .is_some_and(|a| !a.bytes().any(|c| c.is_ascii_lowercase()))
                    && !Self::prev_word(t, hit.start).is_some_and(|(s, e)| {
                        in_list(F_PLACE | F_PLACE_COL, t.get(s..e).unwrap_or(""))
                    })
                {
                    return;
                }
                out.push(
                    t,
                    PendingFinding::new(EntityType::Location, hit.start, end, 0.85, "address")
                        .subtype("street_address"),
                );
            }
            SH_US_ADDR_WEAK => {
                if text::char_before(t, hit.start).is_some_and(text::is_word_char)
                    || text::char_at(t, hit.end).is_some_and(char::is_alphanumeric)
                {
                    return;
                }
                let end = address::postcode_after(t, hit.end);
                out.push(
                    t,
                    PendingFinding::new(EntityType::Location, hit.start, end, 0.85, "address")
                        .subtype("street_address"),
                );
            }
            SH_WORD => {
                if self.try_hl7(t, hit, out) {
                    return;
                }
                self.handle_run(t, hit, out);
            }
            _ => {}
        }
    }
}

/// Calls `f` with each capitalised word of `text` that does not start
/// inside one of `hidden` (sorted, disjoint spans claimed by other shapes),
/// in text order. A word is what the regex
/// `\p{Lu}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*` would match, found
/// the same leftmost way: a match may start mid-word (`iPhone` gives
/// `Phone`; the handler rejects it by its left neighbour).
///
/// Most of ordinary text is lower-case ASCII, so the search tests 16 bytes
/// at a time for a byte that may start a capital (`0x40..=0x5F` or not
/// ASCII, SWAR: [`next_flagged`]) and only looks closer at those.
fn capitalised_words(text: &str, hidden: &[(usize, usize)], f: &mut dyn FnMut(Hit)) {
    let b = text.as_bytes();
    let mut hi = 0usize; // index into `hidden`
    let mut i = 0usize;
    while i < b.len() {
        // Plain ASCII bytes before the next flagged one are skipped (so
        // `i` stays on a char boundary when it was on one).
        i = next_flagged(b, i);
        // The first letter's length: ASCII bytes without decoding.
        let len = match b.get(i) {
            Some(c) if c.is_ascii_uppercase() => 1,
            Some(c) if c.is_ascii() => {
                i += 1;
                continue;
            }
            _ => {
                let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                    i += 1;
                    continue;
                };
                if !c.is_uppercase() {
                    i += c.len_utf8();
                    continue;
                }
                c.len_utf8()
            }
        };
        while hidden.get(hi).is_some_and(|&(_, e)| e <= i) {
            hi += 1;
        }
        if let Some(&(s, e)) = hidden.get(hi) {
            if s <= i {
                i = e;
                continue;
            }
        }
        let end = word_end(text, i + len);
        f(Hit { start: i, end });
        i = end;
    }
}

/// Whether [`next_flagged`] stops at byte `c`: `0x40..=0x5F` (the ASCII
/// capitals and `@[\\]^_`) or not ASCII.
fn flagged(c: u8) -> bool {
    c & 0xE0 == 0x40 || !c.is_ascii()
}

/// The first index at or after `from` whose byte is [`flagged`] (`b.len()`
/// if none; `from` if it is past the end). Tests 32 bytes at a time (four
/// words, SWAR), then 16, then the tail byte by byte.
#[inline]
fn next_flagged(b: &[u8], from: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, bit 6 set iff bit 6 is set and bit 5 is not (`0x40..=0x5F`
    // or `0xC0..=0xDF`), bit 7 iff bit 7 is; other bits clear. (Bit 5
    // shifted up stays within its byte.)
    let flags = |c: &[u8]| {
        let x = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
        x & (!(x << 1) | HIGH) & 0xC0C0_C0C0_C0C0_C0C0
    };
    // The index of the first flagged byte of `c` (its words' flags `f`).
    let first = |f: &[u64]| {
        let mut at = 0usize;
        for &x in f {
            if x != 0 {
                return at + (x.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        at
    };
    let Some(rest) = b.get(from..) else {
        return from;
    };
    let mut i = from;
    let mut chunks = rest.chunks_exact(32);
    for c in &mut chunks {
        let f = [
            flags(c.get(..8).unwrap_or(&[])),
            flags(c.get(8..16).unwrap_or(&[])),
            flags(c.get(16..24).unwrap_or(&[])),
            flags(c.get(24..).unwrap_or(&[])),
        ];
        if f[0] | f[1] | f[2] | f[3] != 0 {
            return i + first(&f);
        }
        i += 32;
    }
    let mut tail = chunks.remainder().chunks_exact(16);
    for c in &mut tail {
        let f = [
            flags(c.get(..8).unwrap_or(&[])),
            flags(c.get(8..).unwrap_or(&[])),
        ];
        if f[0] | f[1] != 0 {
            return i + first(&f);
        }
        i += 16;
    }
    for &c in tail.remainder() {
        if flagged(c) {
            return i;
        }
        i += 1;
    }
    i
}

/// The first index at or after `pos` whose byte is not an ASCII letter
/// (`b.len()` if none; `pos` if past the end): 8 bytes at a time (SWAR),
/// then byte by byte.
fn ascii_letters_end(b: &[u8], mut pos: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const fn splat(x: u8) -> u64 {
        0x0101_0101_0101_0101 * x as u64
    }
    while let Some(c) = b.get(pos..pos + 8) {
        let x = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
        // An ASCII byte is a letter iff (byte | 0x20) is in 'a'..='z'.
        let lo = (x | splat(0x20)) & LO7;
        let ge_a = lo + splat(0x80 - b'a');
        let gt_z = lo + splat(0x80 - b'z' - 1);
        let letter = ge_a & !gt_z & !x & HIGH;
        let other = !letter & HIGH;
        if other != 0 {
            return pos + (other.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while b.get(pos).is_some_and(u8::is_ascii_alphabetic) {
        pos += 1;
    }
    pos
}

/// Whether `c` continues a word: a letter or a combining mark.
fn is_letter_or_mark(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// The end of a capitalised word whose first letter ends at `pos`: letters
/// and marks, and `'`, `’` or `-` when a letter follows.
fn word_end(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    loop {
        // ASCII letters, the usual case, without decoding.
        pos = ascii_letters_end(b, pos);
        // An ASCII byte other than `'` and `-` ends the word.
        match b.get(pos) {
            None => return pos,
            Some(&c) if c.is_ascii() && c != b'\'' && c != b'-' => return pos,
            _ => {}
        }
        let rest = text.get(pos..).unwrap_or("");
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) if is_letter_or_mark(c) => pos += c.len_utf8(),
            Some(c @ ('\'' | '’' | '-')) if chars.next().is_some_and(char::is_alphabetic) => {
                pos += c.len_utf8();
            }
            _ => return pos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scanner;

    fn words(text: &str, hidden: &[(usize, usize)]) -> Vec<String> {
        let mut v = Vec::new();
        capitalised_words(text, hidden, &mut |h| {
            v.push(text[h.start..h.end].to_owned())
        });
        v
    }

    #[test]
    fn capitalised_word_search() {
        assert_eq!(
            words(
                "hello Jane O'Neil-Smith and iPhone, Börner Édith ÉCOLE x",
                &[]
            ),
            vec!["Jane", "O'Neil-Smith", "Phone", "Börner", "Édith", "ÉCOLE"]
        );
        // A word that starts inside a hidden span is skipped.
        let t = "see 12 Park Street, Denver and Jane";
        let s = t.find("12").expect("in text");
        assert_eq!(words(t, &[(s, s + 22)]), vec!["Jane"]);
        // Long lower-case stretches are skipped in chunks; the tail is seen.
        let t = format!("{}Zed", "abcdefgh ".repeat(10));
        assert_eq!(words(&t, &[]), vec!["Zed"]);
        assert_eq!(words("trailing O'", &[]), vec!["O"]);
    }
    /// The search as it was written first (every flagged byte decoded):
    /// the reference for [`capitalised_words`].
    fn words_reference(text: &str, hidden: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let mut hi = 0usize;
        let mut i = 0usize;
        while i < text.len() {
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                i += 1;
                continue;
            };
            if !c.is_uppercase() {
                i += c.len_utf8();
                continue;
            }
            while hidden.get(hi).is_some_and(|&(_, e)| e <= i) {
                hi += 1;
            }
            if let Some(&(s, e)) = hidden.get(hi) {
                if s <= i {
                    i = e;
                    continue;
                }
            }
            let mut end = i + c.len_utf8();
            loop {
                let mut chars = text[end..].chars();
                match chars.next() {
                    Some(c) if is_letter_or_mark(c) => end += c.len_utf8(),
                    Some(c @ ('\'' | '’' | '-'))
                        if chars.next().is_some_and(char::is_alphabetic) =>
                    {
                        end += c.len_utf8();
                    }
                    _ => break,
                }
            }
            v.push((i, end));
            i = end;
        }
        v
    }

    /// Pieces of the texts of the capitalised-word search tests: ASCII and
    /// non-ASCII capitals, the bytes around the 0x40..=0x5F range, long
    /// runs without a candidate.
    const SEARCH_PARTS: &[&str] = &[
        "abc ",
        "Q",
        "é",
        "xyzxyzxyzxyzxyz",
        " ",
        "Ž",
        "0@[`{~",
        "z",
        "_^]\\",
        "€",
        "?",
    ];

    /// `capitalised_words` finds what the plain char loop finds.
    #[test]
    fn capitalised_words_is_the_char_loop() {
        let more = [
            "O'", "-", "’", "Ab", "Élodie", "ÉCOLE", "\u{301}", "ǅ", "İ", "x-Y", "\n", "ß",
        ];
        let parts: Vec<&str> = SEARCH_PARTS.iter().copied().chain(more).collect();
        let mut rng = crate::testrand::Rng::new(0xCA95);
        for _ in 0..4000 {
            let mut t = String::new();
            for _ in 0..rng.below(30) {
                t.push_str(parts[rng.below(parts.len())]);
            }
            // Hidden spans on char boundaries, sorted and disjoint.
            let mut hidden = Vec::new();
            let mut at = 0usize;
            while rng.below(3) > 0 && at < t.len() {
                let s = at + rng.below(t.len() - at + 1);
                let e = (s + rng.below(12)).min(t.len());
                if t.is_char_boundary(s) && t.is_char_boundary(e) && s < e {
                    hidden.push((s, e));
                    at = e;
                } else {
                    at = s + 1;
                }
            }
            let mut got = Vec::new();
            capitalised_words(&t, &hidden, &mut |h| got.push((h.start, h.end)));
            assert_eq!(got, words_reference(&t, &hidden), "{t:?} {hidden:?}");
        }
    }

    /// `next_flagged` against a byte loop, at every start of varied texts.
    #[test]
    fn next_flagged_is_the_byte_loop() {
        let mut rng = crate::testrand::Rng::new(11);
        for len in [0usize, 1, 7, 8, 15, 16, 17, 31, 33, 100, 400] {
            let mut t = String::new();
            while t.len() < len {
                t.push_str(SEARCH_PARTS[rng.below(SEARCH_PARTS.len())]);
            }
            let b = t.as_bytes();
            for from in 0..=b.len() + 1 {
                let want = if from > b.len() {
                    from
                } else {
                    (from..b.len())
                        .find(|&j| (0x40..=0x5F).contains(&b[j]) || !b[j].is_ascii())
                        .unwrap_or(b.len())
                };
                assert_eq!(next_flagged(b, from), want, "{t:?} from {from}");
            }
        }
    }

    /// Random text over list words (names, places, titles, particles,
    /// context words, codes), separators and table headers.
    fn random_text(rng: &mut crate::testrand::Rng) -> String {
        const WORDS: &[&str] = &[
            "ssn",
            "akia",
            "street",
            "hauptstr",
            "ring",
            "engineering",
            "3",
            "maria",
            "john",
            "will",
            "smith",
            "found",
            "stable",
            "young",
            "grew",
            "the",
            "in",
            "an",
            "however",
            "denver",
            "paris",
            "springfield",
            "france",
            "texas",
            "dr",
            "mr",
            "prof",
            "st",
            "van",
            "de",
            "la",
            "der",
            "patient",
            "name",
            "is",
            "from",
            "at",
            "to",
            "with",
            "thanks",
            "dear",
            "moved",
            "city",
            "usa",
            "uk",
            "an",
            "iban",
            "cycle",
            "meeting",
            "revenue",
            "friday",
            "é",
            "élodie",
            "müller",
            "o'neil",
            "smith-jones",
            "j",
            "a",
            "i",
            "am",
            "my",
            "mein",
            "ist",
            "first",
            "family_name",
            "mcdonald",
            "openai",
            "hauptstraße",
            "lake",
            "salt",
            "new",
            "york",
            "washington",
            "hope",
            "springs",
            "ana",
            "souza",
            "contact",
            "notes",
            "md",
            "ca",
            "ny",
            "12",
            "84101",
        ];
        const SEPS: &[&str] = &[
            "",
            "",
            "@",
            "_",
            "#",
            "/",
            "&",
            "~",
            "{",
            "+",
            "%",
            "$",
            "[",
            "\\",
            "-",
            " 12 ",
            " 5, ",
            " ",
            " ",
            " ",
            " ",
            " ",
            ". ",
            "! ",
            "? ",
            ".\n",
            "\n",
            ", ",
            ": ",
            "|",
            ",",
            "\t",
            "\"",
            "=",
            "(",
            ")",
            "'s ",
            "-",
            "^",
            " - ",
            ".\r\n",
            "  ",
            "] ",
            "\n\n",
            "\nname,city\n",
            "\n| name | notes |\n| ",
            "\"name\": \"",
            "<b>",
        ];
        let mut t = String::new();
        for _ in 0..rng.below(40) + 1 {
            let w = WORDS[rng.below(WORDS.len())];
            match rng.below(4) {
                0 => t.push_str(w),
                1 => t.push_str(&w.to_uppercase()),
                _ => {
                    let mut c = w.chars();
                    if let Some(f) = c.next() {
                        t.extend(f.to_uppercase());
                        t.push_str(c.as_str());
                    }
                }
            }
            t.push_str(SEPS[rng.below(SEPS.len())]);
        }
        t
    }

    /// `starts_cell` on bytes is the `str` test it replaced.
    #[test]
    fn starts_cell_is_the_str_test() {
        let mut rng = crate::testrand::Rng::new(0xCE11);
        let alphabet = [
            " ", "\"", ",", "\t", "|", ";", "\n", "a", "Z", "é", "–", "\r", "'",
        ];
        for _ in 0..3000 {
            let t: String = (0..rng.below(12))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            for pos in 0..=t.len() + 1 {
                let before = t.get(..pos).unwrap_or("").trim_end_matches([' ', '"']);
                let want = before.is_empty() || before.ends_with([',', '\t', '|', ';', '\n']);
                assert_eq!(starts_cell(&t, pos), want, "{t:?} {pos}");
            }
        }
    }

    /// Every capitalised word that `finish` skips without reading its run
    /// (`skip_rule`) is one the full handler finds nothing for.
    #[test]
    fn skipped_words_find_nothing() {
        let names = Names::new();
        let mut enabled = crate::engine::TypeSet::default();
        enabled.insert(&EntityType::Person);
        enabled.insert(&EntityType::Location);
        let mut rng = crate::testrand::Rng::new(0x5EED_0003);
        let (mut skipped, mut by_context_rule, mut found) = (0usize, 0usize, 0usize);
        let (mut by_glue_rule, mut before_number) = (0usize, 0usize);
        let (mut pairs, mut mid) = (0usize, 0usize);
        for _ in 0..20_000 {
            let t = random_text(&mut rng);
            capitalised_words(&t, &[], &mut |hit| {
                let mut v = Vec::new();
                let mut out = Out {
                    findings: &mut v,
                    enabled: &enabled,
                    resume: None,
                };
                if !names.try_hl7(&t, hit, &mut out) {
                    names.handle_run(&t, hit, &mut out);
                }
                if mid_token(&t, hit) {
                    mid += 1;
                    assert!(
                        v.is_empty(),
                        "mid-token {t:?} at {}..{}: {v:?}",
                        hit.start,
                        hit.end
                    );
                }
                let rule = names.skip_rule(&t, hit);
                let Some(rule) = rule else {
                    found += usize::from(!v.is_empty());
                    return;
                };
                skipped += 1;
                by_context_rule += usize::from(rule == Skip::NoContext);
                by_glue_rule += usize::from(rule == Skip::Glued);
                pairs += usize::from(rule == Skip::GluedPair);
                before_number += usize::from(
                    rule == Skip::NoContext
                        && t.as_bytes()
                            .get(hit.end + 1)
                            .is_some_and(u8::is_ascii_digit),
                );
                assert!(
                    v.is_empty(),
                    "{rule:?} {t:?} at {}..{}: {v:?}",
                    hit.start,
                    hit.end
                );
            });
        }
        // The test reaches every kind of decision.
        assert!(skipped > 10_000 && by_context_rule > 2_000 && found > 2_000);
        assert!(
            by_glue_rule > 1_000 && before_number > 500,
            "{by_glue_rule} {before_number}"
        );
        assert!(pairs > 300 && mid > 1_000, "{pairs} {mid}");
    }

    use proptest::prelude::*;

    fn values(s: &Scanner, text: &str, ty: EntityType) -> Vec<String> {
        s.scan(text)
            .iter()
            .filter(|f| *f.entity_type() == ty)
            .map(|f| {
                let sp = f.span();
                text.get(sp.start()..sp.end()).unwrap_or("").to_string()
            })
            .collect()
    }

    /// The packed particle set answers exactly what the gazetteer does.
    #[test]
    fn particle_set_is_the_list() {
        let mut words: Vec<String> = Vec::new();
        let letters = [
            'a', 'd', 'e', 'l', 'n', 'o', 'r', 's', 'v', 'y', 'z', 'A', 'D', 'L', 'V',
        ];
        for &a in &letters {
            words.push(a.to_string());
            for &b in &letters {
                words.push(format!("{a}{b}"));
                for &c in &letters {
                    words.push(format!("{a}{b}{c}"));
                }
            }
        }
        for p in PARTICLES {
            words.push(p.to_string());
            words.push(p.to_uppercase());
            words.push(format!("{p}x"));
            words.push(format!("{p}'"));
        }
        for w in [
            "",
            "DELLA",
            "dellas",
            "de la",
            "d'",
            "van-",
            "\u{212A}i",
            "é",
            "vanvanva",
            "1",
            "al1",
        ] {
            words.push(w.to_string());
        }
        for w in &words {
            assert_eq!(is_particle(w), in_list(F_PARTICLE, w), "{w:?}");
            if w.bytes().all(|c| c.is_ascii_alphabetic()) {
                assert_eq!(particle_letters(w.as_bytes()), is_particle(w), "{w:?}");
            }
        }
        assert!(PARTICLES.iter().all(|p| is_particle(p)));
    }

    #[test]
    fn camel_case() {
        assert!(camel("OpenAI"));
        assert!(!camel("McDonald"));
        assert!(!camel("DeShawn"));
        assert!(!camel("MacArthur"));
    }

    #[test]
    fn word_lists() {
        assert!(in_list(F_TITLE, "Dr"));
        assert!(in_list(F_PERSON, "PATIENT"));
        assert!(in_list(F_PARTICLE, "van"));
        assert!(!in_list(F_TITLE, "Prague"));
        assert!(!in_list(F_TITLE, &"x".repeat(200)));
    }

    /// A word after a sentence end is still read in full when it is a
    /// possessive, a country code, or follows a title's or an initial's dot
    /// (the sentence-start skip once dropped these).
    #[test]
    fn sentence_starts_that_are_names() {
        let s = Scanner::new();
        assert_eq!(
            values(
                &s,
                "The meeting is set with prof. Akia tomorrow",
                EntityType::Person
            ),
            vec!["Akia"]
        );
        assert_eq!(
            values(
                &s,
                "It arrived late. Élodie's report was fine.",
                EntityType::Person
            ),
            vec!["Élodie"]
        );
        assert_eq!(
            values(
                &s,
                "Her file was sent. Springfield's office replied.",
                EntityType::Location
            ),
            vec!["Springfield"]
        );
        assert_eq!(
            values(&s, "We ship to many places. USA.", EntityType::Location),
            vec!["USA"]
        );
        // A plain sentence-initial word is still skipped.
        assert!(
            values(
                &s,
                "It arrived late. Meanwhile the team left.",
                EntityType::Person
            )
            .is_empty()
        );
    }

    #[test]
    fn runs_and_context() {
        let s = Scanner::new();
        assert_eq!(
            values(&s, "Customer Pietro Baracca called.", EntityType::Person),
            vec!["Pietro Baracca"]
        );
        assert_eq!(
            values(&s, "Grant Thompson approved it.", EntityType::Person),
            vec!["Grant Thompson"]
        );
        assert!(values(&s, "Grant access to the repo.", EntityType::Person).is_empty());
        assert_eq!(
            values(&s, "in Salt Lake City, UT 84101", EntityType::Location),
            vec!["Salt Lake City, UT 84101"]
        );
    }

    /// `prev_word`'s ASCII walk gives what the char walk it replaced gave.
    #[test]
    fn prev_word_matches_the_char_walk() {
        fn reference(t: &str, pos: usize) -> Option<(usize, usize)> {
            let b = t.as_bytes();
            let mut i = pos;
            let mut newlines = 0;
            while i > 0 {
                let c = *b.get(i - 1)?;
                match c {
                    b' ' | b'\t' | b':' | b'"' | b'\'' | b'=' | b',' | b'(' | b'[' | b'{'
                    | b'|' | b'-' | b'>' | b'*' | b'\r' => i -= 1,
                    b'\n' => {
                        newlines += 1;
                        if newlines > 1 {
                            return None;
                        }
                        i -= 1;
                    }
                    _ => break,
                }
                if pos - i > 8 {
                    return None;
                }
            }
            let head = t.get(..i)?.trim_end_matches(['–', '—', ' ']);
            let end = head.len();
            let start = head
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphanumeric() || c == '_' || c == '\'' || c == '.')
                .last()
                .map_or(end, |(i, _)| i);
            (start != end).then_some((start, end))
        }
        let parts = [
            "ab", "É", "ł", "x.", "_", " ", ": ", "—", "\n", "9", "'", "€", "Ab",
        ];
        let mut seed = 3u64;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..(seed >> 60) + 2 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                t.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            for pos in (0..=t.len()).filter(|&p| t.is_char_boundary(p)) {
                assert_eq!(Names::prev_word(&t, pos), reference(&t, pos), "{t:?} {pos}");
            }
        }
    }

    /// `read_tok`'s ASCII path reads what the general one reads.
    #[test]
    fn read_tok_ascii_path_is_the_general_one() {
        let parts = [
            "Ab", "c", "'s", "'", "-", "Dr", ".", " ", "É", "x’s", "O'", "S", "9", "ST", "mc",
        ];
        let mut seed = 17u64;
        for _ in 0..4000 {
            let mut t = String::new();
            for _ in 0..(seed >> 61) + 1 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                t.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            for pos in 0..=t.len() + 1 {
                assert_eq!(read_tok(&t, pos), read_tok_general(&t, pos), "{t:?} {pos}");
            }
        }
    }

    /// `ascii_letters_end` against a byte loop at every start.
    #[test]
    fn ascii_letters_end_is_the_byte_loop() {
        let parts = [
            "abc", "XYZ", "@", "[", "`", "{", " ", "é", "Zz", "azAZ", "0", "\u{7f}",
        ];
        let mut seed = 23u64;
        for len in [0usize, 1, 7, 8, 9, 16, 17, 40, 100] {
            let mut t = String::new();
            while t.len() < len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                t.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let b = t.as_bytes();
            for pos in 0..=b.len() + 1 {
                let mut want = pos;
                while b.get(want).is_some_and(u8::is_ascii_alphabetic) {
                    want += 1;
                }
                assert_eq!(ascii_letters_end(b, pos), want, "{t:?} {pos}");
            }
        }
        let all: Vec<u8> = (0..=255u8).collect();
        for pos in 0..all.len() {
            let want = if all[pos].is_ascii_alphabetic() {
                (pos..all.len())
                    .find(|&j| !all[j].is_ascii_alphabetic())
                    .unwrap_or(all.len())
            } else {
                pos
            };
            assert_eq!(ascii_letters_end(&all, pos), want, "{pos}");
        }
    }

    #[test]
    fn table_columns() {
        let t = "id,name\n1,Ana Souza";
        let pos = t.find("Ana").unwrap_or(0);
        assert!(table_name_column(t, pos));
        let t = "id,city\n1,Ana Souza";
        assert!(!table_name_column(t, pos));
        assert!(!table_name_column("no table here Ana", 14));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let s = Scanner::new();
        for t in [
            "",
            "A",
            "A.",
            " Dr.",
            "Dr. ",
            "van",
            "Mr. van",
            "^",
            "|X^",
            "Smith, ",
            "Smith, J",
            "12 Oak St,",
            "12 Oak St, ",
            "Name:",
            "my name is",
            "my name is é",
            "İstanbul İ̇ ΣΑΣ ß ẞ ǅ",
            "Thanks,\n\n",
            "\u{2014} Élodie",
            "a,b\n,\n,Ana",
        ] {
            let _ = s.scan(t);
        }
        let long = "Ab ".repeat(5000);
        let _ = s.scan(&long);
        let line = "x,".repeat(3000) + "Ana Souza";
        let _ = s.scan(&line);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(t in "[A-Za-zÉéłŁ .,:'’^|\\-\n0-9]{0,80}") {
            static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
            let s = S.get_or_init(Scanner::new);
            for f in s.scan(&t) {
                let sp = f.span();
                prop_assert!(t.get(sp.start()..sp.end()).is_some());
            }
        }
    }
}
