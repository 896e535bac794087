export {
  createAnomalyDetector,
  type AnomalyDetector,
  type AnomalyDetectorEvents,
  type AnomalyDetectorStats,
  type AnomalyEvidence,
  type AnomalyState,
  type AnomalyStatus,
} from './anomaly-detector.js';
export {
  anomalyDetectorOptionsSchema,
  type AnomalyDetectorOptions,
  type AnomalySignalOptions,
} from './options.js';
export type { AnomalyPrediction } from './prediction.js';
export type { AnomalyDetectorSnapshot, AnomalySignalSnapshot, AnomalyLevelSnapshot } from './snapshot.js';
