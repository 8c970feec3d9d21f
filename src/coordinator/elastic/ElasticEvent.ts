/** A change of an --elastic run's membership, as summary.json records it (elasticEvents). */
export interface ElasticEvent {
  /**
   * lost: the global step in flight when the worker was lost (redone by the others, or kept where a survivor had
   * applied it: `stepKept`); joined: the first step the new worker takes part in.
   */
  step: number;
  kind: 'lost' | 'joined';
  /** lost: the call that failed ('Step 6', 'Checksum', 'Evaluate', ...); joined: 'Join'. */
  during: string;
  /** lost: the worker's rank before; joined: its rank in the new ring. */
  rank: number;
  address: string;
  /** Workers in the ring afterwards. */
  workers: number;
  /**
   * lost: from the failed call's dispatch to its failure at the coordinator; joined: from its Join to its replica
   * being configured (training went on meanwhile). ms.
   */
  detectMs: number;
  /** lost: from the failure to the re-formed ring; joined: the pause at the step boundary to admit it. ms. */
  recoverMs: number;
  /** lost: whether the step in flight had been applied by a survivor and was kept (else it was redone). */
  stepKept?: boolean;
  /** When the coordinator noticed (Date.now()). */
  at: number;
}
