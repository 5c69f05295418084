// The operations service's API as the dashboard calls it: same origin, the session cookie the server set
// at login (HttpOnly: the page never sees it), and the CSRF token login returned, sent back in
// X-CSRF-Token on every request that changes state.

export type Role = 'viewer' | 'planner' | 'scheduler' | 'researcher' | 'feed' | 'admin';

export interface Session {
  name: string;
  role: Role;
  csrf: string | null;
}

const KEY = 'ucodts.session';

export function savedSession(): Session | null {
  if (typeof window === 'undefined') return null;
  try {
    const text = window.sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null) {
  if (s) window.sessionStorage.setItem(KEY, JSON.stringify(s));
  else window.sessionStorage.removeItem(KEY);
}

/** An answer other than 2xx, with the server's words and the field it names. */
export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public field?: string,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let field: string | undefined;
  try {
    const body = await res.json();
    if (body && typeof body.error === 'string') message = body.error;
    if (body && typeof body.field === 'string') field = body.field;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, message, field);
}

export async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** GET that answers null on 404 (a route that may not exist yet, or nothing there). */
export async function getOrNull<T>(path: string): Promise<T | null> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const csrf = savedSession()?.csrf;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function login(name: string, password: string): Promise<Session> {
  const res = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (!res.ok) throw await errorOf(res);
  const body = (await res.json()) as { name: string; role: Role; csrf_token: string };
  const session = { name: body.name, role: body.role, csrf: body.csrf_token };
  saveSession(session);
  return session;
}

export async function logout() {
  try {
    await send('POST', '/api/logout');
  } finally {
    saveSession(null);
  }
}

// The shapes the screens read (server/src/api/*.rs).

export interface Interval {
  mean: number;
  lower: number;
  upper: number;
}

export interface ProgressState {
  stage: string;
  step: number;
  steps: number | null;
  notes: string[];
}

export interface RunView<R = unknown> {
  id: number;
  kind: 'recover' | 'simulate' | 'bench-crew' | 'bench-roadef';
  status: 'queued' | 'running' | 'done' | 'failed';
  request: Record<string, unknown>;
  progress: ProgressState | null;
  result: R | null;
  error: string | null;
  created_by: string;
  created: string;
  started: string | null;
  finished: string | null;
}

export interface ScenarioView {
  name: string;
  description: string;
  disruptions: string[];
  source: 'library' | 'user';
  created_by?: string;
  created?: string;
}

export interface DecisionView {
  decision: 'accept' | 'reject';
  reason: string;
  decided_by: string;
  decided: string;
}

export interface PlanView {
  id: number;
  run: number;
  rank: number;
  policy: string;
  recommended: boolean;
  decision: DecisionView | null;
  plan: Record<string, any>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  object: string;
  content_hash: string;
  prev_hash: string;
  hash: string;
}

export interface IncidentView {
  id: number;
  category: string;
  flight: string | null;
  tail: string | null;
  crew: string | null;
  narrative: string;
  reported_by: string;
  reported: string;
}

export interface UserView {
  id: number;
  name: string;
  role: Role;
  created: string;
}

export interface DayLeg {
  id: number;
  carrier: string;
  flight: number | null;
  tail: string | null;
  origin: string;
  destination: string;
  scheduled_out: number;
  scheduled_in: number;
  actual_out: number | null;
  actual_in: number | null;
  status: string;
}

export interface Day {
  data_set: string;
  date: string;
  days: string[];
  airports: { code: string; name: string; latitude: number; longitude: number; time_zone: string }[];
  tails: { tail: string; type_code: string; carrier: string; base: string; maintenance_due: number | null }[];
  legs: DayLeg[];
  duties: DayDuty[];
  /** The rule set the duties' violations are checked against (its title). Older servers: absent. */
  rule_set?: string;
  /** The KSS at which a duty is a fatigue alert (7). */
  kss_alert?: number;
}

export interface DutyViolation {
  kind: string;
  rule: string;
  limit_min: number;
  actual_min: number;
  text: string;
}

