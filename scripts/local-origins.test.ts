// Moving local ports (FLEXCHAT_*_PORT) moves the local origins, and keeps the
// site owner's own allowedDomains and previewOrigins from the config file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLocalPortOverrides, describeEmbedding, localOriginsFrom } from './local-origins.ts';

function configFile(lists: { allowedDomains: string[]; previewOrigins?: string[] }): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flexchat-origins-')), 'flexchat.config.json');
  writeFileSync(path, JSON.stringify({ widgetOrigin: 'http://127.0.0.1:4030', tokenUrl: 'http://127.0.0.1:4020', ...lists, preEngagement: { fields: [] } }));
  return path;
}

const shop = 'https://www.my-shop.example';

describe('local origins', () => {
  it('follow the FLEXCHAT_*_PORT variables', () => {
    expect(localOriginsFrom({ FLEXCHAT_DEMO_PORT: '5999' })).toMatchObject({ demo: 'http://127.0.0.1:5999', widget: 'http://127.0.0.1:4030' });
    expect(() => localOriginsFrom({ FLEXCHAT_WIDGET_PORT: '70000' })).toThrow('FLEXCHAT_WIDGET_PORT must be a TCP port (1-65535), got "70000"');
  });

  it("a moved port keeps the config's own allowed domains and preview origins; the local demo origins move", () => {
    const env: NodeJS.ProcessEnv = {
      FLEXCHAT_DEMO_PORT: '5999',
      FLEXCHAT_CONFIG: configFile({
        allowedDomains: ['http://127.0.0.1:4040', 'http://localhost:4040', shop],
        previewOrigins: ['http://127.0.0.1:4040', shop],
      }),
    };
    applyLocalPortOverrides(env);
    expect(env.FLEXCHAT_ALLOWED_DOMAINS?.split(',')).toEqual([shop, 'http://127.0.0.1:5999', 'http://localhost:5999']);
    expect(env.FLEXCHAT_PREVIEW_ORIGINS?.split(',')).toEqual([shop, 'http://127.0.0.1:5999']);
    expect(env).toMatchObject({ FLEXCHAT_WIDGET_ORIGIN: 'http://127.0.0.1:4030', FLEXCHAT_TOKEN_URL: 'http://127.0.0.1:4020' });
  });

  it('explicit variables win, and nothing changes when no port moved', () => {
    const explicit: NodeJS.ProcessEnv = { FLEXCHAT_DEMO_PORT: '5999', FLEXCHAT_ALLOWED_DOMAINS: shop, FLEXCHAT_CONFIG: configFile({ allowedDomains: [] }) };
    applyLocalPortOverrides(explicit);
    expect(explicit.FLEXCHAT_ALLOWED_DOMAINS).toBe(shop);
    const untouched: NodeJS.ProcessEnv = { FLEXCHAT_CONFIG: configFile({ allowedDomains: [shop] }) };
    applyLocalPortOverrides(untouched);
    expect(untouched.FLEXCHAT_ALLOWED_DOMAINS).toBeUndefined();
  });

  it('says at start which pages may embed and preview, and which of them came from the config', () => {
    const text = describeEmbedding({ allowedDomains: [shop, 'http://127.0.0.1:5999', 'http://localhost:5999'], previewOrigins: ['http://127.0.0.1:5999'] }, 'http://127.0.0.1:5999');
    expect(text).toBe(
      [
        'Pages allowed to embed the widget (allowedDomains):',
        `  ${shop}`,
        '  http://127.0.0.1:5999  (local demo)',
        '  http://localhost:5999  (local demo)',
        'Pages allowed to preview settings (previewOrigins): http://127.0.0.1:5999',
      ].join('\n'),
    );
  });
});
