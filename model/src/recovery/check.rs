//! Whether a recovery plan may be flown: every feasibility rule of the ROADEF 2009 challenge (flights, fixed
//! and disrupted flights, tail swaps, rotations, maintenance, breakdowns, airport capacity per clock hour,
//! cabin capacity, passenger itineraries and re-accommodation), and where a problem holds several airlines,
//! that a tail flies only its own operator's flights ([`Violation::SwapAcrossOperators`]; the challenge's
//! instances are one airline's, so their verdicts are the challenge's). Each broken rule is one [`Violation`] naming
//! the flight, aircraft, itinerary, airport or hour; [`Violation::message`] gives the official checker's
//! wording and [`Violation::report_file`] the report it belongs to, so results can be diffed with the
//! official reports line for line.
//!
//! Rules the plan type cannot break by construction (an existing flight with other airports or another
//! linked flight, a new flight with a linked flight, an unknown aircraft, an unknown itinerary, a passenger
//! line of the wrong trip type, legs written after `cancelled`) are reported by the solution-file reader.

use std::fmt;

use super::plan::{NewFlightIdx, OperatedLeg, PassengerLine, PlanFlight, RecoveryPlan};
use super::problem::{
    AircraftIdx, AirportIdx, Cabin, FlightDisruption, FlightIdx, ItineraryIdx, RecoveryProblem,
    RouteClass, MINIMUM_CONNECTION,
};
use crate::time::{Date, Minutes, UtcMinute};

/// Longest arrival delay of an outbound trip on domestic or continental routes.
pub const MAX_DELAY_SHORT_HAUL: Minutes = Minutes(18 * 60);
/// Longest arrival delay of an outbound intercontinental trip.
pub const MAX_DELAY_INTERCONTINENTAL: Minutes = Minutes(36 * 60);

/// One broken rule. `line` is an index into [`RecoveryPlan::passengers`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Violation {
    /// The plan refers to an aircraft, flight or itinerary that does not exist, or its rotations do not
    /// match the fleet; nothing else was checked.
    MalformedPlan { what: String },
    /// F1: a flight is flown more than once.
    FlownTwice { number: u32, date: Date },
    /// F3: a planned flight's block time differs from the schedule's.
    DurationChanged { flight: FlightIdx },
    /// F4: a planned flight departs before its scheduled time.
    DepartsBeforeSchedule { flight: FlightIdx },
    /// F7: a new flight's block time differs from the route table's (or the route is not in it).
    NewFlightDuration { flight: NewFlightIdx },
    /// Not an official rule: a new flight uses the number and date of a planned flight (it would be read
    /// back as that flight).
    NewFlightKeyTaken { flight: NewFlightIdx },
    /// X1: a new flight is created but flown by no aircraft (written `cancelled`).
    NewFlightNotFlown { flight: NewFlightIdx },
    /// FX1: a flight the disruption cancels is flown.
    ImposedCancellationIgnored { flight: FlightIdx },
    /// FX2: a delayed flight is not flown.
    DelayedFlightCancelled { flight: FlightIdx },
    /// FX2: a delayed flight is not flown exactly at its scheduled times plus the imposed delay.
    DelayedFlightRetimed { flight: FlightIdx },
    /// FX2: a delayed flight is flown by another aircraft than planned.
    DelayedFlightTailChanged { flight: FlightIdx },
    /// FX3: a frozen flight is not flown.
    FrozenFlightCancelled { flight: FlightIdx },
    /// FX3: a frozen flight is retimed.
    FrozenFlightRetimed { flight: FlightIdx },
    /// FX3: a frozen flight is flown by another aircraft than planned.
    FrozenFlightTailChanged { flight: FlightIdx },
    /// S1: a planned flight is flown by an aircraft of another family than planned.
    SwapAcrossFamilies {
        flight: FlightIdx,
        planned: AircraftIdx,
        flown_by: AircraftIdx,
    },
    /// Not an official rule (the challenge has one airline): a planned flight is flown by another
    /// airline's aircraft, with no wet-lease or codeshare agreement ([`super::problem::Operators`]).
    /// Reported instead of [`Violation::SwapAcrossFamilies`] for the same leg: the operator is the reason.
    SwapAcrossOperators {
        flight: FlightIdx,
        planned: AircraftIdx,
        flown_by: AircraftIdx,
    },
    /// R1: the aircraft's first leg does not leave from where the aircraft is.
    WrongInitialPosition { aircraft: AircraftIdx },
    /// R2: a leg is longer than the aircraft's range.
    RangeExceeded {
        flight: PlanFlight,
        aircraft: AircraftIdx,
    },
    /// R3: a leg does not leave from where the previous one landed (once per aircraft).
    RotationBroken { aircraft: AircraftIdx },
    /// R4: too little time on the ground before the second leg of a through flight.
    TransitTooShort {
        flight: PlanFlight,
        aircraft: AircraftIdx,
    },
    /// R4: too little time on the ground before a leg.
    TurnRoundTooShort {
        flight: PlanFlight,
        aircraft: AircraftIdx,
    },
    /// R5a: a leg departing before the maintenance slot lands after it starts (once per such leg).
    ArrivesAfterMaintenanceStart { aircraft: AircraftIdx },
    /// R5b: more block time flown before the slot than allowed.
    MaintenanceFlyingTimeExceeded {
        aircraft: AircraftIdx,
        flown: Minutes,
        allowed: Minutes,
    },
    /// R5c: the aircraft is not at the maintenance airport when the slot starts.
    MaintenancePositionMissed { aircraft: AircraftIdx },
    /// R5d: a leg departs during the maintenance slot (once per such leg).
    DepartsDuringMaintenance { aircraft: AircraftIdx },
    /// R6: a leg lands after the recovery window closes.
    ArrivesAfterWindow {
        flight: PlanFlight,
        aircraft: AircraftIdx,
    },
    /// B1: an aircraft flies during a period it is unavailable.
    FliesWhileUnavailable {
        aircraft: AircraftIdx,
        from: UtcMinute,
        to: UtcMinute,
    },
    /// A1: more departures in a clock hour than the airport allows.
    DepartureCapacityExceeded {
        airport: AirportIdx,
        hour_start: UtcMinute,
        movements: u32,
        capacity: u32,
    },
    /// A1: more arrivals in a clock hour than the airport allows.
    ArrivalCapacityExceeded {
        airport: AirportIdx,
        hour_start: UtcMinute,
        movements: u32,
        capacity: u32,
    },
    /// K1: more passengers in a cabin than it has seats.
    CabinCapacityExceeded {
        flight: PlanFlight,
        aircraft: AircraftIdx,
        cabin: Cabin,
        passengers: u32,
        seats: u32,
    },
    /// I2: a passenger line with neither legs nor `cancelled`.
    EmptyLine {
        line: usize,
        itinerary: ItineraryIdx,
    },
    /// I3: passengers on a flight that is not flown.
    CancelledFlightTaken {
        line: usize,
        itinerary: ItineraryIdx,
        flight: PlanFlight,
    },
    /// I4: a connection where the next leg leaves from another airport.
    ConnectionAirportsDiffer {
        line: usize,
        itinerary: ItineraryIdx,
        from: PlanFlight,
        to: PlanFlight,
    },
    /// I5: a connection shorter than the minimum connection time.
    ConnectionTooShort {
        line: usize,
        itinerary: ItineraryIdx,
        from: PlanFlight,
        to: PlanFlight,
    },
    /// I6: the line does not keep the legs the passengers had already flown when the window opened.
    FrozenPartMissing {
        line: usize,
        itinerary: ItineraryIdx,
        flights: Vec<FlightIdx>,
    },
    /// P2: the line departs before the booking's scheduled departure.
    DepartsBeforeBooking {
        line: usize,
        itinerary: ItineraryIdx,
    },
    /// P3: the line does not start at the booking's origin.
    WrongOrigin {
        line: usize,
        itinerary: ItineraryIdx,
    },
    /// P4/P5: a trip not yet started is cut short (cancelled after some legs) or ends elsewhere.
    WrongDestination {
        line: usize,
        itinerary: ItineraryIdx,
    },
    /// P6: an outbound trip arrives later than the maximum delay.
    MaxDelayExceeded {
        line: usize,
        itinerary: ItineraryIdx,
        delay: Minutes,
        limit: Minutes,
    },
    /// P7: the lines of a booking do not carry exactly its passengers.
    PassengerCountWrong {
        itinerary: ItineraryIdx,
        booked: u32,
        placed: u64,
    },
    /// Not an official rule: a line with no passengers.
    NoPassengers {
        line: usize,
        itinerary: ItineraryIdx,
    },
}

