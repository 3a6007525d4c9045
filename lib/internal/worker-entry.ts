/**
 * Starting worker threads (and child processes) whose entry module is a
 * sibling of the caller, both from TypeScript sources (tests, `tsx`) and from
 * compiled `dist/` JavaScript. From sources the worker gets tsx's loader so
 * it can load `.ts` modules.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Spawns a worker running `relativePath` (without extension) resolved against
 * `baseUrl` (the caller's `import.meta.url`): the `.js` file when it exists
 * (compiled), else the `.ts` file through tsx's loader, registered inside the
 * worker (Node 20 does not carry the parent's loader hooks into workers).
 */
export function spawnWorker(baseUrl: string, relativePath: string, options: WorkerOptions = {}): Worker {
  const js = new URL(`${relativePath}.js`, baseUrl);
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL(`${relativePath}.ts`, baseUrl).href;
  const tsxApi = tsxEsmApiPath(baseUrl);
  const bootstrap = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Forks a Node process running `relativePath` (without extension) resolved
 * against `baseUrl`, with an IPC channel: the `.js` file when it exists
 * (compiled), else the `.ts` file under tsx's loader (`--import tsx`).
 * Standard input is closed, standard output ignored (the parent may be
 * writing a document there), standard error shared.
 */
export function forkProcess(baseUrl: string, relativePath: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const stdio: ['ignore', 'ignore', 'inherit', 'ipc'] = ['ignore', 'ignore', 'inherit', 'ipc'];
  const js = new URL(`${relativePath}.js`, baseUrl);
  if (existsSync(fileURLToPath(js))) return fork(fileURLToPath(js), [], { stdio, env, execArgv: [] });
  const ts = fileURLToPath(new URL(`${relativePath}.ts`, baseUrl));
  const loader = pathToFileURL(createRequire(baseUrl).resolve('tsx')).href;
  return fork(ts, [], { stdio, env, execArgv: ['--import', loader] });
}

/** The ESM entry of tsx's `tsx/esm/api` (from its package.json `exports`), a dev dependency. */
function tsxEsmApiPath(baseUrl: string): string {
  const pkgJson = createRequire(baseUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (entry === undefined) throw new Error('tsx has no ./esm/api export; cannot run TypeScript workers');
  return join(dirname(pkgJson), entry);
}
