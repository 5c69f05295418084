//! The recovery problem: what the airline has when the recovery window opens — its airports and their
//! hourly movement capacities, the route table, the planned flights and which of them are delayed or
//! cancelled, the fleet and which tails are out of service, the planned rotations, the booked passenger
//! itineraries, where the fleet must be when the window closes, what every outcome costs, and — where one
//! problem holds several airlines — who operates each tail and flight ([`Operators`]).
//!
//! Everything is indexed densely (`AirportIdx`, `FlightIdx`, `AircraftIdx`, ...) so that checkers and
//! optimizers work on `Vec`s, never on maps keyed by strings. Times are absolute [`UtcMinute`]s (the data has
//! one global clock, no zones; dates become minutes since 1970). Money is whole euro cents ([`Cents`]): every
//! price and rate of the data has at most two decimals and is multiplied by whole passengers, minutes and
//! hours, so every cost is exact.

use std::fmt;

use rustc_hash::FxHashMap as HashMap;

use crate::ids::AirportCode;
use crate::time::{Date, Minutes, UtcMinute};

/// Minimum passenger connection time between two legs of one trip.
pub const MINIMUM_CONNECTION: Minutes = Minutes(30);

/// The family name of the ground-transport pseudo-aircraft (coaches between CDG and ORY): their legs are
/// frozen, use no airport capacity and have unlimited seats.
pub const GROUND_TRANSPORT_FAMILY: &str = "TranspCom";

/// An airport, as an index into [`RecoveryProblem::airports`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AirportIdx(pub u16);

/// A flight leg of the original plan (a flight number on a date), as an index into
/// [`RecoveryProblem::flights`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlightIdx(pub u32);

/// An aircraft (tail), as an index into [`RecoveryProblem::aircraft`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AircraftIdx(pub u16);

/// A booked itinerary, as an index into [`RecoveryProblem::itineraries`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItineraryIdx(pub u32);

/// An aircraft family (tails may be swapped within one), as an index into [`RecoveryProblem::families`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FamilyIdx(pub u16);

/// An aircraft model (`A320`), as an index into [`RecoveryProblem::models`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModelIdx(pub u16);

macro_rules! index_usize {
    ($($t:ident),*) => {$(
        impl $t {
            /// The position in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
/// An airline that operates aircraft and flights (`B6`), as an index into [`Operators::codes`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperatorIdx(pub u16);

index_usize!(
    AirportIdx,
    FlightIdx,
    AircraftIdx,
    ItineraryIdx,
    FamilyIdx,
    ModelIdx,
    OperatorIdx
);

/// An amount of money in euro cents (negative for credits).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// The amount in euros (for reports; never computed with).
    pub fn euros(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, rhs: Cents) {
        self.0 += rhs.0;
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, rhs: Cents) -> Cents {
        Cents(self.0 - rhs.0)
    }
}

impl std::ops::Mul<i64> for Cents {
    type Output = Cents;
    fn mul(self, rhs: i64) -> Cents {
        Cents(self.0 * rhs)
    }
}

impl fmt::Display for Cents {
    /// `1234.50`, the way the challenge's reports print euros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// A passenger cabin. Ordered from the lowest to the highest: `Economy < Business < First`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cabin {
    Economy,
    Business,
    First,
}

impl Cabin {
    pub const ALL: [Cabin; 3] = [Cabin::First, Cabin::Business, Cabin::Economy];

    /// 0 for First, 1 for Business, 2 for Economy (the order of the data's `F/B/E` columns).
    pub fn column(self) -> usize {
        match self {
            Cabin::First => 0,
            Cabin::Business => 1,
            Cabin::Economy => 2,
        }
    }

    /// The data's letter: `F`, `B`, `E`.
    pub fn letter(self) -> char {
        match self {
            Cabin::First => 'F',
            Cabin::Business => 'B',
            Cabin::Economy => 'E',
        }
    }

    pub fn from_letter(text: &str) -> Option<Cabin> {
        match text {
            "F" => Some(Cabin::First),
            "B" => Some(Cabin::Business),
            "E" => Some(Cabin::Economy),
            _ => None,
        }
    }
}

/// How far a route goes. Ordered `Domestic < Continental < Intercontinental`; an itinerary takes the class
/// of its longest leg.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteClass {
    Domestic,
    Continental,
    Intercontinental,
}

impl RouteClass {
    /// 0, 1, 2 for D, C, I (the index into cost tables).
    pub fn column(self) -> usize {
        match self {
            RouteClass::Domestic => 0,
            RouteClass::Continental => 1,
            RouteClass::Intercontinental => 2,
        }
    }

    pub fn letter(self) -> char {
        match self {
            RouteClass::Domestic => 'D',
            RouteClass::Continental => 'C',
            RouteClass::Intercontinental => 'I',
        }
    }

    pub fn from_letter(text: &str) -> Option<RouteClass> {
        match text {
            "D" => Some(RouteClass::Domestic),
            "C" => Some(RouteClass::Continental),
            "I" => Some(RouteClass::Intercontinental),
            _ => None,
        }
    }
}

/// Whether a booking is the outbound half of a trip (or a one-way trip) or the return half. Cancelling a
/// return strands the passenger away from home and costs more.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TripDirection {
    /// `A` in the data.
    Outbound,
    /// `R` in the data.
    Return,
}

impl TripDirection {
    pub fn letter(self) -> char {
        match self {
            TripDirection::Outbound => 'A',
            TripDirection::Return => 'R',
        }
    }
}

/// Movements an airport may handle in one clock hour.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct HourlyCapacity {
    pub departures: u32,
    pub arrivals: u32,
}