/// `2006-Jan-07`, the official reports' date format.
pub struct ReportDate(pub Date);

impl fmt::Display for ReportDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS
            .get(usize::from(self.0.month).saturating_sub(1))
            .unwrap_or(&"???");
        write!(f, "{:04}-{}-{:02}", self.0.year, month, self.0.day)
    }
}

impl Violation {
    /// The official report file this violation is written to (`format` for the ones the official checker
    /// does not have).
    pub fn report_file(&self) -> &'static str {
        use Violation::*;
        match self {
            MalformedPlan { .. } | NewFlightKeyTaken { .. } | NoPassengers { .. } => "format",
            FlownTwice { .. }
            | DurationChanged { .. }
            | DepartsBeforeSchedule { .. }
            | NewFlightDuration { .. } => "checkFlight",
            NewFlightNotFlown { .. } => "checkCancellationofCreatedRotation",
            ImposedCancellationIgnored { .. }
            | DelayedFlightCancelled { .. }
            | DelayedFlightRetimed { .. }
            | DelayedFlightTailChanged { .. }
            | FrozenFlightCancelled { .. }
            | FrozenFlightRetimed { .. }
            | FrozenFlightTailChanged { .. } => "checkFixedFlights",
            SwapAcrossFamilies { .. } | SwapAcrossOperators { .. } => "checkAircraftSwap",
            WrongInitialPosition { .. }
            | RangeExceeded { .. }
            | RotationBroken { .. }
            | TransitTooShort { .. }
            | TurnRoundTooShort { .. }
            | ArrivesAfterMaintenanceStart { .. }
            | MaintenanceFlyingTimeExceeded { .. }
            | MaintenancePositionMissed { .. }
            | DepartsDuringMaintenance { .. }
            | ArrivesAfterWindow { .. } => "checkRotation",
            FliesWhileUnavailable { .. } => "checkAircraftBreakdownPeriod",
            DepartureCapacityExceeded { .. } | ArrivalCapacityExceeded { .. } => {
                "checkAirportCapacity"
            }
            CabinCapacityExceeded { .. } => "checkAircraftCapacity",
            EmptyLine { .. }
            | CancelledFlightTaken { .. }
            | ConnectionAirportsDiffer { .. }
            | ConnectionTooShort { .. }
            | FrozenPartMissing { .. } => "checkItinerary",
            DepartsBeforeBooking { .. }
            | WrongOrigin { .. }
            | WrongDestination { .. }
            | MaxDelayExceeded { .. }
            | PassengerCountWrong { .. } => "checkPassengerReac",
        }
    }

    /// The official checker's message for this violation (our own wording for the non-official ones).
    pub fn message(&self, problem: &RecoveryProblem, plan: &RecoveryPlan) -> String {
        use Violation::*;
        let key = |f: PlanFlight| -> (u32, Date) {
            match f {
                PlanFlight::Planned(i) => problem
                    .flights
                    .get(i.index())
                    .map_or((0, Date::from_days_since_epoch(0)), |fl| {
                        (fl.number, fl.date)
                    }),
                PlanFlight::New(i) => plan
                    .new_flights
                    .get(i.index())
                    .map_or((0, Date::from_days_since_epoch(0)), |nf| {
                        (nf.number, nf.date)
                    }),
            }
        };
        let planned = |f: FlightIdx| key(PlanFlight::Planned(f));
        let tail = |a: AircraftIdx| problem.tail(a).id.as_str();
        let it_id = |i: ItineraryIdx| problem.itinerary(i).id;
        match self {
            MalformedPlan { what } => format!("Malformed plan: {what}"),
            FlownTwice { number, date } => {
                format!(
                    "Flight {number} operated more than once on {}",
                    ReportDate(*date)
                )
            }
            DurationChanged { flight } => {
                let (n, d) = planned(*flight);
                format!("Duration changed on flight {n} on {}", ReportDate(d))
            }
            DepartsBeforeSchedule { flight } => {
                let (n, d) = planned(*flight);
                format!(
                    "Flight {n} departing before planned departure time on {}",
                    ReportDate(d)
                )
            }
            NewFlightDuration { flight } => {
                let (n, d) = key(PlanFlight::New(*flight));
                format!(
                    "Duration problem on newly created flight {n} on {}",
                    ReportDate(d)
                )
            }
            NewFlightKeyTaken { flight } => {
                let (n, d) = key(PlanFlight::New(*flight));
                format!(
                    "Newly created flight {n} on {} uses the number of a planned flight",
                    ReportDate(d)
                )
            }
            NewFlightNotFlown { flight } => {
                let (n, d) = key(PlanFlight::New(*flight));
                format!(
                    "Cancellation of newly created flight {n} on {}",
                    ReportDate(d)
                )
            }
            ImposedCancellationIgnored { flight } => {
                let (n, d) = planned(*flight);
                format!("Cancelled flight {n} not respected on {}", ReportDate(d))
            }
            DelayedFlightCancelled { flight } => {
                let (n, d) = planned(*flight);
                format!("Disrupted flight {n} cancelled on {}", ReportDate(d))
            }
            DelayedFlightRetimed { flight } => {
                let (n, d) = planned(*flight);
                format!(
                    "Departure/arrival time changed on disrupted flight {n} on {}",
                    ReportDate(d)
                )
            }
            DelayedFlightTailChanged { flight } => {
                let (n, d) = planned(*flight);
                format!(
                    "Operating aircraft changed on disrupted flight {n} on {}",
                    ReportDate(d)
                )
            }
            FrozenFlightCancelled { flight } => {
                let (n, d) = planned(*flight);
                format!("Fixed flight {n} cancelled on {}", ReportDate(d))
            }
            FrozenFlightRetimed { flight } => {
                let (n, d) = planned(*flight);
                format!(
                    "Departure/arrival times changed on fixed flight {n} on {}",
                    ReportDate(d)
                )
            }
            FrozenFlightTailChanged { flight } => {
                let (n, d) = planned(*flight);
                format!(
                    "Operating aircraft changed on fixed flight {n} on {}",
                    ReportDate(d)
                )
            }
            SwapAcrossFamilies {
                flight,
                planned: p,
                flown_by,
            } => {
                let (n, d) = planned(*flight);
                format!(
                    "Swap incompatibility on flight {n} on {} (families of original aircraft {} and solution aircraft {} differ)",
                    ReportDate(d),
                    tail(*p),
                    tail(*flown_by)
                )
            }
            SwapAcrossOperators {
                flight, flown_by, ..
            } => {
                let (n, d) = planned(*flight);
                format!(
                    "Operator incompatibility on flight {n} on {}: tail {} ({}) may not fly {} {n}: another operator (no wet-lease or codeshare agreement)",
                    ReportDate(d),
                    tail(*flown_by),
                    problem.operator_of_aircraft(*flown_by).unwrap_or("?"),
                    problem.operator_of_flight(*flight).unwrap_or("?"),
                )
            }
            WrongInitialPosition { aircraft } => {
                format!("Wrong initial position for aircraft {}", tail(*aircraft))
            }
            RangeExceeded { flight, aircraft } => {
                let (n, d) = key(*flight);
                format!(
                    "Range violated on flight {n} on {} operated by aircraft {}",
                    ReportDate(d),
                    tail(*aircraft)
                )
            }
            RotationBroken { aircraft } => {
                format!(
                    "Rotation continuity problem on aircraft {}",
                    tail(*aircraft)
                )
            }
            TransitTooShort { flight, aircraft } => {
                let (n, d) = key(*flight);
                format!(
                    "Transit time violated on flight {n} on {} operated by aircraft {}",
                    ReportDate(d),
                    tail(*aircraft)
                )
            }
            TurnRoundTooShort { flight, aircraft } => {
                let (n, d) = key(*flight);
                format!(
                    "Turn-round time violated on flight {n} on {} operated by aircraft {}",
                    ReportDate(d),
                    tail(*aircraft)
                )
            }
            ArrivesAfterMaintenanceStart { aircraft } => {
                let start = problem
                    .tail(*aircraft)
                    .maintenance
                    .map_or(UtcMinute(0), |m| m.start);
                let (date, minute) = start.date_minute();
                format!(
                    "Aircraft {} arrives after maintenance start time on {} ({:02}:{:02}:00)",
                    tail(*aircraft),
                    ReportDate(date),
                    minute / 60,
                    minute % 60
                )
            }
            MaintenanceFlyingTimeExceeded { aircraft, .. } => format!(
                "Max flying time before maintenance violated for aircraft {}",
                tail(*aircraft)
            ),
            MaintenancePositionMissed { aircraft } => format!(
                "Maintenance position not respected for aircraft {}",
                tail(*aircraft)
            ),
            DepartsDuringMaintenance { aircraft } => {
                let end = problem
                    .tail(*aircraft)
                    .maintenance
                    .map_or(UtcMinute(0), |m| m.end);
                format!(
                    "Aircraft {} leaves before end of maintenance  on {}",
                    tail(*aircraft),
                    ReportDate(end.date_minute().0)
                )
            }
            ArrivesAfterWindow { flight, .. } => {
                let (n, d) = key(*flight);
                format!(
                    "Arrival flight {n} on {} after the end of recovery period",
                    ReportDate(d)
                )
            }
            FliesWhileUnavailable { aircraft, .. } => {
                format!(
                    "Broken period not respected for aircraft {}",
                    tail(*aircraft)
                )
            }
            DepartureCapacityExceeded {
                airport,
                hour_start,
                ..
            }
            | ArrivalCapacityExceeded {
                airport,
                hour_start,
                ..
            } => {
                let kind = if matches!(self, DepartureCapacityExceeded { .. }) {
                    "Departure"
                } else {
                    "Arrival"
                };
                let (date, minute) = hour_start.date_minute();
                format!(
                    "{kind} capacity violated at airport {} on {} (time window {})",
                    problem.airport(*airport).code,
                    ReportDate(date),
                    minute / 60
                )
            }
            CabinCapacityExceeded {
                flight,
                aircraft,
                cabin,
                ..
            } => {
                let (n, d) = key(*flight);
                let name = match cabin {
                    Cabin::First => "First",
                    Cabin::Business => "Business",
                    Cabin::Economy => "Eco",
                };
                format!(
                    "{name} cabin capacity exceeded on flight {n} on {} operated by aircraft {}",
                    ReportDate(d),
                    tail(*aircraft)
                )
            }
            EmptyLine { itinerary, .. } => format!("Empty itinerary {}", it_id(*itinerary)),
            CancelledFlightTaken {
                itinerary, flight, ..
            } => format!(
                "Cancelled flight {} is taken on itinerary {}",
                key(*flight).0,
                it_id(*itinerary)
            ),
            ConnectionAirportsDiffer {
                itinerary,
                from,
                to,
                ..
            } => format!(
                "Arrival of flight {} and departure of flight {} differ on itinerary {}",
                key(*from).0,
                key(*to).0,
                it_id(*itinerary)
            ),
            ConnectionTooShort {
                itinerary,
                from,
                to,
                ..
            } => format!(
                "Connection time not respected between flight {} and flight {} on itinerary {}",
                key(*from).0,
                key(*to).0,
                it_id(*itinerary)
            ),
            FrozenPartMissing {
                itinerary, flights, ..
            } => format!(
                "Fixed part of itinerary {} missing flight(s) {}",
                it_id(*itinerary),
                flights
                    .iter()
                    .map(|f| planned(*f).0.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DepartsBeforeBooking { itinerary, .. } => format!(
                "Itinerary {} departs before its original departure time",
                it_id(*itinerary)
            ),
            WrongOrigin { itinerary, .. } => {
                format!("Origin problem on itinerary {}", it_id(*itinerary))
            }
            WrongDestination { itinerary, .. } => {
                format!(
                    "Final destination problem on itinerary {}",
                    it_id(*itinerary)
                )
            }
            MaxDelayExceeded {
                itinerary, limit, ..
            } => format!(
                "Violation of {}h max delay on itinerary {}",
                limit.0 / 60,
                it_id(*itinerary)
            ),
            PassengerCountWrong { itinerary, .. } => format!(
                "Incorrect number of passengers reaccomodated on itinerary {}",
                it_id(*itinerary)
            ),
            NoPassengers { itinerary, .. } => format!(
                "Bad type, passenger count or cabin on a line of itinerary {}",
                it_id(*itinerary)
            ),
        }
    }
}

/// Where a flight of the plan is flown: the aircraft and the position in its rotation (as stored in the
/// plan) of its first occurrence in file order (aircraft by aircraft).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Flown {
    pub aircraft: AircraftIdx,
    pub position: u32,
}

