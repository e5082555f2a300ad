//! Anthropic's Messages wire format, and its mapping to and from the
//! OpenAI-shaped [`crate::chat`] types.
//!
//! The mapping is what lets one pipeline serve both APIs: the Anthropic
//! provider turns a [`ChatRequest`](crate::ChatRequest) into a
//! [`MessagesRequest`] and the answer back
//! ([`to_messages_request`], [`from_messages_response`], [`ChunkMapper`]
//! for stream events); the gateway's `/v1/messages` endpoint goes the
//! other way ([`from_messages_request`], [`to_messages_response`],
//! [`EventMapper`]).
//!
//! What maps: system prompts (lifted out of, and back into, `system`
//! messages), text and image content, `tool_use` ↔ assistant `tool_calls`
//! (arguments parsed to and serialized from JSON), `tool_result` ↔ `tool`
//! messages, tool definitions and `tool_choice`, stop sequences, stop
//! reasons, usage (cache tokens counted as prompt tokens) and streaming
//! events. Anthropic-only request fields (`top_k`, `thinking`, …) travel in
//! [`ChatRequest::anthropic`](crate::ChatRequest) and are restored on the
//! way back; OpenAI-only fields with no Anthropic meaning (`seed`,
//! penalties, `logit_bias`, …) are dropped when mapping to Anthropic, and
//! those that would change the answer's shape (`n > 1`, a JSON
//! `response_format`) are refused as invalid requests. Content blocks with
//! no OpenAI counterpart (documents, thinking) pass through as opaque
//! content parts in both directions.

mod convert;
mod stream;
mod wire;

pub use convert::{
    from_messages_request, from_messages_response, from_stop_reason, to_messages_request,
    to_messages_response, to_stop_reason,
};
pub use stream::{ChunkMapper, EventMapper};
pub use wire::{
    AnthropicContent, AnthropicMessage, AnthropicTool, AnthropicUsage, ApiErrorBody, BlockDelta,
    ContentBlock, DeltaUsage, MessageDeltaBody, MessagesRequest, MessagesResponse, StreamEvent,
    SystemPrompt,
};
