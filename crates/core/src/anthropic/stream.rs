use std::collections::HashMap;

use serde_json::{Map, Value};

use super::convert::{from_stop_reason, to_stop_reason};
use super::wire::{
    AnthropicUsage, BlockDelta, ContentBlock, DeltaUsage, MessageDeltaBody, MessagesResponse,
    StreamEvent,
};
use crate::Error;
use crate::chat::{
    ChatChunk, ChunkChoice, Delta, Extra, FunctionCallDelta, Nullable, Role, ToolCallDelta, Usage,
};

/// Turns Anthropic stream events into OpenAI chunks (the Anthropic
/// provider's streaming side). Stateful: one per stream.
///
/// `message_start` gives the first chunk (role, empty content); text deltas
/// become `delta.content`; a `tool_use` block becomes a tool call whose
/// arguments arrive as `input_json_delta`s; `message_delta` gives the chunk
/// with `finish_reason`; with `include_usage`, `message_stop` adds a final
/// usage chunk with no choices, as OpenAI sends. `ping` and unknown events
/// produce nothing; an `error` event is an error.
#[derive(Debug)]
pub struct ChunkMapper {
    provider: String,
    include_usage: bool,
    created: u64,
    id: String,
    model: String,
    input_tokens: u64,
    output_tokens: u64,
    /// Anthropic block index → OpenAI tool-call index.
    tools: HashMap<u32, u32>,
}

impl ChunkMapper {
    /// A mapper for one stream from `provider` (named in errors), stamping
    /// `created` on chunks.
    pub fn new(provider: impl Into<String>, include_usage: bool, created: u64) -> ChunkMapper {
        ChunkMapper {
            provider: provider.into(),
            include_usage,
            created,
            id: String::new(),
            model: String::new(),
            input_tokens: 0,
            output_tokens: 0,
            tools: HashMap::new(),
        }
    }

    fn chunk(&self, delta: Delta, finish: Option<String>) -> ChatChunk {
        let mut c = ChatChunk::new(&self.id, &self.model, self.created);
        c.choices.push(ChunkChoice {
            index: 0,
            delta,
            finish_reason: finish.into(),
            extra: Extra::new(),
        });
        c
    }

