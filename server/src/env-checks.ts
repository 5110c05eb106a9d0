// Checks of single environment values (SIDs, origins, URLs, the message webhook), each with one clear message.
import { MIN_SECRET_LENGTH, type MessageWebhookConfig } from './env-config.ts';

const SID_KINDS: Record<string, string> = {
  AC: 'an account',
  SK: 'an API key',
  IS: 'a Conversations or chat service',
  IG: 'a Conversations address',
  CH: 'a conversation',
  FO: 'a Flex Flow',
  FW: 'a Studio Flow',
  KS: 'a Proxy service',
  WS: 'a TaskRouter workspace',
  WW: 'a TaskRouter workflow',
};

/** Extra advice for the mix-ups people actually make: `${variable}:${prefix they gave}`. */
const MIXUP_HINTS: Record<string, string> = {
  'TWILIO_WEBCHAT_ADDRESS_SID:FO': '; for the legacy Flex chat flow put it in TWILIO_FLEX_FLOW_SID instead',
  'TWILIO_FLEX_FLOW_SID:IG': '; for Flex Conversations put it in TWILIO_WEBCHAT_ADDRESS_SID instead',
  'TWILIO_FLEX_FLOW_SID:FW': '; the Flex Flow (FO…) points at that Studio Flow: run `npm run flexchat -- setup` to list Flex Flows',
  'TWILIO_CONVERSATIONS_SERVICE_SID:IG': '; the address (IG…) belongs in TWILIO_WEBCHAT_ADDRESS_SID',
};

const anLetters = new Set('AEFHILMNORSX');

export function checkSid(name: string, value: string, prefix: string): string | undefined {
  const got = value.slice(0, 2).toUpperCase();
  if (!value.startsWith(prefix)) {
    if (got === prefix) return `${name} must start with ${prefix} in capitals`;
    const kind = SID_KINDS[got];
    const article = anLetters.has(got.charAt(0)) ? 'an' : 'a';
    const hint = kind ? ` (got ${article} ${got}… SID: that is ${kind}, not ${SID_KINDS[prefix] ?? prefix}${MIXUP_HINTS[`${name}:${got}`] ?? ''})` : '';
    return `${name} must start with ${prefix}${hint}`;
  }
  if (!/^[A-Z]{2}[0-9a-f]{32}$/.test(value)) {
    return `${name} must be ${prefix} followed by 32 lowercase hex digits (34 characters; got ${value.length})`;
  }
  return undefined;
}

export function parseOrigin(raw: string): { origin: string } | { problem: string } {
  if (raw === '*') return { problem: 'must list exact origins; "*" is not allowed' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `"${raw}" is not an origin like https://chat.example.com` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `"${raw}" must use http or https` };
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return { problem: `"${raw}" must be an origin only (scheme://host[:port]), without path, query or credentials` };
  }
  return { origin: url.origin };
}

export function parseHttpUrl(name: string, raw: string, protocols: string[]): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `${name} is not a valid URL ("${raw}")` };
  }
  if (!protocols.includes(url.protocol)) {
    return { problem: `${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL ("${raw}")` };
  }
  return { url };
}

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

/**
 * FLEXCHAT_MESSAGE_WEBHOOK_URL (+ _SECRET). Neither value is echoed in a problem:
 * webhook URLs often carry a token in their path or query.
 */
export function parseMessageWebhook(rawUrl: string | undefined, secret: string | undefined, problems: string[]): MessageWebhookConfig | undefined {
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `FLEXCHAT_MESSAGE_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}); it signs each delivery to the webhook. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  if (rawUrl === undefined) {
    if (secret !== undefined) problems.push('FLEXCHAT_MESSAGE_WEBHOOK_SECRET is set but FLEXCHAT_MESSAGE_WEBHOOK_URL is not: set the webhook URL too, or remove the secret');
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(rawUrl);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    problems.push('FLEXCHAT_MESSAGE_WEBHOOK_URL must be an absolute https URL such as https://hooks.example.com/flexchat');
    return undefined;
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    problems.push('FLEXCHAT_MESSAGE_WEBHOOK_URL must use https (plain http is only accepted for 127.0.0.1/localhost): messages carry visitors\' email addresses');
    return undefined;
  }
  return secret !== undefined && secret.length >= MIN_SECRET_LENGTH ? { url: url.toString(), secret } : { url: url.toString() };
}

/** Twilsock URI of an emulator: http→ws, https→wss, path /v3/wsconnect under the emulator's base path. */
export function deriveTwilsockUri(emulatorUrl: string): string {
  const url = new URL(emulatorUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v3/wsconnect`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
