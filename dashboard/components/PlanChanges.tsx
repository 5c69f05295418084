'use client';

// What a candidate plan changes, drawn before and after: the touched tails' legs as scheduled and as the
// plan flies them (retimed, cancelled, moved to another tail), and each crew member the plan changes with
// their duties of the day before and the duties the plan gives them. The "before" comes from the
// recorded day (GET /api/dashboard/day), the "after" from the plan's own actions and crew changes.

import { useEffect, useMemo, useState } from 'react';
import Gantt, { GanttItem, GanttRow, Legend } from '@/components/Gantt';
import { Day, DayDuty, DayLeg, get, PlanView } from '@/lib/api';
import { fromMinutes, HOME_ZONE, local, utc } from '@/lib/time';

const HOUR = 3_600_000;
/** `2013-07-02T14:05Z` (the plan's UTC times) -> ms. */
const ms = (iso: string | undefined | null) => (iso ? Date.parse(iso) : NaN);
/** `N512UA/2` (a tail's second rotation in the optimizer's words) -> `N512UA`. */
const tailOf = (t: string) => t.split('/')[0];
const legName = (l: DayLeg) => `${l.carrier}${l.flight ?? ''} ${l.origin}→${l.destination}`;
const span = (a: number, b: number) => `${local(a, HOME_ZONE)}–${local(b, HOME_ZONE)} (${utc(a).slice(11)}–${utc(b).slice(11)})`;

/** The recorded days a plan's actions and crew duties fall on (`YYYY-MM-DD`), at most four. */
function datesOf(plan: PlanView, windowStart?: string): string[] {
  const dates = new Set<string>();
  for (const a of plan.plan.actions ?? []) if (a.date) dates.add(a.date);
  for (const c of plan.plan.crew_changes ?? []) for (const d of c.duties ?? []) if (d.report) dates.add(String(d.report).slice(0, 10));
  if (windowStart && /^\d{4}-\d{2}-\d{2}/.test(windowStart)) dates.add(windowStart.slice(0, 10));
  return [...dates].sort().slice(0, 4);
}

export interface PlanDiff {
  tails: GanttRow[];
  crew: GanttRow[];
  from: number;
  to: number;
  /** Actions the chart cannot place (a ferry: no times; a flight not in the recorded days). */
  unplaced: string[];
  /** Before and after duties per crew member, in words with their zone. */
  members: { crew: string; before: string[]; after: string[] }[];
}

/** Builds the before/after rows of `plan` over the recorded `days`, within the recovery window
 * [`start`, `end`] (ms; the plan changes nothing outside it). */
