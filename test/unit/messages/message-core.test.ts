/** The pure cores of messaging: attachment rules, threads, and the policy's "confidential to the patient" label. */
import type { Communication, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { checkAttachments, sanitizeFileName, sniffAttachmentType, MAX_ATTACHMENT_BYTES } from '../../../gateway/src/messages/attachments.ts';
import { groupThreads, matchesText, newCommunication, threadIdOf, type MessageView } from '../../../gateway/src/messages/message-fhir.ts';
import { BUILTIN_PROFILES, decideResource } from '../../../gateway/src/policy/index.ts';
import type { PatientAccessDecision } from '../../../gateway/src/policy/types.ts';

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(32).fill(0)]);

describe('attachments', () => {
  it('decide the type by the bytes, not the name', () => {
    expect(sniffAttachmentType(new TextEncoder().encode('%PDF-1.7 ...'))).toBe('application/pdf');
    expect(sniffAttachmentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffAttachmentType(new TextEncoder().encode('MZ\x90\x00 this program'))).toBeUndefined();
    expect(sniffAttachmentType(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeUndefined();
    expect(checkAttachments([{ name: 'invoice.pdf', data: new TextEncoder().encode('MZ...') }])).toEqual({ problem: 'unsupported-type', name: 'invoice.pdf' });
  });

  it('sanitise names: no paths, markup or control characters; the extension of the real type', () => {
    expect(sanitizeFileName('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(sanitizeFileName('C:\\Users\\maria\\<script>rash.png', 'image/png')).toBe('scriptrash.png');
    expect(sanitizeFileName('photo.exe', 'image/jpeg')).toBe('photo.jpg');
    expect(sanitizeFileName('\u0000\u0007', 'image/png')).toBe('attachment.png');
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(94);
  });

  it('at most five, each at most 10 MB, none empty', () => {
    const pdf = new TextEncoder().encode('%PDF-1.4');
    expect(checkAttachments(Array.from({ length: 6 }, () => ({ name: 'a.pdf', data: pdf })))).toEqual({ problem: 'too-many' });
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(pdf);
    expect(checkAttachments([{ name: 'big.pdf', data: big }])).toEqual({ problem: 'too-large', name: 'big.pdf' });
    expect(checkAttachments([{ name: 'e.pdf', data: new Uint8Array() }])).toEqual({ problem: 'empty', name: 'e.pdf' });
    expect(checkAttachments(Array.from({ length: 5 }, () => ({ name: 'a.pdf', data: pdf })))).toHaveLength(5);
  });
});

const view = (id: string, thread: string, sent: string, fromMe: boolean, body = 'text'): MessageView => ({
  id, threadId: thread, patientId: 'p', sent, sender: { reference: fromMe ? 'RelatedPerson/m' : 'Practitioner/d', name: fromMe ? 'Maria' : 'Dr. Shah' },
  recipients: [], subject: `Subject ${thread}`, body, attachments: [], confidential: false, fromMe,
});

describe('threads', () => {
  it('group replies under their root, newest activity first, unread until read past the newest reply', () => {
    const messages = [view('a', 'a', '2026-01-01T10:00:00Z', true), view('b', 'a', '2026-01-02T10:00:00Z', false), view('c', 'c', '2026-01-01T12:00:00Z', true)];
    const threads = groupThreads(messages, (id) => (id === 'c' ? undefined : undefined));
    expect(threads.map((t) => [t.id, t.messageCount, t.unread])).toEqual([['a', 2, true], ['c', 1, false]]);
    expect(groupThreads(messages, () => '2026-01-02T10:00:00Z')[0]?.unread).toBe(false);
    expect(matchesText([view('x', 'x', '2026', false, 'Fiebre alta en la noche')], 'FIEBRE')).toBe(true);
    expect(matchesText([view('x', 'x', '2026', false, 'Está mejor')], 'esta')).toBe(true);
    const reply = newCommunication({ patientId: 'p', sender: 'RelatedPerson/m', recipient: 'Practitioner/d', subject: 's', body: 'b', sent: '2026', inResponseTo: 'root', identifier: { system: 's', value: 'v' } });
    expect(threadIdOf({ ...reply, id: 'r' })).toBe('root');
  });
});

describe('a reply confidential to the patient', () => {
  const patient: Patient = { resourceType: 'Patient', id: 'teen', birthDate: '2014-01-01' };
  const profile = BUILTIN_PROFILES['ca-strict'];
  const decision = (role: PatientAccessDecision['role']): PatientAccessDecision => ({
    patient: 'Patient/teen', level: 'full', role, reason: 'test', legalBasis: [], messageKey: 'k', profile: profile.id,
    asOf: '2026-01-01T00:00:00Z', validUntil: '2026-01-02T00:00:00Z', rule: role === 'self' ? 'adult-self' : 'guardian-0-11',
    features: { viewRecord: true, messages: true, appointmentRequests: true, renewals: true, bills: 'full' }, actingAs: ['RelatedPerson/mom', 'Patient/teen'],
  });
  const reply: Communication = {
    resourceType: 'Communication', id: 'r', status: 'completed', subject: { reference: 'Patient/teen' },
    meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    sender: { reference: 'Practitioner/d' }, recipient: [{ reference: 'RelatedPerson/mom' }], payload: [{ contentString: 'between us' }],
  };
  it('is hidden from every guardian and conservator, even in their own thread with a full view', () => {
    expect(decideResource(decision('guardian'), reply, () => undefined, profile, patient)).toMatchObject({ effect: 'hide', reason: 'confidential-to-patient' });
    expect(decideResource(decision('conservator'), reply, () => undefined, profile, patient).effect).toBe('hide');
    const unlabelled = { ...reply, meta: {} };
    expect(decideResource(decision('guardian'), unlabelled, () => undefined, profile, patient).effect).toBe('show');
  });
});
