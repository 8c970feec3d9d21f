/**
 * Broadcasting a tensor whose leading axes are 1 to a larger shape by repeated doubling copies on the heap:
 * one block is written, then [0, n) is copied to [n, 2n), [0, 2n) to [2n, 4n), ... (memmove speed).
 */

/** How many times the block repeats, or null when x's shape is not [1, ..., 1, ...outShape's tail]. */
export function leadingRepeats(xShape: number[], outShape: number[]): number | null {
  if (xShape.length !== outShape.length) return null;
  let i = 0;
  while (i < xShape.length && xShape[i] === 1) i++;
  for (let j = i; j < xShape.length; j++) if (xShape[j] !== outShape[j]) return null;
  return outShape.slice(0, i).reduce((p, q) => p * q, 1);
}

/** Fill heap[dst, dst + block*repeats) with `repeats` copies of heap[src, src + block). */
export function repeatBlock(heap: Float32Array, src: number, dst: number, block: number, repeats: number): void {
  if (repeats === 0 || block === 0) return;
  heap.copyWithin(dst, src, src + block);
  let done = block;
  const total = block * repeats;
  while (done < total) {
    const n = Math.min(done, total - done);
    heap.copyWithin(dst + done, dst, dst + n);
    done += n;
  }
}
