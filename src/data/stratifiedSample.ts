import { SeededRng } from './SeededRng.js';

/**
 * Picks `perClass` examples of each class 0..numClasses-1 uniformly at random (seeded), and returns their indices
 * in ascending order, so the sample keeps the source's order. Throws a RangeError when a class has too few.
 */
export function stratifiedSample(labels: Uint8Array, numClasses: number, perClass: number, seed: number): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => {
    if (label >= numClasses) throw new RangeError(`stratifiedSample: label ${label} at ${i} ≥ ${numClasses} classes`);
    byClass[label].push(i);
  });
  const picked: number[] = [];
  byClass.forEach((indices, label) => {
    if (indices.length < perClass) {
      throw new RangeError(`stratifiedSample: class ${label} has ${indices.length} examples, ${perClass} wanted`);
    }
    const rng = SeededRng.fromParts(seed, label);
    picked.push(...rng.shuffle(Int32Array.from(indices)).subarray(0, perClass));
  });
  return Int32Array.from(picked).sort();
}
