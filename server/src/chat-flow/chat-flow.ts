// The one place that decides between Flex Conversations and legacy Flex
// Programmable Chat. Routes talk to a ChatFlow and never ask which one it is.
import type { TokenServiceMode, WebChatEndResponse } from '../../../contracts/token-service.ts';
import type { TranscriptSourceMessage } from '../../../contracts/transcript-email.ts';
import { resolveChat, type TokenServiceConfig } from '../env.ts';
import type { LogEntry } from '../log.ts';
import type { ConversationsApi, FlexChannelsApi, FlexWebChannelsApi, FlexWebChats } from '../twilio-client.ts';
import { withBackPressure, type BackPressureOptions } from './back-pressure.ts';
import { conversationsFlow } from './conversations.ts';
import { legacyFlow } from './legacy.ts';

export interface StartChatInput {
  /** The identity the service picked (random, or derived from a userToken). */
  identity: string;
  customerFriendlyName: string;
  /** Cleaned form data (plus `_context`), as sent to Flex. */
  preEngagementData: Record<string, unknown>;
  requestId: string | undefined;
}

export interface ChatFlow {
  readonly name: 'conversations' | 'legacy';
  /** The `mode` init answers and /healthz names: which SDK the widget loads. */
  readonly responseMode: TokenServiceMode;
  /** IS… the visitors' tokens grant. */
  readonly serviceSid: string;
  /** Names this deployment in shared rate-limit keys (address or Flex Flow SID). */
  readonly deploymentKey: string;
  /** True when only a session proof can tie a visitor to a chat (no membership lookup). */
  readonly needsProof: boolean;
  /** Starts a Flex chat; the identity Flex settled on may differ from the one asked for. */
  start(input: StartChatInput): Promise<{ conversationSid: string; identity: string }>;
  /** Posts the visitor's first message; false when it could not (the widget then posts it). */
  postFirstMessage(conversationSid: string, identity: string, body: string, requestId: string | undefined): Promise<boolean>;
  /** Whether Twilio lists `identity` as a participant of `conversationSid` (404 alike for a foreign and a missing one). */
  isParticipant(conversationSid: string, identity: string, requestId: string | undefined, step: 'refresh' | 'end' | 'transcript' | 'survey'): Promise<boolean>;
  /** Throws 410 conversation_closed when closed or gone, 502 when Twilio fails. */
  assertOpen(conversationSid: string, requestId: string | undefined): Promise<void>;
  /**
   * The conversation's messages, newest `limit`, oldest first (a closed one's too), for an
   * e-mailed transcript. Legacy: not available (501 not_configured).
   */
  messages(conversationSid: string, limit: number, requestId: string | undefined): Promise<TranscriptSourceMessage[]>;
  /** Ends the chat; already closed or gone counts as ended. */
  end(conversationSid: string, requestId: string | undefined): Promise<WebChatEndResponse['state']>;
}

export interface ChatFlowApis {
  flex: FlexWebChats;
  conversations: ConversationsApi;
  channels: FlexChannelsApi;
  webChannels: FlexWebChannelsApi;
}

/**
 * Picks the flow. The one call of each flow that starts a chat goes through
 * back-pressure (back-pressure.ts): the account's orchestration slots, and
 * Twilio's 429s retried within a small budget, then 503 busy.
 */
export function chooseChatFlow(
  config: TokenServiceConfig,
  apis: ChatFlowApis,
  log: (entry: LogEntry) => void,
  backPressure: Omit<BackPressureOptions, 'log'> = {},
): ChatFlow {
  const chat = resolveChat(config);
  const options: BackPressureOptions = { ...backPressure, log };
  if (chat.flow === 'legacy') {
    const channels = Object.assign((sid: string) => apis.channels(sid), { create: withBackPressure((params: Parameters<FlexChannelsApi['create']>[0]) => apis.channels.create(params), options) });
    return legacyFlow(chat, { ...apis, channels }, log);
  }
  const flex: FlexWebChats = { create: withBackPressure((params: Parameters<FlexWebChats['create']>[0]) => apis.flex.create(params), options) };
  return conversationsFlow({ ...chat, responseMode: config.mode }, { ...apis, flex }, log);
}
