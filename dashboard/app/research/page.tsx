'use client';

import { FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import Shell, { useSession } from '@/components/Shell';
import { ApiError, followRun, get, ProgressState, RunView, send } from '@/lib/api';

type Kind = 'bench-crew' | 'bench-roadef';
type Row = Record<string, unknown>;

/** The rows of a benchmark's result: bench-crew prints one row per case and policy; bench-roadef a report
 * with one row per instance (workflows/src/crew_bench.rs, roadef_bench.rs). */
function rowsOf(run: RunView | null): Row[] {
  const r = run?.result as unknown;
  if (Array.isArray(r)) return r as Row[];
  if (r && typeof r === 'object' && Array.isArray((r as { instances?: unknown }).instances)) return (r as { instances: Row[] }).instances;
  return [];
}

const cell = (v: unknown) =>
  v == null ? '–' : typeof v === 'boolean' ? (v ? '✓ yes' : '✗ no') : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v);

/** Per policy: cases, legal, mean cost, mean seconds (what a crew-recovery comparison reads first). */
function summary(rows: Row[]) {
  const by = new Map<string, Row[]>();
  for (const r of rows) {
    const p = String(r.policy ?? '');
    if (!by.has(p)) by.set(p, []);
    by.get(p)!.push(r);
  }
  const mean = (rs: Row[], k: string) => {
    const xs = rs.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  };
  return [...by].map(([policy, rs]) => ({
    policy,
    n: rs.length,
    legal: rs.filter((r) => r.legal === true || r.feasible === true).length,
    cost: mean(rs, 'cost'),
    gap: mean(rs, 'gap_percent'),
    seconds: mean(rs, rs[0] && 'seconds' in rs[0] ? 'seconds' : 'seconds_total'),
  }));
}

