// Shared test helpers: a deployment config exercising every field type, a
// scripted fetch for the token service, and a controller wired to a MemoryTransport.
import { vi } from 'vitest';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { WidgetEvent } from '../bridge/host-bridge.ts';
import type { ChatMessage } from '../session/messages.ts';
import type { SessionSync } from '../session/persistence.ts';
import { SessionController, type SessionControllerOptions } from '../session/session-controller.ts';
import type { FetchLike } from '../session/token-service.ts';
import type { TransportParticipant } from '../transport/chat-transport.ts';
import { MemoryTransport, type MemoryTransportOptions } from '../transport/memory-transport.ts';
import type { TransportLoader } from '../transport/transport-loader.ts';

export const testConfig: DeploymentConfig = {
  widgetOrigin: 'http://127.0.0.1:4030',
  tokenUrl: 'http://127.0.0.1:4020',
  allowedDomains: ['http://127.0.0.1:4040'],
  locale: 'en',
  theme: { primaryColor: '#0b57d0', mode: 'light' },
  texts: { title: 'Chat with Acme support' },
  preEngagement: {
    title: 'Before we start',
    description: 'Tell us who you are.',
    submitLabel: 'Start chat',
    friendlyNameField: 'friendlyName',
    // Off here, so that tests about other things see no first message; the first-message tests turn it on.
    firstMessageField: false,
    fields: [
      { name: 'friendlyName', type: 'text', label: 'Name', required: true, maxLength: 80, errorText: 'Please tell us your name.' },
      { name: 'email', type: 'email', label: 'Email', required: true, description: 'We reply here if we get cut off.' },
      { name: 'question', type: 'textarea', label: 'How can we help?', required: true, maxLength: 1000 },
    ],
  },
};

export const allFieldsConfig: DeploymentConfig = {
  ...testConfig,
  preEngagement: {
    ...testConfig.preEngagement,
    fields: [
      ...testConfig.preEngagement.fields,
      { name: 'phone', type: 'tel', label: 'Phone' },
      {
        name: 'topic',
        type: 'select',
        label: 'Topic',
        required: true,
        options: [
          { value: 'billing', label: 'Billing' },
          { value: 'tech', label: 'Technical' },
        ],
      },
      {
        name: 'contact',
        type: 'radio',
        label: 'Preferred contact',
        options: [
          { value: 'chat', label: 'Chat' },
          { value: 'email', label: 'Email me' },
        ],
        defaultValue: 'chat',
      },
      { name: 'consent', type: 'checkbox', label: 'I accept the privacy policy', required: true },
      { name: 'source', type: 'hidden', label: 'Source', defaultValue: 'pricing-page' },
    ],
  },
};

export interface ScriptedResponse {
  status?: number;
  body?: unknown;
  /** Reject like fetch does when the network fails. */
  networkError?: boolean;
  headers?: Record<string, string>;
}

export interface ScriptedFetch {
  fetch: FetchLike;
  /** Each request: JSON bodies parsed, form-encoded ones (Twilio's hosted init) as their fields. */
  calls: Array<{ url: string; body: unknown }>;
  /** The headers of each request (names in lower case), in the order of `calls`. */
  headers: Array<Record<string, string>>;
  push(...responses: ScriptedResponse[]): void;
}

/** A fetch that answers with queued responses, in order, and records requests. */
export function scriptedFetch(...initial: ScriptedResponse[]): ScriptedFetch {
  const queue = [...initial];
  const calls: ScriptedFetch['calls'] = [];
  const sentHeaders: ScriptedFetch['headers'] = [];
  return {
    calls,
    headers: sentHeaders,
    push: (...responses) => queue.push(...responses),
    fetch: async (url, init) => {
      const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
      const form = headers['content-type'] === 'application/x-www-form-urlencoded';
      const body = typeof init.body !== 'string' ? init.body : form ? Object.fromEntries(new URLSearchParams(init.body)) : JSON.parse(init.body);
      calls.push({ url, body });
      sentHeaders.push(headers);
      const next = queue.shift();
      if (!next) throw new Error(`unexpected request to ${url}`);
      if (next.networkError) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(next.body ?? {}), {
        status: next.status ?? 200,
        headers: { 'content-type': 'application/json', ...next.headers },
      });
    },
  };
}

export const initOk: ScriptedResponse = {
  body: {
    token: 'token-1',
    identity: 'visitor-identity',
    conversationSid: 'CH00000000000000000000000000000001',
    expiresAt: Date.UTC(2025, 0, 1, 13),
    mode: 'conversations',
    twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect',
  },
};

/** The agent most tests talk to: already in the conversation, so the chat is active (not queued). */
export const agentAna: TransportParticipant = { identity: 'agent-1', role: 'agent', displayName: 'Ana' };

export interface Harness {
  controller: SessionController;
  transport: MemoryTransport;
  http: ScriptedFetch;
  hostEvents: WidgetEvent[];
  loads: string[];
}

export function harness(
  options: {
    config?: DeploymentConfig;
    responses?: ScriptedResponse[];
    transport?: MemoryTransportOptions;
    /** Replaces the loader that hands out the MemoryTransport. */
    loadTransport?: TransportLoader;
    /** Also receives host events (they are recorded in hostEvents either way). */
    notifyHost?: (event: WidgetEvent) => void;
    sync?: SessionSync;
    now?: () => number;
    /** Extra controller options (widget options, strings, callbacks). */
    controller?: Partial<SessionControllerOptions>;
  } = {},
): Harness {
  // Default: an agent is already there, so a started chat is active (queued tests pass participants: []).
  const transport = new MemoryTransport({ participants: [agentAna], ...options.transport });
  const http = scriptedFetch(...(options.responses ?? [initOk]));
  const hostEvents: WidgetEvent[] = [];
  const loads: string[] = [];
  let ids = 0;
  const controller = new SessionController({
    config: options.config ?? testConfig,
    fetch: http.fetch,
    loadTransport:
      options.loadTransport ??
      (async (mode) => {
        loads.push(mode);
        return () => transport;
      }),
    notifyHost: (event) => {
      hostEvents.push(event);
      options.notifyHost?.(event);
    },
    now: options.now ?? (() => Date.UTC(2025, 0, 1, 12, 30)),
    createId: () => `cmid-${++ids}`,
    ...(options.sync ? { sync: options.sync } : {}),
    ...options.controller,
  });
  return { controller, transport, http, hostEvents, loads };
}

/**
 * The conversation without the "… joined the chat" notices (the agent already there when a
 * chat starts is announced), for tests about something else.
 */
export function exchanged(h: Pick<Harness, 'controller'>): readonly ChatMessage[] {
  return h.controller.state.messages.filter((m) => m.notice !== 'joined');
}

/** Fills the default test form with valid values. */
export function fillValidForm(controller: SessionController): void {
  controller.setFieldValue('friendlyName', '  Zoë Ångström ');
  controller.setFieldValue('email', 'zoe@example.com');
  controller.setFieldValue('question', 'Where is my order?');
}

/** Harness, started, form filled and submitted: an active session. */
export async function activeHarness(options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(options);
  h.controller.start();
  fillValidForm(h.controller);
  await h.controller.submitForm();
  return h;
}

/** A file of `size` zero bytes, as a picker, a paste or a drop hands it over. */
export function testFile(name: string, type: string, size = 2048): File {
  return new File([new Uint8Array(size)], name, { type });
}

/** jsdom has no object URLs: image previews get a fixed one (call in beforeEach). */
export function stubObjectUrls(): void {
  URL.createObjectURL = vi.fn(() => 'blob:preview');
  URL.revokeObjectURL = vi.fn();
}
