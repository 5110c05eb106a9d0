import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { Router } from '../http/http-kit.ts';
import type { Logger } from '../log.ts';
import { registerConversationsAddresses } from '../rest/conversations-addresses.ts';
import { registerConversationsV1 } from '../rest/conversations-v1.ts';
import type { ContentSender } from '../rest/conversations-kit.ts';
import { EndpointRateLimits, rateLimitSettingsFromEnv, type RateLimitSettings } from '../rest/rate-limit.ts';
import { withTwilioErrors } from '../rest/twilio-rest.ts';
import { FlexChannelRegistry, registerFlexChannels } from './flex-channels.ts';
import { FlexFlowStore, registerFlexFlows } from './flex-flows.ts';
import { registerPreview } from './preview.ts';
import type { Routing } from './routing.ts';
import { createWebChatsHandler } from './web-chats.ts';
import { DeploymentKeyStore, registerHostedWebchat } from './hosted-webchat.ts';
import { registerTaskRouterTasks } from './taskrouter-tasks.ts';

// Every emulated Twilio REST endpoint, in one registration:
//   /flex-api/v2/WebChats, /flex-api/v1/{FlexFlows,Channels,WebChannels}
//   /flex-api/v2/Webchat/{Init,Tokens/Refresh} (also at the root): hosted Webchat 3 init
//   /preview/iam/Accounts/{AC}/Tokens, /preview/Flex/{FlexFlows,WebChannels}
//   /conversations/v1/{Conversations,...,Services/{IS},Configuration/Addresses}
//   /taskrouter/v1/Workspaces/{WS}/Tasks: list, fetch, update a task's attributes
// See emulator/README.md, "Twilio REST".

export interface FlexRestOptions {
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  routing: Routing;
  log: Logger;
  /** Twilio's documented per-endpoint rate limits, or none; default from EMULATOR_RATE_LIMITS / EMULATOR_WEBCHAT_RATE_PER_SECOND. */
  rateLimits?: RateLimitSettings;
  /** Lifetime of hosted-init tokens in seconds (default 3600; tests shorten it). */
  hostedTokenTtlSeconds?: () => number;
  /** Messages with a ContentSid (the Content API's templates). */
  sendContent?: ContentSender;
}

export interface FlexRest {
  flows: FlexFlowStore;
  channels: FlexChannelRegistry;
  rateLimits: EndpointRateLimits;
  /** Webchat 3 deployment keys (the agent API creates and lists them). */
  deploymentKeys: DeploymentKeyStore;
  /** For a full emulator reset: re-seeds the Flex Flows and address configurations, forgets Flex chat channels and rate-limit usage. */
  reset(): void;
}

export function registerFlexRest(router: Router, options: FlexRestOptions): FlexRest {
  const { credentials, model, routing, log } = options;
  const flows = new FlexFlowStore(credentials);
  const channels = new FlexChannelRegistry(model);
  const rateLimits = new EndpointRateLimits(options.rateLimits ?? rateLimitSettingsFromEnv());
  const deps = { credentials, model, routing, flows, channels, rateLimits };

  router.add('POST', '/flex-api/v2/WebChats', withTwilioErrors(createWebChatsHandler(credentials, model, routing, rateLimits)));
  const deploymentKeys = new DeploymentKeyStore(credentials.webChatAddressSid);
  const hosted = registerHostedWebchat(router, {
    credentials,
    model,
    routing,
    keys: deploymentKeys,
    rateLimits,
    ...(options.hostedTokenTtlSeconds ? { tokenTtlSeconds: options.hostedTokenTtlSeconds } : {}),
  });
  registerFlexFlows(router, { credentials, flows, rateLimits });
  registerFlexChannels(router, deps);
  registerPreview(router, deps);
  registerConversationsV1(router, { credentials, model, routing, sendContent: options.sendContent });
  const addresses = registerConversationsAddresses(router, { credentials });
  registerTaskRouterTasks(router, { credentials, routing });

  log.info('twilio rest ready', {
    rateLimits: rateLimits.perSecond ? 'documented' : 'off',
    webFlexFlowSid: credentials.webFlexFlowSid,
  });
  return {
    flows,
    channels,
    rateLimits,
    deploymentKeys,
    reset: () => {
      hosted.reset();
      flows.reset();
      addresses.reset();
      channels.clear();
      rateLimits.reset();
    },
  };
}
