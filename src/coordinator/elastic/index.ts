/** --elastic: going on without a lost worker, and admitting one that joins again. */
export { ElasticCluster, type ElasticOptions, type Membership } from './ElasticCluster.js';
export type { ElasticEvent } from './ElasticEvent.js';
