// Second half of `npm run build:server` (after tsc): writes what the compiled
// token service and the widget origin need next to the build output:
//   dist/server/flexchat.config.json   the validated deployment the widget was built with
//   dist/server/widget-headers.json     the widget origin's header rules (the container serves dist/widget with them)
//   dist/widget/_headers                the same rules for Netlify / Cloudflare Pages
//   dist/deploy/nginx-widget-headers.conf  the same rules as an nginx include
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadDeploymentConfig } from '../config/load.ts';
import { applyLocalPortOverrides } from './local-origins.ts';
import { toHeadersFile, toNginxInclude, widgetOriginHeaderRules } from './widget-origin-headers.ts';

const root = resolve(import.meta.dirname, '..');
const write = (path: string, text: string) => {
  const target = resolve(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path}`);
};

applyLocalPortOverrides();
const deployment = loadDeploymentConfig();
const rules = widgetOriginHeaderRules(deployment);
write('dist/server/flexchat.config.json', `${JSON.stringify(deployment, null, 2)}\n`);
write('dist/server/widget-headers.json', `${JSON.stringify(rules, null, 2)}\n`);
write('dist/widget/_headers', toHeadersFile(rules));
write('dist/deploy/nginx-widget-headers.conf', toNginxInclude(rules));