    /// The chunks for one event (often none).
    ///
    /// # Errors
    /// An `error` event becomes [`Error::Provider`] with the event's error
    /// type as the code (`overloaded_error` and `api_error` retryable).
    pub fn on_event(&mut self, event: StreamEvent) -> Result<Vec<ChatChunk>, Error> {
        let out = match event {
            StreamEvent::MessageStart { message } => {
                self.id = message.id;
                self.model = message.model;
                self.input_tokens = message.usage.total_input();
                self.output_tokens = message.usage.output_tokens;
                vec![self.chunk(
                    Delta {
                        role: Some(Role::Assistant),
                        content: Nullable::Value(String::new()),
                        ..Delta::default()
                    },
                    None,
                )]
            }
            StreamEvent::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                ContentBlock::Text { text, .. } if !text.is_empty() => vec![self.text(text)],
                ContentBlock::ToolUse {
                    id, name, input, ..
                } => {
                    let n = u32::try_from(self.tools.len()).unwrap_or(u32::MAX);
                    self.tools.insert(index, n);
                    // Input normally arrives as deltas; a non-empty start
                    // input is sent as the first argument piece.
                    let arguments = match &input {
                        Value::Object(m) if m.is_empty() => String::new(),
                        other => other.to_string(),
                    };
                    vec![self.tool_delta(n, Some(id), Some(name), arguments)]
                }
                _ => Vec::new(),
            },
            StreamEvent::ContentBlockDelta { index, delta } => match delta {
                BlockDelta::Text(t) if !t.is_empty() => vec![self.text(t)],
                BlockDelta::InputJson(j) if !j.is_empty() => match self.tools.get(&index) {
                    Some(&n) => vec![self.tool_delta(n, None, None, j)],
                    None => Vec::new(),
                },
                _ => Vec::new(),
            },
            StreamEvent::MessageDelta { delta, usage } => {
                if let Some(u) = usage {
                    self.output_tokens = u.output_tokens;
                }
                match delta.stop_reason.value() {
                    Some(r) => {
                        vec![self.chunk(Delta::default(), Some(from_stop_reason(r).to_owned()))]
                    }
                    None => Vec::new(),
                }
            }
            StreamEvent::MessageStop if self.include_usage => {
                let mut c = ChatChunk::new(&self.id, &self.model, self.created);
                c.usage = Nullable::Value(Usage::new(self.input_tokens, self.output_tokens));
                vec![c]
            }
            StreamEvent::Error { error } => {
                let retryable = matches!(error.kind.as_str(), "overloaded_error" | "api_error");
                return Err(Error::Provider {
                    provider: self.provider.clone(),
                    status: None,
                    retryable,
                    retry_after: None,
                    code: Some(error.kind),
                });
            }
            StreamEvent::ContentBlockStop { .. }
            | StreamEvent::MessageStop
            | StreamEvent::Ping
            | StreamEvent::Unknown => Vec::new(),
        };
        Ok(out)
    }

    fn text(&self, text: String) -> ChatChunk {
        self.chunk(
            Delta {
                content: Nullable::Value(text),
                ..Delta::default()
            },
            None,
        )
    }

    fn tool_delta(
        &self,
        index: u32,
        id: Option<String>,
        name: Option<String>,
        arguments: String,
    ) -> ChatChunk {
        let first = id.is_some();
        self.chunk(
            Delta {
                tool_calls: Some(vec![ToolCallDelta {
                    index,
                    id,
                    kind: first.then(|| "function".to_owned()),
                    function: Some(FunctionCallDelta {
                        name,
                        arguments: Some(arguments),
                        extra: Extra::new(),
                    }),
                    extra: Extra::new(),
                }]),
                ..Delta::default()
            },
            None,
        )
    }

    /// Usage so far (input from `message_start`, output from the latest
    /// `message_delta`).
    pub fn usage(&self) -> Usage {
        Usage::new(self.input_tokens, self.output_tokens)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Text(u32),
    /// (Anthropic block index, OpenAI tool index)
    Tool(u32, u32),
}

/// Turns OpenAI chunks into Anthropic stream events (the gateway's
/// `/v1/messages` streaming side). Stateful: one per stream; call
/// [`EventMapper::finish`] at the end.
///
/// Only choice 0 is mapped (Anthropic has one). Text opens a text block,
/// each new tool call closes the open block and opens a `tool_use` block
/// whose arguments stream as `input_json_delta`; the stop reason and usage
/// are sent in one `message_delta` at the end, then `message_stop`.
#[derive(Debug)]
pub struct EventMapper {
    id: String,
    model: String,
    input_tokens: u64,
    started: bool,
    finished: bool,
    open: Option<Open>,
    next_block: u32,
    stop_reason: Option<String>,
    usage: Option<Usage>,
}

impl EventMapper {
    /// A mapper for a message `id` from `model`; `input_tokens` is reported
    /// in `message_start` (0 when unknown until the usage chunk).
    pub fn new(id: impl Into<String>, model: impl Into<String>, input_tokens: u64) -> EventMapper {
        EventMapper {
            id: id.into(),
            model: model.into(),
            input_tokens,
            started: false,
            finished: false,
            open: None,
            next_block: 0,
            stop_reason: None,
            usage: None,
        }
    }

