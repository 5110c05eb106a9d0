// The deployment config as the code sees it after validation and defaults.
// config/schema.json is the contract for the JSON file; keep both in step.

export type FieldType = 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'hidden' | 'consent';

/**
 * A visible string a marketer writes: the same in every language, or one value per
 * locale tag ({ "en": "Name", "es": "Nombre" }), resolved with a fallback by
 * config/localized.ts.
 */
export type LocalizedText = string | Readonly<Record<string, string>>;

export interface FieldOptionOf<Text> {
  value: string;
  label: Text;
}

/** A form field; `Text` is LocalizedText in the config, string once resolved for a locale. */
export interface FormFieldOf<Text> {
  name: string;
  type: FieldType;
  label: Text;
  placeholder?: Text;
  description?: Text;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  errorText?: Text;
  defaultValue?: string | boolean;
  options?: FieldOptionOf<Text>[];
  /** Consent fields: the policy the label refers to (absolute http(s) URL). */
  policyUrl?: string;
  /** Consent fields: the version of the consent text, recorded with the acceptance. */
  version?: string;
  /** Consent fields: the policy link's text (default: the widget's `consentPolicyLink`). */
  linkText?: Text;
}

/** A field as the config holds it (per-locale texts allowed). */
export type FormFieldConfig = FormFieldOf<LocalizedText>;
/** A field with its texts resolved for one locale (what the widget renders). */
export type FormField = FormFieldOf<string>;
export type FieldOption = FieldOptionOf<string>;

export interface PreEngagementOf<Text> {
  title?: Text;
  description?: Text;
  submitLabel?: Text;
  friendlyNameField?: string;
  /**
   * The field whose answer is posted as the visitor's first chat message, or `false` for
   * none. Not set: the form's first textarea (config/first-message.ts).
   */
  firstMessageField?: string | false;
  unknownFields?: 'reject' | 'strip';
  /** Start the chat at once when the form needs no input. */
  skipForm?: boolean;
  fields: FormFieldOf<Text>[];
}

/** The pre-engagement form as the config holds it (per-locale texts allowed). */
export type PreEngagementConfig = PreEngagementOf<LocalizedText>;
/** The form with its texts resolved for one locale. */
export type PreEngagementForm = PreEngagementOf<string>;

export interface ThemeConfig {
  primaryColor?: string;
  mode?: 'light' | 'dark' | 'auto';
}

export interface LauncherConfig {
  position?: 'left' | 'right';
  offsetX?: number;
  offsetY?: number;
  zIndex?: number;
  /** Accessible name of the launcher button, per locale if wanted. */
  label?: LocalizedText;
  /** CSS selector of host-page elements that open the chat too (custom launchers). */
  selector?: string;
  hideDefaultLauncher?: boolean;
  /** Viewport width (px) up to which the panel is full screen; default 480. */
  mobileBreakpoint?: number;
  /** The unread count in the host page's title ("(2) Title") while the chat is closed; off by default. */
  unreadInTitle?: boolean;
}

/**
 * Visible strings by key (the keys of widget/src/i18n/en.ts; the schema lists
 * them and i18n tests keep both in step). Unknown keys never pass validation.
 */
export type TextsConfig = Partial<Record<string, string>>;

export interface MessagesConfig {
  markdown?: boolean;
  maskAgentNames?: boolean;
  historyPageSize?: number;
  /** Longest message a visitor can send, in characters (default 1600). */
  maxLength?: number;
  /** https origins card pictures may come from (CSP img-src); none by default. */
  imageOrigins?: string[];
}

export type AttachmentExtension = 'jpg' | 'jpeg' | 'png' | 'gif' | 'heic' | 'amr' | 'mp3' | 'mp4' | 'pdf' | 'txt';

export interface AttachmentsConfig {
  enabled?: boolean;
  maxFileSize?: number;
  maxFiles?: number;
  extensions?: AttachmentExtension[];
}

/** The message composer's extras. */
export interface ComposerConfig {
  /** The emoji button with its picker, and `:shortcode:` completion; on unless false. */
  emoji?: boolean;
}

export interface NotificationsConfig {
  sound?: boolean;
  browser?: boolean;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHoursConfig {
  /** IANA time zone, e.g. "Europe/Paris". */
  timezone: string;
  /** Per weekday, [open, close) intervals as 'HH:MM'; a missing or empty day is closed. */
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  /** 'YYYY-MM-DD' days closed in the time zone. */
  closedDates?: string[];
}

/** The post-chat survey (contracts/survey.ts): off unless enabled; needs the token service. */
export interface SurveyConfig {
  enabled?: boolean;
  /** 'stars' (1–5, the default) or 'thumbs' (up or down). */
  scale?: 'stars' | 'thumbs';
  /** Offer an optional comment box (default true). */
  comment?: boolean;
  /** The question, per locale if wanted; default: the widget's own text. */
  question?: LocalizedText;
}

/** One proactive teaser rule: all its triggers must hold (at least one is set). */
export interface TeaserRule {
  /** At most 200 characters, per locale if wanted. */
  text: LocalizedText;
  /** Seconds on the page since it loaded. */
  timeOnPage?: number;
  /** The page's path, `*` standing for any characters ("/products/*"). */
  urlPattern?: string;
  /** Percent of the page's scrollable height scrolled. */
  scrollDepth?: number;
  /** Once per visitor (default) or once per browser session. */
  frequency?: 'visitor' | 'session';
}

/** The proactive teaser's rules; absent or empty: no teaser shows by itself. */
export interface TeaserConfig {
  rules: TeaserRule[];
}

export interface OfflineConfig {
  mode?: 'leaveMessage' | 'closedMessage';
}

/**
 * Where access tokens come from: flexchat's token service (default), or Twilio's
 * hosted Webchat 3 init with a deployment key (no server; config/token-source.ts).
 */
export type TokenSourceConfig =
  | { type: 'tokenService' }
  | {
      type: 'hosted';
      /** From the Flex console (Channel management > Webchat). */
      deploymentKey: string;
      /** Twilio region, default us1. */
      region?: string;
      /** Local testing: a Flex emulator serving the hosted init (loopback http only). */
      emulatorUrl?: string;
    };

export interface DeploymentConfig {
  widgetOrigin: string;
  /** The token service; required unless tokenSource is hosted (cross-field check). */
  tokenUrl?: string;
  tokenSource?: TokenSourceConfig;
  allowedDomains: string[];
  locale?: string;
  theme?: ThemeConfig;
  launcher?: LauncherConfig;
  /** What the loader does before intent, at idle time after load: `cache` (default) fetches the
   *  form's files into the widget frame's cache, `idle` creates the iframe, `intent` nothing. */
  prefetch?: 'cache' | 'intent' | 'idle';
  texts?: TextsConfig;
  /** Per-locale strings; they win over `texts` for that locale. */
  textsByLocale?: Record<string, TextsConfig>;
  preEngagement: PreEngagementConfig;
  messages?: MessagesConfig;
  attachments?: AttachmentsConfig;
  composer?: ComposerConfig;
  notifications?: NotificationsConfig;
  /** Absent: always open. */
  businessHours?: BusinessHoursConfig;
  offline?: OfflineConfig;
  /** Post-chat survey; absent or not enabled: none. */
  survey?: SurveyConfig;
  /** Proactive teaser rules (the loader's API chunk); absent: off. */
  teaser?: TeaserConfig;
  /** Host origins (within allowedDomains) that may preview unsaved settings (the form builder). */
  previewOrigins?: string[];
}
