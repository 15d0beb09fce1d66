import { type EventMetadata, isWorkspaceEvent, STREAM_CATEGORY, WORKSPACE_EVENT_TYPES, type WorkspaceEvent } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import { AdminKeyRecord, ScimTokenRecord, WorkspaceRecord, WORKSPACES_PROJECTION } from '@axis/read-model';
import type { EntityManager, ObjectLiteral } from 'typeorm';

/**
 * Builds `workspaces`, `scim_tokens` and `admin_keys` from the workspace settings streams: what
 * the gateway authenticates against. Digests and prefixes only — events never carry a secret.
 * Rebuildable from history; rows are inserted or-ignore so a rebuild over existing rows is safe.
 */
export const workspacesProjection: ConsumerDefinition = {
  name: WORKSPACES_PROJECTION,
  kind: 'projection',
  filter: { streamPrefixes: [`${STREAM_CATEGORY.workspace}-`], eventTypes: [...WORKSPACE_EVENT_TYPES] },
  async handle(events, manager) {
    for (const recorded of events) {
      if (isWorkspaceEvent(recorded)) await applyWorkspaceEvent(manager, recorded as RecordedEvent & WorkspaceEvent);
    }
  },
};

async function applyWorkspaceEvent(manager: EntityManager, event: RecordedEvent & WorkspaceEvent): Promise<void> {
  const metadata = event.metadata as Partial<EventMetadata>;
  const at = metadata.occurredAt ?? event.recordedAt.toISOString();
  const actor = metadata.actor ?? 'unknown';
  switch (event.type) {
    case 'TENANT_WORKSPACE_CREATED':
      await insertOrIgnore(manager, WorkspaceRecord, { id: event.data.workspaceId, createdAt: at, createdBy: actor });
      return;
    case 'TENANT_ADMIN_KEY_CREATED':
      await insertOrIgnore(manager, AdminKeyRecord, {
        id: event.data.keyId,
        workspaceId: event.data.workspaceId,
        prefix: event.data.prefix,
        keySha256: event.data.sha256,
        description: event.data.description,
        createdAt: at,
        createdBy: actor,
        revokedAt: null,
      });
      return;
    case 'TENANT_ADMIN_KEY_REVOKED':
      await manager.update(AdminKeyRecord, { id: event.data.keyId, workspaceId: event.data.workspaceId }, { revokedAt: at });
      return;
    case 'TENANT_SCIM_TOKEN_CREATED':
      await insertOrIgnore(manager, ScimTokenRecord, {
        id: event.data.tokenId,
        workspaceId: event.data.workspaceId,
        prefix: event.data.prefix,
        tokenSha256: event.data.sha256,
        description: event.data.description,
        createdAt: at,
        createdBy: actor,
        revokedAt: null,
        revokedBy: null,
      });
      return;
    case 'TENANT_SCIM_TOKEN_REVOKED':
      await manager.update(ScimTokenRecord, { id: event.data.tokenId, workspaceId: event.data.workspaceId }, { revokedAt: at, revokedBy: actor });
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`Unhandled workspace event ${JSON.stringify(unhandled)}`);
    }
  }
}

async function insertOrIgnore<T extends ObjectLiteral>(manager: EntityManager, target: new () => T, row: T): Promise<void> {
  await manager.createQueryBuilder().insert().into(target).values(row).orIgnore().execute();
}
