// Deep validation of a `preview` command's settings (the lazy preview chunk):
// the config schema, through ajv standalone code generated at build time (no
// eval under the widget's CSP), plus the cross-field checks JSON Schema cannot
// express. Loaded by host-wiring.ts only when a preview arrives.
import validateSchema from 'virtual:flexchat-preview-validator';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { PreviewKey, PreviewSettings } from '../../../loader/src/bridge-protocol.ts';

/** Validated preview settings, as the deployment config types them. */
export type DeploymentPreview = Partial<Pick<DeploymentConfig, PreviewKey>>;

export interface PreviewProblem {
  /** JSON pointer into the settings, e.g. /preEngagement/fields/2/type */
  path: string;
  message: string;
}

export type PreviewParse =
  | { ok: true; preview: DeploymentPreview }
  | { ok: false; code: 'preview_invalid'; problems: PreviewProblem[] };

const toMinutes = (wallTime: string) => Number(wallTime.slice(0, 2)) * 60 + Number(wallTime.slice(3, 5));

/** What config/validate.ts checks beyond the schema, for the sections a preview carries. */
function crossFieldProblems(preview: DeploymentPreview): PreviewProblem[] {
  const problems: PreviewProblem[] = [];
  const pre = preview.preEngagement;
  if (pre) {
    const seen = new Set<string>();
    pre.fields.forEach((field, index) => {
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
    if (pre.friendlyNameField !== undefined && !seen.has(pre.friendlyNameField)) {
      problems.push({ path: '/preEngagement/friendlyNameField', message: `names no field ("${pre.friendlyNameField}")` });
    }
  }
  const hours = preview.businessHours;
  if (hours) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone });
    } catch {
      problems.push({ path: '/businessHours/timezone', message: 'is not an IANA time zone' });
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
  }
  return problems;
}

/** Checks settings that passed the bridge's shape check against the config schema. */
export function parsePreview(settings: PreviewSettings): PreviewParse {
  if (!validateSchema(settings)) {
    const problems = (validateSchema.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? e.keyword }));
    return { ok: false, code: 'preview_invalid', problems };
  }
  const preview = settings as DeploymentPreview;
  const problems = crossFieldProblems(preview);
  return problems.length ? { ok: false, code: 'preview_invalid', problems } : { ok: true, preview };
}
