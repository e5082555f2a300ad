//! Apply a text transform to every text of a chat request or response.
//!
//! A chat request is JSON in a provider's wire format: the OpenAI chat
//! completions API (plus the legacy completions `prompt`) or the Anthropic
//! messages API. The texts a model reads are scattered over it: message
//! contents as strings or as content parts, a top-level `system`, tool-call
//! arguments that are JSON *inside* a string, tool results, `tool_use`
//! inputs that are JSON objects in place. This module finds every one of
//! them, hands it to a closure you supply together with its [`TextLocation`],
//! and writes back what the closure returns, leaving the JSON valid.
//!
//! In a *request*, every string the gateway forwards upstream is visited,
//! not only the message texts: tool definitions, message names, unknown
//! part types and unknown fields at any level, since they are forwarded
//! too. Only structural strings (roles, types, ids, model, schema keywords,
//! image and file payloads: [`STRUCTURAL_KEYS`], [`PAYLOAD_KEYS`]) and
//! provider-signed blocks are skipped. Responses are walked narrowly: only
//! their texts.
//!
//! The closure is the whole policy: scan, decide, anonymize. This module
//! knows nothing about findings; it only knows where texts live.
//!
//! - [`transform_request`] / [`transform_response`]: the closure returns
//!   `Ok(Some(new))` to replace a text or `Ok(None)` to leave it unchanged.
//! - [`visit_request`] / [`visit_response`]: read-only, for scanning.
//! - [`Walker`]: the same four operations with an explicit [`ChatFormat`]
//!   and recursion bound; the free functions use [`Walker::new`].
//!
//! ```
//! use std::convert::Infallible;
//! use deepsentinel_policy::chat::{self, TextKind};
//! use serde_json::json;
//!
//! let mut req = json!({
//!     "model": "gpt-4o",
//!     "messages": [
//!         {"role": "system", "content": "Be brief."},
//!         {"role": "user", "content": [{"type": "text", "text": "Mail bob@example.com"}]},
//!         {"role": "assistant", "content": null, "tool_calls": [{
//!             "id": "call_1", "type": "function",
//!             "function": {"name": "send", "arguments": "{\"to\":\"bob@example.com\"}"}
//!         }]}
//!     ]
//! });
//! let report = chat::transform_request(&mut req, &mut |loc, text| {
//!     Ok::<_, Infallible>(text.contains("bob@example.com").then(|| {
//!         assert!(matches!(loc.kind, TextKind::User | TextKind::ToolArguments));
//!         text.replace("bob@example.com", "<EMAIL_1>")
//!     }))
//! })?;
//! // The three texts, and the tool name `send` (a forwarded string too).
//! assert_eq!(report.visited, 4);
//! assert_eq!(report.changed, 2);
//! assert_eq!(req["messages"][1]["content"][0]["text"], "Mail <EMAIL_1>");
//! // Tool-call arguments stay a JSON string that parses.
//! assert_eq!(
//!     req["messages"][2]["tool_calls"][0]["function"]["arguments"],
//!     "{\"to\":\"<EMAIL_1>\"}"
//! );
//! # Ok::<(), chat::ChatError<Infallible>>(())
//! ```
//!
//! # Where texts are found
//!
//! OpenAI (requests):
//! - `messages[i].content`: a string, or content parts of which only
//!   `{"type":"text","text":…}` parts are visited (`image_url`, `input_audio`,
//!   `file`, `refusal` and unknown part types pass through);
//! - `messages[i].tool_calls[k].function.arguments` and
//!   `messages[i].tool_calls[k].custom.input`, legacy
//!   `messages[i].function_call.arguments` ([`TextKind::ToolArguments`]);
//! - the content of `tool` and `function` messages ([`TextKind::ToolResult`]);
//! - the legacy completions `prompt`: a string or an array whose strings are
//!   visited (token-id arrays pass through).
//!
//! Anthropic (requests): top-level `system` (a string or text blocks);
//! `messages[i].content` as a string or blocks: `text` blocks' `text`,
//! `tool_use` / `server_tool_use` blocks' `input` (a JSON value in place: its
//! string values are visited), `tool_result` blocks' `content` (a string or
//! blocks of which `text` blocks are visited).
//!
//! Everything else a request forwards, in both formats, is walked
//! *generically*: every string value in it (never an object key) is visited
//! as one plain text (no embedded-JSON unpacking), except the structural
//! ones, which are skipped by key ([`STRUCTURAL_KEYS`], [`PAYLOAD_KEYS`]).
//! That covers:
//! - tool definitions ([`TextKind::ToolDefinition`]): OpenAI `tools` and
//!   legacy `functions` (`function.name`, `function.description`, and the
//!   parameter schema's `description`, `title`, `enum`, `const`, `default`,
//!   `examples`, ... but not `type`, `format`, `pattern`, `$ref`,
//!   `required`), Anthropic `tools` (`name`, `description`,
//!   `input_schema`);
//! - the other members of content parts and blocks (with the kind of the
//!   message): a `refusal` part, a file part's `filename`, a document's
//!   `title`, a text block's `citations`, and every part or block of a type
//!   this module does not know (counted in [`Report::generic`]);
//! - the other members of tool calls and `tool_use` blocks, such as the
//!   tool `name` ([`TextKind::ToolArguments`]);
//! - the message `name` (a participant name can be personal data) and
//!   unknown message keys, top-level fields such as `metadata`, `user`,
//!   `stop`, an object `tool_choice`, and keys a future API version adds
//!   ([`TextKind::Field`]).
//!
//! # What is not visited
//!
//! In requests: the strings [`STRUCTURAL_KEYS`] and [`PAYLOAD_KEYS`] name
//! (which keeps them byte-for-byte as they were), and Anthropic `thinking`
//! and `redacted_thinking` blocks, which the provider signs or encrypts and
//! rejects when edited; they are counted in [`Report::unknown`].
//!
//! Responses: OpenAI `choices[i].message` (content, tool calls, function call)
//! and legacy `choices[i].text`; Anthropic `content[i]` (`text` blocks and
//! `tool_use` inputs). Nothing else in a response is visited, and part and
//! block types this module does not know are counted in [`Report::unknown`].
//! Streaming chunks are not handled here.
//!
//! # Embedded JSON
//!
//! Tool-call arguments and tool results are strings that often hold JSON. If
//! such a string, after leading whitespace, starts with `{` or `[` and parses,
//! each *string value* inside it (never an object key) is visited separately,
//! with [`TextLocation::embedded`] pointing inside it; if anything changed
//! the string is re-serialized compactly, so it still parses. If nothing
//! changed the string is left byte-for-byte as it was. Anything else (plain
//! text, invalid JSON, a bare JSON scalar) is visited as one plain text.
//! A string starting with `{` or `[` whose brackets nest deeper than the
//! bound is a [`ChatError::TooDeep`] even if it is not valid JSON.
//!
//! Re-serialization goes through [`serde_json::Value`]: whitespace is
//! dropped, object members come out in [`serde_json::Map`] order (sorted by
//! key unless serde_json's `preserve_order` feature is enabled) and integers
//! beyond 64 bits come out as floats. Only strings whose texts changed are
//! re-serialized.
//!
//! # Order of visits
//!
//! Deterministic, and the same for visiting and transforming (a caller may
//! scan with [`visit_request`] and rewrite with [`transform_request`],
//! matching texts by position): in document order of the arrays; for
//! Anthropic `system` first, then the messages in order; for OpenAI
//! `messages` before a legacy `prompt`; then the tool definitions (`tools`,
//! then `functions`), then the other top-level members. Within a message:
//! its content (strings, then parts or blocks in order), then (OpenAI)
//! `tool_calls` in order, then `function_call`, then the message's other
//! members. Within an object that has a known text place (a text part, a
//! tool call, a block), that place comes first and the object's other
//! members follow. Other members, the members of a JSON object inside tool
//! arguments or a `tool_use` input, and everything walked generically come
//! in [`serde_json::Map`] iteration order (sorted by key by default), array
//! elements in order.
//!
//! # Errors and atomicity
//!
//! A wrong shape (messages not an array, content neither a string, an array
//! nor null, a text part without a string `text`, ...) is a
//! [`ChatError::Shape`] carrying the RFC 6901 pointer of the offending value;
//! JSON nested deeper than the bound is a [`ChatError::TooDeep`]; a failing
//! closure is a [`ChatError::Transform`]. Errors carry pointers (which contain
//! object keys of the request) but never a string value of the request.
//!
//! Replacements are collected during the walk and written only once the walk
//! has succeeded: when a transform returns an error, the request is
//! unchanged. Nothing here panics on any JSON value.

