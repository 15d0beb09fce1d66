import { StorageConfig } from '@axis/config';

/** The projector needs only its stores. */
export class ProjectorConfig extends StorageConfig {}
