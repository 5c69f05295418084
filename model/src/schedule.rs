//! `Schedule`: the whole data set — airports, fleet, crew, legs, pairings, rosters, weather — validated as one
//! consistent unit and indexed for the questions the twin and the optimizer ask (a tail's rotation, a crew
//! member's legs, an airport's departures).

// Indexes are looked up millions of times per load (a year of rosters) and never iterated into output, so
// they use the fast non-cryptographic FxHash rather than SipHash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt;

use crate::airport::{Airline, Airport, LATITUDE_DEG, LONGITUDE_DEG};
use crate::crew::CrewMember;
use crate::fleet::{Aircraft, AircraftType, MAX_MIN_TURN};
use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TailId, TypeCode};
use crate::leg::{Leg, LegStatus, MAX_BLOCK, MAX_FROM_SCHEDULE};
use crate::pairing::{Pairing, RosterAssignment};
use crate::time::{Minutes, UtcMinute};
use crate::weather::WeatherObservation;

/// The tables of a schedule, in the order a reader meets them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Airlines,
    Airports,
    AircraftTypes,
    Aircraft,
    Crew,
    Legs,
    Pairings,
    /// The duties of all pairings, pairing after pairing.
    Duties,
    /// The segments of all duties, duty after duty.
    DutyLegs,
    Rosters,
    Weather,
}

