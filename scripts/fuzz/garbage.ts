/**
 * Seeded random inputs for the fuzz: a PRNG, and values that are wrong for a
 * field of a given kind (so a surface that accepts one has accepted garbage).
 */

export { seededRandom } from '../../test/fixtures/results.js';

/** A 32-bit seed for input `index` of `surface` in a run seeded with `seed` (FNV-1a over the three). */
export function inputSeed(seed: number, surface: string, index: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${surface}/${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** An object whose every property access throws: for code that must not trust its input. */
function hostile(): object {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('fuzz: hostile getter');
      },
      ownKeys() {
        throw new Error('fuzz: hostile ownKeys');
      },
    },
  );
}

function sparse(): unknown[] {
  const a: unknown[] = [];
  a[3] = 1;
  return a;
}

/** Values no field of poolscope accepts as its own kind, whatever that kind is (objects are handled per field). */
const ALWAYS_WRONG: readonly (() => unknown)[] = [
  () => null,
  () => Symbol('fuzz'),
  () => () => 1,
  () => hostile(),
  () => Object.create(null),
  () => 10n,
  () => new Date(0),
];

/** The kinds of field the surfaces declare. */
export type FieldKind = 'int' | 'number' | 'string' | 'enum' | 'bool' | 'object' | 'array' | 'function';

const WRONG_BY_KIND: Record<FieldKind, readonly (() => unknown)[]> = {
  int: [
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => -1,
    () => 1.5,
    () => 2 ** 60,
    () => '8',
    () => ' 2',
    () => '0x10',
    () => true,
    () => [],
    () => ({}),
  ],
  number: [() => Number.NaN, () => Number.NEGATIVE_INFINITY, () => '1', () => true, () => [], () => ({})],
  string: [() => 5, () => true, () => [], () => ({}), () => ['a']],
  enum: [() => 'nonsense', () => '', () => 'XADD ', () => 5, () => true, () => [], () => ({})],
  bool: [() => 'yes', () => 1, () => 0, () => 'false', () => [], () => ({})],
  object: [() => 5, () => 'x', () => true, () => [], () => sparse()],
  array: [() => 5, () => 'abc', () => ({ length: 2 ** 32 - 1 }), () => sparse(), () => ({}), () => [5, {}]],
  function: [() => 5, () => 'f', () => ({}), () => []],
};

/** A value that is wrong for a field of `kind`. */
export function wrongValue(rng: Rng, kind: FieldKind): unknown {
  const always = kind === 'function' ? ALWAYS_WRONG.filter((make) => typeof make() !== 'function') : ALWAYS_WRONG;
  return pick(rng, rng() < 0.3 ? always : WRONG_BY_KIND[kind])();
}

/** A value that is not an options object at all (a null-prototype object would be an empty, valid one). */
export function notAnObject(rng: Rng): unknown {
  return pick(rng, [() => null, () => 5, () => 'x', () => true, () => [], () => Symbol('fuzz'), hostile])();
}

/** Any value at all, valid or not (for inputs whose validity the surface decides). */
export function anyValue(rng: Rng): unknown {
  const kinds = Object.keys(WRONG_BY_KIND) as FieldKind[];
  return rng() < 0.15 ? pick(rng, [0, 1, 64, 'sync', 'json', false]) : wrongValue(rng, pick(rng, kinds));
}
