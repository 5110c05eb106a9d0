import { HttpError, type HttpRequest } from '../http/http-kit.ts';
import { twilioRestError } from './twilio-rest.ts';

// Declarative request parameters, written to mirror Twilio's OpenAPI specs
// (emulator/src/rest/spec-tables.test.ts checks every table against them):
// names, required, types (form values are strings on the wire), enums,
// patterns, bounds. Unknown parameters are rejected, as are parameters the
// spec defines but the emulator does not emulate (`unsupported`), so a request
// that passes here does not silently lose meaning.

interface Common {
  required?: boolean;
  /** Defined by Twilio but not emulated: answered with 400 instead of being ignored. */
  unsupported?: boolean;
}
export interface StringParam extends Common {
  type: 'string';
  pattern?: RegExp;
  enum?: readonly string[];
  format?: 'uri' | 'date-time';
}
export interface IntegerParam extends Common {
  type: 'integer';
  minimum?: number;
  maximum?: number;
}
export interface BooleanParam extends Common {
  type: 'boolean';
}
/** A list of strings: the parameter repeated once per value, as the helper libraries send it. */
export interface ArrayParam extends Common {
  type: 'array';
}
export type ParamDef = StringParam | IntegerParam | BooleanParam | ArrayParam;
export type ParamTable = Readonly<Record<string, ParamDef>>;

type ValueOf<D> = D extends { type: 'array' }
  ? string[]
  : D extends { type: 'integer' }
  ? number
  : D extends { type: 'boolean' }
    ? boolean
    : D extends { enum: readonly (infer E)[] }
      ? E
      : string;

export type Parsed<T extends ParamTable> = {
  -readonly [K in keyof T]: T[K] extends { required: true } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

/** A Twilio SID parameter: two letters and 32 hex digits. */
export function sidParam<R extends boolean = false>(prefix: string, required?: R): { type: 'string'; pattern: RegExp; required: R } {
  return { type: 'string', pattern: new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), required: (required ?? false) as R };
}

/** Twilio's paging query parameters; `maxPageSize` differs per API (Flex 1000, Conversations 100). */
export function pagingParams(maxPageSize: number) {
  return {
    PageSize: { type: 'integer', minimum: 1, maximum: maxPageSize },
    Page: { type: 'integer', minimum: 0 },
    PageToken: { type: 'string' },
  } as const satisfies ParamTable;
}

function invalid(message: string): HttpError {
  return new HttpError(twilioRestError(400, 20001, message));
}

function convert(name: string, raw: string, def: Exclude<ParamDef, ArrayParam>): string | number | boolean {
  switch (def.type) {
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(raw)) throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" is not an integer`);
      const value = Number(raw);
      if (def.minimum !== undefined && value < def.minimum) throw invalid(`Invalid ${name}: must be at least ${def.minimum}`);
      if (def.maximum !== undefined && value > def.maximum) throw invalid(`Invalid ${name}: must be at most ${def.maximum}`);
      return value;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" is not a boolean (true or false)`);
      return lower === 'true';
    }
    case 'string': {
      if (def.enum && !def.enum.includes(raw)) throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" is not one of ${def.enum.join(', ')}`);
      if (def.pattern && !def.pattern.test(raw)) throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" does not match ${def.pattern.source}`);
      if (def.format === 'uri' && !URL.canParse(raw)) throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" is not a URL`);
      if (def.format === 'date-time' && Number.isNaN(Date.parse(raw))) throw invalid(`Invalid ${name}: "${raw.slice(0, 40)}" is not an ISO 8601 date-time`);
      return raw;
    }
  }
}

/** Validates and converts parameters from a query string or form body against a table. */
export function parseParams<const T extends ParamTable>(source: URLSearchParams, table: T, where: 'post body' | 'query'): Parsed<T> {
  const result: Record<string, string | number | boolean | string[] | undefined> = {};
  const seen = new Set<string>();
  for (const [name, raw] of source) {
    const def = table[name];
    if (!def) throw invalid(`Unknown parameter ${name.slice(0, 60)} in the ${where}`);
    if (def.unsupported) throw invalid(`Parameter ${name} is not supported by the Flex emulator`);
    if (def.type === 'array') {
      result[name] = [...((result[name] as string[] | undefined) ?? []), raw];
      continue;
    }
    if (seen.has(name)) throw invalid(`Parameter ${name} was given more than once`);
    seen.add(name);
    result[name] = convert(name, raw, def);
  }
  for (const [name, def] of Object.entries(table)) {
    if (def.required && (result[name] === undefined || result[name] === '')) {
      throw invalid(`Missing required parameter ${name} in the ${where}`);
    }
  }
  return result as Parsed<T>;
}

/** Parameters of a form-encoded POST body. */
export function formParams<const T extends ParamTable>(request: HttpRequest, table: T): Parsed<T> {
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.rawBody.length > 0 && !contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw invalid('Content-Type must be application/x-www-form-urlencoded');
  }
  if (request.url.search !== '') {
    for (const name of request.url.searchParams.keys()) throw invalid(`Unknown parameter ${name.slice(0, 60)} in the query`);
  }
  return parseParams(new URLSearchParams(request.rawBody.toString('utf8')), table, 'post body');
}

/** Parameters of a GET/DELETE query string; a body is not expected. */
export function queryParams<const T extends ParamTable>(request: HttpRequest, table: T): Parsed<T> {
  if (request.rawBody.length > 0) throw invalid('This request takes no body');
  return parseParams(request.url.searchParams, table, 'query');
}

/** A JSON object carried in a string parameter (attributes, pre-engagement data). */
export function jsonObjectParam(name: string, raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(twilioRestError(400, 20001, `${name} must be a JSON object string`));
}

/**
 * PreEngagementData: the specs type it as a plain string. A JSON object (what
 * Flex's own web chat sends) is kept as an object; any other text is kept as
 * the text.
 */
export function preEngagementParam(raw: string | undefined): Record<string, unknown> | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // plain text
  }
  return raw;
}

/** Validates a path segment (a SID) the way Twilio's router does: a malformed SID is a 404. */
export function pathSid(value: string | undefined, prefix: string, resource: string): string {
  if (value === undefined || !new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value)) {
    throw new HttpError(twilioRestError(404, 20404, `The requested resource ${resource}/${String(value).slice(0, 40)} was not found`));
  }
  return value;
}
