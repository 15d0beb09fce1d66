import { Module } from '@nestjs/common';
import { DeciderRunner } from './decider-runner';
import { GroupReadYourWrites } from '../consistency/group-read-your-writes';
import { ReadYourWrites } from '../consistency/read-your-writes';

/** Write path (load, decide, append) and read-your-writes, shared by every SCIM resource module. */
@Module({
  providers: [ReadYourWrites, GroupReadYourWrites, DeciderRunner],
  exports: [ReadYourWrites, GroupReadYourWrites, DeciderRunner],
})
export class ConsistencyModule {}
