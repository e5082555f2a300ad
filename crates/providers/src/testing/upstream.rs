use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer of a [`FakeUpstream`].
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Stream the body in pieces of this size with chunked encoding.
    piece: Option<usize>,
    /// Pause between pieces.
    pace: Duration,
    /// Wait before sending anything.
    delay: Duration,
    /// Send only this many body bytes, then drop the connection.
    cut: Option<usize>,
    /// Drop the connection without answering.
    reset: bool,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into().into_bytes(),
            piece: None,
            pace: Duration::ZERO,
            delay: Duration::ZERO,
            cut: None,
            reset: false,
        }
    }

    /// A 200 event stream, sent with chunked encoding in `piece`-byte
    /// pieces (so events, lines and characters straddle reads).
    pub fn sse(body: impl Into<String>, piece: usize) -> Reply {
        Reply {
            headers: vec![("content-type".into(), "text/event-stream".into())],
            piece: Some(piece.max(1)),
            ..Reply::json(200, body)
        }
    }

    /// Closes the connection as soon as the request has been read.
    pub fn reset() -> Reply {
        Reply {
            reset: true,
            ..Reply::json(200, "")
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Waits `d` before the status line (a slow first byte).
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }

    /// Pauses `d` between streamed pieces.
    pub fn pace(mut self, d: Duration) -> Reply {
        self.pace = d;
        self
    }

    /// Sends only the first `bytes` of the body, then drops the connection
    /// (a stream cut mid-event, or a truncated body).
    pub fn cut_after(mut self, bytes: usize) -> Reply {
        self.cut = Some(bytes);
        self
    }
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug, Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    fallback: Mutex<Option<Reply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    close_after_each: AtomicBool,
    connections: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A scripted HTTP/1.1 server on `127.0.0.1:0`, standing in for a provider
/// so tests can produce real faults on a real socket: statuses with
/// headers, slow first bytes, streams paced and cut mid-event, connections
/// dropped before an answer, servers that close after every response.
///
/// Replies are served in script order; when the script is empty, the
/// fallback reply (if set) answers, else a 599 with an empty body. The
/// server stops when the value is dropped.
#[derive(Debug)]
pub struct FakeUpstream {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeUpstream {
    /// Starts a server with an empty script.
    ///
    /// # Errors
    /// If no loopback port can be bound.
    pub async fn start() -> std::io::Result<FakeUpstream> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let s = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                s.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(conn, Arc::clone(&s)));
            }
        });
        Ok(FakeUpstream { addr, shared, task })
    }

    /// `http://127.0.0.1:<port>` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Queues replies.
    pub fn push(&self, replies: impl IntoIterator<Item = Reply>) -> &Self {
        lock(&self.shared.script).extend(replies);
        self
    }

    /// The reply used when the script is empty.
    pub fn fallback(&self, reply: Reply) -> &Self {
        *lock(&self.shared.fallback) = Some(reply);
        self
    }

    /// Sends `Connection: close` and closes after every response.
    pub fn close_after_each(&self, on: bool) -> &Self {
        self.shared.close_after_each.store(on, Ordering::SeqCst);
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// How many TCP connections were accepted.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut conn: TcpStream, shared: Arc<Shared>) {
    let _ = conn.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let Some(req) = read_request(&mut conn, &mut buf).await else {
            return;
        };
        lock(&shared.requests).push(req);
        let reply = lock(&shared.script)
            .pop_front()
            .or_else(|| lock(&shared.fallback).clone())
            .unwrap_or_else(|| Reply::json(599, ""));
        let close = shared.close_after_each.load(Ordering::SeqCst);
        if !write_reply(&mut conn, &reply, close).await || close {
            return;
        }
    }
}

/// Reads one request (headers and a `Content-Length` body); `None` when the
/// client closed or sent garbage.
async fn read_request(conn: &mut TcpStream, buf: &mut Vec<u8>) -> Option<RecordedRequest> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        let mut chunk = [0u8; 8192];
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Some(RecordedRequest {
        method,
        target,
        headers,
        body,
    })
}

/// Writes a reply; `false` when the connection must close.
async fn write_reply(conn: &mut TcpStream, r: &Reply, close: bool) -> bool {
    if !r.delay.is_zero() {
        tokio::time::sleep(r.delay).await;
    }
    if r.reset {
        return false;
    }
    let mut head = format!("HTTP/1.1 {} Fake\r\n", r.status);
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if close {
        head.push_str("connection: close\r\n");
    }
    let body = match r.cut {
        Some(n) => &r.body[..n.min(r.body.len())],
        None => &r.body[..],
    };
    match r.piece {
        None => {
            // One write, as a real server sends a small reply: one segment.
            head.push_str(&format!("content-length: {}\r\n\r\n", r.body.len()));
            let mut whole = head.into_bytes();
            whole.extend_from_slice(body);
            if conn.write_all(&whole).await.is_err() {
                return false;
            }
        }
        Some(piece) => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            if conn.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            for (i, p) in body.chunks(piece).enumerate() {
                if i > 0 && !r.pace.is_zero() {
                    tokio::time::sleep(r.pace).await;
                }
                let mut frame = format!("{:x}\r\n", p.len()).into_bytes();
                frame.extend_from_slice(p);
                frame.extend_from_slice(b"\r\n");
                if conn.write_all(&frame).await.is_err() {
                    return false;
                }
                let _ = conn.flush().await;
            }
            if r.cut.is_none() && conn.write_all(b"0\r\n\r\n").await.is_err() {
                return false;
            }
        }
    }
    let _ = conn.flush().await;
    r.cut.is_none()
}
