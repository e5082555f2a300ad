use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use deepsentinel_core::{Detector, EntityType, Finding, FindingFlags, Flow, Span};
use regex_automata::meta;
use regex_automata::util::pool::Pool;

use crate::anchors::{AnchorAutomaton, AnchorHit, LANES};
use crate::config::Config;
use crate::context::{KeywordCache, KeywordMatcher, Keywords};
use crate::custom::CustomRules;
use crate::engine::{Ctx, Hit, Module, Out, TypeSet};
use crate::error::{Error, ErrorKind, Problems};
use crate::shapes::{self, Shapes, ShapesCache};
use crate::{recognizers, resolve, views};

/// The module index of the shapes' hint literals in the anchor automaton
/// (no module has it, so no module sees them).
const HINT_MODULE: usize = usize::MAX;

/// The detection engine: built once from a [`Config`], then shared.
///
/// `Scanner` is `Send + Sync` and cloning it is an `Arc` bump. A scan makes
/// two passes over the text whatever the number of rules: one Aho-Corasick
/// pass for literal anchors and context keywords, and one multi-pattern
/// meta-regex pass for token shapes. Decoded views (percent-encoding, JSON
/// escapes, base64) are scanned the same way when present, and their
/// findings are mapped back to the original bytes. Scratch space comes from
/// a pool, so a warm scanner allocates nothing but the findings it reports.
///
/// ```
/// use deepsentinel_detect::Scanner;
/// use deepsentinel_core::EntityType;
///
/// let scanner = Scanner::new();
/// let text = "card 4111 1111 1111 1111, mail jane.doe@example.com";
/// let findings = scanner.scan(text);
/// assert!(findings.iter().any(|f| f.entity_type() == &EntityType::EmailAddress
///     && &text[f.span().range()] == "jane.doe@example.com"));
/// ```
#[derive(Clone)]
pub struct Scanner {
    inner: Arc<Inner>,
}

struct Inner {
    enabled: TypeSet,
    min_score: f32,
    decode: crate::config::DecodeConfig,
    modules: Vec<Box<dyn Module>>,
    shapes: Option<Shapes>,
    /// Pattern id of the shapes regex -> (module index, shape id).
    shape_targets: Vec<(usize, u32)>,
    /// Every module's anchor literals (see [`AnchorAutomaton`]).
    anchors: Option<AnchorAutomaton>,
    keywords: KeywordMatcher,
    custom: Option<CustomRules>,
    allow_values: HashSet<String>,
    allow_patterns: Option<meta::Regex>,
    pool: Pool<Scratch, fn() -> Scratch>,
}

/// Per-scan buffers, reused through the pool.
#[derive(Default)]
struct Scratch {
    findings: Vec<Finding>,
    levels: Vec<Level>,
    resolve: resolve::Scratch,
    /// The shapes regex's search cache (made on first use).
    shapes: Option<ShapesCache>,
}

/// Buffers for one depth of decoding.
#[derive(Default)]
struct Level {
    keywords: KeywordCache,
    shape_spans: Vec<(usize, usize)>,
    /// Starts of the shapes' hint literals (see [`shapes::HINTS`]).
    hints: Vec<usize>,
    anchors: Vec<AnchorHit>,
    findings: Vec<Finding>,
    /// Anchor hits of the later lanes, appended after the first lane's.
    lanes: [Vec<AnchorHit>; LANES - 1],
}

/// What a built scanner runs; benchmarks print it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineInfo {
    /// Recognizer modules compiled in.
    pub modules: Vec<&'static str>,
    /// Number of patterns in the multi-pattern shapes regex.
    pub shape_patterns: usize,
    /// Number of literals in the anchor automaton.
    pub anchor_literals: usize,
    /// Number of context keywords.
    pub keywords: usize,
    /// Which Aho-Corasick implementation was chosen.
    pub anchor_kind: Option<String>,
    /// Number of custom rules.
    pub custom_rules: usize,
}

impl Default for Scanner {
    fn default() -> Scanner {
        Scanner::new()
    }
}

impl fmt::Debug for Scanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scanner")
            .field("info", &self.engine_info())
            .finish()
    }
}

