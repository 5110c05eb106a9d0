// Behaviour switches of the widget that the deployment config (config/schema.json)
// cannot express yet. Each has a safe default; main.tsx may pass overrides, and
// the schema should gain matching fields (see widget/README.md, "Options").
import type { DeploymentConfig } from '../../config/types.ts';
import type { BusinessHours } from './session/business-hours.ts';
import { defaultAttachmentPolicy, type AttachmentPolicy } from './session/attachments.ts';

export interface WidgetOptions {
  /** Outside these hours the widget shows the offline view. Absent: always open. */
  businessHours: BusinessHours | null;
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
}

export const defaultWidgetOptions: WidgetOptions = {
  businessHours: null,
  maskAgentNames: false,
  markdown: false,
  skipForm: false,
  attachments: defaultAttachmentPolicy,
  sound: false,
  browserNotifications: false,
  historyPageSize: 50,
};

/** Options for a deployment: defaults, then the given overrides. */
export function resolveWidgetOptions(_config: DeploymentConfig, overrides: Partial<WidgetOptions> = {}): WidgetOptions {
  return { ...defaultWidgetOptions, ...overrides };
}
