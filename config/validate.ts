import Ajv, { type ErrorObject } from 'ajv';
import schema from './schema.json' with { type: 'json' };
import { crossFieldProblems, type ConfigProblem } from './cross-field.ts';
import type { DeploymentConfig } from './types.ts';

export type { ConfigProblem };

export type ConfigValidation =
  | { ok: true; config: DeploymentConfig }
  | { ok: false; problems: ConfigProblem[] };

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile<DeploymentConfig>(schema);

function describe(error: ErrorObject): ConfigProblem {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { path: `${error.instancePath}/${extra}`, message: 'is not a known setting' };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return { path, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path, message: error.message ?? 'is invalid' };
}

const vague = (e: ErrorObject) => e.keyword === 'type' || e.keyword === 'anyOf';
const within = (e: ErrorObject, path: string) => e.instancePath === path || e.instancePath.startsWith(`${path}/`);

/**
 * A value that fits no branch of an anyOf (a text that is neither one string nor one per
 * locale) makes ajv report every branch. Keep what is wrong with the branch the value was
 * meant for: drop "must be <type>" of the other branches and the summary, when a more
 * precise problem at that place remains. (A value of the wrong type has no other problem.)
 */
function withoutAnyOfNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const precise = errors.filter((e) => !vague(e));
  return errors.filter((e) => !vague(e) || !precise.some((p) => within(p, e.instancePath)));
}

export function validateDeploymentConfig(input: unknown): ConfigValidation {
  if (!validateSchema(input)) {
    return { ok: false, problems: withoutAnyOfNoise(validateSchema.errors ?? []).map(describe) };
  }
  const problems = crossFieldProblems(input);
  return problems.length ? { ok: false, problems } : { ok: true, config: input };
}

export function formatProblems(source: string, problems: ConfigProblem[]): string {
  return [`${source} is invalid:`, ...problems.map((p) => `  ${p.path} ${p.message}`)].join('\n');
}
