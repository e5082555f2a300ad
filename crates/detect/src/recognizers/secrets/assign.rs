//! Contextual secrets: values assigned to credential-named keys
//! (`password = "…"`, `DB_PASSWORD=…`, `"apiKey": "…"`,
//! `os.environ.get("SECRET", "…")`, `aws_secret_access_key: …`) and values
//! introduced in prose (`Authorization: Bearer …`, `the token is …`).
//! The span is the value only (no quotes). Values are gated by shape:
//! placeholders, references, hashes, ids and code expressions are dropped.

use super::tokens::{aws_secret_shape, emit};
use super::util::{
    class_count, classes, contains_ci, entropy, is_known_non_secret, is_lower_hex, is_placeholder,
};
use crate::engine::{Ctx, Hit, Out};

/// What the key name says the value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Password,
    AwsSecret,
    TwilioAuth,
    Generic,
}

/// How the value was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intro {
    /// `key = value`, `key: value`, `"key": "value"`, …
    Assigned,
    /// `Bearer value`, `the token is value`, `with credential value`.
    Prose,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Prefixes of tokens that their own recognizers handle.
const HANDLED_PREFIXES: &[&[u8]] = &[
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"glpat-",
    b"xox",
    b"sk_live_",
    b"rk_live_",
    b"sk_test_",
    b"rk_test_",
    b"sk-",
    b"AKIA",
    b"ASIA",
    b"AIza",
    b"SG.",
    b"npm_",
    b"pypi-",
    b"eyJ",
    b"-----BEGIN",
    b"hf_",
    b"https://hooks.slack.com",
];

/// Handles a credential word (`password`, `secret`, `token`, …) at
/// `start..end`.
pub(super) fn keyword(start: usize, end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    // The identifier around the word.
    let mut i0 = start;
    while i0 > 0 && start - i0 < 64 && b.get(i0 - 1).is_some_and(|&c| is_ident(c)) {
        i0 -= 1;
    }
    let mut i1 = end;
    while i1 < b.len() && i1 - end < 64 && b.get(i1).is_some_and(|&c| is_ident(c)) {
        i1 += 1;
    }
    // Trailing dots/dashes are punctuation (`password.` in prose).
    while i1 > end && matches!(b.get(i1 - 1), Some(b'.' | b'-')) {
        i1 -= 1;
    }
    let Some(ident) = b.get(i0..i1) else { return };
    let Some(kind) = key_kind(ident) else { return };
    if let Some((mut v0, mut v1, mut quoted)) = assigned_value(b, i0, i1) {
        // `Authorization: Basic …` / `Bearer …` / `Token …`: the credential
        // follows the scheme word.
        let scheme = b.get(v0..v1).unwrap_or(&[]);
        if [b"basic".as_slice(), b"bearer", b"token", b"digest"]
            .iter()
            .any(|w| scheme.eq_ignore_ascii_case(w))
        {
            let is_basic = scheme.eq_ignore_ascii_case(b"basic");
            let Some((w0, w1)) = after_scheme(b, v0, v1, quoted) else {
                return;
            };
            if is_basic {
                basic_auth(w0, w1, ctx, out);
                return;
            }
            (v0, v1, quoted) = (w0, w1, false);
        }
        // A URL query parameter (`?token=…`): one-time links and ids are
        // part of the URL; only long machine tokens count.
        if matches!(i0.checked_sub(1).and_then(|k| b.get(k)), Some(b'?' | b'&')) {
            let long_random = b
                .get(v0..v1)
                .is_some_and(|v| v.len() >= 20 && random_shape(v));
            if !long_random {
                return;
            }
        }
        judge(kind, Intro::Assigned, quoted, v0, v1, ctx, out);
        return;
    }
    if let Some((v0, v1)) = prose_value(b, i1, ident) {
        judge(kind, Intro::Prose, false, v0, v1, ctx, out);
    }
}

/// The token after `Basic `/`Bearer ` inside a (possibly quoted) value.
fn after_scheme(b: &[u8], v0: usize, v1: usize, quoted: bool) -> Option<(usize, usize)> {
    let mut p = v1;
    if b.get(p) != Some(&b' ') {
        return None;
    }
    p = skip_spaces(b, p);
    let _ = (v0, quoted);
    let (w0, w1, _) = read_value(b, p)?;
    Some((w0, w1))
}

