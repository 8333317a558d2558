/**
 * The kind explanation of a child's access, from the policy decision's messageKey.
 *
 * Contract with the policy core: `messageKey` is one of ACCESS_MESSAGE_KEYS, the keys the hospital profiles use
 * (gateway/src/policy/profiles/*.json and policy/access.ts); each key is also the msg() id of its sentence. An
 * unknown key falls back to a sentence chosen by level alone; for "none" that is the neutral "isn't active"
 * sentence, which never says which rule applied. No sentence here hints that hidden records exist.
 */
import { msg, str } from '@lit/localize';
import type { AccessLevel, AvailableAction, SessionPatientView } from '../api/session.ts';

export const ACCESS_MESSAGE_KEYS = [
  'access.guardian.full',
  'access.guardian.teen-allow-list',
  'access.guardian.teen-authorized',
  'access.guardian.teen-messaging-only',
  'access.guardian.teen-no-online-access',
  'access.guardian.adult-patient',
  'access.self.full',
  'access.self.teen',
  'access.self.not-eligible',
  'access.conservator.full',
  'access.staff.use-ehr',
  'access.not-active',
  'access.deceased.contact-him',
] as const;
export type AccessMessageKey = (typeof ACCESS_MESSAGE_KEYS)[number];

export function resolveAccessMessageKey(messageKey: string, level: AccessLevel): AccessMessageKey {
  if ((ACCESS_MESSAGE_KEYS as readonly string[]).includes(messageKey)) return messageKey as AccessMessageKey;
  // Unknown key (a profile newer than this app): choose by level alone. For "none" the neutral sentence; never
  // guess a reason.
  if (level === 'full') return 'access.guardian.full';
  if (level === 'allow-listed') return 'access.guardian.teen-allow-list';
  return 'access.not-active';
}

/** "Health Information Management at (714) 509-8460", or without the number when the profile has none. */
export function himContact(himPhone: string | undefined): string {
  return himPhone
    ? msg(str`Health Information Management at ${himPhone}`, { id: 'access.him-with-phone' })
    : msg('Health Information Management', { id: 'access.him' });
}

export function accessLevelLabel(level: AccessLevel): string {
  switch (level) {
    case 'full':
      return msg('Full online access', { id: 'access.level-full' });
    case 'allow-listed':
      return msg('Partial online access', { id: 'access.level-allow-listed' });
    case 'none':
      return msg('No online access', { id: 'access.level-none' });
  }
}

/** The reader's grammatical gender for Spanish agreement: from the person's administrative gender, neutral otherwise. */
export type ReaderGender = 'female' | 'male' | 'neutral';

export function readerGender(gender: string | undefined): ReaderGender {
  return gender === 'female' ? 'female' : gender === 'male' ? 'male' : 'neutral';
}

/**
 * How the reader relates to this record, addressed to them ("You are the conservator"). English does not change with
 * the reader's gender; Spanish does ("usted es la curadora"), so each gender has its own id, and an unknown gender
 * gets wording that needs no agreement.
 */
export function relationshipLabel(relationship: SessionPatientView['relationship'], gender: ReaderGender = 'neutral'): string {
  switch (relationship) {
    case 'self':
      return msg('Your own record', { id: 'access.relationship-self' });
    case 'guardian':
      return gender === 'female'
        ? msg('You are a parent or guardian', { id: 'access.relationship-guardian-female' })
        : gender === 'male'
          ? msg('You are a parent or guardian', { id: 'access.relationship-guardian-male' })
          : msg('You are a parent or guardian', { id: 'access.relationship-guardian' });
    case 'conservator':
      return gender === 'female'
        ? msg('You are the conservator', { id: 'access.relationship-conservator-female' })
        : gender === 'male'
          ? msg('You are the conservator', { id: 'access.relationship-conservator-male' })
          : msg('You are the conservator', { id: 'access.relationship-conservator' });
    case 'staff':
      return msg('You are on the care team', { id: 'access.relationship-staff' });
    case 'none':
      return '';
  }
}

