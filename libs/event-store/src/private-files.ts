import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner read/write only: the stores hold every member's personal data and the webhook signing secrets. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * Makes sure a SQLite database file exists with mode 0600 before SQLite opens it, its directory
 * created 0700 when missing. SQLite creates a missing database with 0644 (less the umask) and
 * gives its -wal and -shm files the database file's mode, so creating the file first is what makes
 * all three private. Returns the files (of the database, -wal, -shm) it had to tighten.
 */
export function preparePrivateSqliteFile(file: string): string[] {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  return [file, `${file}-wal`, `${file}-shm`].filter((path) => tightenMode(path, PRIVATE_FILE_MODE));
}

/** Removes group and other permissions from an existing file or directory; true when it had any. */
export function tightenMode(path: string, mode: number): boolean {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch {
    return false;
  }
  if ((current & 0o077) === 0) return false;
  chmodSync(path, mode);
  return true;
}
