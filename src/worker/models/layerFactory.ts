import * as tf from '@tensorflow/tfjs';

/**
 * Builds named layers with seeded initialisers, so that every replica built from the same seed starts from the
 * same weights and every layer has a stable name (layer groups and checkpoints refer to them).
 */
export class LayerFactory {
  private counter = 0;
  constructor(private readonly seed: number) {}

  private nextSeed(): number {
    this.counter += 1;
    return (this.seed * 1000003 + this.counter * 7919) % 2147483647;
  }

  conv(name: string, filters: number, kernelSize: number, strides = 1): tf.layers.Layer {
    return tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: this.nextSeed() }),
    });
  }

  batchNorm(name: string): tf.layers.Layer {
    // momentum 0.9 is PyTorch's 0.1 (tfjs keeps momentum*old + (1-momentum)*new); epsilon as PyTorch.
    return tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
  }

  relu(name: string): tf.layers.Layer {
    return tf.layers.activation({ name, activation: 'relu' });
  }

  dense(name: string, units: number, activation?: 'relu'): tf.layers.Layer {
    return tf.layers.dense({
      name,
      units,
      activation,
      kernelInitializer: tf.initializers.heNormal({ seed: this.nextSeed() }),
      biasInitializer: 'zeros',
    });
  }
}

type Sym = tf.SymbolicTensor;

/** A basic residual block: conv3x3-BN-ReLU-conv3x3-BN plus shortcut (identity, or 1x1 strided conv + BN), ReLU. */
export function basicBlock(f: LayerFactory, x: Sym, name: string, filters: number, strides: number): Sym {
  const inChannels = x.shape[x.shape.length - 1];
  let y = f.conv(`${name}_conv1`, filters, 3, strides).apply(x) as Sym;
  y = f.batchNorm(`${name}_bn1`).apply(y) as Sym;
  y = f.relu(`${name}_relu1`).apply(y) as Sym;
  y = f.conv(`${name}_conv2`, filters, 3).apply(y) as Sym;
  y = f.batchNorm(`${name}_bn2`).apply(y) as Sym;
  let shortcut = x;
  if (strides !== 1 || inChannels !== filters) {
    shortcut = f.conv(`${name}_proj`, filters, 1, strides).apply(x) as Sym;
    shortcut = f.batchNorm(`${name}_proj_bn`).apply(shortcut) as Sym;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as Sym;
  return f.relu(`${name}_out`).apply(sum) as Sym;
}

/** conv3x3 -> BN -> ReLU stem. */
export function stem(f: LayerFactory, x: Sym, filters: number): Sym {
  let y = f.conv('stem_conv', filters, 3).apply(x) as Sym;
  y = f.batchNorm('stem_bn').apply(y) as Sym;
  return f.relu('stem_relu').apply(y) as Sym;
}

/** Global average pool -> dense logits. */
export function head(f: LayerFactory, x: Sym, numClasses: number): Sym {
  const pooled = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as Sym;
  return f.dense('head_dense', numClasses).apply(pooled) as Sym;
}