/// The plan indexed for checking and costing: who flies each flight, and each rotation in departure order.
pub(crate) struct PlanIndex<'a> {
    pub plan: &'a RecoveryPlan,
    pub planned: Vec<Option<Flown>>,
    pub new: Vec<Option<Flown>>,
    /// Per aircraft, positions into its plan rotation, sorted by departure (ties: plan order).
    pub sorted_rotations: Vec<Vec<u32>>,
}

impl<'a> PlanIndex<'a> {
    /// Indexes the plan, or says why it does not fit the problem.
    pub fn new(problem: &RecoveryProblem, plan: &'a RecoveryPlan) -> Result<PlanIndex<'a>, String> {
        if plan.rotations.len() != problem.aircraft.len() {
            return Err(format!(
                "{} rotations for {} aircraft",
                plan.rotations.len(),
                problem.aircraft.len()
            ));
        }
        let n_airports = problem.airports.len();
        for (i, nf) in plan.new_flights.iter().enumerate() {
            if nf.origin.index() >= n_airports || nf.destination.index() >= n_airports {
                return Err(format!("new flight {i} refers to an unknown airport"));
            }
        }
        let check_flight = |f: PlanFlight| -> Result<(), String> {
            match f {
                PlanFlight::Planned(i) if i.index() >= problem.flights.len() => {
                    Err(format!("planned flight index {} out of range", i.0))
                }
                PlanFlight::New(i) if i.index() >= plan.new_flights.len() => {
                    Err(format!("new flight index {} out of range", i.0))
                }
                _ => Ok(()),
            }
        };
        let mut planned = vec![None; problem.flights.len()];
        let mut new = vec![None; plan.new_flights.len()];
        let mut sorted_rotations = Vec::with_capacity(plan.rotations.len());
        for (a, rotation) in plan.rotations.iter().enumerate() {
            for (p, leg) in rotation.iter().enumerate() {
                check_flight(leg.flight)?;
                let slot = match leg.flight {
                    PlanFlight::Planned(i) => &mut planned[i.index()],
                    PlanFlight::New(i) => &mut new[i.index()],
                };
                if slot.is_none() {
                    *slot = Some(Flown {
                        aircraft: AircraftIdx(a as u16),
                        position: p as u32,
                    });
                }
            }
            let mut order: Vec<u32> = (0..rotation.len() as u32).collect();
            order.sort_by_key(|&p| rotation[p as usize].departure);
            sorted_rotations.push(order);
        }
        for f in &plan.cancelled {
            check_flight(PlanFlight::Planned(*f))?;
        }
        for (k, line) in plan.passengers.iter().enumerate() {
            if line.itinerary.index() >= problem.itineraries.len() {
                return Err(format!(
                    "passenger line {k} refers to itinerary index {}, out of range",
                    line.itinerary.0
                ));
            }
            for leg in &line.legs {
                check_flight(leg.flight)?;
            }
        }
        Ok(PlanIndex {
            plan,
            planned,
            new,
            sorted_rotations,
        })
    }

    /// Who flies the flight (first occurrence), if anybody.
    pub fn flown(&self, flight: PlanFlight) -> Option<Flown> {
        match flight {
            PlanFlight::Planned(i) => self.planned[i.index()],
            PlanFlight::New(i) => self.new[i.index()],
        }
    }

    /// The operated leg of a flight (first occurrence), with its aircraft.
    pub fn operated(&self, flight: PlanFlight) -> Option<(AircraftIdx, &'a OperatedLeg)> {
        let plan: &'a RecoveryPlan = self.plan;
        self.flown(flight).map(|f| {
            (
                f.aircraft,
                &plan.rotations[f.aircraft.index()][f.position as usize],
            )
        })
    }
}

/// The class of the route between two airports (domestic where the table has no such route).
pub(crate) fn route_class(
    problem: &RecoveryProblem,
    origin: AirportIdx,
    destination: AirportIdx,
) -> RouteClass {
    problem
        .routes
        .get(origin, destination)
        .map_or(RouteClass::Domestic, |r| r.class)
}

/// Every rule of the challenge applied to a plan; an empty list means the plan may be flown.
pub fn check(problem: &RecoveryProblem, plan: &RecoveryPlan) -> Vec<Violation> {
    match PlanIndex::new(problem, plan) {
        Ok(index) => check_indexed(problem, &index),
        Err(what) => vec![Violation::MalformedPlan { what }],
    }
}

pub(crate) fn check_indexed(problem: &RecoveryProblem, index: &PlanIndex<'_>) -> Vec<Violation> {
    let mut v = Vec::new();
    check_flights(problem, index, &mut v);
    check_rotations(problem, index, &mut v);
    check_airport_capacity(problem, index, &mut v);
    check_passengers(problem, index, &mut v);
    v
}

fn check_flights(problem: &RecoveryProblem, index: &PlanIndex<'_>, v: &mut Vec<Violation>) {
    let plan = index.plan;
    // F1: every key flown at most once.
    let mut planned_count = vec![0u32; problem.flights.len()];
    let mut new_keys: Vec<(u32, Date)> = Vec::new();
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let aircraft = AircraftIdx(a as u16);
        for leg in rotation {
            match leg.flight {
                PlanFlight::Planned(f) => {
                    planned_count[f.index()] += 1;
                    let flight = problem.flight(f);
                    if leg.arrival - leg.departure != flight.block_time() {
                        v.push(Violation::DurationChanged { flight: f });
                    }
                    if leg.departure < flight.scheduled_departure {
                        v.push(Violation::DepartsBeforeSchedule { flight: f });
                    }
                    let planned_tail = flight.planned_aircraft;
                    if !problem.same_operator(aircraft, f) {
                        v.push(Violation::SwapAcrossOperators {
                            flight: f,
                            planned: planned_tail,
                            flown_by: aircraft,
                        });
                    } else if problem.tail(aircraft).family != problem.tail(planned_tail).family {
                        v.push(Violation::SwapAcrossFamilies {
                            flight: f,
                            planned: planned_tail,
                            flown_by: aircraft,
                        });
                    }
                }
                PlanFlight::New(n) => {
                    let nf = &plan.new_flights[n.index()];
                    new_keys.push((nf.number, nf.date));
                    let route = problem.routes.get(nf.origin, nf.destination);
                    if route.map(|r| r.block_time) != Some(leg.arrival - leg.departure) {
                        v.push(Violation::NewFlightDuration { flight: n });
                    }
                }
            }
        }
    }
    for (i, &count) in planned_count.iter().enumerate() {
        if count > 1 {
            let f = &problem.flights[i];
            v.push(Violation::FlownTwice {
                number: f.number,
                date: f.date,
            });
        }
    }
    new_keys.sort_unstable();
    for w in new_keys.chunk_by(|a, b| a == b) {
        if w.len() > 1 {
            v.push(Violation::FlownTwice {
                number: w[0].0,
                date: w[0].1,
            });
        }
    }
    for (i, nf) in plan.new_flights.iter().enumerate() {
        let n = NewFlightIdx(i as u32);
        if index.new[i].is_none() {
            v.push(Violation::NewFlightNotFlown { flight: n });
        }
        if problem.flight_by_key(nf.number, nf.date).is_some() {
            v.push(Violation::NewFlightKeyTaken { flight: n });
        }
    }
    // FX1-FX3, on the first occurrence of each planned flight.
    for (i, flight) in problem.flights.iter().enumerate() {
        let f = FlightIdx(i as u32);
        let operated = index.operated(PlanFlight::Planned(f));
        match flight.disruption {
            Some(FlightDisruption::Cancelled) if operated.is_some() => {
                v.push(Violation::ImposedCancellationIgnored { flight: f });
            }
            Some(FlightDisruption::Cancelled) => {}
            Some(FlightDisruption::Delayed(delay)) => match operated {
                None => v.push(Violation::DelayedFlightCancelled { flight: f }),
                Some((aircraft, leg)) => {
                    if leg.departure != flight.scheduled_departure + delay
                        || leg.arrival != flight.scheduled_arrival + delay
                    {
                        v.push(Violation::DelayedFlightRetimed { flight: f });
                    }
                    if aircraft != flight.planned_aircraft {
                        v.push(Violation::DelayedFlightTailChanged { flight: f });
                    }
                }
            },
            None if flight.frozen => match operated {
                None => v.push(Violation::FrozenFlightCancelled { flight: f }),
                Some((aircraft, leg)) => {
                    if leg.departure != flight.scheduled_departure
                        || leg.arrival != flight.scheduled_arrival
                    {
                        v.push(Violation::FrozenFlightRetimed { flight: f });
                    }
                    if aircraft != flight.planned_aircraft {
                        v.push(Violation::FrozenFlightTailChanged { flight: f });
                    }
                }
            },
            None => {}
        }
    }
}