/// A temporary capacity reduction at an airport (`alt_airports.csv`), on whole hours `[from, to)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CapacityCut {
    pub from: UtcMinute,
    pub to: UtcMinute,
    pub capacity: HourlyCapacity,
}

/// An airport with its normal movement capacity for each hour of the day and its capacity cuts.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryAirport {
    pub code: AirportCode,
    /// Capacity of each clock hour of any day, 00:00-01:00 first (`u32::MAX` where the data gives none).
    pub daily_capacity: [HourlyCapacity; 24],
    /// Capacity reductions, sorted by start, never overlapping.
    pub cuts: Vec<CapacityCut>,
}

impl RecoveryAirport {
    /// The capacity of the clock hour starting at `hour_start` (a whole hour): the cut covering it if any,
    /// else the normal capacity of that hour of the day.
    pub fn capacity_of_hour(&self, hour_start: UtcMinute) -> HourlyCapacity {
        if !self.cuts.is_empty() {
            let i = self.cuts.partition_point(|c| c.from <= hour_start);
            if i > 0 && hour_start < self.cuts[i - 1].to {
                return self.cuts[i - 1].capacity;
            }
        }
        let hour_of_day = hour_start.0.div_euclid(60).rem_euclid(24) as usize;
        self.daily_capacity[hour_of_day]
    }
}

/// A route between two airports (`dist.csv`): the block time a newly created flight on it takes, and its class.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub block_time: Minutes,
    pub class: RouteClass,
}

/// The route table, a full matrix over the airports (not symmetric).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RouteTable {
    airports: usize,
    routes: Vec<Option<Route>>,
}

impl RouteTable {
    /// An empty table over `airports` airports.
    pub fn new(airports: usize) -> RouteTable {
        RouteTable {
            airports,
            routes: vec![None; airports * airports],
        }
    }

    pub fn set(&mut self, origin: AirportIdx, destination: AirportIdx, route: Route) {
        let i = origin.index() * self.airports + destination.index();
        self.routes[i] = Some(route);
    }

    /// The route from `origin` to `destination`, if the table has one.
    pub fn get(&self, origin: AirportIdx, destination: AirportIdx) -> Option<Route> {
        if origin.index() >= self.airports || destination.index() >= self.airports {
            return None;
        }
        self.routes[origin.index() * self.airports + destination.index()]
    }
}

/// What the disruption imposes on a planned flight (`alt_flights.csv`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FlightDisruption {
    /// Must be flown exactly this much later, by its planned aircraft.
    Delayed(Minutes),
    /// Must not be flown.
    Cancelled,
}

