import { DEFAULT_FIT_CONFIG } from '../../src/shared/config/index.js';
import type { Checkpoint } from '../../src/coordinator/index.js';
export { CheckpointError, CheckpointStore } from '../../src/coordinator/index.js';

/** A small checkpoint whose contents depend on `step`. */
export function DEFAULT_CHECKPOINT_FOR_TEST(step: number): Checkpoint {
  const f = (n: number, k: number) => Buffer.from(new Float32Array(n).map((_, i) => i * k + step).buffer);
  return {
    version: 1, savedAt: '2026-01-01T00:00:00.000Z', config: JSON.parse(JSON.stringify({ ...DEFAULT_FIT_CONFIG, out: '/tmp/run' })) as Checkpoint['config'], totalIterations: 40, iterationsPerEpoch: 10,
    loop: { nextIteration: step, smoothLoss: { avg: 0.5, n: step }, epochLoss: 1.25, epochCount: 64 },
    weights: f(50, 0.5), momentum: f(50, -0.25), buffers: f(6, 2),
  };
}
