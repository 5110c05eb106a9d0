// The console's "Messages left outside hours" list: messages visitors left on
// the widget's offline screen (emulator inbox). Framework-free DOM; new
// messages are added at the top and existing ones never re-rendered, so a
// screen reader hears each arrival once (through the summary's status role).
import type { TranscriptDelivery } from '../../../contracts/transcript-email.ts';
import type { OfflineMessage } from './agent-api.ts';

export function offlineSummary(count: number): string {
  if (count === 0) return 'No messages yet.';
  return count === 1 ? '1 message' : `${count} messages`;
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function item(doc: Document, message: OfflineMessage): HTMLLIElement {
  const li = doc.createElement('li');
  li.className = 'offline-item';
  li.dataset.id = message.id;
  const article = doc.createElement('article');
  article.setAttribute('aria-label', `Message from ${message.name}`);

  const head = doc.createElement('p');
  head.className = 'offline-head';
  const name = doc.createElement('strong');
  name.textContent = message.name;
  const email = doc.createElement('a');
  // Encoded so ? & # cannot add headers to the mailto link; @ and + read better as they are.
  email.href = `mailto:${encodeURIComponent(message.email).replace(/%40/g, '@').replace(/%2B/gi, '+')}`;
  email.textContent = message.email;
  const time = doc.createElement('time');
  time.dateTime = message.receivedAt;
  time.textContent = when(message.receivedAt);
  head.append(name, ' · ', email, ' · ', time);

  const body = doc.createElement('p');
  body.className = 'offline-body';
  body.textContent = message.message;
  article.append(head, body);

  const page = message.context?.pageUrl;
  if (page) {
    const from = doc.createElement('p');
    from.className = 'offline-context';
    from.textContent = `Left on ${page}${message.context?.locale ? ` (${message.context.locale})` : ''}`;
    article.append(from);
  }
  li.append(article);
  return li;
}

/** Adds the messages not shown yet (newest first) and updates the count. */
export function renderOfflineMessages(list: HTMLElement, summary: HTMLElement, messages: readonly OfflineMessage[]): void {
  const doc = list.ownerDocument;
  const shown = new Set([...list.querySelectorAll<HTMLElement>('[data-id]')].map((node) => node.dataset.id));
  const known = new Set(messages.map((m) => m.id));
  // The emulator was reset: start over.
  for (const node of list.querySelectorAll<HTMLElement>('[data-id]')) if (!known.has(node.dataset.id ?? '')) node.remove();
  for (const message of messages) {
    if (shown.has(message.id)) continue;
    list.prepend(item(doc, message));
  }
  const text = offlineSummary(messages.length);
  if (summary.textContent !== text) summary.textContent = text;
}

/** A transcript sent by e-mail, shown in the same kind of list: to whom, when, and the text the service built. */
export function transcriptAsItem(transcript: TranscriptDelivery): OfflineMessage {
  return { id: transcript.id, receivedAt: transcript.receivedAt, name: `Transcript of ${transcript.conversationSid}`, email: transcript.email, message: transcript.text };
}
