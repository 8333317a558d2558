/**
 * /api/notifications/preferences: the signed-in person's email choice (on by default) and language. GET reads it,
 * PUT replaces it (CSRF-checked by requireSession like every state change). Keyed by the principal's reference.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { actionErrorResponse, ActionError, LANGUAGES, requestLanguage } from '../actions/action-errors.ts';
import { readJsonBody } from '../actions/action.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Store } from '../store/types.ts';

const PreferenceInput = z.object({ emailEnabled: z.boolean(), language: z.enum(LANGUAGES) }).strict();

export function createPreferenceRoutes(deps: { readonly store: Store; readonly clock: Clock }): Hono<GatewayEnv> {
  const routes = new Hono<GatewayEnv>();
  routes.get('/', async (c) => {
    const stored = await deps.store.notificationPreferences.get(c.get('principal').reference);
    c.header('Cache-Control', 'no-store');
    return c.json({ emailEnabled: stored?.emailEnabled ?? true, language: stored?.language ?? requestLanguage(c.req.header('Accept-Language')) });
  });
  routes.put('/', async (c) => {
    try {
      const parsed = PreferenceInput.safeParse(await readJsonBody(c, 4096));
      if (!parsed.success) {
        throw new ActionError(400, 'invalid-input', {
          en: 'Please choose whether to get email, and a language.',
          es: 'Elija si quiere recibir correos y un idioma.',
        });
      }
      await deps.store.notificationPreferences.put({ person: c.get('principal').reference, ...parsed.data, updatedAt: deps.clock.now() });
      c.header('Cache-Control', 'no-store');
      return c.json(parsed.data);
    } catch (error) {
      if (error instanceof ActionError) return actionErrorResponse(c, error);
      throw error;
    }
  });
  return routes;
}
