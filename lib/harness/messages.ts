/**
 * The messages between the harness's main thread and its workers
 * (lib/harness/worker.ts). One worker handles one message at a time.
 */
import type { CounterReading } from '../counters/index.js';
import type { EventInfo } from '../results/schema.js';
import type { NativeJob, NativeSampleResult } from './native.js';

export type ToWorker =
  | { type: 'init'; index: number; events: string[] }
  | { type: 'sample'; job: NativeJob }
  /** The fidelity reference, run on the worker's own thread: one AnyPool::run call, no barrier, no chunks. */
  | { type: 'reference'; job: NativeJob }
  | { type: 'throw'; message: string };

export type FromWorker =
  | { type: 'ready'; index: number; events: EventInfo[] }
  | {
      type: 'result';
      index: number;
      result: NativeSampleResult;
      /** The worker's Counters.stop() readings for the sample, by event name. */
      counters: Record<string, CounterReading>;
    }
  | { type: 'error'; index: number; name: string; message: string; stack: string; code?: string };
