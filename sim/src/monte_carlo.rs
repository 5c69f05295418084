//! Monte Carlo: many replications of one model in parallel, reduced to one summary per metric.
//!
//! Replications run on a local rayon pool, but their results are added on the calling thread in
//! replication order, so the report is the same bytes whatever the number of threads. Every metric keeps
//! each replication's value (8 bytes per metric and replication), so its quantiles are exact: a textbook
//! definition on the replications, not an estimate. Replications are run in chunks of
//! [`CHUNK_REPLICATIONS`], so a study never holds more than one chunk of whole replication results.
//!
//! A study can also run one [`Shard`] of its replications (a contiguous slice of the global replication
//! indices, so every replication draws the same streams as in the whole study): its summaries hold that
//! slice's values, and [`MonteCarloReport::from_summaries`] over the shards' summaries concatenated in
//! shard order is the whole study's report, to the last bit.

use crate::rng::{ReplicationStreams, RngStreams};
use crate::stats::{ConfidenceInterval, Summary};
use crate::SimError;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// How many replications are run in parallel before their values are added to the summaries. Does not
/// affect results, only peak memory.
pub const CHUNK_REPLICATIONS: u64 = 1024;

/// A Monte Carlo study: how many replications, from which master seed, on how many threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonteCarlo {
    master_seed: u64,
    replications: u64,
    threads: usize,
}

/// What a study reports: per metric, its distribution over replications and a 95% confidence interval of
/// its mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonteCarloReport {
    /// The master seed every stream was derived from.
    pub master_seed: u64,
    /// How many replications were run.
    pub replications: u64,
    /// One entry per metric, in the order the metrics were named.
    pub metrics: Vec<MetricReport>,
}

/// One metric over the replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricReport {
    /// The metric's name, as given to [`MonteCarlo::run`].
    pub name: String,
    /// Mean over replications (always within `min..=max`).
    pub mean: f64,
    /// Sample standard deviation over replications (`None` with one replication).
    pub std_dev: Option<f64>,
    /// 95% Student-t confidence interval of the mean (`None` with one replication).
    pub ci95: Option<ConfidenceInterval>,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile over the replications, exact: Hyndman & Fan type 7 (R's and numpy's default,
    /// see [`ucodts_stats::quantiles`]). Over 20 replications of a count, the `f64` nearest a multiple
    /// of 1/20.
    pub p05: f64,
    /// Median, type 7.
    pub p50: f64,
    /// 95th percentile, type 7.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
    /// Every replication's value in replication order, for merging shards; not printed.
    #[serde(skip)]
    pub summary: Summary,
}

impl MetricReport {
    /// Reads the report of metric `name` off its summary; `None` if the summary is empty.
    pub fn from_summary(name: &str, summary: Summary) -> Option<MetricReport> {
        let moments = summary.moments();
        let sorted = summary.sorted();
        Some(MetricReport {
            name: name.to_owned(),
            mean: moments.mean()?,
            std_dev: moments.std_dev(),
            ci95: summary.confidence_interval(0.95),
            min: moments.min()?,
            p05: sorted.percentile(5)?,
            p50: sorted.percentile(50)?,
            p95: sorted.percentile(95)?,
            max: moments.max()?,
            summary,
        })
    }
}

impl MonteCarloReport {
    /// The report of metrics `names` whose summaries hold every replication of a study in replication
    /// order (a whole study's, or its shards' merged in shard order): the same report, to the last bit,
    /// as the study run in one piece. An error if the names and summaries differ in number, if a summary
    /// is empty, or if the summaries differ in count.
    pub fn from_summaries(
        master_seed: u64,
        names: &[&str],
        summaries: Vec<Summary>,
    ) -> Result<MonteCarloReport, SimError> {
        if names.len() != summaries.len() {
            return Err(SimError::InvalidParameter {
                name: "summaries",
                value: format!("{} summaries for {} metrics", summaries.len(), names.len()),
                expected: "one summary per metric",
            });
        }
        let replications = summaries.first().map_or(0, Summary::count);
        if let Some((name, summary)) = names
            .iter()
            .zip(&summaries)
            .find(|(_, s)| s.count() != replications || s.count() == 0)
        {
            return Err(SimError::InvalidParameter {
                name: "summaries",
                value: format!(
                    "metric `{name}` has {} values, the first metric {replications}",
                    summary.count()
                ),
                expected: "the same number of values, at least one, for every metric",
            });
        }
        Ok(MonteCarloReport {
            master_seed,
            replications,
            metrics: names
                .iter()
                .zip(summaries)
                .map(|(name, summary)| {
                    MetricReport::from_summary(name, summary)
                        .expect("every summary was checked to hold at least one value")
                })
                .collect(),
        })
    }

