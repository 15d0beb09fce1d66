import { Inject, Injectable } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { rejectionStreamName, type ScimRejection } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { APP_CONFIG, LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import { findWorkspace } from '@axis/read-model';
import { appendEvents, type WriteContext } from '@axis/write';
import type { DataSource } from 'typeorm';
import { RejectionThrottle } from './rejection-throttle';

const THROTTLE_WINDOW_MS = 10_000;
const WORKSPACE_CACHE_MS = 10_000;
const WORKSPACE_CACHE_LIMIT = 10_000;

/** Who was refused: a write context whose workspace is the rejection's own. */
export type RejectionContext = Pick<WriteContext, 'actor' | 'dialect'> & { requestId: string };

/**
 * Records refused SCIM requests (`SCIM_UNAUTHORIZED`, `SCIM_RATE_LIMITED`, and the product error
 * code of a refused authenticated request) and `SCIM_ATTRIBUTES_IGNORED` as events in the
 * workspace's `rejection-<id>.log` stream, for the Security Console. Throttled per process (one
 * per workspace and reason per 10 s), and only for workspaces that exist, so neither a flood nor
 * made-up host names can fill the store. Fire-and-forget: a refusal never waits for the append.
 */
@Injectable()
export class RejectionRecorder {
  private readonly throttle = new RejectionThrottle(THROTTLE_WINDOW_MS);
  private readonly knownWorkspaces = new Map<string, { exists: boolean; until: number }>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: HttpConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  record(rejection: ScimRejection, context: RejectionContext): void {
    this.recordNow(rejection, context).catch((error: unknown) => {
      this.logger.warn({ error: error instanceof Error ? error.message : String(error), code: rejection.type }, 'could not record a SCIM rejection');
    });
  }

  /** Resolves once the rejection is recorded or dropped (exposed for tests). */
  async recordNow(rejection: ScimRejection, context: RejectionContext): Promise<boolean> {
    const { workspaceId } = rejection.data;
    const reason =
      'reason' in rejection.data ? rejection.data.reason : 'ignoredAttributes' in rejection.data ? rejection.data.ignoredAttributes.join(' ') : rejection.type;
    if (!(await this.workspaceExists(workspaceId))) return false;
    const admitted = this.throttle.admit(`${workspaceId}|${rejection.type}|${reason}`);
    if (!admitted.record) return false;
    await appendEvents(
      this.eventStore,
      rejectionStreamName(workspaceId),
      [{ type: rejection.type, data: { ...rejection.data, suppressed: admitted.suppressed } }],
      { ...context, workspaceId },
    );
    return true;
  }

  /** Whether the workspace exists (cached 10 s per process): the request log asks it too, for refused requests. */
  async workspaceExists(workspaceId: string): Promise<boolean> {
    if (workspaceId === this.config.DEFAULT_WORKSPACE) return true;
    const now = Date.now();
    const cached = this.knownWorkspaces.get(workspaceId);
    if (cached && cached.until > now) return cached.exists;
    const exists = (await findWorkspace(this.readModel, workspaceId)) !== null;
    if (this.knownWorkspaces.size >= WORKSPACE_CACHE_LIMIT) this.knownWorkspaces.clear();
    this.knownWorkspaces.set(workspaceId, { exists, until: now + WORKSPACE_CACHE_MS });
    return exists;
  }
}
