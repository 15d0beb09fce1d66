import { deciderSpecification } from '../testing/decider-specification';
import { decideUser, evolveUser, initialUserState, UserRuleViolation, type CreateUser } from './user.decider';
import type { UserEvent } from './user.events';

const spec = deciderSpecification({ decide: decideUser, evolve: evolveUser, initialState: initialUserState });

const create: CreateUser = {
  type: 'CreateUser',
  userId: 'u1',
  userName: 'ada@example.com',
  externalId: 'ext-1',
  active: true,
  attributes: { userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' } },
};

const created: UserEvent = {
  type: 'ACCOUNT_SCIM_USER_CREATED',
  data: { userId: 'u1', userName: 'ada@example.com', externalId: 'ext-1', active: true, attributes: create.attributes },
};

describe('user decider', () => {
  it('creates a user, carrying externalId', () => {
    spec.given([]).when(create).then([created]);
  });

  it('carries a null externalId when the IdP sent none', () => {
    spec
      .given([])
      .when({ ...create, externalId: null })
      .then([{ ...created, data: { ...created.data, externalId: null } } as UserEvent]);
  });

  it('refuses to create a user twice', () => {
    spec
      .given([created])
      .when(create)
      .thenThrows(UserRuleViolation, (error) => expect((error as UserRuleViolation).rule).toBe('already-exists'));
  });
});
