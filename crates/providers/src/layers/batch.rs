//! Running many requests with a concurrency cap and priorities.

use deepsentinel_core::{ChatRequest, ChatResponse, Error, Provider};
use futures_util::StreamExt;
use futures_util::stream;
use serde::{Deserialize, Serialize};

use super::error::{LayerConfigError, nonzero};

/// A request's priority in a [`Batch`]; higher goes first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    /// Sent last.
    Low,
    /// The default.
    #[default]
    Normal,
    /// Sent before normal.
    High,
    /// Sent first.
    Critical,
}

/// One request of a batch.
#[derive(Debug, Clone)]
pub struct BatchItem {
    /// Its priority.
    pub priority: Priority,
    /// The request.
    pub request: ChatRequest,
}

impl BatchItem {
    /// A request at `priority`.
    pub fn new(priority: Priority, request: ChatRequest) -> BatchItem {
        BatchItem { priority, request }
    }
}

/// Runs many requests with at most `max_concurrency` in flight. Waiting
/// requests are admitted highest priority first, in input order within a
/// priority; results come back in input order, each a response or exactly
/// one error.
#[derive(Debug, Clone)]
pub struct Batch {
    max_concurrency: usize,
}

impl Batch {
    /// A batch runner; `max_concurrency` may not be zero.
    pub fn new(max_concurrency: usize) -> Result<Batch, LayerConfigError> {
        nonzero(max_concurrency as u64, "batch", "max_concurrency")?;
        Ok(Batch { max_concurrency })
    }

    /// Runs `items` against `provider`.
    pub async fn run(
        &self,
        provider: &dyn Provider,
        items: Vec<BatchItem>,
    ) -> Vec<Result<ChatResponse, Error>> {
        let mut order: Vec<(usize, BatchItem)> = items.into_iter().enumerate().collect();
        // Stable: input order is kept within a priority.
        order.sort_by_key(|(_, item)| std::cmp::Reverse(item.priority));
        let n = order.len();
        // `buffer_unordered` starts futures in iterator order as slots free
        // up, which is exactly priority admission.
        let mut done: Vec<(usize, Result<ChatResponse, Error>)> = stream::iter(order)
            .map(|(i, item)| async move { (i, provider.complete(&item.request).await) })
            .buffer_unordered(self.max_concurrency)
            .collect()
            .await;
        debug_assert_eq!(done.len(), n);
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }
}
