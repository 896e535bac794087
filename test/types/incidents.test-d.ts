import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createAlertRouter,
  createFileIncidentStore,
  createIncidentRecorder,
  createResponder,
  pagerDutyNotifier,
  type AlertRouterOptions,
  type FileIncidentStoreOptions,
  type Incident,
  type IncidentRecorder,
  type IncidentRecorderOptions,
  type IncidentReport,
  type IncidentStore,
  type Notifier,
  type PagerDutyNotifierOptions,
  type ResponderOptions,
  type ResponseResult,
  type SlackNotifierOptions,
  type WebhookNotifierOptions,
} from 'sre-kit';
import { createMemoryIncidentStore, type MemoryIncidentStore } from 'sre-kit/testing';
import type { alertRouterOptionsSchema } from '../../src/incidents/alert-router-options.js';
import type { fileIncidentStoreOptionsSchema } from '../../src/incidents/file-store.js';
import type { pagerDutyNotifierOptionsSchema } from '../../src/incidents/pagerduty-notifier.js';
import type { incidentRecorderOptionsSchema } from '../../src/incidents/recorder.js';
import type { responderOptionsSchema } from '../../src/incidents/responder.js';
import type { slackNotifierOptionsSchema } from '../../src/incidents/slack-notifier.js';
import type { webhookNotifierOptionsSchema } from '../../src/incidents/webhook-notifier.js';

// The hand-written options interfaces and their zod schemas name the same fields.
type Keys<T> = keyof T & string;

describe('incidents types', () => {
  it('options interfaces match their schemas field for field', () => {
    expectTypeOf<Keys<IncidentRecorderOptions>>().toEqualTypeOf<
      Keys<z.input<typeof incidentRecorderOptionsSchema>>
    >();
    expectTypeOf<Keys<FileIncidentStoreOptions>>().toEqualTypeOf<
      Keys<z.input<typeof fileIncidentStoreOptionsSchema>>
    >();
    expectTypeOf<Keys<ResponderOptions>>().toEqualTypeOf<Keys<z.input<typeof responderOptionsSchema>>>();
    expectTypeOf<Keys<AlertRouterOptions>>().toEqualTypeOf<Keys<z.input<typeof alertRouterOptionsSchema>>>();
    expectTypeOf<Keys<AlertRouterOptions['routes'][number]>>().toEqualTypeOf<
      Keys<z.input<typeof alertRouterOptionsSchema>['routes'][number]>
    >();
    expectTypeOf<Keys<PagerDutyNotifierOptions>>().toEqualTypeOf<
      Keys<z.input<typeof pagerDutyNotifierOptionsSchema>>
    >();
    expectTypeOf<Keys<WebhookNotifierOptions>>().toEqualTypeOf<
      Keys<z.input<typeof webhookNotifierOptionsSchema>>
    >();
    expectTypeOf<Keys<SlackNotifierOptions>>().toEqualTypeOf<
      Keys<z.input<typeof slackNotifierOptionsSchema>>
    >();
    // Scalar fields agree in type too.
    expectTypeOf<IncidentRecorderOptions['reopenWindowMs']>().toEqualTypeOf<
      z.input<typeof incidentRecorderOptionsSchema>['reopenWindowMs']
    >();
    expectTypeOf<FileIncidentStoreOptions['fsync']>().toEqualTypeOf<
      z.input<typeof fileIncidentStoreOptionsSchema>['fsync']
    >();
    expectTypeOf<AlertRouterOptions['groupWaitMs']>().toEqualTypeOf<
      z.input<typeof alertRouterOptionsSchema>['groupWaitMs']
    >();
  });

  it('factories return interfaces', () => {
    expectTypeOf(createIncidentRecorder).returns.toEqualTypeOf<IncidentRecorder>();
    expectTypeOf(createFileIncidentStore).returns.toEqualTypeOf<IncidentStore>();
    expectTypeOf(createMemoryIncidentStore()).toEqualTypeOf<MemoryIncidentStore>();
    expectTypeOf<MemoryIncidentStore>().toExtend<IncidentStore>();
    expectTypeOf(pagerDutyNotifier).returns.toExtend<Notifier>();
    expectTypeOf(createResponder).parameter(0).toEqualTypeOf<ResponderOptions>();
    expectTypeOf(createAlertRouter).parameter(0).toEqualTypeOf<AlertRouterOptions>();
  });

  it('events and results are typed', () => {
    const recorder = createIncidentRecorder({ service: 's' });
    recorder.on('opened', ({ incident }) => {
      expectTypeOf(incident).toEqualTypeOf<Incident>();
    });
    recorder.on('updated', ({ change }) => {
      expectTypeOf(change).toEqualTypeOf<'occurred' | 'noted' | 'updated'>();
    });
    // @ts-expect-error not an event
    recorder.on('closed', () => {});
    expectTypeOf(recorder.report('x')).toEqualTypeOf<IncidentReport>();
    // @ts-expect-error severities are P1–P5
    void recorder.open({ title: 't', severity: 'P6' });
    const result = {} as ResponseResult;
    if (result.outcome === 'suppressed') expectTypeOf(result.incident).toEqualTypeOf<Incident | undefined>();
    else expectTypeOf(result.incident).toEqualTypeOf<Incident>();
  });
});
