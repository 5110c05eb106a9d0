// The typed ES module API (src/esm.ts) drives the same window.FlexChat as loader.js.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as flexchat from './src/esm.ts';
import { boot, type HostWindow } from './src/loader.ts';
import { captureShadowRoots, config, mount, resetPage } from './test-helpers.ts';

beforeEach(resetPage);
afterEach(resetPage);

const w = () => window as HostWindow;

describe('ESM API', () => {
  it('uses the loader already on the page, and types every command', () => {
    const page = mount();
    const seen: unknown[] = [];
    const off = flexchat.on('open', () => seen.push('open'));
    flexchat.on('unread', (count: number) => seen.push(count));
    flexchat.open();
    expect(page.iframe()!.hidden).toBe(false);
    flexchat.toggle();
    expect(page.iframe()!.hidden).toBe(true);
    off();
    flexchat.open();
    flexchat.close();
    expect(seen).toEqual(['open']);
    flexchat.hideLauncher();
    expect(page.button.hidden).toBe(true);
    flexchat.showLauncher();
    flexchat.boot({ position: 'right', offsetX: 3 });
    expect(page.css()).toContain('right:3px');
    flexchat.identify({ email: 'ada@example.com' });
    flexchat.setContext({ plan: 'gold' });
    flexchat.setLocale('de');
    flexchat.FlexChat('on', 'message', (m) => seen.push(m.fromAgent));
    flexchat.shutdown();
    expect(document.querySelectorAll('flex-chat')).toHaveLength(1);
  });

  it('boots the loader on first use, replaying a stub queue; a later loader.js is a no-op', () => {
    const q: ArrayLike<unknown>[] = [];
    const stub = Object.assign((...a: unknown[]) => void q.push(a), { q });
    w().FlexChat = stub;
    stub('boot', { label: 'Queued label' });
    const { roots } = captureShadowRoots();
    flexchat.open();
    expect(w().FlexChat).not.toBe(stub);
    expect(w().FlexChat!.l).toBe(1);
    const root = roots[0]!;
    expect(root.querySelector('button')!.getAttribute('aria-label')).toBe('Queued label');
    expect(root.querySelector('iframe')!.hidden).toBe(false);
    const api = w().FlexChat;
    boot(w(), config, { load: vi.fn() });
    expect(w().FlexChat).toBe(api);
    expect(document.querySelectorAll('flex-chat')).toHaveLength(1);
  });

  it('bundles the API chunk: events work without fetching anything', () => {
    const seen: string[] = [];
    flexchat.on('open', () => seen.push('open'));
    flexchat.open();
    expect(seen).toEqual(['open']);
    expect(document.querySelectorAll('script')).toHaveLength(0);
  });
});
