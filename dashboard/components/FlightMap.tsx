'use client';

import { useEffect, useRef } from 'react';
import 'leaflet/dist/leaflet.css';
import type { Day } from '@/lib/api';
import { fromMinutes } from '@/lib/time';

/**
 * Airports of the day and the flights airborne at `now`, on the bundled Natural Earth outline
 * (public/na-outline.geojson): no tile server, nothing fetched from elsewhere.
 */
export default function FlightMap({ day, now }: { day: Day; now: number }) {
  const box = useRef<HTMLDivElement>(null);
  const state = useRef<{ L: typeof import('leaflet'); map: import('leaflet').Map; flights: import('leaflet').LayerGroup } | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const L = await import('leaflet');
      if (cancelled || !box.current || state.current) return;
      const map = L.map(box.current, { zoomControl: true, attributionControl: true, preferCanvas: true, keyboard: true });
      map.attributionControl.setPrefix(false).addAttribution('Outline: Natural Earth (public domain)');
      map.setView([38, -90], 4);
      const outline = await fetch('/na-outline.geojson').then((r) => r.json());
      if (cancelled) return;
      L.geoJSON(outline, { style: { color: '#667788', weight: 1, fillColor: '#f5f3ea', fillOpacity: 1 }, interactive: false }).addTo(map);
      const used = new Set(day.legs.flatMap((l) => [l.origin, l.destination]));
      for (const a of day.airports) {
        if (!used.has(a.code)) continue;
        L.circleMarker([a.latitude, a.longitude], { radius: 3, color: '#0f2a44', weight: 1, fillOpacity: 0.9 })
          .bindTooltip(`${a.code} ${a.name} (${a.time_zone})`)
          .addTo(map);
      }
      const flights = L.layerGroup().addTo(map);
      state.current = { L, map, flights };
      draw();
    })();
    return () => {
      cancelled = true;
      state.current?.map.remove();
      state.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [day]);

  function draw() {
    const s = state.current;
    if (!s) return;
    s.flights.clearLayers();
    const where = new Map(day.airports.map((a) => [a.code, a]));
    let airborne = 0;
    for (const l of day.legs) {
      if (l.actual_out == null || l.actual_in == null) continue;
      const out = fromMinutes(l.actual_out);
      const inn = fromMinutes(l.actual_in);
      if (now < out || now > inn) continue;
      const a = where.get(l.origin);
      const b = where.get(l.destination);
      if (!a || !b) continue;
      const f = (now - out) / Math.max(1, inn - out);
      const lat = a.latitude + (b.latitude - a.latitude) * f;
      const lon = a.longitude + (b.longitude - a.longitude) * f;
      airborne++;
      s.L.circleMarker([lat, lon], { radius: 2.5, color: '#a3161b', weight: 1, fillOpacity: 1 })
        .bindTooltip(`${l.carrier}${l.flight ?? ''} ${l.origin}→${l.destination} ${l.tail ?? ''}`)
        .addTo(s.flights);
    }
    box.current?.setAttribute('aria-label', `Map of the day's airports and the ${airborne} flights airborne now`);
  }

  useEffect(draw);

  return <div ref={box} className="map" data-testid="map" role="region" aria-label="Map of flights" />;
}
