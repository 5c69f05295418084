//! Reading one instance folder (the 11 files) into a [`RecoveryProblem`].

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, BookedLeg, Cabin, CapacityCut, Cents, CostConfig, FamilyIdx, Flight,
    FlightDisruption, FlightIdx, HourlyCapacity, Itinerary, MaintenanceSlot, ModelIdx,
    PositionRequirement, RecoveryAircraft, RecoveryAirport, RecoveryProblem, RecoveryProblemParts,
    Route, RouteClass, RouteTable, SeatConfiguration, TripDirection, Unavailability,
    GROUND_TRANSPORT_FAMILY,
};
use ucodts_model::{AirportCode, Date, Minutes, UtcMinute};

use super::records::{parse_date, read_records, Fields, Record};
use crate::DatasetError;

/// The names of the 11 files of an instance.
pub const INSTANCE_FILES: [&str; 11] = [
    "config.csv",
    "airports.csv",
    "dist.csv",
    "flights.csv",
    "aircraft.csv",
    "rotations.csv",
    "itineraries.csv",
    "position.csv",
    "alt_flights.csv",
    "alt_aircraft.csv",
    "alt_airports.csv",
];

/// One row of the daily timetable.
struct Timetable {
    origin: AirportIdx,
    destination: AirportIdx,
    departure_minute: i64,
    arrival_minute: i64,
    previous: Option<u32>,
}

struct Loader {
    airports: Vec<RecoveryAirport>,
    airport_by_code: HashMap<AirportCode, AirportIdx>,
}

impl Loader {
    fn airport(&self, f: &Fields<'_>, i: usize, field: &str) -> Result<AirportIdx, DatasetError> {
        let text = f.text(i, field)?;
        AirportCode::new(text)
            .and_then(|c| self.airport_by_code.get(&c).copied())
            .ok_or_else(|| f.error(i, field, "an airport listed in airports.csv"))
    }
}

