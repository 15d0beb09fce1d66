import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateScimToken } from '@axis/credentials';
import { WorkspaceRuleViolation } from '@axis/domain';
import { waitForCheckpoint, type WorkspaceCommands, type WriteContext } from '@axis/platform';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';

export interface BootstrapToken {
  file: string;
  /** A new token was written to the file now. */
  created: boolean;
  /** The file held a revoked token, replaced now. */
  replaced: boolean;
}

const TOKEN_DESCRIPTION = 'embedded default (bootstrap token file)';
/** Shorter content cannot be a token we wrote; such a file is replaced. */
const MIN_TOKEN_LENGTH = 32;

/**
 * The embedded default's SCIM token: a real workspace token (`TENANT_SCIM_TOKEN_CREATED`, digest
 * only), whose only copy is `DATA_DIR/scim-bearer-token` (mode 0600). The file is written before
 * the token is recorded, so a crash in between leaves a file that the next start records; a
 * recorded token is not recorded again; one an admin revoked is replaced. Resolves once the
 * projector has it, so the token works when the banner points at it.
 */
export async function ensureBootstrapToken(
  dataDir: string,
  workspaces: WorkspaceCommands,
  readModel: DataSource,
  context: WriteContext,
): Promise<BootstrapToken> {
  const file = join(dataDir, 'scim-bearer-token');
  mkdirSync(dataDir, { recursive: true });
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const created = existing.length < MIN_TOKEN_LENGTH;
  const token = created ? writeTokenFile(file) : existing;
  let replaced = false;
  let position;
  try {
    ({ position } = await workspaces.registerScimToken(context, token, TOKEN_DESCRIPTION));
  } catch (error) {
    if (!(error instanceof WorkspaceRuleViolation && error.rule === 'credential-revoked')) throw error;
    replaced = true;
    ({ position } = await workspaces.registerScimToken(context, writeTokenFile(file), TOKEN_DESCRIPTION));
  }
  if (position) await waitForCheckpoint(readModel, WORKSPACES_PROJECTION, position, { timeoutMs: 10_000, pollMs: 10 });
  return { file, created, replaced };
}

function writeTokenFile(file: string): string {
  const token = generateScimToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
