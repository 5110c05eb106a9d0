// What the per-target Vite configs share (widget/, loader/, demo-site/vite.config.ts):
// the repository root and the deployment config they bake in at build time.
import { resolve } from 'node:path';
import { loadDeploymentConfig } from '../config/load.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { applyLocalPortOverrides, distDir } from './local-origins.ts';

export { distDir };

export const root = resolve(import.meta.dirname, '..');

/** flexchat.config.json (FLEXCHAT_CONFIG), with FLEXCHAT_*_PORT overrides applied first;
 *  throws, naming the field, when it is invalid. */
export function buildDeployment(): DeploymentConfig {
  applyLocalPortOverrides();
  return loadDeploymentConfig();
}
