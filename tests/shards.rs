//! Monte Carlo shards: `simulate --shard I/N --out FILE` then `mc merge FILE... --json` prints the very
//! bytes of the run in one piece, for any N; a merge refuses shards that are not one study's.

mod common;

use std::path::{Path, PathBuf};

use common::{ok, ucodts};

/// Runs shards 0/N .. N-1/N of `args` into `dir` and returns their files.
fn shards(dir: &Path, args: &[&str], count: u64) -> Vec<PathBuf> {
    (0..count)
        .map(|index| {
            let out = dir.join(format!("shard-{index}-of-{count}.json"));
            let shard = format!("{index}/{count}");
            let mut all = args.to_vec();
            all.extend(["--shard", &shard, "--out", out.to_str().unwrap()]);
            ok(&all);
            out
        })
        .collect()
}

fn merge(files: &[PathBuf]) -> std::process::Output {
    let mut args = vec!["mc", "merge", "--json"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    ucodts(&args)
}

fn merged(files: &[PathBuf]) -> String {
    let out = merge(files);
    assert!(
        out.status.success(),
        "mc merge failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn refusal(files: &[PathBuf]) -> String {
    let out = merge(files);
    assert!(!out.status.success(), "mc merge accepted {files:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn merged_scenario_shards_print_the_single_run_bytes_for_1_2_3_and_7_shards() {
    let dir = tempfile::tempdir().unwrap();
    let run = [
        "simulate",
        "--scenario",
        "jfk-two-hour-closure",
        "--reps",
        "7",
        "--seed",
        "11",
    ];
    let mut single = run.to_vec();
    single.push("--json");
    let expected = ok(&single);
    for count in [1, 2, 3, 7] {
        let files = shards(dir.path(), &run, count);
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(merged(&reversed), expected, "{count} shards");
    }
}

#[test]
fn merged_plain_simulate_shards_print_the_single_run_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["simulate", "--reps", "5", "--seed", "3"];
    let mut single = run.to_vec();
    single.push("--json");
    let expected = ok(&single);
    for count in [2, 3] {
        assert_eq!(
            merged(&shards(dir.path(), &run, count)),
            expected,
            "{count} shards"
        );
    }
    // More shards than replications: the empty shards merge too.
    assert_eq!(merged(&shards(dir.path(), &run, 7)), expected);
}

#[test]
fn a_merge_names_missing_and_duplicated_shards_and_refuses_other_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["simulate", "--reps", "4", "--seed", "3"];
    let files = shards(dir.path(), &run, 3);

    let error = refusal(&files[..2]);
    assert!(error.contains("1 of 3 shards missing: 2/3"), "{error}");

    let error = refusal(&[files[0].clone(), files[1].clone(), files[1].clone()]);
    assert!(error.contains("shard 1/3 is given twice"), "{error}");

    let other = dir.path().join("other-seed");
    std::fs::create_dir(&other).unwrap();
    let other_seed = shards(&other, &["simulate", "--reps", "4", "--seed", "4"], 3);
    let error = refusal(&[files[0].clone(), files[1].clone(), other_seed[2].clone()]);
    assert!(
        error.contains("different studies: their seeds differ (4 vs 3)"),
        "{error}"
    );

    let other_split = shards(&other, &run, 2);
    let error = refusal(&[files[0].clone(), other_split[1].clone()]);
    assert!(error.contains("one of 2 shards"), "{error}");

    let not_a_shard = dir.path().join("not-a-shard.json");
    std::fs::write(&not_a_shard, "{\"format\": \"something else\"}").unwrap();
    let error = refusal(&[not_a_shard]);
    assert!(error.contains("not a ucodts Monte Carlo shard"), "{error}");
}

#[test]
fn a_shard_summary_grows_with_replications_not_with_legs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    ok(&[
        "simulate",
        "--reps",
        "6",
        "--seed",
        "1",
        "--shard",
        "0/2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let shard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let values = shard["values"].as_array().unwrap();
    assert_eq!(values.len(), 18, "one row per KPI");
    assert!(values.iter().all(|v| v.as_array().unwrap().len() == 3));
    assert_eq!(shard["shard"]["first"], 0);
    assert_eq!(shard["shard"]["end"], 3);
    let legs = shard["head"]["output"]["legs"].as_u64().unwrap();
    let bytes = std::fs::metadata(&out).unwrap().len();
    assert!(
        bytes < 4_000 + 13 * 3 * 40,
        "{bytes} bytes for 3 replications of {legs} legs"
    );
}

/// The single run's `--json` bytes, then the merge of N shards of the same run for each N.
fn assert_shards_merge_to_the_single_run(run: &[&str], counts: &[u64]) {
    let dir = tempfile::tempdir().unwrap();
    let mut single = run.to_vec();
    single.push("--json");
    let expected = ok(&single);
    for &count in counts {
        let sub = dir.path().join(format!("n{count}"));
        std::fs::create_dir(&sub).unwrap();
        let mut files = shards(&sub, run, count);
        files.reverse();
        assert_eq!(merged(&files), expected, "{run:?} in {count} shards");
    }
}

#[test]
fn merged_validate_shards_print_the_single_run_bytes_for_1_2_and_3_shards() {
    // Two days (so the day counts, the histogram and the daily correlation all merge), blind.
    let run = [
        "validate",
        "--from",
        "2013-07-02",
        "--to",
        "2013-07-03",
        "--reps",
        "5",
        "--seed",
        "9",
    ];
    assert_shards_merge_to_the_single_run(&run, &[1, 2, 3]);
}

#[test]
fn merged_replayed_validate_shards_are_not_blind_ones() {
    let dir = tempfile::tempdir().unwrap();
    let run = [
        "validate",
        "--from",
        "2013-07-02",
        "--reps",
        "3",
        "--seed",
        "2",
    ];
    let mut replayed = run.to_vec();
    replayed.push("--replayed");
    let mut single = replayed.clone();
    single.push("--json");
    let expected = ok(&single);
    let blind = shards(dir.path(), &run, 2);
    let other = dir.path().join("replayed");
    std::fs::create_dir(&other).unwrap();
    let files = shards(&other, &replayed, 2);
    assert_eq!(merged(&files), expected);
    let error = refusal(&[files[0].clone(), blind[1].clone()]);
    assert!(
        error.contains("their commands differ (validate vs validate --replayed)"),
        "{error}"
    );
}

#[test]
fn merged_forecast_skill_shards_print_the_single_run_bytes_for_1_2_and_3_shards() {
    let run = [
        "forecast-skill",
        "--date",
        "2013-07-02",
        "--reps",
        "3",
        "--seed",
        "4",
    ];
    assert_shards_merge_to_the_single_run(&run, &[1, 2, 3]);
}

#[test]
fn a_merge_refuses_shards_of_different_commands_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let validate = shards(
        dir.path(),
        &[
            "validate",
            "--from",
            "2013-07-02",
            "--reps",
            "4",
            "--seed",
            "3",
        ],
        2,
    );
    let other = dir.path().join("simulate");
    std::fs::create_dir(&other).unwrap();
    let simulate = shards(&other, &["simulate", "--reps", "4", "--seed", "3"], 2);
    let error = refusal(&[validate[0].clone(), simulate[1].clone()]);
    assert!(error.contains("different studies"), "{error}");
    let error = refusal(&validate[1..]);
    assert!(error.contains("1 of 2 shards missing: 0/2"), "{error}");
}

#[test]
fn a_validate_shard_grows_with_replications_not_with_legs() {
    let dir = tempfile::tempdir().unwrap();
    let size = |reps: &str, to: &str| {
        let out = dir.path().join(format!("v-{reps}-{to}.json"));
        ok(&[
            "validate",
            "--from",
            "2013-07-02",
            "--to",
            to,
            "--reps",
            reps,
            "--shard",
            "0/1",
            "--out",
            out.to_str().unwrap(),
        ]);
        let shard: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(
            shard["values"].as_array().unwrap().len(),
            3,
            "three metrics"
        );
        assert_eq!(
            shard["sums"]["arrival_delay_histogram"]
                .as_array()
                .unwrap()
                .len(),
            1981
        );
        std::fs::metadata(&out).unwrap().len()
    };
    // Three days hold about three times the legs of one: the summary grows by a few day counts only.
    let (one_day, three_days) = (size("2", "2013-07-02"), size("2", "2013-07-04"));
    assert!(
        three_days < one_day + 1_000,
        "{one_day} vs {three_days} bytes"
    );
    // Each replication adds its three values.
    let more = size("12", "2013-07-02");
    assert!(more < one_day + 10 * 3 * 30, "{one_day} vs {more} bytes");
}

#[test]
fn bench_scale_runs_on_a_tiny_day_and_every_way_prints_the_same_bytes() {
    let report = common::json(&[
        "bench",
        "scale",
        "--flights",
        "60",
        "--reps",
        "6",
        "--shards",
        "3",
        "--merge-shards",
        "5",
        "--json",
    ]);
    assert_eq!(report["identical_two_threads"], true, "{report}");
    assert_eq!(report["identical_shards"], true, "{report}");
    assert_eq!(report["identical_merge"], true, "{report}");
    // The fourth way: three processes of the binary, their files merged.
    assert_eq!(report["processes"]["processes"], 3, "{report}");
    assert_eq!(report["processes"]["identical"], true, "{report}");
    let flights = report["flights"].as_u64().unwrap();
    assert!((50..=70).contains(&flights), "{flights} flights");
    assert_eq!(report["replications"], 6);
    assert_eq!(report["shard_sizes"].as_array().unwrap().len(), 3);
}

/// `recover --json`'s text with the values of its wall-clock fields (names starting with `seconds`)
/// blanked: they differ between any two runs, even two in one piece. Every other byte must match.
fn without_timings(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("\": ") {
            Some(colon) if line.trim_start().starts_with("\"seconds") => {
                let comma = if line.ends_with(',') { "," } else { "" };
                format!("{}\": <seconds>{comma}", &line[..colon])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A recovery whose search is deterministic and gives two distinct candidates to rank: the constructive
/// aircraft policy with the greedy crew repair and with the crew MILP, which proves its optimum (in about
/// 3 s in a debug build) long before its share of the time limit.
const RECOVER: [&str; 13] = [
    "recover",
    "--scenario",
    "jfk-crew-sickness-5pct",
    "--policy",
    "constructive",
    "--crew-policy",
    "greedy,milp",
    "--time-limit",
    "60",
    "--reps",
    "5",
    "--seed",
    "7",
];

/// A faster one for the refusals: one candidate.
const RECOVER_FAST: [&str; 13] = [
    "recover",
    "--scenario",
    "captain-no-show",
    "--policy",
    "constructive",
    "--crew-policy",
    "greedy",
    "--time-limit",
    "20",
    "--reps",
    "4",
    "--seed",
    "7",
];

#[test]
fn merged_recover_shards_print_the_single_run_bytes_timings_aside_for_1_2_and_3_shards() {
    let dir = tempfile::tempdir().unwrap();
    let mut single = RECOVER.to_vec();
    single.push("--json");
    let expected = ok(&single);
    let report: serde_json::Value = serde_json::from_str(&expected).unwrap();
    assert!(
        report["plans"].as_array().unwrap().len() >= 2,
        "two candidates to rank: {report}"
    );
    assert!(expected.contains("\"seconds_replaying\""));
    for count in [1, 2, 3] {
        let sub = dir.path().join(format!("n{count}"));
        std::fs::create_dir(&sub).unwrap();
        let mut files = shards(&sub, &RECOVER, count);
        files.reverse();
        assert_eq!(
            without_timings(&merged(&files)),
            without_timings(&expected),
            "{count} shards"
        );
    }
}

#[test]
fn a_recover_merge_refuses_other_seeds_and_options_and_names_a_missing_shard() {
    let dir = tempfile::tempdir().unwrap();
    let files = shards(dir.path(), &RECOVER_FAST, 3);
    let error = refusal(&files[1..]);
    assert!(error.contains("1 of 3 shards missing: 0/3"), "{error}");

    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let mut other_seed = RECOVER_FAST.to_vec();
    *other_seed.last_mut().unwrap() = "8";
    let other_seed = shards(&other, &other_seed, 3);
    let error = refusal(&[files[0].clone(), files[1].clone(), other_seed[2].clone()]);
    assert!(
        error.contains("different studies: their seeds differ (8 vs 7)"),
        "{error}"
    );

    let fewer = dir.path().join("fewer");
    std::fs::create_dir(&fewer).unwrap();
    let mut fewer_candidates = RECOVER_FAST.to_vec();
    fewer_candidates.extend(["--candidates", "2"]);
    let fewer_candidates = shards(&fewer, &fewer_candidates, 3);
    let error = refusal(&[
        files[0].clone(),
        files[1].clone(),
        fewer_candidates[2].clone(),
    ]);
    assert!(error.contains("their recover options differ"), "{error}");

    // A shard's summary grows with the plans and the replications, never with the legs.
    let shard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(shard["inputs"]["command"], "recover");
    let plans = shard["head"]["output"]["labels"].as_array().unwrap().len();
    assert_eq!(shard["values"].as_array().unwrap().len(), 7 * (plans + 1));
}

#[test]
fn recover_shards_refuse_the_report_files_they_cannot_rank() {
    let out = ucodts(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--shard",
        "0/2",
        "--out",
        "x.json",
        "--report",
        "r.html",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--report"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
