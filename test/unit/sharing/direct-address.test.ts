/** Direct address validation (gateway/src/records-transfer/direct-address.ts): syntax and the trust community. */
import { describe, expect, it } from 'vitest';
import { checkDirectAddress } from '../../../gateway/src/records-transfer/direct-address.ts';

describe('Direct addresses', () => {
  it('accepts a Direct address in the development default and under a configured trust domain', () => {
    expect(checkDirectAddress(' Dr.Lee@Direct.Eastside-Pediatrics.example ', [])).toEqual({ ok: true, address: 'Dr.Lee@direct.eastside-pediatrics.example' });
    expect(checkDirectAddress('intake@hisp.partner.example', ['partner.example'])).toEqual({ ok: true, address: 'intake@hisp.partner.example' });
    expect(checkDirectAddress('intake@partner.example', ['partner.example']).ok).toBe(true);
  });

  it('refuses ordinary mailboxes and domains outside the trust community as foreign', () => {
    for (const [address, domains] of [['dr.lee@gmail.com', []], ['dr.lee@direct.example', []], ['a@notpartner.example', ['partner.example']], ['a@direct.clinic.example', ['partner.example']]] as const) {
      expect(checkDirectAddress(address, domains)).toEqual({ ok: false, reason: 'foreign' });
    }
  });

  it('refuses malformed addresses', () => {
    for (const address of ['', 'no-at-sign', '@direct.clinic.example', 'a@@direct.clinic.example', 'a b@direct.clinic.example', 'a@direct..example', 'a@direct.clinic.example>', 'a@direct.clinic.x1', `${'a'.repeat(65)}@direct.clinic.example`, 'a@-direct.clinic.example', 'a.@direct.clinic.example']) {
      expect(checkDirectAddress(address, [])).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(checkDirectAddress(42, [])).toEqual({ ok: false, reason: 'malformed' });
  });
});
