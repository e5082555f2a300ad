//! Provider tokens recognised by their literal prefix: the handler checks
//! the exact case and the left boundary, reads the body after the prefix
//! and checks its alphabet, length and (where there is one) checksum.

use deepsentinel_core::{EntityType, FindingFlags};

use super::util::{
    alnum_at, alnum_before, body_is_filler, is_b64, is_b64url, is_lower_hex, run_end,
};
use crate::engine::{Ctx, Out, PendingFinding};
use crate::validate::github;

/// The alphabet of a token body.
#[derive(Debug, Clone, Copy)]
pub(super) enum Alpha {
    /// `A-Za-z0-9`
    Alnum,
    /// `A-Za-z0-9_-`
    B64Url,
    /// `A-Za-z0-9+/=`
    B64,
    /// `0-9a-f`
    Hex,
    /// `A-Z0-9`
    UpperNum,
}

impl Alpha {
    fn ok(self, b: u8) -> bool {
        match self {
            Alpha::Alnum => b.is_ascii_alphanumeric(),
            Alpha::B64Url => is_b64url(b),
            Alpha::B64 => is_b64(b) || b == b'=',
            Alpha::Hex => is_lower_hex(b),
            Alpha::UpperNum => b.is_ascii_uppercase() || b.is_ascii_digit(),
        }
    }
}

/// A token that is its prefix plus a body of a known alphabet and length.
pub(super) struct Simple {
    pub(super) prefix: &'static str,
    pub(super) subtype: &'static str,
    pub(super) alpha: Alpha,
    pub(super) min: usize,
    pub(super) max: usize,
    pub(super) score: f32,
}

const fn s(
    prefix: &'static str,
    subtype: &'static str,
    alpha: Alpha,
    min: usize,
    max: usize,
    score: f32,
) -> Simple {
    Simple {
        prefix,
        subtype,
        alpha,
        min,
        max,
        score,
    }
}

