import type { PadMode } from '../shared/config/index.js';
import type { NormalizationStats } from './NormalizationStats.js';
import { exampleAugmentation } from './exampleAugmentation.js';

/** The parts of a split batch assembly reads (what the assembly threads receive once, pixels shared). */
export interface AssemblySource {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface AssemblyOptions {
  readonly stats: NormalizationStats;
  /** Random crop (4-pixel padding) and horizontal flip, drawn per (seed, epoch, example index). */
  readonly augment: boolean;
  /**
   * How the crop pads: 'reflect' (default; fastai 0.7's CIFAR transforms, cv2.BORDER_REFLECT: the edge pixel is
   * repeated, `dcba|abcd|dcba`) or 'zeros' (torchvision's RandomCrop default: 0 in normalised space, the mean pixel).
   */
  readonly padMode?: PadMode;
  readonly seed: number;
  readonly epoch: number;
}

/** lut[c*256 + v] = (v/255 − mean[c]) / std[c], rounded once to float32. */
export function normalizationTable(stats: NormalizationStats): Float32Array {
  const lut = new Float32Array(stats.mean.length * 256);
  stats.mean.forEach((mean, c) => {
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - mean) / stats.std[c];
  });
  return lut;
}

/**
 * Gathers the examples `indices` of `source` into a float32 NHWC batch, normalised per channel, augmented when
 * asked (the crop's padding reflects the image, or with padMode 'zeros' is 0 in normalised space, i.e. the training
 * mean pixel). Labels come back as int32.
 * Pure and deterministic: the result depends only on the arguments (the batch-assembly threads run this too).
 */
export function assembleBatch(
  source: AssemblySource,
  indices: ArrayLike<number>,
  options: AssemblyOptions,
  lut: Float32Array = normalizationTable(options.stats),
): { x: Float32Array; labels: Int32Array } {
  const { height: H, width: W, channels: C, pixels } = source;
  if (options.stats.mean.length !== C || options.stats.std.length !== C) {
    throw new RangeError(
      `assembleBatch: normalisation stats have ${options.stats.mean.length} channels, images have ${C}`,
    );
  }
  const size = H * W * C;
  const count = indices.length;
  const x = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const index = indices[i];
    labels[i] = source.labels[index];
    const src = index * size;
    const out = i * size;
    if (!options.augment) {
      for (let p = 0; p < size; p++) x[out + p] = lut[(p % C) * 256 + pixels[src + p]];
      continue;
    }
    const aug = exampleAugmentation(options.seed, options.epoch, index);
    const reflect = (options.padMode ?? 'reflect') === 'reflect';
    for (let y = 0; y < H; y++) {
      const sy = reflect ? reflectIndex(y + aug.dy, H) : y + aug.dy;
      const rowOut = out + y * W * C;
      if (sy < 0 || sy >= H) continue; // whole row is zero padding: stays 0
      for (let xo = 0; xo < W; xo++) {
        const dx = (aug.flip ? W - 1 - xo : xo) + aug.dx;
        const sx = reflect ? reflectIndex(dx, W) : dx;
        if (sx < 0 || sx >= W) continue;
        const from = src + (sy * W + sx) * C;
        const to = rowOut + xo * C;
        for (let c = 0; c < C; c++) x[to + c] = lut[c * 256 + pixels[from + c]];
      }
    }
  }
  return { x, labels };
}

/** cv2.BORDER_REFLECT's source index for `i` in 0..n-1 (edge repeated: -1 -> 0, n -> n-1), for |overhang| <= n. */
function reflectIndex(i: number, n: number): number {
  if (i < 0) return -i - 1;
  if (i >= n) return 2 * n - i - 1;
  return i;
}
