/**
 * Every metric registerMetrics exposes passes Prometheus's own linter,
 * `promtool check metrics` (Debian's `prometheus` package), in every
 * configuration: pools (SyncPool, SharedBufferPool, SyncPools in workers),
 * counters, all together; prom-client's default registry, a registry of our
 * own and an OpenMetrics registry. Skipped with one line where promtool is
 * not installed; under POOLSCOPE_REQUIRE_PEERS=1 (CI) a missing promtool fails.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { register as defaultRegistry, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../examples/http-server.js';
import { Counters } from '../lib/counters/index.js';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { type RegisterMetricsOptions, registerMetrics } from '../lib/prometheus.js';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { SyncPool } from '../lib/sync-pool.js';
import { aptInstall, optionalPeer } from './fixtures/optional-peers.js';
import { parseExposition } from './metrics-text.js';

const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const havePromtool = optionalPeer('promtool', probe.status === 0, aptInstall('prometheus'));

const OpenMetricsRegistry = Registry as unknown as new (contentType: string) => Registry;

function promtool(text: string): { code: number | null; out: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * promtool 2.42 parses the Prometheus text format only. In OpenMetrics a
 * counter family is named without `_total` on its HELP/TYPE lines and its
 * samples carry `_total`; the text format names the family as its samples.
 * This renames exactly those HELP/TYPE lines (after checking the OpenMetrics
 * shape: `# EOF` last, each counter's samples are `<family>_total`, never
 * `_total_total`), so promtool lints the names, help and types themselves.
 */
function openMetricsAsText(text: string): string {
  const lines = text.split('\n');
  expect(lines.at(-2)).toBe('# EOF');
  const counters = new Set(
    lines.flatMap((l) => {
      const m = /^# TYPE (\S+) counter$/.exec(l);
      return m ? [m[1] as string] : [];
    }),
  );
  for (const family of counters) {
    expect(family).not.toMatch(/_total$/);
    const samples = lines.filter((l) => l.startsWith(family) && !l.startsWith('#'));
    for (const s of samples) expect(s).toMatch(new RegExp(`^${family}_total[{ ]`));
  }
  return lines
    .filter((l) => l !== '# EOF')
    .map((l) => {
      const m = /^# (HELP|TYPE) (\S+)( .*)$/.exec(l);
      return m && counters.has(m[2] as string) ? `# ${m[1]} ${m[2]}_total${m[3]}` : l;
    })
    .join('\n');
}

describe.skipIf(!havePromtool)('promtool check metrics on every configuration', () => {
  let sync: SyncPool<object>;
  let buffers: SharedBufferPool;
  let counters: Counters;
  const workerStats = [SyncPool.createSharedStats(), SyncPool.createSharedStats()];

  beforeAll(async () => {
    sync = new SyncPool({ create: () => ({}), maxSize: 2 });
    for (let i = 0; i < 5; i++) sync.put(sync.get());
    sync.put({});
    sync.put({});
    sync.put({}); // dropped
    sync.clear();
    buffers = new SharedBufferPool({ blockSize: 512, blocks: 16 });
    buffers.release(buffers.acquire());
    buffers.acquire();
    // tsc counts on every platform layer, so the portable one (no perf_event_open) still exposes a sample
    counters = Counters.open([
      'task-clock',
      'cpu-clock',
      'page-faults',
      'context-switches',
      'cycles',
      'instructions',
      'tsc',
    ]);
    counters.start();
    const workers = workerStats.map((sharedStats, k) =>
      spawnWorker(import.meta.url, './metrics-worker', { workerData: { sharedStats, gets: 10 * (k + 1) } }),
    );
    await Promise.all(workers.map((w) => once(w, 'message')));
    await Promise.all(workers.map((w) => w.terminate()));
  });

  afterAll(() => {
    counters.stop();
    counters.close();
    buffers.close();
  });

  const configurations: [string, () => RegisterMetricsOptions][] = [
    ['a SyncPool', () => ({ pools: { objects: sync } })],
    ['a SharedBufferPool', () => ({ pools: { bodies: buffers } })],
    ['SyncPools in workers', () => ({ pools: { perWorker: workerStats } })],
    ['counters', () => ({ counters: { loop: counters } })],
    [
      'everything, with a prefix',
      () => ({
        prefix: 'svc_',
        pools: { objects: sync, bodies: buffers, perWorker: workerStats },
        counters: { loop: counters },
      }),
    ],
  ];

  const registries: [string, () => Registry, boolean][] = [
    ["prom-client's default registry", () => defaultRegistry, false],
    ['a Registry', () => new Registry(), false],
    // prom-client's types declare no constructor argument; its Registry takes the content type
    ['an OpenMetrics Registry', () => new OpenMetricsRegistry(Registry.OPENMETRICS_CONTENT_TYPE), true],
  ];

  for (const [registryName, makeRegistry, openMetrics] of registries) {
    it.each(configurations)(`${registryName}: %s`, async (_name, options) => {
      const registry = makeRegistry();
      const registered = registerMetrics(registry, options());
      try {
        for (let scrape = 0; scrape < 2; scrape++) {
          // twice: an OpenMetrics registry renames counters on the first scrape
          const text = await registry.metrics();
          const body = openMetrics ? openMetricsAsText(text) : text;
          const p = parseExposition(body);
          expect(p.samples.length).toBeGreaterThan(0);
          for (const s of p.samples) expect(s.name).not.toMatch(/_total_total|counter/);
          const r = promtool(body);
          expect(r.out, body).toBe('');
          expect(r.code).toBe(0);
        }
      } finally {
        registered.unregister();
      }
      expect(registry.getMetricsAsArray()).toEqual([]);
    });
  }

  it('a scrape of examples/http-server.ts', async () => {
    const server = await start({ port: 0, blockSize: 1024, blocks: 8 });
    try {
      const r = await fetch(`${server.url}/upper`, { method: 'POST', body: 'hello' });
      expect(await r.text()).toBe('HELLO');
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toMatch(/poolscope_buffer_pool_acquires_total\{pool="bodies"\} 1/);
      const lint = promtool(text);
      expect(lint.out, text).toBe('');
      expect(lint.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('promtool does flag what it is meant to (the check can fail)', () => {
    const bad = '# HELP x_counter_value a\n# TYPE x_counter_value gauge\nx_counter_value 1\n';
    const r = promtool(bad);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/should not include type 'counter'/);
  });
});