/// Prefix-format tokens without a special rule.
pub(super) const SIMPLE: &[Simple] = &[
    s("glpat-", "gitlab_pat", Alpha::B64Url, 20, 80, 0.95),
    s(
        "glptt-",
        "gitlab_trigger_token",
        Alpha::B64Url,
        20,
        80,
        0.93,
    ),
    s("gldt-", "gitlab_deploy_token", Alpha::B64Url, 20, 80, 0.93),
    s("glrt-", "gitlab_runner_token", Alpha::B64Url, 20, 80, 0.93),
    s(
        "GR1348941",
        "gitlab_runner_registration_token",
        Alpha::B64Url,
        20,
        40,
        0.9,
    ),
    s("AIza", "google_api_key", Alpha::B64Url, 35, 35, 0.95),
    s(
        "ya29.",
        "google_oauth_access_token",
        Alpha::B64Url,
        30,
        2048,
        0.85,
    ),
    s("npm_", "npm_token", Alpha::Alnum, 36, 36, 0.95),
    s(
        "pypi-AgEIcHlwaS5vcmc",
        "pypi_token",
        Alpha::B64Url,
        50,
        1000,
        0.97,
    ),
    s(
        "pypi-AgENdGVzdC5weXBpLm9yZw",
        "pypi_token",
        Alpha::B64Url,
        50,
        1000,
        0.9,
    ),
    s("hf_", "huggingface_token", Alpha::Alnum, 34, 40, 0.9),
    s("dapi", "databricks_token", Alpha::Hex, 32, 32, 0.9),
    s("dop_v1_", "digitalocean_pat", Alpha::Hex, 64, 64, 0.97),
    s(
        "doo_v1_",
        "digitalocean_oauth_token",
        Alpha::Hex,
        64,
        64,
        0.97,
    ),
    s(
        "dor_v1_",
        "digitalocean_refresh_token",
        Alpha::Hex,
        64,
        64,
        0.97,
    ),
    s("shpat_", "shopify_access_token", Alpha::Hex, 32, 32, 0.95),
    s("shpss_", "shopify_shared_secret", Alpha::Hex, 32, 32, 0.95),
    s(
        "shpca_",
        "shopify_custom_app_token",
        Alpha::Hex,
        32,
        32,
        0.95,
    ),
    s(
        "shppa_",
        "shopify_private_app_token",
        Alpha::Hex,
        32,
        32,
        0.95,
    ),
    s("lin_api_", "linear_api_key", Alpha::Alnum, 40, 40, 0.93),
    s("PMAK-", "postman_api_key", Alpha::B64Url, 55, 64, 0.93),
    s("dp.pt.", "doppler_token", Alpha::Alnum, 40, 50, 0.93),
    s(
        "glsa_",
        "grafana_service_account_token",
        Alpha::B64Url,
        40,
        50,
        0.93,
    ),
    s("glc_", "grafana_cloud_token", Alpha::B64, 32, 400, 0.9),
    s("NRAK-", "newrelic_api_key", Alpha::UpperNum, 27, 27, 0.93),
    s("hvs.", "vault_token", Alpha::B64Url, 24, 200, 0.9),
    s("hvb.", "vault_batch_token", Alpha::B64Url, 24, 300, 0.9),
    s(
        "sq0atp-",
        "square_access_token",
        Alpha::B64Url,
        22,
        22,
        0.93,
    ),
    s(
        "sq0csp-",
        "square_oauth_secret",
        Alpha::B64Url,
        43,
        43,
        0.93,
    ),
    s("EAAA", "square_access_token", Alpha::B64Url, 60, 60, 0.7),
    s(
        "AGE-SECRET-KEY-1",
        "age_secret_key",
        Alpha::UpperNum,
        58,
        58,
        0.97,
    ),
    s("tskey-", "tailscale_key", Alpha::B64Url, 20, 100, 0.9),
    s("gsk_", "groq_api_key", Alpha::Alnum, 52, 52, 0.93),
    s("r8_", "replicate_api_token", Alpha::Alnum, 37, 37, 0.9),
    s("pplx-", "perplexity_api_key", Alpha::Alnum, 48, 48, 0.93),
    s("xai-", "xai_api_key", Alpha::Alnum, 80, 80, 0.93),
    s(
        "ATATT3",
        "atlassian_api_token",
        Alpha::B64Url,
        150,
        300,
        0.93,
    ),
    s("figd_", "figma_token", Alpha::B64Url, 38, 50, 0.9),
    s("pul-", "pulumi_access_token", Alpha::Hex, 40, 40, 0.93),
    s("rubygems_", "rubygems_api_key", Alpha::Hex, 48, 48, 0.95),
    s("dckr_pat_", "docker_hub_pat", Alpha::B64Url, 27, 40, 0.93),
    s("whsec_", "stripe_webhook_secret", Alpha::B64, 32, 64, 0.9),
    s("xapp-", "slack_app_token", Alpha::B64Url, 40, 200, 0.93),
    s("sntrys_", "sentry_token", Alpha::B64, 60, 400, 0.93),
    s("sntryu_", "sentry_user_token", Alpha::Hex, 64, 64, 0.93),
    s(
        "ops_eyJ",
        "onepassword_service_token",
        Alpha::B64Url,
        100,
        2000,
        0.93,
    ),
    s(
        "GOCSPX-",
        "google_oauth_client_secret",
        Alpha::B64Url,
        28,
        28,
        0.95,
    ),
    s("key-", "mailgun_api_key", Alpha::Hex, 32, 32, 0.8),
    s("HRKU-", "heroku_api_key", Alpha::B64Url, 60, 70, 0.9),
    s(
        "AccountKey=",
        "azure_storage_key",
        Alpha::B64,
        40,
        100,
        0.95,
    ),
    s(
        "SharedAccessKey=",
        "azure_shared_access_key",
        Alpha::B64,
        40,
        100,
        0.93,
    ),
];

/// Whether `pos..` starts with `lit` exactly (case-sensitive).
fn exact(bytes: &[u8], pos: usize, lit: &[u8]) -> bool {
    bytes.get(pos..pos + lit.len()) == Some(lit)
}

/// Pushes a finding of `subtype`.
pub(super) fn emit(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    start: usize,
    end: usize,
    score: f32,
    subtype: &'static str,
    rule: &'static str,
) {
    out.push(
        ctx.text,
        PendingFinding::new(EntityType::Secret, start, end, score, rule).subtype(subtype),
    );
}

/// A prefix-format token from [`SIMPLE`].
pub(super) fn simple(sp: &Simple, start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let p = sp.prefix.as_bytes();
    if !exact(b, start, p) {
        return;
    }
    let kv = p.last() == Some(&b'=');
    if !kv && (alnum_before(b, start) || b.get(start.wrapping_sub(1)) == Some(&b'_') && start > 0) {
        return;
    }
    let body = start + p.len();
    let end = run_end(b, body, sp.max, |c| sp.alpha.ok(c));
    let n = end - body;
    if n < sp.min || n > sp.max {
        return;
    }
    if alnum_at(b, end) {
        return;
    }
    let Some(v) = b.get(body..end) else { return };
    if body_is_filler(v) {
        return;
    }
    // Key=value formats report the value only.
    let (s0, s1) = if kv { (body, end) } else { (start, end) };
    emit(ctx, out, s0, s1, sp.score, sp.subtype, "secret-prefix");
}

