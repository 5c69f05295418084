#!/usr/bin/env python3
"""A greedy external policy for `ucodts recover --policy-cmd`: one pass over the day, no search.

Reads the problem document (ucodts.recovery-problem/1, docs/guide/policy-protocol.md) on standard input
and prints a plan document (ucodts.recovery-plan/1). Each aircraft keeps its own legs (so no tail ever
flies another airline's flight). The legs of all aircraft are walked in order of scheduled departure; a
leg leaves at the earliest minute that
  - is not before its schedule, nor before its aircraft is back plus the turn-round (transit on a
    through flight), nor before the crew coming off another flight have landed plus their connection;
  - is outside the aircraft's unavailable periods, with its origin open to departures and its
    destination open to arrivals (a cut of 0 movements is a closure);
  - finds a departure slot and an arrival slot in the airports' hourly capacity.
Frozen legs and legs the disruption delays keep their times. A leg that would leave more than
MAX_DELAY_MIN late or land after the window is cancelled together with the following legs of its aircraft
up to the one that brings the aircraft back to where it stands (a round trip), so the rotation stays
unbroken; when no such return exists the leg flies late instead.

    ucodts recover --scenario jfk-two-hour-closure --policy-cmd "python3 examples/policies/recover_greedy.py"
"""

import heapq
import json
import sys
from collections import defaultdict

from recover_protocol import clock, minutes, plan_document

MAX_DELAY_MIN = 180


class Airports:
    """Hourly movement counts against each airport's capacity and cuts."""

    def __init__(self, airports):
        self.hourly = {}
        self.cuts = {}
        for a in airports:
            self.hourly[(a["code"], "dep")] = a["hourly_departures"]
            self.hourly[(a["code"], "arr")] = a["hourly_arrivals"]
            self.cuts[a["code"]] = [(minutes(c["from"]), minutes(c["to"]), c["departures"], c["arrivals"])
                                    for c in a["cuts"]]
        self.used = defaultdict(int)  # (code, "dep"|"arr", hour) -> movements

    def _capacity(self, code, kind, t):
        for start, end, departures, arrivals in self.cuts[code]:
            if start <= t < end:
                return departures if kind == "dep" else arrivals
        return self.hourly[(code, kind)][(t // 60) % 24]

    def next_open(self, code, kind, t):
        """The first minute from `t` with room for one more movement, at most two days on."""
        for _ in range(48):
            cap = self._capacity(code, kind, t)
            if cap is None or self.used[(code, kind, t // 60)] < cap:
                return t
            t = (t // 60 + 1) * 60
        return t

    def book(self, code, kind, t):
        self.used[(code, kind, t // 60)] += 1


def main():
    problem = json.load(sys.stdin)
    flights = problem["flights"]
    window_end = minutes(problem["window_end"])
    airports = Airports(problem["airports"])
    feeds = defaultdict(list)  # flight -> [(from flight, need minutes)]
    for c in problem["crew_connections"]:
        feeds[c["to"]].append((c["from"], c["need_minutes"]))
    scheduled = {f["index"]: minutes(f["scheduled_departure"]) for f in flights}
    block = {f["index"]: minutes(f["scheduled_arrival"]) - scheduled[f["index"]] for f in flights}
    unavailable = {a["index"]: [(minutes(p["from"]), minutes(p["to"])) for p in a["unavailable"]]
                   for a in problem["aircraft"]}

    # Per aircraft: its legs still to place, in order; where and when it is free.
    todo = {a["index"]: [f for f in a["planned_rotation"] if flights[f]["disruption"] != "cancelled"]
            for a in problem["aircraft"]}
    aircraft = {a["index"]: a for a in problem["aircraft"]}
    ready = {}
    last_number = {}
    placed = {}  # flight -> (departure, arrival)
    legs = defaultdict(list)

    def earliest(a, f):
        flight = flights[f]
        if flight["frozen"] or flight["disruption"] == "delayed":
            return scheduled[f] + flight["delay_minutes"]
        t = scheduled[f]
        if a in ready:
            through = last_number.get(a) is not None and flight["previous_number"] == last_number[a]
            t = max(t, ready[a] + (aircraft[a]["transit_minutes"] if through else aircraft[a]["turn_round_minutes"]))
        for source, need in feeds[f]:
            if source in placed:
                t = max(t, placed[source][1] + need)
        for _ in range(20):
            before = t
            for start, end in unavailable[a]:
                if t < end and t + block[f] > start:
                    t = end
            t = airports.next_open(flight["origin"], "dep", t)
            landing = airports.next_open(flight["destination"], "arr", t + block[f])
            t = max(t, landing - block[f])
            if t == before:
                break
        return t

    def place(a, f, t):
        flight = flights[f]
        placed[f] = (t, t + block[f])
        airports.book(flight["origin"], "dep", t)
        airports.book(flight["destination"], "arr", t + block[f])
        ready[a] = t + block[f]
        last_number[a] = flight["number"]
        legs[a].append({"flight": f, "departure": clock(t)})

    # The aircraft whose next leg is scheduled first goes next.
    waiting = [(scheduled[fs[0]], a) for a, fs in todo.items() if fs]
    heapq.heapify(waiting)
    while waiting:
        _, a = heapq.heappop(waiting)
        if not todo[a]:
            continue
        f = todo[a][0]
        flight = flights[f]
        t = earliest(a, f)
        movable = not flight["frozen"] and flight["disruption"] == "none"
        late = t - scheduled[f] > MAX_DELAY_MIN or t + block[f] > window_end
        if movable and late:
            # Cancel up to the leg that returns the aircraft to this leg's origin, if the others may go.
            rest = todo[a]
            cancelled = False
            for k, g in enumerate(rest):
                if flights[g]["frozen"] or flights[g]["disruption"] != "none":
                    break
                if flights[g]["destination"] == flight["origin"]:
                    todo[a] = rest[k + 1:]
                    cancelled = True
                    break
            if cancelled:
                if todo[a]:
                    heapq.heappush(waiting, (scheduled[todo[a][0]], a))
                continue
        place(a, f, t)
        todo[a] = todo[a][1:]
        if todo[a]:
            heapq.heappush(waiting, (scheduled[todo[a][0]], a))

    rotations = [{"aircraft": a, "legs": legs[a]} for a in sorted(legs)]
    json.dump(plan_document(rotations), sys.stdout)


if __name__ == "__main__":
    main()
