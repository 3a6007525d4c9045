#!/usr/bin/env node
/**
 * `poolscope` command line. Each command lives in its own file under lib/cli/
 * and exports `register(program)`; this file wires them up and maps errors to
 * exit codes: 2 for usage errors (bad flags, bad values), 1 for failures.
 */
import { Command, CommanderError } from 'commander';
import { ResultsFormatError } from '../errors.js';
import { toolVersion } from '../version.js';
import { register as registerBench } from './bench.js';
import { register as registerCompare } from './compare.js';
import { register as registerPeers } from './peers.js';
import { register as registerProbe } from './probe.js';
import { register as registerReport } from './report.js';
import { register as registerRun } from './run.js';

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
  const program = new Command('poolscope')
    .description("Go's sync.Pool design for Node, measured with perf_event_open counters")
    .version(toolVersion())
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit through here with exitCode 0
      return err.exitCode === 0 ? 0 : 2;
    }
    // A malformed results file is bad input too: its message names the file and field.
    if (err instanceof TypeError || err instanceof RangeError || err instanceof ResultsFormatError) {
      process.stderr.write(`poolscope: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`poolscope: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
