//! The recovery report as a controller and a machine read it: every plan on the page with the
//! recommended one marked, a chart per comparison with a bar per plan, CSV rows for every plan and KPI,
//! JSON that reads back, and files that are either wholly written or not at all.

use std::path::Path;

use ucodts_reports::recovery::{
    from_json, page, to_csv, to_json, write_recovery_report, ActionView, CostTerm, CrewView,
    DutyView, Interval, KpiSet, PlanView, RecoveryReport, CHARTS, JSON_FORMAT, KPIS,
};
use ucodts_reports::ReportError;

fn iv(mean: f64, lower: f64, upper: f64) -> Interval {
    Interval { mean, lower, upper }
}

fn kpis(cost: f64, p90: f64) -> KpiSet {
    KpiSet {
        cost: iv(cost, cost - 500.0, cost + 500.0),
        mean_arrival_delay_min: iv(p90 / 4.0, p90 / 4.0 - 1.0, p90 / 4.0 + 1.0),
        p90_arrival_delay_min: iv(p90, p90 - 5.0, p90 + 5.0),
        on_time_rate: iv(0.71, 0.69, 0.73),
        cancelled_legs: iv(2.0, 1.5, 2.5),
        crew_illegality_probability: iv(0.1, 0.05, 0.15),
        misconnects: iv(12.0, 10.0, 14.0),
    }
}

fn plan(rank: usize, policy: &str, cost: f64, saving: Interval) -> PlanView {
    PlanView {
        rank,
        policy: policy.into(),
        legal: rank != 3,
        cost: cost / 10.0,
        cost_breakdown: vec![
            CostTerm {
                term: "delay".into(),
                amount: cost / 20.0,
            },
            CostTerm {
                term: "deadheads".into(),
                amount: cost / 20.0,
            },
        ],
        kpis: kpis(cost, 100.0 + rank as f64 * 10.0),
        vs_baseline: KpiSet {
            cost: saving,
            ..KpiSet::default()
        },
        crew_contacted: rank,
        actions: vec![ActionView {
            kind: "deadhead".into(),
            who: vec![format!("C{rank:03}")],
            text: format!("Deadhead C{rank:03} JFK to BOS on B6 1120"),
        }],
        crew: vec![CrewView {
            crew: format!("C{rank:03}"),
            role: "CA BOS".into(),
            legal: rank != 3,
            violations: if rank == 3 {
                vec!["FDP 13:10 over the limit of 13:00".into()]
            } else {
                Vec::new()
            },
            kss_peak: Some(5.0 + rank as f64),
            duties: vec![DutyView {
                report: "Tue 2 Jul 06:00".into(),
                release: "Tue 2 Jul 19:10".into(),
                kss_peak: Some(5.0 + rank as f64),
            }],
        }],
        uncovered: if rank == 3 {
            vec!["B6 88 BOS-JFK: no reserve at BOS".into()]
        } else {
            Vec::new()
        },
        feedback: Vec::new(),
    }
}

/// Three plans; the second is recommended (not the first, so the mark cannot come from position).
fn report() -> RecoveryReport {
    RecoveryReport {
        scenario: "bos-snow".into(),
        description: "Snow closes BOS for three hours".into(),
        data_set: "embedded default".into(),
        decision_time: "Tue 2 Jul 05:00".into(),
        window: "Tue 2 Jul 05:00 to Wed 3 Jul 03:00".into(),
        replications: 50,
        seed: 11,
        baseline: kpis(90_000.0, 150.0),
        plans: vec![
            plan(1, "lns+milp", 80_000.0, iv(-10_000.0, -12_000.0, -8_000.0)),
            plan(
                2,
                "constructive+greedy",
                81_000.0,
                iv(-9_000.0, -10_500.0, -7_500.0),
            ),
            plan(3, "lns+greedy", 89_500.0, iv(-500.0, -2_000.0, 1_000.0)),
        ],
        recommended: 1,
        why: "Fewer crew to call for nearly the same saving: constructive+greedy <calls 2>".into(),
        notes: vec!["A note".into()],
    }
}

/// The `<svg>` of chart `name`.
fn chart<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!("<svg class=\"chart\" data-chart=\"{name}\""))
        .unwrap_or_else(|| panic!("chart {name} on the page"));
    let end = start + page[start..].find("</svg>").expect("svg closes");
    &page[start..end]
}