    /// The report of the metric called `name`.
    pub fn metric(&self, name: &str) -> Option<&MetricReport> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

impl MonteCarlo {
    /// A study of `replications` replications from `master_seed`, on one thread until
    /// [`threads`](MonteCarlo::threads) says otherwise.
    pub fn new(master_seed: u64, replications: u64) -> MonteCarlo {
        MonteCarlo {
            master_seed,
            replications,
            threads: 1,
        }
    }

    /// The master seed every replication's streams come from.
    pub fn master_seed(&self) -> u64 {
        self.master_seed
    }

    /// Replications of the whole study.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// Runs replications on `threads` threads (0: one per core). The report does not depend on it.
    pub fn threads(mut self, threads: usize) -> MonteCarlo {
        self.threads = threads;
        self
    }

    /// Runs `replicate` once per replication and summarises the `N` metrics it returns, named by `metrics`.
    ///
    /// `replicate` gets the random streams of its replication and must draw every random number from them,
    /// so that the study is a pure function of the master seed.
    pub fn run<const N: usize, F>(
        &self,
        metrics: [&str; N],
        replicate: F,
    ) -> Result<MonteCarloReport, SimError>
    where
        F: Fn(ReplicationStreams) -> [f64; N] + Sync,
    {
        self.try_run(metrics, |streams| Ok::<_, Infallible>(replicate(streams)))
    }

    /// Like [`run`](MonteCarlo::run), for a model that can fail: the study stops with the error of the
    /// first failing replication in replication order.
    pub fn try_run<const N: usize, F, E>(
        &self,
        metrics: [&str; N],
        replicate: F,
    ) -> Result<MonteCarloReport, SimError>
    where
        F: Fn(ReplicationStreams) -> Result<[f64; N], E> + Sync,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + Send,
    {
        let summaries = self.try_run_shard(Shard::WHOLE, metrics, replicate)?;
        MonteCarloReport::from_summaries(self.master_seed, &metrics, summaries.into())
    }

