// The token source setting: the token service stays the default (and keeps
// needing tokenUrl); "hosted" needs a deployment key, needs no tokenUrl, and
// refuses what only the token service can do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { widgetDocumentHeaders } from '../widget/deploy/security-headers.ts';
import { defaultConfigPath } from './load.ts';
import { hostedApiBase, hostedConnectOrigins, regionalHost, tokenSourceOf } from './token-source.ts';
import type { DeploymentConfig } from './types.ts';
import { validateDeploymentConfig } from './validate.ts';

const base = (): Record<string, unknown> => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as Record<string, unknown>;
const KEY = 'CV' + 'ab'.repeat(16);
const problemsOf = (config: unknown) => {
  const result = validateDeploymentConfig(config);
  return result.ok ? [] : result.problems;
};
const withoutTokenUrl = () => {
  const config = base();
  delete config.tokenUrl;
  return config;
};

describe('tokenSource', () => {
  it('defaults to the token service: the shipped config is valid and resolves to its tokenUrl', () => {
    const result = validateDeploymentConfig(base());
    expect(result.ok).toBe(true);
    expect(tokenSourceOf(result.ok ? result.config : ({} as DeploymentConfig))).toEqual({ type: 'tokenService', tokenUrl: 'http://127.0.0.1:4020' });
    expect(problemsOf({ ...base(), tokenSource: { type: 'tokenService' } })).toEqual([]);
  });

  it('the token service still needs tokenUrl, and takes no hosted settings', () => {
    expect(problemsOf(withoutTokenUrl())).toEqual([{ path: '/tokenUrl', message: 'is required (the token service), unless tokenSource.type is "hosted"' }]);
    expect(problemsOf({ ...base(), tokenSource: { type: 'tokenService', deploymentKey: KEY } })).toEqual([
      { path: '/tokenSource/deploymentKey', message: 'is only for tokenSource.type "hosted"' },
    ]);
  });

  it('hosted needs a deployment key and no tokenUrl', () => {
    const hosted = { ...withoutTokenUrl(), tokenSource: { type: 'hosted', deploymentKey: KEY, region: 'ie1' } };
    const result = validateDeploymentConfig(hosted);
    expect(result.ok).toBe(true);
    expect(tokenSourceOf(result.ok ? result.config : ({} as DeploymentConfig))).toEqual({ type: 'hosted', deploymentKey: KEY, region: 'ie1' });
    expect(problemsOf({ ...withoutTokenUrl(), tokenSource: { type: 'hosted' } })).toContainEqual({
      path: '/tokenSource/deploymentKey',
      message: 'is required with tokenSource.type "hosted" (Flex console: Channel management > Webchat)',
    });
  });

  it('hosted refuses a malformed key or region, an emulator that is not local, and leaving messages offline', () => {
    const hosted = (tokenSource: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...withoutTokenUrl(), tokenSource: { type: 'hosted', deploymentKey: KEY, ...tokenSource }, ...extra });
    expect(problemsOf(hosted({ deploymentKey: 'has spaces in it' }))[0]?.path).toBe('/tokenSource/deploymentKey');
    expect(problemsOf(hosted({ region: 'Ireland' }))[0]?.path).toBe('/tokenSource/region');
    expect(problemsOf(hosted({ emulatorUrl: 'https://flex.example.com' }))[0]?.path).toBe('/tokenSource/emulatorUrl');
    expect(problemsOf(hosted({ emulatorUrl: 'http://127.0.0.1:4010' }))).toEqual([]);
    expect(problemsOf(hosted({}, { offline: { mode: 'leaveMessage' } }))).toEqual([
      { path: '/offline/mode', message: 'must be "closedMessage" with tokenSource "hosted": leaving a message needs the token service' },
    ]);
    expect(problemsOf(hosted({}, { offline: { mode: 'closedMessage' } }))).toEqual([]);
  });
});

describe('the hosted API', () => {
  it("builds Twilio's regional host as Webchat 3 does", () => {
    expect(regionalHost(undefined)).toBe('');
    expect(regionalHost('us1')).toBe('');
    expect(regionalHost('ie1')).toBe('.ie1');
    expect(hostedApiBase({ type: 'hosted', deploymentKey: KEY, region: 'us1' })).toBe('https://flex-api.twilio.com/v2');
    expect(hostedApiBase({ type: 'hosted', deploymentKey: KEY, region: 'au1' })).toBe('https://flex-api.au1.twilio.com/v2');
    expect(hostedApiBase({ type: 'hosted', deploymentKey: KEY, region: 'us1', emulatorUrl: 'http://127.0.0.1:5410' })).toBe('http://127.0.0.1:5410/flex-api/v2');
  });

  it('lets the iframe connect to the regional Flex API and realtime hosts, and no token service', () => {
    const config = { ...(base() as unknown as DeploymentConfig), tokenUrl: undefined, tokenSource: { type: 'hosted' as const, deploymentKey: KEY, region: 'ie1' } };
    const csp = widgetDocumentHeaders(config, [])['Content-Security-Policy'];
    const connect = / connect-src ([^;]+)/.exec(csp ?? '')?.[1]?.split(' ');
    expect(connect).toEqual(["'self'", ...hostedConnectOrigins({ type: 'hosted', deploymentKey: KEY, region: 'ie1' })]);
    expect(connect).toContain('https://flex-api.ie1.twilio.com');
    expect(connect).toContain('wss://tsock.ie1.twilio.com');
    const tokenService = widgetDocumentHeaders(base() as unknown as DeploymentConfig, [])['Content-Security-Policy'];
    expect(tokenService).toContain("connect-src 'self' http://127.0.0.1:4020;");
  });
});
