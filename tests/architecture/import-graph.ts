/**
 * The project's import graph, read from the sources with TypeScript's own pre-processor (no type
 * checking: fast, and it sees `import`, `export … from`, `import()` and `require`), and the rules
 * that keep its layers apart (docs/architecture.md, "The layering rules").
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = resolve(__dirname, '../..');

/** A project: an app or a lib, named by its folder (`apps/scim-gateway`, `libs/scim`). */
export interface SourceFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  project: string;
  /** Imports of other files of the repository, resolved to repository-relative paths or to a project (`@axis/x` → `libs/x`). */
  imports: Array<{ project: string; path: string | null; specifier: string }>;
  /** Bare imports of packages, and packages located with `require.resolve` (workspace `@axis/*` ones included, Node built-ins left out), by package name. */
  packages: Array<{ name: string; specifier: string }>;
}

const SOURCE = /\.(ts|tsx)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'coverage', 'test-results']);

function walk(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory)) {
    if (SKIPPED_DIRECTORIES.has(entry)) continue;
    const full = join(directory, entry);
    if (statSync(full).isDirectory()) walk(full, found);
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

/** `@axis/<name>` → the project folder it names, from the workspace links in node_modules. */
function workspacePackages(): Map<string, string> {
  const packages = new Map<string, string>();
  const scope = join(REPO_ROOT, 'node_modules', '@axis');
  for (const name of readdirSync(scope)) packages.set(`@axis/${name}`, relative(REPO_ROOT, realpathSync(join(scope, name))).split(sep).join('/'));
  return packages;
}

/** The file a relative import names: itself, with `.ts`/`.tsx`, or its folder's index. */
function resolveSourceFile(target: string): string {
  const candidates = [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts'), join(target, 'index.tsx'), target.replace(/\.js$/, '.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? target;
}

/** `pkg/sub` → `pkg`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(packageNameOf(specifier));
}

function projectOf(path: string): string | null {
  const [kind, name] = path.split('/');
  return (kind === 'apps' || kind === 'libs') && name ? `${kind}/${name}` : null;
}

/** Every source file under `apps/*` and `libs/*` (specs included) with its imports of the repository. */
export function readImportGraph(): SourceFile[] {
  const packages = workspacePackages();
  const files: SourceFile[] = [];
  for (const kind of ['apps', 'libs']) {
    for (const name of readdirSync(join(REPO_ROOT, kind))) {
      const root = join(REPO_ROOT, kind, name);
      if (!statSync(root).isDirectory()) continue;
      for (const file of walk(root)) {
        const path = relative(REPO_ROOT, file).split(sep).join('/');
        const imports: SourceFile['imports'] = [];
        const packageImports: SourceFile['packages'] = [];
        const text = readFileSync(file, 'utf8');
        for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
          if (specifier.startsWith('.')) {
            const target = relative(REPO_ROOT, resolveSourceFile(resolve(dirname(file), specifier))).split(sep).join('/');
            const project = projectOf(target);
            if (project) imports.push({ project, path: target, specifier });
          } else if (!specifier.startsWith('/') && !isBuiltin(specifier)) {
            const packageName = packageNameOf(specifier);
            const project = packages.get(packageName);
            if (project) imports.push({ project, path: null, specifier });
            packageImports.push({ name: packageName, specifier });
          }
        }
        // A package found by path (its files served or handed to a worker) is a dependency too.
        for (const [, specifier] of text.matchAll(/require\.resolve\(\s*['"]([^'"]+)['"]/g)) {
          if (!specifier!.startsWith('.') && !isBuiltin(specifier!)) packageImports.push({ name: packageNameOf(specifier!), specifier: specifier! });
        }
        files.push({ path, project: `${kind}/${name}`, imports, packages: packageImports });
      }
    }
  }
  return files;
}

/**
 * The unit cycles are checked between: the first folder under the project's `src`; a file at the
 * root of `src` (a module, a config, an index) is a unit of its own.
 */
export function folderOf(path: string): string {
  const parts = path.split('/');
  const inSource = parts.indexOf('src');
  if (inSource < 0) return `${parts[0]}/${parts[1]}/${parts.slice(2).join('/')}`;
  return parts.slice(0, inSource + 2).join('/');
}

/** The layering rules; each answer names the file and the import that breaks one. */
export function layeringViolations(files: readonly SourceFile[], rules: { pureLibs: readonly string[]; composers: readonly string[] }): string[] {
  const violations: string[] = [];
  for (const file of files) {
    for (const imported of file.imports) {
      if (imported.project === file.project) continue;
      const from = file.project;
      const to = imported.project;
      if (from.startsWith('libs/') && to.startsWith('apps/')) violations.push(`${file.path}: a lib imports an app (${imported.specifier})`);
      else if (from.startsWith('apps/') && to.startsWith('apps/') && !rules.composers.includes(from)) violations.push(`${file.path}: an app imports another app (${imported.specifier})`);
      else if (rules.pureLibs.includes(from) && !rules.pureLibs.includes(to)) violations.push(`${file.path}: ${from} is pure and imports ${to} (${imported.specifier})`);
      if (imported.path !== null && !from.startsWith(`${to}`)) violations.push(`${file.path}: reaches into ${to} by a relative path (${imported.specifier}); import its package`);
    }
  }
  return violations;
}

/**
 * Cycles between folders (folderOf) and between projects: each as its members in order, then each
 * import edge inside it with one file that makes it. Tests and their helpers are left out: a spec
 * may import across folders.
 */
export function importCycles(files: readonly SourceFile[]): Array<{ members: string[]; edges: string[] }> {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, string>();
  const add = (from: string, to: string, file: string) => {
    if (from === to) return;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
    if (!edges.has(to)) edges.set(to, new Set());
    if (!witness.has(`${from} ${to}`)) witness.set(`${from} ${to}`, file);
  };
  for (const file of files) {
    if (/\.spec\.tsx?$|\/testing\//.test(file.path)) continue;
    for (const imported of file.imports) {
      if (imported.path !== null && imported.project === file.project) add(folderOf(file.path), folderOf(imported.path), file.path);
      else if (imported.project !== file.project) add(file.project, imported.project, file.path);
    }
  }
  return stronglyConnected(edges)
    .filter((component) => component.length > 1)
    .map((members) => ({
      members,
      edges: members.flatMap((from) => [...(edges.get(from) ?? [])].filter((to) => members.includes(to)).map((to) => `${from} → ${to} (${witness.get(`${from} ${to}`)})`)),
    }));
}

/** Tarjan's algorithm. */
function stronglyConnected(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}
