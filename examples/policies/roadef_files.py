"""Reading a ROADEF/EURO 2009 instance folder and writing the two solution files.

Shared by the example policies beside this file (plain Python 3, standard library only). Times are
absolute minutes: days since 1 January 2000 times 1440 plus the clock time, so `+1` arrivals just add
a day. The formats are summarised in ../shared/benchmarks/roadef2009/README.md and SPEC.md.
"""

import datetime
import os

_EPOCH = datetime.date(2000, 1, 1)


def records(folder, name):
    """The space-separated fields of each line of a file, up to the first line starting with '#'."""
    rows = []
    with open(os.path.join(folder, name)) as f:
        for line in f:
            if line.startswith("#"):
                break
            fields = line.split()
            if fields:
                rows.append(fields)
    return rows


def day(date_text):
    """Days since 2000-01-01 of a DD/MM/YY date."""
    d, m, y = (int(x) for x in date_text.split("/"))
    return (datetime.date(2000 + y, m, d) - _EPOCH).days


def date_text(days):
    return (_EPOCH + datetime.timedelta(days=days)).strftime("%d/%m/%y")


def clock(text):
    """Minutes after midnight of 'HH:MM' or 'HH:MM+N'."""
    extra = 0
    if "+" in text:
        text, plus = text.split("+")
        extra = int(plus) * 1440
    h, m = text.split(":")
    return int(h) * 60 + int(m) + extra


def clock_text(minute, days):
    """An absolute minute written relative to the date `days`, with a +N suffix past midnight."""
    rel = minute - days * 1440
    n, rel = divmod(rel, 1440)
    text = "%02d:%02d" % (rel // 60, rel % 60)
    return text + ("+%d" % n if n else "")


class Instance:
    """The parts of an instance the example policies use."""

    def __init__(self, folder):
        cfg = records(folder, "config.csv")
        self.start = day(cfg[0][0]) * 1440 + clock(cfg[0][1])
        self.end = day(cfg[0][2]) * 1440 + clock(cfg[0][3])

        # Airport capacities: per airport a list of (from, to, departures, arrivals) in minutes of day.
        self.capacity = {}
        for r in records(folder, "airports.csv"):
            windows = []
            for i in range(1, len(r), 4):
                lo, hi = clock(r[i + 2]), clock(r[i + 3])
                windows.append((lo, hi if hi > lo else 1440, int(r[i]), int(r[i + 1])))
            self.capacity[r[0]] = windows
        self.cuts = {}
        for r in records(folder, "alt_airports.csv"):
            lo = day(r[1]) * 1440 + clock(r[2])
            hi = day(r[3]) * 1440 + clock(r[4])
            self.cuts.setdefault(r[0], []).append((lo, hi, int(r[5]), int(r[6])))

        timetable = {}
        for r in records(folder, "flights.csv"):
            timetable[r[0]] = (r[1], r[2], clock(r[3]), clock(r[4]), r[5])

        self.aircraft = {}
        for r in records(folder, "aircraft.csv"):
            seats = [int(x) for x in r[3].split("/")]
            maintenance = None
            if r[9] != "NULL":
                m = r[9].split("-")
                maintenance = (m[0], day(m[1]) * 1440 + clock(m[2]), day(m[3]) * 1440 + clock(m[4]), int(m[5]))
            self.aircraft[r[0]] = {
                "family": r[2],
                "seats": seats,
                "range": int(r[4]),
                "turn": int(r[6]),
                "transit": int(r[7]),
                "origin": r[8],
                "maintenance": maintenance,
                "ground": r[2] == "TranspCom",
            }
        self.unavailable = {}
        for r in records(folder, "alt_aircraft.csv"):
            lo = day(r[1]) * 1440 + clock(r[2])
            hi = day(r[3]) * 1440 + clock(r[4])
            self.unavailable.setdefault(r[0], []).append((lo, hi))

        # Legs by (number, date text): planned times, aircraft, disruption.
        self.legs = {}
        self.order = []
        for r in records(folder, "rotations.csv"):
            number, date, tail = r[0], r[1], r[2]
            o, d, dep, arr, previous = timetable[number]
            base = day(date) * 1440
            key = (number, date)
            self.legs[key] = {
                "number": number,
                "date": date,
                "days": day(date),
                "origin": o,
                "destination": d,
                "dep": base + dep,
                "arr": base + arr,
                "previous": previous,
                "tail": tail,
                "delay": 0,
                "cancelled_by_disruption": False,
            }
            self.order.append(key)
        for r in records(folder, "alt_flights.csv"):
            leg = self.legs.get((r[0], r[1]))
            if leg is None:
                continue
            if int(r[2]) < 0:
                leg["cancelled_by_disruption"] = True
            else:
                leg["delay"] = int(r[2])

        self.itineraries = []
        for r in records(folder, "itineraries.csv"):
            legs = [(r[i], r[i + 1], r[i + 2]) for i in range(4, len(r), 3)]
            self.itineraries.append({"id": r[0], "type": r[1], "price": r[2], "pax": int(r[3]), "legs": legs})

        self.classes = {}
        for r in records(folder, "dist.csv"):
            self.classes[(r[0], r[1])] = r[3]

    def fixed(self, key):
        """Frozen (scheduled before the window opens), flown by ground transport, or with an imposed delay."""
        leg = self.legs[key]
        return leg["dep"] < self.start or self.aircraft[leg["tail"]]["ground"] or leg["delay"] > 0

    def hour_capacity(self, airport, hour_start):
        """(departures, arrivals) allowed at an airport in the clock hour starting at an absolute minute."""
        for lo, hi, dep, arr in self.cuts.get(airport, ()):
            if lo <= hour_start < hi:
                return dep, arr
        minute = hour_start % 1440
        for lo, hi, dep, arr in self.capacity.get(airport, ()):
            if lo <= minute < hi:
                return dep, arr
        return 0, 0


def write_solution(out_dir, instance, flown, lines):
    """Writes sol_rotations.csv (every planned leg: `flown[key] = (tail, dep, arr)` or cancelled) and
    sol_itineraries.csv (`lines`: (itinerary, pax, [(number, date, cabin)], cancelled)), lines that end with
    `cancelled` after some legs last, as the official cost checker wants."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sol_rotations.csv"), "w") as f:
        for key in instance.order:
            leg = instance.legs[key]
            if key in flown:
                tail, dep, arr = flown[key]
                times = (clock_text(dep, leg["days"]), clock_text(arr, leg["days"]))
            else:
                tail = "cancelled"
                times = (clock_text(leg["dep"], leg["days"]), clock_text(leg["arr"], leg["days"]))
            f.write("%s %s %s %s %s %s %s %s\n" % (
                leg["number"], leg["origin"], leg["destination"], times[0], times[1],
                leg["previous"], leg["date"], tail))
        f.write("#\n")
    stranded_last = sorted(lines, key=lambda line: bool(line[2]) and line[3])
    with open(os.path.join(out_dir, "sol_itineraries.csv"), "w") as f:
        for it, pax, legs, cancelled in stranded_last:
            fields = [it["id"], it["type"], it["price"], str(pax)]
            for number, date, cabin in legs:
                fields += [number, date, cabin]
            if cancelled:
                fields.append("cancelled")
            f.write(" ".join(fields) + "\n")
        f.write("#\n")
