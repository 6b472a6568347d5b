/**
 * One HTTP exchange with an upstream, with a time budget, over Node's keep-alive connection pool
 * (undici's global dispatcher reuses sockets per origin). Network failures and timeouts become
 * coded UpstreamErrors; the body comes back as `unknown` for the client module to narrow.
 */
import { inClientSpan, spanUrlPath } from '../../platform/tracing';
import { ErrorCode, UpstreamError, type Upstream } from './errors';

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` when the body is not JSON (see `text`). */
  json: unknown;
  text: string;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Budget for this exchange in ms. */
  timeoutMs: number;
  /** The caller's signal (the GraphQL request going away). */
  signal?: AbortSignal;
  /** `manual`: a redirect comes back as the 3xx answer (an API that redirects is misconfigured). @default 'follow' */
  redirect?: 'follow' | 'manual';
}

/**
 * The exchange, in an upstream span when tracing is on (`upstream`, `http.request.method`, `url.path`
 * without query string and with record ids as `{id}`, `http.response.status_code`, `error.type` =
 * the error code): never headers, bodies or credentials.
 */
export function upstreamFetch(upstream: Upstream, url: string, req: UpstreamRequest): Promise<UpstreamResponse> {
  const method = req.method ?? 'GET';
  return inClientSpan(
    `${method} ${upstream}`,
    `subgraph:${upstream}`,
    { upstream, 'http.request.method': method, 'url.path': spanUrlPath(url) },
    () => exchange(upstream, url, req),
    {
      describe: (res) => ({ 'http.response.status_code': res.status }),
      errorType: (err) => (err instanceof UpstreamError ? err.code : undefined),
    },
  );
}

async function exchange(upstream: Upstream, url: string, req: UpstreamRequest): Promise<UpstreamResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: req.method ?? 'GET', headers: req.headers, body: req.body, signal, redirect: req.redirect ?? 'follow' });
    text = await res.text();
  } catch (cause) {
    if (deadline.aborted) throw new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, upstream, `${upstream} did not answer within ${req.timeoutMs} ms`, { cause });
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, upstream, `${upstream} could not be reached`, { cause });
  }
  let json: unknown;
  if (/\bjson\b/i.test(res.headers.get('content-type') ?? '') && text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, upstream, `${upstream} answered with an unreadable body`, { status: res.status });
    }
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or odd. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
