import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../platform/config';
import { createLogger, logLevelFrom } from '../../platform/log';

describe('log redaction', () => {
  it('should never write a credential or an identity token, through the logger every process uses', () => {
    const lines: string[] = [];
    const log = createLogger('redaction-test', 'info', { write: (l: string) => void lines.push(l) });
    log.info(
      {
        headers: { 'x-gateway-identity': 'tok-1', authorization: 'Bearer tok-2' },
        upstream: { apiKey: 'k-3', clientSecret: 'k-4', token: 'k-5', password: 'k-6' },
      },
      'call',
    );
    log.child({ tenant: 'acme' }).warn({ request: { headers: { authorization: 'Bearer tok-7' } } }, 'nested');
    const out = lines.join('');
    for (const secret of ['tok-1', 'tok-2', 'k-3', 'k-4', 'k-5', 'k-6', 'tok-7']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('"tenant":"acme"');
  });

  it('should read LOG_LEVEL validated: a typo stops the process with the key named, it does not log everything', () => {
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ LOG_LEVEL: '' }, 'warn')).toBe('warn');
    expect(logLevelFrom({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(/Invalid LOG_LEVEL/);
  });
});