fn check_rotations(problem: &RecoveryProblem, index: &PlanIndex<'_>, v: &mut Vec<Violation>) {
    let plan = index.plan;
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let aircraft = AircraftIdx(a as u16);
        let tail = problem.tail(aircraft);
        let order = &index.sorted_rotations[a];
        let leg = |k: usize| &rotation[order[k] as usize];
        let airports = |l: &OperatedLeg| plan.flight_airports(problem, l.flight);
        if let Some(&first) = order.first() {
            if airports(&rotation[first as usize]).0 != tail.origin {
                v.push(Violation::WrongInitialPosition { aircraft });
            }
        }
        for k in 0..order.len() {
            let l = leg(k);
            if l.arrival - l.departure > tail.range {
                v.push(Violation::RangeExceeded {
                    flight: l.flight,
                    aircraft,
                });
            }
        }
        let mut broken = false;
        for k in 1..order.len() {
            let (f, g) = (leg(k - 1), leg(k));
            if airports(g).0 != airports(f).1 {
                broken = true;
            }
            let ground = g.departure - f.arrival;
            if plan.continues(problem, f.flight, g.flight) {
                if ground < tail.transit {
                    v.push(Violation::TransitTooShort {
                        flight: g.flight,
                        aircraft,
                    });
                }
            } else if ground < tail.turn_round {
                v.push(Violation::TurnRoundTooShort {
                    flight: g.flight,
                    aircraft,
                });
            }
        }
        if broken {
            v.push(Violation::RotationBroken { aircraft });
        }
        if let Some(m) = tail.maintenance {
            let mut flown = Minutes(0);
            let mut position = tail.origin;
            for k in 0..order.len() {
                let l = leg(k);
                if l.departure < m.start {
                    flown = flown + (l.arrival - l.departure);
                    position = airports(l).1;
                    if l.arrival > m.start {
                        v.push(Violation::ArrivesAfterMaintenanceStart { aircraft });
                    }
                }
            }
            if flown > m.max_flying_before {
                v.push(Violation::MaintenanceFlyingTimeExceeded {
                    aircraft,
                    flown,
                    allowed: m.max_flying_before,
                });
            }
            if position != m.airport {
                v.push(Violation::MaintenancePositionMissed { aircraft });
            }
            for k in 0..order.len() {
                let l = leg(k);
                if m.start <= l.departure && l.departure < m.end {
                    v.push(Violation::DepartsDuringMaintenance { aircraft });
                }
            }
        }
        for k in 0..order.len() {
            let l = leg(k);
            if l.arrival > problem.window_end {
                v.push(Violation::ArrivesAfterWindow {
                    flight: l.flight,
                    aircraft,
                });
            }
        }
        for period in &tail.unavailable {
            if rotation
                .iter()
                .any(|l| l.departure < period.to && l.arrival > period.from)
            {
                v.push(Violation::FliesWhileUnavailable {
                    aircraft,
                    from: period.from,
                    to: period.to,
                });
            }
        }
    }
}

