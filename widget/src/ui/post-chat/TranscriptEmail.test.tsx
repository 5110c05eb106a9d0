import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { activeHarness, initOk, type Harness, type ScriptedResponse } from '../../testing/fixtures.ts';
import { App } from '../App.tsx';
import { TRANSCRIPT_EMAIL_TEXTS } from './texts.ts';

afterEach(cleanup);

async function endedWith(...after: ScriptedResponse[]): Promise<Harness> {
  const h = await activeHarness({ responses: [initOk, { body: { state: 'closed' } }, ...after] });
  render(<App controller={h.controller} />);
  act(() => {
    h.transport.pushAgentMessage('Glad I could help.', 'agent-1', 'Ana');
  });
  fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
  await act(async () => {
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End chat' }));
  });
  return h;
}

const form = () => screen.findByRole('form', { name: 'Get the transcript by e-mail' });

describe('transcript by e-mail (ended screen)', () => {
  it('sends the session credentials and the address, never the text, and says where it went', async () => {
    const h = await endedWith({ status: 202, body: { status: 'delivered', transcriptId: 'x', messageCount: 2 } });
    const f = await form();
    fireEvent.change(within(f).getByLabelText('Your e-mail address'), { target: { value: ' zoe@example.com ' } });
    fireEvent.click(within(f).getByRole('button', { name: 'Send transcript' }));
    await waitFor(() => expect(screen.getByText('The transcript is on its way to zoe@example.com.')).toBeTruthy());
    const request = h.http.calls.find((c) => c.url.endsWith('/webchat/transcript'));
    expect(request?.body).toEqual({ token: expect.any(String), identity: expect.any(String), conversationSid: expect.stringMatching(/^CH/), email: 'zoe@example.com' });
    expect(screen.queryByRole('form', { name: 'Get the transcript by e-mail' })).toBeNull();
  });

  it('an invalid address is said at the field, nothing is sent', async () => {
    const h = await endedWith();
    const f = await form();
    const input = within(f).getByLabelText('Your e-mail address');
    fireEvent.change(input, { target: { value: 'zoe@' } });
    fireEvent.click(within(f).getByRole('button', { name: 'Send transcript' }));
    expect(within(f).getByRole('alert').textContent).toBe('Enter a valid e-mail address.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input);
    expect(h.http.calls.some((c) => c.url.endsWith('/webchat/transcript'))).toBe(false);
  });

  it('a failure can be retried; 501 says it is not available', async () => {
    await endedWith({ status: 502, body: { error: { code: 'delivery_failed', message: 'x' } } }, { status: 501, body: { error: { code: 'not_configured', message: 'x' } } });
    const f = await form();
    fireEvent.change(within(f).getByLabelText('Your e-mail address'), { target: { value: 'zoe@example.com' } });
    fireEvent.click(within(f).getByRole('button', { name: 'Send transcript' }));
    await waitFor(() => expect(within(f).getByRole('alert').textContent).toBe('The transcript could not be sent. Please try again.'));
    fireEvent.click(within(f).getByRole('button', { name: 'Send transcript' }));
    await waitFor(() => expect(within(f).getByRole('alert').textContent).toBe('Sending transcripts by e-mail is not available.'));
  });
});

describe('transcript e-mail texts', () => {
  it('every language has every text, placeholders kept', () => {
    const keys = Object.keys(TRANSCRIPT_EMAIL_TEXTS.en!).sort();
    expect(Object.keys(TRANSCRIPT_EMAIL_TEXTS).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt-BR']);
    for (const texts of Object.values(TRANSCRIPT_EMAIL_TEXTS)) {
      expect(Object.keys(texts).sort()).toEqual(keys);
      expect(texts.sent).toContain('{email}');
      expect(Object.values(texts).every((t) => t.trim() !== '')).toBe(true);
    }
  });
});
