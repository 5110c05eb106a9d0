// POST /webchat/init: validates the pre-engagement form, starts a Flex chat for
// a new identity (random, or a logged-in user's stable one) and hands back a
// token and a session proof for that identity and that conversation only.
import { Hono } from 'hono';
import type { WebChatInitRequest, WebChatInitResponse } from '../../../contracts/token-service.ts';
import { MAX_TEASER } from '../../../contracts/bridge-protocol.ts';
import { CONSENT_DATA_KEY, consentRecords } from '../../../contracts/consent.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http-error.ts';
import { isPlainObject, jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { deriveUserIdentity, verifyUserToken } from '../user-identity.ts';

export const DEFAULT_CUSTOMER_FRIENDLY_NAME = 'Customer';
const MAX_PAGE_URL_LENGTH = 2048;
const MAX_USER_TOKEN_LENGTH = 4096;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}$/;
const INIT_KEYS = new Set(['preEngagementData', 'context', 'userToken']);
const USER_TOKEN_INVALID_MESSAGE = 'The signed user identity (userToken) is invalid or has expired';

interface InitInput {
  preEngagementData: Record<string, unknown>;
  context: { pageUrl?: string; locale?: string; teaser?: string } | undefined;
  userToken: string | undefined;
}

/** Structural checks of the init body; the form rules come after (validation_failed). */
function parseInitBody(body: unknown): InitInput {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !INIT_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError(
      'invalid_body',
      `Unknown property ${JSON.stringify(unknown[0])}; expected preEngagementData and optional context and userToken`,
    );
  }
  const { preEngagementData, context, userToken } = body as Partial<WebChatInitRequest> & Record<string, unknown>;
  if (!isPlainObject(preEngagementData)) {
    throw new HttpError('invalid_body', 'preEngagementData must be an object of field name → string or boolean');
  }
  if (userToken !== undefined && (typeof userToken !== 'string' || userToken === '' || userToken.length > MAX_USER_TOKEN_LENGTH)) {
    throw new HttpError('invalid_body', `userToken must be a JWT string of at most ${MAX_USER_TOKEN_LENGTH} characters`);
  }
  if (context === undefined || context === null) return { preEngagementData, context: undefined, userToken };
  if (!isPlainObject(context)) throw new HttpError('invalid_body', 'context must be an object');

  const cleaned: { pageUrl?: string; locale?: string; teaser?: string } = {};
  const { pageUrl, locale, teaser } = context as Record<string, unknown>;
  if (pageUrl !== undefined) {
    if (typeof pageUrl !== 'string' || pageUrl.length > MAX_PAGE_URL_LENGTH) {
      throw new HttpError('invalid_body', `context.pageUrl must be a URL of at most ${MAX_PAGE_URL_LENGTH} characters`);
    }
    let url: URL;
    try {
      url = new URL(pageUrl);
    } catch {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    // Query strings and fragments often carry tokens or personal data: forward origin + path only.
    cleaned.pageUrl = url.origin + url.pathname;
  }
  if (locale !== undefined) {
    if (typeof locale !== 'string' || !LOCALE.test(locale)) {
      throw new HttpError('invalid_body', 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"');
    }
    cleaned.locale = locale;
  }
  if (teaser !== undefined) {
    if (typeof teaser !== 'string' || teaser.trim() === '' || teaser.length > MAX_TEASER) {
      throw new HttpError('invalid_body', `context.teaser must be the teaser's text, 1-${MAX_TEASER} characters`);
    }
    cleaned.teaser = teaser;
  }
  return { preEngagementData, context: Object.keys(cleaned).length ? cleaned : undefined, userToken };
}

export function initRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  const { config, flow, log } = ctx;

  /** The chat identity: derived from a valid userToken, else random. */
  function identityFor(userToken: string | undefined, requestId: string): string {
    if (userToken === undefined) return ctx.newIdentity();
    if (config.identitySecret === undefined) {
      log({ level: 'warn', msg: 'user_token_refused', requestId, reason: 'not_configured' });
      throw new HttpError('user_token_invalid', 'Signed user identities are not enabled on this token service');
    }
    const check = verifyUserToken(userToken, config.identitySecret, ctx.now());
    if (!check.ok) {
      log({ level: 'warn', msg: 'user_token_refused', requestId, reason: check.reason });
      throw new HttpError('user_token_invalid', USER_TOKEN_INVALID_MESSAGE);
    }
    return deriveUserIdentity(check.userId, config.identitySecret);
  }

  return new Hono<TokenServiceEnv>().post('/webchat/init', ctx.browserPost('init'), async (c) => {
    const requestId = c.get('requestId');
    const input = parseInitBody(c.get('body'));
    const requestedIdentity = identityFor(input.userToken, requestId);
    const result = ctx.validateForm(input.preEngagementData, input.context?.locale);
    if (!result.ok) throw new HttpError('validation_failed', 'Some pre-engagement fields are invalid', { fields: result.fields });

    const preEngagementData: Record<string, unknown> = { ...result.data };
    // Field names start with a letter, so these keys cannot collide with a form field.
    if (input.context) preEngagementData._context = input.context;
    // Which consent text version the visitor accepted, and when (Flex keeps the data in the conversation's attributes).
    const consents = consentRecords(ctx.consentFields, new Date(ctx.now()));
    if (consents.length) preEngagementData[CONSENT_DATA_KEY] = consents;
    const customerFriendlyName = result.friendlyName ?? DEFAULT_CUSTOMER_FRIENDLY_NAME;
    const { conversationSid, identity } = await flow.start({ identity: requestedIdentity, customerFriendlyName, preEngagementData, requestId });

    let firstMessageSent: boolean | undefined;
    const firstMessage = ctx.firstMessageField === null ? undefined : result.data[ctx.firstMessageField];
    if (typeof firstMessage === 'string' && firstMessage !== '') {
      firstMessageSent = await flow.postFirstMessage(conversationSid, identity, firstMessage, requestId);
    }

    const { token, expiresAt } = ctx.mint(identity);
    const body: WebChatInitResponse = {
      token,
      identity,
      conversationSid,
      expiresAt: expiresAt.toISOString(),
      mode: flow.responseMode,
      sessionProof: ctx.proofs.issue({ identity, conversationSid }, ctx.now()),
    };
    if (config.mode === 'local' && config.emulator) body.twilsockUri = config.emulator.twilsockUri;
    if (firstMessageSent !== undefined) body.firstMessageSent = firstMessageSent;
    if (firstMessageSent === false && typeof firstMessage === 'string') body.firstMessage = firstMessage;
    return jsonResponse(c, 200, body);
  });
}
