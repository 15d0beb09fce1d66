import { AUDIT_CSV_HEADER, auditCsvRow, csvField } from './audit.views';

describe('audit CSV export', () => {
  it('quotes fields with commas, quotes or line breaks and doubles the quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
  });

  it('writes one CRLF-terminated record per entry in the header order, details as JSON', () => {
    const row = auditCsvRow({
      id: 'e1',
      workspaceId: 'acme',
      code: 'TENANT_SCIM_TOKEN_REVOKED',
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: 'admin:adm_x',
      actorName: 'Doe, Jane',
      target: { id: 't1', externalId: null, userName: null },
      dialect: 'admin',
      requestId: null,
      details: { stream: 'workspace', revision: 3 },
    });
    expect(AUDIT_CSV_HEADER).toBe('id,occurredAt,code,actor,actorName,targetId,targetExternalId,targetUserName,dialect,requestId,details\r\n');
    expect(row).toBe('e1,2026-01-01T00:00:00.000Z,TENANT_SCIM_TOKEN_REVOKED,admin:adm_x,"Doe, Jane",t1,,,admin,,"{""stream"":""workspace"",""revision"":3}"\r\n');
  });
});
