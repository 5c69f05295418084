'use client';

import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import Shell from '@/components/Shell';
import Gantt, { GanttItem, GanttRow, Legend } from '@/components/Gantt';
import { Day, DayLeg, followLive, get, getOrNull, LiveSnapshot, minutesOf, RunView } from '@/lib/api';
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
}

function Tile({ testId, title, value, detail, forecast }: { testId: string; title: string; value: string; detail: string; forecast: string }) {
  return (
    <section className="tile" data-testid={testId} aria-label={title}>
      <div className="note">{title}</div>
      <div className="value">{value}</div>
      <div className="note">{detail}</div>
      <div className="forecast">{forecast}</div>
    </section>
  );
}

function Operations() {
  const [day, setDay] = useState<Day | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [forecast, setForecast] = useState<RunView<ScenarioResult> | null>(null);
  const [now, setNow] = useState<number | null>(null);
  const [live, setLive] = useState<LiveSnapshot | null>(null);

  // The live feed, pushed: each change the server announces is read and drawn; the clock follows it.
  useEffect(
    () =>
      followLive((s) => {
        setLive(s);
        if (s.now && s.events_applied > 0) setNow(Date.parse(s.now));
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

  useEffect(() => {
    getOrNull<RunView[]>('/api/runs?limit=50')
      .then(async (runs) => {
        const last = runs?.find((r) => r.kind === 'simulate' && r.status === 'done');
        if (last) setForecast(await get<RunView<ScenarioResult>>(`/api/runs/${last.id}`));
      })
      .catch(() => undefined);
  }, []);

  // The feed's day is the day shown (its clock's local date in the home zone).
  const liveDate = live?.now && live.events_applied > 0 ? new Intl.DateTimeFormat('en-CA', { timeZone: HOME_ZONE }).format(new Date(live.now)) : null;
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
    const tails: GanttRow[] = day.tails.map((t) => {
      const items = (legsByTail.get(t.tail) ?? []).map(legItem);
      if (t.maintenance_due != null) {
        const due = fromMinutes(t.maintenance_due);
        if (due >= from && due <= to)
          items.push({ start: due, end: due + 45 * 60_000, kind: 'maintenance', text: 'M', tip: () => `maintenance due ${local(due, HOME_ZONE)} (${utc(due)})` });
      }
      return { key: t.tail, label: t.tail, items: items.map((i) => ({ ...i, tip: () => `${t.carrier} ${t.type_code} based ${t.base}\n${i.tip()}` })) };
    });
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
    // KPIs as of now, from the record.
    const arrived = day.legs.filter(known);
    const onTime = arrived.filter((l) => late(l)! <= 15).length;
    const cancelled = day.legs.filter((l) => l.status === 'cancelled' && fromMinutes(l.scheduled_out) <= now).length;
    const meanDelay = arrived.length ? arrived.reduce((s, l) => s + Math.max(0, late(l)!), 0) / arrived.length : 0;
    const alerts: Alert[] = [];
    for (const l of day.legs) {
      const name = `${l.carrier}${l.flight ?? ''} ${l.origin}→${l.destination} (${l.tail ?? 'no tail'})`;
      if (l.status === 'cancelled') alerts.push({ at: fromMinutes(l.scheduled_out) - 2 * 3_600_000, kind: 'actual', severity: 'high', text: `${name} cancelled`, airport: l.origin });
      else if (known(l) && late(l)! > 60) alerts.push({ at: fromMinutes(l.actual_in!), kind: 'actual', severity: 'high', text: `${name} arrived ${late(l)} min late`, airport: l.destination });
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
        });
      }
    }
    for (const t of day.tails) {
      if (t.maintenance_due == null) continue;
      const due = fromMinutes(t.maintenance_due);
      if (due >= from && due <= to) alerts.push({ at: due, kind: due > now ? 'predicted' : 'actual', severity: 'medium', text: `${t.tail} maintenance due` });
    }
    // What has happened, newest first; then what is predicted, high severity first, soonest first.
    const rank = (a: Alert) => (a.kind === 'actual' ? 0 : a.severity === 'high' ? 1 : 2);
    const shown = alerts
      .filter((a) => a.kind === 'predicted' || a.at <= now)
      .filter((a) => !a.until || a.until >= now)
      .sort((a, b) => rank(a) - rank(b) || (a.kind === 'actual' ? b.at - a.at : a.at - b.at));
    const ms = performance.now() - t0;
    (window as unknown as { __ucodtsPerf?: Record<string, number> }).__ucodtsPerf = {
      ...((window as unknown as { __ucodtsPerf?: Record<string, number> }).__ucodtsPerf ?? {}),
      'operations:model_ms': ms,
      'operations:legs': day.legs.length,
    };
    return { tails, crew, from, to, arrived: arrived.length, onTime, cancelled, meanDelay, alerts: shown, crewAlerts, limitAlerts, zoneOf, onDuty: onDuty(day, now), maintenance: maintenanceRisk(day, now, from, to), level };
  }, [merged, now]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!day || !view || now == null) return <p className="note">Loading the day…</p>;

  const fc = forecastOf(forecast?.result ?? null);
  const fcText = (name: string, unit: string, digits = 1) => {
    const k = fc?.kpis.find((x) => x.name === name);
    if (!k) return 'no forecast: run a simulation (Scenarios) to forecast the day';
    return `forecast (run ${forecast!.id}, ${fc!.scenario}): ${k.scenario.toFixed(digits)}${unit} vs ${k.baseline.toFixed(digits)}${unit} undisrupted; difference ${withInterval(k.difference.mean, k.difference.ci95, digits)} (95 %)`;
  };

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
        <span role="status" aria-live="polite" data-testid="live-status" data-events={live?.events_applied ?? 0} className="note">
          {live && live.events_applied > 0 ? (
            <>
              <span className="badge ok">● live</span> {live.events_applied} feed event(s) applied, the latest sent{' '}
              {live.now ? <time title={utc(Date.parse(live.now))}>{local(Date.parse(live.now), HOME_ZONE)}</time> : '–'}; updates are pushed by the server
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
          detail={`${view.onTime} of ${view.arrived} arrived so far`}
          forecast={fcText('on_time_rate', '', 3)}
        />
        <Tile testId="kpi-cancelled" title="Cancellations" value={String(view.cancelled)} detail="flights cancelled so far" forecast={fcText('cancelled_legs', '', 1)} />
        <Tile testId="kpi-delay" title="Mean arrival delay" value={`${view.meanDelay.toFixed(1)} min`} detail="over arrived flights" forecast={fcText('mean_arrival_delay_min', ' min')} />
        <Tile
          testId="kpi-crew"
          title="Crew alerts"
          value={String(view.crewAlerts)}
          detail={day.rule_set ? `${view.limitAlerts} past a ${day.rule_set} limit (as rostered, as flown, or expected from the delay now); ${view.crewAlerts - view.limitAlerts} duties forecast at KSS ≥ ${view.level}` : 'duties planned over 12.5 h'}
          forecast={fcText('duty_limit_alerts', '', 1)}
        />
      </div>
      <div className="grid2" style={{ marginTop: '1rem' }}>
        <section aria-labelledby="alerts-h">
          <h2 id="alerts-h">Alerts (what happened, newest first; then what is predicted, high first, soonest first)</h2>
          <ul data-testid="alerts" className="scroll panel" tabIndex={0} aria-labelledby="alerts-h" style={{ listStyle: 'none', margin: 0, height: 420, maxHeight: 420 }}>
            {view.alerts.slice(0, 500).map((a, i) => (
              <li key={i} style={{ padding: '0.2rem 0', borderBottom: '1px solid var(--line)' }} data-testid="alert" data-kind={a.kind}>
                <span className={`badge ${a.severity === 'high' ? 'bad' : 'warn'}`}>{a.severity === 'high' ? '!! high' : '! medium'}</span>{' '}
                <span className="badge">{a.kind}</span> {now - a.at < 30 * 60_000 && a.at <= now && <strong className="badge ok">NEW</strong>}{' '}
                <time title={utc(a.at)}>{a.airport ? `${local(a.at, view.zoneOf(a.airport))} ${a.airport}` : local(a.at, HOME_ZONE)}</time> {a.text}
              </li>
            ))}
            {view.alerts.length === 0 && <li>No alerts.</li>}
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
          <p className="note">
            For each tail with a maintenance check due in the day: the slack between its last landing before the due time (actual, or scheduled plus the delay it
            carries now) and the due time. A rule, not a probability: <strong>overrun</strong> when past due or a leg leaves after it, <strong>tight</strong> under 60
            min.
          </p>
          {view.maintenance.length === 0 ? (
            <p data-testid="maintenance-none">
              No tail of this day has a maintenance due time in the data set ({day.data_set} records none; the native format&apos;s aircraft table carries{' '}
              <code>maintenance_due</code>).
            </p>
          ) : (
            <div className="scroll" tabIndex={0} aria-labelledby="mx-h" style={{ maxHeight: 300 }}>
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
                    <tr key={m.tail} data-testid="maintenance-row">
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
          )}
        </section>
      </div>
      <h2>Aircraft (tail Gantt)</h2>
      <Legend kinds={['ontime', 'late', 'verylate', 'cancelled', 'airborne', 'planned', 'norecord', 'maintenance']} />
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
