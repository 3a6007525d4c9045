/**
 * The worker threads of a run: spawned once (a spawn costs ~25 ms here) and
 * reused across warm-up, repeats and every benchmark of a suite. Each sample
 * gets a fresh native run group (start barrier + stop flag); the team sends
 * one job per participating worker and collects the replies.
 *
 * Failure rules: the first worker that fails (throws, dies, exits) stops the
 * group, so the others leave their barrier or loop within one chunk; the
 * sample then rejects with a RunError carrying that worker's message and
 * stack. Past the deadline the group is stopped the same way and the sample
 * rejects with ERR_TIME_LIMIT. An abort (Ctrl-C) stops the group and resolves
 * with `interrupted`. Nothing waits forever: after a stop, workers that have
 * not replied within the grace period are given up on (the caller then
 * terminates the team).
 */
import type { Worker } from 'node:worker_threads';
import type { CounterReading } from '../counters/index.js';
import { RunError } from '../errors.js';
import { spawnWorker } from '../internal/worker-entry.js';
import type { EventInfo } from '../results/schema.js';
import type { FromWorker, ToWorker } from './messages.js';
import { harnessAddon, type NativeJob, type NativeSampleResult } from './native.js';

export interface WorkerReply {
  result: NativeSampleResult;
  counters: Record<string, CounterReading>;
}

export interface SampleOutcome {
  /** One reply per job, in job order; absent for workers that did not reply (interrupted). */
  replies: Array<WorkerReply | undefined>;
  interrupted: boolean;
}

export interface SampleControl {
  /** Epoch ms after which the sample is stopped and fails with ERR_TIME_LIMIT. */
  deadline: number;
  /** The run's time limit, for the message. */
  timeLimitMs: number;
  /** Stops the sample and resolves it as interrupted. */
  signal?: AbortSignal | undefined;
  /** producer-consumer channels in the group. */
  channels: number;
}

/** How long workers get to reply after a stop before they are given up on. */
const STOP_GRACE_MS = 5_000;

interface Pending {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/** A worker's failure, as the main thread learned it. */
export class WorkerFailure extends Error {
  override name = 'WorkerFailure';
  constructor(
    readonly index: number,
    message: string,
    workerStack: string,
    readonly code?: string,
  ) {
    super(message);
    this.stack = workerStack;
  }
}

export class WorkerTeam {
  readonly events: EventInfo[];
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly exited = new Set<number>();
  private readonly failures = new Map<number, WorkerFailure>();

  private constructor(workers: Worker[], events: EventInfo[]) {
    this.workers = workers;
    this.events = events;
  }

