/**
 * oidc-provider only keeps scopes it knows by name (its `scopes` setting); SMART scopes are combinatorial, so the
 * sandbox enumerates them: `(patient|user|system)/(Type|*).(v2 permission subset | read | write | *)`.
 */
const PERMISSION_LETTERS = ['c', 'r', 'u', 'd', 's'] as const;

/** The 31 non-empty ordered subsets of "cruds". */
function v2Permissions(): string[] {
  const out: string[] = [];
  for (let mask = 1; mask < 32; mask += 1) {
    out.push(PERMISSION_LETTERS.filter((_, index) => (mask & (1 << (4 - index))) !== 0).join(''));
  }
  return out;
}

export const BASE_SCOPES = [
  'openid', 'fhirUser', 'profile', 'offline_access', 'online_access', 'launch', 'launch/patient', 'launch/encounter',
] as const;

export function smartScopes(resourceTypes: readonly string[]): string[] {
  const permissions = [...v2Permissions(), 'read', 'write', '*'];
  const scopes: string[] = [...BASE_SCOPES];
  for (const context of ['patient', 'user', 'system']) {
    for (const type of ['*', ...resourceTypes]) {
      for (const permission of permissions) scopes.push(`${context}/${type}.${permission}`);
    }
  }
  return scopes;
}
