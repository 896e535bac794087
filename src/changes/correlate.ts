import type { Change, ChangeKind } from './change.js';
import { KIND_WEIGHTS, type ParsedChangeLogOptions } from './options.js';

// Which changes probably caused an incident. Each change started before the incident opened, and no
// longer than `lookbackMs` before, gets a score in (0, 1], the product of four factors:
//
//   score = time × service × kind × signal
//   time    = 0.5 ^ (Δ / halfLifeMs), Δ = opening − the change's end (its start while unfinished), ≥ 0
//   service = 1 same service; 0.6 a service the incident's depends on; 0.4 a service that depends on
//             the incident's; 0.2 any other
//   kind    = deploy 1, config 0.9, flag 0.8, infra 0.7, rollback 0.3 (a rollback usually ends trouble)
//   signal  = 0.5 + 0.5 × strength / strongest when a golden signal stepped up after the change (1 for
//             the change the step fits best, by the reader's strength), 0.5 when the signals were read
//             and did not step, 0.75 when they could not be read
//
// A product, so one weak factor (another service, a day ago) cannot be made up by the others. The top
// three are reported, each with the reasons behind its factors.

/** The most correlated changes reported per incident. */
export const MAX_CORRELATED = 3;

/** What correlation reads of an incident (an `Incident` from the recorder fits). */
export interface CorrelationIncident {
  /** When it opened, epoch ms. */
  readonly openedAt: number;
  /** The service it affects. @default the change log's service */
  readonly service?: string | undefined;
}

/** Whether a golden signal stepped up after a change, and the evidence. */
export interface SignalStep {
  readonly stepped: boolean;
  /**
   * How well a step at this change explains the signal (≥ 0; e.g. a change-point log-likelihood
   * ratio): of several changes the signal stepped after, the strongest is the one it followed.
   */
  readonly strength: number;
  /** The reading, one phrase: `SLO availability: bad 0.1 % before, 2.3 % after`. */
  readonly evidence: string;
}

/** Reads whether a golden signal stepped up after `change`; `undefined` when it cannot tell. */
export type SignalStepReader = (change: Change) => SignalStep | undefined;

/** Each factor of a correlation score, 0 to 1. */
export interface CorrelationFactors {
  readonly time: number;
  readonly service: number;
  readonly kind: number;
  readonly signal: number;
}

/** A change correlated with an incident. */
export interface CorrelatedChange {
  readonly change: Change;
  /** time × service × kind × signal, 0 to 1, rounded to 3 decimals. */
  readonly score: number;
  readonly factors: CorrelationFactors;
  /** One phrase per factor: `opened 4 min after deploy-812 finished`, `same service`, ... */
  readonly reasons: readonly string[];
}

const KIND_NOUNS: Record<ChangeKind, string> = {
  deploy: 'a deploy',
  config: 'a config change',
  flag: 'a feature-flag change',
  infra: 'an infrastructure change',
  rollback: 'a rollback',
};

/**
 * The changes of `changes` (sorted by start) most likely behind `incident`, best first, at most
 * `limit`; ties go to the most recent change.
 */
export function correlateChanges(
  changes: readonly Change[],
  incident: CorrelationIncident,
  options: ParsedChangeLogOptions,
  signalStep: SignalStepReader | undefined,
  limit: number = MAX_CORRELATED,
): CorrelatedChange[] {
  const service = incident.service ?? options.service;
  const from = incident.openedAt - options.lookbackMs;
  const candidates: { change: Change; step: SignalStep | undefined }[] = [];
  let strongest = 0;
  for (const change of changes) {
    if (change.startedAt > incident.openedAt) break; // sorted by start: none later qualifies
    // Within the lookback by its end (by its start while it has no end).
    if ((change.finishedAt ?? change.startedAt) < from) continue;
    const step = readStep(signalStep, change);
    if (step?.stepped === true) strongest = Math.max(strongest, step.strength);
    candidates.push({ change, step });
  }
  const scored = candidates.map(({ change, step }) =>
    score(change, step, strongest, incident.openedAt, service, options),
  );
  scored.sort((a, b) => b.score - a.score || b.change.startedAt - a.change.startedAt);
  return scored.slice(0, limit);
}

function readStep(reader: SignalStepReader | undefined, change: Change): SignalStep | undefined {
  try {
    const step = reader?.(change);
    // A reader that fails, or answers nonsense, says nothing.
    return step !== undefined && Number.isFinite(step.strength) && step.strength >= 0 ? step : undefined;
  } catch {
    return undefined;
  }
}

function score(
  change: Change,
  step: SignalStep | undefined,
  strongest: number,
  openedAt: number,
  service: string,
  options: ParsedChangeLogOptions,
): CorrelatedChange {
  const reasons: string[] = [];
  // Still going when the incident opened: no time had passed since it could have done harm.
  const unfinished =
    change.finishedAt === undefined ? change.status === 'in_progress' : change.finishedAt > openedAt;
  const delta = unfinished ? 0 : openedAt - (change.finishedAt ?? change.startedAt);
  const time = Math.pow(0.5, delta / options.halfLifeMs);
  reasons.push(
    unfinished
      ? `${change.id} was still in progress when the incident opened`
      : `opened ${describeMs(delta)} after ${change.id} ${change.finishedAt === undefined ? 'started' : 'finished'}`,
  );
  let relation: number;
  if (change.service === service) {
    relation = 1;
    reasons.push(`same service (${service})`);
  } else if (options.dependencies[service]?.includes(change.service) === true) {
    relation = 0.6;
    reasons.push(`${service} depends on ${change.service}`);
  } else if (options.dependencies[change.service]?.includes(service) === true) {
    relation = 0.4;
    reasons.push(`${change.service} depends on ${service}`);
  } else {
    relation = 0.2;
    reasons.push(`another service (${change.service})`);
  }
  const kind = KIND_WEIGHTS[change.kind];
  reasons.push(`${KIND_NOUNS[change.kind]}${change.version === undefined ? '' : ` of ${change.version}`}`);
  let signal = 0.75;
  if (step !== undefined) {
    signal = !step.stepped ? 0.5 : strongest > 0 ? 0.5 + (0.5 * step.strength) / strongest : 1;
    reasons.push(
      step.stepped
        ? `a golden signal stepped up after it (${step.evidence})`
        : `no golden signal stepped up after it (${step.evidence})`,
    );
  }
  const factors = { time, service: relation, kind, signal };
  return {
    change,
    score: Math.round(time * relation * kind * signal * 1000) / 1000,
    factors,
    reasons,
  };
}

/** A duration for a reason: `45 s`, `4 min`, `2.5 h`. */
export function describeMs(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
