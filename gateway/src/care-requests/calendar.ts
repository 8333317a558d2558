/**
 * "Add to calendar", pure: an iCalendar (RFC 5545) file for booked appointments. It says when, for whom (the first
 * name only) and where to look — never why: no reason, diagnosis, clinic, clinician or notes, because a calendar is
 * shared and synced far beyond the portal.
 */
import type { Appointment } from 'fhir/r4';

export interface CalendarEvent {
  readonly uid: string;
  readonly start: string;
  readonly end: string | undefined;
  readonly firstName: string;
  readonly updated: string | undefined;
}

/** Booked (or arrived/checked-in) appointments with a start: the ones a calendar should hold. */
export function calendarEventOf(appointment: Appointment, firstName: string, host: string): CalendarEvent | undefined {
  if (!['booked', 'arrived', 'checked-in'].includes(appointment.status) || appointment.start === undefined || appointment.id === undefined) return undefined;
  if (!Number.isFinite(Date.parse(appointment.start))) return undefined;
  return { uid: `appointment-${appointment.id}@${host}`, start: appointment.start, end: appointment.end, firstName, updated: appointment.meta?.lastUpdated };
}

const stamp = (iso: string): string => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
/** TEXT escaping (RFC 5545 3.3.11) and no control characters. */
const text = (value: string): string => value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/([\\;,])/g, '\\$1');

/** Lines longer than 75 octets are folded (RFC 5545 3.1). */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = ` ${rest.slice(cut)}`;
  }
  out.push(rest);
  return out.join('\r\n');
}

export function icsCalendar(events: readonly CalendarEvent[], options: { name: string; summary: (firstName: string) => string; link: string; now: number }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sprout//Family portal//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${text(options.name)}`];
  for (const event of events) {
    const end = event.end !== undefined && Number.isFinite(Date.parse(event.end)) ? event.end : new Date(Date.parse(event.start) + 30 * 60_000).toISOString();
    lines.push(
      'BEGIN:VEVENT',
      `UID:${text(event.uid)}`,
      `DTSTAMP:${stamp(event.updated ?? new Date(options.now).toISOString())}`,
      `DTSTART:${stamp(event.start)}`,
      `DTEND:${stamp(end)}`,
      `SUMMARY:${text(options.summary(event.firstName))}`,
      `DESCRIPTION:${text(`Details in Sprout: ${options.link}`)}`,
      `URL:${text(options.link)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
