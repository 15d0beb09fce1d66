import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { WorkspaceRuleViolation } from '@axis/domain';
import type { CliConfig } from './cli.config';
import { adminKeyCreate } from './commands/admin-key-create.command';
import { adminKeyRevoke } from './commands/admin-key-revoke.command';
import { projectionsStatus, resetReactor, setConsumerRunning, skipEvent } from './commands/projections.command';
import { kafkaRepublish, projectionsReplay } from './commands/projections-replay.command';
import { scimTokenCreate } from './commands/scim-token-create.command';
import { workspaceCreate } from './commands/workspace-create.command';
import { CliError, type Output } from './output';
import type { Stores } from './stores';

const EXAMPLES = `
Examples:
  $ axis workspace create acme                       a workspace and its first admin key (shown once)
  $ axis scim-token create --workspace acme          the SCIM endpoint URL and a token for the IdP
  $ axis admin-key create --workspace acme --description "Jane Admin"
  $ axis projections status                          each consumer: checkpoint, lag, state
  $ axis projections replay members                  rebuild the members read model from history
  $ axis kafka republish --from 2026-12-01T00:00:00Z --topic axis.replay
                                                     send a range of history to a topic again

Each command reads the services' environment (EVENT_STORE_URL, READ_MODEL_URL, DATA_DIR, …).
'axis <command> --help' describes a command.`;

/** The CLI's package version (apps/cli/package.json, beside dist/ and src/). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

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
    .version(cliVersion(), '-V, --version', 'print the version')
    .addHelpText('after', EXAMPLES)
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
  adminKey
    .command('revoke')
    .description("revoke an admin API key (the workspace's last active key too) and end its console sessions")
    .requiredOption('--workspace <slug>', 'the workspace')
    .argument('<id-or-prefix>', 'the key id, or its prefix (adm_xxxxxxxx) as the key list shows it')
    .addOption(waitOption())
    .action((idOrPrefix: string, options: { workspace: string; waitMs: number }) =>
      withStores((stores) => adminKeyRevoke(idOrPrefix, options, stores, env.output)),
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

  const projections = program.command('projections').description('projections and reactors (every checkpointed consumer)');
  projections
    .command('status')
    .description('every projection and reactor: checkpoint, head, lag (events, seconds), state, last processed time')
    .option('--json', 'one JSON object', false)
    .action((options: { json: boolean }) => withStores((stores) => projectionsStatus(options, stores, env.output)));
  projections
    .command('pause')
    .description('stop a consumer from applying batches (it polls its state about every second)')
    .argument('<name>', 'consumer name, as in projections status')
    .action((name: string) => withStores((stores) => setConsumerRunning(name, false, stores, env.output)));
  projections
    .command('resume')
    .description('resume a paused consumer, or retry a failed one from its checkpoint')
    .argument('<name>', 'consumer name, as in projections status')
    .action((name: string) => withStores((stores) => setConsumerRunning(name, true, stores, env.output)));
  projections
    .command('skip')
    .description('move a failed consumer past its poison event (recorded in the audit log)')
    .argument('<name>', 'consumer name, as in projections status')
    .requiredOption('--event <id>', 'the failing event id shown by projections status')
    .action((name: string, options: { event: string }) => withStores((stores) => skipEvent(name, options.event, stores, env.output)));

  projections
    .command('replay')
    .description('rebuild a projection blue/green from the start of history into shadow tables, then switch atomically')
    .argument('<name>', 'projection name: members, groups or workspaces')
    .addOption(new Option('--grace-seconds <n>', 'keep the replaced tables this long before dropping them').default(60).argParser(nonNegativeInteger))
    .option('--drop-old-now', 'drop the replaced tables right after the switch', false)
    .action((name: string, options: { graceSeconds: number; dropOldNow: boolean }) => projectionsReplay(name, options));

  const reactors = program.command('reactors').description('reactors (external effects; never re-run by a projection replay)');
  reactors
    .command('reset')
    .description("move a reactor's checkpoint to now (skip history) or to a position (redeliver after it); recorded in the audit log")
    .argument('<name>', 'reactor name, as in projections status')
    .requiredOption('--to <now|position>', '"now" (the head) or a position')
    .option('--yes', 'confirm: the reactor will skip or repeat external effects', false)
    .action((name: string, options: { to: string; yes: boolean }) => withStores((stores) => resetReactor(name, options.to, options.yes, stores, env.output)));

  const kafka = program.command('kafka').description('the Kafka topic');
  kafka
    .command('republish')
    .description("send a range of history again to a topic at a controlled rate (the kafka reactor's checkpoint is not touched); recorded in the audit log")
    .requiredOption('--from <time|position>', 'ISO time (recorded at) or position (exclusive)')
    .option('--to <time|position>', 'ISO time or position (inclusive); default: the head')
    .requiredOption('--topic <name>', 'the topic to publish to')
    .addOption(new Option('--rate <events/s>', 'at most this many events per second').default(500).argParser(positiveInteger))
    .action((options: { from: string; to?: string; topic: string; rate: number }) => kafkaRepublish(options));

  return program;
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}
