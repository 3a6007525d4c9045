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

/**
 * An allocator peer (mimalloc, jemalloc, tcmalloc) asked for that does not load here: `code` is
 * `ERR_PEER_UNAVAILABLE`; the message says whether it is not installed (with the Debian package)
 * or why it cannot load.
 */
export class PeerUnavailableError extends PoolscopeError {
  /** `'PeerUnavailableError'`, as `err.name` and in the stack trace's first line. */
  override name = 'PeerUnavailableError';
}

/**
 * The native addon could not be found: `code` is `ERR_ADDON_NOT_FOUND` when `POOLSCOPE_ADDON_DIR`
 * names a directory without `poolscope.node`; the message says which path was tried.
 */
export class AddonLoadError extends PoolscopeError {
  /** `'AddonLoadError'`, as `err.name` and in the stack trace's first line. */
  override name = 'AddonLoadError';
}

type PoolscopeErrorClass = new (code: string, message: string, options?: { cause?: unknown }) => PoolscopeError;

/** The addon's coded errors (native/addon/errors.hpp `throwWithCode`) and the class each becomes. */
const NATIVE_CODES: Readonly<Record<string, PoolscopeErrorClass>> = {
  ERR_POOL_DESTROYED: PoolError,
  ERR_POOL_NOT_FOUND: PoolError,
  ERR_PEER_UNAVAILABLE: PeerUnavailableError,
};

/**
 * The one mapping from an addon error to its typed error: a coded error of the addon becomes its
 * {@link PoolscopeError} subclass (the native error as `cause`); anything else is returned as is.
 */
export function fromNativeError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const Class = typeof code === 'string' ? NATIVE_CODES[code] : undefined;
  return Class && err instanceof Error ? new Class(code as string, err.message, { cause: err }) : err;
}
