import { Module } from '@nestjs/common';
import { ConsistencyModule } from '../write/consistency.module';
import { CustomAttributeDefinitions } from './custom-attribute-definitions';
import { WorkspaceSchemas } from './workspace-schemas';

/**
 * Custom attributes: their definitions (written through their decider) and `WorkspaceSchemas`, the
 * per-workspace SCIM schemas every User slice and the discovery endpoints work against. Their
 * admin API is `admin/custom-attributes/`.
 */
@Module({
  imports: [ConsistencyModule],
  providers: [WorkspaceSchemas, CustomAttributeDefinitions],
  exports: [WorkspaceSchemas, CustomAttributeDefinitions],
})
export class CustomAttributesModule {}