export interface DayDuty {
  crew: string;
  rank: string;
  base: string;
  report: number;
  release: number;
  legs: number[];
  /** Peak KSS of the fatigue forecast in the duty (1 alert to 9 sleepy). */
  kss_peak?: number | null;
  /** When the forecast first reaches `kss_alert`, minutes since 1970 UTC. */
  kss_alert_from?: number | null;
  violations?: DutyViolation[];
  /** The planning limit of the duty's flight duty period (minutes) and its table cell in words. */
  fdp_limit_min?: number | null;
  fdp_limit_cell?: string | null;
  /** The last operating leg: its arrival ends the flight duty period. */
  fdp_end_leg?: number | null;
}

/** Follows a run's server-sent events until it is done or failed; returns a function that stops. */
export function followRun(
  id: number,
  onProgress: (p: ProgressState) => void,
  onEnd: (status: 'done' | 'failed', error?: string) => void,
): () => void {
  const source = new EventSource(`/api/runs/${id}/events`, { withCredentials: true });
  let ended = false;
  const end = (status: 'done' | 'failed', error?: string) => {
    if (ended) return;
    ended = true;
    source.close();
    onEnd(status, error);
  };
  source.addEventListener('progress', (e) => {
    try {
      onProgress(JSON.parse((e as MessageEvent).data));
    } catch {
      /* a malformed event is skipped */
    }
  });
  source.addEventListener('done', () => end('done'));
  source.addEventListener('failed', (e) => {
    let error: string | undefined;
    try {
      error = JSON.parse((e as MessageEvent).data).error ?? undefined;
    } catch {
      /* keep going */
    }
    end('failed', error);
  });
  // The stream ends after its last event; the browser then reports an error and would reconnect.
  source.onerror = () => {
    if (ended) return;
    source.close();
    get<RunView>(`/api/runs/${id}`)
      .then((run) => {
        if (run.status === 'done' || run.status === 'failed') end(run.status, run.error ?? undefined);
        else setTimeout(() => !ended && (ended = true, followRun(id, onProgress, onEnd)), 1000);
      })
      .catch(() => end('failed', 'lost the connection to the server'));
  };
  return () => {
    ended = true;
    source.close();
  };
}

/** GET /api/live/state (live/src/state.rs `Snapshot`): what the feed has told the server. */
export interface LiveSnapshot {
  now: string | null;
  events_applied: number;
  duplicates: number;
  legs: {
    leg: number;
    flight: string;
    /** `YYYY-MM-DDTHH:MMZ` */
    scheduled_out: string;
    scheduled_in?: string;
    status: string;
    registration: string | null;
    off_block: { kind: string; at: string } | null;
    on_block: { kind: string; at: string } | null;
  }[];
  /** Where each tail the feed moved is (live/src/state.rs `TailView`). */
  tails?: LiveTail[];
  /** The crew of the legs the feed reported, on their current duty (live/src/state.rs `CrewDuty`). */
  crew?: {
    crew: string;
    duty_report: string;
    duty_so_far_min: number;
    block_so_far_min: number;
    legs_flown: number;
    rostered_release: string;
    expected_release: string;
    expected_duty_min: number;
  }[];
}

/** A tail as the feed last placed it, and when the feed took it out of service (an AOG, a maintenance
 * block); `out_of_service` is absent from servers whose feed carries no such event. */
export interface LiveTail {
  tail: string;
  position?: string;
  airport?: string | null;
  leg?: number;
  since?: string;
  out_of_service?: OutOfService[] | null;
}

/** A block out of service: from, until (`null` or absent: until further notice), and why in the feed's
 * words (`aog`, `maintenance`, or free text). */
export interface OutOfService {
  from: string;
  until?: string | null;
  reason?: string | null;
}

/** `2013-07-02T14:05Z` -> minutes since 1970 UTC (the day's unit). */
export const minutesOf = (iso: string) => Math.round(Date.parse(iso) / 60_000);

/** A mean over the twin's replications with its 95 % interval (stats `Interval`). */
export interface Estimate {
  mean: number;
  lower: number;
  upper: number;
}

/** The `forecast` server-sent event of GET /api/live/events: the rolling twin's forecast of the rest of
 * the feed's day, without its legs (workflows/src/forecast.rs `Forecast`). */
