'use client';

import dynamic from 'next/dynamic';
import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import Shell from '@/components/Shell';
import Gantt, { GanttItem, GanttRow, Legend } from '@/components/Gantt';
import { Day, DayLeg, DayMaintenance, Estimate, followLive, get, getOrNull, LiveAlert, LiveForecast, LiveSnapshot, minutesOf, RunView } from '@/lib/api';
import { fromMinutes, HOME_ZONE, local, utc } from '@/lib/time';
import { forecastOf, ScenarioResult, withInterval } from '@/lib/kpis';
import { KSS_ALERT, maintenanceRisk, onDuty, twinSafetyAlerts } from '@/lib/safety';

const FlightMap = dynamic(() => import('@/components/FlightMap'), { ssr: false });

const late = (l: DayLeg) => (l.actual_in != null ? l.actual_in - l.scheduled_in : null);

interface Alert {
  at: number;
  kind: 'actual' | 'predicted';
  severity: 'high' | 'medium';
  text: string;
  /** Shown until then (a fatigue alert: until its duty's release), ms. */
  until?: number;
  /** Where it happens: its time is shown in that airport's local time. */
  airport?: string;
  /** Who says so: the rolling twin's forecast (with its probability), or the screen's own reading of the
   * day (the record or the feed, the rule engine, the fatigue forecast, the maintenance programme). */
  source: 'twin' | 'day';
  /** The share of the twin's replications that show it. */
  probability?: number;
  /** Not in the twin's previous forecast (twin alerts), or happened in the last 30 minutes (the others). */
  fresh?: boolean;
  /** A twin alert's identity from forecast to forecast. */
  key?: string;
  /** What kind of alert in words (`long delay`, `crew limit`) and where (`at ORD`, `crew based JFK`,
   * `tail N512UA`): alerts of the same kind (actual or predicted), what and where form one group. */
  what: string;
  where: string;
}

/** Alerts of one kind at one place: how many, the earliest (expected) time, the highest probability. */
interface AlertGroup {
  key: string;
  kind: 'actual' | 'predicted';
  severity: 'high' | 'medium';
  what: string;
  where: string;
  members: Alert[];
  earliest: number;
  latest: number;
  maxProbability?: number;
  fresh: number;
  /** The airport all members happen at, if one: the earliest time is local there. */
  airport?: string;
  source: 'twin' | 'day' | 'both';
}

/** Group the alerts (already filtered and sorted) by kind, what and where: what happened first, the group
 * with the newest member first; then what is predicted, high first, soonest first, likeliest first. */
