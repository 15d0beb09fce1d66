import { Module } from '@nestjs/common';
import { WorkspaceScimSettings } from './workspace-scim-settings';

/** `WorkspaceScimSettings`: the workspace's SCIM settings, read by the User and Group slices and changed by the admin API. */
@Module({
  providers: [WorkspaceScimSettings],
  exports: [WorkspaceScimSettings],
})
export class ScimSettingsModule {}
