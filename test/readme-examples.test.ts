/**
 * The examples in README.md, docs/*.md and CONTRIBUTING.md run. Convention
 * (CONTRIBUTING.md, "Examples in the docs are tested"): a ```ts or
 * ```js block directly after a line `<!-- example -->` is an example; its
 * imports `from 'poolscope'` are pointed at this checkout's lib/, ts blocks are
 * type-checked together with the project's compiler settings, and each block
 * runs with tsx and must exit 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** The Markdown files whose examples run, relative to the root. */
const docFiles = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

interface Example {
  /** The Markdown file, relative to the root. */
  doc: string;
  /** 1-based line of the opening fence in that file. */
  line: number;
  lang: 'ts' | 'js';
  code: string;
}

/** The marked blocks: the marker line, optional blank lines, then the fence. */
function extractExamples(doc: string, markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '<!-- example -->') continue;
    let j = i + 1;
    while (j < lines.length && lines[j]?.trim() === '') j++;
    const fence = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[j] ?? '');
    if (fence === null) throw new Error(`${doc}:${i + 1}: <!-- example --> is not followed by a ts/js block`);
    const end = lines.findIndex((l, k) => k > j && /^```\s*$/.test(l));
    if (end === -1) throw new Error(`${doc}:${j + 1}: unclosed code block`);
    const lang = fence[1]?.startsWith('t') ? 'ts' : 'js';
    examples.push({ doc, line: j + 1, lang, code: lines.slice(j + 1, end).join('\n') });
    i = end;
  }
  return examples;
}

// Under node_modules/ so bare imports (node_modules packages) resolve as from
// the project, and outside tsconfig's include so `tsc --noEmit` never sees them.
const outDir = join(root, 'node_modules/.cache/poolscope-readme-examples');

function writeExamples(examples: Example[]): string[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const libIndex = relative(outDir, join(root, 'lib/index.js'));
  return examples.map((ex) => {
    const base = ex.doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
    const file = join(outDir, `${base}-line-${ex.line}.${ex.lang === 'ts' ? 'ts' : 'mjs'}`);
    const code = ex.code.replace(/from\s+(['"])poolscope\1/g, `from '${libIndex}'`);
    // `export {}` makes a script without imports a module, so top-level await works
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
}

describe('README and docs examples', () => {
  const examples = docFiles.flatMap((doc) => extractExamples(doc, readFileSync(join(root, doc), 'utf8')));
  const files = writeExamples(examples);

  it('README.md and every docs page have examples, each importing poolscope', () => {
    const withExamples = new Set(examples.map((ex) => ex.doc));
    // CONTRIBUTING.md explains the convention; it may have no example of its own
    expect(docFiles.filter((doc) => doc !== 'CONTRIBUTING.md' && !withExamples.has(doc))).toEqual([]);
    for (const ex of examples) expect(ex.code, `${ex.doc}:${ex.line}`).toMatch(/from\s+['"]poolscope['"]/);
  });

  it('the ts examples type-check', () => {
    const tsFiles = files.filter((f) => f.endsWith('.ts'));
    const args = [
      ...['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck', '--esModuleInterop'],
      ...['--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node'],
      ...tsFiles,
    ];
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], {
      cwd: root,
      encoding: 'utf8',
    });
    // messages name the generated file <doc>-line-<N>.ts: N is the fence's line in that Markdown file
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  for (const [i, ex] of examples.entries()) {
    it(`${ex.doc}:${ex.line} (${ex.lang}) runs and exits 0`, () => {
      const file = files[i] ?? '';
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.signal, `killed (timeout?)\n${r.stdout}\n${r.stderr}`).toBeNull();
      expect(r.status, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    });
  }
});
