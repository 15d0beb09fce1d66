import { workspaceScimBaseUrl } from '@axis/config';
import { WorkspaceCommands } from '@axis/write';
import type { CliConfig } from '../cli.config';
import type { Output } from '../output';
import type { Stores } from '../stores';
import { awaitProjection } from './await-projection';

export interface WorkspaceCreateOptions {
  quiet: boolean;
  waitMs: number;
}

/** `workspace create <slug>`: the workspace and its first admin API key, printed once. */
export async function workspaceCreate(slug: string, options: WorkspaceCreateOptions, config: CliConfig, stores: Stores, output: Output): Promise<void> {
  const { adminKey, position } = await new WorkspaceCommands(stores.eventStore).createWorkspace(
    { workspaceId: slug, actor: 'operator', dialect: 'system' },
    { adminKey: true },
  );
  await awaitProjection(stores.readModel, position, options.waitMs, output);
  if (options.quiet) {
    output.out(adminKey!.secret);
    return;
  }
  output.out(`Workspace ${slug} created.`);
  output.out(`  Admin API:         ${config.publicUrl()}/api/v1/workspaces/${slug}  (OpenAPI: ${config.publicUrl()}/api/docs)`);
  output.out(`  SCIM endpoint URL: ${workspaceScimBaseUrl(config, slug)}`);
  output.out(`  Admin API key:     ${adminKey!.secret}`);
  output.out('The key is shown this once and stored only as a SHA-256: keep it in a secret manager.');
}
