//! IP_ADDRESS (IPv4 dotted quads, IPv6 full / compressed / IPv4-embedded)
//! and MAC_ADDRESS (`aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, Cisco
//! `aabb.ccdd.eeff`).
//!
//! IPv6 and colon MACs share one hex-colon shape and are told apart in the
//! handler: exactly six groups of two hex digits is a MAC, anything else is
//! tried as IPv6 with the standard library's parser.

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::ip;

pub(crate) struct Network;

const IPV4: u32 = 0;
const HEX_COLON: u32 = 1;
const MAC_DASH: u32 = 2;
const MAC_DOT: u32 = 3;

const VERSION: KwSet = KwSet::of(&[Kw::Version]);

impl Module for Network {
    fn name(&self) -> &'static str {
        "network"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::IpAddress, EntityType::MacAddress]
    }

    fn shapes(&self) -> Vec<Shape> {
        vec![
            Shape::new(
                IPV4,
                prio::IPV4, // The trailing alternation makes a dotted run that goes on
                // (`06.76.10.59.57`, `1.3.6.1.4.1`) not match at all, so it
                // stays visible to other shapes; the handler drops the one
                // extra character it may consume.
                r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:[^.0-9A-Za-z]|\.[^0-9]|\.$|$)",
            ),
            Shape::new(
                HEX_COLON,
                prio::HEX_GROUPS,
                r"(?:[0-9A-Fa-f]{1,4}:|::)(?:[0-9A-Fa-f]{0,4}:){1,6}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{1,4})?",
            ),
            Shape::new(
                MAC_DASH,
                prio::HEX_GROUPS,
                r"[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?-u:\b)",
            ),
            Shape::new(
                MAC_DOT,
                prio::HEX_GROUPS,
                r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?-u:\b)",
            ),
        ]
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        match shape {
            IPV4 => ipv4(hit, ctx, out),
            HEX_COLON => hex_colon(hit, ctx, out),
            _ => mac_other(shape, hit, ctx, out),
        }
    }
}

/// Whether the byte at `pos` followed by a digit/hex char continues a
/// dotted or coloned run (`.5`, `:ab`).
fn continues(t: &str, pos: usize, sep: u8, hex: bool) -> bool {
    let b = t.as_bytes();
    b.get(pos) == Some(&sep)
        && b.get(pos + 1).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Whether the run ending just before `pos` is `<digit or hex><sep>`.
fn continued_from(t: &str, pos: usize, sep: u8, hex: bool) -> bool {
    let b = t.as_bytes();
    pos >= 2
        && b.get(pos - 1) == Some(&sep)
        && b.get(pos - 2).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Whether a full eight-group IPv6 address at `start..end` is followed by
/// a `:port` (`db8:…:7334:443`), which stays outside the span.
fn port_follows(t: &str, start: usize, end: usize) -> bool {
    let Some(s) = t.get(start..end) else {
        return false;
    };
    if s.contains("::") || s.split(':').count() != 8 {
        return false;
    }
    let rest = t.as_bytes().get(end + 1..).unwrap_or(&[]);
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=5).contains(&n)
        && !rest
            .get(n)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b':')
}

fn ipv4(hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let t = ctx.text;
    // The address proper: digits and exactly three dots.
    let mut dots = 0;
    let len = t
        .as_bytes()
        .get(hit.start..hit.end)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&b| {
            if b == b'.' {
                dots += 1;
            }
            b.is_ascii_digit() || (b == b'.' && dots <= 3)
        })
        .count();
    let hit = Hit {
        start: hit.start,
        end: hit.start + len,
    };
    if !text::is_alnum_bounded(t, hit.start, hit.end)
        || continues(t, hit.end, b'.', false)
        || continued_from(t, hit.start, b'.', false)
    {
        return;
    }
    let s = hit.as_str(t);
    if !ip::is_ipv4(s) {
        return;
    }
    // `version 1.2.3.4`, `build 10.0.0.1`, `OID 1.3.6.1`.
    if ctx.kw_before(hit.start, 12, VERSION) {
        return;
    }
    let near_ip = ctx
        .keywords
        .near(hit.start, hit.end, 40, KwSet::of(&[Kw::Ip]));
    let score = if near_ip { 0.95 } else { 0.85 };
    out.push(
        t,
        PendingFinding::new(EntityType::IpAddress, hit.start, hit.end, score, "ip.v4")
            .subtype("ipv4"),
    );
}

