// The proactive teaser's rules (src/teaser-rules.ts): what the build bakes (loader-config.ts),
// the core fetching the API chunk for them when idle, and their evaluation in the chunk.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDeploymentConfig } from '../config/load.ts';
import { validateDeploymentConfig } from '../config/validate.ts';
import type { DeploymentConfig, TeaserRule } from '../config/types.ts';
import { install } from './src/api.ts';
import { installOnce } from './src/install-once.ts';
import { apiOptionsOf, loaderConfigOf } from './src/loader-config.ts';
import { HINT, type HostWindow } from './src/loader.ts';
import { TEASER_KEY } from './src/teaser.ts';
import { RULE_TICK_MS, SHOWN_KEY, pathMatches, ruleText, scrollDepth, watchRules, type BakedRule } from './src/teaser-rules.ts';
import { config, mount, resetPage } from './test-helpers.ts';

beforeEach(() => {
  resetPage();
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});
afterEach(() => {
  resetPage();
  sessionStorage.clear();
});

const deployment = (rules?: TeaserRule[]): DeploymentConfig => ({ ...loadDeploymentConfig(), ...(rules ? { teaser: { rules } } : {}) });
const rule = (r: Partial<BakedRule>): BakedRule => ({ id: 'r1', text: 'Need help?', ...r });

/** The page's scroll geometry: `height` of content in a 1000 px window, scrolled to `y`. */
function scrollPage(height: number, y: number): void {
  Object.defineProperty(document.documentElement, 'scrollHeight', { value: height, configurable: true });
  Object.defineProperty(window, 'innerHeight', { value: 1000, configurable: true });
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
}
afterEach(() => {
  delete (document.documentElement as { scrollHeight?: number }).scrollHeight;
  delete (window as { scrollY?: number }).scrollY;
});

describe('the config', () => {
  it('accepts rules with at least one trigger, and refuses the rest with the field named', () => {
    expect(validateDeploymentConfig(deployment([{ text: { en: 'Hi', es: 'Hola' }, urlPattern: '/pricing*', timeOnPage: 5, frequency: 'session' }])).ok).toBe(true);
    const bad = (r: unknown) => {
      const result = validateDeploymentConfig({ ...loadDeploymentConfig(), teaser: { rules: [r] } });
      return result.ok ? [] : result.problems.map((p) => p.path);
    };
    expect(bad({ text: 'Hi' })).toContain('/teaser/rules/0'); // no trigger
    expect(bad({ text: 'x'.repeat(201), timeOnPage: 1 })).toContain('/teaser/rules/0/text');
    expect(bad({ text: 'Hi', scrollDepth: 101 })).toContain('/teaser/rules/0/scrollDepth');
    expect(bad({ text: 'Hi', urlPattern: 'pricing' })).toContain('/teaser/rules/0/urlPattern'); // a path starts with /
    expect(bad({ text: 'Hi', timeOnPage: 5, frequency: 'daily' })).toContain('/teaser/rules/0/frequency');
  });

  it('is off by default: the demo deployment has none, and nothing is baked for it', () => {
    const d = loadDeploymentConfig();
    expect(d.teaser).toBeUndefined();
    expect(loaderConfigOf(d).R).toBeUndefined();
    expect(apiOptionsOf(d).teaser).toBeUndefined();
    expect(loaderConfigOf(deployment([])).R).toBeUndefined();
  });

  it('bakes only a flag into the core and the rules, each with a stable id, into the API chunk', () => {
    const r: TeaserRule = { text: 'Questions about pricing?', urlPattern: '/pricing' };
    const d = deployment([r]);
    expect(loaderConfigOf(d).R).toBe(1);
    expect(JSON.stringify(loaderConfigOf(d))).not.toContain('pricing');
    const [baked] = apiOptionsOf(d).teaser!;
    expect(baked).toEqual({ id: expect.stringMatching(/^[0-9a-z]+$/), ...r });
    expect(apiOptionsOf(deployment([r])).teaser![0]!.id).toBe(baked!.id);
    // An edited rule is a new one: who saw the old teaser sees the new.
    expect(apiOptionsOf(deployment([{ ...r, text: 'Pricing questions?' }])).teaser![0]!.id).not.toBe(baked!.id);
  });
});

