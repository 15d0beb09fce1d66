/**
 * Every project declares the packages it imports (issue #26): an import that works only because
 * npm hoists another project's dependency to the root breaks as soon as the project is installed,
 * pruned or deployed on its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type SourceFile } from './import-graph';

/** The dependency names a package.json declares, by field. */
export interface Manifest {
  dependencies: string[];
  peerDependencies: string[];
  devDependencies: string[];
}

export function readManifest(folder: string): Manifest {
  const json = JSON.parse(readFileSync(join(REPO_ROOT, folder, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const names = (field: string) => Object.keys(json[field] ?? {});
  return { dependencies: names('dependencies'), peerDependencies: names('peerDependencies'), devDependencies: names('devDependencies') };
}

/**
 * Specs and test helpers (`testing/` folders) are never shipped: jest runs them from the
 * repository root, so a package the root or the project declares in any field is enough for them.
 */
export function isTestCode(path: string): boolean {
  return /\.spec\.tsx?$/.test(path) || path.includes('/testing/');
}

/**
 * Each import of a package that the importing project's package.json does not declare, as
 * `<project>: <file> imports <package> (<specifier>), which …`. Shipped code needs `dependencies` or `peerDependencies`;
 * a bundled project (its imports are compiled into static files at build time, nothing resolves
 * them at run time) may use `devDependencies` instead; test code may rely on the root's manifest too.
 */
export function undeclaredImports(
  files: readonly SourceFile[],
  manifests: { root: Manifest; projects: ReadonlyMap<string, Manifest> },
  options: { bundled: readonly string[] },
): string[] {
  const missing: string[] = [];
  for (const file of files) {
    const own = manifests.projects.get(file.project);
    if (!own) throw new Error(`no package.json read for ${file.project}`);
    const declared = new Set([...own.dependencies, ...own.peerDependencies]);
    if (options.bundled.includes(file.project)) own.devDependencies.forEach((name) => declared.add(name));
    const test = isTestCode(file.path);
    if (test) [...own.devDependencies, ...Object.values(manifests.root).flat()].forEach((name) => declared.add(name));
    for (const imported of file.packages) {
      if (declared.has(imported.name)) continue;
      const unlike = test ? `neither ${file.project}/package.json nor the root one declares` : `${file.project}/package.json does not declare in dependencies or peerDependencies`;
      missing.push(`${file.project}: ${file.path} imports ${imported.name} (${imported.specifier}), which ${unlike}`);
    }
  }
  return [...new Set(missing)];
}
