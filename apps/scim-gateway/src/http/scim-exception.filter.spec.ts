import type { ArgumentsHost } from '@nestjs/common';
import { ReadBudgetExceeded } from '@axis/read-model';
import type { Logger } from '@axis/platform';
import type { RejectionRecorder } from '../rejections/rejection-recorder';
import { ScimExceptionFilter } from './scim-exception.filter';

/** What the filter sent for an exception thrown by a SCIM request of no principal. */
function answerTo(exception: unknown): { status: number; body: Record<string, unknown> } {
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
  const request = { url: '/scim/v2/Users?filter=x', method: 'GET', id: 'req-1', headers: {} };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
  const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn() } as unknown as Logger;
  new ScimExceptionFilter(logger, { record: jest.fn() } as unknown as RejectionRecorder).catch(exception, host);
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
});
