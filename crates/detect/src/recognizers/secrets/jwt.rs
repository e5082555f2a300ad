//! JSON Web Tokens: three base64url segments whose header decodes to a JSON
//! object with an `"alg"` member.

use base64::Engine as _;

use super::tokens::emit;
use super::util::{is_b64url, run_end};
use crate::engine::{Ctx, Out};

/// Handles `eyJ` at `start`.
pub(super) fn jwt(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if b.get(start..start + 3) != Some(b"eyJ".as_slice()) {
        return;
    }
    if start > 0 && b.get(start - 1).is_some_and(|&c| is_b64url(c) || c == b'.') {
        return;
    }
    let h_end = run_end(b, start, 1024, is_b64url);
    if h_end - start > 1024 || b.get(h_end) != Some(&b'.') {
        return;
    }
    let p0 = h_end + 1;
    let p_end = run_end(b, p0, 16 * 1024, is_b64url);
    if p_end - p0 < 4 || b.get(p_end) != Some(&b'.') {
        return;
    }
    let s0 = p_end + 1;
    let s_end = run_end(b, s0, 2048, is_b64url);
    if b.get(s_end) == Some(&b'.') && b.get(s_end + 1).is_some_and(|&c| is_b64url(c)) {
        // More segments: a JWE or something else (a dot before a space or
        // the end ends the sentence).
        return;
    }
    let Some(header) = b.get(start..h_end) else {
        return;
    };
    if !header_ok(header) {
        return;
    }
    let sig = s_end - s0;
    let (end, score) = if sig >= 16 {
        (s_end, 0.97)
    } else if sig == 0 {
        // Unsigned (`alg: none`) token: still a bearer credential.
        (p_end + 1, 0.7)
    } else {
        return;
    };
    emit(ctx, out, start, end, score, "jwt", "secret-jwt");
}

/// Whether a base64url JOSE header decodes to a JSON object with `"alg"`.
fn header_ok(h: &[u8]) -> bool {
    let mut buf = [0u8; 768];
    let Ok(n) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode_slice(h, &mut buf) else {
        return false;
    };
    let Some(d) = buf.get(..n) else { return false };
    let first = d.iter().find(|c| !c.is_ascii_whitespace());
    first == Some(&b'{') && memchr::memmem::find(d, b"\"alg\"").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header() {
        // {"alg":"HS256","typ":"JWT"}
        assert!(header_ok(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
        // {"typ":"JWT"}
        assert!(!header_ok(b"eyJ0eXAiOiJKV1QifQ"));
        assert!(!header_ok(b"eyJ!!"));
    }
}
