/**
 * Output paths are checked before a run starts, so that a typo in `--json`
 * or `-o` is a usage error at once, not a stack trace after the whole run:
 * the file must be writable where it is (an existing regular file we may
 * write, or a new name in a directory we may write), and an output folder
 * must be a folder or creatable under one we may write.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeStdout } from './stdout.js';
import { UsageError } from './usage.js';

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new UsageError(`a parent of ${JSON.stringify(path)} is not a directory`);
    throw err;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Throws a UsageError naming `flag` unless `path` can be written as a file. */
export function checkOutputFile(flag: string, path: string): void {
  const where = `${flag} ${JSON.stringify(path)}`;
  if (path === '') throw new UsageError(`${flag} must name a file (received an empty path)`);
  const st = statOrUndefined(path);
  if (st !== undefined) {
    if (st.isDirectory()) throw new UsageError(`${where} is a directory; expected a file name`);
    if (!writable(path)) throw new UsageError(`${where}: permission denied`);
    return;
  }
  const parent = dirname(resolve(path));
  const pst = statOrUndefined(parent);
  if (pst === undefined) throw new UsageError(`${where}: no such directory ${JSON.stringify(dirname(path))}`);
  if (!pst.isDirectory()) throw new UsageError(`${where}: ${JSON.stringify(dirname(path))} is not a directory`);
  if (!writable(parent)) throw new UsageError(`${where}: permission denied in ${JSON.stringify(dirname(path))}`);
}

/** Throws a UsageError naming `flag` unless `path` is a writable directory or can be created as one. */
export function checkOutputDir(flag: string, path: string): void {
  const where = `${flag} ${JSON.stringify(path)}`;
  if (path === '') throw new UsageError(`${flag} must name a directory (received an empty path)`);
  let dir = resolve(path);
  for (;;) {
    const st = statOrUndefined(dir);
    if (st !== undefined) {
      if (!st.isDirectory()) {
        throw new UsageError(`${where}: ${JSON.stringify(dir)} exists and is not a directory`);
      }
      if (!writable(dir)) throw new UsageError(`${where}: permission denied in ${JSON.stringify(dir)}`);
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * `--json [FILE]`: commander gives `true` for a bare `--json` (standard
 * output), a string for a file; `-` also means standard output. Returns the
 * file, or `'-'` for standard output, or undefined when not asked; checks a
 * file before the run.
 */
export function jsonTarget(value: string | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === '-') return '-';
  checkOutputFile('--json', value);
  return value;
}

/** Writes `text` where {@link jsonTarget} said: standard output for `'-'`, else the file. */
export async function writeJson(target: string, text: string): Promise<void> {
  if (target === '-') writeStdout(text);
  else await writeFile(target, text);
}
