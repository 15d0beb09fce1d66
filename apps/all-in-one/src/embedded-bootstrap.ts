import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAdminKey, generateScimToken } from '@axis/credentials';
import { WorkspaceRuleViolation } from '@axis/domain';
import type { Position } from '@axis/event-store';
import { waitForCheckpoint } from '@axis/platform';
import { type WorkspaceCommands, type WriteContext } from '@axis/write';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';

export interface BootstrapToken {
  file: string;
  /** A new secret was written to the file now. */
  created: boolean;
  /** The file held a revoked secret, replaced now. */
  replaced: boolean;
}

/** The embedded default's admin key file: the same lifecycle as the token file. */
export type BootstrapAdminKey = BootstrapToken;

const TOKEN_DESCRIPTION = 'embedded default (bootstrap token file)';
export const ADMIN_KEY_DESCRIPTION = 'Embedded default admin';
/** Shorter content cannot be a secret we wrote; such a file is replaced. */
const MIN_SECRET_LENGTH = 32;

/**
 * The embedded default's SCIM token: a real workspace token (`TENANT_SCIM_TOKEN_CREATED`, digest
 * only), whose only copy is `DATA_DIR/scim-bearer-token` (mode 0600). The file is written before
 * the token is recorded, so a crash in between leaves a file that the next start records; a
 * recorded token is not recorded again; one an admin revoked is replaced. Resolves once the
 * projector has it, so the token works when the banner points at it.
 */
export function ensureBootstrapToken(dataDir: string, workspaces: WorkspaceCommands, readModel: DataSource, context: WriteContext): Promise<BootstrapToken> {
  return ensureSecretFile(join(dataDir, 'scim-bearer-token'), generateScimToken, (token) => workspaces.registerScimToken(context, token, TOKEN_DESCRIPTION), readModel);
}

/**
 * The embedded default's first admin key, for the console's sign-in: `DATA_DIR/admin-key` (mode
 * 0600), `TENANT_ADMIN_KEY_CREATED` with description "Embedded default admin", exactly the token
 * file's lifecycle (written before it is recorded, recorded once, replaced once revoked).
 */
export function ensureBootstrapAdminKey(dataDir: string, workspaces: WorkspaceCommands, readModel: DataSource, context: WriteContext): Promise<BootstrapAdminKey> {
  return ensureSecretFile(join(dataDir, 'admin-key'), generateAdminKey, (key) => workspaces.registerAdminKey(context, key, ADMIN_KEY_DESCRIPTION), readModel);
}

async function ensureSecretFile(
  file: string,
  generate: () => string,
  register: (secret: string) => Promise<{ position: Position | null }>,
  readModel: DataSource,
): Promise<BootstrapToken> {
  mkdirSync(join(file, '..'), { recursive: true });
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const created = existing.length < MIN_SECRET_LENGTH;
  const secret = created ? writeSecretFile(file, generate) : existing;
  let replaced = false;
  let position;
  try {
    ({ position } = await register(secret));
  } catch (error) {
    if (!(error instanceof WorkspaceRuleViolation && error.rule === 'credential-revoked')) throw error;
    replaced = true;
    ({ position } = await register(writeSecretFile(file, generate)));
  }
  if (position) await waitForCheckpoint(readModel, WORKSPACES_PROJECTION, position, { timeoutMs: 10_000, pollMs: 10 });
  return { file, created, replaced };
}

function writeSecretFile(file: string, generate: () => string): string {
  const secret = generate();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