function Research() {
  const session = useSession();
  const [runs, setRuns] = useState<RunView[]>([]);
  const [runId, setRunId] = useState<number | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [kind, setKind] = useState<Kind>('bench-crew');
  const [cases, setCases] = useState('1');
  const [instances, setInstances] = useState('');
  const [limit, setLimit] = useState('2');
  const [progress, setProgress] = useState<ProgressState | null>(null);
  const [running, setRunning] = useState<number | null>(null);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  const loadRuns = useCallback(async (pick?: number) => {
    const all = (await get<RunView[]>('/api/runs?limit=100')).filter((r) => r.kind === 'bench-crew' || r.kind === 'bench-roadef');
    setRuns(all);
    setRunId((x) => pick ?? x ?? all.find((r) => r.status === 'done')?.id ?? all[0]?.id ?? null);
  }, []);
  useEffect(() => {
    loadRuns().catch((e) => setError({ text: e.message }));
  }, [loadRuns]);
  useEffect(() => {
    if (runId == null) return;
    get<RunView>(`/api/runs/${runId}`)
      .then(setRun)
      .catch((e) => setError({ text: e.message }));
  }, [runId]);

  const allowed = session?.role === 'researcher';
  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { kind, time_limit_s: Number(limit) };
    if (kind === 'bench-crew' && cases) body.cases = Number(cases);
    if (kind === 'bench-roadef' && instances) body.instances = instances;
    try {
      const created = await send<{ id: number }>('POST', '/api/runs', body);
      setRunning(created.id);
      setProgress({ stage: 'queued', step: 0, steps: null, notes: [] });
      followRun(created.id, setProgress, (status, err) => {
        setRunning(null);
        if (status === 'failed') setError({ text: `run ${created.id} failed: ${err ?? 'no reason given'}` });
        loadRuns(created.id).catch(() => undefined);
        get<RunView>(`/api/runs/${created.id}`).then(setRun).catch(() => undefined);
      });
    } catch (err) {
      setError(err instanceof ApiError ? { text: err.message, field: err.field } : { text: String(err) });
    }
  }

  const rows = useMemo(() => rowsOf(run), [run]);
  const columns = useMemo(() => {
    const seen: string[] = [];
    for (const r of rows) for (const k of Object.keys(r)) if (!seen.includes(k) && k !== 'solution_dir') seen.push(k);
    return seen;
  }, [rows]);
  const invalid = (f: string) => (error?.field === f ? { 'aria-invalid': true, 'aria-describedby': 'bench-error' } : {});

  return (
    <>
      <form onSubmit={start} className="panel" aria-label="Start a benchmark run">
        <div className="row">
          <label>
            Benchmark
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="bench-kind">
              <option value="bench-crew">crew recovery (bench crew-recovery)</option>
              <option value="bench-roadef">ROADEF 2009 aircraft recovery (bench roadef2009)</option>
            </select>
          </label>
          {kind === 'bench-crew' ? (
            <label>
              Cases per data set (empty: all)
              <input value={cases} onChange={(e) => setCases(e.target.value)} inputMode="numeric" size={5} data-testid="bench-cases" {...invalid('cases')} />
            </label>
          ) : (
            <label>
              Instances (empty: every one found)
              <input value={instances} onChange={(e) => setInstances(e.target.value)} size={14} placeholder="A01,A02" {...invalid('instances')} />
            </label>
          )}
          <label>
            Time limit per solve (s)
            <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" size={5} data-testid="bench-time-limit" {...invalid('time_limit_s')} />
          </label>
          <button type="submit" disabled={!allowed || running != null} data-testid="bench-start" aria-describedby={!allowed ? 'bench-who' : undefined}>
            Run benchmark
          </button>
        </div>
        {!allowed && (
          <p id="bench-who" className="note">
            Only a researcher may start benchmark runs; you are logged in as {session?.role}. Everyone may read them.
          </p>
        )}
        {progress && (
          <div role="status" aria-live="polite" style={{ marginTop: '0.5rem' }} data-testid="bench-progress">
            {progress.stage}
            {progress.steps ? ` (${progress.step} of ${progress.steps})` : ''}
            {running == null ? ' — finished' : ''}
            {progress.notes.length > 0 && <div className="note">{progress.notes[progress.notes.length - 1]}</div>}
          </div>
        )}
        {error && (
          <p id="bench-error" className="error" role="alert">
            {error.field ? `${error.field}: ` : ''}
            {error.text}
          </p>
        )}
      </form>
      <div className="row" style={{ margin: '0.8rem 0' }}>
        <label>
          Benchmark run
          <select value={runId ?? ''} onChange={(e) => setRunId(Number(e.target.value))} data-testid="bench-run">
            {runs.length === 0 && <option value="">no benchmark runs yet</option>}
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                #{r.id} {r.kind} · {r.status} · {r.created_by} · {r.created.slice(0, 16).replace('T', ' ')}Z
              </option>
            ))}
          </select>
        </label>
      </div>
      {run && run.status !== 'done' && (
        <p className="note" role="status">
          Run {run.id} is {run.status}
          {run.error ? `: ${run.error}` : ''}.
        </p>
      )}
      {run && run.status === 'done' && (
        <>
          <p className="note">
            Run {run.id} ({run.kind}), asked {JSON.stringify(run.request)}; finished {run.finished?.replace('T', ' ').slice(0, 19)} UTC. Costs: crew recovery in cost
            units, ROADEF 2009 in euros by its rules.
          </p>
          <h2 id="bench-sum-h">By policy</h2>
          <table aria-labelledby="bench-sum-h" data-testid="bench-summary">
            <thead>
              <tr>
                <th>Policy</th>
                <th className="num">Rows</th>
                <th className="num">Legal / feasible</th>
                <th className="num">Mean cost</th>
                <th className="num">Mean gap to best known, %</th>
                <th className="num">Mean seconds</th>
              </tr>
            </thead>
            <tbody>
              {summary(rows).map((s) => (
                <tr key={s.policy}>
                  <td>{s.policy}</td>
                  <td className="num">{s.n}</td>
                  <td className="num">{s.legal}</td>
                  <td className="num">{cell(s.cost == null ? null : Math.round(s.cost))}</td>
                  <td className="num">{cell(s.gap)}</td>
                  <td className="num">{cell(s.seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="bench-rows-h">Every row ({rows.length})</h2>
          <div className="scroll" style={{ maxHeight: 480 }} tabIndex={0} aria-labelledby="bench-rows-h">
            <table>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c}>{c.replaceAll('_', ' ')}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i} data-testid="bench-row">
                    {columns.map((c) => (
                      <td key={c} className={typeof r[c] === 'number' ? 'num' : undefined}>
                        {cell(r[c])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(run.result, null, 2))}`} download={`bench-run-${run.id}.json`}>
              Download the result (JSON, as <code>ucodts bench … --json</code> prints it)
            </a>
          </p>
        </>
      )}
    </>
  );
}

export default function ResearchPage() {
  return (
    <Shell title="Research">
      <Research />
    </Shell>
  );
}
