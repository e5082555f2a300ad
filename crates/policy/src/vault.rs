//! [`Vault`]: the placeholder mapping of one conversation.
//!
//! `pseudonymize` gives each distinct value a numbered placeholder per type
//! (`<PERSON_1>`, `<PERSON_2>`, `<EMAIL_ADDRESS_1>`), the same value always
//! the same placeholder. [`Vault::restore`] puts the values back into a
//! reply; only placeholders this vault issued are restored, anything else
//! stays as text. The vault lives in memory for as long as the caller keeps
//! it (one request, or one conversation); its `Debug` shows counts only.

use std::collections::{HashMap, HashSet};
use std::fmt;

use foldhash::fast::RandomState;

use deepsentinel_core::EntityType;

use crate::operators::is_type_name;

/// Placeholder mapping for one conversation. See the module docs.
#[derive(Clone, Default)]
pub struct Vault {
    /// Per type: value -> placeholder (lookups borrow the value), and the
    /// last number issued.
    by_type: HashMap<EntityType, (HashMap<String, String, RandomState>, u64), RandomState>,
    by_placeholder: HashMap<String, String, RandomState>,
    reserved: HashSet<String, RandomState>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("placeholders", &self.by_placeholder.len())
            .field("reserved", &self.reserved.len())
            .finish()
    }
}

/// A placeholder found in a text: its byte range and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PlaceholderAt<'t> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: &'t str,
}

/// The longest placeholder looked for, in bytes.
const MAX_PLACEHOLDER: usize = 96;

/// Every `<TYPE_n>`-shaped token in `text`, in order.
pub(crate) fn placeholders(text: &str) -> impl Iterator<Item = PlaceholderAt<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(rel) = memchr::memchr(b'<', bytes.get(at..)?) {
            let start = at + rel;
            at = start + 1;
            // Placeholders are short: look for the `>` nearby only, so a
            // text full of `<` stays linear.
            let window = bytes.get(start..bytes.len().min(start + MAX_PLACEHOLDER))?;
            let Some(len) = memchr::memchr(b'>', window) else {
                continue;
            };
            let end = start + len + 1;
            let inner = text.get(start + 1..end - 1)?;
            if let Some((name, n)) = inner.rsplit_once('_') {
                if is_type_name(name)
                    && !n.is_empty()
                    && n.len() <= 12
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && !n.starts_with('0')
                {
                    at = end;
                    return Some(PlaceholderAt {
                        start,
                        end,
                        text: text.get(start..end)?,
                    });
                }
            }
        }
        None
    })
}

impl Vault {
    /// An empty vault.
    pub fn new() -> Vault {
        Vault::default()
    }

    /// How many placeholders have been issued.
    pub fn len(&self) -> usize {
        self.by_placeholder.len()
    }

    /// Whether no placeholder has been issued.
    pub fn is_empty(&self) -> bool {
        self.by_placeholder.is_empty()
    }

    /// The placeholder for `value` of type `t`, issuing the next free
    /// number the first time.
    pub fn placeholder(&mut self, t: &EntityType, value: &str) -> String {
        let slot = match self.by_type.get_mut(t) {
            Some(slot) => slot,
            None => self.by_type.entry(t.clone()).or_default(),
        };
        if let Some(p) = slot.0.get(value) {
            return p.clone();
        }
        let name = t.as_str();
        let placeholder = loop {
            slot.1 += 1;
            let mut n = itoa::Buffer::new();
            let n = n.format(slot.1);
            let mut p = String::with_capacity(name.len() + n.len() + 3);
            p.push('<');
            p.push_str(name);
            p.push('_');
            p.push_str(n);
            p.push('>');
            if !self.reserved.contains(&p) && !self.by_placeholder.contains_key(&p) {
                break p;
            }
        };
        slot.0.insert(value.to_string(), placeholder.clone());
        self.by_placeholder
            .insert(placeholder.clone(), value.to_string());
        placeholder
    }

    /// Marks placeholder-shaped tokens already present in `text` (typed by
    /// the user, say) as never to be issued, so restore cannot confuse them
    /// with real placeholders.
    pub fn reserve_existing(&mut self, text: &str) {
        for p in placeholders(text) {
            if !self.by_placeholder.contains_key(p.text) {
                self.reserved.insert(p.text.to_string());
            }
        }
    }

    /// The original value behind a placeholder this vault issued.
    pub fn original(&self, placeholder: &str) -> Option<&str> {
        self.by_placeholder.get(placeholder).map(String::as_str)
    }

    /// `text` with every placeholder this vault issued replaced by its
    /// original value; everything else is kept.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for p in placeholders(text) {
            if let Some(v) = self.by_placeholder.get(p.text) {
                out.push_str(text.get(at..p.start).unwrap_or(""));
                out.push_str(v);
                at = p.end;
            }
        }
        out.push_str(text.get(at..).unwrap_or(""));
        out
    }
}
