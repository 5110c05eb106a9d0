import type { DeploymentKeyInfo } from '../../../contracts/agent-api.ts';
import { DeploymentKeyError, type DeploymentKey, type DeploymentKeyStore } from '../flex/hosted-webchat.ts';
import { HttpError, jsonBody, type HttpRequest, type Router } from '../http/http-kit.ts';

// The console's Webchat page, as part of the agent/admin API: create, list, change
// and delete Webchat 3 deployment keys (each with at most 10 allowed origins).
//   GET    /agent/deployment-keys
//   POST   /agent/deployment-keys         { allowedOrigins: string[], key?: "CV…", friendlyName? }
//   POST   /agent/deployment-keys/:key    { allowedOrigins: string[] }
//   DELETE /agent/deployment-keys/:key
// Errors are { error: { code, message } } like the rest of the agent API.

function apiError(status: number, code: string, message: string): HttpError {
  return new HttpError({ status, body: { error: { code, message } } });
}

const describe = (record: DeploymentKey): DeploymentKeyInfo => ({ ...record, allowedOrigins: [...record.allowedOrigins] });

function input(request: HttpRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = jsonBody(request);
  } catch {
    throw apiError(400, 'invalid_json', 'The body must be JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError(400, 'invalid_body', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DeploymentKeyError) throw apiError(400, 'invalid_deployment_key', error.message);
    throw error;
  }
}

export function registerDeploymentKeysApi(router: Router, keys: DeploymentKeyStore): void {
  router.add('GET', '/agent/deployment-keys', () => ({ status: 200, body: { deploymentKeys: keys.list().map(describe) } }));
  router.add('POST', '/agent/deployment-keys', (request) => {
    const body = input(request);
    const record = guarded(() =>
      keys.create({
        allowedOrigins: body.allowedOrigins,
        ...(body.key !== undefined ? { key: body.key } : {}),
        ...(body.friendlyName !== undefined ? { friendlyName: body.friendlyName } : {}),
      }),
    );
    return { status: 201, body: describe(record) };
  });
  router.add('POST', '/agent/deployment-keys/:key', (request) => {
    const key = request.params.key as string;
    if (!keys.get(key)) throw apiError(404, 'deployment_key_not_found', `No deployment key ${key.slice(0, 40)}`);
    const body = input(request);
    return { status: 200, body: describe(guarded(() => keys.update(key, { allowedOrigins: body.allowedOrigins }))) };
  });
  router.add('DELETE', '/agent/deployment-keys/:key', (request) => {
    const key = request.params.key as string;
    if (!keys.remove(key)) throw apiError(404, 'deployment_key_not_found', `No deployment key ${key.slice(0, 40)}`);
    return { status: 204 };
  });
}
