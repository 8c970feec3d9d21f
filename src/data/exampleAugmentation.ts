import { SeededRng } from './SeededRng.js';
import { AUGMENT_STREAM } from './randomStreams.js';

/** Padding, in pixels, around the image before the random crop back to its size (reflected, or zeros). */
export const AUGMENT_PAD = 4;

/**
 * One example's augmentation: output pixel (y, x) reads source pixel (y + dy, x' + dx), where x' = W−1−x when
 * `flip` and x otherwise; dy, dx ∈ [−AUGMENT_PAD, AUGMENT_PAD]. That is a random crop of the image padded by
 * AUGMENT_PAD on each side, then a horizontal flip with probability 1/2.
 */
interface Augmentation {
  readonly dy: number;
  readonly dx: number;
  readonly flip: boolean;
}

/**
 * The augmentation of example `index` in epoch `epoch`: a pure function of (seed, epoch, index), so it does not
 * depend on the world size, the rank, the batch the example lands in, or which thread assembles it.
 */
export function exampleAugmentation(seed: number, epoch: number, index: number): Augmentation {
  const rng = SeededRng.fromParts(seed, AUGMENT_STREAM, epoch, index);
  const span = 2 * AUGMENT_PAD + 1;
  const dy = rng.nextInt(span) - AUGMENT_PAD;
  const dx = rng.nextInt(span) - AUGMENT_PAD;
  return { dy, dx, flip: rng.next() < 0.5 };
}