fn check_airport_capacity(
    problem: &RecoveryProblem,
    index: &PlanIndex<'_>,
    v: &mut Vec<Violation>,
) {
    let plan = index.plan;
    // (airport, 0 = departure / 1 = arrival, hour)
    let mut movements: Vec<(AirportIdx, u8, i64)> = Vec::new();
    for (a, rotation) in plan.rotations.iter().enumerate() {
        if problem.aircraft[a].ground_transport {
            continue;
        }
        for l in rotation {
            let (origin, destination) = plan.flight_airports(problem, l.flight);
            movements.push((origin, 0, l.departure.0.div_euclid(60)));
            movements.push((destination, 1, l.arrival.0.div_euclid(60)));
        }
    }
    movements.sort_unstable();
    for run in movements.chunk_by(|a, b| a == b) {
        let (airport, kind, hour) = run[0];
        let hour_start = UtcMinute(hour * 60);
        let capacity = problem.airport(airport).capacity_of_hour(hour_start);
        let n = run.len() as u32;
        if kind == 0 && n > capacity.departures {
            v.push(Violation::DepartureCapacityExceeded {
                airport,
                hour_start,
                movements: n,
                capacity: capacity.departures,
            });
        } else if kind == 1 && n > capacity.arrivals {
            v.push(Violation::ArrivalCapacityExceeded {
                airport,
                hour_start,
                movements: n,
                capacity: capacity.arrivals,
            });
        }
    }
}

