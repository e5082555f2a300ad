//! EMAIL_ADDRESS: RFC 5321-shaped addresses with a dotted domain, plus the
//! common obfuscated spellings (`jane [at] corp [dot] com`).

use deepsentinel_core::EntityType;

use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;

pub(crate) struct Email;

const PLAIN: u32 = 0;

impl Module for Email {
    fn name(&self) -> &'static str {
        "email"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::EmailAddress]
    }

    fn shapes(&self) -> Vec<Shape> {
        vec![Shape::new(
            PLAIN,
            prio::EMAIL,
            r"[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}",
        )]
    }

    fn on_shape(&self, _shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let start = hit.start;
        // The domain must not run on into a word (`a@b.comx` is cut short
        // by the TLD length limit, not an address).
        if text::char_at(t, hit.end).is_some_and(text::is_word_char) {
            return;
        }
        out.push(
            t,
            PendingFinding::new(EntityType::EmailAddress, start, hit.end, 0.9, "email"),
        );
    }
}
