import twilio from 'twilio';
import { WebSocket } from 'ws';
import { Client } from '@twilio/conversations';
import type { RunningEmulator } from '../src/emulator.ts';

// Helpers for driving the REAL client SDKs against a running emulator in Node.

// Node 20 has no global WebSocket; the SDK looks for one on the global object.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** A token with a ChatGrant on `serviceSid` (default: the Conversations service of /v2/WebChats chats); `null`: no ChatGrant. */
export function mintToken(emulator: RunningEmulator, identity: string, ttlSeconds = 3600, serviceSid: string | null = emulator.credentials.conversationsServiceSid): string {
  const { AccessToken } = twilio.jwt;
  const { accountSid, apiKeySid, apiKeySecret } = emulator.credentials;
  const token = new AccessToken(accountSid, apiKeySid, apiKeySecret, { identity, ttl: ttlSeconds });
  if (serviceSid !== null) token.addGrant(new AccessToken.ChatGrant({ serviceSid }));
  return token.toJwt();
}

export function basicAuth(emulator: RunningEmulator): string {
  const { accountSid, authToken } = emulator.credentials;
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
}

/** 429s (Twilio's 5 chat starts per second per account, 20429) a chat start waits out before it fails. */
const WEBCHAT_RETRIES = 5;

/**
 * Starts a chat as a Twilio client does: a 429 (a file's tests starting more than five
 * chats in a second on one emulator) is waited out for its Retry-After, then retried.
 */
export async function createWebChat(emulator: RunningEmulator, fields: Record<string, string>): Promise<{ conversation_sid: string; identity: string }> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${emulator.url}/flex-api/v2/WebChats`, {
      method: 'POST',
      headers: { Authorization: basicAuth(emulator), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ AddressSid: emulator.credentials.webChatAddressSid, ...fields }),
    });
    if (response.status === 429 && attempt < WEBCHAT_RETRIES) {
      await response.arrayBuffer();
      const seconds = Number(response.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, 1000 * (Number.isFinite(seconds) && seconds > 0 ? seconds : 1)));
      continue;
    }
    if (response.status !== 201) throw new Error(`WebChats answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { conversation_sid: string; identity: string };
  }
}

/** `beforeInit` runs before the client connects, so it can listen for events the server may send during initialisation. */
export async function connectClient(emulator: RunningEmulator, token: string, beforeInit?: (client: Client) => void): Promise<Client> {
  const client = new Client(token, { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as ConstructorParameters<typeof Client>[1]);
  beforeInit?.(client);
  await new Promise<void>((resolve, reject) => {
    client.once('initialized', () => resolve());
    client.once('initFailed', ({ error }) => reject(new Error(`SDK init failed: ${error?.message ?? 'unknown'}`)));
  });
  return client;
}

export function waitFor<T>(register: (resolve: (value: T) => void) => void, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
