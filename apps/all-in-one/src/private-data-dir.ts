import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE, tightenMode } from '@axis/event-store';

/**
 * DATA_DIR holds every member's personal data, the webhook signing secrets, the SCIM token and the
 * admin key: it is created 0700, and an existing one (from before, or made by hand) is tightened to
 * 0700 with its files to 0600. Files created later are made 0600 by whoever creates them (the
 * SQLite openers, the secret files). Returns what had looser modes, for the start-up log.
 */
export function securePrivateDataDir(dataDir: string): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const tightened = tightenMode(dataDir, PRIVATE_DIRECTORY_MODE) ? [dataDir] : [];
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const path = join(dataDir, entry.name);
    if (entry.isFile() && tightenMode(path, PRIVATE_FILE_MODE)) tightened.push(path);
  }
  return tightened;
}
