/**
 * A user's mistake on the command line is one line on stderr naming the flag
 * and what it accepts, with a hint to `<command> --help`; exit code 2; no
 * full help and no stack trace; nothing starts (output paths are checked
 * before the run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-cli-usage-'));
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');

const GP = ['run', '--scenario', 'get-put'];

/** [argv, the command whose --help is hinted, what the one line says] */
const CASES: [string[], string, RegExp][] = [
  [[...GP, '--threads', '0x10'], 'run', /--threads.*'0x10' is invalid.*decimal integer/],
  [[...GP, '--threads', '1e1'], 'run', /--threads.*'1e1' is invalid.*decimal integer/],
  [[...GP, '--threads', ' 2'], 'run', /--threads.*' 2' is invalid.*decimal integer/],
  [[...GP, '--threads', '2.0'], 'run', /--threads.*'2.0' is invalid.*decimal integer/],
  [[...GP, '--threads', '0'], 'run', /--threads must be an integer from 1 to 64 \(received 0\)/],
  [[...GP, '--object-size', '4'], 'run', /--object-size must be an integer from 8 to 1048576 \(received 4\)/],
  [[...GP, '--time-limit', '0'], 'run', /--time-limit must be an integer from 1 to 2147483647/],
  [[...GP, '-r', '0'], 'run', /--repeat must be an integer from 1 to 10000 \(received 0\)/],
  [['run', '--scenario', 'nope'], 'run', /--scenario <name>.*'nope' is invalid.*get-put, batch, producer-consumer/],
  [[...GP, '--layout', 'pad32'], 'run', /--layout <layout>.*'pad32'.*packed, pad64, pad128/],
  [['run', '--scenario', 'producer-consumer', '--threads', '3'], 'run', /--threads must be an even number.*3/],
  [['run', '--scenario', 'alloc', '--pool', 'treiber'], 'run', /--pool must be one of 'malloc'.*for alloc.*"treiber"/],
  [['run', '--scenario', 'false-sharing', '--pool', 'mutex'], 'run', /--pool must be one of 'sync' for false-sharing/],
  [[...GP, '--ops', '10', '--duration', '5'], 'run', /--ops.*cannot be used with.*--duration/],
  [[...GP, '--bogus'], 'run', /unknown option '--bogus'/],
  [[...GP, '--seed', '-1'], 'run', /--seed must be an integer from 0 to 4294967295 \(received -1\)/],
  [['bench', '--seed', '4294967296', '--no-peers'], 'bench', /--seed must be an integer from 0 to 4294967295/],
  [[...GP, '--json', join(dir, 'no-such-dir', 'r.json')], 'run', /--json ".*no-such-dir\/r.json": no such directory/],
  [[...GP, '--json', dir], 'run', /--json ".*" is a directory/],
  [['frobnicate'], 'poolscope', /unknown command 'frobnicate'/],
  [['report', '/dev/zero'], 'report', /"\/dev\/zero" is a device/],
  [['report', fifo], 'report', /"\/.*\/fifo" is a FIFO/],
  [['report', join(dir, 'missing.json')], 'report', /no such file/],
  [['report', aFile, '-o', join(dir, 'nope', 'out.md')], 'report', /--out ".*nope\/out.md": no such directory/],
  [['report', aFile, '-f', 'pdf'], 'report', /--format must be one of/],
  [['bench', '-r', '0'], 'bench', /--repeat must be an integer from 1 to 10000 \(received 0\)/],
  [[...GP, '--seed', '-1'], 'run', /--seed must be an integer from 0 to 4294967295 \(received -1\)/],
  [['bench', '--seed', '4294967296', '--no-peers'], 'bench', /--seed must be an integer from 0 to 4294967295/],
  [['bench', '--threads', '1,x'], 'bench', /--threads <list>.*'1,x' is invalid/],
  [['bench', '--processes', '0', '--no-peers'], 'bench', /--processes must be an integer from 1 to 16 \(received 0\)/],
  [
    ['bench', '--processes', '4', '-r', '3', '--no-peers'],
    'bench',
    /--processes 4 needs at least as many samples per benchmark \(--repeat is 3\)/,
  ],
  [['bench', '--threads', '1,65', '--no-peers'], 'bench', /--threads must be an integer from 1 to 64 \(received 65\)/],
  [['bench', '--filter', 'NoSuchBenchmark', '--no-peers'], 'bench', /--filter "NoSuchBenchmark" matches none/],
  [['bench', '--filter', '(', '--no-peers'], 'bench', /--filter must be a regular expression/],
  [['bench', '--out', aFile, '--no-peers'], 'bench', /--out ".*a-file".* is not a directory/],
  [['peers', '-r', '0'], 'peers', /--repeats must be an integer from 1 to 1000 \(received 0\)/],
  [['peers', '--from', '/dev/zero'], 'peers', /"\/dev\/zero" is a device/],
  [
    ['compare', aFile],
    'compare',
    /expected OLD NEW, or NEW… --against OLD… for several runs per side \(received 1 file\)/,
  ],
  [['probe', '--json', join(dir, 'no', 'p.json')], 'probe', /--json ".*no\/p.json": no such directory/],
];

describe.concurrent('usage errors: one line, a hint, exit 2', () => {
  it.each(CASES)('%j', async (args, command, message) => {
    const r = await cli(args);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    const hint = command === 'poolscope' ? 'poolscope --help' : `poolscope ${command} --help`;
    expect(lines[0]).toContain(`(see ${hint})`);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack
    expect(r.stderr).not.toMatch(/Usage:|Options:/); // no full help
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('--verbose adds the stack of a usage error found by poolscope', async () => {
    const r = await cli([...GP, '--json', join(dir, 'no-such-dir', 'r.json'), '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such directory/);
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  it('a run that fails (time limit) is one line and exit 1; --verbose adds the stack', async () => {
    const args = [...GP, '--duration', '1000', '-r', '100', '--time-limit', '50', '-q'];
    const r = await cli(args);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    // The limit may pass while the workers start (they count against it) or during the samples.
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^poolscope run: run stopped: (it went past|its workers did not start within) its time limit of 50 ms \(--verbose prints the stack\)$/,
    );
    expect(r.code).toBe(1);
    const v = await cli([...args, '--verbose']);
    expect(v.stderr).toMatch(/RunError: run stopped/);
    expect(v.stderr).toMatch(/^\s+at /m);
    expect(v.code).toBe(1);
  });

  it('--help still prints the full help, exit 0', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Options:/);
    expect(r.stdout).toMatch(/-e, --events <names>/);
    expect(r.stdout).toMatch(/-r, --repeat <r>/);
  });
});
