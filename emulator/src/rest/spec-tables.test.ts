import { describe, expect, it } from 'vitest';
import { OpenApiSpec, type HttpMethod, type SpecName } from '../../test/openapi.ts';
import { CHANNEL_PARAMS, WEB_CHANNEL_PARAMS } from '../flex/flex-channels.ts';
import { FLEX_FLOW_PARAMS } from '../flex/flex-flows.ts';
import { WEB_CHATS_PARAMS } from '../flex/web-chats.ts';
import { MESSAGE_PARAMS } from './conversation-messages.ts';
import { PARTICIPANT_PARAMS } from './conversation-participants.ts';
import { WEBHOOK_PARAMS } from './conversation-webhooks.ts';
import { ADDRESS_PARAMS } from './conversations-addresses.ts';
import { USER_PARAMS } from './conversations-users.ts';
import { CONVERSATIONS_PARAMS } from './conversations-v1.ts';
import type { ParamDef, ParamTable } from './params.ts';

// The emulator validates requests with its own parameter tables (no spec
// files at runtime). This test pins every table to Twilio's OpenAPI spec:
// same names, same required set, same types, enums, patterns, bounds, formats.

const NO_PARAMS: ParamTable = {};

const OPERATIONS: [SpecName, HttpMethod, string, ParamTable][] = [
  ['twilio_flex_v2', 'post', '/v2/WebChats', WEB_CHATS_PARAMS.create],
  ['twilio_flex_v1', 'get', '/v1/FlexFlows', FLEX_FLOW_PARAMS.list],
  ['twilio_flex_v1', 'post', '/v1/FlexFlows', FLEX_FLOW_PARAMS.create],
  ['twilio_flex_v1', 'get', '/v1/FlexFlows/{Sid}', NO_PARAMS],
  ['twilio_flex_v1', 'post', '/v1/FlexFlows/{Sid}', FLEX_FLOW_PARAMS.update],
  ['twilio_flex_v1', 'delete', '/v1/FlexFlows/{Sid}', NO_PARAMS],
  ['twilio_flex_v1', 'get', '/v1/Channels', CHANNEL_PARAMS.list],
  ['twilio_flex_v1', 'post', '/v1/Channels', CHANNEL_PARAMS.create],
  ['twilio_flex_v1', 'get', '/v1/Channels/{Sid}', NO_PARAMS],
  ['twilio_flex_v1', 'delete', '/v1/Channels/{Sid}', NO_PARAMS],
  ['twilio_flex_v1', 'get', '/v1/WebChannels', WEB_CHANNEL_PARAMS.list],
  ['twilio_flex_v1', 'post', '/v1/WebChannels', WEB_CHANNEL_PARAMS.create],
  ['twilio_flex_v1', 'get', '/v1/WebChannels/{Sid}', NO_PARAMS],
  ['twilio_flex_v1', 'post', '/v1/WebChannels/{Sid}', WEB_CHANNEL_PARAMS.update],
  ['twilio_flex_v1', 'delete', '/v1/WebChannels/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'get', '/v1/Services/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations', CONVERSATIONS_PARAMS.createConversation],
  ['twilio_conversations_v1', 'get', '/v1/Conversations', CONVERSATIONS_PARAMS.listConversations],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{Sid}', CONVERSATIONS_PARAMS.updateConversation],
  ['twilio_conversations_v1', 'delete', '/v1/Conversations/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Messages', MESSAGE_PARAMS.create],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Messages', MESSAGE_PARAMS.list],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Messages/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Messages/{Sid}', MESSAGE_PARAMS.update],
  ['twilio_conversations_v1', 'delete', '/v1/Conversations/{ConversationSid}/Messages/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts', MESSAGE_PARAMS.listReceipts],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Participants', PARTICIPANT_PARAMS.create],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Participants', PARTICIPANT_PARAMS.list],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Participants/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Participants/{Sid}', PARTICIPANT_PARAMS.update],
  ['twilio_conversations_v1', 'delete', '/v1/Conversations/{ConversationSid}/Participants/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Webhooks', WEBHOOK_PARAMS.create],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Webhooks', WEBHOOK_PARAMS.list],
  ['twilio_conversations_v1', 'get', '/v1/Conversations/{ConversationSid}/Webhooks/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Conversations/{ConversationSid}/Webhooks/{Sid}', WEBHOOK_PARAMS.update],
  ['twilio_conversations_v1', 'delete', '/v1/Conversations/{ConversationSid}/Webhooks/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Users', USER_PARAMS.create],
  ['twilio_conversations_v1', 'get', '/v1/Users', USER_PARAMS.list],
  ['twilio_conversations_v1', 'get', '/v1/Users/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Users/{Sid}', USER_PARAMS.update],
  ['twilio_conversations_v1', 'delete', '/v1/Users/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'get', '/v1/Configuration/Addresses', ADDRESS_PARAMS.list],
  ['twilio_conversations_v1', 'post', '/v1/Configuration/Addresses', ADDRESS_PARAMS.create],
  ['twilio_conversations_v1', 'get', '/v1/Configuration/Addresses/{Sid}', NO_PARAMS],
  ['twilio_conversations_v1', 'post', '/v1/Configuration/Addresses/{Sid}', ADDRESS_PARAMS.update],
  ['twilio_conversations_v1', 'delete', '/v1/Configuration/Addresses/{Sid}', NO_PARAMS],
];

/** The spec's description of one parameter, in the emulator's terms. */
function fromSpec(spec: OpenApiSpec, schema: Record<string, unknown>, required: boolean): Record<string, unknown> {
  const resolved = spec.resolveRef(schema as never) as Record<string, unknown>;
  const type = resolved.type;
  return {
    type: Array.isArray(type) ? type.find((t) => t !== 'null') : type,
    required,
    ...(resolved.enum ? { enum: [...(resolved.enum as string[])].filter((v) => v !== null).sort() } : {}),
    ...(resolved.pattern ? { pattern: resolved.pattern } : {}),
    ...(resolved.minimum !== undefined ? { minimum: resolved.minimum } : {}),
    ...(resolved.maximum !== undefined ? { maximum: resolved.maximum } : {}),
    ...(resolved.format === 'uri' || resolved.format === 'date-time' ? { format: resolved.format } : {}),
  };
}

function fromTable(def: ParamDef): Record<string, unknown> {
  return {
    type: def.type,
    required: def.required === true,
    ...(def.type === 'string' && def.enum ? { enum: [...def.enum].sort() } : {}),
    ...(def.type === 'string' && def.pattern ? { pattern: def.pattern.source } : {}),
    ...(def.type === 'integer' && def.minimum !== undefined ? { minimum: def.minimum } : {}),
    ...(def.type === 'integer' && def.maximum !== undefined ? { maximum: def.maximum } : {}),
    ...(def.type === 'string' && def.format ? { format: def.format } : {}),
  };
}

describe('emulator parameter tables match the Twilio OpenAPI specs', () => {
  it.each(OPERATIONS)('%s %s %s', (specName, method, path, table) => {
    const spec = OpenApiSpec.load(specName);
    const definitions = [...spec.parameters(method, path).values()].filter((d) => d.in === 'query' || d.in === 'body');
    expect(Object.keys(table).sort()).toEqual(definitions.map((d) => d.name).sort());
    for (const definition of definitions) {
      expect({ name: definition.name, ...fromTable(table[definition.name] as ParamDef) }).toEqual({
        name: definition.name,
        ...fromSpec(spec, definition.schema, definition.required),
      });
    }
  });
});
