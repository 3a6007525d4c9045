/**
 * Reading a results file named on the command line: a file that cannot be
 * read is a usage error (exit 2) with the path and the errno, like a
 * malformed file (`ResultsFormatError`, also exit 2).
 */
import { readFile } from 'node:fs/promises';
import { GoBenchFormatError, ResultsFormatError } from '../errors.js';
import { goBenchTextToDocument, looksLikeGoBench } from '../report/gobench-read.js';
import { parseResults, readResultsFile } from '../results/parse.js';
import type { ResultsDocument } from '../results/schema.js';

export async function readResultsArgument(field: string, path: string): Promise<ResultsDocument> {
  return withFileErrors(field, path, () => readResultsFile(path));
}

/** A results.json, or Go benchmark text (the bench.txt poolscope writes, or `go test -bench` output): what `compare` reads. */
export async function readRunArgument(field: string, path: string): Promise<ResultsDocument> {
  return withFileErrors(field, path, async () => {
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
  read: () => Promise<ResultsDocument>,
): Promise<ResultsDocument> {
  try {
    return await read();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RangeError(`${field}: no such file ${JSON.stringify(path)}`);
    if (code === 'EISDIR')
      throw new RangeError(`${field}: ${JSON.stringify(path)} is a directory; expected a results .json file`);
    if (code === 'EACCES') throw new RangeError(`${field}: permission denied reading ${JSON.stringify(path)}`);
    throw err;
  }
}
