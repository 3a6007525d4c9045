/**
 * Example: SharedBufferPool inside piscina, the worker pool Node services
 * use. The main thread acquires a block, writes a request body into it, and
 * runs a piscina task with the block's index (a number: nothing is copied or
 * transferred). The task, on a piscina worker thread, claims the block with
 * `fromIndex`, upper-cases the body in place, checksums it and releases the
 * block there.
 *
 * Run: npx tsx examples/piscina-zero-copy.ts [requests]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { SharedBufferPool } from '../lib/index.js';
import type { UpperResult, UpperTask } from './piscina-zero-copy-task.js';

export interface ZeroCopyOptions {
  /** Largest body, in bytes. @default 65536 */
  blockSize?: number;
  /** Bodies in flight at once. @default 64 */
  blocks?: number;
  /** piscina worker threads. @default 2 */
  threads?: number;
}

export interface ZeroCopyService {
  /** Upper-cases `body` on a piscina worker, in a pool block; resolves with the task's result. */
  upper(body: string | Uint8Array): Promise<UpperResult>;
  pool: SharedBufferPool;
  piscina: Piscina<UpperTask, UpperResult>;
  /** Stops the piscina workers (each gives its cached blocks back as it exits), then closes the pool. */
  close(): Promise<void>;
}

/** The task module: compiled `.js` next to this file when there is one, else the `.ts` source through tsx. */
function taskFile(): { filename: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./piscina-zero-copy-task.js', import.meta.url));
  if (existsSync(js)) return { filename: js, execArgv: [] };
  return {
    filename: fileURLToPath(new URL('./piscina-zero-copy-task.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

export function startZeroCopy(options: ZeroCopyOptions = {}): ZeroCopyService {
  const pool = new SharedBufferPool({ blockSize: options.blockSize ?? 65536, blocks: options.blocks ?? 64 });
  const threads = options.threads ?? 2;
  const { filename, execArgv } = taskFile();
  const piscina = new Piscina<UpperTask, UpperResult>({
    filename,
    execArgv,
    minThreads: threads,
    maxThreads: threads,
    workerData: { handle: pool.handle }, // each worker attaches to the pool with it
  });
  return {
    pool,
    piscina,
    async upper(body) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const block = pool.acquire(); // throws ERR_POOL_EXHAUSTED when `blocks` bodies are in flight
      if (bytes.length > block.length) {
        pool.release(block);
        throw new RangeError(`body must be at most ${block.length} bytes (received ${bytes.length})`);
      }
      block.set(bytes);
      // From here the block is the task's: hand it on by index, and do not touch it again.
      return piscina.run({ index: pool.indexOf(block), length: bytes.length });
    },
    async close() {
      await piscina.destroy();
      pool.close();
    },
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const requests = Number(process.argv[2] ?? 1000);
  const service = startZeroCopy();
  const body = 'hello from the main thread, processed in place by a piscina worker. '.repeat(100);
  const started = process.hrtime.bigint();
  // 32 in flight: well under the 64 blocks, since each worker may keep a few freed blocks in its cache
  const results: UpperResult[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < requests) {
      next++;
      results.push(await service.upper(body));
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const s = service.pool.stats();
  console.log(
    `${requests} bodies of ${Buffer.byteLength(body)} B in ${ms.toFixed(0)} ms; checksum ${results[0]?.checksum}; ` +
      `${s.acquires} acquires, ${s.releases} releases, ${s.inUse} blocks in use`,
  );
  await service.close();
}
