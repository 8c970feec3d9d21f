import type { DatasetSplit } from './DatasetSplit.js';

/** A new split holding the given examples of `split`, in the given order (pixels in a SharedArrayBuffer). */
export function selectExamples(split: DatasetSplit, indices: ArrayLike<number>, name: string): DatasetSplit {
  const size = split.height * split.width * split.channels;
  const pixels = new Uint8Array(new SharedArrayBuffer(indices.length * size));
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    if (!Number.isInteger(src) || src < 0 || src >= split.n) {
      throw new RangeError(`selectExamples: index ${src} out of range for ${split.name} (n = ${split.n})`);
    }
    pixels.set(split.pixels.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = split.labels[src];
  }
  return { ...split, name, pixels, labels, n: indices.length };
}