/// Reads an instance folder of the ROADEF/EURO 2009 challenge. Every error names the file, line, column,
/// field, value and what was expected; a malformed file never panics.
pub fn load(dir: &Path) -> Result<RecoveryProblem, DatasetError> {
    let mut parts = RecoveryProblemParts::default();

    // airports.csv first: every other file names airports from it.
    let (file, records) = read_records(dir, "airports.csv")?;
    let mut loader = Loader {
        airports: Vec::new(),
        airport_by_code: HashMap::new(),
    };
    for r in &records {
        let f = Fields::new(&file, r);
        let code = AirportCode::new(f.text(0, "airport")?)
            .ok_or_else(|| f.error(0, "airport", "a three-letter airport code"))?;
        if (f.len() - 1) % 4 != 0 {
            return Err(f.record_error(format!(
                "expected the airport then groups of 4 (departures/h, arrivals/h, from, to), found {} fields",
                f.len()
            )));
        }
        let mut daily = [HourlyCapacity {
            departures: u32::MAX,
            arrivals: u32::MAX,
        }; 24];
        for w in 0..(f.len() - 1) / 4 {
            let i = 1 + 4 * w;
            let departures = f.u32(i, "departures per hour")?;
            let arrivals = f.u32(i + 1, "arrivals per hour")?;
            let from = f.clock(i + 2, "window start")?;
            let mut to = f.clock(i + 3, "window end")?;
            if to <= from {
                to += 1440; // `00:00` as an end is midnight
            }
            if from % 60 != 0 || from >= 1440 {
                return Err(f.error(i + 2, "window start", "a whole hour of the day"));
            }
            if to % 60 != 0 || to > 1440 {
                return Err(f.error(i + 3, "window end", "a whole hour, at most 24:00"));
            }
            for h in from / 60..to / 60 {
                daily[h as usize] = HourlyCapacity {
                    departures,
                    arrivals,
                };
            }
        }
        let idx = AirportIdx(loader.airports.len() as u16);
        if loader.airport_by_code.insert(code, idx).is_some() {
            return Err(f.error(0, "airport", "an airport listed once"));
        }
        loader.airports.push(RecoveryAirport {
            code,
            daily_capacity: daily,
            cuts: Vec::new(),
        });
    }
    if loader.airports.len() > usize::from(u16::MAX) {
        return Err(DatasetError::File {
            file,
            message: "more than 65,535 airports".into(),
        });
    }

    // config.csv
    let (file, records) = read_records(dir, "config.csv")?;
    let (start, end, costs) = read_config(&file, &records)?;
    parts.window_start = Some(start);
    parts.window_end = Some(end);

    // dist.csv
    let (file, records) = read_records(dir, "dist.csv")?;
    let mut routes = RouteTable::new(loader.airports.len());
    for r in &records {
        let f = Fields::new(&file, r);
        let origin = loader.airport(&f, 0, "origin")?;
        let destination = loader.airport(&f, 1, "destination")?;
        let minutes = f.u32(2, "block minutes")?;
        let class = RouteClass::from_letter(f.text(3, "class")?)
            .ok_or_else(|| f.error(3, "class", "D, C or I"))?;
        routes.set(
            origin,
            destination,
            Route {
                block_time: Minutes(i64::from(minutes)),
                class,
            },
        );
    }
    parts.routes = routes;

    // flights.csv (the daily timetable)
    let (file, records) = read_records(dir, "flights.csv")?;
    let mut timetable: HashMap<u32, Timetable> = HashMap::new();
    for r in &records {
        let f = Fields::new(&file, r);
        let number = f.u32(0, "flight number")?;
        let origin = loader.airport(&f, 1, "origin")?;
        let destination = loader.airport(&f, 2, "destination")?;
        let departure_minute = f.clock(3, "departure time")?;
        let mut arrival_minute = f.clock(4, "arrival time")?;
        if arrival_minute < departure_minute {
            arrival_minute += 1440;
        }
        let previous = f.u32(5, "previous flight")?;
        let entry = Timetable {
            origin,
            destination,
            departure_minute,
            arrival_minute,
            previous: (previous != 0).then_some(previous),
        };
        if timetable.insert(number, entry).is_some() {
            return Err(f.error(0, "flight number", "a flight number listed once"));
        }
    }

    // aircraft.csv
    let (file, records) = read_records(dir, "aircraft.csv")?;
    let mut aircraft_by_id: HashMap<String, AircraftIdx> = HashMap::new();
    let mut family_by_model: HashMap<String, FamilyIdx> = HashMap::new();
    for r in &records {
        let f = Fields::new(&file, r);
        let id = f.text(0, "aircraft")?.to_string();
        let model_name = f.text(1, "model")?;
        let family_name = f.text(2, "family")?;
        let seats = seat_configuration(&f, 3)?;
        let family = intern(&mut parts.families, family_name);
        let model = ModelIdx(intern(&mut parts.models, model_name).0);
        family_by_model
            .entry(model_name.to_string())
            .or_insert(family);
        let maintenance = match f.text(9, "maintenance") {
            Err(_) | Ok("NULL") => None,
            Ok(text) => Some(maintenance(&f, &loader, text)?),
        };
        let ground_transport = family_name == GROUND_TRANSPORT_FAMILY
            || seats.first.is_none()
            || seats.business.is_none()
            || seats.economy.is_none();
        let a = RecoveryAircraft {
            id: id.clone(),
            model,
            family,
            seats,
            range: Minutes(i64::from(f.u32(4, "range")?)),
            cost_per_hour: f.cents(5, "cost per hour")?,
            turn_round: Minutes(i64::from(f.u32(6, "turn-round time")?)),
            transit: Minutes(i64::from(f.u32(7, "transit time")?)),
            origin: loader.airport(&f, 8, "origin")?,
            maintenance,
            unavailable: Vec::new(),
            ground_transport,
        };
        let idx = AircraftIdx(parts.aircraft.len() as u16);
        if aircraft_by_id.insert(id, idx).is_some() {
            return Err(f.error(0, "aircraft", "an aircraft listed once"));
        }
        if parts.aircraft.len() >= usize::from(u16::MAX) {
            return Err(f.record_error("more than 65,535 aircraft".into()));
        }
        parts.aircraft.push(a);
    }

    // rotations.csv: the planned legs.
    let (file, records) = read_records(dir, "rotations.csv")?;
    let mut flight_by_key: HashMap<(u32, Date), FlightIdx> = HashMap::new();
    for r in &records {
        let f = Fields::new(&file, r);
        let number = f.u32(0, "flight number")?;
        let date = f.date(1, "date")?;
        let id = f.text(2, "aircraft")?;
        let t = timetable
            .get(&number)
            .ok_or_else(|| f.error(0, "flight number", "a flight of flights.csv"))?;
        let planned_aircraft = *aircraft_by_id
            .get(id)
            .ok_or_else(|| f.error(2, "aircraft", "an aircraft of aircraft.csv"))?;
        let idx = FlightIdx(parts.flights.len() as u32);
        if flight_by_key.insert((number, date), idx).is_some() {
            return Err(f.error(0, "flight number", "a flight planned once per date"));
        }
        parts.flights.push(Flight {
            number,
            date,
            origin: t.origin,
            destination: t.destination,
            scheduled_departure: UtcMinute::from_date_minute(date, t.departure_minute),
            scheduled_arrival: UtcMinute::from_date_minute(date, t.arrival_minute),
            previous_number: t.previous,
            planned_aircraft,
            disruption: None,
            frozen: false,
        });
    }

    // itineraries.csv
    let (file, records) = read_records(dir, "itineraries.csv")?;
    for r in &records {
        let f = Fields::new(&file, r);
        let id = f.u32(0, "itinerary")?;
        let direction = match f.text(1, "type")? {
            "A" => TripDirection::Outbound,
            "R" => TripDirection::Return,
            _ => return Err(f.error(1, "type", "A (outbound) or R (return)")),
        };
        let price = f.cents(2, "price")?;
        let passengers = f.u32(3, "passengers")?;
        if f.len() < 7 || (f.len() - 4) % 3 != 0 {
            return Err(f.record_error(format!(
                "expected id, type, price, passengers then groups of 3 (flight, date, cabin), found {} fields",
                f.len()
            )));
        }
        let mut legs = Vec::new();
        for k in 0..(f.len() - 4) / 3 {
            let i = 4 + 3 * k;
            let number = f.u32(i, "flight number")?;
            let date = f.date(i + 1, "flight date")?;
            let cabin = Cabin::from_letter(f.text(i + 2, "cabin")?)
                .ok_or_else(|| f.error(i + 2, "cabin", "F, B or E"))?;
            let flight = *flight_by_key.get(&(number, date)).ok_or_else(|| {
                f.error(i, "flight number", "a flight of rotations.csv on that date")
            })?;
            legs.push(BookedLeg { flight, cabin });
        }
        parts.itineraries.push(Itinerary {
            id,
            direction,
            price,
            passengers,
            legs,
            origin: AirportIdx(0),
            destination: AirportIdx(0),
            scheduled_departure: UtcMinute(0),
            scheduled_arrival: UtcMinute(0),
            class: RouteClass::Domestic,
            reference_cabin: Cabin::Economy,
            planned_duration: Minutes(0),
        });
    }

    // position.csv
    let (file, records) = read_records(dir, "position.csv")?;
    for r in &records {
        let f = Fields::new(&file, r);
        let airport = loader.airport(&f, 0, "airport")?;
        // Each line ends with a ` #` token.
        let n = f.len() - usize::from(r.tokens.last().is_some_and(|t| t == "#"));
        if (n - 1) % 3 != 0 {
            return Err(f.record_error(format!(
                "expected the airport then groups of 3 (model, seats F/B/E, count), found {} fields",
                n
            )));
        }
        for k in 0..(n - 1) / 3 {
            let i = 1 + 3 * k;
            let model_name = f.text(i, "model")?;
            let family = *family_by_model
                .get(model_name)
                .ok_or_else(|| f.error(i, "model", "a model of aircraft.csv"))?;
            let model = ModelIdx(intern(&mut parts.models, model_name).0);
            parts.positions.push(PositionRequirement {
                airport,
                model,
                family,
                seats: seat_configuration(&f, i + 1)?,
                count: f.u32(i + 2, "count")?,
            });
        }
    }

    // alt_flights.csv
    let (file, records) = read_records(dir, "alt_flights.csv")?;
    for r in &records {
        let f = Fields::new(&file, r);
        let number = f.u32(0, "flight number")?;
        let date = f.date(1, "date")?;
        let delay = f.i64(2, "delay")?;
        let flight = *flight_by_key
            .get(&(number, date))
            .ok_or_else(|| f.error(0, "flight number", "a flight of rotations.csv on that date"))?;
        let disruption = match delay {
            -1 => FlightDisruption::Cancelled,
            d if d >= 0 => FlightDisruption::Delayed(Minutes(d)),
            _ => {
                return Err(f.error(
                    2,
                    "delay",
                    "minutes of delay (0 or more) or -1 for a cancellation",
                ))
            }
        };
        parts.flights[flight.index()].disruption = Some(disruption);
    }

    // alt_aircraft.csv
    let (file, records) = read_records(dir, "alt_aircraft.csv")?;
    for r in &records {
        let f = Fields::new(&file, r);
        let id = f.text(0, "aircraft")?;
        let a = *aircraft_by_id
            .get(id)
            .ok_or_else(|| f.error(0, "aircraft", "an aircraft of aircraft.csv"))?;
        let from = f.instant(1, "from")?;
        let to = f.instant(3, "to")?;
        if to < from {
            return Err(f.error(3, "to date", "an end after the start"));
        }
        parts.aircraft[a.index()]
            .unavailable
            .push(Unavailability { from, to });
    }

    // alt_airports.csv
    let (file, records) = read_records(dir, "alt_airports.csv")?;
    let mut cuts: BTreeMap<AirportIdx, Vec<(CapacityCut, u64)>> = BTreeMap::new();
    for r in &records {
        let f = Fields::new(&file, r);
        let airport = loader.airport(&f, 0, "airport")?;
        let from = f.instant(1, "from")?;
        let to = f.instant(3, "to")?;
        if from.0 % 60 != 0 {
            return Err(f.error(2, "from time", "a whole hour"));
        }
        if to.0 % 60 != 0 || to <= from {
            return Err(f.error(4, "to time", "a whole hour after the start"));
        }
        let capacity = HourlyCapacity {
            departures: f.u32(5, "departures per hour")?,
            arrivals: f.u32(6, "arrivals per hour")?,
        };
        cuts.entry(airport)
            .or_default()
            .push((CapacityCut { from, to, capacity }, r.line));
    }
    for (airport, mut list) in cuts {
        list.sort_by_key(|(c, _)| c.from);
        for w in list.windows(2) {
            if w[1].0.from < w[0].0.to {
                return Err(DatasetError::Record {
                    file: file.clone(),
                    line: w[1].1,
                    message: format!(
                        "capacity cut at {} overlaps the one on line {}",
                        loader.airports[airport.index()].code,
                        w[0].1
                    ),
                });
            }
        }
        loader.airports[airport.index()].cuts = list.into_iter().map(|(c, _)| c).collect();
    }

    parts.airports = loader.airports;
    parts.costs = Some(costs);
    RecoveryProblem::new(parts).map_err(|e| DatasetError::File {
        file: dir.to_path_buf(),
        message: e.to_string(),
    })
}

