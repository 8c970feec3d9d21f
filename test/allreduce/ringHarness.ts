/** Test helpers: a local TCP ring of N ranks in this process, seeded inputs, and the float64 reference sum. */
import assert from 'node:assert/strict';
import { RingCollective, RingServer, type RingTuning } from '../../src/worker/allreduce/index.js';

export interface LocalRing {
  servers: RingServer[];
  ranks: RingCollective[];
  close(): Promise<void>;
}

/** Starts N ring servers on 127.0.0.1:0 and one RingCollective per rank wired to them. */
export async function startLocalRing(
  worldSize: number,
  tuning: RingTuning = {},
  runId = 'test-run',
): Promise<LocalRing> {
  const servers = await Promise.all(Array.from({ length: worldSize }, () => RingServer.listen()));
  const addresses = servers.map((s) => s.address);
  const ranks = servers.map(
    (server, rank) => new RingCollective({ server, runId, rank, worldSize, addresses, ...tuning }),
  );
  return {
    servers,
    ranks,
    async close() {
      await Promise.all(ranks.map((r) => r.close()));
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** Deterministic uniform values in [-1, 1) (mulberry32), different per seed. */
export function seededFloats(length: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** One input buffer per rank. */
export function inputsFor(worldSize: number, length: number, seed: number): Float32Array[] {
  return Array.from({ length: worldSize }, (_, rank) => seededFloats(length, seed * 1000 + rank + 1));
}

/**
 * Asserts `result` is the element-wise sum of `inputs` computed in float64, within float32 rounding of an
 * (N-1)-term sum: |err| <= (N-1) * 2^-24 * sum|x| per element (plus the final rounding).
 */
export function assertSumOf(result: Float32Array, inputs: readonly Float32Array[], label: string): void {
  assert.equal(result.length, inputs[0].length, `${label}: length`);
  const n = inputs.length;
  for (let e = 0; e < result.length; e++) {
    let exact = 0;
    let abs = 0;
    for (const x of inputs) {
      exact += x[e];
      abs += Math.abs(x[e]);
    }
    const tol = n * 2 ** -24 * abs + 1e-30;
    if (!(Math.abs(result[e] - exact) <= tol)) {
      assert.fail(`${label}: element ${e} is ${result[e]}, the float64 sum is ${exact} (tolerance ${tol})`);
    }
  }
}

/** Asserts every buffer has exactly the bytes of the first. */
export function assertBitwiseEqual(bufs: readonly Float32Array[], label: string): void {
  const first = Buffer.from(bufs[0].buffer, bufs[0].byteOffset, bufs[0].byteLength);
  bufs.forEach((b, rank) => {
    const bytes = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (!first.equals(bytes)) {
      const i = bytes.findIndex((v, j) => v !== first[j]);
      assert.fail(`${label}: rank ${rank} differs from rank 0 at byte ${i} (element ${Math.floor(i / 4)})`);
    }
  });
}
