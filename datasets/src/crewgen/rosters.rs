//! Rosters: who flies each pairing. Pairings go out in report order; each seat (captain, first officer, the
//! cabin crew the pairing needs) goes to the longest-rested member of the pairing's airline, base and rank
//! (pilots: of its type-rating family) who has had [`CrewConfig::min_rest_between_pairings`] and the rest
//! every rule set asks since their last release, and whom the pairing keeps within the cumulative limits and
//! recurring rest of every rule set (`rule_sets::MemberHistory`). Only when nobody qualifies is a member
//! hired. Equally rested members are told apart by a lot drawn at hire from the seeded stream.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ucodts_model::{
    CrewId, CrewMember, Duty, Minutes, Pairing, PairingId, Rank, RosterAssignment, Segment,
    UtcMinute,
};

use super::pairings::PairingDraft;
use super::rule_sets::{HomeClock, MemberHistory, PlanningRules, RosterBreach, Workload};
use super::{CrewConfig, Network};

/// The random stream of the lots that break ties between equally rested members.
const LOT_STREAM: u64 = 1;

/// How many rested members may fail the cumulative limits for one seat before a member is hired: bounds the
/// work per seat. The longest-rested come first, so those who fail are rare.
const CANDIDATE_LIMIT: usize = 64;

pub(super) struct Rostered {
    pub crew: Vec<CrewMember>,
    /// The pairings with their ids (1, 2, ... in report order), in the order of the drafts.
    pub pairings: Vec<Pairing>,
    pub rosters: Vec<RosterAssignment>,
}

/// The members who can sit in one seat: one airline, base, rank and (pilots) family.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PoolKey {
    airline: u16,
    base: u16,
    rank: Rank,
    family: Option<u32>,
}

struct Member {
    id: CrewId,
    pool: usize,
    lot: u64,
    history: MemberHistory,
}

/// Members by (when they may next report, lot): the longest-rested on top.
type Pool = BinaryHeap<Reverse<(UtcMinute, u64, u32)>>;

