// One base URL for every product. Twilio serves Flex at flex-api.twilio.com and
// Conversations at conversations.twilio.com; the emulator serves them under
// /flex-api and /conversations. A backend that points the `twilio` helper's
// hosts at the emulator's root (one base URL) asks for /v1/Conversations or
// /v1/FlexFlows: those root paths are aliases of the prefixed ones wherever
// only one product has the path. Where both have it (/v1/Configuration: Flex's
// account configuration and Conversations' service defaults) there is no
// alias: the prefixed paths stay the only way in, and the 404 says so.
//
// The table lists each product's top-level collections as Twilio's specs
// (emulator/specs/twilio-oai) define them; root-aliases.test.ts checks it
// against every path of the three specs.

const CONVERSATIONS = '/conversations';
const FLEX = '/flex-api';

/** First path segments (after the version) → product prefix. */
const COLLECTIONS: Record<string, string> = {
  '/v1/Conversations': CONVERSATIONS,
  '/v1/ConversationWithParticipants': CONVERSATIONS,
  '/v1/Services': CONVERSATIONS,
  '/v1/Users': CONVERSATIONS,
  '/v1/Credentials': CONVERSATIONS,
  '/v1/Roles': CONVERSATIONS,
  '/v1/ParticipantConversations': CONVERSATIONS,
  '/v1/Configuration/Addresses': CONVERSATIONS,
  '/v1/Configuration/Webhooks': CONVERSATIONS,
  '/v1/FlexFlows': FLEX,
  '/v1/Channels': FLEX,
  '/v1/WebChannels': FLEX,
  '/v1/Interactions': FLEX,
  '/v1/Insights': FLEX,
  '/v1/PluginService': FLEX,
  '/v1/account': FLEX,
  '/v2/WebChats': FLEX,
  '/v2/Instances': FLEX,
  // Content API (content.twilio.com; spec not kept here, see content/content-routes.ts).
  '/v1/Content': '/content',
};

/** Paths both products define: never aliased. */
export const SHARED_ROOT_PATHS: readonly string[] = ['/v1/Configuration'];

/** The prefixed path a root path stands for, or undefined when it is not an alias. */
export function resolveRootAlias(pathname: string): string | undefined {
  // Every collection is under a version (/v1/, /v2/): other paths (the agent API, prefixed products) are never aliases.
  if (!pathname.startsWith('/v')) return undefined;
  for (const [collection, prefix] of Object.entries(COLLECTIONS)) {
    if (pathname === collection || pathname.startsWith(`${collection}/`)) return `${prefix}${pathname}`;
  }
  return undefined;
}
