//! The feed on a NATS JetStream subject: where `ucodts replay --to nats://HOST:PORT` publishes and
//! `ucodts serve --nats URL` consumes (docs/guide/live.md).
//!
//! One message per event, a JSON line or an AIDX message, its form in the `Content-Type` header. The subject
//! (default [`DEFAULT_SUBJECT`]) is held by a JetStream stream named after it ([`stream_name`]), so the
//! publisher and the server agree on the stream without a second option, and either may create it. A
//! publish counts only when JetStream has acknowledged it (the message is in the stream).

use std::time::Duration;

use async_nats::jetstream::{self, context::PublishAckFuture, stream};

use crate::send::{Format, Sink};

/// The feed's subject unless `--nats-subject` says otherwise.
pub const DEFAULT_SUBJECT: &str = "ucodts.feed";

/// How long a connection attempt may take before the command gives up with an error.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Publishes in flight before the sink waits for their acknowledgements.
const IN_FLIGHT: usize = 256;

/// The header that says which form a message is in.
pub const CONTENT_TYPE: &str = "Content-Type";

/// Checks a subject a feed may be published to: dot-separated tokens of letters, digits, `-` and `_`
/// (no wildcards, no spaces).
pub fn check_subject(subject: &str) -> Result<(), String> {
    let ok = !subject.is_empty()
        && subject.split('.').all(|token| {
            !token.is_empty()
                && token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "subject `{subject}`: expected dot-separated tokens of letters, digits, `-` and `_` (no wildcards)"
        ))
    }
}

/// The stream that holds a feed subject: the subject upper-cased, its dots (and any `-`) as `_`
/// (`ucodts.feed` is held by `UCODTS_FEED`).
pub fn stream_name(subject: &str) -> String {
    subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Checks `nats://HOST:PORT` and returns `HOST:PORT`.
pub fn server_address(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("nats://")
        .ok_or_else(|| format!("`{url}`: expected nats://HOST:PORT"))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains('/') {
        return Err(format!("`{url}`: expected nats://HOST:PORT with no path"));
    }
    Ok(rest.to_string())
}

/// Connects to the NATS server at `url` (`nats://HOST:PORT`), naming the connection `name` in the
/// server's monitoring.
pub async fn connect(url: &str, name: &str) -> Result<async_nats::Client, String> {
    let address = server_address(url)?;
    async_nats::ConnectOptions::new()
        .name(name)
        .connection_timeout(CONNECT_TIMEOUT)
        .connect(address.as_str())
        .await
        .map_err(|e| format!("connecting to {url}: {e}"))
}

/// The stream that holds `subject`, created when missing (file storage, messages kept until limits).
pub async fn feed_stream(
    jetstream: &jetstream::Context,
    subject: &str,
) -> Result<stream::Stream, String> {
    check_subject(subject)?;
    let name = stream_name(subject);
    jetstream
        .get_or_create_stream(stream::Config {
            name: name.clone(),
            subjects: vec![subject.to_string()],
            description: Some("UCODTS movement feed (docs/guide/live.md)".to_string()),
            storage: stream::StorageType::File,
            retention: stream::RetentionPolicy::Limits,
            ..Default::default()
        })
        .await
        .map_err(|e| format!("the JetStream stream {name} for subject {subject}: {e}"))
}

/// Publishes each message to a JetStream subject; `finish` returns once JetStream has acknowledged every
/// message sent (each is then in the stream).
pub struct NatsFeed {
    runtime: tokio::runtime::Runtime,
    jetstream: jetstream::Context,
    subject: String,
    format: Format,
    in_flight: Vec<PublishAckFuture>,
}

impl NatsFeed {
    /// Connects to `url` (`nats://HOST:PORT`) and makes sure the stream for `subject` exists.
    pub fn new(url: &str, subject: &str, format: Format) -> Result<NatsFeed, String> {
        check_subject(subject)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("starting a runtime for NATS: {e}"))?;
        let jetstream = runtime.block_on(async {
            let client = connect(url, "ucodts replay").await?;
            let jetstream = jetstream::new(client);
            feed_stream(&jetstream, subject).await?;
            Ok::<_, String>(jetstream)
        })?;
        Ok(NatsFeed {
            runtime,
            jetstream,
            subject: subject.to_string(),
            format,
            in_flight: Vec::new(),
        })
    }

    fn wait_for_acks(&mut self) -> std::io::Result<()> {
        let in_flight = std::mem::take(&mut self.in_flight);
        let subject = &self.subject;
        self.runtime.block_on(async {
            for ack in in_flight {
                ack.await.map_err(|e| {
                    std::io::Error::other(format!(
                        "JetStream did not store a message on {subject}: {e}"
                    ))
                })?;
            }
            Ok(())
        })
    }
}

impl Sink for NatsFeed {
    fn send(&mut self, message: &str) -> std::io::Result<()> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert(CONTENT_TYPE, self.format.content_type());
        let payload = message.to_string().into_bytes().into();
        let ack = self
            .runtime
            .block_on(
                self.jetstream
                    .publish_with_headers(self.subject.clone(), headers, payload),
            )
            .map_err(|e| std::io::Error::other(format!("publishing to {}: {e}", self.subject)))?;
        self.in_flight.push(ack);
        if self.in_flight.len() >= IN_FLIGHT {
            self.wait_for_acks()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.wait_for_acks()?;
        let client = self.jetstream.client();
        self.runtime
            .block_on(client.flush())
            .map_err(|e| std::io::Error::other(format!("flushing to NATS: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_names_its_stream_and_wildcards_are_refused() {
        assert_eq!(stream_name("ucodts.feed"), "UCODTS_FEED");
        assert_eq!(stream_name("ops.ewr-feed"), "OPS_EWR_FEED");
        assert!(check_subject("ucodts.feed").is_ok());
        assert!(check_subject("ucodts.*").is_err());
        assert!(check_subject("ucodts..feed").is_err());
        assert!(check_subject("").is_err());
    }

    #[test]
    fn only_nats_urls_without_a_path_are_servers() {
        assert_eq!(
            server_address("nats://127.0.0.1:4222").unwrap(),
            "127.0.0.1:4222"
        );
        assert!(server_address("http://127.0.0.1:4222").is_err());
        assert!(server_address("nats://127.0.0.1:4222/feed").is_err());
    }
}
