//! Disruption scenarios: the TOML file a planner writes to ask "what if", its validation against a
//! [`Schedule`], and a [`library`] of named scenarios on the embedded default data set.
//!
//! Parsing is validation: [`ScenarioFile::parse`] checks the syntax and the fields (unknown fields are
//! errors), and [`ScenarioFile::validate`] checks the file against a schedule — airports, tails and crew
//! exist, every window runs forwards, and no two disruptions contradict each other — and returns a
//! [`Scenario`] of [`Disruption`]s with every time in UTC. Every error names the file, the line and the field.
//! The format is documented in `docs/scenario-format.md`.
//!
//! The twin (`ucodts-actors`) injects the disruptions; `ucodts simulate --scenario` compares the disrupted
//! days with the undisrupted baseline under common random numbers. This crate stays free of the
//! simulator: it only says *what* goes wrong and *when*.
//!
//! ```
//! use ucodts_model::*;
//! use ucodts_scenarios::ScenarioFile;
//!
//! let ny = TimeZone::from_iana("America/New_York").unwrap();
//! let schedule = Schedule::new(ScheduleParts {
//!     airports: vec![Airport {
//!         code: AirportCode::new("EWR").unwrap(),
//!         icao: None,
//!         name: "Newark Liberty Intl".into(),
//!         latitude_deg: 40.7,
//!         longitude_deg: -74.2,
//!         time_zone: ny,
//!     }],
//!     ..ScheduleParts::default()
//! })
//! .unwrap();
//! let text = r#"
//! name = "ewr-thunderstorms"
//! description = "Afternoon thunderstorms at Newark"
//! from = "2013-07-02"
//! to = "2013-07-02"
//!
//! [[disruption]]
//! kind = "airport_capacity"
//! airport = "EWR"
//! from = "2013-07-02T14:00"   # local time at EWR
//! to = "2013-07-02T18:00"
//! arrivals_per_hour = 20
//! "#;
//! let scenario = ScenarioFile::parse("ewr.toml", text).unwrap().validate(&schedule).unwrap();
//! assert_eq!(scenario.disruptions[0].window().0.to_string(), "2013-07-02T18:00Z");
//!
//! let bad = text.replace("\"EWR\"", "\"XXX\"");
//! let error = ScenarioFile::parse("ewr.toml", &bad).unwrap().validate(&schedule).unwrap_err();
//! assert!(error.to_string().starts_with("ewr.toml:9: field `airport`"));
//! ```

mod library;

pub use library::{find, library, LibraryScenario};

use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;
use ucodts_model::{
    AircraftOnGround, AirportCapacity, AirportClosure, AirportCode, BlockTimeInflation, CrewId,
    CrewSickCall, Curfew, Date, Disruption, GroundDelayProgramme, Minutes, Route, RouteDelay,
    Routes, Schedule, TailId, TimeZone, UtcMinute, WeatherReplay,
};

/// Limits on inputs, so that a scenario file cannot ask the twin for absurd work.
pub const MAX_DISRUPTIONS: usize = 1_000;
pub const MAX_REPLICATIONS: u32 = 100_000;
/// A window longer than this is almost surely a typo in a date.
pub const MAX_WINDOW_DAYS: i64 = 31;
/// The longest extra delay of a route (`extra_min`) or programme cap (`max_delay_min`): a day.
pub const MAX_DELAY_MIN: i64 = 24 * 60;
/// The widest uncertainty of an AOG's return (`return_uncertainty_min`): three days.
pub const MAX_UNCERTAINTY_MIN: i64 = 3 * 24 * 60;
/// The highest airport rate a scenario may give (`arrivals_per_hour`, `departures_per_hour`); the busiest
/// airports handle about 150 movements an hour.
pub const MAX_MOVEMENTS_PER_HOUR: u32 = 1_000;

/// A scenario file that is wrong, located: `file:line: field `name`: problem`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: field `{field}`: {problem}")]
pub struct ScenarioError {
    pub file: String,
    /// 1-based line of the offending value (or of the table, for a missing field).
    pub line: usize,
    pub field: String,
    pub problem: String,
}

