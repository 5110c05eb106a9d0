// Which mode and Flex flow a configuration runs, and the SIDs that flow needs.
import { EnvError, type ChatFlow, type EnvInput, type TokenServiceConfig, type TokenServiceMode } from './env-config.ts';

/**
 * FLEXCHAT_MODE, or inferred: no TWILIO_ACCOUNT_SID → local; the legacy pair
 * (TWILIO_FLEX_FLOW_SID + TWILIO_FLEX_CHAT_SERVICE_SID) without a web chat
 * address → legacy; otherwise conversations.
 */
export function resolveMode(env: EnvInput, problems: string[] = []): TokenServiceMode {
  const get = (name: string) => env[name]?.trim() || undefined;
  const explicitMode = get('FLEXCHAT_MODE');
  if (explicitMode === 'local' || explicitMode === 'conversations' || explicitMode === 'legacy') return explicitMode;
  if (explicitMode !== undefined) {
    problems.push(`FLEXCHAT_MODE must be "local", "conversations" or "legacy" (got "${explicitMode}")`);
    return 'local';
  }
  if (!get('TWILIO_ACCOUNT_SID')) return 'local';
  if (get('TWILIO_FLEX_FLOW_SID') && get('TWILIO_FLEX_CHAT_SERVICE_SID') && !get('TWILIO_WEBCHAT_ADDRESS_SID')) return 'legacy';
  return 'conversations';
}

/** The flow a config runs (configs built by hand may leave `flow` out). */
export function flowOf(config: Pick<TokenServiceConfig, 'mode' | 'flow'>): ChatFlow {
  return config.flow ?? (config.mode === 'legacy' ? 'legacy' : 'conversations');
}

export type ResolvedChat =
  | { flow: 'conversations'; /** IS… the token grants. */ serviceSid: string; addressSid: string }
  | { flow: 'legacy'; /** IS… the token grants (the Flex chat service). */ serviceSid: string; flexFlowSid: string; longLived?: boolean };

/** The SIDs the config's flow runs on; throws an EnvError naming what is missing (configs built by hand). */
export function resolveChat(config: TokenServiceConfig): ResolvedChat {
  if (flowOf(config) === 'legacy') {
    if (!config.legacy) throw new EnvError(['The legacy flow needs TWILIO_FLEX_FLOW_SID and TWILIO_FLEX_CHAT_SERVICE_SID (config.legacy)']);
    const { flexFlowSid, chatServiceSid, longLived } = config.legacy;
    return { flow: 'legacy', serviceSid: chatServiceSid, flexFlowSid, ...(longLived !== undefined ? { longLived } : {}) };
  }
  const missing = [
    ...(config.conversationsServiceSid ? [] : ['TWILIO_CONVERSATIONS_SERVICE_SID']),
    ...(config.webChatAddressSid ? [] : ['TWILIO_WEBCHAT_ADDRESS_SID']),
  ];
  if (missing.length || !config.conversationsServiceSid || !config.webChatAddressSid) {
    throw new EnvError([`The conversations flow needs ${missing.join(' and ')}`]);
  }
  return { flow: 'conversations', serviceSid: config.conversationsServiceSid, addressSid: config.webChatAddressSid };
}
