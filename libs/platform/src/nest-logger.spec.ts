import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoNestLogger } from './nest-logger';

function capture(): { logger: PinoNestLogger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void written.push(chunk.toString())) });
  const logger = new PinoNestLogger(pino({ level: 'trace', base: { service: 'test' } }, sink));
  return { logger, lines: () => written.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('PinoNestLogger', () => {
  it("writes Nest's lines as pino JSON with Nest's context, its chatty log level as debug", () => {
    const { logger, lines } = capture();
    logger.log('Mapped {/scim/v2/Users, POST} route', 'RouterExplorer');
    logger.warn('careful');
    logger.verbose('detail', 'Ctx');
    expect(lines().map(({ level, msg, nest, service }) => ({ level, msg, nest, service }))).toEqual([
      { level: 20, msg: 'Mapped {/scim/v2/Users, POST} route', nest: 'RouterExplorer', service: 'test' },
      { level: 40, msg: 'careful', nest: undefined, service: 'test' },
      { level: 10, msg: 'detail', nest: 'Ctx', service: 'test' },
    ]);
  });

  it('keeps the stack of an error apart from its context, and an Error as err', () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at somewhere (x.js:1:1)', 'ExceptionHandler');
    logger.error(new Error('bad'), 'Injector');
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 50, msg: 'boom', nest: 'ExceptionHandler', stack: expect.stringContaining('at somewhere') });
    expect(second).toMatchObject({ level: 50, msg: 'bad', nest: 'Injector', err: { message: 'bad' } });
  });
});
