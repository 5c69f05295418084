// The dashboard in a real browser against a real `ucodts serve`: Debian's chromium driven by playwright-core
// (executablePath; no browser is downloaded). Started by tests/dashboard_browser.rs as
//   node dashboard/tests/run.mjs /path/to/ucodts
// It creates a temporary SQLite database with one user per role, starts the server on a free port with
// the built export (dashboard/out), and then, as a person would: logs in as each role, runs a scenario,
// runs recovery (2 replications, 2 s), fails to accept a plan as planner, accepts one as scheduler and
// finds it in the audit log; on every screen no console error and no serious axe-core violation; a
// screenshot of every screen in target/dashboard-screens/. Exit 0 when all held; the last line says
// `N passed, N failed`.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, logIn, repo, require, ROLES, startServer } from './harness.mjs';

const binary = process.argv[2] ?? process.env.UCODTS_BIN;
const shots = join(repo, 'target', 'dashboard-screens');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const { base, stop: stopServer } = await startServer(binary);
mkdirSync(shots, { recursive: true });
const browser = await launch();

let passed = 0;
let failed = 0;
const failures = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    failures.push(name);
    console.log(`not ok - ${name}: ${e?.stack ?? e}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** A logged-in page for `role` that records console errors and uncaught exceptions. */
async function open(role, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    // No plan accepted yet: GET /api/plans/current answers 404 by design, which chromium logs.
    if (/Failed to load resource/.test(m.text()) && url.endsWith('/api/plans/current')) return;
    errors.push(`${m.text()} (${url})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await logIn(page, base, role);
  await page.getByTestId('kpi-on-time').waitFor();
  return { context, page, errors };
}

async function axe(page, screen) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // @ts-ignore
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(serious.length === 0, `${screen}: axe-core found ${JSON.stringify(serious, null, 1)}`);
  return result.length;
}

async function screen(page, name, errors) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
  await axe(page, name);
  assert(errors.length === 0, `${name}: console errors: ${errors.join('\n')}`);
}

const t0 = Date.now();
let runId = null;

await check('the login screen is accessible and a wrong password is refused with a message', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.screenshot({ path: join(shots, 'login.png') });
  await axe(page, 'login');
  await page.getByTestId('login-name').fill('viewer');
  await page.getByTestId('login-password').fill('not the password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  const said = await page.getByTestId('login-error').textContent();
  assert(said.includes('wrong name or password'), `no message for a wrong password: ${said}`);
  await context.close();
});

for (const role of ROLES) {
  await check(`${role} logs in and sees the operations screen (KPIs, alerts, both Gantts, map)`, async () => {
    const { context, page, errors } = await open(role);
    for (const id of ['kpi-on-time', 'kpi-cancelled', 'alerts', 'gantt-tails', 'gantt-crew', 'map']) await page.getByTestId(id).waitFor();
    const rows = Number(await page.getByTestId('gantt-tails').getAttribute('data-rows'));
    assert(rows > 100, `the tail Gantt has ${rows} rows`);
    const nav = await page.getByRole('navigation').textContent();
    assert(nav.includes('Users') === (role === 'admin'), `${role} sees Users: ${nav}`);
    if (role === 'viewer') await screen(page, 'operations', errors);
    assert(errors.length === 0, errors.join('\n'));
    await context.close();
  });
}

await check('the operations screen at 1920x1080', async () => {
  const { context, page, errors } = await open('viewer', { width: 1920, height: 1080 });
  await page.getByTestId('gantt-crew').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'operations-1920.png'), fullPage: true });
  assert(errors.length === 0, errors.join('\n'));
  await context.close();
});

await check('a planner writes a scenario (its mistake shown at its line), saves it and runs a scenario to its result', async () => {
  const { context, page, errors } = await open('planner');
  await page.getByRole('link', { name: 'Scenarios' }).click();
  await page.getByTestId('scenario-editor').waitFor();
  const editor = page.getByTestId('scenario-editor');
  const good = await editor.inputValue();
  await editor.fill(good.replace('arrivals_per_hour = 15', 'arrivals_per_hour = "many"'));
  await page.getByTestId('scenario-save').click();
  await page.getByTestId('scenario-error').waitFor();
  const message = await page.getByTestId('scenario-error').textContent();
  assert(/^Line 1[0-9]/.test(message), `the error names no line: ${message}`);
  // The one console line chromium writes for that deliberate 400 is expected; any other is not.
  const expected = errors.findIndex((e) => e.includes('status of 400') && e.includes('/api/scenarios'));
  assert(expected >= 0, `no 400 for the invalid scenario: ${errors}`);
  errors.splice(expected, 1);
  await editor.fill(good);
  await page.getByTestId('scenario-save').click();
  await page.getByText('the validator found it sound').waitFor();
  await page.getByTestId('run-scenario').selectOption('my-ewr-slowdown');
  await page.getByTestId('run-reps').fill('2');
  await page.getByTestId('run-start').click();
  await page.getByTestId('scenario-result').waitFor({ timeout: 90_000 });
  await screen(page, 'scenarios', errors);
  await context.close();
});

