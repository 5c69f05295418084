//! `ucodts recover`: library scenarios on the embedded default become aircraft and crew recovery plans,
//! replayed in the twin and ranked; the JSON is the interface outside checks rely on.

mod common;

use common::json;
use serde_json::Value;

/// The constructive aircraft policy with the greedy crew repair: fast and deterministic.
fn recover(scenario: &str, extra: &[&str]) -> Value {
    recover_within(scenario, "5", extra)
}

/// `recover` with a time limit of `seconds`.
fn recover_within(scenario: &str, seconds: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "recover",
        "--scenario",
        scenario,
        "--policy",
        "constructive",
        "--crew-policy",
        "greedy",
        "--time-limit",
        seconds,
        "--reps",
        "4",
        "--json",
    ];
    args.extend_from_slice(extra);
    json(&args)
}

/// The JSON without the wall-clock fields (every key starting with `seconds`), for comparing runs.
fn without_timings(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !k.starts_with("seconds"))
                .map(|(k, v)| (k, without_timings(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(without_timings).collect()),
        v => v,
    }
}

/// An interval `{mean, lower, upper}` with lower <= mean <= upper.
fn interval(v: &Value) -> (f64, f64, f64) {
    let (m, l, u) = (
        v["mean"].as_f64().unwrap_or_else(|| panic!("mean in {v}")),
        v["lower"]
            .as_f64()
            .unwrap_or_else(|| panic!("lower in {v}")),
        v["upper"]
            .as_f64()
            .unwrap_or_else(|| panic!("upper in {v}")),
    );
    assert!(l <= m + 1e-9 && m <= u + 1e-9, "{v}");
    (m, l, u)
}

const KPIS: [&str; 7] = [
    "cost",
    "mean_arrival_delay_min",
    "p90_arrival_delay_min",
    "on_time_rate",
    "cancelled_legs",
    "crew_illegality_probability",
    "misconnects",
];

#[test]
fn a_jfk_closure_gets_checked_plans_with_monte_carlo_kpis_against_doing_nothing() {
    let out = recover("jfk-two-hour-closure", &[]);
    // Doing nothing breaks the closure's capacity; the plans do not.
    assert!(!out["baseline"]["feasible"].as_bool().unwrap(), "{out:#}");
    for k in KPIS {
        interval(&out["baseline_kpis"][k]);
    }
    assert_eq!(out["replications"], 4);
    let plans = out["plans"].as_array().unwrap();
    assert!(!plans.is_empty());
    let best = &plans[0];
    // The constructive plan, or its refinement in the twin.
    assert!(
        best["policy"]
            .as_str()
            .unwrap()
            .starts_with("constructive+greedy"),
        "{best:#}"
    );
    assert_eq!(
        best["recommended"].as_bool().unwrap(),
        out["recommended"]["policy"] == best["policy"],
        "{out:#}"
    );
    assert!(!out["recommended"]["why"].as_str().unwrap().is_empty());
    assert!(best["aircraft"]["feasible"].as_bool().unwrap(), "{best:#}");
    assert!(best["legal"].is_boolean());
    assert!(best["crew_contacted"].is_u64());
    for k in KPIS {
        interval(&best["kpis"][k]);
        interval(&best["vs_baseline"][k]);
    }
    // The plan's own cost adds the aircraft side's and the crew side's.
    let cost = best["cost"].as_f64().unwrap();
    let parts = best["cost_breakdown"]["aircraft"].as_f64().unwrap()
        + best["cost_breakdown"]["crew"].as_f64().unwrap();
    assert!((cost - parts).abs() < 0.01, "{best:#}");
    // The closure forces retimes or cancellations, and every action is written out.
    let moved = best["aircraft"]["retimed_flights"].as_u64().unwrap()
        + best["aircraft"]["cancelled_flights"].as_u64().unwrap();
    assert!(moved > 0, "{best:#}");
    let actions = best["actions"].as_array().unwrap();
    assert!(actions
        .iter()
        .all(|a| !a["text"].as_str().unwrap().is_empty() && a["kind"].is_string()));
    // What the plan touches: at least the legs its decisions move (a flight held until JFK reopens is no
    // decision), their aircraft and their passengers.
    let decided = actions
        .iter()
        .filter(|a| matches!(a["kind"].as_str(), Some("retime" | "cancel" | "tail_swap")))
        .count() as u64;
    let t = &best["touches"];
    assert!(t["legs"].as_u64().unwrap() >= decided, "{t}");
    assert_eq!(t["aircraft"].as_u64().unwrap() >= 1, decided >= 1, "{t}");
    assert!(t["passengers"].as_u64().unwrap() >= decided, "{t}");
    let crew_named: std::collections::BTreeSet<&str> = actions
        .iter()
        .flat_map(|a| a["crew"].as_array().unwrap())
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        t["crew_members"].as_u64().unwrap(),
        crew_named.len() as u64,
        "{t}"
    );
}

