import { WorkspaceCommands } from '@axis/write';
import type { CliConfig } from '../cli.config';
import type { Output } from '../output';
import type { Stores } from '../stores';
import { awaitProjection } from './await-projection';

export interface AdminKeyCreateOptions {
  workspace: string;
  description?: string;
  quiet: boolean;
  waitMs: number;
}

/** `admin-key create --workspace <slug>`: another admin API key (e.g. for the embedded default). */
export async function adminKeyCreate(options: AdminKeyCreateOptions, config: CliConfig, stores: Stores, output: Output): Promise<void> {
  const key = await new WorkspaceCommands(stores.eventStore).createAdminKey(
    { workspaceId: options.workspace, actor: 'operator', dialect: 'system' },
    options.description ?? null,
  );
  await awaitProjection(stores.readModel, key.position, options.waitMs, output);
  if (options.quiet) {
    output.out(key.secret);
    return;
  }
  output.out(`Admin API key for workspace ${options.workspace} (${config.publicUrl()}/api/v1/workspaces/${options.workspace}):`);
  output.out(`  ${key.secret}`);
  output.out('Shown this once and stored only as a SHA-256.');
}
