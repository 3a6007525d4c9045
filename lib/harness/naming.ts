/**
 * Benchmark names and parameters in the results document's conventions:
 * `GetPut/pool=sync/layout=pad128/publish=xadd` (CamelCase scenario, then
 * `/key=value` for the parameters the scenario varies; no `Benchmark` prefix
 * and no `-N` thread suffix: the Go-text writer adds those).
 */
import type { BenchmarkParams } from '../results/schema.js';
import type { ResolvedSpec } from './options.js';
import { SCENARIO_INFO } from './scenarios.js';

/** Layout and publish only mean something for the sync pool. */
function applies(spec: ResolvedSpec, key: string): boolean {
  if (key === 'layout' || key === 'publish') return spec.pool === 'sync';
  return true;
}

export function benchmarkParams(spec: ResolvedSpec): BenchmarkParams {
  const info = SCENARIO_INFO[spec.scenario];
  const params: BenchmarkParams = {
    scenario: spec.scenario,
    pool: spec.pool,
    threads: spec.threads,
    objectSize: spec.objectSize,
  };
  if (spec.pool === 'sync') {
    params.layout = spec.layout;
    params.publish = spec.publish;
  }
  if (info.nameKeys.includes('batch')) params.batch = spec.batch;
  if (spec.scenario === 'gc-churn') {
    params.clearEvery = spec.clearEvery;
    params.victim = spec.victim;
  }
  return params;
}

export function benchmarkName(spec: ResolvedSpec): string {
  const info = SCENARIO_INFO[spec.scenario];
  const params = benchmarkParams(spec);
  const parts = [info.camel];
  for (const key of info.nameKeys) {
    const value = params[key];
    if (value !== undefined && applies(spec, key)) parts.push(`${key}=${String(value)}`);
  }
  if (spec.objectSize !== 64) parts.push(`objectSize=${spec.objectSize}`);
  return parts.join('/');
}