/// `Basic <base64(user:password)>`.
fn basic_auth(v0: usize, v1: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    use base64::Engine as _;
    let Some(v) = ctx.text.as_bytes().get(v0..v1) else {
        return;
    };
    if v.len() < 8 || v.len() > 512 || is_placeholder(v) {
        return;
    }
    let mut buf = [0u8; 400];
    let Ok(n) = base64::engine::general_purpose::STANDARD.decode_slice(v, &mut buf) else {
        return;
    };
    let Some(d) = buf.get(..n) else { return };
    let Some(colon) = memchr::memchr(b':', d) else {
        return;
    };
    let pw = d.get(colon + 1..).unwrap_or(&[]);
    if pw.is_empty() || !d.iter().all(|c| c.is_ascii_graphic() || *c == b' ') || is_placeholder(pw)
    {
        return;
    }
    emit(
        ctx,
        out,
        v0,
        v1,
        0.85,
        "basic_auth_credentials",
        "secret-basic-auth",
    );
}

/// Password words in other languages (matched as anchors too).
pub(super) const FOREIGN_PASSWORD_WORDS: &[&str] = &[
    "passwort",
    "kennwort",
    "wachtwoord",
    "contraseña",
    "contrasena",
    "senha",
    "mot de passe",
    "mot_de_passe",
    "motdepasse",
    "lösenord",
    "losenord",
    "adgangskode",
    "salasana",
    "hasło",
    "haslo",
    "heslo",
    "jelszó",
    "пароль",
    "密码",
    "密碼",
    "パスワード",
    "비밀번호",
    "şifre",
    "sifre",
    "mật khẩu",
    "kata sandi",
    "katasandi",
];

/// Classifies a key name (ASCII case-insensitive, separators ignored).
fn key_kind(ident: &[u8]) -> Option<KeyKind> {
    if FOREIGN_PASSWORD_WORDS
        .iter()
        .any(|w| contains_ci(ident, w.as_bytes()))
    {
        return Some(KeyKind::Password);
    }
    let mut buf = [0u8; 128];
    let mut n = 0;
    for &c in ident {
        if c.is_ascii_alphanumeric() {
            if let Some(slot) = buf.get_mut(n) {
                *slot = c.to_ascii_lowercase();
                n += 1;
            }
        }
    }
    let k = buf.get(..n)?;
    let has = |w: &[u8]| memchr::memmem::find(k, w).is_some();
    // Names of things about a secret, not the secret.
    const NOT_VALUE: &[&[u8]] = &[
        b"id",
        b"name",
        b"url",
        b"uri",
        b"path",
        b"file",
        b"type",
        b"length",
        b"len",
        b"count",
        b"hash",
        b"digest",
        b"checksum",
        b"header",
        b"expiry",
        b"expires",
        b"expiration",
        b"ttl",
        b"endpoint",
        b"policy",
        b"field",
        b"prompt",
        b"label",
        b"regex",
        b"pattern",
        b"ref",
        b"arn",
        b"version",
        b"format",
        b"mode",
        b"method",
        b"limit",
        b"size",
        b"used",
        b"usage",
        b"tokens",
        b"min",
        b"max",
        b"reset",
        b"strength",
        b"hint",
        b"enabled",
        b"required",
    ];
    if NOT_VALUE.iter().any(|w| k.ends_with(w)) && !k.ends_with(b"pwd") {
        return None;
    }
    const NOT_KEYS: &[&[u8]] = &[
        b"author",
        b"oauthclientid",
        b"tokenizer",
        b"maxtokens",
        b"secretary",
        b"authority",
        b"authenticat",
        b"authoriz",
        b"bypass",
        b"passport",
        b"compass",
        b"passenger",
        b"passive",
        b"passage",
        b"publishable",
        b"public",
    ];
    if NOT_KEYS.iter().any(|w| has(w)) && !(has(b"bearer") || k == b"authorization") {
        return None;
    }
    if has(b"secretaccesskey") || has(b"awssecret") {
        return Some(KeyKind::AwsSecret);
    }
    // A bare `pass` (boarding pass, first pass) is a weak hint.
    if k == b"pass" {
        return Some(KeyKind::Generic);
    }
    if has(b"password")
        || has(b"passwd")
        || has(b"pwd")
        || has(b"passphrase")
        || k.ends_with(b"pass")
    {
        return Some(KeyKind::Password);
    }
    if has(b"twilio") && has(b"token") {
        return Some(KeyKind::TwilioAuth);
    }
    if has(b"secret")
        || has(b"token")
        || has(b"apikey")
        || has(b"accesskey")
        || has(b"auth")
        || has(b"credential")
        || has(b"bearer")
        || has(b"passing")
        || k == b"keyis"
        || has(b"privatekey")
        || has(b"signingkey")
    {
        return Some(KeyKind::Generic);
    }
    None
}

