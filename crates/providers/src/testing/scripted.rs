//! A scripted in-process provider.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{Choice, ModelList, Nullable, ResponseMeta};
use deepsentinel_core::chat::{ChunkChoice, Delta, Extra, ModelInfo};
use deepsentinel_core::{
    ChatChunk, ChatRequest, ChatResponse, ChatStream, Error, Message, Provider,
};
use futures_util::stream;
use tokio::time::Instant;

/// What one call to a [`ScriptedProvider`] does.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Answer with this text (a stream gets it as one chunk).
    Reply(String),
    /// Fail with this error (a stream call fails before any chunk).
    Fail(Error),
    /// Wait, then do the inner outcome.
    Delay(Duration, Box<Outcome>),
    /// Stream these chunks, each after its delay (`complete` waits for all
    /// and joins their text).
    Chunks(Vec<(Duration, String)>),
    /// Stream these chunks, then yield the error and end (`complete`
    /// fails with the error after the delays).
    ChunksThenFail(Vec<(Duration, String)>, Error),
}

impl Outcome {
    /// [`Outcome::Reply`].
    pub fn reply(text: impl Into<String>) -> Outcome {
        Outcome::Reply(text.into())
    }

    /// [`Outcome::Delay`].
    pub fn delayed(by: Duration, then: Outcome) -> Outcome {
        Outcome::Delay(by, Box::new(then))
    }

    /// An upstream HTTP failure with `status` (retryable as the taxonomy
    /// says: 408, 409, 429 and 5xx but 501).
    pub fn status(status: u16) -> Outcome {
        let retryable = matches!(status, 408 | 409 | 429) || (status >= 500 && status != 501);
        Outcome::Fail(Error::Provider {
            provider: String::new(),
            status: Some(status),
            retryable,
            retry_after: None,
            code: None,
        })
    }
}

/// Which method a [`Call`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `complete`.
    Complete,
    /// `stream`.
    Stream,
}

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Which method.
    pub kind: CallKind,
    /// The request's model.
    pub model: String,
    /// When it arrived (tokio time, so exact under a paused clock).
    pub at: Instant,
}

#[derive(Debug, Default)]
struct State {
    script: VecDeque<Outcome>,
    otherwise: Option<Outcome>,
    calls: Vec<Call>,
}

/// A [`Provider`] that plays a queue of [`Outcome`]s, one per call, then
/// repeats the `otherwise` outcome (or fails with `script_exhausted`).
/// Records every call; counts calls in flight (a stream until it ends or
/// is dropped) and the most seen at once. Errors are stamped with the
/// provider's name. Cheap to clone; clones share the script.
#[derive(Debug, Clone)]
pub struct ScriptedProvider {
    name: String,
    state: Arc<Mutex<State>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct InFlight {
    count: Arc<AtomicUsize>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}

fn stamp(mut e: Error, name: &str) -> Error {
    match &mut e {
        Error::Provider { provider, .. }
        | Error::RateLimit { provider, .. }
        | Error::Authentication { provider, .. }
        | Error::Network { provider, .. }
        | Error::Timeout { provider, .. }
            if provider.is_empty() =>
        {
            *provider = name.to_owned();
        }
        _ => {}
    }
    e
}

impl ScriptedProvider {
    /// A provider called `name` with an empty script.
    pub fn new(name: impl Into<String>) -> ScriptedProvider {
        ScriptedProvider {
            name: name.into(),
            state: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
        }
    }

    /// Queues `outcome`.
    pub fn then(self, outcome: Outcome) -> ScriptedProvider {
        lock(&self.state).script.push_back(outcome);
        self
    }

    /// Queues `outcome` `n` times.
    pub fn then_n(self, n: usize, outcome: Outcome) -> ScriptedProvider {
        lock(&self.state)
            .script
            .extend(std::iter::repeat_n(outcome, n));
        self
    }

    /// What every call does once the queue is empty.
    pub fn otherwise(self, outcome: Outcome) -> ScriptedProvider {
        lock(&self.state).otherwise = Some(outcome);
        self
    }

