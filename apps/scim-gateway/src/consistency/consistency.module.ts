import { Module } from '@nestjs/common';
import { DeciderRunner } from '../write/decider-runner';
import { ReadYourWrites } from './read-your-writes';

/** Write path (load, decide, append) and read-your-writes, shared by every SCIM resource module. */
@Module({
  providers: [ReadYourWrites, DeciderRunner],
  exports: [ReadYourWrites, DeciderRunner],
})
export class ConsistencyModule {}
