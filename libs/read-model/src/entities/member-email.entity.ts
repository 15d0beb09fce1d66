import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { booleanTransformer } from './json.transformer';

/** One row per email of a member, so `emails.value` filters use an index. */
@Entity('member_emails')
@Index('member_emails_workspace_value', ['workspaceId', 'valueLc'])
export class MemberEmailRecord {
  @PrimaryColumn('text', { name: 'member_id' })
  memberId!: string;

  /** Index of the email in the member's `emails` array. */
  @PrimaryColumn('integer')
  ordinal!: number;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  value!: string;

  @Column('text', { name: 'value_lc' })
  valueLc!: string;

  @Column('text', { nullable: true })
  type!: string | null;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  primary!: boolean;
}