/// `ident <sep> value` forms. Returns the value range and whether it was
/// quoted.
fn assigned_value(b: &[u8], i0: usize, i1: usize) -> Option<(usize, usize, bool)> {
    let mut p = i1;
    // `<password>value</password>`
    if i0 > 0 && b.get(i0 - 1) == Some(&b'<') && b.get(i1) == Some(&b'>') {
        let v0 = i1 + 1;
        let len = b
            .get(v0..)?
            .iter()
            .take(256)
            .position(|&c| c == b'<' || c == b'\n')?;
        return (len > 0).then_some((v0, v0 + len, true));
    }
    let open_quote = i0.checked_sub(1).and_then(|k| b.get(k)).copied();
    let key_quoted = matches!(open_quote, Some(b'"' | b'\'' | b'`'));
    // A closing quote (or escaped quote) after a quoted key.
    if key_quoted && b.get(p) == open_quote.as_ref() {
        p += 1;
        // An XML element's value attribute after the key's (`<add
        // key="ApiSecret" value="…"/>`, `<property name="db.password"
        // value="…"/>`).
        let q = skip_spaces(b, p);
        if b.get(q..q + 5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"value"))
        {
            let r = skip_spaces(b, q + 5);
            if b.get(r) == Some(&b'=') {
                return read_value(b, skip_spaces(b, r + 1));
            }
        }
    } else if b.get(p) == Some(&b'\\') && b.get(p + 1) == Some(&b'"') {
        p += 2;
    }
    if b.get(p) == Some(&b']') {
        p += 1;
    }
    p = skip_spaces(b, p);
    let sep_ok = match (b.get(p), b.get(p + 1)) {
        (Some(b':'), Some(b'=')) | (Some(b'='), Some(b'>')) | (Some(b'='), Some(b'=')) => {
            p += 2;
            true
        }
        (Some(b'=' | b':'), _) => {
            p += 1;
            true
        }
        // `get("KEY", "default")`: a quoted key inside a call.
        (Some(b','), _) if key_quoted && i0 >= 2 && b.get(i0 - 2) == Some(&b'(') => {
            p += 1;
            true
        }
        _ => false,
    };
    if !sep_ok {
        return None;
    }
    p = skip_spaces(b, p);
    read_value(b, p)
}

fn skip_spaces(b: &[u8], mut p: usize) -> usize {
    let mut n = 0;
    while n < 16 && matches!(b.get(p), Some(b' ' | b'\t')) {
        p += 1;
        n += 1;
    }
    p
}

/// Reads a quoted or bare value at `p`.
fn read_value(b: &[u8], p: usize) -> Option<(usize, usize, bool)> {
    let q = *b.get(p)?;
    if matches!(q, b'"' | b'\'' | b'`') || (q == b'\\' && b.get(p + 1) == Some(&b'"')) {
        let (v0, esc) = if q == b'\\' {
            (p + 2, true)
        } else {
            (p + 1, false)
        };
        let mut e = v0;
        while e < b.len() && e - v0 <= 512 {
            let c = *b.get(e)?;
            if c == b'\n' || c == b'\r' {
                return None;
            }
            if esc {
                if c == b'\\' && b.get(e + 1) == Some(&b'"') {
                    return Some((v0, e, true));
                }
            } else if c == q {
                return Some((v0, e, true));
            } else if c == b'\\' && q == b'"' {
                // Escapes inside a JSON-ish string: skip the escaped byte.
                e += 1;
            }
            e += 1;
        }
        return None;
    }
    let v0 = p;
    let mut e = v0;
    while e < b.len() && e - v0 <= 256 {
        match b.get(e) {
            Some(c)
                if c.is_ascii_whitespace()
                    || matches!(
                        c,
                        b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'}' | b'<' | b'>'
                    ) =>
            {
                break;
            }
            Some(_) => e += 1,
            None => break,
        }
    }
    (e > v0).then_some((v0, e, false))
}