/// Which data set a scenario runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSet {
    /// The embedded default (two weeks of New York departures in 2013, with generated crew).
    Embedded,
    /// A native data set folder, as written in the file (relative paths are the caller's to resolve).
    Path(String),
}

/// A validated scenario: every disruption refers to things that exist, all times in UTC.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub data: DataSet,
    /// The operating days simulated, inclusive.
    pub from: Date,
    pub to: Date,
    pub replications: u32,
    pub seed: u64,
    pub disruptions: Vec<Disruption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    data: Option<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<String>,
    replications: Option<Spanned<u32>>,
    seed: Option<u64>,
    #[serde(default)]
    disruption: Vec<Spanned<RawDisruption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisruption {
    kind: Spanned<String>,
    airport: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    arrivals_per_hour: Option<Spanned<u32>>,
    departures_per_hour: Option<Spanned<u32>>,
    max_delay_min: Option<Spanned<i64>>,
    tail: Option<Spanned<String>>,
    expected_return: Option<Spanned<String>>,
    return_uncertainty_min: Option<Spanned<i64>>,
    crew: Option<Spanned<String>>,
    base: Option<Spanned<String>>,
    share: Option<Spanned<f64>>,
    at: Option<Spanned<String>>,
    routes: Option<Spanned<Vec<String>>>,
    extra_min: Option<Spanned<i64>>,
    percent: Option<Spanned<f64>>,
    source_date: Option<Spanned<String>>,
    target_date: Option<Spanned<String>>,
}

/// The kinds a file may name, with the fields each takes (besides `kind`).
const KINDS: &[(&str, &[&str])] = &[
    (
        "airport_capacity",
        &[
            "airport",
            "from",
            "to",
            "arrivals_per_hour",
            "departures_per_hour",
        ],
    ),
    (
        "ground_delay_programme",
        &[
            "airport",
            "from",
            "to",
            "arrivals_per_hour",
            "max_delay_min",
        ],
    ),
    ("airport_closure", &["airport", "from", "to"]),
    ("curfew", &["airport", "from", "to"]),
    (
        "aircraft_on_ground",
        &["tail", "from", "expected_return", "return_uncertainty_min"],
    ),
    ("crew_sick_call", &["crew", "base", "share", "at"]),
    ("route_delay", &["routes", "from", "to", "extra_min"]),
    ("block_time_inflation", &["routes", "from", "to", "percent"]),
    ("weather_replay", &["source_date", "target_date"]),
];

impl RawDisruption {
    /// The fields present in the file, with their spans, for checking them against the kind.
    fn present(&self) -> Vec<(&'static str, Range<usize>)> {
        fn s<T>(v: &Option<Spanned<T>>) -> Option<Range<usize>> {
            v.as_ref().map(|v| v.span())
        }
        [
            ("airport", s(&self.airport)),
            ("from", s(&self.from)),
            ("to", s(&self.to)),
            ("arrivals_per_hour", s(&self.arrivals_per_hour)),
            ("departures_per_hour", s(&self.departures_per_hour)),
            ("max_delay_min", s(&self.max_delay_min)),
            ("tail", s(&self.tail)),
            ("expected_return", s(&self.expected_return)),
            ("return_uncertainty_min", s(&self.return_uncertainty_min)),
            ("crew", s(&self.crew)),
            ("base", s(&self.base)),
            ("share", s(&self.share)),
            ("at", s(&self.at)),
            ("routes", s(&self.routes)),
            ("extra_min", s(&self.extra_min)),
            ("percent", s(&self.percent)),
            ("source_date", s(&self.source_date)),
            ("target_date", s(&self.target_date)),
        ]
        .into_iter()
        .filter_map(|(name, span)| span.map(|span| (name, span)))
        .collect()
    }
}

/// A scenario file whose syntax and fields are right, not yet checked against a schedule.
pub struct ScenarioFile {
    file: String,
    text: String,
    raw: RawScenario,
}

