// The widget's state: a zustand vanilla store of plain, serialisable data.
// React reads it with `useStore(store, selector)`; only the session controller writes it.
// It also holds the settings in effect (config, options, strings, the localized form),
// so the UI follows a preview or a language switch through this one subscription.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeploymentConfig, FormField, PreEngagementForm } from '../../../config/types.ts';
import type { Strings } from '../strings.ts';
import type { WidgetOptions } from '../widget-options.ts';
import type { ConnectionState, MessageAuthorRole } from '../transport/chat-transport.ts';
import { initialFormValues, type FormErrors, type FormValues } from './form-validation.ts';
import type { ChatMessage } from './messages.ts';
import type { SessionPhase } from './state-machine.ts';

export type { SessionPhase };

/** What the Retry button of the error view does. */
export type RecoveryAction =
  /** Ask the token service again (nothing usable came back yet). */
  | 'retry-init'
  /** Reconnect with the credentials already received. */
  | 'retry-connect'
  /** Go back to the form and start a new chat. */
  | 'restart';

export type SessionErrorCode =
  | 'network'
  | 'busy'
  | 'server'
  | 'bad-response'
  | 'auth'
  | 'not-found'
  | 'rejected'
  | 'unsupported-mode'
  | 'session-expired'
  /** Twilio's hosted init does not know the configured deployment key. */
  | 'deployment-key'
  /** The widget's origin is not among the deployment key's allowed origins. */
  | 'origin-not-allowed'
  | 'unknown';

export interface SessionError {
  code: SessionErrorCode;
  /** Text for the visitor. */
  message: string;
  recovery: RecoveryAction;
  /** Whole seconds until the widget retries by itself (the token service said busy: 503 with Retry-After); counts down. */
  retryInSeconds?: number;
}

export interface FormState {
  values: FormValues;
  errors: FormErrors;
  /** A form-level message, e.g. the token service's explanation of field errors. */
  message: string | null;
  /** Increases on every rejected submit; the form moves focus to the first invalid field when it changes. */
  rejectedSubmits: number;
}

export interface ParticipantInfo {
  identity: string;
  role: MessageAuthorRole;
  /** What the widget shows: the real name, or "Agent 2" when names are masked. */
  displayName: string | null;
}

/** A file chosen in the composer, not sent yet. The File itself stays in the controller. */
export interface DraftAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** blob: URL for image previews. */
  previewUrl: string | null;
}

export interface SessionInfo {
  identity: string;
  conversationSid: string;
  mode: string;
  /** Epoch ms when the access token expires, if the token service said. */
  expiresAt: number | null;
}

/** The proactive teaser the visitor chose on the host page: the chat shows it first. */
export interface TeaserGreeting {
  text: string;
  /** Epoch ms when the visitor chose it. */
  at: number;
}

/** The settings in effect: the deployment's, or a preview's laid over them. */
export interface SessionSettings {
  /** The deployment config, with the settings of a preview laid over it while one is shown. */
  config: DeploymentConfig;
  /** The widget options resolved from the config (and the embedder's overrides). */
  options: WidgetOptions;
  /** The UI strings in the current language, with the config's texts. */
  strings: Strings;
  /** The pre-engagement form, its texts (title, labels, options, errors…) in the current language. */
  preEngagement: PreEngagementForm;
}

export interface SessionState extends SessionSettings {
  phase: SessionPhase;
  error: SessionError | null;
  form: FormState;
  /** The visitor's own chat identity and conversation. Never the token. */
  session: SessionInfo | null;
  /** Display name the visitor gave in the form (config `friendlyNameField`). */
  visitorName: string | null;
  messages: readonly ChatMessage[];
  hasOlderMessages: boolean;
  participants: Readonly<Record<string, ParticipantInfo>>;
  /** Identities of other participants currently typing, in the order they started. */
  typing: readonly string[];
  connection: ConnectionState | 'idle';
  /** Composer text; kept here so it survives view changes. */
  draft: string;
  /** Files chosen for the next message. */
  draftAttachments: readonly DraftAttachment[];
  /** Why the last file selection was (partly) refused, for the visitor. */
  attachmentErrors: readonly string[];
  /** Position in the Flex queue while waiting, when known. */
  queuePosition: number | null;
  /** Highest message index any agent has read (-1: none): visitor messages up to it show "Read". */
  readHorizon: number;
  /** Agent messages the visitor has not seen yet (panel closed, tab hidden or scrolled up). */
  unread: number;
  /** Key of the first message the visitor had not seen: where the "New messages" separator goes. */
  firstUnreadKey: string | null;
  /** An older history page is being fetched. */
  loadingOlder: boolean;
  /** Who ended the chat (phase 'ended'). */
  endedBy: 'visitor' | 'agent' | null;
  /** The visitor's end request is in flight. */
  ending: boolean;
  /** Why ending failed, if it did. */
  endError: string | null;
  /** A note above the form, e.g. that a resumed chat had ended meanwhile. */
  notice: string | null;
  /** The teaser the visitor chose, shown as the chat's first agent-side message (until that chat is over). */
  teaser: TeaserGreeting | null;
  /** Offline view: epoch ms of the next opening, if known. */
  nextOpening: number | null;
  /** Whether this browser can resume the chat after a reload (storage works). */
  canResume: boolean;
  /** Current UI locale (BCP 47) and direction. */
  locale: string;
  dir: 'ltr' | 'rtl';
}

export type SessionStore = StoreApi<SessionState>;

/** The form as it starts: default values, no errors. */
export function initialFormState(fields: readonly FormField[]): FormState {
  return { values: initialFormValues(fields), errors: {}, message: null, rejectedSubmits: 0 };
}

export function initialSessionState(settings: SessionSettings, locale = 'en', dir: 'ltr' | 'rtl' = 'ltr'): SessionState {
  return {
    ...settings,
    phase: 'idle',
    error: null,
    form: initialFormState(settings.preEngagement.fields),
    session: null,
    visitorName: null,
    messages: [],
    hasOlderMessages: false,
    participants: {},
    typing: [],
    connection: 'idle',
    draft: '',
    draftAttachments: [],
    attachmentErrors: [],
    queuePosition: null,
    readHorizon: -1,
    unread: 0,
    firstUnreadKey: null,
    loadingOlder: false,
    endedBy: null,
    ending: false,
    endError: null,
    notice: null,
    teaser: null,
    nextOpening: null,
    canResume: false,
    locale,
    dir,
  };
}

export function createSessionStore(settings: SessionSettings, locale = 'en', dir: 'ltr' | 'rtl' = 'ltr'): SessionStore {
  return createStore<SessionState>()(() => initialSessionState(settings, locale, dir));
}