/// A flight leg of the original plan: a flight number flown on one date.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub number: u32,
    /// The scheduled departure date (the leg's key with `number`).
    pub date: Date,
    pub origin: AirportIdx,
    pub destination: AirportIdx,
    pub scheduled_departure: UtcMinute,
    pub scheduled_arrival: UtcMinute,
    /// The flight number this leg continues with the same aircraft (a through flight), if any.
    pub previous_number: Option<u32>,
    /// The aircraft the original plan flies it with.
    pub planned_aircraft: AircraftIdx,
    /// Imposed delay or cancellation, if the disruption touches this leg.
    pub disruption: Option<FlightDisruption>,
    /// Frozen: scheduled to depart before the window opens (or at or after it closes), or a ground-transport
    /// leg. A frozen leg keeps its aircraft and times. Computed by [`RecoveryProblem::new`].
    pub frozen: bool,
}

impl Flight {
    /// Scheduled block time.
    pub fn block_time(&self) -> Minutes {
        self.scheduled_arrival - self.scheduled_departure
    }
}

/// Seats per cabin of an aircraft configuration (`F/B/E`); `None` is unlimited (ground transport).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct SeatConfiguration {
    pub first: Option<u32>,
    pub business: Option<u32>,
    pub economy: Option<u32>,
}

impl SeatConfiguration {
    pub fn seats(&self, cabin: Cabin) -> Option<u32> {
        match cabin {
            Cabin::First => self.first,
            Cabin::Business => self.business,
            Cabin::Economy => self.economy,
        }
    }
}

impl fmt::Display for SeatConfiguration {
    /// `0/12/138`, `-1` for unlimited.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |v: Option<u32>| v.map_or(-1, i64::from);
        write!(
            f,
            "{}/{}/{}",
            s(self.first),
            s(self.business),
            s(self.economy)
        )
    }
}

/// A maintenance slot: the aircraft must be on the ground at `airport` from `start` to `end` and may fly at
/// most `max_flying_before` of block time before `start`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MaintenanceSlot {
    pub airport: AirportIdx,
    pub start: UtcMinute,
    pub end: UtcMinute,
    pub max_flying_before: Minutes,
}

/// A period an aircraft cannot fly (breakdown, `alt_aircraft.csv`): no leg may overlap `(from, to)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Unavailability {
    pub from: UtcMinute,
    pub to: UtcMinute,
}

/// An aircraft (tail) of the fleet.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryAircraft {
    /// The data's id, e.g. `A320#23`.
    pub id: String,
    pub model: ModelIdx,
    pub family: FamilyIdx,
    pub seats: SeatConfiguration,
    /// The longest block time it may fly in one leg.
    pub range: Minutes,
    /// Operating cost per block hour.
    pub cost_per_hour: Cents,
    /// Minimum time on the ground between two legs.
    pub turn_round: Minutes,
    /// Minimum time on the ground between the two legs of a through flight.
    pub transit: Minutes,
    /// Where it is before its first leg of the data.
    pub origin: AirportIdx,
    pub maintenance: Option<MaintenanceSlot>,
    pub unavailable: Vec<Unavailability>,
    /// A ground-transport pseudo-aircraft (family `TranspCom`).
    pub ground_transport: bool,
}

/// One leg of a booked itinerary.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BookedLeg {
    pub flight: FlightIdx,
    pub cabin: Cabin,
}

/// A booking: a group of passengers travelling together on the same legs.
#[derive(Clone, Debug, PartialEq)]
pub struct Itinerary {
    /// The data's itinerary id.
    pub id: u32,
    pub direction: TripDirection,
    /// Ticket price per passenger.
    pub price: Cents,
    pub passengers: u32,
    /// Legs in travel order (at least one).
    pub legs: Vec<BookedLeg>,
    // The fields below are computed by `RecoveryProblem::new`.
    /// Origin of the first leg.
    pub origin: AirportIdx,
    /// Destination of the last leg.
    pub destination: AirportIdx,
    pub scheduled_departure: UtcMinute,
    pub scheduled_arrival: UtcMinute,
    /// The longest class among its legs' routes.
    pub class: RouteClass,
    /// The highest booked cabin among its legs (rates of delay and cancellation are charged at it).
    pub reference_cabin: Cabin,
    /// Sum of the legs' scheduled block times (connections not included).
    pub planned_duration: Minutes,
}

