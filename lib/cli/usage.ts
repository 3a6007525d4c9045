/**
 * What the CLI treats as a user's mistake (exit 2, one line, a hint to
 * `--help`, no stack) rather than a failure of the run (exit 1) or a bug
 * (exit 1 with the stack).
 */
import { CommanderError } from 'commander';
import { PoolscopeError, ResultsFormatError } from '../errors.js';
import { describeValue } from '../validate.js';

/** A usage error found by the CLI itself (a path that cannot be written, a filter that matches nothing). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Codes of library errors that report the user's input or machine set-up, not a failure: the
 * addon's code for a peer that does not load, and POOLSCOPE_ADDON_DIR naming no build.
 */
const USAGE_CODES: ReadonlySet<string> = new Set(['ERR_PEER_UNAVAILABLE', 'ERR_ADDON_NOT_FOUND']);

/**
 * True for bad input: a commander parse error, the resolver's typed
 * TypeError/RangeError (they name the field and what it accepts), a results
 * file that cannot be read, a peer that is not installed or cannot load
 * (ERR_PEER_*, also as the cause of a worker's failure), POOLSCOPE_ADDON_DIR
 * naming no build (ERR_ADDON_NOT_FOUND).
 */
export function isUsageError(err: unknown): boolean {
  if (err instanceof CommanderError) return err.exitCode !== 0;
  if (err instanceof UsageError || err instanceof ResultsFormatError) return true;
  if (err instanceof TypeError || err instanceof RangeError) return true;
  return usageCode(err);
}

/** A usage code on the error or its causes (a worker's ERR_PEER_UNAVAILABLE arrives as the cause of a RunError). */
function usageCode(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  return (typeof code === 'string' && USAGE_CODES.has(code)) || usageCode(cause, depth + 1);
}

/** True for errors the library raises on purpose (a run that failed): one line unless --verbose. */
export function isKnownFailure(err: unknown): boolean {
  return err instanceof PoolscopeError;
}

/** The first line of an error's message, without commander's `error: ` prefix. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : `non-error thrown: ${describeValue(err)}`;
  const first = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return first.replace(/^error: /, '').trim();
}
