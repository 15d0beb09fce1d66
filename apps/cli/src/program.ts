import { Command, InvalidArgumentError, Option } from 'commander';
import { WorkspaceRuleViolation } from '@axis/domain';
import type { CliConfig } from './cli.config';
import { adminKeyCreate } from './commands/admin-key-create.command';
import { scimTokenCreate } from './commands/scim-token-create.command';
import { workspaceCreate } from './commands/workspace-create.command';
import { CliError, type Output } from './output';
import type { Stores } from './stores';

export interface CliEnvironment {
  config: CliConfig;
  openStores(): Promise<Stores>;
  output: Output;
}

/**
 * `axis <command>`: operator commands, each written as events through the same decider as the
 * admin API (actor `operator`). Stores are opened per command and closed after it.
 */
export function buildProgram(env: CliEnvironment): Command {
  const program = new Command('axis')
    .description('AxisSynapse SCIM provisioning: operator commands (same environment variables as the services)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => env.output.out(text.trimEnd()), writeErr: (text) => env.output.err(text.trimEnd()) });

  const waitOption = () =>
    new Option('--wait-ms <ms>', 'how long to wait for the projector to record it').default(5000).argParser(nonNegativeInteger);

  const withStores = async (work: (stores: Stores) => Promise<void>): Promise<void> => {
    const stores = await env.openStores();
    try {
      await work(stores);
    } catch (error) {
      if (error instanceof WorkspaceRuleViolation) throw new CliError(error.message);
      throw error;
    } finally {
      await stores.close();
    }
  };

  const workspace = program.command('workspace').description('workspaces');
  workspace
    .command('create')
    .description('create a workspace and print its first admin API key (once)')
    .argument('<slug>', 'workspace slug: a-z, 0-9 and -, at most 63 characters')
    .option('--quiet', 'print only the admin API key', false)
    .addOption(waitOption())
    .action((slug: string, options: { quiet: boolean; waitMs: number }) =>
      withStores((stores) => workspaceCreate(slug, options, env.config, stores, env.output)),
    );

  const adminKey = program.command('admin-key').description('admin API keys');
  adminKey
    .command('create')
    .description("create another admin API key for a workspace and print it (once)")
    .requiredOption('--workspace <slug>', 'the workspace')
    .option('--description <text>', 'a label for the key')
    .option('--quiet', 'print only the key', false)
    .addOption(waitOption())
    .action((options: { workspace: string; description?: string; quiet: boolean; waitMs: number }) =>
      withStores((stores) => adminKeyCreate(options, env.config, stores, env.output)),
    );

  const scimToken = program.command('scim-token').description('SCIM bearer tokens');
  scimToken
    .command('create')
    .description("create a SCIM token and print the workspace's SCIM endpoint URL and the token (once)")
    .requiredOption('--workspace <slug>', 'the workspace')
    .option('--description <text>', 'a label for the token list')
    .option('--quiet', 'print only the token', false)
    .addOption(waitOption())
    .action((options: { workspace: string; description?: string; quiet: boolean; waitMs: number }) =>
      withStores((stores) => scimTokenCreate(options, env.config, stores, env.output)),
    );

  return program;
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}
