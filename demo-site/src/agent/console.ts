// The agent console: a person plays the Flex agent against the local emulator's
// agent API. Framework-free; polls the API once a second (the emulator has no
// push channel for agents) and only appends what is new, so screen readers
// hear each new message once and the scroll position is kept.
import '../styles.css';
import './agent.css';
import { AgentApiClient, AgentApiError, type AgentConversation, type AgentMessage, type AgentRef } from './agent-api.ts';
import {
  ATTACHMENT_TYPES,
  KNOWN_AGENTS,
  MAX_ATTACHMENT_BYTES,
  actingAgent,
  agentName,
  chatStatus,
  describeFile,
  isFromVisitor,
  lastSeenAgentMessage,
  preEngagementRows,
  queueOrder,
  sentWith,
  statusText,
  visitorName,
  visitorTyping,
} from './chat-model.ts';
import { renderOfflineMessages } from './offline-messages.ts';

const POLL_MS = 1000;
const TYPING_EVERY_MS = 2500;
const ME_KEY = 'flexchat-demo:agent';

const params = new URLSearchParams(location.search);
const api = new AgentApiClient(params.get('emulator') ?? __FLEXCHAT_EMULATOR_URL__);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function loadMe(): AgentRef {
  try {
    const saved = JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as AgentRef | null;
    if (saved && typeof saved.identity === 'string' && typeof saved.name === 'string') return saved;
  } catch {
    // fall through
  }
  return { identity: params.get('agent') ?? 'agent.alex', name: params.get('agentName') ?? 'Alex' };
}

const state = {
  me: loadMe(),
  conversations: [] as AgentConversation[],
  selected: params.get('chat') as string | null,
  /** Messages rendered per conversation (by index). */
  rendered: new Map<number, HTMLElement>(),
  renderedFor: null as string | null,
  /** Messages seen by the agent per conversation: drives the unread badges. */
  seenCount: new Map<string, number>(),
  /** Every identity that has been a visitor in a conversation (they leave when it ends). */
  visitors: new Map<string, Set<string>>(),
  lastTypingSent: 0,
  busy: false,
};

const ui = {
  meForm: $<HTMLFormElement>('me-form'),
  meIdentity: $<HTMLInputElement>('me-identity'),
  meName: $<HTMLInputElement>('me-name'),
  showEnded: $<HTMLInputElement>('show-ended'),
  queueSummary: $('queue-summary'),
  queueList: $<HTMLUListElement>('queue-list'),
  main: $('chat'),
  empty: $('chat-empty'),
  view: $('chat-view'),
  name: $('chat-name'),
  status: $('chat-status'),
  accept: $<HTMLButtonElement>('accept'),
  takeOver: $<HTMLButtonElement>('take-over'),
  transferForm: $<HTMLFormElement>('transfer-form'),
  transferTo: $<HTMLSelectElement>('transfer-to'),
  end: $<HTMLButtonElement>('end'),
  pre: $('pre-engagement'),
  messages: $('messages'),
  typing: $('visitor-typing'),
  replyForm: $<HTMLFormElement>('reply-form'),
  replyLabel: $('reply-label'),
  reply: $<HTMLTextAreaElement>('reply'),
  file: $<HTMLInputElement>('attachment'),
  sendFile: $<HTMLButtonElement>('send-file'),
  offlineSummary: $('offline-summary'),
  offlineList: $<HTMLUListElement>('offline-list'),
  notice: $('console-status'),
  error: $('console-error'),
};

$('emulator-url').textContent = api.baseUrl;
ui.meIdentity.value = state.me.identity;
ui.meName.value = state.me.name;
ui.file.accept = ATTACHMENT_TYPES;

function say(text: string): void {
  ui.notice.textContent = text;
}

function fail(error: unknown): void {
  ui.error.textContent = error instanceof Error ? error.message : String(error);
}

const selectedConversation = () => state.conversations.find((c) => c.sid === state.selected);

function visitorsOf(conversation: AgentConversation): Set<string> {
  let known = state.visitors.get(conversation.sid);
  if (!known) state.visitors.set(conversation.sid, (known = new Set()));
  for (const p of conversation.participants) if (p.role === 'customer') known.add(p.identity);
  return known;
}

