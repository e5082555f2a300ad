//! Credentials inside URLs: `scheme://user:password@host` reports the
//! password only, as does a command line's `curl -u user:password`.
//! Template references and empty passwords are not secrets.

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

/// Commands whose `-u` / `--user` flag takes `user:password`.
const USER_COMMANDS: &[&[u8]] = &[b"curl", b"wget", b"http", b"https", b"httpie", b"xh"];
/// Commands whose glued `-pPASSWORD` is the password.
const MYSQL_COMMANDS: &[&[u8]] = &[b"mysql", b"mysqldump", b"mysqladmin", b"mysqlimport"];
/// Commands whose `-p PASSWORD` (a separate argument) is the password:
/// registry logins (with `login` in the same command) and MongoDB's tools.
const LOGIN_COMMANDS: &[&[u8]] = &[
    b"docker", b"podman", b"buildah", b"skopeo", b"nerdctl", b"helm", b"oras",
];
const MONGO_COMMANDS: &[&[u8]] = &[
    b"mongo",
    b"mongosh",
    b"mongodump",
    b"mongorestore",
    b"mongoexport",
    b"mongoimport",
];
/// Commands whose `-a PASSWORD` / `-P PASSWORD` is the password.
const REDIS_COMMANDS: &[&[u8]] = &[b"redis-cli"];
const SQLCMD_COMMANDS: &[&[u8]] = &[b"sqlcmd", b"bcp", b"osql"];

/// Whether the line of `text` before `start` runs one of `commands` (a
/// word of its own, also after a backtick, `$(`, or a quote).
fn line_runs(b: &[u8], start: usize, commands: &[&[u8]]) -> bool {
    let line0 = memchr::memrchr(b'\n', b.get(..start).unwrap_or(&[])).map_or(0, |i| i + 1);
    b.get(line0..start)
        .unwrap_or(&[])
        .split(|c| c.is_ascii_whitespace() || matches!(c, b'`' | b'$' | b'(' | b'"' | b'\''))
        .any(|w| commands.iter().any(|c| w.eq_ignore_ascii_case(c)))
}

/// The start of the shell command that holds `start`: after the last line
/// break, `;`, `|` or `&&` before it.
fn command_start(b: &[u8], start: usize) -> usize {
    let head = b.get(..start).unwrap_or(&[]);
    let mut i = head.len();
    while i > 0 {
        match head.get(i - 1) {
            Some(b'\n' | b';' | b'|') => break,
            Some(b'&') if head.get(i.wrapping_sub(2)) == Some(&b'&') => break,
            _ => i -= 1,
        }
    }
    i
}

/// The command-line argument at `v0` (quoted or not): its range.
fn argument(b: &[u8], at: usize) -> (usize, usize) {
    let quote = b.get(at).copied().filter(|c| matches!(c, b'"' | b'\''));
    let v0 = at + usize::from(quote.is_some());
    let mut v1 = v0;
    while let Some(&c) = b.get(v1) {
        let stop = match quote {
            Some(q) => c == q || c == b'\n',
            None => c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b';'),
        };
        if stop || v1 - v0 > 256 {
            break;
        }
        v1 += 1;
    }
    (v0, v1)
}

/// Whether a flag's value `pw` is a real password: not empty, no uid, no
/// placeholder, no other flag.
fn real_password(pw: &[u8]) -> bool {
    !(pw.is_empty()
        || pw.first() == Some(&b'-')
        || pw.iter().all(u8::is_ascii_digit)
        || is_placeholder(pw)
        || [&b"pass"[..], b"password", b"pwd", b"passwd", b"secret"]
            .iter()
            .any(|w| pw.eq_ignore_ascii_case(w)))
}

/// Whether a flag at `start` starts a word.
fn starts_word(b: &[u8], start: usize) -> bool {
    start == 0 || b.get(start - 1).is_some_and(u8::is_ascii_whitespace)
}

/// The flag from `start` to `end` starts a word and is written in lower
/// case (`-U` and `-P` are other options).
fn flag_ok(b: &[u8], start: usize, end: usize) -> bool {
    starts_word(b, start)
        && b.get(start..end)
            .is_some_and(|f| !f.iter().any(u8::is_ascii_uppercase))
}

/// Handles a `-u ` / `--user ` / `--user=` flag from `start` to `end`, on a
/// line that runs one of [`USER_COMMANDS`] before it: `user:password`
/// reports the password (`docker run -u 1000:1000` and `git push -u
/// origin` run no such command).
pub(super) fn curl_user(start: usize, end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !flag_ok(b, start, end) || !line_runs(b, start, USER_COMMANDS) {
        return;
    }
    let (v0, v1) = argument(b, end);
    let Some(colon) = b.get(v0..v1).and_then(|v| memchr::memchr(b':', v)) else {
        return;
    };
    let p0 = v0 + colon + 1;
    if colon == 0 || !b.get(p0..v1).is_some_and(real_password) {
        return;
    }
    emit(
        ctx,
        out,
        p0,
        v1,
        0.85,
        "basic_auth_password",
        "secret-url-credentials",
    );
}

/// Handles `--password VALUE` (and `--http-password`, `sshpass -p`, …):
/// the value after the space is the password, whatever the command.
pub(super) fn password_flag(start: usize, end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if flag_ok(b, start, end) {
        spaced_password(b, end, ctx, out);
    }
}

/// Handles `-p`: MySQL's glued `-pPASSWORD` on a line that runs one of
/// [`MYSQL_COMMANDS`]; `-p PASSWORD` on a registry login
/// ([`LOGIN_COMMANDS`]) or a MongoDB tool ([`MONGO_COMMANDS`]). Elsewhere
/// `-p` is a port, a parent directory or a prompt.
pub(super) fn dash_p(start: usize, end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    if !flag_ok(b, start, end) {
        return;
    }
    let v0 = match b.get(end) {
        Some(b' ') => {
            // Only within the one command: `docker login … && docker run
            // -p 8080:80` publishes a port.
            let cs = command_start(b, start);
            let cmd = b.get(cs..).unwrap_or(&[]);
            let at = start - cs;
            let login = line_runs(cmd, at, LOGIN_COMMANDS) && line_runs(cmd, at, &[b"login"]);
            if !login && !line_runs(cmd, at, MONGO_COMMANDS) {
                return;
            }
            end + 1
        }
        _ if line_runs(b, start, MYSQL_COMMANDS) => end,
        _ => return,
    };
    spaced_password(b, v0, ctx, out);
}

/// Handles `-a PASSWORD` on a `redis-cli` line and `-P PASSWORD` on a
/// `sqlcmd` / `bcp` line (the flag ends with its space).
pub(super) fn tool_password(start: usize, end: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let b = ctx.text.as_bytes();
    let commands = match b.get(start + 1) {
        Some(b'a') => REDIS_COMMANDS,
        Some(b'P') => SQLCMD_COMMANDS,
        _ => return,
    };
    if starts_word(b, start) && line_runs(b, start, commands) {
        spaced_password(b, end, ctx, out);
    }
}

/// Reports the command-line argument at `v0` (quoted or not) when it is
/// a real password.
fn spaced_password(b: &[u8], v0: usize, ctx: &Ctx<'_>, out: &mut Out<'_>) {
    let (v0, v1) = argument(b, v0);
    if !b.get(v0..v1).is_some_and(real_password) {
        return;
    }
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
