/**
 * Steps per epoch for `trainExamples` examples in global batches of `batchSize`: ceil(N/B), the last batch partial,
 * as fastai 0.7's DataLoader and PyTorch's default; floor(N/B) with `dropLast`. The coordinator (the schedule's
 * length) and every worker's data loader count the same way from here.
 */
export function epochLength(trainExamples: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(trainExamples / batchSize) : Math.ceil(trainExamples / batchSize);
}

/** Examples in global batch `batchInEpoch` of an epoch: `batchSize`, or what is left for the last, partial one. */
export function batchExamples(trainExamples: number, batchSize: number, batchInEpoch: number): number {
  return Math.max(0, Math.min(batchSize, trainExamples - batchInEpoch * batchSize));
}
