// AWS Lambda entry of the compiled build: handler = `<path>/server/src/runtimes/lambda-main.handler`.
// Reads the function's environment and the deployment config (FLEXCHAT_CONFIG,
// default: the one the build baked in) once per cold start, and warms the
// service up during Lambda's init phase, before the first invocation.
import { loadDeploymentConfig } from '../../../config/load.ts';
import { createLambdaHandler } from './lambda.ts';

export const handler = createLambdaHandler({ env: process.env, deployment: loadDeploymentConfig(process.env.FLEXCHAT_CONFIG || undefined) });
await handler.service.warmUp;
