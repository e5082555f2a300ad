//! Local, remote and hybrid detection (issue 5), against a scripted gateway
//! on loopback.

use std::time::Duration;

use deepsentinel::{
    DetectOutcome, Detection, DetectionSource, INVALID_SPAN, Precomputed, REMOTE_DETECTION,
    RemoteDetector,
};
use deepsentinel_core::{Detector, EntityType, Error, Finding, NetworkErrorKind, Span};
use deepsentinel_detect::Scanner;
use deepsentinel_providers::testing::{FakeUpstream, Reply};
use secrecy::SecretString;

const KEY: &str = "ds-test-key-5f2b9c";
const EMAIL: &str = "Write to jane.doe@example.com please";
const CLEAN: &str = "nothing sensitive here";

async fn upstream() -> FakeUpstream {
    FakeUpstream::start().await.expect("binds loopback")
}

fn remote(up: &FakeUpstream, key: Option<&str>, timeout: Duration) -> RemoteDetector {
    RemoteDetector::new(
        &up.url("/"),
        key.map(|k| SecretString::from(k.to_owned())),
        timeout,
        reqwest::Client::new(),
    )
}

fn finding_json(entity: &str, start: usize, end: usize, score: f32) -> String {
    format!(
        r#"{{"entity_type":"{entity}","category":"pii","start":{start},"end":{end},"score":{score},"rule":"remote"}}"#
    )
}

