import type { IdpDialect } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';

/** Who asked, and how: every event written on its behalf carries it in its metadata. */
export interface WriteContext {
  workspaceId: string;
  /** `token:<prefix>` (SCIM), `admin:<id>`, `operator`, `system:<part>` … */
  actor: string;
  dialect: IdpDialect;
  /** Correlates the events with the request (or CLI run) that caused them; generated when absent. */
  requestId?: string;
  /** The event a reactor is reacting to: the events it writes are caused by it and share its correlation. */
  cause?: RecordedEvent;
}
