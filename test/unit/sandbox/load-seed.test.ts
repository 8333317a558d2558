import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveAccounts } from '../../../sandbox/src/auth/accounts.ts';
import { flattenSeedItems, readSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';

const EXTERNAL = fileURLToPath(new URL('../../../../shared/fixtures/external/', import.meta.url));

describe('seed directories', () => {
  it.skipIf(!existsSync(EXTERNAL))('reads bring-your-own data unshifted and skips non-FHIR JSON', async () => {
    const seed = await readSeedDirectory(EXTERNAL, { today: new Date('2030-01-01T00:00:00Z') });
    expect(seed.shiftedByDays).toBe(0);
    expect(seed.skipped).toContain('MANIFEST.json');
    expect(seed.files[0]).toMatch(/hospitalInformation/);
    expect(seed.items.every((item) => item.resourceType === 'Bundle')).toBe(true);
  });

  it('fails with the file name on invalid JSON and on a bad manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sprout-seed-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{ "resourceType": ');
      await expect(readSeedDirectory(dir, { today: new Date() })).rejects.toThrow(/broken\.json is not valid JSON/);
      await writeFile(join(dir, 'broken.json'), JSON.stringify({ resourceType: 'Patient', id: 'p', birthDate: '2020-01-01' }));
      await writeFile(join(dir, 'seed-manifest.json'), JSON.stringify({ anchor: 'yesterday' }));
      await expect(readSeedDirectory(dir, { today: new Date() })).rejects.toThrow(/anchorDate/);
      await writeFile(join(dir, 'seed-manifest.json'), JSON.stringify({ anchorDate: '2025-01-01' }));
      const seed = await readSeedDirectory(dir, { today: new Date('2025-01-11T10:00:00Z') });
      expect(flattenSeedItems(seed.items)).toEqual([{ resourceType: 'Patient', id: 'p', birthDate: '2020-01-11' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('derives sign-ins only from the sandbox login identifier system and refuses a username claimed twice', () => {
    const login = (value: string) => [{ system: 'urn:sprout:sandbox:login', value }];
    const accounts = deriveAccounts([
      { resourceType: 'Patient', id: 'a', identifier: login('Teen') },
      { resourceType: 'Practitioner', id: 'b', identifier: [{ system: 'urn:other', value: 'nope' }] },
      { resourceType: 'RelatedPerson', id: 'c', patient: { reference: 'Patient/a' }, identifier: login('dad') },
      { resourceType: 'Observation', id: 'd', status: 'final', code: {} },
    ], 'http://127.0.0.1:1/fhir');
    expect(accounts.map((a) => [a.username, a.accountId, a.fhirUser, a.actsForPatient])).toEqual([
      ['dad', 'RelatedPerson/c', 'http://127.0.0.1:1/fhir/RelatedPerson/c', 'Patient/a'],
      ['teen', 'Patient/a', 'http://127.0.0.1:1/fhir/Patient/a', undefined],
    ]);
    expect(() => deriveAccounts([
      { resourceType: 'Patient', id: 'a', identifier: login('x') },
      { resourceType: 'Person', id: 'b', identifier: login('X') },
    ], 'http://h/fhir')).toThrow(/claimed by both/);
  });
});