/// A `/v1/scan` answer: one findings list per text.
fn results(per_text: &[&[String]]) -> String {
    let results: Vec<String> = per_text
        .iter()
        .map(|fs| format!(r#"{{"findings":[{}]}}"#, fs.join(",")))
        .collect();
    format!(r#"{{"results":[{}]}}"#, results.join(","))
}

/// The local score of the e-mail address in [`EMAIL`].
fn email_score(scanner: &Scanner) -> f32 {
    let found = scanner.scan(EMAIL);
    assert!(!found.is_empty(), "the scanner finds the e-mail address");
    found
        .iter()
        .map(Finding::score)
        .fold(f32::INFINITY, f32::min)
}

fn sent_texts(up: &FakeUpstream, i: usize) -> serde_json::Value {
    up.requests()[i].json()["texts"].clone()
}

#[tokio::test]
async fn local_mode_sends_nothing() {
    let scanner = Scanner::new();
    let d = Detection::local(scanner.clone());
    assert_eq!(d.mode_name(), "local");
    let out = d.detect_many(&[EMAIL, CLEAN]).await;
    assert_eq!(out.findings, vec![scanner.scan(EMAIL), scanner.scan(CLEAN)]);
    assert_eq!(out.source, [DetectionSource::Local; 2]);
    assert!(out.remote_error.is_none());
}

#[tokio::test]
async fn remote_returns_findings_and_sends_the_bearer_key() {
    let up = upstream().await;
    let email = finding_json("EMAIL_ADDRESS", 9, 29, 0.97);
    // Out of order on the wire; the detector sorts by span.
    let second = finding_json("PERSON", 0, 5, 0.4);
    up.push([Reply::json(200, results(&[&[email, second], &[]]))]);
    let d = Detection::remote(
        remote(&up, Some(KEY), Duration::from_secs(5)),
        Scanner::new(),
    );
    let out = d.detect_many(&[EMAIL, CLEAN]).await;
    assert!(out.remote_error.is_none(), "{:?}", out.remote_error);
    assert_eq!(out.source, [DetectionSource::Remote; 2]);
    let spans: Vec<_> = out.findings[0].iter().map(|f| f.span().range()).collect();
    assert_eq!(spans, [0..5, 9..29]);
    assert_eq!(out.findings[0][1].entity_type(), &EntityType::EmailAddress);
    assert_eq!(out.findings[0][1].score(), 0.97);
    assert!(out.findings[1].is_empty());

    let reqs = up.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].target, "/v1/scan");
    let auth = reqs[0].header("authorization").map(str::to_owned);
    assert_eq!(auth, Some(format!("Bearer {KEY}")));
    assert!(
        reqs[0]
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    assert_eq!(
        reqs[0].json(),
        serde_json::json!({ "texts": [EMAIL, CLEAN] })
    );
}

#[tokio::test]
async fn no_key_sends_no_authorization_and_empty_input_sends_nothing() {
    let up = upstream().await;
    up.push([Reply::json(200, results(&[&[]]))]);
    let r = remote(&up, None, Duration::from_secs(5));
    assert!(r.detect_many(&[]).await.expect("no texts").is_empty());
    assert!(up.requests().is_empty());
    r.detect_many(&[CLEAN]).await.expect("answers");
    assert_eq!(up.requests()[0].header("authorization"), None);
}

/// What a failure must look like: every text scanned locally, the error
/// reported, and the key nowhere in it.
fn assert_fell_back(out: &DetectOutcome, scanner: &Scanner, texts: &[&str]) -> Error {
    let expected: Vec<Vec<Finding>> = texts.iter().map(|t| scanner.scan(t)).collect();
    assert_eq!(out.findings, expected);
    assert_eq!(
        out.source,
        vec![DetectionSource::LocalFallback; texts.len()]
    );
    let err = out.remote_error.clone().expect("the failure is reported");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "the key leaked: {shown}");
    assert!(!shown.contains("jane.doe"), "the text leaked: {shown}");
    assert_eq!(err.provider(), Some(REMOTE_DETECTION));
    err
}

/// What the reported error must match.
type ErrorCheck = fn(&Error) -> bool;

#[tokio::test]
async fn remote_failures_fall_back_to_local() {
    let email_ok = finding_json("EMAIL_ADDRESS", 9, 29, 0.9);
    let cases: Vec<(&str, Reply, ErrorCheck)> = vec![
        ("500", Reply::json(500, r#"{"error":"boom"}"#), |e| {
            matches!(
                e,
                Error::Provider {
                    status: Some(500),
                    retryable: true,
                    ..
                }
            )
        }),
        ("401", Reply::json(401, "{}"), |e| {
            matches!(
                e,
                Error::Authentication {
                    status: Some(401),
                    ..
                }
            )
        }),
        (
            "429",
            Reply::json(429, "{}").header("retry-after", "3"),
            |e| matches!(e, Error::RateLimit { retry_after: Some(d), .. } if *d == Duration::from_secs(3)),
        ),
        ("reset", Reply::reset(), |e| {
            matches!(e, Error::Network { .. })
        }),
        (
            "slow",
            Reply::json(200, results(&[&[], &[]])).delay(Duration::from_secs(3)),
            |e| matches!(e, Error::Timeout { after, .. } if *after == Duration::from_millis(300)),
        ),
        (
            "not json",
            Reply::json(200, "{\"results\": ["),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == "malformed_response"),
        ),
        (
            "unknown field",
            Reply::json(
                200,
                r#"{"results":[{"findings":[]},{"findings":[]}],"v":2}"#,
            ),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == "malformed_response"),
        ),
        (
            "too few results",
            Reply::json(200, results(&[&[]])),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == "malformed_response"),
        ),
        (
            "score out of range",
            Reply::json(
                200,
                results(&[&[finding_json("EMAIL_ADDRESS", 9, 29, 1.5)], &[]]),
            ),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == "malformed_response"),
        ),
        (
            "span past the end",
            Reply::json(
                200,
                results(&[
                    std::slice::from_ref(&email_ok),
                    &[finding_json("URL", 0, 500, 0.5)],
                ]),
            ),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == INVALID_SPAN),
        ),
        (
            "span splits a character",
            // The second text starts with a two-byte `é`.
            Reply::json(
                200,
                results(&[
                    std::slice::from_ref(&email_ok),
                    &[finding_json("URL", 1, 3, 0.5)],
                ]),
            ),
            |e| matches!(e, Error::Provider { code: Some(c), .. } if c == INVALID_SPAN),
        ),
    ];
    let texts = [EMAIL, "é and more"];
    let scanner = Scanner::new();
    for (name, reply, expected) in cases {
        let up = upstream().await;
        up.push([reply]);
        let d = Detection::remote(
            remote(&up, Some(KEY), Duration::from_millis(300)),
            scanner.clone(),
        );
        let out = d.detect_many(&texts).await;
        let err = assert_fell_back(&out, &scanner, &texts);
        assert!(expected(&err), "{name}: unexpected error {err:?}");
        assert_eq!(up.requests().len(), 1, "{name}: one request, no retry");
    }
}

