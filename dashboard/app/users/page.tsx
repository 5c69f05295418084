'use client';

import { FormEvent, useCallback, useEffect, useState } from 'react';
import Shell, { useSession } from '@/components/Shell';
import { ApiError, get, Role, send, UserView } from '@/lib/api';

const ROLES: Role[] = ['viewer', 'planner', 'scheduler', 'researcher', 'feed', 'admin'];

function Users() {
  const session = useSession();
  const [users, setUsers] = useState<UserView[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [token, setToken] = useState<string | null>(null);

  const load = useCallback(() => get<UserView[]>('/api/users').then(setUsers), []);
  useEffect(() => {
    if (session?.role === 'admin') load().catch((e) => setMessage({ text: e.message, bad: true }));
  }, [session, load]);

  if (session?.role !== 'admin') return <p role="status">Only an administrator sees and adds users; you are logged in as {session?.role}.</p>;

  async function add(e: FormEvent) {
    e.preventDefault();
    try {
      await send('POST', '/api/users', { name, role, password });
      setMessage({ text: `Added ${name} (${role}).`, bad: false });
      setName('');
      setPassword('');
      await load();
    } catch (err) {
      const a = err as ApiError;
      setMessage({ text: `${a.field ? `${a.field}: ` : ''}${a.message}`, bad: true });
    }
  }

  async function newToken(user: string) {
    try {
      const t = await send<{ token: string }>('POST', '/api/tokens', { user, label: `dashboard ${new Date().toISOString().slice(0, 10)}` });
      setToken(`Token for ${user} (shown once; keep it safe): ${t.token}`);
    } catch (err) {
      setMessage({ text: (err as Error).message, bad: true });
    }
  }

  return (
    <div className="grid2">
      <section aria-labelledby="users-h">
        <h2 id="users-h">Users</h2>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Since (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="user-row">
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.created.replace('T', ' ').slice(0, 16)}Z</td>
                <td>
                  <button type="button" className="secondary" onClick={() => newToken(u.name)} aria-label={`New API token for ${u.name}`}>
                    New API token
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {token && (
          <p role="status">
            <code style={{ wordBreak: 'break-all' }}>{token}</code>
          </p>
        )}
      </section>
      <form onSubmit={add} className="panel" aria-labelledby="add-h">
        <h2 id="add-h">Add a user</h2>
        <div className="row">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            Password (12 characters or more)
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          <button type="submit">Add</button>
        </div>
        {message && (
          <p className={message.bad ? 'error' : 'note'} role={message.bad ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
      </form>
    </div>
  );
}

export default function UsersPage() {
  return (
    <Shell title="Users">
      <Users />
    </Shell>
  );
}
