//! `chat`: every text of OpenAI and Anthropic requests and responses, in
//! document order, transformed in place with everything else untouched.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly; clippy's in-test allowance covers only #[test] fns"
)]

use std::convert::Infallible;

use deepsentinel_policy::chat::{
    self, ChatError, ChatFormat, DEFAULT_MAX_DEPTH, TextKind, TextLocation, Walker,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// One visit: (message, pointer, embedded, kind, text).
type Visit = (Option<usize>, String, Option<String>, TextKind, String);

fn visit(loc: &TextLocation, text: &str) -> Visit {
    (
        loc.message,
        loc.pointer.clone(),
        loc.embedded.clone(),
        loc.kind,
        text.to_owned(),
    )
}

fn v(
    message: Option<usize>,
    pointer: &str,
    embedded: Option<&str>,
    kind: TextKind,
    text: &str,
) -> Visit {
    (
        message,
        pointer.to_owned(),
        embedded.map(str::to_owned),
        kind,
        text.to_owned(),
    )
}

fn request_visits(req: &Value) -> Vec<Visit> {
    let mut out = Vec::new();
    chat::visit_request(req, &mut |loc, text| {
        out.push(visit(loc, text));
        Ok::<_, Infallible>(())
    })
    .expect("valid request");
    out
}

fn response_visits(resp: &Value) -> Vec<Visit> {
    let mut out = Vec::new();
    chat::visit_response(resp, &mut |loc, text| {
        out.push(visit(loc, text));
        Ok::<_, Infallible>(())
    })
    .expect("valid response");
    out
}

/// Wraps every text in `<…>`.
fn bracket(req: &mut Value) -> chat::Report {
    chat::transform_request(req, &mut |_, t| Ok::<_, Infallible>(Some(format!("<{t}>"))))
        .expect("valid request")
}

/// Pointers of the string leaves that differ between `a` and `b` (which have
/// the same structure).
fn changed_leaves(a: &Value, b: &Value, path: &mut String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "object at {path} changed its keys");
            for (k, xv) in x {
                let yv = y.get(k).unwrap_or_else(|| panic!("key {k} lost at {path}"));
                let mark = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                changed_leaves(xv, yv, path, out);
                path.truncate(mark);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "array at {path} changed its length");
            for (i, (xv, yv)) in x.iter().zip(y).enumerate() {
                let mark = path.len();
                path.push_str(&format!("/{i}"));
                changed_leaves(xv, yv, path, out);
                path.truncate(mark);
            }
        }
        (Value::String(x), Value::String(y)) => {
            if x != y {
                out.push(path.clone());
            }
        }
        (x, y) => assert_eq!(x, y, "non-string value changed at {path}"),
    }
}

fn diff(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    changed_leaves(a, b, &mut String::new(), &mut out);
    out
}

fn openai_request() -> Value {
    json!({
        "model": "gpt-4o",
        "temperature": 0.2,
        "x-unknown": {"keep": ["me", 1, null]},
        "messages": [
            {"role": "system", "content": "sys text"},
            {"role": "developer", "content": "dev text", "name": "dev-name"},
            {"role": "user", "name": "alice", "content": [
                {"type": "text", "text": "user part 1"},
                {"type": "image_url", "image_url": {"url": "https://img.example/a.png", "detail": "low"}},
                {"type": "text", "text": "user part 2", "x-part": "untouched"}
            ]},
            {"role": "assistant", "content": "assistant text", "tool_calls": [
                {"id": "call_1", "type": "function", "function": {
                    "name": "lookup",
                    "arguments": "{\"zip\": \"10115\", \"address\": {\"city\": \"Berlin\", \"lines\": [\"Main St 1\", 7]}, \"n\": 3}"
                }},
                {"id": "call_2", "type": "function", "function": {"name": "raw", "arguments": "not json at all"}},
                {"id": "call_3", "type": "custom", "custom": {"name": "sql", "input": "SELECT 1"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"result\": [\"found: Bob\", {\"email\": \"bob@example.com\"}]}"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "plain tool text"}]},
            {"role": "assistant", "content": null, "function_call": {"name": "legacy", "arguments": "{\"q\":\"legacy arg\"}"}},
            {"role": "function", "name": "legacy", "content": "legacy result"},
            {"role": "critic", "content": "unknown role text"}
        ]
    })
}

#[test]
fn openai_request_every_location_in_document_order() {
    use TextKind::*;
    let req = openai_request();
    let args = "/messages/3/tool_calls/0/function/arguments";
    let expected = vec![
        v(Some(0), "/messages/0/content", None, System, "sys text"),
        v(Some(1), "/messages/1/content", None, System, "dev text"),
        // Issue 6: message names and unknown keys are forwarded, so visited.
        v(Some(1), "/messages/1/name", None, Field, "dev-name"),
        v(
            Some(2),
            "/messages/2/content/0/text",
            None,
            User,
            "user part 1",
        ),
        v(
            Some(2),
            "/messages/2/content/2/text",
            None,
            User,
            "user part 2",
        ),
        v(
            Some(2),
            "/messages/2/content/2/x-part",
            None,
            User,
            "untouched",
        ),
        v(Some(2), "/messages/2/name", None, Field, "alice"),
        v(
            Some(3),
            "/messages/3/content",
            None,
            Assistant,
            "assistant text",
        ),
        // Map order inside the arguments: keys sorted.
        v(
            Some(3),
            args,
            Some("/address/city"),
            ToolArguments,
            "Berlin",
        ),
        v(
            Some(3),
            args,
            Some("/address/lines/0"),
            ToolArguments,
            "Main St 1",
        ),
        v(Some(3), args, Some("/zip"), ToolArguments, "10115"),
        v(
            Some(3),
            "/messages/3/tool_calls/0/function/name",
            None,
            ToolArguments,
            "lookup",
        ),
        v(
            Some(3),
            "/messages/3/tool_calls/1/function/arguments",
            None,
            ToolArguments,
            "not json at all",
        ),
        v(
            Some(3),
            "/messages/3/tool_calls/1/function/name",
            None,
            ToolArguments,
            "raw",
        ),
        v(
            Some(3),
            "/messages/3/tool_calls/2/custom/input",
            None,
            ToolArguments,
            "SELECT 1",
        ),
        v(
            Some(3),
            "/messages/3/tool_calls/2/custom/name",
            None,
            ToolArguments,
            "sql",
        ),
        v(
            Some(4),
            "/messages/4/content",
            Some("/result/0"),
            ToolResult,
            "found: Bob",
        ),
        v(
            Some(4),
            "/messages/4/content",
            Some("/result/1/email"),
            ToolResult,
            "bob@example.com",
        ),
        v(
            Some(5),
            "/messages/5/content/0/text",
            None,
            ToolResult,
            "plain tool text",
        ),
        v(
            Some(6),
            "/messages/6/function_call/arguments",
            Some("/q"),
            ToolArguments,
            "legacy arg",
        ),
        v(
            Some(6),
            "/messages/6/function_call/name",
            None,
            ToolArguments,
            "legacy",
        ),
        v(
            Some(7),
            "/messages/7/content",
            None,
            ToolResult,
            "legacy result",
        ),
        v(Some(7), "/messages/7/name", None, Field, "legacy"),
        v(
            Some(8),
            "/messages/8/content",
            None,
            Other,
            "unknown role text",
        ),
        // An unknown top-level key, after the messages.
        v(None, "/x-unknown/keep/0", None, Field, "me"),
    ];
    assert_eq!(request_visits(&req), expected);
    // Deterministic: the same order every time, and the same for transform.
    assert_eq!(request_visits(&req), expected);
    let mut seen = Vec::new();
    let mut copy = req.clone();
    chat::transform_request(&mut copy, &mut |loc, t| {
        seen.push(visit(loc, t));
        Ok::<_, Infallible>(None)
    })
    .expect("valid");
    assert_eq!(seen, expected);
}

#[test]
fn openai_request_only_targeted_strings_change_and_arguments_stay_json() {
    let before = openai_request();
    let mut after = before.clone();
    let report = bracket(&mut after);
    assert_eq!(report.format, ChatFormat::OpenAi);
    // 16 texts, and (issue 6) 3 message names, 4 tool names, 2 unknown keys.
    assert_eq!(report.visited, 25);
    assert_eq!(report.changed, 25);
    assert_eq!(report.unknown, 0, "image_url is a known part type");

    let mut expected: Vec<String> = request_visits(&before)
        .into_iter()
        .map(|(_, p, ..)| p)
        .collect();
    expected.sort();
    expected.dedup();
    let mut changed = diff(&before, &after);
    changed.sort();
    assert_eq!(changed, expected);

    let args: Value = serde_json::from_str(
        after["messages"][3]["tool_calls"][0]["function"]["arguments"]
            .as_str()
            .expect("string"),
    )
    .expect("arguments still parse");
    assert_eq!(
        args,
        json!({"zip": "<10115>", "address": {"city": "<Berlin>", "lines": ["<Main St 1>", 7]}, "n": 3})
    );
    let result: Value =
        serde_json::from_str(after["messages"][4]["content"].as_str().expect("string"))
            .expect("tool result still parses");
    assert_eq!(
        result,
        json!({"result": ["<found: Bob>", {"email": "<bob@example.com>"}]})
    );
    assert_eq!(
        after["messages"][3]["tool_calls"][1]["function"]["arguments"],
        "<not json at all>"
    );
    // Names are forwarded, so transformed (issue 6); roles, ids, the model
    // and images are structural and untouched.
    assert_eq!(after["messages"][2]["name"], "<alice>");
    assert_eq!(after["messages"][2]["role"], "user");
    assert_eq!(after["model"], "gpt-4o");
    assert_eq!(
        after["messages"][2]["content"][1],
        before["messages"][2]["content"][1]
    );
    assert_eq!(after["messages"][3]["tool_calls"][0]["id"], "call_1");
    assert_eq!(
        after["messages"][3]["tool_calls"][0]["function"]["name"],
        "<lookup>"
    );
}

#[test]
fn non_json_arguments_are_plain_text() {
    for args in ["{broken", "[1, 2", "42", "\"quoted\"", "", "  {\"a\": }"] {
        let mut req = json!({"messages": [{"role": "assistant", "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": args}}
        ]}]});
        let visits = request_visits(&req);
        assert_eq!(
            visits,
            vec![
                v(
                    Some(0),
                    "/messages/0/tool_calls/0/function/arguments",
                    None,
                    TextKind::ToolArguments,
                    args
                ),
                v(
                    Some(0),
                    "/messages/0/tool_calls/0/function/name",
                    None,
                    TextKind::ToolArguments,
                    "f"
                )
            ],
            "{args:?}"
        );
        bracket(&mut req);
        assert_eq!(
            req["messages"][0]["tool_calls"][0]["function"]["arguments"],
            format!("<{args}>")
        );
    }
}