/// The paired 95 % interval of a plan's cost difference from doing nothing.
fn vs_doing_nothing(plan: &Value) -> (f64, f64, f64) {
    interval(&plan["vs_baseline"]["cost"])
}

#[test]
fn a_plan_significantly_worse_than_doing_nothing_is_never_recommended() {
    // The closure's plans used to be recommended at +480,018 (paired 95 % CI 396,112..563,924): letting
    // operations control hold flights on the day is cheaper in the twin than retiming them all in advance.
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("closure.json");
    let text = common::ok(&[
        "recover",
        "--scenario",
        "jfk-two-hour-closure",
        "--policy",
        "constructive",
        "--crew-policy",
        "greedy",
        "--time-limit",
        "5",
        "--reps",
        "4",
        "--out",
        json_path.to_str().unwrap(),
        "--schedule-out",
        dir.path().join("closure.csv").to_str().unwrap(),
    ]);
    let out: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    // The optimisation and the replay are timed apart (wall-clock fields start with `seconds`).
    for timing in ["seconds_optimising", "seconds_replaying"] {
        assert!(out[timing].as_f64().is_some_and(|s| s >= 0.0), "{timing}");
    }
    assert_eq!(out["time_limit_seconds"], 5.0);
    assert!(
        text.contains("optimising took ") && text.contains("replaying in the twin "),
        "{text}"
    );
    let recommended = &out["recommended"];
    assert_eq!(
        recommended["worse_than_doing_nothing"], false,
        "{recommended:#}"
    );
    let plans = out["plans"].as_array().unwrap();
    let pays = |p: &&Value| vs_doing_nothing(p).2 < 0.0;
    for plan in plans {
        if vs_doing_nothing(plan).1 > 0.0 {
            assert_ne!(recommended["policy"], plan["policy"], "{recommended:#}");
            assert_eq!(plan["recommended"], false);
        }
    }
    if plans.iter().any(|p| pays(&p)) {
        return;
    }
    // No plan pays: doing nothing is the recommendation, in the JSON, the text's first line and the why.
    assert_eq!(recommended["policy"], "do-nothing", "{recommended:#}");
    assert_eq!(recommended["better_than_doing_nothing"], false);
    assert!(plans.iter().all(|p| p["recommended"] == false));
    let why = recommended["why"].as_str().unwrap();
    let plain = "Recommended: do nothing — no plan is significantly cheaper than letting operations control \
                 react on the day (best: constructive+greedy";
    assert!(why.starts_with(plain), "{why}");
    assert!(why.contains(" EUR, 95 % CI "), "{why}");
    let second_line = text.lines().nth(1).unwrap();
    assert!(second_line.starts_with(plain), "{text}");
    // Nothing to load elsewhere: the schedule export holds its headers only.
    let legs = std::fs::read_to_string(dir.path().join("closure.csv")).unwrap();
    assert_eq!(legs, format!("{LEGS_HEADER}\n"));
    let crew = std::fs::read_to_string(dir.path().join("closure.crew.csv")).unwrap();
    assert_eq!(crew.lines().count(), 1, "{crew}");
}

