'use client';

import { FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import Shell from '@/components/Shell';
import { ApiError, Day, get, IncidentView, send } from '@/lib/api';
import { HOME_ZONE, local, utc } from '@/lib/time';
import { KSS_ALERT, twinSafetyAlerts } from '@/lib/safety';

/**
 * Occurrence categories of the ICAO ADREP taxonomy as ECCAIRS uses them (CICTT common taxonomy), each
 * with the server's reporting category it is filed under (server/src/api/records.rs), plus the two
 * crew categories UCODTS adds. The code goes at the start of the narrative.
 */
const CATEGORIES: { code: string; words: string; server: string }[] = [
  { code: 'FATIGUE', words: 'Crew fatigue (UCODTS)', server: 'fatigue' },
  { code: 'CREW-LIMIT', words: 'Crew duty or rest limit (UCODTS)', server: 'crew_legality' },
  { code: 'SCF-NP', words: 'System/component failure (non-powerplant)', server: 'aircraft_technical' },
  { code: 'SCF-PP', words: 'System/component failure (powerplant)', server: 'aircraft_technical' },
  { code: 'F-NI', words: 'Fire/smoke (non-impact)', server: 'aircraft_technical' },
  { code: 'FUEL', words: 'Fuel related', server: 'aircraft_technical' },
  { code: 'RAMP', words: 'Ground handling', server: 'ground_operations' },
  { code: 'GCOL', words: 'Ground collision', server: 'ground_operations' },
  { code: 'ADRM', words: 'Aerodrome', server: 'ground_operations' },
  { code: 'RE', words: 'Runway excursion', server: 'ground_operations' },
  { code: 'RI', words: 'Runway incursion', server: 'air_traffic' },
  { code: 'ATM', words: 'ATM/CNS', server: 'air_traffic' },
  { code: 'MAC', words: 'Airprox/ACAS alert/loss of separation', server: 'air_traffic' },
  { code: 'TURB', words: 'Turbulence encounter', server: 'weather' },
  { code: 'WSTRW', words: 'Wind shear or thunderstorm', server: 'weather' },
  { code: 'ICE', words: 'Icing', server: 'weather' },
  { code: 'SEC', words: 'Security related', server: 'security' },
  { code: 'CABIN', words: 'Cabin safety events', server: 'other' },
  { code: 'MED', words: 'Medical', server: 'other' },
  { code: 'LOC-I', words: 'Loss of control in flight', server: 'other' },
  { code: 'OTHR', words: 'Other', server: 'other' },
  { code: 'UNK', words: 'Unknown or undetermined', server: 'other' },
];

function Safety() {
  const [incidents, setIncidents] = useState<IncidentView[]>([]);
  const [day, setDay] = useState<Day | null>(null);
  const [code, setCode] = useState('FATIGUE');
  const [flight, setFlight] = useState('');
  const [tail, setTail] = useState('');
  const [crew, setCrew] = useState('');
  const [narrative, setNarrative] = useState('');
  const [message, setMessage] = useState<{ text: string; bad: boolean; field?: string } | null>(null);

  const load = useCallback(() => get<IncidentView[]>('/api/incidents?limit=200').then(setIncidents), []);
  useEffect(() => {
    load().catch((e) => setMessage({ text: e.message, bad: true }));
    get<Day>('/api/dashboard/day').then(setDay).catch(() => undefined);
  }, [load]);

  const [date, setDate] = useState<string | null>(null);
  const [kind, setKind] = useState<'all' | 'limit' | 'fatigue'>('all');
  // Each alert as the whole recorded day knows it.
  useEffect(() => {
    if (date) get<Day>(`/api/dashboard/day?date=${date}`).then(setDay).catch((e) => setMessage({ text: e.message, bad: true }));
  }, [date]);
  const alerts = useMemo(() => (day ? twinSafetyAlerts(day) : []), [day]);
  const isLimit = (k: string) => k === 'limit' || k === 'fdp';
  const shown = alerts.filter((a) => kind === 'all' || (kind === 'limit' ? isLimit(a.kind) : a.kind === kind));
  const limits = alerts.filter((a) => isLimit(a.kind)).length;

  async function report(e: FormEvent) {
    e.preventDefault();
    const c = CATEGORIES.find((x) => x.code === code)!;
    try {
      await send('POST', '/api/incidents', {
        category: c.server,
        flight: flight || null,
        tail: tail || null,
        crew: crew || null,
        narrative: `[ADREP ${c.code}: ${c.words}] ${narrative}`,
      });
      setMessage({ text: 'Reported; it is in the list and the audit log.', bad: false });
      setNarrative('');
      await load();
    } catch (err) {
      const a = err as ApiError;
      setMessage({ text: a.message, bad: true, field: a.field });
    }
  }

  return (
    <div className="grid2">
      <section aria-labelledby="inc-h">
        <h2 id="inc-h">Incidents reported ({incidents.length})</h2>
        <div className="scroll" style={{ maxHeight: 520 }} tabIndex={0} aria-labelledby="inc-h">
          <table>
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Category</th>
                <th>Flight · tail · crew</th>
                <th>Narrative</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.id} data-testid="incident-row">
                  <td>{i.reported.replace('T', ' ').slice(0, 16)}Z</td>
                  <td>{i.category}</td>
                  <td>{[i.flight, i.tail, i.crew].filter(Boolean).join(' · ') || '–'}</td>
                  <td>{i.narrative}</td>
                  <td>{i.reported_by}</td>
                </tr>
              ))}
              {incidents.length === 0 && (
                <tr>
                  <td colSpan={5}>No incidents reported.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="twin-h">
        <h2 id="twin-h">The twin&apos;s safety alerts{day ? ` on ${day.date}` : ''}</h2>
        <p className="note">
          Crew limit exceedances ({day?.rule_set ?? 'the rule set'}; it covers pilots): rosters that break it as planned, and flight duty periods that ran
          past their planning limit as flown (an extension under 117.19 needed); and duties whose fatigue forecast (Three-Process Model) reaches KSS{' '}
          {day?.kss_alert ?? KSS_ALERT} on duty: {limits} exceedance(s), {alerts.length - limits} fatigue alert(s). Times are {HOME_ZONE} local; UTC on hover.
        </p>
        <div className="row" style={{ marginBottom: '0.5rem' }}>
          <label>
            Day
            <select value={day?.date ?? ''} onChange={(e) => setDate(e.target.value)} data-testid="safety-day">
              {(day?.days ?? []).map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <label>
            Show
            <select value={kind} onChange={(e) => setKind(e.target.value as 'all' | 'limit' | 'fatigue')} data-testid="safety-kind">
              <option value="all">all alerts</option>
              <option value="limit">crew limit exceedances</option>
              <option value="fatigue">KSS ≥ {day?.kss_alert ?? KSS_ALERT} on duty</option>
            </select>
          </label>
        </div>
        <div className="scroll" style={{ maxHeight: 520 }} tabIndex={0} aria-label="The twin's safety alerts">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Alert</th>
                <th>Crew</th>
                <th>What</th>
                <th>Basis</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 300).map((a, i) => (
                <tr key={i} data-testid="safety-alert" data-kind={a.kind}>
                  <td>
                    <time title={utc(a.at)}>{local(a.at, HOME_ZONE, true)}</time>
                  </td>
                  <td>
                    {a.kind === 'fatigue' ? <span className="badge warn">! fatigue</span> : <span className="badge bad">!! crew limit</span>}{' '}
                    <span className="note">{a.kind === 'limit' ? 'as rostered' : a.kind === 'fdp' ? 'as flown' : 'forecast'}</span>
                  </td>
                  <td>
                    {a.crew} <span className="note">{a.rank}, {a.base}</span>
                  </td>
                  <td>{a.text}</td>
                  <td className="note">{a.source}</td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={5}>{day ? 'No alert of this kind on this day.' : 'Reading the day…'}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      <form onSubmit={report} className="panel" aria-labelledby="rep-h" style={{ gridColumn: '1 / -1' }}>
        <h2 id="rep-h">Report an incident</h2>
        <div style={{ display: 'grid', gap: '0.6rem' }}>
          <label>
            Occurrence category (ICAO ADREP / ECCAIRS)
            <select value={code} onChange={(e) => setCode(e.target.value)} data-testid="incident-category">
              {CATEGORIES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} — {c.words}
                </option>
              ))}
            </select>
          </label>
          <div className="row">
            <label>
              Flight
              <input value={flight} onChange={(e) => setFlight(e.target.value)} placeholder="B6 1234" size={10} aria-invalid={message?.field === 'flight' || undefined} />
            </label>
            <label>
              Tail
              <input value={tail} onChange={(e) => setTail(e.target.value)} placeholder="N592JB" size={10} aria-invalid={message?.field === 'tail' || undefined} />
            </label>
            <label>
              Crew
              <input value={crew} onChange={(e) => setCrew(e.target.value)} placeholder="B6-JFK-CA-0038" size={16} aria-invalid={message?.field === 'crew' || undefined} />
            </label>
          </div>
          <label>
            What happened
            <textarea value={narrative} onChange={(e) => setNarrative(e.target.value)} rows={5} required data-testid="incident-narrative" aria-invalid={message?.field === 'narrative' || undefined} />
          </label>
          <button type="submit" data-testid="incident-submit">
            Report
          </button>
          {message && (
            <p className={message.bad ? 'error' : 'note'} role={message.bad ? 'alert' : 'status'}>
              {message.field ? `${message.field}: ` : ''}
              {message.text}
            </p>
          )}
        </div>
      </form>
    </div>
  );
}

export default function SafetyPage() {
  return (
    <Shell title="Safety">
      <Safety />
    </Shell>
  );
}
