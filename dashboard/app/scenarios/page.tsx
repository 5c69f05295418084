'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Shell, { useSession } from '@/components/Shell';
import RunForm from '@/components/RunForm';
import { ApiError, get, RunView, ScenarioView, send } from '@/lib/api';
import { forecastOf, KPI_WORDS, ScenarioKpi, ScenarioResult, withInterval } from '@/lib/kpis';

const TEMPLATE = `name = "my-ewr-slowdown"
description = "Newark arrivals cut to 15 an hour for three afternoon hours"
from = "2013-07-02"
to = "2013-07-02"
replications = 8
seed = 1

[[disruption]]
kind = "airport_capacity"
airport = "EWR"
from = "2013-07-02T15:00"  # local time at EWR
to = "2013-07-02T18:00"
arrivals_per_hour = 15
`;

/** The line a validator message points at: `scenario.toml:7: field ...`. */
function lineOf(message: string): number | null {
  const m = /scenario\.toml:(\d+)/.exec(message) ?? /line (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

function Editor({ onSaved }: { onSaved: (name: string) => void }) {
  const session = useSession();
  const [text, setText] = useState(TEMPLATE);
  const [error, setError] = useState<{ text: string; line: number | null } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const lines = text.split('\n').length;
  const allowed = session?.role === 'planner';

  async function save() {
    setError(null);
    setSaved(null);
    try {
      await send<Record<string, unknown>>('POST', '/api/scenarios', { toml: text });
      const name = /name\s*=\s*"([^"]+)"/.exec(text)?.[1] ?? '';
      setSaved(`Saved “${name}”: the validator found it sound; it is in the list and can be run.`);
      onSaved(name);
    } catch (e) {
      const err = e as ApiError;
      const line = lineOf(err.message);
      setError({ text: err.message, line });
      if (line && area.current) {
        // Put the cursor on the line at fault.
        const offset = text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
        area.current.focus();
        area.current.setSelectionRange(offset, offset);
      }
    }
  }

  return (
    <section className="panel" aria-labelledby="editor-h">
      <h2 id="editor-h">Your own scenario (TOML)</h2>
      <p className="note">
        The format of docs/scenario-format.md, without a <code>data</code> line (it runs on the embedded default). Saving checks it as{' '}
        <code>ucodts scenario check</code> does; a mistake is shown at its line.
      </p>
      <div className="editor">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={error?.line === i + 1 ? 'bad' : undefined}>
              {error?.line === i + 1 ? '▶ ' : ''}
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          data-testid="scenario-editor"
          aria-label="Scenario file"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'editor-error' : undefined}
          spellCheck={false}
          value={text}
          rows={Math.max(14, lines + 1)}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => gutter.current && (gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop)}
          readOnly={!allowed}
        />
      </div>
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button type="button" onClick={save} disabled={!allowed} data-testid="scenario-save">
          Check and save
        </button>
        {!allowed && <span className="note">Only a planner may add scenarios; you are logged in as {session?.role}.</span>}
      </div>
      {error && (
        <p id="editor-error" className="error" role="alert" data-testid="scenario-error">
          {error.line ? `Line ${error.line}: ` : ''}
          {error.text}
        </p>
      )}
      {saved && (
        <p className="note" role="status">
          {saved}
        </p>
      )}
    </section>
  );
}

/** Bars of the paired difference (scenario − baseline) with its 95 % interval, one per KPI. */
function DifferenceChart({ kpis }: { kpis: ScenarioKpi[] }) {
  const rows = kpis.filter((k) => k.name !== 'flown_legs');
  const W = 620;
  const rowH = 24;
  const left = 230;
  const max = Math.max(1e-9, ...rows.map((k) => Math.max(Math.abs(k.difference.ci95?.[0] ?? k.difference.mean), Math.abs(k.difference.ci95?.[1] ?? k.difference.mean))));
  const x = (v: number) => left + ((v / max) * (W - left - 20)) / 2 + (W - left - 20) / 2;
  return (
    <svg width={W} height={rows.length * rowH + 30} role="img" aria-label="Scenario minus baseline per KPI, with 95 % intervals" style={{ maxWidth: '100%', background: '#fff' }}>
      <line x1={x(0)} x2={x(0)} y1={0} y2={rows.length * rowH} stroke="#333" />
      {rows.map((k, i) => {
        const y = i * rowH + 4;
        const d = k.difference;
        const worse = d.mean > 0 === (k.name !== 'on_time_rate' && k.name !== 'aircraft_block_hours_per_day');
        return (
          <g key={k.name}>
            <text x={4} y={y + 13} fontSize={12}>
              {KPI_WORDS[k.name] ?? k.name}
            </text>
            <rect x={Math.min(x(0), x(d.mean))} y={y} width={Math.abs(x(d.mean) - x(0))} height={14} fill={worse ? '#c0392b' : '#4f9a5f'} />
            {d.ci95 && <line x1={x(d.ci95[0])} x2={x(d.ci95[1])} y1={y + 7} y2={y + 7} stroke="#000" strokeWidth={1.5} />}
            <text x={W - 4} y={y + 12} fontSize={11} textAnchor="end">
              {d.mean === 0 ? '=' : worse ? '▲ worse' : '▼ better'}
            </text>
          </g>
        );
      })}
      <text x={x(0)} y={rows.length * rowH + 20} fontSize={11} textAnchor="middle">
        0 (no difference from the undisrupted baseline)
      </text>
    </svg>
  );
}

