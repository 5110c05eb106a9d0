import type { EmulatorCredentials } from '../config.ts';
import { HttpError, type HttpRequest, type Router } from '../http/http-kit.ts';
import { notFound, restRoute } from '../rest/conversations-kit.ts';
import { paginate } from '../rest/paging.ts';
import { pagingParams, pathSid, queryParams } from '../rest/params.ts';
import { twilioRestError } from '../rest/twilio-rest.ts';
import { CONTENT_API, type ContentStore } from './content-store.ts';

// Content API v1 (https://content.twilio.com/v1/Content, served under /content):
// create, list, fetch, delete. Paths, list key `contents`, PageSize 1–1000 and the
// response fields: Twilio's OpenAPI spec twilio_content_v1.json (twilio/twilio-oai,
// spec/json, commit 04b1d8c), which has no create; create takes a JSON body
// (friendly_name, language, variables, types) as Twilio's docs
// (https://www.twilio.com/docs/content/content-api-resources) and the `twilio`
// helper library (lib/rest/content/v1/content.js: Content-Type application/json) send it.

export const CONTENT_BASE = '/content/v1/Content';

const LIST_PARAMS = pagingParams(1000);

function jsonRequest(request: HttpRequest): unknown {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) throw new HttpError(twilioRestError(400, 20001, 'Content-Type must be application/json'));
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new HttpError(twilioRestError(400, 20001, 'The body is not valid JSON'));
  }
}

export function registerContentRoutes(router: Router, credentials: EmulatorCredentials, store: ContentStore): void {
  const route = restRoute(router, credentials);
  const recordOr404 = (id: string | undefined) => {
    const sid = pathSid(id, 'HX', '/Content');
    const record = store.get(sid);
    if (!record) throw notFound(`/Content/${sid}`);
    return record;
  };

  route('POST', CONTENT_BASE, (request) => {
    if (request.url.search !== '') throw new HttpError(twilioRestError(400, 20001, 'Parameters go in the JSON body, not the query'));
    return { status: 201, body: store.describe(store.create(jsonRequest(request))) };
  });

  route('GET', CONTENT_BASE, (request) => {
    const query = queryParams(request, LIST_PARAMS);
    const { page, meta } = paginate(store.list(), query, { key: 'contents', baseUrl: `${CONTENT_API}/Content` });
    return { status: 200, body: { contents: page.map((record) => store.describe(record)), meta } };
  });

  route('GET', `${CONTENT_BASE}/:sid`, (request) => {
    queryParams(request, {});
    return { status: 200, body: store.describe(recordOr404(request.params.sid)) };
  });

  route('DELETE', `${CONTENT_BASE}/:sid`, (request) => {
    queryParams(request, {});
    store.remove(recordOr404(request.params.sid).sid);
    return { status: 204 };
  });
}
