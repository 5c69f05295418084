#!/usr/bin/env python3
"""A greedy ROADEF 2009 policy: aircraft first, then passengers, one pass each, no search.

Usage (the challenge's protocol, as `ucodts bench roadef2009 --policy-cmd` calls it):
    python3 roadef_greedy.py INSTANCE_DIR OUT_DIR TIME_LIMIT_S

Aircraft: legs that may not move (flown before the window, ground transport, imposed delays) are placed
first. Then each aircraft's rotation is walked in time order: a leg departs as early as its schedule, the
aircraft's turn-round (or transit on a linked leg), its maintenance slot and breakdowns allow, in the first
hour with departure and arrival capacity left, at most MAX_SHIFT_MIN late and never after the window; a leg
that cannot be placed is cancelled with the legs that bring the aircraft back to where it stands.

Passengers: trips whose legs still fly with valid connections keep their booking. The others, largest
revenue first, are rebooked on the earliest-arriving path with free seats (found by a connection scan; their
booked cabin first, then higher, then lower) within the 18 h / 36 h limit, after the part they flew before the
window opened; what does not fit is cancelled. Round trips (origin = final destination) are rebooked
through every stop of the booking not yet reached, so no passenger is flown home without making the trip.

The time limit is not needed: the policy finishes in seconds.
"""

import sys

from roadef_files import Instance, write_solution

MAX_SHIFT_MIN = 180
MIN_CONNECTION_MIN = 30
CABINS = "FBE"
CLASS_RANK = {"D": 0, "C": 1, "I": 2}


class Capacity:
    """Departures and arrivals used per airport and clock hour."""

    def __init__(self, inst):
        self.inst = inst
        self.dep = {}
        self.arr = {}

    def fits(self, origin, destination, dep, arr):
        hd, ha = dep - dep % 60, arr - arr % 60
        return (self.dep.get((origin, hd), 0) < self.inst.hour_capacity(origin, hd)[0]
                and self.arr.get((destination, ha), 0) < self.inst.hour_capacity(destination, ha)[1])

    def take(self, origin, destination, dep, arr):
        hd, ha = dep - dep % 60, arr - arr % 60
        self.dep[(origin, hd)] = self.dep.get((origin, hd), 0) + 1
        self.arr[(destination, ha)] = self.arr.get((destination, ha), 0) + 1


def place_aircraft(inst):
    """{leg key: (tail, dep, arr)} for every flown leg."""
    rotations = {}
    for key in inst.order:
        rotations.setdefault(inst.legs[key]["tail"], []).append(key)
    for keys in rotations.values():
        keys.sort(key=lambda k: inst.legs[k]["dep"])

    capacity = Capacity(inst)
    flown = {}
    for key in inst.order:
        leg = inst.legs[key]
        if inst.fixed(key) and not leg["cancelled_by_disruption"]:
            dep, arr = leg["dep"] + leg["delay"], leg["arr"] + leg["delay"]
            flown[key] = (leg["tail"], dep, arr)
            if not inst.aircraft[leg["tail"]]["ground"]:
                capacity.take(leg["origin"], leg["destination"], dep, arr)

    for tail in sorted(rotations):
        walk_rotation(inst, tail, rotations[tail], capacity, flown)
    return flown


def walk_rotation(inst, tail, keys, capacity, flown):
    plane = inst.aircraft[tail]
    position, ready, last = plane["origin"], None, None
    cancelled = set()
    i = 0
    while i < len(keys):
        key = keys[i]
        leg = inst.legs[key]
        if key in cancelled:
            i += 1
            continue
        if key in flown:
            position, ready, last = leg["destination"], flown[key][2], leg
            i += 1
            continue
        if leg["cancelled_by_disruption"] or leg["origin"] != position:
            cancel_round_trip(inst, keys, i, position, cancelled, flown)
            i += 1
            continue
        slot = find_slot(inst, plane, tail, keys, i, ready, last, capacity, flown, cancelled)
        if slot is None:
            cancel_round_trip(inst, keys, i, position, cancelled, flown)
            i += 1
            continue
        dep, arr = slot
        flown[key] = (tail, dep, arr)
        capacity.take(leg["origin"], leg["destination"], dep, arr)
        position, ready, last = leg["destination"], arr, leg
        i += 1


