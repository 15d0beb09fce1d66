export { ProjectorModule, PROJECTOR_CONSUMERS } from './projector.module';
export { ProjectorConfig } from './projector.config';
export { membersProjection } from './members/members.projection';
export { workspacesProjection } from './workspaces/workspaces.projection';
export { sessionRevoker } from './sessions/session-revoker.reactor';
export { REPLAYABLE } from './replay-targets';
