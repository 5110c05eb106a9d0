// Every visible string of the widget, in English. Keys that exist in the
// deployment config's `texts` can be overridden there; the rest are fixed for v0
// (a later issue adds full localisation).
import type { TextsConfig } from '../../config/types.ts';

export const defaultStrings = {
  // Overridable through config `texts`.
  title: 'Chat with us',
  composerPlaceholder: 'Type a message…',
  sendLabel: 'Send',
  connecting: 'Connecting…',
  closeLabel: 'Close chat',
  agentFallbackName: 'Agent',
  errorGeneric: 'Something went wrong. Please try again.',
  retryLabel: 'Retry',

  // Fixed in v0. Accessible names used by end-to-end tests are among these.
  formLabel: 'Pre-chat form',
  submitLabel: 'Start chat',
  messagesLabel: 'Messages',
  messageLabel: 'Message',
  you: 'You',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  typing: '{name} is typing…',
  joined: '{name} joined the chat',
  left: '{name} left the chat',
  reconnecting: 'Connection lost. Reconnecting…',
  ended: 'This chat has ended.',
  startNew: 'Start a new chat',
  selectPlaceholder: 'Choose…',
  requiredNote: 'Fields marked with * are required.',
  errorNetwork: 'We could not reach the chat service. Check your connection and try again.',
  errorBusy: 'The chat service is busy. Please try again in a moment.',
  errorSessionExpired: 'Your chat session has expired. Please start a new chat.',
  errorUnsupported: 'This chat is not available right now.',
  formHasErrors: 'Please correct the highlighted fields.',

  // Form validation fallbacks (a field's `errorText` replaces them).
  fieldRequired: 'This field is required.',
  fieldEmail: 'Enter a valid email address.',
  fieldTel: 'Enter a valid phone number.',
  fieldTooShort: 'Enter at least {min} characters.',
  fieldTooLong: 'Enter at most {max} characters.',
  fieldPattern: 'Enter a value in the requested format.',
  fieldOption: 'Choose one of the options.',
};

export type Strings = typeof defaultStrings;

/** Defaults overlaid with the deployment's `texts`. */
export function resolveStrings(texts: TextsConfig | undefined): Strings {
  const strings: Strings = { ...defaultStrings };
  if (!texts) return strings;
  for (const key of Object.keys(texts) as (keyof TextsConfig)[]) {
    const value = texts[key];
    if (typeof value === 'string' && value.length > 0) strings[key] = value;
  }
  return strings;
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}
