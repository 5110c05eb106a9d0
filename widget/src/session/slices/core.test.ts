// The core: the store's writers and the defaults taken from the config.
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../testing/fixtures.ts';
import { createCore } from './core.ts';

const core = (options: Partial<Parameters<typeof createCore>[0]> = {}) =>
  createCore({ config: testConfig, loadTransport: () => Promise.reject(new Error('not used')), ...options });

describe('dispatch', () => {
  it('moves the phase and applies the patch in one store update', () => {
    const c = core();
    const updates: string[] = [];
    c.store.subscribe((state) => updates.push(`${state.phase}:${state.notice}`));
    expect(c.dispatch({ type: 'open', businessOpen: true, resumable: false }, { notice: 'hello' })).toBe(true);
    expect(updates).toEqual(['pre-engagement:hello']);
  });

  it('changes nothing when the event does not apply to the phase', () => {
    const c = core();
    const before = c.get();
    expect(c.dispatch({ type: 'closed' }, { notice: 'never' })).toBe(false);
    expect(c.get()).toBe(before);
  });
});

describe('defaults', () => {
  it('takes the form, strings and locale from the config; the history page size from the options', () => {
    const c = core({ options: { historyPageSize: 7 }, browserLocales: ['fr-FR'] });
    expect(c.form.fields.map((f) => f.name)).toEqual(['friendlyName', 'email', 'question']);
    expect(c.get().locale).toBe('en'); // the config's locale wins over the browser's
    expect(c.strings.title).toBe('Chat with Acme support');
    expect(c.historyPageSize).toBe(7);
  });
});
