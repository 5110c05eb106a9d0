// The frame focused anew when the page got the focus back from it (loader/src/frame-focus.ts).
// jsdom has no second process: what is checked here is when the frame is focused again and
// when not; the Chromium behaviour behind it is described in frame-focus.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepFrameFocused } from './src/frame-focus.ts';
import type { Core } from './src/loader.ts';

describe('keepFrameFocused', () => {
  let host: HTMLElement;
  let frame: HTMLIFrameElement;
  let other: HTMLButtonElement;
  let core: Core;

  beforeEach(() => {
    host = document.createElement('flex-chat');
    const root = host.attachShadow({ mode: 'closed' });
    other = document.createElement('button');
    frame = document.createElement('iframe');
    frame.tabIndex = 0;
    root.append(other, frame);
    document.body.append(host);
    core = { c: {}, w: window, o: true, a: () => undefined, s: () => undefined, v: () => true } as unknown as Core;
    keepFrameFocused(core, frame);
  });
  afterEach(() => host.remove());

  /** The calls made on the frame by the next event. */
  function callsOn(event: () => void): string[] {
    const calls: string[] = [];
    const blur = vi.spyOn(frame, 'blur').mockImplementation(() => calls.push('blur'));
    const focus = vi.spyOn(frame, 'focus').mockImplementation(() => calls.push('focus'));
    event();
    blur.mockRestore();
    focus.mockRestore();
    return calls;
  }

  it('focuses the frame anew when the page gets the focus back while the open frame holds it', () => {
    frame.focus();
    expect(callsOn(() => window.dispatchEvent(new FocusEvent('focus')))).toEqual(['blur', 'focus']);
  });

  it('and once the frame has loaded', () => {
    frame.focus();
    expect(callsOn(() => frame.dispatchEvent(new Event('load')))).toEqual(['blur', 'focus']);
  });

  it('leaves the focus alone when the panel is closed or the visitor moved it elsewhere', () => {
    frame.focus();
    core.o = false;
    expect(callsOn(() => window.dispatchEvent(new FocusEvent('focus')))).toEqual([]);
    core.o = true;
    other.focus();
    expect(callsOn(() => window.dispatchEvent(new FocusEvent('focus')))).toEqual([]);
    expect(callsOn(() => frame.dispatchEvent(new Event('load')))).toEqual([]);
  });

  it('does not run again for the focus its own blur gives the page', () => {
    frame.focus();
    const calls: string[] = [];
    const blur = vi.spyOn(frame, 'blur').mockImplementation(() => {
      calls.push('blur');
      window.dispatchEvent(new FocusEvent('focus')); // as in a browser: at once, within blur()
    });
    const focus = vi.spyOn(frame, 'focus').mockImplementation(() => calls.push('focus'));
    window.dispatchEvent(new FocusEvent('focus'));
    blur.mockRestore();
    focus.mockRestore();
    expect(calls).toEqual(['blur', 'focus']);
  });
});
