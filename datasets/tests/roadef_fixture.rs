//! The small ROADEF 2009 instance the roadef tests write to a temporary folder (see
//! `roadef_hand_computed.rs` for its picture). Shared as a module; it has no tests of its own.
#![allow(dead_code)]

use std::path::Path;

pub const CONFIG: &str = "01/03/08 08:00 02/03/08 04:00
F D 1.25 F C 1.25 F I 1.25 B D 0.8 B C 0.85 B I 0.9 E D 0.05 E C 0.15 E I 0.25
F D 2500 F C 2750 F I 3000 B D 1500 B C 1750 B I 2000 E D 250 E C 600 E I 1000
F D 7500 F C 8250 F I 9000 B D 4500 B C 5250 B I 6000 E D 750 E C 1500 E I 3000
F B D 150 F B C 400 F B I 750 F E D 200 F E C 500 F E I 1500 B E D 150 B E C 400 B E I 750
20000.0 5000.0 1000.0
1.0 1.0 1.0
#";

pub const AIRPORTS: &str =
    "AAA 2 2 00:00 00:00 \nBBB 0 0 00:00 06:00 1 1 06:00 00:00 \nCCC 5 5 00:00 00:00 \n#";

pub const DIST: &str = "AAA BBB 60 D
BBB AAA 60 D
AAA CCC 150 C
CCC AAA 150 C
BBB CCC 90 I
CCC BBB 90 I
#";

pub const FLIGHTS: &str = "1 AAA BBB 07:00 08:00 0
2 BBB AAA 09:00 10:00 0
3 AAA CCC 11:00 13:30 0
4 CCC AAA 14:30 17:00 0
5 BBB CCC 10:00 11:30 0
6 CCC BBB 12:30 14:00 5
7 AAA BBB 20:00 21:00 0
9 BBB CCC 16:00 17:30 0
10 CCC BBB 18:30 20:00 0
#";

pub const AIRCRAFT: &str = "A320#1 A320 Airbus 0/12/138 300 2000.0 40 30 AAA NULL
A320#2 A320 Airbus 4/8/138 300 2100.0 40 30 BBB NULL
A319#1 A319 Airbus 0/0/120 80 1800.0 35 25 AAA NULL
B737#1 B737 Boeing 0/0/140 300 1900.0 40 30 CCC CCC-01/03/08-15:00-01/03/08-18:00-100
#";

pub const ROTATIONS: &str = "1 01/03/08 A320#1
2 01/03/08 A320#1
3 01/03/08 A320#1
4 01/03/08 A320#1
7 01/03/08 A320#1
5 01/03/08 A320#2
6 01/03/08 A320#2
9 01/03/08 A320#2
10 01/03/08 A320#2
#";

pub const ITINERARIES: &str = "1 A 200.0 10 2 01/03/08 E
2 R 300.0 5 2 01/03/08 B 3 01/03/08 B
3 A 500.0 4 5 01/03/08 F 6 01/03/08 E
4 A 100.0 3 1 01/03/08 E 2 01/03/08 E
5 A 150.0 6 7 01/03/08 E
6 R 80.0 2 9 01/03/08 E
#";

pub const POSITIONS: &str = "AAA A320 0/0/150 1 #
BBB A320 4/8/138 1 A320 0/0/150 1 #
CCC B737 0/0/140 1 A319 0/0/120 1 #
#";

pub const ALT_FLIGHTS: &str = "2 01/03/08 30\n#";
pub const ALT_AIRCRAFT: &str = "A319#1 01/03/08 08:00 01/03/08 12:00\n#";
pub const ALT_AIRPORTS: &str = "CCC 01/03/08 12:00 01/03/08 13:00 0 0 \n#";

/// Every file of the instance, by name.
pub const FILES: [(&str, &str); 11] = [
    ("config.csv", CONFIG),
    ("airports.csv", AIRPORTS),
    ("dist.csv", DIST),
    ("flights.csv", FLIGHTS),
    ("aircraft.csv", AIRCRAFT),
    ("rotations.csv", ROTATIONS),
    ("itineraries.csv", ITINERARIES),
    ("position.csv", POSITIONS),
    ("alt_flights.csv", ALT_FLIGHTS),
    ("alt_aircraft.csv", ALT_AIRCRAFT),
    ("alt_airports.csv", ALT_AIRPORTS),
];

pub fn write_instance(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).unwrap();
    }
}
