// The four local origins of `npm start` and the e2e suite. Ports come from the
// environment so several checkouts can run side by side.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { localDeploymentKey } from '../contracts/local-account.ts';

type Env = Readonly<Record<string, string | undefined>>;

const PORT_VARIABLES = ['FLEXCHAT_EMULATOR_PORT', 'FLEXCHAT_TOKEN_PORT', 'FLEXCHAT_WIDGET_PORT', 'FLEXCHAT_DEMO_PORT'] as const;
/** The ports flexchat.config.json is written for. */
const DEFAULT_PORTS = { emulator: 4010, tokenService: 4020, widget: 4030, demo: 4040 } as const;

function portFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return port;
}

export const localHost = '127.0.0.1';

export function localPortsFrom(env: Env): { emulator: number; tokenService: number; widget: number; demo: number } {
  return {
    emulator: portFromEnv(env, 'FLEXCHAT_EMULATOR_PORT', DEFAULT_PORTS.emulator),
    tokenService: portFromEnv(env, 'FLEXCHAT_TOKEN_PORT', DEFAULT_PORTS.tokenService),
    widget: portFromEnv(env, 'FLEXCHAT_WIDGET_PORT', DEFAULT_PORTS.widget),
    demo: portFromEnv(env, 'FLEXCHAT_DEMO_PORT', DEFAULT_PORTS.demo),
  };
}

export function localOriginsFrom(env: Env): { emulator: string; tokenService: string; widget: string; demo: string } {
  const ports = localPortsFrom(env);
  return {
    emulator: `http://${localHost}:${ports.emulator}`,
    tokenService: `http://${localHost}:${ports.tokenService}`,
    widget: `http://${localHost}:${ports.widget}`,
    demo: `http://${localHost}:${ports.demo}`,
  };
}

export const localPorts = localPortsFrom(process.env);
export const localOrigins = localOriginsFrom(process.env);

/** The demo site's origins for a demo port: the 127.0.0.1 one (which may also preview) and the localhost one. */
const demoOrigins = (port: number) => [`http://${localHost}:${port}`, `http://localhost:${port}`];

/** The config file's own origin lists, as written (no overrides); empty when it cannot be read. */
function configuredLists(env: Env): { allowedDomains: string[]; previewOrigins: string[] } {
  const path = env.FLEXCHAT_CONFIG || resolve(import.meta.dirname, '..', 'flexchat.config.json');
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { allowedDomains?: unknown; previewOrigins?: unknown };
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    return { allowedDomains: strings(parsed.allowedDomains), previewOrigins: strings(parsed.previewOrigins) };
  } catch {
    return { allowedDomains: [], previewOrigins: [] }; // loadDeploymentConfig reports the file's problem
  }
}

/** The config's origins with the default demo origins replaced by the moved ones. */
function withMovedDemo(configured: readonly string[], moved: readonly string[]): string[] {
  const stale = new Set(demoOrigins(DEFAULT_PORTS.demo));
  return [...new Set([...configured.filter((origin) => !stale.has(origin)), ...moved])];
}

/**
 * When local ports are moved (FLEXCHAT_*_PORT), the origins baked into the build and
 * used by the token service move with them: the widget origin and token URL, and the
 * demo site's entries in allowedDomains and previewOrigins. Every other entry the config
 * file has (a site owner's own page) is kept. Explicit FLEXCHAT_WIDGET_ORIGIN /
 * FLEXCHAT_TOKEN_URL / FLEXCHAT_ALLOWED_DOMAINS / FLEXCHAT_PREVIEW_ORIGINS win.
 */
export function applyLocalPortOverrides(env: NodeJS.ProcessEnv = process.env): void {
  applyLocalHostedDefaults(env);
  if (!PORT_VARIABLES.some((name) => env[name])) return;
  const origins = localOriginsFrom(env);
  const ports = localPortsFrom(env);
  const configured = configuredLists(env);
  env.FLEXCHAT_WIDGET_ORIGIN ??= origins.widget;
  env.FLEXCHAT_TOKEN_URL ??= origins.tokenService;
  env.FLEXCHAT_ALLOWED_DOMAINS ??= withMovedDemo(configured.allowedDomains, demoOrigins(ports.demo)).join(',');
  // The demo's form builder previews unsaved settings in the widget. Only from
  // 127.0.0.1: the same pages from localhost embed the widget but may not preview
  // (e2e/builder.spec.ts checks both).
  env.FLEXCHAT_PREVIEW_ORIGINS ??= withMovedDemo(configured.previewOrigins, [origins.demo]).join(',');
}

/**
 * The hosted switch: FLEXCHAT_TOKEN_SOURCE=hosted (`npm start -- --hosted`) builds and runs the
 * widget on Twilio's hosted init, served locally by the emulator with the local deployment key.
 */
export function applyLocalHostedDefaults(env: NodeJS.ProcessEnv = process.env): void {
  if (env.FLEXCHAT_TOKEN_SOURCE !== 'hosted') return;
  env.FLEXCHAT_DEPLOYMENT_KEY ??= localDeploymentKey;
  env.FLEXCHAT_HOSTED_EMULATOR_URL ??= localOriginsFrom(env).emulator;
}

/** The folder the build writes and `npm start` serves: dist, or FLEXCHAT_DIST (the hosted e2e builds beside the main one). */
export function distDir(env: Env = process.env): string {
  return env.FLEXCHAT_DIST || 'dist';
}

/** What `npm start` prints about who may embed and preview the widget (the effective lists). */
export function describeEmbedding(config: { allowedDomains: readonly string[]; previewOrigins?: readonly string[] | undefined }, demoOrigin: string): string {
  const demo = new Set(demoOrigins(Number(new URL(demoOrigin).port)));
  const previews = config.previewOrigins ?? [];
  return [
    'Pages allowed to embed the widget (allowedDomains):',
    ...config.allowedDomains.map((origin) => `  ${origin}${demo.has(origin) ? '  (local demo)' : ''}`),
    `Pages allowed to preview settings (previewOrigins): ${previews.length ? previews.join(', ') : '(none)'}`,
  ].join('\n');
}
