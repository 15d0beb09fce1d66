import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StorageConfig } from '@axis/config';
import { createEventStore, type EventStore } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';

export interface Stores {
  eventStore: EventStore;
  /** Only read (projection checkpoints): the CLI writes events, never the read model. */
  readModel: DataSource;
  close(): Promise<void>;
}

/** The stores the services use, from the same configuration. */
export async function openStores(config: StorageConfig): Promise<Stores> {
  const url = config.eventStoreUrl();
  if (url.startsWith('sqlite:') && url !== 'sqlite::memory:') mkdirSync(dirname(url.slice('sqlite:'.length)), { recursive: true });
  const eventStore = await createEventStore({ url, schema: config.EVENT_STORE_SCHEMA });
  let readModel: DataSource;
  try {
    readModel = await openReadModel({ url: config.readModelUrl(), schema: config.READ_MODEL_SCHEMA, poolSize: 2 });
  } catch (error) {
    await eventStore.close();
    throw error;
  }
  return {
    eventStore,
    readModel,
    async close() {
      await eventStore.close();
      if (readModel.isInitialized) await readModel.destroy();
    },
  };
}
