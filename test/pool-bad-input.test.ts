import { afterAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../lib/binding.js';
import { NativePool } from '../lib/pool.js';

const pool = NativePool.create({ objectSize: 64 });
afterAll(() => pool.destroy());

describe('NativePool bad input', () => {
  it('rejects unknown variant names, naming the field and the accepted values', () => {
    expect(() => NativePool.create({ objectSize: 64, pool: 'lockfree' as never })).toThrow(
      new RangeError(
        `pool must be one of 'sync', 'malloc', 'mutex', 'treiber', 'mimalloc', 'jemalloc', 'tcmalloc' (received "lockfree")`,
      ),
    );
    expect(() => NativePool.create({ objectSize: 64, layout: 'pad32' as never })).toThrow(
      /layout must be one of 'packed', 'pad64', 'pad128' \(received "pad32"\)/,
    );
    expect(() => NativePool.create({ objectSize: 64, publish: 'lock' as never })).toThrow(
      /publish must be one of 'xadd', 'cas', 'mfence', 'xchg'/,
    );
    expect(() => NativePool.create({ objectSize: 64, publish: 7 as never })).toThrow(TypeError);
    expect(() => NativePool.create({ objectSize: 64, objectsize: 1 } as never)).toThrow(
      /objectsize is not a known option/,
    );
  });

  it('rejects objectSize 0, huge, fractional or missing', () => {
    expect(() => NativePool.create({ objectSize: 0 })).toThrow(
      new RangeError('objectSize must be an integer from 1 to 1048576 (received 0)'),
    );
    expect(() => NativePool.create({ objectSize: 2 ** 40 })).toThrow(RangeError);
    expect(() => NativePool.create({ objectSize: 1.5 })).toThrow(/objectSize must be an integer/);
    expect(() => NativePool.create({} as never)).toThrow(TypeError);
    expect(() => NativePool.create({ objectSize: 64, alignment: 24 })).toThrow(/alignment must be one of 16, 32/);
    expect(() => NativePool.create({ objectSize: 64, maxThreads: 0 })).toThrow(/maxThreads/);
    expect(() => NativePool.create(null as never)).toThrow(new TypeError('options must be an object (received null)'));
  });

  it('rejects bad loop options', () => {
    expect(() => pool.runLoop({ scenario: 'get-put', ops: -1 })).toThrow(
      new RangeError('ops must be an integer from 0 to 9007199254740991 (received -1)'),
    );
    expect(() => pool.runLoop({ scenario: 'churn' as never, ops: 1 })).toThrow(
      /scenario must be one of 'get-put', 'batch'/,
    );
    expect(() => pool.runLoop({ scenario: 'batch', ops: 10, batch: 0 })).toThrow(
      /batch must be an integer from 1 to 4096/,
    );
    expect(() => pool.runLoop({ scenario: 'batch', ops: '10' as never })).toThrow(TypeError);
    expect(pool.runLoop({ scenario: 'batch', ops: 0 }).ops).toBe(0);
  });

  it('refuses blocks the pool did not hand out, and ids that are not pools', () => {
    expect(() => pool.put(12345n)).toThrow(RangeError);
    expect(() => pool.put(1 as never)).toThrow(TypeError);
    const b = pool.get() as bigint;
    pool.put(b);
    expect(() => pool.put(b)).toThrow(/not yet put back/);
    expect(() => NativePool.attach(0)).toThrow(
      new RangeError('id must be an integer from 1 to 4294967295 (received 0)'),
    );
    expect(() => NativePool.attach('1' as never)).toThrow(TypeError);
  });

  it('checks the same things in the addon itself, without crashing', () => {
    type Fn = (...args: unknown[]) => unknown;
    const a = nativeAddon<Record<string, Fn>>();
    const calls: Array<[string, unknown[]]> = [
      ['poolCreate', []],
      ['poolCreate', [{ objectSize: 0 }]],
      ['poolCreate', [{ objectSize: 64, pool: 'x' }]],
      ['poolCreate', [{ objectSize: 64, alignment: 48 }]],
      ['poolStats', [-1]],
      ['poolStats', [2 ** 33]],
      ['poolRunLoop', [pool.id]],
      ['poolRunLoop', [pool.id, { scenario: 'get-put', ops: -5 }]],
      ['poolRunLoop', [pool.id, { scenario: 'gc-churn', ops: 5 }]],
      ['poolPut', [pool.id, 'abc']],
      ['poolPut', [pool.id, -1n]],
    ];
    for (const [name, args] of calls) {
      let caught: unknown;
      try {
        a[name]?.(...args);
      } catch (err) {
        caught = err;
      }
      expect(caught, `${name}(${String(args)})`).toBeInstanceOf(Error);
      expect((caught as Error).name).toMatch(/TypeError|RangeError/);
    }
  });
});
