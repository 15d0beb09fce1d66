import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { findMemberDirectoryEntries, listDuplicatePairs, MEMBERS_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../../consistency/read-your-writes';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { MemberView, toMemberView } from '../member.views';

export class DuplicatePairView {
  @ApiProperty({ description: 'The shared email, lower-cased' })
  email!: string;

  @ApiProperty({ type: MemberView, description: 'The local account: its id is what POST …/members/{memberId}/merge takes' })
  local!: MemberView;

  @ApiProperty({ type: MemberView, description: 'The SCIM user with the same email' })
  scim!: MemberView;
}

export class DuplicateList {
  @ApiProperty({ type: [DuplicatePairView], description: 'At most 100 pairs, by email' })
  items!: DuplicatePairView[];
}

/**
 * Settings → Members → possible duplicates: a local account and a SCIM user sharing an email. The
 * Merge action is `POST …/members/{local.id}/merge` (ApproveMergeRoute): it applies to a local
 * account that has not been linked yet (409 otherwise) and lets the IdP's next create with that
 * email take the account over (`ACCOUNT_SCIM_USER_MERGED`), keeping its id and sessions.
 */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class ListDuplicatesRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get('duplicates')
  @ApiOperation({ summary: 'Local accounts and SCIM users with the same email (at most 100 pairs); merge with POST …/members/{local.id}/merge' })
  @ApiOkResponse({ type: DuplicateList })
  async list(@Admin() admin: AdminPrincipal): Promise<DuplicateList> {
    await this.readYourWrites.waitFor(admin.workspaceId, MEMBERS_PROJECTION);
    const pairs = await listDuplicatePairs(this.readModel, admin.workspaceId);
    const members = new Map(
      (await findMemberDirectoryEntries(this.readModel, admin.workspaceId, [...new Set(pairs.flatMap((pair) => [pair.localId, pair.scimId]))])).map((member) => [
        member.id,
        toMemberView(member),
      ]),
    );
    return {
      items: pairs.flatMap((pair) => {
        const local = members.get(pair.localId);
        const scim = members.get(pair.scimId);
        return local && scim ? [{ email: pair.email, local, scim }] : [];
      }),
    };
  }
}
