//! Journeys for rebooked passengers: the earliest-arriving path of flown legs (planned or created by the
//! plan) with a free seat between two airports, over at most four legs with 30-minute connections.

use ucodts_model::recovery::{AirportIdx, Cabin, PlanFlight, RecoveryProblem, MINIMUM_CONNECTION};
use ucodts_model::time::UtcMinute;

use super::rebooking::{FreeSeats, Legs};

/// Most legs a rebooked journey may take (the bookings have at most four).
const MAX_REBOOKED_LEGS: usize = 4;

/// Legs of a rebooked journey, each with the cabin taken.
pub(super) type Journey = Vec<(PlanFlight, Cabin)>;

/// The flown legs by origin, sorted by departure, for path searches.
pub(super) struct Network {
    departures: Vec<Vec<(UtcMinute, PlanFlight)>>,
}

impl Network {
    pub(super) fn new(problem: &RecoveryProblem, legs: &Legs) -> Network {
        let mut departures = vec![Vec::new(); problem.airports.len()];
        for (i, t) in legs.times.iter().enumerate() {
            let f = legs.flight(i);
            if let Some((departure, _)) = t {
                // Ground transport carries passengers too, but bookings never use it; neither do we.
                if let PlanFlight::Planned(planned) = f {
                    if problem
                        .tail(problem.flight(planned).planned_aircraft)
                        .ground_transport
                    {
                        continue;
                    }
                }
                departures[legs.airports[i].0.index()].push((*departure, f));
            }
        }
        for d in &mut departures {
            d.sort();
        }
        Network { departures }
    }
}

/// The cabin to seat a rebooked passenger in on leg `f`: the booked one, else a higher one (free), else a
/// lower one (a downgrade); with the number of seats free there.
pub(super) fn pick_cabin(
    legs: &Legs,
    free: &FreeSeats,
    f: PlanFlight,
    booked: Cabin,
) -> Option<(Cabin, i64)> {
    let i = legs.index(f);
    let order: &[Cabin] = match booked {
        Cabin::First => &[Cabin::First, Cabin::Business, Cabin::Economy],
        Cabin::Business => &[Cabin::Business, Cabin::First, Cabin::Economy],
        Cabin::Economy => &[Cabin::Economy, Cabin::Business, Cabin::First],
    };
    order.iter().find_map(|&c| match free[i][c.column()] {
        None => Some((c, i64::MAX)),
        Some(s) if s > 0 => Some((c, s)),
        _ => None,
    })
}

/// What a rebooking search looks for: from `origin`, leaving at or after `after`, to `destination` by
/// `deadline`, seated in `cabin` if there is room (see [`pick_cabin`]).
#[derive(Clone, Copy)]
pub(super) struct JourneyRequest {
    pub origin: AirportIdx,
    pub after: UtcMinute,
    pub destination: AirportIdx,
    pub deadline: UtcMinute,
    pub cabin: Cabin,
}

/// A journey under way in the search: where it has got to and when.
struct Label {
    airport: AirportIdx,
    ready: UtcMinute,
    journey: Journey,
}

/// Earliest-arrival journey of flown legs with a free seat for `request`. Labels are (arrival, legs) per
/// airport; a label-setting search over at most [`MAX_REBOOKED_LEGS`] legs.
pub(super) fn earliest_path(
    problem: &RecoveryProblem,
    network: &Network,
    legs: &Legs,
    free: &FreeSeats,
    request: &JourneyRequest,
) -> Option<Journey> {
    let JourneyRequest {
        origin,
        after,
        destination,
        deadline,
        cabin,
    } = *request;
    // best[airport] = earliest arrival found, with the journey.
    let mut best: Vec<Option<(UtcMinute, Journey)>> = vec![None; problem.airports.len()];
    let mut frontier = vec![Label {
        airport: origin,
        ready: after,
        journey: Vec::new(),
    }];
    for _ in 0..MAX_REBOOKED_LEGS {
        let mut next_frontier = Vec::new();
        for label in &frontier {
            let earliest = if label.journey.is_empty() {
                label.ready
            } else {
                label.ready + MINIMUM_CONNECTION
            };
            let departures = &network.departures[label.airport.index()];
            let start = departures.partition_point(|(d, _)| *d < earliest);
            for &(departure, f) in &departures[start..] {
                if departure > deadline {
                    break;
                }
                let Some((_, arrival)) = legs.times_of(f) else {
                    continue;
                };
                let (_, lands_at) = legs.airports[legs.index(f)];
                if arrival > deadline || lands_at == origin {
                    continue;
                }
                if label
                    .journey
                    .iter()
                    .any(|(g, _)| legs.airports[legs.index(*g)].0 == lands_at)
                {
                    continue;
                }
                let improves = best[lands_at.index()]
                    .as_ref()
                    .map_or(true, |(t, _)| arrival < *t);
                if !improves {
                    continue;
                }
                let Some((c, _)) = pick_cabin(legs, free, f, cabin) else {
                    continue;
                };
                let mut journey = label.journey.clone();
                journey.push((f, c));
                best[lands_at.index()] = Some((arrival, journey.clone()));
                if lands_at != destination {
                    next_frontier.push(Label {
                        airport: lands_at,
                        ready: arrival,
                        journey,
                    });
                }
            }
        }
        if next_frontier.is_empty() {
            break;
        }
        // Deterministic order, earliest first.
        next_frontier.sort_by(|x, y| {
            (x.ready, x.airport, &x.journey).cmp(&(y.ready, y.airport, &y.journey))
        });
        frontier = next_frontier;
    }
    best[destination.index()].take().map(|(_, journey)| journey)
}
