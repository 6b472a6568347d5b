import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { REDACTED_PATHS } from '../../platform/log';

describe('log redaction', () => {
  it('should never write a credential or an identity token', () => {
    const lines: string[] = [];
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, { write: (l: string) => void lines.push(l) });
    log.info({ headers: { 'x-gateway-identity': 'tok-1', authorization: 'Bearer tok-2' }, upstream: { apiKey: 'k-3', clientSecret: 'k-4', token: 'k-5', password: 'k-6' } }, 'call');
    const out = lines.join('');
    for (const secret of ['tok-1', 'tok-2', 'k-3', 'k-4', 'k-5', 'k-6']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});
