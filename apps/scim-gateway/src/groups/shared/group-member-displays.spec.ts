import { encodeSqlitePosition } from '@axis/event-store';
import { checkpointsIn } from '@axis/platform';
import { MEMBERS_PROJECTION, openReadModel } from '@axis/read-model';
import { decideGroup, evolveGroup, initialGroupState } from '@axis/domain';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import { GroupMemberDisplays } from './group-member-displays';

describe('GroupMemberDisplays', () => {
  let readModel: DataSource;
  let userWrites: ReadYourWrites;
  let displays: GroupMemberDisplays;

  beforeEach(async () => {
    readModel = await openReadModel({ url: ':memory:' });
    userWrites = new ReadYourWrites(readModel);
    displays = new GroupMemberDisplays(readModel, userWrites);
    await readModel.query(`INSERT INTO group_members (group_id, member_id, workspace_id) VALUES ('g-1', 'm-1', 'ws-1')`);
  });

  afterEach(() => readModel.destroy());

  /** Whether `read` is still waiting after 50 ms, then the members it gives once the projection passed position 7. */
  async function readAcrossAUserWrite<T>(read: () => Promise<T>): Promise<{ waited: boolean; result: T }> {
    userWrites.recordWrite('ws-1', encodeSqlitePosition(7));
    let done = false;
    const reading = read().then((result) => {
      done = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waited = !done;
    await checkpointsIn(readModel.manager).compareAndSet(MEMBERS_PROJECTION, null, encodeSqlitePosition(7));
    return { waited, result: await reading };
  }

  it('lists stored groups’ members once the members projection has this workspace’s user writes', async () => {
    const { waited, result } = await readAcrossAUserWrite(() => displays.ofGroups('ws-1', ['g-1']));

    expect(waited).toBe(true);
    expect(result.get('g-1')).toEqual([{ id: 'm-1', display: null }]);
  });

  it('shows a written group’s members once the members projection has this workspace’s user writes', async () => {
    const events = decideGroup({ type: 'CreateGroup', groupId: 'g-2', displayName: 'Pilot', externalId: null, memberIds: ['m-2'] }, initialGroupState());
    const state = events.reduce(evolveGroup, initialGroupState());

    const { waited, result } = await readAcrossAUserWrite(() => displays.ofState('ws-1', state));

    expect(waited).toBe(true);
    expect(result).toEqual([{ id: 'm-2', display: null }]);
  });
});
