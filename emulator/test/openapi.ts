import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

// Spec conformance for tests: Twilio's own OpenAPI 3 documents
// (emulator/specs/twilio-oai, copied into the repository with their licence
// and source commit) turned into JSON Schema for ajv.
//  - find an operation by method + path (a template like /v1/FlexFlows/{Sid},
//    or a concrete path, with or without the emulator's product prefix);
//  - check that every request parameter a test sends is defined by the
//    operation (and, optionally, that its value and the required set conform);
//  - validate a response body against the operation's response schema.
// OpenAPI's `nullable: true` becomes a JSON Schema type union with "null";
// x-twilio and other x- extensions are dropped. In `exact` mode (the default)
// every object with declared properties must have all of them and nothing
// else, so "the shape" means the full shape.

export type SpecName = 'twilio_flex_v1' | 'twilio_flex_v2' | 'twilio_conversations_v1';
export type HttpMethod = 'get' | 'post' | 'delete';

/** The repository's own copy; TWILIO_OAI_DIR points at another checkout of twilio-oai to compare against a newer spec. */
export const SPEC_DIR = process.env.TWILIO_OAI_DIR ?? resolve(import.meta.dirname, '../specs/twilio-oai');

/** The emulator serves each product under a prefix named after its host. */
const PRODUCT_PREFIXES: Record<string, SpecName> = {
  '/flex-api/v1/': 'twilio_flex_v1',
  '/flex-api/v2/': 'twilio_flex_v2',
  '/conversations/v1/': 'twilio_conversations_v1',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema: JsonObject;
}

interface OperationObject {
  operationId: string;
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, { schema: JsonObject & { properties?: Record<string, JsonObject>; required?: string[] } }> };
  responses: Record<string, { content?: Record<string, { schema: JsonObject }> }>;
}

export interface ParamDefinition {
  name: string;
  in: 'query' | 'path' | 'header' | 'body';
  required: boolean;
  /** JSON Schema (converted, $refs resolvable through the spec's ajv). */
  schema: JsonObject;
}

export interface RequestParts {
  query?: Record<string, string> | URLSearchParams;
  form?: Record<string, string> | URLSearchParams;
  headers?: Record<string, string>;
}

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** OpenAPI 3.0 schema → JSON Schema: nullable → type unions, no x- extensions; exact objects on request. */
export function toJsonSchema(node: Json, options: { exact: boolean; refBase: string }): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, options));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || key === 'example' || key === 'examples' || key === 'nullable' || key === 'discriminator') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      out.$ref = `${options.refBase}${value}`;
      continue;
    }
    // Property names are data, not schemas: convert their values, keep the names.
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema, options)]));
      continue;
    }
    out[key] = toJsonSchema(value, options);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (options.exact && isObject(out.properties) && out.additionalProperties === undefined) {
    out.additionalProperties = false;
    out.required = Object.keys(out.properties);
  }
  return out;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ');
}

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsPlugin as unknown as (ajv: Ajv) => Ajv)(ajv);
  ajv.addFormat('uri-map', true);
  return ajv;
}

/** Twilio's REST error JSON: exactly {code, message, more_info, status}. */
const TWILIO_ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  properties: {
    code: { type: 'integer' },
    message: { type: 'string', minLength: 1 },
    more_info: { type: 'string', format: 'uri' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
  },
  additionalProperties: false,
} as const;

const sharedAjv = createAjv();
const validateTwilioError = sharedAjv.compile(TWILIO_ERROR_SCHEMA);

export function assertTwilioError(body: unknown, status?: number, code?: number): void {
  if (!validateTwilioError(body)) throw new Error(`Not a Twilio error body: ${formatErrors(validateTwilioError.errors)}\n${JSON.stringify(body)}`);
  const error = body as { code: number; status: number };
  if (status !== undefined && error.status !== status) throw new Error(`Twilio error status ${error.status}, expected ${status}: ${JSON.stringify(body)}`);
  if (code !== undefined && error.code !== code) throw new Error(`Twilio error code ${error.code}, expected ${code}: ${JSON.stringify(body)}`);
}

