//! Monte Carlo shards and their merge: `simulate`, `validate`, `forecast-skill` and `recover` with
//! `--shard I/N --out FILE`, and `mc merge FILE...`.
//!
//! A shard runs the contiguous slice `R·I/N .. R·(I+1)/N` of a study's global replication indices, so
//! each of its replications draws exactly the random streams it draws in the whole run. It writes a
//! [`ShardFile`]: the command's output without its KPIs (the head), every metric's value for each of its
//! replications in order, and the fingerprint of the inputs (data set, scenario text, delay-model
//! parameters, window, seed, replications, program and format versions). [`merge`] checks that the
//! shards are one study's, complete and without duplicates, concatenates their values in shard order and
//! summarises them with the very code the single run uses, so `mc merge --json` prints the same bytes as
//! the run in one piece, for any number of shards.
//!
//! What is not a per-replication value is an integer sum over the replications ([`ShardFile::sums`]:
//! `validate`'s arrival-delay histogram and day counts), which merges exactly by addition.
//!
//! A shard is O(replications × metrics): 13 numbers per replication for `simulate`, 39 for a scenario
//! (baseline, scenario, difference), 3 for `validate` (plus its 1,981 histogram bins and 4 counts a day,
//! whatever the replications), 136 for `forecast-skill` (4 tallies of the legs still to arrive, for the
//! hour's and the morning's forecast, at each of 17 hours), 7 per plan for `recover` (doing nothing and
//! each candidate; its head is the report of the run, O(plans' actions)); never anything per leg.
//!
//! `recover` shards only the comparison of its candidates: each shard runs the same search first
//! ([`crate::recovery::shard`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ucodts_actors::{DataSetIdentity, ValidationBasis, ValidationCounts, ValidationReport};
use ucodts_sim::{Shard, Summary};
use ucodts_stats::hash::Fnv1a;

use crate::bail;
use crate::error::{Context, Result};
use crate::forecast_skill::{self, ForecastSkill, SkillHead, SkillRequest};
use crate::progress::Progress;
use crate::recovery::shard::{MergedRecovery, RecoverHead, RecoverOptions};
use crate::twin::{self, DataRequest, RunRequest, ScenarioOutput, SimulateOutput, ValidationHead};

/// What a shard file says it is, in its `format` field.
pub const FORMAT: &str = "ucodts-mc-shard";
/// The version of the shard format this program writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The program's version, written into each shard: a merge refuses shards of other versions, whose
/// replications or summaries may differ.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which Monte Carlo command a shard is of.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShardCommand {
    /// `simulate` (with `scenario`: `simulate --scenario`).
    #[default]
    Simulate,
    /// `validate`, blind or with the record's cancellations replayed (`--replayed`).
    Validate { replayed: bool },
    /// `forecast-skill --date DATE`.
    ForecastSkill { date: String },
    /// `recover --scenario S` with these options.
    Recover(RecoverOptions),
}

/// Which Monte Carlo command to run a shard of.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ShardRequest {
    /// The command; `simulate` when absent (requests from before `validate` and `forecast-skill` ran
    /// in shards).
    #[serde(default)]
    pub command: ShardCommand,
    /// A scenario file or library scenario name (`simulate --scenario`); `None`: plain `simulate` (or
    /// another command).
    pub scenario: Option<String>,
    /// A native data set folder (overrides a scenario's own); `None`: the embedded default or the
    /// scenario's data set.
    pub data: Option<PathBuf>,
    /// First and last operating day, plain `simulate` and `validate` only.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Replications of the whole study; `None`: `simulate`'s default (a scenario's own).
    pub reps: Option<u64>,
    /// Master seed; `None`: `simulate`'s default (a scenario's own).
    pub seed: Option<u64>,
    /// A delay-model parameter file.
    pub params: Option<PathBuf>,
}

/// The inputs a shard's numbers are a function of; shards merge only when these are equal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Inputs {
    /// `simulate` or `simulate --scenario`.
    pub command: String,
    /// The data set flown: its name and the fingerprint of its recorded legs.
    pub data_set: DataSetIdentity,
    /// The scenario as its output names it, and the FNV-1a hash of its file's text.
    pub scenario: Option<String>,
    pub scenario_hash: Option<String>,
    /// `default` (the embedded parameters or a fit on the data set), or `file <FNV-1a of its bytes>`.
    pub params: String,
    pub from: String,
    pub to: String,
    pub seed: u64,
    pub replications: u64,
    /// `recover`'s options that choose the candidates, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    /// FNV-1a over all the above and the head (without wall-clock timings): one number to compare.
    pub fingerprint: String,
}