fn intern(names: &mut Vec<String>, name: &str) -> FamilyIdx {
    match names.iter().position(|n| n == name) {
        Some(i) => FamilyIdx(i as u16),
        None => {
            names.push(name.to_string());
            FamilyIdx((names.len() - 1) as u16)
        }
    }
}

/// `F/B/E` seats, `-1` for unlimited.
fn seat_configuration(f: &Fields<'_>, i: usize) -> Result<SeatConfiguration, DatasetError> {
    let text = f.text(i, "seats")?;
    let bad = || f.error(i, "seats", "three seat counts F/B/E (-1 for unlimited)");
    let mut it = text.split('/').map(|s| match s {
        "-1" => Ok(None),
        _ => s.parse::<u32>().map(Some).map_err(|_| bad()),
    });
    let first = it.next().ok_or_else(bad)??;
    let business = it.next().ok_or_else(bad)??;
    let economy = it.next().ok_or_else(bad)??;
    if it.next().is_some() {
        return Err(bad());
    }
    Ok(SeatConfiguration {
        first,
        business,
        economy,
    })
}

/// `AIRPORT-DD/MM/YY-HH:MM-DD/MM/YY-HH:MM-MAXFLY`.
fn maintenance(
    f: &Fields<'_>,
    loader: &Loader,
    text: &str,
) -> Result<MaintenanceSlot, DatasetError> {
    let bad = || {
        f.error(
            9,
            "maintenance",
            "NULL or AIRPORT-DD/MM/YY-HH:MM-DD/MM/YY-HH:MM-MAXFLY",
        )
    };
    let p: Vec<&str> = text.split('-').collect();
    if p.len() != 6 {
        return Err(bad());
    }
    let airport = AirportCode::new(p[0])
        .and_then(|c| loader.airport_by_code.get(&c).copied())
        .ok_or_else(bad)?;
    let at = |d: &str, t: &str| -> Result<UtcMinute, DatasetError> {
        let date = parse_date(d).ok_or_else(bad)?;
        let minute = super::records::parse_clock(t).ok_or_else(bad)?;
        Ok(UtcMinute::from_date_minute(date, minute))
    };
    let start = at(p[1], p[2])?;
    let end = at(p[3], p[4])?;
    let max: u32 = p[5].parse().map_err(|_| bad())?;
    if end < start {
        return Err(bad());
    }
    Ok(MaintenanceSlot {
        airport,
        start,
        end,
        max_flying_before: Minutes(i64::from(max)),
    })
}