impl Table {
    pub const ALL: [Table; 11] = [
        Table::Airlines,
        Table::Airports,
        Table::AircraftTypes,
        Table::Aircraft,
        Table::Crew,
        Table::Legs,
        Table::Pairings,
        Table::Duties,
        Table::DutyLegs,
        Table::Rosters,
        Table::Weather,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Airlines => "airlines",
            Table::Airports => "airports",
            Table::AircraftTypes => "aircraft_types",
            Table::Aircraft => "aircraft",
            Table::Crew => "crew",
            Table::Legs => "legs",
            Table::Pairings => "pairings",
            Table::Duties => "duties",
            Table::DutyLegs => "duty_legs",
            Table::Rosters => "rosters",
            Table::Weather => "weather",
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A schedule that is not consistent: which record (by its position in its table, from 0), which field, the
/// value found and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table} record {record}, field `{field}` = {value:?}: {problem}")]
pub struct ModelError {
    pub table: Table,
    pub record: usize,
    pub field: &'static str,
    pub value: String,
    pub problem: String,
}

fn err(
    table: Table,
    record: usize,
    field: &'static str,
    value: impl fmt::Display,
    problem: impl Into<String>,
) -> ModelError {
    ModelError {
        table,
        record,
        field,
        value: value.to_string(),
        problem: problem.into(),
    }
}

/// `value` must be a finite number in `range` (inclusive), in `unit`.
fn in_range(
    table: Table,
    record: usize,
    field: &'static str,
    value: f64,
    range: (f64, f64),
    unit: &str,
) -> Result<(), ModelError> {
    if value.is_finite() && (range.0..=range.1).contains(&value) {
        return Ok(());
    }
    Err(err(
        table,
        record,
        field,
        value,
        format!("expected {} to {} {unit}", range.0, range.1),
    ))
}

/// `t` must lie in `UtcMinute::EARLIEST..=LATEST`, the range every clock of the twin is safe in.
fn instant(
    table: Table,
    record: usize,
    field: &'static str,
    t: UtcMinute,
) -> Result<(), ModelError> {
    if t.is_in_range() {
        return Ok(());
    }
    Err(err(
        table,
        record,
        field,
        t,
        format!("expected {}", UtcMinute::RANGE),
    ))
}

/// The tables a schedule is built from. Build one, then `Schedule::new` checks and indexes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScheduleParts {
    pub airlines: Vec<Airline>,
    pub airports: Vec<Airport>,
    pub aircraft_types: Vec<AircraftType>,
    pub aircraft: Vec<Aircraft>,
    pub crew: Vec<CrewMember>,
    pub legs: Vec<Leg>,
    pub pairings: Vec<Pairing>,
    pub rosters: Vec<RosterAssignment>,
    pub weather: Vec<WeatherObservation>,
}

/// A consistent, indexed data set. Every reference resolves, every id is unique, every leg arrives after it
/// departs, every pairing starts at its base, ends there or at a co-terminal of it and is flown in order.
/// There is no way to hold a `Schedule` that breaks these.
#[derive(Clone, Debug)]
pub struct Schedule {
    parts: ScheduleParts,
    airline_index: HashMap<CarrierCode, usize>,
    airport_index: HashMap<AirportCode, usize>,
    type_index: HashMap<TypeCode, usize>,
    tail_index: HashMap<TailId, usize>,
    crew_index: HashMap<CrewId, usize>,
    leg_index: HashMap<LegId, usize>,
    pairing_index: HashMap<PairingId, usize>,
    /// Per aircraft: its legs by scheduled departure.
    rotations: Vec<Vec<usize>>,
    /// Per airport: legs departing from it by scheduled departure.
    departures: Vec<Vec<usize>>,
    /// Per crew member: their pairings by report time.
    crew_pairings: Vec<Vec<usize>>,
}

fn unique<K: std::hash::Hash + Eq + Clone + fmt::Display>(
    table: Table,
    field: &'static str,
    keys: impl Iterator<Item = K>,
) -> Result<HashMap<K, usize>, ModelError> {
    let mut index = HashMap::default();
    for (i, k) in keys.enumerate() {
        if let Some(first) = index.insert(k.clone(), i) {
            return Err(err(
                table,
                i,
                field,
                &k,
                format!("duplicate id: record {first} has it already"),
            ));
        }
    }
    Ok(index)
}

impl Schedule {
    /// Checks every table and every reference between them; the first inconsistency is the error.
    pub fn new(parts: ScheduleParts) -> Result<Schedule, ModelError> {
        let airline_index = unique(
            Table::Airlines,
            "code",
            parts.airlines.iter().map(|a| a.code.clone()),
        )?;
        let airport_index = unique(
            Table::Airports,
            "code",
            parts.airports.iter().map(|a| a.code),
        )?;
        let type_index = unique(
            Table::AircraftTypes,
            "code",
            parts.aircraft_types.iter().map(|t| t.code.clone()),
        )?;
        let tail_index = unique(
            Table::Aircraft,
            "tail",
            parts.aircraft.iter().map(|a| a.tail.clone()),
        )?;
        let crew_index = unique(Table::Crew, "id", parts.crew.iter().map(|c| c.id.clone()))?;
        let leg_index = unique(Table::Legs, "id", parts.legs.iter().map(|l| l.id))?;
        let pairing_index = unique(Table::Pairings, "id", parts.pairings.iter().map(|p| p.id))?;

        let airport = |table, i, field, code: &AirportCode| {
            airport_index
                .get(code)
                .copied()
                .ok_or_else(|| err(table, i, field, code, "unknown airport: not in airports"))
        };
        let airline = |table, i, field, code: &CarrierCode| {
            airline_index
                .get(code)
                .copied()
                .ok_or_else(|| err(table, i, field, code, "unknown airline: not in airlines"))
        };

        for (i, a) in parts.airports.iter().enumerate() {
            in_range(
                Table::Airports,
                i,
                "latitude_deg",
                a.latitude_deg,
                LATITUDE_DEG,
                "degrees north",
            )?;
            in_range(
                Table::Airports,
                i,
                "longitude_deg",
                a.longitude_deg,
                LONGITUDE_DEG,
                "degrees east",
            )?;
        }
        for (i, t) in parts.aircraft_types.iter().enumerate() {
            if !(Minutes::ZERO..=MAX_MIN_TURN).contains(&t.min_turn) {
                return Err(err(
                    Table::AircraftTypes,
                    i,
                    "min_turn_min",
                    t.min_turn.0,
                    format!("expected a turn time of 0 to {} minutes", MAX_MIN_TURN.0),
                ));
            }
        }
        for (i, a) in parts.aircraft.iter().enumerate() {
            if !type_index.contains_key(&a.type_code) {
                return Err(err(
                    Table::Aircraft,
                    i,
                    "type",
                    &a.type_code,
                    "unknown aircraft type: not in aircraft_types",
                ));
            }
            airline(Table::Aircraft, i, "carrier", &a.carrier)?;
            airport(Table::Aircraft, i, "base", &a.base)?;
            if let Some(due) = a.maintenance_due {
                instant(Table::Aircraft, i, "maintenance_due", due)?;
            }
        }
        for (i, c) in parts.crew.iter().enumerate() {
            airline(Table::Crew, i, "airline", &c.airline)?;
            airport(Table::Crew, i, "base", &c.base)?;
            if let Some(q) = c
                .qualifications
                .iter()
                .find(|q| !type_index.contains_key(q))
            {
                return Err(err(
                    Table::Crew,
                    i,
                    "qualifications",
                    q,
                    "unknown aircraft type: not in aircraft_types",
                ));
            }
        }

        let mut rotations = vec![Vec::new(); parts.aircraft.len()];
        let mut departures = vec![Vec::new(); parts.airports.len()];
        for (i, leg) in parts.legs.iter().enumerate() {
            Self::check_leg(leg, i)?;
            airline(Table::Legs, i, "carrier", &leg.carrier)?;
            let origin = airport(Table::Legs, i, "origin", &leg.origin)?;
            airport(Table::Legs, i, "destination", &leg.destination)?;
            departures[origin].push(i);
            if let Some(tail) = &leg.tail {
                let a = tail_index.get(tail).ok_or_else(|| {
                    err(
                        Table::Legs,
                        i,
                        "tail",
                        tail,
                        "unknown tail: not in aircraft",
                    )
                })?;
                rotations[*a].push(i);
            }
        }
        let by_departure = |list: &mut Vec<usize>| {
            list.sort_by_key(|&i| (parts.legs[i].scheduled_out, parts.legs[i].id));
        };
        rotations.iter_mut().for_each(by_departure);
        departures.iter_mut().for_each(by_departure);

        let (mut duty_row, mut segment_row) = (0, 0);
        for (i, p) in parts.pairings.iter().enumerate() {
            airline(Table::Pairings, i, "airline", &p.airline)?;
            airport(Table::Pairings, i, "base", &p.base)?;
            if p.duties.is_empty() {
                return Err(err(
                    Table::Pairings,
                    i,
                    "id",
                    p.id,
                    "a pairing needs at least one duty",
                ));
            }
            let mut at = p.base;
            let mut previous_release = None;
            for duty in &p.duties {
                instant(Table::Duties, duty_row, "report", duty.report)?;
                instant(Table::Duties, duty_row, "release", duty.release)?;
                if duty.segments.is_empty() {
                    return Err(err(
                        Table::Duties,
                        duty_row,
                        "pairing",
                        p.id,
                        "a duty needs at least one leg",
                    ));
                }
                if duty.release <= duty.report {
                    return Err(err(
                        Table::Duties,
                        duty_row,
                        "release",
                        duty.release,
                        format!("expected a release after the report at {}", duty.report),
                    ));
                }
                if let Some(release) = previous_release {
                    if duty.report < release {
                        return Err(err(
                            Table::Duties,
                            duty_row,
                            "report",
                            duty.report,
                            format!(
                                "expected a report after the previous duty's release at {release}"
                            ),
                        ));
                    }
                }
                let mut ready = duty.report;
                for s in &duty.segments {
                    let leg = leg_index
                        .get(&s.leg)
                        .map(|&l| &parts.legs[l])
                        .ok_or_else(|| {
                            err(
                                Table::DutyLegs,
                                segment_row,
                                "leg",
                                s.leg,
                                "unknown leg: not in legs",
                            )
                        })?;
                    if leg.origin != at {
                        return Err(err(
                            Table::DutyLegs,
                            segment_row,
                            "leg",
                            s.leg,
                            format!("leg departs {} but the crew is at {at}", leg.origin),
                        ));
                    }
                    if leg.scheduled_out < ready {
                        return Err(err(
                            Table::DutyLegs,
                            segment_row,
                            "leg",
                            s.leg,
                            format!(
                                "leg departs at {} before the crew is available at {ready}",
                                leg.scheduled_out
                            ),
                        ));
                    }
                    at = leg.destination;
                    ready = leg.scheduled_in;
                    segment_row += 1;
                }
                if duty.release < ready {
                    return Err(err(
                        Table::Duties,
                        duty_row,
                        "release",
                        duty.release,
                        format!("expected a release at or after the last arrival at {ready}"),
                    ));
                }
                previous_release = Some(duty.release);
                duty_row += 1;
            }
            // A co-terminal of the base (`practice::CO_TERMINALS`) is home too: the crew is driven back.
            if crate::practice::co_terminal_transfer(at.as_str(), p.base.as_str()).is_none() {
                return Err(err(
                    Table::Pairings,
                    i,
                    "base",
                    p.base,
                    format!("the pairing ends at {at}, not at its base or a co-terminal of it"),
                ));
            }
        }

        let mut crew_pairings = vec![Vec::new(); parts.crew.len()];
        for (i, r) in parts.rosters.iter().enumerate() {
            let c = *crew_index.get(&r.crew).ok_or_else(|| {
                err(
                    Table::Rosters,
                    i,
                    "crew",
                    &r.crew,
                    "unknown crew member: not in crew",
                )
            })?;
            let p = *pairing_index.get(&r.pairing).ok_or_else(|| {
                err(
                    Table::Rosters,
                    i,
                    "pairing",
                    r.pairing,
                    "unknown pairing: not in pairings",
                )
            })?;
            if parts.crew[c].airline != parts.pairings[p].airline {
                return Err(err(
                    Table::Rosters,
                    i,
                    "pairing",
                    r.pairing,
                    format!(
                        "pairing of airline {} given to a crew member of {}",
                        parts.pairings[p].airline, parts.crew[c].airline
                    ),
                ));
            }
            crew_pairings[c].push((p, i));
        }
        let mut crew_pairings_sorted = Vec::with_capacity(crew_pairings.len());
        for list in crew_pairings.iter_mut() {
            list.sort_by_key(|&(p, _)| (parts.pairings[p].report(), parts.pairings[p].id));
            for w in list.windows(2) {
                let (a, b) = (&parts.pairings[w[0].0], &parts.pairings[w[1].0]);
                if b.report() < a.release() || a.id == b.id {
                    return Err(err(
                        Table::Rosters,
                        w[1].1,
                        "pairing",
                        b.id,
                        format!("overlaps pairing {} of the same crew member", a.id),
                    ));
                }
            }
            crew_pairings_sorted.push(list.iter().map(|&(p, _)| p).collect());
        }

        let mut seen = HashSet::default();
        for (i, w) in parts.weather.iter().enumerate() {
            airport(Table::Weather, i, "airport", &w.airport)?;
            Self::check_weather(w, i)?;
            if !seen.insert((w.airport, w.time)) {
                return Err(err(
                    Table::Weather,
                    i,
                    "time",
                    w.time,
                    format!("a second observation for {} at this time", w.airport),
                ));
            }
        }

        Ok(Schedule {
            parts,
            airline_index,
            airport_index,
            type_index,
            tail_index,
            crew_index,
            leg_index,
            pairing_index,
            rotations,
            departures,
            crew_pairings: crew_pairings_sorted,
        })
    }

