//! What callers plug into the pipeline: per-request options, interceptors,
//! bypass rules and the fail mode.

use async_trait::async_trait;
use deepsentinel_core::{ChatRequest, ChatResponse, Error};
use serde::{Deserialize, Serialize};

/// What a call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operation {
    /// A chat completion, streamed or not.
    Chat,
    /// Embeddings.
    Embeddings,
}

impl Operation {
    /// The lower-case name (`chat`, `embeddings`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Chat => "chat",
            Operation::Embeddings => "embeddings",
        }
    }
}

/// Per-request metadata: who asks, in which session, with which tags, and
/// optionally which provider must serve it. It reaches policy selection
/// (tags), bypass rules (user) and every log record of the call; it is
/// never sent upstream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Serve with this configured provider instead of routing by model.
    pub provider: Option<String>,
    /// The end user (falls back to the request's `user` field).
    pub user: Option<String>,
    /// A conversation or session id.
    pub session: Option<String>,
    /// Free-form tags; a tag with a policy registered for it selects that
    /// policy.
    pub tags: Vec<String>,
}

impl RequestOptions {
    /// Options naming `provider`.
    pub fn provider(name: impl Into<String>) -> RequestOptions {
        RequestOptions {
            provider: Some(name.into()),
            ..RequestOptions::default()
        }
    }

    /// Adds the end user.
    pub fn with_user(mut self, user: impl Into<String>) -> RequestOptions {
        self.user = Some(user.into());
        self
    }

    /// Adds a tag.
    pub fn with_tag(mut self, tag: impl Into<String>) -> RequestOptions {
        self.tags.push(tag.into());
        self
    }
}

/// Everything an interceptor or a bypass rule may look at.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// What the call does.
    pub operation: Operation,
    /// The model the caller asked for.
    pub model: String,
    /// The caller's options (with `user` filled from the request when the
    /// options had none).
    pub options: RequestOptions,
}

/// User hooks around the provider call.
///
/// `before` runs before the compliance check, so whatever it adds to the
/// request is checked too; `after` runs on the final (restored, redacted)
/// response of non-streaming calls. An error from either ends the call
/// with that error.
#[async_trait]
pub trait Interceptor: Send + Sync {
    /// Inspects or changes the request.
    async fn before(&self, req: &mut ChatRequest, ctx: &RequestContext) -> Result<(), Error> {
        let _ = (req, ctx);
        Ok(())
    }

    /// Inspects or changes the response.
    async fn after(&self, resp: &mut ChatResponse, ctx: &RequestContext) -> Result<(), Error> {
        let _ = (resp, ctx);
        Ok(())
    }
}

/// Skips compliance for matching calls. Every set field must match; a rule
/// with no field set matches nothing (so an empty rule cannot switch
/// compliance off by accident). Each use is logged at `warn`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BypassRule {
    /// The end user.
    pub user: Option<String>,
    /// The model, exactly as requested.
    pub model: Option<String>,
    /// The operation.
    pub operation: Option<Operation>,
}

impl BypassRule {
    /// Whether the rule applies to a call.
    pub fn matches(&self, ctx: &RequestContext) -> bool {
        if self.user.is_none() && self.model.is_none() && self.operation.is_none() {
            return false;
        }
        self.user
            .as_ref()
            .is_none_or(|u| ctx.options.user.as_ref() == Some(u))
            && self.model.as_ref().is_none_or(|m| *m == ctx.model)
            && self.operation.is_none_or(|o| o == ctx.operation)
    }

    /// A short description for logs and [`deepsentinel_core::chat::ComplianceMeta`].
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(u) = &self.user {
            parts.push(format!("user={u}"));
        }
        if let Some(m) = &self.model {
            parts.push(format!("model={m}"));
        }
        if let Some(o) = self.operation {
            parts.push(format!("operation={}", o.as_str()));
        }
        parts.join(",")
    }
}

/// What happens when the compliance engine itself fails (an operator
/// without its key, a request too deeply nested to walk, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailMode {
    /// Refuse the call (the default).
    #[default]
    Block,
    /// Send it unchecked, logged at `error`.
    Allow,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(user: Option<&str>, model: &str, operation: Operation) -> RequestContext {
        RequestContext {
            operation,
            model: model.into(),
            options: RequestOptions {
                user: user.map(str::to_owned),
                ..RequestOptions::default()
            },
        }
    }

    #[test]
    fn bypass_rules_need_every_set_field() {
        let rule = BypassRule {
            user: Some("ops".into()),
            model: None,
            operation: Some(Operation::Chat),
        };
        assert!(rule.matches(&ctx(Some("ops"), "m", Operation::Chat)));
        assert!(!rule.matches(&ctx(Some("ops"), "m", Operation::Embeddings)));
        assert!(!rule.matches(&ctx(Some("eve"), "m", Operation::Chat)));
        assert!(!rule.matches(&ctx(None, "m", Operation::Chat)));
        assert!(
            !BypassRule::default().matches(&ctx(Some("ops"), "m", Operation::Chat)),
            "empty rules match nothing"
        );
        assert_eq!(rule.describe(), "user=ops,operation=chat");
    }
}
