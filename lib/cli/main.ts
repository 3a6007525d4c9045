#!/usr/bin/env node
/**
 * `poolscope` command line. Each command lives in its own file under lib/cli/
 * and exports `register(program)`; this file wires them up and maps errors to
 * exit codes:
 *  - 2, a usage error (bad flag or value, unreadable input, unwritable output,
 *    peer not installed): one line and a hint to `--help`, no stack;
 *  - 1, a run that failed (a worker threw, the time limit passed): one line,
 *    the stack with `--verbose`;
 *  - 1, an internal error (a bug): the stack.
 * Before anything runs, a command that may load jemalloc re-executes the
 * process with the glibc tunable it needs (lib/cli/reexec.ts).
 */
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { register as registerBench } from './bench.js';
import { register as registerCompare } from './compare.js';
import { register as registerPeers } from './peers.js';
import { register as registerProbe } from './probe.js';
import { reexecWithTunableIfNeeded } from './reexec.js';
import { register as registerReport } from './report.js';
import { register as registerRun } from './run.js';
import { isKnownFailure, isUsageError, oneLine } from './usage.js';

/** Adds one command to the program. */
export type RegisterCommand = (program: Command) => void;

const commands: RegisterCommand[] = [
  registerReport,
  registerCompare,
  registerPeers,
  registerProbe,
  registerRun,
  registerBench,
];

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.slice(2).includes('--verbose');
  // The command that was being parsed or run when an error came: its --help is the hint.
  let current = 'poolscope';
  const program = new Command('poolscope')
    .description("Go's sync.Pool design for Node, measured with perf_event_open counters")
    .version(toolVersion())
    .option('--verbose', 'print the stack trace of an error')
    .exitOverride()
    // Commander's own error line is printed below, with the hint, instead of the full help.
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} })
    .hook('preSubcommand', (_program, sub) => {
      current = `poolscope ${sub.name()}`;
    });
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // help and version exit through here with exitCode 0
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    if (isUsageError(err)) {
      process.stderr.write(`${current}: ${oneLine(err)} (see ${current} --help)\n`);
      if (verbose && err instanceof Error && !(err instanceof CommanderError)) process.stderr.write(`${err.stack}\n`);
      return 2;
    }
    if (isKnownFailure(err) && !verbose) {
      process.stderr.write(`${current}: ${oneLine(err)} (--verbose prints the stack)\n`);
      return 1;
    }
    const stack = err instanceof Error ? (err.stack ?? err.message) : oneLine(err);
    process.stderr.write(`${current}: ${stack}\n`);
    return 1;
  }
}

const child = reexecWithTunableIfNeeded(process.argv);
if (child === undefined) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
