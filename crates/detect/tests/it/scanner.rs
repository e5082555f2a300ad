use deepsentinel_detect::{Detector, EntityType, Flow, Scanner};

#[test]
fn spans_are_exact_and_sorted() {
    let s = Scanner::new();
    let text = "a@b.co and é c.d@example.org";
    let f = s.scan(text);
    let got: Vec<&str> = f.iter().map(|f| &text[f.span().range()]).collect();
    assert_eq!(got, vec!["a@b.co", "c.d@example.org"]);
    assert!(f.windows(2).all(|w| w[0].span() <= w[1].span()));
}

#[test]
fn sink_can_stop_early() {
    let s = Scanner::new();
    let mut n = 0;
    s.detect("x@y.com z@w.com", &mut |_| {
        n += 1;
        Flow::Stop
    });
    assert_eq!(n, 1);
}

#[test]
fn percent_encoded_values_map_back() {
    let s = Scanner::new();
    // A form body, not a URL: inside a URL the URL finding (which covers the
    // encoded address) wins the overlap.
    let text = "POST body: to=jane%40corp.com&lang=en";
    let f: Vec<_> = s
        .scan(text)
        .into_iter()
        .filter(|f| f.entity_type() == &EntityType::EmailAddress)
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(&text[f[0].span().range()], "jane%40corp.com");
}
