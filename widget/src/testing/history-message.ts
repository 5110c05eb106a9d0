// Messages already in a conversation, for MemoryTransport's `history` option.
import type { TransportMessage } from '../transport/chat-transport.ts';

/** A history message for MemoryTransport options. */
export function historyMessage(
  index: number,
  role: TransportMessage['role'],
  body: string,
  extra: Partial<TransportMessage> = {},
): TransportMessage {
  return {
    sid: `IMh${String(index).padStart(31, '0')}`,
    index,
    author: role === 'visitor' ? 'visitor-identity' : 'agent-1',
    role,
    body,
    createdAt: Date.UTC(2025, 0, 1, 11, 0, index),
    ...extra,
  };
}