// ---------- queue ----------

function renderQueue(): void {
  const all = queueOrder(state.conversations);
  const waiting = all.filter((c) => chatStatus(c) === 'waiting').length;
  const open = all.filter((c) => chatStatus(c) !== 'ended').length;
  const summary = `${open} open ${open === 1 ? 'chat' : 'chats'}, ${waiting} waiting`;
  if (ui.queueSummary.textContent !== summary) ui.queueSummary.textContent = summary;

  // The tab title counts chats waiting for an agent, so a background tab shows new work.
  const title = `${waiting ? `(${waiting}) ` : ''}Agent console · flexchat demo`;
  if (document.title !== title) document.title = title;

  const shown = all.filter((c) => ui.showEnded.checked || chatStatus(c) !== 'ended' || c.sid === state.selected);
  const focusedSid = (document.activeElement as HTMLElement | null)?.dataset.sid;
  const items = shown.map((conversation) => {
    const status = chatStatus(conversation);
    const unread = Math.max(0, conversation.messageCount - (state.seenCount.get(conversation.sid) ?? 0));
    const last = conversation.lastMessage;
    const button = el(
      'button',
      { type: 'button', className: 'queue-item' },
      el('span', { className: 'queue-name' }, visitorName(conversation)),
      el('span', { className: `badge badge--${status}` }, statusText(conversation)),
      el('span', { className: 'queue-preview' }, last ? (last.body || (last.media.length ? 'Attachment' : '')) : 'No messages yet'),
    );
    if (unread > 0 && conversation.sid !== state.selected) {
      button.append(el('span', { className: 'unread' }, el('span', { className: 'sr-only' }, ', unread: '), String(unread)));
    }
    button.dataset.sid = conversation.sid;
    button.dataset.status = status;
    if (conversation.sid === state.selected) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => select(conversation.sid, true));
    return el('li', {}, button);
  });
  if (items.length === 0) items.push(el('li', { className: 'queue-empty' }, 'No chats yet. Start one from the shop as a visitor.'));
  // Replace only when something changed, and keep keyboard focus on the same chat.
  const html = items.map((i) => i.outerHTML).join('');
  if (ui.queueList.dataset.html !== html) {
    ui.queueList.replaceChildren(...items);
    ui.queueList.dataset.html = html;
    if (focusedSid) ui.queueList.querySelector<HTMLElement>(`[data-sid="${CSS.escape(focusedSid)}"]`)?.focus();
  }
}

function select(sid: string, focusChat: boolean): void {
  state.selected = sid;
  const url = new URL(location.href);
  url.searchParams.set('chat', sid);
  history.replaceState(null, '', url);
  ui.error.textContent = '';
  renderQueue();
  void refreshSelected().then(() => {
    if (focusChat) ui.reply.disabled ? ui.main.focus() : ui.reply.focus();
  });
}

// ---------- one chat ----------

