// The dashboard in a real browser against a real `ucodts serve`: Debian's chromium driven by playwright-core
// (executablePath; no browser is downloaded). Started by tests/dashboard_browser.rs as
//   node dashboard/tests/run.mjs /path/to/ucodts
// It creates a temporary SQLite database with one user per role, starts the server on a free port with
// the built export (dashboard/out), and then, as a person would: logs in as each role (the fatigue and
// maintenance panels, the crew alerts from the server's rule engine and fatigue forecast), runs a
// scenario, runs recovery (2 replications, 2 s) and reads what a plan changes (before/after Gantts, crew
// changes per member in local time), fails to accept a plan as planner, accepts one as scheduler, fetches
// the recommended plan's schedule export and finds the accept in the audit log; reads the twin's safety
// alerts beside the incidents; runs the crew-recovery benchmark as researcher and reads its table; reads the
// maintenance panel (every tail's next A check, the removal risk where the hazard covers the day); posts
// feed events and sees the open operations screen update without a reload, pushed by GET /api/live/events,
// then the rolling twin's forecast on the KPI tiles and its alerts with probability, expected time and NEW; on every screen no console
// error and no serious axe-core violation; a screenshot of every screen in target/dashboard-screens/.
// Exit 0 when all held; the last line says `N passed, N failed`.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedPoster, isoMinute, launch, logIn, PASSWORD, repo, require, ROLES, startServer } from './harness.mjs';

const binary = process.argv[2] ?? process.env.UCODTS_BIN;
const shots = join(repo, 'target', 'dashboard-screens');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// The rolling twin with 20 runs and a 100 ms debounce: its forecast follows a post within seconds here.
const { base, stop: stopServer } = await startServer(binary, { UCODTS_FORECAST_REPS: '20', UCODTS_FORECAST_DEBOUNCE_MS: '100' });
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
    if (role === 'viewer') {
      // Fatigue of the crew on duty at the screen's now, from the server's forecast, and the maintenance panel.
      await page.getByTestId('fatigue').waitFor();
      const day = await page.evaluate(() => fetch('/api/dashboard/day').then((r) => r.json()));
      assert(day.rule_set && day.kss_alert === 7, `the day has no rule set or KSS level: ${day.rule_set} ${day.kss_alert}`);
      assert(day.duties.every((d) => 'kss_peak' in d && Array.isArray(d.violations)), 'a duty without kss_peak or violations');
      const fatigueRows = await page.getByTestId('fatigue-row').count();
      assert(fatigueRows > 0, 'no crew on duty in the fatigue panel');
      const shownKss = Number((await page.getByTestId('fatigue-row').first().locator('td').nth(1).textContent()).trim().split(' ')[0]);
      const onDutyMax = Math.max(...day.duties.map((d) => d.kss_peak ?? 0));
      assert(shownKss > 1 && shownKss <= onDutyMax + 1e-9, `the most fatigued on duty shows KSS ${shownKss} (day's max ${onDutyMax})`);
      // An alert's time is local at the airport where it happens, with that zone and the airport named.
      // (The list is grouped: a group's earliest and latest times are local at its airport when all its
      // alerts happen there.)
      const times = await page.locator('[data-testid="alerts"] time').allTextContents();
      assert(times.length > 0 && times.every((t) => /^\d\d:\d\d [A-Z]{2,5}( [A-Z0-9]{3})?$/.test(t)), `alert times without their zone: ${times.slice(0, 5)}`);
      assert(times.some((t) => /^\d\d:\d\d C[SD]T ORD$/.test(t)), `no arrival at ORD shown in Chicago time: ${times.slice(0, 10)}`);
      // Maintenance per tail: every tail of the day with its next A check (time with its zone); the busiest day
      // is the fourth of the record, too early for the removal hazard, and the panel says so.
      await page.getByTestId('maintenance-row').first().waitFor();
      const mxRows = page.getByTestId('maintenance-row');
      const mxOf = (d) => page.evaluate((date) => fetch(`/api/dashboard/maintenance?date=${date}`).then((r) => r.json()), d);
      const mx = await mxOf(day.date);
      assert(mx.tails.length === day.tails.length, `${mx.tails.length} tails in the maintenance answer for ${day.tails.length} flying`);
      assert((await mxRows.count()) === Math.min(200, mx.tails.length), `${await mxRows.count()} maintenance rows for ${mx.tails.length} tails`);
      assert(mx.unavailable && (await page.getByTestId('maintenance-no-risk').textContent()).includes('must be from'), 'the panel does not say why the busiest day has no removal risk');
      const checkTime = await mxRows.first().locator('time').textContent();
      assert(/^\d{4}-\d\d-\d\d \d\d:\d\d [A-Z]{2,5}$/.test(checkTime), `the A check time has no zone: ${checkTime}`);
      assert((await mxRows.first().getAttribute('data-tail')) === mx.tails[0].tail, 'the tail whose A check is soonest is not first');
      // A day the hazard covers (6 July: the tails flew the five days before, the hazard is fitted on 9 Feb):
      // the riskiest tail first, its probability.
      const covered = await mxOf('2013-07-06');
      assert(covered.unavailable == null && covered.tails[0].probability > 0, `no removal risk on 6 July: ${covered.unavailable}`);
      await page.goto(`${base}/operations/?date=2013-07-06`);
      await page.locator(`[data-testid="maintenance-row"][data-tail="${covered.tails[0].tail}"]`).waitFor();
      assert((await mxRows.first().getAttribute('data-tail')) === covered.tails[0].tail, 'the riskiest tail is not first');
      const shownRisk = (await mxRows.first().locator('td').nth(1).textContent()).trim();
      assert(shownRisk === `${(100 * covered.tails[0].probability).toFixed(2)} %`, `the riskiest tail shows ${shownRisk}, the API ${covered.tails[0].probability}`);
      await page.screenshot({ path: join(shots, 'operations-maintenance-2013-07-06.png') });
      await page.goto(`${base}/operations/`);
      await page.getByTestId('maintenance-row').first().waitFor();
      const tile = await page.getByTestId('kpi-crew').textContent();
      assert(tile.includes('Part 117') && tile.includes('KSS'), `the crew alert tile does not say what it counts: ${tile}`);
      // Without a feed the "so far" figures are the recorded day's, and the tile says so.
      const onTime = page.getByTestId('kpi-on-time');
      assert((await onTime.getAttribute('data-so-far-source')) === 'record', 'the on-time tile does not come from the record without a feed');
      assert((await onTime.getByTestId('kpi-source').textContent()).includes('the recorded day'), 'the on-time tile does not say its source');
      // The alerts grouped (the default) by kind and place: fewer groups than alerts, each with its count.
      assert((await page.getByTestId('alerts').getAttribute('data-view')) === 'grouped', 'the alert list is not grouped by default');
      const counts = await page.getByTestId('alert-group').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      const all = Number((await page.getByTestId('alerts-filter').locator('option[value="all"]').textContent()).match(/\((\d+)\)/)[1]);
      assert(counts.reduce((a, b) => a + b, 0) === all, `the groups hold ${counts.reduce((a, b) => a + b, 0)} alerts of ${all}`);
      assert(counts.length < all / 3, `${counts.length} groups for ${all} alerts: hardly grouped`);
      console.log(`# busiest day: ${all} alerts in ${counts.length} groups`);
      await screen(page, 'operations', errors);
    }
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

