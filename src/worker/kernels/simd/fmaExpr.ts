/** The WAT of a*b + c on f32x4: relaxed-SIMD's fused (or not, as the CPU has it) madd, or mul then add. */
export function fmaExpr(relaxed: boolean, a: string, b: string, c: string): string {
  return relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}
