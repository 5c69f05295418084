// The twin's safety reading of a day (GET /api/dashboard/day): crew limit exceedances (the server's rule
// engine, FAA Part 117 for the embedded default's pilots), fatigue (the Three-Process Model's KSS forecast
// per duty) and, per tail, how close its flying runs to its maintenance due time.

import { Day, DayDuty, DayLeg } from '@/lib/api';
import { fromMinutes } from '@/lib/time';

export const KSS_ALERT = 7;

export interface SafetyAlert {
  /** `limit`: the roster as planned breaks the rule set; `fdp`: the flight duty period as flown (or as the
   * delay carried now makes it) runs past its planning limit; `fatigue`: the forecast reaches KSS 7. */
  kind: 'limit' | 'fdp' | 'fatigue';
  /** Known from what has happened by now (`actual`), or expected from the delay carried (`predicted`). */
  status: 'actual' | 'predicted';
  crew: string;
  rank: string;
  base: string;
  /** When it applies: the duty's report (a limit), the first sample at the alert level (fatigue); ms. */
  at: number;
  report: number;
  release: number;
  text: string;
  /** The citation or the model. */
  source: string;
}

const hm = (min: number) => `${Math.floor(min / 60)}:${String(Math.round(min % 60)).padStart(2, '0')}`;

/**
 * Every crew limit exceedance and every duty whose forecast reaches KSS 7, in time order, as known at
 * `now` (ms; default: the end of time, everything recorded). A flight duty period counts as exceeded once
 * its last operating leg has landed past the limit (actual), or when the delay its legs carry now would
 * land it past the limit (predicted). Part 117 lets the pilot in command and the carrier extend an FDP
 * for unforeseen circumstances (117.19): an exceedance is what needs that decision, not a breach by itself.
 */
