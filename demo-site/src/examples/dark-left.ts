import '../styles.css';
import './examples.css';
import { embed } from '../embed.ts';
import { pageSnippet, showSnippet } from './common.ts';

type ChatWindow = Window & { FlexChat?: (command: string, ...args: unknown[]) => void };

const { widgetOrigin } = __FLEXCHAT_DEPLOYMENT__;

/** Per-page launcher options (loader/README.md): left corner, the site's accent, its own label. */
export const DARK_LEFT_OPTIONS = { position: 'left', color: '#8ab4f8', label: 'Ask Night Trails' } as const;

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-chat-open]')) {
  button.addEventListener('click', () => (window as ChatWindow).FlexChat?.('open'));
}

showSnippet(pageSnippet(widgetOrigin, { data: { ...DARK_LEFT_OPTIONS } }));
embed(document, widgetOrigin, { data: { ...DARK_LEFT_OPTIONS } });