use serde_json::{Map, Value};

/// The default bound on the nesting depth of JSON values walked generically
/// (a `tool_use` input, the JSON inside tool arguments and tool results).
///
/// The request's own structure is walked without recursion on its depth.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// serde_json's parser refuses 128 and more nested levels; embedded JSON
/// strings are therefore bounded to this even if [`Walker::max_depth`] is
/// higher.
const PARSER_MAX_DEPTH: usize = 127;

/// Which wire format a request or response is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ChatFormat {
    /// Detect the format from the shape (the default).
    ///
    /// Requests: a top-level `system` or Anthropic-only block types
    /// (`tool_use`, `tool_result`, `image`, `document`, `thinking`, ...) mean
    /// Anthropic; OpenAI-only roles (`system`, `developer`, `tool`,
    /// `function`), `tool_calls`, `function_call`, `tool_call_id` or
    /// OpenAI-only part types mean OpenAI, the first hint in document order
    /// winning; a `prompt` without `messages` is an OpenAI legacy completion.
    /// Text-only messages read the same in both formats and are treated as
    /// OpenAI. Responses: `choices` means OpenAI, `content` Anthropic.
    #[default]
    Auto,
    /// OpenAI chat completions (and legacy completions).
    OpenAi,
    /// Anthropic messages.
    Anthropic,
}

/// What kind of text a location holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextKind {
    /// System instructions: OpenAI `system` / `developer` messages,
    /// Anthropic top-level `system`.
    System,
    /// A user message's text.
    User,
    /// An assistant message's text (in requests and in responses).
    Assistant,
    /// Tool-call arguments: OpenAI `function.arguments`, `custom.input`,
    /// `function_call.arguments`; Anthropic `tool_use` input.
    ToolArguments,
    /// A tool's result: OpenAI `tool` / `function` message content, Anthropic
    /// `tool_result` content.
    ToolResult,
    /// The legacy completions `prompt`.
    Prompt,
    /// Text of a message whose role is missing or unknown.
    Other,
    /// A string of a tool definition: OpenAI `tools[]` and legacy
    /// `functions[]` (name, description, the string values of the parameter
    /// schema), Anthropic `tools[]` (name, description, `input_schema`).
    ToolDefinition,
    /// A string in another forwarded field: the message `name`, unknown
    /// keys of a message, top-level fields such as `metadata`, `user` or
    /// `stop`, and fields added by a future API version.
    Field,
}

/// Where a text was found.
///
/// `(message, pointer, embedded)` identifies a text uniquely within one
/// request; a finding is located by it plus a byte span in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TextLocation {
    /// Index in `messages` (requests) or `choices` (OpenAI responses);
    /// `None` for Anthropic `system`, the legacy `prompt` and Anthropic
    /// responses.
    pub message: Option<usize>,
    /// RFC 6901 JSON pointer to the JSON string in the request, e.g.
    /// `/messages/2/content/0/text` or
    /// `/messages/1/content/0/input/address/city`.
    pub pointer: String,
    /// When the string at `pointer` holds JSON (tool arguments, tool
    /// results): the RFC 6901 pointer of the visited string value inside that
    /// JSON, e.g. `/address/city`. `None` when the whole string is the text.
    pub embedded: Option<String>,
    /// The kind of text.
    pub kind: TextKind,
}

/// What a walk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Report {
    /// The format walked ([`ChatFormat::OpenAi`] or [`ChatFormat::Anthropic`],
    /// never [`ChatFormat::Auto`]).
    pub format: ChatFormat,
    /// How many texts were passed to the closure.
    pub visited: usize,
    /// How many texts the closure replaced by a different text.
    pub changed: usize,
    /// How many parts or blocks were forwarded without their texts being
    /// visited at all, so a strict policy may refuse when this is not 0.
    ///
    /// In requests: Anthropic `thinking` and `redacted_thinking` blocks,
    /// which are signed or encrypted by the provider and rejected if edited
    /// (see the [module docs](crate::chat#what-is-not-visited)). In responses: parts
    /// and blocks of a `type` this module does not know for the format.
    pub unknown: usize,
    /// Requests only: how many content parts or blocks had a `type` this
    /// module does not know for the format. Their string values *were*
    /// visited, generically: as plain text (no embedded JSON), with the
    /// structural keys skipped by name. A caller that wants only shapes it
    /// fully understands may refuse when this is not 0 (it is also how an
    /// Anthropic block in a request walked as OpenAI shows up).
    pub generic: usize,
}