export function diffOf(plan: PlanView, days: Day[], start = -Infinity, end = Infinity): PlanDiff {
  const inWindow = (a: number, b: number) => b > start && a < end;
  const legs = new Map<number, DayLeg>();
  for (const d of days) for (const l of d.legs) legs.set(l.id, l);
  const byKey = new Map<string, DayLeg>();
  for (const l of legs.values()) byKey.set(`${l.carrier}|${l.flight ?? ''}|${fromMinutes(l.scheduled_out)}`, l);
  const actions: Record<string, any>[] = (plan.plan.actions ?? []).filter((a: Record<string, any>) => ['retime', 'knock_on_delay', 'cancel', 'tail_swap', 'ferry'].includes(a.kind));
  const touched = new Set<string>();
  const unplaced: string[] = [];
  // leg id -> what the plan does to it
  const change = new Map<number, { kind: 'retime' | 'cancel' | 'tail_swap'; shift: number; to?: string; text: string }>();
  for (const a of actions) {
    for (const t of a.tails ?? []) touched.add(tailOf(t));
    const leg = byKey.get(`${a.carrier ?? ''}|${a.flight ?? ''}|${ms(a.old_time)}`);
    if (!leg || a.kind === 'ferry') {
      unplaced.push(a.text);
      continue;
    }
    const prev = change.get(leg.id);
    // A knock-on delay (no decision, but a new time) is drawn as a retime.
    const kind = a.kind === 'knock_on_delay' ? 'retime' : a.kind;
    const shift = kind === 'retime' ? ms(a.new_time) - ms(a.old_time) : prev?.shift ?? 0;
    change.set(leg.id, {
      kind: prev?.kind === 'cancel' ? 'cancel' : kind,
      shift,
      to: a.kind === 'tail_swap' ? tailOf(a.tails[1]) : prev?.to,
      text: prev ? `${prev.text}; ${a.text}` : a.text,
    });
  }
  const rowsOf = new Map<string, { before: GanttItem[]; after: GanttItem[] }>();
  const row = (t: string) => {
    if (!rowsOf.has(t)) rowsOf.set(t, { before: [], after: [] });
    return rowsOf.get(t)!;
  };
  let from = Infinity;
  let to = -Infinity;
  const widen = (a: number, b: number) => {
    from = Math.min(from, a);
    to = Math.max(to, b);
  };
  for (const t of [...touched].sort()) row(t);
  for (const l of legs.values()) {
    if (!l.tail || !touched.has(l.tail)) continue;
    const out = fromMinutes(l.scheduled_out);
    const inn = fromMinutes(l.scheduled_in);
    if (!inWindow(out, inn) && !change.has(l.id)) continue;
    widen(out, inn);
    const c = change.get(l.id);
    row(l.tail).before.push({ start: out, end: inn, kind: 'planned', text: c ? '*' : undefined, tip: () => `${legName(l)} as scheduled\n${span(out, inn)}${c ? `\nthe plan: ${c.text}` : ''}` });
    if (!c) {
      row(l.tail).after.push({ start: out, end: inn, kind: 'planned', tip: () => `${legName(l)} unchanged\n${span(out, inn)}` });
      continue;
    }
    const a0 = out + c.shift;
    const a1 = inn + c.shift;
    widen(a0, a1);
    const target = c.to ?? l.tail;
    const kind = c.kind === 'cancel' ? 'cancelled' : c.kind === 'tail_swap' ? 'moved' : 'retimed';
    const text = c.kind === 'cancel' ? 'X' : c.shift ? `+${Math.round(c.shift / 60_000)}` : undefined;
    row(target).after.push({ start: a0, end: a1, kind, text, tip: () => `${legName(l)}: ${c.text}\nafter the plan ${span(a0, a1)}` });
  }
  const tails: GanttRow[] = [];
  for (const [t, r] of rowsOf) {
    tails.push({ key: `${t}-before`, label: `${t} before`, items: r.before });
    tails.push({ key: `${t}-after`, label: `${t} after`, items: r.after });
  }
  // Crew: each member's recorded duties on those days, then the plan's.
  const dutiesOf = new Map<string, DayDuty[]>();
  for (const d of days) for (const duty of d.duties) {
    if (!dutiesOf.has(duty.crew)) dutiesOf.set(duty.crew, []);
    dutiesOf.get(duty.crew)!.push(duty);
  }
  const crew: GanttRow[] = [];
  const members: PlanDiff['members'] = [];
  for (const c of plan.plan.crew_changes ?? []) {
    const before: GanttItem[] = [];
    const beforeWords: string[] = [];
    const seen = new Set<number>();
    for (const d of dutiesOf.get(c.crew) ?? []) {
      if (seen.has(d.report)) continue;
      seen.add(d.report);
      const r = fromMinutes(d.report);
      const e = fromMinutes(d.release);
      if (!inWindow(r, e)) continue;
      widen(r, e);
      before.push({ start: r, end: e, kind: 'duty', text: `${((e - r) / HOUR).toFixed(1)} h`, tip: () => `duty as rostered ${span(r, e)}` });
      for (const id of d.legs) {
        const l = legs.get(id);
        if (l) before.push({ start: fromMinutes(l.scheduled_out), end: fromMinutes(l.scheduled_in), kind: 'planned', inner: true, tip: () => `${legName(l)} ${span(fromMinutes(l.scheduled_out), fromMinutes(l.scheduled_in))}` });
      }
      beforeWords.push(`${local(r, HOME_ZONE, true)} → ${local(e, HOME_ZONE)} (${utc(r)} – ${utc(e)})`);
    }
    const after: GanttItem[] = [];
    const afterWords: string[] = [];
    for (const d of c.duties ?? []) {
      const r = ms(d.report);
      const e = ms(d.release);
      if (Number.isNaN(r) || Number.isNaN(e)) continue;
      widen(r, e);
      after.push({ start: r, end: e, kind: 'duty', text: `${((e - r) / HOUR).toFixed(1)} h`, tip: () => `duty the plan gives ${d.report_local} → ${d.release_local}\n(${utc(r)} – ${utc(e)})` });
      for (const cl of d.legs ?? []) {
        const l = legs.get(cl.leg);
        const o = ms(cl.out);
        const dur = l ? fromMinutes(l.scheduled_in - l.scheduled_out) : 60 * 60_000;
        after.push({ start: o, end: o + dur, kind: cl.seat === 'deadhead' ? 'moved' : 'planned', inner: true, tip: () => `${cl.carrier}${cl.flight ?? ''} ${cl.origin}→${cl.destination} ${cl.seat}, out ${cl.out_local}` });
      }
      afterWords.push(`${d.report_local} → ${d.release_local}`);
    }
    crew.push({ key: `${c.crew}-before`, label: `${c.crew} before`, items: before });
    crew.push({ key: `${c.crew}-after`, label: `${c.crew} after`, items: after });
    members.push({ crew: c.crew, before: beforeWords, after: afterWords });
  }
  if (!Number.isFinite(from)) {
    from = 0;
    to = HOUR;
  }
  return { tails, crew, from: Math.floor(from / HOUR) * HOUR - HOUR, to: Math.ceil(to / HOUR) * HOUR + HOUR, unplaced, members };
}