#[test]
fn embedded_json_untouched_when_nothing_changes() {
    // Whitespace and key order survive byte-for-byte when no text changes,
    // also when the closure returns the same text.
    let args = "{ \"z\": \"keep\",\n  \"a\": [\"also\", 1.50] }";
    let mut req = json!({"messages": [{"role": "assistant", "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": args}}
    ]}]});
    let report = chat::transform_request(&mut req, &mut |_, t| {
        Ok::<_, Infallible>(Some(t.to_owned()))
    })
    .expect("valid");
    assert_eq!(report.visited, 3, "two argument values and the tool name");
    assert_eq!(report.changed, 0);
    assert_eq!(
        req["messages"][0]["tool_calls"][0]["function"]["arguments"],
        args
    );
}

#[test]
fn legacy_completions_prompt() {
    let mut req = json!({"model": "davinci", "prompt": ["first", [1, 2, 3], 42, "second"]});
    assert_eq!(
        request_visits(&req),
        vec![
            v(None, "/prompt/0", None, TextKind::Prompt, "first"),
            v(None, "/prompt/3", None, TextKind::Prompt, "second"),
        ]
    );
    bracket(&mut req);
    assert_eq!(req["prompt"], json!(["<first>", [1, 2, 3], 42, "<second>"]));

    let mut req = json!({"prompt": "only one"});
    bracket(&mut req);
    assert_eq!(req, json!({"prompt": "<only one>"}));
}

fn anthropic_request() -> Value {
    json!({
        "model": "claude-sonnet-4",
        "max_tokens": 1024,
        "metadata": {"user_id": "u-1"},
        "system": [
            {"type": "text", "text": "system block", "cache_control": {"type": "ephemeral"}}
        ],
        "messages": [
            {"role": "user", "content": "user string"},
            {"role": "user", "content": [
                {"type": "text", "text": "user block"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "signed thoughts", "signature": "sig"},
                {"type": "text", "text": "assistant block"},
                {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {
                    "address": {"city": "Berlin", "zip": "10115"}, "tags": ["a", 1, true], "n": 2
                }}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "{\"owner\": \"Bob\"}"},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": [
                    {"type": "text", "text": "[\"x\", {\"y\": \"z\"}]"},
                    {"type": "image", "source": {"type": "url", "url": "https://img.example/b.png"}},
                    {"type": "text", "text": "plain result"}
                ]},
                {"type": "tool_result", "tool_use_id": "toolu_3", "is_error": true}
            ]}
        ]
    })
}