/// How many aircraft of a model and configuration must be at an airport when the window closes.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionRequirement {
    pub airport: AirportIdx,
    pub model: ModelIdx,
    pub family: FamilyIdx,
    pub seats: SeatConfiguration,
    pub count: u32,
}

/// The cost tables of `config.csv`. Rates are indexed `[cabin.column()][class.column()]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CostConfig {
    /// Per passenger per minute of arrival delay.
    pub delay_per_minute: [[Cents; 3]; 3],
    /// Per passenger of a cancelled outbound trip.
    pub outbound_cancellation: [[Cents; 3]; 3],
    /// Per passenger of a cancelled return trip (or a trip stranded on the way).
    pub return_cancellation: [[Cents; 3]; 3],
    /// Per passenger and leg flown in a lower cabin: `[booked.column()][flown.column()][class.column()]`
    /// (zero where the flown cabin is not lower).
    pub downgrade: [[[Cents; 3]; 3]; 3],
    /// Per required aircraft at an airport at the end of the window and not matched by one of its family.
    pub position_penalty_family: Cents,
    /// ... matched in family but not in model.
    pub position_penalty_model: Cents,
    /// ... matched in model but not in seat configuration.
    pub position_penalty_configuration: Cents,
    /// Weight of the airline's costs (compensation and operating costs).
    pub alpha: f64,
    /// Weight of the passengers' inconvenience (delay, cancellation, downgrade).
    pub beta: f64,
    /// Weight of the end-of-window positions.
    pub gamma: f64,
}

/// Who operates each aircraft and each planned flight, where a problem holds more than one airline's
/// operation (a recorded day at a hub). A tail flies only its own operator's flights: another airline's
/// flight is another airline's aircraft, crew, insurance and operating certificate, and flying it takes a
/// wet-lease or codeshare agreement, which no data set of ours names. The ROADEF 2009 instances are one
/// airline's and have no operators ([`RecoveryProblem::operators`] is `None`): their own rules hold.
///
/// Swaps stay within a family too ([`RecoveryAircraft::family`]); a problem of several airlines should give
/// each airline its own families, so that an optimizer that swaps within families never tries another
/// airline's tail. This table is what the checker reads to name the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operators {
    /// The airlines' codes (`B6`, `DL`).
    pub codes: Vec<String>,
    /// Per aircraft (as [`RecoveryProblem::aircraft`]), its operator.
    pub of_aircraft: Vec<OperatorIdx>,
    /// Per planned flight (as [`RecoveryProblem::flights`]), its operating carrier.
    pub of_flight: Vec<OperatorIdx>,
}

/// Everything the loader reads; [`RecoveryProblem::new`] checks it and computes the derived fields.
#[derive(Clone, Debug, Default)]
pub struct RecoveryProblemParts {
    pub window_start: Option<UtcMinute>,
    pub window_end: Option<UtcMinute>,
    pub airports: Vec<RecoveryAirport>,
    pub routes: RouteTable,
    pub families: Vec<String>,
    pub models: Vec<String>,
    pub aircraft: Vec<RecoveryAircraft>,
    /// The original plan's legs (frozen is recomputed).
    pub flights: Vec<Flight>,
    /// Itineraries with id, direction, price, passengers and legs (derived fields recomputed).
    pub itineraries: Vec<Itinerary>,
    pub positions: Vec<PositionRequirement>,
    pub costs: Option<CostConfig>,
}

/// Why a set of parts is not a recovery problem.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RecoveryProblemError {
    #[error("the recovery window is missing or ends before it starts")]
    Window,
    #[error("the cost configuration is missing")]
    Costs,
    #[error("flight {number} on {date} appears twice in the plan")]
    DuplicateFlight { number: u32, date: Date },
    #[error("flight {number} on {date}: {what} index {index} is out of range")]
    FlightReference {
        number: u32,
        date: Date,
        what: &'static str,
        index: usize,
    },
    #[error("itinerary {id} has no legs")]
    EmptyItinerary { id: u32 },
    #[error("itinerary {id}: leg {leg} refers to flight index {index}, out of range")]
    ItineraryReference { id: u32, leg: usize, index: usize },
    #[error("itinerary {id} appears twice")]
    DuplicateItinerary { id: u32 },
    #[error("aircraft {id}: {what} index {index} is out of range")]
    AircraftReference {
        id: String,
        what: &'static str,
        index: usize,
    },
    #[error("aircraft {id} appears twice")]
    DuplicateAircraft { id: String },
    #[error("operators: {what}")]
    Operators { what: String },
    #[error("a crew connection from flight index {from} to {to} is out of range or joins a flight to itself")]
    CrewConnection { from: usize, to: usize },
}