/// Telegram bot tokens after `api.telegram.org/bot`: `<digits>:<35 chars>`.
pub(super) fn telegram(start: usize, lit_len: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let s0 = start + lit_len;
    let d = run_end(b, s0, 12, |c| c.is_ascii_digit());
    if !(6..=12).contains(&(d - s0)) || b.get(d) != Some(&b':') {
        return;
    }
    let e = run_end(b, d + 1, 35, is_b64url);
    if e - (d + 1) != 35 {
        return;
    }
    emit(
        ctx,
        out,
        s0,
        e,
        0.95,
        "telegram_bot_token",
        "secret-telegram",
    );
}

/// AWS access key ids: a 4-letter resource prefix and 16 upper-case
/// base32 characters. Also looks for the secret access key nearby.
pub(super) fn aws_key_id(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    const PREFIXES: &[&[u8]] = &[
        b"AKIA", b"ASIA", b"ABIA", b"ACCA", b"AGPA", b"AIDA", b"AIPA", b"ANPA", b"ANVA", b"AROA",
        b"APKA", b"ASCA",
    ];
    let b = ctx.text.as_bytes();
    if !PREFIXES.iter().any(|p| exact(b, start, p)) || alnum_before(b, start) {
        return;
    }
    let body = start + 4;
    let end = run_end(b, body, 16, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit()
    });
    if end - body != 16 || alnum_at(b, end) {
        return;
    }
    let Some(v) = b.get(body..end) else { return };
    // AWS's documentation example (`AKIAIOSFODNN7EXAMPLE`) and its kin.
    if super::util::contains_ci(v, b"EXAMPLE") || body_is_filler(v) {
        return;
    }
    let subtype = if exact(b, start, b"AKIA") || exact(b, start, b"ASIA") {
        "aws_access_key_id"
    } else {
        "aws_unique_id"
    };
    let score = if subtype == "aws_access_key_id" {
        0.95
    } else {
        0.75
    };
    emit(ctx, out, start, end, score, subtype, "secret-aws-key-id");
    if subtype == "aws_access_key_id" {
        aws_pair(start, end, ctx, out);
    }
}

/// Standard base64 characters (`A-Za-z0-9+/`) as a table: the pair search
/// below classifies every byte of a 600-byte window.
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
        i += 1;
    }
    t
};

/// A 40-character secret access key within a few lines of a key id.
fn aws_pair(id_start: usize, id_end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let lo = id_start.saturating_sub(300);
    let hi = id_end.saturating_add(300).min(b.len());
    pair_runs(b, lo, hi, |i| {
        if b.get(i..i + 40).is_some_and(aws_secret_shape) {
            emit(
                ctx,
                out,
                i,
                i + 40,
                0.85,
                "aws_secret_access_key",
                "secret-aws-pair",
            );
        }
    });
}

/// Calls `found` with the start of every run of exactly 40 base64
/// characters that starts within `lo..hi` and is not glued to more base64
/// or to `=`, `-`, `_` on either side.
fn pair_runs(b: &[u8], lo: usize, hi: usize, mut found: impl FnMut(usize)) {
    let is_b64 = |c: u8| B64[usize::from(c)];
    let glue = |c: u8| is_b64(c) || c == b'=' || c == b'-' || c == b'_';
    let mut i = lo;
    while i < hi {
        let Some(w) = b.get(i..i + 40) else { break };
        // Skip like Boyer-Moore: a run starting at or before the last
        // non-base64 byte of the 40 ahead would contain it.
        if let Some(q) = w.iter().rposition(|&c| !is_b64(c)) {
            i += q + 1;
            continue;
        }
        let starts_clean = i == 0 || b.get(i - 1).is_some_and(|&p| !glue(p));
        let ends_clean = b.get(i + 40).is_none_or(|&n| !glue(n));
        if starts_clean && ends_clean {
            found(i);
        }
        // The next 40 starts follow a base64 byte: none starts clean.
        i += 41;
    }
}

