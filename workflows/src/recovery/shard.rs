//! `recover --shard I/N --out FILE`: one slice of the loop's Monte Carlo comparison, and the merge of the
//! slices into the report `recover --json` prints.
//!
//! Every shard runs the whole search (aircraft and crew policies, the distinct cheapest K candidates):
//! the search does not replay anything in the twin, so only the comparison that follows it is split.
//! A shard then replays its slice `R·I/N .. R·(I+1)/N` of the replications of doing nothing and of each
//! candidate, on the streams the whole run gives them, and writes the outcomes (7 numbers per plan and
//! replication) beside the report of its run with a placeholder ranking ([`RecoverHead`]). The merge
//! ranks the concatenated outcomes with the very ranking the single run uses and puts the ranking into
//! that report: the plans reordered and given their KPIs, doing nothing's KPIs, the recommendation and
//! the ranking agreement.
//!
//! The shards must have found the same candidates. They do when no step of the search is cut by the wall
//! clock (`--policy constructive` with `--crew-policy greedy` or a crew MILP that proves its optimum well
//! within its share of a generous `--time-limit`); a search cut by the clock (the LNS, a MILP or a
//! feedback round at its deadline) may not, and then the shards' fingerprints differ and the merge
//! refuses them. Fields whose names start with `seconds` are
//! wall-clock timings, left out of the fingerprint: the merge gives shard 0's optimisation timings and
//! the sum of the shards' replay times.

use serde::{Deserialize, Serialize};
use ucodts_actors::DataSetIdentity;
use ucodts_optimizer::montecarlo::{rank_within, Outcome, Replay};
use ucodts_sim::{Shard, Summary};
use ucodts_stats::hash::Fnv1a;

use super::exact_json::Json;
use super::{whole_loop, Recommended, RecoverRequest};
use crate::bail;
use crate::error::{Context, Result};
use crate::progress::Progress;
use crate::scenario;
use crate::shard::{Head, Parts};

/// The options of `recover` that choose the candidates (beside the scenario, data, replications and
/// seed every shard request has).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecoverOptions {
    pub policy: String,
    pub crew_policy: String,
    pub time_limit_seconds: f64,
    pub candidates: usize,
    pub rule_set: String,
    pub max_actions: usize,
    pub policy_cmd: Option<String>,
}

impl RecoverOptions {
    /// The options of a request.
    pub fn of(request: &RecoverRequest) -> RecoverOptions {
        RecoverOptions {
            policy: request.policy.clone(),
            crew_policy: request.crew_policy.clone(),
            time_limit_seconds: request.time_limit_seconds,
            candidates: request.candidates,
            rule_set: request.rule_set.clone(),
            max_actions: request.max_actions,
            policy_cmd: request.policy_cmd.clone(),
        }
    }

    /// The request these options make with the rest of a shard request (`reps` `None`: recover's 30).
    pub fn request(
        &self,
        scenario: &str,
        data: Option<std::path::PathBuf>,
        reps: Option<u64>,
        seed: Option<u64>,
        threads: usize,
    ) -> RecoverRequest {
        let defaults = RecoverRequest::new(scenario);
        RecoverRequest {
            data,
            policy: self.policy.clone(),
            crew_policy: self.crew_policy.clone(),
            time_limit_seconds: self.time_limit_seconds,
            candidates: self.candidates,
            replications: reps.unwrap_or(defaults.replications),
            seed,
            // 0: one per core, as the other commands' shards take it.
            threads: match threads {
                0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
                n => n,
            },
            rule_set: self.rule_set.clone(),
            max_actions: self.max_actions,
            policy_cmd: self.policy_cmd.clone(),
            ..defaults
        }
    }

    /// The options in words, as a shard's inputs name them.
    fn describe(&self) -> String {
        format!(
            "policy {}; crew policy {}; candidates {}; rules {}; max actions {}; time limit {} s; policy command {}",
            self.policy,
            self.crew_policy,
            self.candidates,
            self.rule_set,
            self.max_actions,
            self.time_limit_seconds,
            self.policy_cmd.as_deref().unwrap_or("none")
        )
    }
}

/// What a `recover` shard carries besides its outcomes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecoverHead {
    /// `recover --json` of this shard's run as serde_json writes it (compact), with a placeholder
    /// ranking: the plans in candidate order with zero KPIs, doing nothing recommended. Its fields
    /// starting with `seconds` are this shard's wall-clock timings (`seconds_replaying`: of its slice).
    pub report: String,
    /// The scenario's file name (a library scenario's `library/NAME.toml`).
    pub file: String,
    pub window_start: String,
    pub window_end: String,
    pub seed: u64,
    pub replications: u64,
    /// Each candidate's name in the ranking.
    pub labels: Vec<String>,
    /// Each candidate may be recommended (within `--max-actions`).
    pub eligible: Vec<bool>,
    /// Each candidate's own cost by the optimizer, as exact decimal text.
    pub optimizer_costs: Vec<String>,
}