/// The output of the command without its KPIs, as a shard carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Head {
    Simulate {
        /// Boxed: it is most of the enum's size.
        output: Box<SimulateOutput>,
        /// `crew_fatigue`'s `alert_kss`, `max_peak_kss` and `mean_peak_kss` as exact decimal text:
        /// serde_json reads some 17-digit numbers one unit in the last place off, and a merge must
        /// print the very bits the shard computed.
        crew_fatigue_exact: [Option<String>; 3],
    },
    Scenario {
        output: ScenarioOutput,
    },
    Validate {
        basis: ValidationBasis,
    },
    ForecastSkill {
        output: SkillHead,
    },
    Recover {
        output: RecoverHead,
    },
}

/// A merged study: exactly the value the command prints when run in one piece.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Merged {
    /// Boxed: it is most of the enum's size.
    Simulate(Box<SimulateOutput>),
    Scenario(ScenarioOutput),
    Validate(Box<ValidationReport>),
    ForecastSkill(ForecastSkill),
    Recover(MergedRecovery),
}

/// Where a shard sits in its study.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Position {
    /// Shard `index` of `count`, from 0.
    pub index: u64,
    pub count: u64,
    /// The global replication indices it ran: `first .. end`.
    pub first: u64,
    pub end: u64,
}

/// A shard's mergeable summary: see the module documentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardFile {
    pub format: String,
    pub format_version: u32,
    pub program_version: String,
    pub inputs: Inputs,
    pub shard: Position,
    pub head: Head,
    /// The metrics, in the order of `values`.
    pub metrics: Vec<String>,
    /// Per metric, its value for each of the shard's replications in order, as exact decimal text (the
    /// shortest text that reads back to the same `f64`).
    #[serde(with = "exact_values")]
    pub values: Vec<Vec<f64>>,
    /// Integer sums over the shard's replications, by name (`validate`'s counts): a merge adds them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sums: BTreeMap<String, Vec<i64>>,
}

/// Runs shard `shard` of the command `request` describes.
/// `threads` (0: one per core) changes no result.
pub fn run(
    request: &ShardRequest,
    shard: Shard,
    threads: usize,
    progress: &dyn Progress,
) -> Result<ShardFile> {
    let run = RunRequest {
        reps: request.reps,
        seed: request.seed,
        threads,
        params: request.params.clone(),
    };
    let params = match &request.params {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("reading the delay model {}", path.display()))?;
            format!("file {:016x}", Fnv1a::new().write(&bytes).finish())
        }
        None => "default".to_owned(),
    };
    let no_days = |command: &str| -> Result<()> {
        if request.from.is_some() || request.to.is_some() {
            bail!("--from and --to do not go with {command}");
        }
        Ok(())
    };
    let mut sums = BTreeMap::new();
    let (head, data_set, metrics, summaries, scenario_hash) =
        match (&request.command, &request.scenario) {
            (ShardCommand::Validate { .. } | ShardCommand::ForecastSkill { .. }, Some(_)) => {
                bail!("--scenario goes only with simulate and recover")
            }
            (ShardCommand::Recover(_), None) => bail!("recover needs --scenario"),
            (ShardCommand::Recover(options), Some(scenario)) => {
                no_days("recover: the scenario file sets its days")?;
                if request.params.is_some() {
                    bail!("--params does not go with recover");
                }
                let recover = options.request(
                    scenario,
                    request.data.clone(),
                    request.reps,
                    request.seed,
                    threads,
                );
                let parts = crate::recovery::shard::run(&recover, shard, progress)?;
                return parts.into_file(shard);
            }
            (ShardCommand::Validate { replayed }, None) => {
                let data = DataRequest {
                    data: request.data.clone(),
                    from: request.from.clone(),
                    to: request.to.clone(),
                };
                let part = twin::validate_shard(&data, &run, !replayed, shard, progress)?;
                sums = validation_sums(&part.head.counts);
                let head = Head::Validate {
                    basis: part.head.basis,
                };
                (head, part.data_set, part.metrics, part.summaries, None)
            }
            (ShardCommand::ForecastSkill { date }, None) => {
                no_days("forecast-skill: it scores the one day of --date")?;
                let skill = SkillRequest {
                    data: request.data.clone(),
                    params: request.params.clone(),
                    date: date.clone(),
                    reps: request.reps,
                    seed: request.seed,
                    threads,
                };
                let part = forecast_skill::forecast_skill_shard(&skill, shard, progress)?;
                let head = Head::ForecastSkill { output: part.head };
                (head, part.data_set, part.metrics, part.summaries, None)
            }
            (ShardCommand::Simulate, None) => {
                let data = DataRequest {
                    data: request.data.clone(),
                    from: request.from.clone(),
                    to: request.to.clone(),
                };
                let part = twin::simulate_shard(&data, &run, shard, progress)?;
                let fatigue = &part.head.crew_fatigue;
                let exact = [
                    Some(fatigue.alert_kss),
                    fatigue.max_peak_kss,
                    fatigue.mean_peak_kss,
                ]
                .map(|x| x.map(|x| x.to_string()));
                let head = Head::Simulate {
                    output: Box::new(part.head),
                    crew_fatigue_exact: exact,
                };
                (head, part.data_set, part.metrics, part.summaries, None)
            }
            (ShardCommand::Simulate, Some(scenario)) => {
                no_days("--scenario: the scenario file sets its days")?;
                let text_hash = scenario_text(scenario)
                    .map(|text| format!("{:016x}", Fnv1a::new().write(text.as_bytes()).finish()));
                let part = twin::simulate_scenario_shard(
                    scenario,
                    request.data.as_deref(),
                    &run,
                    shard,
                    progress,
                )?;
                let head = Head::Scenario { output: part.head };
                (head, part.data_set, part.metrics, part.summaries, text_hash)
            }
        };
    let parts = Parts {
        head,
        data_set,
        metrics,
        summaries,
        scenario_hash,
        params,
        options: None,
        sums,
    };
    parts.into_file(shard)
}

