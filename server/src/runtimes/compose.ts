// What every runtime entry does first: environment + deployment config →
// validated TokenServiceConfig → the app. Throws EnvError listing every problem.
import type { DeploymentConfig } from '../../../config/types.ts';
import { createTokenService, type TokenService, type TokenServiceDeps } from '../app.ts';
import { loadTokenServiceConfig, type EnvInput, type TokenServiceConfig } from '../env.ts';

export interface ComposeOptions {
  /** The environment to read (the platform's, e.g. process.env or a Workers env). */
  env: EnvInput;
  /** The deployment config: supplies the form and the default allowed origin (its widgetOrigin). */
  deployment: DeploymentConfig;
  /** Test seams and runtime specifics (request log, peer address). */
  deps?: Partial<TokenServiceDeps>;
}

export function composeTokenService(options: ComposeOptions): { config: TokenServiceConfig; service: TokenService } {
  const config = loadTokenServiceConfig(options.env, { allowedOrigins: [options.deployment.widgetOrigin] });
  const service = createTokenService(config, { preEngagement: options.deployment.preEngagement, survey: options.deployment.survey, ...options.deps });
  return { config, service };
}