/** Validates any body against an ad-hoc JSON Schema (e.g. the seed-defined preview shapes). */
export function assertMatchesSchema(schema: object, body: unknown, what = 'body'): void {
  const validate = sharedAjv.compile(schema);
  if (!validate(body)) throw new Error(`${what} does not match its schema: ${formatErrors(validate.errors)}\n${JSON.stringify(body)}`);
}

export class OpenApiSpec {
  private static readonly cache = new Map<SpecName, OpenApiSpec>();
  private readonly ajv = createAjv();
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly root: JsonObject;
  readonly paths: Record<string, Record<string, OperationObject>>;

  static load(name: SpecName): OpenApiSpec {
    let spec = OpenApiSpec.cache.get(name);
    if (!spec) {
      spec = new OpenApiSpec(name, JSON.parse(readFileSync(resolve(SPEC_DIR, `${name}.json`), 'utf8')) as JsonObject);
      OpenApiSpec.cache.set(name, spec);
    }
    return spec;
  }

  /** Which spec describes an emulator path such as /flex-api/v1/FlexFlows (undefined for the preview API). */
  static forEmulatorPath(path: string): { spec: OpenApiSpec; specPath: string } | undefined {
    for (const [prefix, name] of Object.entries(PRODUCT_PREFIXES)) {
      if (path.startsWith(prefix)) return { spec: OpenApiSpec.load(name), specPath: path.slice(prefix.indexOf('/', 1)) };
    }
    return undefined;
  }

  private constructor(
    readonly name: SpecName,
    doc: JsonObject,
  ) {
    this.id = `https://twilio-oai.test/${name}.json`;
    this.paths = doc.paths as unknown as Record<string, Record<string, OperationObject>>;
    const components = toJsonSchema(doc.components ?? {}, { exact: true, refBase: this.id });
    this.root = { components };
    this.ajv.addSchema({ $id: this.id, components } as object);
  }

