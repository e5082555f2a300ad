//! Names written all in lower case or all in capitals, found from the slot
//! they fill: a record key or label for a person (`"payee": "rodolfo
//! sagnelli"`, `Customer: pietro baracca`, a `name` column), a title or
//! greeting (`Dr brittany andersen`, `Dear don reynolds,`), a sign-off
//! (`Thanks,\njack`) or a self-introduction (`my name is arthur da silva`,
//! `me llamo azad gole.`, `ik ben javier`).
//!
//! The capitalised-word search of `finish` never sees a lower-case name,
//! and its run rules read capitals in prose as shouting. Here an anchor
//! finds the slot's word first; the words after it are a name when the
//! slot and the name lists together say so. Capitalised names are left
//! to the run rules.

use super::{
    F_FIELD, F_I_PRONOUN, F_PERSON, Hit, Names, Out, PERSON_KEYS, PendingFinding, glued_right,
    in_list, is_particle, read_tok, record_kind, short_line, starts_cell, thing_record,
};
use crate::text;
use deepsentinel_core::EntityType;

/// What an anchor word says about the words after it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Slot {
    /// A record key or a label whose value may be a person's name
    /// (`name`, `surname`, `owner`, `from`), or a table column named so.
    Key,
    /// A key or label whose value is a person (`payee`, `patient`,
    /// `spouse`).
    Role,
    /// A title (`Dr`, `Mrs`, `Herr`).
    Title,
    /// A greeting before a name (`Dear`, `Hello`).
    Greeting,
    /// A role word in prose, without `:` (`customer john smith called`):
    /// never an anchor's own kind.
    Label,
    /// A key word in prose (`name rebecca davies`, `from maria garcia`):
    /// as [`Slot::Label`], but only a given name and a surname (`from
    /// claude` is a model). Never an anchor's own kind.
    KeyLabel,
    /// A sign-off: the name ends its line (`Thanks,\njack`).
    SignOff,
    /// A self-introduction whose next words are a name (`je m'appelle`;
    /// `name` followed by a copula is one too).
    Intro,
    /// "I am", "this is", "ik ben": a name or anything else.
    WeakIntro,
    /// `for`, `by` (not `to`: too frequent for what it finds): a listed
    /// given name and surname after it (`summary for john phạm`), nothing
    /// less.
    Preposition,
}

impl Slot {
    const ALL: [Slot; 8] = [
        Slot::Key,
        Slot::Role,
        Slot::Title,
        Slot::Greeting,
        Slot::SignOff,
        Slot::Intro,
        Slot::WeakIntro,
        Slot::Preposition,
    ];

    /// The anchor words of this kind of slot (matched ASCII
    /// case-insensitively, whole words).
    pub(super) fn words(self) -> &'static [&'static str] {
        match self {
            // With [`EXPLICIT_KEYS`] (see [`Slot::anchors`]).
            Slot::Key => &[
                "name",
                "client",
                "driver",
                "provider",
                "contact",
                "onboarding",
                "enrollment",
                "details",
                "user",
                "holder",
                "guest",
                "owner",
                "author",
                "recipient",
                "sender",
                "signed",
                "from",
                "attn",
                "assignee",
                "reporter",
                "requester",
                "consultant",
                "caller",
            ],
            Slot::Role => &[
                "patient",
                "pt",
                "customer",
                "payee",
                "beneficiary",
                "employee",
                "applicant",
                "member",
                "spouse",
                "contractor",
                "landlord",
                "tenant",
                "attending",
                "physician",
                "insured",
                "subscriber",
                "guarantor",
                "cardholder",
                "traveler",
                "traveller",
                "passenger",
                "witness",
                "wife",
                "husband",
                "son",
                "daughter",
                "mother",
                "father",
                "guardian",
                "colleague",
                "roommate",
                "neighbor",
                "neighbour",
                "student",
                "candidate",
                "borrower",
                "lender",
            ],
            Slot::Title => &[
                "dr", "mr", "mrs", "ms", "mx", "prof", "herr", "frau", "mme", "mlle", "sra",
                "srta", "dott", "señor", "señora", "signor", "signora", "monsieur", "madame",
            ],
            Slot::Greeting => &["dear", "hi", "hello", "hey", "welcome"],
            Slot::Label | Slot::KeyLabel => &[],
            Slot::Preposition => &["for", "by"],
            Slot::SignOff => &[
                "thanks",
                "thank you",
                "regards",
                "sincerely",
                "cheers",
                "best",
            ],
            Slot::Intro => &[
                "appelle",
                "llamo",
                "chiamo",
                "chamo",
                "heiße",
                "heisse",
                "heet",
                "heter",
                "hedder",
                "nazywam się",
                "nazywam sie",
                "numesc",
                "jmenuji se",
            ],
            Slot::WeakIntro => &[
                "i am",
                "call me",
                "i'm",
                "i\u{2019}m",
                "im",
                "this is",
                "it's",
                "it\u{2019}s",
                "its",
                "ben",
                "bin",
                "suis",
                "sono",
                "soy",
                "sou",
                "jestem",
            ],
        }
    }

    /// The kind of slot an anchor id stands for.
    pub(super) fn of(id: u32) -> Option<Slot> {
        Slot::ALL.get(usize::try_from(id).ok()?).copied()
    }

    /// Every anchor literal with its id (the index of its kind in
    /// [`Slot::ALL`]). A word of up to three letters is anchored with
    /// each byte that may end it ([`SHORT_ENDS`]): alone, `hi`, `dr` and
    /// `son` would match inside most lines of prose (`this`, `address`,
    /// `person`), each match a call for nothing.
    pub(super) fn anchors() -> impl Iterator<Item = (u32, String)> {
        (0u32..).zip(Slot::ALL).flat_map(|(id, s)| {
            let explicit: &[&str] = if s == Slot::Key { EXPLICIT_KEYS } else { &[] };
            s.words().iter().chain(explicit).flat_map(move |w| {
                let short = w.len() <= 3;
                let ends: &[u8] = if short { SHORT_ENDS } else { b"" };
                let whole = (!short).then(|| (id, (*w).to_owned()));
                whole.into_iter().chain(ends.iter().map(move |&e| {
                    let mut l = (*w).to_owned();
                    l.push(char::from(e));
                    (id, l)
                }))
            })
        })
    }
}

