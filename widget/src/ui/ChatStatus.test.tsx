import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { activeHarness, type Harness } from '../testing/fixtures.ts';
import { ConnectionBanner, EndedPanel } from './ChatStatus.tsx';
import { SessionContext } from './session-context.ts';

const controllers: Harness[] = [];

afterEach(() => {
  cleanup();
  for (const h of controllers.splice(0)) h.controller.dispose();
});

function track(h: Harness): Harness {
  controllers.push(h);
  return h;
}

function renderView(h: Harness, view: ReactElement) {
  return render(<SessionContext.Provider value={h.controller}>{view}</SessionContext.Provider>);
}

describe('EndedPanel', () => {
  it('says the chat has ended and focuses "Start a new chat", which goes back to the form with the answers kept', async () => {
    const h = track(await activeHarness());
    act(() => h.transport.closeConversation());
    renderView(h, <EndedPanel />);
    expect(screen.getByRole('status').textContent).toBe('This chat has ended.');
    const startNew = screen.getByRole('button', { name: 'Start a new chat' });
    expect(document.activeElement).toBe(startNew);
    act(() => fireEvent.click(startNew));
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.messages).toEqual([]);
    expect(h.controller.state.form.values.friendlyName).toBe('  Zoë Ångström ');
  });

  it('offers the transcript only once someone wrote something', async () => {
    const quiet = track(await activeHarness());
    act(() => quiet.transport.closeConversation());
    const { unmount } = renderView(quiet, <EndedPanel />);
    expect(screen.queryByRole('button', { name: 'Download transcript' })).toBeNull();
    unmount();

    const talked = track(await activeHarness());
    act(() => {
      talked.transport.pushAgentMessage('Anything else?', 'agent-1', 'Ana');
      talked.transport.closeConversation();
    });
    renderView(talked, <EndedPanel />);
    expect(screen.getByRole('button', { name: 'Download transcript' })).toBeTruthy();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Download transcript', 'Start a new chat']);
  });
});

describe('ConnectionBanner', () => {
  it.each(['connecting', 'disconnected'] as const)(
    'in a chat, a %s connection is announced in the status region, which empties once connected again',
    async (state) => {
      const h = track(await activeHarness());
      renderView(h, <ConnectionBanner />);
      const region = screen.getByRole('status');
      expect(region.textContent).toBe('');
      act(() => h.transport.setConnectionState(state));
      expect(region.textContent).toBe('Connection lost. Reconnecting…');
      act(() => h.transport.setConnectionState('connected'));
      expect(screen.getByRole('status')).toBe(region);
      expect(region.textContent).toBe('');
    },
  );

  it('also while waiting in the queue', async () => {
    const h = track(await activeHarness({ transport: { participants: [] } }));
    expect(h.controller.state.phase).toBe('queued');
    renderView(h, <ConnectionBanner />);
    act(() => h.transport.setConnectionState('connecting'));
    expect(screen.getByRole('status').textContent).toBe('Connection lost. Reconnecting…');
  });

  it('stops saying "Reconnecting…" when the chat ends during the outage', async () => {
    const h = track(await activeHarness());
    renderView(h, <ConnectionBanner />);
    act(() => h.transport.setConnectionState('connecting'));
    expect(screen.getByRole('status').textContent).toBe('Connection lost. Reconnecting…');
    act(() => h.transport.closeConversation());
    expect(h.controller.state.phase).toBe('ended');
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