/// What a passenger line's leg looks like to the rules: the operated leg, or (if the flight is not flown) a
/// leg from nowhere to nowhere at 00:00 of its date, as the official checker sees it.
#[derive(Copy, Clone)]
struct LegView {
    origin: Option<AirportIdx>,
    destination: Option<AirportIdx>,
    departure: UtcMinute,
    arrival: UtcMinute,
}

fn leg_view(problem: &RecoveryProblem, index: &PlanIndex<'_>, flight: PlanFlight) -> LegView {
    match index.operated(flight) {
        Some((_, l)) => {
            let (o, d) = index.plan.flight_airports(problem, flight);
            LegView {
                origin: Some(o),
                destination: Some(d),
                departure: l.departure,
                arrival: l.arrival,
            }
        }
        None => {
            let t = UtcMinute::from_date_minute(index.plan.flight_key(problem, flight).1, 0);
            LegView {
                origin: None,
                destination: None,
                departure: t,
                arrival: t,
            }
        }
    }
}

/// The legs of a booking its passengers had flown when the window opened: the longest prefix of booked
/// legs that are flown, depart before the window, and connect with at least the minimum connection time.
pub(crate) fn frozen_prefix(
    problem: &RecoveryProblem,
    index: &PlanIndex<'_>,
    itinerary: ItineraryIdx,
) -> Vec<FlightIdx> {
    let mut prefix = Vec::new();
    let mut previous_arrival: Option<UtcMinute> = None;
    for booked in &problem.itinerary(itinerary).legs {
        let Some((_, l)) = index.operated(PlanFlight::Planned(booked.flight)) else {
            break;
        };
        if l.departure >= problem.window_start {
            break;
        }
        if let Some(arr) = previous_arrival {
            if l.departure - arr < MINIMUM_CONNECTION {
                break;
            }
        }
        prefix.push(booked.flight);
        previous_arrival = Some(l.arrival);
    }
    prefix
}

