// The maintenance calendar on the alert path: `active()` and `silencing()` over 100 windows (60
// recurring in four time zones, 40 one-off), against the floor of 100 plain [start, end) comparisons,
// and against what one window would cost per call without its memo (an Intl wall-clock reading).
// The bar: active() with 100 windows at most 5 µs.
import { createMaintenanceCalendar, type Alert } from '../src/index.js';
import { compare, formatNs, report } from './harness.js';

const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];
const calendar = createMaintenanceCalendar({ maxWindows: 100 });
const now = Date.now();
for (let i = 0; i < 60; i++)
  calendar.add({
    id: `recurring-${i}`,
    title: 'Weekly restart',
    matchers: [`service="svc-${i}"`, 'component=~"db|cache"'],
    recurring: {
      weekdays: [['sunday', 'saturday', 'monday:friday'][i % 3]!],
      times: [
        {
          start: `${String(i % 24).padStart(2, '0')}:00`,
          end: `${String((i + 2) % 24).padStart(2, '0')}:30`,
        },
      ],
      timeZone: zones[i % zones.length]!,
    },
    createdBy: 'bench',
  });
for (let i = 0; i < 40; i++)
  calendar.add({
    id: `once-${i}`,
    title: 'Migration',
    matchers: [`service="svc-${i}"`],
    start: now - 3_600_000 + i * 60_000,
    end: now + i * 3_600_000,
    createdBy: 'bench',
  });

const spans = Array.from({ length: 100 }, (_, i) => ({ start: now - i * 1_000, end: now + i * 60_000 }));
const alert: Alert = {
  name: 'DbDown',
  severity: 'critical',
  service: 'svc-7',
  summary: '',
  labels: { component: 'db' },
};
const berlin = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Berlin',
  hour: 'numeric',
  minute: 'numeric',
});

const [, active] = await compare('maintenance calendar, 100 windows', {
  baseline: {
    name: '100 plain [start, end) comparisons',
    fn: () => {
      const t = Date.now();
      let open = 0;
      for (const s of spans) if (t >= s.start && t < s.end) open++;
      return open;
    },
  },
  cases: [
    { name: 'calendar.active()', fn: () => calendar.active() },
    { name: 'calendar.silencing(alert, now)', fn: () => calendar.silencing(alert, Date.now()) },
    { name: 'one Intl wall-clock reading (no memo)', fn: () => berlin.formatToParts(Date.now()) },
  ],
});
report('active() with 100 windows', `${formatNs(active!.medianNs)} median (bar: 5 µs)`);
