/** One split (train or test) of an image classification dataset, held as raw bytes. */
export interface DatasetSplit {
  /** Dataset and split, e.g. `fashion-mnist-sample/train`. */
  readonly name: string;
  /**
   * uint8 pixels in NHWC order: example i, row y, column x, channel c is at ((i*height + y)*width + x)*channels + c.
   * The readers back it with a SharedArrayBuffer so batch-assembly threads can read it without a copy.
   */
  readonly pixels: Uint8Array;
  /** One class index per example, each < numClasses. */
  readonly labels: Uint8Array;
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
}

/** What `loadDataset` returns: the training split and the held-out split used for validation. */
export interface DatasetSplits {
  /** e.g. `fashion-mnist-sample`, `fashion-mnist`, `cifar10`, `idx`. */
  readonly name: string;
  /** Where it was read from (a directory). */
  readonly source: string;
  readonly train: DatasetSplit;
  readonly test: DatasetSplit;
}