impl RecoverHead {
    /// The head with every wall-clock timing set to 0: what the shards of one study share.
    pub(crate) fn without_timings(&self) -> Result<RecoverHead> {
        let mut report = Json::parse(&self.report).context("the shard's report")?;
        report.replace_members(&|key| key.starts_with("seconds"), &Json::Number("0".into()));
        Ok(RecoverHead {
            report: report.to_text()?,
            ..self.clone()
        })
    }

    /// The shard's `seconds_replaying`.
    pub(crate) fn seconds_replaying(&self) -> Result<f64> {
        Json::parse(&self.report)?
            .get("seconds_replaying")
            .and_then(Json::as_f64)
            .context("a recover shard's report without seconds_replaying")
    }
}

/// The measures of one replication of one plan, in a shard's metric order.
const MEASURES: [&str; 7] = [
    "cost",
    "mean_arrival_delay_min",
    "p90_arrival_delay_min",
    "on_time_rate",
    "cancelled_legs",
    "crew_illegal",
    "misconnects",
];

fn measures(o: &Outcome) -> [f64; 7] {
    [
        o.cost,
        o.mean_arrival_delay_min,
        o.p90_arrival_delay_min,
        o.on_time_rate,
        o.cancelled_legs,
        if o.crew_illegal { 1.0 } else { 0.0 },
        o.misconnects,
    ]
}

fn plan_name(plan: usize) -> String {
    match plan {
        0 => "do-nothing".to_string(),
        p => format!("candidate-{}", p - 1),
    }
}

/// Runs shard `shard` of `recover` as `request` asks.
pub(crate) fn run(
    request: &RecoverRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<Parts> {
    if request.report.is_some() || request.schedule_out.is_some() {
        bail!(
            "--report and --schedule-out do not go with --shard: a shard does not know the ranking; \
             run `recover` in one piece for them"
        );
    }
    let loaded = scenario::load(&request.scenario, request.data.as_deref())?;
    let (report, slice) = super::with_loop_request(request, &loaded, progress, |loop_request| {
        let built = super::problem(&loaded.schedule, &loaded.scenario)
            .with_context(|| format!("turning {} into a recovery problem", loaded.file_name))?;
        let (outcome, slice) = whole_loop::run_loop_replaying(
            &loaded.schedule,
            &loaded.scenario,
            &built,
            loop_request,
            Some(shard),
        )?;
        let slice = slice.expect("a shard's loop returns its slice");
        Ok((
            super::report_of(&loaded.scenario, &built, loop_request, &outcome),
            slice,
        ))
    })?;
    let name = loaded.data_dir.as_deref().map_or_else(
        || ucodts_datasets::embedded::NAME.to_string(),
        |d| d.display().to_string(),
    );
    let head = RecoverHead {
        report: serde_json::to_string(&report).context("writing the shard's report")?,
        file: loaded.file_name.clone(),
        window_start: report.window_start.clone(),
        window_end: report.window_end.clone(),
        seed: report.seed,
        replications: request.replications,
        labels: slice.labels,
        eligible: slice.eligible,
        optimizer_costs: slice.optimizer_costs.iter().map(f64::to_string).collect(),
    };
    let mut metrics = Vec::new();
    let mut summaries = Vec::new();
    for (plan, outcomes) in slice.outcomes.iter().enumerate() {
        for (m, measure) in MEASURES.iter().enumerate() {
            metrics.push(format!("{}/{measure}", plan_name(plan)));
            let values: Vec<f64> = outcomes.iter().map(|o| measures(o)[m]).collect();
            summaries.push(
                Summary::try_from(values)
                    .map_err(|e| crate::Error::invalid(format!("{}: {e}", plan_name(plan))))?,
            );
        }
    }
    let scenario_hash = scenario_text_hash(&request.scenario);
    Ok(Parts {
        head: Head::Recover { output: head },
        data_set: DataSetIdentity::of(&loaded.schedule, &name),
        metrics,
        summaries,
        scenario_hash,
        params: "default".to_owned(),
        options: Some(RecoverOptions::of(request).describe()),
        sums: Default::default(),
    })
}

fn scenario_text_hash(scenario: &str) -> Option<String> {
    let path = std::path::Path::new(scenario);
    let text = if path.is_file() {
        std::fs::read_to_string(path).ok()?
    } else {
        ucodts_scenarios::find(scenario)?.text.to_owned()
    };
    Some(format!(
        "{:016x}",
        Fnv1a::new().write(text.as_bytes()).finish()
    ))
}

/// The outcomes of a study, replayed from the shards' record for the ranking.
struct Recorded<'a> {
    labels: &'a [String],
    /// `outcomes[plan][replication]`, plan 0 doing nothing.
    outcomes: Vec<Vec<Outcome>>,
}

impl Replay for Recorded<'_> {
    fn candidates(&self) -> usize {
        self.labels.len()
    }

    fn replicate(
        &self,
        candidate: Option<usize>,
        replication: u64,
    ) -> std::result::Result<Outcome, String> {
        let plan = candidate.map_or(0, |c| c + 1);
        self.outcomes
            .get(plan)
            .and_then(|o| o.get(replication as usize))
            .copied()
            .ok_or_else(|| format!("no outcome of plan {plan}, replication {replication}"))
    }

    fn label(&self, candidate: usize) -> String {
        self.labels
            .get(candidate)
            .map_or_else(|| format!("candidate {candidate}"), Clone::clone)
    }
}