await check('a planner runs recovery (2 replications, 2 s) and may not accept a plan', async () => {
  const { context, page, errors } = await open('planner');
  await page.getByRole('link', { name: 'Recovery' }).click();
  await page.getByTestId('run-time-limit').fill('2');
  await page.getByTestId('run-reps').fill('2');
  await page.getByTestId('run-scenario').selectOption('captain-no-show');
  await page.getByTestId('run-start').click();
  await page.getByTestId('plan-row').first().waitFor({ timeout: 90_000 });
  runId = Number(new URL(page.url()).searchParams.get('run'));
  assert(runId > 0, `no run in the address: ${page.url()}`);
  await page.getByTestId('plan-select').first().check();
  assert(await page.getByTestId('plan-accept').isDisabled(), 'a planner can press accept');
  assert(await page.getByTestId('plan-reject').isDisabled(), 'a planner can press reject');
  const why = await page.getByTestId('decision-why').textContent();
  assert(why.includes('Only a crew scheduler'), `no reason given: ${why}`);
  // And the server refuses it too, whatever the page shows.
  const planId = Number(await page.getByTestId('plan-row').first().getAttribute('data-plan-id'));
  const csrf = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ucodts.session')).csrf);
  const res = await context.request.post(`${base}/api/plans/${planId}/decision`, {
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    data: { decision: 'accept', reason: 'a planner tries' },
  });
  assert(res.status() === 403, `a planner's accept answered ${res.status()}`);
  await screen(page, 'recovery-planner', errors);
  await context.close();
});

await check('a scheduler accepts a plan with a reason and finds it in the audit log', async () => {
  assert(runId, 'no recovery run from the step before');
  const { context, page, errors } = await open('scheduler');
  await page.goto(`${base}/recovery/?run=${runId}`);
  const row = page.getByTestId('plan-row').first();
  await row.waitFor();
  const planId = await row.getAttribute('data-plan-id');
  await row.getByTestId('plan-select').check();
  assert(await page.getByTestId('plan-accept').isDisabled(), 'accept is possible without a reason');
  await page.getByTestId('decision-reason').fill('legal, one reserve called at JFK');
  await page.getByTestId('plan-accept').click();
  await page.getByTestId('decision-message').waitFor();
  const said = await page.getByTestId('decision-message').textContent();
  assert(said.includes('accepted'), `after accept: ${said}`);
  await page.getByText(/accepted by scheduler/).first().waitFor();
  await screen(page, 'recovery-scheduler', errors);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByTestId('audit-row').first().waitFor();
  const accept = page.locator(`[data-testid="audit-row"][data-action="plan.accept"]`);
  assert((await accept.count()) === 1, 'no plan.accept row in the audit log');
  assert((await accept.textContent()).includes(`plan/${planId}`) && (await accept.textContent()).includes('scheduler'), await accept.textContent());
  await page.getByTestId('audit-action').selectOption('plan.accept');
  assert((await page.getByTestId('audit-row').count()) === 1, 'the filter leaves other rows');
  await screen(page, 'audit', errors);
  await context.close();
});

await check('safety: a viewer reports an incident with an ADREP category', async () => {
  const { context, page, errors } = await open('viewer');
  await page.getByRole('link', { name: 'Safety' }).click();
  await page.getByTestId('incident-category').selectOption('RAMP');
  await page.getByTestId('incident-narrative').fill('Baggage cart touched the aft cargo door, inspected, no damage');
  await page.getByTestId('incident-submit').click();
  await page.getByTestId('incident-row').first().waitFor();
  assert((await page.getByTestId('incident-row').first().textContent()).includes('ADREP RAMP'), 'the incident is not listed');
  await screen(page, 'safety', errors);
  await context.close();
});

await check('users: the admin sees every user; the keyboard reaches the login form', async () => {
  const { context, page, errors } = await open('admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByTestId('user-row').first().waitFor();
  assert((await page.getByTestId('user-row').count()) === ROLES.length, 'not every user listed');
  await screen(page, 'users', errors);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${base}/`);
  await page.keyboard.press('Tab');
  assert((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'login-name', 'Tab does not reach the name field');
  await context.close();
});

await browser.close();
stopServer();
console.log(`screenshots in ${shots}; ${((Date.now() - t0) / 1000).toFixed(1)} s in the browser`);
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