#[test]
fn the_page_names_every_plan_and_marks_the_recommended_one_with_the_reason() {
    let r = report();
    let page = page(&r);
    for p in &r.plans {
        assert!(page.contains(&p.policy), "{} on the page", p.policy);
        assert!(
            page.contains(&format!("data-policy=\"{}\"", p.policy)),
            "{}",
            p.policy
        );
    }
    // Exactly one table row and one section marked, and they are the second plan's.
    assert_eq!(page.matches("<tr class=\"plan recommended\"").count(), 1);
    assert!(page.contains(
        "<tr class=\"plan recommended\" data-plan=\"2\" data-policy=\"constructive+greedy\">"
    ));
    assert_eq!(
        page.matches("<section class=\"plan recommended\"").count(),
        1
    );
    assert!(page.contains("<section class=\"plan recommended\" id=\"plan-2\""));
    assert!(page.contains("data-recommended=\"constructive+greedy\""));
    // The reason comes first, escaped.
    let why = "Fewer crew to call for nearly the same saving: constructive+greedy &lt;calls 2&gt;";
    let at = page.find(why).expect("the why text");
    assert!(at < page.find("id=\"comparison\"").expect("the table"));
    // The illegal plan reads as such, with its broken rule and what it leaves uncovered.
    assert!(page.contains("FDP 13:10 over the limit of 13:00"));
    assert!(page.contains("B6 88 BOS-JFK: no reserve at BOS"));
    // KSS 8 reaches the alert level; KSS 6 does not.
    assert!(page.contains("8.0 \u{25b2} fatigue alert"));
    assert!(!page.contains("6.0 \u{25b2} fatigue alert"));
    // One file that prints and loads nothing from outside (the SVG namespace is a name, not a link).
    assert!(page.contains("@media print"));
    let outside = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for link in ["<script", "<link", "@import", "http://", "https://", "src="] {
        assert!(!outside.contains(link), "{link} on the page");
    }
}

#[test]
fn each_chart_is_one_svg_with_a_bar_per_plan() {
    let r = report();
    let page = page(&r);
    let n = r.plans.len();
    for (name, bars) in [(CHARTS[0], n + 1), (CHARTS[1], n), (CHARTS[2], n + 1)] {
        assert_eq!(
            page.matches(&format!("data-chart=\"{name}\"")).count(),
            1,
            "{name}"
        );
        let svg = chart(&page, name);
        assert_eq!(svg.matches("<rect class=\"bar ").count(), bars, "{name}");
        assert_eq!(svg.matches("class=\"bar plan recommended").count(), 1);
    }
    assert_eq!(
        chart(&page, CHARTS[0]).matches("bar doing-nothing").count(),
        1
    );
    // Only the third plan's saving has an interval that crosses zero.
    let differences = chart(&page, CHARTS[1]);
    assert_eq!(differences.matches("not-significant").count(), 1);
    assert!(differences.contains("data-label=\"3. lns+greedy\" data-mean=\"-500\""));
}

#[test]
fn the_csv_has_every_plan_and_doing_nothing_times_every_kpi() {
    let r = report();
    let text = to_csv(&r).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    let has = |table: &str, row: &str, series: &str, measure: &str| {
        rows.iter()
            .any(|x| x[0] == table && x[1] == row && x[2] == series && x[3] == measure)
    };
    let items: Vec<String> = std::iter::once("doing_nothing".to_string())
        .chain((1..=r.plans.len()).map(|i| i.to_string()))
        .collect();
    for item in &items {
        for k in &KPIS {
            for m in ["mean", "ci95_lower", "ci95_upper"] {
                assert!(has("kpi", item, k.name, m), "kpi {item} {} {m}", k.name);
                if item != "doing_nothing" {
                    assert!(has("kpi_vs_doing_nothing", item, k.name, m));
                }
            }
        }
    }
    let kpi_rows = rows.iter().filter(|x| x[0] == "kpi").count();
    assert_eq!(kpi_rows, items.len() * KPIS.len() * 3);
    assert!(text.contains("kpi,doing_nothing,cost,mean,90000.000000\n"));
    assert!(text.contains("kpi_vs_doing_nothing,3,cost,ci95_upper,1000.000000\n"));
    assert!(text.contains("plan,2,constructive+greedy,recommended,true\n"));
    assert!(text.contains("plan,1,lns+milp,recommended,false\n"));
    assert!(text.contains("duty,3,C003 1,fatigue_alert,true\n"));
}

