// The agent console's state, its DOM handles and the agent API client it polls.
import { AgentApiClient, type AgentConversation, type AgentRef } from './agent-api.ts';

export const ME_KEY = 'flexchat-demo:agent';

export const params = new URLSearchParams(location.search);
export const api = new AgentApiClient(params.get('emulator') ?? __FLEXCHAT_EMULATOR_URL__);

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>) => {
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

export const state = {
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
};

export const ui = {
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
  survey: $('chat-survey'),
  messages: $('messages'),
  typing: $('visitor-typing'),
  replyForm: $<HTMLFormElement>('reply-form'),
  replyLabel: $('reply-label'),
  reply: $<HTMLTextAreaElement>('reply'),
  file: $<HTMLInputElement>('attachment'),
  template: $<HTMLSelectElement>('template'),
  sendTemplate: $<HTMLButtonElement>('send-template'),
  sendFile: $<HTMLButtonElement>('send-file'),
  offlineSummary: $('offline-summary'),
  offlineList: $<HTMLUListElement>('offline-list'),
  transcriptSummary: $('transcript-summary'),
  transcriptList: $<HTMLUListElement>('transcript-list'),
  notice: $('console-status'),
  error: $('console-error'),
};


export function say(text: string): void {
  ui.notice.textContent = text;
}

export function fail(error: unknown): void {
  ui.error.textContent = error instanceof Error ? error.message : String(error);
}

export const selectedConversation = () => state.conversations.find((c) => c.sid === state.selected);

export function visitorsOf(conversation: AgentConversation): Set<string> {
  let known = state.visitors.get(conversation.sid);
  if (!known) state.visitors.set(conversation.sid, (known = new Set()));
  for (const p of conversation.participants) if (p.role === 'customer') known.add(p.identity);
  return known;
}
