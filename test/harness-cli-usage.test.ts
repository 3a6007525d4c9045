/**
 * Bad input to `poolscope run` / `bench` is a usage error: exit code 2 and a
 * message that names the flag and what it accepts; nothing starts.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'lib/cli/main.ts', ...args],
      { encoding: 'utf8', timeout: 30_000 },
      (err, _stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }),
    );
  });
}

describe.concurrent('run: usage errors exit 2 naming the flag', () => {
  it.each([
    [['run', '--scenario', 'get-put', '--threads', '0'], /--threads <n>.*'0' is invalid.*integer from 1 to 64/],
    [['run', '--scenario', 'nope'], /--scenario <name>.*'nope' is invalid.*get-put, batch, producer-consumer/],
    [['run', '--scenario', 'get-put', '--layout', 'pad32'], /--layout <layout>.*'pad32'.*packed, pad64, pad128/],
    [['run', '--scenario', 'producer-consumer', '--threads', '3'], /--threads must be an even number.*received 3/],
    [['run', '--scenario', 'alloc', '--pool', 'treiber'], /--pool must be one of 'malloc'.*for alloc.*'treiber'/],
    [['run', '--scenario', 'get-put', '--ops', '10', '--duration', '5'], /--ops.*cannot be used with.*--duration/],
    [['run', '--scenario', 'get-put', '--events', 'cyclez', '--ops', '1'], /cyclez/],
    [['bench', '--repeat', '0'], /--repeat <r>.*'0' is invalid/],
    [['run', '--scenario', 'get-put', '--seed', '-1'], /--seed <n>.*'-1' is invalid.*integer from 0 to 4294967295/],
    [['bench', '--seed', '4294967296'], /--seed <n>.*'4294967296' is invalid/],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});
