/**
 * Reads that must see everything committed before the caller asked, shared among callers: a caller
 * joins the read in flight only if it started after the caller arrived — otherwise it waits for the
 * next one, which starts when that one ends and serves everyone who arrived meanwhile. Under many
 * concurrent requests of one workspace (an IdP's sync, a flood) a key costs about two reads per
 * round trip instead of one per request, and no caller gets an answer older than its own arrival.
 */
export class FreshReads<Value> {
  private readonly inFlight = new Map<string, Promise<Value>>();
  private readonly next = new Map<string, Promise<Value>>();

  constructor(private readonly read: (key: string) => Promise<Value>) {}

  get(key: string): Promise<Value> {
    const current = this.inFlight.get(key);
    if (!current) return this.start(key);
    let following = this.next.get(key);
    if (!following) {
      following = current
        .catch(() => undefined)
        .then(() => {
          this.next.delete(key);
          return this.start(key);
        });
      this.next.set(key, following);
    }
    return following;
  }

  private start(key: string): Promise<Value> {
    const reading = this.read(key).finally(() => {
      if (this.inFlight.get(key) === reading) this.inFlight.delete(key);
    });
    this.inFlight.set(key, reading);
    return reading;
  }
}
