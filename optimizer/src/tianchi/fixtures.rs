//! Builders the Tianchi unit tests share: a time on a day of May 2017, a 100-minute domestic flight, and a
//! problem over the challenge's window with nothing banned.

use ucodts_model::tianchi2017::{Aircraft, Flight, Season, TyphoonProblem};
use ucodts_model::{Date, Minutes, UtcMinute};

/// `hour`:00 on `day` May 2017.
pub fn at(day: u8, hour: i64) -> UtcMinute {
    UtcMinute::from_date_minute(Date::new(2017, 5, day).unwrap(), hour * 60)
}

/// Flight `id` from `from` to `to` leaving at `dep`, 100 minutes long, planned on `aircraft` of type `t`,
/// with 100 passengers and importance 1.
pub fn flight(id: u32, from: u32, to: u32, dep: UtcMinute, aircraft: u32, t: u8) -> Flight {
    Flight {
        id,
        date: dep.date_minute().0,
        international: false,
        flight_no: id,
        from,
        to,
        departure: dep,
        arrival: dep + Minutes(100),
        aircraft,
        aircraft_type: t,
        passengers: 100,
        through_passengers: 0,
        importance: 1.0,
    }
}

/// A season-2 problem of `flights` flown by `aircraft` (id, type, seats) between the domestic airports 10
/// and 20, over 6 May 06:00 to 9 May 00:00, with no typhoon ban, parking cap, curfew, route ban, flight
/// time table, transfer or through pair: tests set what they need with struct update syntax.
pub fn problem(flights: Vec<Flight>, aircraft: &[(u32, u8, u32)]) -> TyphoonProblem {
    TyphoonProblem {
        season: Season::Two,
        flights,
        aircraft: aircraft
            .iter()
            .map(|&(id, aircraft_type, seats)| Aircraft {
                id,
                aircraft_type,
                seats,
            })
            .collect(),
        bans: Vec::new(),
        parking: Vec::new(),
        curfews: Vec::new(),
        route_bans: Default::default(),
        flight_times: Default::default(),
        domestic_airports: [10, 20].into_iter().collect(),
        transfers: Vec::new(),
        through_pairs: Vec::new(),
        window_start: at(6, 6),
        window_end: at(9, 0),
    }
}
