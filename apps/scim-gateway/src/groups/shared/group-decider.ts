import {
  decideGroup,
  decideRoleMapping,
  evolveGroup,
  evolveRoleMapping,
  type GroupState,
  initialGroupState,
  initialRoleMappingState,
} from '@axis/domain';

/** The pure group decider of libs/domain, in the shape DeciderRunner takes; cache weight = members. */
export const groupDecider = {
  decide: decideGroup,
  evolve: evolveGroup,
  initialState: initialGroupState,
  weigh: (state: GroupState) => (state.status === 'existing' ? state.members.size + 1 : 1),
};

/** The workspace's groups → roles mapping. */
export const roleMappingDecider = { decide: decideRoleMapping, evolve: evolveRoleMapping, initialState: initialRoleMappingState };