impl Scanner {
    /// A scanner with every built-in recognizer and the default settings.
    ///
    /// The built-in rule set is tested to compile, so this cannot fail; if
    /// it ever did, the scanner would report nothing rather than panic.
    pub fn new() -> Scanner {
        Builder::new().build().unwrap_or_else(|_| Scanner::empty())
    }

    /// A scanner that finds nothing (the fallback of [`Scanner::new`]).
    fn empty() -> Scanner {
        Scanner {
            inner: Arc::new(Inner {
                enabled: TypeSet::default(),
                min_score: 1.0,
                decode: crate::config::DecodeConfig::default(),
                modules: Vec::new(),
                shapes: None,
                shape_targets: Vec::new(),
                anchors: None,
                keywords: KeywordMatcher::disabled(),
                custom: None,
                allow_values: HashSet::new(),
                allow_patterns: None,
                pool: Pool::new(Scratch::default as fn() -> Scratch),
            }),
        }
    }

    /// A builder, to configure before building.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// Builds a scanner from a configuration.
    pub fn from_config(config: Config) -> Result<Scanner, Error> {
        Builder::from_config(config).build()
    }

    /// Scans `text` and returns every finding, sorted by span.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.detect_vec(text)
    }

    /// [`Detector::detect_all`], but the findings are moved out in one
    /// piece (one allocation of the exact size instead of a growing
    /// vector). Out of line and named like `detect`, so profiles that
    /// collect from `Scanner…detect…` still see every scan.
    #[inline(never)]
    // Not `mem::take`: the pooled buffer keeps its capacity for the next
    // scan, and the caller gets a vector of exactly its findings' size.
    #[allow(clippy::drain_collect)]
    fn detect_vec(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.inner
            .with_findings(text, |found| out = found.drain(..).collect());
        out
    }

    /// What this scanner runs.
    pub fn engine_info(&self) -> EngineInfo {
        EngineInfo {
            modules: self.inner.modules.iter().map(|m| m.name()).collect(),
            shape_patterns: self.inner.shape_targets.len(),
            anchor_literals: self.inner.anchors.as_ref().map_or(0, |a| a.len()),
            keywords: self.inner.keywords.len(),
            anchor_kind: self.inner.anchors.as_ref().map(|_| "DFA".to_string()),
            custom_rules: self.inner.custom.as_ref().map_or(0, |c| c.len()),
        }
    }

    /// Whether findings of this type can be reported by this scanner.
    pub fn is_enabled(&self, t: &EntityType) -> bool {
        self.inner.enabled.contains(t)
    }
}

impl Detector for Scanner {
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
        self.inner.with_findings(text, |findings| {
            for f in findings.drain(..) {
                if found(f).is_stop() {
                    break;
                }
            }
        });
    }

    fn name(&self) -> &str {
        "deepsentinel-scanner"
    }
}

impl Inner {
    /// Scans `text` and hands `consume` its final findings (filtered,
    /// resolved, sorted by span) in the pooled buffer, which is cleared
    /// afterwards.
    fn with_findings(&self, text: &str, consume: impl FnOnce(&mut Vec<Finding>)) {
        let mut scratch = self.pool.get();
        let Scratch {
            findings,
            levels,
            resolve: rscratch,
            shapes,
        } = &mut *scratch;
        findings.clear();
        let shapes = match (shapes, &self.shapes) {
            (Some(c), _) => Some(c),
            (slot, Some(re)) => Some(slot.insert(re.create_cache())),
            (_, None) => None,
        };
        self.scan_level(text, 0, levels, shapes, findings);
        // Filter before resolving, so a weak candidate cannot suppress a
        // strong overlapping one.
        findings.retain(|f| f.score() >= self.min_score && !self.is_allowed(text, f));
        resolve::resolve(findings, rscratch);
        consume(findings);
        findings.clear();
    }

