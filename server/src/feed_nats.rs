//! The movement feed from a NATS JetStream subject (`ucodts serve --nats URL`, docs/guide/live.md).
//!
//! A durable pull consumer reads the subject's stream ([`ucodts_live::nats::stream_name`]) and hands each
//! batch of up to [`BATCH`] messages, JSON lines and AIDX alike, to the store POST /api/feed uses
//! (`api::live::store`), so an event from NATS is checked, stored, audited and applied exactly as a posted
//! one, and a refused message lands in the dead-letter table with its reason. A batch is one transaction:
//! its messages are acknowledged only after it has committed; when the store fails (the database is
//! unreachable, say) none is acknowledged and JetStream delivers them again. A message delivered twice
//! (the server stopped between commit and acknowledgement) is a duplicate event, which changes nothing.
//!
//! The feed's caller is `nats` with role `feed` and user id 0: that is who `received_by` and the audit
//! rows name for events that came from the subject.

use std::time::Duration;

use actix_web::web;
use async_nats::jetstream::{self, consumer, AckKind, Message};
use futures_util::StreamExt;
use ucodts_live::nats as feed;

use crate::api::live::FeedMessage;
use crate::auth::{Caller, Credential, Role};
use crate::error::{Error, Result};
use crate::AppState;

/// The durable consumer's name unless the configuration says otherwise.
pub const DEFAULT_CONSUMER: &str = "ucodts-serve";

/// Messages stored at once, in one transaction (whatever their form): a commit per message held AIDX over
/// NATS to about 150 messages a second on SQLite.
pub const BATCH: usize = 1_000;
/// How long a pull waits for messages before asking again.
const PULL_WAIT: Duration = Duration::from_secs(1);
/// How long JetStream waits for an acknowledgement before it delivers a message again.
const ACK_WAIT: Duration = Duration::from_secs(30);
/// After a failed store, when JetStream may deliver the message again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Where the feed comes from.
#[derive(Debug, Clone)]
pub struct NatsFeedConfig {
    /// `nats://HOST:PORT`.
    pub url: String,
    /// The feed's subject ([`ucodts_live::nats::DEFAULT_SUBJECT`] by default).
    pub subject: String,
    /// The durable consumer's name: a restarted server goes on where it acknowledged last.
    pub consumer: String,
}

impl NatsFeedConfig {
    pub fn new(url: &str) -> NatsFeedConfig {
        NatsFeedConfig {
            url: url.to_string(),
            subject: feed::DEFAULT_SUBJECT.to_string(),
            consumer: DEFAULT_CONSUMER.to_string(),
        }
    }
}

/// The caller the feed handler sees for messages from NATS.
fn nats_caller() -> Caller {
    Caller {
        user_id: 0,
        name: "nats".to_string(),
        role: Role::Feed,
        credential: Credential::Token,
    }
}

/// Connects, makes sure the stream and the durable consumer exist, and starts consuming on the current
/// (actix) runtime. Fails when the NATS server cannot be reached or the stream cannot be set up; after
/// that the client reconnects by itself. Abort the returned task to stop consuming.
pub async fn start(
    state: web::Data<AppState>,
    config: &NatsFeedConfig,
) -> Result<actix_web::rt::task::JoinHandle<()>> {
    let config_error = |e: String| Error::Config(format!("--nats: {e}"));
    let client = feed::connect(&config.url, "ucodts serve")
        .await
        .map_err(config_error)?;
    let jetstream = jetstream::new(client);
    let stream = feed::feed_stream(&jetstream, &config.subject)
        .await
        .map_err(config_error)?;
    let consumer: consumer::PullConsumer = stream
        .get_or_create_consumer(
            &config.consumer,
            consumer::pull::Config {
                durable_name: Some(config.consumer.clone()),
                description: Some("ucodts serve: the live feed".to_string()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                deliver_policy: consumer::DeliverPolicy::All,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| config_error(format!("the durable consumer {}: {e}", config.consumer)))?;
    tracing::info!(subject = %config.subject, consumer = %config.consumer, "consuming the feed from NATS");
    let subject = config.subject.clone();
    Ok(actix_web::rt::spawn(async move {
        consume(state, consumer, subject).await;
    }))
}

async fn consume(state: web::Data<AppState>, consumer: consumer::PullConsumer, subject: String) {
    loop {
        let batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(PULL_WAIT)
            .messages()
            .await;
        let mut batch = match batch {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(subject = %subject, error = %e, "pulling the feed from NATS");
                actix_web::rt::time::sleep(RETRY_AFTER).await;
                continue;
            }
        };
        let mut messages = Vec::new();
        while let Some(message) = batch.next().await {
            match message {
                Ok(m) => messages.push(m),
                Err(e) => tracing::warn!(subject = %subject, error = %e, "a NATS fetch"),
            }
        }
        if !messages.is_empty() {
            store(&state, messages).await;
        }
    }
}

/// Whether a message is an AIDX message: its Content-Type says XML, or without one its text starts with `<`.
fn is_xml(message: &Message) -> bool {
    let declared = message
        .headers
        .as_ref()
        .and_then(|h| h.get(feed::CONTENT_TYPE))
        .map(|v| v.as_str().to_string());
    match declared {
        Some(ct) => ct.contains("xml"),
        None => message.payload.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<'),
    }
}

/// Stores a batch in one transaction, then acknowledges every message of it; a failed store acknowledges
/// none.
async fn store(state: &web::Data<AppState>, batch: Vec<Message>) {
    let bodies: Vec<FeedMessage> = batch
        .iter()
        .map(|m| FeedMessage {
            xml: is_xml(m),
            body: m.payload.clone(),
        })
        .collect();
    match crate::api::live::store(state, &nats_caller(), &bodies).await {
        Ok(_) => {
            for m in &batch {
                // The events are committed; a lost acknowledgement only brings a duplicate back, so
                // the acknowledgements go out without waiting for the server's receipt of each.
                if let Err(e) = m.ack().await {
                    tracing::warn!(error = %e, "acknowledging a stored feed message");
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, messages = batch.len(), "storing feed messages from NATS; they will be delivered again");
            for m in &batch {
                let _ = m.ack_with(AckKind::Nak(Some(RETRY_AFTER))).await;
            }
        }
    }
}
