/**
 * Build step (run by `npm run build` after tsc): compiles every WebAssembly module of the worker from its generated
 * WAT with the npm `wabt` package, into a .wasm file beside the module that loads it in dist/. Nothing binary is
 * committed. The SIMD kernels (kernels/simd/, read by loadSimd.ts) that multiply-add come in a plain SIMD128 and a
 * relaxed-SIMD flavour each; the Winograd transforms (no multiply-add to fuse) and the ring's sum
 * (allreduce/float32Sum.ts) in plain SIMD128 only.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { FLOAT32_SUM_WASM, float32SumWat } from './allreduce/float32SumWat.js';
import { addReluWat } from './kernels/simd/addReluWat.js';
import { batchNormWat } from './kernels/simd/batchNormWat.js';
import { igemmWat } from './kernels/simd/igemmWat.js';
import { simdPeakWat } from './kernels/simd/simdPeakWat.js';
import { winogradWat } from './kernels/simd/winogradWat.js';
import { wasmFileName, type SimdFlavour } from './kernels/simd/wasmFiles.js';

const kernels: Record<string, (relaxed: boolean) => string> = {
  igemm: igemmWat,
  simdPeak: simdPeakWat,
  batchNorm: batchNormWat,
  addRelu: addReluWat,
};
const kernelFile = (name: string, flavour: SimdFlavour): URL =>
  new URL(`./kernels/simd/${wasmFileName(name, flavour)}`, import.meta.url);
const modules: { name: string; wat: string; out: URL }[] = [
  ...Object.entries(kernels).flatMap(([name, wat]) =>
    (['simd', 'relaxed'] as SimdFlavour[]).map((flavour) => ({
      name,
      wat: wat(flavour === 'relaxed'),
      out: kernelFile(name, flavour),
    })),
  ),
  { name: 'winograd', wat: winogradWat(), out: kernelFile('winograd', 'simd') },
  { name: 'float32Sum', wat: float32SumWat(), out: new URL(`./allreduce/${FLOAT32_SUM_WASM}`, import.meta.url) },
];

const wabt = await wabtInit();
for (const { name, wat, out } of modules) {
  const mod = wabt.parseWat(`${name}.wat`, wat, { simd: true, relaxed_simd: true });
  mod.validate();
  writeFileSync(fileURLToPath(out), mod.toBinary({}).buffer);
  mod.destroy();
}