#[tokio::test]
async fn connection_refused_falls_back_to_local() {
    // A port that was free a moment ago and is closed now.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        l.local_addr().expect("addr").port()
    };
    let scanner = Scanner::new();
    let r = RemoteDetector::new(
        &format!("http://127.0.0.1:{port}"),
        Some(SecretString::from(KEY.to_owned())),
        Duration::from_secs(5),
        reqwest::Client::new(),
    );
    let out = Detection::remote(r, scanner.clone())
        .detect_many(&[EMAIL])
        .await;
    let err = assert_fell_back(&out, &scanner, &[EMAIL]);
    assert!(
        matches!(
            err,
            Error::Network {
                kind: NetworkErrorKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn hybrid_asks_remote_only_for_low_confidence_texts_and_caches() {
    let scanner = Scanner::new();
    let score = email_score(&scanner);
    let up = upstream().await;
    let remote_finding = finding_json("EMAIL_ADDRESS", 9, 29, 0.99);
    up.push([Reply::json(200, results(&[&[remote_finding]]))]);
    // The e-mail's local score is below the threshold: uncertain.
    let d = Detection::hybrid(
        remote(&up, Some(KEY), Duration::from_secs(5)),
        scanner.clone(),
        score + 0.01,
        Duration::from_secs(600),
        16,
    );
    assert_eq!(d.mode_name(), "hybrid");
    // The uncertain text twice and a text without findings.
    let texts = [EMAIL, CLEAN, EMAIL];
    let out = d.detect_many(&texts).await;
    assert!(out.remote_error.is_none(), "{:?}", out.remote_error);
    assert_eq!(
        out.source,
        [
            DetectionSource::Remote,
            DetectionSource::Local,
            DetectionSource::Remote
        ]
    );
    assert_eq!(out.findings[0][0].score(), 0.99, "remote replaces local");
    assert_eq!(out.findings[0], out.findings[2]);
    assert!(out.findings[1].is_empty());
    // One request, with the uncertain text once; the clean one never left.
    assert_eq!(up.requests().len(), 1);
    assert_eq!(sent_texts(&up, 0), serde_json::json!([EMAIL]));
    assert_eq!(d.cached_entries(), 1);

    // A repeat is served from the cache.
    let again = d.detect_many(&[CLEAN, EMAIL]).await;
    assert_eq!(
        again.source,
        [DetectionSource::Local, DetectionSource::Cached]
    );
    assert_eq!(again.findings[1], out.findings[0]);
    assert_eq!(up.requests().len(), 1, "no new request");
}

#[tokio::test]
async fn hybrid_keeps_confident_texts_local() {
    let scanner = Scanner::new();
    let score = email_score(&scanner);
    let up = upstream().await;
    // `score < threshold` is strict: a finding at the threshold is settled.
    let d = Detection::hybrid(
        remote(&up, None, Duration::from_secs(5)),
        scanner.clone(),
        score,
        Duration::from_secs(600),
        16,
    );
    let out = d.detect_many(&[EMAIL, CLEAN]).await;
    assert_eq!(out.source, [DetectionSource::Local; 2]);
    assert_eq!(out.findings[0], scanner.scan(EMAIL));
    assert!(up.requests().is_empty());
}

#[tokio::test]
async fn hybrid_failure_falls_back_and_is_not_cached() {
    let scanner = Scanner::new();
    let up = upstream().await;
    up.push([Reply::json(503, "{}"), Reply::json(200, results(&[&[]]))]);
    let d = Detection::hybrid(
        remote(&up, Some(KEY), Duration::from_secs(5)),
        scanner.clone(),
        1.01,
        Duration::from_secs(600),
        16,
    );
    let out = d.detect_many(&[CLEAN, EMAIL]).await;
    assert_eq!(
        out.source,
        [DetectionSource::Local, DetectionSource::LocalFallback]
    );
    assert_eq!(out.findings[1], scanner.scan(EMAIL));
    assert!(matches!(
        out.remote_error,
        Some(Error::Provider {
            status: Some(503),
            ..
        })
    ));
    assert_eq!(d.cached_entries(), 0);
    let retry = d.detect_many(&[EMAIL]).await;
    assert_eq!(retry.source, [DetectionSource::Remote]);
    assert!(retry.findings[0].is_empty());
    assert_eq!(up.requests().len(), 2);
}

#[tokio::test]
async fn hybrid_cache_entries_expire_after_the_ttl() {
    let up = upstream().await;
    up.fallback(Reply::json(200, results(&[&[]])));
    let d = Detection::hybrid(
        remote(&up, None, Duration::from_secs(5)),
        Scanner::new(),
        1.01,
        Duration::from_millis(150),
        16,
    );
    assert_eq!(
        d.detect_many(&[EMAIL]).await.source,
        [DetectionSource::Remote]
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        d.detect_many(&[EMAIL]).await.source,
        [DetectionSource::Remote]
    );
    assert_eq!(up.requests().len(), 2, "the expired entry was asked again");
}

#[tokio::test]
async fn hybrid_cache_evicts_the_oldest_entry() {
    let up = upstream().await;
    up.fallback(Reply::json(200, results(&[&[]])));
    let d = Detection::hybrid(
        remote(&up, None, Duration::from_secs(5)),
        Scanner::new(),
        1.01,
        Duration::from_secs(600),
        1,
    );
    let other = "mail john.roe@example.org now";
    d.detect_many(&[EMAIL]).await;
    d.detect_many(&[other]).await;
    assert_eq!(d.cached_entries(), 1);
    assert_eq!(
        d.detect_many(&[other]).await.source,
        [DetectionSource::Cached]
    );
    assert_eq!(
        d.detect_many(&[EMAIL]).await.source,
        [DetectionSource::Remote]
    );
    assert_eq!(up.requests().len(), 3);
}

fn span(a: usize, b: usize) -> Span {
    Span::new(a, b).expect("ordered")
}

#[test]
fn precomputed_answers_in_order_and_falls_back_on_mismatch() {
    let scanner = Scanner::new();
    let marker = Finding::new(EntityType::Person, span(0, 5), 0.42, "precomputed");
    let texts = [EMAIL, CLEAN];
    let p = Precomputed::new(&texts, vec![vec![marker.clone()], vec![]], scanner.clone());
    assert_eq!(p.detect_all(EMAIL), vec![marker]);
    assert!(p.detect_all(CLEAN).is_empty());
    assert_eq!(p.fallbacks(), 0);
    // A third call has no precomputed answer.
    assert_eq!(p.detect_all(EMAIL), scanner.scan(EMAIL));
    assert_eq!(p.fallbacks(), 1);

    // Asked out of order: each mismatching text is scanned locally, never
    // given another text's spans.
    let p = Precomputed::new(
        &texts,
        vec![
            vec![Finding::new(EntityType::Person, span(0, 5), 0.42, "x")],
            vec![],
        ],
        scanner.clone(),
    );
    assert_eq!(p.detect_all(CLEAN), scanner.scan(CLEAN));
    assert_eq!(p.detect_all(EMAIL), scanner.scan(EMAIL));
    assert_eq!(p.fallbacks(), 2);
}

#[test]
fn precomputed_honours_stop() {
    let f = |a, b| Finding::new(EntityType::Person, span(a, b), 0.5, "x");
    let p = Precomputed::new(&[EMAIL], vec![vec![f(0, 1), f(2, 3)]], Scanner::new());
    assert!(p.is_match(EMAIL));
    assert_eq!(p.name(), "precomputed");
}

#[tokio::test]
async fn outcome_feeds_a_precomputed_detector() {
    let up = upstream().await;
    up.push([Reply::json(
        200,
        results(&[&[finding_json("EMAIL_ADDRESS", 9, 29, 0.9)], &[]]),
    )]);
    let scanner = Scanner::new();
    let d = Detection::remote(remote(&up, None, Duration::from_secs(5)), scanner.clone());
    let texts = [EMAIL, CLEAN];
    let out = d.detect_many(&texts).await;
    let p = out.to_precomputed(&texts, d.scanner().clone());
    let as_dyn: &dyn Detector = &p;
    let seen: Vec<Vec<Finding>> = texts.iter().map(|t| as_dyn.detect_all(t)).collect();
    assert_eq!(seen, out.findings);
    assert_eq!(&EMAIL[seen[0][0].span().range()], "jane.doe@example.com");
}

/// The pipeline's path: collect the request's texts, detect remotely, then
/// let the guard protect the request with the precomputed findings.
#[tokio::test]
async fn guard_protects_a_request_with_remote_findings() {
    use deepsentinel_policy::{Anonymizer, CompliancePolicy, Guard, Keys, PolicySet, Vault};

    let scanner = Scanner::new();
    let guard = Guard::new(
        scanner.clone(),
        PolicySet::single(CompliancePolicy::preset("staging").expect("preset")).expect("valid"),
        Anonymizer::new(Keys::ephemeral().expect("keys")),
    );
    let mut req = serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "my handle is qwxyz"}
        ]
    });
    let mut texts: Vec<String> = Vec::new();
    deepsentinel_policy::chat::visit_request(&req, &mut |_, t| {
        texts.push(t.to_owned());
        Ok::<(), std::convert::Infallible>(())
    })
    .expect("a chat request");
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_eq!(texts, ["be brief", "my handle is qwxyz"]);
    assert!(
        scanner.scan(texts[1]).is_empty(),
        "only the gateway finds it"
    );

    let up = upstream().await;
    up.push([Reply::json(
        200,
        results(&[&[], &[finding_json("EMAIL_ADDRESS", 13, 18, 0.95)]]),
    )]);
    let d = Detection::remote(remote(&up, None, Duration::from_secs(5)), scanner.clone());
    let out = d.detect_many(&texts).await;
    assert!(out.remote_error.is_none(), "{:?}", out.remote_error);
    let pre = out.to_precomputed(&texts, scanner);
    let mut vault = Vault::new();
    let protected = guard
        .protect_request_with(&pre, &mut req, &mut vault)
        .expect("not blocked");
    assert_eq!(pre.fallbacks(), 0);
    assert_eq!(protected.findings.len(), 1);
    let sent = req["messages"][1]["content"].as_str().expect("text");
    assert!(!sent.contains("qwxyz"), "{sent}");
    assert_eq!(req["messages"][0]["content"], "be brief");
}
