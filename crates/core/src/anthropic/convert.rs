use serde_json::{Map, Value, json};

use super::wire::{
    AnthropicContent, AnthropicMessage, AnthropicTool, AnthropicUsage, ContentBlock,
    MessagesRequest, MessagesResponse, SystemPrompt,
};
use crate::Error;
use crate::chat::{
    ChatRequest, ChatResponse, Choice, ContentPart, Extra, FunctionCall, FunctionDef, ImageUrl,
    Message, MessageContent, Nullable, ResponseMeta, Role, Stop, Tool, ToolCall, Usage,
};

/// OpenAI `finish_reason` for an Anthropic `stop_reason`.
pub fn from_stop_reason(reason: &str) -> &'static str {
    match reason {
        "max_tokens" | "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        // end_turn, stop_sequence, pause_turn and anything new
        _ => "stop",
    }
}

/// Anthropic `stop_reason` for an OpenAI `finish_reason`.
pub fn to_stop_reason(reason: &str) -> &'static str {
    match reason {
        "length" => "max_tokens",
        "tool_calls" | "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    }
}

fn bad(param: String, reason: impl Into<String>) -> Error {
    Error::InvalidRequest {
        provider: None,
        reason: reason.into(),
        param: Some(param),
    }
}

/// Maps an OpenAI-shaped request to Anthropic's Messages format.
///
/// `default_max_tokens` is used when the request sets no output limit
/// (Anthropic requires one). System and developer messages become the
/// `system` prompt; consecutive tool results and user messages become one
/// user turn with the `tool_result` blocks first. Temperatures above 1 are
/// clamped to Anthropic's maximum of 1.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the parameter for what Anthropic cannot
/// express: `n > 1`, a JSON `response_format`, tool-call arguments that are
/// not a JSON object, non-function tools, unknown roles, and a conversation
/// with no user or assistant turn.
pub fn to_messages_request(
    req: &ChatRequest,
    default_max_tokens: u32,
) -> Result<MessagesRequest, Error> {
    if req.n.is_some_and(|n| n > 1) {
        return Err(bad("n".into(), "Anthropic returns one choice; n must be 1"));
    }
    if let Some(format) = &req.response_format {
        if format.get("type").and_then(Value::as_str) != Some("text") {
            return Err(bad(
                "response_format".into(),
                "JSON response formats are not supported by the Anthropic Messages API",
            ));
        }
    }
    let mut system: Vec<String> = Vec::new();
    let mut turns: Vec<AnthropicMessage> = Vec::new();
    for (i, m) in req.messages.iter().enumerate() {
        match &m.role {
            Role::System | Role::Developer => system.push(m.text()),
            Role::User => {
                push_turn_content(&mut turns, Role::User, user_blocks(m, i)?);
            }
            Role::Tool => {
                let id = m.tool_call_id.clone().ok_or_else(|| {
                    bad(
                        format!("messages[{i}].tool_call_id"),
                        "tool messages need a tool_call_id",
                    )
                })?;
                let content = match m.content.value() {
                    Some(MessageContent::Text(t)) => Some(AnthropicContent::Text(t.clone())),
                    Some(MessageContent::Parts(parts)) => {
                        Some(AnthropicContent::Blocks(parts_to_blocks(parts, i)?))
                    }
                    None => None,
                };
                let block = ContentBlock::ToolResult {
                    tool_use_id: id,
                    content,
                    is_error: None,
                    extra: Extra::new(),
                };
                // Tool results lead their user turn.
                match turns.last_mut() {
                    Some(last) if last.role == Role::User => {
                        with_blocks(&mut last.content, |blocks| {
                            let at = blocks
                                .iter()
                                .position(|b| !matches!(b, ContentBlock::ToolResult { .. }))
                                .unwrap_or(blocks.len());
                            blocks.insert(at, block);
                        })
                    }
                    _ => turns.push(AnthropicMessage {
                        role: Role::User,
                        content: AnthropicContent::Blocks(vec![block]),
                        extra: Extra::new(),
                    }),
                }
            }
            Role::Assistant => {
                let mut blocks = match m.content.value() {
                    Some(MessageContent::Text(t)) if t.is_empty() => Vec::new(),
                    Some(MessageContent::Text(t)) => vec![ContentBlock::text(t.clone())],
                    Some(MessageContent::Parts(parts)) => parts_to_blocks(parts, i)?,
                    None => Vec::new(),
                };
                for (j, call) in m.tool_calls.iter().flatten().enumerate() {
                    let input: Value = if call.function.arguments.trim().is_empty() {
                        Value::Object(Map::new())
                    } else {
                        serde_json::from_str(&call.function.arguments).map_err(|_| {
                            bad(
                                format!("messages[{i}].tool_calls[{j}].function.arguments"),
                                "tool-call arguments are not valid JSON",
                            )
                        })?
                    };
                    if !input.is_object() {
                        return Err(bad(
                            format!("messages[{i}].tool_calls[{j}].function.arguments"),
                            "tool-call arguments must be a JSON object",
                        ));
                    }
                    blocks.push(ContentBlock::ToolUse {
                        id: call.id.clone(),
                        name: call.function.name.clone(),
                        input,
                        extra: Extra::new(),
                    });
                }
                let content = match (blocks.as_slice(), m.tool_calls.is_none()) {
                    ([ContentBlock::Text { text, extra }], true) if extra.is_empty() => {
                        AnthropicContent::Text(text.clone())
                    }
                    _ => AnthropicContent::Blocks(blocks),
                };
                push_turn_content(&mut turns, Role::Assistant, content);
            }
            other => {
                return Err(bad(
                    format!("messages[{i}].role"),
                    format!("role `{other}` has no Anthropic equivalent"),
                ));
            }
        }
    }
    if turns.is_empty() {
        return Err(bad(
            "messages".into(),
            "Anthropic needs at least one user or assistant message",
        ));
    }
    let tools = match &req.tools {
        None => None,
        Some(tools) => Some(
            tools
                .iter()
                .enumerate()
                .map(|(i, t)| match &t.function {
                    Some(f) if t.kind == "function" => Ok(AnthropicTool {
                        name: f.name.clone(),
                        description: f.description.clone(),
                        input_schema: Some(
                            f.parameters
                                .clone()
                                .unwrap_or_else(|| json!({"type": "object"})),
                        ),
                        extra: Extra::new(),
                    }),
                    _ => Err(bad(
                        format!("tools[{i}]"),
                        "only function tools map to Anthropic",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let mut tool_choice = match &req.tool_choice {
        None => None,
        Some(Value::String(s)) => Some(match s.as_str() {
            "required" => json!({"type": "any"}),
            "none" => json!({"type": "none"}),
            _ => json!({"type": "auto"}),
        }),
        Some(v) => match v.pointer("/function/name").and_then(Value::as_str) {
            Some(name) => Some(json!({"type": "tool", "name": name})),
            None => return Err(bad("tool_choice".into(), "unrecognised tool_choice")),
        },
    };
    if req.parallel_tool_calls == Some(false) {
        let choice = tool_choice.get_or_insert_with(|| json!({"type": "auto"}));
        if let Some(obj) = choice.as_object_mut() {
            obj.insert("disable_parallel_tool_use".into(), true.into());
        }
    }
    let mut out = MessagesRequest {
        model: req.model.clone(),
        messages: turns,
        max_tokens: req.output_limit().unwrap_or(default_max_tokens),
        system: if system.is_empty() {
            None
        } else {
            Some(SystemPrompt::Text(system.join("\n\n")))
        },
        stop_sequences: req.stop.as_ref().map(Stop::to_vec),
        temperature: req.temperature.map(|t| t.clamp(0.0, 1.0)),
        top_p: req.top_p,
        top_k: None,
        stream: req.stream,
        tools,
        tool_choice,
        metadata: req.user.as_ref().map(|u| json!({"user_id": u})),
        extra: Extra::new(),
    };
    if let Some(extra) = &req.anthropic {
        for (k, v) in extra {
            match k.as_str() {
                "top_k" => out.top_k = v.as_u64().and_then(|k| u32::try_from(k).ok()),
                // System blocks kept for their `cache_control` are used only
                // while their text is still exactly the system text of the
                // messages: if anything rewrote that text (a policy), the
                // rewritten text wins and the blocks are dropped, so an
                // original value can never travel in the kept copy.
                "system" => {
                    let kept: Option<SystemPrompt> = serde_json::from_value(v.clone()).ok();
                    let current = system.join("\n\n");
                    if let Some(SystemPrompt::Blocks(blocks)) = kept {
                        if AnthropicContent::Blocks(blocks.clone()).text() == current {
                            out.system = Some(SystemPrompt::Blocks(blocks));
                        }
                    }
                }
                "metadata" => out.metadata = Some(v.clone()),
                _ => {
                    out.extra.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Ok(out)
}

/// Runs `f` on `content` as a block list (a string becomes one text block).
fn with_blocks(content: &mut AnthropicContent, f: impl FnOnce(&mut Vec<ContentBlock>)) {
    let mut blocks = match std::mem::replace(content, AnthropicContent::Blocks(Vec::new())) {
        AnthropicContent::Text(t) => vec![ContentBlock::text(t)],
        AnthropicContent::Blocks(b) => b,
    };
    f(&mut blocks);
    *content = AnthropicContent::Blocks(blocks);
}

fn user_blocks(m: &Message, i: usize) -> Result<AnthropicContent, Error> {
    Ok(match m.content.value() {
        Some(MessageContent::Text(t)) => AnthropicContent::Text(t.clone()),
        Some(MessageContent::Parts(parts)) => AnthropicContent::Blocks(parts_to_blocks(parts, i)?),
        None => AnthropicContent::Text(String::new()),
    })
}

/// Appends a turn, merging into the previous one when it has the same role
/// (Anthropic combines consecutive same-role turns anyway; merging keeps
/// tool results and the user's follow-up in one turn).
fn push_turn_content(turns: &mut Vec<AnthropicMessage>, role: Role, content: AnthropicContent) {
    match turns.last_mut() {
        Some(last) if last.role == role => {
            let mut add = match content {
                AnthropicContent::Text(t) => vec![ContentBlock::text(t)],
                AnthropicContent::Blocks(b) => b,
            };
            with_blocks(&mut last.content, |blocks| blocks.append(&mut add));
        }
        _ => turns.push(AnthropicMessage {
            role,
            content,
            extra: Extra::new(),
        }),
    }
}

fn parts_to_blocks(parts: &[ContentPart], i: usize) -> Result<Vec<ContentBlock>, Error> {
    parts
        .iter()
        .enumerate()
        .map(|(j, p)| {
            Ok(match p {
                ContentPart::Text { text, extra } => ContentBlock::Text {
                    text: text.clone(),
                    extra: extra.clone(),
                },
                ContentPart::ImageUrl { image_url, .. } => ContentBlock::Image {
                    source: image_source(&image_url.url).ok_or_else(|| {
                        bad(
                            format!("messages[{i}].content[{j}].image_url.url"),
                            "malformed data: URL",
                        )
                    })?,
                    extra: Extra::new(),
                },
                // Opaque parts (documents, thinking) pass through as blocks.
                ContentPart::Other(m) => ContentBlock::Other(m.clone()),
            })
        })
        .collect()
}

/// `data:image/png;base64,AAAA` → a base64 source; anything else → a URL source.
fn image_source(url: &str) -> Option<Value> {
    match url.strip_prefix("data:") {
        Some(rest) => {
            let (head, data) = rest.split_once(',')?;
            let media_type = head.strip_suffix(";base64")?;
            Some(json!({"type": "base64", "media_type": media_type, "data": data}))
        }
        None => Some(json!({"type": "url", "url": url})),
    }
}

fn image_url_of(source: &Value) -> Option<String> {
    match source.get("type").and_then(Value::as_str)? {
        "base64" => Some(format!(
            "data:{};base64,{}",
            source.get("media_type")?.as_str()?,
            source.get("data")?.as_str()?
        )),
        "url" => Some(source.get("url")?.as_str()?.to_owned()),
        _ => None,
    }
}

fn blocks_to_parts(blocks: &[ContentBlock]) -> Vec<ContentPart> {
    blocks
        .iter()
        .map(|b| match b {
            ContentBlock::Text { text, extra } => ContentPart::Text {
                text: text.clone(),
                extra: extra.clone(),
            },
            ContentBlock::Image { source, extra } if extra.is_empty() => match image_url_of(source)
            {
                Some(url) => ContentPart::ImageUrl {
                    image_url: ImageUrl {
                        url,
                        detail: None,
                        extra: Extra::new(),
                    },
                    extra: Extra::new(),
                },
                None => ContentPart::Other(block_map(b)),
            },
            other => ContentPart::Other(block_map(other)),
        })
        .collect()
}

fn block_map(b: &ContentBlock) -> Extra {
    match serde_json::to_value(b) {
        Ok(Value::Object(m)) => m,
        _ => Extra::new(),
    }
}

/// Parts → content: one plain text part becomes a string.
fn parts_content(parts: Vec<ContentPart>) -> MessageContent {
    match parts.as_slice() {
        [ContentPart::Text { text, extra }] if extra.is_empty() => {
            MessageContent::Text(text.clone())
        }
        _ => MessageContent::Parts(parts),
    }
}

/// Maps an Anthropic Messages request to the OpenAI shape (what the
/// gateway's `/v1/messages` endpoint does before the shared pipeline).
///
/// `tool_result` blocks become `tool` messages ahead of the rest of their
/// user turn; `tool_use` blocks become assistant `tool_calls` with the
/// input serialized as the arguments. `top_k` and unknown fields are kept
/// in [`ChatRequest::anthropic`].
///
/// # Errors
/// [`Error::InvalidRequest`] when a `tool_result` appears in an assistant
/// turn or a `tool_use` in a user turn.
pub fn from_messages_request(req: MessagesRequest) -> Result<ChatRequest, Error> {
    let mut messages = Vec::new();
    let mut anthropic = req.extra;
    match req.system {
        Some(SystemPrompt::Text(t)) => messages.push(Message::system(t)),
        Some(SystemPrompt::Blocks(blocks)) => {
            let plain = blocks
                .iter()
                .all(|b| matches!(b, ContentBlock::Text { extra, .. } if extra.is_empty()));
            if !plain {
                // cache_control and the like: restored verbatim on the way back.
                if let Ok(v) = serde_json::to_value(&blocks) {
                    anthropic.insert("system".into(), v);
                }
            }
            messages.push(Message::system(AnthropicContent::Blocks(blocks).text()));
        }
        None => {}
    }
    for (i, turn) in req.messages.into_iter().enumerate() {
        let blocks = match turn.content {
            AnthropicContent::Text(t) => {
                messages.push(Message::new(turn.role, t));
                continue;
            }
            AnthropicContent::Blocks(b) => b,
        };
        if turn.role == Role::Assistant {
            let mut calls = Vec::new();
            let mut rest = Vec::new();
            for (j, b) in blocks.into_iter().enumerate() {
                match b {
                    ContentBlock::ToolUse {
                        id, name, input, ..
                    } => calls.push(ToolCall {
                        id,
                        kind: "function".into(),
                        function: FunctionCall {
                            name,
                            arguments: input.to_string(),
                            extra: Extra::new(),
                        },
                        extra: Extra::new(),
                    }),
                    ContentBlock::ToolResult { .. } => {
                        return Err(bad(
                            format!("messages[{i}].content[{j}]"),
                            "tool_result blocks belong in user turns",
                        ));
                    }
                    other => rest.push(other),
                }
            }
            let parts = blocks_to_parts(&rest);
            let mut m = Message::new(Role::Assistant, MessageContent::Text(String::new()));
            m.content = if parts.is_empty() {
                Nullable::Null
            } else {
                Nullable::Value(parts_content(parts))
            };
            if !calls.is_empty() {
                m.tool_calls = Some(calls);
            }
            messages.push(m);
        } else {
            let mut rest = Vec::new();
            for (j, b) in blocks.into_iter().enumerate() {
                match b {
                    ContentBlock::ToolResult {
                        tool_use_id,
                        content,
                        is_error,
                        ..
                    } => {
                        let content = match content {
                            None => MessageContent::Text(String::new()),
                            Some(AnthropicContent::Text(t)) => MessageContent::Text(t),
                            Some(AnthropicContent::Blocks(b)) => parts_content(blocks_to_parts(&b)),
                        };
                        let mut m = Message::tool(tool_use_id, content);
                        if let Some(e) = is_error {
                            m.extra.insert("is_error".into(), e.into());
                        }
                        messages.push(m);
                    }
                    ContentBlock::ToolUse { .. } => {
                        return Err(bad(
                            format!("messages[{i}].content[{j}]"),
                            "tool_use blocks belong in assistant turns",
                        ));
                    }
                    other => rest.push(other),
                }
            }
            if !rest.is_empty() {
                messages.push(Message::new(
                    turn.role,
                    parts_content(blocks_to_parts(&rest)),
                ));
            }
        }
    }
    let tools = req.tools.map(|tools| {
        tools
            .into_iter()
            .map(|t| {
                let mut tool = Tool::function(FunctionDef {
                    name: t.name,
                    description: t.description,
                    parameters: t.input_schema,
                    strict: None,
                    extra: Extra::new(),
                });
                tool.extra = t.extra;
                tool
            })
            .collect()
    });
    let mut parallel_tool_calls = None;
    let tool_choice = req.tool_choice.map(|c| {
        if c.get("disable_parallel_tool_use").and_then(Value::as_bool) == Some(true) {
            parallel_tool_calls = Some(false);
        }
        match c.get("type").and_then(Value::as_str) {
            Some("any") => json!("required"),
            Some("none") => json!("none"),
            Some("tool") => json!({"type": "function", "function": {"name": c.get("name").cloned().unwrap_or(Value::Null)}}),
            _ => json!("auto"),
        }
    });
    let mut user = None;
    if let Some(meta) = req.metadata {
        match meta.get("user_id").and_then(Value::as_str) {
            Some(u) if meta.as_object().is_some_and(|o| o.len() == 1) => user = Some(u.to_owned()),
            _ => {
                anthropic.insert("metadata".into(), meta);
            }
        }
    }
    if let Some(k) = req.top_k {
        anthropic.insert("top_k".into(), k.into());
    }
    Ok(ChatRequest {
        model: req.model,
        messages,
        tools,
        tool_choice,
        parallel_tool_calls,
        temperature: req.temperature,
        top_p: req.top_p,
        max_tokens: Some(req.max_tokens),
        stop: req.stop_sequences.map(Stop::Many),
        stream: req.stream,
        user,
        anthropic: if anthropic.is_empty() {
            None
        } else {
            Some(anthropic)
        },
        ..ChatRequest::default()
    })
}

/// Maps an Anthropic response to the OpenAI shape. `created` is the Unix
/// time to stamp (Anthropic responses carry none).
pub fn from_messages_response(resp: MessagesResponse, created: u64) -> ChatResponse {
    let mut text = String::new();
    let mut calls = Vec::new();
    for b in &resp.content {
        match b {
            ContentBlock::Text { text: t, .. } => text.push_str(t),
            ContentBlock::ToolUse {
                id, name, input, ..
            } => calls.push(ToolCall {
                id: id.clone(),
                kind: "function".into(),
                function: FunctionCall {
                    name: name.clone(),
                    arguments: input.to_string(),
                    extra: Extra::new(),
                },
                extra: Extra::new(),
            }),
            _ => {}
        }
    }
    let mut message = Message::assistant(text.clone());
    if !calls.is_empty() {
        if text.is_empty() {
            message.content = Nullable::Null;
        }
        message.tool_calls = Some(calls);
    }
    let finish = resp
        .stop_reason
        .value()
        .map(|r| from_stop_reason(r).to_owned());
    ChatResponse {
        id: resp.id,
        object: "chat.completion".into(),
        created,
        model: resp.model.clone(),
        choices: vec![Choice {
            index: 0,
            message,
            finish_reason: finish.into(),
            extra: Extra::new(),
        }],
        usage: Nullable::Value(Usage::new(
            resp.usage.total_input(),
            resp.usage.output_tokens,
        )),
        extra: Extra::new(),
        meta: ResponseMeta {
            model: resp.model,
            ..ResponseMeta::default()
        },
    }
}

/// Maps an OpenAI-shaped response to Anthropic's format (the gateway's
/// `/v1/messages` answer). The first choice is used. Tool-call arguments
/// that are not a JSON object are wrapped as `{"arguments": "<text>"}`
/// (Anthropic's `input` must be an object).
pub fn to_messages_response(resp: &ChatResponse) -> MessagesResponse {
    let mut content = Vec::new();
    let mut stop = None;
    if let Some(choice) = resp.choices.first() {
        let text = choice.message.text();
        if !text.is_empty() {
            content.push(ContentBlock::text(text));
        }
        for call in choice.message.tool_calls.iter().flatten() {
            let input = match serde_json::from_str::<Value>(&call.function.arguments) {
                Ok(v) if v.is_object() => v,
                _ => json!({"arguments": call.function.arguments}),
            };
            content.push(ContentBlock::ToolUse {
                id: call.id.clone(),
                name: call.function.name.clone(),
                input,
                extra: Extra::new(),
            });
        }
        stop = choice
            .finish_reason
            .value()
            .map(|r| to_stop_reason(r).to_owned());
    }
    let usage = resp.usage.value().cloned().unwrap_or_default();
    MessagesResponse {
        id: resp.id.clone(),
        kind: "message".into(),
        role: Role::Assistant,
        content,
        model: resp.model.clone(),
        stop_reason: stop.into(),
        stop_sequence: Nullable::Null,
        usage: AnthropicUsage {
            input_tokens: usage.prompt_tokens,
            output_tokens: usage.completion_tokens,
            extra: Extra::new(),
        },
        extra: Extra::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openai_request() -> ChatRequest {
        serde_json::from_value(json!({
            "model": "gpt-4o",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR"}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\"q\":\"x\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "42"},
                {"role": "user", "content": "thanks"}
            ],
            "tools": [{"type": "function", "function": {"name": "lookup", "description": "Find", "parameters": {"type": "object"}}}],
            "tool_choice": "required",
            "parallel_tool_calls": false,
            "max_tokens": 100,
            "temperature": 1.5,
            "stop": "END",
            "user": "u-1",
            "seed": 4
        }))
        .expect("valid request")
    }

    #[test]
    fn openai_request_maps_to_anthropic() {
        let a = to_messages_request(&openai_request(), 4096).expect("maps");
        let v = serde_json::to_value(&a).expect("serializes");
        assert_eq!(
            v,
            json!({
                "model": "gpt-4o",
                "max_tokens": 100,
                "system": "Be brief.",
                "messages": [
                    {"role": "user", "content": [
                        {"type": "text", "text": "What is this?"},
                        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"}}
                    ]},
                    {"role": "assistant", "content": [
                        {"type": "tool_use", "id": "call_1", "name": "lookup", "input": {"q": "x"}}
                    ]},
                    {"role": "user", "content": [
                        {"type": "tool_result", "tool_use_id": "call_1", "content": "42"},
                        {"type": "text", "text": "thanks"}
                    ]}
                ],
                "stop_sequences": ["END"],
                "temperature": 1.0,
                "tools": [{"name": "lookup", "description": "Find", "input_schema": {"type": "object"}}],
                "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                "metadata": {"user_id": "u-1"}
            })
        );
    }

    #[test]
    fn unmappable_requests_are_refused_with_the_parameter() {
        let mut r = openai_request();
        r.n = Some(2);
        assert!(
            matches!(to_messages_request(&r, 1), Err(Error::InvalidRequest { param: Some(p), .. }) if p == "n")
        );
        let mut r = openai_request();
        r.messages[2].tool_calls.as_mut().expect("calls")[0]
            .function
            .arguments = "[1]".into();
        let err = to_messages_request(&r, 1).expect_err("array arguments");
        assert!(
            err.to_string()
                .contains("messages[2].tool_calls[0].function.arguments"),
            "{err}"
        );
        let r = ChatRequest::new("m", vec![Message::system("only system")]);
        assert!(to_messages_request(&r, 1).is_err());
    }

    #[test]
    fn anthropic_request_survives_a_round_trip_through_the_openai_shape() {
        let original: MessagesRequest = serde_json::from_value(json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 512,
            "system": "You help.",
            "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": [
                    {"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}}
                ]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny"},
                    {"type": "text", "text": "And tomorrow?"}
                ]}
            ],
            "tools": [{"name": "weather", "description": "Get weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
            "tool_choice": {"type": "tool", "name": "weather"},
            "stop_sequences": ["\n\nHuman:"],
            "temperature": 0.2,
            "top_k": 40,
            "thinking": {"type": "enabled", "budget_tokens": 1024},
            "metadata": {"user_id": "u-9"}
        }))
        .expect("valid");
        let chat = from_messages_request(original.clone()).expect("maps");
        assert_eq!(
            chat.messages.len(),
            5,
            "system, user, assistant, tool, user"
        );
        assert_eq!(chat.messages[3].role, Role::Tool);
        assert_eq!(chat.messages[2].tool_calls.as_ref().map(Vec::len), Some(1));
        let back = to_messages_request(&chat, 4096).expect("maps back");
        assert_eq!(
            serde_json::to_value(&back).expect("ser"),
            serde_json::to_value(&original).expect("ser")
        );
    }

    #[test]
    fn kept_system_blocks_never_outlive_a_rewrite_of_their_text() {
        let original: MessagesRequest = serde_json::from_value(json!({
            "model": "claude", "max_tokens": 10,
            "system": [{"type": "text", "text": "Agent for jane@example.com", "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": "user", "content": "hi"}]
        }))
        .expect("valid");
        let mut chat = from_messages_request(original.clone()).expect("maps");
        // Unchanged: the blocks (with cache_control) come back.
        let back = to_messages_request(&chat, 10).expect("maps");
        assert_eq!(back.system, original.system);
        // Rewritten (as a policy would): the rewritten text is sent, not the kept blocks.
        chat.messages[0] = Message::system("Agent for <EMAIL_ADDRESS_1>");
        let back = to_messages_request(&chat, 10).expect("maps");
        assert_eq!(
            back.system,
            Some(SystemPrompt::Text("Agent for <EMAIL_ADDRESS_1>".into()))
        );
        assert!(!serde_json::to_string(&back).expect("ser").contains("jane@"));
    }

    #[test]
    fn responses_map_both_ways() {
        let a: MessagesResponse = serde_json::from_value(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [{"type": "text", "text": "Let me look."},
                        {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "x"}}],
            "stop_reason": "tool_use", "stop_sequence": null,
            "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 90}
        }))
        .expect("valid");
        let o = from_messages_response(a.clone(), 7);
        assert_eq!(
            o.choices[0].finish_reason,
            Nullable::Value("tool_calls".into())
        );
        assert_eq!(
            o.usage
                .value()
                .map(|u| (u.prompt_tokens, u.completion_tokens)),
            Some((100, 5))
        );
        let calls = o.choices[0].message.tool_calls.as_ref().expect("calls");
        assert_eq!(calls[0].function.arguments, r#"{"q":"x"}"#);
        let back = to_messages_response(&o);
        assert_eq!(back.content, a.content);
        assert_eq!(back.stop_reason, Nullable::Value("tool_use".into()));
        assert_eq!(back.usage.input_tokens, 100);
    }

    #[test]
    fn stop_reasons_map_both_ways() {
        for (a, o) in [
            ("end_turn", "stop"),
            ("max_tokens", "length"),
            ("tool_use", "tool_calls"),
            ("refusal", "content_filter"),
        ] {
            assert_eq!(from_stop_reason(a), o);
            assert_eq!(to_stop_reason(o), a);
        }
        assert_eq!(from_stop_reason("stop_sequence"), "stop");
    }
}
