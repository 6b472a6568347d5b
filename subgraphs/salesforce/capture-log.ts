/**
 * Logging for a poller that runs every few seconds: a failure that repeats on every pass (Salesforce
 * down, a refused token, the daily limit reached) is logged once per interval and kind, with a count
 * of the ones held back, and the recovery once. Only an error's name, code and a short message are
 * logged: never an upstream body, a SOQL text or a credential.
 */
import type { Logger } from 'pino';
import { UpstreamError } from '../kit/errors';

/** Rate-limited logging of a poller's failed passes. */
export interface FailureLog {
  /** Logs a failure of this kind at warn level, at most once per interval; later ones are only counted. */
  failed(kind: string, err: unknown, fields?: Record<string, unknown>): void;
  /** Logs once (info) that passes work again, when a failure was logged since the last recovery. */
  recovered(fields?: Record<string, unknown>): void;
}

/** The loggable part of an error: its name, code and upstream status, and a short message. */
export function describeFailure(err: unknown): Record<string, unknown> {
  if (err instanceof UpstreamError) {
    const status = err.extensions['status'];
    return { name: err.name, code: err.code, ...(typeof status === 'number' ? { status } : {}), message: err.message.slice(0, 200) };
  }
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 200) };
  return { name: typeof err, message: String(err).slice(0, 200) };
}

/** A {@link FailureLog} writing to `log`, each kind at most once per `intervalMs` (default one minute). */
export function createFailureLog(log: Logger, { intervalMs = 60_000, clock = Date.now }: { intervalMs?: number; clock?: () => number } = {}): FailureLog {
  const last = new Map<string, { at: number; suppressed: number }>();
  let failing = false;
  return {
    failed(kind, err, fields) {
      failing = true;
      const now = clock();
      const seen = last.get(kind);
      if (seen && now - seen.at < intervalMs) {
        seen.suppressed += 1;
        return;
      }
      last.set(kind, { at: now, suppressed: 0 });
      log.warn(
        { kind, err: describeFailure(err), suppressedSinceLastLog: seen?.suppressed ?? 0, ...fields },
        `salesforce change capture: pass failed (${kind})`,
      );
    },
    recovered(fields) {
      if (!failing) return;
      failing = false;
      last.clear();
      log.info({ ...fields }, 'salesforce change capture: passes succeed again');
    },
  };
}
