//! A recovery plan: the whole outcome a solver proposes for the recovery window — every aircraft's legs in
//! flying order (planned legs, possibly retimed or flown by another tail, and flights the plan creates, such
//! as ferries), the planned legs it cancels, and where every booked passenger travels.
//!
//! A plan says what happens, not whether it is allowed: [`super::check`] says that, and [`super::cost`]
//! prices it. [`RecoveryPlan::actions`] turns it into what a controller reads.

use std::fmt;

use super::problem::{
    AircraftIdx, AirportIdx, Cabin, FlightDisruption, FlightIdx, ItineraryIdx, RecoveryProblem,
};
use crate::time::{Date, Minutes, UtcMinute};

/// A flight the plan creates, as an index into [`RecoveryPlan::new_flights`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NewFlightIdx(pub u32);

impl NewFlightIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A flight a plan refers to: a leg of the original plan or one the plan creates.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlanFlight {
    Planned(FlightIdx),
    New(NewFlightIdx),
}

/// A flight created by the plan (a ferry without passengers, or a replacement flight). Its block time is
/// the route table's; its times are those of the [`OperatedLeg`] that flies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFlight {
    /// A number not used by the original plan (above [`RecoveryProblem::max_flight_number`]).
    pub number: u32,
    /// The date it is filed under (its departure date); with `number`, its key.
    pub date: Date,
    pub origin: AirportIdx,
    pub destination: AirportIdx,
}

/// A leg an aircraft flies, with its (possibly new) times.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct OperatedLeg {
    pub flight: PlanFlight,
    pub departure: UtcMinute,
    pub arrival: UtcMinute,
}

/// One leg of a passenger's new journey, in a cabin.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PassengerLeg {
    pub flight: PlanFlight,
    pub cabin: Cabin,
}

/// Where some passengers of one itinerary go: their legs, and whether the rest of the trip is given up.
/// A group may be split over several lines whose passenger counts add up to the booking's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassengerLine {
    pub itinerary: ItineraryIdx,
    pub passengers: u32,
    pub legs: Vec<PassengerLeg>,
    /// The trip is cancelled after `legs` (if any legs: they were already flown when the window opened).
    pub cancelled: bool,
}

impl PassengerLine {
    /// The booking, unchanged: all passengers on the booked legs and cabins.
    pub fn as_booked(problem: &RecoveryProblem, itinerary: ItineraryIdx) -> PassengerLine {
        let it = problem.itinerary(itinerary);
        PassengerLine {
            itinerary,
            passengers: it.passengers,
            legs: it
                .legs
                .iter()
                .map(|l| PassengerLeg {
                    flight: PlanFlight::Planned(l.flight),
                    cabin: l.cabin,
                })
                .collect(),
            cancelled: false,
        }
    }
}

/// The full outcome of a recovery.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RecoveryPlan {
    /// Per aircraft (indexed like [`RecoveryProblem::aircraft`]), the legs it flies in order of departure.
    pub rotations: Vec<Vec<OperatedLeg>>,
    /// Flights the plan creates; each should be flown by exactly one aircraft.
    pub new_flights: Vec<NewFlight>,
    /// Planned legs the plan declares cancelled (a planned leg neither flown nor listed here is cancelled too,
    /// but the official cost checker gives no credit for its operating cost).
    pub cancelled: Vec<FlightIdx>,
    /// Where the passengers go, in the order of the solution file. Lines that give up a trip after some legs
    /// should come last (see [`RecoveryPlan::order_passenger_lines`]).
    pub passengers: Vec<PassengerLine>,
}

/// What a controller reads: one change a plan makes to the original plan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecoveryAction {
    /// A planned leg departs `by` later (or earlier, if negative) than scheduled.
    Retime { flight: FlightIdx, by: Minutes },
    /// A planned leg is not flown.
    Cancel { flight: FlightIdx },
    /// A planned leg is flown by another aircraft.
    TailSwap {
        flight: FlightIdx,
        from: AircraftIdx,
        to: AircraftIdx,
    },
    /// The plan creates a flight (a ferry or a replacement).
    Ferry {
        flight: NewFlightIdx,
        aircraft: AircraftIdx,
        departure: UtcMinute,
        arrival: UtcMinute,
    },
    /// Passengers of a booking travel on other legs or cabins than booked.
    Reaccommodate {
        itinerary: ItineraryIdx,
        passengers: u32,
        legs: Vec<PassengerLeg>,
    },
    /// Passengers of a booking do not complete their trip.
    CancelTrip {
        itinerary: ItineraryIdx,
        passengers: u32,
    },
}

