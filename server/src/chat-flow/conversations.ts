// Flex Conversations: POST /v2/WebChats starts the chat; the Conversations REST
// API posts the first message, checks membership and state, and closes it.
import type { TokenServiceMode } from '../../../contracts/token-service.ts';
import { HttpError } from '../http-error.ts';
import type { Log } from '../log.ts';
import { describeUpstreamError, type ConversationsApi, type FlexWebChats } from '../twilio-client.ts';
import type { ChatFlow } from './chat-flow.ts';
import { CHAT_FRIENDLY_NAME, isAlreadyClosed } from './twilio-codes.ts';

export function conversationsFlow(
  chat: { serviceSid: string; addressSid: string; responseMode: TokenServiceMode },
  apis: { flex: FlexWebChats; conversations: ConversationsApi },
  log: Log,
): ChatFlow {
  const { flex, conversations } = apis;
  const endFailed = (upstream: unknown, requestId: string | undefined, step: string): HttpError => {
    log({ level: 'error', msg: 'end_failed', requestId, step, ...describeUpstreamError(upstream) });
    return new HttpError('upstream_error', 'Could not end the conversation with Twilio; try again shortly');
  };

  return {
    name: 'conversations',
    responseMode: chat.responseMode,
    serviceSid: chat.serviceSid,
    deploymentKey: chat.addressSid,
    needsProof: false,

    async start({ identity, customerFriendlyName, preEngagementData, requestId }) {
      let created: { conversationSid: string; identity: string };
      try {
        created = await flex.create({
          addressSid: chat.addressSid,
          chatFriendlyName: CHAT_FRIENDLY_NAME,
          customerFriendlyName,
          preEngagementData: JSON.stringify(preEngagementData),
          identity,
        });
      } catch (upstream) {
        if (upstream instanceof HttpError) throw upstream;
        log({ level: 'error', msg: 'flex_webchats_failed', requestId, ...describeUpstreamError(upstream) });
        throw new HttpError('upstream_error', 'Could not start a conversation with Twilio Flex; try again shortly');
      }
      const conversationSid = created?.conversationSid;
      const settled = created?.identity;
      if (typeof conversationSid !== 'string' || !conversationSid.startsWith('CH') || typeof settled !== 'string' || settled === '') {
        log({ level: 'error', msg: 'flex_webchats_bad_reply', requestId });
        throw new HttpError('upstream_error', 'Twilio Flex answered without a conversation; try again shortly');
      }
      return { conversationSid, identity: settled };
    },

    async postFirstMessage(conversationSid, identity, body, requestId) {
      try {
        // Webhooks on, so the Flex Studio flow sees the message as it would one typed in the chat.
        await conversations(conversationSid).messages.create({ author: identity, body, xTwilioWebhookEnabled: 'true' });
        return true;
      } catch (upstream) {
        log({ level: 'warn', msg: 'first_message_failed', requestId, ...describeUpstreamError(upstream) });
        return false;
      }
    },

    async isParticipant(conversationSid, identity, requestId, step) {
      try {
        // Twilio accepts the identity in place of the MB… SID.
        await conversations(conversationSid).participants(identity).fetch();
        return true;
      } catch (upstream) {
        const summary = describeUpstreamError(upstream);
        if (summary.status === 404) return false;
        if (step === 'end') throw endFailed(upstream, requestId, 'participant');
        log({ level: 'error', msg: 'conversation_lookup_failed', requestId, step: 'participant', ...summary });
        throw new HttpError('upstream_error', 'Could not check the conversation with Twilio; try again shortly');
      }
    },

    async assertOpen(conversationSid, requestId) {
      let state: string | undefined;
      try {
        state = (await conversations(conversationSid).fetch()).state;
      } catch (upstream) {
        const summary = describeUpstreamError(upstream);
        if (summary.status === 404) {
          log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'conversation_not_found' });
          throw new HttpError('conversation_closed', 'This conversation no longer exists; start a new chat');
        }
        log({ level: 'error', msg: 'conversation_lookup_failed', requestId, ...summary });
        throw new HttpError('upstream_error', 'Could not check the conversation with Twilio; try again shortly');
      }
      if (state === 'closed') {
        log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'conversation_closed' });
        throw new HttpError('conversation_closed', 'This conversation has ended; start a new chat');
      }
    },

    async messages(conversationSid, limit, requestId) {
      try {
        const newest = await conversations(conversationSid).messages.list({ limit, pageSize: 100, order: 'desc' }); // Twilio pages messages by 100 at most
        return newest.reverse();
      } catch (upstream) {
        log({ level: 'error', msg: 'transcript_messages_failed', requestId, ...describeUpstreamError(upstream) });
        throw new HttpError('upstream_error', 'Could not read the conversation from Twilio; try again shortly');
      }
    },

    async end(conversationSid, requestId) {
      const conversation = conversations(conversationSid);
      let state: string;
      try {
        state = (await conversation.fetch()).state;
      } catch (upstream) {
        if (describeUpstreamError(upstream).status === 404) return 'closed';
        throw endFailed(upstream, requestId, 'fetch');
      }
      if (state === 'closed') return 'closed';
      try {
        await conversation.update({ state: 'closed' });
      } catch (upstream) {
        if (isAlreadyClosed(describeUpstreamError(upstream))) return 'closed';
        throw endFailed(upstream, requestId, 'update');
      }
      return 'closed';
    },
  };
}
