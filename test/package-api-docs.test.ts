/**
 * Every public export (lib/index.ts) is documented where it is defined: the
 * export itself and each public member of an exported class; exported
 * functions and classes (other than Error subclasses) also carry an
 * `@example`: a ```ts block that imports from 'poolscope' and type-checks
 * against this checkout's lib/ (examples are type-checked, not run: some start
 * long benchmarks or write files; README examples are run). These are the
 * comments editors show and `npm run docs` renders.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const program = ts.createProgram([join(root, 'lib/index.ts')], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

function where(symbol: ts.Symbol): string {
  const decl = symbol.declarations?.[0];
  if (decl === undefined) return symbol.name;
  const file = decl.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(decl.getStart());
  return `${relative(root, file.fileName)}:${line + 1}`;
}

const documented = (symbol: ts.Symbol) =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '';
const hasExample = (symbol: ts.Symbol) => symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');

/** Error subclasses need no example: `instanceof` and `code` are the whole contract. */
function isErrorClass(symbol: ts.Symbol): boolean {
  if (!(symbol.flags & ts.SymbolFlags.Class)) return false;
  let type: ts.Type | undefined = checker.getDeclaredTypeOfSymbol(symbol);
  while (type !== undefined) {
    if (type.symbol?.name === 'Error') return true;
    type = checker.getBaseTypes(type as ts.InterfaceType)[0];
  }
  return false;
}

function isPublicMember(decl: ts.Declaration): boolean {
  if (ts.isConstructorDeclaration(decl)) return false; // documented by the class comment
  if (
    ts.isPropertyDeclaration(decl) ||
    ts.isMethodDeclaration(decl) ||
    ts.isGetAccessor(decl) ||
    ts.isSetAccessor(decl)
  ) {
    const flags = ts.getCombinedModifierFlags(decl);
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
    if (decl.name !== undefined && ts.isPrivateIdentifier(decl.name)) return false;
    return true;
  }
  return false;
}

interface Gap {
  name: string;
  at: string;
  missing: 'doc comment' | '@example';
}

function gaps(): Gap[] {
  const index = program.getSourceFile(join(root, 'lib/index.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (moduleSymbol === undefined) throw new Error('cannot read lib/index.ts');
  const out: Gap[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.name;
    if (!documented(symbol)) out.push({ name, at: where(symbol), missing: 'doc comment' });
    if (
      symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class) &&
      !isErrorClass(symbol) &&
      !hasExample(symbol)
    ) {
      out.push({ name, at: where(symbol), missing: '@example' });
    }
    if (symbol.flags & ts.SymbolFlags.Class) {
      const members = [...(symbol.members?.values() ?? []), ...(symbol.exports?.values() ?? [])];
      for (const member of members) {
        const decls = member.declarations ?? [];
        if (decls.length === 0 || !decls.every(isPublicMember)) continue;
        // an override of a documented base member (Error's name, message) inherits its doc
        if (member.name === 'name' || member.name === 'message' || member.name === 'stack') continue;
        if (member.getJsDocTags(checker).some((tag) => tag.name === 'internal')) continue; // not in the docs
        if (!documented(member))
          out.push({ name: `${name}.${member.name}`, at: where(member), missing: 'doc comment' });
      }
    }
  }
  return out;
}

interface DocExample {
  name: string;
  at: string;
  code: string;
}

/** The ```ts blocks of the exports' `@example` tags. */
function docExamples(): DocExample[] {
  const index = program.getSourceFile(join(root, 'lib/index.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (moduleSymbol === undefined) throw new Error('cannot read lib/index.ts');
  const out: DocExample[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const tag of symbol.getJsDocTags(checker)) {
      if (tag.name !== 'example') continue;
      const text = ts.displayPartsToString(tag.text);
      const blocks = [...text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
      if (blocks.length === 0) out.push({ name: exported.name, at: where(symbol), code: '' });
      for (const code of blocks) out.push({ name: exported.name, at: where(symbol), code });
    }
  }
  return out;
}

/** typedoc's page of an export: docs/api/<folder>/<name>.html, the folder by kind. */
function docsFolder(symbol: ts.Symbol): string | undefined {
  if (symbol.flags & ts.SymbolFlags.Class) return 'classes';
  if (symbol.flags & ts.SymbolFlags.Function) return 'functions';
  if (symbol.flags & ts.SymbolFlags.Interface) return 'interfaces';
  if (symbol.flags & ts.SymbolFlags.TypeAlias) return 'types';
  if (symbol.flags & ts.SymbolFlags.Variable) return 'variables';
  return undefined;
}

/** Every export's page, `<folder>/<name>`. */
function exportPages(): Map<string, ts.Symbol> {
  const index = program.getSourceFile(join(root, 'lib/index.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (moduleSymbol === undefined) throw new Error('cannot read lib/index.ts');
  const pages = new Map<string, ts.Symbol>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const folder = docsFolder(symbol);
    if (folder !== undefined) pages.set(`${folder}/${exported.name}`, symbol);
  }
  return pages;
}

// Outside tsconfig's include, under node_modules/ so imports resolve as from the project.
const exampleDir = join(root, 'node_modules/.cache/poolscope-doc-examples');

describe('API docs', () => {
  it('lib/index.ts exports something (sanity)', () => {
    const index = program.getSourceFile(join(root, 'lib/index.ts'));
    const moduleSymbol = index && checker.getSymbolAtLocation(index);
    expect(moduleSymbol && checker.getExportsOfModule(moduleSymbol).length).toBeGreaterThan(0);
  });

  it('every export and public class member has a doc comment; functions and classes an @example', () => {
    expect(gaps().map((g) => `${g.at} ${g.name}: no ${g.missing}`)).toEqual([]);
  });

  it('every @example is a ```ts block importing from poolscope, and type-checks', () => {
    const examples = docExamples();
    const malformed = examples.filter((ex) => !/from\s+['"]poolscope['"]/.test(ex.code));
    expect(
      malformed.map((ex) => `${ex.at} ${ex.name}: @example needs a \`\`\`ts block importing from 'poolscope'`),
    ).toEqual([]);
    rmSync(exampleDir, { recursive: true, force: true });
    mkdirSync(exampleDir, { recursive: true });
    const libIndex = relative(exampleDir, join(root, 'lib/index.js'));
    const files = examples.map((ex, i) => {
      const file = join(exampleDir, `${ex.name}-${i}.ts`);
      const code = ex.code.replace(/from\s+(['"])poolscope\1/g, `from '${libIndex}'`);
      writeFileSync(file, `// ${ex.at} ${ex.name} @example\n${code}\nexport {};\n`);
      return file;
    });
    if (files.length === 0) return;
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        ...['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck', '--esModuleInterop'],
        ...['--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node'],
        ...files,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    // each file's first line names the export and where it is defined
    expect(r.stdout + r.stderr).toBe('');
  });

  it("README's API docs links name exports of that kind, and link every class and function", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set([...readme.matchAll(/\]\(docs\/api\/(\w+\/\w+)\.html\)/g)].map((m) => m[1] ?? ''));
    expect(linked.size).toBeGreaterThan(0);
    const pages = exportPages();
    expect(
      [...linked].filter((page) => !pages.has(page)),
      'README links to pages typedoc does not make',
    ).toEqual([]);
    const unlinked = [...pages.keys()].filter(
      (page) => (page.startsWith('classes/') || page.startsWith('functions/')) && !linked.has(page),
    );
    expect(unlinked, "add these to README's API docs list").toEqual([]);
  });
});
