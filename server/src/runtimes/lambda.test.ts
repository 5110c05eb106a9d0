import { describe, expect } from 'vitest';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { ErrorResponse, WebChatInitResponse, WebChatRefreshResponse } from '../../../contracts/token-service.ts';
import type { RunningEmulator } from '../../../emulator/src/emulator.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from '../testing/fixtures.ts';
import type { LambdaEvent } from 'hono/aws-lambda';
import { createLambdaHandler } from './lambda.ts';

// The Lambda entry, driven with events shaped exactly as API Gateway HTTP APIs
// deliver them (payload format version 2.0, as in AWS's "Working with AWS Lambda
// proxy integrations for HTTP APIs"), against a real emulator.

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const deployment: DeploymentConfig = {
  widgetOrigin: WIDGET_ORIGIN,
  tokenUrl: 'https://abc123xyz.execute-api.eu-west-1.amazonaws.com',
  allowedDomains: ['https://shop.example.com'],
  preEngagement: testForm,
};

function lambda(emulator: RunningEmulator, env: Record<string, string> = {}) {
  const handler = createLambdaHandler({ env: { FLEX_EMULATOR_URL: emulator.url, ...env }, deployment, deps: { log: () => undefined } });
  return handler;
}

interface EventOptions {
  method: string;
  path: string;
  body?: unknown;
  base64?: boolean;
  headers?: Record<string, string>;
  sourceIp?: string;
  stage?: string;
  query?: string;
}

/** An API Gateway HTTP API (payload 2.0) event, as AWS documents it. */
function httpApiEvent({ method, path, body, base64 = false, headers = {}, sourceIp = '203.0.113.7', stage = '$default', query = '' }: EventOptions): LambdaEvent {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const rawPath = stage === '$default' ? path : `/${stage}${path}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: query,
    cookies: ['_ga=GA1.1.123.456', 'theme=dark'],
    headers: {
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'content-length': String(text === undefined ? 0 : Buffer.byteLength(text)),
      host: 'abc123xyz.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      'x-amzn-trace-id': 'Root=1-6752c0de-4b2f8e1a2c3d4e5f6a7b8c9d',
      'x-forwarded-for': `198.51.100.99, ${sourceIp}`,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123xyz',
      domainName: 'abc123xyz.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123xyz',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp, userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      requestId: 'CbZ3XhQuoAMEJ6g=',
      routeKey: '$default',
      stage,
      time: '04/Dec/2026:17:21:43 +0000',
      timeEpoch: 1796318503000,
    },
    ...(text === undefined ? {} : { body: base64 ? Buffer.from(text).toString('base64') : text }),
    isBase64Encoded: base64,
    // AWS leaves `body` out when there is none; Hono's event type insists on string | null.
  } as unknown as LambdaEvent;
}

const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'flexchat-token-service',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:flexchat-token-service',
  memoryLimitInMB: '512',
  awsRequestId: '0f2c3a4b-5d6e-7f80-91a2-b3c4d5e6f708',
  logGroupName: '/aws/lambda/flexchat-token-service',
  logStreamName: '2026/12/04/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 29_000,
};

const fromWidget = { origin: WIDGET_ORIGIN };

describe('AWS Lambda (API Gateway HTTP API, payload 2.0)', () => {
  it('starts a chat with POST /webchat/init: CORS headers, JSON body, the conversation exists in Flex', async ({ emulator }) => {
    const handler = lambda(emulator);
    const result = await handler(httpApiEvent({ method: 'POST', path: '/webchat/init', body: { preEngagementData: validSubmission }, headers: fromWidget }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': WIDGET_ORIGIN,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    const body = JSON.parse(result.body) as WebChatInitResponse;
    expect(body.identity).toMatch(/^visitor-/);
    expect(emulator.model.get(body.conversationSid).state).toBe('active');
  });

  it('decodes a base64-encoded body and refreshes, also under a named stage', async ({ emulator }) => {
    const handler = lambda(emulator);
    const init = JSON.parse(
      (await handler(httpApiEvent({ method: 'POST', path: '/webchat/init', body: { preEngagementData: validSubmission }, base64: true, headers: fromWidget }), lambdaContext)).body,
    ) as WebChatInitResponse;
    const refresh = await handler(
      httpApiEvent({
        method: 'POST',
        path: '/webchat/refresh',
        stage: 'prod',
        body: { token: init.token, identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof },
        headers: fromWidget,
      }),
      lambdaContext,
    );
    expect(refresh.statusCode).toBe(200);
    expect((JSON.parse(refresh.body) as WebChatRefreshResponse).identity).toBe(init.identity);
  });

  it('answers the CORS preflight, and refuses one from another origin', async ({ emulator }) => {
    const handler = lambda(emulator);
    const preflight = await handler(
      httpApiEvent({ method: 'OPTIONS', path: '/webchat/init', headers: { ...fromWidget, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }),
      lambdaContext,
    );
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': WIDGET_ORIGIN, 'access-control-allow-methods': 'POST,OPTIONS' });
    const foreign = await handler(
      httpApiEvent({ method: 'OPTIONS', path: '/webchat/init', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
      lambdaContext,
    );
    expect(foreign.statusCode).toBe(403);
  });

  it('serves /healthz and /readyz, and a JSON 404 for anything else', async ({ emulator }) => {
    const handler = lambda(emulator);
    const health = await handler(httpApiEvent({ method: 'GET', path: '/healthz', query: 'probe=1' }), lambdaContext);
    expect([health.statusCode, JSON.parse(health.body)]).toEqual([200, { status: 'ok', mode: 'local' }]);
    const ready = await handler(httpApiEvent({ method: 'GET', path: '/readyz' }), lambdaContext);
    expect(ready.statusCode).toBe(200);
    const missing = await handler(httpApiEvent({ method: 'GET', path: '/favicon.ico' }), lambdaContext);
    expect(missing.statusCode).toBe(404);
    expect((JSON.parse(missing.body) as ErrorResponse).error.code).toBe('not_found');
  });

  it("limits per client by API Gateway's sourceIp, not by a header the client wrote", async ({ emulator }) => {
    const handler = lambda(emulator, { FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '1' });
    const init = (sourceIp: string, forwardedFor: string) =>
      handler(
        httpApiEvent({ method: 'POST', path: '/webchat/init', body: { preEngagementData: validSubmission }, sourceIp, headers: { ...fromWidget, 'x-forwarded-for': forwardedFor } }),
        lambdaContext,
      );
    expect((await init('203.0.113.20', '192.0.2.1')).statusCode).toBe(200);
    const limited = await init('203.0.113.20', '192.0.2.2'); // a new spoofed header, the same client
    expect(limited.statusCode).toBe(429);
    expect(limited.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/), 'access-control-expose-headers': 'retry-after' });
    expect((await init('203.0.113.21', '192.0.2.1')).statusCode).toBe(200);
  });
});
