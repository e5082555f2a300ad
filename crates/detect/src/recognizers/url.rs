//! URL: `scheme://…` for the common schemes and `www.`-prefixed links,
//! the whole URL with path, query and fragment; trailing sentence
//! punctuation and unbalanced closing brackets are left out. Bare domains
//! (`example.com`) are not reported: they are too easily confused with
//! file names (`main.rs`, `setup.py`).

use deepsentinel_core::EntityType;

use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;

pub(crate) struct Url;

const SCHEME: u32 = 0;
const WWW: u32 = 1;

/// Characters a URL shape runs over before its query: anything but
/// whitespace, `<>"`, backticks, `|\^` (never in a URL; `|` delimits table
/// fields, `^` HL7 components, so the shape must not hide the values
/// after them) and `,`: in a record a comma ends a URL far more often than
/// it is part of one (a CSV row `https://x.example/a.html,bc1q…` goes on
/// with the next field). The handler cuts the match at the first
/// character a URL cannot hold. (A broad negated class keeps the shared
/// lazy DFA small; an exact RFC 3986 class overlaps every other token
/// shape.)
const URL_PATH: &str = r#"[^\s<>"`|\\^,?]"#;

/// The query (after `?`): also a comma, but not before a digit or a
/// capital (`?fields=id,name` keeps its list; `?id=7,9434765919` and
/// `?id=7,Z4154505547` end at the comma, the next CSV field).
const URL_QUERY: &str = r#"\?(?:[^\s<>"`|\\^,]|,[^\s<>"`|\\^,0-9A-Z])*"#;

impl Module for Url {
    fn name(&self) -> &'static str {
        "url"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::Url]
    }

    fn shapes(&self) -> Vec<Shape> {
        let schemes = "https?|ftps?|sftp|wss?|file|ssh|git|svn|rsync|s3|gs|hdfs|smb|nfs|\
                       telnet|ldaps?|rtsp|rtmp|irc|ircs|mms|webdav|dav|\
                       postgres(?:ql)?|mysql|mariadb|mssql|sqlserver|oracle|mongodb(?:\\+srv)?|\
                       redis|rediss|amqps?|mqtts?|kafka|nats|cassandra|couchdb|neo4j|\
                       jdbc:[a-z0-9]+|http\\+unix|git\\+https?|git\\+ssh|svn\\+ssh";
        vec![
            Shape::new(
                SCHEME,
                prio::URL,
                format!(r"(?i:{schemes})://{URL_PATH}+(?:{URL_QUERY})?"),
            ),
            Shape::new(
                WWW,
                prio::URL,
                format!(r"(?i:www)\.[A-Za-z0-9\-]+\.[A-Za-z]{{2,}}{URL_PATH}*(?:{URL_QUERY})?"),
            ),
        ]
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        // Not glued to a preceding word (`xhttp://`), nor a `www.` inside a
        // longer host or path.
        if text::char_before(t, hit.start).is_some_and(|c| {
            c.is_alphanumeric() || (shape == WWW && matches!(c, '.' | '/' | '@' | '-'))
        }) {
            return;
        }
        let s = hit.as_str(t);
        // Cut at the first character that cannot be part of a URL:
        // controls, `|\^`, and non-ASCII that is not a letter or digit
        // (curly quotes, CJK punctuation). Braces stay for templates
        // (`postgres://u:${DB_PASSWORD}@host`, `/users/{id}`).
        let s = match s.char_indices().find(|&(_, c)| {
            c.is_control()
                || matches!(c, '|' | '\\' | '^')
                || (!c.is_ascii() && !c.is_alphanumeric())
        }) {
            Some((i, _)) => s.get(..i).unwrap_or(""),
            None => s,
        };
        let field = field_len(s, text::char_before(t, hit.start));
        if field < s.len() {
            // The next field is searched on its own: `…?x=1,jane@corp.example`.
            out.resume_at(hit.start + field);
        }
        let s = s.get(..field).unwrap_or(s);
        let end = hit.start + trimmed_len(s);
        let Some(url) = t.get(hit.start..end) else {
            return;
        };
        // Something must follow the scheme (a host, or a path for file:).
        let rest = match url.find("://") {
            Some(i) => url.get(i + 3..).unwrap_or(""),
            None => url,
        };
        let host_ok = rest
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'[')
            || (rest.starts_with('/')
                && url.len() > 8
                && url
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("file:")));
        if !host_ok {
            return;
        }
        // Placeholders in docs (`http://...`, `https://<host>`) fail the
        // host check above; `http://localhost` and IPs are real URLs.
        out.push(
            t,
            PendingFinding::new(EntityType::Url, hit.start, end, 0.9, "url")
                .subtype(if shape == WWW { "www" } else { "scheme" }),
        );
    }
}

