// The JSON Schema a preview must satisfy, derived from the deployment config's
// schema: only the keys a preview may change (PREVIEW_KEYS), all optional,
// nothing else allowed (so widgetOrigin, tokenUrl, allowedDomains and
// previewOrigins are refused, not ignored). Pure; used at build time by
// preview-validator-plugin.ts.
import { PREVIEW_KEYS } from '../../../contracts/bridge-protocol.ts';

interface ConfigSchema {
  $schema?: string;
  properties: Record<string, unknown>;
  definitions?: Record<string, unknown>;
}

/** Keywords for people, not for validation: left out, the generated code is smaller. */
const ANNOTATIONS = new Set(['description', 'title', 'default', '$comment', 'examples']);
/** Keywords whose value maps names to subschemas (the names themselves stay, e.g. a property called "description"). */
const SCHEMA_MAPS = new Set(['properties', 'definitions', 'patternProperties']);

function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'enum' || key === 'const' || key === 'required') out[key] = value;
    else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]));
    } else out[key] = withoutAnnotations(value);
  }
  return out;
}

export function previewSchemaOf(config: ConfigSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of PREVIEW_KEYS) {
    const property = config.properties[key];
    if (property === undefined) throw new Error(`config/schema.json has no "${key}", which previews may change`);
    properties[key] = withoutAnnotations(property);
  }
  return {
    ...(config.$schema ? { $schema: config.$schema } : {}),
    type: 'object',
    additionalProperties: false,
    properties,
    definitions: withoutAnnotations(config.definitions ?? {}),
  };
}
