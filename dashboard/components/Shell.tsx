'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useState } from 'react';
import { ApiError, get, logout, savedSession, saveSession, Session } from '@/lib/api';

const SessionContext = createContext<Session | null>(null);
export const useSession = () => useContext(SessionContext);

const SCREENS: { href: string; label: string; admin?: boolean }[] = [
  { href: '/operations/', label: 'Operations' },
  { href: '/recovery/', label: 'Recovery' },
  { href: '/scenarios/', label: 'Scenarios' },
  { href: '/safety/', label: 'Safety' },
  { href: '/research/', label: 'Research' },
  { href: '/audit/', label: 'Audit log' },
  { href: '/users/', label: 'Users', admin: true },
];

/** Every screen after login: the navigation, who is logged in, and a check of the session with the server. */
export default function Shell({ title, children }: { title: string; children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${title} · UCODTS`;
    get<{ name: string; role: Session['role'] }>('/api/me')
      .then((me) => {
        const saved = savedSession();
        const s = { name: me.name, role: me.role, csrf: saved && saved.name === me.name ? saved.csrf : null };
        saveSession(s);
        setSession(s);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) router.replace('/');
        else setError(String(e.message ?? e));
      });
  }, [router, title]);

  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <span className="brand">UCODTS</span>
        <nav aria-label="Screens">
          {SCREENS.filter((s) => !s.admin || session?.role === 'admin').map((s) => (
            <Link key={s.href} href={s.href} aria-current={pathname === s.href ? 'page' : undefined}>
              {s.label}
            </Link>
          ))}
        </nav>
        {session && (
          <span className="who">
            <span>
              {session.name} <span className="badge">{session.role}</span>
            </span>
            <button
              type="button"
              onClick={async () => {
                await logout().catch(() => undefined);
                router.replace('/');
              }}
            >
              Log out
            </button>
          </span>
        )}
      </header>
      <main>
        <h1>{title}</h1>
        {error && <p className="error" role="alert">{error}</p>}
        {session && !session.csrf && (
          <p className="note" role="status">
            This tab has no CSRF token from the login (it was opened after logging in elsewhere): log out and in again to make
            changes.
          </p>
        )}
        {session ? children : !error && <p className="note">Checking the session…</p>}
      </main>
    </SessionContext.Provider>
  );
}
