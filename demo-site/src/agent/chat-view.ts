// One chat: its head (status, actions, pre-engagement answers) and its messages, appended as they arrive.
import { type AgentConversation, type AgentMessage } from './agent-api.ts';
import { KNOWN_AGENTS, actingAgent, agentName, answerNote, chatStatus, describeFile, isFromVisitor, lastSeenAgentMessage, preEngagementRows, sentWith, surveySummary, statusText, visitorName, visitorTyping } from './chat-model.ts';
import { api, el, state, ui, selectedConversation, visitorsOf } from './console-state.ts';

export function renderChatHead(conversation: AgentConversation): void {
  const status = chatStatus(conversation);
  const me = state.me;
  const acting = actingAgent(conversation, me);
  ui.empty.hidden = true;
  ui.view.hidden = false;
  ui.main.setAttribute('aria-labelledby', 'chat-name');
  ui.name.textContent = visitorName(conversation);
  const text = statusText(conversation);
  if (ui.status.textContent !== text) ui.status.textContent = text;
  ui.view.dataset.status = status;

  ui.accept.hidden = status !== 'waiting';
  const heldByOther = status === 'assigned' && conversation.task?.agentIdentity !== me.identity;
  ui.takeOver.hidden = !heldByOther;
  ui.takeOver.textContent = heldByOther ? `Take over from ${agentName(conversation.task?.agentIdentity, conversation)}` : 'Take over';
  ui.transferForm.hidden = status !== 'assigned';
  ui.end.hidden = status === 'ended';

  const holder = conversation.task?.agentIdentity;
  const options = KNOWN_AGENTS.filter((a) => a.identity !== holder);
  if (!options.some((a) => a.identity === me.identity) && me.identity !== holder) options.push(me);
  const signature = options.map((a) => a.identity).join();
  if (ui.transferTo.dataset.signature !== signature) {
    ui.transferTo.replaceChildren(...options.map((a) => el('option', { value: a.identity, textContent: `${a.name} (${a.identity})` })));
    ui.transferTo.dataset.signature = signature;
  }

  const closed = status === 'ended';
  ui.reply.disabled = closed;
  ui.file.disabled = closed;
  ui.sendFile.disabled = closed;
  ui.template.disabled = closed;
  ui.sendTemplate.disabled = closed;
  (ui.replyForm.querySelector('button[type=submit]') as HTMLButtonElement).disabled = closed;
  ui.replyLabel.textContent = closed ? 'Reply (the chat has ended)' : `Reply as ${acting.name}`;

  const rows = preEngagementRows(conversation);
  const preHtml = rows.map(([k, v]) => `${k}=${v}`).join('\n');
  if (ui.pre.dataset.rows !== preHtml) {
    ui.pre.replaceChildren(...rows.flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, value)]));
    if (rows.length === 0) ui.pre.append(el('dt', {}, 'None'), el('dd', {}, 'The visitor filled in no form.'));
    ui.pre.dataset.rows = preHtml;
  }

  const survey = surveySummary(conversation);
  if (ui.survey.textContent !== survey) ui.survey.textContent = survey;

  const typing = visitorTyping(conversation) ? `${visitorName(conversation)} is typing…` : '';
  if (ui.typing.textContent !== typing) ui.typing.textContent = typing;
}

/** `continued`: sent with the message before it (a file after its text): no author line of its own, drawn as one. */
function renderMessage(message: AgentMessage, conversation: AgentConversation, visitors: ReadonlySet<string>, continued: boolean): HTMLElement {
  const fromVisitor = isFromVisitor(message, conversation, visitors);
  const who = fromVisitor ? visitorName(conversation) : agentName(message.author, conversation);
  const time = new Date(message.dateCreated);
  const item = el(
    'article',
    { className: `msg msg--${fromVisitor ? 'visitor' : 'agent'}${continued ? ' msg--continued' : ''}` },
    el('p', { className: continued ? 'msg-author sr-only' : 'msg-author' }, who),
  );
  item.dataset.role = fromVisitor ? 'visitor' : 'agent';
  item.dataset.index = String(message.index);
  if (message.body) item.append(el('p', { className: 'msg-body' }, message.body));
  if (message.contentSid) item.append(el('p', { className: 'msg-template' }, `Template ${message.contentSid}`));
  const answer = fromVisitor ? answerNote(message) : '';
  if (answer) item.append(el('p', { className: 'msg-template' }, answer));
  for (const media of message.media) {
    const link = el('a', { href: media.url, target: '_blank', rel: 'noopener', className: 'msg-file' }, `📎 ${describeFile(media.filename, media.size)}`);
    item.append(el('p', {}, link));
  }
  const meta = el('p', { className: 'msg-meta' }, el('time', { dateTime: time.toISOString() }, time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
  meta.append(el('span', { className: 'msg-seen' }));
  item.append(meta);
  return item;
}

export async function refreshSelected(): Promise<void> {
  const sid = state.selected;
  if (!sid) return;
  const conversation = selectedConversation() ?? (await api.conversation(sid).catch(() => undefined));
  if (!conversation) {
    ui.empty.hidden = false;
    ui.view.hidden = true;
    return;
  }
  renderChatHead(conversation);
  const messages = await api.messages(sid);
  if (state.selected !== sid) return;
  if (state.renderedFor !== sid) {
    ui.messages.replaceChildren();
    state.rendered.clear();
    state.renderedFor = sid;
  }
  const visitors = visitorsOf(conversation);
  const log = ui.messages;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  for (const [i, message] of messages.entries()) {
    if (state.rendered.has(message.index)) continue;
    const node = renderMessage(message, conversation, visitors, sentWith(message, messages[i - 1]));
    state.rendered.set(message.index, node);
    log.append(node);
  }
  if (atBottom) log.scrollTop = log.scrollHeight;

  // The visitor's read state: "Seen" under the newest agent message they have read.
  const seen = lastSeenAgentMessage(messages, conversation, visitors);
  for (const [index, node] of state.rendered) {
    const mark = node.querySelector('.msg-seen') as HTMLElement;
    const text = index === seen ? 'Seen' : '';
    if (mark.textContent !== text) mark.textContent = text;
  }

  // The agent has now seen everything: badges off, and the visitor sees our read horizon move.
  const before = state.seenCount.get(sid) ?? 0;
  state.seenCount.set(sid, messages.length);
  const acting = actingAgent(conversation, state.me);
  const inChat = conversation.participants.some((p) => p.identity === acting.identity);
  const agentHorizon = conversation.participants.find((p) => p.identity === acting.identity)?.lastReadMessageIndex ?? -1;
  if (inChat && messages.length > 0 && (messages.length > before || agentHorizon < messages.length - 1) && document.visibilityState === 'visible') {
    await api.read(sid, acting.identity).catch(() => undefined);
  }
}