#[test]
fn anthropic_request_every_location_in_document_order() {
    use TextKind::*;
    let req = anthropic_request();
    let input = "/messages/2/content/2/input";
    assert_eq!(
        request_visits(&req),
        vec![
            v(None, "/system/0/text", None, System, "system block"),
            v(Some(0), "/messages/0/content", None, User, "user string"),
            v(
                Some(1),
                "/messages/1/content/0/text",
                None,
                User,
                "user block"
            ),
            v(
                Some(2),
                "/messages/2/content/1/text",
                None,
                Assistant,
                "assistant block"
            ),
            v(
                Some(2),
                &format!("{input}/address/city"),
                None,
                ToolArguments,
                "Berlin"
            ),
            v(
                Some(2),
                &format!("{input}/address/zip"),
                None,
                ToolArguments,
                "10115"
            ),
            v(
                Some(2),
                &format!("{input}/tags/0"),
                None,
                ToolArguments,
                "a"
            ),
            // Issue 6: the tool name is forwarded too.
            v(
                Some(2),
                "/messages/2/content/2/name",
                None,
                ToolArguments,
                "lookup"
            ),
            v(
                Some(3),
                "/messages/3/content/0/content",
                Some("/owner"),
                ToolResult,
                "Bob"
            ),
            v(
                Some(3),
                "/messages/3/content/1/content/0/text",
                Some("/0"),
                ToolResult,
                "x"
            ),
            v(
                Some(3),
                "/messages/3/content/1/content/0/text",
                Some("/1/y"),
                ToolResult,
                "z"
            ),
            v(
                Some(3),
                "/messages/3/content/1/content/2/text",
                None,
                ToolResult,
                "plain result"
            ),
            // Issue 6: an unknown top-level key, after the messages.
            v(None, "/metadata/user_id", None, Field, "u-1"),
        ]
    );
    let mut system_string =
        json!({"system": "sys", "messages": [{"role": "user", "content": "u"}]});
    assert_eq!(
        request_visits(&system_string)[0],
        v(None, "/system", None, System, "sys")
    );
    bracket(&mut system_string);
    assert_eq!(system_string["system"], "<sys>");
}

#[test]
fn anthropic_request_only_targeted_strings_change() {
    let before = anthropic_request();
    let mut after = before.clone();
    let report = bracket(&mut after);
    assert_eq!(report.format, ChatFormat::Anthropic);
    // 11 texts, and (issue 6) the tool name and `metadata.user_id`.
    assert_eq!(report.changed, 13);
    assert_eq!(
        (report.unknown, report.generic),
        (1, 0),
        "the signed thinking block is forwarded uninspected; image is known"
    );
    let mut expected: Vec<String> = request_visits(&before)
        .into_iter()
        .map(|(_, p, ..)| p)
        .collect();
    expected.sort();
    expected.dedup();
    let mut changed = diff(&before, &after);
    changed.sort();
    assert_eq!(changed, expected);
    assert_eq!(
        after["messages"][2]["content"][2]["input"],
        json!({"address": {"city": "<Berlin>", "zip": "<10115>"}, "tags": ["<a>", 1, true], "n": 2})
    );
    let inner: Value = serde_json::from_str(
        after["messages"][3]["content"][1]["content"][0]["text"]
            .as_str()
            .expect("string"),
    )
    .expect("still JSON");
    assert_eq!(inner, json!(["<x>", {"y": "<z>"}]));
    // The signed thinking block is not touched.
    assert_eq!(
        after["messages"][2]["content"][0],
        before["messages"][2]["content"][0]
    );
}

#[test]
fn unknown_fields_round_trip_byte_for_byte() {
    let text = r#"{"messages":[{"content":[{"text":"hi","type":"text","x-part":{"deep":[1,"s",null]}},{"payload":"p","type":"mystery"}],"role":"user","x-msg":true}],"model":"m","x-top":{"a":"b","n":1.5e+300}}"#;
    for format in [ChatFormat::Auto, ChatFormat::OpenAi, ChatFormat::Anthropic] {
        let mut req: Value = serde_json::from_str(text).expect("valid JSON");
        let report = Walker::new()
            .format(format)
            .transform_request(&mut req, &mut |_, _| Ok::<_, Infallible>(None))
            .expect("valid request");
        // `hi`, and (issue 6) `x-part/deep/1`, the `mystery` part's
        // `payload` and `x-top/a`, all of which are forwarded.
        assert_eq!(report.visited, 4);
        assert_eq!(report.changed, 0);
        assert_eq!(
            (report.unknown, report.generic),
            (0, 1),
            "the `mystery` part is walked generically"
        );
        assert_eq!(serde_json::to_string(&req).expect("serializes"), text);
    }
    for value in [openai_request(), anthropic_request()] {
        let before = serde_json::to_string(&value).expect("serializes");
        let mut req = value;
        chat::transform_request(&mut req, &mut |_, _| Ok::<_, Infallible>(None)).expect("valid");
        assert_eq!(serde_json::to_string(&req).expect("serializes"), before);
    }
}

#[test]
fn openai_response() {
    let before = json!({
        "id": "chatcmpl-1", "object": "chat.completion",
        "usage": {"prompt_tokens": 1},
        "choices": [
            {"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": "Hello <PERSON_1>",
                "tool_calls": [{"id": "c", "type": "function",
                    "function": {"name": "mail", "arguments": "{\"to\":\"<EMAIL_1>\"}"}}]
            }},
            {"index": 1, "text": "legacy <PERSON_1>"}
        ]
    });
    use TextKind::*;
    assert_eq!(
        response_visits(&before),
        vec![
            v(
                Some(0),
                "/choices/0/message/content",
                None,
                Assistant,
                "Hello <PERSON_1>"
            ),
            v(
                Some(0),
                "/choices/0/message/tool_calls/0/function/arguments",
                Some("/to"),
                ToolArguments,
                "<EMAIL_1>"
            ),
            v(
                Some(1),
                "/choices/1/text",
                None,
                Assistant,
                "legacy <PERSON_1>"
            ),
        ]
    );
    let mut resp = before.clone();
    let report = chat::transform_response(&mut resp, &mut |_, t| {
        Ok::<_, Infallible>(Some(
            t.replace("<PERSON_1>", "Ada")
                .replace("<EMAIL_1>", "ada@example.com"),
        ))
    })
    .expect("valid");
    assert_eq!(report.format, ChatFormat::OpenAi);
    assert_eq!(report.changed, 3);
    assert_eq!(resp["choices"][0]["message"]["content"], "Hello Ada");
    assert_eq!(
        resp["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
        "{\"to\":\"ada@example.com\"}"
    );
    assert_eq!(resp["choices"][1]["text"], "legacy Ada");
    assert_eq!(resp["usage"], before["usage"]);
}

#[test]
fn anthropic_response() {
    let mut resp = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "stop_reason": "tool_use",
        "content": [
            {"type": "text", "text": "Hi <PERSON_1>"},
            {"type": "tool_use", "id": "t", "name": "mail", "input": {"to": "<EMAIL_1>"}}
        ]
    });
    assert_eq!(
        response_visits(&resp),
        vec![
            v(
                None,
                "/content/0/text",
                None,
                TextKind::Assistant,
                "Hi <PERSON_1>"
            ),
            v(
                None,
                "/content/1/input/to",
                None,
                TextKind::ToolArguments,
                "<EMAIL_1>"
            ),
        ]
    );
    let report = chat::transform_response(&mut resp, &mut |_, t| {
        Ok::<_, Infallible>(Some(
            t.replace("<PERSON_1>", "Ada")
                .replace("<EMAIL_1>", "a@x.io"),
        ))
    })
    .expect("valid");
    assert_eq!(report.format, ChatFormat::Anthropic);
    assert_eq!(resp["content"][0]["text"], "Hi Ada");
    assert_eq!(resp["content"][1]["input"], json!({"to": "a@x.io"}));
}