/// Whether `v` looks like an AWS secret access key: 40 base64 characters
/// with lower, upper and digits, not a doc example.
pub(super) fn aws_secret_shape(v: &[u8]) -> bool {
    if v.len() != 40 || !v.iter().all(|&c| is_b64(c)) {
        return false;
    }
    let (lo, up, dg, _) = super::util::classes(v);
    lo && up && dg && !super::util::contains_ci(v, b"EXAMPLE") && !body_is_filler(v)
}

/// GitHub classic tokens `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 with a
/// CRC32 checksum. A bad checksum means a made-up token: it is kept at a
/// score under the default threshold.
pub(super) fn github_classic(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let Some(pre) = b.get(start..start + 4) else {
        return;
    };
    let subtype = match pre {
        b"ghp_" => "github_pat_classic",
        b"gho_" => "github_oauth",
        b"ghu_" => "github_user_to_server",
        b"ghs_" => "github_server_to_server",
        b"ghr_" => "github_refresh_token",
        _ => return,
    };
    if alnum_before(b, start) {
        return;
    }
    let body = start + 4;
    let end = run_end(b, body, 36, |c| c.is_ascii_alphanumeric());
    if end - body != 36 || b.get(end) == Some(&b'_') {
        return;
    }
    let Some(v) = b.get(body..end) else { return };
    if body_is_filler(v) {
        return;
    }
    let score = if github::classic_checksum_ok(v) {
        0.99
    } else {
        0.4
    };
    emit(ctx, out, start, end, score, subtype, "secret-github");
}

/// GitHub fine-grained PATs: `github_pat_` + 22 + `_` + 59.
pub(super) fn github_fine(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !exact(b, start, b"github_pat_") || alnum_before(b, start) {
        return;
    }
    let body = start + 11;
    let end = run_end(b, body, 120, |c| c.is_ascii_alphanumeric() || c == b'_');
    let n = end - body;
    let Some(v) = b.get(body..end) else { return };
    if !(70..=100).contains(&n) || body_is_filler(v) {
        return;
    }
    let score = if n == 82 && v.get(22) == Some(&b'_') {
        0.98
    } else {
        0.85
    };
    emit(
        ctx,
        out,
        start,
        end,
        score,
        "github_pat_fine_grained",
        "secret-github",
    );
}

/// Slack tokens `xoxb-`/`xoxp-`/`xoxa-`/`xoxr-`/`xoxe-`/`xoxe.xoxp-`.
pub(super) fn slack(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let Some(pre) = b.get(start..start + 5) else {
        return;
    };
    let subtype = match pre {
        b"xoxb-" => "slack_bot_token",
        b"xoxp-" => "slack_user_token",
        b"xoxa-" => "slack_app_access_token",
        b"xoxr-" => "slack_refresh_token",
        b"xoxe-" | b"xoxe." => "slack_config_token",
        b"xoxs-" => "slack_session_token",
        _ => return,
    };
    if alnum_before(b, start) {
        return;
    }
    let end = run_end(b, start + 5, 300, |c| {
        c.is_ascii_alphanumeric() || c == b'-' || c == b'.'
    });
    // Trailing dashes/dots are punctuation.
    let mut e = end;
    while e > start && matches!(b.get(e - 1), Some(b'-' | b'.')) {
        e -= 1;
    }
    let Some(v) = b.get(start + 5..e) else { return };
    // The body starts with a numeric workspace/version id.
    let digits = v.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || v.len() < 20 || body_is_filler(v) {
        return;
    }
    let score = if digits >= 8 { 0.97 } else { 0.9 };
    emit(ctx, out, start, e, score, subtype, "secret-slack");
}

/// Slack webhooks: the whole `https://hooks.slack.com/services/T…/B…/…`.
pub(super) fn slack_webhook(start: usize, lit_len: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let s0 = if start >= 8 && exact(b, start - 8, b"https://") {
        start - 8
    } else if start >= 7 && exact(b, start - 7, b"http://") {
        start - 7
    } else {
        start
    };
    let body = start + lit_len;
    let end = run_end(b, body, 200, |c| {
        c.is_ascii_alphanumeric() || c == b'/' || c == b'_' || c == b'-'
    });
    let Some(v) = b.get(body..end) else { return };
    let mut e = end;
    while e > body && matches!(b.get(e - 1), Some(b'/' | b'-' | b'_')) {
        e -= 1;
    }
    let segs = v.split(|&c| c == b'/').filter(|s| !s.is_empty()).count();
    if segs < 2 || e - body < 20 || body_is_filler(v) {
        return;
    }
    emit(
        ctx,
        out,
        s0,
        e,
        0.96,
        "slack_webhook_url",
        "secret-slack-webhook",
    );
}