    fn check_weather(w: &WeatherObservation, i: usize) -> Result<(), ModelError> {
        use crate::weather::domain::*;
        instant(Table::Weather, i, "time", w.time)?;
        let t = Table::Weather;
        for (field, value, range, unit) in [
            ("temperature_f", w.temperature_f, TEMPERATURE_F, "°F"),
            ("dewpoint_f", w.dewpoint_f, TEMPERATURE_F, "°F"),
            ("humidity_pct", w.humidity_pct, HUMIDITY_PCT, "%"),
            ("wind_speed_mph", w.wind_speed_mph, WIND_MPH, "mph"),
            ("wind_gust_mph", w.wind_gust_mph, WIND_MPH, "mph"),
            (
                "precipitation_in",
                w.precipitation_in,
                PRECIPITATION_IN,
                "inches",
            ),
            ("pressure_mb", w.pressure_mb, PRESSURE_MB, "mb"),
            ("visibility_mi", w.visibility_mi, VISIBILITY_MI, "miles"),
        ] {
            if let Some(v) = value {
                in_range(t, i, field, v, range, unit)?;
            }
        }
        if let Some(d) = w.wind_direction_deg {
            if !(WIND_DIRECTION_DEG.0..=WIND_DIRECTION_DEG.1).contains(&d) {
                return Err(err(
                    t,
                    i,
                    "wind_direction_deg",
                    d,
                    format!(
                        "expected {} to {} degrees",
                        WIND_DIRECTION_DEG.0, WIND_DIRECTION_DEG.1
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_leg(leg: &Leg, i: usize) -> Result<(), ModelError> {
        instant(Table::Legs, i, "scheduled_out", leg.scheduled_out)?;
        instant(Table::Legs, i, "scheduled_in", leg.scheduled_in)?;
        for (field, t) in [
            ("estimated_out", leg.estimated.gate_out),
            ("estimated_takeoff", leg.estimated.takeoff),
            ("estimated_landing", leg.estimated.landing),
            ("estimated_in", leg.estimated.gate_in),
            ("actual_out", leg.actual.gate_out),
            ("actual_takeoff", leg.actual.takeoff),
            ("actual_landing", leg.actual.landing),
            ("actual_in", leg.actual.gate_in),
        ] {
            if let Some(t) = t {
                if t.0.abs_diff(leg.scheduled_out.0) > MAX_FROM_SCHEDULE.0 as u64 {
                    return Err(err(
                        Table::Legs,
                        i,
                        field,
                        t,
                        format!(
                            "expected a time within {} hours of the scheduled departure at {}",
                            MAX_FROM_SCHEDULE.whole_hours(),
                            leg.scheduled_out
                        ),
                    ));
                }
            }
        }
        if leg.origin == leg.destination {
            return Err(err(
                Table::Legs,
                i,
                "destination",
                leg.destination,
                "a leg must go to another airport than its origin",
            ));
        }
        if leg.scheduled_in <= leg.scheduled_out {
            return Err(err(
                Table::Legs,
                i,
                "scheduled_in",
                leg.scheduled_in,
                format!(
                    "the leg arrives before it departs (scheduled out {})",
                    leg.scheduled_out
                ),
            ));
        }
        if leg.scheduled_in - leg.scheduled_out > MAX_BLOCK {
            return Err(err(
                Table::Legs,
                i,
                "scheduled_in",
                leg.scheduled_in,
                format!(
                    "a scheduled block of at most {} hours is expected (scheduled out {})",
                    MAX_BLOCK.whole_hours(),
                    leg.scheduled_out
                ),
            ));
        }
        for (name, times) in [("actual", &leg.actual), ("estimated", &leg.estimated)] {
            let sequence = [
                ("gate_out", times.gate_out),
                ("takeoff", times.takeoff),
                ("landing", times.landing),
                ("gate_in", times.gate_in),
            ];
            let mut previous: Option<(&str, crate::time::UtcMinute)> = None;
            for (field, t) in sequence {
                let Some(t) = t else { continue };
                if let Some((before, bt)) = previous {
                    if t < bt || (field == "gate_in" && before == "gate_out" && t == bt) {
                        let field = match (name, field) {
                            ("actual", "takeoff") => "actual_takeoff",
                            ("actual", "landing") => "actual_landing",
                            ("actual", _) => "actual_in",
                            ("estimated", "takeoff") => "estimated_takeoff",
                            ("estimated", "landing") => "estimated_landing",
                            _ => "estimated_in",
                        };
                        return Err(err(
                            Table::Legs,
                            i,
                            field,
                            t,
                            format!("expected a time after {name} {before} at {bt}"),
                        ));
                    }
                }
                previous = Some((field, t));
            }
        }
        let departed = leg.actual.gate_out.is_some();
        match leg.status {
            LegStatus::Cancelled if departed => Err(err(
                Table::Legs,
                i,
                "status",
                leg.status,
                "a cancelled leg cannot have an actual departure",
            )),
            LegStatus::Arrived if leg.actual.gate_in.is_none() => Err(err(
                Table::Legs,
                i,
                "status",
                leg.status,
                "an arrived leg needs an actual arrival time",
            )),
            LegStatus::Departed | LegStatus::Diverted if !departed => Err(err(
                Table::Legs,
                i,
                "status",
                leg.status,
                "a departed leg needs an actual departure time",
            )),
            _ => Ok(()),
        }
    }

    pub fn parts(&self) -> &ScheduleParts {
        &self.parts
    }
    /// Gives the tables back, to change them and build a new schedule.
    pub fn into_parts(self) -> ScheduleParts {
        self.parts
    }

    pub fn airlines(&self) -> &[Airline] {
        &self.parts.airlines
    }
    pub fn airports(&self) -> &[Airport] {
        &self.parts.airports
    }
    pub fn aircraft_types(&self) -> &[AircraftType] {
        &self.parts.aircraft_types
    }
    pub fn aircraft(&self) -> &[Aircraft] {
        &self.parts.aircraft
    }
    pub fn crew(&self) -> &[CrewMember] {
        &self.parts.crew
    }
    pub fn legs(&self) -> &[Leg] {
        &self.parts.legs
    }
    pub fn pairings(&self) -> &[Pairing] {
        &self.parts.pairings
    }
    pub fn rosters(&self) -> &[RosterAssignment] {
        &self.parts.rosters
    }
    pub fn weather(&self) -> &[WeatherObservation] {
        &self.parts.weather
    }

    pub fn airline(&self, code: &CarrierCode) -> Option<&Airline> {
        self.airline_index
            .get(code)
            .map(|&i| &self.parts.airlines[i])
    }
    pub fn airport(&self, code: AirportCode) -> Option<&Airport> {
        self.airport_index
            .get(&code)
            .map(|&i| &self.parts.airports[i])
    }
    pub fn aircraft_type(&self, code: &TypeCode) -> Option<&AircraftType> {
        self.type_index
            .get(code)
            .map(|&i| &self.parts.aircraft_types[i])
    }
    pub fn tail(&self, tail: &TailId) -> Option<&Aircraft> {
        self.tail_index.get(tail).map(|&i| &self.parts.aircraft[i])
    }
    pub fn crew_member(&self, id: &CrewId) -> Option<&CrewMember> {
        self.crew_index.get(id).map(|&i| &self.parts.crew[i])
    }
    pub fn leg(&self, id: LegId) -> Option<&Leg> {
        self.leg_index.get(&id).map(|&i| &self.parts.legs[i])
    }
    pub fn pairing(&self, id: PairingId) -> Option<&Pairing> {
        self.pairing_index
            .get(&id)
            .map(|&i| &self.parts.pairings[i])
    }

    /// The legs of a tail in order of scheduled departure: its rotation.
    pub fn rotation(&self, tail: &TailId) -> impl Iterator<Item = &Leg> {
        let list = self
            .tail_index
            .get(tail)
            .map(|&i| self.rotations[i].as_slice())
            .unwrap_or(&[]);
        list.iter().map(|&l| &self.parts.legs[l])
    }

    /// The legs departing an airport in order of scheduled departure.
    pub fn departures(&self, airport: AirportCode) -> impl Iterator<Item = &Leg> {
        let list = self
            .airport_index
            .get(&airport)
            .map(|&i| self.departures[i].as_slice())
            .unwrap_or(&[]);
        list.iter().map(|&l| &self.parts.legs[l])
    }

    /// The pairings rostered to a crew member, by report time.
    pub fn roster(&self, crew: &CrewId) -> impl Iterator<Item = &Pairing> {
        let list = self
            .crew_index
            .get(crew)
            .map(|&i| self.crew_pairings[i].as_slice())
            .unwrap_or(&[]);
        list.iter().map(|&p| &self.parts.pairings[p])
    }

    /// Every leg a crew member is rostered on, operating or deadheading, in order.
    pub fn crew_legs(
        &self,
        crew: &CrewId,
    ) -> impl Iterator<Item = (&Leg, crate::pairing::SegmentKind)> {
        self.roster(crew).flat_map(move |p| {
            p.legs()
                .map(move |s| (&self.parts.legs[self.leg_index[&s.leg]], s.kind))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crew::Rank;
    use crate::leg::{LegSource, OutOffOnIn};
    use crate::pairing::{Duty, Segment, SegmentKind};
    use crate::time::{Minutes, TimeZone, UtcMinute};

    fn code(c: &str) -> AirportCode {
        AirportCode::new(c).unwrap()
    }

    fn t(text: &str) -> UtcMinute {
        UtcMinute::parse(text).unwrap()
    }

    fn leg(id: u32, from: &str, to: &str, out: &str, block: i64) -> Leg {
        Leg {
            id: LegId(id),
            carrier: CarrierCode::new("B6"),
            flight_number: Some(id),
            origin: code(from),
            destination: code(to),
            scheduled_out: t(out),
            scheduled_in: t(out) + Minutes(block),
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: Some(TailId::new("N503JB")),
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        }
    }

    /// JFK-BOS-JFK on one tail, flown by one pairing of one captain.
    fn parts() -> ScheduleParts {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let airport = |c: &str| Airport {
            code: code(c),
            icao: None,
            name: c.into(),
            latitude_deg: 40.0,
            longitude_deg: -73.0,
            time_zone: ny,
        };
        ScheduleParts {
            airlines: vec![Airline {
                code: CarrierCode::new("B6"),
                name: "JetBlue".into(),
            }],
            airports: vec![airport("JFK"), airport("BOS")],
            aircraft_types: vec![AircraftType {
                code: TypeCode::new("A320"),
                family: "A320".into(),
                seats: 150,
                min_turn: Minutes(40),
            }],
            aircraft: vec![Aircraft {
                tail: TailId::new("N503JB"),
                type_code: TypeCode::new("A320"),
                carrier: CarrierCode::new("B6"),
                base: code("JFK"),
                maintenance_due: None,
            }],
            crew: vec![CrewMember {
                id: CrewId::new("C1"),
                airline: CarrierCode::new("B6"),
                rank: Rank::Captain,
                base: code("JFK"),
                qualifications: vec![TypeCode::new("A320")],
                home_zone: ny,
            }],
            legs: vec![
                leg(1, "JFK", "BOS", "2013-02-04T12:00Z", 75),
                leg(2, "BOS", "JFK", "2013-02-04T14:00Z", 80),
            ],
            pairings: vec![Pairing {
                id: PairingId(1),
                airline: CarrierCode::new("B6"),
                base: code("JFK"),
                duties: vec![Duty {
                    report: t("2013-02-04T11:00Z"),
                    release: t("2013-02-04T15:50Z"),
                    segments: vec![
                        Segment {
                            leg: LegId(1),
                            kind: SegmentKind::Operating,
                        },
                        Segment {
                            leg: LegId(2),
                            kind: SegmentKind::Operating,
                        },
                    ],
                }],
            }],
            rosters: vec![RosterAssignment {
                crew: CrewId::new("C1"),
                pairing: PairingId(1),
            }],
            weather: vec![],
        }
    }

    fn error(parts: ScheduleParts) -> ModelError {
        Schedule::new(parts).expect_err("the schedule must be refused")
    }

    #[test]
    fn a_consistent_schedule_is_indexed_by_tail_airport_and_crew() {
        let s = Schedule::new(parts()).unwrap();
        let rotation: Vec<u32> = s.rotation(&TailId::new("N503JB")).map(|l| l.id.0).collect();
        assert_eq!(rotation, vec![1, 2]);
        assert_eq!(
            s.departures(code("BOS"))
                .map(|l| l.id.0)
                .collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(s.crew_legs(&CrewId::new("C1")).count(), 2);
        assert_eq!(
            s.roster(&CrewId::new("C1")).next().unwrap().id,
            PairingId(1)
        );
    }

    #[test]
    fn duplicate_ids_are_refused_naming_both_records() {
        let mut p = parts();
        p.legs[1].id = LegId(1);
        let e = error(p);
        assert_eq!((e.table, e.record, e.field), (Table::Legs, 1, "id"));
        assert!(e.problem.contains("record 0"), "{e}");
    }

    #[test]
    fn a_leg_to_an_unknown_airport_is_refused() {
        let mut p = parts();
        p.legs[0].destination = code("LAX");
        let e = error(p);
        assert_eq!(
            (e.table, e.record, e.field, e.value.as_str()),
            (Table::Legs, 0, "destination", "LAX")
        );
    }

    #[test]
    fn a_leg_arriving_before_it_departs_is_refused() {
        let mut p = parts();
        p.legs[0].scheduled_in = p.legs[0].scheduled_out - Minutes(5);
        let e = error(p);
        assert_eq!((e.table, e.field), (Table::Legs, "scheduled_in"));
        assert!(e.problem.contains("arrives before it departs"), "{e}");
    }

    #[test]
    fn a_pairing_that_does_not_return_to_base_is_refused() {
        let mut p = parts();
        p.pairings[0].duties[0].segments.pop();
        let e = error(p);
        assert_eq!((e.table, e.field), (Table::Pairings, "base"));
    }

    #[test]
    fn a_pairing_whose_legs_do_not_connect_is_refused() {
        let mut p = parts();
        p.pairings[0].duties[0].segments.swap(0, 1);
        let e = error(p);
        assert_eq!((e.table, e.record, e.field), (Table::DutyLegs, 0, "leg"));
    }

    #[test]
    fn a_crew_member_cannot_hold_overlapping_pairings() {
        let mut p = parts();
        let mut second = p.pairings[0].clone();
        second.id = PairingId(2);
        p.pairings.push(second);
        p.rosters.push(RosterAssignment {
            crew: CrewId::new("C1"),
            pairing: PairingId(2),
        });
        let e = error(p);
        assert_eq!((e.table, e.record, e.field), (Table::Rosters, 1, "pairing"));
    }

    #[test]
    fn a_cancelled_leg_with_an_actual_departure_is_refused() {
        let mut p = parts();
        p.legs[0].status = LegStatus::Cancelled;
        p.legs[0].actual.gate_out = Some(p.legs[0].scheduled_out);
        assert_eq!(error(p).field, "status");
    }
}
