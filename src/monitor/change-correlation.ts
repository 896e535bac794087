import type { InternalErrorHandler } from '../core/index.js';
import type { ChangeLog, CorrelatedChange } from '../changes/index.js';
import type { Incident, IncidentRecorder, RelatedChange } from '../incidents/index.js';
import type { SloTracker } from '../slo/index.js';
import { sloSignalReader } from './change-signals.js';

// On every incident opened (or reopened) through the monitor's recorder, automatic or by hand, the
// changes that most likely caused it are attached: as `relatedChanges` (the incident report's
// `related_changes`) and as one timeline note a responder reads first.

/** What {@link ChangeCorrelator} needs. */
export interface ChangeCorrelatorOptions {
  readonly recorder: IncidentRecorder;
  readonly changes: ChangeLog;
  readonly slos: readonly SloTracker[];
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/** Attaches correlated changes to incidents as they open. */
export class ChangeCorrelator {
  readonly #options: ChangeCorrelatorOptions;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: ChangeCorrelatorOptions) {
    this.#options = options;
  }

  /** Listens to the recorder; returns the unsubscribe functions. */
  subscribe(): (() => void)[] {
    const { recorder } = this.#options;
    const attach = ({ incident }: { readonly incident: Incident }): void =>
      this.#track(this.#attach(incident));
    return [recorder.on('opened', attach), recorder.on('reopened', attach)];
  }

  /** The changes most likely behind `incident` now, with golden-signal evidence from the SLOs. */
  correlate(incident: Incident): CorrelatedChange[] {
    const { changes, slos, onError, source } = this.#options;
    return changes.correlate(incident, {
      signalStep: sloSignalReader(slos, incident.openedAt, onError, source),
    });
  }

  /** Waits until every attachment begun so far has been written. */
  async settle(): Promise<void> {
    for (let i = 0; i < 100 && this.#pending.size > 0; i++) await Promise.all(this.#pending);
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #attach(incident: Incident): Promise<void> {
    const { recorder, onError, source } = this.#options;
    try {
      const found = this.correlate(incident);
      const related: RelatedChange[] = found.map(({ change, score, reasons }) => ({
        id: change.id,
        kind: change.kind,
        service: change.service,
        ...(change.version === undefined ? {} : { version: change.version }),
        startedAt: change.startedAt,
        ...(change.finishedAt === undefined ? {} : { finishedAt: change.finishedAt }),
        score,
        reasons: [...reasons],
      }));
      await recorder.update(incident.id, { relatedChanges: related, by: 'monitor' });
      await recorder.note(incident.id, describe(found), { by: 'monitor' });
    } catch (error) {
      onError(error, { source, task: `correlate changes with ${incident.id}` });
    }
  }
}

/** The timeline note: `Changes before this incident: deploy-812 (score 0.72: …); …`. */
function describe(found: readonly CorrelatedChange[]): string {
  if (found.length === 0) return 'No change was recorded in the lookback before this incident.';
  return `Changes before this incident, most suspected first: ${found
    .map((c) => `${c.change.id} (score ${c.score}: ${c.reasons.join(', ')})`)
    .join('; ')}.`;
}