/// Stripe secret and restricted keys (`sk_live_`, `rk_live_`, `_test_`).
pub(super) fn stripe(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let Some(pre) = b.get(start..start + 8) else {
        return;
    };
    let (subtype, test) = match pre {
        b"sk_live_" => ("stripe_secret_key", false),
        b"rk_live_" => ("stripe_restricted_key", false),
        b"sk_test_" => ("stripe_secret_key", true),
        b"rk_test_" => ("stripe_restricted_key", true),
        _ => return,
    };
    if alnum_before(b, start) {
        return;
    }
    let end = run_end(b, start + 8, 247, |c| c.is_ascii_alphanumeric());
    let Some(v) = b.get(start + 8..end) else {
        return;
    };
    if !(20..=247).contains(&v.len()) || b.get(end) == Some(&b'_') || body_is_filler(v) {
        return;
    }
    let mut f = PendingFinding::new(
        EntityType::Secret,
        start,
        end,
        if test { 0.8 } else { 0.97 },
        "secret-stripe",
    )
    .subtype(subtype);
    if test {
        f = f.flags(FindingFlags::TEST_VALUE);
    }
    out.push(ctx.text, f);
}

/// `sk-…` keys: Anthropic `sk-ant-…`, OpenAI `sk-proj-`/`sk-svcacct-`/
/// `sk-admin-`/legacy `sk-…T3BlbkFJ…`, OpenRouter `sk-or-v1-`, and other
/// long random `sk-` keys.
pub(super) fn sk(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !exact(b, start, b"sk-")
        || alnum_before(b, start)
        || b.get(start.wrapping_sub(1)) == Some(&b'-') && start > 0
    {
        return;
    }
    let rest = start + 3;
    let end = run_end(b, rest, 400, is_b64url);
    let mut e = end;
    while e > rest && b.get(e - 1) == Some(&b'-') {
        e -= 1;
    }
    let Some(v) = b.get(rest..e) else { return };
    if v.len() > 400 || body_is_filler(v) {
        return;
    }
    let has_openai_marker = super::util::contains_ci(v, b"T3BlbkFJ");
    let (subtype, score) = if v.starts_with(b"ant-") {
        if v.len() >= 90 {
            ("anthropic_api_key", 0.98)
        } else if v.len() >= 40 {
            ("anthropic_api_key", 0.85)
        } else {
            return;
        }
    } else if v.starts_with(b"or-v1-") {
        if v.len() == 70 {
            ("openrouter_api_key", 0.95)
        } else {
            return;
        }
    } else if v.starts_with(b"proj-")
        || v.starts_with(b"svcacct-")
        || v.starts_with(b"admin-")
        || v.starts_with(b"None-")
    {
        if v.len() >= 40 {
            (
                "openai_api_key",
                if has_openai_marker { 0.99 } else { 0.95 },
            )
        } else {
            return;
        }
    } else if has_openai_marker && v.len() >= 40 {
        ("openai_api_key", 0.99)
    } else if v.len() >= 32 && v.iter().all(u8::is_ascii_alphanumeric) {
        let (lo, up, dg, _) = super::util::classes(v);
        let mixed = (lo && up && dg) || (v.len() == 32 && v.iter().all(|&c| is_lower_hex(c)));
        if !mixed {
            return;
        }
        if v.len() == 48 {
            ("openai_api_key", 0.9)
        } else {
            ("api_key_sk", 0.8)
        }
    } else {
        return;
    };
    emit(ctx, out, start, e, score, subtype, "secret-sk");
}

/// SendGrid: `SG.` + 22 + `.` + 43.
pub(super) fn sendgrid(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !exact(b, start, b"SG.") || alnum_before(b, start) {
        return;
    }
    let a = start + 3;
    let ae = run_end(b, a, 22, is_b64url);
    if ae - a != 22 || b.get(ae) != Some(&b'.') {
        return;
    }
    let be = run_end(b, ae + 1, 43, is_b64url);
    if be - (ae + 1) != 43 || alnum_at(b, be) {
        return;
    }
    let Some(v) = b.get(a..be) else { return };
    if body_is_filler(v) {
        return;
    }
    emit(
        ctx,
        out,
        start,
        be,
        0.98,
        "sendgrid_api_key",
        "secret-sendgrid",
    );
}

