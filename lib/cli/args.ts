/**
 * Parsing command-line values, and nothing more: a flag's value is turned
 * into the type the harness takes, and the harness's resolver
 * (lib/harness/options.ts, with the limits of lib/limits.ts) checks the
 * range, named by the flag (`flagNames`). The CLI keeps no copy of the
 * ranges or of the scenario/pool rules.
 */

import { InvalidArgumentError } from 'commander';
import { expectInteger } from '../validate.js';

/** Plain decimal digits with an optional minus sign: no `0x10`, `1e1`, `' 2'`, `2.0` or `+2`. */
const DECIMAL = /^-?[0-9]+$/;

/** Commander argParser for an integer flag: decimal digits only; the range is the resolver's to check. */
export function decimalInteger(value: string): number {
  if (!DECIMAL.test(value)) {
    throw new InvalidArgumentError(`must be a decimal integer such as 4 (received ${JSON.stringify(value)}).`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`must be an integer below 2^53 (received ${JSON.stringify(value)}).`);
  }
  return n;
}

/** `--events a,b --events c` → ['a', 'b', 'c']. */
export function eventList(value: string, previous: string[] | undefined): string[] {
  const list = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (list.length === 0) throw new InvalidArgumentError('must name at least one event, e.g. task-clock.');
  return [...(previous ?? []), ...list];
}

/** `--threads 1,2,4` → [1, 2, 4] (decimal integers, each checked by the resolver). */
export function integerList(value: string): number[] {
  const parts = value.split(',');
  if (parts.some((p) => !DECIMAL.test(p))) {
    throw new InvalidArgumentError(
      `must be decimal integers separated by commas, e.g. 1,2,4 (received ${JSON.stringify(value)}).`,
    );
  }
  return [...new Set(parts.map(Number))];
}

/** Option keys whose flag is not the key in kebab case. */
const FLAG_OF: Readonly<Record<string, string>> = {
  durationMs: '--duration',
  timeLimitMs: '--time-limit',
  pinThreads: '--no-pin',
  peerRepeats: '--repeats',
};

/** How the resolver names an option on the command line: `objectSize` → `--object-size`. */
export function flagNames(key: string): string {
  return FLAG_OF[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `--seed`: the placement draws' seed, an integer from 0 to 2^32-1 (checked here so the message names the flag). */
export function seedFlag(value: number): number {
  return expectInteger('--seed', value, 0, 2 ** 32 - 1);
}
