//! Fuzz bodies for the Tianchi 2017 importer (the seven season-2 sheets) and its solution reader; what
//! loads is evaluated by the contest's checker and scorer, and a solution read is written back and read
//! again unchanged.

use std::path::Path;

use ucodts_datasets::tianchi2017;
use ucodts_model::tianchi2017::{evaluate, Season, TyphoonPlan};

use crate::{join, split, Outcome, Workspace};

/// A small hand-made season 2: three aircraft, a typhoon at 49, one through pair, one transfer.
pub const SEED_FILES: [(&str, &str); 7] = [
    (
        "s2_flights.csv",
        "flight_id,date,dom_intl,flight_no,dep_airport,arr_airport,dep_time,arr_time,aircraft_id,aircraft_type,passengers,connecting_passengers,seats,importance\n\
         1,2017-05-06,domestic,10,30,49,2017-05-06 12:00,2017-05-06 13:30,1,2,120,20,150,1\n\
         2,2017-05-06,domestic,10,49,31,2017-05-06 17:00,2017-05-06 18:30,1,2,110,20,150,1.5\n\
         3,2017-05-05,domestic,11,30,31,2017-05-05 09:00,2017-05-05 10:30,2,2,90,0,150,1\n\
         4,2017-05-06,international,12,31,5,2017-05-06 11:00,2017-05-06 15:00,2,2,100,0,150,2\n\
         5,2017-05-07,domestic,13,31,30,2017-05-07 08:00,2017-05-07 09:30,3,4,200,0,255,1\n",
    ),
    (
        "s2_route_aircraft_restrictions.csv",
        "dep_airport,arr_airport,aircraft_id\n30,5,3\n",
    ),
    (
        "s2_airport_closures.csv",
        "airport,close_time,reopen_time,effective_date,expiry_date\n49,00:10,06:10,2017-04-28,2017-06-01\n",
    ),
    (
        "s2_typhoon_scenario.csv",
        "start_time,end_time,affect_type,airport,flight_id,aircraft_id,max_parked_aircraft\n\
         2017-05-06 14:00,2017-05-07 17:00,landing,49,,,\n\
         2017-05-06 16:00,2017-05-07 17:00,takeoff,49,,,\n\
         2017-05-06 16:00,2017-05-07 17:00,parking,49,,,2\n",
    ),
    (
        "s2_flight_times.csv",
        "aircraft_type,dep_airport,arr_airport,flight_minutes\n2,30,31,90\n4,31,30,90\n2,30,49,90\n",
    ),
    (
        "s2_airports.csv",
        "airport,is_domestic\n5,0\n30,1\n31,1\n49,1\n",
    ),
    (
        "s2_transfer_min_connect.csv",
        "inbound_flight_id,outbound_flight_id,min_connect_minutes,transfer_passengers\n3,4,90,5\n",
    ),
];

fn load_seed(ws: &Workspace) -> ucodts_model::tianchi2017::TyphoonProblem {
    for (name, text) in SEED_FILES {
        ws.write(name, text.as_bytes());
    }
    tianchi2017::load(ws.dir(), Season::Two).expect("the seed season loads")
}

/// The seven season-2 sheets (`0xFF`-separated, in `file_names(Season::Two)` order); what loads has its
/// original plan checked and scored.
pub fn tianchi2017_instance(data: &[u8]) -> Outcome {
    let names = tianchi2017::file_names(Season::Two);
    let parts = split(data, names.len());
    Workspace::with(|ws| {
        for (name, text) in names.iter().zip(&parts) {
            ws.write(name, text);
        }
        Outcome::of(tianchi2017::load(ws.dir(), Season::Two), |problem| {
            let e = evaluate(&problem, &TyphoonPlan::original(&problem));
            assert!(e.score.is_finite(), "a score that is not a number");
        })
    })
}

/// A season-2 solution file of the seed season: read, scored, written and read back unchanged.
pub fn tianchi2017_solution(data: &[u8]) -> Outcome {
    Workspace::with(|ws| {
        let problem = load_seed(ws);
        Outcome::of(
            tianchi2017::parse_solution(data, Path::new("s2_solution.csv"), Season::Two),
            |plan| {
                let _ = evaluate(&problem, &plan);
                let text = tianchi2017::format_solution(&plan, Season::Two);
                let again =
                    tianchi2017::parse_solution(text.as_bytes(), Path::new("again"), Season::Two)
                        .expect("a written solution reads back");
                assert_eq!(again, plan, "the solution changed through the writer");
            },
        )
    })
}

/// The seeds: the hand-made season and its original plan as a solution file.
pub fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    let files: Vec<&[u8]> = SEED_FILES.iter().map(|(_, t)| t.as_bytes()).collect();
    let solution = Workspace::with(|ws| {
        let problem = load_seed(ws);
        tianchi2017::format_solution(&TyphoonPlan::original(&problem), Season::Two)
    });
    vec![
        ("tianchi2017_instance", "hand-made".into(), join(&files)),
        (
            "tianchi2017_solution",
            "original-plan".into(),
            solution.into_bytes(),
        ),
    ]
}
