//! Where a replayed feed goes: a writer (stdout) or the server's POST /api/feed, paced to a speed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::event::LegEvent;
use crate::{aidx, jsonl};

/// The two wire forms.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Aidx,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "jsonl" => Some(Format::Jsonl),
            "aidx" => Some(Format::Aidx),
            _ => None,
        }
    }

    /// One event in this form, on one line.
    pub fn write(self, event: &LegEvent) -> String {
        match self {
            Format::Jsonl => jsonl::write_line(event),
            Format::Aidx => aidx::write_message(event),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson",
            Format::Aidx => "application/xml",
        }
    }
}

/// Takes the feed's messages one at a time.
pub trait Sink {
    fn send(&mut self, message: &str) -> std::io::Result<()>;
    /// Delivers whatever is still batched.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// Each message as one line of a writer.
pub struct Lines<W: Write>(pub W);

impl<W: Write> Sink for Lines<W> {
    fn send(&mut self, message: &str) -> std::io::Result<()> {
        self.0.write_all(message.as_bytes())?;
        self.0.write_all(b"\n")
    }
    fn finish(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// POSTs to `http://HOST:PORT/api/feed` with a bearer token: JSON lines in batches of up to
/// [`HttpFeed::BATCH`] lines and [`HttpFeed::BATCH_BYTES`] bytes, AIDX one message per request. A refusal (any status but 200) stops the replay
/// with the server's answer.
pub struct HttpFeed {
    host_port: String,
    token: String,
    format: Format,
    batch: Vec<String>,
    batch_bytes: usize,
}

impl HttpFeed {
    /// Lines a post at most: a post is a transaction on the server, so the fewer the faster (200 a post
    /// stored about 19,000 events a second, docs/benchmarks.md).
    pub const BATCH: usize = 1_000;
    /// Bytes a post at most: under the server's 256 KiB body limit.
    pub const BATCH_BYTES: usize = 192 * 1024;

    /// `url` is `http://HOST:PORT` (no TLS: a feed into a server on the same network).
    pub fn new(url: &str, token: &str, format: Format) -> Result<HttpFeed, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("--to `{url}`: expected http://HOST:PORT"))?;
        let host_port = rest.trim_end_matches('/').to_string();
        if host_port.is_empty() || host_port.contains('/') {
            return Err(format!(
                "--to `{url}`: expected http://HOST:PORT with no path"
            ));
        }
        Ok(HttpFeed {
            host_port,
            token: token.to_string(),
            format,
            batch: Vec::new(),
            batch_bytes: 0,
        })
    }

    fn post(&mut self) -> std::io::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut body = self.batch.join("\n");
        body.push('\n');
        self.batch.clear();
        self.batch_bytes = 0;
        let mut stream = TcpStream::connect(&self.host_port)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let head = format!(
            "POST /api/feed HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.host_port,
            self.token,
            self.format.content_type(),
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let status = answer.split(' ').nth(1).unwrap_or("");
        if status != "200" {
            let text = answer.split("\r\n\r\n").nth(1).unwrap_or("");
            return Err(std::io::Error::other(format!(
                "POST http://{}/api/feed answered {status}: {text}",
                self.host_port
            )));
        }
        Ok(())
    }
}

impl Sink for HttpFeed {
    fn send(&mut self, message: &str) -> std::io::Result<()> {
        if self.batch_bytes + message.len() + 1 > HttpFeed::BATCH_BYTES {
            self.post()?;
        }
        self.batch.push(message.to_string());
        self.batch_bytes += message.len() + 1;
        if self.format == Format::Aidx || self.batch.len() >= HttpFeed::BATCH {
            self.post()?;
        }
        Ok(())
    }
    fn finish(&mut self) -> std::io::Result<()> {
        self.post()
    }
}

/// Plays events into a sink in their order: `speed` None sends at once (`--speed max`), `Some(n)` waits
/// between events for their send-time gap divided by `n` (60 plays a minute of the day per second).
pub fn play(
    events: &[LegEvent],
    format: Format,
    speed: Option<f64>,
    sink: &mut dyn Sink,
) -> std::io::Result<usize> {
    let start = Instant::now();
    let first = events.first().map(|e| e.sent);
    for e in events {
        if let (Some(speed), Some(first)) = (speed, first) {
            let due = Duration::from_secs_f64((e.sent - first).0 as f64 * 60.0 / speed);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                sink.finish()?;
                std::thread::sleep(wait);
            }
        }
        sink.send(&format.write(e))?;
    }
    sink.finish()?;
    Ok(events.len())
}
