/**
 * A harness worker: opens its counters once, then for each job runs one
 * sample in native code (barrier, timed loop) and posts the result. Errors
 * go back as messages with their stack; the main thread decides what fails.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './messages.js';
import { harnessAddon } from './native.js';
import { openWorkerCounters, type WorkerCounters } from './worker-counters.js';

const port = parentPort;
if (port === null) throw new Error('lib/harness/worker.ts must run in a worker thread');

let index = -1;
let counters: WorkerCounters | undefined;

function post(msg: FromWorker): void {
  port?.postMessage(msg);
}

function postError(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  post({
    type: 'error',
    index,
    name: e.name,
    message: e.message,
    stack: e.stack ?? `${e.name}: ${e.message}`,
    ...(typeof code === 'string' ? { code } : {}),
  });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      index = msg.index;
      counters = openWorkerCounters(msg.events);
      post({ type: 'ready', index, events: counters.events });
      return;
    }
    case 'sample': {
      const c = counters;
      const result = harnessAddon().harnessRunSample(msg.job, c?.nativeHandle);
      post({ type: 'result', index, result, counters: c ? c.readInterval() : {} });
      return;
    }
    case 'reference': {
      const c = counters;
      c?.start();
      const result = harnessAddon().harnessRunInProcess(msg.job);
      post({ type: 'result', index, result, counters: c ? c.readInterval() : {} });
      return;
    }
    case 'throw':
      // An uncaught exception outside any handler: the worker dies with it
      // (what a bug in a worker looks like to the main thread).
      setImmediate(() => {
        throw new Error(msg.message);
      });
      return;
  }
}

port.on('message', (msg: ToWorker) => {
  handle(msg).catch(postError);
});
