/**
 * `npm run fuzz`: drives every public surface with seeded wrong input, each
 * batch in a child process, and prints what happened per surface: clean
 * (a typed error naming the field), valid (an input the surface may accept,
 * accepted), generic (an untyped error from deeper down), accepted (wrong
 * input taken as right), crash (the child died) and hang (no answer in time).
 * Exits 1 on any generic error, accepted garbage, crash or hang.
 *
 *   npm run fuzz -- [--seed N] [--inputs N] [--batch N] [--surface NAME] [--examples N]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './child.js';
import { SURFACES } from './surfaces.js';

type Verdict = 'clean' | 'valid' | 'generic' | 'accepted' | 'crash' | 'hang';
const VERDICTS: readonly Verdict[] = ['clean', 'valid', 'generic', 'accepted', 'crash', 'hang'];
const FAILING: readonly Verdict[] = ['generic', 'accepted', 'crash', 'hang'];

interface Options {
  seed: number;
  inputs: number;
  batch: number;
  surfaces: string[];
  examples: number;
}

function usage(message: string): never {
  console.error(
    `fuzz: ${message}\nusage: npm run fuzz -- [--seed N] [--inputs N] [--batch N] [--surface NAME] [--examples N]`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: 1, inputs: 2000, batch: 250, surfaces: SURFACES.map((s) => s.name), examples: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--surface') {
      if (!SURFACES.some((s) => s.name === value))
        usage(`--surface must be one of ${SURFACES.map((s) => s.name).join(', ')}`);
      o.surfaces = [value as string];
      continue;
    }
    const key = { '--seed': 'seed', '--inputs': 'inputs', '--batch': 'batch', '--examples': 'examples' }[flag ?? ''] as
      | 'seed'
      | 'inputs'
      | 'batch'
      | 'examples'
      | undefined;
    if (!key) usage(`unknown flag ${flag}`);
    if (!/^\d+$/.test(value ?? '') || Number(value) > 1e7 || (key !== 'seed' && Number(value) < 1)) {
      usage(`${flag} takes a whole number${key === 'seed' ? '' : ' from 1'} (received ${value})`);
    }
    o[key] = Number(value);
  }
  return o;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
/** No answer for this long means a hang; the harness surface runs real (short) benchmarks. */
const hangMs = (surface: string) => (surface === 'runStress' ? 30_000 : 10_000);

interface Tally {
  counts: Record<Verdict, number>;
  examples: Partial<Record<Verdict, string[]>>;
}

/** Runs inputs [from, to) of a surface, in as many children as crashes and hangs make necessary. */
async function runRange(surface: string, o: Options, from: number, to: number, tally: Tally): Promise<void> {
  let next = from;
  const note = (v: Verdict, text: string) => {
    tally.counts[v]++;
    if (v === 'clean' || v === 'valid') return;
    const list = tally.examples[v] ?? [];
    if (list.length < o.examples) list.push(text);
    tally.examples[v] = list;
  };
  while (next < to) {
    let current: { index: number; label: string } | undefined;
    await new Promise<void>((resolve) => {
      const child = fork(CHILD, [surface, String(o.seed), String(next), String(to)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (current) note('hang', `#${current.index} ${current.label}`);
          next = (current?.index ?? next) + 1;
          current = undefined;
          child.kill('SIGKILL');
        }, hangMs(surface));
      };
      arm();
      child.on('message', (m: ChildMessage) => {
        arm();
        if (m.type === 'start') current = { index: m.index, label: m.label };
        else {
          note(m.outcome, `#${m.index} ${current?.label ?? ''}${m.detail ? ` -> ${m.detail}` : ''}`);
          current = undefined;
          next = m.index + 1;
        }
      });
      // 'close', not 'exit': 'exit' can come before the last IPC messages are read, and a batch
      // that finished would then count as a crash at whatever input was in flight.
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (current) {
          const last = stderr.trim().split('\n').slice(-1)[0] ?? '';
          note('crash', `#${current.index} ${current.label} -> exit ${signal ?? code}: ${last.slice(0, 160)}`);
          next = current.index + 1;
        } else if (code !== 0 && signal !== 'SIGKILL' && next < to) {
          note('crash', `batch from #${next}: exit ${signal ?? code}: ${stderr.trim().slice(-160)}`);
          next = to;
        }
        resolve();
      });
    });
  }
}

const o = parseArgs(process.argv.slice(2));
const rows: [string, Tally][] = [];
const started = Date.now();
for (const surface of o.surfaces) {
  const tally: Tally = { counts: { clean: 0, valid: 0, generic: 0, accepted: 0, crash: 0, hang: 0 }, examples: {} };
  for (let from = 0; from < o.inputs; from += o.batch) {
    await runRange(surface, o, from, Math.min(o.inputs, from + o.batch), tally);
    process.stderr.write(`\rfuzz: ${surface} ${Math.min(o.inputs, from + o.batch)}/${o.inputs}   `);
  }
  process.stderr.write('\n');
  rows.push([surface, tally]);
}

const header = ['surface', 'inputs', ...VERDICTS];
const table = rows.map(([name, t]) => [name, String(o.inputs), ...VERDICTS.map((v) => String(t.counts[v]))]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(
  `fuzz: seed ${o.seed}, ${o.inputs} inputs per surface, ${o.batch} per child process, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
console.log(line(header));
for (const r of table) console.log(line(r));
let failed = false;
for (const [name, t] of rows) {
  for (const v of FAILING) {
    if (t.counts[v] === 0) continue;
    failed = true;
    console.log(`\n${name}: ${t.counts[v]} ${v}, e.g.`);
    for (const e of t.examples[v] ?? []) console.log(`  ${e}`);
  }
}
console.log(failed ? '\nfuzz: FAILED (generic errors, accepted garbage, crashes or hangs above)' : '\nfuzz: clean');
process.exitCode = failed ? 1 : 0;
