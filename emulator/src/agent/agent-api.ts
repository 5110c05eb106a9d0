import type { AgentContentTemplate, AgentConversation, AgentMessage } from '../../../contracts/agent-api.ts';
import type { ContentStore } from '../content/content-store.ts';
import { checkVariables } from '../content/content-types.ts';
import { ModelError, type Conversation, type ConversationsModel, type Message } from '../conversations/model.ts';
import { RoutingError, type AgentProfile, type Routing } from '../flex/routing.ts';
import { checkMessageBody } from '../conversations/limits.ts';
import { checkAttachment, type MediaStore } from '../media/media-store.ts';
import { HttpError, jsonBody, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';

// The agent HTTP API: lets a person, a test or the demo console act as a Flex
// agent. JSON in and out; errors are { error: { code, message } }.

const TYPING_TIMEOUT_MS = 5000;

function apiError(status: number, code: string, message: string): HttpError {
  return new HttpError({ status, body: { error: { code, message } } });
}

export function registerAgentApi(router: Router, model: ConversationsModel, routing: Routing, defaultAgent: AgentProfile, media: MediaStore, content: ContentStore): void {
  // When each participant last said it was typing; Twilio's typing indicator lasts 5 s.
  const lastTypedAt = new Map<string, number>();
  model.on('typing', (conversation, participant) => lastTypedAt.set(`${conversation.sid}/${participant.identity}`, Date.now()));
  model.on('messageAdded', (conversation, message) => lastTypedAt.delete(`${conversation.sid}/${message.author}`));

  const describeMessage = (message: Message): AgentMessage => ({
    sid: message.sid,
    index: message.index,
    author: message.author,
    body: message.body,
    attributes: message.attributes,
    dateCreated: message.dateCreated,
    // A template's "body" media carries its data for the SDK; it is not an attachment.
    media: message.media.filter((ref) => ref.category !== 'body').map((ref) => ({ ...ref, url: media.temporaryUrl(ref.sid) })),
    ...(message.contentSid ? { contentSid: message.contentSid } : {}),
  });

  const conversationOr404 = (sid: string): Conversation => {
    const conversation = model.conversations.get(sid);
    if (!conversation) throw apiError(404, 'conversation_not_found', `No conversation ${sid}`);
    return conversation;
  };

  const describeConversation = (conversation: Conversation): AgentConversation => {
    const task = routing.taskForConversation(conversation.sid) ?? routing.latestTaskFor(conversation.sid);
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
        friendlyName: model.user(conversation.serviceSid, p.identity)?.friendlyName ?? null,
        lastReadMessageIndex: p.lastReadMessageIndex,
        isTyping: (lastTypedAt.get(`${conversation.sid}/${p.identity}`) ?? 0) > Date.now() - TYPING_TIMEOUT_MS,
      })),
      messageCount: conversation.messages.length,
      lastMessage: conversation.messages.at(-1) ? describeMessage(conversation.messages.at(-1) as Message) : null,
      task: task ? { sid: task.sid, status: task.status, agentIdentity: task.agentIdentity, attributes: task.attributes } : null,
    };
  };

  const agentFrom = (value: unknown, name?: unknown, field = 'agentIdentity'): AgentProfile => {
    if (value === undefined) return defaultAgent;
    if (typeof value !== 'string' || !/^[\w.@+-]{1,128}$/.test(value)) {
      throw apiError(400, 'invalid_agent', `${field} must be 1-128 characters of letters, digits and . _ @ + -`);
    }
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 80)) {
      throw apiError(400, 'invalid_agent', 'agent names must be 1-80 characters');
    }
    if (value === defaultAgent.identity) return defaultAgent;
    return { identity: value, friendlyName: typeof name === 'string' ? name.trim() : (model.user(model.serviceSid, value)?.friendlyName ?? value) };
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
      if (error instanceof RoutingError) throw apiError(409, 'invalid_state', error.message);
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
      const input = jsonBody(request) as { body?: unknown; agentIdentity?: unknown; contentSid?: unknown; contentVariables?: unknown } | undefined;
      if (input?.contentSid !== undefined) {
        // A Content template instead of text, as Conversations' ContentSid / ContentVariables.
        if (typeof input.contentSid !== 'string' || !content.get(input.contentSid)) throw apiError(400, 'invalid_content', 'contentSid must name a Content template (GET /agent/content)');
        if (input.body !== undefined) throw apiError(400, 'invalid_body', 'send body or contentSid, not both');
        const variables = checkVariables('contentVariables', input.contentVariables);
        const agent = agentFrom(input.agentIdentity);
        ensureJoined(conversation, agent);
        const message = content.send(model, media, conversation, { author: agent.identity, contentSid: input.contentSid, variables });
        return { status: 201, body: { message: describeMessage(message) } };
      }
      if (typeof input?.body !== 'string' || input.body.trim() === '') throw apiError(400, 'invalid_body', 'body must be a non-empty string');
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

  router.add(
    'POST',
    '/agent/conversations/:sid/accept',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = (jsonBody(request) ?? {}) as { agentIdentity?: unknown; agentName?: unknown; greet?: unknown };
      const agent = agentFrom(input.agentIdentity, input.agentName);
      const task = routing.taskForConversation(conversation.sid);
      if (!task || task.status !== 'pending') throw apiError(409, 'invalid_state', 'This chat has no task waiting to be accepted');
      routing.accept(task, agent, input.greet === true);
      return { status: 200, body: describeConversation(conversation) };
    }),
  );

  router.add(
    'POST',
    '/agent/conversations/:sid/read',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = (jsonBody(request) ?? {}) as { agentIdentity?: unknown };
      const agent = agentFrom(input.agentIdentity);
      const participant = model.requireParticipant(conversation, agent.identity);
      const unread = model.setReadHorizon(conversation, participant, conversation.messageList.nextIndex - 1);
      return { status: 200, body: { lastReadMessageIndex: participant.lastReadMessageIndex, unread } };
    }),
  );

  router.add(
    'POST',
    '/agent/conversations/:sid/transfer',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = (jsonBody(request) ?? {}) as { toAgentIdentity?: unknown; toAgentName?: unknown };
      if (input.toAgentIdentity === undefined) throw apiError(400, 'invalid_agent', 'toAgentIdentity is required');
      const to = agentFrom(input.toAgentIdentity, input.toAgentName, 'toAgentIdentity');
      const task = routing.taskForConversation(conversation.sid);
      if (!task) throw apiError(409, 'invalid_state', 'This chat has no open task');
      routing.transfer(task, to);
      return { status: 200, body: describeConversation(conversation) };
    }),
  );

  router.add(
    'POST',
    '/agent/conversations/:sid/end',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      routing.end(conversation.sid);
      return { status: 200, body: describeConversation(conversation) };
    }),
  );

  router.add(
    'POST',
    '/agent/conversations/:sid/attachments',
    guard((request) => {
      const conversation = conversationOr404(request.params.sid as string);
      const input = (jsonBody(request) ?? {}) as { filename?: unknown; contentType?: unknown; dataBase64?: unknown; body?: unknown; agentIdentity?: unknown };
      if (typeof input.filename !== 'string' || input.filename === '' || input.filename.length > 255) throw apiError(400, 'invalid_attachment', 'filename is required');
      if (typeof input.contentType !== 'string') throw apiError(400, 'invalid_attachment', 'contentType is required');
      if (typeof input.dataBase64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(input.dataBase64)) throw apiError(400, 'invalid_attachment', 'dataBase64 must be base64');
      if (input.body !== undefined && typeof input.body !== 'string') throw apiError(400, 'invalid_body', 'body must be a string');
      const bytes = Buffer.from(input.dataBase64, 'base64');
      const problem = checkAttachment(input.contentType, input.filename, bytes.length);
      if (problem) throw apiError(problem.status, `twilio_${problem.code}`, problem.message);
      const agent = agentFrom(input.agentIdentity);
      ensureJoined(conversation, agent);
      // Flex takes text or a file per message (FIDELITY.md), so a caption goes
      // first as a message of its own and the file follows, marked `partOf` it
      // as the widget marks its own pair; the console draws the two as one.
      const caption = typeof input.body === 'string' ? input.body : '';
      if (caption !== '') checkMessageBody(caption);
      const record = media.add({ serviceSid: conversation.serviceSid, contentType: input.contentType, filename: input.filename, author: agent.identity, category: 'media', bytes });
      const ref = { sid: record.sid, category: record.category, filename: record.filename, contentType: record.contentType, size: record.size };
      if (caption !== '') {
        const pairId = `agent-${record.sid}`;
        const text = model.postMessage(conversation, { author: agent.identity, body: caption, attributes: { clientMessageId: pairId } });
        const message = model.postMessage(conversation, { author: agent.identity, body: '', attributes: { partOf: pairId }, media: [ref] });
        media.attach(record.sid, conversation.sid, message.sid);
        return { status: 201, body: { message: describeMessage(message), text: describeMessage(text), media: { sid: record.sid, filename: record.filename, size: record.size } } };
      }
      const message = model.postMessage(conversation, { author: agent.identity, body: '', media: [ref] });
      media.attach(record.sid, conversation.sid, message.sid);
      return { status: 201, body: { message: describeMessage(message), media: { sid: record.sid, filename: record.filename, size: record.size } } };
    }),
    { maxBodyBytes: 23 * 1024 * 1024 },
  );

  router.add('GET', '/agent/content', () => ({
    status: 200,
    body: { contents: content.list().map((r): AgentContentTemplate => ({ sid: r.sid, friendlyName: r.friendlyName, types: Object.keys(r.types) })) },
  }));

  router.add('GET', '/agent/settings', () => ({ status: 200, body: { autoAcceptDelayMs: routing.autoAcceptDelayMs } }));

  router.add('POST', '/agent/settings', (request) => {
    const input = (jsonBody(request) ?? {}) as { autoAcceptDelayMs?: unknown };
    const delay = input.autoAcceptDelayMs;
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < -1 || delay > 600_000) {
      throw apiError(400, 'invalid_settings', 'autoAcceptDelayMs must be an integer from -1 (never) to 600000');
    }
    routing.setAutoAccept(delay);
    return { status: 200, body: { autoAcceptDelayMs: routing.autoAcceptDelayMs } };
  });
}
