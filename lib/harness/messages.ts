/**
 * The messages between the harness's main thread and its workers
 * (lib/harness/worker.ts). One worker handles one message at a time.
 */
import type { EventInfo } from '../results/schema.js';
import type { NativeJob, NativeSampleResult } from './native.js';

/** A counter reading as the worker reports it (per worker, one sample). */
export interface WorkerCounterValue {
  value: number;
  scaled: number;
  runningPct: number;
  state: EventInfo['state'];
  reason?: string;
}

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
      counters: Record<string, WorkerCounterValue>;
    }
  | { type: 'error'; index: number; name: string; message: string; stack: string; code?: string };