fn read_config(
    file: &Path,
    records: &[Record],
) -> Result<(UtcMinute, UtcMinute, CostConfig), DatasetError> {
    if records.len() < 7 {
        return Err(DatasetError::File {
            file: file.to_path_buf(),
            message: format!("expected 7 lines, found {}", records.len()),
        });
    }
    let f = Fields::new(file, &records[0]);
    let start = f.instant(0, "window start")?;
    let end = f.instant(2, "window end")?;
    if end < start {
        return Err(f.error(2, "window end date", "an end after the start"));
    }
    let table = |r: &Record, what: &str| -> Result<[[Cents; 3]; 3], DatasetError> {
        let f = Fields::new(file, r);
        let mut seen = [[false; 3]; 3];
        let mut out = [[Cents::ZERO; 3]; 3];
        if f.len() % 3 != 0 {
            return Err(f.record_error(format!(
                "{what}: expected groups of 3 (cabin, class, value), found {} fields",
                f.len()
            )));
        }
        for k in 0..f.len() / 3 {
            let i = 3 * k;
            let cabin = Cabin::from_letter(f.text(i, "cabin")?)
                .ok_or_else(|| f.error(i, "cabin", "F, B or E"))?;
            let class = RouteClass::from_letter(f.text(i + 1, "class")?)
                .ok_or_else(|| f.error(i + 1, "class", "D, C or I"))?;
            out[cabin.column()][class.column()] = f.cents(i + 2, what)?;
            seen[cabin.column()][class.column()] = true;
        }
        if seen.iter().flatten().any(|s| !s) {
            return Err(f.record_error(format!(
                "{what}: every cabin (F, B, E) and class (D, C, I) needs a value"
            )));
        }
        Ok(out)
    };
    let delay_per_minute = table(&records[1], "delay cost per minute")?;
    let outbound_cancellation = table(&records[2], "outbound cancellation cost")?;
    let return_cancellation = table(&records[3], "return cancellation cost")?;
    let f = Fields::new(file, &records[4]);
    if f.len() % 4 != 0 {
        return Err(f.record_error(format!(
            "downgrade costs: expected groups of 4 (booked cabin, flown cabin, class, value), found {} fields",
            f.len()
        )));
    }
    let mut downgrade = [[[Cents::ZERO; 3]; 3]; 3];
    let mut seen = 0;
    for k in 0..f.len() / 4 {
        let i = 4 * k;
        let booked = Cabin::from_letter(f.text(i, "booked cabin")?)
            .ok_or_else(|| f.error(i, "booked cabin", "F, B or E"))?;
        let flown = Cabin::from_letter(f.text(i + 1, "flown cabin")?)
            .ok_or_else(|| f.error(i + 1, "flown cabin", "F, B or E"))?;
        let class = RouteClass::from_letter(f.text(i + 2, "class")?)
            .ok_or_else(|| f.error(i + 2, "class", "D, C or I"))?;
        if flown >= booked {
            return Err(f.error(i + 1, "flown cabin", "a cabin lower than the booked one"));
        }
        downgrade[booked.column()][flown.column()][class.column()] =
            f.cents(i + 3, "downgrade cost")?;
        seen += 1;
    }
    if seen < 9 {
        return Err(f.record_error(
            "downgrade costs: F>B, F>E and B>E each need a value for D, C and I".into(),
        ));
    }
    let f = Fields::new(file, &records[5]);
    let position_penalty_family = f.cents(0, "family position penalty")?;
    let position_penalty_model = f.cents(1, "model position penalty")?;
    let position_penalty_configuration = f.cents(2, "configuration position penalty")?;
    let f = Fields::new(file, &records[6]);
    let costs = CostConfig {
        delay_per_minute,
        outbound_cancellation,
        return_cancellation,
        downgrade,
        position_penalty_family,
        position_penalty_model,
        position_penalty_configuration,
        alpha: f.f64(0, "alpha")?,
        beta: f.f64(1, "beta")?,
        gamma: f.f64(2, "gamma")?,
    };
    Ok((start, end, costs))
}
