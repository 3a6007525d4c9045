// Atomics.waitAsync, typed: Node has it (V8), TypeScript types it only in its es2024 lib and this
// project compiles against es2022. Used by bench/handoff.ts's SharedArrayBuffer ring.
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<string> };
const waitAsyncFn = (
  Atomics as unknown as { waitAsync: (a: Int32Array, index: number, value: number, ms: number) => WaitAsyncResult }
).waitAsync;

/** Resolves once `a[index]` is no longer `value` (or after `ms`), without blocking the event loop. */
export async function waitWhileEqual(a: Int32Array, index: number, value: number, ms = 1000): Promise<void> {
  const w = waitAsyncFn(a, index, value, ms);
  if (w.async) await w.value;
}
