export {
  createSaturationMonitor,
  type SaturationMonitor,
  type SaturationLimits,
  type SaturationSnapshot,
  type SaturationEvents,
  type SaturationDeps,
  type Overload,
} from './saturation-monitor.js';
export { createProcessProbe, type SaturationProbe, type SaturationReading } from './process-probe.js';
export { saturationOptionsSchema, type SaturationOptions } from './options.js';