    /// Scans `text` (the original at depth 0, a decoded view deeper) and
    /// appends its findings, in `text`'s offsets, to `out`.
    fn scan_level(
        &self,
        text: &str,
        depth: u8,
        levels: &mut Vec<Level>,
        mut shapes: Option<&mut ShapesCache>,
        out: &mut Vec<Finding>,
    ) {
        let d = depth as usize;
        if levels.len() <= d {
            levels.resize_with(d + 1, Level::default);
        }
        // Take this level's buffers out so deeper levels can borrow `levels`.
        let mut level = std::mem::take(&mut levels[d]);
        level.anchors.clear();
        level.shape_spans.clear();
        level.hints.clear();

        if let Some(anchors) = &self.anchors {
            anchors.find(text, &mut level.anchors, &mut level.lanes);
        }

        let ctx = Ctx {
            text,
            keywords: Keywords::new(text, &self.keywords, &mut level.keywords),
            depth,
            anchors: &level.anchors,
            module: std::cell::Cell::new(usize::MAX),
            shape_spans: &[],
        };
        let mut sink = Out {
            findings: out,
            enabled: &self.enabled,
            resume: None,
        };
        for &(mi, id, hit) in &level.anchors {
            if let Some(m) = self.modules.get(mi) {
                m.on_anchor(id, hit, &ctx, &mut sink);
            }
        }
        if let (Some(re), Some(cache)) = (&self.shapes, shapes.as_deref_mut()) {
            level.hints.extend(
                level
                    .anchors
                    .iter()
                    .filter(|&&(mi, _, _)| mi == HINT_MODULE)
                    .map(|&(_, _, hit)| hit.start),
            );
            // Anchors come by end; the hints are what the search needs in
            // order of start.
            level.hints.sort_unstable();
            re.for_each(cache, text, &level.hints, |m| {
                let Some(&(mi, id)) = self.shape_targets.get(m.pattern) else {
                    return m.end;
                };
                let Some(module) = self.modules.get(mi) else {
                    return m.end;
                };
                let hit = Hit {
                    start: m.start,
                    end: m.end,
                };
                sink.resume = None;
                module.on_shape(id, hit, &ctx, &mut sink);
                // A handler that used only the head of the match has the
                // search go on after it (see `Out::resume_at`).
                let end = sink
                    .resume
                    .take()
                    .filter(|&r| r > hit.start && r < hit.end && text.is_char_boundary(r))
                    .unwrap_or(hit.end);
                level.shape_spans.push((hit.start, end));
                end
            });
        }
        let ctx = Ctx {
            shape_spans: &level.shape_spans,
            ..ctx
        };
        for (mi, m) in self.modules.iter().enumerate() {
            ctx.module.set(mi);
            m.finish(&ctx, &mut sink);
        }
        if let Some(custom) = &self.custom {
            custom.scan(&ctx, &mut sink);
        }

        if depth < self.decode.max_depth {
            self.scan_views(text, depth, levels, shapes, out, &mut level.findings);
        }
        levels[d] = level;
    }

    /// Scans the decoded views of `text` and maps their findings back.
    fn scan_views(
        &self,
        text: &str,
        depth: u8,
        levels: &mut Vec<Level>,
        mut shapes: Option<&mut ShapesCache>,
        out: &mut Vec<Finding>,
        buf: &mut Vec<Finding>,
    ) {
        views::for_each_view(text, &self.decode, &mut |view| {
            buf.clear();
            self.scan_level(view.text(), depth + 1, levels, shapes.as_deref_mut(), buf);
            for f in buf.drain(..) {
                if let Some((start, end)) = view.map_back(f.span().start(), f.span().end()) {
                    if let Ok(span) = Span::in_text(text, start, end) {
                        out.push(f.with_span(span).with_flags(FindingFlags::DECODED));
                    }
                }
            }
        });
    }

    fn is_allowed(&self, text: &str, f: &Finding) -> bool {
        if self.allow_values.is_empty() && self.allow_patterns.is_none() {
            return false;
        }
        let Some(value) = f.span().slice(text) else {
            return false;
        };
        if self.allow_values.contains(value) {
            return true;
        }
        self.allow_patterns
            .as_ref()
            .is_some_and(|re| re.is_match(value))
    }
}

