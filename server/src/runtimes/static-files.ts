// The widget origin's static files (dist/widget) from the same Node process as
// the token service (the container), with the response headers generated from
// the deployment config at build time (dist/server/widget-headers.json: CSP with
// frame-ancestors, caching, CORP). Token-service routes are never shadowed.
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { headersForPath, type HeaderRule } from '../../../contracts/static-headers.ts';

export interface WidgetFiles {
  /** Absolute path of the built widget (dist/widget). */
  root: string;
  rules: readonly HeaderRule[];
}

export function widgetStaticFiles(files: WidgetFiles, isServicePath: (path: string) => boolean): MiddlewareHandler {
  const serve = serveStatic({ root: files.root });
  return async (c, next) => {
    if (isServicePath(c.req.path)) return next();
    const response = await serve(c, next);
    if (!(response instanceof Response)) return; // not a file: the token service answered (404)
    for (const [name, value] of Object.entries(headersForPath(files.rules, c.req.path))) response.headers.set(name, value);
    return response;
  };
}
