import { resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Client, type ClientConfig } from 'pg';
import type { Position } from '@axis/event-store';
import type { DataSource, EntityManager } from 'typeorm';

export type CheckpointListener = (consumer: string, position: Position) => void;

interface Announcement {
  consumer: string;
  position: Position;
}

/**
 * Consumers announce every checkpoint they commit, so that a read waiting for one (read-your-writes)
 * is released the moment the batch commits rather than at its next poll of `projection_checkpoints`
 * (with the 5-ms poll alone, an IdP's lookup after a write waited 4.3–4.8 ms p50 for a projection
 * that had committed its batch about a millisecond after the append: issue #27).
 *
 * - Listeners of the committing thread are called directly.
 * - SQLite file: the process's other threads hear it on a BroadcastChannel named after the file (the
 *   all-in-one's consumers run on a worker thread, its gateway on the main thread).
 * - PostgreSQL: a NOTIFY sent in the batch's own transaction, so it is delivered only if the batch
 *   commits, and only after; each listening process holds one LISTEN connection.
 *
 * An announcement is a hint, never the record: a lost one (LISTEN connection down, another process
 * on a SQLite file) leaves the waiter to its poll.
 */
class CheckpointChannel {
  private readonly listeners = new Set<CheckpointListener>();
  private readonly otherThreads: BroadcastChannel | null;
  private listener: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly database: DatabaseAddress) {
    if (database.dialect === 'sqlite-file') {
      this.otherThreads = new BroadcastChannel(checkpointChannelName(database.file));
      this.otherThreads.unref();
      this.otherThreads.onmessage = (message) => this.deliver((message as { data: Announcement }).data);
    } else this.otherThreads = null;
  }

  /** Inside the batch's transaction, after its checkpoint's compare-and-set. */
  async inTransaction(manager: EntityManager, announcement: Announcement): Promise<void> {
    if (this.database.dialect === 'postgres') await manager.query('SELECT pg_notify($1, $2)', [this.database.channel, JSON.stringify(announcement)]);
  }

  /** Once the batch's transaction committed. */
  committed(announcement: Announcement): void {
    this.deliver(announcement);
    this.otherThreads?.postMessage(announcement);
  }

  listen(listener: CheckpointListener): () => void {
    this.listeners.add(listener);
    if (this.database.dialect === 'postgres') this.ensureListening();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopListening();
    };
  }

  private deliver({ consumer, position }: Announcement): void {
    for (const listener of this.listeners) listener(consumer, position);
  }

  private ensureListening(): void {
    if (this.listener || this.reconnectTimer || this.database.dialect !== 'postgres') return;
    const { connection, channel } = this.database;
    const client = new Client(connection);
    this.listener = client;
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      if (this.listeners.size === 0) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (this.listeners.size > 0) this.ensureListening();
      }, 1000);
      this.reconnectTimer.unref();
    };
    client.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      this.deliver(JSON.parse(message.payload) as Announcement);
    });
    client.on('error', lost);
    client.on('end', lost);
    client
      .connect()
      .then(() => client.query(`LISTEN "${channel}"`))
      .catch(lost);
  }

  private stopListening(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.listener;
    this.listener = null;
    client?.end().catch(() => undefined);
  }
}

/** The BroadcastChannel on which a process's threads announce the checkpoints they commit to a SQLite file. */
export function checkpointChannelName(filename: string): string {
  return `axis-checkpoints:${resolve(filename)}`;
}

type DatabaseAddress =
  | { dialect: 'sqlite-file'; key: string; file: string }
  | { dialect: 'sqlite-memory' }
  | { dialect: 'postgres'; key: string; connection: ClientConfig; channel: string };

function addressOf(dataSource: DataSource): DatabaseAddress {
  const options = dataSource.options;
  if (options.type === 'postgres') {
    const schema = options.schema ?? 'public';
    // The read model is opened from its URL alone (openReadModel): so is its LISTEN connection.
    const connection: ClientConfig = { connectionString: options.url };
    return { dialect: 'postgres', key: `${options.url ?? ''}#${schema}`, connection, channel: `${schema}_checkpoints` };
  }
  const database = String(options.database ?? ':memory:');
  // Every DataSource of ':memory:' is a database of its own.
  if (database === ':memory:' || database === '') return { dialect: 'sqlite-memory' };
  const file = resolve(database);
  return { dialect: 'sqlite-file', key: file, file };
}

const byDatabase = new Map<string, CheckpointChannel>();
const inMemory = new WeakMap<DataSource, CheckpointChannel>();

/** The checkpoint announcements of the database behind `dataSource`, shared by every DataSource of it in this thread. */
export function checkpointAnnouncements(dataSource: DataSource): CheckpointChannel {
  const address = addressOf(dataSource);
  if (address.dialect === 'sqlite-memory') {
    let channel = inMemory.get(dataSource);
    if (!channel) inMemory.set(dataSource, (channel = new CheckpointChannel(address)));
    return channel;
  }
  let channel = byDatabase.get(address.key);
  if (!channel) byDatabase.set(address.key, (channel = new CheckpointChannel(address)));
  return channel;
}
