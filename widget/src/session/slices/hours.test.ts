// Business hours: offline outside them, and the timer that follows them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, fillValidForm, harness } from '../../testing/fixtures.ts';
import type { BusinessHours } from '../business-hours.ts';

afterEach(() => {
  vi.useRealTimers();
});

// Monday 2025-01-06 in UTC.
const utc = (d: number, h: number, m = 0) => Date.UTC(2025, 0, d, h, m);
const officeHours: BusinessHours = { timezone: 'UTC', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } };

describe('business hours', () => {
  it('outside hours the widget opens offline with the next opening time, and reopens on time', () => {
    vi.useFakeTimers();
    let now = utc(6, 8, 0);
    const h = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('offline');
    expect(h.controller.state.nextOpening).toBe(utc(6, 9));
    now = utc(6, 9, 0);
    vi.advanceTimersByTime(60 * 60_000);
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.nextOpening).toBeNull();
    h.controller.dispose();
  });

  it('closing time moves an idle form to offline, but never interrupts a chat', async () => {
    let now = utc(6, 16, 59);
    const h = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    now = utc(6, 17, 0);
    h.controller.checkBusinessHours();
    expect(h.controller.state.phase).toBe('offline');
    expect(h.controller.state.nextOpening).toBe(utc(7, 9));

    const chat = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    now = utc(6, 16, 0);
    chat.controller.start();
    fillValidForm(chat.controller);
    await chat.controller.submitForm();
    now = utc(6, 18, 0);
    chat.controller.checkBusinessHours();
    expect(chat.controller.state.phase).toBe('active');
    h.controller.dispose();
    chat.controller.dispose();
  });

  it('a restart after hours goes to offline', async () => {
    let now = utc(6, 16, 0);
    const h = await activeHarness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.transport.closeConversation();
    now = utc(6, 20, 0);
    h.controller.restart();
    expect(h.controller.state.phase).toBe('offline');
    h.controller.dispose();
  });

  it('a broken schedule (unknown time zone) keeps the widget open rather than locking visitors out', () => {
    const h = harness({ controller: { options: { businessHours: { timezone: 'Nowhere/Land', weekly: {} } } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    h.controller.dispose();
  });
});
