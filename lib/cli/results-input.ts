/**
 * Reading a results file named on the command line: a file that cannot be
 * read is a usage error (exit 2) with the path and the errno, like a
 * malformed file (`ResultsFormatError`, also exit 2). Only regular files are
 * read: a device (`/dev/zero` never ends) or a FIFO (blocks with no writer)
 * is refused before it is opened.
 */
import { stat } from 'node:fs/promises';
import { readResultsFile } from '../results/parse.js';
import type { ResultsDocument } from '../results/schema.js';
import { UsageError } from './usage.js';

function kindOf(st: Awaited<ReturnType<typeof stat>>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export async function readResultsArgument(field: string, path: string): Promise<ResultsDocument> {
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      throw new UsageError(`${field}: ${JSON.stringify(path)} is ${kindOf(st)}; expected a results .json file`);
    }
    return await readResultsFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${field}: no such file ${JSON.stringify(path)}`);
    if (code === 'EISDIR')
      throw new UsageError(`${field}: ${JSON.stringify(path)} is a directory; expected a results .json file`);
    if (code === 'EACCES') throw new UsageError(`${field}: permission denied reading ${JSON.stringify(path)}`);
    if (code === 'ENOTDIR') throw new UsageError(`${field}: a parent of ${JSON.stringify(path)} is not a directory`);
    throw err;
  }
}