/** Starts a recovery run on `scenario` from the recovery screen (2 replications, 2 s) and waits for its plans. */
async function recover(page, scenario) {
  const before = new URL(page.url()).searchParams.get('run');
  await page.getByTestId('run-time-limit').fill('2');
  await page.getByTestId('run-reps').fill('2');
  await page.getByTestId('run-scenario').selectOption(scenario);
  await page.getByTestId('run-start').click();
  await page.waitForFunction((b) => new URL(location.href).searchParams.get('run') !== b, before, { timeout: 90_000 });
  await page.getByTestId('plan-row').first().waitFor({ timeout: 90_000 });
  const id = Number(new URL(page.url()).searchParams.get('run'));
  assert(id > 0, `no run in the address: ${page.url()}`);
  // The rows shown are this run's plans (the screen may still show another run's for a moment).
  await page.waitForFunction(
    async (run) => {
      const row = document.querySelector('[data-testid="plan-row"]');
      const plans = await fetch(`/api/plans?run=${run}`).then((r) => r.json());
      return row != null && plans.some((p) => String(p.id) === row.getAttribute('data-plan-id'));
    },
    id,
    { timeout: 30_000, polling: 250 },
  );
  return id;
}

// The crew part of a plan's changes: one row per crew member changed, each with its new duty in local time,
// and two rows (before, after) per member in the crew Gantt.
async function crewChanges(page, plan) {
  const changeRows = page.getByTestId('crew-change-row');
  // The crew part is drawn once the rostered day it compares with has arrived.
  await page
    .waitForFunction((n) => document.querySelectorAll('[data-testid="crew-change-row"]').length === n, plan.crew_changes.length, { timeout: 15_000 })
    .catch(() => undefined);
  assert((await changeRows.count()) === plan.crew_changes.length, `${await changeRows.count()} crew rows for ${plan.crew_changes.length} crew changes`);
  if (plan.crew_changes.length === 0) return;
  const member = plan.crew_changes[0];
  const row = page.locator(`[data-testid="crew-change-row"][data-crew="${member.crew}"]`);
  const text = await row.textContent();
  assert(member.duties.length === 0 || text.includes(member.duties[0].report_local), `the crew row lacks the new duty in local time: ${text}`);
  assert(member.duties.length === 0 || /local \(UTC[+-]\d\d:\d\d\)/.test(text), `the new duty's zone is not shown: ${text}`);
  const crewRows = Number(await page.getByTestId('plan-gantt-crew').getAttribute('data-rows'));
  assert(crewRows === 2 * plan.crew_changes.length, `the crew before/after Gantt has ${crewRows} rows`);
}