  /**
   * Spawns `size` workers, each opening `events` for its own thread; rejects with ERR_TIME_LIMIT when
   * they are not all ready within `timeoutMs` (the run's remaining time; `timeLimitMs` names the run's
   * limit in the message).
   */
  static async start(
    size: number,
    events: readonly string[],
    timeoutMs = 60_000,
    timeLimitMs?: number,
  ): Promise<WorkerTeam> {
    const workers: Worker[] = [];
    for (let i = 0; i < size; i++) workers.push(spawnWorker(import.meta.url, './worker'));
    // Listeners of the start-up phase, removed one by one afterwards: Worker
    // keeps its own 'newListener'/'removeListener' hooks (they ref the message
    // port), so removeAllListeners() would silence the worker.
    const cleanups: Array<() => void> = [];
    const ready = workers.map(
      (w, index) =>
        new Promise<EventInfo[]>((resolve, reject) => {
          const onMessage = (msg: FromWorker) => {
            if (msg.type === 'ready') resolve(msg.events);
            else if (msg.type === 'error') reject(new WorkerFailure(index, msg.message, msg.stack, msg.code));
          };
          const onExit = (code: number) => reject(new Error(`worker ${index} exited with code ${code} while starting`));
          w.on('message', onMessage);
          w.on('error', reject);
          w.on('exit', onExit);
          cleanups.push(() => {
            w.off('message', onMessage);
            w.off('error', reject);
            w.off('exit', onExit);
          });
          w.postMessage({ type: 'init', index, events: [...events] } satisfies ToWorker);
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RunError(
              'ERR_TIME_LIMIT',
              timeLimitMs === undefined
                ? `workers did not start within ${timeoutMs} ms`
                : `run stopped: its workers did not start within its time limit of ${timeLimitMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const all = await Promise.race([Promise.all(ready), timeout]);
      const team = new WorkerTeam(workers, all[0] ?? events.map((name) => ({ name, state: 'error' })));
      team.listen();
      return team;
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      if (err instanceof RunError) throw err;
      throw new RunError('ERR_WORKER_FAILED', `a worker failed to start: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Workers whose thread has not exited. */
  get alive(): number {
    return this.workers.length - this.exited.size;
  }

  private listen(): void {
    this.workers.forEach((w, index) => {
      w.on('message', (msg: FromWorker) => {
        const p = this.pending.get(index);
        if (msg.type === 'result') {
          this.pending.delete(index);
          p?.resolve({ result: msg.result, counters: msg.counters });
        } else if (msg.type === 'error') {
          this.fail(index, new WorkerFailure(index, msg.message, msg.stack, msg.code));
        }
      });
      w.on('error', (err) => {
        this.fail(index, new WorkerFailure(index, err.message, err.stack ?? err.message));
      });
      w.on('exit', (code) => {
        this.exited.add(index);
        this.fail(index, new WorkerFailure(index, `worker exited with code ${code}`, `worker ${index} exited`));
      });
    });
  }

  private fail(index: number, failure: WorkerFailure): void {
    if (!this.failures.has(index)) this.failures.set(index, failure);
    const p = this.pending.get(index);
    this.pending.delete(index);
    p?.reject(this.failures.get(index) ?? failure);
  }

  private request(index: number, job: NativeJob, type: 'sample' | 'reference' = 'sample'): Promise<WorkerReply> {
    const failed = this.failures.get(index);
    if (failed) return Promise.reject(failed);
    const worker = this.workers[index];
    if (!worker) return Promise.reject(new Error(`no worker ${index}`));
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(index, { resolve, reject });
      worker.postMessage({ type, job } satisfies ToWorker);
    });
  }

  /**
   * The fidelity reference on worker `index`'s own thread: the loop as one
   * in-process call (harnessRunInProcess), with no barrier and no chunks.
   * It must be bounded by ops (it cannot be stopped).
   */
  async runReference(index: number, job: Omit<NativeJob, 'group' | 'worker'>): Promise<WorkerReply> {
    try {
      return await this.request(index, { ...job, group: 0, worker: index }, 'reference');
    } catch (err) {
      const f = err as Error;
      throw new RunError('ERR_WORKER_FAILED', `worker ${index} failed: ${f.message}`, { cause: f });
    }
  }

  /** Test hook: makes worker `index` throw an uncaught exception. */
  injectThrow(index: number, message: string): void {
    this.workers[index]?.postMessage({ type: 'throw', message } satisfies ToWorker);
  }

  /**
   * Runs one sample: job i on worker i, all starting together. Rejects with
   * RunError when a worker fails or the deadline passes; resolves with
   * `interrupted` when the signal aborts.
   */
  async runSample(jobs: Omit<NativeJob, 'group' | 'worker'>[], control: SampleControl): Promise<SampleOutcome> {
    if (jobs.length > this.workers.length) {
      throw new RangeError(
        `threads must be at most the team's ${this.workers.length} workers (received ${jobs.length})`,
      );
    }
    const addon = harnessAddon();
    const group = addon.harnessGroupCreate(jobs.length, control.channels);
    const replies: Array<WorkerReply | undefined> = new Array(jobs.length).fill(undefined);
    let firstFailure: WorkerFailure | Error | undefined;
    let timedOut = false;
    let interrupted = false;
    let stopped = false;
    const stop = () => {
      if (!stopped) addon.harnessGroupStop(group);
      stopped = true;
    };
    const timers: NodeJS.Timeout[] = [];
    // Arms the wait for stragglers after a stop; set once the wait exists.
    let armGrace = () => {};
    const onAbort = () => {
      interrupted = true;
      stop();
      armGrace();
    };
    try {
      if (control.signal?.aborted) return { replies, interrupted: true };
      control.signal?.addEventListener('abort', onAbort, { once: true });
      const settled = jobs.map((job, worker) =>
        this.request(worker, { ...job, group, worker }).then(
          (r) => {
            replies[worker] = r;
          },
          (err: Error) => {
            firstFailure ??= err;
            stop();
          },
        ),
      );
      const all = Promise.all(settled);
      const giveUp = new Promise<'gave-up'>((resolve) => {
        armGrace = () => {
          timers.push(setTimeout(() => resolve('gave-up'), STOP_GRACE_MS));
        };
        timers.push(
          setTimeout(
            () => {
              timedOut = true;
              stop();
              armGrace();
            },
            Math.max(0, control.deadline - Date.now()),
          ),
        );
        // A failure also arms the grace period (the others should come back within a chunk).
        for (const s of settled) void s.then(() => (firstFailure ? armGrace() : undefined));
      });
      await Promise.race([all, giveUp]);
    } finally {
      for (const t of timers) clearTimeout(t);
      control.signal?.removeEventListener('abort', onAbort);
      addon.harnessGroupDestroy(group);
    }
    if (firstFailure) {
      const f = firstFailure;
      const who = f instanceof WorkerFailure ? `worker ${f.index} of ${jobs.length}` : 'a worker';
      const err = new RunError('ERR_WORKER_FAILED', `${who} failed: ${f.message}`, { cause: f });
      err.stack = `${err.name}: ${err.message}\n  worker stack:\n${f.stack ?? ''}`;
      throw err;
    }
    if (timedOut) {
      throw new RunError('ERR_TIME_LIMIT', `run stopped: it went past its time limit of ${control.timeLimitMs} ms`);
    }
    return { replies, interrupted };
  }

  /** Stops every worker; resolves when all have exited (or after `timeoutMs`). */
  async terminate(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.workers.map((w) => w.terminate())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