function Result({ run }: { run: RunView<ScenarioResult> }) {
  const r = forecastOf(run.result);
  if (!r) return <p className="note">Run {run.id} is {run.status}{run.error ? `: ${run.error}` : ''}.</p>;
  return (
    <section aria-labelledby="result-h" data-testid="scenario-result">
      <h2 id="result-h">
        Result of run {run.id}: {r.scenario}, {r.from} to {r.to}, {r.replications} replications, seed {r.seed}
      </h2>
      <div className="grid2">
        <table>
          <thead>
            <tr>
              <th>KPI</th>
              <th className="num">Baseline</th>
              <th className="num">Scenario</th>
              <th className="num">Difference [95 %]</th>
            </tr>
          </thead>
          <tbody>
            {r.kpis.map((k) => (
              <tr key={k.name}>
                <td>{KPI_WORDS[k.name] ?? k.name}</td>
                <td className="num">{k.baseline.toFixed(2)}</td>
                <td className="num">{k.scenario.toFixed(2)}</td>
                <td className="num">{withInterval(k.difference.mean, k.difference.ci95, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <DifferenceChart kpis={r.kpis} />
      </div>
    </section>
  );
}

function Scenarios() {
  const [scenarios, setScenarios] = useState<ScenarioView[]>([]);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [runs, setRuns] = useState<RunView[]>([]);
  const [shown, setShown] = useState<RunView<ScenarioResult> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);

  const load = useCallback(async () => {
    setScenarios(await get<ScenarioView[]>('/api/scenarios'));
    setRefresh((n) => n + 1);
    setRuns((await get<RunView[]>('/api/runs?limit=100')).filter((r) => r.kind === 'simulate'));
  }, []);
  useEffect(() => {
    load().catch((e) => setError(e.message));
  }, [load]);

  const show = async (id: number) => setShown(await get<RunView<ScenarioResult>>(`/api/runs/${id}`));
  const library = useMemo(() => scenarios.filter((s) => s.source === 'library'), [scenarios]);
  const own = useMemo(() => scenarios.filter((s) => s.source === 'user'), [scenarios]);

  return (
    <>
      {error && <p className="error">{error}</p>}
      <div className="grid2">
        <section aria-labelledby="lib-h">
          <h2 id="lib-h">Library and users&apos; scenarios</h2>
          <div className="scroll" tabIndex={0} aria-labelledby="lib-h">
            <table data-testid="scenario-library">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>What happens</th>
                  <th>Disruptions</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {[...library, ...own].map((s) => (
                  <tr key={s.name} className={chosen === s.name ? 'selected' : ''}>
                    <td>
                      {s.name}
                      {s.source === 'user' && <div className="note">by {s.created_by}</div>}
                    </td>
                    <td>{s.description}</td>
                    <td>{s.disruptions.join(', ')}</td>
                    <td>
                      <button type="button" className="secondary" onClick={() => setChosen(s.name)} aria-label={`Choose ${s.name} to run`}>
                        Choose
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Run a scenario (simulation: baseline and disrupted, paired)</h2>
          <RunForm
            kind="simulate"
            scenario={chosen}
            refresh={refresh}
            onDone={(id) => {
              load().catch(() => undefined);
              show(id).catch(() => undefined);
            }}
          />
          <h2>Earlier simulations</h2>
          <ul>
            {runs.map((r) => (
              <li key={r.id}>
                <button type="button" className="secondary" onClick={() => show(r.id)}>
                  Run {r.id}: {String(r.request.scenario ?? '')} · {r.status} · {r.created_by}
                </button>
              </li>
            ))}
            {runs.length === 0 && <li className="note">none yet</li>}
          </ul>
        </section>
        <Editor onSaved={() => load().catch(() => undefined)} />
      </div>
      {shown && <Result run={shown} />}
    </>
  );
}

export default function ScenariosPage() {
  return (
    <Shell title="Scenarios">
      <Scenarios />
    </Shell>
  );
}
