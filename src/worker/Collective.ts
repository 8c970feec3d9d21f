/** Sums a buffer in place across all ranks (the data movement; who calls it when is the coordinator's business). */
export interface Allreduce {
  readonly rank: number;
  readonly worldSize: number;
  allreduce(buf: Float32Array): Promise<void>;
  close(): Promise<void>;
}

/** The collective of a world of one: nothing to move. */
export const SOLO_ALLREDUCE: Allreduce = {
  rank: 0,
  worldSize: 1,
  allreduce: async () => {},
  close: async () => {},
};
