import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { groupStreamName, roleMappingStreamName, RoleMappingRuleViolation, groupDecider, roleMappingDecider } from '@axis/domain';
import { GroupDeciderRunner, RoleMappingDeciderRunner } from '../shared/group-decider-runner';
import type { SetRoleMappingResult } from './role-mapping.dto';
import { SetRoleMappingCommand } from './set-role-mapping.command';

@CommandHandler(SetRoleMappingCommand)
export class SetRoleMappingHandler implements ICommandHandler<SetRoleMappingCommand, SetRoleMappingResult> {
  constructor(
    private readonly groups: GroupDeciderRunner,
    private readonly runner: RoleMappingDeciderRunner,
  ) {}

  async execute(command: SetRoleMappingCommand): Promise<SetRoleMappingResult> {
    const { workspaceId } = command.context;
    if (command.roles.length > 0) {
      // Mapping a group that does not exist is a mistake; unmapping one is always allowed.
      const group = await this.groups.load(groupDecider, groupStreamName(workspaceId, command.groupId));
      if (group.state.status !== 'existing') throw new NotFoundException({ error: 'not_found', message: `Group ${command.groupId} not found` });
    }
    try {
      const result = await this.runner.run(
        roleMappingDecider,
        roleMappingStreamName(workspaceId),
        { type: 'SetGroupRoles', groupId: command.groupId, roles: command.roles },
        command.context,
      );
      const event = result.events[0];
      const roles = [...(result.state.groups.get(command.groupId) ?? [])];
      return { groupId: command.groupId, roles, previousRoles: event ? event.data.previousRoles : roles };
    } catch (error) {
      if (error instanceof RoleMappingRuleViolation) throw new BadRequestException({ error: 'invalid_request', message: error.message });
      throw error;
    }
  }
}