#[test]
fn the_json_is_tagged_and_reads_back_as_the_same_report() {
    let r = report();
    let text = to_json(&r).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], JSON_FORMAT);
    assert_eq!(value["plans"][1]["policy"], "constructive+greedy");
    assert_eq!(value["recommended"], 1);
    assert_eq!(value["baseline_kpis"]["cost"]["mean"], 90_000.0);
    assert_eq!(value["plans"][0]["kpis"]["cost"]["lower"], 79_500.0);
    assert_eq!(from_json(&text).unwrap(), r);

    let other = text.replace(JSON_FORMAT, "ucodts-scenario-report/1");
    assert!(matches!(from_json(&other), Err(ReportError::Json(_))));

    // A number that is not finite goes out as null and comes back as NaN, not as an error.
    let mut odd = r.clone();
    odd.baseline.cost.lower = f64::NAN;
    let back = from_json(&to_json(&odd).unwrap()).unwrap();
    assert!(back.baseline.cost.lower.is_nan());
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_recovery_report(&report(), &dir.path().join("a.html")).unwrap();
    let b = write_recovery_report(&report(), &dir.path().join("b.html")).unwrap();
    for (x, y) in [(&a.html, &b.html), (&a.csv, &b.csv), (&a.json, &b.json)] {
        assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap());
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_path_that_is_a_folder_is_refused_by_name_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("plans.html");
    std::fs::create_dir(&folder).unwrap();
    let e = write_recovery_report(&report(), &folder).unwrap_err();
    assert!(e.to_string().contains("plans.html"), "{e}");
    assert_eq!(names(dir.path()), ["plans.html"]);

    let written = write_recovery_report(&report(), &dir.path().join("ok.html")).unwrap();
    assert_eq!(
        names(dir.path()),
        ["ok.csv", "ok.html", "ok.json", "plans.html"]
    );
    assert!(written.html.exists());

    // The CSV's place is taken by a folder: the page is not written either.
    std::fs::create_dir(dir.path().join("late.csv")).unwrap();
    let e = write_recovery_report(&report(), &dir.path().join("late.html")).unwrap_err();
    assert!(e.to_string().contains("late.csv"), "{e}");
    assert!(!dir.path().join("late.html").exists());
    assert!(!dir.path().join("late.json").exists());
}

#[test]
fn a_folder_that_cannot_be_written_gives_an_error_naming_the_file_and_no_partial_file() {
    // A "folder" that is a regular file refuses every write, for root too (a read-only folder does not).
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("notes.txt");
    std::fs::write(&not_a_folder, "x").unwrap();
    let e = write_recovery_report(&report(), &not_a_folder.join("plans.html")).unwrap_err();
    assert!(e.to_string().contains("plans.html"), "{e}");
    assert_eq!(names(dir.path()), vec!["notes.txt".to_string()]);
}

#[test]
fn a_report_without_plans_still_reads() {
    let mut r = report();
    r.plans.clear();
    r.why = "No plan covers the legs of the closure; doing nothing is the only option.".into();
    let page = page(&r);
    assert!(page.contains("No plan is recommended."));
    assert_eq!(
        chart(&page, CHARTS[0])
            .matches("<rect class=\"bar ")
            .count(),
        1
    );
    assert_eq!(
        chart(&page, CHARTS[1])
            .matches("<rect class=\"bar ")
            .count(),
        0
    );
    assert!(page.contains("No plans to compare."));
    assert!(to_csv(&r)
        .unwrap()
        .contains("kpi,doing_nothing,misconnects,mean,"));
    assert_eq!(from_json(&to_json(&r).unwrap()).unwrap(), r);
}

/// The page in a real browser, when Debian's Chromium is installed: the DOM it builds holds each chart
/// with its bars (an SVG the browser could not parse would lose them).
#[test]
fn a_browser_finds_every_chart_and_bar() {
    use std::process::{Command, Stdio};
    let Some(browser) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
    else {
        // CI sets UCODTS_REQUIRE_EXTERNAL=1 and installs Chromium: there a missing browser is a failure.
        if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
            panic!(
                "UCODTS_REQUIRE_EXTERNAL=1 and no chromium in /usr/bin; apt-get install chromium"
            );
        }
        eprintln!("a_browser_finds_every_chart_and_bar: skipping: no chromium in /usr/bin, apt-get install chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let r = report();
    let written = write_recovery_report(&r, &dir.path().join("plans.html")).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("file://{}", written.html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in two minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let dom = String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned();
    let n = r.plans.len();
    for (name, bars) in [(CHARTS[0], n + 1), (CHARTS[1], n), (CHARTS[2], n + 1)] {
        let svg = chart(&dom, name);
        assert_eq!(svg.matches("<rect class=\"bar ").count(), bars, "{name}");
        assert_eq!(svg.matches("class=\"whisker\"").count(), bars, "{name}");
    }
    assert_eq!(dom.matches("<section class=\"plan").count(), n);
}
