//! A loopback HTTP/1.1 server for client tests: it records every request (method, target,
//! headers, body) and answers as a test's handler says, including never, or with a huge body.

// Each test file uses a part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the server does with a request.
pub enum Answer {
    /// Sends these bytes (a whole HTTP response) and keeps the connection.
    Raw(Vec<u8>),
    /// Reads the request and then never answers.
    Silence,
    /// A 200 with this many bytes of body, in 64 KiB chunks, declared up front or chunked.
    Huge { bytes: usize, declared: bool },
}

pub type Handler = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// A loopback HTTP/1.1 server that answers by `handler(request, request number)`.
pub struct Server {
    pub url: String,
    pub host: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    pub connections: Arc<AtomicUsize>,
    /// Body bytes written by `Answer::Huge` before the client hung up.
    pub written: Arc<AtomicUsize>,
}

impl Server {
    pub async fn start(handler: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Self {
            url: format!("http://{addr}"),
            host: addr.to_string(),
            seen: Arc::default(),
            connections: Arc::default(),
            written: Arc::default(),
        };
        let (seen, connections, written) = (
            Arc::clone(&server.seen),
            Arc::clone(&server.connections),
            Arc::clone(&server.written),
        );
        let handler: Arc<Handler> = Arc::new(handler);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                let (seen, written, handler) = (
                    Arc::clone(&seen),
                    Arc::clone(&written),
                    Arc::clone(&handler),
                );
                tokio::spawn(serve(stream, seen, written, handler));
            }
        });
        server
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    written: Arc<AtomicUsize>,
    handler: Arc<Handler>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let number = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len()
        };
        match handler(&request, number) {
            Answer::Raw(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Answer::Silence => {
                // Hold the connection open, reading nothing more, until the client gives up.
                let mut sink = [0u8; 1];
                let _ = stream.read(&mut sink).await;
                return;
            }
            Answer::Huge { bytes, declared } => {
                let head = if declared {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {bytes}\r\n\r\n"
                    )
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_string()
                };
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0;
                while sent < bytes {
                    let part = &chunk[..chunk.len().min(bytes - sent)];
                    let ok = if declared {
                        stream.write_all(part).await
                    } else {
                        let framed =
                            [format!("{:x}\r\n", part.len()).as_bytes(), part, b"\r\n"].concat();
                        stream.write_all(&framed).await
                    };
                    if ok.is_err() {
                        return;
                    }
                    sent += part.len();
                    written.fetch_add(part.len(), Ordering::SeqCst);
                }
                return;
            }
        }
    }
}

/// Reads one request (head and a `content-length` body); `None` when the peer hung up.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Seen> {
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (
        request_line.next()?.to_string(),
        request_line.next()?.to_string(),
    );
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Seen {
        method,
        target,
        headers,
        body,
    })
}

pub fn json(body: &serde_json::Value) -> Answer {
    let body = body.to_string();
    Answer::Raw(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

pub fn status(code: u16, extra_headers: &str, body: &str) -> Answer {
    Answer::Raw(
        format!(
            "HTTP/1.1 {code} Whatever\r\n{extra_headers}content-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}
