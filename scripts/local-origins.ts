// The four local origins of `npm start` and the e2e suite. Ports come from the
// environment so several checkouts can run side by side.
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return port;
}

export const localPorts = {
  emulator: portFromEnv('FLEXCHAT_EMULATOR_PORT', 4010),
  tokenService: portFromEnv('FLEXCHAT_TOKEN_PORT', 4020),
  widget: portFromEnv('FLEXCHAT_WIDGET_PORT', 4030),
  demo: portFromEnv('FLEXCHAT_DEMO_PORT', 4040),
} as const;

export const localHost = '127.0.0.1';

export const localOrigins = {
  emulator: `http://${localHost}:${localPorts.emulator}`,
  tokenService: `http://${localHost}:${localPorts.tokenService}`,
  widget: `http://${localHost}:${localPorts.widget}`,
  demo: `http://${localHost}:${localPorts.demo}`,
} as const;

/**
 * When local ports are moved (FLEXCHAT_*_PORT), the origins baked into the
 * build and used by the token service must move with them. Explicit
 * FLEXCHAT_WIDGET_ORIGIN / FLEXCHAT_TOKEN_URL / FLEXCHAT_ALLOWED_DOMAINS /
 * FLEXCHAT_PREVIEW_ORIGINS win.
 */
export function applyLocalPortOverrides(env: NodeJS.ProcessEnv = process.env): void {
  const moved = ['FLEXCHAT_EMULATOR_PORT', 'FLEXCHAT_TOKEN_PORT', 'FLEXCHAT_WIDGET_PORT', 'FLEXCHAT_DEMO_PORT'].some((name) => env[name]);
  if (!moved) return;
  env.FLEXCHAT_WIDGET_ORIGIN ??= localOrigins.widget;
  env.FLEXCHAT_TOKEN_URL ??= localOrigins.tokenService;
  env.FLEXCHAT_ALLOWED_DOMAINS ??= [localOrigins.demo, `http://localhost:${localPorts.demo}`].join(',');
  // The demo's form builder previews unsaved settings in the widget. Only from
  // 127.0.0.1: the same pages from localhost embed the widget but may not preview
  // (e2e/builder.spec.ts checks both).
  env.FLEXCHAT_PREVIEW_ORIGINS ??= localOrigins.demo;
}
