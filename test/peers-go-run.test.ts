/**
 * Runs the real Go sync.Pool benchmarks briefly where a Go toolchain exists
 * (skipped with one line where it does not, or failing under
 * POOLSCOPE_REQUIRE_PEERS=1) and checks they parse into
 * results for the document.
 */
import { describe, expect, it } from 'vitest';
import { findGo, runGoBenchmarks } from '../lib/peers/go-run.js';
import { optionalPeer } from './fixtures/optional-peers.js';

const toolchain = await findGo();
// One skip line when Go is missing; a failure instead under POOLSCOPE_REQUIRE_PEERS=1.
const haveGo = optionalPeer('Go', toolchain.state === 'installed', 'apt-get install golang-go');

describe('Go sync.Pool benchmarks', () => {
  it.skipIf(!haveGo)(
    `run with go test and parse (${toolchain.state === 'installed' ? toolchain.version : toolchain.reason})`,
    async () => {
      const r = await runGoBenchmarks({
        toolchain,
        count: 1,
        benchTimeMs: 5,
        scenarios: ['get-put', 'producer-consumer'],
      });
      expect(r.state).toBe('ran');
      if (r.state !== 'ran') return;
      expect(r.output).toMatch(/^BenchmarkGetPut\/objectSize=64\s/m);
      const names = r.results.map((b) => `${b.name}-${b.params.threads}`).sort();
      expect(names).toEqual([
        'GetPut/pool=go-sync-1',
        'GetPut/pool=go-sync/objectSize=4096-1',
        'GetPut/pool=go-sync/objectSize=65536-1',
        'ProducerConsumer/pool=go-sync-2',
        'ProducerConsumer/pool=go-sync/objectSize=4096-2',
        'ProducerConsumer/pool=go-sync/objectSize=65536-2',
      ]);
      for (const b of r.results) {
        expect(b.samples[0]?.nsPerOp).toBeGreaterThan(0);
        expect(b.source).toBe('go test');
      }
    },
    120_000,
  );

  it.skipIf(!haveGo)(
    'passes batch K and clear interval M to the Go benchmarks',
    async () => {
      const r = await runGoBenchmarks({
        toolchain,
        count: 1,
        benchTimeMs: 5,
        scenarios: ['batch', 'gc-churn'],
        batch: 8,
        clearEvery: 512,
      });
      if (r.state !== 'ran') throw new Error('go did not run');
      const names = r.results.map((b) => b.name);
      expect(names).toContain('Batch/pool=go-sync/batch=8');
      expect(names).toContain('GcChurn/pool=go-sync/victim=true/clearEvery=512/objectSize=4096');
      const churn = r.results.find((b) => b.params.scenario === 'gc-churn');
      expect(churn?.samples.every((x) => (x.metrics?.['victim-hit-%'] ?? -1) >= 0)).toBe(true);
    },
    120_000,
  );

  it.skipIf(haveGo)('reports not installed with the package to install', async () => {
    const r = await runGoBenchmarks();
    expect(r.state).toBe('not-installed');
    if (r.state === 'not-installed') expect(r.reason).toContain('golang-go');
  });

  it('a toolchain that is not there is reported, not run', async () => {
    const r = await runGoBenchmarks({ toolchain: { state: 'not-installed', reason: 'not installed: test' } });
    expect(r).toEqual({ state: 'not-installed', reason: 'not installed: test' });
  });
});
