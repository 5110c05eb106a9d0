// Deep validation of a `preview` command's settings (the lazy preview chunk):
// the config schema, through ajv standalone code generated at build time (no
// eval under the widget's CSP), plus the cross-field checks JSON Schema cannot
// express. Loaded by host-wiring.ts only when a preview arrives.
import validateSchema from 'virtual:flexchat-preview-validator';
import { businessHoursProblems, formProblems } from '../../../config/cross-field.ts';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { PreviewKey, PreviewSettings } from '../../../contracts/bridge-protocol.ts';

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

/** What config/validate.ts checks beyond the schema, for the sections a preview carries. */
function crossFieldProblems(preview: DeploymentPreview): PreviewProblem[] {
  return [
    ...(preview.preEngagement ? formProblems(preview.preEngagement) : []),
    ...(preview.businessHours ? businessHoursProblems(preview.businessHours) : []),
  ];
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
