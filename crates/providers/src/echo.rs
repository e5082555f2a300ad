//! The built-in echo provider: answers with what it received.
//!
//! For demos, local development and tests, where no upstream is
//! configured. It is never a real model: its name is `echo`, its only
//! model is `echo`, and every answer repeats the last user message (or,
//! when there is none, the last message of any role).

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use deepsentinel_core::chat::{
    ChatChunk, Choice, ChunkChoice, Delta, Embedding, EmbeddingRequest, EmbeddingResponse,
    EmbeddingUsage, Extra, ModelInfo, ModelList, Nullable, ResponseMeta, Usage,
};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Message, Provider, Role};
use serde_json::Value;

use crate::upstream::unix_now;

/// The echo provider.
#[derive(Debug)]
pub struct EchoProvider {
    name: String,
    counter: AtomicU64,
}

impl Default for EchoProvider {
    fn default() -> Self {
        EchoProvider::new()
    }
}

impl EchoProvider {
    /// An echo provider named `echo`.
    pub fn new() -> EchoProvider {
        EchoProvider::named("echo")
    }

    /// An echo provider with another name (to tell several apart in tests).
    pub fn named(name: impl Into<String>) -> EchoProvider {
        EchoProvider {
            name: name.into(),
            counter: AtomicU64::new(0),
        }
    }

    fn id(&self) -> String {
        format!("echo-{}", self.counter.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn meta(&self, model: &str) -> ResponseMeta {
        ResponseMeta {
            provider: self.name.clone(),
            model: model.to_owned(),
            attempts: 1,
            fallback_index: 0,
            rate_limits: None,
            compliance: None,
        }
    }
}

/// What the echo provider answers to `req`.
fn echo_text(req: &ChatRequest) -> String {
    req.messages
        .iter()
        .rev()
        .find(|m| m.role == Role::User)
        .or_else(|| req.messages.last())
        .map(Message::text)
        .unwrap_or_default()
}

fn tokens(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

#[async_trait]
impl Provider for EchoProvider {
    fn name(&self) -> &str {
        &self.name
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let text = echo_text(req);
        let usage = Usage::new(req.estimated_prompt_tokens(), tokens(&text));
        Ok(ChatResponse {
            id: self.id(),
            object: "chat.completion".into(),
            created: unix_now(),
            model: req.model.clone(),
            choices: vec![Choice {
                index: 0,
                message: Message::assistant(text),
                finish_reason: Nullable::Value("stop".into()),
                extra: Extra::new(),
            }],
            usage: Nullable::Value(usage),
            extra: Extra::new(),
            meta: self.meta(&req.model),
        })
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let text = echo_text(req);
        let (id, created) = (self.id(), unix_now());
        let header = |delta: Delta, finish: Option<&str>| {
            let mut c = ChatChunk::new(&id, &req.model, created);
            c.choices.push(ChunkChoice {
                index: 0,
                delta,
                finish_reason: finish.map(str::to_owned).into(),
                extra: Extra::new(),
            });
            c
        };
        let mut chunks = vec![header(
            Delta {
                role: Some(Role::Assistant),
                content: Nullable::Value(String::new()),
                ..Delta::default()
            },
            None,
        )];
        // One chunk per word, whitespace kept with the word before it, as
        // real models stream.
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() && i + c.len_utf8() < text.len() {
                let next = text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace());
                if next {
                    let end = i + c.len_utf8();
                    chunks.push(header(
                        Delta {
                            content: Nullable::Value(text[start..end].to_owned()),
                            ..Delta::default()
                        },
                        None,
                    ));
                    start = end;
                }
            }
        }
        if start < text.len() {
            chunks.push(header(
                Delta {
                    content: Nullable::Value(text[start..].to_owned()),
                    ..Delta::default()
                },
                None,
            ));
        }
        chunks.push(header(Delta::default(), Some("stop")));
        if req.include_usage() {
            let mut c = ChatChunk::new(&id, &req.model, created);
            c.usage = Nullable::Value(Usage::new(req.estimated_prompt_tokens(), tokens(&text)));
            chunks.push(c);
        }
        let stream = futures_util::stream::iter(chunks.into_iter().map(Ok));
        Ok(ChatStream::new(self.meta(&req.model), Box::pin(stream)))
    }

    /// A deterministic pseudo-embedding of each text (a hash spread over
    /// `dimensions`, default 8): equal texts give equal vectors. Not a
    /// semantic embedding.
    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let dims = req.dimensions.unwrap_or(8).clamp(1, 4096) as usize;
        let texts = req.input.texts();
        let data = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                let v: Vec<Value> = (0..dims)
                    .map(|_| {
                        for b in t.bytes() {
                            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                        }
                        h = h.rotate_left(17);
                        Value::from((h % 2001) as f64 / 1000.0 - 1.0)
                    })
                    .collect();
                Embedding {
                    object: "embedding".into(),
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    embedding: Value::Array(v),
                    extra: Extra::new(),
                }
            })
            .collect();
        let prompt_tokens = texts.iter().map(|t| tokens(t)).sum();
        Ok(EmbeddingResponse {
            object: "list".into(),
            data,
            model: req.model.clone(),
            usage: Some(EmbeddingUsage {
                prompt_tokens,
                total_tokens: prompt_tokens,
                extra: Extra::new(),
            }),
            extra: Extra::new(),
            meta: self.meta(&req.model),
        })
    }

    async fn models(&self) -> Result<ModelList, Error> {
        Ok(ModelList {
            object: "list".into(),
            data: vec![ModelInfo::new("echo", "deepsentinel")],
            extra: Extra::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn req(text: &str) -> ChatRequest {
        ChatRequest::new(
            "any-model",
            vec![Message::system("sys"), Message::user(text)],
        )
    }

    #[tokio::test]
    async fn echoes_the_last_user_message() {
        let p = EchoProvider::new();
        let r = p
            .complete(&req("hello  world"))
            .await
            .expect("echo answers");
        assert_eq!(r.text(), "hello  world");
        assert_eq!(r.model, "any-model");
        assert_eq!(r.meta.provider, "echo");
    }

    #[tokio::test]
    async fn streams_the_same_text_word_by_word() {
        let p = EchoProvider::new();
        let mut r = req("one two\nthree  four ");
        r.stream_options = Some(deepsentinel_core::chat::StreamOptions {
            include_usage: Some(true),
            extra: Extra::new(),
        });
        let s = p.stream(&r).await.expect("stream");
        let chunks: Vec<_> = s.map(|c| c.expect("no errors")).collect().await;
        let text: String = chunks.iter().map(ChatChunk::text).collect();
        assert_eq!(text, "one two\nthree  four ");
        let words: Vec<String> = chunks
            .iter()
            .map(ChatChunk::text)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(words, ["one ", "two\n", "three  ", "four "]);
        let last = chunks.last().expect("usage chunk");
        assert_eq!(last.usage.value().map(|u| u.completion_tokens), Some(4));
    }

    #[tokio::test]
    async fn embeddings_are_deterministic() {
        let p = EchoProvider::new();
        let r: EmbeddingRequest =
            serde_json::from_str(r#"{"model":"e","input":["a","a","b"],"dimensions":4}"#)
                .expect("valid");
        let e = p.embed(&r).await.expect("embeds");
        assert_eq!(e.data.len(), 3);
        assert_eq!(e.data[0].embedding, e.data[1].embedding);
        assert_ne!(e.data[0].embedding, e.data[2].embedding);
        assert_eq!(e.data[0].embedding.as_array().map(Vec::len), Some(4));
    }
}