/// The bytes that may follow a short anchor word (see [`Slot::anchors`]).
const SHORT_ENDS: &[u8] = b" ,.:\"'=!\t";

/// Words for "name" that a copula after them makes an introduction
/// (`my name is`, `mein Name ist`, `mi nombre es`).
const NAME_WORDS: &[&str] = &["name", "naam", "nombre", "nome", "nom"];

/// Copulas after a word of [`NAME_WORDS`].
const COPULAS: &[&str] = &["is", "ist", "es", "est", "é", "è", "'s", "\u{2019}s"];

/// At most this many name words (particles and initials aside).
const MAX_WORDS: usize = 4;

/// The words read after a slot.
#[derive(Default)]
struct Run {
    start: usize,
    end: usize,
    /// Name words (not particles or initials).
    words: usize,
    /// Name words a name list holds (given name or surname).
    known: usize,
    /// Name words spelt beyond ASCII that no list holds (the census lists
    /// hold neither `börner` nor `phạm`).
    foreign: usize,
    /// The first name word is a listed given name.
    first_given: bool,
    /// The first name word is also a common word (`mark`, `will`).
    first_common: bool,
    /// The second name word is a listed surname or spelt beyond ASCII.
    second_surname: bool,
}

/// What decides whether a key's value is a person's name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    /// A name field (`full_name`, `surname`): any name-shaped value.
    Name,
    /// A bare `name` in a person's record or table: two or three words,
    /// or one a list holds or spelt beyond ASCII (`"name": "lookup"` is a
    /// tool's).
    Record,
    /// A person's role (`payee`).
    Role,
    /// `name`, `owner`, `from`…: services and products have these too,
    /// so a listed given name must come first.
    Any,
}

