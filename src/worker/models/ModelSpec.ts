/** What a built-in model needs to know about the data and the run. */
export interface ModelSpec {
  /** [height, width, channels] of one example. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Seeds the initialisers: replicas built with the same seed start identical. */
  seed: number;
}
