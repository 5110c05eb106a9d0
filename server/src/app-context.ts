// What the routes share: configuration, the chat flow, token minting, session
// checks, limits and the clock. Built once per app from config + deps (app.ts).
import type { MiddlewareHandler } from 'hono';
import type { ConsentFieldRules } from '../../contracts/consent.ts';
import type { TranscriptDelivery } from '../../contracts/transcript-email.ts';
import type { ChatToken } from './access-token.ts';
import type { ChatFlow } from './chat-flow/chat-flow.ts';
import type { TokenServiceConfig } from './env.ts';
import type { Log } from './log.ts';
import type { TokenServiceEnv } from './middleware/types.ts';
import type { MessageDelivery } from './offline-message.ts';
import type { PreEngagementValidator } from './pre-engagement.ts';
import type { RateLimitedRoute } from './rate-limit.ts';
import type { Readiness } from './readiness.ts';
import type { SessionProofs } from './session-proof.ts';
import type { SessionVerifier } from './session.ts';
import type { SurveyRecorder } from './survey-recorder.ts';

export interface AppContext {
  config: TokenServiceConfig;
  flow: ChatFlow;
  log: Log;
  now: () => number;
  proofs: SessionProofs;
  verifySession: SessionVerifier;
  mint(identity: string): ChatToken;
  validateForm: PreEngagementValidator;
  /** The form's consent fields: init records each acceptance (contracts/consent.ts consentRecords). */
  consentFields: readonly ConsentFieldRules[];
  /** The form answer posted as the visitor's first message: FLEXCHAT_FIRST_MESSAGE_FIELD, else the form's own setting. */
  firstMessageField: string | null;
  newIdentity(): string;
  messageDelivery: MessageDelivery | null;
  /** Where POST /webchat/transcript hands transcripts: the message webhook, locally the emulator; null: 501. */
  transcriptDelivery: ((payload: TranscriptDelivery) => Promise<void>) | null;
  /** POST /webchat/survey: the deployment's scale, whether it takes a comment, and where it is recorded; null: 501. */
  survey: { scale: 'stars' | 'thumbs'; comment: boolean; record: SurveyRecorder } | null;
  readiness(): Promise<Readiness>;
  /** The checks every browser POST of `route` passes first (middleware/browser-post.ts). */
  browserPost(route: RateLimitedRoute): MiddlewareHandler<TokenServiceEnv>;
  requireAllowedOrigin: MiddlewareHandler<TokenServiceEnv>;
}
