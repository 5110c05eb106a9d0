// Legacy Flex Programmable Chat: POST /v1/Channels on the web Flex Flow starts
// the chat (twilio-chat in the widget); GET /v1/Channels/{CH} checks it; the chat
// is ended as Flex's own web chat does, POST /v1/WebChannels/{CH} ChatStatus=inactive.
import { HttpError } from '../http-error.ts';
import type { Log } from '../log.ts';
import { describeUpstreamError, type FlexChannelsApi, type FlexWebChannelsApi } from '../twilio-client.ts';
import type { ChatFlow } from './chat-flow.ts';
import { CHAT_FRIENDLY_NAME, isAlreadyClosed } from './twilio-codes.ts';

export function legacyFlow(
  chat: { serviceSid: string; flexFlowSid: string; longLived?: boolean },
  apis: { channels: FlexChannelsApi; webChannels: FlexWebChannelsApi },
  log: Log,
): ChatFlow {
  const { channels, webChannels } = apis;
  return {
    name: 'legacy',
    responseMode: 'legacy',
    serviceSid: chat.serviceSid,
    deploymentKey: chat.flexFlowSid,
    // The Flex API cannot tell whether an identity belongs to a chat channel: only a proof binds the two.
    needsProof: true,

    /**
     * The pre-engagement data goes in PreEngagementData (channel attributes) and
     * in TaskAttributes, where Flex UI and TaskRouter workflows read it
     * (`name`, `channelType`, `pre_engagement_data`).
     */
    async start({ identity, customerFriendlyName, preEngagementData, requestId }) {
      let created: { sid: string };
      try {
        created = await channels.create({
          flexFlowSid: chat.flexFlowSid,
          identity,
          chatUserFriendlyName: customerFriendlyName,
          chatFriendlyName: CHAT_FRIENDLY_NAME,
          preEngagementData: JSON.stringify(preEngagementData),
          taskAttributes: JSON.stringify({ name: customerFriendlyName, channelType: 'web', pre_engagement_data: preEngagementData }),
          ...(chat.longLived !== undefined ? { longLived: chat.longLived } : {}),
        });
      } catch (upstream) {
        if (upstream instanceof HttpError) throw upstream;
        log({ level: 'error', msg: 'flex_channels_failed', requestId, ...describeUpstreamError(upstream) });
        throw new HttpError('upstream_error', 'Could not start a conversation with Twilio Flex; try again shortly');
      }
      const channelSid = created?.sid;
      if (typeof channelSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(channelSid)) {
        log({ level: 'error', msg: 'flex_channels_bad_reply', requestId });
        throw new HttpError('upstream_error', 'Twilio Flex answered without a chat channel; try again shortly');
      }
      return { conversationSid: channelSid, identity };
    },

    // The channel lives in the Flex chat service, not the account's default
    // Conversations service: the widget posts the question itself.
    postFirstMessage: async () => false,

    isParticipant: async () => false,

    // The channel lives in the Flex chat service, which this service does not read.
    messages: async () => {
      throw new HttpError('not_configured', 'E-mailed transcripts need Flex Conversations; this token service runs legacy Flex chat');
    },

    async assertOpen(channelSid, requestId) {
      try {
        await channels(channelSid).fetch();
      } catch (upstream) {
        const summary = describeUpstreamError(upstream);
        if (summary.status === 404) {
          log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'channel_not_found' });
          throw new HttpError('conversation_closed', 'This conversation no longer exists; start a new chat');
        }
        log({ level: 'error', msg: 'channel_lookup_failed', requestId, ...summary });
        throw new HttpError('upstream_error', 'Could not check the conversation with Twilio; try again shortly');
      }
    },

    /** Flex then wraps the task up; gone or already closed counts as ended. */
    async end(channelSid, requestId) {
      try {
        await webChannels(channelSid).update({ chatStatus: 'inactive' });
        return 'inactive';
      } catch (upstream) {
        const summary = describeUpstreamError(upstream);
        if (isAlreadyClosed(summary)) return 'closed';
        log({ level: 'error', msg: 'end_failed', requestId, step: 'web_channel_update', ...summary });
        throw new HttpError('upstream_error', 'Could not end the conversation with Twilio; try again shortly');
      }
    },
  };
}
