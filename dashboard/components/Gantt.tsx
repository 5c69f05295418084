'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { local, utc } from '@/lib/time';

/** How a bar is drawn. The pattern and the tooltip's words carry the meaning too, not the colour alone. */
export type BarKind = 'ontime' | 'late' | 'verylate' | 'cancelled' | 'planned' | 'norecord' | 'maintenance' | 'duty' | 'airborne' | 'retimed' | 'moved' | 'fatigue' | 'outofservice';

export const BAR_STYLE: Record<BarKind, { fill: string; label: string; pattern?: 'hatch' | 'dots' | 'outline' | 'cross' }> = {
  ontime: { fill: '#4f9a5f', label: 'on time (≤15 min late)' },
  late: { fill: '#e0a030', label: '16–60 min late', pattern: 'dots' },
  verylate: { fill: '#c0392b', label: 'over 60 min late', pattern: 'hatch' },
  cancelled: { fill: '#9aa3ad', label: 'cancelled (crossed)', pattern: 'hatch' },
  planned: { fill: '#cfe0f3', label: 'not flown yet (outline)', pattern: 'outline' },
  norecord: { fill: '#ffffff', label: 'past, no recorded times (dashed)', pattern: 'outline' },
  airborne: { fill: '#5b8fd0', label: 'airborne now' },
  maintenance: { fill: '#6b4fa0', label: 'maintenance: due time (M) or A check block', pattern: 'dots' },
  duty: { fill: '#fbf6e9', label: 'duty period (report to release)', pattern: 'outline' },
  retimed: { fill: '#e0a030', label: 'retimed by the plan (dots, +min)', pattern: 'dots' },
  moved: { fill: '#5b8fd0', label: 'moved onto this tail by the plan (hatched)', pattern: 'hatch' },
  fatigue: { fill: '#c0392b', label: 'duty reaching KSS 7 (hatched)', pattern: 'hatch' },
  outofservice: { fill: '#3a3f47', label: 'out of service as reported: AOG or MX block (cross-hatched, framed)', pattern: 'cross' },
};

export interface GanttItem {
  start: number;
  end: number;
  kind: BarKind;
  /** Short text drawn on the bar when it fits. */
  text?: string;
  /** The tooltip's lines (UTC and local times spelled out), made when shown: formatting thousands of
   * times up front would cost more than drawing. */
  tip: () => string;
  /** Drawn inside the row's bar lane at half height (a crew member's legs inside the duty). */
  inner?: boolean;
}

export interface GanttRow {
  key: string;
  label: string;
  items: GanttItem[];
}

interface Props {
  testId: string;
  label: string;
  rows: GanttRow[];
  from: number;
  to: number;
  /** The now-line; `null` or NaN for none (a plan's before/after). */
  now: number | null;
  zone: string;
  rowHeight?: number;
  height?: number;
}

const HEADER = 24;
const LABEL_W = 104;

function patternOf(ctx: CanvasRenderingContext2D, kind: 'hatch' | 'dots' | 'cross', color: string) {
  const c = document.createElement('canvas');
  c.width = c.height = 6;
  const p = c.getContext('2d')!;
  p.fillStyle = color;
  p.fillRect(0, 0, 6, 6);
  p.strokeStyle = 'rgba(0,0,0,0.55)';
  p.fillStyle = 'rgba(0,0,0,0.5)';
  if (kind === 'hatch' || kind === 'cross') {
    if (kind === 'cross') p.strokeStyle = 'rgba(255,255,255,0.6)';
    p.beginPath();
    p.moveTo(0, 6);
    p.lineTo(6, 0);
    if (kind === 'cross') {
      p.moveTo(0, 0);
      p.lineTo(6, 6);
    }
    p.stroke();
  } else {
    p.fillRect(2, 2, 1.5, 1.5);
  }
  return ctx.createPattern(c, 'repeat')!;
}

/**
 * A Gantt chart on one canvas that draws only the rows in view (733 tails or thousands of duties stay
 * fast), with an hour axis in the zone's local time, a now-line, and a tooltip in local time and UTC.
 * Keyboard: the chart takes focus; arrows and Page keys scroll; the search box jumps to a row.
 */
