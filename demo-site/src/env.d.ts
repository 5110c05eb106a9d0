import type { DeploymentConfig } from '../../config/types.ts';

declare global {
  /** The deployment config, baked in by `vite build --mode demo`. */
  // eslint-disable-next-line no-var
  var __FLEXCHAT_DEPLOYMENT__: DeploymentConfig;
  /** The local Flex emulator's origin (agent and fault APIs), baked in by the demo build. */
  // eslint-disable-next-line no-var
  var __FLEXCHAT_EMULATOR_URL__: string;
}
