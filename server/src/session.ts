// Who may refresh or end a chat (server/README.md, "Authorization"): the
// credentials a visitor got from init — token and/or session proof — verified,
// then tied to the conversation they name.
import { isPlainObject } from './json.ts';
import { verifyChatToken, type ChatTokenIssuer } from './access-token.ts';
import type { ChatFlow } from './chat-flow/chat-flow.ts';
import { HttpError, TOKEN_INVALID_MESSAGE } from './http-error.ts';
import type { Log } from './log.ts';
import { MAX_SESSION_PROOF_LENGTH, type SessionProofs } from './session-proof.ts';

export interface SessionInput {
  token: string | undefined;
  /** Always set for refresh; end may leave it out when a token is sent (the token names it). */
  identity: string | undefined;
  conversationSid: string;
  sessionProof: string | undefined;
}

export type SessionRoute = 'refresh' | 'end' | 'transcript' | 'survey';

const SESSION_KEYS = new Set(['token', 'identity', 'conversationSid', 'sessionProof']);
const MAX_TOKEN_LENGTH = 8192;

/** Structural checks of the refresh and end bodies: token and/or sessionProof, identity, conversationSid. */
export function parseSessionBody(body: unknown, route: SessionRoute, flow: Pick<ChatFlow, 'needsProof'>): SessionInput {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !SESSION_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError(
      'invalid_body',
      `Unknown property ${JSON.stringify(unknown[0])}; expected token and/or sessionProof, identity and conversationSid`,
    );
  }
  const { token, identity, conversationSid, sessionProof } = body;
  if (token !== undefined && (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH)) {
    throw new HttpError('invalid_body', 'token must be the access token from /webchat/init');
  }
  if (sessionProof !== undefined && (typeof sessionProof !== 'string' || sessionProof === '' || sessionProof.length > MAX_SESSION_PROOF_LENGTH)) {
    throw new HttpError('invalid_body', 'sessionProof must be the sessionProof from /webchat/init');
  }
  if (token === undefined && sessionProof === undefined) {
    throw new HttpError('invalid_body', 'Send the token, the sessionProof, or both, as received from /webchat/init');
  }
  const identityOptional = route !== 'refresh' && token !== undefined;
  if (!(identity === undefined && identityOptional) && (typeof identity !== 'string' || identity === '')) {
    throw new HttpError('invalid_body', 'identity must be a non-empty string');
  }
  if (typeof conversationSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(conversationSid)) {
    throw new HttpError('invalid_body', 'conversationSid must be a conversation SID (CH…)');
  }
  if (flow.needsProof && sessionProof === undefined) {
    throw new HttpError('invalid_body', 'Send the sessionProof (with identity) for a legacy Flex chat');
  }
  return { token, identity: identity as string | undefined, conversationSid, sessionProof };
}

export interface SessionVerifierOptions {
  issuer: ChatTokenIssuer;
  proofs: SessionProofs;
  /** A proof stays valid this long after it was issued (token TTL + grace period). */
  proofLifetimeSeconds: number;
  refreshGraceSeconds: number;
  flow: ChatFlow;
  log: Log;
  now: () => number;
}

export interface VerifiedSession {
  identity: string;
  nowMs: number;
}

/**
 * Accepts a session only for the conversation its credentials were issued for:
 * an unexpired token we minted (plus, if sent, a valid proof), or a valid
 * session proof for that identity and conversation, alone or with our token
 * expired less than the grace period ago. A proof binds identity and
 * conversation by its HMAC; a token alone only if Twilio lists its identity as
 * a participant. Everything else is one answer, 401 token_invalid, whichever
 * conversation was named: no existence oracle.
 */
export function createSessionVerifier(options: SessionVerifierOptions) {
  const { issuer, proofs, proofLifetimeSeconds, refreshGraceSeconds, flow, log, now } = options;

  const refused = (requestId: string | undefined, route: SessionRoute, reason: string): HttpError => {
    log({ level: 'warn', msg: `${route}_refused`, requestId, reason });
    return new HttpError('token_invalid', TOKEN_INVALID_MESSAGE);
  };

  return async function verifySession(input: SessionInput, route: SessionRoute, requestId: string | undefined): Promise<VerifiedSession> {
    const nowMs = now();
    const check = input.token === undefined ? undefined : await verifyChatToken(input.token, issuer, nowMs);
    const ours = check !== undefined && (check.ok || check.reason === 'expired') ? check : undefined;
    const identity = input.identity ?? ours?.identity;
    if (identity === undefined) throw refused(requestId, route, check && !check.ok ? check.reason : 'no_identity');

    const proof =
      input.sessionProof === undefined
        ? undefined
        : proofs.verify(input.sessionProof, { identity, conversationSid: input.conversationSid }, nowMs, proofLifetimeSeconds);
    if (proof && !proof.ok) throw refused(requestId, route, `proof_${proof.reason}`);

    if (check !== undefined) {
      if (!ours) throw refused(requestId, route, check.ok ? 'malformed' : check.reason);
      if (ours.identity !== identity) throw refused(requestId, route, 'identity_mismatch');
      if (!ours.ok) {
        if (!proof) throw refused(requestId, route, 'expired');
        if (ours.expiresAt.getTime() + refreshGraceSeconds * 1000 <= nowMs) throw refused(requestId, route, 'grace_elapsed');
      }
    }
    // A valid proof binds identity and conversation; a token alone needs Twilio's word.
    if (!proof && !(await flow.isParticipant(input.conversationSid, identity, requestId, route))) {
      throw refused(requestId, route, 'not_a_participant');
    }
    return { identity, nowMs };
  };
}

export type SessionVerifier = ReturnType<typeof createSessionVerifier>;
