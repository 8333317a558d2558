/**
 * The user-facing sentence for each GatewayError kind. Kind, never the server's text: server text may be English,
 * technical, or (from a hostile upstream) crafted, so it is not shown to families.
 */
import { msg } from '@lit/localize';
import { GatewayError, type GatewayErrorKind } from './gateway-client.ts';

export function gatewayErrorMessage(kind: GatewayErrorKind): string {
  switch (kind) {
    case 'offline':
      return msg("We can't reach Sprout right now. Please check your internet connection and try again.", { id: 'error.offline' });
    case 'session-expired':
      return msg('Your session has ended. Please sign in again.', { id: 'error.session-expired' });
    case 'upstream-unavailable':
      return msg("The hospital's system isn't answering right now. Please try again in a few minutes.", { id: 'error.upstream-unavailable' });
    case 'not-found':
      return msg("We couldn't find this information.", { id: 'error.not-found' });
    case 'refused':
      return msg("This request couldn't be completed. Please reload the page and try again.", { id: 'error.refused' });
    case 'unexpected':
      return msg('Something went wrong on our side. Please try again later.', { id: 'error.unexpected' });
  }
}

/** The sentence for anything a task may throw: GatewayError kinds, or "unexpected" for the rest. */
export function messageForError(error: unknown): string {
  return gatewayErrorMessage(error instanceof GatewayError ? error.kind : 'unexpected');
}
