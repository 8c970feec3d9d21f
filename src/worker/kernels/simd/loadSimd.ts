/**
 * Loads the built SIMD kernels (built by src/worker/buildWasm.ts) and instantiates them on a given memory.
 *
 * Relaxed SIMD (f32x4.relaxed_madd: one FMA where the CPU has it) is behind `--experimental-wasm-relaxed-simd` on
 * Node 20; the flag is set here, at import, in every thread that imports the kernels (Node 22 has it on). If the
 * runtime still rejects the relaxed module, the plain SIMD128 one (mul + add) is used.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { wasmFileName, type SimdFlavour } from './wasmFiles.js';

if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const compiled = new Map<string, WebAssembly.Module>();

function bytesOf(name: string, flavour: SimdFlavour): Uint8Array<ArrayBuffer> {
  const url = new URL(wasmFileName(name, flavour), import.meta.url);
  try {
    return new Uint8Array(readFileSync(url));
  } catch (e) {
    throw new Error(
      `SIMD kernels: ${url.pathname} is missing (${(e as Error).message}); ` +
        `\`npm run build\` compiles it from its WAT source`,
      { cause: e },
    );
  }
}

/** Whether this runtime accepts relaxed-SIMD modules (after the flag above). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(bytesOf('simdPeak', 'relaxed'));
}

/** The flavour the kernels use: relaxed where supported, else plain SIMD128. */
export function bestFlavour(): SimdFlavour {
  return relaxedSimdSupported() ? 'relaxed' : 'simd';
}

/** The compiled module `name` in `flavour` (compiled once per thread). */
export function simdModule(name: string, flavour: SimdFlavour): WebAssembly.Module {
  const key = `${name}.${flavour}`;
  let m = compiled.get(key);
  if (m == null) {
    m = new WebAssembly.Module(bytesOf(name, flavour));
    compiled.set(key, m);
  }
  return m;
}

const onMemory = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Exports>>();

/**
 * The module `name` in `flavour` instantiated on `memory` (tfjs-wasm's heap: the kernels read and write tensors
 * where they lie), once per memory, name and flavour.
 */
export function instanceOn(memory: WebAssembly.Memory, name: string, flavour: SimdFlavour): WebAssembly.Exports {
  let byName = onMemory.get(memory);
  if (byName == null) {
    byName = new Map();
    onMemory.set(memory, byName);
  }
  const key = `${name}.${flavour}`;
  let e = byName.get(key);
  if (e == null) {
    e = new WebAssembly.Instance(simdModule(name, flavour), { env: { memory } }).exports;
    byName.set(key, e);
  }
  return e;
}
