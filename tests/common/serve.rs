//! The real `ucodts serve` as a child process on a free loopback port, and a minimal HTTP/1.1 client (one
//! request per connection): what the kill -9 tests need and nothing more.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An answer as it came: status, header block, body (de-chunked).
pub struct RawAnswer {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// One request on its own connection, `headers` added to Host, Connection and Content-Length.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<RawAnswer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete answer")
    })?;
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok(RawAnswer {
        status,
        headers: headers.to_string(),
        body,
    })
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// `ucodts serve --db DB` on a free port, its stdout to a log file; started once it answers /healthz.
pub struct ServeProcess {
    child: Child,
    pub addr: String,
}

impl ServeProcess {
    pub fn start(db: &str, log: &Path) -> ServeProcess {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_ucodts"))
            .args(["serve", "--addr", &addr, "--db", db])
            .stdout(std::fs::File::create(log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("ucodts serve starts");
        let start = Instant::now();
        while !request(&addr, "GET", "/healthz", &[], "").is_ok_and(|a| a.status == 200) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the server never answered /healthz"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ServeProcess { child, addr }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}