describe('the core', () => {
  it('fetches the API chunk when idle only if the deployment has rules, and no iframe', async () => {
    vi.useFakeTimers();
    const plain = vi.fn();
    mount(config, { load: plain });
    await vi.runOnlyPendingTimersAsync();
    expect(plain).not.toHaveBeenCalled();

    resetPage();
    vi.useFakeTimers();
    const ruled = vi.fn();
    const page = mount({ ...config, R: 1 }, { load: ruled });
    expect(ruled).not.toHaveBeenCalled(); // not before the browser is idle
    await vi.runOnlyPendingTimersAsync();
    expect(ruled).toHaveBeenCalledTimes(1);
    expect(page.iframe()).toBeNull();
  });
});

describe('pathMatches', () => {
  it('matches the whole path; * is any characters, everything else literal', () => {
    expect(pathMatches('/pricing', '/pricing')).toBe(true);
    expect(pathMatches('/pricing', '/pricing/plans')).toBe(false);
    expect(pathMatches('/pricing', '/en/pricing')).toBe(false);
    expect(pathMatches('/products/*', '/products/shoes/42')).toBe(true);
    expect(pathMatches('/products/*', '/product')).toBe(false);
    expect(pathMatches('*/checkout', '/de/checkout')).toBe(true);
    expect(pathMatches('/a.b+(c)', '/a.b+(c)')).toBe(true);
    expect(pathMatches('/a.b', '/axb')).toBe(false);
  });
});

describe('scrollDepth', () => {
  it('is the percent of the scrollable height; a page that does not scroll is at 100', () => {
    scrollPage(3000, 1000);
    expect(scrollDepth(window)).toBe(50);
    scrollPage(800, 0);
    expect(scrollDepth(window)).toBe(100);
  });
});

describe('ruleText', () => {
  it('picks the visitor’s language, then the fallbacks, then the first text', () => {
    const r = rule({ text: { en: 'Need help?', es: '¿Ayuda?', 'pt-BR': 'Precisa de ajuda?' } });
    expect(ruleText(r, ['es-MX', 'en'])).toBe('¿Ayuda?');
    expect(ruleText(r, ['pt', 'en'])).toBe('Precisa de ajuda?');
    expect(ruleText(r, ['fr', 'en'])).toBe('Need help?');
    expect(ruleText(rule({ text: { de: 'Hilfe?' } }), ['fr', 'en'])).toBe('Hilfe?');
    expect(ruleText(rule({ text: 'Plain' }), ['fr'])).toBe('Plain');
  });
});