#[test]
fn format_detection() {
    let cases = [
        (
            json!({"messages": [{"role": "user", "content": "x"}]}),
            ChatFormat::OpenAi,
        ),
        (
            json!({"system": "s", "messages": []}),
            ChatFormat::Anthropic,
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "r"}]}]}),
            ChatFormat::Anthropic,
        ),
        (
            json!({"messages": [{"role": "tool", "tool_call_id": "t", "content": "r"}]}),
            ChatFormat::OpenAi,
        ),
        (json!({"prompt": "p"}), ChatFormat::OpenAi),
    ];
    for (req, format) in cases {
        let report =
            chat::visit_request(&req, &mut |_, _| Ok::<_, Infallible>(())).expect("valid request");
        assert_eq!(report.format, format, "{req}");
    }
    // Anthropic tool_result detected, so its content is visited.
    let req = &json!({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t", "content": "secret result"}]}]});
    assert_eq!(request_visits(req).len(), 1);
    for bad in [json!({"model": "m"}), json!({})] {
        let err =
            chat::visit_request(&bad, &mut |_, _| Ok::<_, Infallible>(())).expect_err("no format");
        assert!(matches!(err, ChatError::UnknownFormat), "{err:?}");
    }
    let err = chat::visit_response(&json!({"id": "x"}), &mut |_, _| Ok::<_, Infallible>(()))
        .expect_err("no format");
    assert!(matches!(err, ChatError::UnknownFormat), "{err:?}");
}

#[test]
fn unknown_part_types_are_counted() {
    // Issue 6: a part or block of an unknown type is no longer skipped: its
    // strings are visited generically and it is counted in `generic`;
    // `unknown` is left for what is forwarded without inspection.
    // Anthropic blocks in a request forced to OpenAI: walked generically.
    let req = json!({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t", "content": "result text"},
        {"type": "image_url", "image_url": {"url": "u"}},
        {"type": "text", "text": "hello"}
    ]}]});
    let mut walker = Walker::new();
    let mut texts = Vec::new();
    let forced = walker
        .format(ChatFormat::OpenAi)
        .visit_request(&req, &mut |loc, t| {
            texts.push((loc.pointer.clone(), t.to_owned()));
            Ok::<_, Infallible>(())
        })
        .expect("valid");
    assert_eq!((forced.visited, forced.unknown, forced.generic), (2, 0, 1));
    assert_eq!(
        texts[0],
        (
            "/messages/0/content/0/content".to_owned(),
            "result text".to_owned()
        )
    );
    // Detected as Anthropic, the tool result is visited; `image_url` is not
    // an Anthropic block type (and its URL is a payload, not text).
    let auto = chat::visit_request(&req, &mut |_, _| Ok::<_, Infallible>(())).expect("valid");
    assert_eq!(auto.format, ChatFormat::Anthropic);
    assert_eq!((auto.visited, auto.unknown, auto.generic), (2, 0, 1));
    let nested = json!({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "future_block", "text": "x"}]}
    ]}]});
    let report = chat::visit_request(&nested, &mut |_, _| Ok::<_, Infallible>(())).expect("valid");
    assert_eq!((report.visited, report.unknown, report.generic), (1, 0, 1));
    // Responses keep the narrow walk: unknown types are not inspected.
    let resp = json!({"content": [{"type": "future_block", "text": "x"}]});
    let report = chat::visit_response(&resp, &mut |_, _| Ok::<_, Infallible>(())).expect("valid");
    assert_eq!((report.visited, report.unknown, report.generic), (0, 1, 0));
}

const SECRET: &str = "sk-SECRET-VALUE-1234";

/// (request, format, expected pointer of the shape error).
fn shape_cases() -> Vec<(Value, ChatFormat, &'static str)> {
    use ChatFormat::*;
    vec![
        (json!([SECRET]), Auto, ""),
        (json!(SECRET), OpenAi, ""),
        (json!({"messages": SECRET}), Auto, "/messages"),
        (json!({"messages": {"0": SECRET}}), Anthropic, "/messages"),
        (json!({"model": SECRET}), OpenAi, "/messages"),
        (json!({"system": SECRET}), Anthropic, "/messages"),
        (json!({"messages": [SECRET]}), Auto, "/messages/0"),
        (
            json!({"messages": [{"role": 7, "content": SECRET}]}),
            OpenAi,
            "/messages/0/role",
        ),
        (
            json!({"messages": [{"role": "user", "content": 42}]}),
            OpenAi,
            "/messages/0/content",
        ),
        (
            json!({"messages": [{"role": "user", "content": {"text": SECRET}}]}),
            Anthropic,
            "/messages/0/content",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}),
            OpenAi,
            "/messages/0/content/0/text",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "text"}]}]}),
            Anthropic,
            "/messages/0/content/0/text",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"text": SECRET}]}]}),
            OpenAi,
            "/messages/0/content/0/type",
        ),
        (
            json!({"messages": [{"role": "user", "content": ["ok", SECRET]}]}),
            OpenAi,
            "/messages/0/content/0",
        ),
        (
            json!({"messages": [{"role": "assistant", "tool_calls": {"id": SECRET}}]}),
            OpenAi,
            "/messages/0/tool_calls",
        ),
        (
            json!({"messages": [{"role": "assistant", "tool_calls": [SECRET]}]}),
            OpenAi,
            "/messages/0/tool_calls/0",
        ),
        (
            json!({"messages": [{"role": "assistant", "tool_calls": [{"function": SECRET}]}]}),
            OpenAi,
            "/messages/0/tool_calls/0/function",
        ),
        (
            json!({"messages": [{"role": "assistant", "tool_calls": [{"function": {"arguments": {"a": SECRET}}}]}]}),
            OpenAi,
            "/messages/0/tool_calls/0/function/arguments",
        ),
        (
            json!({"messages": [{"role": "assistant", "function_call": [SECRET]}]}),
            OpenAi,
            "/messages/0/function_call",
        ),
        (json!({"prompt": {"p": SECRET}}), OpenAi, "/prompt"),
        (json!({"prompt": [SECRET, {"p": 1}]}), OpenAi, "/prompt/1"),
        (json!({"system": 3, "messages": []}), Anthropic, "/system"),
        (
            json!({"system": [SECRET], "messages": []}),
            Anthropic,
            "/system/0",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "tool_result", "content": 1}]}]}),
            Anthropic,
            "/messages/0/content/0/content",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "tool_result", "content": [{"type": "text", "text": null}]}]}]}),
            Anthropic,
            "/messages/0/content/0/content/0/text",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "tool_result", "content": [SECRET]}]}]}),
            Anthropic,
            "/messages/0/content/0/content/0",
        ),
    ]
}

#[test]
fn shape_errors_carry_the_pointer_and_never_the_text() {
    for (req, format, pointer) in shape_cases() {
        let mut walker = Walker::new();
        walker.format(format);
        let err = walker
            .visit_request(&req, &mut |_, _| Ok::<_, Infallible>(()))
            .expect_err("wrong shape");
        match &err {
            ChatError::Shape { pointer: p, .. } => assert_eq!(p, pointer, "{req}"),
            other => panic!("{req}: expected a shape error, got {other:?}"),
        }
        assert!(!err.to_string().contains(SECRET), "{err}");
        assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
        // A transform fails the same way and leaves the request unchanged.
        let mut copy = req.clone();
        assert!(
            walker
                .transform_request(&mut copy, &mut |_, _| Ok::<_, Infallible>(Some("X".into())))
                .is_err()
        );
        assert_eq!(copy, req);
    }
}