impl RecoveryPlan {
    /// The original plan, untouched: every planned leg at its scheduled time by its planned aircraft, every
    /// passenger as booked. (It ignores the disruption, so it usually breaks rules.)
    pub fn original(problem: &RecoveryProblem) -> RecoveryPlan {
        Self::from_schedule(problem, false)
    }

    /// The original plan with only the imposed disruptions applied: delayed legs shifted, disruption-cancelled
    /// legs cancelled, passengers as booked. Nothing is repaired, so it usually breaks rules.
    pub fn with_disruptions_applied(problem: &RecoveryProblem) -> RecoveryPlan {
        Self::from_schedule(problem, true)
    }

    fn from_schedule(problem: &RecoveryProblem, apply: bool) -> RecoveryPlan {
        let mut cancelled = Vec::new();
        let rotations = problem
            .planned_rotations
            .iter()
            .map(|rotation| {
                rotation
                    .iter()
                    .filter_map(|&f| {
                        let flight = problem.flight(f);
                        let (departure, arrival) = if apply {
                            match problem.disrupted_times(f) {
                                Some(times) => times,
                                None => {
                                    cancelled.push(f);
                                    return None;
                                }
                            }
                        } else {
                            (flight.scheduled_departure, flight.scheduled_arrival)
                        };
                        Some(OperatedLeg {
                            flight: PlanFlight::Planned(f),
                            departure,
                            arrival,
                        })
                    })
                    .collect()
            })
            .collect();
        cancelled.sort();
        let passengers = (0..problem.itineraries.len())
            .map(|i| PassengerLine::as_booked(problem, ItineraryIdx(i as u32)))
            .collect();
        RecoveryPlan {
            rotations,
            new_flights: Vec::new(),
            cancelled,
            passengers,
        }
    }

    /// Whether `flight` continues `previous` as one through flight (only a planned leg names the flight
    /// it continues).
    pub fn continues(
        &self,
        problem: &RecoveryProblem,
        previous: PlanFlight,
        flight: PlanFlight,
    ) -> bool {
        match flight {
            PlanFlight::Planned(f) => {
                problem.continues(f, Some(self.flight_key(problem, previous).0))
            }
            PlanFlight::New(_) => false,
        }
    }

    /// Minimum ground time of aircraft `a` between consecutive legs `previous` and `flight` of this plan.
    pub fn ground_time(
        &self,
        problem: &RecoveryProblem,
        a: AircraftIdx,
        previous: PlanFlight,
        flight: PlanFlight,
    ) -> Minutes {
        let tail = problem.tail(a);
        if self.continues(problem, previous, flight) {
            tail.transit
        } else {
            tail.turn_round
        }
    }

    /// The key (number, date) of a flight of this plan.
    pub fn flight_key(&self, problem: &RecoveryProblem, flight: PlanFlight) -> (u32, Date) {
        match flight {
            PlanFlight::Planned(f) => {
                let fl = problem.flight(f);
                (fl.number, fl.date)
            }
            PlanFlight::New(n) => {
                let nf = &self.new_flights[n.index()];
                (nf.number, nf.date)
            }
        }
    }

    /// Origin and destination of a flight of this plan.
    pub fn flight_airports(
        &self,
        problem: &RecoveryProblem,
        flight: PlanFlight,
    ) -> (AirportIdx, AirportIdx) {
        match flight {
            PlanFlight::Planned(f) => {
                let fl = problem.flight(f);
                (fl.origin, fl.destination)
            }
            PlanFlight::New(n) => {
                let nf = &self.new_flights[n.index()];
                (nf.origin, nf.destination)
            }
        }
    }

    /// A fresh flight number for a new flight: above every planned and every already created number.
    pub fn next_new_flight_number(&self, problem: &RecoveryProblem) -> u32 {
        let created = self.new_flights.iter().map(|n| n.number).max().unwrap_or(0);
        problem.max_flight_number.max(created) + 1
    }

    /// Moves the passenger lines that give up a trip after some legs to the end, keeping the order
    /// otherwise. The official cost checker carries a "stranded" mark from such a line to the next lines;
    /// with this order the mark never reaches another booking.
    pub fn order_passenger_lines(&mut self) {
        self.passengers
            .sort_by_key(|l| l.cancelled && !l.legs.is_empty());
    }