impl ScenarioFile {
    /// Reads the TOML text of `file` (the name used in errors). Unknown fields, wrong types and missing
    /// required fields are errors here.
    pub fn parse(file: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |span| line_of(text, span.start));
            let message = e.message().trim().to_string();
            ScenarioError {
                file: file.to_string(),
                line,
                field: field_in_message(&message)
                    .or_else(|| e.span().and_then(|span| key_before(text, span.start)))
                    .unwrap_or_else(|| "(the file)".to_string()),
                problem: message,
            }
        })?;
        Ok(ScenarioFile {
            file: file.to_string(),
            text: text.to_string(),
            raw,
        })
    }

    pub fn name(&self) -> &str {
        self.raw.name.get_ref()
    }

    pub fn description(&self) -> &str {
        &self.raw.description
    }

    /// The kinds of the disruptions, in file order.
    pub fn kinds(&self) -> Vec<&str> {
        self.raw
            .disruption
            .iter()
            .map(|d| d.get_ref().kind.get_ref().as_str())
            .collect()
    }

    /// The data set the file names; `"embedded"` or no `data` field is the embedded default.
    pub fn data(&self) -> DataSet {
        match &self.raw.data {
            None => DataSet::Embedded,
            Some(d) if d.get_ref() == "embedded" => DataSet::Embedded,
            Some(d) => DataSet::Path(d.get_ref().clone()),
        }
    }

    fn error(&self, span: Range<usize>, field: &str, problem: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: self.file.clone(),
            line: line_of(&self.text, span.start),
            field: field.to_string(),
            problem: problem.into(),
        }
    }

    /// Checks the file against `schedule` and returns the scenario with every time in UTC.
    pub fn validate(&self, schedule: &Schedule) -> Result<Scenario, ScenarioError> {
        let raw = &self.raw;
        if raw.name.get_ref().trim().is_empty() {
            return Err(self.error(raw.name.span(), "name", "must not be empty"));
        }
        let from = self.date(&raw.from, "from")?;
        let to = self.date(&raw.to, "to")?;
        if to < from {
            return Err(self.error(
                raw.to.span(),
                "to",
                format!("the window ends ({to}) before it starts ({from})"),
            ));
        }
        if to.days_since_epoch() - from.days_since_epoch() >= MAX_WINDOW_DAYS {
            return Err(self.error(
                raw.to.span(),
                "to",
                format!("the window is longer than {MAX_WINDOW_DAYS} days"),
            ));
        }
        let replications = match &raw.replications {
            None => 100,
            Some(r) if (1..=MAX_REPLICATIONS).contains(r.get_ref()) => *r.get_ref(),
            Some(r) => {
                return Err(self.error(
                    r.span(),
                    "replications",
                    format!("must be 1..={MAX_REPLICATIONS}"),
                ))
            }
        };
        if raw.disruption.len() > MAX_DISRUPTIONS {
            let span = raw.disruption[MAX_DISRUPTIONS].span();
            return Err(self.error(
                span,
                "disruption",
                format!("more than {MAX_DISRUPTIONS} disruptions"),
            ));
        }
        let mut disruptions = Vec::with_capacity(raw.disruption.len());
        for d in &raw.disruption {
            let disruption = self.disruption(d, schedule)?;
            self.check_within_days(from, to, d, &disruption)?;
            self.check_no_contradiction(&disruptions, &raw.disruption, d, &disruption)?;
            disruptions.push(disruption);
        }
        Ok(Scenario {
            name: raw.name.get_ref().clone(),
            description: raw.description.clone(),
            data: self.data(),
            from,
            to,
            replications,
            seed: raw.seed.unwrap_or(1),
            disruptions,
        })
    }

    fn date(&self, value: &Spanned<String>, field: &str) -> Result<Date, ScenarioError> {
        let date = Date::parse(value.get_ref()).ok_or_else(|| {
            self.error(
                value.span(),
                field,
                format!("`{}` is not a date YYYY-MM-DD", value.get_ref()),
            )
        })?;
        // The day's first and last minutes (and their local-time neighbours) must be instants a data set
        // can hold.
        let first = UtcMinute::from_date_minute(date, 0);
        let last = UtcMinute::from_date_minute(date, 24 * 60 - 1);
        if !first.is_in_range() || !last.is_in_range() {
            return Err(self.error(
                value.span(),
                field,
                format!(
                    "`{}` is out of range: a day of {}",
                    value.get_ref(),
                    UtcMinute::RANGE
                ),
            ));
        }
        Ok(date)
    }

    fn disruption(
        &self,
        d: &Spanned<RawDisruption>,
        schedule: &Schedule,
    ) -> Result<Disruption, ScenarioError> {
        let table = d.span();
        let d = d.get_ref();
        let kind = d.kind.get_ref().as_str();
        let Some((_, allowed)) = KINDS.iter().find(|(k, _)| *k == kind) else {
            let names: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
            return Err(self.error(
                d.kind.span(),
                "kind",
                format!(
                    "unknown kind `{kind}`, expected one of {}",
                    names.join(", ")
                ),
            ));
        };
        for (field, span) in d.present() {
            if !allowed.contains(&field) {
                return Err(self.error(
                    span,
                    field,
                    format!(
                        "does not apply to `{kind}`, which takes {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        fn need<'a, T>(
            file: &ScenarioFile,
            table: &Range<usize>,
            v: &'a Option<Spanned<T>>,
            field: &str,
            kind: &str,
        ) -> Result<&'a Spanned<T>, ScenarioError> {
            v.as_ref().ok_or_else(|| {
                file.error(table.clone(), field, format!("missing, `{kind}` needs it"))
            })
        }
        let airport = |field: &Option<Spanned<String>>, name: &str| {
            let value = need(self, &table, field, name, kind)?;
            self.airport(value, name, schedule)
        };
        let zone = |code: AirportCode| schedule.airport(code).map(|a| a.time_zone);
        let window = |zone: Option<TimeZone>| -> Result<(UtcMinute, UtcMinute), ScenarioError> {
            let from_field = need(self, &table, &d.from, "from", kind)?;
            let to_field = need(self, &table, &d.to, "to", kind)?;
            let from = self.time(from_field, "from", zone)?;
            let to = self.time(to_field, "to", zone)?;
            self.forwards(from, to, to_field, "to")?;
            Ok((from, to))
        };
        // Every span is bounded, so that no clock of the twin can overflow on what a scenario says.
        let non_negative = |v: &Spanned<i64>, field: &str| {
            let max = if field == "return_uncertainty_min" {
                MAX_UNCERTAINTY_MIN
            } else {
                MAX_DELAY_MIN
            };
            if (0..=max).contains(v.get_ref()) {
                Ok(Minutes(*v.get_ref()))
            } else {
                Err(self.error(
                    v.span(),
                    field,
                    format!("{} is outside 0..={max} minutes", v.get_ref()),
                ))
            }
        };
        let rate = |v: &Spanned<u32>, field: &str| {
            if *v.get_ref() <= MAX_MOVEMENTS_PER_HOUR {
                Ok(*v.get_ref())
            } else {
                Err(self.error(
                    v.span(),
                    field,
                    format!(
                        "{} is outside 0..={MAX_MOVEMENTS_PER_HOUR} an hour",
                        v.get_ref()
                    ),
                ))
            }
        };
        Ok(match kind {
            "airport_capacity" => {
                let code = airport(&d.airport, "airport")?;
                let (from, to) = window(zone(code))?;
                if d.arrivals_per_hour.is_none() && d.departures_per_hour.is_none() {
                    return Err(self.error(
                        table,
                        "arrivals_per_hour",
                        "give arrivals_per_hour, departures_per_hour or both",
                    ));
                }
                Disruption::AirportCapacity(AirportCapacity {
                    airport: code,
                    from,
                    to,
                    arrivals_per_hour: d
                        .arrivals_per_hour
                        .as_ref()
                        .map(|v| rate(v, "arrivals_per_hour"))
                        .transpose()?,
                    departures_per_hour: d
                        .departures_per_hour
                        .as_ref()
                        .map(|v| rate(v, "departures_per_hour"))
                        .transpose()?,
                })
            }
            "ground_delay_programme" => {
                let code = airport(&d.airport, "airport")?;
                let (from, to) = window(zone(code))?;
                let rate_of = rate;
                let rate = need(
                    self,
                    &table,
                    &d.arrivals_per_hour,
                    "arrivals_per_hour",
                    kind,
                )?;
                if *rate.get_ref() == 0 {
                    return Err(self.error(
                        rate.span(),
                        "arrivals_per_hour",
                        "a programme with no arrivals is a closure: use kind = \"airport_closure\"",
                    ));
                }
                let max_delay = match &d.max_delay_min {
                    Some(v) => Some(non_negative(v, "max_delay_min")?),
                    None => None,
                };
                Disruption::GroundDelayProgramme(GroundDelayProgramme {
                    airport: code,
                    from,
                    to,
                    arrivals_per_hour: rate_of(rate, "arrivals_per_hour")?,
                    max_delay,
                })
            }
            "airport_closure" | "curfew" => {
                let code = airport(&d.airport, "airport")?;
                let (from, to) = window(zone(code))?;
                if kind == "curfew" {
                    Disruption::Curfew(Curfew {
                        airport: code,
                        from,
                        to,
                    })
                } else {
                    Disruption::AirportClosure(AirportClosure {
                        airport: code,
                        from,
                        to,
                    })
                }
            }
            "aircraft_on_ground" => {
                let tail = need(self, &table, &d.tail, "tail", kind)?;
                let id = TailId::new(tail.get_ref().clone());
                if schedule.tail(&id).is_none() {
                    return Err(self.error(
                        tail.span(),
                        "tail",
                        format!("no aircraft `{}` in the data set", tail.get_ref()),
                    ));
                }
                let from = self.time(need(self, &table, &d.from, "from", kind)?, "from", None)?;
                let back = need(self, &table, &d.expected_return, "expected_return", kind)?;
                let expected_return = self.time(back, "expected_return", None)?;
                self.forwards(from, expected_return, back, "expected_return")?;
                let return_uncertainty = match &d.return_uncertainty_min {
                    Some(v) => non_negative(v, "return_uncertainty_min")?,
                    None => Minutes(0),
                };
                Disruption::AircraftOnGround(AircraftOnGround {
                    tail: id,
                    from,
                    expected_return,
                    return_uncertainty,
                })
            }
            "crew_sick_call" => {
                let at_field = need(self, &table, &d.at, "at", kind)?;
                match (&d.crew, &d.base, &d.share) {
                    (Some(crew), None, None) => {
                        let id = CrewId::new(crew.get_ref().clone());
                        let Some(member) = schedule.crew_member(&id) else {
                            return Err(self.error(
                                crew.span(),
                                "crew",
                                format!("no crew member `{}` in the data set", crew.get_ref()),
                            ));
                        };
                        let at = self.time(at_field, "at", zone(member.base))?;
                        Disruption::CrewSickCall(CrewSickCall {
                            crew: Some(id),
                            base_share: None,
                            at,
                        })
                    }
                    (None, Some(base), Some(share)) => {
                        let code = self.airport(base, "base", schedule)?;
                        if !schedule.crew().iter().any(|c| c.base == code) {
                            return Err(self.error(
                                base.span(),
                                "base",
                                format!("no crew are based at {code}"),
                            ));
                        }
                        let s = *share.get_ref();
                        if !(s > 0.0 && s <= 1.0) {
                            return Err(self.error(
                                share.span(),
                                "share",
                                format!("{s} is not a share in (0, 1]"),
                            ));
                        }
                        let at = self.time(at_field, "at", zone(code))?;
                        Disruption::CrewSickCall(CrewSickCall {
                            crew: None,
                            base_share: Some((code, s)),
                            at,
                        })
                    }
                    _ => {
                        return Err(self.error(
                            table,
                            "crew",
                            "give either `crew` or both `base` and `share`",
                        ))
                    }
                }
            }
            "route_delay" | "block_time_inflation" => {
                let routes =
                    self.routes(need(self, &table, &d.routes, "routes", kind)?, schedule)?;
                let (from, to) = window(None)?;
                if kind == "route_delay" {
                    let extra = need(self, &table, &d.extra_min, "extra_min", kind)?;
                    Disruption::RouteDelay(RouteDelay {
                        routes,
                        from,
                        to,
                        extra: non_negative(extra, "extra_min")?,
                    })
                } else {
                    let percent = need(self, &table, &d.percent, "percent", kind)?;
                    let p = *percent.get_ref();
                    if !(p > -50.0 && p <= 200.0) {
                        return Err(self.error(
                            percent.span(),
                            "percent",
                            format!("{p} % is outside (-50, 200]"),
                        ));
                    }
                    Disruption::BlockTimeInflation(BlockTimeInflation {
                        routes,
                        from,
                        to,
                        percent: p,
                    })
                }
            }
            "weather_replay" => {
                let source = need(self, &table, &d.source_date, "source_date", kind)?;
                let target = need(self, &table, &d.target_date, "target_date", kind)?;
                let source_date = self.date(source, "source_date")?;
                let target_date = self.date(target, "target_date")?;
                let recorded = schedule
                    .weather()
                    .iter()
                    .any(|w| w.time.date_minute().0 == source_date);
                if !recorded {
                    return Err(self.error(
                        source.span(),
                        "source_date",
                        format!("the data set has no weather recorded on {source_date}"),
                    ));
                }
                Disruption::WeatherReplay(WeatherReplay {
                    source_date,
                    target_date,
                })
            }
            _ => unreachable!("every kind in KINDS is matched above"),
        })
    }

    fn airport(
        &self,
        value: &Spanned<String>,
        field: &str,
        schedule: &Schedule,
    ) -> Result<AirportCode, ScenarioError> {
        AirportCode::new(value.get_ref())
            .filter(|code| schedule.airport(*code).is_some())
            .ok_or_else(|| {
                self.error(
                    value.span(),
                    field,
                    format!("no airport `{}` in the data set", value.get_ref()),
                )
            })
    }

    /// `YYYY-MM-DDTHH:MMZ` is UTC; without the `Z` it is local time at the disruption's airport.
    fn time(
        &self,
        value: &Spanned<String>,
        field: &str,
        zone: Option<TimeZone>,
    ) -> Result<UtcMinute, ScenarioError> {
        let text = value.get_ref();
        if let Some(t) = UtcMinute::parse(text) {
            return Ok(t);
        }
        let local = UtcMinute::parse(&format!("{text}Z"));
        match (local, zone) {
            (Some(t), Some(zone)) => {
                let (date, minute) = t.date_minute();
                Ok(zone.to_utc(date, minute).earliest())
            }
            (Some(_), None) => Err(self.error(
                value.span(),
                field,
                format!("`{text}` is local time but this disruption has no airport: end it with Z (UTC)"),
            )),
            (None, _) => Err(self.error(
                value.span(),
                field,
                format!("`{text}` is not a time YYYY-MM-DDTHH:MM (local) or YYYY-MM-DDTHH:MMZ (UTC)"),
            )),
        }
    }

    fn forwards(
        &self,
        from: UtcMinute,
        to: UtcMinute,
        to_field: &Spanned<String>,
        field: &str,
    ) -> Result<(), ScenarioError> {
        if to <= from {
            return Err(self.error(
                to_field.span(),
                field,
                format!("the window ends ({to}) at or before it starts ({from})"),
            ));
        }
        if (to - from).0 > MAX_WINDOW_DAYS * 24 * 60 {
            return Err(self.error(
                to_field.span(),
                field,
                format!("the window is longer than {MAX_WINDOW_DAYS} days"),
            ));
        }
        Ok(())
    }

    /// `["all"]` or city pairs `"JFK-BOS"` (one direction each).
    fn routes(
        &self,
        value: &Spanned<Vec<String>>,
        schedule: &Schedule,
    ) -> Result<Routes, ScenarioError> {
        let list = value.get_ref();
        if list.len() == 1 && list[0] == "all" {
            return Ok(Routes::All);
        }
        if list.is_empty() {
            return Err(self.error(
                value.span(),
                "routes",
                "give [\"all\"] or city pairs like \"JFK-BOS\"",
            ));
        }
        let mut routes = Vec::with_capacity(list.len());
        for pair in list {
            let ends: Vec<&str> = pair.split('-').collect();
            let code =
                |text: &str| AirportCode::new(text).filter(|c| schedule.airport(*c).is_some());
            match ends.as_slice() {
                [o, d] => match (code(o), code(d)) {
                    (Some(origin), Some(destination)) => routes.push(Route {
                        origin,
                        destination,
                    }),
                    _ => {
                        return Err(self.error(
                            value.span(),
                            "routes",
                            format!("`{pair}` names an airport not in the data set"),
                        ))
                    }
                },
                _ => {
                    return Err(self.error(
                        value.span(),
                        "routes",
                        format!("`{pair}` is not a city pair like \"JFK-BOS\" (or \"all\" alone)"),
                    ))
                }
            }
        }
        Ok(Routes::Only(routes))
    }

    /// A disruption that never touches the simulated days is almost surely a mistyped date. The days are
    /// local, so the UTC range is widened by a day on each side to admit every time zone.
    fn check_within_days(
        &self,
        from: Date,
        to: Date,
        raw: &Spanned<RawDisruption>,
        disruption: &Disruption,
    ) -> Result<(), ScenarioError> {
        let days_from = UtcMinute::from_date_minute(from.add_days(-1), 0);
        let days_to = UtcMinute::from_date_minute(to.add_days(2), 0);
        let (start, end) = disruption.window();
        if start < days_to && days_from < end {
            return Ok(());
        }
        let field = ["from", "at", "target_date"]
            .into_iter()
            .find(|f| field_span(raw.get_ref(), f).is_some())
            .unwrap_or("kind");
        let span = field_span(raw.get_ref(), field).unwrap_or_else(|| raw.get_ref().kind.span());
        Err(self.error(
            span,
            field,
            format!(
                "the {} ({start} .. {end}) falls outside the simulated days {from} to {to}",
                disruption.kind()
            ),
        ))
    }

    /// Two disruptions that set the same thing differently at the same time cannot both hold.
    fn check_no_contradiction(
        &self,
        earlier: &[Disruption],
        raws: &[Spanned<RawDisruption>],
        raw: &Spanned<RawDisruption>,
        new: &Disruption,
    ) -> Result<(), ScenarioError> {
        let overlaps = |a: &Disruption, b: &Disruption| {
            let (af, at) = a.window();
            let (bf, bt) = b.window();
            af < bt && bf < at
        };
        for (i, old) in earlier.iter().enumerate() {
            if !overlaps(old, new) {
                continue;
            }
            let clash: Option<(&str, String)> = match (old, new) {
                (Disruption::AirportCapacity(a), Disruption::AirportCapacity(b))
                    if a.airport == b.airport =>
                {
                    if a.arrivals_per_hour.is_some()
                        && b.arrivals_per_hour.is_some()
                        && a.arrivals_per_hour != b.arrivals_per_hour
                    {
                        Some(("arrivals_per_hour", format!("{} arrivals", a.airport)))
                    } else if a.departures_per_hour.is_some()
                        && b.departures_per_hour.is_some()
                        && a.departures_per_hour != b.departures_per_hour
                    {
                        Some(("departures_per_hour", format!("{} departures", a.airport)))
                    } else {
                        None
                    }
                }
                (Disruption::GroundDelayProgramme(a), Disruption::GroundDelayProgramme(b))
                    if a.airport == b.airport && a.arrivals_per_hour != b.arrivals_per_hour =>
                {
                    Some((
                        "arrivals_per_hour",
                        format!("the {} programme rate", a.airport),
                    ))
                }
                (Disruption::AircraftOnGround(a), Disruption::AircraftOnGround(b))
                    if a.tail == b.tail =>
                {
                    Some(("tail", format!("{} on ground", a.tail)))
                }
                (Disruption::WeatherReplay(a), Disruption::WeatherReplay(b))
                    if a.target_date == b.target_date && a.source_date != b.source_date =>
                {
                    Some(("source_date", format!("the weather of {}", a.target_date)))
                }
                (Disruption::BlockTimeInflation(a), Disruption::BlockTimeInflation(b))
                    if a.percent != b.percent =>
                {
                    shared_route(&a.routes, &b.routes)
                        .map(|route| ("percent", format!("the block time of {route}")))
                }
                (Disruption::CrewSickCall(a), Disruption::CrewSickCall(b)) => {
                    match (a.base_share, b.base_share) {
                        (Some((base_a, share_a)), Some((base_b, share_b)))
                            if base_a == base_b && share_a != share_b =>
                        {
                            Some((
                                "share",
                                format!("the sick share of the crew based at {base_a}"),
                            ))
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some((field, what)) = clash {
                let span = field_span(raw.get_ref(), field).unwrap_or_else(|| raw.span());
                let other_line = line_of(&self.text, raws[i].span().start);
                return Err(self.error(
                    span,
                    field,
                    format!(
                        "contradicts the {} disruption at line {other_line}: it sets {what} differently in an overlapping window",
                        old.kind()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A route both sets cover, in words, if any.
fn shared_route(a: &Routes, b: &Routes) -> Option<String> {
    match (a, b) {
        (Routes::All, Routes::All) => Some("every route".to_string()),
        (Routes::All, Routes::Only(only)) | (Routes::Only(only), Routes::All) => only
            .first()
            .map(|r| format!("{}-{}", r.origin, r.destination)),
        (Routes::Only(a), Routes::Only(b)) => a
            .iter()
            .find(|r| b.contains(r))
            .map(|r| format!("{}-{}", r.origin, r.destination)),
    }
}

fn field_span(d: &RawDisruption, field: &str) -> Option<Range<usize>> {
    d.present()
        .into_iter()
        .find(|(name, _)| *name == field)
        .map(|(_, span)| span)
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// serde names the field in its message: "unknown field `x`, expected ...", "missing field `x`".
fn field_in_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    let field = &message[start..start + len];
    (message.contains("field") && !field.is_empty()).then(|| field.to_string())
}

/// The key written on the line of `offset`, as in `key = value`.
fn key_before(text: &str, offset: usize) -> Option<String> {
    let end = offset.min(text.len());
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    // A table header names its table: `[[disruption]]` is the field `disruption`.
    let header = line.trim();
    if let Some(name) = header
        .strip_prefix("[[")
        .and_then(|h| h.strip_suffix("]]"))
        .or_else(|| header.strip_prefix('[').and_then(|h| h.strip_suffix(']')))
    {
        return (!name.trim().is_empty()).then(|| name.trim().to_string());
    }
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    #[test]
    fn truncated_or_garbled_files_give_errors_not_panics() {
        let schedule = Schedule::new(ucodts_model::ScheduleParts::default()).unwrap();
        for s in crate::library() {
            let cuts = (0..=s.text.len()).filter(|&i| s.text.is_char_boundary(i));
            for cut in cuts {
                let text = &s.text[..cut];
                if let Ok(file) = ScenarioFile::parse(s.file, text) {
                    // Nothing exists in an empty schedule, so only disruption-free prefixes may pass.
                    if let Ok(scenario) = file.validate(&schedule) {
                        assert!(scenario.disruptions.is_empty(), "{text}");
                    }
                }
                let garbled = format!("{text}\u{1}=[");
                assert!(ScenarioFile::parse(s.file, &garbled).is_err());
            }
        }
    }

    #[test]
    fn unknown_field_error_names_the_field_and_its_line() {
        let text = "name = \"x\"\nfrom = \"2013-07-02\"\nto = \"2013-07-02\"\nwindow = 3\n";
        let e = ScenarioFile::parse("x.toml", text).err().unwrap();
        assert_eq!(
            (e.file.as_str(), e.line, e.field.as_str()),
            ("x.toml", 4, "window")
        );
    }
}