const LEGS_HEADER: &str =
    "carrier,flight,date,origin,destination,old_out_utc,new_out_utc,old_tail,new_tail,status";

#[test]
fn schedule_out_writes_one_row_per_changed_leg_and_the_crew_changes_per_member() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("aog.csv");
    // The example greedy policy in Python: deterministic, and its plan for the grounded tail (a round trip
    // cancelled) pays in the twin. (The constructive heuristic's plan here is knock-on delays only: it
    // asks nothing of operations control, so it is doing nothing and never recommended.)
    let greedy = example_policy("recover_greedy.py");
    let out = recover(
        "aog-first-wave",
        &[
            "--policy-cmd",
            &greedy,
            "--schedule-out",
            csv.to_str().unwrap(),
        ],
    );
    let recommended = out["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["recommended"] == true)
        .unwrap_or_else(|| panic!("a plan is recommended for the AOG: {out:#}"));
    // The flights the recommended plan changes, from its actions (carrier and scheduled departure).
    let mut changed: Vec<(String, String)> = recommended["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            matches!(
                a["kind"].as_str(),
                Some("retime" | "knock_on_delay" | "cancel" | "tail_swap")
            )
        })
        .map(|a| {
            (
                a["carrier"].as_str().unwrap().to_string(),
                a["old_time"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    changed.sort();
    changed.dedup();
    assert!(!changed.is_empty(), "{recommended:#}");

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(LEGS_HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), changed.len(), "{text}");
    let mut in_file: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 10, "{r:?}");
            let (old, new, status) = (r[5], r[6], r[9]);
            assert!(old.ends_with('Z'), "{r:?}");
            assert!(
                matches!(status, "retimed" | "cancelled" | "swapped"),
                "{r:?}"
            );
            if status == "cancelled" {
                assert!(new.is_empty() && r[8].is_empty(), "{r:?}");
            } else {
                assert!(new.ends_with('Z') && !r[8].is_empty(), "{r:?}");
            }
            assert_eq!(r[3].len(), 3, "origin {r:?}");
            assert_eq!(r[4].len(), 3, "destination {r:?}");
            (r[0].to_string(), old.to_string())
        })
        .collect();
    in_file.sort();
    assert_eq!(in_file, changed);
    assert_eq!(out["schedule_out"]["changed_legs"], rows.len());

    // The crew changes, per member, with their duties in local time.
    let crew = std::fs::read_to_string(dir.path().join("aog.crew.csv")).unwrap();
    assert!(
        crew.starts_with("crew_id,rank,base,action,duty_report_local,duty_release_local,legs\n"),
        "{crew}"
    );
    let members = recommended["crew_changes"].as_array().unwrap();
    assert_eq!(out["schedule_out"]["crew_members"], members.len());
    for m in members {
        let id = m["crew"].as_str().unwrap();
        assert!(
            crew.lines().any(|l| l.starts_with(&format!("{id},"))),
            "{id}: {crew}"
        );
        assert!(matches!(
            m["rank"].as_str(),
            Some("captain" | "first_officer" | "cabin")
        ));
        for d in m["duties"].as_array().unwrap() {
            assert!(
                d["report_local"].as_str().unwrap().contains(" local (UTC"),
                "{d}"
            );
            assert!(d["report"].as_str().unwrap().ends_with('Z'), "{d}");
        }
    }
    // Every crew action names its crew members' rank.
    for a in recommended["actions"].as_array().unwrap() {
        if !a["crew"].as_array().unwrap().is_empty() {
            assert!(a["rank"].is_string(), "{a}");
        }
    }
}

