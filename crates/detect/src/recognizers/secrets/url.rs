//! Credentials inside URLs: `scheme://user:password@host` reports the
//! password only. Template references and empty passwords are not secrets.

use super::tokens::emit;
use super::util::is_placeholder;
use crate::engine::{Ctx, Out};

const DB_SCHEMES: &[&[u8]] = &[
    b"postgres",
    b"postgresql",
    b"mysql",
    b"mysql2",
    b"mariadb",
    b"mongodb",
    b"mongodb+srv",
    b"redis",
    b"rediss",
    b"amqp",
    b"amqps",
    b"mssql",
    b"sqlserver",
    b"oracle",
    b"cockroachdb",
    b"clickhouse",
    b"cassandra",
    b"couchdb",
    b"neo4j",
    b"neo4j+s",
    b"bolt",
    b"memcached",
    b"elasticsearch",
    b"influxdb",
    b"jdbc:postgresql",
    b"jdbc:mysql",
    b"postgresql+psycopg2",
    b"postgresql+asyncpg",
    b"mysql+pymysql",
    b"snowflake",
];

/// Handles `://` at `start`.
pub(super) fn url_credentials(start: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    // The scheme before `://`.
    let mut s = start;
    while s > 0 && start - s < 40 {
        match b.get(s - 1) {
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-' | b':') => {
                s -= 1
            }
            _ => break,
        }
    }
    let Some(scheme) = b.get(s..start) else {
        return;
    };
    if scheme.is_empty() || !scheme.first().is_some_and(u8::is_ascii_alphabetic) {
        return;
    }
    // The authority: up to a path, whitespace or a quote.
    let a0 = start + 3;
    let mut e = a0;
    while e < b.len() && e - a0 < 512 {
        match b.get(e) {
            Some(c)
                if c.is_ascii_whitespace()
                    || matches!(c, b'/' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\') =>
            {
                break;
            }
            Some(_) => e += 1,
            None => break,
        }
    }
    let Some(auth) = b.get(a0..e) else { return };
    let Some(at) = memchr::memrchr(b'@', auth) else {
        return;
    };
    let Some(userinfo) = auth.get(..at) else {
        return;
    };
    let Some(colon) = memchr::memchr(b':', userinfo) else {
        return;
    };
    let p0 = a0 + colon + 1;
    let p1 = a0 + at;
    let Some(pw) = b.get(p0..p1) else { return };
    // The host must follow.
    if auth.get(at + 1..).is_none_or(|h| h.is_empty()) {
        return;
    }
    if pw.is_empty()
        || pw.len() > 256
        || is_placeholder(pw)
        || pw.eq_ignore_ascii_case(b"pass")
        || pw.eq_ignore_ascii_case(b"pwd")
    {
        return;
    }
    if pw.contains(&b'{') || pw.contains(&b'}') {
        return;
    }
    let tail = memchr::memrchr(b':', scheme)
        .and_then(|k| scheme.get(k + 1..))
        .unwrap_or(scheme);
    let lower_scheme = |d: &[u8]| scheme.eq_ignore_ascii_case(d) || tail.eq_ignore_ascii_case(d);
    let (subtype, score) = if DB_SCHEMES.iter().any(|d| lower_scheme(d))
        || scheme.len() > 5
            && scheme
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"jdbc:"))
    {
        ("database_url_password", 0.92)
    } else {
        ("url_credentials", 0.85)
    };
    emit(ctx, out, p0, p1, score, subtype, "secret-url-credentials");
}
