/**
 * The library's error types. Bad input throws the built-in `TypeError` (wrong
 * type) or `RangeError` (right type, value not accepted), with a message that
 * names the field, what was received and what is accepted; failures of the
 * system carry the errno name in `code`, like Node's own system errors.
 */

/** Base class of every error poolscope throws that is not a TypeError/RangeError. */
export class PoolscopeError extends Error {
  /** `'PoolscopeError'`, as `err.name` and in the stack trace's first line. */
  override name = 'PoolscopeError';
  /** Machine-readable reason: an errno name (`EACCES`) or a poolscope code (`ERR_POOL_DESTROYED`). */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A run of the harness failed: a worker threw, died or went past the time limit. */
export class RunError extends PoolscopeError {
  /** `'RunError'`, as `err.name` and in the stack trace's first line. */
  override name = 'RunError';
}

/** A results document could not be read: not JSON, another tool's file, or a field of the wrong shape. */
export class ResultsFormatError extends PoolscopeError {
  /** `'ResultsFormatError'`, as `err.name` and in the stack trace's first line. */
  override name = 'ResultsFormatError';
}

/** Go benchmark text (`go test -bench` output) could not be parsed: the message names the line. */
export class GoBenchFormatError extends PoolscopeError {
  /** `'GoBenchFormatError'`, as `err.name` and in the stack trace's first line. */
  override name = 'GoBenchFormatError';
}

/** Counters could not be opened as required (`requireAll`), or were used after `close()`. */
export class CountersError extends PoolscopeError {
  /** `'CountersError'`, as `err.name` and in the stack trace's first line. */
  override name = 'CountersError';
}

/** A native pool id that is not live: `code` is `ERR_POOL_DESTROYED` (destroyed, by any thread) or `ERR_POOL_NOT_FOUND` (never created). */
export class PoolError extends PoolscopeError {
  /** `'PoolError'`, as `err.name` and in the stack trace's first line. */
  override name = 'PoolError';
}
