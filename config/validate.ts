import Ajv, { type ErrorObject } from 'ajv';
import schema from './schema.json' with { type: 'json' };
import type { DeploymentConfig } from './types.ts';

export interface ConfigProblem {
  /** JSON pointer to the offending field, e.g. /preEngagement/fields/0/type */
  path: string;
  message: string;
}

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

/** Checks that go beyond what JSON Schema can say. */
function crossFieldProblems(config: DeploymentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  config.preEngagement.fields.forEach((field, index) => {
    const at = `/preEngagement/fields/${index}`;
    if (seen.has(field.name)) problems.push({ path: `${at}/name`, message: `duplicates field name "${field.name}"` });
    seen.add(field.name);
    if ((field.type === 'select' || field.type === 'radio') && !field.options?.length) {
      problems.push({ path: `${at}/options`, message: `is required for a ${field.type} field` });
    }
    if (field.pattern !== undefined) {
      try {
        new RegExp(field.pattern, 'u');
      } catch {
        problems.push({ path: `${at}/pattern`, message: 'is not a valid regular expression' });
      }
    }
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      problems.push({ path: `${at}/minLength`, message: 'must not exceed maxLength' });
    }
  });
  const nameField = config.preEngagement.friendlyNameField;
  if (nameField !== undefined && !seen.has(nameField)) {
    problems.push({ path: '/preEngagement/friendlyNameField', message: `names no field ("${nameField}")` });
  }
  problems.push(...businessHoursProblems(config), ...previewOriginProblems(config));
  return problems;
}

const toMinutes = (wallTime: string) => Number(wallTime.slice(0, 2)) * 60 + Number(wallTime.slice(3, 5));

function businessHoursProblems({ businessHours }: DeploymentConfig): ConfigProblem[] {
  if (!businessHours) return [];
  const problems: ConfigProblem[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: businessHours.timezone });
  } catch {
    problems.push({ path: '/businessHours/timezone', message: `is not an IANA time zone ("${businessHours.timezone}")` });
  }
  for (const [day, intervals] of Object.entries(businessHours.weekly)) {
    const sorted = (intervals ?? []).map(([open, close], index) => ({ index, from: toMinutes(open), to: toMinutes(close) }));
    for (const { index, from, to } of sorted) {
      if (to <= from) problems.push({ path: `/businessHours/weekly/${day}/${index}`, message: 'must close after it opens' });
    }
    sorted.sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.from < sorted[i - 1]!.to) {
        problems.push({ path: `/businessHours/weekly/${day}/${sorted[i]!.index}`, message: 'overlaps another interval of the day' });
      }
    }
  }
  businessHours.closedDates?.forEach((date, index) => {
    const parsed = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
      problems.push({ path: `/businessHours/closedDates/${index}`, message: `is not a calendar date ("${date}")` });
    }
  });
  return problems;
}

function previewOriginProblems(config: DeploymentConfig): ConfigProblem[] {
  const allowed = new Set(config.allowedDomains);
  return (config.previewOrigins ?? []).flatMap((origin, index) =>
    allowed.has(origin) ? [] : [{ path: `/previewOrigins/${index}`, message: `must also be in allowedDomains ("${origin}")` }],
  );
}

export function validateDeploymentConfig(input: unknown): ConfigValidation {
  if (!validateSchema(input)) {
    return { ok: false, problems: (validateSchema.errors ?? []).map(describe) };
  }
  const problems = crossFieldProblems(input);
  return problems.length ? { ok: false, problems } : { ok: true, config: input };
}

export function formatProblems(source: string, problems: ConfigProblem[]): string {
  return [`${source} is invalid:`, ...problems.map((p) => `  ${p.path} ${p.message}`)].join('\n');
}
