/**
 * Runs one batch of fuzz inputs of one surface in this process and reports
 * each to the parent over IPC: `start` before the call (so a crash or a hang
 * is pinned to its input), then the outcome. Arguments: surface seed from to.
 */
import { classifyError, describeError, type Outcome } from './classify.js';
import { inputSeed, seededRandom } from './garbage.js';
import { SURFACES } from './surfaces.js';

export type ChildMessage =
  | { type: 'start'; index: number; label: string }
  | { type: 'done'; index: number; outcome: Outcome; detail: string };

const [surfaceName, seedText, fromText, toText] = process.argv.slice(2);
const surface = SURFACES.find((s) => s.name === surfaceName);
if (!surface || !process.send) {
  console.error(`fuzz child: unknown surface ${surfaceName} or no IPC channel`);
  process.exit(2);
}
const send = (m: ChildMessage) => process.send?.(m);
const seed = Number(seedText);
for (let i = Number(fromText); i < Number(toText); i++) {
  const c = surface.make(seededRandom(inputSeed(seed, surface.name, i)));
  send({ type: 'start', index: i, label: c.label });
  let outcome: Outcome;
  let detail = '';
  try {
    await c.run();
    outcome = c.wrong ? 'accepted' : 'valid';
  } catch (err) {
    outcome = classifyError(err);
    detail = describeError(err);
  }
  send({ type: 'done', index: i, outcome, detail });
}
surface.close?.();
process.disconnect();
