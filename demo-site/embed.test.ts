import { afterEach, describe, expect, it } from 'vitest';
import { boot, type HostWindow } from '../loader/src/loader.ts';
import { QUEUE_STUB, embed, loaderUrl, snippet } from './src/embed.ts';

const ORIGIN = 'http://127.0.0.1:4030';

afterEach(() => {
  delete (window as HostWindow).FlexChat;
  document.body.replaceChildren();
});

describe('embed snippet', () => {
  it('is the documented two-line snippet for the configured widget origin', () => {
    expect(snippet(ORIGIN)).toBe(
      '<script>window.FlexChat=window.FlexChat||function(){(window.FlexChat.q=window.FlexChat.q||[]).push(arguments)}</script>\n' +
        '<script async src="http://127.0.0.1:4030/loader.js"></script>',
    );
    expect(loaderUrl('https://chat.example.com')).toBe('https://chat.example.com/loader.js');
  });

  it('inserts exactly the snippet into the page', () => {
    embed(document, ORIGIN);
    const scripts = [...document.body.querySelectorAll('script')];
    // Serialised, the boolean attribute reads async="": the same markup.
    expect(scripts.map((s) => s.outerHTML.replace('async=""', 'async')).join('\n')).toBe(snippet(ORIGIN));
  });

  it('queue stub keeps calls that the loader replays', () => {
    new Function(QUEUE_STUB)();
    const w = window as HostWindow;
    w.FlexChat!('open');
    expect(w.FlexChat!.q).toHaveLength(1);
    boot(w, { widgetOrigin: ORIGIN }, { load: () => {} });
    expect(w.FlexChat!.q).toBeUndefined();
    expect(document.querySelector('flex-chat')).not.toBeNull();
  });
});
