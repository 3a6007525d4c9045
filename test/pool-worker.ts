// Worker side of the pool tests: answers one request at a time on a NativePool attached by id.
import { parentPort } from 'node:worker_threads';
import { NativePool } from '../lib/pool.js';

let pool: NativePool | undefined;

type Request =
  | { cmd: 'attach'; id: number }
  | { cmd: 'runLoop'; options: Parameters<NativePool['runLoop']>[0] }
  | { cmd: 'get' }
  | { cmd: 'put'; block: bigint }
  | { cmd: 'stats' };

function handle(msg: Request): unknown {
  if (msg.cmd === 'attach') {
    pool = NativePool.attach(msg.id);
    return pool.info;
  }
  if (pool === undefined) throw new Error('attach first');
  switch (msg.cmd) {
    case 'runLoop':
      return pool.runLoop(msg.options);
    case 'get':
      return pool.get();
    case 'put':
      pool.put(msg.block);
      return null;
    case 'stats':
      return pool.stats();
  }
}

parentPort?.on('message', (msg: Request) => {
  try {
    parentPort?.postMessage({ ok: true, result: handle(msg) });
  } catch (err) {
    const e = err as Error & { code?: string };
    parentPort?.postMessage({ ok: false, name: e.name, code: e.code, message: e.message });
  }
});
