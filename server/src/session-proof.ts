// Session proofs: an opaque `v1.<issuedAt>.<mac>` handed out with every token,
// where mac = HMAC-SHA256(FLEXCHAT_SESSION_SECRET, scope ‖ identity ‖
// conversationSid ‖ issuedAt). It proves this service started (or last
// refreshed) that session at `issuedAt`, so /webchat/refresh can still renew a
// token that expired while the visitor's laptop slept — within a grace period,
// and for that identity and conversation only.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionProofScope {
  /** Binds proofs to one account and Conversations service, so a secret shared by mistake does not carry over. */
  accountSid: string;
  serviceSid: string;
}

export interface SessionBinding {
  identity: string;
  conversationSid: string;
}

export type SessionProofCheck =
  | { ok: true; issuedAt: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'from_the_future' | 'expired' };

const PROOF = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
export const MAX_SESSION_PROOF_LENGTH = 64;
const CLOCK_SKEW_SECONDS = 60;

/** A random secret for one process (local mode, or a forgotten FLEXCHAT_SESSION_SECRET). */
export const generateSessionSecret = (): string => randomBytes(32).toString('base64url');

export function createSessionProofs(secret: string, scope: SessionProofScope) {
  // The key object and the fixed part of the message are made once: an HMAC keyed by a
  // string imports the key again on every call (init issues one proof per chat start).
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const prefix = `flexchat-session:v1\n${scope.accountSid}\n${scope.serviceSid}\n`;
  const mac = (binding: SessionBinding, issuedAt: number): Buffer =>
    createHmac('sha256', key).update(`${prefix}${binding.identity}\n${binding.conversationSid}\n${issuedAt}`).digest();

  return {
    /** A proof for `binding` issued at `nowMs`. */
    issue(binding: SessionBinding, nowMs: number): string {
      const issuedAt = Math.floor(nowMs / 1000);
      return `v1.${issuedAt}.${mac(binding, issuedAt).toString('base64url')}`;
    },

    /** Valid when ours, for `binding`, and issued less than `lifetimeSeconds` before `nowMs`. */
    verify(proof: string, binding: SessionBinding, nowMs: number, lifetimeSeconds: number): SessionProofCheck {
      const match = PROOF.exec(proof);
      if (!match) return { ok: false, reason: 'malformed' };
      const issuedAt = Number(match[1]);
      const given = Buffer.from(match[2] ?? '', 'base64url');
      const expected = mac(binding, issuedAt);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
      const now = nowMs / 1000;
      if (issuedAt > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'from_the_future' };
      if (issuedAt + lifetimeSeconds <= now) return { ok: false, reason: 'expired' };
      return { ok: true, issuedAt };
    },
  };
}

export type SessionProofs = ReturnType<typeof createSessionProofs>;
