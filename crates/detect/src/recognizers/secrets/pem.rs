//! PEM private-key blocks: one span from `-----BEGIN … PRIVATE KEY-----` to
//! the end of the matching `-----END … PRIVATE KEY-----`, whether the block
//! has real newlines, indentation (YAML) or escaped `\n` (JSON strings).
//! Public keys and certificates are not secrets.

use super::tokens::emit;
use crate::engine::{Ctx, Out};

/// How far the END line may be from the BEGIN line.
const MAX_BLOCK: usize = 64 * 1024;

/// Handles `-----BEGIN ` at `start`.
pub(super) fn pem(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let lab0 = start + 11;
    if b.get(start..lab0) != Some(b"-----BEGIN ".as_slice()) {
        return;
    }
    // The label: upper-case words up to the closing dashes.
    let mut i = lab0;
    while i < b.len() && i - lab0 < 40 {
        match b.get(i) {
            Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b' ' => i += 1,
            _ => break,
        }
    }
    let Some(label) = b.get(lab0..i) else { return };
    if b.get(i..i + 5) != Some(b"-----".as_slice()) {
        return;
    }
    let subtype = match label {
        b"RSA PRIVATE KEY" => "private_key_rsa",
        b"EC PRIVATE KEY" => "private_key_ec",
        b"DSA PRIVATE KEY" => "private_key_dsa",
        b"OPENSSH PRIVATE KEY" => "private_key_openssh",
        b"PRIVATE KEY" => "private_key_pkcs8",
        b"ENCRYPTED PRIVATE KEY" => "private_key_encrypted",
        b"PGP PRIVATE KEY BLOCK" => "private_key_pgp",
        b"SSH2 ENCRYPTED PRIVATE KEY" => "private_key_ssh2",
        l if l.ends_with(b"PRIVATE KEY") => "private_key",
        _ => return,
    };
    let body = i + 5;
    let lim = body.saturating_add(MAX_BLOCK).min(b.len());
    let Some(window) = b.get(body..lim) else {
        return;
    };
    // The END marker with the same label.
    let mut pos = 0;
    let mut found = None;
    while let Some(k) = memchr::memmem::find(window.get(pos..).unwrap_or(&[]), b"-----END ") {
        let at = pos + k;
        let l0 = at + 9;
        if window.get(l0..l0 + label.len()) == Some(label)
            && window.get(l0 + label.len()..l0 + label.len() + 5) == Some(b"-----".as_slice())
        {
            found = Some(body + l0 + label.len() + 5);
            break;
        }
        // Another BEGIN before our END: the block is truncated.
        if window
            .get(pos..at)
            .is_some_and(|w| memchr::memmem::find(w, b"-----BEGIN ").is_some())
        {
            break;
        }
        pos = at + 9;
    }
    let (end, score) = match found {
        Some(e) => (e, 0.99),
        None => {
            // Truncated block: take the base64 body that follows.
            let mut e = body;
            while let Some(&c) = b.get(e) {
                let esc = c == b'\\' && matches!(b.get(e + 1), Some(b'n' | b'r'));
                if esc {
                    e += 2;
                } else if c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'+' | b'/' | b'=' | b'\n' | b'\r' | b' ' | b'\t' | b':' | b'-' | b','
                    )
                {
                    e += 1;
                } else {
                    break;
                }
            }
            while e > body && matches!(b.get(e - 1), Some(b'\n' | b'\r' | b' ' | b'\t')) {
                e -= 1;
            }
            if e - body < 64 {
                return;
            }
            (e, 0.9)
        }
    };
    emit(ctx, out, start, end, score, subtype, "secret-pem");
}
