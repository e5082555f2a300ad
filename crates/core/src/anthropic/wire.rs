use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::chat::{Extra, Nullable, Role};

/// A Messages API request (`POST /v1/messages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesRequest {
    /// The model.
    pub model: String,
    /// The conversation (user and assistant turns).
    pub messages: Vec<AnthropicMessage>,
    /// Output token limit (required by the API).
    pub max_tokens: u32,
    /// The system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemPrompt>,
    /// Stop sequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<String>>,
    /// Temperature in `[0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Top-k sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Whether to stream events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<AnthropicTool>>,
    /// `{"type":"auto"|"any"|"tool"|"none", …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    /// `{"user_id": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Every other field (`thinking`, `service_tier`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `system`: a string or text blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SystemPrompt {
    /// A string.
    Text(String),
    /// Blocks (usually text with `cache_control`).
    Blocks(Vec<ContentBlock>),
}

/// One turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnthropicMessage {
    /// `user` or `assistant`.
    pub role: Role,
    /// A string or blocks.
    pub content: AnthropicContent,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Message (or tool result) content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnthropicContent {
    /// A string.
    Text(String),
    /// Blocks.
    Blocks(Vec<ContentBlock>),
}

impl AnthropicContent {
    /// The text blocks joined.
    pub fn text(&self) -> String {
        match self {
            AnthropicContent::Text(t) => t.clone(),
            AnthropicContent::Blocks(b) => b
                .iter()
                .filter_map(|b| match b {
                    ContentBlock::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// A content block.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentBlock {
    /// `{"type":"text","text":…}`.
    Text {
        /// The text.
        text: String,
        /// Other fields (`cache_control`, `citations`).
        extra: Extra,
    },
    /// `{"type":"image","source":{…}}`.
    Image {
        /// `{"type":"base64","media_type":…,"data":…}` or `{"type":"url","url":…}`.
        source: Value,
        /// Other fields.
        extra: Extra,
    },
    /// `{"type":"tool_use","id":…,"name":…,"input":{…}}`.
    ToolUse {
        /// The call id.
        id: String,
        /// The tool.
        name: String,
        /// The arguments.
        input: Value,
        /// Other fields.
        extra: Extra,
    },
    /// `{"type":"tool_result","tool_use_id":…,"content":…}`.
    ToolResult {
        /// Which call this answers.
        tool_use_id: String,
        /// The result.
        content: Option<AnthropicContent>,
        /// Whether the tool failed.
        is_error: Option<bool>,
        /// Other fields.
        extra: Extra,
    },
    /// Any other block (`document`, `thinking`, `redacted_thinking`, …),
    /// verbatim including its `type`.
    Other(Extra),
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> ContentBlock {
        ContentBlock::Text {
            text: text.into(),
            extra: Extra::new(),
        }
    }
}

pub(crate) fn take_string<E: serde::de::Error>(
    m: &mut Map<String, Value>,
    key: &'static str,
) -> Result<String, E> {
    match m.remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(E::custom(format_args!("`{key}` must be a string"))),
        None => Err(E::missing_field(key)),
    }
}

fn block_type<E: serde::de::Error>(m: &Map<String, Value>) -> Result<String, E> {
    match m.get("type") {
        Some(Value::String(t)) => Ok(t.clone()),
        Some(_) => Err(E::custom("block `type` must be a string")),
        None => Err(E::missing_field("type")),
    }
}

impl Serialize for ContentBlock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, mut m, extra) = match self {
            ContentBlock::Text { text, extra } => {
                let mut m = Map::new();
                m.insert("text".into(), text.clone().into());
                ("text", m, extra)
            }
            ContentBlock::Image { source, extra } => {
                let mut m = Map::new();
                m.insert("source".into(), source.clone());
                ("image", m, extra)
            }
            ContentBlock::ToolUse {
                id,
                name,
                input,
                extra,
            } => {
                let mut m = Map::new();
                m.insert("id".into(), id.clone().into());
                m.insert("name".into(), name.clone().into());
                m.insert("input".into(), input.clone());
                ("tool_use", m, extra)
            }
            ContentBlock::ToolResult {
                tool_use_id,
                content,
                is_error,
                extra,
            } => {
                let mut m = Map::new();
                m.insert("tool_use_id".into(), tool_use_id.clone().into());
                if let Some(c) = content {
                    m.insert(
                        "content".into(),
                        serde_json::to_value(c).map_err(serde::ser::Error::custom)?,
                    );
                }
                if let Some(e) = is_error {
                    m.insert("is_error".into(), (*e).into());
                }
                ("tool_result", m, extra)
            }
            ContentBlock::Other(extra) => return extra.serialize(s),
        };
        let mut out = Map::new();
        out.insert("type".into(), kind.into());
        out.append(&mut m);
        out.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ContentBlock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        let kind = block_type::<D::Error>(&m)?;
        let block = match kind.as_str() {
            "text" => {
                let text = take_string::<D::Error>(&mut m, "text")?;
                m.remove("type");
                ContentBlock::Text { text, extra: m }
            }
            "image" => {
                let source = m
                    .remove("source")
                    .ok_or_else(|| D::Error::missing_field("source"))?;
                m.remove("type");
                ContentBlock::Image { source, extra: m }
            }
            "tool_use" => {
                let id = take_string::<D::Error>(&mut m, "id")?;
                let name = take_string::<D::Error>(&mut m, "name")?;
                let input = m
                    .remove("input")
                    .unwrap_or_else(|| Value::Object(Map::new()));
                m.remove("type");
                ContentBlock::ToolUse {
                    id,
                    name,
                    input,
                    extra: m,
                }
            }
            "tool_result" => {
                let tool_use_id = take_string::<D::Error>(&mut m, "tool_use_id")?;
                let content = match m.remove("content") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(AnthropicContent::deserialize(v).map_err(D::Error::custom)?),
                };
                let is_error = match m.remove("is_error") {
                    None | Some(Value::Null) => None,
                    Some(Value::Bool(b)) => Some(b),
                    Some(_) => return Err(D::Error::custom("`is_error` must be a boolean")),
                };
                m.remove("type");
                ContentBlock::ToolResult {
                    tool_use_id,
                    content,
                    is_error,
                    extra: m,
                }
            }
            _ => ContentBlock::Other(m),
        };
        Ok(block)
    }
}

