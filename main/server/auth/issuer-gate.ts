import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerEvents } from '../events';
import type { IssuerHealth } from './issuer-health';

/** What a client is told while the trusted issuer cannot be asked. */
export function unavailableDescription(
  issuer: string,
  problem: string,
  retryAfterSec: number,
): string {
  return (
    `This server trusts the issuer ${issuer} and cannot verify tokens until it can read that ` +
    `issuer's discovery document: ${problem.replace(/\.+$/, '')}. It asks the issuer again on ` +
    `its own (next in ${retryAfterSec} s) and on each request; retry then.`
  );
}

/**
 * In front of the protected endpoints: while the issuer is unavailable, answer 503 with the reason
 * and Retry-After (RFC 9110 §15.6.4, §10.2.3) instead of a 401 that would send the client to an
 * issuer that cannot answer. The metadata endpoint stays open: it only names the issuer.
 */
export function createIssuerGate(health: IssuerHealth, events: ServerEvents): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const status = await health.recheckIfDue();
    if (status.state === 'ready') {
      next();
      return;
    }
    const retryAfter = health.retryAfterSec();
    const problem =
      status.state === 'unavailable' ? status.problem : 'the first check is still running';
    const description = unavailableDescription(status.issuer, problem, retryAfter);
    res.set({ 'Cache-Control': 'no-store', 'Retry-After': String(retryAfter) });
    res.status(503).json({
      error: 'temporarily_unavailable',
      error_description: description,
      issuer: status.issuer,
      retry_after: retryAfter,
    });
    events.emit('verification', {
      type: 'verification',
      at: new Date().toISOString(),
      httpMethod: req.method,
      path: new URL(req.originalUrl, 'http://path.invalid').pathname,
      method: null,
      verdict: 'error',
      status: 503,
      reason: description,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };
}
