/**
 * The `poolscope` bin works with jemalloc as launched. jemalloc is built with
 * initial-exec TLS, which glibc only grants a library `dlopen`ed after start
 * when the process started with `GLIBC_TUNABLES=glibc.rtld.optional_static_tls=…`
 * (docs/peers.md). The tunable is read once, at process start, so the bin
 * cannot set it for itself: when a command may load an allocator peer and the
 * tunable is missing, the bin runs itself again with it, as a child with the
 * same argv and execArgv and inherited stdio, and becomes a thin parent:
 *  - signals it receives (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2, SIGWINCH)
 *    are forwarded to the child;
 *  - the child's exit code is its exit code; a child killed by a signal kills
 *    the parent with the same signal.
 * The child runs in its own process group, so that Ctrl-C on a terminal
 * reaches it once (through the parent), not twice (a second SIGINT means
 * "stop now" to the run, see withInterrupt). `POOLSCOPE_REEXEC=0` turns this
 * off; the child is marked with `POOLSCOPE_REEXEC=child` and never re-executes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { STATIC_TLS_TUNABLE } from '../peers/allocators.js';
import { ALLOCATOR_PEERS } from '../pool.js';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGWINCH'];

/** The value of `--name X` or `--name=X` in `args`, if given. */
function flagValue(args: readonly string[], name: string): string | undefined {
  for (const [i, a] of args.entries()) {
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Whether these arguments (`process.argv.slice(2)`) run a command that may
 * load an allocator peer: `run --pool <peer>`, `bench` (its suite holds the
 * peers that load, unless `--no-peers`), `peers` (unless `--from`) and
 * `probe` (it reports whether each peer loads).
 */
export function mayLoadAllocatorPeer(args: readonly string[]): boolean {
  if (args.includes('--help') || args.includes('-h')) return false;
  const command = args.find((a) => !a.startsWith('-'));
  switch (command) {
    case 'run': {
      const pool = flagValue(args, '--pool');
      return pool !== undefined && (ALLOCATOR_PEERS as readonly string[]).includes(pool);
    }
    case 'bench':
      return !args.includes('--no-peers');
    case 'peers':
      return flagValue(args, '--from') === undefined;
    case 'probe':
      return true;
    default:
      return false;
  }
}

/** True when the environment already carries the static-TLS tunable. */
export function hasStaticTlsTunable(env: NodeJS.ProcessEnv): boolean {
  return (env.GLIBC_TUNABLES ?? '').split(':').some((t) => t.startsWith('glibc.rtld.optional_static_tls='));
}

/** `GLIBC_TUNABLES` with the static-TLS tunable added to whatever it held. */
export function withStaticTlsTunable(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const current = env.GLIBC_TUNABLES;
  const tunables = current === undefined || current === '' ? STATIC_TLS_TUNABLE : `${current}:${STATIC_TLS_TUNABLE}`;
  return { ...env, GLIBC_TUNABLES: tunables, POOLSCOPE_REEXEC: 'child' };
}

/**
 * Re-executes this process with the tunable when it is needed (see the file
 * comment) and returns the child; returns undefined when the process should
 * go on itself.
 */
export function reexecWithTunableIfNeeded(argv: readonly string[]): ChildProcess | undefined {
  const env = process.env;
  if (process.platform !== 'linux' || env.POOLSCOPE_REEXEC === '0' || env.POOLSCOPE_REEXEC === 'child')
    return undefined;
  if (hasStaticTlsTunable(env) || !mayLoadAllocatorPeer(argv.slice(2))) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
    stdio: 'inherit',
    env: withStaticTlsTunable(env),
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  child.on('error', (err) => {
    process.stderr.write(`poolscope: cannot re-execute with GLIBC_TUNABLES=${STATIC_TLS_TUNABLE}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    if (signal !== null) {
      process.kill(process.pid, signal);
      // Not killed by it (a signal whose default is to continue): the shell's convention.
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    process.exit(code ?? 1);
  });
  return child;
}