impl Names {
    /// An anchor of a [`Slot`] word at `hit`.
    pub(super) fn on_slot(&self, slot: Slot, hit: Hit, t: &str, out: &mut Out<'_>) {
        let b = t.as_bytes();
        // A short word's literal ends with the byte after it.
        let mut hit = hit;
        if hit.end > hit.start + 1 && b.get(hit.end - 1).is_some_and(|c| SHORT_ENDS.contains(c)) {
            hit.end -= 1;
        }
        if text::char_at(t, hit.end).is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return;
        }
        let keyed = matches!(slot, Slot::Key | Slot::Role);
        // Whole words only; a key may end a longer identifier
        // (`patient_name`, `customerName`), if that names a person's
        // field (not `hostname`).
        let mut key_from = hit.start;
        if let Some(&c) = hit.start.checked_sub(1).and_then(|i| b.get(i)) {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                let camel =
                    c.is_ascii_lowercase() && b.get(hit.start).is_some_and(u8::is_ascii_uppercase);
                if !keyed || !(c == b'_' || camel) {
                    return;
                }
                key_from = key_start(b, hit.start);
                if !in_list(F_FIELD | F_PERSON, t.get(key_from..hit.end).unwrap_or("")) {
                    return;
                }
            }
        }
        let w = hit.as_str(t);
        let shouted = !w.bytes().any(|c| c.is_ascii_lowercase());
        if keyed
            && key_from == hit.start
            && NAME_WORDS.iter().any(|x| w.eq_ignore_ascii_case(x))
            && let Some(v) = after_copula(t, hit.end)
        {
            // `my name is …` introduces; `the name is …` may not.
            let mine = Names::prev_word(t, hit.start).is_some_and(|(s, e)| {
                let p = t.get(s..e).unwrap_or("");
                POSSESSIVES.iter().any(|x| p.eq_ignore_ascii_case(x))
            });
            let intro = if mine { Slot::Intro } else { Slot::WeakIntro };
            return self.after_slot(intro, None, shouted, v, t, out);
        }
        let key = || {
            if explicit_key(t.get(key_from..hit.end).unwrap_or("")) {
                Key::Name
            } else if slot == Slot::Role {
                Key::Role
            } else {
                Key::Any
            }
        };
        if keyed && self.header_cell(t, key_from, hit.end, key, out) {
            return;
        }
        if slot == Slot::WeakIntro
            && NEEDS_PRONOUN.iter().any(|x| w.eq_ignore_ascii_case(x))
            && !Names::prev_word(t, hit.start)
                .is_some_and(|(s, e)| in_list(F_I_PRONOUN, t.get(s..e).unwrap_or("")))
        {
            return;
        }
        // `this is` / `it's` introduce only at the start of a clause or
        // after a greeting (`hey its ernesto`), not `keeping its meta`.
        if slot == Slot::WeakIntro
            && OPENS_CLAUSE.iter().any(|x| w.eq_ignore_ascii_case(x))
            && !clause_start(t, hit.start)
        {
            return;
        }
        // After a greeting (`Hi, this is …`, `hello, i'm …`) an
        // introduction is one.
        let slot = if slot == Slot::WeakIntro && after_greeting(t, hit.start) {
            Slot::Intro
        } else {
            slot
        };
        // A title after a number is a unit (`200 ms`), one after `/` or
        // `.` part of a path (`po/mr.po`); a greeting after anything but
        // the start of a clause or a quote is a word (`hello, len)`).
        let before = b
            .get(..hit.start)
            .map(|h| h.trim_ascii_end())
            .and_then(|h| h.last());
        match slot {
            // `MX query`, `DR site`: a title in capitals is an acronym (and
            // in shouted text nothing can be told).
            Slot::Title if shouted => return,
            Slot::Title
                if before.is_some_and(|c| c.is_ascii_digit() || matches!(c, b'/' | b'.')) =>
            {
                return;
            }
            Slot::Greeting
                if before.is_some_and(|c| {
                    !matches!(
                        c,
                        b'\n'
                            | b'.'
                            | b'!'
                            | b'?'
                            | b'"'
                            | b'\''
                            | b'('
                            | b'>'
                            | b':'
                            | b'*'
                            | b','
                    ) && !c.is_ascii_alphabetic()
                        && *c < 0x80
                }) =>
            {
                return;
            }
            _ => {}
        }
        // The gap to the value: spaces, quotes and one `:` / `=` / `>`
        // (a field), a title's dot, or for a sign-off a comma and one
        // line break.
        let mut v = hit.end;
        let mut field = false;
        let mut newline = false;
        let mut comma = false;
        let mut dot = false;
        while v - hit.end <= 8 {
            match b.get(v) {
                Some(b' ' | b'\t' | b'\r') => {}
                // Quotes around a key, or opening the value.
                Some(b'"' | b'\'') if keyed || !matches!(b.get(v + 1), Some(b' ' | b',')) => {}
                Some(b':' | b'=' | b'>') if !field && !newline && !comma => field = true,
                Some(b',')
                    if !comma && !newline && matches!(slot, Slot::SignOff | Slot::Greeting) =>
                {
                    comma = true;
                }
                Some(b'\n') if !newline => newline = true,
                // `Dr. ` (not `mr.po`).
                Some(b'.')
                    if slot == Slot::Title && v == hit.end && b.get(v + 1) == Some(&b' ') =>
                {
                    dot = true;
                }
                _ => break,
            }
            v += 1;
        }
        if field && !keyed {
            return; // `hi = len`: code
        }
        // In prose a name follows its slot word after one space; a wider
        // gap is layout or a hole where something was cut out (`Dr.  and`
        // once its name was redacted), and a lower-case word after it has
        // nothing left to vouch for it.
        if !field && !newline && v >= hit.end + 2 && b.get(v - 2..v) == Some(b"  ") {
            return;
        }
        // `name = val;`, `name = "kitty"`: an assignment in code names a
        // person only under a name field's key (`first_name = "ana"`).
        let assignment = b.get(hit.end..v).is_some_and(|g| g.starts_with(b" = "));
        let slot = match slot {
            Slot::Key if !field && (newline || comma) => return,
            Slot::Key if !field => Slot::KeyLabel,
            // A role that ends its line, or one followed by a comma in
            // prose, names nothing after it.
            Slot::Role if !field && (newline || comma) => return,
            Slot::Role if !field => Slot::Label,
            Slot::SignOff if !comma => return,
            Slot::Greeting
            | Slot::Title
            | Slot::Intro
            | Slot::WeakIntro
            | Slot::Label
            | Slot::KeyLabel
            | Slot::Preposition
                if newline =>
            {
                return;
            }
            // `Dr.`, `Mrs`: a title as such, not `ms`, `dr` or `MX` in
            // prose.
            Slot::Title if dot || title_case(w) => Slot::Intro,
            s => s,
        };
        // The value starts with a letter.
        if !b
            .get(v)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c >= 0x80)
        {
            return;
        }
        let key = field.then(key);
        if assignment && key != Some(Key::Name) {
            return;
        }
        // Most words after `for` or `by` in prose are these; they
        // are no names and need no look-up.
        if slot == Slot::Preposition && function_word(b, v) {
            return;
        }
        self.after_slot(slot, key, shouted, v, t, out);
    }

    /// Reads the words at `v` after a slot of kind `slot` and reports them
    /// as a person if the slot and the lists agree. `field`: the slot is a
    /// record key with `:`, `=` or `>` (its value ends the field), and
    /// what kind; `shouted` as in [`Names::accepts`].
    fn after_slot(
        &self,
        slot: Slot,
        field: Option<Key>,
        shouted: bool,
        v: usize,
        t: &str,
        out: &mut Out<'_>,
    ) {
        // In prose a third word is as often a verb (`customer john smith
        // called`) as a name.
        let max_words = if field.is_some() || slot == Slot::Intro {
            MAX_WORDS
        } else {
            2
        };
        // Every slot in prose wants a listed given name first.
        let need_given = field.is_none()
            && matches!(
                slot,
                Slot::Greeting | Slot::Label | Slot::KeyLabel | Slot::WeakIntro | Slot::Preposition
            );
        let Some(run) = self.read_run(t, v, max_words, need_given) else {
            return;
        };
        // A bare `name` in a person's record (`"customer": {"name": …`,
        // `phone=… name=…`) holds a name.
        // So is any key's value before an address (`From: renan pacheco
        // <renan@example.org>`).
        let key = field.map(|k| match k {
            Key::Any | Key::Role if before_address(t, run.end) => Key::Record,
            Key::Any if record_kind(t, v) == Some(true) => Key::Record,
            k => k,
        });
        // A quoted value ends with the name (`name = "mac colon, dash"` is
        // a list).
        let quote = v
            .checked_sub(1)
            .and_then(|i| t.as_bytes().get(i))
            .filter(|&&c| c == b'"' || c == b'\'')
            .copied();
        let closes = |end: usize| quote.is_none_or(|q| t.as_bytes().get(end) == Some(&q));
        // `sagnelli, rodolfo`: a given name after the comma, or anything
        // name-shaped in a field that holds a name or after `my name is`.
        let last_first = self
            .slot_last_first(t, &run, slot, field.is_some())
            .filter(|second| {
                let trusted =
                    matches!(key, Some(Key::Name | Key::Record | Key::Role)) || slot == Slot::Intro;
                (second.first_given || trusted)
                    && !second.first_common
                    && (key.is_some() || run.known > 0 || slot == Slot::Intro)
                    && closes(second.end)
            });
        let (start, end) = match last_first {
            Some(second) => (run.start, second.end),
            None => {
                if !closes(run.end) || !self.accepts(slot, key, shouted, &run, t, v) {
                    return;
                }
                (run.start, run.end)
            }
        };
        if glued_right(t, end) {
            return;
        }
        let caps = t
            .get(start..end)
            .is_some_and(|w| !w.chars().any(char::is_lowercase));
        let rule = if caps { "person-caps" } else { "person-lower" };
        out.push(
            t,
            PendingFinding::new(EntityType::Person, start, end, 0.7, rule),
        );
    }

    /// Whether `run`, read at `v` after a slot of kind `slot` (a field's
    /// value of kind `key`), is a name. `shouted`: the slot's word has no
    /// lower-case letter.
    fn accepts(
        &self,
        slot: Slot,
        key: Option<Key>,
        shouted: bool,
        run: &Run,
        t: &str,
        v: usize,
    ) -> bool {
        let delimited = value_ends(t, run.end) || query_value(t, v, run.end);
        // `mark`, `will`: a common word is a name only alone in a
        // greeting, sign-off or field, or before a listed surname.
        let ends_sentence = || {
            let b = t.as_bytes();
            let p = run.end
                + b.get(run.end..)
                    .map_or(0, |r| r.iter().take_while(|&&c| c == b' ').count());
            matches!(
                b.get(p),
                None | Some(b',' | b'.' | b'!' | b'?' | b'\n' | b'\r')
            )
        };
        if run.first_common
            && !(run.words == 1
                && ends_sentence()
                && matches!(slot, Slot::Greeting | Slot::SignOff)
                || run.words >= 2 && run.second_surname && key.is_some())
        {
            return false;
        }
        // Capitals outside a field: not in shouted text (`IF MY NAME IS
        // SAID`), and one word alone only after an introduction or a
        // greeting (`sono DANTE`; `from IBM` is an acronym).
        let caps = t
            .get(run.start..run.end)
            .is_some_and(|w| !w.chars().any(char::is_lowercase));
        if caps
            && key.is_none()
            && (shouted
                || run.words == 1
                    && !matches!(slot, Slot::Intro | Slot::WeakIntro | Slot::Greeting))
        {
            return false;
        }
        match (slot, key) {
            (_, Some(k)) => {
                delimited
                    && match k {
                        Key::Name => {
                            run.words <= 3
                                && !(run.words == 1
                                    && TYPE_WORDS.iter().any(|x| {
                                        t.get(run.start..run.end)
                                            .is_some_and(|w| w.eq_ignore_ascii_case(x))
                                    }))
                        }
                        Key::Record => {
                            run.words <= 3 && (run.words >= 2 || run.known + run.foreign > 0)
                        }
                        Key::Role => {
                            run.first_given || run.words >= 2 && run.known + run.foreign > 0
                        }
                        // Not words the lists merely all hold: the census
                        // surnames include `round` and `robin`.
                        Key::Any => run.first_given && !thing_record(t, v),
                    }
            }
            (Slot::Greeting | Slot::Label | Slot::WeakIntro, None) => {
                run.first_given && (delimited || run.second_surname)
            }
            (Slot::KeyLabel, None) => run.first_given && run.second_surname,
            // `to carry necessary information`: after a preposition the
            // name must end the clause or go on into another preposition
            // or a verb of speech (`for john phạm (MRN …)`, `deposit for
            // ana silva to account …`).
            (Slot::Preposition, None) => {
                run.first_given
                    && run.second_surname
                    && (delimited || followed_by(t, run.end, AFTER_NAME))
            }
            (Slot::Title, None) => run.known > 0,
            (Slot::SignOff, None) => delimited && run.known > 0 && run.words <= 3,
            // One word no list holds ends `my name is`: `my name is
            // azad.` is a name, `my name is required.` is not, and only
            // a second word tells them apart.
            (Slot::Intro, None) => run.known + run.foreign > 0 || delimited && run.words >= 2,
            (Slot::Key | Slot::Role, None) => false,
        }
    }

    /// The facts of `w`, and of `w` without its accents when the lists
    /// know nothing of it as spelt (`théodore`).
    fn slot_facts(&self, w: &str) -> super::gazetteer::WordFacts {
        let f = self.g.facts(w);
        if w.is_ascii() || f.given || f.surname || f.common {
            return f;
        }
        let mut buf = [0u8; 32];
        match strip_accents(w, &mut buf) {
            Some(plain) => self.g.facts(plain),
            None => f,
        }
    }

    /// The name words at `pos`, all lower-case or all capitals (a
    /// capitalised word is the run rules' to judge), with particles
    /// (`da`, `van den`) and initials (`j.`) between them; `None` if there
    /// are none, and at most `max_words` name words; `None` at once if
    /// `need_given` and the first name word is no listed given name. The run stops before
    /// a common word, except as its first word if that is a given name
    /// (`mark`) and a listed surname that ends the value (`sarah green`).
    fn read_run(&self, t: &str, pos: usize, max_words: usize, need_given: bool) -> Option<Run> {
        let b = t.as_bytes();
        let mut run = Run {
            start: pos,
            end: pos,
            ..Run::default()
        };
        let mut caps: Option<bool> = None;
        let mut p = pos;
        for _ in 0..MAX_WORDS + 3 {
            let Some(tok) = read_tok(t, p) else { break };
            if tok.end <= tok.start {
                break;
            }
            let w = t.get(tok.start..tok.end).unwrap_or("");
            let one_letter = w.chars().nth(1).is_none();
            let is_caps = tok.upper || (tok.cap && one_letter);
            if tok.cap && !is_caps {
                break; // capitalised: the run rules judge it
            }
            match caps {
                None => caps = Some(is_caps),
                Some(c) if c != is_caps && !one_letter => break,
                _ => {}
            }
            if one_letter {
                // An initial between name words (`charles n. guillet`).
                if run.words == 0 || b.get(tok.end) != Some(&b'.') {
                    break;
                }
                p = tok.end + 1;
            } else if is_particle(w) {
                p = tok.end;
            } else {
                let mut f = self.slot_facts(w);
                if run.words == 0 && need_given && !f.given {
                    return None;
                }
                // Given names that in lower case are mostly words.
                if f.given
                    && !f.common
                    && !is_caps
                    && LOWER_WORDS.iter().any(|x| w.eq_ignore_ascii_case(x))
                {
                    f.common = true;
                }
                if f.common {
                    let ok = if run.words == 0 {
                        f.given
                    } else {
                        f.surname && value_ends(t, tok.end)
                    };
                    if !ok {
                        break;
                    }
                }
                if run.words == 0 {
                    run.first_given = f.given;
                    run.first_common = f.common;
                } else if run.words == 1 {
                    run.second_surname = f.surname || !w.is_ascii();
                }
                run.words += 1;
                run.known += usize::from(f.given || f.surname);
                run.foreign += usize::from(!(f.given || f.surname || w.is_ascii()));
                run.end = tok.end;
                p = tok.end;
                if run.words == max_words {
                    break;
                }
            }
            if b.get(p) != Some(&b' ') {
                break;
            }
            p += 1;
        }
        (run.words > 0).then_some(run)
    }

    /// `Last, First` after a key or an introduction (`"payee":
    /// "sagnelli, rodolfo"`): the run after the comma, when a comma and a
    /// space follow `run` and that second run ends the value.
    fn slot_last_first(&self, t: &str, run: &Run, slot: Slot, field: bool) -> Option<Run> {
        if !(field || slot == Slot::Intro || slot == Slot::WeakIntro) || run.words > 2 {
            return None;
        }
        let b = t.as_bytes();
        if b.get(run.end) != Some(&b',') || b.get(run.end + 1) != Some(&b' ') {
            return None;
        }
        let second = self.read_run(t, run.end + 2, 2, false)?;
        let lower = |s: usize, e: usize| {
            t.get(s..e)
                .is_some_and(|w| w.chars().any(char::is_lowercase))
        };
        (second.words <= 2
            && lower(run.start, run.end) == lower(second.start, second.end)
            && value_ends(t, second.end)
            && b.get(second.end) != Some(&b','))
        .then_some(second)
    }

    /// A key word at `start..end` that is a header cell of a delimited
    /// table (CSV, TSV, Markdown): reads that column's cells in the rows
    /// below as the key's values. Returns whether it was one.
    fn header_cell(
        &self,
        t: &str,
        start: usize,
        end: usize,
        key: impl Fn() -> Key,
        out: &mut Out<'_>,
    ) -> bool {
        let b = t.as_bytes();
        if !starts_cell(t, start) {
            return false;
        }
        let Some((ls, le)) = short_line(t, start) else {
            return false;
        };
        let Some(line) = b.get(ls..le) else {
            return false;
        };
        let Some(d) = text::row_delimiter(line) else {
            return false;
        };
        // The cell holds the key alone.
        let mut e = end;
        while matches!(b.get(e), Some(b' ' | b'"' | b'*' | b'`' | b'\r')) {
            e += 1;
        }
        if !(e == le || b.get(e) == Some(&d)) {
            return false;
        }
        let col = text::field_index(line, start - ls, d);
        let ncells = text::field_separators(line, d);
        let mut filled = 0;
        text::for_each_field(line, d, |a, z| {
            filled += usize::from(
                line.get(a..z)
                    .is_some_and(|c| c.iter().any(u8::is_ascii_alphanumeric)),
            );
            filled < 2
        });
        if filled < 2 {
            return false;
        }
        // A `name` column beside a person's columns (`name,phone,email`).
        let mut key = key();
        if key == Key::Any {
            text::for_each_field(line, d, |a, z| {
                let cell = line
                    .get(a..z)
                    .and_then(|c| std::str::from_utf8(c).ok())
                    .unwrap_or("")
                    .trim_matches([' ', '"', '*', '`', '|', '\r']);
                if PERSON_KEYS.iter().any(|k| cell.eq_ignore_ascii_case(k)) {
                    key = Key::Record;
                }
                key == Key::Any
            });
        }
        let mut pos = le + 1;
        for _ in 0..MAX_ROWS {
            let Some((rs, re)) = short_line(t, pos) else {
                break;
            };
            let Some(row) = b.get(rs..re) else { break };
            if row.is_empty() || text::field_separators(row, d).abs_diff(ncells) > 1 {
                break;
            }
            pos = re + 1;
            let Some((cs, ce)) = text::field_range(row, col, d) else {
                continue;
            };
            let (mut cs, mut ce) = (rs + cs, rs + ce);
            while cs < ce && matches!(b.get(cs), Some(b' ' | b'"')) {
                cs += 1;
            }
            while ce > cs && matches!(b.get(ce - 1), Some(b' ' | b'"' | b'\r')) {
                ce -= 1;
            }
            let Some(run) = self.read_run(t, cs, MAX_WORDS, false) else {
                continue;
            };
            let last_first = self
                .slot_last_first(t, &run, Slot::Key, true)
                .filter(|second| {
                    (second.first_given || key != Key::Any)
                        && !second.first_common
                        && second.end == ce
                });
            let ok = match last_first {
                Some(_) => true,
                None => run.end == ce && self.accepts(Slot::Key, Some(key), false, &run, t, cs),
            };
            let found = last_first.map_or(run.end, |second| second.end);
            if ok {
                out.push(
                    t,
                    PendingFinding::new(EntityType::Person, run.start, found, 0.7, "person-lower"),
                );
            }
            if pos >= b.len() {
                break;
            }
        }
        true
    }
}