/// What a shard run yields, before it is a [`ShardFile`].
pub(crate) struct Parts {
    pub(crate) head: Head,
    pub(crate) data_set: DataSetIdentity,
    pub(crate) metrics: Vec<String>,
    pub(crate) summaries: Vec<Summary>,
    pub(crate) scenario_hash: Option<String>,
    /// See [`Inputs::params`].
    pub(crate) params: String,
    /// See [`Inputs::options`].
    pub(crate) options: Option<String>,
    pub(crate) sums: BTreeMap<String, Vec<i64>>,
}

impl Parts {
    /// The summary file of shard `shard`, with its inputs and their fingerprint.
    pub(crate) fn into_file(self, shard: Shard) -> Result<ShardFile> {
        let Parts {
            head,
            data_set,
            metrics,
            summaries,
            scenario_hash,
            params,
            options,
            sums,
        } = self;
        let (command, scenario, from, to, seed, replications) = match &head {
            Head::Simulate { output, .. } => (
                "simulate",
                None,
                &output.from,
                &output.to,
                output.seed,
                output.replications,
            ),
            Head::Scenario { output } => (
                "simulate --scenario",
                Some(output.file.clone()),
                &output.from,
                &output.to,
                output.seed,
                output.replications,
            ),
            Head::Validate { basis } => (
                if basis.blind {
                    "validate"
                } else {
                    "validate --replayed"
                },
                None,
                &basis.from,
                &basis.to,
                basis.seed,
                basis.replications,
            ),
            Head::ForecastSkill { output } => (
                "forecast-skill",
                None,
                &output.date,
                &output.date,
                output.seed,
                output.replications,
            ),
            Head::Recover { output } => (
                "recover",
                Some(output.file.clone()),
                &output.window_start,
                &output.window_end,
                output.seed,
                output.replications,
            ),
        };
        let slice = shard.replications(replications);
        let mut inputs = Inputs {
            command: command.to_owned(),
            data_set,
            scenario,
            scenario_hash,
            params,
            from: from.clone(),
            to: to.clone(),
            seed,
            replications,
            options,
            fingerprint: String::new(),
        };
        inputs.fingerprint = fingerprint(&inputs, &head)?;
        Ok(ShardFile {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            program_version: PROGRAM_VERSION.to_owned(),
            inputs,
            shard: Position {
                index: shard.index(),
                count: shard.count(),
                first: slice.start,
                end: slice.end,
            },
            head,
            metrics,
            values: summaries
                .into_iter()
                .map(|s| Vec::from(s.values()))
                .collect(),
            sums,
        })
    }
}

