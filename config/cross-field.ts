// Checks of a deployment config that JSON Schema cannot express. No ajv here:
// config/validate.ts runs them after the schema, and the widget's preview chunk
// runs them after its build-time generated validator.
import { isPolicyUrl } from '../contracts/consent.ts';
import type { BusinessHoursConfig, DeploymentConfig, FormFieldConfig, PreEngagementConfig } from './types.ts';

export interface ConfigProblem {
  /** JSON pointer to the offending field, e.g. /preEngagement/fields/0/type */
  path: string;
  message: string;
}

const CONSENT_ONLY = ['policyUrl', 'version', 'linkText'] as const;
const NOT_FOR_CONSENT = ['placeholder', 'minLength', 'maxLength', 'pattern', 'options', 'defaultValue'] as const;

/** A consent field: a policy link (http/https), a version, always required, never ticked in advance. */
function consentProblems(field: FormFieldConfig, at: string): ConfigProblem[] {
  if (field.type !== 'consent') {
    return CONSENT_ONLY.filter((key) => field[key] !== undefined).map((key) => ({ path: `${at}/${key}`, message: 'is only for a consent field' }));
  }
  const problems: ConfigProblem[] = [];
  if (field.policyUrl === undefined) problems.push({ path: `${at}/policyUrl`, message: 'is required for a consent field (the policy the text refers to)' });
  else if (!isPolicyUrl(field.policyUrl)) problems.push({ path: `${at}/policyUrl`, message: 'must be an absolute http(s) URL' });
  if (field.version === undefined) problems.push({ path: `${at}/version`, message: 'is required for a consent field (recorded with each acceptance)' });
  if (field.required === false) problems.push({ path: `${at}/required`, message: 'cannot be false: a consent field is always required' });
  for (const key of NOT_FOR_CONSENT) {
    if (field[key] !== undefined) problems.push({ path: `${at}/${key}`, message: key === 'defaultValue' ? 'is not allowed: consent is never given in advance' : 'is not used by a consent field' });
  }
  return problems;
}

export function formProblems(form: PreEngagementConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  form.fields.forEach((field, index) => {
    const at = `/preEngagement/fields/${index}`;
    if (seen.has(field.name)) problems.push({ path: `${at}/name`, message: `duplicates field name "${field.name}"` });
    seen.add(field.name);
    const values = new Map<string, number>();
    field.options?.forEach((option, i) => {
      const first = values.get(option.value);
      if (first !== undefined) {
        problems.push({ path: `${at}/options/${i}/value`, message: `repeats the value "${option.value}" of option ${first + 1}; each option needs its own` });
      } else values.set(option.value, i);
    });
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
    problems.push(...consentProblems(field, at));
  });
  const nameField = form.friendlyNameField;
  if (nameField !== undefined && !seen.has(nameField)) {
    problems.push({ path: '/preEngagement/friendlyNameField', message: `names no field ("${nameField}")` });
  }
  const firstMessage = form.firstMessageField;
  if (typeof firstMessage === 'string') {
    const field = form.fields.find((f) => f.name === firstMessage);
    if (!field) problems.push({ path: '/preEngagement/firstMessageField', message: `names no field ("${firstMessage}")` });
    else if (field.type === 'checkbox' || field.type === 'consent') {
      problems.push({ path: '/preEngagement/firstMessageField', message: `names a ${field.type} ("${firstMessage}"); choose a text field such as the question` });
    }
  }
  return problems;
}

const toMinutes = (wallTime: string) => Number(wallTime.slice(0, 2)) * 60 + Number(wallTime.slice(3, 5));

export function businessHoursProblems(hours: BusinessHoursConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone });
  } catch {
    problems.push({ path: '/businessHours/timezone', message: `is not an IANA time zone ("${hours.timezone}")` });
  }
  for (const [day, intervals] of Object.entries(hours.weekly)) {
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
  hours.closedDates?.forEach((date, index) => {
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

/** The token source's needs: a tokenUrl for the token service, a key for hosted, and no server features in hosted mode. */
export function tokenSourceProblems(config: DeploymentConfig): ConfigProblem[] {
  const source = config.tokenSource;
  if (source?.type !== 'hosted') {
    const problems: ConfigProblem[] = [];
    if (config.tokenUrl === undefined) problems.push({ path: '/tokenUrl', message: 'is required (the token service), unless tokenSource.type is "hosted"' });
    for (const key of ['deploymentKey', 'region', 'emulatorUrl'] as const) {
      if (source && key in source) problems.push({ path: `/tokenSource/${key}`, message: 'is only for tokenSource.type "hosted"' });
    }
    return problems;
  }
  const problems: ConfigProblem[] = [];
  if (!source.deploymentKey) problems.push({ path: '/tokenSource/deploymentKey', message: 'is required with tokenSource.type "hosted" (Flex console: Channel management > Webchat)' });
  if (config.offline?.mode === 'leaveMessage') {
    problems.push({ path: '/offline/mode', message: 'must be "closedMessage" with tokenSource "hosted": leaving a message needs the token service' });
  }
  return problems;
}

/** Every cross-field problem of a config that passed the schema. */
export function crossFieldProblems(config: DeploymentConfig): ConfigProblem[] {
  return [
    ...tokenSourceProblems(config),
    ...formProblems(config.preEngagement),
    ...(config.businessHours ? businessHoursProblems(config.businessHours) : []),
    ...previewOriginProblems(config),
  ];
}
