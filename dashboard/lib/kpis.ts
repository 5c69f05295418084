// What a simulate run's result holds (`ucodts simulate --scenario --json`; workflows/src/twin.rs):
// per KPI the undisrupted baseline, the scenario, and their paired difference with its 95 % interval.

export interface ScenarioKpi {
  name: string;
  baseline: number;
  scenario: number;
  difference: { mean: number; ci95: [number, number] | null };
}

export interface ScenarioResult {
  scenario: string;
  file: string;
  from: string;
  to: string;
  replications: number;
  seed: number;
  kpis: ScenarioKpi[];
}

export function forecastOf(result: unknown): ScenarioResult | null {
  const r = result as ScenarioResult | null;
  return r && Array.isArray(r.kpis) ? r : null;
}

/** `12.3 [10.1, 14.5]` */
export function withInterval(mean: number, ci: [number, number] | null | undefined, digits = 1): string {
  return ci ? `${mean.toFixed(digits)} [${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]` : mean.toFixed(digits);
}

export const KPI_WORDS: Record<string, string> = {
  on_time_rate: 'on-time rate',
  mean_arrival_delay_min: 'mean arrival delay (min)',
  p90_arrival_delay_min: 'p90 arrival delay (min)',
  mean_departure_delay_min: 'mean departure delay (min)',
  flown_legs: 'legs flown',
  cancelled_legs: 'legs cancelled',
  cancelled_by_operations: 'cancelled by operations control',
  duty_limit_alerts: 'duty limit alerts',
  reserve_callouts: 'reserves called',
  crew_rest_shortfalls: 'crew rest shortfalls',
  holds_for_reserve: 'holds for a reserve',
  aircraft_block_hours_per_day: 'aircraft block hours per day',
};
