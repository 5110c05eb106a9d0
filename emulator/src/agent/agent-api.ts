import { ModelError, type Conversation, type ConversationsModel, type Message } from '../conversations/model.ts';
import type { Routing, AgentProfile } from '../flex/routing.ts';
import { HttpError, jsonBody, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';

// The agent HTTP API: lets a person, a test or the demo console act as a Flex
// agent. JSON in and out; errors are { error: { code, message } }.

const MAX_MESSAGE_CHARS = 32 * 1024;

function apiError(status: number, code: string, message: string): HttpError {
  return new HttpError({ status, body: { error: { code, message } } });
}

function describeMessage(message: Message) {
  return {
    sid: message.sid,
    index: message.index,
    author: message.author,
    body: message.body,
    attributes: message.attributes,
    dateCreated: message.dateCreated,
  };
}

export function registerAgentApi(router: Router, model: ConversationsModel, routing: Routing, defaultAgent: AgentProfile): void {
  const conversationOr404 = (sid: string): Conversation => {
    const conversation = model.conversations.get(sid);
    if (!conversation) throw apiError(404, 'conversation_not_found', `No conversation ${sid}`);
    return conversation;
  };

  const describeConversation = (conversation: Conversation) => {
    const task = routing.taskForConversation(conversation.sid) ?? [...routing.tasks.values()].find((t) => t.conversationSid === conversation.sid);
    return {
      sid: conversation.sid,
      friendlyName: conversation.friendlyName,
      state: conversation.state,
      attributes: conversation.attributes,
      dateCreated: conversation.dateCreated,
      dateUpdated: conversation.dateUpdated,
      participants: [...conversation.participants.values()].map((p) => ({
        sid: p.sid,
        identity: p.identity,
        role: p.role,
        friendlyName: model.users.get(p.identity)?.friendlyName ?? null,
        lastReadMessageIndex: p.lastReadMessageIndex,
      })),
      messageCount: conversation.messages.length,
      lastMessage: conversation.messages.at(-1) ? describeMessage(conversation.messages.at(-1) as Message) : null,
      task: task ? { sid: task.sid, status: task.status, agentIdentity: task.agentIdentity, attributes: task.attributes } : null,
    };
  };

  const agentFrom = (value: unknown): AgentProfile => {
    if (value === undefined) return defaultAgent;
    if (typeof value !== 'string' || !/^[\w.@+-]{1,128}$/.test(value)) {
      throw apiError(400, 'invalid_agent', 'agentIdentity must be 1-128 characters of letters, digits and . _ @ + -');
    }
    return value === defaultAgent.identity ? defaultAgent : { identity: value, friendlyName: value };
  };

  /** Makes sure the agent is in the conversation, taking the pending task if there is one. */
  const ensureJoined = (conversation: Conversation, agent: AgentProfile): void => {
    if (model.findParticipant(conversation, agent.identity)) return;
    const task = routing.taskForConversation(conversation.sid);
    if (task && task.status === 'pending') routing.accept(task, agent, false);
    else model.addParticipant(conversation, { identity: agent.identity, role: 'agent', friendlyName: agent.friendlyName, attributes: { member_type: 'agent' } });
  };

  const guard = (handler: (request: HttpRequest) => HttpResponse) => (request: HttpRequest): HttpResponse => {
    try {
      return handler(request);
    } catch (error) {
      if (error instanceof ModelError) throw apiError(error.status, `twilio_${error.code}`, error.message);
      throw error;
    }
  };

  router.add('GET', '/agent/conversations', () => ({
    status: 200,
    body: { conversations: [...model.conversations.values()].map(describeConversation) },
  }));

  router.add('GET', '/agent/conversations/:sid', (request) => ({
    status: 200,
    body: describeConversation(conversationOr404(request.params.sid as string)),
  }));

  router.add('GET', '/agent/conversations/:sid/messages', (request) => ({
    status: 200,
    body: { messages: conversationOr404(request.params.sid as string).messages.map(describeMessage) },
  }));

  router.add(
    'POST',
    '/agent/conversations/:sid/messages',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = jsonBody(request) as { body?: unknown; agentIdentity?: unknown } | undefined;
      if (typeof input?.body !== 'string' || input.body.trim() === '') throw apiError(400, 'invalid_body', 'body must be a non-empty string');
      if (input.body.length > MAX_MESSAGE_CHARS) throw apiError(400, 'invalid_body', `body must be at most ${MAX_MESSAGE_CHARS} characters`);
      const agent = agentFrom(input.agentIdentity);
      ensureJoined(conversation, agent);
      const message = model.postMessage(conversation, { author: agent.identity, body: input.body });
      return { status: 201, body: { message: describeMessage(message) } };
    }),
  );

  router.add(
    'POST',
    '/agent/conversations/:sid/typing',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = (jsonBody(request) ?? {}) as { agentIdentity?: unknown };
      const agent = agentFrom(input.agentIdentity);
      ensureJoined(conversation, agent);
      model.typing(conversation, agent.identity);
      return { status: 202, body: { ok: true } };
    }),
  );
}
