// Build-time constants injected by widget/vite.config.ts (`define`).
import type { DeploymentConfig } from '../../config/types.ts';

declare global {
  /**
   * The deployment config baked in at build time; `undefined` under vitest, so
   * code takes the config as an argument and only main.tsx reads this global.
   * Declared with `var` and the same type as loader/src/env.d.ts so that the
   * declarations merge in the single tsconfig program.
   */
  var __FLEXCHAT_DEPLOYMENT__: DeploymentConfig;
}
