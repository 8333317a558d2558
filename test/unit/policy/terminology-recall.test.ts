/**
 * Recall of the medicine reading against the public sets themselves (skipped when ../shared/terminology is absent):
 * every non-dual RxNorm member of the contraception, pregnancy, HIV and substance-use sets is hidden from the guardian
 * of a 15-year-old under ca-adolescent-split whether it arrives by its code alone, by its display alone (no code — the
 * ingredient reading or "unknown is not safe" must catch it), or by its display under a code in no list. A seeded
 * fast-check property adds unknown brand names around contraceptive ingredient combinations. A second pass checks the
 * display is *read* (hidden for its category), not merely hidden as an unreadable medicine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { MedicationRequest, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, decidePatientAccess, decideResource } from '../../../gateway/src/policy/index.ts';
import { guardianOf, principalFor, REPO_ROOT } from './support.ts';

const SHARED = join(REPO_ROOT, '../shared/terminology');
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const profile = BUILTIN_PROFILES['ca-adolescent-split'];
const teen: Patient = { resourceType: 'Patient', id: 'kid', birthDate: '2011-05-01' };
const decision = decidePatientAccess(
  { principal: principalFor('RelatedPerson/test-parent'), patient: teen, relatedPersons: [guardianOf(teen)], consents: [] },
  profile,
  new Date('2026-11-22T20:00:00Z'),
);

function verdict(medication: MedicationRequest['medicationCodeableConcept']) {
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'rx',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/kid' },
    ...(medication ? { medicationCodeableConcept: medication } : {}),
    authoredOn: '2026-10-01',
  };
  return decideResource(decision, request, () => undefined, profile, teen);
}

interface Member {
  readonly code: string;
  readonly display: string;
}

function nonDualRxNorm(set: string): Member[] {
  const file = JSON.parse(readFileSync(join(SHARED, `${set}.json`), 'utf8')) as {
    codes: { system: string; code: string; display: string | null; dual_use?: string }[];
  };
  return file.codes
    .filter((c) => c.system === RXNORM && !c.dual_use && c.display)
    .map((c) => ({ code: c.code, display: c.display as string }));
}

describe.skipIf(!existsSync(join(SHARED, 'contraception.json')))('every non-dual medicine of the public sets stays hidden', () => {
  it.each(['contraception', 'pregnancy', 'hiv', 'substance-use'])('%s: by code, by display alone, by display under an unknown code', (set) => {
    const members = nonDualRxNorm(set);
    expect(members.length).toBeGreaterThan(0);
    const shown: string[] = [];
    for (const { code, display } of members) {
      if (verdict({ coding: [{ system: RXNORM, code }] }).effect !== 'hide') shown.push(`${code} by code`);
      if (verdict({ text: display }).effect !== 'hide') shown.push(`"${display}" as text`);
      if (verdict({ coding: [{ system: RXNORM, code: '99999999', display }] }).effect !== 'hide') shown.push(`"${display}" under an unknown code`);
    }
    expect(shown).toEqual([]);
  });
});

describe.skipIf(!existsSync(join(SHARED, 'contraception.json')))('the display of every non-dual medicine is read, not just hidden as unknown', () => {
  it.each(['contraception', 'pregnancy', 'hiv', 'substance-use'])('%s: its display names what makes it sensitive', (set) => {
    const unread = nonDualRxNorm(set)
      .filter(({ display }) => !verdict({ text: display }).reason.startsWith('hidden-category:'))
      .map(({ display }) => display);
    expect(unread).toEqual([]);
  });
});

describe('unknown brands around contraceptive ingredients (seeded property)', () => {
  const progestins = ['levonorgestrel', 'norethindrone', 'norgestimate', 'desogestrel', 'drospirenone', 'norgestrel', 'ethynodiol diacetate'];
  const estrogens = ['ethinyl estradiol', 'Ethinyl Estradiol', 'estradiol valerate'];
  const everyday = ['albuterol', 'ibuprofen', 'cetirizine', 'amoxicillin'];
  const brand = fc.stringMatching(/^[A-Z][a-z]{3,9}$/);
  const dose = fc.constantFrom('0.1', '0.15', '0.25', '1', '3');

  it('a progestin with an estrogen is hidden whatever brand, case, order or everyday ingredient surrounds it', () => {
    fc.assert(
      fc.property(brand, fc.constantFrom(...progestins), fc.constantFrom(...estrogens), dose, fc.boolean(), fc.option(fc.constantFrom(...everyday)), (name, progestin, estrogen, mg, estrogenFirst, extra) => {
        const parts = estrogenFirst ? [`${estrogen} 0.02 MG`, `${progestin} ${mg} MG`] : [`${progestin} ${mg} MG`, `${estrogen} 0.03 MG`];
        const text = `${name} (${parts.join(' / ')}${extra ? ` / ${extra} 5 MG` : ''}) 28 Day Pack`;
        expect(verdict({ text }).reason, text).toBe('hidden-category:sexual-reproductive');
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });

  it('a brand name alone, with or without a strength, is never read as an everyday medicine', () => {
    fc.assert(
      fc.property(brand, fc.option(dose), (name, mg) => {
        const text = mg === null ? `${name} 28 Day Pack` : `${name} ${mg} MG Oral Tablet`;
        expect(verdict({ text }).reason, text).toBe('unreadable-medication');
      }),
      { seed: 20261205, numRuns: 300 },
    );
  });
});