/// Crew who fly (or ride) flight `from` and operate flight `to` next, in the same duty, on another aircraft:
/// `to` cannot leave before `from` has landed plus `need` (the planned connection where it was shorter than
/// the practice's minimum).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CrewConnection {
    pub from: FlightIdx,
    pub to: FlightIdx,
    pub need: Minutes,
}

/// The whole recovery problem. Build it with [`RecoveryProblem::new`].
#[derive(Clone, Debug)]
pub struct RecoveryProblem {
    /// The recovery window `[window_start, window_end]`: legs departing before it are history; nothing may
    /// arrive after its end.
    pub window_start: UtcMinute,
    pub window_end: UtcMinute,
    pub airports: Vec<RecoveryAirport>,
    pub routes: RouteTable,
    pub families: Vec<String>,
    pub models: Vec<String>,
    pub aircraft: Vec<RecoveryAircraft>,
    pub flights: Vec<Flight>,
    pub itineraries: Vec<Itinerary>,
    pub positions: Vec<PositionRequirement>,
    pub costs: CostConfig,
    /// Who operates each aircraft and flight, where the problem holds several airlines
    /// ([`RecoveryProblem::with_operators`]); `None`: one airline (the ROADEF 2009 instances).
    pub operators: Option<Operators>,
    /// What each action a controller must make costs ([`RecoveryProblem::with_action_prices`]), charged in
    /// the plan's cost as [`super::CostBreakdown::controller_actions`]; `None`: the cost rules alone (the
    /// ROADEF 2009 instances keep the challenge's cost).
    pub action_prices: Option<crate::practice::ActionPrices>,
    /// Whether the passengers of a broken booking may be rebooked on other flights (the ROADEF 2009 rules);
    /// `false` ([`RecoveryProblem::without_rebooking`]): whoever's booked journey no longer flies is a
    /// cancelled trip, charged its refund, compensation and cancellation rate.
    pub rebooking: bool,
    /// The readings of the cost rules the plans are priced by ([`crate::recovery::evaluate`]); the official
    /// checker's unless set ([`RecoveryProblem::with_cost_rules`]).
    pub cost_rules: super::cost::CostRules,
    /// Crew who change aircraft between two planned flights, sorted by `to` then `from`
    /// ([`RecoveryProblem::with_crew_connections`]); empty: no crew in the problem (ROADEF 2009).
    pub crew_connections: Vec<CrewConnection>,
    /// Per aircraft, its planned legs by scheduled departure (ties in input order).
    pub planned_rotations: Vec<Vec<FlightIdx>>,
    /// The highest flight number of the plan; new flights take numbers above it.
    pub max_flight_number: u32,
    by_key: HashMap<(u32, Date), FlightIdx>,
    by_airport_code: HashMap<AirportCode, AirportIdx>,
    by_aircraft_id: HashMap<String, AircraftIdx>,
    by_itinerary_id: HashMap<u32, ItineraryIdx>,
}