function groupAlerts(alerts: Alert[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const key = `${a.kind}|${a.what}|${a.where}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, kind: a.kind, severity: a.severity, what: a.what, where: a.where, members: [], earliest: a.at, latest: a.at, fresh: 0, airport: a.airport, source: a.source };
      groups.set(key, g);
    }
    g.members.push(a);
    g.earliest = Math.min(g.earliest, a.at);
    g.latest = Math.max(g.latest, a.at);
    if (a.severity === 'high') g.severity = 'high';
    if (a.probability != null) g.maxProbability = Math.max(g.maxProbability ?? 0, a.probability);
    if (a.fresh) g.fresh++;
    if (g.airport !== a.airport) g.airport = undefined;
    if (g.source !== a.source) g.source = 'both';
  }
  const rank = (g: AlertGroup) => (g.kind === 'actual' ? 0 : g.severity === 'high' ? 1 : 2);
  return [...groups.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.kind === 'actual' ? b.latest - a.latest : a.earliest - b.earliest) ||
      (b.maxProbability ?? 0) - (a.maxProbability ?? 0) ||
      b.members.length - a.members.length ||
      a.key.localeCompare(b.key),
  );
}

/** Members shown in an open group (the "one line each" view shows them all, up to its own limit). */
const GROUP_MEMBERS_SHOWN = 500;

/** What the rolling twin's alerts are called, and how serious each kind is. */
const TWIN_KIND: Record<string, { words: string; severity: 'high' | 'medium' }> = {
  crew_duty_limit: { words: 'crew duty limit (past the 117.19 extension)', severity: 'high' },
  crew_duty_extension: { words: 'crew duty extension (117.19)', severity: 'medium' },
  curfew: { words: 'curfew', severity: 'high' },
  airport_capacity: { words: 'airport capacity', severity: 'medium' },
  long_delay: { words: 'long delay', severity: 'medium' },
  cancelled: { words: 'cancelled', severity: 'high' },
};

/** An alert of the twin is the same alert in the next forecast when its kind and what it is about match
 * (the expected time of a leg's delay moves from forecast to forecast; a capacity alert is per hour). */
const alertKey = (a: LiveAlert) => `${a.kind}|${a.leg ?? ''}|${a.crew ?? ''}|${a.airport ?? ''}|${a.kind === 'airport_capacity' ? a.expected_at : ''}`;

/** `78.1 % [76.0, 80.2]` */
const estimate = (e: Estimate | null, scale: number, unit: string, digits: number) =>
  e ? `${(e.mean * scale).toFixed(digits)}${unit} [${(e.lower * scale).toFixed(digits)}, ${(e.upper * scale).toFixed(digits)}]` : 'n/a (nothing left to fly)';

type AlertFilter = 'all' | 'new' | 'actual' | 'predicted' | 'twin' | 'day';

/** Where a tile's figures come from: its "so far" (the feed's reported legs, or the recorded day up to
 * the clock) and its forecast (the rolling twin, the latest simulation run, or none). */
interface TileSource {
  soFar: 'feed' | 'record';
  forecast: 'twin' | 'simulation' | 'none';
  words: string;
}

function Tile({ testId, title, value, detail, forecast, source }: { testId: string; title: string; value: string; detail: string; forecast: ReactNode; source: TileSource }) {
  return (
    <section className="tile" data-testid={testId} aria-label={title} data-so-far-source={source.soFar} data-forecast-source={source.forecast}>
      <div className="note">{title}</div>
      <div className="value">{value}</div>
      <div className="note">{detail}</div>
      <div className="forecast">{forecast}</div>
      <div className="note source" data-testid="kpi-source">
        {source.words}
      </div>
    </section>
  );
}

function Operations() {
  const [day, setDay] = useState<Day | null>(null);
  // `/operations/?date=2013-07-02` opens that day (the day select changes it).
  const [date, setDate] = useState<string | null>(() => (typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('date')));
  const [error, setError] = useState<string | null>(null);
  const [forecast, setForecast] = useState<RunView<ScenarioResult> | null>(null);
  const [now, setNow] = useState<number | null>(null);
  const [live, setLive] = useState<LiveSnapshot | null>(null);
  const [twin, setTwin] = useState<LiveForecast | null>(null);
  const [twinAlerts, setTwinAlerts] = useState<{ now: string | null; alerts: LiveAlert[]; fresh: Set<string> } | null>(null);
  const [mx, setMx] = useState<DayMaintenance | null>(null);
  const [filter, setFilter] = useState<AlertFilter>('all');
  const [grouped, setGrouped] = useState(true);
  /** The groups open in the alert list, by key (kept across updates: a group's key is its kind and place). */
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  /** The keys of the twin's previous alerts: what is not among them is new. */
  const seen = useRef<Set<string> | null>(null);

  // The live operation, pushed by the server (GET /api/live/events): the feed's state (read again after
  // each post; the clock follows the feed), the rolling twin's forecast and its alerts.
  useEffect(
    () =>
      followLive({
        onConnect: (applied) => {
          // Nothing was fed before the screen opened: every alert of the first forecast is new.
          if (applied === 0 && seen.current == null) seen.current = new Set();
        },
        onState: (s) => {
          setLive(s);
          if (s.now && s.events_applied > 0) setNow(Date.parse(s.now));
        },
        onForecast: setTwin,
        onAlerts: (a) => {
          const keys = new Set(a.alerts.map(alertKey));
          const before = seen.current;
          seen.current = keys;
          setTwinAlerts({ ...a, fresh: new Set(before ? [...keys].filter((k) => !before.has(k)) : []) });
        },
      }),
    [],
  );

  useEffect(() => {
    performance.mark('operations:fetch-start');
    // The live routes (/api/live/*) take over when the server has them; until then the recorded day.
    get<Day>(`/api/dashboard/day${date ? `?date=${date}` : ''}`)
      .then((d) => {
        performance.mark('operations:data');
        setDay(d);
        const noon = d.legs.length ? Math.min(...d.legs.map((l) => l.scheduled_out)) : 0;
        setNow((n) => n ?? fromMinutes(noon) + 9 * 3_600_000);
      })
      .catch((e) => setError(e.message));
  }, [date]);

  // The twin's maintenance reading of the day: each tail's removal risk and its next A check.
  useEffect(() => {
    if (!day) return;
    setMx(null);
    get<DayMaintenance>(`/api/dashboard/maintenance?date=${day.date}`)
      .then(setMx)
      .catch((e) => setMx({ date: day.date, unavailable: `the server could not say (${e.message})`, note: '', base_rate: null, skill: null, expected_removals: 0, tails_without_prediction: 0, tails: [] }));
  }, [day]);

  useEffect(() => {
    getOrNull<RunView[]>('/api/runs?limit=50')
      .then(async (runs) => {
        const last = runs?.find((r) => r.kind === 'simulate' && r.status === 'done');
        if (last) setForecast(await get<RunView<ScenarioResult>>(`/api/runs/${last.id}`));
      })
      .catch(() => undefined);
  }, []);

  // The feed's day is the day shown: the rolling twin's operating day once it has forecast, before that the
  // day most of the reported legs leave on (local date in the home zone; not the clock's date, which the
  // arrivals after midnight and the next morning's early notices carry past the day).
  const liveDate = useMemo(() => {
    if (!live || live.events_applied === 0) return null;
    if (twin?.day) return twin.day;
    const byDay = new Intl.DateTimeFormat('en-CA', { timeZone: HOME_ZONE });
    const counts = new Map<string, number>();
    for (const l of live.legs) {
      const d = byDay.format(new Date(Date.parse(l.scheduled_out)));
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [d, n] of counts) if (best == null || n > counts.get(best)! || (n === counts.get(best)! && d < best)) best = d;
    return best;
  }, [live, twin]);
  useEffect(() => {
    if (liveDate && day && liveDate !== day.date && day.days.includes(liveDate)) setDate(liveDate);
  }, [liveDate, day]);

  // The recorded day with what the feed reported laid over it (status, actual off and on block).
  const merged = useMemo(() => {
    if (!day || !live || live.legs.length === 0) return day;
    const byId = new Map(live.legs.map((l) => [l.leg, l]));
    return {
      ...day,
      legs: day.legs.map((l) => {
        const v = byId.get(l.id);
        if (!v) return l;
        return {
          ...l,
          status: v.status,
          tail: v.registration ?? l.tail,
          actual_out: v.off_block?.kind === 'ACT' ? minutesOf(v.off_block.at) : l.actual_out,
          actual_in: v.on_block?.kind === 'ACT' ? minutesOf(v.on_block.at) : l.actual_in,
          live: true,
        };
      }),
    };
  }, [day, live]);

  const view = useMemo(() => {
    const day = merged;
    if (!day || now == null) return null;
    const t0 = performance.now();
    const legsByTail = new Map<string, DayLeg[]>();
    let from = Infinity;
    let to = -Infinity;
    for (const l of day.legs) {
      from = Math.min(from, fromMinutes(l.scheduled_out));
      to = Math.max(to, fromMinutes(Math.max(l.scheduled_in, l.actual_in ?? 0)));
      if (!l.tail) continue;
      if (!legsByTail.has(l.tail)) legsByTail.set(l.tail, []);
      legsByTail.get(l.tail)!.push(l);
    }
    for (const d of day.duties) {
      from = Math.min(from, fromMinutes(d.report));
      to = Math.max(to, fromMinutes(d.release));
    }
    const hour = 3_600_000;
    from = Math.floor(from / hour) * hour;
    to = Math.ceil(to / hour) * hour;
    const zones = new Map(day.airports.map((a) => [a.code, a.time_zone]));
    const zoneOf = (code: string) => zones.get(code) ?? HOME_ZONE;
    /** `14:05 EDT at JFK` */
    const at = (t: number, code: string) => `${local(t, zoneOf(code))} at ${code}`;
    const known = (l: DayLeg) => l.actual_in != null && fromMinutes(l.actual_in) <= now;
    const legItem = (l: DayLeg): GanttItem => {
      const name = `${l.carrier}${l.flight ?? ''} ${l.origin}→${l.destination}`;
      const times = () =>
        `scheduled ${at(fromMinutes(l.scheduled_out), l.origin)} – ${at(fromMinutes(l.scheduled_in), l.destination)} (${utc(fromMinutes(l.scheduled_out))}–${utc(fromMinutes(l.scheduled_in))})`;
      if (l.status === 'cancelled') return { start: fromMinutes(l.scheduled_out), end: fromMinutes(l.scheduled_in), kind: 'cancelled', text: 'X', tip: () => `${name} CANCELLED\n${times()}` };
      if (known(l)) {
        const d = late(l)!;
        const kind = d > 60 ? 'verylate' : d > 15 ? 'late' : 'ontime';
        return {
          start: fromMinutes(l.actual_out ?? l.scheduled_out),
          end: fromMinutes(l.actual_in!),
          kind,
          text: d > 15 ? `+${d}` : undefined,
          tip: () => `${name} arrived ${d > 0 ? `${d} min late` : 'on time'}\n${times()}\nactual in ${at(fromMinutes(l.actual_in!), l.destination)} (${utc(fromMinutes(l.actual_in!))})`,
        };
      }
      if (l.actual_out != null && fromMinutes(l.actual_out) <= now)
        return { start: fromMinutes(l.actual_out), end: fromMinutes(Math.max(l.scheduled_in, l.actual_out + 1)), kind: 'airborne', tip: () => `${name} airborne\n${times()}` };
      if (l.actual_in == null && fromMinutes(l.scheduled_in) <= now)
        return { start: fromMinutes(l.scheduled_out), end: fromMinutes(l.scheduled_in), kind: 'norecord', tip: () => `${name}: the record has no times for it\n${times()}` };
      return { start: fromMinutes(l.scheduled_out), end: fromMinutes(l.scheduled_in), kind: 'planned', tip: () => `${name} not flown yet\n${times()}` };
    };
    const aChecks = new Map((mx?.tails ?? []).map((m) => [m.tail, m]));
    // What the feed took out of service (an AOG, a maintenance block), as it happens: GET /api/live/state's
    // tails carry `out_of_service` once the feed has such events; servers without them leave it out.
    const outOfService = new Map<string, { start: number; end: number; open: boolean; reason: string; label: string; aog: boolean; airport?: string }[]>();
    for (const t of live && live.events_applied > 0 ? (live.tails ?? []) : []) {
      for (const b of Array.isArray(t.out_of_service) ? t.out_of_service : []) {
        const start = Date.parse(b?.from ?? '');
        if (!Number.isFinite(start)) continue;
        const until = b.until ? Date.parse(b.until) : NaN;
        const reason = (b.reason ?? '').trim() || 'out of service';
        const aog = /aog|aircraft.on.ground|unscheduled|breakdown/i.test(reason);
        const blocks = outOfService.get(t.tail) ?? [];
        blocks.push({ start, end: Number.isFinite(until) ? until : Math.max(to, start + 3_600_000), open: !Number.isFinite(until), reason, label: aog ? 'AOG' : /maint|check/i.test(reason) ? 'MX' : 'OUT', aog, airport: t.airport ?? undefined });
        outOfService.set(t.tail, blocks);
      }
    }
    const atBlock = (t: number, airport?: string) => (airport ? at(t, airport) : local(t, HOME_ZONE));
    const blockItems = (tail: string): GanttItem[] =>
      (outOfService.get(tail) ?? []).map((b) => ({
        start: b.start,
        end: b.end,
        kind: 'outofservice',
        text: b.label,
        tip: () =>
          `OUT OF SERVICE (${b.label === 'AOG' ? 'aircraft on ground' : b.label === 'MX' ? 'maintenance' : 'reported by the feed'}): ${b.reason}\nfrom ${atBlock(b.start, b.airport)} (${utc(b.start)}) ${b.open ? 'until further notice' : `until ${atBlock(b.end, b.airport)} (${utc(b.end)})`}`,
      }));
    const tails: GanttRow[] = day.tails.map((t) => {
      const items = (legsByTail.get(t.tail) ?? []).map(legItem);
      items.push(...blockItems(t.tail));
      const a = aChecks.get(t.tail);
      if (a && a.a_check_from) {
        const start = Date.parse(a.a_check_from);
        const end = Date.parse(a.a_check_to);
        if (start < to && end > from)
          items.push({
            start,
            end,
            kind: 'maintenance',
            text: 'A check',
            tip: () =>
              `A check due (${a.a_check_limiting}): overnight at ${at(start, a.a_check_airport)} – ${at(end, a.a_check_airport)} (${utc(start)}–${utc(end)})${a.probability != null ? `\nunscheduled removal risk ${(100 * a.probability).toFixed(1)} % (proxy)` : ''}`,
          });
      }
      if (t.maintenance_due != null) {
        const due = fromMinutes(t.maintenance_due);
        if (due >= from && due <= to)
          items.push({ start: due, end: due + 45 * 60_000, kind: 'maintenance', text: 'M', tip: () => `maintenance due ${local(due, HOME_ZONE)} (${utc(due)})` });
      }
      return { key: t.tail, label: t.tail, items: items.map((i) => ({ ...i, tip: () => `${t.carrier} ${t.type_code} based ${t.base}\n${i.tip()}` })) };
    });
    // A tail the feed took out of service that the recorded day does not fly still gets its row.
    const dayTails = new Set(day.tails.map((t) => t.tail));
    for (const tail of outOfService.keys()) if (!dayTails.has(tail)) tails.push({ key: tail, label: tail, items: blockItems(tail) });
    tails.sort((a, b) => a.key.localeCompare(b.key));
    const legById = new Map(day.legs.map((l) => [l.id, l]));
    const level = day.kss_alert ?? KSS_ALERT;
    const crew: GanttRow[] = day.duties.map((d, i) => {
      const hours = (d.release - d.report) / 60;
      const kss = d.kss_peak != null ? ` · KSS ${d.kss_peak.toFixed(1)}` : '';
      const broken = (d.violations ?? []).map((v) => `\nLIMIT: ${v.text} (${v.rule})`).join('');
      const items: GanttItem[] = [
        {
          start: fromMinutes(d.report),
          end: fromMinutes(d.release),
          kind: d.kss_peak != null && d.kss_peak >= level ? 'fatigue' : 'duty',
          text: `${hours.toFixed(1)} h${kss}${d.violations?.length ? ' · LIMIT' : ''}`,
          tip: () =>
            `${d.rank} based ${d.base}: duty ${local(fromMinutes(d.report), HOME_ZONE)}–${local(fromMinutes(d.release), HOME_ZONE)} (${utc(fromMinutes(d.report))}–${utc(fromMinutes(d.release))}), ${hours.toFixed(1)} h${d.kss_peak != null ? `\npeak KSS forecast ${d.kss_peak.toFixed(1)}` : ''}${broken}`,
        },
      ];
      for (const id of d.legs) {
        const l = legById.get(id);
        if (l) items.push({ ...legItem(l), inner: true, text: undefined });
      }
      return { key: `${d.crew}-${i}`, label: d.crew, items };
    });
    // KPIs so far. With a live feed, from the legs of the day the feed reported only (their reported
    // on-block times and status: a leg the feed has not reported is not counted, whatever the record
    // says); without one, from the recorded day up to the clock.
    const feedOn = live != null && live.events_applied > 0;
    let soFar: { source: 'feed' | 'record'; reported: number; delays: number[]; cancelled: number };
    if (feedOn) {
      const legIds = new Map(day.legs.map((l) => [l.id, l]));
      const delays: number[] = [];
      let reported = 0;
      let cancelledFed = 0;
      for (const v of live!.legs) {
        const l = legIds.get(v.leg);
        if (!l) continue;
        reported++;
        if (v.status === 'cancelled') cancelledFed++;
        else if (v.on_block?.kind === 'ACT') delays.push(minutesOf(v.on_block.at) - (v.scheduled_in ? minutesOf(v.scheduled_in) : l.scheduled_in));
      }
      soFar = { source: 'feed', reported, delays, cancelled: cancelledFed };
    } else {
      soFar = {
        source: 'record',
        reported: 0,
        delays: day.legs.filter(known).map((l) => late(l)!),
        cancelled: day.legs.filter((l) => l.status === 'cancelled' && fromMinutes(l.scheduled_out) <= now).length,
      };
    }
    const arrived = soFar.delays;
    const onTime = arrived.filter((d) => d <= 15).length;
    const cancelled = soFar.cancelled;
    const meanDelay = arrived.length ? arrived.reduce((s, d) => s + Math.max(0, d), 0) / arrived.length : 0;
    const alerts: Alert[] = [];
    for (const l of day.legs) {
      const name = `${l.carrier}${l.flight ?? ''} ${l.origin}→${l.destination} (${l.tail ?? 'no tail'})`;
      if (l.status === 'cancelled')
        alerts.push({ at: fromMinutes(l.scheduled_out) - 2 * 3_600_000, kind: 'actual', severity: 'high', text: `${name} cancelled`, airport: l.origin, source: 'day', what: 'cancelled', where: `at ${l.origin}` });
      else if (known(l) && late(l)! > 60)
        alerts.push({ at: fromMinutes(l.actual_in!), kind: 'actual', severity: 'high', text: `${name} arrived ${late(l)} min late`, airport: l.destination, source: 'day', what: 'arrived over 60 min late', where: `at ${l.destination}` });
    }
    let crewAlerts = 0;
    const safety = day.rule_set ? twinSafetyAlerts(day, now) : [];
    const limitAlerts = safety.filter((a) => a.kind !== 'fatigue').length;
    for (const a of safety) {
      crewAlerts++;
      alerts.push({
        at: a.at,
        kind: a.status,
        severity: a.kind === 'fatigue' ? 'medium' : 'high',
        text: `crew ${a.crew} (${a.rank}, ${a.base}): ${a.kind === 'fatigue' ? a.text : `crew limit: ${a.text} (${a.source})`}`,
        until: a.kind === 'fatigue' ? a.release : undefined,
        airport: a.base,
        source: 'day',
        what: a.kind === 'fatigue' ? `duty at KSS ≥ ${level}` : 'crew limit',
        where: `crew based ${a.base}`,
      });
    }
    for (const d of day.rule_set ? [] : day.duties) {
      const hours = (d.release - d.report) / 60;
      if (hours > 12.5) {
        crewAlerts++;
        alerts.push({
          at: fromMinutes(d.report),
          kind: fromMinutes(d.report) > now ? 'predicted' : 'actual',
          severity: hours > 13 ? 'high' : 'medium',
          text: `crew ${d.crew} (${d.rank}, ${d.base}): planned duty of ${hours.toFixed(1)} h (over 12.5 h)`,
          source: 'day',
          what: 'planned duty over 12.5 h',
          where: `crew based ${d.base}`,
        });
      }
    }
    for (const t of day.tails) {
      if (t.maintenance_due == null) continue;
      const due = fromMinutes(t.maintenance_due);
      if (due >= from && due <= to)
        alerts.push({ at: due, kind: due > now ? 'predicted' : 'actual', severity: 'medium', text: `${t.tail} maintenance due`, source: 'day', what: 'maintenance due', where: `tails based ${t.base}` });
    }
    // A checks falling due tonight (the maintenance programme at the tail's utilisation).
    for (const a of mx?.tails ?? []) {
      const start = a.a_check_from ? Date.parse(a.a_check_from) : NaN;
      if (!(start >= from && start <= to + 12 * 3_600_000)) continue;
      alerts.push({
        at: start,
        kind: start > now ? 'predicted' : 'actual',
        severity: 'medium',
        text: `${a.tail} A check due (${a.a_check_limiting}): overnight block at ${a.a_check_airport}`,
        airport: a.a_check_airport,
        source: 'day',
        what: 'A check due tonight',
        where: `at ${a.a_check_airport}`,
      });
    }
    // What the feed took out of service: an alert per block, grouped by tail.
    for (const [tail, blocks] of outOfService) {
      for (const b of blocks) {
        const started = b.start <= now;
        alerts.push({
          at: b.start,
          kind: started ? 'actual' : 'predicted',
          severity: b.aog ? 'high' : 'medium',
          text: `${tail} out of service (${b.label}): ${b.reason}${b.open ? ', until further notice' : ` until ${local(b.end, b.airport ? zoneOf(b.airport) : HOME_ZONE)}`}`,
          airport: b.airport,
          until: b.end,
          source: 'day',
          what: b.aog ? 'aircraft on ground (AOG)' : b.label === 'MX' ? 'maintenance block' : 'out of service',
          where: `tail ${tail}`,
        });
      }
    }
    // The rolling twin's alerts: what the rest of the day is expected to bring, with its probability.
    let twinCrew = 0;
    let twinCrewExpected = 0;
    let twinExtensions = 0;
    const crewBase = new Map(day.duties.map((d) => [d.crew, d.base]));
    for (const a of twinAlerts?.alerts ?? []) {
      const k = TWIN_KIND[a.kind] ?? { words: a.kind.replace(/_/g, ' '), severity: 'medium' as const };
      if (a.kind === 'crew_duty_limit') {
        twinCrew++;
        twinCrewExpected += a.probability;
      }
      if (a.kind === 'crew_duty_extension') twinExtensions++;
      const about = [a.flight, a.crew ? `crew ${a.crew}` : null].filter(Boolean).join(', ');
      // A crew alert groups by the member's base; the others by the airport where they happen.
      const base = a.crew ? crewBase.get(a.crew) : undefined;
      const where = a.kind.startsWith('crew_duty') && base ? `crew based ${base}` : a.airport ? `at ${a.airport}` : a.crew ? `crew ${a.crew}` : (a.flight ?? 'the network');
      alerts.push({
        at: Date.parse(a.expected_at),
        kind: a.source,
        severity: k.severity,
        text: `${k.words}${about ? ` (${about})` : ''}: ${a.detail}`,
        airport: a.airport ?? undefined,
        source: 'twin',
        probability: a.probability,
        key: alertKey(a),
        fresh: twinAlerts!.fresh.has(alertKey(a)),
        what: k.words,
        where,
      });
    }
    // What has happened, newest first; then what is predicted, high severity first, soonest first.
    const rank = (a: Alert) => (a.kind === 'actual' ? 0 : a.severity === 'high' ? 1 : 2);
    for (const a of alerts) if (a.source === 'day') a.fresh = a.at <= now && now - a.at < 30 * 60_000;
    const shown = alerts
      .filter((a) => a.kind === 'predicted' || a.at <= now)
      .filter((a) => !a.until || a.until >= now)
      .sort((a, b) => rank(a) - rank(b) || (a.kind === 'actual' ? b.at - a.at : a.at - b.at));
    const fresh = shown.filter((a) => a.fresh).length;
    const ms = performance.now() - t0;
    (window as unknown as { __ucodtsPerf?: Record<string, number> }).__ucodtsPerf = {
      ...((window as unknown as { __ucodtsPerf?: Record<string, number> }).__ucodtsPerf ?? {}),
      'operations:model_ms': ms,
      'operations:legs': day.legs.length,
    };
    return { tails, crew, from, to, arrived: arrived.length, onTime, cancelled, meanDelay, soFar: soFar.source, reported: soFar.reported, outOfService: [...outOfService.values()].reduce((n, b) => n + b.length, 0), alerts: shown, fresh, crewAlerts, limitAlerts, twinCrew, twinCrewExpected, twinExtensions, zoneOf, onDuty: onDuty(day, now), maintenance: maintenanceRisk(day, now, from, to), level };
  }, [merged, now, mx, twinAlerts, live]);

  const liveCrew = new Map((live?.crew ?? []).map((c) => [c.crew, c]));

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!day || !view || now == null) return <p className="note">Loading the day…</p>;

  const fc = forecastOf(forecast?.result ?? null);
  const fcText = (name: string, unit: string, digits = 1) => {
    const k = fc?.kpis.find((x) => x.name === name);
    if (!k) return 'no forecast: run a simulation (Scenarios) to forecast the day, or feed it (live)';
    return `forecast (run ${forecast!.id}, ${fc!.scenario}): ${k.scenario.toFixed(digits)}${unit} vs ${k.baseline.toFixed(digits)}${unit} undisrupted; difference ${withInterval(k.difference.mean, k.difference.ci95, digits)} (95 %)`;
  };
  // Live: the rolling twin's forecast of the legs still to arrive, with its 95 % interval.
  const twinNow = twin ? Date.parse(twin.now) : NaN;
  const twinHead = twin
    ? `twin from the feed at ${local(twinNow, HOME_ZONE)} (${twin.replications} runs), the ${twin.remaining.legs} legs still to arrive`
    : '';
  const stale = twin && live?.now && Date.parse(live.now) !== twinNow ? ' · updating' : '';
  const twinText = (value: string) => (
    <span data-testid="kpi-forecast-twin" title={`forecast made at ${utc(twinNow)}; 95 % interval over the replications`}>
      {twinHead}: {value} (95 %){stale}
    </span>
  );

  const forecastSource: TileSource['forecast'] = twin ? 'twin' : fc ? 'simulation' : 'none';
  const tileSource: TileSource = {
    soFar: view.soFar,
    forecast: forecastSource,
    words: `So far: ${view.soFar === 'feed' ? `the live feed (its ${view.reported} reported legs of ${day.date} only)` : `the recorded day up to the clock`}. Forecast: ${
      forecastSource === 'twin' ? 'the rolling twin' : forecastSource === 'simulation' ? `the latest simulation run${view.soFar === 'feed' ? ' (the twin is forecasting)' : ''}` : 'none yet'
    }.`,
  };
  const shownAlerts = view.alerts.filter((a) => filter === 'all' || (filter === 'new' ? a.fresh : filter === 'twin' || filter === 'day' ? a.source === filter : a.kind === filter));
  const groups = grouped ? groupAlerts(shownAlerts) : [];
  const toggle = (key: string) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  /** ↑ ↓ Home End move between the groups' buttons; Enter or Space opens and closes one. */
  const onAlertKey = (e: React.KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-testid="alert-group-toggle"]')];
    if (buttons.length === 0) return;
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : null;
    if (next == null) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))].focus();
  };
  const whenOf = (t: number, airport?: string) => (
    <time title={utc(t)}>{airport ? `${local(t, view.zoneOf(airport))} ${airport}` : local(t, HOME_ZONE)}</time>
  );
  const alertLine = (a: Alert, i: number) => (
    <li
      key={i}
      style={{ padding: '0.2rem 0', borderBottom: '1px solid var(--line)' }}
      data-testid="alert"
      data-kind={a.kind}
      data-source={a.source}
      data-new={a.fresh ? 'true' : 'false'}
      data-probability={a.probability}
      data-key={a.key}
      data-at={a.at}
      data-group={`${a.kind}|${a.what}|${a.where}`}
    >
      <span className={`badge ${a.severity === 'high' ? 'bad' : 'warn'}`}>{a.severity === 'high' ? '!! high' : '! medium'}</span> <span className="badge">{a.kind}</span>{' '}
      {a.fresh && <strong className="badge ok">NEW</strong>}{' '}
      {a.probability != null && (
        <span className="badge" data-testid="alert-probability" title="share of the rolling twin's runs that show it">
          {Math.round(100 * a.probability)} %
        </span>
      )}{' '}
      {a.kind === 'predicted' && a.source === 'twin' ? 'expected ' : ''}
      {whenOf(a.at, a.airport)} {a.text}
    </li>
  );

  return (
    <>
      <div className="row" style={{ marginBottom: '0.8rem' }}>
        <label>
          Day ({day.data_set})
          <select value={day.date} onChange={(e) => setDate(e.target.value)}>
            {day.days.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label style={{ flex: '1 1 400px' }}>
          Now ({live && live.events_applied > 0 ? 'the feed\'s clock' : 'the replayed day\'s clock'}): {local(now, HOME_ZONE)} <span title={utc(now)}>(UTC {utc(now).slice(11)})</span>
          <input type="range" min={view.from} max={view.to} step={300_000} value={now} onChange={(e) => setNow(Number(e.target.value))} aria-valuetext={`${local(now, HOME_ZONE)}, ${utc(now)}`} />
        </label>
        <span className="note">
          {day.legs.length} legs · {day.tails.length} tails · {day.duties.length} crew duties on {day.date}
        </span>
        <span role="status" aria-live="polite" data-testid="live-status" data-events={live?.events_applied ?? 0} data-forecast-now={twin?.now ?? ''} className="note">
          {live && live.events_applied > 0 ? (
            <>
              <span className="badge ok">● live</span> {live.events_applied} feed event(s) applied, the latest sent{' '}
              {live.now ? <time title={utc(Date.parse(live.now))}>{local(Date.parse(live.now), HOME_ZONE)}</time> : '–'}; updates are pushed by the server
              {twin ? (
                <>
                  ; the twin&apos;s forecast from <time title={utc(twinNow)}>{local(twinNow, HOME_ZONE)}</time>
                </>
              ) : (
                '; the twin is forecasting'
              )}
            </>
          ) : (
            <>
              <span className="badge">replay</span> no live feed yet: the recorded day, with the clock you set
            </>
          )}
        </span>
      </div>
      <div className="tiles">
        <Tile
          testId="kpi-on-time"
          title="On-time rate (arrivals ≤15 min late)"
          value={view.arrived ? `${((100 * view.onTime) / view.arrived).toFixed(1)} %` : '–'}
          detail={`${view.onTime} of ${view.arrived} arrived so far${view.soFar === 'feed' ? ` (of ${view.reported} leg(s) the feed reported)` : ''}`}
          source={tileSource}
          forecast={twin ? twinText(`${estimate(twin.remaining.on_time_rate, 100, ' %', 1)} on time`) : fcText('on_time_rate', '', 3)}
        />
        <Tile
          testId="kpi-cancelled"
          title="Cancellations"
          value={String(view.cancelled)}
          detail={view.soFar === 'feed' ? 'flights the feed reported cancelled' : 'flights cancelled so far'}
          source={tileSource}
          forecast={twin ? twinText(`${estimate(twin.remaining.cancelled, 1, '', 1)} more cancelled`) : fcText('cancelled_legs', '', 1)}
        />
        <Tile
          testId="kpi-delay"
          title="Mean arrival delay"
          value={`${view.meanDelay.toFixed(1)} min`}
          detail={view.soFar === 'feed' ? `over the ${view.arrived} flights the feed reported arrived` : 'over arrived flights'}
          source={tileSource}
          forecast={twin ? twinText(`${estimate(twin.remaining.mean_arrival_delay_min, 1, ' min', 1)} mean arrival delay`) : fcText('mean_arrival_delay_min', ' min')}
        />
        <Tile
          testId="kpi-crew"
          title="Crew alerts"
          value={String(view.crewAlerts)}
          source={{
            ...tileSource,
            words:
              view.soFar === 'feed'
                ? `So far: the roster checked with the feed's times laid over the recorded day. Forecast: ${tileSource.forecast === 'twin' ? 'the rolling twin' : tileSource.forecast === 'simulation' ? 'the latest simulation run' : 'none yet'}.`
                : tileSource.words,
          }}
          detail={day.rule_set ? `${view.limitAlerts} past a ${day.rule_set} limit (as rostered, as flown, or expected from the delay now); ${view.crewAlerts - view.limitAlerts} duties forecast at KSS ≥ ${view.level}` : 'duties planned over 12.5 h'}
          forecast={
            twin
              ? twinText(`${view.twinCrew} crew duty limit alert(s) predicted past the 117.19 extension, ${view.twinCrewExpected.toFixed(1)} expected (sum of their probabilities); ${view.twinExtensions} duties expected to need the extension`)
              : fcText('duty_limit_alerts', '', 1)
          }
        />
      </div>
      <div className="grid2" style={{ marginTop: '1rem' }}>
        <section aria-labelledby="alerts-h">
          <h2 id="alerts-h">
            Alerts (what happened, newest first; then what is predicted, high first, soonest first)
            {grouped && (
              <span className="note" data-testid="alerts-group-count">
                {' '}
                · {shownAlerts.length} in {groups.length} groups
              </span>
            )}
          </h2>
          <div className="row" style={{ marginBottom: '0.3rem' }}>
            <label>
              List{' '}
              <select data-testid="alerts-view" value={grouped ? 'grouped' : 'flat'} onChange={(e) => setGrouped(e.target.value === 'grouped')}>
                <option value="grouped">grouped by kind and place</option>
                <option value="flat">one line each</option>
              </select>
            </label>
            {grouped && (
              <>
                <button type="button" data-testid="alerts-expand-all" onClick={() => setOpen(new Set(groups.filter((g) => g.members.length > 1).map((g) => g.key)))}>
                  Open all
                </button>
                <button type="button" className="secondary" onClick={() => setOpen(new Set())}>
                  Close all
                </button>
              </>
            )}
            <label>
              Show{' '}
              <select data-testid="alerts-filter" value={filter} onChange={(e) => setFilter(e.target.value as AlertFilter)}>
                <option value="all">all ({view.alerts.length})</option>
                <option value="new">new only ({view.fresh})</option>
                <option value="actual">what happened</option>
                <option value="predicted">what is predicted</option>
                <option value="twin">the twin&apos;s forecast</option>
                <option value="day">the day&apos;s record and rules</option>
              </select>
            </label>
            <span className="note">
              NEW: not in the twin&apos;s previous forecast, or happened in the last 30 minutes. {twinAlerts ? `${twinAlerts.alerts.length} from the rolling twin (probability = share of its runs).` : 'The rolling twin predicts once a feed drives the day.'}
            </span>
          </div>
          <ul
            data-testid="alerts"
            data-view={grouped ? 'grouped' : 'flat'}
            className="scroll panel"
            tabIndex={0}
            aria-labelledby="alerts-h"
            onKeyDown={onAlertKey}
            style={{ listStyle: 'none', margin: 0, height: 392, maxHeight: 392 }}
          >
            {grouped
              ? groups.map((g) => {
                  const isOpen = g.members.length === 1 || open.has(g.key);
                  const listId = `alert-group-${g.key.replace(/[^A-Za-z0-9]/g, '-')}`;
                  return (
                    <li
                      key={g.key}
                      data-testid="alert-group"
                      data-group={g.key}
                      data-kind={g.kind}
                      data-severity={g.severity}
                      data-source={g.source}
                      data-count={g.members.length}
                      data-earliest={g.earliest}
                      data-max-probability={g.maxProbability}
                      data-new={g.fresh}
                      style={{ borderBottom: '1px solid var(--line)' }}
                    >
                      {g.members.length === 1 ? (
                        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>{alertLine(g.members[0], 0)}</ul>
                      ) : (
                        <>
                          <button type="button" className="group-toggle" data-testid="alert-group-toggle" aria-expanded={isOpen} aria-controls={isOpen ? listId : undefined} onClick={() => toggle(g.key)}>
                            <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span> <span className={`badge ${g.severity === 'high' ? 'bad' : 'warn'}`}>{g.severity === 'high' ? '!! high' : '! medium'}</span>{' '}
                            <span className="badge">{g.kind}</span> {g.fresh > 0 && <strong className="badge ok">NEW {g.fresh}</strong>}{' '}
                            <strong data-testid="alert-group-count">{g.members.length} ×</strong> {g.what} {g.where}
                            {g.maxProbability != null && (
                              <>
                                {' '}
                                · up to{' '}
                                <span className="badge" data-testid="alert-group-probability" title="the highest share of the rolling twin's runs among them">
                                  {Math.round(100 * g.maxProbability)} %
                                </span>
                              </>
                            )}{' '}
                            · {g.kind === 'predicted' ? 'earliest expected' : 'from'} {whenOf(g.earliest, g.airport)}
                            {g.kind === 'actual' && g.latest !== g.earliest && <> to {whenOf(g.latest, g.airport)}</>}
                          </button>
                          {isOpen && (
                            <ul id={listId} style={{ listStyle: 'none', margin: '0 0 0.3rem 1.4rem', padding: 0 }}>
                              {g.members.slice(0, GROUP_MEMBERS_SHOWN).map(alertLine)}
                              {g.members.length > GROUP_MEMBERS_SHOWN && <li className="note">and {g.members.length - GROUP_MEMBERS_SHOWN} more (the filter narrows the list)</li>}
                            </ul>
                          )}
                        </>
                      )}
                    </li>
                  );
                })
              : shownAlerts.slice(0, filter === 'all' ? 500 : 2000).map(alertLine)}
            {shownAlerts.length === 0 && <li>No alerts.</li>}
          </ul>
        </section>
        <section aria-labelledby="map-h">
          <h2 id="map-h">Flights now</h2>
          <FlightMap day={day} now={now} />
        </section>
      </div>
      <div className="grid2" style={{ marginTop: '1rem' }}>
        <section aria-labelledby="fatigue-h" data-testid="fatigue">
          <h2 id="fatigue-h">Fatigue: crew on duty now ({view.onDuty.length})</h2>
          <p className="note">
            Peak KSS forecast of each duty (Three-Process Model; 1 extremely alert to 9 extremely sleepy; {view.level} or more is an alert), most fatigued first;{' '}
            {view.onDuty.filter((d) => (d.kss_peak ?? 0) >= view.level).length} at KSS ≥ {view.level}.
          </p>
          <div className="scroll" tabIndex={0} aria-labelledby="fatigue-h" style={{ maxHeight: 300 }}>
            <table>
              <thead>
                <tr>
                  <th>Crew</th>
                  <th className="num">Peak KSS</th>
                  <th>First at KSS {view.level}</th>
                  <th>Duty ({HOME_ZONE.split('/')[1].replace('_', ' ')} time)</th>
                </tr>
              </thead>
              <tbody>
                {view.onDuty.slice(0, 200).map((d, i) => (
                  <tr key={i} data-testid="fatigue-row">
                    <td>
                      {d.crew} <span className="note">{d.rank}, {d.base}</span>
                    </td>
                    <td className="num">
                      {d.kss_peak == null ? '–' : d.kss_peak.toFixed(2)} {(d.kss_peak ?? 0) >= view.level && <span className="badge bad">≥ {view.level}</span>}
                    </td>
                    <td>{d.kss_alert_from != null ? <time title={utc(fromMinutes(d.kss_alert_from))}>{local(fromMinutes(d.kss_alert_from), HOME_ZONE)}</time> : 'not reached'}</td>
                    <td>
                      <time title={`${utc(fromMinutes(d.report))} – ${utc(fromMinutes(d.release))}`}>
                        {local(fromMinutes(d.report), HOME_ZONE)} – {local(fromMinutes(d.release), HOME_ZONE)}
                      </time>
                      {(() => {
                        // What the feed says of this duty: the release expected from the delay so far.
                        const f = liveCrew.get(d.crew);
                        if (!f || Date.parse(f.duty_report) !== fromMinutes(d.report)) return null;
                        const expected = Date.parse(f.expected_release);
                        const later = Math.round((expected - Date.parse(f.rostered_release)) / 60_000);
                        return (
                          <div className="note" data-testid="fatigue-live-release">
                            feed: release expected <time title={utc(expected)}>{local(expected, HOME_ZONE)}</time>
                            {later > 0 ? ` (${later} min late)` : ''}
                          </div>
                        );
                      })()}
                    </td>
                  </tr>
                ))}
                {view.onDuty.length === 0 && (
                  <tr>
                    <td colSpan={4}>No crew on duty at this time.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="mx-h" data-testid="maintenance-risk">
          <h2 id="mx-h">Maintenance risk per tail</h2>
          {mx == null ? (
            <p className="note">Reading the twin&apos;s maintenance prediction…</p>
          ) : (
            <>
              <p className="note">
                {mx.unavailable ? (
                  <span data-testid="maintenance-no-risk">
                    No removal risk for {mx.date}: {mx.unavailable}. Each tail&apos;s next A check:{' '}
                  </span>
                ) : (
                  <>
                    The twin&apos;s risk of an unscheduled removal (AOG) for the {mx.tails.length - mx.tails_without_prediction} tails of the day it covers, riskiest first
                    ({mx.tails_without_prediction} others did not fly each of the 5 days before), fitted on the record before {mx.date};{' '}
                    {mx.expected_removals.toFixed(1)} removals expected. A proxy: the record has no maintenance log (hover a probability).
                    {mx.skill ? ` Skill: ${mx.skill}.` : ''}{' '}
                  </>
                )}
                the programme&apos;s limits at the last week&apos;s utilisation; checks due tonight are A check blocks on the tail Gantt and alerts.
              </p>
              <div className="scroll" tabIndex={0} aria-labelledby="mx-h" style={{ maxHeight: 300 }}>
                <table>
                  <thead>
                    <tr>
                      <th>Tail</th>
                      <th className="num">Removal risk</th>
                      <th className="num">× base rate</th>
                      <th>Next A check</th>
                      <th>Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {mx.tails.slice(0, 200).map((m) => {
                      const start = m.a_check_from ? Date.parse(m.a_check_from) : NaN;
                      const zone = view.zoneOf(m.a_check_airport);
                      return (
                        <tr key={m.tail} data-testid="maintenance-row" data-tail={m.tail} data-probability={m.probability ?? ''}>
                          <td>
                            {m.tail} <span className="note">{m.family}</span>
                          </td>
                          <td className="num" title={mx.note}>
                            {m.probability == null ? '–' : `${(100 * m.probability).toFixed(2)} %`}
                          </td>
                          <td className="num">{m.relative_risk == null ? '–' : m.relative_risk.toFixed(2)}</td>
                          <td title={m.a_check_interval}>
                            {m.a_check_due_in_days < 1 ? <strong>tonight</strong> : `in ${m.a_check_due_in_days.toFixed(1)} days`} ({m.a_check_limiting})
                            {Number.isFinite(start) && (
                              <>
                                {' '}
                                · <time title={utc(start)}>{local(start, zone, true)}</time> {m.a_check_airport}
                              </>
                            )}
                          </td>
                          <td className="note" style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={m.reason}>
                            {m.reason.split(';')[0]}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {view.maintenance.length > 0 && (
            <>
              <h3 style={{ fontSize: '1rem' }}>Due times in the data set</h3>
              <p className="note">
                The slack between a tail&apos;s last landing before its maintenance due time (actual, or scheduled plus the delay it carries now) and that time. A rule,
                not a probability: <strong>overrun</strong> when past due or a leg leaves after it, <strong>tight</strong> under 60 min.
              </p>
              <div className="scroll" tabIndex={0} aria-label="Maintenance due times" style={{ maxHeight: 200 }}>
                <table>
                  <thead>
                    <tr>
                      <th>Tail</th>
                      <th>Risk</th>
                      <th>Due</th>
                      <th className="num">Slack, min</th>
                      <th className="num">Legs after due</th>
                      <th className="num">Delay carried, min</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.maintenance.map((m) => (
                      <tr key={m.tail} data-testid="maintenance-due-row">
                        <td>
                          {m.tail} <span className="note">{m.type_code}</span>
                        </td>
                        <td>
                          <span className={`badge ${m.level === 'overrun' ? 'bad' : m.level === 'tight' ? 'warn' : 'ok'}`}>{m.level}</span>
                        </td>
                        <td>
                          <time title={utc(m.due)}>{local(m.due, HOME_ZONE)}</time>
                        </td>
                        <td className="num">{m.slack_min ?? '–'}</td>
                        <td className="num">{m.legs_after_due}</td>
                        <td className="num">{m.carried_delay_min}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      </div>
      <h2>Aircraft (tail Gantt)</h2>
      <Legend kinds={['ontime', 'late', 'verylate', 'cancelled', 'airborne', 'planned', 'norecord', 'maintenance', 'outofservice']} />
      <Gantt testId="gantt-tails" label="Tail Gantt" rows={view.tails} from={view.from} to={view.to} now={now} zone={HOME_ZONE} />
      <h2>Crew (duty Gantt)</h2>
      <Legend kinds={['duty', 'fatigue', 'ontime', 'late', 'verylate', 'cancelled', 'airborne', 'planned', 'norecord']} />
      <Gantt testId="gantt-crew" label="Crew Gantt" rows={view.crew} from={view.from} to={view.to} now={now} zone={HOME_ZONE} rowHeight={16} />
    </>
  );
}

export default function OperationsPage() {
  return (
    <Shell title="Operations">
      <Operations />
    </Shell>
  );
}
