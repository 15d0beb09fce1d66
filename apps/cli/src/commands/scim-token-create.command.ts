import { workspaceScimBaseUrl } from '@axis/config';
import { WorkspaceCommands } from '@axis/write';
import type { CliConfig } from '../cli.config';
import type { Output } from '../output';
import type { Stores } from '../stores';
import { awaitProjection } from './await-projection';

export interface ScimTokenCreateOptions {
  workspace: string;
  description?: string;
  quiet: boolean;
  waitMs: number;
}

/** `scim-token create --workspace <slug>`: the SCIM endpoint URL and a new token (only the token with --quiet). */
export async function scimTokenCreate(options: ScimTokenCreateOptions, config: CliConfig, stores: Stores, output: Output): Promise<void> {
  const token = await new WorkspaceCommands(stores.eventStore).createScimToken(
    { workspaceId: options.workspace, actor: 'operator', dialect: 'system' },
    options.description ?? null,
  );
  await awaitProjection(stores.readModel, token.position, options.waitMs, output);
  if (options.quiet) {
    output.out(token.secret);
    return;
  }
  output.out(`SCIM endpoint URL: ${workspaceScimBaseUrl(config, options.workspace)}`);
  output.out(`Bearer token:      ${token.secret}`);
  output.out('Paste both into the IdP connector. The token is shown this once; if you lose it, revoke it and create another.');
}