/// Configures and builds a [`Scanner`].
///
/// Setters take `&mut self` and return `&mut Self`; [`Builder::build`]
/// validates everything at once and reports every problem.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// A builder with the default configuration.
    pub fn new() -> Builder {
        Builder {
            config: Config::default(),
        }
    }

    /// A builder starting from `config`.
    pub fn from_config(config: Config) -> Builder {
        Builder { config }
    }

    /// Replaces the whole configuration.
    pub fn config(&mut self, config: Config) -> &mut Builder {
        self.config = config;
        self
    }

    /// Restricts scanning to these categories.
    pub fn categories(&mut self, categories: &[deepsentinel_core::Category]) -> &mut Builder {
        self.config.categories = categories.to_vec();
        self
    }

    /// Sets the minimum score.
    pub fn min_score(&mut self, score: f32) -> &mut Builder {
        self.config.min_score = score;
        self
    }

    /// Never reports this exact value.
    pub fn allow_value(&mut self, value: impl Into<String>) -> &mut Builder {
        self.config.allow_list.values.push(value.into());
        self
    }

    /// Never reports values wholly matching this regex.
    pub fn allow_pattern(&mut self, pattern: impl Into<String>) -> &mut Builder {
        self.config.allow_list.patterns.push(pattern.into());
        self
    }

    /// Adds a custom rule.
    pub fn rule(&mut self, rule: crate::config::CustomRule) -> &mut Builder {
        self.config.rules.push(rule);
        self
    }

    /// Disables a type.
    pub fn disable_type(&mut self, t: EntityType) -> &mut Builder {
        self.config.disable_types.push(t);
        self
    }

    /// The configuration as it stands.
    pub fn current(&self) -> &Config {
        &self.config
    }

    /// Validates the configuration and compiles the scanner.
    pub fn build(&self) -> Result<Scanner, Error> {
        let c = &self.config;
        let mut problems = Problems::default();
        if !(0.0..=1.0).contains(&c.min_score) {
            problems.push(ErrorKind::InvalidConfig {
                field: "min-score".into(),
                problem: format!("{} is outside [0, 1]", c.min_score),
            });
        }
        let declared: HashSet<EntityType> = c.rules.iter().map(|r| r.entity_type.clone()).collect();
        for (field, list) in [("types", &c.types), ("disable-types", &c.disable_types)] {
            for t in list {
                if !t.is_builtin() && !declared.contains(t) {
                    problems.push(ErrorKind::InvalidConfig {
                        field: field.into(),
                        problem: format!(
                            "unknown entity type {t} (not built in, and no custom rule declares it)"
                        ),
                    });
                }
            }
        }
        if c.categories.is_empty() {
            problems.push(ErrorKind::InvalidConfig {
                field: "categories".into(),
                problem: "no category is enabled; nothing would ever be found".into(),
            });
        }

        let mut enabled = TypeSet::of_categories(&c.categories);
        if !c.types.is_empty() {
            let mut only = TypeSet::default();
            only.set_custom(false);
            for t in &c.types {
                only.insert(t);
            }
            enabled = enabled.intersect(&only);
        }
        for t in &c.disable_types {
            enabled.remove(t);
        }
        // Custom rules report under their own category, so a rule is on
        // when its category is enabled (and its type is not disabled).
        let custom = match CustomRules::build(
            &c.rules,
            &c.categories,
            &c.disable_types,
            &c.types,
            c.size_limit,
        ) {
            Ok(custom) => custom,
            Err(errors) => {
                for e in errors {
                    problems.push(e);
                }
                None
            }
        };
        if custom.is_some() {
            enabled.set_custom(true);
        }

        let allow_patterns = if c.allow_list.patterns.is_empty() {
            None
        } else {
            let mut ok = true;
            for (index, p) in c.allow_list.patterns.iter().enumerate() {
                if let Err(e) = regex_syntax::Parser::new().parse(p) {
                    ok = false;
                    problems.push(ErrorKind::InvalidAllowPattern {
                        index,
                        problem: e.to_string(),
                    });
                }
            }
            if ok {
                let anchored: Vec<String> = c
                    .allow_list
                    .patterns
                    .iter()
                    .map(|p| format!("^(?:{p})$"))
                    .collect();
                match meta::Regex::builder()
                    .configure(meta::Config::new().nfa_size_limit(Some(c.size_limit)))
                    .build_many(&anchored)
                {
                    Ok(re) => Some(re),
                    Err(e) => {
                        problems.push(ErrorKind::TooLarge {
                            what: format!("the allow-list patterns ({e})"),
                            limit: c.size_limit,
                        });
                        None
                    }
                }
            } else {
                None
            }
        };
        problems.finish()?;

        let modules: Vec<Box<dyn Module>> = recognizers::all()
            .into_iter()
            .filter(|m| enabled.any_of(m.types()))
            .collect();

        // One anchor automaton for all modules' literals.
        let mut literals: Vec<String> = Vec::new();
        let mut anchor_targets = Vec::new();
        // One shapes regex: all modules' shapes ordered by priority (stable,
        // so ties keep module order).
        let mut shapes: Vec<(i32, usize, usize, u32, String)> = Vec::new();
        for (mi, m) in modules.iter().enumerate() {
            for a in m.anchors() {
                literals.push(a.literal);
                anchor_targets.push((mi, a.id));
            }
            for (si, s) in m.shapes().into_iter().enumerate() {
                shapes.push((s.priority, mi, si, s.id, s.pattern));
            }
        }
        shapes.sort_by_key(|(p, mi, si, _, _)| (*p, *mi, *si));
        // The shapes' skipping search needs its hint literals found (see
        // `shapes`); they go to no module.
        if !shapes.is_empty() {
            for h in shapes::HINTS {
                literals.push(h.to_string());
                anchor_targets.push((HINT_MODULE, 0));
            }
        }
        // Overlapping matches: every literal fires, even when one nests in
        // another (`auth` in `authorization`) or two modules share one, so
        // modules never hide each other's anchors.
        let anchors = AnchorAutomaton::new(&literals, anchor_targets).map_err(|problem| {
            Error::new(ErrorKind::InvalidConfig {
                field: "built-in anchors".into(),
                problem,
            })
        })?;
        let keywords = KeywordMatcher::new().map_err(|e| {
            Error::new(ErrorKind::InvalidConfig {
                field: "built-in keywords".into(),
                problem: e.to_string(),
            })
        })?;
        let shape_targets: Vec<(usize, u32)> =
            shapes.iter().map(|(_, mi, _, id, _)| (*mi, *id)).collect();
        let patterns: Vec<&str> = shapes.iter().map(|s| s.4.as_str()).collect();
        let shapes_re = if patterns.is_empty() {
            None
        } else {
            // The built-in shapes are skippable (`shapes::tests` holds
            // them to it).
            Some(Shapes::new(&patterns, 64 << 20, true).map_err(|e| {
                Error::new(ErrorKind::InvalidConfig {
                    field: "built-in shapes".into(),
                    problem: e,
                })
            })?)
        };
        Ok(Scanner {
            inner: Arc::new(Inner {
                enabled,
                min_score: c.min_score,
                decode: c.decode.clone(),
                modules,
                shapes: shapes_re,
                shape_targets,
                anchors,
                keywords,
                custom,
                allow_values: c.allow_list.values.iter().cloned().collect(),
                allow_patterns,
                pool: Pool::new(Scratch::default as fn() -> Scratch),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Scanner>();
    }

    /// `scan` (findings moved out in one piece) returns exactly what the
    /// callback path collects, twice in a row on one pooled scratch, and
    /// the callback path still stops when asked to.
    #[test]
    fn scan_matches_detect_all() {
        let s = Scanner::new();
        let text = "Card 4111 1111 1111 1111, mail jane.doe@example.com, \
                    call +1 503 777 4364, SSN 123-45-6789, IP 10.1.2.3.";
        let all = s.detect_all(text);
        assert!(all.len() >= 4, "{all:?}");
        assert_eq!(s.scan(text), all);
        assert_eq!(s.scan(text), all);
        assert!(s.scan("").is_empty());
        let mut first = Vec::new();
        s.detect(text, &mut |f| {
            first.push(f);
            Flow::Stop
        });
        assert_eq!(first.as_slice(), &all[..1]);
    }

    #[test]
    fn builtin_rule_set_compiles() {
        let s = Builder::new().build().expect("built-in rules compile");
        assert!(s.engine_info().keywords > 0);
        assert!(s.engine_info().shape_patterns > 0);
    }

    #[test]
    fn config_errors_are_all_listed() {
        let mut b = Builder::new();
        b.min_score(2.0);
        b.config.categories.clear();
        b.config.disable_types.push(EntityType::custom("NOPE"));
        let err = b.build().expect_err("three problems");
        let msg = err.to_string();
        assert!(msg.contains("3 configuration problems"), "{msg}");
        assert!(
            msg.contains("min-score") && msg.contains("categories") && msg.contains("NOPE"),
            "{msg}"
        );
    }

    #[test]
    fn invalid_allow_pattern_is_reported() {
        let err = Builder::new()
            .allow_pattern("(unclosed")
            .build()
            .expect_err("bad regex");
        assert!(
            matches!(err.kind(), ErrorKind::InvalidAllowPattern { index: 0, .. }),
            "{err}"
        );
    }

    /// The skipping shapes search (see `shapes`) finds exactly the meta
    /// regex's matches of the built-in shapes, on text made of pieces of
    /// every shape, near misses, and what the skip steps over (words,
    /// spaces, `at`, non-ASCII digits and spaces).
    #[test]
    fn skipping_shapes_match_meta() {
        let scanner = Builder::new().build().expect("built-in rules compile");
        let shapes = scanner.inner.shapes.as_ref().expect("built-in shapes");
        // Pieces, separated by `¦`.
        let pieces = concat!(
            "john¦Smith¦ at ¦ AT ¦at¦cat¦ dot ¦DOT¦dot¦com¦org¦@¦[at]¦(dot)¦",
            " [ at ] ¦{¦<¦>¦.¦-¦_¦%¦+¦,¦:¦::¦/¦ ¦  ¦\n¦\t¦\r\n¦é¦\u{a0}¦\u{2009}¦",
            "٣¦年¦月¦日¦7¦12¦555¦0100¦2024-01-02¦12/31/1999¦13.05.2020¦T10:30¦",
            "Z¦UTC¦pm¦a.m.¦+44¦(212)¦555-0100¦https://¦git+ssh://¦jdbc:mysql://¦",
            "www¦www.¦example¦WDL¦wdl¦ABCDEFGHI¦DE89¦3704¦0044¦0532¦0130¦00¦",
            "AKIA¦bc1¦qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq¦1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa¦",
            "Main¦Street¦St.¦North¦3rd¦fe80¦ab:cd¦00-1B-63-84-45-E6¦0123.4567.89ab¦",
            "192.168.0.1¦MRN-1234-5678¦A123-4567-8901¦B12345678¦x",
            // Whole `name at host dot com` addresses whose first signal
            // comes after the `at`, after a comma (where the search skips).
            "¦, john at ex4mple dot com¦, jo_hn  AT  a-b dot org¦, x at 12 dot io¦",
            ", m at\u{a0}x9 dot com¦, ann at\tb c dot com¦, j at e dot co¦",
            ", jo at format dot com",
        );
        let pieces: Vec<&str> = pieces.split('¦').collect();
        let fixed = [
            "Hello, x at 12 dot io.",
            "Write to: john at ex4mple dot com, or jo at format dot com!",
            "ok; m at\u{a0}x9 dot com",
        ];
        let mut rng = crate::testrand::Rng::new(0x5eed_5ca9);
        let mut cache = shapes.create_cache();
        let mut matched = 0;
        let mut by_kind = [0usize; 2];
        for round in 0..2000 + fixed.len() {
            let mut text = fixed.get(round).map_or_else(String::new, |t| t.to_string());
            let n = 1 + rng.below(if round % 10 == 0 { 400 } else { 40 });
            for _ in 0..n * usize::from(text.is_empty()) {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            let lower = text.to_ascii_lowercase();
            let hints: Vec<usize> = (0..lower.len())
                .filter(|&i| {
                    shapes::HINTS
                        .iter()
                        .any(|h| lower.as_bytes().get(i..i + h.len()) == Some(h.as_bytes()))
                })
                .collect();
            let mut got = Vec::new();
            shapes.for_each(&mut cache, &text, &hints, |m| {
                got.push(m);
                m.end
            });
            let want = shapes.meta_matches(&text);
            matched += want.len();
            // ASCII texts and the others take different automata.
            if let Some(n) = by_kind.get_mut(usize::from(text.is_ascii())) {
                *n += want.len();
            }
            if got != want {
                let i = got.iter().zip(&want).take_while(|(g, w)| g == w).count();
                let at = got.get(i).or(want.get(i)).map_or(0, |m| m.start);
                let around = text.get(at.saturating_sub(40)..).unwrap_or(&text);
                panic!(
                    "first difference: {:?} against {:?}, near {around:?}",
                    got.get(i),
                    want.get(i)
                );
            }
        }
        assert!(matched > 2000, "the pieces make matches: {matched}");
        assert!(by_kind.iter().all(|&n| n > 500), "{by_kind:?}");
    }

    /// The shapes search gets the `dot` hints the anchor automaton finds:
    /// a spelled-out address whose only signal is its `dot`, after a comma
    /// (where the search skips), is found whole.
    #[test]
    fn spelled_out_address_after_a_skip() {
        let scanner = Builder::new().build().expect("built-in rules compile");
        for (text, want) in [
            (
                "Hello, write to john at example dot com today.",
                "john at example dot com",
            ),
            (
                "Thanks. Mail jane AT corp DOT org, please",
                "jane AT corp DOT org",
            ),
        ] {
            let emails: Vec<&str> = scanner
                .scan(text)
                .iter()
                .filter(|f| f.entity_type() == &EntityType::EmailAddress)
                .filter_map(|f| text.get(f.span().start()..f.span().end()))
                .collect();
            assert_eq!(emails, [want], "{text:?}");
        }
    }

    /// The laned anchor walk over the built-in literals reports exactly what
    /// one overlapping pass over the whole lowered text reports, in the
    /// same order.
    #[test]
    fn anchor_lanes_match_a_single_pass() {
        let scanner = Builder::new().build().expect("built-in rules compile");
        let inner = &*scanner.inner;
        let words = [
            "Password",
            "sk-",
            "TOKEN",
            "://",
            "-----BEGIN ",
            "the",
            "secret",
            "Ai",
            " ",
            "\n",
            "api_key",
            "ghp_",
            "january",
            "é",
            "mot de passe",
            "x",
            "patient",
            "ignore",
        ];
        let (literals, targets): (Vec<String>, Vec<(usize, u32)>) = inner
            .modules
            .iter()
            .enumerate()
            .flat_map(|(mi, m)| {
                m.anchors()
                    .into_iter()
                    .map(move |a| (a.literal.to_ascii_lowercase(), (mi, a.id)))
            })
            .chain(
                shapes::HINTS
                    .iter()
                    .map(|h| (h.to_string(), (HINT_MODULE, 0))),
            )
            .unzip();
        let anchors = inner.anchors.as_ref().expect("built-in anchors");
        assert_eq!(literals.len(), anchors.len());
        let mut seed = 0x2545_f491_u64;
        for len in [10, 1000, 1100, 5000, 40_000, 65_536, 70_000, 140_000] {
            let mut text = String::new();
            while text.len() < len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
            }
            let (mut hits, mut lanes) = (Vec::new(), Default::default());
            anchors.find(&text, &mut hits, &mut lanes);
            let lower = text.to_ascii_lowercase();
            let ac = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(&literals)
                .expect("automaton");
            let want: Vec<(usize, u32, Hit)> = ac
                .find_overlapping_iter(&lower)
                .map(|m| {
                    let (mi, id) = targets[m.pattern().as_usize()];
                    (
                        mi,
                        id,
                        Hit {
                            start: m.start(),
                            end: m.end(),
                        },
                    )
                })
                .collect();
            assert!(!want.is_empty());
            assert_eq!(hits, want, "text of {len} bytes");
        }
    }
}