#[test]
fn doing_nothing_is_recommended_exactly_when_no_plan_is_significantly_cheaper() {
    for scenario in ["captain-no-show", "jfk-crew-sickness-5pct"] {
        let out = recover(scenario, &[]);
        let plans = out["plans"].as_array().unwrap();
        let some_plan_pays = plans
            .iter()
            .any(|p| vs_doing_nothing(p).2 < 0.0 && p["within_budget"] == true);
        let recommended = &out["recommended"];
        assert_eq!(
            recommended["policy"] != "do-nothing",
            some_plan_pays,
            "{scenario}: {recommended:#}"
        );
        assert_eq!(recommended["better_than_doing_nothing"], some_plan_pays);
        assert_eq!(recommended["worse_than_doing_nothing"], false);
        let flagged: Vec<&Value> = plans.iter().filter(|p| p["recommended"] == true).collect();
        assert_eq!(flagged.len(), usize::from(some_plan_pays), "{scenario}");
        if let Some(plan) = flagged.first() {
            assert_eq!(plan["policy"], recommended["policy"]);
            assert_eq!(plan["rank"], 1);
        }
    }
}

#[test]
fn a_plan_over_the_action_budget_is_shown_with_its_count_but_never_recommended() {
    let out = recover("captain-no-show", &["--max-actions", "0"]);
    assert_eq!(out["max_actions"], 0);
    let agreement = &out["ranking_agreement"];
    assert!(
        agreement["candidates"].as_u64().unwrap() >= 1,
        "{agreement:#}"
    );
    for plan in out["plans"].as_array().unwrap() {
        let count = plan["action_count"].as_u64().unwrap();
        assert_eq!(plan["within_budget"], count == 0, "{plan:#}");
        if count > 0 {
            assert_eq!(plan["recommended"], false, "{plan:#}");
        }
    }
    if out["plans"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["action_count"].as_u64().unwrap() > 0)
    {
        assert_eq!(out["recommended"]["policy"], "do-nothing");
    }
}

#[test]
fn a_plan_over_the_action_budget_is_refined_into_it_by_dropping_what_does_not_pay() {
    // The crew MILP's plan for the sick captain asks 4 actions of the crew desk; with a budget of 2 it
    // is not offered, but the refinement keeps only the crew changes that pay in the twin, and that plan
    // fits the budget and beats doing nothing.
    let out = json(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--policy",
        "constructive",
        "--crew-policy",
        "milp",
        "--time-limit",
        "10",
        "--reps",
        "4",
        "--max-actions",
        "2",
        "--json",
    ]);
    let plans = out["plans"].as_array().unwrap();
    let source = plans
        .iter()
        .find(|p| p["policy"] == "constructive+milp")
        .unwrap_or_else(|| panic!("the MILP's plan is shown: {out:#}"));
    assert!(source["action_count"].as_u64().unwrap() > 2, "{source:#}");
    assert_eq!(source["within_budget"], false);
    let refined = plans
        .iter()
        .find(|p| p["policy"] == "constructive+milp+refined")
        .unwrap_or_else(|| panic!("the plan over the budget is refined: {out:#}"));
    assert!(
        refined["action_count"].as_u64().unwrap() <= 2,
        "{refined:#}"
    );
    assert_eq!(refined["within_budget"], true);
    assert_eq!(
        out["recommended"]["policy"], "constructive+milp+refined",
        "{out:#}"
    );
}