/// Values of a name field in a schema or code, not a name (`surname:
/// string`).
const TYPE_WORDS: &[&str] = &[
    "bool",
    "boolean",
    "str",
    "string",
    "int",
    "integer",
    "float",
    "double",
    "number",
    "text",
    "varchar",
    "char",
    "null",
    "none",
    "nil",
    "true",
    "false",
    "undefined",
    "object",
    "any",
    "unknown",
    "optional",
    "required",
    "date",
    "datetime",
    "uuid",
    "redacted",
    "anonymous",
];

/// Words of [`Slot::WeakIntro`] that introduce only at the start of a
/// clause.
const OPENS_CLAUSE: &[&str] = &["this is", "it's", "it\u{2019}s", "its"];

/// Whether `pos` starts a clause: the text, a line or a sentence starts
/// there, a comma or colon is before it, or a greeting (`hey its …`).
fn clause_start(t: &str, pos: usize) -> bool {
    let head = t.get(..pos).unwrap_or("").trim_end_matches([' ', '\t']);
    match head.as_bytes().last() {
        None | Some(b'\n' | b'\r' | b'.' | b'!' | b'?' | b',' | b':' | b'"' | b'(') => true,
        _ => after_greeting(t, pos),
    }
}

/// Whether the word before `pos` (a comma between them allowed) is a
/// greeting (`Hi, this is`, `hey its`).
fn after_greeting(t: &str, pos: usize) -> bool {
    Names::prev_word(t, pos).is_some_and(|(s, e)| {
        let g = t.get(s..e).unwrap_or("");
        super::GREETINGS.iter().any(|x| g.eq_ignore_ascii_case(x))
    })
}

