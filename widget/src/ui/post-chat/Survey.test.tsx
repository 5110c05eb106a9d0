import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SurveyConfig } from '../../../../config/types.ts';
import { activeHarness, initOk, testConfig, type Harness, type ScriptedResponse } from '../../testing/fixtures.ts';
import { App } from '../App.tsx';
import { SURVEY_TEXTS } from './survey-texts.ts';

afterEach(cleanup);

async function endedWith(survey: SurveyConfig | undefined, ...after: ScriptedResponse[]): Promise<Harness> {
  const h = await activeHarness({ config: { ...testConfig, ...(survey ? { survey } : {}) }, responses: [initOk, { body: { state: 'closed' } }, ...after] });
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

const group = () => screen.findByRole('radiogroup', { name: 'How was your chat?' });
const surveyCalls = (h: Harness) => h.http.calls.filter((c) => c.url.endsWith('/webchat/survey'));

describe('post-chat survey (ended screen)', () => {
  it('is off by default', async () => {
    await endedWith(undefined);
    await screen.findByRole('form', { name: 'Get the transcript by e-mail' });
    expect(screen.queryByRole('radiogroup')).toBeNull();
  });

  it('sends the stars and the comment with the session credentials, once, and announces the thanks', async () => {
    const h = await endedWith({ enabled: true }, { status: 200, body: { status: 'recorded' } });
    const stars = await group();
    expect(within(stars).getAllByRole('radio')).toHaveLength(5);
    for (const name of ['1 star', '2 stars', '3 stars', '4 stars', '5 stars']) expect(within(stars).getByRole('radio', { name })).toBeTruthy();
    fireEvent.click(within(stars).getByRole('radio', { name: '4 stars' }));
    fireEvent.change(screen.getByLabelText('Comment (optional)'), { target: { value: '  Quick and kind. ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    await screen.findByText('Thank you for your feedback.');
    expect(surveyCalls(h).map((c) => c.body)).toEqual([
      { scale: 'stars', rating: 4, comment: 'Quick and kind.', token: expect.any(String), identity: expect.any(String), conversationSid: expect.stringMatching(/^CH/) },
    ]);
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(screen.getByText('Thank you for your feedback.').getAttribute('role')).toBe('status');
    // The thanks takes the focus the removed form had, as soon as it is drawn (no frame to wait for).
    expect(document.activeElement).toBe(screen.getByText('Thank you for your feedback.'));
  });

  it('asks for a rating before sending anything', async () => {
    const h = await endedWith({ enabled: true });
    await group();
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(screen.getByRole('alert').textContent).toBe('Choose a rating first.');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: '1 star' }));
    expect(surveyCalls(h)).toEqual([]);
  });

  it('thumbs without a comment box; a second submission refused (409) is said, not retried', async () => {
    const h = await endedWith({ enabled: true, scale: 'thumbs', comment: false }, { status: 409, body: { error: { code: 'survey_already_sent', message: 'x' } } });
    const thumbs = await group();
    expect(within(thumbs).getAllByRole('radio')).toHaveLength(2);
    expect(screen.queryByLabelText('Comment (optional)')).toBeNull();
    fireEvent.click(within(thumbs).getByRole('radio', { name: 'Bad' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    await screen.findByText('This chat has been rated already. Thank you.');
    expect(surveyCalls(h).map((c) => c.body)).toEqual([expect.objectContaining({ scale: 'thumbs', rating: 'down' })]);
    expect(screen.queryByRole('button', { name: 'Send rating' })).toBeNull();
  });

  it('a failure can be retried; skipping sends nothing and hands focus to "Start a new chat"', async () => {
    const h = await endedWith({ enabled: true }, { status: 502, body: { error: { code: 'upstream_error', message: 'x' } } });
    fireEvent.click(within(await group()).getByRole('radio', { name: '5 stars' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Your rating could not be sent. Please try again.'));
    expect(screen.getByRole('button', { name: 'Send rating' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }));
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(document.activeElement?.hasAttribute('data-autofocus')).toBe(true);
    expect(surveyCalls(h)).toHaveLength(1);
  });

  it('has its texts in all six languages, each key filled', () => {
    const keys = Object.keys(SURVEY_TEXTS.en!).sort();
    expect(Object.keys(SURVEY_TEXTS).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt-BR']);
    for (const texts of Object.values(SURVEY_TEXTS)) {
      expect(Object.keys(texts).sort()).toEqual(keys);
      expect(Object.values(texts).every((t) => t.trim() !== '')).toBe(true);
    }
  });
});