def find_slot(inst, plane, tail, keys, i, ready, last, capacity, flown, cancelled):
    leg = inst.legs[keys[i]]
    block = leg["arr"] - leg["dep"]
    earliest = leg["dep"]
    if ready is not None:
        linked = last is not None and leg["previous"] == last["number"]
        earliest = max(earliest, ready + (plane["transit"] if linked else plane["turn"]))
    maintenance = plane["maintenance"]
    before_maintenance = maintenance is not None and leg["dep"] < maintenance[1]
    if maintenance is not None and not before_maintenance:
        earliest = max(earliest, maintenance[2])
    # The next leg that must fly as imposed: this one must leave room for it.
    next_fixed = None
    for k in keys[i + 1:]:
        if k in cancelled:
            continue
        if k in flown:
            next_fixed = flown[k][1]
        break
    latest = min(leg["dep"] + MAX_SHIFT_MIN, inst.end - block)
    candidates = {earliest}
    hour = earliest - earliest % 60 + 60
    while hour <= latest + block:
        candidates.add(hour)
        candidates.add(hour - block)
        hour += 60
    for dep in sorted(c for c in candidates if earliest <= c <= latest):
        arr = dep + block
        if before_maintenance and arr > maintenance[1]:
            return None
        if next_fixed is not None and arr + plane["turn"] > next_fixed:
            return None
        if any(dep < hi and arr > lo for lo, hi in inst.unavailable.get(tail, ())):
            continue
        if capacity.fits(leg["origin"], leg["destination"], dep, arr):
            return dep, arr
    return None


def cancel_round_trip(inst, keys, i, home, cancelled, flown):
    """Cancels leg i and the following legs until one leaves from `home` again (legs already placed stay)."""
    cancelled.add(keys[i])
    for k in keys[i + 1:]:
        if k in cancelled:
            continue
        if inst.legs[k]["origin"] == home or k in flown:
            return
        cancelled.add(k)


def itinerary_class(inst, legs):
    ranks = [CLASS_RANK[inst.classes[(inst.legs[(n, d)]["origin"], inst.legs[(n, d)]["destination"])]]
             for n, d, _ in legs]
    return "DCI"[max(ranks)]


def place_passengers(inst, flown):
    seats = {}
    for key, (tail, _, _) in flown.items():
        seats[key] = list(inst.aircraft[tail]["seats"])

    def free(key, cabin):
        s = seats[key][CABINS.index(cabin)]
        return 10 ** 9 if s < 0 else s

    def take(key, cabin, pax):
        c = CABINS.index(cabin)
        if seats[key][c] >= 0:
            seats[key][c] -= pax

    lines = []
    broken = []
    for it in inst.itineraries:
        keys = [(n, d) for n, d, _ in it["legs"]]
        ok = all(k in flown for k in keys) and all(
            flown[b][1] - flown[a][2] >= MIN_CONNECTION_MIN for a, b in zip(keys, keys[1:]))
        first = inst.legs[keys[0]]
        last = inst.legs[keys[-1]]
        limit = 2160 if itinerary_class(inst, it["legs"]) == "I" else 1080
        if ok and it["type"] == "A" and flown[keys[-1]][2] - last["arr"] > limit:
            ok = False
        if ok:
            for n, d, cabin in it["legs"]:
                take((n, d), cabin, it["pax"])
            lines.append((it, it["pax"], it["legs"], False))
        else:
            broken.append([it, keys, first, last, limit])

    by_departure = sorted((dep, arr, key) for key, (_, dep, arr) in flown.items())

    # The part flown before the window opened must stay on the line; its seats are taken first.
    for b in broken:
        it, keys = b[0], b[1]
        frozen = []
        for a, k in enumerate(keys):
            if k not in flown or flown[k][1] >= inst.start:
                break
            if a > 0 and flown[k][1] - flown[keys[a - 1]][2] < MIN_CONNECTION_MIN:
                break
            frozen.append(it["legs"][a])
        for n, d, cabin in frozen:
            take((n, d), cabin, it["pax"])
        b.append(frozen)

    broken.sort(key=lambda b: -float(b[0]["price"]) * b[0]["pax"])
    for it, keys, first, last, limit, frozen in broken:
        left = it["pax"]
        # Nobody is rebooked onto a flight that left before the window opened.
        if frozen:
            end = (frozen[-1][0], frozen[-1][1])
            start = inst.legs[end]["destination"]
            not_before = max(flown[end][2] + MIN_CONNECTION_MIN, inst.start)
        else:
            start, not_before = first["origin"], max(first["dep"], inst.start)
        stops = remaining_stops(inst, it, frozen)
        if stops and stops != [start]:
            deadline = last["arr"] + limit if it["type"] == "A" else inst.end
            ref = min((c for _, _, c in it["legs"]), key=CABINS.index)
            order = sorted(CABINS, key=lambda c: (CABINS.index(c) > CABINS.index(ref), abs(CABINS.index(c) - CABINS.index(ref))))
            while left > 0:
                found = best_path(inst, flown, by_departure, start, stops, not_before, deadline, order, free)
                if found is None:
                    break
                path, cabin, room = found
                pax = min(left, room)
                for k in path:
                    take(k, cabin, pax)
                lines.append((it, pax, frozen + [(k[0], k[1], cabin) for k in path], False))
                left -= pax
        if left > 0:
            lines.append((it, left, frozen, True))
    return lines


