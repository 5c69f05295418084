'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import Shell, { useSession } from '@/components/Shell';
import RunForm from '@/components/RunForm';
import PlanChanges from '@/components/PlanChanges';
import { ApiError, get, getOrNull, Interval, PlanView, RunView, send } from '@/lib/api';

type Kpis = Record<string, Interval>;

interface RecoverResult {
  scenario: string;
  window_start: string;
  window_end: string;
  decision_time: string;
  replications: number;
  baseline: { feasible: boolean; cost: number };
  baseline_kpis: Kpis;
  recommended: { policy: string; headline: string; why: string };
  plans: Record<string, any>[];
}

const number = (v: number, digits: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const iv = (i: Interval | undefined, digits = 1, scale = 1) =>
  i ? `${number(i.mean * scale, digits)} [${number(i.lower * scale, digits)}, ${number(i.upper * scale, digits)}]` : '–';

function csvOf(plan: PlanView): string {
  const quote = (v: unknown) => `"${String(v ?? '').replaceAll('"', '""')}"`;
  const lines = [['kind', 'carrier', 'flight', 'date', 'tails', 'crew', 'rank', 'old_time_utc', 'new_time_utc', 'what'].join(',')];
  for (const a of plan.plan.actions ?? [])
    lines.push([a.kind, a.carrier, a.flight, a.date, (a.tails ?? []).join(' '), (a.crew ?? []).join(' '), a.rank, a.old_time, a.new_time, a.text].map(quote).join(','));
  return lines.join('\n') + '\n';
}

function Recovery() {
  const session = useSession();
  const [runs, setRuns] = useState<RunView[]>([]);
  const [runId, setRunId] = useState<number | null>(null);
  const [run, setRun] = useState<RunView<RecoverResult> | null>(null);
  const [plans, setPlans] = useState<PlanView[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [current, setCurrent] = useState<PlanView | null>(null);

  const loadRuns = useCallback(async (pick?: number) => {
    const all = (await get<RunView[]>('/api/runs?limit=100')).filter((r) => r.kind === 'recover');
    setRuns(all);
    const fromUrl = Number(new URLSearchParams(window.location.search).get('run')) || null;
    setRunId((x) => pick ?? x ?? fromUrl ?? all.find((r) => r.status === 'done')?.id ?? null);
  }, []);

  useEffect(() => {
    loadRuns().catch((e) => setMessage({ text: e.message, bad: true }));
    getOrNull<PlanView>('/api/plans/current').then(setCurrent).catch(() => undefined);
  }, [loadRuns]);

  const loadRun = useCallback(async (id: number) => {
    const r = await get<RunView<RecoverResult>>(`/api/runs/${id}`);
    setRun(r);
    setPlans(r.status === 'done' ? await get<PlanView[]>(`/api/plans?run=${id}`) : []);
  }, []);

  useEffect(() => {
    if (runId == null) return;
    const url = new URL(window.location.href);
    url.searchParams.set('run', String(runId));
    window.history.replaceState(null, '', url);
    loadRun(runId).catch((e) => setMessage({ text: e.message, bad: true }));
  }, [runId, loadRun]);

  const chosen = useMemo(() => plans.find((p) => p.id === selected) ?? null, [plans, selected]);
  const isScheduler = session?.role === 'scheduler';
  const whyDisabled = !isScheduler
    ? `Only a crew scheduler may accept or reject a plan; you are logged in as ${session?.role}.`
    : !chosen
      ? 'Select a plan in the table first.'
      : chosen.decision
        ? `This plan was already decided (${chosen.decision.decision}).`
        : !reason.trim()
          ? 'Write the reason first: it goes into the audit log.'
          : null;

  async function decide(decision: 'accept' | 'reject') {
    if (!chosen) return;
    setMessage(null);
    try {
      await send('POST', `/api/plans/${chosen.id}/decision`, { decision, reason });
      setMessage({ text: `Plan ${chosen.id} (${chosen.policy}) ${decision === 'accept' ? 'accepted' : 'rejected'}; the audit log has it.`, bad: false });
      setReason('');
      await loadRun(chosen.run);
      getOrNull<PlanView>('/api/plans/current').then(setCurrent).catch(() => undefined);
    } catch (e) {
      const err = e as ApiError;
      setMessage({ text: `${err.status ?? ''} ${err.message}`, bad: true });
    }
  }

  const result = run?.result ?? null;

  return (
    <>
      <RunForm kind="recover" onDone={(id) => loadRuns(id).catch(() => undefined)} />
      <div className="row" style={{ margin: '0.8rem 0' }}>
        <label>
          Recovery run
          <select value={runId ?? ''} onChange={(e) => setRunId(Number(e.target.value))} data-testid="recovery-run">
            {runs.length === 0 && <option value="">no recovery runs yet</option>}
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                #{r.id} {String(r.request.scenario ?? '')} · {r.status} · {r.created_by} · {r.created.slice(0, 16).replace('T', ' ')}Z
              </option>
            ))}
          </select>
        </label>
        {current && (
          <span className="note" data-testid="current-plan">
            Current plan of the operation: plan {current.id} ({current.policy}) of run {current.run}, accepted by {current.decision?.decided_by}.{' '}
            {current.recommended && (
              <>
                Export: <a href="/api/plans/current/schedule.csv">schedule (CSV)</a>, <a href="/api/plans/current/crew.csv">crew changes (CSV)</a>.
              </>
            )}
          </span>
        )}
      </div>
      {run && run.status !== 'done' && (
        <p className="note" role="status">
          Run {run.id} is {run.status}
          {run.error ? `: ${run.error}` : ''}.
        </p>
      )}
      {result && (
        <>
          <p>
            <strong>{result.recommended.headline}</strong>
          </p>
          <p className="note">
            Scenario {result.scenario}, window {result.window_start} to {result.window_end} (UTC), decision at {result.decision_time};{' '}
            {result.replications} replications of the twin per plan; intervals are 95 %.
          </p>
          <div style={{ overflowX: 'auto' }} tabIndex={0} aria-label="Candidate plans (scrolls sideways on narrow screens)">
            <table aria-label="Candidate plans side by side">
              <thead>
                <tr>
                  <th>Plan</th>
                  <th className="num">Expected cost [95 %]</th>
                  <th className="num">Cost vs do nothing [95 %]</th>
                  <th className="num">p90 arrival delay, min</th>
                  <th className="num">On-time rate, %</th>
                  <th className="num">Cancellations</th>
                  <th className="num">Crew contacted</th>
                  <th>Legality</th>
                  <th>Touches</th>
                  <th>Decision</th>
                </tr>
              </thead>
              <tbody>
                <tr data-testid="plan-row-do-nothing">
                  <td>
                    Do nothing <span className="note">(operations control reacts on the day)</span>
                    {result.recommended.policy === 'do-nothing' && <span className="badge ok"> ★ recommended</span>}
                  </td>
                  <td className="num">{iv(result.baseline_kpis.cost, 0)}</td>
                  <td className="num">0 (the reference)</td>
                  <td className="num">{iv(result.baseline_kpis.p90_arrival_delay_min)}</td>
                  <td className="num">{iv(result.baseline_kpis.on_time_rate, 1, 100)}</td>
                  <td className="num">{iv(result.baseline_kpis.cancelled_legs)}</td>
                  <td className="num">0</td>
                  <td>{result.baseline.feasible ? <span className="badge ok">✓ feasible</span> : <span className="badge bad">✗ broken rules</span>}</td>
                  <td>nothing</td>
                  <td>–</td>
                </tr>
                {plans.map((p) => {
                  const k = p.plan.kpis as Kpis;
                  const t = p.plan.touches ?? {};
                  return (
                    <tr
                      key={p.id}
                      data-testid="plan-row"
                      data-plan-id={p.id}
                      className={`${p.recommended ? 'recommended' : ''} ${selected === p.id ? 'selected' : ''}`}
                      aria-selected={selected === p.id}
                    >
                      <td>
                        <label style={{ flexDirection: 'row', gap: '0.4rem', color: 'inherit' }}>
                          <input type="radio" name="plan" checked={selected === p.id} onChange={() => setSelected(p.id)} data-testid="plan-select" />
                          #{p.rank} {p.policy}
                        </label>
                        {p.recommended && <span className="badge ok"> ★ recommended</span>}
                      </td>
                      <td className="num">{iv(k?.cost, 0)}</td>
                      <td className="num">{iv((p.plan.vs_baseline as Kpis | undefined)?.cost, 0)}</td>
                      <td className="num">{iv(k?.p90_arrival_delay_min)}</td>
                      <td className="num">{iv(k?.on_time_rate, 1, 100)}</td>
                      <td className="num">{iv(k?.cancelled_legs)}</td>
                      <td className="num">{p.plan.crew_contacted}</td>
                      <td>
                        {p.plan.legal ? <span className="badge ok">✓ legal</span> : <span className="badge bad">✗ not legal</span>}
                        <div className="note">P(crew illegal) {iv(k?.crew_illegality_probability, 2)}</div>
                      </td>
                      <td>
                        {t.aircraft ?? 0} aircraft, {t.legs ?? 0} legs, {t.crew_members ?? 0} crew, {t.passengers ?? 0} pax
                      </td>
                      <td>
                        {p.decision ? (
                          <span className={`badge ${p.decision.decision === 'accept' ? 'ok' : 'bad'}`}>
                            {p.decision.decision === 'accept' ? '✓ accepted' : '✗ rejected'} by {p.decision.decided_by}
                          </span>
                        ) : (
                          'open'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="decide-h">
            <h2 id="decide-h">Decision{chosen ? ` on plan #${chosen.rank} ${chosen.policy}` : ''}</h2>
            <label style={{ display: 'flex' }}>
              Reason (required; it is kept in the audit log)
              <textarea data-testid="decision-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} disabled={!isScheduler} />
            </label>
            <div className="row" style={{ marginTop: '0.5rem' }}>
              <button type="button" data-testid="plan-accept" disabled={whyDisabled != null} onClick={() => decide('accept')} aria-describedby="decide-why">
                Accept plan
              </button>
              <button type="button" className="secondary" data-testid="plan-reject" disabled={whyDisabled != null} onClick={() => decide('reject')} aria-describedby="decide-why">
                Reject plan
              </button>
              {chosen && (
                <a
                  href={`data:text/csv;charset=utf-8,${encodeURIComponent(csvOf(chosen))}`}
                  download={`plan-${chosen.id}-actions.csv`}
                  data-testid="plan-export"
                >
                  Download this plan&apos;s actions (CSV)
                </a>
              )}
              {chosen?.recommended && (
                <>
                  <a href={`/api/plans/${chosen.id}/schedule.csv`} data-testid="plan-schedule-export">
                    the schedule as the plan leaves it (CSV, as <code>recover --schedule-out</code>)
                  </a>
                  <a href={`/api/plans/${chosen.id}/crew.csv`}>its crew changes (CSV)</a>
                </>
              )}
            </div>
            <p id="decide-why" className="note" data-testid="decision-why">
              {whyDisabled ?? 'Ready.'}
            </p>
            {message && (
              <p className={message.bad ? 'error' : 'note'} role={message.bad ? 'alert' : 'status'} data-testid="decision-message">
                {message.text}
              </p>
            )}
          </section>
          {chosen && <PlanDetail plan={chosen} />}
          {chosen && <PlanChanges plan={chosen} windowStart={result.window_start} windowEnd={result.window_end} />}
          <details style={{ marginTop: '1rem' }}>
            <summary>Why this ranking</summary>
            <pre style={{ whiteSpace: 'pre-wrap' }}>{result.recommended.why}</pre>
          </details>
        </>
      )}
    </>
  );
}

function PlanDetail({ plan }: { plan: PlanView }) {
  const actions: Record<string, any>[] = plan.plan.actions ?? [];
  // Decisions and knock-on delays (no decision, but new times), as the JSON lists them.
  const aircraft = actions.filter((a) => ['retime', 'knock_on_delay', 'cancel', 'tail_swap', 'ferry'].includes(a.kind));
  return (
    <div style={{ marginTop: '1rem' }}>
      <section aria-labelledby="acts-h">
        <h2 id="acts-h">What the plan changes: aircraft ({aircraft.length})</h2>
        <div className="scroll" tabIndex={0} aria-labelledby="acts-h">
          <table>
            <thead>
              <tr>
                <th>Action</th>
                <th>Flight</th>
                <th>Tails</th>
                <th>Before → after (UTC)</th>
                <th>In words</th>
              </tr>
            </thead>
            <tbody>
              {aircraft.map((a, i) => (
                <tr key={i}>
                  <td>{a.kind === 'knock_on_delay' ? 'knock-on delay (no decision)' : a.kind}</td>
                  <td>
                    {a.carrier ?? ''}
                    {a.flight ?? ''} {a.date ?? ''}
                  </td>
                  <td>{(a.tails ?? []).join(' → ')}</td>
                  <td>
                    {a.old_time ?? ''}
                    {a.new_time ? ` → ${a.new_time}` : a.kind === 'cancel' ? ' → cancelled' : ''}
                  </td>
                  <td>{a.text}</td>
                </tr>
              ))}
              {aircraft.length === 0 && (
                <tr>
                  <td colSpan={5}>No aircraft changes.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

export default function RecoveryPage() {
  return (
    <Shell title="Recovery">
      <Recovery />
    </Shell>
  );
}