/// Words before `name is` that make it an introduction.
const POSSESSIVES: &[&str] = &[
    "my", "mein", "meine", "mi", "mon", "meu", "mio", "mijn", "min", "mitt", "mój",
];

/// Words of [`Slot::WeakIntro`] that need a pronoun before them (`ik
/// ben`, `ich bin`, `je suis`): alone they are names or other words.
const NEEDS_PRONOUN: &[&str] = &["ben", "bin", "suis"];

/// Whether a key names a name field, not a role or a bare `name`.
fn explicit_key(key: &str) -> bool {
    let k = key.as_bytes();
    if key.eq_ignore_ascii_case("name") || key.len() > 32 {
        return false;
    }
    // `full_name`, `patientName`, `last-name`: a longer key ending in name.
    let ends_in_name = k.len() > 4
        && k.get(k.len() - 4..)
            .is_some_and(|e| e.eq_ignore_ascii_case(b"name"));
    ends_in_name || EXPLICIT_KEYS.iter().any(|x| key.eq_ignore_ascii_case(x))
}

/// Keys that hold a name and nothing else.
const EXPLICIT_KEYS: &[&str] = &[
    "naam",
    "nombre",
    "nome",
    "nom",
    "surname",
    "forename",
    "prenom",
    "prénom",
    "vorname",
    "nachname",
    "cognome",
    "apellido",
    "apellidos",
    "nazwisko",
    "sobrenome",
    "voornaam",
    "achternaam",
];