export default function Gantt({ testId, label, rows, from, to, now, zone, rowHeight = 14, height = 420 }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const [find, setFind] = useState('');
  const drawn = useRef(false);
  const total = HEADER + rows.length * rowHeight;
  /** Blocks out of service drawn (the feed's AOG and maintenance), for the tests and assistive text. */
  const blocks = useMemo(() => rows.reduce((n, r) => n + r.items.filter((i) => i.kind === 'outofservice').length, 0), [rows]);
  const canvasHeight = Math.min(height, total);

  const draw = useCallback(() => {
    const el = canvas.current;
    const vp = viewport.current;
    if (!el || !vp) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== Math.round(width * dpr) || el.height !== Math.round(canvasHeight * dpr)) {
      el.width = Math.round(width * dpr);
      el.height = Math.round(canvasHeight * dpr);
      el.style.width = `${width}px`;
      el.style.height = `${canvasHeight}px`;
    }
    const ctx = el.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, canvasHeight);
    ctx.font = '11px system-ui, sans-serif';
    const span = Math.max(1, to - from);
    const plotW = width - LABEL_W - 4;
    const x = (t: number) => LABEL_W + ((t - from) / span) * plotW;
    const scroll = vp.scrollTop;
    const first = Math.max(0, Math.floor(scroll / rowHeight));
    const last = Math.min(rows.length, first + Math.ceil((canvasHeight - HEADER) / rowHeight) + 1);
    const patterns = new Map<string, CanvasPattern>();
    const fillFor = (kind: BarKind) => {
      const s = BAR_STYLE[kind];
      if (s.pattern === 'hatch' || s.pattern === 'dots' || s.pattern === 'cross') {
        const key = kind;
        if (!patterns.has(key)) patterns.set(key, patternOf(ctx, s.pattern, s.fill));
        return patterns.get(key)!;
      }
      return s.fill;
    };
    // hour lines
    ctx.strokeStyle = '#e3e8ee';
    const hour = 3_600_000;
    for (let t = Math.ceil(from / hour) * hour; t <= to; t += hour) {
      ctx.beginPath();
      ctx.moveTo(x(t), HEADER);
      ctx.lineTo(x(t), canvasHeight);
      ctx.stroke();
    }
    for (let r = first; r < last; r++) {
      const y = HEADER + (r - first) * rowHeight - (scroll % rowHeight);
      if (y + rowHeight < HEADER) continue;
      const row = rows[r];
      if (r % 2 === 1) {
        ctx.fillStyle = '#f6f8fa';
        ctx.fillRect(0, y, width, rowHeight);
      }
      ctx.fillStyle = '#1a1d21';
      ctx.fillText(row.label, 4, y + rowHeight - 3, LABEL_W - 8);
      for (const item of row.items) {
        const x0 = Math.max(LABEL_W, x(item.start));
        const x1 = Math.max(x0 + 2, x(item.end));
        const inset = item.inner ? rowHeight * 0.3 : 1.5;
        const h = rowHeight - 2 * inset;
        const s = BAR_STYLE[item.kind];
        if (s.pattern === 'outline') {
          ctx.fillStyle = s.fill;
          ctx.fillRect(x0, y + inset, x1 - x0, h);
          ctx.strokeStyle = item.kind === 'duty' ? '#6b5a2e' : '#41607f';
          if (item.kind === 'norecord') ctx.setLineDash([3, 2]);
          ctx.strokeRect(x0 + 0.5, y + inset + 0.5, x1 - x0 - 1, h - 1);
          ctx.setLineDash([]);
        } else {
          ctx.fillStyle = fillFor(item.kind);
          ctx.fillRect(x0, y + inset, x1 - x0, h);
        }
        if (item.kind === 'outofservice') {
          // Framed in black and labelled (AOG, MX) on a white tab, drawn over the legs it stops.
          ctx.strokeStyle = '#000';
          ctx.lineWidth = 2;
          ctx.strokeRect(x0 + 1, y + inset + 1, x1 - x0 - 2, h - 2);
          ctx.lineWidth = 1;
          if (item.text) {
            const w = ctx.measureText(item.text).width + 4;
            ctx.fillStyle = '#fff';
            ctx.fillRect(x0 + 2, y + inset + 1, Math.min(w, Math.max(0, x1 - x0 - 4)), h - 2);
            ctx.fillStyle = '#000';
            ctx.fillText(item.text, x0 + 4, y + rowHeight - 4, Math.max(0, x1 - x0 - 6));
          }
          continue;
        }
        if (item.kind === 'cancelled') {
          ctx.strokeStyle = '#222';
          ctx.beginPath();
          ctx.moveTo(x0, y + inset + h / 2);
          ctx.lineTo(x1, y + inset + h / 2);
          ctx.stroke();
        }
        if (item.text && x1 - x0 > item.text.length * 6 + 4) {
          ctx.fillStyle = item.kind === 'planned' || item.kind === 'duty' || item.kind === 'norecord' || item.kind === 'retimed' || item.kind === 'late' ? '#1a1d21' : '#fff';
          ctx.fillText(item.text, x0 + 2, y + rowHeight - 4);
        }
      }
    }
    // axis on top of the rows
    ctx.fillStyle = '#e8edf2';
    ctx.fillRect(0, 0, width, HEADER);
    ctx.fillStyle = '#1a1d21';
    // The zone's abbreviation (EDT) heads the label column; hours are local, every two hours.
    ctx.fillText(`time: ${local(from, zone).split(' ').pop()}`, 4, 15);
    // A label every 1, 2, 3, 6, 12 or 24 hours, whichever first leaves room for it (a day fits every two).
    const perHour = (plotW * hour) / span;
    const every = [1, 2, 3, 6, 12, 24].find((h) => h * perHour >= 40) ?? 24;
    for (let t = Math.ceil(from / hour) * hour; t <= to; t += hour) {
      const label = local(t, zone).slice(0, 5);
      if (Number(label.slice(0, 2)) % every !== 0) continue;
      if (x(t) - 14 > LABEL_W) ctx.fillText(label, x(t) - 14, 15);
    }
    // now-line
    if (now != null && now >= from && now <= to) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(x(now), HEADER - 6);
      ctx.lineTo(x(now), canvasHeight);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.lineWidth = 1;
      ctx.fillStyle = '#000';
      ctx.fillText('now', x(now) + 3, HEADER - 1);
    }
    const ms = performance.now() - t0;
    if (!drawn.current && rows.length) {
      drawn.current = true;
      const w = window as unknown as { __ucodtsPerf?: Record<string, number> };
      w.__ucodtsPerf = { ...(w.__ucodtsPerf ?? {}), [`${testId}:draw_ms`]: ms, [`${testId}:rows`]: rows.length };
      performance.mark(`${testId}:drawn`);
    }
  }, [rows, from, to, now, zone, width, canvasHeight, rowHeight, testId]);

  useEffect(() => {
    const vp = viewport.current;
    if (!vp) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(400, vp.clientWidth)));
    ro.observe(vp);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    draw();
  }, [draw]);

  const onScroll = () => requestAnimationFrame(draw);

  const hit = (e: React.MouseEvent) => {
    const vp = viewport.current!;
    const rect = vp.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    if (py < HEADER) return setTip(null);
    const r = Math.floor((py - HEADER + vp.scrollTop) / rowHeight);
    const row = rows[r];
    if (!row) return setTip(null);
    const t = from + ((px - LABEL_W) / (width - LABEL_W - 4)) * (to - from);
    const item = row.items.find((i) => i.start <= t && t <= i.end && !i.inner) ? row.items.filter((i) => i.start <= t && t <= i.end).pop() : undefined;
    setTip({ x: Math.min(px + 12, width - 260), y: py + 12, text: item ? `${row.label}\n${item.tip()}` : row.label });
  };

  const jump = (q: string) => {
    setFind(q);
    const i = rows.findIndex((r) => r.label.toLowerCase().includes(q.toLowerCase()));
    if (q && i >= 0 && viewport.current) viewport.current.scrollTop = i * rowHeight;
  };

  const onKey = (e: React.KeyboardEvent) => {
    const vp = viewport.current!;
    const page = canvasHeight - HEADER;
    const moves: Record<string, number> = { ArrowDown: rowHeight, ArrowUp: -rowHeight, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      vp.scrollTop += moves[e.key];
      e.preventDefault();
    } else if (e.key === 'Home') {
      vp.scrollTop = 0;
      e.preventDefault();
    } else if (e.key === 'End') {
      vp.scrollTop = total;
      e.preventDefault();
    }
  };

  return (
    <div className="gantt" data-testid={testId} data-rows={rows.length} data-from={from} data-to={to} data-out-of-service={blocks}>
      <div className="row" style={{ padding: '0.3rem' }}>
        <label>
          Find a row
          <input value={find} onChange={(e) => jump(e.target.value)} placeholder="N512UA" aria-controls={`${testId}-vp`} />
        </label>
        <span className="note">
          {rows.length} rows · times {zone} (UTC in the tooltip) · focus the chart and use ↑ ↓ PgUp PgDn Home End
        </span>
      </div>
      <div
        id={`${testId}-vp`}
        ref={viewport}
        className="viewport"
        style={{ height: canvasHeight }}
        tabIndex={0}
        role="img"
        aria-label={`${label}: ${rows.length} rows from ${local(from, zone, true)} to ${local(to, zone, true)}${blocks ? `; ${blocks} block(s) out of service (AOG or maintenance)` : ''}${now != null && Number.isFinite(now) ? `; the now-line at ${local(now, zone)} (${utc(now)})` : ''}`}
        onScroll={onScroll}
        onKeyDown={onKey}
        onMouseMove={hit}
        onMouseLeave={() => setTip(null)}
      >
        <canvas ref={canvas} />
        <div style={{ height: Math.max(0, total - canvasHeight) }} />
      </div>
      {tip && (
        <div className="tip" data-testid={`${testId}-tip`} style={{ left: tip.x, top: tip.y + 40 }}>
          {tip.text}
        </div>
      )}
    </div>
  );
}

export function Legend({ kinds }: { kinds: BarKind[] }) {
  return (
    <div className="legend" aria-label="Legend">
      {kinds.map((k) => (
        <span
          key={k}
          style={
            {
              '--sw': BAR_STYLE[k].fill,
              '--pat':
                BAR_STYLE[k].pattern === 'hatch'
                  ? 'repeating-linear-gradient(135deg, transparent 0 3px, rgba(0,0,0,.5) 3px 4px)'
                  : BAR_STYLE[k].pattern === 'dots'
                    ? 'radial-gradient(rgba(0,0,0,.5) 1px, transparent 1.5px)'
                    : BAR_STYLE[k].pattern === 'cross'
                      ? 'repeating-linear-gradient(45deg, transparent 0 3px, rgba(255,255,255,.6) 3px 4px), repeating-linear-gradient(135deg, transparent 0 3px, rgba(255,255,255,.6) 3px 4px)'
                      : 'none',
            } as React.CSSProperties
          }
        >
          {BAR_STYLE[k].label}
        </span>
      ))}
    </div>
  );
}
