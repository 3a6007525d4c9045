import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { countersAddon } from '../lib/counters/native.js';
import { CountersError } from '../lib/errors.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

describe('native handle', () => {
  it('the fast entry points refuse anything but a live handle, with a TypeError instead of a crash', () => {
    const addon = countersAddon();
    for (const bogus of [undefined, null, 42, {}, 'x']) {
      expect(() => addon.countersFastStop(bogus)).toThrow(TypeError);
    }
    const c = Counters.open(['page-faults']);
    const h = c.nativeHandle as { fast(): unknown };
    const fast = h.fast();
    expect(() => addon.countersFastStart(fast)).not.toThrow();
    expect(() => addon.countersFastStop(fast)).not.toThrow();
    c.close();
  });

  it('nativeHandle is an object while open and refused after close()', () => {
    const c = Counters.open(['page-faults', 'tsc']);
    expect(typeof c.nativeHandle).toBe('object');
    c.close();
    expect(() => c.nativeHandle).toThrow(CountersError);
  });

  it('a native-side interval (enable/disable on the handle) is returned by the next stop()', () => {
    // tsc counts on every platform layer: it shows the native interval on the portable one too
    const c = Counters.open(['page-faults', 'tsc']);
    const h = c.nativeHandle as { start(): void; stop(): void };
    h.start(); // what native code does through counterSetFromHandle(...)->enable()
    const mem = new Uint8Array(new ArrayBuffer(64 << 20));
    for (let p = 0; p < 8 << 20; p += 4096) mem[p] = 1;
    const readings = c.stop();
    if (PORTABLE) expectNoPerfEventOpen(readings[0]);
    else expect(readings[0]?.value).toBeGreaterThan(0);
    expect(readings[1]?.value).toBeGreaterThan(0);
    c.close();
  });
});
