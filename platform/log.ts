/**
 * The structured logger (pino). Credentials never reach a log line: the paths below are redacted
 * wherever they appear, and upstream clients log URLs without query strings that could carry keys.
 */
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { parseConfig } from './config';

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  '["x-gateway-identity"]',
  '*["x-gateway-identity"]',
  'headers["x-gateway-identity"]',
  '*.headers["x-gateway-identity"]',
  '*.*.headers["x-gateway-identity"]',
  '*.*.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'token',
  '*.token',
  'clientSecret',
  '*.clientSecret',
  'secret',
  '*.secret',
];

/** The levels `LOG_LEVEL` may name. */
export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof LogLevel>;

/** `LOG_LEVEL` from the environment, validated (a typo stops the process, it does not log everything). */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>> = process.env, fallback: LogLevel = 'info'): LogLevel {
  return parseConfig(LogLevel.default(fallback), env['LOG_LEVEL'] === '' ? undefined : env['LOG_LEVEL'], 'LOG_LEVEL');
}

/** The process's logger (JSON to stdout, or to `destination`), credentials redacted wherever they appear. */
export function createLogger(name: string, level: string = logLevelFrom(), destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
