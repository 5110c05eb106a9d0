import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { Router } from '../http/http-kit.ts';
import type { Logger } from '../log.ts';
import { registerConversationsAddresses } from '../rest/conversations-addresses.ts';
import { registerConversationsV1 } from '../rest/conversations-v1.ts';
import { OrchestrationRateLimit, webChatRateFromEnv } from '../rest/rate-limit.ts';
import { withTwilioErrors } from '../rest/twilio-rest.ts';
import { FlexChannelRegistry, registerFlexChannels } from './flex-channels.ts';
import { FlexFlowStore, registerFlexFlows } from './flex-flows.ts';
import { registerPreview } from './preview.ts';
import type { Routing } from './routing.ts';
import { createWebChatsHandler } from './web-chats.ts';

// Every emulated Twilio REST endpoint, in one registration:
//   /flex-api/v2/WebChats, /flex-api/v1/{FlexFlows,Channels,WebChannels}
//   /preview/iam/Accounts/{AC}/Tokens, /preview/Flex/{FlexFlows,WebChannels}
//   /conversations/v1/{Conversations,...,Services/{IS},Configuration/Addresses}
// See emulator/README.md, "Twilio REST".

export interface FlexRestOptions {
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  routing: Routing;
  log: Logger;
  /** Webchat orchestration requests per second per account; default EMULATOR_WEBCHAT_RATE_PER_SECOND or 5; 0 = unlimited. */
  webChatRatePerSecond?: number;
}

export interface FlexRest {
  flows: FlexFlowStore;
  channels: FlexChannelRegistry;
  rateLimit: OrchestrationRateLimit;
  /** For a full emulator reset: re-seeds the Flex Flows, forgets Flex chat channels and rate-limit usage. */
  reset(): void;
}

export function registerFlexRest(router: Router, options: FlexRestOptions): FlexRest {
  const { credentials, model, routing, log } = options;
  const flows = new FlexFlowStore(credentials);
  const channels = new FlexChannelRegistry(model);
  const rateLimit = new OrchestrationRateLimit(options.webChatRatePerSecond ?? webChatRateFromEnv());
  const deps = { credentials, model, routing, flows, channels, rateLimit };

  router.add('POST', '/flex-api/v2/WebChats', withTwilioErrors(createWebChatsHandler(credentials, model, routing, rateLimit)));
  registerFlexFlows(router, { credentials, flows });
  registerFlexChannels(router, deps);
  registerPreview(router, deps);
  registerConversationsV1(router, { credentials, model, routing });
  registerConversationsAddresses(router, { credentials });

  log.info('twilio rest ready', {
    webChatRatePerSecond: rateLimit.perSecond > 0 ? rateLimit.perSecond : 'unlimited',
    webFlexFlowSid: credentials.webFlexFlowSid,
  });
  return {
    flows,
    channels,
    rateLimit,
    reset: () => {
      flows.reset();
      channels.clear();
      rateLimit.reset();
    },
  };
}
