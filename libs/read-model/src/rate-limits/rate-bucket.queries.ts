import type { DataSource } from 'typeorm';

export interface RateBucketLimits {
  ratePerSecond: number;
  burst: number;
}

export interface RateTokenGrant {
  /** Tokens taken from the bucket, 0 … wanted. */
  granted: number;
  /** What the bucket holds after the grant (fractional): how long until the next token. */
  tokensLeft: number;
}

/** The bucket refilled up to now, in the database's clock (one clock for every gateway replica). */
const REFILLED = `least($3::float8, bucket.tokens + greatest(0, extract(epoch FROM now() - bucket.refilled_at)::float8) * $4::float8)`;

/**
 * Takes up to `wanted` whole tokens from the workspace's shared bucket in one statement: the row
 * lock serialises gateways, so together they never take more than the bucket holds. A missing
 * bucket starts full. PostgreSQL read models only (migration 0013).
 */
export async function takeRateTokens(db: DataSource, workspaceId: string, wanted: number, limits: RateBucketLimits): Promise<RateTokenGrant> {
  const rows = (await db.query(
    `INSERT INTO scim_rate_buckets AS bucket (workspace_id, tokens, refilled_at, last_granted)
     VALUES ($1, $3::float8 - least($2::int, floor($3::float8)), now(), least($2::int, floor($3::float8)))
     ON CONFLICT (workspace_id) DO UPDATE SET
       tokens = ${REFILLED} - least($2::int, floor(${REFILLED})),
       refilled_at = greatest(bucket.refilled_at, now()),
       last_granted = least($2::int, floor(${REFILLED}))
     RETURNING last_granted AS granted, tokens AS "tokensLeft"`,
    [workspaceId, wanted, limits.burst, limits.ratePerSecond],
  )) as Array<{ granted: number; tokensLeft: number }>;
  const row = rows[0]!;
  return { granted: Number(row.granted), tokensLeft: Number(row.tokensLeft) };
}
