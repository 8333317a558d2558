import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SCOPES, parseConfig } from '../../../gateway/src/config.ts';

const minimal = { FHIR_BASE_URL: 'https://ehr.example.org/fhir/R4/', CLIENT_ID: 'sprout' };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(minimal);
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.secureCookies).toBe(false);
    expect(config.fhirBaseUrl).toBe('https://ehr.example.org/fhir/R4');
    expect(config.allowedIss).toEqual(['https://ehr.example.org/fhir/R4']);
    expect(config.scopes.join(' ')).toBe(DEFAULT_SCOPES);
    expect(config.policyProfile).toBe('ca-strict');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('.data');
    expect(config.sessionIdleMinutes).toBe(20);
    expect(config.sessionMaxHours).toBe(12);
    expect(config.openServerMode).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives PUBLIC_URL from PORT and reads lists', () => {
    const config = parseConfig({ ...minimal, PORT: '9123', ALLOWED_ISS: 'https://a.example/fhir, https://b.example/r4/' });
    expect(config.publicUrl).toBe('http://127.0.0.1:9123');
    expect(config.allowedIss).toEqual(['https://a.example/fhir', 'https://b.example/r4']);
  });

  it('uses __Host- cookies when PUBLIC_URL is https', () => {
    expect(parseConfig({ ...minimal, PUBLIC_URL: 'https://portal.example.org' }).secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ FHIR_BASE_URL: 'ftp://ehr.example.org' }, 'FHIR_BASE_URL'],
    [{ FHIR_BASE_URL: 'https://user:pw@ehr.example.org/fhir' }, 'FHIR_BASE_URL'],
    [{ FHIR_BASE_URL: undefined }, 'FHIR_BASE_URL is required'],
    [{ CLIENT_ID: undefined }, 'CLIENT_ID'],
    [{ PUBLIC_URL: 'http://portal.example.org' }, 'PUBLIC_URL must be https'],
    [{ PUBLIC_URL: 'https://portal.example.org/app' }, 'PUBLIC_URL'],
    [{ ALLOWED_ISS: 'https://ok.example/fhir,javascript:alert(1)' }, 'ALLOWED_ISS'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES'],
    [{ SESSION_MAX_HOURS: 'soon' }, 'SESSION_MAX_HOURS'],
    [{ OPEN_SERVER_MODE: 'maybe' }, 'OPEN_SERVER_MODE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SCOPES: 'patient/*.rs' }, 'SCOPES must include "openid"'],
  ])('refuses %o with a message naming the variable', (override, expected) => {
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(ConfigError);
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(expected);
  });

  it('does not need a client in open-server mode', () => {
    const config = parseConfig({ FHIR_BASE_URL: 'https://hapi.fhir.org/baseR4', OPEN_SERVER_MODE: 'true' });
    expect(config.openServerMode).toBe(true);
    expect(config.clientId).toBe('');
  });
});