const dayCache = new Map<string, Promise<Day | null>>();
function dayOf(date: string): Promise<Day | null> {
  if (!dayCache.has(date)) dayCache.set(date, get<Day>(`/api/dashboard/day?date=${date}`).catch(() => null));
  return dayCache.get(date)!;
}

/** The before/after Gantts of a plan's touched tails and changed crew, with the crew's duties in words. */
export default function PlanChanges({ plan, windowStart, windowEnd }: { plan: PlanView; windowStart?: string; windowEnd?: string }) {
  const [days, setDays] = useState<Day[] | null>(null);
  useEffect(() => {
    let live = true;
    setDays(null);
    Promise.all(datesOf(plan, windowStart).map(dayOf)).then((d) => live && setDays(d.filter((x): x is Day => x != null)));
    return () => {
      live = false;
    };
  }, [plan, windowStart]);
  const diff = useMemo(
    () => (days ? diffOf(plan, days, windowStart ? ms(windowStart) : -Infinity, windowEnd ? ms(windowEnd) : Infinity) : null),
    [plan, days, windowStart, windowEnd],
  );
  if (!diff) return <p className="note">Reading the recorded days the plan touches…</p>;
  return (
    <section aria-labelledby="diff-h" style={{ marginTop: '1rem' }} data-testid="plan-changes">
      <h2 id="diff-h">
        Plan #{plan.rank} {plan.policy}: before and after
      </h2>
      <p className="note">
        Each touched tail and each crew member the plan changes has two rows: <strong>before</strong> (as scheduled and rostered) and{' '}
        <strong>after</strong> (as the plan flies it), over the recovery window{windowStart && windowEnd ? ` ${windowStart} to ${windowEnd} (UTC)` : ''}; legs the plan
        changes are starred before. Hours are {HOME_ZONE} local time; the tooltip gives UTC too.
      </p>
      <h3>Aircraft ({diff.tails.length / 2} tails)</h3>
      <Legend kinds={['planned', 'retimed', 'moved', 'cancelled']} />
      {diff.tails.length ? (
        <Gantt testId="plan-gantt-tails" label="The plan's touched tails before and after" rows={diff.tails} from={diff.from} to={diff.to} now={NaN} zone={HOME_ZONE} rowHeight={18} height={Math.min(360, 30 + diff.tails.length * 18)} />
      ) : (
        <p data-testid="plan-gantt-tails" data-rows={0}>The plan changes no aircraft.</p>
      )}
      {diff.unplaced.length > 0 && (
        <details>
          <summary>{diff.unplaced.length} aircraft action(s) not drawn (a ferry, or a flight outside the recorded days)</summary>
          <ul>
            {diff.unplaced.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </details>
      )}
      <h3>Crew ({diff.members.length} members)</h3>
      <Legend kinds={['duty', 'planned', 'moved']} />
      {diff.crew.length > 0 && (
        <Gantt testId="plan-gantt-crew" label="The plan's crew changes before and after" rows={diff.crew} from={diff.from} to={diff.to} now={NaN} zone={HOME_ZONE} rowHeight={18} height={Math.min(360, 30 + diff.crew.length * 18)} />
      )}
      <div className="scroll" tabIndex={0} aria-labelledby="crew-diff-h" style={{ marginTop: '0.5rem' }}>
        <table aria-labelledby="crew-diff-h">
          <caption id="crew-diff-h" style={{ textAlign: 'left' }}>
            Crew changes per member: duties before (rostered, {HOME_ZONE} local, then UTC) and after (the plan&apos;s, local at the airport with its UTC offset)
          </caption>
          <thead>
            <tr>
              <th>Crew</th>
              <th>What happens</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {(plan.plan.crew_changes ?? []).map((c: Record<string, any>, i: number) => (
              <tr key={c.crew} data-testid="crew-change-row" data-crew={c.crew}>
                <td>
                  {c.crew}{' '}
                  <span className="note">
                    {String(c.rank).replace('_', ' ')}, {c.base}, {c.role}
                  </span>
                </td>
                <td>{(c.actions ?? []).map((a: string) => a.replace('_', ' ')).join(', ')}</td>
                <td>
                  {diff.members[i]?.before.length ? diff.members[i].before.map((w, j) => <div key={j}>{w}</div>) : <span className="note">no rostered duty on these days (a reserve)</span>}
                </td>
                <td>{diff.members[i]?.after.length ? diff.members[i].after.map((w, j) => <div key={j}>{w}</div>) : <span className="note">no duty left in the window</span>}</td>
              </tr>
            ))}
            {(plan.plan.crew_changes ?? []).length === 0 && (
              <tr>
                <td colSpan={4}>The plan changes no crew member.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
