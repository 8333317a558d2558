/** The action and notification repositories of one Store (both implementations), over its queryable and sealer. */
import type { CoordinationRepository, DraftRepository, IdempotencyRepository, NotificationPreferenceRepository, OutboxRepository } from './action-types.ts';
import type { Sealer } from './seal.ts';
import {
  createSqlCoordinationRepository, createSqlDraftRepository, createSqlIdempotencyRepository, createSqlNotificationPreferenceRepository,
} from './sql-actions.ts';
import { createSqlOutboxRepository } from './sql-outbox.ts';
import type { SqlQueryable } from './sql.ts';

export interface ActionRepositories {
  readonly idempotency: IdempotencyRepository;
  readonly outbox: OutboxRepository;
  readonly notificationPreferences: NotificationPreferenceRepository;
  readonly drafts: DraftRepository;
  readonly coordination: CoordinationRepository;
}

export function createActionRepositories(db: SqlQueryable, sealer: Sealer): ActionRepositories {
  return {
    idempotency: createSqlIdempotencyRepository(db, sealer),
    outbox: createSqlOutboxRepository(db, sealer),
    notificationPreferences: createSqlNotificationPreferenceRepository(db),
    drafts: createSqlDraftRepository(db, sealer),
    coordination: createSqlCoordinationRepository(db),
  };
}
