// A recorded day replayed into an open operations screen, as docs/guide/live.md describes it: a real
// `ucodts serve`, a feed user's API token, `ucodts replay --date D --speed max --to http://...` run while a
// viewer's screen is open. Prints how long the replay took, when the screen showed the last event, and when
// the twin's forecast of the final state reached the tiles; writes a screenshot. Not a test.
// Run: node dashboard/bench/replay-day.mjs target/release/ucodts [date]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, logIn, PASSWORD, repo, startServer } from '../tests/harness.mjs';

const binary = process.argv[2] ?? 'target/release/ucodts';
const date = process.argv[3] ?? '2013-07-02';
const { base, stop } = await startServer(binary);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const admin = await context.request.post(`${base}/api/login`, { data: { name: 'admin', password: PASSWORD } });
const { csrf_token } = await admin.json();
const made = await context.request.post(`${base}/api/tokens`, { headers: { 'X-CSRF-Token': csrf_token }, data: { user: 'feed', label: 'replay' } });
const { token } = await made.json();
const page = await context.newPage();
await logIn(page, base, 'viewer');
await page.goto(`${base}/operations/?date=${date}`);
await page.waitForFunction(() => performance.getEntriesByName('gantt-tails:drawn').length > 0, null, { timeout: 60_000 });
const t0 = Date.now();
const replay = spawnSync(binary, ['replay', '--date', date, '--speed', 'max', '--to', base, '--token', token], { encoding: 'utf8' });
const sent = Date.now();
if (replay.status !== 0) throw new Error(`replay failed: ${replay.stderr}`);
const state = await page.evaluate(() => fetch('/api/live/state').then((r) => r.json()));
await page.waitForFunction((n) => Number(document.querySelector('[data-testid="live-status"]').getAttribute('data-events')) >= n, state.events_applied, { timeout: 60_000 });
const shown = Date.now();
await page.waitForFunction((now) => document.querySelector('[data-testid="live-status"]').getAttribute('data-forecast-now') === now, state.now, { timeout: 180_000 });
const forecast = Date.now();
await page.screenshot({ path: join(repo, 'target', 'dashboard-screens', `operations-replayed-${date}.png`) });
const tiles = await page.locator('[data-testid^="kpi-"] .forecast').allTextContents();
console.log(replay.stderr.trim().split('\n').slice(-3).join('\n'));
console.log(
  `${date}: ${state.events_applied} events replayed in ${sent - t0} ms; the screen showed the last ${shown - sent} ms after the replay ended; ` +
    `the twin's forecast of the final state (now ${state.now}) on the tiles ${forecast - sent} ms after it`,
);
for (const t of tiles) console.log(`  ${t}`);
await browser.close();
stop();
