import { InitialReadModel1764288000001 } from './0001-initial-read-model.migration';

/** In order; append new migrations, never edit a released one. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1764288000001];
