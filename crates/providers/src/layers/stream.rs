//! Stream plumbing shared by the layers.

use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll};

use deepsentinel_core::{BoxChunkStream, ChatChunk, ChatStream, Error};
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;

/// A chunk stream that holds `guard` until the stream ends or is dropped:
/// an in-flight count, a semaphore permit, a breaker ticket.
pub(crate) struct Guarded<G> {
    inner: BoxChunkStream,
    guard: Option<G>,
}

impl<G: Send + Unpin + 'static> Guarded<G> {
    /// Wraps the stream of `s`, keeping its meta.
    pub(crate) fn wrap(s: ChatStream, guard: G) -> ChatStream {
        let (meta, inner) = s.into_parts();
        ChatStream::new(
            meta,
            Box::pin(Guarded {
                inner,
                guard: Some(guard),
            }),
        )
    }
}

impl<G: Unpin> Stream for Guarded<G> {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let polled = this.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None) = polled {
            this.guard = None;
        }
        polled
    }
}

/// Waits for the first item of `s`. A chunk (or the end) hands back a
/// stream that replays it and continues; an error item is returned as the
/// error, because the caller has seen nothing yet and the request may be
/// retried or sent elsewhere.
pub(crate) async fn first_item(s: ChatStream) -> Result<ChatStream, Error> {
    let (meta, mut inner) = s.into_parts();
    match inner.next().await {
        Some(Ok(chunk)) => Ok(ChatStream::new(
            meta,
            Box::pin(stream::once(async move { Ok(chunk) }).chain(inner)),
        )),
        Some(Err(e)) => Err(e),
        None => Ok(ChatStream::new(meta, Box::pin(stream::empty()))),
    }
}

/// Locks a mutex, recovering the data of a poisoned one: every critical
/// section in this module leaves its data consistent, so a panic elsewhere
/// must not turn into a second one here.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
