import type { ArgumentsHost } from '@nestjs/common';
import { ReadBudgetExceeded } from '@axis/read-model';
import type { Logger } from '@axis/platform';
import { ScimError, scimErrors } from '@axis/scim';
import type { RejectionRecorder } from '../rejections/rejection-recorder';
import { ScimExceptionFilter } from './scim-exception.filter';

/** What the filter sent for an exception thrown by a SCIM request (of no principal unless given). */
function answerTo(exception: unknown, scimPrincipal?: object, recorder = { record: jest.fn() }): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header() {
      return reply;
    },
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  const request = { url: '/scim/v2/Users?filter=x', method: 'GET', id: 'req-1', headers: {}, scimPrincipal };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
  const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn() } as unknown as Logger;
  new ScimExceptionFilter(logger, recorder as unknown as RejectionRecorder).catch(exception, host);
  return sent;
}

describe('ScimExceptionFilter', () => {
  it('answers a search past its time budget on the SQLite reader threads as a cancelled PostgreSQL read: 503, not a 500', () => {
    const { status, body } = answerTo(new ReadBudgetExceeded(5_000));
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: '503', detail: expect.stringMatching(/^SCIM_READ_TIMEOUT: /) });
  });

  it('answers anything unexpected with a 500 that shows no stack', () => {
    const { status, body } = answerTo(new Error('secret internals'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret internals');
  });

  it("records an authenticated request's refusal under its product code, except those with events of their own or not the request's fault", () => {
    const principal = { workspaceId: 'ws-1', actor: 'token:scim_ab12', tokenId: 'token-1' };
    const recordedCodes = (error: ScimError): string[] => {
      const recorder = { record: jest.fn() };
      answerTo(error, principal, recorder);
      return recorder.record.mock.calls.map(([rejection]: [{ type: string }]) => rejection.type);
    };
    expect(recordedCodes(scimErrors.invalidFilter('bad filter'))).toEqual(['SCIM_INVALID_FILTER']);
    // The guard records these with their own data (ScimUnauthorizedData, ScimRateLimitedData).
    expect(recordedCodes(scimErrors.unauthorized())).toEqual([]);
    expect(recordedCodes(new ScimError({ status: 429, code: 'SCIM_RATE_LIMITED', detail: 'slow down' }))).toEqual([]);
    expect(recordedCodes(scimErrors.notFound('no such user'))).toEqual([]);
  });
});
