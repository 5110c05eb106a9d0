import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NONCE_PLACEHOLDER, startStaticServer } from './static-server.ts';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'flexchat-static-'));
  mkdirSync(join(root, 'spa'));
  writeFileSync(join(root, 'index.html'), '<p>home</p>');
  writeFileSync(join(root, 'strict.html'), `<script nonce="${NONCE_PLACEHOLDER}"></script>`);
  writeFileSync(join(root, 'spa', 'index.html'), '<p>app</p>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  const started = await startStaticServer({
    root,
    port: 0,
    host: '127.0.0.1',
    documentHeaders: { 'X-Frame-Options': 'DENY' },
    pageHeaders: { '/strict.html': { 'Content-Security-Policy': "script-src 'nonce-{nonce}'" } },
    spaPrefixes: ['/spa/'],
  });
  const address = started.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  close = () => new Promise((done) => started.server.close(() => done()));
});

afterAll(() => close());

describe('static server', () => {
  it('gives each HTML response a fresh nonce, in the page and in its headers', async () => {
    const nonces = await Promise.all(
      [1, 2].map(async () => {
        const response = await fetch(`${url}/strict.html`);
        const body = await response.text();
        const csp = response.headers.get('content-security-policy') ?? '';
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
        expect(body).toBe(`<script nonce="${nonce}"></script>`);
        expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(body));
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        return nonce;
      }),
    );
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends page headers only for their page', async () => {
    const response = await fetch(`${url}/`);
    expect(await response.text()).toBe('<p>home</p>');
    expect(response.headers.get('content-security-policy')).toBeNull();
  });

  it('answers client-side routes under an SPA prefix with the app, but not missing files', async () => {
    expect(await (await fetch(`${url}/spa/orders/42`)).text()).toBe('<p>app</p>');
    expect((await fetch(`${url}/spa/missing.js`)).status).toBe(404);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    expect(await (await fetch(`${url}/app.js`)).text()).toBe('console.log(1)');
  });
});
