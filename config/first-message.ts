// Which answer of the pre-engagement form opens the chat as the visitor's first
// message. Shared by the token service (which posts it) and the widget (which
// posts it when the service did not), so both read the setting the same way.
import type { PreEngagementConfig } from './types.ts';

/**
 * `preEngagement.firstMessageField`: a field's name, or `false` for none. When it is
 * not set, the form's first multi-line field (the visitor's question), if any.
 */
export function firstMessageFieldOf(form: Pick<PreEngagementConfig, 'fields' | 'firstMessageField'>): string | null {
  const setting = form.firstMessageField;
  if (setting === false) return null;
  if (typeof setting === 'string') return setting;
  return form.fields.find((field) => field.type === 'textarea')?.name ?? null;
}
