//! The HTML report in a real browser: headless Chromium (Debian's `chromium`, which `scripts/test.sh`
//! installs) opens a report of a library scenario without console messages, renders a screenshot with
//! content, and its DOM holds every chart with its data points.
//!
//! Without Chromium the tests say so and pass — unless `UCODTS_REQUIRE_EXTERNAL=1` (set in CI) or
//! `UCODTS_REQUIRE_CHROMIUM=1`, where a missing browser is a failure. With `UCODTS_KEEP_SCREENSHOT=FILE.png`
//! the screenshot is kept there, to look at.

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium, or `None` after saying why the test skips (see [`common::skip`]).
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        if std::env::var("UCODTS_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("UCODTS_REQUIRE_CHROMIUM=1 but no chromium in /usr/bin");
        }
        common::skip(
            "no chromium in /usr/bin",
            "scripts/test.sh installs Debian's package when run as root",
        );
    }
    found
}

/// What one headless run printed.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium on `page` with `mode` (`--dump-dom` or `--screenshot=...`), a fresh profile,
/// and no network services; kills it after two minutes.
fn headless(browser: &Path, page: &Path, mode: &[String]) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(mode)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on threads so a full pipe cannot stall the browser.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waiting for chromium").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Run {
        stdout: out_thread.join().unwrap(),
        stderr: err_thread.join().unwrap(),
    }
}

/// The page's console messages in Chromium's log: every `console.*` call and every uncaught error is
/// logged as `...:INFO:CONSOLE:<line>] "message", source: ...` (older builds: `CONSOLE(<line>)`). The
/// report has no script, so any of them is a fault.
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE:") || l.contains(":CONSOLE(") || l.contains("Uncaught "))
        .collect()
}

#[test]
fn the_console_check_catches_a_page_with_a_script_error() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>broken</p><script>notDefinedAnywhere();</script></body></html>",
    )
    .unwrap();
    let run = headless(&browser, &page, &["--dump-dom".to_string()]);
    let messages = console_messages(&run.stderr);
    assert!(
        messages.iter().any(|m| m.contains("notDefinedAnywhere")),
        "the check must see a deliberate error; chromium printed:\n{}",
        run.stderr
    );
}

/// Writes a report of a library scenario into `dir` and returns the page's path.
fn report(dir: &Path) -> PathBuf {
    let html = dir.join("jfk-two-hour-closure.html");
    let out = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args([
            "simulate",
            "--scenario",
            "jfk-two-hour-closure",
            "--reps",
            "4",
            "--seed",
            "1",
            "--report",
        ])
        .arg(&html)
        .output()
        .expect("ucodts runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    html
}

/// The markup of the chart `name` in `dom`: from its `<svg` to its `</svg>`.
fn chart<'a>(dom: &'a str, name: &str) -> &'a str {
    let key = format!("data-chart=\"{name}\"");
    let at = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no chart {name} in the DOM"));
    let start = dom[..at].rfind("<svg").expect("the chart is an svg");
    let end = at + dom[at..].find("</svg>").expect("the svg closes");
    &dom[start..end]
}

/// The values of attribute `attr` on the elements of `svg` that start with `prefix`.
fn attrs<'a>(svg: &'a str, prefix: &str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    svg.match_indices(prefix)
        .filter_map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find('>')?];
            let s = tag.find(&key)? + key.len();
            Some(&tag[s..s + tag[s..].find('"')?])
        })
        .collect()
}

#[test]
fn the_report_renders_in_headless_chromium_with_every_chart_and_no_console_errors() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = report(dir.path());

    // The DOM as the browser built it.
    let run = headless(&browser, &page, &["--dump-dom".to_string()]);
    assert_eq!(
        console_messages(&run.stderr),
        Vec::<&str>::new(),
        "console messages"
    );
    let dom = &run.stdout;
    assert!(
        dom.contains("jfk-two-hour-closure"),
        "the DOM is the report:\n{}",
        &dom[..dom.len().min(500)]
    );

    let delays = chart(dom, "delay-distribution");
    for series in ["baseline", "scenario"] {
        let heights = attrs(delays, &format!("<rect class=\"bar {series}\""), "height");
        assert_eq!(
            heights.len(),
            20,
            "{series}: 18 bins of 15 minutes plus under- and overflow"
        );
        let drawn = heights
            .iter()
            .filter(|h| h.parse::<f64>().unwrap() > 0.0)
            .count();
        assert!(drawn >= 8, "{series}: only {drawn} bars have height");
    }
    let hours = chart(dom, "on-time-by-hour");
    for series in ["baseline", "scenario"] {
        let points = attrs(
            hours,
            &format!("<circle class=\"point {series}\""),
            "data-rate",
        );
        assert!(
            points.len() >= 16,
            "{series}: {} hourly points",
            points.len()
        );
    }
    let tails = chart(dom, "tail-rotations");
    let legs = attrs(tails, "<rect class=\"leg ", "data-flight");
    assert!(legs.len() >= 5, "{} legs in the tail Gantt", legs.len());
    assert!(
        tails.contains("<rect class=\"leg delayed\""),
        "the closure delays legs"
    );
    assert!(
        tails.contains("class=\"disruption-window\""),
        "the closure is shaded"
    );
    let crew = chart(dom, "crew-duties");
    assert!(
        attrs(crew, "<rect class=\"leg ", "data-flight").len() >= 5,
        "legs in the crew Gantt"
    );

    // The screenshot: a PNG of the asked size with a fair share of ink on it.
    let shot = dir.path().join("report.png");
    let run = headless(
        &browser,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,4800".to_string(),
        ],
    );
    assert_eq!(
        console_messages(&run.stderr),
        Vec::<&str>::new(),
        "console messages"
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("a screenshot was written"));
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert_eq!((info.width, info.height), (1280, 4800));
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let bytes = &pixels[..info.buffer_size()];
    let (mut ink, mut total) = (0u64, 0u64);
    for px in bytes.chunks_exact(channels) {
        total += 1;
        if px[..3].iter().any(|&c| c < 235) {
            ink += 1;
        }
    }
    let share = ink as f64 / total as f64;
    eprintln!(
        "screenshot: {:.1}% of pixels are not background",
        share * 100.0
    );
    assert!(
        share > 0.08,
        "only {:.1}% of the screenshot is drawn",
        share * 100.0
    );
    if let Ok(keep) = std::env::var("UCODTS_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