pub(super) fn assign(
    network: &Network<'_>,
    rules: &PlanningRules,
    drafts: &[PairingDraft],
    config: &CrewConfig,
) -> Rostered {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(LOT_STREAM);
    let min_rest = config.min_rest_between_pairings();
    let legs = network.schedule.legs();

    let mut pool_index: BTreeMap<PoolKey, usize> = BTreeMap::new();
    let mut pools: Vec<Pool> = Vec::new();
    let mut numbers: BTreeMap<(u16, u16, Rank), u32> = BTreeMap::new();
    let mut members: Vec<Member> = Vec::new();
    let mut crew: Vec<CrewMember> = Vec::new();
    let mut pairings = Vec::with_capacity(drafts.len());
    let mut rosters = Vec::new();

    for (i, draft) in drafts.iter().enumerate() {
        let id = PairingId(i as u32 + 1);
        let spans: Vec<Workload> = draft
            .duties
            .iter()
            .map(|d| Workload {
                report: d.report,
                end: d.last_arrival,
                release: d.release(),
                flight: d.flight,
            })
            .collect();
        let last = spans.last().expect("a pairing holds a duty");
        // The members may report again after the longest rest asked; the rule sets ask it after the
        // pairing's last duty, before the first of the next, which departs from the base.
        let available =
            last.release + min_rest.max(rules.min_rest(last.release - last.report, true));
        let home = HomeClock::at_base(
            &network.clock,
            draft.base,
            network.schedule.airports()[draft.base as usize].time_zone,
        );
        let seats = [Rank::Captain, Rank::FirstOfficer]
            .into_iter()
            .chain(std::iter::repeat(Rank::Cabin).take(usize::from(draft.cabin)));
        for rank in seats {
            let key = PoolKey {
                airline: draft.airline,
                base: draft.base,
                rank,
                family: if rank.is_pilot() { draft.family } else { None },
            };
            let p = *pool_index.entry(key.clone()).or_insert_with(|| {
                pools.push(Pool::new());
                pools.len() - 1
            });
            let chosen = pick(&mut pools[p], &mut members, &spans, rules, home);
            let m = chosen.unwrap_or_else(|| {
                let number = numbers
                    .entry((draft.airline, draft.base, rank))
                    .or_insert(0);
                *number += 1;
                let member = hire(network, &key, *number);
                let m = members.len() as u32;
                let mut history = MemberHistory::default();
                let fresh = history.try_add(&spans, rules, home);
                debug_assert_eq!(fresh, Ok(()), "a pairing alone keeps every roster rule");
                members.push(Member {
                    id: member.id.clone(),
                    pool: p,
                    lot: rng.next_u64(),
                    history,
                });
                crew.push(member);
                m
            });
            let member = &members[m as usize];
            debug_assert_eq!(member.pool, p, "a member sits only in seats of their pool");
            pools[p].push(Reverse((available, member.lot, m)));
            rosters.push(RosterAssignment {
                crew: member.id.clone(),
                pairing: id,
            });
        }
        pairings.push(Pairing {
            id,
            airline: network.airlines[draft.airline as usize].clone(),
            base: network.airport_codes[draft.base as usize],
            duties: draft
                .duties
                .iter()
                .map(|d| Duty {
                    report: d.report,
                    release: d.release(),
                    segments: d
                        .segments
                        .iter()
                        .map(|&(l, kind)| Segment {
                            leg: legs[l as usize].id,
                            kind,
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    crew.sort_by(|a, b| a.id.cmp(&b.id));
    Rostered {
        crew,
        pairings,
        rosters,
    }
}

/// The longest-rested member of the pool available by the pairing's report whom its duties keep within the
/// cumulative limits; their history then holds those duties. A member the limits turn away is put back as
/// available only [`retry_after`] later, so that members at a limit do not crowd the top of the pool.
fn pick(
    pool: &mut Pool,
    members: &mut [Member],
    spans: &[Workload],
    rules: &PlanningRules,
    home: HomeClock<'_>,
) -> Option<u32> {
    let report = spans[0].report;
    let mut turned_away = Vec::new();
    let mut chosen = None;
    while let Some(&Reverse((available, lot, m))) = pool.peek() {
        if available > report || turned_away.len() >= CANDIDATE_LIMIT {
            break;
        }
        pool.pop();
        match members[m as usize].history.try_add(spans, rules, home) {
            Ok(()) => {
                chosen = Some(m);
                break;
            }
            Err(b) => turned_away.push(Reverse((report + retry_after(&b), lot, m))),
        }
    }
    pool.extend(turned_away);
    chosen
}

/// How long a member turned away by a roster rule waits before being asked again: a week for a limit over
/// a year or more, which frees up slowly; a day for the others.
fn retry_after(breach: &RosterBreach) -> Minutes {
    match breach {
        RosterBreach::Cumulative { window, .. } if *window >= Minutes::hours(365 * 24) => {
            Minutes::hours(7 * 24)
        }
        RosterBreach::Rest { needed, actual } => (*needed - *actual).max(Minutes(1)),
        _ => Minutes::hours(24),
    }
}

/// A new member for a seat of this pool, numbered within airline, base and rank: `UA-EWR-CA-0001`.
fn hire(network: &Network<'_>, key: &PoolKey, number: u32) -> CrewMember {
    let airline = &network.airlines[key.airline as usize];
    let base = network.airport_codes[key.base as usize];
    let code = match key.rank {
        Rank::Captain => "CA",
        Rank::FirstOfficer => "FO",
        Rank::Cabin => "FA",
    };
    let types = network.schedule.aircraft_types();
    let qualifications = network.airline_types[key.airline as usize]
        .iter()
        .filter(|&&t| key.rank == Rank::Cabin || Some(network.type_family[t]) == key.family)
        .map(|&t| types[t].code.clone())
        .collect();
    CrewMember {
        id: CrewId::new(format!("{airline}-{base}-{code}-{number:04}")),
        airline: airline.clone(),
        rank: key.rank,
        base,
        qualifications,
        home_zone: network.schedule.airports()[key.base as usize].time_zone,
    }
}
