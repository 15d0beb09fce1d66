/**
 * Helpers for the workspace, token and session tests: the operator CLI run against a deployment's
 * stores, HTTP with a chosen Host header (fetch cannot set one), and raw reads of the read model.
 */
import { spawnSync } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { Deployment } from './deployments';
import { REPO_ROOT } from './processes';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run -s axis -- <args>` with the deployment's environment. */
export function runCli(deployment: Pick<Deployment, 'env'>, args: string[]): CliResult {
  const result = spawnSync(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...deployment.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Creates a workspace through the CLI and returns its first admin API key. */
export function createWorkspace(deployment: Pick<Deployment, 'env'>, slug: string): string {
  const result = runCli(deployment, ['workspace', 'create', slug, '--quiet']);
  if (result.status !== 0) throw new Error(`axis workspace create ${slug} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** A parsed JSON body; tests read response bodies freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Json;
}

/** One HTTP request; `host` overrides the Host header (the host form of a workspace's endpoint). */
export function http(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; host?: string } = {},
): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(options.host ? { host: options.host } : {}),
    ...options.headers,
  };
  return new Promise((done, fail) => {
    const call = httpRequest(url, { method: options.method ?? 'GET', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        done({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    call.on('error', fail);
    if (body !== undefined) call.write(body);
    call.end();
  });
}

/** Every row of a read-model table, from PostgreSQL or the embedded SQLite file. */
export async function readModelRows(deployment: Pick<Deployment, 'env'>, table: string): Promise<Array<Record<string, unknown>>> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  const env = deployment.env;
  if (env['DATABASE_URL']) {
    const client = new Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      return (await client.query(`SELECT * FROM ${env['READ_MODEL_SCHEMA']}.${table}`)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(env['DATA_DIR']!, 'read-model.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

/** Runs one statement on the deployment's read model (PostgreSQL or the embedded SQLite file); `?` placeholders. */
export async function executeOnReadModel(deployment: Pick<Deployment, 'env'>, sql: string, params: unknown[]): Promise<void> {
  const env = deployment.env;
  if (env['DATABASE_URL']) {
    const client = new Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${env['READ_MODEL_SCHEMA']}`);
      let index = 0;
      await client.query(sql.replace(/\?/g, () => `$${++index}`), params);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(join(env['DATA_DIR']!, 'read-model.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(sql).run(...params.map((param) => (typeof param === 'boolean' ? Number(param) : param)));
  } finally {
    db.close();
  }
}
