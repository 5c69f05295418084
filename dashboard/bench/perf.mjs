// Measures the operations screen with the browser's performance API, against a real `ucodts serve` on
// loopback with the embedded default's busiest day (about 1,700 legs, 700+ tails):
//   - usable: from navigation start to the moment the KPI tiles, the tail Gantt and the crew Gantt are
//     drawn (the later of the Gantts' `…:drawn` marks), and the day's data arriving (`operations:data`);
//   - the tail Gantt's draw time (one full canvas draw of the rows in view) and a redraw when the now-line
//     moves (the view model rebuilt for 1,700 legs and the canvas drawn again);
//   - a live update: a feed event posted (as the feed user) while the screen is open, from the moment the
//     post is sent (the event reaches the server within it) to the screen showing it (the live line's event
//     count changed, seen by a MutationObserver in the page; both clocks are this machine's wall clock),
//     and to the rolling twin's forecast of the new state on the KPI tiles (the server's defaults: 100 runs,
//     a 2 s debounce).
// Run: cargo build --release -p ucodts && node dashboard/bench/perf.mjs target/release/ucodts [runs] [date]
// (date: 2013-07-02 by default, the day of the goals: 1,710 legs flown by 733 tails).
// Prints one line per run and the medians; numbers go into docs/benchmarks.md, not into a test.
import { feedPoster, isoMinute, launch, logIn, startServer } from '../tests/harness.mjs';

const binary = process.argv[2] ?? 'target/release/ucodts';
const runs = Number(process.argv[3] ?? 5);
const date = process.argv[4] ?? '2013-07-02';
const screen = `/operations/?date=${date}`;
const { base, stop } = await startServer(binary);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const page = await context.newPage();
await logIn(page, base, 'viewer');
await page.getByTestId('gantt-tails').waitFor();
await page.waitForFunction(() => performance.getEntriesByName('gantt-crew:drawn').length > 0, null, { timeout: 60_000 });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (let i = 0; i < runs; i++) {
  await page.goto(`${base}${screen}`);
  await page.waitForFunction(() => performance.getEntriesByName('gantt-crew:drawn').length > 0 && performance.getEntriesByName('gantt-tails:drawn').length > 0, null, {
    timeout: 60_000,
  });
  const m = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    const perf = window.__ucodtsPerf ?? {};
    return {
      data_ms: at('operations:data'),
      usable_ms: Math.max(at('gantt-tails:drawn'), at('gantt-crew:drawn')),
      tail_draw_ms: perf['gantt-tails:draw_ms'],
      tail_rows: perf['gantt-tails:rows'],
      crew_rows: perf['gantt-crew:rows'],
      legs: perf['operations:legs'],
      model_ms: perf['operations:model_ms'],
    };
  });
  // Move the now-line by an hour: the view is rebuilt and both Gantts drawn again.
  const slider = page.locator('input[type=range]');
  const t0 = await page.evaluate(() => performance.now());
  await slider.focus();
  for (let k = 0; k < 12; k++) await page.keyboard.press('ArrowRight');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  m.now_move_ms = (await page.evaluate(() => performance.now())) - t0;
  rows.push(m);
  console.log(JSON.stringify(m));
}
const keys = ['data_ms', 'usable_ms', 'tail_draw_ms', 'model_ms', 'now_move_ms'];
const med = Object.fromEntries(keys.map((k) => [k, Math.round(median(rows.map((r) => r[k])) * 10) / 10]));
console.log(
  `median of ${runs}: ${rows[0].legs} legs, ${rows[0].tail_rows} tails, ${rows[0].crew_rows} crew duties; data ${med.data_ms} ms, usable ${med.usable_ms} ms after navigation (goal < 2000), ` +
    `tail Gantt draw ${med.tail_draw_ms} ms (goal < 500), view model ${med.model_ms} ms, now-line moved by an hour (12 key presses) ${med.now_move_ms} ms`,
);

// Live: departures of the day's legs, one event per post, in the order they left.
await page.goto(`${base}${screen}`);
await page.waitForFunction(() => performance.getEntriesByName('gantt-tails:drawn').length > 0, null, { timeout: 60_000 });
const day = await page.evaluate((d) => fetch(`/api/dashboard/day?date=${d}`).then((r) => r.json()), date);
const legs = day.legs.filter((l) => l.flight != null && l.tail && l.status !== 'cancelled').sort((a, b) => a.scheduled_out - b.scheduled_out || a.id - b.id);
const feed = await feedPoster(browser, base);
await page.evaluate(() => {
  const el = document.querySelector('[data-testid="live-status"]');
  window.__liveSeen = [];
  new MutationObserver(() => window.__liveSeen.push([Number(el.getAttribute('data-events')), performance.timeOrigin + performance.now()])).observe(el, {
    attributes: true,
    attributeFilter: ['data-events'],
  });
});
const live = [];
for (let i = 0; i < runs; i++) {
  const l = legs[Math.floor(((i + 1) * legs.length) / (runs + 2))];
  const at = isoMinute(l.scheduled_out + 7);
  const event = { seq: i + 1, sent: at, carrier: l.carrier, flight: l.flight, date: day.date, from: l.origin, to: l.destination, status: 'departed', registration: l.tail, times: [{ milestone: 'OFB', kind: 'ACT', at }] };
  const sent = Date.now();
  const res = await feed.post([event]);
  const answered = Date.now();
  if (!res.ok || res.answer.accepted !== 1) throw new Error(`the feed refused event ${i + 1}: ${JSON.stringify(res.answer)}`);
  await page.waitForFunction((n) => window.__liveSeen.some(([e]) => e >= n), i + 1, { timeout: 30_000 });
  const shown = await page.evaluate((n) => window.__liveSeen.find(([e]) => e >= n)[1], i + 1);
  await page.waitForFunction((want) => document.querySelector('[data-testid="live-status"]').getAttribute('data-forecast-now') === want, at, { timeout: 120_000 });
  const forecastShown = Date.now();
  const m = { post_answer_ms: answered - sent, live_update_ms: shown - sent, live_update_after_answer_ms: shown - answered, twin_forecast_ms: forecastShown - sent };
  live.push(m);
  console.log(JSON.stringify(m));
}
const lk = ['post_answer_ms', 'live_update_ms', 'live_update_after_answer_ms', 'twin_forecast_ms'];
const lm = Object.fromEntries(lk.map((k) => [k, Math.round(median(live.map((r) => r[k])))]));
console.log(
  `live, median of ${runs}: a feed event shown ${lm.live_update_ms} ms after its post was sent (goal < 1000; the post answered in ${lm.post_answer_ms} ms, ` +
    `${lm.live_update_after_answer_ms} ms after the answer); the twin's forecast of the new state on the tiles ${lm.twin_forecast_ms} ms after the post (2 s debounce, 100 runs)`,
);
await feed.context.close();
await browser.close();
stop();
