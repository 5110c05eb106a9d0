// The agent console: a person plays the Flex agent against the local emulator's
// agent API. Framework-free; polls the API once a second (the emulator has no
// push channel for agents) and only appends what is new, so screen readers
// hear each new message once and the scroll position is kept.
import '../styles.css';
import './agent.css';
import { AgentApiError, type AgentConversation } from './agent-api.ts';
import { ATTACHMENT_TYPES, KNOWN_AGENTS, MAX_ATTACHMENT_BYTES, actingAgent, chatStatus, queueOrder, statusText, visitorName } from './chat-model.ts';
import { ME_KEY, api, $, el, state, ui, say, fail, selectedConversation, visitorsOf } from './console-state.ts';
import { renderChatHead, refreshSelected } from './chat-view.ts';
import { renderOfflineMessages, transcriptAsItem } from './offline-messages.ts';
import { setUpTemplates } from './templates.ts';

const POLL_MS = 1000;
const TYPING_EVERY_MS = 2500;

$('emulator-url').textContent = api.baseUrl;
ui.meIdentity.value = state.me.identity;
ui.meName.value = state.me.name;
ui.file.accept = ATTACHMENT_TYPES;

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

// ---------- polling ----------

async function poll(): Promise<void> {
  try {
    state.conversations = await api.conversations();
    for (const c of state.conversations) visitorsOf(c);
    renderQueue();
    await refreshSelected();
    renderOfflineMessages(ui.offlineList, ui.offlineSummary, await api.offlineMessages());
    renderOfflineMessages(ui.transcriptList, ui.transcriptSummary, (await api.transcripts()).map(transcriptAsItem));
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

// Actions run one after another, so a click while another action is still finishing
// (its refresh of the queue) waits its turn instead of being dropped; the same action
// on the same chat is not queued twice (a double click).
let actions: Promise<void> = Promise.resolve();
const queued = new Set<string>();

async function act(what: string, action: (conversation: AgentConversation) => Promise<unknown>): Promise<void> {
  const conversation = selectedConversation();
  if (!conversation) return;
  const key = `${conversation.sid} ${what}`;
  if (queued.has(key)) return;
  queued.add(key);
  const run = actions.then(async () => {
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
      queued.delete(key);
    }
  });
  actions = run;
  await run;
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

setUpTemplates(act);

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
