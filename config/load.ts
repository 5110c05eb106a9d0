import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DeploymentConfig } from './types.ts';
import { formatProblems, validateDeploymentConfig } from './validate.ts';

export const defaultConfigPath = resolve(import.meta.dirname, '..', 'flexchat.config.json');

/**
 * Reads and validates flexchat.config.json. FLEXCHAT_CONFIG picks another file;
 * FLEXCHAT_WIDGET_ORIGIN, FLEXCHAT_TOKEN_URL, FLEXCHAT_ALLOWED_DOMAINS and
 * FLEXCHAT_PREVIEW_ORIGINS (both comma separated) override the origins, which
 * is how local ports are applied.
 */
export function loadDeploymentConfig(path = process.env.FLEXCHAT_CONFIG ?? defaultConfigPath): DeploymentConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read deployment config ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (parsed !== null && typeof parsed === 'object') {
    const overridden = parsed as Record<string, unknown>;
    if (process.env.FLEXCHAT_WIDGET_ORIGIN) overridden.widgetOrigin = process.env.FLEXCHAT_WIDGET_ORIGIN;
    if (process.env.FLEXCHAT_TOKEN_URL) overridden.tokenUrl = process.env.FLEXCHAT_TOKEN_URL;
    if (process.env.FLEXCHAT_ALLOWED_DOMAINS) {
      overridden.allowedDomains = process.env.FLEXCHAT_ALLOWED_DOMAINS.split(',').map((d) => d.trim());
    }
    // The hosted switch (`npm start -- --hosted`, the hosted e2e): Twilio's hosted init instead of the token service.
    if (process.env.FLEXCHAT_TOKEN_SOURCE === 'hosted') {
      overridden.tokenSource = {
        type: 'hosted',
        deploymentKey: process.env.FLEXCHAT_DEPLOYMENT_KEY ?? '',
        ...(process.env.FLEXCHAT_HOSTED_REGION ? { region: process.env.FLEXCHAT_HOSTED_REGION } : {}),
        ...(process.env.FLEXCHAT_HOSTED_EMULATOR_URL ? { emulatorUrl: process.env.FLEXCHAT_HOSTED_EMULATOR_URL } : {}),
      };
    } else if (process.env.FLEXCHAT_TOKEN_SOURCE === 'tokenService') {
      overridden.tokenSource = { type: 'tokenService' };
    }
    if (process.env.FLEXCHAT_PREVIEW_ORIGINS) {
      overridden.previewOrigins = process.env.FLEXCHAT_PREVIEW_ORIGINS.split(',').map((d) => d.trim());
    }
  }
  const result = validateDeploymentConfig(parsed);
  if (!result.ok) throw new Error(formatProblems(path, result.problems));
  return result.config;
}
