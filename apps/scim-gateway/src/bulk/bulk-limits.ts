import { BULK_MAX_PAYLOAD_SIZE } from '@axis/scim';
import type { GatewayConfig } from '../gateway.config';

/** The largest bulk body this gateway takes: BULK_MAX_PAYLOAD_SIZE, or less when MAX_BODY_BYTES is lower (Fastify refuses bigger bodies first). */
export function bulkMaxPayloadSize(config: Pick<GatewayConfig, 'MAX_BODY_BYTES'>): number {
  return Math.min(BULK_MAX_PAYLOAD_SIZE, config.MAX_BODY_BYTES);
}