  /** The path template (e.g. /v1/FlexFlows/{Sid}) and its values for a concrete or template path. */
  resolvePath(path: string): { template: string; pathParams: Record<string, string> } {
    const clean = path.split('?')[0] as string;
    const stripped = OpenApiSpec.forEmulatorPath(clean)?.specPath ?? clean;
    if (this.paths[stripped]) return { template: stripped, pathParams: {} };
    const candidates: { template: string; pathParams: Record<string, string>; literals: number }[] = [];
    for (const template of Object.keys(this.paths)) {
      const names: string[] = [];
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
      const match = pattern.exec(stripped);
      if (!match) continue;
      const pathParams = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] as string)]));
      candidates.push({ template, pathParams, literals: template.split('/').filter((s) => !s.startsWith('{')).length });
    }
    candidates.sort((a, b) => b.literals - a.literals);
    const best = candidates[0];
    if (!best) throw new Error(`${this.name}: no path matches ${path}`);
    return { template: best.template, pathParams: best.pathParams };
  }

  operation(method: HttpMethod, path: string): OperationObject & { template: string } {
    const { template } = this.resolvePath(path);
    const operation = this.paths[template]?.[method];
    if (!operation) throw new Error(`${this.name}: ${method.toUpperCase()} ${template} is not defined`);
    return { ...operation, template };
  }

  private convert(schema: JsonObject): JsonObject {
    return toJsonSchema(schema, { exact: true, refBase: this.id }) as JsonObject;
  }

  /** Every parameter the operation defines: query/path/header parameters and form body fields. */
  parameters(method: HttpMethod, path: string): Map<string, ParamDefinition> {
    const operation = this.operation(method, path);
    const out = new Map<string, ParamDefinition>();
    for (const p of operation.parameters ?? []) {
      out.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true, schema: this.convert(p.schema) });
    }
    const body = operation.requestBody?.content['application/x-www-form-urlencoded']?.schema;
    for (const [name, schema] of Object.entries(body?.properties ?? {})) {
      out.set(`body:${name}`, { name, in: 'body', required: (body?.required ?? []).includes(name), schema: this.convert(schema) });
    }
    return out;
  }

  private validatorFor(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Form/query values are strings on the wire: coerce them to what the parameter schema types. */
  private coerce(definition: ParamDefinition, raw: string): unknown {
    const resolved = this.resolveRef(definition.schema);
    if (resolved.type === 'integer' || (Array.isArray(resolved.type) && resolved.type.includes('integer'))) {
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    if (resolved.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    // An array parameter travels as the name repeated once per value: check one value as a one-item list.
    if (resolved.type === 'array') return [raw];
    return raw;
  }

  /** Follows a converted schema's $ref into the spec's components. */
  resolveRef(schema: JsonObject): JsonObject {
    if (typeof schema.$ref !== 'string') return schema;
    const pointer = schema.$ref.slice(this.id.length + 2).split('/');
    let node: Json = this.root;
    for (const segment of pointer) node = isObject(node) ? (node[segment] ?? null) : null;
    return isObject(node) ? node : {};
  }

  /**
   * Problems with a request a test is about to send: parameters the operation
   * does not define, and with `values`, values that do not conform and missing
   * required parameters (path parameters are checked too).
   */
  checkRequest(method: HttpMethod, path: string, parts: RequestParts, options: { values: boolean }): string[] {
    const definitions = this.parameters(method, path);
    const problems: string[] = [];
    const check = (where: 'query' | 'body' | 'header' | 'path', name: string, raw: string) => {
      const definition = definitions.get(`${where}:${name}`) ?? (where === 'header' ? [...definitions.values()].find((d) => d.in === 'header' && d.name.toLowerCase() === name.toLowerCase()) : undefined);
      if (!definition) {
        problems.push(`${where} parameter ${name} is not defined by ${method.toUpperCase()} ${this.operation(method, path).template}`);
        return;
      }
      if (!options.values) return;
      const validate = this.validatorFor(`${method}:${path}:${where}:${name}`, definition.schema);
      if (!validate(this.coerce(definition, raw))) problems.push(`${where} parameter ${name}=${JSON.stringify(raw)}: ${formatErrors(validate.errors)}`);
    };
    const entries = (source: RequestParts['query']) => (source instanceof URLSearchParams ? [...source] : Object.entries(source ?? {}));
    for (const [name, raw] of entries(parts.query)) check('query', name, raw);
    for (const [name, raw] of entries(parts.form)) check('body', name, raw);
    for (const [name, raw] of Object.entries(parts.headers ?? {})) check('header', name, raw);
    if (options.values) {
      for (const [name, raw] of Object.entries(this.resolvePath(path).pathParams)) check('path', name, raw);
      const sent = new Set([...entries(parts.query).map(([n]) => `query:${n}`), ...entries(parts.form).map(([n]) => `body:${n}`)]);
      for (const [key, definition] of definitions) {
        if (definition.required && (definition.in === 'query' || definition.in === 'body') && !sent.has(key)) {
          problems.push(`required ${definition.in} parameter ${definition.name} is missing`);
        }
      }
    }
    return problems;
  }

  assertRequest(method: HttpMethod, path: string, parts: RequestParts, options: { values: boolean } = { values: true }): void {
    const problems = this.checkRequest(method, path, parts, options);
    if (problems.length) throw new Error(`Request does not conform to ${this.name}:\n  ${problems.join('\n  ')}`);
  }

  /** Statuses the operation documents (e.g. ['201'] for a create, ['204'] for a delete). */
  responseStatuses(method: HttpMethod, path: string): string[] {
    return Object.keys(this.operation(method, path).responses);
  }

  /** Validates a success body against the documented schema of that status; a 204 must have no body. */
  assertResponse(method: HttpMethod, path: string, status: number, body: unknown): void {
    const operation = this.operation(method, path);
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`${operation.operationId} does not document status ${status} (documents ${Object.keys(operation.responses).join(', ')})`);
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body !== undefined && body !== '') throw new Error(`${operation.operationId} ${status} has no body, got ${JSON.stringify(body).slice(0, 200)}`);
      return;
    }
    const validate = this.validatorFor(`response:${method}:${operation.template}:${status}`, this.convert(schema));
    if (!validate(body)) {
      throw new Error(`${operation.operationId} ${status} response does not match ${this.name}: ${formatErrors(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
    }
  }
}
