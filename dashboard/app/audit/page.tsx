'use client';

import { useEffect, useMemo, useState } from 'react';
import Shell from '@/components/Shell';
import { AuditEntry, get } from '@/lib/api';

function Audit() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [text, setText] = useState('');

  useEffect(() => {
    // The log is read oldest first in pages of 1000; shown newest first.
    (async () => {
      const all: AuditEntry[] = [];
      for (let after = 0; ; ) {
        const page = await get<AuditEntry[]>(`/api/audit?after=${after}&limit=1000`);
        all.push(...page);
        if (page.length < 1000) break;
        after = page[page.length - 1].seq;
      }
      setEntries(all.reverse());
    })().catch((e) => setError(e.message));
  }, []);

  const actors = useMemo(() => [...new Set(entries.map((e) => e.actor))].sort(), [entries]);
  const actions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);
  const shown = entries.filter(
    (e) => (!actor || e.actor === actor) && (!action || e.action === action) && (!text || `${e.object} ${e.hash} ${e.role}`.includes(text)),
  );

  return (
    <>
      {error && <p className="error">{error}</p>}
      <div className="row" role="search" aria-label="Filter the audit log">
        <label>
          Who
          <select value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-actor">
            <option value="">everyone</option>
            {actors.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          What
          <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-action">
            <option value="">every action</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Object, role or hash contains
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="plan/3" />
        </label>
        <span className="note" role="status">
          {shown.length} of {entries.length} rows · the chain is verified with <code>ucodts audit verify</code>
        </span>
      </div>
      <table style={{ marginTop: '0.6rem' }}>
        <thead>
          <tr>
            <th className="num">#</th>
            <th>When (UTC)</th>
            <th>Who</th>
            <th>Role</th>
            <th>What</th>
            <th>Object</th>
            <th>Content hash</th>
            <th>Row hash</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.seq} data-testid="audit-row" data-action={e.action} data-actor={e.actor}>
              <td className="num">{e.seq}</td>
              <td>
                <time dateTime={e.at} title={`${new Date(e.at).toString()}`}>
                  {e.at.replace('T', ' ').slice(0, 19)}Z
                </time>
              </td>
              <td>{e.actor}</td>
              <td>{e.role}</td>
              <td>{e.action}</td>
              <td>{e.object}</td>
              <td>
                <code title={e.content_hash}>{e.content_hash.slice(0, 12)}…</code>
              </td>
              <td>
                <code title={`${e.hash} (previous ${e.prev_hash})`}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export default function AuditPage() {
  return (
    <Shell title="Audit log">
      <Audit />
    </Shell>
  );
}
