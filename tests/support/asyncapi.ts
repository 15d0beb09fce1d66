/** Validates Kafka records against docs/asyncapi.yaml: headers and payload schema of the message with that ce_type. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { REPO_ROOT } from './processes';

interface AsyncApiDocument {
  components: { messages: Record<string, { name: string; 'x-event-type': string }> };
  channels: Record<string, { messages: Record<string, { $ref: string }> }>;
}

export interface AsyncApiValidator {
  /** ce_type → event type, for every documented message. */
  documentedTypes: Map<string, string>;
  /** Problems of one record; empty when it conforms. */
  check(record: { key: string; headers: Record<string, string>; value: string }): string[];
}

export function loadAsyncApiValidator(): AsyncApiValidator {
  const document = load(readFileSync(join(REPO_ROOT, 'docs/asyncapi.yaml'), 'utf8')) as AsyncApiDocument;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)));
  ajv.addSchema(document as object, 'asyncapi');
  const byType = new Map<string, { headers: ValidateFunction; payload: ValidateFunction; key: RegExp }>();
  const documentedTypes = new Map<string, string>();
  const channel = Object.values(document.channels)[0]!;
  for (const reference of Object.values(channel.messages)) {
    const id = reference.$ref.split('/').pop()!;
    const message = document.components.messages[id]!;
    documentedTypes.set(message.name, message['x-event-type']);
    byType.set(message.name, {
      headers: ajv.compile({ $ref: `asyncapi#/components/messages/${id}/headers` }),
      payload: ajv.compile({ $ref: `asyncapi#/components/messages/${id}/payload` }),
      key: /^[^:]+:.+$/,
    });
  }
  return {
    documentedTypes,
    check(record) {
      const type = record.headers['ce_type'] ?? '';
      const validators = byType.get(type);
      if (!validators) return [`ce_type ${type} is not documented in docs/asyncapi.yaml`];
      const problems: string[] = [];
      if (!validators.key.test(record.key)) problems.push(`key ${record.key} is not <workspaceId>:<resourceId>`);
      if (!validators.headers(record.headers)) problems.push(`${type} headers: ${ajv.errorsText(validators.headers.errors)}`);
      let payload: unknown;
      try {
        payload = JSON.parse(record.value);
      } catch {
        return [...problems, `${type} value is not JSON`];
      }
      if (!validators.payload(payload)) problems.push(`${type} payload: ${ajv.errorsText(validators.payload.errors)}`);
      return problems;
    },
  };
}
