/**
 * The contiguous part [start, end) of `total` items that rank `rank` of `worldSize` takes: sizes differ by at
 * most 1 and the lower ranks get the larger parts. The ranks' parts tile 0..total in rank order.
 */
export function shardRange(total: number, rank: number, worldSize: number): { start: number; end: number } {
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new RangeError(`shardRange: world size ${worldSize} < 1`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
    throw new RangeError(`shardRange: rank ${rank} outside 0..${worldSize - 1}`);
  }
  const base = Math.floor(total / worldSize);
  const extra = total % worldSize;
  const start = rank * base + Math.min(rank, extra);
  return { start, end: start + base + (rank < extra ? 1 : 0) };
}
