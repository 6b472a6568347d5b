/**
 * Logging for the entity cache: pino, failures rate-limited per event so a dead Redis logs once per
 * interval (with a count of what it held back) instead of once per command. Never logs URLs,
 * passwords, keys or cached values.
 * @private
 */
import type { Logger } from 'pino';
import { createLogger } from '../platform/log';

export type { Logger };

/** Used when the caller passes no logger. */
export const defaultCacheLogger: Logger = createLogger('entity-cache');

export interface RateLimitedLog {
  /** Logs `event` at warn level at most once per interval; later calls within it are only counted. */
  warn(event: string, err: unknown, fields?: Record<string, unknown>): void;
  /** Logs at info level, always (for state changes such as "Redis is back"). */
  info(event: string, fields?: Record<string, unknown>): void;
}

/** `redis://user:secret@host` → `redis://***@host`, wherever it appears in a message. */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1***@');
}

/** The loggable part of an error: name, code and a redacted message; no stack, no command arguments. */
export function describeError(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, ...(typeof code === 'string' ? { code } : {}), message: redactSecrets(err.message).slice(0, 300) };
  }
  return { name: typeof err, message: redactSecrets(String(err)).slice(0, 300) };
}

export function createRateLimitedLog(logger: Logger, { intervalMs = 30_000 }: { intervalMs?: number } = {}): RateLimitedLog {
  const last = new Map<string, { at: number; suppressed: number }>();
  return {
    warn(event, err, fields) {
      const now = Date.now();
      const seen = last.get(event);
      if (seen && now - seen.at < intervalMs) {
        seen.suppressed += 1;
        return;
      }
      last.set(event, { at: now, suppressed: 0 });
      logger.warn({ event, err: describeError(err), suppressedSinceLastLog: seen?.suppressed ?? 0, ...fields }, `entity cache: ${event}`);
    },
    info(event, fields) {
      logger.info({ event, ...fields }, `entity cache: ${event}`);
    },
  };
}
