import { HttpError, jsonBody, type Router } from '../http/http-kit.ts';
import type { ConnectionSummary } from '../twilsock/hub.ts';
import type { Faults } from './faults.ts';

// HTTP API for fault injection. JSON in and out; errors { error: { code, message } }.

export interface FaultTargets {
  faults: Faults;
  dropConnections(): number;
  expireTokens(): number;
  /** Warns now, closes with 410 after `inMs` unless the client updated its token. */
  expireTokensSoon(inMs: number): number;
  connections(): ConnectionSummary[];
  reset(): void;
}

function invalid(message: string): HttpError {
  return new HttpError({ status: 400, body: { error: { code: 'invalid_fault', message } } });
}

function integerIn(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function registerFaultApi(router: Router, targets: FaultTargets): void {
  router.add('GET', '/faults', () => ({ status: 200, body: targets.faults.describe() }));

  router.add('POST', '/faults/drop-sockets', () => ({ status: 200, body: { dropped: targets.dropConnections() } }));

  router.add('POST', '/faults/expire-tokens', (request) => {
    const input = (jsonBody(request) ?? {}) as { inMs?: unknown };
    if (input.inMs === undefined) return { status: 200, body: { expired: targets.expireTokens() } };
    const inMs = integerIn(input.inMs, 'inMs', 0, 600_000);
    return { status: 200, body: { warned: targets.expireTokensSoon(inMs), closeInMs: inMs } };
  });

  router.add('GET', '/faults/connections', () => ({ status: 200, body: { connections: targets.connections() } }));

  router.add('POST', '/faults/latency', (request) => {
    const input = (jsonBody(request) ?? {}) as { ms?: unknown };
    targets.faults.latencyMs = integerIn(input.ms, 'ms', 0, 30_000);
    return { status: 200, body: targets.faults.describe() };
  });

  router.add('POST', '/faults/fail', (request) => {
    const input = (jsonBody(request) ?? {}) as { method?: unknown; path?: unknown; count?: unknown; status?: unknown; code?: unknown; message?: unknown };
    if (typeof input.path !== 'string' || input.path === '' || input.path.length > 500) throw invalid('path must be a non-empty string (matched as a substring of the request path)');
    if (input.method !== undefined && (typeof input.method !== 'string' || !/^[A-Za-z]{3,7}$/.test(input.method))) throw invalid('method must be an HTTP method');
    if (input.message !== undefined && (typeof input.message !== 'string' || input.message.length > 500)) throw invalid('message must be a string');
    const rule = targets.faults.failNext({
      ...(typeof input.method === 'string' ? { method: input.method } : {}),
      path: input.path,
      count: integerIn(input.count, 'count', 1, 1000, 1),
      status: integerIn(input.status, 'status', 400, 599, 503),
      ...(input.code !== undefined ? { code: integerIn(input.code, 'code', 1, 99_999) } : {}),
      ...(typeof input.message === 'string' ? { message: input.message } : {}),
    });
    return { status: 201, body: { rule } };
  });

  router.add('POST', '/faults/reset', () => {
    targets.reset();
    return { status: 200, body: { reset: true } };
  });
}
