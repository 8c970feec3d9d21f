/** --elastic: going on without a lost worker, and admitting one that joins again. */
export { ElasticCluster } from './ElasticCluster.js';
export type { ElasticEvent } from './ElasticEvent.js';
