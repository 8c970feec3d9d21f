/**
 * Per-channel statistics of the TRAINING split's pixels scaled to [0, 1]. A network input is
 * (pixel/255 − mean[c]) / std[c]. These numbers go into the run config so every worker normalises alike.
 */
export interface NormalizationStats {
  readonly mean: number[];
  readonly std: number[];
}
