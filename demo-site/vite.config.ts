// `vite build -c demo-site/vite.config.ts` -> dist/demo/: every page of the demo site
// (README.md), on its own origin. Absolute base: the SPA example is served under
// client-side routes (/spa/orders/42), where relative URLs break.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { localOrigins } from '../scripts/local-origins.ts';
import { NONCE_PLACEHOLDER } from '../scripts/static-server.ts';
import { buildDeployment, distDir, root } from '../scripts/vite-shared.ts';

const pages = ['index.html', 'agent.html', 'builder.html', 'spa/index.html', ...['strict-csp', 'long-page', 'dark-left'].map((p) => `examples/${p}.html`)];

export default defineConfig(() => ({
  root: resolve(root, 'demo-site'),
  base: '/',
  define: {
    __FLEXCHAT_DEPLOYMENT__: JSON.stringify(buildDeployment()),
    // The agent console and form builder talk to the local emulator's agent API.
    __FLEXCHAT_EMULATOR_URL__: JSON.stringify(localOrigins.emulator),
  },
  // Generated script and style tags carry this placeholder as their nonce; the demo
  // origin's static server swaps in a fresh nonce per response (strict-CSP example).
  html: { cspNonce: NONCE_PLACEHOLDER },
  build: {
    outDir: resolve(root, distDir(), 'demo'),
    emptyOutDir: true,
    rolldownOptions: { input: Object.fromEntries(pages.map((page) => [page.replace(/\.html$/, '').replace('/', '-'), resolve(root, 'demo-site', page)])) },
  },
}));