/// `Bearer value`, `token is value`, `with credential value`, `passing value`.
fn prose_value(b: &[u8], i1: usize, ident: &[u8]) -> Option<(usize, usize)> {
    const WORDS: &[&[u8]] = &[
        b"bearer",
        b"token",
        b"credential",
        b"credentials",
        b"password",
        b"passwd",
        b"secret",
        b"passing",
        b"passphrase",
        b"key",
        b"apikey",
    ];
    // `--password value` on a command line.
    let ident = {
        let d = ident.iter().take_while(|&&c| c == b'-').count();
        ident.get(d..).unwrap_or(ident)
    };
    let mut p = i1;
    // `key is`: the anchor already holds the verb.
    if ident.len() > 3
        && ident
            .get(ident.len() - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case(b" is"))
    {
        p = skip_spaces(b, p);
        let (v0, v1, quoted) = read_value(b, p)?;
        return Some(trim_sentence(b, v0, v1, quoted));
    }
    if !WORDS.iter().any(|w| ident.eq_ignore_ascii_case(w)) {
        return None;
    }
    if b.get(p) != Some(&b' ') {
        return None;
    }
    p = skip_spaces(b, p);
    // Optional `is` / `was` / `=`.
    for w in [
        b"is ".as_slice(),
        b"was ".as_slice(),
        b"= ".as_slice(),
        b"is: ".as_slice(),
    ] {
        if b.get(p..p + w.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(w))
        {
            p = skip_spaces(b, p + w.len());
            break;
        }
    }
    let (v0, v1, quoted) = read_value(b, p)?;
    Some(trim_sentence(b, v0, v1, quoted))
}

/// Drops sentence punctuation after a bare value.
fn trim_sentence(b: &[u8], v0: usize, mut v1: usize, quoted: bool) -> (usize, usize) {
    if !quoted {
        // Sentence punctuation after a bare value.
        while v1 > v0 && matches!(b.get(v1 - 1), Some(b'.' | b':' | b'!' | b'?')) {
            if b.get(v1).is_none_or(|c| c.is_ascii_whitespace()) {
                v1 -= 1;
            } else {
                break;
            }
        }
    }
    (v0, v1)
}

/// Decides whether `v0..v1` is a secret and of which subtype.
fn judge(
    kind: KeyKind,
    intro: Intro,
    quoted: bool,
    v0: usize,
    v1: usize,
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
) {
    let b = ctx.text.as_bytes();
    let Some(v) = b.get(v0..v1) else { return };
    if v.len() < 6 || v.len() > 256 || is_placeholder(v) || is_known_non_secret(v) {
        return;
    }
    // SOPS-encrypted values (`ENC[AES256_GCM,data:…]`) are ciphertext.
    if HANDLED_PREFIXES.iter().any(|p| v.starts_with(p)) || v.starts_with(b"ENC[") {
        return;
    }
    // `Authorization: Basic <base64>` and `Authorization: Bearer <token>`
    // are handled from the scheme word.
    let prose = intro == Intro::Prose;
    // Structured formats first.
    if aws_secret_shape(v) {
        let score = match (kind, intro) {
            (KeyKind::AwsSecret, _) => 0.95,
            (_, Intro::Assigned) => 0.8,
            (_, Intro::Prose) => 0.7,
        };
        emit(
            ctx,
            out,
            v0,
            v1,
            score,
            "aws_secret_access_key",
            "secret-aws-secret",
        );
        return;
    }
    if v.len() == 32 && v.iter().all(|&c| is_lower_hex(c)) {
        let twilio = kind == KeyKind::TwilioAuth
            || ctx
                .text
                .get(v0.saturating_sub(200)..v0)
                .is_some_and(|w| contains_ci(w.as_bytes(), b"twilio"));
        let (sub, score) = if twilio {
            ("twilio_auth_token", 0.9)
        } else if prose {
            ("generic_secret", 0.65)
        } else {
            ("generic_secret", 0.75)
        };
        emit(ctx, out, v0, v1, score, sub, "secret-hex32");
        return;
    }
    if let Some(sub) = bot_token_shape(v) {
        emit(ctx, out, v0, v1, 0.9, sub, "secret-bot-token");
        return;
    }
    let looks_random = random_shape(v);
    let looks_password = password_shape(v, quoted || prose);
    match (kind, intro) {
        (KeyKind::Password, Intro::Assigned) if looks_password || looks_random => {
            emit(
                ctx,
                out,
                v0,
                v1,
                0.85,
                "generic_password",
                "secret-password",
            );
        }
        (KeyKind::Password, Intro::Prose) if looks_password && strong_password(v) => {
            emit(
                ctx,
                out,
                v0,
                v1,
                0.75,
                "generic_password",
                "secret-password",
            );
        }
        (_, Intro::Assigned) if looks_random => {
            emit(ctx, out, v0, v1, 0.75, "generic_secret", "secret-generic");
        }
        (_, Intro::Assigned) if quoted && looks_password && strong_password(v) => {
            emit(ctx, out, v0, v1, 0.7, "generic_password", "secret-generic");
        }
        (_, Intro::Prose) if looks_random => {
            emit(ctx, out, v0, v1, 0.65, "generic_secret", "secret-generic");
        }
        (_, Intro::Prose) if looks_password && strong_password(v) => {
            emit(ctx, out, v0, v1, 0.65, "generic_password", "secret-generic");
        }
        _ => {}
    }
}

