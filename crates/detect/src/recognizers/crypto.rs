//! CRYPTO: bitcoin addresses. Base58Check P2PKH (`1…`) and P2SH (`3…`)
//! with their double-SHA-256 checksum, and segwit bech32 (`bc1q…`) /
//! bech32m (`bc1p…`) with their BIP-173/350 checksums; testnet `tb1…`.
//! Ethereum (and EVM chain) addresses, `0x` and 40 hex digits: with an
//! EIP-55 checksum in the case of their letters, or all in one case next
//! to a wallet word (a bare 160-bit hex value may be a hash).

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::eip55::{self, Case};
use crate::validate::{base58, bech32};

pub(crate) struct Crypto;

const BASE58: u32 = 0;
const SEGWIT: u32 = 1;
const ETH: u32 = 2;

impl Module for Crypto {
    fn name(&self) -> &'static str {
        "crypto"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::Crypto]
    }

    fn shapes(&self) -> Vec<Shape> {
        vec![
            // ASCII word boundaries on both ends keep the shape from
            // matching (and hiding) a prefix of a longer token.
            Shape::new(
                BASE58,
                prio::TOKEN,
                r"(?-u:\b)[13][1-9A-HJ-NP-Za-km-z]{24,33}(?-u:\b)",
            ),
            Shape::new(
                SEGWIT,
                prio::TOKEN,
                r"(?-u:\b)(?:bc|tb|BC|TB)1(?:[02-9ac-hj-np-z]{38,87}|[02-9AC-HJ-NP-Z]{38,87})(?-u:\b)",
            ),
            Shape::new(ETH, prio::TOKEN, r"(?-u:\b)0x[0-9a-fA-F]{40}(?-u:\b)"),
        ]
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        if !text::is_alnum_bounded(t, hit.start, hit.end) {
            return;
        }
        let s = hit.as_str(t);
        let near_word = |window| {
            ctx.keywords
                .near(hit.start, hit.end, window, KwSet::of(&[Kw::Crypto]))
        };
        if shape == ETH {
            // The zero address and other runs of one digit are no one's.
            let one_digit = s
                .as_bytes()
                .get(2..)
                .is_some_and(|d| d.iter().all(|&c| Some(&c) == d.first()));
            let score = match eip55::case(s) {
                Some(Case::Checksummed) if near_word(48) => 0.99,
                Some(Case::Checksummed) => 0.95,
                // Unchecked: a wallet word shortly before it.
                Some(Case::Unchecked)
                    if !one_digit && ctx.kw_before(hit.start, 24, KwSet::of(&[Kw::Crypto])) =>
                {
                    0.85
                }
                _ => return,
            };
            out.push(
                t,
                PendingFinding::new(EntityType::Crypto, hit.start, hit.end, score, "crypto.eth")
                    .subtype("ethereum"),
            );
            return;
        }
        let subtype = match shape {
            BASE58 => match base58::btc_version(s) {
                Some(0x00) => "p2pkh",
                Some(0x05) => "p2sh",
                _ => return,
            },
            _ => {
                if !bech32::is_segwit_address(s) {
                    return;
                }
                if s.as_bytes().get(3).is_some_and(|&b| b == b'q' || b == b'Q') {
                    "bech32"
                } else {
                    "bech32m"
                }
            }
        };
        let score = if near_word(48) { 0.99 } else { 0.95 };
        out.push(
            t,
            PendingFinding::new(EntityType::Crypto, hit.start, hit.end, score, "crypto.btc")
                .subtype(subtype),
        );
    }
}
