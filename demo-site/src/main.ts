import './styles.css';
import { embed, snippet } from './embed.ts';

type ChatWindow = Window & { FlexChat?: (command: string, ...args: unknown[]) => void };

const { widgetOrigin, tokenUrl } = __FLEXCHAT_DEPLOYMENT__;

const fill = (selector: string, text: string) => {
  for (const el of document.querySelectorAll(selector)) el.textContent = text;
};

fill('[data-snippet]', snippet(widgetOrigin));
fill('[data-origin="host"]', location.origin);
fill('[data-origin="widget"]', widgetOrigin);
fill('[data-origin="token"]', tokenUrl ?? 'none: Twilio\'s hosted init (tokenSource "hosted")');
document.getElementById('year')!.textContent = String(new Date().getFullYear());

// "Ask an expert" buttons use the public API; the queue stub makes them work
// even before loader.js has arrived.
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-chat-open]')) {
  button.addEventListener('click', () => (window as ChatWindow).FlexChat?.('open'));
}

// The snippet is there to be copied: one click, with a fallback that selects it.
const copyButton = document.querySelector<HTMLButtonElement>('[data-copy-snippet]');
const copyStatus = document.querySelector<HTMLElement>('[data-copy-status]');
copyButton?.addEventListener('click', async () => {
  const text = snippet(widgetOrigin);
  try {
    await navigator.clipboard.writeText(text);
    if (copyStatus) copyStatus.textContent = 'Snippet copied to the clipboard.';
  } catch {
    const code = document.querySelector('[data-snippet]');
    if (code) getSelection()?.selectAllChildren(code);
    if (copyStatus) copyStatus.textContent = 'Snippet selected: press Ctrl+C (⌘C on a Mac) to copy it.';
  }
});

embed(document, widgetOrigin);
