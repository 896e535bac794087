// `sre-kit/cluster`: one set of numbers for a process group. Workers (node:cluster workers or worker
// threads) report what they recorded since their last report; the primary merges the reports into its
// own trackers and serves them. This entry never loads express or fastify.

export { createClusterWorker, type ClusterWorker, type ClusterWorkerOptions } from './worker.js';
export {
  createClusterPrimary,
  type ClusterPrimary,
  type ClusterPrimaryOptions,
  type ClusterPrimaryStats,
  type ClusterWorkerInfo,
} from './primary.js';
export { CLUSTER_REPORT_TYPE, isClusterReport, type ClusterReport } from './report.js';
