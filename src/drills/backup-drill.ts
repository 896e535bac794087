// One run of a backup validation drill: restore the latest backup, verify its integrity with the
// caller's checks (row counts, checksums), clean up, and write the journal.
import { isDeepStrictEqual } from 'node:util';
import { TimeoutError, type Clock } from '../core/index.js';
import { errorText, isoOf, type DrillBackup, type DrillJournal } from './journal.js';
import type { BackupDrillOptions, IntegrityCheck, ParsedBackupOptions } from './options.js';

/** Runs a backup drill once and returns its journal (never throws: failures are in the journal). */
export async function runBackupDrill(
  options: ParsedBackupOptions,
  raw: BackupDrillOptions,
  clock: Clock,
): Promise<DrillJournal> {
  const startedAt = clock.wallNow();
  const reasons: string[] = [];
  let abort: { reason: string; at: number } | undefined;
  let backup: DrillBackup | null = null;
  let rollback: DrillJournal['rollback'] = { ran: false, ok: null, error: null, at: null };
  const p1 = options.monitor.incidents.list({ status: ['open', 'acknowledged'], severity: 'P1' })[0];
  if (p1 !== undefined) {
    abort = { reason: `not started: P1 incident ${p1.id} (${p1.title}) is open`, at: startedAt };
    reasons.push(abort.reason);
  } else {
    const controller = new AbortController();
    const timeout = new TimeoutError(
      options.timeoutMs,
      `restore and verify took longer than ${options.timeoutMs} ms`,
    );
    let cancel = (): void => undefined;
    const expired = new Promise<never>((_, reject) => {
      cancel = clock.schedule(
        options.timeoutMs,
        () => {
          controller.abort(timeout);
          reject(timeout);
        },
        { ref: true },
      );
    });
    let restoreMs = 0;
    let restoreError: string | null = null;
    let checks: DrillBackup['checks'] = [];
    try {
      const restored = await Promise.race([
        Promise.resolve(raw.restore({ signal: controller.signal })),
        expired,
      ]);
      restoreMs = clock.wallNow() - startedAt;
      try {
        const results = await Promise.race([
          Promise.resolve(raw.verify({ signal: controller.signal, restored })),
          expired,
        ]);
        checks = judge(results);
      } catch (error) {
        reasons.push(`verify failed: ${errorText(error)}`);
      }
    } catch (error) {
      restoreMs = clock.wallNow() - startedAt;
      restoreError = errorText(error);
      reasons.push(`restore failed: ${restoreError}`);
    } finally {
      cancel();
      expired.catch(() => undefined);
    }
    for (const check of checks)
      if (!check.ok)
        reasons.push(
          `integrity check ${check.name}: expected ${String(check.expected)}, found ${String(check.actual)}`,
        );
    if (restoreError === null && checks.length === 0 && reasons.length === 0)
      reasons.push('verify returned no integrity checks: nothing was verified');
    backup = { restore: { ok: restoreError === null, durationMs: restoreMs, error: restoreError }, checks };
    if (raw.rollback !== undefined) {
      const at = clock.wallNow();
      try {
        await raw.rollback({ signal: new AbortController().signal, reason: 'completed' });
        rollback = { ran: true, ok: true, error: null, at: isoOf(at) };
      } catch (error) {
        rollback = { ran: true, ok: false, error: errorText(error), at: isoOf(at) };
        reasons.push(`the rollback failed: ${errorText(error)}`);
      }
    }
  }
  const endedAt = clock.wallNow();
  return {
    id: `${options.name}@${isoOf(startedAt)}`,
    drill: options.name,
    kind: 'backup',
    service: options.monitor.service,
    description: options.description,
    startedAt: isoOf(startedAt),
    endedAt: isoOf(endedAt),
    durationMs: endedAt - startedAt,
    verdict: abort !== undefined ? 'aborted' : reasons.length > 0 ? 'deviated' : 'passed',
    reasons,
    steadyState: { before: null, after: null },
    injections: [],
    expected: { alerts: [], incidents: [], recoveredWithinMs: null },
    actual: { alerts: [], incidents: [] },
    missing: { alerts: [], incidents: [] },
    timeToDetectMs: null,
    timeToRecoverMs: null,
    abort: abort === undefined ? null : { reason: abort.reason, at: isoOf(abort.at) },
    rollback,
    maintenanceWindow: null,
    backup,
  };
}

// Each check holds when what was found equals what was expected; a malformed entry is a failed check.
function judge(results: unknown): DrillBackup['checks'] {
  if (!Array.isArray(results))
    throw new TypeError('verify must return an array of { name, expected, actual }');
  return (results as IntegrityCheck[]).slice(0, 256).map((check, i) => {
    const name = typeof check?.name === 'string' ? check.name : `check-${i}`;
    const scalar = (v: unknown): v is string | number | boolean =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    const expected = scalar(check?.expected) ? check.expected : String(check?.expected);
    const actual = scalar(check?.actual) ? check.actual : null;
    return { name, expected, actual, ok: actual !== null && isDeepStrictEqual(expected, actual) };
  });
}
