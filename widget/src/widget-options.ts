// Behaviour switches of the widget, resolved from the deployment config
// (config/schema.json: businessHours, offline, messages, attachments,
// notifications, preEngagement.skipForm). Each has a safe default; tests may
// pass overrides.
import { isHosted } from '../../config/token-source.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import type { BusinessHours } from './session/business-hours.ts';
import { defaultAttachmentPolicy, type AttachmentPolicy } from './session/attachments.ts';

export interface WidgetOptions {
  /** Outside these hours the widget shows the offline view. Absent: always open. */
  businessHours: BusinessHours | null;
  /** Outside business hours: a leave-a-message form, or only a "we are closed" message. */
  offlineMode: 'leaveMessage' | 'closedMessage';
  /** Show agents as "Agent 1", "Agent 2" (in order of appearance) instead of their names. */
  maskAgentNames: boolean;
  /** Render *bold*, _italic_ and `code` in messages (as React elements, never HTML). */
  markdown: boolean;
  /** Start the chat as soon as the widget opens when the form needs no input (all fields hidden or prefilled). */
  skipForm: boolean;
  attachments: AttachmentPolicy;
  /** A short sound when an agent message arrives while the visitor is not looking. */
  sound: boolean;
  /** A browser notification for agent messages while the page is hidden (asks permission on first use). */
  browserNotifications: boolean;
  /** Messages per history page. */
  historyPageSize: number;
  /** Longest message the visitor can send, in UTF-16 code units (Twilio documents 1,600 characters). */
  maxMessageLength: number;
}

export const defaultWidgetOptions: WidgetOptions = {
  businessHours: null,
  offlineMode: 'leaveMessage',
  maskAgentNames: false,
  markdown: false,
  skipForm: false,
  attachments: defaultAttachmentPolicy,
  sound: false,
  browserNotifications: false,
  historyPageSize: 50,
  maxMessageLength: 1600,
};

/** Options for a deployment: defaults, then the deployment config, then the given overrides. */
export function resolveWidgetOptions(config: DeploymentConfig, overrides: Partial<WidgetOptions> = {}): WidgetOptions {
  const defaults = defaultWidgetOptions;
  const { messages = {}, attachments = {}, notifications = {} } = config;
  const fromConfig: WidgetOptions = {
    businessHours: config.businessHours ?? defaults.businessHours,
    // Leaving a message needs the token service: with Twilio's hosted init only the closed message is possible.
    offlineMode: isHosted(config) ? 'closedMessage' : (config.offline?.mode ?? defaults.offlineMode),
    maskAgentNames: messages.maskAgentNames ?? defaults.maskAgentNames,
    markdown: messages.markdown ?? defaults.markdown,
    skipForm: config.preEngagement.skipForm ?? defaults.skipForm,
    attachments: {
      enabled: attachments.enabled ?? defaults.attachments.enabled,
      maxFileSize: attachments.maxFileSize ?? defaults.attachments.maxFileSize,
      maxFiles: attachments.maxFiles ?? defaults.attachments.maxFiles,
      extensions: attachments.extensions ?? defaults.attachments.extensions,
    },
    sound: notifications.sound ?? defaults.sound,
    browserNotifications: notifications.browser ?? defaults.browserNotifications,
    historyPageSize: messages.historyPageSize ?? defaults.historyPageSize,
    maxMessageLength: messages.maxLength ?? defaults.maxMessageLength,
  };
  return { ...fromConfig, ...overrides };
}