    fn start(&mut self, out: &mut Vec<StreamEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        out.push(StreamEvent::MessageStart {
            message: MessagesResponse {
                id: self.id.clone(),
                kind: "message".into(),
                role: Role::Assistant,
                content: Vec::new(),
                model: self.model.clone(),
                stop_reason: Nullable::Null,
                stop_sequence: Nullable::Null,
                usage: AnthropicUsage {
                    input_tokens: self.input_tokens,
                    output_tokens: 0,
                    extra: Extra::new(),
                },
                extra: Extra::new(),
            },
        });
    }

    fn close(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(Open::Text(i) | Open::Tool(i, _)) = self.open.take() {
            out.push(StreamEvent::ContentBlockStop { index: i });
        }
    }

    fn open_block(&mut self, block: ContentBlock, out: &mut Vec<StreamEvent>) -> u32 {
        self.close(out);
        let index = self.next_block;
        self.next_block += 1;
        out.push(StreamEvent::ContentBlockStart {
            index,
            content_block: block,
        });
        index
    }

    /// The events for one chunk.
    pub fn on_chunk(&mut self, chunk: &ChatChunk) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.finished {
            return out;
        }
        self.start(&mut out);
        if let Some(u) = chunk.usage.value() {
            self.usage = Some(u.clone());
        }
        let Some(choice) = chunk.choices.iter().find(|c| c.index == 0) else {
            return out;
        };
        if let Some(text) = choice.delta.content.value().filter(|t| !t.is_empty()) {
            let index = match self.open {
                Some(Open::Text(i)) => i,
                _ => self.open_block(ContentBlock::text(""), &mut out),
            };
            self.open = Some(Open::Text(index));
            out.push(StreamEvent::ContentBlockDelta {
                index,
                delta: BlockDelta::Text(text.clone()),
            });
        }
        for call in choice.delta.tool_calls.iter().flatten() {
            let index = match self.open {
                Some(Open::Tool(i, n)) if n == call.index => i,
                _ => {
                    let name = call
                        .function
                        .as_ref()
                        .and_then(|f| f.name.clone())
                        .unwrap_or_default();
                    let block = ContentBlock::ToolUse {
                        id: call.id.clone().unwrap_or_default(),
                        name,
                        input: Value::Object(Map::new()),
                        extra: Extra::new(),
                    };
                    let i = self.open_block(block, &mut out);
                    self.open = Some(Open::Tool(i, call.index));
                    i
                }
            };
            if let Some(args) = call
                .function
                .as_ref()
                .and_then(|f| f.arguments.as_ref())
                .filter(|a| !a.is_empty())
            {
                out.push(StreamEvent::ContentBlockDelta {
                    index,
                    delta: BlockDelta::InputJson(args.clone()),
                });
            }
        }
        if let Some(reason) = choice.finish_reason.value() {
            self.close(&mut out);
            self.stop_reason = Some(to_stop_reason(reason).to_owned());
        }
        out
    }

    /// The closing events: any open block's stop, `message_delta` with the
    /// stop reason and output tokens, `message_stop`. Idempotent.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.finished {
            return out;
        }
        self.start(&mut out);
        self.close(&mut out);
        self.finished = true;
        let mut usage = DeltaUsage {
            output_tokens: self.usage.as_ref().map_or(0, |u| u.completion_tokens),
            extra: Extra::new(),
        };
        if let Some(u) = &self.usage {
            usage
                .extra
                .insert("input_tokens".into(), u.prompt_tokens.into());
        }
        out.push(StreamEvent::MessageDelta {
            delta: MessageDeltaBody {
                stop_reason: Nullable::Value(
                    self.stop_reason
                        .clone()
                        .unwrap_or_else(|| "end_turn".into()),
                ),
                stop_sequence: Nullable::Null,
                extra: Extra::new(),
            },
            usage: Some(usage),
        });
        out.push(StreamEvent::MessageStop);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(lines: &[&str]) -> Vec<StreamEvent> {
        lines
            .iter()
            .map(|l| serde_json::from_str(l).expect("event JSON"))
            .collect()
    }

    fn anthropic_stream() -> Vec<StreamEvent> {
        events(&[
            r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}"#,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            r#"{"type":"ping"}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"1}"}}"#,
            r#"{"type":"content_block_stop","index":1}"#,
            r#"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}"#,
            r#"{"type":"message_stop"}"#,
        ])
    }

    #[test]
    fn anthropic_events_become_openai_chunks() {
        let mut m = ChunkMapper::new("anthropic", true, 5);
        let mut chunks = Vec::new();
        for e in anthropic_stream() {
            chunks.extend(m.on_event(e).expect("no error events"));
        }
        let text: String = chunks.iter().map(ChatChunk::text).collect();
        assert_eq!(text, "Hello there");
        assert_eq!(chunks[0].choices[0].delta.role, Some(Role::Assistant));
        assert!(chunks.iter().all(|c| c.id.as_deref() == Some("msg_1")));
        let args: String = chunks
            .iter()
            .flat_map(|c| c.choices.iter())
            .flat_map(|c| c.delta.tool_calls.iter().flatten())
            .filter_map(|t| t.function.as_ref().and_then(|f| f.arguments.clone()))
            .collect();
        assert_eq!(args, r#"{"a":1}"#);
        let finish: Vec<_> = chunks
            .iter()
            .flat_map(|c| c.choices.iter())
            .filter_map(|c| c.finish_reason.value().cloned())
            .collect();
        assert_eq!(finish, ["tool_calls"]);
        let last = chunks.last().expect("usage chunk");
        assert!(last.choices.is_empty());
        assert_eq!(
            last.usage
                .value()
                .map(|u| (u.prompt_tokens, u.completion_tokens)),
            Some((12, 9))
        );
    }

    #[test]
    fn error_events_are_typed_errors() {
        let mut m = ChunkMapper::new("anthropic", false, 0);
        let e = events(&[
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ]);
        let err = m.on_event(e[0].clone()).expect_err("error event");
        assert!(err.is_retryable());
        assert!(
            !err.to_string().contains("Overloaded"),
            "upstream text is not copied: {err}"
        );
    }

    #[test]
    fn round_trip_through_openai_chunks_keeps_text_tools_and_stop_reason() {
        let mut to_openai = ChunkMapper::new("anthropic", true, 5);
        let mut to_anthropic = EventMapper::new("msg_1", "claude-x", 12);
        let mut out = Vec::new();
        for e in anthropic_stream() {
            for c in to_openai.on_event(e).expect("ok") {
                out.extend(to_anthropic.on_chunk(&c));
            }
        }
        out.extend(to_anthropic.finish());
        let original: Vec<StreamEvent> = anthropic_stream()
            .into_iter()
            .filter(|e| !matches!(e, StreamEvent::Ping))
            .collect();
        let names = |v: &[StreamEvent]| v.iter().map(StreamEvent::event_name).collect::<Vec<_>>();
        assert_eq!(names(&out), names(&original));
        let deltas = |v: &[StreamEvent]| {
            v.iter()
                .filter_map(|e| match e {
                    StreamEvent::ContentBlockDelta { index, delta } => {
                        Some((*index, delta.clone()))
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(deltas(&out), deltas(&original));
        match &out[out.len() - 2] {
            StreamEvent::MessageDelta { delta, usage } => {
                assert_eq!(delta.stop_reason, Nullable::Value("tool_use".into()));
                assert_eq!(usage.as_ref().map(|u| u.output_tokens), Some(9));
            }
            other => panic!("expected message_delta, got {other:?}"),
        }
        assert!(to_anthropic.finish().is_empty(), "finish is idempotent");
    }

    #[test]
    fn an_empty_stream_still_frames_a_message() {
        let mut m = EventMapper::new("msg_x", "m", 0);
        let names: Vec<_> = m.finish().iter().map(StreamEvent::event_name).collect();
        assert_eq!(names, ["message_start", "message_delta", "message_stop"]);
    }
}
