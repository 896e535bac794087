// Issue 13, item 21: fromAlertmanagerWebhook turned `alertname: ''` and `service: ''` into alerts the
// responder rejected, so a loop over the batch broke at the first one and later alerts were never
// handled; and one unreadable alert (a number as a label value) failed the whole body. Now an empty
// label is read as an absent one (Prometheus's data model: the two are the same), which falls back
// to the documented defaults, and an alert that cannot be read is skipped, with its index and the
// reason, while the rest of the batch goes through.
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  createIncidentRecorder,
  createResponder,
  fromAlertmanagerWebhook,
  isSreError,
} from 'sre-kit';

const body = {
  version: '4',
  status: 'firing',
  alerts: [
    { labels: { alertname: '', severity: 'critical', service: 'checkout' }, fingerprint: 'f0' },
    { labels: { alertname: 'DiskFull', severity: 'critical', service: '', job: 'db' }, fingerprint: 'f1' },
    { labels: { alertname: 'Latency', service: '' }, annotations: { summary: '' }, fingerprint: 'f2' },
    { labels: { alertname: 'Broken', count: 3 }, fingerprint: 'f3' },
    { status: 'exploded', labels: { alertname: 'Weird' } },
    'not an alert',
    { labels: { alertname: 'Last', severity: 'warning', service: 'search' }, fingerprint: 'f6' },
  ],
};

describe('regression #13 (21): empty alertname/service are defaulted at ingest; a bad alert never breaks the batch', () => {
  it('reads empty labels as absent, and every alert it returns is accepted by the responder', async () => {
    const { alerts, skipped } = fromAlertmanagerWebhook(body);
    expect(alerts.map((alert) => [alert.name, alert.service, alert.summary])).toEqual([
      ['unnamed', 'checkout', 'unnamed'],
      ['DiskFull', 'db', 'DiskFull'],
      ['Latency', 'unknown', 'Latency'],
      ['Last', 'search', 'Last'],
    ]);
    expect(skipped).toEqual([
      { index: 3, fingerprint: 'f3', reason: expect.stringMatching(/^labels\.count: /) },
      { index: 4, reason: expect.stringMatching(/^status: /) },
      { index: 5, reason: expect.stringMatching(/object/) },
    ]);

    const recorder = createIncidentRecorder({ service: 'checkout' });
    const responder = createResponder({ recorder, runbooks: [], escalate: () => undefined });
    for (const alert of alerts) await responder.handle(alert);
    expect(recorder.list().map((incident) => incident.service)).toEqual([
      'checkout',
      'db',
      'unknown',
      'search',
    ]);
    await responder.close();
    await recorder.close();
  });

  it('a body that is not a webhook body at all is still an ERR_SRE_INVALID_INPUT naming the field', () => {
    for (const bad of ['nope', { alerts: 'x' }, { status: 'exploded', alerts: [] }]) {
      let error: unknown;
      try {
        fromAlertmanagerWebhook(bad);
      } catch (e) {
        error = e;
      }
      expect(isSreError(error, ErrorCode.INVALID_INPUT), JSON.stringify(bad)).toBe(true);
    }
  });
});