/// `w` with the accents of Latin letters taken off (`théodore` →
/// `theodore`) into `buf`; `None` if it holds a letter this does not know
/// or does not fit.
fn strip_accents<'b>(w: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let mut n = 0;
    for c in w.chars().flat_map(char::to_lowercase) {
        let plain = if c.is_ascii() {
            c
        } else {
            match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'ď' | 'đ' => 'd',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
                'ğ' => 'g',
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
                'ł' => 'l',
                'ñ' | 'ń' | 'ň' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
                'ř' => 'r',
                'ś' | 'š' | 'ş' | 'ș' => 's',
                'ť' | 'ț' => 't',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
                'ý' | 'ÿ' => 'y',
                'ź' | 'ż' | 'ž' => 'z',
                _ => return None,
            }
        };
        *buf.get_mut(n)? = u8::try_from(plain).ok()?;
        n += 1;
    }
    std::str::from_utf8(buf.get(..n)?).ok()
}

/// The most rows below one header that a table's column is read for.
const MAX_ROWS: usize = 4096;

/// The start of the identifier that ends at `end` (letters, digits, `_`,
/// `-`), at most 32 bytes back.
fn key_start(b: &[u8], end: usize) -> usize {
    let mut i = end;
    while i > 0
        && end - i < 32
        && b.get(i - 1)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
    {
        i -= 1;
    }
    i
}

