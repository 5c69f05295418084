// Shared by the browser tests and the benchmark: a temporary database with one user per role, a real
// `ucodts serve` on a free loopback port serving the built export, and Debian's chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const require = createRequire(import.meta.url);
export const dashboard = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(dashboard, '..');
export const out = join(dashboard, 'out');
export const PASSWORD = 'correct horse battery staple';
export const ROLES = ['viewer', 'planner', 'scheduler', 'researcher', 'admin'];
export const chromiumPath = process.env.UCODTS_CHROMIUM ?? '/usr/bin/chromium';

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });

/** Starts `binary serve` on a fresh SQLite database with a user per role (`env`: more environment for the
 * server, such as the rolling twin's UCODTS_FORECAST_REPS); `stop()` ends it and cleans up. */
export async function startServer(binary, env = {}) {
  if (!binary || !existsSync(binary)) throw new Error(`give the path of the ucodts binary (got ${binary})`);
  if (!existsSync(join(out, 'index.html'))) throw new Error(`no built dashboard in ${out}: cd dashboard && npm ci && npm run build`);
  const work = mkdtempSync(join(tmpdir(), 'ucodts-dashboard-'));
  const db = `sqlite://${join(work, 'ops.db')}`;
  // Every role a person logs in as, and the feed (a machine posting live events).
  for (const role of [...ROLES, 'feed']) {
    const r = spawnSync(binary, ['user', 'add', '--db', db, '--name', role, '--role', role, '--password-stdin'], { input: `${PASSWORD}\n` });
    if (r.status !== 0) throw new Error(`ucodts user add ${role}: ${r.stderr}`);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`, '--db', db], {
    env: { ...process.env, UCODTS_DASHBOARD_DIR: out, UCODTS_LOG: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  const stop = () => {
    if (server.exitCode == null) server.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', () => server.exitCode == null && server.kill('SIGTERM'));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 150 || server.exitCode != null) {
      stop();
      throw new Error(`the server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop };
}

export async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A request context logged in as the feed user, and a function that posts JSON-lines events with it. */
export async function feedPoster(browser, base) {
  const context = await browser.newContext();
  const login = await context.request.post(`${base}/api/login`, { data: { name: 'feed', password: PASSWORD } });
  if (!login.ok()) throw new Error(`the feed user cannot log in: ${login.status()}`);
  const { csrf_token } = await login.json();
  const post = async (events) => {
    const res = await context.request.post(`${base}/api/feed`, {
      headers: { 'Content-Type': 'application/x-ndjson', 'X-CSRF-Token': csrf_token },
      data: events.map((e) => JSON.stringify(e)).join('\n') + '\n',
    });
    return { status: res.status(), ok: res.ok(), answer: await res.json() };
  };
  return { context, post };
}

/** `YYYY-MM-DDTHH:MMZ` for minutes since 1970 UTC (the feed's time format). */
export const isoMinute = (m) => new Date(m * 60_000).toISOString().slice(0, 16) + 'Z';

/** Logs `role` in through the login screen of `page`. */
export async function logIn(page, base, role) {
  await page.goto(`${base}/`);
  await page.getByTestId('login-name').fill(role);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/operations\/$/);
}