/// A tool definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnthropicTool {
    /// Its name.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A JSON schema of its input (absent on server tools).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_schema: Option<Value>,
    /// Every other field (`type` of server tools, `cache_control`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A Messages API response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesResponse {
    /// `msg_…`.
    pub id: String,
    /// `message`.
    #[serde(rename = "type", default = "message_type")]
    pub kind: String,
    /// `assistant`.
    pub role: Role,
    /// The answer.
    pub content: Vec<ContentBlock>,
    /// The model.
    pub model: String,
    /// `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, `pause_turn`, `refusal`.
    #[serde(default)]
    pub stop_reason: Nullable<String>,
    /// Which stop sequence matched.
    #[serde(default)]
    pub stop_sequence: Nullable<String>,
    /// Token usage.
    #[serde(default)]
    pub usage: AnthropicUsage,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

fn message_type() -> String {
    "message".into()
}

/// Token usage.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnthropicUsage {
    /// Uncached input tokens.
    #[serde(default)]
    pub input_tokens: u64,
    /// Output tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Every other field (`cache_creation_input_tokens`, `cache_read_input_tokens`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl AnthropicUsage {
    /// Input tokens including cache writes and reads.
    pub fn total_input(&self) -> u64 {
        let cached = |k: &str| self.extra.get(k).and_then(Value::as_u64).unwrap_or(0);
        self.input_tokens
            + cached("cache_creation_input_tokens")
            + cached("cache_read_input_tokens")
    }
}

/// One server-sent event of a streamed Messages response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// The message with empty content.
    MessageStart {
        /// The message so far.
        message: MessagesResponse,
    },
    /// A block begins.
    ContentBlockStart {
        /// The block's index.
        index: u32,
        /// The block, empty.
        content_block: ContentBlock,
    },
    /// More of a block.
    ContentBlockDelta {
        /// The block's index.
        index: u32,
        /// What is new.
        delta: BlockDelta,
    },
    /// A block ends.
    ContentBlockStop {
        /// The block's index.
        index: u32,
    },
    /// Top-level changes: the stop reason, cumulative output tokens.
    MessageDelta {
        /// The changes.
        delta: MessageDeltaBody,
        /// Usage so far.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<DeltaUsage>,
    },
    /// The end.
    MessageStop,
    /// Keep-alive.
    Ping,
    /// An error mid-stream (e.g. `overloaded_error`).
    Error {
        /// The error.
        error: ApiErrorBody,
    },
    /// An event type this version does not know; ignored.
    #[serde(other)]
    Unknown,
}

