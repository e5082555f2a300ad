//! Rate-limit and `Retry-After` headers, in both providers' real formats.
//!
//! OpenAI sends `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
//! with resets as Go-style durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) and
//! sometimes `retry-after-ms`. Anthropic sends
//! `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` with
//! resets as RFC 3339 times. Both send `retry-after` in seconds; HTTP also
//! allows an HTTP-date there. Nothing here fails: a header that does not
//! parse is left out.

use std::time::{Duration, SystemTime};

use deepsentinel_core::RateLimitInfo;
use reqwest::header::HeaderMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    header(headers, name)?.parse().ok()
}

/// `Retry-After` as seconds or an HTTP-date (relative to `now`), or
/// OpenAI's `retry-after-ms`; the millisecond form wins when both are sent.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = header(headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    parse_retry_after(header(headers, "retry-after")?, now)
}

/// One `Retry-After` value: delay seconds (integer, or a decimal as some
/// servers send) or an HTTP-date; a date in the past is zero.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A Go-style duration as OpenAI writes it: `1s`, `6m0s`, `20ms`,
/// `1h2m3.5s`, `150us`.
pub fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&i| i > 0)?;
        let value: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    (total.is_finite() && total >= 0.0).then(|| Duration::from_secs_f64(total))
}

/// An RFC 3339 time as a wait from `now` (zero if past).
pub fn parse_rfc3339_wait(s: &str, now: SystemTime) -> Option<Duration> {
    let at = OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    let now = OffsetDateTime::from(now);
    let wait = at - now;
    Some(if wait.is_negative() {
        Duration::ZERO
    } else {
        wait.unsigned_abs()
    })
}

/// Reads whichever provider's rate-limit headers are present.
pub fn rate_limit_info(headers: &HeaderMap, now: SystemTime) -> RateLimitInfo {
    let mut info = RateLimitInfo {
        retry_after: retry_after(headers, now),
        ..RateLimitInfo::default()
    };
    if headers
        .keys()
        .any(|k| k.as_str().starts_with("x-ratelimit-"))
    {
        info.requests_limit = number(headers, "x-ratelimit-limit-requests");
        info.requests_remaining = number(headers, "x-ratelimit-remaining-requests");
        info.requests_reset =
            header(headers, "x-ratelimit-reset-requests").and_then(parse_go_duration);
        info.tokens_limit = number(headers, "x-ratelimit-limit-tokens");
        info.tokens_remaining = number(headers, "x-ratelimit-remaining-tokens");
        info.tokens_reset = header(headers, "x-ratelimit-reset-tokens").and_then(parse_go_duration);
    } else if headers
        .keys()
        .any(|k| k.as_str().starts_with("anthropic-ratelimit-"))
    {
        let wait = |name: &str| header(headers, name).and_then(|v| parse_rfc3339_wait(v, now));
        info.requests_limit = number(headers, "anthropic-ratelimit-requests-limit");
        info.requests_remaining = number(headers, "anthropic-ratelimit-requests-remaining");
        info.requests_reset = wait("anthropic-ratelimit-requests-reset");
        info.tokens_limit = number(headers, "anthropic-ratelimit-tokens-limit");
        info.tokens_remaining = number(headers, "anthropic-ratelimit-tokens-remaining");
        info.tokens_reset = wait("anthropic-ratelimit-tokens-reset");
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        h
    }

    fn now() -> SystemTime {
        // 2026-11-22T12:00:00Z
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_348_800)
    }

    #[test]
    fn go_durations() {
        let cases = [
            ("1s", 1.0),
            ("6m0s", 360.0),
            ("20ms", 0.02),
            ("1h2m3.5s", 3723.5),
            ("2m59.56s", 179.56),
            ("150us", 0.000150),
            ("0", 0.0),
        ];
        for (s, secs) in cases {
            let d = parse_go_duration(s).unwrap_or_else(|| panic!("{s} parses"));
            assert!((d.as_secs_f64() - secs).abs() < 1e-9, "{s}: {d:?}");
        }
        for bad in ["", "s", "5", "1x", "-1s", "1.2.3s"] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7", now()), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("1.5", now()),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 12:00:30 GMT", now()),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 11:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
        let h = headers(&[("retry-after", "20"), ("retry-after-ms", "250")]);
        assert_eq!(retry_after(&h, now()), Some(Duration::from_millis(250)));
    }

    #[test]
    fn openai_headers() {
        let h = headers(&[
            ("x-ratelimit-limit-requests", "10000"),
            ("x-ratelimit-remaining-requests", "9999"),
            ("x-ratelimit-reset-requests", "6ms"),
            ("x-ratelimit-limit-tokens", "30000000"),
            ("x-ratelimit-remaining-tokens", "29999980"),
            ("x-ratelimit-reset-tokens", "6m0s"),
        ]);
        let info = rate_limit_info(&h, now());
        assert_eq!(info.requests_limit, Some(10000));
        assert_eq!(info.requests_remaining, Some(9999));
        assert_eq!(info.requests_reset, Some(Duration::from_millis(6)));
        assert_eq!(info.tokens_remaining, Some(29_999_980));
        assert_eq!(info.tokens_reset, Some(Duration::from_secs(360)));
    }

    #[test]
    fn anthropic_headers() {
        let h = headers(&[
            ("anthropic-ratelimit-requests-limit", "50"),
            ("anthropic-ratelimit-requests-remaining", "49"),
            ("anthropic-ratelimit-requests-reset", "2026-11-22T12:00:10Z"),
            ("anthropic-ratelimit-tokens-limit", "80000"),
            ("anthropic-ratelimit-tokens-remaining", "79000"),
            (
                "anthropic-ratelimit-tokens-reset",
                "2026-11-22T12:01:00+00:00",
            ),
            ("retry-after", "3"),
        ]);
        let info = rate_limit_info(&h, now());
        assert_eq!(info.requests_reset, Some(Duration::from_secs(10)));
        assert_eq!(info.tokens_reset, Some(Duration::from_secs(60)));
        assert_eq!(info.requests_remaining, Some(49));
        assert_eq!(info.retry_after, Some(Duration::from_secs(3)));
    }

    #[test]
    fn garbage_never_fails() {
        let h = headers(&[
            ("x-ratelimit-limit-requests", "lots"),
            ("x-ratelimit-reset-tokens", "soon"),
            ("retry-after", "tomorrow-ish"),
        ]);
        let info = rate_limit_info(&h, now());
        assert_eq!(info, RateLimitInfo::default());
    }
}
