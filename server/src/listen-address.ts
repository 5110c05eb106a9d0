// Where the token service listens: FLEXCHAT_TOKEN_PORT and FLEXCHAT_TOKEN_HOST.
import type { EnvInput } from './env-config.ts';

export const DEFAULT_TOKEN_SERVICE_PORT = 4020;

export type ListenParseResult = { ok: true; port: number; host: string } | { ok: false; problems: string[] };

/** FLEXCHAT_TOKEN_PORT (default: the port of `defaultPortFrom`, else 4020) and FLEXCHAT_TOKEN_HOST (default 127.0.0.1). */
export function parseListenAddress(env: EnvInput, defaultPortFrom?: string): ListenParseResult {
  const problems: string[] = [];
  let port = DEFAULT_TOKEN_SERVICE_PORT;
  if (defaultPortFrom) {
    try {
      const fromUrl = new URL(defaultPortFrom).port;
      if (fromUrl) port = Number(fromUrl);
    } catch {
      // keep the built-in default
    }
  }
  const rawPort = env.FLEXCHAT_TOKEN_PORT?.trim();
  if (rawPort) {
    const parsed = /^\d+$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
      problems.push(`FLEXCHAT_TOKEN_PORT must be a port number between 0 and 65535 (got "${rawPort}")`);
    } else {
      port = parsed;
    }
  }
  const host = env.FLEXCHAT_TOKEN_HOST?.trim() || '127.0.0.1';
  return problems.length ? { ok: false, problems } : { ok: true, port, host };
}
