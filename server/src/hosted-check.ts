// `flexchat doctor` and `setup` for a deployment on Twilio's hosted init
// (tokenSource "hosted" in flexchat.config.json): is the deployment key known,
// and is the widget origin among its allowed origins? Locally the emulator
// answers both (its agent API lists the keys); against real Twilio the keys
// live in the Flex console, so the checks there are the console steps.
import type { DeploymentKeyInfo } from '../../contracts/agent-api.ts';
import type { HostedSource } from '../../config/token-source.ts';

export interface HostedFinding {
  status: 'ok' | 'problem' | 'warning' | 'skipped';
  message: string;
  fix?: string;
}

/** Where Twilio keeps deployment keys (Webchat 3 setup docs). */
export const CONSOLE_STEPS = 'Twilio Console → Flex → Channel management → Webchat → your deployment key';
const MAX_ORIGINS = 10;

/** The emulator's deployment keys (GET /agent/deployment-keys); throws when it cannot be asked. */
export async function listLocalDeploymentKeys(emulatorUrl: string, fetchFn: typeof fetch = fetch): Promise<DeploymentKeyInfo[]> {
  const response = await fetchFn(`${emulatorUrl}/agent/deployment-keys`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${emulatorUrl}/agent/deployment-keys`);
  const body = (await response.json()) as { deploymentKeys?: DeploymentKeyInfo[] };
  return Array.isArray(body.deploymentKeys) ? body.deploymentKeys : [];
}

/** One line per key, as `setup` prints them. */
export function describeDeploymentKeys(keys: readonly DeploymentKeyInfo[]): string[] {
  if (keys.length === 0) return ['  (none)'];
  return keys.map((k) => `  ${k.key} "${k.friendlyName}" → address ${k.addressSid}; allowed origins (${k.allowedOrigins.length}/${MAX_ORIGINS}): ${k.allowedOrigins.join(', ')}`);
}

/**
 * The findings for a hosted deployment. `emulatorUrl`: check against the local
 * emulator (the source's own emulatorUrl wins); without one, real Twilio, where
 * only the console can tell.
 */
export async function checkHostedDeployment(
  source: HostedSource,
  widgetOrigin: string,
  options: { emulatorUrl?: string; fetch?: typeof fetch } = {},
): Promise<HostedFinding[]> {
  const emulatorUrl = source.emulatorUrl ?? options.emulatorUrl;
  if (!emulatorUrl) {
    return [
      {
        status: 'warning',
        message: `hosted init: deployment key ${source.deploymentKey} (region ${source.region}) is checked by Twilio only when a visitor starts a chat`,
        fix: `check it in ${CONSOLE_STEPS}: the key must be listed there, and its allowed origins must include ${widgetOrigin} (up to ${MAX_ORIGINS} origins)`,
      },
    ];
  }
  let keys: DeploymentKeyInfo[];
  try {
    keys = await listLocalDeploymentKeys(emulatorUrl, options.fetch);
  } catch (error) {
    return [{ status: 'problem', message: `hosted init: cannot list the emulator's deployment keys (${(error as Error).message})`, fix: 'start the emulator (`npm start -- --hosted` or `npm run emulator`)' }];
  }
  const key = keys.find((k) => k.key === source.deploymentKey);
  if (!key) {
    return [
      {
        status: 'problem',
        message: `hosted init: deployment key ${source.deploymentKey} is not one of the emulator's (${keys.length ? keys.map((k) => k.key).join(', ') : 'it has none'}); visitors would see "unknown deployment key"`,
        fix: `create it in ${CONSOLE_STEPS.replace(' → your deployment key', '')} → Create deployment key, and put it in tokenSource.deploymentKey; locally: curl -H 'Content-Type: application/json' -d '{"key":"${source.deploymentKey}","allowedOrigins":["${widgetOrigin}"]}' ${emulatorUrl}/agent/deployment-keys`,
      },
    ];
  }
  const findings: HostedFinding[] = [{ status: 'ok', message: `hosted init: deployment key ${key.key} exists, mapped to address ${key.addressSid}` }];
  if (key.allowedOrigins.includes(widgetOrigin)) {
    findings.push({ status: 'ok', message: `hosted init: the widget origin ${widgetOrigin} is among the key's ${key.allowedOrigins.length} allowed origins` });
  } else {
    const full = key.allowedOrigins.length >= MAX_ORIGINS;
    findings.push({
      status: 'problem',
      message: `hosted init: the widget origin ${widgetOrigin} is not among the allowed origins of ${key.key} (${key.allowedOrigins.join(', ')}); visitors would see "origin not allowed"`,
      fix: `${CONSOLE_STEPS} → Allowed origins: add ${widgetOrigin}${full ? ` (the key already has ${MAX_ORIGINS}, the most Twilio allows: remove one first)` : ''}; locally: curl -H 'Content-Type: application/json' -d '{"allowedOrigins":${JSON.stringify([...key.allowedOrigins.slice(0, MAX_ORIGINS - 1), widgetOrigin])}}' ${emulatorUrl}/agent/deployment-keys/${key.key}`,
    });
  }
  return findings;
}
