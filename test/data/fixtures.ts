/** Helpers for the data tests: small datasets written as real files in a temp dir. Not a test file itself. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../../src/data/index.js';
import type { DatasetSplit } from '../../src/data/index.js';

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'superconverge-data-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Pixel bytes where example i, pixel p is (i * 7 + p * 3) mod 256: varied, and reproducible in assertions. */
export function patternPixels(n: number, size: number): Uint8Array {
  const out = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) for (let p = 0; p < size; p++) out[i * size + p] = (i * 7 + p * 3) % 256;
  return out;
}

export function writeIdx(file: string, dims: number[], data: Uint8Array, gzip: boolean): void {
  const bytes = encodeIdx(dims, data);
  writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
}

/** Writes a complete MNIST-style directory: nTrain / nTest images of h×w, labels i mod classes. */
export function writeIdxDataset(
  dir: string,
  opts: { nTrain: number; nTest: number; height: number; width: number; classes: number; gzip: boolean },
): void {
  const ext = opts.gzip ? '.gz' : '';
  const size = opts.height * opts.width;
  const labels = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % opts.classes);
  for (const [prefix, n] of [
    ['train', opts.nTrain],
    ['t10k', opts.nTest],
  ] as const) {
    writeIdx(
      path.join(dir, `${prefix}-images-idx3-ubyte${ext}`),
      [n, opts.height, opts.width],
      patternPixels(n, size),
      opts.gzip,
    );
    writeIdx(path.join(dir, `${prefix}-labels-idx1-ubyte${ext}`), [n], labels(n), opts.gzip);
  }
}

/** An in-memory split of n examples (pixels from patternPixels, labels i mod classes). */
export function syntheticSplit(
  name: string,
  n: number,
  height: number,
  width: number,
  channels: number,
  classes = 10,
): DatasetSplit {
  const size = height * width * channels;
  const pixels = new Uint8Array(new SharedArrayBuffer(n * size));
  pixels.set(patternPixels(n, size));
  return {
    name,
    pixels,
    labels: Uint8Array.from({ length: n }, (_, i) => i % classes),
    n,
    height,
    width,
    channels,
    numClasses: classes,
  };
}
