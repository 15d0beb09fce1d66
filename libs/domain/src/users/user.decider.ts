import type { UserAttributes, UserEvent } from './user.events';

export type UserState =
  | { status: 'absent' }
  | { status: 'active' | 'inactive'; userId: string; userName: string; externalId: string | null; attributes: UserAttributes }
  | { status: 'deleted'; userId: string };

export interface CreateUser {
  type: 'CreateUser';
  userId: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  attributes: UserAttributes;
}

export type UserCommand = CreateUser;

/** A command the state does not allow; the gateway maps it to a SCIM error. */
export class UserRuleViolation extends Error {
  constructor(
    readonly rule: 'already-exists' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'UserRuleViolation';
  }
}

export const initialUserState = (): UserState => ({ status: 'absent' });

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser': {
      if (state.status !== 'absent') throw new UserRuleViolation('already-exists', `User ${command.userId} already exists`);
      return [
        {
          type: 'ACCOUNT_SCIM_USER_CREATED',
          data: {
            userId: command.userId,
            userName: command.userName,
            externalId: command.externalId,
            active: command.active,
            attributes: command.attributes,
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'ACCOUNT_SCIM_USER_CREATED':
      return {
        status: event.data.active ? 'active' : 'inactive',
        userId: event.data.userId,
        userName: event.data.userName,
        externalId: event.data.externalId,
        attributes: event.data.attributes,
      };
    case 'ACCOUNT_SCIM_USER_UPDATED': {
      if (state.status !== 'active' && state.status !== 'inactive') return state;
      const attributes = { ...state.attributes, ...event.data.changes };
      return {
        ...state,
        attributes,
        userName: typeof attributes['userName'] === 'string' ? attributes['userName'] : state.userName,
        externalId: 'externalId' in event.data.changes ? ((event.data.changes['externalId'] as string | null) ?? null) : state.externalId,
      };
    }
    case 'ACCOUNT_SCIM_USER_DEACTIVATED':
      return state.status === 'active' ? { ...state, status: 'inactive' } : state;
    case 'ACCOUNT_SCIM_USER_REACTIVATED':
      return state.status === 'inactive' ? { ...state, status: 'active' } : state;
    case 'ACCOUNT_SCIM_USER_DELETED':
      return { status: 'deleted', userId: event.data.userId };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