#[test]
fn response_shape_errors() {
    let cases = [
        (json!({"choices": {"0": 1}}), "/choices"),
        (json!({"choices": [3]}), "/choices/0"),
        (json!({"choices": [{"message": "x"}]}), "/choices/0/message"),
        (json!({"choices": [{"text": 1}]}), "/choices/0/text"),
        (json!({"content": "x"}), "/content"),
        (
            json!({"content": [{"type": "text", "text": []}]}),
            "/content/0/text",
        ),
    ];
    for (resp, pointer) in cases {
        let err = chat::visit_response(&resp, &mut |_, _| Ok::<_, Infallible>(()))
            .expect_err("wrong shape");
        assert!(
            matches!(&err, ChatError::Shape { pointer: p, .. } if p == pointer),
            "{resp}: {err:?}"
        );
    }
}

#[derive(Debug, thiserror::Error)]
#[error("scanner refused")]
struct Refused;

#[test]
fn transform_error_is_located_and_leaves_the_request_unchanged() {
    let before = openai_request();
    let mut req = before.clone();
    let err = chat::transform_request(&mut req, &mut |loc, t| {
        if loc.embedded.as_deref() == Some("/result/1/email") {
            Err(Refused)
        } else {
            Ok(Some(format!("<{t}>")))
        }
    })
    .expect_err("closure fails");
    let ChatError::Transform { location, source } = &err else {
        panic!("expected a transform error, got {err:?}");
    };
    assert_eq!(location.pointer, "/messages/4/content");
    assert_eq!(location.kind, TextKind::ToolResult);
    assert!(matches!(source, Refused));
    assert!(std::error::Error::source(&err).is_some());
    assert!(!format!("{err:?}").contains("bob@example.com"));
    assert_eq!(req, before, "nothing is written when the walk fails");
}

fn nested(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |acc, i| {
        // Not `json!`, which would serialize `acc` recursively.
        if i % 2 == 0 {
            Value::Array(vec![acc])
        } else {
            Value::Object([("k".to_owned(), acc)].into_iter().collect())
        }
    })
}

#[test]
fn deep_json_is_a_typed_error() {
    // In place: an Anthropic tool_use input.
    // Built by hand: `json!` would serialize the deep value recursively.
    let tool_use = |input: Value| {
        let mut req = json!({"messages": [{"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": "n", "input": null}]}]});
        if let Some(slot) = req.pointer_mut("/messages/0/content/0/input") {
            *slot = input;
        }
        req
    };
    let ok = tool_use(nested(DEFAULT_MAX_DEPTH, json!("leaf")));
    assert_eq!(request_visits(&ok).len(), 2, "the leaf and the tool name");
    let deep = tool_use(nested(DEFAULT_MAX_DEPTH + 1, json!("leaf")));
    let err =
        chat::visit_request(&deep, &mut |_, _| Ok::<_, Infallible>(())).expect_err("too deep");
    assert!(
        matches!(&err, ChatError::TooDeep { pointer, embedded: None, max_depth: DEFAULT_MAX_DEPTH }
            if pointer.starts_with("/messages/0/content/0/input/")),
        "{err:?}"
    );
    // Far deeper than any stack would allow if the walk did not stop.
    let very_deep = tool_use(nested(50_000, json!("leaf")));
    let err =
        chat::visit_request(&very_deep, &mut |_, _| Ok::<_, Infallible>(())).expect_err("too deep");
    assert!(matches!(err, ChatError::TooDeep { .. }));
    std::mem::forget(very_deep); // serde_json's drop of a 50 000-deep value recurses

    // Embedded in a string: tool-call arguments.
    let args = |s: String| {
        json!({"messages": [{"role": "assistant", "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": s}}]}]})
    };
    let deep_args = args(format!(
        "{}\"leaf\"{}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    ));
    let err =
        chat::visit_request(&deep_args, &mut |_, _| Ok::<_, Infallible>(())).expect_err("too deep");
    assert!(
        matches!(&err, ChatError::TooDeep { pointer, embedded: None, .. }
            if pointer == "/messages/0/tool_calls/0/function/arguments"),
        "{err:?}"
    );
    let fine_args = args(format!("{}\"leaf\"{}", "[".repeat(100), "]".repeat(100)));
    let visits = request_visits(&fine_args);
    assert_eq!(visits.len(), 2, "the leaf and the tool name");
    assert_eq!(visits[0].2.as_deref(), Some(&*"/0".repeat(100)));

    // Generically walked fields (issue 6) are bounded the same way.
    let unknown_key = |v: Value| {
        let mut req = json!({"messages": [], "x-future": null});
        if let Some(slot) = req.pointer_mut("/x-future") {
            *slot = v;
        }
        req
    };
    assert_eq!(
        request_visits(&unknown_key(nested(DEFAULT_MAX_DEPTH, json!("leaf")))).len(),
        1
    );
    let err = chat::visit_request(
        &unknown_key(nested(DEFAULT_MAX_DEPTH + 1, json!("leaf"))),
        &mut |_, _| Ok::<_, Infallible>(()),
    )
    .expect_err("too deep");
    assert!(
        matches!(&err, ChatError::TooDeep { pointer, embedded: None, max_depth: DEFAULT_MAX_DEPTH }
            if pointer.starts_with("/x-future/")),
        "{err:?}"
    );

    // The bound is configurable.
    let mut walker = Walker::new();
    walker.max_depth(3);
    let three = tool_use(nested(3, json!("leaf")));
    let four = tool_use(nested(4, json!("leaf")));
    assert!(
        walker
            .visit_request(&three, &mut |_, _| Ok::<_, Infallible>(()))
            .is_ok()
    );
    assert!(matches!(
        walker.visit_request(&four, &mut |_, _| Ok::<_, Infallible>(())),
        Err(ChatError::TooDeep { max_depth: 3, .. })
    ));
    let args4 = args("[[[[\"x\"]]]]".to_owned());
    assert!(matches!(
        walker.visit_request(&args4, &mut |_, _| Ok::<_, Infallible>(())),
        Err(ChatError::TooDeep { max_depth: 3, .. })
    ));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z{}\\[\\]\":, ]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("text"),
            Just("tool_use"),
            Just("tool_result"),
            Just("image_url"),
            Just("user"),
            Just("tool"),
            Just("{\"a\":\"b\"}"),
            Just("[\"c\"]"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let key = prop_oneof![
            Just("messages"),
            Just("content"),
            Just("role"),
            Just("type"),
            Just("text"),
            Just("tool_calls"),
            Just("function"),
            Just("arguments"),
            Just("input"),
            Just("system"),
            Just("prompt"),
            Just("choices"),
            Just("message"),
            Just("function_call"),
            Just("custom"),
            Just("x"),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..5).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

proptest! {
    /// Nothing panics on any JSON; a walk that returns `None` changes
    /// nothing; after wrapping every text in `<…>` the same number of texts
    /// is found and every one of them is wrapped.
    #[test]
    fn hostile_shapes_never_panic(
        value in any_json(),
        format in prop_oneof![Just(ChatFormat::Auto), Just(ChatFormat::OpenAi), Just(ChatFormat::Anthropic)],
        response in any::<bool>(),
    ) {
        let mut walker = Walker::new();
        walker.format(format);
        let mut copy = value.clone();
        let untouched = if response {
            walker.transform_response(&mut copy, &mut |_, _| Ok::<_, Infallible>(None))
        } else {
            walker.transform_request(&mut copy, &mut |_, _| Ok::<_, Infallible>(None))
        };
        prop_assert_eq!(&copy, &value);
        let wrapped = if response {
            walker.transform_response(&mut copy, &mut |_, t| Ok::<_, Infallible>(Some(format!("<{t}>"))))
        } else {
            walker.transform_request(&mut copy, &mut |_, t| Ok::<_, Infallible>(Some(format!("<{t}>"))))
        };
        match (untouched, wrapped) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.visited, b.visited);
                let mut again = Vec::new();
                let mut collect = |_: &TextLocation, t: &str| {
                    again.push(t.to_owned());
                    Ok::<_, Infallible>(())
                };
                let c = if response {
                    walker.visit_response(&copy, &mut collect)
                } else {
                    walker.visit_request(&copy, &mut collect)
                };
                prop_assert_eq!(c.map(|r| r.visited).ok(), Some(a.visited));
                for t in again {
                    prop_assert!(t.starts_with('<') && t.ends_with('>'), "{t:?}");
                }
            }
            (Err(_), Err(_)) => prop_assert_eq!(&copy, &value),
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,10}",
        Just(String::new()),
        Just("{\"a\": \"b\", \"c\": [\"d\", 1]}".to_owned()),
        Just(" [\"x\", {\"y\": null}]".to_owned()),
        Just("[1, 2]".to_owned()),
        Just("{broken".to_owned()),
        Just("bob@example.com".to_owned()),
    ]
}

