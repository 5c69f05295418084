// Writes public/na-outline.geojson: the country outlines of North America, Central America and the Caribbean,
// from Natural Earth's 1:50m countries (public domain) as the world-atlas package ships them (TopoJSON).
// The map draws this file and nothing else: no tile server, nothing fetched at run time.
// Run: npm run outline (after npm ci). The output is committed, so building needs no world-atlas.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
const BOX = { west: -170, east: -50, south: 7, north: 75 }; // what the map shows
const TOLERANCE = 0.06; // degrees: points nearer than this to the simplified line are dropped

// TopoJSON arcs are quantized and delta-encoded; decode each to [lon, lat] points.
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

function ring(indices) {
  const out = [];
  for (const index of indices) {
    const points = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
    out.push(...(out.length ? points.slice(1) : points));
  }
  return out;
}

// Douglas-Peucker simplification of one ring.
function simplify(points) {
  if (points.length < 5) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = points[a];
    const [bx, by] = points[b];
    const len = Math.hypot(bx - ax, by - ay);
    let far = -1;
    let farDist = TOLERANCE;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i];
      // A closed ring starts and ends at one point: there, the distance to that point.
      const d = len > 1e-12 ? Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len : Math.hypot(px - ax, py - ay);
      if (d > farDist) {
        far = i;
        farDist = d;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const round = (v) => Math.round(v * 100) / 100;
const features = [];
for (const geometry of topo.objects.countries.geometries) {
  const polygons = geometry.type === 'Polygon' ? [geometry.arcs] : geometry.type === 'MultiPolygon' ? geometry.arcs : [];
  const kept = [];
  for (const polygon of polygons) {
    const outer = ring(polygon[0]);
    const lons = outer.map((p) => p[0]);
    const lats = outer.map((p) => p[1]);
    const cx = (Math.min(...lons) + Math.max(...lons)) / 2;
    const cy = (Math.min(...lats) + Math.max(...lats)) / 2;
    if (cx < BOX.west || cx > BOX.east || cy < BOX.south || cy > BOX.north) continue;
    const rings = polygon
      .map((r) => simplify(ring(r)).map(([x, y]) => [round(x), round(y)]))
      .filter((r) => r.length >= 4);
    if (rings.length) kept.push(rings);
  }
  if (kept.length) {
    features.push({
      type: 'Feature',
      properties: { name: geometry.properties?.name ?? '' },
      geometry: { type: 'MultiPolygon', coordinates: kept },
    });
  }
}
features.sort((a, b) => a.properties.name.localeCompare(b.properties.name));
const out = {
  type: 'FeatureCollection',
  // Natural Earth is in the public domain; world-atlas (ISC) converted it to TopoJSON.
  source: 'Natural Earth 1:50m admin 0 countries via world-atlas 2.0.2, simplified by scripts/make-outline.mjs',
  features,
};
writeFileSync(new URL('../public/na-outline.geojson', import.meta.url), JSON.stringify(out) + '\n');
console.log(`public/na-outline.geojson: ${features.length} countries, ${JSON.stringify(out).length} bytes`);