/// After a word for "name" ending at `pos`: the start of the value if a
/// copula follows (`name is `, `name's `, `nombre es `).
fn after_copula(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut p = pos;
    if b.get(p) == Some(&b' ') {
        p += 1;
    }
    let rest = t.get(p..)?;
    for c in COPULAS {
        let n = c.len();
        if rest.get(..n).is_some_and(|w| w.eq_ignore_ascii_case(c))
            && rest.as_bytes().get(n) == Some(&b' ')
            && (p > pos || c.starts_with(['\'', '\u{2019}']))
        {
            return Some(p + n + 1);
        }
    }
    None
}

/// Listed given names that, written in lower case, are more often words
/// of English or of code than names (`to else clause`, `name = val`).
const LOWER_WORDS: &[&str] = &[
    "else", "carry", "val", "len", "ed", "max", "min", "kitty", "sunny", "dusty", "rusty", "chip",
    "buck", "wade", "major", "lane", "dale", "king", "page", "sky", "chance", "precious",
    "princess", "royal", "queen", "baby", "honey", "lady", "lucky", "star", "young", "art", "guy",
    "ray", "case", "sonny", "drew", "ruby", "jade", "crystal", "pearl", "dawn", "eve", "summer",
    "autumn", "rain", "river", "storm", "misty", "golden", "dean", "bishop", "judge", "joy",
    "faith", "grace", "hope", "rose", "iris", "holly", "daisy", "lily", "violet",
];

/// Whether the word at `v` is one of the commonest lower-case words that
/// follow a preposition (`to the`, `for a`, `by your`).
fn function_word(b: &[u8], v: usize) -> bool {
    let rest = b.get(v..).unwrap_or_default();
    let n = rest
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    if rest.get(n).is_some_and(u8::is_ascii_alphanumeric) {
        return false;
    }
    matches!(
        rest.get(..n).unwrap_or_default(),
        b"the"
            | b"a"
            | b"an"
            | b"be"
            | b"my"
            | b"your"
            | b"our"
            | b"their"
            | b"his"
            | b"her"
            | b"its"
            | b"this"
            | b"that"
            | b"these"
            | b"those"
            | b"all"
            | b"any"
            | b"each"
            | b"every"
            | b"more"
            | b"get"
            | b"make"
            | b"use"
            | b"do"
            | b"see"
            | b"help"
            | b"us"
            | b"me"
            | b"you"
            | b"them"
            | b"it"
            | b"one"
            | b"two"
            | b"some"
            | b"which"
            | b"what"
            | b"how"
            | b"whom"
    )
}

/// Whether `w` is written as a title is (`Dr`, `Mrs`): a capital, then
/// lower-case letters only (`MX` and `DR` are acronyms).
fn title_case(w: &str) -> bool {
    let b = w.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.get(1..)
            .is_some_and(|r| r.iter().all(|c| !c.is_ascii_uppercase()))
}

/// Words that may follow a name in prose (`for ana silva to`, `by ana
/// silva and`, `ana silva called`).
const AFTER_NAME: &[&str] = &[
    "to", "and", "on", "in", "at", "from", "with", "about", "who", "was", "is", "has", "had",
    "called", "wants", "said", "asked", "reports", "says", "will",
];

/// Whether one of `words` follows `pos` after one space.
fn followed_by(t: &str, pos: usize, words: &[&str]) -> bool {
    let Some(rest) = t.get(pos..).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let end = rest
        .bytes()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let w = rest.get(..end).unwrap_or("");
    words.iter().any(|x| w.eq_ignore_ascii_case(x))
}

/// Whether `v..end` is the whole value of a URL query parameter
/// (`?name=ryan HTTP/1.1`, `&name=ryan&`).
fn query_value(t: &str, v: usize, end: usize) -> bool {
    let b = t.as_bytes();
    if v == 0 || b.get(v - 1) != Some(&b'=') || !matches!(b.get(end), Some(b' ' | b'&' | b'#')) {
        return false;
    }
    let k = key_start(b, v - 1);
    k > 0 && matches!(b.get(k - 1), Some(b'?' | b'&'))
}

/// Whether an e-mail address in angle brackets follows `pos` (` <a@b.c>`,
/// the display-name form of a mailbox).
fn before_address(t: &str, pos: usize) -> bool {
    let b = t.as_bytes();
    let Some(rest) = b.get(pos..) else {
        return false;
    };
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(b"<") else {
        return false;
    };
    let inner = rest.get(..rest.len().min(128)).unwrap_or(rest);
    memchr::memchr(b'>', inner)
        .and_then(|close| inner.get(..close))
        .is_some_and(|addr| addr.contains(&b'@') && !addr.contains(&b' '))
}

