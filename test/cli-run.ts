/** Runs the `poolscope` CLI from source (tsx) in a child process, for the CLI tests. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const CLI_ARGS = ['--import', 'tsx', 'lib/cli/main.ts'];

export function cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...CLI_ARGS, ...args],
      { encoding: 'utf8', timeout: 120_000, env, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [...CLI_ARGS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The environment without the static-TLS tunable: as a user's plain shell has it. */
export function envWithoutTunable(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  delete env.POOLSCOPE_REEXEC;
  return env;
}