#[test]
fn a_base_share_of_sick_crew_is_named_and_covered_by_crew_actions() {
    let out = recover("jfk-crew-sickness-5pct", &[]);
    let named = out["sick_calls_resolved"].as_array().unwrap();
    assert!(!named.is_empty(), "{out:#}");
    let best = &out["plans"][0];
    // Nothing to repair on the aircraft side; the crew side calls reserves, swaps or leaves seats empty.
    assert!(best["aircraft"]["feasible"].as_bool().unwrap());
    let crew_kinds: Vec<&str> = best["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .filter(|k| {
            matches!(
                *k,
                "reserve_callout" | "swap" | "deadhead" | "uncovered" | "stand_down"
            )
        })
        .collect();
    assert!(!crew_kinds.is_empty(), "{best:#}");
    assert!(best["crew"]["affected_crew"].as_u64().unwrap() >= named.len() as u64);
    // Every member the plan touches is judged, and a legal plan has only legal rosters.
    let members = best["crew"]["members"].as_array().unwrap();
    assert!(!members.is_empty());
    if best["legal"].as_bool().unwrap() {
        assert!(members.iter().all(|m| m["legal"].as_bool().unwrap()));
    }
}

#[test]
fn the_same_scenario_and_seed_give_the_same_plans_and_numbers_on_any_thread_count() {
    // A limit the search and the refinement never reach: under a short one the refinement in the twin
    // judges as many variants as the clock lets it, fewer on one thread than on two.
    let a = without_timings(recover_within(
        "captain-no-show",
        "120",
        &["--threads", "1"],
    ));
    let b = without_timings(recover_within(
        "captain-no-show",
        "120",
        &["--threads", "2"],
    ));
    assert_eq!(a, b);
}

#[test]
fn the_master_seed_drives_every_random_choice_of_a_run() {
    // A limit the search never reaches: under a short one a loaded machine cuts the feedback round's crew
    // solve by the clock, and two runs of one seed can then differ (this test failed so beside builds).
    let run = |seed: &str| {
        without_timings(recover_within(
            "jfk-crew-sickness-5pct",
            "120",
            &["--seed", seed],
        ))
    };
    let (one, again, two) = (run("1"), run("1"), run("2"));
    assert_eq!(
        one, again,
        "the same seed gives the same JSON, timings aside"
    );
    assert_eq!(one["seed"], 1);
    assert_ne!(
        one["sick_calls_resolved"], two["sick_calls_resolved"],
        "another seed draws other sick crew"
    );
}

