/**
 * Every app and lib declares in its own package.json the packages its code imports (issue #26,
 * item 5), so none works only because npm hoisted another project's dependency. Specs and test
 * helpers may rely on the root's devDependencies; the admin console, bundled by Vite, declares its
 * imports as devDependencies (the production install leaves them out: its built files need none).
 */
import { readdirSync } from 'node:fs';
import { readManifest, undeclaredImports, type Manifest } from './declared-dependencies';
import { readImportGraph, REPO_ROOT, type SourceFile } from './import-graph';

const OPTIONS = { bundled: ['apps/admin-console'] };

describe('declared dependencies', () => {
  const files = readImportGraph();
  const projects = new Map(
    ['apps', 'libs'].flatMap((kind) => readdirSync(`${REPO_ROOT}/${kind}`).map((name) => [`${kind}/${name}`, readManifest(`${kind}/${name}`)] as const)),
  );

  it('reads the third-party and workspace imports', () => {
    const imported = (project: string) => files.filter((file) => file.project === project).flatMap((file) => file.packages.map((p) => p.name));
    expect(imported('libs/event-store')).toEqual(expect.arrayContaining(['pg', 'better-sqlite3', '@eventstore/db-client']));
    expect(imported('apps/scim-gateway')).toEqual(expect.arrayContaining(['@axis/scim', '@nestjs/common', 'fastify']));
    expect(imported('libs/scim')).not.toContain('fs');
    expect(imported('apps/scim-gateway')).toContain('swagger-ui-dist');
  });

  it('every project declares what it imports', () => {
    expect(undeclaredImports(files, { root: readManifest('.'), projects }, OPTIONS)).toEqual([]);
  });

  describe('catches what it is for', () => {
    const manifest = (fields: Partial<Manifest>): Manifest => ({ dependencies: [], peerDependencies: [], devDependencies: [], ...fields });
    const file = (path: string, ...specifiers: string[]): SourceFile => ({
      path,
      project: path.split('/').slice(0, 2).join('/'),
      imports: [],
      packages: specifiers.map((specifier) => ({ name: specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'), specifier })),
    });
    const manifests = {
      root: manifest({ dependencies: ['pg', 'kafkajs'], devDependencies: ['fast-check', 'react'] }),
      projects: new Map([
        ['libs/store', manifest({ dependencies: ['typeorm', '@axis/scim'], peerDependencies: ['@nestjs/common'], devDependencies: ['kafkajs'] })],
        ['apps/console', manifest({ devDependencies: ['react'] })],
      ]),
    };

    it('names the project, the file and the package of each undeclared import, subpaths mapped to their package', () => {
      expect(
        undeclaredImports(
          [
            file('libs/store/src/ok.ts', 'typeorm/driver', '@axis/scim', '@nestjs/common'),
            file('libs/store/src/store.ts', 'pg', '@nestjs/core/injector', 'kafkajs'),
            file('libs/store/src/store.spec.ts', 'pg', 'kafkajs', 'fast-check', 'jest-extended'),
            file('libs/store/src/testing/fake.ts', 'ajv'),
            file('apps/console/src/app.tsx', 'react/jsx-runtime', 'openapi-fetch'),
          ],
          manifests,
          { bundled: ['apps/console'] },
        ),
      ).toEqual([
        'libs/store: libs/store/src/store.ts imports pg (pg), which libs/store/package.json does not declare in dependencies or peerDependencies',
        'libs/store: libs/store/src/store.ts imports @nestjs/core (@nestjs/core/injector), which libs/store/package.json does not declare in dependencies or peerDependencies',
        'libs/store: libs/store/src/store.ts imports kafkajs (kafkajs), which libs/store/package.json does not declare in dependencies or peerDependencies',
        'libs/store: libs/store/src/store.spec.ts imports jest-extended (jest-extended), which neither libs/store/package.json nor the root one declares',
        'libs/store: libs/store/src/testing/fake.ts imports ajv (ajv), which neither libs/store/package.json nor the root one declares',
        'apps/console: apps/console/src/app.tsx imports openapi-fetch (openapi-fetch), which apps/console/package.json does not declare in dependencies or peerDependencies',
      ]);
    });
  });
});