/// Why a walk failed.
///
/// Pointers are RFC 6901 (`""` is the root). No variant holds a string value
/// of the request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChatError<E> {
    /// The JSON does not have the shape of the format.
    #[error("unexpected JSON shape at `{pointer}`: expected {expected}")]
    Shape {
        /// Pointer of the offending (or missing) value.
        pointer: String,
        /// What was expected there.
        expected: &'static str,
    },
    /// [`ChatFormat::Auto`] found neither `messages`, `prompt` nor `system`
    /// (requests), or neither `choices` nor `content` (responses).
    #[error("cannot detect the chat format")]
    UnknownFormat,
    /// JSON nested deeper than the walker's bound.
    #[error("JSON nested deeper than {max_depth} levels at `{pointer}`")]
    TooDeep {
        /// Pointer of the value in the request (for embedded JSON: the
        /// string holding it).
        pointer: String,
        /// For embedded JSON that parsed, the pointer inside it.
        embedded: Option<String>,
        /// The bound that was exceeded.
        max_depth: usize,
    },
    /// Embedded JSON could not be serialized back after its texts changed.
    #[error("cannot re-serialize the embedded JSON at `{pointer}`")]
    Reserialize {
        /// Pointer of the string holding the JSON.
        pointer: String,
    },
    /// The closure failed.
    #[error("the text transform failed at `{}`", location.pointer)]
    Transform {
        /// Where the text was.
        location: TextLocation,
        /// The closure's error.
        #[source]
        source: E,
    },
}

/// Walks chat requests and responses with a chosen format and depth bound.
///
/// ```
/// use deepsentinel_policy::chat::{ChatFormat, Walker};
/// let mut walker = Walker::new();
/// walker.format(ChatFormat::Anthropic).max_depth(32);
/// let req = serde_json::json!({"system": "s", "messages": []});
/// let report = walker.visit_request(&req, &mut |_, _| Ok::<_, std::convert::Infallible>(()))?;
/// assert_eq!(report.visited, 1);
/// # Ok::<(), deepsentinel_policy::chat::ChatError<std::convert::Infallible>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Walker {
    format: ChatFormat,
    max_depth: usize,
}

impl Default for Walker {
    fn default() -> Self {
        Self::new()
    }
}

/// The closure type of the transforming walks.
pub type TransformFn<'a, E> = dyn FnMut(&TextLocation, &str) -> Result<Option<String>, E> + 'a;

/// The closure type of the read-only walks.
pub type VisitFn<'a, E> = dyn FnMut(&TextLocation, &str) -> Result<(), E> + 'a;

