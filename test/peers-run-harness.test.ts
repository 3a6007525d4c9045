/**
 * The peers run measures poolscope's reference and the allocators through
 * the harness (runSuite, round-robin), not a loop of its own: the harness's
 * names and parameters, every sample's gets accounted for, and Node's
 * rounds taken between the harness's.
 */
import { describe, expect, it } from 'vitest';
import { runPeers } from '../lib/peers/run.js';

describe('runPeers through the harness', async () => {
  const parts: string[] = [];
  const run = await runPeers({
    go: false,
    repeats: 2,
    sampleMs: 2,
    objectSizes: [64],
    batch: 8,
    clearEvery: 512,
    allocatorPools: ['malloc'],
    onPart: (part, r) => parts.push(`${part}:${r}`),
  });
  const byName = new Map(run.benchmarks.map((b) => [b.name, b]));

  it("runs poolscope's reference and glibc's alloc under the harness's names", () => {
    for (const name of [
      'GetPut/pool=sync/layout=pad128/publish=xadd',
      'GetPut/pool=sync/layout=packed/publish=xadd',
      'Batch/pool=sync/layout=pad128/publish=cas/batch=8',
      'Batch/pool=sync/layout=pad128/publish=xchg/batch=8',
      'GcChurn/pool=sync/victim=true/clearEvery=512/batch=1',
      'ProducerConsumer/pool=sync/layout=pad128/publish=xadd',
      'Alloc/pool=malloc/batch=1',
      'Alloc/pool=malloc/batch=8',
      'GetPut/pool=node-free-list',
    ]) {
      expect(byName.get(name)?.samples, name).toHaveLength(2);
    }
    expect(byName.get('ProducerConsumer/pool=sync/layout=pad128/publish=xadd')?.params.threads).toBe(2);
  });

  it('gc-churn: every get of every sample is accounted for by a source', () => {
    const gc = byName.get('GcChurn/pool=sync/victim=true/clearEvery=512/batch=1');
    expect(gc?.params).toMatchObject({ victim: true, clearEvery: 512, threads: 1 });
    for (const s of gc?.samples ?? []) {
      const src = s.sources;
      expect(src && src.private + src.shared + src.steal + src.victim + src.new).toBe(s.ops);
    }
  });

  it("takes Node's samples between the harness's rounds", () => {
    expect(parts).toEqual(['harness:0', 'node:0', 'node:1']);
  });
});
