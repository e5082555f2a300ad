//! Letter-prefixed identifiers: passports (`A12345678`), MRNs
//! (`MR-2020-723596`, `E1234567`, `MRN123456789`, `PT-00482913` after a
//! record keyword), and US driver licences
//! (CA `A1234567`, FL `A123-456-78-901-2`, IL `A123-4567-8901`, MI
//! `A 123 456 789 012`, NJ `A1234 56789 01234`, OH `AB123456`, WA `WDL…`).
//!
//! The shapes end on an ASCII word boundary with a bounded digit count, so
//! compact IBANs (two letters, two check digits and 11+ more characters)
//! never match them.

use deepsentinel_core::EntityType;

use super::{END, nearest};
use crate::context::Kw;
use crate::engine::{Ctx, Hit, Out, PendingFinding, Shape, prio};
use crate::text;

const LETTERS_DIGITS: u32 = 1;
const MR_DASHED: u32 = 2;
const DL_FL: u32 = 3;
const DL_IL: u32 = 4;
const DL_MI: u32 = 5;
const DL_NJ: u32 = 6;
const DL_WA: u32 = 7;
const PREFIX_DASHED: u32 = 8;

/// Between IBANs (60) and generic tokens (80).
const PRIO: i32 = prio::TOKEN - 5;

pub(super) fn shapes() -> Vec<Shape> {
    let shapes = vec![
        Shape::new(
            LETTERS_DIGITS,
            PRIO,
            r"(?:[A-Za-z][0-9]{5,14}|[A-Za-z]{2,3}[0-9]{5,10})",
        ),
        Shape::new(MR_DASHED, PRIO, r"(?i:mrn?)-[0-9]{4}-[0-9]{4,8}"),
        Shape::new(
            DL_FL,
            PRIO,
            r"[A-Za-z][0-9]{3}-[0-9]{3}-[0-9]{2}-[0-9]{3}-[0-9]",
        ),
        Shape::new(DL_IL, PRIO, r"[A-Za-z][0-9]{3}-[0-9]{4}-[0-9]{4}"),
        Shape::new(DL_MI, PRIO, r"[A-Za-z] [0-9]{3} [0-9]{3} [0-9]{3} [0-9]{3}"),
        Shape::new(DL_NJ, PRIO, r"[A-Za-z][0-9]{4} [0-9]{5} [0-9]{5}"),
        Shape::new(DL_WA, PRIO, r"(?i:wdl)[A-Za-z0-9]{9}"),
        Shape::new(PREFIX_DASHED, PRIO, r"[A-Z]{2,4}-[0-9]{5,10}"),
    ];
    shapes
        .into_iter()
        .map(|s| Shape::new(s.id, s.priority, format!("{}{END}", s.pattern)))
        .collect()
}

pub(super) fn handle(shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let t = ctx.text;
    // Drop the one delimiting character the shape ends on.
    let core = hit
        .as_str(t)
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let (start, end) = (hit.start, hit.start + core.len());
    if text::char_before(t, start).is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return;
    }
    if text::char_at(t, end).is_some_and(|c| c.is_alphanumeric() || c == '-') {
        return;
    }
    let s = core;
    let nr = nearest(ctx, start, end);
    let dl_ctx = nr.has(Kw::DriverLicense);
    let push = |out: &mut Out<'_>, ty: EntityType, score: f32, rule: &'static str| {
        out.push(t, PendingFinding::new(ty, start, end, score, rule));
    };
    match shape {
        LETTERS_DIGITS => {
            let nl = s.bytes().take_while(u8::is_ascii_alphabetic).count();
            let nd = s.len() - nl;
            let prefix = s.get(..nl).unwrap_or("");
            if (prefix.eq_ignore_ascii_case("mrn") || prefix.eq_ignore_ascii_case("mr"))
                && (6..=10).contains(&nd)
            {
                let sc = if nr.any.contains(Kw::Mrn) || nr.any.contains(Kw::Patient) {
                    0.9
                } else {
                    0.8
                };
                push(out, EntityType::MedicalRecordNumber, sc, "mrn");
                return;
            }
            // A lone upper-case letter reads as an ID prefix; lower-case
            // words with digits glued on rarely are.
            let upper = s.bytes().take(nl).all(|b| b.is_ascii_uppercase());
            if !upper {
                return;
            }
            if nr.has(Kw::Passport) && nl == 1 && nd == 8 {
                push(out, EntityType::UsPassport, 0.85, "passport");
            } else if nr.has(Kw::Mrn) && nl == 1 && (6..=9).contains(&nd) {
                push(out, EntityType::MedicalRecordNumber, 0.85, "mrn");
            } else if dl_ctx
                && ((nl == 1 && (4..=14).contains(&nd)) || (nl == 2 && (5..=8).contains(&nd)))
            {
                push(out, EntityType::UsDriverLicense, 0.8, "dl");
            }
        }
        MR_DASHED => {
            let sc = if nr.any.contains(Kw::Mrn) || nr.any.contains(Kw::Patient) {
                0.9
            } else {
                0.7
            };
            push(out, EntityType::MedicalRecordNumber, sc, "mrn");
        }
        // `Patient ID: PT-00482913`: a prefixed record number, only right
        // after a record keyword (invoice and order numbers look the same).
        PREFIX_DASHED if nr.has(Kw::Mrn) => {
            push(out, EntityType::MedicalRecordNumber, 0.85, "mrn");
        }
        DL_FL | DL_IL | DL_MI | DL_NJ => {
            if !s.bytes().next().is_some_and(|b| b.is_ascii_uppercase()) {
                return;
            }
            let sc = if dl_ctx || nr.any.contains(Kw::DriverLicense) {
                0.85
            } else if shape == DL_FL {
                0.6
            } else {
                return;
            };
            push(out, EntityType::UsDriverLicense, sc, "dl");
        }
        DL_WA => {
            // The nine characters after `WDL` may all be letters; a word
            // such as `WDLSOMETHING` needs the licence context then.
            let digits = s.bytes().filter(u8::is_ascii_digit).count();
            if (digits == 0 && !nr.has(Kw::DriverLicense))
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'*')
            {
                return;
            }
            let sc = if nr.any.contains(Kw::DriverLicense) {
                0.85
            } else {
                0.65
            };
            push(out, EntityType::UsDriverLicense, sc, "dl");
        }
        _ => {}
    }
}
