import { WorkspaceCommands } from '@axis/write';
import { listAdminKeys } from '@axis/read-model';
import { CliError, type Output } from '../output';
import type { Stores } from '../stores';
import { awaitProjection } from './await-projection';

export interface AdminKeyRevokeOptions {
  workspace: string;
  waitMs: number;
}

/**
 * `admin-key revoke --workspace <slug> <id-or-prefix>`: unlike an admin, the operator may revoke
 * the workspace's last active key (a leaked key must be stoppable; `admin-key create` lets admins
 * back in).
 */
export async function adminKeyRevoke(idOrPrefix: string, options: AdminKeyRevokeOptions, stores: Stores, output: Output): Promise<void> {
  const keys = await listAdminKeys(stores.readModel, options.workspace);
  const matches = keys.filter((key) => key.id === idOrPrefix || key.prefix === idOrPrefix);
  if (matches.length === 0) throw new CliError(`No admin key ${idOrPrefix} in workspace ${options.workspace} (give its id or its prefix, adm_xxxxxxxx)`);
  if (matches.length > 1) throw new CliError(`Prefix ${idOrPrefix} names ${matches.length} keys of workspace ${options.workspace}; give the id`);
  const key = matches[0]!;
  const result = await new WorkspaceCommands(stores.eventStore).revokeAdminKey(
    { workspaceId: options.workspace, actor: 'operator', dialect: 'system' },
    key.id,
    { allowLastKey: true },
  );
  await awaitProjection(stores.readModel, result.position, options.waitMs, output);
  output.out(result.position ? `Revoked admin key ${key.prefix} (${key.id}) of workspace ${options.workspace}.` : `Admin key ${key.prefix} (${key.id}) was already revoked.`);
}
