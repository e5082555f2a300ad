//! Chat types in OpenAI's Chat Completions wire format.
//!
//! These are the request, response and stream-chunk shapes every layer
//! passes around. They round-trip OpenAI's JSON faithfully: the fields
//! DeepSentinel reads are typed, every other field (present today or added
//! by OpenAI tomorrow) is kept in an `extra` map and written back unchanged,
//! and fields that may be `null` remember whether they were `null` or absent
//! ([`Nullable`]). Anthropic's Messages format maps to and from these types
//! in [`crate::anthropic`].

mod embedding;
mod message;
mod nullable;
mod response;

pub use embedding::{
    Embedding, EmbeddingInput, EmbeddingRequest, EmbeddingResponse, EmbeddingUsage, ModelInfo,
    ModelList,
};
pub use message::{
    ContentPart, FunctionCall, FunctionDef, ImageUrl, Message, MessageContent, Role, Tool, ToolCall,
};
pub use nullable::Nullable;
pub use response::{
    ChatChunk, ChatResponse, Choice, ChunkChoice, ComplianceMeta, Delta, FunctionCallDelta,
    ResponseMeta, ToolCallDelta, Usage,
};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Fields not modelled by a type, kept verbatim.
pub type Extra = Map<String, Value>;

/// A Chat Completions request (`POST /v1/chat/completions`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChatRequest {
    /// The model name as the caller wrote it.
    pub model: String,
    /// The conversation.
    pub messages: Vec<Message>,
    /// Tools the model may call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// `"auto"`, `"none"`, `"required"` or `{"type":"function","function":{"name":…}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    /// Whether the model may call several tools in one turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// `{"type":"text"}`, `{"type":"json_object"}` or a JSON schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Output token limit (older spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Output token limit, reasoning tokens included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    /// How many choices to generate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Stop sequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    /// Presence penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Sampling seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Whether to stream the reply as server-sent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Streaming options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    /// End-user identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// Anthropic-only fields of a request that arrived in Anthropic's
    /// format (`top_k`, `thinking`, …), restored when it is sent to
    /// Anthropic; never sent to OpenAI. Not part of the OpenAI wire format.
    #[serde(skip)]
    pub anthropic: Option<Extra>,
}

impl ChatRequest {
    /// A request for `model` with `messages` and nothing else set.
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages,
            ..ChatRequest::default()
        }
    }

    /// The output token limit the caller asked for, either spelling.
    pub fn output_limit(&self) -> Option<u32> {
        self.max_completion_tokens.or(self.max_tokens)
    }

    /// Whether the caller asked for a usage chunk at the end of a stream.
    pub fn include_usage(&self) -> bool {
        self.stream_options
            .as_ref()
            .and_then(|o| o.include_usage)
            .unwrap_or(false)
    }

    /// A rough count of the prompt's tokens (about four bytes per token),
    /// for client-side token rate limits. Cheap; never reads a tokenizer.
    pub fn estimated_prompt_tokens(&self) -> u64 {
        let mut bytes = 0usize;
        for m in &self.messages {
            bytes += 4; // role and framing
            match &m.content.value() {
                Some(MessageContent::Text(t)) => bytes += t.len(),
                Some(MessageContent::Parts(parts)) => {
                    for p in parts {
                        if let ContentPart::Text { text, .. } = p {
                            bytes += text.len();
                        } else {
                            bytes += 340; // a low-detail image is about 85 tokens
                        }
                    }
                }
                None => {}
            }
            for c in m.tool_calls.iter().flatten() {
                bytes += c.function.name.len() + c.function.arguments.len();
            }
        }
        for t in self.tools.iter().flatten() {
            if let Some(f) = &t.function {
                bytes += f.name.len();
                bytes += f.description.as_deref().map_or(0, str::len);
                bytes += f.parameters.as_ref().map_or(0, |p| p.to_string().len());
            }
        }
        (bytes as u64).div_ceil(4)
    }
}

/// `stop`: one sequence or several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stop {
    /// One stop sequence.
    One(String),
    /// Several stop sequences.
    Many(Vec<String>),
}

impl Stop {
    /// The sequences as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Stop::One(s) => vec![s.clone()],
            Stop::Many(v) => v.clone(),
        }
    }
}

/// `stream_options`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StreamOptions {
    /// Send a final chunk with token usage and no choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::round_trip;

    #[test]
    fn request_round_trips_with_unknown_fields_and_nulls() {
        let _: ChatRequest = round_trip(
            r#"{
              "model": "gpt-4o",
              "messages": [
                {"role": "developer", "content": "Be brief."},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is in this image?", "cache": true},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
                    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
                ], "name": "ann"},
                {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\"q\":\"x\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "42"}
              ],
              "tools": [{"type": "function", "function": {"name": "lookup", "description": "Find", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}, "strict": true}}],
              "tool_choice": {"type": "function", "function": {"name": "lookup"}},
              "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
              "temperature": 0.7, "top_p": 0.9, "max_completion_tokens": 300, "n": 1,
              "stop": ["\n\n"], "seed": -3, "stream": true,
              "stream_options": {"include_usage": true},
              "user": "u-1", "logit_bias": {"50256": -100}, "metadata": {"k": "v"},
              "reasoning_effort": "low", "a_future_field": [1, {"b": null}]
            }"#,
        );
    }

    #[test]
    fn estimated_tokens_grow_with_text() {
        let short = ChatRequest::new("m", vec![Message::user("hi")]);
        let long = ChatRequest::new("m", vec![Message::user("hi ".repeat(400))]);
        assert!(short.estimated_prompt_tokens() < 10);
        assert!(long.estimated_prompt_tokens() >= 300);
    }

    #[test]
    fn output_limit_prefers_the_new_spelling() {
        let mut r = ChatRequest::new("m", vec![]);
        r.max_tokens = Some(10);
        assert_eq!(r.output_limit(), Some(10));
        r.max_completion_tokens = Some(20);
        assert_eq!(r.output_limit(), Some(20));
    }
}
