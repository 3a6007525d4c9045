/**
 * Reading a results file named on the command line: a file that cannot be
 * read is a usage error (exit 2) with the path and the errno, like a
 * malformed file (`ResultsFormatError`, also exit 2). Only regular files are
 * read: a device (`/dev/zero` never ends) or a FIFO (blocks with no writer)
 * is refused before it is opened.
 */
import { readFile, stat } from 'node:fs/promises';
import { GoBenchFormatError, ResultsFormatError } from '../errors.js';
import { goBenchTextToDocument, looksLikeGoBench } from '../report/gobench-read.js';
import { parseResults, readResultsFile } from '../results/parse.js';
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
  return withFileErrors(field, path, 'a results .json file', () => readResultsFile(path));
}

/** A results.json, or Go benchmark text (the bench.txt poolscope writes, or `go test -bench` output): what `compare` reads. */
export async function readRunArgument(field: string, path: string): Promise<ResultsDocument> {
  return withFileErrors(field, path, 'a results .json or bench.txt file', async () => {
    const text = await readFile(path, 'utf8');
    if (!looksLikeGoBench(text)) return parseResults(text, path);
    try {
      return goBenchTextToDocument(text, path);
    } catch (err) {
      // A malformed result line is a malformed input file, like a malformed results.json (exit 2).
      if (err instanceof GoBenchFormatError) {
        throw new ResultsFormatError('ERR_RESULTS_FORMAT', `${path}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  });
}

async function withFileErrors(
  field: string,
  path: string,
  expected: string,
  read: () => Promise<ResultsDocument>,
): Promise<ResultsDocument> {
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      throw new UsageError(`${field}: ${JSON.stringify(path)} is ${kindOf(st)}; expected ${expected}`);
    }
    return await read();
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
