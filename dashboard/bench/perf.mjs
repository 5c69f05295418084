// Measures the operations screen with the browser's performance API, against a real `ucodts serve` on
// loopback with the embedded default's busiest day (about 1,700 legs, 700+ tails):
//   - usable: from navigation start to the moment the KPI tiles, the tail Gantt and the crew Gantt are
//     drawn (the later of the Gantts' `…:drawn` marks), and the day's data arriving (`operations:data`);
//   - the tail Gantt's draw time (one full canvas draw of the rows in view) and a redraw when the now-line
//     moves (the view model rebuilt for 1,700 legs and the canvas drawn again).
// Run: cargo build --release -p ucodts && node dashboard/bench/perf.mjs target/release/ucodts [runs]
// Prints one line per run and the medians; numbers go into docs/guide/dashboard.md, not into a test.
import { launch, logIn, startServer } from '../tests/harness.mjs';

const binary = process.argv[2] ?? 'target/release/ucodts';
const runs = Number(process.argv[3] ?? 5);
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
  await page.goto(`${base}/operations/`);
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
await browser.close();
stop();
