/**
 * Per-group learning rates at one step (fastai 0.7's layer-group lrs): every group's base lr scaled by the same factor,
 * `scheduled / baseLrs[last]`, where `scheduled` is the schedule's lr at the step (a schedule built from the last
 * group's lr). The ratios between groups hold at every step; the last group gets `scheduled` exactly.
 */
export function scaleGroupLrs(baseLrs: readonly number[], scheduled: number): number[] {
  const last = baseLrs.length - 1;
  if (last < 0) return [];
  const base = baseLrs[last];
  if (!(base > 0)) throw new RangeError(`scaleGroupLrs: the last group's lr must be positive, got ${base}`);
  return baseLrs.map((lr, g) => (g === last ? scheduled : (lr * scheduled) / base));
}