impl StreamEvent {
    /// The SSE `event:` name.
    pub fn event_name(&self) -> &'static str {
        match self {
            StreamEvent::MessageStart { .. } => "message_start",
            StreamEvent::ContentBlockStart { .. } => "content_block_start",
            StreamEvent::ContentBlockDelta { .. } => "content_block_delta",
            StreamEvent::ContentBlockStop { .. } => "content_block_stop",
            StreamEvent::MessageDelta { .. } => "message_delta",
            StreamEvent::MessageStop => "message_stop",
            StreamEvent::Ping => "ping",
            StreamEvent::Error { .. } => "error",
            StreamEvent::Unknown => "unknown",
        }
    }
}

/// A block delta.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockDelta {
    /// `text_delta`.
    Text(String),
    /// `input_json_delta`: more of a tool call's input JSON.
    InputJson(String),
    /// Any other delta (`thinking_delta`, `signature_delta`, …), verbatim.
    Other(Extra),
}

impl Serialize for BlockDelta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        match self {
            BlockDelta::Text(t) => {
                m.insert("type".into(), "text_delta".into());
                m.insert("text".into(), t.clone().into());
            }
            BlockDelta::InputJson(j) => {
                m.insert("type".into(), "input_json_delta".into());
                m.insert("partial_json".into(), j.clone().into());
            }
            BlockDelta::Other(extra) => return extra.serialize(s),
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for BlockDelta {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        Ok(match block_type::<D::Error>(&m)?.as_str() {
            "text_delta" => BlockDelta::Text(take_string::<D::Error>(&mut m, "text")?),
            "input_json_delta" => {
                BlockDelta::InputJson(take_string::<D::Error>(&mut m, "partial_json")?)
            }
            _ => BlockDelta::Other(m),
        })
    }
}

/// `message_delta`'s `delta`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MessageDeltaBody {
    /// Why generation stopped.
    #[serde(default)]
    pub stop_reason: Nullable<String>,
    /// Which stop sequence matched.
    #[serde(default)]
    pub stop_sequence: Nullable<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `message_delta`'s `usage` (cumulative).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeltaUsage {
    /// Output tokens so far.
    #[serde(default)]
    pub output_tokens: u64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An API error body: `{"type":"error","error":{"type":…,"message":…}}`'s inner part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// `overloaded_error`, `api_error`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Human-readable message (never copied into our errors).
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::round_trip;

    #[test]
    fn request_and_response_round_trip() {
        round_trip::<MessagesRequest>(
            r#"{"model":"claude-sonnet-4-5","max_tokens":1024,
               "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
               "messages":[
                 {"role":"user","content":"Weather?"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},
                    {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny","is_error":false},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]}],
               "tools":[{"name":"weather","description":"Get weather","input_schema":{"type":"object"}},
                        {"type":"web_search_20250305","name":"web_search","max_uses":3}],
               "tool_choice":{"type":"auto"},"top_k":5,"thinking":{"type":"enabled","budget_tokens":2000},
               "metadata":{"user_id":"u1"},"stream":true}"#,
        );
        round_trip::<MessagesResponse>(
            r#"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
               "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
               "usage":{"input_tokens":10,"output_tokens":2,"cache_read_input_tokens":4}}"#,
        );
    }

    #[test]
    fn stream_events_parse() {
        let e: StreamEvent = serde_json::from_str(
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}}"#,
        )
        .expect("parses");
        assert_eq!(
            e,
            StreamEvent::ContentBlockDelta {
                index: 1,
                delta: BlockDelta::InputJson("{\"a\"".into())
            }
        );
        let u: StreamEvent =
            serde_json::from_str(r#"{"type":"brand_new_event","x":1}"#).expect("parses");
        assert_eq!(u, StreamEvent::Unknown);
        round_trip::<StreamEvent>(
            r#"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":7}}"#,
        );
    }
}
