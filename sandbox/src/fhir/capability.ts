/**
 * The documents a SMART client reads before anything else: `{fhirBase}/metadata` (Medplum's router has none) and
 * `{fhirBase}/.well-known/smart-configuration` (SMART App Launch 2.2 §Discovery).
 */
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceInteraction, CapabilityStatementRestSecurity } from 'fhir/r4';

export interface AuthorizationEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string;
  readonly introspectionEndpoint: string;
  readonly jwksUri: string;
}

/** Scopes advertised in discovery: representative, not exhaustive (every `patient|user/<Type>.<cruds>` is accepted). */
export const ADVERTISED_SCOPES = [
  'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
  'patient/*.rs', 'patient/*.read', 'user/*.rs', 'user/*.read', 'patient/*.cruds', 'user/*.cruds',
] as const;

export const SMART_CAPABILITIES = [
  'launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric', 'context-ehr-patient',
  'context-ehr-encounter', 'context-standalone-patient', 'context-banner', 'permission-offline', 'permission-patient',
  'permission-user', 'permission-v1', 'permission-v2', 'sso-openid-connect',
] as const;

export function smartConfiguration(endpoints: AuthorizationEndpoints): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwksUri,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    revocation_endpoint: endpoints.revocationEndpoint,
    introspection_endpoint: endpoints.introspectionEndpoint,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...ADVERTISED_SCOPES],
    capabilities: [...SMART_CAPABILITIES],
  };
}

export function capabilityStatement(options: {
  fhirBaseUrl: string;
  resourceTypes: readonly string[];
  endpoints: AuthorizationEndpoints | undefined;
  software: { name: string; version: string };
}): CapabilityStatement {
  const security: CapabilityStatementRestSecurity | undefined = options.endpoints
    ? {
        cors: false,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: options.endpoints.authorizationEndpoint },
            { url: 'token', valueUri: options.endpoints.tokenEndpoint },
            { url: 'revoke', valueUri: options.endpoints.revocationEndpoint },
          ],
        }],
      }
    : undefined;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: options.software,
    implementation: { description: 'Sprout sandbox EHR (Medplum fhir-router, in memory)', url: options.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{
      mode: 'server',
      ...(security ? { security } : {}),
      interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
      resource: options.resourceTypes.map((type) => ({
        type: type as CapabilityStatementRestResource['type'],
        interaction: ['read', 'vread', 'update', 'create', 'search-type', 'history-instance']
          .map((code) => ({ code: code as CapabilityStatementRestResourceInteraction['code'] })),
        versioning: 'versioned' as const,
        readHistory: true,
        conditionalCreate: true,
        searchInclude: ['*'],
        searchRevInclude: ['*'],
      })),
    }],
  };
}
