import { AccessTokenError, chatGrantProblem, verifyAccessToken } from '../auth/access-token.ts';
import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { HttpRequest, HttpResponse, Router } from '../http/http-kit.ts';
import { twilioRestError } from '../rest/twilio-rest.ts';
import { checkAttachment, FLEX_WEB_ATTACHMENT_LIMITS, type MediaRecord, type MediaStore } from './media-store.ts';

// MCS over plain HTTP, as the SDKs call it: XHR with an X-Twilio-Token header
// from the browser (so CORS applies), signed temporary URLs for downloads.

const CORS_HEADERS = {
  // The token in X-Twilio-Token is the credential, so any origin may ask.
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'X-Twilio-Token, Content-Type',
  'Access-Control-Max-Age': '600',
};

function withCors(response: HttpResponse): HttpResponse {
  return { ...response, headers: { ...CORS_HEADERS, ...response.headers } };
}

/** Room for multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

interface Upload {
  contentType: string;
  filename: string | null;
  bytes: Buffer;
}

/**
 * The file of an upload: the raw body with its Content-Type and `?Filename=`
 * (what @twilio/conversations sends), or the one file part of a multipart form
 * (what twilio-chat sends for a FormData, the way Programmable Chat documents
 * media messages; the part carries the file name).
 */
async function uploadOf(request: HttpRequest): Promise<Upload | HttpResponse> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return { contentType, filename: request.url.searchParams.get('Filename'), bytes: request.rawBody };
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(request.rawBody), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return twilioRestError(400, 20001, 'The multipart body could not be parsed');
  }
  const files = [...form.values()].filter((value): value is File => typeof value !== 'string');
  const file = files[0];
  if (files.length !== 1 || !file) return twilioRestError(400, 20001, `A multipart upload must hold exactly one file (got ${files.length})`);
  return { contentType: file.type, filename: file.name || null, bytes: Buffer.from(await file.arrayBuffer()) };
}

export function registerMediaRoutes(router: Router, media: MediaStore, model: ConversationsModel, credentials: EmulatorCredentials): void {
  const base = '/mcs/v1/Services/:service';

  const accountServices = new Set([credentials.conversationsServiceSid, credentials.flexChatServiceSid]);

  /**
   * The caller: a valid token with a ChatGrant on one of the account's services,
   * used on that service's media path (another service's media path is not found).
   */
  const callerOf = (request: HttpRequest): { identity: string; serviceSid: string } | HttpResponse => {
    const token = request.headers['x-twilio-token'];
    if (typeof token !== 'string') return twilioRestError(401, 20003, 'X-Twilio-Token header is required');
    let verified;
    try {
      verified = verifyAccessToken(token, credentials);
    } catch (error) {
      if (error instanceof AccessTokenError) return twilioRestError(401, error.problem === 'expired' ? 20104 : 20101, error.message);
      throw error;
    }
    const serviceSid = verified.chatServiceSid;
    if (chatGrantProblem(verified, accountServices) || serviceSid === undefined || serviceSid !== request.params.service) {
      return twilioRestError(404, 20404, `Service ${String(request.params.service).slice(0, 40)} not found for this token`);
    }
    return { identity: verified.identity, serviceSid };
  };

  const canSee = (record: MediaRecord, caller: { identity: string; serviceSid: string }): boolean => {
    if (record.serviceSid !== caller.serviceSid) return false;
    if (record.author === caller.identity) return true;
    if (!record.conversationSid) return false;
    const conversation = model.conversations.get(record.conversationSid);
    return conversation !== undefined && model.findParticipant(conversation, caller.identity) !== undefined;
  };

  const preflight = () => withCors({ status: 204 });
  router.add('OPTIONS', `${base}/Media`, preflight);
  router.add('OPTIONS', `${base}/Media/:sid`, preflight);
  router.add('OPTIONS', `${base}/MediaSet`, preflight);

  router.add(
    'POST',
    `${base}/Media`,
    async (request) => {
      const caller = callerOf(request);
      if ('status' in caller) return withCors(caller);
      const upload = await uploadOf(request);
      if ('status' in upload) return withCors(upload);
      const problem = checkAttachment(upload.contentType, upload.filename, upload.bytes.length);
      if (problem) return withCors(twilioRestError(problem.status, problem.code, problem.message));
      const record = media.add({
        contentType: upload.contentType.split(';')[0]?.trim() ?? upload.contentType,
        filename: upload.filename,
        serviceSid: caller.serviceSid,
        author: caller.identity,
        category: request.url.searchParams.get('Category') ?? 'media',
        bytes: upload.bytes,
      });
      return withCors({ status: 201, body: media.describe(record) });
    },
    { maxBodyBytes: FLEX_WEB_ATTACHMENT_LIMITS.maxBytes + MULTIPART_OVERHEAD_BYTES },
  );

  router.add('GET', `${base}/Media/:sid`, (request) => {
    const caller = callerOf(request);
    if ('status' in caller) return withCors(caller);
    const record = media.get(request.params.sid as string);
    if (!record || !canSee(record, caller)) return withCors(twilioRestError(404, 20404, `Media ${request.params.sid} not found`));
    return withCors({ status: 200, body: media.describe(record) });
  });

  router.add('GET', `${base}/Media/:sid/Content`, (request) => {
    const sid = request.params.sid as string;
    const record = media.get(sid);
    const { searchParams } = request.url;
    if (!record || !media.verifyTemporaryUrl(sid, searchParams.get('Expires'), searchParams.get('Signature'))) {
      return withCors(twilioRestError(403, 20403, 'This media URL is invalid or has expired'));
    }
    const disposition = record.filename ? `attachment; filename*=UTF-8''${encodeURIComponent(record.filename)}` : 'attachment';
    return withCors({ status: 200, bytes: record.bytes, headers: { 'Content-Type': record.contentType, 'Content-Disposition': disposition } });
  });

  router.add('POST', `${base}/MediaSet`, (request) => {
    const caller = callerOf(request);
    if ('status' in caller) return withCors(caller);
    let query: { command?: unknown; list?: unknown };
    try {
      query = JSON.parse(request.rawBody.toString('utf8')) as typeof query;
    } catch {
      return withCors(twilioRestError(400, 20001, 'MediaSet body must be JSON'));
    }
    if (query.command !== 'get' || !Array.isArray(query.list) || query.list.length > 100) {
      return withCors(twilioRestError(400, 20001, 'MediaSet needs {"command":"get","list":[{"media_sid":…}]} with at most 100 items'));
    }
    const results = query.list.map((entry) => {
      const sid = typeof (entry as { media_sid?: unknown })?.media_sid === 'string' ? ((entry as { media_sid: string }).media_sid) : '';
      const record = media.get(sid);
      return record && canSee(record, caller)
        ? { code: 200, media_record: media.describe(record) }
        : { code: 404, media_record: { sid } };
    });
    return withCors({ status: 200, body: results });
  });
}
