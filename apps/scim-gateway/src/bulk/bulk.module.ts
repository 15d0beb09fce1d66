import { Module } from '@nestjs/common';
import { BulkExecutor } from './bulk-executor';
import { BulkRoute } from './bulk.route';

/** `POST /scim/v2/Bulk`: runs each operation through the gateway's own routes, so it needs none of their modules. */
@Module({
  controllers: [BulkRoute],
  providers: [BulkExecutor],
})
export class BulkModule {}