/// `recover --json` of a whole study from its shards' head (shard 0's: its optimisation timings are
/// given), the concatenated values of every metric, and the sum of the shards' replay times.
pub(crate) fn merge(
    head: &RecoverHead,
    metrics: &[String],
    summaries: &[Summary],
    seconds_replaying: f64,
) -> Result<MergedRecovery> {
    let candidates = head.labels.len();
    if metrics.len() != (candidates + 1) * MEASURES.len() || head.eligible.len() != candidates {
        bail!(
            "a recover shard of {candidates} candidates with {} metrics and {} eligibility flags",
            metrics.len(),
            head.eligible.len()
        );
    }
    let outcomes: Vec<Vec<Outcome>> = summaries
        .chunks(MEASURES.len())
        .map(|plan| {
            let value = |m: usize, r: usize| plan[m].values()[r];
            (0..plan[0].values().len())
                .map(|r| Outcome {
                    cost: value(0, r),
                    mean_arrival_delay_min: value(1, r),
                    p90_arrival_delay_min: value(2, r),
                    on_time_rate: value(3, r),
                    cancelled_legs: value(4, r),
                    crew_illegal: value(5, r) == 1.0,
                    misconnects: value(6, r),
                })
                .collect()
        })
        .collect();
    let recorded = Recorded {
        labels: &head.labels,
        outcomes,
    };
    let ranking = rank_within(&recorded, &head.eligible, head.replications, 1, &|| {})
        .context("ranking the merged replications")?;
    let optimizer_costs = head
        .optimizer_costs
        .iter()
        .map(|t| {
            t.parse::<f64>()
                .with_context(|| format!("a recover shard's optimizer cost {t:?}"))
        })
        .collect::<Result<Vec<f64>>>()?;
    let mut twin_costs = vec![0.0; candidates];
    for r in &ranking.ranked {
        twin_costs[r.candidate] = r.kpis.cost.mean;
    }
    let mut report = Json::parse(&head.report).context("the shard's report")?;
    let plans = report
        .get("plans")
        .and_then(Json::as_array)
        .context("a recover shard's report without plans")?
        .to_vec();
    if plans.len() != candidates {
        bail!(
            "a recover shard's report holds {} plans for {candidates} candidates",
            plans.len()
        );
    }
    let ranked = ranking
        .ranked
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut plan = plans[r.candidate].clone();
            plan.set("rank", Json::of(&(i + 1))?)?;
            plan.set(
                "recommended",
                Json::Bool(Some(r.candidate) == ranking.recommended),
            )?;
            plan.set("kpis", Json::of(&r.kpis)?)?;
            plan.set("vs_baseline", Json::of(&r.vs_baseline)?)?;
            plan.set("vs_recommended", Json::of(&r.vs_recommended)?)?;
            Ok(plan)
        })
        .collect::<Result<Vec<Json>>>()?;
    report.set("replications", Json::of(&ranking.replications)?)?;
    report.set("seconds_replaying", Json::of(&seconds_replaying)?)?;
    report.set(
        "ranking_agreement",
        Json::of(&whole_loop::agreement(&optimizer_costs, &twin_costs))?,
    )?;
    report.set("baseline_kpis", Json::of(&ranking.baseline)?)?;
    report.set(
        "recommended",
        Json::of(&Recommended::of(&ranking, |c| head.labels[c].clone()))?,
    )?;
    report.set("plans", Json::Array(ranked))?;
    Ok(MergedRecovery { report })
}

/// A merged `recover` study: prints as `recover --json` does.
#[derive(Debug, Clone)]
pub struct MergedRecovery {
    report: Json,
}

impl Serialize for MergedRecovery {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.report.serialize(serializer)
    }
}

impl MergedRecovery {
    /// The recommendation and the ranked plans in a few lines (the whole report is `--json`).
    pub fn summary(&self) -> String {
        let text = |v: Option<&Json>| v.and_then(Json::as_str).unwrap_or_default().to_string();
        let mut out = format!(
            "{}\n\n",
            text(self.report.get("recommended").and_then(|r| r.get("why")))
        );
        for plan in self
            .report
            .get("plans")
            .and_then(Json::as_array)
            .unwrap_or_default()
        {
            let number = |key: &str| {
                plan.get("kpis")
                    .and_then(|k| k.get(key))
                    .and_then(|k| k.get("mean"))
                    .and_then(Json::as_f64)
                    .unwrap_or(f64::NAN)
            };
            out.push_str(&format!(
                "{:>3}. {:<28} expected cost {:>12.0}   p90 arrival delay {:>6.1} min\n",
                plan.get("rank").and_then(Json::as_f64).unwrap_or(f64::NAN),
                text(plan.get("policy")),
                number("cost"),
                number("p90_arrival_delay_min"),
            ));
        }
        out.push_str("\nThe whole report, as `recover --json` prints it: `mc merge --json`.\n");
        out
    }
}