fn openai_message() -> impl Strategy<Value = Value> {
    let part = prop_oneof![
        any_text().prop_map(|t| json!({"type": "text", "text": t})),
        Just(json!({"type": "image_url", "image_url": {"url": "https://x.example/i.png"}})),
        Just(json!({"type": "later", "data": "opaque"})),
    ];
    let content = prop_oneof![
        Just(Value::Null),
        any_text().prop_map(Value::String),
        prop::collection::vec(part, 0..4).prop_map(Value::Array),
    ];
    let role = prop_oneof![
        Just("system"),
        Just("developer"),
        Just("user"),
        Just("assistant"),
        Just("tool"),
        Just("function"),
        Just("critic"),
    ];
    let calls = prop::collection::vec(any_text(), 0..3).prop_map(|args| {
        args.into_iter()
            .enumerate()
            .map(|(i, a)| {
                json!({"id": format!("c{i}"), "type": "function",
                    "function": {"name": "f", "arguments": a}})
            })
            .collect::<Vec<_>>()
    });
    (role, content, calls, prop::option::of(any_text())).prop_map(|(role, content, calls, fc)| {
        let mut m = json!({"role": role, "content": content, "name": "n"});
        if !calls.is_empty() {
            m["tool_calls"] = Value::Array(calls);
        }
        if let Some(fc) = fc {
            m["function_call"] = json!({"name": "g", "arguments": fc});
        }
        m
    })
}

fn anthropic_message() -> impl Strategy<Value = Value> {
    let inner = prop_oneof![
        any_text().prop_map(|t| json!({"type": "text", "text": t})),
        Just(json!({"type": "image", "source": {"type": "url", "url": "u"}})),
    ];
    let result_content = prop_oneof![
        Just(Value::Null),
        any_text().prop_map(Value::String),
        prop::collection::vec(inner, 0..3).prop_map(Value::Array),
    ];
    let block = prop_oneof![
        any_text().prop_map(|t| json!({"type": "text", "text": t})),
        Just(json!({"type": "thinking", "thinking": "t", "signature": "s"})),
        any_json()
            .prop_map(|input| json!({"type": "tool_use", "id": "t", "name": "n", "input": input})),
        result_content
            .prop_map(|c| json!({"type": "tool_result", "tool_use_id": "t", "content": c})),
    ];
    let content = prop_oneof![
        any_text().prop_map(Value::String),
        prop::collection::vec(block, 0..4).prop_map(Value::Array),
    ];
    (prop_oneof![Just("user"), Just("assistant")], content)
        .prop_map(|(role, content)| json!({"role": role, "content": content}))
}

fn well_formed_request() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(openai_message(), 0..5)
            .prop_map(|m| json!({"model": "m", "messages": m, "x": {"y": "z"}})),
        (any_text(), prop::collection::vec(anthropic_message(), 0..5))
            .prop_map(|(s, m)| json!({"system": s, "messages": m, "max_tokens": 5})),
    ]
}

proptest! {
    /// On well-formed requests of both formats: exactly the visited strings
    /// change, every text is found again after the transform, and strings
    /// that held JSON still parse.
    #[test]
    fn well_formed_requests_change_exactly_the_visited_strings(req in well_formed_request()) {
        let visits = request_visits(&req);
        let mut after = req.clone();
        let report = bracket(&mut after);
        prop_assert_eq!(report.visited, visits.len());

        let mut expected: Vec<String> = visits.iter().map(|(_, p, ..)| p.clone()).collect();
        expected.sort();
        expected.dedup();
        let mut changed = diff(&req, &after);
        changed.sort();
        prop_assert_eq!(&changed, &expected);

        // The same texts, wrapped (as sets: object members inside arguments
        // are visited in Map order).
        let key = |(m, p, e, k, t): Visit| (m, p, e, format!("{k:?}"), t);
        let mut wrapped: Vec<_> = visits
            .into_iter()
            .map(|(m, p, e, k, t)| key((m, p, e, k, format!("<{t}>"))))
            .collect();
        let mut again: Vec<_> = request_visits(&after).into_iter().map(key).collect();
        wrapped.sort();
        again.sort();
        prop_assert_eq!(wrapped, again);
        for (_, p, e, ..) in request_visits(&after) {
            if e.is_some() {
                let s = after.pointer(&p).and_then(Value::as_str).unwrap_or_default();
                prop_assert!(serde_json::from_str::<Value>(s).is_ok(), "{p} no longer parses");
            }
        }
    }
}

// ---- Whole-request scanning (issue 6): every forwarded string is visited ----