    /// The provider as an `Arc<dyn Provider>`.
    pub fn arc(&self) -> Arc<dyn Provider> {
        Arc::new(self.clone())
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    /// How many calls so far.
    pub fn call_count(&self) -> usize {
        lock(&self.state).calls.len()
    }

    /// The times of every call so far.
    pub fn call_times(&self) -> Vec<Instant> {
        lock(&self.state).calls.iter().map(|c| c.at).collect()
    }

    /// Calls in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// The most calls that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    fn begin(&self, kind: CallKind, req: &ChatRequest) -> (Outcome, InFlight) {
        let outcome = {
            let mut s = lock(&self.state);
            s.calls.push(Call {
                kind,
                model: req.model.clone(),
                at: Instant::now(),
            });
            s.script.pop_front().or_else(|| s.otherwise.clone())
        };
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let outcome = outcome.unwrap_or_else(|| {
            Outcome::Fail(Error::Provider {
                provider: self.name.clone(),
                status: None,
                retryable: false,
                retry_after: None,
                code: Some("script_exhausted".into()),
            })
        });
        (
            outcome,
            InFlight {
                count: Arc::clone(&self.in_flight),
            },
        )
    }

    fn meta(&self, req: &ChatRequest) -> ResponseMeta {
        ResponseMeta {
            provider: self.name.clone(),
            model: req.model.clone(),
            attempts: 1,
            fallback_index: 0,
            rate_limits: None,
            compliance: None,
        }
    }

    fn response(&self, req: &ChatRequest, text: String) -> ChatResponse {
        ChatResponse {
            id: format!("scripted-{}", self.name),
            object: "chat.completion".into(),
            created: 0,
            model: req.model.clone(),
            choices: vec![Choice {
                index: 0,
                message: Message::assistant(text),
                finish_reason: Nullable::Value("stop".into()),
                extra: Extra::new(),
            }],
            usage: Nullable::Absent,
            extra: Extra::new(),
            meta: self.meta(req),
        }
    }
}

/// A chunk with `text` as its content delta.
pub(crate) fn chunk(model: &str, text: &str) -> ChatChunk {
    let mut c = ChatChunk::new("scripted", model, 0);
    c.choices.push(ChunkChoice {
        delta: Delta {
            content: Nullable::Value(text.to_owned()),
            ..Delta::default()
        },
        ..ChunkChoice::default()
    });
    c
}

#[async_trait]
impl Provider for ScriptedProvider {
    fn name(&self) -> &str {
        &self.name
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let (mut outcome, _guard) = self.begin(CallKind::Complete, req);
        loop {
            match outcome {
                Outcome::Delay(d, next) => {
                    tokio::time::sleep(d).await;
                    outcome = *next;
                }
                Outcome::Reply(text) => return Ok(self.response(req, text)),
                Outcome::Fail(e) => return Err(stamp(e, &self.name)),
                Outcome::Chunks(chunks) => {
                    let mut text = String::new();
                    for (d, t) in chunks {
                        tokio::time::sleep(d).await;
                        text.push_str(&t);
                    }
                    return Ok(self.response(req, text));
                }
                Outcome::ChunksThenFail(chunks, e) => {
                    for (d, _) in chunks {
                        tokio::time::sleep(d).await;
                    }
                    return Err(stamp(e, &self.name));
                }
            }
        }
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let (mut outcome, guard) = self.begin(CallKind::Stream, req);
        loop {
            match outcome {
                Outcome::Delay(d, next) => {
                    tokio::time::sleep(d).await;
                    outcome = *next;
                }
                Outcome::Fail(e) => return Err(stamp(e, &self.name)),
                Outcome::Reply(text) => {
                    outcome = Outcome::Chunks(vec![(Duration::ZERO, text)]);
                }
                Outcome::Chunks(chunks) => return Ok(self.chunk_stream(req, chunks, None, guard)),
                Outcome::ChunksThenFail(chunks, e) => {
                    let e = stamp(e, &self.name);
                    return Ok(self.chunk_stream(req, chunks, Some(e), guard));
                }
            }
        }
    }

    async fn models(&self) -> Result<ModelList, Error> {
        Ok(ModelList {
            object: "list".into(),
            data: vec![ModelInfo::new("scripted", self.name.clone())],
            extra: Extra::new(),
        })
    }
}

impl ScriptedProvider {
    fn chunk_stream(
        &self,
        req: &ChatRequest,
        chunks: Vec<(Duration, String)>,
        error: Option<Error>,
        guard: InFlight,
    ) -> ChatStream {
        let model = req.model.clone();
        let items: VecDeque<(Duration, Result<ChatChunk, Error>)> = chunks
            .into_iter()
            .map(|(d, t)| (d, Ok(chunk(&model, &t))))
            .chain(error.map(|e| (Duration::ZERO, Err(e))))
            .collect();
        // The guard lives in the unfold state: dropped at the end of the
        // stream or with it.
        let s = stream::unfold((items, guard), |(mut items, guard)| async move {
            let (d, item) = items.pop_front()?;
            if !d.is_zero() {
                tokio::time::sleep(d).await;
            }
            Some((item, (items, guard)))
        });
        ChatStream::new(self.meta(req), Box::pin(s))
    }
}
