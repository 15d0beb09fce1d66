import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { ConsistencyModule } from '../consistency/consistency.module';
import { CustomAttributeDefinitions } from './custom-attribute-definitions';
import { CustomAttributesRoute } from './custom-attributes.route';
import { WorkspaceSchemas } from './workspace-schemas';

/**
 * Custom attributes: their admin API, and `WorkspaceSchemas`, the per-workspace SCIM schemas every
 * User slice and the discovery endpoints work against.
 */
@Module({
  imports: [AdminModule, ConsistencyModule],
  controllers: [CustomAttributesRoute],
  providers: [WorkspaceSchemas, CustomAttributeDefinitions],
  exports: [WorkspaceSchemas],
})
export class CustomAttributesModule {}
