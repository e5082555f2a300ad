use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Extra, ResponseMeta};

/// An embeddings request (`POST /v1/embeddings`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingRequest {
    /// The model.
    pub model: String,
    /// What to embed.
    pub input: EmbeddingInput,
    /// `float` or `base64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_format: Option<String>,
    /// Output dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// End-user identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `input` of an embeddings request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EmbeddingInput {
    /// One text.
    Text(String),
    /// Several texts.
    Texts(Vec<String>),
    /// Token ids, or lists of them, kept verbatim.
    Tokens(Value),
}

impl EmbeddingInput {
    /// The texts (none for token input).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            EmbeddingInput::Text(t) => vec![t.as_str()],
            EmbeddingInput::Texts(v) => v.iter().map(String::as_str).collect(),
            EmbeddingInput::Tokens(_) => Vec::new(),
        }
    }
}

/// An embeddings response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingResponse {
    /// `list`.
    #[serde(default = "list_object")]
    pub object: String,
    /// One embedding per input.
    pub data: Vec<Embedding>,
    /// The model.
    pub model: String,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<EmbeddingUsage>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// Who served it; not part of the wire format.
    #[serde(skip)]
    pub meta: ResponseMeta,
}

fn list_object() -> String {
    "list".into()
}

/// One embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    /// `embedding`.
    #[serde(default = "embedding_object")]
    pub object: String,
    /// Which input.
    #[serde(default)]
    pub index: u32,
    /// A list of floats, or a base64 string with `encoding_format: base64`.
    pub embedding: Value,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

fn embedding_object() -> String {
    "embedding".into()
}

/// Embedding token usage.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmbeddingUsage {
    /// Prompt tokens.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// Total tokens.
    #[serde(default)]
    pub total_tokens: u64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/models`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelList {
    /// `list`.
    #[serde(default = "list_object")]
    pub object: String,
    /// The models.
    pub data: Vec<ModelInfo>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Its name.
    pub id: String,
    /// `model`.
    #[serde(default = "model_object")]
    pub object: String,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<u64>,
    /// The owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

fn model_object() -> String {
    "model".into()
}

impl ModelInfo {
    /// A model entry.
    pub fn new(id: impl Into<String>, owned_by: impl Into<String>) -> ModelInfo {
        ModelInfo {
            id: id.into(),
            object: model_object(),
            created: None,
            owned_by: Some(owned_by.into()),
            extra: Extra::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_shapes_round_trip() {
        for json in [
            r#"{"model":"e","input":"one"}"#,
            r#"{"model":"e","input":["a","b"],"dimensions":8,"encoding_format":"float"}"#,
            r#"{"model":"e","input":[[1,2],[3]]}"#,
            r#"{"model":"e","input":[1,2,3],"custom":1}"#,
        ] {
            let v: Value = serde_json::from_str(json).expect("json");
            let r: EmbeddingRequest = serde_json::from_value(v.clone()).expect("parses");
            assert_eq!(serde_json::to_value(&r).expect("ser"), v);
        }
        let r: EmbeddingRequest =
            serde_json::from_str(r#"{"model":"e","input":["a","b"]}"#).expect("parses");
        assert_eq!(r.input.texts(), ["a", "b"]);
    }
}
