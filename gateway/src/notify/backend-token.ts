/**
 * A system access token for the portal itself (SMART Backend Services: client_credentials with private_key_jwt when
 * keys are configured, else the client secret), discovered from the FHIR base's smart-configuration, kept until a
 * minute before it expires. Used only by background work that has no user session (watching for new messages).
 */
import type { Config } from '../config.ts';
import type { Clock } from '../http/clock.ts';
import { credentialsFor } from '../smart/client-auth.ts';
import { discoverSmartEndpoints } from '../smart/discovery.ts';
import { requestClientCredentialsToken } from '../smart/token.ts';

export const BACKEND_SCOPES = 'system/Communication.rs system/RelatedPerson.rs system/Person.rs system/Patient.rs system/Appointment.rs system/Task.rs';
const EXPIRY_SKEW_MS = 60_000;

export function createBackendTokenSource(deps: {
  readonly config: Pick<Config, 'fhirBaseUrl' | 'allowedAuthOrigins' | 'clientId' | 'clientSecret' | 'clientAuthMethod' | 'clientSigningKeys'>;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** Default BACKEND_SCOPES; the calendar feed reads what judging an appointment needs (care-requests/calendar-feed.ts). */
  readonly scopes?: string;
}): () => Promise<string> {
  const { config, clock } = deps;
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  async function fetchToken(): Promise<string> {
    const allowedOrigins = new Set([new URL(config.fhirBaseUrl).origin, ...config.allowedAuthOrigins]);
    const endpoints = await discoverSmartEndpoints(config.fhirBaseUrl, { fetch: deps.fetch, allowedOrigins });
    const credentials = credentialsFor(config, endpoints, () => clock.now());
    const response = await requestClientCredentialsToken(deps.fetch, endpoints.tokenEndpoint, credentials, deps.scopes ?? BACKEND_SCOPES);
    cached = { token: response.accessToken, expiresAt: clock.now() + response.expiresIn * 1000 - EXPIRY_SKEW_MS };
    return response.accessToken;
  }
  return async () => {
    if (cached !== undefined && cached.expiresAt > clock.now()) return cached.token;
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
