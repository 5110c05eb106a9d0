// The JSON Schema a preview must satisfy, derived from the deployment config's
// schema: only the keys a preview may change (PREVIEW_KEYS), all optional,
// nothing else allowed (so widgetOrigin, tokenUrl, allowedDomains and
// previewOrigins are refused, not ignored). Pure; used at build time by
// preview-validator-plugin.ts.
import { PREVIEW_KEYS } from '../../../loader/src/bridge-protocol.ts';

interface ConfigSchema {
  $schema?: string;
  properties: Record<string, unknown>;
  definitions?: Record<string, unknown>;
}

export function previewSchemaOf(config: ConfigSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of PREVIEW_KEYS) {
    const property = config.properties[key];
    if (property === undefined) throw new Error(`config/schema.json has no "${key}", which previews may change`);
    properties[key] = property;
  }
  return {
    ...(config.$schema ? { $schema: config.$schema } : {}),
    title: 'flexchat preview settings',
    type: 'object',
    additionalProperties: false,
    properties,
    definitions: config.definitions ?? {},
  };
}
