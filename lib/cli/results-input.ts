/**
 * Reading a results file named on the command line: a file that cannot be
 * read is a usage error (exit 2) with the path and the errno, like a
 * malformed file (`ResultsFormatError`, also exit 2).
 */
import { readResultsFile } from '../results/parse.js';
import type { ResultsDocument } from '../results/schema.js';

export async function readResultsArgument(field: string, path: string): Promise<ResultsDocument> {
  try {
    return await readResultsFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RangeError(`${field}: no such file ${JSON.stringify(path)}`);
    if (code === 'EISDIR')
      throw new RangeError(`${field}: ${JSON.stringify(path)} is a directory; expected a results .json file`);
    if (code === 'EACCES') throw new RangeError(`${field}: permission denied reading ${JSON.stringify(path)}`);
    throw err;
  }
}
