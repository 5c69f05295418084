#!/usr/bin/env python3
"""The trivial external policy for `ucodts recover --policy-cmd`: every aircraft flies its planned legs.

Reads the problem document (ucodts.recovery-problem/1, docs/guide/policy-protocol.md) on standard input
and prints a plan document (ucodts.recovery-plan/1): each aircraft keeps its planned rotation, a leg the
disruption cancels is left out, a delayed or frozen leg keeps the time it is given, and every other leg
leaves at its scheduled time or when its aircraft is back on the ground plus the turn-round, whichever is
later. Closures, capacity and crew are ignored: the checker says what such a plan breaks.

    ucodts recover --scenario captain-no-show --policy-cmd "python3 examples/policies/recover_as_planned.py"
"""

import json
import sys

from recover_protocol import clock, minutes, plan_document


def main():
    problem = json.load(sys.stdin)
    flights = problem["flights"]
    rotations = []
    for aircraft in problem["aircraft"]:
        ready = None
        last_number = None
        legs = []
        for f in aircraft["planned_rotation"]:
            flight = flights[f]
            if flight["disruption"] == "cancelled":
                continue
            departure = minutes(flight["scheduled_departure"]) + flight["delay_minutes"]
            if not flight["frozen"] and flight["disruption"] == "none" and ready is not None:
                through = last_number is not None and flight["previous_number"] == last_number
                ground = aircraft["transit_minutes"] if through else aircraft["turn_round_minutes"]
                departure = max(departure, ready + ground)
            block = minutes(flight["scheduled_arrival"]) - minutes(flight["scheduled_departure"])
            ready = departure + block
            last_number = flight["number"]
            legs.append({"flight": f, "departure": clock(departure)})
        rotations.append({"aircraft": aircraft["index"], "legs": legs})
    json.dump(plan_document(rotations), sys.stdout)


if __name__ == "__main__":
    main()
