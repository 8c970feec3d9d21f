/**
 * Build step (run by `npm run build` after tsc): compiles the generated WAT of the SIMD kernels with the npm
 * `wabt` package into .wasm files beside the compiled loader (dist/src/worker/kernels/simd/), in a plain
 * SIMD128 and a relaxed-SIMD flavour each. Nothing binary is committed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { addReluWat } from './addReluWat.js';
import { batchNormWat } from './batchNormWat.js';
import { igemmWat } from './igemmWat.js';
import { simdPeakWat } from './simdPeakWat.js';
import { wasmFileName, type SimdFlavour } from './wasmFiles.js';

const wabt = await wabtInit();
const sources: Record<string, (relaxed: boolean) => string> = {
  igemm: igemmWat,
  simdPeak: simdPeakWat,
  batchNorm: batchNormWat,
  addRelu: addReluWat,
};
for (const [name, wat] of Object.entries(sources)) {
  for (const flavour of ['simd', 'relaxed'] as SimdFlavour[]) {
    const mod = wabt.parseWat(`${name}.wat`, wat(flavour === 'relaxed'), { simd: true, relaxed_simd: true });
    mod.validate();
    const path = fileURLToPath(new URL(wasmFileName(name, flavour), import.meta.url));
    writeFileSync(path, mod.toBinary({}).buffer);
    mod.destroy();
  }
}
