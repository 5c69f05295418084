//! What the server reports about itself: Prometheus text at `/metrics` (requests by route and status,
//! latency histograms by route, jobs queued, running, done and failed, Monte Carlo replications), and one JSON log line per request
//! with its request id. Written here in a few lines instead of pulling an exporter crate; the format is
//! Prometheus's text exposition format 0.0.4.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::AppState;

/// Upper bounds of the latency buckets, seconds.
const BUCKETS_S: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS_S.len()],
    count: u64,
    sum_s: f64,
}

/// Request counters and latency histograms.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    next_request: AtomicU64,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let key = (method.to_string(), route.to_string());
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((key.0.clone(), key.1.clone(), status))
            .or_default() += 1;
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = latency.entry(key).or_default();
        for (i, bound) in BUCKETS_S.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum_s += seconds;
    }

    /// The Prometheus text of the request metrics and the job gauges.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP ucodts_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE ucodts_http_requests_total counter\n");
        for ((method, route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "ucodts_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP ucodts_http_request_duration_seconds Time to answer, by method and route.\n",
        );
        out.push_str("# TYPE ucodts_http_request_duration_seconds histogram\n");
        for ((method, route), h) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, n) in BUCKETS_S.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "ucodts_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "ucodts_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "ucodts_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum_s
            );
            let _ = writeln!(
                out,
                "ucodts_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        let jobs = &state.jobs;
        for (name, help, kind, value) in [
            (
                "ucodts_jobs_queued",
                "Runs waiting for a worker.",
                "gauge",
                jobs.queued.load(Ordering::Relaxed) as u64,
            ),
            (
                "ucodts_jobs_running",
                "Runs on a worker now.",
                "gauge",
                jobs.running.load(Ordering::Relaxed) as u64,
            ),
            (
                "ucodts_jobs_done_total",
                "Runs that ended with a result since start.",
                "counter",
                jobs.done.load(Ordering::Relaxed),
            ),
            (
                "ucodts_jobs_failed_total",
                "Runs that failed or were cancelled since start.",
                "counter",
                jobs.failed.load(Ordering::Relaxed),
            ),
            (
                "ucodts_replications_total",
                "Monte Carlo replications the runs completed since start (per second: rate(ucodts_replications_total[1m])).",
                "counter",
                jobs.replications.load(Ordering::Relaxed),
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

/// Gives every request an id (`X-Request-Id`, the client's own when it sends a sane one), counts it, and
/// logs one line: id, method, route pattern, status, milliseconds. Never the query, a header or a body, so
/// no password or token reaches the log.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let start = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string)
        .unwrap_or_else(|| {
            let n = state
                .as_ref()
                .map(|s| s.metrics.next_request.fetch_add(1, Ordering::Relaxed))
                .unwrap_or_default();
            format!(
                "{}-{n}",
                state
                    .as_ref()
                    .map(|s| &s.jobs.instance[..8])
                    .unwrap_or("req")
            )
        });
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let mut res = next.call(req).await?;
    let status = res.status().as_u16();
    let seconds = start.elapsed().as_secs_f64();
    if let Some(state) = &state {
        state.metrics.observe(&method, &route, status, seconds);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        ms = (seconds * 1000.0 * 10.0).round() / 10.0,
        "request"
    );
    Ok(res)
}
