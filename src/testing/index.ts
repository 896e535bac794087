// sre-kit/testing: test doubles for users' own tests.
export { createFakeClock, type FakeClock, type FakeClockOptions, type FakeTimerInfo } from './fake-clock.js';
export {
  createMemoryIncidentStore,
  type MemoryIncidentStore,
  type MemoryIncidentStoreOptions,
} from '../incidents/memory-store.js';