/// `validate`'s counts as a shard's named sums, and back.
fn validation_sums(counts: &ValidationCounts) -> BTreeMap<String, Vec<i64>> {
    [
        ("arrival_delay_histogram", &counts.arrival_delay_histogram),
        ("day_flown", &counts.day_flown),
        ("day_on_time", &counts.day_on_time),
        ("day_delay_s", &counts.day_delay_s),
        ("day_cancelled", &counts.day_cancelled),
    ]
    .into_iter()
    .map(|(name, values)| (name.to_owned(), values.clone()))
    .collect()
}

fn validation_counts(
    origin: &str,
    sums: &mut BTreeMap<String, Vec<i64>>,
) -> Result<ValidationCounts> {
    let mut take = |name: &str| {
        sums.remove(name)
            .with_context(|| format!("{origin}: a validate shard without its sum `{name}`"))
    };
    Ok(ValidationCounts {
        arrival_delay_histogram: take("arrival_delay_histogram")?,
        day_flown: take("day_flown")?,
        day_on_time: take("day_on_time")?,
        day_delay_s: take("day_delay_s")?,
        day_cancelled: take("day_cancelled")?,
    })
}

/// The text of a scenario file or library scenario, as `simulate --scenario` reads it.
fn scenario_text(scenario: &str) -> Option<String> {
    let path = Path::new(scenario);
    if path.is_file() {
        std::fs::read_to_string(path).ok()
    } else {
        ucodts_scenarios::find(scenario).map(|s| s.text.to_owned())
    }
}

fn fingerprint(inputs: &Inputs, head: &Head) -> Result<String> {
    let mut hash = Fnv1a::new();
    // A recover shard's report holds its wall-clock timings, which differ between any two runs.
    let head = match head {
        Head::Recover { output } => serde_json::to_string(&Head::Recover {
            output: output.without_timings()?,
        }),
        head => serde_json::to_string(head),
    };
    for part in [
        serde_json::to_string(inputs).context("fingerprinting the inputs")?,
        head.context("fingerprinting the output")?,
    ] {
        hash = hash.write(part.as_bytes());
    }
    Ok(format!("{:016x}", hash.finish()))
}

impl ShardFile {
    /// The file's JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).context("writing a shard as JSON")
    }

    /// Reads a shard from its JSON text; `origin` (a file name, a queue key) names it in errors.
    pub fn from_json(origin: &str, text: &str) -> Result<ShardFile> {
        #[derive(Deserialize)]
        struct Envelope {
            format: Option<String>,
            format_version: Option<u32>,
        }
        let envelope: Envelope = serde_json::from_str(text)
            .with_context(|| format!("{origin}: not a JSON shard summary"))?;
        if envelope.format.as_deref() != Some(FORMAT) {
            bail!("{origin}: not a ucodts Monte Carlo shard (field 'format' is not \"{FORMAT}\")");
        }
        if envelope.format_version != Some(FORMAT_VERSION) {
            bail!(
                "{origin}: shard format version {:?}, this program reads version {FORMAT_VERSION}",
                envelope.format_version
            );
        }
        serde_json::from_str(text).with_context(|| format!("{origin}: reading the shard summary"))
    }

    /// Writes the shard to `path` (through a temporary file, so a reader never sees half of it).
    pub fn write(&self, path: &Path) -> Result<()> {
        crate::write_files(&[(path, self.to_json()?)])
            .with_context(|| format!("writing the shard summary {}", path.display()))
    }

    /// Reads a shard file.
    pub fn read(path: &Path) -> Result<ShardFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the shard summary {}", path.display()))?;
        ShardFile::from_json(&path.display().to_string(), &text)
    }
}

/// Reads shard files and merges them: see [`merge`].
pub fn merge_files(paths: &[PathBuf]) -> Result<Merged> {
    let shards = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), ShardFile::read(p)?)))
        .collect::<Result<Vec<_>>>()?;
    merge(&shards)
}