/// Whether a value ends at `pos`: the text or line ends, a quote, tag,
/// cell or clause ends it, or a wide gap (aligned columns) follows.
fn value_ends(t: &str, pos: usize) -> bool {
    let b = t.as_bytes();
    let mut p = pos;
    let mut spaces = 0;
    while matches!(b.get(p), Some(b' ' | b'\t')) {
        p += 1;
        spaces += 1;
    }
    if spaces >= 2 && p > pos {
        return true;
    }
    match b.get(p) {
        None | Some(b'\n' | b'\r' | b'"' | b'<' | b'|' | b';' | b')' | b'(' | b',' | b'&') => true,
        Some(b'\'') => !b.get(p + 1).is_some_and(u8::is_ascii_alphabetic),
        Some(b'.' | b'!' | b'?') => b
            .get(p + 1)
            .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'')),
        Some(b'-') => spaces > 0 && b.get(p + 1) == Some(&b' '),
        Some(_) => t.get(p..).is_some_and(|r| r.starts_with(['–', '—'])) && spaces > 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copulas() {
        let t = "my name is ana";
        assert_eq!(after_copula(t, 7), Some(11));
        assert_eq!(after_copula("name's ana", 4), Some(7));
        assert_eq!(after_copula("name: ana", 4), None);
        assert_eq!(after_copula("names", 4), None);
        assert_eq!(after_copula("name isla", 4), None);
    }

    #[test]
    fn value_ends_at() {
        // The value is `ana lópez` (or `ana`); what follows decides.
        for (t, want) in [
            ("ana lópez", true),
            ("ana lópez\nx", true),
            ("ana lópez\", ", true),
            ("ana lópez called", false),
            ("ana lópez. Then", true),
            ("ana lópez.com", false),
            ("ana lópez   MRN", true),
            ("ana lópez - +44", true),
            ("ana lópez – seen", true),
            ("ana lópez (MRN 1)", true),
        ] {
            assert_eq!(value_ends(t, "ana lópez".len()), want, "{t:?}");
        }
        assert!(!value_ends("ana-maria", 3));
        assert!(!value_ends("ana's", 3));
    }

    #[test]
    fn function_words() {
        assert!(function_word(b"to the bank", 3));
        assert!(function_word(b"for a", 4));
        assert!(!function_word(b"for ana silva", 4));
        assert!(!function_word(b"to theo", 3));
        assert!(!function_word(b"to The", 3));
    }

    #[test]
    fn query_values() {
        let t = "GET /s?name=ryan HTTP/1.1";
        let v = t.find("ryan").unwrap_or(0);
        assert!(query_value(t, v, v + 4));
        let t = "x name=ryan here";
        let v = t.find("ryan").unwrap_or(0);
        assert!(!query_value(t, v, v + 4));
    }

    #[test]
    fn words_after_a_name() {
        assert!(followed_by("ana silva to account", 9, AFTER_NAME));
        assert!(followed_by("ana silva Called", 9, AFTER_NAME));
        assert!(!followed_by("ana silva towards", 9, AFTER_NAME));
        assert!(!followed_by("ana silva  to", 9, AFTER_NAME));
        assert!(!followed_by("ana silva", 9, AFTER_NAME));
    }

    #[test]
    fn addresses_after_a_name() {
        assert!(before_address("x <x@example.org>", 1));
        assert!(before_address("x<x@example.org>", 1));
        assert!(!before_address("x <tag>", 1));
        assert!(!before_address("x <a b@c>", 1));
        assert!(!before_address("x <x@example.org", 1));
    }

    #[test]
    fn accents_come_off_latin_letters() {
        let mut buf = [0u8; 32];
        assert_eq!(strip_accents("Théodore", &mut buf), Some("theodore"));
        assert_eq!(strip_accents("łukasz", &mut buf), Some("lukasz"));
        assert_eq!(strip_accents("nguyễn", &mut buf), None);
        assert_eq!(strip_accents(&"é".repeat(40), &mut buf), None);
    }

    #[test]
    fn explicit_keys() {
        for k in [
            "full_name",
            "patientName",
            "last-name",
            "surname",
            "Vorname",
        ] {
            assert!(explicit_key(k), "{k}");
        }
        for k in ["name", "Name", "owner", "hostname_x", "payee"] {
            assert!(!explicit_key(k), "{k}");
        }
    }

    #[test]
    fn every_word_is_lower_case() {
        for (_, w) in Slot::anchors() {
            assert_eq!(w, w.to_lowercase(), "{w}");
        }
        // Long words are anchored as they are, short ones with each end.
        let all: Vec<String> = Slot::anchors().map(|(_, w)| w).collect();
        assert!(all.iter().any(|w| w == "name"));
        assert!(!all.iter().any(|w| w == "hi"));
        assert!(all.iter().any(|w| w == "hi,"));
    }

    /// Random texts built from slot words, names, particles, separators
    /// and multi-byte letters: nothing panics, and every finding lies on
    /// char boundaries inside the text.
    #[test]
    fn random_slots_do_not_panic() {
        let scanner = crate::Scanner::new();
        let parts: Vec<String> = Slot::anchors()
            .map(|(_, w)| w)
            .chain(
                [
                    "john",
                    "smith",
                    "JOHN",
                    "da",
                    "van",
                    "j.",
                    "théodore",
                    "phạm",
                    "ł",
                    ", ",
                    ",",
                    ": ",
                    "=",
                    "\"",
                    "'",
                    "\n",
                    "  ",
                    " - ",
                    "|",
                    "<",
                    ">",
                    ".",
                    "é",
                    "\u{2019}",
                    "mark",
                    "green",
                    "\r\n",
                    "\t",
                ]
                .iter()
                .map(|s| (*s).to_owned()),
            )
            .collect();
        let mut rng = crate::testrand::Rng::new(0x5107);
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..rng.below(24) {
                if let Some(p) = parts.get(rng.below(parts.len())) {
                    t.push_str(p);
                }
                if rng.below(3) == 0 {
                    t.push(' ');
                }
            }
            for f in scanner.scan(&t) {
                let sp = f.span();
                assert!(t.get(sp.start()..sp.end()).is_some(), "{t:?}: {sp:?}");
            }
        }
    }
}
