/**
 * Validates what the notifier really sent against docs/asyncapi.yaml: Kafka records (headers, key
 * and the data schema of the message with that ce_type) and webhook deliveries (headers, envelope,
 * and `data` against the same message's schema).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import Ajv, { type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import type { KafkaMessage } from 'kafkajs';
import { REPO_ROOT } from './processes';

const KAFKA_CHANNEL = 'scimEvents';

interface AsyncApiDocument {
  components: { messages: Record<string, { name: string; 'x-event-type': string }> };
  channels: Record<string, { messages: Record<string, { $ref: string }> }>;
}

export interface ContractRecord {
  key: string;
  headers: Record<string, string>;
  value: string;
}

export interface AsyncApiValidator {
  /** ce_type → event type, for every documented message. */
  documentedTypes: Map<string, string>;
  /** Problems of one Kafka record; empty when it conforms. */
  check(record: ContractRecord): string[];
  /** Problems of one webhook delivery (its headers and raw body); empty when it conforms. */
  checkWebhookDelivery(delivery: { headers: IncomingHttpHeaders | Record<string, string>; body: string }): string[];
}

/** A record as kafkajs hands it to a consumer, in the shape `check` takes. */
export function contractRecordOf(message: Pick<KafkaMessage, 'key' | 'headers' | 'value'>): ContractRecord {
  return {
    key: message.key?.toString() ?? '',
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
    value: message.value?.toString() ?? '',
  };
}

export function loadAsyncApiValidator(): AsyncApiValidator {
  const document = load(readFileSync(join(REPO_ROOT, 'docs/asyncapi.yaml'), 'utf8')) as AsyncApiDocument;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)));
  ajv.addSchema(document as object, 'asyncapi');
  const byType = new Map<string, { headers: ValidateFunction; payload: ValidateFunction }>();
  const documentedTypes = new Map<string, string>();
  const channel = document.channels[KAFKA_CHANNEL];
  if (!channel) throw new Error(`docs/asyncapi.yaml has no channel ${KAFKA_CHANNEL}`);
  for (const reference of Object.values(channel.messages)) {
    const id = reference.$ref.split('/').pop()!;
    const message = document.components.messages[id]!;
    documentedTypes.set(message.name, message['x-event-type']);
    byType.set(message.name, {
      headers: ajv.compile({ $ref: `asyncapi#/components/messages/${id}/headers` }),
      payload: ajv.compile({ $ref: `asyncapi#/components/messages/${id}/payload` }),
    });
  }
  const webhookHeaders = ajv.compile({ $ref: 'asyncapi#/components/schemas/WebhookHeaders' });
  const webhookPayload = ajv.compile({ $ref: 'asyncapi#/components/schemas/WebhookPayload' });

  function dataProblems(type: string, data: unknown): string[] {
    const validators = byType.get(type);
    if (!validators) return [`type ${type} is not documented in docs/asyncapi.yaml`];
    return validators.payload(data) ? [] : [`${type} data: ${ajv.errorsText(validators.payload.errors)}`];
  }

  return {
    documentedTypes,
    check(record) {
      const type = record.headers['ce_type'] ?? '';
      const validators = byType.get(type);
      if (!validators) return [`ce_type ${type} is not documented in docs/asyncapi.yaml`];
      const problems: string[] = [];
      if (!/^[^:]+:.+$/.test(record.key)) problems.push(`key ${record.key} is not <workspaceId>:<resourceId>`);
      if (!validators.headers(record.headers)) problems.push(`${type} headers: ${ajv.errorsText(validators.headers.errors)}`);
      let payload: unknown;
      try {
        payload = JSON.parse(record.value);
      } catch {
        return [...problems, `${type} value is not JSON`];
      }
      return [...problems, ...dataProblems(type, payload)];
    },
    checkWebhookDelivery(delivery) {
      const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
      const problems: string[] = [];
      if (!webhookHeaders(headers)) problems.push(`webhook headers: ${ajv.errorsText(webhookHeaders.errors)}`);
      let body: { type?: string; id?: string; data?: unknown };
      try {
        body = JSON.parse(delivery.body) as typeof body;
      } catch {
        return [...problems, 'webhook body is not JSON'];
      }
      if (!webhookPayload(body)) problems.push(`webhook body: ${ajv.errorsText(webhookPayload.errors)}`);
      if (headers['webhook-id'] !== body.id) problems.push(`webhook-id ${headers['webhook-id']} is not the event id ${body.id}`);
      return [...problems, ...dataProblems(body.type ?? '', body.data)];
    },
  };
}
