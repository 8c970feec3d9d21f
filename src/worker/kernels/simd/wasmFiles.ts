/** Names of the built .wasm files (written by src/worker/buildWasm.ts, read by loadSimd.ts), beside this module. */
export type SimdFlavour = 'simd' | 'relaxed';

export function wasmFileName(name: string, flavour: SimdFlavour): string {
  return `${name}.${flavour}.wasm`;
}