/// A machine-generated token: long, mixed, high entropy, no spaces.
fn random_shape(v: &[u8]) -> bool {
    if v.len() < 16
        || v.iter()
            .any(|c| c.is_ascii_whitespace() || !c.is_ascii_graphic())
    {
        return false;
    }
    let (lo, up, dg, _) = classes(v);
    let mixed = (lo && up && dg) || (dg && (lo || up) && v.len() >= 20);
    mixed && entropy(v) >= 3.5
}

/// A human-made password: no spaces, several character classes, not a
/// code expression.
fn password_shape(v: &[u8], quoted: bool) -> bool {
    if v.len() < 6
        || v.iter()
            .any(|c| c.is_ascii_whitespace() || !c.is_ascii_graphic())
    {
        return false;
    }
    // Code, not a literal: calls, indexing, attribute paths.
    if !quoted && (v.contains(&b'(') || v.contains(&b'[')) {
        return false;
    }
    if v.iter()
        .all(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b'.')
    {
        return false;
    }
    // File paths.
    if matches!(v.first(), Some(b'/' | b'~')) || v.starts_with(b"./") || v.starts_with(b"C:\\") {
        return false;
    }
    class_count(v) >= 2
}

/// Extra gate where the key does not say "password": letters and digits
/// (or symbols) and some length.
fn strong_password(v: &[u8]) -> bool {
    let (lo, up, dg, sy) = classes(v);
    v.len() >= 10 && (lo || up) && (dg || sy) && (dg as u8 + sy as u8 + lo as u8 + up as u8) >= 3
        || v.len() >= 10 && (lo || up) && dg
}

/// Discord (`M…`.`…`.`…`) and Telegram (`123456:…`) bot tokens.
fn bot_token_shape(v: &[u8]) -> Option<&'static str> {
    let ok = |s: &[u8]| s.iter().all(|&c| super::util::is_b64url(c));
    // Telegram: 6-12 digits, ':', 35 base64url.
    if let Some(c) = memchr::memchr(b':', v) {
        let (d, rest) = v.split_at(c);
        let rest = rest.get(1..).unwrap_or(&[]);
        if (6..=12).contains(&d.len())
            && d.iter().all(u8::is_ascii_digit)
            && rest.len() == 35
            && ok(rest)
        {
            return Some("telegram_bot_token");
        }
    }
    let mut parts = v.split(|&c| c == b'.');
    let (a, m, z) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_none()
        && (23..=28).contains(&a.len())
        && matches!(a.first(), Some(b'M' | b'N' | b'O'))
        && m.len() == 6
        && (27..=40).contains(&z.len())
        && ok(a)
        && ok(m)
        && ok(z)
    {
        return Some("discord_bot_token");
    }
    None
}

/// Bytes that end a value token after a credential word: whitespace,
/// quotes, brackets and list/key separators (`=` is not one: it may sit
/// inside a `name=value` token, which is split later).
fn ends_token(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\''
                | b'`'
                | b','
                | b';'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'<'
                | b'>'
                | b':'
        )
}