impl RecoveryProblem {
    /// Checks references between the parts and computes the derived fields: frozen legs, planned
    /// rotations, itinerary origin/destination/times/class/reference cabin/duration.
    pub fn new(parts: RecoveryProblemParts) -> Result<RecoveryProblem, RecoveryProblemError> {
        let (window_start, window_end) = match (parts.window_start, parts.window_end) {
            (Some(s), Some(e)) if s <= e => (s, e),
            _ => return Err(RecoveryProblemError::Window),
        };
        let costs = parts.costs.ok_or(RecoveryProblemError::Costs)?;
        let n_airports = parts.airports.len();
        let mut by_aircraft_id = HashMap::default();
        for (i, a) in parts.aircraft.iter().enumerate() {
            let bad = |what: &'static str, index: usize| RecoveryProblemError::AircraftReference {
                id: a.id.clone(),
                what,
                index,
            };
            if a.origin.index() >= n_airports {
                return Err(bad("origin airport", a.origin.index()));
            }
            if a.family.index() >= parts.families.len() {
                return Err(bad("family", a.family.index()));
            }
            if a.model.index() >= parts.models.len() {
                return Err(bad("model", a.model.index()));
            }
            if let Some(m) = &a.maintenance {
                if m.airport.index() >= n_airports {
                    return Err(bad("maintenance airport", m.airport.index()));
                }
            }
            if by_aircraft_id
                .insert(a.id.clone(), AircraftIdx(i as u16))
                .is_some()
            {
                return Err(RecoveryProblemError::DuplicateAircraft { id: a.id.clone() });
            }
        }
        let mut flights = parts.flights;
        let mut by_key = HashMap::default();
        let mut planned_rotations = vec![Vec::new(); parts.aircraft.len()];
        let mut max_flight_number = 0;
        for (i, f) in flights.iter_mut().enumerate() {
            let bad = |what: &'static str, index: usize| RecoveryProblemError::FlightReference {
                number: f.number,
                date: f.date,
                what,
                index,
            };
            if f.origin.index() >= n_airports {
                return Err(bad("origin airport", f.origin.index()));
            }
            if f.destination.index() >= n_airports {
                return Err(bad("destination airport", f.destination.index()));
            }
            let Some(aircraft) = parts.aircraft.get(f.planned_aircraft.index()) else {
                return Err(bad("aircraft", f.planned_aircraft.index()));
            };
            f.frozen = f.scheduled_departure < window_start
                || f.scheduled_departure >= window_end
                || aircraft.ground_transport;
            if by_key
                .insert((f.number, f.date), FlightIdx(i as u32))
                .is_some()
            {
                return Err(RecoveryProblemError::DuplicateFlight {
                    number: f.number,
                    date: f.date,
                });
            }
            max_flight_number = max_flight_number.max(f.number);
            planned_rotations[f.planned_aircraft.index()].push(FlightIdx(i as u32));
        }
        for rotation in &mut planned_rotations {
            // Stable: ties keep input order.
            rotation.sort_by_key(|f| flights[f.index()].scheduled_departure);
        }
        let mut itineraries = parts.itineraries;
        let mut by_itinerary_id = HashMap::default();
        for (i, it) in itineraries.iter_mut().enumerate() {
            if it.legs.is_empty() {
                return Err(RecoveryProblemError::EmptyItinerary { id: it.id });
            }
            let mut class = RouteClass::Domestic;
            let mut duration = Minutes(0);
            let mut reference = Cabin::Economy;
            for (k, leg) in it.legs.iter().enumerate() {
                let Some(f) = flights.get(leg.flight.index()) else {
                    return Err(RecoveryProblemError::ItineraryReference {
                        id: it.id,
                        leg: k,
                        index: leg.flight.index(),
                    });
                };
                // A pair missing from the route table counts as domestic, as the official checker does.
                if let Some(r) = parts.routes.get(f.origin, f.destination) {
                    class = class.max(r.class);
                }
                duration = duration + f.block_time();
                reference = reference.max(leg.cabin);
            }
            let first = &flights[it.legs[0].flight.index()];
            let last = &flights[it.legs[it.legs.len() - 1].flight.index()];
            it.origin = first.origin;
            it.destination = last.destination;
            it.scheduled_departure = first.scheduled_departure;
            it.scheduled_arrival = last.scheduled_arrival;
            it.class = class;
            it.reference_cabin = reference;
            it.planned_duration = duration;
            if by_itinerary_id
                .insert(it.id, ItineraryIdx(i as u32))
                .is_some()
            {
                return Err(RecoveryProblemError::DuplicateItinerary { id: it.id });
            }
        }
        let by_airport_code = parts
            .airports
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code, AirportIdx(i as u16)))
            .collect();
        Ok(RecoveryProblem {
            window_start,
            window_end,
            airports: parts.airports,
            routes: parts.routes,
            families: parts.families,
            models: parts.models,
            aircraft: parts.aircraft,
            flights,
            itineraries,
            positions: parts.positions,
            costs,
            operators: None,
            action_prices: None,
            rebooking: true,
            cost_rules: super::cost::CostRules::OFFICIAL,
            crew_connections: Vec::new(),
            planned_rotations,
            max_flight_number,
            by_key,
            by_airport_code,
            by_aircraft_id,
            by_itinerary_id,
        })
    }

    /// The problem with who operates each aircraft and flight: from then on a tail may fly only its own
    /// operator's flights ([`Operators`]). Every aircraft and flight must have an operator of the table.
    pub fn with_operators(
        mut self,
        operators: Operators,
    ) -> Result<RecoveryProblem, RecoveryProblemError> {
        let bad = |what: String| Err(RecoveryProblemError::Operators { what });
        if operators.of_aircraft.len() != self.aircraft.len() {
            return bad(format!(
                "{} aircraft operators for {} aircraft",
                operators.of_aircraft.len(),
                self.aircraft.len()
            ));
        }
        if operators.of_flight.len() != self.flights.len() {
            return bad(format!(
                "{} flight operators for {} flights",
                operators.of_flight.len(),
                self.flights.len()
            ));
        }
        let n = operators.codes.len();
        if let Some(o) = operators
            .of_aircraft
            .iter()
            .chain(&operators.of_flight)
            .find(|o| o.index() >= n)
        {
            return bad(format!("operator index {} out of range ({n} codes)", o.0));
        }
        self.operators = Some(operators);
        Ok(self)
    }

    /// The problem with its crew connections: a flight whose rostered crew arrive on another flight (on
    /// another aircraft) cannot leave before that flight has landed plus the connection. Doing nothing,
    /// the operation holds the flight for its crew; so does [`super::knock_on_delays`], which counts a
    /// delay for that reason as no decision. Connections are sorted and deduplicated (the longest need
    /// of a pair wins); a flight index out of range is an error.
    pub fn with_crew_connections(
        mut self,
        mut connections: Vec<CrewConnection>,
    ) -> Result<RecoveryProblem, RecoveryProblemError> {
        let n = self.flights.len();
        if let Some(c) = connections
            .iter()
            .find(|c| c.from.index() >= n || c.to.index() >= n || c.from == c.to)
        {
            return Err(RecoveryProblemError::CrewConnection {
                from: c.from.index(),
                to: c.to.index(),
            });
        }
        connections.sort_by(|a, b| (a.to, a.from, b.need).cmp(&(b.to, b.from, a.need)));
        connections.dedup_by(|later, kept| later.to == kept.to && later.from == kept.from);
        self.crew_connections = connections;
        Ok(self)
    }

    /// The crew connections into flight `to`: the flights its crew arrive on, and the time they need.
    pub fn crew_feeds(&self, to: FlightIdx) -> &[CrewConnection] {
        let start = self.crew_connections.partition_point(|c| c.to < to);
        let end = self.crew_connections.partition_point(|c| c.to <= to);
        &self.crew_connections[start..end]
    }

    /// The problem with a price on each action a controller must make (a tail swap, a retime or a
    /// cancellation beyond what the disruption imposes, a ferry): from then on a plan's cost carries them
    /// ([`super::CostBreakdown::controller_actions`]), so every policy that minimises the cost prefers the
    /// plan with fewer actions where the saving does not pay for them.
    pub fn with_action_prices(mut self, prices: crate::practice::ActionPrices) -> RecoveryProblem {
        self.action_prices = Some(prices);
        self
    }

    /// The problem without passenger rebooking: a passenger whose booked journey no longer flies (a leg
    /// cancelled, a connection lost) is a cancelled trip, whether or not a later flight has a free seat.
    /// For problems whose passengers are estimated, not booked (our data sets hold no bookings), where a
    /// cancelled leg is judged elsewhere at its full price: there a rebooking the judge cannot see would
    /// make a cancellation look cheaper to the optimizer than it is.
    pub fn without_rebooking(mut self) -> RecoveryProblem {
        self.rebooking = false;
        self
    }

    /// The problem with its plans priced by `rules` instead of the official checker's
    /// ([`super::cost::CostRules::HONEST`]: what every policy then optimises, and what the rebooking pass
    /// keeps to: it routes a round-trip passenger through every booked stop or cancels the trip).
    pub fn with_cost_rules(mut self, rules: super::cost::CostRules) -> RecoveryProblem {
        self.cost_rules = rules;
        self
    }

    /// The operator of an aircraft, if the problem has operators.
    pub fn operator_of_aircraft(&self, a: AircraftIdx) -> Option<&str> {
        let o = self.operators.as_ref()?;
        let i = o.of_aircraft.get(a.index())?;
        o.codes.get(i.index()).map(String::as_str)
    }

    /// The operating carrier of a planned flight, if the problem has operators.
    pub fn operator_of_flight(&self, f: FlightIdx) -> Option<&str> {
        let o = self.operators.as_ref()?;
        let i = o.of_flight.get(f.index())?;
        o.codes.get(i.index()).map(String::as_str)
    }

    /// Whether aircraft `a` may fly planned flight `f` as far as operators go: the same airline, or a problem
    /// of one airline.
    pub fn same_operator(&self, a: AircraftIdx, f: FlightIdx) -> bool {
        self.operators
            .as_ref()
            .map_or(true, |o| o.of_aircraft[a.index()] == o.of_flight[f.index()])
    }

    /// The planned leg with this flight number on this date.
    pub fn flight_by_key(&self, number: u32, date: Date) -> Option<FlightIdx> {
        self.by_key.get(&(number, date)).copied()
    }

    pub fn airport_by_code(&self, code: AirportCode) -> Option<AirportIdx> {
        self.by_airport_code.get(&code).copied()
    }

    pub fn aircraft_by_id(&self, id: &str) -> Option<AircraftIdx> {
        self.by_aircraft_id.get(id).copied()
    }

    pub fn itinerary_by_id(&self, id: u32) -> Option<ItineraryIdx> {
        self.by_itinerary_id.get(&id).copied()
    }

    pub fn flight(&self, f: FlightIdx) -> &Flight {
        &self.flights[f.index()]
    }

    pub fn airport(&self, a: AirportIdx) -> &RecoveryAirport {
        &self.airports[a.index()]
    }

    pub fn tail(&self, a: AircraftIdx) -> &RecoveryAircraft {
        &self.aircraft[a.index()]
    }

    /// Whether leg `flight` continues flight number `previous` (a through flight on one aircraft).
    pub fn continues(&self, flight: FlightIdx, previous: Option<u32>) -> bool {
        previous.is_some() && self.flight(flight).previous_number == previous
    }

    /// Minimum ground time of aircraft `a` before leg `flight` after a leg numbered `previous`: the
    /// transit time on a through flight, else the turn-round.
    pub fn ground_time(&self, a: AircraftIdx, flight: FlightIdx, previous: Option<u32>) -> Minutes {
        let tail = self.tail(a);
        if self.continues(flight, previous) {
            tail.transit
        } else {
            tail.turn_round
        }
    }

    pub fn itinerary(&self, i: ItineraryIdx) -> &Itinerary {
        &self.itineraries[i.index()]
    }

    /// The times a planned leg must keep under the disruption: its scheduled times shifted by an imposed
    /// delay, or `None` if the disruption cancels it.
    pub fn disrupted_times(&self, f: FlightIdx) -> Option<(UtcMinute, UtcMinute)> {
        let flight = self.flight(f);
        match flight.disruption {
            Some(FlightDisruption::Cancelled) => None,
            Some(FlightDisruption::Delayed(d)) => {
                Some((flight.scheduled_departure + d, flight.scheduled_arrival + d))
            }
            None => Some((flight.scheduled_departure, flight.scheduled_arrival)),
        }
    }

    /// Whether the leg's times and aircraft are imposed (frozen, or delayed by the disruption).
    pub fn is_fixed(&self, f: FlightIdx) -> bool {
        let flight = self.flight(f);
        flight.frozen || matches!(flight.disruption, Some(FlightDisruption::Delayed(_)))
    }
}
