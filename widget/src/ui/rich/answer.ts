// Whether the visitor already answered a rich message, derived from the message
// list alone (so it holds after a reload, in another tab, from history): the
// first visitor message after it is the answer, and its buttons are locked.
import type { ChatMessage } from '../../session/messages.ts';

/**
 * The body of the first visitor message after the message with `key`, or null
 * when there is none (or no such message). Walks from the newest end: rich
 * messages are usually recent, so this is a few steps, not the history.
 */
export function answerAfter(messages: readonly ChatMessage[], key: string): string | null {
  let answer: string | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.key === key) return answer;
    if (m.role === 'visitor') answer = m.body;
  }
  return null;
}