fn check_passengers(problem: &RecoveryProblem, index: &PlanIndex<'_>, v: &mut Vec<Violation>) {
    let plan = index.plan;
    // Loads per flight and cabin column.
    let mut planned_load = vec![[0u32; 3]; problem.flights.len()];
    let mut new_load = vec![[0u32; 3]; plan.new_flights.len()];
    let mut placed = vec![0u64; problem.itineraries.len()];
    let mut prefixes: Vec<Option<Vec<FlightIdx>>> = vec![None; problem.itineraries.len()];
    for (k, line) in plan.passengers.iter().enumerate() {
        check_line(problem, index, k, line, &mut prefixes, v);
        placed[line.itinerary.index()] += u64::from(line.passengers);
        for leg in &line.legs {
            if index.flown(leg.flight).is_none() {
                continue;
            }
            let slot = match leg.flight {
                PlanFlight::Planned(f) => &mut planned_load[f.index()],
                PlanFlight::New(n) => &mut new_load[n.index()],
            };
            slot[leg.cabin.column()] = slot[leg.cabin.column()].saturating_add(line.passengers);
        }
    }
    for (i, it) in problem.itineraries.iter().enumerate() {
        if placed[i] != u64::from(it.passengers) {
            v.push(Violation::PassengerCountWrong {
                itinerary: ItineraryIdx(i as u32),
                booked: it.passengers,
                placed: placed[i],
            });
        }
    }
    let flights = (0..planned_load.len())
        .map(|i| (PlanFlight::Planned(FlightIdx(i as u32)), planned_load[i]))
        .chain((0..new_load.len()).map(|i| (PlanFlight::New(NewFlightIdx(i as u32)), new_load[i])));
    for (flight, load) in flights {
        if load == [0; 3] {
            continue;
        }
        let Some((aircraft, _)) = index.operated(flight) else {
            continue;
        };
        let seats = problem.tail(aircraft).seats;
        for cabin in Cabin::ALL {
            let passengers = load[cabin.column()];
            if let Some(limit) = seats.seats(cabin) {
                if passengers > limit {
                    v.push(Violation::CabinCapacityExceeded {
                        flight,
                        aircraft,
                        cabin,
                        passengers,
                        seats: limit,
                    });
                }
            }
        }
    }
}