await check('a planner runs recovery (2 replications, 2 s), reads what a plan changes, and may not accept it', async () => {
  const { context, page, errors } = await open('planner');
  await page.getByRole('link', { name: 'Recovery' }).click();
  // An aircraft on ground: the plan retimes legs of several tails and changes crew.
  const aogRun = await recover(page, 'aog-first-wave');
  const result = (await page.evaluate((run) => fetch(`/api/runs/${run}`).then((r) => r.json()), aogRun)).result;
  const star = result.recommended.policy === 'do-nothing' ? page.getByTestId('plan-row-do-nothing') : page.locator('[data-testid="plan-row"].recommended');
  assert((await star.textContent()).includes('recommended'), `the recommended row (${result.recommended.policy}) is not marked`);
  await page.getByTestId('plan-select').first().check();
  // What the plan changes: two rows (before, after) per touched tail and one row per crew member changed.
  await page.getByTestId('plan-changes').waitFor();
  const firstPlan = Number(await page.getByTestId('plan-row').first().getAttribute('data-plan-id'));
  const plans = await page.evaluate((run) => fetch(`/api/plans?run=${run}`).then((r) => r.json()), aogRun);
  const plan = plans.find((p) => p.id === firstPlan).plan;
  const touched = new Set(plan.actions.filter((a) => ['retime', 'knock_on_delay', 'cancel', 'tail_swap', 'ferry'].includes(a.kind)).flatMap((a) => a.tails.map((t) => t.split('/')[0])));
  const tailRows = Number(await page.getByTestId('plan-gantt-tails').getAttribute('data-rows'));
  assert(touched.size > 0, 'aog-first-wave touches no tail: the before/after Gantt is not exercised');
  assert(tailRows === 2 * touched.size, `the plan's tail Gantt has ${tailRows} rows for ${touched.size} touched tails`);
  // A tail swap keeps the legs' crew: the AOG plan may change no crew member; its crew rows match its changes.
  await crewChanges(page, plan);
  // Do nothing is a row with intervals, beside the plans.
  const nothing = await page.getByTestId('plan-row-do-nothing').textContent();
  assert(/\[[-0-9.,]+, [-0-9.,]+\]/.test(nothing), `do nothing shows no interval: ${nothing}`);
  await page.getByTestId('plan-changes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'recovery-plan-changes.png') });
  assert(await page.getByTestId('plan-accept').isDisabled(), 'a planner can press accept');
  assert(await page.getByTestId('plan-reject').isDisabled(), 'a planner can press reject');
  const why = await page.getByTestId('decision-why').textContent();
  assert(why.includes('Only a crew scheduler'), `no reason given: ${why}`);
  // And the server refuses it too, whatever the page shows.
  const planId = firstPlan;
  const csrf = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ucodts.session')).csrf);
  const res = await context.request.post(`${base}/api/plans/${planId}/decision`, {
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    data: { decision: 'accept', reason: 'a planner tries' },
  });
  assert(res.status() === 403, `a planner's accept answered ${res.status()}`);
  await screen(page, 'recovery-planner', errors);
  // A crew sickness wave: the plan the scheduler decides on next; its crew changes per member in local time.
  runId = await recover(page, 'jfk-crew-sickness-5pct');
  await page.getByTestId('plan-select').first().check();
  await page.getByTestId('plan-changes').waitFor();
  const sickPlanId = Number(await page.getByTestId('plan-row').first().getAttribute('data-plan-id'));
  const sickPlans = await page.evaluate((run) => fetch(`/api/plans?run=${run}`).then((r) => r.json()), runId);
  const sickPlan = sickPlans.find((p) => p.id === sickPlanId).plan;
  assert(sickPlan.crew_changes.length > 0, 'jfk-crew-sickness-5pct changes no crew member');
  await crewChanges(page, sickPlan);
  assert(errors.length === 0, errors.join('\n'));
  await context.close();
});

await check('a scheduler accepts a plan with a reason and finds it in the audit log', async () => {
  assert(runId, 'no recovery run from the step before');
  const { context, page, errors } = await open('scheduler');
  await page.goto(`${base}/recovery/?run=${runId}`);
  const row = page.getByTestId('plan-row').first();
  await row.waitFor();
  const planId = await row.getAttribute('data-plan-id');
  // By keyboard: the plan's radio button takes focus and Space selects it; Tab goes on to the reason.
  await row.getByTestId('plan-select').focus();
  await page.keyboard.press('Space');
  assert(await row.getByTestId('plan-select').isChecked(), 'Space does not select the plan');
  await page.getByTestId('plan-changes').waitFor();
  assert(await page.getByTestId('plan-accept').isDisabled(), 'accept is possible without a reason');
  await page.getByTestId('decision-reason').fill('legal, reserves called at JFK');
  await page.getByTestId('plan-accept').click();
  await page.getByTestId('decision-message').waitFor();
  const said = await page.getByTestId('decision-message').textContent();
  assert(said.includes('accepted'), `after accept: ${said}`);
  await page.getByText(/accepted by scheduler/).first().waitFor();
  // The recommended plan's schedule export, as the API serves it.
  const recommended = page.locator('[data-testid="plan-row"].recommended');
  assert((await recommended.count()) === 1, 'not exactly one recommended plan');
  await recommended.getByTestId('plan-select').check();
  const link = await page.getByTestId('plan-schedule-export').getAttribute('href');
  const csv = await context.request.get(`${base}${link}`);
  assert(csv.ok() && csv.headers()['content-type'].startsWith('text/csv'), `${link} answered ${csv.status()} ${csv.headers()['content-type']}`);
  assert((await csv.text()).split('\n')[0].includes(','), 'the schedule export has no CSV header');
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
  // Beside the incidents, the twin's alerts: every limit exceedance and every duty at KSS >= 7 of the day.
  await page.getByTestId('safety-alert').first().waitFor();
  const day = await page.evaluate(() => fetch('/api/dashboard/day').then((r) => r.json()));
  const byId = new Map(day.legs.map((l) => [l.id, l]));
  const flownOver = day.duties.filter((d) => {
    const l = byId.get(d.fdp_end_leg);
    return d.fdp_limit_min != null && l && l.status !== 'cancelled' && l.actual_in != null && l.actual_in - d.report > d.fdp_limit_min;
  }).length;
  const limits = day.duties.reduce((n, d) => n + d.violations.length, 0) + flownOver;
  const sleepy = day.duties.filter((d) => d.kss_peak != null && d.kss_peak >= day.kss_alert).length;
  const rows = await page.getByTestId('safety-alert').count();
  assert(rows === Math.min(300, limits + sleepy), `${rows} safety alert rows for ${limits} exceedances and ${sleepy} duties at KSS >= 7`);
  assert(sleepy > 0, 'no duty at KSS >= 7 on the busiest day: the check would not see a missing fatigue alert');
  await page.getByTestId('safety-kind').selectOption('fatigue');
  const kinds = await page.getByTestId('safety-alert').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  assert(kinds.length === Math.min(300, sleepy) && kinds.every((k) => k === 'fatigue'), `the fatigue filter shows ${kinds.length} rows`);
  await page.getByTestId('safety-kind').selectOption('all');
  await screen(page, 'safety', errors);
  await context.close();
});

await check('research: a viewer may not start a benchmark; a researcher runs the crew-recovery benchmark and reads its table', async () => {
  {
    const { context, page, errors } = await open('viewer');
    await page.getByRole('link', { name: 'Research' }).click();
    await page.getByTestId('bench-start').waitFor();
    assert(await page.getByTestId('bench-start').isDisabled(), 'a viewer can start a benchmark');
    assert(errors.length === 0, errors.join('\n'));
    await context.close();
  }
  const { context, page, errors } = await open('researcher');
  await page.getByRole('link', { name: 'Research' }).click();
  await page.getByTestId('bench-kind').selectOption('bench-crew');
  await page.getByTestId('bench-cases').fill('1');
  await page.getByTestId('bench-time-limit').fill('2');
  await page.getByTestId('bench-start').click();
  await page.getByTestId('bench-row').first().waitFor({ timeout: 180_000 });
  const runs = await page.evaluate(() => fetch('/api/runs?limit=100').then((r) => r.json()));
  const bench = runs.find((r) => r.kind === 'bench-crew' && r.status === 'done');
  assert(bench, 'no finished bench-crew run');
  const result = (await page.evaluate((id) => fetch(`/api/runs/${id}`).then((r) => r.json()), bench.id)).result;
  assert((await page.getByTestId('bench-row').count()) === result.length, `${await page.getByTestId('bench-row').count()} rows for ${result.length} results`);
  const policies = new Set(result.map((r) => r.policy));
  assert((await page.getByTestId('bench-summary').locator('tbody tr').count()) === policies.size, 'the summary has not one row per policy');
  await screen(page, 'research', errors);
  await context.close();
});

await check('live: feed events reaching the server show on the open operations screen, pushed, with the twin\'s forecast and its new alerts', async () => {
  const { context, page, errors } = await open('viewer');
  await page.getByTestId('live-status').waitFor();
  const before = Number(await page.getByTestId('live-status').getAttribute('data-events'));
  assert(before === 0, `events were fed before the live check: ${before}`);
  // One line per alert for the checks of each alert; the grouped list is checked after the second forecast.
  await page.getByTestId('alerts-view').selectOption('flat');
  const day = await page.evaluate(() => fetch('/api/dashboard/day').then((r) => r.json()));
  // The pilot duty closest to its flight duty period limit as scheduled; its last leg leaves late enough
  // to carry it past the limit: the screen must predict the exceedance.
  const legs = new Map(day.legs.map((l) => [l.id, l]));
  const flies = (l) => l && l.flight != null && l.tail && l.status !== 'cancelled';
  const duty = day.duties
    .filter((d) => d.fdp_limit_min != null && flies(legs.get(d.fdp_end_leg)))
    .map((d) => ({ d, slack: d.fdp_limit_min - (legs.get(d.fdp_end_leg).scheduled_in - d.report) }))
    .sort((a, b) => a.slack - b.slack)[0];
  assert(duty, 'no pilot duty with a limit on the busiest day');
  const leg = legs.get(duty.d.fdp_end_leg);
  const offB = leg.scheduled_out + duty.slack + 30;
  // First a leg about four hours before it, 90 minutes late off the gate: the twin flies it to arrive that
  // late in every run, so its forecast must hold that leg's long delay.
  const early = day.legs
    .filter((l) => flies(l) && l.id !== leg.id && l.scheduled_out + 90 < offB - 30)
    .sort((a, b) => Math.abs(offB - 240 - a.scheduled_out) - Math.abs(offB - 240 - b.scheduled_out) || a.id - b.id)[0];
  assert(early, `no leg leaves before ${isoMinute(offB)} to feed first`);
  const offA = early.scheduled_out + 90;
  const navigations = [];
  page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
  const feed = await feedPoster(browser, base);
  const iso = isoMinute;
  const departed = (seq, l, off) => ({
    seq,
    sent: iso(off),
    carrier: l.carrier,
    flight: l.flight,
    date: day.date,
    from: l.origin,
    to: l.destination,
    status: 'departed',
    registration: l.tail,
    // As an airline's feed sends a departure: the actual out and the in it now expects (the schedule
    // shifted by the delay); the twin lands the leg around that estimate.
    times: [
      { milestone: 'OFB', kind: 'ACT', at: iso(off) },
      { milestone: 'ONB', kind: 'EST', at: iso(l.scheduled_in + (off - l.scheduled_out)) },
    ],
  });
  const res = await feed.post([departed(1, early, offA)]);
  const sentAt = Date.now();
  assert(res.ok && res.answer.accepted === 1, `the feed refused the event: ${res.status} ${JSON.stringify(res.answer)}`);
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="live-status"]').getAttribute('data-events')) > n, before, { timeout: 15_000 });
  // Measured, not asserted (a loaded machine is slower): from the feed's answer to the screen showing it.
  console.log(`# live update on screen ${Date.now() - sentAt} ms after the feed's answer`);
  assert(navigations.length === 0, `the page navigated: ${navigations}`);
  const status = await page.getByTestId('live-status').textContent();
  assert(status.includes('live') && status.includes('1 feed event'), `the live status says: ${status}`);
  // "So far" is now the feed's: one leg reported, none arrived (whatever the record says of the day up to
  // the feed's clock), and the tile says so.
  const onTimeTileEl = page.getByTestId('kpi-on-time');
  assert((await onTimeTileEl.getAttribute('data-so-far-source')) === 'feed', 'the on-time tile does not count the feed\'s legs');
  const onTimeDetail = await onTimeTileEl.textContent();
  assert(onTimeDetail.includes('0 of 0 arrived so far (of 1 leg(s) the feed reported)') && (await onTimeTileEl.locator('.value').textContent()) === '–', `the on-time tile mixes the record in: ${onTimeDetail}`);
  assert((await onTimeTileEl.getByTestId('kpi-source').textContent()).includes('the live feed'), 'the on-time tile does not say the feed is its source');
  // The clock follows the feed: the now-line is at the event's send time.
  const clockAt = async (m) => {
    const clock = await page.locator('input[type=range]').getAttribute('aria-valuetext');
    assert(clock.includes(iso(m).replace('T', ' ')), `the clock says ${clock}, the feed ${iso(m)}`);
  };
  await clockAt(offA);
  // The rolling twin's forecast, pushed on GET /api/live/events: the KPI tiles give the rest of the day with
  // its interval, the alert list its predicted alerts with their probability and expected time, all new
  // (nothing was fed before the screen opened).
  const forecastNow = (t) => page.waitForFunction((want) => document.querySelector('[data-testid="live-status"]').getAttribute('data-forecast-now') === want, t, { timeout: 60_000 });
  await forecastNow(iso(offA));
  console.log(`# the twin's forecast on screen ${Date.now() - sentAt} ms after the feed's answer (20 runs, 100 ms debounce)`);
  const forecast = await page.evaluate(() => fetch('/api/live/forecast').then((r) => r.json()));
  assert(forecast.now === iso(offA), `the forecast is from ${forecast.now}`);
  const onTimeTile = await page.getByTestId('kpi-on-time').getByTestId('kpi-forecast-twin').textContent();
  const r = forecast.remaining;
  const pct = (x) => (100 * x).toFixed(1);
  assert(
    onTimeTile.includes(`the ${r.legs} legs still to arrive`) && onTimeTile.includes(`${pct(r.on_time_rate.mean)} % [${pct(r.on_time_rate.lower)}, ${pct(r.on_time_rate.upper)}]`),
    `the on-time tile does not show the twin's forecast ${JSON.stringify(r.on_time_rate)}: ${onTimeTile}`,
  );
  for (const id of ['kpi-cancelled', 'kpi-delay', 'kpi-crew']) assert((await page.getByTestId(id).getByTestId('kpi-forecast-twin').count()) === 1, `${id} has no twin forecast`);
  // The screen's identity of an alert from forecast to forecast (app/operations/page.tsx alertKey).
  const keyOf = (a) => `${a.kind}|${a.leg ?? ''}|${a.crew ?? ''}|${a.airport ?? ''}|${a.kind === 'airport_capacity' ? a.expected_at : ''}`;
  // The list holds 500 alerts at most (the day's fatigue alerts alone can fill it), 2,000 filtered: the
  // twin's are a filter.
  await page.getByTestId('alerts-filter').selectOption('twin');
  const twinShown = await page.locator('[data-testid="alert"][data-source="twin"]').count();
  assert(twinShown === Math.min(2000, forecast.alerts.length), `${twinShown} twin alerts listed for ${forecast.alerts.length} predicted`);
  console.log(`# first forecast: ${forecast.alerts.length} twin alerts`);
  const lateLeg = forecast.alerts.find((a) => a.kind === 'long_delay' && a.leg === early.id);
  assert(lateLeg && lateLeg.probability === 1, `the twin does not predict the long delay of the leg fed 90 min late: ${JSON.stringify(lateLeg)}`);
  const lateRow = page.locator(`[data-testid="alert"][data-source="twin"][data-key="${keyOf(lateLeg)}"]`);
  assert(
    (await lateRow.count()) === 1,
    `the long delay of the leg fed 90 min late (${keyOf(lateLeg)}) is not listed: ${JSON.stringify(await page.locator('[data-testid="alert"][data-source="twin"]').evaluateAll((els) => els.slice(0, 5).map((e) => [e.getAttribute('data-key'), e.textContent])))}`,
  );
  assert((await lateRow.getByTestId('alert-probability').textContent()).trim() === '100 %', 'its probability is not shown');
  const lateText = await lateRow.textContent();
  assert(/expected \d\d:\d\d [A-Z]{2,5}( [A-Z0-9]{3})? /.test(lateText), `no expected time with its zone: ${lateText}`);
  assert((await lateRow.getAttribute('data-new')) === 'true' && lateText.includes('NEW'), 'an alert of the first forecast is not marked new');
  assert((await page.locator('[data-testid="alert"][data-source="twin"][data-new="false"]').count()) === 0, 'an alert of the first forecast is not marked new');
  const keys1 = new Set(forecast.alerts.map(keyOf));
  // A second post: the FDP leg, late. The screen predicts its duty's exceedance at once; after the next
  // forecast what it adds is new, what it repeats (the first leg's long delay) is not.
  const res2 = await feed.post([departed(2, leg, offB)]);
  assert(res2.ok && res2.answer.accepted === 1, `the feed refused the second event: ${JSON.stringify(res2.answer)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]').getAttribute('data-events')) >= 2, null, { timeout: 15_000 });
  await clockAt(offB);
  await page.getByTestId('alerts-filter').selectOption('day');
  const predicted = page.locator('[data-testid="alert"][data-kind="predicted"]', { hasText: `crew ${duty.d.crew} ` });
  assert((await predicted.filter({ hasText: 'flight duty period expected' }).count()) >= 1, `no predicted FDP exceedance for ${duty.d.crew} after a ${duty.slack + 30} min delay`);
  await forecastNow(iso(offB));
  await page.getByTestId('alerts-filter').selectOption('twin');
  const marks = await page.locator('[data-testid="alert"][data-source="twin"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-new')]));
  const wrong = marks.filter(([k, n]) => (n === 'true') === keys1.has(k));
  assert(wrong.length === 0, `NEW marks wrong for ${wrong.length} of ${marks.length} twin alerts, e.g. ${JSON.stringify(wrong.slice(0, 3))}`);
  assert(marks.some(([k]) => k === keyOf(lateLeg)), 'the first leg\'s long delay is gone from the second forecast');
  console.log(`# second forecast: ${marks.length} twin alerts, ${marks.filter(([, n]) => n === 'true').length} new`);
  // The same alerts grouped by kind and place: every alert in exactly one group; each group's count, earliest
  // expected time, highest probability and NEW count are its members'; high first, then soonest.
  await page.getByTestId('alerts-view').selectOption('grouped');
  await page.getByTestId('alerts-expand-all').click();
  const readGroups = () =>
    page.getByTestId('alert-group').evaluateAll((els) =>
      els.map((g) => ({
        key: g.getAttribute('data-group'),
        count: Number(g.getAttribute('data-count')),
        earliest: Number(g.getAttribute('data-earliest')),
        max: g.getAttribute('data-max-probability'),
        fresh: Number(g.getAttribute('data-new')),
        severity: g.getAttribute('data-severity'),
        members: [...g.querySelectorAll('[data-testid="alert"]')].map((m) => ({ group: m.getAttribute('data-group'), at: Number(m.getAttribute('data-at')), p: Number(m.getAttribute('data-probability')), fresh: m.getAttribute('data-new') === 'true', key: m.getAttribute('data-key') })),
      })),
    );
  const groups = await readGroups();
  assert(groups.reduce((n, g) => n + g.count, 0) === marks.length, `the groups hold ${groups.reduce((n, g) => n + g.count, 0)} of ${marks.length} twin alerts`);
  assert(new Set(groups.map((g) => g.key)).size === groups.length, 'two groups with the same kind and place');
  const inGroups = groups.flatMap((g) => g.members.map((m) => m.key));
  assert(inGroups.length === marks.length && marks.every(([k]) => inGroups.includes(k)), 'an alert is in no group, or in two');
  for (const g of groups) {
    assert(g.members.length === g.count && g.members.every((m) => m.group === g.key), `group ${g.key} holds other members: ${g.members.length} for ${g.count}`);
    assert(g.earliest === Math.min(...g.members.map((m) => m.at)), `group ${g.key}: earliest ${g.earliest} is not its members' earliest`);
    assert(Number(g.max) === Math.max(...g.members.map((m) => m.p)), `group ${g.key}: highest probability ${g.max} is not its members'`);
    assert(g.fresh === g.members.filter((m) => m.fresh).length, `group ${g.key}: NEW count ${g.fresh} is not its members'`);
  }
  const sevRank = (g) => (g.severity === 'high' ? 0 : 1);
  for (let i = 1; i < groups.length; i++) {
    const [a, b] = [groups[i - 1], groups[i]];
    assert(sevRank(a) < sevRank(b) || (sevRank(a) === sevRank(b) && a.earliest <= b.earliest), `groups out of order: ${a.key} before ${b.key}`);
  }
  console.log(`# second forecast grouped: ${marks.length} twin alerts in ${groups.length} groups`);
  // The keyboard: Enter opens and closes a group, the arrow keys move to the next group's button.
  await page.getByRole('button', { name: 'Close all' }).click();
  const toggles = page.getByTestId('alert-group-toggle');
  if ((await toggles.count()) >= 2) {
    await toggles.first().focus();
    await page.keyboard.press('Enter');
    assert((await toggles.first().getAttribute('aria-expanded')) === 'true', 'Enter does not open a group');
    const firstMulti = groups.find((g) => g.count > 1);
    assert((await page.locator(`[data-testid="alert-group"][data-group="${firstMulti.key}"] [data-testid="alert"]`).count()) === firstMulti.count, 'the opened group does not list its members');
    await page.keyboard.press('ArrowDown');
    assert((await toggles.nth(1).evaluate((el) => el === document.activeElement)), 'ArrowDown does not move to the next group');
    await page.keyboard.press(' ');
    assert((await toggles.nth(1).getAttribute('aria-expanded')) === 'true', 'Space does not open a group');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    assert((await toggles.first().getAttribute('aria-expanded')) === 'false', 'Enter does not close a group');
  }
  // Filters apply before grouping: "new only" leaves groups of new alerts only.
  await page.getByTestId('alerts-filter').selectOption('new');
  const newGroups = await readGroups();
  assert(newGroups.every((g) => g.fresh === g.count), 'the "new only" filter leaves groups with alerts that are not new');
  assert(newGroups.length > 0 || !marks.some(([, n]) => n === 'true'), 'the "new only" filter leaves no group although some alerts are new');
  await page.getByTestId('alerts-view').selectOption('flat');
  await page.getByTestId('alerts-filter').selectOption('new');
  const shownNew = await page.getByTestId('alert').evaluateAll((els) => els.map((e) => e.getAttribute('data-new')));
  assert(shownNew.every((n) => n === 'true'), 'the "new only" filter shows alerts that are not new');
  await page.getByTestId('alerts-filter').selectOption('all');
  // The first leg arrives, late: the feed's one arrival is all the "so far" tiles count.
  const onA = Math.max(early.scheduled_in + 95, offA + 30);
  const res3 = await feed.post([{ ...departed(3, early, Math.max(onA, offB) + 1), status: 'arrived', times: [{ milestone: 'ONB', kind: 'ACT', at: iso(onA) }] }]);
  assert(res3.ok && res3.answer.accepted === 1, `the feed refused the arrival: ${JSON.stringify(res3.answer)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]').getAttribute('data-events')) >= 3, null, { timeout: 15_000 });
  const delay = onA - early.scheduled_in;
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-on-time"] .value').textContent === '0.0 %', null, { timeout: 15_000 });
  const arrivedText = await page.getByTestId('kpi-on-time').textContent();
  assert(arrivedText.includes('0 of 1 arrived so far (of 2 leg(s) the feed reported)'), `the on-time tile after the feed's one arrival: ${arrivedText}`);
  const delayValue = await page.getByTestId('kpi-delay').locator('.value').textContent();
  assert(delayValue === `${delay.toFixed(1)} min`, `mean delay ${delayValue}, the feed's one arrival was ${delay} min late`);
  assert((await page.getByTestId('kpi-on-time').getAttribute('data-forecast-source')) === 'twin', 'the forecast is not the rolling twin\'s');
  await page.getByTestId('alerts-view').selectOption('grouped');
  await screen(page, 'operations-live', errors);
  await feed.context.close();
  await context.close();
});

await check('live: a tail the feed takes out of service (AOG, maintenance) is a labelled block on the tail Gantt and an alert, grouped by tail', async () => {
  const { context, page, errors } = await open('viewer');
  // GET /api/live/state's tails carry `out_of_service: [{from, until, reason}]` once the feed has AOG and
  // maintenance events (live/src/state.rs TailView). Two blocks are laid into the answer here, after what
  // the server has of its own, so that the drawing is checked whether or not this server's feed has them.
  const day = await page.evaluate(() => fetch('/api/dashboard/day').then((r) => r.json()));
  const live = await page.evaluate(() => fetch('/api/live/state').then((r) => r.json()));
  assert(live.events_applied > 0 && live.now, 'the live check before fed nothing');
  const now = Date.parse(live.now);
  const sorted = day.tails.map((t) => t.tail).sort((a, b) => a.localeCompare(b));
  const aogTail = sorted[3];
  const mxTail = sorted[10];
  const blocks = {
    [aogTail]: { from: isoMinute(now / 60_000 - 90), until: null, reason: 'AOG: hydraulic leak' },
    [mxTail]: { from: isoMinute(now / 60_000 - 30), until: isoMinute(now / 60_000 + 150), reason: 'maintenance: brake change' },
  };
  await page.route('**/api/live/state', async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.tails = json.tails ?? [];
    for (const [tail, b] of Object.entries(blocks)) {
      let t = json.tails.find((x) => x.tail === tail);
      if (!t) json.tails.push((t = { tail, position: 'ground', airport: null }));
      t.out_of_service = [...(t.out_of_service ?? []), b];
    }
    await route.fulfill({ response, json });
  });
  await page.reload();
  const tails = page.getByTestId('gantt-tails');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="gantt-tails"]')?.getAttribute('data-out-of-service')) >= 2, null, { timeout: 15_000 });
  assert((await tails.locator('[role=img]').getAttribute('aria-label')).includes('out of service'), 'the tail Gantt does not say it draws blocks out of service');
  assert((await page.locator('.legend').first().textContent()).includes('out of service'), 'the legend has no out-of-service block');
  // Each an alert, grouped by tail: what (AOG, maintenance block) and the reason in words.
  for (const [tail, what] of [[aogTail, 'aircraft on ground (AOG)'], [mxTail, 'maintenance block']]) {
    const group = page.locator(`[data-testid="alert-group"][data-group="actual|${what}|tail ${tail}"]`);
    assert((await group.count()) === 1, `no ${what} alert for ${tail}`);
    assert((await group.textContent()).includes(blocks[tail].reason), `the ${what} alert does not give the reason: ${await group.textContent()}`);
  }
  // Hovering the block tells what it is, in words, with its times.
  const vp = tails.locator('.viewport');
  await tails.getByLabel('Find a row').fill(aogTail);
  await vp.scrollIntoViewIfNeeded();
  const geometry = await vp.evaluate((el) => ({ scroll: el.scrollTop, width: el.clientWidth }));
  const from = Number(await tails.getAttribute('data-from'));
  const to = Number(await tails.getAttribute('data-to'));
  const row = sorted.indexOf(aogTail);
  const t = Date.parse(blocks[aogTail].from) + 20 * 60_000;
  const box = await vp.boundingBox();
  const px = 104 + ((t - from) / (to - from)) * (Math.max(400, geometry.width) - 108);
  const py = 24 + row * 14 - geometry.scroll + 7;
  await page.mouse.move(box.x + px, box.y + py);
  const tip = await page.getByTestId('gantt-tails-tip').textContent();
  assert(tip.includes(aogTail) && tip.includes('OUT OF SERVICE (aircraft on ground)') && tip.includes('until further notice'), `the block's tooltip: ${tip}`);
  await page.mouse.move(0, 0);
  await screen(page, 'operations-out-of-service', errors);
  await context.close();
});

await check('users: the admin sees every user; the keyboard reaches the login form', async () => {
  const { context, page, errors } = await open('admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByTestId('user-row').first().waitFor();
  assert((await page.getByTestId('user-row').count()) === ROLES.length + 1, 'not every user listed (a user per role and the feed)');
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
