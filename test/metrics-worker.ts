// Worker for the metrics test: a SyncPool whose statistics live in a buffer the main thread reads.
import { parentPort, workerData } from 'node:worker_threads';
import { SyncPool } from '../lib/sync-pool.js';

const { sharedStats, gets } = workerData as { sharedStats: SharedArrayBuffer; gets: number };
const pool = new SyncPool({ create: () => ({ n: 0 }), sharedStats });
for (let i = 0; i < gets; i++) pool.put(pool.get());
parentPort?.postMessage('done');