impl Walker {
    /// A walker with [`ChatFormat::Auto`] and [`DEFAULT_MAX_DEPTH`].
    pub fn new() -> Self {
        Self {
            format: ChatFormat::Auto,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Sets the wire format (default [`ChatFormat::Auto`]).
    pub fn format(&mut self, format: ChatFormat) -> &mut Self {
        self.format = format;
        self
    }

    /// Sets the bound on the nesting depth of generically walked JSON
    /// (default [`DEFAULT_MAX_DEPTH`]; a top-level object or array is level
    /// 1). Clamped to at least 1. JSON embedded in strings is additionally
    /// bounded to 127 levels, the most serde_json parses.
    pub fn max_depth(&mut self, max_depth: usize) -> &mut Self {
        self.max_depth = max_depth.max(1);
        self
    }

    /// Applies `f` to every text of a request; see the [module docs](self).
    ///
    /// # Errors
    ///
    /// See [`ChatError`]. On error `req` is unchanged.
    pub fn transform_request<E>(
        &self,
        req: &mut Value,
        f: &mut TransformFn<'_, E>,
    ) -> Result<Report, ChatError<E>> {
        let (report, edits) = self.run(req, f, Side::Request)?;
        apply(req, edits)?;
        Ok(report)
    }

    /// Passes every text of a request to `f` without changing anything.
    ///
    /// # Errors
    ///
    /// See [`ChatError`].
    pub fn visit_request<E>(
        &self,
        req: &Value,
        f: &mut VisitFn<'_, E>,
    ) -> Result<Report, ChatError<E>> {
        let mut g = |loc: &TextLocation, s: &str| f(loc, s).map(|()| None);
        self.run(req, &mut g, Side::Request).map(|(r, _)| r)
    }

    /// Applies `f` to every text of a response; see the [module docs](self).
    ///
    /// # Errors
    ///
    /// See [`ChatError`]. On error `resp` is unchanged.
    pub fn transform_response<E>(
        &self,
        resp: &mut Value,
        f: &mut TransformFn<'_, E>,
    ) -> Result<Report, ChatError<E>> {
        let (report, edits) = self.run(resp, f, Side::Response)?;
        apply(resp, edits)?;
        Ok(report)
    }

    /// Passes every text of a response to `f` without changing anything.
    ///
    /// # Errors
    ///
    /// See [`ChatError`].
    pub fn visit_response<E>(
        &self,
        resp: &Value,
        f: &mut VisitFn<'_, E>,
    ) -> Result<Report, ChatError<E>> {
        let mut g = |loc: &TextLocation, s: &str| f(loc, s).map(|()| None);
        self.run(resp, &mut g, Side::Response).map(|(r, _)| r)
    }

    fn run<E>(
        &self,
        root: &Value,
        f: &mut TransformFn<'_, E>,
        side: Side,
    ) -> Result<(Report, Edits), ChatError<E>> {
        let obj = root.as_object().ok_or_else(|| shape("", "a JSON object"))?;
        let format = match self.format {
            ChatFormat::Auto => match side {
                Side::Request => detect_request(obj),
                Side::Response => detect_response(obj),
            }
            .ok_or(ChatError::UnknownFormat)?,
            explicit => explicit,
        };
        let mut walk = Walk {
            f,
            max_depth: self.max_depth,
            edits: Vec::new(),
            report: Report {
                format,
                visited: 0,
                changed: 0,
                unknown: 0,
                generic: 0,
            },
            ptr: String::with_capacity(128),
            whole: matches!(side, Side::Request),
        };
        match (side, format) {
            (Side::Request, ChatFormat::Anthropic) => walk.anthropic_request(obj)?,
            (Side::Request, _) => walk.openai_request(obj)?,
            (Side::Response, ChatFormat::Anthropic) => walk.anthropic_response(obj)?,
            (Side::Response, _) => walk.openai_response(obj)?,
        }
        Ok((walk.report, walk.edits))
    }
}

/// Applies `f` to every text of a request, detecting the format.
///
/// Shorthand for [`Walker::new`]`().transform_request(req, f)`.
///
/// # Errors
///
/// See [`ChatError`]. On error `req` is unchanged.
pub fn transform_request<E>(
    req: &mut Value,
    f: &mut TransformFn<'_, E>,
) -> Result<Report, ChatError<E>> {
    Walker::new().transform_request(req, f)
}

/// Passes every text of a request to `f`, detecting the format.
///
/// # Errors
///
/// See [`ChatError`].
pub fn visit_request<E>(req: &Value, f: &mut VisitFn<'_, E>) -> Result<Report, ChatError<E>> {
    Walker::new().visit_request(req, f)
}

/// Applies `f` to every text of a response, detecting the format.
///
/// # Errors
///
/// See [`ChatError`]. On error `resp` is unchanged.
pub fn transform_response<E>(
    resp: &mut Value,
    f: &mut TransformFn<'_, E>,
) -> Result<Report, ChatError<E>> {
    Walker::new().transform_response(resp, f)
}

/// Passes every text of a response to `f`, detecting the format.
///
/// # Errors
///
/// See [`ChatError`].
pub fn visit_response<E>(resp: &Value, f: &mut VisitFn<'_, E>) -> Result<Report, ChatError<E>> {
    Walker::new().visit_response(resp, f)
}

/// (pointer, new string) pairs, written after a successful walk.
type Edits = Vec<(String, String)>;

/// Receives (pointer, string value) from [`walk_strings`].
type Sink<'a, E> = dyn FnMut(&str, &str) -> Result<(), ChatError<E>> + 'a;

#[derive(Clone, Copy)]
enum Side {
    Request,
    Response,
}

fn shape<E>(pointer: &str, expected: &'static str) -> ChatError<E> {
    ChatError::Shape {
        pointer: pointer.to_owned(),
        expected,
    }
}

fn apply<E>(root: &mut Value, edits: Edits) -> Result<(), ChatError<E>> {
    for (pointer, new) in edits {
        match pointer_mut(root, &pointer) {
            Some(Value::String(s)) => *s = new,
            // Every edit points at a string the walk read from this value.
            _ => return Err(shape(&pointer, "a string")),
        }
    }
    Ok(())
}

/// `Value::pointer_mut` without its per-segment allocation: a segment is
/// unescaped (RFC 6901) into a new string only when it has a `~`.
fn pointer_mut<'v>(root: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut target = root;
    for segment in rest.split('/') {
        let key: std::borrow::Cow<'_, str> = if segment.contains('~') {
            segment.replace("~1", "/").replace("~0", "~").into()
        } else {
            segment.into()
        };
        target = match target {
            Value::Object(map) => map.get_mut(key.as_ref())?,
            Value::Array(list) => {
                // As serde_json: no sign, no leading zero.
                if key.starts_with('+') || (key.len() > 1 && key.starts_with('0')) {
                    return None;
                }
                list.get_mut(key.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(target)
}

const OPENAI_PART_TYPES: &[&str] = &["image_url", "input_audio", "file", "refusal"];
const ANTHROPIC_BLOCK_TYPES: &[&str] = &[
    "tool_use",
    "tool_result",
    "server_tool_use",
    "web_search_tool_result",
    "image",
    "document",
    "thinking",
    "redacted_thinking",
    "search_result",
];

/// Anthropic block types forwarded without visiting anything in them: the
/// provider signs `thinking` and encrypts `redacted_thinking`, and rejects a
/// request in which they were edited. Counted in [`Report::unknown`].
const OPAQUE_BLOCK_TYPES: &[&str] = &["thinking", "redacted_thinking"];

/// The skip list of the whole-request walk: keys whose value is structural,
/// not natural-language text, and is never visited when it is a string or
/// an array of strings (an object or a mixed array under such a key is
/// walked as usual, so a JSON-schema property *named* `type` or `id` is
/// still seen).
///
/// - Wire-format vocabulary: `model`, `role`, `type`, `id`, `tool_call_id`,
///   `tool_use_id`, `file_id`, `object`, `stream`, `finish_reason`,
///   `stop_reason`, `detail`, `format`, `media_type`, `encoding_format`,
///   `service_tier`, `reasoning_effort`, `modalities`, `anthropic_version`,
///   and `tool_choice` when it is a string (`auto`, `none`, `required`; its
///   object form is walked, so a tool name in it is seen).
/// - Provider-issued opaque values, which the provider rejects if edited:
///   `signature`, `encrypted_content`.
/// - JSON-schema keywords whose values are identifiers, not prose: `$ref`,
///   `$schema`, `$id`, `$anchor`, `$dynamicRef`, `$dynamicAnchor`,
///   `pattern`, `contentEncoding`, `contentMediaType`, and `required` (a
///   list of property names, which must keep matching the `properties`
///   keys, and keys are never visited).
///
/// Schema prose (`description`, `title`, `$comment`) and schema values
/// (`enum`, `const`, `default`, `examples`) are not listed and are visited.
pub const STRUCTURAL_KEYS: &[&str] = &[
    "model",
    "role",
    "type",
    "id",
    "tool_call_id",
    "tool_use_id",
    "file_id",
    "object",
    "stream",
    "finish_reason",
    "stop_reason",
    "detail",
    "format",
    "media_type",
    "encoding_format",
    "service_tier",
    "reasoning_effort",
    "modalities",
    "anthropic_version",
    "tool_choice",
    "signature",
    "encrypted_content",
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "pattern",
    "contentEncoding",
    "contentMediaType",
    "required",
];

/// The other half of the skip list: `(parent key, key)` of image, audio and
/// file payloads (base64 or URLs; scanning them is wasted work). An
/// Anthropic `source` of `"type": "text"` holds a plain-text document in
/// `data`, which *is* visited.
pub const PAYLOAD_KEYS: &[(&str, &str)] = &[
    ("image_url", "url"),
    ("source", "data"),
    ("source", "url"),
    ("input_audio", "data"),
    ("file", "file_data"),
];

/// Whether `obj[key]` (`obj` being the value of `parent`, or an element of
/// an array that is) is skipped by the whole-request walk; see
/// [`STRUCTURAL_KEYS`] and [`PAYLOAD_KEYS`].
fn is_structural(parent: &str, obj: &Map<String, Value>, key: &str, value: &Value) -> bool {
    let strings = match value {
        Value::String(_) => true,
        Value::Array(items) => items.iter().all(Value::is_string),
        _ => false,
    };
    if !strings {
        return false;
    }
    if STRUCTURAL_KEYS.contains(&key) {
        return true;
    }
    value.is_string()
        && PAYLOAD_KEYS.contains(&(parent, key))
        && !(parent == "source"
            && key == "data"
            && obj.get("type").and_then(Value::as_str) == Some("text"))
}

fn detect_request(obj: &Map<String, Value>) -> Option<ChatFormat> {
    if obj.contains_key("system") || obj.contains_key("anthropic_version") {
        return Some(ChatFormat::Anthropic);
    }
    match obj.get("messages") {
        Some(Value::Array(messages)) => {
            for m in messages {
                if let Some(hint) = message_hint(m) {
                    return Some(hint);
                }
            }
            Some(ChatFormat::OpenAi)
        }
        // A wrong shape: let the OpenAI walk report it with its pointer.
        Some(_) => Some(ChatFormat::OpenAi),
        None if obj.contains_key("prompt") => Some(ChatFormat::OpenAi),
        None => None,
    }
}

fn message_hint(m: &Value) -> Option<ChatFormat> {
    let m = m.as_object()?;
    if let Some(Value::String(role)) = m.get("role")
        && matches!(role.as_str(), "system" | "developer" | "tool" | "function")
    {
        return Some(ChatFormat::OpenAi);
    }
    if ["tool_calls", "function_call", "tool_call_id"]
        .iter()
        .any(|k| m.contains_key(*k))
    {
        return Some(ChatFormat::OpenAi);
    }
    let Some(Value::Array(parts)) = m.get("content") else {
        return None;
    };
    parts.iter().find_map(|p| {
        let t = p.get("type")?.as_str()?;
        if OPENAI_PART_TYPES.contains(&t) {
            Some(ChatFormat::OpenAi)
        } else if ANTHROPIC_BLOCK_TYPES.contains(&t) {
            Some(ChatFormat::Anthropic)
        } else {
            None
        }
    })
}

fn detect_response(obj: &Map<String, Value>) -> Option<ChatFormat> {
    if obj.contains_key("choices") {
        Some(ChatFormat::OpenAi)
    } else if obj.contains_key("content") {
        Some(ChatFormat::Anthropic)
    } else {
        None
    }
}

/// The largest nesting of `{`/`[` outside JSON strings in `s` (a cheap
/// pre-check so that deep embedded JSON is an error, not "plain text").
fn nesting_depth(s: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in s.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

fn push_key(p: &mut String, key: &str) -> usize {
    let mark = p.len();
    p.push('/');
    // RFC 6901 escapes, only for the keys that need them.
    if memchr::memchr2(b'~', b'/', key.as_bytes()).is_none() {
        p.push_str(key);
        return mark;
    }
    for c in key.chars() {
        match c {
            '~' => p.push_str("~0"),
            '/' => p.push_str("~1"),
            c => p.push(c),
        }
    }
    mark
}

fn push_index(p: &mut String, i: usize) -> usize {
    let mark = p.len();
    p.push('/');
    p.push_str(itoa::Buffer::new().format(i));
    mark
}

/// Calls `sink(path, text)` for every string value in `v` (never keys), in
/// Map order; errors with [`ChatError::TooDeep`] (pointer = `path` of the
/// container) past `max_depth` levels.
fn walk_strings<E>(
    v: &Value,
    path: &mut String,
    level: usize,
    max_depth: usize,
    sink: &mut Sink<'_, E>,
) -> Result<(), ChatError<E>> {
    let too_deep = |path: &str| ChatError::TooDeep {
        pointer: path.to_owned(),
        embedded: None,
        max_depth,
    };
    match v {
        Value::String(s) => sink(path, s),
        Value::Array(items) => {
            if level >= max_depth {
                return Err(too_deep(path));
            }
            for (i, item) in items.iter().enumerate() {
                let mark = push_index(path, i);
                walk_strings(item, path, level + 1, max_depth, sink)?;
                path.truncate(mark);
            }
            Ok(())
        }
        Value::Object(map) => {
            if level >= max_depth {
                return Err(too_deep(path));
            }
            for (k, item) in map {
                let mark = push_key(path, k);
                walk_strings(item, path, level + 1, max_depth, sink)?;
                path.truncate(mark);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    message: Option<usize>,
    kind: TextKind,
}

struct Walk<'a, 'f, E> {
    f: &'a mut TransformFn<'f, E>,
    max_depth: usize,
    /// (pointer in the root, new string), applied after a successful walk.
    edits: Vec<(String, String)>,
    report: Report,
    /// Pointer of the value being walked.
    ptr: String,
    /// Whole-document walk (requests): every forwarded string is visited,
    /// not only the known text places. Responses keep the narrow walk: only
    /// their texts can carry placeholders to restore.
    whole: bool,
}

impl<E> Walk<'_, '_, E> {
    fn shape(&self, expected: &'static str) -> ChatError<E> {
        shape(&self.ptr, expected)
    }

    fn shape_at(&self, key: &str, expected: &'static str) -> ChatError<E> {
        let mut p = self.ptr.clone();
        push_key(&mut p, key);
        shape(&p, expected)
    }

    /// Counts a part or block type that is not walked and not `known`.
    fn note_type(&mut self, t: &str, known: &[&str]) {
        if !known.contains(&t) {
            self.report.unknown += 1;
        }
    }

    /// Calls the closure; `Some` only for a text that differs.
    fn call(&mut self, loc: TextLocation, text: &str) -> Result<Option<String>, ChatError<E>> {
        self.report.visited += 1;
        match (self.f)(&loc, text) {
            Ok(Some(new)) if new != text => {
                self.report.changed += 1;
                Ok(Some(new))
            }
            Ok(_) => Ok(None),
            Err(source) => Err(ChatError::Transform {
                location: loc,
                source,
            }),
        }
    }

    /// The string at `self.ptr` as one plain text.
    fn text(&mut self, ctx: Ctx, text: &str) -> Result<(), ChatError<E>> {
        let loc = TextLocation {
            message: ctx.message,
            pointer: self.ptr.clone(),
            embedded: None,
            kind: ctx.kind,
        };
        if let Some(new) = self.call(loc, text)? {
            self.edits.push((self.ptr.clone(), new));
        }
        Ok(())
    }

    /// The string at `self.ptr`, visiting the string values inside it when
    /// it holds a JSON object or array.
    fn maybe_json(&mut self, ctx: Ctx, text: &str) -> Result<(), ChatError<E>> {
        let trimmed = text.trim_start();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
            return self.text(ctx, text);
        }
        let bound = self.max_depth.min(PARSER_MAX_DEPTH);
        if nesting_depth(text) > bound {
            return Err(ChatError::TooDeep {
                pointer: self.ptr.clone(),
                embedded: None,
                max_depth: bound,
            });
        }
        let Ok(mut inner) = serde_json::from_str::<Value>(text) else {
            return self.text(ctx, text);
        };
        let outer = self.ptr.clone();
        let mut inner_edits: Vec<(String, String)> = Vec::new();
        let mut path = String::new();
        let mut sink = |p: &str, s: &str| {
            let loc = TextLocation {
                message: ctx.message,
                pointer: outer.clone(),
                embedded: Some(p.to_owned()),
                kind: ctx.kind,
            };
            if let Some(new) = self.call(loc, s)? {
                inner_edits.push((p.to_owned(), new));
            }
            Ok(())
        };
        walk_strings(&inner, &mut path, 0, bound, &mut sink).map_err(|e| match e {
            ChatError::TooDeep {
                pointer, max_depth, ..
            } => ChatError::TooDeep {
                pointer: outer.clone(),
                embedded: Some(pointer),
                max_depth,
            },
            e => e,
        })?;
        if inner_edits.is_empty() {
            return Ok(());
        }
        apply(&mut inner, inner_edits)?;
        let json = serde_json::to_string(&inner).map_err(|_| ChatError::Reserialize {
            pointer: outer.clone(),
        })?;
        self.edits.push((outer, json));
        Ok(())
    }

    /// A JSON value in place (Anthropic `tool_use` input): its string values.
    fn in_place(&mut self, ctx: Ctx, v: &Value) -> Result<(), ChatError<E>> {
        let mut path = self.ptr.clone();
        let mut edits: Vec<(String, String)> = Vec::new();
        let max_depth = self.max_depth;
        let mut sink = |p: &str, s: &str| {
            let loc = TextLocation {
                message: ctx.message,
                pointer: p.to_owned(),
                embedded: None,
                kind: ctx.kind,
            };
            if let Some(new) = self.call(loc, s)? {
                edits.push((p.to_owned(), new));
            }
            Ok(())
        };
        walk_strings(v, &mut path, 0, max_depth, &mut sink)?;
        self.edits.append(&mut edits);
        Ok(())
    }

    /// `v`, at `self.ptr` and held by the key `parent`: every string value
    /// in it (never a key) as one plain text, skipping the structural ones
    /// ([`is_structural`]). `level` is the nesting already walked
    /// generically; containers past [`Walker::max_depth`] are
    /// [`ChatError::TooDeep`].
    fn generic(
        &mut self,
        ctx: Ctx,
        parent: &str,
        v: &Value,
        level: usize,
    ) -> Result<(), ChatError<E>> {
        match v {
            Value::String(s) => self.text(ctx, s),
            Value::Array(items) => {
                self.check_depth(level)?;
                for (i, item) in items.iter().enumerate() {
                    let mark = push_index(&mut self.ptr, i);
                    self.generic(ctx, parent, item, level + 1)?;
                    self.ptr.truncate(mark);
                }
                Ok(())
            }
            Value::Object(obj) => {
                self.check_depth(level)?;
                self.members(ctx, parent, obj, &[], level + 1)
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
        }
    }

    /// The members of `obj` (at `self.ptr`, held by `parent`) other than
    /// `handled`, in [`Map`] order, walked by [`Walk::generic`]. Does
    /// nothing in a narrow walk (responses).
    fn members(
        &mut self,
        ctx: Ctx,
        parent: &str,
        obj: &Map<String, Value>,
        handled: &[&str],
        level: usize,
    ) -> Result<(), ChatError<E>> {
        if !self.whole {
            return Ok(());
        }
        for (key, v) in obj {
            if handled.contains(&key.as_str()) || is_structural(parent, obj, key, v) {
                continue;
            }
            let mark = push_key(&mut self.ptr, key);
            self.generic(ctx, key, v, level)?;
            self.ptr.truncate(mark);
        }
        Ok(())
    }

    fn check_depth(&self, level: usize) -> Result<(), ChatError<E>> {
        if level >= self.max_depth {
            return Err(ChatError::TooDeep {
                pointer: self.ptr.clone(),
                embedded: None,
                max_depth: self.max_depth,
            });
        }
        Ok(())
    }

    /// A part or block (at `self.ptr`) of type `t` that has no text place
    /// of its own: in a whole walk its members are walked generically
    /// (images, audio, files, documents, refusals, unknown types), except
    /// Anthropic's [`OPAQUE_BLOCK_TYPES`].
    fn other_part(
        &mut self,
        ctx: Ctx,
        t: &str,
        part: &Map<String, Value>,
        anthropic: bool,
    ) -> Result<(), ChatError<E>> {
        let known = if anthropic {
            ANTHROPIC_BLOCK_TYPES
        } else {
            OPENAI_PART_TYPES
        };
        if !self.whole {
            self.note_type(t, known);
            return Ok(());
        }
        if anthropic && OPAQUE_BLOCK_TYPES.contains(&t) {
            self.report.unknown += 1;
            return Ok(());
        }
        if !known.contains(&t) {
            self.report.generic += 1;
        }
        self.members(ctx, "content", part, &[], 0)
    }

    /// The string value of `key` in `obj`, which must be a string (or absent
    /// or null when `optional`).
    fn string_field<'v>(
        &self,
        obj: &'v Map<String, Value>,
        key: &str,
        optional: bool,
    ) -> Result<Option<&'v str>, ChatError<E>> {
        match obj.get(key) {
            Some(Value::String(s)) => Ok(Some(s)),
            None | Some(Value::Null) if optional => Ok(None),
            _ => Err(self.shape_at(key, "a string")),
        }
    }

    fn block_type<'v>(&self, block: &'v Map<String, Value>) -> Result<&'v str, ChatError<E>> {
        match block.get("type") {
            Some(Value::String(t)) => Ok(t),
            _ => Err(self.shape_at("type", "a string `type`")),
        }
    }

    // ---- OpenAI ----

    fn openai_request(&mut self, obj: &Map<String, Value>) -> Result<(), ChatError<E>> {
        let messages = obj.get("messages");
        let prompt = obj.get("prompt");
        if messages.is_none() && prompt.is_none() {
            return Err(shape("/messages", "an array of messages"));
        }
        if let Some(messages) = messages {
            let mark = push_key(&mut self.ptr, "messages");
            let messages = messages
                .as_array()
                .ok_or_else(|| self.shape("an array of messages"))?;
            for (i, m) in messages.iter().enumerate() {
                let inner = push_index(&mut self.ptr, i);
                self.openai_message(i, m, TextKind::Other)?;
                self.ptr.truncate(inner);
            }
            self.ptr.truncate(mark);
        }
        if let Some(prompt) = prompt {
            let mark = push_key(&mut self.ptr, "prompt");
            let ctx = Ctx {
                message: None,
                kind: TextKind::Prompt,
            };
            match prompt {
                Value::Null => {}
                Value::String(s) => self.text(ctx, s)?,
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let inner = push_index(&mut self.ptr, i);
                        match item {
                            Value::String(s) => self.text(ctx, s)?,
                            // Token ids, or an array of them.
                            Value::Number(_) | Value::Array(_) => {}
                            _ => return Err(self.shape("a string or token ids")),
                        }
                        self.ptr.truncate(inner);
                    }
                }
                _ => return Err(self.shape("a string or an array")),
            }
            self.ptr.truncate(mark);
        }
        self.top_level_rest(obj, &["messages", "prompt"], &["tools", "functions"])
    }

    /// The tool definitions under `tools` (and each key in `tools`) of the
    /// top-level object `obj`, then its other members except `handled`.
    fn top_level_rest(
        &mut self,
        obj: &Map<String, Value>,
        handled: &[&str],
        tools: &[&str],
    ) -> Result<(), ChatError<E>> {
        let defs = Ctx {
            message: None,
            kind: TextKind::ToolDefinition,
        };
        for key in tools {
            if let Some(v) = obj.get(*key) {
                let mark = push_key(&mut self.ptr, key);
                self.generic(defs, key, v, 0)?;
                self.ptr.truncate(mark);
            }
        }
        let ctx = Ctx {
            message: None,
            kind: TextKind::Field,
        };
        let handled: Vec<&str> = handled.iter().chain(tools).copied().collect();
        self.members(ctx, "", obj, &handled, 0)
    }

    /// `self.ptr` points at the message; `default` is the kind of a message
    /// without a role.
    fn openai_message(
        &mut self,
        i: usize,
        m: &Value,
        default: TextKind,
    ) -> Result<(), ChatError<E>> {
        let m = m
            .as_object()
            .ok_or_else(|| self.shape("a message object"))?;
        let kind = match self.string_field(m, "role", true)? {
            None => default,
            Some("system" | "developer") => TextKind::System,
            Some("user") => TextKind::User,
            Some("assistant") => TextKind::Assistant,
            Some("tool" | "function") => TextKind::ToolResult,
            Some(_) => TextKind::Other,
        };
        let ctx = Ctx {
            message: Some(i),
            kind,
        };
        if let Some(content) = m.get("content") {
            let mark = push_key(&mut self.ptr, "content");
            self.openai_content(ctx, content)?;
            self.ptr.truncate(mark);
        }
        let args = Ctx {
            message: Some(i),
            kind: TextKind::ToolArguments,
        };
        match m.get("tool_calls") {
            None | Some(Value::Null) => {}
            Some(Value::Array(calls)) => {
                let mark = push_key(&mut self.ptr, "tool_calls");
                for (k, call) in calls.iter().enumerate() {
                    let inner = push_index(&mut self.ptr, k);
                    let call = call
                        .as_object()
                        .ok_or_else(|| self.shape("a tool call object"))?;
                    for (key, field) in [("function", "arguments"), ("custom", "input")] {
                        self.arguments(args, call, key, field)?;
                    }
                    self.members(args, "tool_calls", call, &["function", "custom"], 0)?;
                    self.ptr.truncate(inner);
                }
                self.ptr.truncate(mark);
            }
            Some(_) => return Err(self.shape_at("tool_calls", "an array of tool calls")),
        }
        self.arguments(args, m, "function_call", "arguments")?;
        let rest = Ctx {
            message: Some(i),
            kind: TextKind::Field,
        };
        self.members(
            rest,
            "messages",
            m,
            &["content", "tool_calls", "function_call"],
            0,
        )
    }

    /// `obj[key][field]`, a string of tool arguments, if present.
    fn arguments(
        &mut self,
        ctx: Ctx,
        obj: &Map<String, Value>,
        key: &str,
        field: &str,
    ) -> Result<(), ChatError<E>> {
        let Some(call) = obj.get(key) else {
            return Ok(());
        };
        let mark = push_key(&mut self.ptr, key);
        match call {
            Value::Null => {}
            Value::Object(call) => {
                if let Some(s) = self.string_field(call, field, true)? {
                    let inner = push_key(&mut self.ptr, field);
                    self.maybe_json(ctx, s)?;
                    self.ptr.truncate(inner);
                }
                self.members(ctx, key, call, &[field], 0)?;
            }
            _ => return Err(self.shape("an object")),
        }
        self.ptr.truncate(mark);
        Ok(())
    }

    /// `self.ptr` points at an OpenAI `content`.
    fn openai_content(&mut self, ctx: Ctx, content: &Value) -> Result<(), ChatError<E>> {
        let tool = ctx.kind == TextKind::ToolResult;
        match content {
            Value::Null => Ok(()),
            Value::String(s) if tool => self.maybe_json(ctx, s),
            Value::String(s) => self.text(ctx, s),
            Value::Array(parts) => {
                for (j, part) in parts.iter().enumerate() {
                    let mark = push_index(&mut self.ptr, j);
                    let part = part
                        .as_object()
                        .ok_or_else(|| self.shape("a content part object"))?;
                    let t = self.block_type(part)?;
                    if t != "text" {
                        self.other_part(ctx, t, part, false)?;
                    } else {
                        let text = self.string_field(part, "text", false)?.unwrap_or_default();
                        let inner = push_key(&mut self.ptr, "text");
                        if tool {
                            self.maybe_json(ctx, text)?;
                        } else {
                            self.text(ctx, text)?;
                        }
                        self.ptr.truncate(inner);
                        self.members(ctx, "content", part, &["text"], 0)?;
                    }
                    self.ptr.truncate(mark);
                }
                Ok(())
            }
            _ => Err(self.shape("a string, an array of content parts or null")),
        }
    }

    fn openai_response(&mut self, obj: &Map<String, Value>) -> Result<(), ChatError<E>> {
        let mark = push_key(&mut self.ptr, "choices");
        let choices = obj
            .get("choices")
            .and_then(Value::as_array)
            .ok_or_else(|| self.shape("an array of choices"))?;
        for (i, choice) in choices.iter().enumerate() {
            let inner = push_index(&mut self.ptr, i);
            let choice = choice
                .as_object()
                .ok_or_else(|| self.shape("a choice object"))?;
            if let Some(message) = choice.get("message") {
                let m = push_key(&mut self.ptr, "message");
                self.openai_message(i, message, TextKind::Assistant)?;
                self.ptr.truncate(m);
            }
            if let Some(text) = self.string_field(choice, "text", true)? {
                let m = push_key(&mut self.ptr, "text");
                let ctx = Ctx {
                    message: Some(i),
                    kind: TextKind::Assistant,
                };
                self.text(ctx, text)?;
                self.ptr.truncate(m);
            }
            self.ptr.truncate(inner);
        }
        self.ptr.truncate(mark);
        Ok(())
    }

    // ---- Anthropic ----

    fn anthropic_request(&mut self, obj: &Map<String, Value>) -> Result<(), ChatError<E>> {
        if let Some(system) = obj.get("system") {
            let mark = push_key(&mut self.ptr, "system");
            let ctx = Ctx {
                message: None,
                kind: TextKind::System,
            };
            match system {
                Value::Null => {}
                Value::String(s) => self.text(ctx, s)?,
                Value::Array(blocks) => {
                    for (j, block) in blocks.iter().enumerate() {
                        let inner = push_index(&mut self.ptr, j);
                        self.anthropic_block(ctx, block)?;
                        self.ptr.truncate(inner);
                    }
                }
                _ => return Err(self.shape("a string or an array of text blocks")),
            }
            self.ptr.truncate(mark);
        }
        let mark = push_key(&mut self.ptr, "messages");
        let messages = obj
            .get("messages")
            .and_then(Value::as_array)
            .ok_or_else(|| self.shape("an array of messages"))?;
        for (i, m) in messages.iter().enumerate() {
            let inner = push_index(&mut self.ptr, i);
            let m = m
                .as_object()
                .ok_or_else(|| self.shape("a message object"))?;
            let kind = match self.string_field(m, "role", true)? {
                Some("user") => TextKind::User,
                Some("assistant") => TextKind::Assistant,
                _ => TextKind::Other,
            };
            if let Some(content) = m.get("content") {
                let c = push_key(&mut self.ptr, "content");
                let ctx = Ctx {
                    message: Some(i),
                    kind,
                };
                self.anthropic_content(ctx, content)?;
                self.ptr.truncate(c);
            }
            let rest = Ctx {
                message: Some(i),
                kind: TextKind::Field,
            };
            self.members(rest, "messages", m, &["content"], 0)?;
            self.ptr.truncate(inner);
        }
        self.ptr.truncate(mark);
        self.top_level_rest(obj, &["system", "messages"], &["tools"])
    }

    /// `self.ptr` points at an Anthropic `content`.
    fn anthropic_content(&mut self, ctx: Ctx, content: &Value) -> Result<(), ChatError<E>> {
        match content {
            Value::Null => Ok(()),
            Value::String(s) => self.text(ctx, s),
            Value::Array(blocks) => {
                for (j, block) in blocks.iter().enumerate() {
                    let mark = push_index(&mut self.ptr, j);
                    self.anthropic_block(ctx, block)?;
                    self.ptr.truncate(mark);
                }
                Ok(())
            }
            _ => Err(self.shape("a string, an array of content blocks or null")),
        }
    }

    /// `self.ptr` points at the block.
    fn anthropic_block(&mut self, ctx: Ctx, block: &Value) -> Result<(), ChatError<E>> {
        let block = block
            .as_object()
            .ok_or_else(|| self.shape("a content block object"))?;
        match self.block_type(block)? {
            "text" => {
                let text = self.string_field(block, "text", false)?.unwrap_or_default();
                let mark = push_key(&mut self.ptr, "text");
                self.text(ctx, text)?;
                self.ptr.truncate(mark);
                self.members(ctx, "content", block, &["text"], 0)?;
            }
            "tool_use" | "server_tool_use" => {
                let ctx = Ctx {
                    kind: TextKind::ToolArguments,
                    ..ctx
                };
                if let Some(input) = block.get("input") {
                    let mark = push_key(&mut self.ptr, "input");
                    self.in_place(ctx, input)?;
                    self.ptr.truncate(mark);
                }
                self.members(ctx, "content", block, &["input"], 0)?;
            }
            "tool_result" => {
                let ctx = Ctx {
                    kind: TextKind::ToolResult,
                    ..ctx
                };
                let mark = push_key(&mut self.ptr, "content");
                match block.get("content") {
                    None | Some(Value::Null) => {}
                    Some(Value::String(s)) => self.maybe_json(ctx, s)?,
                    Some(Value::Array(blocks)) => {
                        for (k, inner) in blocks.iter().enumerate() {
                            let b = push_index(&mut self.ptr, k);
                            let inner = inner
                                .as_object()
                                .ok_or_else(|| self.shape("a content block object"))?;
                            let t = self.block_type(inner)?;
                            if t != "text" {
                                self.other_part(ctx, t, inner, true)?;
                            } else {
                                let text =
                                    self.string_field(inner, "text", false)?.unwrap_or_default();
                                let t = push_key(&mut self.ptr, "text");
                                self.maybe_json(ctx, text)?;
                                self.ptr.truncate(t);
                                self.members(ctx, "content", inner, &["text"], 0)?;
                            }
                            self.ptr.truncate(b);
                        }
                    }
                    Some(_) => {
                        return Err(self.shape("a string, an array of content blocks or null"));
                    }
                }
                self.ptr.truncate(mark);
                self.members(ctx, "content", block, &["content"], 0)?;
            }
            other => self.other_part(ctx, other, block, true)?,
        }
        Ok(())
    }

    fn anthropic_response(&mut self, obj: &Map<String, Value>) -> Result<(), ChatError<E>> {
        let mark = push_key(&mut self.ptr, "content");
        let ctx = Ctx {
            message: None,
            kind: TextKind::Assistant,
        };
        match obj.get("content") {
            Some(Value::Array(blocks)) => {
                for (j, block) in blocks.iter().enumerate() {
                    let inner = push_index(&mut self.ptr, j);
                    self.anthropic_block(ctx, block)?;
                    self.ptr.truncate(inner);
                }
            }
            _ => return Err(self.shape("an array of content blocks")),
        }
        self.ptr.truncate(mark);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        let mut p = String::new();
        push_key(&mut p, "a/b~c");
        push_index(&mut p, 3);
        assert_eq!(p, "/a~1b~0c/3");
        // Keys with nothing to escape take the fast path.
        push_key(&mut p, "plain key é");
        push_index(&mut p, 1024);
        assert_eq!(p, "/a~1b~0c/3/plain key é/1024");
    }

    #[test]
    fn pointer_lookup_matches_serde_json() {
        let v = serde_json::json!({
            "a/b": {"c~d": [0, "x", {"": "empty key"}]},
            "m": [[1, 2], {"01": "zero-led key"}],
            "s": "text",
        });
        let pointers = [
            "",
            "/",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1",
            "/a~1b/c~0d/2/",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/9",
            "/m/0/1",
            "/m/1/01",
            "/s/0",
            "/missing",
            "no-slash",
            "/a/b",
            "/m/-1",
            "/m/18446744073709551616",
        ];
        for p in pointers {
            let mut ours = v.clone();
            let mut theirs = v.clone();
            assert_eq!(
                pointer_mut(&mut ours, p).map(|x| x.clone()),
                theirs.pointer_mut(p).map(|x| x.clone()),
                "pointer {p:?}"
            );
        }
    }

    #[test]
    fn nesting_depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(r#"{"a":"[[[{{{\"[["}"#), 1);
        assert_eq!(nesting_depth("[[[]],[]]"), 3);
        assert_eq!(nesting_depth("plain"), 0);
    }
}