fn whole_openai_request() -> Value {
    json!({
        "model": "gpt-4o",
        "stream": true,
        "tool_choice": "auto",
        "user": "alice@example.com",
        "metadata": {"note": "call 555-0100", "tags": ["vip", 3]},
        "messages": [
            {"role": "user", "name": "Alice Smith", "content": [
                {"type": "text", "text": "hi"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"}},
                {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
                {"type": "file", "file": {"file_data": "JVBERi0=", "filename": "bob-cv.pdf", "file_id": "file-1"}}
            ], "x-extra": {"deep": {"who": "bob@example.com"}}}
        ],
        "tools": [{"type": "function", "function": {
            "name": "lookup_customer",
            "description": "Look up Bob Jones",
            "parameters": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "required": ["email"],
                "properties": {
                    "email": {"type": "string", "format": "email", "pattern": "^.+@.+$",
                        "description": "e.g. bob@example.com"},
                    "tier": {"type": ["string", "null"], "enum": ["gold", "Bob's tier"]},
                    "type": {"$ref": "#/$defs/kind", "description": "a property named type"}
                }
            }
        }}]
    })
}

#[test]
fn issue_6_openai_whole_request_every_forwarded_string() {
    use TextKind::*;
    let req = whole_openai_request();
    let props = "/tools/0/function/parameters/properties";
    let expected = vec![
        v(Some(0), "/messages/0/content/0/text", None, User, "hi"),
        v(
            Some(0),
            "/messages/0/content/3/file/filename",
            None,
            User,
            "bob-cv.pdf",
        ),
        // The message's other members, in Map order: `name`, `x-extra`.
        v(Some(0), "/messages/0/name", None, Field, "Alice Smith"),
        v(
            Some(0),
            "/messages/0/x-extra/deep/who",
            None,
            Field,
            "bob@example.com",
        ),
        // Tool definitions: name, description, schema prose and values.
        v(
            None,
            "/tools/0/function/description",
            None,
            ToolDefinition,
            "Look up Bob Jones",
        ),
        v(
            None,
            "/tools/0/function/name",
            None,
            ToolDefinition,
            "lookup_customer",
        ),
        v(
            None,
            &format!("{props}/email/description"),
            None,
            ToolDefinition,
            "e.g. bob@example.com",
        ),
        v(
            None,
            &format!("{props}/tier/enum/0"),
            None,
            ToolDefinition,
            "gold",
        ),
        v(
            None,
            &format!("{props}/tier/enum/1"),
            None,
            ToolDefinition,
            "Bob's tier",
        ),
        v(
            None,
            &format!("{props}/type/description"),
            None,
            ToolDefinition,
            "a property named type",
        ),
        // Unknown top-level keys, nested too.
        v(None, "/metadata/note", None, Field, "call 555-0100"),
        v(None, "/metadata/tags/0", None, Field, "vip"),
        v(None, "/user", None, Field, "alice@example.com"),
    ];
    assert_eq!(request_visits(&req), expected);

    // Every pointer is exact, and the transform sees the same sequence.
    for (_, p, _, _, t) in &expected {
        assert_eq!(req.pointer(p).and_then(Value::as_str), Some(t.as_str()));
    }
    let mut seen = Vec::new();
    let mut after = req.clone();
    let report = chat::transform_request(&mut after, &mut |loc, t| {
        seen.push(visit(loc, t));
        Ok::<_, Infallible>(Some(format!("<{t}>")))
    })
    .expect("valid");
    assert_eq!(seen, expected);
    assert_eq!((report.visited, report.changed), (13, 13));
    assert_eq!((report.unknown, report.generic), (0, 0));
    let mut changed = diff(&req, &after);
    changed.sort();
    let mut pointers: Vec<String> = expected.into_iter().map(|(_, p, ..)| p).collect();
    pointers.sort();
    assert_eq!(changed, pointers, "exactly the visited strings change");
    // The schema is still a schema: keywords, `required` and keys untouched.
    assert_eq!(
        after["tools"][0]["function"]["parameters"]["properties"]["email"],
        json!({"type": "string", "format": "email", "pattern": "^.+@.+$",
            "description": "<e.g. bob@example.com>"})
    );
    assert_eq!(
        after["tools"][0]["function"]["parameters"]["required"],
        json!(["email"])
    );
}

#[test]
fn issue_6_structural_strings_are_not_visited() {
    let texts: Vec<String> = request_visits(&whole_openai_request())
        .into_iter()
        .map(|(.., t)| t)
        .collect();
    for structural in [
        "gpt-4o",
        "user",
        "auto",
        "function",
        "object",
        "string",
        "null",
        "email",
        "^.+@.+$",
        "#/$defs/kind",
        "http://json-schema.org/draft-07/schema#",
        "data:image/png;base64,iVBORw0KGgo=",
        "high",
        "image_url",
        "UklGRg==",
        "wav",
        "JVBERi0=",
        "file-1",
    ] {
        assert!(
            !texts.iter().any(|t| t == structural),
            "{structural:?} is structural but was visited"
        );
    }
    // An object `tool_choice` names a tool: its name is visited, its type not.
    let req = json!({"model": "m", "messages": [],
        "tool_choice": {"type": "function", "function": {"name": "lookup_customer"}}});
    assert_eq!(
        request_visits(&req),
        vec![v(
            None,
            "/tool_choice/function/name",
            None,
            TextKind::Field,
            "lookup_customer"
        )]
    );
}

#[test]
fn issue_6_tool_calls_and_function_call_names() {
    use TextKind::*;
    let req = json!({"messages": [
        {"role": "assistant", "content": null, "refusal": "I won't, Bob", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "mail_bob", "arguments": "{\"to\":\"b@x.io\"}"}}
        ]},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "no, Alice"}]}
    ]});
    let args = "/messages/0/tool_calls/0/function/arguments";
    assert_eq!(
        request_visits(&req),
        vec![
            v(Some(0), args, Some("/to"), ToolArguments, "b@x.io"),
            v(
                Some(0),
                "/messages/0/tool_calls/0/function/name",
                None,
                ToolArguments,
                "mail_bob"
            ),
            v(Some(0), "/messages/0/refusal", None, Field, "I won't, Bob"),
            v(
                Some(1),
                "/messages/1/content/0/refusal",
                None,
                Assistant,
                "no, Alice"
            ),
        ]
    );
}

fn whole_anthropic_request() -> Value {
    json!({
        "model": "claude-sonnet-4",
        "anthropic_version": "2023-06-01",
        "max_tokens": 10,
        "metadata": {"user_id": "alice@example.com"},
        "stop_sequences": ["Bob:"],
        "system": "sys",
        "tools": [{
            "name": "find_person",
            "description": "Finds Bob Jones",
            "input_schema": {"type": "object",
                "properties": {"ssn": {"type": "string", "description": "like 078-05-1120",
                    "examples": ["078-05-1120"]}},
                "required": ["ssn"]},
            "cache_control": {"type": "ephemeral"}
        }],
        "messages": [
            {"role": "user", "content": [
                {"type": "document", "title": "Bob's notes",
                    "source": {"type": "text", "media_type": "text/plain", "data": "Bob lives at 1 Main St"}},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "future_block", "payload": {"note": "call Alice"}, "id": "fb_1"}
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "Alice is Bob's sister", "signature": "c2ln"},
                {"type": "redacted_thinking", "data": "ZW5j"},
                {"type": "tool_use", "id": "toolu_1", "name": "find_person", "input": {"q": "Bob"}}
            ]}
        ]
    })
}

