// A typed browser client for the local Flex emulator's agent API
// (emulator/README.md, "Agent API"). The emulator answers CORS requests from
// loopback origins, so the console on the demo origin calls it directly.
import type { AgentContentTemplate, AgentConversation, AgentMessage } from '../../../contracts/agent-api.ts';
import type { OfflineMessage } from '../../../contracts/offline-message.ts';
import type { TranscriptDelivery } from '../../../contracts/transcript-email.ts';

export type { AgentContentTemplate, AgentConversation, AgentMedia, AgentMessage, AgentParticipant, TaskStatus } from '../../../contracts/agent-api.ts';

/** A message a visitor left outside business hours (GET /agent/offline-messages). */
export type { OfflineMessage };

export class AgentApiError extends Error {
  override readonly name = 'AgentApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AgentRef {
  identity: string;
  name: string;
}

export class AgentApiClient {
  constructor(readonly baseUrl: string, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/agent${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new AgentApiError(0, 'unreachable', `Cannot reach the Flex emulator at ${this.baseUrl}. Is "npm start" running?`);
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new AgentApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `${method} ${path} failed (${response.status})`);
    }
    return json as T;
  }

  async conversations(): Promise<AgentConversation[]> {
    return (await this.call<{ conversations: AgentConversation[] }>('GET', '/conversations')).conversations;
  }

  conversation(sid: string): Promise<AgentConversation> {
    return this.call('GET', `/conversations/${encodeURIComponent(sid)}`);
  }

  async messages(sid: string): Promise<AgentMessage[]> {
    return (await this.call<{ messages: AgentMessage[] }>('GET', `/conversations/${encodeURIComponent(sid)}/messages`)).messages;
  }

  accept(sid: string, agent: AgentRef, greet = false): Promise<AgentConversation> {
    return this.call('POST', `/conversations/${encodeURIComponent(sid)}/accept`, { agentIdentity: agent.identity, agentName: agent.name, greet });
  }

  async send(sid: string, body: string, agentIdentity: string): Promise<AgentMessage> {
    return (await this.call<{ message: AgentMessage }>('POST', `/conversations/${encodeURIComponent(sid)}/messages`, { body, agentIdentity })).message;
  }

  /** The Content templates an agent can send (GET /agent/content). */
  async contentTemplates(): Promise<AgentContentTemplate[]> {
    return (await this.call<{ contents: AgentContentTemplate[] }>('GET', '/content')).contents;
  }

  /** Sends a Content template: the visitor's SDK gets `contentSid`, the body is the template's text. */
  async sendContent(sid: string, contentSid: string, agentIdentity: string, contentVariables: Record<string, string> = {}): Promise<AgentMessage> {
    const input = { contentSid, contentVariables, agentIdentity };
    return (await this.call<{ message: AgentMessage }>('POST', `/conversations/${encodeURIComponent(sid)}/messages`, input)).message;
  }

  async typing(sid: string, agentIdentity: string): Promise<void> {
    await this.call('POST', `/conversations/${encodeURIComponent(sid)}/typing`, { agentIdentity });
  }

  read(sid: string, agentIdentity: string): Promise<{ lastReadMessageIndex: number | null; unread: number }> {
    return this.call('POST', `/conversations/${encodeURIComponent(sid)}/read`, { agentIdentity });
  }

  async attach(
    sid: string,
    file: { filename: string; contentType: string; dataBase64: string },
    agentIdentity: string,
    body?: string,
  ): Promise<AgentMessage> {
    const input = { ...file, agentIdentity, ...(body ? { body } : {}) };
    return (await this.call<{ message: AgentMessage }>('POST', `/conversations/${encodeURIComponent(sid)}/attachments`, input)).message;
  }

  transfer(sid: string, to: AgentRef): Promise<AgentConversation> {
    return this.call('POST', `/conversations/${encodeURIComponent(sid)}/transfer`, { toAgentIdentity: to.identity, toAgentName: to.name });
  }

  end(sid: string): Promise<AgentConversation> {
    return this.call('POST', `/conversations/${encodeURIComponent(sid)}/end`);
  }

  /** Messages visitors left outside business hours, oldest first. */
  async offlineMessages(): Promise<OfflineMessage[]> {
    return (await this.call<{ messages: OfflineMessage[] }>('GET', '/offline-messages')).messages;
  }

  /** Transcripts visitors asked for by e-mail (local mode: the emulator stands in for the webhook), oldest first. */
  async transcripts(): Promise<TranscriptDelivery[]> {
    return (await this.call<{ transcripts: TranscriptDelivery[] }>('GET', '/transcripts')).transcripts;
  }
}
