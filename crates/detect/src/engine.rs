//! The seam between the scanner and the recognizers.
//!
//! A recognizer family is a [`Module`]. At build time the scanner asks every
//! enabled module for its regex *shapes* and its literal *anchors*, and
//! compiles all shapes of all modules into **one** multi-pattern meta regex
//! and all anchors (plus the context keywords) into **one** Aho-Corasick
//! automaton. A scan is then one pass of each over the text; every match is
//! dispatched to the module that asked for it, which validates the
//! candidate, scores it with context and pushes findings into [`Out`].
//!
//! Shapes from all modules share one leftmost-first regex, so at any
//! position the shape with the lowest [`Shape::priority`] wins, and a match
//! hides overlapping matches that start later. Shapes should therefore
//! describe *token shapes* (a run of digit groups, an e-mail, a URL) rather
//! than types; a module that needs to look inside a broader token does so
//! in its handler. The priorities in [`prio`] keep the global order in one
//! place.

use deepsentinel_core::{Category, EntityType, Finding, Span};

use crate::context::{Keywords, KwSet};

/// Priorities of shapes in the global regex: lower wins at the same start.
pub(crate) mod prio {
    /// Whole URLs (before e-mails, so `user:pass@host` stays a URL).
    pub(crate) const URL: i32 = 10;
    /// E-mail addresses, plain and obfuscated.
    pub(crate) const EMAIL: i32 = 20;
    /// Dates and date-times (before numbers).
    pub(crate) const DATE: i32 = 30;
    /// Street addresses (before numbers: they start with a house number).
    pub(crate) const ADDRESS: i32 = 40;
    /// IPv6 and MAC addresses (hex groups with colons).
    pub(crate) const HEX_GROUPS: i32 = 50;
    /// IPv4 addresses.
    pub(crate) const IPV4: i32 = 55;
    /// IBANs in groups of four.
    pub(crate) const IBAN: i32 = 60;
    /// Digit sequences with separators (cards, SSNs, phones, …).
    pub(crate) const NUMBER: i32 = 70;
    /// Mixed alphanumeric tokens (compact IBANs, wallets, IDs).
    pub(crate) const TOKEN: i32 = 80;
}

/// A regex a module wants matched, and the id it will be handed back.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    /// Module-local id passed back to [`Module::on_shape`].
    pub(crate) id: u32,
    /// Rust regex syntax. Use `(?i)` inline for case-insensitivity. Do not
    /// use Unicode `\b` (it makes the lazy DFA give up on non-ASCII text);
    /// check boundaries in the handler with the helpers in [`crate::text`].
    pub(crate) pattern: String,
    /// See [`prio`].
    pub(crate) priority: i32,
}

impl Shape {
    pub(crate) fn new(id: u32, priority: i32, pattern: impl Into<String>) -> Shape {
        Shape {
            id,
            pattern: pattern.into(),
            priority,
        }
    }
}

/// A literal a module wants found (ASCII case-insensitively; check case in
/// the handler where it matters), and the id it will be handed back.
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    /// Module-local id passed back to [`Module::on_anchor`].
    pub(crate) id: u32,
    /// The literal.
    pub(crate) literal: String,
}

impl Anchor {
    pub(crate) fn new(id: u32, literal: impl Into<String>) -> Anchor {
        Anchor {
            id,
            literal: literal.into(),
        }
    }
}

/// A match handed to a module: its byte range in [`Ctx::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Hit {
    pub(crate) fn as_str<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// What a module sees while handling a match.
pub(crate) struct Ctx<'a> {
    /// The text being scanned (the original, or a decoded view of it).
    pub(crate) text: &'a str,
    /// Context keywords found in `text`.
    pub(crate) keywords: Keywords<'a>,
    /// 0 for the original text, 1+ inside decoded views.
    pub(crate) depth: u8,
    /// Every anchor occurrence of this text: (module index, anchor id, hit),
    /// sorted by position.
    pub(crate) anchors: &'a [(usize, u32, Hit)],
    /// The index of the module whose `finish` is running.
    pub(crate) module: std::cell::Cell<usize>,
    /// In [`Module::finish`]: the spans of every shape match of this text
    /// (sorted, non-overlapping). A module that finds its own candidates
    /// in `finish` uses them to leave alone text another shape claimed,
    /// exactly as a shape of its own would have been hidden.
    pub(crate) shape_spans: &'a [(usize, usize)],
}

impl<'a> Ctx<'a> {
    /// In [`Module::finish`]: the occurrences of this module's own anchors,
    /// in text order, as `(anchor id, hit)`. Lets a whole-text analysis
    /// start from cheap literal triggers instead of rescanning the text.
    pub(crate) fn my_anchors(&self) -> impl Iterator<Item = (u32, Hit)> + '_ {
        let me = self.module.get();
        self.anchors
            .iter()
            .filter(move |(mi, _, _)| *mi == me)
            .map(|&(_, id, hit)| (id, hit))
    }

    /// Shorthand for [`Keywords::before`] returning only whether one exists.
    pub(crate) fn kw_before(&self, pos: usize, window: usize, set: KwSet) -> bool {
        self.keywords.before(pos, window, set).is_some()
    }
}

/// Where a module pushes findings.
pub(crate) struct Out<'a> {
    pub(crate) findings: &'a mut Vec<Finding>,
    pub(crate) enabled: &'a TypeSet,
    /// Set by [`Out::resume_at`] during [`Module::on_shape`].
    pub(crate) resume: Option<usize>,
}

