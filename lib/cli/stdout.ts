/**
 * Writing a command's output to standard output. A reader that closes the
 * pipe early (`poolscope report r.json | head`) ends the output, not the
 * process with an EPIPE stack trace: what was wanted has been read.
 */
let guarded = false;

export function writeStdout(text: string): void {
  if (!guarded) {
    guarded = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  process.stdout.write(text);
}
