import { parentPort, workerData } from 'node:worker_threads';
import { nativeAddon } from '../lib/binding.js';

const addon = nativeAddon<{ napiVersion: number }>();
parentPort?.postMessage({ echo: workerData, napiVersion: addon.napiVersion });
