/**
 * A wall-clock day and time in the hospital's time zone as an instant (the family picks "Tuesday 9:00" at the
 * clinic, wherever their device is). Pure; undefined for an unreadable day or time.
 */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

export function zonedInstant(date: string, time: string, timeZone: string): Date | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (d === null || t === null) return undefined;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // Date.UTC rolls over (month 13, 25:00): only a real calendar day and time of day is accepted.
  const check = new Date(wall);
  if (!Number.isFinite(wall) || check.getUTCMonth() !== Number(d[2]) - 1 || check.getUTCDate() !== Number(d[3]) || check.getUTCHours() !== Number(t[1]) || check.getUTCMinutes() !== Number(t[2])) return undefined;
  try {
    // Two passes settle the offset across a daylight-saving change.
    let guess = wall - offsetMs(wall, timeZone);
    guess = wall - offsetMs(guess, timeZone);
    return new Date(guess);
  } catch {
    return undefined;
  }
}
