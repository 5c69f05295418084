//! Builders the Tianchi unit tests share: a time on a day of May 2017 and a 100-minute domestic flight.

use ucodts_model::tianchi2017::Flight;
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