describe('watchRules', () => {
  let seconds = 0;
  const clock = () => seconds;
  beforeEach(() => {
    seconds = 0;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });

  const watch = (rules: BakedRule[], show = vi.fn((_text: string) => true)) => ({ show, stop: watchRules(window, rules, () => ['en'], show, clock) });
  const tick = (s: number) => {
    seconds += s;
    vi.advanceTimersByTime(s * 1000);
  };

  it('time on page: shows once the seconds have passed, then stops watching', () => {
    const { show } = watch([rule({ timeOnPage: 5 })]);
    tick(4);
    expect(show).not.toHaveBeenCalled();
    tick(1);
    expect(show).toHaveBeenCalledExactlyOnceWith('Need help?');
    tick(10);
    expect(show).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('URL pattern: only on a matching path, also after an SPA route change', () => {
    history.replaceState(null, '', '/home');
    const { show } = watch([rule({ urlPattern: '/pricing*' })]);
    tick(3);
    expect(show).not.toHaveBeenCalled();
    history.pushState(null, '', '/pricing/team');
    tick(RULE_TICK_MS / 1000);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('scroll depth: on the scroll that reaches it', () => {
    scrollPage(3000, 0);
    const { show } = watch([rule({ scrollDepth: 60 })]);
    scrollPage(3000, 1000);
    window.dispatchEvent(new Event('scroll'));
    expect(show).not.toHaveBeenCalled();
    scrollPage(3000, 1300);
    window.dispatchEvent(new Event('scroll'));
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('all triggers of a rule must hold; the first rule that matches wins', () => {
    history.replaceState(null, '', '/pricing');
    const { show } = watch([rule({ id: 'a', text: 'A', urlPattern: '/pricing', timeOnPage: 10 }), rule({ id: 'b', text: 'B', timeOnPage: 3 }), rule({ id: 'c', text: 'C', timeOnPage: 3 })]);
    tick(3);
    expect(show).toHaveBeenCalledExactlyOnceWith('B');
  });

  it('once per visitor: remembered in localStorage', () => {
    watch([rule({ timeOnPage: 1 })]);
    tick(1);
    expect(localStorage.getItem(SHOWN_KEY + 'r1')).not.toBeNull();
    const again = watch([rule({ timeOnPage: 1 })]);
    tick(5);
    expect(again.show).not.toHaveBeenCalled();
    // Another rule (another id) still may.
    const other = watch([rule({ id: 'r2', timeOnPage: 1 })]);
    tick(1);
    expect(other.show).toHaveBeenCalledTimes(1);
  });

  it('once per session: remembered in sessionStorage, so a new session sees it again', () => {
    watch([rule({ timeOnPage: 1, frequency: 'session' })]);
    tick(1);
    expect(sessionStorage.getItem(SHOWN_KEY + 'r1')).not.toBeNull();
    expect(localStorage.getItem(SHOWN_KEY + 'r1')).toBeNull();
    expect(watch([rule({ timeOnPage: 1, frequency: 'session' })]).show).not.toHaveBeenCalled();
    tick(2);
    sessionStorage.clear(); // a new browser session
    const next = watch([rule({ timeOnPage: 1, frequency: 'session' })]);
    expect(next.show).toHaveBeenCalledTimes(1); // already a second on the page
  });

  it('a teaser that did not show (dismissed before, chat open) is not counted as shown, and the page gets no other', () => {
    const { show } = watch([rule({ timeOnPage: 1 }), rule({ id: 'r2', timeOnPage: 2 })], vi.fn(() => false));
    tick(5);
    expect(show).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(SHOWN_KEY + 'r1')).toBeNull();
  });

  it('nothing while the visitor has an active chat, nor without storage', () => {
    localStorage.setItem(HINT, String(Date.now() + 60_000));
    expect(watch([rule({ timeOnPage: 0 })]).show).not.toHaveBeenCalled();
    localStorage.clear();
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const blocked = watch([rule({ timeOnPage: 0 })]);
    tick(2);
    expect(blocked.show).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() ends the watch', () => {
    const { show, stop } = watch([rule({ timeOnPage: 2 })]);
    stop();
    tick(5);
    window.dispatchEvent(new Event('scroll'));
    expect(show).not.toHaveBeenCalled();
  });
});

describe('in the API chunk', () => {
  const teaser = [rule({ text: { en: 'Need help?', es: '¿Necesitas ayuda?' }, urlPattern: '/' })];
  /** Mounts the core with the chunk "arriving" on its first fetch, the rules baked in. */
  const mountRules = () => {
    const page = mount(config, { load: () => (window as HostWindow).FlexChat!.x?.((K) => install(K, null, { teaser })) });
    (window as HostWindow).FlexChat!('stats', () => {}); // a command for the chunk: it arrives now
    const bubble = vi
      .mocked(Element.prototype.attachShadow)
      .mock.results.map((r) => r.value as ShadowRoot)
      .find((r) => r.host.localName == 'flex-chat-teaser');
    return { page, bubble };
  };

  it('a matching rule draws the teaser in the visitor’s language, without the iframe', async () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('es-ES');
    const { page, bubble } = mountRules();
    expect(bubble).toBeDefined();
    await vi.waitFor(() => expect(bubble!.querySelector('[role=status] button.t')!.textContent).toBe('¿Necesitas ayuda?'));
    expect(bubble!.querySelector('button.x')!.getAttribute('aria-label')).toBe('Descartar');
    expect(page.iframe()).toBeNull();
    expect(localStorage.getItem(SHOWN_KEY + 'r1')).not.toBeNull();
  });

  it('a command before the idle check brings the chunk; the idle check fetches it again, it installs once: one teaser', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval'] });
    try {
      const handlers: unknown[] = [];
      const load = vi.fn(() => (window as HostWindow).FlexChat!.x?.((K) => (handlers.push(installOnce(K, null, { teaser })), handlers.at(-1) as ReturnType<typeof install>)));
      mount({ ...config, R: 1 }, { load });
      (window as HostWindow).FlexChat!('stats', () => {}); // the page's early command: the chunk arrives
      vi.runOnlyPendingTimers(); // the idle check, which asks for the chunk (and its rules) again
      expect(load).toHaveBeenCalledTimes(2);
      expect(handlers).toHaveLength(2);
      expect(handlers[1]).toBe(handlers[0]);
      vi.advanceTimersByTime(5 * RULE_TICK_MS);
      expect(document.querySelectorAll('flex-chat-teaser')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('after a dismissal no rule draws one', () => {
    localStorage.setItem(TEASER_KEY, String(Date.now()));
    expect(mountRules().bubble).toBeUndefined();
    expect(localStorage.getItem(SHOWN_KEY + 'r1')).toBeNull();
  });
});
