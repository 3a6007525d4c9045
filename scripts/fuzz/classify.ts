/**
 * What one fuzz input did. A surface is given input that is wrong by
 * construction, so returning normally is accepted garbage; the right answer is
 * a typed error that names the field (a TypeError or RangeError with a message
 * of the form "x must be …", or one of poolscope's coded errors). An error
 * from deeper down (V8's "Cannot read properties of undefined", a plain Error)
 * is generic: the caller learns nothing about what to fix.
 */
import { PoolscopeError } from '../../lib/index.js';

export type Outcome = 'clean' | 'generic' | 'accepted' | 'valid';

/** V8's own messages for a program error, never for validated input. */
const GENERIC =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Invalid array length|Maximum call stack|Cannot destructure|not extensible|Invalid typed array length|allocation failed|Cannot mix BigInt|Do not know how to serialize|circular structure/;

/** A poolscope message names what it wants: "… must be …", "unknown option", "expected …", "accepted: …". */
const NAMED = /must |unknown |expected|accepted|not a |is not one of|refused|cannot be|requires/i;

export function classifyError(err: unknown): Outcome {
  // The caller's own exception (a throwing getter of theirs), passed through unchanged: the right answer.
  if (err instanceof Error && err.message.startsWith('fuzz: hostile')) return 'clean';
  if (err instanceof PoolscopeError) return GENERIC.test(err.message) ? 'generic' : 'clean';
  if (
    (err instanceof TypeError || err instanceof RangeError) &&
    !GENERIC.test(err.message) &&
    NAMED.test(err.message)
  ) {
    return 'clean';
  }
  return 'generic';
}

/** One line about an error, for the examples the report lists. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.split('\n')[0]?.slice(0, 160)}`;
  return `non-error thrown: ${String(typeof err)}`;
}
