import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AsyncAPIDocumentInterface, type Diagnostic, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { outboundTypeOf, PUBLISHED_EVENT_TYPES } from './outbound-events';

const DOCUMENT = readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8');

function describeDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.code} at ${diagnostic.path.join('.') || '(root)'}: ${diagnostic.message}`;
}

/** CloudEvents type → x-event-type of each message an operation lists. */
function documentedTypes(document: AsyncAPIDocumentInterface, operationId: string): Map<string, string> {
  const operation = document.operations().get(operationId);
  if (!operation) throw new Error(`docs/asyncapi.yaml has no operation ${operationId}`);
  return new Map(operation.messages().all().map((message) => [message.name() ?? '', String(message.extensions().get('x-event-type')?.value() ?? '')]));
}

describe('docs/asyncapi.yaml, the contract of what the notifier publishes', () => {
  let document: AsyncAPIDocumentInterface;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const parsed = await new Parser().parse(DOCUMENT);
    diagnostics = parsed.diagnostics;
    if (!parsed.document) throw new Error(`docs/asyncapi.yaml does not parse:\n${diagnostics.map(describeDiagnostic).join('\n')}`);
    document = parsed.document;
  });

  it('is a valid AsyncAPI 3 document (warnings are printed, not fatal)', () => {
    expect(document.version()).toMatch(/^3\./);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error).map(describeDiagnostic)).toEqual([]);
    const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Warning).map(describeDiagnostic);
    if (warnings.length > 0) console.warn(`docs/asyncapi.yaml warnings:\n${warnings.join('\n')}`);
  });

  it('has a message for every event type the notifier publishes, named by its CloudEvents type', () => {
    const documented = documentedTypes(document, 'publishScimEvents');
    const undocumented = PUBLISHED_EVENT_TYPES.filter((type) => documented.get(outboundTypeOf({ type })) !== type);
    expect(undocumented).toEqual([]);
  });

  it('documents no event type the notifier does not publish', () => {
    const published = new Set(PUBLISHED_EVENT_TYPES.map((type) => outboundTypeOf({ type })));
    expect([...documentedTypes(document, 'publishScimEvents').keys()].filter((type) => !published.has(type))).toEqual([]);
  });

  it('describes every message with a schema of its data and the CloudEvents headers', () => {
    const incomplete = document
      .operations()
      .get('publishScimEvents')!
      .messages()
      .all()
      .filter((message) => !message.hasPayload() || !message.hasHeaders())
      .map((message) => message.name());
    expect(incomplete).toEqual([]);
  });
});
