//! Errors in each API's own JSON shape, with the status and headers the
//! official SDKs act on.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use deepsentinel_core::Error;
use serde_json::{Value, json};

/// Which wire format a response is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiFormat {
    /// OpenAI: `{"error": {"message", "type", "param", "code"}}`.
    OpenAi,
    /// Anthropic: `{"type": "error", "error": {"type", "message"}}`.
    Anthropic,
}

/// An error response: status, machine type, message and extras. Never
/// holds a value found in a request.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error type (`compliance_violation`, `invalid_request_error`, …).
    pub kind: &'static str,
    /// A human-readable message (ours; never an upstream's free text).
    pub message: String,
    /// The offending parameter, when known.
    pub param: Option<String>,
    /// Extra fields inside the error object (violations, risk score).
    pub extra: serde_json::Map<String, Value>,
    /// `Retry-After`, when the client should wait.
    pub retry_after: Option<Duration>,
    /// Whether retrying may help (`x-should-retry`, read by the OpenAI SDKs).
    pub retryable: bool,
    /// The format to answer in.
    pub format: ApiFormat,
}

impl ApiError {
    /// An error of our own.
    pub fn new(
        format: ApiFormat,
        status: StatusCode,
        kind: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            param: None,
            extra: serde_json::Map::new(),
            retry_after: None,
            retryable: false,
            format,
        }
    }

    /// A pipeline error, mapped.
    pub fn from_error(format: ApiFormat, e: &Error) -> ApiError {
        let mut out = ApiError::new(
            format,
            StatusCode::INTERNAL_SERVER_ERROR,
            "api_error",
            e.to_string(),
        );
        out.retryable = e.is_retryable();
        out.retry_after = e.retry_after();
        match e {
            Error::ComplianceViolation {
                policy,
                violations,
                risk_score,
            } => {
                out.status = StatusCode::BAD_REQUEST;
                out.kind = "compliance_violation";
                out.extra.insert("policy".into(), json!(policy));
                out.extra.insert(
                    "violations".into(),
                    serde_json::to_value(violations).unwrap_or(Value::Null),
                );
                out.extra.insert("risk_score".into(), json!(risk_score));
            }
            Error::InvalidRequest { param, .. } => {
                out.status = StatusCode::BAD_REQUEST;
                out.kind = "invalid_request_error";
                out.param = param.clone();
            }
            Error::Authentication { .. } => {
                // The upstream refused the gateway's own credentials: an
                // upstream failure, not the caller's.
                out.status = StatusCode::BAD_GATEWAY;
                out.kind = "upstream_authentication_error";
            }
            Error::RateLimit { .. } => {
                out.status = StatusCode::TOO_MANY_REQUESTS;
                out.kind = "rate_limit_error";
            }
            Error::BudgetExceeded { .. } => {
                out.status = StatusCode::TOO_MANY_REQUESTS;
                out.kind = "budget_exceeded";
            }
            Error::Provider { code, .. } => {
                out.status = match code.as_deref() {
                    Some("circuit_open" | "no_endpoint") => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::BAD_GATEWAY,
                };
                out.kind = "upstream_error";
            }
            Error::Network { .. } => {
                out.status = StatusCode::BAD_GATEWAY;
                out.kind = "upstream_error";
            }
            Error::Timeout { .. } => {
                out.status = StatusCode::GATEWAY_TIMEOUT;
                out.kind = "timeout_error";
            }
            Error::Config { .. } => {
                out.status = StatusCode::INTERNAL_SERVER_ERROR;
                out.kind = "api_error";
                out.message = "the gateway is misconfigured".into();
            }
            _ => {}
        }
        out
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        match self.format {
            ApiFormat::OpenAi => {
                let mut err = serde_json::Map::new();
                err.insert("message".into(), json!(self.message));
                err.insert("type".into(), json!(self.kind));
                err.insert("param".into(), json!(self.param));
                err.insert("code".into(), json!(self.kind));
                err.extend(self.extra.clone());
                json!({ "error": err })
            }
            ApiFormat::Anthropic => {
                let kind = match self.status.as_u16() {
                    400 | 413 | 422 if self.kind != "compliance_violation" => {
                        "invalid_request_error"
                    }
                    401 => "authentication_error",
                    403 => "permission_error",
                    404 => "not_found_error",
                    429 => "rate_limit_error",
                    503 | 529 => "overloaded_error",
                    500 | 502 | 504 => "api_error",
                    _ => self.kind,
                };
                let mut err = serde_json::Map::new();
                err.insert("type".into(), json!(kind));
                err.insert("message".into(), json!(self.message));
                if kind != self.kind {
                    err.insert("code".into(), json!(self.kind));
                }
                err.extend(self.extra.clone());
                json!({ "type": "error", "error": err })
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body())).into_response();
        let h = resp.headers_mut();
        if let Some(d) = self.retry_after {
            let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                h.insert(header::RETRY_AFTER, v);
            }
        }
        h.insert(
            "x-should-retry",
            HeaderValue::from_static(if self.retryable { "true" } else { "false" }),
        );
        resp
    }
}