impl Out<'_> {
    /// From [`Module::on_shape`]: the value ends at `pos`, inside the
    /// match, and what follows is not part of it (a URL's shape ran on
    /// into the next CSV field). The shape search goes on at `pos`, so the
    /// values after it are found; otherwise the match hides them. Ignored
    /// outside the match or off a character boundary.
    pub(crate) fn resume_at(&mut self, pos: usize) {
        self.resume = Some(pos);
    }

    /// Whether findings of `t` would be kept (skip expensive work if not).
    pub(crate) fn wants(&self, t: &EntityType) -> bool {
        self.enabled.contains(t)
    }

    /// Pushes a finding of a built-in type over `start..end`. Ignored when
    /// the type is disabled or the range is not a valid span of `text`.
    pub(crate) fn push(&mut self, text: &str, finding: PendingFinding) {
        if !self.enabled.contains(&finding.entity) {
            return;
        }
        let Ok(span) = Span::in_text(text, finding.start, finding.end) else {
            return;
        };
        if span.is_empty() {
            return;
        }
        let mut f = Finding::new(finding.entity, span, finding.score, finding.rule);
        if let Some(s) = finding.subtype {
            f = f.with_subtype(s);
        }
        self.findings.push(f.with_flags(finding.flags));
    }

    /// Pushes an already-built finding (custom rules).
    pub(crate) fn push_finding(&mut self, f: Finding) {
        if self.enabled.contains(f.entity_type()) {
            self.findings.push(f);
        }
    }
}

/// A finding as a module describes it, before it becomes a [`Finding`].
#[derive(Debug, Clone)]
pub(crate) struct PendingFinding {
    pub(crate) entity: EntityType,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) score: f32,
    pub(crate) rule: &'static str,
    pub(crate) subtype: Option<&'static str>,
    pub(crate) flags: deepsentinel_core::FindingFlags,
}

impl PendingFinding {
    pub(crate) fn new(
        entity: EntityType,
        start: usize,
        end: usize,
        score: f32,
        rule: &'static str,
    ) -> PendingFinding {
        PendingFinding {
            entity,
            start,
            end,
            score,
            rule,
            subtype: None,
            flags: deepsentinel_core::FindingFlags::NONE,
        }
    }

    pub(crate) fn subtype(mut self, s: &'static str) -> PendingFinding {
        self.subtype = Some(s);
        self
    }

    pub(crate) fn flags(mut self, f: deepsentinel_core::FindingFlags) -> PendingFinding {
        self.flags |= f;
        self
    }
}

/// A recognizer family.
///
/// Implementations are built once (gazetteers loaded, automata compiled)
/// and shared by every scan; handlers must not allocate on the common path
/// and must never panic on any input.
pub(crate) trait Module: Send + Sync {
    /// A short name for diagnostics and [`crate::Scanner::engine_info`].
    fn name(&self) -> &'static str;

    /// The types this module can report. The scanner leaves out modules
    /// none of whose types are enabled.
    fn types(&self) -> &'static [EntityType];

    /// Regexes for the global multi-pattern regex.
    fn shapes(&self) -> Vec<Shape> {
        Vec::new()
    }

    /// Literals for the global Aho-Corasick automaton.
    fn anchors(&self) -> Vec<Anchor> {
        Vec::new()
    }

    /// Called for each match of one of this module's shapes, in text order.
    fn on_shape(&self, _shape: u32, _hit: Hit, _ctx: &Ctx<'_>, _out: &mut Out<'_>) {}

    /// Called for each occurrence of one of this module's anchors, in text
    /// order, after all context keywords of the text are known.
    fn on_anchor(&self, _anchor: u32, _hit: Hit, _ctx: &Ctx<'_>, _out: &mut Out<'_>) {}

    /// Called once per text after both passes, for whole-text analyses.
    fn finish(&self, _ctx: &Ctx<'_>, _out: &mut Out<'_>) {}
}

/// A set of entity types: a bit per built-in type plus "custom types".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TypeSet {
    builtin: u32,
    custom: bool,
}

impl TypeSet {
    pub(crate) fn insert(&mut self, t: &EntityType) {
        match t.builtin_index() {
            Some(i) => self.builtin |= 1 << i,
            None => self.custom = true,
        }
    }

    pub(crate) fn remove(&mut self, t: &EntityType) {
        if let Some(i) = t.builtin_index() {
            self.builtin &= !(1 << i);
        }
    }

    pub(crate) fn contains(&self, t: &EntityType) -> bool {
        match t.builtin_index() {
            Some(i) => self.builtin & (1 << i) != 0,
            None => self.custom,
        }
    }

    pub(crate) fn any_of(&self, types: &[EntityType]) -> bool {
        types.iter().any(|t| self.contains(t))
    }

    /// The set of built-in types in `categories`, plus custom types when
    /// `Custom` is among them.
    pub(crate) fn of_categories(categories: &[Category]) -> TypeSet {
        let mut s = TypeSet::default();
        for t in EntityType::BUILTIN {
            if categories.contains(&t.category()) {
                s.insert(t);
            }
        }
        s.custom = categories.contains(&Category::Custom);
        s
    }

    pub(crate) fn intersect(&self, other: &TypeSet) -> TypeSet {
        TypeSet {
            builtin: self.builtin & other.builtin,
            custom: self.custom && other.custom,
        }
    }

    pub(crate) fn set_custom(&mut self, on: bool) {
        self.custom = on;
    }
}
