/**
 * A user's install has only package.json `dependencies` (and whichever
 * optional peers they chose), not devDependencies. So every package that
 * lib/ imports when it is loaded — a static, non-type import — must be a
 * dependency; a package lib/ needs only on demand (a dynamic `import()`, as
 * for an optional peer like prom-client) or only for types must at least be
 * declared. scripts/test-package.sh proves the same on a real install for
 * what the import graph loads; this test also covers modules it does not load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
  'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies',
  Record<string, string> | undefined
>;

interface Use {
  file: string;
  pkg: string;
  /** Static value import or require(): needed as soon as the file is loaded. */
  atLoad: boolean;
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return builtinModules.includes(name) ? undefined : name;
}

function usesIn(file: string): Use[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const uses: Use[] = [];
  const add = (specifier: string, atLoad: boolean) => {
    const name = packageOf(specifier);
    if (name !== undefined) uses.push({ file, pkg: name, atLoad });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, !typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, !node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const [arg] = node.arguments;
      if (arg !== undefined && ts.isStringLiteralLike(arg)) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(arg.text, false);
        else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(arg.text, true);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

const libFiles = readdirSync(join(root, 'lib'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join('lib', f));
const uses = libFiles.flatMap(usesIn);

describe('package dependencies', () => {
  it('finds lib/ imports (sanity: the loader needs node-gyp-build)', () => {
    expect(uses).toContainEqual({ file: join('lib', 'binding.ts'), pkg: 'node-gyp-build', atLoad: true });
  });

  it('every package lib/ loads statically is a runtime dependency', () => {
    const missing = uses.filter((u) => u.atLoad && pkg.dependencies?.[u.pkg] === undefined);
    expect(missing, 'import these dynamically, or ask the lead to make them dependencies').toEqual([]);
  });

  it('every package lib/ imports on demand or for types is declared', () => {
    const declared = (name: string) =>
      [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies, pkg.devDependencies].some(
        (deps) => deps?.[name] !== undefined,
      );
    expect(uses.filter((u) => !u.atLoad && !declared(u.pkg))).toEqual([]);
  });
});