def remaining_stops(inst, it, flown_part):
    """Where the passengers must still go, in order: for a round trip (origin = final destination) every
    booked stop after the part already flown, so that nobody is flown home without making the trip;
    otherwise just the final destination."""
    legs = [inst.legs[(n, d)] for n, d, _ in it["legs"]]
    if legs[0]["origin"] != legs[-1]["destination"]:
        return [legs[-1]["destination"]]
    return [leg["destination"] for leg in legs[len(flown_part):]]


def best_path(inst, flown, legs_by_departure, origin, stops, not_before, deadline, cabins, free):
    """The earliest-arriving path through `stops` in order with a free seat in one cabin, the first of
    `cabins` that has one: (keys, cabin, seats) or None."""
    for cabin in cabins:
        path, at, after = [], origin, not_before
        for stop in stops:
            part = earliest_path(inst, legs_by_departure, at, stop, after, deadline, cabin, free)
            if part is None:
                break
            path += part
            at, after = stop, flown[part[-1]][2] + MIN_CONNECTION_MIN
        else:
            if path:
                return path, cabin, min(free(k, cabin) for k in path)
    return None


def earliest_path(inst, legs_by_departure, origin, destination, not_before, deadline, cabin, free):
    """A connection scan over the flown legs in departure order: the earliest-arriving path from origin
    to destination leaving at or after `not_before`, on legs with a free seat in `cabin`."""
    arrival = {origin: not_before - MIN_CONNECTION_MIN}
    came_by = {}
    for dep, arr, key in legs_by_departure:
        if dep < not_before:
            continue
        if dep > deadline:
            break
        leg = inst.legs[key]
        reached = arrival.get(leg["origin"])
        if reached is None or dep - reached < MIN_CONNECTION_MIN or free(key, cabin) <= 0:
            continue
        if arr <= deadline and arr < arrival.get(leg["destination"], deadline + 1) and leg["destination"] != origin:
            arrival[leg["destination"]] = arr
            came_by[leg["destination"]] = key
    if destination not in came_by:
        return None
    path, at = [], destination
    while at != origin:
        key = came_by[at]
        path.append(key)
        at = inst.legs[key]["origin"]
    path.reverse()
    return path


def main(instance_dir, out_dir):
    inst = Instance(instance_dir)
    flown = place_aircraft(inst)
    write_solution(out_dir, inst, flown, place_passengers(inst, flown))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: roadef_greedy.py INSTANCE_DIR OUT_DIR TIME_LIMIT_S")
    main(sys.argv[1], sys.argv[2])