    /// The changes this plan makes to the original plan, in a fixed order (by kind, then flight or
    /// itinerary).
    pub fn actions(&self, problem: &RecoveryProblem) -> Vec<RecoveryAction> {
        let mut actions = Vec::new();
        let mut flown = vec![false; problem.flights.len()];
        for (a, rotation) in self.rotations.iter().enumerate() {
            let aircraft = AircraftIdx(a as u16);
            for leg in rotation {
                match leg.flight {
                    PlanFlight::Planned(f) => {
                        let flight = problem.flight(f);
                        flown[f.index()] = true;
                        let by = leg.departure - flight.scheduled_departure;
                        if by != Minutes(0) {
                            actions.push(RecoveryAction::Retime { flight: f, by });
                        }
                        if flight.planned_aircraft != aircraft {
                            actions.push(RecoveryAction::TailSwap {
                                flight: f,
                                from: flight.planned_aircraft,
                                to: aircraft,
                            });
                        }
                    }
                    PlanFlight::New(n) => actions.push(RecoveryAction::Ferry {
                        flight: n,
                        aircraft,
                        departure: leg.departure,
                        arrival: leg.arrival,
                    }),
                }
            }
        }
        for (i, was_flown) in flown.iter().enumerate() {
            if !was_flown {
                actions.push(RecoveryAction::Cancel {
                    flight: FlightIdx(i as u32),
                });
            }
        }
        for line in &self.passengers {
            let it = problem.itinerary(line.itinerary);
            if line.cancelled || line.legs.is_empty() {
                actions.push(RecoveryAction::CancelTrip {
                    itinerary: line.itinerary,
                    passengers: line.passengers,
                });
                continue;
            }
            let as_booked =
                line.legs.len() == it.legs.len()
                    && line.legs.iter().zip(&it.legs).all(|(l, b)| {
                        l.flight == PlanFlight::Planned(b.flight) && l.cabin == b.cabin
                    });
            if !as_booked {
                actions.push(RecoveryAction::Reaccommodate {
                    itinerary: line.itinerary,
                    passengers: line.passengers,
                    legs: line.legs.clone(),
                });
            }
        }
        actions.sort();
        actions
    }

    /// A sentence a controller reads for an action of this plan.
    pub fn describe(&self, problem: &RecoveryProblem, action: &RecoveryAction) -> String {
        let flight_name = |f: FlightIdx| {
            let fl = problem.flight(f);
            format!(
                "flight {} of {} {}-{}",
                fl.number,
                fl.date,
                problem.airport(fl.origin).code,
                problem.airport(fl.destination).code
            )
        };
        let leg_name = |l: &PassengerLeg| {
            let (n, d) = self.flight_key(problem, l.flight);
            format!("{n}/{d} ({})", l.cabin.letter())
        };
        match action {
            RecoveryAction::Retime { flight, by } => {
                let word = if by.0 >= 0 { "later" } else { "earlier" };
                format!(
                    "retime {} by {} min {word}",
                    flight_name(*flight),
                    by.0.abs()
                )
            }
            RecoveryAction::Cancel { flight } => {
                let why = match problem.flight(*flight).disruption {
                    Some(FlightDisruption::Cancelled) => " (imposed)",
                    _ => "",
                };
                format!("cancel {}{why}", flight_name(*flight))
            }
            RecoveryAction::TailSwap { flight, from, to } => format!(
                "fly {} with {} instead of {}",
                flight_name(*flight),
                problem.tail(*to).id,
                problem.tail(*from).id
            ),
            RecoveryAction::Ferry {
                flight,
                aircraft,
                departure,
                arrival,
            } => {
                let nf = &self.new_flights[flight.index()];
                format!(
                    "new flight {} {}-{} with {} departing {} arriving {}",
                    nf.number,
                    problem.airport(nf.origin).code,
                    problem.airport(nf.destination).code,
                    problem.tail(*aircraft).id,
                    departure,
                    arrival
                )
            }
            RecoveryAction::Reaccommodate {
                itinerary,
                passengers,
                legs,
            } => format!(
                "rebook {passengers} passenger(s) of itinerary {} on {}",
                problem.itinerary(*itinerary).id,
                legs.iter().map(leg_name).collect::<Vec<_>>().join(", ")
            ),
            RecoveryAction::CancelTrip {
                itinerary,
                passengers,
            } => format!(
                "cancel the trip of {passengers} passenger(s) of itinerary {}",
                problem.itinerary(*itinerary).id
            ),
        }
    }
}

impl fmt::Display for PlanFlight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanFlight::Planned(i) => write!(f, "planned#{}", i.0),
            PlanFlight::New(i) => write!(f, "new#{}", i.0),
        }
    }
}
