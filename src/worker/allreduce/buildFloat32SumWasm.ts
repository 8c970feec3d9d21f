/**
 * Build step (run by `npm run build` after tsc): compiles the ring's SIMD sum (float32SumWat.ts) with the npm
 * `wabt` package into float32Sum.wasm beside the compiled float32Sum.js. Nothing binary is committed; without the
 * file the ring sums in JavaScript (the same bits, about 3 times the CPU).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { FLOAT32_SUM_WASM, float32SumWat } from './float32SumWat.js';

const wabt = await wabtInit();
const mod = wabt.parseWat('float32Sum.wat', float32SumWat(), { simd: true });
mod.validate();
writeFileSync(fileURLToPath(new URL(FLOAT32_SUM_WASM, import.meta.url)), mod.toBinary({}).buffer);
mod.destroy();