/// Random-looking tokens shortly after a credential keyword (`secret`,
/// `token`, `api key`, `password`, …) on the same line, whatever the
/// phrasing between them. Only machine-shaped values qualify here (AWS
/// secret keys, 32-hex tokens, long mixed-case random strings); human
/// passwords need an explicit key or phrase.
///
/// `hits` are the occurrences of credential words (whole words only are
/// used), in text order.
pub(super) fn near_keywords(ctx: &Ctx<'_>, out: &mut Out<'_>, hits: impl Iterator<Item = Hit>) {
    let b = ctx.text.as_bytes();
    let mut last_end = 0;
    for h in hits {
        if h.end < last_end || !crate::text::is_alnum_bounded(ctx.text, h.start, h.end) {
            continue;
        }
        let lim = h.end.saturating_add(120).min(b.len());
        let Some(win) = b.get(h.end..lim) else {
            continue;
        };
        let line = memchr::memchr(b'\n', win).unwrap_or(win.len());
        // Inline data (`data:image/png;base64,…`) and public keys are
        // not secrets.
        let line_text = win.get(..line).unwrap_or(&[]);
        if contains_ci(line_text, b"base64,")
            || contains_ci(line_text, b"ssh-")
            || contains_ci(line_text, b"ecdsa-sha2")
            || contains_ci(line_text, b"public")
            || line_text.windows(4).any(|w| w == b"ENC[")
        {
            continue;
        }
        let mut i = h.end;
        let stop = h.end + line;
        let mut tokens = 0;
        while i < stop && tokens < 8 {
            // Skip separators.
            while i < stop && b.get(i).is_some_and(|&c| ends_token(c) || c == b'=') {
                i += 1;
            }
            let t0 = i;
            while i < stop && b.get(i).is_some_and(|&c| !ends_token(c)) {
                i += 1;
            }
            if i == t0 {
                break;
            }
            tokens += 1;
            let mut t1 = i;
            while t1 > t0 && matches!(b.get(t1 - 1), Some(b'.' | b'!' | b'?')) {
                t1 -= 1;
            }
            // `name=value`: the value.
            let mut t = t0;
            if let Some(k) = b.get(t0..t1).and_then(|v| memchr::memchr(b'=', v)) {
                let head_ident = b.get(t0..t0 + k).is_some_and(|hd| {
                    !hd.is_empty() && hd.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
                });
                if head_ident && b.get(t0 + k + 1).is_some_and(|&c| c != b'=') {
                    t = t0 + k + 1;
                }
            }
            if loose_token(t, t1, ctx, out) {
                last_end = t1;
            }
        }
    }
}

fn loose_token(t0: usize, t1: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) -> bool {
    let Some(v) = ctx.text.as_bytes().get(t0..t1) else {
        return false;
    };
    if v.len() < 16
        || v.len() > 200
        || v.contains(&b'\\')
        || v.first() == Some(&b'-')
        || v.starts_with(b"AAAA")
        || is_placeholder(v)
        || is_known_non_secret(v)
        || HANDLED_PREFIXES.iter().any(|p| v.starts_with(p))
    {
        return false;
    }
    if aws_secret_shape(v) {
        emit(
            ctx,
            out,
            t0,
            t1,
            0.7,
            "aws_secret_access_key",
            "secret-near-keyword",
        );
        return true;
    }
    if v.len() == 32 && v.iter().all(|&c| is_lower_hex(c)) {
        let twilio = ctx
            .text
            .get(t0.saturating_sub(200)..t0)
            .is_some_and(|w| contains_ci(w.as_bytes(), b"twilio"));
        let sub = if twilio {
            "twilio_auth_token"
        } else {
            "generic_secret"
        };
        emit(ctx, out, t0, t1, 0.65, sub, "secret-near-keyword");
        return true;
    }
    let (lo, up, dg, _) = classes(v);
    if v.len() >= 20 && lo && up && dg && random_shape(v) {
        emit(
            ctx,
            out,
            t0,
            t1,
            0.6,
            "generic_secret",
            "secret-near-keyword",
        );
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_kinds() {
        assert_eq!(key_kind(b"REDIS_PASSWORD"), Some(KeyKind::Password));
        assert_eq!(key_kind(b"awsSecretAccessKey"), Some(KeyKind::AwsSecret));
        assert_eq!(key_kind(b"twilioAuthToken"), Some(KeyKind::TwilioAuth));
        assert_eq!(key_kind(b"api_token"), Some(KeyKind::Generic));
        assert_eq!(key_kind(b"password_hash"), None);
        assert_eq!(key_kind(b"max_tokens"), None);
        assert_eq!(key_kind(b"author"), None);
    }

    #[test]
    fn shapes() {
        assert!(password_shape(b"Harbor%1121cobalt", false));
        assert!(!password_shape(b"self.password", false));
        assert!(!password_shape(b"get_pw()", false));
        assert!(random_shape(b"hW69EvOHI8Uws6LmPDh2qP"));
        assert!(!random_shape(b"hello-world-again"));
    }
}
