// The core every slice builds on: the store (the only state the UI reads), the
// injected dependencies, the settings in effect, and the two ways to write the
// store (`set`, and `dispatch` for phase changes through the pure state machine).
import { localizeForm } from '../../../../config/localized.ts';
import type { DeploymentConfig, PreEngagementForm } from '../../../../config/types.ts';
import type { WidgetEvent } from '../../bridge/host-bridge.ts';
import { directionOf, pickLocale } from '../../i18n/locales.ts';
import { resolveStrings, type Strings } from '../../strings.ts';
import type { TransportLoader } from '../../transport/transport-loader.ts';
import { resolveWidgetOptions, type WidgetOptions } from '../../widget-options.ts';
import { createNoopSessionSync, type SessionSync } from '../persistence.ts';
import { createSessionStore, type SessionState, type SessionStore } from '../session-store.ts';
import { transition, type SessionEvent } from '../state-machine.ts';
import type { FetchLike } from '../token-service.ts';
import { tokenSourceFor, type TokenSource } from '../token-source.ts';

/** An agent message the visitor has not seen (for sound and browser notifications). */
export interface IncomingNotice {
  authorName: string;
  body: string;
}

export interface SessionControllerOptions {
  config: DeploymentConfig;
  /** Resolves a transport factory for a chat mode (production: dynamic imports). */
  loadTransport: TransportLoader;
  fetch?: FetchLike;
  /** Where tokens come from; default: the one the config names (token-source.ts). */
  tokenSource?: TokenSource;
  /** Events for the host page (through the host bridge). */
  notifyHost?: (event: WidgetEvent) => void;
  /** Called for each agent message that arrives while the visitor is not looking. */
  onUnseenMessage?: (message: IncomingNotice) => void;
  /** Fixed strings (tests); otherwise from the locale and config `texts`. */
  strings?: Strings;
  /** Preferred locales of the browser, most preferred first (navigator.languages). */
  browserLocales?: readonly string[];
  /** Keeps the session across reloads and tabs. Default: keeps nothing. */
  sync?: SessionSync;
  options?: Partial<WidgetOptions>;
  now?: () => number;
  createId?: () => string;
  historyPageSize?: number;
  /**
   * Mode whose transport is preloaded while the visitor fills in the form;
   * 'auto' asks the token service (GET /healthz) which one it uses.
   */
  preloadMode?: string;
  /**
   * Runs work that can wait for a quiet moment (production: requestIdleCallback), such as
   * preloading the SDK; default: at once.
   */
  whenIdle?: (run: () => void) => void;
  store?: SessionStore;
}

/** Random id for matching an optimistic message with its server copy. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

type Patch = Partial<SessionState> | ((state: SessionState) => Partial<SessionState>);

export interface Core {
  readonly store: SessionStore;
  /** The deployment config as built; a preview is laid over it, never into it. */
  readonly deployment: DeploymentConfig;
  readonly optionOverrides: Partial<WidgetOptions>;
  readonly browserLocales: readonly string[];
  /** Strings were given (tests): a language switch keeps them. */
  readonly fixedStrings: boolean;
  readonly loader: TransportLoader;
  readonly fetchFn: FetchLike;
  /** The token service, or Twilio's hosted init: every init, refresh and end goes through it. */
  readonly tokens: TokenSource;
  readonly notifyHost: (event: WidgetEvent) => void;
  readonly onUnseenMessage: (message: IncomingNotice) => void;
  readonly sync: SessionSync;
  readonly now: () => number;
  readonly createId: () => string;
  readonly historyPageSize: number;
  readonly preloadMode: string;
  readonly whenIdle: (run: () => void) => void;
  /** The settings in effect, read from the store (written with `set`, like the rest of it). */
  readonly config: DeploymentConfig;
  readonly options: WidgetOptions;
  readonly strings: Strings;
  /** The pre-engagement form with its texts in the current language. */
  readonly form: PreEngagementForm;
  get(): SessionState;
  set(patch: Patch): void;
  /**
   * Moves the phase through the state machine, applying `patch` in the same
   * update. Returns false (and changes nothing) when the event does not apply.
   */
  dispatch(event: SessionEvent, patch?: Patch): boolean;
}

export function createCore(options: SessionControllerOptions): Core {
  const config = options.config;
  const optionOverrides = options.options ?? {};
  const resolved = resolveWidgetOptions(config, optionOverrides);
  const browserLocales = options.browserLocales ?? [];
  // The config's locale, else the browser's first supported one, else English.
  const locale = pickLocale(config.locale, browserLocales);
  const settings = {
    config,
    options: resolved,
    strings: options.strings ?? resolveStrings(config.texts, locale, config.textsByLocale),
    preEngagement: localizeForm(config.preEngagement, locale, config.locale),
  };
  const store = options.store ?? createSessionStore(settings, locale, directionOf(locale));
  const notifyHost = options.notifyHost ?? (() => {});
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    store,
    deployment: config,
    optionOverrides,
    browserLocales,
    fixedStrings: options.strings !== undefined,
    loader: options.loadTransport,
    fetchFn,
    tokens: options.tokenSource ?? tokenSourceFor(config, fetchFn),
    notifyHost: (event) => notifyHost(event),
    onUnseenMessage: options.onUnseenMessage ?? (() => {}),
    sync: options.sync ?? createNoopSessionSync(),
    now: options.now ?? Date.now,
    createId: options.createId ?? newClientMessageId,
    historyPageSize: options.historyPageSize ?? resolved.historyPageSize,
    preloadMode: options.preloadMode ?? 'conversations',
    whenIdle: options.whenIdle ?? ((run) => run()),
    get config() {
      return store.getState().config;
    },
    get options() {
      return store.getState().options;
    },
    get strings() {
      return store.getState().strings;
    },
    get form() {
      return store.getState().preEngagement;
    },
    get: () => store.getState(),
    set: (patch) => store.setState(patch),
    dispatch(event, patch) {
      const next = transition(store.getState().phase, event);
      if (next === null) return false;
      store.setState((state) => ({ ...(typeof patch === 'function' ? patch(state) : patch), phase: next }));
      return true;
    },
  };
}