#[test]
fn issue_6_anthropic_whole_request_every_forwarded_string() {
    use TextKind::*;
    let req = whole_anthropic_request();
    let schema = "/tools/0/input_schema/properties/ssn";
    let expected = vec![
        v(None, "/system", None, System, "sys"),
        // A document's text source is text; an image's data is not.
        v(
            Some(0),
            "/messages/0/content/0/source/data",
            None,
            User,
            "Bob lives at 1 Main St",
        ),
        v(
            Some(0),
            "/messages/0/content/0/title",
            None,
            User,
            "Bob's notes",
        ),
        // An unknown block type: its strings, generically, except `id`.
        v(
            Some(0),
            "/messages/0/content/2/payload/note",
            None,
            User,
            "call Alice",
        ),
        // Thinking blocks are signed: not visited (counted in `unknown`).
        v(
            Some(1),
            "/messages/1/content/2/input/q",
            None,
            ToolArguments,
            "Bob",
        ),
        v(
            Some(1),
            "/messages/1/content/2/name",
            None,
            ToolArguments,
            "find_person",
        ),
        v(
            None,
            "/tools/0/description",
            None,
            ToolDefinition,
            "Finds Bob Jones",
        ),
        v(
            None,
            &format!("{schema}/description"),
            None,
            ToolDefinition,
            "like 078-05-1120",
        ),
        v(
            None,
            &format!("{schema}/examples/0"),
            None,
            ToolDefinition,
            "078-05-1120",
        ),
        v(None, "/tools/0/name", None, ToolDefinition, "find_person"),
        v(None, "/metadata/user_id", None, Field, "alice@example.com"),
        v(None, "/stop_sequences/0", None, Field, "Bob:"),
    ];
    assert_eq!(request_visits(&req), expected);
    for (_, p, _, _, t) in &expected {
        assert_eq!(req.pointer(p).and_then(Value::as_str), Some(t.as_str()));
    }
    let mut after = req.clone();
    let report = bracket(&mut after);
    assert_eq!(report.format, ChatFormat::Anthropic);
    assert_eq!(report.visited, expected.len());
    assert_eq!(report.unknown, 2, "thinking and redacted_thinking");
    assert_eq!(report.generic, 1, "future_block");
    assert_eq!(
        after["messages"][1]["content"][0],
        req["messages"][1]["content"][0]
    );
    assert_eq!(
        after["messages"][1]["content"][1],
        req["messages"][1]["content"][1]
    );
    assert_eq!(
        after["messages"][0]["content"][1],
        req["messages"][0]["content"][1]
    );
    assert_eq!(
        after["tools"][0]["input_schema"]["required"],
        json!(["ssn"])
    );
}

#[test]
fn issue_6_responses_stay_narrow() {
    // Restoring placeholders needs only the texts: names and unknown keys of
    // a response are not visited.
    let resp = json!({"id": "x", "system_fingerprint": "fp", "choices": [{"message": {
        "role": "assistant", "content": "c", "name": "n", "x": "y",
        "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "a"}}]
    }}]});
    let texts: Vec<String> = response_visits(&resp)
        .into_iter()
        .map(|(.., t)| t)
        .collect();
    assert_eq!(texts, ["c", "a"]);
}

fn any_field() -> impl Strategy<Value = (String, Value)> {
    let key = prop_oneof![
        Just("metadata"),
        Just("user"),
        Just("stop"),
        Just("type"),
        Just("id"),
        Just("required"),
        Just("source"),
        Just("data"),
        Just("enum"),
        Just("x-future"),
    ];
    (key, any_json()).prop_map(|(k, v)| (k.to_owned(), v))
}

fn with_fields(mut v: Value, fields: Vec<(String, Value)>) -> Value {
    if let Value::Object(obj) = &mut v {
        for (k, f) in fields {
            // Never replace the keys the walk relies on.
            if !obj.contains_key(&k) {
                obj.insert(k, f);
            }
        }
    }
    v
}

fn any_tool() -> impl Strategy<Value = Value> {
    (any_text(), any_json(), any::<bool>()).prop_map(|(description, schema, openai)| {
        if openai {
            json!({"type": "function", "function": {"name": "t", "description": description,
                "parameters": {"type": "object", "properties": {"p": schema}, "required": ["p"]}}})
        } else {
            json!({"name": "t", "description": description, "input_schema": schema})
        }
    })
}

/// Well-formed requests with everything a whole-request walk must see:
/// tool definitions, names, extra fields at the top level, in messages and
/// in parts.
fn whole_request() -> impl Strategy<Value = Value> {
    (
        well_formed_request(),
        prop::collection::vec(any_tool(), 0..3),
        prop::collection::vec(any_field(), 0..3),
        prop::collection::vec(any_field(), 0..3),
    )
        .prop_map(|(req, tools, top, nested)| {
            let mut req = with_fields(req, top);
            if !tools.is_empty() {
                req["tools"] = Value::Array(tools);
            }
            if let Some(Value::Array(messages)) = req.get_mut("messages")
                && let Some(first) = messages.first_mut()
            {
                *first = with_fields(first.take(), nested);
            }
            req
        })
}

proptest! {
    /// The guard's invariant: visiting and transforming see the same texts
    /// at the same locations in the same order; an identity transform (by
    /// `None` or by returning the same text) leaves the request identical;
    /// every pointer is exact.
    #[test]
    fn issue_6_visit_order_is_transform_order(
        req in prop_oneof![whole_request(), any_json()],
    ) {
        let mut visited = Vec::new();
        let v = chat::visit_request(&req, &mut |loc, t| {
            visited.push(visit(loc, t));
            Ok::<_, Infallible>(())
        });
        for identity in [false, true] {
            let mut transformed = Vec::new();
            let mut copy = req.clone();
            let t = chat::transform_request(&mut copy, &mut |loc, t| {
                transformed.push(visit(loc, t));
                Ok::<_, Infallible>(identity.then(|| t.to_owned()))
            });
            prop_assert_eq!(&copy, &req);
            prop_assert_eq!(v.as_ref().ok(), t.as_ref().ok());
            if v.is_ok() {
                prop_assert_eq!(&visited, &transformed);
                prop_assert_eq!(t.map(|r| r.changed).ok(), Some(0));
            }
        }
        // Exactly once: no location is visited twice.
        let mut locations: Vec<(&String, &Option<String>)> =
            visited.iter().map(|(_, p, e, ..)| (p, e)).collect();
        locations.sort();
        let n = locations.len();
        locations.dedup();
        prop_assert_eq!(locations.len(), n);
        for (_, p, e, _, t) in &visited {
            let at = req.pointer(p).and_then(Value::as_str);
            match e {
                None => prop_assert_eq!(at, Some(t.as_str()), "{}", p),
                Some(e) => {
                    let inner: Value = serde_json::from_str(at.unwrap_or_default())
                        .map_err(|_| TestCaseError::fail(format!("{p} is not JSON")))?;
                    prop_assert_eq!(inner.pointer(e).and_then(Value::as_str), Some(t.as_str()));
                }
            }
        }
    }

    /// On whole requests exactly the visited strings change, and the same
    /// texts are found again after the transform.
    #[test]
    fn issue_6_whole_requests_change_exactly_the_visited_strings(req in whole_request()) {
        let visits = request_visits(&req);
        let mut after = req.clone();
        let report = bracket(&mut after);
        prop_assert_eq!(report.visited, visits.len());
        let mut expected: Vec<String> = visits.iter().map(|(_, p, ..)| p.clone()).collect();
        expected.sort();
        expected.dedup();
        let mut changed = diff(&req, &after);
        changed.sort();
        prop_assert_eq!(&changed, &expected);
        prop_assert_eq!(request_visits(&after).len(), visits.len());
    }
}
