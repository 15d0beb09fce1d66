import { Module } from '@nestjs/common';
import { DeciderRunner } from '../write/decider-runner';
import { GroupReadYourWrites } from './group-read-your-writes';
import { ReadYourWrites } from './read-your-writes';

/** Write path (load, decide, append) and read-your-writes, shared by every SCIM resource module. */
@Module({
  providers: [ReadYourWrites, GroupReadYourWrites, DeciderRunner],
  exports: [ReadYourWrites, GroupReadYourWrites, DeciderRunner],
})
export class ConsistencyModule {}