export function twinSafetyAlerts(day: Day, now = Number.MAX_SAFE_INTEGER): SafetyAlert[] {
  const level = day.kss_alert ?? KSS_ALERT;
  const legs = new Map(day.legs.map((l) => [l.id, l]));
  const out: SafetyAlert[] = [];
  for (const d of day.duties) {
    const base = { crew: d.crew, rank: d.rank, base: d.base, report: fromMinutes(d.report), release: fromMinutes(d.release) };
    for (const v of d.violations ?? []) out.push({ ...base, kind: 'limit', status: base.report <= now ? 'actual' : 'predicted', at: base.report, text: `as rostered: ${v.text}`, source: v.rule });
    const last = d.fdp_end_leg != null ? legs.get(d.fdp_end_leg) : undefined;
    if (d.fdp_limit_min != null && last && last.status !== 'cancelled') {
      const limitEnd = d.report + d.fdp_limit_min;
      if (last.actual_in != null && fromMinutes(last.actual_in) <= now) {
        if (last.actual_in > limitEnd)
          out.push({
            ...base,
            kind: 'fdp',
            status: 'actual',
            at: fromMinutes(limitEnd),
            text: `flight duty period ${hm(last.actual_in - d.report)} as flown, over its limit of ${hm(d.fdp_limit_min)} by ${last.actual_in - limitEnd} min`,
            source: d.fdp_limit_cell ?? 'FDP limit',
          });
      } else {
        // The delay the duty's legs carry now: the latest known departure or arrival delay among them.
        let carried = 0;
        for (const id of d.legs) {
          const l = legs.get(id);
          if (!l) continue;
          if (l.actual_in != null && fromMinutes(l.actual_in) <= now) carried = Math.max(carried, l.actual_in - l.scheduled_in);
          else if (l.actual_out != null && fromMinutes(l.actual_out) <= now) carried = Math.max(carried, l.actual_out - l.scheduled_out);
        }
        const expected = last.scheduled_in + carried;
        if (carried > 0 && expected > limitEnd)
          out.push({
            ...base,
            kind: 'fdp',
            status: 'predicted',
            at: fromMinutes(limitEnd),
            text: `flight duty period expected ${hm(expected - d.report)} with the ${carried} min delay carried now, over its limit of ${hm(d.fdp_limit_min)}`,
            source: d.fdp_limit_cell ?? 'FDP limit',
          });
      }
    }
    if (d.kss_peak != null && d.kss_peak >= level) {
      const at = d.kss_alert_from != null ? fromMinutes(d.kss_alert_from) : base.report;
      out.push({
        ...base,
        kind: 'fatigue',
        status: at <= now ? 'actual' : 'predicted',
        at,
        text: `forecast KSS reaches ${d.kss_peak.toFixed(1)} on duty (alert at ${level})`,
        source: 'Three-Process Model, KSS',
      });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.crew.localeCompare(b.crew));
}

/** The duties on duty at `now` (report to release), most fatigued first. */
export function onDuty(day: Day, now: number): DayDuty[] {
  return day.duties
    .filter((d) => fromMinutes(d.report) <= now && now <= fromMinutes(d.release))
    .sort((a, b) => (b.kss_peak ?? 0) - (a.kss_peak ?? 0) || a.crew.localeCompare(b.crew));
}

export type MaintenanceLevel = 'overrun' | 'tight' | 'ok';

export interface MaintenanceRisk {
  tail: string;
  type_code: string;
  due: number;
  /** When the tail's last leg before its due time lands, as the record has it by `now` (actual, or
   * scheduled plus the delay it carries), ms; `null` when it flies nothing before. */
  lands: number | null;
  /** Minutes from that landing to the due time (negative: past due). */
  slack_min: number | null;
  /** Legs scheduled to leave after the due time (flown past it unless maintenance moves). */
  legs_after_due: number;
  /** The delay the tail carries now, minutes (its latest known departure or arrival). */
  carried_delay_min: number;
  level: MaintenanceLevel;
}

/** Tails with maintenance due in the day: the slack between their flying and the due time at `now`. A
 * rule, not a probability: under 60 min slack is tight, past due or a leg after it is an overrun. */
export function maintenanceRisk(day: Day, now: number, from: number, to: number): MaintenanceRisk[] {
  const byTail = new Map<string, DayLeg[]>();
  for (const l of day.legs) {
    if (!l.tail || l.status === 'cancelled') continue;
    if (!byTail.has(l.tail)) byTail.set(l.tail, []);
    byTail.get(l.tail)!.push(l);
  }
  const out: MaintenanceRisk[] = [];
  for (const t of day.tails) {
    if (t.maintenance_due == null) continue;
    const due = fromMinutes(t.maintenance_due);
    if (due < from || due > to) continue;
    const legs = (byTail.get(t.tail) ?? []).sort((a, b) => a.scheduled_out - b.scheduled_out);
    let carried = 0;
    for (const l of legs) {
      if (l.actual_in != null && fromMinutes(l.actual_in) <= now) carried = Math.max(0, l.actual_in - l.scheduled_in);
      else if (l.actual_out != null && fromMinutes(l.actual_out) <= now) carried = Math.max(0, l.actual_out - l.scheduled_out);
    }
    const before = legs.filter((l) => fromMinutes(l.scheduled_out) < due);
    const last = before[before.length - 1];
    let lands: number | null = null;
    if (last) lands = last.actual_in != null && fromMinutes(last.actual_in) <= now ? fromMinutes(last.actual_in) : fromMinutes(last.scheduled_in + carried);
    const slack = lands == null ? null : Math.round((due - lands) / 60_000);
    const after = legs.length - before.length;
    const level: MaintenanceLevel = (slack != null && slack < 0) || after > 0 ? 'overrun' : slack != null && slack < 60 ? 'tight' : 'ok';
    out.push({ tail: t.tail, type_code: t.type_code, due, lands, slack_min: slack, legs_after_due: after, carried_delay_min: carried, level });
  }
  const order = { overrun: 0, tight: 1, ok: 2 };
  return out.sort((a, b) => order[a.level] - order[b.level] || (a.slack_min ?? 1e9) - (b.slack_min ?? 1e9) || a.tail.localeCompare(b.tail));
}
