#!/usr/bin/env python3
"""A trivial ROADEF 2009 policy: fly the original schedule with the disruptions applied and nothing else.

Usage (the challenge's protocol, as `ucodts bench roadef2009 --policy-cmd` calls it):
    python3 roadef_original.py INSTANCE_DIR OUT_DIR TIME_LIMIT_S

Imposed delays move their leg, disruption-cancelled legs are cancelled and so are the trips booked on
them; knock-on delays, broken connections and broken aircraft are left as they are, so the checker
usually finds this plan infeasible. It is a floor to compare real policies with.
"""

import sys

from roadef_files import Instance, write_solution


def main(instance_dir, out_dir):
    inst = Instance(instance_dir)
    flown = {}
    for key in inst.order:
        leg = inst.legs[key]
        if not leg["cancelled_by_disruption"]:
            flown[key] = (leg["tail"], leg["dep"] + leg["delay"], leg["arr"] + leg["delay"])
    lines = []
    for it in inst.itineraries:
        kept = all((n, d) in flown for n, d, _ in it["legs"])
        lines.append((it, it["pax"], it["legs"] if kept else [], not kept))
    write_solution(out_dir, inst, flown, lines)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: roadef_original.py INSTANCE_DIR OUT_DIR TIME_LIMIT_S")
    main(sys.argv[1], sys.argv[2])