/// Twilio API key SIDs: `SK` + 32 lower-case hex.
pub(super) fn twilio_sk(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !exact(b, start, b"SK")
        || alnum_before(b, start)
        || b.get(start.wrapping_sub(1)) == Some(&b'_') && start > 0
    {
        return;
    }
    let end = run_end(b, start + 2, 32, is_lower_hex);
    if end - (start + 2) != 32 || alnum_at(b, end) {
        return;
    }
    let Some(v) = b.get(start + 2..end) else {
        return;
    };
    if body_is_filler(v) {
        return;
    }
    emit(ctx, out, start, end, 0.9, "twilio_api_key", "secret-twilio");
}

/// Azure AD (Entra ID) client secrets: 3 characters, a digit, `Q~`, then
/// 31-34 characters of `A-Za-z0-9_~.-`.
pub(super) fn azure_ad_secret(q: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if b.get(q..q + 2) != Some(b"Q~".as_slice()) || q < 4 {
        return;
    }
    let set = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'~' | b'.' | b'-');
    let start = q - 4;
    if !b.get(q - 1).is_some_and(u8::is_ascii_digit)
        || !b
            .get(start..q - 1)
            .is_some_and(|h| h.iter().all(|&c| set(c)))
        || start > 0 && b.get(start - 1).is_some_and(|&c| set(c))
    {
        return;
    }
    let end = run_end(b, q + 2, 34, set);
    let n = end - (q + 2);
    let Some(v) = b.get(q + 2..end) else { return };
    if !(31..=34).contains(&n) || body_is_filler(v) {
        return;
    }
    let (lo, up, dg, _) = super::util::classes(v);
    if !(lo && up && dg) {
        return;
    }
    emit(
        ctx,
        out,
        start,
        end,
        0.85,
        "azure_ad_client_secret",
        "secret-azure-ad",
    );
}

/// Discord webhooks: the whole `https://discord.com/api/webhooks/<id>/<token>`.
pub(super) fn discord_webhook(start: usize, lit_len: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let s0 = if start >= 8 && exact(b, start - 8, b"https://") {
        start - 8
    } else {
        start
    };
    let id0 = start + lit_len;
    let id1 = run_end(b, id0, 20, |c| c.is_ascii_digit());
    if !(17..=20).contains(&(id1 - id0)) || b.get(id1) != Some(&b'/') {
        return;
    }
    let t1 = run_end(b, id1 + 1, 100, is_b64url);
    let Some(v) = b.get(id1 + 1..t1) else { return };
    if !(60..=80).contains(&v.len()) || body_is_filler(v) {
        return;
    }
    emit(
        ctx,
        out,
        s0,
        t1,
        0.95,
        "discord_webhook_url",
        "secret-discord-webhook",
    );
}

#[cfg(test)]
mod tests {
    use super::super::util::{is_b64, run_end};
    use super::pair_runs;

    /// `pair_runs` finds what a plain walk over the window's tokens finds.
    #[test]
    fn pair_runs_match_a_plain_walk() {
        fn plain(b: &[u8], lo: usize, hi: usize) -> Vec<usize> {
            let glue = |c: u8| is_b64(c) || c == b'=' || c == b'-' || c == b'_';
            let mut v = Vec::new();
            let mut i = lo;
            while i < hi {
                if !is_b64(b[i]) {
                    i += 1;
                    continue;
                }
                let e = run_end(b, i, 64, is_b64);
                let sc = i == 0 || !glue(b[i - 1]);
                let ec = b.get(e).is_none_or(|&n| !glue(n));
                if e - i == 40 && sc && ec {
                    v.push(i);
                }
                i = e.max(i + 1);
            }
            v
        }
        let mut rng = crate::testrand::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: usize| rng.below(m);
        let mut total = 0;
        for round in 0..3000 {
            // Tokens of base64 (often about 40 long) between separators.
            let mut b = Vec::new();
            while b.len() < 150 + round % 200 {
                let n = [1, 5, 39, 40, 40, 41, 65, 70][next(8)];
                for _ in 0..n {
                    b.push(b"aZ09+/"[next(6)]);
                }
                b.push(b" .=-_\n"[next(6)]);
            }
            // Sometimes a run ends the text.
            if round % 5 == 0 {
                b.pop();
            }
            let len = b.len();
            let lo = round % 7;
            let hi = len - round % 11;
            let mut got = Vec::new();
            pair_runs(&b, lo, hi, |i| got.push(i));
            assert_eq!(got, plain(&b, lo, hi), "round {round}");
            total += got.len();
        }
        assert!(total > 100, "only {total} keys: the test sees too few");
    }
}
