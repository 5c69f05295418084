//! Flight-time-limitation rules. For now the parts of FAA 14 CFR Part 117 that the crew generator must respect
//! when it builds pairings; the full rule sets (Part 117 and EASA ORO.FTL) behind one interface come later.

pub mod faa117;
