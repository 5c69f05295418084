'use client';

import { FormEvent, useEffect, useState } from 'react';
import { ApiError, followRun, get, ProgressState, ScenarioView, send } from '@/lib/api';
import { useSession } from '@/components/Shell';

/** Starts a run (planners) and follows its progress through the server-sent events until it ends. */
export default function RunForm({
  kind,
  scenario: initial,
  refresh = 0,
  onDone,
}: {
  kind: 'recover' | 'simulate';
  scenario?: string;
  /** Changed by the parent when the scenarios changed (one was saved): the list is read again. */
  refresh?: number;
  onDone: (id: number) => void;
}) {
  const session = useSession();
  const [scenarios, setScenarios] = useState<ScenarioView[]>([]);
  const [scenario, setScenario] = useState(initial ?? '');
  const [seed, setSeed] = useState('7');
  const [reps, setReps] = useState(kind === 'recover' ? '4' : '8');
  const [limit, setLimit] = useState('5');
  const [policy, setPolicy] = useState(kind === 'recover' ? 'constructive' : '');
  const [crewPolicy, setCrewPolicy] = useState(kind === 'recover' ? 'greedy' : '');
  const [progress, setProgress] = useState<ProgressState | null>(null);
  const [running, setRunning] = useState<number | null>(null);
  const [lastId, setLastId] = useState<number | null>(null);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  useEffect(() => {
    get<ScenarioView[]>('/api/scenarios')
      .then((s) => {
        setScenarios(s);
        setScenario((x) => x || s[0]?.name || '');
      })
      .catch((e) => setError({ text: e.message }));
  }, [refresh]);
  useEffect(() => {
    if (initial) setScenario(initial);
  }, [initial]);

  const allowed = session?.role === 'planner';

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { kind, scenario, seed: Number(seed), reps: Number(reps) };
    if (kind === 'recover') {
      body.time_limit_s = Number(limit);
      if (policy) body.policy = policy;
      if (crewPolicy) body.crew_policy = crewPolicy;
    }
    try {
      const created = await send<{ id: number }>('POST', '/api/runs', body);
      setRunning(created.id);
      setLastId(created.id);
      setProgress({ stage: 'queued', step: 0, steps: null, notes: [] });
      followRun(created.id, setProgress, (status, err) => {
        setRunning(null);
        if (status === 'failed') setError({ text: `run ${created.id} failed: ${err ?? 'no reason given'}` });
        onDone(created.id);
      });
    } catch (err) {
      setError(err instanceof ApiError ? { text: err.message, field: err.field } : { text: String(err) });
    }
  }

  const fieldError = (f: string) => (error?.field === f ? { 'aria-invalid': true, 'aria-describedby': 'run-error' } : {});

  return (
    <form onSubmit={start} className="panel" aria-label={kind === 'recover' ? 'Start a recovery run' : 'Run a scenario'}>
      <div className="row">
        <label>
          Scenario
          <select value={scenario} onChange={(e) => setScenario(e.target.value)} data-testid="run-scenario" {...fieldError('scenario')}>
            {scenarios.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} {s.source === 'user' ? `(${s.created_by}'s)` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed
          <input value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" size={6} {...fieldError('seed')} />
        </label>
        <label>
          Replications
          <input value={reps} onChange={(e) => setReps(e.target.value)} inputMode="numeric" size={4} data-testid="run-reps" {...fieldError('reps')} />
        </label>
        {kind === 'recover' && (
          <>
            <label>
              Time limit (s)
              <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" size={4} data-testid="run-time-limit" {...fieldError('time_limit_s')} />
            </label>
            <label>
              Aircraft policy
              <input value={policy} onChange={(e) => setPolicy(e.target.value)} size={12} placeholder="constructive,lns" {...fieldError('policy')} />
            </label>
            <label>
              Crew policy
              <input value={crewPolicy} onChange={(e) => setCrewPolicy(e.target.value)} size={10} placeholder="greedy" {...fieldError('crew_policy')} />
            </label>
          </>
        )}
        <button type="submit" disabled={!allowed || running != null || !scenario} data-testid="run-start" aria-describedby={!allowed ? 'run-who' : undefined}>
          {kind === 'recover' ? 'Start recovery' : 'Run scenario'}
        </button>
      </div>
      {!allowed && (
        <p id="run-who" className="note">
          Only a planner may start runs; you are logged in as {session?.role}.
        </p>
      )}
      {progress && (
        <div role="status" aria-live="polite" style={{ marginTop: '0.5rem' }} data-testid="run-progress">
          <div>
            Run {lastId}: {progress.stage}
            {progress.steps ? ` (${progress.step} of ${progress.steps})` : ''}
            {running == null ? ' — finished' : ''}
          </div>
          <div className="progress" aria-hidden="true">
            <div style={{ width: `${progress.steps ? (100 * progress.step) / progress.steps : running == null ? 100 : 10}%` }} />
          </div>
          {progress.notes.length > 0 && <p className="note">{progress.notes[progress.notes.length - 1]}</p>}
        </div>
      )}
      {error && (
        <p id="run-error" className="error" role="alert">
          {error.field ? `${error.field}: ` : ''}
          {error.text}
        </p>
      )}
    </form>
  );
}
