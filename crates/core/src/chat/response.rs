use serde::{Deserialize, Serialize};

use super::{Extra, Message, Nullable, Role};

/// A Chat Completions response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The completion id.
    pub id: String,
    /// `chat.completion`.
    #[serde(default = "completion_object")]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// The model that answered.
    pub model: String,
    /// The choices.
    pub choices: Vec<Choice>,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub usage: Nullable<Usage>,
    /// Every other field (`system_fingerprint`, `service_tier`, …).
    #[serde(flatten)]
    pub extra: Extra,
    /// Who served this response; not part of the wire format.
    #[serde(skip)]
    pub meta: ResponseMeta,
}

fn completion_object() -> String {
    "chat.completion".into()
}

impl ChatResponse {
    /// The first choice's text, empty when there is none.
    pub fn text(&self) -> String {
        self.choices
            .first()
            .map(|c| c.message.text())
            .unwrap_or_default()
    }
}

/// One choice of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Its index.
    #[serde(default)]
    pub index: u32,
    /// The assistant's message.
    pub message: Message,
    /// `stop`, `length`, `tool_calls`, `content_filter`.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub finish_reason: Nullable<String>,
    /// Every other field (`logprobs`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Token usage.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// Completion tokens.
    #[serde(default)]
    pub completion_tokens: u64,
    /// Their sum.
    #[serde(default)]
    pub total_tokens: u64,
    /// Every other field (token details).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Usage {
    /// Usage from prompt and completion counts.
    pub fn new(prompt_tokens: u64, completion_tokens: u64) -> Usage {
        Usage {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens + completion_tokens,
            extra: Extra::new(),
        }
    }
}

/// Which provider, model and attempt produced a response: filled in by the
/// provider stack, never serialized.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseMeta {
    /// The configured name of the provider that served the request.
    pub provider: String,
    /// The model sent upstream (after fallback model mapping).
    pub model: String,
    /// How many upstream attempts were made in total (1 when the first
    /// succeeded), across retries and fallbacks.
    pub attempts: u32,
    /// Position in the fallback chain of the provider that served it (0 =
    /// the primary).
    pub fallback_index: usize,
    /// The upstream's rate-limit state, when it sent one.
    pub rate_limits: Option<crate::RateLimitInfo>,
    /// What compliance did to the request and the reply, when it ran.
    pub compliance: Option<ComplianceMeta>,
}

/// What the compliance pipeline did with one call: never values, only
/// decisions, scores and counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComplianceMeta {
    /// The request's decision: `allow`, `log`, `redact`, `anonymize`; or
    /// `bypassed` (a bypass rule matched), `disabled` (compliance is off),
    /// `fail_open` (the engine failed and the fail mode let it through).
    pub decision: String,
    /// The request's risk score in `[0, 1]`.
    pub risk_score: f32,
    /// The policy (or policies, comma-separated) that decided.
    pub policy: String,
    /// Findings in the request, by entity type name.
    pub findings: std::collections::BTreeMap<String, usize>,
    /// Values in the reply that were rewritten because the policy covers
    /// them (placeholders restored are not counted), by entity type name.
    /// Empty for streams, whose reply is still to come.
    pub reply_findings: std::collections::BTreeMap<String, usize>,
    /// The bypass rule that matched, if one did.
    pub bypass_rule: Option<String>,
}

/// One chunk of a streamed response (`chat.completion.chunk`).
///
/// Every field is optional on the way in: minimal upstreams send chunks
/// with only `choices[].delta`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChatChunk {
    /// The completion id (the same on every chunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `chat.completion.chunk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<u64>,
    /// The model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Deltas; empty on the final usage chunk.
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    /// Token usage: `null` on every chunk but the last when usage was asked for.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub usage: Nullable<Usage>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatChunk {
    /// A chunk with the usual header fields.
    pub fn new(id: &str, model: &str, created: u64) -> ChatChunk {
        ChatChunk {
            id: Some(id.to_owned()),
            object: Some("chat.completion.chunk".into()),
            created: Some(created),
            model: Some(model.to_owned()),
            ..ChatChunk::default()
        }
    }

    /// The text of every choice's `delta.content` in this chunk, joined.
    pub fn text(&self) -> String {
        self.choices
            .iter()
            .filter_map(|c| c.delta.content.value().map(String::as_str))
            .collect()
    }
}

/// One choice's delta in a chunk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChunkChoice {
    /// Which choice (0 when absent).
    #[serde(default)]
    pub index: u32,
    /// What is new.
    #[serde(default)]
    pub delta: Delta,
    /// Set on the choice's last chunk.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub finish_reason: Nullable<String>,
    /// Every other field (`logprobs`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a chunk adds to a choice's message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Delta {
    /// Set on the first chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// More text.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub content: Nullable<String>,
    /// More of some tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// Every other field (`refusal`, `reasoning_content`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A piece of a streamed tool call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ToolCallDelta {
    /// Which tool call of the message.
    #[serde(default)]
    pub index: u32,
    /// Its id (first piece only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `function` (first piece only).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name (first piece) and more argument text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionCallDelta>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A piece of a streamed function call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FunctionCallDelta {
    /// The function name (first piece only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// More argument text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::round_trip;

    #[test]
    fn response_round_trips() {
        let r: ChatResponse = round_trip(
            r#"{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
               "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there","refusal":null,"annotations":[]},
                           "logprobs":null,"finish_reason":"stop"}],
               "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,
                        "prompt_tokens_details":{"cached_tokens":0}},
               "service_tier":"default","system_fingerprint":"fp_1"}"#,
        );
        assert_eq!(r.text(), "Hi there");
        assert_eq!(r.usage.value().map(|u| u.total_tokens), Some(12));
    }

    #[test]
    fn chunks_round_trip_including_nulls_and_minimal_ones() {
        let c: ChatChunk = round_trip(
            r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,
               "choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        );
        assert_eq!(c.text(), "Hel");
        // Minimal upstream chunks are accepted; what we write is complete.
        let minimal: ChatChunk =
            serde_json::from_str(r#"{"choices":[{"delta":{"content":"x"}}]}"#).expect("parses");
        assert_eq!(minimal.text(), "x");
        assert_eq!(
            serde_json::to_string(&minimal).expect("ser"),
            r#"{"choices":[{"index":0,"delta":{"content":"x"}}]}"#
        );
        let tool: ChatChunk = round_trip(
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function",
               "function":{"name":"f","arguments":""}}]},"finish_reason":null}]}"#,
        );
        let calls = tool.choices[0]
            .delta
            .tool_calls
            .as_ref()
            .expect("tool calls");
        assert_eq!(calls[0].id.as_deref(), Some("call_1"));
        let usage: ChatChunk = round_trip(
            r#"{"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#,
        );
        assert!(usage.choices.is_empty());
    }
}
