'use client';

import { useRouter } from 'next/navigation';
import { FormEvent, useState } from 'react';
import { login } from '@/lib/api';

/** The login screen: name and password, POST /api/login; the server sets the session cookie. */
export default function LoginPage() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(name, password);
      router.push('/operations/');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <main style={{ maxWidth: 420, marginTop: '12vh' }}>
      <h1>UCODTS operations</h1>
      <p className="note">Log in with the name and password your administrator created (ucodts user add).</p>
      <form onSubmit={submit} className="panel" style={{ display: 'grid', gap: '0.8rem' }}>
        <label>
          Name
          <input data-testid="login-name" name="name" autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button data-testid="login-submit" type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
