import type { DomainEvent } from '../shared/event-metadata';

export interface WorkspaceCreatedData {
  workspaceId: string;
  slug: string;
}

export type WorkspaceCreated = DomainEvent<'TENANT_WORKSPACE_CREATED', WorkspaceCreatedData>;

export type WorkspaceEvent = WorkspaceCreated;
