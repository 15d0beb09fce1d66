/**
 * The layering rules as a test (issue #25): libs never import apps; apps never import other apps,
 * except the all-in-one, which composes them; libs/scim and libs/domain stay pure (they import no
 * other project of ours); a project reaches another only through its package; and there is no
 * import cycle between projects, nor between the folders of one project.
 */
import { importCycles, layeringViolations, readImportGraph, type SourceFile } from './import-graph';

const RULES = { pureLibs: ['libs/scim', 'libs/domain'], composers: ['apps/all-in-one'] };


describe('import boundaries', () => {
  const files = readImportGraph();

  it('reads the whole repository', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files.some((file) => file.imports.some((imported) => imported.specifier === '@axis/scim'))).toBe(true);
  });

  it('keeps the layers apart', () => {
    expect(layeringViolations(files, RULES)).toEqual([]);
  });

  it('has no import cycle between projects or between the folders of a project', () => {
    expect(importCycles(files)).toEqual([]);
  });

  describe('catches what it is for', () => {
    const file = (path: string, imports: SourceFile['imports']): SourceFile => ({ path, project: path.split('/').slice(0, 2).join('/'), imports, packages: [] });

    it('a lib importing an app, an app importing another, a pure lib importing an I/O lib, a relative path into another project', () => {
      expect(
        layeringViolations(
          [
            file('libs/platform/src/x.ts', [{ project: 'apps/scim-gateway', path: null, specifier: '@axis/scim-gateway' }]),
            file('apps/projector/src/x.ts', [{ project: 'apps/notifier', path: null, specifier: '@axis/notifier' }]),
            file('apps/all-in-one/src/x.ts', [{ project: 'apps/notifier', path: null, specifier: '@axis/notifier' }]),
            file('libs/domain/src/x.ts', [{ project: 'libs/event-store', path: null, specifier: '@axis/event-store' }]),
            file('libs/domain/src/y.ts', [{ project: 'libs/scim', path: null, specifier: '@axis/scim' }]),
            file('apps/projector/src/y.ts', [{ project: 'libs/read-model', path: 'libs/read-model/src/index', specifier: '../../../libs/read-model/src/index' }]),
          ],
          RULES,
        ),
      ).toEqual([
        'libs/platform/src/x.ts: a lib imports an app (@axis/scim-gateway)',
        'apps/projector/src/x.ts: an app imports another app (@axis/notifier)',
        'libs/domain/src/x.ts: libs/domain is pure and imports libs/event-store (@axis/event-store)',
        'apps/projector/src/y.ts: reaches into libs/read-model by a relative path (../../../libs/read-model/src/index); import its package',
      ]);
    });

    it('a cycle between two folders of one project, through a file at the root of its src', () => {
      expect(
        importCycles([
          file('apps/g/src/auth/guard.ts', [{ project: 'apps/g', path: 'apps/g/src/http/facts.ts', specifier: '../http/facts' }]),
          file('apps/g/src/http/facts.ts', [{ project: 'apps/g', path: 'apps/g/src/main.ts', specifier: '../main' }]),
          file('apps/g/src/main.ts', [{ project: 'apps/g', path: 'apps/g/src/auth/guard.ts', specifier: './auth/guard' }]),
          // Specs and testing helpers may import across folders.
          file('apps/g/src/config.ts', [{ project: 'apps/g', path: 'apps/g/src/auth/guard.ts', specifier: './auth/guard' }]),
          file('apps/g/src/auth/guard.spec.ts', [{ project: 'apps/g', path: 'apps/g/src/config.ts', specifier: '../config' }]),
        ]),
      ).toEqual([
        {
          members: ['apps/g/src/auth', 'apps/g/src/http', 'apps/g/src/main.ts'],
          edges: [
            'apps/g/src/auth → apps/g/src/http (apps/g/src/auth/guard.ts)',
            'apps/g/src/http → apps/g/src/main.ts (apps/g/src/http/facts.ts)',
            'apps/g/src/main.ts → apps/g/src/auth (apps/g/src/main.ts)',
          ],
        },
      ]);
    });
  });
});
