import type { Appointment } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { R5_VIRTUAL_SERVICE_EXTENSION, mapAppointments, virtualVisitUrl } from '../../../fhir-mappings/src/index.ts';

const AS_OF = '2026-11-22T18:00:00Z';
const appt = (id: string, start: string | undefined, extra: Partial<Appointment> = {}): Appointment => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  participant: [],
  ...(start !== undefined && { start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString() }),
  ...extra,
});

describe('mapAppointments', () => {
  it('splits upcoming (soonest first) from past (latest first) at asOf; a visit in progress is upcoming', () => {
    const lists = mapAppointments(
      [
        appt('next-month', '2026-12-20T17:00:00Z'),
        appt('tomorrow', '2026-11-23T17:00:00Z'),
        appt('in-progress', '2026-11-22T17:45:00Z'),
        appt('last-week', '2026-11-15T17:00:00Z', { status: 'fulfilled' }),
        appt('last-year', '2025-11-15T17:00:00Z', { status: 'fulfilled' }),
        appt('proposed-undated', undefined, { status: 'proposed' }),
        appt('cancelled-undated', undefined, { status: 'cancelled' }),
        appt('err', '2026-12-01T17:00:00Z', { status: 'entered-in-error' }),
      ],
      new Date(AS_OF),
    );
    expect(lists.upcoming.map((a) => a.id)).toEqual(['in-progress', 'tomorrow', 'next-month', 'proposed-undated']);
    expect(lists.past.map((a) => a.id)).toEqual(['last-week', 'last-year', 'cancelled-undated']);
  });

  it('maps time, location, practitioners, service type and description', () => {
    const [a] = mapAppointments(
      [
        appt('a', '2026-12-01T17:00:00Z', {
          serviceType: [{ text: 'Pediatric cardiology' }],
          description: 'Follow-up echo',
          minutesDuration: 30,
          patientInstruction: 'Arrive 15 minutes early',
          participant: [
            { actor: { reference: 'Patient/p1', display: 'Lucía García' }, status: 'accepted' },
            { actor: { reference: 'Practitioner/d1', display: 'Dr. Ana Soto' }, status: 'accepted' },
            { actor: { reference: 'Location/l1', display: 'Heart Center, 2nd floor' }, status: 'accepted' },
            { actor: { type: 'RelatedPerson', display: 'Mom' }, status: 'accepted' },
          ],
        }),
      ],
      AS_OF,
    ).upcoming;
    expect(a).toEqual({
      key: 'Appointment/a',
      id: 'a',
      status: 'booked',
      start: '2026-12-01T17:00:00Z',
      end: '2026-12-01T17:30:00.000Z',
      minutesDuration: 30,
      label: { kind: 'text', text: 'Pediatric cardiology' },
      description: 'Follow-up echo',
      serviceTypes: [{ kind: 'text', text: 'Pediatric cardiology' }],
      reasons: [],
      locations: ['Heart Center, 2nd floor'],
      practitioners: ['Dr. Ana Soto'],
      patientInstruction: 'Arrive 15 minutes early',
    });
  });

  it('takes a join URL only from the documented extensions, and only http(s)', () => {
    const r5 = (address: object): Appointment => appt('v', '2026-12-01T17:00:00Z', { extension: [{ url: R5_VIRTUAL_SERVICE_EXTENSION, extension: [{ url: 'channelType', valueCoding: { code: 'zoom' } }, { url: 'addressUrl', ...address }] }] });
    expect(virtualVisitUrl(r5({ valueUrl: 'https://video.example.org/join/123?pwd=x' }))).toBe('https://video.example.org/join/123?pwd=x');
    expect(virtualVisitUrl(r5({ valueUrl: 'javascript:alert(document.cookie)' }))).toBeUndefined();
    expect(virtualVisitUrl(r5({ valueUrl: 'data:text/html,<script>1</script>' }))).toBeUndefined();
    expect(virtualVisitUrl(r5({ valueUrl: 'https://user:pass@video.example.org/' }))).toBeUndefined();
    expect(virtualVisitUrl(appt('s', undefined, { extension: [{ url: 'urn:sprout:virtual-visit-url', valueString: 'https://telehealth.example/room/9' }] }))).toBe('https://telehealth.example/room/9');
    expect(virtualVisitUrl(appt('u', undefined, { extension: [{ url: 'urn:unknown', valueUrl: 'https://evil.example/' }] }))).toBeUndefined();
    // Free text is never scanned for links.
    expect(virtualVisitUrl(appt('c', undefined, { comment: 'Join at https://evil.example/', description: 'https://evil.example/' }))).toBeUndefined();
  });

  it('survives hostile appointments', () => {
    const lists = mapAppointments([{ resourceType: 'Appointment', start: 'soon', participant: 'me', extension: 'x', serviceType: {} } as unknown as Appointment], AS_OF);
    expect(lists.upcoming).toEqual([]);
    expect(lists.past).toEqual([{ key: 'Appointment#0', label: { kind: 'unknown' }, serviceTypes: [], reasons: [], locations: [], practitioners: [] }]);
    expect(mapAppointments([appt('x', '2026-12-01T17:00:00Z')], 'not a date').upcoming.map((a) => a.id)).toEqual(['x']);
  });
});
