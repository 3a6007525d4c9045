/**
 * The harness's part of the addon (native/addon/harness.cpp): run groups
 * (start barrier, stop flag, producer-consumer channels) and one worker's
 * timed sample. Loaded through {@link nativeAddon} in each isolate.
 */
import { nativeAddon } from '../binding.js';
import type { NativePoolStats } from '../pool.js';
import type { ScenarioName } from './scenarios.js';

/** One worker's job for one sample. */
export interface NativeJob {
  /** Run group id (harnessGroupCreate); unused in-process. */
  group: number;
  /** Index within the group; producer-consumer pairs are (2i, 2i+1). */
  worker: number;
  scenario: ScenarioName;
  /** `sync`, `mutex`, …; for `alloc` the allocator (`malloc`, peers). */
  pool: string;
  /** The core's pool id, for the scenarios that run on a pool. */
  poolId?: number;
  /** Operations for this worker; 0 = bounded by durationNs. */
  ops: number;
  durationNs: number;
  objectSize: number;
  batch: number;
  clearEvery: number;
  victim: boolean;
  /** Pin this worker to the cpu-th CPU the process may use (-1 or absent: unpinned). */
  cpu?: number;
  /** Bytes the loop's stack frame moves down (a multiple of 16, 0–4080); absent: 0. */
  stackOffset?: number;
  /** Bytes of heap the worker takes before the sample, so the rings it allocates move (a multiple of 64, 0–4032). */
  dataOffset?: number;
  /** Which code copy of the loop runs (0–7); absent: 0. */
  codeCopy?: number;
}

/** What one worker measured in one sample. Times are relative to the common start (the barrier's release). */
export interface NativeSampleResult {
  ops: number;
  startOffsetNs: number;
  endOffsetNs: number;
  tscCycles: number;
  /** The run's stop flag cut the loop short. */
  stopped: boolean;
  /** The start barrier was cancelled: nothing ran. */
  cancelled: boolean;
  /** The pool scenarios: this worker's pool counters over the sample, the core's PoolStats names (native/addon/pool_stats_object.hpp). */
  stats?: NativePoolStats;
  /** producer-consumer: this worker's side of the handoff, counted in native code. */
  handoff?: { role: 'producer' | 'consumer'; produced: number; consumed: number; orderErrors: number };
  /** gc-churn: clear() calls this worker made. */
  clears?: number;
  /** The CPU the worker was pinned to (absent when not pinned). */
  cpu?: number;
}

export interface HarnessAddon {
  harnessGroupCreate(parties: number, channels: number): number;
  harnessGroupStop(group: number): boolean;
  harnessGroupDestroy(group: number): void;
  harnessGroupCount(): number;
  harnessRunSample(job: NativeJob, counters?: unknown): NativeSampleResult;
  harnessRunInProcess(job: NativeJob): NativeSampleResult;
  /** Live pools in the addon's one registry (the harness makes its pools with NativePool). */
  harnessPoolCount(): number;
  /** A benchmark's pool (destroy it with poolDestroy); `dataOffset` places a sync pool's per-thread records in a page. */
  harnessPoolCreate(options: {
    pool: string;
    layout: string;
    publish: string;
    objectSize: number;
    victim: boolean;
    dataOffset?: number;
  }): number;
  /** Pins the calling thread to the n-th CPU of the process's mask (-1: unpin); returns the CPU or -1. */
  harnessPinThread(n: number): number;
  /** The compiler the addon was built with, e.g. `g++ 12.2.0`. */
  harnessCompiler(): string;
}

export function harnessAddon(): HarnessAddon {
  return nativeAddon<HarnessAddon>();
}
