/** Shared pieces of the compute benchmarks: input shapes, random batches, forward-pass choice, FLOP counts. */
import { trainForward } from '../src/worker/fastForward/index.js';
import type { TensorBatch, TrainForward } from '../src/worker/replica/index.js';

/** 28x28x1 for resnet-mini/cnn/mlp (Fashion-MNIST), 32x32x3 for the CIFAR ResNets. */
export function trainInputShape(model: string): [number, number, number] {
  return model.startsWith('resnet') && model !== 'resnet-mini' ? [32, 32, 3] : [28, 28, 1];
}

/** A reproducible random batch (values in [-1, 1), labels in [0, 10)). */
export function randomBatch(n: number, shape: [number, number, number], seed: number): TensorBatch {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = new Float32Array(n * shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < x.length; i++) x[i] = 2 * next() - 1;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(10 * next());
  return { x, labels, shape: [n, shape[0], shape[1], shape[2]] };
}

/** The replica's forward: tfjs-layers' own (undefined) or the project's fast one. */
export function forwardFor(name: string): TrainForward | undefined {
  if (name === 'layers') return undefined;
  if (name === 'fast') return trainForward;
  throw new Error(`unknown forward '${name}' (use layers or fast)`);
}

/** Forward FLOPs per example of a LayersModel's convolutions and dense layers (2 per multiply-add). */
export function forwardFlopsPerExample(model: import('@tensorflow/tfjs').LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const kernel = layer.weights.find((w) => w.name.endsWith('/kernel'));
    if (kernel == null) continue;
    const k = kernel.shape as number[];
    if (cls === 'Conv2D') {
      const out = layer.outputShape as number[];
      flops += 2 * out[1] * out[2] * k[0] * k[1] * k[2] * k[3];
    } else if (cls === 'Dense') {
      flops += 2 * k[0] * k[1];
    }
  }
  return flops;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