export interface LiveForecast {
  day: string;
  now: string;
  replications: number;
  seed: number;
  so_far: { legs: number; arrived: number; airborne: number; cancelled: number; diverted: number; overdue: number };
  remaining: {
    legs: number;
    airborne: number;
    on_time_rate: Estimate | null;
    cancelled: Estimate | null;
    mean_arrival_delay_min: Estimate | null;
  };
  /** How many alerts the forecast predicts. */
  alerts: number;
}

/** One alert of the rolling twin (`predicted`, with the share of replications that show it) or of the
 * feed (`actual`). */
export interface LiveAlert {
  source: 'predicted' | 'actual';
  /** `crew_duty_limit` (past the limit and the 117.19 extension), `crew_duty_extension` (within the extension), `curfew`, `airport_capacity`, `long_delay`; actual: `long_delay`, `cancelled`. */
  kind: string;
  raised_at: string;
  expected_at: string;
  probability: number;
  leg: number | null;
  flight: string | null;
  crew: string | null;
  airport: string | null;
  detail: string;
}

export interface LiveHandlers {
  /** The stream's first `state` event: how many feed events the server had applied when it opened. */
  onConnect?: (eventsApplied: number) => void;
  /** The live state, read again after each `state` event (coalesced: one read at a time). */
  onState: (s: LiveSnapshot) => void;
  onForecast: (f: LiveForecast) => void;
  onAlerts: (a: { now: string | null; alerts: LiveAlert[] }) => void;
}

/**
 * Follows the live operation as the server pushes it: server-sent events from GET /api/live/events
 * (`state` after every feed post that applied events, `forecast` and `alerts` after every re-run of the
 * rolling twin). A `state` event is followed by one read of GET /api/live/state (the legs the feed
 * reported); events that arrive while a read is under way are folded into one more read. No polling.
 * Returns a function that stops.
 */
export function followLive(on: LiveHandlers): () => void {
  let stopped = false;
  let reading = false;
  let again = false;
  const read = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    getOrNull<LiveSnapshot>('/api/live/state')
      .then((s) => {
        if (s && !stopped) on.onState(s);
      })
      .catch(() => undefined)
      .finally(() => {
        reading = false;
        if (again && !stopped) {
          again = false;
          read();
        }
      });
  };
  const parse = <T,>(e: Event): T | null => {
    try {
      return JSON.parse((e as MessageEvent).data) as T;
    } catch {
      return null;
    }
  };
  const source = new EventSource('/api/live/events', { withCredentials: true });
  let connected = false;
  source.addEventListener('open', () => (connected = false));
  source.addEventListener('state', (e) => {
    performance.mark('live:state-event');
    const s = parse<{ events_applied: number }>(e);
    if (!s) return;
    if (!connected) {
      connected = true;
      on.onConnect?.(s.events_applied);
    }
    if (s.events_applied > 0) read();
  });
  source.addEventListener('forecast', (e) => {
    const f = parse<LiveForecast>(e);
    if (f && !stopped) on.onForecast(f);
  });
  source.addEventListener('alerts', (e) => {
    const a = parse<{ now: string | null; alerts: LiveAlert[] }>(e);
    if (a && !stopped) on.onAlerts(a);
  });
  return () => {
    stopped = true;
    source.close();
  };
}

/** GET /api/dashboard/maintenance (server/src/api/dashboard.rs `DayMaintenance`). */
export interface TailMaintenance {
  tail: string;
  family: string;
  /** `null`: the removal hazard has no prediction for the tail on the day (`reason` says why). */
  probability: number | null;
  relative_risk: number | null;
  twin_breakdown_probability: number | null;
  reason: string;
  a_check_due_in_days: number;
  a_check_limiting: string;
  a_check_interval: string;
  a_check_airport: string;
  a_check_from: string;
  a_check_to: string;
}

export interface DayMaintenance {
  date: string;
  unavailable: string | null;
  note: string;
  base_rate: number | null;
  skill: string | null;
  expected_removals: number;
  tails_without_prediction: number;
  tails: TailMaintenance[];
}
