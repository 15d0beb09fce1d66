import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A workspace, projected from its `workspace-<id>.settings` stream. The id is the slug. */
@Entity('workspaces')
export class WorkspaceRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'created_by' })
  createdBy!: string;
}