#[test]
fn aircraft_actions_name_the_flight_as_the_timetable_does() {
    let out = recover("jfk-two-hour-closure", &[]);
    // A flight held until JFK reopens, or until its late aircraft is back, is listed with its new time but
    // as no decision: the controller's actions are the rest.
    let knock_on: Vec<&Value> = out["plans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["actions"].as_array().unwrap())
        .filter(|a| a["kind"] == "knock_on_delay")
        .collect();
    assert!(!knock_on.is_empty(), "the closure delays flights: {out:#}");
    for a in &knock_on {
        assert!(a["text"].as_str().unwrap().contains("no decision"), "{a}");
    }
    let actions: Vec<&Value> = out["plans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["actions"].as_array().unwrap())
        .filter(|a| {
            matches!(
                a["kind"].as_str(),
                Some("retime" | "knock_on_delay" | "cancel" | "tail_swap")
            )
        })
        .collect();
    assert!(!actions.is_empty(), "{out:#}");
    for a in actions {
        let carrier = a["carrier"]
            .as_str()
            .unwrap_or_else(|| panic!("carrier in {a}"));
        assert_eq!(carrier.len(), 2, "{a}");
        let text = a["text"].as_str().unwrap();
        assert!(
            text.contains(carrier) && text.contains("local (UTC-0"),
            "{a}"
        );
        let old = a["old_time"].as_str().unwrap();
        assert!(old.starts_with("2013-07-0") && old.ends_with('Z'), "{a}");
        if a["kind"] == "retime" || a["kind"] == "knock_on_delay" {
            assert!(a["new_time"].as_str().unwrap().ends_with('Z'), "{a}");
        }
    }
}

#[test]
fn bad_requests_are_clear_errors() {
    let out = common::ucodts(&["recover", "--scenario", "no-such-scenario", "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-scenario"), "{err}");

    let out = common::ucodts(&["recover", "--scenario", "captain-no-show", "--reps", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--reps"), "{err}");

    let out = common::ucodts(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--crew-policy",
        "telepathy",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("telepathy") && err.contains("greedy"), "{err}");
}

#[test]
fn the_report_is_written_with_every_plan() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("plans.html");
    let out = recover(
        "jfk-two-hour-closure",
        &["--report", html.to_str().unwrap()],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    for plan in out["plans"].as_array().unwrap() {
        assert!(page.contains(plan["policy"].as_str().unwrap()));
    }
    assert!(dir.path().join("plans.csv").is_file());
    assert!(dir.path().join("plans.json").is_file());
    assert_eq!(out["report"]["html"], html.to_str().unwrap());
}

/// `python3 <repository>/examples/policies/<script>`, the command of an example external policy.
fn example_policy(script: &str) -> String {
    format!(
        "python3 {}",
        common::repo_root()
            .join("examples/policies")
            .join(script)
            .display()
    )
}

#[test]
fn an_external_python_policy_is_judged_beside_ours_and_its_plan_keeps_every_rule() {
    let greedy = example_policy("recover_greedy.py");
    let out = json(&[
        "recover",
        "--scenario",
        "aog-first-wave",
        "--policy-cmd",
        &greedy,
        "--time-limit",
        "10",
        "--reps",
        "3",
        "--seed",
        "3",
        "--json",
    ]);
    let calls = out["external_policy"]["calls"]
        .as_array()
        .expect("its calls");
    assert!(!calls.is_empty(), "{out:#}");
    assert_eq!(out["external_policy"]["command"], greedy.as_str());
    for call in calls {
        assert_eq!(call["outcome"], "plan", "{call}");
        assert_eq!(call["why"], "");
    }
    let plans = out["plans"].as_array().expect("plans");
    let external: Vec<&Value> = plans
        .iter()
        .filter(|p| p["policy"].as_str().unwrap().starts_with("external+"))
        .collect();
    assert_eq!(external.len(), 1, "{out:#}");
    // The checker judged it like any other plan: legal, and it works around the grounded tail by itself.
    let plan = external[0];
    assert_eq!(plan["legal"], true, "{plan:#}");
    assert!(plan["action_count"].as_u64().unwrap() > 0, "{plan:#}");
    // The built-in fast answer stays beside it (crew policy auto).
    assert!(
        plans.iter().any(|p| p["policy"] == "constructive+greedy"),
        "{out:#}"
    );
}

#[test]
fn an_external_policy_that_fails_is_said_and_the_run_goes_on() {
    // Prints something that is not a plan document.
    let out = json(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--policy-cmd",
        "echo hello",
        "--time-limit",
        "5",
        "--reps",
        "2",
        "--json",
    ]);
    let call = &out["external_policy"]["calls"][0];
    assert_eq!(call["outcome"], "failed", "{out:#}");
    let why = call["why"].as_str().unwrap();
    assert!(why.contains("not a plan document (line 1, column"), "{why}");
    assert!(
        out["plans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["policy"].as_str().unwrap().starts_with("external+")),
        "{out:#}"
    );
    // A program that does not exist, with only the external policy asked for: a clear error, no plan.
    let missing = common::ucodts(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--policy-cmd",
        "/nonexistent/policy",
        "--crew-policy",
        "greedy",
        "--time-limit",
        "5",
        "--reps",
        "2",
    ]);
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("no policy gave a plan")
            && stderr.contains("could not start `/nonexistent/policy`"),
        "{stderr}"
    );
}

#[test]
fn a_refined_plan_keeps_the_checks_and_the_contract_and_asks_no_more_than_its_source() {
    // The sick captain's plan calls reserves and swaps crew; the twin keeps the changes that pay.
    let out = recover_within("captain-no-show", "120", &[]);
    let plans = out["plans"].as_array().unwrap();
    let refined: Vec<&Value> = plans
        .iter()
        .filter(|p| p["policy"].as_str().unwrap().ends_with("+refined"))
        .collect();
    assert!(!refined.is_empty(), "the plan is refined: {out:#}");
    assert!(
        out["seconds_refining"].as_f64().unwrap() <= out["seconds_optimising"].as_f64().unwrap()
    );
    for plan in refined {
        let policy = plan["policy"].as_str().unwrap();
        let source = plans
            .iter()
            .find(|p| p["policy"] == policy.trim_end_matches("+refined"))
            .unwrap_or_else(|| panic!("{policy}: its source is ranked beside it"));
        let count = plan["action_count"].as_u64().unwrap();
        assert!(count > 0, "{plan:#}");
        assert!(
            count <= source["action_count"].as_u64().unwrap(),
            "{plan:#}"
        );
        assert_eq!(plan["legal"], true, "{plan:#}");
        assert_eq!(plan["aircraft"]["feasible"], true, "{plan:#}");
        assert_eq!(plan["aircraft"]["violations"], 0, "{plan:#}");
        assert!(
            plan["feedback"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f.as_str().unwrap().starts_with("refined in the twin")),
            "{plan:#}"
        );
        for k in KPIS {
            interval(&plan["vs_baseline"][k]);
        }
        for a in plan["actions"].as_array().unwrap() {
            assert!(
                a["kind"].is_string() && a["tails"].is_array() && a["crew"].is_array(),
                "{a}"
            );
            if matches!(a["kind"].as_str(), Some("retime" | "cancel" | "tail_swap")) {
                for field in ["carrier", "flight", "date", "old_time"] {
                    assert!(a[field].is_string(), "{field} in {a}");
                }
                assert!(a["old_time"].as_str().unwrap().ends_with('Z'), "{a}");
            }
            if a["kind"] == "retime" {
                assert!(a["new_time"].as_str().unwrap().ends_with('Z'), "{a}");
            }
            if a["kind"] == "tail_swap" {
                assert_eq!(a["tails"].as_array().unwrap().len(), 2, "{a}");
            }
        }
    }
    let recommended = &out["recommended"];
    for field in ["better_than_doing_nothing", "worse_than_doing_nothing"] {
        assert!(recommended[field].is_boolean(), "{recommended:#}");
    }
    assert!(recommended["policy"].is_string() && recommended["why"].is_string());
    assert_eq!(recommended["worse_than_doing_nothing"], false);
}

/// The leading count of the `not_replayed` note of `plan` that contains `what` (0 without one).
fn noted(plan: &Value, what: &str) -> u64 {
    plan["not_replayed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .find(|n| n.contains(what))
        .map_or(0, |n| {
            n.split_whitespace()
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or_else(|| panic!("a count first: {n}"))
        })
}

#[test]
fn the_twin_flies_a_plans_crew_as_they_would_fly_and_charges_the_seats_it_leaves_empty_after_its_days(
) {
    // The JFK closure's plans move about 170 legs by knock-on delays and the crew follow them. The plan's
    // copy of an untouched member's pairing, written on the retimed legs, could not be held by the twin's
    // timetable: about 300 seats flew without their member, a difference from doing nothing no controller
    // made. An untouched member now flies their own pairing; only the crew the plan changes are replayed.
    let out = recover("jfk-two-hour-closure", &[]);
    let plans = out["plans"].as_array().unwrap();
    assert!(!plans.is_empty());
    for plan in plans {
        let empty = noted(plan, "fly without their crew member");
        assert!(
            empty < 20,
            "{empty} seats flown without their crew: {plan:#}"
        );
        // Seats the plan leaves empty after the simulated day are charged, not free.
        let after = noted(plan, "after the simulated days");
        let declared: u64 = plan["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "uncovered")
            .count() as u64;
        assert!(after <= declared, "{plan:#}");
    }
    // With nothing credited that the day does not fly, no plan here beats the twin's own control.
    assert_eq!(out["recommended"]["policy"], "do-nothing", "{out:#}");
}
