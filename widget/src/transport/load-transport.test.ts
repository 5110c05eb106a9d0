import { describe, expect, it } from 'vitest';
import { TransportError } from './chat-transport.ts';
import { loadTransport } from './load-transport.ts';

describe('loadTransport', () => {
  it.each(['conversations', 'local'])('mode %s gets the Conversations SDK adapter', async (mode) => {
    const create = await loadTransport(mode);
    const transport = create();
    expect(typeof transport.connect).toBe('function');
    // Not connected yet: everything that needs the conversation refuses cleanly.
    await expect(transport.loadHistory(10)).rejects.toMatchObject({ code: 'network' });
    await transport.disconnect();
  });

  it('refuses modes it has no adapter for', async () => {
    await expect(loadTransport('chat')).rejects.toBeInstanceOf(TransportError);
    await expect(loadTransport('chat')).rejects.toMatchObject({ code: 'rejected' });
  });
});
