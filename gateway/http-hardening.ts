/**
 * What every listener of the gateway gets against slow or hostile clients: timeouts on the HTTP
 * server (a client that sends its headers or body a byte at a time is cut off with 408), a cap on
 * open connections, and security headers on every response (helmet, with a policy for a JSON API
 * that no page should ever frame or render).
 */
import { createServer, type OutgoingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Timeouts and limits of one HTTP listener. */
export interface HttpLimits {
  /** Time a client has to send the whole request line and headers (ms); then 408 and close. @default 10_000 */
  headersTimeoutMs?: number;
  /**
   * Time a client has to send the whole request, body included (ms); then 408 and close. Never cuts
   * a response being computed or a WebSocket (an upgraded socket leaves the HTTP parser). Must be at
   * least `headersTimeoutMs`. @default 30_000
   */
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open after a response (ms). Behind a load balancer,
   * keep it above the balancer's own idle timeout. @default 5_000
   */
  keepAliveTimeoutMs?: number;
  /**
   * Open connections accepted at once on this listener (WebSocket subscribers included); more are
   * dropped at accept. @default unlimited (size it per replica: file descriptors, memory)
   */
  maxConnections?: number;
  /** How often Node checks connections against the header and request timeouts (ms); the cut-off lands within this after the timeout. @default 1_000 */
  connectionsCheckingIntervalMs?: number;
}

export const DEFAULT_HTTP_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
} as const satisfies HttpLimits;

/** An http.Server for `app` with the timeouts and the connection cap applied. Throws when the header timeout exceeds the request timeout. */
export function createHardenedServer(app: RequestListener, limits: HttpLimits = {}): Server {
  const {
    headersTimeoutMs = DEFAULT_HTTP_LIMITS.headersTimeoutMs,
    requestTimeoutMs = DEFAULT_HTTP_LIMITS.requestTimeoutMs,
    keepAliveTimeoutMs = DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
    connectionsCheckingIntervalMs = DEFAULT_HTTP_LIMITS.connectionsCheckingIntervalMs,
    maxConnections,
  } = limits;
  if (headersTimeoutMs > requestTimeoutMs)
    throw new RangeError(`HTTP headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`);
  const server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: connectionsCheckingIntervalMs },
    app,
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  if (maxConnections !== undefined) server.maxConnections = maxConnections;
  return server;
}

/** Response headers beyond helmet's defaults. */
export interface SecurityHeaderOptions {
  /**
   * `Strict-Transport-Security` max-age in seconds. Set it only when clients reach the gateway over
   * TLS (a TLS-terminating proxy in front); unset, no HSTS header is sent. @default unset
   */
  hstsMaxAgeSeconds?: number;
}

/**
 * Helmet for a JSON API: `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`
 * (nothing the gateway answers is meant to load or be framed), `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, no `X-Powered-By`, and HSTS
 * only when configured.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: options.hstsMaxAgeSeconds !== undefined ? { maxAge: options.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    // Blocks no-cors embeds (<script>, <img>) from other sites; CORS reads by a tenant's sidebar (gateway/cors.ts) are unaffected.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/**
 * `Cache-Control: no-store` on every answer of the route, set as the headers go out so it wins over
 * anything set before (Apollo derives `max-age` from cache hints): answers carry one tenant's data
 * and must not sit in a shared or browser cache.
 */
export function noStore(): RequestHandler {
  return (_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      this.setHeader('Cache-Control', 'no-store');
      const headers = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as OutgoingHttpHeaders | undefined;
      if (headers) for (const name of Object.keys(headers)) if (name.toLowerCase() === 'cache-control') headers[name] = 'no-store';
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
