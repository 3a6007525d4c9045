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
// process.disconnect() drops messages still queued on the channel, so every send is tracked and the
// child disconnects only once all of them were written (else a finished batch read as a crash).
const pending: Promise<void>[] = [];
const send = (m: ChildMessage) => {
  pending.push(new Promise<void>((resolve) => process.send?.(m, undefined, undefined, () => resolve())));
};
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
await Promise.all(pending);
process.disconnect();