fn check_line(
    problem: &RecoveryProblem,
    index: &PlanIndex<'_>,
    k: usize,
    line: &PassengerLine,
    prefixes: &mut [Option<Vec<FlightIdx>>],
    v: &mut Vec<Violation>,
) {
    let itinerary = line.itinerary;
    let it = problem.itinerary(itinerary);
    if line.legs.is_empty() && !line.cancelled {
        v.push(Violation::EmptyLine { line: k, itinerary });
    }
    if line.passengers == 0 {
        v.push(Violation::NoPassengers { line: k, itinerary });
    }
    let prefix =
        prefixes[itinerary.index()].get_or_insert_with(|| frozen_prefix(problem, index, itinerary));
    let missing: Vec<FlightIdx> = prefix
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            line.legs
                .get(*i)
                .map_or(true, |l| l.flight != PlanFlight::Planned(**f))
        })
        .map(|(_, f)| *f)
        .collect();
    if !missing.is_empty() {
        v.push(Violation::FrozenPartMissing {
            line: k,
            itinerary,
            flights: missing,
        });
    }
    for leg in &line.legs {
        if index.flown(leg.flight).is_none() {
            v.push(Violation::CancelledFlightTaken {
                line: k,
                itinerary,
                flight: leg.flight,
            });
        }
    }
    for pair in line.legs.windows(2) {
        let (Some((_, a)), Some((_, b))) = (
            index.operated(pair[0].flight),
            index.operated(pair[1].flight),
        ) else {
            continue;
        };
        let a_dest = index.plan.flight_airports(problem, pair[0].flight).1;
        let b_orig = index.plan.flight_airports(problem, pair[1].flight).0;
        if a_dest != b_orig {
            v.push(Violation::ConnectionAirportsDiffer {
                line: k,
                itinerary,
                from: pair[0].flight,
                to: pair[1].flight,
            });
        }
        if b.departure - a.arrival < MINIMUM_CONNECTION {
            v.push(Violation::ConnectionTooShort {
                line: k,
                itinerary,
                from: pair[0].flight,
                to: pair[1].flight,
            });
        }
    }
    let (Some(first), Some(last)) = (line.legs.first(), line.legs.last()) else {
        return;
    };
    let first = leg_view(problem, index, first.flight);
    let last = leg_view(problem, index, last.flight);
    if first.departure < it.scheduled_departure {
        v.push(Violation::DepartsBeforeBooking { line: k, itinerary });
    }
    if first.origin != Some(it.origin) {
        v.push(Violation::WrongOrigin { line: k, itinerary });
    }
    let started = first.departure <= problem.window_start;
    if started {
        return;
    }
    if line.cancelled || last.destination != Some(it.destination) {
        v.push(Violation::WrongDestination { line: k, itinerary });
        return;
    }
    let delay = last.arrival - it.scheduled_arrival;
    let limit = if it.class == RouteClass::Intercontinental {
        MAX_DELAY_INTERCONTINENTAL
    } else {
        MAX_DELAY_SHORT_HAUL
    };
    if delay > limit && it.direction == super::problem::TripDirection::Outbound {
        v.push(Violation::MaxDelayExceeded {
            line: k,
            itinerary,
            delay,
            limit,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AirportCode;
    use crate::recovery::problem::{
        Cents, CostConfig, FamilyIdx, Flight, HourlyCapacity, ModelIdx, OperatorIdx, Operators,
        RecoveryAircraft, RecoveryAirport, RecoveryProblemParts, Route, RouteTable,
        SeatConfiguration,
    };

    fn at(hour: i64) -> UtcMinute {
        UtcMinute::from_date_minute(Date::new(2013, 7, 2).expect("a date"), hour * 60)
    }

    /// Two A320s at JFK, N592JB (B6) and N322US (DL), each with one JFK-MIA flight: B6 1 and DL 2. Both
    /// tails share a family, as they do when families are type families only.
    fn two_airlines() -> RecoveryProblem {
        let aircraft = |id: &str| RecoveryAircraft {
            id: id.into(),
            model: ModelIdx(0),
            family: FamilyIdx(0),
            seats: SeatConfiguration {
                first: Some(0),
                business: Some(0),
                economy: Some(150),
            },
            range: Minutes(600),
            cost_per_hour: Cents(0),
            turn_round: Minutes(30),
            transit: Minutes(30),
            origin: AirportIdx(0),
            maintenance: None,
            unavailable: Vec::new(),
            ground_transport: false,
        };
        let flight = |number: u32, a: u16| Flight {
            number,
            date: Date::new(2013, 7, 2).expect("a date"),
            origin: AirportIdx(0),
            destination: AirportIdx(1),
            scheduled_departure: at(12),
            scheduled_arrival: at(15),
            previous_number: None,
            planned_aircraft: AircraftIdx(a),
            disruption: None,
            frozen: false,
        };
        let airport = |code: &str| RecoveryAirport {
            code: AirportCode::new(code).expect("an airport code"),
            daily_capacity: [HourlyCapacity {
                departures: 100,
                arrivals: 100,
            }; 24],
            cuts: Vec::new(),
        };
        let mut routes = RouteTable::new(2);
        routes.set(
            AirportIdx(0),
            AirportIdx(1),
            Route {
                block_time: Minutes(180),
                class: RouteClass::Domestic,
            },
        );
        let zero = [[Cents(0); 3]; 3];
        RecoveryProblem::new(RecoveryProblemParts {
            window_start: Some(at(6)),
            window_end: Some(at(23)),
            airports: vec![airport("JFK"), airport("MIA")],
            routes,
            families: vec!["A320".into()],
            models: vec!["A320".into()],
            aircraft: vec![aircraft("N592JB"), aircraft("N322US")],
            flights: vec![flight(1, 0), flight(2, 1)],
            itineraries: Vec::new(),
            positions: Vec::new(),
            costs: Some(CostConfig {
                delay_per_minute: zero,
                outbound_cancellation: zero,
                return_cancellation: zero,
                downgrade: [zero; 3],
                position_penalty_family: Cents(0),
                position_penalty_model: Cents(0),
                position_penalty_configuration: Cents(0),
                alpha: 1.0,
                beta: 1.0,
                gamma: 1.0,
            }),
        })
        .expect("the test problem is consistent")
    }

    fn with_operators(problem: RecoveryProblem) -> RecoveryProblem {
        problem
            .with_operators(Operators {
                codes: vec!["B6".into(), "DL".into()],
                of_aircraft: vec![OperatorIdx(0), OperatorIdx(1)],
                of_flight: vec![OperatorIdx(0), OperatorIdx(1)],
            })
            .expect("one operator per aircraft and flight")
    }

    /// The plan that gives the Delta flight to the JetBlue tail (and the JetBlue flight to the Delta tail).
    fn swapped(problem: &RecoveryProblem) -> RecoveryPlan {
        let mut plan = RecoveryPlan::original(problem);
        plan.rotations.swap(0, 1);
        plan
    }

    #[test]
    fn a_tail_may_not_fly_another_airlines_flight() {
        let problem = with_operators(two_airlines());
        let plan = swapped(&problem);
        let violations = check(&problem, &plan);
        assert_eq!(
            violations,
            vec![
                Violation::SwapAcrossOperators {
                    flight: FlightIdx(1),
                    planned: AircraftIdx(1),
                    flown_by: AircraftIdx(0),
                },
                Violation::SwapAcrossOperators {
                    flight: FlightIdx(0),
                    planned: AircraftIdx(0),
                    flown_by: AircraftIdx(1),
                },
            ]
        );
        let message = violations[0].message(&problem, &plan);
        assert!(
            message.contains("tail N592JB (B6) may not fly DL 2: another operator"),
            "the message names the tail, both airlines and the rule: {message}"
        );
        assert_eq!(violations[0].report_file(), "checkAircraftSwap");
    }

    #[test]
    fn the_schedule_as_planned_keeps_every_operator_rule() {
        let problem = with_operators(two_airlines());
        assert_eq!(check(&problem, &RecoveryPlan::original(&problem)), vec![]);
    }

    #[test]
    fn one_airlines_problem_keeps_the_challenge_rules() {
        // Without operators (the ROADEF 2009 instances) the same swap within a family is allowed.
        let problem = two_airlines();
        assert_eq!(check(&problem, &swapped(&problem)), vec![]);
    }

    #[test]
    fn operators_must_cover_every_aircraft_and_flight() {
        let short = two_airlines().with_operators(Operators {
            codes: vec!["B6".into()],
            of_aircraft: vec![OperatorIdx(0)],
            of_flight: vec![OperatorIdx(0), OperatorIdx(0)],
        });
        assert!(matches!(
            short,
            Err(crate::recovery::RecoveryProblemError::Operators { .. })
        ));
    }
}
