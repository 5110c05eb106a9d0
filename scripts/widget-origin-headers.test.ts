import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../config/types.ts';
import { headersForPath } from '../contracts/static-headers.ts';
import { toHeadersFile, toNginxInclude, widgetOriginHeaderRules } from './widget-origin-headers.ts';

const deployment: DeploymentConfig = {
  widgetOrigin: 'https://chat.example.com',
  tokenUrl: 'https://chat-api.example.com',
  allowedDomains: ['https://shop.example.com', 'https://*.example.org'],
  preEngagement: { fields: [] },
};

describe('widget origin headers from the deployment config', () => {
  const { rules } = widgetOriginHeaderRules(deployment);

  it('frames the iframe document only on the allowed domains and lets it reach only the token service and Twilio', () => {
    const document = headersForPath(rules, '/');
    expect(document['content-security-policy']).toContain('frame-ancestors https://shop.example.com https://*.example.org');
    expect(document['content-security-policy']).toContain("connect-src 'self' https://chat-api.example.com wss://tsock.us1.twilio.com");
    expect(document).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache', 'cross-origin-opener-policy': 'same-origin' });
    expect(headersForPath(rules, '/index.html')).toEqual(document);
  });

  it('caches hashed files for good, the loader briefly, and lets host pages import the ES module', () => {
    expect(headersForPath(rules, '/assets/index-D4waWGjc.js')['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(headersForPath(rules, '/loader-api.9a5fee1c87.js')['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(headersForPath(rules, '/loader.js')['cache-control']).toBe('public, max-age=300');
    expect(headersForPath(rules, '/flexchat.mjs')['access-control-allow-origin']).toBe('*');
    expect(headersForPath(rules, '/assets/x.js')['content-security-policy']).toBeUndefined();
  });

  it('writes the same rules as a _headers file and as an nginx include that repeats the merged set per location', () => {
    const file = toHeadersFile({ rules });
    expect(file).toContain('/assets/*\n  Cache-Control: public, max-age=31536000, immutable');
    const nginx = toNginxInclude({ rules });
    const block = /location = \/ \{\n([\s\S]*?)\n\}/.exec(nginx)?.[1] ?? '';
    expect(block).toContain('try_files /index.html =404;');
    expect(block).toContain('add_header content-security-policy "default-src');
    expect(block).toContain('add_header x-content-type-options "nosniff" always;');
    expect(nginx).toContain('location ^~ /assets/ {');
    expect(nginx).toContain('location / {');
  });
});
