import type { INestApplicationContext } from '@nestjs/common';

/**
 * Ctrl-C / SIGTERM close the app (consumers stop, then the stores close) and exit 0. A second
 * signal while closing exits at once, for an operator who really means it.
 */
export function closeOnSignals(app: INestApplicationContext): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown after ${signal} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
