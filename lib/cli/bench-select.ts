/**
 * `bench --filter REGEX --threads 1,2,4`, after `go test -bench REGEX -cpu 1,2,4`:
 * `--threads` runs every benchmark of the suite at each of the thread counts
 * (producer-consumer only at the even ones: it runs in pairs), and `--filter`
 * keeps the benchmarks whose Go-style name (`BenchmarkGetPut/pool=sync/layout=pad128/publish=xadd`,
 * as bench.txt spells it, without the `-N` thread suffix) the regular
 * expression matches anywhere.
 */

import { benchmarkName } from '../harness/naming.js';
import { type BenchmarkSpec, limitedInteger, resolveSpec } from '../harness/options.js';
import { SCENARIO_INFO } from '../harness/scenarios.js';
import { flagNames } from './args.js';
import { UsageError } from './usage.js';

/** `--filter` as a RegExp; a bad pattern is a usage error. */
export function filterRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new UsageError(
      `--filter must be a regular expression (received ${JSON.stringify(pattern)}: ${(err as Error).message})`,
    );
  }
}

/** The Go-style name a filter is matched against. */
export function goStyleName(spec: BenchmarkSpec): string {
  return `Benchmark${benchmarkName(resolveSpec('spec', spec))}`;
}

/** The suite's specs at the given thread counts (when given), then those the filter matches (when given). */
export function selectSpecs(
  specs: readonly BenchmarkSpec[],
  selection: { filter?: RegExp; threads?: readonly number[] },
): BenchmarkSpec[] {
  let out: BenchmarkSpec[] = [...specs];
  const counts = selection.threads;
  if (counts !== undefined) {
    for (const t of counts) limitedInteger(flagNames, 'threads', t);
    const seen = new Set<string>();
    out = out.flatMap((s) =>
      counts.flatMap((threads) => {
        if (SCENARIO_INFO[s.scenario].threads === 'even' && threads % 2 !== 0) return [];
        const spec = { ...s, threads };
        const key = JSON.stringify(resolveSpec('spec', spec));
        if (seen.has(key)) return [];
        seen.add(key);
        return [spec];
      }),
    );
  }
  const filter = selection.filter;
  if (filter !== undefined) out = out.filter((s) => filter.test(goStyleName(s)));
  return out;
}
