/** Where progress goes: a terminal gets one line rewritten in place, anything else plain lines. */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

/** Off a terminal, one line at most this often (and the last one). */
const LINE_EVERY_MS = 5000;

/**
 * Progress of `axis kafka republish`: events sent of the total, the rate and the ETA. The total is
 * an upper bound (the events after `from` up to the head; some are never published, and a time
 * bound ends the slice earlier), so it is printed as "of at most".
 */
export function republishProgress(topic: string, total: number, sink: ProgressSink, now: () => number = Date.now): { update(sent: number): void; done(sent: number): void } {
  const started = now();
  let lastLineAt = Number.NEGATIVE_INFINITY;
  const text = (sent: number) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = sent / seconds;
    const remaining = Math.max(0, total - sent);
    const eta = sent === 0 ? '?' : formatSeconds(remaining / rate);
    const percent = total > 0 ? ` (${Math.min(100, Math.floor((sent / total) * 100))} %)` : '';
    return `republished ${sent} of at most ${total} events to ${topic}${percent}, ${Math.round(rate)} events/s, ETA ${eta}`;
  };
  return {
    update(sent) {
      if (sink.isTTY) return sink.write(`\r${text(sent)}   `);
      if (now() - lastLineAt < LINE_EVERY_MS) return;
      lastLineAt = now();
      sink.write(`${text(sent)}\n`);
    },
    done(sent) {
      sink.write(`${sink.isTTY ? '\r' : ''}republished ${sent} events to ${topic} in ${formatSeconds((now() - started) / 1000)}${sink.isTTY ? '   \n' : '\n'}`);
    },
  };
}

function formatSeconds(seconds: number): string {
  const whole = Math.ceil(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}
