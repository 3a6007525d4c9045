// Main-thread side of test/pool-worker.ts: spawn, send one request, await its reply.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../lib/internal/worker-entry.js';

export interface Reply {
  ok: boolean;
  result?: unknown;
  name?: string;
  code?: string;
  message?: string;
}

export function startPoolWorker(): Worker {
  return spawnWorker(import.meta.url, './pool-worker');
}

export async function ask(worker: Worker, msg: object): Promise<Reply> {
  const reply = once(worker, 'message') as Promise<[Reply]>;
  worker.postMessage(msg);
  const [r] = await reply;
  return r;
}

/** Like ask, but throws when the worker reported an error. */
export async function call<T>(worker: Worker, msg: object): Promise<T> {
  const r = await ask(worker, msg);
  if (!r.ok) throw new Error(`worker: ${r.name} ${r.code ?? ''} ${r.message}`);
  return r.result as T;
}
