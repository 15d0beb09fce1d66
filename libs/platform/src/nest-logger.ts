import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'debug' | 'trace';

/**
 * Nest's own log lines (bootstrap, the exceptions it logs itself) as pino JSON, like every other
 * line of the process, with Nest's context as `nest`. Nest's chatty `log` level (each module and
 * route at start-up) is pino's debug.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  /** Nest passes `(message, context)`, or for errors `(message, stack, context)`. */
  private write(level: Level, message: unknown, optional: unknown[]): void {
    const strings = optional.filter((value): value is string => typeof value === 'string');
    const stack = strings.find((value) => /\n\s+at /.test(value));
    const context = strings.filter((value) => value !== stack).at(-1);
    const fields: Record<string, unknown> = { ...(context === undefined ? {} : { nest: context }), ...(stack === undefined ? {} : { stack }) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...(message as Record<string, unknown>) }, 'nest');
    else this.logger[level](fields, String(message));
  }
}

/**
 * A process that cannot start says so as one JSON line on stderr (its fatal level), not as a bare
 * message or a stack trace.
 */
export function reportStartFailure(service: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 60, time: new Date().toISOString(), service, name: service, msg: `${service} failed to start: ${message}` })}\n`);
}
