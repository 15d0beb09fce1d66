/**
 * Streams are named `<category>-<workspaceId>.<id>` so EventStoreDB's `$ce-<category>` works and
 * a subscription can filter a category by prefix (DESIGN.md §3).
 */
export const STREAM_CATEGORY = {
  user: 'user',
  group: 'group',
  workspace: 'workspace',
  /** Write-side bookkeeping: one stream per unique value (userName, email …); never published. */
  unique: 'unique',
  rejection: 'rejection',
} as const;

export function userStreamName(workspaceId: string, userId: string): string {
  return `${STREAM_CATEGORY.user}-${workspaceId}.${userId}`;
}

export function parseStreamName(streamName: string): { category: string; workspaceId: string; id: string } | null {
  const match = /^([a-z]+)-([^.]+)\.(.+)$/.exec(streamName);
  return match ? { category: match[1]!, workspaceId: match[2]!, id: match[3]! } : null;
}

/** Workspace-level facts (creation, settings) live in one stream per workspace. */
export function workspaceStreamName(workspaceId: string): string {
  return `${STREAM_CATEGORY.workspace}-${workspaceId}.settings`;
}

/**
 * Refused SCIM requests (401, 429) of one workspace, for the Security Console. A stream of its
 * own so a burst of rejections never contends with the workspace's settings.
 */
export function rejectionStreamName(workspaceId: string): string {
  return `${STREAM_CATEGORY.rejection}-${workspaceId}.log`;
}
