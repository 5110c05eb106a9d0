import { cleanup } from '@testing-library/react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness, testConfig, type Harness } from '../testing/fixtures.ts';
import { App } from '../ui/App.tsx';
import { prerenderFormShell } from './prerender.tsx';
import { SHELL_ID, SHELL_LIVE, SHELL_SUBMITTED } from './shell-dom.ts';
import { takeOverShell } from './takeover.ts';

let roots: Root[] = [];
afterEach(() => {
  roots.forEach((root) => root.unmount());
  roots = [];
  cleanup();
  document.body.replaceChildren();
});

async function liveShell(): Promise<HTMLElement> {
  const markup = await prerenderFormShell(testConfig, { boot: './boot.js', app: './app.js' });
  const template = new DOMParser().parseFromString(markup!, 'text/html').querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!;
  const root = document.createElement('div');
  root.append(document.importNode(template.content, true));
  root.setAttribute(SHELL_LIVE, '');
  document.body.append(root);
  return root;
}

const field = (root: HTMLElement, name: string) => root.querySelector<HTMLInputElement>(`[data-field-control="${name}"]`)!;

function renderer(root: HTMLElement, h: Harness) {
  return vi.fn(() => {
    const app = createRoot(root);
    roots.push(app);
    app.render(<App controller={h.controller} />);
  });
}

describe('the app taking over the shell', () => {
  it('opened directly: at once, with what was typed', async () => {
    const root = await liveShell();
    field(root, 'friendlyName').value = 'Zoë';
    const h = harness();
    const render = renderer(root, h);
    takeOverShell(root, h.controller, render, false);
    expect(render).toHaveBeenCalledOnce();
    expect(root.hasAttribute(SHELL_LIVE)).toBe(false);
    expect(h.controller.state.form.values.friendlyName).toBe('Zoë');
    expect(field(root, 'friendlyName').value).toBe('Zoë'); // the app's field, rendered in the same task
  });

  it('framed: waits for the panel to open; the session starts meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame'] });
    try {
      const root = await liveShell();
      const h = harness();
      const render = renderer(root, h);
      const takeover = takeOverShell(root, h.controller, render, true);
      expect(h.controller.state.phase).toBe('pre-engagement');
      vi.advanceTimersByTime(5000);
      expect(render).not.toHaveBeenCalled();
      field(root, 'question').value = 'Typed while waiting';
      takeover.opened();
      expect(render).not.toHaveBeenCalled(); // after the next frame
      vi.advanceTimersByTime(50);
      expect(render).toHaveBeenCalledOnce();
      expect(field(root, 'question').value).toBe('Typed while waiting');
    } finally {
      vi.useRealTimers();
    }
  });

  it('framed: at once when the session needs what the shell cannot show (another language)', async () => {
    const root = await liveShell();
    const h = harness();
    const render = renderer(root, h);
    takeOverShell(root, h.controller, render, true);
    field(root, 'friendlyName').value = 'Zoé';
    h.controller.setLocale('fr');
    expect(render).toHaveBeenCalledOnce();
    expect(h.controller.state.form.values.friendlyName).toBe('Zoé');
  });

  it('replays a submit the boot script held', async () => {
    const root = await liveShell();
    field(root, 'friendlyName').value = 'Zoë';
    field(root, 'email').value = 'zoe@example.com';
    field(root, 'question').value = 'Order?';
    root.querySelector('form')!.setAttribute(SHELL_SUBMITTED, '');
    const h = harness();
    takeOverShell(root, h.controller, renderer(root, h), false);
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(h.http.calls[0]?.body).toMatchObject({ preEngagementData: { friendlyName: 'Zoë', email: 'zoe@example.com', question: 'Order?' } });
  });

  it('keeps the focus the visitor has on the first open, and focuses the first field on a later one', async () => {
    const root = await liveShell();
    const h = harness();
    const takeover = takeOverShell(root, h.controller, renderer(root, h), false);
    field(root, 'email').focus();
    takeover.opened();
    expect(document.activeElement).toBe(field(root, 'email'));
    takeover.opened();
    expect(document.activeElement).toBe(field(root, 'friendlyName'));
  });
});
