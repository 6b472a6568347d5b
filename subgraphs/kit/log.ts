/**
 * The structured logger (pino). Credentials never reach a log line: the paths below are redacted
 * wherever they appear, and upstream clients log URLs without query strings that could carry keys.
 */
import pino, { type Logger } from 'pino';

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

export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
