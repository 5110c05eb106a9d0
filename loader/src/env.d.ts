import type { DeploymentConfig } from '../../config/types.ts';

declare global {
  /**
   * The deployment config, baked in at build time by the vite configs (`undefined`
   * under vitest). Declared with `var` so that an identical declaration elsewhere
   * (widget/, demo-site/) merges instead of clashing. The loader builds get only
   * `loaderConfigOf(deployment)` (a LoaderConfig) under this name.
   */
  var __FLEXCHAT_DEPLOYMENT__: DeploymentConfig;
  /** File name of the API chunk (loader-api.<hash>.js), baked into loader.js. */
  var __FLEXCHAT_API__: string;
  /** The launcher's name and the chat title per locale (loader-config.ts launcherTextsOf),
   *  baked into the API chunk and the ES module; null when they are the same in every language. */
  var __FLEXCHAT_LAUNCHER_TEXTS__: import('./loader-config.ts').LauncherTexts | null;
  /** The rest of the deployment the API chunk needs (loader-config.ts apiOptionsOf), baked
   *  into the API chunk and the ES module. */
  var __FLEXCHAT_API_OPTIONS__: import('./loader-config.ts').ApiOptions;
  /** Whether __FLEXCHAT_API_OPTIONS__ holds teaser rules: when false, the build leaves
   *  the rule watcher (teaser-rules.ts) out of the API chunk and the ES module
   *  (`undefined` under vitest, where tests pass their own rules: the watcher stays). */
  var __FLEXCHAT_TEASER_RULES__: boolean;
}
