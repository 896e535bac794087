// What a maintenance job's runs are recorded as, and the bounded ring that holds them.

/** How a run ended. */
export type JobOutcome = 'ok' | 'failed' | 'timed_out' | 'skipped_overlap' | 'missed';

/** Every outcome, in the order metrics list them. */
export const JOB_OUTCOMES: readonly JobOutcome[] = Object.freeze([
  'ok',
  'failed',
  'timed_out',
  'skipped_overlap',
  'missed',
]);

/** One run of a job (or one it did not run: `skipped_overlap`, `missed`). Times are epoch ms. */
export interface JobRun {
  readonly job: string;
  /** The time the schedule named (for a manual `trigger`, when it was asked). */
  readonly scheduledAt: number;
  /** When it started, or, when it did not run, when that was decided. */
  readonly startedAt: number;
  /** When it ended (for `timed_out`, when its time ran out), or when it was skipped or missed. */
  readonly finishedAt: number;
  readonly durationMs: number;
  /** How long after `scheduledAt` it started (or was decided). */
  readonly lateMs: number;
  readonly outcome: JobOutcome;
  /** Why it failed, timed out, was skipped or missed; `null` when it ran fine. */
  readonly error: string | null;
  /** What the job said it did: the string it returned (at most 500 characters), or `null`. */
  readonly note: string | null;
  /** The maintenance windows open when it started. */
  readonly windows: readonly string[];
}

/** The most characters of a note or error kept. */
export const MAX_TEXT = 500;

/** `text` cut to {@link MAX_TEXT} characters. */
export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** A bounded ring of runs, oldest dropped first, plus lifetime counts per outcome. */
export class RunLog {
  readonly #runs: (JobRun | undefined)[];
  #head = 0;
  #size = 0;
  readonly counts: Record<JobOutcome, number> = {
    ok: 0,
    failed: 0,
    timed_out: 0,
    skipped_overlap: 0,
    missed: 0,
  };
  last: JobRun | undefined;
  lastSuccess: JobRun | undefined;

  constructor(capacity: number) {
    this.#runs = new Array<JobRun | undefined>(capacity);
  }

  add(run: JobRun): void {
    this.#runs[this.#head] = run;
    this.#head = (this.#head + 1) % this.#runs.length;
    if (this.#size < this.#runs.length) this.#size++;
    this.counts[run.outcome]++;
    this.last = run;
    if (run.outcome === 'ok') this.lastSuccess = run;
  }

  /** The runs held, oldest first. */
  list(): JobRun[] {
    const out: JobRun[] = [];
    const capacity = this.#runs.length;
    const start = (this.#head - this.#size + capacity) % capacity;
    for (let i = 0; i < this.#size; i++) {
      const run = this.#runs[(start + i) % capacity];
      if (run !== undefined) out.push(run);
    }
    return out;
  }
}