/** The sentence explaining this child's access. `name` is the child's display name. */
export function accessExplanation(key: AccessMessageKey, name: string, himPhone: string | undefined, gender: ReaderGender = 'neutral'): string {
  const him = himContact(himPhone);
  switch (key) {
    case 'access.guardian.full':
      return msg(str`You can see ${name}'s health record online.`, { id: 'access.guardian.full' });
    case 'access.guardian.teen-allow-list':
      return msg(
        str`${name} is 12 or older. To protect teens' privacy, California law lets parents and guardians see only part of the record online, such as allergies, immunizations, medications and appointments.`,
        { id: 'access.guardian.teen-allow-list' },
      );
    case 'access.guardian.teen-authorized':
      return msg(str`${name} has signed a permission that lets you see more of their record online.`, {
        id: 'access.guardian.teen-authorized',
      });
    case 'access.guardian.teen-messaging-only':
    case 'access.guardian.teen-no-online-access':
      return msg(
        str`${name} is 12 or older. California law doesn't allow parents and guardians to see a teen's record online. For a paper copy of the records, please call ${him}.`,
        { id: 'access.guardian.teen-no-online-access' },
      );
    case 'access.guardian.adult-patient':
      return msg(
        str`${name} is 18 or older and can create their own account. For questions about the record, please contact ${him}.`,
        { id: 'access.guardian.adult-patient' },
      );
    case 'access.self.full':
      return msg('This is your own health record.', { id: 'access.self.full' });
    case 'access.self.teen':
      return msg('This is your own health record. What California law keeps confidential for teens is shown only to you.', {
        id: 'access.self.teen',
      });
    case 'access.self.not-eligible':
      return msg(str`You can see your own record online from your 18th birthday. For a copy before then, please contact ${him}.`, {
        id: 'access.self.not-eligible',
      });
    case 'access.conservator.full':
      return gender === 'female'
        ? msg(str`You can see ${name}'s record online because a court appointed you as conservator.`, { id: 'access.conservator.full-female' })
        : gender === 'male'
          ? msg(str`You can see ${name}'s record online because a court appointed you as conservator.`, { id: 'access.conservator.full-male' })
          : msg(str`You can see ${name}'s record online because a court appointed you as conservator.`, { id: 'access.conservator.full' });
    case 'access.staff.use-ehr':
      return msg("Please use the hospital's clinical system to see this record.", { id: 'access.staff.use-ehr' });
    case 'access.not-active':
      return msg(str`Your access to this record isn't active. Please contact ${him}.`, { id: 'access.not-active' });
    case 'access.deceased.contact-him':
      return msg(str`For this record, please contact ${him}. We are here to help.`, { id: 'access.deceased.contact-him' });
  }
}

/**
 * What still works online when the record itself is not fully visible: the session's `availableActions` (the policy's
 * features intersected with the actions this gateway serves), never the features alone — nothing is promised that
 * the portal cannot do. Absent (an older gateway) promises nothing.
 */
export function stillAvailable(actions: readonly AvailableAction[] | undefined): string[] {
  return (actions ?? []).map((action) => availableActionLabel(action));
}

export function availableActionLabel(action: AvailableAction): string {
  switch (action) {
    case 'messages':
      return msg('Send messages to the care team', { id: 'access.feature-messages' });
    case 'appointment-requests':
      return msg('Request appointments', { id: 'access.feature-appointments' });
    case 'renewals':
      return msg('Request prescription renewals', { id: 'access.feature-renewals' });
    case 'bills':
      return msg('View and pay bills', { id: 'access.feature-bills' });
    case 'balance':
      return msg('See and pay the balance due', { id: 'access.feature-balance' });
  }
}

/**
 * The sentence about the next access change: "Online access ends on March 4, 2027." `date` is already formatted for
 * the reader's language. When the level does not change, there is only something to say when a guardian's teen
 * becomes an adult (who may then have their own account); otherwise nothing — never announce an "end" or a "start"
 * that already happened.
 */
export function nextChangeSentence(
  currentLevel: AccessLevel,
  next: { readonly level: AccessLevel; readonly messageKey: string },
  date: string,
  name: string,
): string | undefined {
  if (next.level === currentLevel) {
    return next.messageKey === 'access.guardian.adult-patient'
      ? msg(str`On ${date}, ${name} turns 18 and can have their own account.`, { id: 'access.next-adult' })
      : undefined;
  }
  switch (next.level) {
    case 'none':
      return msg(str`Online access ends on ${date}.`, { id: 'access.next-none' });
    case 'allow-listed':
      return msg(str`From ${date}, you will see only part of the record online.`, { id: 'access.next-allow-listed' });
    case 'full':
      return msg(str`Full online access starts on ${date}.`, { id: 'access.next-full' });
  }
}
