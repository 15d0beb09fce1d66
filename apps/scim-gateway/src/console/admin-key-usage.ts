import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import { recordAdminKeyUse } from '@axis/read-model';
import type { DataSource } from 'typeorm';

const TOUCH_EVERY_MS = 60_000;
const TOUCHED_LIMIT = 10_000;

/**
 * Records when an admin key was last used (`admin_key_usage`), at most once a minute per key and
 * process, off the request's path: like `scim_token_usage`, operational state the gateway writes.
 */
@Injectable()
export class AdminKeyUsage {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.touchedAt.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    if (this.touchedAt.size >= TOUCHED_LIMIT) this.touchedAt.clear();
    this.touchedAt.set(keyId, now);
    recordAdminKeyUse(this.readModel, keyId, new Date(now).toISOString()).catch((error: unknown) => {
      this.logger.warn({ keyId, error: error instanceof Error ? error.message : String(error) }, 'could not record admin key use');
    });
  }
}
