// Times are always shown with their zone: the local time of the airport (its IANA zone from the data set)
// with the zone's abbreviation, and UTC in the element's title (shown on hover).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** `14:05 EDT` (local of `zone`); with the date `2013-07-02 14:05 EDT`. */
export function local(ms: number, zone: string, withDate = false): string {
  if (!withDate) return formatter(zone, false).format(new Date(ms));
  const parts: Record<string, string> = {};
  for (const p of formatter(zone, true).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** `2013-07-03 18:05Z`. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

export const minuteMs = 60_000;
export const fromMinutes = (m: number) => m * minuteMs;
export const HOME_ZONE = 'America/New_York';
