// Build step (Node only): compiles the preview schema with ajv's standalone code
// generation into the module `virtual:flexchat-preview-validator`. The widget's
// documents run under a CSP without 'unsafe-eval', where ajv.compile (new Function)
// is refused; generated code is plain JavaScript. Only preview.ts imports the
// module, and only through the lazy preview chunk.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { previewSchemaOf } from './preview-schema.ts';

export const PREVIEW_VALIDATOR_ID = 'virtual:flexchat-preview-validator';
const resolvedId = '\0' + PREVIEW_VALIDATOR_ID;

/** ES module source of the validator for `schemaPath` (config/schema.json). */
export function previewValidatorSource(schemaPath: string): string {
  const schema = previewSchemaOf(JSON.parse(readFileSync(schemaPath, 'utf8')));
  const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  // ajv's runtime helpers are referenced with require(); turn them into imports.
  // A bundler's default import of these CommonJS modules is either the function
  // itself or module.exports ({ default: fn }), so both shapes are accepted.
  const modules = [...new Set([...code.matchAll(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/gi)].map((m) => m[1]!))];
  let body = code.replace(/^"use strict";/, '');
  const imports = modules.map((m, i) => {
    body = body.split(`require("${m}")`).join(`__cjs(__rt${i})`);
    return `import __rt${i} from "${m}.js";`;
  });
  if (/require\(/.test(body)) throw new Error('preview validator: unexpected require() in ajv standalone code');
  return [...imports, 'const __cjs = (m) => (typeof m === "function" ? { default: m } : m);', body].join('\n');
}

export function previewValidator(schemaPath: string): Plugin {
  return {
    name: 'flexchat-preview-validator',
    resolveId: (id) => (id === PREVIEW_VALIDATOR_ID ? resolvedId : null),
    load(id) {
      if (id !== resolvedId) return null;
      this.addWatchFile(schemaPath);
      return previewValidatorSource(resolve(schemaPath));
    },
  };
}