/// Merges the shards of one study (each named by its origin, a file name or a queue key) into the
/// command's output, the same value as the run in one piece. Refuses shards of different programs,
/// formats or inputs, a shard given twice, and names the shards that are missing.
pub fn merge(shards: &[(String, ShardFile)]) -> Result<Merged> {
    let Some((first_origin, first)) = shards.first() else {
        bail!("no shard to merge: give the files of shards 0/N to N-1/N");
    };
    for (origin, shard) in shards {
        if shard.program_version != PROGRAM_VERSION {
            bail!(
                "{origin} was written by ucodts {}, this is ucodts {PROGRAM_VERSION}: merge shards \
                 with the program that ran them",
                shard.program_version
            );
        }
        if let Some(field) = differing_input(&first.inputs, &shard.inputs) {
            let hint = if field == "fingerprints" && first.inputs.command == "recover" {
                ": their searches found different candidate plans (a search cut by --time-limit, \
                 such as the LNS or a MILP at its deadline, may; shard with policies the limit never \
                 cuts, e.g. --policy constructive --crew-policy greedy --time-limit 60)"
            } else {
                ""
            };
            bail!(
                "{origin} and {first_origin} are shards of different studies: their {field} differ \
                 ({} vs {}){hint}",
                input_field(&shard.inputs, field),
                input_field(&first.inputs, field)
            );
        }
        if shard.shard.count != first.shard.count {
            bail!(
                "{origin} is one of {} shards, {first_origin} one of {}: merge the shards of one split",
                shard.shard.count,
                first.shard.count
            );
        }
        if shard.metrics != first.metrics {
            bail!("{origin} and {first_origin} name different metrics");
        }
        let shape = |s: &ShardFile| -> Vec<(String, usize)> {
            s.sums.iter().map(|(k, v)| (k.clone(), v.len())).collect()
        };
        if shape(shard) != shape(first) {
            bail!("{origin} and {first_origin} hold different sums");
        }
    }
    let count = first.shard.count;
    let total = first.inputs.replications;
    let mut by_index: BTreeMap<u64, (&str, &ShardFile)> = BTreeMap::new();
    for (origin, shard) in shards {
        let index = shard.shard.index;
        if index >= count {
            bail!("{origin}: shard {index}/{count} does not exist (shards are 0/{count} to {}/{count})", count - 1);
        }
        if let Some((other, _)) = by_index.insert(index, (origin, shard)) {
            bail!("shard {index}/{count} is given twice: {other} and {origin}");
        }
        let expected = Shard::new(index, count)
            .context("the shard position")?
            .replications(total);
        let position = shard.shard;
        if (position.first, position.end) != (expected.start, expected.end) {
            bail!(
                "{origin}: shard {index}/{count} of {total} replications should hold replications \
                 {} .. {}, it says {} .. {}",
                expected.start,
                expected.end,
                position.first,
                position.end
            );
        }
        let length = (position.end - position.first) as usize;
        if shard.values.len() != shard.metrics.len()
            || shard.values.iter().any(|v| v.len() != length)
        {
            bail!(
                "{origin}: expected {length} values for each of {} metrics",
                shard.metrics.len()
            );
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} of {count} shards missing: {} (each runs with --shard I/{count})",
            missing.len(),
            missing.join(", ")
        );
    }
    let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(total as usize); first.metrics.len()];
    for (_, shard) in by_index.values() {
        for (all, part) in values.iter_mut().zip(&shard.values) {
            all.extend_from_slice(part);
        }
    }
    let mut sums: BTreeMap<String, Vec<i64>> = first
        .sums
        .iter()
        .map(|(name, v)| (name.clone(), vec![0; v.len()]))
        .collect();
    for (_, shard) in by_index.values() {
        for (all, part) in sums.values_mut().zip(shard.sums.values()) {
            for (a, b) in all.iter_mut().zip(part) {
                *a = a.checked_add(*b).context("a shard sum overflows")?;
            }
        }
    }
    let summaries = values
        .into_iter()
        .zip(&first.metrics)
        .map(|(v, name)| {
            Summary::try_from(v).map_err(|e| crate::Error::invalid(format!("metric `{name}`: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(match &first.head {
        Head::Simulate {
            output,
            crew_fatigue_exact,
        } => {
            let mut head = output.as_ref().clone();
            let exact = |text: &Option<String>, field: &str| -> Result<Option<f64>> {
                text.as_deref()
                    .map(|t| {
                        t.parse::<f64>().with_context(|| {
                            format!(
                                "{first_origin}: crew_fatigue_exact {field} {t:?} is not a number"
                            )
                        })
                    })
                    .transpose()
            };
            let fatigue = &mut head.crew_fatigue;
            if let Some(x) = exact(&crew_fatigue_exact[0], "alert_kss")? {
                fatigue.alert_kss = x;
            }
            fatigue.max_peak_kss = exact(&crew_fatigue_exact[1], "max_peak_kss")?;
            fatigue.mean_peak_kss = exact(&crew_fatigue_exact[2], "mean_peak_kss")?;
            Merged::Simulate(Box::new(twin::simulate_output(head, summaries)?))
        }
        Head::Scenario { output } => {
            Merged::Scenario(twin::scenario_output(output.clone(), summaries)?)
        }
        Head::Validate { basis } => {
            let counts = validation_counts(first_origin, &mut sums)?;
            let head = ValidationHead {
                basis: basis.clone(),
                counts,
            };
            Merged::Validate(Box::new(twin::validation_output(&head, summaries)?))
        }
        Head::ForecastSkill { output } => Merged::ForecastSkill(
            forecast_skill::forecast_skill_output(output.clone(), summaries)?,
        ),
        Head::Recover { .. } => {
            // Shard 0's head (its optimisation timings), and the replay time of all the shards.
            let mut seconds_replaying = 0.0;
            let mut first_head = None;
            for (_, shard) in by_index.values() {
                let Head::Recover { output } = &shard.head else {
                    bail!("shards of one fingerprint with different heads");
                };
                seconds_replaying += output.seconds_replaying()?;
                first_head.get_or_insert(output);
            }
            let head = first_head.expect("a merge has at least one shard");
            Merged::Recover(crate::recovery::shard::merge(
                head,
                &first.metrics,
                &summaries,
                seconds_replaying,
            )?)
        }
    })
}

/// The first input two shards differ in, by name.
fn differing_input(a: &Inputs, b: &Inputs) -> Option<&'static str> {
    if a == b {
        return None;
    }
    let fields: [(&str, bool); 11] = [
        ("seeds", a.seed != b.seed),
        ("replications", a.replications != b.replications),
        ("commands", a.command != b.command),
        ("data sets", a.data_set != b.data_set),
        ("scenarios", a.scenario != b.scenario),
        ("scenario texts", a.scenario_hash != b.scenario_hash),
        ("delay-model parameters", a.params != b.params),
        ("first days", a.from != b.from),
        ("last days", a.to != b.to),
        ("recover options", a.options != b.options),
        ("fingerprints", a.fingerprint != b.fingerprint),
    ];
    Some(
        fields
            .iter()
            .find(|(_, differs)| *differs)
            .map_or("fingerprints", |(name, _)| name),
    )
}

fn input_field(inputs: &Inputs, field: &str) -> String {
    match field {
        "seeds" => inputs.seed.to_string(),
        "replications" => inputs.replications.to_string(),
        "commands" => inputs.command.clone(),
        "data sets" => format!("{} {}", inputs.data_set.name, inputs.data_set.fingerprint),
        "scenarios" => format!("{:?}", inputs.scenario),
        "scenario texts" => format!("{:?}", inputs.scenario_hash),
        "delay-model parameters" => inputs.params.clone(),
        "first days" => inputs.from.clone(),
        "last days" => inputs.to.clone(),
        "recover options" => format!("{:?}", inputs.options),
        _ => inputs.fingerprint.clone(),
    }
}

/// Values as the shortest decimal text that reads back to the same `f64` (Rust's `Display` and
/// `parse` round-trip exactly; serde_json's number reader does not promise to).
mod exact_values {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[Vec<f64>], serializer: S) -> Result<S::Ok, S::Error> {
        let text: Vec<Vec<String>> = values
            .iter()
            .map(|m| m.iter().map(|x| x.to_string()).collect())
            .collect();
        text.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Vec<f64>>, D::Error> {
        let text = Vec::<Vec<String>>::deserialize(deserializer)?;
        text.iter()
            .enumerate()
            .map(|(metric, m)| {
                m.iter()
                    .enumerate()
                    .map(|(i, t)| {
                        t.parse::<f64>().map_err(|_| {
                            serde::de::Error::custom(format!(
                                "values[{metric}][{i}] = {t:?} is not a number"
                            ))
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values_round_trip_where_a_json_number_might_not() {
        let values = vec![vec![
            0.1 + 0.2,
            12.345678901234567,
            1.0e-310,
            f64::MAX,
            -0.0,
            1693.8,
        ]];
        #[derive(Serialize, Deserialize)]
        struct V(#[serde(with = "exact_values")] Vec<Vec<f64>>);
        let text = serde_json::to_string(&V(values.clone())).unwrap();
        let back: V = serde_json::from_str(&text).unwrap();
        let bits = |v: &[Vec<f64>]| v[0].iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.0), bits(&values));
    }

    #[test]
    fn a_file_that_is_not_a_shard_is_refused_by_name() {
        let error = ShardFile::from_json("x.json", r#"{"format":"other"}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("x.json: not a ucodts Monte Carlo shard"),
            "{error}"
        );
        let error = ShardFile::from_json(
            "y.json",
            r#"{"format":"ucodts-mc-shard","format_version":99}"#,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("format version Some(99)"),
            "{error}"
        );
    }
}
