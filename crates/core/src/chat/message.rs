use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Extra, Nullable};

/// Who wrote a message. Unknown roles are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// `system`.
    System,
    /// `developer` (OpenAI's newer name for system instructions).
    Developer,
    /// `user`.
    User,
    /// `assistant`.
    Assistant,
    /// `tool`: a tool call's result.
    Tool,
    /// `function`: the deprecated predecessor of `tool`.
    Function,
    /// Any other role, as written.
    Other(String),
}

impl Role {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Role::System => "system",
            Role::Developer => "developer",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Function => "function",
            Role::Other(s) => s,
        }
    }
}

impl From<&str> for Role {
    fn from(s: &str) -> Role {
        match s {
            "system" => Role::System,
            "developer" => Role::Developer,
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            "function" => Role::Function,
            other => Role::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Role::from(&*s))
    }
}

/// A message's content: a string or a list of parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// Text, images, audio, files.
    Parts(Vec<ContentPart>),
}

/// By hand rather than `#[serde(untagged)]`, which buffers the whole value
/// (a copy of every string) before trying each variant: a string is
/// `Text`, a list is `Parts`, anything else an error.
impl<'de> Deserialize<'de> for MessageContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MessageContent;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a list of content parts")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MessageContent, E> {
                Ok(MessageContent::Text(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<MessageContent, E> {
                Ok(MessageContent::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MessageContent, A::Error> {
                let mut parts = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(p) = seq.next_element::<ContentPart>()? {
                    parts.push(p);
                }
                Ok(MessageContent::Parts(parts))
            }
        }
        d.deserialize_any(V)
    }
}

impl MessageContent {
    /// The text parts joined (images and other parts skipped).
    pub fn text(&self) -> String {
        match self {
            MessageContent::Text(t) => t.clone(),
            MessageContent::Parts(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    ContentPart::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect(),
        }
    }
}

impl From<&str> for MessageContent {
    fn from(s: &str) -> Self {
        MessageContent::Text(s.to_owned())
    }
}

impl From<String> for MessageContent {
    fn from(s: String) -> Self {
        MessageContent::Text(s)
    }
}

/// One part of a multi-part message.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentPart {
    /// `{"type":"text","text":…}`.
    Text {
        /// The text.
        text: String,
        /// Other fields of the part.
        extra: Extra,
    },
    /// `{"type":"image_url","image_url":{"url":…,"detail":…}}`.
    ImageUrl {
        /// The image reference.
        image_url: ImageUrl,
        /// Other fields of the part.
        extra: Extra,
    },
    /// Any other part (`input_audio`, `file`, `refusal`, future types),
    /// kept verbatim including its `type`.
    Other(Extra),
}

impl ContentPart {
    /// A text part.
    pub fn text(text: impl Into<String>) -> ContentPart {
        ContentPart::Text {
            text: text.into(),
            extra: Extra::new(),
        }
    }
}

/// An image reference: an `https:` URL or a `data:` URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageUrl {
    /// The URL.
    pub url: String,
    /// `auto`, `low` or `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Serialize for ContentPart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        match self {
            ContentPart::Text { text, extra } => {
                m.insert("type".into(), "text".into());
                m.insert("text".into(), text.clone().into());
                m.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            ContentPart::ImageUrl { image_url, extra } => {
                m.insert("type".into(), "image_url".into());
                let v = serde_json::to_value(image_url).map_err(serde::ser::Error::custom)?;
                m.insert("image_url".into(), v);
                m.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            ContentPart::Other(extra) => return extra.serialize(s),
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ContentPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        let kind = match m.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(D::Error::custom("content part `type` must be a string")),
            None => return Err(D::Error::missing_field("type")),
        };
        match kind.as_str() {
            "text" => {
                let text = match m.remove("text") {
                    Some(Value::String(t)) => t,
                    Some(_) => return Err(D::Error::custom("text part `text` must be a string")),
                    None => return Err(D::Error::missing_field("text")),
                };
                m.remove("type");
                Ok(ContentPart::Text { text, extra: m })
            }
            "image_url" => {
                let raw = m
                    .remove("image_url")
                    .ok_or_else(|| D::Error::missing_field("image_url"))?;
                let image_url = ImageUrl::deserialize(raw).map_err(D::Error::custom)?;
                m.remove("type");
                Ok(ContentPart::ImageUrl {
                    image_url,
                    extra: m,
                })
            }
            _ => Ok(ContentPart::Other(m)),
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// Its content; `null` on tool-calling assistant messages.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub content: Nullable<MessageContent>,
    /// A participant name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tool calls the assistant made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// On a `tool` message: which call this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// Every other field (`refusal`, `audio`, `annotations`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Message {
    /// A message with `role` and text `content`.
    pub fn new(role: Role, content: impl Into<MessageContent>) -> Message {
        Message {
            role,
            content: Nullable::Value(content.into()),
            name: None,
            tool_calls: None,
            tool_call_id: None,
            extra: Extra::new(),
        }
    }

    /// A system message.
    pub fn system(content: impl Into<MessageContent>) -> Message {
        Message::new(Role::System, content)
    }

    /// A user message.
    pub fn user(content: impl Into<MessageContent>) -> Message {
        Message::new(Role::User, content)
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<MessageContent>) -> Message {
        Message::new(Role::Assistant, content)
    }

    /// A tool result answering call `id`.
    pub fn tool(id: impl Into<String>, content: impl Into<MessageContent>) -> Message {
        let mut m = Message::new(Role::Tool, content);
        m.tool_call_id = Some(id.into());
        m
    }

    /// The text of the content (parts joined), empty when there is none.
    pub fn text(&self) -> String {
        self.content
            .value()
            .map(MessageContent::text)
            .unwrap_or_default()
    }
}

/// A tool the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `function` (other tool types are kept verbatim in `extra`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The function, for `function` tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionDef>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Tool {
    /// A function tool.
    pub fn function(def: FunctionDef) -> Tool {
        Tool {
            kind: "function".into(),
            function: Some(def),
            extra: Extra::new(),
        }
    }
}

/// A function tool's definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionDef {
    /// Its name.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A JSON schema of its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Structured-output strictness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A tool call the assistant made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The call's id, echoed by the tool message that answers it.
    pub id: String,
    /// `function`.
    #[serde(rename = "type", default = "function_kind")]
    pub kind: String,
    /// The call.
    pub function: FunctionCall,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

fn function_kind() -> String {
    "function".into()
}

/// Which function, with which arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    /// The function name.
    pub name: String,
    /// The arguments as a JSON text (the model's output, possibly invalid).
    pub arguments: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
