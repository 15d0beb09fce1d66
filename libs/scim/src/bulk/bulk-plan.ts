import { ScimError } from '../errors/scim-error';
import type { BulkOperation, RefusedBulkOperation } from './bulk-request';

const REFERENCE_PREFIX = 'bulkId:';

/** A 409 for an operation whose bulkId reference cannot be resolved (RFC 7644 §3.7.2). */
export function unresolvableReference(detail: string): ScimError {
  return new ScimError({ status: 409, scimType: 'invalidValue', code: 'SCIM_INVALID_VALUE', detail });
}

/** The bulkIds an operation refers to (`bulkId:<id>`), in its path and anywhere in its data. */
export function referencedBulkIds(operation: BulkOperation): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith(REFERENCE_PREFIX)) found.add(value.slice(REFERENCE_PREFIX.length));
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(operation.path.split('/')[2]);
  visit(operation.data);
  return found;
}

/** The operation with every `bulkId:<id>` of its path and data replaced by the id of the resource that POST created. */
export function withResolvedBulkIds(operation: BulkOperation, createdIds: ReadonlyMap<string, string>): BulkOperation {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith(REFERENCE_PREFIX) ? (createdIds.get(value.slice(REFERENCE_PREFIX.length)) ?? value) : value;
    if (Array.isArray(value)) return value.map(resolve);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    return value;
  };
  const [, collection, id] = operation.path.split('/');
  return {
    ...operation,
    path: id === undefined ? operation.path : `/${collection}/${encodeURIComponent(String(resolve(id)))}`,
    ...(operation.data === undefined ? {} : { data: resolve(operation.data) }),
  };
}

export interface BulkPlan {
  /** Operations to run, in this order: each after the POSTs whose bulkIds it refers to, otherwise as sent. */
  order: Array<BulkOperation & { dependsOn: string[] }>;
  /** Operations refused before running: a reference no POST of the request defines, or a cycle of references. */
  refused: RefusedBulkOperation[];
}

/**
 * Orders a bulk request's operations so that a reference `bulkId:x` runs after the POST that
 * creates x, keeping the request's order otherwise (Kahn's algorithm, the lowest index first). A
 * reference to a bulkId no POST defines is refused; so are operations caught in a cycle of
 * references (a POST whose data refers, directly or not, to its own bulkId) and those waiting on
 * one: the RFC allows a 409 instead of resolving cycles, and no IdP sends them.
 */
export function planBulk(operations: readonly BulkOperation[]): BulkPlan {
  const creators = new Map<string, BulkOperation>();
  for (const operation of operations) if (operation.method === 'POST' && operation.bulkId !== undefined) creators.set(operation.bulkId, operation);
  const refused: RefusedBulkOperation[] = [];
  const waiting: Array<BulkOperation & { dependsOn: string[] }> = [];
  for (const operation of operations) {
    const dependsOn = [...referencedBulkIds(operation)];
    const unknown = dependsOn.find((bulkId) => !creators.has(bulkId));
    if (unknown !== undefined) {
      refused.push(refusal(operation, unresolvableReference(`Operation ${operation.index + 1} refers to bulkId:${unknown}, which no POST of this request defines`)));
    } else {
      waiting.push({ ...operation, dependsOn });
    }
  }
  const refusedBulkIds = new Set(refused.flatMap((operation) => (operation.method === 'POST' && operation.bulkId !== undefined ? [operation.bulkId] : [])));
  const scheduled = new Set<string>();
  const order: BulkPlan['order'] = [];
  let progressed = true;
  while (waiting.length > 0 && progressed) {
    progressed = false;
    for (let position = 0; position < waiting.length; position++) {
      const operation = waiting[position]!;
      if (operation.dependsOn.some((bulkId) => refusedBulkIds.has(bulkId))) {
        refused.push(refusal(operation, unresolvableReference(`Operation ${operation.index + 1} refers to a bulkId whose POST was refused`)));
        if (operation.method === 'POST' && operation.bulkId !== undefined) refusedBulkIds.add(operation.bulkId);
      } else if (operation.dependsOn.every((bulkId) => scheduled.has(bulkId))) {
        order.push(operation);
        if (operation.bulkId !== undefined) scheduled.add(operation.bulkId);
      } else {
        continue;
      }
      waiting.splice(position, 1);
      progressed = true;
      // Back to the lowest index: what this one unblocked may come before the rest.
      break;
    }
  }
  for (const operation of waiting) {
    const pending = operation.dependsOn.filter((bulkId) => !scheduled.has(bulkId));
    refused.push(refusal(operation, unresolvableReference(`Operation ${operation.index + 1} is part of, or waits on, a circular bulkId reference (${pending.map((bulkId) => `bulkId:${bulkId}`).join(', ')})`)));
  }
  return { order, refused };
}

function refusal(operation: BulkOperation, error: ScimError): RefusedBulkOperation {
  return { index: operation.index, method: operation.method, ...(operation.bulkId === undefined ? {} : { bulkId: operation.bulkId }), error };
}