    /// Runs only the replications of `shard` (global indices, so each draws the streams it draws in the
    /// whole study) and returns each metric's values over them, in replication order. Empty summaries
    /// when the shard holds no replication (more shards than replications).
    pub fn try_run_shard<const N: usize, F, E>(
        &self,
        shard: Shard,
        metrics: [&str; N],
        replicate: F,
    ) -> Result<[Summary; N], SimError>
    where
        F: Fn(ReplicationStreams) -> Result<[f64; N], E> + Sync,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + Send,
    {
        if self.replications == 0 {
            return Err(SimError::InvalidParameter {
                name: "replications",
                value: "0".into(),
                expected: "at least 1",
            });
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|error| SimError::ThreadPool {
                threads: self.threads,
                message: error.to_string(),
            })?;
        let streams = RngStreams::new(self.master_seed);
        let mut summaries: [Summary; N] = std::array::from_fn(|_| Summary::new());
        let Range { start, end: last } = shard.replications(self.replications);
        let mut first = start;
        while first < last {
            let end = (first + CHUNK_REPLICATIONS).min(last);
            // `collect` keeps replication order whichever thread ran which replication.
            let chunk: Vec<Result<[f64; N], E>> = pool.install(|| {
                (first..end)
                    .into_par_iter()
                    .map(|index| replicate(streams.replication(index)))
                    .collect()
            });
            for (index, outcome) in (first..end).zip(chunk) {
                let values = outcome.map_err(|error| SimError::Replication {
                    index,
                    source: error.into(),
                })?;
                for ((summary, value), name) in summaries.iter_mut().zip(values).zip(metrics) {
                    if !value.is_finite() {
                        return Err(SimError::NonFiniteMetric {
                            replication: index,
                            metric: name.to_owned(),
                            value,
                        });
                    }
                    summary.add(value);
                }
            }
            first = end;
        }
        Ok(summaries)
    }
}

/// One slice of a Monte Carlo study's replications: shard `index` of `count` (written `I/N`, 0-based)
/// holds the contiguous replications `R·I/N .. R·(I+1)/N` of a study of `R`, so the shards in index order
/// are the replications in order, whatever `N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// The whole study as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`; an error unless `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, SimError> {
        if count == 0 || index >= count {
            return Err(SimError::InvalidParameter {
                name: "shard",
                value: format!("{index}/{count}"),
                expected: "I/N with N at least 1 and I from 0 to N-1",
            });
        }
        Ok(Shard { index, count })
    }

    /// Which shard, from 0.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Of how many.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The global replication indices this shard runs in a study of `total` replications.
    pub fn replications(&self, total: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(total) * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = SimError;

    /// `I/N`, e.g. `0/4` for the first of four shards.
    fn from_str(text: &str) -> Result<Shard, SimError> {
        let invalid = || SimError::InvalidParameter {
            name: "shard",
            value: text.to_owned(),
            expected: "I/N with N at least 1 and I from 0 to N-1, e.g. 0/4",
        };
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index = index.trim().parse().map_err(|_| invalid())?;
        let count = count.trim().parse().map_err(|_| invalid())?;
        Shard::new(index, count).map_err(|_| invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;
    use proptest::strategy::Strategy;
    use rand::Rng;
    use rand_distr::{Distribution, Exp};

    const DRAW: Purpose = Purpose::named("test_draw");

    /// The mean of 20 exponential draws (true mean 10) and the largest of them.
    fn exponential_sample(streams: ReplicationStreams) -> [f64; 2] {
        let mut rng = streams.stream(0, DRAW);
        let exp = Exp::new(0.1).unwrap();
        let draws: Vec<f64> = (0..20).map(|_| exp.sample(&mut rng)).collect();
        [
            draws.iter().sum::<f64>() / 20.0,
            draws.iter().cloned().fold(0.0, f64::max),
        ]
    }

    #[test]
    fn monte_carlo_statistics_are_identical_with_1_and_2_threads() {
        // 2,500 replications: more than two chunks, so chunk boundaries are crossed too.
        let report = |threads| {
            let study = MonteCarlo::new(7, 2500).threads(threads);
            let report = study
                .run(["mean", "max"], exponential_sample)
                .expect("the study runs");
            (serde_json::to_string(&report).unwrap(), report)
        };
        let (one_json, one) = report(1);
        let (two_json, two) = report(2);
        assert_eq!(one_json, two_json);
        assert_eq!(one, two, "the mergeable summaries are identical too");
    }

    #[test]
    fn shards_merged_in_order_give_the_whole_report_to_the_last_bit() {
        let study = MonteCarlo::new(7, 2100).threads(2);
        let whole = study.run(["mean", "max"], exponential_sample).unwrap();
        for count in [1u64, 2, 3, 7, 2100, 2500] {
            let mut merged = [Summary::new(), Summary::new()];
            for index in 0..count {
                let part = study
                    .try_run_shard(Shard::new(index, count).unwrap(), ["mean", "max"], |s| {
                        Ok::<_, Infallible>(exponential_sample(s))
                    })
                    .unwrap();
                for (m, p) in merged.iter_mut().zip(&part) {
                    m.merge(p);
                }
            }
            let report =
                MonteCarloReport::from_summaries(7, &["mean", "max"], merged.into()).unwrap();
            assert_eq!(report, whole, "{count} shards");
            assert_eq!(
                serde_json::to_string(&report).unwrap(),
                serde_json::to_string(&whole).unwrap()
            );
        }
    }

    #[test]
    fn shards_cover_every_replication_once_in_order() {
        for (total, count) in [(10u64, 3u64), (2, 7), (2000, 4), (1, 1)] {
            let ranges: Vec<_> = (0..count)
                .map(|i| Shard::new(i, count).unwrap().replications(total))
                .collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, total);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!("2/7".parse::<Shard>().unwrap(), Shard::new(2, 7).unwrap());
        for bad in ["7/7", "1/0", "x/2", "3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn same_seed_gives_identical_results_and_another_seed_does_not() {
        let run = |seed| MonteCarlo::new(seed, 50).run(["mean", "max"], exponential_sample);
        assert_eq!(run(3).unwrap(), run(3).unwrap());
        assert_ne!(
            run(3).unwrap().metrics[0].mean,
            run(4).unwrap().metrics[0].mean
        );
    }

    #[test]
    fn confidence_interval_of_a_known_distribution_covers_its_mean() {
        // One study: its interval covers the true mean of 10.
        let report = MonteCarlo::new(11, 400)
            .run(["mean", "max"], exponential_sample)
            .unwrap();
        let ci = report.metric("mean").unwrap().ci95.unwrap();
        assert!(ci.lower < 10.0 && 10.0 < ci.upper, "{ci:?}");

        // Calibration: over 300 independent studies of 30 replications, the 95% interval covers the true
        // mean about 95% of the time (binomial 3-sigma band: 0.91..0.99).
        let covered = (0..300u64)
            .filter(|&seed| {
                let report = MonteCarlo::new(1000 + seed, 30)
                    .run(["x"], |streams| {
                        let mut rng = streams.stream(0, DRAW);
                        [rng.gen_range(0.0..1.0)]
                    })
                    .unwrap();
                let ci = report.metrics[0].ci95.unwrap();
                ci.lower < 0.5 && 0.5 < ci.upper
            })
            .count();
        let rate = covered as f64 / 300.0;
        assert!((0.91..=0.99).contains(&rate), "coverage {rate}");
    }

    #[test]
    fn quantiles_of_a_count_over_20_replications_are_multiples_of_a_twentieth() {
        // `simulate --reps 20` once printed flown_legs mean 1693.8 with p05 = p95 = 1692 (a sketch's
        // bucket); over the replications themselves the type 7 quantiles lie between order statistics.
        let report = MonteCarlo::new(5, 20)
            .threads(2)
            .run(["flown_legs"], |streams| {
                let mut rng = streams.stream(0, DRAW);
                [1690.0 + rng.gen_range(0..9) as f64]
            })
            .unwrap();
        let legs = &report.metrics[0];
        let values = legs.summary.values();
        assert_eq!(values.len(), 20);
        for (q, p) in [(0.05, legs.p05), (0.5, legs.p50), (0.95, legs.p95)] {
            let textbook = ucodts_stats::quantile(values, q).unwrap();
            assert!((p - textbook).abs() < 1e-9, "q {q}: {p} vs {textbook}");
            assert_eq!(
                p,
                (p * 20.0).round() / 20.0,
                "q {q}: a twentieth to the last bit"
            );
        }
        assert!(legs.min <= legs.p05 && legs.p95 <= legs.max, "{legs:?}");
        assert!(legs.p05 < legs.p95, "nine different counts: {values:?}");
    }

    #[test]
    fn the_report_keeps_every_replication_in_replication_order() {
        let report = MonteCarlo::new(1, 2100)
            .threads(2)
            .run(["index"], |streams| [streams.index() as f64])
            .unwrap();
        let values = report.metrics[0].summary.values();
        assert!(values.iter().enumerate().all(|(i, &x)| x == i as f64));
    }

    proptest::proptest! {
        /// Whatever the replications return (spread, integer counts, all equal, a single replication),
        /// min <= p05 <= p50 <= p95 <= max and min <= mean <= max, and the quantiles are type 7 on the
        /// values, on 1 and 3 threads alike.
        #[test]
        fn reported_statistics_are_ordered_and_exact(
            values in proptest::prop_oneof![
                proptest::collection::vec(-1e6f64..1e6, 1..80),
                proptest::collection::vec((0u32..30).prop_map(f64::from), 1..80),
                (-1e6f64..1e6, 1usize..80).prop_map(|(x, n)| vec![x; n]),
            ],
        ) {
            let study = |threads| {
                MonteCarlo::new(9, values.len() as u64)
                    .threads(threads)
                    .run(["x"], |streams| [values[streams.index() as usize]])
                    .unwrap()
            };
            let report = study(1);
            proptest::prop_assert_eq!(&report, &study(3));
            let m = &report.metrics[0];
            proptest::prop_assert!(m.min <= m.p05 && m.p05 <= m.p50 && m.p50 <= m.p95 && m.p95 <= m.max,
                "{:?}", m);
            proptest::prop_assert!(m.min <= m.mean && m.mean <= m.max, "{:?}", m);
            let sorted = ucodts_stats::SortedSample::new(values.clone());
            for (percent, p) in [(5, m.p05), (50, m.p50), (95, m.p95)] {
                proptest::prop_assert_eq!(Some(p), sorted.percentile(percent));
                let textbook = ucodts_stats::quantile(&values, f64::from(percent) / 100.0).unwrap();
                proptest::prop_assert!((p - textbook).abs() <= 1e-9 * textbook.abs().max(1.0));
            }
        }
    }

    #[test]
    fn the_first_failing_replication_in_order_is_reported() {
        let study = MonteCarlo::new(1, 100).threads(2);
        let error = study
            .try_run(["x"], |streams| {
                if streams.index() % 40 == 39 {
                    Err(format!("replication {} broke", streams.index()))
                } else {
                    Ok([1.0])
                }
            })
            .unwrap_err();
        assert!(
            matches!(error, SimError::Replication { index: 39, .. }),
            "{error}"
        );
    }

    #[test]
    fn a_nan_metric_is_an_error_naming_replication_and_metric() {
        let error = MonteCarlo::new(1, 3)
            .run(["otp"], |streams| {
                [if streams.index() == 2 { f64::NAN } else { 0.9 }]
            })
            .unwrap_err();
        assert!(
            matches!(error, SimError::NonFiniteMetric { replication: 2, ref metric, .. } if metric == "otp")
        );
    }
}
