import { createHash } from 'node:crypto';
import { DEFAULT_FIT_CONFIG } from '../../src/shared/config/index.js';
import type { Checkpoint } from '../../src/coordinator/index.js';
export { CheckpointError, CheckpointStore, decodeCheckpoint, encodeCheckpoint } from '../../src/coordinator/index.js';

/** A small checkpoint whose contents depend on `step`: two weight tensors (50 values) and one buffer (6). */
export function DEFAULT_CHECKPOINT_FOR_TEST(step: number): Checkpoint {
  const f = (n: number, k: number) => Buffer.from(new Float32Array(n).map((_, i) => i * k + step).buffer);
  return {
    savedAt: '2026-01-01T00:00:00.000Z',
    config: JSON.parse(JSON.stringify({ ...DEFAULT_FIT_CONFIG, out: '/tmp/run' })) as Checkpoint['config'],
    totalIterations: 40,
    iterationsPerEpoch: 10,
    loop: { nextIteration: step, smoothLoss: { avg: 0.5, n: step }, epochLoss: 1.25, epochCount: 64 },
    state: {
      weights: f(50, 0.5),
      momentum: f(50, -0.25),
      buffers: f(6, 2),
      weightTensors: [
        { name: 'dense1/kernel', shape: [8, 5] },
        { name: 'dense1/bias', shape: [10] },
      ],
      bufferTensors: [
        { name: 'bn/moving_mean', shape: [3] },
        { name: 'bn/moving_variance', shape: [3] },
      ],
    },
  };
}

/** The meta JSON of a checkpoint file's bytes (what its header says). */
export function metaOf(bytes: Buffer): Record<string, unknown> {
  const payload = bytes.subarray(bytes.indexOf(0x0a) + 1);
  return JSON.parse(payload.subarray(4, 4 + payload.readUInt32LE(0)).toString('utf8')) as Record<string, unknown>;
}

/**
 * A checkpoint file with a hand-made meta JSON: `{ version: 1 }` makes one as the format-1 writer did (before tensor
 * names, no `tensors`); other fields replace the ones the writer would put.
 */
export function encodeWithMeta(c: Checkpoint, meta: Record<string, unknown>): Buffer {
  const { state, ...rest } = c;
  const json = Buffer.from(
    JSON.stringify({
      ...rest,
      sizes: [state.weights.byteLength, state.momentum.byteLength, state.buffers.byteLength],
      ...meta,
    }),
    'utf8',
  );
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.byteLength);
  const payload = Buffer.concat([len, json, state.weights, state.momentum, state.buffers]);
  return Buffer.concat([
    Buffer.from(`SCCKPT1 ${createHash('sha256').update(payload).digest('hex')} ${payload.byteLength}\n`, 'ascii'),
    payload,
  ]);
}
