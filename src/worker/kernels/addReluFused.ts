/**
 * A residual add and the ReLU after it in one pass (simd/addReluWat.ts), and the ReLU's gradient in one pass, as
 * two kernels that fastForward's addRelu calls on wasm for same-shape float32 inputs whose size is a multiple of 4.
 */
import * as tf from '@tensorflow/tfjs';
import { allocF32, offsetF32 } from './heap.js';
import { instanceOn } from './simd/loadSimd.js';
import { wasmBackend, type WasmModule } from './wasmBackend.js';
import { type KernelArgs, wasmKernel } from './wasmKernel.js';

export const ADD_RELU = 'SuperconvergeAddRelu';
export const ADD_RELU_GRAD = 'SuperconvergeAddReluGrad';

interface AddReluExports {
  addRelu(a: number, b: number, n: number, y: number): void;
  reluGrad(dy: number, y: number, n: number, dx: number): void;
}

function passes(module: WasmModule): AddReluExports {
  return instanceOn(module.asm.memory, 'addRelu', 'simd') as unknown as AddReluExports;
}

/** Whether the fused kernels take these two inputs. */
export function fusedAddReluTakes(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  return (
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    a.shape.join() === b.shape.join() &&
    tf.util.sizeFromShape(a.shape) % 4 === 0
  );
}

function addRelu(args: KernelArgs): tf.TensorInfo {
  const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
  const wb = wasmBackend(args.backend);
  const y = allocF32(wb, a.shape);
  passes(wb.module).addRelu(
    4 * offsetF32(wb, a),
    4 * offsetF32(wb, b),
    tf.util.sizeFromShape(a.shape),
    4 * offsetF32(wb, y),
  );
  return y;
}

function reluGrad(args: KernelArgs): tf.TensorInfo {
  const { dy, y } = args.inputs as unknown as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const wb = wasmBackend(args.backend);
  const dx = allocF32(wb, y.shape);
  passes(wb.module).reluGrad(
    4 * offsetF32(wb, dy),
    4 * offsetF32(wb, y),
    tf.util.sizeFromShape(y.shape),
    4 * offsetF32(wb, dx),
  );
  return dx;
}

export const addReluConfig = wasmKernel(ADD_RELU, addRelu);
export const addReluGradConfig = wasmKernel(ADD_RELU_GRAD, reluGrad);
