import type { DeploymentConfig } from '../../config/types.ts';

declare global {
  /** The deployment config, baked in by the demo build (demo-site/vite.config.ts). */
  var __FLEXCHAT_DEPLOYMENT__: DeploymentConfig;
  /** The local Flex emulator's origin (agent and fault APIs), baked in by the demo build. */
  var __FLEXCHAT_EMULATOR_URL__: string;
}
