/**
 * Example: a node:http service that reads request bodies into
 * SharedBufferPool blocks, has a worker thread process them in place (it
 * receives the block's index, not a copy), and serves pool metrics for
 * Prometheus at /metrics.
 *
 *   POST /upper   body (at most blockSize bytes) -> the body in upper case (ASCII),
 *                 header x-checksum: FNV-1a 32-bit of the original body, in hex
 *   GET /metrics  Prometheus text format
 *
 * Run: npx tsx examples/http-server.ts [port]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { PoolscopeError, registerMetrics, SharedBufferPool, SyncPool } from '../lib/index.js';
import { spawnWorker } from '../lib/internal/worker-entry.js';

export interface StartOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Largest body accepted, in bytes. @default 65536 */
  blockSize?: number;
  /** Bodies in flight at once. @default 64 */
  blocks?: number;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The worker's reply: the block (its ownership comes back with it) and what it computed. */
interface Done {
  job: number;
  index: number;
  checksum: string;
}

/** Per-request state, pooled (a SyncPool shows up in /metrics next to the buffer pool). */
interface Job {
  id: number;
  block: Buffer | undefined;
  length: number;
  res: ServerResponse | undefined;
}

export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const pool = new SharedBufferPool({ blockSize: options.blockSize ?? 65536, blocks: options.blocks ?? 64 });
  const jobs = new SyncPool<Job>({
    create: () => ({ id: 0, block: undefined, length: 0, res: undefined }),
    reset: (j) => {
      j.block = undefined;
      j.res = undefined;
    },
  });
  const registry = new Registry();
  registerMetrics(registry, { pools: { bodies: pool, jobs } });

  const worker = spawnWorker(import.meta.url, './http-server-worker', { workerData: { handle: pool.handle } });
  const inFlight = new Map<number, Job>();
  let nextJob = 1;
  worker.on('message', (done: Done) => {
    const job = inFlight.get(done.job);
    if (job === undefined || job.res === undefined) return;
    inFlight.delete(done.job);
    const block = pool.fromIndex(done.index); // ownership is back with this thread
    const res = job.res;
    res.writeHead(200, { 'content-type': 'text/plain', 'x-checksum': done.checksum });
    // release only once the socket has taken the bytes: until then they are still read from the block
    res.end(block.subarray(0, job.length), () => {
      pool.release(block);
      jobs.put(job);
    });
  });
  worker.on('error', (err) => {
    // the blocks in flight are lost with the worker; fail their requests rather than hang them
    for (const job of inFlight.values()) job.res?.writeHead(500).end(`worker failed: ${err.message}\n`);
    inFlight.clear();
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });

  const readBody = (req: IncomingMessage, res: ServerResponse): void => {
    const block = pool.tryAcquire();
    if (block === undefined) {
      res.writeHead(503, { 'retry-after': '1' }).end('busy: every body buffer is in use\n');
      req.resume();
      return;
    }
    let length = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      if (length + chunk.length > block.length) {
        tooLarge = true;
        return;
      }
      chunk.copy(block, length);
      length += chunk.length;
    });
    req.on('error', () => pool.release(block));
    req.on('end', () => {
      if (tooLarge) {
        pool.release(block);
        res.writeHead(413).end(`body larger than ${block.length} bytes\n`);
        return;
      }
      const job = jobs.get();
      job.id = nextJob++;
      job.length = length;
      job.res = res;
      inFlight.set(job.id, job);
      worker.postMessage({ job: job.id, index: pool.indexOf(block), length }); // the block moves as a number
    });
  };

  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/upper') return readBody(req, res);
    if (req.method === 'GET' && req.url === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(`${String(err)}\n`),
      );
      return;
    }
    res.writeHead(404).end('POST /upper or GET /metrics\n');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await worker.terminate();
      pool.close();
    },
  };
}

// Run directly: npx tsx examples/http-server.ts [port]
if (import.meta.url === `file://${process.argv[1]}`) {
  start({ port: Number(process.argv[2] ?? 8080) }).then(
    (s) => console.log(`listening on ${s.url} (POST /upper, GET /metrics)`),
    (err: unknown) => {
      console.error(err instanceof PoolscopeError ? `${err.code}: ${err.message}` : err);
      process.exitCode = 1;
    },
  );
}
