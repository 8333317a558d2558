/** CSPRNG values for state, nonce, PKCE verifiers, session ids and secrets. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) as base64url — comfortably above the 122 bits SMART asks of `state`. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** RFC 7636 S256 code challenge for a verifier. */
export function pkceChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