function renderChatHead(conversation: AgentConversation): void {
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
  (ui.replyForm.querySelector('button[type=submit]') as HTMLButtonElement).disabled = closed;
  ui.replyLabel.textContent = closed ? 'Reply (the chat has ended)' : `Reply as ${acting.name}`;

  const rows = preEngagementRows(conversation);
  const preHtml = rows.map(([k, v]) => `${k}=${v}`).join('\n');
  if (ui.pre.dataset.rows !== preHtml) {
    ui.pre.replaceChildren(...rows.flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, value)]));
    if (rows.length === 0) ui.pre.append(el('dt', {}, 'None'), el('dd', {}, 'The visitor filled in no form.'));
    ui.pre.dataset.rows = preHtml;
  }

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
  for (const media of message.media) {
    const link = el('a', { href: media.url, target: '_blank', rel: 'noopener', className: 'msg-file' }, `📎 ${describeFile(media.filename, media.size)}`);
    item.append(el('p', {}, link));
  }
  const meta = el('p', { className: 'msg-meta' }, el('time', { dateTime: time.toISOString() }, time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
  meta.append(el('span', { className: 'msg-seen' }));
  item.append(meta);
  return item;
}

async function refreshSelected(): Promise<void> {
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

// ---------- polling ----------

async function poll(): Promise<void> {
  try {
    state.conversations = await api.conversations();
    for (const c of state.conversations) visitorsOf(c);
    renderQueue();
    await refreshSelected();
    renderOfflineMessages(ui.offlineList, ui.offlineSummary, await api.offlineMessages());
    if (ui.error.dataset.kind === 'unreachable') {
      ui.error.textContent = '';
      delete ui.error.dataset.kind;
    }
  } catch (error) {
    if (error instanceof AgentApiError && error.code === 'unreachable') {
      ui.error.dataset.kind = 'unreachable';
      if (ui.error.textContent !== error.message) ui.error.textContent = error.message;
    }
  } finally {
    setTimeout(() => void poll(), POLL_MS);
  }
}

// ---------- actions ----------

async function act(what: string, action: (conversation: AgentConversation) => Promise<unknown>): Promise<void> {
  const conversation = selectedConversation();
  if (!conversation || state.busy) return;
  state.busy = true;
  ui.error.textContent = '';
  try {
    await action(conversation);
    say(what);
    state.conversations = await api.conversations();
    renderQueue();
    await refreshSelected();
  } catch (error) {
    fail(error);
  } finally {
    state.busy = false;
  }
}

ui.accept.addEventListener('click', () =>
  void act(`You accepted the chat as ${state.me.name}.`, async (c) => {
    await api.accept(c.sid, state.me, false);
    ui.reply.focus();
  }),
);

ui.takeOver.addEventListener('click', () =>
  void act(`You took the chat over as ${state.me.name}.`, async (c) => {
    await api.transfer(c.sid, state.me);
    ui.reply.focus();
  }),
);

ui.transferForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = KNOWN_AGENTS.find((a) => a.identity === ui.transferTo.value) ?? (ui.transferTo.value === state.me.identity ? state.me : undefined);
  if (!target) return;
  void act(`Chat transferred to ${target.name}.`, (c) => api.transfer(c.sid, target));
});

ui.end.addEventListener('click', () => {
  void act('The chat has ended.', (c) => api.end(c.sid)).then(() => ui.main.focus());
});

async function sendReply(): Promise<void> {
  const body = ui.reply.value.trim();
  if (!body) return;
  await act('Message sent.', async (c) => {
    await api.send(c.sid, body, actingAgent(c, state.me).identity);
    ui.reply.value = '';
  });
  ui.reply.focus();
}

ui.replyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendReply();
});

ui.reply.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    void sendReply();
  }
});

// The visitor sees "Alex is typing…" while the agent types (the SDK's indicator lasts a few seconds).
ui.reply.addEventListener('input', () => {
  const conversation = selectedConversation();
  if (!conversation || chatStatus(conversation) === 'ended' || ui.reply.value.trim() === '') return;
  const now = Date.now();
  if (now - state.lastTypingSent < TYPING_EVERY_MS) return;
  state.lastTypingSent = now;
  void api.typing(conversation.sid, actingAgent(conversation, state.me).identity).catch(() => undefined);
});

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('Cannot read the file'));
    reader.readAsDataURL(file);
  });
}

ui.sendFile.addEventListener('click', () => {
  const file = ui.file.files?.[0];
  if (!file) {
    fail('Choose a file to send first.');
    ui.file.focus();
    return;
  }
  if (file.size > MAX_ATTACHMENT_BYTES) {
    fail(`${file.name} is larger than 16 MB, the Flex web chat limit.`);
    return;
  }
  void act(`${file.name} sent.`, async (c) => {
    const dataBase64 = await readBase64(file);
    const caption = ui.reply.value.trim();
    await api.attach(c.sid, { filename: file.name, contentType: file.type || 'application/octet-stream', dataBase64 }, actingAgent(c, state.me).identity, caption);
    ui.file.value = '';
    if (caption) ui.reply.value = '';
  });
});

ui.showEnded.addEventListener('change', renderQueue);

ui.meForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!ui.meForm.reportValidity()) return;
  state.me = { identity: ui.meIdentity.value.trim(), name: ui.meName.value.trim() };
  localStorage.setItem(ME_KEY, JSON.stringify(state.me));
  say(`You are now ${state.me.name} (${state.me.identity}).`);
  const conversation = selectedConversation();
  if (conversation) renderChatHead(conversation);
});

void poll();
