/**
 * The SIMD GEMM microkernel (igemmWat.ts) bound to a tfjs wasm backend's heap, with B packing and scratch memory.
 *
 * The kernel module imports tfjs-backend-wasm's own WebAssembly.Memory, so it reads tensors where they lie and
 * writes outputs in place: no copies in or out. Scratch (packed B, indirection tables, zero rows) is allocated with
 * the backend's guarded malloc and freed by the caller (`Scratch`).
 */
import type { WasmBackend } from '../wasmBackend.js';
import { bestFlavour, instanceOn } from './loadSimd.js';
import { GEMM_NR } from './igemmWat.js';
import type { SimdFlavour } from './wasmFiles.js';

/** igemm(m, n, taps, kc, aInd, aStep, bp, cInd, accumulate): see igemmWat.ts; byte pointers into the heap. */
export type IgemmFn = (
  m: number,
  n: number,
  taps: number,
  kc: number,
  aInd: number,
  aStep: number,
  bp: number,
  cInd: number,
  accumulate: number,
) => void;

/** igemmOff(m, n, taps, kc, aRows, aOffs, aStep, bp, cInd, accumulate): row r's tap t at aRows[r] + aOffs[t]. */
export type IgemmOffFn = (
  m: number,
  n: number,
  taps: number,
  kc: number,
  aRows: number,
  aOffs: number,
  aStep: number,
  bp: number,
  cInd: number,
  accumulate: number,
) => void;

/** packRows(k, n, rows, dst): B packed from k row pointers (see packRowsFunc in igemmWat.ts); byte pointers. */
export type PackRowsFn = (k: number, n: number, rows: number, dst: number) => void;

/** convTable(count, r0, gw, gh, taps, tapY, tapX, sy, sx, inH, inW, aBase, aImg, aRow, aPix, zero, aOut, cBase,
 * cImg, cRow, cPix, cOut): a convolution's igemm tables (see convTableWat.ts); byte pointers and strides. */
export type ConvTableFn = (...args: ConvTableArgs) => void;
export type ConvTableArgs = [
  count: number,
  r0: number,
  gw: number,
  gh: number,
  taps: number,
  tapY: number,
  tapX: number,
  sy: number,
  sx: number,
  inH: number,
  inW: number,
  aBase: number,
  aImg: number,
  aRow: number,
  aPix: number,
  zero: number,
  aOut: number,
  cBase: number,
  cImg: number,
  cRow: number,
  cPix: number,
  cOut: number,
];

export interface GemmExports {
  igemm: IgemmFn;
  igemmOff: IgemmOffFn;
  convTable: ConvTableFn;
  packStrided: (k: number, n: number, src: number, ldb: number, dst: number) => void;
  packRows: PackRowsFn;
}

let defaultFlavour: SimdFlavour | null = null;

/** The kernels' flavour in this thread: relaxed SIMD where the runtime has it, else plain SIMD128. */
export function gemmFlavour(): SimdFlavour {
  defaultFlavour ??= bestFlavour();
  return defaultFlavour;
}

/**
 * The GEMM module's functions on this backend's heap (instantiated once per heap and flavour): igemm, igemmOff,
 * convTable, packStrided, packRows.
 */
export function gemmOn(wb: WasmBackend, flavour: SimdFlavour = gemmFlavour()): GemmExports {
  return instanceOn(wb.module.asm.memory, 'igemm', flavour) as unknown as GemmExports;
}

/** Floats of B packed for n columns and k rows (whole panels of GEMM_NR columns). */
export function packedBFloats(k: number, n: number): number {
  return Math.ceil(n / GEMM_NR) * k * GEMM_NR;
}

/**
 * Pack B (k rows, n columns, row r at src + r*ldb floats, columns contiguous) into igemm's panels at dst (float
 * indices into the heap), in wasm (packStrided): panel p holds columns [p*NR, p*NR + NR) as [k][NR], zero beyond n.
 */
export function packB(wb: WasmBackend, src: number, k: number, n: number, ldb: number, dst: number): void {
  gemmOn(wb).packStrided(k, n, 4 * src, 4 * ldb, 4 * dst);
}

/** Heap blocks for one kernel call, freed together. Views of the heap must be re-made after `alloc`. */
export class Scratch {
  private readonly blocks: number[] = [];
  constructor(private readonly wb: WasmBackend) {}

  /** A 16-byte-aligned block of `bytes`; returns its byte address. */
  alloc(bytes: number): number {
    const p = this.wb.module._malloc(bytes + 16);
    this.blocks.push(p);
    return ((p + 15) & ~15) >>> 0;
  }

  free(): void {
    for (const p of this.blocks) this.wb.module._free(p);
    this.blocks.length = 0;
  }
}
