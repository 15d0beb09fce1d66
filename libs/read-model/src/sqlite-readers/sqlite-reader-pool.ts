import { Worker } from 'node:worker_threads';

/** A search that did not finish within the read budget; the gateway answers it with a SCIM 400 `tooMany`. */
export class ReadBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`The search did not finish within ${budgetMs} ms`);
    this.name = 'ReadBudgetExceeded';
  }
}

export interface SqliteReaderPoolOptions {
  /** The SQLite read model's file (WAL mode: readers never block the writer, nor it them). */
  file: string;
  /** Reader threads, each with its own read-only connection. */
  threads: number;
  /** How long a search may wait for a thread and run on it, from the moment it is asked for; 0: no limit. */
  budgetMs: number;
}

interface Job {
  sql: string;
  params: unknown[];
  lane: string;
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

interface ReaderAnswer {
  ready?: true;
  openError?: string;
  rows?: unknown[];
  error?: string;
}

interface Reader {
  worker: Worker;
  started: Promise<void>;
  opened: boolean;
  job?: Job;
}

/*
 * Runs in each reader thread. Plain CommonJS evaluated from a string, so that the same code runs
 * under ts-jest (sources) and from dist; the driver's path comes from the main thread's resolution.
 */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
} catch (error) {
  parentPort.postMessage({ openError: String(error && error.message ? error.message : error) });
  process.exit(1);
}
parentPort.postMessage({ ready: true });
const statements = new Map();
parentPort.on('message', ({ sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size < 200) statements.set(sql, statement);
    }
    parentPort.postMessage({ rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
});
`;

/**
 * SQLite answers a statement synchronously on the thread that asks. On the embedded default that
 * thread serves every request of every workspace, so one costly filter held /healthz and every
 * tenant for as long as it ran (issue 23: 1.2 s for `name.familyName co "zzz"` at 20,000 users).
 * Searches run here instead, on reader threads with read-only connections to the same file:
 *
 * - the event loop stays free whatever a filter costs;
 * - a search that has not finished within the budget is answered with `ReadBudgetExceeded`
 *   (better-sqlite3 cannot interrupt a statement: its thread finishes it and is then reused, so
 *   abandoned work still occupies a thread and the pool's cost stays bounded by its size);
 * - one workspace may hold at most `threads - 1` readers, so another workspace's search always
 *   finds a thread that no single tenant can take (with one thread, searches simply queue).
 *
 * Reads stay consistent with what the gateway waited for: a reader starts a fresh read
 * transaction per statement, which sees every transaction the projector committed before it.
 */
export class SqliteReaderPool {
  private readonly readers: Reader[] = [];
  private readonly queue: Job[] = [];
  private readonly busyByLane = new Map<string, number>();
  private readonly firstReaders: Reader[];
  private closed = false;

  constructor(private readonly options: SqliteReaderPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`Reader threads must be a positive integer, not ${options.threads}`);
    for (let index = 0; index < options.threads; index += 1) this.readers.push(this.startReader());
    this.firstReaders = [...this.readers];
  }

  /** Resolves once every reader thread has opened the database (rejects if one cannot). */
  async ready(): Promise<void> {
    await Promise.all(this.firstReaders.map(async (reader) => reader.started));
  }

  /** The rows of a read-only statement, run on a reader thread within the budget. `lane`: the workspace. */
  rows<Row>(sql: string, params: readonly unknown[], lane: string): Promise<Row[]> {
    if (this.closed || this.readers.length === 0) return Promise.reject(new Error('The SQLite reader pool is closed or has no reader'));
    return new Promise<Row[]>((resolve, reject) => {
      const job: Job = {
        sql,
        params: [...params],
        lane,
        resolve: resolve as (rows: unknown[]) => void,
        reject,
        settled: false,
        timer: this.options.budgetMs > 0 ? setTimeout(() => this.expire(job), this.options.budgetMs) : undefined,
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error('The SQLite reader pool closed'));
    await Promise.all(this.readers.map(async (reader) => reader.worker.terminate()));
  }

  private get laneLimit(): number {
    return Math.max(1, this.options.threads - 1);
  }

  private startReader(): Reader {
    const worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.options.file },
    });
    let opened: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    started.catch(() => undefined);
    const reader: Reader = { worker, started, opened: false };
    worker.unref();
    worker.on('message', (answer: ReaderAnswer) => {
      if (answer.openError !== undefined) return failed(new Error(`A reader thread cannot open ${this.options.file}: ${answer.openError}`));
      if (!answer.ready) return this.finish(reader, answer);
      reader.opened = true;
      opened();
    });
    worker.on('error', (error) => {
      failed(error);
      this.replace(reader, error);
    });
    worker.on('exit', () => {
      if (!this.closed) this.replace(reader, new Error('A SQLite reader thread exited'));
    });
    return reader;
  }

  private dispatch(): void {
    for (const reader of this.readers) {
      if (reader.job) continue;
      const index = this.queue.findIndex((job) => (this.busyByLane.get(job.lane) ?? 0) < this.laneLimit);
      if (index < 0) return;
      const [job] = this.queue.splice(index, 1) as [Job];
      reader.job = job;
      this.busyByLane.set(job.lane, (this.busyByLane.get(job.lane) ?? 0) + 1);
      reader.worker.postMessage({ sql: job.sql, params: job.params });
    }
  }

  private finish(reader: Reader, answer: ReaderAnswer): void {
    const job = reader.job;
    if (!job) return;
    this.release(reader, job);
    this.settle(job, answer.error === undefined ? (answer.rows ?? []) : new Error(answer.error));
    this.dispatch();
  }

  /** A job past its budget: refused if still queued; if running, its thread stays busy until the statement ends. */
  private expire(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.settle(job, new ReadBudgetExceeded(this.options.budgetMs));
  }

  private replace(reader: Reader, error: Error): void {
    const index = this.readers.indexOf(reader);
    if (index < 0) return;
    const job = reader.job;
    if (job) {
      this.release(reader, job);
      this.settle(job, error);
    }
    void reader.worker.terminate();
    if (this.closed) return;
    if (!reader.opened) {
      // A thread that could not even open the database would fail again: no restart loop.
      this.readers.splice(index, 1);
      if (this.readers.length === 0) for (const queued of this.queue.splice(0)) this.settle(queued, error);
      return;
    }
    this.readers[index] = this.startReader();
    this.dispatch();
  }

  private release(reader: Reader, job: Job): void {
    reader.job = undefined;
    const busy = (this.busyByLane.get(job.lane) ?? 1) - 1;
    if (busy > 0) this.busyByLane.set(job.lane, busy);
    else this.busyByLane.delete(job.lane);
  }

  private settle(job: Job, outcome: unknown[] | Error): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }
}