fn hex_colon(hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let t = ctx.text;
    let mut end = hit.end;
    // A trailing lone colon (`fe80::1:` at a sentence end, `addr:`) is not
    // part of the address.
    let s = hit.as_str(t);
    if s.ends_with(':') && !s.ends_with("::") {
        end -= 1;
    }
    if text::char_before(t, hit.start).is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        || text::char_at(t, end).is_some_and(|c| c.is_alphanumeric() || c == '_')
        || (end == hit.end && continues(t, end, b':', true) && !port_follows(t, hit.start, end))
        || continues(t, end, b'.', false)
    {
        return;
    }
    let Some(s) = t.get(hit.start..end) else {
        return;
    };
    let groups = s.split(':').count();
    let all_pairs = groups == 6 && s.split(':').all(|g| g.len() == 2);
    if all_pairs {
        // Six colon-separated pairs are a MAC even when all digits (time
        // codes have at most four groups).
        let digits_only = s.bytes().all(|b| b.is_ascii_digit() || b == b':');
        let near_mac = ctx.keywords.near(hit.start, end, 40, KwSet::of(&[Kw::Mac]));
        let score = match (near_mac, digits_only) {
            (true, _) => 0.95,
            (false, false) => 0.85,
            (false, true) => 0.6,
        };
        out.push(
            t,
            PendingFinding::new(EntityType::MacAddress, hit.start, end, score, "mac")
                .subtype("colon"),
        );
        return;
    }
    if !ip::is_ipv6(s) {
        return;
    }
    // Weed out code paths like `a::b` and tiny tokens: an address has at
    // least two non-empty groups and five hex digits, or is fully written.
    let non_empty = s.split(':').filter(|g| !g.is_empty()).count();
    let hex_digits = s.bytes().filter(u8::is_ascii_hexdigit).count();
    let long_group = s.split(':').any(|g| g.len() >= 3);
    if s.contains("::") && (non_empty < 2 || hex_digits < 5 || !long_group) {
        return;
    }
    let near_ip = ctx.keywords.near(hit.start, end, 40, KwSet::of(&[Kw::Ip]));
    let score = if near_ip { 0.95 } else { 0.85 };
    out.push(
        t,
        PendingFinding::new(EntityType::IpAddress, hit.start, end, score, "ip.v6").subtype("ipv6"),
    );
}

fn mac_other(shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let t = ctx.text;
    if !text::is_alnum_bounded(t, hit.start, hit.end) {
        return;
    }
    let (sep, sub) = if shape == MAC_DASH {
        (b'-', "dash")
    } else {
        (b'.', "cisco")
    };
    if continues(t, hit.end, sep, true) || continued_from(t, hit.start, sep, true) {
        return;
    }
    let s = hit.as_str(t);
    let has_letter = s.bytes().any(|b| b.is_ascii_alphabetic());
    let near_mac = ctx
        .keywords
        .near(hit.start, hit.end, 40, KwSet::of(&[Kw::Mac]));
    if !has_letter && !near_mac {
        return;
    }
    // Mixed-case hex is unusual in a MAC and common in random tokens.
    let upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let lower = s.bytes().any(|b| b.is_ascii_lowercase());
    if upper && lower && !near_mac {
        return;
    }
    let score = if near_mac { 0.95 } else { 0.85 };
    out.push(
        t,
        PendingFinding::new(EntityType::MacAddress, hit.start, hit.end, score, "mac").subtype(sub),
    );
}