/// The length of the URL `s` within its record field: a URL that starts a
/// comma- or semicolon-separated field ends at the next separator (an
/// unquoted CSV field holds none), and a separator followed by an item
/// with an `@` starts the next field (`?x=1,jane@corp.example`,
/// `/p;jane@corp.example`: an e-mail address, not a list value or a path
/// parameter). Commas only matter in the query: the shape ends at one in
/// the path.
fn field_len(s: &str, before: Option<char>) -> usize {
    let b = s.as_bytes();
    let find = |from: usize, to: usize, set: &[u8]| {
        b.get(from..to)
            .and_then(|r| r.iter().position(|x| set.contains(x)))
            .map(|i| from + i)
    };
    let end = match before {
        Some(sep @ (',' | ';')) => find(0, b.len(), &[sep as u8]).unwrap_or(b.len()),
        _ => b.len(),
    };
    let mut at = 0;
    while let Some(sep) = find(at, end, b",;") {
        let item_end = find(sep + 1, end, b",;&=/?").unwrap_or(end);
        let item = b.get(sep + 1..item_end).unwrap_or(&[]);
        if item.contains(&b'@') {
            return sep;
        }
        at = sep + 1;
    }
    end
}

/// The length of `s` without trailing punctuation that ends the sentence
/// or closes a bracket / quote opened before the URL.
fn trimmed_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(&last) = b.get(end.wrapping_sub(1)) {
        if end == 0 {
            break;
        }
        let body = b.get(..end).unwrap_or(&[]);
        let drop = match last {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => true,
            b')' => count(body, b'(') < count(body, b')'),
            b']' => count(body, b'[') < count(body, b']'),
            b'}' => count(body, b'{') < count(body, b'}'),
            _ => false,
        };
        if !drop {
            break;
        }
        end -= 1;
    }
    end
}

fn count(b: &[u8], c: u8) -> usize {
    b.iter().filter(|&&x| x == c).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming() {
        assert_eq!(trimmed_len("https://a.com/x."), 15);
        assert_eq!(trimmed_len("https://a.com/x)."), 15);
        assert_eq!(trimmed_len("https://a.com/wiki/Foo_(bar)"), 28);
        assert_eq!(trimmed_len("https://a.com/?q=1',"), 18);
        assert_eq!(trimmed_len(""), 0);
    }

    #[test]
    fn fields() {
        let url = "https://a.com/?x=1,jane@corp.example,b";
        assert_eq!(field_len(url, None), 18);
        assert_eq!(field_len(url, Some(',')), 18);
        assert_eq!(field_len("https://a.com/?f=id,name,x", None), 26);
        assert_eq!(field_len("https://a.com/?f=id,name,x", Some(',')), 19);
        assert_eq!(field_len("https://a.com/p;q?f=id", Some(';')), 15);
        assert_eq!(field_len("https://a.com/p;q?f=id", Some(' ')), 22);
        assert_eq!(field_len("https://a.com/?next=a@b", None), 23);
        assert_eq!(
            field_len("https://a.com/p;jsessionid=1;b@c.example", None),
            28
        );
        assert_eq!(field_len("https://a.com/@who/p;v=1", None), 24);
    }
}
