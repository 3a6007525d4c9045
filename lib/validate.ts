/**
 * Input validation for options objects, done once at the public edge. Every
 * message names the field, the value received and what is accepted, e.g.
 * `objectSize must be an integer from 1 to 1048576 (received 0)`.
 */

/** A short, safe description of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

/** Throws unless `value` is a plain object (or undefined when optional); returns it typed as a record. */
export function expectObject(field: string, value: unknown, optional = false): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${field} must be an object (received ${describeValue(value)})`);
  }
  return value as Record<string, unknown>;
}

/** Throws unless `value` is an integer in [min, max]. */
export function expectInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${field} must be an integer from ${min} to ${max} (received ${describeValue(value)})`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer from ${min} to ${max} (received ${describeValue(value)})`);
  }
  return value;
}

/** Throws unless `value` is a finite number in [min, max]. */
export function expectNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${field} must be a number from ${min} to ${max} (received ${describeValue(value)})`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${field} must be a number from ${min} to ${max} (received ${describeValue(value)})`);
  }
  return value;
}

/** Throws unless `value` is one of `accepted`. */
export function expectOneOf<T extends string>(field: string, value: unknown, accepted: readonly T[]): T {
  const list = accepted.map((a) => `'${a}'`).join(', ');
  if (typeof value !== 'string') {
    throw new TypeError(`${field} must be one of ${list} (received ${describeValue(value)})`);
  }
  if (!(accepted as readonly string[]).includes(value)) {
    throw new RangeError(`${field} must be one of ${list} (received ${describeValue(value)})`);
  }
  return value as T;
}

/** Throws unless `value` is a boolean. */
export function expectBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${field} must be true or false (received ${describeValue(value)})`);
  }
  return value;
}

/** Throws unless `value` is a function. */
export function expectFunction<F extends (...args: never[]) => unknown>(field: string, value: unknown): F {
  if (typeof value !== 'function') {
    throw new TypeError(`${field} must be a function (received ${describeValue(value)})`);
  }
  return value as F;
}

/** Throws if `options` has a key not in `known` (catches typos such as `objectsize`). */
export function rejectUnknownKeys(field: string, options: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RangeError(`${field}.${key} is not a known option; accepted: ${known.join(', ')}`);
    }
  }
}
